/* tests/unit/test_model_store.c: watch events, relists, resourceVersion
 * ordering, snapshots, the per-kind cap, and a writer racing a reader. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/model.h"
#include "test_model_util.h"

static struct fd_model_object *freight(const char *ns, const char *name, const char *rv,
                                       const char *alias)
{
    char *t = fd_xasprintf("{'kind':'Freight','metadata':{'name':'%s','namespace':'%s',"
                           "'resourceVersion':'%s'},'alias':'%s'}",
                           name, ns, rv, alias);
    struct fd_model_object *o = good(t);

    free(t);
    return o;
}

static const char *alias_in(struct fd_model_store *st, const char *ns, const char *name)
{
    static char buf[64];
    struct fd_model_snapshot *s = fd_model_store_snapshot(st);
    const struct fd_model_object *o = fd_model_snapshot_find(s, FD_MODEL_FREIGHT, ns, name);
    const char *r = NULL;

    if (o) {
        snprintf(buf, sizeof(buf), "%s", o->u.freight->alias);
        r = buf;
    }
    fd_model_snapshot_release(s);
    return r;
}

START_TEST(events_and_resource_versions)
{
    struct fd_model_store *st = fd_model_store_new(0);
    uint64_t g0 = fd_model_store_generation(st);

    ck_assert_int_eq(fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "f", "10", "a")),
                     FD_MODEL_APPLY_STORED);
    ck_assert_uint_gt(fd_model_store_generation(st), g0);
    ck_assert_str_eq(alias_in(st, "p", "f"), "a");
    /* A newer version replaces; an older one (a replay) is ignored. */
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f", "12", "b")),
        FD_MODEL_APPLY_STORED);
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f", "11", "c")),
        FD_MODEL_APPLY_STALE);
    ck_assert_str_eq(alias_in(st, "p", "f"), "b");
    /* Numeric, not lexical: "9" < "12" but "100" > "12". */
    ck_assert_int_eq(fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f", "9", "d")),
                     FD_MODEL_APPLY_STALE);
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f", "100", "e")),
        FD_MODEL_APPLY_STORED);
    uint64_t g = fd_model_store_generation(st);
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f", "100", "x")),
        FD_MODEL_APPLY_UNCHANGED);
    ck_assert_uint_eq(fd_model_store_generation(st), g);
    ck_assert_str_eq(alias_in(st, "p", "f"), "e");
    /* Same name in another namespace is another object. */
    ck_assert_int_eq(fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("q", "f", "5", "q")),
                     FD_MODEL_APPLY_STORED);
    ck_assert_str_eq(alias_in(st, "p", "f"), "e");
    /* Deletes: a stale one is ignored, the real one removes. */
    ck_assert_int_eq(fd_model_store_apply(st, FD_MODEL_EVENT_DELETED, freight("p", "f", "50", "")),
                     FD_MODEL_APPLY_STALE);
    ck_assert_int_eq(fd_model_store_apply(st, FD_MODEL_EVENT_DELETED, freight("p", "f", "101", "")),
                     FD_MODEL_APPLY_DELETED);
    ck_assert_ptr_null(alias_in(st, "p", "f"));
    ck_assert_int_eq(fd_model_store_apply(st, FD_MODEL_EVENT_DELETED, freight("p", "f", "102", "")),
                     FD_MODEL_APPLY_ABSENT);
    char *rv = fd_model_store_resource_version(st, FD_MODEL_FREIGHT);
    ck_assert_str_eq(rv, "102");
    free(rv);
    ck_assert_ptr_null(fd_model_store_resource_version(st, FD_MODEL_STAGE));
    fd_model_store_free(st);
}
END_TEST

START_TEST(change_counters)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_snapshot *s;
    const struct fd_model_object *o, *other;
    uint64_t first;

    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "f", "1", "a"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "g", "2", "a"));
    s = fd_model_store_snapshot(st);
    o = fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "f");
    ck_assert_uint_eq(o->change_count, 1);
    first = o->changed_at;
    fd_model_snapshot_release(s);

    fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f", "3", "b"));
    s = fd_model_store_snapshot(st);
    o = fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "f");
    other = fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "g");
    ck_assert_uint_eq(o->change_count, 2);
    ck_assert_uint_gt(o->changed_at, first);
    /* The untouched object keeps its stamp: a view can skip redrawing it. */
    ck_assert_uint_lt(other->changed_at, o->changed_at);
    ck_assert_uint_eq(o->changed_at, fd_model_snapshot_generation(s));
    fd_model_snapshot_release(s);
    fd_model_store_free(st);
}
END_TEST

START_TEST(snapshots_are_immutable_and_shared)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_snapshot *a, *b, *c;
    struct fd_model_object *const *list;
    size_t n;

    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "m", "1", "m"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "a", "2", "a"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("o", "z", "3", "z"));
    a = fd_model_store_snapshot(st);
    b = fd_model_store_snapshot(st);
    ck_assert_ptr_eq(a, b); /* nothing changed: the same snapshot */
    list = fd_model_snapshot_list(a, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 3);
    /* Sorted by namespace, then name. */
    ck_assert_str_eq(list[0]->meta.name, "z");
    ck_assert_str_eq(list[1]->meta.name, "a");
    ck_assert_str_eq(list[2]->meta.name, "m");

    fd_model_store_apply(st, FD_MODEL_EVENT_DELETED, freight("p", "a", "4", ""));
    fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "m", "5", "m2"));
    c = fd_model_store_snapshot(st);
    ck_assert_ptr_ne(a, c);
    /* The old snapshot still shows the old world, objects included. */
    list = fd_model_snapshot_list(a, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(fd_model_snapshot_find(a, FD_MODEL_FREIGHT, "p", "m")->u.freight->alias, "m");
    ck_assert_ptr_nonnull(fd_model_snapshot_find(a, FD_MODEL_FREIGHT, "p", "a"));
    fd_model_snapshot_list(c, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(fd_model_snapshot_find(c, FD_MODEL_FREIGHT, "p", "m")->u.freight->alias, "m2");
    ck_assert_ptr_null(fd_model_snapshot_find(c, FD_MODEL_FREIGHT, "p", "a"));
    ck_assert_ptr_null(fd_model_snapshot_find(c, FD_MODEL_STAGE, "p", "m"));
    fd_model_snapshot_release(a);
    fd_model_snapshot_release(b);
    /* A snapshot outlives its store. */
    fd_model_store_free(st);
    ck_assert_str_eq(fd_model_snapshot_find(c, FD_MODEL_FREIGHT, "o", "z")->u.freight->alias, "z");
    fd_model_snapshot_release(c);
}
END_TEST

START_TEST(relist_replaces_and_deletes)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_object *objs[3];
    struct fd_model_snapshot *s;
    size_t n;

    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "gone", "1", "x"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "kept", "2", "old"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("q", "other-ns", "3", "q"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", "same", "4", "same"));
    s = fd_model_store_snapshot(st);
    const struct fd_model_object *same_before =
        fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "same");
    fd_model_snapshot_release(s);

    /* The list is authoritative even with a lower resourceVersion (e.g.
     * after an etcd restore). */
    objs[0] = freight("p", "kept", "1", "new");
    objs[1] = freight("p", "fresh", "9", "fresh");
    objs[2] = freight("p", "same", "4", "same");
    ck_assert_uint_eq(fd_model_store_relist(st, FD_MODEL_FREIGHT, "p", objs, 3, "500"), 1);
    s = fd_model_store_snapshot(st);
    fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_ptr_null(fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "gone"));
    ck_assert_str_eq(fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "kept")->u.freight->alias,
                     "new");
    ck_assert_ptr_nonnull(fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "fresh"));
    /* Another namespace is untouched by a namespaced relist. */
    ck_assert_ptr_nonnull(fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "q", "other-ns"));
    /* An unchanged object is kept as it was (no redraw). */
    ck_assert_ptr_eq(fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "p", "same"), same_before);
    fd_model_snapshot_release(s);
    char *rv = fd_model_store_resource_version(st, FD_MODEL_FREIGHT);
    ck_assert_str_eq(rv, "500");
    free(rv);

    /* A first list in any order, naming one object twice: sorted, one kept. */
    struct fd_model_object *many[5] = {freight("r", "e", "1", "e"), freight("r", "c", "1", "c"),
                                       freight("r", "a", "1", "a"), freight("r", "c", "2", "c"),
                                       freight("r", "b", "1", "b")};
    fd_model_store_relist(st, FD_MODEL_FREIGHT, "r", many, 5, NULL);
    s = fd_model_store_snapshot(st);
    struct fd_model_object *const *l = fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 8);
    for (size_t k = 0; k + 1 < n; k++)
        ck_assert(strcmp(l[k]->meta.ns, l[k + 1]->meta.ns) < 0 ||
                  (strcmp(l[k]->meta.ns, l[k + 1]->meta.ns) == 0 &&
                   strcmp(l[k]->meta.name, l[k + 1]->meta.name) < 0));
    for (const char *const *nm = (const char *const[]){"a", "b", "c", "e", NULL}; *nm; nm++)
        ck_assert_str_eq(fd_model_snapshot_find(s, FD_MODEL_FREIGHT, "r", *nm)->u.freight->alias,
                         *nm);
    fd_model_snapshot_release(s);

    /* A cluster-wide relist of nothing empties the kind. */
    ck_assert_uint_eq(fd_model_store_relist(st, FD_MODEL_FREIGHT, NULL, NULL, 0, NULL), 8);
    s = fd_model_store_snapshot(st);
    fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 0);
    fd_model_snapshot_release(s);
    fd_model_store_free(st);
}
END_TEST

/* What a client of every namespace does with a focus (client/informer.c):
 * one namespace listed on its own, then every namespace; after a switch of
 * project, a namespace listed on its own at a newer version than the list
 * of every namespace keeps what it holds, and the watch from that list's
 * version on replays older changes as stale. */
START_TEST(focus_list_then_every_namespace)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_object *objs[4];
    struct fd_model_snapshot *s;
    size_t n;

    /* The shown project first (rv 10). */
    objs[0] = freight("p", "a", "8", "a1");
    objs[1] = freight("p", "b", "9", "b1");
    fd_model_store_relist(st, FD_MODEL_FREIGHT, "p", objs, 2, NULL);
    ck_assert_str_eq(alias_in(st, "p", "a"), "a1");
    ck_assert_ptr_null(fd_model_store_resource_version(st, FD_MODEL_FREIGHT));
    /* Every namespace (rv 20, newer): p/b deleted meanwhile, p/a changed. */
    ck_assert(!fd_model_rv_newer("10", "20"));
    objs[0] = freight("p", "a", "15", "a2");
    objs[1] = freight("q", "x", "12", "x1");
    ck_assert_uint_eq(fd_model_store_relist(st, FD_MODEL_FREIGHT, NULL, objs, 2, "20"), 1);
    ck_assert_str_eq(alias_in(st, "p", "a"), "a2");
    ck_assert_ptr_null(alias_in(st, "p", "b"));
    ck_assert_str_eq(alias_in(st, "q", "x"), "x1");

    /* A switch to q while every namespace is listed again (rv 25): q on its
     * own answers at rv 30, before that list ends. */
    objs[0] = freight("q", "x", "28", "x3");
    objs[1] = freight("q", "y", "29", "y3");
    fd_model_store_relist(st, FD_MODEL_FREIGHT, "q", objs, 2, NULL);
    ck_assert(fd_model_rv_newer("30", "25"));
    const char *keep[] = {"q"};
    objs[0] = freight("p", "a", "15", "a2");
    objs[1] = freight("p", "c", "24", "c2");
    objs[2] = freight("q", "x", "22", "x2"); /* older than what q holds */
    objs[3] = freight("q", "z", "23", "z2"); /* deleted before 30 */
    ck_assert_uint_eq(fd_model_store_relist_except(st, FD_MODEL_FREIGHT, keep, 1, objs, 4, "25"),
                      0);
    ck_assert_str_eq(alias_in(st, "q", "x"), "x3");
    ck_assert_str_eq(alias_in(st, "q", "y"), "y3");
    ck_assert_ptr_null(alias_in(st, "q", "z"));
    ck_assert_str_eq(alias_in(st, "p", "c"), "c2");
    s = fd_model_store_snapshot(st);
    fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 4);
    fd_model_snapshot_release(s);
    char *rv = fd_model_store_resource_version(st, FD_MODEL_FREIGHT);
    ck_assert_str_eq(rv, "25");
    free(rv);
    /* The watch from 25 replays q's older changes: stale; newer ones land. */
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("q", "x", "26", "x-old")),
        FD_MODEL_APPLY_STALE);
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("q", "x", "31", "x4")),
        FD_MODEL_APPLY_STORED);
    ck_assert_str_eq(alias_in(st, "q", "x"), "x4");
    /* A list of every namespace without the kept one deletes none of it. */
    ck_assert_uint_eq(fd_model_store_relist_except(st, FD_MODEL_FREIGHT, keep, 1, NULL, 0, "40"),
                      2);
    ck_assert_str_eq(alias_in(st, "q", "y"), "y3");
    ck_assert_ptr_null(alias_in(st, "p", "a"));
    fd_model_store_free(st);
}
END_TEST

START_TEST(resource_versions_ordered_only_as_numbers)
{
    ck_assert(fd_model_rv_newer("100", "99"));
    ck_assert(!fd_model_rv_newer("99", "100"));
    ck_assert(!fd_model_rv_newer("7", "7"));
    /* Opaque versions are not ordered: never "newer". */
    ck_assert(!fd_model_rv_newer("b", "a"));
    ck_assert(!fd_model_rv_newer("10", "a"));
    ck_assert(!fd_model_rv_newer("", "1"));
    ck_assert(!fd_model_rv_newer(NULL, "1"));
    ck_assert(!fd_model_rv_newer("12345678901234567890", "1")); /* past 64 bits */
}
END_TEST

START_TEST(first_project)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_snapshot *s = fd_model_store_snapshot(st);

    ck_assert_ptr_null(fd_model_first_project(s));
    fd_model_snapshot_release(s);
    /* Without Project objects (data from files): the first Stage's namespace. */
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED,
                         good("{'kind':'Stage','metadata':{'name':'qa','namespace':'shop',"
                              "'resourceVersion':'1'}}"));
    fd_model_store_apply(st, FD_MODEL_EVENT_ADDED,
                         good("{'kind':'Stage','metadata':{'name':'zz','namespace':'bank',"
                              "'resourceVersion':'1'}}"));
    s = fd_model_store_snapshot(st);
    ck_assert_str_eq(fd_model_first_project(s), "bank");
    fd_model_snapshot_release(s);
    fd_model_store_apply(
        st, FD_MODEL_EVENT_ADDED,
        good("{'kind':'Project','metadata':{'name':'zeta','resourceVersion':'2'}}"));
    fd_model_store_apply(
        st, FD_MODEL_EVENT_ADDED,
        good("{'kind':'Project','metadata':{'name':'alpha','resourceVersion':'3'}}"));
    s = fd_model_store_snapshot(st);
    ck_assert_str_eq(fd_model_first_project(s), "alpha");
    fd_model_snapshot_release(s);
    fd_model_store_free(st);
}
END_TEST

START_TEST(cap_bounds_memory)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_object *objs[2];
    struct fd_model_snapshot *s;
    size_t n, dropped;

    fd_model_store_set_cap(st, FD_MODEL_FREIGHT, 3);
    for (int i = 0; i < 5; i++) {
        char name[8], rv[8];
        snprintf(name, sizeof(name), "f%d", i);
        snprintf(rv, sizeof(rv), "%d", i + 1);
        ck_assert_int_eq(
            fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, freight("p", name, rv, "a")),
            i < 3 ? FD_MODEL_APPLY_STORED : FD_MODEL_APPLY_DROPPED);
    }
    /* Updates of stored objects still go through at the cap. */
    ck_assert_int_eq(
        fd_model_store_apply(st, FD_MODEL_EVENT_MODIFIED, freight("p", "f0", "9", "b")),
        FD_MODEL_APPLY_STORED);
    s = fd_model_store_snapshot(st);
    fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert(fd_model_snapshot_overflow(s, FD_MODEL_FREIGHT, &dropped));
    ck_assert_uint_eq(dropped, 2);
    ck_assert(!fd_model_snapshot_overflow(s, FD_MODEL_STAGE, NULL));
    fd_model_snapshot_release(s);

    /* A relist that fits clears the overflow. */
    objs[0] = freight("p", "f0", "20", "a");
    objs[1] = freight("p", "f9", "21", "a");
    fd_model_store_relist(st, FD_MODEL_FREIGHT, NULL, objs, 2, "21");
    s = fd_model_store_snapshot(st);
    fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert(!fd_model_snapshot_overflow(s, FD_MODEL_FREIGHT, &dropped));
    ck_assert_uint_eq(dropped, 0);
    fd_model_snapshot_release(s);
    fd_model_store_free(st);
}
END_TEST

static enum fd_model_apply_result apply_text(struct fd_model_store *st, const char *text,
                                             enum fd_status want, const char *want_err)
{
    char *s = dq(text), *err = NULL;
    json_t *j = json_loads(s, 0, NULL);
    enum fd_model_apply_result r = FD_MODEL_APPLY_ABSENT;

    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(fd_model_store_apply_event_json(st, j, FD_MODEL_KIND_UNKNOWN, &r, &err), want);
    if (want_err)
        ck_assert_str_eq(err, want_err);
    free(err);
    json_decref(j);
    free(s);
    return r;
}

START_TEST(watch_event_json)
{
    struct fd_model_store *st = fd_model_store_new(0);
    struct fd_model_snapshot *s;
    char *rv;

    ck_assert_int_eq(apply_text(st,
                                "{'type':'ADDED','object':{'kind':'Stage','metadata':"
                                "{'name':'s','namespace':'p','resourceVersion':'7'}}}",
                                FD_OK, NULL),
                     FD_MODEL_APPLY_STORED);
    /* Wrong field types: still stored, marked undecodable. */
    ck_assert_int_eq(apply_text(st,
                                "{'type':'MODIFIED','object':{'kind':'Stage','metadata':"
                                "{'name':'s','namespace':'p','resourceVersion':'8'},'spec':7}}",
                                FD_OK, NULL),
                     FD_MODEL_APPLY_STORED);
    s = fd_model_store_snapshot(st);
    const struct fd_model_object *o = fd_model_snapshot_find(s, FD_MODEL_STAGE, "p", "s");
    ck_assert(o->undecodable);
    ck_assert_str_eq(o->error, "Stage p/s: spec: expected object, got number");
    fd_model_snapshot_release(s);
    ck_assert_int_eq(apply_text(st,
                                "{'type':'BOOKMARK','object':{'kind':'Stage','metadata':"
                                "{'resourceVersion':'99'}}}",
                                FD_OK, NULL),
                     FD_MODEL_APPLY_BOOKMARK);
    rv = fd_model_store_resource_version(st, FD_MODEL_STAGE);
    ck_assert_str_eq(rv, "99");
    free(rv);
    apply_text(st, "{'type':'EXPLODED','object':{}}", FD_PARSE,
               "watch event: unknown type EXPLODED");
    apply_text(st, "{'object':{}}", FD_PARSE, "watch event: unknown type (none)");
    apply_text(st, "{'type':'ADDED','object':{'kind':'Stage','metadata':{}}}", FD_PARSE,
               "watch event ADDED: Stage without metadata.name");
    apply_text(st, "{'type':'BOOKMARK','object':{'metadata':{}}}", FD_PARSE,
               "watch event: BOOKMARK without kind or resourceVersion");
    apply_text(st, "[]", FD_PARSE, "watch event: expected an object");
    fd_model_store_free(st);
}
END_TEST

/* The REST watch fixture: keepalives, one MODIFIED, an error frame. */
START_TEST(sse_fixture_replay)
{
    const char *top = getenv("FD_TOP_SRCDIR");
    char *path = fd_xasprintf("%s/tests/data/fixtures/rest-watch-stages.sse", top ? top : ".");
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, events = 0;
    bool error_frame = false;
    struct fd_model_store *st = fd_model_store_new(0);

    ck_assert_ptr_nonnull(f);
    while (getline(&line, &cap, f) > 0) {
        json_t *j;
        char *err = NULL;
        enum fd_model_apply_result r;
        if (strncmp(line, "event: error", 12) == 0)
            error_frame = true;
        if (strncmp(line, "data: ", 6) != 0)
            continue;
        j = json_loads(line + 6, 0, NULL);
        ck_assert_ptr_nonnull(j);
        if (error_frame) { /* {"code":"out_of_range"}: the informer relists */
            ck_assert_str_eq(json_string_value(json_object_get(j, "code")), "out_of_range");
        } else {
            ck_assert_int_eq(fd_model_store_apply_event_json(st, j, FD_MODEL_STAGE, &r, &err),
                             FD_OK);
            ck_assert_int_eq(r, FD_MODEL_APPLY_STORED);
            events++;
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    free(path);
    ck_assert_uint_eq(events, 1);
    ck_assert(error_frame);
    struct fd_model_snapshot *s = fd_model_store_snapshot(st);
    const struct fd_model_object *o =
        fd_model_snapshot_find(s, FD_MODEL_STAGE, "kargo-demo", "uat");
    ck_assert_ptr_nonnull(o);
    ck_assert_msg(!o->undecodable, "%s", o->error);
    ck_assert_int_eq(fd_model_stage_phase(o->u.stage, true), FD_MODEL_STAGE_PROMOTING);
    fd_model_snapshot_release(s);
    fd_model_store_free(st);
}
END_TEST

/* A writer applies events while a reader checks every snapshot is
 * internally consistent (sorted, every object alive). Run under the
 * sanitizer build this also catches use-after-free in the sharing. */
struct race {
    struct fd_model_store *st;
    int rounds;
};

static void *writer(void *arg)
{
    struct race *r = arg;

    for (int i = 0; i < r->rounds; i++) {
        char name[16], rv[16];
        snprintf(name, sizeof(name), "f%03d", i % 50);
        snprintf(rv, sizeof(rv), "%d", i + 1);
        fd_model_store_apply(r->st, i % 7 == 6 ? FD_MODEL_EVENT_DELETED : FD_MODEL_EVENT_MODIFIED,
                             freight("p", name, rv, name));
    }
    return NULL;
}

START_TEST(writer_and_reader_race)
{
    struct race r = {fd_model_store_new(0), 3000};
    pthread_t t;
    uint64_t last = 0;

    pthread_create(&t, NULL, writer, &r);
    for (int i = 0; i < 2000; i++) {
        struct fd_model_snapshot *s = fd_model_store_snapshot(r.st);
        struct fd_model_object *const *l;
        size_t n;
        ck_assert_uint_ge(fd_model_snapshot_generation(s), last);
        last = fd_model_snapshot_generation(s);
        l = fd_model_snapshot_list(s, FD_MODEL_FREIGHT, &n);
        ck_assert_uint_le(n, 50);
        for (size_t k = 0; k + 1 < n; k++)
            ck_assert(strcmp(l[k]->meta.name, l[k + 1]->meta.name) < 0);
        for (size_t k = 0; k < n; k++)
            ck_assert_str_eq(l[k]->u.freight->alias, l[k]->meta.name);
        fd_model_snapshot_release(s);
    }
    pthread_join(t, NULL);
    fd_model_store_free(r.st);
}
END_TEST

/* The REST StageList fixture as a relist, plus a broken item. */
START_TEST(relist_from_list_body)
{
    struct fd_model_store *st = fd_model_store_new(0);
    json_t *body = fixture_json("rest-stagelist.json");
    struct fd_model_snapshot *s;
    size_t n, skipped;
    char *err, *rv;

    fd_model_store_apply(
        st, FD_MODEL_EVENT_ADDED,
        good("{'kind':'Stage','metadata':{'name':'old','namespace':'kargo-demo'}}"));
    json_array_append_new(json_object_get(body, "items"), json_pack("{s:{}}", "metadata"));
    ck_assert_int_eq(
        fd_model_store_relist_json(st, FD_MODEL_STAGE, "kargo-demo", body, &skipped, &err), FD_OK);
    ck_assert_uint_eq(skipped, 1);
    ck_assert_str_eq(err, "Stage list: items[3]: Stage without metadata.name");
    free(err);
    s = fd_model_store_snapshot(st);
    fd_model_snapshot_list(s, FD_MODEL_STAGE, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_ptr_null(fd_model_snapshot_find(s, FD_MODEL_STAGE, "kargo-demo", "old"));
    ck_assert_ptr_nonnull(fd_model_snapshot_find(s, FD_MODEL_STAGE, "kargo-demo", "prod"));
    fd_model_snapshot_release(s);
    rv = fd_model_store_resource_version(st, FD_MODEL_STAGE);
    ck_assert_str_eq(rv, "884260");
    free(rv);
    json_decref(body);
    body = json_pack("{s:i}", "items", 3);
    ck_assert_int_eq(fd_model_store_relist_json(st, FD_MODEL_STAGE, NULL, body, NULL, &err),
                     FD_PARSE);
    ck_assert_str_eq(err, "Stage list: malformed answer: the answer has no items array");
    free(err);
    json_decref(body);
    fd_model_store_free(st);
}
END_TEST

START_TEST(names_tables)
{
    enum fd_model_event ev;

    ck_assert(fd_model_event_parse("DELETED", &ev));
    ck_assert_int_eq(ev, FD_MODEL_EVENT_DELETED);
    ck_assert(!fd_model_event_parse("deleted", &ev));
    ck_assert(!fd_model_event_parse(NULL, &ev));
    ck_assert_str_eq(fd_model_apply_result_name(FD_MODEL_APPLY_STALE), "stale");
    ck_assert_str_eq(fd_model_apply_result_name((enum fd_model_apply_result)99), "unknown");
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("model_store");
    TCase *tc = tcase_create("store");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, events_and_resource_versions);
    tcase_add_test(tc, change_counters);
    tcase_add_test(tc, snapshots_are_immutable_and_shared);
    tcase_add_test(tc, relist_replaces_and_deletes);
    tcase_add_test(tc, cap_bounds_memory);
    tcase_add_test(tc, watch_event_json);
    tcase_add_test(tc, sse_fixture_replay);
    tcase_add_test(tc, writer_and_reader_race);
    tcase_add_test(tc, relist_from_list_body);
    tcase_add_test(tc, names_tables);
    tcase_add_test(tc, focus_list_then_every_namespace);
    tcase_add_test(tc, resource_versions_ordered_only_as_numbers);
    tcase_add_test(tc, first_project);
    suite_add_tcase(s, tc);
    return s;
}
