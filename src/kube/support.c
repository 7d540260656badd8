/* kube/support.c: base64, bounded file reads, display paths, wiping. */
#include "config.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const interactive_names[] = {
#define FD_KUBE_INTERACTIVE_NAME(id, name) name,
    FD_KUBE_INTERACTIVE_TABLE(FD_KUBE_INTERACTIVE_NAME)
#undef FD_KUBE_INTERACTIVE_NAME
};

const char *fd_kube_interactive_name(enum fd_kube_interactive mode)
{
    return (unsigned)mode < FD_KUBE_INTERACTIVE__COUNT ? interactive_names[mode] : "unknown";
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool fd_kube_base64_decode(const char *in, size_t len, struct fd_kube_blob *out)
{
    unsigned char *buf = fd_xmalloc(len / 4 * 3 + 4);
    size_t n = 0, pad = 0, chars = 0;
    unsigned acc = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        v = b64_value(c);
        if (v < 0 || pad)
            goto bad; /* a character after padding, or not base64 at all */
        acc = (acc << 6) | (unsigned)v;
        if (++chars % 4 == 0) {
            buf[n++] = (unsigned char)(acc >> 16);
            buf[n++] = (unsigned char)(acc >> 8);
            buf[n++] = (unsigned char)acc;
            acc = 0;
        }
    }
    switch (chars % 4) {
    case 0:
        if (pad)
            goto bad;
        break;
    case 2:
        if (pad != 0 && pad != 2)
            goto bad;
        buf[n++] = (unsigned char)(acc >> 4);
        break;
    case 3:
        if (pad != 0 && pad != 1)
            goto bad;
        buf[n++] = (unsigned char)(acc >> 10);
        buf[n++] = (unsigned char)(acc >> 2);
        break;
    default:
        goto bad;
    }
    buf[n] = '\0';
    out->data = buf;
    out->len = n;
    return true;
bad:
    explicit_bzero(buf, len / 4 * 3 + 4);
    free(buf);
    return false;
}

char *fd_kube_base64_encode(const unsigned char *in, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = fd_xmalloc((len + 2) / 3 * 4 + 1), *p = out;

    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        *p++ = alphabet[(v >> 18) & 63];
        *p++ = alphabet[(v >> 12) & 63];
        *p++ = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        *p++ = i + 2 < len ? alphabet[v & 63] : '=';
    }
    *p = '\0';
    return out;
}

enum fd_status fd_kube_read_blob(const char *path, struct fd_kube_blob *out, const char **why)
{
    struct fd_buf b = FD_BUF_INIT;
    enum fd_status st = fd_read_file(path, FD_KUBE_MAX_FILE, &b, why);

    out->len = b.len;
    out->data = st == FD_OK ? (unsigned char *)fd_buf_steal(&b) : NULL;
    fd_buf_free(&b);
    return st;
}

char *fd_kube_display_path(const char *path)
{
    const char *home = getenv("HOME");
    size_t n = home ? strlen(home) : 0;

    if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
        return fd_xasprintf("~%s", path + n);
    return fd_xstrdup(path);
}

void fd_kube_blob_wipe(struct fd_kube_blob *b)
{
    if (b->data) {
        explicit_bzero(b->data, b->len);
        free(b->data);
    }
    b->data = NULL;
    b->len = 0;
}

void fd_kube_str_wipe(char **s)
{
    if (*s) {
        explicit_bzero(*s, strlen(*s));
        free(*s);
    }
    *s = NULL;
}

struct fd_kube_exec *fd_kube_exec_dup(const struct fd_kube_exec *e)
{
    struct fd_kube_exec *d = fd_xcalloc(1, sizeof(*d));

    *d = *e;
    d->api_version = fd_xstrdup(e->api_version);
    d->command = fd_xstrdup(e->command);
    d->install_hint = e->install_hint ? fd_xstrdup(e->install_hint) : NULL;
    d->args = fd_xcalloc(e->nargs + 1, sizeof(*d->args));
    for (size_t i = 0; i < e->nargs; i++)
        d->args[i] = fd_xstrdup(e->args[i]);
    d->env = fd_xcalloc(e->nenv + 1, sizeof(*d->env));
    for (size_t i = 0; i < e->nenv; i++) {
        d->env[i].name = fd_xstrdup(e->env[i].name);
        d->env[i].value = fd_xstrdup(e->env[i].value);
    }
    return d;
}

void fd_kube_exec_free(struct fd_kube_exec *e)
{
    if (!e)
        return;
    free(e->api_version);
    free(e->command);
    free(e->install_hint);
    for (size_t i = 0; i < e->nargs; i++)
        fd_kube_str_wipe(&e->args[i]);
    free(e->args);
    for (size_t i = 0; i < e->nenv; i++) {
        free(e->env[i].name);
        fd_kube_str_wipe(&e->env[i].value);
    }
    free(e->env);
    free(e);
}
