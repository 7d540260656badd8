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
#define FD_CLIENT_DEFAULT_MAX_LIST (64u << 20)
#define FD_CLIENT_DEFAULT_PAGE 500u

/* What a running transfer belongs to (req->user points at one). */
enum owner_type { OWNER_INFORMER, OWNER_PENDING };
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
    int64_t next_at;                  /* monotonic ms of the next start (PH_IDLE) */
    char *rv;                         /* watch from here; NULL: list first */
    char *cont;                       /* list continue token */
    struct fd_model_object **objs;    /* the list being gathered */
    size_t n_objs, cap_objs;
    struct fd_buf line;               /* watch: the event being received */
    enum fd_status stream_st;         /* watch: why the stream was cut (FD_OK none) */
    char *stream_err;
    bool gone;                        /* watch: the server said 410 */
    bool relist_now;                  /* resync asked */
    bool changed;                     /* the store changed in this round */
};

struct pending {
    struct owner own;
    struct pending *next;
    char *method, *path, *ctype, *body;
    fd_client_done_fn done;
    void *user;
    struct fd_kube_req *req; /* [net] while running */
};

struct fd_client {
    struct fd_kube_config *cfg;
    struct fd_model_store *store;
    char *ns;
    bool readonly;
    fd_client_change_fn on_change;
    void *user;
    size_t max_event, max_list;
    unsigned page_size, backoff_min, backoff_max, watch_timeout;

    pthread_t thread;
    CURLM *multi;
    int cred_pipe[2]; /* the credential refresh says it is done */

    pthread_mutex_t mu;
    pthread_cond_t cond;          /* state changes (wait_synced) */
    bool stop;                    /* [mu] */
    bool resync;                  /* [mu] */
    struct pending *queue, **tail; /* [mu] not yet started */
    struct access_entry *access;  /* [mu] the review cache */
    size_t n_access, cap_access;

    struct informer *inf;
    size_t n_inf;
    struct pending *running;      /* [net] started, not finished */
    bool cred_wait;               /* [net] a refresh is running */
    bool dirty;                   /* [net] call on_change at the end of the round */
    uint32_t rng;                 /* [net] jitter */
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

/* client.c: marks a state change (wakes wait_synced; on_change later). */
void fd_client_touch(struct fd_client *c);

/* access.c */
struct access_entry;
void fd_client_access_cache_free(struct fd_client *c);

#endif /* FREIGHTDECK_CLIENT_INTERNAL_H */
