/* util/alloc.c: allocation wrappers that never return NULL, fatal errors. */
#include "config.h"

#include "freightdeck/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void fd_set_fatal_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

void fd_fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook) {
        void (*hook)(void) = fatal_hook;
        fatal_hook = NULL; /* a hook that fails must not recurse */
        hook();
    }
    fputs("freightdeck: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void *fd_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        fd_fatal("out of memory (allocating %zu bytes)", size);
    return p;
}

void *fd_xcalloc(size_t count, size_t size)
{
    void *p;

    if (count == 0 || size == 0)
        count = size = 1;
    p = calloc(count, size);
    if (!p)
        fd_fatal("out of memory (allocating %zu x %zu bytes)", count, size);
    return p;
}

void *fd_xreallocarray(void *ptr, size_t count, size_t size)
{
    void *p;

    if (size && count > SIZE_MAX / size)
        fd_fatal("allocation size overflow (%zu x %zu bytes)", count, size);
    size_t bytes = count * size;

    p = realloc(ptr, bytes ? bytes : 1);
    if (!p)
        fd_fatal("out of memory (allocating %zu x %zu bytes)", count, size);
    return p;
}

char *fd_xstrdup(const char *s)
{
    return fd_xstrndup(s, strlen(s));
}

char *fd_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = fd_xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *fd_xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *p;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        fd_fatal("invalid format string \"%s\"", fmt);
    p = fd_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *fd_xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = fd_xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}
