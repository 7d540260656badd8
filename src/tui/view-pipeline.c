/* tui/view-pipeline.c: the root pane. Warehouse -> Stages as a graph of
 * boxes (when it fits), and below it one row per node with the Stage's
 * phase, current Freight, verification, soak time and what waits for a
 * human. Enter opens a Stage (or the Freight list from a Warehouse). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "utf8.h"

#define BOX_H     5
#define BOX_MAX_W 30
#define BOX_MIN_W 16
#define GAP       3

/* The rows of the list: pipeline nodes that pass the filter. */
static size_t rows_of(struct fd_tui_console *c, struct fd_tui_view *v, size_t *rows, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; c->pipe && i < c->pipe->n_nodes && n < max; i++)
        if (fd_tui_filter_match(v->filter, c->pipe->nodes[i].name))
            rows[n++] = i;
    return n;
}

static const struct fd_model_node *selected_node(struct fd_tui_console *c, struct fd_tui_view *v)
{
    size_t n, *rows;
    const struct fd_model_node *node = NULL;

    if (!c->pipe || !c->pipe->n_nodes)
        return NULL;
    rows = fd_xcalloc(c->pipe->n_nodes, sizeof(*rows));
    n = rows_of(c, v, rows, c->pipe->n_nodes);
    if (v->cursor >= 0 && (size_t)v->cursor < n)
        node = &c->pipe->nodes[rows[v->cursor]];
    free(rows);
    return node;
}

/* The Freight of Warehouse NAME (their origin), not the project's: a project
 * can have several Warehouses. Returns how many; *newest is the newest of
 * them (the console's list is newest first) or NULL. */
static size_t warehouse_freight(struct fd_tui_console *c, const char *name,
                                const struct fd_model_freight **newest)
{
    const struct fd_model_object **fl;
    size_t nf = fd_tui_console_freight_list(c, &fl), mine = 0;
    *newest = NULL;
    for (size_t k = 0; k < nf; k++) {
        const struct fd_model_freight *f = fl[k]->u.freight;
        if (fl[k]->undecodable || !f->origin.name || strcmp(f->origin.name, name))
            continue;
        if (!*newest)
            *newest = f;
        mine++;
    }
    free(fl);
    return mine;
}

static void box_hline(struct fd_tui *ui, WINDOW *w, int y, int x, int n, enum fd_tui_role role)
{
    for (int i = 0; i < n; i++)
        fd_tui_put(ui, w, y, x + i, 1, role, fd_tui_glyph(FD_GLYPH_HLINE));
}

/* One box: name in the top border, three lines inside, a mark in the bottom. */
static void draw_box(struct fd_tui *ui, WINDOW *w, int y, int x, int bw, bool selected,
                     const char *name, const char *mark, enum fd_tui_role mark_role,
                     const char *const lines[3], const enum fd_tui_role roles[3])
{
    enum fd_tui_role b = selected ? FD_ROLE_TITLE : FD_ROLE_BORDER;

    fd_tui_put(ui, w, y, x, 1, b, fd_tui_glyph(FD_GLYPH_ULCORNER));
    box_hline(ui, w, y, x + 1, bw - 2, b);
    fd_tui_put(ui, w, y, x + bw - 1, 1, b, fd_tui_glyph(FD_GLYPH_URCORNER));
    fd_tui_putf(ui, w, y, x + 1, bw - 3, selected ? FD_ROLE_SELECTION : FD_ROLE_TITLE, " %s ",
                name);
    for (int i = 0; i < 3; i++) {
        fd_tui_put(ui, w, y + 1 + i, x, 1, b, fd_tui_glyph(FD_GLYPH_VLINE));
        fd_tui_put(ui, w, y + 1 + i, x + 1, bw - 2, roles[i], lines[i]);
        fd_tui_put(ui, w, y + 1 + i, x + bw - 1, 1, b, fd_tui_glyph(FD_GLYPH_VLINE));
    }
    fd_tui_put(ui, w, y + 4, x, 1, b, fd_tui_glyph(FD_GLYPH_LLCORNER));
    box_hline(ui, w, y + 4, x + 1, bw - 2, b);
    fd_tui_put(ui, w, y + 4, x + bw - 1, 1, b, fd_tui_glyph(FD_GLYPH_LRCORNER));
    if (mark)
        fd_tui_putf(ui, w, y + 4, x + 1, bw - 3, mark_role, " %s ", mark);
}

/* The three lines inside a Stage box (and the list's columns): phase,
 * Freight alias, then version, verification and soak time; for a Stage the
 * model could not decode, that it is invalid. */
static void stage_lines(struct fd_tui_console *c, const struct fd_tui_console_stage_info *si,
                        char buf[3][96], enum fd_tui_role roles[3])
{
    char age[32];

    if (si->obj && si->obj->undecodable) {
        /* Nothing of it can be told: not "no Freight", which would be a
         * claim. The Stage pane names the field (Enter). */
        snprintf(buf[0], 96, "%s invalid", fd_tui_glyph(FD_GLYPH_FAILED));
        roles[0] = FD_ROLE_FAILED;
        snprintf(buf[1], 96, "Enter: why");
        roles[1] = FD_ROLE_MUTED;
        buf[2][0] = '\0';
        roles[2] = FD_ROLE_NORMAL;
        return;
    }
    snprintf(buf[0], 96, "%s %s",
             fd_tui_glyph(fd_tui_console_phase_glyph(fd_model_stage_phase_name(si->phase))),
             fd_model_stage_phase_name(si->phase));
    roles[0] = fd_tui_console_stage_phase_role(si->phase);
    snprintf(buf[1], 96, "%s", si->cur ? si->alias : "no Freight");
    roles[1] = si->cur ? FD_ROLE_NORMAL : FD_ROLE_MUTED;
    if (si->ver_phase) {
        snprintf(buf[2], 96, "%s %s", si->version,
                 fd_tui_glyph(fd_tui_console_phase_glyph(si->ver_phase)));
        roles[2] = fd_tui_console_phase_role(si->ver_phase);
    } else {
        snprintf(buf[2], 96, "%s", si->version);
        roles[2] = FD_ROLE_NORMAL;
    }
    if (si->since) {
        size_t l = strlen(buf[2]);
        snprintf(buf[2] + l, 96 - l, " %s",
                 fd_tui_console_age_since(c->ui, c, si->since, age, sizeof(age)));
    }
}

/* The graph; returns the rows it used (0 when it does not fit). */
static int draw_graph(struct fd_tui *ui, struct fd_tui_console *c, struct fd_tui_view *v,
                      const struct fd_model_node *sel)
{
    const struct fd_model_pipeline *p = c->pipe;
    size_t ncol = 0, maxrows = 0, *count, *rowof;
    int bw, W = v->cols;

    if (!p || !p->n_nodes)
        return 0;
    for (size_t i = 0; i < p->n_nodes; i++)
        if (p->nodes[i].depth + 1 > ncol)
            ncol = p->nodes[i].depth + 1;
    count = fd_xcalloc(ncol, sizeof(*count));
    rowof = fd_xcalloc(p->n_nodes, sizeof(*rowof));
    for (size_t i = 0; i < p->n_nodes; i++) {
        rowof[i] = count[p->nodes[i].depth]++;
        if (count[p->nodes[i].depth] > maxrows)
            maxrows = count[p->nodes[i].depth];
    }
    bw = (W - 1 - (int)(ncol - 1) * GAP) / (int)ncol;
    if (bw > BOX_MAX_W)
        bw = BOX_MAX_W;
    /* Only when it fits beside the list: at least 5 list rows remain. */
    if (bw < BOX_MIN_W || (int)maxrows * BOX_H + 6 > v->lines) {
        free(count);
        free(rowof);
        return 0;
    }
    for (size_t i = 0; i < p->n_nodes; i++) {
        const struct fd_model_node *nd = &p->nodes[i];
        int x = (int)nd->depth * (bw + GAP), y = (int)rowof[i] * BOX_H;
        char buf[3][96];
        enum fd_tui_role roles[3] = {FD_ROLE_NORMAL, FD_ROLE_NORMAL, FD_ROLE_NORMAL};
        const char *lines[3] = {buf[0], buf[1], buf[2]};
        const char *mark = NULL;
        enum fd_tui_role mrole = FD_ROLE_WAITING;
        char markbuf[64];

        if (nd->kind == FD_MODEL_NODE_WAREHOUSE) {
            const struct fd_model_freight *newest;
            size_t mine = warehouse_freight(c, nd->name, &newest);
            snprintf(buf[0], 96, "Warehouse");
            if (fd_tui_console_listed(c, FD_MODEL_FREIGHT))
                snprintf(buf[1], 96, "%zu Freight", mine);
            else
                snprintf(buf[1], 96, "loading Freight...");
            buf[2][0] = 0;
            if (newest) {
                char ver[64];
                snprintf(buf[2], 96, "newest %s",
                         newest->alias ? newest->alias
                                       : fd_tui_console_version(&newest->art, ver, sizeof(ver)));
            }
            roles[0] = FD_ROLE_MUTED;
        } else {
            struct fd_tui_console_stage_info si;
            fd_tui_console_stage_info(c, nd->obj, &si);
            if (!nd->obj) {
                snprintf(buf[0], 96, "missing");
                buf[1][0] = buf[2][0] = 0;
                roles[0] = FD_ROLE_FAILED;
            } else {
                stage_lines(c, &si, buf, roles);
                if (si.autopromo && (int)fd_tui_utf8_width(buf[0]) + 6 <= bw - 2)
                    strcat(buf[0], "  auto");
            }
            if (si.att) {
                /* What is wrong, when it is worse than something to do. */
                snprintf(markbuf, sizeof(markbuf), "%s %s", fd_tui_glyph(FD_GLYPH_WARNING),
                         si.att->kind < FD_MODEL_ATTENTION_ROLLOUT_PAUSED
                             ? fd_model_attention_mark(si.att->kind)
                             : "waits");
                mark = markbuf;
                if (si.att->kind < FD_MODEL_ATTENTION_ROLLOUT_PAUSED)
                    mrole = FD_ROLE_FAILED;
            } else if (si.prod) {
                mark = "prod";
                mrole = FD_ROLE_DANGER;
            }
        }
        draw_box(ui, v->win, y, x, bw, nd == sel, nd->name, mark, mrole, lines, roles);
    }
    /* Edges between neighbouring columns. */
    for (size_t e = 0; e < p->n_edges; e++) {
        const struct fd_model_node *a = &p->nodes[p->edges[e].from], *b = &p->nodes[p->edges[e].to];
        if (b->depth != a->depth + 1)
            continue;
        int x0 = (int)(a->depth + 1) * (bw + GAP) - GAP;
        int y1 = (int)rowof[p->edges[e].from] * BOX_H + 2,
            y2 = (int)rowof[p->edges[e].to] * BOX_H + 2;
        enum fd_tui_role r = FD_ROLE_BORDER;
        if (y1 == y2) {
            box_hline(ui, v->win, y1, x0, 2, r);
        } else {
            fd_tui_put(ui, v->win, y1, x0, 1, r, fd_tui_glyph(FD_GLYPH_HLINE));
            fd_tui_put(ui, v->win, y1, x0 + 1, 1, r,
                       fd_tui_glyph(y2 > y1 ? FD_GLYPH_URCORNER : FD_GLYPH_LRCORNER));
            for (int y = (y1 < y2 ? y1 : y2) + 1; y < (y1 < y2 ? y2 : y1); y++)
                fd_tui_put(ui, v->win, y, x0 + 1, 1, r, fd_tui_glyph(FD_GLYPH_VLINE));
            fd_tui_put(ui, v->win, y2, x0 + 1, 1, r,
                       fd_tui_glyph(y2 > y1 ? FD_GLYPH_LLCORNER : FD_GLYPH_ULCORNER));
        }
        fd_tui_put(ui, v->win, y2, x0 + 2, 1, r, fd_tui_glyph(FD_GLYPH_ARROW));
    }
    free(count);
    free(rowof);
    return (int)maxrows * BOX_H + 1;
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    size_t n, *rows;
    int y, W = v->cols;
    const struct fd_model_node *sel;

    if (!c)
        return;
    if (!c->project || !c->pipe || !c->pipe->n_nodes) {
        /* The pipeline needs the Projects, Stages and Warehouses alone: it
         * shows before the long lists arrive. */
        bool loading = !fd_tui_console_listed(c, FD_MODEL_PROJECT) ||
                       !fd_tui_console_listed(c, FD_MODEL_STAGE) ||
                       !fd_tui_console_listed(c, FD_MODEL_WAREHOUSE);
        fd_tui_put(ui, v->win, 1, 2, W - 4, FD_ROLE_MUTED,
                   loading      ? "loading the pipeline..."
                   : c->project ? "no Warehouse or Stage in this project"
                                : "no Kargo project found (:project NAME)");
        if (c->n_conns && c->conns[0].error[0])
            fd_tui_put(ui, v->win, 3, 2, W - 4, FD_ROLE_FAILED, c->conns[0].error);
        return;
    }
    rows = fd_xcalloc(c->pipe->n_nodes, sizeof(*rows));
    n = rows_of(c, v, rows, c->pipe->n_nodes);
    if (v->cursor >= (int)n)
        v->cursor = n ? (int)n - 1 : 0;
    sel = n ? &c->pipe->nodes[rows[v->cursor]] : NULL;
    y = draw_graph(ui, c, v, sel);

    /* The list. Column widths grow with the screen. */
    int wname = W >= 120 ? 20 : 12, wphase = 12, wfr = W >= 120 ? 30 : 21, wver = 15, wsoak = 8;
    int xname = 2, xphase = xname + wname, xfr = xphase + wphase, xver = xfr + wfr,
        xsoak = xver + wver, xmark = xsoak + wsoak;
    fd_tui_put(ui, v->win, y, xname, wname, FD_ROLE_HEADING, "NODE");
    fd_tui_put(ui, v->win, y, xphase, wphase, FD_ROLE_HEADING, "PHASE");
    fd_tui_put(ui, v->win, y, xfr, wfr, FD_ROLE_HEADING, "FREIGHT");
    fd_tui_put(ui, v->win, y, xver, wver, FD_ROLE_HEADING, "VERIFICATION");
    fd_tui_put(ui, v->win, y, xsoak, wsoak, FD_ROLE_HEADING, "SOAK");
    fd_tui_put(ui, v->win, y, xmark, W - xmark, FD_ROLE_HEADING, "WAITS");
    y++;
    int room = v->lines - y;
    if (room < 1)
        room = 1;
    if (v->cursor < v->scroll)
        v->scroll = v->cursor;
    if (v->cursor >= v->scroll + room)
        v->scroll = v->cursor - room + 1;
    v->list_y = y;
    v->list_rows = (int)n;
    for (size_t r = (size_t)v->scroll; r < n && y < v->lines; r++, y++) {
        const struct fd_model_node *nd = &c->pipe->nodes[rows[r]];
        bool on = (int)r == v->cursor;
        char buf[3][96], age[32];
        enum fd_tui_role roles[3];

        if (on) {
            fd_tui_fill(ui, v->win, y, 0, FD_ROLE_SELECTION);
            fd_tui_put(ui, v->win, y, 0, 1, FD_ROLE_SELECTION, fd_tui_glyph(FD_GLYPH_SELECTED));
        }
#define R(role) (on ? FD_ROLE_SELECTION : (role))
        fd_tui_put(ui, v->win, y, xname, wname - 1, R(FD_ROLE_NORMAL), nd->name);
        if (nd->kind == FD_MODEL_NODE_WAREHOUSE) {
            const struct fd_model_freight *newest;
            size_t mine = warehouse_freight(c, nd->name, &newest);
            fd_tui_put(ui, v->win, y, xphase, wphase - 1, R(FD_ROLE_MUTED), "Warehouse");
            if (!fd_tui_console_listed(c, FD_MODEL_FREIGHT))
                fd_tui_put(ui, v->win, y, xfr, W - xfr, R(FD_ROLE_WAITING), "loading Freight...");
            else
                fd_tui_putf(ui, v->win, y, xfr, W - xfr, R(FD_ROLE_MUTED),
                            "%zu Freight (Enter: list)", mine);
            continue;
        }
        struct fd_tui_console_stage_info si;
        fd_tui_console_stage_info(c, nd->obj, &si);
        if (!nd->obj) {
            fd_tui_put(ui, v->win, y, xphase, W - xphase, R(FD_ROLE_FAILED), "missing Stage");
            continue;
        }
        stage_lines(c, &si, buf, roles);
        fd_tui_put(ui, v->win, y, xphase, wphase - 1, R(roles[0]), buf[0]);
        fd_tui_putf(ui, v->win, y, xfr, wfr - 1, R(roles[1]), "%s %s", buf[1], si.version);
        if (si.ver_phase)
            fd_tui_putf(ui, v->win, y, xver, wver - 1, R(roles[2]), "%s %s",
                        fd_tui_glyph(fd_tui_console_phase_glyph(si.ver_phase)), si.ver_phase);
        else if (!nd->obj->undecodable) /* (of an invalid one, "-" would be a claim) */
            fd_tui_put(ui, v->win, y, xver, wver - 1, R(FD_ROLE_MUTED), "-");
        if (si.since)
            fd_tui_put(ui, v->win, y, xsoak, wsoak - 1, R(FD_ROLE_NORMAL),
                       fd_tui_console_age_since(ui, c, si.since, age, sizeof(age)));
        if (si.att)
            fd_tui_putf(ui, v->win, y, xmark, W - xmark, R(FD_ROLE_WAITING), "%s %s",
                        fd_tui_glyph(FD_GLYPH_WARNING), fd_model_attention_mark(si.att->kind));
        else if (si.prod)
            fd_tui_put(ui, v->win, y, xmark, W - xmark, R(FD_ROLE_MUTED), "prod");
#undef R
    }
    free(rows);
    /* Soak times tick: fd_tui_console_age_since asks for the redraws. */
}

static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    (void)v;
    if (!c)
        return;
    c->ui = ui;
    if (c->context && !ui->scope[0])
        ui->scope[0] = fd_xstrdup(c->context);
    if (c->project && !ui->scope[1])
        ui->scope[1] = fd_xstrdup(c->project);
    fd_tui_console_announce(ui, c);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    const struct fd_model_node *nd;
    size_t n, *rows;

    if (!c)
        return FD_TUI_IGNORED;
    if (c->pipe && c->pipe->n_nodes) {
        rows = fd_xcalloc(c->pipe->n_nodes, sizeof(*rows));
        n = rows_of(c, v, rows, c->pipe->n_nodes);
        free(rows);
        if (fd_tui_list_request(ui, v, req, (int)n) == FD_TUI_HANDLED)
            return FD_TUI_HANDLED;
    }
    nd = selected_node(c, v);
    if (fd_tui_req_action(req) != FD_MODEL_ACTION__COUNT) {
        if (!nd || nd->kind != FD_MODEL_NODE_STAGE) {
            fd_tui_message(ui, FD_TUI_INFO, 3000, "select a Stage first");
            return FD_TUI_HANDLED;
        }
        fd_tui_console_action_dialog(ui, req, nd->name, NULL);
        return FD_TUI_HANDLED;
    }
    switch (req) {
    case FD_REQ_OPEN:
        if (!nd)
            return FD_TUI_HANDLED;
        if (nd->kind == FD_MODEL_NODE_WAREHOUSE)
            fd_tui_push_view(ui, &fd_tui_view_freight);
        else
            fd_tui_console_open_stage(ui, nd->name);
        return FD_TUI_HANDLED;
    case FD_REQ_WHATIF:
    case FD_REQ_REPLAY:
    case FD_REQ_HISTORY:
    case FD_REQ_ROLLOUT_VIEW:
    case FD_REQ_EVENTS:
        if (!nd || nd->kind != FD_MODEL_NODE_STAGE) {
            fd_tui_message(ui, FD_TUI_INFO, 3000, "select a Stage first");
            return FD_TUI_HANDLED;
        }
        if (req == FD_REQ_WHATIF)
            fd_tui_console_open_whatif(ui, nd->name);
        else if (req == FD_REQ_HISTORY)
            fd_tui_console_open_history(ui, nd->name);
        else if (req == FD_REQ_ROLLOUT_VIEW)
            fd_tui_console_open_rollout(ui, nd->name);
        else if (req == FD_REQ_EVENTS)
            fd_tui_console_open_events(ui, nd->name);
        else
            fd_tui_console_open_replay(ui, nd->name);
        return FD_TUI_HANDLED;
    case FD_REQ_REFRESH:
        if (fd_tui_console_client(c)) {
            fd_client_resync(fd_tui_console_client(c));
            fd_tui_message(ui, FD_TUI_INFO, 3000, "relisting everything from the cluster");
        } else {
            fd_tui_message(ui, FD_TUI_INFO, 3000, "the data comes from files: nothing to refresh");
        }
        return FD_TUI_HANDLED;
    default:
        return FD_TUI_IGNORED;
    }
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_OPEN, "open"},       {FD_REQ_PROMOTE, "promote"},
    {FD_REQ_APPROVE, "approve"}, {FD_REQ_ROLLOUT_ABORT, "abort canary"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_pipeline = {
    .name = "pipeline",
    .title = "Pipeline",
    .help = "The Warehouse and its Stages. Enter opens a Stage (or the Freight list on\n"
            "the Warehouse); the action keys act on the selected Stage.",
    .hints = hints,
    .filterable = true,
    .open = open_view,
    .draw = draw,
    .request = request,
};
