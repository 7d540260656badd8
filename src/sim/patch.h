#ifndef FD_SIM_PATCH_H
#define FD_SIM_PATCH_H
/*
 * sim/patch.h: JSON merge patch (RFC 7386) and JSON patch (RFC 6902), the
 * two patch types the API server accepts for custom resources.
 */

#include <jansson.h>

/* target with the merge patch applied, as a new reference; target is not
 * changed (NULL target means null). Never fails: any JSON is a merge patch. */
json_t *fd_sim_merge_patch(const json_t *target, const json_t *patch);

/* doc with the JSON patch (an array of operations) applied, as a new
 * reference; doc is not changed. On error returns NULL and sets *err to a
 * message the caller frees; *bad is set when the patch itself is malformed
 * (a 400) rather than inapplicable to doc (a 422). */
json_t *fd_sim_json_patch(const json_t *doc, const json_t *patch, char **err, int *bad);

#endif
