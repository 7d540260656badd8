/* tests/fuzz/fuzz_yamldoc.c: multi-document YAML (and JSON) into jansson
 * values (src/analysis/yamldoc.c) on arbitrary bytes, with its nesting and
 * alias-expansion limits. Checks that a failure explains itself with
 * "file:line:col: what", and that every document it returns is JSON that
 * reads back as the same value. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/promclient.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    json_t *docs = fd_promclient_yaml_documents((const char *)data, size, "in.yaml", &err);

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
        json_t *again = fd_promclient_yaml_documents(text, strlen(text), "again.json", &err2);
        if (!again || json_array_size(again) != 1 || !json_equal(json_array_get(again, 0), doc))
            abort();
        json_decref(again);
        free(text);
    }
    json_decref(docs);
    return 0;
}
