/* expr/env_kargo_freight.c: Kargo's cluster and utility functions
 * (pkg/expressions/function/functions.go, Kargo v1.11): commitFrom,
 * imageFrom, chartFrom, artifactFrom and warehouse over the Stage's Freight
 * (pkg/controller/freight/finder.go), freightMetadata, stageMetadata,
 * configMap and secret over the project's objects, sharedConfigMap and
 * sharedSecret over the shared resources namespace's, and semverParse /
 * semverDiff after github.com/Masterminds/semver/v3 v3.4.0 (version.go).
 *
 * The objects come from the caller (struct fd_expr_kargo_objects), set for
 * the length of one fd_expr_kargo_eval call in a thread-local pointer, so the
 * evaluator itself stays pure and the compiled program does not change.
 *
 * Go values and their stand-ins here: a GitCommit, Image, Chart,
 * FreightOrigin or artifact reference is a map keyed by its Go field names
 * (`.ID`, `.Tag`, `.Version` read as in Kargo), every field present ("" when
 * empty), marked with its Go struct (fd_expr_map.gostruct: its type's name,
 * fields, JSON tags; FD_EXPR_GOSTRUCTS) and whether it is a pointer; a
 * map[string]string (configMap, secret, Image.Annotations) is a strvals
 * map, whose missing keys read "" as Go's zero value; a *semver.Version is
 * its original text tagged FD_EXPR_TAG_SEMVER, whose methods (Major(),
 * IncMinor(), LessThan(v) ...) parse it again. The checker knows the types
 * Kargo declares (sig_*), so fields, methods and arguments are judged as
 * expr judges them. */
#include "config.h"

#include "builtins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local struct fd_expr_kargo_objects *cur;

/* ---- Values ---------------------------------------------------------------- */

static struct fd_expr_val strvals_new(void)
{
    struct fd_expr_val m = fd_expr_map_new(0);

    m.u.m->strvals = true;
    return m;
}

static void put_str(struct fd_expr_val m, const char *key, const char *s)
{
    fd_expr_map_set(m, key, strlen(key), fd_expr_str_cstr(s ? s : ""));
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A pointer to Kargo struct id filled from its JSON object: each field
 * from the JSON name the struct's tag gives. */
static struct fd_expr_val struct_from(const json_t *o, unsigned id)
{
    const char *name;
    size_t n = 0;
    const struct fd_expr_gofield *f = fd_expr_gostruct_fields(id, &name, &n);
    struct fd_expr_val m = fd_expr_gostruct_new(id, true, false);

    for (size_t i = 0; i < n; i++)
        if (f[i].kind == FD_T_STRING)
            put_str(m, f[i].go, jstr(o, f[i].json));
    return m;
}

/* A JSON object of strings as a map[string]string (no object: a nil one). */
static struct fd_expr_val strmap_from(const json_t *o)
{
    struct fd_expr_val m = strvals_new();
    const char *k;
    json_t *v;

    m.u.m->isnil = !json_is_object(o);

    json_object_foreach((json_t *)(uintptr_t)o, k, v)
    {
        if (json_is_string(v))
            fd_expr_map_set(m, k, strlen(k),
                            fd_expr_str_new(json_string_value(v), json_string_length(v)));
    }
    return m;
}

/* ---- Arguments ---------------------------------------------------------------- */

static bool no_objects(struct fd_expr_ctx *ctx, const char *fn)
{
    return fd_expr_fail(ctx,
                        "%s() reads the Stage's Freight and the project's objects, which this "
                        "evaluation was not given (analyze --stage gives them)",
                        fn);
}

/* A FreightOrigin as warehouse() makes it. */
static bool origin_of(struct fd_expr_val v, const char **kind, const char **name)
{
    struct fd_expr_val k, n;

    if (v.kind != FD_VAL_MAP || v.u.m->gostruct != FD_EXPR_GOSTRUCT_ORIGIN || v.u.m->ptr ||
        !fd_expr_map_get(v.u.m, "Kind", 4, &k) || !fd_expr_map_get(v.u.m, "Name", 4, &n))
        return false;
    *kind = k.u.s->data;
    *name = n.u.s->data;
    return true;
}

/* ---- Lookups ---------------------------------------------------------------- */

/* The object, or NULL: *failed says whether it was an error (message in
 * *err, the caller frees) or absence. */
static json_t *get_in(const char *kind, const char *ns, const char *name, bool *failed, char **err)
{
    *err = NULL;
    json_t *o =
        cur->get ? cur->get(cur->ud, kind, ns ? ns : (cur->project ? cur->project : ""), name, err)
                 : NULL;
    *failed = !o && *err;
    return o;
}

static json_t *get(const char *kind, const char *name, bool *failed, char **err)
{
    *err = NULL;
    json_t *o = get_in(kind, NULL, name, failed, err);
    *failed = !o && *err;
    return o;
}

/* ---- urls.NormalizeGit (pkg/urls/git.go) ------------------------------------- */

static bool printable_ascii_or_utf8(unsigned char c)
{
    return c >= 0x20 && c != 0x7f;
}

/* Trims a trailing "/" then ".git" from the path part [p, end). */
static void trim_path(struct fd_buf *b, size_t path_start)
{
    if (b->len > path_start && b->data[b->len - 1] == '/')
        b->len--;
    if (b->len >= path_start + 4 && memcmp(b->data + b->len - 4, ".git", 4) == 0)
        b->len -= 4;
    b->data[b->len] = '\0';
}

/* The normalized form of a Git URL (lower case, no credentials, no trailing
 * "/" or ".git", scp syntax as ssh://). The caller frees. */
static char *normalize_git(const char *repo)
{
    struct fd_buf s = FD_BUF_INIT, b = FD_BUF_INIT;
    size_t i, start, end;

    for (i = 0; repo[i]; i++) {
        unsigned char c = (unsigned char)repo[i];
        if (printable_ascii_or_utf8(c))
            fd_buf_putc(&s, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
    const char *r = s.data ? s.data : "";
    for (start = 0; r[start] == ' '; start++)
        ;
    for (end = s.len; end > start && r[end - 1] == ' '; end--)
        ;
    fd_buf_append(&b, r + start, end - start);
    fd_buf_free(&s);
    const char *u = fd_buf_cstr(&b);
    bool http = strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
    if (http || strncmp(u, "ssh://", 6) == 0) {
        if (strchr(u, '?'))
            goto orig;
        const char *host = strstr(u, "://") + 3;
        const char *slash = strchr(host, '/');
        const char *at = strchr(host, '@');
        struct fd_buf o = FD_BUF_INIT;
        fd_buf_append(&o, u, (size_t)(host - u));
        if (http && at && (!slash || at < slash))
            host = at + 1; /* the user info goes */
        if (slash) {
            fd_buf_append(&o, host, (size_t)(slash - host));
            size_t ps = o.len;
            fd_buf_puts(&o, slash);
            trim_path(&o, ps);
        } else {
            fd_buf_puts(&o, host);
        }
        fd_buf_free(&b);
        return fd_buf_steal(&o);
    }
    /* scp syntax: [user@]host[:path] */
    const char *colon = strchr(u, ':');
    size_t hl = colon ? (size_t)(colon - u) : strlen(u);
    for (i = 0; i < hl; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '@'))
            goto orig;
    }
    if (!hl)
        goto orig;
    struct fd_buf o = FD_BUF_INIT;
    fd_buf_puts(&o, "ssh://");
    fd_buf_append(&o, u, hl);
    if (colon && colon[1]) {
        fd_buf_putc(&o, '/');
        size_t ps = o.len;
        fd_buf_puts(&o, colon + 1);
        trim_path(&o, ps);
        if (o.len == ps) { /* nothing left of the path */
            o.len--;
            o.data[o.len] = '\0';
        }
    }
    fd_buf_free(&b);
    return fd_buf_steal(&o);
orig:
    fd_buf_free(&b);
    return fd_xstrdup(repo);
}

/* ---- finder.go ------------------------------------------------------------------ */

enum what { W_COMMIT, W_IMAGE, W_CHART, W_ARTIFACT };

/* Does Warehouse subscription sub provide what is asked? */
static bool sub_matches(const json_t *sub, enum what w, const char *key, const char *chart)
{
    switch (w) {
    case W_COMMIT: {
        const char *u = jstr(json_object_get(sub, "git"), "repoURL");
        if (!u)
            return false;
        char *n = normalize_git(u);
        bool eq = strcmp(n, key) == 0;
        free(n);
        return eq;
    }
    case W_IMAGE:
        return fd_streq(jstr(json_object_get(sub, "image"), "repoURL"), key);
    case W_CHART: {
        const json_t *c = json_object_get(sub, "chart");
        const char *n = jstr(c, "name");
        return json_is_object(c) && fd_streq(jstr(c, "repoURL"), key) &&
               strcmp(n ? n : "", chart ? chart : "") == 0;
    }
    case W_ARTIFACT: {
        /* a generic subscription: one key naming its type, not git/image/chart */
        const char *k;
        json_t *v;
        if (json_object_get(sub, "git") || json_object_get(sub, "image") ||
            json_object_get(sub, "chart"))
            return false;
        json_object_foreach((json_t *)(uintptr_t)sub, k, v)
        {
            if (json_is_object(v))
                return fd_streq(jstr(v, "name"), key);
        }
        return false;
    }
    }
    return false;
}

static char *ambiguous(enum what w, const char *key)
{
    switch (w) {
    case W_COMMIT:
        return fd_xasprintf("multiple requested Freight could potentially provide a commit from "
                            "repo %s; please update promotion steps to disambiguate",
                            key);
    case W_IMAGE:
        return fd_xasprintf("multiple requested Freight could potentially provide a container "
                            "image from repository %s: please provide a Freight origin to "
                            "disambiguate",
                            key);
    case W_CHART:
        return fd_xasprintf("multiple requested Freight could potentially provide a chart from "
                            "repository %s: please provide a Freight origin to disambiguate",
                            key);
    case W_ARTIFACT:
        break;
    }
    struct fd_buf q = FD_BUF_INIT;
    fd_expr_bi_go_quote(&q, key, strlen(key)); /* %q */
    char *msg = fd_xasprintf("multiple requested Freight could potentially provide a %s "
                             "artifact; please update promotion steps to disambiguate",
                             fd_buf_cstr(&q));
    fd_buf_free(&q);
    return msg;
}

/* The item of the Freight that matches, or NULL in *found; false with
 * Kargo's message in *err (the caller frees). */
static bool find(enum what w, const char *key, const char *chart, const char *okind,
                 const char *oname, const json_t **found, char **err)
{
    const char *project = cur->project ? cur->project : "";
    static const char *const lists[] = {[W_COMMIT] = "commits",
                                        [W_IMAGE] = "images",
                                        [W_CHART] = "charts",
                                        [W_ARTIFACT] = "artifacts"};

    *found = NULL;
    *err = NULL;
    if (!oname) {
        for (size_t i = 0; i < json_array_size(cur->requested_freight); i++) {
            const json_t *origin =
                json_object_get(json_array_get(cur->requested_freight, i), "origin");
            const char *wn = jstr(origin, "name");
            bool failed;
            char *gerr;
            wn = wn ? wn : "";
            json_t *wh = get("Warehouse", wn, &failed, &gerr);
            if (failed) {
                /* api.GetWarehouse's error; FindCommit and FindArtifact
                 * wrap it once more */
                char *e = fd_xasprintf("error getting Warehouse \"%s\" in namespace \"%s\": %s", wn,
                                       project, gerr);
                free(gerr);
                if (w == W_COMMIT || w == W_ARTIFACT) {
                    *err = fd_xasprintf("error getting Warehouse \"%s\" in namespace \"%s\": %s",
                                        wn, project, e);
                    free(e);
                } else {
                    *err = e;
                }
                return false;
            }
            if (!wh) {
                *err = fd_xasprintf("Warehouse \"%s\" not found in namespace \"%s\"", wn, project);
                return false;
            }
            const json_t *subs = json_object_get(json_object_get(wh, "spec"), "subscriptions");
            bool ambiguous_hit = false;
            for (size_t s = 0; s < json_array_size(subs) && !ambiguous_hit; s++) {
                if (!sub_matches(json_array_get(subs, s), w, key, chart))
                    continue;
                if (oname) {
                    ambiguous_hit = true;
                    break;
                }
                okind = jstr(origin, "kind");
                oname = wn;
            }
            json_decref(wh);
            if (ambiguous_hit) {
                *err = ambiguous(w, key);
                return false;
            }
        }
        if (!oname && w == W_CHART) {
            if (!chart || !*chart) {
                *err = fd_xasprintf("chart from repo %s not found in referenced Freight", key);
            } else {
                struct fd_buf q = FD_BUF_INIT;
                fd_expr_bi_go_quote(&q, chart, strlen(chart));
                *err = fd_xasprintf("chart %s from repo %s not found in referenced Freight",
                                    fd_buf_cstr(&q), key);
                fd_buf_free(&q);
            }
            return false;
        }
        if (!oname)
            return true;
    }
    /* The collection: an object keyed by origin, or an array. */
    const json_t *refs = cur->freight;
    size_t n = json_is_array(refs) ? json_array_size(refs) : json_object_size(refs);
    void *it = json_is_object(refs) ? json_object_iter((json_t *)(uintptr_t)refs) : NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *f;
        if (json_is_array(refs)) {
            f = json_array_get(refs, i);
        } else {
            f = json_object_iter_value(it);
            it = json_object_iter_next((json_t *)(uintptr_t)refs, it);
        }
        const json_t *o = json_object_get(f, "origin");
        const char *fk = jstr(o, "kind"), *fn = jstr(o, "name");
        if (strcmp(fk ? fk : "", okind ? okind : "") != 0 ||
            strcmp(fn ? fn : "", oname ? oname : "") != 0)
            continue;
        const json_t *items = json_object_get(f, lists[w]);
        for (size_t k = 0; k < json_array_size(items); k++) {
            const json_t *x = json_array_get(items, k);
            bool hit = false;
            if (w == W_COMMIT) {
                const char *u = jstr(x, "repoURL");
                char *nu = normalize_git(u ? u : "");
                hit = strcmp(nu, key) == 0;
                free(nu);
            } else if (w == W_IMAGE) {
                hit = fd_streq(jstr(x, "repoURL"), key);
            } else if (w == W_CHART) {
                const char *cn = jstr(x, "name");
                hit = fd_streq(jstr(x, "repoURL"), key) &&
                      strcmp(cn ? cn : "", chart ? chart : "") == 0;
            } else {
                hit = fd_streq(jstr(x, "subscriptionName"), key);
            }
            if (hit) {
                *found = x;
                return true;
            }
        }
    }
    return true;
}

/* ---- The Freight functions ---------------------------------------------------- */

/* The Go types Kargo declares (functions.go): the checker knows the
 * struct each returns, though the function returns a pointer to it. */
#define T_STRUCT(id)                       \
    {                                      \
        FD_T_STRUCT, FD_EXPR_GOSTRUCT_##id \
    }
static const struct fd_expr_bi_sig sig_commit[] = {
    {2, {FD_P_STRING, FD_P_ORIGIN}, T_STRUCT(COMMIT)}, {1, {FD_P_STRING}, T_STRUCT(COMMIT)}};
static const struct fd_expr_bi_sig sig_image[] = {{2, {FD_P_STRING, FD_P_ORIGIN}, T_STRUCT(IMAGE)},
                                                  {1, {FD_P_STRING}, T_STRUCT(IMAGE)}};
static const struct fd_expr_bi_sig sig_artifact[] = {
    {2, {FD_P_STRING, FD_P_ORIGIN}, T_STRUCT(ARTIFACT)}, {1, {FD_P_STRING}, T_STRUCT(ARTIFACT)}};
static const struct fd_expr_bi_sig sig_chart[] = {
    {3, {FD_P_STRING, FD_P_STRING, FD_P_ORIGIN}, T_STRUCT(CHART)},
    {2, {FD_P_STRING, FD_P_STRING}, T_STRUCT(CHART)},
    {2, {FD_P_STRING, FD_P_ORIGIN}, T_STRUCT(CHART)},
    {1, {FD_P_STRING}, T_STRUCT(CHART)}};
static const struct fd_expr_bi_sig sig_warehouse[] = {{1, {FD_P_STRING}, T_STRUCT(ORIGIN)}};
static const struct fd_expr_bi_sig sig_name_map[] = {{1, {FD_P_STRING}, {FD_T_MAP, FD_T_ANY}}};

#define NAME_CHECK(fn, name, sigs, n)                                      \
    FD_BI_CHECK(fn)                                                        \
    {                                                                      \
        return fd_expr_bi_check_sigs(tc, name, sigs, n, args, nargs, ret); \
    }
NAME_CHECK(fd_expr_bi_commit_from_check, "commitFrom", sig_commit, 2)
NAME_CHECK(fd_expr_bi_image_from_check, "imageFrom", sig_image, 2)
NAME_CHECK(fd_expr_bi_artifact_from_check, "artifactFrom", sig_artifact, 2)
NAME_CHECK(fd_expr_bi_chart_from_check, "chartFrom", sig_chart, 4)
NAME_CHECK(fd_expr_bi_warehouse_check, "warehouse", sig_warehouse, 1)
NAME_CHECK(fd_expr_bi_freight_metadata_check, "freightMetadata", sig_name_map, 1)
NAME_CHECK(fd_expr_bi_stage_metadata_check, "stageMetadata", sig_name_map, 1)
NAME_CHECK(fd_expr_bi_config_map_check, "configMap", sig_name_map, 1)
NAME_CHECK(fd_expr_bi_secret_check, "secret", sig_name_map, 1)
NAME_CHECK(fd_expr_bi_shared_config_map_check, "sharedConfigMap", sig_name_map, 1)
NAME_CHECK(fd_expr_bi_shared_secret_check, "sharedSecret", sig_name_map, 1)

FD_BI_CALL(fd_expr_bi_warehouse)
{
    if (nargs != 1)
        return fd_expr_fail(ctx, "expected 1 argument, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "argument must be string, got %s", fd_expr_go_type(args[0]));
    if (!args[0].u.s->len)
        return fd_expr_fail(ctx, "name must not be empty");
    struct fd_expr_val kind = fd_expr_str_cstr("Warehouse");

    kind.tag = FD_EXPR_TAG_ORIGIN_KIND;
    *out = fd_expr_gostruct_new(FD_EXPR_GOSTRUCT_ORIGIN, false, false);
    fd_expr_map_set(*out, "Kind", 4, kind);
    fd_expr_map_set(*out, "Name", 4, fd_expr_val_ref(args[0]));
    return true;
}

/* A found item as the Go value the function returns: a *GitCommit, *Image
 * or *Chart (freight.FindCommit...), an expressionFriendlyArtifactReference. */
static struct fd_expr_val item_value(enum what w, const json_t *x)
{
    struct fd_expr_val v;

    switch (w) {
    case W_COMMIT:
        return struct_from(x, FD_EXPR_GOSTRUCT_COMMIT);
    case W_IMAGE:
        v = struct_from(x, FD_EXPR_GOSTRUCT_IMAGE);
        fd_expr_map_set(v, "Annotations", 11, strmap_from(json_object_get(x, "annotations")));
        return v;
    case W_CHART:
        return struct_from(x, FD_EXPR_GOSTRUCT_CHART);
    case W_ARTIFACT:
        break;
    }
    /* Metadata decoded as JSON into a map[string]any, empty when absent */
    const json_t *md = json_object_get(x, "metadata");
    v = fd_expr_gostruct_new(FD_EXPR_GOSTRUCT_ARTIFACT, false, false);
    put_str(v, "ArtifactType", jstr(x, "artifactType"));
    put_str(v, "SubscriptionName", jstr(x, "subscriptionName"));
    put_str(v, "Version", jstr(x, "version"));
    fd_expr_map_set(v, "Metadata", 8,
                    json_is_object(md) ? fd_expr_from_json(md, true) : fd_expr_map_new(0));
    return v;
}

/* What the function returns when no Freight has the item: a typed nil
 * pointer (the finders return a nil *GitCommit...), or artifactFrom's nil. */
static struct fd_expr_val none_value(enum what w)
{
    static const uint8_t types[] = {[W_COMMIT] = FD_EXPR_GOSTRUCT_COMMIT,
                                    [W_IMAGE] = FD_EXPR_GOSTRUCT_IMAGE,
                                    [W_CHART] = FD_EXPR_GOSTRUCT_CHART};
    return w == W_ARTIFACT ? fd_expr_nil() : fd_expr_gostruct_new(types[w], true, true);
}

static bool finish(struct fd_expr_ctx *ctx, enum what w, bool ok, const json_t *x, char *err,
                   const char *key, struct fd_expr_val *out)
{
    if (!ok) {
        if (w == W_ARTIFACT)
            fd_expr_fail(ctx, "error finding artifact from subscription %s: %s", key, err);
        else
            fd_expr_fail(ctx, "%s", err);
        free(err);
        return false;
    }
    *out = x ? item_value(w, x) : none_value(w);
    return true;
}

/* commitFrom, imageFrom, artifactFrom: (key, [origin]). */
static bool from_freight(struct fd_expr_ctx *ctx, const char *fn, enum what w,
                         const struct fd_expr_val *args, size_t nargs, struct fd_expr_val *out)
{
    const char *okind = NULL, *oname = NULL;
    const json_t *x;
    char *err;

    if (nargs == 0 || nargs > 2)
        return fd_expr_fail(ctx, "expected 1-2 arguments, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "first argument must be string, got %s", fd_expr_go_type(args[0]));
    if (nargs == 2 && !origin_of(args[1], &okind, &oname))
        return fd_expr_fail(ctx, "second argument must be FreightOrigin, got %s",
                            fd_expr_go_type(args[1]));
    if (!cur)
        return no_objects(ctx, fn);
    char *key = w == W_COMMIT ? normalize_git(args[0].u.s->data) : fd_xstrdup(args[0].u.s->data);
    bool ok = find(w, key, NULL, okind, oname, &x, &err);
    ok = finish(ctx, w, ok, x, err, args[0].u.s->data, out);
    free(key);
    return ok;
}

FD_BI_CALL(fd_expr_bi_commit_from)
{
    return from_freight(ctx, "commitFrom", W_COMMIT, args, nargs, out);
}
FD_BI_CALL(fd_expr_bi_image_from)
{
    return from_freight(ctx, "imageFrom", W_IMAGE, args, nargs, out);
}
FD_BI_CALL(fd_expr_bi_artifact_from)
{
    return from_freight(ctx, "artifactFrom", W_ARTIFACT, args, nargs, out);
}

FD_BI_CALL(fd_expr_bi_chart_from)
{
    const char *okind = NULL, *oname = NULL, *chart = "";
    const json_t *x;
    char *err;

    if (nargs == 0 || nargs > 3)
        return fd_expr_fail(ctx, "expected 1-3 arguments, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "first argument must be string, got %s", fd_expr_go_type(args[0]));
    if (nargs >= 2) {
        if (fd_expr_is_go_string(args[1]))
            chart = args[1].u.s->data;
        else if (!origin_of(args[1], &okind, &oname))
            return fd_expr_fail(ctx, "second argument must be string or FreightOrigin, got %s",
                                fd_expr_go_type(args[1]));
    }
    if (nargs == 3) {
        if (!*chart)
            return fd_expr_fail(ctx,
                                "when using three arguments, second argument must be string, "
                                "got %s",
                                fd_expr_go_type(args[1]));
        if (!origin_of(args[2], &okind, &oname))
            return fd_expr_fail(ctx, "third argument must be FreightOrigin, got %s",
                                fd_expr_go_type(args[2]));
    }
    if (!cur)
        return no_objects(ctx, "chartFrom");
    bool ok = find(W_CHART, args[0].u.s->data, chart, okind, oname, &x, &err);
    return finish(ctx, W_CHART, ok, x, err, args[0].u.s->data, out);
}

/* ---- Metadata, ConfigMaps, Secrets --------------------------------------------- */

/* status.metadata of a Freight or Stage, each value JSON-decoded. */
static bool metadata(struct fd_expr_ctx *ctx, const char *fn, const char *kind, const char *lower,
                     const char *argmsg, const char *emptymsg, const struct fd_expr_val *args,
                     size_t nargs, struct fd_expr_val *out)
{
    bool failed;
    char *err;

    if (nargs != 1)
        return fd_expr_fail(ctx, "expected 1 argument, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "%s must be string, got %s", argmsg, fd_expr_go_type(args[0]));
    if (!args[0].u.s->len)
        return fd_expr_fail(ctx, "%s", emptymsg);
    if (!cur)
        return no_objects(ctx, fn);
    json_t *o = get(kind, args[0].u.s->data, &failed, &err);
    if (failed) {
        fd_expr_fail(ctx, "failed to get %s %s: %s", lower, args[0].u.s->data, err);
        free(err);
        return false;
    }
    const json_t *md = json_object_get(json_object_get(o, "status"), "metadata");
    /* A value that is JSON null reaches Kargo as an apiextensionsv1.JSON
     * with no bytes, which json.Unmarshal refuses. */
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)(uintptr_t)md, k, v)
    {
        if (json_is_null(v)) {
            fd_expr_fail(ctx,
                         "failed to unmarshal metadata value for key %s: unexpected end of "
                         "JSON input",
                         k);
            json_decref(o);
            return false;
        }
    }
    *out = json_is_object(md) ? fd_expr_from_json(md, true) : fd_expr_nil();
    json_decref(o);
    return true;
}

FD_BI_CALL(fd_expr_bi_freight_metadata)
{
    return metadata(ctx, "freightMetadata", "Freight", "freight", "first argument",
                    "freight ref name must not be empty", args, nargs, out);
}

FD_BI_CALL(fd_expr_bi_stage_metadata)
{
    return metadata(ctx, "stageMetadata", "Stage", "stage", "argument",
                    "stage name must not be empty", args, nargs, out);
}

static void remember_secret(const char *s, size_t len)
{
    if (!len)
        return;
    if (!cur->secrets)
        cur->secrets = json_array();
    json_array_append_new(cur->secrets, json_stringn_nocheck(s, len));
}

/* configMap(name) and secret(name): the data as a map[string]string, empty
 * when the object does not exist; shared: from the shared resources
 * namespace, where a Secret counts only when it is a generic credential
 * (kargo.akuity.io/cred-type: generic, getSecret's hasDirectAccess). */
static bool data_of(struct fd_expr_ctx *ctx, bool secret, bool shared,
                    const struct fd_expr_val *args, size_t nargs, struct fd_expr_val *out)
{
    const char *kind = secret ? "Secret" : "ConfigMap";
    const char *fn =
        shared ? (secret ? "sharedSecret" : "sharedConfigMap") : (secret ? "secret" : "configMap");
    bool failed;
    char *err;

    if (nargs != 1)
        return fd_expr_fail(ctx, "expected 1 argument, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "argument must be string, got %s", fd_expr_go_type(args[0]));
    if (!cur)
        return no_objects(ctx, fn);
    const char *ns = !shared                 ? NULL
                     : cur->shared_namespace ? cur->shared_namespace
                                             : "kargo-shared-resources";
    json_t *o = get_in(kind, ns, args[0].u.s->data, &failed, &err);
    if (failed) {
        fd_expr_fail(ctx, "failed to get %s %s: %s", secret ? "secret" : "configmap",
                     args[0].u.s->data, err);
        free(err);
        return false;
    }
    *out = strvals_new();
    if (shared && secret &&
        !fd_streq(jstr(json_object_get(json_object_get(o, "metadata"), "labels"),
                       "kargo.akuity.io/cred-type"),
                  "generic")) {
        json_decref(o);
        return true;
    }
    const json_t *data = json_object_get(o, "data");
    /* a ConfigMap with no data gives its nil Data (JSON null); a missing
     * one, and any Secret, a map made for the purpose */
    out->u.m->isnil = o && !secret && !json_is_object(data);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)data, k, v)
    {
        if (!json_is_string(v))
            continue;
        if (!secret) {
            fd_expr_map_set(*out, k, strlen(k),
                            fd_expr_str_new(json_string_value(v), json_string_length(v)));
            continue;
        }
        size_t len = 0;
        unsigned char *bytes =
            fd_base64_decode(json_string_value(v), json_string_length(v), 0, &len);
        if (!bytes)
            continue; /* the API server stores base64; a bad value cannot come from it */
        remember_secret((const char *)bytes, len);
        fd_expr_map_set(*out, k, strlen(k), fd_expr_str_new((const char *)bytes, len));
        memset(bytes, 0, len);
        free(bytes);
    }
    json_decref(o);
    return true;
}

FD_BI_CALL(fd_expr_bi_config_map)
{
    return data_of(ctx, false, false, args, nargs, out);
}

FD_BI_CALL(fd_expr_bi_secret)
{
    return data_of(ctx, true, false, args, nargs, out);
}

FD_BI_CALL(fd_expr_bi_shared_config_map)
{
    return data_of(ctx, false, true, args, nargs, out);
}

FD_BI_CALL(fd_expr_bi_shared_secret)
{
    return data_of(ctx, true, true, args, nargs, out);
}

/* ---- Semantic versions (Masterminds/semver v3.4.0, NewVersion) -------------- */

struct semver {
    uint64_t major, minor, patch;
    char pre[128], meta[128];
    bool v; /* the original starts with "v" */
};

static bool ident_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated identifiers of ident_char from s; the length consumed (0: none). */
static size_t idents(const char *s, size_t len)
{
    size_t i = 0;

    for (;;) {
        size_t st = i;
        while (i < len && ident_char(s[i]))
            i++;
        if (i == st)
            return 0;
        if (i < len && s[i] == '.' && i + 1 < len && ident_char(s[i + 1])) {
            i++;
            continue;
        }
        return i;
    }
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* strconv.ParseUint(s, 10, 64); false on overflow. */
static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* NewVersion with CoerceNewVersion (the loose pattern
 * v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-ids)?(\+ids)?). false with the error
 * text Masterminds gives in err. */
static bool semver_parse(const char *s, size_t len, struct semver *v, char *err, size_t errlen)
{
    size_t i = 0, seg[3][2] = {{0, 0}, {0, 0}, {0, 0}};
    int nseg = 0;

    memset(v, 0, sizeof(*v));
    if (i < len && s[i] == 'v') {
        v->v = true;
        i++;
    }
    while (nseg < 3) {
        if (nseg > 0) {
            if (i + 1 < len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
                i++;
            else
                break;
        }
        size_t st = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st)
            goto invalid;
        seg[nseg][0] = st;
        seg[nseg++][1] = i - st;
    }
    size_t pre = 0, prelen = 0, meta = 0, metalen = 0;
    if (i < len && s[i] == '-') {
        pre = i + 1;
        prelen = idents(s + pre, len - pre);
        if (!prelen)
            goto invalid;
        i = pre + prelen;
    }
    if (i < len && s[i] == '+') {
        meta = i + 1;
        metalen = idents(s + meta, len - meta);
        if (!metalen)
            goto invalid;
        i = meta + metalen;
    }
    if (i != len)
        goto invalid;
    uint64_t *dst[3] = {&v->major, &v->minor, &v->patch};
    for (int k = 0; k < nseg; k++)
        if (!parse_u64(s + seg[k][0], seg[k][1], dst[k])) {
            snprintf(err, errlen,
                     "error parsing version segment: strconv.ParseUint: parsing \"%.*s\": value "
                     "out of range",
                     (int)seg[k][1], s + seg[k][0]);
            return false;
        }
    if (prelen >= sizeof(v->pre) || metalen >= sizeof(v->meta)) {
        snprintf(err, errlen, "invalid semantic version");
        return false;
    }
    memcpy(v->pre, s + pre, prelen);
    memcpy(v->meta, s + meta, metalen);
    /* validatePrerelease: a numeric identifier has no leading zero */
    for (size_t p = 0; p < prelen;) {
        size_t e = p;
        while (e < prelen && v->pre[e] != '.')
            e++;
        if (all_digits(v->pre + p, e - p) && e - p > 1 && v->pre[p] == '0') {
            snprintf(err, errlen, "version segment starts with 0");
            return false;
        }
        p = e + 1;
    }
    return true;
invalid:
    snprintf(err, errlen, "invalid semantic version");
    return false;
}

static void semver_string(struct fd_buf *b, const struct semver *v)
{
    fd_buf_printf(b, "%llu.%llu.%llu", (unsigned long long)v->major, (unsigned long long)v->minor,
                  (unsigned long long)v->patch);
    if (v->pre[0])
        fd_buf_printf(b, "-%s", v->pre);
    if (v->meta[0])
        fd_buf_printf(b, "+%s", v->meta);
}

bool fd_expr_semver_string(struct fd_buf *b, const char *s, size_t len)
{
    struct semver v;
    char err[160];

    if (!semver_parse(s, len, &v, err, sizeof(err)))
        return false;
    semver_string(b, &v);
    return true;
}

static const struct fd_expr_bi_sig sig_semver_diff[] = {
    {2, {FD_P_STRING, FD_P_STRING}, {FD_T_STRING, FD_T_ANY}}};
static const struct fd_expr_bi_sig sig_semver_parse[] = {
    {1, {FD_P_STRING}, {FD_T_STRUCT, FD_EXPR_GOSTRUCT_SEMVER | FD_T_PTR}}};
NAME_CHECK(fd_expr_bi_semver_diff_check, "semverDiff", sig_semver_diff, 1)
NAME_CHECK(fd_expr_bi_semver_parse_check, "semverParse", sig_semver_parse, 1)

FD_BI_CALL(fd_expr_bi_semver_diff)
{
    struct semver a, b;
    char err[160];
    const char *d = "None";

    if (nargs != 2)
        return fd_expr_fail(ctx, "expected 2 arguments, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "first argument must be string, got %s", fd_expr_go_type(args[0]));
    if (!fd_expr_is_go_string(args[1]))
        return fd_expr_fail(ctx, "second argument must be string, got %s",
                            fd_expr_go_type(args[1]));
    if (!semver_parse(args[0].u.s->data, args[0].u.s->len, &a, err, sizeof(err)) ||
        !semver_parse(args[1].u.s->data, args[1].u.s->len, &b, err, sizeof(err)))
        d = "Incomparable";
    else if (a.major != b.major)
        d = "Major";
    else if (a.minor != b.minor)
        d = "Minor";
    else if (a.patch != b.patch)
        d = "Patch";
    else if (strcmp(a.meta, b.meta) != 0)
        d = "Metadata";
    *out = fd_expr_str_cstr(d);
    return true;
}

FD_BI_CALL(fd_expr_bi_semver_parse)
{
    struct semver v;
    char err[160];

    if (nargs != 1)
        return fd_expr_fail(ctx, "expected 1 argument, got %zu", nargs);
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_fail(ctx, "argument must be string, got %s", fd_expr_go_type(args[0]));
    if (!semver_parse(args[0].u.s->data, args[0].u.s->len, &v, err, sizeof(err)))
        return fd_expr_fail(ctx, "invalid semantic version: %s", err);
    /* a *semver.Version: a new one each time (a map key compares the
     * pointer) */
    *out = fd_expr_str_new(args[0].u.s->data, args[0].u.s->len);
    out->tag = FD_EXPR_TAG_SEMVER;
    return true;
}

/* ---- *semver.Version's methods (receiver: the version's text) ------------- */

enum vm { /* *semver.Version's methods; the comparisons, VM_LT on, take another */
          VM_MAJOR,
          VM_MINOR,
          VM_PATCH,
          VM_PRE,
          VM_META,
          VM_ORIGINAL,
          VM_STRING,
          VM_INC_MAJOR,
          VM_INC_MINOR,
          VM_INC_PATCH,
          VM_LT,
          VM_LE,
          VM_GT,
          VM_GE,
          VM_EQ,
          VM_CMP
};

/* Each method's result type, and whether its receiver is the pointer
 * (Masterminds v3.4.0 version.go): a semver.Version value has only the
 * methods of a value receiver. */
#define T_SEMVER                             \
    {                                        \
        FD_T_STRUCT, FD_EXPR_GOSTRUCT_SEMVER \
    }
#define T_UINT64              \
    {                         \
        FD_T_INT, FD_T_UINT64 \
    }
#define T_(kind)       \
    {                  \
        kind, FD_T_ANY \
    }
static const struct {
    const char *name;
    struct fd_expr_type ret;
    bool ptr;
} vms[] = {
    [VM_MAJOR] = {"Major", T_UINT64, false},
    [VM_MINOR] = {"Minor", T_UINT64, false},
    [VM_PATCH] = {"Patch", T_UINT64, false},
    [VM_PRE] = {"Prerelease", T_(FD_T_STRING), false},
    [VM_META] = {"Metadata", T_(FD_T_STRING), false},
    [VM_ORIGINAL] = {"Original", T_(FD_T_STRING), true},
    [VM_STRING] = {"String", T_(FD_T_STRING), false},
    [VM_INC_MAJOR] = {"IncMajor", T_SEMVER, false},
    [VM_INC_MINOR] = {"IncMinor", T_SEMVER, false},
    [VM_INC_PATCH] = {"IncPatch", T_SEMVER, false},
    [VM_LT] = {"LessThan", T_(FD_T_BOOL), true},
    [VM_LE] = {"LessThanEqual", T_(FD_T_BOOL), true},
    [VM_GT] = {"GreaterThan", T_(FD_T_BOOL), true},
    [VM_GE] = {"GreaterThanEqual", T_(FD_T_BOOL), true},
    [VM_EQ] = {"Equal", T_(FD_T_BOOL), true},
    [VM_CMP] = {"Compare", T_(FD_T_INT), true},
};
#undef T_

bool fd_expr_semver_has_method(const char *name, size_t len, bool ptr)
{
    for (size_t m = 0; m < FD_ARRAY_SIZE(vms); m++)
        if (strlen(vms[m].name) == len && memcmp(vms[m].name, name, len) == 0)
            return ptr || !vms[m].ptr;
    return false;
}

static bool vm_check(struct fd_expr_tctx *tc, enum vm m, const struct fd_expr_type *args,
                     size_t nargs, struct fd_expr_type *ret)
{
    /* (the builtin table counts them: one more than the receiver for the
     * comparisons, none for the rest); the other version is a
     * *semver.Version, nil, or of a type the checker does not know */
    struct fd_expr_type want = fd_expr_t_struct(FD_EXPR_GOSTRUCT_SEMVER, true);
    if (nargs == 2 && args[1].kind != FD_T_ANY && args[1].kind != FD_T_NIL &&
        (args[1].kind != want.kind || args[1].elem != want.elem))
        return fd_expr_check_fail(tc, 0,
                                  "cannot use %s as argument (type *semver.Version) to "
                                  "call %s ",
                                  fd_expr_tname(args[1]), vms[m].name);
    *ret = vms[m].ret;
    return true;
}

/* prerelease comparison (comparePrerelease / comparePrePart) */
static int cmp_pre_part(const char *s, size_t sl, const char *o, size_t ol)
{
    uint64_t si = 0, oi = 0;
    bool sn, on;

    if (sl == ol && memcmp(s, o, sl) == 0)
        return 0;
    if (!sl)
        return -1;
    if (!ol)
        return 1;
    on = all_digits(o, ol) && parse_u64(o, ol, &oi);
    sn = all_digits(s, sl) && parse_u64(s, sl, &si);
    if (!on && !sn) {
        int c = memcmp(s, o, sl < ol ? sl : ol);
        return c > 0 || (c == 0 && sl > ol) ? 1 : -1;
    }
    if (!on)
        return -1;
    if (!sn)
        return 1;
    return si > oi ? 1 : -1;
}

static int semver_cmp(const struct semver *a, const struct semver *b)
{
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->patch != b->patch)
        return a->patch < b->patch ? -1 : 1;
    if (!a->pre[0] && !b->pre[0])
        return 0;
    if (!a->pre[0])
        return 1;
    if (!b->pre[0])
        return -1;
    const char *s = a->pre, *o = b->pre;
    for (;;) {
        const char *se = strchr(s, '.'), *oe = strchr(o, '.');
        size_t sl = se ? (size_t)(se - s) : strlen(s), ol = oe ? (size_t)(oe - o) : strlen(o);
        int d = cmp_pre_part(s, sl, o, ol);
        if (d)
            return d;
        if (!se && !oe)
            return 0;
        s = se ? se + 1 : s + sl;
        o = oe ? oe + 1 : o + ol;
    }
}

static bool vm_call(struct fd_expr_ctx *ctx, enum vm m, const struct fd_expr_val *args,
                    size_t nargs, struct fd_expr_val *out)
{
    struct semver v, o;
    char err[160];
    struct fd_buf b = FD_BUF_INIT;

    /* vm.go fetches the method from the receiver: a version has it (the
     * value only those of a value receiver), nothing else does */
    if (!fd_expr_is_semver(args[0]) || (vms[m].ptr && args[0].tag != FD_EXPR_TAG_SEMVER) ||
        !semver_parse(args[0].u.s->data, args[0].u.s->len, &v, err, sizeof(err)))
        return fd_expr_fail(ctx, "cannot fetch %s from %s", vms[m].name, fd_expr_go_type(args[0]));
    if (m >= VM_LT) { /* the comparisons take another *semver.Version */
        if (nargs == 2 && args[1].kind == FD_VAL_NIL) /* Compare reads o.major */
            return fd_expr_fail(ctx,
                                "runtime error: invalid memory address or nil pointer dereference");
        if (nargs != 2 || args[1].kind != FD_VAL_STRING || args[1].tag != FD_EXPR_TAG_SEMVER ||
            !semver_parse(args[1].u.s->data, args[1].u.s->len, &o, err, sizeof(err)))
            return fd_expr_fail(ctx, "reflect: Call using %s as type *semver.Version",
                                nargs == 2 ? fd_expr_go_type(args[1]) : "nothing");
    }
    switch (m) {
    case VM_MAJOR:
        *out = fd_expr_tagged_int((int64_t)v.major, FD_EXPR_TAG_UINT64);
        return true;
    case VM_MINOR:
        *out = fd_expr_tagged_int((int64_t)v.minor, FD_EXPR_TAG_UINT64);
        return true;
    case VM_PATCH:
        *out = fd_expr_tagged_int((int64_t)v.patch, FD_EXPR_TAG_UINT64);
        return true;
    case VM_PRE:
        *out = fd_expr_str_cstr(v.pre);
        return true;
    case VM_META:
        *out = fd_expr_str_cstr(v.meta);
        return true;
    case VM_ORIGINAL: /* the text, a plain string */
        *out = fd_expr_val_ref(args[0]);
        out->tag = 0;
        return true;
    case VM_STRING:
        semver_string(&b, &v);
        *out = fd_expr_str_from_buf(&b);
        return true;
    case VM_INC_MAJOR:
    case VM_INC_MINOR:
    case VM_INC_PATCH:
        if (m == VM_INC_MAJOR) {
            v.major++;
            v.minor = v.patch = 0;
        } else if (m == VM_INC_MINOR) {
            v.minor++;
            v.patch = 0;
        } else if (!v.pre[0]) {
            v.patch++;
        }
        v.pre[0] = v.meta[0] = '\0';
        if (v.v)
            fd_buf_putc(&b, 'v');
        semver_string(&b, &v);
        *out = fd_expr_str_from_buf(&b);
        out->tag = FD_EXPR_TAG_SEMVER_VAL; /* a Version, not a pointer */
        return true;
    case VM_LT:
        *out = fd_expr_bool(semver_cmp(&v, &o) < 0);
        return true;
    case VM_LE:
        *out = fd_expr_bool(semver_cmp(&v, &o) <= 0);
        return true;
    case VM_GT:
        *out = fd_expr_bool(semver_cmp(&v, &o) > 0);
        return true;
    case VM_GE:
        *out = fd_expr_bool(semver_cmp(&v, &o) >= 0);
        return true;
    case VM_EQ:
        *out = fd_expr_bool(semver_cmp(&v, &o) == 0);
        return true;
    case VM_CMP:
        *out = fd_expr_int(semver_cmp(&v, &o));
        return true;
    }
    return false;
}

#define VERSION_METHOD(id, call, check)            \
    FD_BI_CALL(call)                               \
    {                                              \
        return vm_call(ctx, id, args, nargs, out); \
    }                                              \
    FD_BI_CHECK(check)                             \
    {                                              \
        return vm_check(tc, id, args, nargs, ret); \
    }
VERSION_METHOD(VM_MAJOR, fd_expr_bi_v_major, fd_expr_bi_v_major_check)
VERSION_METHOD(VM_MINOR, fd_expr_bi_v_minor, fd_expr_bi_v_minor_check)
VERSION_METHOD(VM_PATCH, fd_expr_bi_v_patch, fd_expr_bi_v_patch_check)
VERSION_METHOD(VM_PRE, fd_expr_bi_v_prerelease, fd_expr_bi_v_prerelease_check)
VERSION_METHOD(VM_META, fd_expr_bi_v_metadata, fd_expr_bi_v_metadata_check)
VERSION_METHOD(VM_ORIGINAL, fd_expr_bi_v_original, fd_expr_bi_v_original_check)
VERSION_METHOD(VM_STRING, fd_expr_bi_v_string, fd_expr_bi_v_string_check)
VERSION_METHOD(VM_INC_MAJOR, fd_expr_bi_v_inc_major, fd_expr_bi_v_inc_major_check)
VERSION_METHOD(VM_INC_MINOR, fd_expr_bi_v_inc_minor, fd_expr_bi_v_inc_minor_check)
VERSION_METHOD(VM_INC_PATCH, fd_expr_bi_v_inc_patch, fd_expr_bi_v_inc_patch_check)
VERSION_METHOD(VM_LT, fd_expr_bi_v_less_than, fd_expr_bi_v_less_than_check)
VERSION_METHOD(VM_LE, fd_expr_bi_v_less_than_equal, fd_expr_bi_v_less_than_equal_check)
VERSION_METHOD(VM_GT, fd_expr_bi_v_greater_than, fd_expr_bi_v_greater_than_check)
VERSION_METHOD(VM_GE, fd_expr_bi_v_greater_than_equal, fd_expr_bi_v_greater_than_equal_check)
VERSION_METHOD(VM_EQ, fd_expr_bi_v_equal, fd_expr_bi_v_equal_check)
VERSION_METHOD(VM_CMP, fd_expr_bi_v_compare, fd_expr_bi_v_compare_check)

static char *query_escape(const char *s);

/* ---- The public entry ------------------------------------------------------------ */

int fd_expr_kargo_eval(const char *source, size_t len, enum fd_expr_mode mode, const fd_value *env,
                       struct fd_expr_kargo_objects *objs, fd_value **out,
                       struct fd_expr_error *err)
{
    struct fd_expr_kargo_objects *saved = cur;
    int rc;

    cur = objs;
    rc = fd_expr_eval(source, len, mode, env, out, err);
    cur = saved;
    if (rc != 0 && objs && fd_expr_kargo_has_secret(objs, err->message)) {
        char *r = fd_expr_kargo_redact(objs, err->message);
        fd_utf8_cut(err->message, sizeof(err->message),
                    snprintf(err->message, sizeof(err->message), "%s", r));
        free(r);
    }
    return rc;
}

bool fd_expr_kargo_has_secret(const struct fd_expr_kargo_objects *objs, const char *text)
{
    for (size_t i = 0; objs && text && i < json_array_size(objs->secrets); i++) {
        const char *s = json_string_value(json_array_get(objs->secrets, i));
        if (!s || !*s)
            continue;
        char *q = query_escape(s);
        bool hit = strstr(text, s) || strstr(text, q);
        free(q);
        if (hit)
            return true;
    }
    return false;
}

/* Replaces every s in *r by "<redacted>". */
static void redact_one(char **r, const char *s)
{
    size_t sl = strlen(s);
    struct fd_buf b = FD_BUF_INIT;
    const char *p = *r, *hit;

    if (!sl || !strstr(p, s))
        return;
    while ((hit = strstr(p, s))) {
        fd_buf_append(&b, p, (size_t)(hit - p));
        fd_buf_puts(&b, "<redacted>");
        p = hit + sl;
    }
    fd_buf_puts(&b, p);
    free(*r);
    *r = fd_buf_steal(&b);
}

/* Go's url.QueryEscape of s: how the value travels in a query's form body,
 * so a request line shows it so. */
static char *query_escape(const char *s)
{
    struct fd_buf b = FD_BUF_INIT;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~')
            fd_buf_putc(&b, (char)c);
        else if (c == ' ')
            fd_buf_putc(&b, '+');
        else
            fd_buf_printf(&b, "%%%02X", c);
    }
    return fd_buf_steal(&b);
}

char *fd_expr_kargo_redact(const struct fd_expr_kargo_objects *objs, const char *text)
{
    char *r = fd_xstrdup(text ? text : "");

    for (size_t i = 0; objs && i < json_array_size(objs->secrets); i++) {
        const char *s = json_string_value(json_array_get(objs->secrets, i));
        if (!s || !*s)
            continue;
        redact_one(&r, s);
        char *q = query_escape(s);
        redact_one(&r, q);
        free(q);
    }
    return r;
}

void fd_expr_kargo_objects_clear(struct fd_expr_kargo_objects *objs)
{
    if (!objs)
        return;
    json_decref(objs->secrets);
    objs->secrets = NULL;
}
