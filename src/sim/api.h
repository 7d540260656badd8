#ifndef FD_SIM_API_H
#define FD_SIM_API_H
/* sim/api.h: internals shared by the request handler's files. */

#include <jansson.h>
#include <stdbool.h>

#include "auth.h"
#include "resources.h"
#include "store.h"

struct fd_sim_api {
    struct fd_sim_store *store;
    struct fd_sim_auth *auth; /* NULL: everyone is an anonymous admin */
};

/* The discovery or OpenAPI document served at path (/version, /api,
 * /apis/..., /openapi/v3/...), a new reference; NULL when path is not one. */
json_t *fd_sim_discovery(const char *path);

/* A meta.k8s.io/v1 Table of the objects (a list's items, or one object)
 * with r's printer columns, as the server answers `Accept: ...;as=Table`. */
json_t *fd_sim_table(const struct fd_sim_resource *r, const json_t *objects, bool headers);

/* Converts a JSON/YAML document (text of n bytes) into jansson; for the
 * loader and YAML request bodies. */
json_t *fd_sim_yaml_parse(const char *text, size_t n, const char *name, char **err);

#endif
