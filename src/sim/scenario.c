/* sim/scenario.c: scenario files (objects plus one kind: Scenario document)
 * and the built-in scenarios. */
#include "config.h"

#include "scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"
#include "freightdeck/yaml.h"
#include "resources.h"

#define SCENARIO_API "sim.freightdeck.io/v1alpha1"

const char *const fd_sim_scenario_builtin[] = {"payments", "inconclusive", "scale", NULL};

void fd_sim_scenario_free(struct fd_sim_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_versions; i++)
        free(sc->versions[i].tag);
    for (size_t i = 0; i < sc->n_arrivals; i++) {
        free(sc->arrivals[i].ns);
        free(sc->arrivals[i].warehouse);
        free(sc->arrivals[i].repo);
        free(sc->arrivals[i].tag);
    }
    for (size_t i = 0; i < sc->n_bindings; i++) {
        free(sc->bindings[i].ns);
        free(sc->bindings[i].stage);
        free(sc->bindings[i].rollout);
        free(sc->bindings[i].service);
    }
    free(sc->versions);
    free(sc->arrivals);
    free(sc->bindings);
    free(sc->name);
    free(sc->description);
    json_decref(sc->objects);
    free(sc);
}

/* ---- error positions ------------------------------------------------------ */

struct parse {
    const char *text;
    size_t len;
    const char *file;
    size_t doc_off; /* offset of the Scenario document's "kind: Scenario" */
    char *err;
};

static void position(const struct parse *p, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < p->len; i++) {
        if (p->text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* The offset of the nth (0-based) "key:" after the Scenario document's
 * start, or of the document when there is none: where an error points. */
static size_t locate(const struct parse *p, const char *key, size_t nth)
{
    size_t kl = strlen(key);
    size_t seen = 0;
    for (size_t i = p->doc_off; key[0] && i + kl < p->len; i++) {
        if (strncmp(p->text + i, "\n---", 4) == 0 && i > p->doc_off)
            break;
        if (strncmp(p->text + i, key, kl) == 0 && p->text[i + kl] == ':' &&
            (i == 0 || strchr(" \t{,-\n", p->text[i - 1]))) {
            if (seen++ == nth)
                return i;
        }
    }
    return p->doc_off;
}

static bool fail(struct parse *p, const char *key, size_t nth, const char *fmt, ...)
    FD_PRINTF(4, 5);

static bool fail(struct parse *p, const char *key, size_t nth, const char *fmt, ...)
{
    va_list ap;
    size_t line, col;
    if (p->err)
        return false;
    position(p, locate(p, key, nth), &line, &col);
    va_start(ap, fmt);
    char *msg = fd_xvasprintf(fmt, ap);
    va_end(ap);
    p->err = fd_xasprintf("%s:%zu:%zu: %s", p->file, line, col, msg);
    free(msg);
    return false;
}

/* ---- the Scenario document ------------------------------------------------ */

static bool get_str(struct parse *p, const json_t *o, const char *key, const char *path, size_t i,
                    bool required, char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v) {
        if (required)
            return fail(p, key, i, "%s.%s: required", path, key);
        return true;
    }
    if (!json_is_string(v) || !json_string_value(v)[0])
        return fail(p, key, i, "%s.%s: expected a non-empty string", path, key);
    *out = fd_xstrdup(json_string_value(v));
    return true;
}

static bool get_num(struct parse *p, const json_t *o, const char *key, const char *path, size_t i,
                    double lo, double hi, double *out)
{
    const json_t *v = json_object_get(o, key);
    if (!v)
        return true;
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
        return fail(p, key, i, "%s.%s: expected a number from %g to %g", path, key, lo, hi);
    *out = json_number_value(v);
    return true;
}

/* "ns/name" into its parts; a bare name takes def_ns. */
static bool split_ref(struct parse *p, const char *ref, const char *def_ns, const char *key,
                      size_t i, char **ns, char **name)
{
    const char *slash = strchr(ref, '/');
    if (!slash && !def_ns)
        return fail(p, key, i, "spec: '%s' must be NAMESPACE/NAME", ref);
    *ns = slash ? fd_xstrndup(ref, (size_t)(slash - ref)) : fd_xstrdup(def_ns);
    *name = fd_xstrdup(slash ? slash + 1 : ref);
    return true;
}

static int cmp_arrival(const void *a, const void *b)
{
    const struct fd_sim_arrival *x = a, *y = b;
    return x->at_ms < y->at_ms ? -1 : x->at_ms > y->at_ms;
}

static bool parse_spec(struct parse *p, const json_t *doc, struct fd_sim_scenario *sc)
{
    const json_t *spec = json_object_get(doc, "spec");
    const char *name = json_string_value(json_object_get(json_object_get(doc, "metadata"), "name"));
    size_t i;
    json_t *it;

    if (!json_is_object(spec))
        return fail(p, "spec", 0, "spec: expected an object");
    sc->name = fd_xstrdup(name ? name : "scenario");
    if (!get_str(p, spec, "description", "spec", 0, false, &sc->description))
        return false;
    sc->speed = 1;
    sc->noise = 0.003;
    if (!get_num(p, spec, "speed", "spec", 0, 0.001, 100000, &sc->speed) ||
        !get_num(p, spec, "noise", "spec", 0, 0, 0.5, &sc->noise))
        return false;

    const json_t *vs = json_object_get(spec, "versions");
    if (vs && !json_is_array(vs))
        return fail(p, "versions", 0, "spec.versions: expected a list");
    json_array_foreach(vs, i, it)
    {
        char path[64];
        snprintf(path, sizeof(path), "spec.versions[%zu]", i);
        struct fd_sim_version v = {NULL, 0.99, true};
        if (!json_is_object(it))
            return fail(p, "versions", 0, "%s: expected an object", path);
        if (!get_str(p, it, "tag", path, i, true, &v.tag))
            return false;
        sc->versions = fd_xreallocarray(sc->versions, sc->n_versions + 1, sizeof(*sc->versions));
        sc->versions[sc->n_versions++] = v;
        if (!get_num(p, it, "successRate", path, i, 0, 1,
                     &sc->versions[sc->n_versions - 1].success_rate))
            return false;
        const json_t *h = json_object_get(it, "healthy");
        if (h && !json_is_boolean(h))
            return fail(p, "healthy", 0, "%s.healthy: expected true or false", path);
        if (h)
            sc->versions[sc->n_versions - 1].healthy = json_is_true(h);
    }

    const json_t *as = json_object_get(spec, "arrivals");
    if (as && !json_is_array(as))
        return fail(p, "arrivals", 0, "spec.arrivals: expected a list");
    json_array_foreach(as, i, it)
    {
        char path[64], *at = NULL, *wh = NULL, *err = NULL;
        snprintf(path, sizeof(path), "spec.arrivals[%zu]", i);
        if (!json_is_object(it))
            return fail(p, "arrivals", 0, "%s: expected an object", path);
        struct fd_sim_arrival a = {0};
        if (!get_str(p, it, "at", path, i, true, &at))
            return false;
        if (fd_analysis_parse_duration(at, &a.at_ms, &err) != FD_OK || a.at_ms < 0) {
            fail(p, "at", i, "%s.at: %s", path, err ? err : "must not be negative");
            free(err);
            free(at);
            return false;
        }
        free(at);
        if (!get_str(p, it, "warehouse", path, i, true, &wh))
            return false;
        bool ok = split_ref(p, wh, NULL, "warehouse", i, &a.ns, &a.warehouse);
        free(wh);
        if (!ok || !get_str(p, it, "image", path, i, true, &a.repo) ||
            !get_str(p, it, "tag", path, i, true, &a.tag)) {
            free(a.ns);
            free(a.warehouse);
            free(a.repo);
            free(a.tag);
            return false;
        }
        sc->arrivals = fd_xreallocarray(sc->arrivals, sc->n_arrivals + 1, sizeof(*sc->arrivals));
        sc->arrivals[sc->n_arrivals++] = a;
    }
    if (sc->n_arrivals)
        qsort(sc->arrivals, sc->n_arrivals, sizeof(*sc->arrivals), cmp_arrival);

    const json_t *bs = json_object_get(spec, "bindings");
    if (bs && !json_is_array(bs))
        return fail(p, "bindings", 0, "spec.bindings: expected a list");
    json_array_foreach(bs, i, it)
    {
        char path[64], *stage = NULL;
        snprintf(path, sizeof(path), "spec.bindings[%zu]", i);
        if (!json_is_object(it))
            return fail(p, "bindings", 0, "%s: expected an object", path);
        struct fd_sim_binding b = {0};
        b.rps = 20;
        if (!get_str(p, it, "stage", path, i, true, &stage))
            return false;
        bool ok = split_ref(p, stage, NULL, "stage", i, &b.ns, &b.stage);
        free(stage);
        if (ok)
            ok = get_str(p, it, "rollout", path, i, false, &b.rollout) &&
                 get_str(p, it, "service", path, i, true, &b.service) &&
                 get_num(p, it, "requestsPerSecond", path, i, 0, 1e6, &b.rps);
        if (!ok) {
            free(b.ns);
            free(b.stage);
            free(b.rollout);
            free(b.service);
            return false;
        }
        sc->bindings = fd_xreallocarray(sc->bindings, sc->n_bindings + 1, sizeof(*sc->bindings));
        sc->bindings[sc->n_bindings++] = b;
    }
    return true;
}

struct fd_sim_scenario *fd_sim_scenario_parse(const char *text, size_t len, const char *name,
                                              char **err)
{
    struct parse p = {text, len, name, 0, NULL};
    json_t *docs = fd_yaml_manifests(text, len, name, err);
    if (!docs)
        return NULL;
    struct fd_sim_scenario *sc = fd_xcalloc(1, sizeof(*sc));
    sc->objects = json_array();
    const json_t *scen = NULL;
    size_t i;
    json_t *doc;

    const char *k = strstr(text, "kind: Scenario");
    p.doc_off = k ? (size_t)(k - text) : 0;
    json_array_foreach(docs, i, doc)
    {
        const char *av = json_string_value(json_object_get(doc, "apiVersion"));
        const char *kind = json_string_value(json_object_get(doc, "kind"));
        if (!json_is_object(doc)) {
            fail(&p, "", 0, "document %zu: expected a mapping", i + 1);
            break;
        }
        if (kind && strcmp(kind, "Scenario") == 0) {
            if (!av || strcmp(av, SCENARIO_API) != 0) {
                fail(&p, "apiVersion", 0, "the Scenario document needs apiVersion: %s",
                     SCENARIO_API);
                break;
            }
            if (scen) {
                fail(&p, "", 0, "more than one Scenario document");
                break;
            }
            scen = doc;
            continue;
        }
        if (!fd_sim_resource_by_kind(av, kind)) {
            const char *nm =
                json_string_value(json_object_get(json_object_get(doc, "metadata"), "name"));
            struct parse q = p;
            q.doc_off = 0;
            size_t line, col;
            char *needle = fd_xasprintf("kind: %s", kind ? kind : "");
            const char *at = nm ? strstr(text, nm) : NULL;
            const char *kk = strstr(text, needle);
            free(needle);
            position(&q, (size_t)((kk ? kk : at ? at : text) - text), &line, &col);
            p.err = fd_xasprintf("%s:%zu:%zu: document %zu: no resource of kind \"%s\" in "
                                 "apiVersion \"%s\"",
                                 name, line, col, i + 1, kind ? kind : "", av ? av : "");
            break;
        }
        json_array_append(sc->objects, doc);
    }
    if (!p.err && !scen) {
        size_t line, col;
        position(&p, 0, &line, &col);
        p.err = fd_xasprintf("%s:1:1: no document of kind Scenario (apiVersion %s)", name,
                             SCENARIO_API);
    }
    if (!p.err)
        parse_spec(&p, scen, sc);
    json_decref(docs);
    if (p.err) {
        *err = p.err;
        fd_sim_scenario_free(sc);
        return NULL;
    }
    return sc;
}

long fd_sim_scenario_scale_size(const char *what, const char *n, char **err)
{
    /* Digits only: no sign, no spaces, no exponent, no suffix. */
    size_t len = strspn(n, "0123456789");
    long v = -1;
    if (len > 0 && len == strlen(n) && len <= 7) {
        v = strtol(n, NULL, 10);
        if (v < 1 || v > FD_SIM_SCALE_MAX)
            v = -1;
    }
    if (v < 0)
        *err = fd_xasprintf("scenario '%s': N (the number of Freight) must be a whole number "
                            "from 1 to %ld, not '%s'",
                            what, FD_SIM_SCALE_MAX, n);
    return v;
}

struct fd_sim_scenario *fd_sim_scenario_load(const char *what, char **err)
{
    *err = NULL;
    if (strcmp(what, "scale") == 0)
        return fd_sim_scenario_scale(FD_SIM_SCALE_DEFAULT);
    if (strncmp(what, "scale:", 6) == 0) {
        long n = fd_sim_scenario_scale_size(what, what + 6, err);
        return n < 0 ? NULL : fd_sim_scenario_scale(n);
    }
    for (size_t i = 0; fd_sim_embedded_scenarios[i].name; i++) {
        if (strcmp(fd_sim_embedded_scenarios[i].name, what) == 0) {
            char *label = fd_xasprintf("scenarios/%s.yaml", what);
            const char *t = fd_sim_embedded_scenarios[i].text;
            struct fd_sim_scenario *sc = fd_sim_scenario_parse(t, strlen(t), label, err);
            free(label);
            return sc;
        }
    }
    struct fd_buf b = FD_BUF_INIT;
    const char *why;
    enum fd_status rst = fd_read_file(what, 64u << 20, &b, &why);
    if (rst != FD_OK) {
        fd_buf_free(&b);
        if (rst == FD_IO && !strchr(what, '/') && !strchr(what, '.'))
            *err = fd_xasprintf("no scenario named '%s' (built in: payments, inconclusive, "
                                "scale, scale:N; or a file)",
                                what);
        else
            *err = fd_xasprintf("%s: %s", what, why);
        return NULL;
    }
    struct fd_sim_scenario *sc = fd_sim_scenario_parse(fd_buf_cstr(&b), b.len, what, err);
    fd_buf_free(&b);
    return sc;
}

bool fd_sim_scenario_apply(struct fd_sim_scenario *sc, struct fd_sim_store *st, char **err)
{
    size_t i;
    json_t *obj;
    bool ok = true;
    struct fd_sim_write w = {0};
    w.keep_status = true;
    w.generated = sc->generated;

    fd_sim_store_lock(st);
    json_array_foreach(sc->objects, i, obj)
    {
        const char *av = json_string_value(json_object_get(obj, "apiVersion"));
        const char *kind = json_string_value(json_object_get(obj, "kind"));
        const struct fd_sim_resource *r = fd_sim_resource_by_kind(av, kind);
        const json_t *md = json_object_get(obj, "metadata");
        /* The store takes the object and changes it: what the key and the
         * error message need is copied first. */
        const char *nm = json_string_value(json_object_get(md, "name"));
        char *name = fd_xstrdup(nm ? nm : "");
        char *ns = NULL;
        if (r->namespaced) {
            const char *objns = json_string_value(json_object_get(md, "namespace"));
            ns = fd_xstrdup(objns && objns[0] ? objns : "default");
            struct fd_sim_key nk = {"", "v1", "namespaces", NULL, ns};
            if (!fd_sim_store_peek(st, &nk)) {
                json_t *nsobj = json_pack("{s:s,s:s,s:{s:s}}", "apiVersion", "v1", "kind",
                                          "Namespace", "metadata", "name", ns);
                json_decref(fd_sim_store_create(st, &nk, nsobj, NULL, NULL));
                json_decref(nsobj);
            }
        }
        struct fd_sim_key k = {r->group, r->version, r->plural, ns, NULL};
        json_t *status = NULL;
        if (!fd_sim_store_load(st, &k, json_incref(obj), &w, &status)) {
            /* A Project's namespace may exist already; anything else is an
             * error in the scenario. */
            *err = fd_xasprintf("%s: object %zu (%s/%s): %s", sc->name, i + 1, r->kind, name,
                                json_string_value(json_object_get(status, "message")));
            json_decref(status);
            ok = false;
        }
        free(name);
        free(ns);
        if (!ok)
            break;
    }
    fd_sim_store_unlock(st);
    /* The store holds them now (and has changed them). */
    json_array_clear(sc->objects);
    return ok;
}

const struct fd_sim_version *fd_sim_scenario_version(const struct fd_sim_scenario *sc,
                                                     const char *tag)
{
    for (size_t i = 0; tag && i < sc->n_versions; i++)
        if (strcmp(sc->versions[i].tag, tag) == 0)
            return &sc->versions[i];
    return NULL;
}

static bool eq_opt(const char *want, const char *have)
{
    return !want || (have && strcmp(want, have) == 0);
}

const struct fd_sim_binding *fd_sim_scenario_binding(const struct fd_sim_scenario *sc,
                                                     const char *ns, const char *stage,
                                                     const char *rollout, const char *service)
{
    for (size_t i = 0; i < sc->n_bindings; i++) {
        const struct fd_sim_binding *b = &sc->bindings[i];
        if (eq_opt(ns, b->ns) && eq_opt(stage, b->stage) && eq_opt(rollout, b->rollout) &&
            eq_opt(service, b->service))
            return b;
    }
    return NULL;
}
