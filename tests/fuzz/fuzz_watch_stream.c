/* tests/fuzz/fuzz_watch_stream.c: a watch stream of arbitrary bytes.
 *
 * The first byte picks the kind being watched; the rest is cut at newlines
 * as the informer cuts it, and each line goes through the store as a watch
 * event (fd_model_store_apply_event_json), the way client/informer.c
 * applies them; then the store's snapshot is read. Checks: an event either
 * applies or is refused with a message; the store's counts stay consistent. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fd_model_store *st;
    struct fd_model_snapshot *snap;
    enum fd_model_kind kind;
    size_t start = 1;

    if (size < 1)
        return 0;
    kind = (enum fd_model_kind)(data[0] % FD_MODEL_KIND__COUNT);
    st = fd_model_store_new(8);
    for (size_t i = 1; i <= size; i++) {
        if (i < size && data[i] != '\n')
            continue;
        size_t len = i - start;
        const char *line = (const char *)data + start;
        start = i + 1;
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            len--;
        if (!len)
            continue;
        json_t *ev = json_loadb(line, len, 0, NULL);
        if (json_is_object(ev)) {
            enum fd_model_apply_result r;
            char *err = NULL;
            if (fd_model_store_apply_event_json(st, ev, kind, &r, &err) != FD_OK && (!err || !*err))
                abort();
            free(err);
        }
        json_decref(ev);
    }
    snap = fd_model_store_snapshot(st);
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++) {
        size_t n = 0;
        struct fd_model_object *const *all =
            fd_model_snapshot_list(snap, (enum fd_model_kind)k, &n);
        for (size_t i = 0; i < n; i++)
            if (!all[i] || all[i]->kind != (enum fd_model_kind)k)
                abort();
    }
    fd_model_snapshot_release(snap);
    fd_model_store_free(st);
    return 0;
}
