/* tests/unit/test_sim_patch.c: merge patch (RFC 7386), JSON patch (RFC 6902)
 * and label/field selectors of the simulated API server. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sim/patch.h"
#include "../../src/sim/selector.h"
#include "check_main.h"
#include "freightdeck/util.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    ck_assert_msg(j != NULL, "bad test JSON %s: %s", text, e.text);
    return j;
}

static void assert_json(const json_t *got, const char *want)
{
    json_t *w = J(want);
    char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    ck_assert_msg(json_equal(got, w), "expected %s, got %s", want, g);
    free(g);
    json_decref(w);
}

/* RFC 7386 appendix A, every row. */
START_TEST(merge_patch_rfc7386_examples)
{
    static const char *const rows[][3] = {
        {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
        {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
        {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
        {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
        {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
        {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
        {"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
        {"{\"a\":\"foo\"}", "null", "null"},
        {"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
        {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
        {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
        {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        json_t *t = J(rows[i][0]), *p = J(rows[i][1]);
        json_t *before = json_deep_copy(t);
        json_t *out = fd_sim_merge_patch(t, p);
        assert_json(out, rows[i][2]);
        ck_assert_msg(json_equal(t, before), "row %zu: the target was modified", i);
        json_decref(out);
        json_decref(t);
        json_decref(p);
        json_decref(before);
    }
}
END_TEST

static void jp_ok(const char *doc, const char *patch, const char *want)
{
    json_t *d = J(doc), *p = J(patch);
    char *err = NULL;
    int bad = 0;
    json_t *out = fd_sim_json_patch(d, p, &err, &bad);
    ck_assert_msg(out != NULL, "patch %s failed: %s", patch, err ? err : "");
    assert_json(out, want);
    json_decref(out);
    json_decref(d);
    json_decref(p);
}

static void jp_fail(const char *doc, const char *patch, int want_bad, const char *want_msg)
{
    json_t *d = J(doc), *p = J(patch);
    char *err = NULL;
    int bad = -1;
    json_t *out = fd_sim_json_patch(d, p, &err, &bad);
    ck_assert_msg(out == NULL, "patch %s should fail", patch);
    ck_assert_int_eq(bad, want_bad);
    ck_assert_msg(err && strstr(err, want_msg), "expected message containing '%s', got '%s'",
                  want_msg, err ? err : "(null)");
    free(err);
    json_decref(d);
    json_decref(p);
}

START_TEST(json_patch_operations)
{
    jp_ok("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
          "{\"foo\":\"bar\",\"baz\":\"qux\"}");
    jp_ok("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
          "{\"foo\":[\"bar\",\"qux\",\"baz\"]}");
    jp_ok("{\"foo\":[1]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":2}]", "{\"foo\":[1,2]}");
    jp_ok("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
          "{\"foo\":\"bar\"}");
    jp_ok("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]",
          "{\"foo\":[\"bar\",\"baz\"]}");
    jp_ok("{\"baz\":\"qux\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
          "{\"baz\":\"boo\"}");
    jp_ok("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
          "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
          "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}");
    jp_ok("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}",
          "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
          "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}");
    jp_ok("{\"a\":{\"b\":1}}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"}]",
          "{\"a\":{\"b\":1},\"c\":{\"b\":1}}");
    jp_ok("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
          "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},"
          "{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
          "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}");
    jp_ok("{\"/\":1,\"~\":2}",
          "[{\"op\":\"replace\",\"path\":\"/~1\",\"value\":3},"
          "{\"op\":\"remove\",\"path\":\"/~0\"}]",
          "{\"/\":3}");
    jp_ok("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]", "[1]");
    /* All or nothing: a failing test leaves the document unchanged (the
     * caller gets NULL). */
    jp_fail("{\"baz\":\"qux\"}",
            "[{\"op\":\"add\",\"path\":\"/x\",\"value\":1},"
            "{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
            0, "testing value /baz failed");
    jp_fail("{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"/b\"}]", 0, "missing");
    jp_fail("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":1}]", 0, "missing");
    jp_fail("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/5\",\"value\":1}]", 0, "out of bounds");
    jp_fail("{\"a\":{}}", "[{\"op\":\"add\",\"path\":\"/x/y\",\"value\":1}]", 0, "missing");
    jp_fail("{\"a\":{\"b\":1}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b/c\"}]", 0,
            "prefix");
    jp_fail("{\"a\":1}", "[{\"op\":\"frobnicate\",\"path\":\"/a\"}]", 1, "Unexpected kind");
    jp_fail("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/a\"}]", 1, "needs a \"value\"");
    jp_fail("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]", 1, "must start with");
    jp_fail("{\"a\":1}", "{\"op\":\"add\"}", 1, "cannot unmarshal");
    jp_fail("{\"a\":[1]}", "[{\"op\":\"remove\",\"path\":\"/a/01\"}]", 0, "missing");
}
END_TEST

static bool sel_matches(const char *sel, const char *labels)
{
    char *err = NULL;
    struct fd_sim_selector *s = fd_sim_label_selector_parse(sel, &err);
    ck_assert_msg(s != NULL, "selector '%s' did not parse: %s", sel, err ? err : "");
    char *text = fd_xasprintf("{\"metadata\":{\"labels\":%s}}", labels);
    json_t *obj = J(text);
    bool m = fd_sim_selector_matches(s, obj);
    json_decref(obj);
    free(text);
    fd_sim_selector_free(s);
    return m;
}

START_TEST(label_selectors)
{
    const char *l = "{\"app\":\"web\",\"tier\":\"front\",\"kargo.akuity.io/stage\":\"prod\"}";
    ck_assert(sel_matches("", l));
    ck_assert(sel_matches("app=web", l));
    ck_assert(sel_matches("app==web", l));
    ck_assert(!sel_matches("app=db", l));
    ck_assert(sel_matches("app!=db", l));
    ck_assert(sel_matches("missing!=x", l)); /* != matches an absent label */
    ck_assert(sel_matches("app in (db, web)", l));
    ck_assert(!sel_matches("app notin (db,web)", l));
    ck_assert(sel_matches("missing notin (a)", l));
    ck_assert(sel_matches("tier", l));
    ck_assert(!sel_matches("!tier", l));
    ck_assert(sel_matches("!missing", l));
    ck_assert(sel_matches("kargo.akuity.io/stage=prod, app=web", l));
    ck_assert(!sel_matches("kargo.akuity.io/stage=prod,app=db", l));

    static const char *const bad[] = {"app=",    "=web",   "app in web", "app in (a",
                                      "app=a b", "app=-x", "app>>x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *err = NULL;
        struct fd_sim_selector *s = fd_sim_label_selector_parse(bad[i], &err);
        if (strcmp(bad[i], "app=") == 0) {
            /* An empty value is valid: it selects app="" . */
            ck_assert_ptr_nonnull(s);
            fd_sim_selector_free(s);
            continue;
        }
        ck_assert_msg(s == NULL, "selector '%s' should not parse", bad[i]);
        ck_assert_msg(err && strstr(err, "unable to parse requirement"), "'%s': got '%s'", bad[i],
                      err ? err : "(null)");
        free(err);
    }
}
END_TEST

START_TEST(field_selectors)
{
    char *err = NULL;
    json_t *obj = J("{\"metadata\":{\"name\":\"a\",\"namespace\":\"ns\"}}");
    struct fd_sim_selector *s =
        fd_sim_field_selector_parse("metadata.name=a,metadata.namespace!=x", &err);
    ck_assert_ptr_nonnull(s);
    ck_assert(fd_sim_selector_matches(s, obj));
    ck_assert_str_eq(fd_sim_selector_equals(s, "metadata.name"), "a");
    fd_sim_selector_free(s);
    s = fd_sim_field_selector_parse("metadata.name==b", &err);
    ck_assert(!fd_sim_selector_matches(s, obj));
    fd_sim_selector_free(s);
    s = fd_sim_field_selector_parse("spec.stage=prod", &err);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, "field label not supported: spec.stage");
    free(err);
    json_decref(obj);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("sim_patch");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, merge_patch_rfc7386_examples);
    tcase_add_test(tc, json_patch_operations);
    tcase_add_test(tc, label_selectors);
    tcase_add_test(tc, field_selectors);
    suite_add_tcase(s, tc);
    return s;
}
