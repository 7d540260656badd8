#ifndef FD_SIM_CTL_H
#define FD_SIM_CTL_H
/*
 * sim/ctl.h: the emulated controllers (Kargo, Argo Rollouts, AnalysisRuns)
 * and what they share: the scenario clock, the deterministic generator, the
 * scenario's model of each version, and the fault and metrics hooks the HTTP
 * layer calls.
 *
 * One controller thread runs every controller in turn ("a pass") under the
 * store's lock. A pass is due after a change that one of them reads (not a
 * write of an annotation or an alias they ignore: ctl_dirty.c) and while a
 * timer runs, and each controller visits only the namespaces changed since
 * its last visit, and those its timers are in, as a real controller
 * reconciles only what its informers report; it lets the lock go between
 * namespaces, so that API requests do not wait for a whole pass. The logic
 * of a pass is plain functions over the store and a clock, so unit tests
 * drive passes by hand with a clock they set.
 */

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "freightdeck/analysis.h"
#include "scenario.h"
#include "store.h"

/* ---- clock.c ---------------------------------------------------------- */
/* Scenario time runs `speed` times faster than the wall clock. Durations in
 * objects (intervals, pauses) are scenario time; timestamps written to
 * objects are wall-clock (the moment the scenario event happened). */
struct fd_sim_clock {
    int64_t wall0; /* wall ms at the start */
    int64_t mono0; /* monotonic ms at the start */
    double speed;
    int64_t manual; /* >= 0: a fixed scenario offset (tests); -1: live */
};

void fd_sim_clock_init(struct fd_sim_clock *c, double speed);
/* Stops c being the process's clock (fd_sim_now_ms) before it is freed. */
void fd_sim_clock_release(const struct fd_sim_clock *c);
/* Scenario time in ms (wall0 + elapsed * speed). */
int64_t fd_sim_clock_now(const struct fd_sim_clock *c);
/* Scenario ms since the start. */
int64_t fd_sim_clock_elapsed(const struct fd_sim_clock *c);
/* The wall-clock ms at which scenario time t happens. */
int64_t fd_sim_clock_wall(const struct fd_sim_clock *c, int64_t t);
/* RFC 3339 (seconds, UTC) of the wall-clock time of scenario time t; the
 * caller frees it. */
char *fd_sim_clock_stamp(const struct fd_sim_clock *c, int64_t t);

/* ---- what each controller must visit (ctl_dirty.c) --------------------- */
/* The controllers of a pass, in the order they run. */
enum fd_sim_part {
    FD_SIM_PART_WAREHOUSES,
    FD_SIM_PART_PROMOTIONS,
    FD_SIM_PART_STAGES,
    FD_SIM_PART_ROLLOUTS,
    FD_SIM_PART_ANALYSIS,
    FD_SIM_PART__COUNT
};

/* Orders namespaces as the store orders the keys "namespace/name" of its
 * objects (so "a-b" before "a"); 0 when equal. */
int fd_sim_ns_cmp(const char *a, const char *b);

/* A set of namespaces, in fd_sim_ns_cmp order; `all` stands for every
 * namespace. */
struct fd_sim_nsset {
    char **v;
    size_t n;
    bool all;
};

/* Adds ns (copied) to the set; NULL or "" (a cluster-scoped object) makes it
 * every namespace. */
void fd_sim_nsset_add(struct fd_sim_nsset *s, const char *ns);
/* Removes ns from a set of named namespaces (nothing when it is not there). */
void fd_sim_nsset_remove(struct fd_sim_nsset *s, const char *ns);
/* Whether the set holds ns (always, when it is every namespace). */
bool fd_sim_nsset_has(const struct fd_sim_nsset *s, const char *ns);
/* Empties the set (frees its names). */
void fd_sim_nsset_clear(struct fd_sim_nsset *s);

/* ---- the controller context (ctl.c) ----------------------------------- */
struct fd_sim_subject {
    char *key;     /* "ns/name" of an AnalysisRun */
    char *version; /* the image tag it measures */
};

struct fd_sim_ar_state; /* ctl_analysis.c */
struct fd_sim_promo_state;
struct fd_sim_ro_state;

struct fd_sim_ctl {
    struct fd_sim_store *st;
    struct fd_sim_scenario *sc;
    struct fd_sim_clock clock;
    uint64_t rng;
    uint64_t seed;
    const char *prometheus; /* measure through this Prometheus, or NULL */
    /* ctl_kargo*.c */
    size_t next_arrival;
    struct fd_sim_promo_state *promos;
    size_t n_promos;
    /* ctl_rollouts.c */
    struct fd_sim_ro_state *ros;
    size_t n_ros;
    /* ctl_analysis.c */
    struct fd_sim_ar_state *ars;
    size_t n_ars;
    struct fd_sim_subject *subjects;
    size_t n_subjects;
    /* metrics.c: request counters per binding, [ok, 5xx] */
    double (*requests)[2];
    int64_t metrics_at; /* scenario time of the last accumulation */
    /* Set by a pass when a timer runs (a step, a pause, a measurement
     * interval, an arrival): the next pass is due without any change. */
    bool busy;
    /* ctl_dirty.c: the namespaces each controller visits on its next run
     * (changed since its last one, or holding one of its timers), fed by the
     * store's observer under the store's lock; the namespaces whose Stages
     * auto-promote (their Freight's every write matters); and whether the
     * observer could not be installed (then every run visits everything). */
    struct fd_sim_nsset dirty[FD_SIM_PART__COUNT];
    struct fd_sim_nsset auto_ns;
    bool untracked;
    /* the thread */
    pthread_t thread;
    bool running;
    bool stop;
};

/* A controller context over st playing sc (borrowed, kept) at speed.
 * Installs the Kargo admission hook on st. Never NULL. */
struct fd_sim_ctl *fd_sim_ctl_new(struct fd_sim_store *st, struct fd_sim_scenario *sc, double speed,
                                  uint64_t seed);
/* Runs one pass of every controller at the clock's time (takes the lock). */
void fd_sim_ctl_pass(struct fd_sim_ctl *ctl);
/* Starts and stops the controller thread. */
void fd_sim_ctl_start(struct fd_sim_ctl *ctl);
/* Stops the thread if running, removes the admission hook, frees. */
void fd_sim_ctl_free(struct fd_sim_ctl *ctl);

/* Records which version an AnalysisRun measures. */
void fd_sim_ctl_set_subject(struct fd_sim_ctl *ctl, const char *ns, const char *name,
                            const char *version);
const char *fd_sim_ctl_subject(const struct fd_sim_ctl *ctl, const char *ns, const char *name);

/* ---- ctl_dirty.c ---------------------------------------------------------- */
/* Installs the store observer that feeds ctl->dirty (every controller starts
 * with every namespace to visit); fd_sim_ctl_untrack removes it. A write
 * wakes no controller when it changed only what none of them reads: the
 * resourceVersion, managedFields, annotations outside kargo.akuity.io/ (of
 * Kargo's kinds and AnalysisRuns), a Freight's alias, labels and generation; but every
 * write of a Freight in a namespace of auto_ns does (auto-promotion orders
 * Freight by resourceVersion last). */
void fd_sim_ctl_track(struct fd_sim_ctl *ctl);
void fd_sim_ctl_untrack(struct fd_sim_ctl *ctl);
/* Whether a change happened that a controller must see (the store's lock
 * held). */
bool fd_sim_ctl_dirty(const struct fd_sim_ctl *ctl);
/* Moves what controller `part` must visit now into *out (the caller frees it
 * with fd_sim_nsset_clear); its set starts again empty. */
void fd_sim_ctl_take(struct fd_sim_ctl *ctl, enum fd_sim_part part, struct fd_sim_nsset *out);
/* Makes controller `part` visit ns on its next run (one of its timers is
 * there). */
void fd_sim_ctl_schedule(struct fd_sim_ctl *ctl, enum fd_sim_part part, const char *ns);
/* The objects of kind id in the namespaces of vis, in namespace/name order:
 * a list object (iterate its "items", shared: never modify them). */
json_t *fd_sim_ctl_list_visit(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id,
                              const struct fd_sim_nsset *vis);
/* Lets the store's lock go for a moment (between namespaces of a pass), so
 * that waiting API requests run. */
void fd_sim_ctl_yield(struct fd_sim_ctl *ctl);

/* Store helpers for the controllers: get (copy; NULL when missing), list
 * (the list object; iterate its "items"), write back status or the whole
 * object only when it changed. */
json_t *fd_sim_ctl_get(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const char *ns,
                       const char *name);
json_t *fd_sim_ctl_list(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const char *ns);
/* Replaces .status of the stored object (by obj's namespace/name) with status
 * (borrowed) when it differs. Returns true when it wrote. */
bool fd_sim_ctl_put_status(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const json_t *obj,
                           const json_t *status);
/* Writes obj (borrowed, a modified copy of the stored one) when it differs. */
bool fd_sim_ctl_put(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const json_t *obj);
/* Creates obj in ns as the system; returns the stored copy or NULL (logged). */
json_t *fd_sim_ctl_create(struct fd_sim_ctl *ctl, enum fd_sim_resource_id id, const char *ns,
                          const json_t *obj);

/* ---- the controllers --------------------------------------------------- */
/* Each visits what fd_sim_ctl_take gives it for its kinds. */
void fd_sim_kargo_pass(struct fd_sim_ctl *ctl, int64_t now);
void fd_sim_rollouts_pass(struct fd_sim_ctl *ctl, int64_t now);
void fd_sim_analysis_pass(struct fd_sim_ctl *ctl, int64_t now);
void fd_sim_kargo_free(struct fd_sim_ctl *ctl);
void fd_sim_rollouts_free(struct fd_sim_ctl *ctl);
void fd_sim_analysis_free(struct fd_sim_ctl *ctl);

/* ---- admit_kargo.c ----------------------------------------------------- */
/* The admission hook (Kargo's webhooks); ud is the fd_sim_ctl. */
json_t *fd_sim_kargo_admit(void *ud, enum fd_sim_op op, const struct fd_sim_resource *res,
                           const struct fd_sim_write *w, const json_t *old, json_t *obj);
/* Stage.IsFreightAvailable: approved for the Stage, or from a requested
 * origin and (direct, or verified in an upstream source Stage). */
bool fd_sim_freight_available(const json_t *stage, const json_t *freight);

/* ---- pure Argo Rollouts canary logic (ctl_rollouts.c) ------------------- */
/* GetCurrentSetWeight: 0 when aborted; 100 when there is no current step
 * (index >= number of steps); else the last setWeight at or before index. */
int fd_sim_canary_set_weight(const json_t *steps, int64_t index, bool aborted);

/* ---- metrics.c: the scenario's model ------------------------------------ */
enum fd_sim_signal { FD_SIM_SIGNAL_SUCCESS_RATE, FD_SIM_SIGNAL_ERROR_RATE };
/* Which signal a metric measures: its query selecting 5xx statuses
 * (status=~"5..") or a name with "error" means the error rate. */
enum fd_sim_signal fd_sim_metric_signal(const struct fd_analysis_metric *m);
/* The model's value of a signal for a version tag (unknown: success 0.99),
 * with deterministic noise from key and t. */
double fd_sim_model_value(const struct fd_sim_ctl *ctl, const char *version, enum fd_sim_signal sig,
                          const char *key, int64_t t);
/* The image tag a Rollout runs for traffic now: the canary's while a canary
 * is in progress, else the stable one; NULL when unknown. The caller frees. */
char *fd_sim_rollout_version(struct fd_sim_ctl *ctl, const char *ns, const char *rollout);
/* Accumulates the request counters up to scenario time now. */
void fd_sim_metrics_advance(struct fd_sim_ctl *ctl, int64_t now);

/* ---- the process-wide hooks the HTTP layer calls (hooks.c) -------------- */
/* Sets the controller whose counters /metrics serves (NULL: none). */
void fd_sim_hooks_set_ctl(struct fd_sim_ctl *ctl);

#endif
