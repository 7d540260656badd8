/* util/json.c: the name of a JSON value's type in messages, a JSON value
 * written as Go's json.Marshal writes it, and strings holding a NUL. */
#include "config.h"

#include "freightdeck/util.h"

#include <jansson.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *fd_json_type_name(const json_t *v, bool integer)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return integer ? "integer" : "number";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void marshal(struct fd_buf *b, const json_t *v, bool sort_keys)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        const char **keys = fd_xcalloc(n ? n : 1, sizeof(*keys));
        const char *k;
        const json_t *item;
        json_object_foreach((json_t *)(uintptr_t)v, k, item) keys[i++] = k;
        if (sort_keys) /* (Go sorts a map's keys by their bytes) */
            qsort(keys, n, sizeof(*keys), key_cmp);
        fd_buf_putc(b, '{');
        for (i = 0; i < n; i++) {
            if (i)
                fd_buf_putc(b, ',');
            fd_go_json_string(b, keys[i], strlen(keys[i]), true);
            fd_buf_putc(b, ':');
            marshal(b, json_object_get(v, keys[i]), sort_keys);
        }
        fd_buf_putc(b, '}');
        free(keys);
        return;
    }
    case JSON_ARRAY:
        fd_buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                fd_buf_putc(b, ',');
            marshal(b, json_array_get(v, i), sort_keys);
        }
        fd_buf_putc(b, ']');
        return;
    case JSON_STRING:
        fd_go_json_string(b, json_string_value(v), json_string_length(v), true);
        return;
    case JSON_INTEGER:
        fd_buf_printf(b, "%lld", (long long)json_integer_value(v));
        return;
    case JSON_REAL:
        fd_go_format_float(b, json_real_value(v), 'j');
        return;
    case JSON_TRUE:
        fd_buf_puts(b, "true");
        return;
    case JSON_FALSE:
        fd_buf_puts(b, "false");
        return;
    case JSON_NULL:
        fd_buf_puts(b, "null");
        return;
    }
}

char *fd_go_json_marshal(const json_t *v, bool sort_keys)
{
    struct fd_buf b = FD_BUF_INIT;

    if (!v)
        fd_buf_puts(&b, "null");
    else
        marshal(&b, v, sort_keys);
    return fd_buf_steal(&b);
}

char *fd_nul_shown_dup(const char *s, size_t len)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *end = s + len, *nul;

    if (!memchr(s, '\0', len))
        return fd_xstrndup(s, len);
    fd_buf_puts(&b, "");
    while ((nul = memchr(s, '\0', (size_t)(end - s)))) {
        fd_buf_append(&b, s, (size_t)(nul - s));
        fd_buf_puts(&b, FD_NUL_SHOWN);
        s = nul + 1;
    }
    fd_buf_append(&b, s, (size_t)(end - s));
    return fd_buf_steal(&b);
}

char *fd_json_text(const json_t *v)
{
    return json_is_string(v) ? fd_nul_shown_dup(json_string_value(v), json_string_length(v)) : NULL;
}

/* text with every integer that overflows int64 (outside strings) followed
 * by ".0", so that jansson reads it as a real: a new string of *outlen
 * bytes, the caller frees. */
static char *widen_big_integers(const char *text, size_t len, size_t *outlen)
{
    struct fd_buf b = FD_BUF_INIT;
    size_t i = 0;

    fd_buf_puts(&b, "");
    while (i < len) {
        char c = text[i];
        if (c == '"') { /* a string, escapes and all */
            size_t j = i + 1;
            while (j < len && text[j] != '"')
                j += text[j] == '\\' ? 2 : 1;
            j = j < len ? j + 1 : len;
            fd_buf_append(&b, text + i, j - i);
            i = j;
        } else if (c == '-' || fd_ascii_isdigit(c)) {
            size_t j = i + (c == '-');
            while (j < len && fd_ascii_isdigit(text[j]))
                j++;
            bool integer = j == len || (text[j] != '.' && text[j] != 'e' && text[j] != 'E');
            char *digits = fd_xstrndup(text + i, j - i);
            errno = 0;
            (void)strtoll(digits, NULL, 10); /* (jansson's own test) */
            bool big = integer && errno == ERANGE;
            free(digits);
            fd_buf_append(&b, text + i, j - i);
            if (big)
                fd_buf_puts(&b, ".0");
            i = j;
        } else {
            fd_buf_putc(&b, c);
            i++;
        }
    }
    *outlen = b.len;
    return fd_buf_steal(&b);
}

json_t *fd_json_load_outside(const char *text, size_t len, size_t flags, json_error_t *err)
{
    json_error_t own;
    json_t *j;

    if (!err)
        err = &own;
    j = json_loadb(text, len, flags | JSON_ALLOW_NUL, err);
    if (j || json_error_code(err) != json_error_numeric_overflow)
        return j;
    size_t wlen;
    char *wide = widen_big_integers(text, len, &wlen);
    j = json_loadb(wide, wlen, flags | JSON_ALLOW_NUL, err);
    free(wide);
    return j;
}
