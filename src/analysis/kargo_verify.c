/* analysis/kargo_verify.c: how Kargo turns a Stage's spec.verification into
 * an AnalysisRun (internal/rollouts/analysis_run_builder.go): the templates
 * flattened into one (flattenTemplates), and the verification args
 * evaluated as ${{ }} templates against ctx.project, ctx.stage and the
 * Stage's vars before they are merged with the template's args. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Appends the items of templates[i].spec.<key> to out. */
static void concat(json_t *const *templates, size_t n, const char *key, json_t *out)
{
    for (size_t t = 0; t < n; t++) {
        const json_t *arr = json_object_get(json_object_get(templates[t], "spec"), key);
        if (json_is_array(arr))
            json_array_extend(out, (json_t *)(uintptr_t)arr);
    }
}

/* flattenDryRunMetrics / flattenMeasurementRetentionMetrics refuse two rules
 * with the same metricName. */
static bool unique_rules(const json_t *rules, const char *what, char **err)
{
    for (size_t i = 0; i < json_array_size(rules); i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = str(json_array_get(rules, i), "metricName");
            const char *b = str(json_array_get(rules, k), "metricName");
            if (fd_streq(a ? a : "", b ? b : "")) {
                *err =
                    fd_xasprintf("two %s metric rules have the same name '%s'", what, a ? a : "");
                return false;
            }
        }
    return true;
}

json_t *fd_analysis_kargo_flatten(json_t *const *templates, size_t n, const char *name, char **err)
{
    json_t *metrics = json_array(), *dry = json_array(), *retention = json_array();
    json_t *args = json_array();

    *err = NULL;
    for (size_t t = 0; t < n; t++)
        if (!json_is_object(json_object_get(templates[t], "spec"))) {
            const char *tn = str(json_object_get(templates[t], "metadata"), "name");
            *err = fd_xasprintf("template %s: spec: expected an object", tn ? tn : "(unnamed)");
            goto fail;
        }
    concat(templates, n, "metrics", metrics);
    for (size_t i = 0; i < json_array_size(metrics); i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = str(json_array_get(metrics, i), "name");
            if (a && fd_streq(a, str(json_array_get(metrics, k), "name"))) {
                *err = fd_xasprintf("two metrics have the same name '%s'", a);
                goto fail;
            }
        }
    concat(templates, n, "dryRun", dry);
    concat(templates, n, "measurementRetention", retention);
    if (!unique_rules(dry, "Dry-Run", err) ||
        !unique_rules(retention, "Measurement Retention", err))
        goto fail;
    /* flattenArgs: one arg per name; a value fills a missing one, two
     * different values are refused. */
    for (size_t t = 0; t < n; t++) {
        const json_t *targs = json_object_get(json_object_get(templates[t], "spec"), "args");
        for (size_t i = 0; i < json_array_size(targs); i++) {
            json_t *a = json_array_get(targs, i);
            const char *an = str(a, "name");
            const char *av = str(a, "value");
            size_t k;
            for (k = 0; k < json_array_size(args); k++)
                if (fd_streq(an, str(json_array_get(args, k), "name")))
                    break;
            if (k == json_array_size(args)) {
                json_array_append(args, a);
                continue;
            }
            const char *pv = str(json_array_get(args, k), "value");
            if (pv && av && strcmp(pv, av) != 0) {
                *err = fd_xasprintf("Argument `%s` specified multiple times with different "
                                    "values: '%s', '%s'",
                                    an ? an : "", pv, av);
                goto fail;
            }
            if (!pv)
                json_array_set(args, k, a);
        }
    }
    return json_pack("{ss ss s{ss} s{so so so so}}", "apiVersion", "argoproj.io/v1alpha1", "kind",
                     "AnalysisTemplate", "metadata", "name", name ? name : "", "spec", "metrics",
                     metrics, "dryRun", dry, "measurementRetention", retention, "args", args);
fail:
    json_decref(metrics);
    json_decref(dry);
    json_decref(retention);
    json_decref(args);
    return NULL;
}

/* The string v holds; *ok is false when v is not a string. */
static char *to_string(const fd_value *v, bool *ok)
{
    size_t len;
    const char *s = fd_value_as_string(v, &len);

    *ok = s != NULL;
    return s ? fd_xstrndup(s, len) : NULL;
}

/* {ctx: {project, stage}, vars: {...}}; vars only when the Stage has any
 * (buildArgs adds the key for spec.vars), so that without them `vars.x`
 * fails as in Kargo ("cannot fetch x from <nil>"). */
static fd_value *build_env(const char *project, const char *stage, bool has_vars,
                           char *const *var_names, fd_value *const *var_values, size_t n_vars)
{
    fd_value *env = fd_value_map_new(), *ctx = fd_value_map_new();

    fd_value_map_set(ctx, "project", fd_value_string(project ? project : ""));
    fd_value_map_set(ctx, "stage", fd_value_string(stage ? stage : ""));
    fd_value_map_set(env, "ctx", ctx);
    if (has_vars) {
        fd_value *vars = fd_value_map_new();
        for (size_t i = 0; i < n_vars; i++)
            fd_value_map_set(vars, var_names[i], fd_value_ref(var_values[i]));
        fd_value_map_set(env, "vars", vars);
    }
    return env;
}

/* Evaluates one ${{ }} template with Kargo's functions reading objs;
 * returns the value or NULL with *err (no secret's value in it). */
static fd_value *eval_template(const char *text, const fd_value *env,
                               struct fd_expr_kargo_objects *objs, char **err)
{
    struct fd_expr_error e;
    fd_value *out = NULL;

    if (fd_expr_kargo_eval(text, strlen(text), FD_EXPR_MODE_KARGO_TEMPLATE, env, objs, &out, &e) ==
        0)
        return out;
    char *msg = fd_expr_error_format(&e, text);
    *err = fd_expr_kargo_redact(objs, msg);
    free(msg);
    return NULL;
}

struct fd_analysis_arg *fd_analysis_kargo_verification_args(const json_t *stage,
                                                            const struct fd_analysis_arg *given,
                                                            size_t n_given,
                                                            struct fd_expr_kargo_objects *objs,
                                                            size_t *n_out, char **err)
{
    const json_t *meta = json_object_get(stage, "metadata");
    const json_t *spec = json_object_get(stage, "spec");
    const json_t *vars = json_object_get(spec, "vars");
    const json_t *vargs = json_object_get(json_object_get(spec, "verification"), "args");
    const char *project = str(meta, "namespace"), *name = str(meta, "name");
    size_t n_vars = 0, n_args = json_array_size(vargs);
    char **var_names = fd_xcalloc(json_array_size(vars) + 1, sizeof(char *));
    fd_value **var_values = fd_xcalloc(json_array_size(vars) + 1, sizeof(fd_value *));
    struct fd_analysis_arg *out = fd_xcalloc(n_args + 1, sizeof(*out));
    fd_value *env = NULL;

    *err = NULL;
    *n_out = 0;
    /* What the controller hands the functions (regular_stages.go): the
     * project, spec.requestedFreight and the collection being verified,
     * status.freightHistory[0]. */
    if (objs) {
        if (!objs->project)
            objs->project = project;
        if (!objs->requested_freight)
            objs->requested_freight = json_object_get(spec, "requestedFreight");
        if (!objs->freight)
            objs->freight = json_object_get(
                json_array_get(json_object_get(json_object_get(stage, "status"), "freightHistory"),
                               0),
                "items");
    }
    /* spec.vars, in order: each may use ctx and the vars before it. */
    for (size_t i = 0; i < json_array_size(vars); i++) {
        const json_t *v = json_array_get(vars, i);
        const char *vn = str(v, "name"), *vv = str(v, "value");
        if (!vn) {
            *err = fd_xasprintf("spec.vars[%zu].name: missing", i);
            goto fail;
        }
        env = build_env(project, name, json_array_size(vars) > 0, var_names, var_values, n_vars);
        char *e = NULL;
        fd_value *val = eval_template(vv ? vv : "", env, objs, &e);
        fd_value_unref(env);
        env = NULL;
        if (!val) {
            *err = fd_xasprintf("evaluate variable \"%s\": %s", vn, e);
            free(e);
            goto fail;
        }
        var_names[n_vars] = fd_xstrdup(vn);
        var_values[n_vars++] = val;
    }
    env = build_env(project, name, json_array_size(vars) > 0, var_names, var_values, n_vars);
    for (size_t i = 0; i < n_args; i++) {
        const json_t *a = json_array_get(vargs, i);
        const char *an = str(a, "name"), *av = str(a, "value");
        struct fd_analysis_arg *dst = &out[(*n_out)++];
        if (!an) {
            *err = fd_xasprintf("spec.verification.args[%zu].name: missing", i);
            goto fail;
        }
        dst->name = fd_xstrdup(an);
        const struct fd_analysis_arg *over = NULL;
        for (size_t k = 0; k < n_given; k++)
            if (fd_streq(given[k].name, an))
                over = &given[k];
        if (over) {
            dst->value = over->value ? fd_xstrdup(over->value) : NULL;
            continue;
        }
        /* An empty value is no value (the template's default applies). */
        if (!av || !*av)
            continue;
        char *e = NULL;
        size_t n_secrets = objs ? json_array_size(objs->secrets) : 0;
        fd_value *val = eval_template(av, env, objs, &e);
        if (!val) {
            *err = fd_xasprintf("evaluate argument \"%s\": %s", an, e);
            free(e);
            goto fail;
        }
        bool ok;
        dst->value = to_string(val, &ok);
        /* A value that secret() contributed to is shown redacted. */
        dst->secret = objs && (json_array_size(objs->secrets) > n_secrets ||
                               fd_expr_kargo_has_secret(objs, dst->value));
        if (!ok) {
            *err = fd_xasprintf("evaluated argument \"%s\" value is not a string but %s", an,
                                fd_value_go_type(val));
            fd_value_unref(val);
            goto fail;
        }
        fd_value_unref(val);
    }
    /* --arg values for args the verification does not list still reach the
     * templates, as if the Stage listed them. */
    for (size_t k = 0; k < n_given; k++) {
        bool listed = false;
        for (size_t i = 0; i < *n_out; i++)
            listed = listed || fd_streq(out[i].name, given[k].name);
        if (listed)
            continue;
        out = fd_xreallocarray(out, *n_out + 1, sizeof(*out));
        out[*n_out].name = fd_xstrdup(given[k].name);
        out[*n_out].value = given[k].value ? fd_xstrdup(given[k].value) : NULL;
        out[(*n_out)++].value_from = false;
    }
    goto done;
fail:
    for (size_t i = 0; i < *n_out; i++)
        fd_analysis_arg_free(&out[i]);
    free(out);
    out = NULL;
    *n_out = 0;
done:
    fd_value_unref(env);
    for (size_t i = 0; i < n_vars; i++) {
        free(var_names[i]);
        fd_value_unref(var_values[i]);
    }
    free(var_names);
    free(var_values);
    return out;
}
