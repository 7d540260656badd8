/* analysis/evaluate.c: a measurement's phase from its conditions
 * (utils/evaluate/evaluate.go EvaluateResult / EvalCondition). */
#include "config.h"

#include "freightdeck/analysis.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_DATA "metric result is nil or empty: no data returned from the metric provider"

static bool nil_or_empty(const fd_value *result)
{
    if (!result || fd_value_kind(result) == FD_VAL_NIL)
        return true;
    size_t n;
    return fd_value_kind(result) == FD_VAL_ARRAY && fd_value_len(result, &n) && n == 0;
}

enum fd_status fd_analysis_eval_condition(const char *cond, const fd_value *result,
                                          enum fd_expr_mode mode, bool *out, char **err)
{
    fd_value *env = fd_value_map_new();
    fd_value *res = NULL;
    struct fd_expr_error e;
    enum fd_status st = FD_OK;

    *err = NULL;
    *out = false;
    fd_value_map_set(env, "result", result ? fd_value_ref(result) : fd_value_nil());
    memset(&e, 0, sizeof(e));
    /* Argo unwraps expr's file.Error, so the message has no position. */
    if (fd_expr_eval(cond, strlen(cond), mode, env, &res, &e) != 0) {
        *err = fd_xstrdup(e.message);
        st = FD_INVALID;
    } else if (!fd_value_as_bool(res, out)) {
        *err = fd_xasprintf("expected bool, but got %s", fd_value_go_type(res));
        st = FD_INVALID;
    }
    fd_value_unref(res);
    fd_value_unref(env);
    return st;
}

static bool judge(const char *which, const char *cond, const fd_value *result,
                  enum fd_expr_mode mode, bool *out, char **message)
{
    char *err = NULL;

    if (fd_analysis_eval_condition(cond, result, mode, out, &err) == FD_OK)
        return true;
    *message = fd_xasprintf("could not evaluate %s \"%s\": %s", which, cond,
                            nil_or_empty(result) ? NO_DATA : err);
    free(err);
    return false;
}

enum fd_analysis_phase fd_analysis_evaluate(const char *success, const char *failure,
                                            const fd_value *result, enum fd_expr_mode mode,
                                            char **message)
{
    bool has_success = success && *success, has_failure = failure && *failure;
    bool succ = false, fail = false;

    *message = NULL;
    if (has_success && !judge("successCondition", success, result, mode, &succ, message))
        return FD_ANALYSIS_PHASE_ERROR;
    if (has_failure && !judge("failureCondition", failure, result, mode, &fail, message))
        return FD_ANALYSIS_PHASE_ERROR;
    if (!has_success && !has_failure)
        return FD_ANALYSIS_PHASE_SUCCESSFUL;
    if (!has_failure)
        fail = !succ;
    if (!has_success)
        succ = !fail;
    if (fail)
        return FD_ANALYSIS_PHASE_FAILED;
    if (!succ)
        return FD_ANALYSIS_PHASE_INCONCLUSIVE;
    return FD_ANALYSIS_PHASE_SUCCESSFUL;
}

static bool parse_number(const char *s, size_t len, double *out)
{
    char buf[128];
    char *end;

    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    *out = strtod(buf, &end);
    return *end == '\0';
}

fd_value *fd_analysis_value_from_measurement(enum fd_analysis_provider provider, const char *value,
                                             char **err)
{
    *err = NULL;
    if (!value)
        return fd_value_nil();
    if (provider == FD_ANALYSIS_PROVIDER_PROMETHEUS) {
        size_t len = strlen(value);
        if (value[0] != '[') {
            double v;
            if (!parse_number(value, len, &v)) {
                *err = fd_xasprintf("measurement value \"%s\" is not a Prometheus number", value);
                return NULL;
            }
            return fd_value_float(v);
        }
        if (len < 2 || value[len - 1] != ']') {
            *err = fd_xasprintf("measurement value \"%s\" is not a Prometheus vector", value);
            return NULL;
        }
        double *vals = fd_xcalloc(len, sizeof(double));
        size_t n = 0;
        const char *p = value + 1, *end = value + len - 1;
        while (p < end) {
            const char *comma = memchr(p, ',', (size_t)(end - p));
            const char *stop = comma ? comma : end;
            if (!parse_number(p, (size_t)(stop - p), &vals[n])) {
                *err = fd_xasprintf("measurement value \"%s\" is not a Prometheus vector", value);
                free(vals);
                return NULL;
            }
            n++;
            p = comma ? comma + 1 : end;
        }
        fd_value *v = fd_value_float_array(vals, n);
        free(vals);
        return v;
    }
    json_error_t jerr;
    json_t *j = json_loads(value, JSON_DECODE_ANY, &jerr);
    if (!j)
        return fd_value_string(value); /* the Web provider stores a non-JSON body verbatim */
    fd_value *v = fd_value_from_json(j, true);
    json_decref(j);
    return v;
}

fd_value *fd_analysis_prom_result_value(const struct fd_prom_result *r)
{
    if (r->type == FD_PROM_SCALAR)
        return fd_value_float(r->n_values ? r->values[0] : 0);
    return fd_value_float_array(r->values, r->n_values);
}
