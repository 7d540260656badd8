/* client/action_send.c: sending a plan, once, through a client or blocking;
 * the server's refusal verbatim; one audit line per request sent. */
#include "config.h"

#include "freightdeck/client.h"

#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/kube.h"
#include "freightdeck/model.h"

static const char *const outcome_names[] = {
#define FD_CLIENT_OUTCOME_ROW(id, text) text,
    FD_CLIENT_OUTCOME_TABLE(FD_CLIENT_OUTCOME_ROW)
#undef FD_CLIENT_OUTCOME_ROW
};

const char *fd_client_outcome_name(enum fd_client_outcome o)
{
    return (unsigned)o < FD_ARRAY_SIZE(outcome_names) ? outcome_names[o] : "unknown";
}

static const char *const resolution_names[] = {
#define FD_CLIENT_RESOLUTION_ROW(id, text) text,
    FD_CLIENT_RESOLUTION_TABLE(FD_CLIENT_RESOLUTION_ROW)
#undef FD_CLIENT_RESOLUTION_ROW
};

const char *fd_client_resolution_name(enum fd_client_resolution r)
{
    return (unsigned)r < FD_ARRAY_SIZE(resolution_names) ? resolution_names[r] : "";
}

void fd_client_action_result_clear(struct fd_client_action_result *r)
{
    if (!r)
        return;
    free(r->message);
    free(r->created);
    free(r->resolution_text);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

#define UNKNOWN_OUTCOME "outcome unknown — check before retrying"

/* ---- Access reviews --------------------------------------------------------------- */

static struct fd_kube_access_query query_of(const struct fd_model_access_need *n)
{
    return (struct fd_kube_access_query){n->verb,        n->group, n->resource,
                                         n->subresource, n->ns,    n->name};
}

static void set_need(struct fd_model_access_need *n, enum fd_kube_access a, const char *reason)
{
    n->outcome = a == FD_KUBE_ACCESS_ALLOWED  ? FD_MODEL_CHECK_PASS
                 : a == FD_KUBE_ACCESS_DENIED ? FD_MODEL_CHECK_FAIL
                                              : FD_MODEL_CHECK_UNKNOWN;
    free(n->detail);
    n->detail = fd_xstrdup(reason ? reason : "");
}

enum fd_status fd_client_action_review(struct fd_kube_config *cfg, struct fd_model_action_plan *p,
                                       char **err)
{
    enum fd_status st = FD_OK;

    *err = NULL;
    for (size_t i = 0; i < p->n_access; i++) {
        struct fd_kube_access_query q = query_of(&p->access[i]);
        struct fd_kube_error e = {0};
        char reason[256];
        enum fd_kube_access a = fd_kube_access_review(cfg, &q, reason, sizeof(reason), &e);
        set_need(&p->access[i], a, a == FD_KUBE_ACCESS_UNKNOWN ? e.message : reason);
        if (a == FD_KUBE_ACCESS_UNKNOWN && st == FD_OK) {
            st = e.status ? e.status : FD_IO;
            *err = fd_xstrdup(e.message);
        }
    }
    return st;
}

bool fd_client_action_review_cached(struct fd_client *c, struct fd_model_action_plan *p)
{
    bool all = true;

    for (size_t i = 0; i < p->n_access; i++) {
        struct fd_kube_access_query q = query_of(&p->access[i]);
        char reason[256];
        enum fd_kube_access a = fd_client_access(c, &q, reason, sizeof(reason));
        set_need(&p->access[i], a,
                 a == FD_KUBE_ACCESS_UNKNOWN && !*reason ? "asking the server" : reason);
        all = all && a != FD_KUBE_ACCESS_UNKNOWN;
    }
    return all;
}

/* ---- Judging one answer ------------------------------------------------------------ */

/* The body of a request as sent now: the plan's, with the time of sending
 * in it (fd_model_action_stamp); remembered in res. The caller frees it. */
static char *body_at(const char *body, time_t now, struct fd_client_action_result *res)
{
    char *sent = fd_model_action_stamp(body, (int64_t)now);

    free(res->body);
    res->body = sent ? fd_xstrdup(sent) : NULL;
    res->sent_at = (int64_t)now;
    return sent;
}

static void audit(struct fd_kube_config *cfg, const struct fd_model_action_plan *p,
                  const char *method, const char *path, const char *body,
                  const struct fd_client_action_result *res)
{
    if (fd_client_audit_append(cfg->user_name, cfg->context, fd_model_action_name(p->kind),
                               p->target, method, path, body, res->http_status,
                               fd_client_outcome_name(res->outcome), res->message) != FD_OK)
        fd_log(FD_LOG_ERROR, "cannot write the audit log %s", "(see above)");
}

/* Fills res from one finished request. Every action request is a write: an
 * answer lost after the request may have reached the server (a timeout, a
 * dropped connection, a 5xx from a proxy or a webhook) is an unknown
 * outcome, never "failed", whatever the action. */
static void judge(const struct fd_model_action_plan *p, enum fd_status st,
                  const struct fd_kube_response *resp, const char *errmsg, bool maybe_applied,
                  struct fd_client_action_result *res)
{
    free(res->message);
    res->message = NULL;
    res->status = st;
    res->http_status = resp->status;
    if (st == FD_OK) {
        res->outcome = FD_CLIENT_OUTCOME_OK;
        if (p->kind == FD_MODEL_ACTION_PROMOTE && resp->body) {
            json_t *o = fd_json_load_outside(resp->body, resp->body_len, 0, NULL);
            const char *name =
                json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
            free(res->created);
            res->created = name ? fd_term_safe(name) : NULL;
            json_decref(o);
        }
        res->message = fd_xstrdup(res->created ? res->created : "done");
        return;
    }
    if (resp->status == 0) {
        if (maybe_applied) {
            res->outcome = FD_CLIENT_OUTCOME_UNKNOWN;
            res->status = FD_OUTCOME_UNKNOWN;
            res->message = fd_xasprintf("%s (%s)", UNKNOWN_OUTCOME, errmsg);
        } else {
            res->outcome = FD_CLIENT_OUTCOME_FAILED;
            res->message = fd_xstrdup(errmsg);
        }
        return;
    }
    /* The server's own words, verbatim (made terminal-safe). */
    res->message = fd_kube_status_message(resp->body, resp->body_len);
    if (!res->message)
        res->message = fd_xstrdup(errmsg);
    res->outcome = FD_CLIENT_OUTCOME_REFUSED;
    if (resp->status >= 500) {
        /* A 5xx may come after the object was stored (a webhook timing
         * out, a proxy's 502/504 after forwarding): do not claim it failed. */
        res->outcome = FD_CLIENT_OUTCOME_UNKNOWN;
        res->status = FD_OUTCOME_UNKNOWN;
        char *m = fd_xasprintf("%s (HTTP %ld: %s)", UNKNOWN_OUTCOME, resp->status, res->message);
        free(res->message);
        res->message = m;
    }
}

static void refuse_before(const struct fd_model_action_plan *p, const char *why,
                          struct fd_client_action_result *res)
{
    (void)p;
    res->outcome = FD_CLIENT_OUTCOME_REFUSED;
    res->status = FD_REFUSED;
    res->message = fd_xstrdup(why);
}

/* Refuses the plan before anything is sent when it is blocked, empty, or
 * when the audit log cannot be written (an action must never go
 * unrecorded). Returns true when refused (res filled). */
static bool refused_before(const struct fd_model_action_plan *p,
                           struct fd_client_action_result *res)
{
    const char *why;
    char *aerr = NULL;

    if (fd_model_action_blocked(p, &why)) {
        refuse_before(p, why, res);
        return true;
    }
    if (p->n_requests == 0) {
        refuse_before(p, "nothing to send", res);
        return true;
    }
    if (fd_client_audit_check(&aerr) != FD_OK) {
        char *m = fd_xasprintf("%s; nothing was sent (every action is recorded there first)", aerr);
        refuse_before(p, m, res);
        free(m);
        free(aerr);
        return true;
    }
    return false;
}

/* ---- Resolving an unknown outcome ----------------------------------------------------
 * After an unknown outcome the object is read again: a merge patch was
 * applied when every value it sets is in the object (the patches set
 * timestamps and annotations unique to this request); a Promotion was
 * created when one for the same Stage and Freight was created since the
 * request started. */

/* Whether obj holds what merge patch says (RFC 7386: null removes). */
static bool patch_contained(json_t *patch, json_t *obj)
{
    const char *key;
    json_t *pv;

    if (!json_is_object(patch))
        return json_equal(patch, obj);
    if (!json_is_object(obj))
        return false;
    json_object_foreach(patch, key, pv)
    {
        json_t *ov = json_object_get(obj, key);
        if (json_is_null(pv)) {
            if (ov && !json_is_null(ov))
                return false;
        } else if (!ov || !patch_contained(pv, ov)) {
            return false;
        }
    }
    return true;
}

static bool parse_time(const char *s, time_t *out)
{
    struct tm tm = {0};
    const char *end;

    if (!s || !(end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
        return false;
    *out = timegm(&tm);
    return true;
}

/* The path to read to resolve request r (sent to path): the object itself. */
static char *resolve_path(const struct fd_model_action_plan *p, const char *method,
                          const char *path)
{
    size_t n = strlen(path);

    if (strcmp(method, "POST") == 0 && p->kind == FD_MODEL_ACTION_PROMOTE)
        return fd_xstrdup(path); /* the Promotions of the project */
    if (n > 7 && strcmp(path + n - 7, "/status") == 0)
        return fd_xstrndup(path, n - 7); /* the object, status included */
    return fd_xstrdup(path);
}

/* Judges a read made to resolve res (resolution and its text set). */
static void resolve_from(const struct fd_model_action_plan *p, const char *method, const char *body,
                         time_t started, enum fd_status st, const struct fd_kube_response *resp,
                         const char *errmsg, struct fd_client_action_result *res)
{
    json_t *obj = NULL, *patch = NULL;

    free(res->resolution_text);
    res->resolution_text = NULL;
    if (st != FD_OK) {
        res->resolution = FD_CLIENT_RESOLUTION_UNRESOLVED;
        res->resolution_text = fd_xasprintf("cannot read it back: %s", errmsg);
        return;
    }
    obj = fd_json_load_outside(resp->body, resp->body_len, 0, NULL);
    if (strcmp(method, "POST") == 0 && p->kind == FD_MODEL_ACTION_PROMOTE) {
        json_t *items = json_object_get(obj, "items"), *it;
        size_t i;
        const char *found = NULL;
        if (!json_is_array(items)) {
            res->resolution = FD_CLIENT_RESOLUTION_UNRESOLVED;
            res->resolution_text = fd_xstrdup("cannot read it back: malformed Promotion list");
            json_decref(obj);
            return;
        }
        json_array_foreach(items, i, it)
        {
            json_t *spec = json_object_get(it, "spec");
            time_t created;
            if (!fd_streq(json_string_value(json_object_get(spec, "stage")), p->stage) ||
                !fd_streq(json_string_value(json_object_get(spec, "freight")), p->name))
                continue;
            /* Second resolution on both sides: one second of slack. */
            if (parse_time(json_string_value(json_object_get(json_object_get(it, "metadata"),
                                                             "creationTimestamp")),
                           &created) &&
                created >= started - 1)
                found = json_string_value(json_object_get(json_object_get(it, "metadata"), "name"));
        }
        res->resolution = found ? FD_CLIENT_RESOLUTION_APPLIED : FD_CLIENT_RESOLUTION_NOT_APPLIED;
        res->resolution_text = found ? fd_xasprintf("applied: Promotion %s exists", found)
                                     : fd_xstrdup("not applied: no Promotion was created for it");
        if (found && !res->created)
            res->created = fd_term_safe(found);
        json_decref(obj);
        return;
    }
    patch = body ? json_loads(body, 0, NULL) : NULL;
    if (!json_is_object(obj) || !patch) {
        res->resolution = FD_CLIENT_RESOLUTION_UNRESOLVED;
        res->resolution_text = fd_xstrdup("cannot read it back: malformed answer");
    } else if (patch_contained(patch, obj)) {
        res->resolution = FD_CLIENT_RESOLUTION_APPLIED;
        res->resolution_text = fd_xstrdup("applied: the object holds the change");
    } else {
        res->resolution = FD_CLIENT_RESOLUTION_NOT_APPLIED;
        res->resolution_text = fd_xstrdup("not applied: the object does not hold the change");
    }
    json_decref(patch);
    json_decref(obj);
}

static void audit_resolution(struct fd_kube_config *cfg, const struct fd_model_action_plan *p,
                             const char *path, long http_status,
                             const struct fd_client_action_result *res)
{
    if (fd_client_audit_append(cfg->user_name, cfg->context, fd_model_action_name(p->kind),
                               p->target, "GET", path, NULL, http_status,
                               fd_client_resolution_name(res->resolution),
                               res->resolution_text) != FD_OK)
        fd_log(FD_LOG_ERROR, "cannot write the audit log %s", "(see above)");
}

/* ---- Blocking ----------------------------------------------------------------------- */

/* A signal (SIGINT, SIGTERM, SIGHUP) that arrives while a write is on the
 * wire ends the transfer, so that the unknown outcome is audited before the
 * process goes; the signal is raised again afterwards. */
static volatile sig_atomic_t pending_signal;

static void on_signal(int sig)
{
    pending_signal = sig;
}

/* fd_kube_perform's stop: a caught signal ends the transfer. */
static int stop_on_signal(void *arg, char *why, size_t size)
{
    (void)arg;
    if (pending_signal && why)
        snprintf(why, size, "interrupted by signal %d", (int)pending_signal);
    return pending_signal ? 1 : 0;
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static void catch_signals(struct sigaction *old)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    pending_signal = 0;
    for (size_t i = 0; i < FD_ARRAY_SIZE(caught); i++)
        sigaction(caught[i], &sa, &old[i]);
}

static void release_signals(const struct sigaction *old)
{
    int sig = pending_signal;

    for (size_t i = 0; i < FD_ARRAY_SIZE(caught); i++)
        sigaction(caught[i], &old[i], NULL);
    if (sig)
        raise(sig);
}

/* One request, performed once (a 401 from a credential that can be
 * refreshed is tried again: the server did not process it); a caught signal
 * stops it. */
static enum fd_status perform(struct fd_kube_config *cfg, const char *method, const char *path,
                              const char *ctype, const char *body, long timeout_s,
                              struct fd_kube_response *resp, struct fd_kube_error *err,
                              bool *maybe_applied)
{
    struct fd_kube_perform how = {.timeout_s = timeout_s, .stop = stop_on_signal};
    enum fd_status st = fd_kube_request_with(cfg, method, path, ctype, body, &how, resp, err);

    *maybe_applied = how.maybe_applied;
    return st;
}

/* Reads the object back after an unknown outcome (blocking, short). */
static void resolve_blocking(struct fd_kube_config *cfg, const struct fd_model_action_plan *p,
                             const char *method, const char *path, const char *body, time_t started,
                             struct fd_client_action_result *res)
{
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    bool maybe;
    char *rpath = resolve_path(p, method, path);
    enum fd_status st;

    if (pending_signal) {
        res->resolution = FD_CLIENT_RESOLUTION_UNRESOLVED;
        res->resolution_text = fd_xstrdup("not read back: interrupted");
    } else {
        st = perform(cfg, "GET", rpath, NULL, NULL, 15L, &resp, &err, &maybe);
        resolve_from(p, method, body, started, st, &resp, err.message, res);
        audit_resolution(cfg, p, rpath, resp.status, res);
        fd_kube_response_free(&resp);
    }
    free(rpath);
}

enum fd_status fd_client_action_send_blocking(struct fd_kube_config *cfg,
                                              const struct fd_model_action_plan *p,
                                              struct fd_client_action_result *res)
{
    struct sigaction old[FD_ARRAY_SIZE(caught)];

    memset(res, 0, sizeof(*res));
    if (refused_before(p, res))
        return res->status;
    catch_signals(old);
    for (size_t i = 0; i < p->n_requests && !pending_signal; i++) {
        const struct fd_model_action_request *r = &p->requests[i];
        struct fd_kube_response resp;
        struct fd_kube_error err = {0};
        bool maybe;
        const char *path = r->path;
        time_t started = time(NULL);
        char *body = body_at(r->body, started, res);
        enum fd_status st =
            perform(cfg, r->method, path, r->content_type, body, 120L, &resp, &err, &maybe);
        res->sent++;
        judge(p, st, &resp, err.message, maybe, res);
        audit(cfg, p, r->method, path, body, res);
        if (resp.status == 404 && r->fallback_path && !pending_signal) {
            fd_kube_response_free(&resp);
            path = r->fallback_path;
            free(body);
            body = body_at(r->fallback_body, time(NULL), res);
            st = perform(cfg, r->method, path, r->content_type, body, 120L, &resp, &err, &maybe);
            res->sent++;
            judge(p, st, &resp, err.message, maybe, res);
            audit(cfg, p, r->method, path, body, res);
        }
        fd_kube_response_free(&resp);
        if (res->outcome == FD_CLIENT_OUTCOME_UNKNOWN)
            resolve_blocking(cfg, p, r->method, path, body, started, res);
        free(body);
        if (res->outcome != FD_CLIENT_OUTCOME_OK)
            break;
    }
    release_signals(old);
    return res->status;
}

/* ---- Through the client --------------------------------------------------------------- */

struct sending {
    struct fd_client *c;
    struct fd_model_action_plan *p;
    size_t next;
    bool fallback;
    time_t started;
    char *body;      /* the request's body as sent (the time of sending in it) */
    char *resolving; /* the path being read back */
    struct fd_client_action_result res;
    fd_client_action_done_fn done;
    void *user;
};

static void sending_end(struct sending *s)
{
    s->done(s->user, s->p, &s->res);
    fd_client_action_result_clear(&s->res);
    fd_model_action_plan_free(s->p);
    free(s->body);
    free(s->resolving);
    free(s);
}

static void step(struct sending *s);

static void on_resolved(void *user, enum fd_status st, const struct fd_kube_response *resp,
                        const struct fd_kube_error *err, bool maybe_applied)
{
    struct sending *s = user;
    const struct fd_model_action_request *r = &s->p->requests[s->next];

    (void)maybe_applied;
    resolve_from(s->p, r->method, s->body, s->started, st, resp, err->message, &s->res);
    audit_resolution(fd_client_config(s->c), s->p, s->resolving, resp->status, &s->res);
    sending_end(s);
}

/* Reads the object back through the client; ends the sending. */
static void resolve_async(struct sending *s)
{
    const struct fd_model_action_request *r = &s->p->requests[s->next];
    struct fd_kube_error err = {0};

    s->resolving = resolve_path(s->p, r->method, s->fallback ? r->fallback_path : r->path);
    if (fd_client_submit(s->c, "GET", s->resolving, NULL, NULL, on_resolved, s, &err) != FD_OK) {
        s->res.resolution = FD_CLIENT_RESOLUTION_UNRESOLVED;
        free(s->res.resolution_text);
        s->res.resolution_text = fd_xasprintf("not read back: %s", err.message);
        audit_resolution(fd_client_config(s->c), s->p, s->resolving, 0, &s->res);
        sending_end(s);
    }
}

static void on_answer(void *user, enum fd_status st, const struct fd_kube_response *resp,
                      const struct fd_kube_error *err, bool maybe_applied)
{
    struct sending *s = user;
    const struct fd_model_action_request *r = &s->p->requests[s->next];

    s->res.sent++;
    judge(s->p, st, resp, err->message, maybe_applied, &s->res);
    audit(fd_client_config(s->c), s->p, r->method, s->fallback ? r->fallback_path : r->path,
          s->body, &s->res);
    if (resp->status == 404 && r->fallback_path && !s->fallback) {
        s->fallback = true;
        step(s);
        return;
    }
    if (s->res.outcome == FD_CLIENT_OUTCOME_UNKNOWN) {
        resolve_async(s);
        return;
    }
    if (s->res.outcome != FD_CLIENT_OUTCOME_OK) {
        sending_end(s);
        return;
    }
    s->next++;
    s->fallback = false;
    if (s->next == s->p->n_requests)
        sending_end(s);
    else
        step(s);
}

static void step(struct sending *s)
{
    const struct fd_model_action_request *r = &s->p->requests[s->next];
    struct fd_kube_error err = {0};

    s->started = time(NULL);
    free(s->body);
    s->body = body_at(s->fallback ? r->fallback_body : r->body, s->started, &s->res);
    if (fd_client_submit(s->c, r->method, s->fallback ? r->fallback_path : r->path, r->content_type,
                         s->body, on_answer, s, &err) != FD_OK) {
        free(s->res.body); /* not sent */
        s->res.body = NULL;
        s->res.sent_at = 0;
        free(s->res.message);
        s->res.message = fd_xstrdup(err.message);
        s->res.status = err.status;
        s->res.outcome =
            err.status == FD_REFUSED ? FD_CLIENT_OUTCOME_REFUSED : FD_CLIENT_OUTCOME_FAILED;
        sending_end(s);
    }
}

enum fd_status fd_client_action_send(struct fd_client *c, struct fd_model_action_plan *p,
                                     fd_client_action_done_fn done, void *user)
{
    struct sending *s = fd_xcalloc(1, sizeof(*s));

    s->c = c;
    s->p = p;
    s->done = done;
    s->user = user;
    if (refused_before(p, &s->res))
        sending_end(s);
    else
        step(s);
    return FD_OK;
}
