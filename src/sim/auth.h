#ifndef FD_SIM_AUTH_H
#define FD_SIM_AUTH_H
/*
 * sim/auth.h: bearer tokens and the three roles Kargo's project roles grant
 * (kargo-admin, kargo-promoter, kargo-viewer), with Kubernetes' 401/403.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "resources.h"

/* clang-format off */
#define FD_SIM_ROLE_TABLE(_)                                                                      \
    _(ADMIN, "admin", "everything")                                                               \
    _(PROMOTER, "promoter",                                                                       \
      "read; create promotions; approve freight; reverify/abort/refresh; abort/promote/retry "    \
      "rollouts")                                                                                 \
    _(VIEWER, "viewer", "get, list and watch")                                                   \
    _(CRD_VIEWER, "crd-viewer",                                                                   \
      "get, list and watch of the Kargo and Argo Rollouts kinds, namespaces and events only "     \
      "(no ReplicaSets)")
/* clang-format on */

enum fd_sim_role {
#define FD_SIM_ROLE_ENUM(id, name, help) FD_SIM_ROLE_##id,
    FD_SIM_ROLE_TABLE(FD_SIM_ROLE_ENUM)
#undef FD_SIM_ROLE_ENUM
        FD_SIM_ROLE__COUNT
};

struct fd_sim_user {
    char *token;
    char *name;
    enum fd_sim_role role;
};

struct fd_sim_auth {
    struct fd_sim_user *users;
    size_t n;
};

/* Reads a token file: one `TOKEN USER ROLE` per line; blank lines and lines
 * starting with '#' are skipped. Returns NULL on error with *err set to
 * "FILE:LINE: message" (the caller frees it). */
struct fd_sim_auth *fd_sim_auth_load(const char *path, char **err);
void fd_sim_auth_free(struct fd_sim_auth *a);
/* The user whose token the Authorization header ("Bearer TOKEN") carries;
 * NULL when it carries none or an unknown one. */
const struct fd_sim_user *fd_sim_auth_find(const struct fd_sim_auth *a, const char *authorization);
/* Whether role may do verb on r (subresource sub: NULL or "status"). */
bool fd_sim_auth_allowed(enum fd_sim_role role, const char *verb, const struct fd_sim_resource *r,
                         const char *sub);
/* The 403 Status for a refused request (name NULL for collections). */
json_t *fd_sim_auth_forbidden(const char *user, const char *verb, const struct fd_sim_resource *r,
                              const char *sub, const char *ns, const char *name);
/* The 401 Status. */
json_t *fd_sim_auth_unauthorized(void);

#endif
