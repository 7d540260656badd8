/* tests/fuzz/fuzz_model_decode.c: every model decoder on arbitrary bytes.
 *
 * The bytes are parsed as JSON; an object is then decoded once as each kind
 * (its "kind" field rewritten), stored, and run through the derived state
 * (phase, availability, canary view, pipeline, attention), and the same
 * bytes are tried as a watch event and a list body, so wrong types
 * anywhere reach every reader. Checks: an object either decodes, or is kept
 * undecodable with a message, or is refused with a message. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_object(const struct fd_model_object *o)
{
    if (o->undecodable ? (!o->error || !*o->error || o->u.any) : (o->error || !o->u.any))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    struct fd_model_store *st;
    struct fd_model_snapshot *snap;
    struct fd_model_object *first = NULL;

    if (!j)
        return 0;
    st = fd_model_store_new(4);
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++) {
        struct fd_model_object *o = NULL;
        char *err = NULL;
        if (json_is_object(j))
            json_object_set_new(j, "kind", json_string(fd_model_kind_name((enum fd_model_kind)k)));
        if (fd_model_decode(j, (enum fd_model_kind)k, &o, &err) != FD_OK) {
            if (!err || !*err || o)
                abort();
            free(err);
            continue;
        }
        check_object(o);
        if (o->kind != (enum fd_model_kind)k)
            abort();
        if (!first)
            first = fd_model_object_ref(o);
        fd_model_store_apply(st, FD_MODEL_EVENT_ADDED, o);
    }
    /* The same bytes as a watch event. */
    if (json_is_object(j)) {
        enum fd_model_apply_result r;
        char *err = NULL;
        if (fd_model_store_apply_event_json(st, j, FD_MODEL_STAGE, &r, &err) != FD_OK) {
            if (!err || !*err)
                abort();
        }
        free(err);
    }
    /* And as a list body for a relist (items decoded as Freight). */
    if (json_is_object(j)) {
        size_t skipped;
        char *err = NULL;
        if (fd_model_store_relist_json(st, FD_MODEL_FREIGHT, NULL, j, &skipped, &err) != FD_OK) {
            if (!err || !*err)
                abort();
        } else if ((skipped > 0) != (err != NULL)) {
            abort();
        }
        free(err);
    }
    snap = fd_model_store_snapshot(st);
    for (int k = 0; k < FD_MODEL_KIND__COUNT; k++) {
        size_t n;
        struct fd_model_object *const *l = fd_model_snapshot_list(snap, (enum fd_model_kind)k, &n);
        for (size_t i = 0; i < n; i++) {
            if (l[i]->kind == FD_MODEL_STAGE && l[i]->u.stage) {
                const struct fd_model_freight_collection *c = fd_model_stage_current(l[i]->u.stage);
                fd_model_stage_phase(l[i]->u.stage, true);
                for (size_t v = 0; c && v < c->n_verifications; v++)
                    fd_model_verification_run(snap, l[i], &c->verifications[v], c->id);
                size_t nf;
                struct fd_model_object *const *fl =
                    fd_model_snapshot_list(snap, FD_MODEL_FREIGHT, &nf);
                for (size_t f = 0; f < nf; f++)
                    if (fl[f]->u.freight)
                        fd_model_freight_availability(l[i], fl[f], 1787154300, NULL);
            }
            if (l[i]->kind == FD_MODEL_ROLLOUT) {
                struct fd_model_canary_view v;
                fd_model_rollout_canary(l[i], 1, &v);
                if (!v.phase || !v.message)
                    abort();
                fd_model_canary_view_free(&v);
            }
        }
    }
    const char *ns = first && first->meta.ns ? first->meta.ns : "";
    struct fd_model_pipeline *p = fd_model_pipeline_build(snap, ns);
    for (size_t e = 0; e < p->n_edges; e++)
        if (p->edges[e].from >= p->n_nodes || p->edges[e].to >= p->n_nodes)
            abort();
    fd_model_pipeline_free(p);
    struct fd_model_attention *items;
    size_t n = fd_model_attention_list(snap, NULL, 1787154300, &items);
    fd_model_attention_free(items, n);
    fd_model_snapshot_release(snap);
    fd_model_store_relist(st, FD_MODEL_STAGE, NULL, NULL, 0, "1");
    fd_model_object_unref(first);
    fd_model_store_free(st);
    json_decref(j);
    return 0;
}
