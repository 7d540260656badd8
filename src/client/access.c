/* client/access.c: SelfSubjectAccessReviews cached per client, asked on its
 * network thread. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static char *access_key(const struct fd_kube_access_query *q)
{
    return fd_xasprintf("%s|%s|%s|%s|%s|%s", q->verb ? q->verb : "", q->group ? q->group : "",
                        q->resource ? q->resource : "", q->subresource ? q->subresource : "",
                        q->ns ? q->ns : "", q->name ? q->name : "");
}

struct review_ctx {
    struct fd_client *c;
    char *key;
};

static void review_done(void *user, enum fd_status st, const struct fd_kube_response *resp,
                        const struct fd_kube_error *err, bool maybe_applied)
{
    struct review_ctx *r = user;
    struct fd_client *c = r->c;

    (void)maybe_applied;
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < c->n_access; i++) {
        struct access_entry *e = &c->access[i];
        if (strcmp(e->key, r->key) != 0)
            continue;
        e->inflight = false;
        if (st == FD_OK)
            e->answer =
                fd_kube_access_parse(resp->body, resp->body_len, e->reason, sizeof(e->reason));
        if (st != FD_OK || e->answer == FD_KUBE_ACCESS_UNKNOWN) {
            /* Unknown answers are retried after a short while, not cached. */
            e->answer = FD_KUBE_ACCESS_UNKNOWN;
            const char *why = st != FD_OK ? err->message : "no answer to the access review";
            size_t len = strlen(why);
            if (len >= sizeof(e->reason))
                len = sizeof(e->reason) - 1;
            memcpy(e->reason, why, len);
            e->reason[len] = '\0';
            e->expires = fd_time_mono_ms() + 10000;
        } else {
            e->expires = fd_time_mono_ms() + ACCESS_TTL_MS;
        }
        break;
    }
    c->dirty = true;
    pthread_mutex_unlock(&c->mu);
    free(r->key);
    free(r);
}

enum fd_kube_access fd_client_access(struct fd_client *c, const struct fd_kube_access_query *q,
                                     char *reason, size_t size)
{
    char *key = access_key(q);
    struct access_entry *e = NULL;
    enum fd_kube_access a = FD_KUBE_ACCESS_UNKNOWN;
    bool ask = false;
    int64_t now = fd_time_mono_ms();

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
        if (fd_client_submit(c, "POST", FD_KUBE_SSAR_PATH, "application/json", body, review_done, r,
                             &err) != FD_OK) {
            struct fd_kube_response none = {0};
            review_done(r, err.status, &none, &err, false);
        }
        free(body);
    }
    free(key);
    return a;
}

void fd_client_access_cache_free(struct fd_client *c)
{
    for (size_t i = 0; i < c->n_access; i++)
        free(c->access[i].key);
    free(c->access);
    c->access = NULL;
    c->n_access = c->cap_access = 0;
}
