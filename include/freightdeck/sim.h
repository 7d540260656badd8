#ifndef FREIGHTDECK_SIM_H
#define FREIGHTDECK_SIM_H
/*
 * sim: a small Kubernetes API server (`freightdeck sim`) serving Kargo and
 * Argo Rollouts resources from memory, so the console, kubectl and the tests
 * talk HTTP to it exactly as to a real cluster.
 *
 * Request handling is a plain function over a request struct
 * (fd_sim_api_handle), so tests and the fuzz target drive it without
 * sockets; fd_sim_serve puts it behind libmicrohttpd. The object store that
 * emulated controllers work on is src/sim/store.h.
 */

#include <stdbool.h>
#include <stddef.h>

#include "freightdeck/util.h"

struct fd_sim_api;
struct fd_sim_store;
struct fd_sim_watch;

struct fd_sim_request {
    const char *method;       /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;         /* decoded, without the query: "/api/v1/namespaces" */
    const char *const *query; /* decoded key, value, key, value, ..., NULL; may be NULL */
    const char *content_type; /* NULL when absent */
    const char *accept;
    const char *authorization; /* "Bearer TOKEN" or NULL */
    const char *body;
    size_t body_len;
};

struct fd_sim_response {
    int code;                 /* HTTP status */
    const char *content_type; /* static */
    char *body;               /* owned; NUL-terminated; NULL for a stream */
    size_t body_len;
    /* For a watch: the events to stream with fd_sim_response_stream. */
    struct fd_sim_watch *watch;
    bool watch_table; /* the client asked for Table rows */
    /* Warning header values ('299 - "unknown field \"spec.x\""'), a JSON
     * array of strings owned by the response; NULL when none. */
    struct json_t *warnings;
};

/* A request handler with an empty store keeping `history` watch events
 * (0 = 1000) and no tokens (everyone is an anonymous admin). Never NULL. */
struct fd_sim_api *fd_sim_api_new(size_t history);
/* Stops every watch, then frees the handler and its store; NULL is ignored. */
void fd_sim_api_free(struct fd_sim_api *api);
/* Wakes and ends every open watch (before the HTTP server stops). */
void fd_sim_api_shutdown(struct fd_sim_api *api);

/* Requires a bearer token from the file (`TOKEN USER ROLE` lines; roles
 * admin, promoter, viewer). Returns FD_OK, or FD_PARSE/FD_IO with *err set
 * to "FILE:LINE: message" (the caller frees it). */
enum fd_status fd_sim_api_set_tokens(struct fd_sim_api *api, const char *path, char **err);
/* The first admin's user name and token (for a kubeconfig), or NULLs when
 * there are no tokens. Borrowed. */
void fd_sim_api_admin(const struct fd_sim_api *api, const char **user, const char **token);

/* Loads every object of a YAML (multi-document) or JSON file into the store,
 * creating missing namespaces and keeping .status. Returns FD_OK, or
 * FD_IO/FD_PARSE/FD_INVALID with *err set to "FILE:LINE:COL: message". */
enum fd_status fd_sim_api_load(struct fd_sim_api *api, const char *path, char **err);

/* Handles one request. Always fills resp (zero it first); free it with
 * fd_sim_response_free. */
void fd_sim_api_handle(struct fd_sim_api *api, const struct fd_sim_request *req,
                       struct fd_sim_response *resp);
/* For a watch response: appends the next events to out, waiting up to
 * wait_ms (<0 = no limit). Returns the number of events, 0 on a timeout, -1
 * when the stream has ended. */
int fd_sim_response_stream(struct fd_sim_api *api, struct fd_sim_response *resp, struct fd_buf *out,
                           int wait_ms);
void fd_sim_response_free(struct fd_sim_response *resp);

/* Parses a raw query string ("a=b&c=d%20e") into the NULL-terminated
 * key/value array fd_sim_request.query takes; the caller frees it with
 * fd_sim_query_free. Never NULL. */
char **fd_sim_query_parse(const char *raw);
void fd_sim_query_free(char **query);

struct fd_sim_options {
    const char *listen;   /* "127.0.0.1:PORT"; port 0 picks a free one */
    const char *tokens;   /* token file or NULL */
    const char *tls_cert; /* PEM files, both or neither */
    const char *tls_key;
    const char *tls_ca;         /* CA for the kubeconfig (default: the certificate) */
    const char *kubeconfig_out; /* written once listening, or NULL */
    const char *const *load;    /* files to preload */
    size_t nload;
    size_t history; /* watch history window (0 = 1000) */
    /* The scenario player (src/sim/player.c, hooks.h). */
    const char *scenario;    /* name or file; "none"; NULL: payments, or none with load */
    double speed;            /* scenario time per wall second (0 = the scenario's) */
    const char *faults;      /* --faults spec (see src/sim/hooks.h), or NULL */
    unsigned long long seed; /* --seed: noise and fault choices */
    const char *prometheus;  /* measure analysis through this Prometheus, or NULL */
    int churn;               /* --churn: changes per second to the loaded Stages,
                                Freight and AnalysisRuns (benchmarks); 0: none */
};

/* The scenario clock of the simulator running in this process (epoch ms,
 * compressed by --speed), or the real clock when none runs. Every time the
 * simulator writes (creationTimestamp, status times, measurements) is on
 * this one timeline, so that intervals, soak times and ages agree; the
 * demo's console reads its "now" here. Thread-safe. */
int64_t fd_sim_now_ms(void);

/* Serves until SIGINT or SIGTERM. Prints "listening on URL" as the first
 * line on stdout once ready. Returns the process exit code: 0 after
 * SIGTERM, 130 after SIGINT (Ctrl-C), 1 when it cannot start (the reason
 * on stderr). */
int fd_sim_serve(const struct fd_sim_options *opts);

#endif /* FREIGHTDECK_SIM_H */
