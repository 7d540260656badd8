/* cli/cmd-get.c: `freightdeck get pipeline|stages|freight|promotions|
 * analysisruns|rollouts`: what the console shows, as a table or JSON. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/cli.h"
#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/yaml.h"
#include "fleetcli.h"
#include "kubecli.h"

#define CMD "get"

/* clang-format off */
#define GET_WHAT_TABLE(_)                                                                  \
    _(PIPELINE, "pipeline", "Warehouses and Stages in promotion order")                    \
    _(STAGES, "stages", "Stages: derived phase, health, current Freight, verification")    \
    _(FREIGHT, "freight", "Freight: alias, origin, where it is, verified and approved")     \
    _(PROMOTIONS, "promotions", "Promotions, oldest first")                                \
    _(ANALYSISRUNS, "analysisruns", "AnalysisRuns and their phase")                         \
    _(ROLLOUTS, "rollouts", "Rollouts: canary step and weights")
/* clang-format on */

enum what {
#define GET_WHAT_ENUM(id, name, help) WHAT_##id,
    GET_WHAT_TABLE(GET_WHAT_ENUM)
#undef GET_WHAT_ENUM
        WHAT__COUNT
};

static const struct {
    const char *name, *help;
} whats[] = {
#define GET_WHAT_ROW(id, name, help) {name, help},
    GET_WHAT_TABLE(GET_WHAT_ROW)
#undef GET_WHAT_ROW
};

enum format { FMT_TABLE, FMT_WIDE, FMT_JSON, FMT_YAML };

static void usage(FILE *f)
{
    fd_cli_print_cmd_usage(f, &fd_cli_cmd_get_entry);
    fputs("\nWhat (singular or plural):\n", f);
    for (size_t i = 0; i < WHAT__COUNT; i++)
        fprintf(f, "  %-14s %s\n", whats[i].name, whats[i].help);
    fprintf(f,
            "\n"
            "  -o, --output FMT    table (default), wide, json or yaml: an array of objects\n"
            "                      keyed by the wide columns in lower case, typed (numbers,\n"
            "                      lists, booleans, times as RFC 3339 under \"created\")\n"
            "  -A, --all-projects  every project (not the pipeline): a PROJECT column first,\n"
            "                      \"project\" in JSON and YAML\n"
            "\n%s",
            fd_cli_kube_options_help);
}

/* ---- A table ------------------------------------------------------------------- */

#define MAX_COLS 10

struct table {
    const char *cols[MAX_COLS];
    size_t ncols, nshort; /* nshort: columns of the plain table */
    char **cells;         /* rows * ncols, owned */
    size_t nrows;
    /* What each column holds, for -o json|yaml: 's' text, 'n' a number,
     * 't' a time (the cell is epoch seconds; the tables show its age, JSON
     * RFC 3339, under the key "created" unless keys says otherwise), 'l' a
     * comma-separated list, 'b' on/off. NULL: all text. */
    const char *types;
    const char *keys[MAX_COLS]; /* JSON keys; NULL: the column name, lower case */
    /* -A: every row starts with its project (a PROJECT column, as kubectl's
     * NAMESPACE), taken from row_ns when the row is added. */
    bool all_projects;
    const char *row_ns;
};

/* The project an object is in, against ns (NULL: -A, every project). */
static bool in_project(const struct fd_model_object *o, const char *ns)
{
    return !ns || fd_streq(o->meta.ns, ns);
}

static void row(struct table *t, ...)
{
    va_list ap;

    size_t first = t->all_projects ? 1 : 0, w = t->ncols + first;
    t->cells = fd_xreallocarray(t->cells, (t->nrows + 1) * w, sizeof(char *));
    if (first)
        t->cells[t->nrows * w] = fd_term_safe(t->row_ns && *t->row_ns ? t->row_ns : "-");
    va_start(ap, t);
    for (size_t i = 0; i < t->ncols; i++) {
        const char *s = va_arg(ap, const char *);
        /* Cells hold cluster data: no escape sequence reaches the terminal. */
        t->cells[t->nrows * w + first + i] = fd_term_safe(s && *s ? s : "-");
    }
    va_end(ap);
    t->nrows++;
}

static void age(int64_t t, int64_t now, char *buf, size_t size);

static char coltype(const struct table *t, size_t i)
{
    return t->types && i < strlen(t->types) ? t->types[i] : 's';
}

/* One cell as a typed JSON value; "-" is null. */
static json_t *cell_json(char type, const char *v)
{
    char *end;

    if (strcmp(v, "-") == 0)
        return type == 'l' ? json_array() : json_null();
    switch (type) {
    case 'n': {
        long long n = strtoll(v, &end, 10);
        if (*end == '\0')
            return json_integer(n);
        double d = strtod(v, &end);
        return *end == '\0' ? json_real(d) : json_null();
    }
    case 't': {
        time_t when = (time_t)strtoll(v, &end, 10);
        struct tm tm;
        char buf[32];
        if (*end || !gmtime_r(&when, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
            return json_null();
        return json_string(buf);
    }
    case 'l': {
        json_t *arr = json_array();
        char *copy = fd_xstrdup(v), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            json_array_append_new(arr, json_string(tok));
        free(copy);
        return arr;
    }
    case 'b':
        return json_boolean(strcmp(v, "on") == 0 || strcmp(v, "true") == 0);
    default:
        return json_string(v);
    }
}

/* -A: the PROJECT column the rows already carry joins the columns. */
static void add_project_column(struct table *t)
{
    static char types[MAX_COLS + 2];
    if (!t->all_projects || t->ncols + 1 > MAX_COLS)
        return;
    memmove(&t->cols[1], &t->cols[0], t->ncols * sizeof(t->cols[0]));
    memmove(&t->keys[1], &t->keys[0], t->ncols * sizeof(t->keys[0]));
    t->cols[0] = "PROJECT";
    t->keys[0] = NULL;
    snprintf(types, sizeof(types), "s%s", t->types ? t->types : "");
    if (t->types)
        t->types = types;
    t->ncols++;
    t->nshort++;
    t->all_projects = false;
}

static void print_table(struct table *t, enum format fmt, int64_t now)
{
    add_project_column(t);
    size_t n = fmt == FMT_TABLE ? t->nshort : t->ncols;
    size_t width[MAX_COLS] = {0};

    if (fmt == FMT_JSON || fmt == FMT_YAML) {
        json_t *arr = json_array();
        for (size_t r = 0; r < t->nrows; r++) {
            json_t *o = json_object();
            for (size_t i = 0; i < t->ncols; i++) {
                char key[64];
                size_t k = 0;
                const char *name = t->keys[i]             ? t->keys[i]
                                   : coltype(t, i) == 't' ? "created"
                                                          : t->cols[i];
                for (const char *p = name; *p && k + 1 < sizeof(key); p++)
                    key[k++] = *p == ' ' ? '_' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
                key[k] = '\0';
                json_object_set_new(o, key, cell_json(coltype(t, i), t->cells[r * t->ncols + i]));
            }
            json_array_append_new(arr, o);
        }
        if (fmt == FMT_YAML) {
            fd_yaml_write_json(stdout, arr);
        } else {
            json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            putchar('\n');
        }
        json_decref(arr);
        return;
    }
    /* Times are shown as ages. */
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t i = 0; i < t->ncols; i++) {
            char **c = &t->cells[r * t->ncols + i], a[32], *end;
            if (coltype(t, i) != 't' || strcmp(*c, "-") == 0)
                continue;
            age((int64_t)strtoll(*c, &end, 10), now, a, sizeof(a));
            free(*c);
            *c = fd_xstrdup(a);
        }
    for (size_t i = 0; i < n; i++)
        width[i] = strlen(t->cols[i]);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t i = 0; i < n; i++)
            if (strlen(t->cells[r * t->ncols + i]) > width[i])
                width[i] = strlen(t->cells[r * t->ncols + i]);
    for (size_t i = 0; i < n; i++)
        printf("%-*s%s", i + 1 < n ? (int)width[i] : 0, t->cols[i], i + 1 < n ? "   " : "\n");
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t i = 0; i < n; i++)
            printf("%-*s%s", i + 1 < n ? (int)width[i] : 0, t->cells[r * t->ncols + i],
                   i + 1 < n ? "   " : "\n");
}

static void table_free(struct table *t)
{
    add_project_column(t);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

static void age(int64_t t, int64_t now, char *buf, size_t size)
{
    int64_t d = now - t;

    if (!t)
        snprintf(buf, size, "-");
    else if (d < 120)
        snprintf(buf, size, "%llds", (long long)(d < 0 ? 0 : d));
    else if (d < 7200)
        snprintf(buf, size, "%lldm", (long long)d / 60);
    else if (d < 172800)
        snprintf(buf, size, "%lldh", (long long)d / 3600);
    else
        snprintf(buf, size, "%lldd", (long long)d / 86400);
}

/* "prod,staging" from a Freight's marks. */
static char *marks(const struct fd_model_stage_mark *m, size_t n)
{
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; i < n; i++)
        fd_buf_printf(&b, "%s%s", i ? "," : "", m[i].stage);
    return fd_buf_steal(&b);
}

/* The current Freight of a Stage, by alias when known. */
static char *current_freight(const struct fd_model_snapshot *snap, const struct fd_model_object *s)
{
    const struct fd_model_freight_collection *cur = fd_model_stage_current(s->u.stage);
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; cur && i < cur->n_items; i++) {
        const struct fd_model_object *f =
            fd_model_snapshot_find(snap, FD_MODEL_FREIGHT, s->meta.ns, cur->items[i].name);
        const char *label =
            f && f->u.freight && f->u.freight->alias ? f->u.freight->alias : cur->items[i].name;
        fd_buf_printf(&b, "%s%s", i ? "," : "", label ? label : "?");
    }
    return fd_buf_steal(&b);
}

/* The model's answer, so that the console and the CLI say the same. */
static const char *verification(const struct fd_model_object *s)
{
    const char *phase = fd_model_stage_verification_phase(s->u.stage);

    return phase ? phase : "-";
}

static void get_stages(const struct fd_model_snapshot *snap, const char *ns, struct table *t,
                       bool pipeline)
{
    size_t n;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);

    (void)pipeline;
    *t = (struct table){
        {"NAME", "PHASE", "HEALTH", "FREIGHT", "VERIFICATION", "AUTO PROMOTION", "LAST PROMOTION"},
        7,
        6,
        NULL,
        0,
        "ssslsbs",
        {NULL},
        !ns,
        NULL};
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *s = all[i];
        if (!in_project(s, ns) || !s->u.stage)
            continue;
        t->row_ns = s->meta.ns;
        char *fr = current_freight(snap, s);
        char *lp =
            s->u.stage->last_promotion.present
                ? fd_xasprintf("%s (%s)", s->u.stage->last_promotion.name,
                               s->u.stage->last_promotion.phase ? s->u.stage->last_promotion.phase
                                                                : "?")
                : NULL;
        row(t, s->meta.name, fd_model_stage_phase_name(fd_model_stage_phase(s->u.stage, true)),
            s->u.stage->health, fr, verification(s),
            fd_model_stage_auto_promotion(snap, s) ? "on" : "off", lp);
        free(fr);
        free(lp);
    }
}

/* For the pipeline's wide ROLLOUTS column: where the config file maps
 * each Stage, "CONTEXT:NS/NAME[,...]" listed from that context. */
struct stage_rollouts {
    struct fd_cli_kube *k;
    const struct fd_client_fleet *fleet; /* NULL: no column */
    int rc;                              /* the worst exit code of a listing */
};

static char *rollouts_cell(struct stage_rollouts *sr, const char *project, const char *stage)
{
    const char *context, *ns;
    char **names = NULL, *ctx = NULL;
    struct fd_buf b = FD_BUF_INIT;
    int rc;

    fd_cli_fleet_where(sr->fleet, sr->k->context, project, stage, &context, &ns);
    rc = fd_cli_fleet_stage_rollouts(CMD, sr->k->kubeconfig, sr->fleet, sr->k->context, project,
                                     stage, &names, &ctx);
    if (rc) {
        sr->rc = rc > sr->rc ? rc : sr->rc;
        fd_buf_printf(&b, "%s: unreachable", context ? context : "(current)");
    }
    for (size_t i = 0; names && names[i]; i++) {
        fd_buf_printf(&b, "%s%s:%s/%s", i ? "," : "", ctx, ns, names[i]);
        free(names[i]);
    }
    free(names);
    free(ctx);
    return fd_buf_steal(&b);
}

static void get_pipeline(const struct fd_model_snapshot *snap, const char *ns, struct table *t,
                         struct stage_rollouts *sr)
{
    struct fd_model_pipeline *p = fd_model_pipeline_build(snap, ns);

    *t = (struct table){
        {"NODE", "UPSTREAM", "PHASE", "FREIGHT", "HEALTH", "VERIFICATION", "ROLLOUTS"},
        sr->fleet ? 7 : 6,
        4,
        NULL,
        0,
        "slslssl",
        {NULL},
        false,
        NULL};
    for (size_t i = 0; i < p->n_nodes; i++) {
        const struct fd_model_node *nd = &p->nodes[i];
        struct fd_buf up = FD_BUF_INIT;
        char *node = fd_xasprintf(
            "%s/%s", nd->kind == FD_MODEL_NODE_WAREHOUSE ? "Warehouse" : "Stage", nd->name);
        for (size_t e = 0; e < p->n_edges; e++)
            if (p->edges[e].to == i)
                fd_buf_printf(&up, "%s%s", up.len ? "," : "", p->nodes[p->edges[e].from].name);
        if (nd->kind == FD_MODEL_NODE_STAGE && nd->obj && nd->obj->u.stage) {
            char *fr = current_freight(snap, nd->obj);
            char *ro = sr->fleet ? rollouts_cell(sr, ns, nd->name) : NULL;
            row(t, node, fd_buf_cstr(&up),
                fd_model_stage_phase_name(fd_model_stage_phase(nd->obj->u.stage, true)), fr,
                nd->obj->u.stage->health, verification(nd->obj), ro);
            free(fr);
            free(ro);
        } else {
            row(t, node, fd_buf_cstr(&up), nd->obj ? "" : "missing", "", "", "", "");
        }
        free(node);
        fd_buf_free(&up);
    }
    fd_model_pipeline_free(p);
}

/* The versions a Freight carries: image tags (else digests), chart
 * versions, commit tags (else short ids), comma-separated. */
static char *versions(const struct fd_model_freight *f)
{
    struct fd_buf b = FD_BUF_INIT;
    const struct fd_model_artifacts *a = &f->art;

    for (size_t i = 0; i < a->n_images; i++) {
        const char *v = a->images[i].tag ? a->images[i].tag : a->images[i].digest;
        if (v)
            fd_buf_printf(&b, "%s%s", b.len ? "," : "", v);
    }
    for (size_t i = 0; i < a->n_charts; i++)
        if (a->charts[i].version)
            fd_buf_printf(&b, "%s%s", b.len ? "," : "", a->charts[i].version);
    for (size_t i = 0; i < a->n_commits; i++) {
        if (a->commits[i].tag)
            fd_buf_printf(&b, "%s%s", b.len ? "," : "", a->commits[i].tag);
        else if (a->commits[i].id)
            fd_buf_printf(&b, "%s%.7s", b.len ? "," : "", a->commits[i].id);
    }
    return fd_buf_steal(&b);
}

static void get_freight(const struct fd_model_snapshot *snap, const char *ns, struct table *t)
{
    size_t n;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &n);

    *t = (struct table){
        {"NAME", "ALIAS", "VERSION", "ORIGIN", "AGE", "IN", "VERIFIED IN", "APPROVED FOR"},
        8,
        6,
        NULL,
        0,
        "sslstlll",
        {NULL},
        !ns,
        NULL};
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *o = all[i];
        const struct fd_model_freight *f = o->u.freight;
        char a[32];
        if (!in_project(o, ns) || !f)
            continue;
        t->row_ns = o->meta.ns;
        char *in = marks(f->currently_in, f->n_currently_in);
        char *ver = marks(f->verified_in, f->n_verified_in);
        char *app = marks(f->approved_for, f->n_approved_for);
        char *origin = fd_xasprintf("%s/%s", f->origin.kind ? f->origin.kind : "Warehouse",
                                    f->origin.name ? f->origin.name : "?");
        char *version = versions(f);
        snprintf(a, sizeof(a), "%lld", (long long)fd_model_freight_discovered_at(o));
        row(t, o->meta.name, f->alias, version, origin, a, in, ver, app);
        free(version);
        free(in);
        free(ver);
        free(app);
        free(origin);
    }
}

static void get_promotions(const struct fd_model_snapshot *snap, const char *ns, struct table *t)
{
    size_t n;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_PROMOTION, &n);

    *t = (struct table){{"NAME", "STAGE", "FREIGHT", "PHASE", "AGE", "MESSAGE"},
                        6,
                        5,
                        NULL,
                        0,
                        "sssst",
                        {NULL},
                        !ns,
                        NULL};
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *o = all[i];
        const struct fd_model_promotion *p = o->u.promotion;
        char a[32];
        if (!in_project(o, ns) || !p)
            continue;
        t->row_ns = o->meta.ns;
        snprintf(a, sizeof(a), "%lld", (long long)o->meta.created);
        row(t, o->meta.name, p->stage, p->freight, p->phase ? p->phase : "Pending", a, p->message);
    }
}

static void get_runs(const struct fd_model_snapshot *snap, const char *ns, struct table *t)
{
    size_t n;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_ANALYSIS_RUN, &n);

    *t = (struct table){
        {"NAME", "PHASE", "STAGE", "AGE", "MESSAGE"}, 5, 4, NULL, 0, "ssst", {NULL}, !ns, NULL};
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_object *o = all[i];
        char a[32];
        if (!in_project(o, ns) || !o->u.analysis)
            continue;
        t->row_ns = o->meta.ns;
        snprintf(a, sizeof(a), "%lld", (long long)o->meta.created);
        row(t, o->meta.name, fd_analysis_phase_name(o->u.analysis->phase),
            fd_model_label(o, "kargo.akuity.io/stage"), a, o->u.analysis->message);
    }
}

/* One Rollout's row; stage and context lead the row in the per-Stage table. */
static void rollout_row(struct table *t, const struct fd_model_object *o, const char *stage,
                        const char *context)
{
    struct fd_model_canary_view v;
    char step[64] = "", sw[32], aw[32];
    struct fd_buf pause = FD_BUF_INIT;

    fd_model_rollout_canary(o, -1, &v);
    if (v.has_step)
        snprintf(step, sizeof(step), "%lld/%lld", (long long)v.step, (long long)v.steps);
    snprintf(sw, sizeof(sw), "%lld", (long long)v.set_weight);
    if (v.actual_known)
        snprintf(aw, sizeof(aw), "%lld", (long long)v.actual_weight);
    else
        snprintf(aw, sizeof(aw), "?");
    for (size_t k = 0; k < v.n_pause_reasons; k++)
        fd_buf_printf(&pause, "%s%s", k ? "," : "", v.pause_reasons[k]);
    if (stage)
        row(t, stage, context, o->meta.ns, o->meta.name, v.phase, step, v.canary ? sw : "",
            v.canary ? aw : "", fd_buf_cstr(&pause), v.message);
    else
        row(t, o->meta.name, v.phase, step, v.canary ? sw : "", v.canary ? aw : "",
            fd_buf_cstr(&pause), v.message);
    fd_buf_free(&pause);
    fd_model_canary_view_free(&v);
}

static void get_rollouts(const struct fd_model_snapshot *snap, const char *ns, struct table *t)
{
    size_t n;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_ROLLOUT, &n);

    *t = (struct table){
        {"NAME", "PHASE", "STEP", "SET WEIGHT", "ACTUAL WEIGHT", "PAUSED", "MESSAGE"},
        7,
        5,
        NULL,
        0,
        "sssnnls",
        {NULL},
        false,
        NULL};
    t->all_projects = !ns;
    for (size_t i = 0; i < n; i++)
        if (in_project(all[i], ns) && all[i]->u.rollout) {
            t->row_ns = all[i]->meta.ns;
            rollout_row(t, all[i], NULL, NULL);
        }
}

/* The Rollouts of project/stage, listed from context (NULL: the current
 * one) in ns, as rows of the per-Stage table. Returns 0 or the exit code
 * after naming the cluster that failed. */
static int stage_rollout_rows(struct fd_cli_kube *k, const struct fd_client_fleet *f,
                              const char *project, const char *stage, const char *context,
                              const char *ns, struct table *t)
{
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    char *what = fd_xasprintf("Stage %s", stage);
    int rc = fd_cli_fleet_config(CMD, k->kubeconfig, f, context, ns, what, &cfg);

    free(what);
    if (rc)
        return rc;
    struct fd_model_store *store = fd_model_store_new(0);
    if (fd_client_list(cfg, store, FD_MODEL_ROLLOUT, ns, 0, &err) != FD_OK) {
        rc = fd_cli_kube_exit(err.status);
        fprintf(stderr, "freightdeck %s: Stage %s: context %s: %s\n", CMD, stage, cfg->context,
                err.message);
    } else {
        struct fd_model_snapshot *snap = fd_model_store_snapshot(store);
        const struct fd_model_object **list;
        size_t m = fd_client_fleet_rollouts(f, snap, project, stage, &list);
        for (size_t j = 0; j < m; j++)
            rollout_row(t, list[j], stage, cfg->context);
        free(list);
        fd_model_snapshot_release(snap);
    }
    fd_model_store_free(store);
    fd_kube_config_free(cfg);
    return rc;
}

static void stage_table(struct table *t)
{
    *t = (struct table){{"STAGE", "CONTEXT", "NAMESPACE", "NAME", "PHASE", "STEP", "SET WEIGHT",
                         "ACTUAL WEIGHT", "PAUSED", "MESSAGE"},
                        10,
                        8,
                        NULL,
                        0,
                        "ssssssnnls",
                        {NULL},
                        false,
                        NULL};
}

/* The Rollouts of each Stage of the project, each listed from the context and
 * namespace the config file maps its Stage to (doc/config.md). A cluster
 * that cannot be reached is reported and skipped; the others are listed.
 * Returns the exit code (the worst failure). */
static int get_stage_rollouts(struct fd_cli_kube *k, const struct fd_client_fleet *f,
                              const struct fd_model_snapshot *kargo, const char *project,
                              struct table *t)
{
    size_t n;
    struct fd_model_object *const *stages = fd_model_snapshot_list(kargo, FD_MODEL_STAGE, &n);
    int rc = 0;

    stage_table(t);
    for (size_t i = 0; i < n; i++) {
        const char *stage = stages[i]->meta.name, *context, *ns;
        if (!fd_streq(stages[i]->meta.ns, project))
            continue;
        fd_cli_fleet_where(f, k->context, project, stage, &context, &ns);
        int code = stage_rollout_rows(k, f, project, stage, context, ns, t);
        rc = code > rc ? code : rc;
    }
    return rc;
}

/* get rollouts --context X, X a workload context the file maps Stages of
 * the project to: the Rollouts of those Stages, read from X. */
static int get_context_rollouts(struct fd_cli_kube *k, const struct fd_client_fleet *f,
                                const char *project, const char *context, struct table *t)
{
    int rc = 0;

    stage_table(t);
    for (size_t i = 0; i < f->n_stages; i++) {
        const struct fd_client_stage_map *m = &f->stages[i];
        if (!fd_streq(m->project, project) || !fd_streq(m->context, context))
            continue;
        int code = stage_rollout_rows(k, f, project, m->stage, context, m->ns, t);
        rc = code > rc ? code : rc;
    }
    return rc;
}

/* Whether the file maps a Stage of project to context (other than Kargo's). */
static bool maps_context(const struct fd_client_fleet *f, const char *project, const char *context)
{
    for (size_t i = 0; f && context && i < f->n_stages; i++)
        if (fd_streq(f->stages[i].project, project) && fd_streq(f->stages[i].context, context) &&
            !fd_streq(f->kargo_context, context))
            return true;
    return false;
}

/* An empty answer from a namespace that is no Kargo project (a typo, the
 * context's "default") is an error, not "nothing found". Returns 0 when the
 * project exists or the Projects cannot be listed (RBAC), else 1 after
 * naming the projects there are. */
static int project_missing(struct fd_cli_kube *k, const char *ns)
{
    struct fd_kube_error err = {0};
    struct fd_model_snapshot *snap;
    int rc = 0;

    if (fd_client_list(k->cfg, k->store, FD_MODEL_PROJECT, NULL, 0, &err) != FD_OK)
        return 0;
    snap = fd_model_store_snapshot(k->store);
    if (!fd_model_snapshot_find(snap, FD_MODEL_PROJECT, NULL, ns)) {
        size_t n;
        struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_PROJECT, &n);
        struct fd_buf b = FD_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            fd_buf_printf(&b, "%s%s", i ? ", " : "", all[i]->meta.name);
        fprintf(stderr, "freightdeck %s: no project %s in context %s (%s%s)%s\n", CMD, ns,
                k->cfg->context && *k->cfg->context ? k->cfg->context : "in-cluster",
                n ? "projects: " : "no projects", fd_buf_cstr(&b),
                k->ns ? "" : "; it is the context's namespace: give -p PROJECT");
        fd_buf_free(&b);
        rc = 1;
    }
    fd_model_snapshot_release(snap);
    return rc;
}

/* Reads the current Freight of every Stage in k->store by name (one GET
 * per distinct Freight, all at once: fd_kube_get_many) into the store, so
 * that get stages and get pipeline name each by its alias without listing
 * every Freight of the scope: a project keeps Freight for months, its Stages
 * show a handful. A Freight that is gone is shown by its name. Returns 0, or
 * the exit code after printing why (the first failure in the Stages' order). */
static int fill_current_freight(struct fd_cli_kube *k)
{
    struct fd_model_snapshot *snap = fd_model_store_snapshot(k->store);
    size_t n, np = 0, cap = 0;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);
    json_t *seen = json_object();
    char **paths = NULL, **where = NULL; /* the GET's path; "ns/name" */
    int rc = 0;

    for (size_t i = 0; i < n; i++) {
        const struct fd_model_freight_collection *cur =
            all[i]->u.stage ? fd_model_stage_current(all[i]->u.stage) : NULL;
        for (size_t j = 0; cur && j < cur->n_items; j++) {
            const char *ns = all[i]->meta.ns, *name = cur->items[j].name;
            if (!ns || !name || !fd_model_name_valid(name))
                continue;
            char *key = fd_xasprintf("%s/%s", ns, name);
            if (json_object_get(seen, key)) {
                free(key);
                continue;
            }
            json_object_set_new(seen, key, json_true());
            if (np == cap) {
                cap = cap ? 2 * cap : 16;
                paths = fd_xreallocarray(paths, cap, sizeof(*paths));
                where = fd_xreallocarray(where, cap, sizeof(*where));
            }
            char *coll = fd_client_kind_path(FD_MODEL_FREIGHT, ns);
            paths[np] = fd_xasprintf("%s/%s", coll, name);
            where[np++] = key;
            free(coll);
        }
    }
    json_decref(seen);
    fd_model_snapshot_release(snap);

    struct fd_kube_response *resps = fd_xcalloc(np ? np : 1, sizeof(*resps));
    struct fd_kube_error *errs = fd_xcalloc(np ? np : 1, sizeof(*errs));
    enum fd_status *sts = fd_xcalloc(np ? np : 1, sizeof(*sts));
    fd_kube_get_many(k->cfg, (const char *const *)paths, np, 0, resps, errs, sts);
    for (size_t i = 0; i < np; i++) {
        /* -v: every request of a one-shot command, with its answer. */
        fd_log(FD_LOG_DEBUG, "GET %s (context %s): HTTP %ld, %zu bytes", paths[i],
               k->cfg->context ? k->cfg->context : "-", resps[i].status, resps[i].body_len);
        if (rc)
            continue;
        if (sts[i] == FD_OK) {
            json_error_t je;
            json_t *obj = fd_json_load_outside(resps[i].body, resps[i].body_len, 0, &je);
            json_t *ev = obj ? json_pack("{s:s,s:o}", "type", "ADDED", "object", obj) : NULL;
            char *e = NULL;
            if (!ev || fd_model_store_apply_event_json(k->store, ev, FD_MODEL_FREIGHT, NULL, &e) !=
                           FD_OK) {
                fprintf(stderr, "freightdeck %s: reading Freight %s: %s\n", k->cmd, where[i],
                        e    ? e
                        : ev ? "undecodable"
                             : je.text);
                rc = fd_status_exit_code(FD_PARSE);
            }
            free(e);
            json_decref(ev);
        } else if (sts[i] != FD_NOT_FOUND) {
            fprintf(stderr, "freightdeck %s: reading Freight %s: %s\n", k->cmd, where[i],
                    errs[i].message);
            rc = fd_cli_kube_exit(sts[i]);
        }
    }
    for (size_t i = 0; i < np; i++) {
        fd_kube_response_free(&resps[i]);
        free(paths[i]);
        free(where[i]);
    }
    free(resps);
    free(errs);
    free(sts);
    free(paths);
    free(where);
    return rc;
}

static uint32_t kinds_for(enum what w)
{
    switch (w) {
    case WHAT_PIPELINE:
    case WHAT_STAGES:
        /* The current Freight of each Stage: fill_current_freight. */
        return 1u << FD_MODEL_STAGE | 1u << FD_MODEL_WAREHOUSE | 1u << FD_MODEL_PROJECT_CONFIG;
    case WHAT_FREIGHT:
        return 1u << FD_MODEL_FREIGHT;
    case WHAT_PROMOTIONS:
        return 1u << FD_MODEL_PROMOTION;
    case WHAT_ANALYSISRUNS:
        return 1u << FD_MODEL_ANALYSIS_RUN;
    default:
        return 1u << FD_MODEL_ROLLOUT;
    }
}

/* "stage" and "stages", "freight" and "freights": singular or plural, as
 * kubectl takes them. */
static bool same_resource(const char *arg, const char *name)
{
    size_t la = strlen(arg), ln = strlen(name);

    if (la && arg[la - 1] == 's')
        la--;
    if (ln && name[ln - 1] == 's')
        ln--;
    return la == ln && la > 0 && strncmp(arg, name, la) == 0;
}

/* get -A: one list of the kind in every namespace, a PROJECT column first
 * (Rollouts as the Kargo cluster's context has them: the config file's
 * per-Stage contexts are one project's). */
static int get_all_projects(struct fd_cli_kube *k, enum what w, enum format fmt)
{
    struct table t = {0};
    int rc;

    if ((rc = fd_cli_kube_connect(k)) || (rc = fd_cli_kube_fill(k, kinds_for(w), NULL)) ||
        (w == WHAT_STAGES && (rc = fill_current_freight(k)))) {
        fd_cli_kube_close(k);
        return rc;
    }
    struct fd_model_snapshot *snap = fd_model_store_snapshot(k->store);
    switch (w) {
    case WHAT_STAGES:
        get_stages(snap, NULL, &t, false);
        break;
    case WHAT_FREIGHT:
        get_freight(snap, NULL, &t);
        break;
    case WHAT_PROMOTIONS:
        get_promotions(snap, NULL, &t);
        break;
    case WHAT_ANALYSISRUNS:
        get_runs(snap, NULL, &t);
        break;
    default:
        get_rollouts(snap, NULL, &t);
        break;
    }
    if (t.nrows == 0 && fmt != FMT_JSON && fmt != FMT_YAML)
        fprintf(stderr, "No %s found in any project (context %s).\n", whats[w].name,
                k->cfg->context && *k->cfg->context ? k->cfg->context : "in-cluster");
    else
        print_table(&t, fmt, (int64_t)time(NULL));
    table_free(&t);
    fd_model_snapshot_release(snap);
    fd_cli_kube_close(k);
    return 0;
}

static int exec_get(int argc, char **argv)
{
    static const struct option longopts[] = {FD_CLI_KUBE_LONGOPTS,
                                             {"output", required_argument, NULL, 'o'},
                                             {"all-projects", no_argument, NULL, 'A'},
                                             {NULL, 0, NULL, 0}};
    bool all = false;
    struct fd_cli_kube k = {.cmd = CMD};
    enum format fmt = FMT_TABLE;
    enum what w = WHAT__COUNT;
    struct table t = {0};
    struct fd_client_fleet *fleet = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, FD_CLI_KUBE_SHORTOPTS "o:A", longopts, NULL)) != -1) {
        if (fd_cli_kube_option(&k, c, optarg))
            continue;
        switch (c) {
        case 'A':
            all = true;
            break;
        case 'o':
            if (strcmp(optarg, "table") == 0)
                fmt = FMT_TABLE;
            else if (strcmp(optarg, "wide") == 0)
                fmt = FMT_WIDE;
            else if (strcmp(optarg, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(optarg, "yaml") == 0)
                fmt = FMT_YAML;
            else
                return fd_cli_usage_error(CMD, "-o '%s': expected table, wide, json or yaml",
                                          optarg);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            return fd_cli_option_error(CMD, c, argv);
        }
    }
    if (optind + 1 != argc)
        return fd_cli_usage_error(CMD, "expected what to get (pipeline, stages, freight, "
                                       "promotions, analysisruns or rollouts)");
    for (size_t i = 0; i < WHAT__COUNT; i++)
        if (same_resource(argv[optind], whats[i].name))
            w = (enum what)i;
    if (w == WHAT__COUNT)
        return fd_cli_usage_error(CMD,
                                  "'%s': expected pipeline, stages, freight, promotions, "
                                  "analysisruns or rollouts",
                                  argv[optind]);
    if (all && k.ns)
        return fd_cli_usage_error(CMD,
                                  "-A/--all-projects reads every project: it does not go "
                                  "with -p/-n %s",
                                  k.ns);
    if (all && w == WHAT_PIPELINE)
        return fd_cli_usage_error(CMD, "-A/--all-projects: the pipeline is one project's "
                                       "promotion order; -A takes stages, freight, promotions, "
                                       "analysisruns or rollouts");
    if (all)
        return get_all_projects(&k, w, fmt);
    if ((w == WHAT_ROLLOUTS || (w == WHAT_PIPELINE && fmt != FMT_TABLE)) &&
        (rc = fd_cli_fleet_load(CMD, &fleet)))
        return rc;
    /* --context naming a workload cluster the file maps Stages of the
     * project to: those Stages' Rollouts, read there. */
    if (w == WHAT_ROLLOUTS && k.ns && maps_context(fleet, k.ns, k.context)) {
        k.fleet = fleet;
        rc = get_context_rollouts(&k, fleet, k.ns, k.context, &t);
        if (t.nrows == 0 && fmt != FMT_JSON && fmt != FMT_YAML)
            fprintf(stderr, "No rollouts found for the Stages of %s in context %s.\n", k.ns,
                    k.context);
        else
            print_table(&t, fmt, (int64_t)time(NULL));
        table_free(&t);
        fd_client_fleet_free(fleet);
        return rc;
    }
    /* A project whose Stages the config file maps: Stages from the Kargo
     * context, each Stage's Rollouts from its own context. */
    bool per_stage = false;
    if (fleet) {
        k.fleet = fleet;
        k.context = fd_cli_fleet_kargo_context(fleet, k.context);
        if ((rc = fd_cli_kube_connect(&k))) {
            fd_client_fleet_free(fleet);
            return rc;
        }
        per_stage = fd_cli_fleet_maps_project(fleet, fd_cli_kube_ns(&k));
        rc = fd_cli_kube_fill(&k,
                              per_stage && w == WHAT_ROLLOUTS ? 1u << FD_MODEL_STAGE : kinds_for(w),
                              fd_cli_kube_ns(&k));
    } else if (!(rc = fd_cli_kube_connect(&k))) {
        rc = fd_cli_kube_fill(&k, kinds_for(w), fd_cli_kube_ns(&k));
    }
    if (!rc && (w == WHAT_STAGES || w == WHAT_PIPELINE))
        rc = fill_current_freight(&k);
    if (rc) {
        fd_cli_kube_close(&k);
        fd_client_fleet_free(fleet);
        return rc;
    }
    struct fd_model_snapshot *snap = fd_model_store_snapshot(k.store);
    const char *ns = fd_cli_kube_ns(&k);
    switch (w) {
    case WHAT_PIPELINE: {
        /* The wide table says where each Stage's Rollouts are when the
         * config file maps the project's Stages. */
        struct stage_rollouts sr = {&k, per_stage ? fleet : NULL, 0};
        get_pipeline(snap, ns, &t, &sr);
        rc = sr.rc;
        break;
    }
    case WHAT_STAGES:
        get_stages(snap, ns, &t, false);
        break;
    case WHAT_FREIGHT:
        get_freight(snap, ns, &t);
        break;
    case WHAT_PROMOTIONS:
        get_promotions(snap, ns, &t);
        break;
    case WHAT_ANALYSISRUNS:
        get_runs(snap, ns, &t);
        break;
    default:
        if (per_stage)
            rc = get_stage_rollouts(&k, fleet, snap, ns, &t);
        else
            get_rollouts(snap, ns, &t);
        break;
    }
    if (fleet && (kinds_for(w) & 1u << FD_MODEL_STAGE || per_stage))
        fd_cli_fleet_warn_unknown_stages(CMD, fleet, snap, ns);
    if (t.nrows == 0 && w != WHAT_ROLLOUTS && w != WHAT_ANALYSISRUNS && !rc &&
        (rc = project_missing(&k, ns)))
        ;
    else if (t.nrows == 0 && fmt != FMT_JSON && fmt != FMT_YAML)
        fprintf(stderr, "No %s found in %s (context %s).\n", whats[w].name, ns,
                k.cfg->context && *k.cfg->context ? k.cfg->context : "in-cluster");
    else
        print_table(&t, fmt, (int64_t)time(NULL));
    table_free(&t);
    fd_model_snapshot_release(snap);
    fd_cli_kube_close(&k);
    fd_client_fleet_free(fleet);
    return rc;
}

const struct fd_cli_cmd_entry fd_cli_cmd_get_entry = {
    .name = CMD,
    .usage = "[OPTIONS] pipeline|stages|freight|promotions|analysisruns|rollouts "
             "[-p PROJECT|-A] [-o table|wide|json|yaml]",
    .summary = "show the pipeline, Stages, Freight, Promotions, AnalysisRuns or Rollouts",
    .exec = exec_get,
};
