/* tests/sim/crd_check.c: validates Kubernetes objects against the
 * openAPIV3Schema of CRD files (a test helper, not part of the product).
 *
 *   crd_check CRD.yaml... < objects.json
 *
 * objects.json is one object or a List (kubectl get -o json). Checks the
 * schema subset the Kargo CRDs use: type (with nullable and
 * x-kubernetes-int-or-string), properties (unknown fields are errors unless
 * x-kubernetes-preserve-unknown-fields), additionalProperties, required,
 * enum, items. Prints one line per violation; exits 0 when all conform, 1
 * when not, 2 on bad input. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sim/api.h"
#include "freightdeck/util.h"

static int errors;

static void fail(const char *obj, const char *path, const char *msg)
{
    printf("%s: %s: %s\n", obj, path[0] ? path : "(root)", msg);
    errors++;
}

static bool type_ok(const json_t *schema, const json_t *v)
{
    const char *t = json_string_value(json_object_get(schema, "type"));
    if (json_is_null(v))
        return json_is_true(json_object_get(schema, "nullable"));
    if (json_is_true(json_object_get(schema, "x-kubernetes-int-or-string")))
        return json_is_integer(v) || json_is_string(v);
    if (!t)
        return true;
    if (strcmp(t, "object") == 0)
        return json_is_object(v);
    if (strcmp(t, "array") == 0)
        return json_is_array(v);
    if (strcmp(t, "string") == 0)
        return json_is_string(v);
    if (strcmp(t, "integer") == 0)
        return json_is_integer(v);
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    return true;
}

static void check(const char *obj, const char *path, const json_t *schema, const json_t *v)
{
    char *msg;
    if (!type_ok(schema, v)) {
        msg = fd_xasprintf("expected type %s", json_string_value(json_object_get(schema, "type")));
        fail(obj, path, msg);
        free(msg);
        return;
    }
    json_t *en = json_object_get(schema, "enum");
    if (json_is_array(en)) {
        bool found = false;
        size_t i;
        json_t *e;
        json_array_foreach(en, i, e)
        {
            if (json_equal(e, v))
                found = true;
        }
        if (!found)
            fail(obj, path, "value not in enum");
    }
    if (json_is_object(v)) {
        json_t *props = json_object_get(schema, "properties");
        json_t *addl = json_object_get(schema, "additionalProperties");
        bool open = json_is_true(json_object_get(schema, "x-kubernetes-preserve-unknown-fields")) ||
                    (!props && !addl);
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(schema, "required"), i, r)
        {
            if (!json_object_get(v, json_string_value(r))) {
                msg = fd_xasprintf("required field \"%s\" is missing", json_string_value(r));
                fail(obj, path, msg);
                free(msg);
            }
        }
        const char *k;
        json_t *val;
        json_object_foreach((json_t *)(uintptr_t)v, k, val)
        {
            char *sub = fd_xasprintf("%s.%s", path, k);
            json_t *ps = json_object_get(props, k);
            if (ps)
                check(obj, sub, ps, val);
            else if (json_is_object(addl))
                check(obj, sub, addl, val);
            else if (!open && !json_is_true(addl))
                fail(obj, sub, "unknown field");
            free(sub);
        }
    } else if (json_is_array(v)) {
        json_t *items = json_object_get(schema, "items");
        size_t i;
        json_t *e;
        json_array_foreach((json_t *)(uintptr_t)v, i, e)
        {
            char *sub = fd_xasprintf("%s[%zu]", path, i);
            if (items)
                check(obj, sub, items, e);
            free(sub);
        }
    }
}

int main(int argc, char **argv)
{
    json_t *schemas = json_object(); /* kind -> schema */
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        struct fd_buf b = FD_BUF_INIT;
        char chunk[8192];
        size_t n;
        char *err = NULL;
        if (!f) {
            fprintf(stderr, "crd_check: cannot open %s\n", argv[i]);
            return 2;
        }
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            fd_buf_append(&b, chunk, n);
        fclose(f);
        json_t *crd = fd_sim_yaml_parse(fd_buf_cstr(&b), b.len, argv[i], &err);
        fd_buf_free(&b);
        if (!crd) {
            fprintf(stderr, "crd_check: %s\n", err);
            free(err);
            return 2;
        }
        json_t *spec = json_object_get(crd, "spec");
        const char *kind =
            json_string_value(json_object_get(json_object_get(spec, "names"), "kind"));
        json_t *schema = json_object_get(
            json_object_get(json_array_get(json_object_get(spec, "versions"), 0), "schema"),
            "openAPIV3Schema");
        if (!kind || !schema) {
            fprintf(stderr, "crd_check: %s: no kind or openAPIV3Schema\n", argv[i]);
            return 2;
        }
        json_object_set(schemas, kind, schema);
        json_decref(crd);
    }
    json_error_t je;
    json_t *in = json_loadf(stdin, 0, &je);
    if (!in) {
        fprintf(stderr, "crd_check: stdin:%d:%d: %s\n", je.line, je.column, je.text);
        return 2;
    }
    json_t *items = json_object_get(in, "items");
    size_t count = 0;
    if (!items) {
        items = json_pack("[O]", in);
    } else {
        json_incref(items);
    }
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        const char *kind = json_string_value(json_object_get(o, "kind"));
        const char *name =
            json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
        json_t *schema = json_object_get(schemas, kind ? kind : "");
        char *id = fd_xasprintf("%s/%s", kind ? kind : "?", name ? name : "?");
        if (!schema) {
            fail(id, "", "no CRD for this kind");
        } else {
            check(id, "", schema, o);
            count++;
        }
        free(id);
    }
    printf("checked %zu object%s, %d violation%s\n", count, count == 1 ? "" : "s", errors,
           errors == 1 ? "" : "s");
    json_decref(items);
    json_decref(in);
    json_decref(schemas);
    return errors ? 1 : 0;
}
