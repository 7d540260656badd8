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

bool fd_kube_base64_decode(const char *in, size_t len, struct fd_kube_blob *out)
{
    size_t n;
    unsigned char *bytes = fd_base64_decode(in, len, FD_BASE64_SPACE, &n);

    if (!bytes)
        return false;
    out->data = bytes;
    out->len = n;
    return true;
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
