/* tui/notify.c: telling the operator, once, that something now waits for
 * them: the terminal bell and an OSC 9 desktop notification.
 *
 * Both go through curses' own output: beep() for the bell, and for OSC 9
 * putp() (which writes through the SCREEN's output, the terminal's own
 * escape path) followed by a flush, between frames, so the escape never
 * lands in the middle of a screen update. Inside tmux the OSC is wrapped in
 * the DCS passthrough, otherwise tmux would swallow it. */
#include "config.h"

#include "console.h"

#include <stdlib.h>
#include <string.h>

/* The OSC 9 escape for text: printable ASCII only (a notification is one
 * line; anything else could end the escape early). */
static char *osc9(const char *text, bool tmux)
{
    struct fd_buf b = FD_BUF_INIT;

    if (tmux)
        fd_buf_puts(&b, "\033Ptmux;\033");
    fd_buf_puts(&b, "\033]9;freightdeck: ");
    for (const char *p = text; *p && b.len < 200; p++)
        fd_buf_putc(&b, *p >= 0x20 && *p < 0x7f ? *p : ' ');
    fd_buf_puts(&b, "\007");
    if (tmux)
        fd_buf_puts(&b, "\033\\");
    return fd_buf_steal(&b);
}

/* Rings the terminal bell and/or sends an OSC 9 desktop notification with
 * text, as configured, through the display (never while curses is being
 * drawn). Counts them in c->notifications. */
static void fd_tui_console_notify(struct fd_tui *ui, struct fd_tui_console *c, const char *text)
{
    c->notifications++;
    /* The header always shows what waits; the message line only when it is
     * free, so the answer to an action just sent is not overwritten. */
    if (!ui->msg)
        fd_tui_message(ui, FD_TUI_WARN, 30000, "%s %s", fd_tui_glyph(FD_GLYPH_WARNING), text);
    if (ui->no_display || !ui->screen)
        return;
    if (c->bell)
        beep();
    if (c->osc9) {
        const char *tmux = getenv("TMUX");
        char *s = osc9(text, tmux && *tmux);
        putp(s);
        fflush(ui->out);
        free(s);
    }
}

/* A stable key for an attention item: kind and object (and Stage). */
static char *key_of(const struct fd_model_attention *a)
{
    return fd_xasprintf("%d/%s/%s/%s/%s", (int)a->kind, a->obj ? a->obj->meta.ns : "",
                        a->obj ? a->obj->meta.name : "", a->stage ? a->stage->meta.name : "",
                        a->context ? a->context : "");
}

void fd_tui_console_announce(struct fd_tui *ui, struct fd_tui_console *c)
{
    char **now = fd_xcalloc(c->n_att + 1, sizeof(char *));
    const struct fd_model_attention *fresh = NULL;
    size_t n_fresh = 0;

    for (size_t i = 0; i < c->n_att; i++) {
        bool seen = false;
        now[i] = key_of(&c->att[i]);
        for (size_t k = 0; k < c->n_announced && !seen; k++)
            seen = strcmp(c->announced[k], now[i]) == 0;
        if (!seen) {
            if (!fresh)
                fresh = &c->att[i];
            n_fresh++;
        }
    }
    /* Items that stopped waiting are forgotten, so they ring again when they
     * come back (a second Rollout pause is news). */
    for (size_t k = 0; k < c->n_announced; k++)
        free(c->announced[k]);
    free(c->announced);
    c->announced = now;
    c->n_announced = c->n_att;
    ui->header_dirty = true;
    if (c->first_attention) {
        /* The state at start-up is shown in the header, not announced; the
         * first time the store has data counts as start-up. */
        struct fd_client *cl = fd_tui_console_client(c);
        if (cl ? fd_client_synced(cl) : c->snap != NULL)
            c->first_attention = false;
        return;
    }
    if (!fresh)
        return;
    char *text =
        fd_xasprintf("%s%s", fresh->detail ? fresh->detail : fd_model_attention_text(fresh->kind),
                     n_fresh > 1 ? " (and more)" : "");
    fd_tui_console_notify(ui, c, text);
    free(text);
}
