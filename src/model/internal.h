#ifndef FREIGHTDECK_MODEL_INTERNAL_H
#define FREIGHTDECK_MODEL_INTERNAL_H
/* model/internal.h: the decoding context shared by the per-kind decoders. */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/model.h"
#include "freightdeck/util.h"

/* Where the decoder is (a JSON path like "status.freightHistory[0].items")
 * and the first type error met. Decoders keep going after an error (they only
 * skip the bad field) but the first error decides the object's fate. */
struct fd_model_dec {
    struct fd_buf path;
    char *error; /* "<path>: expected object, got string" */
};

/* Path handling: push returns the length to restore with fd_model_dec_pop. */
size_t fd_model_dec_push(struct fd_model_dec *d, const char *field);
size_t fd_model_dec_push_index(struct fd_model_dec *d, size_t i);
void fd_model_dec_pop(struct fd_model_dec *d, size_t mark);
/* Records a type error at the current path (first one wins). */
void fd_model_dec_fail(struct fd_model_dec *d, const char *expected, const json_t *got);
/* The JSON type name used in messages: "object", "string", "number"... */
const char *fd_model_dec_type_name(const json_t *v);

/* Field readers: look up key in obj (obj may be NULL); a missing key or JSON
 * null leaves *out as it is and returns false; a value of the wrong type is
 * recorded as an error (path obj.key) and returns false. */
bool fd_model_dec_str(struct fd_model_dec *d, const json_t *obj, const char *key, char **out);
/* The same for a field whose values repeat across objects (a namespace, a
 * kind, a repository URL): *out is interned (fd_intern); free it with
 * fd_free_str, as every string of a decoded object is. */
bool fd_model_dec_istr(struct fd_model_dec *d, const json_t *obj, const char *key, char **out);
bool fd_model_dec_int(struct fd_model_dec *d, const json_t *obj, const char *key, int64_t *out);
bool fd_model_dec_bool(struct fd_model_dec *d, const json_t *obj, const char *key, bool *out);
/* Time fields: a string in RFC 3339; a malformed one is an error too. */
bool fd_model_dec_time(struct fd_model_dec *d, const json_t *obj, const char *key, int64_t *out);
/* Duration fields (Go duration strings): seconds; malformed is an error. */
bool fd_model_dec_duration(struct fd_model_dec *d, const json_t *obj, const char *key,
                           int64_t *out);
/* Returns the object / array under key, or NULL (missing, null or a type
 * error, recorded). */
const json_t *fd_model_dec_obj(struct fd_model_dec *d, const json_t *obj, const char *key);
const json_t *fd_model_dec_arr(struct fd_model_dec *d, const json_t *obj, const char *key);
/* Checks that an array element is an object (path is already pushed). */
bool fd_model_dec_is_obj(struct fd_model_dec *d, const json_t *v);
/* A string array under key: a new array of *n strings (or NULL). */
char **fd_model_dec_str_array(struct fd_model_dec *d, const json_t *obj, const char *key,
                              size_t *n);
/* A map of strings → key/value pairs. */
struct fd_model_kv *fd_model_dec_kv_map(struct fd_model_dec *d, const json_t *obj, const char *key,
                                        size_t *n, const char *skip_key);
struct fd_model_condition *fd_model_dec_conditions(struct fd_model_dec *d, const json_t *obj,
                                                   size_t *n);
void fd_model_dec_origin(struct fd_model_dec *d, const json_t *obj, const char *key,
                         struct fd_model_origin *o);
void fd_model_dec_artifacts(struct fd_model_dec *d, const json_t *obj,
                            struct fd_model_artifacts *a);

/* Decodes an array of objects under key with one element decoder. */
#define DEC_OBJ_ARRAY(d, obj, key, arr, count, elem_fn)              \
    do {                                                             \
        const json_t *a_ = fd_model_dec_arr((d), (obj), (key));      \
        (count) = 0;                                                 \
        if (a_ && json_array_size(a_)) {                             \
            size_t m_ = fd_model_dec_push((d), (key));               \
            (arr) = fd_xcalloc(json_array_size(a_), sizeof(*(arr))); \
            for (size_t i_ = 0; i_ < json_array_size(a_); i_++) {    \
                const json_t *e_ = json_array_get(a_, i_);           \
                size_t mi_ = fd_model_dec_push_index((d), i_);       \
                if (fd_model_dec_is_obj((d), e_))                    \
                    elem_fn((d), e_, &(arr)[i_]);                    \
                fd_model_dec_pop((d), mi_);                          \
            }                                                        \
            fd_model_dec_pop((d), m_);                               \
            (count) = json_array_size(a_);                           \
        }                                                            \
    } while (0)

/* jansson's iterators take a non-const json_t although they only read. */
static inline json_t *dec_mut(const json_t *j)
{
    union {
        const json_t *c;
        json_t *m;
    } u = {j};
    return u.m;
}

/* Per-kind decoders: fill obj->u from json (the whole object). */
void fd_model_decode_project(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj);
void fd_model_decode_stage(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj);
void fd_model_decode_freight(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj);
void fd_model_decode_warehouse(struct fd_model_dec *d, const json_t *j,
                               struct fd_model_object *obj);
void fd_model_decode_promotion(struct fd_model_dec *d, const json_t *j,
                               struct fd_model_object *obj);
void fd_model_decode_project_config(struct fd_model_dec *d, const json_t *j,
                                    struct fd_model_object *obj);
void fd_model_decode_rollout(struct fd_model_dec *d, const json_t *j, struct fd_model_object *obj);
void fd_model_decode_replica_set(struct fd_model_dec *d, const json_t *j,
                                 struct fd_model_object *obj);

/* Per-kind payload frees (NULL allowed). */
void fd_model_free_project(struct fd_model_project *p);
void fd_model_free_stage(struct fd_model_stage *s);
void fd_model_free_freight(struct fd_model_freight *f);
void fd_model_free_warehouse(struct fd_model_warehouse *w);
void fd_model_free_promotion(struct fd_model_promotion *p);
void fd_model_free_project_config(struct fd_model_project_config *c);
void fd_model_free_rollout(struct fd_model_rollout *r);
void fd_model_free_replica_set(struct fd_model_replica_set *r);

/* Freeing helpers for the common pieces. */
void fd_model_free_kv(struct fd_model_kv *kv, size_t n);
void fd_model_free_conditions(struct fd_model_condition *c, size_t n);
void fd_model_free_origin(struct fd_model_origin *o);
void fd_model_free_artifacts(struct fd_model_artifacts *a);
void fd_model_free_strv(char **v, size_t n);

#endif
