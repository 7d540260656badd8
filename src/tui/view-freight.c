/* tui/view-freight.c: the project's Freight, newest first: alias, artifacts,
 * age, and badges for the Stages it is in, verified in and approved for.
 * p / a open the promote / approve dialog for the selected Freight. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

/* s cycles the order: newest first (the default), alias, version. */
enum freight_sort { SORT_NEWEST, SORT_ALIAS, SORT_VERSION, SORT__COUNT };
static const char *const sort_names[SORT__COUNT] = {"newest first", "alias",
                                                    "version (highest first)"};

static int by_alias(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;
    const char *ax = !x->undecodable && x->u.freight->alias ? x->u.freight->alias : x->meta.name;
    const char *ay = !y->undecodable && y->u.freight->alias ? y->u.freight->alias : y->meta.name;

    return strcmp(ax, ay);
}

/* Compares versions with their numbers as numbers ("1.10.0" > "1.9.2"). */
static int vercmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
            if (x != y)
                return x < y ? -1 : 1;
            a = ea;
            b = eb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        } else {
            a++;
            b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int by_version(const void *a, const void *b)
{
    const struct fd_model_object *x = *(const struct fd_model_object *const *)a;
    const struct fd_model_object *y = *(const struct fd_model_object *const *)b;
    char vx[64] = "", vy[64] = "";

    if (!x->undecodable)
        fd_tui_console_version(&x->u.freight->art, vx, sizeof(vx));
    if (!y->undecodable)
        fd_tui_console_version(&y->u.freight->art, vy, sizeof(vy));
    return vercmp(vy, vx);
}

static size_t visible(struct fd_tui_console *c, struct fd_tui_view *v,
                      const struct fd_model_object ***out)
{
    size_t n = fd_tui_console_freight_list(c, out), k = 0;
    intptr_t mode = (intptr_t)v->state;

    if (mode == SORT_ALIAS)
        qsort(*out, n, sizeof(**out), by_alias);
    else if (mode == SORT_VERSION)
        qsort(*out, n, sizeof(**out), by_version);

    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *o = (*out)[i];
        const char *alias = o->undecodable ? NULL : o->u.freight->alias;
        char ver[64] = "";
        if (!o->undecodable)
            fd_tui_console_version(&o->u.freight->art, ver, sizeof(ver));
        if (fd_tui_filter_match(v->filter, o->meta.name) || fd_tui_filter_match(v->filter, alias) ||
            fd_tui_filter_match(v->filter, ver))
            (*out)[k++] = o;
    }
    return k;
}

/* Artifacts in one line: image tags, commits, charts. */
static void artifacts(const struct fd_model_artifacts *a, struct fd_buf *b)
{
    for (size_t i = 0; i < a->n_images; i++) {
        const char *repo = a->images[i].repo_url ? a->images[i].repo_url : "?";
        const char *slash = strrchr(repo, '/');
        fd_buf_printf(&b[0], "%s%s:%s", b->len ? " " : "", slash ? slash + 1 : repo,
                      a->images[i].tag ? a->images[i].tag : "?");
    }
    for (size_t i = 0; i < a->n_commits; i++)
        fd_buf_printf(b, "%sgit %.7s%s%s", b->len ? " " : "",
                      a->commits[i].id ? a->commits[i].id : "?", a->commits[i].tag ? " " : "",
                      a->commits[i].tag ? a->commits[i].tag : "");
    for (size_t i = 0; i < a->n_charts; i++)
        fd_buf_printf(b, "%schart %s:%s", b->len ? " " : "",
                      a->charts[i].name ? a->charts[i].name : "?",
                      a->charts[i].version ? a->charts[i].version : "?");
}

static int badges(struct fd_tui *ui, WINDOW *w, int y, int x, int maxx, bool on,
                  const struct fd_model_freight *f)
{
    int x0 = x;
#define R(role) (on ? FD_ROLE_SELECTION : (role))
    for (size_t i = 0; i < f->n_currently_in && x < maxx; i++)
        x += fd_tui_putf(ui, w, y, x, maxx - x, R(FD_ROLE_RUNNING), "[in %s] ",
                         f->currently_in[i].stage);
    for (size_t i = 0; i < f->n_verified_in && x < maxx; i++)
        x += fd_tui_putf(ui, w, y, x, maxx - x, R(FD_ROLE_OK), "%s%s ", fd_tui_glyph(FD_GLYPH_OK),
                         f->verified_in[i].stage);
    for (size_t i = 0; i < f->n_approved_for && x < maxx; i++)
        x += fd_tui_putf(ui, w, y, x, maxx - x, R(FD_ROLE_WAITING), "approved:%s ",
                         f->approved_for[i].stage);
#undef R
    return x - x0;
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    const struct fd_model_object **fl;
    size_t n;
    int W = v->cols, y = 0;

    if (!c)
        return;
    n = visible(c, v, &fl);
    int wal = 16, wart = W >= 120 ? 36 : 22, wage = 8;
    int xal = 2, xart = xal + wal, xage = xart + wart, xb = xage + wage;
    fd_tui_put(ui, v->win, y, xal, wal, FD_ROLE_HEADING, "ALIAS");
    fd_tui_put(ui, v->win, y, xart, wart, FD_ROLE_HEADING, "ARTIFACTS");
    fd_tui_put(ui, v->win, y, xage, wage, FD_ROLE_HEADING, "AGE");
    fd_tui_put(ui, v->win, y, xb, W - xb, FD_ROLE_HEADING, "IN / VERIFIED / APPROVED");
    {
        char by[64];
        int bl = snprintf(by, sizeof(by), "by %s", sort_names[(intptr_t)v->state]);
        if (W - bl - 1 > xb + 26)
            fd_tui_put(ui, v->win, y, W - bl - 1, bl, FD_ROLE_MUTED, by);
    }
    y++;
    if (!n) {
        fd_tui_put(ui, v->win, y + 1, 2, W - 4, FD_ROLE_MUTED,
                   !fd_tui_console_listed(c, FD_MODEL_FREIGHT) ? "loading Freight..."
                   : v->filter                                 ? "no Freight matches the filter"
                                                               : "no Freight yet");
        free(fl);
        return;
    }
    if (v->cursor >= (int)n)
        v->cursor = (int)n - 1;
    int room = v->lines - 1;
    if (v->cursor < v->scroll)
        v->scroll = v->cursor;
    if (v->cursor >= v->scroll + room)
        v->scroll = v->cursor - room + 1;
    v->list_y = y;
    v->list_rows = (int)n;
    for (size_t i = (size_t)v->scroll; i < n && y < v->lines; i++, y++) {
        const struct fd_model_object *o = fl[i];
        bool on = (int)i == v->cursor;
        char age[32];
        if (on) {
            fd_tui_fill(ui, v->win, y, 0, FD_ROLE_SELECTION);
            fd_tui_put(ui, v->win, y, 0, 1, FD_ROLE_SELECTION, fd_tui_glyph(FD_GLYPH_SELECTED));
        }
        if (o->undecodable) {
            fd_tui_putf(ui, v->win, y, xal, W - xal, on ? FD_ROLE_SELECTION : FD_ROLE_FAILED,
                        "%.12s: %s", o->meta.name, o->error ? o->error : "undecodable");
            continue;
        }
        const struct fd_model_freight *f = o->u.freight;
        struct fd_buf art = FD_BUF_INIT;
        artifacts(&f->art, &art);
        fd_tui_putf(ui, v->win, y, xal, wal - 1, on ? FD_ROLE_SELECTION : FD_ROLE_NORMAL, "%s",
                    f->alias ? f->alias : o->meta.name);
        fd_tui_put(ui, v->win, y, xart, wart - 1, on ? FD_ROLE_SELECTION : FD_ROLE_NORMAL,
                   fd_buf_cstr(&art));
        fd_tui_put(
            ui, v->win, y, xage, wage - 1, on ? FD_ROLE_SELECTION : FD_ROLE_MUTED,
            fd_tui_console_age_since(ui, c, fd_model_freight_discovered_at(o), age, sizeof(age)));
        badges(ui, v->win, y, xb, W, on, f);
        fd_buf_free(&art);
    }
    free(fl);
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    const struct fd_model_object **fl;
    size_t n;
    enum fd_tui_result r = FD_TUI_IGNORED;

    if (!c)
        return r;
    if (req == FD_REQ_SORT) {
        v->state = (void *)(((intptr_t)v->state + 1) % SORT__COUNT);
        v->cursor = v->scroll = 0;
        fd_tui_message(ui, FD_TUI_INFO, 3000, "Freight sorted by %s",
                       sort_names[(intptr_t)v->state]);
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    n = visible(c, v, &fl);
    if (fd_tui_list_request(ui, v, req, (int)n) == FD_TUI_HANDLED) {
        free(fl);
        return FD_TUI_HANDLED;
    }
    if ((req == FD_REQ_PROMOTE || req == FD_REQ_APPROVE) && n && v->cursor < (int)n) {
        fd_tui_console_action_dialog(ui, req, NULL, fl[v->cursor]->meta.name);
        r = FD_TUI_HANDLED;
    }
    free(fl);
    return r;
}

static const char *title_note(struct fd_tui *ui, struct fd_tui_view *v, char *buf, size_t size)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);

    (void)v;
    return c ? fd_tui_console_capped(c, FD_MODEL_FREIGHT, buf, size) : NULL;
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_PROMOTE, "promote"},
    {FD_REQ_APPROVE, "approve"},
    {FD_REQ_SORT, "sort"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_freight = {
    .name = "freight",
    .title = "Freight",
    .help = "Every Freight of the project. [in S]: in Stage S now; a check mark: verified\n"
            "in that Stage; approved:S: approved for S. p promotes, a approves the selected\n"
            "Freight (the dialog asks for which Stage).",
    .hints = hints,
    .split = true,
    .filterable = true,
    .draw = draw,
    .request = request,
    .title_note = title_note,
};
