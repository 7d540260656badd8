/* model/store.c: the object store — a locked index for the writer, immutable
 * reference-counted snapshots for the readers. */
#include "config.h"

#include "freightdeck/model.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The index is one array per kind, sorted by namespace then name: lookups
 * are binary searches, and a snapshot is a copy of the array, so the UI's
 * snapshot after an event costs O(n) pointer copies, not a sort. */
struct entry {
    struct fd_model_object *obj;
    uint64_t seen; /* relist epoch that last listed it */
};

/* A sorted, immutable list of one kind's objects, shared by snapshots. */
struct view {
    _Atomic int refs;
    size_t n;
    struct fd_model_object **items;
    bool overflow;
    size_t dropped;
};

struct kind_table {
    struct entry *entries;
    size_t count;
    size_t cap_entries;
    size_t cap;
    bool overflow;
    size_t dropped;
    char *rv;
    struct view *view; /* cached; NULL when the kind changed since */
};

struct fd_model_snapshot {
    _Atomic int refs;
    uint64_t gen;
    struct view *views[FD_MODEL_KIND__COUNT];
};

struct fd_model_store {
    pthread_mutex_t mu;
    uint64_t gen;
    uint64_t epoch;
    struct kind_table kinds[FD_MODEL_KIND__COUNT];
    struct fd_model_snapshot *snap; /* the last one handed out */
};

static const char *const event_names[] = {
#define FD_MODEL_EVENT_ROW(id, text) text,
    FD_MODEL_EVENT_TABLE(FD_MODEL_EVENT_ROW)
#undef FD_MODEL_EVENT_ROW
};

static const char *const apply_names[] = {
#define FD_MODEL_APPLY_ROW(id, text) text,
    FD_MODEL_APPLY_TABLE(FD_MODEL_APPLY_ROW)
#undef FD_MODEL_APPLY_ROW
};

bool fd_model_event_parse(const char *text, enum fd_model_event *out)
{
    for (size_t i = 0; text && i < FD_ARRAY_SIZE(event_names); i++) {
        if (strcmp(text, event_names[i]) == 0) {
            *out = (enum fd_model_event)i;
            return true;
        }
    }
    return false;
}

const char *fd_model_apply_result_name(enum fd_model_apply_result r)
{
    return (unsigned)r < FD_ARRAY_SIZE(apply_names) ? apply_names[r] : "unknown";
}

/* ---- Keys and resource versions ----------------------------------------------- */
static const char *ns_of(const struct fd_model_object *o)
{
    return o->meta.ns ? o->meta.ns : "";
}

/* Orders keys (ns, name) as the snapshots list them. */
static int key_cmp(const char *ns, const char *name, const struct fd_model_object *o)
{
    int c = strcmp(ns, ns_of(o));

    return c ? c : strcmp(name, o->meta.name);
}

/* resourceVersions are opaque to clients, but every real API server (etcd)
 * uses decimal integers; only those are ordered. */
static bool rv_number(const char *rv, uint64_t *out)
{
    uint64_t v = 0;

    if (!rv || !*rv || strlen(rv) > 19)
        return false;
    for (const char *p = rv; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return true;
}

/* <0 older, 0 same, >0 newer or not comparable-but-different. */
static int rv_compare(const char *incoming, const char *stored)
{
    uint64_t a, b;

    if (rv_number(incoming, &a) && rv_number(stored, &b))
        return a < b ? -1 : a > b;
    return fd_streq(incoming, stored) ? 0 : 1;
}

static void note_rv(struct kind_table *kt, const char *rv)
{
    if (!rv || !*rv)
        return;
    if (kt->rv && rv_compare(rv, kt->rv) <= 0)
        return;
    free(kt->rv);
    kt->rv = fd_xstrdup(rv);
}

/* ---- Views and snapshots --------------------------------------------------------- */
static void view_release(struct view *v)
{
    if (!v || atomic_fetch_sub_explicit(&v->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t i = 0; i < v->n; i++)
        fd_model_object_unref(v->items[i]);
    free(v->items);
    free(v);
}

static struct view *view_build(struct kind_table *kt)
{
    struct view *v = fd_xcalloc(1, sizeof(*v));
    size_t k = 0;

    atomic_init(&v->refs, 1);
    v->items = kt->count ? fd_xcalloc(kt->count, sizeof(*v->items)) : NULL;
    for (; k < kt->count; k++)
        v->items[k] = fd_model_object_ref(kt->entries[k].obj);
    v->n = k;
    v->overflow = kt->overflow;
    v->dropped = kt->dropped;
    return v;
}

void fd_model_snapshot_release(struct fd_model_snapshot *snap)
{
    if (!snap || atomic_fetch_sub_explicit(&snap->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (size_t i = 0; i < FD_MODEL_KIND__COUNT; i++)
        view_release(snap->views[i]);
    free(snap);
}

struct fd_model_snapshot *fd_model_store_snapshot(struct fd_model_store *store)
{
    struct fd_model_snapshot *s;

    pthread_mutex_lock(&store->mu);
    if (!store->snap || store->snap->gen != store->gen) {
        s = fd_xcalloc(1, sizeof(*s));
        atomic_init(&s->refs, 1); /* the store's reference */
        s->gen = store->gen;
        for (size_t i = 0; i < FD_MODEL_KIND__COUNT; i++) {
            struct kind_table *kt = &store->kinds[i];
            if (!kt->view)
                kt->view = view_build(kt);
            atomic_fetch_add_explicit(&kt->view->refs, 1, memory_order_relaxed);
            s->views[i] = kt->view;
        }
        fd_model_snapshot_release(store->snap);
        store->snap = s;
    }
    s = store->snap;
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&store->mu);
    return s;
}

uint64_t fd_model_snapshot_generation(const struct fd_model_snapshot *snap)
{
    return snap->gen;
}

struct fd_model_object *const *fd_model_snapshot_list(const struct fd_model_snapshot *snap,
                                                      enum fd_model_kind kind, size_t *n)
{
    if ((unsigned)kind >= FD_MODEL_KIND__COUNT) {
        *n = 0;
        return NULL;
    }
    *n = snap->views[kind]->n;
    return snap->views[kind]->items;
}

bool fd_model_snapshot_overflow(const struct fd_model_snapshot *snap, enum fd_model_kind kind,
                                size_t *dropped)
{
    if ((unsigned)kind >= FD_MODEL_KIND__COUNT)
        return false;
    if (dropped)
        *dropped = snap->views[kind]->dropped;
    return snap->views[kind]->overflow;
}

const struct fd_model_object *fd_model_snapshot_find(const struct fd_model_snapshot *snap,
                                                     enum fd_model_kind kind, const char *ns,
                                                     const char *name)
{
    size_t lo = 0, hi;
    const struct view *v;

    if ((unsigned)kind >= FD_MODEL_KIND__COUNT || !name)
        return NULL;
    v = snap->views[kind];
    hi = v->n;
    if (!ns)
        ns = "";
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct fd_model_object *o = v->items[mid];
        int c = strcmp(ns, ns_of(o));
        if (!c)
            c = strcmp(name, o->meta.name);
        if (!c)
            return o;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- The index (called with the lock held) ---------------------------------------- */
/* The position of key (ns, name) among the first n entries: *found says
 * whether it is there. */
static size_t find_in(const struct kind_table *kt, size_t n, const char *ns, const char *name,
                      bool *found)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(ns, name, kt->entries[mid].obj);
        if (!c) {
            *found = true;
            return mid;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    *found = false;
    return lo;
}

static size_t find(const struct kind_table *kt, const char *ns, const char *name, bool *found)
{
    return find_in(kt, kt->count, ns, name, found);
}

static void reserve(struct kind_table *kt, size_t n)
{
    if (n <= kt->cap_entries)
        return;
    size_t cap = kt->cap_entries ? kt->cap_entries : 64;
    while (cap < n)
        cap *= 2;
    kt->entries = fd_xreallocarray(kt->entries, cap, sizeof(*kt->entries));
    kt->cap_entries = cap;
}

static void changed(struct fd_model_store *st, struct kind_table *kt)
{
    st->gen++;
    view_release(kt->view);
    kt->view = NULL;
}

/* Replaces the stored object at pos by obj (taking the reference), unless
 * obj is the same version (or, with check_rv, an older one). */
static enum fd_model_apply_result replace(struct fd_model_store *st, struct kind_table *kt,
                                          size_t pos, struct fd_model_object *obj, bool check_rv)
{
    struct entry *e = &kt->entries[pos];
    int c = rv_compare(obj->meta.resource_version, e->obj->meta.resource_version);

    e->seen = st->epoch;
    if (c == 0 || (check_rv && c < 0)) {
        fd_model_object_unref(obj);
        return c == 0 ? FD_MODEL_APPLY_UNCHANGED : FD_MODEL_APPLY_STALE;
    }
    changed(st, kt);
    obj->change_count = e->obj->change_count + 1;
    obj->changed_at = st->gen;
    fd_model_object_unref(e->obj);
    e->obj = obj;
    return FD_MODEL_APPLY_STORED;
}

/* Over the cap: the object is dropped and the kind marked overflowed. */
static enum fd_model_apply_result drop(struct fd_model_store *st, struct kind_table *kt,
                                       struct fd_model_object *obj)
{
    fd_model_object_unref(obj);
    changed(st, kt);
    kt->overflow = true;
    kt->dropped++;
    return FD_MODEL_APPLY_DROPPED;
}

static void fresh(struct fd_model_store *st, struct fd_model_object *obj)
{
    obj->change_count = 1;
    obj->changed_at = st->gen;
}

/* Stores obj (taking the reference) replacing any object with its key. */
static enum fd_model_apply_result put(struct fd_model_store *st, struct fd_model_object *obj)
{
    struct kind_table *kt = &st->kinds[obj->kind];
    bool found;
    size_t pos = find(kt, ns_of(obj), obj->meta.name, &found);

    if (found)
        return replace(st, kt, pos, obj, true);
    if (kt->count >= kt->cap)
        return drop(st, kt, obj);
    reserve(kt, kt->count + 1);
    memmove(&kt->entries[pos + 1], &kt->entries[pos], (kt->count - pos) * sizeof(*kt->entries));
    kt->entries[pos] = (struct entry){obj, st->epoch};
    kt->count++;
    changed(st, kt);
    fresh(st, obj);
    return FD_MODEL_APPLY_STORED;
}

static void remove_at(struct kind_table *kt, size_t pos)
{
    fd_model_object_unref(kt->entries[pos].obj);
    memmove(&kt->entries[pos], &kt->entries[pos + 1], (kt->count - pos - 1) * sizeof(*kt->entries));
    kt->count--;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;

    return key_cmp(ns_of(x->obj), x->obj->meta.name, y->obj);
}

/* ---- Public API -------------------------------------------------------------------- */
struct fd_model_store *fd_model_store_new(size_t cap)
{
    struct fd_model_store *st = fd_xcalloc(1, sizeof(*st));

    pthread_mutex_init(&st->mu, NULL);
    for (size_t i = 0; i < FD_MODEL_KIND__COUNT; i++)
        st->kinds[i].cap = cap ? cap : FD_MODEL_DEFAULT_CAP;
    return st;
}

void fd_model_store_free(struct fd_model_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < FD_MODEL_KIND__COUNT; i++) {
        struct kind_table *kt = &st->kinds[i];
        for (size_t k = 0; k < kt->count; k++)
            fd_model_object_unref(kt->entries[k].obj);
        free(kt->entries);
        free(kt->rv);
        view_release(kt->view);
    }
    fd_model_snapshot_release(st->snap);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

void fd_model_store_set_cap(struct fd_model_store *st, enum fd_model_kind kind, size_t cap)
{
    if ((unsigned)kind >= FD_MODEL_KIND__COUNT)
        return;
    pthread_mutex_lock(&st->mu);
    st->kinds[kind].cap = cap;
    pthread_mutex_unlock(&st->mu);
}

enum fd_model_apply_result fd_model_store_apply(struct fd_model_store *st, enum fd_model_event ev,
                                                struct fd_model_object *obj)
{
    enum fd_model_apply_result r = FD_MODEL_APPLY_BOOKMARK;
    struct kind_table *kt;

    if ((unsigned)obj->kind >= FD_MODEL_KIND__COUNT) {
        fd_model_object_unref(obj);
        return FD_MODEL_APPLY_ABSENT;
    }
    pthread_mutex_lock(&st->mu);
    kt = &st->kinds[obj->kind];
    note_rv(kt, obj->meta.resource_version);
    switch (ev) {
    case FD_MODEL_EVENT_ADDED:
    case FD_MODEL_EVENT_MODIFIED:
        r = put(st, obj);
        obj = NULL;
        break;
    case FD_MODEL_EVENT_DELETED: {
        bool found;
        size_t pos = find(kt, ns_of(obj), obj->meta.name, &found);
        if (!found) {
            r = FD_MODEL_APPLY_ABSENT;
        } else if (rv_compare(obj->meta.resource_version,
                              kt->entries[pos].obj->meta.resource_version) < 0) {
            r = FD_MODEL_APPLY_STALE;
        } else {
            remove_at(kt, pos);
            changed(st, kt);
            r = FD_MODEL_APPLY_DELETED;
        }
        break;
    }
    case FD_MODEL_EVENT_BOOKMARK:
    case FD_MODEL_EVENT__COUNT:
        break;
    }
    pthread_mutex_unlock(&st->mu);
    fd_model_object_unref(obj);
    return r;
}

enum fd_status fd_model_store_apply_event_json(struct fd_model_store *st, const json_t *event,
                                               enum fd_model_kind hint,
                                               enum fd_model_apply_result *res, char **err)
{
    const json_t *type = json_object_get(event, "type"), *object;
    enum fd_model_event ev;
    struct fd_model_object *obj;
    enum fd_status rc;

    *err = NULL;
    if (!json_is_object(event)) {
        *err = fd_xstrdup("watch event: expected an object");
        return FD_PARSE;
    }
    if (!json_is_string(type) || !fd_model_event_parse(json_string_value(type), &ev)) {
        *err = fd_xasprintf("watch event: unknown type %s",
                            json_is_string(type) ? json_string_value(type) : "(none)");
        return FD_PARSE;
    }
    object = json_object_get(event, "object");
    if (ev == FD_MODEL_EVENT_BOOKMARK) {
        /* A bookmark carries only kind and metadata.resourceVersion. */
        const json_t *k = json_object_get(object, "kind");
        const json_t *rv = json_object_get(json_object_get(object, "metadata"), "resourceVersion");
        enum fd_model_kind kind =
            json_is_string(k) ? fd_model_kind_from_name(json_string_value(k)) : hint;
        if (kind == FD_MODEL_KIND_UNKNOWN || !json_is_string(rv)) {
            *err = fd_xstrdup("watch event: BOOKMARK without kind or resourceVersion");
            return FD_PARSE;
        }
        pthread_mutex_lock(&st->mu);
        note_rv(&st->kinds[kind], json_string_value(rv));
        pthread_mutex_unlock(&st->mu);
        if (res)
            *res = FD_MODEL_APPLY_BOOKMARK;
        return FD_OK;
    }
    rc = fd_model_decode(object, hint, &obj, err);
    if (rc != FD_OK) {
        char *e = *err;
        *err = fd_xasprintf("watch event %s: %s", event_names[ev], e);
        free(e);
        return rc;
    }
    enum fd_model_apply_result r = fd_model_store_apply(st, ev, obj);
    if (res)
        *res = r;
    return FD_OK;
}

bool fd_model_rv_newer(const char *a, const char *b)
{
    uint64_t x, y;

    return rv_number(a, &x) && rv_number(b, &y) && x > y;
}

/* Whether ns is one of keep[0..n_keep-1]. */
static bool kept(const char *ns, const char *const *keep, size_t n_keep)
{
    for (size_t i = 0; i < n_keep; i++)
        if (strcmp(ns, keep[i]) == 0)
            return true;
    return false;
}

/* The relist proper: objects of namespace ns (NULL: every one) but those of
 * the namespaces in keep are replaced by the list's. */
static size_t relist(struct fd_model_store *st, enum fd_model_kind kind, const char *ns,
                     const char *const *keep, size_t n_keep, struct fd_model_object **objs,
                     size_t n, const char *list_rv)
{
    struct kind_table *kt;
    size_t deleted = 0, dropped = 0;

    if ((unsigned)kind >= FD_MODEL_KIND__COUNT) {
        for (size_t i = 0; i < n; i++)
            fd_model_object_unref(objs[i]);
        return 0;
    }
    pthread_mutex_lock(&st->mu);
    kt = &st->kinds[kind];
    st->epoch++;
    /* Mark what is still listed and sweep the rest first, so the cap
     * counts only what the list holds. */
    for (size_t i = 0; i < n; i++) {
        bool found;
        size_t pos;
        if (objs[i]->kind != kind || (ns && !fd_streq(ns_of(objs[i]), ns)) ||
            kept(ns_of(objs[i]), keep, n_keep))
            continue;
        pos = find(kt, ns_of(objs[i]), objs[i]->meta.name, &found);
        if (found)
            kt->entries[pos].seen = st->epoch;
    }
    size_t kept_n = 0;
    for (size_t k = 0; k < kt->count; k++) {
        struct entry *e = &kt->entries[k];
        if (e->seen != st->epoch && (!ns || strcmp(ns_of(e->obj), ns) == 0) &&
            !kept(ns_of(e->obj), keep, n_keep)) {
            fd_model_object_unref(e->obj);
            deleted++;
        } else {
            kt->entries[kept_n++] = *e;
        }
    }
    kt->count = kept_n;
    /* The list is authoritative: it is not checked against stored versions.
     * New objects are appended and sorted in once. */
    size_t sorted = kt->count;
    bool added = false;
    for (size_t i = 0; i < n; i++) {
        bool found;
        size_t pos;
        if (objs[i]->kind != kind || (ns && !fd_streq(ns_of(objs[i]), ns)) ||
            kept(ns_of(objs[i]), keep, n_keep)) {
            fd_model_object_unref(objs[i]);
            continue;
        }
        pos = find_in(kt, sorted, ns_of(objs[i]), objs[i]->meta.name, &found);
        if (found) {
            replace(st, kt, pos, objs[i], false);
        } else if (kt->count >= kt->cap) {
            fd_model_object_unref(objs[i]);
            dropped++;
        } else {
            reserve(kt, kt->count + 1);
            kt->entries[kt->count++] = (struct entry){objs[i], st->epoch};
            fresh(st, objs[i]);
            added = true;
        }
    }
    if (added) {
        qsort(kt->entries, kt->count, sizeof(*kt->entries), entry_cmp);
        /* A list naming an object twice keeps one of them. */
        size_t w = 0;
        for (size_t k = 0; k < kt->count; k++) {
            if (w && entry_cmp(&kt->entries[w - 1], &kt->entries[k]) == 0) {
                fd_model_object_unref(kt->entries[w - 1].obj);
                kt->entries[w - 1] = kt->entries[k];
            } else {
                kt->entries[w++] = kt->entries[k];
            }
        }
        kt->count = w;
        changed(st, kt);
    }
    if (deleted || kt->overflow != (dropped > 0) || kt->dropped != dropped)
        changed(st, kt);
    kt->overflow = dropped > 0;
    kt->dropped = dropped;
    if (list_rv) {
        free(kt->rv);
        kt->rv = fd_xstrdup(list_rv);
    }
    pthread_mutex_unlock(&st->mu);
    return deleted;
}

size_t fd_model_store_relist(struct fd_model_store *st, enum fd_model_kind kind, const char *ns,
                             struct fd_model_object **objs, size_t n, const char *list_rv)
{
    return relist(st, kind, ns, NULL, 0, objs, n, list_rv);
}

size_t fd_model_store_relist_except(struct fd_model_store *st, enum fd_model_kind kind,
                                    const char *const *keep, size_t n_keep,
                                    struct fd_model_object **objs, size_t n, const char *list_rv)
{
    return relist(st, kind, NULL, keep, n_keep, objs, n, list_rv);
}

bool fd_model_list_items(const json_t *body, const json_t **items, const char **why)
{
    const json_t *it = json_object_get(body, "items");

    *items = NULL;
    if (!json_is_object(body)) {
        *why = "the answer is not a JSON object";
        return false;
    }
    if (!json_is_array(it) && !json_is_null(it)) {
        *why = "the answer has no items array";
        return false;
    }
    *items = json_is_array(it) ? it : NULL;
    return true;
}

enum fd_status fd_model_store_relist_json(struct fd_model_store *st, enum fd_model_kind kind,
                                          const char *ns, const json_t *body, size_t *skipped,
                                          char **err)
{
    const json_t *items;
    const json_t *rv = json_object_get(json_object_get(body, "metadata"), "resourceVersion");
    struct fd_model_object **objs;
    size_t n = 0, bad = 0;
    const char *why;

    *err = NULL;
    if (skipped)
        *skipped = 0;
    if (!fd_model_list_items(body, &items, &why)) {
        *err = fd_xasprintf("%s list: malformed answer: %s", fd_model_kind_name(kind), why);
        return FD_PARSE;
    }
    objs = fd_xcalloc(json_array_size(items) + 1, sizeof(*objs));
    for (size_t i = 0; i < json_array_size(items); i++) {
        char *e = NULL;
        if (fd_model_decode(json_array_get(items, i), kind, &objs[n], &e) == FD_OK) {
            n++;
            continue;
        }
        if (!bad++)
            *err = fd_xasprintf("%s list: items[%zu]: %s", fd_model_kind_name(kind), i, e);
        free(e);
    }
    fd_model_store_relist(st, kind, ns, objs, n, json_is_string(rv) ? json_string_value(rv) : NULL);
    free(objs);
    if (skipped)
        *skipped = bad;
    return FD_OK;
}

char *fd_model_store_resource_version(struct fd_model_store *st, enum fd_model_kind kind)
{
    char *rv = NULL;

    if ((unsigned)kind >= FD_MODEL_KIND__COUNT)
        return NULL;
    pthread_mutex_lock(&st->mu);
    if (st->kinds[kind].rv)
        rv = fd_xstrdup(st->kinds[kind].rv);
    pthread_mutex_unlock(&st->mu);
    return rv;
}

uint64_t fd_model_store_generation(struct fd_model_store *st)
{
    uint64_t g;

    pthread_mutex_lock(&st->mu);
    g = st->gen;
    pthread_mutex_unlock(&st->mu);
    return g;
}
