#ifndef FD_SIM_SCHEMA_H
#define FD_SIM_SCHEMA_H
/*
 * sim/schema.h: the CRD schemas the simulator serves, applied to objects as
 * the Kubernetes API server (k8s.io/apiextensions-apiserver v0.34) applies a
 * CRD's structural openAPIV3Schema: at decoding, unknown fields are pruned
 * (reported per fieldValidation), nulls of non-nullable fields dropped and
 * defaults set; before storing, the object is validated (types, required,
 * enum, items and length limits, patterns, minimum/maximum, the date-time
 * format, anyOf, x-kubernetes-int-or-string, nullable), with the API
 * server's own messages and with validation ratcheting on updates.
 *
 * The schemas are the CRD files compiled in (tests/data/crds), parsed on
 * first use. Resources without a CRD (Namespace, SelfSubjectAccessReview)
 * have no schema: every function is then a no-op.
 */

#include <jansson.h>

#include "resources.h"

/* The fieldValidation query parameter; the API server's default is Warn. */
enum fd_sim_field_validation {
    FD_SIM_FV_WARN = 0,
    FD_SIM_FV_IGNORE,
    FD_SIM_FV_STRICT,
};

/* The openAPIV3Schema of r's served version (borrowed, valid for the life of
 * the process), or NULL when r is not a custom resource. Thread-safe. */
const json_t *fd_sim_schema_get(const struct fd_sim_resource *r);

/* Decodes obj in place as the API server decodes a custom resource: drops
 * unknown fields (metadata's and the schema's), nulls of non-nullable fields
 * without a default, and sets defaults. Returns the sorted paths of the
 * unknown fields dropped ("spec.foo", "metadata.bar"), a new array the caller
 * owns (empty when none). */
json_t *fd_sim_schema_decode(const struct fd_sim_resource *r, json_t *obj);

/* Validates obj against r's schema. old is the stored object on an update
 * (unchanged values are not re-validated: validation ratcheting), NULL on a
 * create. Returns the field errors as Status causes
 * [{"reason","message","field"}], a new array the caller owns (empty when
 * valid). */
json_t *fd_sim_schema_validate(const struct fd_sim_resource *r, const json_t *obj,
                               const json_t *old);

/* ObjectMeta's labels (keys qualified names, values label values) and
 * annotations (keys qualified names in any case, 256 KiB in all), checked
 * for every resource before its schema, as the API server words them.
 * Returns the causes, a new array the caller owns (empty when valid). */
json_t *fd_sim_schema_validate_meta(const json_t *obj);

/* The causes' aggregate as the API server words it (field: message, or
 * "[a, b]" for several, duplicates once). The caller frees. */
char *fd_sim_schema_aggregate(const json_t *causes);

#endif
