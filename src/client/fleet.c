/* client/fleet.c: the config file mapping a project's Stages to the context,
 * namespace and Rollouts behind them. The YAML helpers are util's
 * (src/util/yaml.c): one set of positioned errors and suggestions. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/yaml.h"
#include "internal.h"

/* "keys", "theme", "themes", "console" and "mouse" are the console's
 * (tui reads them from the same file); they are known here so that the
 * documented settings are not "unknown". */
static const char *const top_keys[] = {"kargo",  "stages",  "keys",  "theme",
                                       "themes", "console", "mouse", "argoRollouts"};
static const char *const kargo_keys[] = {"context"};
static const char *const argo_keys[] = {"exprVersion"};
static const char *const stage_keys[] = {"project",   "stage",    "context",
                                         "namespace", "rollouts", "selector"};

void fd_client_fleet_free(struct fd_client_fleet *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_stages; i++) {
        struct fd_client_stage_map *m = &f->stages[i];
        free(m->project);
        free(m->stage);
        free(m->context);
        free(m->ns);
        for (size_t j = 0; j < m->n_rollouts; j++)
            free(m->rollouts[j]);
        free(m->rollouts);
        free(m->selector);
    }
    free(f->stages);
    for (size_t i = 0; i < f->n_production; i++)
        free(f->production[i]);
    free(f->production);
    free(f->kargo_context);
    free(f->path);
    free(f);
}

struct ctx {
    struct fd_yaml *y; /* the config's */
    char *err;
};

static bool fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...) FD_PRINTF(3, 4);
static bool fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
    struct fd_buf b = FD_BUF_INIT;
    va_list ap;

    if (c->err)
        return false;
    va_start(ap, fmt);
    fd_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    c->err = fd_yaml_error(c->y, n, "%s", fd_buf_cstr(&b));
    fd_buf_free(&b);
    return false;
}

/* Unknown key: an error with a suggestion. */
static bool unknown_key(struct ctx *c, const yaml_node_t *k, const char *where,
                        const char *const *keys, size_t n)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *name = fd_yaml_scalar(k);

    fd_buf_printf(&b, "unknown key \"%s\" in %s", name ? name : "?", where);
    if (name)
        fd_suggest_append(&b, name, keys, n);
    if (!c->err)
        c->err = fd_yaml_error(c->y, k, "%s", fd_buf_cstr(&b));
    fd_buf_free(&b);
    return false;
}

static bool known(const char *name, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, keys[i]) == 0)
            return true;
    return false;
}

/* A non-empty string scalar, or an error naming the key. */
static bool string_of(struct ctx *c, const yaml_node_t *v, const char *key, char **out)
{
    const char *s = fd_yaml_scalar(v);

    if (!s || !*s)
        return fail(c, v, "\"%s\": expected a non-empty string%s", key, "");
    free(*out);
    *out = fd_xstrdup(s);
    return true;
}

static bool parse_selector(struct ctx *c, const yaml_node_t *v, char **out)
{
    if (!string_of(c, v, "selector", out))
        return false;
    /* key=value[,key=value]: the one form every server takes. */
    char *copy = fd_xstrdup(*out), *save = NULL;
    bool ok = true;
    for (char *t = strtok_r(copy, ",", &save); t && ok; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        ok = eq && eq != t && eq[1] && !strchr(eq + 1, '=');
    }
    free(copy);
    if (!ok)
        return fail(c, v, "selector \"%s\": expected key=value[,key=value]%s", *out, "");
    return true;
}

static bool parse_stage(struct ctx *c, yaml_node_t *n, struct fd_client_stage_map *m)
{
    const yaml_node_t *stage_node = n;

    if (n->type != YAML_MAPPING_NODE)
        return fail(c, n, "stages: each entry must be a mapping (project, stage, ...)%s%s", "", "");
    m->line = (int)n->start_mark.line + 1;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = fd_yaml_node(c->y, p->key), *v = fd_yaml_node(c->y, p->value);
        const char *key = fd_yaml_scalar(k);
        bool ok = true;
        if (!key || !known(key, stage_keys, FD_ARRAY_SIZE(stage_keys)))
            return unknown_key(c, k, "a stages entry", stage_keys, FD_ARRAY_SIZE(stage_keys));
        if (strcmp(key, "project") == 0)
            ok = string_of(c, v, key, &m->project);
        else if (strcmp(key, "stage") == 0) {
            ok = string_of(c, v, key, &m->stage);
            stage_node = v;
            m->stage_line = (int)k->start_mark.line + 1;
            m->stage_col = (int)k->start_mark.column + 1;
        } else if (strcmp(key, "context") == 0) {
            ok = string_of(c, v, key, &m->context);
            m->context_line = (int)k->start_mark.line + 1;
            m->context_col = (int)k->start_mark.column + 1;
        } else if (strcmp(key, "namespace") == 0)
            ok = string_of(c, v, key, &m->ns) &&
                 (fd_model_name_valid(m->ns) ||
                  fail(c, v, "namespace \"%s\": not a valid Kubernetes name%s", m->ns, ""));
        else if (strcmp(key, "selector") == 0)
            ok = parse_selector(c, v, &m->selector);
        else if (v->type == YAML_SCALAR_NODE) { /* rollouts: one name */
            m->rollouts = fd_xcalloc(1, sizeof(char *));
            ok = string_of(c, v, key, &m->rollouts[0]);
            m->n_rollouts = ok;
        } else if (v->type == YAML_SEQUENCE_NODE) {
            size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
            m->rollouts = fd_xcalloc(cnt + 1, sizeof(char *));
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 ok && it < v->data.sequence.items.top; it++) {
                ok = string_of(c, fd_yaml_node(c->y, *it), "rollouts", &m->rollouts[m->n_rollouts]);
                m->n_rollouts += ok;
            }
        } else {
            ok = fail(c, v, "\"rollouts\": expected a name or a list of names%s%s", "", "");
        }
        if (!ok)
            return false;
    }
    /* "stage: payments/prod" carries the project. */
    if (m->stage && strchr(m->stage, '/')) {
        char *slash = strchr(m->stage, '/');
        if (m->project)
            return fail(c, stage_node,
                        "stage \"%s\": give the project once (in project: or as "
                        "project/stage)%s",
                        m->stage, "");
        m->project = fd_xstrndup(m->stage, (size_t)(slash - m->stage));
        char *rest = fd_xstrdup(slash + 1);
        free(m->stage);
        m->stage = rest;
    }
    if (!m->stage || !*m->stage)
        return fail(c, n, "stages entry: \"stage\" is required%s%s", "", "");
    if (!m->project || !*m->project)
        return fail(c, n, "stage \"%s\": \"project\" is required (or write stage: PROJECT/%s)",
                    m->stage, m->stage);
    if (!m->ns)
        m->ns = fd_xstrdup(m->project);
    if (m->n_rollouts && m->selector)
        return fail(c, n, "stage \"%s\": give rollouts or selector, not both%s", m->stage, "");
    return true;
}

static bool parse_root(struct ctx *c, struct fd_client_fleet *f)
{
    yaml_node_t *root = fd_yaml_root(c->y);

    if (!root)
        return true; /* an empty file: the defaults */
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root, "expected a mapping at the top (kargo:, stages:)%s%s", "", "");
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = fd_yaml_node(c->y, p->key), *v = fd_yaml_node(c->y, p->value);
        const char *key = fd_yaml_scalar(k);
        if (!key || !known(key, top_keys, FD_ARRAY_SIZE(top_keys)))
            return unknown_key(c, k, "the config file", top_keys, FD_ARRAY_SIZE(top_keys));
        if (strcmp(key, "kargo") == 0) {
            if (v->type != YAML_MAPPING_NODE)
                return fail(c, v, "\"kargo\": expected a mapping (context: NAME)%s%s", "", "");
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
                 q++) {
                yaml_node_t *kk = fd_yaml_node(c->y, q->key);
                const char *kkey = fd_yaml_scalar(kk);
                if (!kkey || !known(kkey, kargo_keys, FD_ARRAY_SIZE(kargo_keys)))
                    return unknown_key(c, kk, "kargo", kargo_keys, FD_ARRAY_SIZE(kargo_keys));
                if (!string_of(c, fd_yaml_node(c->y, q->value), "context", &f->kargo_context))
                    return false;
                f->kargo_context_line = (int)kk->start_mark.line + 1;
                f->kargo_context_col = (int)kk->start_mark.column + 1;
            }
        } else if (strcmp(key, "argoRollouts") == 0) {
            if (v->type != YAML_MAPPING_NODE)
                return fail(c, v, "\"argoRollouts\": expected a mapping (exprVersion: 1.15)%s%s",
                            "", "");
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
                 q++) {
                yaml_node_t *ak = fd_yaml_node(c->y, q->key);
                yaml_node_t *av = fd_yaml_node(c->y, q->value);
                const char *akey = fd_yaml_scalar(ak);
                if (!akey || !known(akey, argo_keys, FD_ARRAY_SIZE(argo_keys)))
                    return unknown_key(c, ak, "argoRollouts", argo_keys, FD_ARRAY_SIZE(argo_keys));
                const char *val = fd_yaml_scalar(av);
                if (!val || !fd_expr_version_parse(val, &f->expr_version))
                    return fail(c, av,
                                "argoRollouts.exprVersion: must be 1.17 or 1.15, not "
                                "\"%s\"%s",
                                val ? val : "", "");
                f->expr_version_set = true;
                f->expr_version_line = (int)ak->start_mark.line + 1;
            }
        } else if (strcmp(key, "stages") == 0) {
            if (v->type == YAML_SCALAR_NODE && !*fd_yaml_scalar(v))
                continue; /* "stages:" with nothing under it */
            if (v->type != YAML_SEQUENCE_NODE)
                return fail(c, v, "\"stages\": expected a list of entries%s%s", "", "");
            size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
            f->stages = fd_xcalloc(cnt + 1, sizeof(*f->stages));
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                yaml_node_t *e = fd_yaml_node(c->y, *it);
                struct fd_client_stage_map *m = &f->stages[f->n_stages++];
                if (!parse_stage(c, e, m))
                    return false;
                for (size_t j = 0; j + 1 < f->n_stages; j++) {
                    if (strcmp(f->stages[j].project, m->project) == 0 &&
                        strcmp(f->stages[j].stage, m->stage) == 0) {
                        char line[32];
                        snprintf(line, sizeof(line), "%d", f->stages[j].line);
                        return fail(c, e, "stage \"%s\" is already mapped at line %s", m->stage,
                                    line);
                    }
                }
            }
        } else if (strcmp(key, "console") == 0 && v->type == YAML_MAPPING_NODE) {
            /* console.production is shared with the commands; the rest of
             * console: (and keys:, theme:) is the console's own. */
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top;
                 q++) {
                const char *ck = fd_yaml_scalar(fd_yaml_node(c->y, q->key));
                yaml_node_t *pv = fd_yaml_node(c->y, q->value);
                if (!ck || strcmp(ck, "production") != 0)
                    continue;
                if (pv->type == YAML_SCALAR_NODE) {
                    f->production = fd_xcalloc(1, sizeof(char *));
                    if (!string_of(c, pv, "console.production", &f->production[0]))
                        return false;
                    f->n_production = 1;
                } else if (pv->type == YAML_SEQUENCE_NODE) {
                    size_t cnt =
                        (size_t)(pv->data.sequence.items.top - pv->data.sequence.items.start);
                    f->production = fd_xcalloc(cnt + 1, sizeof(char *));
                    for (yaml_node_item_t *it = pv->data.sequence.items.start;
                         it < pv->data.sequence.items.top; it++) {
                        if (!string_of(c, fd_yaml_node(c->y, *it), "console.production",
                                       &f->production[f->n_production]))
                            return false;
                        f->n_production++;
                    }
                } else {
                    return fail(c, pv, "console.production: must be a glob or a list of globs%s%s",
                                "", "");
                }
            }
        }
        /* keys:, theme: and the rest of console: belong to the console. */
    }
    return true;
}

enum fd_status fd_client_fleet_from_config(struct fd_config *cfg, struct fd_client_fleet **out,
                                           struct fd_kube_error *err)
{
    struct ctx c = {.y = &cfg->y};
    struct fd_client_fleet *f = fd_xcalloc(1, sizeof(*f));

    *out = NULL;
    f->path = cfg->path ? fd_xstrdup(cfg->path) : NULL;
    if (!parse_root(&c, f)) {
        fd_kube_fail(err, NULL, FD_PARSE, "%s", c.err ? c.err : "bad config");
        free(c.err);
        fd_client_fleet_free(f);
        return FD_PARSE;
    }
    *out = f;
    return FD_OK;
}

/* Loads the config with load (path or text) and reads its fleet. */
static enum fd_status from_loaded(struct fd_config *cfg, enum fd_status st, char *cerr,
                                  struct fd_client_fleet **out, struct fd_kube_error *err)
{
    *out = NULL;
    if (st != FD_OK) {
        st = fd_kube_fail(err, NULL, st, "%s", cerr ? cerr : "cannot read the config file");
        free(cerr);
    } else {
        st = fd_client_fleet_from_config(cfg, out, err);
    }
    fd_config_free(cfg);
    return st;
}

enum fd_status fd_client_fleet_load_buffer(const char *name, const char *text, size_t len,
                                           struct fd_client_fleet **out, struct fd_kube_error *err)
{
    struct fd_config cfg;
    char *cerr = NULL;
    enum fd_status st = fd_config_load_buffer(&cfg, name, text, len, &cerr);

    return from_loaded(&cfg, st, cerr, out, err);
}

enum fd_status fd_client_fleet_load(const char *path, struct fd_client_fleet **out,
                                    struct fd_kube_error *err)
{
    struct fd_config cfg;
    char *cerr = NULL;
    enum fd_status st = fd_config_load(&cfg, path, &cerr);

    return from_loaded(&cfg, st, cerr, out, err);
}

const struct fd_client_stage_map *fd_client_fleet_find(const struct fd_client_fleet *f,
                                                       const char *project, const char *stage)
{
    for (size_t i = 0; f && i < f->n_stages; i++)
        if (fd_streq(f->stages[i].project, project) && fd_streq(f->stages[i].stage, stage))
            return &f->stages[i];
    return NULL;
}

bool fd_client_fleet_is_production(const struct fd_client_fleet *f, const char *stage)
{
    if (!stage)
        return false;
    if (!f || !f->n_production)
        return fnmatch("prod*", stage, 0) == 0;
    for (size_t i = 0; i < f->n_production; i++)
        if (fnmatch(f->production[i], stage, 0) == 0)
            return true;
    return false;
}

char *fd_client_fleet_context_where(const struct fd_client_fleet *f, const char *context)
{
    const char *path = f && f->path ? f->path : "config";

    if (!f || !context)
        return NULL;
    if (f->kargo_context_line && fd_streq(f->kargo_context, context))
        return fd_xasprintf("%s:%d:%d", path, f->kargo_context_line, f->kargo_context_col);
    for (size_t i = 0; i < f->n_stages; i++)
        if (f->stages[i].context_line && fd_streq(f->stages[i].context, context))
            return fd_xasprintf("%s:%d:%d", path, f->stages[i].context_line,
                                f->stages[i].context_col);
    return NULL;
}

size_t fd_client_fleet_unknown_stages(const struct fd_client_fleet *f,
                                      const struct fd_model_snapshot *snap, const char *project,
                                      char ***out)
{
    size_t n = 0, count = 0;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);
    char **list = fd_xcalloc((f ? f->n_stages : 0) + 1, sizeof(char *));

    for (size_t i = 0; f && i < f->n_stages; i++) {
        const struct fd_client_stage_map *m = &f->stages[i];
        struct fd_buf names = FD_BUF_INIT;
        if (!fd_streq(m->project, project) ||
            fd_model_snapshot_find(snap, FD_MODEL_STAGE, project, m->stage))
            continue;
        for (size_t j = 0; j < n; j++)
            if (fd_streq(all[j]->meta.ns, project))
                fd_buf_printf(&names, "%s%s", names.len ? ", " : "", all[j]->meta.name);
        list[count++] = fd_xasprintf(
            "%s:%d:%d: Stage %s/%s is not in the Kargo cluster (%s%s%s)",
            f->path ? f->path : "config", m->stage_line ? m->stage_line : m->line,
            m->stage_line ? m->stage_col : 1, project, m->stage,
            names.len ? "its Stages: " : "the project has no Stages", fd_buf_cstr(&names), "");
        fd_buf_free(&names);
    }
    *out = list;
    return count;
}

size_t fd_client_fleet_contexts(const struct fd_client_fleet *f, const char ***out)
{
    size_t n = 0;
    const char **list = fd_xcalloc((f ? f->n_stages : 0) + 1, sizeof(*list));

    list[n++] = f ? f->kargo_context : NULL;
    for (size_t i = 0; f && i < f->n_stages; i++) {
        const char *ctx = f->stages[i].context ? f->stages[i].context : f->kargo_context;
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || fd_streq(list[j], ctx);
        if (!seen)
            list[n++] = ctx;
    }
    *out = list;
    return n;
}

/* Whether obj's labels satisfy "k=v[,k=v]". */
static bool selector_match(const struct fd_model_object *obj, const char *sel)
{
    char *copy = fd_xstrdup(sel), *save = NULL;
    bool ok = true;

    for (char *t = strtok_r(copy, ",", &save); t && ok; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        if (!eq)
            ok = false;
        else {
            *eq = '\0';
            ok = fd_streq(fd_model_label(obj, t), eq + 1);
        }
    }
    free(copy);
    return ok;
}

size_t fd_client_fleet_rollouts(const struct fd_client_fleet *f,
                                const struct fd_model_snapshot *snap, const char *project,
                                const char *stage, const struct fd_model_object ***out)
{
    const struct fd_client_stage_map *m = fd_client_fleet_find(f, project, stage);
    const char *ns = m ? m->ns : project;
    size_t n = 0, count = 0;
    struct fd_model_object *const *all = fd_model_snapshot_list(snap, FD_MODEL_ROLLOUT, &n);
    const struct fd_model_object **list = fd_xcalloc(n + 1, sizeof(*list));

    if (m && m->n_rollouts) {
        for (size_t i = 0; i < m->n_rollouts; i++) {
            const struct fd_model_object *o =
                fd_model_snapshot_find(snap, FD_MODEL_ROLLOUT, ns, m->rollouts[i]);
            if (o)
                list[count++] = o;
        }
    } else if (m && m->selector) {
        for (size_t i = 0; i < n; i++)
            if (fd_streq(all[i]->meta.ns, ns) && selector_match(all[i], m->selector))
                list[count++] = all[i];
    } else {
        /* The convention: the label first, then the names. */
        for (size_t i = 0; i < n; i++)
            if (fd_streq(all[i]->meta.ns, ns) &&
                fd_streq(fd_model_label(all[i], "freightdeck.io/stage"), stage))
                list[count++] = all[i];
        if (!count) {
            char *name = fd_xasprintf("%s-%s", project, stage);
            const struct fd_model_object *o =
                fd_model_snapshot_find(snap, FD_MODEL_ROLLOUT, ns, name);
            if (!o)
                o = fd_model_snapshot_find(snap, FD_MODEL_ROLLOUT, ns, stage);
            if (o)
                list[count++] = o;
            free(name);
        }
    }
    *out = list;
    return count;
}
