/* expr/json.c: values to and from JSON (jansson), and the freightdeck JSON
 * text of a value that `eval` prints. */
#include "config.h"

#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct fd_expr_val special_float(const json_t *j)
{
    const json_t *f;
    const char *s;

    if (json_object_size(j) != 1 || !(f = json_object_get(j, "$float")) || !json_is_string(f))
        return fd_expr_nil();
    s = json_string_value(f);
    if (strcmp(s, "NaN") == 0)
        return fd_expr_float(NAN);
    if (strcmp(s, "+Inf") == 0 || strcmp(s, "Inf") == 0)
        return fd_expr_float(INFINITY);
    if (strcmp(s, "-Inf") == 0)
        return fd_expr_float(-INFINITY);
    return fd_expr_nil();
}

struct fd_expr_val fd_expr_from_json(const json_t *j, bool numbers_as_floats)
{
    struct fd_expr_val v;

    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *key;
        size_t keylen;
        json_t *item;

        v = special_float(j);
        if (v.kind == FD_VAL_FLOAT)
            return v;
        v = fd_expr_map_new(json_object_size(j));
        json_object_keylen_foreach((json_t *)(uintptr_t)j, key, keylen, item)
            fd_expr_map_set(v, key, keylen, fd_expr_from_json(item, numbers_as_floats));
        return v;
    }
    case JSON_ARRAY:
        v = fd_expr_arr_new(json_array_size(j));
        for (size_t i = 0; i < json_array_size(j); i++)
            fd_expr_arr_push(v, fd_expr_from_json(json_array_get(j, i), numbers_as_floats));
        return v;
    case JSON_STRING:
        return fd_expr_str_new(json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        if (numbers_as_floats)
            return fd_expr_float((double)json_integer_value(j));
        return fd_expr_int(json_integer_value(j));
    case JSON_REAL:
        return fd_expr_float(json_real_value(j));
    case JSON_TRUE:
        return fd_expr_bool(true);
    case JSON_FALSE:
        return fd_expr_bool(false);
    default:
        return fd_expr_nil();
    }
}

fd_value *fd_value_from_json(const json_t *json, bool numbers_as_floats)
{
    return fd_expr_to_public(fd_expr_from_json(json, numbers_as_floats));
}

static void put_value(struct fd_buf *b, struct fd_expr_val v);

static bool all_string_keys(const struct fd_expr_map *m)
{
    for (size_t i = 0; i < m->len; i++)
        if (!fd_expr_is_go_string(m->e[i].kval))
            return false;
    return true;
}

struct keytext {
    char *text, *val;
};

static int keytext_cmp(const void *a, const void *b)
{
    const struct keytext *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : strcmp(x->val, y->val);
}

/* A map with keys of other types than string: {"$map": [[key, value], ...]}
 * ordered by the key's JSON text, then the value's (distinct keys can print
 * alike: two *time.Location values): the eval output contract. */
static void put_anykey_map(struct fd_buf *b, const struct fd_expr_map *m)
{
    struct keytext *k = fd_xcalloc(m->len ? m->len : 1, sizeof(*k));

    for (size_t i = 0; i < m->len; i++) {
        struct fd_buf t = FD_BUF_INIT;
        put_value(&t, m->e[i].kval);
        k[i].text = fd_buf_steal(&t);
        put_value(&t, m->e[i].val);
        k[i].val = fd_buf_steal(&t);
    }
    qsort(k, m->len, sizeof(*k), keytext_cmp);
    fd_buf_puts(b, "{\"$map\":[");
    for (size_t i = 0; i < m->len; i++) {
        if (i)
            fd_buf_putc(b, ',');
        fd_buf_printf(b, "[%s,%s]", k[i].text, k[i].val);
        free(k[i].text);
        free(k[i].val);
    }
    fd_buf_puts(b, "]}");
    free(k);
}

/* A Go value JSON has no form for, as the peers show it: {"$go": "<its
 * type> <fmt's %v of it>"}. */
static void put_go(struct fd_buf *b, const char *type, struct fd_expr_val v)
{
    struct fd_buf t = FD_BUF_INIT;

    fd_buf_printf(&t, "%s ", type);
    fd_expr_format(&t, v);
    fd_buf_puts(b, "{\"$go\":");
    fd_go_json_string(b, t.data, t.len, false);
    fd_buf_putc(b, '}');
    fd_buf_free(&t);
}

static void put_value(struct fd_buf *b, struct fd_expr_val v)
{
    if (v.kind != FD_VAL_NIL && fd_expr_is_go_nil(v)) { /* a nil slice or map */
        fd_buf_puts(b, "null");
        return;
    }
    switch (v.kind) {
    case FD_VAL_BOOL:
        fd_buf_puts(b, v.u.b ? "true" : "false");
        break;
    case FD_VAL_INT:
        fd_expr_put_int(b, v);
        break;
    case FD_VAL_FLOAT: {
        if (isnan(v.u.f) || isinf(v.u.f)) {
            fd_buf_printf(b, "{\"$float\":\"%s\"}",
                          isnan(v.u.f) ? "NaN"
                          : v.u.f > 0  ? "+Inf"
                                       : "-Inf");
            break;
        }
        size_t at = b->len;
        fd_go_format_float(b, v.u.f, 'j');
        if (!memchr(b->data + at, '.', b->len - at) && !memchr(b->data + at, 'e', b->len - at))
            fd_buf_puts(b, ".0");
        break;
    }
    case FD_VAL_STRING:
        if (fd_expr_is_semver(v)) { /* (the VM dereferences the result) */
            put_go(b, "semver.Version", v);
            break;
        }
        /* fall through */
    case FD_VAL_BYTES: /* freightdeck's JSON text shows bytes as their string */
        fd_go_json_string(b, v.u.s->data, v.u.s->len, false);
        break;
    case FD_VAL_DURATION:
        fd_buf_printf(b, "{\"$duration\":%lld}", (long long)v.u.i);
        break;
    case FD_VAL_TIME:
        if (v.u.t->nsec == -1 && v.tag == FD_EXPR_TAG_LOCVAL) { /* a time.Location,
                                                                  dereferenced */
            put_go(b, "time.Location", v);
            break;
        }
        if (v.u.t->nsec == -1) { /* a *time.Location (timezone()) */
            fd_buf_puts(b, "{\"$location\":");
            fd_go_json_string(b, v.u.t->loc, strlen(v.u.t->loc), false);
            fd_buf_putc(b, '}');
            break;
        }
        fd_buf_puts(b, "{\"$time\":\"");
        fd_expr_format_time_rfc3339(b, v.u.t);
        fd_buf_puts(b, "\"}");
        break;
    case FD_VAL_ARRAY:
        fd_buf_putc(b, '[');
        for (size_t i = 0; i < v.u.a->len; i++) {
            if (i)
                fd_buf_putc(b, ',');
            put_value(b, fd_expr_arr_get(v.u.a, i));
        }
        fd_buf_putc(b, ']');
        break;
    case FD_VAL_MAP:
        if (v.u.m->anykey && !all_string_keys(v.u.m)) {
            put_anykey_map(b, v.u.m);
            break;
        }
        fd_buf_putc(b, '{');
        for (size_t i = 0; i < v.u.m->len; i++) {
            if (i)
                fd_buf_putc(b, ',');
            if (v.u.m->anykey) /* the tag byte 's' first */
                fd_go_json_string(b, v.u.m->e[i].key->data + 1, v.u.m->e[i].key->len - 1, false);
            else
                fd_go_json_string(b, v.u.m->e[i].key->data, v.u.m->e[i].key->len, false);
            fd_buf_putc(b, ':');
            put_value(b, v.u.m->e[i].val);
        }
        fd_buf_putc(b, '}');
        break;
    default: /* nil, and functions, which JSON cannot hold */
        fd_buf_puts(b, "null");
        break;
    }
}

char *fd_value_to_json_text(const fd_value *v)
{
    struct fd_buf b = FD_BUF_INIT;

    put_value(&b, fd_expr_from_public(v));
    return fd_buf_steal(&b);
}
