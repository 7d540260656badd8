/* analysis/prom_plan.c: an AnalysisTemplate made ready to measure, as
 * `freightdeck analyze` and the console's what-if view both need it: args
 * merged and substituted into the serialised metrics (as Argo does, so
 * integer fields given as "{{args.x}}" resolve), the metrics decoded, and the
 * provider.prometheus spec of each Prometheus metric decoded. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"

void fd_analysis_plan_free(struct fd_analysis_plan *t)
{
    for (size_t i = 0; i < t->n_metrics; i++)
        fd_analysis_prom_spec_free(&t->metrics[i].spec);
    free(t->metrics);
    for (size_t i = 0; i < t->n_args; i++)
        fd_analysis_arg_free(&t->args[i]);
    free(t->args);
    fd_analysis_run_free(t->run);
    free(t->name);
    memset(t, 0, sizeof(*t));
}

static void free_args(struct fd_analysis_arg *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fd_analysis_arg_free(&args[i]);
    free(args);
}

/* spec.args as written: name, value, whether valueFrom is set. */
static bool template_args(const json_t *spec, const char *where, struct fd_analysis_arg **out,
                          size_t *n, char **err)
{
    const json_t *arr = json_object_get(spec, "args");
    const json_t *a;
    size_t i;

    *out = fd_xcalloc(json_array_size(arr) + 1, sizeof(**out));
    *n = 0;
    if (arr && !json_is_array(arr) && !json_is_null(arr)) {
        *err = fd_xasprintf("%s: spec.args: expected an array", where);
        return false;
    }
    json_array_foreach(arr, i, a)
    {
        const char *name = json_string_value(json_object_get(a, "name"));
        const json_t *value = json_object_get(a, "value");
        if (!name) {
            *err = fd_xasprintf("%s: spec.args[%zu].name: missing", where, i);
            return false;
        }
        if (value && !json_is_null(value) && !json_is_string(value)) {
            *err = fd_xasprintf("%s: spec.args[%zu].value: expected a string", where, i);
            return false;
        }
        (*out)[i].name = fd_xstrdup(name);
        (*out)[i].value = json_is_string(value) ? fd_xstrdup(json_string_value(value)) : NULL;
        const json_t *vf = json_object_get(a, "valueFrom");
        (*out)[i].value_from = vf && !json_is_null(vf);
        *n = i + 1;
    }
    return true;
}

bool fd_analysis_plan_template(const json_t *doc, const struct fd_analysis_arg *given,
                               size_t n_given, bool *given_used, bool cli_hints,
                               struct fd_analysis_plan *t, char **err)
{
    const json_t *spec = json_object_get(doc, "spec");
    const char *name = json_string_value(json_object_get(json_object_get(doc, "metadata"), "name"));
    struct fd_analysis_arg *targs = NULL;
    size_t n_targs = 0;
    char *where;
    bool ok = false;
    json_t *metrics = NULL, *copy = NULL;

    memset(t, 0, sizeof(*t));
    t->kind = json_string_value(json_object_get(doc, "kind"));
    t->name = fd_xstrdup(name ? name : "(unnamed)");
    where = fd_xasprintf("%s %s", t->kind ? t->kind : "template", t->name);
    if (!json_is_object(spec)) {
        *err = fd_xasprintf("%s: spec: expected an object", where);
        goto out;
    }
    if (!template_args(spec, where, &targs, &n_targs, err))
        goto out;
    if (given_used)
        for (size_t k = 0; k < n_given; k++)
            for (size_t i = 0; i < n_targs; i++)
                if (fd_streq(given[k].name, targs[i].name))
                    given_used[k] = true;
    t->args = fd_analysis_merge_args(given, n_given, targs, n_targs, &t->n_args, err);
    if (!t->args) {
        char *e = *err;
        const char *arg = strstr(e, "args.");
        size_t len = arg ? strcspn(arg + 5, " ") : 0;
        if (cli_hints)
            *err = fd_xasprintf("%s: %s (pass --arg %.*s=VALUE)", where, e, (int)len,
                                arg ? arg + 5 : "NAME");
        else
            *err = fd_xasprintf("%s: %s", where, e);
        free(e);
        goto out;
    }
    for (size_t i = 0; i < t->n_args; i++) {
        if (!t->args[i].value) {
            *err = fd_xasprintf("%s: args.%s takes its value from valueFrom (a Secret or a field "
                                "of the Rollout), which %s cannot read%s%s%s",
                                where, t->args[i].name, cli_hints ? "analyze" : "a dry run",
                                cli_hints ? ": pass --arg " : "", cli_hints ? t->args[i].name : "",
                                cli_hints ? "=VALUE" : "");
            goto out;
        }
    }
    /* Argo substitutes each serialised metric in turn (ResolveMetricArgs),
     * so integer fields such as count: "{{args.count}}" resolve before they
     * are decoded, and the first metric that fails names the error. */
    metrics =
        fd_analysis_resolve_metrics(json_object_get(spec, "metrics"), t->args, t->n_args, err);
    if (!metrics) {
        char *e = *err;
        *err = fd_xasprintf("%s: Unable to resolve metric arguments: %s", where, e);
        free(e);
        goto out;
    }
    copy = json_deep_copy(doc);
    json_t *cspec = json_object_get(copy, "spec");
    json_t *args_json = json_array();
    for (size_t i = 0; i < t->n_args; i++)
        json_array_append_new(
            args_json, json_pack("{ss ss}", "name", t->args[i].name, "value", t->args[i].value));
    json_object_set_new(cspec, "args", args_json);
    json_object_set(cspec, "metrics", metrics);
    char *derr = NULL;
    t->run = fd_analysis_template_from_json(copy, &derr);
    if (!t->run) {
        *err = fd_xasprintf("%s: %s", where, derr);
        free(derr);
        goto out;
    }
    if (t->run->n_metrics == 0) {
        *err = fd_xasprintf("%s: spec.metrics: no metrics", where);
        goto out;
    }
    t->metrics = fd_xcalloc(t->run->n_metrics + 1, sizeof(*t->metrics));
    t->n_metrics = t->run->n_metrics;
    for (size_t i = 0; i < t->n_metrics; i++) {
        struct fd_analysis_plan_metric *mp = &t->metrics[i];
        mp->m = &t->run->metrics[i];
        if (mp->m->provider != FD_ANALYSIS_PROVIDER_PROMETHEUS)
            continue;
        const json_t *pj =
            json_object_get(json_object_get(json_array_get(metrics, i), "provider"), "prometheus");
        char *path = fd_xasprintf("%s: spec.metrics[%zu].provider.prometheus", where, i);
        char *serr = NULL;
        if (fd_analysis_prom_spec_from_json(pj, path, &mp->spec, &serr) != FD_OK) {
            *err = serr;
            free(path);
            goto out;
        }
        free(path);
        mp->supported = true;
    }
    ok = true;
out:
    json_decref(metrics);
    json_decref(copy);
    free_args(targs, n_targs);
    free(where);
    return ok;
}
