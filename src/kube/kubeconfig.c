/* kube/kubeconfig.c: kubeconfig files, merged and resolved as kubectl does. */
#include "config.h"

#include "freightdeck/kube.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freightdeck/yaml.h"
#include "internal.h"

#define EXEC_V1      "client.authentication.k8s.io/v1"
#define EXEC_V1BETA1 "client.authentication.k8s.io/v1beta1"

/* One loaded file; its YAML document stays alive until resolution is over, so
 * every value keeps its line:col for messages. */
struct kc_file {
    char *display;    /* "~/.kube/config" */
    char *dir;        /* absolute folder, for relative paths */
    struct fd_yaml y; /* y.file is display */
};

/* A named cluster, user or context: the first file to define a name wins. */
struct kc_entry {
    char *name;
    struct kc_file *file;
    yaml_node_t *item; /* the list item ({name, cluster}) */
    yaml_node_t *body; /* the cluster/user/context mapping; NULL when empty */
};

struct kc_list {
    struct kc_entry *v;
    size_t n;
};

struct kc_set {
    char *label; /* "KUBECONFIG" or the display path */
    struct kc_file **files;
    size_t nfiles;
    struct kc_list clusters, users, contexts;
    char *current;
    struct kc_file *current_file;
    yaml_node_t *current_node;
};

/* ---- YAML access (util's helpers; messages name file:line:col) ---------- */

#define FAIL_AT(err, f, node, st, fmt, ...)                         \
    do {                                                            \
        char *w_ = fd_yaml_where(&(f)->y, (node));                  \
        fd_kube_fail((err), NULL, (st), "%s" fmt, w_, __VA_ARGS__); \
        free(w_);                                                   \
    } while (0)

struct key_ref {
    const yaml_node_t *node;
};

static int key_cmp(const void *a, const void *b)
{
    const yaml_node_t *x = ((const struct key_ref *)a)->node;
    const yaml_node_t *y = ((const struct key_ref *)b)->node;
    size_t n = x->data.scalar.length < y->data.scalar.length ? x->data.scalar.length
                                                             : y->data.scalar.length;
    int c = memcmp(x->data.scalar.value, y->data.scalar.value, n);

    if (c)
        return c;
    if (x->data.scalar.length != y->data.scalar.length)
        return x->data.scalar.length < y->data.scalar.length ? -1 : 1;
    /* Equal keys: file order, so the later one is reported. */
    return x->start_mark.index < y->start_mark.index ? -1
                                                     : x->start_mark.index > y->start_mark.index;
}

/* A key given twice in one mapping is an error, as for kubectl (go-yaml:
 * "mapping key already defined"): which value would win is not obvious,
 * and a second `token:` or `server:` must not pass silently. Every mapping
 * of the document, sorted keys: O(n log n). Returns true with err set. */
static bool duplicate_key(struct kc_file *f, struct fd_kube_error *err)
{
    struct key_ref *keys = NULL;
    size_t cap = 0;
    bool dup = false;

    for (yaml_node_t *m = f->y.doc.nodes.start; m && m < f->y.doc.nodes.top && !dup; m++) {
        size_t n = 0;
        if (m->type != YAML_MAPPING_NODE)
            continue;
        for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = fd_yaml_node(&f->y, p->key);
            if (!k || k->type != YAML_SCALAR_NODE)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                keys = fd_xreallocarray(keys, cap, sizeof(*keys));
            }
            keys[n++].node = k;
        }
        if (n < 2)
            continue; /* nothing to compare (and qsort must not see a NULL) */
        qsort(keys, n, sizeof(*keys), key_cmp);
        for (size_t i = 1; i < n && !dup; i++) {
            const yaml_node_t *a = keys[i - 1].node, *b = keys[i].node;
            if (a->data.scalar.length == b->data.scalar.length &&
                memcmp(a->data.scalar.value, b->data.scalar.value, a->data.scalar.length) == 0 &&
                strcmp((const char *)b->data.scalar.value, "<<") != 0) {
                FAIL_AT(err, f, b, FD_PARSE, "duplicate key \"%.*s\" (first at line %zu)",
                        (int)(b->data.scalar.length > 64 ? 64 : b->data.scalar.length),
                        (const char *)b->data.scalar.value, a->start_mark.line + 1);
                dup = true;
            }
        }
    }
    free(keys);
    return dup;
}

/* The scalar's text; NUL bytes inside (a "\0" escape) end it. */
static char *scalar_dup(const yaml_node_t *n)
{
    return fd_xstrndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

/* Reads an optional string field: absent or null leaves *out NULL. */
static bool get_str(struct kc_file *f, yaml_node_t *map, const char *key, const char *owner,
                    char **out, struct fd_kube_error *err)
{
    yaml_node_t *n = fd_yaml_map_get(&f->y, map, key);

    *out = NULL;
    if (fd_yaml_is_null(n))
        return true;
    if (n->type != YAML_SCALAR_NODE) {
        FAIL_AT(err, f, n, FD_PARSE, "%s: %s: expected a string, got %s", owner, key,
                fd_yaml_kind(n));
        return false;
    }
    *out = scalar_dup(n);
    if (!**out) {
        free(*out);
        *out = NULL;
    }
    return true;
}

/* YAML 1.1 booleans, as the Go YAML decoder kubectl uses accepts them. */
static bool get_bool(struct kc_file *f, yaml_node_t *map, const char *key, const char *owner,
                     bool *out, struct fd_kube_error *err)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                      "on",   "On",   "ON",   "y",   "Y"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO",
                                     "off",   "Off",   "OFF",   "n",  "N"};
    yaml_node_t *n = fd_yaml_map_get(&f->y, map, key);
    char *v;

    *out = false;
    if (fd_yaml_is_null(n))
        return true;
    if (n->type == YAML_SCALAR_NODE) {
        v = scalar_dup(n);
        for (size_t i = 0; i < FD_ARRAY_SIZE(yes); i++) {
            if (strcmp(v, yes[i]) == 0) {
                *out = true;
                free(v);
                return true;
            }
            if (strcmp(v, no[i]) == 0) {
                free(v);
                return true;
            }
        }
        free(v);
    }
    FAIL_AT(err, f, n, FD_PARSE, "%s: %s: expected true or false", owner, key);
    return false;
}

/* ---- Loading files ---------------------------------------------------------- */

static char *abs_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char cwd[4096];

    if (slash == path)
        return fd_xstrdup("/");
    if (path[0] == '/')
        return fd_xstrndup(path, (size_t)(slash - path));
    if (!getcwd(cwd, sizeof(cwd)))
        snprintf(cwd, sizeof(cwd), ".");
    if (!slash)
        return fd_xstrdup(cwd);
    return fd_xasprintf("%s/%.*s", cwd, (int)(slash - path), path);
}

static void file_free(struct kc_file *f)
{
    if (!f)
        return;
    fd_yaml_free(&f->y);
    free(f->display);
    free(f->dir);
    free(f);
}

static void list_free(struct kc_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].name);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void set_free(struct kc_set *s)
{
    list_free(&s->clusters);
    list_free(&s->users);
    list_free(&s->contexts);
    for (size_t i = 0; i < s->nfiles; i++)
        file_free(s->files[i]);
    free(s->files);
    free(s->label);
    free(s->current);
    memset(s, 0, sizeof(*s));
}

static struct kc_entry *list_find(struct kc_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

/* Adds the entries of one file's list (clusters/users/contexts) to l; a name
 * an earlier file defined is skipped (first file wins); a name twice in the
 * same file is an error, as kubectl's decoder says. */
static bool merge_list(struct kc_file *f, struct kc_list *l, yaml_node_t *root, const char *listkey,
                       const char *bodykey, struct fd_kube_error *err)
{
    yaml_node_t *seq = fd_yaml_map_get(&f->y, root, listkey);
    size_t first_of_file = l->n;

    if (fd_yaml_is_null(seq))
        return true;
    if (seq->type != YAML_SEQUENCE_NODE) {
        FAIL_AT(err, f, seq, FD_PARSE, "%s: expected a list, got %s", listkey, fd_yaml_kind(seq));
        return false;
    }
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
         it++) {
        size_t idx = (size_t)(it - seq->data.sequence.items.start);
        yaml_node_t *item = fd_yaml_node(&f->y, *it), *name = fd_yaml_map_get(&f->y, item, "name"),
                    *body;
        char *nm;
        bool dup = false;

        if (!item || item->type != YAML_MAPPING_NODE) {
            FAIL_AT(err, f, item, FD_PARSE, "%s[%zu]: expected a mapping with name and %s", listkey,
                    idx, bodykey);
            return false;
        }
        if (fd_yaml_is_null(name) || name->type != YAML_SCALAR_NODE ||
            name->data.scalar.length == 0) {
            FAIL_AT(err, f, name ? name : item, FD_PARSE, "%s[%zu]: missing name", listkey, idx);
            return false;
        }
        body = fd_yaml_map_get(&f->y, item, bodykey);
        if (fd_yaml_is_null(body)) {
            body = NULL;
        } else if (body->type != YAML_MAPPING_NODE) {
            FAIL_AT(err, f, body, FD_PARSE, "%s[%zu]: %s: expected a mapping, got %s", listkey, idx,
                    bodykey, fd_yaml_kind(body));
            return false;
        }
        nm = scalar_dup(name);
        for (size_t i = first_of_file; i < l->n; i++)
            if (strcmp(l->v[i].name, nm) == 0)
                dup = true;
        if (dup) {
            FAIL_AT(err, f, name, FD_PARSE, "%s: duplicate name \"%s\"", listkey, nm);
            free(nm);
            return false;
        }
        if (list_find(l, nm)) {
            free(nm);
            continue;
        }
        l->v = fd_xreallocarray(l->v, l->n + 1, sizeof(*l->v));
        l->v[l->n++] = (struct kc_entry){nm, f, item, body};
    }
    return true;
}

/* Parses one kubeconfig held in memory and merges it into s (which takes
 * ownership of the parsed file). */
static enum fd_status merge_buffer(struct kc_set *s, const char *path, const void *data, size_t len,
                                   struct fd_kube_error *err)
{
    struct kc_file *f = fd_xcalloc(1, sizeof(*f));
    yaml_node_t *root, *cur;
    char *msg;

    f->display = fd_kube_display_path(path);
    f->dir = abs_dir(path);
    if (fd_yaml_load_as(&f->y, data, len, f->display, "invalid YAML", &msg) != FD_OK) {
        fd_kube_fail(err, NULL, FD_PARSE, "%s", msg);
        free(msg);
        file_free(f);
        return FD_PARSE;
    }
    s->files = fd_xreallocarray(s->files, s->nfiles + 1, sizeof(*s->files));
    s->files[s->nfiles++] = f;
    if (duplicate_key(f, err))
        return FD_PARSE;

    root = fd_yaml_root(&f->y);
    if (!root || fd_yaml_is_null(root))
        return FD_OK; /* an empty file is an empty config, as for kubectl */
    if (root->type != YAML_MAPPING_NODE) {
        FAIL_AT(err, f, root, FD_PARSE, "expected a kubeconfig mapping, got %s",
                fd_yaml_kind(root));
        return FD_PARSE;
    }
    if (!merge_list(f, &s->clusters, root, "clusters", "cluster", err) ||
        !merge_list(f, &s->users, root, "users", "user", err) ||
        !merge_list(f, &s->contexts, root, "contexts", "context", err))
        return FD_PARSE;
    cur = fd_yaml_map_get(&f->y, root, "current-context");
    if (!fd_yaml_is_null(cur)) {
        if (cur->type != YAML_SCALAR_NODE) {
            FAIL_AT(err, f, cur, FD_PARSE, "current-context: expected a string, got %s",
                    fd_yaml_kind(cur));
            return FD_PARSE;
        }
        if (!s->current && cur->data.scalar.length > 0) {
            s->current = scalar_dup(cur);
            s->current_file = f;
            s->current_node = cur;
        }
    }
    return FD_OK;
}

static enum fd_status merge_file(struct kc_set *s, const char *path, bool explicit, bool *missing,
                                 struct fd_kube_error *err)
{
    struct fd_kube_blob b;
    const char *why = NULL;
    enum fd_status st;
    char *disp;

    *missing = false;
    st = fd_kube_read_blob(path, &b, &why);
    if (st) {
        if (!explicit && st == FD_IO && access(path, F_OK) != 0 && errno == ENOENT) {
            *missing = true; /* kubectl skips missing files of the list */
            return FD_OK;
        }
        disp = fd_kube_display_path(path);
        fd_kube_fail(err, NULL, explicit && access(path, F_OK) != 0 ? FD_NOT_FOUND : st, "%s: %s",
                     disp, why);
        free(disp);
        return err->status;
    }
    st = merge_buffer(s, path, b.data, b.len, err);
    fd_kube_blob_wipe(&b);
    return st;
}

/* The files kubectl would read, in precedence order; *label names them. */
static char **file_list(const struct fd_kube_load_opts *opts, char **label, bool *explicit)
{
    const char *env = getenv("KUBECONFIG"), *home = getenv("HOME");
    char **files = fd_xcalloc(1, sizeof(*files));
    size_t n = 0;

    *explicit = false;
    if (opts && opts->kubeconfig && *opts->kubeconfig) {
        files = fd_xreallocarray(files, 2, sizeof(*files));
        files[n++] = fd_xstrdup(opts->kubeconfig);
        *label = fd_kube_display_path(opts->kubeconfig);
        *explicit = true;
    } else if (env && *env) {
        const char *p = env;
        while (*p || p == env) {
            const char *colon = strchr(p, ':');
            size_t len = colon ? (size_t)(colon - p) : strlen(p);
            char *one = fd_xstrndup(p, len);
            bool seen = !*one;
            for (size_t i = 0; i < n && !seen; i++)
                seen = strcmp(files[i], one) == 0;
            if (seen) {
                free(one);
            } else {
                files = fd_xreallocarray(files, n + 2, sizeof(*files));
                files[n++] = one;
            }
            if (!colon)
                break;
            p = colon + 1;
        }
        *label = fd_xstrdup("KUBECONFIG");
    } else {
        files = fd_xreallocarray(files, 2, sizeof(*files));
        files[n++] = fd_xasprintf("%s/.kube/config", home && *home ? home : ".");
        *label = fd_xstrdup("~/.kube/config");
    }
    files[n] = NULL;
    return files;
}

static void strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* Loads what opts selects into s. *none_found: no file existed. */
static enum fd_status load_set(const struct fd_kube_load_opts *opts, struct kc_set *s,
                               bool *none_found, struct fd_kube_error *err)
{
    bool explicit, missing;
    char **files = file_list(opts, &s->label, &explicit);
    enum fd_status st = FD_OK;
    size_t found = 0;

    for (size_t i = 0; files[i] && !st; i++) {
        st = merge_file(s, files[i], explicit, &missing, err);
        if (!st && !missing)
            found++;
    }
    strv_free(files);
    *none_found = found == 0 || (!s->clusters.n && !s->users.n && !s->contexts.n && !s->current);
    return st;
}

/* ---- Resolution ------------------------------------------------------------------ */

static char *resolve_path(struct kc_file *f, const char *p)
{
    if (p[0] == '/')
        return fd_xstrdup(p);
    return fd_xasprintf("%s/%s", f->dir, p);
}

static bool read_into(struct kc_file *f, yaml_node_t *map, const char *key, const char *owner,
                      const char *path, struct fd_kube_blob *out, struct fd_kube_error *err)
{
    const char *why = NULL;
    enum fd_status st = fd_kube_read_blob(path, out, &why);

    if (st)
        FAIL_AT(err, f, fd_yaml_map_get(&f->y, map, key), st == FD_LIMIT ? FD_LIMIT : FD_IO,
                "%s: %s %s: %s", owner, key, path, why);
    return st == FD_OK;
}

static bool get_base64(struct kc_file *f, yaml_node_t *map, const char *key, const char *owner,
                       struct fd_kube_blob *out, struct fd_kube_error *err)
{
    yaml_node_t *n = fd_yaml_map_get(&f->y, map, key);

    out->data = NULL;
    out->len = 0;
    if (fd_yaml_is_null(n))
        return true;
    if (n->type != YAML_SCALAR_NODE) {
        FAIL_AT(err, f, n, FD_PARSE, "%s: %s: expected a base64 string, got %s", owner, key,
                fd_yaml_kind(n));
        return false;
    }
    if (!fd_kube_base64_decode((const char *)n->data.scalar.value, n->data.scalar.length, out)) {
        FAIL_AT(err, f, n, FD_PARSE, "%s: %s: not valid base64", owner, key);
        return false;
    }
    return true;
}

static void trim_token(char *t)
{
    size_t n = strlen(t);
    size_t lead = 0;

    while (n && fd_ascii_isspace((unsigned char)t[n - 1]))
        t[--n] = '\0';
    while (fd_ascii_isspace((unsigned char)t[lead]))
        lead++;
    memmove(t, t + lead, n - lead + 1);
}

static enum fd_status resolve_cluster(struct kc_entry *e, struct fd_kube_config *cfg,
                                      struct fd_kube_error *err)
{
    struct kc_file *f = e->file;
    yaml_node_t *b = e->body;
    char *owner = fd_xasprintf("cluster \"%s\"", e->name), *server = NULL, *ca = NULL;
    bool ok;

    ok = get_str(f, b, "server", owner, &server, err) &&
         get_str(f, b, "certificate-authority", owner, &ca, err) &&
         get_base64(f, b, "certificate-authority-data", owner, &cfg->ca, err) &&
         get_bool(f, b, "insecure-skip-tls-verify", owner, &cfg->insecure_skip_tls_verify, err) &&
         get_str(f, b, "tls-server-name", owner, &cfg->tls_server_name, err) &&
         get_str(f, b, "proxy-url", owner, &cfg->proxy_url, err);
    if (ok && !server) {
        FAIL_AT(err, f, b ? b : e->item, FD_INVALID, "%s: no server set", owner);
        ok = false;
    }
    if (ok) {
        size_t n;
        /* kubectl takes "host:port" as https://host:port. */
        cfg->server =
            strstr(server, "://") ? fd_xstrdup(server) : fd_xasprintf("https://%s", server);
        n = strlen(cfg->server);
        while (n > 0 && cfg->server[n - 1] == '/')
            cfg->server[--n] = '\0';
        if (strncmp(cfg->server, "https://", 8) != 0 && strncmp(cfg->server, "http://", 7) != 0) {
            FAIL_AT(err, f, fd_yaml_map_get(&f->y, b, "server"), FD_INVALID,
                    "%s: server: only http:// and https:// URLs are supported", owner);
            ok = false;
        }
    }
    if (ok && ca) {
        cfg->ca_file = resolve_path(f, ca);
        /* certificate-authority-data wins over the file, as in kubectl. */
        if (!cfg->ca.data)
            ok = read_into(f, b, "certificate-authority", owner, cfg->ca_file, &cfg->ca, err);
    }
    if (ok && cfg->insecure_skip_tls_verify && (cfg->ca.data || ca)) {
        FAIL_AT(err, f, fd_yaml_map_get(&f->y, b, "insecure-skip-tls-verify"), FD_INVALID,
                "%s: insecure-skip-tls-verify cannot be combined with a certificate authority",
                owner);
        ok = false;
    }
    free(server);
    free(ca);
    free(owner);
    return ok ? FD_OK : err->status;
}

static bool parse_exec(struct kc_file *f, yaml_node_t *x, const char *owner,
                       struct fd_kube_exec **out, struct fd_kube_error *err)
{
    struct fd_kube_exec *e = fd_xcalloc(1, sizeof(*e));
    char *owner2 = fd_xasprintf("%s: exec", owner), *mode = NULL;
    yaml_node_t *args = fd_yaml_map_get(&f->y, x, "args"), *env = fd_yaml_map_get(&f->y, x, "env");
    bool ok;

    e->timeout_ms = 60000;
    e->args = fd_xcalloc(1, sizeof(*e->args));
    e->env = fd_xcalloc(1, sizeof(*e->env));
    ok = get_str(f, x, "apiVersion", owner2, &e->api_version, err) &&
         get_str(f, x, "command", owner2, &e->command, err) &&
         get_str(f, x, "installHint", owner2, &e->install_hint, err) &&
         get_bool(f, x, "provideClusterInfo", owner2, &e->provide_cluster_info, err) &&
         get_str(f, x, "interactiveMode", owner2, &mode, err);
    if (ok && !e->command) {
        FAIL_AT(err, f, x, FD_INVALID, "%s: command is required", owner2);
        ok = false;
    }
    if (ok && (!e->api_version || (strcmp(e->api_version, EXEC_V1) != 0 &&
                                   strcmp(e->api_version, EXEC_V1BETA1) != 0))) {
        FAIL_AT(err, f, e->api_version ? fd_yaml_map_get(&f->y, x, "apiVersion") : x, FD_INVALID,
                "%s: apiVersion must be %s or %s%s%s%s", owner2, EXEC_V1, EXEC_V1BETA1,
                e->api_version ? " (got \"" : "", e->api_version ? e->api_version : "",
                e->api_version ? "\")" : "");
        ok = false;
    }
    if (ok) {
        if (!mode && strcmp(e->api_version, EXEC_V1) == 0) {
            FAIL_AT(err, f, x, FD_INVALID, "%s: interactiveMode must be set for %s", owner2,
                    EXEC_V1);
            ok = false;
        } else if (!mode) {
            e->interactive_mode = FD_KUBE_INTERACTIVE_IF_AVAILABLE;
        } else {
            int found = -1;
            for (int i = 0; i < FD_KUBE_INTERACTIVE__COUNT; i++)
                if (strcmp(mode, fd_kube_interactive_name((enum fd_kube_interactive)i)) == 0)
                    found = i;
            if (found < 0) {
                FAIL_AT(err, f, fd_yaml_map_get(&f->y, x, "interactiveMode"), FD_INVALID,
                        "%s: interactiveMode must be Never, IfAvailable or Always (got \"%s\")",
                        owner2, mode);
                ok = false;
            }
            e->interactive_mode = (enum fd_kube_interactive)(found < 0 ? 0 : found);
        }
    }
    if (ok && !fd_yaml_is_null(args)) {
        if (args->type != YAML_SEQUENCE_NODE) {
            FAIL_AT(err, f, args, FD_PARSE, "%s: args: expected a list of strings", owner2);
            ok = false;
        }
        for (yaml_node_item_t *it = ok ? args->data.sequence.items.start : NULL;
             ok && it < args->data.sequence.items.top; it++) {
            yaml_node_t *a = fd_yaml_node(&f->y, *it);
            if (!a || a->type != YAML_SCALAR_NODE) {
                FAIL_AT(err, f, a ? a : args, FD_PARSE, "%s: args: expected a list of strings",
                        owner2);
                ok = false;
                break;
            }
            e->args = fd_xreallocarray(e->args, e->nargs + 2, sizeof(*e->args));
            e->args[e->nargs++] = scalar_dup(a);
            e->args[e->nargs] = NULL;
        }
    }
    if (ok && !fd_yaml_is_null(env)) {
        if (env->type != YAML_SEQUENCE_NODE) {
            FAIL_AT(err, f, env, FD_PARSE, "%s: env: expected a list of {name, value}", owner2);
            ok = false;
        }
        for (yaml_node_item_t *it = ok ? env->data.sequence.items.start : NULL;
             ok && it < env->data.sequence.items.top; it++) {
            yaml_node_t *v = fd_yaml_node(&f->y, *it);
            char *name = NULL, *value = NULL;
            ok = v && v->type == YAML_MAPPING_NODE && get_str(f, v, "name", owner2, &name, err) &&
                 get_str(f, v, "value", owner2, &value, err);
            if (ok && (!name || strchr(name, '='))) {
                FAIL_AT(err, f, v, FD_PARSE, "%s: env: every entry needs a name without '='",
                        owner2);
                ok = false;
            } else if (!ok && (!v || v->type != YAML_MAPPING_NODE)) {
                FAIL_AT(err, f, v ? v : env, FD_PARSE, "%s: env: expected a list of {name, value}",
                        owner2);
            }
            if (!ok) {
                free(name);
                fd_kube_str_wipe(&value);
                break;
            }
            e->env = fd_xreallocarray(e->env, e->nenv + 1, sizeof(*e->env));
            e->env[e->nenv++] = (struct fd_kube_env_var){name, value ? value : fd_xstrdup("")};
        }
    }
    /* Relative commands resolve against the file only when they name a path;
     * a bare name is searched in PATH, as kubectl does. */
    if (ok && strchr(e->command, '/') && e->command[0] != '/') {
        char *abs = resolve_path(f, e->command);
        free(e->command);
        e->command = abs;
    }
    free(mode);
    free(owner2);
    if (!ok) {
        fd_kube_exec_free(e);
        return false;
    }
    *out = e;
    return true;
}

static enum fd_status resolve_user(struct kc_entry *e, struct fd_kube_config *cfg,
                                   struct fd_kube_error *err)
{
    struct kc_file *f = e->file;
    yaml_node_t *b = e->body, *x = fd_yaml_map_get(&f->y, b, "exec"),
                *ap = fd_yaml_map_get(&f->y, b, "auth-provider");
    char *owner = fd_xasprintf("user \"%s\"", e->name), *token_file = NULL;
    char *cert = NULL, *key = NULL;
    bool ok;

    ok = get_str(f, b, "token", owner, &cfg->token, err) &&
         get_str(f, b, "tokenFile", owner, &token_file, err) &&
         get_str(f, b, "client-certificate", owner, &cert, err) &&
         get_str(f, b, "client-key", owner, &key, err) &&
         get_base64(f, b, "client-certificate-data", owner, &cfg->client_cert, err) &&
         get_base64(f, b, "client-key-data", owner, &cfg->client_key, err) &&
         get_str(f, b, "username", owner, &cfg->username, err) &&
         get_str(f, b, "password", owner, &cfg->password, err);
    if (ok && token_file) {
        struct fd_kube_blob t;
        cfg->token_file = resolve_path(f, token_file);
        if (!cfg->token) {
            ok = read_into(f, b, "tokenFile", owner, cfg->token_file, &t, err);
            if (ok) {
                cfg->token = fd_xstrndup((const char *)t.data, t.len);
                fd_kube_blob_wipe(&t);
                trim_token(cfg->token);
            }
        }
    }
    /* The -data forms win over the files, as in kubectl. */
    if (ok && cert && !cfg->client_cert.data) {
        char *path = resolve_path(f, cert);
        ok = read_into(f, b, "client-certificate", owner, path, &cfg->client_cert, err);
        free(path);
    }
    if (ok && key && !cfg->client_key.data) {
        char *path = resolve_path(f, key);
        ok = read_into(f, b, "client-key", owner, path, &cfg->client_key, err);
        free(path);
    }
    if (ok && (!cfg->client_cert.data) != (!cfg->client_key.data)) {
        FAIL_AT(err, f, b, FD_INVALID, "%s: %s given without %s", owner,
                cfg->client_cert.data ? "client-certificate" : "client-key",
                cfg->client_cert.data ? "client-key" : "client-certificate");
        ok = false;
    }
    if (ok && (!cfg->username) != (!cfg->password)) {
        FAIL_AT(err, f, b, FD_INVALID, "%s: %s given without %s", owner,
                cfg->username ? "username" : "password", cfg->username ? "password" : "username");
        ok = false;
    }
    if (ok && cfg->token && cfg->username) {
        FAIL_AT(err, f, b, FD_INVALID,
                "%s: more than one authentication method (token and basic auth); only one is "
                "allowed",
                owner);
        ok = false;
    }
    if (ok && !fd_yaml_is_null(ap)) {
        yaml_node_t *nm = fd_yaml_map_get(&f->y, ap, "name");
        char *name = nm && nm->type == YAML_SCALAR_NODE ? scalar_dup(nm) : fd_xstrdup("?");
        FAIL_AT(err, f, ap, FD_INVALID,
                "%s: auth-provider \"%s\" is not supported; use an exec credential plugin "
                "(e.g. kubelogin, gke-gcloud-auth-plugin)",
                owner, name);
        free(name);
        ok = false;
    }
    if (ok && !fd_yaml_is_null(x)) {
        if (x->type != YAML_MAPPING_NODE) {
            FAIL_AT(err, f, x, FD_PARSE, "%s: exec: expected a mapping, got %s", owner,
                    fd_yaml_kind(x));
            ok = false;
        } else {
            ok = parse_exec(f, x, owner, &cfg->exec, err);
        }
        /* Static credentials win over a plugin, as in client-go. */
        if (ok && (cfg->token || cfg->username || cfg->client_cert.data)) {
            fd_kube_exec_free(cfg->exec);
            cfg->exec = NULL;
        }
    }
    free(cert);
    free(key);
    free(token_file);
    free(owner);
    return ok ? FD_OK : err->status;
}

/* ", " separated context names, for "available: ...". */
static char *context_names(struct kc_set *s)
{
    struct fd_buf b = FD_BUF_INIT;

    for (size_t i = 0; i < s->contexts.n; i++)
        fd_buf_printf(&b, "%s%s", i ? ", " : "", s->contexts.v[i].name);
    if (!s->contexts.n)
        fd_buf_puts(&b, "none defined");
    return fd_buf_steal(&b);
}

static enum fd_status resolve(struct kc_set *s, const struct fd_kube_load_opts *opts,
                              struct fd_kube_config **out, struct fd_kube_error *err)
{
    const char *want = opts && opts->context && *opts->context ? opts->context : s->current;
    struct kc_entry *ctx, *cl, *us = NULL;
    struct fd_kube_config *cfg;
    char *clname = NULL, *usname = NULL, *ns = NULL, *names, *owner;
    enum fd_status st;

    if (!want) {
        names = context_names(s);
        fd_kube_fail(err, NULL, FD_NOT_FOUND,
                     "%s: no current-context is set; choose one with --context (available: %s)",
                     s->label, names);
        free(names);
        return FD_NOT_FOUND;
    }
    ctx = list_find(&s->contexts, want);
    if (!ctx) {
        names = context_names(s);
        if (want == s->current)
            FAIL_AT(err, s->current_file, s->current_node, FD_NOT_FOUND,
                    "current-context \"%s\" does not exist (available: %s)", want, names);
        else
            fd_kube_fail(err, NULL, FD_NOT_FOUND, "%s: no context named \"%s\" (available: %s)",
                         s->label, want, names);
        free(names);
        return FD_NOT_FOUND;
    }
    owner = fd_xasprintf("context \"%s\"", ctx->name);
    if (!get_str(ctx->file, ctx->body, "cluster", owner, &clname, err) ||
        !get_str(ctx->file, ctx->body, "user", owner, &usname, err) ||
        !get_str(ctx->file, ctx->body, "namespace", owner, &ns, err)) {
        free(clname);
        free(usname);
        free(owner);
        return err->status;
    }
    st = FD_OK;
    if (!clname) {
        FAIL_AT(err, ctx->file, ctx->body ? ctx->body : ctx->item, FD_INVALID, "%s: no cluster set",
                owner);
        st = FD_INVALID;
    } else if (!(cl = list_find(&s->clusters, clname))) {
        FAIL_AT(err, ctx->file, fd_yaml_map_get(&ctx->file->y, ctx->body, "cluster"), FD_NOT_FOUND,
                "%s: cluster \"%s\" not found", owner, clname);
        st = FD_NOT_FOUND;
    } else if (usname && !(us = list_find(&s->users, usname))) {
        FAIL_AT(err, ctx->file, fd_yaml_map_get(&ctx->file->y, ctx->body, "user"), FD_NOT_FOUND,
                "%s: user \"%s\" not found", owner, usname);
        st = FD_NOT_FOUND;
    }
    if (st) {
        free(clname);
        free(usname);
        free(ns);
        free(owner);
        return st;
    }
    cfg = fd_xcalloc(1, sizeof(*cfg));
    cfg->source = fd_xstrdup(s->label);
    cfg->context = fd_xstrdup(ctx->name);
    cfg->cluster_name = clname;
    cfg->user_name = usname ? usname : fd_xstrdup("");
    cfg->connect_timeout_ms = 10000;
    cfg->idle_timeout_s = 30;
    cfg->namespace = opts && opts->namespace && *opts->namespace ? fd_xstrdup(opts->namespace)
                     : ns                                        ? fd_xstrdup(ns)
                                                                 : fd_xstrdup("default");
    free(ns);
    free(owner);
    st = resolve_cluster(cl, cfg, err);
    if (!st && us)
        st = resolve_user(us, cfg, err);
    if (st) {
        fd_kube_config_free(cfg);
        return st;
    }
    cfg->creds = fd_kube_credentials_new();
    *out = cfg;
    return FD_OK;
}

/* ---- Public ------------------------------------------------------------------------ */

enum fd_status fd_kube_config_load_buffer(const char *name, const void *data, size_t len,
                                          const struct fd_kube_load_opts *opts,
                                          struct fd_kube_config **out, struct fd_kube_error *err)
{
    struct kc_set s = {0};
    enum fd_status st;

    *out = NULL;
    s.label = fd_kube_display_path(name);
    st = merge_buffer(&s, name, data, len, err);
    if (!st)
        st = resolve(&s, opts, out, err);
    set_free(&s);
    return st;
}

enum fd_status fd_kube_config_load(const struct fd_kube_load_opts *opts,
                                   struct fd_kube_config **out, struct fd_kube_error *err)
{
    struct kc_set s = {0};
    bool none;
    enum fd_status st;

    *out = NULL;
    st = load_set(opts, &s, &none, err);
    if (!st && none && !(opts && opts->kubeconfig)) {
        struct fd_kube_error icerr;
        st = fd_kube_config_in_cluster(opts, out, &icerr);
        if (st == FD_NOT_FOUND) {
            fd_kube_fail(err, NULL, FD_NOT_FOUND,
                         "%s: no kubeconfig found, and not running in a cluster "
                         "(KUBERNETES_SERVICE_HOST is not set); use --kubeconfig or KUBECONFIG",
                         s.label);
        } else if (st) {
            *err = icerr;
        }
        set_free(&s);
        return st;
    }
    if (!st)
        st = resolve(&s, opts, out, err);
    set_free(&s);
    return st;
}

enum fd_status fd_kube_config_contexts(const struct fd_kube_load_opts *opts, char ***names,
                                       char **current, struct fd_kube_error *err)
{
    struct kc_set s = {0};
    bool none;
    enum fd_status st = load_set(opts, &s, &none, err);

    *names = NULL;
    *current = NULL;
    if (st) {
        set_free(&s);
        return st;
    }
    *names = fd_xcalloc(s.contexts.n + 1, sizeof(**names));
    for (size_t i = 0; i < s.contexts.n; i++)
        (*names)[i] = fd_xstrdup(s.contexts.v[i].name);
    *current = s.current ? fd_xstrdup(s.current) : NULL;
    set_free(&s);
    return FD_OK;
}

void fd_kube_config_free(struct fd_kube_config *cfg)
{
    if (!cfg)
        return;
    fd_kube_credentials_free(cfg->creds);
    free(cfg->source);
    free(cfg->context);
    free(cfg->cluster_name);
    free(cfg->user_name);
    free(cfg->server);
    free(cfg->namespace);
    free(cfg->tls_server_name);
    fd_kube_str_wipe(&cfg->proxy_url);
    free(cfg->ca_file);
    fd_kube_blob_wipe(&cfg->ca);
    fd_kube_blob_wipe(&cfg->client_cert);
    fd_kube_blob_wipe(&cfg->client_key);
    fd_kube_str_wipe(&cfg->token);
    free(cfg->token_file);
    fd_kube_str_wipe(&cfg->username);
    fd_kube_str_wipe(&cfg->password);
    fd_kube_exec_free(cfg->exec);
    free(cfg);
}
