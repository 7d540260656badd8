/* tests/tui/tui_driver.c: runs the console's foundation without a cluster,
 * for the screen tests (tests/lib/screen.sh) and the tmux end-to-end test.
 *
 *   tui_driver [--script FILE] [--root VIEW] [--theme NAME] [--config FILE]
 *              [--ascii] [--no-color] [--frame-ms N] [--stats]
 *              [--wake-thread N]
 *
 * --wake-thread N starts a thread that announces N model changes as fast as
 * it can, the way the network thread will; --stats prints the frame loop's
 * counters after the terminal is restored. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "freightdeck/tui.h"

struct model {
    struct fd_tui_wake *wake;
    long wakes_wanted;
    atomic_long changes; /* written by the "network" thread */
    long applied;        /* read by the UI thread */
    unsigned long on_wake_calls;
};

static void *network_thread(void *arg)
{
    struct model *m = arg;

    for (long i = 0; i < m->wakes_wanted; i++) {
        atomic_fetch_add(&m->changes, 1);
        fd_tui_wake(m->wake);
    }
    return NULL;
}

static bool on_wake(void *ctx)
{
    struct model *m = ctx;
    long now = atomic_load(&m->changes);
    bool changed = now != m->applied;

    m->on_wake_calls++;
    m->applied = now;
    return changed;
}

static bool is_busy(void *ctx)
{
    struct model *m = ctx;

    /* Loading until the network thread's changes are all applied. */
    return m->wakes_wanted > 0 && m->applied < m->wakes_wanted;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"script", required_argument, NULL, 's'},
        {"root", required_argument, NULL, 'r'},
        {"theme", required_argument, NULL, 't'},
        {"config", required_argument, NULL, 'c'},
        {"ascii", no_argument, NULL, 'a'},
        {"no-color", no_argument, NULL, 'n'},
        {"frame-ms", required_argument, NULL, 'f'},
        {"stats", no_argument, NULL, 'S'},
        {"wake-thread", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0},
    };
    struct fd_tui_options o = {0};
    struct fd_tui_stats stats;
    struct model m = {0};
    pthread_t thread;
    bool print_stats = false;
    int c, rc;

    setlocale(LC_ALL, "");
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            o.script_path = optarg;
            break;
        case 'r':
            o.root_view = optarg;
            break;
        case 't':
            o.theme = optarg;
            break;
        case 'c':
            o.config_path = optarg;
            break;
        case 'a':
            o.ascii = true;
            break;
        case 'n':
            o.no_color = true;
            break;
        case 'f':
            o.frame_ms = atoi(optarg);
            break;
        case 'S':
            print_stats = true;
            break;
        case 'w':
            m.wakes_wanted = atol(optarg);
            break;
        default:
            fprintf(stderr, "usage: tui_driver [--script FILE] [--root VIEW] [--theme NAME] "
                            "[--config FILE] [--ascii] [--no-color] [--frame-ms N] [--stats] "
                            "[--wake-thread N]\n");
            return 2;
        }
    }
    m.wake = fd_tui_wake_new();
    if (!m.wake) {
        perror("tui_driver: pipe");
        return 1;
    }
    atomic_init(&m.changes, 0);
    o.wake = m.wake;
    o.on_wake = on_wake;
    o.is_busy = is_busy;
    o.ctx = &m;
    o.stats = &stats;
    if (m.wakes_wanted > 0 && pthread_create(&thread, NULL, network_thread, &m) != 0) {
        perror("tui_driver: pthread_create");
        return 1;
    }
    rc = fd_tui_run(&o);
    if (m.wakes_wanted > 0)
        pthread_join(thread, NULL);
    if (print_stats)
        printf("frames=%lu polls=%lu wakes=%lu keys=%lu layouts=%lu on_wake=%lu applied=%ld\n",
               stats.frames, stats.polls, stats.wakes, stats.keys, stats.layouts, m.on_wake_calls,
               m.applied);
    fd_tui_wake_free(m.wake);
    return rc;
}
