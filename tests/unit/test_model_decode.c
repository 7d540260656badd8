/* tests/unit/test_model_decode.c: decoders against the Kargo fixtures, malformed
 * objects, unknown fields, and the time/duration parsers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/model.h"
#include "test_model_util.h"

static struct fd_model_object *decode_fixture(const char *name, enum fd_model_kind kind)
{
    json_t *j = fixture_json(name);
    struct fd_model_object *o = NULL;
    char *err = NULL;

    ck_assert_msg(fd_model_decode(j, FD_MODEL_KIND_UNKNOWN, &o, &err) == FD_OK, "%s: %s", name,
                  err ? err : "?");
    json_decref(j);
    ck_assert_msg(!o->undecodable, "%s: %s", name, o->error);
    ck_assert_msg(o->kind == kind, "%s: kind %s, expected %s", name, fd_model_kind_name(o->kind),
                  fd_model_kind_name(kind));
    return o;
}

START_TEST(fixture_stage_test_verified)
{
    struct fd_model_object *o = decode_fixture("stage-test-verified.json", FD_MODEL_STAGE);
    const struct fd_model_stage *s = o->u.stage;

    ck_assert_str_eq(o->meta.ns, "kargo-demo");
    ck_assert_str_eq(o->meta.name, "test");
    ck_assert_str_eq(o->meta.resource_version, "158655");
    ck_assert_str_eq(fd_model_annotation(o, "kargo.akuity.io/color"), "#4C9AFF");
    ck_assert_uint_eq(s->n_requests, 1);
    ck_assert(s->requests[0].direct);
    ck_assert_str_eq(s->requests[0].origin.kind, "Warehouse");
    ck_assert_str_eq(s->requests[0].origin.name, "kargo-demo");
    ck_assert(s->has_verification);
    ck_assert_uint_eq(s->n_templates, 1);
    ck_assert_str_eq(s->templates[0].name, "smoke-test");
    ck_assert_uint_eq(s->n_conditions, 3);
    ck_assert_uint_eq(s->n_history, 2);
    ck_assert_str_eq(s->history[0].items[0].key, "Warehouse/kargo-demo");
    ck_assert_str_eq(s->history[0].items[0].name, "17464ae5973510e82065ca8cd26355b3f302fcb3");
    ck_assert_uint_ge(s->history[0].n_verifications, 1);
    ck_assert_str_eq(s->health, "Healthy");
    ck_assert(s->auto_promotion_enabled);
    ck_assert(s->last_promotion.present);
    ck_assert_str_eq(s->last_promotion.name, "test.01m0d5dvw3awd6rc3n26sbjgvt.17464ae");
    ck_assert_str_eq(s->last_promotion.phase, "Succeeded");
    ck_assert(!s->current_promotion.present);
    ck_assert_int_eq(fd_model_stage_phase(s, true), FD_MODEL_STAGE_READY);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(fixture_stage_uat_promoting)
{
    struct fd_model_object *o = decode_fixture("stage-uat-promoting.json", FD_MODEL_STAGE);
    const struct fd_model_stage *s = o->u.stage;

    ck_assert(!s->requests[0].direct);
    ck_assert_uint_eq(s->requests[0].n_stages, 1);
    ck_assert_str_eq(s->requests[0].stages[0], "test");
    ck_assert(s->requests[0].has_soak);
    ck_assert_int_eq(s->requests[0].required_soak, 1800);
    ck_assert(s->current_promotion.present);
    ck_assert_str_eq(s->current_promotion.name, "uat.01m0d9q6agth9mp3dv866n527h.17464ae");
    ck_assert_str_eq(s->current_promotion.freight, "17464ae5973510e82065ca8cd26355b3f302fcb3");
    ck_assert_str_eq(s->health, "Unknown");
    ck_assert_uint_eq(s->n_health_issues, 1);
    ck_assert_int_eq(fd_model_stage_phase(s, true), FD_MODEL_STAGE_PROMOTING);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(fixture_stage_prod_failed)
{
    struct fd_model_object *o =
        decode_fixture("stage-prod-verification-failed.json", FD_MODEL_STAGE);
    const struct fd_model_stage *s = o->u.stage;
    const struct fd_model_verification *v = &s->history[0].verifications[0];

    ck_assert_str_eq(v->id, "88bd6407-2bcf-4e01-a28d-efe39bf00273");
    ck_assert_str_eq(v->actor, "email:alice@example.com");
    ck_assert_str_eq(v->phase, "Failed");
    ck_assert_str_eq(v->run.name, "prod.01m0dc0k8cxkkftmb6ws2hpk7k.b5a7eb8");
    ck_assert_str_eq(v->run.ns, "kargo-demo");
    ck_assert_int_eq(v->finish - v->start, 3 * 60 + 2);
    ck_assert_str_eq(s->history[0].id, "b5a7eb834d099e2603e770c3718bd9e9c610a734");
    ck_assert_ptr_nonnull(fd_model_annotation(o, "kargo.akuity.io/reverify"));
    ck_assert_int_eq(fd_model_stage_phase(s, true), FD_MODEL_STAGE_FAILED);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(fixture_freight)
{
    struct fd_model_object *o = decode_fixture("freight-approved-for-prod.json", FD_MODEL_FREIGHT);
    const struct fd_model_freight *f = o->u.freight;

    ck_assert_str_eq(f->alias, "frozen-tauntaun");
    ck_assert_str_eq(fd_model_label(o, "kargo.akuity.io/alias"), "frozen-tauntaun");
    ck_assert_str_eq(f->origin.name, "kargo-demo");
    ck_assert_uint_eq(f->art.n_commits, 1);
    ck_assert_str_eq(f->art.commits[0].tag, "v1.4.2");
    ck_assert_str_eq(f->art.commits[0].id, "0822e8f36c031199972a846916419f828b9d2434");
    ck_assert_uint_eq(f->art.n_images, 1);
    ck_assert_str_eq(f->art.images[0].tag, "1.29.1");
    ck_assert_ptr_nonnull(fd_model_freight_currently_in(f, "test"));
    ck_assert_ptr_nonnull(fd_model_freight_verified_in(f, "test"));
    ck_assert_ptr_null(fd_model_freight_verified_in(f, "uat"));
    ck_assert_ptr_nonnull(fd_model_freight_approved_for(f, "prod"));
    ck_assert_int_eq(fd_model_freight_approved_for(f, "prod")->at, 1787154300);
    fd_model_object_unref(o);

    o = decode_fixture("freight-in-uat-and-prod.json", FD_MODEL_FREIGHT);
    f = o->u.freight;
    ck_assert_uint_eq(f->n_currently_in, 2);
    ck_assert_uint_eq(f->n_verified_in, 3);
    ck_assert(fd_model_freight_verified_in(f, "test")->has_longest_soak);
    ck_assert_int_eq(fd_model_freight_verified_in(f, "test")->longest_soak,
                     52 * 3600 + 46 * 60 + 38);
    ck_assert(!fd_model_freight_verified_in(f, "uat")->has_longest_soak);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(fixture_warehouse)
{
    struct fd_model_object *o = decode_fixture("warehouse.json", FD_MODEL_WAREHOUSE);
    const struct fd_model_warehouse *w = o->u.warehouse;

    ck_assert_str_eq(w->interval, "5m0s");
    ck_assert_str_eq(w->freight_creation_policy, "Automatic");
    ck_assert_uint_eq(w->n_subscriptions, 2);
    ck_assert_str_eq(w->subscriptions[0].type, "image");
    ck_assert_str_eq(w->subscriptions[0].repo_url, "public.ecr.aws/nginx/nginx");
    ck_assert_str_eq(w->subscriptions[1].type, "git");
    ck_assert_str_eq(w->last_freight_id, "17464ae5973510e82065ca8cd26355b3f302fcb3");
    ck_assert_uint_ge(w->n_conditions, 1);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(fixture_promotions)
{
    struct fd_model_object *o = decode_fixture("promotion-uat-running.json", FD_MODEL_PROMOTION);
    const struct fd_model_promotion *p = o->u.promotion;

    ck_assert_str_eq(p->stage, "uat");
    ck_assert_str_eq(p->freight, "17464ae5973510e82065ca8cd26355b3f302fcb3");
    ck_assert_uint_eq(p->n_steps, 7);
    ck_assert_str_eq(p->step_uses[0], "git-clone");
    ck_assert_str_eq(p->step_aliases[0], "promo-process::step-1");
    ck_assert_str_eq(p->phase, "Running");
    ck_assert(p->has_current_step);
    ck_assert_int_eq(p->current_step, 6);
    ck_assert_uint_eq(p->n_step_status, 7);
    ck_assert_str_eq(fd_model_annotation(o, "kargo.akuity.io/create-actor"),
                     "email:alice@example.com");
    fd_model_object_unref(o);

    o = decode_fixture("promotion-test-succeeded.json", FD_MODEL_PROMOTION);
    ck_assert_str_eq(o->u.promotion->phase, "Succeeded");
    ck_assert(o->u.promotion->finished > o->u.promotion->started);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(fixture_analysis_run)
{
    struct fd_model_object *o =
        decode_fixture("analysisrun-prod-failed.json", FD_MODEL_ANALYSIS_RUN);
    const struct fd_analysis_run *r = o->u.analysis;

    ck_assert_str_eq(fd_model_label(o, "kargo.akuity.io/stage"), "prod");
    ck_assert_str_eq(fd_model_label(o, "kargo.akuity.io/freight-collection"),
                     "b5a7eb834d099e2603e770c3718bd9e9c610a734");
    ck_assert_int_eq(r->phase, FD_ANALYSIS_PHASE_FAILED);
    ck_assert_uint_eq(r->n_metrics, 1);
    ck_assert_uint_eq(r->n_results, 1);
    ck_assert_int_eq(r->results[0].failed, 1);
    fd_model_object_unref(o);
}
END_TEST

/* REST lists: items may lack kind (a typed Go list); the hint supplies it. */
START_TEST(fixture_rest_lists)
{
    json_t *j = fixture_json("rest-stagelist.json");
    json_t *items = json_object_get(j, "items"), *it;
    size_t i;
    const char *names[] = {"test", "uat", "prod"};

    ck_assert_uint_eq(json_array_size(items), 3);
    json_array_foreach(items, i, it)
    {
        struct fd_model_object *o;
        char *err;
        json_object_del(it, "kind");
        ck_assert_int_eq(fd_model_decode(it, FD_MODEL_STAGE, &o, &err), FD_OK);
        ck_assert_msg(!o->undecodable, "%s", o->error);
        ck_assert_str_eq(o->meta.name, names[i]);
        fd_model_object_unref(o);
    }
    json_decref(j);

    j = fixture_json("rest-query-freight.json");
    items = json_object_get(json_object_get(json_object_get(j, "groups"), ""), "items");
    ck_assert_uint_eq(json_array_size(items), 2);
    json_array_foreach(items, i, it)
    {
        struct fd_model_object *o;
        char *err;
        ck_assert_int_eq(fd_model_decode(it, FD_MODEL_FREIGHT, &o, &err), FD_OK);
        ck_assert_msg(!o->undecodable, "%s", o->error);
        ck_assert_int_eq(o->kind, FD_MODEL_FREIGHT);
        fd_model_object_unref(o);
    }
    json_decref(j);
}
END_TEST

/* ---- Malformed objects ----------------------------------------------------------- */
static void expect_error(const char *text, const char *want)
{
    struct fd_model_object *o = obj_from(text);

    ck_assert_msg(o->undecodable, "expected undecodable: %s", text);
    ck_assert_msg(o->u.any == NULL, "payload kept for an undecodable object");
    ck_assert_msg(strcmp(o->error, want) == 0, "error\n  expected: %s\n  got:      %s", want,
                  o->error);
    fd_model_object_unref(o);
}

START_TEST(malformed_paths)
{
    expect_error(
        "{'kind':'Stage','metadata':{'name':'prod','namespace':'kargo-demo'},"
        "'status':{'freightHistory':[{'id':'x','items':'oops'}]}}",
        "Stage kargo-demo/prod: status.freightHistory[0].items: expected object, got string");
    expect_error(
        "{'kind':'Stage','metadata':{'name':'s','namespace':'p'},"
        "'spec':{'requestedFreight':[{'origin':{'kind':'Warehouse','name':'w'},"
        "'sources':{'stages':['a',7]}}]}}",
        "Stage p/s: spec.requestedFreight[0].sources.stages[1]: expected string, got number");
    expect_error("{'kind':'Stage','metadata':{'name':'s','namespace':'p'},"
                 "'spec':{'requestedFreight':[{'sources':{'requiredSoakTime':'soon'}}]}}",
                 "Stage p/s: spec.requestedFreight[0].sources.requiredSoakTime: "
                 "not a duration: \"soon\"");
    expect_error("{'kind':'Stage','metadata':{'name':'s','namespace':'p'},'status':"
                 "{'conditions':[{'type':'Ready','status':true}]}}",
                 "Stage p/s: status.conditions[0].status: expected string, got boolean");
    expect_error("{'kind':'Freight','metadata':{'name':'f','namespace':'p','labels':{'a':1}}}",
                 "Freight p/f: metadata.labels.a: expected string, got number");
    expect_error("{'kind':'Freight','metadata':{'name':'f','namespace':'p'},"
                 "'status':{'verifiedIn':{'test':{'verifiedAt':'yesterday'}}}}",
                 "Freight p/f: status.verifiedIn.test.verifiedAt: not an RFC 3339 time: "
                 "\"yesterday\"");
    expect_error("{'kind':'Freight','metadata':{'name':'f','namespace':'p'},'images':{}}",
                 "Freight p/f: images: expected array, got object");
    expect_error("{'kind':'Warehouse','metadata':{'name':'w','namespace':'p'},"
                 "'spec':{'subscriptions':[3]}}",
                 "Warehouse p/w: spec.subscriptions[0]: expected object, got number");
    expect_error("{'kind':'Promotion','metadata':{'name':'x','namespace':'p'},"
                 "'status':{'currentStep':'six'}}",
                 "Promotion p/x: status.currentStep: expected integer, got string");
    expect_error("{'kind':'Project','metadata':{'name':'p'},'status':{'stats':{'stages':"
                 "{'count':1.5}}}}",
                 "Project p: status.stats.stages.count: expected integer, got number");
    expect_error("{'kind':'ProjectConfig','metadata':{'name':'p','namespace':'p'},"
                 "'spec':{'promotionPolicies':[{'stage':'a','autoPromotionEnabled':'yes'}]}}",
                 "ProjectConfig p/p: spec.promotionPolicies[0].autoPromotionEnabled: "
                 "expected boolean, got string");
    expect_error(
        "{'kind':'Rollout','metadata':{'name':'r','namespace':'p'},'spec':{'strategy':"
        "{'canary':{'steps':[{'setWeight':10},{'setWeight':'20'}]}}}}",
        "Rollout p/r: spec.strategy.canary.steps[1].setWeight: expected integer, got string");
    expect_error("{'kind':'Rollout','metadata':{'name':'r','namespace':'p'},"
                 "'status':{'pauseConditions':{}}}",
                 "Rollout p/r: status.pauseConditions: expected array, got object");
    expect_error("{'kind':'Stage','metadata':{'name':'s','namespace':'p'},'spec':[]}",
                 "Stage p/s: spec: expected object, got array");
}
END_TEST

START_TEST(malformed_analysis_run_names_the_field)
{
    struct fd_model_object *o =
        obj_from("{'kind':'AnalysisRun','metadata':{'name':'r','namespace':'p'},"
                 "'spec':{'metrics':[{'name':5}]}}");

    ck_assert(o->undecodable);
    ck_assert_msg(strncmp(o->error, "AnalysisRun p/r: ", 17) == 0, "got %s", o->error);
    ck_assert_msg(strstr(o->error, "spec.metrics[0].name") != NULL, "got %s", o->error);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(unidentifiable_objects)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"[1,2]", "expected an object, got array"},
        {"{'kind':'Stage','metadata':{}}", "Stage without metadata.name"},
        {"{'kind':'Stage','metadata':{'name':''}}", "Stage without metadata.name"},
        {"{'kind':'Stage','metadata':'x'}", "Stage without metadata.name"},
        {"{'kind':'Pod','metadata':{'name':'x'}}", "unknown kind \"Pod\""},
        {"{'metadata':{'name':'x'}}", "object has no kind"},
        {"{'kind':7,'metadata':{'name':'x'}}", "kind: expected string, got number"},
        {"{'kind':'Stage'", NULL},
    };
    for (size_t i = 0; i < FD_ARRAY_SIZE(cases); i++) {
        struct fd_model_object *o = NULL;
        char *err = NULL, *s = dq(cases[i].text);
        ck_assert_int_eq(fd_model_decode_text(s, strlen(s), FD_MODEL_KIND_UNKNOWN, &o, &err),
                         FD_PARSE);
        ck_assert_ptr_null(o);
        ck_assert_ptr_nonnull(err);
        if (cases[i].want)
            ck_assert_str_eq(err, cases[i].want);
        else
            ck_assert_msg(strncmp(err, "invalid JSON", 12) == 0, "got %s", err);
        free(err);
        free(s);
    }
    /* A hint that disagrees with the object's own kind. */
    struct fd_model_object *o;
    char *err, *s = dq("{'kind':'Stage','metadata':{'name':'x'}}");
    ck_assert_int_eq(fd_model_decode_text(s, strlen(s), FD_MODEL_FREIGHT, &o, &err), FD_PARSE);
    ck_assert_str_eq(err, "kind Stage where Freight was expected");
    free(err);
    free(s);
}
END_TEST

START_TEST(unknown_fields_and_nulls_are_ignored)
{
    struct fd_model_object *o =
        good("{'kind':'Stage','apiVersion':'kargo.akuity.io/v2','future':{'x':[1]},"
             "'metadata':{'name':'s','namespace':'p','managedFields':[{'a':1}],'zzz':1,"
             "'creationTimestamp':null,'annotations':{'kubectl.kubernetes.io/"
             "last-applied-configuration':'{}'}},"
             "'spec':{'newThing':true,'requestedFreight':[{'origin':{'kind':'Warehouse','name':'w',"
             "'extra':1},'sources':{'direct':true,'stages':null,'fancy':{}}}]},"
             "'status':{'promotionWindowStatus':{'open':true},'health':null,'freightHistory':[{"
             "'id':'c','items':{'Warehouse/w':{'name':'f1','newField':[]}},'other':1}]}}");

    ck_assert(o->u.stage->requests[0].direct);
    ck_assert_uint_eq(o->u.stage->requests[0].n_stages, 0);
    ck_assert_str_eq(o->u.stage->history[0].items[0].name, "f1");
    ck_assert_int_eq(o->meta.created, 0);
    /* kubectl's copy of the whole object is not kept. */
    ck_assert_uint_eq(o->meta.n_annotations, 0);
    fd_model_object_unref(o);
}
END_TEST

/* What the API server writes and jansson alone refuses: a float64 of an
 * unstructured field past int64 (a step's config: 1e19 written as
 * 10000000000000000000, kube-apiserver v1.34.5 in tests/realstack) and a
 * NUL in a message. The object decodes; the NUL reads as U+2400. */
START_TEST(what_go_writes_decodes)
{
    struct fd_model_object *o =
        good("{'kind':'Stage','apiVersion':'kargo.akuity.io/v1alpha1',"
             "'metadata':{'name':'s','namespace':'p'},"
             "'spec':{'requestedFreight':[{'origin':{'kind':'Warehouse','name':'w'},"
             "'sources':{'direct':true}}],'promotionTemplate':{'spec':{'steps':[{'uses':'x',"
             "'config':{'max':10000000000000000000,'u':18446744073709552000}}]}}},"
             "'status':{'conditions':[{'type':'Ready','status':'False','reason':'R',"
             "'message':'found \\u0000 here'}]}}");

    ck_assert_uint_eq(o->u.stage->n_promotion_steps, 1);
    ck_assert_uint_eq(o->u.stage->n_conditions, 1);
    ck_assert_str_eq(o->u.stage->conditions[0].message, "found " FD_NUL_SHOWN " here");
    fd_model_object_unref(o);
}
END_TEST

START_TEST(rollout_decoding)
{
    struct fd_model_object *o = good(
        "{'kind':'Rollout','metadata':{'name':'r','namespace':'p','generation':4},"
        "'spec':{'replicas':5,'strategy':{'canary':{'trafficRouting':{'maxTrafficWeight':1000},"
        "'steps':[{'setWeight':10},{'pause':{}},{'pause':{'duration':'1m30s'}},"
        "{'pause':{'duration':45}},{'pause':{'duration':'20'}},{'analysis':{'templates':[]}},"
        "{'experiment':{}},{'setCanaryScale':{'weight':5}},{'plugin':{}},{'mystery':{}}]}}},"
        "'status':{'currentStepIndex':2,'observedGeneration':'4','pauseConditions':"
        "[{'reason':'CanaryPauseStep','startTime':'2026-08-19T16:00:00Z'}],"
        "'canary':{'weights':{'canary':{'weight':100}},'currentStepAnalysisRunStatus':"
        "{'name':'a','status':'Running'}},'availableReplicas':5,'stableRS':'abc'}}");
    const struct fd_model_rollout *r = o->u.rollout;

    ck_assert_int_eq(r->replicas, 5);
    ck_assert_int_eq(r->strategy, FD_MODEL_STRATEGY_CANARY);
    ck_assert(r->traffic_routing);
    ck_assert_int_eq(r->max_traffic_weight, 1000);
    ck_assert_uint_eq(r->n_steps, 10);
    ck_assert_int_eq(r->steps[0].kind, FD_MODEL_STEP_SET_WEIGHT);
    ck_assert_int_eq(r->steps[0].weight, 10);
    ck_assert_int_eq(r->steps[1].kind, FD_MODEL_STEP_PAUSE);
    ck_assert(!r->steps[1].pause_has_duration);
    ck_assert_int_eq(r->steps[2].pause_duration, 90);
    ck_assert_int_eq(r->steps[3].pause_duration, 45);
    ck_assert_int_eq(r->steps[4].pause_duration, 20);
    ck_assert_int_eq(r->steps[5].kind, FD_MODEL_STEP_ANALYSIS);
    ck_assert_int_eq(r->steps[6].kind, FD_MODEL_STEP_EXPERIMENT);
    ck_assert_int_eq(r->steps[7].kind, FD_MODEL_STEP_SET_CANARY_SCALE);
    ck_assert_int_eq(r->steps[8].kind, FD_MODEL_STEP_PLUGIN);
    ck_assert_int_eq(r->steps[9].kind, FD_MODEL_STEP_UNKNOWN);
    ck_assert_str_eq(fd_model_step_kind_name(r->steps[0].kind), "setWeight");
    ck_assert(r->has_step_index);
    ck_assert_int_eq(r->step_index, 2);
    ck_assert(r->has_observed_generation);
    ck_assert_int_eq(r->observed_generation, 4);
    ck_assert_uint_eq(r->n_pause_conditions, 1);
    ck_assert_str_eq(r->pause_conditions[0].reason, "CanaryPauseStep");
    ck_assert(r->has_canary_weight);
    ck_assert_int_eq(r->canary_weight, 100);
    ck_assert_str_eq(r->step_run.status, "Running");
    fd_model_object_unref(o);
}
END_TEST

START_TEST(times_and_durations)
{
    int64_t t;

    /* IsDNS1123Subdomain, as the API server checks metadata.name. */
    ck_assert(fd_model_name_valid("prod"));
    ck_assert(fd_model_name_valid("staging.01j0000000000000000000000.f-api-1"));
    ck_assert(fd_model_name_valid("a"));
    ck_assert(!fd_model_name_valid(NULL));
    ck_assert(!fd_model_name_valid(""));
    ck_assert(!fd_model_name_valid("Prod"));
    ck_assert(!fd_model_name_valid("-prod"));
    ck_assert(!fd_model_name_valid("prod-"));
    ck_assert(!fd_model_name_valid("a..b"));
    ck_assert(!fd_model_name_valid("a."));
    ck_assert(!fd_model_name_valid("a/b"));
    ck_assert(!fd_model_name_valid("a_b"));
    char long_name[256];
    memset(long_name, 'a', 253);
    long_name[253] = '\0';
    ck_assert(fd_model_name_valid(long_name));
    long_name[253] = 'a';
    long_name[254] = '\0';
    ck_assert(!fd_model_name_valid(long_name));

    ck_assert(fd_model_parse_duration("30m", &t));
    ck_assert_int_eq(t, 1800);
    ck_assert(fd_model_parse_duration("1h2m3.9s", &t));
    ck_assert_int_eq(t, 3723);
    ck_assert(fd_model_parse_duration("52h46m38s", &t));
    ck_assert_int_eq(t, 189998);
    ck_assert(fd_model_parse_duration("1500ms", &t));
    ck_assert_int_eq(t, 1);
    ck_assert(fd_model_parse_duration("0", &t));
    ck_assert_int_eq(t, 0);
    ck_assert(fd_model_parse_duration("-1m", &t));
    ck_assert_int_eq(t, -60);
    ck_assert(!fd_model_parse_duration("30", &t));
    ck_assert(!fd_model_parse_duration("m", &t));
    ck_assert(!fd_model_parse_duration("5d", &t));
    ck_assert(!fd_model_parse_duration("", &t));
}
END_TEST

START_TEST(kind_table)
{
    ck_assert_str_eq(fd_model_kind_name(FD_MODEL_FREIGHT), "Freight");
    ck_assert_str_eq(fd_model_kind_plural(FD_MODEL_FREIGHT), "freights");
    ck_assert_str_eq(fd_model_kind_api_version(FD_MODEL_ROLLOUT), "argoproj.io/v1alpha1");
    ck_assert(!fd_model_kind_namespaced(FD_MODEL_PROJECT));
    ck_assert(!fd_model_kind_namespaced(FD_MODEL_CLUSTER_ANALYSIS_TEMPLATE));
    ck_assert(fd_model_kind_namespaced(FD_MODEL_STAGE));
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++)
        ck_assert_int_eq(fd_model_kind_from_name(fd_model_kind_name(k)), k);
    ck_assert_int_eq(fd_model_kind_from_name("stage"), FD_MODEL_KIND_UNKNOWN);
    ck_assert_str_eq(fd_model_kind_name(FD_MODEL_KIND_UNKNOWN), "Unknown");
}
END_TEST

START_TEST(templates_decode_through_analysis)
{
    struct fd_model_object *o = good(
        "{'kind':'ClusterAnalysisTemplate','metadata':{'name':'smoke-test'},'spec':{'args':"
        "[{'name':'stage'}],'metrics':[{'name':'error-rate','interval':'1m','count':3,"
        "'successCondition':'result[0] <= 0.01','provider':{'prometheus':{'address':'http://p',"
        "'query':'q'}}}]}}");

    ck_assert_ptr_null(o->meta.ns);
    ck_assert_uint_eq(o->u.analysis->n_metrics, 1);
    ck_assert_str_eq(o->u.analysis->metrics[0].name, "error-rate");
    char *d = fd_model_object_describe(o);
    ck_assert_str_eq(d, "ClusterAnalysisTemplate smoke-test");
    free(d);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(project_and_project_config)
{
    struct fd_model_object *p =
        good("{'kind':'Project','metadata':{'name':'kargo-demo'},'status':{'conditions':[{'type':"
             "'Ready','status':'True'}],'stats':{'stages':{'count':3,'health':{'healthy':2}},"
             "'warehouses':{'count':1,'health':{'healthy':1}}}}}");
    struct fd_model_object *c =
        good("{'kind':'ProjectConfig','metadata':{'name':'kargo-demo','namespace':'kargo-demo'},"
             "'spec':{'promotionPolicies':[{'stage':'test','autoPromotionEnabled':true},"
             "{'stageSelector':{'name':'glob:uat-*'}}]}}");

    ck_assert_ptr_null(p->meta.ns);
    ck_assert_int_eq(p->u.project->stages, 3);
    ck_assert_int_eq(p->u.project->stages_healthy, 2);
    ck_assert_int_eq(p->u.project->warehouses, 1);
    ck_assert_uint_eq(p->u.project->n_conditions, 1);
    ck_assert_uint_eq(c->u.project_config->n_policies, 2);
    ck_assert(c->u.project_config->policies[0].auto_promotion_enabled);
    ck_assert_str_eq(c->u.project_config->policies[1].selector_name, "glob:uat-*");
    ck_assert(!c->u.project_config->policies[1].auto_promotion_enabled);
    /* References keep an object alive. */
    fd_model_object_ref(p);
    fd_model_object_unref(p);
    ck_assert_int_eq(p->u.project->stages, 3);
    fd_model_object_unref(p);
    fd_model_object_unref(c);
}
END_TEST

/* Derived state on an undecodable object: no crash, neutral answers. */
START_TEST(undecodable_objects_in_derived_state)
{
    struct fd_model_object *s = obj_from("{'kind':'Stage','metadata':{'name':'s','namespace':'p'},"
                                         "'status':{'conditions':7}}");
    struct fd_model_object *f =
        obj_from("{'kind':'Freight','metadata':{'name':'f','namespace':'p'},"
                 "'origin':[]}");
    struct fd_model_object *r =
        obj_from("{'kind':'Rollout','metadata':{'name':'r','namespace':'p'},"
                 "'status':{'currentStepIndex':'x'}}");
    struct fd_model_canary_view v;

    ck_assert(s->undecodable && f->undecodable && r->undecodable);
    ck_assert_str_eq(s->error, "Stage p/s: status.conditions: expected array, got number");
    ck_assert_int_eq(fd_model_stage_phase(s->u.stage, true), FD_MODEL_STAGE_UNKNOWN);
    ck_assert_ptr_null(fd_model_stage_current(s->u.stage));
    ck_assert(!fd_model_availability_ok(fd_model_freight_availability(s, f, 0, NULL)));
    fd_model_rollout_canary(r, -1, &v);
    ck_assert_str_eq(v.phase, "Unknown");
    ck_assert_str_eq(v.message, r->error);
    fd_model_canary_view_free(&v);
    fd_model_object_unref(s);
    fd_model_object_unref(f);
    fd_model_object_unref(r);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("model_decode");
    TCase *tc = tcase_create("decode");

    tcase_add_test(tc, fixture_stage_test_verified);
    tcase_add_test(tc, fixture_stage_uat_promoting);
    tcase_add_test(tc, fixture_stage_prod_failed);
    tcase_add_test(tc, fixture_freight);
    tcase_add_test(tc, fixture_warehouse);
    tcase_add_test(tc, fixture_promotions);
    tcase_add_test(tc, fixture_analysis_run);
    tcase_add_test(tc, fixture_rest_lists);
    tcase_add_test(tc, malformed_paths);
    tcase_add_test(tc, malformed_analysis_run_names_the_field);
    tcase_add_test(tc, unidentifiable_objects);
    tcase_add_test(tc, unknown_fields_and_nulls_are_ignored);
    tcase_add_test(tc, what_go_writes_decodes);
    tcase_add_test(tc, rollout_decoding);
    tcase_add_test(tc, times_and_durations);
    tcase_add_test(tc, kind_table);
    tcase_add_test(tc, templates_decode_through_analysis);
    tcase_add_test(tc, project_and_project_config);
    tcase_add_test(tc, undecodable_objects_in_derived_state);
    suite_add_tcase(s, tc);
    return s;
}
