#ifndef FD_SIM_CTL_KARGO_H
#define FD_SIM_CTL_KARGO_H
/* sim/ctl_kargo.h: what the emulated Kargo controllers (ctl_kargo*.c) share:
 * the annotations they honour, a Promotion's progress, small JSON getters,
 * conditions, and each controller's pass. */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctl.h"

#define ANN_REFRESH  "kargo.akuity.io/refresh"
#define ANN_REVERIFY "kargo.akuity.io/reverify"
#define ANN_ABORT    "kargo.akuity.io/abort"
#define HISTORY_MAX  10

struct fd_sim_promo_state {
    char *key; /* ns/name */
    int64_t step_started;
    int64_t step;
    bool seen;
};

/* ---- ctl_kargo.c: conditions and the refresh annotation ---------------- */
/* A deep copy of obj's status, or a new empty object. */
json_t *fd_sim_kargo_status_copy(const json_t *obj);
/* Records obj's refresh token as status.lastHandledRefresh. */
void fd_sim_kargo_ack_refresh(const json_t *obj, json_t *status);
/* Sets condition `type` of status (lastTransitionTime moves when cstatus changes). */
void fd_sim_kargo_set_condition(struct fd_sim_ctl *ctl, json_t *status, const char *type,
                                const char *cstatus, const char *reason, const char *message,
                                int64_t gen, int64_t now);
void fd_sim_kargo_del_condition(json_t *status, const char *type);
/* Condition `type`'s status (NULL: none), and the condition in *cond if cond. */
const char *fd_sim_kargo_condition_status(const json_t *status, const char *type,
                                          const json_t **cond);

/* ---- each controller's pass ------------------------------------------------ */
/* ctl_kargo_warehouses.c: Warehouses discover versions and make Freight. */
/* Each controller's pass visits the namespaces of vis. */
void fd_sim_kargo_warehouses(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis, int64_t now);
/* ctl_kargo_promotions.c: Promotions run their steps. */
void fd_sim_kargo_promotions(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis, int64_t now);
bool fd_sim_kargo_terminal_promo(const char *phase);
/* ctl_kargo_verify.c: a Stage's verification of its current Freight. */
void fd_sim_kargo_verify(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st, bool healthy,
                         bool promoting, int64_t now);
/* ctl_kargo_stages.c: Stages: health, verification, auto-promotion, conditions. */
void fd_sim_kargo_stages(struct fd_sim_ctl *ctl, const struct fd_sim_nsset *vis, int64_t now);

#endif /* FD_SIM_CTL_KARGO_H */
