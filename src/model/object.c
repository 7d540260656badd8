/* model/object.c: the kind table, object identity, decoding dispatch and lifetime. */
#include "config.h"

#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static void fd_model_free_payload(struct fd_model_object *obj);

static const struct {
    const char *name, *api_version, *plural;
    bool namespaced;
} kinds[] = {
#define FD_MODEL_KIND_ROW(id, name, gv, plural, ns) {name, gv, plural, ns},
    FD_MODEL_KIND_TABLE(FD_MODEL_KIND_ROW)
#undef FD_MODEL_KIND_ROW
};

const char *fd_model_kind_name(enum fd_model_kind kind)
{
    return (unsigned)kind < FD_MODEL_KIND__COUNT ? kinds[kind].name : "Unknown";
}

const char *fd_model_kind_api_version(enum fd_model_kind kind)
{
    return (unsigned)kind < FD_MODEL_KIND__COUNT ? kinds[kind].api_version : "";
}

const char *fd_model_kind_plural(enum fd_model_kind kind)
{
    return (unsigned)kind < FD_MODEL_KIND__COUNT ? kinds[kind].plural : "";
}

bool fd_model_kind_namespaced(enum fd_model_kind kind)
{
    return (unsigned)kind < FD_MODEL_KIND__COUNT && kinds[kind].namespaced;
}

enum fd_model_kind fd_model_kind_from_name(const char *name)
{
    for (size_t i = 0; name && i < FD_MODEL_KIND__COUNT; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return (enum fd_model_kind)i;
    return FD_MODEL_KIND_UNKNOWN;
}

static const char *const step_names[] = {
#define FD_MODEL_STEP_ROW(id, key) key,
    FD_MODEL_STEP_TABLE(FD_MODEL_STEP_ROW)
#undef FD_MODEL_STEP_ROW
};

const char *fd_model_step_kind_name(enum fd_model_step_kind kind)
{
    return (unsigned)kind < FD_ARRAY_SIZE(step_names) ? step_names[kind] : "unknown";
}

/* ---- Identity ---------------------------------------------------------------- */
static const char *kv_get(const struct fd_model_kv *kv, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(kv[i].key, key) == 0)
            return kv[i].value;
    return NULL;
}

const char *fd_model_label(const struct fd_model_object *obj, const char *key)
{
    return obj ? kv_get(obj->meta.labels, obj->meta.n_labels, key) : NULL;
}

const char *fd_model_annotation(const struct fd_model_object *obj, const char *key)
{
    return obj ? kv_get(obj->meta.annotations, obj->meta.n_annotations, key) : NULL;
}

char *fd_model_object_describe(const struct fd_model_object *obj)
{
    if (obj->meta.ns)
        return fd_xasprintf("%s %s/%s", fd_model_kind_name(obj->kind), obj->meta.ns,
                            obj->meta.name);
    return fd_xasprintf("%s %s", fd_model_kind_name(obj->kind), obj->meta.name);
}

const struct fd_model_owner_ref *fd_model_controller_of(const struct fd_model_object *obj)
{
    for (size_t i = 0; obj && i < obj->meta.n_owners; i++)
        if (obj->meta.owners[i].controller)
            return &obj->meta.owners[i];
    return NULL;
}

bool fd_model_owned_by(const struct fd_model_object *obj, const char *uid)
{
    if (!obj || !uid || !*uid)
        return false;
    for (size_t i = 0; i < obj->meta.n_owners; i++)
        if (fd_streq(obj->meta.owners[i].uid, uid))
            return true;
    return false;
}

/* ---- Decoding ------------------------------------------------------------------ */
static void decode_owner(struct fd_model_dec *d, const json_t *e, struct fd_model_owner_ref *o)
{
    fd_model_dec_str(d, e, "apiVersion", &o->api_version);
    fd_model_dec_str(d, e, "kind", &o->kind);
    fd_model_dec_str(d, e, "name", &o->name);
    fd_model_dec_str(d, e, "uid", &o->uid);
    fd_model_dec_bool(d, e, "controller", &o->controller);
}

static void decode_meta(struct fd_model_dec *d, const json_t *md, struct fd_model_meta *m)
{
    size_t mark = fd_model_dec_push(d, "metadata");

    fd_model_dec_istr(d, md, "namespace", &m->ns);
    fd_model_dec_str(d, md, "uid", &m->uid);
    fd_model_dec_str(d, md, "resourceVersion", &m->resource_version);
    fd_model_dec_int(d, md, "generation", &m->generation);
    fd_model_dec_time(d, md, "creationTimestamp", &m->created);
    fd_model_dec_time(d, md, "deletionTimestamp", &m->deleted);
    m->labels = fd_model_dec_kv_map(d, md, "labels", &m->n_labels, NULL);
    m->annotations = fd_model_dec_kv_map(d, md, "annotations", &m->n_annotations,
                                         "kubectl.kubernetes.io/last-applied-configuration");
    DEC_OBJ_ARRAY(d, md, "ownerReferences", m->owners, m->n_owners, decode_owner);
    fd_model_dec_pop(d, mark);
}

static void decode_analysis(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    char *err = NULL;

    if (obj->kind == FD_MODEL_ANALYSIS_RUN)
        obj->u.analysis = fd_analysis_run_from_json(j, &err);
    else
        obj->u.analysis = fd_analysis_template_from_json(j, &err);
    if (!obj->u.analysis && !d->error)
        d->error = err ? err : fd_xstrdup("cannot decode");
    else
        free(err);
}

static void decode_payload(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj)
{
    switch (obj->kind) {
    case FD_MODEL_PROJECT:
        fd_model_decode_project(d, j, obj);
        break;
    case FD_MODEL_STAGE:
        fd_model_decode_stage(d, j, obj);
        break;
    case FD_MODEL_FREIGHT:
        fd_model_decode_freight(d, j, obj);
        break;
    case FD_MODEL_WAREHOUSE:
        fd_model_decode_warehouse(d, j, obj);
        break;
    case FD_MODEL_PROMOTION:
        fd_model_decode_promotion(d, j, obj);
        break;
    case FD_MODEL_PROJECT_CONFIG:
        fd_model_decode_project_config(d, j, obj);
        break;
    case FD_MODEL_ANALYSIS_RUN:
    case FD_MODEL_ANALYSIS_TEMPLATE:
    case FD_MODEL_CLUSTER_ANALYSIS_TEMPLATE:
        decode_analysis(d, j, obj);
        break;
    case FD_MODEL_ROLLOUT:
        fd_model_decode_rollout(d, j, obj);
        break;
    case FD_MODEL_REPLICA_SET:
        fd_model_decode_replica_set(d, j, obj);
        break;
    case FD_MODEL_KIND__COUNT:
        break;
    }
}

enum fd_status fd_model_decode(const json_t *json, enum fd_model_kind hint,
                               struct fd_model_object **out, char **err)
{
    struct fd_model_dec d = {FD_BUF_INIT, NULL};
    enum fd_model_kind kind = hint;
    const json_t *k, *md, *name;

    *out = NULL;
    *err = NULL;
    if (!json_is_object(json)) {
        *err = fd_xasprintf("expected an object, got %s",
                            json ? fd_json_type_name(json, false) : "nothing");
        return FD_PARSE;
    }
    k = json_object_get(json, "kind");
    if (json_is_string(k)) {
        enum fd_model_kind named = fd_model_kind_from_name(json_string_value(k));
        if (named == FD_MODEL_KIND_UNKNOWN) {
            *err = fd_xasprintf("unknown kind \"%.60s\"", json_string_value(k));
            return FD_PARSE;
        }
        if (hint != FD_MODEL_KIND_UNKNOWN && named != hint) {
            *err = fd_xasprintf("kind %s where %s was expected", fd_model_kind_name(named),
                                fd_model_kind_name(hint));
            return FD_PARSE;
        }
        kind = named;
    } else if (k && !json_is_null(k)) {
        *err = fd_xasprintf("kind: expected string, got %s", fd_json_type_name(k, false));
        return FD_PARSE;
    }
    if (kind == FD_MODEL_KIND_UNKNOWN) {
        *err = fd_xstrdup("object has no kind");
        return FD_PARSE;
    }
    md = json_object_get(json, "metadata");
    name = json_is_object(md) ? json_object_get(md, "name") : NULL;
    if (!json_is_string(name) || !json_string_length(name)) {
        *err = fd_xasprintf("%s without metadata.name", fd_model_kind_name(kind));
        return FD_PARSE;
    }

    struct fd_model_object *obj = fd_xcalloc(1, sizeof(*obj));
    obj->kind = kind;
    atomic_init(&obj->refs_, 1);
    obj->meta.name = fd_xstrdup(json_string_value(name));
    decode_meta(&d, md, &obj->meta);
    if (!d.error)
        decode_payload(&d, json, obj);
    if (d.error) {
        char *what = fd_model_object_describe(obj);
        obj->undecodable = true;
        obj->error = fd_xasprintf("%s: %s", what, d.error);
        free(what);
        fd_model_free_payload(obj);
    }
    free(d.error);
    fd_buf_free(&d.path);
    *out = obj;
    return FD_OK;
}

enum fd_status fd_model_decode_text(const char *text, size_t len, enum fd_model_kind hint,
                                    struct fd_model_object **out, char **err)
{
    json_error_t jerr;
    json_t *j = fd_json_load_outside(text, len, JSON_REJECT_DUPLICATES, &jerr);
    enum fd_status st;

    if (!j) {
        *out = NULL;
        *err = fd_xasprintf("invalid JSON at line %d column %d: %s", jerr.line, jerr.column,
                            jerr.text);
        return FD_PARSE;
    }
    st = fd_model_decode(j, hint, out, err);
    json_decref(j);
    return st;
}

/* ---- Lifetime ------------------------------------------------------------------- */
struct fd_model_object *fd_model_object_ref(struct fd_model_object *obj)
{
    atomic_fetch_add_explicit(&obj->refs_, 1, memory_order_relaxed);
    return obj;
}

/* Frees the kind-specific part (obj->u) and sets it to NULL. */
static void fd_model_free_payload(struct fd_model_object *obj)
{
    if (!obj->u.any)
        return;
    switch (obj->kind) {
    case FD_MODEL_PROJECT:
        fd_model_free_project(obj->u.project);
        break;
    case FD_MODEL_STAGE:
        fd_model_free_stage(obj->u.stage);
        break;
    case FD_MODEL_FREIGHT:
        fd_model_free_freight(obj->u.freight);
        break;
    case FD_MODEL_WAREHOUSE:
        fd_model_free_warehouse(obj->u.warehouse);
        break;
    case FD_MODEL_PROMOTION:
        fd_model_free_promotion(obj->u.promotion);
        break;
    case FD_MODEL_PROJECT_CONFIG:
        fd_model_free_project_config(obj->u.project_config);
        break;
    case FD_MODEL_ANALYSIS_RUN:
    case FD_MODEL_ANALYSIS_TEMPLATE:
    case FD_MODEL_CLUSTER_ANALYSIS_TEMPLATE:
        fd_analysis_run_free(obj->u.analysis);
        break;
    case FD_MODEL_ROLLOUT:
        fd_model_free_rollout(obj->u.rollout);
        break;
    case FD_MODEL_REPLICA_SET:
        fd_model_free_replica_set(obj->u.replica_set);
        break;
    case FD_MODEL_KIND__COUNT:
        break;
    }
    obj->u.any = NULL;
}

void fd_model_object_unref(struct fd_model_object *obj)
{
    if (!obj)
        return;
    if (atomic_fetch_sub_explicit(&obj->refs_, 1, memory_order_acq_rel) != 1)
        return;
    fd_model_free_payload(obj);
    fd_free_str(obj->meta.ns);
    free(obj->meta.name);
    free(obj->meta.uid);
    free(obj->meta.resource_version);
    fd_model_free_kv(obj->meta.labels, obj->meta.n_labels);
    fd_model_free_kv(obj->meta.annotations, obj->meta.n_annotations);
    for (size_t i = 0; i < obj->meta.n_owners; i++) {
        free(obj->meta.owners[i].api_version);
        free(obj->meta.owners[i].kind);
        free(obj->meta.owners[i].name);
        free(obj->meta.owners[i].uid);
    }
    free(obj->meta.owners);
    free(obj->error);
    free(obj);
}
