/* util/file.c: reading a whole file, with a size limit. */
#include "config.h"

#include "freightdeck/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* What was read may be a secret (a token, a key): wiped before it is freed. */
static void wipe(struct fd_buf *b)
{
    if (b->data)
        explicit_bzero(b->data, b->cap);
    fd_buf_free(b);
}

enum fd_status fd_read_file(const char *path, size_t max, struct fd_buf *out, const char **why)
{
    static _Thread_local char too_large[64];
    struct fd_buf b = FD_BUF_INIT;
    struct stat st;
    char chunk[8192];
    ssize_t n;
    /* O_NONBLOCK: a FIFO named by mistake must not hang the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    fd_buf_reset(out);
    if (fd < 0) {
        *why = strerror(errno);
        return FD_IO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        close(fd);
        return FD_IO;
    }
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = strerror(errno);
            close(fd);
            wipe(&b);
            return FD_IO;
        }
        if (b.len + (size_t)n > max) {
            if (max >= (1u << 20) && max % (1u << 20) == 0)
                snprintf(too_large, sizeof(too_large), "file too large (over %zu MiB)", max >> 20);
            else
                snprintf(too_large, sizeof(too_large), "file too large (over %zu bytes)", max);
            *why = too_large;
            close(fd);
            explicit_bzero(chunk, sizeof(chunk));
            wipe(&b);
            return FD_LIMIT;
        }
        fd_buf_append(&b, chunk, (size_t)n);
    }
    close(fd);
    explicit_bzero(chunk, sizeof(chunk));
    if (!b.data)
        fd_buf_puts(&b, ""); /* an empty file is "" too: data is never NULL */
    wipe(out);
    *out = b;
    return FD_OK;
}

char *fd_display_path(const char *path)
{
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;

    if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
        return fd_xasprintf("~%s", path + hl);
    return fd_xstrdup(path);
}
