/* tests/unit/test_client_fleet.c: the config file of several clusters, the
 * Rollout lookup convention, and the action planner's exact requests. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

static struct fd_client_fleet *load_ok(const char *text)
{
    struct fd_client_fleet *f = NULL;
    struct fd_kube_error err = {0};
    enum fd_status st = fd_client_fleet_load_buffer("cfg.yaml", text, strlen(text), &f, &err);
    ck_assert_msg(st == FD_OK, "expected FD_OK, got %s: %s", fd_status_name(st), err.message);
    return f;
}

static const char *load_err(const char *text)
{
    static struct fd_kube_error err;
    struct fd_client_fleet *f = NULL;
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(fd_client_fleet_load_buffer("cfg.yaml", text, strlen(text), &f, &err),
                     FD_PARSE);
    ck_assert_ptr_null(f);
    return err.message;
}

START_TEST(fleet_full)
{
    struct fd_client_fleet *f = load_ok("kargo:\n  context: cp\n"
                                        "stages:\n"
                                        "  - project: payments\n    stage: prod\n"
                                        "    context: eu\n    rollouts: [a, b]\n"
                                        "  - stage: payments/dev\n    selector: app=x\n");
    ck_assert_str_eq(f->kargo_context, "cp");
    ck_assert_uint_eq(f->n_stages, 2);
    const struct fd_client_stage_map *m = fd_client_fleet_find(f, "payments", "prod");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->context, "eu");
    ck_assert_str_eq(m->ns, "payments");
    ck_assert_uint_eq(m->n_rollouts, 2);
    ck_assert_str_eq(m->rollouts[1], "b");
    m = fd_client_fleet_find(f, "payments", "dev");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(m->context);
    ck_assert_str_eq(m->selector, "app=x");
    const char **ctx;
    size_t n = fd_client_fleet_contexts(f, &ctx);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(ctx[0], "cp");
    ck_assert_str_eq(ctx[1], "eu");
    free(ctx);
    fd_client_fleet_free(f);
}
END_TEST

START_TEST(fleet_empty_and_errors)
{
    struct fd_client_fleet *f = load_ok("");
    ck_assert_uint_eq(f->n_stages, 0);
    fd_client_fleet_free(f);
    ck_assert_str_eq(load_err("stages:\n  - stage: prod\n    rollout: a\n"),
                     "cfg.yaml:3:5: unknown key \"rollout\" in a stages entry (did you mean "
                     "\"rollouts\"?)");
    ck_assert_str_eq(load_err("stages:\n  - stage: prod\n"),
                     "cfg.yaml:2:5: stage \"prod\": \"project\" is required (or write stage: "
                     "PROJECT/prod)");
    ck_assert_str_eq(load_err("stages:\n  - stage: p/s\n  - {project: p, stage: s}\n"),
                     "cfg.yaml:3:5: stage \"s\" is already mapped at line 2");
    ck_assert_str_eq(load_err("stages:\n  - stage: p/s\n    selector: nope\n"),
                     "cfg.yaml:3:15: selector \"nope\": expected key=value[,key=value]");
    ck_assert_str_eq(load_err("stages: [\n"), "cfg.yaml:2:1: YAML syntax error: did not find "
                                              "expected node content while parsing a flow node");
    ck_assert_str_eq(load_err("kargo: x\n"),
                     "cfg.yaml:1:8: \"kargo\": expected a mapping (context: NAME)");
}
END_TEST

static struct fd_model_object *decode(const char *json)
{
    struct fd_model_object *o = NULL;
    char *err = NULL;
    ck_assert_msg(fd_model_decode_text(json, strlen(json), FD_MODEL_KIND_UNKNOWN, &o, &err) ==
                      FD_OK,
                  "%s", err ? err : "");
    return o;
}

START_TEST(fleet_key_positions)
{
    struct fd_client_fleet *f = load_ok("# control plane\nkargo:\n  context: cp\n"
                                        "stages:\n"
                                        "  - project: shop\n    stage: prodd\n"
                                        "    context: eu\n"
                                        "  - {stage: shop/qa, context: eu}\n");
    char *w = fd_client_fleet_context_where(f, "cp");
    ck_assert_str_eq(w, "cfg.yaml:3:3");
    free(w);
    w = fd_client_fleet_context_where(f, "eu");
    ck_assert_str_eq(w, "cfg.yaml:7:5"); /* the first entry naming it */
    free(w);
    ck_assert_ptr_null(fd_client_fleet_context_where(f, "other"));
    ck_assert_ptr_null(fd_client_fleet_context_where(f, NULL));
    ck_assert_int_eq(f->stages[1].stage_line, 8);
    ck_assert_int_eq(f->stages[1].stage_col, 6);
    fd_client_fleet_free(f);
}
END_TEST

START_TEST(fleet_rollout_convention)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_object *objs[3] = {
        decode("{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"metadata\":"
               "{\"name\":\"shop-prod\",\"namespace\":\"shop\"}}"),
        decode("{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"metadata\":"
               "{\"name\":\"web\",\"namespace\":\"shop\",\"labels\":{\"freightdeck.io/stage\":"
               "\"qa\"}}}"),
        decode("{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"metadata\":"
               "{\"name\":\"dev\",\"namespace\":\"shop\"}}")};
    fd_model_store_relist(st, FD_MODEL_ROLLOUT, NULL, objs, 3, "1");
    struct fd_model_snapshot *snap = fd_model_store_snapshot(st);
    const struct fd_model_object **out;
    size_t n = fd_client_fleet_rollouts(NULL, snap, "shop", "prod", &out);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(out[0]->meta.name, "shop-prod");
    free(out);
    n = fd_client_fleet_rollouts(NULL, snap, "shop", "qa", &out);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(out[0]->meta.name, "web");
    free(out);
    n = fd_client_fleet_rollouts(NULL, snap, "shop", "dev", &out);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(out[0]->meta.name, "dev");
    free(out);
    struct fd_client_fleet *f = load_ok("stages:\n  - {stage: shop/prod, rollouts: [dev]}\n");
    n = fd_client_fleet_rollouts(f, snap, "shop", "prod", &out);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(out[0]->meta.name, "dev");
    free(out);
    fd_client_fleet_free(f);
    fd_model_snapshot_release(snap);
    fd_model_store_free(st);
}
END_TEST

START_TEST(plan_rollout_promote_inconclusive)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_object *o = decode(
        "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"metadata\":"
        "{\"name\":\"r\",\"namespace\":\"n\"},\"spec\":{\"paused\":true,\"strategy\":{\"canary\":"
        "{\"steps\":[{\"setWeight\":20},{\"analysis\":{}},{\"setWeight\":50}]}}},\"status\":"
        "{\"currentStepIndex\":1,\"controllerPause\":true,\"pauseConditions\":[{\"reason\":"
        "\"InconclusiveAnalysisRun\"}],\"canary\":{\"currentStepAnalysisRunStatus\":"
        "{\"name\":\"a\",\"status\":\"Inconclusive\"}}}}");
    fd_model_store_relist(st, FD_MODEL_ROLLOUT, NULL, &o, 1, "1");
    struct fd_model_snapshot *snap = fd_model_store_snapshot(st);
    struct fd_model_action a = {.kind = FD_MODEL_ACTION_ROLLOUT_PROMOTE, .ns = "n", .name = "r"};
    struct fd_model_action_plan *p;
    char *err;
    ck_assert_int_eq(fd_model_action_plan(&a, snap, 0, &p, &err), FD_OK);
    ck_assert_uint_eq(p->n_requests, 2);
    ck_assert_str_eq(p->requests[0].path,
                     "/apis/argoproj.io/v1alpha1/namespaces/n/rollouts/r/status");
    ck_assert_str_eq(p->requests[0].body, "{\"status\":{\"pauseConditions\":null,"
                                          "\"controllerPause\":false,\"currentStepIndex\":2}}");
    ck_assert_str_eq(p->requests[0].fallback_path,
                     "/apis/argoproj.io/v1alpha1/namespaces/n/rollouts/r");
    ck_assert_str_eq(p->requests[0].fallback_body,
                     "{\"status\":{\"pauseConditions\":null,\"controllerPause\":false,"
                     "\"currentStepIndex\":2},\"spec\":{\"paused\":false}}");
    ck_assert_str_eq(p->requests[1].body, "{\"spec\":{\"paused\":false}}");
    ck_assert(!fd_model_action_blocked(p, NULL));
    fd_model_action_plan_free(p);
    a.kind = FD_MODEL_ACTION_ROLLOUT_RETRY;
    ck_assert_int_eq(fd_model_action_plan(&a, snap, 0, &p, &err), FD_OK);
    const char *why;
    ck_assert(fd_model_action_blocked(p, &why));
    ck_assert_str_eq(why, "check failed: the Rollout is aborted: only an aborted Rollout can be "
                          "retried");
    fd_model_action_plan_free(p);
    a.name = NULL;
    ck_assert_int_eq(fd_model_action_plan(&a, snap, 0, &p, &err), FD_INVALID);
    ck_assert_str_eq(err, "rollout-retry: no target name given");
    free(err);
    fd_model_snapshot_release(snap);
    fd_model_store_free(st);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("client_fleet");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fleet_full);
    tcase_add_test(tc, fleet_empty_and_errors);
    tcase_add_test(tc, fleet_key_positions);
    tcase_add_test(tc, fleet_rollout_convention);
    tcase_add_test(tc, plan_rollout_promote_inconclusive);
    suite_add_tcase(s, tc);
    return s;
}
