/* expr/yaml_out.c: Kargo's asYAML(), which is go.yaml.in/yaml/v3's Marshal
 * of the value: block style, its emitter's indentation (increase_indent),
 * map keys in keyList.Less's natural order, complex keys; each string
 * scalar is yaml_scalar.c's. */
#include "config.h"

#include "builtins.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* where the line being written starts in b */
static size_t line_start(const struct fd_buf *b)
{
    size_t i = b->len;

    while (i > 0 && b->data[i - 1] != '\n')
        i--;
    return i;
}

/* ends the line of a value unless a block scalar's last break did */
static void end_line(struct fd_buf *b, size_t from)
{
    if (b->len == from || b->data[b->len - 1] != '\n')
        fd_buf_putc(b, '\n');
}

/* []rune(s): invalid bytes one U+FFFD each. Returns the count; *out is
 * new (caller frees). */
static size_t to_runes(const unsigned char *s, size_t len, uint32_t **out)
{
    uint32_t *r = fd_xcalloc(len + 1, sizeof(*r));
    size_t n = 0;

    for (size_t i = 0; i < len;) {
        size_t w = fd_utf8_decode((const char *)s + i, len - i, &r[n]);
        if (w == 0) {
            r[n] = 0xFFFD;
            w = 1;
        }
        n++;
        i += w;
    }
    *out = r;
    return n;
}

/* keyList.Less for two strings (sorter.go): rune by rune, letters
 * (unicode.IsLetter) after others unless digits came before, runs of
 * digits (unicode.IsDigit, valued as Go does: rune - '0', wrapping int64)
 * by value. */
static int string_key_cmp(const unsigned char *sa, size_t la0, const unsigned char *sb, size_t lb0)
{
    uint32_t *a, *b;
    size_t la = to_runes(sa, la0, &a), lb = to_runes(sb, lb0, &b);
    bool digits = false;
    int r = la < lb ? -1 : la > lb ? 1 : 0;

    for (size_t i = 0; i < la && i < lb; i++) {
        if (a[i] == b[i]) {
            digits = fd_unicode_is_digit(a[i]);
            continue;
        }
        bool al = fd_unicode_is_letter(a[i]), bl = fd_unicode_is_letter(b[i]);
        if (al && bl) {
            r = a[i] < b[i] ? -1 : 1;
            break;
        }
        if (al || bl) {
            r = (digits ? al : bl) ? -1 : 1;
            break;
        }
        uint64_t an = 0, bn = 0; /* (int64 arithmetic, wrapping as Go's) */
        size_t ai, bi;
        if (a[i] == '0' || b[i] == '0') {
            for (size_t j = i; j-- > 0 && fd_unicode_is_digit(a[j]);)
                if (a[j] != '0') {
                    an = bn = 1;
                    break;
                }
        }
        for (ai = i; ai < la && fd_unicode_is_digit(a[ai]); ai++)
            an = an * 10 + (uint64_t)(int64_t)((int32_t)a[ai] - '0');
        for (bi = i; bi < lb && fd_unicode_is_digit(b[bi]); bi++)
            bn = bn * 10 + (uint64_t)(int64_t)((int32_t)b[bi] - '0');
        if (an != bn)
            r = (int64_t)an < (int64_t)bn ? -1 : 1;
        else if (ai != bi)
            r = ai < bi ? -1 : 1;
        else
            r = a[i] < b[i] ? -1 : 1;
        break;
    }
    free(a);
    free(b);
    return r;
}

static int key_cmp(const void *pa, const void *pb)
{
    const struct fd_expr_map_entry *ea = *(const struct fd_expr_map_entry *const *)pa;
    const struct fd_expr_map_entry *eb = *(const struct fd_expr_map_entry *const *)pb;

    return string_key_cmp((const unsigned char *)ea->key->data, ea->key->len,
                          (const unsigned char *)eb->key->data, eb->key->len);
}

/* The reflect.Kind of a key of a map[interface {}]..., as keyList.Less
 * sees it once it has looked through the interface and a pointer; its
 * numbers order keys of different kinds. */
static int key_kind(struct fd_expr_val v)
{
    switch (v.kind) {
    case FD_VAL_BOOL:
        return 1;
    case FD_VAL_INT: /* int, time.Month, time.Weekday: Int; int64: Int64 */
        return v.tag == FD_EXPR_TAG_INT64 ? 6 : v.tag == FD_EXPR_TAG_UINT8 ? 8 : 2;
    case FD_VAL_DURATION:
        return 6;
    case FD_VAL_FLOAT:
        return 14;
    case FD_VAL_STRING:
        return 24;
    case FD_VAL_TIME: /* a time.Time, or the Location a pointer points at */
        return 25;
    default: /* nil: the interface {} itself */
        return 20;
    }
}

/* keyFloat: numbers and bools as a float64. */
static bool key_float(struct fd_expr_val v, double *f)
{
    switch (v.kind) {
    case FD_VAL_BOOL:
        *f = v.u.b ? 1 : 0;
        return true;
    case FD_VAL_INT:
        *f = fd_expr_int_double(v);
        return true;
    case FD_VAL_DURATION:
        *f = (double)v.u.i;
        return true;
    case FD_VAL_FLOAT:
        *f = v.u.f;
        return true;
    default:
        return false;
    }
}

/* keyList.Less for the keys of a map[interface {}]...: numbers and bools
 * by value, then kind, then numLess; strings as string_key_cmp; any other
 * pair by kind (NaNs and equal kinds compare equal, as in Go). */
static int any_key_cmp(const void *pa, const void *pb)
{
    struct fd_expr_val a = (*(const struct fd_expr_map_entry *const *)pa)->kval;
    struct fd_expr_val b = (*(const struct fd_expr_map_entry *const *)pb)->kval;
    int ak = key_kind(a), bk = key_kind(b);
    double af, bf;

    if (key_float(a, &af) && key_float(b, &bf)) {
        if (af != bf)
            return af < bf ? -1 : af > bf ? 1 : 0;
        if (ak != bk)
            return ak < bk ? -1 : 1;
        if (a.kind == FD_VAL_FLOAT || a.kind == FD_VAL_BOOL)
            return 0; /* equal floats; numLess of bools: false < true, equal here */
        return a.u.i < b.u.i ? -1 : a.u.i > b.u.i ? 1 : 0;
    }
    if (ak != 24 || bk != 24)
        return ak < bk ? -1 : ak > bk ? 1 : 0;
    return string_key_cmp((const unsigned char *)a.u.s->data, a.u.s->len,
                          (const unsigned char *)b.u.s->data, b.u.s->len);
}

static bool is_block(struct fd_expr_val v)
{
    return (v.kind == FD_VAL_ARRAY && v.u.a->len > 0) || (v.kind == FD_VAL_MAP && v.u.m->len > 0);
}

/* yaml_emitter_increase_indent: the indentation of a node whose parent
 * has indentation ind (-1 at the top); a scalar's (flow) continuation lines
 * start at 4 there. Inside a sequence item a node skips the "- "; anything
 * else aligns to the next multiple of four. */
static int y_inc(int ind, bool in_seq, bool flow)
{
    if (ind < 0)
        return flow ? FD_EXPR_YAML_INDENT : 0;
    return in_seq ? ind + 2
                  : FD_EXPR_YAML_INDENT * ((ind + FD_EXPR_YAML_INDENT) / FD_EXPR_YAML_INDENT);
}

static bool node(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq, const char **err);
static bool block_seq(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq,
                      bool inline_first, const char **err);
static bool block_map(struct fd_buf *b, const struct fd_expr_map *m, int pind, bool pseq,
                      bool inline_first, const char **err);

/* A block collection as a node's value: its first line continues the
 * current one when inline (after "- ", or after a complex key's ":"). */
static bool block(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq, bool inline_first,
                  const char **err)
{
    return v.kind == FD_VAL_MAP ? block_map(b, v.u.m, pind, pseq, inline_first, err)
                                : block_seq(b, v, pind, pseq, inline_first, err);
}

/* One entry of a block mapping whose indentation is ind. */
static bool map_item(struct fd_buf *b, const struct fd_expr_map *m,
                     const struct fd_expr_map_entry *e, const char *key, size_t keylen, int ind,
                     const char **err)
{
    struct fd_expr_val val = e->val;
    bool ok = true;
    struct fd_expr_val kv = m->anykey ? e->kval : fd_expr_nil();
    bool kstring = !m->anykey || (kv.kind == FD_VAL_STRING && !fd_expr_is_semver(kv));
    if (kstring && m->anykey) {
        key = kv.u.s->data;
        keylen = kv.u.s->len;
    }
    bool complex = kstring && !fd_expr_yaml_simple_key(key, keylen);
    size_t from = b->len;

    if (complex) { /* "? key", then ":" at the mapping's indentation */
        fd_buf_puts(b, "? ");
        fd_expr_yaml_scalar(b, key, keylen, y_inc(ind, false, true), false);
        end_line(b, from);
        fd_expr_yaml_indent(b, ind);
    } else if (kstring) {
        fd_expr_yaml_scalar(b, key, keylen, y_inc(ind, false, true), true);
    } else { /* a key of any type marshals as a value does */
        ok = node(b, kv, ind, false, err);
    }
    fd_buf_putc(b, ':');
    if (!ok)
        return false;
    if (is_block(val)) {
        if (complex) { /* the block starts on the ":" line, at its indentation */
            fd_expr_yaml_indent(b, y_inc(ind, false, false) - (int)(b->len - line_start(b)));
            return block(b, val, ind, false, true, err);
        }
        fd_buf_putc(b, '\n');
        return block(b, val, ind, false, false, err);
    }
    fd_buf_putc(b, ' ');
    from = b->len;
    ok = node(b, val, ind, false, err);
    end_line(b, from);
    return ok;
}

/* A block mapping under a parent of indentation pind: keys in yaml.v3's
 * order, one per line at the mapping's own indentation. One of Kargo's
 * structs (no yaml tags) has its fields in declaration order, each keyed by
 * its Go name in lower case, as yaml.v3 names them. */
static bool block_map(struct fd_buf *b, const struct fd_expr_map *m, int pind, bool pseq,
                      bool inline_first, const char **err)
{
    int ind = y_inc(pind, pseq, false);
    const char *sname;
    size_t nf = 0;
    const struct fd_expr_gofield *f =
        m->gostruct ? fd_expr_gostruct_fields(m->gostruct, &sname, &nf) : NULL;
    const struct fd_expr_map_entry **e = fd_xcalloc(m->len + 1, sizeof(*e));
    size_t n = 0;

    if (f) {
        for (size_t i = 0; i < nf; i++)
            for (size_t k = 0; k < m->len; k++)
                if (strcmp(m->e[k].key->data, f[i].go) == 0)
                    e[n++] = &m->e[k];
    } else {
        for (size_t i = 0; i < m->len; i++)
            e[n++] = &m->e[i];
        qsort(e, n, sizeof(*e), m->anykey ? any_key_cmp : key_cmp);
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (i > 0 || !inline_first)
            fd_expr_yaml_indent(b, ind);
        if (f) {
            char *lower = fd_xstrdup(e[i]->key->data);
            for (char *c = lower; *c; c++)
                *c = (char)fd_ascii_tolower((unsigned char)*c);
            ok = map_item(b, m, e[i], lower, strlen(lower), ind, err);
            free(lower);
        } else {
            ok = map_item(b, m, e[i], e[i]->key->data, e[i]->key->len, ind, err);
        }
    }
    free(e);
    return ok;
}

/* A block sequence under a parent of indentation pind: "- " at its own
 * indentation; an item's own block continues the line. */
static bool block_seq(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq,
                      bool inline_first, const char **err)
{
    int ind = y_inc(pind, pseq, false);

    for (size_t i = 0; i < v.u.a->len; i++) {
        struct fd_expr_val item = fd_expr_arr_get(v.u.a, i);
        if (i > 0 || !inline_first)
            fd_expr_yaml_indent(b, ind);
        fd_buf_puts(b, "- ");
        bool ok;
        if (is_block(item)) {
            ok = block(b, item, ind, true, true, err);
        } else {
            size_t from = b->len;
            ok = node(b, item, ind, true, err);
            end_line(b, from);
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool node(struct fd_buf *b, struct fd_expr_val v, int pind, bool pseq, const char **err)
{
    int indent = y_inc(pind, pseq, true); /* a scalar's continuation lines */
    struct fd_buf t = FD_BUF_INIT;

    switch (v.kind) {
    case FD_VAL_NIL:
        fd_buf_puts(b, "null");
        return true;
    case FD_VAL_BOOL:
        fd_buf_puts(b, v.u.b ? "true" : "false");
        return true;
    case FD_VAL_INT:
        fd_expr_put_int(b, v);
        return true;
    case FD_VAL_FLOAT:
        if (isnan(v.u.f))
            fd_buf_puts(b, ".nan");
        else if (isinf(v.u.f))
            fd_buf_puts(b, v.u.f > 0 ? ".inf" : "-.inf");
        else
            fd_go_format_float(b, v.u.f, 'g');
        return true;
    case FD_VAL_STRING: /* a *semver.Version marshals as its MarshalText, String() */
        if (fd_expr_is_semver(v) && fd_expr_semver_string(&t, v.u.s->data, v.u.s->len)) {
            fd_expr_yaml_scalar(b, t.data, t.len, indent, false);
            fd_buf_free(&t);
            return true;
        }
        fd_expr_yaml_scalar(b, v.u.s->data, v.u.s->len, indent, false);
        return true;
    case FD_VAL_DURATION: /* time.Duration marshals as its String() */
        fd_expr_format_duration(&t, v.u.i);
        fd_expr_yaml_scalar(b, t.data ? t.data : "", t.len, indent, false);
        fd_buf_free(&t);
        return true;
    case FD_VAL_TIME:
        if (v.u.t->nsec == -1) { /* *time.Location: no exported fields */
            fd_buf_puts(b, "{}");
            return true;
        }
        fd_expr_format_time_rfc3339(b, v.u.t);
        return true;
    case FD_VAL_ARRAY:
        if (v.u.a->len == 0) {
            fd_buf_puts(b, "[]");
            return true;
        }
        break;
    case FD_VAL_MAP:
        if (v.u.m->gostruct && v.u.m->isnil) { /* a nil pointer to a struct */
            fd_buf_puts(b, "null");
            return true;
        }
        if (v.u.m->len == 0) {
            fd_buf_puts(b, "{}");
            return true;
        }
        break;
    default: /* a function */
        fd_buf_puts(b, "null");
        return true;
    }
    /* a non-empty collection on its own (the top level) */
    return block(b, v, pind, pseq, false, err);
}

/* v with every []byte in it a sequence of its bytes, as yaml.v3 marshals a
 * slice of uint8s (a new value where one was found, else a new reference). */
static struct fd_expr_val bytes_as_ints(struct fd_expr_val v, int depth)
{
    if (depth > FD_EXPR_MAX_DEPTH)
        return fd_expr_val_ref(v);
    if (v.kind == FD_VAL_BYTES) {
        struct fd_expr_val r = fd_expr_arr_new(v.u.s->len);
        for (size_t i = 0; i < v.u.s->len; i++)
            fd_expr_arr_push(r, fd_expr_int((unsigned char)v.u.s->data[i]));
        return r;
    }
    if (v.kind == FD_VAL_ARRAY && !v.u.a->floats) {
        struct fd_expr_val r = fd_expr_arr_new(v.u.a->len);
        for (size_t i = 0; i < v.u.a->len; i++)
            fd_expr_arr_push(r, bytes_as_ints(v.u.a->items[i], depth + 1));
        return r;
    }
    if (v.kind == FD_VAL_MAP) {
        struct fd_expr_val r = fd_expr_map_new(v.u.m->len);
        r.u.m->anykey = v.u.m->anykey;
        r.u.m->anyvals = v.u.m->anyvals;
        r.u.m->isnil = v.u.m->isnil;
        r.u.m->strvals = v.u.m->strvals;
        r.u.m->gostruct = v.u.m->gostruct;
        r.u.m->ptr = v.u.m->ptr;
        for (size_t i = 0; i < v.u.m->len; i++) {
            const struct fd_expr_map_entry *e = &v.u.m->e[i];
            if (v.u.m->anykey)
                fd_expr_map_set_encoded(r, e->key->data, e->key->len, e->kval,
                                        bytes_as_ints(e->val, depth + 1));
            else
                fd_expr_map_set(r, e->key->data, e->key->len, bytes_as_ints(e->val, depth + 1));
        }
        return r;
    }
    return fd_expr_val_ref(v);
}

bool fd_expr_bi_yaml(struct fd_buf *b, struct fd_expr_val v, const char **err)
{
    size_t at = b->len;
    struct fd_expr_val w = bytes_as_ints(v, 0);
    bool ok = true;

    ok = node(b, w, -1, false, err);
    fd_expr_val_release(&w);
    if (!ok)
        return false;
    end_line(b, at);
    return true;
}
