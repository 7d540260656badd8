#ifndef FREIGHTDECK_TUI_CONSOLE_H
#define FREIGHTDECK_TUI_CONSOLE_H
/*
 * console: the state the console's panes read (src/tui/view-pipeline.c,
 * view-freight.c, view-stage.c, dialog.c) and what feeds it: the model store
 * filled by the live client (or by files, for tests), the snapshot the UI
 * thread holds, the derived pipeline and attention list, per-cluster
 * connection state, the console settings, and the actions in flight.
 *
 * Threads: everything here belongs to the UI thread except the fields under
 * `lock` (results of actions finished on the network thread).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "freightdeck/analysis.h"
#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"
#include "freightdeck/tui.h"
#include "glyph.h"
#include "ui.h"

#define FD_TUI_CONSOLE_MAGIC 0xfdc0501eu

/* One cluster connection as the header shows it. conns[0] is the Kargo
 * context and fills the console's store; every other context the config
 * file names for the project's Stages (doc/config.md) has its own client
 * watching only Rollouts and AnalysisRuns, and its own store, so objects
 * of different clusters never share a key. */
struct fd_tui_console_conn {
    char *name;               /* the context */
    struct fd_client *client; /* NULL: data from files */
    enum fd_client_conn state;
    int64_t stale_since;
    unsigned attempt;
    char error[512];
    /* Workload contexts only (NULL in conns[0], which uses c->store). */
    struct fd_kube_config *cfg;   /* owned */
    struct fd_model_store *store; /* owned */
    struct fd_model_snapshot *snap;
    uint64_t gen;
};

#define FD_TUI_CONSOLE_MAX_CONNS 8

/* A finished action, handed from the network thread to the UI thread. */
struct fd_tui_console_done {
    unsigned long id;
    enum fd_client_outcome outcome;
    long http_status;
    char *message;
    char *created;
    enum fd_client_resolution resolution; /* UNKNOWN: what reading it back said */
    char *resolution_text;
    int64_t stamped_at; /* a plan with FD_MODEL_SEND_TIME: the time put there; else 0 */
    struct fd_tui_console_done *next;
};

struct fd_tui_console {
    uint32_t magic;
    const struct fd_tui_console_options *opt;
    struct fd_tui *ui; /* while running */
    struct fd_model_store *store;
    size_t store_cap; /* objects of a kind the store holds (FREIGHTDECK_STORE_CAP) */
    /* Offline (--load): every object the files held, ConfigMaps and Secrets
     * the store keeps no kind for included, as read (owned; never changed
     * after the start, so the what-if's worker reads it under a reference of
     * its own). NULL when the console reads a cluster. */
    json_t *loaded;
    struct fd_model_snapshot *snap;
    uint64_t gen;
    /* The Kargo cluster's kinds listed at least once (bit 1 << kind), read
     * just before snap was taken or found current: their lists are in snap,
     * so "none" drawn from snap is true (fd_tui_console_listed). */
    uint64_t listed;
    /* The same in every namespace (the lists of all projects, :runs). */
    uint64_t listed_all;
    struct fd_model_pipeline *pipe;
    struct fd_model_attention *att;
    size_t n_att;
    char *project; /* the namespace shown */
    char *context, *user;
    struct fd_tui_console_conn conns[FD_TUI_CONSOLE_MAX_CONNS];
    size_t n_conns;
    struct fd_client_fleet *fleet;
    /* The Kargo context's config (borrowed from the options, or own_cfg
     * after :ctx) and the namespace its client watches (NULL: all). */
    struct fd_kube_config *cfg, *own_cfg;
    char *watch_ns;
    char *scope_error; /* the last refusal of :ctx/:project/:stage */

    /* Settings (command line over the config file's `console:` section). */
    bool readonly;
    bool insecure;      /* a context skips TLS verification: the header says so */
    bool force;         /* --force: what a check or RBAC refuses can still be sent */
    char *readonly_why; /* "--readonly", "config: contexts.X.readonly" */
    char **production;  /* glob patterns of Stage names; default "prod*" */
    size_t n_production;
    bool bell, osc9;

    /* Waiting-for-a-human keys already announced (fire once each). */
    char **announced;
    size_t n_announced;
    bool first_attention; /* the first list is the starting state: no bell */
    /* The project whose config-file Stages were checked against Kargo's
     * (a mapped Stage Kargo lacks is warned about once, with its file:line). */
    char *fleet_checked;
    unsigned long notifications;

    /* Actions. */
    pthread_mutex_t lock;
    struct fd_tui_console_done *done; /* under lock */
    unsigned long next_action, in_flight;
    uint64_t last_done_ms; /* for is_busy: let the watch event arrive */
    uint64_t gen_at_done;
    struct fd_tui_wake *wake;
    bool changed; /* under lock: the client reported a change */

    char *selected_stage; /* for the stage view's open() */
    /* The what-if view's Prometheus: --prometheus over console.prometheus;
     * NULL: each template's own address. */
    char *prometheus, *prometheus_from;
    /* Which expr release judges: --expr-version, else argoRollouts.exprVersion,
     * else the Kargo cluster's argo-rollouts image tag, read by a thread of
     * its own, else 1.17. Under lock while expr_detecting. */
    struct fd_analysis_expr_choice expr;
    bool expr_detecting;
    bool expr_quit; /* under lock: stop the detection (teardown) */
    bool expr_thread_started;
    pthread_t expr_thread;
    unsigned long jobs;                           /* what-if dry runs in flight (UI thread only) */
    struct fd_tui_console_dialog *pending_dialog; /* for the dialog's open() */
};
struct fd_tui_console_dialog;

/* The expr release that judges now (a copy taken under the lock). */
struct fd_analysis_expr_choice fd_tui_console_expr(struct fd_tui_console *c);

/* The console behind ui, or NULL when the views run without one (the
 * foundation's test driver). */
struct fd_tui_console *fd_tui_console_of(struct fd_tui *ui);
/* The console's clock (fixed in tests), epoch seconds. */
int64_t fd_tui_console_now(const struct fd_tui_console *c);
/* Whether Stage name is production (typed confirmation). */
bool fd_tui_console_is_production(const struct fd_tui_console *c, const char *stage);
/* The Stage / Freight / Warehouse object named name in the project, or NULL. */
const struct fd_model_object *fd_tui_console_find(const struct fd_tui_console *c,
                                                  enum fd_model_kind kind, const char *name);
/* The Freight named name or with that alias, or NULL. */
const struct fd_model_object *fd_tui_console_freight(const struct fd_tui_console *c,
                                                     const char *name);
/* The Rollouts behind a Stage; *out is a new array of borrowed objects
 * (free the array only). Returns the count. */
size_t fd_tui_console_rollouts(const struct fd_tui_console *c, const char *stage,
                               const struct fd_model_object ***out);
/* The connection of the context where Stage stage's Rollouts run (by the
 * config file's mapping; conns[0], the Kargo one, by default). Never NULL
 * once the console runs with a connection; NULL without any. Borrowed. */
const struct fd_tui_console_conn *fd_tui_console_stage_conn(const struct fd_tui_console *c,
                                                            const char *stage);
/* The snapshot of conn's store (c->snap for conns[0]); may be NULL. */
const struct fd_model_snapshot *fd_tui_console_conn_snap(const struct fd_tui_console *c,
                                                         const struct fd_tui_console_conn *conn);
/* The attention items about Stage stage (NULL: all) as a short text for a
 * mark ("waits: promote brave-falcon"); NULL when none. Borrowed. */
const struct fd_model_attention *fd_tui_console_attention_for(const struct fd_tui_console *c,
                                                              const char *stage);
/* The keys that act on an attention item ("P promotes, A aborts"). Static. */
const char *fd_tui_console_attention_keys(enum fd_model_attention_kind k);
/* Opens the whole list of what waits for a human. */
void fd_tui_console_open_waits(struct fd_tui *ui);
extern const struct fd_tui_view_ops fd_tui_view_waits;
/* Opens Stage stage's Promotion and Freight history (a message when there
 * is no such Stage). */
void fd_tui_console_open_history(struct fd_tui *ui, const char *stage);
extern const struct fd_tui_view_ops fd_tui_view_history;
/* Opens the detail of Stage stage's Rollouts (a message when there is no
 * such Stage). */
void fd_tui_console_open_rollout(struct fd_tui *ui, const char *stage);
extern const struct fd_tui_view_ops fd_tui_view_rollout;
/* Opens the Kubernetes Events of Stage stage and its Rollouts (read once,
 * through the client; a message when there is no such Stage). */
void fd_tui_console_open_events(struct fd_tui *ui, const char *stage);
/* Whether an Events pane waits for its answer. */
bool fd_tui_console_events_busy(struct fd_tui *ui);
extern const struct fd_tui_view_ops fd_tui_view_events;
/* :rollouts / :runs: every Rollout or AnalysisRun watched, over the pipeline. */
void fd_tui_console_open_objects(struct fd_tui *ui, enum fd_model_kind kind);
extern const struct fd_tui_view_ops fd_tui_view_rollouts;
extern const struct fd_tui_view_ops fd_tui_view_runs;
/* Opens one AnalysisRun (found in any cluster's snapshot). */
void fd_tui_console_open_run(struct fd_tui *ui, const char *ns, const char *name);
extern const struct fd_tui_view_ops fd_tui_view_run;
/* The project's Freight, newest first as Kargo orders them
 * (fd_model_freight_newest_first); *out is a new array (free it only). */
size_t fd_tui_console_freight_list(const struct fd_tui_console *c,
                                   const struct fd_model_object ***out);

/* What the panes show of a Stage. */
struct fd_tui_console_stage_info {
    const struct fd_model_object *obj;
    const struct fd_model_stage *st; /* NULL when undecodable */
    enum fd_model_stage_phase phase;
    const struct fd_model_freight_ref *cur; /* current Freight, or NULL */
    const struct fd_model_object *freight;  /* its object, or NULL */
    const char *alias;                      /* or the short name; "" */
    char version[64];
    const struct fd_model_verification *ver; /* latest of the current Freight */
    const char *ver_phase;                   /* fd_model_stage_verification_phase, or NULL */
    int64_t since;                           /* in the Stage since (0 unknown) */
    bool autopromo, prod;
    const struct fd_model_attention *att; /* waits for a human */
};
/* When the console's store dropped objects of kind over its cap (the list
 * shown is not all of them): "showing 50,000 of 100,000 Freight (limit)"
 * in buf, returned; the total is what the server listed and announced
 * since. NULL when every object of the kind is held. */
const char *fd_tui_console_capped(const struct fd_tui_console *c, enum fd_model_kind kind,
                                  char *buf, size_t size);
void fd_tui_console_stage_info(const struct fd_tui_console *c, const struct fd_model_object *stage,
                               struct fd_tui_console_stage_info *out);

/* ---- Within the console's own files (console*.c) ------------------------- */
/* console.c: rebuilds the derived pipeline and attention list after a new
 * snapshot; true when anything changed. */
bool fd_tui_console_refresh_model(struct fd_tui_console *c);
/* console.c: stops a connection's client and frees what it holds; zeroes it. */
void fd_tui_console_conn_free(struct fd_tui_console_conn *conn);
/* console.c: starts the clients of the Rollouts' clusters and of Kargo's.
 * FD_OK, or a status with *err (caller frees). */
enum fd_status fd_tui_console_start_workloads(struct fd_tui_console *c, char **err);
enum fd_status fd_tui_console_start_kargo(struct fd_tui_console *c, char **err);
/* console-settings.c: applies the console: section of the config file to c.
 * NULL, or the message (caller frees). */
struct fd_config;
char *fd_tui_console_load_settings(struct fd_tui_console *c, struct fd_config *conf);
/* console-scope.c: the :ctx, :project and :stage commands (fd_tui's on_scope). */
const char *fd_tui_console_on_scope(void *ctx, const char *what, const char *value);

/* ---- Formatting shared by the panes --------------------------------------- */
/* "12s", "5m", "3h12m", "2d4h"; "-" for negative. Into buf. */
const char *fd_tui_console_age(int64_t seconds, char *buf, size_t size);
/* The age of since (epoch s) now, as fd_tui_console_age, and a redraw at the
 * moment that text changes ("12s" next second, "5m" next minute): ages on
 * screen tick, and only their cells are sent to the terminal. No timer with
 * a fixed clock (tests). Into buf. */
const char *fd_tui_console_age_since(struct fd_tui *ui, const struct fd_tui_console *c,
                                     int64_t since, char *buf, size_t size);
/* The version to show for Freight artifacts: the first image tag, else the
 * commit tag or short id, else the chart version; "" when none. Borrowed. */
const char *fd_tui_console_version(const struct fd_model_artifacts *a, char *buf, size_t size);
/* Glyph and role of an analysis / verification phase name. */
enum fd_tui_glyph fd_tui_console_phase_glyph(const char *phase);
enum fd_tui_role fd_tui_console_phase_role(const char *phase);
enum fd_tui_role fd_tui_console_stage_phase_role(enum fd_model_stage_phase p);

/* ---- Actions (dialog.c) --------------------------------------------------- */
/* Opens the dialog for request req in the context of the focused pane:
 * stage (may be NULL), freight (may be NULL; for approve/promote it may be
 * chosen in the dialog). Shows why when the action is not available. */
void fd_tui_console_action_dialog(struct fd_tui *ui, enum fd_tui_req req, const char *stage,
                                  const char *freight);
/* Sends a plan (ownership taken) through conn's client (a Rollout's action
 * goes to the context the Rollout runs in; conn NULL means conns[0]).
 * Returns the action id, 0 when it could not be sent (*why set, borrowed). */
unsigned long fd_tui_console_send_to(struct fd_tui_console *c,
                                     const struct fd_tui_console_conn *conn,
                                     struct fd_model_action_plan *plan, const char **why);
/* Takes the finished action with that id, or NULL (caller frees with
 * fd_tui_console_done_free). */
struct fd_tui_console_done *fd_tui_console_take_done(struct fd_tui_console *c, unsigned long id);
void fd_tui_console_done_free(struct fd_tui_console_done *d);
/* The client of the Stage's Rollouts / of Kargo, or NULL. */
struct fd_client *fd_tui_console_client(const struct fd_tui_console *c);
/* Whether the Kargo cluster's kind has been listed once in the shown
 * project's namespace (always true for loaded files): until then an empty
 * list means "not known yet", never "none". */
bool fd_tui_console_listed(const struct fd_tui_console *c, enum fd_model_kind kind);
/* Whether it has been listed in every namespace (fd_tui_console_listed
 * says it for the shown project, which a console of every namespace lists
 * first). */
bool fd_tui_console_listed_all(const struct fd_tui_console *c, enum fd_model_kind kind);

/* On a model wake: dialogs pick up the answer to what they sent and replan
 * when the state changed. */
void fd_tui_console_dialog_poll(struct fd_tui *ui);

/* ---- Notifications (notify.c) ---------------------------------------------- */
/* Compares the attention list with what was announced and notifies each new
 * item once. The first call only records (the state at start-up). */
void fd_tui_console_announce(struct fd_tui *ui, struct fd_tui_console *c);

/* Views. */
extern const struct fd_tui_view_ops fd_tui_view_pipeline;
extern const struct fd_tui_view_ops fd_tui_view_freight;
extern const struct fd_tui_view_ops fd_tui_view_stage;
extern const struct fd_tui_view_ops fd_tui_view_dialog;

/* The state of a view of one Stage (the Stage view, its history):
 * the Stage selected when it opened, and the content height of its last
 * draw (what it scrolls over). */
struct fd_tui_console_stage_state {
    char *stage;
    int height;
};
/* The .open and .close of such a view (view-stage.c). */
void fd_tui_console_stage_view_open(struct fd_tui *ui, struct fd_tui_view *v);
void fd_tui_console_stage_view_close(struct fd_tui *ui, struct fd_tui_view *v);

/* The stage view shows c->selected_stage: set it before pushing. */
void fd_tui_console_open_stage(struct fd_tui *ui, const char *stage);
/* Selects Stage stage and pushes ops, a view of that Stage (history,
 * Rollouts, Events); a message instead when the project has no such Stage. */
void fd_tui_console_open_stage_view(struct fd_tui *ui, const char *stage,
                                    const struct fd_tui_view_ops *ops);

/* ---- What-if and replay (view-whatif.c, view-replay.c) ------------------- */
extern const struct fd_tui_view_ops fd_tui_view_whatif;
extern const struct fd_tui_view_ops fd_tui_view_replay;
/* Opens the dry run of Stage stage's verification (its queries start on a
 * worker thread at once); a message instead when there is no such Stage. */
void fd_tui_console_open_whatif(struct fd_tui *ui, const char *stage);
/* On a wake: marks what-if views whose dry run finished for redrawing.
 * Returns true when one did. */
bool fd_tui_console_whatif_poll(struct fd_tui *ui);
/* Opens the threshold editor and replay of the Stage's current AnalysisRun;
 * a message instead when the Stage has none. */
void fd_tui_console_open_replay(struct fd_tui *ui, const char *stage);

#endif /* FREIGHTDECK_TUI_CONSOLE_H */
