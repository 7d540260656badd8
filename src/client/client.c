/* client/client.c: one network thread per context, one curl_multi driving
 * every informer and every submitted request. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static const char *const conn_names[] = {
#define FD_CLIENT_CONN_ROW(id, text) text,
    FD_CLIENT_CONN_TABLE(FD_CLIENT_CONN_ROW)
#undef FD_CLIENT_CONN_ROW
};

const char *fd_client_conn_name(enum fd_client_conn c)
{
    return (unsigned)c < FD_ARRAY_SIZE(conn_names) ? conn_names[c] : "unknown";
}

void fd_client_touch(struct fd_client *c)
{
    c->dirty = true;
    pthread_cond_broadcast(&c->cond);
}

static void pending_free(struct pending *p)
{
    if (!p)
        return;
    free(p->method);
    free(p->path);
    free(p->ctype);
    fd_kube_str_wipe(&p->body);
    fd_kube_req_free(p->req);
    free(p);
}

/* Calls done with a failure that happened before any byte was sent. */
static void pending_fail(struct fd_client *c, struct pending *p, enum fd_status st, const char *msg,
                         bool maybe_applied)
{
    struct fd_kube_response resp = {0};
    struct fd_kube_error err = {.status = st};

    snprintf(err.message, sizeof(err.message), "%s", msg);
    fd_kube_redact(err.message, sizeof(err.message), c->cfg);
    p->done(p->user, st, &resp, &err, maybe_applied);
    pending_free(p);
}

/* Fails every request still queued (none of them was sent) with st and msg. */
static void fail_queued(struct fd_client *c, enum fd_status st, const char *msg)
{
    struct pending *q;

    pthread_mutex_lock(&c->mu);
    q = c->queue;
    c->queue = NULL;
    c->tail = &c->queue;
    pthread_mutex_unlock(&c->mu);
    while (q) {
        struct pending *next = q->next;
        pending_fail(c, q, st, msg, false);
        q = next;
    }
}

/* Whether requests may be built now without blocking on an exec plugin.
 * Starts a background refresh when needed; returns -1 (with err) when the
 * last refresh failed and none is running. */
static int creds_ready(struct fd_client *c, struct fd_kube_error *err)
{
    if (!c->cfg->exec || fd_kube_credentials_ready(c->cfg))
        return 1;
    if (c->cred_wait)
        return 0;
    if (c->cred_retry_at && fd_time_mono_ms() < c->cred_retry_at) {
        /* The plugin failed a moment ago: report that until the back-off
         * ends, rather than running it again at once. */
        if (fd_kube_credentials_last_error(c->cfg, err) == FD_OK)
            return 0;
        return -1;
    }
    if (fd_kube_credentials_refresh_async(c->cfg, c->cred_pipe[1], err) != FD_OK)
        return -1;
    c->cred_wait = true;
    return 0;
}

static void start_pending(struct fd_client *c, struct pending *p)
{
    struct fd_kube_error err = {0};

    p->req = fd_kube_req_new(c->cfg, p->method, p->path, p->ctype, p->body, &err);
    if (!p->req) {
        pending_fail(c, p, err.status, err.message, false);
        return;
    }
    p->req->user = &p->own;
    /* A write is sent once: no timeout shorter than the server's own. */
    curl_easy_setopt(p->req->easy, CURLOPT_TIMEOUT, 120L);
    curl_multi_add_handle(c->multi, p->req->easy);
    p->next = c->running;
    c->running = p;
}

static void finish_pending(struct fd_client *c, struct pending *p, CURLcode code)
{
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    curl_off_t sent = 0;
    enum fd_status st;

    for (struct pending **pp = &c->running; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    curl_multi_remove_handle(c->multi, p->req->easy);
    curl_easy_getinfo(p->req->easy, CURLINFO_REQUEST_SIZE, &sent);
    st = fd_kube_req_finish(p->req, code, &resp, &err);
    p->done(p->user, st, &resp, &err, resp.status != 0 || sent > 0);
    fd_kube_response_free(&resp);
    pending_free(p);
    c->dirty = true;
}

static void drain(int fd)
{
    char buf[64];

    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

/* The credential refresh finished: if it failed, everything waiting for it
 * fails too (informers back off and try again later). */
static void creds_done(struct fd_client *c)
{
    struct fd_kube_error err = {0};

    drain(c->cred_pipe[0]);
    c->cred_wait = false;
    if (fd_kube_credentials_ready(c->cfg)) {
        c->cred_fails = 0;
        c->cred_retry_at = 0;
        return;
    }
    fd_kube_credentials_last_error(c->cfg, &err);
    if (err.status == FD_OK)
        return;
    {
        int64_t delay = c->backoff_min;
        for (unsigned i = 0; i < c->cred_fails && delay < c->backoff_max; i++)
            delay *= 2;
        c->cred_fails++;
        c->cred_retry_at = fd_time_mono_ms() + (delay < c->backoff_max ? delay : c->backoff_max);
    }
    fail_queued(c, err.status, err.message);
    for (size_t i = 0; i < c->n_inf; i++) {
        struct informer *inf = &c->inf[i];
        if (inf->phase == PH_IDLE && inf->next_at <= fd_time_mono_ms())
            fd_client_informer_fail(inf, err.status, err.message);
    }
}

/* Whether kind is one of the long lists that are listed after the
 * pipeline's kinds. */
static bool fd_client_kind_bulk(enum fd_model_kind kind)
{
    return kind == FD_MODEL_FREIGHT || kind == FD_MODEL_PROMOTION ||
           kind == FD_MODEL_ANALYSIS_RUN || kind == FD_MODEL_ROLLOUT;
}

/* The long lists wait for the first list of the short ones: the server and
 * this thread then serve and decode the pipeline before thousands of
 * Freight and runs (the console draws it as soon as it is there). A short
 * kind that failed once no longer holds them: its retry may take long. */
static bool hold_bulk(struct fd_client *c)
{
    bool held = false;

    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_inf; i++)
        if (!fd_client_kind_bulk(c->inf[i].kind) && c->inf[i].st.lists == 0 &&
            c->inf[i].st.attempt == 0)
            held = true;
    pthread_mutex_unlock(&c->mu);
    return held;
}

/* Whether the long kind's list of every namespace waits for its focus
 * list (the first one only: after a switch of project, or once it failed
 * or was retried, both run at once). */
static bool focus_holds(struct fd_client *c, const struct informer *inf)
{
    bool first;

    if (!inf->focus || inf->focus->focus_state != FOCUS_LISTING || inf->cont)
        return false;
    pthread_mutex_lock(&c->mu);
    first = inf->st.lists == 0 && inf->st.attempt == 0;
    pthread_mutex_unlock(&c->mu);
    return first;
}

/* The focus (fd_client_focus): each long kind not yet listed in every
 * namespace lists the focused one first. Without a focus asked for and
 * with opts.focus_first_project, once the short kinds are in (held false),
 * the first project (fd_model_first_project) is the focus. */
static void focus_round(struct fd_client *c, bool held)
{
    char *want = NULL;
    bool asked;

    if (!c->n_finf)
        return;
    pthread_mutex_lock(&c->mu);
    asked = c->focus_asked;
    want = c->focus_want ? fd_xstrdup(c->focus_want) : NULL;
    if (!asked && c->focus_auto && !held) {
        struct fd_model_snapshot *snap = fd_model_store_snapshot(c->store);
        const char *first = fd_model_first_project(snap);
        c->focus_asked = asked = true;
        c->focus_want = first ? fd_xstrdup(first) : NULL;
        want = first ? fd_xstrdup(first) : NULL;
        fd_model_snapshot_release(snap);
    }
    pthread_mutex_unlock(&c->mu);
    for (size_t i = 0; i < c->n_finf; i++) {
        struct informer *f = &c->finf[i], *m = f->main;
        pthread_mutex_lock(&c->mu);
        bool listed = m->st.lists > 0, known = false;
        for (size_t k = 0; want && k < m->n_focus; k++)
            known = known || strcmp(m->focus_ns[k], want) == 0;
        pthread_mutex_unlock(&c->mu);
        if (listed || !want) {
            /* Every namespace is in (its watch too), or nothing is asked:
             * no head start, no watch of one namespace. */
            fd_client_informer_cancel(f);
            free(f->rv);
            f->rv = NULL;
            f->focus_state = FOCUS_NONE;
            continue;
        }
        if (f->ns && strcmp(f->ns, want) == 0 && f->focus_state != FOCUS_NONE) {
            /* Listing it, watching it, or failed. A watch the server ended
             * (its timeout) resumes from the last version. */
            if (f->focus_state == FOCUS_DONE && f->phase == PH_IDLE && f->rv &&
                f->next_at <= fd_time_mono_ms())
                fd_client_informer_start(f);
            continue;
        }
        /* Another project now: the old one keeps what it stored (listed,
         * in the store, as of its noted version), unwatched. */
        fd_client_informer_cancel(f);
        free(f->rv);
        f->rv = NULL;
        free(f->ns);
        f->ns = fd_xstrdup(want);
        if (known) {
            f->focus_state = FOCUS_DONE; /* listed before, in the store still */
            continue;
        }
        f->focus_state = FOCUS_LISTING;
        fd_client_informer_start(f);
    }
    free(want);
}

static void round_start(struct fd_client *c)
{
    struct fd_kube_error err = {0};
    int ready = creds_ready(c, &err);
    int64_t now = fd_time_mono_ms();
    bool resync;

    pthread_mutex_lock(&c->mu);
    resync = c->resync;
    c->resync = false;
    pthread_mutex_unlock(&c->mu);
    if (resync) {
        for (size_t i = 0; i < c->n_inf; i++) {
            struct informer *inf = &c->inf[i];
            inf->relist_now = true;
            if (inf->phase == PH_IDLE)
                inf->next_at = now;
            else if (inf->phase == PH_WATCH) {
                /* Cut the watch; the relist starts below. */
                curl_multi_remove_handle(c->multi, inf->req->easy);
                fd_kube_req_free(inf->req);
                inf->req = NULL;
                inf->phase = PH_IDLE;
                inf->next_at = now;
            }
        }
    }
    if (ready < 0) {
        for (size_t i = 0; i < c->n_inf; i++)
            if (c->inf[i].phase == PH_IDLE && c->inf[i].next_at <= now)
                fd_client_informer_fail(&c->inf[i], err.status, err.message);
    }
    if (ready != 1) {
        if (ready < 0) {
            fail_queued(c, err.status, err.message);
        }
        return;
    }
    for (;;) {
        struct pending *p;
        pthread_mutex_lock(&c->mu);
        p = c->queue;
        if (p) {
            c->queue = p->next;
            if (!c->queue)
                c->tail = &c->queue;
        }
        pthread_mutex_unlock(&c->mu);
        if (!p)
            break;
        p->next = NULL;
        start_pending(c, p);
    }
    bool held = hold_bulk(c);
    focus_round(c, held);
    for (size_t i = 0; i < c->n_inf; i++)
        if (c->inf[i].phase == PH_IDLE && c->inf[i].next_at <= now &&
            !(held && fd_client_kind_bulk(c->inf[i].kind)) && !focus_holds(c, &c->inf[i]))
            fd_client_informer_start(&c->inf[i]);
    fd_client_liveness_round(c, now);
}

static int poll_timeout(struct fd_client *c)
{
    int64_t now = fd_time_mono_ms(), wait = 1000;

    /* Informers due while a plugin runs wait for it (the pipe wakes us):
     * counting them would make this a busy loop. */
    if (c->cred_wait)
        return (int)wait;
    if (c->cred_retry_at > now && c->cfg->exec && !fd_kube_credentials_ready(c->cfg)) {
        int64_t d = c->cred_retry_at - now;
        return (int)(d < wait ? d : wait);
    }
    bool held = hold_bulk(c);
    for (size_t i = 0; i < c->n_inf; i++) {
        /* A held informer starts when a short list ends, which wakes us. */
        if (c->inf[i].phase != PH_IDLE || (held && fd_client_kind_bulk(c->inf[i].kind)) ||
            focus_holds(c, &c->inf[i]))
            continue;
        int64_t d = c->inf[i].next_at - now;
        if (d < wait)
            wait = d < 0 ? 0 : d;
    }
    for (size_t i = 0; i < c->n_finf; i++) {
        /* A focus watch to start or resume (focus_round). */
        const struct informer *f = &c->finf[i];
        if (f->focus_state == FOCUS_DONE && f->phase == PH_IDLE && f->rv) {
            int64_t d = f->next_at - now;
            if (d < wait)
                wait = d < 0 ? 0 : d;
        }
    }
    if (fd_client_liveness_wait(c, now) < wait)
        wait = fd_client_liveness_wait(c, now);
    return (int)wait;
}

static void *net_main(void *arg)
{
    struct fd_client *c = arg;

    for (;;) {
        int running = 0;
        CURLMsg *msg;
        int left;
        struct curl_waitfd wfd = {.fd = c->cred_pipe[0], .events = CURL_WAIT_POLLIN};

        pthread_mutex_lock(&c->mu);
        bool stop = c->stop;
        pthread_mutex_unlock(&c->mu);
        if (stop)
            break;
        round_start(c);
        curl_multi_perform(c->multi, &running);
        while ((msg = curl_multi_info_read(c->multi, &left))) {
            struct fd_kube_req *req = NULL;
            struct owner *own;
            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
            own = req ? req->user : NULL;
            if (!own)
                continue;
            if (own->type == OWNER_INFORMER)
                fd_client_informer_done((struct informer *)own, msg->data.result);
            else if (own->type == OWNER_LIVENESS)
                fd_client_liveness_done(c, msg->data.result);
            else
                finish_pending(c, (struct pending *)own, msg->data.result);
        }
        for (size_t i = 0; i < c->n_inf; i++) {
            if (c->inf[i].changed) {
                c->inf[i].changed = false;
                c->dirty = true;
            }
        }
        for (size_t i = 0; i < c->n_finf; i++) {
            if (c->finf[i].changed) {
                c->finf[i].changed = false;
                c->dirty = true;
            }
        }
        if (c->dirty) {
            c->dirty = false;
            pthread_mutex_lock(&c->mu);
            pthread_cond_broadcast(&c->cond);
            pthread_mutex_unlock(&c->mu);
            if (c->on_change)
                c->on_change(c->user);
        }
        curl_multi_poll(c->multi, &wfd, 1, poll_timeout(c), NULL);
        if (wfd.revents)
            creds_done(c);
    }
    /* Shutting down: informers stop, requests end with a clear outcome. */
    fd_client_liveness_clear(c);
    for (size_t i = 0; i < c->n_finf; i++)
        fd_client_informer_cancel(&c->finf[i]);
    for (size_t i = 0; i < c->n_inf; i++) {
        struct informer *inf = &c->inf[i];
        if (inf->req) {
            curl_multi_remove_handle(c->multi, inf->req->easy);
            fd_kube_req_free(inf->req);
            inf->req = NULL;
        }
        pthread_mutex_lock(&c->mu);
        inf->st.conn = FD_CLIENT_CONN_STOPPED;
        pthread_mutex_unlock(&c->mu);
    }
    while (c->running) {
        struct pending *p = c->running;
        curl_off_t sent = 0;
        c->running = p->next;
        curl_multi_remove_handle(c->multi, p->req->easy);
        curl_easy_getinfo(p->req->easy, CURLINFO_REQUEST_SIZE, &sent);
        pending_fail(c, p, FD_UNREACHABLE, "client stopped before the answer came", sent > 0);
    }
    fail_queued(c, FD_UNREACHABLE, "client stopped before the request was sent");
    pthread_mutex_lock(&c->mu);
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

enum fd_status fd_client_start(const struct fd_client_opts *opts, struct fd_client **out,
                               struct fd_kube_error *err)
{
    struct fd_client *c;
    uint32_t kinds = opts->kinds ? opts->kinds : (1u << FD_MODEL_KIND__COUNT) - 1;

    *out = NULL;
    if (!opts->cfg || !opts->store)
        return fd_kube_fail(err, NULL, FD_INVALID, "client: a config and a store are needed");
    fd_json_arena_install(); /* before the thread: list pages parse in arenas */
    c = fd_xcalloc(1, sizeof(*c));
    c->cfg = opts->cfg;
    c->store = opts->store;
    c->ns = opts->ns ? fd_xstrdup(opts->ns) : NULL;
    c->readonly = opts->readonly;
    c->optional = opts->optional_kinds;
    c->on_change = opts->on_change;
    c->user = opts->user;
    c->max_event = opts->max_event_bytes ? opts->max_event_bytes : FD_CLIENT_DEFAULT_MAX_EVENT;
    c->max_list = opts->max_list_bytes ? opts->max_list_bytes : FD_CLIENT_DEFAULT_MAX_LIST;
    c->page_size = opts->page_size ? opts->page_size : FD_CLIENT_DEFAULT_PAGE;
    c->backoff_min = opts->backoff_min_ms ? opts->backoff_min_ms : 500;
    c->backoff_max = opts->backoff_max_ms ? opts->backoff_max_ms : 30000;
    if (c->backoff_max < c->backoff_min)
        c->backoff_max = c->backoff_min;
    c->watch_timeout = opts->watch_timeout_s;
    c->live_interval =
        opts->liveness_interval_ms ? opts->liveness_interval_ms : FD_CLIENT_LIVENESS_INTERVAL_MS;
    c->live_timeout =
        opts->liveness_timeout_ms ? opts->liveness_timeout_ms : FD_CLIENT_LIVENESS_TIMEOUT_MS;
    c->rng = (uint32_t)fd_time_now_ms() ^ (uint32_t)(uintptr_t)c;
    c->tail = &c->queue;
    c->cred_pipe[0] = c->cred_pipe[1] = -1;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cond, NULL);

    c->inf = fd_xcalloc(FD_MODEL_KIND__COUNT, sizeof(*c->inf));
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++) {
        if (!(kinds & (1u << k)))
            continue;
        struct informer *inf = &c->inf[c->n_inf++];
        inf->own.type = OWNER_INFORMER;
        inf->c = c;
        inf->kind = (enum fd_model_kind)k;
        inf->st.kind = inf->kind;
        inf->st.conn = FD_CLIENT_CONN_CONNECTING;
        inf->next_at = 0;
    }
    /* A client of every namespace can list one namespace's long kinds
     * first (fd_client_focus): one focus informer per long kind. */
    c->focus_auto = opts->focus_first_project;
    c->finf = fd_xcalloc(FD_MODEL_KIND__COUNT, sizeof(*c->finf));
    for (size_t i = 0; !c->ns && i < c->n_inf; i++) {
        if (!fd_client_kind_bulk(c->inf[i].kind) || !fd_model_kind_namespaced(c->inf[i].kind))
            continue;
        struct informer *f = &c->finf[c->n_finf++];
        f->own.type = OWNER_INFORMER;
        f->c = c;
        f->kind = c->inf[i].kind;
        f->st.kind = f->kind;
        f->main = &c->inf[i];
        c->inf[i].focus = f;
    }
    if (pipe(c->cred_pipe) != 0) {
        fd_kube_fail(err, NULL, FD_INTERNAL, "client: pipe: %s", strerror(errno));
        goto fail;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(c->cred_pipe[i], F_SETFL, fcntl(c->cred_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(c->cred_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    c->multi = curl_multi_init();
    if (!c->multi) {
        fd_kube_fail(err, NULL, FD_INTERNAL, "client: curl_multi_init failed");
        goto fail;
    }
    /* Every watch is a long transfer: allow one connection each, plus the
     * actions (HTTP/2 multiplexes them when the server offers it). */
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    if (pthread_create(&c->thread, NULL, net_main, c) != 0) {
        fd_kube_fail(err, NULL, FD_INTERNAL, "client: cannot start the network thread");
        goto fail;
    }
    *out = c;
    return FD_OK;
fail:
    if (c->multi)
        curl_multi_cleanup(c->multi);
    for (int i = 0; i < 2; i++)
        if (c->cred_pipe[i] >= 0)
            close(c->cred_pipe[i]);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cond);
    free(c->inf);
    free(c->finf);
    free(c->ns);
    free(c);
    return err->status;
}

void fd_client_free(struct fd_client *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_mutex_unlock(&c->mu);
    curl_multi_wakeup(c->multi);
    pthread_join(c->thread, NULL);
    for (size_t i = 0; i < c->n_inf; i++)
        fd_client_informer_clear(&c->inf[i]);
    for (size_t i = 0; i < c->n_finf; i++)
        fd_client_informer_clear(&c->finf[i]);
    curl_multi_cleanup(c->multi);
    close(c->cred_pipe[0]);
    close(c->cred_pipe[1]);
    fd_client_access_cache_free(c);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cond);
    free(c->inf);
    free(c->finf);
    free(c->focus_want);
    free(c->ns);
    free(c);
}

struct fd_kube_config *fd_client_config(const struct fd_client *c)
{
    return c->cfg;
}

static size_t count_objects(struct fd_client *c, enum fd_model_kind kind)
{
    struct fd_model_snapshot *snap = fd_model_store_snapshot(c->store);
    size_t n = 0, count = 0;
    struct fd_model_object *const *list = fd_model_snapshot_list(snap, kind, &n);

    if (!c->ns || !fd_model_kind_namespaced(kind)) {
        count = n;
    } else {
        for (size_t i = 0; i < n; i++)
            if (fd_streq(list[i]->meta.ns, c->ns))
                count++;
    }
    fd_model_snapshot_release(snap);
    return count;
}

bool fd_client_state(struct fd_client *c, enum fd_model_kind kind,
                     struct fd_client_resource_state *out)
{
    for (size_t i = 0; i < c->n_inf; i++) {
        if (c->inf[i].kind != kind)
            continue;
        pthread_mutex_lock(&c->mu);
        *out = c->inf[i].st;
        pthread_mutex_unlock(&c->mu);
        out->objects = count_objects(c, kind);
        return true;
    }
    return false;
}

static bool is_optional(const struct fd_client *c, size_t i)
{
    return (c->optional >> c->inf[i].kind) & 1u;
}

/* Worse states rank higher. */
static int conn_rank(enum fd_client_conn s)
{
    switch (s) {
    case FD_CLIENT_CONN_LIVE:
        return 0;
    case FD_CLIENT_CONN_CONNECTING:
        return 1;
    case FD_CLIENT_CONN_RECONNECTING:
        return 2;
    case FD_CLIENT_CONN_STALE:
        return 3;
    case FD_CLIENT_CONN_FORBIDDEN:
        return 4;
    default:
        return 5;
    }
}

enum fd_client_conn fd_client_summary(struct fd_client *c, struct fd_client_resource_state *out)
{
    size_t worst = c->n_inf;

    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_inf; i++)
        if (!is_optional(c, i) &&
            (worst == c->n_inf || conn_rank(c->inf[i].st.conn) > conn_rank(c->inf[worst].st.conn)))
            worst = i;
    if (worst < c->n_inf)
        *out = c->inf[worst].st;
    else
        memset(out, 0, sizeof(*out));
    pthread_mutex_unlock(&c->mu);
    return worst < c->n_inf ? out->conn : FD_CLIENT_CONN_LIVE;
}

static bool synced_locked(struct fd_client *c)
{
    for (size_t i = 0; i < c->n_inf; i++)
        if (c->inf[i].st.lists == 0 && !is_optional(c, i))
            return false;
    return true;
}

bool fd_client_kind_synced(struct fd_client *c, enum fd_model_kind kind)
{
    bool ok = true;

    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_inf; i++)
        if (c->inf[i].kind == kind)
            ok = c->inf[i].st.lists > 0;
    pthread_mutex_unlock(&c->mu);
    return ok;
}

bool fd_client_kind_synced_in(struct fd_client *c, enum fd_model_kind kind, const char *ns)
{
    bool ok = true;

    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_inf; i++) {
        const struct informer *inf = &c->inf[i];
        if (inf->kind != kind)
            continue;
        ok = inf->st.lists > 0;
        for (size_t k = 0; !ok && ns && k < inf->n_focus; k++)
            ok = strcmp(inf->focus_ns[k], ns) == 0;
    }
    pthread_mutex_unlock(&c->mu);
    return ok;
}

bool fd_client_synced_in(struct fd_client *c, const char *ns)
{
    bool ok = true;

    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_inf && ok; i++) {
        const struct informer *inf = &c->inf[i];
        if (inf->st.lists > 0 || is_optional(c, i))
            continue;
        ok = false;
        for (size_t k = 0; ns && k < inf->n_focus; k++)
            ok = ok || strcmp(inf->focus_ns[k], ns) == 0;
    }
    pthread_mutex_unlock(&c->mu);
    return ok;
}

void fd_client_focus(struct fd_client *c, const char *ns)
{
    pthread_mutex_lock(&c->mu);
    free(c->focus_want);
    c->focus_want = ns ? fd_xstrdup(ns) : NULL;
    c->focus_asked = true;
    pthread_mutex_unlock(&c->mu);
    curl_multi_wakeup(c->multi);
}

bool fd_client_synced(struct fd_client *c)
{
    pthread_mutex_lock(&c->mu);
    bool ok = synced_locked(c);
    pthread_mutex_unlock(&c->mu);
    return ok;
}

enum fd_status fd_client_wait_synced(struct fd_client *c, int timeout_ms, struct fd_kube_error *err)
{
    int64_t deadline = fd_time_now_ms() + timeout_ms;
    enum fd_status st = FD_OK;

    pthread_mutex_lock(&c->mu);
    while (!synced_locked(c) && !c->stop) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&c->cond, &c->mu);
            continue;
        }
        struct timespec ts = {.tv_sec = (time_t)(deadline / 1000),
                              .tv_nsec = (long)(deadline % 1000) * 1000000};
        if (pthread_cond_timedwait(&c->cond, &c->mu, &ts) == ETIMEDOUT)
            break;
    }
    if (!synced_locked(c)) {
        st = FD_IO;
        snprintf(err->message, sizeof(err->message), "timed out waiting for the first list");
        for (size_t i = 0; i < c->n_inf; i++) {
            if (c->inf[i].st.lists == 0 && c->inf[i].st.last_status != FD_OK &&
                !is_optional(c, i)) {
                st = c->inf[i].st.last_status;
                snprintf(err->message, sizeof(err->message), "%s", c->inf[i].st.last_error);
                break;
            }
        }
        err->status = st;
    }
    pthread_mutex_unlock(&c->mu);
    return st;
}

void fd_client_resync(struct fd_client *c)
{
    pthread_mutex_lock(&c->mu);
    c->resync = true;
    pthread_mutex_unlock(&c->mu);
    curl_multi_wakeup(c->multi);
}

enum fd_status fd_client_submit(struct fd_client *c, const char *method, const char *path,
                                const char *content_type, const char *body, fd_client_done_fn done,
                                void *user, struct fd_kube_error *err)
{
    struct pending *p;

    /* Access reviews are questions, not writes: allowed when read-only. */
    if (c->readonly && strcmp(method, "GET") != 0 && strcmp(path, FD_KUBE_SSAR_PATH) != 0)
        return fd_kube_fail(err, NULL, FD_REFUSED, "read-only mode: %s %s not sent", method, path);
    pthread_mutex_lock(&c->mu);
    bool stopped = c->stop;
    pthread_mutex_unlock(&c->mu);
    if (stopped)
        return fd_kube_fail(err, NULL, FD_UNREACHABLE, "client stopped: %s %s not sent", method,
                            path);
    p = fd_xcalloc(1, sizeof(*p));
    p->own.type = OWNER_PENDING;
    p->method = fd_xstrdup(method);
    p->path = fd_xstrdup(path);
    p->ctype = content_type ? fd_xstrdup(content_type) : NULL;
    p->body = body ? fd_xstrdup(body) : NULL;
    p->done = done;
    p->user = user;
    pthread_mutex_lock(&c->mu);
    *c->tail = p;
    c->tail = &p->next;
    pthread_mutex_unlock(&c->mu);
    curl_multi_wakeup(c->multi);
    return FD_OK;
}
