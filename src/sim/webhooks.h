#ifndef FD_SIM_WEBHOOKS_H
#define FD_SIM_WEBHOOKS_H
/* sim/webhooks.h: Kargo's validating webhooks that need no controller. */

#include <jansson.h>

#include "resources.h"
#include "store.h"

/* Kargo v1.11.2's validating webhook for r over obj (the object about to be
 * stored), called by the store under its lock after schema validation.
 * Returns NULL to admit, or a Status the caller owns, worded as the API
 * server relays a webhook's denial ('admission webhook "stage.kargo.akuity.io"
 * denied the request: ...'). A Project's create makes its namespace here. */
json_t *fd_sim_webhooks_validate(struct fd_sim_store *st, enum fd_sim_op op,
                                 const struct fd_sim_resource *r, const struct fd_sim_write *w,
                                 const json_t *obj);

#endif
