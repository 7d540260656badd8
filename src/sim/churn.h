#ifndef FD_SIM_CHURN_H
#define FD_SIM_CHURN_H
/*
 * sim/churn.h: `freightdeck sim --churn N`, a steady stream of N changes per
 * wall-clock second for benchmarks: each change is a merge patch of one
 * annotation (sim.freightdeck.io/churn: a counter) on the next of the Stages,
 * Freight and AnalysisRuns loaded at start, round robin, through the store's
 * ordinary write path (decoding, validation, watch events), so every watcher
 * of those kinds receives N events a second.
 */

#include "store.h"

struct fd_sim_churn;

/* The most changes per second --churn takes. */
#define FD_SIM_CHURN_MAX 10000

/* Starts the stream over the objects in st now (none: the thread idles).
 * rate is 1 to FD_SIM_CHURN_MAX. Never NULL. */
struct fd_sim_churn *fd_sim_churn_start(struct fd_sim_store *st, int rate);
/* Stops the thread and frees it; NULL is ignored. */
void fd_sim_churn_stop(struct fd_sim_churn *ch);

#endif
