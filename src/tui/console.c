/* tui/console.c: the console's state over the model store, the live client
 * that fills it, the header, and fd_tui_console_run. */
#include "config.h"

#include "console.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/client.h"
#include "freightdeck/prom.h"
#include "freightdeck/yaml.h"

struct fd_console *fd_console_of(struct fd_tui *ui)
{
    struct fd_console *c = ui && ui->opt ? ui->opt->ctx : NULL;

    return c && c->magic == FD_CONSOLE_MAGIC ? c : NULL;
}

int64_t fd_console_now(const struct fd_console *c)
{
    if (c && c->opt->now)
        return c->opt->now;
    if (c && c->opt->clock_ms)
        return c->opt->clock_ms() / 1000;
    return (int64_t)time(NULL);
}

bool fd_console_is_production(const struct fd_console *c, const char *stage)
{
    if (!stage)
        return false;
    for (size_t i = 0; i < c->n_production; i++)
        if (fnmatch(c->production[i], stage, 0) == 0)
            return true;
    return false;
}

const struct fd_model_object *fd_console_find(const struct fd_console *c, enum fd_model_kind kind,
                                              const char *name)
{
    if (!c->snap || !name)
        return NULL;
    return fd_model_snapshot_find(c->snap, kind, fd_model_kind_namespaced(kind) ? c->project : NULL,
                                  name);
}

const struct fd_model_object *fd_console_freight(const struct fd_console *c, const char *name)
{
    const struct fd_model_object *f = fd_console_find(c, FD_MODEL_FREIGHT, name);
    struct fd_model_object *const *all;
    size_t n;

    if (f || !name || !c->snap)
        return f;
    all = fd_model_snapshot_list(c->snap, FD_MODEL_FREIGHT, &n);
    for (size_t i = 0; i < n; i++)
        if (fd_streq(all[i]->meta.ns, c->project) && !all[i]->undecodable &&
            fd_streq(all[i]->u.freight->alias, name))
            return all[i];
    return NULL;
}

const struct fd_console_conn *fd_console_stage_conn(const struct fd_console *c, const char *stage)
{
    const struct fd_client_stage_map *m =
        c->project && stage ? fd_client_fleet_find(c->fleet, c->project, stage) : NULL;

    if (!c->n_conns)
        return NULL;
    for (size_t i = 1; m && m->context && i < c->n_conns; i++)
        if (fd_streq(c->conns[i].name, m->context))
            return &c->conns[i];
    return &c->conns[0];
}

const struct fd_model_snapshot *fd_console_conn_snap(const struct fd_console *c,
                                                     const struct fd_console_conn *conn)
{
    return conn && conn->store ? conn->snap : c->snap;
}

size_t fd_console_rollouts(const struct fd_console *c, const char *stage,
                           const struct fd_model_object ***out)
{
    const struct fd_model_snapshot *snap = fd_console_conn_snap(c, fd_console_stage_conn(c, stage));

    *out = NULL;
    if (!snap || !stage || !c->project)
        return 0;
    return fd_client_fleet_rollouts(c->fleet, snap, c->project, stage, out);
}

const struct fd_model_attention *fd_console_attention_for(const struct fd_console *c,
                                                          const char *stage)
{
    for (size_t i = 0; i < c->n_att; i++) {
        const struct fd_model_attention *a = &c->att[i];
        const char *s = NULL;
        if (a->kind == FD_MODEL_ATTENTION_CLUSTER_LOST) {
            /* The Kargo cluster's data is every Stage's; a workload
             * cluster's only the Stages mapped there. */
            const struct fd_console_conn *k = stage ? fd_console_stage_conn(c, stage) : NULL;
            if (!stage || (c->n_conns && fd_streq(a->context, c->conns[0].name)) ||
                (k && fd_streq(a->context, k->name)))
                return a;
            continue;
        }
        if (a->stage)
            s = a->stage->meta.name;
        else if (a->obj && a->obj->kind == FD_MODEL_ANALYSIS_RUN)
            s = fd_model_label(a->obj, "kargo.akuity.io/stage");
        if (!stage || fd_streq(s, stage))
            return a;
        if (a->obj && a->obj->kind == FD_MODEL_ROLLOUT) {
            const struct fd_model_object **r;
            size_t n = fd_console_rollouts(c, stage, &r);
            bool mine = false;
            for (size_t k = 0; k < n; k++)
                mine |= r[k] == a->obj;
            free(r);
            if (mine)
                return a;
        }
    }
    return NULL;
}

const char *fd_console_attention_keys(enum fd_model_attention_kind k)
{
    switch (k) {
    case FD_MODEL_ATTENTION_FREIGHT_READY:
        return "p promotes";
    case FD_MODEL_ATTENTION_ROLLOUT_PAUSED:
        return "P promotes, A aborts";
    case FD_MODEL_ATTENTION_ROLLOUT_DEGRADED:
        return "R retries the Rollout";
    case FD_MODEL_ATTENTION_VERIFICATION_FAILED:
    case FD_MODEL_ATTENTION_ANALYSIS_INCONCLUSIVE:
        return "v re-runs the verification";
    case FD_MODEL_ATTENTION_CLUSTER_LOST:
        return "r relists; the data shown is stale";
    }
    return "";
}

static int by_discovered(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;
    int64_t tx = x->undecodable ? 0 : x->u.freight->discovered, ty = y->undecodable ? 0 : y->u.freight->discovered;

    if (!tx)
        tx = x->meta.created;
    if (!ty)
        ty = y->meta.created;
    if (tx != ty)
        return tx > ty ? -1 : 1;
    return strcmp(x->meta.name, y->meta.name);
}

size_t fd_console_freight_list(const struct fd_console *c, const struct fd_model_object ***out)
{
    struct fd_model_object *const *all;
    size_t n, k = 0;

    *out = NULL;
    if (!c->snap)
        return 0;
    all = fd_model_snapshot_list(c->snap, FD_MODEL_FREIGHT, &n);
    *out = fd_xcalloc(n + 1, sizeof(**out));
    for (size_t i = 0; i < n; i++)
        if (fd_streq(all[i]->meta.ns, c->project))
            (*out)[k++] = all[i];
    qsort(*out, k, sizeof(**out), by_discovered);
    return k;
}

void fd_console_stage_info(const struct fd_console *c, const struct fd_model_object *stage,
                           struct fd_console_stage_info *out)
{
    memset(out, 0, sizeof(*out));
    out->obj = stage;
    out->alias = "";
    out->phase = FD_MODEL_STAGE_UNKNOWN;
    if (!stage)
        return;
    out->prod = fd_console_is_production(c, stage->meta.name);
    out->att = fd_console_attention_for(c, stage->meta.name);
    if (stage->undecodable)
        return;
    out->st = stage->u.stage;
    out->phase = fd_model_stage_phase(out->st, true);
    out->autopromo = fd_model_stage_auto_promotion(c->snap, stage);
    out->cur = fd_model_stage_current_freight(out->st, NULL);
    const struct fd_model_freight_collection *col = fd_model_stage_current(out->st);
    if (col && col->n_verifications)
        out->ver = &col->verifications[0];
    if (!out->cur)
        return;
    fd_console_version(&out->cur->art, out->version, sizeof(out->version));
    out->freight = fd_console_find(c, FD_MODEL_FREIGHT, out->cur->name);
    if (out->freight && !out->freight->undecodable) {
        const struct fd_model_freight *f = out->freight->u.freight;
        const struct fd_model_stage_mark *m = fd_model_freight_currently_in(f, stage->meta.name);
        if (f->alias)
            out->alias = f->alias;
        if (m)
            out->since = m->at;
        if (!out->version[0])
            fd_console_version(&f->art, out->version, sizeof(out->version));
    }
    if (!*out->alias && out->cur->name)
        out->alias = out->cur->name;
}

/* ---- Formatting ------------------------------------------------------------- */

const char *fd_console_age(int64_t s, char *buf, size_t size)
{
    if (s < 0)
        snprintf(buf, size, "-");
    else if (s < 60)
        snprintf(buf, size, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(buf, size, "%lldm", (long long)(s / 60));
    else if (s < 86400)
        snprintf(buf, size, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(buf, size, "%lldd%lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    return buf;
}

const char *fd_console_age_since(struct fd_tui *ui, const struct fd_console *c, int64_t since,
                                 char *buf, size_t size)
{
    int64_t now_ms, age_ms, step;

    if (c->opt->now || !since)
        return fd_console_age(fd_console_now(c) - since, buf, size);
    if (c->opt->clock_ms) {
        now_ms = c->opt->clock_ms();
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }
    age_ms = now_ms - since * 1000;
    step = age_ms < 60000 ? 1000 : age_ms < 86400000 ? 60000 : 3600000;
    if (ui && age_ms >= 0)
        fd_tui_redraw_in(ui, (int)(step - age_ms % step) + 5);
    return fd_console_age(age_ms / 1000, buf, size);
}

const char *fd_console_version(const struct fd_model_artifacts *a, char *buf, size_t size)
{
    buf[0] = 0;
    if (a->n_images && (a->images[0].tag || a->images[0].digest))
        snprintf(buf, size, "%s", a->images[0].tag ? a->images[0].tag : a->images[0].digest);
    else if (a->n_commits && (a->commits[0].tag || a->commits[0].id))
        snprintf(buf, size, "%.*s", a->commits[0].tag ? 40 : 7,
                 a->commits[0].tag ? a->commits[0].tag : a->commits[0].id);
    else if (a->n_charts && a->charts[0].version)
        snprintf(buf, size, "%s", a->charts[0].version);
    else if (a->n_other && a->other[0].version)
        snprintf(buf, size, "%s", a->other[0].version);
    return buf;
}

enum fd_tui_glyph fd_console_phase_glyph(const char *p)
{
    if (!p || !*p || fd_streq(p, "Pending") || fd_streq(p, "Unknown"))
        return FD_GLYPH_PENDING;
    if (fd_streq(p, "Successful") || fd_streq(p, "Succeeded") || fd_streq(p, "Healthy") ||
        fd_streq(p, "Ready"))
        return FD_GLYPH_OK;
    if (fd_streq(p, "Failed") || fd_streq(p, "Degraded") || fd_streq(p, "Aborted") ||
        fd_streq(p, "Errored"))
        return FD_GLYPH_FAILED;
    if (fd_streq(p, "Inconclusive"))
        return FD_GLYPH_INCONCLUSIVE;
    if (fd_streq(p, "Error") || fd_streq(p, "InvalidSpec"))
        return FD_GLYPH_WARNING;
    if (fd_streq(p, "Paused"))
        return FD_GLYPH_PAUSED;
    if (fd_streq(p, "Skipped"))
        return FD_GLYPH_BULLET;
    return FD_GLYPH_RUNNING;
}

enum fd_tui_role fd_console_phase_role(const char *p)
{
    switch (fd_console_phase_glyph(p)) {
    case FD_GLYPH_OK:
        return FD_ROLE_OK;
    case FD_GLYPH_FAILED:
    case FD_GLYPH_WARNING:
        return FD_ROLE_FAILED;
    case FD_GLYPH_INCONCLUSIVE:
        return FD_ROLE_INCONCLUSIVE;
    case FD_GLYPH_PENDING:
    case FD_GLYPH_BULLET:
        return FD_ROLE_PENDING;
    case FD_GLYPH_PAUSED:
        return FD_ROLE_WAITING;
    default:
        return FD_ROLE_RUNNING;
    }
}

enum fd_tui_role fd_console_stage_phase_role(enum fd_model_stage_phase p)
{
    switch (p) {
    case FD_MODEL_STAGE_READY:
        return FD_ROLE_OK;
    case FD_MODEL_STAGE_FAILED:
        return FD_ROLE_FAILED;
    case FD_MODEL_STAGE_UNKNOWN:
        return FD_ROLE_PENDING;
    default:
        return FD_ROLE_RUNNING;
    }
}

/* ---- The model --------------------------------------------------------------- */

struct fd_client *fd_console_client(const struct fd_console *c)
{
    return c->n_conns ? c->conns[0].client : NULL;
}

/* Picks the project when none was asked for: the only (first) Project. */
static void choose_project(struct fd_console *c)
{
    struct fd_model_object *const *p;
    size_t n;

    if (c->project || !c->snap)
        return;
    p = fd_model_snapshot_list(c->snap, FD_MODEL_PROJECT, &n);
    if (n)
        c->project = fd_xstrdup(p[0]->meta.name);
    else {
        p = fd_model_snapshot_list(c->snap, FD_MODEL_STAGE, &n);
        if (n && p[0]->meta.ns)
            c->project = fd_xstrdup(p[0]->meta.ns);
    }
    if (c->project && c->ui) {
        free(c->ui->scope[1]);
        c->ui->scope[1] = fd_xstrdup(c->project);
    }
}

/* What waits for a human, from every cluster: the Kargo store's list, then
 * each workload cluster's (its paused Rollouts, Inconclusive AnalysisRuns).
 * Borrows objects from the current snapshots; rebuilt whenever one changes. */
static void rebuild_attention(struct fd_console *c)
{
    int64_t now = fd_console_now(c);
    struct fd_model_attention *all, *more;
    size_t n, m;

    fd_model_attention_free(c->att, c->n_att);
    n = fd_model_attention_list(c->snap, c->project, now, &all);
    for (size_t i = 1; i < c->n_conns; i++) {
        if (!c->conns[i].snap)
            continue;
        /* A workload store holds only the mapped namespaces: take them all. */
        m = fd_model_attention_list(c->conns[i].snap, NULL, now, &more);
        if (m) {
            all = fd_xreallocarray(all, n + m, sizeof(*all));
            memcpy(all + n, more, m * sizeof(*all));
            n += m;
        }
        free(more); /* the items moved into all */
    }
    /* A cluster that is not live: everything shown from it is stale. */
    for (size_t i = 0; i < c->n_conns; i++) {
        const struct fd_console_conn *k = &c->conns[i];
        if (!k->client || k->state == FD_CLIENT_CONN_LIVE || k->state == FD_CLIENT_CONN_STOPPED ||
            (k->state == FD_CLIENT_CONN_CONNECTING && !k->attempt))
            continue;
        all = fd_xreallocarray(all, n + 1, sizeof(*all));
        all[n] = (struct fd_model_attention){
            .kind = FD_MODEL_ATTENTION_CLUSTER_LOST,
            .detail = fd_xasprintf("context %s %s%s%s", k->name, fd_client_conn_name(k->state),
                                   k->error[0] ? ": " : "", k->error),
            .context = fd_xstrdup(k->name),
        };
        n++;
    }
    fd_model_attention_sort(all, n);
    c->att = all;
    c->n_att = n;
}

/* Takes a new snapshot when the store changed; rebuilds what derives from
 * it. Returns true when anything visible may have changed. */
static bool refresh_model(struct fd_console *c)
{
    uint64_t g = fd_model_store_generation(c->store);
    bool changed = false;

    for (size_t i = 0; i < c->n_conns; i++) {
        struct fd_console_conn *k = &c->conns[i];
        struct fd_client_resource_state st;
        if (!k->client)
            continue;
        enum fd_client_conn s = fd_client_summary(k->client, &st);
        if (s != k->state || st.stale_since != k->stale_since || st.attempt != k->attempt ||
            strcmp(k->error, st.last_error) != 0) {
            k->state = s;
            k->stale_since = st.stale_since;
            k->attempt = st.attempt;
            snprintf(k->error, sizeof(k->error), "%s", st.last_error);
            changed = true;
        }
    }
    /* Workload contexts: their own stores, snapshotted on their own. */
    for (size_t i = 1; i < c->n_conns; i++) {
        struct fd_console_conn *k = &c->conns[i];
        if (!k->store || (k->snap && fd_model_store_generation(k->store) == k->gen))
            continue;
        if (k->snap)
            fd_model_snapshot_release(k->snap);
        k->snap = fd_model_store_snapshot(k->store);
        k->gen = fd_model_snapshot_generation(k->snap);
        changed = true;
    }
    if (c->snap && g == c->gen) {
        if (changed)
            rebuild_attention(c);
        return changed;
    }
    if (c->pipe)
        fd_model_pipeline_free(c->pipe);
    fd_model_attention_free(c->att, c->n_att);
    c->att = NULL;
    c->n_att = 0;
    if (c->snap)
        fd_model_snapshot_release(c->snap);
    c->snap = fd_model_store_snapshot(c->store);
    c->gen = fd_model_snapshot_generation(c->snap);
    choose_project(c);
    c->pipe = fd_model_pipeline_build(c->snap, c->project);
    rebuild_attention(c);
    return true;
}

/* Once the Kargo cluster's Stages are listed: a Stage the config file maps
 * that Kargo does not have is a typo or a deleted Stage; say so, with the
 * entry's file:line:col (the commands warn alike). */
static void check_fleet_stages(struct fd_console *c)
{
    char **w = NULL;
    size_t n;

    if (!c->ui || !c->project || !c->snap || !c->n_conns || !c->conns[0].client ||
        !fd_client_synced(c->conns[0].client) || fd_streq(c->fleet_checked, c->project))
        return;
    free(c->fleet_checked);
    c->fleet_checked = fd_xstrdup(c->project);
    n = fd_client_fleet_unknown_stages(c->fleet, c->snap, c->project, &w);
    if (n)
        fd_tui_message(c->ui, FD_TUI_WARN, 30000, "%s%s", w[0],
                       n > 1 ? " (and more: see freightdeck get rollouts)" : "");
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

static bool on_wake(void *ctx)
{
    struct fd_console *c = ctx;
    bool changed;

    pthread_mutex_lock(&c->lock);
    changed = c->changed || c->done;
    c->changed = false;
    pthread_mutex_unlock(&c->lock);
    changed |= refresh_model(c);
    check_fleet_stages(c);
    if (c->ui)
        changed |= fd_console_whatif_poll(c->ui);
    if (changed && c->ui) {
        fd_console_announce(c->ui, c);
        fd_console_dialog_poll(c->ui);
    }
    if (c->opt->on_frame)
        c->opt->on_frame(c->opt->user);
    return changed;
}

/* The RBAC question behind an action key, asked from the client's cache
 * (a review is queued when not cached; its answer redraws). */
static bool action_denied(void *ctx, int req)
{
    struct fd_console *c = ctx;
    struct fd_kube_access_query q = {.verb = "patch", .group = "kargo.akuity.io"};
    struct fd_client *cl = c->n_conns ? c->conns[0].client : NULL;

    switch (req) {
    case FD_REQ_APPROVE:
        q.resource = "freights";
        q.subresource = "status";
        break;
    case FD_REQ_PROMOTE:
        q.verb = "create";
        q.resource = "promotions";
        break;
    case FD_REQ_REVERIFY:
    case FD_REQ_ABORT_VERIFICATION:
        q.resource = "stages";
        break;
    case FD_REQ_ROLLOUT_ABORT:
    case FD_REQ_ROLLOUT_PROMOTE:
    case FD_REQ_ROLLOUT_PROMOTE_FULL:
    case FD_REQ_ROLLOUT_RETRY:
        q.group = "argoproj.io";
        q.resource = "rollouts";
        break;
    default:
        return false;
    }
    if (!cl || !c->project || c->force)
        return false;
    q.ns = c->project;
    return fd_client_access(cl, &q, NULL, 0) == FD_KUBE_ACCESS_DENIED;
}

static bool is_busy(void *ctx)
{
    struct fd_console *c = ctx;
    bool busy = false;

    for (size_t i = 0; i < c->n_conns; i++)
        if (c->conns[i].client && !fd_client_synced(c->conns[i].client) &&
            c->conns[i].state != FD_CLIENT_CONN_FORBIDDEN && c->conns[i].attempt < 3)
            busy = true;
    pthread_mutex_lock(&c->lock);
    if (c->in_flight)
        busy = true;
    pthread_mutex_unlock(&c->lock);
    if (c->jobs || (c->ui && fd_console_events_busy(c->ui)))
        busy = true;
    /* After an action finished, its watch event is on its way: scripts
     * wait for it (up to 2 s) so they see the effect, not the old state. */
    if (c->last_done_ms && fd_model_store_generation(c->store) == c->gen_at_done &&
        fd_tui_now_ms() < c->last_done_ms + 2000)
        busy = true;
    return busy;
}

static void on_change(void *user)
{
    struct fd_console *c = user;

    pthread_mutex_lock(&c->lock);
    c->changed = true;
    pthread_mutex_unlock(&c->lock);
    fd_tui_wake(c->wake);
}

/* ---- Actions ------------------------------------------------------------------ */

struct send_ctx {
    struct fd_console *c;
    unsigned long id;
};

static void action_done(void *user, const struct fd_model_action_plan *plan,
                        const struct fd_client_action_result *res)
{
    struct send_ctx *s = user;
    struct fd_console *c = s->c;
    struct fd_console_done *d = fd_xcalloc(1, sizeof(*d));

    (void)plan;
    d->id = s->id;
    d->outcome = res->outcome;
    d->http_status = res->http_status;
    d->message = res->message ? fd_xstrdup(res->message) : NULL;
    d->created = res->created ? fd_xstrdup(res->created) : NULL;
    d->resolution = res->resolution;
    d->resolution_text = res->resolution_text ? fd_xstrdup(res->resolution_text) : NULL;
    pthread_mutex_lock(&c->lock);
    d->next = c->done;
    c->done = d;
    if (c->in_flight)
        c->in_flight--;
    pthread_mutex_unlock(&c->lock);
    free(s);
    fd_tui_wake(c->wake);
}

unsigned long fd_console_send(struct fd_console *c, struct fd_model_action_plan *plan,
                              const char **why)
{
    return fd_console_send_to(c, NULL, plan, why);
}

unsigned long fd_console_send_to(struct fd_console *c, const struct fd_console_conn *conn,
                                 struct fd_model_action_plan *plan, const char **why)
{
    struct fd_client *cl = conn ? conn->client : fd_console_client(c);
    struct send_ctx *s;
    unsigned long id;

    *why = NULL;
    if (c->readonly) {
        *why = "read-only console";
        fd_model_action_plan_free(plan);
        return 0;
    }
    if (!cl) {
        *why = "not connected to a cluster (the data comes from files)";
        fd_model_action_plan_free(plan);
        return 0;
    }
    s = fd_xcalloc(1, sizeof(*s));
    s->c = c;
    pthread_mutex_lock(&c->lock);
    id = s->id = ++c->next_action;
    c->in_flight++;
    pthread_mutex_unlock(&c->lock);
    /* From here s belongs to action_done, which may run and free it on the
     * network thread before fd_client_action_send returns. */
    if (fd_client_action_send(cl, plan, action_done, s) != FD_OK) {
        pthread_mutex_lock(&c->lock);
        c->in_flight--;
        pthread_mutex_unlock(&c->lock);
        free(s);
        *why = "the client refused to queue the request";
        return 0;
    }
    return id;
}

struct fd_console_done *fd_console_take_done(struct fd_console *c, unsigned long id)
{
    struct fd_console_done **p, *d = NULL;

    pthread_mutex_lock(&c->lock);
    for (p = &c->done; *p; p = &(*p)->next)
        if ((*p)->id == id) {
            d = *p;
            *p = d->next;
            d->next = NULL;
            break;
        }
    pthread_mutex_unlock(&c->lock);
    if (d) {
        c->last_done_ms = fd_tui_now_ms();
        c->gen_at_done = fd_model_store_generation(c->store);
    }
    return d;
}

void fd_console_done_free(struct fd_console_done *d)
{
    while (d) {
        struct fd_console_done *n = d->next;
        free(d->message);
        free(d->created);
        free(d->resolution_text);
        free(d);
        d = n;
    }
}

/* ---- Header ---------------------------------------------------------------------- */

static void draw_header(struct fd_tui *ui, void *ctx, int x)
{
    struct fd_console *c = ctx;
    WINDOW *w = ui->header;
    int cols = getmaxx(w), rows = getmaxy(w);
    char age[32];

    if (c->user)
        x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "  user: %s", c->user);
    if (c->readonly)
        x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "  [read-only]");
    if (c->insecure)
        x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_DANGER, "  [TLS not verified]");
    for (size_t i = 0; i < c->n_conns; i++) {
        const struct fd_console_conn *k = &c->conns[i];
        enum fd_tui_role role = FD_ROLE_HEADER;
        char state[96];
        if (!k->client) {
            snprintf(state, sizeof(state), "files");
        } else if (k->state == FD_CLIENT_CONN_LIVE) {
            snprintf(state, sizeof(state), "%s live", fd_tui_glyph(FD_GLYPH_OK));
        } else if (k->state == FD_CLIENT_CONN_STALE || k->state == FD_CLIENT_CONN_RECONNECTING ||
                   k->state == FD_CLIENT_CONN_FORBIDDEN) {
            role = FD_ROLE_STALE;
            snprintf(state, sizeof(state), "%s %s%s%s", fd_tui_glyph(FD_GLYPH_WARNING),
                     fd_client_conn_name(k->state), k->stale_since ? " since " : "",
                     k->stale_since
                         ? fd_console_age_since(ui, c, k->stale_since, age, sizeof(age))
                         : "");
            if (k->attempt)
                snprintf(state + strlen(state), sizeof(state) - strlen(state), " [%u]",
                         k->attempt);
            fd_tui_redraw_in(ui, 1000);
        } else {
            snprintf(state, sizeof(state), "%s %s", fd_tui_glyph(FD_GLYPH_PENDING),
                     fd_client_conn_name(k->state));
        }
        x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "  ");
        if (c->n_conns > 1 && k->name)
            x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "%s ", k->name);
        x += fd_tui_put(ui, w, 0, x, cols - x, role == FD_ROLE_STALE ? FD_ROLE_WAITING : role,
                        state);
    }
    if (rows < 2)
        return;
    /* Row 2: what waits for a human, or that nothing does. */
    x = 1;
    if (!c->n_att) {
        fd_tui_put(ui, w, 1, x, cols - x, FD_ROLE_HEADER, "nothing waits for you");
        return;
    }
    x += fd_tui_putf(ui, w, 1, x, cols - x, FD_ROLE_WAITING, " %s %zu wait%s for you%s ",
                     fd_tui_glyph(FD_GLYPH_WARNING), c->n_att, c->n_att == 1 ? "s" : "",
                     c->n_att > 1 ? " (W: all)" : "");
    for (size_t i = 0; i < c->n_att && x < cols - 2; i++) {
        const struct fd_model_attention *a = &c->att[i];
        x += fd_tui_putf(ui, w, 1, x, cols - x, FD_ROLE_HEADER, "%s%s", i ? " · " : " ",
                         a->detail ? a->detail : fd_model_attention_text(a->kind));
    }
}

/* Below 80x24: the connection, what waits, then one line per Stage. */
static void draw_small(struct fd_tui *ui, void *ctx, int rows)
{
    struct fd_console *c = ctx;
    WINDOW *w = stdscr;
    int cols = COLS, y = 0, x = 0;

    x += fd_tui_putf(ui, w, y, x, cols - x, FD_ROLE_HEADER, "%s%s%sproject: %s",
                     c->context ? "ctx: " : "", c->context ? c->context : "",
                     c->context ? "  " : "", c->project ? c->project : "-");
    for (size_t i = 0; i < c->n_conns && x < cols; i++) {
        const struct fd_console_conn *k = &c->conns[i];
        bool live = !k->client || k->state == FD_CLIENT_CONN_LIVE;
        x += fd_tui_putf(ui, w, y, x, cols - x, live ? FD_ROLE_HEADER : FD_ROLE_WAITING, "  %s %s",
                         fd_tui_glyph(live ? FD_GLYPH_OK : FD_GLYPH_WARNING),
                         k->client ? fd_client_conn_name(k->state) : "files");
    }
    if (++y >= rows)
        return;
    if (!c->n_att)
        fd_tui_put(ui, w, y, 0, cols, FD_ROLE_HEADER, "nothing waits for you");
    for (size_t i = 0; i < c->n_att && y < rows; i++, y++)
        fd_tui_putf(ui, w, y, 0, cols, FD_ROLE_WAITING, "%s %s", fd_tui_glyph(FD_GLYPH_WARNING),
                    c->att[i].detail ? c->att[i].detail : fd_model_attention_text(c->att[i].kind));
    if (!c->n_att)
        y++;
    for (size_t i = 0; c->pipe && i < c->pipe->n_nodes && y < rows; i++) {
        const struct fd_model_node *nd = &c->pipe->nodes[i];
        struct fd_console_stage_info si;
        if (nd->kind != FD_MODEL_NODE_STAGE || !nd->obj)
            continue;
        fd_console_stage_info(c, nd->obj, &si);
        fd_tui_putf(ui, w, y++, 0, cols, fd_console_stage_phase_role(si.phase),
                    "%-10.10s %s %-10s %s %s%s%s", nd->name,
                    fd_tui_glyph(fd_console_phase_glyph(fd_model_stage_phase_name(si.phase))),
                    fd_model_stage_phase_name(si.phase), si.cur ? si.alias : "-", si.version,
                    si.att ? "  " : "", si.att ? fd_model_attention_mark(si.att->kind) : "");
    }
}

/* ---- Settings ------------------------------------------------------------------------ */

static char *config_file(const struct fd_tui_console_options *o)
{
    const char *env = getenv("FREIGHTDECK_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");

    if (o->config_path)
        return fd_xstrdup(o->config_path);
    if (env && *env)
        return fd_xstrdup(env);
    if (xdg && *xdg)
        return fd_xasprintf("%s/freightdeck/config.yaml", xdg);
    if (home && *home)
        return fd_xasprintf("%s/.config/freightdeck/config.yaml", home);
    return NULL;
}

static bool yaml_bool(const char *s, bool *out)
{
    if (fd_streq(s, "true") || fd_streq(s, "yes") || fd_streq(s, "on")) {
        *out = true;
        return true;
    }
    if (fd_streq(s, "false") || fd_streq(s, "no") || fd_streq(s, "off")) {
        *out = false;
        return true;
    }
    return false;
}

/* The `console:` section:
 *   console:
 *     readonly: false
 *     production: ["prod*", "live-*"]   # Stage name globs
 *     notify: both                      # bell | osc9 | both | none
 *     contexts:
 *       prod-eu-1: {readonly: true}
 * Returns NULL or an error message (caller frees). */
static char *load_settings(struct fd_console *c, const char *path)
{
    struct fd_yaml y;
    struct fd_buf text = FD_BUF_INIT;
    char chunk[4096], *err = NULL;
    size_t n;
    FILE *f = fopen(path, "rb");

    if (!f)
        return NULL; /* the frame loop reports an unreadable file */
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && text.len < (1u << 20))
        fd_buf_append(&text, chunk, n);
    fclose(f);
    if (fd_yaml_load(&y, fd_buf_cstr(&text), text.len, path, &err) != FD_OK) {
        fd_buf_free(&text);
        fd_yaml_free(&y);
        free(err);
        return NULL; /* reported by the frame loop's own load */
    }
    yaml_node_t *con = fd_yaml_map_get(&y, fd_yaml_root(&y), "console"), *v;
    if (con && con->type != YAML_MAPPING_NODE)
        err = fd_yaml_error(&y, con, "console: must be a mapping");
    if (!err && (v = fd_yaml_map_get(&y, con, "readonly"))) {
        bool b;
        if (!yaml_bool(fd_yaml_scalar(v), &b))
            err = fd_yaml_error(&y, v, "console.readonly: must be true or false");
        else if (b && !c->readonly) {
            c->readonly = true;
            c->readonly_why = fd_xstrdup("config: console.readonly");
        }
    }
    if (!err && (v = fd_yaml_map_get(&y, con, "production"))) {
        if (v->type == YAML_SCALAR_NODE) {
            for (size_t i = 0; i < c->n_production; i++)
                free(c->production[i]);
            c->production[0] = fd_xstrdup(fd_yaml_scalar(v));
            c->n_production = 1;
        } else if (v->type == YAML_SEQUENCE_NODE) {
            size_t k = 0, cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
            for (size_t i = 0; i < c->n_production; i++)
                free(c->production[i]);
            c->production = fd_xreallocarray(c->production, cnt + 1, sizeof(char *));
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                const char *s = fd_yaml_scalar(fd_yaml_node(&y, *it));
                if (s)
                    c->production[k++] = fd_xstrdup(s);
            }
            c->n_production = k;
        } else {
            err = fd_yaml_error(&y, v, "console.production: must be a glob or a list of globs");
        }
    }
    if (!err && (v = fd_yaml_map_get(&y, con, "notify"))) {
        const char *s = fd_yaml_scalar(v);
        if (fd_streq(s, "bell") || fd_streq(s, "osc9") || fd_streq(s, "both") ||
            fd_streq(s, "none")) {
            c->bell = fd_streq(s, "bell") || fd_streq(s, "both");
            c->osc9 = fd_streq(s, "osc9") || fd_streq(s, "both");
        } else {
            err = fd_yaml_error(&y, v, "console.notify: must be bell, osc9, both or none");
        }
    }
    if (!err && (v = fd_yaml_map_get(&y, con, "prometheus")) && !c->prometheus) {
        const char *s = fd_yaml_scalar(v);
        char *perr = NULL;
        if (!s || fd_prom_check_address(s, &perr) != FD_OK)
            err = fd_yaml_error(&y, v, "console.prometheus: must be a URL with a scheme and a "
                                       "host (http://prometheus:9090)");
        else {
            c->prometheus = fd_xstrdup(s);
            c->prometheus_from = fd_xstrdup("console.prometheus");
        }
        free(perr);
    }
    if (!err && c->context && (v = fd_yaml_map_get(&y, fd_yaml_map_get(&y, con, "contexts"), c->context)) &&
        (v = fd_yaml_map_get(&y, v, "readonly"))) {
        bool b;
        if (!yaml_bool(fd_yaml_scalar(v), &b))
            err = fd_yaml_error(&y, v, "readonly: must be true or false");
        else if (b && !c->readonly) {
            c->readonly = true;
            c->readonly_why = fd_xasprintf("config: console.contexts.%s.readonly", c->context);
        }
    }
    fd_yaml_free(&y);
    fd_buf_free(&text);
    return err;
}

/* ---- Loading files (tests, offline inspection) ------------------------------------- */

static enum fd_status load_file(struct fd_console *c, const char *path, char **err)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je), *items;
    size_t i;
    json_t *it;

    if (!root) {
        *err = fd_xasprintf("%s:%d:%d: %s", path, je.line, je.column, je.text);
        return FD_PARSE;
    }
    items = json_is_array(root) ? root : json_object_get(root, "items");
    if (!json_is_array(items)) {
        struct fd_model_object *o;
        char *e = NULL;
        if (fd_model_decode(root, FD_MODEL_KIND_UNKNOWN, &o, &e) != FD_OK) {
            *err = fd_xasprintf("%s: %s", path, e);
            free(e);
            json_decref(root);
            return FD_PARSE;
        }
        fd_model_store_apply(c->store, FD_MODEL_EVENT_ADDED, o);
        json_decref(root);
        return FD_OK;
    }
    json_array_foreach(items, i, it) {
        struct fd_model_object *o;
        char *e = NULL;
        if (fd_model_decode(it, FD_MODEL_KIND_UNKNOWN, &o, &e) != FD_OK) {
            *err = fd_xasprintf("%s: items[%zu]: %s", path, i, e);
            free(e);
            json_decref(root);
            return FD_PARSE;
        }
        fd_model_store_apply(c->store, FD_MODEL_EVENT_ADDED, o);
    }
    json_decref(root);
    return FD_OK;
}

/* ---- Run ------------------------------------------------------------------------------ */

static void console_free(struct fd_console *c)
{
    for (size_t i = 0; i < c->n_conns; i++) {
        fd_client_free(c->conns[i].client);
        free(c->conns[i].name);
        if (c->conns[i].snap)
            fd_model_snapshot_release(c->conns[i].snap);
        if (c->conns[i].store)
            fd_model_store_free(c->conns[i].store);
        fd_kube_config_free(c->conns[i].cfg);
    }
    if (c->pipe)
        fd_model_pipeline_free(c->pipe);
    fd_model_attention_free(c->att, c->n_att);
    if (c->snap)
        fd_model_snapshot_release(c->snap);
    fd_model_store_free(c->store);
    fd_client_fleet_free(c->fleet);
    for (size_t i = 0; i < c->n_production; i++)
        free(c->production[i]);
    free(c->production);
    for (size_t i = 0; i < c->n_announced; i++)
        free(c->announced[i]);
    free(c->announced);
    fd_console_done_free(c->done);
    free(c->project);
    free(c->context);
    free(c->user);
    free(c->readonly_why);
    free(c->selected_stage);
    free(c->fleet_checked);
    free(c->prometheus);
    free(c->prometheus_from);
    free(c->watch_ns);
    free(c->scope_error);
    fd_kube_config_free(c->own_cfg);
    pthread_mutex_destroy(&c->lock);
}

/* The namespace a workload client watches: the one every mapped Stage of
 * the project in that context shares, else all (NULL). */
static const char *workload_ns(const struct fd_console *c, const char *context)
{
    const char *ns = NULL;

    for (size_t i = 0; i < c->fleet->n_stages; i++) {
        const struct fd_client_stage_map *m = &c->fleet->stages[i];
        if (!fd_streq(m->context, context) || (c->project && !fd_streq(m->project, c->project)))
            continue;
        if (ns && !fd_streq(ns, m->ns))
            return NULL;
        ns = m->ns;
    }
    return ns;
}

/* One client per other context the config file maps the project's Stages
 * to (every project's when none is chosen yet): Rollouts and AnalysisRuns
 * only, in their own store. A context missing from the kubeconfig is an
 * error before the screen starts; an unreachable one is just not live. */
static enum fd_status start_workloads(struct fd_console *c, char **err)
{
    struct fd_kube_error kerr = {0};

    for (size_t i = 0; i < c->fleet->n_stages; i++) {
        const struct fd_client_stage_map *m = &c->fleet->stages[i];
        bool seen = false;
        if (!m->context || fd_streq(m->context, c->context) ||
            (c->project && !fd_streq(m->project, c->project)))
            continue;
        for (size_t j = 0; j < c->n_conns; j++)
            seen = seen || fd_streq(c->conns[j].name, m->context);
        if (seen)
            continue;
        if (c->n_conns == FD_CONSOLE_MAX_CONNS) {
            *err = fd_xasprintf("%s:%d: more than %d clusters for one console",
                                c->fleet->path ? c->fleet->path : "config", m->line,
                                FD_CONSOLE_MAX_CONNS);
            return FD_LIMIT;
        }
        struct fd_console_conn *k = &c->conns[c->n_conns++];
        struct fd_kube_load_opts lo = {.kubeconfig = c->opt->kubeconfig, .context = m->context};
        k->name = fd_xstrdup(m->context);
        k->state = FD_CLIENT_CONN_CONNECTING;
        if (fd_kube_config_load(&lo, &k->cfg, &kerr) != FD_OK) {
            /* The context: key's own place, not the entry's first line. */
            char *where = fd_client_fleet_context_where(c->fleet, m->context);
            *err = fd_xasprintf("%s: context \"%s\" (Stage %s/%s): %s",
                                where ? where : c->fleet->path ? c->fleet->path : "config",
                                m->context, m->project, m->stage, kerr.message);
            free(where);
            return kerr.status;
        }
        if (k->cfg->exec)
            k->cfg->exec->stdin_unavailable = true;
        c->insecure = c->insecure || k->cfg->insecure_skip_tls_verify;
        k->store = fd_model_store_new(0);
        struct fd_client_opts co = {
            .cfg = k->cfg, .store = k->store, .ns = workload_ns(c, m->context),
            .kinds = 1u << FD_MODEL_ROLLOUT | 1u << FD_MODEL_ANALYSIS_RUN,
            .readonly = c->readonly, .on_change = on_change, .user = c,
        };
        if (fd_client_start(&co, &k->client, &kerr) != FD_OK) {
            *err = fd_xstrdup(kerr.message);
            return kerr.status;
        }
    }
    return FD_OK;
}

/* The client of the Kargo context (conns[0]) over c->cfg, watching the
 * project's namespace (every namespace while no project is chosen). */
static enum fd_status start_kargo(struct fd_console *c, char **err)
{
    struct fd_kube_error kerr = {0};
    struct fd_kube_config *cfg = c->cfg;

    if (cfg->exec)
        cfg->exec->stdin_unavailable = true; /* curses owns the terminal */
    c->insecure = c->insecure || cfg->insecure_skip_tls_verify;
    free(c->context);
    free(c->user);
    c->context = fd_xstrdup(cfg->context && *cfg->context ? cfg->context : "in-cluster");
    c->user = cfg->user_name && *cfg->user_name ? fd_xstrdup(cfg->user_name) : NULL;
    free(c->watch_ns);
    c->watch_ns = c->project ? fd_xstrdup(c->project) : NULL;
    struct fd_client_opts co = {
        .cfg = cfg, .store = c->store, .ns = c->watch_ns, .readonly = c->readonly,
        .on_change = on_change, .user = c,
    };
    struct fd_console_conn *k = &c->conns[c->n_conns++];
    k->name = fd_xstrdup(c->context);
    k->state = FD_CLIENT_CONN_CONNECTING;
    if (fd_client_start(&co, &k->client, &kerr) != FD_OK) {
        *err = fd_xstrdup(kerr.message);
        return kerr.status;
    }
    return FD_OK;
}

/* ---- :ctx, :project, :stage ---------------------------------------------------------- */

/* Stops every client and empties the model: what follows is shown and
 * targeted anew. The views above the root are closed first (a dialog holds
 * objects of the old scope). */
static void stop_clients(struct fd_console *c)
{
    while (c->ui && fd_tui_pop_view(c->ui))
        ;
    for (size_t i = 0; i < c->n_conns; i++) {
        fd_client_free(c->conns[i].client);
        free(c->conns[i].name);
        if (c->conns[i].snap)
            fd_model_snapshot_release(c->conns[i].snap);
        if (c->conns[i].store)
            fd_model_store_free(c->conns[i].store);
        fd_kube_config_free(c->conns[i].cfg);
        memset(&c->conns[i], 0, sizeof(c->conns[i]));
    }
    c->n_conns = 0;
    if (c->pipe)
        fd_model_pipeline_free(c->pipe);
    c->pipe = NULL;
    fd_model_attention_free(c->att, c->n_att);
    c->att = NULL;
    c->n_att = 0;
    if (c->snap)
        fd_model_snapshot_release(c->snap);
    c->snap = NULL;
    fd_model_store_free(c->store);
    c->store = fd_model_store_new(0);
    pthread_mutex_lock(&c->lock);
    c->changed = true;
    pthread_mutex_unlock(&c->lock);
}

/* "a, b, c" of a list of names, or "none". */
static char *name_list(char *const *names, size_t n)
{
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; i < n; i++)
        fd_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (!n)
        fd_buf_puts(&b, "none");
    return fd_buf_steal(&b);
}

static const char *refuse(struct fd_console *c, char *msg)
{
    free(c->scope_error);
    c->scope_error = msg;
    return msg;
}

/* The projects the console knows: Project objects, and the namespaces of
 * Stages (data from files may have no Project). Sorted, no duplicates. */
static size_t known_projects(const struct fd_console *c, char ***out)
{
    struct fd_model_object *const *p;
    size_t n, k = 0, m;
    char **names;

    *out = NULL;
    if (!c->snap)
        return 0;
    p = fd_model_snapshot_list(c->snap, FD_MODEL_PROJECT, &n);
    fd_model_snapshot_list(c->snap, FD_MODEL_STAGE, &m);
    names = fd_xcalloc(n + m + 1, sizeof(*names));
    for (size_t i = 0; i < n; i++)
        names[k++] = p[i]->meta.name;
    p = fd_model_snapshot_list(c->snap, FD_MODEL_STAGE, &m);
    for (size_t i = 0; i < m; i++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = fd_streq(names[j], p[i]->meta.ns);
        if (!seen && p[i]->meta.ns)
            names[k++] = p[i]->meta.ns;
    }
    *out = names;
    return k;
}

static const char *scope_project(struct fd_console *c, const char *value)
{
    char **names;
    size_t n = known_projects(c, &names);
    bool found = false;
    char *err = NULL;

    for (size_t i = 0; i < n && !found; i++)
        found = fd_streq(names[i], value);
    if (!found) {
        char *list = name_list(names, n);
        free(names);
        err = fd_xasprintf("no such project (projects: %s)", list);
        free(list);
        return refuse(c, err);
    }
    free(names);
    if (fd_streq(value, c->project))
        return NULL;
    free(c->project);
    c->project = fd_xstrdup(value);
    free(c->selected_stage);
    c->selected_stage = NULL;
    if (fd_console_client(c) && c->watch_ns) {
        /* The Kargo client watches one namespace: watch the new one. */
        stop_clients(c);
        if (start_kargo(c, &err) != FD_OK || start_workloads(c, &err) != FD_OK)
            return refuse(c, err);
    } else {
        while (c->ui && fd_tui_pop_view(c->ui))
            ;
        if (c->n_conns > 1) {
            /* Workload clusters follow the project's mapping. */
            for (size_t i = 1; i < c->n_conns; i++) {
                fd_client_free(c->conns[i].client);
                free(c->conns[i].name);
                if (c->conns[i].snap)
                    fd_model_snapshot_release(c->conns[i].snap);
                fd_model_store_free(c->conns[i].store);
                fd_kube_config_free(c->conns[i].cfg);
                memset(&c->conns[i], 0, sizeof(c->conns[i]));
            }
            c->n_conns = 1;
        }
        if (fd_console_client(c) && start_workloads(c, &err) != FD_OK)
            return refuse(c, err);
        c->gen = 0; /* rebuild the pipeline for the new project */
        if (c->snap)
            fd_model_snapshot_release(c->snap);
        c->snap = NULL;
    }
    refresh_model(c);
    return NULL;
}

static const char *scope_ctx(struct fd_console *c, const char *value)
{
    struct fd_kube_load_opts lo = {.kubeconfig = c->opt->kubeconfig, .context = value};
    struct fd_kube_error kerr = {0};
    struct fd_kube_config *cfg = NULL;
    char **names = NULL, *current = NULL, *err = NULL;

    if (!fd_console_client(c))
        return refuse(c, fd_xstrdup("the data comes from files: no context to switch to"));
    if (fd_streq(value, c->context))
        return NULL;
    if (fd_kube_config_load(&lo, &cfg, &kerr) != FD_OK) {
        struct fd_kube_load_opts all = {.kubeconfig = c->opt->kubeconfig};
        struct fd_kube_error e2 = {0};
        size_t n = 0;
        bool known = false;
        if (fd_kube_config_contexts(&all, &names, &current, &e2) == FD_OK)
            for (; names[n]; n++)
                known |= fd_streq(names[n], value);
        if (known) {
            err = fd_xstrdup(kerr.message); /* it exists but cannot be used */
        } else {
            char *list = name_list(names, n);
            err = fd_xasprintf("no such context in the kubeconfig (contexts: %s)", list);
            free(list);
        }
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        free(current);
        return refuse(c, err);
    }
    stop_clients(c);
    fd_kube_config_free(c->own_cfg);
    c->own_cfg = c->cfg = cfg;
    /* The new context's namespace is the project, as at start; else keep. */
    if (cfg->namespace && *cfg->namespace && strcmp(cfg->namespace, "default") != 0) {
        free(c->project);
        c->project = fd_xstrdup(cfg->namespace);
    }
    free(c->selected_stage);
    c->selected_stage = NULL;
    if (start_kargo(c, &err) != FD_OK || start_workloads(c, &err) != FD_OK)
        return refuse(c, err);
    if (c->ui && c->project) {
        free(c->ui->scope[1]);
        c->ui->scope[1] = fd_xstrdup(c->project);
    }
    refresh_model(c);
    return NULL;
}

static const char *scope_stage(struct fd_console *c, const char *value)
{
    size_t n = 0, idx = 0;
    char **names;
    bool found = false;

    names = fd_xcalloc(c->pipe ? c->pipe->n_nodes + 1 : 1, sizeof(*names));
    for (size_t i = 0; c->pipe && i < c->pipe->n_nodes; i++) {
        if (c->pipe->nodes[i].kind != FD_MODEL_NODE_STAGE)
            continue;
        if (fd_streq(c->pipe->nodes[i].name, value)) {
            found = true;
            idx = i;
        }
        names[n++] = c->pipe->nodes[i].name;
    }
    if (!found) {
        char *list = name_list(names, n);
        char *msg = fd_xasprintf("no such Stage in %s (Stages: %s)",
                                 c->project ? c->project : "(none)", list);
        free(list);
        free(names);
        return refuse(c, msg);
    }
    free(names);
    if (!c->ui)
        return NULL;
    /* The pipeline selects it (unfiltered), and its pane opens: the action
     * keys act on it from either. */
    while (fd_tui_pop_view(c->ui))
        ;
    struct fd_tui_view *root = c->ui->stack[0];
    if (root && root->ops == &fd_tui_view_pipeline) {
        free(root->filter);
        root->filter = NULL;
        root->cursor = (int)idx;
        fd_tui_view_dirty(c->ui, root);
    }
    fd_console_open_stage(c->ui, value);
    return NULL;
}

static const char *on_scope(void *ctx, const char *what, const char *value)
{
    struct fd_console *c = ctx;

    if (fd_streq(what, "project"))
        return scope_project(c, value);
    if (fd_streq(what, "ctx"))
        return scope_ctx(c, value);
    return scope_stage(c, value);
}

int fd_tui_console_run(const struct fd_tui_console_options *o)
{
    struct fd_console c;
    struct fd_tui_options to = {0};
    struct fd_kube_config *own_cfg = NULL, *cfg = o->cfg;
    struct fd_kube_error kerr = {0};
    char *err = NULL, *path;
    int rc = 1;

    memset(&c, 0, sizeof(c));
    c.magic = FD_CONSOLE_MAGIC;
    c.opt = o;
    pthread_mutex_init(&c.lock, NULL);
    c.store = fd_model_store_new(0);
    c.production = fd_xcalloc(1, sizeof(char *));
    c.production[0] = fd_xstrdup("prod*");
    c.n_production = 1;
    c.bell = c.osc9 = true;
    c.first_attention = true;
    c.force = o->force;
    if (o->readonly) {
        c.readonly = true;
        c.readonly_why = fd_xstrdup("--readonly");
    }
    if (o->prometheus) {
        c.prometheus = fd_xstrdup(o->prometheus);
        c.prometheus_from = fd_xstrdup("--prometheus");
    }
    c.wake = fd_tui_wake_new();
    if (!c.wake) {
        fprintf(stderr, "freightdeck: cannot create a pipe: %s\n", strerror(errno));
        goto out;
    }
    if (o->project)
        c.project = fd_xstrdup(o->project);
    if (fd_client_fleet_load(o->fleet_path, &c.fleet, &kerr) != FD_OK) {
        fprintf(stderr, "freightdeck: %s\n", kerr.message);
        goto out;
    }

    if (o->nload) {
        for (size_t i = 0; i < o->nload; i++)
            if (load_file(&c, o->load[i], &err) != FD_OK) {
                fprintf(stderr, "freightdeck: %s\n", err);
                free(err);
                goto out;
            }
        c.conns[c.n_conns++].name = fd_xstrdup("files");
    } else {
        if (!cfg) {
            /* --context, else the config file's kargo.context. */
            struct fd_kube_load_opts lo = {.kubeconfig = o->kubeconfig,
                                           .context = o->context ? o->context
                                                                 : c.fleet->kargo_context};
            if (fd_kube_config_load(&lo, &own_cfg, &kerr) != FD_OK) {
                char *where = o->context ? NULL
                                         : fd_client_fleet_context_where(c.fleet, lo.context);
                if (where)
                    fprintf(stderr, "freightdeck: %s: context \"%s\": %s\n", where, lo.context,
                            kerr.message);
                else
                    fprintf(stderr, "freightdeck: %s\n", kerr.message);
                free(where);
                goto out;
            }
            cfg = own_cfg;
        }
        if (!c.project && cfg->namespace && strcmp(cfg->namespace, "default") != 0)
            c.project = fd_xstrdup(cfg->namespace);
        c.cfg = cfg;
        if (start_kargo(&c, &err) != FD_OK || start_workloads(&c, &err) != FD_OK) {
            fprintf(stderr, "freightdeck: %s\n", err);
            free(err);
            goto out;
        }
    }
    path = config_file(o);
    if (path) {
        char *serr = load_settings(&c, path);
        free(path);
        if (serr) {
            fprintf(stderr, "freightdeck: %s\n", serr);
            free(serr);
            goto out;
        }
    }
    refresh_model(&c);

    to.root_view = o->root_view ? o->root_view : "pipeline";
    to.theme = o->theme;
    to.config_path = o->config_path;
    to.script_path = o->script_path;
    to.ascii = o->ascii;
    to.no_color = o->no_color;
    to.no_display = o->no_display;
    to.frame_ms = o->frame_ms;
    to.term_out = o->term_out;
    to.term_in = o->term_in;
    to.term_type = o->term_type;
    to.wake = c.wake;
    to.on_wake = on_wake;
    to.is_busy = is_busy;
    to.on_scope = on_scope;
    to.ctx = &c;
    to.stats = o->stats;
    to.header_lines = 2;
    to.actions_off = c.readonly;
    to.action_denied = action_denied;
    to.draw_header = draw_header;
    to.draw_small = draw_small;
    rc = fd_tui_run(&to);
out:
    console_free(&c);
    fd_kube_config_free(own_cfg);
    fd_tui_wake_free(c.wake);
    return rc;
}
