/* util/buf.c: growable byte strings and small string helpers. */
#include "config.h"

#include "freightdeck/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes plus the terminating NUL. */
static void buf_reserve(struct fd_buf *b, size_t n)
{
    size_t need;

    if (n > SIZE_MAX - b->len - 1)
        fd_fatal("string too large (%zu + %zu bytes)", b->len, n);
    need = b->len + n + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = fd_xreallocarray(b->data, cap, 1);
    b->cap = cap;
}

void fd_buf_append(struct fd_buf *b, const void *bytes, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void fd_buf_puts(struct fd_buf *b, const char *s)
{
    fd_buf_append(b, s, strlen(s));
}

void fd_buf_putc(struct fd_buf *b, char c)
{
    fd_buf_append(b, &c, 1);
}

void fd_buf_vprintf(struct fd_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        fd_fatal("invalid format string \"%s\"", fmt);
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void fd_buf_printf(struct fd_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fd_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void fd_buf_reset(struct fd_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void fd_buf_free(struct fd_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *fd_buf_steal(struct fd_buf *b)
{
    char *s = b->data ? b->data : fd_xstrdup("");

    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *fd_buf_cstr(const struct fd_buf *b)
{
    return b->data ? b->data : "";
}

bool fd_str_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}
