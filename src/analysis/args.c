/* analysis/args.c: {{args.x}} substitution (utils/template ResolveArgs /
 * ResolveQuotedArgs, valyala/fasttemplate) and MergeArgs. */
#include "config.h"

#include "freightdeck/analysis.h"
#include "freightdeck/expr.h"

#include <stdlib.h>
#include <string.h>

/* strings.TrimSpace: Unicode's white space (unicode.IsSpace) off both ends;
 * a byte that is no UTF-8 stops it. */
static void go_trim_space(const char **s, size_t *len)
{
    uint32_t r;
    size_t w;

    while (*len && (w = fd_utf8_decode(*s, *len, &r)) > 0 && fd_unicode_is_space(r)) {
        *s += w;
        *len -= w;
    }
    while (*len) {
        size_t start = *len - 1; /* the last rune's first byte */
        while (start > 0 && ((unsigned char)(*s)[start] & 0xc0) == 0x80 && *len - start < 4)
            start--;
        w = fd_utf8_decode(*s + start, *len - start, &r);
        if (w != *len - start || !fd_unicode_is_space(r))
            return;
        *len = start;
    }
}

static const struct fd_analysis_arg *find_arg(const struct fd_analysis_arg *args, size_t n,
                                              const char *key, size_t len)
{
    if (len < 5 || strncmp(key, "args.", 5) != 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (args[i].name && strlen(args[i].name) == len - 5 &&
            strncmp(args[i].name, key + 5, len - 5) == 0)
            return &args[i];
    return NULL;
}

char *fd_analysis_resolve_args(const char *text, const struct fd_analysis_arg *args, size_t n_args,
                               bool quote, char **err)
{
    struct fd_buf b = FD_BUF_INIT;
    char *unresolved = NULL;
    const char *p = text ? text : "";

    *err = NULL;
    for (size_t i = 0; i < n_args; i++) {
        if (!args[i].value) {
            *err = fd_xasprintf("argument \"%s\" was not supplied", args[i].name);
            return NULL;
        }
    }
    fd_buf_puts(&b, "");
    for (;;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            fd_buf_puts(&b, p);
            break;
        }
        fd_buf_append(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            /* fasttemplate refuses the whole template. */
            free(unresolved);
            fd_buf_free(&b);
            *err = fd_xasprintf("Cannot find end tag=\"}}\" in the template=\"%s\" starting from "
                                "\"%s\"",
                                text, open + 2);
            return NULL;
        }
        const char *tag = open + 2;
        size_t tag_len = (size_t)(close - tag);
        const char *t = tag;
        size_t t_len = tag_len;
        go_trim_space(&t, &t_len);
        const struct fd_analysis_arg *arg = find_arg(args, n_args, t, t_len);
        if (arg) {
            if (quote) { /* strconv.Quote, its quotes cut off */
                char *q = fd_expr_go_quote(arg->value, strlen(arg->value));
                fd_buf_append(&b, q + 1, strlen(q) - 2);
                free(q);
            } else
                fd_buf_puts(&b, arg->value);
        } else {
            /* The tag is dropped; the last unresolved one is reported. */
            free(unresolved);
            unresolved = fd_xasprintf("failed to resolve {{%.*s}}", (int)tag_len, tag);
        }
        p = close + 2;
    }
    if (unresolved) {
        fd_buf_free(&b);
        *err = unresolved;
        return NULL;
    }
    return fd_buf_steal(&b);
}

struct fd_analysis_arg *fd_analysis_merge_args(const struct fd_analysis_arg *incoming,
                                               size_t n_incoming,
                                               const struct fd_analysis_arg *tmpl, size_t n_tmpl,
                                               size_t *n_out, char **err)
{
    struct fd_analysis_arg *out = fd_xcalloc(n_tmpl ? n_tmpl : 1, sizeof(*out));

    *err = NULL;
    for (size_t i = 0; i < n_tmpl; i++) {
        out[i].name = fd_xstrdup(tmpl[i].name ? tmpl[i].name : "");
        out[i].value = tmpl[i].value ? fd_xstrdup(tmpl[i].value) : NULL;
        out[i].value_from = tmpl[i].value_from;
    }
    for (size_t k = 0; k < n_incoming; k++) {
        for (size_t i = 0; i < n_tmpl; i++) {
            if (!fd_streq(out[i].name, incoming[k].name))
                continue;
            if (incoming[k].value) {
                free(out[i].value);
                out[i].value = fd_xstrdup(incoming[k].value);
            } else if (incoming[k].value_from) {
                out[i].value_from = true;
            }
            break;
        }
    }
    for (size_t i = 0; i < n_tmpl; i++) {
        if (!out[i].value && !out[i].value_from) {
            *err = fd_xasprintf("args.%s was not resolved", out[i].name);
            for (size_t j = 0; j < n_tmpl; j++)
                fd_analysis_arg_free(&out[j]);
            free(out);
            *n_out = 0;
            return NULL;
        }
    }
    *n_out = n_tmpl;
    return out;
}
