/* tests/kargo/verify_args.c: the args Kargo gives a Stage's verification
 * (fd_analysis_kargo_verification_args), checked against what Kargo
 * v1.11.2's own code answered for the same cases.
 *
 * A case: {"stage": STAGE, "objects": [OBJECT...], "shared": NAMESPACE}.
 * The Freight, data and semver functions read the objects (each found by
 * kind, metadata.namespace and metadata.name, as a client's GET finds it);
 * "shared" is the controller's SHARED_RESOURCES_NAMESPACE (absent: Kargo's
 * default). When the Stage's verification names no template, the answer
 * is its args, {"args": [{"name": N, "value": V|null}...]} or {"args": null,
 * "error": MESSAGE}; else the AnalysisRun's spec as Kargo builds it (the
 * templates, AnalysisTemplates and ClusterAnalysisTemplates among the
 * objects, flattened, the args evaluated and merged): {"spec": {"metrics":
 * [NAME...], "dryRun": [...], "measurementRetention": [...], "args":
 * [ARGUMENT...]}} or {"error": MESSAGE}.
 *
 *   verify_args < CASES          one answer line per case line
 *   verify_args --check FILE     TAP: each line of FILE, {"name": S, "case":
 *                                CASE, "kargo": ANSWER[, "known": WHY]}, is
 *                                answered and compared with Kargo's answer;
 *                                a known difference is a TODO (and an XPASS
 *                                once it agrees, so the mark gets removed)
 *
 * Exit status: 0; 1 when a check fails; 2 when a line is no JSON object. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "freightdeck/analysis.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* fd_expr_kargo_objects.get over the case's objects (ud). */
static json_t *get(void *ud, const char *kind, const char *ns, const char *name, char **err)
{
    const json_t *objects = ud;
    size_t i;
    json_t *o;

    *err = NULL;
    json_array_foreach(objects, i, o)
    {
        const json_t *meta = json_object_get(o, "metadata");
        if (fd_streq(str(o, "kind"), kind) && fd_streq(str(meta, "name"), name) &&
            fd_streq(str(meta, "namespace") ? str(meta, "namespace") : "", ns))
            return json_incref(o);
    }
    return NULL;
}

/* The AnalysisRun's spec as the recording shows it: the metrics by name,
 * dryRun and measurementRetention always present. */
static json_t *spec_of(const json_t *spec)
{
    json_t *names = json_array();
    size_t i;
    json_t *m;
    const json_t *dry = json_object_get(spec, "dryRun");
    const json_t *ret = json_object_get(spec, "measurementRetention");

    json_array_foreach(json_object_get(spec, "metrics"), i, m)
        json_array_append_new(names, json_string(str(m, "name") ? str(m, "name") : ""));
    return json_pack("{s:o, s:o, s:o, s:O}", "metrics", names, "dryRun",
                     dry ? json_incref((json_t *)(uintptr_t)dry) : json_array(),
                     "measurementRetention",
                     ret ? json_incref((json_t *)(uintptr_t)ret) : json_array(), "args",
                     json_object_get(spec, "args"));
}

/* The whole of buildSpec over the Stage's templates (from the objects):
 * the spec, or NULL with *err in Kargo's words. */
static json_t *build_spec(const json_t *stage, const json_t *refs,
                          struct fd_expr_kargo_objects *objs, char **err)
{
    const char *ns = str(json_object_get(stage, "metadata"), "namespace");
    size_t n_tpl = json_array_size(refs);
    json_t **tpl = fd_xcalloc(n_tpl + 1, sizeof(*tpl)), *spec = NULL;
    struct fd_analysis_kargo_build b;
    char *e = NULL;

    for (size_t i = 0; i < n_tpl; i++) {
        const json_t *ref = json_array_get(refs, i);
        bool cluster = fd_streq(str(ref, "kind"), "ClusterAnalysisTemplate");
        tpl[i] = get(objs->ud, cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                     cluster ? "" : (ns ? ns : ""), str(ref, "name") ? str(ref, "name") : "", &e);
        if (!tpl[i]) {
            *err = fd_xasprintf("the case has no template %s", str(ref, "name"));
            goto out;
        }
    }
    if (fd_analysis_kargo_build(tpl, n_tpl, NULL, stage, NULL, 0, objs, &b, err)) {
        spec = spec_of(b.spec);
        fd_analysis_kargo_build_free(&b);
    }
out:
    for (size_t i = 0; i < n_tpl; i++)
        json_decref(tpl[i]);
    free(tpl);
    return spec;
}

/* A case's answer: with no templates named, the verification args alone
 * ({"args": ...}); else the AnalysisRun's spec ({"spec": ...}). */
static json_t *answer(const json_t *c)
{
    const json_t *objects = json_object_get(c, "objects"), *stage = json_object_get(c, "stage");
    const json_t *refs = json_object_get(
        json_object_get(json_object_get(stage, "spec"), "verification"), "analysisTemplates");
    json_t *none = json_array();
    struct fd_expr_kargo_objects objs = {
        .get = get,
        .ud = (void *)(uintptr_t)(json_is_array(objects) ? objects : none),
        .shared_namespace = str(c, "shared"),
    };
    size_t n = 0;
    char *err = NULL;
    json_t *out = json_object();

    if (json_array_size(refs)) {
        json_t *spec = build_spec(stage, refs, &objs, &err);
        if (spec)
            json_object_set_new(out, "spec", spec);
        else
            json_object_set_new(out, "error", json_string(err ? err : ""));
        goto done;
    }
    struct fd_analysis_arg *args =
        fd_analysis_kargo_verification_args(stage, NULL, 0, &objs, &n, &err);
    if (!args) {
        json_object_set_new(out, "args", json_null());
        json_object_set_new(out, "error", json_string(err ? err : ""));
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(
                arr, json_pack("{s:s, s:o}", "name", args[i].name, "value",
                               args[i].value ? json_string(args[i].value) : json_null()));
            fd_analysis_arg_free(&args[i]);
        }
        free(args);
        json_object_set_new(out, "args", arr);
    }
done:
    free(err);
    fd_expr_kargo_objects_clear(&objs);
    json_decref(none);
    return out;
}

/* One line of a file as a JSON object, or NULL with a message naming
 * where. */
static json_t *load_line(const char *line, size_t len, const char *file, int lineno)
{
    json_error_t jerr;
    json_t *j = json_loadb(line, len, 0, &jerr);

    if (!json_is_object(j)) {
        fprintf(stderr, "verify_args: %s:%d:%d: %s\n", file, lineno, j ? 1 : jerr.column,
                j ? "a line is a JSON object" : jerr.text);
        json_decref(j);
        return NULL;
    }
    return j;
}

static int answer_all(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int status = 0, lineno = 0;

    while ((len = getline(&line, &cap, stdin)) > 0) {
        json_t *c = load_line(line, (size_t)len, "stdin", ++lineno);
        if (!c) {
            status = 2;
            continue;
        }
        json_t *out = answer(c);
        char *text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
        puts(text);
        free(text);
        json_decref(out);
        json_decref(c);
    }
    free(line);
    return status;
}

static void diag(const char *label, const json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

    printf("# %s %s\n", label, text ? text : "?");
    free(text);
}

static int check_all(const char *file)
{
    FILE *f = fopen(file, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, n = 0, failed = 0;

    if (!f) {
        fprintf(stderr, "verify_args: %s: %s\n", file, strerror(errno));
        return 2;
    }
    while ((len = getline(&line, &cap, f)) > 0) {
        json_t *rec = load_line(line, (size_t)len, file, ++lineno);
        if (!rec) {
            printf("not ok %d - %s:%d is no case\n", ++n, file, lineno);
            failed++;
            continue;
        }
        const char *name = str(rec, "name"), *known = str(rec, "known");
        const json_t *want = json_object_get(rec, "kargo");
        json_t *got = answer(json_object_get(rec, "case"));
        bool same = json_equal(got, (json_t *)(uintptr_t)want);
        printf("%s %d - %s:%d %s%s%s\n", same ? "ok" : "not ok", ++n, file, lineno,
               name ? name : "", known ? " # TODO " : "", known ? known : "");
        if (!same) {
            diag("Kargo:      ", want);
            diag("freightdeck:", got);
            failed += !known;
        }
        json_decref(got);
        json_decref(rec);
    }
    free(line);
    fclose(f);
    printf("1..%d\n", n);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--check") == 0)
        return check_all(argv[2]);
    if (argc != 1) {
        fprintf(stderr, "usage: verify_args [--check FILE] < CASES\n");
        return 2;
    }
    return answer_all();
}
