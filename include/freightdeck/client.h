#ifndef FREIGHTDECK_CLIENT_H
#define FREIGHTDECK_CLIENT_H
/*
 * client: the live connection to the clusters, over kube's transport and
 * into model's store.
 *
 *  - informers: one network thread per kube context lists and watches every
 *    kind and commits the decoded objects into a struct fd_model_store;
 *  - blocking lists and access reviews from the client's cache;
 *  - the fleet: the config file of several clusters and where each Stage's
 *    Rollouts run;
 *  - sending the plans of model's actions, and the audit log of what was sent.
 *
 * Source: src/client/client.c, informer.c, list.c, access.c, fleet.c,
 * action_send.c, audit.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/expr.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"
#include "freightdeck/util.h"

/* ---- Informers, the network thread, submitted requests -------------------
 * One struct fd_client per kube context. It owns one network thread
 * with one curl_multi handle that drives every list+watch (one informer per
 * kind) and every request submitted through it (actions, access reviews).
 * Decoded objects are committed into a struct fd_model_store (borrowed; it
 * may be shared by several clients when their namespaces do not overlap).
 * After each batch of changes (objects, connection state, a finished
 * request) the thread calls opts.on_change once: many events, one call.
 * The console passes a function that writes one byte to its wake pipe.
 *
 * Informer: list (paginated with limit/continue) then watch from the list's
 * resourceVersion with allowWatchBookmarks; 410 Gone (HTTP or an ERROR event)
 * relists; any other failure backs off (0.5 s doubling to 30 s, +-25 %
 * jitter) and reconnects, first by watching from the last resourceVersion,
 * relisting when that is refused. A relist replaces the kind's objects
 * (what disappeared is deleted). Memory is bounded: an event larger than
 * max_event_bytes, or a list page larger than max_list_bytes, ends the
 * connection with an error state (FD_LIMIT) instead of growing.
 *
 * Liveness: a frozen server or a dead link leaves a watch silent, which
 * looks like a quiet one. While any informer watches, a GET /version goes
 * out every liveness interval (10 s); without an answer (any HTTP status
 * counts) within the liveness timeout (5 s) every watch and list is cut and
 * fails with FD_UNREACHABLE: the state leaves LIVE at most interval +
 * timeout (15 s) after the server stopped answering, stale_since keeps when
 * the data stopped being live, and the informers reconnect by themselves.
 * Informer connections use TCP keepalives of 10 s idle, 5 s interval, 3
 * probes, so a dead link ends a watch within 25 s even when the probe
 * reaches the server on another connection.
 */
#define FD_CLIENT_LIVENESS_INTERVAL_MS 10000u
#define FD_CLIENT_LIVENESS_TIMEOUT_MS  5000u
/* clang-format off */
#define FD_CLIENT_CONN_TABLE(_)                                                  \
    _(CONNECTING,   "connecting")   /* first list in progress, no data yet */   \
    _(LIVE,         "live")         /* listed and watching */                   \
    _(STALE,        "stale")        /* connection lost; waiting to retry */     \
    _(RECONNECTING, "reconnecting") /* retry in progress (attempt N) */         \
    _(FORBIDDEN,    "forbidden")    /* 401/403: never listed: retried slowly  \
                                       (30 s); listed before: the usual back-off */ \
    _(STOPPED,      "stopped")      /* the client is shutting down */
/* clang-format on */

enum fd_client_conn {
#define FD_CLIENT_CONN_ENUM(id, text) FD_CLIENT_CONN_##id,
    FD_CLIENT_CONN_TABLE(FD_CLIENT_CONN_ENUM)
#undef FD_CLIENT_CONN_ENUM
        FD_CLIENT_CONN__COUNT
};
/* "live"; "unknown" when out of range. */
const char *fd_client_conn_name(enum fd_client_conn c);

/* One informer's state, copied out (no pointer into the client). */
struct fd_client_resource_state {
    enum fd_model_kind kind;
    enum fd_client_conn conn;
    int64_t stale_since;        /* epoch s the data stopped being live; 0 while LIVE
                                   and before the first list */
    int64_t live_since;         /* epoch s of the last (re)connection; 0 never */
    unsigned attempt;           /* consecutive failed attempts (0 while LIVE) */
    int64_t next_attempt_ms;    /* epoch ms of the next retry while STALE/FORBIDDEN */
    enum fd_status last_status; /* of the last failure (FD_OK: none) */
    char last_error[512];       /* its message, redacted; "" when none */
    uint64_t events;            /* watch events applied */
    uint64_t lists;             /* complete lists (first one included) */
    uint64_t bookmarks;
    size_t objects; /* objects of this kind in the store */
    char resource_version[64];
};

struct fd_client;

/* Called on the network thread; must be quick and must not call back into
 * the client except the getters (states, synced). */
typedef void (*fd_client_change_fn)(void *user);

struct fd_client_opts {
    struct fd_kube_config *cfg;   /* borrowed; must outlive the client */
    struct fd_model_store *store; /* borrowed; must outlive the client */
    const char *ns;               /* namespace (project) to watch; NULL = all */
    uint32_t kinds;               /* bit (1u << kind) per kind; 0 = every kind */
    /* Kinds among those watched that are auxiliary: their failure (a 403, a
     * group not served) counts neither in fd_client_summary nor in
     * fd_client_synced / fd_client_wait_synced, so the header does not call
     * a live cluster forbidden for them; fd_client_state still reports them
     * (the console's Rollout pane says why it lists no ReplicaSet). */
    uint32_t optional_kinds;
    /* A client of every namespace (ns NULL): unless fd_client_focus names
     * another, list the long kinds in the first project's namespace
     * (fd_model_first_project, once the short kinds are in) before listing
     * them in every namespace. */
    bool focus_first_project;
    bool readonly;                 /* refuse every submitted write (not reviews) */
    fd_client_change_fn on_change; /* may be NULL */
    void *user;
    /* Limits and timings; 0 means the default. */
    size_t max_event_bytes;        /* one watch event (default 8 MiB) */
    size_t max_list_bytes;         /* one list page (default 64 MiB) */
    unsigned page_size;            /* list limit (default 500) */
    unsigned backoff_min_ms;       /* default 500 */
    unsigned backoff_max_ms;       /* default 30000 */
    unsigned watch_timeout_s;      /* timeoutSeconds of a watch (default 290..310) */
    unsigned liveness_interval_ms; /* default FD_CLIENT_LIVENESS_INTERVAL_MS */
    unsigned liveness_timeout_ms;  /* default FD_CLIENT_LIVENESS_TIMEOUT_MS */
};

/* Starts a client: its network thread lists the kinds of the pipeline
 * (Projects, Stages, Warehouses, ProjectConfigs, templates) first and the
 * long lists (Freight, Promotions, AnalysisRuns, Rollouts) once those have
 * each listed or failed once, so that the pipeline can be shown early.
 * Returns FD_OK and sets *out (free with fd_client_free); FD_INTERNAL
 * with err filled when no thread or curl handle can be made. Never blocks
 * on the network or on a credential plugin. */
enum fd_status fd_client_start(const struct fd_client_opts *opts, struct fd_client **out,
                               struct fd_kube_error *err);

/* Stops the thread (aborting open watches; pending requests complete with
 * FD_UNREACHABLE "client stopped" — a write already on the wire is reported
 * as unknown outcome) and frees the client. NULL is a no-op. */
void fd_client_free(struct fd_client *c);

/* The config the client was started with (borrowed). */
struct fd_kube_config *fd_client_config(const struct fd_client *c);

/* The state of kind's informer, copied into *out. Returns false when the
 * client does not watch that kind. Thread-safe. */
bool fd_client_state(struct fd_client *c, enum fd_model_kind kind,
                     struct fd_client_resource_state *out);

/* The worst state over every watched kind but the optional ones
 * (CONNECTING < LIVE ordering is LIVE best, then CONNECTING, RECONNECTING,
 * STALE, FORBIDDEN), for the header line; *out gets that kind's state.
 * Thread-safe. */
enum fd_client_conn fd_client_summary(struct fd_client *c, struct fd_client_resource_state *out);

/* Whether every watched kind but the optional ones has completed one list.
 * Thread-safe. */
bool fd_client_synced(struct fd_client *c);

/* Whether kind has completed one list: what the store holds of it is then
 * the server's, and an empty list means none (before, it means "not known
 * yet"). True as well for a kind the client does not watch, which never
 * arrives. Thread-safe. */
bool fd_client_kind_synced(struct fd_client *c, enum fd_model_kind kind);

/* Whether kind has been listed in namespace ns: listed in every namespace
 * once, or in ns on its own (the focus, fd_client_focus). True for a kind
 * not watched. Like fd_client_kind_synced, a list counts only once the
 * store holds its objects. */
bool fd_client_kind_synced_in(struct fd_client *c, enum fd_model_kind kind, const char *ns);

/* fd_client_synced for namespace ns: every kind but the optional ones
 * listed in ns (fd_client_kind_synced_in). */
bool fd_client_synced_in(struct fd_client *c, const char *ns);

/* A client of every namespace lists the long kinds (Freight, Promotions,
 * AnalysisRuns, Rollouts) of namespace ns on their own first: the shown
 * project is complete long before every namespace is. Each such kind not
 * yet listed in every namespace lists ns at once (beside the list of every
 * namespace when that has started) and watches it until the list of every
 * namespace is in; that list and its watch follow as usual, and the store
 * merges them by resourceVersion (fd_model_store_relist_except). A focus
 * list or watch that fails is not retried (the list of every namespace
 * covers it). ns NULL: no focus. No effect on a client of one namespace.
 * Thread-safe. */
void fd_client_focus(struct fd_client *c, const char *ns);

/* Waits (up to timeout_ms; <0 = no limit) until every kind has listed once.
 * Returns FD_OK; FD_UNREACHABLE / FD_REFUSED / FD_LIMIT with err set to the
 * first failing kind's error when the time ran out while one was failing;
 * FD_IO "timed out" otherwise. For one-shot commands, not the UI thread. */
enum fd_status fd_client_wait_synced(struct fd_client *c, int timeout_ms,
                                     struct fd_kube_error *err);

/* Asks every informer to relist now (the console's refresh key), and
 * retries failed ones without waiting for their back-off. Never blocks. */
void fd_client_resync(struct fd_client *c);

/* A finished submitted request: st as fd_kube_req_finish (FD_UNREACHABLE for
 * no response, with resp->status 0), resp its response (borrowed for the
 * call), err its message. maybe_applied is false only when the request
 * certainly never reached the server (no connection, no bytes sent, client
 * stopped before sending): a write without a response and maybe_applied
 * has an unknown outcome. Called on the network thread. */
typedef void (*fd_client_done_fn)(void *user, enum fd_status st,
                                  const struct fd_kube_response *resp,
                                  const struct fd_kube_error *err, bool maybe_applied);

/* Queues one request on the network thread. The request is sent exactly
 * once: never retried, not even after a 401 (a write that timed out may or
 * may not have been applied — the caller reports that). done is called
 * exactly once (also when the client is freed first). Returns FD_OK, or
 * FD_REFUSED (readonly client and a method other than GET) with err set and
 * done never called. Copies every argument. Thread-safe; never blocks. */
enum fd_status fd_client_submit(struct fd_client *c, const char *method, const char *path,
                                const char *content_type, const char *body, fd_client_done_fn done,
                                void *user, struct fd_kube_error *err);

/* ---- Blocking reads for one-shot commands ------------------------------------ */

/* Lists every object of kind in ns (NULL = all namespaces; ignored for
 * cluster-scoped kinds) page by page (page_size 0 = 500) and replaces the
 * kind in store with them (fd_model_store_relist). Returns FD_OK; on error
 * the status (FD_UNREACHABLE, FD_REFUSED for 401/403, FD_NOT_FOUND when the
 * API group is not served, FD_LIMIT for a page over 64 MiB) with err
 * filled, the store untouched. */
enum fd_status fd_client_list(struct fd_kube_config *cfg, struct fd_model_store *store,
                              enum fd_model_kind kind, const char *ns, unsigned page_size,
                              struct fd_kube_error *err);

/* The REST collection path of kind in ns: "/apis/<group/version>/namespaces/<ns>/<plural>"
 * (without the namespace part for a NULL ns or a cluster-scoped kind). The
 * caller frees it. */
char *fd_client_kind_path(enum fd_model_kind kind, const char *ns);

/* ---- Access reviews from the client's cache (access.c) ---------------------- */

/* The cached answer of the client for q (cached per verb, resource,
 * subresource, namespace and name for 5 minutes). When not cached, queues a
 * review on the network thread (on_change fires when it is answered) and
 * returns UNKNOWN. reason as fd_kube_access_review's. Thread-safe; never
 * blocks. */
enum fd_kube_access fd_client_access(struct fd_client *c, const struct fd_kube_access_query *q,
                                     char *reason, size_t size);

/* ---- Several clusters: the config file ---------------------------------------
 * $FREIGHTDECK_CONFIG, else $XDG_CONFIG_HOME/freightdeck/config.yaml (else
 * ~/.config/freightdeck/config.yaml); see doc/config.md:
 *
 *   kargo:
 *     context: control-plane        # the Kargo cluster (default: current)
 *   stages:
 *     - project: payments           # or "payments/prod" as `stage:`
 *       stage: prod
 *       context: prod-eu-1          # where its Rollouts run (default: kargo's)
 *       namespace: payments         # default: the project
 *       rollouts: [payments-prod]   # or `selector: app=payments`
 *
 * A Stage without an entry: its Rollouts are in the Kargo context, in the
 * project namespace, found by label freightdeck.io/stage=<stage>, else
 * named <project>-<stage>, else named <stage> (fd_client_fleet_rollouts).
 */
struct fd_client_stage_map {
    char *project;
    char *stage;
    char *context;   /* NULL = the Kargo context */
    char *ns;        /* never NULL after loading (defaults to project) */
    char **rollouts; /* names; n_rollouts may be 0 when selector is set */
    size_t n_rollouts;
    char *selector; /* "key=value[,key=value]" or NULL */
    int line;       /* where the entry is, for messages */
    /* Where the keys are (1-based; 0 when absent), for messages that name
     * the key at fault: "config.yaml:7:5: context \"workloadd\": ...". */
    int stage_line, stage_col, context_line, context_col;
};

struct fd_client_fleet {
    char *path;                                /* the file read, or NULL when none existed */
    char *kargo_context;                       /* NULL = the kubeconfig's current context */
    int kargo_context_line, kargo_context_col; /* its key (0: absent) */
    struct fd_client_stage_map *stages;
    size_t n_stages;
    /* console.production: globs of the Stage names that ask for their name
     * typed before an action is sent (NULL: the default, "prod*"). The
     * console and the commands ask alike. */
    char **production;
    size_t n_production;
    /* argoRollouts.exprVersion: the expr release the Argo Rollouts
     * controller judges with, when set (its key's line for messages). */
    bool expr_version_set;
    enum fd_expr_version expr_version;
    int expr_version_line;
};

/* Reads which Argo Rollouts release runs in the cluster of cfg: the
 * Deployments labelled app.kubernetes.io/name=argo-rollouts in every
 * namespace, else argo-rollouts/argo-rollouts (RBAC may forbid either), and
 * its image tag (fd_analysis_expr_detect). Fills *out: source DETECTED, or
 * DEFAULT with why nothing was detected (forbidden, not found, a tag that
 * names no release). Blocking: each request is limited to 10 s, and stop
 * (may be NULL; as struct fd_kube_perform's) ends it early. */
struct fd_analysis_expr_choice;
void fd_client_detect_expr(struct fd_kube_config *cfg, int (*stop)(void *, char *, size_t),
                           void *arg, struct fd_analysis_expr_choice *out);

/* Whether stage is a production Stage by f's console.production globs
 * ("prod*" when f is NULL or sets none). */
bool fd_client_fleet_is_production(const struct fd_client_fleet *f, const char *stage);

/* The fleet of a config file already read (fd_config_load, util's yaml.h;
 * cfg is not kept). Returns FD_OK and sets *out (free with
 * fd_client_fleet_free); FD_PARSE with err "file:line:col: what" on bad
 * content. */
struct fd_config;
enum fd_status fd_client_fleet_from_config(struct fd_config *cfg, struct fd_client_fleet **out,
                                           struct fd_kube_error *err);
/* Reads the config file path (as fd_config_load: NULL is the default file,
 * where a missing file is fine and gives an empty fleet; a missing explicit
 * path is FD_NOT_FOUND) and returns its fleet as fd_client_fleet_from_config;
 * FD_IO / FD_LIMIT with "PATH: why" when it cannot be read. */
enum fd_status fd_client_fleet_load(const char *path, struct fd_client_fleet **out,
                                    struct fd_kube_error *err);
/* Same from memory; name is used in messages. */
enum fd_status fd_client_fleet_load_buffer(const char *name, const char *text, size_t len,
                                           struct fd_client_fleet **out, struct fd_kube_error *err);
void fd_client_fleet_free(struct fd_client_fleet *f);

/* The entry for project/stage, or NULL (then the defaults apply). Borrowed. */
const struct fd_client_stage_map *fd_client_fleet_find(const struct fd_client_fleet *f,
                                                       const char *project, const char *stage);

/* "file:line:col" of the key that names context in f: kargo.context, else
 * the first stages entry whose context: it is. NULL when the file does not
 * name it (a --context, the current context). The caller frees. */
char *fd_client_fleet_context_where(const struct fd_client_fleet *f, const char *context);

/* The entries of f for project whose Stage is not among the Stages of
 * project in snap (the Kargo cluster's, listed): one warning each,
 * "file:line:col: Stage shop/prodd is not in the Kargo cluster (its Stages:
 * prod, qa)". Sets *out to a new NULL-terminated array (free each string
 * and the array) and returns its length. */
size_t fd_client_fleet_unknown_stages(const struct fd_client_fleet *f,
                                      const struct fd_model_snapshot *snap, const char *project,
                                      char ***out);

/* Every context named by the fleet (the Kargo one first, NULL standing for
 * the current context, no duplicates). Sets *out to a new array of
 * borrowed strings (free the array only); returns its length. */
size_t fd_client_fleet_contexts(const struct fd_client_fleet *f, const char ***out);

/* The Rollouts behind project/stage found in snap (the snapshot of the store
 * filled by the client of the Stage's Rollout context): by the fleet entry
 * (names or selector in its namespace), else by the default convention
 * above. Sets *out to a new array of borrowed objects (free the array only)
 * and returns its length. */
size_t fd_client_fleet_rollouts(const struct fd_client_fleet *f,
                                const struct fd_model_snapshot *snap, const char *project,
                                const char *stage, const struct fd_model_object ***out);

/* ---- Audit log ----------------------------------------------------------------
 * Every action sent (console and one-shot commands alike) is appended as one
 * JSON line to $XDG_STATE_HOME/freightdeck/audit.log (default
 * ~/.local/state/freightdeck/audit.log):
 *   {"time":"2026-08-19T15:45:00Z","user":"ops","context":"kind-kargo",
 *    "action":"approve","target":"Freight payments/abc (for Stage prod)",
 *    "request":{"method":"PATCH","path":"/apis/...","body":{...}},
 *    "result":{"status":200,"outcome":"ok","message":"..."}}
 * The fd_client_action_send* functions write it; nothing else needs to.
 */

/* Whether the audit log can be appended to now (opens it for appending,
 * creating it as below, and closes it). Returns FD_OK, or FD_IO with *err
 * set ("audit log PATH: Permission denied"; the caller frees it). The
 * senders refuse an action when this fails. */
enum fd_status fd_client_audit_check(char **err);

/* Appends one line (creating the folder, mode 0700, and the file, 0600).
 * body is the request body as sent (JSON text; stored as JSON when it parses,
 * else as a string); http_status 0 when no response came; outcome is "ok",
 * "refused", "failed" or "unknown" — or, on the follow-up line written after
 * an unknown outcome (request "GET" of the object read back), the
 * resolution: "applied", "not applied" or "unresolved". Returns FD_OK or
 * FD_IO (errno kept); the senders check fd_client_audit_check first. */
enum fd_status fd_client_audit_append(const char *user, const char *context, const char *action,
                                      const char *target, const char *method, const char *path,
                                      const char *body, long http_status, const char *outcome,
                                      const char *message);

/* ---- Sending action plans (action_send.c) -----------------------------------
 * fd_model_action_plan (model.h) says what to send; these functions fill
 * the plan's access needs from the server and send it once, reporting the
 * server's error verbatim; both senders append to the audit log
 * (fd_client_audit_append). */

/* Fills plan->access with SelfSubjectAccessReviews (blocking). Returns
 * FD_OK, or the status of the first review that could not be made (its
 * need stays UNKNOWN, err filled). */
enum fd_status fd_client_action_review(struct fd_kube_config *cfg, struct fd_model_action_plan *p,
                                       char **err);
/* Fills plan->access from the client's cache, queuing reviews for what is
 * not cached (non-blocking). Returns true when every need is decided. */
bool fd_client_action_review_cached(struct fd_client *c, struct fd_model_action_plan *p);

/* The outcome of sending a plan. */
/* clang-format off */
#define FD_CLIENT_OUTCOME_TABLE(_)                                              \
    _(OK, "ok")                                                                \
    _(REFUSED, "refused")   /* client-side (checks, readonly) or the server said no */ \
    _(FAILED, "failed")     /* nothing reached the server (no connection, no credentials) */ \
    _(UNKNOWN, "unknown")   /* bytes were sent and no answer came, or a 5xx: it may be applied */
/* clang-format on */

enum fd_client_outcome {
#define FD_CLIENT_OUTCOME_ENUM(id, text) FD_CLIENT_OUTCOME_##id,
    FD_CLIENT_OUTCOME_TABLE(FD_CLIENT_OUTCOME_ENUM)
#undef FD_CLIENT_OUTCOME_ENUM
};
const char *fd_client_outcome_name(enum fd_client_outcome o);

/* What reading the object back said after an UNKNOWN outcome. */
/* clang-format off */
#define FD_CLIENT_RESOLUTION_TABLE(_)                                           \
    _(NONE, "")                                                                \
    _(APPLIED, "applied")                                                      \
    _(NOT_APPLIED, "not applied")                                              \
    _(UNRESOLVED, "unresolved")  /* the object could not be read back */
/* clang-format on */

enum fd_client_resolution {
#define FD_CLIENT_RESOLUTION_ENUM(id, text) FD_CLIENT_RESOLUTION_##id,
    FD_CLIENT_RESOLUTION_TABLE(FD_CLIENT_RESOLUTION_ENUM)
#undef FD_CLIENT_RESOLUTION_ENUM
};
const char *fd_client_resolution_name(enum fd_client_resolution r);

struct fd_client_action_result {
    enum fd_client_outcome outcome;
    enum fd_status status; /* FD_OK, FD_REFUSED (401/403/409/readonly/checks/audit log),
                              FD_INVALID (400/422), FD_NOT_FOUND, FD_UNREACHABLE, FD_IO,
                              FD_OUTCOME_UNKNOWN (outcome UNKNOWN) */
    long http_status;      /* of the last request; 0 when none answered */
    char *message;         /* the server's Status message (terminal-safe), or ours:
                              "outcome unknown — check before retrying (why)" */
    char *created;         /* PROMOTE: the Promotion's name from the 201 body */
    char *body;            /* the last request's body exactly as sent (the time of
                              sending in place of FD_MODEL_SEND_TIME); NULL when none */
    int64_t sent_at;       /* when it was sent (epoch s); 0 when nothing was sent */
    size_t sent;           /* requests sent */
    /* UNKNOWN only: the object was read back (a GET, audited on a line of
     * its own) and says whether the change is there. */
    enum fd_client_resolution resolution;
    char *resolution_text; /* "applied: the object holds the change", ... */
};
void fd_client_action_result_clear(struct fd_client_action_result *r);

/* Called once: on the client's network thread, or at once on the caller's
 * thread when the plan is refused before anything is sent (blocked, nothing
 * to send, read-only client). plan and res are borrowed for the call. */
typedef void (*fd_client_action_done_fn)(void *user, const struct fd_model_action_plan *plan,
                                         const struct fd_client_action_result *res);

/* Sends the plan through the client (asynchronously: several requests go
 * one after the other; a failure stops the rest). Takes ownership of p.
 * A blocked plan is not sent: done gets REFUSED with the reason. A readonly
 * client refuses, and so does an unwritable audit log. Each request is sent
 * once, with the time of sending in its body (fd_model_action_stamp: res->body
 * is the body sent); the audit log gets one line per request sent (user and context from
 * the client's config). A request whose answer is lost (or a 5xx) is
 * UNKNOWN: the object is then read back and res->resolution says what
 * happened (one more audit line). Returns
 * FD_OK (done will be called), never blocks. */
enum fd_status fd_client_action_send(struct fd_client *c, struct fd_model_action_plan *p,
                                     fd_client_action_done_fn done, void *user);

/* The same, blocking (one-shot commands). Fills *res (clear it with
 * fd_client_action_result_clear). SIGINT, SIGTERM and SIGHUP are held while
 * it sends: one that arrives ends the transfer, the outcome is audited
 * (unknown when the request was on the wire), and the signal is raised
 * again before returning. Returns res->status. */
enum fd_status fd_client_action_send_blocking(struct fd_kube_config *cfg,
                                              const struct fd_model_action_plan *p,
                                              struct fd_client_action_result *res);

/* ---- Kargo's expression functions: the objects they read (kargo_objects.c) ----
 * A reader GETs the Warehouses, Freight, Stages, ConfigMaps and Secrets of
 * one project (ConfigMaps and Secrets also of the shared resources
 * namespace) as Kargo's functions ask for them (each once; absence is
 * remembered too). Borrowing cfg, it is used by one thread at a time. */
struct fd_client_kargo_reader {
    struct fd_kube_config *cfg; /* borrowed */
    char *project;
    json_t *cache; /* "Kind/name" -> the object, or null when absent */
};
void fd_client_kargo_reader_init(struct fd_client_kargo_reader *r, struct fd_kube_config *cfg,
                                 const char *project);
void fd_client_kargo_reader_free(struct fd_client_kargo_reader *r);
/* The API path (new string) of the object of kind ("Warehouse", "Freight",
 * "Stage", "ConfigMap" or "Secret") named name in namespace ns, or NULL for
 * another kind. The Kargo kinds' paths come from the model's kind table. */
char *fd_client_kargo_object_path(const char *kind, const char *ns, const char *name);
/* Fills objs (zeroed first) to read through r; r outlives objs. */
void fd_client_kargo_objects(struct fd_expr_kargo_objects *objs, struct fd_client_kargo_reader *r);

#endif /* FREIGHTDECK_CLIENT_H */
