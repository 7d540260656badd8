/* tests/unit/test_model_derive.c: the derived rules, each on small objects
 * made for it — Stage phase, Freight availability, pipeline graph, canary
 * weights and pauses, verification runs, what waits for a human, the
 * ReplicaSets and AnalysisRuns a Rollout owns. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/model.h"
#include "test_model_util.h"

#define NOW 1787154300 /* 2026-08-19T15:45:00Z */

/* A snapshot holding the objects (JSON texts), NULL-terminated. */
static struct fd_model_snapshot *world(const char *first, ...)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_snapshot *s;
    va_list ap;

    va_start(ap, first);
    for (const char *t = first; t; t = va_arg(ap, const char *))
        fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, good(t));
    va_end(ap);
    s = fd_model_store_snapshot(st);
    fd_model_store_free(st);
    return s;
}

/* ---- Stage phase (getStagePhase) ------------------------------------------------ */
static enum fd_model_stage_phase phase_of(const char *conditions, bool alive)
{
    char *t = fd_xasprintf("{'kind':'Stage','metadata':{'name':'s','namespace':'p'},"
                           "'status':{'conditions':[%s]}}",
                           conditions);
    struct fd_model_object *o = good(t);
    enum fd_model_stage_phase p = fd_model_stage_phase(o->u.stage, alive);

    free(t);
    fd_model_object_unref(o);
    return p;
}

#define C(type, status, reason) "{'type':'" type "','status':'" status "','reason':'" reason "'}"

START_TEST(stage_phase_rule)
{
    static const struct {
        const char *conditions;
        enum fd_model_stage_phase want;
    } cases[] = {
        {"", FD_MODEL_STAGE_UNKNOWN},
        {C("Ready", "True", "Verified"), FD_MODEL_STAGE_READY},
        {C("Ready", "False", "VerificationFailed"), FD_MODEL_STAGE_FAILED},
        {C("Ready", "Unknown", "X"), FD_MODEL_STAGE_UNKNOWN},
        {C("Promoting", "True", "ActivePromotion") "," C("Ready", "False", "ActivePromotion"),
         FD_MODEL_STAGE_PROMOTING},
        {C("Verified", "Unknown", "VerificationRunning") "," C("Ready", "False", "X"),
         FD_MODEL_STAGE_VERIFYING},
        {C("Reconciling", "True", "X") "," C("Ready", "True", "Verified"),
         FD_MODEL_STAGE_RECONCILING},
        /* Precedence: Promoting > Verifying > Reconciling > Failed > Ready. */
        {C("Ready", "False", "X") "," C("Reconciling", "True", "X") "," C(
             "Verified", "Unknown", "X") "," C("Promoting", "True", "X"),
         FD_MODEL_STAGE_PROMOTING},
        {C("Ready", "False", "X") "," C("Reconciling", "True", "X"), FD_MODEL_STAGE_RECONCILING},
        /* Promoting=False and Verified=False do not count. */
        {C("Promoting", "False",
           "X") "," C("Verified", "False", "VerificationFailed") "," C("Ready", "True", "Verified"),
         FD_MODEL_STAGE_READY},
        /* NoFreight never decides. */
        {C("Promoting", "True", "NoFreight") "," C("Ready", "True", "Verified"),
         FD_MODEL_STAGE_READY},
        {C("Verified", "Unknown", "NoFreight") "," C("Ready", "False", "X"), FD_MODEL_STAGE_FAILED},
        {C("Reconciling", "True", "NoFreight"), FD_MODEL_STAGE_UNKNOWN},
        {C("Ready", "False", "NoFreight"), FD_MODEL_STAGE_UNKNOWN},
        {C("Ready", "True", "NoFreight"), FD_MODEL_STAGE_UNKNOWN},
    };
    for (size_t i = 0; i < FD_ARRAY_SIZE(cases); i++) {
        enum fd_model_stage_phase got = phase_of(cases[i].conditions, true);
        ck_assert_msg(got == cases[i].want, "case %zu [%s]: expected %s, got %s", i,
                      cases[i].conditions, fd_model_stage_phase_name(cases[i].want),
                      fd_model_stage_phase_name(got));
    }
    /* A dead controller makes every Stage Failed, as in the UI. */
    ck_assert_int_eq(phase_of(C("Ready", "True", "Verified"), false), FD_MODEL_STAGE_FAILED);
    ck_assert_str_eq(fd_model_stage_phase_name(FD_MODEL_STAGE_VERIFYING), "Verifying");
}
END_TEST

/* ---- Freight availability (IsFreightAvailable) ----------------------------------- */
static const char *UAT =
    "{'kind':'Stage','metadata':{'name':'uat','namespace':'p'},'spec':{'requestedFreight':"
    "[{'origin':{'kind':'Warehouse','name':'w'},'sources':{'stages':['test'],"
    "'requiredSoakTime':'30m'}}]}}";

static enum fd_model_availability avail(const char *stage, const char *ns, const char *origin,
                                        const char *status, int64_t *left)
{
    char *t = fd_xasprintf("{'kind':'Freight','metadata':{'name':'f','namespace':'%s'},"
                           "'origin':{'kind':'Warehouse','name':'%s'},'status':{%s}}",
                           ns, origin, status);
    struct fd_model_object *s = good(stage), *f = good(t);
    enum fd_model_availability a = fd_model_freight_availability(s, f, NOW, left);

    free(t);
    fd_model_object_unref(s);
    fd_model_object_unref(f);
    return a;
}

START_TEST(availability_rules)
{
    int64_t left = -1;

    ck_assert_int_eq(avail(UAT, "p", "w", "", &left), FD_MODEL_AVAILABLE_NOT_VERIFIED_UPSTREAM);
    ck_assert_int_eq(left, 0);
    ck_assert_int_eq(avail(UAT, "p", "other", "'verifiedIn':{'test':{}}", NULL),
                     FD_MODEL_AVAILABLE_ORIGIN_NOT_REQUESTED);
    /* Approval bypasses verification, soak and (in the webhook) the origin. */
    ck_assert_int_eq(avail(UAT, "p", "other", "'approvedFor':{'uat':{}}", NULL),
                     FD_MODEL_AVAILABLE_APPROVED);
    ck_assert_int_eq(avail(UAT, "q", "w", "'approvedFor':{'uat':{}}", NULL),
                     FD_MODEL_AVAILABLE_OTHER_PROJECT);
    /* Verified in another Stage than the upstream one does not count. */
    ck_assert_int_eq(avail(UAT, "p", "w", "'verifiedIn':{'prod':{'longestSoak':'2h'}}", NULL),
                     FD_MODEL_AVAILABLE_NOT_VERIFIED_UPSTREAM);
    /* Soak: the recorded longest completed soak... */
    ck_assert_int_eq(avail(UAT, "p", "w", "'verifiedIn':{'test':{'longestSoak':'1h'}}", NULL),
                     FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM);
    /* ...or the time since it entered the upstream Stage, if longer. */
    ck_assert_int_eq(avail(UAT, "p", "w",
                           "'verifiedIn':{'test':{'longestSoak':'10m'}},"
                           "'currentlyIn':{'test':{'since':'2026-08-19T15:05:00Z'}}",
                           NULL),
                     FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM);
    ck_assert_int_eq(avail(UAT, "p", "w",
                           "'verifiedIn':{'test':{}},"
                           "'currentlyIn':{'test':{'since':'2026-08-19T15:35:00Z'}}",
                           &left),
                     FD_MODEL_AVAILABLE_SOAKING);
    ck_assert_int_eq(left, 20 * 60);
    /* Verified but never in it long enough, and no longer there. */
    ck_assert_int_eq(avail(UAT, "p", "w", "'verifiedIn':{'test':{'longestSoak':'29m59s'}}", &left),
                     FD_MODEL_AVAILABLE_SOAKING);
    ck_assert_int_eq(left, 1);

    static const char *DIRECT =
        "{'kind':'Stage','metadata':{'name':'test','namespace':'p'},'spec':{'requestedFreight':"
        "[{'origin':{'kind':'Warehouse','name':'w'},'sources':{'direct':true}}]}}";
    ck_assert_int_eq(avail(DIRECT, "p", "w", "", NULL), FD_MODEL_AVAILABLE_DIRECT);
    ck_assert_int_eq(avail(DIRECT, "p", "w2", "", NULL), FD_MODEL_AVAILABLE_ORIGIN_NOT_REQUESTED);
    ck_assert(fd_model_availability_ok(FD_MODEL_AVAILABLE_DIRECT));
    ck_assert(!fd_model_availability_ok(FD_MODEL_AVAILABLE_SOAKING));
    ck_assert_str_eq(fd_model_availability_text(FD_MODEL_AVAILABLE_ORIGIN_NOT_REQUESTED),
                     "its origin is not requested by the Stage");
}
END_TEST

START_TEST(availability_strategies)
{
    static const char *ONE_OF =
        "{'kind':'Stage','metadata':{'name':'prod','namespace':'p'},'spec':{'requestedFreight':"
        "[{'origin':{'kind':'Warehouse','name':'w'},'sources':{'stages':['eu','us']}}]}}";
    static const char *ALL =
        "{'kind':'Stage','metadata':{'name':'prod','namespace':'p'},'spec':{'requestedFreight':"
        "[{'origin':{'kind':'Warehouse','name':'w'},'sources':{'stages':['eu','us'],"
        "'availabilityStrategy':'All','requiredSoakTime':'1h'}}]}}";
    int64_t left;

    ck_assert_int_eq(avail(ONE_OF, "p", "w", "'verifiedIn':{'us':{}}", NULL),
                     FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM);
    ck_assert_int_eq(avail(ALL, "p", "w", "'verifiedIn':{'us':{'longestSoak':'2h'}}", NULL),
                     FD_MODEL_AVAILABLE_NOT_VERIFIED_UPSTREAM);
    ck_assert_int_eq(avail(ALL, "p", "w",
                           "'verifiedIn':{'us':{'longestSoak':'2h'},'eu':{'longestSoak':'2h'}}",
                           NULL),
                     FD_MODEL_AVAILABLE_VERIFIED_UPSTREAM);
    /* All: the longest remaining soak decides. */
    ck_assert_int_eq(avail(ALL, "p", "w",
                           "'verifiedIn':{'us':{'longestSoak':'2h'},'eu':{'longestSoak':'15m'}}",
                           &left),
                     FD_MODEL_AVAILABLE_SOAKING);
    ck_assert_int_eq(left, 45 * 60);
}
END_TEST

/* ---- Pipeline graph --------------------------------------------------------------- */
static char *stage_from(const char *name, const char *ns, const char *sources)
{
    return fd_xasprintf("{'kind':'Stage','metadata':{'name':'%s','namespace':'%s'},'spec':"
                        "{'requestedFreight':[{'origin':{'kind':'Warehouse','name':'w'},"
                        "'sources':%s}]}}",
                        name, ns, sources);
}

START_TEST(pipeline_fan_out_fan_in)
{
    char *wh = fd_xstrdup("{'kind':'Warehouse','metadata':{'name':'w','namespace':'p'}}");
    char *test = stage_from("test", "p", "{'direct':true}");
    char *eu = stage_from("uat-eu", "p", "{'stages':['test']}");
    char *us = stage_from("uat-us", "p", "{'stages':['test']}");
    char *prod = stage_from("prod", "p", "{'stages':['uat-us','uat-eu']}");
    char *elsewhere = stage_from("x", "other", "{'direct':true}");
    struct fd_model_snapshot *s = world(prod, us, eu, test, wh, elsewhere, NULL);
    struct fd_model_pipeline *p = fd_model_pipeline_build(s, "p");
    static const char *order[] = {"w", "test", "uat-eu", "uat-us", "prod"};
    static const size_t depth[] = {0, 1, 2, 2, 3};

    ck_assert_uint_eq(p->n_nodes, 5);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_msg(strcmp(p->nodes[i].name, order[i]) == 0, "node %zu: expected %s, got %s", i,
                      order[i], p->nodes[i].name);
        ck_assert_uint_eq(p->nodes[i].depth, depth[i]);
        ck_assert_ptr_nonnull(p->nodes[i].obj);
        ck_assert(!p->nodes[i].in_cycle);
    }
    ck_assert_int_eq(p->nodes[0].kind, FD_MODEL_NODE_WAREHOUSE);
    ck_assert_uint_eq(p->n_edges, 5);
    /* Every edge points downstream in the order. */
    for (size_t e = 0; e < p->n_edges; e++) {
        ck_assert_uint_lt(p->edges[e].from, p->edges[e].to);
        ck_assert_str_eq(p->edges[e].warehouse, "w");
    }
    size_t prod_i = fd_model_pipeline_find(p, FD_MODEL_NODE_STAGE, "prod"), into_prod = 0;
    for (size_t e = 0; e < p->n_edges; e++)
        into_prod += p->edges[e].to == prod_i;
    ck_assert_uint_eq(into_prod, 2);
    ck_assert_uint_eq(fd_model_pipeline_find(p, FD_MODEL_NODE_STAGE, "x"), (size_t)-1);
    fd_model_pipeline_free(p);
    fd_model_snapshot_release(s);
    free(wh);
    free(test);
    free(eu);
    free(us);
    free(prod);
    free(elsewhere);
}
END_TEST

START_TEST(pipeline_missing_and_cycles)
{
    char *orphan = stage_from("orphan", "p", "{'stages':['ghost']}");
    char *direct = stage_from("d", "p", "{'direct':true}"); /* Warehouse w not listed */
    char *a = stage_from("a", "p", "{'stages':['b']}");
    char *b = stage_from("b", "p", "{'stages':['a']}");
    char *c = stage_from("c", "p", "{'stages':['b']}");
    struct fd_model_snapshot *s = world(orphan, direct, a, b, c, NULL);
    struct fd_model_pipeline *p = fd_model_pipeline_build(s, "p");
    size_t i;

    ck_assert_uint_eq(p->n_nodes, 7);
    i = fd_model_pipeline_find(p, FD_MODEL_NODE_STAGE, "ghost");
    ck_assert_ptr_null(p->nodes[i].obj);
    ck_assert_uint_lt(i, fd_model_pipeline_find(p, FD_MODEL_NODE_STAGE, "orphan"));
    i = fd_model_pipeline_find(p, FD_MODEL_NODE_WAREHOUSE, "w");
    ck_assert_uint_eq(i, 0);
    ck_assert_ptr_null(p->nodes[i].obj);
    /* a ⇄ b, and c behind them, come last, flagged. */
    ck_assert_str_eq(p->nodes[4].name, "a");
    ck_assert_str_eq(p->nodes[5].name, "b");
    ck_assert_str_eq(p->nodes[6].name, "c");
    for (i = 0; i < 7; i++)
        ck_assert(p->nodes[i].in_cycle == (i >= 4));
    fd_model_pipeline_free(p);
    fd_model_snapshot_release(s);
    free(orphan);
    free(direct);
    free(a);
    free(b);
    free(c);
}
END_TEST

/* ---- Rollout canary view ----------------------------------------------------------- */
static const char *STEPS = "[{'setWeight':20},{'pause':{}},{'setWeight':40},"
                           "{'pause':{'duration':'10s'}},{'analysis':{'templates':[]}},"
                           "{'setWeight':80},{'pause':{}}]";

static struct fd_model_object *rollout(const char *canary_extra, const char *status)
{
    char *t = fd_xasprintf("{'kind':'Rollout','metadata':{'name':'r','namespace':'p',"
                           "'generation':4},'spec':{'replicas':10,'strategy':{'canary':{"
                           "'steps':%s%s}}},'status':{'observedGeneration':'4',%s}}",
                           STEPS, canary_extra, status);
    struct fd_model_object *o = good(t);

    free(t);
    return o;
}

static void view(const char *canary_extra, const char *status, int64_t canary_available,
                 struct fd_model_canary_view *v)
{
    struct fd_model_object *o = rollout(canary_extra, status);

    fd_model_rollout_canary(o, canary_available, v);
    fd_model_object_unref(o);
}

START_TEST(canary_weights_at_each_step)
{
    static const int64_t want_set[] = {20, 20, 40, 40, 40, 80, 80, 100};
    struct fd_model_canary_view v;

    for (int i = 0; i <= 7; i++) {
        char *st = fd_xasprintf("'currentStepIndex':%d,'availableReplicas':10", i);
        view("", st, 2, &v);
        ck_assert(v.canary);
        ck_assert(v.has_step);
        ck_assert_int_eq(v.step, i);
        ck_assert_int_eq(v.steps, 7);
        ck_assert_msg(v.set_weight == want_set[i], "step %d: SetWeight expected %lld, got %lld", i,
                      (long long)want_set[i], (long long)v.set_weight);
        ck_assert(v.actual_known);
        /* Without traffic routing: canary available * 100 / available. */
        ck_assert_int_eq(v.actual_weight, i == 7 ? 100 : 20);
        ck_assert(v.current_step == (i < 7));
        fd_model_canary_view_free(&v);
        free(st);
    }
    /* No index yet: step 0, but "Step:" is not shown. */
    view("", "'availableReplicas':10", 3, &v);
    ck_assert(!v.has_step);
    ck_assert_int_eq(v.set_weight, 20);
    ck_assert_int_eq(v.actual_weight, 30);
    fd_model_canary_view_free(&v);
    /* Abort drops the desired weight to 0. */
    view("", "'currentStepIndex':5,'abort':true,'availableReplicas':10", 0, &v);
    ck_assert_int_eq(v.set_weight, 0);
    ck_assert_int_eq(v.actual_weight, 0);
    ck_assert(!v.paused_indefinitely);
    fd_model_canary_view_free(&v);
    /* Unknown canary ReplicaSet: actual weight unknown. */
    view("", "'currentStepIndex':2,'availableReplicas':10", -1, &v);
    ck_assert(!v.actual_known);
    fd_model_canary_view_free(&v);
    /* Nothing available: 0. */
    view("", "'currentStepIndex':2", -1, &v);
    ck_assert(v.actual_known);
    ck_assert_int_eq(v.actual_weight, 0);
    fd_model_canary_view_free(&v);
}
END_TEST

START_TEST(canary_weights_with_traffic_routing)
{
    struct fd_model_canary_view v;

    /* The router's weight when reported... */
    view(
        ",'trafficRouting':{'nginx':{}}",
        "'currentStepIndex':2,'availableReplicas':10,'canary':{'weights':{'canary':{'weight':35}}}",
        -1, &v);
    ck_assert_int_eq(v.set_weight, 40);
    ck_assert_int_eq(v.actual_weight, 35);
    fd_model_canary_view_free(&v);
    /* ...else the desired weight. */
    view(",'trafficRouting':{'nginx':{}}", "'currentStepIndex':2,'availableReplicas':10", -1, &v);
    ck_assert_int_eq(v.actual_weight, 40);
    fd_model_canary_view_free(&v);
    /* Done: MaxTrafficWeight. */
    view(",'trafficRouting':{'maxTrafficWeight':1000}",
         "'currentStepIndex':7,'availableReplicas':10", -1, &v);
    ck_assert_int_eq(v.set_weight, 1000);
    ck_assert_int_eq(v.actual_weight, 1000);
    fd_model_canary_view_free(&v);
}
END_TEST

START_TEST(pause_reasons_and_phase)
{
    struct fd_model_canary_view v;

    /* pause: {} waits for a human. */
    view("",
         "'currentStepIndex':1,'phase':'Paused','message':'CanaryPauseStep',"
         "'pauseConditions':[{'reason':'CanaryPauseStep','startTime':'2026-08-19T15:00:00Z'}],"
         "'controllerPause':true",
         -1, &v);
    ck_assert_str_eq(v.phase, "Paused");
    ck_assert_str_eq(v.message, "CanaryPauseStep");
    ck_assert_uint_eq(v.n_pause_reasons, 1);
    ck_assert_str_eq(v.pause_reasons[0], "CanaryPauseStep");
    ck_assert(v.paused_indefinitely);
    fd_model_canary_view_free(&v);
    /* pause: {duration} resumes by itself. */
    view("", "'currentStepIndex':3,'pauseConditions':[{'reason':'CanaryPauseStep'}]", -1, &v);
    ck_assert(!v.paused_indefinitely);
    fd_model_canary_view_free(&v);
    /* An inconclusive step analysis waits for promote or abort. */
    view("", "'currentStepIndex':4,'pauseConditions':[{'reason':'InconclusiveAnalysisRun'}]", -1,
         &v);
    ck_assert(v.paused_indefinitely);
    ck_assert_str_eq(v.pause_reasons[0], "InconclusiveAnalysisRun");
    fd_model_canary_view_free(&v);
    /* Client overrides of the phase. */
    view("", "'currentStepIndex':2,'controllerPause':true,'phase':'Paused'", -1, &v);
    ck_assert_str_eq(v.phase, "Progressing");
    ck_assert_str_eq(v.message, "waiting for rollout to unpause");
    fd_model_canary_view_free(&v);
    struct fd_model_object *o =
        good("{'kind':'Rollout','metadata':{'name':'r','namespace':'p','generation':5},"
             "'spec':{'paused':true,'strategy':{'canary':{}}},'status':{'observedGeneration':'4',"
             "'phase':'Healthy'}}");
    fd_model_rollout_canary(o, -1, &v);
    ck_assert_str_eq(v.phase, "Progressing");
    ck_assert_str_eq(v.message, "waiting for rollout spec update to be observed");
    ck_assert_str_eq(v.pause_reasons[0], "manual");
    ck_assert(v.paused_indefinitely);
    ck_assert(!v.has_step);
    ck_assert_int_eq(v.set_weight, 100); /* no steps: fully promoted */
    fd_model_canary_view_free(&v);
    fd_model_object_unref(o);
}
END_TEST

START_TEST(phase_without_controller_phase)
{
    static const struct {
        const char *status, *phase, *message;
    } cases[] = {
        {"'conditions':[{'type':'InvalidSpec','status':'True','message':'bad'}]", "Degraded",
         "InvalidSpec: bad"},
        {"'conditions':[{'type':'Progressing','status':'False','reason':'RolloutAborted',"
         "'message':'Rollout aborted update to revision 2'}]",
         "Degraded", "RolloutAborted: Rollout aborted update to revision 2"},
        {"'pauseConditions':[{'reason':'CanaryPauseStep'}]", "Paused", "CanaryPauseStep"},
        {"'updatedReplicas':5", "Progressing", "more replicas need to be updated"},
        {"'updatedReplicas':10,'availableReplicas':8", "Progressing",
         "updated replicas are still becoming available"},
        {"'replicas':12,'updatedReplicas':10,'availableReplicas':10", "Progressing",
         "old replicas are pending termination"},
        {"'replicas':10,'updatedReplicas':10,'availableReplicas':10,'stableRS':'a',"
         "'currentPodHash':'b'",
         "Progressing", "waiting for all steps to complete"},
        {"'replicas':10,'updatedReplicas':10,'availableReplicas':10,'stableRS':'a',"
         "'currentPodHash':'a'",
         "Healthy", ""},
    };
    for (size_t i = 0; i < FD_ARRAY_SIZE(cases); i++) {
        struct fd_model_canary_view v;
        view("", cases[i].status, -1, &v);
        ck_assert_msg(strcmp(v.phase, cases[i].phase) == 0 &&
                          strcmp(v.message, cases[i].message) == 0,
                      "case %zu: expected %s \"%s\", got %s \"%s\"", i, cases[i].phase,
                      cases[i].message, v.phase, v.message);
        fd_model_canary_view_free(&v);
    }
}
END_TEST

/* ---- Verification runs, current Freight ------------------------------------------- */
START_TEST(verification_runs_are_linked)
{
    json_t *sj = fixture_json("stage-prod-verification-failed.json");
    json_t *rj = fixture_json("analysisrun-prod-failed.json");
    char *stage_text = json_dumps(sj, 0), *run_text = json_dumps(rj, 0);
    /* Another run of the same collection, found only through its labels. */
    struct fd_model_snapshot *s = world(
        stage_text, run_text,
        "{'kind':'AnalysisRun','metadata':{'name':'prod.zzz.b5a7eb8','namespace':'kargo-demo',"
        "'creationTimestamp':'2026-08-19T17:00:00Z','labels':{'kargo.akuity.io/stage':'prod',"
        "'kargo.akuity.io/freight-collection':'b5a7eb834d099e2603e770c3718bd9e9c610a734'}},"
        "'spec':{'metrics':[]},'status':{'phase':'Running'}}",
        NULL);
    const struct fd_model_object *stage =
        fd_model_snapshot_find(s, FD_MODEL_STAGE, "kargo-demo", "prod");
    const struct fd_model_freight_collection *cur = fd_model_stage_current(stage->u.stage);
    const struct fd_model_object *run;

    ck_assert_ptr_nonnull(cur);
    ck_assert_str_eq(fd_model_stage_current_freight(stage->u.stage, "kargo-demo")->name,
                     "e2da2dc40552157c0329366dd86552525360fef9");
    ck_assert_ptr_null(fd_model_stage_current_freight(stage->u.stage, "elsewhere"));
    ck_assert(fd_model_stage_requests_origin(stage->u.stage, "kargo-demo"));
    ck_assert(!fd_model_stage_requests_origin(stage->u.stage, "elsewhere"));
    run = fd_model_verification_run(s, stage, &cur->verifications[0], cur->id);
    ck_assert_ptr_nonnull(run);
    ck_assert_str_eq(run->meta.name, "prod.01m0dc0k8cxkkftmb6ws2hpk7k.b5a7eb8");
    /* The older verification's run is gone: the labels find the newest. */
    run = fd_model_verification_run(s, stage, &cur->verifications[1], cur->id);
    ck_assert_str_eq(run->meta.name, "prod.zzz.b5a7eb8");
    ck_assert_ptr_null(fd_model_verification_run(s, stage, &cur->verifications[1], "other"));
    fd_model_snapshot_release(s);
    free(stage_text);
    free(run_text);
    json_decref(sj);
    json_decref(rj);
}
END_TEST

START_TEST(longest_soak)
{
    struct fd_model_object *f =
        good("{'kind':'Freight','metadata':{'name':'f','namespace':'p'},'status':{"
             "'verifiedIn':{'a':{'longestSoak':'1h'},'b':{}},"
             "'currentlyIn':{'a':{'since':'2026-08-19T13:45:00Z'},'c':{'since':'2026-08-19T13:45:"
             "00Z'}}}}");

    ck_assert_int_eq(fd_model_freight_longest_soak(f->u.freight, "a", NOW), 2 * 3600);
    ck_assert_int_eq(fd_model_freight_longest_soak(f->u.freight, "b", NOW), 0);
    /* Not verified there: no soak at all. */
    ck_assert_int_eq(fd_model_freight_longest_soak(f->u.freight, "c", NOW), 0);
    fd_model_object_unref(f);
}
END_TEST

/* ---- What waits for a human ---------------------------------------------------------- */
START_TEST(attention_list)
{
    char *test = stage_from("test", "p", "{'direct':true}");
    char *uat = stage_from("uat", "p", "{'stages':['test']}");
    char *prod = stage_from("prod", "p", "{'stages':['uat']}");
    struct fd_model_snapshot *s = world(
        test, uat, prod,
        "{'kind':'ProjectConfig','metadata':{'name':'p','namespace':'p'},'spec':"
        "{'promotionPolicies':[{'stage':'test','autoPromotionEnabled':true}]}}",
        /* Two verified in test: the newer one is reported for uat. */
        "{'kind':'Freight','metadata':{'name':'old','namespace':'p','creationTimestamp':"
        "'2026-08-19T10:00:00Z'},'origin':{'kind':'Warehouse','name':'w'},'status':"
        "{'verifiedIn':{'test':{}}}}",
        "{'kind':'Freight','metadata':{'name':'new','namespace':'p','creationTimestamp':"
        "'2026-08-19T11:00:00Z'},'alias':'brave-bee','origin':{'kind':'Warehouse','name':'w'},"
        "'status':{'verifiedIn':{'test':{}},'approvedFor':{'prod':{}}}}",
        /* Already in uat: not reported for uat. */
        "{'kind':'Freight','metadata':{'name':'newest','namespace':'p','creationTimestamp':"
        "'2026-08-19T12:00:00Z'},'origin':{'kind':'Warehouse','name':'w'},'status':"
        "{'verifiedIn':{'test':{},'uat':{}}}}",
        "{'kind':'Rollout','metadata':{'name':'web','namespace':'p'},'spec':{'strategy':{'canary':"
        "{'steps':[{'setWeight':20},{'pause':{}}]}}},'status':{'currentStepIndex':1,"
        "'pauseConditions':[{'reason':'CanaryPauseStep'}]}}",
        "{'kind':'Rollout','metadata':{'name':'calm','namespace':'p'},'spec':{'strategy':{'canary':"
        "{'steps':[{'setWeight':20}]}}},'status':{'currentStepIndex':1}}",
        "{'kind':'Rollout','metadata':{'name':'bad','namespace':'p'},'spec':{'strategy':{'canary':"
        "{'steps':[{'setWeight':20}]}}},'status':{'currentStepIndex':0,'abort':true,"
        "'phase':'Degraded','message':'RolloutAborted: metric failed'}}",
        "{'kind':'AnalysisRun','metadata':{'name':'run1','namespace':'p'},'spec':{'metrics':[]},"
        "'status':{'phase':'Inconclusive','message':'Metric \\u0022m\\u0022 assessed "
        "Inconclusive'}}",
        "{'kind':'AnalysisRun','metadata':{'name':'run2','namespace':'p'},'spec':{'metrics':[]},"
        "'status':{'phase':'Successful'}}",
        NULL);
    struct fd_model_attention *items;
    size_t n = fd_model_attention_list(s, "p", NOW, &items);

    ck_assert_uint_eq(n, 5);
    /* Most urgent first: the aborted Rollout, the paused one, the
     * inconclusive run, then Freight ready, Stages in name order (test
     * auto-promotes, so it is skipped). For prod, "new" is approved but
     * "newest" (verified in uat) is newer and wins; for uat, "newest" has
     * been there already, so "new" is reported. */
    ck_assert_int_eq(items[0].kind, FD_MODEL_ATTENTION_ROLLOUT_DEGRADED);
    ck_assert_str_eq(items[0].detail, "Rollout bad aborted: RolloutAborted: metric failed");
    ck_assert_int_eq(items[1].kind, FD_MODEL_ATTENTION_ROLLOUT_PAUSED);
    ck_assert_str_eq(items[1].detail, "Rollout web at step 1/2: CanaryPauseStep");
    ck_assert_int_eq(items[2].kind, FD_MODEL_ATTENTION_ANALYSIS_INCONCLUSIVE);
    ck_assert_str_eq(items[2].detail,
                     "AnalysisRun run1 inconclusive: Metric \"m\" assessed Inconclusive");
    ck_assert_int_eq(items[3].kind, FD_MODEL_ATTENTION_FREIGHT_READY);
    ck_assert_str_eq(items[3].stage->meta.name, "prod");
    ck_assert_str_eq(items[3].obj->meta.name, "newest");
    ck_assert_str_eq(items[3].detail, "prod: Freight newest (newest) verified upstream");
    ck_assert_int_eq(items[4].kind, FD_MODEL_ATTENTION_FREIGHT_READY);
    ck_assert_str_eq(items[4].stage->meta.name, "uat");
    ck_assert_str_eq(items[4].obj->meta.name, "new");
    ck_assert_str_eq(items[4].detail, "uat: Freight brave-bee (new) verified upstream");
    fd_model_attention_free(items, n);
    /* Other namespaces see nothing. */
    n = fd_model_attention_list(s, "q", NOW, &items);
    ck_assert_uint_eq(n, 0);
    fd_model_attention_free(items, n);
    fd_model_snapshot_release(s);
    free(test);
    free(uat);
    free(prod);
}
END_TEST

/* Freight newest first as Kargo orders them: discoveredAt (else the
 * creationTimestamp), then the greater name. The console's lists and what
 * waits for a human use this one order. */
START_TEST(freight_order_as_kargo)
{
    struct fd_model_snapshot *s = world(
        "{'kind':'Stage','metadata':{'name':'prod','namespace':'p'},'spec':{'requestedFreight':"
        "[{'origin':{'kind':'Warehouse','name':'w'},'sources':{'stages':['uat']}}]},'status':"
        "{'freightHistory':[{'id':'c1','items':{'Warehouse/w':{'name':'c-tie','origin':"
        "{'kind':'Warehouse','name':'w'}}}}]}}",
        /* Created last, discovered first (a Warehouse discovered it long
         * before it was made again). */
        "{'kind':'Freight','metadata':{'name':'b-old','namespace':'p','creationTimestamp':"
        "'2026-08-19T12:00:00Z'},'discoveredAt':'2026-08-19T09:00:00Z','origin':"
        "{'kind':'Warehouse','name':'w'},'status':{'verifiedIn':{'uat':{}}}}",
        /* Two of the same second: the greater name is the newer. */
        "{'kind':'Freight','metadata':{'name':'a-tie','namespace':'p','creationTimestamp':"
        "'2026-08-19T10:00:00Z'},'origin':{'kind':'Warehouse','name':'w'},'status':"
        "{'verifiedIn':{'uat':{}}}}",
        "{'kind':'Freight','metadata':{'name':'c-tie','namespace':'p','creationTimestamp':"
        "'2026-08-19T10:00:00Z'},'origin':{'kind':'Warehouse','name':'w'},'status':"
        "{'verifiedIn':{'uat':{}},'currentlyIn':{'prod':{}}}}",
        NULL);
    size_t n;
    struct fd_model_object *const *all = fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    const struct fd_model_object **fl = fd_xcalloc(n, sizeof(*fl));

    ck_assert_uint_eq(n, 3);
    memcpy(fl, all, n * sizeof(*fl));
    qsort(fl, n, sizeof(*fl), fd_model_freight_newest_first);
    ck_assert_str_eq(fl[0]->meta.name, "c-tie");
    ck_assert_str_eq(fl[1]->meta.name, "a-tie");
    ck_assert_str_eq(fl[2]->meta.name, "b-old");
    ck_assert_int_eq(fd_model_freight_discovered_at(fl[2]), 1787130000);
    ck_assert_int_eq(fd_model_freight_discovered_at(fl[0]), 1787133600);
    free(fl);

    /* prod holds c-tie; all three passed uat. a-tie (same second, lesser
     * name) and b-old (discovered earlier, though created later) are older,
     * so nothing waits for prod. */
    struct fd_model_attention *items;
    n = fd_model_attention_list(s, "p", NOW, &items);
    ck_assert_uint_eq(n, 0);
    fd_model_attention_free(items, n);
    fd_model_snapshot_release(s);
}
END_TEST

/* A Stage the model cannot decode waits for a human: what else waits there
 * cannot be told. Its detail names the field once. */
START_TEST(attention_invalid_stage)
{
    struct fd_model_store *st = fd_model_store_new(0);
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED,
                         obj_from("{'kind':'Stage','metadata':{'name':'qa','namespace':'p'},"
                                  "'spec':7}"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED,
                         obj_from("{'kind':'Stage','metadata':{'name':'qa','namespace':'q'},"
                                  "'spec':7}"));
    struct fd_model_snapshot *s = fd_model_store_snapshot(st);
    fd_model_store_free(st);
    struct fd_model_attention *items;
    size_t n = fd_model_attention_list(s, "p", NOW, &items);

    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(items[0].kind, FD_MODEL_ATTENTION_STAGE_INVALID);
    ck_assert_str_eq(items[0].stage->meta.name, "qa");
    ck_assert_str_eq(items[0].detail, "qa: cannot be read: spec: expected object, got number");
    ck_assert_str_eq(fd_model_attention_mark(items[0].kind), "invalid");
    fd_model_attention_free(items, n);
    fd_model_snapshot_release(s);
}
END_TEST

/* The Rollouts behind Stage <stage>: the one named web-<stage> (the fleet's
 * mapping, reduced to a name rule for the test). */
static size_t web_rollouts(void *user, const char *stage, const struct fd_model_object ***out)
{
    char name[64];
    const struct fd_model_object *ro;

    snprintf(name, sizeof(name), "web-%s", stage);
    ro = fd_model_snapshot_find(user, FD_MODEL_ROLLOUT, "p", name);
    *out = ro ? fd_xcalloc(1, sizeof(**out)) : NULL;
    if (ro)
        (*out)[0] = ro;
    return ro ? 1 : 0;
}

/* A paused canary, an aborted one and a canary's step run name their Stage
 * as a Failed verification or Freight ready does ("staging: ..."). */
START_TEST(attention_names_stages)
{
    char *staging = stage_from("staging", "p", "{'direct':true}");
    struct fd_model_snapshot *s = world(
        staging,
        "{'kind':'Rollout','metadata':{'name':'web-staging','namespace':'p','uid':'u1'},'spec':"
        "{'strategy':{'canary':{'steps':[{'setWeight':20},{'pause':{}}]}}},'status':"
        "{'currentStepIndex':1,'pauseConditions':[{'reason':'CanaryPauseStep'}]}}",
        "{'kind':'Rollout','metadata':{'name':'web-gone','namespace':'p'},'spec':{'strategy':"
        "{'canary':{'steps':[{'setWeight':20}]}}},'status':{'currentStepIndex':0,'abort':true,"
        "'phase':'Degraded','message':'RolloutAborted: metric failed'}}",
        "{'kind':'AnalysisRun','metadata':{'name':'web-staging-abc-2-1','namespace':'p',"
        "'ownerReferences':[{'apiVersion':'argoproj.io/v1alpha1','kind':'Rollout','name':"
        "'web-staging','uid':'u1','controller':true}]},'spec':{'metrics':[]},'status':"
        "{'phase':'Inconclusive'}}",
        NULL);
    struct fd_model_attention *items;
    size_t n = fd_model_attention_list(s, "p", NOW, &items);

    fd_model_attention_name_stages(items, n, s, "p", web_rollouts, s);
    ck_assert_uint_eq(n, 3);
    /* No Stage for web-gone: it stays as it was. */
    ck_assert_int_eq(items[0].kind, FD_MODEL_ATTENTION_ROLLOUT_DEGRADED);
    ck_assert_ptr_null(items[0].stage);
    ck_assert_str_eq(items[0].detail, "Rollout web-gone aborted: RolloutAborted: metric failed");
    ck_assert_int_eq(items[1].kind, FD_MODEL_ATTENTION_ROLLOUT_PAUSED);
    ck_assert_ptr_nonnull(items[1].stage);
    ck_assert_str_eq(items[1].stage->meta.name, "staging");
    ck_assert_str_eq(items[1].detail, "staging: Rollout web-staging at step 1/2: CanaryPauseStep");
    ck_assert_int_eq(items[2].kind, FD_MODEL_ATTENTION_ANALYSIS_INCONCLUSIVE);
    ck_assert_ptr_nonnull(items[2].stage);
    ck_assert_str_eq(items[2].detail, "staging: AnalysisRun web-staging-abc-2-1 inconclusive");
    /* Named once: a second pass changes nothing. */
    fd_model_attention_name_stages(items, n, s, "p", web_rollouts, s);
    ck_assert_str_eq(items[1].detail, "staging: Rollout web-staging at step 1/2: CanaryPauseStep");
    fd_model_attention_free(items, n);
    fd_model_snapshot_release(s);
    free(staging);
}
END_TEST

/* ---- The approve plan: approvedAt is the time of sending ------------------------------ */
START_TEST(approve_stamped_at_sending)
{
    char *prod = stage_from("prod", "p", "{'direct':true}");
    struct fd_model_snapshot *s = world(
        prod,
        "{'kind':'Freight','metadata':{'name':'f1','namespace':'p','creationTimestamp':"
        "'2026-08-19T10:00:00Z'},'alias':'brave-bee','origin':{'kind':'Warehouse','name':'w'}}",
        NULL);
    struct fd_model_action a = {FD_MODEL_ACTION_APPROVE, "p", "brave-bee", "prod", NULL};
    struct fd_model_action_plan *p = NULL;
    char *err = NULL, *body, *desc, *text;

    ck_assert_int_eq(fd_model_action_plan(&a, s, NOW, &p, &err), FD_OK);
    ck_assert_uint_eq(p->n_requests, 1);
    /* The plan does not pretend to know the time: it names the rule. */
    ck_assert(p->requests[0].stamped);
    ck_assert_str_eq(p->requests[0].body, "{\"status\":{\"approvedFor\":{\"prod\":{\"approvedAt\":"
                                          "\"<the time of sending>\"}}}}");
    ck_assert_str_eq(
        p->description,
        "Freight p/f1: set status.approvedFor.prod.approvedAt = <the time of sending>");
    text = fd_model_action_plan_text(p);
    ck_assert_msg(strstr(text, "\"approvedAt\":\"<the time of sending>\"") != NULL, "%s", text);
    free(text);
    /* Sent 4 s after planning: the body carries that time, not NOW. */
    body = fd_model_action_stamp(p->requests[0].body, NOW + 4);
    ck_assert_str_eq(body, "{\"status\":{\"approvedFor\":{\"prod\":{\"approvedAt\":"
                           "\"2026-08-19T15:45:04Z\"}}}}");
    desc = fd_model_action_stamp(p->description, NOW + 4);
    ck_assert_str_eq(desc, "Freight p/f1: set status.approvedFor.prod.approvedAt = "
                           "2026-08-19T15:45:04Z");
    free(body);
    free(desc);
    fd_model_action_plan_free(p);
    /* Other plans carry no placeholder: stamping leaves them as they are. */
    body = fd_model_action_stamp("{\"spec\":{\"paused\":false}}", NOW);
    ck_assert_str_eq(body, "{\"spec\":{\"paused\":false}}");
    free(body);
    ck_assert_ptr_null(fd_model_action_stamp(NULL, NOW));
    fd_model_snapshot_release(s);
    free(prod);
}
END_TEST

/* ---- The ReplicaSets and AnalysisRuns a Rollout owns ------------------------------- */
#define RS(name, hash, rev, owner_uid, spec, status, extra)                                      \
    "{'apiVersion':'apps/v1','kind':'ReplicaSet','metadata':{'name':'" name "','namespace':'p'," \
    "'generation':2,'labels':{'rollouts-pod-template-hash':'" hash "'},"                         \
    "'annotations':{'rollout.argoproj.io/revision':'" rev "'},"                                  \
    "'ownerReferences':[{'apiVersion':'argoproj.io/v1alpha1','kind':'Rollout','name':'ro',"      \
    "'uid':'" owner_uid "','controller':true}]" extra "},"                                       \
    "'spec':{" spec ",'template':{'spec':{'initContainers':[{'name':'i','image':'init:1'}],"     \
    "'containers':[{'name':'a','image':'app:2'},{'name':'b','image':'side:1'}]}}},"              \
    "'status':{" status "}}"

START_TEST(rollout_replica_sets_and_runs)
{
    struct fd_model_snapshot *snap = world(
        "{'kind':'Rollout','metadata':{'name':'ro','namespace':'p','uid':'u-ro'},"
        "'spec':{'strategy':{'canary':{'steps':[{'setWeight':20}]}}},"
        "'status':{'stableRS':'aaa','currentPodHash':'bbb'}}",
        RS("ro-aaa", "aaa", "1", "u-ro", "'replicas':4",
           "'replicas':4,'readyReplicas':4,'availableReplicas':4,'observedGeneration':2", ""),
        RS("ro-bbb", "bbb", "2", "u-ro", "'replicas':2",
           "'replicas':2,'readyReplicas':1,'availableReplicas':1,'observedGeneration':2", ""),
        RS("ro-ccc", "ccc", "x", "u-ro", "'replicas':0", "'observedGeneration':2", ""),
        RS("ro-ddd", "ddd", "3", "u-ro", "'replicas':1",
           "'replicas':1,'availableReplicas':1,'observedGeneration':1", ""),
        RS("ro-eee", "eee", "4", "u-ro", "'replicas':1",
           "'availableReplicas':1,'observedGeneration':2,'conditions':[{'type':'ReplicaFailure',"
           "'status':'True','reason':'FailedCreate','message':'quota'}]",
           ""),
        /* another Rollout's (by uid, not by name), and one in another namespace */
        RS("ro-fff", "fff", "9", "u-other", "'replicas':1", "", ""),
        "{'kind':'AnalysisRun','metadata':{'name':'ro-bbb-2-0','namespace':'p',"
        "'creationTimestamp':'2026-08-19T15:00:00Z','labels':{'rollout-type':'Step',"
        "'step-index':'0'},'ownerReferences':[{'kind':'Rollout','name':'ro','uid':'u-ro'}]},'spec':"
        "{'metrics':[]}}",
        "{'kind':'AnalysisRun','metadata':{'name':'ro-aaa-1-0','namespace':'p',"
        "'creationTimestamp':'2026-08-18T15:00:00Z',"
        "'ownerReferences':[{'kind':'Rollout','name':'ro','uid':'u-ro'}]},'spec':{'metrics':[]}}",
        "{'kind':'AnalysisRun','metadata':{'name':'ro-zzz-1-0','namespace':'p',"
        "'creationTimestamp':'2026-08-19T16:00:00Z'},'spec':{'metrics':[]}}",
        NULL);
    const struct fd_model_object *ro = fd_model_snapshot_find(snap, FD_MODEL_ROLLOUT, "p", "ro");
    struct fd_model_rollout_rs *rs;
    const struct fd_model_object **runs;
    size_t n = fd_model_rollout_replica_sets(snap, ro, &rs);

    ck_assert_uint_eq(n, 5);
    /* newest revision first; a bad revision annotation is 0 */
    ck_assert_str_eq(rs[0].obj->meta.name, "ro-eee");
    ck_assert_str_eq(rs[0].health, "ReplicaFailure");
    ck_assert_str_eq(rs[1].obj->meta.name, "ro-ddd");
    ck_assert_str_eq(rs[1].health, "Progressing"); /* observedGeneration behind */
    ck_assert_str_eq(rs[2].obj->meta.name, "ro-bbb");
    ck_assert_int_eq(rs[2].revision, 2);
    ck_assert(rs[2].canary && !rs[2].stable);
    ck_assert_str_eq(rs[2].health, "Progressing"); /* 1 of 2 available */
    ck_assert_str_eq(rs[3].obj->meta.name, "ro-aaa");
    ck_assert(rs[3].stable && !rs[3].canary);
    ck_assert_str_eq(rs[3].health, "Healthy");
    ck_assert_str_eq(rs[4].obj->meta.name, "ro-ccc");
    ck_assert_int_eq(rs[4].revision, 0);
    ck_assert_str_eq(rs[4].health, "ScaledDown");
    const struct fd_model_replica_set *x = rs[3].obj->u.replica_set;
    ck_assert_uint_eq(x->n_images, 2);
    ck_assert_str_eq(x->images[0], "app:2");
    ck_assert_str_eq(x->images[1], "side:1");
    ck_assert_uint_eq(x->n_init_images, 1);
    ck_assert_int_eq(x->replicas, 4);
    ck_assert_int_eq(x->ready_replicas, 4);
    ck_assert_str_eq(fd_model_controller_of(rs[3].obj)->name, "ro");
    free(rs);

    /* the actual weight without traffic routing takes the canary's available pods */
    ck_assert_int_eq(fd_model_rollout_canary_available(snap, ro), 1);
    ck_assert_int_eq(fd_model_rollout_canary_available(snap, NULL), -1);

    n = fd_model_rollout_runs(snap, ro, &runs);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(runs[0]->meta.name, "ro-bbb-2-0");
    ck_assert_str_eq(runs[1]->meta.name, "ro-aaa-1-0");
    free(runs);
    fd_model_snapshot_release(snap);
}
END_TEST

START_TEST(replica_set_decode_errors)
{
    struct fd_model_object *o = obj_from("{'apiVersion':'apps/v1','kind':'ReplicaSet',"
                                         "'metadata':{'name':'r','namespace':'p'},"
                                         "'spec':{'replicas':'three'}}");
    ck_assert(o->undecodable);
    ck_assert_msg(strstr(o->error, "spec.replicas") != NULL, "%s", o->error);
    fd_model_object_unref(o);
    o = obj_from("{'kind':'ReplicaSet','metadata':{'name':'r','namespace':'p',"
                 "'ownerReferences':[{'uid':5}]}}");
    ck_assert(o->undecodable);
    ck_assert_msg(strstr(o->error, "metadata.ownerReferences[0].uid") != NULL, "%s", o->error);
    fd_model_object_unref(o);
    /* no spec.replicas: Kubernetes' default, 1 */
    o = good("{'kind':'ReplicaSet','metadata':{'name':'r','namespace':'p'}}");
    ck_assert_int_eq(o->u.replica_set->replicas, 1);
    ck_assert_str_eq(fd_model_replica_set_health(o), "Healthy");
    fd_model_object_unref(o);
}
END_TEST

START_TEST(auto_promotion_sources)
{
    struct fd_model_snapshot *s =
        world("{'kind':'Stage','metadata':{'name':'a','namespace':'p'},'status':{'"
              "autoPromotionEnabled':true}}",
              "{'kind':'Stage','metadata':{'name':'b','namespace':'p'}}",
              "{'kind':'Stage','metadata':{'name':'c','namespace':'p'}}",
              "{'kind':'Stage','metadata':{'name':'d','namespace':'q'}}",
              "{'kind':'ProjectConfig','metadata':{'name':'p','namespace':'p'},'spec':{'"
              "promotionPolicies':"
              "[{'stageSelector':{'name':'b'},'autoPromotionEnabled':true},{'stage':'c'},"
              "{'stage':'d','autoPromotionEnabled':true}]}}",
              NULL);

    ck_assert(
        fd_model_stage_auto_promotion(s, fd_model_snapshot_find(s, FD_MODEL_STAGE, "p", "a")));
    ck_assert(
        fd_model_stage_auto_promotion(s, fd_model_snapshot_find(s, FD_MODEL_STAGE, "p", "b")));
    ck_assert(
        !fd_model_stage_auto_promotion(s, fd_model_snapshot_find(s, FD_MODEL_STAGE, "p", "c")));
    /* A policy applies in its own project only. */
    ck_assert(
        !fd_model_stage_auto_promotion(s, fd_model_snapshot_find(s, FD_MODEL_STAGE, "q", "d")));
    fd_model_snapshot_release(s);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("model_derive");
    TCase *tc = tcase_create("derive");

    tcase_add_test(tc, stage_phase_rule);
    tcase_add_test(tc, availability_rules);
    tcase_add_test(tc, availability_strategies);
    tcase_add_test(tc, pipeline_fan_out_fan_in);
    tcase_add_test(tc, pipeline_missing_and_cycles);
    tcase_add_test(tc, canary_weights_at_each_step);
    tcase_add_test(tc, canary_weights_with_traffic_routing);
    tcase_add_test(tc, pause_reasons_and_phase);
    tcase_add_test(tc, phase_without_controller_phase);
    tcase_add_test(tc, verification_runs_are_linked);
    tcase_add_test(tc, longest_soak);
    tcase_add_test(tc, attention_list);
    tcase_add_test(tc, attention_names_stages);
    tcase_add_test(tc, freight_order_as_kargo);
    tcase_add_test(tc, attention_invalid_stage);
    tcase_add_test(tc, approve_stamped_at_sending);
    tcase_add_test(tc, auto_promotion_sources);
    tcase_add_test(tc, rollout_replica_sets_and_runs);
    tcase_add_test(tc, replica_set_decode_errors);
    suite_add_tcase(s, tc);
    return s;
}
