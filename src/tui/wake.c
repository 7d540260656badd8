/* tui/wake.c: the wake pipe; many wakes, one byte pending. */
#include "config.h"

#include "freightdeck/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "freightdeck/util.h"

struct fd_tui_wake {
    int fd[2];
    atomic_bool pending;
};

struct fd_tui_wake *fd_tui_wake_new(void)
{
    struct fd_tui_wake *w = fd_xcalloc(1, sizeof(*w));

    if (pipe(w->fd) != 0) {
        int e = errno;
        free(w);
        errno = e;
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(w->fd[i], F_SETFL, fcntl(w->fd[i], F_GETFL) | O_NONBLOCK);
        fcntl(w->fd[i], F_SETFD, FD_CLOEXEC);
    }
    atomic_init(&w->pending, false);
    return w;
}

void fd_tui_wake_free(struct fd_tui_wake *w)
{
    if (!w)
        return;
    close(w->fd[0]);
    close(w->fd[1]);
    free(w);
}

void fd_tui_wake(struct fd_tui_wake *w)
{
    /* Only the caller that flips the flag writes: the byte is already on its
     * way for everyone else. Lock-free, so signal handlers may call it. */
    if (!atomic_exchange(&w->pending, true)) {
        ssize_t r;
        do
            r = write(w->fd[1], "w", 1);
        while (r < 0 && errno == EINTR);
    }
}

int fd_tui_wake_fd(const struct fd_tui_wake *w)
{
    return w->fd[0];
}

bool fd_tui_wake_consume(struct fd_tui_wake *w)
{
    char buf[64];
    bool any = false;

    /* Clear the flag before reading the world: a wake that lands after this
     * writes a new byte, so no change is ever missed. */
    while (read(w->fd[0], buf, sizeof(buf)) > 0)
        any = true;
    atomic_store(&w->pending, false);
    return any;
}
