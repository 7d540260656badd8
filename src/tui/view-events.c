/* tui/view-events.c: the Kubernetes Events of a Stage, of the Rollouts
 * behind it and of their ReplicaSets, newest first (type, reason, object,
 * count, message), as `kubectl events --for` shows them. Kept live while the
 * pane is open: each namespace's Events are listed again every
 * FD_EVENTS_REFRESH_MS through the cluster's client (the age of the last
 * read is shown; r reads at once). The Stage's Events are read from the
 * Kargo cluster, the Rollouts' from the cluster and namespace they run in. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "console.h"

/* How often the open pane lists the Events again. A list, not a watch:
 * Events are many, short-lived and need no resourceVersion bookkeeping for
 * a pane that is open for a minute. */
#define FD_EVENTS_REFRESH_MS 5000

/* One GET in flight: shared by the view and the network thread's callback
 * (under c->lock); whoever is last frees it. */
struct events_req {
    struct fd_tui_console *c;
    int refs;
    bool done;
    long status;
    char *body, *error;
};

/* One namespace of one cluster, and the objects whose Events it holds. */
struct events_source {
    struct fd_client *client; /* borrowed from the console's connection */
    char *context;            /* its name, for messages */
    char *ns;
    char **names;
    size_t n_names;
    struct events_req *req; /* the read in flight, or the last one */
    char *body;             /* the last good answer (NULL: none yet) */
    int64_t body_at_ms;     /* when it arrived */
    char *error;            /* the last read's failure, or NULL */
    long error_status;
    int64_t read_at_ms; /* when the last read finished (0: never) */
};

struct events_state {
    char *stage;
    struct events_source src[2]; /* the Kargo cluster's, the Rollouts' */
    size_t n_src;
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

static void fetch(struct fd_tui_console *c, struct events_source *s)
{
    struct fd_kube_error err = {0};
    char *path;

    if (s->req)
        req_unref(c, s->req);
    s->req = NULL;
    if (!s->client)
        return;
    s->req = fd_xcalloc(1, sizeof(*s->req));
    s->req->c = c;
    s->req->refs = 2;
    path = fd_xasprintf("/api/v1/namespaces/%s/events?limit=500", s->ns);
    if (fd_client_submit(s->client, "GET", path, NULL, NULL, on_done, s->req, &err) != FD_OK) {
        s->req->done = true;
        s->req->error = fd_xstrdup(err.message);
        s->req->refs = 1;
    }
    free(path);
}

/* Takes a finished read's answer into the source (UI thread). */
static void collect(struct fd_tui_console *c, struct events_source *s)
{
    bool done;

    if (!s->req)
        return;
    pthread_mutex_lock(&c->lock);
    done = s->req->done;
    pthread_mutex_unlock(&c->lock);
    if (!done)
        return;
    s->read_at_ms = fd_tui_now_ms();
    free(s->error);
    s->error = NULL;
    if (s->req->error) {
        s->error = s->req->error;
        s->error_status = s->req->status;
        s->req->error = NULL;
    } else {
        free(s->body);
        s->body = s->req->body;
        s->body_at_ms = s->read_at_ms;
        s->req->body = NULL;
    }
    req_unref(c, s->req);
    s->req = NULL;
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

static void put_event(struct fd_tui_canvas *k, const json_t *e)
{
    const json_t *io = json_object_get(e, "involvedObject");
    bool warn = fd_streq(jstr(e, "type"), "Warning");
    json_int_t count = json_integer_value(json_object_get(e, "count"));

    fd_tui_canvas_put(k, warn ? FD_ROLE_FAILED : FD_ROLE_NORMAL, "%s %-7s %-20s",
                      fd_tui_glyph(warn ? FD_GLYPH_WARNING : FD_GLYPH_BULLET), jstr(e, "type"),
                      jstr(e, "reason"));
    fd_tui_canvas_put(k, FD_ROLE_MUTED, " %.16s  %s/%s", when_of(e), jstr(io, "kind"),
                      jstr(io, "name"));
    if (count > 1)
        fd_tui_canvas_put(k, FD_ROLE_MUTED, "  x%lld", (long long)count);
    fd_tui_canvas_row(k, 4);
    /* The message is free text from a controller (Argo stores json-iterator's
     * errors, which may hold a NUL): its whole text, not up to the NUL. */
    char *message = fd_json_text(json_object_get(e, "message"));
    fd_tui_canvas_wrap(k, warn ? FD_ROLE_FAILED : FD_ROLE_NORMAL, 4, message ? message : "");
    free(message);
    fd_tui_canvas_row(k, 2);
}

static bool wanted(const struct events_source *s, const json_t *e)
{
    const json_t *io = json_object_get(e, "involvedObject");
    const char *name = jstr(io, "name");

    for (size_t j = 0; j < s->n_names; j++)
        if (fd_streq(name, s->names[j]))
            return true;
    return false;
}

/* One source: where it reads, how fresh it is, why it could not read, and
 * its Events (the last good read's, also while a later one failed). */
static void draw_source(struct fd_tui_canvas *k, struct events_source *s, bool several)
{
    char age[32];
    int64_t now = fd_tui_now_ms();

    if (several) {
        fd_tui_canvas_put(k, FD_ROLE_HEADING, "in context %s, namespace %s", s->context, s->ns);
        fd_tui_canvas_row(k, 2);
    }
    if (!s->body && !s->error) {
        fd_tui_canvas_put(k, FD_ROLE_RUNNING, "%s reading the Events...",
                          fd_tui_glyph(FD_GLYPH_RUNNING));
        fd_tui_canvas_row(k, 2);
        return;
    }
    if (s->error) {
        fd_tui_canvas_put(k, FD_ROLE_FAILED, "%s could not read Events",
                          fd_tui_glyph(FD_GLYPH_FAILED));
        if (s->error_status)
            fd_tui_canvas_put(k, FD_ROLE_FAILED, " (HTTP %ld)", s->error_status);
        fd_tui_canvas_put(k, FD_ROLE_FAILED, ": ");
        fd_tui_canvas_wrap(k, FD_ROLE_FAILED, 4, s->error);
        fd_tui_canvas_row(k, 2);
        if (!s->body)
            return;
        fd_tui_canvas_put(k, FD_ROLE_STALE, "the Events below are from the last good read, %s ago",
                          fd_tui_console_age((now - s->body_at_ms) / 1000, age, sizeof(age)));
        fd_tui_canvas_row(k, 2);
    }
    json_error_t je;
    json_t *root = fd_json_load_outside(s->body, strlen(s->body), 0, &je),
           *items = json_object_get(root, "items");
    size_t n = json_array_size(items), m = 0;
    json_t **mine = fd_xcalloc(n + 1, sizeof(*mine));
    for (size_t i = 0; i < n; i++)
        if (wanted(s, json_array_get(items, i)))
            mine[m++] = json_array_get(items, i);
    qsort(mine, m, sizeof(*mine), newest_first);
    if (!root) {
        fd_tui_canvas_put(k, FD_ROLE_FAILED,
                          "%s could not read Events: the answer is not JSON (%s)",
                          fd_tui_glyph(FD_GLYPH_FAILED), je.text);
        fd_tui_canvas_row(k, 2);
    } else if (!m) {
        fd_tui_canvas_put(k, FD_ROLE_MUTED,
                          "no Events (%zu in the namespace, none about these "
                          "objects; the API server keeps them about an hour)",
                          n);
        fd_tui_canvas_row(k, 2);
    }
    for (size_t i = 0; i < m; i++)
        put_event(k, mine[i]);
    free(mine);
    json_decref(root);
}

static void draw(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct events_state *s = v->state;
    struct fd_tui_canvas k;
    char age[32];
    int64_t now = fd_tui_now_ms(), next = -1;

    if (!c || !s)
        return;
    fd_tui_canvas_init(&k, ui, v);
    k.x = 1;
    fd_tui_canvas_put(&k, FD_ROLE_HEADING, "EVENTS of Stage %s, its Rollouts and ReplicaSets",
                      s->stage);
    if (!s->n_src) {
        fd_tui_canvas_row(&k, 2);
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "the data comes from files: no Events to read");
        fd_tui_canvas_row(&k, 2);
        s->height = k.y;
        return;
    }
    /* Take finished reads, start the next ones that are due. */
    int64_t oldest = 0;
    for (size_t i = 0; i < s->n_src; i++) {
        struct events_source *src = &s->src[i];
        collect(c, src);
        if (!src->req && src->read_at_ms && now - src->read_at_ms >= FD_EVENTS_REFRESH_MS)
            fetch(c, src);
        if (!src->req && src->read_at_ms) {
            int64_t due = src->read_at_ms + FD_EVENTS_REFRESH_MS - now;
            next = next < 0 || due < next ? due : next;
        }
        if (src->read_at_ms && (!oldest || src->read_at_ms < oldest))
            oldest = src->read_at_ms;
    }
    if (oldest)
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "  read %s ago, every %ds",
                          fd_tui_console_age((now - oldest) / 1000, age, sizeof(age)),
                          FD_EVENTS_REFRESH_MS / 1000);
    fd_tui_canvas_row(&k, 2);
    if (s->n_src == 1) {
        fd_tui_canvas_put(&k, FD_ROLE_MUTED, "namespace %s", s->src[0].ns);
        fd_tui_canvas_row(&k, 2);
    }
    for (size_t i = 0; i < s->n_src; i++)
        draw_source(&k, &s->src[i], s->n_src > 1);
    s->height = k.y;
    fd_tui_canvas_more(&k, v, s->height);
    /* The age ticks, and the next read is due: come back then. */
    fd_tui_redraw_in(ui, next >= 0 && next < 1000 ? (int)next + 1 : 1000);
}

static void source_add_name(struct events_source *s, const char *name)
{
    for (size_t i = 0; i < s->n_names; i++)
        if (fd_streq(s->names[i], name))
            return;
    s->names = fd_xreallocarray(s->names, s->n_names + 1, sizeof(char *));
    s->names[s->n_names++] = fd_xstrdup(name);
}

static struct events_source *source_for(struct events_state *s, struct fd_client *client,
                                        const char *context, const char *ns)
{
    for (size_t i = 0; i < s->n_src; i++)
        if (s->src[i].client == client && fd_streq(s->src[i].ns, ns))
            return &s->src[i];
    struct events_source *src = &s->src[s->n_src++];
    src->client = client;
    src->context = fd_xstrdup(context ? context : "");
    src->ns = fd_xstrdup(ns);
    return src;
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
    if (!fd_tui_console_client(c))
        return; /* files */
    const struct fd_client_stage_map *m = fd_client_fleet_find(c->fleet, c->project, s->stage);
    const struct fd_tui_console_conn *conn = fd_tui_console_stage_conn(c, s->stage);
    const char *project = c->project ? c->project : "default";
    struct events_source *kargo =
        source_for(s, fd_tui_console_client(c), c->conns[0].name, project);
    source_add_name(kargo, s->stage);
    struct events_source *work =
        source_for(s, conn && conn->client ? conn->client : fd_tui_console_client(c),
                   conn ? conn->name : c->conns[0].name, m && m->ns ? m->ns : project);
    n = fd_tui_console_rollouts(c, s->stage, &ro);
    for (size_t i = 0; i < n; i++) {
        struct fd_model_rollout_rs *rs;
        size_t nrs = fd_model_rollout_replica_sets(fd_tui_console_conn_snap(c, conn), ro[i], &rs);
        source_add_name(work, ro[i]->meta.name);
        for (size_t j = 0; j < nrs; j++)
            source_add_name(work, rs[j].obj->meta.name);
        free(rs);
    }
    free(ro);
    for (size_t i = 0; i < s->n_src; i++)
        fetch(c, &s->src[i]);
}

static void close_view(struct fd_tui *ui, struct fd_tui_view *v)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct events_state *s = v->state;

    if (!s)
        return;
    for (size_t i = 0; i < s->n_src; i++) {
        struct events_source *src = &s->src[i];
        if (src->req && c)
            req_unref(c, src->req);
        for (size_t j = 0; j < src->n_names; j++)
            free(src->names[j]);
        free(src->names);
        free(src->context);
        free(src->ns);
        free(src->body);
        free(src->error);
    }
    free(s->stage);
    free(s);
    v->state = NULL;
}

static enum fd_tui_result request(struct fd_tui *ui, struct fd_tui_view *v, enum fd_tui_req req)
{
    struct fd_tui_console *c = fd_tui_console_of(ui);
    struct events_state *s = v->state;

    if (req == FD_REQ_REFRESH && s && c) {
        for (size_t i = 0; i < s->n_src; i++)
            if (!s->src[i].req)
                fetch(c, &s->src[i]);
        fd_tui_view_dirty(ui, v);
        return FD_TUI_HANDLED;
    }
    return fd_tui_canvas_scroll(ui, v, req, s ? s->height : 0);
}

void fd_tui_console_open_events(struct fd_tui *ui, const char *stage)
{
    fd_tui_console_open_stage_view(ui, stage, &fd_tui_view_events);
}

/* Whether the view still waits for its first answer (scripts wait for it
 * too; the periodic reads after it do not count). */
static bool is_busy(const struct fd_tui_view *v)
{
    const struct events_state *s = v->state;

    for (size_t i = 0; s && i < s->n_src; i++)
        if (s->src[i].req && !s->src[i].req->done && !s->src[i].read_at_ms)
            return true;
    return false;
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
    {FD_REQ_REFRESH, "read now"},
    {FD_REQ_NONE, NULL},
};

const struct fd_tui_view_ops fd_tui_view_events = {
    .name = "events",
    .title = "Events",
    .help = "The Kubernetes Events of the Stage, of the Rollouts behind it and of their\n"
            "ReplicaSets, newest first. Read again every 5 s while the pane is open (the\n"
            "age of the last read is shown); r reads at once.",
    .hints = hints,
    .open = open_view,
    .close = close_view,
    .draw = draw,
    .request = request,
};
