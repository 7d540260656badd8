/* tui/view-whatif.c: "what would this Stage's verification say now?" A dry
 * run of the Stage's spec.verification as `freightdeck analyze --stage`
 * resolves it (templates flattened, args evaluated as Kargo does), each
 * Prometheus metric queried once on a worker thread, then per metric the
 * resolved query, the value, the phase and why, and the run's verdict as
 * Argo would assess these as its first measurements. Nothing is sent to the
 * cluster: objects are only read (GET, or the files the console loaded).
 *
 * The GETs go through the live client's network thread (queued by the UI
 * thread, answered through callbacks), so the worker never touches the
 * client: the console may stop while a Prometheus query still hangs. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "console.h"
#include "freightdeck/analysis.h"
#include "freightdeck/client.h"

/* One metric of the dry run. */
struct wi_metric {
    char *name, *provider, *query, *address, *value, *message, *explanation;
    enum fd_analysis_phase phase;
    bool supported, dry;
};

/* What the worker hands back. */
struct wi_result {
    char *error;     /* the dry run could not start: why */
    char *templates; /* "AnalysisTemplate success-rate-check, ..." */
    char *args;      /* "service=payments, ..." or NULL */
    char *note;      /* a remark above the metrics (no verification...) */
    struct wi_metric *m;
    size_t n;
    enum fd_analysis_phase worst; /* NONE when nothing was measured */
    enum fd_analysis_phase run_phase;
    char *run_message;
};

/* One object asked of the cluster. */
struct wi_fetch {
    char *kind, *ns, *name;
    json_t *obj;    /* under lock: the answer */
    char *error;    /* under lock: why not */
    bool not_found; /* under lock: the server answered 404 */
};

/* Shared by the view, its worker and the GETs in flight; the last one to
 * let go frees it. */
struct wi_job {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* a GET answered */
    int refs;
    bool done;      /* under lock */
    bool abandoned; /* under lock: the view closed, nobody to wake */
    /* Set with abandoned: the worker's expressions stop at their next loop
     * turns (fd_expr_cancel_flag), since a condition may loop for hours. */
    atomic_bool cancel;
    struct fd_tui_wake *wake;
    /* Inputs (owned; read only by the worker). */
    char *project, *stage, *address, *address_from;
    bool simulated;
    bool cluster; /* objects from the GETs below, else from files */
    /* The console's client (borrowed): Kargo's functions GET through it from
     * the worker, under lock and only while the view is open (the console
     * closes its views before it frees its clients). */
    struct fd_client *client;
    struct wi_fetch *fetch;
    size_t n_fetch, pending; /* pending: under lock */
    json_t *loaded;          /* the console's c->loaded (a reference), or NULL */
    int64_t now_ms;
    enum fd_expr_version expr_version;
    struct wi_result res; /* written by the worker before done */
};

struct wi_state {
    struct wi_job *job;
    pthread_t thread;
    bool joined, seen;
    char *stage;
    int height;
};

static void result_free(struct wi_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct wi_metric *m = &r->m[i];
        free(m->name);
        free(m->provider);
        free(m->query);
        free(m->address);
        free(m->value);
        free(m->message);
        free(m->explanation);
    }
    free(r->m);
    free(r->error);
    free(r->templates);
    free(r->args);
    free(r->note);
    free(r->run_message);
    memset(r, 0, sizeof(*r));
}

static void job_unref(struct wi_job *j)
{
    pthread_mutex_lock(&j->lock);
    bool last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (!last)
        return;
    result_free(&j->res);
    for (size_t i = 0; i < j->n_fetch; i++) {
        free(j->fetch[i].kind);
        free(j->fetch[i].ns);
        free(j->fetch[i].name);
        json_decref(j->fetch[i].obj);
        free(j->fetch[i].error);
    }
    free(j->fetch);
    json_decref(j->loaded);
    free(j->project);
    free(j->stage);
    free(j->address);
    free(j->address_from);
    pthread_cond_destroy(&j->cond);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

static char *dup_or_null(const char *s)
{
    return s ? fd_xstrdup(s) : NULL;
}

/* ---- Reading the objects (worker thread) ----------------------------------- */
static bool matches(const json_t *o, const char *kind, const char *ns, const char *name)
{
    const json_t *meta = json_object_get(o, "metadata");

    return fd_streq(json_string_value(json_object_get(o, "kind")), kind) &&
           fd_streq(json_string_value(json_object_get(meta, "name")), name) &&
           (!ns || fd_streq(json_string_value(json_object_get(meta, "namespace")), ns));
}

/* The object from the files the console loaded (as it read them at its
 * start: a file is not read twice, and standard input or a pipe once), or
 * NULL with *err. */
static json_t *from_files(const struct wi_job *j, const char *kind, const char *ns,
                          const char *name, char **err)
{
    json_t *it;
    size_t i;

    json_array_foreach(j->loaded, i, it)
    {
        if (matches(it, kind, ns, name))
            return json_incref(it);
    }
    *err = ns ? fd_xasprintf("%s \"%s\" in namespace \"%s\" is not in the loaded files", kind, name,
                             ns)
              : fd_xasprintf("%s \"%s\" is not in the loaded files", kind, name);
    return NULL;
}

/* The object from the GETs (waits for their answers), or NULL with *err. */
static json_t *from_cluster(struct wi_job *j, const char *kind, const char *ns, const char *name,
                            char **err)
{
    json_t *obj = NULL;

    pthread_mutex_lock(&j->lock);
    while (j->pending)
        pthread_cond_wait(&j->cond, &j->lock);
    pthread_mutex_unlock(&j->lock);
    for (size_t i = 0; i < j->n_fetch; i++) {
        const struct wi_fetch *f = &j->fetch[i];
        if (!fd_streq(f->kind, kind) || !fd_streq(f->name, name) || !fd_streq(f->ns, ns))
            continue;
        if (f->obj)
            obj = json_incref(f->obj);
        else
            *err = fd_xstrdup(f->error ? f->error : "no answer");
        return obj;
    }
    /* The Stage changed since the GETs were queued. */
    *err = fd_xasprintf("%s \"%s\" was not read: the Stage changed meanwhile; press w again", kind,
                        name);
    return NULL;
}

static json_t *fetch(struct wi_job *j, const char *kind, const char *ns, const char *name,
                     char **err)
{
    if (!fd_model_name_valid(name)) {
        *err = fd_xasprintf("%s name \"%s\" is not a valid object name", kind, name ? name : "");
        return NULL;
    }
    return j->cluster ? from_cluster(j, kind, ns, name, err) : from_files(j, kind, ns, name, err);
}

/* ---- The dry run (worker thread) ---------------------------------------------- */
/* fd_analysis_measure_fn: Prometheus, unless none is configured: then the
 * metric is an Error that says what to set (asking would only time out). */
static void measure(void *arg, const struct fd_analysis_plan_metric *mp,
                    const struct fd_analysis_prom_options *po,
                    struct fd_analysis_prom_measurement *me)
{
    const struct wi_job *j = arg;
    const char *env = getenv("ARGO_ROLLOUTS_PROMETHEUS_ADDRESS");

    if (!j->address && j->simulated) {
        /* The demo's simulator makes the measurements up and serves no
         * Prometheus query API. */
        memset(me, 0, sizeof(*me));
        me->phase = FD_ANALYSIS_PHASE_ERROR;
        me->message = fd_xstrdup("no Prometheus configured; set console.prometheus");
        me->explanation = fd_xstrdup(
            "the demo's simulator invents the measurements and serves no Prometheus query "
            "API: set console.prometheus in the config or pass --prometheus URL");
    } else if (!j->address && !mp->spec.cfg.address && !(env && *env)) {
        memset(me, 0, sizeof(*me));
        me->phase = FD_ANALYSIS_PHASE_ERROR;
        me->message = fd_xstrdup("no Prometheus configured; set console.prometheus");
        me->explanation = fd_xstrdup("the template names no provider.prometheus.address: set "
                                     "console.prometheus in the config or pass --prometheus "
                                     "URL");
    } else {
        fd_analysis_prom_measure(mp->m, &mp->spec, po, me);
    }
}

static void measure_all(struct wi_job *j, struct wi_result *r, const struct fd_analysis_plan *p)
{
    struct fd_analysis_prom_options po;
    struct fd_analysis_dry d;

    memset(&po, 0, sizeof(po));
    po.address = j->address;
    po.now_ms = j->now_ms;
    po.expr_version = j->expr_version;
    fd_analysis_dry_run(p, &po, measure, j, &d);
    r->m = fd_xcalloc(p->n_metrics + 1, sizeof(*r->m));
    r->n = p->n_metrics;
    for (size_t i = 0; i < p->n_metrics; i++) {
        const struct fd_analysis_dry_metric *dm = &d.metrics[i];
        struct wi_metric *wm = &r->m[i];
        wm->name = fd_xstrdup(dm->mp->m->name);
        wm->provider = fd_xstrdup(dm->mp->m->provider_name ? dm->mp->m->provider_name : "none");
        wm->supported = dm->mp->supported;
        wm->dry = dm->dry;
        wm->query = dup_or_null(dm->mp->m->query);
        if (!dm->measured)
            continue;
        wm->phase = dm->me.phase;
        wm->address = dup_or_null(dm->me.address);
        wm->value = dup_or_null(dm->me.value);
        wm->message = dup_or_null(dm->me.message);
        wm->explanation = dup_or_null(dm->me.explanation);
    }
    r->worst = d.worst;
    r->run_phase = d.run_phase;
    r->run_message = dup_or_null(d.run_message);
    fd_analysis_dry_free(&d);
}

static void add_fetch(struct wi_job *j, const char *kind, const char *ns, const char *name);
static void got(void *user, enum fd_status st, const struct fd_kube_response *resp,
                const struct fd_kube_error *err, bool maybe_applied);
struct wi_get {
    struct wi_job *job;
    size_t i;
};

/* Kargo's functions read the project's objects as the dry run reads the
 * Stage: from the loaded files (absent: not found), or from the cluster with
 * a GET through the console's client, waited for here on the worker. */
static json_t *kargo_get(void *ud, const char *kind, const char *ns, const char *name, char **err)
{
    struct wi_job *j = ud;
    json_t *obj = NULL;

    *err = NULL;
    if (!fd_model_name_valid(name) || !fd_model_name_valid(ns))
        return NULL; /* no such object can exist */
    if (!j->cluster) {
        char *e = NULL;
        json_t *o = from_files(j, kind, ns, name, &e);
        free(e);
        return o;
    }
    char *path = fd_client_kargo_object_path(kind, ns, name);
    if (!path) {
        *err = fd_xasprintf("no such kind %s", kind);
        return NULL;
    }
    pthread_mutex_lock(&j->lock);
    while (j->pending)
        pthread_cond_wait(&j->cond, &j->lock);
    size_t i;
    for (i = 0; i < j->n_fetch; i++)
        if (fd_streq(j->fetch[i].kind, kind) && fd_streq(j->fetch[i].ns, ns) &&
            fd_streq(j->fetch[i].name, name))
            break;
    if (i == j->n_fetch) {
        struct fd_kube_error kerr;
        if (j->abandoned || !j->client) {
            pthread_mutex_unlock(&j->lock);
            free(path);
            *err = fd_xstrdup("the what-if view was closed");
            return NULL;
        }
        /* No GET is in flight (pending is 0), so the array may move. */
        add_fetch(j, kind, ns, name);
        struct wi_get *g = fd_xcalloc(1, sizeof(*g));
        g->job = j;
        g->i = i;
        j->refs++;
        j->pending = 1;
        memset(&kerr, 0, sizeof(kerr));
        if (fd_client_submit(j->client, "GET", path, NULL, NULL, got, g, &kerr) != FD_OK) {
            j->fetch[i].error = fd_xasprintf("%s \"%s\": %s", kind, name,
                                             kerr.message[0] ? kerr.message : "cannot be read");
            j->pending = 0;
            j->refs--;
            free(g);
        }
        while (j->pending)
            pthread_cond_wait(&j->cond, &j->lock);
    }
    const struct wi_fetch *f = &j->fetch[i];
    if (f->obj)
        obj = json_incref(f->obj);
    else if (!f->not_found)
        *err = fd_xstrdup(f->error ? f->error : "no answer");
    pthread_mutex_unlock(&j->lock);
    free(path);
    return obj;
}

static void dry_run(struct wi_job *j, struct wi_result *r)
{
    struct fd_expr_kargo_objects *objs_used = NULL;
    char *err = NULL;
    json_t *stage = fetch(j, "Stage", j->project, j->stage, &err);
    json_t **tpl = NULL;
    size_t n_tpl = 0;
    struct fd_buf names = FD_BUF_INIT;
    struct fd_analysis_plan plan;
    struct fd_analysis_kargo_build b;

    memset(&plan, 0, sizeof(plan));
    memset(&b, 0, sizeof(b));
    if (!stage)
        goto out;
    const json_t *refs = json_object_get(
        json_object_get(json_object_get(stage, "spec"), "verification"), "analysisTemplates");
    if (!json_array_size(refs)) {
        r->note = fd_xstrdup("the Stage has no verification (spec.verification.analysisTemplates): "
                             "Kargo marks its Freight verified at once");
        r->worst = r->run_phase = FD_ANALYSIS_PHASE_SUCCESSFUL;
        goto out;
    }
    tpl = fd_xcalloc(json_array_size(refs) + 1, sizeof(*tpl));
    for (size_t i = 0; i < json_array_size(refs); i++) {
        const json_t *ref = json_array_get(refs, i);
        const char *tn = json_string_value(json_object_get(ref, "name"));
        bool cluster =
            fd_streq(json_string_value(json_object_get(ref, "kind")), "ClusterAnalysisTemplate");
        const char *kind = cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
        if (!(tpl[n_tpl] = fetch(j, kind, cluster ? NULL : j->project, tn, &err)))
            goto out;
        n_tpl++;
        fd_buf_printf(&names, "%s%s %s", i ? ", " : "", kind, tn);
    }
    r->templates = fd_buf_steal(&names);
    struct fd_expr_kargo_objects objs;
    memset(&objs, 0, sizeof(objs));
    objs.get = kargo_get;
    objs.ud = j;
    objs_used = &objs;
    char *label = fd_xasprintf("%s/%s", j->project, j->stage);
    /* Kargo's words on failure, as the Stage would show them */
    bool built = fd_analysis_kargo_build(tpl, n_tpl, label, stage, NULL, 0, &objs, &b, &err);
    free(label);
    if (!built || !fd_analysis_plan_template(b.flat, b.args, b.n_args, NULL, false, &plan, &err))
        goto out;
    struct fd_buf ab = FD_BUF_INIT;
    for (size_t i = 0; i < plan.n_args; i++) {
        /* what Kargo's secret() read is never on the screen */
        char *v = fd_expr_kargo_redact(&objs, plan.args[i].value);
        fd_buf_printf(&ab, "%s%s=%s", i ? ", " : "", plan.args[i].name, v);
        free(v);
    }
    r->args = ab.len ? fd_buf_steal(&ab) : NULL;
    fd_buf_free(&ab);
    char *verr = NULL;
    if (fd_analysis_validate_metrics(plan.run, &verr) != FD_OK) {
        r->note = fd_xasprintf("Analysis spec invalid: %s (the controller would refuse this "
                               "spec; nothing was measured)",
                               verr);
        free(verr);
        r->worst = r->run_phase = FD_ANALYSIS_PHASE_ERROR;
        goto out;
    }
    measure_all(j, r, &plan);
    /* a secret() value went into the queries: shown nowhere */
    for (size_t i = 0; objs.secrets && i < r->n; i++) {
        char **texts[] = {&r->m[i].query, &r->m[i].address, &r->m[i].value, &r->m[i].message,
                          &r->m[i].explanation};
        for (size_t t = 0; t < FD_ARRAY_SIZE(texts); t++) {
            if (!*texts[t])
                continue;
            char *red = fd_expr_kargo_redact(&objs, *texts[t]);
            free(*texts[t]);
            *texts[t] = red;
        }
    }
    if (objs.secrets && r->run_message) {
        char *red = fd_expr_kargo_redact(&objs, r->run_message);
        free(r->run_message);
        r->run_message = red;
    }
out:
    if (objs_used)
        fd_expr_kargo_objects_clear(objs_used);
    if (err)
        r->error = err;
    fd_buf_free(&names);
    fd_analysis_plan_free(&plan);
    fd_analysis_kargo_build_free(&b);
    for (size_t i = 0; i < n_tpl; i++)
        json_decref(tpl[i]);
    free(tpl);
    json_decref(stage);
}

static void *worker(void *arg)
{
    struct wi_job *j = arg;
    struct wi_result r;

    memset(&r, 0, sizeof(r));
    fd_expr_cancel_flag(&j->cancel);
    dry_run(j, &r);
    fd_expr_cancel_flag(NULL);
    pthread_mutex_lock(&j->lock);
    j->res = r;
    j->done = true;
    /* The wake object lives as long as the console, and the console
     * outlives its views: only a view still open is woken. */
    if (!j->abandoned)
        fd_tui_wake(j->wake);
    pthread_mutex_unlock(&j->lock);
    job_unref(j);
    return NULL;
}

/* ---- The GETs (queued on the UI thread, answered on the network thread) -------- */
static void got(void *user, enum fd_status st, const struct fd_kube_response *resp,
                const struct fd_kube_error *err, bool maybe_applied)
{
    struct wi_get *g = user;
    struct wi_job *j = g->job;
    struct wi_fetch *f = &j->fetch[g->i];
    json_t *obj = NULL;
    char *why = NULL;

    (void)maybe_applied;
    if (st == FD_NOT_FOUND)
        why = fd_xasprintf("%s \"%s\" not found", f->kind, f->name);
    else if (st != FD_OK)
        why = fd_xasprintf("%s \"%s\": %s", f->kind, f->name,
                           err && err->message[0] ? err->message : "no answer");
    else if (!(obj = fd_json_load_outside(resp->body, resp->body_len, 0, NULL)) ||
             !json_is_object(obj)) {
        why = fd_xasprintf("%s \"%s\": the answer is not a JSON object", f->kind, f->name);
        json_decref(obj);
        obj = NULL;
    }
    pthread_mutex_lock(&j->lock);
    f->obj = obj;
    f->error = why;
    f->not_found = st == FD_NOT_FOUND;
    j->pending--;
    pthread_cond_broadcast(&j->cond);
    pthread_mutex_unlock(&j->lock);
    job_unref(j);
    free(g);
}

static void add_fetch(struct wi_job *j, const char *kind, const char *ns, const char *name)
{
    struct wi_fetch *f;

    j->fetch = fd_xreallocarray(j->fetch, j->n_fetch + 1, sizeof(*j->fetch));
    f = &j->fetch[j->n_fetch++];
    memset(f, 0, sizeof(*f));
    f->kind = fd_xstrdup(kind);
    f->ns = dup_or_null(ns);
    f->name = fd_xstrdup(name ? name : "");
}

/* Queues a GET of every object the dry run reads: the Stage and the
 * templates its verification names (as the model has them now). */
static void queue_gets(struct wi_job *j, struct fd_client *client, const struct fd_model_stage *st)
{
    add_fetch(j, "Stage", j->project, j->stage);
    for (size_t i = 0; st && i < st->n_templates; i++) {
        bool cluster = fd_streq(st->templates[i].kind, "ClusterAnalysisTemplate");
        add_fetch(j, cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                  cluster ? NULL : j->project, st->templates[i].name);
    }
    j->pending = j->n_fetch;
    for (size_t i = 0; i < j->n_fetch; i++) {
        struct wi_fetch *f = &j->fetch[i];
        struct fd_kube_error kerr;
        char *path = NULL;
        if (!fd_model_name_valid(f->name))
            f->error = fd_xasprintf("%s name \"%s\" is not a valid object name", f->kind, f->name);
        else if (fd_streq(f->kind, "Stage"))
            path = fd_xasprintf("/apis/kargo.akuity.io/v1alpha1/namespaces/%s/stages/%s", f->ns,
                                f->name);
        else if (!f->ns)
            path = fd_xasprintf("/apis/argoproj.io/v1alpha1/clusteranalysistemplates/%s", f->name);
        else
            path = fd_xasprintf("/apis/argoproj.io/v1alpha1/namespaces/%s/analysistemplates/%s",
                                f->ns, f->name);
        struct wi_get *g = fd_xcalloc(1, sizeof(*g));
        g->job = j;
        g->i = i;
        pthread_mutex_lock(&j->lock);
        j->refs++;
        pthread_mutex_unlock(&j->lock);
        memset(&kerr, 0, sizeof(kerr));
        if (!path || fd_client_submit(client, "GET", path, NULL, NULL, got, g, &kerr) != FD_OK) {
            pthread_mutex_lock(&j->lock);
            if (!f->error)
                f->error = fd_xasprintf("%s \"%s\": %s", f->kind, f->name,
                                        kerr.message[0] ? kerr.message : "cannot be read");
            j->pending--;
            j->refs--;
            pthread_mutex_unlock(&j->lock);
            free(g);
        }
        free(path);
    }
}

/* ---- The view (UI thread) ------------------------------------------------------- */
static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct wi_state *s = fd_xcalloc(1, sizeof(*s));
    struct wi_job *j = fd_xcalloc(1, sizeof(*j));

    v->state = s;
    s->stage = fd_xstrdup(c && c->selected_stage ? c->selected_stage : "");
    s->joined = true;
    s->job = j;
    pthread_mutex_init(&j->lock, NULL);
    atomic_init(&j->cancel, false);
    pthread_cond_init(&j->cond, NULL);
    j->refs = 1;
    if (!c || !c->project || !*s->stage) {
        j->done = true;
        j->res.error =
            fd_xstrdup(!c ? "the what-if view needs the console's model" : "no Stage selected");
        return;
    }
    j->wake = c->wake;
    j->project = fd_xstrdup(c->project);
    j->stage = fd_xstrdup(s->stage);
    j->address = dup_or_null(c->prometheus);
    j->address_from = dup_or_null(c->prometheus_from);
    j->simulated = c->opt->simulated_metrics;
    j->now_ms = fd_tui_console_now(c) * 1000;
    j->expr_version = fd_tui_console_expr(c).version;
    if (fd_tui_console_client(c)) {
        const struct fd_model_object *so = fd_tui_console_find(c, FD_MODEL_STAGE, s->stage);
        j->cluster = true;
        j->client = fd_tui_console_client(c);
        queue_gets(j, fd_tui_console_client(c), so && !so->undecodable ? so->u.stage : NULL);
    } else {
        j->loaded = json_incref(c->loaded);
    }
    pthread_mutex_lock(&j->lock);
    j->refs++;
    pthread_mutex_unlock(&j->lock);
    if (pthread_create(&s->thread, NULL, worker, j) != 0) {
        pthread_mutex_lock(&j->lock);
        j->refs--;
        j->done = true;
        j->res.error = fd_xstrdup("cannot start a thread for the dry run");
        pthread_mutex_unlock(&j->lock);
        return;
    }
    s->joined = false;
    c->jobs++;
}

/* Counts the job as finished for is_busy, once. */
static void settle(struct fd_tui *ui, struct wi_state *s)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    if (s->seen)
        return;
    s->seen = true;
    if (!s->joined) {
        if (c && c->jobs)
            c->jobs--;
    }
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct wi_state *s = v->state;

    if (!s)
        return;
    pthread_mutex_lock(&s->job->lock);
    bool done = s->job->done;
    s->job->abandoned = true;
    atomic_store(&s->job->cancel, true);
    pthread_mutex_unlock(&s->job->lock);
    settle(ui, s);
    if (!s->joined) {
        /* A Prometheus that does not answer holds the worker up to its
         * timeout: never make the UI wait for it. */
        if (done)
            pthread_join(s->thread, NULL);
        else
            pthread_detach(s->thread);
    }
    job_unref(s->job);
    free(s->stage);
    free(s);
    v->state = NULL;
}

bool fd_tui_console_whatif_poll(struct fd_tui *ui)
{
    bool changed = false;

    for (int i = 0; i < ui->depth; i++) {
        struct fd_tui_view *v = ui->stack[i];
        struct wi_state *s = v->ops == &fd_tui_view_whatif ? v->state : NULL;
        if (!s || s->seen)
            continue;
        pthread_mutex_lock(&s->job->lock);
        bool done = s->job->done;
        pthread_mutex_unlock(&s->job->lock);
        if (done) {
            settle(ui, s);
            fd_tui_view_dirty(ui, v);
            changed = true;
        }
    }
    return changed;
}

static const char *phase_label(enum fd_analysis_phase p)
{
    return p == FD_ANALYSIS_PHASE_NONE ? "Pending" : fd_analysis_phase_name(p);
}

static void phase_put(struct fd_tui_canvas *k, enum fd_analysis_phase p)
{
    const char *name = phase_label(p);

    fd_tui_canvas_put(k, fd_tui_console_phase_role(name), "%s %s",
                      fd_tui_glyph(fd_tui_console_phase_glyph(name)), name);
}

static void field(struct fd_tui_canvas *k, const char *label, enum fd_tui_role role,
                  const char *text)
{
    fd_tui_canvas_row(k, 3);
    fd_tui_canvas_put(k, FD_ROLE_MUTED, "%-8s", label);
    k->x = 12;
    fd_tui_canvas_wrap(k, role, 12, text);
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct wi_state *s = v->state;
    struct fd_tui_canvas k;
    const struct wi_result *r = &s->job->res;

    fd_tui_canvas_init(&k, ui, v);
    pthread_mutex_lock(&s->job->lock);
    bool done = s->job->done;
    pthread_mutex_unlock(&s->job->lock);
    if (done && !s->seen)
        settle(ui, s);
    fd_tui_canvas_put(&k, FD_ROLE_WAITING, " DRY RUN ");
    fd_tui_canvas_put(&k, FD_ROLE_MUTED,
                      " nothing is sent to the cluster; each query runs once, "
                      "now");
    fd_tui_canvas_row(&k, 1);
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "Stage %s", s->stage);
    if (s->job->project)
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  project %s", s->job->project);
    if (s->job->address) {
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "Prometheus %s (from %s)", s->job->address,
                          s->job->address_from ? s->job->address_from : "the options");
    }
    fd_tui_canvas_row(&k, 1);
    if (!done) {
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_put(&k, FD_ROLE_RUNNING, "%s running the verification's queries...",
                          fd_tui_glyph(FD_GLYPH_RUNNING));
        s->height = k.y + 1;
        return;
    }
    if (r->templates) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "verification ");
        fd_tui_canvas_wrap(&k, FD_ROLE_NORMAL, 3, r->templates);
        fd_tui_canvas_row(&k, 1);
    }
    if (r->args) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "args ");
        fd_tui_canvas_wrap(&k, FD_ROLE_NORMAL, 3, r->args);
        fd_tui_canvas_row(&k, 1);
    }
    if (r->error) {
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, "%s ", fd_tui_glyph(FD_GLYPH_FAILED));
        fd_tui_canvas_wrap(&k, FD_ROLE_FAILED, 3, r->error);
        s->height = k.y + 1;
        fd_tui_canvas_more(&k, v, s->height);
        return;
    }
    if (r->note) {
        fd_tui_canvas_wrap(&k, FD_ROLE_NORMAL, 1, r->note);
        fd_tui_canvas_row(&k, 1);
    }
    for (size_t i = 0; i < r->n; i++) {
        const struct wi_metric *m = &r->m[i];
        fd_tui_canvas_row(&k, 1);
        fd_tui_canvas_put(&k, FD_ROLE_HEADING, "%s", m->name);
        fd_tui_canvas_put(&k, FD_ROLE_NORMAL, "  ");
        if (!m->supported) {
            fd_tui_canvas_put(&k, FD_ROLE_MUTED,
                              "not measured: provider %s (only Prometheus "
                              "metrics run in a dry run)",
                              m->provider);
            continue;
        }
        phase_put(&k, m->phase);
        if (m->dry)
            fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  (dryRun: does not count)");
        field(&k, "query", FD_ROLE_NORMAL, m->query ? m->query : "");
        if (m->address && !s->job->address)
            field(&k, "address", FD_ROLE_MUTED, m->address);
        if (m->value)
            field(&k, "value", FD_ROLE_NORMAL, m->value);
        if (m->phase == FD_ANALYSIS_PHASE_ERROR && m->message)
            field(&k, "error", FD_ROLE_FAILED, m->message);
        field(&k, "why", FD_ROLE_NORMAL, m->explanation ? m->explanation : "");
        fd_tui_canvas_row(&k, 1);
    }
    fd_tui_canvas_row(&k, 1);
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "VERDICT");
    fd_tui_canvas_put(&k, FD_ROLE_NORMAL, "  ");
    phase_put(&k, r->run_phase);
    fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  as Argo would assess these first measurements");
    if (r->run_message && *r->run_message) {
        fd_tui_canvas_row(&k, 3);
        fd_tui_canvas_wrap(&k, fd_tui_console_phase_role(phase_label(r->run_phase)), 3,
                           r->run_message);
    }
    if (r->run_phase == FD_ANALYSIS_PHASE_RUNNING) {
        fd_tui_canvas_row(&k, 3);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "more measurements are due before a verdict");
    }
    fd_tui_canvas_row(&k, 3);
    fd_tui_canvas_put(&k, FD_ROLE_MUTED, "worst measurement: ");
    phase_put(&k, r->worst);
    s->height = k.y + 1;
    fd_tui_canvas_more(&k, v, s->height);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct wi_state *s = v->state;

    if (req == FD_REQ_WHATIF || req == FD_REQ_REFRESH) {
        /* Run it again: a new view replaces this one. */
        char *stage = fd_xstrdup(s->stage);
        fd_tui_pop_view(ui);
        fd_tui_console_open_whatif(ui, stage);
        free(stage);
        return FD_TUI_HANDLED;
    }
    return fd_tui_canvas_scroll(ui, v, req, s->height);
}

void fd_tui_console_open_whatif(struct fd_tui *ui, const char *stage)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    if (!c)
        return;
    if (!stage || !fd_tui_console_find(c, FD_MODEL_STAGE, stage)) {
        fd_tui_message(ui, FD_TUI_WARN, 5000, "what-if: no Stage \"%s\" in project %s",
                       stage ? stage : "", c->project ? c->project : "(none)");
        return;
    }
    free(c->selected_stage);
    c->selected_stage = fd_xstrdup(stage);
    fd_tui_push_view(ui, &fd_tui_view_whatif);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_WHATIF, "run again"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_whatif = {
    .name = "whatif",
    .title = "What-if (dry run)",
    .help = "A dry run of the Stage's verification: each Prometheus metric's query runs\n"
            "once now, judged as Argo would; nothing is sent to the cluster. The\n"
            "address: console.prometheus or --prometheus, else the template's.\n"
            "w or r runs it again.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
};
