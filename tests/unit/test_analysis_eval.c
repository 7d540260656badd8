/* tests/unit/test_analysis_eval.c: measurement phases from conditions
 * (EvaluateResult), explanations, and the replay engine that re-judges
 * recorded measurements. Cases follow Argo Rollouts' utils/evaluate/evaluate.go
 * and analysis/analysis.go (doc/upstream.md). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/analysis.h"

#define S FD_ANALYSIS_PHASE_SUCCESSFUL
#define F FD_ANALYSIS_PHASE_FAILED
#define I FD_ANALYSIS_PHASE_INCONCLUSIVE
#define E FD_ANALYSIS_PHASE_ERROR
#define R FD_ANALYSIS_PHASE_RUNNING

#define ck_phase(got, want)                                                                    \
    ck_assert_msg((got) == (want), "phase: expected %s, got %s", fd_analysis_phase_name(want), \
                  fd_analysis_phase_name(got))

static fd_value *vec(size_t n, ...)
{
    double v[16];
    va_list ap;

    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v[i] = va_arg(ap, double);
    va_end(ap);
    return fd_value_float_array(v, n);
}

/* Judges and checks phase and message (NULL = no message). */
static void judge(const char *succ, const char *fail, fd_value *result, enum fd_expr_mode mode,
                  enum fd_analysis_phase want, const char *want_msg)
{
    char *msg = NULL;
    enum fd_analysis_phase got = fd_analysis_evaluate(succ, fail, result, mode, &msg);

    ck_assert_msg(got == want, "%s / %s: expected %s, got %s (%s)", succ ? succ : "-",
                  fail ? fail : "-", fd_analysis_phase_name(want), fd_analysis_phase_name(got),
                  msg ? msg : "");
    if (want_msg)
        ck_assert_msg(msg && strcmp(msg, want_msg) == 0, "message: expected [%s], got [%s]",
                      want_msg, msg ? msg : "(none)");
    else
        ck_assert_msg(!msg, "unexpected message [%s]", msg);
    free(msg);
    fd_value_unref(result);
}

START_TEST(evaluate_outcomes)
{
    const enum fd_expr_mode A = FD_EXPR_MODE_ARGO;

    judge("result[0] >= 0.95", NULL, vec(1, 0.97), A, S, NULL);
    /* only success set: fail = !succ */
    judge("result[0] >= 0.95", NULL, vec(1, 0.5), A, F, NULL);
    /* only failure set: succ = !fail */
    judge(NULL, "result[0] < 0.9", vec(1, 0.93), A, S, NULL);
    judge("", "result[0] < 0.9", vec(1, 0.5), A, F, NULL);
    /* both set, neither holds */
    judge("result[0] >= 0.95", "result[0] < 0.90", vec(1, 0.93), A, I, NULL);
    /* both hold: failure wins */
    judge("result[0] > 0", "result[0] < 1", vec(1, 0.5), A, F, NULL);
    /* no conditions: always Successful */
    judge(NULL, "", vec(0), A, S, NULL);
    /* NaN compares false both ways */
    judge("result >= 0.9", "result < 0.9", fd_value_float(NAN), A, I, NULL);
    judge("isNaN(result)", NULL, fd_value_float(NAN), A, S, NULL);
    /* an empty vector is not nil: len() works */
    judge("len(result) == 0 || result[0] >= 0.9", NULL, vec(0), A, S, NULL);
}
END_TEST

START_TEST(evaluate_errors)
{
    const enum fd_expr_mode A = FD_EXPR_MODE_ARGO;
    char *msg = NULL;

    judge("result[0] >= 0.9", NULL, vec(0), A, E,
          "could not evaluate successCondition \"result[0] >= 0.9\": metric result is nil or "
          "empty: no data returned from the metric provider");
    judge(NULL, "result[0] < 0.9", fd_value_nil(), A, E,
          "could not evaluate failureCondition \"result[0] < 0.9\": metric result is nil or "
          "empty: no data returned from the metric provider");
    judge("result[0]", NULL, vec(1, 0.9), A, E,
          "could not evaluate successCondition \"result[0]\": expected bool, but got float64");
    judge("result", NULL, vec(1, 0.9), A, E,
          "could not evaluate successCondition \"result\": expected bool, but got []float64");
    /* a vector compared as a scalar is a type error, as is indexing a scalar */
    fd_value *v = vec(1, 0.97);
    ck_phase(fd_analysis_evaluate("result > 0.9", NULL, v, A, &msg), E);
    ck_assert_msg(strncmp(msg, "could not evaluate successCondition \"result > 0.9\": ", 52) == 0 &&
                      strstr(msg, "mismatched types []float64 and float64"),
                  "got [%s]", msg);
    free(msg);
    fd_value_unref(v);
    v = fd_value_float(0.97);
    ck_phase(fd_analysis_evaluate("result[0] > 0.9", NULL, v, A, &msg), E);
    ck_assert_ptr_nonnull(msg);
    free(msg);
    /* successCondition is evaluated first: its error is the one reported */
    ck_phase(fd_analysis_evaluate("nope(", "also(", v, A, &msg), E);
    ck_assert(strncmp(msg, "could not evaluate successCondition \"nope(\": ", 45) == 0);
    free(msg);
    fd_value_unref(v);
}
END_TEST

START_TEST(evaluate_web_json)
{
    const enum fd_expr_mode W = FD_EXPR_MODE_ARGO_WEB;
    json_t *j = json_loads("{\"ok\":true,\"rate\":0.99,\"items\":[1,2]}", 0, NULL);
    fd_value *v = fd_value_from_json(j, true);

    judge("result.ok && result.rate > 0.95", NULL, fd_value_ref(v), W, S, NULL);
    judge("len(result.items) == 3", NULL, fd_value_ref(v), W, F, NULL);
    fd_value_unref(v);
    json_decref(j);
}
END_TEST

START_TEST(values_from_measurements)
{
    char *err = NULL;
    fd_value *v;
    double d;

    v = fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_PROMETHEUS, "[0.97,10]", &err);
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(fd_value_go_type(v), "[]float64");
    fd_value_unref(v);
    v = fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_PROMETHEUS, "[]", &err);
    ck_assert_str_eq(fd_value_go_type(v), "[]float64");
    fd_value_unref(v);
    v = fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_PROMETHEUS, "NaN", &err);
    ck_assert(fd_value_as_number(v, &d) && isnan(d));
    fd_value_unref(v);
    v = fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_PROMETHEUS, "+Inf", &err);
    ck_assert(fd_value_as_number(v, &d) && isinf(d) && d > 0);
    fd_value_unref(v);
    ck_assert_ptr_null(
        fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_PROMETHEUS, "[1,x]", &err));
    ck_assert_str_eq(err, "measurement value \"[1,x]\" is not a Prometheus vector");
    free(err);
    v = fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_WEB, "{\"a\":1}", &err);
    ck_assert_str_eq(fd_value_go_type(v), "map[string]interface {}");
    fd_value_unref(v);
    v = fd_analysis_value_from_measurement(FD_ANALYSIS_PROVIDER_WEB, "plain text", &err);
    ck_assert_str_eq(fd_value_go_type(v), "string");
    fd_value_unref(v);
}
END_TEST

static void explains(const char *succ, const char *fail, fd_value *result,
                     enum fd_analysis_phase want, const char *want_text)
{
    char *text = NULL;
    enum fd_analysis_phase got = fd_analysis_explain(succ, fail, result, FD_EXPR_MODE_ARGO, &text);

    ck_phase(got, want);
    ck_assert_msg(strcmp(text, want_text) == 0, "explanation:\nexpected [%s]\n     got [%s]",
                  want_text, text);
    free(text);
    fd_value_unref(result);
}

START_TEST(explanations)
{
    explains("result[0] >= 0.95", "result[0] < 0.90", vec(1, 0.93), I,
             "0.93 is below the success threshold 0.95 and not below the failure threshold "
             "0.90: neither condition holds.");
    explains("result[0] >= 0.95", "result[0] < 0.90", vec(1, 0.97), S,
             "The successCondition `result[0] >= 0.95` holds (0.97 is at or above the success "
             "threshold 0.95) and the failureCondition `result[0] < 0.90` does not hold (0.97 is "
             "not below the failure threshold 0.90).");
    explains("result[0] >= 0.95", "result[0] < 0.90", vec(1, 0.5), F,
             "The failureCondition `result[0] < 0.90` holds (0.5 is below the failure threshold "
             "0.90) and the successCondition `result[0] >= 0.95` does not hold (0.5 is below the "
             "success threshold 0.95).");
    explains("result[0] >= 0.95", NULL, vec(1, 0.5), F,
             "The successCondition `result[0] >= 0.95` does not hold (0.5 is below the success "
             "threshold 0.95). Only a successCondition is defined: the measurement is Failed "
             "whenever it does not hold.");
    explains(NULL, "0.1 < result", fd_value_float(0.05), S,
             "The failureCondition `0.1 < result` does not hold (0.05 is not above the failure "
             "threshold 0.1). Only a failureCondition is defined: the measurement is Successful "
             "whenever it does not hold.");
    explains("result >= 0.95", "result < 0.90", fd_value_float(NAN), I,
             "The result is NaN and every comparison with NaN is false: neither condition holds.");
    explains("result[0] > 0 && result[1] > 0", "result[0] < 0", vec(2, 1.0, 0.0), I,
             "Neither the successCondition `result[0] > 0 && result[1] > 0` nor the "
             "failureCondition `result[0] < 0` (1 is not below the failure threshold 0) holds.");
    explains(
        NULL, NULL, vec(0), S,
        "No successCondition or failureCondition is defined: every measurement is Successful.");
    explains("result[0] > 1", NULL, vec(0), E,
             "could not evaluate successCondition \"result[0] > 1\": metric result is nil or "
             "empty: no data returned from the metric provider.");
}
END_TEST

/* ---- replay -------------------------------------------------------------- */
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

/* success-rate: count 5 a minute apart, failureLimit 1; the 3rd and 4th
 * values are below 0.95, so the controller failed the run at the 4th and
 * never took a 5th. */
static const char recorded[] =
    "{\"metadata\":{\"name\":\"web-abc-2\"},\"spec\":{\"metrics\":[{\"name\":\"success-rate\","
    "\"interval\":\"1m\",\"count\":5,\"failureLimit\":1,"
    "\"successCondition\":\"result[0] >= 0.95\",\"provider\":{\"prometheus\":{\"query\":\"q\"}}}]},"
    "\"status\":{\"phase\":\"Failed\",\"startedAt\":\"2024-01-01T00:00:00Z\","
    "\"message\":\"Metric \\\"success-rate\\\" assessed Failed due to failed (2) > failureLimit "
    "(1)\","
    "\"metricResults\":[{\"name\":\"success-rate\",\"phase\":\"Failed\",\"count\":4,"
    "\"successful\":2,\"failed\":2,\"measurements\":["
    "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:00:00Z\",\"finishedAt\":\"2024-01-"
    "01T00:00:00Z\",\"value\":\"[0.99]\"},"
    "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:01:00Z\",\"finishedAt\":\"2024-01-"
    "01T00:01:00Z\",\"value\":\"[0.97]\"},"
    "{\"phase\":\"Failed\",\"startedAt\":\"2024-01-01T00:02:00Z\",\"finishedAt\":\"2024-01-01T00:"
    "02:01Z\",\"value\":\"[0.93]\"},"
    "{\"phase\":\"Failed\",\"startedAt\":\"2024-01-01T00:03:01Z\",\"finishedAt\":\"2024-01-01T00:"
    "03:01Z\",\"value\":\"[0.91]\"}]}]}}";

START_TEST(replay_reproduces_recorded_run)
{
    struct fd_analysis_run *run = run_json(recorded);
    struct fd_analysis_replay out;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_replay(run, NULL, 0, &out, &err), FD_OK);
    ck_phase(out.run->phase, F);
    ck_assert_str_eq(
        out.run->message,
        "Metric \"success-rate\" assessed Failed due to failed (2) > failureLimit (1)");
    ck_assert_uint_eq(out.n_steps, 4);
    ck_phase(out.steps[2].run_phase, R);
    ck_phase(out.steps[3].run_phase, F);
    for (size_t i = 0; i < out.n_steps; i++)
        ck_assert(!out.steps[i].ignored);
    ck_assert_int_eq(out.run->results[0].count, 4);
    ck_assert_int_eq(out.run->run_summary.failed, 1);
    ck_assert_uint_eq(out.n_warnings, 0);
    fd_analysis_replay_free(&out);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(replay_with_overrides)
{
    struct fd_analysis_run *run = run_json(recorded);
    struct fd_analysis_replay out;
    char *err = NULL;

    /* failureLimit 0: the run would have failed at the 3rd, the 4th is ignored */
    struct fd_analysis_override strict = {.metric = "success-rate", .failure_limit = {true, 0}};
    ck_assert_int_eq(fd_analysis_replay(run, &strict, 1, &out, &err), FD_OK);
    ck_phase(out.run->phase, F);
    ck_assert_str_eq(
        out.run->message,
        "Metric \"success-rate\" assessed Failed due to failed (1) > failureLimit (0)");
    ck_assert(out.steps[3].ignored);
    ck_assert_str_eq(out.steps[3].reason, "run already Failed");
    fd_analysis_replay_free(&out);

    /* a looser condition re-judges the values: all four pass, count 5 not reached */
    struct fd_analysis_override loose = {.success_condition = "result[0] >= 0.90"};
    ck_assert_int_eq(fd_analysis_replay(run, &loose, 1, &out, &err), FD_OK);
    ck_phase(out.run->phase, R);
    ck_phase(out.steps[3].recorded, F);
    ck_phase(out.steps[3].judged, S);
    ck_assert_uint_eq(out.n_warnings, 1);
    ck_assert_str_eq(out.warnings[0], "metric \"success-rate\": the recorded measurements ran out "
                                      "while it was still Running");
    fd_analysis_replay_free(&out);

    /* ...and with count 3 the run succeeds; the 4th would not have been taken */
    struct fd_analysis_override both[] = {{.success_condition = "result[0] >= 0.90"},
                                          {.metric = "success-rate", .count = {true, 3}}};
    ck_assert_int_eq(fd_analysis_replay(run, both, 2, &out, &err), FD_OK);
    ck_phase(out.run->phase, S);
    ck_assert(out.steps[3].ignored);
    fd_analysis_replay_free(&out);

    /* an inconclusive band: the 0.93 measurement becomes Inconclusive */
    struct fd_analysis_override band = {.success_condition = "result[0] >= 0.95",
                                        .failure_condition = "result[0] < 0.90"};
    ck_assert_int_eq(fd_analysis_replay(run, &band, 1, &out, &err), FD_OK);
    ck_phase(out.steps[2].judged, I);
    ck_phase(out.run->phase, I);
    ck_assert_str_eq(out.run->message, "Metric \"success-rate\" assessed Inconclusive due to "
                                       "inconclusive (1) > inconclusiveLimit (0)");
    fd_analysis_replay_free(&out);

    /* a condition that does not compile makes every judged measurement Error */
    struct fd_analysis_override broken = {.success_condition = "result > 0.9"};
    ck_assert_int_eq(fd_analysis_replay(run, &broken, 1, &out, &err), FD_OK);
    ck_phase(out.steps[0].judged, E);
    ck_assert_int_eq(out.run->results[0].count, 0);
    ck_assert_int_eq(out.run->results[0].error, 4);
    ck_phase(out.run->phase, R); /* 4 consecutive errors are tolerated */
    fd_analysis_replay_free(&out);

    struct fd_analysis_override nobody = {.metric = "latency", .count = {true, 1}};
    ck_assert_int_eq(fd_analysis_replay(run, &nobody, 1, &out, &err), FD_INVALID);
    ck_assert_str_eq(err, "override: the run has no metric \"latency\"");
    free(err);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(replay_ignores_what_the_controller_would_not_take)
{
    /* too early for the interval, then after the metric completed */
    struct fd_analysis_run *run = run_json(
        "{\"spec\":{\"metrics\":[{\"name\":\"m\",\"interval\":\"1m\",\"count\":2,"
        "\"provider\":{\"job\":{}}}]},"
        "\"status\":{\"startedAt\":\"2024-01-01T00:00:00Z\",\"metricResults\":[{\"name\":\"m\","
        "\"count\":4,\"measurements\":["
        "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:00:00Z\",\"finishedAt\":\"2024-01-"
        "01T00:00:00Z\"},"
        "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:00:30Z\",\"finishedAt\":\"2024-01-"
        "01T00:00:30Z\"},"
        "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:01:00Z\",\"finishedAt\":\"2024-01-"
        "01T00:01:00Z\"},"
        "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:02:00Z\",\"finishedAt\":\"2024-01-"
        "01T00:02:00Z\"}]}]}}");
    struct fd_analysis_replay out;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_replay(run, NULL, 0, &out, &err), FD_OK);
    ck_assert(!out.steps[0].ignored);
    ck_assert(out.steps[1].ignored);
    ck_assert_str_eq(out.steps[1].reason, "interval 1m not elapsed since the previous measurement");
    ck_assert(!out.steps[2].ignored);
    ck_assert(out.steps[3].ignored);
    ck_assert_str_eq(out.steps[3].reason, "run already Successful");
    ck_phase(out.run->phase, S);
    fd_analysis_replay_free(&out);
    fd_analysis_run_free(run);
}
END_TEST

START_TEST(replay_trimmed_history_and_termination)
{
    struct fd_analysis_run *run =
        run_json("{\"spec\":{\"terminate\":true,\"metrics\":[{\"name\":\"m\",\"interval\":\"1m\","
                 "\"provider\":{\"job\":{}}}]},"
                 "\"status\":{\"metricResults\":[{\"name\":\"m\",\"count\":12,\"successful\":12,"
                 "\"measurements\":["
                 "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:10:00Z\",\"finishedAt\":"
                 "\"2024-01-01T00:10:00Z\"},"
                 "{\"phase\":\"Successful\",\"startedAt\":\"2024-01-01T00:11:00Z\",\"finishedAt\":"
                 "\"2024-01-01T00:11:00Z\"}]}]}}");
    struct fd_analysis_replay out;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_replay(run, NULL, 0, &out, &err), FD_OK);
    ck_assert_uint_eq(out.n_warnings, 1);
    ck_assert_str_eq(out.warnings[0], "metric \"m\": 10 earlier measurement(s) were trimmed from "
                                      "the history; the replay starts from the oldest one kept");
    ck_phase(out.run->phase, S);
    ck_assert_str_eq(out.run->message, "Run Terminated");
    fd_analysis_replay_free(&out);
    fd_analysis_run_free(run);
}
END_TEST

/* Measurements taken at the same time belong to one reconcile: a sibling's
 * measurement taken alongside the one that ends the run still counts, one
 * taken later does not. */
START_TEST(replay_same_time_is_one_reconcile)
{
    struct fd_analysis_run *run = run_json(
        "{\"spec\":{\"metrics\":["
        "{\"name\":\"a\",\"interval\":\"1m\",\"count\":3,\"successCondition\":\"result[0] >= "
        "0.95\","
        "\"failureCondition\":\"result[0] < 0.8\",\"provider\":{\"prometheus\":{\"query\":\"q\"}}},"
        "{\"name\":\"b\",\"interval\":\"1m\",\"count\":3,\"successCondition\":\"result < 0.5\","
        "\"provider\":{\"prometheus\":{\"query\":\"q\"}}}]},"
        "\"status\":{\"startedAt\":\"2024-01-01T01:00:00Z\",\"metricResults\":["
        "{\"name\":\"a\",\"measurements\":["
        "{\"phase\":\"Successful\",\"value\":\"[0.97]\",\"startedAt\":\"2024-01-01T01:00:00Z\","
        "\"finishedAt\":\"2024-01-01T01:00:00Z\"},"
        "{\"phase\":\"Inconclusive\",\"value\":\"[0.93]\",\"startedAt\":\"2024-01-01T01:01:01Z\","
        "\"finishedAt\":\"2024-01-01T01:01:01Z\"}]},"
        "{\"name\":\"b\",\"measurements\":["
        "{\"phase\":\"Successful\",\"value\":\"0.31\",\"startedAt\":\"2024-01-01T01:00:00Z\","
        "\"finishedAt\":\"2024-01-01T01:00:00Z\"},"
        "{\"phase\":\"Successful\",\"value\":\"0.42\",\"startedAt\":\"2024-01-01T01:01:01Z\","
        "\"finishedAt\":\"2024-01-01T01:01:01Z\"},"
        "{\"phase\":\"Successful\",\"value\":\"0.40\",\"startedAt\":\"2024-01-01T01:02:02Z\","
        "\"finishedAt\":\"2024-01-01T01:02:02Z\"}]}]}}");
    struct fd_analysis_replay out;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_replay(run, NULL, 0, &out, &err), FD_OK);
    ck_assert_uint_eq(out.n_steps, 5);
    /* 01:01:01: a (Inconclusive) and b in the same reconcile */
    ck_assert_uint_eq(out.steps[2].metric, 0);
    ck_assert_uint_eq(out.steps[3].metric, 1);
    ck_assert(!out.steps[2].ignored);
    ck_assert_msg(!out.steps[3].ignored, "b at 01:01:01 ignored: %s", out.steps[3].reason);
    ck_phase(out.steps[3].run_phase, I);
    ck_phase(out.steps[2].run_phase, I);
    /* 01:02:02: the run had ended */
    ck_assert(out.steps[4].ignored);
    ck_assert_str_eq(out.steps[4].reason, "run already Inconclusive");
    ck_assert_int_eq(fd_analysis_run_result(out.run, "b")->count, 2);
    ck_phase(out.run->phase, I);
    fd_analysis_replay_free(&out);

    /* a metric that completed (count 1) ignores a later measurement taken in
     * the same reconcile as its sibling's */
    struct fd_analysis_override ov;
    memset(&ov, 0, sizeof(ov));
    ov.metric = "b";
    ov.count = (struct fd_analysis_int){true, 1};
    ck_assert_int_eq(fd_analysis_replay(run, &ov, 1, &out, &err), FD_OK);
    ck_assert(!out.steps[2].ignored);
    ck_assert(out.steps[3].ignored);
    ck_assert_str_eq(out.steps[3].reason, "metric already Successful");
    fd_analysis_replay_free(&out);

    /* an override that Argo's validation refuses makes the run Error */
    ov.metric = "a";
    ov.count = (struct fd_analysis_int){true, 1};
    ov.failure_limit = (struct fd_analysis_int){true, 2};
    ck_assert_int_eq(fd_analysis_replay(run, &ov, 1, &out, &err), FD_OK);
    ck_phase(out.run->phase, E);
    ck_assert_str_eq(out.run->message,
                     "Analysis spec invalid: metrics[0]: count (1) must be >= failureLimit + "
                     "consecutiveSuccessLimit (2 + 0) if both >= 0");
    ck_assert(out.steps[0].ignored);
    ck_assert_str_eq(out.steps[0].reason, "run already Error");
    fd_analysis_replay_free(&out);
    fd_analysis_run_free(run);
}
END_TEST

static json_t *jparse(const char *text)
{
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);

    ck_assert_msg(j != NULL, "bad test JSON: %s", jerr.text);
    return j;
}

/* Kargo's flattenTemplates: concatenation, and its three refusals. */
START_TEST(kargo_flatten_templates)
{
    json_t *t[3];
    char *err = NULL;

    t[0] = jparse("{\"kind\":\"AnalysisTemplate\",\"metadata\":{\"name\":\"a\"},\"spec\":{"
                  "\"args\":[{\"name\":\"svc\"},{\"name\":\"env\",\"value\":\"prod\"}],"
                  "\"metrics\":[{\"name\":\"m1\"}],\"dryRun\":[{\"metricName\":\"m1\"}]}}");
    t[1] = jparse("{\"kind\":\"ClusterAnalysisTemplate\",\"metadata\":{\"name\":\"b\"},\"spec\":{"
                  "\"args\":[{\"name\":\"svc\",\"value\":\"web\"},{\"name\":\"env\"}],"
                  "\"metrics\":[{\"name\":\"m2\"}],"
                  "\"measurementRetention\":[{\"metricName\":\".*\",\"limit\":5}]}}");
    json_t *flat = fd_analysis_kargo_flatten(t, 2, "shop/prod", &err);
    ck_assert_msg(flat != NULL, "%s", err);
    json_t *want = jparse(
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"AnalysisTemplate\","
        "\"metadata\":{\"name\":\"shop/prod\"},\"spec\":{"
        "\"metrics\":[{\"name\":\"m1\"},{\"name\":\"m2\"}],\"dryRun\":[{\"metricName\":\"m1\"}],"
        "\"measurementRetention\":[{\"metricName\":\".*\",\"limit\":5}],"
        "\"args\":[{\"name\":\"svc\",\"value\":\"web\"},{\"name\":\"env\",\"value\":\"prod\"}]}}");
    if (!json_equal(flat, want)) {
        char *got = json_dumps(flat, JSON_SORT_KEYS);
        ck_abort_msg("flattened: %s", got);
    }
    json_decref(want);
    json_decref(flat);

    t[2] = jparse("{\"metadata\":{\"name\":\"c\"},\"spec\":{\"metrics\":[{\"name\":\"m1\"}]}}");
    ck_assert_ptr_null(fd_analysis_kargo_flatten(t, 3, "x", &err));
    ck_assert_str_eq(err, "flatten metrics: duplicate metric name: \"m1\"");
    free(err);
    json_decref(t[2]);
    t[2] = jparse("{\"spec\":{\"args\":[{\"name\":\"env\",\"value\":\"dev\"}]}}");
    ck_assert_ptr_null(fd_analysis_kargo_flatten(t, 3, "x", &err));
    ck_assert_str_eq(err, "flatten arguments: conflicting values for argument \"env\": "
                          "\"prod\" and \"dev\"");
    free(err);
    json_decref(t[2]);
    t[2] = jparse("{\"spec\":{\"dryRun\":[{\"metricName\":\"m1\"}]}}");
    ck_assert_ptr_null(fd_analysis_kargo_flatten(t, 3, "x", &err));
    ck_assert_str_eq(err, "flatten dry-run metrics: validate dry-run metrics: duplicate dry-run "
                          "metric name: \"m1\"");
    free(err);
    json_decref(t[2]);
    t[2] = jparse("{\"spec\":[]}");
    ck_assert_ptr_null(fd_analysis_kargo_flatten(t, 3, "x", &err));
    ck_assert_str_eq(err, "template (unnamed): spec: expected an object");
    free(err);
    json_decref(t[2]);
    json_decref(t[0]);
    json_decref(t[1]);
}
END_TEST

/* The verification args as Kargo evaluates them. */
START_TEST(kargo_verification_args)
{
    json_t *stage = jparse("{\"metadata\":{\"name\":\"prod\",\"namespace\":\"shop\"},\"spec\":{"
                           "\"vars\":[{\"name\":\"base\",\"value\":\"check\"},"
                           "{\"name\":\"svc\",\"value\":\"${{ vars.base + 'out' }}\"}],"
                           "\"verification\":{\"args\":["
                           "{\"name\":\"service\",\"value\":\"${{ vars.svc }}-${{ ctx.stage }}\"},"
                           "{\"name\":\"project\",\"value\":\"${{ ctx.project }}\"},"
                           "{\"name\":\"literal\",\"value\":\"as is\"},"
                           "{\"name\":\"empty\",\"value\":\"\"}]}}}");
    struct fd_analysis_arg given[1] = {
        {(char *)(uintptr_t) "literal", (char *)(uintptr_t) "over", false, false}};
    size_t n = 0;
    char *err = NULL;
    struct fd_analysis_arg *a =
        fd_analysis_kargo_verification_args(stage, given, 1, NULL, &n, &err);

    ck_assert_msg(a != NULL, "%s", err);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(a[0].name, "service");
    ck_assert_str_eq(a[0].value, "checkout-prod");
    ck_assert_str_eq(a[1].value, "shop");
    ck_assert_str_eq(a[2].value, "over");
    ck_assert_ptr_null(a[3].value);
    for (size_t i = 0; i < n; i++)
        fd_analysis_arg_free(&a[i]);
    free(a);
    json_decref(stage);

    stage = jparse("{\"metadata\":{\"name\":\"prod\",\"namespace\":\"shop\"},\"spec\":{"
                   "\"verification\":{\"args\":[{\"name\":\"n\",\"value\":\"${{ 1 + 2 }}\"}]}}}");
    /* Kargo re-types a lone expression's result: 3 is a float64. */
    ck_assert_ptr_null(fd_analysis_kargo_verification_args(stage, NULL, 0, NULL, &n, &err));
    ck_assert_str_eq(err, "evaluated argument \"n\" value is not a string but float64");
    free(err);
    json_decref(stage);

    stage = jparse("{\"metadata\":{\"name\":\"prod\",\"namespace\":\"shop\"},\"spec\":{"
                   "\"verification\":{\"args\":[{\"name\":\"tag\","
                   "\"value\":\"${{ imageFrom('ghcr.io/x').Tag }}\"}]}}}");
    ck_assert_ptr_null(fd_analysis_kargo_verification_args(stage, NULL, 0, NULL, &n, &err));
    ck_assert_msg(strstr(err, "evaluate argument \"tag\": ") == err, "%s", err);
    ck_assert_msg(strstr(err, "imageFrom() reads the Stage's Freight and the project's objects, "
                              "which this evaluation was not given") != NULL,
                  "%s", err);
    free(err);
    /* --arg gives it instead, unevaluated */
    struct fd_analysis_arg tag = {(char *)(uintptr_t) "tag", (char *)(uintptr_t) "v1.2.3", false,
                                  false};
    a = fd_analysis_kargo_verification_args(stage, &tag, 1, NULL, &n, &err);
    ck_assert_msg(a != NULL, "%s", err);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(a[0].value, "v1.2.3");
    fd_analysis_arg_free(&a[0]);
    free(a);
    json_decref(stage);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("analysis-eval");
    TCase *tc = tcase_create("eval");

    tcase_add_test(tc, evaluate_outcomes);
    tcase_add_test(tc, evaluate_errors);
    tcase_add_test(tc, evaluate_web_json);
    tcase_add_test(tc, values_from_measurements);
    tcase_add_test(tc, explanations);
    tcase_add_test(tc, replay_reproduces_recorded_run);
    tcase_add_test(tc, replay_with_overrides);
    tcase_add_test(tc, replay_ignores_what_the_controller_would_not_take);
    tcase_add_test(tc, replay_trimmed_history_and_termination);
    tcase_add_test(tc, replay_same_time_is_one_reconcile);
    tcase_add_test(tc, kargo_flatten_templates);
    tcase_add_test(tc, kargo_verification_args);
    suite_add_tcase(s, tc);
    return s;
}
