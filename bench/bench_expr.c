/* bench/bench_expr.c: the cost of Argo-style conditions: ns per run of a
 * compiled program, and ns per compile + run (what Argo does on every
 * measurement). Prints "name value unit" lines. */
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

static void bench(const struct bcase *c)
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
    fd_value_unref(env);
}

int main(void)
{
    static const double one[] = {0.97};
    static const double ten[] = {0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 0.999};
    static const struct bcase cases[] = {
        {"ge_095", "result[0] >= 0.95", one, 1},
        {"lt_005", "result[0] < 0.05", one, 1},
        {"all_10", "all(result, {# > 0.9})", ten, 10},
        {"len_and_or_isnan", "len(result) > 0 && result[0] >= 0.95 || isNaN(result[0])", one, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        bench(&cases[i]);
    return 0;
}
