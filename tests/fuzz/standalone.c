/* tests/fuzz/standalone.c: runs a libFuzzer target without libFuzzer.
 *
 * Linked with a fuzz target's LLVMFuzzerTestOneInput when the build is not a
 * fuzzing build, so `make check` replays every file of the target's seed
 * corpus (and any crash reproducer added to it) under the ordinary build and
 * the sanitizer build. Usage: fuzz_x FILE|DIR...  Prints TAP: one line per
 * input; an input that crashes kills the program, which the harness reports.
 */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "freightdeck/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct fd_buf b = FD_BUF_INIT;
    char chunk[4096];
    size_t n;

    if (!f) {
        printf("not ok %d - %s: cannot open\n", ++count, path);
        return;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    /* An exact-size heap copy, so ASan sees reads past the end. */
    uint8_t *copy = fd_xmalloc(b.len);
    if (b.len)
        memcpy(copy, b.data, b.len);
    LLVMFuzzerTestOneInput(copy, b.len);
    free(copy);
    fd_buf_free(&b);
    printf("ok %d - %s\n", ++count, path);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        run_file(path);
        return;
    }
    d = opendir(path);
    if (!d) {
        printf("not ok %d - %s: cannot open\n", ++count, path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = fd_xreallocarray(names, n + 1, sizeof(*names));
        names[n++] = fd_xasprintf("%s/%s", path, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        run_path(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++)
        run_path(argv[i]);
    printf("1..%d\n", count);
    return 0;
}
