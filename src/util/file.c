/* util/file.c: reading a whole file, with a size limit. */
#include "config.h"

#include "freightdeck/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What was read may be a secret (a token, a key): wiped before it is freed. */
static void wipe(struct fd_buf *b)
{
    if (b->data)
        explicit_bzero(b->data, b->cap);
    fd_buf_free(b);
}

enum fd_status fd_read_fd(int fd, const char *noun, size_t max, struct fd_buf *out,
                          const char **why)
{
    static _Thread_local char too_large[64];
    struct fd_buf b = FD_BUF_INIT;
    char chunk[65536];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = strerror(errno);
            explicit_bzero(chunk, sizeof(chunk));
            wipe(&b);
            return FD_IO;
        }
        if (b.len + (size_t)n > max) {
            if (max >= (1u << 20) && max % (1u << 20) == 0)
                snprintf(too_large, sizeof(too_large), "%s too large (over %zu MiB)", noun,
                         max >> 20);
            else
                snprintf(too_large, sizeof(too_large), "%s too large (over %zu bytes)", noun, max);
            *why = too_large;
            explicit_bzero(chunk, sizeof(chunk));
            wipe(&b);
            return FD_LIMIT;
        }
        fd_buf_append(&b, chunk, (size_t)n);
    }
    explicit_bzero(chunk, sizeof(chunk));
    if (!b.data)
        fd_buf_puts(&b, ""); /* nothing read is "" too: data is never NULL */
    wipe(out);
    *out = b;
    return FD_OK;
}

enum fd_status fd_read_file(const char *path, size_t max, struct fd_buf *out, const char **why)
{
    struct stat st;
    enum fd_status rst;
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
    rst = fd_read_fd(fd, "file", max, out, why);
    close(fd);
    return rst;
}

char *fd_display_path(const char *path)
{
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;

    if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
        return fd_xasprintf("~%s", path + hl);
    return fd_xstrdup(path);
}
