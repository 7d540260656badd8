#ifndef FD_SIM_SCENARIO_H
#define FD_SIM_SCENARIO_H
/*
 * sim/scenario.h: what `freightdeck sim --scenario` plays. A scenario file is
 * a multi-document YAML stream: Kubernetes objects (Projects, Stages,
 * Warehouses, Rollouts, AnalysisTemplates...) loaded into the store, and one
 * document of kind Scenario (apiVersion sim.freightdeck.io/v1alpha1) that
 * says how fast time runs, which versions arrive when, how each version
 * behaves (its success rate) and which Rollout and service serve each Stage.
 * See scenarios/payments.yaml for the annotated reference.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct fd_sim_version {
    char *tag;
    double success_rate; /* fraction of requests answered without a 5xx */
    bool healthy;        /* health checks (Job metrics) pass */
};

/* A new version the Warehouse discovers at a given scenario time. */
struct fd_sim_arrival {
    int64_t at_ms; /* scenario time since the start */
    char *ns;
    char *warehouse;
    char *repo; /* image repository */
    char *tag;
};

/* Which Rollout and service carry a Stage's Freight. */
struct fd_sim_binding {
    char *ns;
    char *stage;
    char *rollout; /* NULL when the Stage has none */
    char *service; /* the `service` label of http_requests_total */
    double rps;    /* requests per second the service receives */
};

struct fd_sim_scenario {
    char *name;
    char *description;
    double speed; /* default --speed */
    double noise; /* +/- amplitude added to measured values */
    struct fd_sim_version *versions;
    size_t n_versions;
    struct fd_sim_arrival *arrivals; /* sorted by at_ms */
    size_t n_arrivals;
    struct fd_sim_binding *bindings;
    size_t n_bindings;
    json_t *objects; /* array of the objects to load */
    bool generated;  /* objects made by scale:N, not read from a file (see
                      * fd_sim_write.generated) */
};

/* The built-in scenario names, NULL-terminated ("payments" first: the
 * default). */
extern const char *const fd_sim_scenario_builtin[];

/* Loads a built-in scenario by name, or else a scenario file. Returns the
 * scenario (free with fd_sim_scenario_free), or NULL with *err set (caller
 * frees): "FILE:LINE:COL: message" for a file's errors. */
struct fd_sim_scenario *fd_sim_scenario_load(const char *name_or_file, char **err);
/* Parses scenario text (len bytes); name labels errors. Same contract. */
struct fd_sim_scenario *fd_sim_scenario_parse(const char *text, size_t len, const char *name,
                                              char **err);
/* The generated `scale:N` scenario: `freight` Freight (1 to
 * FD_SIM_SCALE_MAX) in 3 projects per 1,000 (at least one), each with a
 * Warehouse and a pipeline of 10 Stages, and freight/5 completed
 * AnalysisRuns with measurements. `scale` is scale:10000 (30 projects, 300
 * Stages, 2,000 AnalysisRuns). Never NULL. */
#define FD_SIM_SCALE_DEFAULT 10000L
#define FD_SIM_SCALE_MAX     200000L
struct fd_sim_scenario *fd_sim_scenario_scale(long freight);
/* Parses the N of "scale:N" (the text after the colon). Returns N, or -1
 * with *err set (caller frees) naming the scenario and the bounds. */
long fd_sim_scenario_scale_size(const char *what, const char *n, char **err);
void fd_sim_scenario_free(struct fd_sim_scenario *sc);

/* Creates the scenario's objects in the store (namespaces as needed, status
 * kept), moving them: sc->objects is empty afterwards. Returns true, or false
 * with *err = "SCENARIO: object N (Kind/name): message" (caller frees). */
bool fd_sim_scenario_apply(struct fd_sim_scenario *sc, struct fd_sim_store *st, char **err);

/* The version with this tag, or NULL. */
const struct fd_sim_version *fd_sim_scenario_version(const struct fd_sim_scenario *sc,
                                                     const char *tag);
/* The binding of a Stage, a Rollout or a service (NULL arguments are not
 * compared), or NULL. */
const struct fd_sim_binding *fd_sim_scenario_binding(const struct fd_sim_scenario *sc,
                                                     const char *ns, const char *stage,
                                                     const char *rollout, const char *service);

/* The embedded scenario texts (generated from the scenario YAML files at build
 * time by build-aux/embed.sh into scenario_data.c). */
struct fd_sim_embedded {
    const char *name;
    const char *text;
};
extern const struct fd_sim_embedded fd_sim_embedded_scenarios[];

#endif
