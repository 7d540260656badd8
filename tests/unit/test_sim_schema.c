/* tests/unit/test_sim_schema.c: the CRD schemas applied as the API server
 * applies them (src/sim/schema.c): pruning and its reported paths, nulls,
 * defaults, the validators' messages, the CEL subset, ratcheting. Expected
 * messages are kube-apiserver v1.34.5's (tests/realstack/simdiff). */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sim/schema.h"
#include "check_main.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    ck_assert_msg(j != NULL, "bad test JSON %s: %s", text, e.text);
    return j;
}

static const struct fd_sim_resource *R(enum fd_sim_resource_id id)
{
    return &fd_sim_resources[id];
}

/* The causes' aggregate for obj (and old), as the Status message ends. */
static char *problems(enum fd_sim_resource_id id, const char *obj, const char *old)
{
    json_t *o = J(obj), *p = old ? J(old) : NULL;
    json_t *causes = fd_sim_schema_validate(R(id), o, p);
    char *agg = fd_sim_schema_aggregate(causes);
    json_decref(causes);
    json_decref(o);
    json_decref(p);
    return agg;
}

#define RF \
    "\"requestedFreight\":[{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{}}]"

START_TEST(decode_prunes_reports_and_defaults)
{
    json_t *o = J("{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Warehouse\","
                  "\"metadata\":{\"name\":\"w\",\"zz\":1,\"aa\":2},\"spec\":{\"b\":1,\"a\":{},"
                  "\"subscriptions\":[{\"image\":{\"repoURL\":\"r\"},\"bogus\":true}],"
                  "\"shard\":null},\"extra\":[]}");
    json_t *unknown = fd_sim_schema_decode(R(FD_SIM_RES_WAREHOUSE), o);
    char *text = json_dumps(unknown, JSON_COMPACT);
    /* metadata's first (in the object's order), then the schema's, sorted;
     * subscriptions' items preserve unknown fields. */
    ck_assert_str_eq(text, "[\"metadata.zz\",\"metadata.aa\",\"extra\",\"spec.a\",\"spec.b\"]");
    free(text);
    json_t *spec = json_object_get(o, "spec");
    ck_assert_ptr_null(json_object_get(spec, "a"));
    ck_assert(json_is_true(
        json_object_get(json_array_get(json_object_get(spec, "subscriptions"), 0), "bogus")));
    ck_assert_ptr_null(json_object_get(spec, "shard")); /* a non-nullable null goes */
    ck_assert_str_eq(json_string_value(json_object_get(spec, "freightCreationPolicy")),
                     "Automatic");
    ck_assert_str_eq(json_string_value(json_object_get(spec, "interval")), "5m0s");
    json_decref(unknown);
    json_decref(o);

    /* A resource without a CRD is left alone. */
    o = J("{\"metadata\":{\"name\":\"n\",\"zz\":1},\"whatever\":1}");
    unknown = fd_sim_schema_decode(R(FD_SIM_RES_NAMESPACE), o);
    ck_assert_int_eq(json_array_size(unknown), 0);
    ck_assert_ptr_nonnull(json_object_get(o, "whatever"));
    json_decref(unknown);
    json_decref(o);
}
END_TEST

START_TEST(validators_speak_the_servers_words)
{
    char *m = problems(FD_SIM_RES_STAGE, "{\"spec\":{\"shard\":7," RF "}}", NULL);
    ck_assert_str_eq(m, "[spec.shard: Invalid value: \"integer\": spec.shard in body must be of "
                        "type string: \"integer\", <nil>: Invalid value: null: some validation "
                        "rules were not checked because the object was invalid; correct the "
                        "existing errors to complete validation]");
    free(m);
    m = problems(FD_SIM_RES_STAGE, "{\"spec\":{\"requestedFreight\":[]}}", NULL);
    ck_assert_str_eq(m, "spec.requestedFreight: Invalid value: 0: spec.requestedFreight in body "
                        "should have at least 1 items");
    free(m);
    /* int-or-string takes both; a bool fails the type and anyOf. */
    m = problems(FD_SIM_RES_ANALYSISTEMPLATE,
                 "{\"spec\":{\"metrics\":[{\"name\":\"m\",\"count\":\"3\",\"failureLimit\":2,"
                 "\"provider\":{}}]}}",
                 NULL);
    ck_assert_str_eq(m, "");
    free(m);
    m = problems(FD_SIM_RES_ANALYSISTEMPLATE,
                 "{\"spec\":{\"metrics\":[{\"name\":\"m\",\"count\":true,\"provider\":{}}]}}",
                 NULL);
    ck_assert_str_eq(m, "[spec.metrics[0].count: Invalid value: \"boolean\": spec.metrics[0].count "
                        "in body must be of type integer,string: \"boolean\", <nil>: Invalid "
                        "value: \"\": \"spec.metrics[0].count\" must validate at least one schema "
                        "(anyOf), spec.metrics[0].count: Invalid value: \"boolean\": "
                        "spec.metrics[0].count in body must be of type integer: \"boolean\"]");
    free(m);
    /* A date-time that is not one. */
    m = problems(FD_SIM_RES_FREIGHT,
                 "{\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"images\":[{\"repoURL\":"
                 "\"r\",\"tag\":\"t\"}],\"status\":{\"approvedFor\":{\"s\":{\"approvedAt\":"
                 "\"yesterday\"}}}}",
                 NULL);
    ck_assert_str_eq(m, "status.approvedFor.s.approvedAt: Invalid value: \"yesterday\": "
                        "status.approvedFor.s.approvedAt in body must be of type date-time: "
                        "\"yesterday\"");
    free(m);
}
END_TEST

START_TEST(cel_rules_and_ratcheting)
{
    /* A CEL rule with its message, on the object it sits on. */
    char *m = problems(FD_SIM_RES_PROMOTION,
                       "{\"spec\":{\"stage\":\"s\",\"freight\":\"f\",\"origin\":{\"kind\":"
                       "\"Warehouse\",\"name\":\"w\"},\"steps\":[{\"uses\":\"x\"}]}}",
                       NULL);
    ck_assert_str_eq(m, "spec: Invalid value: \"object\": exactly one of freight or origin must be "
                        "set");
    free(m);
    /* Transition rules need the old object: none on a create. */
#define SEL "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"%s\"}}}}"
    char *a = fd_xasprintf(SEL, "a"), *b = fd_xasprintf(SEL, "b");
#undef SEL
    m = problems(FD_SIM_RES_ROLLOUT, b, NULL);
    ck_assert_str_eq(m, "");
    free(m);
    m = problems(FD_SIM_RES_ROLLOUT, b, a);
    ck_assert_str_eq(m, "spec.selector: Invalid value: \"object\": .spec.selector is immutable");
    free(m);
    free(a);
    free(b);
    /* Ratcheting: an invalid value left as it was is not reported again. */
#define BAD                                                               \
    "{\"spec\":{\"shard\":7,\"requestedFreight\":[{\"origin\":{\"kind\":" \
    "\"Warehouse\",\"name\":\"%s\"},\"sources\":{}}]}}"
    char *old = fd_xasprintf(BAD, "one"), *now = fd_xasprintf(BAD, "two");
#undef BAD
    m = problems(FD_SIM_RES_STAGE, now, old);
    ck_assert_str_eq(m, "");
    free(m);
    m = problems(FD_SIM_RES_STAGE, "{\"spec\":{\"shard\":8," RF "}}", old);
    ck_assert_msg(strstr(m, "spec.shard: Invalid value: \"integer\"") != NULL, "%s", m);
    free(m);
    free(old);
    free(now);
}
END_TEST

/* what the simulator's messages print values with: strconv.Quote and
 * json.Marshal of a decoded value (a Go map: keys sorted) */
START_TEST(go_printing)
{
    char *q = fd_expr_go_quote("a\"b\\c\n\x01\xc2\xa0", 9);
    ck_assert_str_eq(q, "\"a\\\"b\\\\c\\n\\x01\\u00a0\"");
    free(q);
    q = fd_expr_go_quote("1\0x", 3); /* a NUL among the bytes */
    ck_assert_str_eq(q, "\"1\\x00x\"");
    free(q);
    json_t *v = J("{\"b\":\"<&>\\u2028\",\"a\":[1,2.5,1e21,1e-7,3.0]}");
    char *j = fd_go_json_marshal(v, true);
    ck_assert_str_eq(j, "{\"a\":[1,2.5,1e+21,1e-7,3],\"b\":\"\\u003c\\u0026\\u003e\\u2028\"}");
    free(j);
    j = fd_go_json_marshal(v, false); /* (a struct: its own order) */
    ck_assert_str_eq(j, "{\"b\":\"\\u003c\\u0026\\u003e\\u2028\",\"a\":[1,2.5,1e+21,1e-7,3]}");
    free(j);
    json_decref(v);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("sim_schema");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, decode_prunes_reports_and_defaults);
    tcase_add_test(tc, validators_speak_the_servers_words);
    tcase_add_test(tc, cel_rules_and_ratcheting);
    tcase_add_test(tc, go_printing);
    suite_add_tcase(s, tc);
    return s;
}
