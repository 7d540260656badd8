/* tui/view-events.c: the Kubernetes Events of a Stage and of the Rollouts
 * behind it, newest first (type, reason, object, count, message), as
 * `kubectl events --for` shows them. Read once when the pane opens (r reads
 * again), with a GET of the namespace's events through the cluster's
 * client: Events are not watched. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "console.h"

/* One GET in flight: shared by the view and the network thread's callback
 * (under c->lock); whoever is last frees it. */
struct events_req {
    struct fd_tui_console *c;
    int refs;
    bool done;
    long status;
    char *body, *error;
};

struct events_state {
    char *stage;
    char *ns;                      /* the namespace read */
    char **names;                  /* the objects whose Events are shown */
    size_t n_names;
    struct events_req *req;
    int height;
};

static void req_unref(struct fd_tui_console *c, struct events_req *r)
{
    bool last;

    pthread_mutex_lock(&c->lock);
    last = --r->refs == 0;
    pthread_mutex_unlock(&c->lock);
    if (last) {
        free(r->body);
        free(r->error);
        free(r);
    }
}

static void on_done(void *user, enum fd_status st, const struct fd_kube_response *resp,
                    const struct fd_kube_error *err, bool maybe_applied)
{
    struct events_req *r = user;
    struct fd_tui_console *c = r->c;

    (void)maybe_applied;
    pthread_mutex_lock(&c->lock);
    r->done = true;
    r->status = resp ? resp->status : 0;
    if (st == FD_OK && resp && resp->body)
        r->body = fd_xstrndup(resp->body, resp->body_len);
    else
        r->error = fd_xstrdup(err && err->message[0] ? err->message : fd_status_message(st));
    c->changed = true;
    pthread_mutex_unlock(&c->lock);
    fd_tui_wake(c->wake);
    req_unref(c, r);
}

static void fetch(struct fd_tui *ui, struct events_state *s)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    const struct fd_tui_console_conn *conn = fd_tui_console_stage_conn(c, s->stage);
    struct fd_client *cl = conn && conn->client ? conn->client : fd_tui_console_client(c);
    struct fd_kube_error err = {0};
    char *path;

    if (s->req)
        req_unref(c, s->req);
    s->req = NULL;
    if (!cl)
        return;
    s->req = fd_xcalloc(1, sizeof(*s->req));
    s->req->c = c;
    s->req->refs = 2;
    path = fd_xasprintf("/api/v1/namespaces/%s/events?limit=500", s->ns);
    if (fd_client_submit(cl, "GET", path, NULL, NULL, on_done, s->req, &err) != FD_OK) {
        s->req->done = true;
        s->req->error = fd_xstrdup(err.message);
        s->req->refs = 1;
    }
    free(path);
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* The time an Event last happened, as text (RFC 3339) for sorting. */
static const char *when_of(const json_t *e)
{
    const char *t = jstr(e, "lastTimestamp");
    if (!*t)
        t = jstr(e, "eventTime");
    if (!*t)
        t = jstr(json_object_get(e, "metadata"), "creationTimestamp");
    return t;
}

static int newest_first(const void *a, const void *b)
{
    return strcmp(when_of(*(json_t *const *)b), when_of(*(json_t *const *)a));
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct events_state *s = v->state;
    struct fd_tui_canvas k;
    bool done;
    long status;
    const char *body = NULL, *error = NULL;

    if (!c || !s)
        return;
    fd_tui_canvas_init(&k, ui, v);
    k.x = 1;
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "EVENTS of Stage %s and its Rollouts (namespace %s)",
                      s->stage, s->ns);
    fd_tui_canvas_row(&k, 2);
    if (!s->req) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "the data comes from files: no Events to read");
        fd_tui_canvas_row(&k, 2);
        s->height = k.y;
        return;
    }
    pthread_mutex_lock(&c->lock);
    done = s->req->done;
    status = s->req->status;
    body = s->req->body;
    error = s->req->error;
    pthread_mutex_unlock(&c->lock);
    if (!done) {
        fd_tui_canvas_put(&k, FD_ROLE_RUNNING, "%s reading the Events...",
                          fd_tui_glyph(FD_GLYPH_RUNNING));
        fd_tui_canvas_row(&k, 2);
        s->height = k.y;
        return;
    }
    if (error) {
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, "%s cannot read Events", fd_tui_glyph(FD_GLYPH_FAILED));
        if (status)
            fd_tui_canvas_put(&k, FD_ROLE_FAILED, " (HTTP %ld)", status);
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, ": ");
        fd_tui_canvas_wrap(&k, FD_ROLE_FAILED, 4, error);
        fd_tui_canvas_row(&k, 2);
        s->height = k.y;
        return;
    }
    json_error_t je;
    json_t *root = json_loads(body ? body : "", 0, &je), *items = json_object_get(root, "items");
    size_t n = json_array_size(items), m = 0;
    json_t **mine = fd_xcalloc(n + 1, sizeof(*mine));
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(items, i);
        const char *name = jstr(json_object_get(e, "involvedObject"), "name");
        for (size_t j = 0; j < s->n_names; j++)
            if (fd_streq(name, s->names[j])) {
                mine[m++] = e;
                break;
            }
    }
    qsort(mine, m, sizeof(*mine), newest_first);
    if (!root)
        fd_tui_canvas_put(&k, FD_ROLE_FAILED, "the answer is not JSON (%s)", je.text);
    else if (!m)
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "no Events (%zu in the namespace, none about these "
                                             "objects; the API server keeps them about an hour)",
                          n);
    if (!root || !m)
        fd_tui_canvas_row(&k, 2);
    for (size_t i = 0; i < m; i++) {
        const json_t *e = mine[i], *io = json_object_get(e, "involvedObject");
        bool warn = fd_streq(jstr(e, "type"), "Warning");
        json_int_t count = json_integer_value(json_object_get(e, "count"));
        const char *t = when_of(e);
        fd_tui_canvas_put(&k, warn ? FD_ROLE_FAILED : FD_ROLE_NORMAL, "%s %-7s %-20s",
                          fd_tui_glyph(warn ? FD_GLYPH_WARNING : FD_GLYPH_BULLET),
                          jstr(e, "type"), jstr(e, "reason"));
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, " %.16s  %s/%s", t, jstr(io, "kind"), jstr(io, "name"));
        if (count > 1)
            fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  x%lld", (long long)count);
        fd_tui_canvas_row(&k, 4);
        fd_tui_canvas_wrap(&k, warn ? FD_ROLE_FAILED : FD_ROLE_NORMAL, 4, jstr(e, "message"));
        fd_tui_canvas_row(&k, 2);
    }
    free(mine);
    json_decref(root);
    s->height = k.y;
    fd_tui_canvas_more(&k, v, s->height);
}

static void open_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct events_state *s = fd_xcalloc(1, sizeof(*s));
    const struct fd_model_object **ro;
    size_t n;

    v->state = s;
    if (!c)
        return;
    s->stage = fd_xstrdup(c->selected_stage ? c->selected_stage : "");
    const struct fd_client_stage_map *m = fd_client_fleet_find(c->fleet, c->project, s->stage);
    s->ns = fd_xstrdup(m && m->ns ? m->ns : c->project ? c->project : "default");
    n = fd_tui_console_rollouts(c, s->stage, &ro);
    s->names = fd_xcalloc(n + 1, sizeof(char *));
    s->names[s->n_names++] = fd_xstrdup(s->stage);
    for (size_t i = 0; i < n; i++)
        s->names[s->n_names++] = fd_xstrdup(ro[i]->meta.name);
    free(ro);
    fetch(ui, s);
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct events_state *s = v->state;

    if (!s)
        return;
    if (s->req && c)
        req_unref(c, s->req);
    for (size_t i = 0; i < s->n_names; i++)
        free(s->names[i]);
    free(s->names);
    free(s->stage);
    free(s->ns);
    free(s);
    v->state = NULL;
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct events_state *s = v->state;

    if (req == FD_REQ_REFRESH && s) {
        fetch(ui, s);
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    return fd_tui_canvas_scroll(ui, v, req, s ? s->height : 0);
}

void fd_tui_console_open_events(struct fd_tui *ui, const char *stage)
{
    fd_tui_console_open_stage_view(ui, stage, &fd_tui_view_events);
}

/* Whether the view waits for its answer (scripts wait for it too). */
static bool is_busy(const struct fd_tui_view *v)
{
    const struct events_state *s = v->state;
    return s && s->req && !s->req->done;
}

bool fd_tui_console_events_busy(struct fd_tui *ui)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    bool busy = false;

    if (!c)
        return false;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < ui->depth; i++)
        if (ui->stack[i]->ops == &fd_tui_view_events && is_busy(ui->stack[i]))
            busy = true;
    pthread_mutex_unlock(&c->lock);
    return busy;
}

static const struct fd_tui_hint hints[] = {
    {FD_REQ_REFRESH, "read again"}, {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_events = {
    .name = "events",
    .title = "Events",
    .help = "The Kubernetes Events of the Stage and of the Rollouts behind it, newest\n"
            "first. They are read once when the pane opens; r reads them again.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
};
