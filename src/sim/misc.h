#ifndef FD_SIM_MISC_H
#define FD_SIM_MISC_H
/* sim/misc.h: identifiers and timestamps for the simulated server. */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* jansson's iteration macros take json_t *; read-only walks over a const
 * value go through this instead of a cast. */
static inline json_t *fd_sim_mut(const json_t *j)
{
    union {
        const json_t *c;
        json_t *m;
    } u = {j};
    return u.m;
}

/* A random UUID v4 into out (37 bytes with the NUL). */
/* JSON getters the sim's files share. o[key] as a string: NULL when o is
 * not an object, or key is absent or not a string. */
const char *fd_sim_str(const json_t *o, const char *key);
/* obj.metadata[field] as a string, or NULL. */
const char *fd_sim_meta(const json_t *obj, const char *field);
/* obj.metadata.annotations[key] as a string, or NULL. */
const char *fd_sim_annotation(const json_t *obj, const char *key);
/* obj[key] as an object, created (empty) when missing or not an object. */
json_t *fd_sim_child(json_t *obj, const char *key);

void fd_sim_uuid(char out[37]);
/* Now as RFC 3339 in UTC with seconds ("2026-01-02T03:04:05Z"), 21 bytes. */
void fd_sim_now_rfc3339(char out[21]);
/* n random characters from the alphabet Kubernetes uses for generateName
 * suffixes (no vowels, so no words), NUL-terminated into out[n + 1]. */
void fd_sim_random_suffix(char *out, size_t n);

#endif
