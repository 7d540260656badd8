/* tests/unit/test_sim_api.c: request handling of the simulated API server
 * without sockets: routing, discovery, Status errors, auth, YAML loading. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "check_main.h"
#include "freightdeck/sim.h"

static struct fd_sim_api *api;

static void setup(void)
{
    api = fd_sim_api_new(0);
}

static void teardown(void)
{
    fd_sim_api_free(api);
}

/* Sends a request; returns the parsed body (or NULL) and the code. */
static json_t *call(const char *method, const char *target, const char *ctype, const char *body,
                    const char *auth, int *code)
{
    char *path = fd_xstrdup(target);
    char *q = strchr(path, '?');
    if (q)
        *q++ = '\0';
    char **query = fd_sim_query_parse(q);
    struct fd_sim_request req = {
        method, path, (const char *const *)query, ctype, "application/json",
        auth,   body, body ? strlen(body) : 0};
    struct fd_sim_response resp;
    fd_sim_api_handle(api, &req, &resp);
    *code = resp.code;
    json_t *j = resp.body ? json_loads(resp.body, 0, NULL) : NULL;
    fd_sim_response_free(&resp);
    fd_sim_query_free(query);
    free(path);
    return j;
}

static const char *str(const json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

#define CREATE_NS                                                                               \
    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"demo\",\"labels\":" \
    "{\"kargo.akuity.io/project\":\"true\"}}}"
#define STAGES "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/stages"

START_TEST(discovery_documents)
{
    int code;
    json_t *j = call("GET", "/apis", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 200);
    ck_assert_str_eq(str(j, "kind"), "APIGroupList");
    /* kargo.akuity.io, argoproj.io, authorization.k8s.io and apps (ReplicaSets,
     * and the argo-rollouts controller's Deployment, read for its release) */
    ck_assert_int_eq(json_array_size(json_object_get(j, "groups")), 4);
    json_decref(j);
    j = call("GET", "/apis/apps/v1", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 200);
    ck_assert_str_eq(str(j, "groupVersion"), "apps/v1");
    bool rs = false;
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(j, "resources"), k, e)
    {
        rs = rs || (strcmp(str(e, "name"), "replicasets") == 0 &&
                    json_is_true(json_object_get(e, "namespaced")));
    }
    ck_assert_msg(rs, "/apis/apps/v1 lists replicasets");
    json_decref(j);
    j = call("GET", "/apis/kargo.akuity.io/v1alpha1", NULL, NULL, NULL, &code);
    ck_assert_str_eq(str(j, "groupVersion"), "kargo.akuity.io/v1alpha1");
    json_t *res = json_object_get(j, "resources");
    bool promo = false, status = false;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        if (strcmp(str(r, "name"), "promotions") == 0)
            promo = json_array_size(json_object_get(r, "shortNames")) == 2;
        if (strcmp(str(r, "name"), "freights/status") == 0)
            status = true;
    }
    ck_assert(promo && status);
    json_decref(j);
    j = call("GET", "/api", NULL, NULL, NULL, &code);
    ck_assert_str_eq(str(j, "kind"), "APIVersions");
    json_decref(j);
    j = call("GET", "/version", NULL, NULL, NULL, &code);
    ck_assert_str_eq(str(j, "major"), "1");
    json_decref(j);
    j = call("GET", "/openapi/v3", NULL, NULL, NULL, &code);
    ck_assert_ptr_nonnull(
        json_object_get(json_object_get(j, "paths"), "apis/argoproj.io/v1alpha1"));
    json_decref(j);
    j = call("GET", "/apis/nope.io/v1", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 404);
    ck_assert_str_eq(str(j, "message"), "the server could not find the requested resource");
    json_decref(j);
}
END_TEST

START_TEST(crud_and_errors)
{
    int code;
    json_decref(call("POST", "/api/v1/namespaces", "application/json", CREATE_NS, NULL, &code));
    ck_assert_int_eq(code, 201);
    json_t *j = call("POST", STAGES, "application/json",
                     "{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Stage\","
                     "\"metadata\":{\"name\":\"prod\"},\"spec\":{\"requestedFreight\":[{\"origin\":"
                     "{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{\"direct\":true}}]}}",
                     NULL, &code);
    ck_assert_int_eq(code, 201);
    json_decref(j);
    j = call("GET", STAGES "/prod", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 200);
    ck_assert_str_eq(str(j, "kind"), "Stage");
    json_decref(j);

    j = call("PATCH", STAGES "/prod", "application/strategic-merge-patch+json", "{}", NULL, &code);
    ck_assert_int_eq(code, 415);
    ck_assert_str_eq(str(j, "reason"), "UnsupportedMediaType");
    ck_assert_str_eq(str(j, "message"),
                     "the body of the request was in an unknown format - accepted media types "
                     "include: application/json-patch+json, application/merge-patch+json, "
                     "application/apply-patch+yaml");
    json_decref(j);

    j = call("PATCH", STAGES "/prod", "application/merge-patch+json", "{not json", NULL, &code);
    ck_assert_int_eq(code, 400);
    ck_assert_str_eq(str(j, "kind"), "Status");
    json_decref(j);
    j = call("PATCH", STAGES "/prod", "application/json-patch+json",
             "[{\"op\":\"test\",\"path\":\"/spec/x\",\"value\":1}]", NULL, &code);
    ck_assert_int_eq(code, 422);
    json_decref(j);
    j = call("POST", STAGES, "application/json", "[1,2", NULL, &code);
    ck_assert_int_eq(code, 400);
    ck_assert(strncmp(str(j, "message"), "couldn't get version/kind; json parse error", 43) == 0);
    json_decref(j);
    j = call("GET", STAGES "?labelSelector=a%20in%20(", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 400);
    ck_assert_str_eq(str(j, "reason"), "BadRequest");
    json_decref(j);
    j = call("GET", "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/gizmos", NULL, NULL, NULL,
             &code);
    ck_assert_int_eq(code, 404);
    json_decref(j);
    j = call("PUT", STAGES, "application/json", "{}", NULL, &code);
    ck_assert_int_eq(code, 405);
    ck_assert_str_eq(str(j, "reason"), "MethodNotAllowed");
    json_decref(j);
    j = call("GET", "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/stages/prod/scale", NULL, NULL,
             NULL, &code);
    ck_assert_int_eq(code, 404);
    json_decref(j);
    j = call("GET", "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/projects", NULL, NULL, NULL,
             &code);
    ck_assert_int_eq(code, 404); /* projects are cluster-scoped */
    json_decref(j);
    j = call("DELETE", STAGES "/prod", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 200);
    /* kube-apiserver v1.34.5 answers the delete of a custom resource without
     * finalizers with a Success Status naming it. */
    ck_assert_str_eq(str(j, "kind"), "Status");
    ck_assert_str_eq(str(j, "status"), "Success");
    ck_assert_str_eq(str(json_object_get(j, "details"), "name"), "prod");
    ck_assert_str_eq(str(json_object_get(j, "details"), "kind"), "stages");
    json_decref(j);
    j = call("DELETE", STAGES "/prod", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 404);
    json_decref(j);
}
END_TEST

START_TEST(tokens_roles_and_access_reviews)
{
    char path[] = "/tmp/fd-sim-tokens-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *text = "# token user role\nadm alice admin\npro bob promoter\nvie carol viewer\n";
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    char *err = NULL;
    ck_assert_int_eq(fd_sim_api_set_tokens(api, path, &err), FD_OK);
    unlink(path);
    int code;
    json_t *j = call("GET", "/api/v1/namespaces", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 401);
    ck_assert_str_eq(str(j, "message"), "Unauthorized");
    json_decref(j);
    json_decref(call("GET", "/api/v1/namespaces", NULL, NULL, "Bearer nope", &code));
    ck_assert_int_eq(code, 401);
    json_decref(
        call("POST", "/api/v1/namespaces", "application/json", CREATE_NS, "Bearer adm", &code));
    ck_assert_int_eq(code, 201);
    json_decref(call("GET", STAGES, NULL, NULL, "Bearer vie", &code));
    ck_assert_int_eq(code, 200);
    j = call("PATCH", STAGES "/x", "application/merge-patch+json", "{}", "Bearer vie", &code);
    ck_assert_int_eq(code, 403);
    ck_assert_str_eq(
        str(j, "message"),
        "stages.kargo.akuity.io \"x\" is forbidden: User \"carol\" cannot patch "
        "resource \"stages\" in API group \"kargo.akuity.io\" in the namespace \"demo\"");
    json_decref(j);
    j = call("PATCH", "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/freights/f/status",
             "application/merge-patch+json", "{}", "Bearer pro", &code);
    ck_assert_int_eq(code, 404); /* allowed, but there is no such freight */
    json_decref(j);
    j = call("PATCH", "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/freights/f",
             "application/merge-patch+json", "{}", "Bearer pro", &code);
    ck_assert_int_eq(code, 403);
    json_decref(j);
    j = call("DELETE", "/apis/kargo.akuity.io/v1alpha1/projects/p", NULL, NULL, "Bearer pro",
             &code);
    ck_assert_int_eq(code, 403);
    ck_assert_str_eq(str(j, "message"),
                     "projects.kargo.akuity.io \"p\" is forbidden: User \"bob\" cannot delete "
                     "resource \"projects\" in API group \"kargo.akuity.io\" at the cluster scope");
    json_decref(j);

    static const char *const ssar =
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
        "\"spec\":{\"resourceAttributes\":{\"namespace\":\"demo\",\"verb\":\"create\","
        "\"group\":\"kargo.akuity.io\",\"resource\":\"promotions\"}}}";
    j = call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
             ssar, "Bearer pro", &code);
    ck_assert_int_eq(code, 201);
    ck_assert(json_is_true(json_object_get(json_object_get(j, "status"), "allowed")));
    json_decref(j);
    j = call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
             ssar, "Bearer vie", &code);
    ck_assert(json_is_false(json_object_get(json_object_get(j, "status"), "allowed")));
    json_decref(j);
    j = call("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", NULL, NULL,
             "Bearer adm", &code);
    ck_assert_int_eq(code, 405);
    json_decref(j);
}
END_TEST

START_TEST(load_yaml_reports_positions)
{
    char path[] = "/tmp/fd-sim-load-XXXXXX";
    int fd = mkstemp(path);
    const char *text =
        "apiVersion: kargo.akuity.io/v1alpha1\nkind: Project\nmetadata:\n"
        "  name: demo\n---\n"
        "apiVersion: kargo.akuity.io/v1alpha1\nkind: Stage\nmetadata:\n  name: a\n"
        "  namespace: demo\nspec:\n  shard: \"007\"\n  n: 7\n"
        "  requestedFreight: [{origin: {kind: Warehouse, name: w}, sources: {}}]\n"
        "---\n"
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r, "
        "namespace: demo}\nspec: {selector: {matchLabels: {app: r}}, template: "
        "{metadata: {labels: {app: r}}, spec: {containers: [{name: c, image: app}]}}}\n"
        "status: {abort: true}\n";
    ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
    close(fd);
    char *err = NULL;
    ck_assert_int_eq(fd_sim_api_load(api, path, &err), FD_OK);
    int code;
    json_t *j = call("GET", STAGES "/a", NULL, NULL, NULL, &code);
    ck_assert_int_eq(code, 200);
    ck_assert_str_eq(str(json_object_get(j, "spec"), "shard"), "007");
    /* An unknown field is pruned, as the API server prunes it. */
    ck_assert_ptr_null(json_object_get(json_object_get(j, "spec"), "n"));
    json_decref(j);
    j = call("GET", "/apis/argoproj.io/v1alpha1/namespaces/demo/rollouts/r", NULL, NULL, NULL,
             &code);
    ck_assert(json_is_true(json_object_get(json_object_get(j, "status"), "abort")));
    json_decref(j);

    fd = open(path, O_WRONLY | O_TRUNC);
    const char *bad = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  bad: [1, 2\n";
    ck_assert_int_eq(write(fd, bad, strlen(bad)), (int)strlen(bad));
    close(fd);
    ck_assert_int_ne(fd_sim_api_load(api, path, &err), FD_OK);
    char *want = fd_xasprintf("%s:6:", path);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got %s", err);
    free(want);
    free(err);

    fd = open(path, O_WRONLY | O_TRUNC);
    const char *unknown = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: y}\n---\n"
                          "apiVersion: v9\nkind: Gizmo\n";
    ck_assert_int_eq(write(fd, unknown, strlen(unknown)), (int)strlen(unknown));
    close(fd);
    ck_assert_int_ne(fd_sim_api_load(api, path, &err), FD_OK);
    want = fd_xasprintf("%s:5:1: no resource of kind \"Gizmo\" in apiVersion \"v9\"", path);
    ck_assert_str_eq(err, want);
    free(want);
    free(err);
    unlink(path);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("sim_api");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, discovery_documents);
    tcase_add_test(tc, crud_and_errors);
    tcase_add_test(tc, tokens_roles_and_access_reviews);
    tcase_add_test(tc, load_yaml_reports_positions);
    suite_add_tcase(s, tc);
    return s;
}
