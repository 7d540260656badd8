#ifndef FD_SIM_STATUS_H
#define FD_SIM_STATUS_H
/*
 * sim/status.h: Kubernetes `kind: Status` error objects, worded as
 * k8s.io/apimachinery/pkg/api/errors words them, so clients (kubectl,
 * client-go's errors.IsNotFound...) read them as from a real API server.
 * Every function returns a new jansson reference the caller owns.
 */

#include <jansson.h>

#include "freightdeck/util.h"
#include "resources.h"

/* A Failure Status: code, reason ("NotFound"), details (stolen; NULL for
 * none) and a printf message. */
json_t *fd_sim_status_new(int code, const char *reason, json_t *details, const char *fmt, ...)
    FD_PRINTF(4, 5);
/* details {name, group, kind: plural} as the server sends for a resource. */
json_t *fd_sim_status_details(const struct fd_sim_resource *r, const char *name);
json_t *fd_sim_status_not_found(const struct fd_sim_resource *r, const char *name);
json_t *fd_sim_status_already_exists(const struct fd_sim_resource *r, const char *name);
json_t *fd_sim_status_conflict(const struct fd_sim_resource *r, const char *name);
/* 422 Invalid with one cause: field ("metadata.name"), cause reason
 * ("FieldValueRequired") and message ("Required value: ..."). */
json_t *fd_sim_status_invalid(const struct fd_sim_resource *r, const char *name, const char *field,
                              const char *cause, const char *msg);
/* 422 Invalid with these causes (stolen; [{reason, message, field}]), the
 * message aggregating them as errors.NewInvalid does. */
json_t *fd_sim_status_invalid_causes(const struct fd_sim_resource *r, const char *name,
                                     json_t *causes);
/* Rewords status as the API server relays a denial by the webhook of r's
 * Kargo resource: 'admission webhook "<singular>.kargo.akuity.io" denied the
 * request: <message>'. Modifies status in place. */
void fd_sim_status_denied(json_t *status, const struct fd_sim_resource *r);
json_t *fd_sim_status_bad_request(const char *fmt, ...) FD_PRINTF(1, 2);
/* The HTTP code of a Status (500 when it has none). */
int fd_sim_status_code(const json_t *status);

#endif
