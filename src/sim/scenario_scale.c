/* sim/scenario_scale.c: the generated `scale:N` scenarios, the sizes the
 * console is measured at: N Freight with Projects, Warehouses, Stages and
 * completed AnalysisRuns in fixed proportions (`scale` is scale:10000: 30
 * projects, 300 Stages, 10,000 Freight, 2,000 AnalysisRuns). */
#include "config.h"

#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "names.h"

/* Per 10,000 Freight: 30 projects of 10 Stages each (one Warehouse each) and
 * 2,000 AnalysisRuns. */
#define STAGES_PER_PROJECT 10

static json_t *freight_obj(const char *ns, int i, char **name_out)
{
    char tag[32], digest[80], hex[41];
    snprintf(tag, sizeof(tag), "1.%d.%d", i / 100, i % 100);
    char *seed = fd_xasprintf("%s/%d", ns, i);
    fd_sim_sha1_hex(seed, strlen(seed), hex);
    free(seed);
    snprintf(digest, sizeof(digest), "sha256:%s%.24s", hex, hex);
    json_t *f = json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s},s:[{s:s,s:s,s:s}]}", "apiVersion",
                          "kargo.akuity.io/v1alpha1", "kind", "Freight", "metadata", "namespace",
                          ns, "name", "", "origin", "kind", "Warehouse", "name", "app", "images",
                          "repoURL", "ghcr.io/example/app", "tag", tag, "digest", digest);
    char *id = fd_sim_freight_id(f);
    char *alias = fd_sim_alias((uint64_t)i * 7919u + (uint64_t)ns[5]);
    char *full = fd_xasprintf("%s-%d", alias, i);
    json_t *md = json_object_get(f, "metadata");
    json_object_set_new(md, "name", json_string(id));
    json_object_set_new(md, "labels", json_pack("{s:s}", "kargo.akuity.io/alias", full));
    json_object_set_new(f, "alias", json_string(full));
    *name_out = id;
    free(alias);
    free(full);
    return f;
}

/* A run's metricResults: two metrics of six measurements each, started in
 * the given hour; the same for every run of that hour and outcome. */
static json_t *run_results(int hour, bool failed)
{
    json_t *results = json_array();
    const char *metrics[] = {"success-rate", "error-rate"};
    for (int m = 0; m < 2; m++) {
        json_t *ms = json_array();
        for (int k = 0; k < 6; k++) {
            char v[32];
            double x = m == 0 ? (failed ? 0.88 : 0.985) : (failed ? 0.12 : 0.015);
            snprintf(v, sizeof(v), "[%.3f]", x + 0.001 * (k % 3));
            char *t0 = fd_xasprintf("2026-01-01T%02d:%02d:00Z", hour, k * 5);
            json_array_append_new(ms, json_pack("{s:s,s:s,s:s,s:s}", "phase",
                                                failed && m == 1 ? "Failed" : "Successful",
                                                "startedAt", t0, "finishedAt", t0, "value", v));
            free(t0);
        }
        json_array_append_new(results,
                              json_pack("{s:s,s:s,s:i,s:i,s:i,s:o}", "name", metrics[m], "phase",
                                        failed && m == 1 ? "Failed" : "Successful", "count", 6,
                                        "successful", failed && m == 1 ? 0 : 6, "failed",
                                        failed && m == 1 ? 6 : 0, "measurements", ms));
    }
    return results;
}

/* The parts every run shares are built once (48 kinds of metricResults,
 * one spec) and shared by reference, as the store's objects never change
 * once stored (store.h): packing or copying them for each of 20,000 runs
 * was most of the time it took to generate scale:100000. */
struct run_parts {
    json_t *results[24][2];
    json_t *spec;
};

static void run_parts_free(struct run_parts *rp)
{
    for (int h = 0; h < 24; h++)
        for (int f = 0; f < 2; f++)
            json_decref(rp->results[h][f]);
    json_decref(rp->spec);
}

static json_t *run_obj(struct run_parts *rp, const char *ns, const char *stage, int i, bool failed)
{
    char name[96];
    snprintf(name, sizeof(name), "%s.run-%04d", stage, i);
    json_t **results = &rp->results[i % 24][failed];
    if (!*results)
        *results = run_results(i % 24, failed);
    if (!rp->spec)
        rp->spec = json_pack(
            "{s:[{s:s,s:s,s:i,s:s,s:{s:{s:s,s:s}}},{s:s,s:s,s:i,s:s,s:{s:{s:s,s:s}}}]}", "metrics",
            "name", "success-rate", "interval", "5m", "count", 6, "successCondition",
            "result[0] >= 0.95", "provider", "prometheus", "address", "http://prometheus:9090",
            "query", "success_rate", "name", "error-rate", "interval", "5m", "count", 6,
            "successCondition", "result[0] < 0.05", "provider", "prometheus", "address",
            "http://prometheus:9090", "query", "error_rate");
    return json_pack("{s:s,s:s,s:{s:s,s:s,s:{s:s}},s:O,s:{s:s,s:s,s:s,s:O}}", "apiVersion",
                     "argoproj.io/v1alpha1", "kind", "AnalysisRun", "metadata", "namespace", ns,
                     "name", name, "labels", "kargo.akuity.io/stage", stage, "spec", rp->spec,
                     "status", "phase", failed ? "Failed" : "Successful", "startedAt",
                     "2026-01-01T00:00:00Z", "completedAt", "2026-01-01T00:30:00Z", "metricResults",
                     *results);
}

struct fd_sim_scenario *fd_sim_scenario_scale(long freight)
{
    const int FREIGHT = (int)freight;
    /* 3 projects per 1,000 Freight, rounded, and at least one. */
    const int PROJECTS =
        (int)((freight * 3 + 500) / 1000) > 0 ? (int)((freight * 3 + 500) / 1000) : 1;
    const int RUNS = (int)(freight / 5);
    struct fd_sim_scenario *sc = fd_xcalloc(1, sizeof(*sc));
    sc->name =
        freight == FD_SIM_SCALE_DEFAULT ? fd_xstrdup("scale") : fd_xasprintf("scale:%ld", freight);
    sc->description = fd_xasprintf("%d projects, %d Stages, %d Freight, %d AnalysisRuns", PROJECTS,
                                   PROJECTS * STAGES_PER_PROJECT, FREIGHT, RUNS);
    sc->speed = 1;
    sc->noise = 0;
    sc->generated = true;
    sc->objects = json_array();
    static const char *const names[STAGES_PER_PROJECT] = {"dev",   "test",   "qa", "uat", "perf",
                                                          "stage", "canary", "eu", "us",  "prod"};
    struct run_parts rp = {0};
    int fbase = 0, rbase = 0;
    for (int p = 0; p < PROJECTS; p++) {
        char ns[32];
        snprintf(ns, sizeof(ns), "proj-%02d", p);
        int nf = FREIGHT / PROJECTS + (p < FREIGHT % PROJECTS ? 1 : 0);
        int nr = RUNS / PROJECTS + (p < RUNS % PROJECTS ? 1 : 0);
        json_array_append_new(sc->objects, json_pack("{s:s,s:s,s:{s:s}}", "apiVersion",
                                                     "kargo.akuity.io/v1alpha1", "kind", "Project",
                                                     "metadata", "name", ns));
        json_array_append_new(
            sc->objects,
            json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s,s:[{s:{s:s}}]}}", "apiVersion",
                      "kargo.akuity.io/v1alpha1", "kind", "Warehouse", "metadata", "namespace", ns,
                      "name", "app", "spec", "freightCreationPolicy", "Automatic", "interval",
                      "5m0s", "subscriptions", "image", "repoURL", "ghcr.io/example/app"));
        char **fnames = fd_xcalloc((size_t)nf, sizeof(*fnames));
        for (int i = 0; i < nf; i++)
            json_array_append_new(sc->objects, freight_obj(ns, fbase + i, &fnames[i]));
        for (int s = 0; s < STAGES_PER_PROJECT; s++) {
            /* Each Stage holds a Freight further back the further down the
             * pipeline it is (the oldest one in a project with few). */
            const char *cur = fnames[nf - 1 - s * 3 > 0 ? nf - 1 - s * 3 : 0];
            json_t *src = s == 0 ? json_pack("{s:b}", "direct", 1)
                                 : json_pack("{s:[s]}", "stages", names[s - 1]);
            json_t *st = json_pack(
                "{s:s,s:s,s:{s:s,s:s},s:{s:[{s:{s:s,s:s},s:o}],s:{s:{s:[{s:s}]}}},"
                "s:{s:s,s:{s:s},s:[{s:s,s:{s:{s:s,s:{s:s,s:s}}},s:[{s:s,s:s,s:s}]}]}}",
                "apiVersion", "kargo.akuity.io/v1alpha1", "kind", "Stage", "metadata", "namespace",
                ns, "name", names[s], "spec", "requestedFreight", "origin", "kind", "Warehouse",
                "name", "app", "sources", src, "promotionTemplate", "spec", "steps", "uses",
                "argocd-update", "status", "freightSummary", cur, "health", "status", "Healthy",
                "freightHistory", "id", cur, "items", "Warehouse/app", "name", cur, "origin",
                "kind", "Warehouse", "name", "app", "verificationHistory", "id",
                "00000000-0000-4000-8000-000000000000", "phase", "Successful", "startTime",
                "2026-01-01T00:00:00Z");
            json_array_append_new(sc->objects, st);
        }
        for (int i = 0; i < nr; i++)
            json_array_append_new(sc->objects, run_obj(&rp, ns, names[i % STAGES_PER_PROJECT],
                                                       rbase + i, i % 10 == 9));
        for (int i = 0; i < nf; i++)
            free(fnames[i]);
        free(fnames);
        fbase += nf;
        rbase += nr;
    }
    run_parts_free(&rp);
    return sc;
}
