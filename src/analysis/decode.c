/* analysis/decode.c: AnalysisRun / AnalysisTemplate JSON (as the API serves
 * it) into the analysis structs. Unknown fields are ignored; a field of the
 * wrong type is an error naming its path. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
    char *err;
    struct fd_analysis_arg *args; /* the args with a value, to resolve "{{args.n}}" integers */
    size_t n_args;
};

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

static bool type_error(struct ctx *c, const char *path, const char *want, const json_t *got)
{
    if (!c->err)
        c->err = fd_xasprintf("%s: expected %s, got %s", path, want, json_kind(got));
    return false;
}

/* A missing or null field leaves *out NULL. */
static bool get_string(struct ctx *c, const json_t *obj, const char *key, const char *path,
                       char **out)
{
    const json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        char *p = fd_xasprintf("%s.%s", path, key);
        type_error(c, p, "a string", v);
        free(p);
        return false;
    }
    *out = fd_json_text(v); /* a NUL shown as ␀, never a silent cut (util.h) */
    return true;
}

/* The same for a field whose values repeat across runs (the metrics of a
 * template): *out is interned, freed with fd_free_str (analysis/model.c). */
static bool get_istring(struct ctx *c, const json_t *obj, const char *key, const char *path,
                        char **out)
{
    if (!get_string(c, obj, key, path, out))
        return false;
    if (*out) {
        char *own = *out;
        *out = fd_intern(own, strlen(own));
        free(own);
    }
    return true;
}

static bool get_bool(struct ctx *c, const json_t *obj, const char *key, const char *path, bool *out)
{
    const json_t *v = json_object_get(obj, key);

    *out = false;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_boolean(v)) {
        char *p = fd_xasprintf("%s.%s", path, key);
        type_error(c, p, "a boolean", v);
        free(p);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

static bool parse_int_text(const char *s, int64_t *out)
{
    char *end;

    if (!*s)
        return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

/* An IntOrString (or plain integer) field; strings may hold {{args.x}}. */
static bool get_int(struct ctx *c, const json_t *obj, const char *key, const char *path,
                    struct fd_analysis_int *out)
{
    const json_t *v = json_object_get(obj, key);
    char *p;

    out->set = false;
    out->value = 0;
    if (!v || json_is_null(v))
        return true;
    if (json_is_integer(v)) {
        out->set = true;
        out->value = json_integer_value(v);
        return true;
    }
    p = fd_xasprintf("%s.%s", path, key);
    if (json_is_string(v)) {
        char *err = NULL;
        char *s = fd_analysis_resolve_args(json_string_value(v), c->args, c->n_args, false, &err);
        if (s && parse_int_text(s, &out->value)) {
            out->set = true;
            free(s);
            free(p);
            return true;
        }
        if (!c->err) {
            if (err)
                c->err = fd_xasprintf("%s: %s", p, err);
            else
                c->err = fd_xasprintf("%s: \"%s\" is not an integer", p, s);
        }
        free(err);
        free(s);
        free(p);
        return false;
    }
    type_error(c, p, "an integer or a string", v);
    free(p);
    return false;
}

static bool get_time(struct ctx *c, const json_t *obj, const char *key, const char *path,
                     int64_t *out)
{
    char *s;

    *out = FD_ANALYSIS_NO_TIME;
    if (!get_string(c, obj, key, path, &s))
        return false;
    if (!s)
        return true;
    if (!fd_time_parse_rfc3339(s, out)) {
        if (!c->err)
            c->err = fd_xasprintf("%s.%s: \"%s\" is not an RFC 3339 time", path, key, s);
        free(s);
        return false;
    }
    free(s);
    return true;
}

static bool get_phase(struct ctx *c, const json_t *obj, const char *key, const char *path,
                      enum fd_analysis_phase *out)
{
    char *s;

    *out = FD_ANALYSIS_PHASE_NONE;
    if (!get_string(c, obj, key, path, &s))
        return false;
    if (s && !fd_analysis_phase_parse(s, out)) {
        if (!c->err)
            c->err = fd_xasprintf("%s.%s: unknown phase \"%s\"", path, key, s);
        free(s);
        return false;
    }
    free(s);
    return true;
}

static bool get_array(struct ctx *c, const json_t *obj, const char *key, const char *path,
                      const json_t **out)
{
    const json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_array(v)) {
        char *p = fd_xasprintf("%s.%s", path, key);
        type_error(c, p, "an array", v);
        free(p);
        return false;
    }
    *out = v;
    return true;
}

static bool check_object(struct ctx *c, const json_t *v, const char *path)
{
    if (json_is_object(v))
        return true;
    return type_error(c, path, "an object", v);
}

static enum fd_analysis_provider provider_kind(const char *name)
{
    if (fd_streq(name, "prometheus"))
        return FD_ANALYSIS_PROVIDER_PROMETHEUS;
    if (fd_streq(name, "web"))
        return FD_ANALYSIS_PROVIDER_WEB;
    if (fd_streq(name, "job"))
        return FD_ANALYSIS_PROVIDER_JOB;
    return FD_ANALYSIS_PROVIDER_OTHER;
}

static bool decode_metric(struct ctx *c, const json_t *j, const char *path,
                          struct fd_analysis_metric *m)
{
    memset(m, 0, sizeof(*m));
    if (!check_object(c, j, path))
        return false;
    if (!get_istring(c, j, "name", path, &m->name) ||
        !get_istring(c, j, "interval", path, &m->interval) ||
        !get_istring(c, j, "initialDelay", path, &m->initial_delay) ||
        !get_istring(c, j, "successCondition", path, &m->success_condition) ||
        !get_istring(c, j, "failureCondition", path, &m->failure_condition) ||
        !get_int(c, j, "count", path, &m->count) ||
        !get_int(c, j, "failureLimit", path, &m->failure_limit) ||
        !get_int(c, j, "inconclusiveLimit", path, &m->inconclusive_limit) ||
        !get_int(c, j, "consecutiveErrorLimit", path, &m->consecutive_error_limit) ||
        !get_int(c, j, "consecutiveSuccessLimit", path, &m->consecutive_success_limit))
        return false;
    if (!m->name && !c->err)
        c->err = fd_xasprintf("%s.name: missing", path);
    if (!m->name)
        return false;
    json_t *prov = json_object_get(j, "provider");
    if (prov && !json_is_null(prov)) {
        char *p = fd_xasprintf("%s.provider", path);
        bool ok = check_object(c, prov, p);
        if (ok) {
            const char *key;
            const json_t *val;
            json_object_foreach(prov, key, val)
            {
                if (json_is_null(val))
                    continue;
                /* ValidateMetric counts each plugin of provider.plugin. */
                if (strcmp(key, "plugin") == 0 && json_is_object(val))
                    m->n_providers += json_object_size(val);
                else
                    m->n_providers++;
                if (m->provider_name)
                    continue;
                m->provider_name = fd_intern(key, strlen(key));
                m->provider = provider_kind(key);
            }
            const json_t *pm = json_object_get(prov, "prometheus");
            if (json_is_object(pm)) {
                char *pp = fd_xasprintf("%s.prometheus", p);
                ok = get_istring(c, pm, "query", pp, &m->query);
                free(pp);
            }
        }
        free(p);
        if (!ok)
            return false;
    }
    return true;
}

enum fd_status fd_analysis_metric_from_json(const json_t *json, const char *path,
                                            struct fd_analysis_metric *m, char **err)
{
    struct ctx c = {NULL, NULL, 0};

    if (decode_metric(&c, json, path ? path : "metric", m)) {
        *err = NULL;
        return FD_OK;
    }
    fd_analysis_metric_free(m);
    *err = c.err ? c.err : fd_xstrdup("invalid metric");
    return FD_PARSE;
}

static bool decode_measurement(struct ctx *c, const json_t *j, const char *path,
                               struct fd_analysis_measurement *m)
{
    memset(m, 0, sizeof(*m));
    m->started_at = m->finished_at = m->resume_at = FD_ANALYSIS_NO_TIME;
    return check_object(c, j, path) && get_phase(c, j, "phase", path, &m->phase) &&
           get_time(c, j, "startedAt", path, &m->started_at) &&
           get_time(c, j, "finishedAt", path, &m->finished_at) &&
           get_time(c, j, "resumeAt", path, &m->resume_at) &&
           get_string(c, j, "value", path, &m->value) &&
           get_string(c, j, "message", path, &m->message);
}

static bool get_count(struct ctx *c, const json_t *obj, const char *key, const char *path,
                      int64_t *out)
{
    struct fd_analysis_int v;

    if (!get_int(c, obj, key, path, &v))
        return false;
    *out = v.set ? v.value : 0;
    return true;
}

static bool decode_result(struct ctx *c, const json_t *j, const char *path,
                          struct fd_analysis_metric_result *r)
{
    const json_t *ms;

    memset(r, 0, sizeof(*r));
    if (!check_object(c, j, path) || !get_string(c, j, "name", path, &r->name) ||
        !get_phase(c, j, "phase", path, &r->phase) ||
        !get_string(c, j, "message", path, &r->message) ||
        !get_count(c, j, "count", path, &r->count) ||
        !get_count(c, j, "successful", path, &r->successful) ||
        !get_count(c, j, "failed", path, &r->failed) ||
        !get_count(c, j, "inconclusive", path, &r->inconclusive) ||
        !get_count(c, j, "error", path, &r->error) ||
        !get_count(c, j, "consecutiveError", path, &r->consecutive_error) ||
        !get_count(c, j, "consecutiveSuccess", path, &r->consecutive_success) ||
        !get_bool(c, j, "dryRun", path, &r->dry_run) || !get_array(c, j, "measurements", path, &ms))
        return false;
    if (!r->name)
        r->name = fd_xstrdup("");
    r->measurements = fd_xcalloc(json_array_size(ms) + 1, sizeof(*r->measurements));
    for (size_t i = 0; i < json_array_size(ms); i++) {
        char *p = fd_xasprintf("%s.measurements[%zu]", path, i);
        bool ok = decode_measurement(c, json_array_get(ms, i), p, &r->measurements[i]);
        free(p);
        r->n_measurements = i + 1;
        if (!ok)
            return false;
    }
    return true;
}

static bool decode_summary(struct ctx *c, const json_t *j, const char *path,
                           struct fd_analysis_summary *s)
{
    memset(s, 0, sizeof(*s));
    if (!j || json_is_null(j))
        return true;
    return check_object(c, j, path) && get_count(c, j, "count", path, &s->count) &&
           get_count(c, j, "successful", path, &s->successful) &&
           get_count(c, j, "failed", path, &s->failed) &&
           get_count(c, j, "inconclusive", path, &s->inconclusive) &&
           get_count(c, j, "error", path, &s->error);
}

static bool decode_rules(struct ctx *c, const json_t *spec, const char *key, bool with_limit,
                         struct fd_analysis_rule **rules, size_t *n)
{
    const json_t *arr;

    *rules = NULL;
    *n = 0;
    if (!get_array(c, spec, key, "spec", &arr))
        return false;
    *rules = fd_xcalloc(json_array_size(arr) + 1, sizeof(**rules));
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *j = json_array_get(arr, i);
        char *p = fd_xasprintf("spec.%s[%zu]", key, i);
        struct fd_analysis_int limit = {false, 0};
        bool ok = check_object(c, j, p) &&
                  get_string(c, j, "metricName", p, &(*rules)[i].metric_name) &&
                  (!with_limit || get_int(c, j, "limit", p, &limit));
        free(p);
        *n = i + 1;
        (*rules)[i].limit = limit.value;
        if (!ok)
            return false;
        if (!(*rules)[i].metric_name)
            (*rules)[i].metric_name = fd_xstrdup("");
    }
    return true;
}

static bool decode_args(struct ctx *c, const json_t *spec, struct fd_analysis_run *run)
{
    const json_t *arr;

    if (!get_array(c, spec, "args", "spec", &arr))
        return false;
    run->args = fd_xcalloc(json_array_size(arr) + 1, sizeof(*run->args));
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *j = json_array_get(arr, i);
        char *p = fd_xasprintf("spec.args[%zu]", i);
        struct fd_analysis_arg *a = &run->args[i];
        bool ok = check_object(c, j, p) && get_string(c, j, "name", p, &a->name) &&
                  get_string(c, j, "value", p, &a->value);
        run->n_args = i + 1;
        if (ok && !a->name) {
            c->err = fd_xasprintf("%s.name: missing", p);
            ok = false;
        }
        free(p);
        if (!ok)
            return false;
        const json_t *vf = json_object_get(j, "valueFrom");
        a->value_from = vf && !json_is_null(vf);
    }
    /* valueFrom args get their value at measurement time: an integer field
     * that needs one cannot be decoded and says "failed to resolve". */
    c->args = fd_xcalloc(run->n_args + 1, sizeof(*c->args));
    for (size_t i = 0; i < run->n_args; i++)
        if (run->args[i].value)
            c->args[c->n_args++] = run->args[i];
    return true;
}

static bool decode_spec(struct ctx *c, const json_t *root, struct fd_analysis_run *run)
{
    const json_t *spec = json_object_get(root, "spec");
    const json_t *metrics;

    if (!spec || !check_object(c, spec, "spec"))
        return spec ? false : type_error(c, "spec", "an object", json_null());
    if (!decode_args(c, spec, run) || !get_array(c, spec, "metrics", "spec", &metrics) ||
        !get_bool(c, spec, "terminate", "spec", &run->terminate) ||
        !decode_rules(c, spec, "dryRun", false, &run->dry_run, &run->n_dry_run) ||
        !decode_rules(c, spec, "measurementRetention", true, &run->retention, &run->n_retention))
        return false;
    run->metrics = fd_xcalloc(json_array_size(metrics) + 1, sizeof(*run->metrics));
    for (size_t i = 0; i < json_array_size(metrics); i++) {
        char *p = fd_xasprintf("spec.metrics[%zu]", i);
        bool ok = decode_metric(c, json_array_get(metrics, i), p, &run->metrics[i]);
        free(p);
        run->n_metrics = i + 1;
        if (!ok)
            return false;
    }
    return true;
}

static bool decode_status(struct ctx *c, const json_t *root, struct fd_analysis_run *run)
{
    const json_t *st = json_object_get(root, "status");
    const json_t *results;

    if (!st || json_is_null(st))
        return true;
    if (!check_object(c, st, "status") || !get_phase(c, st, "phase", "status", &run->phase) ||
        !get_string(c, st, "message", "status", &run->message) ||
        !get_time(c, st, "startedAt", "status", &run->started_at) ||
        !get_time(c, st, "completedAt", "status", &run->completed_at) ||
        !decode_summary(c, json_object_get(st, "runSummary"), "status.runSummary",
                        &run->run_summary) ||
        !decode_summary(c, json_object_get(st, "dryRunSummary"), "status.dryRunSummary",
                        &run->dry_run_summary) ||
        !get_array(c, st, "metricResults", "status", &results))
        return false;
    run->results = fd_xcalloc(json_array_size(results) + 1, sizeof(*run->results));
    for (size_t i = 0; i < json_array_size(results); i++) {
        char *p = fd_xasprintf("status.metricResults[%zu]", i);
        bool ok = decode_result(c, json_array_get(results, i), p, &run->results[i]);
        free(p);
        run->n_results = i + 1;
        if (!ok)
            return false;
    }
    return true;
}

static struct fd_analysis_run *decode(const json_t *json, bool with_status, char **err)
{
    struct ctx c = {NULL, NULL, 0};
    struct fd_analysis_run *run = fd_xcalloc(1, sizeof(*run));
    const json_t *meta;

    run->started_at = run->completed_at = FD_ANALYSIS_NO_TIME;
    if (!check_object(&c, json, "(top level)"))
        goto fail;
    meta = json_object_get(json, "metadata");
    if (meta && !json_is_null(meta) &&
        (!check_object(&c, meta, "metadata") ||
         !get_string(&c, meta, "name", "metadata", &run->name) ||
         !get_string(&c, meta, "namespace", "metadata", &run->namespace)))
        goto fail;
    if (!decode_spec(&c, json, run))
        goto fail;
    if (with_status && !decode_status(&c, json, run))
        goto fail;
    *err = NULL;
    free(c.args);
    return run;
fail:
    *err = c.err ? c.err : fd_xstrdup("invalid AnalysisRun");
    free(c.args);
    fd_analysis_run_free(run);
    return NULL;
}

struct fd_analysis_run *fd_analysis_run_from_json(const json_t *json, char **err)
{
    return decode(json, true, err);
}

struct fd_analysis_run *fd_analysis_template_from_json(const json_t *json, char **err)
{
    return decode(json, false, err);
}
