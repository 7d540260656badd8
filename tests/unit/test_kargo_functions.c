/* tests/unit/test_kargo_functions.c: Kargo's Freight, data and semver
 * functions (pkg/expressions/function, Kargo v1.11) as verification args use
 * them, over objects handed in by a callback. The expectations follow the
 * cases of Kargo's functions_test.go and freight/finder_test.go, written
 * here as our own data. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check_main.h"
#include "freightdeck/analysis.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

/* The project "shop": "kind/name" -> object. */
static const char *const objects =
    "{\"Warehouse/checkout\": {\"spec\": {\"subscriptions\": ["
    "  {\"image\": {\"repoURL\": \"ghcr.io/example/checkout\"}},"
    "  {\"git\": {\"repoURL\": \"https://github.com/example/checkout.git\"}},"
    "  {\"chart\": {\"repoURL\": \"oci://ghcr.io/example/charts\", \"name\": \"checkout\"}},"
    "  {\"s3\": {\"name\": \"bundle\"}}]}},"
    " \"Warehouse/payments\": {\"spec\": {\"subscriptions\": ["
    "  {\"image\": {\"repoURL\": \"ghcr.io/example/shared\"}},"
    "  {\"s3\": {\"name\": \"shared-bundle\"}}]}},"
    " \"Warehouse/other\": {\"spec\": {\"subscriptions\": ["
    "  {\"image\": {\"repoURL\": \"ghcr.io/example/shared\"}},"
    "  {\"s3\": {\"name\": \"shared-bundle\"}}]}},"
    " \"Freight/f0c1a55\": {\"status\": {\"metadata\": {\"owner\": \"team-a\", \"score\": 7}}},"
    " \"Stage/prod\": {\"status\": {\"metadata\": {\"aws-region\": \"eu-west-1\"}}},"
    " \"ConfigMap/settings\": {\"data\": {\"service\": \"checkout-api\", \"window\": \"5m\"}},"
    " \"Secret/prom\": {\"data\": {\"token\": \"czNjcjN0LXQwa2Vu\"}},"
    " \"kargo-shared-resources:ConfigMap/common\": {\"data\": {\"team\": \"sre\"}},"
    " \"kargo-shared-resources:Secret/generic\": {\"metadata\": {\"labels\":"
    "   {\"kargo.akuity.io/cred-type\": \"generic\"}}, \"data\": {\"k\": \"djE=\"}},"
    " \"kargo-shared-resources:Secret/git-creds\": {\"metadata\": {\"labels\":"
    "   {\"kargo.akuity.io/cred-type\": \"git\"}}, \"data\": {\"k\": \"djE=\"}}}";

static json_t *store;

static json_t *get(void *ud, const char *kind, const char *ns, const char *name, char **err)
{
    char key[256];

    (void)ud;
    if (strcmp(ns, "shop") != 0) {
        snprintf(key, sizeof(key), "%s:%s/%s", ns, kind, name);
        json_t *o = json_object_get(store, key);
        return o ? json_incref(o) : NULL;
    }
    *err = NULL;
    if (strcmp(name, "broken") == 0) {
        *err = fd_xstrdup("the server answered 500");
        return NULL;
    }
    snprintf(key, sizeof(key), "%s/%s", kind, name);
    json_t *o = json_object_get(store, key);
    return o ? json_incref(o) : NULL;
}

static const char *const freight_items =
    "{\"Warehouse/checkout\": {\"name\": \"f0c1a55\","
    "  \"origin\": {\"kind\": \"Warehouse\", \"name\": \"checkout\"},"
    "  \"images\": [{\"repoURL\": \"ghcr.io/example/checkout\", \"tag\": \"v1.4.2\","
    "               \"digest\": \"sha256:abc\", \"annotations\": {\"team\": \"a\"}}],"
    "  \"commits\": [{\"repoURL\": \"https://github.com/example/checkout\", \"id\": \"fa1afe1\","
    "                \"branch\": \"main\", \"message\": \"Fix the cart\"}],"
    "  \"charts\": [{\"repoURL\": \"oci://ghcr.io/example/charts\", \"name\": \"checkout\","
    "               \"version\": \"2.0.1\"}],"
    "  \"artifacts\": [{\"subscriptionName\": \"bundle\", \"version\": \"r42\","
    "                  \"artifactType\": \"application/zip\", \"metadata\": {\"size\": 12}}]}}";

static json_t *requested(const char *warehouses)
{
    json_t *arr = json_array();
    char *copy = fd_xstrdup(warehouses);

    for (char *w = strtok(copy, ","); w; w = strtok(NULL, ","))
        json_array_append_new(arr,
                              json_pack("{s{ssss}}", "origin", "kind", "Warehouse", "name", w));
    free(copy);
    return arr;
}

/* Evaluates a template with the objects; "ok: V" (JSON of the value) or
 * "error: MESSAGE" (first line). */
static char *run_with(const char *warehouses, const char *src)
{
    json_t *req = requested(warehouses), *items = json_loads(freight_items, 0, NULL);
    struct fd_expr_kargo_objects objs;
    struct fd_expr_error err;
    fd_value *env = fd_value_map_new(), *out = NULL;
    char *res;

    memset(&objs, 0, sizeof(objs));
    objs.project = "shop";
    objs.requested_freight = req;
    objs.freight = items;
    objs.get = get;
    if (fd_expr_kargo_eval(src, strlen(src), FD_EXPR_MODE_KARGO_TEMPLATE, env, &objs, &out, &err) ==
        0) {
        char *j = fd_value_to_json_text(out);
        res = fd_xasprintf("ok: %s", j);
        free(j);
    } else {
        res = fd_xasprintf("error: %s", err.message);
    }
    fd_value_unref(out);
    fd_value_unref(env);
    fd_expr_kargo_objects_clear(&objs);
    json_decref(req);
    json_decref(items);
    return res;
}

#define EXPECT_IN(warehouses, src, want)                                                    \
    do {                                                                                    \
        char *got_ = run_with(warehouses, src);                                             \
        ck_assert_msg(strcmp(got_, want) == 0, "%s: expected %s, got %s", src, want, got_); \
        free(got_);                                                                         \
    } while (0)
#define EXPECT(src, want) EXPECT_IN("checkout", src, want)

START_TEST(freight_functions)
{
    store = json_loads(objects, 0, NULL);
    /* imageFrom: the image of the only Warehouse that subscribes to it */
    EXPECT("${{ imageFrom('ghcr.io/example/checkout').Tag }}", "ok: \"v1.4.2\"");
    EXPECT("${{ imageFrom('ghcr.io/example/checkout').Digest }}", "ok: \"sha256:abc\"");
    EXPECT("${{ imageFrom('ghcr.io/example/checkout').Annotations.team }}", "ok: \"a\"");
    /* a map[string]string: a missing key is "" */
    EXPECT("${{ imageFrom('ghcr.io/example/checkout').Annotations.nope }}", "ok: \"\"");
    /* nothing subscribes to it: nil, and ?. / ?? handle it */
    EXPECT("${{ imageFrom('ghcr.io/example/none') == nil }}", "ok: true");
    /* a field of a nil *Image: the checker knows the struct, the VM's
     * FetchField indexes the zero Value (Kargo v1.11.2's own answer) */
    EXPECT("${{ imageFrom('ghcr.io/example/none').Tag }}",
           "error: reflect: call of reflect.Value.Field on zero Value");
    /* ...and a field the struct lacks is a compile error */
    EXPECT("${{ imageFrom('ghcr.io/example/checkout').tag }}",
           "error: type v1alpha1.Image has no field tag");
    /* artifactFrom gives a plain nil */
    EXPECT("${{ artifactFrom('nope').Version }}", "error: cannot get Version from <nil>");
    /* rendered as encoding/json writes the struct: its JSON names,
     * omitempty fields left out */
    EXPECT("x=${{ imageFrom('ghcr.io/example/checkout') }}",
           "ok: \"x={\\\"repoURL\\\":\\\"ghcr.io/example/checkout\\\",\\\"tag\\\":"
           "\\\"v1.4.2\\\",\\\"digest\\\":\\\"sha256:abc\\\",\\\"annotations\\\":"
           "{\\\"team\\\":\\\"a\\\"}}\"");
    /* fmt: the String() gogo/protobuf generated for *Image */
    EXPECT("${{ string(imageFrom('ghcr.io/example/none')) }}", "ok: \"nil\"");
    EXPECT("${{ string(warehouse('checkout')) }}", "ok: \"{Warehouse checkout}\"");
    EXPECT("${{ type(warehouse('checkout')) }}",
           "ok: \"github.com/akuity/kargo/api/v1alpha1.FreightOrigin\"");
    EXPECT("${{ imageFrom('ghcr.io/example/none')?.Tag ?? 'latest' }}", "ok: \"latest\"");
    /* an explicit origin */
    EXPECT("${{ imageFrom('ghcr.io/example/checkout', warehouse('checkout')).Tag }}",
           "ok: \"v1.4.2\"");
    EXPECT("${{ imageFrom('ghcr.io/example/checkout', warehouse('payments')) == nil }}",
           "ok: true");
    EXPECT("${{ warehouse('checkout').Kind }}", "ok: \"Warehouse\"");
    EXPECT("${{ warehouse('') }}", "error: name must not be empty");
    /* commitFrom normalizes Git URLs on both sides */
    EXPECT("${{ commitFrom('https://GitHub.com/example/checkout.git/').ID }}", "ok: \"fa1afe1\"");
    EXPECT("${{ commitFrom('https://github.com/example/checkout').Branch }}", "ok: \"main\"");
    EXPECT("${{ commitFrom('https://github.com/example/checkout').Tag }}", "ok: \"\"");
    EXPECT("${{ chartFrom('oci://ghcr.io/example/charts', 'checkout').Version }}", "ok: \"2.0.1\"");
    EXPECT("${{ chartFrom('oci://ghcr.io/example/charts') }}",
           "error: chart from repo oci://ghcr.io/example/charts not found in referenced Freight");
    EXPECT("${{ chartFrom('oci://ghcr.io/example/charts', 'nope') }}",
           "error: chart \"nope\" from repo oci://ghcr.io/example/charts not found in "
           "referenced Freight");
    EXPECT("${{ artifactFrom('bundle').Version }}", "ok: \"r42\"");
    EXPECT("${{ artifactFrom('bundle').Metadata.size }}", "ok: 12.0");
    EXPECT("${{ artifactFrom('nope') == nil }}", "ok: true");
    /* two requested Warehouses could provide it */
    EXPECT_IN("payments,other", "${{ imageFrom('ghcr.io/example/shared') }}",
              "error: multiple requested Freight could potentially provide a container image "
              "from repository ghcr.io/example/shared: please provide a Freight origin to "
              "disambiguate");
    EXPECT_IN("payments,other", "${{ artifactFrom('shared-bundle') }}",
              "error: error finding artifact from subscription shared-bundle: multiple "
              "requested Freight could potentially provide a \"shared-bundle\" artifact; "
              "please update promotion steps to disambiguate");
    /* an explicit origin settles it */
    EXPECT_IN("payments,other",
              "${{ imageFrom('ghcr.io/example/shared', warehouse('other')) == nil }}", "ok: true");
    EXPECT_IN("nope", "${{ imageFrom('ghcr.io/x') }}",
              "error: Warehouse \"nope\" not found in namespace \"shop\"");
    EXPECT_IN("broken", "${{ commitFrom('https://x/y') }}",
              "error: error getting Warehouse \"broken\" in namespace \"shop\": error getting "
              "Warehouse \"broken\" in namespace \"shop\": the server answered 500");
    /* argument checks: the compiler's, then the function's own */
    EXPECT("${{ imageFrom(1) }}", "error: cannot use int as argument (type string) to call "
                                  "imageFrom ");
    /* Kargo declares the origin a v1alpha1.FreightOrigin: a string fits
     * no overload, and the checker reports the last one's error */
    EXPECT("${{ imageFrom('x', 'y') }}", "error: too many arguments to call imageFrom");
    /* an argument of no known type passes the checker: the function's own
     * check */
    EXPECT("${{ imageFrom('x', nope) }}",
           "error: second argument must be FreightOrigin, got <nil>");
    /* metadata: JSON values, nil when absent */
    EXPECT("${{ freightMetadata('f0c1a55').owner }}", "ok: \"team-a\"");
    EXPECT("${{ freightMetadata('f0c1a55').score }}", "ok: 7.0");
    EXPECT("${{ freightMetadata('gone') == nil }}", "ok: true");
    EXPECT("${{ freightMetadata('') }}", "error: freight ref name must not be empty");
    EXPECT("${{ stageMetadata('prod')['aws-region'] }}", "ok: \"eu-west-1\"");
    EXPECT("${{ stageMetadata('broken') }}",
           "error: failed to get stage broken: the server answered 500");
    /* ConfigMaps and Secrets: empty when absent */
    EXPECT("${{ configMap('settings').service }}", "ok: \"checkout-api\"");
    EXPECT("${{ configMap('settings').nope }}", "ok: \"\"");
    EXPECT("${{ configMap('gone') }}", "ok: {}");
    EXPECT("${{ secret('prom').token }}", "ok: \"s3cr3t-t0ken\"");
    /* the shared resources namespace; only generic credentials */
    EXPECT("${{ sharedConfigMap('common').team }}", "ok: \"sre\"");
    EXPECT("${{ sharedSecret('generic').k }}", "ok: \"v1\"");
    EXPECT("${{ sharedSecret('git-creds') }}", "ok: {}");
    EXPECT("${{ configMap('common') }}", "ok: {}");
    /* a secret never reaches an error message */
    char *got = run_with("checkout", "${{ int(secret('prom').token) }}");
    ck_assert_msg(strstr(got, "error: ") == got && strstr(got, "<redacted>") &&
                      !strstr(got, "s3cr3t"),
                  "%s", got);
    free(got);
    json_decref(store);
}
END_TEST

START_TEST(without_objects)
{
    struct fd_expr_error err;
    fd_value *out = NULL;
    const char *src = "commitFrom('x')";

    ck_assert_int_eq(fd_expr_eval(src, strlen(src), FD_EXPR_MODE_KARGO, NULL, &out, &err), -1);
    ck_assert_str_eq(err.message, "commitFrom() reads the Stage's Freight and the project's "
                                  "objects, which this evaluation was not given (analyze "
                                  "--stage gives them)");
}
END_TEST

static char *eval_kargo(const char *src)
{
    struct fd_expr_error err;
    fd_value *out = NULL;
    char *res;

    if (fd_expr_eval(src, strlen(src), FD_EXPR_MODE_KARGO, NULL, &out, &err) == 0) {
        char *j = fd_value_to_json_text(out);
        res = fd_xasprintf("ok: %s", j);
        free(j);
    } else {
        res = fd_xasprintf("error: %s", err.message);
    }
    fd_value_unref(out);
    return res;
}

#define SEMVER(src, want)                                                                   \
    do {                                                                                    \
        char *got_ = eval_kargo(src);                                                       \
        ck_assert_msg(strcmp(got_, want) == 0, "%s: expected %s, got %s", src, want, got_); \
        free(got_);                                                                         \
    } while (0)

/* semverDiff and semverParse (functions_test.go's cases, and Masterminds
 * semver's coercing parser). */
START_TEST(semver)
{
    SEMVER("semverDiff('1.1.1', '2.2.2')", "ok: \"Major\"");
    SEMVER("semverDiff('1.1.1', '1.2.2')", "ok: \"Minor\"");
    SEMVER("semverDiff('1.1.1', '1.1.2')", "ok: \"Patch\"");
    SEMVER("semverDiff('1.1.1+build1', '1.1.1+build2')", "ok: \"Metadata\"");
    SEMVER("semverDiff('1.2.3', '1.2.3')", "ok: \"None\"");
    SEMVER("semverDiff('invalid', '1.0.0')", "ok: \"Incomparable\"");
    SEMVER("semverDiff('1.0.0', 'invalid')", "ok: \"Incomparable\"");
    SEMVER("semverDiff('1.0.0-alpha', '1.0.0-beta')", "ok: \"None\"");
    SEMVER("semverDiff('1.0.0-alpha.1+build.1', '1.0.0-alpha.1+build.2')", "ok: \"Metadata\"");
    SEMVER("semverDiff('v1.2', '1.2.0')", "ok: \"None\"");
    SEMVER("semverDiff(1, '1.0.0')",
           "error: cannot use int as argument (type string) to call semverDiff ");
    SEMVER("semverParse('1.2.3').Major()", "ok: 1");
    SEMVER("semverParse('v1.2.3-rc.1+b5').Prerelease()", "ok: \"rc.1\"");
    SEMVER("semverParse('v1.2.3-rc.1+b5').Metadata()", "ok: \"b5\"");
    SEMVER("semverParse('v1.2').String()", "ok: \"1.2.0\"");
    SEMVER("semverParse('v1.2').Original()", "ok: \"v1.2\"");
    /* Inc* give a semver.Version (a value): fmt, JSON and the peers print
     * its String() */
    SEMVER("semverParse('v1.2.3').IncMinor()", "ok: {\"$go\":\"semver.Version 1.3.0\"}");
    SEMVER("semverParse('1.2.3-rc.1').IncPatch()", "ok: {\"$go\":\"semver.Version 1.2.3\"}");
    SEMVER("semverParse('v1.2.3').IncMinor().Original()",
           "error: type semver.Version has no method Original");
    SEMVER("semverParse('1.2.3').IncMajor().Major()", "ok: 2");
    SEMVER("type(semverParse('1.2.3').Major())", "ok: \"uint\"");
    SEMVER("semverParse('1.2.3').LessThan(semverParse('1.10.0'))", "ok: true");
    SEMVER("semverParse('1.0.0-alpha.2').LessThan(semverParse('1.0.0-alpha.10'))", "ok: true");
    SEMVER("semverParse('1.0.0-alpha').LessThan(semverParse('1.0.0'))", "ok: true");
    SEMVER("semverParse('1.0.0').Compare(semverParse('1.0.0+x'))", "ok: 0");
    /* a *semver.Version is no string: Masterminds' types, as Kargo
     * declares them */
    SEMVER("semverParse('1.2.3').LessThan('1.10.0')",
           "error: cannot use string as argument (type *semver.Version) to call LessThan ");
    SEMVER("len(semverParse('1.2.3'))", "error: invalid argument for len (type *semver.Version)");
    SEMVER("upper(semverParse('1.2.3'))",
           "error: cannot use *semver.Version as argument (type string) to call upper ");
    SEMVER("semverParse('1.2.3') == '1.2.3'",
           "error: invalid operation: == (mismatched types semver.Version and string)");
    SEMVER("'1.2.3'.Major()", "error: type string has no method Major");
    /* ...nor at run time, reached through a value of no known type (`??`
     * gives the semver.Version): the VM's type switches and assertions */
    SEMVER("(nope ?? semverParse('1.0.0')) < (nope ?? semverParse('2.0.0'))",
           "error: invalid operation: semver.Version < semver.Version");
    SEMVER("(nope ?? semverParse('1.0.0')) contains '1'",
           "error: interface conversion: interface {} is semver.Version, not string");
    SEMVER("upper(nope ?? semverParse('1.0.0'))",
           "error: interface conversion: interface {} is semver.Version, not string");
    SEMVER("len(nope ?? semverParse('1.0.0'))",
           "error: invalid argument for len (type semver.Version)");
    SEMVER("(nope ?? semverParse('1.0.0')).LessThan(semverParse('2.0.0'))",
           "error: cannot fetch LessThan from semver.Version");
    SEMVER("semverParse('01.2.3').Major()", "ok: 1");
    SEMVER("semverParse('invalid')", "error: invalid semantic version: invalid semantic version");
    SEMVER("semverParse('1.2.3-01')",
           "error: invalid semantic version: version segment starts with 0");
    SEMVER("semverParse('99999999999999999999.0.0')",
           "error: invalid semantic version: error parsing version segment: strconv.ParseUint: "
           "parsing \"99999999999999999999\": value out of range");
    SEMVER("semverParse('1.2.3.4')", "error: invalid semantic version: invalid semantic version");
    SEMVER("semverParse('')", "error: invalid semantic version: invalid semantic version");
    /* expr runs a method's arguments before its receiver: the argument's
     * error wins (found by the difftest against the peer) */
    SEMVER("semverParse('bad').LessThan(semverParse('1.2.3-01'))",
           "error: invalid semantic version: version segment starts with 0");
}
END_TEST

START_TEST(verification_args_redacted)
{
    json_t *stage = json_loads(
        "{\"metadata\":{\"name\":\"prod\",\"namespace\":\"shop\"},\"spec\":{"
        "\"requestedFreight\":[{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"checkout\"}}],"
        "\"verification\":{\"args\":["
        "{\"name\":\"tag\",\"value\":\"${{ imageFrom('ghcr.io/example/checkout').Tag }}\"},"
        "{\"name\":\"svc\",\"value\":\"${{ configMap('settings').service }}\"},"
        "{\"name\":\"token\",\"value\":\"Bearer ${{ secret('prom').token }}\"}]}},"
        "\"status\":{}}",
        0, NULL);
    /* the stage's collection is the test's Freight */
    json_t *items = json_loads(freight_items, 0, NULL);
    json_t *fh = json_pack("[{so}]", "items", items);
    json_object_set_new(json_object_get(stage, "status"), "freightHistory", fh);
    struct fd_expr_kargo_objects objs;
    size_t n = 0;
    char *err = NULL;

    ck_assert_ptr_nonnull(stage);
    store = json_loads(objects, 0, NULL);
    memset(&objs, 0, sizeof(objs));
    objs.get = get;
    struct fd_analysis_arg *a =
        fd_analysis_kargo_verification_args(stage, NULL, 0, &objs, &n, &err);
    ck_assert_msg(a != NULL, "%s", err);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(a[0].value, "v1.4.2");
    ck_assert(!a[0].secret);
    ck_assert_str_eq(a[1].value, "checkout-api");
    ck_assert_str_eq(a[2].value, "Bearer s3cr3t-t0ken");
    ck_assert(a[2].secret);
    char *shown = fd_expr_kargo_redact(&objs, "query: up{auth=\"Bearer s3cr3t-t0ken\"}");
    ck_assert_str_eq(shown, "query: up{auth=\"Bearer <redacted>\"}");
    free(shown);
    for (size_t i = 0; i < n; i++)
        fd_analysis_arg_free(&a[i]);
    free(a);
    fd_expr_kargo_objects_clear(&objs);
    json_decref(stage);
    json_decref(store);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("kargo-functions");
    TCase *tc = tcase_create("functions");

    tcase_add_test(tc, freight_functions);
    tcase_add_test(tc, without_objects);
    tcase_add_test(tc, semver);
    tcase_add_test(tc, verification_args_redacted);
    suite_add_tcase(s, tc);
    return s;
}
