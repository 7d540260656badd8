#ifndef FREIGHTDECK_ANALYSIS_H
#define FREIGHTDECK_ANALYSIS_H
/*
 * analysis: the decision logic of Argo Rollouts analysis (argo-rollouts
 * analysis/analysis.go, utils/analysis, utils/evaluate), as pure functions
 * over plain structs, so the simulator, the replay engine and the console
 * all judge measurements exactly as the controller does.
 *
 * Times are milliseconds since the Unix epoch; FD_ANALYSIS_NO_TIME means
 * "unset" (a nil *metav1.Time). Strings owned by a struct are freed by that
 * struct's _free function; "" and NULL are equivalent for optional strings.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "freightdeck/expr.h"
#include "freightdeck/prom.h"
#include "freightdeck/util.h"

/* ---- Phases -------------------------------------------------------------- */
/* X-macro: enum and the name Argo serialises cannot drift. */
/* clang-format off */
#define FD_ANALYSIS_PHASE_TABLE(_)                                         \
    _(NONE,         "",             "not assessed yet")                    \
    _(PENDING,      "Pending",      "no measurement taken yet")            \
    _(RUNNING,      "Running",      "measuring")                           \
    _(SUCCESSFUL,   "Successful",   "the condition held")                  \
    _(FAILED,       "Failed",       "the failure condition held")          \
    _(ERROR,        "Error",        "the measurement could not be judged") \
    _(INCONCLUSIVE, "Inconclusive", "neither condition held")
/* clang-format on */

enum fd_analysis_phase {
#define FD_ANALYSIS_PHASE_ENUM(id, name, help) FD_ANALYSIS_PHASE_##id,
    FD_ANALYSIS_PHASE_TABLE(FD_ANALYSIS_PHASE_ENUM)
#undef FD_ANALYSIS_PHASE_ENUM
        FD_ANALYSIS_PHASE__COUNT
};

/* Argo's name of a phase ("Successful"; "" for NONE); never NULL. */
const char *fd_analysis_phase_name(enum fd_analysis_phase p);
/* Parses Argo's name ("" is NONE). Returns false for anything else. */
bool fd_analysis_phase_parse(const char *name, enum fd_analysis_phase *out);
/* AnalysisPhase.Completed(): Successful, Failed, Error or Inconclusive. */
bool fd_analysis_phase_completed(enum fd_analysis_phase p);
/* utils/analysis IsWorse: true when candidate ranks worse than current in
 * Successful < Running < Pending < Inconclusive < Error < Failed. */
bool fd_analysis_phase_is_worse(enum fd_analysis_phase current, enum fd_analysis_phase candidate);

/* ---- Spec and status structs --------------------------------------------- */
#define FD_ANALYSIS_NO_TIME                           INT64_MIN
#define FD_ANALYSIS_DEFAULT_CONSECUTIVE_ERROR_LIMIT   4
#define FD_ANALYSIS_DEFAULT_MEASUREMENT_HISTORY_LIMIT 10
#define FD_ANALYSIS_ERROR_RETRY_MS                    10000 /* DefaultErrorRetryInterval */

/* An optional integer (a *intstr.IntOrString / *int32 in the Go types). */
struct fd_analysis_int {
    bool set;
    int64_t value;
};

enum fd_analysis_provider {
    FD_ANALYSIS_PROVIDER_NONE,
    FD_ANALYSIS_PROVIDER_PROMETHEUS, /* result is float64 or []float64 */
    FD_ANALYSIS_PROVIDER_WEB,        /* result is JSON */
    FD_ANALYSIS_PROVIDER_JOB,        /* no value; conditions unused */
    FD_ANALYSIS_PROVIDER_OTHER       /* any other provider, judged as JSON */
};

struct fd_analysis_metric {
    char *name;
    char *interval;      /* Go duration text; NULL when absent */
    char *initial_delay; /* Go duration text; NULL when absent */
    struct fd_analysis_int count;
    struct fd_analysis_int failure_limit;
    struct fd_analysis_int inconclusive_limit;
    struct fd_analysis_int consecutive_error_limit;
    struct fd_analysis_int consecutive_success_limit;
    char *success_condition; /* NULL or "" = none */
    char *failure_condition;
    enum fd_analysis_provider provider;
    char *provider_name; /* first key of spec.provider ("prometheus"); NULL if none */
    size_t n_providers;  /* providers set (each plugin counts), for validation */
    char *query;         /* provider.prometheus.query, if any */
};

struct fd_analysis_measurement {
    enum fd_analysis_phase phase;
    int64_t started_at;
    int64_t finished_at;
    int64_t resume_at;
    char *value;   /* NULL when absent */
    char *message; /* NULL when absent */
};

struct fd_analysis_metric_result {
    char *name;
    enum fd_analysis_phase phase;
    char *message;
    int64_t count, successful, failed, inconclusive, error;
    int64_t consecutive_error, consecutive_success;
    bool dry_run;
    struct fd_analysis_measurement *measurements; /* oldest first */
    size_t n_measurements;
};

struct fd_analysis_summary {
    int64_t count, successful, failed, inconclusive, error;
};

/* A dryRun[] or measurementRetention[] rule: an unanchored regexp. */
struct fd_analysis_rule {
    char *metric_name;
    int64_t limit; /* measurementRetention only */
};

struct fd_analysis_arg {
    char *name;
    char *value;     /* NULL when not supplied */
    bool value_from; /* valueFrom (secretKeyRef, fieldRef...) is set */
    bool secret;     /* the value came from Kargo's secret(): shown redacted */
};

struct fd_analysis_run {
    char *name;
    char *namespace;
    /* The expr release the controller judges with (re-judging in a replay);
     * FD_EXPR_V1_17 (0) unless the caller says otherwise. Not from JSON. */
    enum fd_expr_version expr_version;
    /* spec */
    struct fd_analysis_arg *args;
    size_t n_args;
    struct fd_analysis_metric *metrics;
    size_t n_metrics;
    struct fd_analysis_rule *dry_run;
    size_t n_dry_run;
    struct fd_analysis_rule *retention;
    size_t n_retention;
    bool terminate;
    /* status */
    enum fd_analysis_phase phase;
    char *message;
    int64_t started_at;
    int64_t completed_at;
    struct fd_analysis_summary run_summary;
    struct fd_analysis_summary dry_run_summary;
    struct fd_analysis_metric_result *results;
    size_t n_results;
};

void fd_analysis_metric_free(struct fd_analysis_metric *m); /* the contents */
void fd_analysis_measurement_free(struct fd_analysis_measurement *m);
void fd_analysis_metric_result_free(struct fd_analysis_metric_result *r);
void fd_analysis_arg_free(struct fd_analysis_arg *a);
/* Frees the run's contents and the run itself; NULL is allowed. */
void fd_analysis_run_free(struct fd_analysis_run *run);
/* A deep copy; the caller frees it with fd_analysis_run_free. */
struct fd_analysis_run *fd_analysis_run_copy(const struct fd_analysis_run *run);
void fd_analysis_metric_copy(struct fd_analysis_metric *dst, const struct fd_analysis_metric *src);

/* The result of metric `name`, or NULL when it has none yet. */
struct fd_analysis_metric_result *fd_analysis_run_result(const struct fd_analysis_run *run,
                                                         const char *name);
/* The result of `name`, created {phase: Running} when missing. */
struct fd_analysis_metric_result *fd_analysis_run_result_add(struct fd_analysis_run *run,
                                                             const char *name);

/* ---- Decoding the API's JSON -------------------------------------------- */
/* Decodes an AnalysisRun as the API serves it (unknown fields ignored,
 * integer-or-string fields accepted as either). Returns the run (caller frees
 * with fd_analysis_run_free), or NULL with *err set to a message naming the
 * field, e.g. "spec.metrics[1].name: expected a string" (caller frees). */
struct fd_analysis_run *fd_analysis_run_from_json(const json_t *json, char **err);
/* Decodes an AnalysisTemplate or ClusterAnalysisTemplate into a run with an
 * empty status (its spec.args, spec.metrics, spec.dryRun, measurementRetention).
 * Same contract as fd_analysis_run_from_json. */
struct fd_analysis_run *fd_analysis_template_from_json(const json_t *json, char **err);
/* Decodes one Metric object; path prefixes error messages ("spec.metrics[0]").
 * Returns FD_OK, or FD_PARSE with *err set (caller frees) and *m zeroed. */
enum fd_status fd_analysis_metric_from_json(const json_t *json, const char *path,
                                            struct fd_analysis_metric *m, char **err);

/* Parses a Go time.ParseDuration string into milliseconds (sub-millisecond
 * parts truncated). Returns FD_OK, or FD_PARSE with *err set to Go's wording
 * (`time: invalid duration "x"`); the caller frees *err. */
enum fd_status fd_analysis_parse_duration(const char *s, int64_t *ms, char **err);
/* RFC 3339 times: fd_time_parse_rfc3339 and fd_time_format_rfc3339 (util). */

/* ---- Measurement phase (utils/evaluate EvaluateResult) ------------------- */
/* Judges one result against the conditions (NULL or "" = absent). result is
 * the value the provider produced (NULL = nil); mode is FD_EXPR_MODE_ARGO or
 * FD_EXPR_MODE_ARGO_WEB. Returns the measurement phase; on Error, *message is
 * set to Argo's wording (caller frees), otherwise *message is NULL. */
enum fd_analysis_phase fd_analysis_evaluate(const char *success, const char *failure,
                                            const fd_value *result, enum fd_expr_mode mode,
                                            char **message);
/* Evaluates one condition to a bool as EvalCondition does. Returns FD_OK and
 * sets *out, or FD_INVALID with *err (caller frees) in Argo's wording without
 * the "could not evaluate" prefix. */
enum fd_status fd_analysis_eval_condition(const char *cond, const fd_value *result,
                                          enum fd_expr_mode mode, bool *out, char **err);

/* The result a stored measurement value stands for, for re-judging it:
 * Prometheus values ("0.97", "NaN", "[10,11]") become float64 / []float64,
 * other providers' values are parsed as JSON (a non-JSON value becomes a
 * string). Returns a new reference, or NULL with *err set (caller frees). */
fd_value *fd_analysis_value_from_measurement(enum fd_analysis_provider provider, const char *value,
                                             char **err);

/* ---- Counters, metric and run assessment --------------------------------- */
/* Applies one completed measurement's phase to the counters (runMeasurements).
 * Phases that are not completed change nothing. */
void fd_analysis_count(struct fd_analysis_metric_result *r, enum fd_analysis_phase phase);
/* EffectiveCount: returns false when the metric runs indefinitely. */
bool fd_analysis_effective_count(const struct fd_analysis_metric *m, int64_t *count);
/* assessMetricFailureInconclusiveOrError: the limit breached (NONE if none)
 * and, when msg is not NULL, its description "failed (1) > failureLimit (0)"
 * (caller frees; NULL when none). */
enum fd_analysis_phase fd_analysis_metric_limits(const struct fd_analysis_metric *m,
                                                 const struct fd_analysis_metric_result *r,
                                                 char **msg);
/* assessMetricStatus. */
enum fd_analysis_phase fd_analysis_assess_metric(const struct fd_analysis_metric *m,
                                                 const struct fd_analysis_metric_result *r,
                                                 bool terminating);
/* IsTerminating: spec.terminate, or a non-dry-run metric result Failed,
 * Error or Inconclusive. */
bool fd_analysis_is_terminating(const struct fd_analysis_run *run);

/* Which metrics the dryRun rules select (GetDryRunMetrics): fills dry[i] for
 * each spec metric. Returns FD_OK, or FD_INVALID with *err = "dryRun[0]: Rule
 * didn't match any metric name(s)" (caller frees). */
enum fd_status fd_analysis_dry_run_metrics(const struct fd_analysis_run *run, bool *dry,
                                           char **err);
/* garbageCollectMeasurements: keeps the newest limit measurements of each
 * metric. Counters are untouched. Returns FD_OK or FD_INVALID as above. */
enum fd_status fd_analysis_trim_measurements(struct fd_analysis_run *run, char **err);

/* ValidateMetrics (utils/analysis/factory.go) on the run's spec metrics, as
 * reconcileAnalysisRun applies it before anything is measured: at least one
 * metric, unique names, and per metric the limits, count, interval,
 * initialDelay and exactly one provider. Returns FD_OK, or FD_INVALID with
 * *err in Argo's wording, e.g. "metrics[1]: count must be >= failureLimit"
 * (caller frees). */
enum fd_status fd_analysis_validate_metrics(const struct fd_analysis_run *run, char **err);

/* The spec checks of a run done once instead of on every assessment: the
 * validation, and the dryRun and measurementRetention regexps, each compiled
 * once and matched against the metric names. Valid for the run it was made
 * from as long as its metrics (names, limits) do not change. */
struct fd_analysis_rules {
    size_t n_metrics;
    bool *dry;      /* per spec metric: a dryRun rule selects it */
    size_t *limits; /* per spec metric: measurements kept */
    char *error;    /* why the spec is invalid ("metrics[0]: ...", "dryRun[0]: Rule
                       didn't match any metric name(s)"); NULL when valid */
};
/* Compiles the rules of run. Returns the rules (never NULL; free with
 * fd_analysis_rules_free); an invalid spec is reported in rules->error. */
struct fd_analysis_rules *fd_analysis_rules_new(const struct fd_analysis_run *run);
void fd_analysis_rules_free(struct fd_analysis_rules *rules); /* NULL is allowed */

/* fd_analysis_assess_run with rules made by fd_analysis_rules_new(run):
 * what a caller that assesses the same run many times (replay, --watch)
 * uses. */
enum fd_analysis_phase fd_analysis_assess_run_rules(struct fd_analysis_run *run,
                                                    const struct fd_analysis_rules *rules,
                                                    int64_t now);
/* fd_analysis_trim_measurements with compiled rules; FD_INVALID (and *err,
 * caller frees) when the spec is invalid, nothing trimmed. */
enum fd_status fd_analysis_trim_measurements_rules(struct fd_analysis_run *run,
                                                   const struct fd_analysis_rules *rules,
                                                   char **err);

/* assessRunStatus followed by the status bookkeeping of reconcileAnalysisRun:
 * updates every metric result's phase/message/dryRun, the summaries, the
 * run's phase, message (only when the phase changes), startedAt (set to now
 * when unset) and completedAt. A spec that fails fd_analysis_validate_metrics
 * or a dryRun/measurementRetention rule that matches nothing makes the run
 * Error ("Analysis spec invalid: ...").
 * Returns the new run phase. A completed run is left as it is. */
enum fd_analysis_phase fd_analysis_assess_run(struct fd_analysis_run *run, int64_t now);

/* ---- Scheduling (generateMetricTasks / calculateNextReconcileTime) -------- */
enum fd_analysis_task {
    FD_ANALYSIS_TASK_NONE,    /* nothing to do for this metric now */
    FD_ANALYSIS_TASK_MEASURE, /* take a new measurement now */
    FD_ANALYSIS_TASK_RESUME   /* resume (or terminate) the in-flight one */
};

/* What the controller would do for spec metric i at time now. *next (may be
 * NULL) receives the time this metric next needs attention, or
 * FD_ANALYSIS_NO_TIME when never (completed, terminating, count reached,
 * unparsable duration). *why (may be NULL) gets a static phrase saying why no
 * task is due ("count 3 reached" is not static, so reasons are generic:
 * "metric completed", "run terminating", "count reached", "interval not
 * elapsed", "initial delay not elapsed", "run not started", "bad duration",
 * "in-flight measurement not due"). */
enum fd_analysis_task fd_analysis_task_for(const struct fd_analysis_run *run, size_t i, int64_t now,
                                           int64_t *next, const char **why);
/* The earliest *next over all metrics (the requeue time), or NO_TIME. */
int64_t fd_analysis_next_reconcile(const struct fd_analysis_run *run, int64_t now);

/* ---- Arguments (utils/template, utils/analysis MergeArgs) ----------------- */
/* Replaces every {{ tag }} in text (tags trimmed) by the JSON-string-escaped
 * value of args.<name> (ResolveQuotedArgs; quote=false is ResolveArgs).
 * Returns the new text (caller frees), or NULL with *err (caller frees):
 * `argument "x" was not supplied`, or "failed to resolve {{<tag>}}" naming the
 * last unresolved tag as written. */
char *fd_analysis_resolve_args(const char *text, const struct fd_analysis_arg *args, size_t n_args,
                               bool quote, char **err);
/* MergeArgs: template args with values overridden by incoming ones of the
 * same name (others dropped). Returns a new array of *n_out args (free each
 * with fd_analysis_arg_free, then the array), or NULL with *err =
 * "args.x was not resolved". */
struct fd_analysis_arg *fd_analysis_merge_args(const struct fd_analysis_arg *incoming,
                                               size_t n_incoming,
                                               const struct fd_analysis_arg *tmpl, size_t n_tmpl,
                                               size_t *n_out, char **err);

/* ---- Prometheus results (fd_prom_parse) as conditions see them ---------- */
/* The result value conditions see (float64 or []float64); a new reference. */
fd_value *fd_analysis_prom_result_value(const struct fd_prom_result *r);
/* Go's strconv.FormatFloat(v, 'f', -1, 64): "0.97", "10", "0.0000001",
 * "NaN", "+Inf", "-Inf". The caller frees the string. */
char *fd_analysis_format_float(double v);

/* ---- Which expr release judges ----------------------------------------------
 * Argo Rollouts v1.10 and later build with expr-lang/expr v1.17, v1.7 to v1.9
 * with github.com/antonmedv/expr v1.15.5 (each release's go.mod; v1.6 had
 * v1.15.3, judged here as v1.15). What freightdeck knows of the controller
 * decides, in this order: the --expr-version flag, the config file's
 * argoRollouts.exprVersion, the controller's image tag read from the
 * cluster, else v1.17. X-macro: enum, name, description. */
/* clang-format off */
#define FD_ANALYSIS_EXPR_SOURCE_TABLE(_)                                                         \
    _(DEFAULT, "default", "nothing says which release runs: the current one")                    \
    _(DETECTED, "detected", "the argo-rollouts controller's image tag in the cluster")           \
    _(CONFIG, "config", "argoRollouts.exprVersion in the config file")                           \
    _(FLAG, "flag", "--expr-version on the command line")
/* clang-format on */

enum fd_analysis_expr_source {
#define FD_ANALYSIS_EXPR_SOURCE_ENUM(id, name, help) FD_ANALYSIS_EXPR_##id,
    FD_ANALYSIS_EXPR_SOURCE_TABLE(FD_ANALYSIS_EXPR_SOURCE_ENUM)
#undef FD_ANALYSIS_EXPR_SOURCE_ENUM
        FD_ANALYSIS_EXPR__COUNT
};

/* The source's name ("detected"); never NULL. */
const char *fd_analysis_expr_source_name(enum fd_analysis_expr_source s);

struct fd_analysis_expr_choice {
    enum fd_expr_version version;
    enum fd_analysis_expr_source source;
    char why[256]; /* "argo-rollouts v1.9.3 (Deployment argo-rollouts/argo-rollouts)" */
};

/* The expr release an Argo Rollouts release judges with: "v1.9.3", "1.10",
 * "v1.10.0-rc1". Returns false when release is not vMAJOR.MINOR[...]. */
bool fd_analysis_expr_version_for_release(const char *release, enum fd_expr_version *out);

/* Reads the controller's release from an argo-rollouts Deployment (the
 * image tag of its container whose image names argo-rollouts) and fills
 * *out as DETECTED. Returns false with out->why saying why not (no such
 * container, a tag such as "latest" that names no release). */
bool fd_analysis_expr_detect(const json_t *deployment, struct fd_analysis_expr_choice *out);

/* Picks by precedence: flag (when flag_set), else config (when config_set,
 * config_where names the file:line), else *detected when its source is
 * DETECTED, else the default; why_not (may be NULL) says why nothing was
 * detected and goes into the default's why. */
void fd_analysis_expr_choose(bool flag_set, enum fd_expr_version flag, bool config_set,
                             enum fd_expr_version config, const char *config_where,
                             const struct fd_analysis_expr_choice *detected,
                             struct fd_analysis_expr_choice *out);

/* "expr 1.15 (detected: argo-rollouts v1.9.3 ...)"; the caller frees. */
char *fd_analysis_expr_choice_text(const struct fd_analysis_expr_choice *c);

/* ---- Replay ------------------------------------------------------------- */
/* Per-metric overrides for a replay; a NULL metric applies to every metric. */
struct fd_analysis_override {
    const char *metric;
    const char *success_condition; /* NULL = keep; "" = remove */
    const char *failure_condition;
    struct fd_analysis_int failure_limit;
    struct fd_analysis_int inconclusive_limit;
    struct fd_analysis_int consecutive_error_limit;
    struct fd_analysis_int count;
};

struct fd_analysis_replay_step {
    size_t metric;                    /* index into spec.metrics */
    size_t measurement;               /* index into the recorded measurements of that metric */
    int64_t at;                       /* when it was taken (startedAt, else finishedAt) */
    enum fd_analysis_phase recorded;  /* phase as recorded */
    enum fd_analysis_phase judged;    /* phase in the replay (re-judged if overridden) */
    bool ignored;                     /* the controller would not have taken it */
    char *reason;                     /* why ignored, or the re-judging message */
    enum fd_analysis_phase run_phase; /* run phase after this step */
};

struct fd_analysis_replay {
    struct fd_analysis_run *run; /* spec (with overrides) and the replayed status */
    struct fd_analysis_replay_step *steps;
    size_t n_steps;
    char **warnings; /* e.g. measurements trimmed by retention */
    size_t n_warnings;
};

/* Replays the recorded measurements of run in time order through the
 * reconcile logic, as if they arrived one by one, applying overrides first
 * (conditions re-judge the recorded values). Returns FD_OK and fills out (free
 * with fd_analysis_replay_free), or FD_INVALID with *err (caller frees) when
 * an override names no metric. */
enum fd_status fd_analysis_replay(const struct fd_analysis_run *run,
                                  const struct fd_analysis_override *overrides, size_t n_overrides,
                                  struct fd_analysis_replay *out, char **err);
void fd_analysis_replay_free(struct fd_analysis_replay *r);

/* ---- Kargo verification (pkg/rollouts, Kargo v1.11.2) --------------------- */
/* Kargo's AnalysisRunBuilder.buildSpec is flatten, then the verification
 * args, then merge; its errors read "build spec: flatten templates: <flatten's
 * error>" and "build spec: build arguments: <the args' or merge's error>". */
/* flattenTemplates (analysis_template.go): the n AnalysisTemplate /
 * ClusterAnalysisTemplate objects a Stage's verification names, as one
 * AnalysisTemplate called name: metrics, dryRun and measurementRetention
 * concatenated (the AnalysisTemplates first, then the
 * ClusterAnalysisTemplates, by their "kind"), args combined by name. Returns a new object, or NULL
 * with *err (caller frees) in Kargo's words: `flatten metrics: duplicate metric name: "x"`,
 * `flatten dry-run metrics: validate dry-run metrics: duplicate dry-run metric name: "x"`
 * (measurement retention likewise), `flatten arguments: conflicting values for argument "x": "a"
 * and "b"`. */
json_t *fd_analysis_kargo_flatten(json_t *const *templates, size_t n, const char *name, char **err);
/* buildSpec, whole: the n templates flattened (called name), the Stage's
 * verification args evaluated (fd_analysis_kargo_verification_args, given
 * and objs as there) and merged over the templates' (mergeArgs). Fills *b
 * (free it with fd_analysis_kargo_build_free): the flattened template, the
 * evaluated args (each with its .secret flag), and the AnalysisRun's spec
 * ({metrics, args merged, dryRun and measurementRetention when not empty}).
 * Returns false with *err (caller frees, no secret's value in it) as Kargo
 * chains it: "build spec: flatten templates: ..." or "build spec: build
 * arguments: ...". */
struct fd_analysis_kargo_build {
    json_t *flat;
    struct fd_analysis_arg *args;
    size_t n_args;
    json_t *spec;
};
bool fd_analysis_kargo_build(json_t *const *templates, size_t n, const char *name,
                             const json_t *stage, const struct fd_analysis_arg *given,
                             size_t n_given, struct fd_expr_kargo_objects *objs,
                             struct fd_analysis_kargo_build *b, char **err);
void fd_analysis_kargo_build_free(struct fd_analysis_kargo_build *b);
/* The args Kargo gives the AnalysisRun of a Stage's verification: each
 * spec.verification.args[].value evaluated as a ${{ }} template
 * (FD_EXPR_MODE_KARGO_TEMPLATE) against {ctx: {project, stage}, vars}, where
 * vars are the Stage's spec.vars evaluated in order (each sees the ones
 * before it; no vars key when the Stage has none); an empty value stays
 * unset. An arg named in given (the
 * command line's --arg) takes that value instead, unevaluated, and given
 * args the Stage does not list are added (Kargo v1.11.2's
 * AnalysisRunBuilder.buildArgs, pkg/rollouts/analysis_run_builder.go; the
 * simulator builds its AnalysisRuns with it too). Kargo's Freight and data
 * functions (commitFrom(), configMap(), secret() ...) read objs (NULL: they
 * fail saying so); its project, requested_freight and freight are taken
 * from the Stage when NULL (status.freightHistory[0] is the collection
 * verified), and objs->secrets collects what secret() read: an arg whose
 * value holds it has .secret set. Returns the args (*n_out of them; free
 * each with fd_analysis_arg_free, then the array), or NULL with *err (never
 * holding a secret's value): `evaluate variable "v": <expr error>`,
 * `evaluate argument "x": <expr error>`, or `evaluated argument "x" value is
 * not a string but float64`. */
struct fd_analysis_arg *fd_analysis_kargo_verification_args(const json_t *stage,
                                                            const struct fd_analysis_arg *given,
                                                            size_t n_given,
                                                            struct fd_expr_kargo_objects *objs,
                                                            size_t *n_out, char **err);

/* ---- Explanations -------------------------------------------------------- */
/* Judges a result like fd_analysis_evaluate and explains the outcome in plain
 * words: which condition held, or for Inconclusive where the value falls
 * between the thresholds of simple comparisons ("0.93 is below the success
 * threshold 0.95 and not below the failure threshold 0.90: neither condition
 * holds"), and when only one condition is defined. Returns the phase; *text is
 * set (caller frees), never NULL. */
enum fd_analysis_phase fd_analysis_explain(const char *success, const char *failure,
                                           const fd_value *result, enum fd_expr_mode mode,
                                           char **text);

/* ---- The Prometheus provider: spec and measurement (prom_provider.c) -------
 * metricproviders/prometheus of Argo Rollouts over the prom module's client,
 * for `freightdeck analyze` and the console's what-if view. */
/* spec.metrics[i].provider.prometheus after argument substitution. */
struct fd_analysis_prom_spec {
    struct fd_prom_config cfg; /* address may be NULL (not configured) */
    char *query;
    bool timeout_set;
    int64_t timeout_s; /* provider.prometheus.timeout; may be negative (an error) */
    bool range;        /* rangeQuery is set */
    char *range_start; /* expr time expressions, e.g. now() - duration("5m") */
    char *range_end;
    char *range_step; /* Go duration, e.g. "1m" */
    bool sigv4;       /* address contains "aps-workspaces" (not supported) */
    bool oauth2;      /* authentication.oauth2 is set (not supported) */
};

/* Decodes a provider.prometheus object. path prefixes error messages
 * ("spec.metrics[0].provider.prometheus"). Returns FD_OK, or FD_PARSE with
 * *err naming the field (caller frees) and *out zeroed. */
enum fd_status fd_analysis_prom_spec_from_json(const json_t *json, const char *path,
                                               struct fd_analysis_prom_spec *out, char **err);
void fd_analysis_prom_spec_free(struct fd_analysis_prom_spec *s);

/* Replaces {{args.x}} in every string of a JSON value as Argo's
 * ResolveMetricArgs does one metric: the serialised value is substituted with
 * strconv.Quote'd values, then parsed again. Returns a new reference, or NULL
 * with *err (caller frees) in fd_analysis_resolve_args's wording, or
 * json.Unmarshal's where a quoted value breaks the JSON ("invalid character
 * 'a' in string escape code": a control byte, invalid UTF-8, a rune Go cannot
 * print beyond U+FFFF). */
json_t *fd_analysis_resolve_json(const json_t *json, const struct fd_analysis_arg *args,
                                 size_t n_args, char **err);
/* fd_analysis_resolve_json of each item of a spec's metrics array in turn,
 * as the analysis controller resolves them: a new array (a value that is
 * no array is resolved whole), or NULL with the first failing metric's
 * *err. */
json_t *fd_analysis_resolve_metrics(const json_t *metrics, const struct fd_analysis_arg *args,
                                    size_t n_args, char **err);

/* How analyze runs a measurement beyond what the template says. */
struct fd_analysis_prom_options {
    const char *address;               /* overrides the template's address; NULL = keep */
    const char *bearer_token;          /* NULL = none */
    const char *ca_file;               /* NULL = system */
    bool insecure;                     /* force insecure TLS */
    int64_t now_ms;                    /* evaluation time: the instant query's time, and
                                          now() in rangeQuery start/end */
    enum fd_expr_version expr_version; /* the conditions' and rangeQuery's expr
                                          release; 0 is v1.17 */
};

struct fd_analysis_prom_measurement {
    enum fd_analysis_phase phase;
    char *value;       /* what the query returned ("[0.98]"); NULL when it
                          returned nothing usable. Argo stores it only when
                          the phase is not Error. */
    char *message;     /* Argo's measurement message on Error; NULL otherwise */
    char *explanation; /* why the phase, in plain words; never NULL */
    char *warnings;    /* `"w1", "w2"` or NULL */
    char *address;     /* the address used (redacted); NULL when none */
    char *request;     /* "POST .../api/v1/query time=..." (redacted); NULL if not sent */
    int64_t started_at, finished_at;
};

void fd_analysis_prom_measurement_free(struct fd_analysis_prom_measurement *m);

/* Takes one measurement of metric m (conditions already argument-resolved)
 * with the provider spec: resolves the address (opts->address, then the
 * spec's, then $ARGO_ROLLOUTS_PROMETHEUS_ADDRESS), checks it and the timeout
 * with Argo's messages, runs the instant or range query, parses the answer
 * with fd_prom_parse and judges it with fd_analysis_explain. Every
 * failure becomes a measurement with phase Error and Argo's message; never
 * fails otherwise. Free *out with fd_analysis_prom_measurement_free. */
void fd_analysis_prom_measure(const struct fd_analysis_metric *m,
                              const struct fd_analysis_prom_spec *spec,
                              const struct fd_analysis_prom_options *opts,
                              struct fd_analysis_prom_measurement *out);

/* Replaces every now() call outside string literals by date("<RFC 3339 of
 * now_ms>") so a rangeQuery start/end expression sees a fixed "now".
 * The caller frees the string. */
char *fd_analysis_pin_now(const char *expr, int64_t now_ms);

/* ---- A template ready to measure (prom_plan.c) ---------------------------- */
struct fd_analysis_plan_metric {
    const struct fd_analysis_metric *m; /* in the plan's run */
    bool supported;                     /* a Prometheus metric: spec is set */
    struct fd_analysis_prom_spec spec;
};

struct fd_analysis_plan {
    const char *kind; /* borrowed from the document (or set by the caller) */
    char *name;
    struct fd_analysis_run *run; /* args resolved; empty status */
    struct fd_analysis_plan_metric *metrics;
    size_t n_metrics;
    struct fd_analysis_arg *args; /* merged */
    size_t n_args;
};

/* Plans one AnalysisTemplate / ClusterAnalysisTemplate document (borrowed;
 * the plan borrows its kind string): merges the given args over the
 * template's (given_used[k], when not NULL, is set for each given arg the
 * template declares), substitutes them into the serialised metrics as Argo
 * does, decodes the metrics and each Prometheus metric's provider spec.
 * cli_hints adds "(pass --arg x=VALUE)" to argument errors. Returns true, or
 * false with *err = "<Kind> <name>: what" (caller frees); free *t with
 * fd_analysis_plan_free either way. */
bool fd_analysis_plan_template(const json_t *doc, const struct fd_analysis_arg *given,
                               size_t n_given, bool *given_used, bool cli_hints,
                               struct fd_analysis_plan *t, char **err);
void fd_analysis_plan_free(struct fd_analysis_plan *t);

/* ---- A dry run: a plan's metrics measured once now (dry_run.c) -------------
 * What `freightdeck analyze` and the console's what-if both ask: each
 * Prometheus metric measured once; the worst phase of those that count
 * (dryRun metrics are measured but never decide); and Argo's assessment of a
 * run whose first measurements these are. */

/* The worse of a and b as fd_analysis_phase_is_worse ranks them; NONE stands
 * for "nothing yet" and gives the other. */
enum fd_analysis_phase fd_analysis_phase_worse(enum fd_analysis_phase a, enum fd_analysis_phase b);

struct fd_analysis_dry_metric {
    const struct fd_analysis_plan_metric *mp; /* borrowed from the plan */
    bool dry;      /* selected by the dryRun rules: measured, never decides */
    bool measured; /* a supported metric: me is set */
    struct fd_analysis_prom_measurement me;
};

struct fd_analysis_dry {
    struct fd_analysis_dry_metric *metrics; /* one per plan metric, in order */
    size_t n_metrics;
    size_t measured;
    char *dry_error;                  /* the dryRun rules did not apply (then every metric
                                         counts): Argo's message; NULL when they did */
    enum fd_analysis_phase worst;     /* worst measurement that counts; NONE when none */
    enum fd_analysis_phase run_phase; /* the run's phase after these
                                         measurements; NONE when nothing measured */
    char *run_message;
};

/* Measures one supported metric (the default: fd_analysis_prom_measure);
 * a caller may answer without asking Prometheus, e.g. with an Error when no
 * address is configured. */
typedef void (*fd_analysis_measure_fn)(void *arg, const struct fd_analysis_plan_metric *mp,
                                       const struct fd_analysis_prom_options *po,
                                       struct fd_analysis_prom_measurement *out);

/* Measures every supported metric of p once with po (measure NULL: through
 * Prometheus) and judges the result as above. Never fails; free *out with
 * fd_analysis_dry_free. */
void fd_analysis_dry_run(const struct fd_analysis_plan *p,
                         const struct fd_analysis_prom_options *po, fd_analysis_measure_fn measure,
                         void *arg, struct fd_analysis_dry *out);
void fd_analysis_dry_free(struct fd_analysis_dry *d);

#endif /* FREIGHTDECK_ANALYSIS_H */
