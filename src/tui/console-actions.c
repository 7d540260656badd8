/* tui/console-actions.c: actions sent from the console and their results. */
#include "config.h"

#include "console.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/client.h"

/* ---- Actions ------------------------------------------------------------------ */

struct send_ctx {
    struct fd_tui_console *c;
    unsigned long id;
};

static void action_done(void *user, const struct fd_model_action_plan *plan,
                        const struct fd_client_action_result *res)
{
    struct send_ctx *s = user;
    struct fd_tui_console *c = s->c;
    struct fd_tui_console_done *d = fd_xcalloc(1, sizeof(*d));

    (void)plan;
    d->id = s->id;
    d->outcome = res->outcome;
    d->http_status = res->http_status;
    d->message = res->message ? fd_xstrdup(res->message) : NULL;
    d->created = res->created ? fd_xstrdup(res->created) : NULL;
    d->resolution = res->resolution;
    d->resolution_text = res->resolution_text ? fd_xstrdup(res->resolution_text) : NULL;
    pthread_mutex_lock(&c->lock);
    d->next = c->done;
    c->done = d;
    if (c->in_flight)
        c->in_flight--;
    pthread_mutex_unlock(&c->lock);
    free(s);
    fd_tui_wake(c->wake);
}

unsigned long fd_tui_console_send_to(struct fd_tui_console *c,
                                     const struct fd_tui_console_conn *conn,
                                     struct fd_model_action_plan *plan, const char **why)
{
    struct fd_client *cl = conn ? conn->client : fd_tui_console_client(c);
    struct send_ctx *s;
    unsigned long id;

    *why = NULL;
    if (c->readonly) {
        *why = "read-only console";
        fd_model_action_plan_free(plan);
        return 0;
    }
    if (!cl) {
        *why = "not connected to a cluster (the data comes from files)";
        fd_model_action_plan_free(plan);
        return 0;
    }
    s = fd_xcalloc(1, sizeof(*s));
    s->c = c;
    pthread_mutex_lock(&c->lock);
    id = s->id = ++c->next_action;
    c->in_flight++;
    pthread_mutex_unlock(&c->lock);
    /* From here s belongs to action_done, which may run and free it on the
     * network thread before fd_client_action_send returns. */
    if (fd_client_action_send(cl, plan, action_done, s) != FD_OK) {
        pthread_mutex_lock(&c->lock);
        c->in_flight--;
        pthread_mutex_unlock(&c->lock);
        free(s);
        *why = "the client refused to queue the request";
        return 0;
    }
    return id;
}

struct fd_tui_console_done *fd_tui_console_take_done(struct fd_tui_console *c, unsigned long id)
{
    struct fd_tui_console_done **p, *d = NULL;

    pthread_mutex_lock(&c->lock);
    for (p = &c->done; *p; p = &(*p)->next)
        if ((*p)->id == id) {
            d = *p;
            *p = d->next;
            d->next = NULL;
            break;
        }
    pthread_mutex_unlock(&c->lock);
    if (d) {
        c->last_done_ms = fd_tui_now_ms();
        c->gen_at_done = fd_model_store_generation(c->store);
    }
    return d;
}

void fd_tui_console_done_free(struct fd_tui_console_done *d)
{
    while (d) {
        struct fd_tui_console_done *n = d->next;
        free(d->message);
        free(d->created);
        free(d->resolution_text);
        free(d);
        d = n;
    }
}
