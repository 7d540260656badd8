/* kube/access.c: SelfSubjectAccessReview, blocking and cached per client. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"
#include "internal.h"

/* An answer is trusted this long; RBAC rarely changes mid-session. */
#define ACCESS_TTL_MS (5 * 60 * 1000)

struct access_entry {
    char *key;
    enum fd_kube_access answer;
    char reason[256];
    int64_t expires; /* monotonic ms; 0 while the review is in flight */
    bool inflight;
};

static const char *const access_names[] = {
#define FD_KUBE_ACCESS_ROW(id, text) text,
    FD_KUBE_ACCESS_TABLE(FD_KUBE_ACCESS_ROW)
#undef FD_KUBE_ACCESS_ROW
};

const char *fd_kube_access_name(enum fd_kube_access a)
{
    return (unsigned)a < FD_ARRAY_SIZE(access_names) ? access_names[a] : "unknown";
}

char *fd_kube_access_body(const struct fd_kube_access_query *q)
{
    json_t *attrs = json_object(), *root;
    char *text;

    json_object_set_new(attrs, "verb", json_string(q->verb ? q->verb : ""));
    json_object_set_new(attrs, "group", json_string(q->group ? q->group : ""));
    json_object_set_new(attrs, "resource", json_string(q->resource ? q->resource : ""));
    if (q->subresource)
        json_object_set_new(attrs, "subresource", json_string(q->subresource));
    if (q->ns)
        json_object_set_new(attrs, "namespace", json_string(q->ns));
    if (q->name)
        json_object_set_new(attrs, "name", json_string(q->name));
    root = json_pack("{s:s, s:s, s:{s:o}}", "apiVersion", "authorization.k8s.io/v1", "kind",
                     "SelfSubjectAccessReview", "spec", "resourceAttributes", attrs);
    text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

enum fd_kube_access fd_kube_access_parse(const char *body, size_t len, char *reason, size_t size)
{
    json_t *root = json_loadb(body ? body : "", len, 0, NULL);
    const json_t *status = json_object_get(root, "status");
    const json_t *allowed = json_object_get(status, "allowed");
    const char *why = json_string_value(json_object_get(status, "reason"));
    enum fd_kube_access a = FD_KUBE_ACCESS_UNKNOWN;

    if (json_is_boolean(allowed))
        a = json_is_true(allowed) && !json_is_true(json_object_get(status, "denied"))
                ? FD_KUBE_ACCESS_ALLOWED
                : FD_KUBE_ACCESS_DENIED;
    if (reason && size)
        snprintf(reason, size, "%s", why ? why : "");
    json_decref(root);
    return a;
}

enum fd_kube_access fd_kube_access_review(struct fd_kube_config *cfg,
                                          const struct fd_kube_access_query *q, char *reason,
                                          size_t size, struct fd_kube_error *err)
{
    char *body = fd_kube_access_body(q);
    struct fd_kube_response resp;
    enum fd_kube_access a = FD_KUBE_ACCESS_UNKNOWN;

    if (reason && size)
        reason[0] = '\0';
    if (fd_kube_request(cfg, "POST", FD_KUBE_SSAR_PATH, "application/json", body, &resp, err) ==
        FD_OK) {
        a = fd_kube_access_parse(resp.body, resp.body_len, reason, size);
        if (a == FD_KUBE_ACCESS_UNKNOWN)
            fd_kube_fail(err, cfg, FD_PARSE, "%s: SelfSubjectAccessReview: no status.allowed",
                         cfg->server);
    }
    fd_kube_response_free(&resp);
    free(body);
    return a;
}

static char *access_key(const struct fd_kube_access_query *q)
{
    return fd_xasprintf("%s|%s|%s|%s|%s|%s", q->verb ? q->verb : "", q->group ? q->group : "",
                        q->resource ? q->resource : "", q->subresource ? q->subresource : "",
                        q->ns ? q->ns : "", q->name ? q->name : "");
}

struct review_ctx {
    struct fd_kube_client *c;
    char *key;
};

static void review_done(void *user, enum fd_status st, const struct fd_kube_response *resp,
                        const struct fd_kube_error *err, bool maybe_applied)
{
    struct review_ctx *r = user;
    struct fd_kube_client *c = r->c;

    (void)maybe_applied;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_access; i++) {
        struct access_entry *e = &c->access[i];
        if (strcmp(e->key, r->key) != 0)
            continue;
        e->inflight = false;
        if (st == FD_OK)
            e->answer = fd_kube_access_parse(resp->body, resp->body_len, e->reason,
                                             sizeof(e->reason));
        if (st != FD_OK || e->answer == FD_KUBE_ACCESS_UNKNOWN) {
            /* Unknown answers are retried after a short while, not cached. */
            e->answer = FD_KUBE_ACCESS_UNKNOWN;
            const char *why = st != FD_OK ? err->message : "no answer to the access review";
            size_t len = strlen(why);
            if (len >= sizeof(e->reason))
                len = sizeof(e->reason) - 1;
            memcpy(e->reason, why, len);
            e->reason[len] = '\0';
            e->expires = fd_kube_mono_ms() + 10000;
        } else {
            e->expires = fd_kube_mono_ms() + ACCESS_TTL_MS;
        }
        break;
    }
    c->dirty = true;
    pthread_mutex_unlock(&c->mu);
    free(r->key);
    free(r);
}

enum fd_kube_access fd_kube_client_access(struct fd_kube_client *c,
                                          const struct fd_kube_access_query *q, char *reason,
                                          size_t size)
{
    char *key = access_key(q);
    struct access_entry *e = NULL;
    enum fd_kube_access a = FD_KUBE_ACCESS_UNKNOWN;
    bool ask = false;
    int64_t now = fd_kube_mono_ms();

    if (reason && size)
        reason[0] = '\0';
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_access; i++)
        if (strcmp(c->access[i].key, key) == 0)
            e = &c->access[i];
    if (!e) {
        if (c->n_access == c->cap_access) {
            c->cap_access = c->cap_access ? c->cap_access * 2 : 16;
            c->access = fd_xreallocarray(c->access, c->cap_access, sizeof(*c->access));
        }
        e = &c->access[c->n_access++];
        memset(e, 0, sizeof(*e));
        e->key = fd_xstrdup(key);
    }
    if (!e->inflight && e->expires <= now) {
        ask = true;
        e->inflight = true;
    }
    if (e->expires > now || e->answer != FD_KUBE_ACCESS_UNKNOWN) {
        a = e->expires > now ? e->answer : FD_KUBE_ACCESS_UNKNOWN;
        if (reason && size)
            snprintf(reason, size, "%s", e->reason);
    }
    pthread_mutex_unlock(&c->mu);
    if (ask) {
        struct review_ctx *r = fd_xcalloc(1, sizeof(*r));
        struct fd_kube_error err = {0};
        char *body = fd_kube_access_body(q);
        r->c = c;
        r->key = key;
        key = NULL;
        if (fd_kube_client_submit(c, "POST", FD_KUBE_SSAR_PATH, "application/json", body,
                                  review_done, r, &err) != FD_OK) {
            struct fd_kube_response none = {0};
            review_done(r, err.status, &none, &err, false);
        }
        free(body);
    }
    free(key);
    return a;
}

void fd_kube_access_cache_free(struct fd_kube_client *c)
{
    for (size_t i = 0; i < c->n_access; i++)
        free(c->access[i].key);
    free(c->access);
    c->access = NULL;
    c->n_access = c->cap_access = 0;
}
