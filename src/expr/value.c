/* expr/value.c: heap objects, reference counting, constructors, and the
 * public fd_value boxes around internal values. */
#include "config.h"

#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

/* A public value: a counted box holding one reference to an internal value. */
struct fd_value {
    struct fd_expr_obj h;
    struct fd_expr_val v;
};

#define FD_VAL_BOX        0xff /* kind of a public box header */
#define FD_VAL_BOX_STATIC 0xfe /* an immortal box: counting is skipped */

/* nil, true and false are the usual results of a condition: shared
 * immortal boxes make returning them allocation-free. Read-only after
 * initialisation, so sharing them between threads is safe. */
static struct fd_value static_nil = {.h = {.refs = 1, .kind = FD_VAL_BOX_STATIC},
                                     .v = {.kind = FD_VAL_NIL}};
static struct fd_value static_true = {.h = {.refs = 1, .kind = FD_VAL_BOX_STATIC},
                                      .v = {.kind = FD_VAL_BOOL, .u.b = true}};
static struct fd_value static_false = {.h = {.refs = 1, .kind = FD_VAL_BOX_STATIC},
                                       .v = {.kind = FD_VAL_BOOL, .u.b = false}};

static void obj_init(struct fd_expr_obj *o, uint8_t kind)
{
    atomic_init(&o->refs, 1);
    o->kind = kind;
}

static void obj_unref(struct fd_expr_obj *o)
{
    if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
        fd_expr_obj_free(o);
}

void fd_expr_obj_free(struct fd_expr_obj *o)
{
    switch (o->kind) {
    case FD_VAL_ARRAY: {
        struct fd_expr_arr *a = (struct fd_expr_arr *)o;
        if (!a->floats)
            for (size_t i = 0; i < a->len; i++)
                fd_expr_val_release(&a->items[i]);
        free(a->items);
        free(a->f);
        break;
    }
    case FD_VAL_MAP: {
        struct fd_expr_map *m = (struct fd_expr_map *)o;
        for (size_t i = 0; i < m->len; i++) {
            obj_unref(&m->e[i].key->h);
            fd_expr_val_release(&m->e[i].val);
            if (m->anykey)
                fd_expr_val_release(&m->e[i].kval);
        }
        free(m->e);
        break;
    }
    case FD_VAL_BOX: {
        struct fd_value *b = (struct fd_value *)o;
        fd_expr_val_release(&b->v);
        break;
    }
    default:
        break;
    }
    free(o);
}

/* ---- Strings ---- */

static struct fd_expr_str *str_alloc(size_t len)
{
    if (len > SIZE_MAX - sizeof(struct fd_expr_str) - 1)
        fd_fatal("string too large");
    struct fd_expr_str *s = fd_xmalloc(sizeof(*s) + len + 1);
    obj_init(&s->h, FD_VAL_STRING);
    s->len = len;
    s->data[len] = '\0';
    return s;
}

struct fd_expr_val fd_expr_bytes_new(const char *s, size_t len)
{
    struct fd_expr_val v = fd_expr_str_new(s, len);
    v.kind = FD_VAL_BYTES;
    return v;
}

struct fd_expr_val fd_expr_str_new(const char *s, size_t len)
{
    struct fd_expr_str *o = str_alloc(len);
    struct fd_expr_val v = {.kind = FD_VAL_STRING};

    if (len)
        memcpy(o->data, s, len);
    v.u.s = o;
    return v;
}

struct fd_expr_val fd_expr_str_cstr(const char *s)
{
    return fd_expr_str_new(s, strlen(s));
}

struct fd_expr_val fd_expr_str_take(char *s, size_t len)
{
    struct fd_expr_val v = fd_expr_str_new(s, len);
    free(s);
    return v;
}

struct fd_expr_val fd_expr_str_from_buf(struct fd_buf *b)
{
    struct fd_expr_val v = fd_expr_str_new(b->data ? b->data : "", b->len);
    fd_buf_free(b);
    return v;
}

size_t fd_expr_utf8_len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (k > 1) {
            /* A broken sequence counts its first byte as one rune, as Go. */
            if (i + k > len)
                k = 1;
            for (size_t j = 1; j < k; j++)
                if ((p[i + j] & 0xc0) != 0x80) {
                    k = 1;
                    break;
                }
        }
        i += k;
        n++;
    }
    return n;
}

/* ---- Arrays ---- */

struct fd_expr_val fd_expr_arr_new(size_t cap)
{
    struct fd_expr_arr *a = fd_xcalloc(1, sizeof(*a));
    struct fd_expr_val v = {.kind = FD_VAL_ARRAY};

    obj_init(&a->h, FD_VAL_ARRAY);
    if (cap) {
        a->items = fd_xreallocarray(NULL, cap, sizeof(*a->items));
        a->cap = cap;
    }
    v.u.a = a;
    return v;
}

void fd_expr_arr_push(struct fd_expr_val arr, struct fd_expr_val item)
{
    struct fd_expr_arr *a = arr.u.a;

    if (a->floats) {
        /* A []float64 only ever receives floats from the core. */
        if (a->len == a->cap) {
            a->cap = a->cap ? a->cap * 2 : 8;
            a->f = fd_xreallocarray(a->f, a->cap, sizeof(*a->f));
        }
        a->f[a->len++] = fd_expr_num(item);
        fd_expr_val_release(&item);
        return;
    }
    if (a->len == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->items = fd_xreallocarray(a->items, a->cap, sizeof(*a->items));
    }
    a->items[a->len++] = item;
}

struct fd_expr_val fd_expr_arr_float_new(const double *f, size_t n)
{
    struct fd_expr_val v = fd_expr_arr_new(0);

    v.u.a->floats = true;
    v.u.a->f = fd_xreallocarray(NULL, n ? n : 1, sizeof(double));
    if (n)
        memcpy(v.u.a->f, f, n * sizeof(double));
    v.u.a->len = v.u.a->cap = n;
    return v;
}

/* ---- Maps ---- */

struct fd_expr_val fd_expr_map_new(size_t cap)
{
    struct fd_expr_map *m = fd_xcalloc(1, sizeof(*m));
    struct fd_expr_val v = {.kind = FD_VAL_MAP};

    obj_init(&m->h, FD_VAL_MAP);
    if (cap) {
        m->e = fd_xreallocarray(NULL, cap, sizeof(*m->e));
        m->cap = cap;
    }
    v.u.m = m;
    return v;
}

static int key_cmp(const struct fd_expr_str *k, const char *key, size_t keylen)
{
    size_t n = k->len < keylen ? k->len : keylen;
    int c = n ? memcmp(k->data, key, n) : 0;

    if (c)
        return c;
    return k->len < keylen ? -1 : k->len > keylen ? 1 : 0;
}

/* Index of key, or -(insertion point) - 1. */
static ptrdiff_t map_find(const struct fd_expr_map *m, const char *key, size_t keylen)
{
    size_t lo = 0, hi = m->len;

    /* Fast path: building from sorted input (JSON objects are often sorted). */
    if (hi && key_cmp(m->e[hi - 1].key, key, keylen) < 0)
        return -(ptrdiff_t)hi - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(m->e[mid].key, key, keylen);
        if (c == 0)
            return (ptrdiff_t)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(ptrdiff_t)lo - 1;
}

void fd_expr_map_set(struct fd_expr_val map, const char *key, size_t keylen,
                     struct fd_expr_val item)
{
    struct fd_expr_map *m = map.u.m;
    ptrdiff_t at = map_find(m, key, keylen);

    if (at >= 0) {
        fd_expr_val_release(&m->e[at].val);
        m->e[at].val = item;
        return;
    }
    size_t pos = (size_t)(-at - 1);
    if (m->len == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 4;
        m->e = fd_xreallocarray(m->e, m->cap, sizeof(*m->e));
    }
    memmove(&m->e[pos + 1], &m->e[pos], (m->len - pos) * sizeof(*m->e));
    struct fd_expr_val k = fd_expr_str_new(key, keylen);
    m->e[pos].key = k.u.s;
    m->e[pos].val = item;
    m->e[pos].kval = fd_expr_nil();
    m->len++;
}

/* Big-endian bytes of x with the sign bit flipped, so signed order is byte
 * order (Go's fmt prints map[interface {}] int keys in numeric order). */
static void put_ordered(struct fd_buf *b, uint64_t x)
{
    x ^= UINT64_C(1) << 63;
    for (int s = 56; s >= 0; s -= 8)
        fd_buf_putc(b, (char)(x >> s));
}

bool fd_expr_anykey(struct fd_buf *b, struct fd_expr_val key, const char **unhashable)
{
    uint64_t u;
    double f;

    switch (key.kind) {
    case FD_VAL_NIL:
        fd_buf_putc(b, 'n');
        return true;
    case FD_VAL_BOOL:
        fd_buf_putc(b, 'b');
        fd_buf_putc(b, key.u.b ? '1' : '0');
        return true;
    case FD_VAL_INT:
    case FD_VAL_DURATION:
        fd_buf_putc(b, key.kind == FD_VAL_INT ? 'i' : 'd');
        /* its Go type (int, int64, uint8, time.Month...): uint8(97) and 97
         * are different keys */
        fd_buf_putc(b, (char)('0' + key.tag));
        put_ordered(b, (uint64_t)key.u.i);
        return true;
    case FD_VAL_FLOAT:
        fd_buf_putc(b, 'f');
        f = key.u.f == 0 ? 0 : key.u.f; /* -0 and +0 are one key */
        memcpy(&u, &f, sizeof(u));
        /* total order of IEEE doubles as unsigned bytes */
        u = (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
        put_ordered(b, u ^ (UINT64_C(1) << 63));
        if (isnan(key.u.f)) { /* NaN != NaN: in a Go map each is a key of its own */
            static _Atomic uint64_t nan_keys;
            put_ordered(b, ++nan_keys);
        }
        return true;
    case FD_VAL_STRING:
        if (key.tag == FD_EXPR_TAG_SEMVER) { /* a *semver.Version: Go hashes the pointer */
            fd_buf_putc(b, 'P');
            put_ordered(b, (uint64_t)(uintptr_t)key.u.s);
            return true;
        }
        /* a FreightOriginKind, a semver.Version: keys apart from the string */
        fd_buf_putc(b, key.tag == FD_EXPR_TAG_ORIGIN_KIND  ? 'k'
                       : key.tag == FD_EXPR_TAG_SEMVER_VAL ? 'V'
                                                           : 's');
        fd_buf_append(b, key.u.s->data, key.u.s->len);
        return true;
    case FD_VAL_MAP:
        if (fd_expr_is_struct_nil(key)) { /* a nil pointer, dereferenced: nil */
            fd_buf_putc(b, 'n');
            return true;
        }
        if (fd_expr_is_struct_ptr(key)) { /* *v1alpha1.Image...: the pointer */
            fd_buf_putc(b, 'P');
            put_ordered(b, (uint64_t)(uintptr_t)key.u.m);
            return true;
        }
        if (key.u.m->gostruct) { /* a struct value: its fields, if all are comparable */
            const char *name;
            size_t n = 0;
            const struct fd_expr_gofield *fields =
                fd_expr_gostruct_fields(key.u.m->gostruct, &name, &n);
            fd_buf_putc(b, 'g');
            fd_buf_putc(b, (char)key.u.m->gostruct);
            for (size_t i = 0; i < n; i++) {
                struct fd_expr_val fv;
                if (fields[i].kind == FD_T_MAP || fields[i].kind == FD_T_ARRAY) {
                    *unhashable = name;
                    return false;
                }
                if (!fd_expr_map_get(key.u.m, fields[i].go, strlen(fields[i].go), &fv))
                    continue;
                if (fv.kind == FD_VAL_STRING) {
                    put_ordered(b, fv.u.s->len);
                    fd_buf_append(b, fv.u.s->data, fv.u.s->len);
                } else if (fv.kind == FD_VAL_BOOL) {
                    fd_buf_putc(b, fv.u.b ? 't' : 'f');
                }
            }
            return true;
        }
        *unhashable = fd_expr_go_type(key);
        return false;
    case FD_VAL_TIME:
        if (key.u.t->nsec == -1 && key.tag == FD_EXPR_TAG_LOCVAL) {
            *unhashable = "time.Location"; /* the struct holds slices */
            return false;
        }
        if (key.u.t->nsec == -1) { /* a *time.Location: Go hashes the pointer */
            fd_buf_putc(b, 'p');
            put_ordered(b, key.u.t->locid);
            return true;
        }
        /* a time.Time: its wall clock, and its Location's pointer */
        fd_buf_putc(b, 't');
        put_ordered(b, (uint64_t)key.u.t->sec);
        put_ordered(b, (uint64_t)key.u.t->nsec);
        put_ordered(b, (uint64_t)(int64_t)key.u.t->offset);
        put_ordered(b, key.u.t->locid);
        return true;
    default:
        *unhashable = fd_expr_go_type(key);
        return false;
    }
}

const char *fd_expr_unhashable(struct fd_expr_val key)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *unhashable = NULL;

    fd_expr_anykey(&b, key, &unhashable);
    fd_buf_free(&b);
    return unhashable;
}

void fd_expr_map_set_any(struct fd_expr_val map, struct fd_expr_val key, struct fd_expr_val item)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *unhashable = NULL;

    if (!fd_expr_anykey(&b, key, &unhashable)) {
        fd_buf_free(&b);
        fd_expr_val_release(&item);
        return;
    }
    fd_expr_map_set_encoded(map, b.data, b.len, key, item);
    fd_buf_free(&b);
}

void fd_expr_map_set_encoded(struct fd_expr_val map, const char *enc, size_t enclen,
                             struct fd_expr_val key, struct fd_expr_val item)
{
    struct fd_expr_map *m = map.u.m;
    ptrdiff_t at = map_find(m, enc, enclen);

    fd_expr_map_set(map, enc, enclen, item);
    if (at < 0) {
        at = map_find(m, enc, enclen);
        m->e[at].kval = fd_expr_val_ref(key);
    }
}

struct fd_expr_val fd_expr_map_zero(const struct fd_expr_map *m)
{
    if (m->anykey && !m->anyvals) {
        struct fd_expr_val v = fd_expr_arr_new(0);
        v.u.a->isnil = true;
        return v;
    }
    return m->strvals ? fd_expr_str_new("", 0) : fd_expr_nil();
}

bool fd_expr_map_get_any(const struct fd_expr_map *m, struct fd_expr_val key,
                         struct fd_expr_val *out)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *unhashable = NULL;
    bool found;

    if (!m->anykey) {
        return key.kind == FD_VAL_STRING && fd_expr_map_get(m, key.u.s->data, key.u.s->len, out);
    }
    if (!fd_expr_anykey(&b, key, &unhashable)) {
        fd_buf_free(&b);
        return false;
    }
    found = fd_expr_map_get(m, b.data ? b.data : "", b.len, out);
    fd_buf_free(&b);
    return found;
}

struct fd_expr_val fd_expr_map_key(const struct fd_expr_map *m, size_t i)
{
    if (m->anykey)
        return fd_expr_val_ref(m->e[i].kval);
    return fd_expr_str_new(m->e[i].key->data, m->e[i].key->len);
}

bool fd_expr_map_get(const struct fd_expr_map *m, const char *key, size_t keylen,
                     struct fd_expr_val *out)
{
    ptrdiff_t at = map_find(m, key, keylen);

    if (at < 0)
        return false;
    *out = m->e[at].val;
    return true;
}

ptrdiff_t fd_expr_map_index(const struct fd_expr_map *m, const char *key, size_t keylen)
{
    ptrdiff_t at = map_find(m, key, keylen);

    return at < 0 ? -1 : at;
}

/* ---- Times ---- */

struct fd_expr_val fd_expr_time_new(int64_t sec, int32_t nsec, int32_t offset, const char *zone)
{
    bool utc = offset == 0 && (!zone || !*zone || strcmp(zone, "UTC") == 0);
    if (utc)
        return fd_expr_time_new_in(sec, nsec, offset, zone, "UTC");
    return fd_expr_time_new_fixed(sec, nsec, offset, zone, "");
}

struct fd_expr_val fd_expr_time_new_fixed(int64_t sec, int32_t nsec, int32_t offset,
                                          const char *zone, const char *name)
{
    struct fd_expr_val v = fd_expr_time_new_in(sec, nsec, offset, zone, name);
    v.u.t->fixed = true;
    /* time.FixedZone makes a new Location, but for an unnamed one of
     * whole hours from -12 to +14, which it takes from a cache */
    if (!*name && offset % 3600 == 0 && offset >= -12 * 3600 && offset <= 14 * 3600)
        v.u.t->locid = (1ULL << 62) + (uint64_t)(offset / 3600 + 12);
    else if (v.u.t->locid == 0)
        v.u.t->locid = fd_expr_loc_new_id();
    return v;
}

struct fd_expr_val fd_expr_time_like(const struct fd_expr_time *t, int64_t sec, int32_t nsec)
{
    struct fd_expr_val v = fd_expr_time_new_in(sec, nsec, t->offset, t->zone, t->loc);
    v.u.t->fixed = t->fixed;
    v.u.t->locid = t->locid;
    return v;
}

/* Serial numbers of time objects, in the order they were made. */
static _Atomic uint64_t time_serial;
/* *time.Location identities past time.UTC's (0) and time.Local's (1). */
static _Atomic uint64_t loc_ids = 2;

uint64_t fd_expr_loc_new_id(void)
{
    return atomic_fetch_add_explicit(&loc_ids, 1, memory_order_relaxed);
}

struct fd_expr_val fd_expr_time_new_in(int64_t sec, int32_t nsec, int32_t offset, const char *zone,
                                       const char *loc)
{
    struct fd_expr_time *t = fd_xcalloc(1, sizeof(*t));
    struct fd_expr_val v = {.kind = FD_VAL_TIME};

    obj_init(&t->h, FD_VAL_TIME);
    t->sec = sec;
    t->nsec = nsec;
    t->offset = offset;
    if (zone && *zone) {
        strncpy(t->zone, zone, sizeof(t->zone) - 1);
    } else if (offset == 0) {
        strcpy(t->zone, "UTC");
    } else {
        int32_t a = offset < 0 ? -offset : offset;
        snprintf(t->zone, sizeof(t->zone), "%c%02d%02d", offset < 0 ? '-' : '+', (int)(a / 3600),
                 (int)(a / 60 % 60));
    }
    if (loc)
        snprintf(t->loc, sizeof(t->loc), "%s", loc);
    t->serial = atomic_fetch_add_explicit(&time_serial, 1, memory_order_relaxed);
    t->locid = !loc || !*loc || strcmp(loc, "UTC") == 0 ? 0
               : strcmp(loc, "Local") == 0              ? 1
                                                        : fd_expr_loc_new_id();
    v.u.t = t;
    return v;
}

/* ---- Public boxes ---- */

fd_value *fd_expr_to_public(struct fd_expr_val v)
{
    if (v.kind == FD_VAL_NIL)
        return &static_nil;
    if (v.kind == FD_VAL_BOOL)
        return v.u.b ? &static_true : &static_false;

    struct fd_value *b = fd_xmalloc(sizeof(*b));

    obj_init(&b->h, FD_VAL_BOX);
    b->v = v;
    return b;
}

struct fd_expr_val fd_expr_from_public(const fd_value *v)
{
    return v ? v->v : fd_expr_nil();
}

fd_value *fd_value_nil(void)
{
    return fd_expr_to_public(fd_expr_nil());
}

fd_value *fd_value_bool(bool b)
{
    return fd_expr_to_public(fd_expr_bool(b));
}

fd_value *fd_value_int(int64_t i)
{
    return fd_expr_to_public(fd_expr_int(i));
}

fd_value *fd_value_float(double f)
{
    return fd_expr_to_public(fd_expr_float(f));
}

fd_value *fd_value_string(const char *s)
{
    return fd_expr_to_public(fd_expr_str_cstr(s));
}

fd_value *fd_value_float_array(const double *v, size_t n)
{
    return fd_expr_to_public(fd_expr_arr_float_new(v, n));
}

fd_value *fd_value_array_new(void)
{
    return fd_expr_to_public(fd_expr_arr_new(0));
}

void fd_value_array_push(fd_value *array, fd_value *item)
{
    struct fd_expr_val v = fd_expr_val_ref(item->v);

    fd_value_unref(item);
    fd_expr_arr_push(array->v, v);
}

fd_value *fd_value_map_new(void)
{
    return fd_expr_to_public(fd_expr_map_new(0));
}

void fd_value_map_set(fd_value *map, const char *key, fd_value *item)
{
    struct fd_expr_val v = fd_expr_val_ref(item->v);

    fd_value_unref(item);
    fd_expr_map_set(map->v, key, strlen(key), v);
}

fd_value *fd_value_ref(const fd_value *v)
{
    struct fd_value *b = (struct fd_value *)(uintptr_t)v;

    if (b->h.kind != FD_VAL_BOX_STATIC)
        atomic_fetch_add_explicit(&b->h.refs, 1, memory_order_relaxed);
    return b;
}

void fd_value_unref(fd_value *v)
{
    if (v && v->h.kind != FD_VAL_BOX_STATIC)
        obj_unref(&v->h);
}

enum fd_value_kind fd_value_kind(const fd_value *v)
{
    return (enum fd_value_kind)v->v.kind;
}

bool fd_value_as_bool(const fd_value *v, bool *out)
{
    if (v->v.kind != FD_VAL_BOOL)
        return false;
    *out = v->v.u.b;
    return true;
}

bool fd_value_as_number(const fd_value *v, double *out)
{
    if (!fd_expr_is_number(v->v))
        return false;
    *out = fd_expr_num(v->v);
    return true;
}

const char *fd_value_as_string(const fd_value *v, size_t *len)
{
    if (v->v.kind != FD_VAL_STRING)
        return NULL;
    if (len)
        *len = v->v.u.s->len;
    return v->v.u.s->data;
}

bool fd_value_as_time(const fd_value *v, int64_t *sec, int32_t *nsec)
{
    if (v->v.kind != FD_VAL_TIME)
        return false;
    *sec = v->v.u.t->sec;
    *nsec = v->v.u.t->nsec;
    return true;
}

bool fd_value_len(const fd_value *v, size_t *n)
{
    if (v->v.kind == FD_VAL_ARRAY)
        *n = fd_expr_arr_len(v->v.u.a);
    else if (v->v.kind == FD_VAL_MAP)
        *n = v->v.u.m->len;
    else
        return false;
    return true;
}

const char *fd_value_go_type(const fd_value *v)
{
    return fd_expr_go_type(v->v);
}
