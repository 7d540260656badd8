#ifndef FREIGHTDECK_MODEL_H
#define FREIGHTDECK_MODEL_H
/*
 * model: decoders for the Kargo and Argo Rollouts objects, the object store
 * the informers fill and the console reads, and the state derived from them
 * (Stage phase, Freight availability, pipeline graph, canary weights, what
 * waits for a human).
 *
 * Objects are immutable once decoded and reference counted, so a snapshot of
 * the store can be read by the UI thread without any lock while the network
 * thread keeps applying watch events (see "Store" below).
 *
 * Times are seconds since the epoch (0 = absent); durations are seconds.
 * Every string field may be NULL when the field was absent.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"

/* ---- Kinds ---------------------------------------------------------------
 * name, API group/version, plural (the REST path segment), namespaced. */
/* clang-format off */
#define FD_MODEL_KIND_TABLE(_)                                                          \
    _(PROJECT, "Project", "kargo.akuity.io/v1alpha1", "projects", false)                 \
    _(STAGE, "Stage", "kargo.akuity.io/v1alpha1", "stages", true)                        \
    _(FREIGHT, "Freight", "kargo.akuity.io/v1alpha1", "freights", true)                  \
    _(WAREHOUSE, "Warehouse", "kargo.akuity.io/v1alpha1", "warehouses", true)            \
    _(PROMOTION, "Promotion", "kargo.akuity.io/v1alpha1", "promotions", true)            \
    _(PROJECT_CONFIG, "ProjectConfig", "kargo.akuity.io/v1alpha1", "projectconfigs", true) \
    _(ANALYSIS_RUN, "AnalysisRun", "argoproj.io/v1alpha1", "analysisruns", true)         \
    _(ANALYSIS_TEMPLATE, "AnalysisTemplate", "argoproj.io/v1alpha1", "analysistemplates", true) \
    _(CLUSTER_ANALYSIS_TEMPLATE, "ClusterAnalysisTemplate", "argoproj.io/v1alpha1",       \
      "clusteranalysistemplates", false)                                                 \
    _(ROLLOUT, "Rollout", "argoproj.io/v1alpha1", "rollouts", true)                      \
    _(REPLICA_SET, "ReplicaSet", "apps/v1", "replicasets", true)
/* clang-format on */

enum fd_model_kind {
#define FD_MODEL_KIND_ENUM(id, name, gv, plural, ns) FD_MODEL_##id,
    FD_MODEL_KIND_TABLE(FD_MODEL_KIND_ENUM)
#undef FD_MODEL_KIND_ENUM
        FD_MODEL_KIND__COUNT,
    FD_MODEL_KIND_UNKNOWN = FD_MODEL_KIND__COUNT
};

/* The kind's name ("Stage"); "Unknown" for an out-of-range value. */
const char *fd_model_kind_name(enum fd_model_kind kind);
/* "kargo.akuity.io/v1alpha1"; "" for an out-of-range value. */
const char *fd_model_kind_api_version(enum fd_model_kind kind);
/* The plural used in REST paths ("freights"); "" for an out-of-range value. */
const char *fd_model_kind_plural(enum fd_model_kind kind);
bool fd_model_kind_namespaced(enum fd_model_kind kind);
/* The kind named name (exact, as in the objects' "kind" field), or
 * FD_MODEL_KIND_UNKNOWN. */
enum fd_model_kind fd_model_kind_from_name(const char *name);

/* ---- Common pieces -------------------------------------------------------- */
struct fd_model_kv {
    char *key;
    char *value;
};

struct fd_model_condition {
    char *type;
    char *status; /* "True" | "False" | "Unknown" */
    char *reason;
    char *message;
    int64_t last_transition;
};

struct fd_model_origin {
    char *kind; /* "Warehouse" */
    char *name;
};

/* metadata.ownerReferences[] (apimachinery's OwnerReference). */
struct fd_model_owner_ref {
    char *api_version, *kind, *name, *uid;
    bool controller;
};

struct fd_model_meta {
    char *ns; /* NULL for cluster-scoped kinds */
    char *name;
    char *uid;
    char *resource_version;
    int64_t generation;
    int64_t created;
    int64_t deleted; /* deletionTimestamp */
    struct fd_model_kv *labels;
    size_t n_labels;
    /* kubectl's last-applied-configuration is dropped (it can be huge). */
    struct fd_model_kv *annotations;
    size_t n_annotations;
    struct fd_model_owner_ref *owners;
    size_t n_owners;
};

struct fd_model_commit {
    char *repo_url, *id, *branch, *tag, *message, *author;
};
struct fd_model_image {
    char *repo_url, *tag, *digest;
};
struct fd_model_chart {
    char *repo_url, *name, *version;
};
struct fd_model_artifact {
    char *artifact_type, *subscription_name, *version;
};
struct fd_model_artifacts {
    struct fd_model_commit *commits;
    size_t n_commits;
    struct fd_model_image *images;
    size_t n_images;
    struct fd_model_chart *charts;
    size_t n_charts;
    struct fd_model_artifact *other;
    size_t n_other;
};

/* ---- Stage ---------------------------------------------------------------- */
enum fd_model_availability_strategy { FD_MODEL_AVAIL_ONE_OF, FD_MODEL_AVAIL_ALL };

struct fd_model_freight_request {
    struct fd_model_origin origin;
    bool direct;
    char **stages; /* sources.stages */
    size_t n_stages;
    bool has_soak;
    int64_t required_soak; /* seconds */
    enum fd_model_availability_strategy strategy;
};

struct fd_model_analysis_run_ref {
    char *ns, *name, *phase;
};

struct fd_model_verification {
    char *id, *actor, *phase, *message;
    int64_t start, finish;
    struct fd_model_analysis_run_ref run;
};

struct fd_model_freight_ref {
    char *key; /* "Warehouse/<name>" (the map key) */
    char *name;
    struct fd_model_origin origin;
    struct fd_model_artifacts art;
};

struct fd_model_freight_collection {
    char *id;
    struct fd_model_freight_ref *items;
    size_t n_items;
    struct fd_model_verification *verifications; /* newest first */
    size_t n_verifications;
};

struct fd_model_promotion_ref {
    bool present;
    char *name;
    char *freight; /* freight.name */
    char *phase;   /* status.phase */
    char *message;
    int64_t finished;
};

struct fd_model_template_ref {
    char *name;
    char *kind; /* NULL = AnalysisTemplate; "ClusterAnalysisTemplate" */
};

struct fd_model_stage {
    char *shard;
    struct fd_model_freight_request *requests;
    size_t n_requests;
    size_t n_promotion_steps;
    bool has_verification;
    struct fd_model_template_ref *templates;
    size_t n_templates;
    struct fd_model_condition *conditions;
    size_t n_conditions;
    struct fd_model_freight_collection *history; /* newest first */
    size_t n_history;
    char *freight_summary;
    char *health; /* health.status */
    char **health_issues;
    size_t n_health_issues;
    struct fd_model_promotion_ref current_promotion, last_promotion;
    char *last_handled_refresh;
    int64_t observed_generation;
    bool auto_promotion_enabled;
};

/* ---- Freight -------------------------------------------------------------- */
struct fd_model_stage_mark {
    char *stage;
    int64_t at;            /* since / verifiedAt / approvedAt */
    bool has_longest_soak; /* verifiedIn only */
    int64_t longest_soak;  /* seconds */
};

struct fd_model_freight {
    char *alias;
    int64_t discovered;
    struct fd_model_origin origin;
    struct fd_model_artifacts art;
    struct fd_model_stage_mark *currently_in;
    size_t n_currently_in;
    struct fd_model_stage_mark *verified_in;
    size_t n_verified_in;
    struct fd_model_stage_mark *approved_for;
    size_t n_approved_for;
};

/* ---- Warehouse ------------------------------------------------------------ */
struct fd_model_subscription {
    char *type; /* "git" | "image" | "chart" | another key */
    char *repo_url;
    char *name; /* chart name, when any */
};

struct fd_model_warehouse {
    char *shard;
    char *interval;
    char *freight_creation_policy;
    struct fd_model_subscription *subscriptions;
    size_t n_subscriptions;
    struct fd_model_condition *conditions;
    size_t n_conditions;
    char *last_freight_id;
    char *last_handled_refresh;
    int64_t observed_generation;
};

/* ---- Promotion ------------------------------------------------------------ */
struct fd_model_step_status {
    char *alias;
    char *status; /* Running|Succeeded|Failed|Errored|Aborted|Skipped */
    char *message;
    int64_t started, finished;
    int64_t error_count;
};

struct fd_model_promotion {
    char *stage;
    char *freight;
    char **step_aliases; /* spec.steps[].as (NULL when unnamed) */
    char **step_uses;    /* spec.steps[].uses (or "task:<name>") */
    size_t n_steps;
    char *phase;
    char *message;
    int64_t started, finished;
    bool has_current_step;
    int64_t current_step;
    struct fd_model_step_status *step_status;
    size_t n_step_status;
};

/* ---- Project / ProjectConfig ---------------------------------------------- */
struct fd_model_project {
    struct fd_model_condition *conditions;
    size_t n_conditions;
    int64_t stages, stages_healthy, warehouses, warehouses_healthy;
};

struct fd_model_promotion_policy {
    char *stage;         /* spec.promotionPolicies[].stage */
    char *selector_name; /* .stageSelector.name (may be "glob:..." / "regex:...") */
    bool auto_promotion_enabled;
};

struct fd_model_project_config {
    struct fd_model_promotion_policy *policies;
    size_t n_policies;
};

/* ---- AnalysisRun / templates ----------------------------------------------
 * Decoded by the analysis module (struct fd_analysis_run, analysis.h): an
 * AnalysisRun with spec and status; the two template kinds as a run with an
 * empty status. The labels Kargo sets are in the object's meta. */

/* ---- Rollout -------------------------------------------------------------- */
/* clang-format off */
#define FD_MODEL_STEP_TABLE(_)                                                         \
    _(SET_WEIGHT, "setWeight")                                                         \
    _(PAUSE, "pause")                                                                  \
    _(ANALYSIS, "analysis")                                                            \
    _(EXPERIMENT, "experiment")                                                        \
    _(SET_CANARY_SCALE, "setCanaryScale")                                              \
    _(SET_HEADER_ROUTE, "setHeaderRoute")                                              \
    _(SET_MIRROR_ROUTE, "setMirrorRoute")                                              \
    _(PLUGIN, "plugin")                                                                \
    _(UNKNOWN, "unknown")
/* clang-format on */

enum fd_model_step_kind {
#define FD_MODEL_STEP_ENUM(id, key) FD_MODEL_STEP_##id,
    FD_MODEL_STEP_TABLE(FD_MODEL_STEP_ENUM)
#undef FD_MODEL_STEP_ENUM
};
/* The step's JSON key ("setWeight"). */
const char *fd_model_step_kind_name(enum fd_model_step_kind kind);

struct fd_model_canary_step {
    enum fd_model_step_kind kind;
    int64_t weight;          /* setWeight */
    bool pause_has_duration; /* pause: {duration: ...} */
    int64_t pause_duration;  /* seconds; -1 when not parsable */
};

struct fd_model_rollout_run_status {
    char *name, *status, *message;
};

struct fd_model_pause_condition {
    char *reason;
    int64_t start;
};

enum fd_model_strategy {
    FD_MODEL_STRATEGY_NONE,
    FD_MODEL_STRATEGY_CANARY,
    FD_MODEL_STRATEGY_BLUE_GREEN
};

struct fd_model_rollout {
    int64_t replicas; /* spec.replicas, default 1 */
    bool paused;      /* spec.paused */
    char *restart_at; /* spec.restartAt */
    enum fd_model_strategy strategy;
    struct fd_model_canary_step *steps;
    size_t n_steps;
    bool traffic_routing;
    int64_t max_traffic_weight; /* default 100 */
    /* status */
    bool has_step_index;
    int64_t step_index;
    bool abort;
    int64_t aborted_at;
    bool controller_pause;
    bool promote_full;
    struct fd_model_pause_condition *pause_conditions;
    size_t n_pause_conditions;
    struct fd_model_rollout_run_status step_run, background_run;
    bool has_canary_weight;
    int64_t canary_weight; /* status.canary.weights.canary.weight */
    char *phase, *message;
    bool has_observed_generation;
    int64_t observed_generation; /* a string in the Rollout status */
    int64_t status_replicas, updated_replicas, ready_replicas, available_replicas;
    char *stable_rs, *current_pod_hash, *active_selector;
    struct fd_model_condition *conditions;
    size_t n_conditions;
};

/* ---- ReplicaSet (apps/v1) -------------------------------------------------
 * What `kubectl argo rollouts get rollout` shows of the ReplicaSets a Rollout
 * owns (pkg/kubectl-argo-rollouts/info/replicaset_info.go): revision,
 * images, desired and actual pod counts, and the health it derives. */
struct fd_model_replica_set {
    bool has_replicas;
    int64_t replicas; /* spec.replicas (Kubernetes defaults it to 1) */
    char **images;    /* spec.template.spec.containers[].image, in order */
    size_t n_images;
    char **init_images; /* initContainers[].image */
    size_t n_init_images;
    /* status */
    int64_t status_replicas, ready_replicas, available_replicas;
    int64_t observed_generation;
    struct fd_model_condition *conditions;
    size_t n_conditions;
};

/* ---- Objects ---------------------------------------------------------------
 * A decoded object. Immutable once decoded; shared between the store and its
 * snapshots through a reference count. An object whose fields have the wrong
 * types is kept with undecodable = true and error naming the field path, so
 * the console can list it instead of silently losing it.
 */
struct fd_model_object {
    enum fd_model_kind kind;
    struct fd_model_meta meta;
    bool undecodable;
    char *error; /* "Stage kargo-demo/prod: status.freightHistory[0].items: expected ..." */
    /* Store bookkeeping (set when the store accepts the object). */
    uint64_t changed_at;   /* store generation at which this version arrived */
    uint32_t change_count; /* versions of this object seen so far (1 = new) */
    union {
        struct fd_model_project *project;
        struct fd_model_stage *stage;
        struct fd_model_freight *freight;
        struct fd_model_warehouse *warehouse;
        struct fd_model_promotion *promotion;
        struct fd_model_project_config *project_config;
        /* AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate */
        struct fd_analysis_run *analysis;
        struct fd_model_rollout *rollout;
        struct fd_model_replica_set *replica_set;
        void *any;
    } u;
    /* private: the reference count */
    _Atomic int refs_;
};

/* Decodes one Kubernetes object. hint is the kind expected (used when the
 * object has no "kind", as in REST lists), or FD_MODEL_KIND_UNKNOWN.
 * Returns FD_OK and sets *out to a new object (reference count 1) — possibly
 * an undecodable one with ->error set; returns FD_PARSE and sets *err (caller
 * frees) when the object cannot even be identified: not a JSON object, an
 * unknown or conflicting kind, no metadata.name. Never crashes on any input. */
enum fd_status fd_model_decode(const json_t *json, enum fd_model_kind hint,
                               struct fd_model_object **out, char **err);
/* Same, from JSON text (len bytes; need not be NUL-terminated). */
enum fd_status fd_model_decode_text(const char *text, size_t len, enum fd_model_kind hint,
                                    struct fd_model_object **out, char **err);

/* Takes another reference; returns obj. */
struct fd_model_object *fd_model_object_ref(struct fd_model_object *obj);
/* Drops a reference; frees the object with the last one. NULL is a no-op. */
void fd_model_object_unref(struct fd_model_object *obj);

/* The value of a label / annotation, or NULL. Borrowed from obj. */
const char *fd_model_label(const struct fd_model_object *obj, const char *key);
const char *fd_model_annotation(const struct fd_model_object *obj, const char *key);
/* The controller among obj's ownerReferences (controller: true), else NULL.
 * Borrowed from obj. */
const struct fd_model_owner_ref *fd_model_controller_of(const struct fd_model_object *obj);
/* Whether obj has an ownerReference to the object whose uid is uid (any
 * reference, as kubectl argo rollouts matches them). False for a NULL or
 * empty uid. */
bool fd_model_owned_by(const struct fd_model_object *obj, const char *uid);
/* "Stage kargo-demo/prod" / "Project kargo-demo"; the caller frees. */
char *fd_model_object_describe(const struct fd_model_object *obj);

/* ---- Store -----------------------------------------------------------------
 * Every object of every kind, keyed by kind/namespace/name. The network
 * thread applies watch events and relists; the UI thread takes snapshots.
 * A mutex guards the mutable index; each change bumps the store generation.
 * fd_model_store_snapshot() returns an immutable, reference-counted view
 * (sorted per kind by namespace then name) that stays valid and consistent
 * however the store changes afterwards. Objects are shared, not copied: a
 * kind's list is rebuilt (an O(n) copy of pointers from the sorted index)
 * only when that kind changed, and the same snapshot is handed out again
 * while nothing changed, so an idle UI costs nothing. Typical use: the UI
 * compares fd_model_store_generation() with the snapshot it holds, takes a
 * new one when they differ, and redraws rows whose object's changed_at is
 * newer than its last frame.
 *
 * Memory is bounded: each kind holds at most `cap` objects. A new object past
 * the cap is dropped and the kind is marked overflowed (the console says the
 * list is truncated) until a relist brings it back under the cap.
 */
struct fd_model_store;
struct fd_model_snapshot;

#define FD_MODEL_DEFAULT_CAP 50000

/* clang-format off */
#define FD_MODEL_EVENT_TABLE(_)                                                        \
    _(ADDED, "ADDED")                                                                  \
    _(MODIFIED, "MODIFIED")                                                            \
    _(DELETED, "DELETED")                                                              \
    _(BOOKMARK, "BOOKMARK")
/* clang-format on */

enum fd_model_event {
#define FD_MODEL_EVENT_ENUM(id, text) FD_MODEL_EVENT_##id,
    FD_MODEL_EVENT_TABLE(FD_MODEL_EVENT_ENUM)
#undef FD_MODEL_EVENT_ENUM
        FD_MODEL_EVENT__COUNT
};
/* Parses "ADDED" etc.; returns false for anything else. */
bool fd_model_event_parse(const char *text, enum fd_model_event *out);

/* What an apply did. */
/* clang-format off */
#define FD_MODEL_APPLY_TABLE(_)                                                        \
    _(STORED, "stored")           /* added or replaced */                              \
    _(DELETED, "deleted")                                                              \
    _(UNCHANGED, "unchanged")     /* same resourceVersion already stored */            \
    _(STALE, "stale")             /* older resourceVersion than the stored one */      \
    _(ABSENT, "absent")           /* DELETED of an object not stored */                \
    _(DROPPED, "dropped")         /* over the kind's cap */                            \
    _(BOOKMARK, "bookmark")       /* only the resourceVersion was noted */
/* clang-format on */

enum fd_model_apply_result {
#define FD_MODEL_APPLY_ENUM(id, text) FD_MODEL_APPLY_##id,
    FD_MODEL_APPLY_TABLE(FD_MODEL_APPLY_ENUM)
#undef FD_MODEL_APPLY_ENUM
};
const char *fd_model_apply_result_name(enum fd_model_apply_result r);

/* A new, empty store whose kinds hold at most cap objects each (0 means
 * FD_MODEL_DEFAULT_CAP). Free with fd_model_store_free. */
struct fd_model_store *fd_model_store_new(size_t cap);
/* Frees the store; snapshots still held stay valid until released. */
void fd_model_store_free(struct fd_model_store *store);
/* Changes the cap of one kind (takes effect for later additions). */
void fd_model_store_set_cap(struct fd_model_store *store, enum fd_model_kind kind, size_t cap);

/* Applies one watch event. Takes the caller's reference to obj (for DELETED
 * only its kind/namespace/name/resourceVersion matter). A MODIFIED/ADDED whose
 * numeric resourceVersion is lower than the stored one is STALE and ignored
 * (a replay after a relist); the same version is UNCHANGED. Non-numeric
 * versions are compared for equality only. Thread-safe. */
enum fd_model_apply_result fd_model_store_apply(struct fd_model_store *store,
                                                enum fd_model_event ev,
                                                struct fd_model_object *obj);

/* Decodes the watch event {"type": ..., "object": {...}} and applies it.
 * hint as for fd_model_decode. Returns FD_OK (result in *res when res is not
 * NULL), or FD_PARSE with *err set (caller frees) for a malformed event; an
 * object with wrong field types is still stored, as undecodable. */
enum fd_status fd_model_store_apply_event_json(struct fd_model_store *store, const json_t *event,
                                               enum fd_model_kind hint,
                                               enum fd_model_apply_result *res, char **err);

/* Replaces every object of kind (within namespace ns; NULL = all namespaces)
 * by the n objects given — a full relist: objects no longer listed are
 * deleted. Takes the references to objs[0..n-1] (the array stays the
 * caller's). list_rv, when not NULL, is recorded as the kind's resource
 * version. Returns the number of objects deleted. Clears the kind's overflow
 * state when everything fits. Thread-safe. */
size_t fd_model_store_relist(struct fd_model_store *store, enum fd_model_kind kind, const char *ns,
                             struct fd_model_object **objs, size_t n, const char *list_rv);

/* A relist of every namespace, as fd_model_store_relist with ns NULL, but
 * for the namespaces keep[0..n_keep-1] (borrowed): their stored objects stay
 * as they are (none is deleted or replaced) and the list's objects there are
 * dropped. For a namespace listed on its own at a newer resource version
 * than the list (client/informer.c): the watch from list_rv on brings the
 * changes in between, and older versions are not stored over newer ones.
 * Takes the references to objs[0..n-1]; returns the number deleted. */
size_t fd_model_store_relist_except(struct fd_model_store *store, enum fd_model_kind kind,
                                    const char *const *keep, size_t n_keep,
                                    struct fd_model_object **objs, size_t n, const char *list_rv);

/* Whether resourceVersion a is newer than b: only when both are decimal
 * integers (etcd's, every real API server's), which alone are ordered;
 * false otherwise. */
bool fd_model_rv_newer(const char *a, const char *b);

/* Whether body is a list answer: a JSON object whose "items" is an array,
 * or null for an empty list. An object without "items" (an error page, a
 * proxy's JSON, a single object) is not a list — never an empty one.
 * Returns true and sets *items (borrowed; NULL for null); false with *why
 * (static text: "the answer is not a JSON object", "the answer has no
 * items array"). */
bool fd_model_list_items(const json_t *body, const json_t **items, const char **why);

/* A relist from a list response body {"metadata":{"resourceVersion":...},
 * "items":[...]} (Kubernetes or Kargo REST; items may lack "kind"): decodes
 * each item as kind and calls fd_model_store_relist. Items that cannot be
 * identified are skipped: *skipped (may be NULL) gets their number and *err
 * the first one's message (caller frees; NULL when none). Returns FD_OK, or
 * FD_PARSE with *err set when body is not a list (the store is untouched). */
enum fd_status fd_model_store_relist_json(struct fd_model_store *store, enum fd_model_kind kind,
                                          const char *ns, const json_t *body, size_t *skipped,
                                          char **err);

/* The last resourceVersion noted for kind (from a list, an event or a
 * bookmark), copied into a new string the caller frees; NULL if none. */
char *fd_model_store_resource_version(struct fd_model_store *store, enum fd_model_kind kind);
/* The store generation: bumped by every change. Thread-safe. */
uint64_t fd_model_store_generation(struct fd_model_store *store);

/* The current snapshot (a reference the caller releases with
 * fd_model_snapshot_release). Never NULL. Thread-safe. */
struct fd_model_snapshot *fd_model_store_snapshot(struct fd_model_store *store);
void fd_model_snapshot_release(struct fd_model_snapshot *snap);

/* The generation the snapshot shows. */
uint64_t fd_model_snapshot_generation(const struct fd_model_snapshot *snap);
/* The objects of kind, sorted by namespace then name; *n gets the count.
 * Borrowed, valid while the snapshot is held. */
struct fd_model_object *const *fd_model_snapshot_list(const struct fd_model_snapshot *snap,
                                                      enum fd_model_kind kind, size_t *n);
/* Whether kind overflowed its cap, and how many objects were dropped. */
bool fd_model_snapshot_overflow(const struct fd_model_snapshot *snap, enum fd_model_kind kind,
                                size_t *dropped);
/* The object kind/ns/name (ns NULL for cluster-scoped kinds), or NULL.
 * Borrowed, valid while the snapshot is held. */
const struct fd_model_object *fd_model_snapshot_find(const struct fd_model_snapshot *snap,
                                                     enum fd_model_kind kind, const char *ns,
                                                     const char *name);

/* ---- Derived state: Stage ---------------------------------------------------
 * The phase the Kargo UI shows (ui/src/features/common/stage-status/utils.ts
 * getStagePhase); Stage status.phase no longer exists. */
/* clang-format off */
#define FD_MODEL_STAGE_PHASE_TABLE(_)                                                  \
    _(PROMOTING, "Promoting")                                                          \
    _(VERIFYING, "Verifying")                                                          \
    _(RECONCILING, "Reconciling")                                                      \
    _(FAILED, "Failed")                                                                \
    _(READY, "Ready")                                                                  \
    _(UNKNOWN, "Unknown")
/* clang-format on */

enum fd_model_stage_phase {
#define FD_MODEL_STAGE_PHASE_ENUM(id, text) FD_MODEL_STAGE_##id,
    FD_MODEL_STAGE_PHASE_TABLE(FD_MODEL_STAGE_PHASE_ENUM)
#undef FD_MODEL_STAGE_PHASE_ENUM
};
const char *fd_model_stage_phase_name(enum fd_model_stage_phase phase);

/* The derived phase. controller_alive false (no live Kargo controller
 * heartbeat) makes every Stage Failed, as in the UI. */
enum fd_model_stage_phase fd_model_stage_phase(const struct fd_model_stage *stage,
                                               bool controller_alive);
/* The current Freight collection (status.freightHistory[0]), or NULL. */
const struct fd_model_freight_collection *
fd_model_stage_current(const struct fd_model_stage *stage);
/* The verification state of the Stage's current Freight, as Kargo records
 * it: the phase of the newest entry of freightHistory[0].verificationHistory
 * ("Pending" while that entry has no phase yet), or NULL when nothing was
 * recorded (no current Freight, or not verified yet). A Stage without
 * spec.verification is no exception: Kargo's Stage controller records a
 * Successful verification without an AnalysisRun once the Stage is healthy
 * (pkg/controller/stages/regular_stages.go, v1.11.2), so such a Stage reads
 * "Successful" too. Borrowed from stage. The one answer `get stages`,
 * `get pipeline` and the console show. */
const char *fd_model_stage_verification_phase(const struct fd_model_stage *stage);
/* The current Freight from origin warehouse (NULL = any), or NULL. */
const struct fd_model_freight_ref *
fd_model_stage_current_freight(const struct fd_model_stage *stage, const char *warehouse);
/* Whether the Stage requests Freight from the Warehouse. */
bool fd_model_stage_requests_origin(const struct fd_model_stage *stage, const char *warehouse);

/* The AnalysisRun of a verification: by the verification's analysisRun
 * reference, else by the labels Kargo puts on it (kargo.akuity.io/stage =
 * the Stage and kargo.akuity.io/freight-collection = collection_id; the
 * newest by creation time). Returns NULL when none is in the snapshot.
 * Borrowed from snap. */
const struct fd_model_object *fd_model_verification_run(const struct fd_model_snapshot *snap,
                                                        const struct fd_model_object *stage,
                                                        const struct fd_model_verification *v,
                                                        const char *collection_id);

/* Whether auto-promotion is on for the Stage: its status says so, or a
 * ProjectConfig policy in its namespace names it (stage or exact
 * stageSelector.name) with autoPromotionEnabled. */
bool fd_model_stage_auto_promotion(const struct fd_model_snapshot *snap,
                                   const struct fd_model_object *stage);

/* ---- Derived state: Freight ------------------------------------------------ */
/* The mark for stage in a Freight's currentlyIn / verifiedIn / approvedFor, or NULL. */
const struct fd_model_stage_mark *fd_model_freight_currently_in(const struct fd_model_freight *f,
                                                                const char *stage);
const struct fd_model_stage_mark *fd_model_freight_verified_in(const struct fd_model_freight *f,
                                                               const char *stage);
const struct fd_model_stage_mark *fd_model_freight_approved_for(const struct fd_model_freight *f,
                                                                const char *stage);
/* When Kargo says the Freight (an object of kind FD_MODEL_FREIGHT) was
 * discovered: its discoveredAt, else its creationTimestamp
 * (Freight.EffectiveDiscoveredAt; Kargo's webhook defaults the one to the other). */
int64_t fd_model_freight_discovered_at(const struct fd_model_object *freight);
/* qsort comparator of Freight objects (an array of pointers), newest first
 * as Kargo orders them (pkg/api/auto_promotion.go
 * SelectAutoPromotionCandidates): discovered later first, then by name,
 * greater first. Freight discovered in the same second keep one order. */
int fd_model_freight_newest_first(const void *a, const void *b);
/* Longest soak of the Freight in stage at time now (Freight.GetLongestSoak):
 * 0 unless verified there; the recorded longest completed soak, or the time
 * since it entered the Stage if longer. */
int64_t fd_model_freight_longest_soak(const struct fd_model_freight *f, const char *stage,
                                      int64_t now);

/* Why a Freight is or is not available to a Stage (Stage.IsFreightAvailable,
 * api/v1alpha1/stage_types.go, with the availabilityStrategy of sources.stages). */
/* clang-format off */
#define FD_MODEL_AVAILABILITY_TABLE(_)                                                 \
    _(APPROVED, true, "approved for the Stage")                                        \
    _(DIRECT, true, "direct from the Warehouse")                                       \
    _(VERIFIED_UPSTREAM, true, "verified upstream")                                    \
    _(OTHER_PROJECT, false, "in another project")                                      \
    _(ORIGIN_NOT_REQUESTED, false, "its origin is not requested by the Stage")         \
    _(NOT_VERIFIED_UPSTREAM, false, "not verified in an upstream Stage")               \
    _(SOAKING, false, "still soaking upstream")
/* clang-format on */

enum fd_model_availability {
#define FD_MODEL_AVAILABILITY_ENUM(id, ok, text) FD_MODEL_AVAILABLE_##id,
    FD_MODEL_AVAILABILITY_TABLE(FD_MODEL_AVAILABILITY_ENUM)
#undef FD_MODEL_AVAILABILITY_ENUM
};
bool fd_model_availability_ok(enum fd_model_availability a);
const char *fd_model_availability_text(enum fd_model_availability a);

/* Availability of freight to stage (both objects of their kinds) at time
 * now. *soak_left, when not NULL, gets the seconds still to soak for
 * SOAKING (else 0). */
enum fd_model_availability fd_model_freight_availability(const struct fd_model_object *stage,
                                                         const struct fd_model_object *freight,
                                                         int64_t now, int64_t *soak_left);

/* ---- Derived state: pipeline graph ------------------------------------------ */
enum fd_model_node_kind { FD_MODEL_NODE_WAREHOUSE, FD_MODEL_NODE_STAGE };

struct fd_model_edge {
    size_t from, to; /* node indexes */
    char *warehouse; /* the Freight origin that flows along the edge */
};

struct fd_model_node {
    enum fd_model_node_kind kind;
    char *name;
    const struct fd_model_object *obj; /* NULL when referenced but missing */
    size_t depth;                      /* longest path from a Warehouse (Warehouses are 0) */
    bool in_cycle;                     /* part of (or behind) a cycle: ordered last */
};

struct fd_model_pipeline {
    char *ns;
    struct fd_model_node *nodes; /* topological order: upstream before downstream */
    size_t n_nodes;
    struct fd_model_edge *edges;
    size_t n_edges;
};

/* The project shown when none is asked for: the first Project by name, else
 * (data without Project objects) the namespace of the first Stage; NULL when
 * snap has neither. Borrowed from snap. */
const char *fd_model_first_project(const struct fd_model_snapshot *snap);

/* The pipeline of project ns in snap: Warehouse → Stage edges for
 * requestedFreight with sources.direct, Stage → Stage edges for
 * sources.stages. Nodes are ordered topologically (ties by kind then name).
 * References to missing objects become nodes with obj NULL. The pipeline
 * borrows objects from snap: free it before releasing snap. */
struct fd_model_pipeline *fd_model_pipeline_build(const struct fd_model_snapshot *snap,
                                                  const char *ns);
void fd_model_pipeline_free(struct fd_model_pipeline *p);
/* The index of the node, or (size_t)-1. */
size_t fd_model_pipeline_find(const struct fd_model_pipeline *p, enum fd_model_node_kind kind,
                              const char *name);

/* ---- Derived state: Rollout -------------------------------------------------- */
struct fd_model_canary_view {
    bool canary;         /* a canary strategy */
    bool has_step;       /* "Step: i/n" is shown (status index set and steps exist) */
    int64_t step, steps; /* i/n */
    bool current_step;   /* a step is in progress (index < n) */
    int64_t set_weight;  /* desired ("SetWeight") */
    bool actual_known;
    int64_t actual_weight; /* "ActualWeight" */
    char *phase;           /* Healthy|Progressing|Paused|Degraded|InvalidSpec... */
    char *message;
    char **pause_reasons; /* CanaryPauseStep, InconclusiveAnalysisRun, ..., "manual" */
    size_t n_pause_reasons;
    bool paused_indefinitely; /* waits for a human to promote */
};

/* Computes the canary view of a Rollout (rollout_info.go; doc/upstream.md). The actual
 * weight without traffic routing needs the canary ReplicaSet's available
 * replicas: pass them as canary_available, or -1 when unknown (then
 * actual_known is false unless the answer does not depend on it).
 * Fills *out; release with fd_model_canary_view_free. */
void fd_model_rollout_canary(const struct fd_model_object *rollout, int64_t canary_available,
                             struct fd_model_canary_view *out);
void fd_model_canary_view_free(struct fd_model_canary_view *v);

/* One ReplicaSet of a Rollout, as kubectl argo rollouts lists them
 * (pkg/kubectl-argo-rollouts/info/replicaset_info.go). */
struct fd_model_rollout_rs {
    const struct fd_model_object *obj; /* the ReplicaSet, borrowed from the snapshot */
    int64_t revision;   /* annotation rollout.argoproj.io/revision; 0 when absent or bad */
    const char *hash;   /* label rollouts-pod-template-hash, or NULL; borrowed */
    bool stable;        /* its hash is status.stableRS */
    bool canary;        /* canary strategy: its hash is status.currentPodHash, not stable */
    bool active;        /* blue-green: status.blueGreen.activeSelector */
    const char *health; /* "Healthy", "Progressing", "ScaledDown", "ReplicaFailure" */
};

/* The health kubectl argo rollouts gives a ReplicaSet: Progressing while
 * its status is behind its generation or fewer pods are available than
 * desired, ReplicaFailure when that condition is True, ScaledDown at 0
 * desired, else Healthy. "Unknown" for an undecodable object. */
const char *fd_model_replica_set_health(const struct fd_model_object *rs);

/* The ReplicaSets of snap that rollout owns (an ownerReference to its uid),
 * newest revision first (then by name). Sets *out to an array the caller
 * frees (the objects stay the snapshot's) and returns the count; 0 and
 * *out NULL when none. */
size_t fd_model_rollout_replica_sets(const struct fd_model_snapshot *snap,
                                     const struct fd_model_object *rollout,
                                     struct fd_model_rollout_rs **out);

/* The available pods of the Rollout's canary ReplicaSet in snap, as
 * fd_model_rollout_canary's canary_available wants them (rollout_info.go):
 * 0 when snap holds ReplicaSets of the Rollout but none is the canary; -1
 * when it holds none of them (not read: the actual weight is unknown). */
int64_t fd_model_rollout_canary_available(const struct fd_model_snapshot *snap,
                                          const struct fd_model_object *rollout);

/* The AnalysisRuns of snap that rollout owns (an ownerReference to its uid:
 * step and background runs), newest first (creation time, then name). Sets
 * *out to an array of borrowed objects the caller frees; returns the count. */
size_t fd_model_rollout_runs(const struct fd_model_snapshot *snap,
                             const struct fd_model_object *rollout,
                             const struct fd_model_object ***out);

/* ---- Derived state: what waits for a human ----------------------------------- */
/* The Rollouts behind a Stage (the client's fleet mapping decides): sets
 * *out to a new array of borrowed objects (the caller frees the array). */
typedef size_t (*fd_model_rollouts_fn)(void *user, const char *stage,
                                       const struct fd_model_object ***out);

/* Most urgent first: lists are sorted in this order. (id, text, mark: the
 * pipeline's short word). CLUSTER_LOST is made by whoever knows connections
 * (the console): the model has no clusters. */
/* clang-format off */
#define FD_MODEL_ATTENTION_TABLE(_)                                                    \
    _(CLUSTER_LOST, "cluster not live (data stale)", "stale")                  \
    _(STAGE_INVALID, "Stage the console cannot read", "invalid")                 \
    _(ROLLOUT_DEGRADED, "Rollout aborted or Degraded", "degraded")               \
    _(VERIFICATION_FAILED, "verification Failed", "failed")                     \
    _(ROLLOUT_PAUSED, "Rollout paused until promoted", "canary paused")                \
    _(ANALYSIS_INCONCLUSIVE, "AnalysisRun inconclusive", "inconclusive")               \
    _(FREIGHT_READY, "Freight ready to promote (no auto-promotion)", "promote")
/* clang-format on */

enum fd_model_attention_kind {
#define FD_MODEL_ATTENTION_ENUM(id, text, mark) FD_MODEL_ATTENTION_##id,
    FD_MODEL_ATTENTION_TABLE(FD_MODEL_ATTENTION_ENUM)
#undef FD_MODEL_ATTENTION_ENUM
};
const char *fd_model_attention_text(enum fd_model_attention_kind k);
/* The short word for a pipeline mark ("canary aborted"). */
const char *fd_model_attention_mark(enum fd_model_attention_kind k);

struct fd_model_attention {
    enum fd_model_attention_kind kind;
    const struct fd_model_object *obj;   /* the Freight, Rollout or AnalysisRun */
    const struct fd_model_object *stage; /* the Stage it is about (FREIGHT_READY: the one it
                                            can go to), or NULL when none is known */
    char *detail;                        /* one line for the console */
    char *context;                       /* CLUSTER_LOST: the kube context (owned); else NULL */
};

/* What waits for a human in namespace ns (NULL = all): per Stage without
 * auto-promotion, the newest Freight per origin that is available through
 * upstream verification or approval and has never been in the Stage;
 * Rollouts paused indefinitely; aborted or Degraded Rollouts; Stages whose
 * current verification ended Failed or Error; Inconclusive AnalysisRuns.
 * Most urgent first (fd_model_attention_sort). Sets *out to a
 * new array (free with fd_model_attention_free) and returns its length.
 * Borrows objects from snap. */
size_t fd_model_attention_list(const struct fd_model_snapshot *snap, const char *ns, int64_t now,
                               struct fd_model_attention **out);
void fd_model_attention_free(struct fd_model_attention *items, size_t n);
/* Sorts items most urgent first (table order), keeping the order within a kind. */
void fd_model_attention_sort(struct fd_model_attention *items, size_t n);
/* Names the Stage of the items that name none yet, as the other items do
 * (stage set, detail starting "<stage>: "): a Rollout, the Stage of stages
 * (the Kargo cluster's snapshot) in namespace ns that rollouts puts it behind;
 * an AnalysisRun, the Stage of its kargo.akuity.io/stage label, else the Stage
 * of the Rollout that owns it. Items whose Stage is not found stay as they
 * are. The Stages are borrowed from stages. */
void fd_model_attention_name_stages(struct fd_model_attention *items, size_t n,
                                    const struct fd_model_snapshot *stages, const char *ns,
                                    fd_model_rollouts_fn rollouts, void *user);

/* ---- Derived state: the production gate --------------------------------------
 * What an operator must know before approving or promoting Freight into a
 * Stage (the console shows it for production Stages): what is there now,
 * and loud warnings. */
enum fd_model_gate_kind {
    FD_MODEL_GATE_FAILED_UPSTREAM, /* failed verification upstream */
    FD_MODEL_GATE_CANARY_ABORTED,  /* a canary running it aborted or is Degraded */
    FD_MODEL_GATE_NOT_VERIFIED     /* approved by hand, not verified upstream */
};

struct fd_model_gate_warning {
    enum fd_model_gate_kind kind;
    char *text; /* one line: "verification v-stg-150 Failed in staging at 11:58: ..." */
};

struct fd_model_gate {
    const struct fd_model_freight_ref *now; /* the Stage's current Freight, or NULL */
    const struct fd_model_object *now_obj;  /* its Freight object, or NULL */
    struct fd_model_gate_warning *warnings;
    size_t n_warnings;
};

/* The gate for putting Freight freight into Stage stage (both from snap):
 *  - FAILED_UPSTREAM: a verification of a collection holding the Freight
 *    ended Failed or Error in another Stage;
 *  - CANARY_ABORTED: a Rollout behind another Stage the Freight is in now
 *    is aborted or Degraded (rollouts may be NULL: not checked);
 *  - NOT_VERIFIED: the Stage takes Freight from upstream Stages and the
 *    Freight was verified in none of them (approved by hand, or about to be).
 * Fills *out (release with fd_model_gate_free); borrows from snap. */
void fd_model_gate_build(const struct fd_model_snapshot *snap, const struct fd_model_object *stage,
                         const struct fd_model_object *freight, fd_model_rollouts_fn rollouts,
                         void *user, struct fd_model_gate *out);
void fd_model_gate_free(struct fd_model_gate *g);

/* ---- Small parsers shared with the one-shot commands -------------------------- */
/* RFC 3339 times: fd_time_parse_rfc3339 (util), in milliseconds. */
/* Parses a Go duration ("30m", "1h2m3.5s", "300ms") into whole seconds
 * (truncated). Returns false when malformed. */
bool fd_model_parse_duration(const char *s, int64_t *out);
/* Whether s can name a Kubernetes object or namespace: a DNS-1123 subdomain
 * (k8s.io/apimachinery IsDNS1123Subdomain): at most 253 characters, labels of
 * [a-z0-9] and '-' separated by '.', each starting and ending with [a-z0-9].
 * Such a name is also safe in a URL path unescaped. NULL is not a name. */
bool fd_model_name_valid(const char *s);

/* ---- Actions: intent -> exact wire request ----------------------------------
 * An action is a kind and a target. fd_model_action_plan turns it, with a
 * snapshot of the store, into the exact requests to send (doc/upstream.md:
 * Kargo's API server, kubectl-argo-rollouts), a human description of what will change (object,
 * field, value), and the client-side checks with their outcome in plain
 * words. The checks that need the server (RBAC, SelfSubjectAccessReview)
 * are listed in plan->access with an UNKNOWN outcome: the client module
 * fills them (fd_client_action_review, fd_client_action_review_cached) and
 * sends the plan (fd_client_action_send, _send_blocking). Planning is pure:
 * src/model/actions.c does no I/O.
 */

/* id, name (CLI/keymap spelling), what it does, and the permission every plan
 * of the kind asks first (verb, API group, resource, subresource or NULL):
 * the console's keys ask it before a plan exists. No action is ever sent
 * twice, whatever it does: an answer that never came is "outcome unknown"
 * and the object is read back (client/action_send.c). */
/* clang-format off */
#define FD_MODEL_ACTION_TABLE(_)                                                               \
    _(APPROVE, "approve", "approve the Freight for the Stage", \
      "patch", "kargo.akuity.io", "freights", "status") \
    _(PROMOTE, "promote", "promote the Freight to the Stage (create a Promotion)", \
      "create", "kargo.akuity.io", "promotions", NULL) \
    _(REVERIFY, "reverify", "re-run the Stage's verification", \
      "patch", "kargo.akuity.io", "stages", NULL) \
    _(ABORT_VERIFICATION, "abort-verification", "abort the Stage's running verification", \
      "patch", "kargo.akuity.io", "stages", NULL) \
    _(REFRESH_WAREHOUSE, "refresh-warehouse", "make the Warehouse look for new Freight now", \
      "patch", "kargo.akuity.io", "warehouses", NULL) \
    _(REFRESH_STAGE, "refresh-stage", "make Kargo reconcile the Stage now", \
      "patch", "kargo.akuity.io", "stages", NULL) \
    _(ABORT_PROMOTION, "abort-promotion", "abort the running Promotion", \
      "patch", "kargo.akuity.io", "promotions", NULL) \
    _(ROLLOUT_ABORT, "rollout-abort", "abort the Rollout (traffic back to stable)", \
      "patch", "argoproj.io", "rollouts", "status") \
    _(ROLLOUT_RETRY, "rollout-retry", "retry an aborted Rollout", \
      "patch", "argoproj.io", "rollouts", "status") \
    _(ROLLOUT_PROMOTE, "rollout-promote", "promote the Rollout past its current step", \
      "patch", "argoproj.io", "rollouts", "status") \
    _(ROLLOUT_PROMOTE_FULL, "rollout-promote-full", "promote the Rollout fully, skipping steps", \
      "patch", "argoproj.io", "rollouts", "status")
/* clang-format on */

enum fd_model_action_kind {
#define FD_MODEL_ACTION_ENUM(id, name, help, verb, group, resource, sub) FD_MODEL_ACTION_##id,
    FD_MODEL_ACTION_TABLE(FD_MODEL_ACTION_ENUM)
#undef FD_MODEL_ACTION_ENUM
        FD_MODEL_ACTION__COUNT
};
/* "rollout-promote"; "" when out of range. */
const char *fd_model_action_name(enum fd_model_action_kind k);
const char *fd_model_action_help(enum fd_model_action_kind k);
/* The permission every plan of kind k asks first (the table's columns; sub
 * NULL when none). Returns false, with nothing set, when k is out of range. */
bool fd_model_action_access(enum fd_model_action_kind k, const char **verb, const char **group,
                            const char **resource, const char **sub);
/* By name (exact); false when unknown. */
bool fd_model_action_parse(const char *name, enum fd_model_action_kind *out);

/* What to act on (borrowed strings). */
struct fd_model_action {
    enum fd_model_action_kind kind;
    const char *ns;    /* the project (Kargo kinds) or the Rollout's namespace */
    const char *name;  /* APPROVE/PROMOTE: Freight name or alias; REVERIFY,
                          ABORT_VERIFICATION, REFRESH_STAGE: the Stage;
                          REFRESH_WAREHOUSE: the Warehouse; ABORT_PROMOTION: the
                          Promotion; ROLLOUT_*: the Rollout */
    const char *stage; /* APPROVE/PROMOTE: the Stage; else NULL */
    const char *actor; /* optional, recorded in reverify/abort annotations */
};

/* Stands in a plan for the time its request is sent (approvedAt): the
 * server stamps that time when it handles the request, so the plan cannot
 * know it; the sender puts it in (fd_model_action_stamp). */
#define FD_MODEL_SEND_TIME "<the time of sending>"

/* One request exactly as sent, but for FD_MODEL_SEND_TIME (when stamped). */
struct fd_model_action_request {
    char *method;       /* "PATCH", "POST" */
    char *path;         /* "/apis/kargo.akuity.io/v1alpha1/namespaces/p/freights/f/status" */
    char *content_type; /* "application/merge-patch+json", "application/json" */
    char *body;         /* JSON text */
    /* A status-subresource patch that gets 404 (the CRD has no status
     * subresource) is sent once more here, as kubectl-argo-rollouts does;
     * NULL when there is no fallback. */
    char *fallback_path;
    char *fallback_body;
    bool stamped; /* body holds FD_MODEL_SEND_TIME */
};

/* text with every FD_MODEL_SEND_TIME replaced by now (epoch s) in RFC 3339
 * (UTC, seconds): the body or description as sent at now. NULL for NULL;
 * else the caller frees it. */
char *fd_model_action_stamp(const char *text, int64_t now);

/* clang-format off */
#define FD_MODEL_CHECK_TABLE(_)                                                \
    _(PASS, "ok")                                                              \
    _(FAIL, "refused")  /* blocks the action */                                \
    _(WARN, "warning")  /* shown, does not block */                            \
    _(UNKNOWN, "unknown") /* could not be decided (not blocking) */
/* clang-format on */

enum fd_model_check_outcome {
#define FD_MODEL_CHECK_ENUM(id, text) FD_MODEL_CHECK_##id,
    FD_MODEL_CHECK_TABLE(FD_MODEL_CHECK_ENUM)
#undef FD_MODEL_CHECK_ENUM
};

/* One client-side check, in plain words:
 * what "Freight origin Warehouse/api is requested by Stage prod",
 * detail "" or why it failed. */
struct fd_model_action_check {
    char *what;
    enum fd_model_check_outcome outcome;
    char *detail;
};

/* One RBAC question for SelfSubjectAccessReview. */
struct fd_model_access_need {
    char *verb, *group, *resource, *subresource, *ns, *name; /* subresource, name may be NULL */
    enum fd_model_check_outcome outcome; /* UNKNOWN until reviewed; FAIL = denied */
    char *detail;                        /* the server's reason, or why unknown */
};

struct fd_model_action_plan {
    enum fd_model_action_kind kind;
    char *ns, *name, *stage; /* owned copies; name resolved (alias -> Freight name) */
    char *target;            /* "Freight payments/3f2a… (wonky-wombat) for Stage prod" */
    char *description;       /* one line per change, e.g.
                                "Freight payments/3f2a…: set status.approvedFor.prod.approvedAt
                                 = <the time of sending>" */
    struct fd_model_action_request *requests; /* in order; 0 when nothing to send */
    size_t n_requests;
    struct fd_model_action_check *checks;
    size_t n_checks;
    struct fd_model_access_need *access;
    size_t n_access;
};

/* Plans action a against snap at time now (epoch s). Returns FD_OK and sets
 * *out (free with fd_model_action_plan_free) — failed checks are in the
 * plan, not errors; FD_INVALID with *err set (caller frees) when a is
 * malformed (missing name/stage/ns, out-of-range kind). Pure: no I/O. */
enum fd_status fd_model_action_plan(const struct fd_model_action *a,
                                    const struct fd_model_snapshot *snap, int64_t now,
                                    struct fd_model_action_plan **out, char **err);
void fd_model_action_plan_free(struct fd_model_action_plan *p);

/* Whether a check or access need FAILed; *reason (may be NULL; a
 * thread-local buffer valid until the next call on the thread) gets the
 * first failure in plain words ("check failed: Stage prod requests Freight
 * from Warehouse/api: ..."). */
bool fd_model_action_blocked(const struct fd_model_action_plan *p, const char **reason);

/* Multi-line text for a confirmation dialog or `--dry-run`: target, what
 * will be sent (method, path, body) and every check with its outcome.
 * The caller frees it. */
char *fd_model_action_plan_text(const struct fd_model_action_plan *p);

#endif /* FREIGHTDECK_MODEL_H */
