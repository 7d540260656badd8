/* tests/unit/test_sim_ctl.c: the scenario player's pure logic: SHA-1 and
 * Freight IDs, ULIDs and Kargo names, canary weights, availability, fault
 * specs, scenario errors; and controller passes driven by a hand-set clock:
 * canary step progression, pauses, step analysis aborting a canary,
 * Promotion admission; and what a pass visits: the namespaces changed in
 * what a controller reads, and the timers'. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sim/ctl.h"
#include "../../src/sim/hooks.h"
#include "../../src/sim/misc.h"
#include "../../src/sim/names.h"
#include "../../src/sim/scenario.h"
#include "../../src/sim/status.h"
#include "check_main.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    ck_assert_msg(j != NULL, "bad test JSON %s: %s", text, e.text);
    return j;
}

/* ---- names ------------------------------------------------------------ */

START_TEST(sha1_vectors)
{
    char hex[41];
    fd_sim_sha1_hex("", 0, hex);
    ck_assert_str_eq(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    fd_sim_sha1_hex("abc", 3, hex);
    ck_assert_str_eq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes */
    fd_sim_sha1_hex(two, strlen(two), hex);
    ck_assert_str_eq(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    char a[1000];
    memset(a, 'a', sizeof(a));
    fd_sim_sha1_hex(a, sizeof(a), hex);
    ck_assert_str_eq(hex, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}
END_TEST

START_TEST(freight_id_images_sorted)
{
    json_t *f = J("{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"wh\"},\"images\":["
                  "{\"repoURL\":\"ghcr.io/b/y\",\"tag\":\"2.0\",\"digest\":\"sha256:2\"},"
                  "{\"repoURL\":\"ghcr.io/a/x\",\"tag\":\"1.0\",\"digest\":\"sha256:1\"}]}");
    char *id = fd_sim_freight_id(f);
    /* sha1("Warehouse/wh:ghcr.io/a/x:1.0@sha256:1|ghcr.io/b/y:2.0@sha256:2") */
    ck_assert_str_eq(id, "9c3c4b2ea476111771cedc9d0f323b142bed7a52");
    free(id);
    json_decref(f);
}
END_TEST

START_TEST(freight_id_commits_and_charts)
{
    json_t *f =
        J("{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"wh\"},"
          "\"commits\":[{\"repoURL\":\"https://github.com/Org/Repo.git\",\"id\":\"abc123\"},"
          "{\"repoURL\":\"https://github.com/org/repo\",\"tag\":\"v1.0\",\"id\":\"def456\"}],"
          "\"charts\":[{\"repoURL\":\"https://charts.example.com/\",\"name\":\"mychart\","
          "\"version\":\"1.2.3\"}]}");
    char *id = fd_sim_freight_id(f);
    ck_assert_str_eq(id, "0f87387731fd3541fcf9906be398073940f4da94");
    free(id);
    json_decref(f);
}
END_TEST

START_TEST(ulid_encoding)
{
    char u[27];
    uint64_t rng = 1;
    /* The ULID specification's example time. */
    fd_sim_ulid(1469918176385, &rng, u);
    ck_assert_int_eq(strlen(u), 26);
    ck_assert_msg(strncmp(u, "01ARYZ6S41", 10) == 0, "time part %.10s", u);
    for (int i = 0; i < 26; i++)
        ck_assert_msg(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", u[i]) != NULL, "char %c", u[i]);
    char v[27];
    fd_sim_ulid(1469918176386, &rng, v);
    ck_assert_msg(strcmp(u, v) < 0, "later ULIDs sort later: %s %s", u, v);
}
END_TEST

START_TEST(promotion_name)
{
    char *n = fd_sim_kargo_name("Prod", "01ARYZ6S41TSV4RRFFQ69G5FAV", "ABCDEF0123456789");
    ck_assert_str_eq(n, "prod.01aryz6s41tsv4rrffq69g5fav.abcdef0");
    free(n);
    char stage[300];
    memset(stage, 's', sizeof(stage) - 1);
    stage[sizeof(stage) - 1] = '\0';
    n = fd_sim_kargo_name(stage, "01ARYZ6S41TSV4RRFFQ69G5FAV", "f1");
    ck_assert_int_eq(strlen(n), 218 + 1 + 26 + 1 + 2);
    ck_assert_str_eq(n + 218, ".01aryz6s41tsv4rrffq69g5fav.f1");
    free(n);
}
END_TEST

START_TEST(alias_shape)
{
    char *a = fd_sim_alias(12345);
    char *b = fd_sim_alias(12345);
    ck_assert_str_eq(a, b);
    ck_assert_msg(strchr(a, '-') && strchr(a, '-') == strrchr(a, '-'), "adjective-noun: %s", a);
    free(a);
    free(b);
}
END_TEST

/* ---- canary weights ------------------------------------------------------ */

START_TEST(set_weight_rules)
{
    json_t *steps = J("[{\"setWeight\":20},{\"pause\":{}},{\"setWeight\":50},{\"analysis\":{}}]");
    ck_assert_int_eq(fd_sim_canary_set_weight(steps, 0, false), 20);
    ck_assert_int_eq(fd_sim_canary_set_weight(steps, 1, false), 20);
    ck_assert_int_eq(fd_sim_canary_set_weight(steps, 3, false), 50);
    ck_assert_int_eq(fd_sim_canary_set_weight(steps, 4, false), 100);
    ck_assert_int_eq(fd_sim_canary_set_weight(steps, 2, true), 0);
    json_t *pause_first = J("[{\"pause\":{}},{\"setWeight\":10}]");
    ck_assert_int_eq(fd_sim_canary_set_weight(pause_first, 0, false), 0);
    json_t *none = json_array();
    ck_assert_int_eq(fd_sim_canary_set_weight(none, 0, false), 100);
    json_decref(steps);
    json_decref(pause_first);
    json_decref(none);
}
END_TEST

/* ---- availability ------------------------------------------------------------ */

START_TEST(availability)
{
    json_t *stage =
        J("{\"metadata\":{\"name\":\"prod\"},\"spec\":{\"requestedFreight\":[{\"origin\":"
          "{\"kind\":\"Warehouse\",\"name\":\"wh\"},\"sources\":{\"stages\":[\"a\",\"b\"]}}]}}");
    json_t *f = J("{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"wh\"},\"status\":{}}");
    ck_assert(!fd_sim_freight_available(stage, f));
    json_object_set_new(json_object_get(f, "status"), "verifiedIn", J("{\"b\":{}}"));
    ck_assert(fd_sim_freight_available(stage, f)); /* OneOf by default */
    json_object_set_new(
        json_object_get(
            json_array_get(json_object_get(json_object_get(stage, "spec"), "requestedFreight"), 0),
            "sources"),
        "availabilityStrategy", json_string("All"));
    ck_assert(!fd_sim_freight_available(stage, f));
    json_object_set_new(json_object_get(f, "status"), "approvedFor", J("{\"prod\":{}}"));
    ck_assert(fd_sim_freight_available(stage, f)); /* approval bypasses */
    json_t *other =
        J("{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"other\"},\"status\":{\"verifiedIn\":"
          "{\"a\":{},\"b\":{}}}}");
    ck_assert(!fd_sim_freight_available(stage, other)); /* origin not requested */
    json_decref(stage);
    json_decref(f);
    json_decref(other);
}
END_TEST

/* ---- faults and scenarios -------------------------------------------------- */

START_TEST(fault_specs)
{
    struct fd_sim_faults f;
    char *err = NULL;
    ck_assert(fd_sim_faults_parse("latency=200ms,drop-watch=10s,gone=30s,5xx=0.05,truncate=0.02,"
                                  "malformed=0.02",
                                  &f, &err));
    ck_assert_int_eq(f.latency_ms, 200);
    ck_assert_int_eq(f.drop_watch_ms, 10000);
    ck_assert_int_eq(f.gone_ms, 30000);
    ck_assert(f.p_5xx == 0.05 && f.p_truncate == 0.02 && f.p_malformed == 0.02);
    ck_assert(!fd_sim_faults_parse("latency=200ms,nope", &f, &err));
    ck_assert_str_eq(err, "--faults 'nope': expected NAME=VALUE");
    free(err);
    ck_assert(!fd_sim_faults_parse("gone=-1s", &f, &err));
    ck_assert_str_eq(err, "--faults 'gone=-1s': the duration must be positive");
    free(err);
}
END_TEST

START_TEST(scenario_errors_have_positions)
{
    const char *text = "apiVersion: sim.freightdeck.io/v1alpha1\n"
                       "kind: Scenario\n"
                       "metadata: {name: t}\n"
                       "spec:\n"
                       "  versions:\n"
                       "  - {tag: a, successRate: 0.9}\n"
                       "  - {tag: b, successRate: 1.5}\n";
    char *err = NULL;
    ck_assert(fd_sim_scenario_parse(text, strlen(text), "t.yaml", &err) == NULL);
    ck_assert_str_eq(err,
                     "t.yaml:7:14: spec.versions[1].successRate: expected a number from 0 to 1");
    free(err);
    const char *bad = "kind: Scenario\nspec: [unclosed\n";
    ck_assert(fd_sim_scenario_parse(bad, strlen(bad), "b.yaml", &err) == NULL);
    ck_assert_msg(strncmp(err, "b.yaml:", 7) == 0 && strchr(err + 7, ':'), "got %s", err);
    free(err);
    const char *kinds = "apiVersion: v1\nkind: Nope\nmetadata: {name: x}\n";
    ck_assert(fd_sim_scenario_parse(kinds, strlen(kinds), "k.yaml", &err) == NULL);
    ck_assert_str_eq(err,
                     "k.yaml:2:1: document 1: no resource of kind \"Nope\" in apiVersion \"v1\"");
    free(err);
}
END_TEST

START_TEST(builtin_scenarios_parse)
{
    for (size_t i = 0; fd_sim_scenario_builtin[i]; i++) {
        char *err = NULL;
        struct fd_sim_scenario *sc = fd_sim_scenario_load(fd_sim_scenario_builtin[i], &err);
        ck_assert_msg(sc != NULL, "%s: %s", fd_sim_scenario_builtin[i], err ? err : "");
        ck_assert(json_array_size(sc->objects) > 0);
        fd_sim_scenario_free(sc);
    }
    char *err = NULL;
    ck_assert(fd_sim_scenario_load("nosuch", &err) == NULL);
    ck_assert_str_eq(err, "no scenario named 'nosuch' (built in: payments, inconclusive, scale, "
                          "scale:N; or a file)");
    free(err);
}
END_TEST

/* Counts the objects of each kind in sc: Project Warehouse Stage Freight
 * AnalysisRun, as one string. */
static char *kind_counts(const struct fd_sim_scenario *sc)
{
    static const char *const kinds[] = {"Project", "Warehouse", "Stage", "Freight", "AnalysisRun"};
    size_t n[5] = {0}, i;
    json_t *o;
    json_array_foreach(sc->objects, i, o)
    {
        const char *k = json_string_value(json_object_get(o, "kind"));
        for (size_t j = 0; j < 5; j++)
            if (k && strcmp(k, kinds[j]) == 0)
                n[j]++;
    }
    return fd_xasprintf("%zu %zu %zu %zu %zu", n[0], n[1], n[2], n[3], n[4]);
}

START_TEST(uuid_shape)
{
    char a[37], b[37];
    for (int n = 0; n < 200; n++) {
        fd_sim_uuid(a);
        ck_assert_uint_eq(strlen(a), 36);
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                ck_assert_msg(a[i] == '-', "%s: '-' at %d", a, i);
            else
                ck_assert_msg(strchr("0123456789abcdef", a[i]) && a[i], "%s: hex at %d", a, i);
        }
        ck_assert_msg(a[14] == '4' && strchr("89ab", a[19]), "%s: version 4, RFC 4122", a);
    }
    fd_sim_uuid(b);
    ck_assert_str_ne(a, b);
    char t1[21], t2[21];
    fd_sim_now_rfc3339(t1);
    ck_assert_uint_eq(strlen(t1), 20);
    ck_assert_msg(t1[10] == 'T' && t1[19] == 'Z', "%s", t1);
    fd_sim_now_rfc3339(t2);
    ck_assert_msg(strcmp(t1, t2) <= 0, "%s then %s", t1, t2);
}
END_TEST

START_TEST(scale_sizes)
{
    static const struct {
        const char *what, *name, *counts;
    } cases[] = {
        {"scale", "scale", "30 30 300 10000 2000"},
        {"scale:10000", "scale", "30 30 300 10000 2000"},
        {"scale:1000", "scale:1000", "3 3 30 1000 200"},
        {"scale:2500", "scale:2500", "8 8 80 2500 500"},
        {"scale:1", "scale:1", "1 1 10 1 0"},
        {"scale:00400", "scale:400", "1 1 10 400 80"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char *err = NULL;
        struct fd_sim_scenario *sc = fd_sim_scenario_load(cases[c].what, &err);
        ck_assert_msg(sc != NULL, "%s: %s", cases[c].what, err ? err : "");
        char *got = kind_counts(sc);
        ck_assert_msg(strcmp(got, cases[c].counts) == 0,
                      "%s: projects, warehouses, stages, "
                      "freight, runs: expected %s, got %s",
                      cases[c].what, cases[c].counts, got);
        ck_assert_str_eq(sc->name, cases[c].name);
        free(got);
        fd_sim_scenario_free(sc);
    }
}
END_TEST

/* A store loaded with a scale scenario, generated as it is (or, with full,
 * marked as not generated, so every schema check runs). */
static struct fd_sim_store *scale_store(const char *what, bool full)
{
    char *err = NULL;
    struct fd_sim_scenario *sc = fd_sim_scenario_load(what, &err);
    ck_assert_msg(sc != NULL, "%s: %s", what, err ? err : "");
    ck_assert(sc->generated);
    sc->generated = !full;
    struct fd_sim_store *s = fd_sim_store_new(0);
    ck_assert_msg(fd_sim_scenario_apply(sc, s, &err), "%s: %s", what, err ? err : "");
    ck_assert_uint_eq(json_array_size(sc->objects), 0);
    fd_sim_scenario_free(sc);
    return s;
}

static void strip_instance(json_t *o)
{
    json_t *md = json_object_get(o, "metadata");
    json_object_del(md, "uid");
    json_object_del(md, "creationTimestamp");
}

/* The generated objects skip the schema's decoding and validation when
 * loaded (fd_sim_write.generated); this is what makes that lossless: through
 * every check (decoding with its defaults, schema and ObjectMeta
 * validation, webhooks) the store ends up with the very same objects. */
START_TEST(scale_generated_objects_pass_every_check)
{
    struct fd_sim_store *fast = scale_store("scale:1000", false);
    struct fd_sim_store *full = scale_store("scale:1000", true);
    size_t total = 0;
    for (size_t r = 0; r < FD_SIM_RES__COUNT; r++) {
        const struct fd_sim_resource *res = &fd_sim_resources[r];
        struct fd_sim_key k = {res->group, res->version, res->plural, NULL, NULL};
        json_t *a = fd_sim_store_list(fast, &k, NULL, NULL);
        json_t *b = fd_sim_store_list(full, &k, NULL, NULL);
        json_t *ia = json_object_get(a, "items"), *ib = json_object_get(b, "items");
        ck_assert_msg(json_array_size(ia) == json_array_size(ib), "%s: %zu objects, %zu checked",
                      res->kind, json_array_size(ia), json_array_size(ib));
        for (size_t i = 0; i < json_array_size(ia); i++) {
            json_t *x = json_deep_copy(json_array_get(ia, i));
            json_t *y = json_deep_copy(json_array_get(ib, i));
            strip_instance(x);
            strip_instance(y);
            if (!json_equal(x, y)) {
                char *tx = json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS);
                char *ty = json_dumps(y, JSON_COMPACT | JSON_SORT_KEYS);
                ck_abort_msg("%s %zu: generated %s\nchecked %s", res->kind, i, tx, ty);
            }
            json_decref(x);
            json_decref(y);
            total++;
        }
        json_decref(a);
        json_decref(b);
    }
    /* 3 Projects and their namespaces, 3 Warehouses, 30 Stages, 1,000
     * Freight, 200 AnalysisRuns. */
    ck_assert_uint_eq(total, 3 + 3 + 3 + 30 + 1000 + 200);
    fd_sim_store_free(fast);
    fd_sim_store_free(full);
}
END_TEST

START_TEST(scale_bad_sizes)
{
    static const char *const bad[] = {
        "scale:0",   "scale:-1", "scale:",   "scale:abc",    "scale:10k",
        "scale:1e3", "scale: 5", "scale:+5", "scale:200001", "scale:99999999999999999999"};
    for (size_t c = 0; c < sizeof(bad) / sizeof(bad[0]); c++) {
        char *err = NULL;
        struct fd_sim_scenario *sc = fd_sim_scenario_load(bad[c], &err);
        ck_assert_msg(sc == NULL, "%s was accepted", bad[c]);
        char *want = fd_xasprintf("scenario '%s': N (the number of Freight) must be a whole "
                                  "number from 1 to 200000, not '%s'",
                                  bad[c], bad[c] + 6);
        ck_assert_str_eq(err, want);
        free(want);
        free(err);
    }
    /* The bounds themselves are sizes (generating 200,000 would take long
     * here). */
    char *err = NULL;
    ck_assert_int_eq(fd_sim_scenario_scale_size("scale:200000", "200000", &err), 200000);
    ck_assert_int_eq(fd_sim_scenario_scale_size("scale:1", "1", &err), 1);
    ck_assert_ptr_null(err);
}
END_TEST

/* ---- controllers, by hand ------------------------------------------------- */

static const char *SCENARIO =
    "apiVersion: sim.freightdeck.io/v1alpha1\n"
    "kind: Scenario\n"
    "metadata: {name: unit}\n"
    "spec:\n"
    "  noise: 0\n"
    "  versions:\n"
    "  - {tag: good, successRate: 0.99}\n"
    "  - {tag: bad, successRate: 0.80}\n"
    "---\n"
    "apiVersion: kargo.akuity.io/v1alpha1\n"
    "kind: Project\n"
    "metadata: {name: p}\n"
    "---\n"
    "apiVersion: argoproj.io/v1alpha1\n"
    "kind: AnalysisTemplate\n"
    "metadata: {name: errors, namespace: p}\n"
    "spec:\n"
    "  args: [{name: svc, value: none}]\n"
    "  metrics:\n"
    "  - name: error-rate\n"
    "    interval: 1m\n"
    "    count: 2\n"
    "    failureCondition: result[0] >= 0.05\n"
    "    provider: {prometheus: {address: 'http://p:9090', query: 'x{status=~\"5..\"}'}}\n"
    "---\n"
    "apiVersion: argoproj.io/v1alpha1\n"
    "kind: Rollout\n"
    "metadata: {name: r, namespace: p}\n"
    "spec:\n"
    "  replicas: 4\n"
    "  template:\n"
    "    spec:\n"
    "      containers: [{name: c, image: 'repo/app:good'}]\n"
    "  strategy:\n"
    "    canary:\n"
    "      trafficRouting: {nginx: {stableIngress: r}}\n"
    "      steps:\n"
    "      - setWeight: 25\n"
    "      - pause: {duration: 30s}\n"
    "      - analysis: {templates: [{templateName: errors}]}\n"
    "      - pause: {}\n"
    "---\n"
    "apiVersion: kargo.akuity.io/v1alpha1\n"
    "kind: Stage\n"
    "metadata: {name: s, namespace: p}\n"
    "spec:\n"
    "  requestedFreight:\n"
    "  - origin: {kind: Warehouse, name: w}\n"
    "    sources: {stages: [up]}\n"
    "  promotionTemplate: {spec: {steps: [{uses: argocd-update}]}}\n"
    "---\n"
    "apiVersion: kargo.akuity.io/v1alpha1\n"
    "kind: Stage\n"
    "metadata: {name: v, namespace: p}\n"
    "spec:\n"
    "  requestedFreight: [{origin: {kind: Warehouse, name: w}, sources: {direct: true}}]\n"
    "  promotionTemplate: {spec: {steps: [{uses: git-clone}, {uses: argocd-update, as: sync}]}}\n"
    "  vars:\n"
    "  - {name: base, value: svc}\n"
    "  - {name: full, value: '${{ vars.base }}-${{ ctx.stage }}'}\n"
    "  verification:\n"
    "    analysisTemplates: [{name: errors}]\n"
    "    args: [{name: svc, value: '${{ vars.full }}'}]\n"
    "---\n"
    "apiVersion: kargo.akuity.io/v1alpha1\n"
    "kind: Stage\n"
    "metadata: {name: broken, namespace: p}\n"
    "spec:\n"
    "  requestedFreight: [{origin: {kind: Warehouse, name: w}, sources: {direct: true}}]\n"
    "  promotionTemplate: {spec: {steps: [{uses: argocd-update}]}}\n"
    "  verification:\n"
    "    analysisTemplates: [{name: errors}]\n"
    "    args: [{name: svc, value: '${{ nope( }}'}]\n"
    "---\n"
    "apiVersion: kargo.akuity.io/v1alpha1\n"
    "kind: Freight\n"
    "metadata: {name: f1234567890, namespace: p}\n"
    "origin: {kind: Warehouse, name: w}\n"
    "images: [{repoURL: repo/app, tag: good}]\n";

static struct fd_sim_store *st;
static struct fd_sim_scenario *sc;
static struct fd_sim_ctl *ctl;

static void ctl_setup(void)
{
    char *err = NULL;
    st = fd_sim_store_new(0);
    sc = fd_sim_scenario_parse(SCENARIO, strlen(SCENARIO), "unit.yaml", &err);
    ck_assert_msg(sc != NULL, "%s", err ? err : "");
    ck_assert_msg(fd_sim_scenario_apply(sc, st, &err), "%s", err ? err : "");
    ctl = fd_sim_ctl_new(st, sc, 1, 1);
    ctl->clock.manual = 0;
}

static void ctl_teardown(void)
{
    fd_sim_ctl_free(ctl);
    fd_sim_scenario_free(sc);
    fd_sim_store_free(st);
}

static void at(int64_t ms)
{
    ctl->clock.manual = ms;
    fd_sim_ctl_pass(ctl);
}

static json_t *rollout_status(void)
{
    struct fd_sim_key k = {"argoproj.io", "v1alpha1", "rollouts", "p", "r"};
    json_t *ro = fd_sim_store_get(st, &k, NULL);
    json_t *s = json_incref(json_object_get(ro, "status"));
    json_decref(ro);
    return s;
}

static int64_t ival(const json_t *o, const char *path)
{
    json_t *v = json_object_get(o, path);
    return json_integer_value(v);
}

static const char *sval(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void set_image(const char *image)
{
    struct fd_sim_key k = {"argoproj.io", "v1alpha1", "rollouts", "p", "r"};
    char *patch = fd_xasprintf("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\","
                               "\"image\":\"%s\"}]}}}}",
                               image);
    json_t *p = J(patch);
    json_t *err = NULL;
    json_t *out = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, p, NULL, &err);
    ck_assert_msg(out != NULL, "patch failed");
    json_decref(out);
    json_decref(p);
    free(patch);
}

START_TEST(canary_steps_progress)
{
    at(0);
    json_t *s = rollout_status();
    ck_assert_str_eq(sval(s, "phase"), "Healthy");
    ck_assert_int_eq(ival(s, "currentStepIndex"), 4);
    json_decref(s);

    set_image("repo/app:good2");
    at(1000);
    s = rollout_status();
    ck_assert_str_eq(sval(s, "phase"), "Progressing");
    ck_assert_int_eq(ival(s, "currentStepIndex"), 0);
    ck_assert_int_eq(
        ival(json_object_get(json_object_get(json_object_get(s, "canary"), "weights"), "canary"),
             "weight"),
        25);
    json_decref(s);

    at(6000); /* the canary ReplicaSet is up: on to the pause */
    s = rollout_status();
    ck_assert_str_eq(sval(s, "phase"), "Paused");
    ck_assert_str_eq(sval(s, "message"), "CanaryPauseStep");
    ck_assert_int_eq(ival(s, "currentStepIndex"), 1);
    json_decref(s);

    at(20000); /* 14 s into a 30 s pause */
    s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 1);
    json_decref(s);

    at(37000); /* the pause is over: the analysis step starts measuring */
    s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 2);
    json_t *ars = json_object_get(json_object_get(s, "canary"), "currentStepAnalysisRunStatus");
    ck_assert_msg(strncmp(sval(ars, "name"), "r-", 2) == 0, "run %s", sval(ars, "name"));
    json_decref(s);

    at(37000 + 61000); /* the second measurement: Successful, on to pause {} */
    at(37000 + 62000);
    s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 3);
    ck_assert_str_eq(sval(s, "phase"), "Paused");
    json_decref(s);

    at(10 * 3600 * 1000); /* pause {} waits for a human */
    s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 3);
    json_decref(s);
}
END_TEST

START_TEST(bad_version_aborts)
{
    at(0);
    set_image("repo/app:bad");
    at(1000);
    at(6000);
    at(37000);
    at(37100);
    json_t *s = rollout_status();
    ck_assert_str_eq(sval(s, "phase"), "Degraded");
    ck_assert_msg(strstr(sval(s, "message"),
                         "RolloutAborted: Rollout aborted update to revision 2: "
                         "Step-based analysis phase failed: Metric "
                         "\"error-rate\" assessed Failed due to failed (1) > "
                         "failureLimit (0)") != NULL,
                  "message %s", sval(s, "message"));
    ck_assert(json_is_true(json_object_get(s, "abort")));
    ck_assert_int_eq(
        ival(json_object_get(json_object_get(json_object_get(s, "canary"), "weights"), "canary"),
             "weight"),
        0);
    json_decref(s);
}
END_TEST

START_TEST(promotion_admission)
{
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "promotions", "p", NULL};
    struct fd_sim_write w = {0};
    w.user = "bob";
    json_t *p = J("{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Promotion\","
                  "\"metadata\":{\"generateName\":\"x-\"},\"spec\":{\"stage\":\"s\","
                  "\"freight\":\"f1234567890\"}}");
    json_t *err = NULL;
    ck_assert(fd_sim_store_create(st, &k, p, &w, &err) == NULL);
    ck_assert_int_eq(fd_sim_status_code(err), 422);
    const char *msg = json_string_value(json_object_get(err, "message"));
    ck_assert_msg(strstr(msg,
                         "is invalid: spec.freight: Invalid value: \"f1234567890\": Freight is "
                         "not available to this Stage") != NULL,
                  "%s", msg);
    json_decref(err);

    /* Approved: renamed, steps copied, actor recorded. */
    struct fd_sim_key fk = {"kargo.akuity.io", "v1alpha1", "freights", "p", "f1234567890"};
    json_t *ap = J("{\"status\":{\"approvedFor\":{\"s\":{}}}}");
    struct fd_sim_write sw = {0};
    sw.subresource = "status";
    json_decref(fd_sim_store_patch(st, &fk, FD_SIM_PATCH_MERGE, ap, &sw, NULL));
    json_decref(ap);
    json_t *made = fd_sim_store_create(st, &k, p, &w, &err);
    ck_assert(made != NULL);
    const char *name =
        json_string_value(json_object_get(json_object_get(made, "metadata"), "name"));
    ck_assert_msg(strncmp(name, "s.", 2) == 0 && strlen(name) == 2 + 26 + 1 + 7 &&
                      strcmp(name + 2 + 26, ".f123456") == 0,
                  "name %s", name);
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_array_get(json_object_get(json_object_get(made, "spec"), "steps"), 0), "uses")),
        "argocd-update");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_object_get(made, "metadata"), "annotations"),
                         "kargo.akuity.io/create-actor")),
                     "kubernetes:bob");
    json_decref(made);
    json_decref(p);
}
END_TEST

static json_t *get(const char *resource, const char *name)
{
    struct fd_sim_key k = {strcmp(resource, "analysisruns") == 0 ? "argoproj.io"
                                                                 : "kargo.akuity.io",
                           "v1alpha1", resource, "p", name};
    return fd_sim_store_get(st, &k, NULL);
}

static char *promote(const char *stage)
{
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "promotions", "p", NULL};
    char *text = fd_xasprintf("{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":"
                              "\"Promotion\",\"metadata\":{\"generateName\":\"x-\"},"
                              "\"spec\":{\"stage\":\"%s\",\"freight\":\"f1234567890\"}}",
                              stage);
    json_t *p = J(text);
    json_t *made = fd_sim_store_create(st, &k, p, NULL, NULL);
    ck_assert(made != NULL);
    char *name =
        fd_xstrdup(json_string_value(json_object_get(json_object_get(made, "metadata"), "name")));
    json_decref(made);
    json_decref(p);
    free(text);
    return name;
}

static const char *path_str(const json_t *root, const char *const *path)
{
    const json_t *v = root;
    for (; *path && v; path++) {
        if (json_is_array(v))
            v = json_array_get(v, (size_t)atoi(*path));
        else
            v = json_object_get(v, *path);
    }
    return json_string_value(v) ? json_string_value(v) : "";
}

START_TEST(promotion_steps_and_verification)
{
    char *name = promote("v");
    at(0);
    at(0);
    json_t *p = get("promotions", name);
    const json_t *ps = json_object_get(p, "status");
    ck_assert_str_eq(sval(ps, "phase"), "Running");
    ck_assert_int_eq(ival(ps, "currentStep"), 0);
    json_decref(p);

    at(5000); /* git-clone (4 s) done; argocd-update (10 s) running */
    p = get("promotions", name);
    ps = json_object_get(p, "status");
    ck_assert_int_eq(ival(ps, "currentStep"), 1);
    static const char *const meta1[] = {"status", "stepExecutionMetadata", "1", "alias", NULL};
    static const char *const meta0[] = {"status", "stepExecutionMetadata", "0", "status", NULL};
    ck_assert_str_eq(path_str(p, meta1), "sync");
    ck_assert_str_eq(path_str(p, meta0), "Succeeded");
    json_decref(p);

    at(15000);
    at(15000);
    p = get("promotions", name);
    ck_assert_str_eq(sval(json_object_get(p, "status"), "phase"), "Succeeded");
    json_decref(p);
    json_t *stage = get("stages", "v");
    static const char *const cur[] = {"status",      "freightHistory", "0", "items",
                                      "Warehouse/w", "name",           NULL};
    static const char *const vphase[] = {"status", "freightHistory", "0", "verificationHistory",
                                         "0",      "phase",          NULL};
    static const char *const vrun[] = {"status", "freightHistory", "0",    "verificationHistory",
                                       "0",      "analysisRun",    "name", NULL};
    ck_assert_str_eq(path_str(stage, cur), "f1234567890");
    ck_assert_msg(strncmp(path_str(stage, vrun), "v.", 2) == 0, "run %s", path_str(stage, vrun));
    char *run = fd_xstrdup(path_str(stage, vrun));
    json_decref(stage);

    /* The run: the Stage's vars evaluated in order (each a template that sees
     * ctx and the vars before it, as Kargo's AnalysisRunBuilder.buildArgs),
     * then the arg; Kargo's labels. */
    json_t *ar = get("analysisruns", run);
    static const char *const arg0[] = {"spec", "args", "0", "value", NULL};
    static const char *const lbl[] = {"metadata", "labels", "kargo.akuity.io/stage", NULL};
    ck_assert_str_eq(path_str(ar, arg0), "svc-v");
    ck_assert_str_eq(path_str(ar, lbl), "v");
    json_decref(ar);

    /* Two measurements a minute apart of a good version: Successful, and
     * the Freight is verified in v. */
    at(16000);
    at(16000 + 61000);
    at(16000 + 61000);
    stage = get("stages", "v");
    ck_assert_str_eq(path_str(stage, vphase), "Successful");
    json_decref(stage);
    json_t *f = get("freights", "f1234567890");
    ck_assert(json_object_get(json_object_get(json_object_get(f, "status"), "verifiedIn"), "v"));
    ck_assert(json_object_get(json_object_get(json_object_get(f, "status"), "currentlyIn"), "v"));
    json_decref(f);
    free(run);
    free(name);
}
END_TEST

START_TEST(abort_promotion)
{
    char *name = promote("v");
    at(0);
    at(0);
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "promotions", "p", name};
    struct fd_sim_write w = {0};
    w.user = "bob";
    json_t *patch = J("{\"metadata\":{\"annotations\":{\"kargo.akuity.io/abort\":\"terminate\"}}}");
    json_t *out = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, patch, &w, NULL);
    ck_assert(out != NULL);
    static const char *const ann[] = {"metadata", "annotations", "kargo.akuity.io/abort", NULL};
    ck_assert_str_eq(
        path_str(out, ann),
        "{\"action\":\"terminate\",\"actor\":\"kubernetes:bob\",\"controlPlane\":false}");
    json_decref(out);
    json_decref(patch);
    at(1000);
    json_t *p = get("promotions", name);
    ck_assert_str_eq(sval(json_object_get(p, "status"), "phase"), "Aborted");
    json_decref(p);
    at(60000); /* nothing lands */
    json_t *stage = get("stages", "v");
    ck_assert(
        json_array_size(json_object_get(json_object_get(stage, "status"), "freightHistory")) == 0);
    json_decref(stage);
    free(name);
}
END_TEST

START_TEST(bad_argument_expression)
{
    char *name = promote("broken");
    at(0);
    at(0);
    at(20000);
    at(20000);
    json_t *stage = get("stages", "broken");
    static const char *const vphase[] = {"status", "freightHistory", "0", "verificationHistory",
                                         "0",      "phase",          NULL};
    static const char *const vmsg[] = {"status", "freightHistory", "0", "verificationHistory",
                                       "0",      "message",        NULL};
    ck_assert_str_eq(path_str(stage, vphase), "Error");
    ck_assert_msg(strncmp(path_str(stage, vmsg),
                          "error building AnalysisRun for Stage \"broken\" and Freight "
                          "collection \"",
                          68) == 0 &&
                      strstr(path_str(stage, vmsg),
                             "in namespace \"p\": build spec: build arguments: evaluate "
                             "argument \"svc\": ") != NULL,
                  "message %s", path_str(stage, vmsg));
    json_decref(stage);
    free(name);
}
END_TEST

/* ---- what a pass visits (ctl_dirty.c) -------------------------------------- */

static void settle(int64_t ms)
{
    /* A pass's own writes are the next pass's to see, until one writes
     * nothing. */
    for (int i = 0; i < 6; i++)
        at(ms);
}

static bool dirty_is(enum fd_sim_part part, const char *ns)
{
    const struct fd_sim_nsset *d = &ctl->dirty[part];
    return ns ? !d->all && d->n == 1 && strcmp(d->v[0], ns) == 0 : !d->all && d->n == 0;
}

START_TEST(timers_fire_without_a_change)
{
    settle(0);
    ck_assert(!fd_sim_ctl_dirty(ctl));
    set_image("repo/app:good2");
    settle(1000);
    /* setWeight waits for the ReplicaSet: the Rollout controller alone is
     * due again in p, by its timer; nothing wakes the others. */
    ck_assert(dirty_is(FD_SIM_PART_ROLLOUTS, "p"));
    ck_assert(dirty_is(FD_SIM_PART_STAGES, NULL));
    ck_assert(dirty_is(FD_SIM_PART_ANALYSIS, NULL));
    uint64_t rv = fd_sim_store_rv(st);
    at(6000); /* no write since: the timer moves the canary to its pause */
    ck_assert_uint_gt(fd_sim_store_rv(st), rv);
    json_t *s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 1);
    json_decref(s);
    settle(37000); /* the 30 s pause is over: the step analysis runs */
    s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 2);
    json_t *ars = json_object_get(json_object_get(s, "canary"), "currentStepAnalysisRunStatus");
    ck_assert_str_eq(sval(ars, "status"), "Running");
    json_decref(s);
    /* The run is measured by the clock though no namespace is due: the
     * Rollout waits for the run to change, the run for its interval. */
    ck_assert(dirty_is(FD_SIM_PART_ROLLOUTS, NULL));
    ck_assert(dirty_is(FD_SIM_PART_ANALYSIS, NULL));
    at(37000 + 61000); /* its second measurement, a minute later */
    settle(37000 + 61000);
    s = rollout_status();
    ck_assert_int_eq(ival(s, "currentStepIndex"), 3);
    ck_assert_str_eq(sval(s, "phase"), "Paused");
    json_decref(s);
}
END_TEST

/* scale:1000: three projects of ten Stages. */
static struct fd_sim_store *big_st;
static struct fd_sim_scenario *big_sc;
static struct fd_sim_ctl *big;

static void big_setup(void)
{
    char *err = NULL;
    big_st = fd_sim_store_new(0);
    big_sc = fd_sim_scenario_scale(1000);
    ck_assert_msg(fd_sim_scenario_apply(big_sc, big_st, &err), "%s", err ? err : "");
    big = fd_sim_ctl_new(big_st, big_sc, 1, 1);
    big->clock.manual = 0;
    for (int i = 0; i < 6; i++)
        fd_sim_ctl_pass(big);
}

static void big_teardown(void)
{
    fd_sim_ctl_free(big);
    fd_sim_scenario_free(big_sc);
    fd_sim_store_free(big_st);
}

static json_t *big_get(const char *plural, const char *ns, const char *name)
{
    const char *group = strcmp(plural, "analysisruns") == 0 ? "argoproj.io" : "kargo.akuity.io";
    struct fd_sim_key k = {group, "v1alpha1", plural, ns, name};
    json_t *o = fd_sim_store_get(big_st, &k, NULL);
    ck_assert_msg(o != NULL, "%s %s/%s", plural, ns, name);
    return o;
}

static void big_patch(const char *plural, const char *ns, const char *name, const char *patch)
{
    const char *group = strcmp(plural, "analysisruns") == 0 ? "argoproj.io" : "kargo.akuity.io";
    struct fd_sim_key k = {group, "v1alpha1", plural, ns, name};
    json_t *p = J(patch), *err = NULL;
    json_t *out = fd_sim_store_patch(big_st, &k, FD_SIM_PATCH_MERGE, p, NULL, &err);
    ck_assert_msg(out != NULL, "patch %s %s/%s: %s", plural, ns, name,
                  json_string_value(json_object_get(err, "message")));
    json_decref(out);
    json_decref(p);
}

static const char *summary(const char *ns, const char *stage, char *buf, size_t len)
{
    json_t *o = big_get("stages", ns, stage);
    snprintf(buf, len, "%s", sval(json_object_get(o, "status"), "freightSummary"));
    json_decref(o);
    return buf;
}

START_TEST(writes_no_controller_reads_wake_none)
{
    ck_assert(!fd_sim_ctl_dirty(big));
    json_t *list = fd_sim_ctl_list(big, FD_SIM_RES_FREIGHT, "proj-00");
    const char *fname = fd_sim_meta(json_array_get(json_object_get(list, "items"), 0), "name");
    /* The churn's annotation, a new alias (and so its label), on each kind
     * the churn touches. */
    big_patch("freights", "proj-00", fname,
              "{\"alias\":\"renamed-by-a-test\",\"metadata\":{\"annotations\":"
              "{\"sim.freightdeck.io/churn\":\"1\"}}}");
    big_patch("stages", "proj-00", "dev",
              "{\"metadata\":{\"annotations\":{\"sim.freightdeck.io/churn\":\"2\"}}}");
    big_patch("analysisruns", "proj-00", "dev.run-0000",
              "{\"metadata\":{\"annotations\":{\"sim.freightdeck.io/churn\":\"3\"}}}");
    ck_assert(!fd_sim_ctl_dirty(big));
    /* A Kargo annotation is read: the refresh wakes the Stage's project. */
    big_patch("stages", "proj-00", "dev",
              "{\"metadata\":{\"annotations\":{\"kargo.akuity.io/refresh\":\"r1\"}}}");
    for (int p = 0; p < FD_SIM_PART__COUNT; p++) {
        const struct fd_sim_nsset *d = &big->dirty[p];
        ck_assert(!d->all && d->n == 1 && strcmp(d->v[0], "proj-00") == 0);
    }
    json_decref(list);
}
END_TEST

START_TEST(a_change_in_one_project_visits_it_alone)
{
    char buf[128], want[128];
    summary("proj-00", "test", want, sizeof(want));
    ck_assert_str_ne(want, "stale");
    /* A Stage of proj-00 says what its controller would not: as if it had
     * been written just after proj-00 was last visited. */
    json_t *o = big_get("stages", "proj-00", "test");
    json_object_set_new(json_object_get(o, "status"), "freightSummary", json_string("stale"));
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "stages", "proj-00", "test"};
    struct fd_sim_write w = {.subresource = "status"};
    json_decref(fd_sim_store_update(big_st, &k, o, &w, NULL));
    json_decref(o);
    for (int p = 0; p < FD_SIM_PART__COUNT; p++)
        fd_sim_nsset_clear(&big->dirty[p]);

    /* A refresh in proj-01: the pass visits proj-01 (it acknowledges the
     * refresh) and not proj-00. */
    big_patch("stages", "proj-01", "qa",
              "{\"metadata\":{\"annotations\":{\"kargo.akuity.io/refresh\":\"r2\"}}}");
    ck_assert(!fd_sim_nsset_has(&big->dirty[FD_SIM_PART_STAGES], "proj-00"));
    ck_assert(fd_sim_nsset_has(&big->dirty[FD_SIM_PART_STAGES], "proj-01"));
    fd_sim_ctl_pass(big);
    o = big_get("stages", "proj-01", "qa");
    ck_assert_str_eq(sval(json_object_get(o, "status"), "lastHandledRefresh"), "r2");
    json_decref(o);
    ck_assert_str_eq(summary("proj-00", "test", buf, sizeof(buf)), "stale");

    /* A visit of proj-00 would have put it right. */
    fd_sim_ctl_schedule(big, FD_SIM_PART_STAGES, "proj-00");
    fd_sim_ctl_pass(big);
    ck_assert_str_eq(summary("proj-00", "test", buf, sizeof(buf)), want);
}
END_TEST

START_TEST(cluster_scoped_changes_wake_every_namespace)
{
    struct fd_sim_key k = {"argoproj.io", "v1alpha1", "clusteranalysistemplates", NULL, NULL};
    json_t *t = J("{\"metadata\":{\"name\":\"shared\"},\"spec\":{\"metrics\":[{\"name\":\"m\","
                  "\"provider\":{\"job\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[]}}}}}"
                  "}]}}");
    json_t *err = NULL;
    json_t *out = fd_sim_store_create(big_st, &k, t, NULL, &err);
    ck_assert_msg(out != NULL, "%s", json_string_value(json_object_get(err, "message")));
    for (int p = 0; p < FD_SIM_PART__COUNT; p++)
        ck_assert(big->dirty[p].all);
    json_decref(out);
    json_decref(t);
}
END_TEST

START_TEST(namespace_order_is_the_stores)
{
    struct fd_sim_nsset s = {0};
    fd_sim_nsset_add(&s, "a");
    fd_sim_nsset_add(&s, "a-b");
    fd_sim_nsset_add(&s, "b");
    fd_sim_nsset_add(&s, "a");
    ck_assert_uint_eq(s.n, 3);
    /* "a-b/x" sorts before "a/x" */
    ck_assert_str_eq(s.v[0], "a-b");
    ck_assert_str_eq(s.v[1], "a");
    ck_assert(fd_sim_nsset_has(&s, "b") && !fd_sim_nsset_has(&s, "c"));
    fd_sim_nsset_remove(&s, "a");
    ck_assert(!fd_sim_nsset_has(&s, "a") && s.n == 2);
    fd_sim_nsset_add(&s, NULL);
    ck_assert(s.all && fd_sim_nsset_has(&s, "anything"));
    fd_sim_nsset_clear(&s);
    ck_assert(!s.all && s.n == 0);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("sim_ctl");
    TCase *t = tcase_create("names");
    tcase_add_test(t, sha1_vectors);
    tcase_add_test(t, freight_id_images_sorted);
    tcase_add_test(t, freight_id_commits_and_charts);
    tcase_add_test(t, ulid_encoding);
    tcase_add_test(t, promotion_name);
    tcase_add_test(t, alias_shape);
    suite_add_tcase(s, t);
    t = tcase_create("logic");
    tcase_add_test(t, set_weight_rules);
    tcase_add_test(t, availability);
    tcase_add_test(t, fault_specs);
    tcase_add_test(t, scenario_errors_have_positions);
    tcase_add_test(t, builtin_scenarios_parse);
    tcase_add_test(t, uuid_shape);
    tcase_add_test(t, scale_sizes);
    tcase_add_test(t, scale_bad_sizes);
    tcase_add_test(t, scale_generated_objects_pass_every_check);
    suite_add_tcase(s, t);
    t = tcase_create("controllers");
    tcase_add_checked_fixture(t, ctl_setup, ctl_teardown);
    tcase_add_test(t, canary_steps_progress);
    tcase_add_test(t, bad_version_aborts);
    tcase_add_test(t, promotion_admission);
    tcase_add_test(t, promotion_steps_and_verification);
    tcase_add_test(t, bad_argument_expression);
    tcase_add_test(t, abort_promotion);
    tcase_add_test(t, timers_fire_without_a_change);
    suite_add_tcase(s, t);
    t = tcase_create("visits");
    tcase_add_checked_fixture(t, big_setup, big_teardown);
    tcase_add_test(t, writes_no_controller_reads_wake_none);
    tcase_add_test(t, a_change_in_one_project_visits_it_alone);
    tcase_add_test(t, cluster_scoped_changes_wake_every_namespace);
    tcase_add_test(t, namespace_order_is_the_stores);
    suite_add_tcase(s, t);
    return s;
}
