/* client/action_send.c: sending a plan, once, through a client or blocking;
 * the server's refusal verbatim; one audit line per request sent. */
#include "config.h"

#include "freightdeck/client.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

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

void fd_client_action_result_clear(struct fd_client_action_result *r)
{
    if (!r)
        return;
    free(r->message);
    free(r->created);
    memset(r, 0, sizeof(*r));
}

#define UNKNOWN_OUTCOME "unknown outcome; check before retrying"

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
        set_need(&p->access[i], a, a == FD_KUBE_ACCESS_UNKNOWN && !*reason ? "asking the server"
                                                                            : reason);
        all = all && a != FD_KUBE_ACCESS_UNKNOWN;
    }
    return all;
}

/* ---- Judging one answer ------------------------------------------------------------ */

static void audit(struct fd_kube_config *cfg, const struct fd_model_action_plan *p,
                  const char *method, const char *path, const char *body,
                  const struct fd_client_action_result *res)
{
    if (fd_client_audit_append(cfg->user_name, cfg->context, fd_model_action_name(p->kind),
                               p->target, method, path, body, res->http_status,
                             fd_client_outcome_name(res->outcome), res->message) != FD_OK)
        fd_log(FD_LOG_ERROR, "cannot write the audit log %s", "(see above)");
}

/* Fills res from one finished request. */
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
            json_t *o = json_loadb(resp->body, resp->body_len, 0, NULL);
            const char *name =
                json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
            free(res->created);
            res->created = name ? fd_xstrdup(name) : NULL;
            json_decref(o);
        }
        res->message = fd_xstrdup(res->created ? res->created : "done");
        return;
    }
    if (resp->status == 0) {
        if (maybe_applied && !fd_model_action_idempotent(p->kind)) {
            res->outcome = FD_CLIENT_OUTCOME_UNKNOWN;
            res->message = fd_xasprintf("%s (%s)", UNKNOWN_OUTCOME, errmsg);
        } else {
            res->outcome = FD_CLIENT_OUTCOME_FAILED;
            res->message = fd_xstrdup(errmsg);
        }
        return;
    }
    /* The server's own words, verbatim. */
    res->message = fd_kube_status_message(resp->body, resp->body_len);
    if (!res->message)
        res->message = fd_xstrdup(errmsg);
    res->outcome = resp->status >= 500 ? FD_CLIENT_OUTCOME_FAILED : FD_CLIENT_OUTCOME_REFUSED;
    if (resp->status >= 500 && !fd_model_action_idempotent(p->kind)) {
        /* A 5xx may come after the object was stored (a timeout in a
         * webhook, a proxy): do not claim it failed. */
        res->outcome = FD_CLIENT_OUTCOME_UNKNOWN;
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

/* ---- Blocking ----------------------------------------------------------------------- */

/* One request, performed once (a 401 from a credential that can be
 * refreshed is tried again: the server did not process it). */
static enum fd_status perform(struct fd_kube_config *cfg, const char *method, const char *path,
                              const char *ctype, const char *body, struct fd_kube_response *resp,
                              struct fd_kube_error *err, bool *maybe_applied)
{
    enum fd_status st = FD_INTERNAL;

    memset(resp, 0, sizeof(*resp));
    *maybe_applied = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct fd_kube_req *req = fd_kube_req_new(cfg, method, path, ctype, body, err);
        curl_off_t sent = 0;
        CURLcode code;
        if (!req)
            return err->status;
        curl_easy_setopt(req->easy, CURLOPT_TIMEOUT, 120L);
        code = curl_easy_perform(req->easy);
        curl_easy_getinfo(req->easy, CURLINFO_REQUEST_SIZE, &sent);
        fd_kube_response_free(resp);
        st = fd_kube_req_finish(req, code, resp, err);
        fd_kube_req_free(req);
        *maybe_applied = resp->status != 0 || sent > 0;
        if (!(resp->status == 401 && (cfg->exec || cfg->token_file)))
            break;
    }
    return st;
}

enum fd_status fd_client_action_send_blocking(struct fd_kube_config *cfg,
                                              const struct fd_model_action_plan *p,
                                             struct fd_client_action_result *res)
{
    const char *why;

    memset(res, 0, sizeof(*res));
    if (fd_model_action_blocked(p, &why)) {
        refuse_before(p, why, res);
        return res->status;
    }
    if (p->n_requests == 0) {
        refuse_before(p, "nothing to send", res);
        return res->status;
    }
    for (size_t i = 0; i < p->n_requests; i++) {
        const struct fd_model_action_request *r = &p->requests[i];
        struct fd_kube_response resp;
        struct fd_kube_error err = {0};
        bool maybe;
        const char *path = r->path, *body = r->body;
        enum fd_status st =
            perform(cfg, r->method, path, r->content_type, body, &resp, &err, &maybe);
        res->sent++;
        judge(p, st, &resp, err.message, maybe, res);
        audit(cfg, p, r->method, path, body, res);
        if (resp.status == 404 && r->fallback_path) {
            fd_kube_response_free(&resp);
            path = r->fallback_path;
            body = r->fallback_body;
            st = perform(cfg, r->method, path, r->content_type, body, &resp, &err, &maybe);
            res->sent++;
            judge(p, st, &resp, err.message, maybe, res);
            audit(cfg, p, r->method, path, body, res);
        }
        fd_kube_response_free(&resp);
        if (res->outcome != FD_CLIENT_OUTCOME_OK)
            break;
    }
    return res->status;
}

/* ---- Through the client --------------------------------------------------------------- */

struct sending {
    struct fd_client *c;
    struct fd_model_action_plan *p;
    size_t next;
    bool fallback;
    struct fd_client_action_result res;
    fd_client_action_done_fn done;
    void *user;
};

static void sending_end(struct sending *s)
{
    s->done(s->user, s->p, &s->res);
    fd_client_action_result_clear(&s->res);
    fd_model_action_plan_free(s->p);
    free(s);
}

static void step(struct sending *s);

static void on_answer(void *user, enum fd_status st, const struct fd_kube_response *resp,
                      const struct fd_kube_error *err, bool maybe_applied)
{
    struct sending *s = user;
    const struct fd_model_action_request *r = &s->p->requests[s->next];

    s->res.sent++;
    judge(s->p, st, resp, err->message, maybe_applied, &s->res);
    audit(fd_client_config(s->c), s->p, r->method, s->fallback ? r->fallback_path : r->path,
          s->fallback ? r->fallback_body : r->body, &s->res);
    if (resp->status == 404 && r->fallback_path && !s->fallback) {
        s->fallback = true;
        step(s);
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

    if (fd_client_submit(s->c, r->method, s->fallback ? r->fallback_path : r->path,
                         r->content_type, s->fallback ? r->fallback_body : r->body,
                         on_answer, s, &err) != FD_OK) {
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
    const char *why;

    s->c = c;
    s->p = p;
    s->done = done;
    s->user = user;
    if (fd_model_action_blocked(p, &why)) {
        refuse_before(p, why, &s->res);
        sending_end(s);
    } else if (p->n_requests == 0) {
        refuse_before(p, "nothing to send", &s->res);
        sending_end(s);
    } else {
        step(s);
    }
    return FD_OK;
}
