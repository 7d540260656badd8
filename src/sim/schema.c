/* sim/schema.c: CRD structural schemas applied as the API server applies them. */
#include "config.h"

#include "freightdeck/expr.h"
#include "schema.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "freightdeck/regex.h"
#include "freightdeck/util.h"

/* Generated from tests/data/crds by build-aux/embed.sh (src/sim/local.mk). */
struct fd_sim_embedded {
    const char *name;
    const char *text;
};
extern const struct fd_sim_embedded fd_sim_embedded_crds[];

/* ---- loading -------------------------------------------------------------- */

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *schemas[FD_SIM_RES__COUNT];
static bool loaded[FD_SIM_RES__COUNT];
static bool with_cel[FD_SIM_RES__COUNT];  /* the schema has x-kubernetes-validations */
static json_t *scales[FD_SIM_RES__COUNT]; /* subresources.scale, or NULL */

static bool has_cel(const json_t *s);

/* Compiled `pattern`s (a few dozen at most), kept for the process's life. */
static pthread_mutex_t re_lock = PTHREAD_MUTEX_INITIALIZER;
static struct regex {
    char *pattern;
    struct fd_regex *re; /* NULL: not a Go regexp (doc/sim.md) */
} * regexes;
static size_t nregexes;

static json_t *load_schema(const struct fd_sim_resource *r, json_t **scale)
{
    const char *want = fd_sim_resource_gr(r);
    for (size_t i = 0; fd_sim_embedded_crds[i].name; i++) {
        if (strcmp(fd_sim_embedded_crds[i].name, want) != 0)
            continue;
        const char *text = fd_sim_embedded_crds[i].text;
        char *err = NULL;
        json_t *crd = fd_sim_yaml_parse(text, strlen(text), want, &err);
        if (!crd)
            fd_fatal("sim: the compiled-in CRD %s does not parse: %s", want, err);
        json_t *out = NULL;
        size_t j;
        json_t *v;
        json_array_foreach(json_object_get(json_object_get(crd, "spec"), "versions"), j, v)
        {
            if (fd_streq(json_string_value(json_object_get(v, "name")), r->version)) {
                out = json_object_get(json_object_get(v, "schema"), "openAPIV3Schema");
                *scale = json_incref(json_object_get(json_object_get(v, "subresources"), "scale"));
            }
        }
        if (!out)
            fd_fatal("sim: the compiled-in CRD %s has no schema for %s", want, r->version);
        json_incref(out);
        json_decref(crd);
        return out;
    }
    return NULL;
}

const json_t *fd_sim_schema_get(const struct fd_sim_resource *r)
{
    pthread_mutex_lock(&load_lock);
    if (!loaded[r->id]) {
        schemas[r->id] = load_schema(r, &scales[r->id]);
        with_cel[r->id] = has_cel(schemas[r->id]);
        loaded[r->id] = true;
    }
    const json_t *s = schemas[r->id];
    pthread_mutex_unlock(&load_lock);
    return s;
}

/* ---- small helpers ------------------------------------------------------ */

static void buf_truncate(struct fd_buf *b, size_t len)
{
    if (b->data && len <= b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

static const json_t *sub(const json_t *s, const char *key)
{
    return json_object_get(s, key);
}

static bool flag(const json_t *s, const char *key)
{
    return json_is_true(json_object_get(s, key));
}

static const char *stype(const json_t *s)
{
    return json_string_value(json_object_get(s, "type"));
}

/* The schema of an object's member key: properties, then additionalProperties
 * (a schema); NULL when neither. */
static const json_t *member_schema(const json_t *s, const char *key, bool *known)
{
    const json_t *p = json_object_get(sub(s, "properties"), key);
    *known = true;
    if (p)
        return p;
    const json_t *ap = sub(s, "additionalProperties");
    if (json_is_object(ap))
        return ap;
    *known = json_is_true(ap);
    return NULL;
}

/* A bad value as field.Error.ErrorBody prints it. */
static void go_value(struct fd_buf *b, const json_t *v)
{
    if (json_is_string(v)) {
        char *q = fd_expr_go_quote(json_string_value(v), json_string_length(v));
        fd_buf_puts(b, q);
        free(q);
    } else if (json_is_integer(v)) {
        fd_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        fd_go_format_float(b, json_real_value(v), 'g');
    } else if (json_is_boolean(v)) {
        fd_buf_puts(b, json_is_true(v) ? "true" : "false");
    } else {
        char *j = fd_go_json_marshal(v, true);
        fd_buf_puts(b, j);
        free(j);
    }
}

/* ---- decoding: pruning, nulls, defaults --------------------------------- */

static const char *const object_meta_fields[] = {
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static void record(json_t *unknown, struct fd_buf *path, const char *key)
{
    size_t len = path->len;
    if (len)
        fd_buf_putc(path, '.');
    fd_buf_puts(path, key);
    json_array_append_new(unknown, json_string(fd_buf_cstr(path)));
    buf_truncate(path, len);
}

static void prune(json_t *x, const json_t *s, bool root, struct fd_buf *path, json_t *unknown);

/* x-kubernetes-preserve-unknown-fields: known members are still pruned inside. */
static void skip_prune(json_t *x, const json_t *s, bool root, struct fd_buf *path, json_t *unknown)
{
    size_t len = path->len;
    if (!s)
        return;
    if (json_is_object(x)) {
        const char *k;
        json_t *v;
        json_object_foreach(x, k, v)
        {
            if ((root || flag(s, "x-kubernetes-embedded-resource")) &&
                (!strcmp(k, "apiVersion") || !strcmp(k, "kind") || !strcmp(k, "metadata")))
                continue;
            bool known;
            const json_t *ms = member_schema(s, k, &known);
            if (ms) {
                if (len)
                    fd_buf_putc(path, '.');
                fd_buf_puts(path, k);
                prune(v, ms, false, path, unknown);
                buf_truncate(path, len);
            }
        }
    } else if (json_is_array(x)) {
        size_t i;
        json_t *v;
        json_array_foreach(x, i, v)
        {
            fd_buf_printf(path, "[%zu]", i);
            skip_prune(v, sub(s, "items"), false, path, unknown);
            buf_truncate(path, len);
        }
    }
}

static void prune(json_t *x, const json_t *s, bool root, struct fd_buf *path, json_t *unknown)
{
    size_t len = path->len;
    if (s && flag(s, "x-kubernetes-preserve-unknown-fields")) {
        skip_prune(x, s, root, path, unknown);
        return;
    }
    if (json_is_object(x)) {
        bool embedded = root || flag(s, "x-kubernetes-embedded-resource");
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(x, tmp, k, v)
        {
            bool meta = !strcmp(k, "apiVersion") || !strcmp(k, "kind") || !strcmp(k, "metadata");
            if (s && embedded && meta)
                continue;
            bool known = false;
            const json_t *ms = s ? member_schema(s, k, &known) : NULL;
            if (ms) {
                if (len)
                    fd_buf_putc(path, '.');
                fd_buf_puts(path, k);
                prune(v, ms, false, path, unknown);
                buf_truncate(path, len);
            } else if (!(s && known)) {
                if (!meta || len > 0)
                    record(unknown, path, k);
                json_object_del(x, k);
            }
        }
    } else if (json_is_array(x)) {
        size_t i;
        json_t *v;
        json_array_foreach(x, i, v)
        {
            fd_buf_printf(path, "[%zu]", i);
            prune(v, s ? sub(s, "items") : NULL, false, path, unknown);
            buf_truncate(path, len);
        }
    }
}

/* structuraldefaulting.PruneNonNullableNullsWithoutDefaults */
static void prune_nulls(json_t *x, const json_t *s)
{
    if (!s)
        return;
    if (json_is_object(x)) {
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(x, tmp, k, v)
        {
            bool known;
            const json_t *ms = member_schema(s, k, &known);
            if (!ms)
                continue;
            if (json_is_null(v) && !sub(ms, "default") && !flag(ms, "nullable")) {
                json_object_del(x, k);
                continue;
            }
            prune_nulls(v, ms);
        }
    } else if (json_is_array(x)) {
        size_t i;
        json_t *v;
        json_array_foreach(x, i, v)
        {
            prune_nulls(v, sub(s, "items"));
        }
    }
}

/* structuraldefaulting.Default */
static void set_defaults(json_t *x, const json_t *s)
{
    if (!s)
        return;
    if (json_is_object(x)) {
        const char *k;
        json_t *p;
        json_object_foreach((json_t *)(uintptr_t)sub(s, "properties"), k, p)
        {
            const json_t *def = sub(p, "default");
            if (!def)
                continue;
            json_t *v = json_object_get(x, k);
            if (!v || (json_is_null(v) && !flag(p, "nullable")))
                json_object_set_new(x, k, json_deep_copy(def));
        }
        json_t *v;
        json_object_foreach(x, k, v)
        {
            bool known;
            set_defaults(v, member_schema(s, k, &known));
        }
    } else if (json_is_array(x)) {
        size_t i;
        json_t *v;
        json_array_foreach(x, i, v)
        {
            set_defaults(v, sub(s, "items"));
        }
    }
}

json_t *fd_sim_schema_decode(const struct fd_sim_resource *r, json_t *obj)
{
    json_t *unknown = json_array();
    const json_t *s = fd_sim_schema_get(r);
    if (!s || !json_is_object(obj))
        return unknown;
    json_t *meta = json_object_get(obj, "metadata");
    if (json_is_object(meta)) {
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(meta, tmp, k, v)
        {
            bool known = false;
            for (size_t i = 0; i < FD_ARRAY_SIZE(object_meta_fields) && !known; i++)
                known = strcmp(object_meta_fields[i], k) == 0;
            if (!known) {
                char *p = fd_xasprintf("metadata.%s", k);
                json_array_append_new(unknown, json_string(p));
                free(p);
                json_object_del(meta, k);
            }
        }
    }
    size_t nmeta = json_array_size(unknown);
    struct fd_buf path = FD_BUF_INIT;
    json_t *pruned = json_array();
    prune(obj, s, true, &path, pruned);
    fd_buf_free(&path);
    size_t n = json_array_size(pruned);
    json_t **items = fd_xcalloc(n + 1, sizeof(*items));
    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(pruned, i);
    qsort(items, n, sizeof(*items), cmp_str);
    for (size_t i = 0; i < n; i++)
        json_array_append(unknown, items[i]);
    free(items);
    json_decref(pruned);
    (void)nmeta;
    prune_nulls(obj, s);
    set_defaults(obj, s);
    return unknown;
}

/* ---- validation ------------------------------------------------------------ */

struct vctx {
    json_t *causes;
};

/* Appends a cause: type is the field.ErrorType, bad (NULL = none) the bad
 * value, detail the message after it. */
static void add_cause(struct vctx *c, const char *field, const char *type, const char *label,
                      const json_t *bad, const char *detail)
{
    struct fd_buf b = FD_BUF_INIT;
    fd_buf_puts(&b, label);
    if (bad) {
        fd_buf_puts(&b, ": ");
        go_value(&b, bad);
    }
    if (detail && detail[0]) {
        fd_buf_puts(&b, ": ");
        fd_buf_puts(&b, detail);
    }
    json_array_append_new(c->causes, json_pack("{s:s, s:s, s:s}", "reason", type, "message",
                                               fd_buf_cstr(&b), "field", field));
    fd_buf_free(&b);
}

/* The schema's types, joined with "," as kube-openapi joins them. */
static void schema_types(const json_t *s, struct fd_buf *out)
{
    if (flag(s, "x-kubernetes-int-or-string")) {
        fd_buf_puts(out, "integer,string");
        return;
    }
    const char *t = stype(s);
    if (t)
        fd_buf_puts(out, t);
}

static bool type_allows(const json_t *s, const json_t *v)
{
    const char *have = fd_json_type_name(v, true);
    bool ios = flag(s, "x-kubernetes-int-or-string");
    const char *t = stype(s);
    bool has_int = ios || fd_streq(t, "integer");
    bool has_num = fd_streq(t, "number");
    if (ios && (json_is_integer(v) || json_is_string(v)))
        return true;
    if (t && strcmp(t, have) == 0)
        return true;
    /* isFloatInt, isIntFloat */
    if (json_is_real(v) && has_int) {
        double d = json_real_value(v);
        return d == floor(d) && fabs(d) < 9007199254740992.0;
    }
    if (json_is_integer(v) && has_num)
        return true;
    return false;
}

static void vnode(struct vctx *c, const json_t *s, const json_t *v, const json_t *old,
                  struct fd_buf *path);

static void type_error(struct vctx *c, const char *path, const char *types, const char *have)
{
    char *detail = fd_xasprintf("%s in body must be of type %s: \"%s\"", path, types, have);
    json_t *bad = json_string(have);
    add_cause(c, path, "FieldValueTypeInvalid", "Invalid value", bad, detail);
    json_decref(bad);
    free(detail);
}

static struct fd_regex *regex_for(const char *pattern)
{
    pthread_mutex_lock(&re_lock);
    for (size_t i = 0; i < nregexes; i++) {
        if (strcmp(regexes[i].pattern, pattern) == 0) {
            struct fd_regex *re = regexes[i].re;
            pthread_mutex_unlock(&re_lock);
            return re;
        }
    }
    char msg[256];
    /* The API server compiles `pattern` with Go's regexp, as this does; one
     * it cannot compile is not checked (doc/sim.md). */
    struct fd_regex *re = fd_regex_compile(pattern, strlen(pattern), msg, sizeof(msg));
    regexes = fd_xreallocarray(regexes, nregexes + 1, sizeof(*regexes));
    regexes[nregexes].pattern = fd_xstrdup(pattern);
    regexes[nregexes++].re = re;
    pthread_mutex_unlock(&re_lock);
    return re;
}

static bool regex_match(const char *pattern, const char *text)
{
    struct fd_regex *re = regex_for(pattern);
    return !re || fd_regex_match(re, text, strlen(text));
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            n++;
    return n;
}

/* strfmt's date-time: RFC 3339 with optional fraction and zone, as
 * strfmt.ParseDateTime reads it (T or t or a space between). */
static bool is_date_time(const char *s)
{
    int y, mo, d, h, mi, sec, n = 0;
    char sep;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &sec, &n) != 7 ||
        n != 19)
        return false;
    if (sep != 'T' && sep != 't' && sep != ' ')
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'Z' || *p == 'z')
        return p[1] == '\0';
    if (*p == '+' || *p == '-') {
        int zh, zm;
        n = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &zh, &zm, &n) != 2 || n != 5 || p[6] != '\0')
            return false;
        return zh < 24 && zm < 60;
    }
    return false;
}

static double num_value(const json_t *v)
{
    return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

static void bound_error(struct vctx *c, const char *path, const json_t *v, const char *what,
                        double bound)
{
    struct fd_buf d = FD_BUF_INIT;
    fd_buf_printf(&d, "%s in body should be %s ", path, what);
    fd_go_format_float(&d, bound, 'g');
    add_cause(c, path, "FieldValueInvalid", "Invalid value", v, fd_buf_cstr(&d));
    fd_buf_free(&d);
}

/* One schema node over one value, in kube-openapi's validator order: type,
 * anyOf/allOf/oneOf/not, string, format, number, slice, enum, object. */
static void vnode(struct vctx *c, const json_t *s, const json_t *v, const json_t *old,
                  struct fd_buf *path)
{
    size_t len = path->len;
    const char *p = fd_buf_cstr(path);

    if (!s)
        return;
    /* Ratcheting: an unchanged value is not validated again. */
    if (old && json_equal(v, old))
        return;

    /* type */
    if (stype(s) || flag(s, "x-kubernetes-int-or-string")) {
        if (json_is_null(v)) {
            if (!flag(s, "nullable")) {
                struct fd_buf t = FD_BUF_INIT;
                schema_types(s, &t);
                type_error(c, p, fd_buf_cstr(&t), "null");
                fd_buf_free(&t);
            }
        } else if (!type_allows(s, v)) {
            struct fd_buf t = FD_BUF_INIT;
            schema_types(s, &t);
            type_error(c, p, fd_buf_cstr(&t), fd_json_type_name(v, true));
            fd_buf_free(&t);
        }
    }
    if (json_is_null(v)) {
        /* Only the type and enum validators see a null. */
        goto enumcheck;
    }

    /* anyOf (the CRDs use no allOf, oneOf or not) */
    const json_t *any = sub(s, "anyOf");
    if (json_array_size(any)) {
        json_t *best = NULL;
        bool ok = false;
        size_t i;
        json_t *alt;
        json_array_foreach(any, i, alt)
        {
            struct vctx t = {json_array()};
            vnode(&t, alt, v, NULL, path);
            if (!json_array_size(t.causes)) {
                ok = true;
                json_decref(t.causes);
                json_decref(best);
                best = NULL;
                break;
            }
            if (!best)
                best = t.causes;
            else
                json_decref(t.causes);
        }
        if (!ok) {
            char *q = fd_expr_go_quote(p, strlen(p));
            char *detail = fd_xasprintf("%s must validate at least one schema (anyOf)", q);
            json_t *empty = json_string("");
            add_cause(c, "<nil>", "FieldValueInvalid", "Invalid value", empty, detail);
            json_decref(empty);
            free(detail);
            free(q);
            json_array_extend(c->causes, best);
        }
        json_decref(best);
        p = fd_buf_cstr(path);
    }

    if (json_is_string(v)) {
        const char *str = json_string_value(v);
        const json_t *maxl = sub(s, "maxLength"), *minl = sub(s, "minLength");
        const char *pat = json_string_value(sub(s, "pattern"));
        size_t n = utf8_len(str);
        if (json_is_integer(maxl) && (json_int_t)n > json_integer_value(maxl)) {
            json_int_t m = json_integer_value(maxl);
            char *detail = fd_xasprintf("may not be more than %" JSON_INTEGER_FORMAT " %s", m,
                                        m == 1 ? "byte" : "bytes");
            add_cause(c, p, "FieldValueTooLong", "Too long", NULL, detail);
            free(detail);
        } else if (json_is_integer(minl) && (json_int_t)n < json_integer_value(minl)) {
            char *detail =
                fd_xasprintf("%s in body should be at least %" JSON_INTEGER_FORMAT " chars long", p,
                             json_integer_value(minl));
            add_cause(c, p, "FieldValueInvalid", "Invalid value", v, detail);
            free(detail);
        } else if (pat && !regex_match(pat, str)) {
            char *detail = fd_xasprintf("%s in body should match '%s'", p, pat);
            add_cause(c, p, "FieldValueInvalid", "Invalid value", v, detail);
            free(detail);
        }
        const char *fmt = json_string_value(sub(s, "format"));
        if (fmt && (!strcmp(fmt, "date-time") || !strcmp(fmt, "datetime")) && !is_date_time(str)) {
            char *q = fd_expr_go_quote(str, strlen(str));
            char *detail = fd_xasprintf("%s in body must be of type %s: %s", p, fmt, q);
            add_cause(c, p, "FieldValueTypeInvalid", "Invalid value", v, detail);
            free(detail);
            free(q);
        }
    }

    if (json_is_number(v)) {
        double d = num_value(v);
        const json_t *mx = sub(s, "maximum"), *mn = sub(s, "minimum");
        if (json_is_number(mx)) {
            bool ex = flag(s, "exclusiveMaximum");
            double m = num_value(mx);
            if (ex ? d >= m : d > m)
                bound_error(c, p, v, ex ? "less than" : "less than or equal to", m);
        }
        if (json_is_number(mn)) {
            bool ex = flag(s, "exclusiveMinimum");
            double m = num_value(mn);
            if (ex ? d <= m : d < m)
                bound_error(c, p, v, ex ? "greater than" : "greater than or equal to", m);
        }
    }

    if (json_is_array(v)) {
        const json_t *items = sub(s, "items");
        size_t i;
        json_t *e;
        if (json_is_object(items)) {
            json_array_foreach(v, i, e)
            {
                fd_buf_printf(path, "[%zu]", i);
                vnode(c, items, e, NULL, path);
                buf_truncate(path, len);
            }
            p = fd_buf_cstr(path);
        }
        size_t n = json_array_size(v);
        const json_t *mni = sub(s, "minItems"), *mxi = sub(s, "maxItems");
        if (json_is_integer(mni) && (json_int_t)n < json_integer_value(mni)) {
            char *detail =
                fd_xasprintf("%s in body should have at least %" JSON_INTEGER_FORMAT " items", p,
                             json_integer_value(mni));
            json_t *bad = json_integer((json_int_t)n);
            add_cause(c, p, "FieldValueInvalid", "Invalid value", bad, detail);
            json_decref(bad);
            free(detail);
        }
        if (json_is_integer(mxi) && (json_int_t)n > json_integer_value(mxi)) {
            json_int_t m = json_integer_value(mxi);
            char *detail = fd_xasprintf("must have at most %" JSON_INTEGER_FORMAT " %s", m,
                                        m == 1 ? "item" : "items");
            json_t *bad = json_integer((json_int_t)n);
            add_cause(c, p, "FieldValueTooMany", "Too many", bad, detail);
            json_decref(bad);
            free(detail);
        }
    }

enumcheck:;
    const json_t *en = sub(s, "enum");
    if (json_is_array(en)) {
        bool found = false;
        size_t i;
        json_t *e;
        json_array_foreach(en, i, e)
        {
            if (json_equal(e, v) ||
                (json_is_number(e) && json_is_number(v) && num_value(e) == num_value(v)))
                found = true;
        }
        if (!found) {
            struct fd_buf d = FD_BUF_INIT;
            fd_buf_puts(&d, "supported values: ");
            json_array_foreach(en, i, e)
            {
                if (i)
                    fd_buf_puts(&d, ", ");
                char *txt = json_is_string(e) ? fd_xstrdup(json_string_value(e))
                                              : fd_go_json_marshal(e, true);
                char *q = fd_expr_go_quote(txt, strlen(txt));
                fd_buf_puts(&d, q);
                free(q);
                free(txt);
            }
            add_cause(c, p, "FieldValueNotSupported", "Unsupported value", v, fd_buf_cstr(&d));
            fd_buf_free(&d);
        }
    }

    if (json_is_object(v)) {
        const json_t *props = sub(s, "properties");
        const json_t *ap = sub(s, "additionalProperties");
        const char *k;
        json_t *mv;
        /* additionalProperties first, then properties, then required. */
        if (json_is_object(ap)) {
            json_object_foreach((json_t *)(uintptr_t)v, k, mv)
            {
                if (json_object_get(props, k))
                    continue;
                if (len)
                    fd_buf_putc(path, '.');
                fd_buf_puts(path, k);
                vnode(c, ap, mv, json_object_get(old, k), path);
                buf_truncate(path, len);
            }
        }
        const json_t *ps;
        json_object_foreach((json_t *)(uintptr_t)props, k, ps)
        {
            mv = json_object_get(v, k);
            if (!mv)
                continue;
            if (len)
                fd_buf_putc(path, '.');
            fd_buf_puts(path, k);
            vnode(c, ps, mv, json_object_get(old, k), path);
            buf_truncate(path, len);
        }
        p = fd_buf_cstr(path);
        size_t i;
        json_t *req;
        json_array_foreach(sub(s, "required"), i, req)
        {
            const char *rk = json_string_value(req);
            if (!rk || json_object_get(v, rk))
                continue;
            char *f = len ? fd_xasprintf("%s.%s", p, rk) : fd_xstrdup(rk);
            add_cause(c, f, "FieldValueRequired", "Required value", NULL, NULL);
            free(f);
        }
    }
}

/* ---- x-kubernetes-validations: the CEL subset the CRDs use ---------------
 *
 * A real parser and evaluator for: self, oldSelf, has(x.f), x.f, x[N],
 * x.size(), string and integer literals, !, ==, !=, &&, ||, ?: and
 * parentheses. A rule outside this subset is not checked (doc/sim.md). */

enum cel_type { CEL_ERR, CEL_BOOL, CEL_INT, CEL_STR, CEL_JSON, CEL_ABSENT };

struct cel_val {
    enum cel_type t;
    bool b;
    json_int_t i;
    const char *s;
    size_t slen;
    const json_t *j;
};

struct cel {
    const char *p;
    const json_t *self, *old;
    bool unsupported;
};

static void cel_ws(struct cel *c)
{
    while (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r')
        c->p++;
}

static bool cel_eat(struct cel *c, const char *tok)
{
    cel_ws(c);
    size_t n = strlen(tok);
    if (strncmp(c->p, tok, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool is_ident(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

static size_t cel_ident(struct cel *c, const char **start)
{
    cel_ws(c);
    *start = c->p;
    if (!is_ident(*c->p) || (*c->p >= '0' && *c->p <= '9'))
        return 0;
    while (is_ident(*c->p))
        c->p++;
    return (size_t)(c->p - *start);
}

static struct cel_val cel_json(const json_t *j)
{
    struct cel_val v = {CEL_ABSENT, false, 0, NULL, 0, NULL};
    if (!j)
        return v;
    if (json_is_boolean(j)) {
        v.t = CEL_BOOL;
        v.b = json_is_true(j);
    } else if (json_is_integer(j)) {
        v.t = CEL_INT;
        v.i = json_integer_value(j);
    } else if (json_is_string(j)) {
        v.t = CEL_STR;
        v.s = json_string_value(j);
        v.slen = json_string_length(j);
    } else {
        v.t = CEL_JSON;
        v.j = j;
    }
    return v;
}

static struct cel_val cel_expr(struct cel *c);

static struct cel_val cel_err(struct cel *c)
{
    struct cel_val v = {CEL_ERR, false, 0, NULL, 0, NULL};
    c->unsupported = true;
    return v;
}

static struct cel_val cel_postfix(struct cel *c)
{
    struct cel_val v = {CEL_ERR, false, 0, NULL, 0, NULL};
    cel_ws(c);
    const char *id;
    size_t n;
    if (*c->p == '(') {
        c->p++;
        v = cel_expr(c);
        if (!cel_eat(c, ")"))
            return cel_err(c);
    } else if (*c->p == '\'' || *c->p == '"') {
        char q = *c->p++;
        v.t = CEL_STR;
        v.s = c->p;
        while (*c->p && *c->p != q && *c->p != '\\')
            c->p++;
        if (*c->p != q)
            return cel_err(c);
        v.slen = (size_t)(c->p - v.s);
        c->p++;
    } else if (*c->p >= '0' && *c->p <= '9') {
        v.t = CEL_INT;
        v.i = strtoll(c->p, (char **)(uintptr_t)&c->p, 10);
    } else if ((n = cel_ident(c, &id)) == 3 && strncmp(id, "has", 3) == 0) {
        /* has(x.f): the select must not fail when f is absent. */
        if (!cel_eat(c, "("))
            return cel_err(c);
        const char *before = c->p;
        (void)before;
        struct cel_val base = cel_postfix(c);
        /* cel_postfix consumed x.f and returned f's value (absent or not). */
        if (!cel_eat(c, ")") || base.t == CEL_ERR)
            return cel_err(c);
        v.t = CEL_BOOL;
        v.b = base.t != CEL_ABSENT;
        return v;
    } else if (n == 4 && strncmp(id, "self", 4) == 0) {
        v = cel_json(c->self);
    } else if (n == 7 && strncmp(id, "oldSelf", 7) == 0) {
        v = cel_json(c->old);
    } else if (n == 4 && strncmp(id, "true", 4) == 0) {
        v.t = CEL_BOOL;
        v.b = true;
    } else if (n == 5 && strncmp(id, "false", 5) == 0) {
        v.t = CEL_BOOL;
    } else {
        return cel_err(c);
    }
    for (;;) {
        cel_ws(c);
        if (*c->p == '.') {
            c->p++;
            n = cel_ident(c, &id);
            if (!n)
                return cel_err(c);
            if (cel_eat(c, "(")) {
                if (!cel_eat(c, ")") || n != 4 || strncmp(id, "size", 4) != 0)
                    return cel_err(c);
                struct cel_val sz = {CEL_INT, false, 0, NULL, 0, NULL};
                if (v.t == CEL_STR)
                    sz.i = (json_int_t)utf8_len(v.s);
                else if (v.t == CEL_JSON && json_is_array(v.j))
                    sz.i = (json_int_t)json_array_size(v.j);
                else if (v.t == CEL_JSON && json_is_object(v.j))
                    sz.i = (json_int_t)json_object_size(v.j);
                else
                    return cel_err(c);
                v = sz;
                continue;
            }
            if (v.t != CEL_JSON || !json_is_object(v.j))
                return cel_err(c);
            char *key = fd_xstrndup(id, n);
            v = cel_json(json_object_get(v.j, key));
            free(key);
        } else if (*c->p == '[') {
            c->p++;
            struct cel_val ix = cel_expr(c);
            if (!cel_eat(c, "]") || ix.t != CEL_INT || v.t != CEL_JSON || !json_is_array(v.j) ||
                ix.i < 0 || (size_t)ix.i >= json_array_size(v.j))
                return cel_err(c);
            v = cel_json(json_array_get(v.j, (size_t)ix.i));
        } else {
            return v;
        }
    }
}

static struct cel_val cel_unary(struct cel *c)
{
    if (cel_eat(c, "!")) {
        struct cel_val v = cel_unary(c);
        if (v.t != CEL_BOOL)
            return cel_err(c);
        v.b = !v.b;
        return v;
    }
    return cel_postfix(c);
}

static bool cel_equal(const struct cel_val *a, const struct cel_val *b)
{
    if (a->t != b->t)
        return false;
    switch (a->t) {
    case CEL_BOOL:
        return a->b == b->b;
    case CEL_INT:
        return a->i == b->i;
    case CEL_STR:
        return a->slen == b->slen && memcmp(a->s, b->s, a->slen) == 0;
    case CEL_JSON:
        return json_equal(a->j, b->j);
    default:
        return false;
    }
}

static struct cel_val cel_eq(struct cel *c)
{
    struct cel_val a = cel_unary(c);
    for (;;) {
        bool ne;
        cel_ws(c);
        if (strncmp(c->p, "==", 2) == 0)
            ne = false;
        else if (strncmp(c->p, "!=", 2) == 0)
            ne = true;
        else
            return a;
        c->p += 2;
        struct cel_val b = cel_unary(c);
        if (a.t == CEL_ERR || b.t == CEL_ERR || a.t == CEL_ABSENT || b.t == CEL_ABSENT)
            return cel_err(c);
        struct cel_val r = {CEL_BOOL, cel_equal(&a, &b) != ne, 0, NULL, 0, NULL};
        a = r;
    }
}

static struct cel_val cel_and(struct cel *c)
{
    struct cel_val a = cel_eq(c);
    while (cel_ws(c), strncmp(c->p, "&&", 2) == 0) {
        c->p += 2;
        struct cel_val b = cel_eq(c);
        if (a.t != CEL_BOOL || b.t != CEL_BOOL)
            return cel_err(c);
        a.b = a.b && b.b;
    }
    return a;
}

static struct cel_val cel_or(struct cel *c)
{
    struct cel_val a = cel_and(c);
    while (cel_ws(c), strncmp(c->p, "||", 2) == 0) {
        c->p += 2;
        struct cel_val b = cel_and(c);
        /* CEL's || is true when either side is true, even if the other errs. */
        if ((a.t == CEL_BOOL && a.b) || (b.t == CEL_BOOL && b.b)) {
            a.t = CEL_BOOL;
            a.b = true;
        } else if (a.t != CEL_BOOL || b.t != CEL_BOOL) {
            return cel_err(c);
        }
    }
    return a;
}

static struct cel_val cel_expr(struct cel *c)
{
    struct cel_val a = cel_or(c);
    if (cel_eat(c, "?")) {
        struct cel_val t = cel_expr(c);
        if (!cel_eat(c, ":"))
            return cel_err(c);
        struct cel_val f = cel_expr(c);
        if (a.t != CEL_BOOL)
            return cel_err(c);
        return a.b ? t : f;
    }
    return a;
}

/* 1 when the rule holds, 0 when it fails, -1 when it is outside the subset
 * (or errs: the API server would report the error; not modelled). */
static int cel_rule(const char *rule, const json_t *self, const json_t *old)
{
    struct cel c = {rule, self, old, false};
    struct cel_val v = cel_expr(&c);
    cel_ws(&c);
    if (c.unsupported || *c.p || v.t != CEL_BOOL)
        return -1;
    return v.b ? 1 : 0;
}

static bool has_cel(const json_t *s)
{
    if (json_is_object(s)) {
        if (json_object_get(s, "x-kubernetes-validations"))
            return true;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)(uintptr_t)s, k, v)
        {
            if (strcmp(k, "default") != 0 && strcmp(k, "enum") != 0 && strcmp(k, "example") != 0 &&
                has_cel(v))
                return true;
        }
    } else if (json_is_array(s)) {
        size_t i;
        json_t *v;
        json_array_foreach(s, i, v)
        {
            if (has_cel(v))
                return true;
        }
    }
    return false;
}

static void cel_walk(struct vctx *c, const json_t *s, const json_t *v, const json_t *old,
                     struct fd_buf *path)
{
    size_t len = path->len;
    if (!s || !v || (old && json_equal(v, old)))
        return;
    size_t i;
    json_t *rule;
    json_array_foreach(sub(s, "x-kubernetes-validations"), i, rule)
    {
        const char *text = json_string_value(json_object_get(rule, "rule"));
        if (!text || (strstr(text, "oldSelf") && !old))
            continue;
        if (cel_rule(text, v, old) != 0)
            continue;
        const char *msg = json_string_value(json_object_get(rule, "message"));
        char *detail = msg ? fd_xstrdup(msg) : fd_xasprintf("failed rule: %s", text);
        /* strings.TrimSpace */
        char *e = detail + strlen(detail);
        while (e > detail && (e[-1] == ' ' || e[-1] == '\n'))
            *--e = '\0';
        json_t *bad = json_string(stype(s) ? stype(s) : "");
        add_cause(c, len ? fd_buf_cstr(path) : "<nil>", "FieldValueInvalid", "Invalid value", bad,
                  detail + strspn(detail, " \n"));
        json_decref(bad);
        free(detail);
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *mv;
        json_object_foreach((json_t *)(uintptr_t)v, k, mv)
        {
            bool known;
            const json_t *ms = member_schema(s, k, &known);
            if (!ms)
                continue;
            if (len)
                fd_buf_putc(path, '.');
            fd_buf_puts(path, k);
            cel_walk(c, ms, mv, json_object_get(old, k), path);
            buf_truncate(path, len);
        }
    } else if (json_is_array(v)) {
        json_t *e;
        json_array_foreach(v, i, e)
        {
            fd_buf_printf(path, "[%zu]", i);
            cel_walk(c, sub(s, "items"), e, NULL, path);
            buf_truncate(path, len);
        }
    }
}

/* customResourceValidator.ValidateScaleSpec/Status: the replicas at the
 * scale subresource's paths are int64s, >= 0 and <= MaxInt32. */
static void validate_scale(struct vctx *c, const json_t *scale, const json_t *obj)
{
    static const char *const keys[] = {"specReplicasPath", "statusReplicasPath"};
    for (size_t k = 0; k < FD_ARRAY_SIZE(keys); k++) {
        const char *path = json_string_value(json_object_get(scale, keys[k]));
        if (!path)
            continue;
        char *copy = fd_xstrdup(path[0] == '.' ? path + 1 : path);
        const json_t *v = obj;
        for (char *save = NULL, *part = strtok_r(copy, ".", &save); part && v;
             part = strtok_r(NULL, ".", &save))
            v = json_is_object(v) ? json_object_get(v, part) : NULL;
        free(copy);
        json_t *zero = json_integer(0);
        if (v && !json_is_integer(v)) {
            struct fd_buf d = FD_BUF_INIT;
            const char *gotype = json_is_string(v)    ? "string"
                                 : json_is_real(v)    ? "float64"
                                 : json_is_boolean(v) ? "bool"
                                 : json_is_array(v)   ? "[]interface {}"
                                 : json_is_object(v)  ? "map[string]interface {}"
                                                      : "<nil>";
            fd_buf_printf(&d, "%s accessor error: ", path);
            if (json_is_string(v))
                fd_buf_puts(&d, json_string_value(v));
            else if (json_is_null(v))
                fd_buf_puts(&d, "<nil>");
            else
                go_value(&d, v);
            fd_buf_printf(&d, " is of the type %s, expected int64", gotype);
            add_cause(c, path, "FieldValueInvalid", "Invalid value", zero, fd_buf_cstr(&d));
            fd_buf_free(&d);
        } else if (v && json_integer_value(v) < 0) {
            add_cause(c, path, "FieldValueInvalid", "Invalid value", v,
                      "should be a non-negative integer");
        } else if (v && json_integer_value(v) > 2147483647) {
            add_cause(c, path, "FieldValueInvalid", "Invalid value", v,
                      "should be less than or equal to 2147483647");
        }
        json_decref(zero);
    }
}

json_t *fd_sim_schema_validate(const struct fd_sim_resource *r, const json_t *obj,
                               const json_t *old)
{
    struct vctx c = {json_array()};
    const json_t *s = fd_sim_schema_get(r);
    if (!s)
        return c.causes;
    struct fd_buf path = FD_BUF_INIT;
    /* metadata is validated as ObjectMeta, not by the schema: the root's
     * apiVersion, kind and metadata are skipped. */
    const char *k;
    const json_t *ps;
    json_t *top = json_object();
    json_object_foreach((json_t *)(uintptr_t)obj, k, ps)
    {
        if (strcmp(k, "metadata") != 0)
            json_object_set(top, k, (json_t *)(uintptr_t)ps);
    }
    json_t *oldtop = NULL;
    if (old) {
        oldtop = json_object();
        json_object_foreach((json_t *)(uintptr_t)old, k, ps)
        {
            if (strcmp(k, "metadata") != 0)
                json_object_set(oldtop, k, (json_t *)(uintptr_t)ps);
        }
    }
    vnode(&c, s, top, oldtop, &path);
    if (scales[r->id])
        validate_scale(&c, scales[r->id], obj);
    if (with_cel[r->id]) {
        /* customResourceStrategy.Validate: CEL rules run only when no
         * blocking error came before (hasBlockingErr). */
        bool blocked = false;
        size_t i;
        json_t *cause;
        json_array_foreach(c.causes, i, cause)
        {
            const char *why = json_string_value(json_object_get(cause, "reason"));
            if (fd_streq(why, "FieldValueNotSupported") || fd_streq(why, "FieldValueRequired") ||
                fd_streq(why, "FieldValueTooLong") || fd_streq(why, "FieldValueTooMany") ||
                fd_streq(why, "FieldValueTypeInvalid"))
                blocked = true;
        }
        if (blocked) {
            add_cause(&c, "<nil>", "FieldValueInvalid", "Invalid value", json_null(),
                      "some validation rules were not checked because the object was invalid; "
                      "correct the existing errors to complete validation");
        } else {
            buf_truncate(&path, 0);
            cel_walk(&c, s, top, oldtop, &path);
        }
    }
    json_decref(top);
    json_decref(oldtop);
    fd_buf_free(&path);
    return c.causes;
}

/* ---- ObjectMeta: labels and annotations (k8s.io/apimachinery v0.34
 * util/validation, api/validation/objectmeta.go) ----------------------- */

#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_MSG                                                                               \
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " \
    "alphanumeric character"
#define QNAME_EXAMPLES "(e.g. 'MyName',  or 'my.name',  or '123-abc', "
#define DNS1123_LABEL  "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define DNS1123_FMT    DNS1123_LABEL "(\\." DNS1123_LABEL ")*"

static void meta_invalid(struct vctx *c, const char *field, const char *bad, const char *detail)
{
    json_t *v = json_string(bad);
    add_cause(c, field, "FieldValueInvalid", "Invalid value", v, detail);
    json_decref(v);
}

/* IsQualifiedName's messages for value, each reported as Invalid(field, bad). */
static void qualified_name(struct vctx *c, const char *field, const char *value, const char *bad)
{
    const char *slash = strchr(value, '/');
    const char *name = value;
    if (slash && strchr(slash + 1, '/')) {
        meta_invalid(
            c, field, bad,
            "a qualified name " QNAME_MSG " " QNAME_EXAMPLES
            "regex used for validation is '" QNAME_FMT
            "') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return;
    }
    if (slash) {
        char *prefix = fd_xstrndup(value, (size_t)(slash - value));
        name = slash + 1;
        if (!prefix[0]) {
            meta_invalid(c, field, bad, "prefix part must be non-empty");
        } else {
            if (strlen(prefix) > 253)
                meta_invalid(c, field, bad, "prefix part must be no more than 253 characters");
            if (!regex_match("^" DNS1123_FMT "$", prefix))
                meta_invalid(
                    c, field, bad,
                    "prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                    "alphanumeric characters, '-' or '.', and must start and end with an "
                    "alphanumeric character (e.g. 'example.com', regex used for "
                    "validation is '" DNS1123_FMT "')");
        }
        free(prefix);
    }
    if (!name[0])
        meta_invalid(c, field, bad, "name part must be non-empty");
    else if (strlen(name) > 63)
        meta_invalid(c, field, bad, "name part must be no more than 63 characters");
    if (!regex_match("^" QNAME_FMT "$", name))
        meta_invalid(c, field, bad,
                     "name part " QNAME_MSG " " QNAME_EXAMPLES
                     "regex used for validation is '" QNAME_FMT "')");
}

json_t *fd_sim_schema_validate_meta(const json_t *obj)
{
    struct vctx c = {json_array()};
    const json_t *md = json_object_get(obj, "metadata");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)json_object_get(md, "labels"), k, v)
    {
        qualified_name(&c, "metadata.labels", k, k);
        const char *val = json_string_value(v);
        if (!val)
            continue;
        if (strlen(val) > 63)
            meta_invalid(&c, "metadata.labels", val, "must be no more than 63 characters");
        if (!regex_match("^(" QNAME_FMT ")?$", val))
            meta_invalid(&c, "metadata.labels", val,
                         "a valid label must be an empty string or consist of alphanumeric "
                         "characters, '-', '_' or '.', and must start and end with an alphanumeric "
                         "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
                         "validation is '(" QNAME_FMT ")?')");
    }
    size_t total = 0;
    json_object_foreach((json_t *)(uintptr_t)json_object_get(md, "annotations"), k, v)
    {
        /* The rule is QualifiedName except that case does not matter. */
        char *lower = fd_xstrdup(k);
        for (char *p = lower; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        qualified_name(&c, "metadata.annotations", lower, k);
        free(lower);
        total += strlen(k) + (json_is_string(v) ? json_string_length(v) : 0);
    }
    if (total > 262144)
        add_cause(&c, "metadata.annotations", "FieldValueTooLong", "Too long", NULL,
                  "may not be more than 262144 bytes");
    return c.causes;
}

char *fd_sim_schema_aggregate(const json_t *causes)
{
    struct fd_buf b = FD_BUF_INIT;
    json_t *seen = json_object();
    size_t i, n = 0;
    json_t *cause;
    json_array_foreach(causes, i, cause)
    {
        const char *f = json_string_value(json_object_get(cause, "field"));
        const char *m = json_string_value(json_object_get(cause, "message"));
        char *one = f && f[0] ? fd_xasprintf("%s: %s", f, m ? m : "") : fd_xstrdup(m ? m : "");
        if (!json_object_get(seen, one)) {
            json_object_set_new(seen, one, json_true());
            if (n++)
                fd_buf_puts(&b, ", ");
            fd_buf_puts(&b, one);
        }
        free(one);
    }
    json_decref(seen);
    char *body = fd_buf_steal(&b);
    if (n <= 1)
        return body;
    char *out = fd_xasprintf("[%s]", body);
    free(body);
    return out;
}
