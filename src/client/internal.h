#ifndef FREIGHTDECK_CLIENT_INTERNAL_H
#define FREIGHTDECK_CLIENT_INTERNAL_H
/* client/internal.h: what the files of the client (client.c, informer.c,
 * access.c) share. Fields marked [net] belong to the network thread alone;
 * [mu] ones are guarded by client->mu. */

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"

#define FD_CLIENT_DEFAULT_MAX_EVENT (8u << 20)
#define FD_CLIENT_DEFAULT_MAX_LIST  (64u << 20)
#define FD_CLIENT_DEFAULT_PAGE      500u

/* What a running transfer belongs to (req->user points at one). */
enum owner_type { OWNER_INFORMER, OWNER_PENDING, OWNER_LIVENESS };
struct owner {
    enum owner_type type;
};

enum inf_phase { PH_IDLE, PH_LIST, PH_WATCH };

struct informer {
    struct owner own;
    struct fd_client *c;
    enum fd_model_kind kind;
    struct fd_client_resource_state st; /* [mu] */
    /* [net] */
    enum inf_phase phase;
    struct fd_kube_req *req;
    int64_t next_at;               /* monotonic ms of the next start (PH_IDLE) */
    char *rv;                      /* watch from here; NULL: list first */
    char *cont;                    /* list continue token */
    struct fd_model_object **objs; /* the list being gathered */
    size_t n_objs, cap_objs;
    struct fd_buf line;       /* watch: the event being received */
    enum fd_status stream_st; /* watch: why the stream was cut (FD_OK none) */
    char *stream_err;
    bool gone;             /* watch: the server said 410 */
    bool relist_now;       /* resync asked */
    int64_t watch_started; /* monotonic ms the current watch began */
    bool watch_seen;       /* it delivered an event or a bookmark */
    unsigned forbid_fails; /* 403s in a row since the last list
                              (of a kind listed before) */
    unsigned watch_fails;  /* watches in a row that failed or ended at
                              once with nothing: back-off that a
                              successful list does not reset */
    bool changed;          /* the store changed in this round */
    /* Focus (a client of every namespace, one of the long kinds): the
     * shown project's namespace is listed on its own before (or, after a
     * switch, beside) the list of every namespace, which is long, and
     * watched until that list is in; see fd_client_focus. A focus
     * informer is not retried after a failure. */
    struct informer *focus; /* [net] the kind's focus informer, or NULL */
    struct informer *main;  /* [net] of a focus informer: its kind's informer */
    char *ns;               /* [net] of a focus informer: the namespace it lists */
    enum { FOCUS_NONE, FOCUS_LISTING, FOCUS_DONE, FOCUS_FAILED } focus_state; /* [net] */
    /* [mu] of a kind's informer: the namespaces its focus informer listed
     * (before the kind's first list of every namespace), with the last
     * resourceVersion each holds (its list's, then its watch's events'). */
    char **focus_ns, **focus_rv;
    size_t n_focus;
};

struct pending {
    struct owner own;
    struct pending *next;
    char *method, *path, *ctype, *body;
    fd_client_done_fn done;
    void *user;
    struct fd_kube_req *req; /* [net] while running */
};

/* The liveness probe (liveness.c). [net] */
struct fd_client_liveness {
    struct owner own;
    struct fd_kube_req *req; /* the probe in flight, or NULL */
    int64_t next_at;         /* monotonic ms of the next probe */
    unsigned failures;
    /* [mu] epoch s the server last answered (a probe, a list, a watch
     * event): the data is stale since then when a probe goes unanswered. */
    int64_t alive_at;
};

struct fd_client {
    struct fd_kube_config *cfg;
    struct fd_model_store *store;
    char *ns;
    bool readonly;
    uint32_t optional; /* opts.optional_kinds */
    fd_client_change_fn on_change;
    void *user;
    size_t max_event, max_list;
    unsigned page_size, backoff_min, backoff_max, watch_timeout;
    unsigned live_interval, live_timeout; /* ms */
    struct fd_client_liveness live;

    pthread_t thread;
    CURLM *multi;
    int cred_pipe[2]; /* the credential refresh says it is done */
    /* [net] a failing exec plugin is re-run after a back-off, never in a loop */
    unsigned cred_fails;
    int64_t cred_retry_at; /* monotonic ms; 0: now */

    pthread_mutex_t mu;
    pthread_cond_t cond;           /* state changes (wait_synced) */
    bool stop;                     /* [mu] */
    bool resync;                   /* [mu] */
    struct pending *queue, **tail; /* [mu] not yet started */
    struct access_entry *access;   /* [mu] the review cache */
    size_t n_access, cap_access;

    struct informer *inf;
    size_t n_inf;
    struct informer *finf; /* the focus informers (see struct informer) */
    size_t n_finf;
    bool focus_auto;         /* opts.focus_first_project */
    char *focus_want;        /* [mu] the namespace asked for by fd_client_focus */
    bool focus_asked;        /* [mu] fd_client_focus was called */
    struct pending *running; /* [net] started, not finished */
    bool cred_wait;          /* [net] a refresh is running */
    bool dirty;              /* [net] call on_change at the end of the round */
    uint32_t rng;            /* [net] jitter */
};

/* informer.c */
/* Starts the informer's next transfer (list or watch) and adds it to the
 * multi handle; on failure to even build the request, schedules a retry. */
void fd_client_informer_start(struct informer *inf);
/* A transfer of the informer finished with code. */
void fd_client_informer_done(struct informer *inf, CURLcode code);
/* Schedules a retry after a failure: state STALE (FORBIDDEN for
 * FD_REFUSED), back-off with jitter, the message kept. */
void fd_client_informer_fail(struct informer *inf, enum fd_status st, const char *msg);
void fd_client_informer_clear(struct informer *inf);
/* Cancels the transfer of inf if one runs; inf is then idle. */
void fd_client_informer_cancel(struct informer *inf);

/* client.c: marks a state change (wakes wait_synced; on_change later). */
void fd_client_touch(struct fd_client *c);

/* liveness.c */
/* Sets short TCP keepalives on the connection an informer's transfer opens. */
void fd_client_liveness_tune(CURL *easy);
/* Starts a probe when one is due and some informer watches. */
void fd_client_liveness_round(struct fd_client *c, int64_t now_ms);
/* The probe finished: without an answer, every watch and list fails. */
void fd_client_liveness_done(struct fd_client *c, CURLcode code);
/* Milliseconds until the next probe is due (INT64_MAX while one runs). */
int64_t fd_client_liveness_wait(const struct fd_client *c, int64_t now_ms);
void fd_client_liveness_clear(struct fd_client *c);

/* access.c */
struct access_entry;
void fd_client_access_cache_free(struct fd_client *c);

#endif /* FREIGHTDECK_CLIENT_INTERNAL_H */
