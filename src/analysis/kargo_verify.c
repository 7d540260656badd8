/* analysis/kargo_verify.c: how Kargo turns a Stage's spec.verification into
 * an AnalysisRun (internal/rollouts/analysis_run_builder.go): the templates
 * flattened into one (flattenTemplates), and the verification args
 * evaluated as ${{ }} templates against ctx.project, ctx.stage and the
 * Stage's vars before they are merged with the template's args. */
#include "config.h"

#include "freightdeck/analysis.h"
#include "freightdeck/expr.h"

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

/* Kargo's message: before, then name as Go's %q quotes it, then after. */
static char *quoted(const char *before, const char *name, const char *after)
{
    char *q = fd_expr_go_quote(name ? name : "", name ? strlen(name) : 0);
    char *msg = fd_xasprintf("%s%s%s", before, q, after);

    free(q);
    return msg;
}

/* validateUniqueDryRunMetrics / validateUniqueMeasurementRetentionMetrics:
 * no two rules with one metricName (absent: ""). */
static bool unique_rules(const json_t *rules, const char *before, char **err)
{
    for (size_t i = 0; i < json_array_size(rules); i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = str(json_array_get(rules, i), "metricName");
            const char *b = str(json_array_get(rules, k), "metricName");
            if (fd_streq(a ? a : "", b ? b : "")) {
                *err = quoted(before, a, "");
                return false;
            }
        }
    return true;
}

json_t *fd_analysis_kargo_flatten(json_t *const *given, size_t n, const char *name, char **err)
{
    json_t *metrics = json_array(), *dry = json_array(), *retention = json_array();
    json_t *args = json_array();
    /* combineAnalysisTemplateSpecs: the AnalysisTemplates in their order,
     * then the ClusterAnalysisTemplates */
    json_t **templates = fd_xcalloc(n + 1, sizeof(*templates));
    size_t at = 0;
    for (int cluster = 0; cluster < 2; cluster++)
        for (size_t t = 0; t < n; t++)
            if (fd_streq(str(given[t], "kind"), "ClusterAnalysisTemplate") == (cluster == 1))
                templates[at++] = given[t];

    *err = NULL;
    for (size_t t = 0; t < n; t++)
        if (!json_is_object(json_object_get(templates[t], "spec"))) {
            const char *tn = str(json_object_get(templates[t], "metadata"), "name");
            *err = fd_xasprintf("template %s: spec: expected an object", tn ? tn : "(unnamed)");
            goto fail;
        }
    /* flattenMetrics: every metric, no name twice (absent: "") */
    concat(templates, n, "metrics", metrics);
    for (size_t i = 0; i < json_array_size(metrics); i++)
        for (size_t k = 0; k < i; k++) {
            const char *a = str(json_array_get(metrics, i), "name");
            const char *b = str(json_array_get(metrics, k), "name");
            if (fd_streq(a ? a : "", b ? b : "")) {
                *err = quoted("flatten metrics: duplicate metric name: ", a, "");
                goto fail;
            }
        }
    concat(templates, n, "dryRun", dry);
    concat(templates, n, "measurementRetention", retention);
    if (!unique_rules(dry,
                      "flatten dry-run metrics: validate dry-run metrics: duplicate dry-run "
                      "metric name: ",
                      err) ||
        !unique_rules(retention,
                      "flatten measurement retention metrics: validate measurement retention "
                      "metrics: duplicate measurement retention metric name: ",
                      err))
        goto fail;
    /* flattenArgs: one arg per name, the first's place; a value fills a
     * missing one (its valueFrom stays), two different values are refused
     * (validateAndUpdateArg) */
    for (size_t t = 0; t < n; t++) {
        const json_t *targs = json_object_get(json_object_get(templates[t], "spec"), "args");
        for (size_t i = 0; i < json_array_size(targs); i++) {
            json_t *a = json_array_get(targs, i);
            const char *an = str(a, "name");
            const char *av = str(a, "value");
            size_t k;
            for (k = 0; k < json_array_size(args); k++)
                if (fd_streq(an ? an : "", str(json_array_get(args, k), "name")
                                               ? str(json_array_get(args, k), "name")
                                               : ""))
                    break;
            if (k == json_array_size(args)) {
                json_array_append_new(args, json_deep_copy(a));
                continue;
            }
            json_t *prev = json_array_get(args, k);
            const char *pv = str(prev, "value");
            if (pv && av && strcmp(pv, av) != 0) {
                char *qn = fd_expr_go_quote(an ? an : "", an ? strlen(an) : 0),
                     *qp = fd_expr_go_quote(pv, strlen(pv)), *qa = fd_expr_go_quote(av, strlen(av));
                *err = fd_xasprintf("flatten arguments: conflicting values for argument %s: %s "
                                    "and %s",
                                    qn, qp, qa);
                free(qn);
                free(qp);
                free(qa);
                goto fail;
            }
            if (!pv && av)
                json_object_set_new(prev, "value", json_string(av));
        }
    }
    free(templates);
    return json_pack("{ss ss s{ss} s{so so so so}}", "apiVersion", "argoproj.io/v1alpha1", "kind",
                     "AnalysisTemplate", "metadata", "name", name ? name : "", "spec", "metrics",
                     metrics, "dryRun", dry, "measurementRetention", retention, "args", args);
fail:
    free(templates);
    json_decref(metrics);
    json_decref(dry);
    json_decref(retention);
    json_decref(args);
    return NULL;
}

/* mergeArgs: the flattened template's args (flat as fd_analysis_kargo_flatten
 * makes it), each given the value of the arg of args (n of them) with its
 * name; args the template does not declare are dropped. Returns a new JSON
 * array of Argo Arguments, or NULL with *err (caller frees): `merge
 * arguments: validate merged arguments: unresolved argument "x": neither
 * Value nor ValueFrom is set`. */
static json_t *merge_args(const json_t *flat, const struct fd_analysis_arg *args, size_t n,
                          char **err)
{
    json_t *merged = json_deep_copy(json_object_get(json_object_get(flat, "spec"), "args"));
    size_t i;
    json_t *a;

    *err = NULL;
    if (!json_is_array(merged)) {
        json_decref(merged);
        merged = json_array();
    }
    /* updateArg: an incoming value replaces the template's; args the
     * templates do not declare are dropped */
    for (size_t k = 0; k < n; k++)
        json_array_foreach(merged, i, a)
        {
            if (fd_streq(str(a, "name") ? str(a, "name") : "", args[k].name) && args[k].value) {
                json_object_set_new(a, "value", json_string(args[k].value));
                break;
            }
        }
    json_array_foreach(merged, i, a)
    { /* validateArgsResolution */
        if (!json_object_get(a, "value") && !json_object_get(a, "valueFrom")) {
            *err = quoted("merge arguments: validate merged arguments: unresolved argument ",
                          str(a, "name"), ": neither Value nor ValueFrom is set");
            json_decref(merged);
            return NULL;
        }
    }
    return merged;
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
            char *after = fd_xasprintf(": %s", e);
            *err = quoted("evaluate variable ", vn, after);
            free(after);
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
            char *after = fd_xasprintf(": %s", e);
            *err = quoted("evaluate argument ", an, after);
            free(after);
            free(e);
            goto fail;
        }
        bool ok;
        dst->value = to_string(val, &ok);
        /* A value that secret() contributed to is shown redacted. */
        dst->secret = objs && (json_array_size(objs->secrets) > n_secrets ||
                               fd_expr_kargo_has_secret(objs, dst->value));
        if (!ok) {
            char *after = fd_xasprintf(" value is not a string but %s", fd_value_go_type(val));
            *err = quoted("evaluated argument ", an, after);
            free(after);
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

bool fd_analysis_kargo_build(json_t *const *templates, size_t n, const char *name,
                             const json_t *stage, const struct fd_analysis_arg *given,
                             size_t n_given, struct fd_expr_kargo_objects *objs,
                             struct fd_analysis_kargo_build *b, char **err)
{
    char *e = NULL;
    json_t *merged = NULL;

    memset(b, 0, sizeof(*b));
    *err = NULL;
    if (!(b->flat = fd_analysis_kargo_flatten(templates, n, name, &e))) {
        *err = fd_xasprintf("build spec: flatten templates: %s", e);
        goto fail;
    }
    b->args = fd_analysis_kargo_verification_args(stage, given, n_given, objs, &b->n_args, &e);
    if (!b->args || !(merged = merge_args(b->flat, b->args, b->n_args, &e))) {
        *err = fd_xasprintf("build spec: build arguments: %s", e);
        goto fail;
    }
    /* the AnalysisRunSpec: dryRun and measurementRetention are omitempty */
    const json_t *fspec = json_object_get(b->flat, "spec");
    b->spec = json_pack("{s:O,s:o}", "metrics", json_object_get(fspec, "metrics"), "args", merged);
    if (json_array_size(json_object_get(fspec, "dryRun")))
        json_object_set(b->spec, "dryRun", json_object_get(fspec, "dryRun"));
    if (json_array_size(json_object_get(fspec, "measurementRetention")))
        json_object_set(b->spec, "measurementRetention",
                        json_object_get(fspec, "measurementRetention"));
    free(e);
    return true;
fail:
    free(e);
    fd_analysis_kargo_build_free(b);
    return false;
}

void fd_analysis_kargo_build_free(struct fd_analysis_kargo_build *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_args; i++)
        fd_analysis_arg_free(&b->args[i]);
    free(b->args);
    json_decref(b->flat);
    json_decref(b->spec);
    memset(b, 0, sizeof(*b));
}
