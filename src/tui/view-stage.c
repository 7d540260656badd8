/* tui/view-stage.c: one Stage in detail: its Freight and what waits, the
 * current AnalysisRun metric by metric (live values as a sparkline against
 * the success / failure bands of the conditions, counters against their
 * limits, measurements left, and why a value was Inconclusive), the
 * verification history, the Rollouts behind the Stage (step, desired
 * against actual canary weight, pause reasons) and the last Promotion with
 * its steps. Up/Down scroll; the action keys act on this Stage. */
#include "config.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canvas.h"
#include "console.h"

static const char *clock_of(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (!t || !gmtime_r(&tt, &tm))
        snprintf(buf, size, "--:--");
    else
        strftime(buf, size, "%H:%M", &tm);
    return buf;
}

/* ---- Analysis ------------------------------------------------------------------ */

/* The threshold of a simple comparison "result[0] >= 0.95" (or "result >
 * 3"); false when the condition is anything else. */
static bool threshold(const char *cond, char op[3], double *value)
{
    static regex_t re;
    static bool compiled;
    regmatch_t m[4];

    if (!cond)
        return false;
    if (!compiled) {
        if (regcomp(&re,
                    "^[[:space:]]*result(\\[0\\])?[[:space:]]*(<=|>=|<|>|==)[[:space:]]*"
                    "([-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?)[[:space:]]*$",
                    REG_EXTENDED) != 0)
            return false;
        compiled = true;
    }
    if (regexec(&re, cond, 4, m, 0) != 0)
        return false;
    snprintf(op, 3, "%.*s", (int)(m[2].rm_eo - m[2].rm_so), cond + m[2].rm_so);
    *value = strtod(cond + m[3].rm_so, NULL);
    return true;
}

/* The first number of a measurement value ("[0.97]", "0.97"); NAN if none. */
static double first_number(const char *v)
{
    char *end;
    double d;

    if (!v)
        return NAN;
    while (*v == '[' || *v == ' ')
        v++;
    d = strtod(v, &end);
    return end == v ? NAN : d;
}

static const char *op_text(const char *op)
{
    return fd_streq(op, ">=") ? "\u2265" : fd_streq(op, "<=") ? "\u2264" : op;
}

static void metric_section(struct fd_tui_canvas *k, struct fd_tui_console *c,
                           const struct fd_analysis_run *run, const struct fd_analysis_metric *m)
{
    const struct fd_analysis_metric_result *r = fd_analysis_run_result(run, m->name);
    const char *phase = r ? fd_analysis_phase_name(r->phase) : "Pending";
    char sop[3], fop[3], age[32];
    double sv = 0, fv = 0;
    bool has_s = threshold(m->success_condition, sop, &sv);
    bool has_f = threshold(m->failure_condition, fop, &fv);
    int64_t count, interval_ms = 0;

    if (!*phase)
        phase = "Pending";
    k->x = 2;
    fd_tui_canvas_put(k, fd_tui_console_phase_role(phase), "%s ",
                      fd_tui_glyph(fd_tui_console_phase_glyph(phase)));
    fd_tui_canvas_put(k, FD_ROLE_NORMAL, "%-16s ", m->name);
    fd_tui_canvas_put(k, fd_tui_console_phase_role(phase), "%-12s", phase);
    /* Measurements taken of the count, and the time left. */
    size_t taken = r ? (size_t)r->count : 0;
    if (m->interval) {
        char *derr = NULL;
        if (fd_analysis_parse_duration(m->interval, &interval_ms, &derr) != FD_OK)
            interval_ms = 0;
        free(derr);
    }
    if (fd_analysis_effective_count(m, &count)) {
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %zu/%lld taken", taken, (long long)count);
        if ((int64_t)taken < count && interval_ms > 0 && r &&
            !fd_analysis_phase_completed(r->phase) && !fd_analysis_phase_completed(run->phase))
            fd_tui_canvas_put(k, FD_ROLE_MUTED, ", ~%s left",
                              fd_tui_console_age((count - (int64_t)taken) * interval_ms / 1000, age,
                                                 sizeof(age)));
    } else {
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %zu taken (no count: runs until stopped)", taken);
    }
    if (m->interval)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, ", every %s", m->interval);
    fd_tui_canvas_row(k, 4);

    /* Values against the bands. */
    if (r && r->n_measurements && m->provider != FD_ANALYSIS_PROVIDER_JOB) {
        double lo = INFINITY, hi = -INFINITY;
        size_t first = r->n_measurements > 24 ? r->n_measurements - 24 : 0;
        for (size_t i = first; i < r->n_measurements; i++) {
            double d = first_number(r->measurements[i].value);
            if (!isnan(d)) {
                lo = fmin(lo, d);
                hi = fmax(hi, d);
            }
        }
        if (has_s) {
            lo = fmin(lo, sv);
            hi = fmax(hi, sv);
        }
        if (has_f) {
            lo = fmin(lo, fv);
            hi = fmax(hi, fv);
        }
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "values ");
        for (size_t i = first; i < r->n_measurements; i++) {
            const struct fd_analysis_measurement *ms = &r->measurements[i];
            double d = first_number(ms->value);
            const char *g = isnan(d) ? fd_tui_glyph(FD_GLYPH_BULLET)
                                     : fd_tui_glyph_spark(hi > lo ? (d - lo) / (hi - lo) : 0.5);
            fd_tui_canvas_put(k, fd_tui_console_phase_role(fd_analysis_phase_name(ms->phase)), "%s",
                              g);
        }
        const struct fd_analysis_measurement *last = &r->measurements[r->n_measurements - 1];
        fd_tui_canvas_put(k, fd_tui_console_phase_role(fd_analysis_phase_name(last->phase)), " %s",
                          last->value ? last->value : "(no value)");
        if (has_s)
            fd_tui_canvas_put(k, FD_ROLE_OK, "  %s %s %g", fd_tui_glyph(FD_GLYPH_OK), op_text(sop),
                              sv);
        if (has_f)
            fd_tui_canvas_put(k, FD_ROLE_FAILED, "  %s %s %g", fd_tui_glyph(FD_GLYPH_FAILED),
                              op_text(fop), fv);
        if (has_s && has_f)
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "  between: ? inconclusive");
        fd_tui_canvas_row(k, 4);
    } else if (!r || !r->n_measurements) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "no measurement yet");
        if (m->success_condition)
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "; success when %s", m->success_condition);
        fd_tui_canvas_row(k, 4);
    }

    /* Counters against limits. */
    if (r) {
        char *why = NULL;
        int64_t fl = m->failure_limit.set ? m->failure_limit.value : 0;
        int64_t il = m->inconclusive_limit.set ? m->inconclusive_limit.value : 0;
        int64_t el = m->consecutive_error_limit.set ? m->consecutive_error_limit.value
                                                    : FD_ANALYSIS_DEFAULT_CONSECUTIVE_ERROR_LIMIT;
        enum fd_analysis_phase breach = fd_analysis_metric_limits(m, r, &why);
        fd_tui_canvas_put(k, r->failed > fl ? FD_ROLE_FAILED : FD_ROLE_NORMAL, "failed %lld/%lld",
                          (long long)r->failed, (long long)fl);
        fd_tui_canvas_put(k, r->inconclusive > il ? FD_ROLE_INCONCLUSIVE : FD_ROLE_NORMAL,
                          "  inconclusive %lld/%lld", (long long)r->inconclusive, (long long)il);
        fd_tui_canvas_put(k, r->consecutive_error > el ? FD_ROLE_FAILED : FD_ROLE_NORMAL,
                          "  errors in a row %lld/%lld", (long long)r->consecutive_error,
                          (long long)el);
        if (breach != FD_ANALYSIS_PHASE_NONE && why)
            fd_tui_canvas_put(k, fd_tui_console_phase_role(fd_analysis_phase_name(breach)),
                              "  %s %s", fd_tui_glyph(FD_GLYPH_WARNING), why);
        free(why);
        fd_tui_canvas_row(k, 4);
        /* Why Inconclusive: the newest inconclusive measurement, in words. */
        for (size_t i = r->n_measurements; i-- > 0;) {
            const struct fd_analysis_measurement *ms = &r->measurements[i];
            char *err = NULL, *text = NULL, when[16];
            if (ms->phase != FD_ANALYSIS_PHASE_INCONCLUSIVE)
                continue;
            fd_value *val = fd_analysis_value_from_measurement(m->provider, ms->value, &err);
            if (val) {
                fd_analysis_explain(m->success_condition, m->failure_condition, val,
                                    fd_expr_mode_at(m->provider == FD_ANALYSIS_PROVIDER_PROMETHEUS
                                                        ? FD_EXPR_MODE_ARGO
                                                        : FD_EXPR_MODE_ARGO_WEB,
                                                    fd_tui_console_expr(c).version),
                                    &text);
                fd_value_unref(val);
            }
            fd_tui_canvas_put(k, FD_ROLE_INCONCLUSIVE,
                              "%s Inconclusive %s at %s: ", fd_tui_glyph(FD_GLYPH_INCONCLUSIVE),
                              ms->value ? ms->value : "?",
                              clock_of(ms->finished_at != FD_ANALYSIS_NO_TIME && ms->finished_at
                                           ? ms->finished_at / 1000
                                           : ms->started_at / 1000,
                                       when, sizeof(when)));
            fd_tui_canvas_wrap(k, FD_ROLE_INCONCLUSIVE, 6,
                               text  ? text
                               : err ? err
                                     : "no explanation");
            free(text);
            free(err);
            fd_tui_canvas_row(k, 4);
            break;
        }
        if (r->message && r->phase != FD_ANALYSIS_PHASE_RUNNING) {
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "%s", r->message);
            fd_tui_canvas_row(k, 4);
        }
    }
    (void)c;
}

/* Which expr release the controller judges the conditions with, and why. */
static void judged_with(struct fd_tui_canvas *k, struct fd_tui_console *c)
{
    struct fd_analysis_expr_choice ex = fd_tui_console_expr(c);
    char *judged = fd_analysis_expr_choice_text(&ex);

    fd_tui_canvas_put(k, FD_ROLE_MUTED, "judged with %s", judged);
    free(judged);
    fd_tui_canvas_row(k, 2);
}

static void analysis_section(struct fd_tui_canvas *k, struct fd_tui_console *c,
                             const struct fd_model_object *run_obj, const char *title)
{
    char age[32];

    k->x = 1;
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "%s", title);
    if (!run_obj) {
        fd_tui_canvas_row(k, 2);
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "no AnalysisRun for the current Freight");
        fd_tui_canvas_row(k, 2);
        judged_with(k, c);
        return;
    }
    if (run_obj->undecodable) {
        fd_tui_canvas_put(k, FD_ROLE_FAILED, " %s: %s", run_obj->meta.name, run_obj->error);
        fd_tui_canvas_row(k, 1);
        return;
    }
    const struct fd_analysis_run *run = run_obj->u.analysis;
    const char *phase = fd_analysis_phase_name(run->phase);
    if (!*phase)
        phase = "Pending";
    fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %s  ", run_obj->meta.name);
    fd_tui_canvas_put(k, fd_tui_console_phase_role(phase), "%s %s",
                      fd_tui_glyph(fd_tui_console_phase_glyph(phase)), phase);
    if (run->started_at && run->started_at != FD_ANALYSIS_NO_TIME) {
        int64_t end = run->completed_at && run->completed_at != FD_ANALYSIS_NO_TIME
                          ? run->completed_at / 1000
                          : fd_tui_console_now(c);
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  %s for %s",
                          run->completed_at && run->completed_at != FD_ANALYSIS_NO_TIME ? "ran"
                                                                                        : "running",
                          fd_tui_console_age(end - run->started_at / 1000, age, sizeof(age)));
    }
    fd_tui_canvas_row(k, 2);
    judged_with(k, c);
    if (run->message && run->phase != FD_ANALYSIS_PHASE_RUNNING) {
        fd_tui_canvas_put(k, fd_tui_console_phase_role(phase), "%s", run->message);
        fd_tui_canvas_row(k, 2);
    }
    for (size_t i = 0; i < run->n_metrics; i++)
        metric_section(k, c, run, &run->metrics[i]);
}

static void history_section(struct fd_tui_canvas *k, struct fd_tui_console *c,
                            const struct fd_model_stage *st)
{
    char when[16], age[32];
    int shown = 0;

    k->x = 1;
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "VERIFICATION HISTORY");
    fd_tui_canvas_row(k, 2);
    for (size_t i = 0; st && i < st->n_history && shown < 6; i++) {
        const struct fd_model_freight_collection *col = &st->history[i];
        const struct fd_model_freight_ref *fr = col->n_items ? &col->items[0] : NULL;
        const struct fd_model_object *fo =
            fr ? fd_tui_console_find(c, FD_MODEL_FREIGHT, fr->name) : NULL;
        const char *alias = fo && !fo->undecodable && fo->u.freight->alias ? fo->u.freight->alias
                            : fr && fr->name                               ? fr->name
                                                                           : "?";
        for (size_t j = 0; j < col->n_verifications && shown < 6; j++, shown++) {
            const struct fd_model_verification *v = &col->verifications[j];
            const char *ph = v->phase ? v->phase : "Pending";
            int64_t end = v->finish ? v->finish : fd_tui_console_now(c);
            fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %-12s",
                              fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
            fd_tui_canvas_put(
                k, FD_ROLE_NORMAL, " %s %6s  %-16s", clock_of(v->start, when, sizeof(when)),
                v->start ? fd_tui_console_age(end - v->start, age, sizeof(age)) : "-", alias);
            fd_tui_canvas_put(k, FD_ROLE_MUTED, " %s", v->run.name ? v->run.name : "");
            if (v->message && fd_tui_console_phase_glyph(ph) != FD_GLYPH_OK)
                fd_tui_canvas_put(k, FD_ROLE_MUTED, "  %s", v->message);
            fd_tui_canvas_row(k, 2);
        }
    }
    if (!shown) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "none");
        fd_tui_canvas_row(k, 2);
    }
}

static void bar(struct fd_tui_canvas *k, int width, int64_t pct, enum fd_tui_role full)
{
    int fill = (int)((pct * width + 50) / 100);

    if (fill > width)
        fill = width;
    if (fill < 0)
        fill = 0;
    for (int i = 0; i < width; i++)
        fd_tui_canvas_put(k, i < fill ? full : FD_ROLE_BAR_EMPTY, "%s",
                          fd_tui_glyph(i < fill ? FD_GLYPH_BAR_FULL : FD_GLYPH_BAR_EMPTY));
}

static void rollout_section(struct fd_tui_canvas *k, struct fd_tui_console *c, const char *stage)
{
    const struct fd_model_object **ro;
    size_t n = fd_tui_console_rollouts(c, stage, &ro);

    const struct fd_tui_console_conn *conn = fd_tui_console_stage_conn(c, stage);
    char age[32];

    k->x = 1;
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "ROLLOUTS");
    /* From another cluster: say which, and whether what is shown is live. */
    if (conn && conn->store) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  in context %s", conn->name);
        if (conn->state != FD_CLIENT_CONN_LIVE)
            fd_tui_canvas_put(
                k, FD_ROLE_WAITING, "  %s %s%s%s", fd_tui_glyph(FD_GLYPH_WARNING),
                conn->state == FD_CLIENT_CONN_RECONNECTING ? "stale, reconnecting"
                                                           : fd_client_conn_name(conn->state),
                conn->stale_since ? " since " : "",
                conn->stale_since
                    ? fd_tui_console_age_since(k->ui, c, conn->stale_since, age, sizeof(age))
                    : "");
    }
    fd_tui_canvas_row(k, 2);
    if (!n && conn && conn->client && !fd_client_synced(conn->client)) {
        /* Nothing listed yet is not "none found". */
        fd_tui_canvas_put(k, FD_ROLE_WAITING, "%s context %s not reached yet%s%s",
                          fd_tui_glyph(FD_GLYPH_WARNING), conn->name, conn->error[0] ? ": " : "",
                          conn->error);
        fd_tui_canvas_row(k, 1);
    } else if (!n) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED,
                          "none found (label freightdeck.io/stage=%s, or a Rollout named "
                          "%s-%s or %s; see the config file's stages:)",
                          stage, c->project ? c->project : "PROJECT", stage, stage);
        fd_tui_canvas_row(k, 1);
    }
    for (size_t i = 0; i < n; i++) {
        struct fd_model_canary_view cv;
        int bw = k->cols >= 120 ? 40 : 20;
        fd_model_rollout_canary(
            ro[i], fd_model_rollout_canary_available(fd_tui_console_conn_snap(c, conn), ro[i]),
            &cv);
        const char *ph = cv.phase ? cv.phase : "Unknown";
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, "%s  ", ro[i]->meta.name);
        fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %s",
                          fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
        if (cv.has_step)
            fd_tui_canvas_put(k, FD_ROLE_NORMAL, "  step %lld/%lld", (long long)cv.step,
                              (long long)cv.steps);
        if (ro[i]->u.rollout && ro[i]->u.rollout->abort)
            fd_tui_canvas_put(k, FD_ROLE_FAILED, "  aborted");
        fd_tui_canvas_row(k, 4);
        if (cv.canary) {
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "desired ");
            bar(k, bw, cv.set_weight, FD_ROLE_BAR);
            fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %3lld%%", (long long)cv.set_weight);
            fd_tui_canvas_row(k, 4);
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "actual  ");
            if (cv.actual_known) {
                bar(k, bw, cv.actual_weight,
                    cv.actual_weight == cv.set_weight ? FD_ROLE_BAR : FD_ROLE_RUNNING);
                fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %3lld%%", (long long)cv.actual_weight);
            } else {
                fd_tui_canvas_put(k, FD_ROLE_MUTED, "unknown (needs the canary ReplicaSet)");
            }
            fd_tui_canvas_row(k, 4);
        }
        if (cv.n_pause_reasons) {
            fd_tui_canvas_put(k, cv.paused_indefinitely ? FD_ROLE_WAITING : FD_ROLE_NORMAL,
                              "%s paused:", fd_tui_glyph(FD_GLYPH_PAUSED));
            for (size_t j = 0; j < cv.n_pause_reasons; j++)
                fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %s", cv.pause_reasons[j]);
            if (cv.paused_indefinitely)
                fd_tui_canvas_put(k, FD_ROLE_WAITING, "  until promoted (P promotes, A aborts)");
            fd_tui_canvas_row(k, 4);
        }
        if (cv.message && *cv.message) {
            fd_tui_canvas_put(k, FD_ROLE_MUTED, "%s", cv.message);
            fd_tui_canvas_row(k, 4);
        }
        fd_model_canary_view_free(&cv);
        k->x = 2;
    }
    free(ro);
}

static void promotion_section(struct fd_tui_canvas *k, struct fd_tui_console *c,
                              const struct fd_model_stage *st)
{
    const struct fd_model_promotion_ref *ref =
        st && st->current_promotion.present ? &st->current_promotion
        : st && st->last_promotion.present  ? &st->last_promotion
                                            : NULL;
    char age[32];

    k->x = 1;
    fd_tui_canvas_put(k, FD_ROLE_HEADING, "%s",
                      ref == &st->current_promotion ? "RUNNING PROMOTION" : "LAST PROMOTION");
    if (!ref) {
        fd_tui_canvas_row(k, 2);
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "none");
        fd_tui_canvas_row(k, 1);
        return;
    }
    const struct fd_model_object *po = fd_tui_console_find(c, FD_MODEL_PROMOTION, ref->name);
    const struct fd_model_promotion *p = po && !po->undecodable ? po->u.promotion : NULL;
    const char *ph = p && p->phase ? p->phase : ref->phase ? ref->phase : "Pending";
    const struct fd_model_object *fo = fd_tui_console_find(c, FD_MODEL_FREIGHT, ref->freight);
    const char *actor = po ? fd_model_annotation(po, "kargo.akuity.io/create-actor") : NULL;
    fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %s  ", ref->name ? ref->name : "?");
    fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s %s",
                      fd_tui_glyph(fd_tui_console_phase_glyph(ph)), ph);
    if (fo && !fo->undecodable && fo->u.freight->alias)
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, "  %s", fo->u.freight->alias);
    if (actor)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  by %s", actor);
    int64_t fin = p && p->finished ? p->finished : ref->finished;
    if (fin)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  %s ago",
                          fd_tui_console_age_since(k->ui, c, fin, age, sizeof(age)));
    fd_tui_canvas_row(k, 2);
    if (p && p->message && fd_tui_console_phase_glyph(ph) != FD_GLYPH_OK) {
        fd_tui_canvas_put(k, fd_tui_console_phase_role(ph), "%s", p->message);
        fd_tui_canvas_row(k, 2);
    }
    for (size_t i = 0; p && i < p->n_steps; i++) {
        const struct fd_model_step_status *ss = NULL;
        const char *alias = p->step_aliases[i];
        for (size_t j = 0; j < p->n_step_status; j++)
            if (alias && fd_streq(p->step_status[j].alias, alias))
                ss = &p->step_status[j];
        if (!ss && i < p->n_step_status && !alias)
            ss = &p->step_status[i];
        const char *sph = ss && ss->status                                       ? ss->status
                          : p->has_current_step && (int64_t)i == p->current_step ? "Running"
                                                                                 : "Pending";
        fd_tui_canvas_put(k, fd_tui_console_phase_role(sph), "%s %-10s",
                          fd_tui_glyph(fd_tui_console_phase_glyph(sph)), sph);
        fd_tui_canvas_put(k, FD_ROLE_NORMAL, " %-14s %-20s", alias ? alias : "-",
                          p->step_uses[i] ? p->step_uses[i] : "?");
        if (ss && ss->started)
            fd_tui_canvas_put(
                k, FD_ROLE_MUTED, " %s",
                fd_tui_console_age((ss->finished ? ss->finished : fd_tui_console_now(c)) -
                                       ss->started,
                                   age, sizeof(age)));
        if (ss && ss->message && fd_tui_console_phase_glyph(sph) != FD_GLYPH_OK)
            fd_tui_canvas_put(k, FD_ROLE_FAILED, "  %s", ss->message);
        fd_tui_canvas_row(k, 2);
    }
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_stage_state *s = v->state;
    struct fd_tui_canvas k;
    struct fd_tui_console_stage_info si;
    char age[32];

    fd_tui_canvas_init(&k, ui, v);
    if (!c || !s)
        return;
    const struct fd_model_object *o = fd_tui_console_find(c, FD_MODEL_STAGE, s->stage);
    if (!o) {
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, "Stage %s is not in project %s (deleted?)", s->stage,
                          c->project ? c->project : "?");
        return;
    }
    if (o->undecodable) {
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, "%s", o->error);
        return;
    }
    fd_tui_console_stage_info(c, o, &si);
    const char *phn = fd_model_stage_phase_name(si.phase);
    fd_tui_canvas_put(&k, FD_ROLE_TITLE, "%s  ", o->meta.name);
    fd_tui_canvas_put(&k, fd_tui_console_stage_phase_role(si.phase), "%s %s",
                      fd_tui_glyph(fd_tui_console_phase_glyph(phn)), phn);
    if (si.st->health)
        fd_tui_canvas_put(&k, fd_tui_console_phase_role(si.st->health), "  health %s",
                          si.st->health);
    fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  auto-promotion %s", si.autopromo ? "on" : "off");
    if (si.prod)
        fd_tui_canvas_put(&k, FD_ROLE_DANGER, "  production");
    fd_tui_canvas_row(&k, 1);
    if (si.cur) {
        fd_tui_canvas_put(&k, FD_ROLE_NORMAL, "Freight %s %s", si.alias, si.version);
        if (si.since)
            fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  in the Stage for %s",
                              fd_tui_console_age_since(k.ui, c, si.since, age, sizeof(age)));
    } else {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "no Freight yet");
    }
    fd_tui_canvas_row(&k, 1);
    for (size_t i = 0; i < c->n_att; i++) {
        const struct fd_model_attention *a = &c->att[i];
        if (a != fd_tui_console_attention_for(c, o->meta.name) &&
            !(a->stage && fd_streq(a->stage->meta.name, o->meta.name)))
            continue;
        fd_tui_canvas_put(&k, FD_ROLE_WAITING, "%s waits for you: %s",
                          fd_tui_glyph(FD_GLYPH_WARNING),
                          a->detail ? a->detail : fd_model_attention_text(a->kind));
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  (%s)", fd_tui_console_attention_keys(a->kind));
        fd_tui_canvas_row(&k, 1);
    }
    fd_tui_canvas_row(&k, 1);

    /* Verification: the current Freight's newest AnalysisRun. */
    const struct fd_model_freight_collection *col = fd_model_stage_current(si.st);
    const struct fd_model_object *run =
        col ? fd_model_verification_run(c->snap, o, si.ver, col->id) : NULL;
    analysis_section(&k, c, run, "VERIFICATION");
    fd_tui_canvas_row(&k, 1);
    rollout_section(&k, c, o->meta.name);
    fd_tui_canvas_row(&k, 1);
    promotion_section(&k, c, si.st);
    fd_tui_canvas_row(&k, 1);
    history_section(&k, c, si.st);
    s->height = k.y;
    fd_tui_canvas_more(&k, v, s->height);
    /* Durations on screen ("running for 12m", "~15m left") tick every
     * second; curses sends only the cells that changed. */
    if (c && !c->opt->now)
        fd_tui_redraw_in(ui, 1000);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console_stage_state *s = v->state;

    if (fd_tui_req_action(req) != FD_MODEL_ACTION__COUNT) {
        fd_tui_console_action_dialog(ui, req, s->stage, NULL);
        return FD_TUI_HANDLED;
    }
    switch (req) {
    case FD_REQ_WHATIF:
        fd_tui_console_open_whatif(ui, s->stage);
        return FD_TUI_HANDLED;
    case FD_REQ_REPLAY:
        fd_tui_console_open_replay(ui, s->stage);
        return FD_TUI_HANDLED;
    case FD_REQ_HISTORY:
        fd_tui_console_open_history(ui, s->stage);
        return FD_TUI_HANDLED;
    case FD_REQ_ROLLOUT_VIEW:
        fd_tui_console_open_rollout(ui, s->stage);
        return FD_TUI_HANDLED;
    case FD_REQ_EVENTS:
        fd_tui_console_open_events(ui, s->stage);
        return FD_TUI_HANDLED;
    default:
        return fd_tui_canvas_scroll(ui, v, req, s->height);
    }
}

void fd_tui_console_stage_view_open(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_stage_state *s = fd_xcalloc(1, sizeof(*s));

    s->stage = fd_xstrdup(c && c->selected_stage ? c->selected_stage : "");
    v->state = s;
}

void fd_tui_console_stage_view_close(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console_stage_state *s = v->state;

    (void)ui;
    if (s)
        free(s->stage);
    free(s);
    v->state = NULL;
}

void fd_tui_console_open_stage_view(struct fd_tui *ui, const char *stage,
                                    const struct fd_tui_view_ops *ops)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    if (!c)
        return;
    if (!fd_tui_console_find(c, FD_MODEL_STAGE, stage)) {
        fd_tui_message(ui, FD_TUI_WARN, 5000, "no Stage %s in project %s", stage,
                       c->project ? c->project : "(none)");
        return;
    }
    free(c->selected_stage);
    c->selected_stage = fd_xstrdup(stage);
    fd_tui_push_view(ui, ops);
}

void fd_tui_console_open_stage(struct fd_tui *ui, const char *stage)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    if (!c)
        return;
    free(c->selected_stage);
    c->selected_stage = fd_xstrdup(stage);
    fd_tui_push_view(ui, &fd_tui_view_stage);
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_PROMOTE, "promote"},
    {FD_REQ_REVERIFY, "reverify"},
    {FD_REQ_ABORT_VERIFICATION, "abort verif."},
    {FD_REQ_ROLLOUT_PROMOTE, "step"},
    {FD_REQ_ROLLOUT_ABORT, "abort canary"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_stage = {
    .name = "stage",
    .title = "Stage",
    .help = "One Stage: its Freight, the live verification (each metric's values against\n"
            "the success and failure thresholds of its conditions, counters against their\n"
            "limits, why a value was Inconclusive), its Rollouts and the last Promotion.",
    .hints = hints,
    .split = true,
    .open = fd_tui_console_stage_view_open,
    .close = fd_tui_console_stage_view_close,
    .draw = draw,
    .request = request,
};

/* ---- One AnalysisRun (Enter on :runs) ----------------------------------------
 * Any run, verification or canary step, drawn as the Stage pane draws its
 * verification: metric by metric, values against thresholds, counters. */

struct run_state {
    char *ns, *name;
    int height;
};

static char *pending_run_ns, *pending_run_name;

static const struct fd_model_object *find_run(struct fd_tui_console *c, const struct run_state *s)
{
    for (size_t i = 0; i < (c->n_conns ? c->n_conns : 1); i++) {
        const struct fd_model_snapshot *snap =
            c->n_conns ? fd_tui_console_conn_snap(c, &c->conns[i]) : c->snap;
        const struct fd_model_object *o =
            snap ? fd_model_snapshot_find(snap, FD_MODEL_ANALYSIS_RUN, s->ns, s->name) : NULL;
        if (o)
            return o;
    }
    return NULL;
}

static void run_draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct run_state *s = v->state;
    struct fd_tui_canvas k;

    fd_tui_canvas_init(&k, ui, v);
    if (!c || !s)
        return;
    const struct fd_model_object *run = find_run(c, s);
    if (!run) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "AnalysisRun %s/%s is gone", s->ns, s->name);
        s->height = 1;
        return;
    }
    analysis_section(&k, c, run, "ANALYSISRUN");
    s->height = k.y;
    if (!c->opt->now)
        fd_tui_redraw_in(ui, 1000);
}

static void run_open(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct run_state *s = fd_xcalloc(1, sizeof(*s));

    (void)ui;
    s->ns = pending_run_ns ? pending_run_ns : fd_xstrdup("");
    s->name = pending_run_name ? pending_run_name : fd_xstrdup("");
    pending_run_ns = pending_run_name = NULL;
    v->state = s;
}

static void run_close(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct run_state *s = v->state;

    (void)ui;
    if (s) {
        free(s->ns);
        free(s->name);
    }
    free(s);
    v->state = NULL;
}

static enum fd_tui_result run_request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct run_state *s = v->state;

    return fd_tui_canvas_scroll(ui, v, req, s ? s->height : 0);
}

void fd_tui_console_open_run(struct fd_tui *ui, const char *ns, const char *name)
{
    free(pending_run_ns);
    free(pending_run_name);
    pending_run_ns = fd_xstrdup(ns ? ns : "");
    pending_run_name = fd_xstrdup(name);
    fd_tui_push_view(ui, &fd_tui_view_run);
}

const struct fd_tui_view_ops fd_tui_view_run = {
    .name = "run",
    .title = "AnalysisRun",
    .help = "One AnalysisRun, verification or canary step: each metric's values against\n"
            "the thresholds of its conditions, counters against their limits, and why.",
    .open = run_open,
    .close = run_close,
    .draw = run_draw,
    .request = run_request,
};
