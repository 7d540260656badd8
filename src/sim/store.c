/* sim/store.c: objects, resourceVersions, history and watches. */
#include "config.h"

#include "freightdeck/expr.h"

#include "store.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/model.h"
#include "misc.h"
#include "patch.h"
#include "status.h"
#include "webhooks.h"

#define MAX_OBSERVERS 8

struct hist {
    uint64_t rv;
    enum fd_sim_event_type type;
    const struct fd_sim_resource *res;
    json_t *obj;
    json_t *old;
    char *text; /* obj as compact JSON, serialised once for every watcher
                 * when the first one needs it (stored objects never change,
                 * so it is the same text later): a bulk load writes
                 * thousands of events no watch reads */
};

static const char *hist_text(struct hist *h)
{
    if (!h->text && !(h->text = json_dumps(h->obj, JSON_COMPACT)))
        fd_fatal("cannot serialise an object");
    return h->text;
}

struct fd_sim_store {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    uint64_t rv;
    json_t *objects[FD_SIM_RES__COUNT]; /* "ns/name" or "name" -> object */
    /* The keys of objects[i] in order, built by the first list after a
     * create or a delete (a replace keeps jansson's key), so that a list
     * page costs its own size, not a sort of every object. */
    const char **sorted[FD_SIM_RES__COUNT];
    size_t n_sorted[FD_SIM_RES__COUNT];
    bool sorted_ok[FD_SIM_RES__COUNT];
    struct hist *ring;
    size_t cap, head, len; /* head: index of the oldest retained event */
    uint64_t window_start; /* watches may resume from any rv >= this */
    uint64_t notified_rv;  /* observers have seen every event up to here */
    bool notifying;
    bool shutdown;
    fd_sim_admit_fn admit;
    void *admit_ud;
    struct {
        fd_sim_observe_fn fn;
        void *ud;
    } observers[MAX_OBSERVERS];
    size_t nobservers;
};

/* ---- helpers ---------------------------------------------------------- */

static json_t *set_err(json_t **err, json_t *status)
{
    if (err)
        *err = status;
    else
        json_decref(status);
    return NULL;
}

/* The resource for key (group, version, resource), or NULL. */
static const struct fd_sim_resource *fd_sim_store_resource(const struct fd_sim_key *key)
{
    return fd_sim_resource_find(key->group ? key->group : "", key->version, key->resource);
}

static const struct fd_sim_resource *resolve(const struct fd_sim_key *key, json_t **err)
{
    const struct fd_sim_resource *r = fd_sim_store_resource(key);
    if (!r)
        set_err(err, fd_sim_status_new(404, "NotFound", json_object(),
                                       "the server could not find the requested resource"));
    return r;
}

static char *object_key(const struct fd_sim_resource *r, const char *ns, const char *name)
{
    if (r->namespaced)
        return fd_xasprintf("%s/%s", ns ? ns : "", name ? name : "");
    return fd_xstrdup(name ? name : "");
}

static json_t *meta_of(const json_t *obj)
{
    return json_object_get(obj, "metadata");
}

static json_t *lookup(struct fd_sim_store *st, const struct fd_sim_resource *r, const char *ns,
                      const char *name)
{
    char *k = object_key(r, ns, name);
    json_t *o = json_object_get(st->objects[r->id], k);
    free(k);
    return o;
}

/* ---- lifecycle -------------------------------------------------------- */

struct fd_sim_store *fd_sim_store_new(size_t history)
{
    struct fd_sim_store *st = fd_xcalloc(1, sizeof(*st));
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;

    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&st->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&st->changed, &ca);
    pthread_condattr_destroy(&ca);
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++)
        st->objects[i] = json_object();
    st->cap = history ? history : 1000;
    st->ring = fd_xcalloc(st->cap, sizeof(*st->ring));
    return st;
}

static void hist_clear(struct hist *h)
{
    json_decref(h->obj);
    json_decref(h->old);
    free(h->text);
    memset(h, 0, sizeof(*h));
}

void fd_sim_store_free(struct fd_sim_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->len; i++)
        hist_clear(&st->ring[(st->head + i) % st->cap]);
    free(st->ring);
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        json_decref(st->objects[i]);
        free(st->sorted[i]);
    }
    pthread_cond_destroy(&st->changed);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

void fd_sim_store_lock(struct fd_sim_store *st)
{
    pthread_mutex_lock(&st->mu);
}

void fd_sim_store_unlock(struct fd_sim_store *st)
{
    pthread_mutex_unlock(&st->mu);
}

void fd_sim_store_set_admit(struct fd_sim_store *st, fd_sim_admit_fn fn, void *ud)
{
    fd_sim_store_lock(st);
    st->admit = fn;
    st->admit_ud = ud;
    fd_sim_store_unlock(st);
}

int fd_sim_store_add_observer(struct fd_sim_store *st, fd_sim_observe_fn fn, void *ud)
{
    int rc = -1;
    fd_sim_store_lock(st);
    if (st->nobservers < MAX_OBSERVERS) {
        st->observers[st->nobservers].fn = fn;
        st->observers[st->nobservers].ud = ud;
        st->nobservers++;
        st->notified_rv = st->rv;
        rc = 0;
    }
    fd_sim_store_unlock(st);
    return rc;
}

void fd_sim_store_remove_observer(struct fd_sim_store *st, fd_sim_observe_fn fn, void *ud)
{
    fd_sim_store_lock(st);
    for (size_t i = 0; i < st->nobservers; i++) {
        if (st->observers[i].fn == fn && st->observers[i].ud == ud) {
            memmove(&st->observers[i], &st->observers[i + 1],
                    (st->nobservers - i - 1) * sizeof(st->observers[0]));
            st->nobservers--;
            break;
        }
    }
    fd_sim_store_unlock(st);
}

uint64_t fd_sim_store_rv(struct fd_sim_store *st)
{
    fd_sim_store_lock(st);
    uint64_t rv = st->rv;
    fd_sim_store_unlock(st);
    return rv;
}

void fd_sim_store_shutdown(struct fd_sim_store *st)
{
    fd_sim_store_lock(st);
    st->shutdown = true;
    pthread_cond_broadcast(&st->changed);
    fd_sim_store_unlock(st);
}

static void deadline_ts(struct timespec *ts, int64_t at_ms)
{
    ts->tv_sec = at_ms / 1000;
    ts->tv_nsec = (long)(at_ms % 1000) * 1000000;
}

uint64_t fd_sim_store_wait(struct fd_sim_store *st, uint64_t after_rv, int timeout_ms)
{
    int64_t until = timeout_ms >= 0 ? fd_time_mono_ms() + timeout_ms : INT64_MAX;
    struct timespec ts;

    fd_sim_store_lock(st);
    while (st->rv <= after_rv && !st->shutdown) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&st->changed, &st->mu);
            continue;
        }
        if (fd_time_mono_ms() >= until)
            break;
        deadline_ts(&ts, until);
        pthread_cond_timedwait(&st->changed, &st->mu, &ts);
    }
    uint64_t rv = st->rv;
    fd_sim_store_unlock(st);
    return rv;
}

static struct hist *hist_at(struct fd_sim_store *st, size_t i)
{
    return &st->ring[(st->head + i) % st->cap];
}

/* The index of the first retained event with rv > after, or st->len. */
static size_t hist_after(struct fd_sim_store *st, uint64_t after)
{
    if (st->len == 0 || after < hist_at(st, 0)->rv)
        return 0;
    uint64_t off = after - hist_at(st, 0)->rv + 1; /* events are rv-consecutive */
    return off >= st->len ? st->len : (size_t)off;
}

/* ---- commit ----------------------------------------------------------- */

static void notify_observers(struct fd_sim_store *st)
{
    if (st->notifying || st->nobservers == 0)
        return;
    st->notifying = true;
    while (st->notified_rv < st->rv) {
        size_t i = hist_after(st, st->notified_rv);
        if (i >= st->len)
            break;
        struct hist *h = hist_at(st, i);
        struct fd_sim_event ev = {h->rv, h->type, h->res, h->obj, h->old};
        st->notified_rv = h->rv;
        json_incref(h->obj);
        json_incref(h->old);
        for (size_t k = 0; k < st->nobservers; k++)
            st->observers[k].fn(st->observers[k].ud, &ev);
        json_decref(h->obj);
        json_decref(h->old);
    }
    st->notifying = false;
}

/* Records a committed change (obj and old are stolen) and wakes watchers. */
static void record(struct fd_sim_store *st, enum fd_sim_event_type type,
                   const struct fd_sim_resource *r, json_t *obj, json_t *old)
{
    if (st->len == st->cap) {
        st->window_start = hist_at(st, 0)->rv;
        hist_clear(hist_at(st, 0));
        st->head = (st->head + 1) % st->cap;
        st->len--;
    }
    struct hist *h = hist_at(st, st->len);
    h->rv = st->rv;
    h->type = type;
    h->res = r;
    h->obj = obj;
    h->old = old;
    h->text = NULL; /* serialised when a watch first needs it (hist_text) */
    st->len++;
    pthread_cond_broadcast(&st->changed);
}

static void set_rv(json_t *obj, uint64_t rv)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%" PRIu64, rv);
    json_object_set_new(meta_of(obj), "resourceVersion", json_string(buf));
}

/* ---- reads ------------------------------------------------------------ */

const json_t *fd_sim_store_peek(struct fd_sim_store *st, const struct fd_sim_key *key)
{
    const struct fd_sim_resource *r = fd_sim_store_resource(key);
    return r ? lookup(st, r, key->ns, key->name) : NULL;
}

json_t *fd_sim_store_get(struct fd_sim_store *st, const struct fd_sim_key *key, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    if (!r)
        return NULL;
    fd_sim_store_lock(st);
    json_t *o = lookup(st, r, key->ns, key->name);
    json_t *copy = o ? json_deep_copy(o) : NULL;
    fd_sim_store_unlock(st);
    if (!copy)
        return set_err(err, fd_sim_status_not_found(r, key->name ? key->name : ""));
    return copy;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first index in keys[0..n) whose key is not below (or, with after,
 * not at or below) key. */
static size_t lower_bound(const char *const *keys, size_t n, const char *key, bool after)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(keys[mid], key);
        if (c < 0 || (after && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A new key (its object just stored): into the kept order, when there is
 * one, by one insertion rather than a sort at the next list (a scenario that
 * keeps creating runs would otherwise sort them all for every page). */
static void sorted_insert(struct fd_sim_store *st, const struct fd_sim_resource *r, const char *key)
{
    size_t id = (size_t)r->id, n = st->n_sorted[id];

    if (!st->sorted_ok[id])
        return;
    /* jansson's own copy of the key, which lives as long as the entry. */
    const char *own = json_object_iter_key(json_object_iter_at(st->objects[id], key));
    size_t at = lower_bound(st->sorted[id], n, own, false);
    st->sorted[id] = fd_xreallocarray(st->sorted[id], n + 2, sizeof(*st->sorted[id]));
    memmove(st->sorted[id] + at + 1, st->sorted[id] + at, (n - at) * sizeof(*st->sorted[id]));
    st->sorted[id][at] = own;
    st->n_sorted[id] = n + 1;
}

static void sorted_remove(struct fd_sim_store *st, const struct fd_sim_resource *r, const char *key)
{
    size_t id = (size_t)r->id, n = st->n_sorted[id];

    if (!st->sorted_ok[id])
        return;
    size_t at = lower_bound(st->sorted[id], n, key, false);
    if (at == n || strcmp(st->sorted[id][at], key) != 0) {
        st->sorted_ok[id] = false; /* cannot happen; rebuild rather than guess */
        return;
    }
    memmove(st->sorted[id] + at, st->sorted[id] + at + 1, (n - at - 1) * sizeof(*st->sorted[id]));
    st->n_sorted[id] = n - 1;
}

/* The keys of r's objects in namespace ns (NULL/"" = all), sorted: borrowed
 * from the store's cache, valid while the lock is held. All the keys of one
 * namespace ("ns/...") are next to each other in that order. */
static const char *const *sorted_keys(struct fd_sim_store *st, const struct fd_sim_resource *r,
                                      const char *ns, size_t *n)
{
    json_t *objs = st->objects[r->id];
    size_t id = (size_t)r->id;

    if (!st->sorted_ok[id]) {
        const char *k;
        json_t *v;
        size_t count = 0;
        free(st->sorted[id]);
        st->sorted[id] = fd_xcalloc(json_object_size(objs) + 1, sizeof(*st->sorted[id]));
        json_object_foreach(objs, k, v)
        {
            st->sorted[id][count++] = k;
        }
        qsort(st->sorted[id], count, sizeof(*st->sorted[id]), cmp_str);
        st->n_sorted[id] = count;
        st->sorted_ok[id] = true;
    }
    const char *const *keys = st->sorted[id];
    size_t count = st->n_sorted[id];
    if (!r->namespaced || !ns || !ns[0]) {
        *n = count;
        return keys;
    }
    char *lo = fd_xasprintf("%s/", ns), *hi = fd_xasprintf("%s0", ns); /* '0' follows '/' */
    size_t a = lower_bound(keys, count, lo, false), b = lower_bound(keys, count, hi, false);
    free(lo);
    free(hi);
    *n = b - a;
    return keys + a;
}

static char *continue_token(uint64_t rv, const char *start)
{
    json_t *j =
        json_pack("{s:s, s:I, s:s}", "v", "meta.k8s.io/v1", "rv", (json_int_t)rv, "start", start);
    char *text = json_dumps(j, JSON_COMPACT);
    char *tok = fd_base64_encode(text, strlen(text));
    free(text);
    json_decref(j);
    return tok;
}

/* The key a continue token resumes after; NULL + 400 when it is not one. */
static char *parse_continue(const char *tok, json_t **err)
{
    size_t len;
    char *raw = (char *)fd_base64_decode(tok, strlen(tok), FD_BASE64_URL, &len);
    json_t *j = raw ? json_loadb(raw, len, 0, NULL) : NULL;
    const char *start = json_string_value(json_object_get(j, "start"));
    char *out = NULL;

    if (!j || !start || !fd_streq(json_string_value(json_object_get(j, "v")), "meta.k8s.io/v1"))
        set_err(err, fd_sim_status_bad_request("continue key is not valid: %s",
                                               !raw ? "illegal base64 data"
                                                    : "incorrect encoded start resourceVersion "
                                                      "(version meta.k8s.io/v1)"));
    else
        out = fd_xstrdup(start);
    json_decref(j);
    free(raw);
    return out;
}

static bool matches(const struct fd_sim_selector *labels, const struct fd_sim_selector *fields,
                    const json_t *obj)
{
    return obj && fd_sim_selector_matches(labels, obj) && fd_sim_selector_matches(fields, obj);
}

json_t *fd_sim_store_list(struct fd_sim_store *st, const struct fd_sim_key *key,
                          const struct fd_sim_list_opts *opts, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    struct fd_sim_list_opts none = {0};
    char *after = NULL;

    if (!r)
        return NULL;
    if (!opts)
        opts = &none;
    if (opts->continue_token && opts->continue_token[0]) {
        after = parse_continue(opts->continue_token, err);
        if (!after)
            return NULL;
    }
    char *kind = fd_xasprintf("%sList", r->kind);
    json_t *list = json_pack("{s:s, s:s, s:{}, s:[]}", "apiVersion", fd_sim_resource_api_version(r),
                             "kind", kind, "metadata", "items");
    json_t *items = json_object_get(list, "items");
    free(kind);

    fd_sim_store_lock(st);
    size_t n;
    const char *const *keys = sorted_keys(st, r, r->namespaced ? key->ns : NULL, &n);
    size_t i = after ? lower_bound(keys, n, after, true) : 0;
    const char *last = NULL;
    for (; i < n; i++) {
        json_t *o = json_object_get(st->objects[r->id], keys[i]);
        if (!matches(opts->labels, opts->fields, o))
            continue;
        if (opts->limit > 0 && (long)json_array_size(items) >= opts->limit)
            break;
        json_array_append(items, o);
        last = keys[i];
    }
    char rvbuf[24];
    snprintf(rvbuf, sizeof(rvbuf), "%" PRIu64, st->rv);
    json_object_set_new(meta_of(list), "resourceVersion", json_string(rvbuf));
    if (i < n && last) {
        char *tok = continue_token(st->rv, last);
        json_object_set_new(meta_of(list), "continue", json_string(tok));
        free(tok);
        /* Without selectors every key left matches. */
        if (fd_sim_selector_empty(opts->labels) && fd_sim_selector_empty(opts->fields))
            json_object_set_new(meta_of(list), "remainingItemCount",
                                json_integer((json_int_t)(n - i)));
    }
    fd_sim_store_unlock(st);
    free(after);
    return list;
}

/* ---- writes ----------------------------------------------------------- */

/* Checks apiVersion and kind, filling them in when absent. */
static json_t *check_type(const struct fd_sim_resource *r, json_t *obj)
{
    const char *av = json_string_value(json_object_get(obj, "apiVersion"));
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    const char *want = fd_sim_resource_api_version(r);

    if (av && strcmp(av, want) != 0)
        return fd_sim_status_bad_request(
            "the API version in the data (%s) does not match the expected API version (%s)", av,
            want);
    if (kind && strcmp(kind, r->kind) != 0)
        return fd_sim_status_bad_request("the kind in the data (%s) does not match the expected "
                                         "kind (%s)",
                                         kind, r->kind);
    json_object_set_new(obj, "apiVersion", json_string(want));
    json_object_set_new(obj, "kind", json_string(r->kind));
    return NULL;
}

/* Decodes obj (a request body, or a patched object when patch) as the API
 * server decodes a custom resource: unknown fields dropped, and refused or
 * warned about per w->field_validation. */
static json_t *decode(const struct fd_sim_resource *r, json_t *obj, const struct fd_sim_write *w,
                      bool patch)
{
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    if (!json_is_object(obj) || (kind && strcmp(kind, r->kind) != 0) || !fd_sim_schema_get(r))
        return NULL;
    bool strict = w && w->field_validation == FD_SIM_FV_STRICT;
    char *patched = strict && patch ? fd_go_json_marshal(obj, true) : NULL;
    json_t *unknown = fd_sim_schema_decode(r, obj);
    json_t *status = NULL;
    if (json_array_size(unknown) && w && w->field_validation != FD_SIM_FV_IGNORE) {
        struct fd_buf msg = FD_BUF_INIT;
        size_t i;
        json_t *u;
        fd_buf_puts(&msg, "strict decoding error: ");
        json_array_foreach(unknown, i, u)
        {
            char *one = fd_xasprintf("unknown field \"%s\"", json_string_value(u));
            if (i)
                fd_buf_puts(&msg, ", ");
            fd_buf_puts(&msg, one);
            if (!strict && json_is_array(w->warnings))
                json_array_append_new(w->warnings, json_string(one));
            free(one);
        }
        if (strict && patch) {
            char *q = fd_expr_go_quote(patched, strlen(patched));
            char *m = fd_xasprintf("Invalid value: %s: %s", q, fd_buf_cstr(&msg));
            json_t *d = json_pack("{s:[{s:s, s:s, s:s}]}", "causes", "reason", "FieldValueInvalid",
                                  "message", m, "field", "patch");
            status = fd_sim_status_new(422, "Invalid", d, " \"\" is invalid: patch: %s", m);
            free(m);
            free(q);
        } else if (strict) {
            status = fd_sim_status_bad_request("%s in version \"%s\" cannot be handled as a %s: %s",
                                               r->kind, r->version, r->kind, fd_buf_cstr(&msg));
        }
        fd_buf_free(&msg);
    }
    free(patched);
    json_decref(unknown);
    return status;
}

/* The API server's validation of a custom resource (its CRD schema), then
 * Kargo's validating webhooks. */
static json_t *validate(struct fd_sim_store *st, enum fd_sim_op op, const struct fd_sim_resource *r,
                        const struct fd_sim_write *w, const json_t *old, const json_t *obj)
{
    json_t *causes = fd_sim_schema_validate_meta(obj);
    json_t *more = fd_sim_schema_validate(r, obj, old);
    json_array_extend(causes, more);
    json_decref(more);
    if (json_array_size(causes))
        return fd_sim_status_invalid_causes(r, fd_sim_meta(obj, "name"), causes);
    json_decref(causes);
    return fd_sim_webhooks_validate(st, op, r, w, obj);
}

static json_t *admit(struct fd_sim_store *st, enum fd_sim_op op, const struct fd_sim_resource *r,
                     const struct fd_sim_write *w, const json_t *old, json_t *obj)
{
    static const struct fd_sim_write none = {0};
    if (!st->admit)
        return NULL;
    return st->admit(st->admit_ud, op, r, w ? w : &none, old, obj);
}

/* Creates obj (stolen) under the lock. Returns a copy of the stored object,
 * or with !want_copy json_true() (a borrowed singleton), or NULL and *err. */
static json_t *create_locked(struct fd_sim_store *st, const struct fd_sim_resource *r,
                             const char *ns, json_t *obj, const struct fd_sim_write *w,
                             bool want_copy, json_t **err)
{
    bool keep = w && w->keep_status;
    json_t *status;

    if (!json_is_object(obj)) {
        json_decref(obj);
        return set_err(err, fd_sim_status_bad_request("the request body is not a JSON object"));
    }
    if (!fd_sim_resource_allows(r, "create")) {
        json_decref(obj);
        return set_err(err,
                       fd_sim_status_new(405, "MethodNotAllowed", fd_sim_status_details(r, NULL),
                                         "create is not supported on resources of kind "
                                         "\"%s\"",
                                         fd_sim_resource_gr(r)));
    }
    bool generated = w && w->generated;
    if (!generated && (status = decode(r, obj, w, false)) != NULL)
        goto fail;
    if ((status = check_type(r, obj)) != NULL)
        goto fail;
    json_t *meta = meta_of(obj);
    if (!meta) {
        meta = json_object();
        json_object_set_new(obj, "metadata", meta);
    }
    if (!json_is_object(meta)) {
        status = fd_sim_status_bad_request("metadata must be an object");
        goto fail;
    }
    const char *objns = fd_sim_meta(obj, "namespace");
    if (r->namespaced) {
        if (!ns || !ns[0])
            ns = objns;
        if (!ns || !ns[0]) {
            status = fd_sim_status_bad_request("an empty namespace may not be set during creation");
            goto fail;
        }
        if (objns && objns[0] && strcmp(objns, ns) != 0) {
            status =
                fd_sim_status_bad_request("the namespace of the provided object does not match "
                                          "the namespace sent on the request");
            goto fail;
        }
        json_object_set_new(meta, "namespace", json_string(ns));
        if (!lookup(st, &fd_sim_resources[FD_SIM_RES_NAMESPACE], NULL, ns)) {
            status = fd_sim_status_not_found(&fd_sim_resources[FD_SIM_RES_NAMESPACE], ns);
            goto fail;
        }
    } else {
        json_object_del(meta, "namespace");
        ns = NULL;
    }
    const char *name = fd_sim_meta(obj, "name");
    const char *gen = fd_sim_meta(obj, "generateName");
    if ((!name || !name[0]) && gen && gen[0]) {
        for (int tries = 0; tries < 8; tries++) {
            char suffix[6];
            fd_sim_random_suffix(suffix, 5);
            char *full = fd_xasprintf("%s%s", gen, suffix);
            json_object_set_new(meta, "name", json_string(full));
            free(full);
            if (!lookup(st, r, ns, fd_sim_meta(obj, "name")))
                break;
        }
        name = fd_sim_meta(obj, "name");
    }
    if (!name || !name[0]) {
        status = fd_sim_status_invalid(r, "", "metadata.name", "FieldValueRequired",
                                       "Required value: name or generateName is required");
        goto fail;
    }
    if (!fd_model_name_valid(name)) {
        char *msg =
            fd_xasprintf("Invalid value: \"%s\": a lowercase RFC 1123 subdomain must consist "
                         "of lower case alphanumeric characters, '-' or '.', and must start "
                         "and end with an alphanumeric character (e.g. 'example.com', regex "
                         "used for validation is "
                         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                         name);
        status = fd_sim_status_invalid(r, name, "metadata.name", "FieldValueInvalid", msg);
        free(msg);
        goto fail;
    }
    /* AlreadyExists is the storage's answer, after admission and
     * validation (below). */
    char uid[37], now[21];
    fd_sim_uuid(uid);
    fd_sim_now_rfc3339(now);
    if (!keep || !fd_sim_meta(obj, "uid"))
        json_object_set_new(meta, "uid", json_string(uid));
    if (!keep || !fd_sim_meta(obj, "creationTimestamp"))
        json_object_set_new(meta, "creationTimestamp", json_string(now));
    if (!keep || !json_is_integer(json_object_get(meta, "generation")))
        json_object_set_new(meta, "generation", json_integer(1));
    json_object_del(meta, "deletionTimestamp");
    json_object_del(meta, "resourceVersion");
    if (r->has_status && !keep)
        json_object_del(obj, "status");
    if (r->id == FD_SIM_RES_NAMESPACE) {
        /* Core objects have no generation; the API server labels every
         * namespace with its name. */
        json_object_del(meta, "generation");
        json_t *labels = json_object_get(meta, "labels");
        if (!json_is_object(labels)) {
            labels = json_object();
            json_object_set_new(meta, "labels", labels);
        }
        json_object_set_new(labels, "kubernetes.io/metadata.name", json_string(name));
        json_object_set_new(obj, "spec", json_pack("{s:[s]}", "finalizers", "kubernetes"));
        json_object_set_new(obj, "status", json_pack("{s:s}", "phase", "Active"));
    }
    if ((status = admit(st, FD_SIM_OP_CREATE, r, w, NULL, obj)) != NULL)
        goto fail;
    if ((status = generated ? fd_sim_webhooks_validate(st, FD_SIM_OP_CREATE, r, w, obj)
                            : validate(st, FD_SIM_OP_CREATE, r, w, NULL, obj)) != NULL)
        goto fail;
    if (w && w->dry_run)
        return obj;
    /* The hook may have renamed the object. */
    name = fd_sim_meta(obj, "name");
    if (!name || lookup(st, r, ns, name)) {
        status = name ? fd_sim_status_already_exists(r, name)
                      : fd_sim_status_invalid(r, "", "metadata.name", "FieldValueRequired",
                                              "Required value: name or generateName is required");
        goto fail;
    }
    st->rv++;
    set_rv(obj, st->rv);
    char *k = object_key(r, ns, name);
    json_object_set(st->objects[r->id], k, obj);
    sorted_insert(st, r, k);
    free(k);
    record(st, FD_SIM_ADDED, r, json_incref(obj), NULL);
    json_t *copy = want_copy ? json_deep_copy(obj) : json_true();
    json_decref(obj);
    notify_observers(st);
    return copy;
fail:
    json_decref(obj);
    return set_err(err, status);
}

json_t *fd_sim_store_create(struct fd_sim_store *st, const struct fd_sim_key *key,
                            const json_t *obj, const struct fd_sim_write *w, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    if (!r)
        return NULL;
    fd_sim_store_lock(st);
    json_t *out = create_locked(st, r, key->ns, json_deep_copy(obj), w, true, err);
    fd_sim_store_unlock(st);
    return out;
}

bool fd_sim_store_load(struct fd_sim_store *st, const struct fd_sim_key *key, json_t *obj,
                       const struct fd_sim_write *w, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    if (!r) {
        json_decref(obj);
        return false;
    }
    fd_sim_store_lock(st);
    json_t *out = create_locked(st, r, key->ns, obj, w, false, err);
    fd_sim_store_unlock(st);
    bool ok = out != NULL;
    json_decref(out); /* json_true(), or the object of a dry run */
    return ok;
}

/* obj without metadata (and without status when it has a subresource): the
 * part whose change bumps metadata.generation. */
static json_t *spec_part(const struct fd_sim_resource *r, const json_t *obj)
{
    json_t *c = json_copy(fd_sim_mut(obj));
    json_object_del(c, "metadata");
    if (r->has_status)
        json_object_del(c, "status");
    return c;
}

/* Replaces cur (in the store) with cand (stolen), under the lock. */
static json_t *replace_locked(struct fd_sim_store *st, const struct fd_sim_resource *r,
                              const char *ns, const char *name, json_t *cand,
                              const struct fd_sim_write *w, bool require_rv, json_t **err)
{
    json_t *status = NULL;
    json_t *final = NULL;
    json_t *cur = lookup(st, r, ns, name);
    bool status_only = w && fd_streq(w->subresource, "status");

    if (!cur) {
        status = fd_sim_status_not_found(r, name);
        goto fail;
    }
    if (!json_is_object(cand)) {
        status = fd_sim_status_bad_request("the request body is not a JSON object");
        goto fail;
    }
    if (!meta_of(cand))
        json_object_set_new(cand, "metadata", json_object());
    if (!json_is_object(meta_of(cand))) {
        status = fd_sim_status_bad_request("metadata must be an object");
        goto fail;
    }
    if ((status = decode(r, cand, w, !require_rv)) != NULL)
        goto fail;
    if ((status = check_type(r, cand)) != NULL)
        goto fail;
    const char *cname = fd_sim_meta(cand, "name");
    if (cname && strcmp(cname, name) != 0) {
        status = fd_sim_status_bad_request("the name of the object (%s) does not match the name on "
                                           "the URL (%s)",
                                           cname, name);
        goto fail;
    }
    const char *cns = fd_sim_meta(cand, "namespace");
    if (r->namespaced && cns && cns[0] && strcmp(cns, ns) != 0) {
        status =
            fd_sim_status_bad_request("the namespace of the provided object does not match the "
                                      "namespace sent on the request");
        goto fail;
    }
    const char *crv = fd_sim_meta(cand, "resourceVersion");
    if (crv && crv[0]) {
        if (strcmp(crv, fd_sim_meta(cur, "resourceVersion")) != 0) {
            status = fd_sim_status_conflict(r, name);
            goto fail;
        }
    } else if (require_rv) {
        /* The registry's update names the resource, not the kind, here
         * (errors.NewInvalid(qualifiedResource...)) and prints a uint64 0. */
        json_t *causes = json_pack("[{s:s, s:s, s:s}]", "reason", "FieldValueInvalid", "message",
                                   "Invalid value: 0: must be specified for an update", "field",
                                   "metadata.resourceVersion");
        status = fd_sim_status_invalid_causes(r, name, causes);
        json_t *d = json_object_get(status, "details");
        json_object_set_new(d, "kind", json_string(r->plural));
        char *m = fd_xasprintf("%s \"%s\" is invalid: metadata.resourceVersion: Invalid value: 0: "
                               "must be specified for an update",
                               fd_sim_resource_gr(r), name);
        json_object_set_new(status, "message", json_string(m));
        free(m);
        goto fail;
    }

    if (status_only) {
        final = json_deep_copy(cur);
        json_t *s = json_object_get(cand, "status");
        if (s)
            json_object_set(final, "status", s);
        else
            json_object_del(final, "status");
    } else {
        final = json_incref(cand);
        if (r->has_status) {
            json_t *s = json_object_get(cur, "status");
            if (s)
                json_object_set(final, "status", s);
            else
                json_object_del(final, "status");
        }
        json_t *meta = meta_of(final), *cmeta = meta_of(cur);
        static const char *const fixed[] = {
            "name",           "namespace",         "uid",
            "generation",     "creationTimestamp", "deletionTimestamp",
            "resourceVersion"};
        for (size_t i = 0; i < FD_ARRAY_SIZE(fixed); i++) {
            json_t *v = json_object_get(cmeta, fixed[i]);
            if (v)
                json_object_set(meta, fixed[i], v);
            else
                json_object_del(meta, fixed[i]);
        }
        json_t *a = spec_part(r, cur), *b = spec_part(r, final);
        if (!json_equal(a, b) && r->id != FD_SIM_RES_NAMESPACE) {
            json_int_t g = json_integer_value(json_object_get(cmeta, "generation"));
            json_object_set_new(meta, "generation", json_integer(g + 1));
        }
        json_decref(a);
        json_decref(b);
    }
    json_decref(cand);
    cand = NULL;
    if (json_equal(final, cur)) {
        json_decref(final);
        return json_deep_copy(cur);
    }
    if ((status = admit(st, FD_SIM_OP_UPDATE, r, w, cur, final)) != NULL)
        goto fail;
    if ((status = validate(st, FD_SIM_OP_UPDATE, r, w, cur, final)) != NULL)
        goto fail;
    if (w && w->dry_run)
        return final;
    st->rv++;
    set_rv(final, st->rv);
    char *k = object_key(r, ns, name);
    json_t *old = json_incref(cur);
    json_object_set(st->objects[r->id], k, final);
    free(k);
    record(st, FD_SIM_MODIFIED, r, json_incref(final), old);
    json_t *copy = json_deep_copy(final);
    json_decref(final);
    notify_observers(st);
    return copy;
fail:
    json_decref(cand);
    json_decref(final);
    return set_err(err, status);
}

static json_t *check_sub(const struct fd_sim_resource *r, const struct fd_sim_write *w)
{
    if (w && w->subresource && !(r->has_status && strcmp(w->subresource, "status") == 0))
        return fd_sim_status_new(404, "NotFound", json_object(),
                                 "the server could not find the requested resource");
    return NULL;
}

json_t *fd_sim_store_update(struct fd_sim_store *st, const struct fd_sim_key *key,
                            const json_t *obj, const struct fd_sim_write *w, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    json_t *status;
    if (!r)
        return NULL;
    if ((status = check_sub(r, w)) != NULL)
        return set_err(err, status);
    if (!json_is_object(obj))
        return set_err(err, fd_sim_status_bad_request("the request body is not a JSON object"));
    fd_sim_store_lock(st);
    json_t *out = replace_locked(st, r, r->namespaced ? key->ns : NULL, key->name ? key->name : "",
                                 json_deep_copy(obj), w, true, err);
    fd_sim_store_unlock(st);
    return out;
}

json_t *fd_sim_store_patch(struct fd_sim_store *st, const struct fd_sim_key *key,
                           enum fd_sim_patch_type type, const json_t *patch,
                           const struct fd_sim_write *w, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    json_t *status;
    if (!r)
        return NULL;
    if ((status = check_sub(r, w)) != NULL)
        return set_err(err, status);
    const char *ns = r->namespaced ? key->ns : NULL;
    const char *name = key->name ? key->name : "";
    fd_sim_store_lock(st);
    json_t *cur = lookup(st, r, ns, name);
    json_t *out = NULL;
    if (!cur) {
        set_err(err, fd_sim_status_not_found(r, name));
    } else if (type == FD_SIM_PATCH_MERGE) {
        if (!json_is_object(patch)) {
            set_err(err,
                    fd_sim_status_bad_request("json: cannot unmarshal %s into Go value of type "
                                              "map[string]interface {}",
                                              json_is_array(patch) ? "array" : "value"));
        } else {
            out = replace_locked(st, r, ns, name, fd_sim_merge_patch(cur, patch), w, false, err);
        }
    } else {
        char *msg;
        int bad;
        json_t *res = fd_sim_json_patch(cur, patch, &msg, &bad);
        if (!res) {
            /* kube-apiserver v1.34 answers a patch that does not apply with
             * a generic 422 (the JSON patch library's words are lost). */
            set_err(err, bad ? fd_sim_status_bad_request("%s", msg)
                             : fd_sim_status_new(422, "Invalid", json_object(),
                                                 "the server rejected our request due to an "
                                                 "error in our request"));
            free(msg);
        } else {
            out = replace_locked(st, r, ns, name, res, w, false, err);
        }
    }
    fd_sim_store_unlock(st);
    return out;
}

static json_t *delete_locked(struct fd_sim_store *st, const struct fd_sim_resource *r,
                             const char *ns, const char *name, const struct fd_sim_write *w,
                             json_t **err)
{
    json_t *cur = lookup(st, r, ns, name);
    json_t *status;

    if (!cur)
        return set_err(err, fd_sim_status_not_found(r, name));
    if ((status = admit(st, FD_SIM_OP_DELETE, r, w, cur, NULL)) != NULL)
        return set_err(err, status);
    if (w && w->dry_run)
        return json_deep_copy(cur);
    if (r->id == FD_SIM_RES_NAMESPACE) {
        /* The namespace controller empties a namespace before it goes. */
        for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
            const struct fd_sim_resource *nr = &fd_sim_resources[i];
            if (!nr->namespaced)
                continue;
            size_t n;
            const char *const *keys = sorted_keys(st, nr, name, &n);
            char **names = fd_xcalloc(n + 1, sizeof(*names));
            /* Copied: the deletes below drop the keys and their order. */
            for (size_t k = 0; k < n; k++)
                names[k] = fd_xstrdup(strchr(keys[k], '/') + 1);
            for (size_t k = 0; k < n; k++) {
                json_decref(delete_locked(st, nr, name, names[k], NULL, NULL));
                free(names[k]);
            }
            free(names);
        }
    }
    json_t *gone = json_deep_copy(cur);
    st->rv++;
    set_rv(gone, st->rv);
    char *k = object_key(r, ns, name);
    json_t *old = json_incref(cur);
    sorted_remove(st, r, k); /* before jansson frees its copy of the key */
    json_object_del(st->objects[r->id], k);
    free(k);
    record(st, FD_SIM_DELETED, r, json_incref(gone), old);
    notify_observers(st);
    return gone;
}

json_t *fd_sim_store_delete(struct fd_sim_store *st, const struct fd_sim_key *key,
                            const struct fd_sim_write *w, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    if (!r)
        return NULL;
    fd_sim_store_lock(st);
    json_t *out =
        delete_locked(st, r, r->namespaced ? key->ns : NULL, key->name ? key->name : "", w, err);
    fd_sim_store_unlock(st);
    return out;
}

/* ---- watches ---------------------------------------------------------- */

struct fd_sim_watch {
    struct fd_sim_store *st;
    const struct fd_sim_resource *res;
    char *ns; /* NULL = all namespaces */
    struct fd_sim_selector *labels, *fields;
    uint64_t cursor;       /* every event up to here has been considered */
    struct fd_buf initial; /* the ADDED events of the starting state */
    int initial_count;
    uint64_t expired_rv; /* nonzero: send a 410 for this rv and end */
    bool ended;
    bool bookmarks;
    int bookmark_ms;
    int64_t deadline; /* INT64_MAX = none */
    int64_t last_sent;
};

static void append_event(struct fd_buf *out, const char *type, const char *text)
{
    fd_buf_printf(out, "{\"type\":\"%s\",\"object\":%s}\n", type, text);
}

static bool in_scope(const struct fd_sim_watch *w, const json_t *obj)
{
    if (w->ns && !fd_streq(fd_sim_meta(obj, "namespace"), w->ns))
        return false;
    return matches(w->labels, w->fields, obj);
}

static bool parse_rv(const char *rv, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(rv, &end, 10);
    if (*end || errno || rv[0] == '-' || rv[0] == '+' || rv[0] == ' ')
        return false;
    *out = v;
    return true;
}

struct fd_sim_watch *fd_sim_store_watch(struct fd_sim_store *st, const struct fd_sim_key *key,
                                        const struct fd_sim_watch_opts *opts, json_t **err)
{
    const struct fd_sim_resource *r = resolve(key, err);
    uint64_t from = 0;
    bool have_from = false;
    const char *rv = opts ? opts->resource_version : NULL;

    if (!r || (rv && rv[0] && strcmp(rv, "0") != 0 && !parse_rv(rv, &from))) {
        if (opts) {
            fd_sim_selector_free(opts->labels);
            fd_sim_selector_free(opts->fields);
        }
        if (r)
            set_err(err, fd_sim_status_bad_request("invalid resource version: %s", rv));
        return NULL;
    }
    if (rv && rv[0] && strcmp(rv, "0") != 0) {
        have_from = true;
    }
    struct fd_sim_watch *w = fd_xcalloc(1, sizeof(*w));
    w->st = st;
    w->res = r;
    w->ns = r->namespaced && key->ns && key->ns[0] ? fd_xstrdup(key->ns) : NULL;
    w->labels = opts ? opts->labels : NULL;
    w->fields = opts ? opts->fields : NULL;
    w->bookmarks = opts && opts->bookmarks;
    w->bookmark_ms = opts && opts->bookmark_interval_ms > 0 ? opts->bookmark_interval_ms : 60000;
    w->last_sent = fd_time_mono_ms();
    w->deadline = opts && opts->timeout_ms > 0 ? w->last_sent + opts->timeout_ms : INT64_MAX;

    fd_sim_store_lock(st);
    if (have_from) {
        if (from < st->window_start)
            w->expired_rv = from;
        w->cursor = from > st->rv ? st->rv : from;
    } else {
        size_t n;
        const char *const *keys = sorted_keys(st, r, w->ns, &n);
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object_get(st->objects[r->id], keys[i]);
            if (!in_scope(w, o))
                continue;
            char *text = json_dumps(o, JSON_COMPACT);
            append_event(&w->initial, "ADDED", text);
            free(text);
            w->initial_count++;
        }
        w->cursor = st->rv;
    }
    fd_sim_store_unlock(st);
    return w;
}

static void append_expired(struct fd_sim_watch *w, struct fd_buf *out, uint64_t oldest)
{
    json_t *s = fd_sim_status_new(410, "Expired", NULL,
                                  "too old resource version: %" PRIu64 " (%" PRIu64 ")",
                                  w->expired_rv, oldest);
    char *text = json_dumps(s, JSON_COMPACT);
    append_event(out, "ERROR", text);
    free(text);
    json_decref(s);
    w->ended = true;
}

/* Appends the events after w->cursor that concern w; under the lock. */
static int collect(struct fd_sim_watch *w, struct fd_buf *out)
{
    struct fd_sim_store *st = w->st;
    int count = 0;

    if (w->cursor < st->window_start) {
        w->expired_rv = w->cursor;
        append_expired(w, out, st->window_start + 1);
        return 1;
    }
    for (size_t i = hist_after(st, w->cursor); i < st->len; i++) {
        struct hist *h = hist_at(st, i);
        w->cursor = h->rv;
        if (h->res != w->res)
            continue;
        bool now_in = in_scope(w, h->obj);
        bool was_in = h->old && in_scope(w, h->old);
        const char *type = NULL;
        if (h->type == FD_SIM_ADDED)
            type = now_in ? "ADDED" : NULL;
        else if (h->type == FD_SIM_DELETED)
            type = was_in || now_in ? "DELETED" : NULL;
        else if (now_in)
            type = was_in ? "MODIFIED" : "ADDED";
        else if (was_in)
            type = "DELETED"; /* it left the selection */
        if (!type)
            continue;
        append_event(out, type, hist_text(h));
        count++;
    }
    return count;
}

int fd_sim_watch_next(struct fd_sim_watch *w, struct fd_buf *out, int wait_ms)
{
    struct fd_sim_store *st = w->st;
    int64_t start = fd_time_mono_ms();
    int n = 0;

    if (w->ended)
        return -1;
    if (w->initial.len) {
        fd_buf_append(out, w->initial.data, w->initial.len);
        fd_buf_free(&w->initial);
        w->last_sent = start;
        return w->initial_count;
    }
    fd_sim_store_lock(st);
    if (w->expired_rv) {
        append_expired(w, out, st->window_start + 1);
        fd_sim_store_unlock(st);
        return 1;
    }
    for (;;) {
        if (st->shutdown) {
            n = -1;
            break;
        }
        n = collect(w, out);
        if (n > 0)
            break;
        int64_t now = fd_time_mono_ms();
        if (now >= w->deadline) {
            n = -1;
            break;
        }
        if (w->bookmarks && now - w->last_sent >= w->bookmark_ms) {
            fd_buf_printf(
                out,
                "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"%s\",\"apiVersion\":\"%s\","
                "\"metadata\":{\"resourceVersion\":\"%" PRIu64 "\"}}}\n",
                w->res->kind, fd_sim_resource_api_version(w->res), w->cursor);
            n = 1;
            break;
        }
        int64_t until = w->deadline;
        if (w->bookmarks && w->last_sent + w->bookmark_ms < until)
            until = w->last_sent + w->bookmark_ms;
        if (wait_ms >= 0) {
            if (now >= start + wait_ms) {
                n = 0;
                break;
            }
            if (start + wait_ms < until)
                until = start + wait_ms;
        }
        if (until == INT64_MAX) {
            pthread_cond_wait(&st->changed, &st->mu);
        } else {
            struct timespec ts;
            deadline_ts(&ts, until);
            pthread_cond_timedwait(&st->changed, &st->mu, &ts);
        }
    }
    fd_sim_store_unlock(st);
    if (n > 0)
        w->last_sent = fd_time_mono_ms();
    if (n < 0 || (n > 0 && w->ended))
        w->ended = true;
    return n;
}

void fd_sim_watch_free(struct fd_sim_watch *w)
{
    if (!w)
        return;
    fd_buf_free(&w->initial);
    fd_sim_selector_free(w->labels);
    fd_sim_selector_free(w->fields);
    free(w->ns);
    free(w);
}
