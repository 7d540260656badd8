/* cli/cmd-analyze-measure.c: `freightdeck analyze TEMPLATE.yaml`: the templates'
 * Prometheus metrics measured once now, or on their schedule with --watch. */
#include "config.h"

#include "cmd-analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/analysis.h"
#include "freightdeck/cli.h"
#include "freightdeck/prom.h"
#include "freightdeck/util.h"
#include "freightdeck/yaml.h"

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}
/* ---- Templates --------------------------------------------------------------- */
void fd_cli_analyze_free_args(struct fd_analysis_arg *args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fd_analysis_arg_free(&args[i]);
    free(args);
}

/* Resolves one template document into a plan. Returns false with *err. */
static bool plan_template(const json_t *doc, struct opts *o, struct fd_analysis_plan *t, char **err)
{
    return fd_analysis_plan_template(doc, o->args, o->n_args, o->arg_used, true, t, err);
}

/* s with the secret() values of the Stage's args redacted; the caller frees. */
static char *redacted(const struct opts *o, const char *s)
{
    struct fd_expr_kargo_objects ro;

    if (!s)
        return NULL;
    memset(&ro, 0, sizeof(ro));
    ro.secrets = o->secrets;
    return fd_expr_kargo_redact(&ro, s);
}

static void redact_in_place(const struct opts *o, char **s)
{
    char *r = redacted(o, *s);

    free(*s);
    *s = r;
}

static struct fd_analysis_prom_options measure_opts(const struct opts *o, int64_t now)
{
    struct fd_analysis_prom_options po;

    memset(&po, 0, sizeof(po));
    po.address = o->prometheus;
    po.bearer_token = o->bearer_token;
    po.ca_file = o->ca_file;
    po.insecure = o->insecure;
    po.now_ms = now;
    po.expr_version = o->expr.version;
    return po;
}

static const char *provider_label(const struct fd_analysis_metric *m)
{
    return m->provider_name ? m->provider_name : "none";
}

/* ---- One-shot ------------------------------------------------------------- */
static int analyze_once(struct opts *o, struct fd_analysis_plan *plans, size_t n_plans)
{
    int64_t now = o->time_set ? o->time_ms : fd_time_now_ms();
    enum fd_analysis_phase verdict = FD_ANALYSIS_PHASE_NONE;
    json_t *jt = json_array();
    size_t measured = 0;

    for (size_t t = 0; t < n_plans; t++) {
        struct fd_analysis_plan *tp = &plans[t];
        json_t *jm = json_array();
        struct fd_analysis_prom_options po = measure_opts(o, now);
        struct fd_analysis_dry d;
        /* Dry-run metrics are measured and shown but never decide. */
        fd_analysis_dry_run(tp, &po, NULL, NULL, &d);
        if (d.dry_error && o->output == OUT_TEXT)
            printf("note: %s (every metric counts)\n", d.dry_error);
        if (o->output == OUT_TEXT) {
            printf("%s %s", tp->kind, tp->name);
            for (size_t i = 0; i < tp->n_args; i++) {
                char *v = redacted(o, tp->args[i].value);
                printf("%s%s=%s", i ? ", " : "  (args: ", tp->args[i].name, v);
                free(v);
            }
            printf("%s\n", tp->n_args ? ")" : "");
        }
        measured += d.measured;
        verdict =
            d.worst == FD_ANALYSIS_PHASE_NONE ? verdict : fd_analysis_phase_worse(verdict, d.worst);
        for (size_t i = 0; i < d.n_metrics; i++) {
            const struct fd_analysis_plan_metric *mp = d.metrics[i].mp;
            struct fd_analysis_prom_measurement *me = &d.metrics[i].me;
            bool dry = d.metrics[i].dry;
            if (!d.metrics[i].measured) {
                if (o->output == OUT_TEXT)
                    printf("metric %s: not supported by analyze (provider: %s)\n", mp->m->name,
                           provider_label(mp->m));
                json_array_append_new(jm, json_pack("{ss ss sb}", "name", mp->m->name, "provider",
                                                    provider_label(mp->m), "supported", 0));
                continue;
            }
            /* A secret() value went into the query; it is shown nowhere. */
            char *query = redacted(o, mp->m->query);
            redact_in_place(o, &me->value);
            redact_in_place(o, &me->message);
            redact_in_place(o, &me->explanation);
            redact_in_place(o, &me->warnings);
            redact_in_place(o, &me->address);
            redact_in_place(o, &me->request);
            if (o->output == OUT_TEXT) {
                printf("metric %s: %s%s\n", mp->m->name, fd_analysis_phase_name(me->phase),
                       dry ? " (dry run: does not count)" : "");
                fd_cli_analyze_print_field("query:", query);
                if (me->address)
                    printf("  %-8s %s%s%s\n", "address:", me->address, me->request ? ", " : "",
                           me->request ? me->request : "");
                if (me->value)
                    fd_cli_analyze_print_field("value:", me->value);
                if (me->warnings)
                    fd_cli_analyze_print_field("warnings:", me->warnings);
                if (me->phase == FD_ANALYSIS_PHASE_ERROR && me->message)
                    fd_cli_analyze_print_field("message:", me->message);
                fd_cli_analyze_print_field("why:", me->explanation);
            }
            json_t *mj = json_pack(
                "{ss ss sb so so so so ss so ss so}", "name", mp->m->name, "provider",
                provider_label(mp->m), "supported", 1, "query", fd_cli_analyze_str_or_null(query),
                "address", fd_cli_analyze_str_or_null(me->address), "request",
                fd_cli_analyze_str_or_null(me->request), "value",
                fd_cli_analyze_str_or_null(me->value), "phase", fd_analysis_phase_name(me->phase),
                "message", fd_cli_analyze_str_or_null(me->message), "explanation", me->explanation,
                "warnings", fd_cli_analyze_str_or_null(me->warnings));
            if (!mj)
                fd_fatal("out of memory");
            json_object_set_new(mj, "dryRun", json_boolean(dry));
            json_array_append_new(jm, mj);
            free(query);
        }
        fd_analysis_dry_free(&d);
        json_array_append_new(
            jt, json_pack("{ss ss so}", "kind", tp->kind, "name", tp->name, "metrics", jm));
    }
    int code;
    if (!measured) {
        json_decref(jt);
        return fd_cli_analyze_fail(
            "no Prometheus metric to measure: analyze runs provider.prometheus metrics "
            "only");
    }
    if (verdict == FD_ANALYSIS_PHASE_NONE)
        verdict = FD_ANALYSIS_PHASE_SUCCESSFUL; /* only dry-run metrics: nothing can fail */
    char *at = fd_time_format_rfc3339(now, false);
    if (o->output == OUT_JSON) {
        json_t *j = json_pack("{ss ss so so}", "phase", fd_analysis_phase_name(verdict), "time", at,
                              "templates", jt, "expr", fd_cli_analyze_expr_json(o));
        fd_cli_analyze_print_json(j);
        json_decref(j);
    } else {
        fd_cli_analyze_print_expr(o);
        printf("verdict: %s (worst measurement at %s)\n", fd_analysis_phase_name(verdict), at);
        json_decref(jt);
    }
    free(at);
    code = fd_cli_analyze_exit_for(verdict);
    return code;
}

/* ---- Watch ---------------------------------------------------------------- */
/* All Prometheus metrics of all templates in one run, as Kargo and Argo
 * merge several templates into one AnalysisRun. */
static struct fd_analysis_run *combined_run(struct fd_analysis_plan *plans, size_t n_plans,
                                            const struct fd_analysis_plan_metric ***map)
{
    struct fd_analysis_run *run = fd_xcalloc(1, sizeof(*run));
    size_t n = 0;

    for (size_t t = 0; t < n_plans; t++)
        n += plans[t].n_metrics;
    run->metrics = fd_xcalloc(n + 1, sizeof(*run->metrics));
    *map = fd_xcalloc(n + 1, sizeof(**map));
    run->started_at = run->completed_at = FD_ANALYSIS_NO_TIME;
    for (size_t t = 0; t < n_plans; t++) {
        struct fd_analysis_run *src = plans[t].run;
        for (size_t i = 0; i < plans[t].n_metrics; i++) {
            if (!plans[t].metrics[i].supported)
                continue;
            (*map)[run->n_metrics] = &plans[t].metrics[i];
            fd_analysis_metric_copy(&run->metrics[run->n_metrics++], &src->metrics[i]);
        }
        for (size_t k = 0; k < src->n_dry_run; k++) {
            run->dry_run =
                fd_xreallocarray(run->dry_run, run->n_dry_run + 1, sizeof(*run->dry_run));
            run->dry_run[run->n_dry_run].metric_name = fd_xstrdup(src->dry_run[k].metric_name);
            run->dry_run[run->n_dry_run++].limit = src->dry_run[k].limit;
        }
        for (size_t k = 0; k < src->n_retention; k++) {
            run->retention =
                fd_xreallocarray(run->retention, run->n_retention + 1, sizeof(*run->retention));
            run->retention[run->n_retention].metric_name =
                fd_xstrdup(src->retention[k].metric_name);
            run->retention[run->n_retention++].limit = src->retention[k].limit;
        }
    }
    return run;
}

static int analyze_watch(struct opts *o, struct fd_analysis_plan *plans, size_t n_plans)
{
    const struct fd_analysis_plan_metric **map = NULL;
    struct fd_analysis_run *run = combined_run(plans, n_plans, &map);
    int64_t base = o->time_set ? o->time_ms : fd_time_now_ms();
    int64_t mono0 = fd_time_mono_ms();
    int code;

    for (size_t t = 0; t < n_plans; t++)
        for (size_t i = 0; i < plans[t].n_metrics; i++)
            if (!plans[t].metrics[i].supported && o->output == OUT_TEXT)
                printf("metric %s: not supported by analyze (provider: %s); left out of the run\n",
                       plans[t].metrics[i].m->name, provider_label(plans[t].metrics[i].m));
    if (!run->n_metrics) {
        free(map);
        fd_analysis_run_free(run);
        return fd_cli_analyze_fail(
            "no Prometheus metric to measure: analyze runs provider.prometheus metrics "
            "only");
    }
    for (size_t i = 0; i < run->n_metrics; i++)
        for (size_t k = i + 1; k < run->n_metrics; k++)
            if (fd_streq(run->metrics[i].name, run->metrics[k].name)) {
                code = fd_cli_analyze_fail("two metrics are named \"%s\"; Argo refuses such a run",
                                           run->metrics[i].name);
                free(map);
                fd_analysis_run_free(run);
                return code;
            }
    run->started_at = base;
    struct fd_analysis_rules *rules = fd_analysis_rules_new(run);
    fd_analysis_assess_run_rules(run, rules, base);
    if (o->output == OUT_TEXT)
        printf("watching %zu metric(s) from %s\n", run->n_metrics,
               o->time_set ? "the --time given" : "now");
    while (!fd_analysis_phase_completed(run->phase)) {
        int64_t now = base + (fd_time_mono_ms() - mono0);
        for (size_t i = 0; i < run->n_metrics; i++) {
            if (fd_analysis_task_for(run, i, now, NULL, NULL) != FD_ANALYSIS_TASK_MEASURE)
                continue;
            struct fd_analysis_prom_options po = measure_opts(o, now);
            struct fd_analysis_prom_measurement me;
            fd_analysis_prom_measure(&run->metrics[i], &map[i]->spec, &po, &me);
            int64_t done = base + (fd_time_mono_ms() - mono0);
            struct fd_analysis_metric_result *r =
                fd_analysis_run_result_add(run, run->metrics[i].name);
            struct fd_analysis_measurement m;
            memset(&m, 0, sizeof(m));
            m.phase = me.phase;
            m.started_at = now;
            m.finished_at = done;
            m.resume_at = FD_ANALYSIS_NO_TIME;
            /* Argo keeps the value only when the measurement could be judged. */
            m.value = me.value && me.phase != FD_ANALYSIS_PHASE_ERROR ? fd_xstrdup(me.value) : NULL;
            m.message = me.message ? fd_xstrdup(me.message) : NULL;
            r->measurements =
                fd_xreallocarray(r->measurements, r->n_measurements + 1, sizeof(*r->measurements));
            r->measurements[r->n_measurements++] = m;
            fd_analysis_count(r, m.phase);
            if (o->output == OUT_TEXT) {
                char *at = fd_time_format_rfc3339(now, false);
                printf("%s  %s #%lld: %s", at, run->metrics[i].name,
                       (long long)(r->count + r->error), fd_analysis_phase_name(me.phase));
                if (me.value)
                    printf("  value %s", me.value);
                printf("\n");
                fd_cli_analyze_print_field("why:", me.explanation);
                free(at);
                fflush(stdout);
            }
            fd_analysis_prom_measurement_free(&me);
            now = done;
        }
        fd_analysis_assess_run_rules(run, rules, now);
        char *trim_err = NULL;
        /* A retention rule that matches nothing has already made the run Error. */
        if (fd_analysis_trim_measurements_rules(run, rules, &trim_err) != FD_OK)
            free(trim_err);
        if (fd_analysis_phase_completed(run->phase))
            break;
        int64_t next = fd_analysis_next_reconcile(run, now);
        if (next == FD_ANALYSIS_NO_TIME) {
            /* Nothing will ever be due (an unparsable interval): Argo would
             * wait forever; say so instead. */
            code = fd_cli_analyze_fail(
                "no metric will be measured again (check interval and initialDelay); "
                "the run stays %s",
                fd_analysis_phase_name(run->phase));
            fd_analysis_rules_free(rules);
            free(map);
            fd_analysis_run_free(run);
            return code;
        }
        int64_t wait = next - now + 1;
        if (wait > 0)
            sleep_ms(wait);
    }
    if (o->output == OUT_JSON) {
        json_t *j = fd_cli_analyze_run_json(run, NULL, true);
        json_object_set_new(j, "expr", fd_cli_analyze_expr_json(o));
        fd_cli_analyze_print_json(j);
        json_decref(j);
    } else {
        fd_cli_analyze_print_run_text(run, NULL);
        fd_cli_analyze_print_expr(o);
    }
    code = fd_cli_analyze_exit_for(run->phase);
    fd_analysis_rules_free(rules);
    free(map);
    fd_analysis_run_free(run);
    return code;
}

/* ValidateMetrics, as the controller applies it to a new run before
 * measuring anything: a template Argo would refuse gets the verdict Error
 * with Argo's message instead of measurements. Returns -1 when every plan is
 * valid, else the exit code after reporting. */
static int refuse_invalid(const struct opts *o, struct fd_analysis_plan *plans, size_t n_plans)
{
    json_t *jt = json_array();
    bool invalid = false;

    for (size_t t = 0; t < n_plans; t++) {
        char *err = NULL;
        if (fd_analysis_validate_metrics(plans[t].run, &err) == FD_OK) {
            json_array_append_new(jt, json_pack("{ss ss ss sn}", "kind", plans[t].kind, "name",
                                                plans[t].name, "phase", "", "message"));
            continue;
        }
        char *msg = fd_xasprintf("Analysis spec invalid: %s", err);
        free(err);
        invalid = true;
        if (o->output == OUT_TEXT) {
            printf("%s %s: Error\n", plans[t].kind, plans[t].name);
            fd_cli_analyze_print_field("message:", msg);
        }
        json_array_append_new(jt, json_pack("{ss ss ss ss}", "kind", plans[t].kind, "name",
                                            plans[t].name, "phase", "Error", "message", msg));
        free(msg);
    }
    if (!invalid) {
        json_decref(jt);
        return -1;
    }
    if (o->output == OUT_JSON) {
        json_t *j = json_pack("{ss ss so}", "phase", "Error", "message",
                              "Analysis spec invalid: nothing was measured", "templates", jt);
        fd_cli_analyze_print_json(j);
        json_decref(j);
    } else {
        json_decref(jt);
        printf("verdict: Error (the controller would refuse this spec; nothing was measured)\n");
    }
    return fd_cli_analyze_exit_for(FD_ANALYSIS_PHASE_ERROR);
}

/* Plans every template of docs (borrowed), then measures them once or
 * watches them. where names the source in messages; kind_label (may be
 * NULL) replaces the templates' kind in the output. */
int fd_cli_analyze_run_docs(struct opts *o, json_t *docs, const char *where, const char *kind_label)
{
    char *err = NULL;
    struct fd_analysis_plan *plans = fd_xcalloc(json_array_size(docs) + 1, sizeof(*plans));
    size_t n_plans = 0, i;
    json_t *d;
    int code;

    json_array_foreach(docs, i, d)
    {
        const char *kind = json_string_value(json_object_get(d, "kind"));
        if (!fd_streq(kind, "AnalysisTemplate") && !fd_streq(kind, "ClusterAnalysisTemplate"))
            continue;
        if (!plan_template(d, o, &plans[n_plans], &err)) {
            fd_analysis_plan_free(&plans[n_plans]);
            code = fd_cli_analyze_fail("%s: %s", where, err);
            free(err);
            goto out;
        }
        if (kind_label)
            plans[n_plans].kind = kind_label;
        n_plans++;
    }
    if (!n_plans) {
        code =
            fd_cli_analyze_fail("%s: holds no AnalysisTemplate or ClusterAnalysisTemplate", where);
        goto out;
    }
    for (size_t k = 0; k < o->n_args; k++) {
        if (!o->arg_used[k] && (!o->user_arg || o->user_arg[k])) {
            code = fd_cli_usage_error(CMD,
                                      "--arg %s: no template in %s declares an argument "
                                      "of that name",
                                      o->args[k].name, where);
            goto out;
        }
    }
    code = refuse_invalid(o, plans, n_plans);
    if (code < 0)
        code = o->watch ? analyze_watch(o, plans, n_plans) : analyze_once(o, plans, n_plans);
out:
    for (size_t k = 0; k < n_plans; k++)
        fd_analysis_plan_free(&plans[k]);
    free(plans);
    return code;
}

int fd_cli_analyze_cmd_templates(struct opts *o, const char *path)
{
    char *err = NULL;
    json_t *docs = fd_yaml_manifest_objects(path, &err);
    int code;

    if (!docs) {
        code = fd_cli_analyze_fail("%s", err);
        free(err);
        return code;
    }
    code = fd_cli_analyze_run_docs(o, docs, path, NULL);
    json_decref(docs);
    return code;
}
