/* tests/unit/test_sim_store.c: the simulated API server's object store:
 * resourceVersions, generation, status subresources, conflicts, lists with
 * continue tokens, watches, the history window and 410 Expired. */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sim/status.h"
#include "../../src/sim/store.h"
#include "check_main.h"

static struct fd_sim_store *st;

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    ck_assert_msg(j != NULL, "bad test JSON %s: %s", text, e.text);
    return j;
}

static const struct fd_sim_key NS = {"", "v1", "namespaces", NULL, NULL};

static struct fd_sim_key stage(const char *name)
{
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "stages", "demo", name};
    return k;
}

static void setup(void)
{
    st = fd_sim_store_new(8);
    /* Kargo's webhooks take Stages only in a Project's namespace. */
    json_t *ns = J("{\"metadata\":{\"name\":\"demo\",\"labels\":{\"kargo.akuity.io/project\":"
                   "\"true\"}}}");
    json_decref(fd_sim_store_create(st, &NS, ns, NULL, NULL));
    json_decref(ns);
}

static void teardown(void)
{
    fd_sim_store_free(st);
}

static json_t *create_stage(const char *name, const char *labels)
{
    char *text =
        fd_xasprintf("{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Stage\","
                     "\"metadata\":{\"name\":\"%s\",\"labels\":%s},\"spec\":{\"shard\":\"a\","
                     "\"requestedFreight\":[{\"origin\":{\"kind\":\"Warehouse\","
                     "\"name\":\"w\"},\"sources\":{\"direct\":true}}]},"
                     "\"status\":{\"freightSummary\":\"dropped\"}}",
                     name, labels ? labels : "{}");
    json_t *in = J(text);
    struct fd_sim_key k = stage(NULL);
    json_t *err = NULL;
    json_t *out = fd_sim_store_create(st, &k, in, NULL, &err);
    ck_assert_msg(out != NULL, "create %s failed: %s", name,
                  json_string_value(json_object_get(err, "message")));
    json_decref(in);
    free(text);
    return out;
}

static const char *meta(const json_t *o, const char *f)
{
    return json_string_value(json_object_get(json_object_get(o, "metadata"), f));
}

static long long gen(const json_t *o)
{
    return json_integer_value(json_object_get(json_object_get(o, "metadata"), "generation"));
}

static long long rv(const json_t *o)
{
    return strtoll(meta(o, "resourceVersion"), NULL, 10);
}

START_TEST(create_fills_metadata)
{
    json_t *o = create_stage("test", NULL);
    ck_assert_str_eq(meta(o, "namespace"), "demo");
    ck_assert_int_eq(strlen(meta(o, "uid")), 36);
    ck_assert_int_eq(meta(o, "uid")[14], '4'); /* UUID v4 */
    ck_assert_int_eq(strlen(meta(o, "creationTimestamp")), 20);
    ck_assert_int_eq(gen(o), 1);
    ck_assert_int_eq(rv(o), 2); /* the namespace was 1 */
    ck_assert_msg(!json_object_get(o, "status"), "status is dropped on create");
    json_decref(o);

    json_t *err = NULL;
    struct fd_sim_key k = stage(NULL);
    json_t *dup = J("{\"metadata\":{\"name\":\"test\"},\"spec\":{\"requestedFreight\":[{"
                    "\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{}}]}}");
    ck_assert_ptr_null(fd_sim_store_create(st, &k, dup, NULL, &err));
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 409);
    ck_assert_str_eq(json_string_value(json_object_get(err, "reason")), "AlreadyExists");
    ck_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "stages.kargo.akuity.io \"test\" already exists");
    json_decref(err);
    json_decref(dup);

    json_t *gn = J("{\"metadata\":{\"generateName\":\"promo-\"},\"spec\":{\"stage\":\"s\","
                   "\"freight\":\"f\",\"steps\":[{\"uses\":\"fake\"}]}}");
    k.resource = "promotions";
    json_t *p = fd_sim_store_create(st, &k, gn, NULL, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(strlen(meta(p, "name")), strlen("promo-") + 5);
    ck_assert(strncmp(meta(p, "name"), "promo-", 6) == 0);
    json_decref(p);
    json_decref(gn);

    json_t *noname = J("{\"metadata\":{}}");
    ck_assert_ptr_null(fd_sim_store_create(st, &k, noname, NULL, &err));
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 422);
    ck_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "Promotion.kargo.akuity.io \"\" is invalid: metadata.name: Required value: "
                     "name or generateName is required");
    json_decref(err);
    json_decref(noname);

    k.ns = "nowhere";
    json_t *elsewhere = J("{\"metadata\":{\"name\":\"x\"}}");
    ck_assert_ptr_null(fd_sim_store_create(st, &k, elsewhere, NULL, &err));
    ck_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "namespaces \"nowhere\" not found");
    json_decref(err);
    json_decref(elsewhere);
}
END_TEST

START_TEST(resource_versions_are_one_increasing_counter)
{
    json_t *a = create_stage("a", NULL);
    json_t *b = create_stage("b", NULL);
    ck_assert_int_eq(rv(b), rv(a) + 1);
    struct fd_sim_key k = stage("a");
    json_t *patch = J("{\"spec\":{\"shard\":\"z\"}}");
    json_t *a2 = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, patch, NULL, NULL);
    ck_assert_int_eq(rv(a2), rv(b) + 1);
    ck_assert_uint_eq(fd_sim_store_rv(st), (uint64_t)rv(a2));
    /* A patch that changes nothing writes nothing. */
    json_t *a3 = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, patch, NULL, NULL);
    ck_assert_int_eq(rv(a3), rv(a2));
    ck_assert_uint_eq(fd_sim_store_rv(st), (uint64_t)rv(a2));
    json_t *gone = fd_sim_store_delete(st, &k, NULL, NULL);
    ck_assert_int_eq(rv(gone), rv(a2) + 1);
    json_t *err = NULL;
    ck_assert_ptr_null(fd_sim_store_get(st, &k, &err));
    ck_assert_str_eq(json_string_value(json_object_get(err, "message")),
                     "stages.kargo.akuity.io \"a\" not found");
    json_decref(err);
    json_decref(a);
    json_decref(b);
    json_decref(a2);
    json_decref(a3);
    json_decref(gone);
    json_decref(patch);
}
END_TEST

START_TEST(generation_and_status_subresource)
{
    json_decref(create_stage("s", NULL));
    struct fd_sim_key k = stage("s");
    struct fd_sim_write status = {.subresource = "status"};

    json_t *p1 = J("{\"metadata\":{\"annotations\":{\"x\":\"1\"}}}");
    json_t *o = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, p1, NULL, NULL);
    ck_assert_int_eq(gen(o), 1); /* metadata does not bump generation */
    json_decref(o);

    json_t *p2 = J("{\"status\":{\"freightSummary\":\"abc\"},\"spec\":{\"shard\":\"ignored\"}}");
    o = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, p2, &status, NULL);
    ck_assert_int_eq(gen(o), 1); /* status does not either */
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(o, "status"), "freightSummary")), "abc");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "spec"), "shard")), "a");
    json_decref(o);

    /* On the main resource, status changes are ignored; spec changes count. */
    json_t *p3 = J("{\"status\":{\"freightSummary\":\"lost\"},\"spec\":{\"shard\":\"b\"}}");
    o = fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, p3, NULL, NULL);
    ck_assert_int_eq(gen(o), 2);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(o, "status"), "freightSummary")), "abc");

    /* PUT with a stale resourceVersion: 409 with the real message. */
    json_t *stale = json_deep_copy(o);
    json_object_set_new(json_object_get(stale, "metadata"), "resourceVersion", json_string("1"));
    json_t *err = NULL;
    ck_assert_ptr_null(fd_sim_store_update(st, &k, stale, NULL, &err));
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 409);
    ck_assert_str_eq(
        json_string_value(json_object_get(err, "message")),
        "Operation cannot be fulfilled on stages.kargo.akuity.io \"s\": the object has "
        "been modified; please apply your changes to the latest version and try again");
    json_decref(err);
    /* PUT with the current one works and bumps generation on a spec change. */
    json_object_set_new(json_object_get(o, "spec"), "shard", json_string("c"));
    json_t *o2 = fd_sim_store_update(st, &k, o, NULL, &err);
    ck_assert_ptr_nonnull(o2);
    ck_assert_int_eq(gen(o2), 3);
    /* A resourceVersion in a patch is a precondition. */
    json_t *p4 = J("{\"metadata\":{\"resourceVersion\":\"2\"},\"spec\":{\"shard\":\"d\"}}");
    ck_assert_ptr_null(fd_sim_store_patch(st, &k, FD_SIM_PATCH_MERGE, p4, NULL, &err));
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 409);
    json_decref(err);
    json_decref(o);
    json_decref(o2);
    json_decref(stale);
    json_decref(p1);
    json_decref(p2);
    json_decref(p3);
    json_decref(p4);
}
END_TEST

START_TEST(list_limit_continue_and_selectors)
{
    json_decref(create_stage("c", "{\"tier\":\"x\"}"));
    json_decref(create_stage("a", "{\"tier\":\"x\"}"));
    json_decref(create_stage("b", "{\"tier\":\"y\"}"));
    struct fd_sim_key k = stage(NULL);
    struct fd_sim_list_opts o = {NULL, NULL, 2, NULL};
    json_t *l1 = fd_sim_store_list(st, &k, &o, NULL);
    json_t *items = json_object_get(l1, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(meta(json_array_get(items, 0), "name"), "a");
    ck_assert_str_eq(meta(json_array_get(items, 1), "name"), "b");
    ck_assert_str_eq(json_string_value(json_object_get(l1, "kind")), "StageList");
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(l1, "metadata"), "remainingItemCount")),
        1);
    o.continue_token = meta(l1, "continue");
    json_t *l2 = fd_sim_store_list(st, &k, &o, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(l2, "items")), 1);
    ck_assert_str_eq(meta(json_array_get(json_object_get(l2, "items"), 0), "name"), "c");
    ck_assert_ptr_null(meta(l2, "continue"));

    char *err = NULL;
    struct fd_sim_selector *sel = fd_sim_label_selector_parse("tier=x", &err);
    struct fd_sim_list_opts o2 = {sel, NULL, 0, NULL};
    json_t *l3 = fd_sim_store_list(st, &k, &o2, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(l3, "items")), 2);
    fd_sim_selector_free(sel);

    json_t *status = NULL;
    struct fd_sim_list_opts o3 = {NULL, NULL, 0, "not-a-token!"};
    ck_assert_ptr_null(fd_sim_store_list(st, &k, &o3, &status));
    ck_assert_int_eq(json_integer_value(json_object_get(status, "code")), 400);
    json_decref(status);
    json_decref(l1);
    json_decref(l2);
    json_decref(l3);
}
END_TEST

/* The order a list pages in is kept between lists: creates and deletes in
 * between land in it (in order), in every namespace and in one. */
START_TEST(list_pages_follow_creates_and_deletes)
{
    json_decref(create_stage("d", NULL));
    json_decref(create_stage("b", NULL));
    struct fd_sim_key k = stage(NULL), all = {"kargo.akuity.io", "v1alpha1", "stages", NULL, NULL};
    struct fd_sim_list_opts o = {NULL, NULL, 1, NULL};
    json_t *l1 = fd_sim_store_list(st, &k, &o, NULL); /* b; the order is now kept */
    ck_assert_str_eq(meta(json_array_get(json_object_get(l1, "items"), 0), "name"), "b");
    json_decref(create_stage("c", NULL)); /* after b, before d */
    json_decref(create_stage("a", NULL)); /* before the token: not listed again */
    json_decref(create_stage("e", NULL));
    struct fd_sim_key kd = stage("d");
    json_decref(fd_sim_store_delete(st, &kd, NULL, NULL));
    o.limit = 0;
    o.continue_token = meta(l1, "continue");
    json_t *l2 = fd_sim_store_list(st, &k, &o, NULL);
    json_t *items = json_object_get(l2, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(meta(json_array_get(items, 0), "name"), "c");
    ck_assert_str_eq(meta(json_array_get(items, 1), "name"), "e");
    struct fd_sim_list_opts every = {NULL, NULL, 0, NULL};
    json_t *l3 = fd_sim_store_list(st, &all, &every, NULL);
    items = json_object_get(l3, "items");
    ck_assert_int_eq(json_array_size(items), 4);
    const char *want[] = {"a", "b", "c", "e"};
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(meta(json_array_get(items, i), "name"), want[i]);
    json_decref(l1);
    json_decref(l2);
    json_decref(l3);
}
END_TEST

static void stage_in(const char *ns, const char *name)
{
    char *text = fd_xasprintf("{\"metadata\":{\"name\":\"%s\",\"labels\":{\"kargo.akuity.io/"
                              "project\":\"true\"}}}",
                              ns);
    json_t *nsobj = J(text);
    free(text);
    json_decref(fd_sim_store_create(st, &NS, nsobj, NULL, NULL));
    json_decref(nsobj);
    text = fd_xasprintf("{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"requestedFreight\":[{"
                        "\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{"
                        "\"direct\":true}}]}}",
                        name);
    json_t *in = J(text), *err = NULL;
    free(text);
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "stages", ns, NULL};
    json_t *out = fd_sim_store_create(st, &k, in, NULL, &err);
    ck_assert_msg(out != NULL, "create %s/%s: %s", ns, name,
                  json_string_value(json_object_get(err, "message")));
    json_decref(out);
    json_decref(in);
}

/* Pages of two, all namespaces or one, "ns/name" order; every page sees the
 * creates and deletes made since the one before (the sorted keys are kept
 * between lists and updated by such a change). */
static char *pages(const char *ns, const char *between_create, const char *between_delete)
{
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "stages", ns, NULL};
    struct fd_sim_list_opts o = {NULL, NULL, 2, NULL};
    struct fd_buf b = FD_BUF_INIT;
    json_t *l = NULL;
    for (int page = 0; page < 10; page++) {
        json_t *next = fd_sim_store_list(st, &k, &o, NULL);
        json_decref(l);
        l = next;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(l, "items"), i, it)
        {
            fd_buf_printf(&b, "%s/%s ", meta(it, "namespace"), meta(it, "name"));
        }
        json_t *rem = json_object_get(json_object_get(l, "metadata"), "remainingItemCount");
        if (rem)
            fd_buf_printf(&b, "(%lld) ", (long long)json_integer_value(rem));
        o.continue_token = meta(l, "continue");
        if (!o.continue_token)
            break;
        if (page == 0 && between_create)
            stage_in("p", between_create);
        if (page == 0 && between_delete) {
            struct fd_sim_key d = {"kargo.akuity.io", "v1alpha1", "stages", "p0", between_delete};
            json_decref(fd_sim_store_delete(st, &d, NULL, NULL));
        }
    }
    json_decref(l);
    return fd_buf_steal(&b);
}

START_TEST(list_pages_across_namespaces)
{
    stage_in("p", "b");
    stage_in("p", "a");
    stage_in("p0", "a");
    stage_in("p-a", "z");
    stage_in("p0", "c");
    char *got = pages(NULL, NULL, NULL);
    ck_assert_str_eq(got, "p-a/z p/a (3) p/b p0/a (1) p0/c ");
    free(got);
    got = pages("p", NULL, NULL);
    ck_assert_str_eq(got, "p/a p/b ");
    free(got);
    got = pages("p0", NULL, NULL);
    ck_assert_str_eq(got, "p0/a p0/c ");
    free(got);
    got = pages("nowhere", NULL, NULL);
    ck_assert_str_eq(got, "");
    free(got);
    /* p/c created and p0/a deleted after the first page. */
    got = pages(NULL, "c", "a");
    ck_assert_str_eq(got, "p-a/z p/a (3) p/b p/c (1) p0/c ");
    free(got);
}
END_TEST

static int next_events(struct fd_sim_watch *w, struct fd_buf *b)
{
    fd_buf_reset(b);
    return fd_sim_watch_next(w, b, 200);
}

START_TEST(watch_events_and_selectors)
{
    json_decref(create_stage("w", "{\"tier\":\"x\"}"));
    struct fd_sim_key k = stage(NULL);
    struct fd_buf b = FD_BUF_INIT;
    char *err = NULL;

    /* Without a resourceVersion: the current state as ADDED, then changes. */
    struct fd_sim_watch_opts o = {
        fd_sim_label_selector_parse("tier=x", &err), NULL, NULL, false, 0, 0};
    struct fd_sim_watch *w = fd_sim_store_watch(st, &k, &o, NULL);
    ck_assert_int_eq(next_events(w, &b), 1);
    ck_assert(strncmp(b.data, "{\"type\":\"ADDED\",\"object\":{", 26) == 0);
    ck_assert_int_eq(next_events(w, &b), 0); /* nothing new: a timeout */

    struct fd_sim_key one = stage("w");
    json_t *p = J("{\"spec\":{\"shard\":\"q\"}}");
    json_decref(fd_sim_store_patch(st, &one, FD_SIM_PATCH_MERGE, p, NULL, NULL));
    ck_assert_int_eq(next_events(w, &b), 1);
    ck_assert_msg(strstr(b.data, "\"type\":\"MODIFIED\"") && strstr(b.data, "\"shard\":\"q\""),
                  "got %s", b.data);
    ck_assert_int_eq(b.data[b.len - 1], '\n');
    /* Leaving the selection reads as DELETED, as on a real server. */
    json_t *relabel = J("{\"metadata\":{\"labels\":{\"tier\":\"y\"}}}");
    json_decref(fd_sim_store_patch(st, &one, FD_SIM_PATCH_MERGE, relabel, NULL, NULL));
    ck_assert_int_eq(next_events(w, &b), 1);
    ck_assert_msg(strstr(b.data, "\"type\":\"DELETED\""), "got %s", b.data);
    /* Another stage outside the selector: nothing. */
    json_decref(create_stage("other", "{\"tier\":\"y\"}"));
    ck_assert_int_eq(next_events(w, &b), 0);
    fd_sim_watch_free(w);

    /* From a resourceVersion: only what came after it. */
    char rvtext[24];
    snprintf(rvtext, sizeof(rvtext), "%" PRIu64, fd_sim_store_rv(st));
    struct fd_sim_watch_opts o2 = {NULL, NULL, rvtext, true, 50, 0};
    w = fd_sim_store_watch(st, &k, &o2, NULL);
    json_decref(fd_sim_store_delete(st, &one, NULL, NULL));
    ck_assert_int_eq(next_events(w, &b), 1);
    ck_assert_msg(strstr(b.data, "\"type\":\"DELETED\""), "got %s", b.data);
    /* Idle with bookmarks on: a BOOKMARK carrying the resourceVersion. */
    ck_assert_int_eq(next_events(w, &b), 1);
    ck_assert_msg(strstr(b.data, "\"type\":\"BOOKMARK\"") && strstr(b.data, "\"resourceVersion\""),
                  "got %s", b.data);
    fd_sim_watch_free(w);
    fd_buf_free(&b);
    json_decref(p);
    json_decref(relabel);
}
END_TEST

START_TEST(history_window_and_410)
{
    struct fd_sim_key k = stage(NULL);
    struct fd_buf b = FD_BUF_INIT;
    /* The history keeps 8 events; make 20. */
    for (int i = 0; i < 20; i++) {
        char name[16];
        snprintf(name, sizeof(name), "h%d", i);
        json_decref(create_stage(name, NULL));
    }
    struct fd_sim_watch_opts old = {NULL, NULL, "3", false, 0, 0};
    struct fd_sim_watch *w = fd_sim_store_watch(st, &k, &old, NULL);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(fd_sim_watch_next(w, &b, 100), 1);
    ck_assert_msg(strstr(b.data, "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\"") &&
                      strstr(b.data, "\"reason\":\"Expired\"") &&
                      strstr(b.data, "\"message\":\"too old resource version: 3 (") &&
                      strstr(b.data, "\"code\":410"),
                  "got %s", b.data);
    ck_assert_int_eq(fd_sim_watch_next(w, &b, 100), -1); /* then it ends */
    fd_sim_watch_free(w);

    /* Inside the window: replayed. The window holds rv 14..21. */
    fd_buf_reset(&b);
    struct fd_sim_watch_opts recent = {NULL, NULL, "19", false, 0, 0};
    w = fd_sim_store_watch(st, &k, &recent, NULL);
    ck_assert_int_eq(fd_sim_watch_next(w, &b, 100), 2);
    fd_sim_watch_free(w);

    json_t *err = NULL;
    struct fd_sim_watch_opts junk = {NULL, NULL, "abc", false, 0, 0};
    ck_assert_ptr_null(fd_sim_store_watch(st, &k, &junk, &err));
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 400);
    json_decref(err);
    fd_buf_free(&b);
}
END_TEST

static json_t *rename_admit(void *ud, enum fd_sim_op op, const struct fd_sim_resource *res,
                            const struct fd_sim_write *w, const json_t *old, json_t *obj)
{
    int *calls = ud;
    (void)w;
    (void)old;
    (*calls)++;
    if (op == FD_SIM_OP_CREATE && res->id == FD_SIM_RES_PROMOTION)
        json_object_set_new(json_object_get(obj, "metadata"), "name", json_string("renamed"));
    if (op == FD_SIM_OP_DELETE)
        return fd_sim_status_new(403, "Forbidden", NULL, "no deleting in tests");
    return NULL;
}

static int observed;
static void observe(void *ud, const struct fd_sim_event *ev)
{
    (void)ud;
    (void)ev;
    observed++;
}

START_TEST(admission_and_observers)
{
    int calls = 0;
    fd_sim_store_set_admit(st, rename_admit, &calls);
    ck_assert_int_eq(fd_sim_store_add_observer(st, observe, NULL), 0);
    struct fd_sim_key k = {"kargo.akuity.io", "v1alpha1", "promotions", "demo", NULL};
    json_t *in = J("{\"metadata\":{\"generateName\":\"promo-\"},\"spec\":{\"stage\":\"s\","
                   "\"freight\":\"f\",\"steps\":[{\"uses\":\"fake\"}]}}");
    json_t *out = fd_sim_store_create(st, &k, in, NULL, NULL);
    ck_assert_str_eq(meta(out, "name"), "renamed");
    ck_assert_int_eq(observed, 1);
    k.name = "renamed";
    json_t *err = NULL;
    ck_assert_ptr_null(fd_sim_store_delete(st, &k, NULL, &err));
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), 403);
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(observed, 1);
    json_decref(err);
    json_decref(in);
    json_decref(out);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("sim_store");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_fills_metadata);
    tcase_add_test(tc, resource_versions_are_one_increasing_counter);
    tcase_add_test(tc, generation_and_status_subresource);
    tcase_add_test(tc, list_limit_continue_and_selectors);
    tcase_add_test(tc, list_pages_follow_creates_and_deletes);
    tcase_add_test(tc, list_pages_across_namespaces);
    tcase_add_test(tc, watch_events_and_selectors);
    tcase_add_test(tc, history_window_and_410);
    tcase_add_test(tc, admission_and_observers);
    suite_add_tcase(s, tc);
    return s;
}
