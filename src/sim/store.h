#ifndef FD_SIM_STORE_H
#define FD_SIM_STORE_H
/*
 * sim/store.h: the object store behind the simulated API server.
 *
 * Objects are JSON (jansson) addressed by (group, version, resource,
 * namespace, name). The store keeps Kubernetes' metadata rules: one
 * resourceVersion counter for the whole store, uid, creationTimestamp,
 * generation bumped on spec changes only, status subresources, conflicts on a
 * stale resourceVersion, no-op writes that change nothing. Every committed
 * change is an event in a bounded history that watches replay.
 *
 * Threads: one recursive mutex guards everything. Every function takes it, so
 * a controller thread may call them directly, or hold the lock across several
 * calls (fd_sim_store_lock ... unlock) to read-modify-write atomically.
 * Committed objects are immutable and shared: never modify an object the
 * store hands out as borrowed (events, list items); get returns a copy.
 *
 * Errors: functions that can fail return NULL and set *err to a Kubernetes
 * Status object (see status.h; the caller owns it; its "code" is the HTTP
 * status). err may be NULL when the caller does not want it.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "freightdeck/util.h"
#include "resources.h"
#include "schema.h"
#include "selector.h"

struct fd_sim_store;

struct fd_sim_key {
    const char *group;    /* "" for the core group */
    const char *version;  /* "v1alpha1" */
    const char *resource; /* plural: "stages" */
    const char *ns;       /* NULL or "" for cluster-scoped, or all namespaces */
    const char *name;     /* NULL for collections */
};

enum fd_sim_event_type { FD_SIM_ADDED, FD_SIM_MODIFIED, FD_SIM_DELETED };

struct fd_sim_event {
    uint64_t rv;
    enum fd_sim_event_type type;
    const struct fd_sim_resource *res;
    const json_t *object; /* after the change; the last state for DELETED */
    const json_t *old;    /* before the change; NULL for ADDED */
};

enum fd_sim_op { FD_SIM_OP_CREATE, FD_SIM_OP_UPDATE, FD_SIM_OP_DELETE };

/* How a write is made. Zero-initialise for a plain write by the system.
 * Every write is decoded and validated against the resource's CRD schema
 * (schema.h) and Kargo's validating webhooks (webhooks.c), whoever makes it,
 * except the objects the simulator generates itself (generated below). */
struct fd_sim_write {
    const char *subresource; /* NULL, or "status" */
    const char *user;        /* the requesting user, for admission; NULL = system */
    bool keep_status;        /* create: keep .status (loader, controllers) */
    bool dry_run;            /* validate and admit, but do not commit */
    /* create: the object comes from the simulator's own generator (the
     * scale:N scenarios), whose output tests/unit/test_sim_ctl.c proves to
     * be already decoded (nothing unknown, every default set) and valid by
     * the CRD schema: the schema's decoding and validation are skipped,
     * admission and Kargo's webhooks still run. Never set for a request or a
     * scenario file. */
    bool generated;
    /* Unknown fields: dropped, and with FD_SIM_FV_STRICT refused (400 on a
     * create or update, 422 on a patch); with FD_SIM_FV_WARN each is
     * appended to warnings ('unknown field "spec.x"') when it is an array. */
    enum fd_sim_field_validation field_validation;
    json_t *warnings;
};

/* Admission hook (a mutating and validating webhook in one): called under
 * the lock before a write commits, with the current object (NULL on create)
 * and the object about to be stored, which it may change (it may not change
 * the namespace or name). Returns NULL to admit, or a Status to reject (the
 * store takes ownership and returns it to the writer). */
typedef json_t *(*fd_sim_admit_fn)(void *ud, enum fd_sim_op op, const struct fd_sim_resource *res,
                                   const struct fd_sim_write *w, const json_t *old, json_t *obj);
/* Observer: called under the lock after every committed change, in order.
 * It may write to the store (its own events are delivered after it returns). */
typedef void (*fd_sim_observe_fn)(void *ud, const struct fd_sim_event *ev);

/* A new, empty store that keeps the last `history` events for watches
 * (0 = 1000). Never NULL. */
struct fd_sim_store *fd_sim_store_new(size_t history);
/* Frees the store; no watch may still be open. NULL is ignored. */
void fd_sim_store_free(struct fd_sim_store *st);

void fd_sim_store_lock(struct fd_sim_store *st);
void fd_sim_store_unlock(struct fd_sim_store *st);

/* Installs the admission hook (NULL removes it). */
void fd_sim_store_set_admit(struct fd_sim_store *st, fd_sim_admit_fn fn, void *ud);
/* Adds an observer; returns 0, or -1 when 8 are already registered. */
int fd_sim_store_add_observer(struct fd_sim_store *st, fd_sim_observe_fn fn, void *ud);
/* Removes the observer added with fn and ud (nothing when there is none). */
void fd_sim_store_remove_observer(struct fd_sim_store *st, fd_sim_observe_fn fn, void *ud);

/* The current resourceVersion (the last committed change; 0 when empty). */
uint64_t fd_sim_store_rv(struct fd_sim_store *st);
/* Blocks until the store's resourceVersion exceeds after_rv, the store shuts
 * down or timeout_ms passes (<0 = no limit). Returns the resourceVersion.
 * The caller must not hold the lock (a controller's wait between passes). */
uint64_t fd_sim_store_wait(struct fd_sim_store *st, uint64_t after_rv, int timeout_ms);

/* The object at key, a deep copy the caller owns; NULL + 404 Status. */
json_t *fd_sim_store_get(struct fd_sim_store *st, const struct fd_sim_key *key, json_t **err);
/* The object at key, borrowed: the caller holds the lock, and the pointer is
 * valid until it releases it; NULL when there is none (or the key names no
 * resource). Read it, never modify it. */
const json_t *fd_sim_store_peek(struct fd_sim_store *st, const struct fd_sim_key *key);

struct fd_sim_list_opts {
    const struct fd_sim_selector *labels; /* NULL = all */
    const struct fd_sim_selector *fields; /* NULL = all */
    long limit;                           /* 0 = no limit */
    const char *continue_token;           /* NULL or "" = from the start */
};
/* A <Kind>List object (apiVersion, kind, metadata.resourceVersion, continue,
 * items sorted by namespace/name). Items are the store's shared objects:
 * read them, never modify them. key->name is ignored; key->ns NULL or ""
 * lists all namespaces. */
json_t *fd_sim_store_list(struct fd_sim_store *st, const struct fd_sim_key *key,
                          const struct fd_sim_list_opts *opts, json_t **err);

/* Creates obj (borrowed; the caller keeps it) in key->ns: fills uid,
 * resourceVersion, generation 1, creationTimestamp, a generateName name, and
 * drops .status for resources with a status subresource unless
 * w->keep_status. Returns a copy of the stored object. Errors: 400 (kind or
 * namespace mismatch), 404 (namespace missing), 409 AlreadyExists, 422. */
json_t *fd_sim_store_create(struct fd_sim_store *st, const struct fd_sim_key *key,
                            const json_t *obj, const struct fd_sim_write *w, json_t **err);
/* Creates obj as fd_sim_store_create does, but takes the reference to obj
 * (the store keeps and changes it: the caller must not use it afterwards)
 * and returns no copy, for a loader of many objects. Returns true, or false
 * with *err as fd_sim_store_create. */
bool fd_sim_store_load(struct fd_sim_store *st, const struct fd_sim_key *key, json_t *obj,
                       const struct fd_sim_write *w, json_t **err);
/* Replaces the object at key with obj (PUT). metadata.resourceVersion must be
 * the current one (409 Conflict otherwise). With w->subresource "status" only
 * .status is taken from obj; on the main resource .status is kept when the
 * resource has a status subresource. Returns a copy of the stored object. */
json_t *fd_sim_store_update(struct fd_sim_store *st, const struct fd_sim_key *key,
                            const json_t *obj, const struct fd_sim_write *w, json_t **err);

enum fd_sim_patch_type { FD_SIM_PATCH_MERGE, FD_SIM_PATCH_JSON };
/* Applies a merge patch or JSON patch to the object at key, then updates it
 * as fd_sim_store_update does (a resourceVersion in the patch is a
 * precondition). Errors: 404, 409, 400 (bad patch), 422 (patch failed). */
json_t *fd_sim_store_patch(struct fd_sim_store *st, const struct fd_sim_key *key,
                           enum fd_sim_patch_type type, const json_t *patch,
                           const struct fd_sim_write *w, json_t **err);
/* Deletes the object at key; returns it (the caller owns it). Deleting a
 * namespace deletes everything in it first. */
json_t *fd_sim_store_delete(struct fd_sim_store *st, const struct fd_sim_key *key,
                            const struct fd_sim_write *w, json_t **err);

/* ---- Watches ---- */
struct fd_sim_watch;

struct fd_sim_watch_opts {
    struct fd_sim_selector *labels; /* owned by the watch from the call on, */
    struct fd_sim_selector *fields; /* even when it fails; NULL = all */
    const char *resource_version;   /* NULL/"" = current state then changes;
                                       "0" likewise; "N" = changes after N */
    bool bookmarks;                 /* send BOOKMARK events when idle */
    int bookmark_interval_ms;       /* 0 = 60 s */
    int timeout_ms;                 /* total duration; <= 0 = until shutdown */
};
/* Opens a watch on key's resource (key->ns "" = all namespaces). A
 * resourceVersion older than the history window still opens; its first
 * event is an ERROR carrying a 410 Expired Status, then it ends. NULL + Status
 * on a bad resourceVersion (400). */
struct fd_sim_watch *fd_sim_store_watch(struct fd_sim_store *st, const struct fd_sim_key *key,
                                        const struct fd_sim_watch_opts *opts, json_t **err);
/* Appends the next events as newline-delimited JSON
 * ({"type":"ADDED","object":{...}}) to out, waiting up to wait_ms (<0 = no
 * limit) for one. Returns the number of events appended, 0 on a timeout, or
 * -1 when the watch has ended (its timeout, an ERROR event, or shutdown). */
int fd_sim_watch_next(struct fd_sim_watch *w, struct fd_buf *out, int wait_ms);
void fd_sim_watch_free(struct fd_sim_watch *w);

/* Ends every watch and wait (they return -1 / at once) and refuses new ones;
 * called before the server stops. */
void fd_sim_store_shutdown(struct fd_sim_store *st);

#endif
