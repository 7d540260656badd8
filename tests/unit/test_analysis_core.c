/* tests/unit/test_analysis_core.c: Argo Rollouts analysis rules that need no
 * condition evaluator: counters, limits, metric and run phases, dry-run and
 * retention rules, scheduling, durations, args, Prometheus responses and
 * decoding. Cases follow Argo Rollouts' utils/analysis/helpers.go,
 * analysis/analysis.go and metricproviders/prometheus (doc/upstream.md). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/analysis.h"

#define T0 1704067200000LL /* 2024-01-01T00:00:00Z */

static struct fd_analysis_run *run_json(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    char *err = NULL;

    ck_assert_msg(j != NULL, "bad test JSON: %s", jerr.text);
    struct fd_analysis_run *run = fd_analysis_run_from_json(j, &err);
    ck_assert_msg(run != NULL, "decode failed: %s", err ? err : "?");
    json_decref(j);
    return run;
}

static char *decode_error(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    char *err = NULL;

    ck_assert_ptr_nonnull(j);
    struct fd_analysis_run *run = fd_analysis_run_from_json(j, &err);
    json_decref(j);
    ck_assert_ptr_null(run);
    ck_assert_ptr_nonnull(err);
    return err;
}

/* Appends a completed measurement and counts it, as runMeasurements does. */
static void measure(struct fd_analysis_run *run, const char *metric, enum fd_analysis_phase p,
                    int64_t at, const char *message)
{
    struct fd_analysis_metric_result *r = fd_analysis_run_result_add(run, metric);

    r->measurements =
        fd_xreallocarray(r->measurements, r->n_measurements + 1, sizeof(*r->measurements));
    struct fd_analysis_measurement *m = &r->measurements[r->n_measurements++];
    memset(m, 0, sizeof(*m));
    m->phase = p;
    m->started_at = at;
    m->finished_at = at;
    m->resume_at = FD_ANALYSIS_NO_TIME;
    m->message = message ? fd_xstrdup(message) : NULL;
    fd_analysis_count(r, p);
}

#define S FD_ANALYSIS_PHASE_SUCCESSFUL
#define F FD_ANALYSIS_PHASE_FAILED
#define I FD_ANALYSIS_PHASE_INCONCLUSIVE
#define E FD_ANALYSIS_PHASE_ERROR
#define R FD_ANALYSIS_PHASE_RUNNING
#define P FD_ANALYSIS_PHASE_PENDING

#define ck_phase(got, want)                                                                    \
    ck_assert_msg((got) == (want), "phase: expected %s, got %s", fd_analysis_phase_name(want), \
                  fd_analysis_phase_name(got))

START_TEST(phase_table_and_order)
{
    enum fd_analysis_phase p;

    ck_assert_str_eq(fd_analysis_phase_name(S), "Successful");
    ck_assert_str_eq(fd_analysis_phase_name(FD_ANALYSIS_PHASE_NONE), "");
    ck_assert(fd_analysis_phase_parse("Inconclusive", &p) && p == I);
    ck_assert(fd_analysis_phase_parse("", &p) && p == FD_ANALYSIS_PHASE_NONE);
    ck_assert(!fd_analysis_phase_parse("successful", &p));
    ck_assert(fd_analysis_phase_completed(E) && !fd_analysis_phase_completed(R) &&
              !fd_analysis_phase_completed(P));
    /* Successful < Running < Pending < Inconclusive < Error < Failed */
    ck_assert(fd_analysis_phase_is_worse(S, I));
    ck_assert(fd_analysis_phase_is_worse(I, E));
    ck_assert(fd_analysis_phase_is_worse(E, F));
    ck_assert(!fd_analysis_phase_is_worse(F, E));
    ck_assert(!fd_analysis_phase_is_worse(F, F)); /* ties keep the first */
    ck_assert(fd_analysis_phase_is_worse(R, P));
}
END_TEST

START_TEST(counters_per_measurement)
{
    struct fd_analysis_metric_result r;

    memset(&r, 0, sizeof(r));
    fd_analysis_count(&r, S);
    fd_analysis_count(&r, S);
    ck_assert_int_eq(r.consecutive_success, 2);
    fd_analysis_count(&r, E);
    fd_analysis_count(&r, E);
    /* errors do not use up the count */
    ck_assert_int_eq(r.count, 2);
    ck_assert_int_eq(r.error, 2);
    ck_assert_int_eq(r.consecutive_error, 2);
    ck_assert_int_eq(r.consecutive_success, 0);
    fd_analysis_count(&r, F);
    ck_assert_int_eq(r.consecutive_error, 0);
    fd_analysis_count(&r, I);
    fd_analysis_count(&r, R); /* not completed: nothing */
    ck_assert_int_eq(r.count, 4);
    ck_assert_int_eq(r.successful, 2);
    ck_assert_int_eq(r.failed, 1);
    ck_assert_int_eq(r.inconclusive, 1);
}
END_TEST

static struct fd_analysis_metric metric_of(const char *json)
{
    struct fd_analysis_metric m;
    char *err = NULL;
    json_t *j = json_loads(json, 0, NULL);

    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(fd_analysis_metric_from_json(j, "m", &m, &err), FD_OK);
    json_decref(j);
    return m;
}

static struct fd_analysis_metric_result result_of(const enum fd_analysis_phase *ps, size_t n)
{
    struct fd_analysis_metric_result r;

    memset(&r, 0, sizeof(r));
    r.phase = R;
    r.measurements = fd_xcalloc(n + 1, sizeof(*r.measurements));
    for (size_t i = 0; i < n; i++) {
        r.measurements[i].phase = ps[i];
        r.measurements[i].finished_at = T0;
        fd_analysis_count(&r, ps[i]);
    }
    r.n_measurements = n;
    return r;
}

START_TEST(limits_messages)
{
    struct fd_analysis_metric m = metric_of("{\"name\":\"m\"}");
    enum fd_analysis_phase ps[] = {F};
    struct fd_analysis_metric_result r = result_of(ps, 1);
    char *msg = NULL;

    ck_phase(fd_analysis_metric_limits(&m, &r, &msg), F);
    ck_assert_str_eq(msg, "failed (1) > failureLimit (0)");
    free(msg);
    /* later checks override earlier ones */
    r.inconclusive = 3;
    ck_phase(fd_analysis_metric_limits(&m, &r, &msg), I);
    ck_assert_str_eq(msg, "inconclusive (3) > inconclusiveLimit (0)");
    free(msg);
    r.consecutive_error = 5;
    ck_phase(fd_analysis_metric_limits(&m, &r, &msg), E);
    ck_assert_str_eq(msg, "consecutiveErrors (5) > consecutiveErrorLimit (4)");
    free(msg);
    /* failureLimit -1 disables the failure check */
    fd_analysis_metric_free(&m);
    m = metric_of("{\"name\":\"m\",\"failureLimit\":-1,\"consecutiveSuccessLimit\":2}");
    r.inconclusive = 0;
    r.consecutive_error = 0;
    r.failed = 7;
    ck_phase(fd_analysis_metric_limits(&m, &r, &msg), FD_ANALYSIS_PHASE_NONE);
    ck_assert_ptr_null(msg);
    fd_analysis_metric_free(&m);
    fd_analysis_metric_result_free(&r);
}
END_TEST

START_TEST(metric_status_defaults)
{
    struct fd_analysis_metric once = metric_of("{\"name\":\"m\"}");
    struct fd_analysis_metric forever = metric_of("{\"name\":\"m\",\"interval\":\"1m\"}");
    struct fd_analysis_metric limited =
        metric_of("{\"name\":\"m\",\"interval\":\"1m\",\"count\":3,\"failureLimit\":1}");
    struct fd_analysis_metric_result r;
    int64_t n;

    ck_assert(fd_analysis_effective_count(&once, &n) && n == 1);
    ck_assert(!fd_analysis_effective_count(&forever, &n));
    /* no measurements: Pending, or Successful when terminating */
    r = result_of(NULL, 0);
    ck_phase(fd_analysis_assess_metric(&once, &r, false), P);
    ck_phase(fd_analysis_assess_metric(&once, &r, true), S);
    fd_analysis_metric_result_free(&r);
    /* no count, no interval: one measurement decides */
    r = result_of((enum fd_analysis_phase[]){S}, 1);
    ck_phase(fd_analysis_assess_metric(&once, &r, false), S);
    fd_analysis_metric_result_free(&r);
    /* interval only: runs until terminated */
    r = result_of((enum fd_analysis_phase[]){S, S, S}, 3);
    ck_phase(fd_analysis_assess_metric(&forever, &r, false), R);
    ck_phase(fd_analysis_assess_metric(&forever, &r, true), S);
    fd_analysis_metric_result_free(&r);
    /* failureLimit 1: one failure is tolerated, the second fails */
    r = result_of((enum fd_analysis_phase[]){F, S}, 2);
    ck_phase(fd_analysis_assess_metric(&limited, &r, false), R);
    fd_analysis_metric_result_free(&r);
    r = result_of((enum fd_analysis_phase[]){F, S, F}, 3);
    ck_phase(fd_analysis_assess_metric(&limited, &r, false), F);
    fd_analysis_metric_result_free(&r);
    r = result_of((enum fd_analysis_phase[]){F, S, S}, 3);
    ck_phase(fd_analysis_assess_metric(&limited, &r, false), S);
    fd_analysis_metric_result_free(&r);
    /* the first Inconclusive makes the metric Inconclusive */
    r = result_of((enum fd_analysis_phase[]){S, I}, 2);
    ck_phase(fd_analysis_assess_metric(&forever, &r, false), I);
    /* completed phases are sticky */
    r.phase = F;
    ck_phase(fd_analysis_assess_metric(&forever, &r, false), F);
    fd_analysis_metric_result_free(&r);
    /* an in-flight last measurement keeps it Running */
    r = result_of((enum fd_analysis_phase[]){F, R}, 2);
    ck_phase(fd_analysis_assess_metric(&once, &r, false), R);
    fd_analysis_metric_result_free(&r);
    fd_analysis_metric_free(&once);
    fd_analysis_metric_free(&forever);
    fd_analysis_metric_free(&limited);
}
END_TEST

START_TEST(metric_errors_and_count)
{
    struct fd_analysis_metric m = metric_of("{\"name\":\"m\",\"interval\":\"10s\",\"count\":2}");
    struct fd_analysis_metric_result r;

    /* count is not incremented on Error */
    r = result_of((enum fd_analysis_phase[]){S, E, E}, 3);
    ck_assert_int_eq(r.count, 1);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), R);
    fd_analysis_metric_result_free(&r);
    /* 4 consecutive errors are tolerated, the 5th is Error */
    r = result_of((enum fd_analysis_phase[]){E, E, E, E}, 4);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), R);
    fd_analysis_metric_result_free(&r);
    r = result_of((enum fd_analysis_phase[]){E, E, E, E, E}, 5);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), E);
    fd_analysis_metric_result_free(&r);
    /* a success in between resets the streak */
    r = result_of((enum fd_analysis_phase[]){E, E, E, E, S, E}, 6);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), R);
    fd_analysis_metric_result_free(&r);
    fd_analysis_metric_free(&m);
    m = metric_of("{\"name\":\"m\",\"consecutiveErrorLimit\":0}");
    r = result_of((enum fd_analysis_phase[]){E}, 1);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), E);
    fd_analysis_metric_result_free(&r);
    fd_analysis_metric_free(&m);
}
END_TEST

START_TEST(metric_consecutive_success_limit)
{
    struct fd_analysis_metric m =
        metric_of("{\"name\":\"m\",\"interval\":\"1m\",\"count\":4,\"consecutiveSuccessLimit\":2,"
                  "\"failureLimit\":3}");
    struct fd_analysis_metric dis =
        metric_of("{\"name\":\"m\",\"interval\":\"1m\",\"count\":3,\"consecutiveSuccessLimit\":2,"
                  "\"failureLimit\":-1}");
    struct fd_analysis_metric_result r;

    r = result_of((enum fd_analysis_phase[]){F, S, S}, 3);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), S);
    fd_analysis_metric_result_free(&r);
    /* count reached, neither limit decided: Inconclusive */
    r = result_of((enum fd_analysis_phase[]){S, F, S, F}, 4);
    ck_phase(fd_analysis_assess_metric(&m, &r, false), I);
    fd_analysis_metric_result_free(&r);
    /* failureLimit disabled: count reached without the streak is Failed */
    r = result_of((enum fd_analysis_phase[]){S, F, S}, 3);
    ck_phase(fd_analysis_assess_metric(&dis, &r, false), F);
    fd_analysis_metric_result_free(&r);
    fd_analysis_metric_free(&m);
    fd_analysis_metric_free(&dis);
}
END_TEST

static const char two_metrics[] =
    "{\"metadata\":{\"name\":\"run\",\"namespace\":\"ns\"},\"spec\":{\"metrics\":["
    "{\"name\":\"a\",\"interval\":\"1m\",\"count\":3,\"provider\":{\"prometheus\":{\"query\":\"q\"}"
    "}},"
    "{\"name\":\"b\",\"interval\":\"1m\",\"provider\":{\"web\":{\"url\":\"u\"}}}]}}";

START_TEST(run_fails_after_sibling_settles)
{
    struct fd_analysis_run *run = run_json(two_metrics);

    ck_phase(fd_analysis_assess_run(run, T0), R);
    ck_assert_int_eq(run->started_at, T0);
    measure(run, "a", S, T0, NULL);
    measure(run, "b", S, T0, NULL);
    ck_phase(fd_analysis_assess_run(run, T0 + 1000), R);
    measure(run, "a", F, T0 + 60000, "");
    /* terminating is computed before a flips: this reconcile stays Running */
    ck_phase(fd_analysis_assess_run(run, T0 + 61000), R);
    ck_phase(fd_analysis_run_result(run, "a")->phase, F);
    ck_phase(fd_analysis_run_result(run, "b")->phase, R);
    ck_assert(fd_analysis_is_terminating(run));
    /* next reconcile: b is assessed Successful, the run Failed */
    ck_phase(fd_analysis_assess_run(run, T0 + 62000), F);
    ck_phase(fd_analysis_run_result(run, "b")->phase, S);
    ck_assert_str_eq(run->message,
                     "Metric \"a\" assessed Failed due to failed (1) > failureLimit (0)");
    ck_assert_int_eq(run->completed_at, T0 + 62000);
    ck_assert_int_eq(run->run_summary.count, 2);
    ck_assert_int_eq(run->run_summary.failed, 1);
    ck_assert_int_eq(run->run_summary.successful, 1);
    ck_assert_int_eq(run->dry_run_summary.count, 0);
    /* a completed run is left alone */
    ck_phase(fd_analysis_assess_run(run, T0 + 99000), F);
    ck_assert_int_eq(run->completed_at, T0 + 62000);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_ties_keep_first_metric)
{
    struct fd_analysis_run *run =
        run_json("{\"spec\":{\"metrics\":[{\"name\":\"x\",\"provider\":{\"job\":{}}},{\"name\":"
                 "\"y\",\"provider\":{\"job\":{}}}]}}");

    measure(run, "x", F, T0, NULL);
    measure(run, "y", F, T0, NULL);
    ck_phase(fd_analysis_assess_run(run, T0), F);
    ck_assert_str_eq(run->message,
                     "Metric \"x\" assessed Failed due to failed (1) > failureLimit (0)");
    fd_analysis_run_free(run);

    /* Failed beats Error beats Inconclusive whatever the order */
    run =
        run_json("{\"spec\":{\"metrics\":[{\"name\":\"x\",\"provider\":{\"job\":{}}},{\"name\":"
                 "\"y\",\"provider\":{\"job\":{}}},{\"name\":\"z\",\"provider\":{\"job\":{}}}]}}");
    measure(run, "x", I, T0, NULL);
    measure(run, "y", F, T0, NULL);
    measure(run, "z", S, T0, NULL);
    ck_phase(fd_analysis_assess_run(run, T0), F);
    ck_assert_str_eq(run->message,
                     "Metric \"y\" assessed Failed due to failed (1) > failureLimit (0)");
    ck_assert_int_eq(run->run_summary.inconclusive, 1);
    ck_assert_int_eq(run->run_summary.failed, 1);
    ck_assert_int_eq(run->run_summary.successful, 1);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_error_message_carries_measurement_message)
{
    struct fd_analysis_run *run = run_json("{\"spec\":{\"metrics\":[{\"name\":\"m\",\"provider\":{"
                                           "\"job\":{}},\"interval\":\"10s\"}]}}");

    for (int i = 0; i < 5; i++) {
        measure(run, "m", E, T0 + i * 10000, "server_error: server error: 500");
        fd_analysis_assess_run(run, T0 + i * 10000);
    }
    ck_phase(run->phase, E);
    ck_assert_str_eq(
        run->message,
        "Metric \"m\" assessed Error due to consecutiveErrors (5) > "
        "consecutiveErrorLimit (4): \"Error Message: server_error: server error: 500\"");
    ck_assert_str_eq(run->results[0].message, "server_error: server error: 500");
    ck_assert_int_eq(run->results[0].count, 0);
    ck_assert_int_eq(run->run_summary.error, 1);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_dry_run_never_worse)
{
    struct fd_analysis_run *run =
        run_json("{\"spec\":{\"dryRun\":[{\"metricName\":\"^dry\"}],\"metrics\":["
                 "{\"name\":\"dry-errors\",\"provider\":{\"job\":{}}},"
                 "{\"name\":\"real\",\"provider\":{\"job\":{}}}]}}");

    measure(run, "dry-errors", F, T0, NULL);
    ck_phase(fd_analysis_assess_run(run, T0), R);
    /* a failed dry-run metric does not make the run terminating */
    ck_assert(!fd_analysis_is_terminating(run));
    ck_assert(run->results[0].dry_run);
    ck_assert_str_eq(run->results[0].message,
                     "Metric assessed Failed due to failed (1) > failureLimit (0)");
    measure(run, "real", S, T0 + 1000, NULL);
    ck_phase(fd_analysis_assess_run(run, T0 + 1000), S);
    ck_assert_ptr_null(run->message);
    ck_assert_int_eq(run->dry_run_summary.count, 1);
    ck_assert_int_eq(run->dry_run_summary.failed, 1);
    ck_assert_int_eq(run->run_summary.count, 1);
    ck_assert_int_eq(run->run_summary.successful, 1);
    fd_analysis_run_free(run);

    /* only dry-run metrics: the run is Successful */
    run = run_json("{\"spec\":{\"dryRun\":[{\"metricName\":\".*\"}],\"metrics\":[{\"name\":\"m\","
                   "\"provider\":{\"job\":{}}}]}}");
    measure(run, "m", F, T0, NULL);
    ck_phase(fd_analysis_assess_run(run, T0), S);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_rules_that_match_nothing)
{
    struct fd_analysis_run *run =
        run_json("{\"spec\":{\"dryRun\":[{\"metricName\":\"m\"},{\"metricName\":\"*\"}],"
                 "\"metrics\":[{\"name\":\"m\",\"provider\":{\"job\":{}}}]}}");
    bool dry[1];
    char *err = NULL;

    /* a bare * is an invalid regexp and matches nothing */
    ck_assert_int_eq(fd_analysis_dry_run_metrics(run, dry, &err), FD_INVALID);
    ck_assert_str_eq(err, "dryRun[1]: Rule didn't match any metric name(s)");
    free(err);
    ck_phase(fd_analysis_assess_run(run, T0), E);
    ck_assert_str_eq(run->message,
                     "Analysis spec invalid: dryRun[1]: Rule didn't match any metric name(s)");
    fd_analysis_run_free(run);

    run = run_json("{\"spec\":{\"measurementRetention\":[{\"metricName\":\"nope\",\"limit\":2}],"
                   "\"metrics\":[{\"name\":\"m\",\"provider\":{\"job\":{}}}]}}");
    ck_phase(fd_analysis_assess_run(run, T0), E);
    ck_assert_str_eq(run->message,
                     "Analysis spec invalid: measurementRetention[0]: Rule didn't match "
                     "any metric name(s)");
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_retention_trims_history_not_counters)
{
    struct fd_analysis_run *run =
        run_json("{\"spec\":{\"measurementRetention\":[{\"metricName\":\"lat\",\"limit\":2}],"
                 "\"metrics\":[{\"name\":\"latency\",\"interval\":\"1m\"},{\"name\":\"rate\","
                 "\"interval\":\"1m\"}]}}");
    char *err = NULL;

    for (int i = 0; i < 12; i++) {
        measure(run, "latency", S, T0 + i * 60000, NULL);
        measure(run, "rate", S, T0 + i * 60000, NULL);
    }
    ck_assert_int_eq(fd_analysis_trim_measurements(run, &err), FD_OK);
    ck_assert_uint_eq(fd_analysis_run_result(run, "latency")->n_measurements, 2);
    ck_assert_int_eq(fd_analysis_run_result(run, "latency")->measurements[1].started_at,
                     T0 + 11 * 60000);
    ck_assert_int_eq(fd_analysis_run_result(run, "latency")->count, 12);
    ck_assert_uint_eq(fd_analysis_run_result(run, "rate")->n_measurements, 10);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_terminated)
{
    struct fd_analysis_run *run = run_json(two_metrics);

    measure(run, "a", S, T0, NULL);
    measure(run, "b", S, T0, NULL);
    ck_phase(fd_analysis_assess_run(run, T0), R);
    run->terminate = true;
    ck_phase(fd_analysis_assess_run(run, T0 + 5000), S);
    ck_assert_str_eq(run->message, "Run Terminated");
    ck_phase(run->results[0].phase, S);
    ck_phase(run->results[1].phase, S);
    fd_analysis_run_free(run);

    /* terminated before anything was measured */
    run = run_json(two_metrics);
    run->terminate = true;
    ck_phase(fd_analysis_assess_run(run, T0), S);
    ck_assert_str_eq(run->message, "Run Terminated");
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(run_failed_on_success_streak_counts_successful)
{
    struct fd_analysis_run *run = run_json("{\"spec\":{\"metrics\":[{\"name\":\"m\",\"provider\":{"
                                           "\"job\":{}},\"interval\":\"1m\",\"count\":3,"
                                           "\"consecutiveSuccessLimit\":2,\"failureLimit\":-1}]}}");

    measure(run, "m", S, T0, NULL);
    measure(run, "m", F, T0 + 60000, NULL);
    measure(run, "m", S, T0 + 120000, NULL);
    ck_phase(fd_analysis_assess_run(run, T0 + 120000), F);
    ck_assert_ptr_null(run->message); /* no limit breached: no message */
    ck_assert_int_eq(run->run_summary.successful, 1);
    ck_assert_int_eq(run->run_summary.failed, 0);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(schedule_first_and_interval)
{
    struct fd_analysis_run *run = run_json("{\"spec\":{\"metrics\":[{\"name\":\"m\",\"provider\":{"
                                           "\"job\":{}},\"interval\":\"1m\",\"count\":2,"
                                           "\"initialDelay\":\"30s\"}]}}");
    int64_t next;
    const char *why;

    /* initialDelay waits for startedAt */
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_str_eq(why, "run not started");
    run->started_at = T0;
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 29000, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_int_eq(next, T0 + 30000);
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 30000, &next, &why),
                     FD_ANALYSIS_TASK_MEASURE);
    measure(run, "m", S, T0 + 30000, NULL);
    /* strictly after finishedAt + interval */
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 90000, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_str_eq(why, "interval not elapsed");
    ck_assert_int_eq(next, T0 + 90000);
    ck_assert_int_eq(fd_analysis_next_reconcile(run, T0 + 40000), T0 + 90000);
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 90001, &next, &why),
                     FD_ANALYSIS_TASK_MEASURE);
    /* errors are retried after 10s, whatever the interval */
    measure(run, "m", E, T0 + 90001, "boom");
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 95000, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_int_eq(next, T0 + 100001);
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 100002, &next, &why),
                     FD_ANALYSIS_TASK_MEASURE);
    measure(run, "m", S, T0 + 100002, NULL);
    /* count reached: nothing more */
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 999999, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_str_eq(why, "count reached");
    ck_assert_int_eq(next, FD_ANALYSIS_NO_TIME);
    ck_assert_int_eq(fd_analysis_next_reconcile(run, T0 + 999999), FD_ANALYSIS_NO_TIME);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(schedule_terminating_and_in_flight)
{
    struct fd_analysis_run *run = run_json(two_metrics);
    const char *why;
    int64_t next;

    run->started_at = T0;
    measure(run, "a", F, T0, NULL);
    fd_analysis_assess_run(run, T0);
    ck_assert_int_eq(fd_analysis_task_for(run, 1, T0 + 1, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_str_eq(why, "run terminating");
    ck_assert_int_eq(fd_analysis_task_for(run, 0, T0 + 1, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_str_eq(why, "metric completed");
    fd_analysis_run_free(run);

    run = run_json(two_metrics);
    run->started_at = T0;
    measure(run, "b", R, T0, NULL);
    struct fd_analysis_metric_result *r = fd_analysis_run_result(run, "b");
    r->measurements[0].finished_at = FD_ANALYSIS_NO_TIME;
    r->measurements[0].resume_at = T0 + 5000;
    ck_assert_int_eq(fd_analysis_task_for(run, 1, T0 + 1000, &next, &why), FD_ANALYSIS_TASK_NONE);
    ck_assert_int_eq(next, T0 + 5000);
    ck_assert_int_eq(fd_analysis_task_for(run, 1, T0 + 5000, &next, &why), FD_ANALYSIS_TASK_RESUME);
    /* terminating: the in-flight one is terminated at once */
    run->terminate = true;
    ck_assert_int_eq(fd_analysis_task_for(run, 1, T0 + 1000, &next, &why), FD_ANALYSIS_TASK_RESUME);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(durations_and_times)
{
    int64_t ms;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_parse_duration("1m30s", &ms, &err), FD_OK);
    ck_assert_int_eq(ms, 90000);
    ck_assert_int_eq(fd_analysis_parse_duration("1.5h", &ms, &err), FD_OK);
    ck_assert_int_eq(ms, 5400000);
    ck_assert_int_eq(fd_analysis_parse_duration("250ms", &ms, &err), FD_OK);
    ck_assert_int_eq(ms, 250);
    ck_assert_int_eq(fd_analysis_parse_duration("0", &ms, &err), FD_OK);
    ck_assert_int_eq(ms, 0);
    ck_assert_int_eq(fd_analysis_parse_duration("??", &ms, &err), FD_PARSE);
    ck_assert_str_eq(err, "time: invalid duration \"??\"");
    free(err);
    ck_assert_int_eq(fd_analysis_parse_duration("10", &ms, &err), FD_PARSE);
    ck_assert_str_eq(err, "time: missing unit in duration \"10\"");
    free(err);
    ck_assert_int_eq(fd_analysis_parse_duration("3d", &ms, &err), FD_PARSE);
    ck_assert_str_eq(err, "time: unknown unit \"d\" in duration \"3d\"");
    free(err);
    ck_assert_int_eq(fd_analysis_parse_duration("", &ms, &err), FD_PARSE);
    free(err);

    ck_assert(fd_time_parse_rfc3339("2024-01-01T00:00:00Z", &ms));
    ck_assert_int_eq(ms, T0);
    ck_assert(fd_time_parse_rfc3339("2024-01-01T01:00:00.5+01:00", &ms));
    ck_assert_int_eq(ms, T0 + 500);
    ck_assert(!fd_time_parse_rfc3339("2024-01-01 00:00:00", &ms));
    char *s = fd_time_format_rfc3339(T0 + 61999, false);
    ck_assert_str_eq(s, "2024-01-01T00:01:01Z");
    free(s);
}
END_TEST

static struct fd_analysis_arg arg(const char *name, const char *value)
{
    struct fd_analysis_arg a = {(char *)(uintptr_t)name, (char *)(uintptr_t)value, false, false};
    return a;
}

START_TEST(args_substitution)
{
    struct fd_analysis_arg args[] = {arg("svc", "web \"blue\"\n"), arg("ns", "prod")};
    char *err = NULL;
    char *s;

    s = fd_analysis_resolve_args("up{svc=\"{{args.svc}}\",ns=\"{{ args.ns }}\"}", args, 2, true,
                                 &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "up{svc=\"web \\\"blue\\\"\\n\",ns=\"prod\"}");
    free(s);
    s = fd_analysis_resolve_args("{{args.ns}}", args, 2, false, &err);
    ck_assert_str_eq(s, "prod");
    free(s);
    /* the last unresolved tag is named as written */
    s = fd_analysis_resolve_args("{{args.x}} {{ args.y }}", args, 2, true, &err);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, "failed to resolve {{ args.y }}");
    free(err);
    /* any literal {{ is a tag */
    s = fd_analysis_resolve_args("a {{b}} c", args, 2, true, &err);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, "failed to resolve {{b}}");
    free(err);
    struct fd_analysis_arg missing[] = {arg("svc", "x"), arg("canary-hash", NULL)};
    s = fd_analysis_resolve_args("{{args.svc}}", missing, 2, true, &err);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, "argument \"canary-hash\" was not supplied");
    free(err);
}
END_TEST

START_TEST(args_merge)
{
    struct fd_analysis_arg tmpl[] = {arg("svc", NULL), arg("ns", "default")};
    struct fd_analysis_arg in[] = {arg("svc", "web"), arg("extra", "dropped")};
    struct fd_analysis_arg in_none[] = {arg("ns", "prod")};
    size_t n;
    char *err = NULL;

    struct fd_analysis_arg *out = fd_analysis_merge_args(in, 2, tmpl, 2, &n, &err);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(out[0].value, "web");
    ck_assert_str_eq(out[1].value, "default");
    for (size_t i = 0; i < n; i++)
        fd_analysis_arg_free(&out[i]);
    free(out);
    out = fd_analysis_merge_args(in_none, 1, tmpl, 2, &n, &err);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err, "args.svc was not resolved");
    free(err);
}
END_TEST

/* Argo's ResolveMetricArgs (utils/analysis/factory.go): each metric is
 * serialised, its tags replaced by strconv.Quote'd values, and parsed again.
 * Every expectation is Argo Rollouts v1.9.3's own answer. */
START_TEST(args_in_metric_fields)
{
    static const struct {
        const char *value, *condition, *query, *error;
    } cases[] = {
        {"0.95", "result[0] >= 0.95", "up{job=\"0.95\"}", NULL},
        {"a\"b", "result[0] >= a\"b", "up{job=\"a\"b\"}", NULL},
        {"tab\there", "result[0] >= tab\there", "up{job=\"tab\there\"}", NULL},
        {"nbsp\xc2\xa0", "result[0] >= nbsp\xc2\xa0", "up{job=\"nbsp\xc2\xa0\"}", NULL},
        {"back\\slash", "result[0] >= back\\slash", "up{job=\"back\\slash\"}", NULL},
        {"bell\a", NULL, NULL, "invalid character 'a' in string escape code"},
        {"vt\v", NULL, NULL, "invalid character 'v' in string escape code"},
        {"ctl\x01", NULL, NULL, "invalid character 'x' in string escape code"},
        {"del\x7f", NULL, NULL, "invalid character 'x' in string escape code"},
        {"bad\xff", NULL, NULL, "invalid character 'x' in string escape code"},
        {"astral\xf3\xa0\x80\x81", NULL, NULL, "invalid character 'U' in string escape code"},
    };
    json_error_t jerr;
    json_t *metrics =
        json_loads("[{\"name\":\"m\",\"successCondition\":\"result[0] >= {{args.min}}\","
                   "\"provider\":{\"prometheus\":{\"query\":\"up{job=\\\"{{ args.min }}\\\"}\"}}}]",
                   0, &jerr);
    ck_assert_ptr_nonnull(metrics);
    for (size_t i = 0; i < FD_ARRAY_SIZE(cases); i++) {
        struct fd_analysis_arg args[] = {arg("min", cases[i].value)};
        char *err = NULL;
        json_t *r = fd_analysis_resolve_metrics(metrics, args, 1, &err);
        if (cases[i].error) {
            ck_assert_msg(!r, "%zu: resolved", i);
            ck_assert_str_eq(err, cases[i].error);
            free(err);
        } else {
            ck_assert_msg(r, "%zu: %s", i, err);
            json_t *m = json_array_get(r, 0);
            ck_assert_str_eq(json_string_value(json_object_get(m, "successCondition")),
                             cases[i].condition);
            ck_assert_str_eq(
                json_string_value(json_object_get(
                    json_object_get(json_object_get(m, "provider"), "prometheus"), "query")),
                cases[i].query);
            json_decref(r);
        }
    }
    json_decref(metrics);

    /* tags are found in json.Marshal's text and trimmed by strings.TrimSpace
     * (Unicode's spaces): Argo Rollouts v1.9.3's answers */
    static const struct {
        const char *tag, *error; /* NULL: resolves to V */
    } tags[] = {
        {"{{ args.x }}", NULL},
        {"{{\xc2\xa0"
         "args.x\xc2\xa0}}",
         NULL}, /* U+00A0 */
        {"{{\xc2\x85"
         "args.x}}",
         NULL}, /* U+0085 */
        {"{{\xe2\x80\x83"
         "args.x\xe3\x80\x80}}",
         NULL}, /* U+2003, U+3000 */
        {"{{ args.x\xc2\xa0\xc2\x85 }}", NULL},
        {"{{\xe2\x80\x8b"
         "args.x}}",
         "failed to resolve {{\xe2\x80\x8b"
         "args.x}}"}, /* U+200B */
        {"{{\targs.x\n}}", "failed to resolve {{\\targs.x\\n}}"},
        {"{{\vargs.x\f}}", "failed to resolve {{\\u000bargs.x\\f}}"},
        {"{{args.x<}}", "failed to resolve {{args.x\\u003c}}"},
        {"{{&args.x}}", "failed to resolve {{\\u0026args.x}}"},
        {"{{\xe2\x80\xa8"
         "args.x}}",
         "failed to resolve {{\\u2028args.x}}"},
        {"{{args.x\xff}}", "failed to resolve {{args.x\\ufffd}}"},
    };
    for (size_t i = 0; i < FD_ARRAY_SIZE(tags); i++) {
        struct fd_analysis_arg args[] = {arg("x", "V")};
        json_t *m = json_pack("[{s:s, s:s}]", "name", "m", "successCondition", tags[i].tag);
        if (!m) /* (jansson refuses the invalid UTF-8 of the last: keep its bytes) */
            m = json_pack("[{s:s, s:o}]", "name", "m", "successCondition",
                          json_stringn_nocheck(tags[i].tag, strlen(tags[i].tag)));
        char *err = NULL;
        json_t *r = fd_analysis_resolve_metrics(m, args, 1, &err);
        if (tags[i].error) {
            ck_assert_msg(!r, "%zu: resolved", i);
            ck_assert_str_eq(err, tags[i].error);
            free(err);
        } else {
            ck_assert_msg(r, "%zu: %s", i, err);
            ck_assert_str_eq(
                json_string_value(json_object_get(json_array_get(r, 0), "successCondition")), "V");
            json_decref(r);
        }
        json_decref(m);
    }

    /* metric by metric: the first that fails names the error, its last
     * unresolved tag (the whole array at once named the second metric's) */
    metrics = json_loads("[{\"name\":\"a\",\"successCondition\":\"{{args.x}} {{args.y}}\"},"
                         "{\"name\":\"b\",\"successCondition\":\"{{args.z}}\"}]",
                         0, &jerr);
    char *err = NULL;
    ck_assert_ptr_null(fd_analysis_resolve_metrics(metrics, NULL, 0, &err));
    ck_assert_str_eq(err, "failed to resolve {{args.y}}");
    free(err);
    json_decref(metrics);
}
END_TEST

static char *fmt(double v)
{
    static char buf[64];
    char *s = fd_analysis_format_float(v);
    snprintf(buf, sizeof(buf), "%s", s);
    free(s);
    return buf;
}

START_TEST(format_float_like_go)
{
    ck_assert_str_eq(fmt(0.97), "0.97");
    ck_assert_str_eq(fmt(10), "10");
    ck_assert_str_eq(fmt(1e-7), "0.0000001");
    ck_assert_str_eq(fmt(1e21), "1000000000000000000000");
    ck_assert_str_eq(fmt(123456.789), "123456.789");
    ck_assert_str_eq(fmt(-2.5), "-2.5");
    ck_assert_str_eq(fmt(0), "0");
    ck_assert_str_eq(fmt(0.1 + 0.2), "0.30000000000000004");
    ck_assert_str_eq(fmt(NAN), "NaN");
    ck_assert_str_eq(fmt(INFINITY), "+Inf");
    ck_assert_str_eq(fmt(-INFINITY), "-Inf");
}
END_TEST

static enum fd_status prom(const char *body, int code, struct fd_prom_result *r, char **err)
{
    return fd_prom_parse(body, strlen(body), code, r, err);
}

START_TEST(prom_result_types)
{
    struct fd_prom_result r;
    char *err = NULL;

    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                          "{\"metric\":{\"a\":\"1\"},\"value\":[1700000000.1,\"0.970000\"]}]}}",
                          200, &r, &err),
                     FD_OK);
    ck_assert_int_eq(r.type, FD_PROM_VECTOR);
    ck_assert_str_eq(r.value, "[0.97]");
    ck_assert_uint_eq(r.n_values, 1);
    ck_assert(r.values[0] == 0.97);
    ck_assert_ptr_null(r.warnings);
    fd_prom_result_free(&r);

    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
             "{\"metric\":{},\"value\":[1,\"10\"]},{\"metric\":{},\"value\":[1,\"11\"]}]},"
             "\"warnings\":[\"w1\",\"w2\"]}",
             200, &r, &err),
        FD_OK);
    ck_assert_str_eq(r.value, "[10,11]");
    ck_assert_str_eq(r.warnings, "\"w1\", \"w2\"");
    fd_prom_result_free(&r);

    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", 200, &r,
             &err),
        FD_OK);
    ck_assert_str_eq(r.value, "[]");
    ck_assert_uint_eq(r.n_values, 0);
    fd_prom_result_free(&r);

    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                          "[1700000000,\"NaN\"]}}",
                          200, &r, &err),
                     FD_OK);
    ck_assert_int_eq(r.type, FD_PROM_SCALAR);
    ck_assert_str_eq(r.value, "NaN");
    fd_prom_result_free(&r);

    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                          "[1700000000,\"1e-7\"]}}",
                          200, &r, &err),
                     FD_OK);
    ck_assert_str_eq(r.value, "0.0000001");
    fd_prom_result_free(&r);

    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                          "[1700000000,\"+Inf\"]}}",
                          200, &r, &err),
                     FD_OK);
    ck_assert_str_eq(r.value, "+Inf");
    fd_prom_result_free(&r);

    /* matrix: every sample of every series, flattened in order */
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                          "{\"metric\":{},\"values\":[[1,\"11\"],[2,\"12\"]]},"
                          "{\"metric\":{},\"values\":[[1,\"13\"],[2,\"14\"]]}]}}",
                          200, &r, &err),
                     FD_OK);
    ck_assert_int_eq(r.type, FD_PROM_VECTOR);
    ck_assert_str_eq(r.value, "[11,12,13,14]");
    fd_prom_result_free(&r);
}
END_TEST

START_TEST(prom_errors)
{
    struct fd_prom_result r;
    char *err = NULL;

    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":"
                          "[1,\"x\"]}}",
                          200, &r, &err),
                     FD_PARSE);
    /* client_golang decodes with json-iterator: its errors carry excerpts (argo-peer) */
    ck_assert_str_eq(err, "unmarshalerDecoder: unexpected value type \"string\", error found in "
                          "#10 byte of ...|\":[1,\"x\"]}|..., bigger context "
                          "...|{\"resultType\":\"string\",\"result\":[1,\"x\"]}|...");
    free(err);
    ck_assert_int_eq(prom("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                          "\"1:5: parse error: unexpected end of input\"}",
                          400, &r, &err),
                     FD_PARSE);
    ck_assert_str_eq(err, "bad_data: 1:5: parse error: unexpected end of input");
    free(err);
    ck_assert_int_eq(prom("<html>oops</html>", 500, &r, &err), FD_PARSE);
    ck_assert_str_eq(err, "server_error: server error: 500");
    free(err);
    ck_assert_int_eq(prom("", 401, &r, &err), FD_PARSE);
    ck_assert_str_eq(err, "client_error: client error: 401");
    free(err);
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                          "{\"value\":[1,0.5]}]}}",
                          200, &r, &err),
                     FD_PARSE);
    ck_assert_str_eq(
        err, "unmarshalerDecoder: model.Vector: unmarshalerDecoder: sample value must be a quoted "
             "string, error found in #10 byte of ...|\":[1,0.5]}]|..., bigger context "
             "...|[{\"value\":[1,0.5]}]|..., error found in #10 byte of ...|[1,0.5]}]}|..., bigger "
             "context ...|resultType\":\"vector\",\"result\":[{\"value\":[1,0.5]}]}|...");
    free(err);
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                          "{\"value\":[1,\"abc\"]}]}}",
                          200, &r, &err),
                     FD_PARSE);
    ck_assert_str_eq(
        err,
        "unmarshalerDecoder: model.Vector: unmarshalerDecoder: strconv.ParseFloat: parsing "
        "\"abc\": invalid syntax, error found in #10 byte of ...|[1,\"abc\"]}]|..., bigger context "
        "...|[{\"value\":[1,\"abc\"]}]|..., error found in #10 byte of ...|,\"abc\"]}]}|..., "
        "bigger context ...|sultType\":\"vector\",\"result\":[{\"value\":[1,\"abc\"]}]}|...");
    free(err);
    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,2]}}", 200,
             &r, &err),
        FD_PARSE);
    ck_assert_str_eq(err,
                     "unmarshalerDecoder: unmarshalerDecoder: json: cannot unmarshal number into "
                     "Go value of type string, error found in #5 byte of ...|[1,2]|..., bigger "
                     "context ...|[1,2]|..., error found in #10 byte of ...|lt\":[1,2]}|..., "
                     "bigger context ...|{\"resultType\":\"scalar\",\"result\":[1,2]}|...");
    free(err);
    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":\"x\"}}", 200,
             &r, &err),
        FD_PARSE);
    ck_assert_str_eq(err, "unmarshalerDecoder: model.Matrix: decode slice: expect [ or n, but "
                          "found \", error found in #1 byte of ...|\"x\"|..., bigger context "
                          "...|\"x\"|..., error found in #10 byte of ...|sult\":\"x\"}|..., bigger "
                          "context ...|{\"resultType\":\"matrix\",\"result\":\"x\"}|...");
    free(err);
    /* a null result is refused (json-iterator keeps no bytes for it); its
     * message's NUL byte is shown as U+2400 */
    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":null}}", 200,
             &r, &err),
        FD_PARSE);
    ck_assert_str_eq(
        err,
        "unmarshalerDecoder: model.Vector: decode slice: expect [ or n, but found \xe2\x90\x80, "
        "error found in #0 byte of ...||..., bigger context ...||..., error found "
        "in #10 byte of ...|ult\":null}|..., bigger context "
        "...|{\"resultType\":\"vector\",\"result\":null}|...");
    free(err);
    /* a matrix point without its value: client_golang's SamplePair decoder
     * refuses it (a vector's encoding/json decoder reads 0 instead) */
    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
             "[{\"metric\":{\"pod\":\"a\"},\"values\":[[1700000000.956,\"0\"],[1700000000]]}]}}",
             200, &r, &err),
        FD_PARSE);
    ck_assert_str_eq(
        err, "unmarshalerDecoder: model.Matrix: unmarshal model.SamplePair: SamplePair "
             "missing value, error found in #10 byte of ...|700000000]]}]|..., bigger "
             "context ...|\":\"a\"},\"values\":[[1700000000.956,\"0\"],[1700000000]]}]|..., "
             "error found in #10 byte of ...|00000]]}]}|..., bigger context "
             "...|\"},\"values\":[[1700000000.956,\"0\"],[1700000000]]}]}|...");
    free(err);
    /* json-iterator's ReadObject wants an object first (a proxy's page) */
    ck_assert_int_eq(prom("<html>not found</html>", 200, &r, &err), FD_PARSE);
    ck_assert_str_eq(err, "bad_response: readObjectStart: expect { or n, but found <, error found "
                          "in #1 byte of ...|<html>not f|..., bigger context ...|<html>not "
                          "found</html>|...");
    free(err);
    /* json-iterator reads the apiResponse first (prom/jsoniter.c): what it
     * refuses, and where; client_golang v1.23.2's own answers to the same
     * bodies (its Query against a server sending each), the NUL it names at
     * the end of the input left out */
    static const struct {
        const char *body, *want;
    } jsoniter[] = {
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
         "\"value\":[1,Inf]}]}}",
         "bad_response: v1.apiResponse.Data: Skip: do not know how to skip: 73, error found in #10 "
         "byte of ...|alue\":[1,Inf]}]}}|..., bigger context "
         "...|Type\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,Inf]}]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
         "\"value\":[1,-Inf]}]}}",
         "bad_response: v1.apiResponse.Data: readNumberAsString: invalid number, error found in "
         "#10 byte of ...|alue\":[1,-Inf]}]}}|..., bigger context "
         "...|Type\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,-Inf]}]}}|..."},
        {"{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: bad \"thing\"\"}",
         "bad_response: struct Decode: expect }, but found t, error found in #10 byte of ...|:1: "
         "bad \"thing\"\"}|..., bigger context "
         "...|error\",\"errorType\":\"bad_data\",\"error\":\"1:1: bad \"thing\"\"}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}} x",
         "bad_response: Unmarshal: there are bytes left after unmarshal, error found in #10 byte "
         "of ...|1,\"1\"]}} x|..., bigger context "
         "...|\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}} x|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.2.3,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: validateNumber: more than one dot found in number, "
         "error found in #10 byte of ...|result\":[1.2.3,\"1\"]}|..., bigger context "
         "...|success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.2.3,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[01,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: readFloat32: leading zero is invalid, error found in "
         "#10 byte of ...|\"result\":[01,\"1\"]}}|..., bigger context "
         "...|\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[01,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1e,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: readNumberAsString: invalid number, error found in "
         "#10 byte of ...|esult\":[1e,\"1\"]}}|..., bigger context "
         "...|uccess\",\"data\":{\"resultType\":\"scalar\",\"result\":[1e,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[-,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: readNumberAsString: invalid number, error found in "
         "#10 byte of ...|result\":[-,\"1\"]}}|..., bigger context "
         "...|success\",\"data\":{\"resultType\":\"scalar\",\"result\":[-,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0x1,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: ReadArrayCB: expect ] in the end, but found x, error "
         "found in #10 byte of ...|esult\":[0x1,\"1\"]}}|..., bigger context "
         "...|uccess\",\"data\":{\"resultType\":\"scalar\",\"result\":[0x1,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},"
         "\"warnings\":\"w\"}",
         "bad_response: v1.apiResponse.Warnings: []string: decode slice: expect [ or n, but found "
         "\", error found in #10 byte of ...|arnings\":\"w\"}|..., bigger context "
         "...|esultType\":\"scalar\",\"result\":[1,\"1\"]},\"warnings\":\"w\"}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},"
         "\"warnings\":[\"a\",1]}",
         "bad_response: v1.apiResponse.Warnings: []string: ReadString: expects \" or n, but found "
         "1, error found in #10 byte of ...|gs\":[\"a\",1]}|..., bigger context "
         "...|Type\":\"scalar\",\"result\":[1,\"1\"]},\"warnings\":[\"a\",1]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},"
         "\"Warnings\":[\"a\"}",
         "bad_response: v1.apiResponse.Warnings: []string: decode slice: expect ], but found }, "
         "error found in #10 byte of ...|ngs\":[\"a\"}|..., bigger context "
         "...|tType\":\"scalar\",\"result\":[1,\"1\"]},\"Warnings\":[\"a\"}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},"
         "\"STATUS\":tru}",
         "bad_response: v1.apiResponse.Status: ReadString: expects \" or n, but found t, error "
         "found in #10 byte of ...|\"STATUS\":tru}|..., bigger context "
         "...|\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"STATUS\":tru}|..."},
        {"{\"status\":\"succ\001ess\"}",
         "bad_response: v1.apiResponse.Status: ReadString: invalid control character found: 1, "
         "error found in #10 byte of ...|\"status\":\"succ\001ess\"}|..., bigger context "
         "...|{\"status\":\"succ\001ess\"}|..."},
        {"{\"status\":\"a\\qb\",\"data\":{}}",
         "bad_response: v1.apiResponse.Status: readEscapedChar: invalid escape char after \\, "
         "error found in #10 byte of ...|atus\":\"a\\qb\",\"data\":|..., bigger context "
         "...|{\"status\":\"a\\qb\",\"data\":{}}|..."},
        {"{\"status\":\"\\u12\",\"data\":{}}",
         "bad_response: v1.apiResponse.Data: Status: readU4: expects 0~9 or a~f, but found \", "
         "error found in #10 byte of ...|us\":\"\\u12\",\"data\":{}|..., bigger context "
         "...|{\"status\":\"\\u12\",\"data\":{}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]} "
         "\"x\":1}",
         "bad_response: struct Decode: expect }, but found \", error found in #10 byte of "
         "...|[1,\"1\"]} \"x\":1}|..., bigger context "
         "...|,\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]} \"x\":1}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"],}}",
         "bad_response: v1.apiResponse.Data: ReadString: expects \" or n, but found }, error found "
         "in #10 byte of ...|:[1,\"1\"],}}|..., bigger context "
         "...|\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"],}}|..."},
        {"{\"status\":\"success\",\"data\":{\"a\":1 \"b\":2}}",
         "bad_response: v1.apiResponse.Data: ReadObjectCB: object not ended with }, error found in "
         "#10 byte of ...|\":{\"a\":1 \"b\":2}}|..., bigger context "
         "...|{\"status\":\"success\",\"data\":{\"a\":1 \"b\":2}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}{}",
         "bad_response: Unmarshal: there are bytes left after unmarshal, error found in #10 byte "
         "of ...|[1,\"1\"]}}{}|..., bigger context "
         "...|,\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}{}|..."},
        {"{\"status\" \"success\"}",
         "bad_response: v1.apiResponse.Status: ReadObject: expect : after object field, but found "
         "\", error found in #10 byte of ...|\"status\" \"success\"}|..., bigger context "
         "...|{\"status\" \"success\"}|..."},
        {"{\"errortype\":\"x\",\"status\":\"error\",\"error\":\"e\"}", "x: e"},
        {"{\"status\":\"success\",\"data\":[1,2,,3]}",
         "bad_response: v1.apiResponse.Data: Skip: do not know how to skip: 44, error found in #10 "
         "byte of ...|ta\":[1,2,,3]}|..., bigger context "
         "...|{\"status\":\"success\",\"data\":[1,2,,3]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"x\":"
         "nul}",
         "bad_response: v1.apiResponse.skipThreeBytes: expect ull, error found in #10 byte of "
         "...|},\"x\":nul}|..., bigger context "
         "...|:{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"x\":nul}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"x\":"
         "fals}",
         "bad_response: v1.apiResponse.skipFourBytes: expect alse, error found in #10 byte of "
         "...|,\"x\":fals}|..., bigger context "
         "...|{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"x\":fals}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1e999,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: readNumberAsString: invalid number, error found in "
         "#10 byte of ...|lt\":[1e999,\"1\"]}}|..., bigger context "
         "...|ess\",\"data\":{\"resultType\":\"scalar\",\"result\":[1e999,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[.5,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: Skip: do not know how to skip: 46, error found in #10 "
         "byte of ...|result\":[.5,\"1\"]}}|..., bigger context "
         "...|success\",\"data\":{\"resultType\":\"scalar\",\"result\":[.5,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[00.5e,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: readFloat32: leading zero is invalid, error found in "
         "#10 byte of ...|\"result\":[00.5e,\"1\"]|..., bigger context "
         "...|\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[00.5e,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.,\"1\"]}}",
         "bad_response: v1.apiResponse.Data: validateNumber: missing digit after dot, error found "
         "in #10 byte of ...|result\":[1.,\"1\"]}}|..., bigger context "
         "...|success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.,\"1\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0.1234567890,"
         "\"1\"]}}",
         "<nil>"},
        {"{\"errortype\":\"x\",\"status\":\"error\",\"error\":\"e\"}", "x: e"},
        {"{\"ErrorType\":\"x\",\"STATUS\":\"error\",\"Error\":\"e\",\"error\":\"f\"}", "x: f"},
        /* ...and of the data: queryResult's, model's, its own decoders */
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"salar\",\"result\":[1700000000,\"0."
         "5\"]}}",
         "unmarshalerDecoder: Result: Type: unmarshalerDecoder: unknown value type \"salar\", "
         "error found in #10 byte of ...|e\":\"salar\",\"result\":|..., bigger context "
         "...|{\"resultType\":\"salar\",\"result\":[1700000000,\"0.5\"]}|..., error found in #10 "
         "byte of ...|00,\"0.5\"]}|..., bigger context "
         "...|{\"resultType\":\"salar\",\"result\":[1700000000,\"0.5\"]}|..."},
        {"{\"status\":\"success\",\"data\":{\"result\":[1,\"x\"],\"resultType\":\"strin\\rg\"}}",
         "unmarshalerDecoder: Type: unmarshalerDecoder: unknown value type \"strin\\rg\", error "
         "found in #10 byte of ...|\"strin\\rg\"}|..., bigger context "
         "...|{\"result\":[1,\"x\"],\"resultType\":\"strin\\rg\"}|..., error found in #10 byte of "
         "...|strin\\rg\"}|..., bigger context "
         "...|{\"result\":[1,\"x\"],\"resultType\":\"strin\\rg\"}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
         "\"vaues\":[[1700000000,\"1\"]]}]}}",
         "unmarshalerDecoder: model.Matrix: unmarshal model.SampleStream: unexpected key:vaues, "
         "error found in #10 byte of ...|},\"vaues\":[[17000000|..., bigger context "
         "...|[{\"metric\":{},\"vaues\":[[1700000000,\"1\"]]}]|..., error found in #10 byte of "
         "...|0,\"1\"]]}]}|..., bigger context "
         "...|esult\":[{\"metric\":{},\"vaues\":[[1700000000,\"1\"]]}]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
         "\"values\":[[1700000001e5,\"1\"]]}]}}",
         "unmarshalerDecoder: model.Matrix: unmarshal model.SamplePair: strconv.ParseInt: parsing "
         "\"1700000001e5\": invalid syntax, error found in #10 byte of "
         "...|00000001e5,\"1\"]]}]|..., bigger context "
         "...|[{\"metric\":{},\"values\":[[1700000001e5,\"1\"]]}]|..., error found in #10 byte of "
         "...|5,\"1\"]]}]}|..., bigger context "
         "...|lt\":[{\"metric\":{},\"values\":[[1700000001e5,\"1\"]]}]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.5.5,\"0.5\"]}}",
         "bad_response: v1.apiResponse.Data: validateNumber: more than one dot found in number, "
         "error found in #10 byte of ...|result\":[1.5.5,\"0.5\"|..., bigger context "
         "...|success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.5.5,\"0.5\"]}}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
         "\"value\":[17e1,\"0.97\"]}]}}",
         "unmarshalerDecoder: model.Vector: unmarshalerDecoder: strconv.ParseInt: parsing "
         "\"17e1\": invalid syntax, error found in #10 byte of ...|1,\"0.97\"]}]|..., bigger "
         "context ...|[{\"metric\":{},\"value\":[17e1,\"0.97\"]}]|..., error found in #10 byte of "
         "...|\"0.97\"]}]}|..., bigger context "
         "...|r\",\"result\":[{\"metric\":{},\"value\":[17e1,\"0.97\"]}]}|..."},
        {"{\"status\":\"success\",\"data\":{\"rEsultType\":\"scalar\",\"result\":[1700000000,\"0."
         "5\"]}}",
         "<nil>"},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
         "\"values\":[ 1700000000,\"1\",[1700000001.5,\"r2\"]]}]}}",
         "unmarshalerDecoder: model.Matrix: ReadArray: expect [ or , or ] or n, but found 1, error "
         "found in #10 byte of ...|alues\":[ 1700000000,|..., bigger context "
         "...|[{\"metric\":{},\"values\":[ 1700000000,\"1\",[1700000001.5,\"r2\"]]}]|..., error "
         "found in #10 byte of ...|,\"r2\"]]}]}|..., bigger context ...|,\"values\":[ "
         "1700000000,\"1\",[1700000001.5,\"r2\"]]}]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
         "\"values\":[null,[1700000001.5,\"2\"]]}]}}",
         "unmarshalerDecoder: model.Matrix: unmarshal model.SamplePair: SamplePair must be "
         "[timestamp, value], error found in #10 byte of ...|ues\":[null,[17000000|..., bigger "
         "context ...|[{\"metric\":{},\"values\":[null,[1700000001.5,\"2\"]]}]|..., error found in "
         "#10 byte of ...|5,\"2\"]]}]}|..., bigger context "
         "...|{\"metric\":{},\"values\":[null,[1700000001.5,\"2\"]]}]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"m\\tric\":{},"
         "\"values\":[[1700000000,\"1\"]]}]}}",
         "unmarshalerDecoder: model.Matrix: unmarshal model.SampleStream: unexpected key:m\tric, "
         "error found in #10 byte of ...|{\"m\\tric\":{},\"values|..., bigger context "
         "...|[{\"m\\tric\":{},\"values\":[[1700000000,\"1\"]]}]|..., error found in #10 byte of "
         "...|0,\"1\"]]}]}|..., bigger context "
         "...|sult\":[{\"m\\tric\":{},\"values\":[[1700000000,\"1\"]]}]}|..."},
        {"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"0x."
         "5\"]}}",
         "unmarshalerDecoder: unmarshalerDecoder: error parsing sample value: strconv.ParseFloat: "
         "parsing \"0x.5\": invalid syntax, error found in #10 byte of ...|00,\"0x.5\"]|..., "
         "bigger context ...|[1700000000,\"0x.5\"]|..., error found in #10 byte of "
         "...|0,\"0x.5\"]}|..., bigger context "
         "...|resultType\":\"scalar\",\"result\":[1700000000,\"0x.5\"]}|..."},
    };
    for (size_t i = 0; i < sizeof(jsoniter) / sizeof(jsoniter[0]); i++) {
        memset(&r, 0, sizeof(r));
        err = NULL;
        prom(jsoniter[i].body, 200, &r, &err);
        ck_assert_msg(strcmp(err ? err : "<nil>", jsoniter[i].want) == 0, "%s: got %s, want %s",
                      jsoniter[i].body, err ? err : "<nil>", jsoniter[i].want);
        free(err);
        fd_prom_result_free(&r);
    }
    /* no data, or null: the RawMessage holds nothing to decode (client_golang
     * v1.23.2 answers so, checked against it) */
    static const char *const no_data[] = {"{\"status\":\"success\"}", "null", "{}",
                                          "{\"status\":\"success\",\"data\":null}"};
    for (size_t i = 0; i < sizeof(no_data) / sizeof(no_data[0]); i++) {
        ck_assert_int_eq(prom(no_data[i], 200, &r, &err), FD_PARSE);
        ck_assert_str_eq(err, "Skip: do not know how to skip: 0, error found in #0 byte of "
                              "...||..., bigger context ...||...");
        free(err);
    }
    /* a matrix point's value that is no string, and a sample no object */
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
                          "[{\"metric\":{},\"values\":[[1700000000,2.5]]}]}}",
                          200, &r, &err),
                     FD_PARSE);
    ck_assert(strncmp(err,
                      "unmarshalerDecoder: model.Matrix: ReadString: expects \" or n, but "
                      "found 2, error found in #10 byte of ...|00000000,2.5]]}]|...",
                      85) == 0);
    free(err);
    ck_assert_int_eq(
        prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[1]}}", 200,
             &r, &err),
        FD_PARSE);
    ck_assert(strncmp(err,
                      "unmarshalerDecoder: model.Vector: unmarshalerDecoder: json: cannot "
                      "unmarshal number into Go value of type struct { Metric",
                      120) == 0);
    free(err);
}
END_TEST

/* A NUL or an integer past int64 in a Prometheus answer, as Argo Rollouts
 * v1.10.2's provider judged each (its measurement's phase and message, the
 * NUL of Go's message shown as U+2400): jansson refused the whole answer
 * before, so a label holding \u0000 made a Successful measurement an Error,
 * and a sample "1\u0000" read as 1. */
START_TEST(prom_nul)
{
    struct fd_prom_result r;
    char *err = NULL;
    static const char body_nul[] = "{\"status\":\"success\"}\0garbage";
#define NUL_SHOWN "\xe2\x90\x80"

    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                          "[{\"metric\":{\"pod\":\"a\\u0000b\"},\"value\":[1,\"0.5\"]}]}}",
                          200, &r, &err),
                     FD_OK);
    ck_assert_str_eq(r.value, "[0.5]");
    fd_prom_result_free(&r);
    ck_assert_int_eq(prom("{\"status\":\"success\\u0000\",\"data\":{\"resultType\":\"scalar\","
                          "\"result\":[1,\"1\"]}}",
                          200, &r, &err),
                     FD_OK); /* no "error" status: the data is read */
    ck_assert_str_eq(r.value, "1");
    fd_prom_result_free(&r);
    ck_assert_int_eq(
        prom("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"bad \\u0000 byte\"}",
             400, &r, &err),
        FD_PARSE);
    ck_assert_str_eq(err, "bad_data: bad " NUL_SHOWN " byte");
    free(err);
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                          "[1,\"1\\u0000\"]}}",
                          200, &r, &err),
                     FD_PARSE);
    ck_assert_str_eq(err,
                     "unmarshalerDecoder: unmarshalerDecoder: error parsing sample value: "
                     "strconv.ParseFloat: parsing \"1\\x00\": invalid syntax, error found in "
                     "#10 byte of ...|\"1\\u0000\"]|..., bigger context ...|[1,\"1\\u0000\"]|..., "
                     "error found in #10 byte of ...|1\\u0000\"]}|..., bigger context "
                     "...|{\"resultType\":\"scalar\",\"result\":[1,\"1\\u0000\"]}|...");
    free(err);
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\\u0000\","
                          "\"result\":[]}}",
                          200, &r, &err),
                     FD_PARSE);
    ck_assert_str_eq(err,
                     "unmarshalerDecoder: Result: Type: unmarshalerDecoder: unknown value "
                     "type \"vector\\x00\", error found in #10 byte of "
                     "...|tor\\u0000\",\"result\":|..., bigger context "
                     "...|{\"resultType\":\"vector\\u0000\",\"result\":[]}|..., error found in "
                     "#10 byte of ...|esult\":[]}|..., bigger context "
                     "...|{\"resultType\":\"vector\\u0000\",\"result\":[]}|...");
    free(err);
    /* json-iterator reads a NUL byte after the value as the end */
    ck_assert_int_eq(fd_prom_parse(body_nul, sizeof(body_nul) - 1, 200, &r, &err), FD_PARSE);
    ck_assert_str_eq(err, "Skip: do not know how to skip: 0, error found in #0 byte of ...||..., "
                          "bigger context ...||...");
    free(err);
    /* an integer past int64: jansson alone refused the answer */
    ck_assert_int_eq(prom("{\"status\":\"success\",\"stats\":{\"n\":10000000000000000000},"
                          "\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}",
                          200, &r, &err),
                     FD_OK);
    fd_prom_result_free(&r);
    ck_assert_int_eq(prom("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
                          "[10000000000000000000,\"1\"]}}",
                          200, &r, &err),
                     FD_PARSE);
    ck_assert_str_eq(err,
                     "unmarshalerDecoder: unmarshalerDecoder: strconv.ParseInt: parsing "
                     "\"10000000000000000000\": value out of range, error found in #10 byte of "
                     "...|00000,\"1\"]|..., bigger context ...|[10000000000000000000,\"1\"]|..., "
                     "error found in #10 byte of ...|0000,\"1\"]}|..., bigger context "
                     "...|ype\":\"scalar\",\"result\":[10000000000000000000,\"1\"]}|...");
    free(err);
    ck_assert_int_eq(fd_prom_parse("{\0", 2, 200, &r, &err), FD_PARSE);
    ck_assert_str_eq(
        err, "bad_response: v1.apiResponse.ReadString: expects \" or n, but found " NUL_SHOWN
             ", error found in #2 byte of ...|{" NUL_SHOWN "|..., bigger context ...|{" NUL_SHOWN
             "|...");
    free(err);
#undef NUL_SHOWN
}
END_TEST

START_TEST(decode_run_status)
{
    struct fd_analysis_run *run = run_json(
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"AnalysisRun\","
        "\"metadata\":{\"name\":\"r1\",\"namespace\":\"prod\",\"uid\":\"x\"},"
        "\"spec\":{\"args\":[{\"name\":\"n\",\"value\":\"3\"},{\"name\":\"s\",\"valueFrom\":{"
        "\"secretKeyRef\":{\"name\":\"a\",\"key\":\"b\"}}}],"
        "\"metrics\":[{\"name\":\"m\",\"count\":\"{{args.n}}\",\"failureLimit\":\"1\","
        "\"interval\":\"30s\",\"successCondition\":\"result[0] > 0.9\",\"unknownField\":1,"
        "\"provider\":{\"prometheus\":{\"address\":\"http://p\",\"query\":\"up\"}}}],"
        "\"terminate\":true},"
        "\"status\":{\"phase\":\"Failed\",\"message\":\"boom\",\"startedAt\":\"2024-01-01T00:00:"
        "00Z\","
        "\"runSummary\":{\"count\":1,\"failed\":1},"
        "\"metricResults\":[{\"name\":\"m\",\"phase\":\"Failed\",\"count\":2,\"successful\":1,"
        "\"failed\":1,\"measurements\":[{\"phase\":\"Successful\",\"startedAt\":"
        "\"2024-01-01T00:00:00Z\",\"finishedAt\":\"2024-01-01T00:00:01Z\",\"value\":\"[0.97]\"},"
        "{\"phase\":\"Failed\",\"startedAt\":\"2024-01-01T00:00:31Z\",\"finishedAt\":"
        "\"2024-01-01T00:00:31Z\",\"value\":\"[0.5]\"}]}]}}");

    ck_assert_str_eq(run->name, "r1");
    ck_assert_str_eq(run->namespace, "prod");
    ck_assert(run->terminate);
    ck_assert_uint_eq(run->n_args, 2);
    ck_assert(run->args[1].value_from && !run->args[1].value);
    ck_assert(run->metrics[0].count.set && run->metrics[0].count.value == 3);
    ck_assert(run->metrics[0].failure_limit.set && run->metrics[0].failure_limit.value == 1);
    ck_assert(!run->metrics[0].inconclusive_limit.set);
    ck_assert_str_eq(run->metrics[0].provider_name, "prometheus");
    ck_assert_str_eq(run->metrics[0].query, "up");
    ck_phase(run->phase, F);
    ck_assert_int_eq(run->started_at, T0);
    ck_assert_int_eq(run->completed_at, FD_ANALYSIS_NO_TIME);
    ck_assert_int_eq(run->run_summary.failed, 1);
    ck_assert_uint_eq(run->n_results, 1);
    ck_assert_uint_eq(run->results[0].n_measurements, 2);
    ck_assert_str_eq(run->results[0].measurements[0].value, "[0.97]");
    ck_assert_int_eq(run->results[0].measurements[1].finished_at, T0 + 31000);
    ck_assert_int_eq(run->results[0].measurements[1].resume_at, FD_ANALYSIS_NO_TIME);

    struct fd_analysis_run *copy = fd_analysis_run_copy(run);
    fd_analysis_run_free(run);
    ck_assert_str_eq(copy->results[0].measurements[0].value, "[0.97]");
    fd_analysis_run_free(copy);
}
END_TEST

START_TEST(decode_errors_name_the_field)
{
    char *err;

    err = decode_error("{\"spec\":{\"metrics\":[{\"name\":\"a\"},{\"name\":7}]}}");
    ck_assert_str_eq(err, "spec.metrics[1].name: expected a string, got an integer");
    free(err);
    err = decode_error("{\"spec\":{\"metrics\":[{\"name\":\"a\",\"failureLimit\":[1]}]}}");
    ck_assert_str_eq(err,
                     "spec.metrics[0].failureLimit: expected an integer or a string, got an array");
    free(err);
    err = decode_error("{\"spec\":{\"metrics\":[{\"name\":\"a\",\"count\":\"{{args.n}}\"}]}}");
    ck_assert_str_eq(err, "spec.metrics[0].count: failed to resolve {{args.n}}");
    free(err);
    err = decode_error("{\"spec\":{\"metrics\":[{\"interval\":\"1m\"}]}}");
    ck_assert_str_eq(err, "spec.metrics[0].name: missing");
    free(err);
    err = decode_error("{\"spec\":{\"metrics\":[]},\"status\":{\"metricResults\":[{\"name\":\"a\","
                       "\"measurements\":[{\"phase\":\"Done\"}]}]}}");
    ck_assert_str_eq(err, "status.metricResults[0].measurements[0].phase: unknown phase \"Done\"");
    free(err);
    err = decode_error("{\"spec\":{\"metrics\":[]},\"status\":{\"startedAt\":\"yesterday\"}}");
    ck_assert_str_eq(err, "status.startedAt: \"yesterday\" is not an RFC 3339 time");
    free(err);
    err = decode_error("[1]");
    ck_assert_str_eq(err, "(top level): expected an object, got an array");
    free(err);
    err = decode_error("{\"metadata\":{}}");
    ck_assert_str_eq(err, "spec: expected an object, got null");
    free(err);
}
END_TEST

/* ValidateMetric's checks, with Argo's messages behind "metrics[i]: ". */
static void ck_invalid(const char *metric_json, const char *want)
{
    char *text = fd_xasprintf("{\"spec\":{\"metrics\":[{\"name\":\"ok\",\"provider\":{\"job\":{}}},"
                              "%s]}}",
                              metric_json);
    struct fd_analysis_run *run = run_json(text);
    char *err = NULL;
    enum fd_status st = fd_analysis_validate_metrics(run, &err);

    if (!want) {
        ck_assert_msg(st == FD_OK, "%s: expected valid, got \"%s\"", metric_json, err);
    } else {
        ck_assert_msg(st == FD_INVALID, "%s: expected \"%s\", got valid", metric_json, want);
        ck_assert_str_eq(err, want);
    }
    free(err);
    fd_analysis_run_free(run);
    free(text);
}

#define PROV "\"provider\":{\"prometheus\":{\"query\":\"up\"}}"

START_TEST(validate_metric_like_argo)
{
    ck_invalid("{\"name\":\"m\"," PROV "}", NULL);
    ck_invalid("{\"name\":\"m\",\"count\":1,\"failureLimit\":2," PROV "}",
               "metrics[1]: count (1) must be >= failureLimit + consecutiveSuccessLimit (2 + 0) "
               "if both >= 0");
    ck_invalid("{\"name\":\"m\",\"count\":0,\"failureLimit\":2," PROV "}", NULL);
    ck_invalid("{\"name\":\"m\",\"count\":1,\"inconclusiveLimit\":2," PROV "}",
               "metrics[1]: count must be >= inconclusiveLimit");
    ck_invalid("{\"name\":\"m\",\"interval\":\"1m\",\"count\":3,\"failureLimit\":1,"
               "\"consecutiveSuccessLimit\":3," PROV "}",
               "metrics[1]: count (3) must be >= failureLimit + consecutiveSuccessLimit (1 + 3) "
               "if both >= 0");
    ck_invalid("{\"name\":\"m\",\"interval\":\"1m\",\"count\":3,\"failureLimit\":-1,"
               "\"consecutiveSuccessLimit\":3," PROV "}",
               NULL);
    ck_invalid("{\"name\":\"m\",\"interval\":\"1m\",\"count\":2,\"failureLimit\":-1,"
               "\"consecutiveSuccessLimit\":3," PROV "}",
               "metrics[1]: count must be >= consecutiveSuccessLimit");
    /* the first failing check in ValidateMetric's order names the fault */
    ck_invalid("{\"name\":\"m\",\"count\":1,\"failureLimit\":2,\"inconclusiveLimit\":-1," PROV "}",
               "metrics[1]: inconclusiveLimit must be >= 0");
    ck_invalid("{\"name\":\"m\",\"count\":2," PROV "}",
               "metrics[1]: interval must be specified when count > 1");
    ck_invalid("{\"name\":\"m\",\"interval\":\"5 minutes\"," PROV "}",
               "metrics[1]: invalid interval string: time: unknown unit \" minutes\" in duration "
               "\"5 minutes\"");
    ck_invalid("{\"name\":\"m\",\"initialDelay\":\"x\"," PROV "}",
               "metrics[1]: invalid startDelay string: time: invalid duration \"x\"");
    ck_invalid("{\"name\":\"m\",\"failureLimit\":-2," PROV "}",
               "metrics[1]: failureLimit must be >= 0, or -1 to be disabled");
    ck_invalid("{\"name\":\"m\",\"consecutiveSuccessLimit\":-1," PROV "}",
               "metrics[1]: consecutiveSuccessLimit must be >= 0");
    ck_invalid("{\"name\":\"m\",\"failureLimit\":-1," PROV "}",
               "metrics[1]: failureLimit and consecutiveSuccessLimit cannot both be disabled");
    ck_invalid("{\"name\":\"m\",\"inconclusiveLimit\":-1," PROV "}",
               "metrics[1]: inconclusiveLimit must be >= 0");
    ck_invalid("{\"name\":\"m\",\"consecutiveErrorLimit\":-1," PROV "}",
               "metrics[1]: consecutiveErrorLimit must be >= 0");
    ck_invalid("{\"name\":\"m\",\"consecutiveErrorLimit\":0," PROV "}", NULL);
    ck_invalid("{\"name\":\"m\"}", "metrics[1]: no provider specified");
    ck_invalid("{\"name\":\"m\",\"provider\":{\"plugin\":{}}}",
               "metrics[1]: no provider specified");
    ck_invalid("{\"name\":\"m\",\"provider\":{\"job\":{},\"web\":{\"url\":\"x\"}}}",
               "metrics[1]: multiple providers specified");
    ck_invalid("{\"name\":\"m\",\"provider\":{\"plugin\":{\"a/b\":{},\"c/d\":{}}}}",
               "metrics[1]: multiple providers specified");
    ck_invalid("{\"name\":\"ok\"," PROV "}", "metrics[1]: duplicate name 'ok'");

    struct fd_analysis_run *run = run_json("{\"spec\":{\"metrics\":[]}}");
    char *err = NULL;
    ck_assert_int_eq(fd_analysis_validate_metrics(run, &err), FD_INVALID);
    ck_assert_str_eq(err, "no metrics specified");
    free(err);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(invalid_spec_makes_the_run_error)
{
    struct fd_analysis_run *run = run_json(
        "{\"spec\":{\"metrics\":[{\"name\":\"m\",\"count\":1,\"failureLimit\":3," PROV "}]}}");

    ck_phase(fd_analysis_assess_run(run, T0), E);
    ck_assert_str_eq(run->message,
                     "Analysis spec invalid: metrics[0]: count (1) must be >= failureLimit + "
                     "consecutiveSuccessLimit (3 + 0) if both >= 0");
    ck_assert_int_eq(run->completed_at, T0);
    fd_analysis_run_free(run);
}
END_TEST

/* fd_analysis_dry_run: each Prometheus metric measured once, dry-run
 * metrics measured but never deciding, and the run's phase after them. The
 * measurements come from a stand-in (*arg: the phase of "latency"). */
static void fake_measure(void *arg, const struct fd_analysis_plan_metric *mp,
                         const struct fd_analysis_prom_options *po,
                         struct fd_analysis_prom_measurement *out)
{
    const enum fd_analysis_phase *latency = arg;

    (void)po;
    memset(out, 0, sizeof(*out));
    out->phase = strcmp(mp->m->name, "latency") == 0 ? *latency : F;
    out->value = fd_xstrdup("[1]");
    out->explanation = fd_xstrdup("stand-in");
}

START_TEST(dry_run_measures_once_and_judges)
{
    json_t *doc = json_loads(
        "{\"kind\":\"AnalysisTemplate\",\"metadata\":{\"name\":\"t\"},\"spec\":{\"metrics\":["
        "{\"name\":\"error-rate\"," PROV "},{\"name\":\"latency\"," PROV "},"
        "{\"name\":\"web\",\"provider\":{\"web\":{\"url\":\"http://x\"}}}],"
        "\"dryRun\":[{\"metricName\":\"error-rate\"}]}}",
        0, NULL);
    struct fd_analysis_plan plan;
    struct fd_analysis_prom_options po = {.now_ms = T0};
    struct fd_analysis_dry d;
    enum fd_analysis_phase latency = S;
    char *err = NULL;

    ck_assert_ptr_nonnull(doc);
    ck_assert_msg(fd_analysis_plan_template(doc, NULL, 0, NULL, false, &plan, &err), "%s", err);
    fd_analysis_dry_run(&plan, &po, fake_measure, &latency, &d);
    ck_assert_uint_eq(d.n_metrics, 3);
    ck_assert_uint_eq(d.measured, 2);
    ck_assert(d.metrics[0].dry && d.metrics[0].measured);
    ck_assert(!d.metrics[2].measured); /* not Prometheus: not measured */
    ck_phase(d.worst, S);              /* the failed dry-run metric does not count */
    ck_phase(d.run_phase, S);
    ck_assert_ptr_null(d.dry_error);
    fd_analysis_dry_free(&d);
    latency = F;
    fd_analysis_dry_run(&plan, &po, fake_measure, &latency, &d);
    ck_phase(d.worst, F);
    ck_phase(d.run_phase, F);
    fd_analysis_dry_free(&d);
    ck_phase(fd_analysis_phase_worse(FD_ANALYSIS_PHASE_NONE, E), E);
    ck_phase(fd_analysis_phase_worse(E, F), F);
    ck_phase(fd_analysis_phase_worse(F, S), F);
    fd_analysis_plan_free(&plan);
    json_decref(doc);
}
END_TEST

/* The compiled rules give what the one-call functions give, and report the
 * first problem in reconcileAnalysisRun's order. */
START_TEST(compiled_rules)
{
    struct fd_analysis_run *run =
        run_json("{\"spec\":{\"metrics\":[{\"name\":\"error-rate\"," PROV
                 "},{\"name\":\"latency\"," PROV "},"
                 "{\"name\":\"errors-5xx\"," PROV "}],"
                 "\"dryRun\":[{\"metricName\":\"^error\"}],"
                 "\"measurementRetention\":[{\"metricName\":\".*\",\"limit\":3},"
                 "{\"metricName\":\"lat\",\"limit\":20}]}}");
    struct fd_analysis_rules *rules = fd_analysis_rules_new(run);

    ck_assert_ptr_null(rules->error);
    ck_assert_uint_eq(rules->n_metrics, 3);
    ck_assert(rules->dry[0] && !rules->dry[1] && rules->dry[2]);
    ck_assert_uint_eq(rules->limits[0], 3);
    ck_assert_uint_eq(rules->limits[1], 20);
    ck_assert_uint_eq(rules->limits[2], 3);
    for (int i = 0; i < 5; i++)
        measure(run, "latency", S, T0 + i * 1000, NULL);
    char *err = NULL;
    ck_assert_int_eq(fd_analysis_trim_measurements_rules(run, rules, &err), FD_OK);
    ck_assert_uint_eq(fd_analysis_run_result(run, "latency")->n_measurements, 5);
    ck_phase(fd_analysis_assess_run_rules(run, rules, T0 + 5000), R);
    ck_assert(!fd_analysis_run_result(run, "latency")->dry_run);
    fd_analysis_rules_free(rules);
    fd_analysis_run_free(run);

    /* Validation comes first, then dryRun, then measurementRetention. */
    run =
        run_json("{\"spec\":{\"metrics\":[{\"name\":\"m\"}],\"dryRun\":[{\"metricName\":\"x\"}]}}");
    rules = fd_analysis_rules_new(run);
    ck_assert_str_eq(rules->error, "metrics[0]: no provider specified");
    fd_analysis_rules_free(rules);
    fd_analysis_run_free(run);
    run = run_json("{\"spec\":{\"metrics\":[{\"name\":\"m\"," PROV "}],"
                   "\"dryRun\":[{\"metricName\":\"*\"}],"
                   "\"measurementRetention\":[{\"metricName\":\"x\"}]}}");
    rules = fd_analysis_rules_new(run);
    ck_assert_str_eq(rules->error, "dryRun[0]: Rule didn't match any metric name(s)");
    ck_assert_int_eq(fd_analysis_trim_measurements_rules(run, rules, &err), FD_INVALID);
    ck_assert_str_eq(err, "dryRun[0]: Rule didn't match any metric name(s)");
    free(err);
    ck_phase(fd_analysis_assess_run_rules(run, rules, T0), E);
    ck_assert_str_eq(run->message,
                     "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)");
    fd_analysis_rules_free(rules);
    fd_analysis_run_free(run);
    fd_analysis_rules_free(NULL);
}
END_TEST
#undef PROV

/* Each Argo Rollouts release's go.mod: v1.7 to v1.9 antonmedv/expr v1.15.5,
 * v1.10 expr-lang/expr v1.17 (v1.6 had v1.15.3). */
START_TEST(expr_version_of_a_release)
{
    enum fd_expr_version v = FD_EXPR_V1_17;
    static const struct {
        const char *release;
        bool ok;
        enum fd_expr_version v;
    } cases[] = {
        {"v1.9.3", true, FD_EXPR_V1_15},  {"v1.7.2", true, FD_EXPR_V1_15},
        {"1.6.6", true, FD_EXPR_V1_15},   {"v1.10.0", true, FD_EXPR_V1_17},
        {"v1.10.2", true, FD_EXPR_V1_17}, {"v1.11.0-rc1", true, FD_EXPR_V1_17},
        {"v2.0", true, FD_EXPR_V1_17},    {"v1.9", true, FD_EXPR_V1_15},
        {"latest", false, FD_EXPR_V1_17}, {"v1", false, FD_EXPR_V1_17},
        {"v1.x", false, FD_EXPR_V1_17},   {"v1.10a", false, FD_EXPR_V1_17},
        {"", false, FD_EXPR_V1_17},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        v = FD_EXPR_V1_17;
        ck_assert_msg(fd_analysis_expr_version_for_release(cases[i].release, &v) == cases[i].ok,
                      "%s", cases[i].release);
        if (cases[i].ok)
            ck_assert_msg(v == cases[i].v, "%s", cases[i].release);
    }
}
END_TEST

START_TEST(expr_detected_from_the_deployment)
{
    struct fd_analysis_expr_choice c, out;
    json_t *d = json_loads(
        "{\"metadata\":{\"namespace\":\"ops\",\"name\":\"rollouts\"},\"spec\":{\"template\":"
        "{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"envoy:v1.2.3\"},"
        "{\"name\":\"c\",\"image\":\"registry:5000/argoproj/argo-rollouts:v1.8.3@sha256:ab\"}]}}}}",
        0, NULL);

    ck_assert(fd_analysis_expr_detect(d, &c));
    ck_assert_int_eq(c.version, FD_EXPR_V1_15);
    ck_assert_int_eq(c.source, FD_ANALYSIS_EXPR_DETECTED);
    ck_assert_str_eq(c.why, "argo-rollouts v1.8.3 (Deployment ops/rollouts)");
    json_decref(d);

    d = json_loads(
        "{\"metadata\":{\"namespace\":\"ops\",\"name\":\"r\"},\"spec\":{\"template\":{"
        "\"spec\":{\"containers\":[{\"image\":\"quay.io/argoproj/argo-rollouts:latest\"}]}}}}",
        0, NULL);
    ck_assert(!fd_analysis_expr_detect(d, &c));
    ck_assert_int_eq(c.source, FD_ANALYSIS_EXPR_DEFAULT);
    ck_assert_str_eq(c.why,
                     "the image quay.io/argoproj/argo-rollouts:latest of Deployment ops/r names no "
                     "release");
    /* nothing said: the default, with why nothing was detected */
    fd_analysis_expr_choose(false, FD_EXPR_V1_15, false, FD_EXPR_V1_15, NULL, &c, &out);
    ck_assert_int_eq(out.version, FD_EXPR_V1_17);
    ck_assert_int_eq(out.source, FD_ANALYSIS_EXPR_DEFAULT);
    char *text = fd_analysis_expr_choice_text(&out);
    ck_assert_str_eq(text, "expr 1.17 (default: Argo Rollouts v1.10 or later assumed: the image "
                           "quay.io/argoproj/argo-rollouts:latest of Deployment ops/r names no "
                           "release)");
    free(text);
    json_decref(d);

    /* precedence: flag, config, detected */
    d = json_loads("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":"
                   "\"argo-rollouts:v1.9.0\"}]}}}}",
                   0, NULL);
    ck_assert(fd_analysis_expr_detect(d, &c));
    json_decref(d);
    fd_analysis_expr_choose(true, FD_EXPR_V1_17, true, FD_EXPR_V1_15, "c.yaml:3", &c, &out);
    ck_assert_int_eq(out.source, FD_ANALYSIS_EXPR_FLAG);
    ck_assert_int_eq(out.version, FD_EXPR_V1_17);
    fd_analysis_expr_choose(false, FD_EXPR_V1_17, true, FD_EXPR_V1_17, "c.yaml:3", &c, &out);
    ck_assert_int_eq(out.source, FD_ANALYSIS_EXPR_CONFIG);
    ck_assert_int_eq(out.version, FD_EXPR_V1_17);
    ck_assert_str_eq(out.why, "argoRollouts.exprVersion 1.17 at c.yaml:3");
    fd_analysis_expr_choose(false, FD_EXPR_V1_17, false, FD_EXPR_V1_17, NULL, &c, &out);
    ck_assert_int_eq(out.source, FD_ANALYSIS_EXPR_DETECTED);
    ck_assert_int_eq(out.version, FD_EXPR_V1_15);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("analysis-core");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, phase_table_and_order);
    tcase_add_test(tc, counters_per_measurement);
    tcase_add_test(tc, limits_messages);
    tcase_add_test(tc, metric_status_defaults);
    tcase_add_test(tc, metric_errors_and_count);
    tcase_add_test(tc, metric_consecutive_success_limit);
    tcase_add_test(tc, run_fails_after_sibling_settles);
    tcase_add_test(tc, run_ties_keep_first_metric);
    tcase_add_test(tc, run_error_message_carries_measurement_message);
    tcase_add_test(tc, run_dry_run_never_worse);
    tcase_add_test(tc, run_rules_that_match_nothing);
    tcase_add_test(tc, run_retention_trims_history_not_counters);
    tcase_add_test(tc, run_terminated);
    tcase_add_test(tc, run_failed_on_success_streak_counts_successful);
    tcase_add_test(tc, schedule_first_and_interval);
    tcase_add_test(tc, schedule_terminating_and_in_flight);
    tcase_add_test(tc, durations_and_times);
    tcase_add_test(tc, args_substitution);
    tcase_add_test(tc, args_merge);
    tcase_add_test(tc, args_in_metric_fields);
    tcase_add_test(tc, format_float_like_go);
    tcase_add_test(tc, prom_result_types);
    tcase_add_test(tc, prom_errors);
    tcase_add_test(tc, prom_nul);
    tcase_add_test(tc, decode_run_status);
    tcase_add_test(tc, decode_errors_name_the_field);
    tcase_add_test(tc, validate_metric_like_argo);
    tcase_add_test(tc, invalid_spec_makes_the_run_error);
    tcase_add_test(tc, compiled_rules);
    tcase_add_test(tc, dry_run_measures_once_and_judges);
    tcase_add_test(tc, expr_version_of_a_release);
    tcase_add_test(tc, expr_detected_from_the_deployment);
    suite_add_tcase(s, tc);
    return s;
}
