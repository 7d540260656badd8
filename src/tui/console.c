/* tui/console.c: the console's run: the live client that fills the model
 * store, the header, loading files, and fd_tui_console_run. The rest of the
 * console: console-queries.c (lookups and formatting for the panes),
 * console-actions.c, console-settings.c, console-scope.c (:ctx, :project, :stage). */
#include "config.h"

#include "console.h"
#include "utf8.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/client.h"
#include "freightdeck/prom.h"
#include "freightdeck/yaml.h"

/* ---- The model --------------------------------------------------------------- */

struct fd_client *fd_tui_console_client(const struct fd_tui_console *c)
{
    return c->n_conns ? c->conns[0].client : NULL;
}

bool fd_tui_console_listed(const struct fd_tui_console *c, enum fd_model_kind kind)
{
    return !fd_tui_console_client(c) || (c->listed & (UINT64_C(1) << kind)) != 0;
}

bool fd_tui_console_listed_all(const struct fd_tui_console *c, enum fd_model_kind kind)
{
    return !fd_tui_console_client(c) || (c->listed_all & (UINT64_C(1) << kind)) != 0;
}

_Static_assert(FD_MODEL_KIND__COUNT <= 64, "c->listed has a bit per kind");

/* The kinds conns[0]'s client has listed at least once (bit 1 << kind), in
 * the namespace of project (NULL: in every namespace). */
static uint64_t listed_now(const struct fd_tui_console *c, const char *project)
{
    struct fd_client *cl = fd_tui_console_client(c);
    uint64_t m = 0;

    for (int k = 0; cl && k < FD_MODEL_KIND__COUNT; k++)
        if (project ? fd_client_kind_synced_in(cl, (enum fd_model_kind)k, project)
                    : fd_client_kind_synced(cl, (enum fd_model_kind)k))
            m |= UINT64_C(1) << k;
    return m;
}

/* "loading Freight, AnalysisRuns..." naming the kinds behind what waits for
 * a human that are not listed yet, into buf; false (buf empty) when every
 * one is. */
static bool fd_tui_console_loading(const struct fd_tui_console *c, char *buf, size_t size)
{
    /* What the attention list is made of (model/attention.c). */
    static const enum fd_model_kind kinds[] = {FD_MODEL_STAGE, FD_MODEL_FREIGHT,
                                               FD_MODEL_ANALYSIS_RUN, FD_MODEL_ROLLOUT};
    static const char *const names[] = {"Stages", "Freight", "AnalysisRuns", "Rollouts"};
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < FD_ARRAY_SIZE(kinds); i++) {
        if (fd_tui_console_listed(c, kinds[i]))
            continue;
        int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "loading ", names[i]);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
    if (len && len + 4 <= size)
        memcpy(buf + len, "...", 4);
    return len > 0;
}

/* Picks the project when none was asked for: the only (first) Project. */
static void choose_project(struct fd_tui_console *c)
{
    const char *first;

    if (c->project || !c->snap || !(first = fd_model_first_project(c->snap)))
        return;
    c->project = fd_xstrdup(first);
    /* A client of every namespace lists this one's long kinds first. */
    if (fd_tui_console_client(c))
        fd_client_focus(fd_tui_console_client(c), c->project);
    if (c->ui) {
        free(c->ui->scope[1]);
        c->ui->scope[1] = fd_xstrdup(c->project);
    }
}

/* The Rollouts behind a Stage, as the fleet mapping says (fd_model_rollouts_fn). */
static size_t rollouts_of(void *user, const char *stage, const struct fd_model_object ***out)
{
    return fd_tui_console_rollouts(user, stage, out);
}

/* What waits for a human, from every cluster: the Kargo store's list, then
 * each workload cluster's (its paused Rollouts, Inconclusive AnalysisRuns).
 * Borrows objects from the current snapshots; rebuilt whenever one changes. */
static void rebuild_attention(struct fd_tui_console *c)
{
    int64_t now = fd_tui_console_now(c);
    struct fd_model_attention *all, *more;
    size_t n, m;

    fd_model_attention_free(c->att, c->n_att);
    n = fd_model_attention_list(c->snap, c->project, now, &all);
    for (size_t i = 1; i < c->n_conns; i++) {
        if (!c->conns[i].snap)
            continue;
        /* A workload store holds only the mapped namespaces: take them all. */
        m = fd_model_attention_list(c->conns[i].snap, NULL, now, &more);
        if (m) {
            all = fd_xreallocarray(all, n + m, sizeof(*all));
            memcpy(all + n, more, m * sizeof(*all));
            n += m;
        }
        free(more); /* the items moved into all */
    }
    /* A cluster that is not live: everything shown from it is stale. */
    for (size_t i = 0; i < c->n_conns; i++) {
        const struct fd_tui_console_conn *k = &c->conns[i];
        if (!k->client || k->state == FD_CLIENT_CONN_LIVE || k->state == FD_CLIENT_CONN_STOPPED ||
            (k->state == FD_CLIENT_CONN_CONNECTING && !k->attempt))
            continue;
        all = fd_xreallocarray(all, n + 1, sizeof(*all));
        all[n] = (struct fd_model_attention){
            .kind = FD_MODEL_ATTENTION_CLUSTER_LOST,
            .detail = fd_xasprintf("context %s %s%s%s", k->name, fd_client_conn_name(k->state),
                                   k->error[0] ? ": " : "", k->error),
            .context = fd_xstrdup(k->name),
        };
        n++;
    }
    /* Each item names its Stage: a workload cluster's Rollouts and runs
     * are behind the Kargo cluster's Stages. */
    fd_model_attention_name_stages(all, n, c->snap, c->project, rollouts_of, c);
    fd_model_attention_sort(all, n);
    c->att = all;
    c->n_att = n;
}

/* Takes a new snapshot when the store changed; rebuilds what derives from
 * it. Returns true when anything visible may have changed. */
bool fd_tui_console_refresh_model(struct fd_tui_console *c)
{
    /* First what is listed, then the generation: a list counts only after
     * the store took its objects (client/informer.c), so every kind in
     * listed has them in the snapshot of this generation or a later one. */
    uint64_t listed = listed_now(c, c->project), listed_all = listed_now(c, NULL);
    uint64_t g = fd_model_store_generation(c->store);
    bool changed = listed != c->listed || listed_all != c->listed_all;

    for (size_t i = 0; i < c->n_conns; i++) {
        struct fd_tui_console_conn *k = &c->conns[i];
        struct fd_client_resource_state st;
        if (!k->client)
            continue;
        enum fd_client_conn s = fd_client_summary(k->client, &st);
        if (s != k->state || st.stale_since != k->stale_since || st.attempt != k->attempt ||
            strcmp(k->error, st.last_error) != 0) {
            k->state = s;
            k->stale_since = st.stale_since;
            k->attempt = st.attempt;
            snprintf(k->error, sizeof(k->error), "%s", st.last_error);
            changed = true;
        }
    }
    /* Workload contexts: their own stores, snapshotted on their own. */
    for (size_t i = 1; i < c->n_conns; i++) {
        struct fd_tui_console_conn *k = &c->conns[i];
        if (!k->store || (k->snap && fd_model_store_generation(k->store) == k->gen))
            continue;
        if (k->snap)
            fd_model_snapshot_release(k->snap);
        k->snap = fd_model_store_snapshot(k->store);
        k->gen = fd_model_snapshot_generation(k->snap);
        changed = true;
    }
    c->listed = listed;
    c->listed_all = listed_all;
    if (c->snap && g == c->gen) {
        if (changed)
            rebuild_attention(c);
        return changed;
    }
    if (c->pipe)
        fd_model_pipeline_free(c->pipe);
    fd_model_attention_free(c->att, c->n_att);
    c->att = NULL;
    c->n_att = 0;
    if (c->snap)
        fd_model_snapshot_release(c->snap);
    c->snap = fd_model_store_snapshot(c->store);
    c->gen = fd_model_snapshot_generation(c->snap);
    choose_project(c);
    c->pipe = fd_model_pipeline_build(c->snap, c->project);
    rebuild_attention(c);
    return true;
}

/* Once the Kargo cluster's Stages are listed: a Stage the config file maps
 * that Kargo does not have is a typo or a deleted Stage; say so, with the
 * entry's file:line:col (the commands warn alike). */
static void check_fleet_stages(struct fd_tui_console *c)
{
    char **w = NULL;
    size_t n;

    if (!c->ui || !c->project || !c->snap || !c->n_conns || !c->conns[0].client ||
        !fd_client_synced(c->conns[0].client) || fd_streq(c->fleet_checked, c->project))
        return;
    free(c->fleet_checked);
    c->fleet_checked = fd_xstrdup(c->project);
    n = fd_client_fleet_unknown_stages(c->fleet, c->snap, c->project, &w);
    if (n)
        fd_tui_message(c->ui, FD_TUI_WARN, 30000, "%s%s", w[0],
                       n > 1 ? " (and more: see freightdeck get rollouts)" : "");
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

static bool on_wake(void *ctx)
{
    struct fd_tui_console *c = ctx;
    bool changed;

    pthread_mutex_lock(&c->lock);
    changed = c->changed || c->done;
    c->changed = false;
    pthread_mutex_unlock(&c->lock);
    changed |= fd_tui_console_refresh_model(c);
    check_fleet_stages(c);
    if (c->ui)
        changed |= fd_tui_console_whatif_poll(c->ui);
    if (changed && c->ui) {
        fd_tui_console_announce(c->ui, c);
        fd_tui_console_dialog_poll(c->ui);
    }
    if (c->opt->on_frame)
        c->opt->on_frame(c->opt->user);
    return changed;
}

/* The RBAC question behind an action key, asked from the client's cache
 * (a review is queued when not cached; its answer redraws). */
static bool action_denied(void *ctx, int req)
{
    struct fd_tui_console *c = ctx;
    struct fd_kube_access_query q = {0};
    struct fd_client *cl = c->n_conns ? c->conns[0].client : NULL;

    if (!fd_model_action_access(fd_tui_req_action((enum fd_tui_req)req), &q.verb, &q.group,
                                &q.resource, &q.subresource))
        return false;
    if (!cl || !c->project || c->force)
        return false;
    q.ns = c->project;
    return fd_client_access(cl, &q, NULL, 0) == FD_KUBE_ACCESS_DENIED;
}

struct fd_analysis_expr_choice fd_tui_console_expr(struct fd_tui_console *c)
{
    struct fd_analysis_expr_choice e;

    pthread_mutex_lock(&c->lock);
    e = c->expr;
    pthread_mutex_unlock(&c->lock);
    return e;
}

static int expr_stop(void *arg, char *why, size_t size)
{
    struct fd_tui_console *c = arg;
    bool quit;

    pthread_mutex_lock(&c->lock);
    quit = c->expr_quit;
    pthread_mutex_unlock(&c->lock);
    if (quit && why)
        snprintf(why, size, "the console is closing");
    return quit;
}

/* The detection thread: reads the Kargo cluster's argo-rollouts Deployment
 * (the controller that judges the Stages' verifications). */
static void *detect_expr(void *arg)
{
    struct fd_tui_console *c = arg;
    struct fd_analysis_expr_choice det, choice;

    fd_client_detect_expr(c->cfg, expr_stop, c, &det);
    fd_analysis_expr_choose(false, FD_EXPR_V1_17, false, FD_EXPR_V1_17, NULL, &det, &choice);
    pthread_mutex_lock(&c->lock);
    c->expr = choice;
    c->expr_detecting = false;
    c->changed = true;
    pthread_mutex_unlock(&c->lock);
    fd_tui_wake(c->wake);
    return NULL;
}

/* --expr-version, else argoRollouts.exprVersion, else (a cluster) detect. */
static void choose_expr(struct fd_tui_console *c, bool cluster)
{
    char where[160];

    snprintf(where, sizeof(where), "%.140s:%d", c->fleet->path ? c->fleet->path : "config",
             c->fleet->expr_version_line);
    fd_analysis_expr_choose(c->opt->expr_version_set, c->opt->expr_version,
                            c->fleet->expr_version_set, c->fleet->expr_version, where, NULL,
                            &c->expr);
    if (c->expr.source != FD_ANALYSIS_EXPR_DEFAULT)
        return;
    if (!cluster) {
        snprintf(c->expr.why, sizeof(c->expr.why), "Argo Rollouts v1.10 or later assumed");
        return;
    }
    c->expr_detecting = true;
    snprintf(c->expr.why, sizeof(c->expr.why),
             "Argo Rollouts v1.10 or later assumed while its Deployment is read");
    if (pthread_create(&c->expr_thread, NULL, detect_expr, c) == 0)
        c->expr_thread_started = true;
    else
        c->expr_detecting = false;
}

static bool is_busy(void *ctx)
{
    struct fd_tui_console *c = ctx;
    bool busy = false;

    /* The Kargo cluster: the shown project's lists (a client of every
     * namespace lists the rest after it, fd_client_focus). */
    for (size_t i = 0; i < c->n_conns; i++)
        if (c->conns[i].client &&
            !(i == 0 ? fd_client_synced_in(c->conns[i].client, c->project)
                     : fd_client_synced(c->conns[i].client)) &&
            c->conns[i].state != FD_CLIENT_CONN_FORBIDDEN && c->conns[i].attempt < 3)
            busy = true;
    pthread_mutex_lock(&c->lock);
    if (c->in_flight || c->expr_detecting)
        busy = true;
    pthread_mutex_unlock(&c->lock);
    if (c->jobs || (c->ui && fd_tui_console_events_busy(c->ui)))
        busy = true;
    /* After an action finished, its watch event is on its way: scripts
     * wait for it (up to 2 s) so they see the effect, not the old state. */
    if (c->last_done_ms && fd_model_store_generation(c->store) == c->gen_at_done &&
        fd_tui_now_ms() < c->last_done_ms + 2000)
        busy = true;
    return busy;
}

static void on_change(void *user)
{
    struct fd_tui_console *c = user;

    pthread_mutex_lock(&c->lock);
    c->changed = true;
    pthread_mutex_unlock(&c->lock);
    fd_tui_wake(c->wake);
}

/* ---- Header ---------------------------------------------------------------------- */

/* Row 1's status: each connection's state, then what the store's cap cut,
 * as pieces of text with their roles; returns how many (at most max). */
struct header_piece {
    enum fd_tui_role role;
    char text[160];
};

static size_t status_pieces(struct fd_tui *ui, struct fd_tui_console *c, struct header_piece *out,
                            size_t max)
{
    size_t n = 0;
    char age[32];

    for (size_t i = 0; i < c->n_conns && n + 1 < max; i++) {
        const struct fd_tui_console_conn *k = &c->conns[i];
        enum fd_tui_role role = FD_ROLE_HEADER;
        char state[96];
        if (!k->client) {
            snprintf(state, sizeof(state), "files");
        } else if (k->state == FD_CLIENT_CONN_LIVE) {
            snprintf(state, sizeof(state), "%s live", fd_tui_glyph(FD_GLYPH_OK));
        } else if (k->state == FD_CLIENT_CONN_STALE || k->state == FD_CLIENT_CONN_RECONNECTING ||
                   k->state == FD_CLIENT_CONN_FORBIDDEN) {
            role = FD_ROLE_WAITING;
            snprintf(state, sizeof(state), "%s %s%s%s", fd_tui_glyph(FD_GLYPH_WARNING),
                     fd_client_conn_name(k->state), k->stale_since ? " since " : "",
                     k->stale_since
                         ? fd_tui_console_age_since(ui, c, k->stale_since, age, sizeof(age))
                         : "");
            if (k->attempt)
                snprintf(state + strlen(state), sizeof(state) - strlen(state), " [%u]", k->attempt);
            fd_tui_redraw_in(ui, 1000);
        } else if (k->state == FD_CLIENT_CONN_CONNECTING && i == 0 && c->project &&
                   fd_client_synced_in(k->client, c->project)) {
            /* The shown project is listed and watched on its own while the
             * other namespaces load (fd_client_focus): not "connecting",
             * and not "live" either until they are in. */
            snprintf(state, sizeof(state), "%s loading other projects",
                     fd_tui_glyph(FD_GLYPH_PENDING));
        } else {
            snprintf(state, sizeof(state), "%s %s", fd_tui_glyph(FD_GLYPH_PENDING),
                     fd_client_conn_name(k->state));
        }
        out[n].role = FD_ROLE_HEADER;
        snprintf(out[n].text, sizeof(out[n].text), "  %s%s",
                 c->n_conns > 1 && k->name ? k->name : "", c->n_conns > 1 && k->name ? " " : "");
        n++;
        out[n].role = role;
        snprintf(out[n].text, sizeof(out[n].text), "%s", state);
        n++;
    }
    /* A kind cut at the store's cap is not all there is: say so. */
    struct fd_buf capped = FD_BUF_INIT;
    for (int kind = 0; kind < FD_MODEL_KIND__COUNT; kind++) {
        char one[128];
        static const char lead[] = "showing ", tail[] = " (limit)";
        size_t len;
        if (!fd_tui_console_capped(c, (enum fd_model_kind)kind, one, sizeof(one)))
            continue;
        /* "showing 10 of 30 Projects, 10 of 334 Freight (limit)" */
        len = strlen(one);
        if (len > sizeof(tail) - 1 && strcmp(one + len - (sizeof(tail) - 1), tail) == 0)
            one[len - (sizeof(tail) - 1)] = 0;
        fd_buf_printf(
            &capped, "%s%s", capped.len ? ", " : "",
            capped.len && strncmp(one, lead, sizeof(lead) - 1) == 0 ? one + sizeof(lead) - 1 : one);
    }
    if (capped.len && n < max) {
        out[n].role = FD_ROLE_WAITING;
        snprintf(out[n].text, sizeof(out[n].text), "  %s %s (limit)",
                 fd_tui_glyph(FD_GLYPH_WARNING), fd_buf_cstr(&capped));
        n++;
    }
    fd_buf_free(&capped);
    return n;
}

static void draw_header(struct fd_tui *ui, void *ctx, int x)
{
    struct fd_tui_console *c = ctx;
    WINDOW *w = ui->header;
    int cols = getmaxx(w), rows = getmaxy(w);
    /* Two pieces per connection (a fleet has one per cluster), and the cap. */
    size_t max = 2 * c->n_conns + 1, np;
    struct header_piece *status = fd_xcalloc(max, sizeof(*status));
    int sw = 0;

    if (c->user)
        x += fd_tui_putf(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "  user: %s", c->user);
    if (c->readonly)
        x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_HEADER, "  [read-only]");
    if (c->insecure)
        x += fd_tui_put(ui, w, 0, x, cols - x, FD_ROLE_DANGER, "  [TLS not verified]");
    /* The status comes after them when it fits; when it does not (a long
     * context name, 80 columns), it keeps the line's end and what it covers
     * gives way: a stale connection must never be cut off the screen. */
    np = status_pieces(ui, c, status, max);
    for (size_t i = 0; i < np; i++)
        sw += (int)fd_tui_utf8_width(status[i].text);
    if (x + sw > cols) {
        x = cols - sw > 1 ? cols - sw : 1;
        for (int k = x; k < cols; k++)
            mvwaddch(w, 0, k, ' ');
        if (x > 1)
            fd_tui_put(ui, w, 0, x - 1, 1, FD_ROLE_HEADER, fd_tui_glyph(FD_GLYPH_ELLIPSIS));
    }
    for (size_t i = 0; i < np; i++)
        x += fd_tui_put(ui, w, 0, x, cols - x, status[i].role, status[i].text);
    free(status);
    if (rows < 2)
        return;
    /* Row 2: what waits for a human, or that nothing does. */
    x = 1;
    char loading[96];
    if (!c->n_att && fd_tui_console_loading(c, loading, sizeof(loading))) {
        fd_tui_put(ui, w, 1, x, cols - x, FD_ROLE_WAITING, loading);
        return;
    }
    if (!c->n_att) {
        fd_tui_put(ui, w, 1, x, cols - x, FD_ROLE_HEADER, "nothing waits for you");
        return;
    }
    x += fd_tui_putf(ui, w, 1, x, cols - x, FD_ROLE_WAITING, " %s %zu wait%s for you%s ",
                     fd_tui_glyph(FD_GLYPH_WARNING), c->n_att, c->n_att == 1 ? "s" : "",
                     c->n_att > 1 ? " (W: all)" : "");
    for (size_t i = 0; i < c->n_att && x < cols - 2; i++) {
        const struct fd_model_attention *a = &c->att[i];
        x += fd_tui_putf(ui, w, 1, x, cols - x, FD_ROLE_HEADER, "%s%s", i ? " · " : " ",
                         a->detail ? a->detail : fd_model_attention_text(a->kind));
    }
}

/* Below 80x24: the connection, what waits, then one line per Stage. */
static void draw_small(struct fd_tui *ui, void *ctx, int rows)
{
    struct fd_tui_console *c = ctx;
    WINDOW *w = stdscr;
    int cols = COLS, y = 0, x = 0;

    x += fd_tui_putf(ui, w, y, x, cols - x, FD_ROLE_HEADER, "%s%s%sproject: %s",
                     c->context ? "ctx: " : "", c->context ? c->context : "",
                     c->context ? "  " : "", c->project ? c->project : "-");
    for (size_t i = 0; i < c->n_conns && x < cols; i++) {
        const struct fd_tui_console_conn *k = &c->conns[i];
        bool live = !k->client || k->state == FD_CLIENT_CONN_LIVE;
        x += fd_tui_putf(ui, w, y, x, cols - x, live ? FD_ROLE_HEADER : FD_ROLE_WAITING, "  %s %s",
                         fd_tui_glyph(live ? FD_GLYPH_OK : FD_GLYPH_WARNING),
                         k->client ? fd_client_conn_name(k->state) : "files");
    }
    if (++y >= rows)
        return;
    char loading[96];
    if (!c->n_att && fd_tui_console_loading(c, loading, sizeof(loading)))
        fd_tui_put(ui, w, y, 0, cols, FD_ROLE_WAITING, loading);
    else if (!c->n_att)
        fd_tui_put(ui, w, y, 0, cols, FD_ROLE_HEADER, "nothing waits for you");
    for (size_t i = 0; i < c->n_att && y < rows; i++, y++)
        fd_tui_putf(ui, w, y, 0, cols, FD_ROLE_WAITING, "%s %s", fd_tui_glyph(FD_GLYPH_WARNING),
                    c->att[i].detail ? c->att[i].detail : fd_model_attention_text(c->att[i].kind));
    if (!c->n_att)
        y++;
    for (size_t i = 0; c->pipe && i < c->pipe->n_nodes && y < rows; i++) {
        const struct fd_model_node *nd = &c->pipe->nodes[i];
        struct fd_tui_console_stage_info si;
        if (nd->kind != FD_MODEL_NODE_STAGE || !nd->obj)
            continue;
        fd_tui_console_stage_info(c, nd->obj, &si);
        fd_tui_putf(ui, w, y++, 0, cols, fd_tui_console_stage_phase_role(si.phase),
                    "%-10.10s %s %-10s %s %s%s%s", nd->name,
                    fd_tui_glyph(fd_tui_console_phase_glyph(fd_model_stage_phase_name(si.phase))),
                    fd_model_stage_phase_name(si.phase), si.cur ? si.alias : "-", si.version,
                    si.att ? "  " : "", si.att ? fd_model_attention_mark(si.att->kind) : "");
    }
}

/* ---- Loading files (tests, offline inspection) ------------------------------------- */

/* Decodes obj into the store; on error *err names path and where (may be NULL). */
static enum fd_status add_object(struct fd_tui_console *c, const json_t *obj, const char *path,
                                 const char *where, char **err)
{
    struct fd_model_object *o;
    char *e = NULL;

    if (fd_model_decode(obj, FD_MODEL_KIND_UNKNOWN, &o, &e) != FD_OK) {
        *err = fd_xasprintf("%s: %s%s%s", path, where ? where : "", where ? ": " : "", e);
        free(e);
        return FD_PARSE;
    }
    fd_model_store_apply(c->store, FD_MODEL_EVENT_ADDED, o);
    return FD_OK;
}

/* The objects of one --load file (YAML or JSON, as kubectl get writes them)
 * into the store, and all of them into c->loaded. FD_OK, or an error with
 * *err naming the file and, for an object the model refuses, which object. */
static enum fd_status load_file(struct fd_tui_console *c, const char *path, char **err)
{
    json_t *objs = fd_yaml_manifest_objects(path, err), *it;
    enum fd_status st = FD_OK;
    size_t i;

    if (!objs)
        return FD_PARSE;
    json_array_foreach(objs, i, it)
    {
        /* The what-if finds Kargo's configMap() and secret() in c->loaded;
         * the model keeps no such kind. */
        const char *kind = json_string_value(json_object_get(it, "kind"));
        json_array_append(c->loaded, it);
        if (fd_streq(kind, "ConfigMap") || fd_streq(kind, "Secret"))
            continue;
        char *name = fd_json_text(json_object_get(json_object_get(it, "metadata"), "name"));
        char *where = kind && name ? fd_xasprintf("%s \"%s\"", kind, name)
                                   : fd_xasprintf("object %zu", i + 1);
        free(name);
        st = add_object(c, it, path, where, err);
        free(where);
        if (st != FD_OK)
            break;
    }
    json_decref(objs);
    return st;
}

/* ---- Run ------------------------------------------------------------------------------ */

void fd_tui_console_conn_free(struct fd_tui_console_conn *conn)
{
    fd_client_free(conn->client);
    free(conn->name);
    if (conn->snap)
        fd_model_snapshot_release(conn->snap);
    if (conn->store)
        fd_model_store_free(conn->store);
    fd_kube_config_free(conn->cfg);
    memset(conn, 0, sizeof(*conn));
}

static void console_free(struct fd_tui_console *c)
{
    if (c->expr_thread_started) {
        /* The detection uses c->cfg: it stops (expr_stop) before that goes. */
        pthread_mutex_lock(&c->lock);
        c->expr_quit = true;
        pthread_mutex_unlock(&c->lock);
        pthread_join(c->expr_thread, NULL);
    }
    for (size_t i = 0; i < c->n_conns; i++)
        fd_tui_console_conn_free(&c->conns[i]);
    if (c->pipe)
        fd_model_pipeline_free(c->pipe);
    fd_model_attention_free(c->att, c->n_att);
    if (c->snap)
        fd_model_snapshot_release(c->snap);
    fd_model_store_free(c->store);
    json_decref(c->loaded);
    fd_client_fleet_free(c->fleet);
    for (size_t i = 0; i < c->n_production; i++)
        free(c->production[i]);
    free(c->production);
    for (size_t i = 0; i < c->n_announced; i++)
        free(c->announced[i]);
    free(c->announced);
    fd_tui_console_done_free(c->done);
    free(c->project);
    free(c->context);
    free(c->user);
    free(c->readonly_why);
    free(c->selected_stage);
    free(c->fleet_checked);
    free(c->prometheus);
    free(c->prometheus_from);
    free(c->watch_ns);
    free(c->scope_error);
    fd_kube_config_free(c->own_cfg);
    pthread_mutex_destroy(&c->lock);
}

/* The namespace a workload client watches: the one every mapped Stage of
 * the project in that context shares, else all (NULL). */
static const char *workload_ns(const struct fd_tui_console *c, const char *context)
{
    const char *ns = NULL;

    for (size_t i = 0; i < c->fleet->n_stages; i++) {
        const struct fd_client_stage_map *m = &c->fleet->stages[i];
        if (!fd_streq(m->context, context) || (c->project && !fd_streq(m->project, c->project)))
            continue;
        if (ns && !fd_streq(ns, m->ns))
            return NULL;
        ns = m->ns;
    }
    return ns;
}

/* One client per other context the config file maps the project's Stages
 * to (every project's when none is chosen yet): Rollouts, AnalysisRuns and
 * ReplicaSets only, in their own store. A context missing from the
 * kubeconfig is an error before the screen starts; an unreachable one is
 * just not live. */
enum fd_status fd_tui_console_start_workloads(struct fd_tui_console *c, char **err)
{
    struct fd_kube_error kerr = {0};

    for (size_t i = 0; i < c->fleet->n_stages; i++) {
        const struct fd_client_stage_map *m = &c->fleet->stages[i];
        bool seen = false;
        if (!m->context || fd_streq(m->context, c->context) ||
            (c->project && !fd_streq(m->project, c->project)))
            continue;
        for (size_t j = 0; j < c->n_conns; j++)
            seen = seen || fd_streq(c->conns[j].name, m->context);
        if (seen)
            continue;
        if (c->n_conns == FD_TUI_CONSOLE_MAX_CONNS) {
            *err = fd_xasprintf("%s:%d: more than %d clusters for one console",
                                c->fleet->path ? c->fleet->path : "config", m->line,
                                FD_TUI_CONSOLE_MAX_CONNS);
            return FD_LIMIT;
        }
        struct fd_tui_console_conn *k = &c->conns[c->n_conns++];
        struct fd_kube_load_opts lo = {.kubeconfig = c->opt->kubeconfig, .context = m->context};
        k->name = fd_xstrdup(m->context);
        k->state = FD_CLIENT_CONN_CONNECTING;
        if (fd_kube_config_load(&lo, &k->cfg, &kerr) != FD_OK) {
            /* The context: key's own place, not the entry's first line. */
            char *where = fd_client_fleet_context_where(c->fleet, m->context);
            *err = fd_xasprintf("%s: context \"%s\" (Stage %s/%s): %s",
                                where            ? where
                                : c->fleet->path ? c->fleet->path
                                                 : "config",
                                m->context, m->project, m->stage, kerr.message);
            free(where);
            return kerr.status;
        }
        if (k->cfg->exec)
            k->cfg->exec->stdin_unavailable = true;
        c->insecure = c->insecure || k->cfg->insecure_skip_tls_verify;
        k->store = fd_model_store_new(c->store_cap);
        struct fd_client_opts co = {
            .cfg = k->cfg,
            .store = k->store,
            .ns = workload_ns(c, m->context),
            .kinds =
                1u << FD_MODEL_ROLLOUT | 1u << FD_MODEL_ANALYSIS_RUN | 1u << FD_MODEL_REPLICA_SET,
            .optional_kinds = 1u << FD_MODEL_REPLICA_SET,
            .readonly = c->readonly,
            .on_change = on_change,
            .user = c,
        };
        if (fd_client_start(&co, &k->client, &kerr) != FD_OK) {
            *err = fd_xstrdup(kerr.message);
            return kerr.status;
        }
    }
    return FD_OK;
}

/* The client of the Kargo context (conns[0]) over c->cfg, watching the
 * project's namespace (every namespace while no project is chosen). */
enum fd_status fd_tui_console_start_kargo(struct fd_tui_console *c, char **err)
{
    struct fd_kube_error kerr = {0};
    struct fd_kube_config *cfg = c->cfg;

    if (cfg->exec)
        cfg->exec->stdin_unavailable = true; /* curses owns the terminal */
    c->insecure = c->insecure || cfg->insecure_skip_tls_verify;
    free(c->context);
    free(c->user);
    c->context = fd_xstrdup(cfg->context && *cfg->context ? cfg->context : "in-cluster");
    c->user = cfg->user_name && *cfg->user_name ? fd_xstrdup(cfg->user_name) : NULL;
    free(c->watch_ns);
    c->watch_ns = c->project ? fd_xstrdup(c->project) : NULL;
    struct fd_client_opts co = {
        .cfg = cfg,
        .store = c->store,
        .ns = c->watch_ns,
        /* No project given: the first one is shown, so its long lists come
         * first (before those of every namespace). */
        .focus_first_project = true,
        .readonly = c->readonly,
        .optional_kinds = 1u << FD_MODEL_REPLICA_SET,
        .on_change = on_change,
        .user = c,
    };
    struct fd_tui_console_conn *k = &c->conns[c->n_conns++];
    k->name = fd_xstrdup(c->context);
    k->state = FD_CLIENT_CONN_CONNECTING;
    if (fd_client_start(&co, &k->client, &kerr) != FD_OK) {
        *err = fd_xstrdup(kerr.message);
        return kerr.status;
    }
    return FD_OK;
}

/* FREIGHTDECK_STORE_CAP: the most objects of one kind the console holds
 * (default FD_MODEL_DEFAULT_CAP); past it the header says what is not
 * shown. Returns FD_OK, or FD_USAGE after saying what is wrong. */
static enum fd_status store_cap(size_t *cap)
{
    const char *v = getenv("FREIGHTDECK_STORE_CAP");
    char *end;
    unsigned long long n;

    *cap = FD_MODEL_DEFAULT_CAP;
    if (!v || !*v)
        return FD_OK;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (*end || errno || n < 1 || n > 100000000 || v[0] == '-' || v[0] == '+') {
        fprintf(stderr,
                "freightdeck: FREIGHTDECK_STORE_CAP=\"%s\": not a number of objects from 1 to "
                "100000000\n",
                v);
        return FD_USAGE;
    }
    *cap = (size_t)n;
    return FD_OK;
}

/* SIGINT, SIGTERM and SIGHUP once the frame loop (which quits on the first,
 * tui/frame.c) has ended: let be, so that a second signal (Ctrl-C pressed
 * twice, or `timeout` after a kill) cannot end the process while it stops
 * its clients, which is when a write still on the wire gets its audit line
 * ("outcome unknown"). The frame's own handlers sit on top of this one
 * while it runs. */
static void note_quit_signal(int sig)
{
    (void)sig;
}

static const int teardown_signals[] = {SIGINT, SIGTERM, SIGHUP};

int fd_tui_console_run(const struct fd_tui_console_options *o)
{
    struct fd_tui_console c;
    struct fd_tui_options to = {0};
    struct fd_kube_config *own_cfg = NULL, *cfg = o->cfg;
    struct fd_kube_error kerr = {0};
    struct fd_config conf;
    char *err = NULL;
    int rc = 1;
    struct sigaction quiet, old_quit[FD_ARRAY_SIZE(teardown_signals)];
    bool quieted = false;

    memset(&c, 0, sizeof(c));
    memset(&conf, 0, sizeof(conf));
    c.magic = FD_TUI_CONSOLE_MAGIC;
    c.opt = o;
    pthread_mutex_init(&c.lock, NULL);
    enum fd_status cap_st = store_cap(&c.store_cap);
    c.store = fd_model_store_new(c.store_cap);
    c.production = fd_xcalloc(1, sizeof(char *));
    c.production[0] = fd_xstrdup("prod*");
    c.n_production = 1;
    c.bell = c.osc9 = true;
    c.first_attention = true;
    c.force = o->force;
    if (o->readonly) {
        c.readonly = true;
        c.readonly_why = fd_xstrdup("--readonly");
    }
    if (o->prometheus) {
        c.prometheus = fd_xstrdup(o->prometheus);
        c.prometheus_from = fd_xstrdup("--prometheus");
    }
    c.wake = fd_tui_wake_new();
    if (!c.wake) {
        fprintf(stderr, "freightdeck: cannot create a pipe: %s\n", strerror(errno));
        goto out;
    }
    if (cap_st != FD_OK) {
        rc = fd_status_exit_code(cap_st);
        goto out;
    }
    if (o->project)
        c.project = fd_xstrdup(o->project);
    /* The config file, read once: the fleet, the settings, then (in
     * fd_tui_run) the keys, theme and mouse take their sections. */
    if (fd_config_load(&conf, o->config_path, &err) != FD_OK) {
        fprintf(stderr, "freightdeck: %s\n", err);
        free(err);
        goto out;
    }
    if (fd_client_fleet_from_config(&conf, &c.fleet, &kerr) != FD_OK) {
        fprintf(stderr, "freightdeck: %s\n", kerr.message);
        goto out;
    }

    if (o->nload) {
        c.loaded = json_array();
        for (size_t i = 0; i < o->nload; i++)
            if (load_file(&c, o->load[i], &err) != FD_OK) {
                fprintf(stderr, "freightdeck: %s\n", err);
                free(err);
                goto out;
            }
        c.conns[c.n_conns++].name = fd_xstrdup("files");
    } else {
        if (!cfg) {
            /* --context, else the config file's kargo.context. */
            struct fd_kube_load_opts lo = {.kubeconfig = o->kubeconfig,
                                           .context =
                                               o->context ? o->context : c.fleet->kargo_context};
            if (fd_kube_config_load(&lo, &own_cfg, &kerr) != FD_OK) {
                char *where =
                    o->context ? NULL : fd_client_fleet_context_where(c.fleet, lo.context);
                if (where)
                    fprintf(stderr, "freightdeck: %s: context \"%s\": %s\n", where, lo.context,
                            kerr.message);
                else
                    fprintf(stderr, "freightdeck: %s\n", kerr.message);
                free(where);
                goto out;
            }
            cfg = own_cfg;
        }
        if (!c.project && cfg->namespace && strcmp(cfg->namespace, "default") != 0)
            c.project = fd_xstrdup(cfg->namespace);
        c.cfg = cfg;
        if (fd_tui_console_start_kargo(&c, &err) != FD_OK ||
            fd_tui_console_start_workloads(&c, &err) != FD_OK) {
            fprintf(stderr, "freightdeck: %s\n", err);
            free(err);
            goto out;
        }
    }
    choose_expr(&c, o->nload == 0);
    if (conf.path) {
        char *serr = fd_tui_console_load_settings(&c, &conf);
        if (serr) {
            fprintf(stderr, "freightdeck: %s\n", serr);
            free(serr);
            goto out;
        }
    }
    fd_tui_console_refresh_model(&c);

    to.root_view = o->root_view ? o->root_view : "pipeline";
    to.theme = o->theme;
    to.config_path = o->config_path;
    to.config = &conf;
    to.script_path = o->script_path;
    to.ascii = o->ascii;
    to.no_color = o->no_color;
    to.no_display = o->no_display;
    to.frame_ms = o->frame_ms;
    to.term_out = o->term_out;
    to.term_in = o->term_in;
    to.term_type = o->term_type;
    to.wake = c.wake;
    to.on_wake = on_wake;
    to.is_busy = is_busy;
    to.on_scope = fd_tui_console_on_scope;
    to.ctx = &c;
    to.stats = o->stats;
    to.header_lines = 2;
    to.actions_off = c.readonly;
    to.action_denied = action_denied;
    to.draw_header = draw_header;
    to.draw_small = draw_small;
    /* From here to the end a quit signal cannot cut the teardown short
     * (note_quit_signal); before, during the setup, it ends the process as
     * usual: nothing has been sent yet. */
    memset(&quiet, 0, sizeof(quiet));
    quiet.sa_handler = note_quit_signal;
    sigemptyset(&quiet.sa_mask);
    for (size_t i = 0; i < FD_ARRAY_SIZE(teardown_signals); i++)
        sigaction(teardown_signals[i], &quiet, &old_quit[i]);
    quieted = true;
    rc = fd_tui_run(&to);
out:
    console_free(&c);
    fd_config_free(&conf);
    fd_kube_config_free(own_cfg);
    fd_tui_wake_free(c.wake);
    for (size_t i = 0; quieted && i < FD_ARRAY_SIZE(teardown_signals); i++)
        sigaction(teardown_signals[i], &old_quit[i], NULL);
    return rc;
}
