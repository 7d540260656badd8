#ifndef FD_SIM_PROTO_H
#define FD_SIM_PROTO_H
/* sim/proto.h: decoding the protobuf bodies kubectl sends for built-in types. */

#include <jansson.h>
#include <stddef.h>

/* The object of kind want_kind ("Namespace" or "SelfSubjectAccessReview")
 * in body (n bytes of "k8s\0" + runtime.Unknown), as JSON: a Namespace's
 * metadata (name, generateName, namespace, selfLink, uid, resourceVersion,
 * labels, annotations, finalizers), spec.finalizers and status.phase; a
 * review's spec.resourceAttributes and spec.nonResourceAttributes. A new
 * reference; NULL and *err (the caller frees) when it is not one. */
json_t *fd_sim_proto_decode(const void *body, size_t n, const char *want_kind, char **err);

#endif
