/* bench/bench_tui.c: what the console costs on the wire (SSH bandwidth).
 *
 * Runs the real frame loop on a 120x40 xterm-256color terminal whose output
 * goes to a temporary file, driven by key scripts, and reports:
 *   - bytes of the first complete frame;
 *   - bytes per small change (the selection moving one line), from 200 moves;
 *   - bytes written while idle for 500 ms (must be 0). */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/tui.h"

static long run(const char *script_text)
{
    char path[] = "/tmp/fd-bench-tui-XXXXXX";
    int fd = mkstemp(path);
    FILE *script, *out = tmpfile(), *in = fopen("/dev/null", "r");
    struct fd_tui_options o = {0};
    long bytes;

    if (fd < 0 || !out || !in || !(script = fdopen(fd, "w"))) {
        perror("bench_tui");
        exit(1);
    }
    fputs(script_text, script);
    fclose(script);
    o.script_path = path;
    o.term_out = out;
    o.term_in = in;
    o.term_type = "xterm-256color";
    o.frame_ms = 1;
    if (fd_tui_run(&o) != 0)
        exit(1);
    fflush(out);
    bytes = ftell(out);
    fclose(out);
    fclose(in);
    remove(path);
    return bytes;
}

int main(void)
{
    char moves[2 * 100 + 2];
    size_t n = 0;
    long base, moved, idle;

    setlocale(LC_ALL, "C.UTF-8");
    setenv("LINES", "40", 1);
    setenv("COLUMNS", "120", 1);
    if (!getenv("FREIGHTDECK_THEMES_DIR") && getenv("FD_TOP_SRCDIR")) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/themes", getenv("FD_TOP_SRCDIR"));
        setenv("FREIGHTDECK_THEMES_DIR", dir, 1);
    }
    for (int i = 0; i < 100; i++) {
        moves[n++] = 'j';
        moves[n++] = 'k';
    }
    moves[n++] = '\n';
    moves[n] = '\0';
    base = run("@sleep 0\n");
    moved = run(moves);
    idle = run("@sleep 500\n") - base;
    printf("tui_first_frame_bytes_120x40 %ld bytes\n", base);
    printf("tui_bytes_per_selection_move %.1f bytes\n", (double)(moved - base) / 200.0);
    printf("tui_idle_bytes_500ms %ld bytes\n", idle);
    return 0;
}
