#ifndef FD_SIM_PROTO_H
#define FD_SIM_PROTO_H
/* sim/proto.h: decoding the protobuf body of a Namespace create. */

#include <jansson.h>
#include <stddef.h>

/* The Namespace in body (n bytes of "k8s\0" + runtime.Unknown), as JSON
 * (metadata name/generateName/namespace/selfLink/uid/resourceVersion, labels,
 * annotations, finalizers; spec.finalizers; status.phase), a new reference.
 * NULL and *err (the caller frees) when it is not one. */
json_t *fd_sim_proto_namespace(const void *body, size_t n, char **err);

#endif
