#ifndef FREIGHTDECK_TESTS_MODEL_UTIL_H
#define FREIGHTDECK_TESTS_MODEL_UTIL_H
/* Shared by the model tests: fixtures and objects from JSON text. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/model.h"

/* Loads tests/data/fixtures/NAME (fails the test if it cannot). The caller
 * json_decref()s it. */
static inline json_t *fixture_json(const char *name)
{
    const char *top = getenv("FD_TOP_SRCDIR");
    char *path = fd_xasprintf("%s/tests/data/fixtures/%s", top ? top : ".", name);
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);

    ck_assert_msg(j != NULL, "cannot load %s: %s", path, err.text);
    free(path);
    return j;
}

/* Test JSON is written with single quotes for readability: 'a' → "a". */
static inline char *dq(const char *text)
{
    char *s = fd_xstrdup(text);

    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

/* Decodes JSON text (single-quoted) that must at least be identifiable. */
static inline struct fd_model_object *obj_from(const char *text)
{
    struct fd_model_object *o = NULL;
    char *err = NULL, *s = dq(text);
    enum fd_status st = fd_model_decode_text(s, strlen(s), FD_MODEL_KIND_UNKNOWN, &o, &err);

    ck_assert_msg(st == FD_OK, "decode failed: %s\n  input: %s", err ? err : "?", s);
    free(s);
    return o;
}

/* Decodes JSON text that must decode cleanly. */
static inline struct fd_model_object *good(const char *text)
{
    struct fd_model_object *o = obj_from(text);

    ck_assert_msg(!o->undecodable, "unexpected error: %s", o->error);
    return o;
}

#endif
