/* expr/yaml_out.c: Kargo's asYAML(), which is go.yaml.in/yaml/v3's Marshal
 * of the value: block style, four-space indentation, map keys in yaml.v3's
 * natural order, and each string scalar plain when it would read back as
 * the same string, else quoted (double quotes when it would read back as
 * another type, single quotes when YAML's plain rules forbid it) or a
 * literal block when it spans lines. */
#include "config.h"

#include "builtins.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INDENT 4

/* Would a plain scalar s read back as something else than a string under
 * yaml.v3's resolve (null, bool, int, float, timestamp), or is it one of
 * YAML 1.1's bool words or a base-60 float, which v3 quotes anyway? */
static bool resolves_to_non_string(const char *s, size_t len)
{
    static const char *const words[] = {
        "",      "~",     "null",  "Null", "NULL", "true", "True", "TRUE",  "false", "False",
        "FALSE", ".nan",  ".NaN",  ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
        "-.inf", "-.Inf", "-.INF", "<<",   "y",    "Y",    "yes",  "Yes",   "YES",   "on",
        "On",    "ON",    "n",     "N",    "no",   "No",   "NO",   "off",   "Off",   "OFF"};
    char buf[128];
    size_t n = 0;

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
            return true;
    if (len == 0 || len >= sizeof(buf))
        return false;
    char c = s[0];
    if (!(c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')))
        return false;
    /* numbers: strconv.ParseInt/ParseUint base 0 or ParseFloat, with '_'
     * dropped; also 0b and 0o forms */
    for (size_t i = 0; i < len; i++)
        if (s[i] != '_')
            buf[n++] = s[i];
    buf[n] = '\0';
    char *end;
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B' || p[1] == 'o' || p[1] == 'O')) {
        int base = (p[1] == 'b' || p[1] == 'B') ? 2 : 8;
        if (p[2] == '\0')
            return false;
        strtoll(p + 2, &end, base);
        return *end == '\0';
    }
    strtoll(buf, &end, 0);
    if (*end == '\0')
        return true;
    /* a float: digits with one '.', an optional exponent (yamlStyleFloat) */
    bool digit = false, dot = false;
    size_t i = buf[0] == '+' || buf[0] == '-';
    for (; buf[i] && buf[i] != 'e' && buf[i] != 'E'; i++) {
        if (buf[i] >= '0' && buf[i] <= '9')
            digit = true;
        else if (buf[i] == '.' && !dot)
            dot = true;
        else
            goto timestamp;
    }
    if (!digit)
        goto timestamp;
    if (buf[i]) {
        i++;
        if (buf[i] == '+' || buf[i] == '-')
            i++;
        if (!buf[i])
            goto timestamp;
        for (; buf[i]; i++)
            if (buf[i] < '0' || buf[i] > '9')
                goto timestamp;
    }
    return true;
timestamp:
    /* resolve.go parseTimestamp: four digits and '-', then one of its
     * layouts as time.Parse reads them */
    if (len > 4 && s[4] == '-' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
        s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9') {
        static const char *const layouts[] = {"2006-1-2T15:4:5.999999999Z07:00",
                                              "2006-1-2t15:4:5.999999999Z07:00",
                                              "2006-1-2 15:4:5.999999999", "2006-1-2"};
        struct fd_expr_bi_location utc;
        fd_expr_bi_load_location("UTC", &utc);
        for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
            struct fd_expr_val t;
            char err[128];
            if (fd_expr_bi_parse_time(layouts[k], strlen(layouts[k]), s, len, &utc, &t, err,
                                      sizeof(err))) {
                fd_expr_val_release(&t);
                return true;
            }
        }
        return false;
    }
    /* base-60 floats such as 1:20 are quoted for old parsers */
    if (memchr(s, ':', len)) {
        for (size_t k = (s[0] == '+' || s[0] == '-'); k < len; k++)
            if (!((s[k] >= '0' && s[k] <= '9') || s[k] == ':' || s[k] == '_' || s[k] == '.'))
                return false;
        return true;
    }
    return false;
}

/* libyaml's analysis: may s stand plain in block context? */
static bool plain_allowed(const char *s, size_t len)
{
    if (len == 0)
        return false;
    if ((len >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0)))
        return false;
    unsigned char c = (unsigned char)s[0];
    if (strchr("#,[]{}&*!|>'\"%@`", c))
        return false;
    if ((c == '-' || c == '?' || c == ':') && (len == 1 || s[1] == ' ' || s[1] == '\t'))
        return false;
    if (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '\t' || s[len - 1] == '\t')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char d = (unsigned char)s[i];
        if (d < 0x20 || d == 0x7f)
            return false;
        if (d == ':' && (i + 1 == len || s[i + 1] == ' '))
            return false;
        if (d == '#' && i > 0 && s[i - 1] == ' ')
            return false;
    }
    return true;
}

static bool has_special(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char d = (unsigned char)s[i];
        if ((d < 0x20 && d != '\n') || d == 0x7f)
            return true;
    }
    return false;
}

static void put_indent(struct fd_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        fd_buf_putc(b, ' ');
}

static void double_quoted(struct fd_buf *b, const char *s, size_t len)
{
    fd_buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            fd_buf_puts(b, "\\\"");
            break;
        case '\\':
            fd_buf_puts(b, "\\\\");
            break;
        case '\n':
            fd_buf_puts(b, "\\n");
            break;
        case '\t':
            fd_buf_puts(b, "\\t");
            break;
        case '\r':
            fd_buf_puts(b, "\\r");
            break;
        case 0:
            fd_buf_puts(b, "\\0");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                fd_buf_printf(b, "\\x%02X", c);
            else
                fd_buf_putc(b, (char)c);
        }
    }
    fd_buf_putc(b, '"');
}

/* A string scalar; indent is where a literal block's lines start. */
static void scalar(struct fd_buf *b, const char *s, size_t len, int indent)
{
    if (memchr(s, '\n', len) && !has_special(s, len)) {
        size_t trail = 0;
        while (trail < len && s[len - 1 - trail] == '\n')
            trail++;
        fd_buf_putc(b, '|');
        if (s[0] == ' ')
            fd_buf_printf(b, "%d", INDENT);
        fd_buf_puts(b, trail == 0 ? "-" : trail == 1 ? "" : "+");
        size_t i = 0;
        while (i < len) {
            const char *nl = memchr(s + i, '\n', len - i);
            size_t end = nl ? (size_t)(nl - s) : len;
            fd_buf_putc(b, '\n');
            if (end > i)
                put_indent(b, indent);
            fd_buf_append(b, s + i, end - i);
            i = end + 1;
            if (!nl)
                break;
        }
        return;
    }
    if (resolves_to_non_string(s, len) || has_special(s, len) || memchr(s, '\n', len)) {
        double_quoted(b, s, len);
        return;
    }
    if (plain_allowed(s, len)) {
        fd_buf_append(b, s, len);
        return;
    }
    fd_buf_putc(b, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            fd_buf_putc(b, '\'');
        fd_buf_putc(b, s[i]);
    }
    fd_buf_putc(b, '\'');
}

static bool is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* yaml.v3's keyList.Less (sorter.go) for two string keys: letters after
 * digits, runs of digits compared as numbers. Bytes stand for runes here. */
static int string_key_cmp(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
    bool digits = false;

    for (size_t i = 0; i < la && i < lb; i++) {
        if (a[i] == b[i]) {
            digits = is_digit(a[i]);
            continue;
        }
        bool al = is_letter(a[i]), bl = is_letter(b[i]);
        if (al && bl)
            return a[i] < b[i] ? -1 : 1;
        if (al || bl)
            return (digits ? al : bl) ? -1 : 1;
        int64_t an = 0, bn = 0;
        size_t ai, bi;
        if (a[i] == '0' || b[i] == '0') {
            for (size_t j = i; j-- > 0 && is_digit(a[j]);)
                if (a[j] != '0') {
                    an = bn = 1;
                    break;
                }
        }
        for (ai = i; ai < la && is_digit(a[ai]); ai++)
            an = an * 10 + (a[ai] - '0');
        for (bi = i; bi < lb && is_digit(b[bi]); bi++)
            bn = bn * 10 + (b[bi] - '0');
        if (an != bn)
            return an < bn ? -1 : 1;
        if (ai != bi)
            return ai < bi ? -1 : 1;
        return a[i] < b[i] ? -1 : 1;
    }
    return la < lb ? -1 : la > lb ? 1 : 0;
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

static bool node(struct fd_buf *b, struct fd_expr_val v, int indent, const char **err);

static bool block_seq(struct fd_buf *b, struct fd_expr_val v, int col, bool first_inline,
                      const char **err);

static bool block_map(struct fd_buf *b, const struct fd_expr_map *m, int keycol, int childcol,
                      bool first_inline, const char **err);

/* One key and its value in a block mapping (see block_map). */
static bool map_item(struct fd_buf *b, const struct fd_expr_map *m,
                     const struct fd_expr_map_entry *e, const char *key, size_t keylen,
                     int childcol, const char **err)
{
    struct fd_expr_val val = e->val;
    bool ok = true;

    if (m->anykey) /* a key of any type marshals as a value does */
        ok = node(b, e->kval, childcol, err);
    else
        scalar(b, key, keylen, childcol);
    fd_buf_putc(b, ':');
    if (!ok)
        return false;
    if (is_block(val)) {
        fd_buf_putc(b, '\n');
        return val.kind == FD_VAL_MAP
                   ? block_map(b, val.u.m, childcol, childcol + INDENT, false, err)
                   : block_seq(b, val, childcol, false, err);
    }
    fd_buf_putc(b, ' ');
    ok = node(b, val, childcol, err);
    fd_buf_putc(b, '\n');
    return ok;
}

/* A block mapping: keys at keycol, nested blocks and literal lines at
 * childcol (yaml.v3: a mapping that is a sequence item has its keys after
 * the "- " but its children where a plain mapping's would be). The first
 * key continues the current line when first_inline. One of Kargo's structs
 * (no yaml tags) has its fields in declaration order, each keyed by its Go
 * name in lower case, as yaml.v3 names them. */
static bool block_map(struct fd_buf *b, const struct fd_expr_map *m, int keycol, int childcol,
                      bool first_inline, const char **err)
{
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
        if (i > 0 || !first_inline)
            put_indent(b, keycol);
        if (f) {
            char *lower = fd_xstrdup(e[i]->key->data);
            for (char *c = lower; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            ok = map_item(b, m, e[i], lower, strlen(lower), childcol, err);
            free(lower);
        } else {
            ok = map_item(b, m, e[i], e[i]->key->data, e[i]->key->len, childcol, err);
        }
    }
    free(e);
    return ok;
}

/* A block sequence: "- " at col; an item's own block continues the line. */
static bool block_seq(struct fd_buf *b, struct fd_expr_val v, int col, bool first_inline,
                      const char **err)
{
    for (size_t i = 0; i < v.u.a->len; i++) {
        struct fd_expr_val item = fd_expr_arr_get(v.u.a, i);
        if (i > 0 || !first_inline)
            put_indent(b, col);
        fd_buf_puts(b, "- ");
        bool ok;
        if (is_block(item) && item.kind == FD_VAL_MAP) {
            ok = block_map(b, item.u.m, col + 2, col + INDENT, true, err);
        } else if (is_block(item)) {
            ok = block_seq(b, item, col + 2, true, err);
        } else {
            ok = node(b, item, col + 2, err);
            fd_buf_putc(b, '\n');
        }
        if (!ok)
            return false;
    }
    return true;
}

static bool node(struct fd_buf *b, struct fd_expr_val v, int indent, const char **err)
{
    struct fd_buf t = FD_BUF_INIT;

    switch (v.kind) {
    case FD_VAL_NIL:
        fd_buf_puts(b, "null");
        return true;
    case FD_VAL_BOOL:
        fd_buf_puts(b, v.u.b ? "true" : "false");
        return true;
    case FD_VAL_INT:
        fd_buf_printf(b, "%lld", (long long)v.u.i);
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
            scalar(b, t.data, t.len, indent);
            fd_buf_free(&t);
            return true;
        }
        scalar(b, v.u.s->data, v.u.s->len, indent);
        return true;
    case FD_VAL_DURATION: /* time.Duration marshals as its String() */
        fd_expr_format_duration(&t, v.u.i);
        scalar(b, t.data ? t.data : "", t.len, indent);
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
    if (v.kind == FD_VAL_MAP)
        return block_map(b, v.u.m, indent, indent + INDENT, false, err);
    return block_seq(b, v, indent, false, err);
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

    /* a string's literal block has its lines indented (a version is
     * marshalled by node, as its text) */
    if (w.kind == FD_VAL_STRING && !fd_expr_is_semver(w))
        scalar(b, w.u.s->data, w.u.s->len, INDENT);
    else
        ok = node(b, w, 0, err);
    fd_expr_val_release(&w);
    if (!ok)
        return false;
    if (b->len == at || b->data[b->len - 1] != '\n')
        fd_buf_putc(b, '\n');
    return true;
}
