/* tests/fuzz/fuzz_yamldoc.c: multi-document YAML (and JSON) into jansson
 * values (src/util/yaml_json.c) on arbitrary bytes, with its nesting and
 * alias-expansion limits, under both option sets its callers use: analysis
 * (Kubernetes typing, aliases expanded, JSON fast path) and the simulator
 * (decimal typing, aliases refused, node positions). Checks that a failure
 * explains itself with "file:line:col: what", that every document analysis
 * gets is JSON that reads back as the same value, and that every node the
 * simulator gets has a position inside its document. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_positions(const struct fd_yaml_json_doc *d, json_t *v)
{
    size_t line, col, i;
    const char *k;
    json_t *item;

    if (!fd_yaml_json_where(d, v, &line, &col) || line < d->line || col < 1)
        abort();
    if (json_is_object(v)) {
        json_object_foreach(v, k, item)
        {
            check_positions(d, item);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            check_positions(d, item);
        }
    }
}

static bool strict_doc(void *ud, const struct fd_yaml_json_doc *d, char **err)
{
    size_t *last_line = ud;

    (void)err;
    if (!d->value || d->line < *last_line)
        abort(); /* documents come in order */
    *last_line = d->line;
    check_positions(d, d->value);
    return true;
}

static void strict(const uint8_t *data, size_t size)
{
    static const struct fd_yaml_json_opts o = {
        .typing = FD_YAML_TYPING_DECIMAL,
        .aliases = FD_YAML_ALIASES_REJECT,
        .positions = true,
    };
    size_t last_line = 1;
    char *err = NULL;

    if (fd_yaml_json_each((const char *)data, size, "in.yaml", &o, strict_doc, &last_line, &err) !=
        FD_OK) {
        if (!err || strncmp(err, "in.yaml:", 8) != 0)
            abort();
    } else if (err) {
        abort();
    }
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    json_t *docs;

    strict(data, size);
    docs = fd_yaml_manifests((const char *)data, size, "in.yaml", &err);

    if (!docs) {
        if (!err || strncmp(err, "in.yaml:", 8) != 0)
            abort(); /* every failure names the input and, mostly, where */
        free(err);
        return 0;
    }
    if (err || !json_is_array(docs))
        abort();
    size_t i;
    json_t *doc;
    json_array_foreach(docs, i, doc)
    {
        if (json_is_null(doc))
            abort(); /* empty documents are dropped */
        char *text = json_dumps(doc, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!text)
            abort();
        /* JSON is YAML: the document's JSON text must read back equal. */
        char *err2 = NULL;
        json_t *again = fd_yaml_manifests(text, strlen(text), "again.json", &err2);
        if (!again || json_array_size(again) != 1 || !json_equal(json_array_get(again, 0), doc))
            abort();
        json_decref(again);
        free(text);
    }
    json_decref(docs);
    return 0;
}
