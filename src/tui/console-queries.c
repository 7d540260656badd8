/* tui/console-queries.c: what the panes ask of the console: objects, connections,
 * attention, Freight and Stage info over the snapshot, and their formatting. */
#include "config.h"

#include "console.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fd_tui_console *fd_tui_console_of(struct fd_tui *ui)
{
    struct fd_tui_console *c = ui && ui->opt ? ui->opt->ctx : NULL;

    return c && c->magic == FD_TUI_CONSOLE_MAGIC ? c : NULL;
}

int64_t fd_tui_console_now(const struct fd_tui_console *c)
{
    if (c && c->opt->now)
        return c->opt->now;
    if (c && c->opt->clock_ms)
        return c->opt->clock_ms() / 1000;
    return (int64_t)time(NULL);
}

bool fd_tui_console_is_production(const struct fd_tui_console *c, const char *stage)
{
    if (!stage)
        return false;
    for (size_t i = 0; i < c->n_production; i++)
        if (fnmatch(c->production[i], stage, 0) == 0)
            return true;
    return false;
}

const struct fd_model_object *fd_tui_console_find(const struct fd_tui_console *c,
                                                  enum fd_model_kind kind, const char *name)
{
    if (!c->snap || !name)
        return NULL;
    return fd_model_snapshot_find(c->snap, kind, fd_model_kind_namespaced(kind) ? c->project : NULL,
                                  name);
}

const struct fd_model_object *fd_tui_console_freight(const struct fd_tui_console *c,
                                                     const char *name)
{
    const struct fd_model_object *f = fd_tui_console_find(c, FD_MODEL_FREIGHT, name);
    struct fd_model_object *const *all;
    size_t n;

    if (f || !name || !c->snap)
        return f;
    all = fd_model_snapshot_list(c->snap, FD_MODEL_FREIGHT, &n);
    for (size_t i = 0; i < n; i++)
        if (fd_streq(all[i]->meta.ns, c->project) && !all[i]->undecodable &&
            fd_streq(all[i]->u.freight->alias, name))
            return all[i];
    return NULL;
}

const struct fd_tui_console_conn *fd_tui_console_stage_conn(const struct fd_tui_console *c,
                                                            const char *stage)
{
    const struct fd_client_stage_map *m =
        c->project && stage ? fd_client_fleet_find(c->fleet, c->project, stage) : NULL;

    if (!c->n_conns)
        return NULL;
    for (size_t i = 1; m && m->context && i < c->n_conns; i++)
        if (fd_streq(c->conns[i].name, m->context))
            return &c->conns[i];
    return &c->conns[0];
}

const struct fd_model_snapshot *fd_tui_console_conn_snap(const struct fd_tui_console *c,
                                                         const struct fd_tui_console_conn *conn)
{
    return conn && conn->store ? conn->snap : c->snap;
}

size_t fd_tui_console_rollouts(const struct fd_tui_console *c, const char *stage,
                               const struct fd_model_object ***out)
{
    const struct fd_model_snapshot *snap =
        fd_tui_console_conn_snap(c, fd_tui_console_stage_conn(c, stage));

    *out = NULL;
    if (!snap || !stage || !c->project)
        return 0;
    return fd_client_fleet_rollouts(c->fleet, snap, c->project, stage, out);
}

const struct fd_model_attention *fd_tui_console_attention_for(const struct fd_tui_console *c,
                                                              const char *stage)
{
    for (size_t i = 0; i < c->n_att; i++) {
        const struct fd_model_attention *a = &c->att[i];
        const char *s = NULL;
        if (a->kind == FD_MODEL_ATTENTION_CLUSTER_LOST) {
            /* The Kargo cluster's data is every Stage's; a workload
             * cluster's only the Stages mapped there. */
            const struct fd_tui_console_conn *k =
                stage ? fd_tui_console_stage_conn(c, stage) : NULL;
            if (!stage || (c->n_conns && fd_streq(a->context, c->conns[0].name)) ||
                (k && fd_streq(a->context, k->name)))
                return a;
            continue;
        }
        if (a->stage)
            s = a->stage->meta.name;
        else if (a->obj && a->obj->kind == FD_MODEL_ANALYSIS_RUN)
            s = fd_model_label(a->obj, "kargo.akuity.io/stage");
        if (!stage || fd_streq(s, stage))
            return a;
        if (a->obj && a->obj->kind == FD_MODEL_ROLLOUT) {
            const struct fd_model_object **r;
            size_t n = fd_tui_console_rollouts(c, stage, &r);
            bool mine = false;
            for (size_t k = 0; k < n; k++)
                mine |= r[k] == a->obj;
            free(r);
            if (mine)
                return a;
        }
    }
    return NULL;
}

const char *fd_tui_console_attention_keys(enum fd_model_attention_kind k)
{
    switch (k) {
    case FD_MODEL_ATTENTION_FREIGHT_READY:
        return "p promotes";
    case FD_MODEL_ATTENTION_ROLLOUT_PAUSED:
        return "P promotes, A aborts";
    case FD_MODEL_ATTENTION_ROLLOUT_DEGRADED:
        return "R retries the Rollout";
    case FD_MODEL_ATTENTION_VERIFICATION_FAILED:
    case FD_MODEL_ATTENTION_ANALYSIS_INCONCLUSIVE:
        return "v re-runs the verification";
    case FD_MODEL_ATTENTION_CLUSTER_LOST:
        return "r relists; the data shown is stale";
    case FD_MODEL_ATTENTION_STAGE_INVALID:
        return "its Stage pane names the field";
    }
    return "";
}

size_t fd_tui_console_freight_list(const struct fd_tui_console *c,
                                   const struct fd_model_object ***out)
{
    struct fd_model_object *const *all;
    size_t n, k = 0;

    *out = NULL;
    if (!c->snap)
        return 0;
    all = fd_model_snapshot_list(c->snap, FD_MODEL_FREIGHT, &n);
    *out = fd_xcalloc(n + 1, sizeof(**out));
    for (size_t i = 0; i < n; i++)
        if (fd_streq(all[i]->meta.ns, c->project))
            (*out)[k++] = all[i];
    qsort(*out, k, sizeof(**out), fd_model_freight_newest_first);
    return k;
}

/* 100000 as "100,000". */
static const char *thousands(size_t n, char *buf, size_t size)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%zu", n), o = 0;

    for (int i = 0; i < len && (size_t)o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}

const char *fd_tui_console_capped(const struct fd_tui_console *c, enum fd_model_kind kind,
                                  char *buf, size_t size)
{
    size_t n, dropped = 0;
    char shown[32], total[32];

    if (!c->snap || !fd_model_snapshot_overflow(c->snap, kind, &dropped))
        return NULL;
    fd_model_snapshot_list(c->snap, kind, &n);
    /* Every object listed or added past the cap counts in dropped; without
     * any, the total is unknown. */
    if (dropped)
        snprintf(buf, size, "showing %s of %s %s%s (limit)", thousands(n, shown, sizeof(shown)),
                 thousands(n + dropped, total, sizeof(total)), fd_model_kind_name(kind),
                 kind == FD_MODEL_FREIGHT ? "" : "s");
    else
        snprintf(buf, size, "showing %s of %s+ %s%s (limit)", thousands(n, shown, sizeof(shown)),
                 thousands(n, total, sizeof(total)), fd_model_kind_name(kind),
                 kind == FD_MODEL_FREIGHT ? "" : "s");
    return buf;
}

void fd_tui_console_stage_info(const struct fd_tui_console *c, const struct fd_model_object *stage,
                               struct fd_tui_console_stage_info *out)
{
    memset(out, 0, sizeof(*out));
    out->obj = stage;
    out->alias = "";
    out->phase = FD_MODEL_STAGE_UNKNOWN;
    if (!stage)
        return;
    out->prod = fd_tui_console_is_production(c, stage->meta.name);
    out->att = fd_tui_console_attention_for(c, stage->meta.name);
    if (stage->undecodable)
        return;
    out->st = stage->u.stage;
    out->phase = fd_model_stage_phase(out->st, true);
    out->autopromo = fd_model_stage_auto_promotion(c->snap, stage);
    out->cur = fd_model_stage_current_freight(out->st, NULL);
    const struct fd_model_freight_collection *col = fd_model_stage_current(out->st);
    if (col && col->n_verifications)
        out->ver = &col->verifications[0];
    out->ver_phase = fd_model_stage_verification_phase(out->st);
    if (!out->cur)
        return;
    fd_tui_console_version(&out->cur->art, out->version, sizeof(out->version));
    out->freight = fd_tui_console_find(c, FD_MODEL_FREIGHT, out->cur->name);
    if (out->freight && !out->freight->undecodable) {
        const struct fd_model_freight *f = out->freight->u.freight;
        const struct fd_model_stage_mark *m = fd_model_freight_currently_in(f, stage->meta.name);
        if (f->alias)
            out->alias = f->alias;
        if (m)
            out->since = m->at;
        if (!out->version[0])
            fd_tui_console_version(&f->art, out->version, sizeof(out->version));
    }
    if (!*out->alias && out->cur->name)
        out->alias = out->cur->name;
}

/* ---- Formatting ------------------------------------------------------------- */

const char *fd_tui_console_age(int64_t s, char *buf, size_t size)
{
    if (s < 0)
        snprintf(buf, size, "-");
    else if (s < 60)
        snprintf(buf, size, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(buf, size, "%lldm", (long long)(s / 60));
    else if (s < 86400)
        snprintf(buf, size, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else
        snprintf(buf, size, "%lldd%lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    return buf;
}

const char *fd_tui_console_age_since(struct fd_tui *ui, const struct fd_tui_console *c,
                                     int64_t since, char *buf, size_t size)
{
    int64_t now_ms, age_ms, step;

    if (c->opt->now || !since)
        return fd_tui_console_age(fd_tui_console_now(c) - since, buf, size);
    if (c->opt->clock_ms) {
        now_ms = c->opt->clock_ms();
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }
    age_ms = now_ms - since * 1000;
    step = age_ms < 60000 ? 1000 : age_ms < 86400000 ? 60000 : 3600000;
    if (ui && age_ms >= 0)
        fd_tui_redraw_in(ui, (int)(step - age_ms % step) + 5);
    return fd_tui_console_age(age_ms / 1000, buf, size);
}

const char *fd_tui_console_version(const struct fd_model_artifacts *a, char *buf, size_t size)
{
    buf[0] = 0;
    if (a->n_images && (a->images[0].tag || a->images[0].digest))
        snprintf(buf, size, "%s", a->images[0].tag ? a->images[0].tag : a->images[0].digest);
    else if (a->n_commits && (a->commits[0].tag || a->commits[0].id))
        snprintf(buf, size, "%.*s", a->commits[0].tag ? 40 : 7,
                 a->commits[0].tag ? a->commits[0].tag : a->commits[0].id);
    else if (a->n_charts && a->charts[0].version)
        snprintf(buf, size, "%s", a->charts[0].version);
    else if (a->n_other && a->other[0].version)
        snprintf(buf, size, "%s", a->other[0].version);
    return buf;
}

enum fd_tui_glyph fd_tui_console_phase_glyph(const char *p)
{
    if (!p || !*p || fd_streq(p, "Pending") || fd_streq(p, "Unknown"))
        return FD_GLYPH_PENDING;
    if (fd_streq(p, "Successful") || fd_streq(p, "Succeeded") || fd_streq(p, "Healthy") ||
        fd_streq(p, "Ready"))
        return FD_GLYPH_OK;
    if (fd_streq(p, "Failed") || fd_streq(p, "Degraded") || fd_streq(p, "Aborted") ||
        fd_streq(p, "Errored"))
        return FD_GLYPH_FAILED;
    if (fd_streq(p, "Inconclusive"))
        return FD_GLYPH_INCONCLUSIVE;
    if (fd_streq(p, "Error") || fd_streq(p, "InvalidSpec"))
        return FD_GLYPH_WARNING;
    if (fd_streq(p, "Paused"))
        return FD_GLYPH_PAUSED;
    if (fd_streq(p, "Skipped"))
        return FD_GLYPH_BULLET;
    return FD_GLYPH_RUNNING;
}

enum fd_tui_role fd_tui_console_phase_role(const char *p)
{
    switch (fd_tui_console_phase_glyph(p)) {
    case FD_GLYPH_OK:
        return FD_ROLE_OK;
    case FD_GLYPH_FAILED:
    case FD_GLYPH_WARNING:
        return FD_ROLE_FAILED;
    case FD_GLYPH_INCONCLUSIVE:
        return FD_ROLE_INCONCLUSIVE;
    case FD_GLYPH_PENDING:
    case FD_GLYPH_BULLET:
        return FD_ROLE_PENDING;
    case FD_GLYPH_PAUSED:
        return FD_ROLE_WAITING;
    default:
        return FD_ROLE_RUNNING;
    }
}

enum fd_tui_role fd_tui_console_stage_phase_role(enum fd_model_stage_phase p)
{
    switch (p) {
    case FD_MODEL_STAGE_READY:
        return FD_ROLE_OK;
    case FD_MODEL_STAGE_FAILED:
        return FD_ROLE_FAILED;
    case FD_MODEL_STAGE_UNKNOWN:
        return FD_ROLE_PENDING;
    default:
        return FD_ROLE_RUNNING;
    }
}
