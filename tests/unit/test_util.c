/* tests/unit/test_util.c: status table, allocation, string buffers, files, time, YAML. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/util.h"
#include "freightdeck/yaml.h"

START_TEST(status_table_is_consistent)
{
    ck_assert_int_eq(FD_OK, 0);
    ck_assert_str_eq(fd_status_name(FD_OK), "OK");
    ck_assert_str_eq(fd_status_message(FD_NO_MEMORY), "out of memory");
    ck_assert_int_eq(fd_status_exit_code(FD_USAGE), 2);
    ck_assert_int_eq(fd_status_exit_code(FD_UNREACHABLE), 3);
    for (int st = 0; st < FD_STATUS__COUNT; st++) {
        ck_assert_ptr_nonnull(fd_status_name(st));
        ck_assert_ptr_nonnull(fd_status_message(st));
    }
    ck_assert_str_eq(fd_status_name(FD_STATUS__COUNT), "NO_SUCH_STATUS");
    ck_assert_int_eq(fd_status_exit_code(FD_OUTCOME_UNKNOWN), 4);
}
END_TEST

START_TEST(buf_grows_and_stays_terminated)
{
    struct fd_buf b = FD_BUF_INIT;

    ck_assert_str_eq(fd_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        fd_buf_printf(&b, "%d,", i);
    ck_assert_uint_eq(b.len, strlen(b.data));
    ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    ck_assert(strcmp(b.data + b.len - 4, "999,") == 0);
    fd_buf_reset(&b);
    ck_assert_str_eq(fd_buf_cstr(&b), "");
    fd_buf_append(&b, "a\0b", 3);
    ck_assert_uint_eq(b.len, 3);
    char *s = fd_buf_steal(&b);
    ck_assert_int_eq(memcmp(s, "a\0b", 4), 0);
    ck_assert_ptr_null(b.data);
    free(s);
    s = fd_buf_steal(&b);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(strings)
{
    char *s = fd_xasprintf("%s-%d", "stage", 3);

    ck_assert_str_eq(s, "stage-3");
    free(s);
    s = fd_xstrndup("production", 4);
    ck_assert_str_eq(s, "prod");
    ck_assert(fd_str_has_prefix(s, "pro"));
    ck_assert(!fd_str_has_prefix(s, "prod-eu"));
    ck_assert(fd_streq(s, "prod"));
    ck_assert(!fd_streq(s, NULL));
    ck_assert(fd_streq(NULL, NULL));
    free(s);
}
END_TEST

START_TEST(allocation_of_zero_bytes_is_valid)
{
    void *p = fd_xmalloc(0), *q = fd_xcalloc(0, 8);

    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(q);
    p = fd_xreallocarray(p, 16, 4);
    memset(p, 0, 64);
    free(p);
    free(q);
}
END_TEST

START_TEST(reallocarray_overflow_is_fatal)
{
    fd_xreallocarray(NULL, SIZE_MAX / 2, 4);
}
END_TEST

/* ---- YAML (util/yaml.c, util/yaml_json.c) --------------------------------- */

static const struct fd_yaml_json_opts strict = {
    .typing = FD_YAML_TYPING_DECIMAL,
    .aliases = FD_YAML_ALIASES_REJECT,
};

/* The documents of text as compact JSON, one per line; or "ERR <message>". */
static char *yaml_dump(const char *text, const struct fd_yaml_json_opts *o)
{
    char *err = NULL;
    json_t *docs = fd_yaml_json_documents(text, strlen(text), "t.yaml", o, &err);
    struct fd_buf b = FD_BUF_INIT;
    size_t i;
    json_t *d;

    if (!docs) {
        fd_buf_printf(&b, "ERR %s", err);
        free(err);
        return fd_buf_steal(&b);
    }
    ck_assert_ptr_null(err);
    json_array_foreach(docs, i, d)
    {
        char *t = json_dumps(d, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
        fd_buf_printf(&b, "%s%s", i ? "\n" : "", t);
        free(t);
    }
    json_decref(docs);
    return fd_buf_steal(&b);
}

#define ck_yaml(text, opts, want)                                                                  \
    do {                                                                                           \
        char *got_ = yaml_dump((text), (opts));                                                    \
        ck_assert_msg(strcmp(got_, (want)) == 0, "%s\nexpected: %s\n     got: %s", (text), (want), \
                      got_);                                                                       \
        free(got_);                                                                                \
    } while (0)

/* Go's time.Parse(time.RFC3339, s), checked against Go 1.26: the dates that
 * do not exist, lower-case 't'/'z', a space and second 60 are refused. */
START_TEST(rfc3339_as_go_parses_it)
{
    static const char *const bad[] = {
        "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-01-01",
        "2024-01-01T00:00:00",
        "2024-01-01T00:00:00Zjunk",
        "",
        "2024-05-01 10:00:00Z",
        "2024-05-01t10:00:00Z",
        "2024-05-01T10:00:00z",
        "2024-05-01T10:00:60Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T10:00:00+0200",
        "2024-05-01T10:00:00+25:00",
        "2024-05-01T10:00:00+00:61",
        "2024-05-01T10:00:00.Z",
        "+024-05-01T10:00:00Z",
    };
    int64_t ms = 42;

    ck_assert(fd_time_parse_rfc3339("1970-01-01T00:00:00Z", &ms));
    ck_assert_int_eq(ms, 0);
    ck_assert(fd_time_parse_rfc3339("2026-08-19T15:45:00Z", &ms));
    ck_assert_int_eq(ms, 1787154300000LL);
    ck_assert(fd_time_parse_rfc3339("2026-08-19T17:45:00.123456+02:00", &ms));
    ck_assert_int_eq(ms, 1787154300123LL);
    ck_assert(fd_time_parse_rfc3339("2024-05-01T05:30:00-04:30", &ms));
    ck_assert_int_eq(ms, 1714557600000LL);
    ck_assert(fd_time_parse_rfc3339("2024-05-01T10:00:00+24:00", &ms));
    ck_assert_int_eq(ms, 1714471200000LL);
    ck_assert(fd_time_parse_rfc3339("2024-05-01T10:00:00,5-00:60", &ms));
    ck_assert_int_eq(ms, 1714561200500LL);
    ck_assert(fd_time_parse_rfc3339("2024-02-29T00:00:00Z", &ms));
    ck_assert(fd_time_parse_rfc3339("2000-02-29T23:59:59.9Z", &ms));
    ck_assert_int_eq(ms, 951868799900LL);
    ck_assert(fd_time_parse_rfc3339("1969-12-31T23:59:59.5Z", &ms));
    ck_assert_int_eq(ms, -500);
    for (size_t i = 0; i < FD_ARRAY_SIZE(bad); i++) {
        ms = 42;
        ck_assert_msg(!fd_time_parse_rfc3339(bad[i], &ms), "accepted %s", bad[i]);
        ck_assert_int_eq(ms, 42);
    }
    ck_assert(!fd_time_parse_rfc3339(NULL, &ms));
}
END_TEST

START_TEST(rfc3339_format_and_calendar)
{
    char *s;

    s = fd_time_format_rfc3339(1787154300999LL, false);
    ck_assert_str_eq(s, "2026-08-19T15:45:00Z");
    free(s);
    s = fd_time_format_rfc3339(1787154300120LL, true);
    ck_assert_str_eq(s, "2026-08-19T15:45:00.12Z");
    free(s);
    s = fd_time_format_rfc3339(1787154300000LL, true);
    ck_assert_str_eq(s, "2026-08-19T15:45:00Z");
    free(s);
    s = fd_time_format_rfc3339(-500, true);
    ck_assert_str_eq(s, "1969-12-31T23:59:59.5Z");
    free(s);
    s = fd_time_format_rfc3339(-500, false);
    ck_assert_str_eq(s, "1969-12-31T23:59:59Z");
    free(s);
    /* Round trip over four centuries of days, both directions. */
    for (int64_t days = -146097; days <= 146097; days += 7) {
        int64_t y;
        int m, d;
        fd_time_civil_from_days(days, &y, &m, &d);
        ck_assert(d >= 1 && d <= fd_time_days_in_month(y, m));
        ck_assert_int_eq(fd_time_days_from_civil(y, m, d), days);
    }
    ck_assert_int_eq(fd_time_days_in_month(1900, 2), 28);
    ck_assert_int_eq(fd_time_days_in_month(2000, 2), 29);
    ck_assert_int_eq(fd_time_days_in_month(2024, 13), 0);
    ck_assert(fd_time_mono_ms() > 0 && fd_time_now_ms() > 1700000000000LL);
}
END_TEST

START_TEST(base64_through_libcrypto)
{
    static const char *const bad[] = {"A", "AB=C", "AB===", "A===", "AB=", "ABC==", "AB*C", "AB-_"};
    unsigned char *d;
    size_t n;
    char *e;

    e = fd_base64_encode("", 0);
    ck_assert_str_eq(e, "");
    free(e);
    e = fd_base64_encode("\xfb\xff", 2);
    ck_assert_str_eq(e, "+/8=");
    free(e);
    e = fd_base64_encode("hello, world", 12);
    ck_assert_str_eq(e, "aGVsbG8sIHdvcmxk");
    free(e);
    d = fd_base64_decode("aGVsbG8sIHdvcmxk", 16, 0, &n);
    ck_assert_uint_eq(n, 12);
    ck_assert_str_eq((char *)d, "hello, world");
    free(d);
    d = fd_base64_decode("aGVs\nbG8=", 9, FD_BASE64_SPACE, &n); /* padded */
    ck_assert_uint_eq(n, 5);
    ck_assert_str_eq((char *)d, "hello");
    free(d);
    ck_assert_ptr_null(fd_base64_decode("aGVs\nbG8=", 9, 0, &n)); /* no space allowed */
    d = fd_base64_decode("aGVsbG8", 7, 0, &n);                    /* unpadded */
    ck_assert_uint_eq(n, 5);
    free(d);
    d = fd_base64_decode("-_8", 3, FD_BASE64_URL, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(d[0], 0xfb);
    ck_assert_int_eq(d[1], 0xff);
    free(d);
    d = fd_base64_decode("", 0, 0, &n);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(n, 0);
    free(d);
    for (size_t i = 0; i < FD_ARRAY_SIZE(bad); i++)
        ck_assert_msg(fd_base64_decode(bad[i], strlen(bad[i]), 0, &n) == NULL, "accepted %s",
                      bad[i]);
}
END_TEST

START_TEST(read_file_with_a_limit)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *dir = fd_xasprintf("%s/readfile.XXXXXX", tmp), *path, *fifo;
    struct fd_buf b = FD_BUF_INIT;
    const char *why = NULL;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    path = fd_xasprintf("%s/f", dir);
    fifo = fd_xasprintf("%s/fifo", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("0123456789", f);
    fclose(f);
    ck_assert_int_eq(fd_read_file(path, 10, &b, &why), FD_OK);
    ck_assert_str_eq(fd_buf_cstr(&b), "0123456789");
    ck_assert_uint_eq(b.len, 10);
    ck_assert_int_eq(fd_read_file(path, 9, &b, &why), FD_LIMIT);
    ck_assert_str_eq(why, "file too large (over 9 bytes)");
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(fd_read_file(dir, 1u << 20, &b, &why), FD_IO);
    ck_assert_str_eq(why, "is a directory");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(fd_read_file(fifo, 1u << 20, &b, &why), FD_IO); /* and does not block */
    ck_assert_str_eq(why, "not a regular file");
    ck_assert_int_eq(fd_read_file("/dev/zero", 4u << 20, &b, &why), FD_IO);
    unlink(path);
    ck_assert_int_eq(fd_read_file(path, 1u << 20, &b, &why), FD_IO);
    ck_assert_str_eq(why, strerror(ENOENT));
    f = fopen(path, "w");
    fclose(f);
    ck_assert_int_eq(fd_read_file(path, 1u << 20, &b, &why), FD_OK);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_str_eq(fd_buf_cstr(&b), "");
    fd_buf_free(&b);
    unlink(path);
    unlink(fifo);
    rmdir(dir);
    free(path);
    free(fifo);
    free(dir);
}
END_TEST

/* The config file: where it is looked for, read once, sections by key. */
START_TEST(config_file_read_once)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *home = fd_xasprintf("%s/config.XXXXXX", tmp), *dir, *path, *err = NULL, *p;
    struct fd_config cfg;
    bool explicit_path;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(home));
    setenv("HOME", home, 1);
    unsetenv("FREIGHTDECK_CONFIG");
    setenv("XDG_CONFIG_HOME", "relative/dir", 1); /* not absolute: ignored */
    path = fd_xasprintf("%s/.config/freightdeck/config.yaml", home);
    p = fd_config_path(NULL, &explicit_path);
    ck_assert_str_eq(p, path);
    ck_assert(!explicit_path);
    free(p);
    /* No file where none was asked for: every default. */
    ck_assert_int_eq(fd_config_load(&cfg, NULL, &err), FD_OK);
    ck_assert_ptr_null(cfg.path);
    ck_assert_ptr_null(fd_config_section(&cfg, "console"));
    fd_config_free(&cfg);
    /* A file named and missing is an error naming it. */
    ck_assert_int_eq(fd_config_load(&cfg, path, &err), FD_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err, path));
    free(err);
    fd_config_free(&cfg);
    dir = fd_xasprintf("%s/.config", home);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    free(dir);
    dir = fd_xasprintf("%s/.config/freightdeck", home);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("theme: light\nconsole:\n  readonly: yes\nkeys: [\n", f);
    fclose(f);
    /* Bad YAML: the position, with $HOME shown as ~. */
    ck_assert_int_eq(fd_config_load(&cfg, NULL, &err), FD_PARSE);
    ck_assert_msg(strncmp(err, "~/.config/freightdeck/config.yaml:", 34) == 0, "%s", err);
    free(err);
    fd_config_free(&cfg);
    f = fopen(path, "w");
    fputs("theme: light\nconsole:\n  readonly: yes\n", f);
    fclose(f);
    setenv("FREIGHTDECK_CONFIG", path, 1);
    ck_assert_int_eq(fd_config_load(&cfg, NULL, &err), FD_OK);
    ck_assert(cfg.explicit_path);
    ck_assert_str_eq(cfg.path, path);
    ck_assert_str_eq(fd_yaml_scalar(fd_config_section(&cfg, "theme")), "light");
    ck_assert_str_eq(
        fd_yaml_scalar(fd_yaml_map_get(&cfg.y, fd_config_section(&cfg, "console"), "readonly")),
        "yes");
    ck_assert_ptr_null(fd_config_section(&cfg, "stages"));
    fd_config_free(&cfg);
    unsetenv("FREIGHTDECK_CONFIG");
    unlink(path);
    rmdir(dir);
    free(dir);
    dir = fd_xasprintf("%s/.config", home);
    rmdir(dir);
    rmdir(home);
    free(dir);
    free(path);
    free(home);
}
END_TEST

START_TEST(yaml_typing_kube_and_decimal)
{
    const char *text = "a: yes\nb: 0x1F\nc: 017\nd: 1_000\ne: 1.5\nf: ~\ng: 'true'\n"
                       "h: !!str 5\ni: 12345678901234567890\nj: True\n";

    ck_yaml(text, NULL,
            "{\"a\":true,\"b\":31,\"c\":15,\"d\":1000,\"e\":1.5,\"f\":null,\"g\":\"true\","
            "\"h\":\"5\",\"i\":1.2345678901234567e19,\"j\":true}");
    ck_yaml(text, &strict,
            "{\"a\":\"yes\",\"b\":\"0x1F\",\"c\":17,\"d\":\"1_000\",\"e\":1.5,\"f\":null,"
            "\"g\":\"true\",\"h\":\"5\",\"i\":1.2345678901234567e19,\"j\":true}");
    /* Explicit tags are checked only under YAML 1.1 rules. */
    ck_yaml("n: !!int abc\n", NULL, "ERR t.yaml:1:4: cannot read \"abc\" as tag:yaml.org,2002:int");
    ck_yaml("n: !!int abc\n", &strict, "{\"n\":\"abc\"}");
    /* "<<" merges under YAML 1.1 only. */
    ck_yaml("<<: {a: 1}\nb: 2\n", NULL, "{\"a\":1,\"b\":2}");
    ck_yaml("<<: {a: 1}\nb: 2\n", &strict, "{\"<<\":{\"a\":1},\"b\":2}");
}
END_TEST

START_TEST(yaml_aliases_expand_or_are_refused_where_they_are)
{
    const char *text = "a: &x [1, 2]\nb:\n  - *x\n";

    ck_yaml(text, NULL, "{\"a\":[1,2],\"b\":[[1,2]]}");
    ck_yaml(text, &strict, "ERR t.yaml:3:5: YAML aliases are not supported");
    ck_yaml("a: *nope\n", NULL, "ERR t.yaml:1:4: undefined alias \"nope\"");
    ck_yaml("k: &k key\n*k : v\n", NULL, "{\"k\":\"key\",\"key\":\"v\"}");
    ck_yaml("a: 1\n? [x]\n: 2\n", &strict, "ERR t.yaml:2:3: a mapping key must be a scalar");
    ck_yaml("a: 1\na: 2\n", &strict, "ERR t.yaml:2:1: duplicate key \"a\"");
    ck_yaml("a: \"x\\0y\"\n", &strict, "ERR t.yaml:1:4: a scalar holds a NUL byte");
}
END_TEST

START_TEST(yaml_null_documents_skipped_or_kept)
{
    struct fd_yaml_json_opts skip = strict;

    skip.skip_null_documents = true;
    ck_yaml("---\na: 1\n---\n---\n~\n---\nb: 2\n", &strict, "{\"a\":1}\nnull\nnull\n{\"b\":2}");
    ck_yaml("---\na: 1\n---\n---\n~\n---\nb: 2\n", &skip, "{\"a\":1}\n{\"b\":2}");
    ck_yaml("", &strict, "");
}
END_TEST

struct seen {
    size_t n, lines[4], cols[4];
    size_t key_line, key_col, item_line, item_col;
    bool key_found, item_found;
};

static bool remember(void *ud, const struct fd_yaml_json_doc *d, char **err)
{
    struct seen *s = ud;

    if (s->n == 2) {
        *err = fd_xasprintf("stop at line %zu", d->line);
        return false;
    }
    s->lines[s->n] = d->line;
    s->cols[s->n] = d->col;
    if (s->n++ == 1) {
        json_t *spec = json_object_get(d->value, "spec");
        s->key_found = fd_yaml_json_where(d, spec, &s->key_line, &s->key_col);
        s->item_found = fd_yaml_json_where(d, json_array_get(json_object_get(spec, "list"), 1),
                                           &s->item_line, &s->item_col);
    }
    return true;
}

START_TEST(yaml_documents_and_nodes_keep_their_positions)
{
    const char *text = "a: 1\n---\n# spec\nspec:\n  list: [x, \"y\"]\n--- {c: 3}\n";
    struct fd_yaml_json_opts o = strict;
    struct seen s = {0};
    char *err = NULL;

    o.positions = true;
    ck_assert_int_eq(fd_yaml_json_each(text, strlen(text), "t.yaml", &o, remember, &s, &err),
                     FD_INVALID);
    ck_assert_str_eq(err, "stop at line 6"); /* the callback's own message */
    free(err);
    ck_assert_uint_eq(s.n, 2);
    ck_assert_uint_eq(s.lines[0], 1);
    ck_assert_uint_eq(s.lines[1], 2);
    ck_assert(s.key_found);
    ck_assert_uint_eq(s.key_line, 5);
    ck_assert_uint_eq(s.key_col, 3);
    ck_assert(s.item_found);
    ck_assert_uint_eq(s.item_line, 5);
    ck_assert_uint_eq(s.item_col, 13);
    /* A syntax error after a good document: that document was handed over. */
    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(fd_yaml_json_each("a: 1\n---\nb: [\n", 14, "t.yaml", &o, remember, &s, &err),
                     FD_PARSE);
    ck_assert_uint_eq(s.n, 1);
    ck_assert_msg(strncmp(err, "t.yaml:4:1: ", 12) == 0, "got %s", err);
    free(err);
}
END_TEST

/* get -o yaml: what fd_yaml_write_json writes reads back (Kubernetes typing,
 * the stricter one) as the same JSON, however string-like its strings are. */
START_TEST(yaml_write_json_round_trips)
{
    const char *in =
        "[{\"name\": \"prod\", \"on\": \"on\", \"t\": \"true\", \"n\": \"1.0\","
        " \"z\": \"null\", \"e\": \"\", \"colon\": \"a: b\", \"dash\": \"- x\","
        " \"hex\": \"0x1F\", \"step\": \"1/4\", \"w\": 20, \"r\": 0.5,"
        " \"b\": false, \"nil\": null, \"l\": [], \"m\": {}, \"at\": \"2026-01-01T00:00:00Z\","
        " \"u\": \"caf\u00e9 \u2714\", \"nl\": \"a\\nb\"}]";
    json_t *v = json_loads(in, 0, NULL);
    char *text = NULL, *err = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(fd_yaml_write_json(f, v), FD_OK);
    fclose(f);
    ck_assert_msg(strncmp(text, "- name: prod\n", 13) == 0, "block style: %s", text);
    struct fd_yaml_json_opts kube = {0};
    json_t *back = fd_yaml_json_documents(text, len, "out.yaml", &kube, &err);
    ck_assert_msg(back && json_array_size(back) == 1, "read back: %s", err ? err : "?");
    ck_assert_msg(json_equal(json_array_get(back, 0), v), "round trip differs:\n%s", text);
    json_decref(back);
    json_decref(v);
    free(text);
}
END_TEST

START_TEST(yaml_limits_refuse_bombs_and_depth)
{
    struct fd_buf b = FD_BUF_INIT;
    char *got;

    fd_buf_puts(&b, "a0: &a0 [x, x]\n");
    for (int i = 1; i <= 30; i++)
        fd_buf_printf(&b, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
    got = yaml_dump(fd_buf_cstr(&b), NULL);
    ck_assert_msg(strstr(got, "ERR t.yaml:") && strstr(got, "too many nodes"), "got %s", got);
    free(got);
    fd_buf_reset(&b);
    for (int i = 0; i < 300; i++)
        fd_buf_putc(&b, '[');
    got = yaml_dump(fd_buf_cstr(&b), &strict);
    ck_assert_str_eq(got, "ERR t.yaml:1:258: nesting deeper than 256 levels");
    free(got);
    fd_buf_free(&b);
}
END_TEST

/* The document reader refuses the same depth with the same words, before
 * libyaml's loader (whose cost grows with depth times size) sees it; a
 * closed document of 20,000 levels is refused at level 257, not parsed. */
/* Go's unicode package by ICU: a few answers of each kind, as Go 1.26
 * gives them (unicode.IsLetter, IsDigit, IsSpace, strconv.IsPrint,
 * ToUpper, ToLower). */
/* What snprintf leaves of text in a buffer of size bytes; its return. */
static int fill(char *buf, size_t size, const char *text)
{
    size_t n = strlen(text);
    size_t k = n < size ? n : size - 1;

    memcpy(buf, text, k);
    buf[k] = '\0';
    return (int)n;
}

/* A message cut to its buffer stays whole UTF-8 and says it was cut. */
/* strconv.ParseFloat(s, 64): every row is Go 1.26's answer (rc, and the
 * value as FormatFloat(f, 'x', -1, 64) prints it). */
START_TEST(go_parse_float_as_strconv)
{
    static const struct {
        const char *s;
        enum fd_go_parse rc;
        double want;
    } cases[] = {
        {"1_000", FD_GO_PARSE_OK, 0x1.f4p+09},
        {"_1", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1_", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1__0", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1_.5", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1._5", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1e1_0", FD_GO_PARSE_OK, 0x1.2a05f2p+33},
        {"1e_1", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"0x_1p4", FD_GO_PARSE_OK, 0x1p+04},
        {"0x1_p4", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"0x1p_4", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"0x1p4", FD_GO_PARSE_OK, 0x1p+04},
        {"0X1P-2", FD_GO_PARSE_OK, 0x1p-02},
        {"0x.8p1", FD_GO_PARSE_OK, 0x1p+00},
        {"0x1", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"0x", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"0x1.8", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1e", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1e+", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {".5", FD_GO_PARSE_OK, 0x1p-01},
        {"1.", FD_GO_PARSE_OK, 0x1p+00},
        {".", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"+.5e-3", FD_GO_PARSE_OK, 0x1.0624dd2f1a9fcp-11},
        {"inf", FD_GO_PARSE_OK, HUGE_VAL},
        {"-Infinity", FD_GO_PARSE_OK, -HUGE_VAL},
        {"+INF", FD_GO_PARSE_OK, HUGE_VAL},
        {"infin", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"nan", FD_GO_PARSE_OK, NAN},
        {"NaN", FD_GO_PARSE_OK, NAN},
        {"+nan", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"-nan", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {" 1", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1 ", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"1e400", FD_GO_PARSE_RANGE, HUGE_VAL},
        {"-1e400", FD_GO_PARSE_RANGE, -HUGE_VAL},
        {"1e-400", FD_GO_PARSE_OK, 0x0p+00},
        {"0x1p1024", FD_GO_PARSE_RANGE, HUGE_VAL},
        {"0x1p-1075", FD_GO_PARSE_OK, 0x0p+00},
        {"4.9e-324", FD_GO_PARSE_OK, 0x1p-1074},
        {"1.7976931348623159e308", FD_GO_PARSE_RANGE, HUGE_VAL},
        {"00012.50", FD_GO_PARSE_OK, 0x1.9p+03},
        {"1_2_3.4_5e6_7", FD_GO_PARSE_OK, 0x1.6e523a206a68fp+229},
        {"", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"+", FD_GO_PARSE_SYNTAX, 0x0p+00},
        {"-0", FD_GO_PARSE_OK, -0x0p+00},
    };

    for (size_t i = 0; i < FD_ARRAY_SIZE(cases); i++) {
        double got = 42;
        enum fd_go_parse rc = fd_go_parse_float(cases[i].s, strlen(cases[i].s), &got);
        ck_assert_msg(rc == cases[i].rc, "%s: rc %d, want %d", cases[i].s, (int)rc,
                      (int)cases[i].rc);
        if (rc != FD_GO_PARSE_OK) {
            ck_assert_msg(got == 42, "%s: *out changed on error", cases[i].s);
        } else if (isnan(cases[i].want)) {
            ck_assert_msg(isnan(got), "%s: %a, want NaN", cases[i].s, got);
        } else {
            ck_assert_msg(got == cases[i].want && signbit(got) == signbit(cases[i].want),
                          "%s: %a, want %a", cases[i].s, got, cases[i].want);
        }
    }
    /* the length bounds the text: no NUL needed, none read past */
    double got = 0;
    ck_assert_int_eq(fd_go_parse_float("2.5junk", 3, &got), FD_GO_PARSE_OK);
    ck_assert(got == 2.5);
}
END_TEST

START_TEST(utf8_cut_keeps_whole_runes)
{
    char buf[12];
    int n = fill(buf, sizeof(buf), "ab\xe2\x82\xac\xe2\x82\xac\xe2\x82\xacxyz");
    fd_utf8_cut(buf, sizeof(buf), n);
    ck_assert_str_eq(buf, "ab\xe2\x82\xac\xe2\x82\xac\xe2\x80\xa6"); /* ab€€… */
    n = fill(buf, sizeof(buf), "short");
    fd_utf8_cut(buf, sizeof(buf), n);
    ck_assert_str_eq(buf, "short");
    n = fill(buf, sizeof(buf), "0123456789abcdef");
    fd_utf8_cut(buf, sizeof(buf), n);
    ck_assert_str_eq(buf, "01234567\xe2\x80\xa6");
}
END_TEST

/* A NUL in a text from outside: loaded (JSON_ALLOW_NUL), kept whole, and
 * shown as U+2400 (util.h FD_NUL_SHOWN). */
START_TEST(nul_in_outside_text_is_shown)
{
    char *t = fd_nul_shown_dup("a\0b\0", 4);
    ck_assert_str_eq(t, "a" FD_NUL_SHOWN "b" FD_NUL_SHOWN);
    free(t);
    t = fd_nul_shown_dup("plain", 5);
    ck_assert_str_eq(t, "plain");
    free(t);
    t = fd_nul_shown_dup("", 0);
    ck_assert_str_eq(t, "");
    free(t);
    json_error_t je;
    static const char text[] = "{\"m\":\"found \\u0000, error\",\"n\":1}";
    json_t *j = fd_json_load_outside(text, strlen(text), 0, &je);
    ck_assert_ptr_nonnull(j);
    t = fd_json_text(json_object_get(j, "m"));
    ck_assert_str_eq(t, "found \xe2\x90\x80, error");
    free(t);
    ck_assert_ptr_null(fd_json_text(json_object_get(j, "n"))); /* not a string */
    json_decref(j);
    /* as kubectl -o yaml writes it: in a manifest's quoted string only */
    static const char y[] = "kind: X\nmessage: \"found \\0, error\"\n";
    char *err = NULL;
    json_t *docs = fd_yaml_manifests(y, strlen(y), "run.yaml", &err);
    ck_assert_msg(docs != NULL, "%s", err);
    t = fd_json_text(json_object_get(json_array_get(docs, 0), "message"));
    ck_assert_str_eq(t, "found " FD_NUL_SHOWN ", error");
    free(t);
    json_decref(docs);
    static const char key[] = "kind: X\n\"a\\0b\": 1\n";
    ck_assert_ptr_null(fd_yaml_manifests(key, strlen(key), "run.yaml", &err));
    ck_assert_str_eq(err, "run.yaml:2:1: a mapping key holds a NUL byte");
    free(err);
    err = NULL;
    ck_assert_ptr_null(fd_yaml_json_documents(y, strlen(y), "c.yaml", &strict, &err));
    ck_assert_str_eq(err, "c.yaml:2:10: a scalar holds a NUL byte");
    free(err);
}
END_TEST

/* An integer past int64, as the API server writes a float64 of an
 * unstructured field (1e19 as 10000000000000000000): read as a real, the
 * others as they are; strings and the text's errors untouched. */
START_TEST(big_integer_in_outside_text_is_a_real)
{
    static const char text[] =
        "{\"config\":{\"max\":10000000000000000000,\"min\":-9223372036854775809,"
        "\"n\":9223372036854775807,\"s\":\"99999999999999999999\\\"\",\"f\":1.5}}";
    json_error_t je;
    ck_assert_ptr_null(json_loadb(text, strlen(text), 0, &je)); /* what jansson alone says */
    json_t *j = fd_json_load_outside(text, strlen(text), 0, &je), *c = json_object_get(j, "config");
    ck_assert_ptr_nonnull(j);
    ck_assert(json_is_real(json_object_get(c, "max")));
    ck_assert(json_real_value(json_object_get(c, "max")) == 1e19);
    ck_assert(json_is_real(json_object_get(c, "min")));
    ck_assert(json_is_integer(json_object_get(c, "n")));
    ck_assert_int_eq(json_integer_value(json_object_get(c, "n")), INT64_MAX);
    ck_assert_str_eq(json_string_value(json_object_get(c, "s")), "99999999999999999999\"");
    ck_assert(json_real_value(json_object_get(c, "f")) == 1.5);
    json_decref(j);
    static const char bad[] = "{\"a\":10000000000000000000,}";
    ck_assert_ptr_null(fd_json_load_outside(bad, strlen(bad), 0, &je)); /* still refused */
    ck_assert_ptr_null(fd_json_load_outside(bad, strlen(bad), 0, NULL));
}
END_TEST

START_TEST(unicode_classes_as_go)
{
    ck_assert(fd_unicode_is_letter('a') && fd_unicode_is_letter(0x3B1) &&
              fd_unicode_is_letter(0x1D518) && !fd_unicode_is_letter(0x20AC) &&
              !fd_unicode_is_letter('1') && !fd_unicode_is_letter(0x2170));
    ck_assert(fd_unicode_is_digit('7') && fd_unicode_is_digit(0x663) &&
              !fd_unicode_is_digit(0xBD) && !fd_unicode_is_digit(0x2170));
    ck_assert(fd_unicode_is_space(' ') && fd_unicode_is_space(0x85) && fd_unicode_is_space(0xA0) &&
              fd_unicode_is_space(0x2028) && fd_unicode_is_space(0x3000) &&
              !fd_unicode_is_space(0x200B) && !fd_unicode_is_space('x'));
    ck_assert(fd_unicode_is_print(' ') && fd_unicode_is_print(0x20AC) &&
              !fd_unicode_is_print(0xA0) && !fd_unicode_is_print(0xAD) &&
              !fd_unicode_is_print(0x61C) && !fd_unicode_is_print(0x378) &&
              !fd_unicode_is_print(0xE000) && !fd_unicode_is_print(0x110000));
    ck_assert_uint_eq(fd_unicode_to_upper(0x1C5), 0x1C4);
    ck_assert_uint_eq(fd_unicode_to_lower(0x1C5), 0x1C6);
    ck_assert_uint_eq(fd_unicode_to_upper(0xDF), 0xDF);
    ck_assert_uint_eq(fd_unicode_to_lower(0x1E9E), 0xDF);
    ck_assert_uint_eq(fd_unicode_to_upper(0x10D0), 0x1C90);
    ck_assert_uint_eq(fd_unicode_to_upper('q'), 'Q');
    ck_assert_uint_eq(fd_unicode_to_lower(0x110000), 0x110000);
}
END_TEST

START_TEST(yaml_document_depth_is_capped)
{
    struct fd_buf b = FD_BUF_INIT;
    struct fd_yaml y;
    char *err = NULL;

    fd_buf_puts(&b, "k:\n");
    for (int i = 0; i < 255; i++) /* with the mapping, 256 levels */
        fd_buf_printf(&b, "%*s- \n", 2 * i + 2, "");
    ck_assert_int_eq(fd_yaml_load(&y, b.data, b.len, "ok.yaml", &err), FD_OK);
    fd_yaml_free(&y);
    fd_buf_reset(&b);
    fd_buf_puts(&b, "clusters: ");
    for (int i = 0; i < 20000; i++)
        fd_buf_putc(&b, '[');
    for (int i = 0; i < 20000; i++)
        fd_buf_putc(&b, ']');
    ck_assert_int_eq(fd_yaml_load(&y, b.data, b.len, "deep.yaml", &err), FD_PARSE);
    ck_assert_str_eq(err, "deep.yaml:1:266: nesting deeper than 256 levels");
    free(err);
    fd_yaml_free(&y);
    fd_buf_free(&b);
}
END_TEST

START_TEST(yaml_document_helpers)
{
    const char *text = "a: 1\nb: [x]\nc: ~\nd: 'null'\n";
    struct fd_yaml y;
    char *err = NULL, *w;

    ck_assert_int_eq(fd_yaml_load(&y, text, strlen(text), "h.yaml", &err), FD_OK);
    yaml_node_t *root = fd_yaml_root(&y), *b = fd_yaml_map_get(&y, root, "b");
    ck_assert_str_eq(fd_yaml_scalar(fd_yaml_map_get(&y, root, "a")), "1");
    ck_assert_str_eq(fd_yaml_kind(b), "a list");
    ck_assert_str_eq(fd_yaml_kind(root), "a mapping");
    ck_assert_str_eq(fd_yaml_kind(NULL), "nothing");
    ck_assert_ptr_null(fd_yaml_map_get(&y, b, "a")); /* not a mapping */
    ck_assert_ptr_null(fd_yaml_map_get(&y, root, "z"));
    ck_assert(fd_yaml_is_null(fd_yaml_map_get(&y, root, "c")));
    ck_assert(fd_yaml_is_null(NULL));
    ck_assert(!fd_yaml_is_null(fd_yaml_map_get(&y, root, "d"))); /* quoted */
    w = fd_yaml_where(&y, b);
    ck_assert_str_eq(w, "h.yaml:2:4: ");
    free(w);
    w = fd_yaml_error(&y, NULL, "no %s", "root");
    ck_assert_str_eq(w, "h.yaml: no root");
    free(w);
    fd_yaml_free(&y);
    ck_assert_int_eq(fd_yaml_load_as(&y, "a: [\n", 4, "k", "invalid YAML", &err), FD_PARSE);
    ck_assert_msg(strncmp(err, "k:2:1: invalid YAML: ", 21) == 0, "got %s", err);
    free(err);
    fd_yaml_free(&y);
}
END_TEST

START_TEST(intern_shares_repeated_strings)
{
    char a[] = "proj-00/ignored", b[] = "proj-00";
    char *x = fd_intern(a, 7), *y = fd_intern(b, strlen(b)), *z = fd_intern("proj-01", 7);
    char *own = fd_xstrdup("proj-00");
    char big[400];

    ck_assert_str_eq(x, "proj-00");
    ck_assert_ptr_eq(x, y); /* one copy, whatever the caller's buffer */
    ck_assert_ptr_ne(x, z);
    ck_assert(fd_interned(x) && fd_interned(z));
    ck_assert(!fd_interned(own)); /* equal text, another pointer */
    ck_assert(!fd_interned(NULL));
    fd_free_str(x); /* no-op: x lives on */
    ck_assert_str_eq(fd_intern("proj-00", 7), "proj-00");
    fd_free_str(own); /* freed (ASan and valgrind would see a leak) */
    fd_free_str(NULL);
    /* Long strings and strings with a NUL are copies, never shared. */
    memset(big, 'x', sizeof(big));
    char *l1 = fd_intern(big, sizeof(big)), *l2 = fd_intern(big, sizeof(big));
    ck_assert_ptr_ne(l1, l2);
    ck_assert(!fd_interned(l1));
    fd_free_str(l1);
    fd_free_str(l2);
    char *nul = fd_intern("a\0b", 3);
    ck_assert(!fd_interned(nul));
    fd_free_str(nul);
    /* Many distinct strings: the table grows and keeps them all. */
    char name[32], *first = fd_intern("k-0", 3);
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof(name), "k-%d", i);
        ck_assert_str_eq(fd_intern(name, strlen(name)), name);
    }
    ck_assert_ptr_eq(fd_intern("k-0", 3), first);
}
END_TEST

START_TEST(json_arena_holds_a_parse_and_lets_go)
{
    struct fd_json_arena a = FD_JSON_ARENA_INIT;
    const char *text = "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\", \"n\": 2}]}";
    json_error_t e;

    fd_json_arena_enter(&a);
    json_t *j = json_loadb(text, strlen(text), 0, &e);
    ck_assert_ptr_nonnull(j);
    ck_assert_uint_gt(a.bytes, 0);
    fd_json_arena_suspend();
    /* Suspended: values come from malloc and are freed one by one. */
    size_t held = a.bytes;
    json_t *other = json_pack("{s:s}", "k", "v");
    json_decref(other);
    ck_assert_uint_eq(a.bytes, held);
    fd_json_arena_enter(&a);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 1), "name")),
        "b");
    /* A value larger than a chunk's quarter gets a chunk of its own. */
    char *big = fd_xmalloc(600000);
    memset(big, 'y', 599999);
    big[599999] = '\0';
    json_t *s = json_string(big);
    ck_assert_uint_eq(json_string_length(s), 599999);
    free(big);
    json_decref(j); /* a no-op inside */
    fd_json_arena_leave(&a);
    ck_assert_uint_eq(a.bytes, 0);
    ck_assert_ptr_null(a.chunks);
    /* After the leave: malloc again (ASan would see a bad free otherwise). */
    json_t *after = json_loads("[1, 2, 3]", 0, &e);
    ck_assert_uint_eq(json_array_size(after), 3);
    json_decref(after);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("util");

    tcase_add_test(tc, status_table_is_consistent);
    tcase_add_test(tc, buf_grows_and_stays_terminated);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, allocation_of_zero_bytes_is_valid);
    tcase_add_test_raise_signal(tc, reallocarray_overflow_is_fatal, SIGABRT);
    tcase_add_test(tc, intern_shares_repeated_strings);
    tcase_add_test(tc, json_arena_holds_a_parse_and_lets_go);
    suite_add_tcase(s, tc);
    tc = tcase_create("yaml");
    tcase_add_test(tc, base64_through_libcrypto);
    tcase_add_test(tc, read_file_with_a_limit);
    tcase_add_test(tc, config_file_read_once);
    tcase_add_test(tc, rfc3339_as_go_parses_it);
    tcase_add_test(tc, rfc3339_format_and_calendar);
    tcase_add_test(tc, yaml_typing_kube_and_decimal);
    tcase_add_test(tc, yaml_aliases_expand_or_are_refused_where_they_are);
    tcase_add_test(tc, yaml_null_documents_skipped_or_kept);
    tcase_add_test(tc, yaml_documents_and_nodes_keep_their_positions);
    tcase_add_test(tc, yaml_limits_refuse_bombs_and_depth);
    tcase_add_test(tc, yaml_write_json_round_trips);
    tcase_add_test(tc, yaml_document_helpers);
    tcase_add_test(tc, yaml_document_depth_is_capped);
    tcase_add_test(tc, unicode_classes_as_go);
    tcase_add_test(tc, utf8_cut_keeps_whole_runes);
    tcase_add_test(tc, nul_in_outside_text_is_shown);
    tcase_add_test(tc, big_integer_in_outside_text_is_a_real);
    tcase_add_test(tc, go_parse_float_as_strconv);
    suite_add_tcase(s, tc);
    return s;
}
