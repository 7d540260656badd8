#ifndef FD_SIM_NAMES_H
#define FD_SIM_NAMES_H
/*
 * sim/names.h: the names Kargo and Argo Rollouts give objects, as pure
 * functions so the emulated controllers and the unit tests share them:
 * Freight IDs (SHA-1 of origin and artifacts, Freight.GenerateID), ULIDs,
 * Promotion and verification AnalysisRun names, Freight aliases and pod
 * template hashes.
 */

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* SHA-1 of n bytes as 40 lowercase hex digits and a NUL. None of the
 * project's libraries exposes a digest, so this small one lives here. */
void fd_sim_sha1_hex(const void *data, size_t n, char out[41]);

/* A ULID (26 characters of Crockford base32 and a NUL) for time ms and 80
 * random bits taken from *rng (advanced); upper case as ulid.Make() prints. */
void fd_sim_ulid(int64_t ms, uint64_t *rng, char out[27]);

/* Freight.GenerateID for a Freight object (origin, commits, images,
 * charts): sha1("<Kind>/<name>:" + sorted artifact strings joined by "|").
 * The caller frees the result. */
char *fd_sim_freight_id(const json_t *freight);

/* `<prefix>.<ulid>.<suffix[:7]>` in lower case, with the prefix cut so the
 * name fits 253 characters (Kargo's GeneratePromotionName and the
 * verification AnalysisRun name). The caller frees the result. */
char *fd_sim_kargo_name(const char *prefix, const char *ulid, const char *suffix);

/* An "adjective-animal" alias chosen by seed (Kargo's alias generator
 * style, e.g. "wonky-wombat"). The caller frees the result. */
char *fd_sim_alias(uint64_t seed);

/* A pod-template-hash style string (10 characters of Kubernetes' safe
 * alphabet) for a JSON value; deterministic. */
void fd_sim_pod_hash(const json_t *template, char out[11]);

/* splitmix64: the deterministic generator behind --seed. */
uint64_t fd_sim_rand(uint64_t *state);
/* A double in [0, 1) from the generator. */
double fd_sim_rand01(uint64_t *state);

#endif
