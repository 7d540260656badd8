/* client/informer.c: list (paginated) then watch one kind, with bookmarks,
 * relists on 410, back-off with jitter, and bounded memory. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void focus_note_rv(struct informer *inf, const char *rv);

/* Sets the informer's public state (under the lock). */
static void set_conn(struct informer *inf, enum fd_client_conn conn)
{
    struct fd_client *c = inf->c;
    int64_t now = fd_time_now_ms() / 1000;

    pthread_mutex_lock(&c->mu);
    if (conn == FD_CLIENT_CONN_LIVE) {
        c->live.alive_at = now;
        if (inf->st.conn != FD_CLIENT_CONN_LIVE)
            inf->st.live_since = now;
        inf->st.stale_since = 0;
        inf->st.attempt = 0;
        inf->st.next_attempt_ms = 0;
    } else if (conn == FD_CLIENT_CONN_STALE || conn == FD_CLIENT_CONN_FORBIDDEN) {
        /* Data listed once stays on screen, marked stale since the loss. */
        if (inf->st.stale_since == 0 && inf->st.lists > 0)
            inf->st.stale_since = now;
    }
    inf->st.conn = conn;
    fd_client_touch(c);
    pthread_mutex_unlock(&c->mu);
}

static void drop_list(struct informer *inf)
{
    for (size_t i = 0; i < inf->n_objs; i++)
        fd_model_object_unref(inf->objs[i]);
    inf->n_objs = 0;
    free(inf->cont);
    inf->cont = NULL;
}

void fd_client_informer_clear(struct informer *inf)
{
    for (size_t i = 0; i < inf->n_focus; i++) {
        free(inf->focus_ns[i]);
        free(inf->focus_rv[i]);
    }
    free(inf->focus_ns);
    free(inf->focus_rv);
    inf->focus_ns = inf->focus_rv = NULL;
    inf->n_focus = 0;
    free(inf->ns);
    inf->ns = NULL;
    drop_list(inf);
    free(inf->objs);
    inf->objs = NULL;
    inf->cap_objs = 0;
    free(inf->rv);
    inf->rv = NULL;
    fd_buf_free(&inf->line);
    free(inf->stream_err);
    inf->stream_err = NULL;
    fd_kube_req_free(inf->req);
    inf->req = NULL;
}

/* xorshift32: jitter needs no quality, only spread. */
static uint32_t rnd(struct fd_client *c)
{
    uint32_t x = c->rng ? c->rng : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return c->rng = x;
}

void fd_client_informer_cancel(struct informer *inf)
{
    if (inf->req) {
        curl_multi_remove_handle(inf->c->multi, inf->req->easy);
        fd_kube_req_free(inf->req);
        inf->req = NULL;
    }
    drop_list(inf);
    fd_buf_free(&inf->line);
    inf->phase = PH_IDLE;
}

void fd_client_informer_fail(struct informer *inf, enum fd_status st, const char *msg)
{
    struct fd_client *c = inf->c;
    unsigned attempt;
    int64_t delay;
    bool forbidden = st == FD_REFUSED;

    if (inf->main) {
        /* A focus list or watch is a head start, not a duty: the list of
         * every namespace covers its namespace too, so it is not retried
         * (what it stored stays, as of the version it noted). */
        fd_client_informer_cancel(inf);
        free(inf->rv);
        inf->rv = NULL;
        inf->focus_state = FOCUS_FAILED;
        fd_log(FD_LOG_INFO,
               "%s: %s list of namespace %s first: %s (the list of every namespace follows)",
               c->cfg->context ? c->cfg->context : "", fd_model_kind_name(inf->kind), inf->ns,
               msg ? msg : fd_status_message(st));
        return;
    }
    if (inf->req) {
        curl_multi_remove_handle(c->multi, inf->req->easy);
        fd_kube_req_free(inf->req);
        inf->req = NULL;
    }
    drop_list(inf);
    fd_buf_free(&inf->line);
    inf->phase = PH_IDLE;
    /* After a failure the next connection lists again: events may have been
     * missed, and a restarted server may number versions afresh. */
    free(inf->rv);
    inf->rv = NULL;
    pthread_mutex_lock(&c->mu);
    attempt = ++inf->st.attempt;
    pthread_mutex_unlock(&c->mu);
    /* A list that works resets attempt; a watch that keeps failing after
     * it must still back off, or list+watch loops as fast as the server
     * answers. */
    if (inf->watch_fails > attempt)
        attempt = inf->watch_fails;
    /* A kind listed before and refused now is most often a restarted API
     * server whose RBAC cache is not filled yet (it answers 403 for a few
     * seconds after /readyz): the server is back, so the back-off starts
     * over from the first refusal instead of going on from the outage's
     * attempts, and the console is live again in seconds. A kind never
     * listed and refused is retried slowly (30 s). */
    if (forbidden && inf->st.lists > 0)
        attempt = ++inf->forbid_fails;
    delay = c->backoff_min;
    for (unsigned i = 1; i < attempt && delay < c->backoff_max; i++)
        delay *= 2;
    if (delay > c->backoff_max)
        delay = c->backoff_max;
    if (forbidden && inf->st.lists == 0 && delay < 30000 && c->backoff_max >= 30000)
        delay = 30000;
    /* +-25 % so that many informers (and many consoles) do not reconnect
     * in step after an outage. */
    delay += (int64_t)(rnd(c) % (uint32_t)(delay / 2 + 1)) - delay / 4;
    inf->next_at = fd_time_mono_ms() + delay;
    pthread_mutex_lock(&c->mu);
    inf->st.last_status = st;
    snprintf(inf->st.last_error, sizeof(inf->st.last_error), "%s %s", fd_model_kind_name(inf->kind),
             msg ? msg : fd_status_message(st));
    fd_kube_redact(inf->st.last_error, sizeof(inf->st.last_error), c->cfg);
    inf->st.next_attempt_ms = fd_time_now_ms() + delay;
    pthread_mutex_unlock(&c->mu);
    fd_log(FD_LOG_WARN, "%s: %s (retry in %lld ms)", c->cfg->context ? c->cfg->context : "",
           inf->st.last_error, (long long)delay);
    set_conn(inf, forbidden ? FD_CLIENT_CONN_FORBIDDEN : FD_CLIENT_CONN_STALE);
}

/* ---- Receiving -------------------------------------------------------------- */

static size_t on_list_data(char *data, size_t size, size_t n, void *arg)
{
    struct informer *inf = arg;
    size_t len = size * n;

    if (inf->req->response.len + len > inf->c->max_list) {
        inf->stream_st = FD_LIMIT;
        free(inf->stream_err);
        inf->stream_err =
            fd_xasprintf("list page larger than %zu bytes: refused", inf->c->max_list);
        return 0;
    }
    fd_buf_append(&inf->req->response, data, len);
    return len;
}

static void set_rv(struct informer *inf, const char *rv)
{
    if (!rv || !*rv)
        return;
    free(inf->rv);
    inf->rv = fd_xstrdup(rv);
    pthread_mutex_lock(&inf->c->mu);
    snprintf(inf->st.resource_version, sizeof(inf->st.resource_version), "%s", rv);
    pthread_mutex_unlock(&inf->c->mu);
}

static void stream_error(struct informer *inf, enum fd_status st, char *msg)
{
    inf->stream_st = st;
    free(inf->stream_err);
    inf->stream_err = msg;
}

/* One line of a watch stream. Returns false to cut the stream. */
static bool on_event(struct informer *inf, const char *text, size_t len)
{
    struct fd_client *c = inf->c;
    json_error_t jerr;
    json_t *ev;
    const char *type;
    enum fd_model_apply_result res;
    char *err = NULL;

    while (len && (text[len - 1] == '\r' || text[len - 1] == ' '))
        len--;
    if (len == 0)
        return true;
    ev = fd_json_load_outside(text, len, 0, &jerr);
    if (!json_is_object(ev)) {
        stream_error(
            inf, FD_PARSE,
            fd_xasprintf("watch: malformed event (%s at byte %d)", jerr.text, jerr.position));
        json_decref(ev);
        return false;
    }
    type = json_string_value(json_object_get(ev, "type"));
    if (type && strcmp(type, "ERROR") == 0) {
        const json_t *obj = json_object_get(ev, "object");
        json_int_t code = json_integer_value(json_object_get(obj, "code"));
        const char *m = json_string_value(json_object_get(obj, "message"));
        if (code == 410) {
            inf->gone = true;
        } else {
            stream_error(inf, code == 401 || code == 403 ? FD_REFUSED : FD_IO,
                         fd_xasprintf("watch: server error %lld: %s", (long long)code,
                                      m ? m : "(no message)"));
        }
        json_decref(ev);
        return false;
    }
    if (inf->main) {
        /* A focus watch whose kind's list of every namespace is in stops
         * here (focus_round cuts it next): that list and its watch hold its
         * namespace now, and an older event of this one could bring back
         * what they no longer have. */
        pthread_mutex_lock(&c->mu);
        bool late = inf->main->st.lists > 0;
        pthread_mutex_unlock(&c->mu);
        if (late) {
            json_decref(ev);
            return true;
        }
    }
    if (fd_model_store_apply_event_json(c->store, ev, inf->kind, &res, &err) != FD_OK) {
        stream_error(inf, FD_PARSE, fd_xasprintf("watch: %s", err ? err : "bad event"));
        free(err);
        json_decref(ev);
        return false;
    }
    const char *ev_rv = json_string_value(json_object_get(
        json_object_get(json_object_get(ev, "object"), "metadata"), "resourceVersion"));
    set_rv(inf, ev_rv);
    if (inf->main && ev_rv && *ev_rv)
        focus_note_rv(inf, ev_rv);
    inf->watch_seen = true;
    inf->watch_fails = 0;
    pthread_mutex_lock(&c->mu);
    c->live.alive_at = fd_time_now_ms() / 1000;
    if (res == FD_MODEL_APPLY_BOOKMARK)
        inf->st.bookmarks++;
    else
        inf->st.events++;
    pthread_mutex_unlock(&c->mu);
    if (res != FD_MODEL_APPLY_BOOKMARK && res != FD_MODEL_APPLY_UNCHANGED &&
        res != FD_MODEL_APPLY_STALE)
        inf->changed = true;
    json_decref(ev);
    return true;
}

/* Watch bytes: complete lines are events; a partial one waits, up to the
 * event size cap. */
static size_t on_watch_data(char *data, size_t size, size_t n, void *arg)
{
    struct informer *inf = arg;
    size_t len = size * n, start = 0;

    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n')
            continue;
        bool ok;
        if (inf->line.len) {
            fd_buf_append(&inf->line, data + start, i - start);
            ok = on_event(inf, inf->line.data, inf->line.len);
            fd_buf_reset(&inf->line);
        } else {
            ok = on_event(inf, data + start, i - start);
        }
        start = i + 1;
        if (!ok)
            return 0;
    }
    if (inf->line.len + (len - start) > inf->c->max_event) {
        stream_error(
            inf, FD_LIMIT,
            fd_xasprintf("watch: an event larger than %zu bytes: refused", inf->c->max_event));
        return 0;
    }
    fd_buf_append(&inf->line, data + start, len - start);
    return len;
}

/* ---- Starting ---------------------------------------------------------------- */

void fd_client_informer_start(struct informer *inf)
{
    struct fd_client *c = inf->c;
    struct fd_kube_error err = {0};
    char *base = fd_client_kind_path(inf->kind, inf->ns ? inf->ns : c->ns), *path;
    bool watch = inf->rv && !inf->relist_now;

    if (watch) {
        unsigned t = c->watch_timeout ? c->watch_timeout : 290 + rnd(c) % 21;
        char *rv = curl_easy_escape(NULL, inf->rv, 0);
        path = fd_xasprintf("%s?watch=1&allowWatchBookmarks=true&resourceVersion=%s"
                            "&timeoutSeconds=%u",
                            base, rv, t);
        curl_free(rv);
    } else if (inf->cont) {
        char *cont = curl_easy_escape(NULL, inf->cont, 0);
        path = fd_xasprintf("%s?limit=%u&continue=%s", base, c->page_size, cont);
        curl_free(cont);
    } else {
        inf->relist_now = false;
        drop_list(inf);
        free(inf->rv);
        inf->rv = NULL;
        path = fd_xasprintf("%s?limit=%u", base, c->page_size);
    }
    free(base);
    inf->req = fd_kube_req_new(c->cfg, "GET", path, NULL, NULL, &err);
    free(path);
    if (!inf->req) {
        fd_client_informer_fail(inf, err.status, err.message);
        return;
    }
    inf->req->user = &inf->own;
    fd_client_liveness_tune(inf->req->easy);
    inf->stream_st = FD_OK;
    inf->gone = false;
    fd_buf_reset(&inf->line);
    if (watch) {
        unsigned t = c->watch_timeout ? c->watch_timeout : 310;
        inf->phase = PH_WATCH;
        inf->watch_started = fd_time_mono_ms();
        inf->watch_seen = false;
        curl_easy_setopt(inf->req->easy, CURLOPT_WRITEFUNCTION, on_watch_data);
        curl_easy_setopt(inf->req->easy, CURLOPT_WRITEDATA, inf);
        /* A watch may be quiet for minutes: no idle cut-off, but a bound
         * past the server's own timeout in case it ignores it. */
        curl_easy_setopt(inf->req->easy, CURLOPT_LOW_SPEED_TIME, 0L);
        curl_easy_setopt(inf->req->easy, CURLOPT_TIMEOUT, (long)t + 60);
    } else {
        inf->phase = PH_LIST;
        curl_easy_setopt(inf->req->easy, CURLOPT_WRITEFUNCTION, on_list_data);
        curl_easy_setopt(inf->req->easy, CURLOPT_WRITEDATA, inf);
        pthread_mutex_lock(&c->mu);
        bool first = inf->st.lists == 0 && inf->st.attempt == 0;
        pthread_mutex_unlock(&c->mu);
        if (!inf->cont && !inf->main)
            set_conn(inf, first ? FD_CLIENT_CONN_CONNECTING : FD_CLIENT_CONN_RECONNECTING);
    }
    curl_multi_add_handle(c->multi, inf->req->easy);
}

/* ---- Finishing ----------------------------------------------------------------- */

/* Records that the focus informer's namespace holds what the server had at
 * resourceVersion rv (its list, then each event of its watch): the list of
 * every namespace keeps it when rv is newer (list_page). */
static void focus_note_rv(struct informer *inf, const char *rv)
{
    struct informer *m = inf->main;
    size_t i = 0;

    pthread_mutex_lock(&inf->c->mu);
    while (i < m->n_focus && strcmp(m->focus_ns[i], inf->ns) != 0)
        i++;
    if (i == m->n_focus) {
        m->focus_ns = fd_xreallocarray(m->focus_ns, i + 1, sizeof(*m->focus_ns));
        m->focus_rv = fd_xreallocarray(m->focus_rv, i + 1, sizeof(*m->focus_rv));
        m->focus_ns[i] = fd_xstrdup(inf->ns);
        m->focus_rv[i] = NULL;
        m->n_focus++;
    }
    free(m->focus_rv[i]);
    m->focus_rv[i] = fd_xstrdup(rv);
    pthread_mutex_unlock(&inf->c->mu);
}

/* A focus informer's list is complete: its namespace's objects go into the
 * store, unless the list of every namespace came first (it holds them, as
 * new or newer). The namespace then counts as listed
 * (fd_client_kind_synced_in) from the store's next generation on, and is
 * watched from rv until the list of every namespace is in. */
static void focus_listed(struct informer *inf, const char *rv)
{
    struct fd_client *c = inf->c;
    struct informer *m = inf->main;
    bool late;

    pthread_mutex_lock(&c->mu);
    late = m->st.lists > 0;
    pthread_mutex_unlock(&c->mu);
    inf->focus_state = FOCUS_DONE;
    if (late) {
        drop_list(inf);
        return;
    }
    fd_model_store_relist(c->store, inf->kind, inf->ns, inf->objs, inf->n_objs, NULL);
    inf->n_objs = 0; /* the store took them */
    focus_note_rv(inf, rv ? rv : "");
    /* Its watch follows (until the list of every namespace is in). */
    free(inf->rv);
    inf->rv = fd_xstrdup(rv ? rv : "0");
    inf->changed = true;
}

static void list_page(struct informer *inf, const struct fd_kube_response *resp)
{
    struct fd_client *c = inf->c;
    json_error_t jerr;
    struct fd_json_arena arena = FD_JSON_ARENA_INIT;
    /* The page is parsed, decoded and dropped here: in an arena (the
     * decoders copy what they keep). */
    fd_json_arena_enter(&arena);
    json_t *body = fd_json_load_outside(resp->body, resp->body_len, 0, &jerr);
    const json_t *items;
    const json_t *meta = json_object_get(body, "metadata");
    const char *cont = json_string_value(json_object_get(meta, "continue"));
    const char *rv = json_string_value(json_object_get(meta, "resourceVersion"));
    const char *why;

    if (!fd_model_list_items(body, &items, &why)) {
        /* Never an empty list: that would wipe the model under "live". */
        char *m =
            body ? fd_xasprintf("list: malformed answer: %s", why)
                 : fd_xasprintf("list: malformed answer (%s at byte %d)", jerr.text, jerr.position);
        fd_json_arena_leave(&arena);
        fd_client_informer_fail(inf, FD_PARSE, m);
        free(m);
        return;
    }
    free(inf->cont);
    inf->cont = cont && *cont ? fd_xstrdup(cont) : NULL;
    if (inf->cont) {
        /* Ask for the next page before decoding this one, so that the
         * server builds it while we decode (the list is otherwise a chain of
         * round trips, 20 of them for 10,000 Freight at 500 a page). */
        int running;
        /* Other transfers run in there (watch events): not in the arena. */
        fd_json_arena_suspend();
        inf->phase = PH_IDLE;
        fd_client_informer_start(inf);
        if (inf->phase != PH_LIST) {
            fd_json_arena_leave(&arena); /* it failed, and dropped the pages so far */
            return;
        }
        curl_multi_perform(c->multi, &running);
        fd_json_arena_enter(&arena);
    }
    if (inf->n_objs + json_array_size(items) > inf->cap_objs) {
        inf->cap_objs = (inf->n_objs + json_array_size(items)) * 2;
        inf->objs = fd_xreallocarray(inf->objs, inf->cap_objs, sizeof(*inf->objs));
    }
    for (size_t i = 0; i < json_array_size(items); i++) {
        char *e = NULL;
        if (fd_model_decode(json_array_get(items, i), inf->kind, &inf->objs[inf->n_objs], &e) ==
            FD_OK)
            inf->n_objs++;
        else
            fd_log(FD_LOG_WARN, "%s list: items[%zu] skipped: %s", fd_model_kind_name(inf->kind), i,
                   e);
        free(e);
    }
    if (!inf->cont && inf->main) {
        focus_listed(inf, rv);
    } else if (!inf->cont) {
        /* Namespaces listed on their own at a newer version than this list
         * keep what they hold (fd_model_store_relist_except); the others,
         * listed before it, are replaced by it. */
        const char **keep = NULL;
        size_t n_keep = 0;
        pthread_mutex_lock(&c->mu);
        for (size_t i = 0; i < inf->n_focus; i++) {
            if (!fd_model_rv_newer(inf->focus_rv[i], rv))
                continue;
            keep = fd_xreallocarray(keep, n_keep + 1, sizeof(*keep));
            keep[n_keep++] = inf->focus_ns[i];
        }
        pthread_mutex_unlock(&c->mu);
        if (n_keep)
            fd_model_store_relist_except(c->store, inf->kind, keep, n_keep, inf->objs, inf->n_objs,
                                         rv);
        else
            fd_model_store_relist(c->store, inf->kind,
                                  fd_model_kind_namespaced(inf->kind) ? c->ns : NULL, inf->objs,
                                  inf->n_objs, rv);
        free(keep);      /* the names stay the informer's */
        inf->n_objs = 0; /* the store took them */
        inf->changed = true;
        /* Every namespace is listed now: the head starts are history. */
        pthread_mutex_lock(&c->mu);
        for (size_t i = 0; i < inf->n_focus; i++) {
            free(inf->focus_ns[i]);
            free(inf->focus_rv[i]);
        }
        inf->n_focus = 0;
        pthread_mutex_unlock(&c->mu);
        set_rv(inf, rv ? rv : "0");
        pthread_mutex_lock(&c->mu);
        inf->st.lists++;
        inf->forbid_fails = 0;
        inf->st.last_status = FD_OK;
        inf->st.last_error[0] = '\0';
        pthread_mutex_unlock(&c->mu);
        set_conn(inf, FD_CLIENT_CONN_LIVE);
    }
    fd_json_arena_leave(&arena); /* body and every value in it */
    if (!inf->cont) {
        inf->phase = PH_IDLE;
        inf->next_at = 0; /* the watch, at once */
    }
}

void fd_client_informer_done(struct informer *inf, CURLcode code)
{
    struct fd_client *c = inf->c;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    enum fd_status st;
    enum inf_phase phase = inf->phase;

    curl_multi_remove_handle(c->multi, inf->req->easy);
    st = fd_kube_req_finish(inf->req, code, &resp, &err);
    fd_kube_req_free(inf->req);
    inf->req = NULL;
    inf->phase = PH_IDLE;
    /* A watch that ends within a second having delivered nothing did not
     * work, whatever its status: it counts towards the back-off. */
    bool short_watch =
        phase == PH_WATCH && !inf->watch_seen && fd_time_mono_ms() - inf->watch_started < 1000;
    if (phase == PH_WATCH && (short_watch || inf->stream_st != FD_OK || st != FD_OK))
        inf->watch_fails++;
    if (inf->stream_st != FD_OK) {
        /* We cut the transfer: our reason beats curl's "write error". */
        fd_client_informer_fail(inf, inf->stream_st, inf->stream_err);
    } else if (inf->main && (inf->gone || resp.status == 410)) {
        fd_client_informer_fail(inf, FD_IO, "410 Gone");
    } else if (inf->gone || resp.status == 410) {
        /* Too old: list again at once (a new list, any continue dropped). */
        drop_list(inf);
        free(inf->rv);
        inf->rv = NULL;
        inf->next_at = 0;
        if (short_watch && inf->watch_fails > 1) {
            /* 410 at once, again and again: relist, but not in a loop. */
            int64_t delay = c->backoff_min;
            for (unsigned i = 2; i < inf->watch_fails && delay < c->backoff_max; i++)
                delay *= 2;
            inf->next_at = fd_time_mono_ms() + (delay < c->backoff_max ? delay : c->backoff_max);
        }
        set_conn(inf, FD_CLIENT_CONN_RECONNECTING);
    } else if (st != FD_OK) {
        fd_client_informer_fail(inf, st, err.message);
    } else if (phase == PH_LIST) {
        list_page(inf, &resp);
    } else if (short_watch) {
        /* Closed at once with 200 and nothing in it: changes made meanwhile
         * would never show, and an immediate retry is a request storm.
         * Relist after the back-off. */
        fd_client_informer_fail(inf, FD_IO, "watch: the server closed it at once, empty");
    } else {
        /* The server ended the watch (its timeout): resume from the last
         * version seen; a partial last line cannot be an event. */
        fd_buf_reset(&inf->line);
        inf->next_at = 0;
    }
    fd_kube_response_free(&resp);
}
