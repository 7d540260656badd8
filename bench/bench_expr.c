/* bench/bench_expr.c: the cost of Argo-style conditions: ns per run of a
 * compiled program, and ns per compile + run (what Argo does on every
 * measurement). Prints "name value unit" lines. When the upstream peers are
 * built (make peers), the same conditions also run through the real
 * expr-lang v1.17.8 and Argo's EvalCondition in the same run, and the
 * ratios Go/C are printed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/expr.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct bcase {
    const char *name;
    const char *expr;
    const double *result;
    size_t n;
};

#define NCASES 5
static double c_run[NCASES], c_compile_run[NCASES];

static void bench(const struct bcase *c, size_t k)
{
    fd_value *env = fd_value_map_new();
    struct fd_expr_error err;
    fd_value *v;

    fd_value_map_set(env, "result", fd_value_float_array(c->result, c->n));
    fd_expr_program *p = fd_expr_compile(c->expr, strlen(c->expr), FD_EXPR_MODE_ARGO, env, &err);
    if (!p) {
        fprintf(stderr, "%s: %s\n", c->name, err.message);
        exit(1);
    }
    long iters = 2000000;
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++) {
            if (fd_expr_run(p, env, &v, &err) != 0) {
                fprintf(stderr, "%s: %s\n", c->name, err.message);
                exit(1);
            }
            fd_value_unref(v);
        }
        double per = (now_ns() - t0) / (double)iters;
        best = per < best ? per : best;
    }
    printf("expr_run_%s %.1f ns\n", c->name, best);
    c_run[k] = best;
    fd_expr_program_free(p);

    iters = 200000;
    best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++) {
            if (fd_expr_eval(c->expr, strlen(c->expr), FD_EXPR_MODE_ARGO, env, &v, &err) != 0)
                exit(1);
            fd_value_unref(v);
        }
        double per = (now_ns() - t0) / (double)iters;
        best = per < best ? per : best;
    }
    printf("expr_compile_run_%s %.1f ns\n", c->name, best);
    c_compile_run[k] = best;
    fd_value_unref(env);
}

/* The peer program: $FD_PEERS_DIR, else the build tree's tests/peers/bin. */
static char *peer_path(void)
{
    const char *dir = getenv("FD_PEERS_DIR");
    const char *top = getenv("FD_TOP_BUILDDIR");
    char path[4096];

    if (dir && *dir)
        snprintf(path, sizeof(path), "%s/peer-1.17", dir);
    else
        snprintf(path, sizeof(path), "%s/tests/peers/bin/peer-1.17", top && *top ? top : ".");
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    fclose(f);
    return strdup(path);
}

static void go_side(const struct bcase *cases)
{
    char *peer = peer_path();
    if (!peer) {
        fprintf(stderr, "bench_expr: upstream peers not built (make peers): no Go figures\n");
        return;
    }
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "'%s' bench", peer);
    free(peer);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char name[128], unit[16];
    double value;
    while (fscanf(p, "%127s %lf %15s", name, &value, unit) == 3) {
        printf("%s %.1f %s\n", name, value, unit);
        for (size_t i = 0; i < NCASES; i++) {
            char want[160];
            snprintf(want, sizeof(want), "go_expr_run_%s", cases[i].name);
            if (strcmp(name, want) == 0 && c_run[i] > 0)
                printf("ratio_go_over_c_run_%s %.1f x\n", cases[i].name, value / c_run[i]);
            snprintf(want, sizeof(want), "go_expr_compile_run_%s", cases[i].name);
            if (strcmp(name, want) == 0 && c_compile_run[i] > 0)
                printf("ratio_go_over_c_compile_run_%s %.1f x\n", cases[i].name,
                       value / c_compile_run[i]);
        }
    }
    if (pclose(p) != 0)
        fprintf(stderr, "bench_expr: the Go peer failed\n");
}

int main(void)
{
    static const double one[] = {0.97};
    static const double ten[] = {0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 0.999};
    static const struct bcase cases[NCASES] = {
        {"ge_095", "result[0] >= 0.95", one, 1},
        {"lt_005", "result[0] < 0.05", one, 1},
        {"all_10", "all(result, {# > 0.9})", ten, 10},
        {"len_and_or_isnan", "len(result) > 0 && result[0] >= 0.95 || isNaN(result[0])", one, 1},
        /* a zone's rules: read from its TZif file (Go's LoadLocation reads
         * it at each date(); freightdeck once per process) */
        {"zone_add",
         "date(\"2024-03-31 01:30\", \"2006-01-02 15:04\", "
         "\"Europe/Berlin\").Add(duration(\"1h\")).Hour() == 3 && result[0] > 0.9",
         one, 1},
    };
    for (size_t i = 0; i < NCASES; i++)
        bench(&cases[i], i);
    go_side(cases);
    return 0;
}
