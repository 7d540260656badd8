/* tests/fuzz/fuzz_list_decode.c: a list answer of arbitrary bytes.
 *
 * The bytes are parsed as JSON as every answer from outside is
 * (fd_json_load_outside: what jansson alone reads, it reads alike; NULs in
 * strings and integers past int64 too) and judged by fd_model_list_items (the rule
 * the informer and the one-shot lists share), then relisted into a store as
 * every kind (fd_model_store_relist_json). Checks: a body without an items
 * array is never taken as a list (never an empty one), a refused body
 * leaves the store untouched with a message, and an accepted one stores at
 * most as many objects as it has items. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *body = fd_json_load_outside((const char *)data, size, 0, NULL);
    json_t *plain = json_loadb((const char *)data, size, 0, NULL);
    const json_t *items, *raw;
    const char *why = NULL;
    bool is_list;

    if (plain && !json_equal(plain, body))
        abort();
    json_decref(plain);
    if (!body)
        return 0;
    is_list = fd_model_list_items(body, &items, &why);
    raw = json_object_get(body, "items");
    if (is_list != (json_is_object(body) && (json_is_array(raw) || json_is_null(raw))))
        abort();
    if (!is_list && (!why || !*why))
        abort();
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++) {
        struct fd_model_store *st = fd_model_store_new(4);
        struct fd_model_snapshot *snap;
        size_t skipped = 0, n = 0;
        char *err = NULL;
        enum fd_status s =
            fd_model_store_relist_json(st, (enum fd_model_kind)k, "ns", body, &skipped, &err);
        if ((s == FD_OK) != is_list || (s != FD_OK && (!err || !*err)))
            abort();
        snap = fd_model_store_snapshot(st);
        fd_model_snapshot_list(snap, (enum fd_model_kind)k, &n);
        if (n > json_array_size(items))
            abort();
        fd_model_snapshot_release(snap);
        free(err);
        fd_model_store_free(st);
    }
    json_decref(body);
    return 0;
}
