/* tui/dialog.c: the action dialog. Every action goes through it: it says
 * exactly what will be sent (method, path, body; object, field, value), what
 * the client-side checks and the RBAC reviews found, and asks for the
 * Stage's name to be typed when the Stage is production. A blocked action
 * shows why and cannot be sent. After sending it shows the server's answer
 * verbatim; on success it closes and the pane below follows the change as
 * the watch brings it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "utf8.h"

enum dialog_phase { DLG_EDIT, DLG_SENDING, DLG_DONE };

struct fd_tui_console_dialog {
    enum fd_tui_req req;
    enum fd_model_action_kind kind;
    char *stage, *freight, *rollout;
    /* A choice the dialog offers (the Freight to promote, the Stage to
     * approve for, the Rollout): labels shown, values acted on. */
    const char *choice_what; /* "Freight", "Stage", "Rollout" or NULL */
    char **values, **labels;
    bool *usable;
    size_t n_choices;
    int choice;
    struct fd_model_action_plan *plan;
    char *plan_err;
    uint64_t plan_gen;
    bool prod;
    char typed[64];
    enum dialog_phase phase;
    unsigned long id;
    uint64_t sent_ms; /* when it was sent, for the elapsed time shown */
    char *result;
    bool result_ok;
    /* Where it is planned, reviewed and sent: a Rollout's own cluster (the
     * config file's mapping); NULL for the Kargo context. */
    const struct fd_tui_console_conn *conn;
    /* Approve/promote: what is in the Stage now and the warnings (model). */
    struct fd_model_gate gate;
    int scroll, body_rows, avail; /* the body scrolls when taller than the pane */
};

static struct fd_client *dialog_client(const struct fd_tui_console *c,
                                       const struct fd_tui_console_dialog *d)
{
    return d->conn ? d->conn->client : fd_tui_console_client(c);
}

/* Changes when either the Kargo store or the dialog's cluster store does. */
static uint64_t dialog_gen(const struct fd_tui_console *c, const struct fd_tui_console_dialog *d)
{
    return c->gen + (d->conn && d->conn->store ? d->conn->gen : 0);
}

static void add_choice(struct fd_tui_console_dialog *d, const char *value, const char *label,
                       bool usable)
{
    d->values = fd_xreallocarray(d->values, d->n_choices + 1, sizeof(char *));
    d->labels = fd_xreallocarray(d->labels, d->n_choices + 1, sizeof(char *));
    d->usable = fd_xreallocarray(d->usable, d->n_choices + 1, sizeof(bool));
    d->values[d->n_choices] = fd_xstrdup(value);
    d->labels[d->n_choices] = fd_xstrdup(label);
    d->usable[d->n_choices] = usable;
    d->n_choices++;
}

static void dialog_free(struct fd_tui_console_dialog *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_choices; i++) {
        free(d->values[i]);
        free(d->labels[i]);
    }
    free(d->values);
    free(d->labels);
    free(d->usable);
    fd_model_action_plan_free(d->plan);
    fd_model_gate_free(&d->gate);
    free(d->plan_err);
    free(d->stage);
    free(d->freight);
    free(d->rollout);
    free(d->result);
    free(d);
}

/* The target of the current choice. */
static void apply_choice(struct fd_tui_console_dialog *d)
{
    if (!d->choice_what || !d->n_choices)
        return;
    char **slot = fd_streq(d->choice_what, "Freight") ? &d->freight
                  : fd_streq(d->choice_what, "Stage") ? &d->stage
                                                      : &d->rollout;
    free(*slot);
    *slot = fd_xstrdup(d->values[d->choice]);
}

static size_t gate_rollouts(void *user, const char *stage, const struct fd_model_object ***out)
{
    return fd_tui_console_rollouts(user, stage, out);
}

static void replan(struct fd_tui_console *c, struct fd_tui_console_dialog *d)
{
    struct fd_model_action a = {.kind = d->kind, .ns = c->project, .actor = c->user};

    apply_choice(d);
    d->prod = fd_tui_console_is_production(c, d->stage);
    fd_model_action_plan_free(d->plan);
    d->plan = NULL;
    free(d->plan_err);
    d->plan_err = NULL;
    fd_model_gate_free(&d->gate);
    switch (d->kind) {
    case FD_MODEL_ACTION_APPROVE:
    case FD_MODEL_ACTION_PROMOTE:
        a.name = d->freight;
        a.stage = d->stage;
        fd_model_gate_build(c->snap, fd_tui_console_find(c, FD_MODEL_STAGE, d->stage),
                            fd_tui_console_freight(c, d->freight), gate_rollouts, c, &d->gate);
        break;
    case FD_MODEL_ACTION_ROLLOUT_ABORT:
    case FD_MODEL_ACTION_ROLLOUT_PROMOTE:
    case FD_MODEL_ACTION_ROLLOUT_PROMOTE_FULL:
    case FD_MODEL_ACTION_ROLLOUT_RETRY: {
        /* The Rollout lives where the config file maps its Stage. */
        const struct fd_client_stage_map *m = fd_client_fleet_find(c->fleet, c->project, d->stage);
        a.name = d->rollout;
        if (m)
            a.ns = m->ns;
        break;
    }
    default:
        a.name = d->stage;
        break;
    }
    if (!a.name ||
        (!a.stage && (d->kind == FD_MODEL_ACTION_APPROVE || d->kind == FD_MODEL_ACTION_PROMOTE))) {
        d->plan_err = fd_xstrdup("nothing to act on");
        return;
    }
    if (fd_model_action_plan(&a, fd_tui_console_conn_snap(c, d->conn), fd_tui_console_now(c),
                             &d->plan, &d->plan_err) != FD_OK)
        return;
    if (dialog_client(c, d))
        fd_client_action_review_cached(dialog_client(c, d), d->plan);
    d->plan_gen = dialog_gen(c, d);
}

/* The Freight a Stage could get, newest first, the usable ones marked. */
static void freight_choices(struct fd_tui_console *c, struct fd_tui_console_dialog *d)
{
    const struct fd_model_object **fl, *stage = fd_tui_console_find(c, FD_MODEL_STAGE, d->stage);
    size_t n = fd_tui_console_freight_list(c, &fl);
    int first_ok = -1;

    for (size_t i = 0; i < n && stage; i++) {
        const struct fd_model_freight *f = fl[i]->undecodable ? NULL : fl[i]->u.freight;
        char ver[64] = "", label[256];
        int64_t soak = 0;
        if (!f)
            continue;
        fd_tui_console_version(&f->art, ver, sizeof(ver));
        enum fd_model_availability av =
            fd_model_freight_availability(stage, fl[i], fd_tui_console_now(c), &soak);
        bool in = fd_model_freight_currently_in(f, d->stage) != NULL;
        bool approved = fd_model_freight_approved_for(f, d->stage) != NULL;
        bool usable = d->kind == FD_MODEL_ACTION_APPROVE ? !approved && !in
                                                         : fd_model_availability_ok(av) && !in;
        snprintf(label, sizeof(label), "%-16s %-10s %s", f->alias ? f->alias : fl[i]->meta.name,
                 ver,
                 in                                               ? "already in the Stage"
                 : d->kind == FD_MODEL_ACTION_APPROVE && approved ? "already approved"
                                                                  : fd_model_availability_text(av));
        add_choice(d, fl[i]->meta.name, label, usable);
        if (usable && first_ok < 0)
            first_ok = (int)d->n_choices - 1;
    }
    free(fl);
    d->choice_what = "Freight";
    d->choice = first_ok >= 0 ? first_ok : 0;
}

/* The Stages a Freight could go to, in pipeline order. */
static void stage_choices(struct fd_tui_console *c, struct fd_tui_console_dialog *d)
{
    const struct fd_model_object *fo = fd_tui_console_freight(c, d->freight);
    const char *waiting = NULL;
    int first_ok = -1, waits = -1;

    /* The Stage that waits for this Freight is the one meant. */
    for (size_t i = 0; fo && i < c->n_att && !waiting; i++)
        if (c->att[i].kind == FD_MODEL_ATTENTION_FREIGHT_READY && c->att[i].obj == fo &&
            c->att[i].stage)
            waiting = c->att[i].stage->meta.name;

    for (size_t i = 0; c->pipe && fo && !fo->undecodable && i < c->pipe->n_nodes; i++) {
        const struct fd_model_node *nd = &c->pipe->nodes[i];
        char label[256];
        int64_t soak = 0;
        if (nd->kind != FD_MODEL_NODE_STAGE || !nd->obj)
            continue;
        enum fd_model_availability av =
            fd_model_freight_availability(nd->obj, fo, fd_tui_console_now(c), &soak);
        bool in = fd_model_freight_currently_in(fo->u.freight, nd->name) != NULL;
        bool approved = fd_model_freight_approved_for(fo->u.freight, nd->name) != NULL;
        bool usable = d->kind == FD_MODEL_ACTION_APPROVE ? !approved && !in
                                                         : fd_model_availability_ok(av) && !in;
        snprintf(label, sizeof(label), "%-16s %s", nd->name,
                 in                                               ? "already there"
                 : d->kind == FD_MODEL_ACTION_APPROVE && approved ? "already approved"
                                                                  : fd_model_availability_text(av));
        add_choice(d, nd->name, label, usable);
        if (usable && first_ok < 0)
            first_ok = (int)d->n_choices - 1;
        if (usable && fd_streq(nd->name, waiting))
            waits = (int)d->n_choices - 1;
    }
    d->choice_what = "Stage";
    d->choice = waits >= 0 ? waits : first_ok >= 0 ? first_ok : 0;
}

void fd_tui_console_action_dialog(struct fd_tui *ui, enum fd_tui_req req, const char *stage,
                                  const char *freight)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_dialog *d;
    enum fd_model_action_kind kind = fd_tui_req_action(req);

    if (!c || kind == FD_MODEL_ACTION__COUNT)
        return;
    if (c->readonly) {
        fd_tui_message(ui, FD_TUI_INFO, 5000, "read-only (%s): actions are off",
                       c->readonly_why ? c->readonly_why : "--readonly");
        return;
    }
    d = fd_xcalloc(1, sizeof(*d));
    d->req = req;
    d->kind = kind;
    d->stage = stage ? fd_xstrdup(stage) : NULL;
    d->freight = freight ? fd_xstrdup(freight) : NULL;
    if (kind == FD_MODEL_ACTION_ROLLOUT_ABORT || kind == FD_MODEL_ACTION_ROLLOUT_PROMOTE ||
        kind == FD_MODEL_ACTION_ROLLOUT_PROMOTE_FULL || kind == FD_MODEL_ACTION_ROLLOUT_RETRY) {
        const struct fd_model_object **ro;
        size_t n = fd_tui_console_rollouts(c, stage, &ro);
        const struct fd_tui_console_conn *conn = fd_tui_console_stage_conn(c, stage);
        d->conn = conn && conn->store ? conn : NULL;
        if (!n && conn && conn->client && !fd_client_synced(conn->client)) {
            fd_tui_message(ui, FD_TUI_WARN, 5000,
                           "context %s not reached yet: the Rollouts of Stage %s are not known",
                           conn->name, stage);
            free(ro);
            dialog_free(d);
            return;
        }
        if (!n) {
            fd_tui_message(ui, FD_TUI_WARN, 5000, "no Rollout found behind Stage %s", stage);
            free(ro);
            dialog_free(d);
            return;
        }
        for (size_t i = 0; n > 1 && i < n; i++)
            add_choice(d, ro[i]->meta.name, ro[i]->meta.name, true);
        d->choice_what = n > 1 ? "Rollout" : NULL;
        d->rollout = fd_xstrdup(ro[0]->meta.name);
        free(ro);
    } else if ((kind == FD_MODEL_ACTION_APPROVE || kind == FD_MODEL_ACTION_PROMOTE) && !freight) {
        freight_choices(c, d);
        if (!d->n_choices) {
            fd_tui_message(ui, FD_TUI_WARN, 5000, "no Freight in project %s", c->project);
            dialog_free(d);
            return;
        }
    } else if ((kind == FD_MODEL_ACTION_APPROVE || kind == FD_MODEL_ACTION_PROMOTE) && !stage) {
        stage_choices(c, d);
        if (!d->n_choices) {
            fd_tui_message(ui, FD_TUI_WARN, 5000, "no Stage in project %s", c->project);
            dialog_free(d);
            return;
        }
    }
    replan(c, d);
    c->pending_dialog = d;
    fd_tui_push_view(ui, &fd_tui_view_dialog);
}

/* ---- Drawing --------------------------------------------------------------------- */

/* Writes text wrapped to the width from column x; returns the next row. */
static int wrap(struct fd_tui *ui, WINDOW *w, int y, int x, enum fd_tui_role role, const char *text,
                int maxrows)
{
    int width = getmaxx(w) - x - 1, rows = 0;
    const char *p = text;

    if (width < 10)
        width = 10;
    while (*p && rows < maxrows && y < getmaxy(w)) {
        /* Take as many bytes as fit in width cells, cut at a line break. */
        size_t len = strcspn(p, "\n"), take = 0, cells = 0;
        while (take < len) {
            uint32_t cp;
            size_t n = fd_tui_utf8_decode(p + take, len - take, &cp);
            if (!n)
                n = 1;
            if (cells + 1 > (size_t)width)
                break;
            cells++;
            take += n;
        }
        char *line = fd_xstrndup(p, take);
        fd_tui_put(ui, w, y++, x, width, role, line);
        free(line);
        rows++;
        p += take;
        if (*p == '\n')
            p++;
    }
    return y;
}

static const char *check_glyph(enum fd_model_check_outcome o)
{
    return fd_tui_glyph(o == FD_MODEL_CHECK_PASS   ? FD_GLYPH_OK
                        : o == FD_MODEL_CHECK_FAIL ? FD_GLYPH_FAILED
                        : o == FD_MODEL_CHECK_WARN ? FD_GLYPH_WARNING
                                                   : FD_GLYPH_INCONCLUSIVE);
}

static enum fd_tui_role check_role(enum fd_model_check_outcome o)
{
    return o == FD_MODEL_CHECK_PASS   ? FD_ROLE_OK
           : o == FD_MODEL_CHECK_FAIL ? FD_ROLE_FAILED
           : o == FD_MODEL_CHECK_WARN ? FD_ROLE_INCONCLUSIVE
                                      : FD_ROLE_PENDING;
}

/* "calm-otter 1.3.9 (7a1c0d2)" of a Freight object (or a reference). */
static void freight_words(const struct fd_model_object *o, const struct fd_model_freight_ref *ref,
                          char *buf, size_t size)
{
    const struct fd_model_freight *f = o && !o->undecodable ? o->u.freight : NULL;
    const char *name = o ? o->meta.name : ref ? ref->name : NULL;
    char ver[64] = "";

    if (!name) {
        snprintf(buf, size, "no Freight");
        return;
    }
    if (f)
        fd_tui_console_version(&f->art, ver, sizeof(ver));
    if (!ver[0] && ref)
        fd_tui_console_version(&ref->art, ver, sizeof(ver));
    snprintf(buf, size, "%s%s%s (%.7s)", f && f->alias ? f->alias : "", f && f->alias ? " " : "",
             ver, name);
}

/* Production: what is there now and what will be; any Stage: the gate's
 * warnings, loudly, before the request. Returns the next row. */
static int draw_gate(struct fd_tui *ui, struct fd_tui_console *c, struct fd_tui_console_dialog *d,
                     WINDOW *w, int y)
{
    int W = getmaxx(w);

    if (d->kind != FD_MODEL_ACTION_APPROVE && d->kind != FD_MODEL_ACTION_PROMOTE)
        return y;
    if (d->prod) {
        char now[160], next[160];
        freight_words(d->gate.now_obj, d->gate.now, now, sizeof(now));
        freight_words(fd_tui_console_freight(c, d->freight), NULL, next, sizeof(next));
        /* Text, not the one-cell pipeline glyph: ASCII spells it "->". */
        fd_tui_putf(ui, w, y++, 2, W - 4, FD_ROLE_HEADING, "%s now: %s \u2192 %s", d->stage, now,
                    next);
    }
    for (size_t i = 0; i < d->gate.n_warnings; i++) {
        char *line = fd_xasprintf("%s WARNING: %s", fd_tui_glyph(FD_GLYPH_WARNING),
                                  d->gate.warnings[i].text);
        y = wrap(ui, w, y, 2, FD_ROLE_DANGER, line, 2);
        free(line);
    }
    return y;
}

#define PAD_ROWS 400

/* Everything above the verdict, into w (a tall pad); returns the rows used. */
static int draw_body(struct fd_tui *ui, struct fd_tui_console *c, struct fd_tui_console_dialog *d,
                     WINDOW *w, int W, bool roomy)
{
    int y = 0;

    fd_tui_putf(ui, w, y, 1, W - 2, d->prod ? FD_ROLE_DANGER : FD_ROLE_HEADING, " %s%s ",
                fd_model_action_help(d->kind), d->prod ? "  [PRODUCTION]" : "");
    y++;
    if (d->plan)
        y = wrap(ui, w, y, 2, FD_ROLE_TITLE, d->plan->target, 2);
    if (c->n_conns > 1)
        fd_tui_putf(ui, w, y++, 2, W - 4, FD_ROLE_HEADING, "to context %s",
                    d->conn ? d->conn->name : c->conns[0].name);
    /* A target cluster that is not live: what the checks and RBAC saw may be
     * old, and the request may not arrive. Said before anything is sent. */
    const struct fd_tui_console_conn *tc = d->conn ? d->conn : c->n_conns ? &c->conns[0] : NULL;
    bool stale = tc && tc->client && tc->state != FD_CLIENT_CONN_LIVE;
    if (stale) {
        char age[32];
        fd_tui_putf(ui, w, y++, 2, W - 4, FD_ROLE_WAITING,
                    "%s context %s is %s%s%s: the state and RBAC below are from the cache",
                    fd_tui_glyph(FD_GLYPH_WARNING), tc->name, fd_client_conn_name(tc->state),
                    tc->stale_since ? " since " : "",
                    tc->stale_since ? fd_tui_console_age(fd_tui_console_now(c) - tc->stale_since,
                                                         age, sizeof(age))
                                    : "");
    }
    y = draw_gate(ui, c, d, w, y);
    if (d->choice_what && d->n_choices) {
        int max = roomy ? 6 : 3;
        int rows = d->n_choices > (size_t)max ? max : (int)d->n_choices, top = d->choice - rows + 1;
        if (top < 0)
            top = 0;
        fd_tui_putf(ui, w, y++, 2, W - 4, FD_ROLE_MUTED, "%s (Up/Down to choose):", d->choice_what);
        for (int i = top; i < top + rows && i < (int)d->n_choices; i++, y++) {
            bool on = i == d->choice;
            fd_tui_putf(ui, w, y, 3, W - 5,
                        on             ? FD_ROLE_SELECTION
                        : d->usable[i] ? FD_ROLE_NORMAL
                                       : FD_ROLE_MUTED,
                        "%s %s", on ? fd_tui_glyph(FD_GLYPH_SELECTED) : " ", d->labels[i]);
        }
    }
    if (!d->plan) {
        fd_tui_putf(ui, w, y + 1, 2, W - 4, FD_ROLE_FAILED, "%s %s", fd_tui_glyph(FD_GLYPH_FAILED),
                    d->plan_err ? d->plan_err : "no plan");
        return y + 2;
    }
    const struct fd_model_action_plan *p = d->plan;
    fd_tui_put(ui, w, y++, 2, W - 4, FD_ROLE_HEADING, "Will send");
    for (size_t i = 0; i < p->n_requests; i++) {
        const struct fd_model_action_request *r = &p->requests[i];
        char *line = fd_xasprintf("%s %s", r->method, r->path);
        y = wrap(ui, w, y, 3, FD_ROLE_NORMAL, line, 3);
        free(line);
        y = wrap(ui, w, y, 5, FD_ROLE_NORMAL, r->body ? r->body : "", 4);
    }
    if (!p->n_requests)
        fd_tui_put(ui, w, y++, 3, W - 5, FD_ROLE_MUTED, "nothing (no request is needed)");
    if (p->description && roomy)
        y = wrap(ui, w, y, 3, FD_ROLE_MUTED, p->description, 3);
    fd_tui_put(ui, w, y++, 2, W - 4, FD_ROLE_HEADING, "Checks");
    /* Failures first: when rows run out, what blocks is still shown. */
    static const enum fd_model_check_outcome order[] = {
        FD_MODEL_CHECK_FAIL, FD_MODEL_CHECK_WARN, FD_MODEL_CHECK_UNKNOWN, FD_MODEL_CHECK_PASS};
    for (size_t o = 0; o < FD_ARRAY_SIZE(order); o++) {
        for (size_t i = 0; i < p->n_checks; i++) {
            const struct fd_model_action_check *ck = &p->checks[i];
            char *line;
            if (ck->outcome != order[o])
                continue;
            line =
                fd_xasprintf("%s %s%s%s", check_glyph(ck->outcome), ck->what,
                             ck->detail && *ck->detail ? ": " : "", ck->detail ? ck->detail : "");
            y = wrap(ui, w, y, 3, check_role(ck->outcome), line,
                     ck->outcome == FD_MODEL_CHECK_PASS ? 1 : 2);
            free(line);
        }
        for (size_t i = 0; i < p->n_access; i++) {
            const struct fd_model_access_need *a = &p->access[i];
            if (a->outcome != order[o])
                continue;
            fd_tui_putf(ui, w, y++, 3, W - 5, check_role(a->outcome), "%s RBAC: %s %s%s%s%s%s%s",
                        check_glyph(a->outcome), a->verb, a->resource, a->subresource ? "/" : "",
                        a->subresource ? a->subresource : "",
                        a->outcome == FD_MODEL_CHECK_UNKNOWN
                            ? (stale                      ? ": unknown (context not live)"
                               : fd_tui_console_client(c) ? " (asking the server)"
                                                          : ": unknown (no cluster)")
                        : a->outcome == FD_MODEL_CHECK_FAIL
                            ? (stale ? ": denied (cached)" : ": denied")
                        : stale ? ": allowed (cached)"
                                : ": allowed",
                        a->outcome == FD_MODEL_CHECK_FAIL && a->detail && *a->detail ? ": " : "",
                        a->outcome == FD_MODEL_CHECK_FAIL && a->detail ? a->detail : "");
        }
    }
    const char *why = NULL;
    if (c->force && d->phase == DLG_EDIT && fd_model_action_blocked(p, &why)) {
        char *line = fd_xasprintf("%s --force: Enter sends although %s; the server decides",
                                  fd_tui_glyph(FD_GLYPH_WARNING), why ? why : "a check failed");
        y = wrap(ui, w, y, 2, FD_ROLE_DANGER, line, 3);
        free(line);
    }
    return y;
}

/* The verdict under the body: what sending gave, or why it cannot be sent;
 * NULL while it can be sent (the prompt is drawn instead). */
static char *verdict_text(struct fd_tui *ui, const struct fd_tui_console *c,
                          struct fd_tui_console_dialog *d, enum fd_tui_role *role)
{
    const char *why = NULL;

    *role = FD_ROLE_FAILED;
    if (d->phase == DLG_SENDING) {
        /* Seconds tick while the answer is awaited (a write waits up to
         * 120 s), so a slow server is visible, not a frozen dialog. */
        uint64_t el = fd_tui_now_ms() - d->sent_ms;
        *role = FD_ROLE_RUNNING;
        fd_tui_redraw_in(ui, (int)(1000 - el % 1000));
        return fd_xasprintf("%s sending... %llu s", fd_tui_glyph(FD_GLYPH_RUNNING),
                            (unsigned long long)(el / 1000));
    }
    if (d->phase == DLG_DONE) {
        *role = d->result_ok ? FD_ROLE_OK : FD_ROLE_MESSAGE_ERROR;
        return fd_xasprintf("%s %s  (Esc closes)",
                            fd_tui_glyph(d->result_ok ? FD_GLYPH_OK : FD_GLYPH_FAILED),
                            d->result ? d->result : "");
    }
    if (!c->force && fd_model_action_blocked(d->plan, &why))
        return fd_xasprintf("%s Cannot be sent: %s  (Esc closes)", fd_tui_glyph(FD_GLYPH_FAILED),
                            why ? why : "a check failed");
    if (d->choice_what && d->n_choices && !d->usable[d->choice])
        return fd_xasprintf("%s Not available: %s", fd_tui_glyph(FD_GLYPH_FAILED),
                            d->labels[d->choice]);
    return NULL;
}

/* The dialog scrolls (PgUp/PgDn) when its body is taller than the pane: a
 * last row says how much more there is, so nothing is hidden silently. The
 * verdict (the last rows) always shows, whole: the server's answer is never
 * cut (up to a third of the pane; the message line and the audit log have
 * it too). */
static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_dialog *d = v->state;
    WINDOW *w = v->win, *pad;
    int y, W = v->cols, rows, vrows = 2, avail;
    char *verdict = NULL;
    enum fd_tui_role vrole = FD_ROLE_FAILED;

    if (!c || !d || v->lines < 4)
        return;
    pad = newpad(PAD_ROWS, W);
    if (!pad)
        return;
    if (d->plan && (verdict = verdict_text(ui, c, d, &vrole)) != NULL) {
        int need = wrap(ui, pad, 0, 2, vrole, verdict, PAD_ROWS), most = v->lines / 3;
        vrows = need > most ? most : need;
        if (vrows < 2)
            vrows = 2;
        werase(pad);
    }
    avail = v->lines - vrows;
    rows = draw_body(ui, c, d, pad, W, v->lines >= 30);
    ui->hint_dirty = true; /* what works depends on what is drawn */
    if (rows > PAD_ROWS)
        rows = PAD_ROWS;
    d->body_rows = rows;
    d->avail = avail;
    if (rows <= avail) {
        d->scroll = 0;
        copywin(pad, w, 0, 0, 0, 0, rows > 0 ? rows - 1 : 0, W - 1, FALSE);
    } else {
        if (d->scroll > rows - (avail - 1))
            d->scroll = rows - (avail - 1);
        if (d->scroll < 0)
            d->scroll = 0;
        copywin(pad, w, d->scroll, 0, 0, 0, avail - 2, W - 1, FALSE);
        int below = rows - d->scroll - (avail - 1);
        if (below > 0)
            fd_tui_putf(ui, w, avail - 1, 2, W - 4, FD_ROLE_HEADING,
                        "%s %d more line%s below (PgDn)%s", fd_tui_glyph(FD_GLYPH_ARROW_DOWN),
                        below, below == 1 ? "" : "s", d->scroll ? ", PgUp for above" : "");
        else
            fd_tui_putf(ui, w, avail - 1, 2, W - 4, FD_ROLE_HEADING,
                        "%s end (%d line%s above: PgUp)", fd_tui_glyph(FD_GLYPH_ARROW_UP),
                        d->scroll, d->scroll == 1 ? "" : "s");
    }
    delwin(pad);
    if (!d->plan)
        return;
    y = avail;
    if (verdict) {
        wrap(ui, w, y, 2, vrole, verdict, vrows);
    } else if (d->prod) {
        int x = 2;
        x += fd_tui_putf(ui, w, y, x, W - x, FD_ROLE_DANGER,
                         "Production: type the Stage name (%s) and Enter to send:", d->stage);
        x += fd_tui_putf(ui, w, y, x, W - x, FD_ROLE_PROMPT, " %s", d->typed);
        fd_tui_put(ui, w, y, x, 1, FD_ROLE_SELECTION, " ");
    } else {
        fd_tui_put(ui, w, y, 2, W - 4, FD_ROLE_PROMPT, "Enter sends  ·  Esc cancels");
    }
    free(verdict);
}

/* ---- Keys ------------------------------------------------------------------------- */

static void send_now(struct fd_tui *ui, struct fd_tui_console *c, struct fd_tui_console_dialog *d)
{
    const char *why = NULL;
    struct fd_model_action_plan *p = d->plan;

    if (fd_model_action_blocked(p, &why)) {
        if (!c->force) {
            fd_tui_message(ui, FD_TUI_WARN, 5000, "cannot be sent: %s",
                           why ? why : "a check failed");
            return;
        }
        /* --force overrides the client's judgement, not the server's: what
         * failed is sent as a warning, and the audit log has the answer. */
        for (size_t i = 0; i < p->n_checks; i++)
            if (p->checks[i].outcome == FD_MODEL_CHECK_FAIL)
                p->checks[i].outcome = FD_MODEL_CHECK_WARN;
        for (size_t i = 0; i < p->n_access; i++)
            if (p->access[i].outcome == FD_MODEL_CHECK_FAIL)
                p->access[i].outcome = FD_MODEL_CHECK_WARN;
    }
    d->plan = NULL;
    /* SENDING before the request leaves: its answer may come back on the
     * network thread before this function returns. */
    d->phase = DLG_SENDING;
    d->sent_ms = fd_tui_now_ms();
    d->id = fd_tui_console_send_to(c, d->conn, p, &why);
    /* Keep a copy to show while it is sent: replan from the same snapshot. */
    replan(c, d);
    if (!d->id) {
        d->phase = DLG_DONE;
        d->result_ok = false;
        d->result = fd_xasprintf("not sent: %s", why ? why : "?");
    }
}

static enum fd_tui_result key(struct fd_tui *ui, struct fd_tui_view *v, fd_tui_key k)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_dialog *d = v->state;
    size_t len;

    if (!c || !d || d->phase != DLG_EDIT || !d->prod || !d->plan)
        return FD_TUI_IGNORED;
    len = strlen(d->typed);
    if (k == FD_KEY_CURSES(KEY_BACKSPACE) || k == 127 || k == 8) {
        if (len)
            d->typed[len - 1] = 0;
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    if (k == FD_KEY_CTRL('u')) {
        d->typed[0] = 0;
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    if (k >= 0x20 && k < 0x7f) {
        if (len + 1 < sizeof(d->typed)) {
            d->typed[len] = (char)k;
            d->typed[len + 1] = 0;
        }
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    return FD_TUI_IGNORED;
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct fd_tui_console_dialog *d = v->state;

    if (!c || !d)
        return FD_TUI_IGNORED;
    switch (req) {
    case FD_REQ_UP:
    case FD_REQ_DOWN:
        if (d->phase == DLG_EDIT && d->choice_what && d->n_choices) {
            int ch = d->choice + (req == FD_REQ_UP ? -1 : 1);
            if (ch >= 0 && ch < (int)d->n_choices && ch != d->choice) {
                d->choice = ch;
                d->typed[0] = 0;
                replan(c, d);
                fd_tui_view_dirty(ui, v);
            }
        }
        return FD_TUI_HANDLED;
    case FD_REQ_PAGE_DOWN:
    case FD_REQ_PAGE_UP:
    case FD_REQ_FIRST:
    case FD_REQ_LAST: {
        int page = d->avail > 2 ? d->avail - 2 : 1;
        d->scroll = req == FD_REQ_PAGE_DOWN ? d->scroll + page
                    : req == FD_REQ_PAGE_UP ? d->scroll - page
                    : req == FD_REQ_FIRST   ? 0
                                            : d->body_rows;
        if (d->scroll < 0)
            d->scroll = 0; /* draw() bounds the other end */
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    case FD_REQ_OPEN:
        if (d->phase == DLG_DONE) {
            fd_tui_pop_view(ui);
            return FD_TUI_HANDLED;
        }
        if (d->phase != DLG_EDIT || !d->plan)
            return FD_TUI_HANDLED;
        if (d->choice_what && d->n_choices && !d->usable[d->choice]) {
            fd_tui_message(ui, FD_TUI_WARN, 5000, "that %s cannot be chosen: %s", d->choice_what,
                           d->labels[d->choice]);
            return FD_TUI_HANDLED;
        }
        if (d->prod && strcmp(d->typed, d->stage) != 0) {
            fd_tui_message(ui, FD_TUI_WARN, 5000,
                           "%s is production: type its name exactly to confirm", d->stage);
            return FD_TUI_HANDLED;
        }
        send_now(ui, c, d);
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    case FD_REQ_BACK: {
        bool sending = d->phase == DLG_SENDING;
        fd_tui_pop_view(ui); /* frees d */
        if (sending)
            fd_tui_message(ui, FD_TUI_INFO, 5000,
                           "the request is on its way; its answer will "
                           "show here");
        return FD_TUI_HANDLED;
    }
    case FD_REQ_HELP:
    case FD_REQ_QUIT:
    case FD_REQ_REPAINT:
    case FD_REQ_COMMAND:
        return FD_TUI_IGNORED;
    default:
        /* Other actions from a dialog would stack dialogs. */
        return FD_TUI_HANDLED;
    }
}

/* One line for an answer: "done: NAME", "refused (HTTP 403): ...", or for a
 * lost answer "outcome unknown — check before retrying (...); read back:
 * applied: ...". Never "failed0". The caller frees it. (dialog.c) */
static char *fd_tui_console_result_text(const struct fd_tui_console_done *r)
{
    const char *msg = r->message ? r->message : "no message";

    if (r->outcome == FD_CLIENT_OUTCOME_OK)
        return fd_xasprintf("done%s%s", r->message ? ": " : "", r->message ? r->message : "");
    if (r->outcome == FD_CLIENT_OUTCOME_UNKNOWN)
        /* The message starts "outcome unknown — check before retrying". */
        return fd_xasprintf("%s; read back: %s", msg,
                            r->resolution_text ? r->resolution_text : "not attempted");
    if (r->http_status)
        return fd_xasprintf("%s (HTTP %ld): %s", fd_client_outcome_name(r->outcome), r->http_status,
                            msg);
    return fd_xasprintf("%s: %s", fd_client_outcome_name(r->outcome), msg);
}

/* Called on every model wake while a dialog is open: the answer to what was
 * sent, and a fresh plan when the state changed. */
void fd_tui_console_dialog_poll(struct fd_tui *ui)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    for (int i = 0; c && i < ui->depth; i++) {
        struct fd_tui_view *v = ui->stack[i];
        struct fd_tui_console_dialog *d = v->state;
        if (v->ops != &fd_tui_view_dialog || !d)
            continue;
        /* A dialog that has sent (id != 0) takes its own answer whatever
         * phase it shows, so an answer is never mistaken for one whose
         * dialog was closed and the dialog never stays "sending". */
        if (d->id && d->phase != DLG_DONE) {
            struct fd_tui_console_done *r = fd_tui_console_take_done(c, d->id);
            if (!r)
                continue;
            d->phase = DLG_DONE;
            d->result_ok = r->outcome == FD_CLIENT_OUTCOME_OK;
            free(d->result);
            if (d->result_ok)
                d->result =
                    fd_xasprintf("done (HTTP %ld)%s%s", r->http_status,
                                 r->created ? ": created " : "", r->created ? r->created : "");
            else
                d->result = fd_tui_console_result_text(r);
            fd_tui_message(ui, d->result_ok ? FD_TUI_INFO : FD_TUI_ERROR, d->result_ok ? 8000 : 0,
                           "%s: %s", fd_model_action_name(d->kind), d->result);
            fd_tui_console_done_free(r);
            if (d->result_ok && i == ui->depth - 1) {
                /* Success: back to the pane, which shows the change live. */
                fd_tui_pop_view(ui);
                return;
            }
        } else if (d->phase == DLG_EDIT && d->plan_gen != dialog_gen(c, d)) {
            replan(c, d);
        } else if (d->phase == DLG_EDIT && d->plan && dialog_client(c, d)) {
            fd_client_action_review_cached(dialog_client(c, d), d->plan);
        }
        fd_tui_view_dirty(ui, v);
    }
    /* Answers to dialogs closed while sending go to the message line. An
     * answer that arrived since the loop above, for a dialog still open,
     * stays for that dialog (the next wake brings it there). */
    if (c) {
        struct fd_tui_console_done *r = NULL, **p;
        pthread_mutex_lock(&c->lock);
        for (p = &c->done; *p;) {
            bool open = false;
            for (int i = 0; i < ui->depth && !open; i++) {
                struct fd_tui_console_dialog *d = ui->stack[i]->state;
                open = ui->stack[i]->ops == &fd_tui_view_dialog && d && d->id == (*p)->id;
            }
            if (open) {
                p = &(*p)->next;
                continue;
            }
            struct fd_tui_console_done *x = *p;
            *p = x->next;
            x->next = r;
            r = x;
        }
        pthread_mutex_unlock(&c->lock);
        for (struct fd_tui_console_done *x = r; x; x = x->next) {
            char *text = fd_tui_console_result_text(x);
            fd_tui_message(ui, x->outcome == FD_CLIENT_OUTCOME_OK ? FD_TUI_INFO : FD_TUI_ERROR, 0,
                           "action %s", text);
            free(text);
        }
        if (r) {
            c->last_done_ms = fd_tui_now_ms();
            c->gen_at_done = fd_model_store_generation(c->store);
        }
        fd_tui_console_done_free(r);
    }
}

static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    if (!c)
        return;
    v->state = c->pending_dialog;
    c->pending_dialog = NULL;
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    (void)ui;
    dialog_free(v->state);
    v->state = NULL;
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_OPEN, "send"},      {FD_REQ_OPEN, "close"}, {FD_REQ_UP, "choose"},
    {FD_REQ_PAGE_DOWN, "more"}, {FD_REQ_NONE, NULL},
};

/* Only the keys that do something now: Enter sends only what can be sent;
 * while a production Stage's name is typed, ':' '?' and 'q' are letters. */
static bool hint_ok(struct fd_tui *ui, struct fd_tui_view *v, const struct fd_tui_hint *h)
{
    struct fd_tui_console_dialog *d = v->state;
    const char *why = NULL;

    if (!d)
        return true;
    bool editing = d->phase == DLG_EDIT && d->plan;
    bool typing = editing && d->prod;
    struct fd_tui_console *c = fd_tui_console_of(ui);
    bool sendable = editing && ((c && c->force) || !fd_model_action_blocked(d->plan, &why)) &&
                    !(d->choice_what && d->n_choices && !d->usable[d->choice]);
    switch (h->req) {
    case FD_REQ_OPEN:
        return fd_streq(h->label, "send") ? sendable : d->phase == DLG_DONE;
    case FD_REQ_UP:
        return d->phase == DLG_EDIT && d->choice_what && d->n_choices > 1;
    case FD_REQ_PAGE_DOWN:
        return d->body_rows > d->avail;
    case FD_REQ_COMMAND:
    case FD_REQ_HELP:
    case FD_REQ_QUIT:
        return !typing;
    default:
        return true;
    }
}

const struct fd_tui_view_ops fd_tui_view_dialog = {
    .name = "confirm",
    .title = "Confirm action",
    .help = "What will be sent, exactly, and what the checks found. Enter sends; for a\n"
            "production Stage type its name first. Esc cancels.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
    .key = key,
    .hint_ok = hint_ok,
};
