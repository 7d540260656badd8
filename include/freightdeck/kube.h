#ifndef FREIGHTDECK_KUBE_H
#define FREIGHTDECK_KUBE_H
/*
 * kube: talking to a Kubernetes API server the way kubectl does.
 *
 *  - kubeconfig loading (KUBECONFIG merge rules, --kubeconfig, --context,
 *    --namespace) and in-cluster service-account config, resolved into one
 *    struct fd_kube_config;
 *  - credentials: static (token, token file, client certificate, basic auth)
 *    or from an exec credential plugin, cached until they expire;
 *  - HTTP: libcurl easy handles configured from a resolved config, usable on
 *    their own (fd_kube_request, blocking) or added to a curl_multi handle
 *    driven by one network thread (struct fd_kube_req).
 *
 * Secrets (tokens, passwords, keys, certificates) never appear in an error
 * message or a log line: every message built here goes through
 * fd_kube_redact first.
 */

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "freightdeck/util.h"

/* ---- Errors -------------------------------------------------------------- */

/* A failure: its status (FD_PARSE, FD_NOT_FOUND, FD_UNREACHABLE, ...) and a
 * one-line message naming what and where (file:line:col, context, key, server).
 * Messages longer than the buffer are cut. Never holds a secret. */
struct fd_kube_error {
    enum fd_status status;
    char message[1024];
};

/* ---- Resolved configuration ----------------------------------------------- */

/* Owned bytes (PEM data, never NUL-terminated by contract). */
struct fd_kube_blob {
    unsigned char *data;
    size_t len;
};

#define FD_KUBE_INTERACTIVE_TABLE(_)                                          \
    _(NEVER,        "Never")                                                  \
    _(IF_AVAILABLE, "IfAvailable")                                            \
    _(ALWAYS,       "Always")

enum fd_kube_interactive {
#define FD_KUBE_INTERACTIVE_ENUM(id, name) FD_KUBE_INTERACTIVE_##id,
    FD_KUBE_INTERACTIVE_TABLE(FD_KUBE_INTERACTIVE_ENUM)
#undef FD_KUBE_INTERACTIVE_ENUM
    FD_KUBE_INTERACTIVE__COUNT
};

/* The kubeconfig spelling of a mode ("IfAvailable"); never NULL. */
const char *fd_kube_interactive_name(enum fd_kube_interactive mode);

struct fd_kube_env_var {
    char *name;
    char *value;
};

/* A user's exec credential plugin (client.authentication.k8s.io v1/v1beta1). */
struct fd_kube_exec {
    char *api_version;     /* "client.authentication.k8s.io/v1" or ".../v1beta1" */
    char *command;         /* PATH-searched unless it holds a '/' (then absolute) */
    char **args;           /* nargs strings */
    size_t nargs;
    struct fd_kube_env_var *env; /* added to the plugin's environment */
    size_t nenv;
    char *install_hint;    /* printed when the command is missing; may be NULL */
    bool provide_cluster_info;
    enum fd_kube_interactive interactive_mode;
    /* Set by the caller while the terminal is taken (curses active): the
     * plugin then never gets stdin, and mode Always fails with a message. */
    bool stdin_unavailable;
    int timeout_ms;        /* the plugin is killed after this long (default 60 s) */
};

struct fd_kube_credentials; /* the exec credential cache, internal */

/*
 * Everything needed to talk to one cluster as one user. Strings are owned and
 * NULL when unset unless noted. Made by fd_kube_config_load (or _load_buffer,
 * _in_cluster); freed by fd_kube_config_free. Thread-safe for concurrent
 * fd_kube_credentials_get / invalidate calls; the fields are read-only after
 * loading except exec->stdin_unavailable and the timeouts, which the owner may
 * set before requests start.
 */
struct fd_kube_config {
    char *source;          /* where it came from, for messages: "~/.kube/config", "KUBECONFIG", "in-cluster" */
    char *context;         /* context name; "" in-cluster */
    char *cluster_name;    /* "" in-cluster */
    char *user_name;       /* "" when the context names no user */
    char *server;          /* "https://host:port[/prefix]", never NULL, no trailing '/' */
    char *namespace;       /* never NULL: the override, the context's, or "default" */
    char *tls_server_name;
    char *proxy_url;
    bool insecure_skip_tls_verify;
    char *ca_file;         /* absolute path of certificate-authority, when given as a file */
    struct fd_kube_blob ca; /* CA bundle (from -data or the file); empty: system CAs */
    /* Static credentials. */
    struct fd_kube_blob client_cert;
    struct fd_kube_blob client_key;
    char *token;
    char *token_file;      /* absolute; re-read when credentials are invalidated */
    char *username;
    char *password;
    struct fd_kube_exec *exec; /* NULL unless the user has an exec plugin
                                  (and no static token, basic auth or client cert) */
    /* Transport, defaults from loading: 10 s connect, 30 s without a byte. */
    long connect_timeout_ms;
    long idle_timeout_s;
    struct fd_kube_credentials *creds; /* internal */
};

/* What to load; zero-initialise and set what the command line gave. */
struct fd_kube_load_opts {
    const char *kubeconfig; /* --kubeconfig FILE: that file only (must exist).
                               NULL: $KUBECONFIG (':'-list, merged) or ~/.kube/config */
    const char *context;    /* --context; NULL: current-context */
    const char *namespace;  /* --namespace / -n; NULL: the context's or "default" */
    /* Service-account folder for in-cluster config; NULL means
     * /var/run/secrets/kubernetes.io/serviceaccount (tests point it elsewhere). */
    const char *serviceaccount_dir;
};

/* Loads and resolves the configuration kubectl would use: the kubeconfig files
 * merged by kubectl's rules (first file to set a cluster/user/context name wins,
 * first file to set current-context wins, relative paths are resolved against
 * the file naming them), then the context, its cluster and user, with files
 * (CA, client cert/key, token file) read. With no kubeconfig file at all and
 * KUBERNETES_SERVICE_HOST/PORT set, the in-cluster service-account config.
 * Returns FD_OK and sets *out (the caller frees it with fd_kube_config_free);
 * on error returns the status, leaves *out NULL and fills err. */
enum fd_status fd_kube_config_load(const struct fd_kube_load_opts *opts,
                                   struct fd_kube_config **out, struct fd_kube_error *err);

/* As fd_kube_config_load with one kubeconfig held in memory; name is used in
 * messages and relative paths resolve against dirname(name). opts->kubeconfig
 * is ignored. No in-cluster fallback. Same ownership and errors. */
enum fd_status fd_kube_config_load_buffer(const char *name, const void *data, size_t len,
                                          const struct fd_kube_load_opts *opts,
                                          struct fd_kube_config **out, struct fd_kube_error *err);

/* The in-cluster config alone (KUBERNETES_SERVICE_HOST/PORT, the token, ca.crt
 * and namespace files of opts->serviceaccount_dir, POD_NAMESPACE). Same
 * ownership and errors; FD_NOT_FOUND when not running in a cluster. */
enum fd_status fd_kube_config_in_cluster(const struct fd_kube_load_opts *opts,
                                         struct fd_kube_config **out,
                                         struct fd_kube_error *err);

/* Frees a config and wipes its secrets. NULL is a no-op. */
void fd_kube_config_free(struct fd_kube_config *cfg);

/* Lists the context names of the kubeconfig that opts selects, in file order
 * (merged, first file first), for a context picker. Returns FD_OK and sets
 * *names (NULL-terminated; free each and the array) and *current (the
 * current-context, or NULL; the caller frees it); on error fills err. */
enum fd_status fd_kube_config_contexts(const struct fd_kube_load_opts *opts, char ***names,
                                       char **current, struct fd_kube_error *err);

/* ---- Credentials ------------------------------------------------------------ */

/* The credentials for one request; secret; cleared by fd_kube_auth_clear. */
struct fd_kube_auth {
    char *token;
    char *username;
    char *password;
    struct fd_kube_blob client_cert;
    struct fd_kube_blob client_key;
    unsigned generation;   /* pass back to fd_kube_credentials_invalidate */
};

/* Fills *auth with the credentials to use now: the static ones, or the exec
 * plugin's, running the plugin (blocking, up to its timeout) when there is no
 * cached credential or it has expired. Serialised: concurrent callers wait for
 * one plugin run. Never call it on the UI thread when cfg->exec is set.
 * Returns FD_OK (the caller clears *auth); on error fills err (FD_NOT_FOUND for
 * a missing command, with the install hint; FD_REFUSED when the plugin fails;
 * FD_PARSE for bad plugin output) and leaves *auth empty. */
enum fd_status fd_kube_credentials_get(struct fd_kube_config *cfg, struct fd_kube_auth *auth,
                                       struct fd_kube_error *err);

/* Marks the credentials of the given generation as rejected (the server
 * answered 401), so the next fd_kube_credentials_get re-runs the plugin or
 * re-reads the token file. A stale generation (already refreshed by another
 * request) is ignored, so a burst of 401s runs the plugin once. */
void fd_kube_credentials_invalidate(struct fd_kube_config *cfg, unsigned generation);

/* Whether fd_kube_credentials_get would return at once, without running a
 * plugin (static credentials, or a cached plugin credential not yet expired).
 * Never blocks on a running plugin. */
bool fd_kube_credentials_ready(struct fd_kube_config *cfg);

/* For the network thread, which must not stall every watch while a plugin
 * runs: starts fd_kube_credentials_get on a background thread (unless one is
 * already running) and writes one byte to notify_fd when it is done (pass -1
 * for no notification, e.g. poll fd_kube_credentials_ready). The result is
 * cached for the next fd_kube_credentials_get; the outcome of the run is
 * kept for fd_kube_credentials_last_error. fd_kube_config_free waits for a
 * running refresh. Returns FD_OK, or FD_INTERNAL with err filled when no
 * thread can be started. */
enum fd_status fd_kube_credentials_refresh_async(struct fd_kube_config *cfg, int notify_fd,
                                                 struct fd_kube_error *err);

/* The status and message of the last background refresh (FD_OK and "" when
 * none failed); copies them into *err. */
enum fd_status fd_kube_credentials_last_error(struct fd_kube_config *cfg,
                                              struct fd_kube_error *err);

/* How many times the exec plugin has run for cfg (diagnostics and tests). */
unsigned fd_kube_credentials_exec_runs(struct fd_kube_config *cfg);

/* Wipes and frees what *auth holds; leaves it zeroed. */
void fd_kube_auth_clear(struct fd_kube_auth *auth);

/* ---- Redaction ---------------------------------------------------------------- */

/* Rewrites text in place so that no secret survives: every secret of cfg
 * (token, password, key/cert bytes, the cached plugin credential; cfg may be
 * NULL), any `Bearer <x>` / `Basic <x>` value, the userinfo of a URL
 * (`https://user:pw@host` -> `https://[redacted]@host`) and the body of a PEM
 * block become "[redacted]". Text is NUL-terminated, size its buffer size;
 * the result is cut to fit. */
void fd_kube_redact(char *text, size_t size, const struct fd_kube_config *cfg);

/* ---- HTTP ------------------------------------------------------------------------ */

/* A response: status 0 when no HTTP response arrived. body is NUL-terminated
 * (body_len excludes the NUL); free with fd_kube_response_free. */
struct fd_kube_response {
    long status;
    char *body;
    size_t body_len;
    char *content_type;
};
void fd_kube_response_free(struct fd_kube_response *resp);

/*
 * One request, ready for curl_easy_perform or curl_multi_add_handle. Owns its
 * easy handle, headers, URL, request body copy and the response being
 * received. Made by fd_kube_req_new, freed by fd_kube_req_free (remove it
 * from any multi handle first). Fields are read-only for callers.
 */
struct fd_kube_req {
    CURL *easy;
    struct fd_kube_config *cfg; /* borrowed */
    char *url;
    struct curl_slist *headers;
    struct curl_slist *connect_to; /* tls-server-name routing */
    char *request_body;
    struct fd_buf response;     /* body received so far */
    char *content_type;
    unsigned auth_generation;
    bool has_auth;
    char errbuf[CURL_ERROR_SIZE];
    void *user;                 /* free for the caller (e.g. the informer) */
};

/* Builds a request for method ("GET", "POST", "PATCH", ...) on path (starting
 * with '/', appended to cfg->server) with an optional body (content_type may
 * be NULL when body is). Fetches the credentials (may run the exec plugin:
 * not on the UI thread). TLS verification is always on unless the cluster
 * says insecure-skip-tls-verify; CA, client cert/key, tls-server-name,
 * proxy-url, bearer token or basic auth, User-Agent freightdeck/VERSION,
 * gzip, TCP keep-alive, HTTP/2 over TLS when offered, connect and idle
 * timeouts come from cfg. Set CURLOPT_WRITEFUNCTION yourself only for
 * streaming (watch); by default the body collects in req->response.
 * Returns the request (the caller frees it), or NULL with err filled. */
struct fd_kube_req *fd_kube_req_new(struct fd_kube_config *cfg, const char *method,
                                    const char *path, const char *content_type,
                                    const char *body, struct fd_kube_error *err);

/* Turns a finished transfer (the CURLcode from curl_easy_perform or the multi
 * CURLMSG_DONE message) into a response and a status: FD_OK for 2xx;
 * FD_UNREACHABLE when no response came (connection, DNS, TLS, timeout: the
 * message names the server); for an HTTP error the status of
 * fd_kube_http_status and a message with the Kubernetes Status message of a
 * JSON body. A 401 invalidates the credentials it used. Moves the body into
 * *resp (always filled; the caller frees it). */
enum fd_status fd_kube_req_finish(struct fd_kube_req *req, CURLcode code,
                                  struct fd_kube_response *resp, struct fd_kube_error *err);

/* Frees a request and everything it owns. NULL is a no-op. */
void fd_kube_req_free(struct fd_kube_req *req);

/* The fd_status for an HTTP status code: 2xx FD_OK, 400/422 FD_INVALID,
 * 401/403/409 FD_REFUSED, 404/410 FD_NOT_FOUND, others FD_IO. */
enum fd_status fd_kube_http_status(long code);

/* The "message" of a Kubernetes Status object in body, or NULL when body is not
 * one. The caller frees the result. */
char *fd_kube_status_message(const char *body, size_t len);

/* Blocking one-shot request (fd_kube_req_new + perform + finish). When the
 * server answers 401 and the credentials come from an exec plugin or a token
 * file, they are refreshed and the request is tried once more.
 * Returns as fd_kube_req_finish; *resp is always filled (the caller frees it). */
enum fd_status fd_kube_request(struct fd_kube_config *cfg, const char *method, const char *path,
                               const char *content_type, const char *body,
                               struct fd_kube_response *resp, struct fd_kube_error *err);

/* ==== Client: informers, the network thread, access reviews ================
 * API-READY
 *
 * One struct fd_kube_client per kube context. It owns one network thread
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
 */
#include "freightdeck/model.h"

#define FD_KUBE_CONN_TABLE(_)                                                  \
    _(CONNECTING,   "connecting")   /* first list in progress, no data yet */   \
    _(LIVE,         "live")         /* listed and watching */                   \
    _(STALE,        "stale")        /* connection lost; waiting to retry */     \
    _(RECONNECTING, "reconnecting") /* retry in progress (attempt N) */         \
    _(FORBIDDEN,    "forbidden")    /* 401/403: retried slowly (30 s) */        \
    _(STOPPED,      "stopped")      /* the client is shutting down */

enum fd_kube_conn {
#define FD_KUBE_CONN_ENUM(id, text) FD_KUBE_CONN_##id,
    FD_KUBE_CONN_TABLE(FD_KUBE_CONN_ENUM)
#undef FD_KUBE_CONN_ENUM
    FD_KUBE_CONN__COUNT
};
/* "live"; "unknown" when out of range. */
const char *fd_kube_conn_name(enum fd_kube_conn c);

/* One informer's state, copied out (no pointer into the client). */
struct fd_kube_resource_state {
    enum fd_model_kind kind;
    enum fd_kube_conn conn;
    int64_t stale_since;     /* epoch s the data stopped being live; 0 while LIVE
                                and before the first list */
    int64_t live_since;      /* epoch s of the last (re)connection; 0 never */
    unsigned attempt;        /* consecutive failed attempts (0 while LIVE) */
    int64_t next_attempt_ms; /* epoch ms of the next retry while STALE/FORBIDDEN */
    enum fd_status last_status; /* of the last failure (FD_OK: none) */
    char last_error[512];    /* its message, redacted; "" when none */
    uint64_t events;         /* watch events applied */
    uint64_t lists;          /* complete lists (first one included) */
    uint64_t bookmarks;
    size_t objects;          /* objects of this kind in the store */
    char resource_version[64];
};

struct fd_kube_client;

/* Called on the network thread; must be quick and must not call back into
 * the client except the getters (states, synced). */
typedef void (*fd_kube_change_fn)(void *user);

struct fd_kube_client_opts {
    struct fd_kube_config *cfg;    /* borrowed; must outlive the client */
    struct fd_model_store *store;  /* borrowed; must outlive the client */
    const char *ns;                /* namespace (project) to watch; NULL = all */
    uint32_t kinds;                /* bit (1u << kind) per kind; 0 = every kind */
    bool readonly;                 /* refuse every submitted write (not reviews) */
    fd_kube_change_fn on_change;   /* may be NULL */
    void *user;
    /* Limits and timings; 0 means the default. */
    size_t max_event_bytes;        /* one watch event (default 8 MiB) */
    size_t max_list_bytes;         /* one list page (default 64 MiB) */
    unsigned page_size;            /* list limit (default 500) */
    unsigned backoff_min_ms;       /* default 500 */
    unsigned backoff_max_ms;       /* default 30000 */
    unsigned watch_timeout_s;      /* timeoutSeconds of a watch (default 290..310) */
};

/* Starts a client: its network thread begins listing every kind at once.
 * Returns FD_OK and sets *out (free with fd_kube_client_free); FD_INTERNAL
 * with err filled when no thread or curl handle can be made. Never blocks
 * on the network or on a credential plugin. */
enum fd_status fd_kube_client_start(const struct fd_kube_client_opts *opts,
                                    struct fd_kube_client **out, struct fd_kube_error *err);

/* Stops the thread (aborting open watches; pending requests complete with
 * FD_UNREACHABLE "client stopped" — a write already on the wire is reported
 * as unknown outcome) and frees the client. NULL is a no-op. */
void fd_kube_client_free(struct fd_kube_client *c);

/* The config the client was started with (borrowed). */
struct fd_kube_config *fd_kube_client_config(const struct fd_kube_client *c);

/* The state of kind's informer, copied into *out. Returns false when the
 * client does not watch that kind. Thread-safe. */
bool fd_kube_client_state(struct fd_kube_client *c, enum fd_model_kind kind,
                          struct fd_kube_resource_state *out);

/* The worst state over every watched kind (CONNECTING < LIVE ordering is
 * LIVE best, then CONNECTING, RECONNECTING, STALE, FORBIDDEN), for the
 * header line; *out gets that kind's state. Thread-safe. */
enum fd_kube_conn fd_kube_client_summary(struct fd_kube_client *c,
                                         struct fd_kube_resource_state *out);

/* Whether every watched kind has completed one list. Thread-safe. */
bool fd_kube_client_synced(struct fd_kube_client *c);

/* Waits (up to timeout_ms; <0 = no limit) until every kind has listed once.
 * Returns FD_OK; FD_UNREACHABLE / FD_REFUSED / FD_LIMIT with err set to the
 * first failing kind's error when the time ran out while one was failing;
 * FD_IO "timed out" otherwise. For one-shot commands, not the UI thread. */
enum fd_status fd_kube_client_wait_synced(struct fd_kube_client *c, int timeout_ms,
                                          struct fd_kube_error *err);

/* Asks every informer to relist now (the console's refresh key), and
 * retries failed ones without waiting for their back-off. Never blocks. */
void fd_kube_client_resync(struct fd_kube_client *c);

/* A finished submitted request: st as fd_kube_req_finish (FD_UNREACHABLE for
 * no response, with resp->status 0), resp its response (borrowed for the
 * call), err its message. maybe_applied is false only when the request
 * certainly never reached the server (no connection, no bytes sent, client
 * stopped before sending): a write without a response and maybe_applied
 * has an unknown outcome. Called on the network thread. */
typedef void (*fd_kube_done_fn)(void *user, enum fd_status st, const struct fd_kube_response *resp,
                                const struct fd_kube_error *err, bool maybe_applied);

/* Queues one request on the network thread. The request is sent exactly
 * once: never retried, not even after a 401 (a write that timed out may or
 * may not have been applied — the caller reports that). done is called
 * exactly once (also when the client is freed first). Returns FD_OK, or
 * FD_REFUSED (readonly client and a method other than GET) with err set and
 * done never called. Copies every argument. Thread-safe; never blocks. */
enum fd_status fd_kube_client_submit(struct fd_kube_client *c, const char *method,
                                     const char *path, const char *content_type,
                                     const char *body, fd_kube_done_fn done, void *user,
                                     struct fd_kube_error *err);

/* ---- Blocking reads for one-shot commands ------------------------------------ */

/* Lists every object of kind in ns (NULL = all namespaces; ignored for
 * cluster-scoped kinds) page by page (page_size 0 = 500) and replaces the
 * kind in store with them (fd_model_store_relist). Returns FD_OK; on error
 * the status (FD_UNREACHABLE, FD_REFUSED for 401/403, FD_NOT_FOUND when the
 * API group is not served, FD_LIMIT for a page over 64 MiB) with err
 * filled, the store untouched. */
enum fd_status fd_kube_list(struct fd_kube_config *cfg, struct fd_model_store *store,
                            enum fd_model_kind kind, const char *ns, unsigned page_size,
                            struct fd_kube_error *err);

/* The REST collection path of kind in ns: "/apis/<group/version>/namespaces/<ns>/<plural>"
 * (without the namespace part for a NULL ns or a cluster-scoped kind). The
 * caller frees it. */
char *fd_kube_kind_path(enum fd_model_kind kind, const char *ns);

/* ---- Access reviews (SelfSubjectAccessReview) -------------------------------- */

#define FD_KUBE_ACCESS_TABLE(_)                                                \
    _(UNKNOWN, "unknown")   /* not asked yet, or the review failed */          \
    _(ALLOWED, "allowed")                                                      \
    _(DENIED,  "denied")

enum fd_kube_access {
#define FD_KUBE_ACCESS_ENUM(id, text) FD_KUBE_ACCESS_##id,
    FD_KUBE_ACCESS_TABLE(FD_KUBE_ACCESS_ENUM)
#undef FD_KUBE_ACCESS_ENUM
};
const char *fd_kube_access_name(enum fd_kube_access a);

/* One question: may I VERB GROUP/RESOURCE[/SUBRESOURCE] [NAME] in NS? */
struct fd_kube_access_query {
    const char *verb;        /* "patch", "create", "promote" */
    const char *group;       /* "kargo.akuity.io", "argoproj.io" */
    const char *resource;    /* "freights" */
    const char *subresource; /* "status" or NULL */
    const char *ns;          /* NULL for cluster-scoped */
    const char *name;        /* NULL = any */
};

/* Asks the server (POST selfsubjectaccessreviews, blocking). Returns
 * ALLOWED or DENIED (with the server's reason, or "" — into reason[size] when
 * reason is not NULL), or UNKNOWN with err filled when the review failed.
 * Not cached. */
enum fd_kube_access fd_kube_access_review(struct fd_kube_config *cfg,
                                          const struct fd_kube_access_query *q, char *reason,
                                          size_t size, struct fd_kube_error *err);

/* The cached answer of the client for q (cached per verb, resource,
 * subresource, namespace and name for 5 minutes). When not cached, queues a
 * review on the network thread (on_change fires when it is answered) and
 * returns UNKNOWN. reason as above. Thread-safe; never blocks. */
enum fd_kube_access fd_kube_client_access(struct fd_kube_client *c,
                                          const struct fd_kube_access_query *q, char *reason,
                                          size_t size);

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
 * named <project>-<stage>, else named <stage> (fd_kube_fleet_rollouts).
 */
struct fd_kube_stage_map {
    char *project;
    char *stage;
    char *context;    /* NULL = the Kargo context */
    char *ns;         /* never NULL after loading (defaults to project) */
    char **rollouts;  /* names; n_rollouts may be 0 when selector is set */
    size_t n_rollouts;
    char *selector;   /* "key=value[,key=value]" or NULL */
    int line;         /* where the entry is, for messages */
};

struct fd_kube_fleet {
    char *path;          /* the file read, or NULL when none existed */
    char *kargo_context; /* NULL = the kubeconfig's current context */
    struct fd_kube_stage_map *stages;
    size_t n_stages;
};

/* The config file path that would be read (see above); the caller frees. */
char *fd_kube_fleet_default_path(void);

/* Loads path (NULL: fd_kube_fleet_default_path, where a missing file is
 * fine and gives an empty fleet; a missing explicit path is FD_NOT_FOUND).
 * Returns FD_OK and sets *out (free with fd_kube_fleet_free); FD_PARSE /
 * FD_INVALID with err "file:line:col: what" on bad content. */
enum fd_status fd_kube_fleet_load(const char *path, struct fd_kube_fleet **out,
                                  struct fd_kube_error *err);
/* Same from memory; name is used in messages. */
enum fd_status fd_kube_fleet_load_buffer(const char *name, const char *text, size_t len,
                                         struct fd_kube_fleet **out, struct fd_kube_error *err);
void fd_kube_fleet_free(struct fd_kube_fleet *f);

/* The entry for project/stage, or NULL (then the defaults apply). Borrowed. */
const struct fd_kube_stage_map *fd_kube_fleet_find(const struct fd_kube_fleet *f,
                                                   const char *project, const char *stage);

/* Every context named by the fleet (the Kargo one first, NULL standing for
 * the current context, no duplicates). Sets *out to a new array of
 * borrowed strings (free the array only); returns its length. */
size_t fd_kube_fleet_contexts(const struct fd_kube_fleet *f, const char ***out);

/* The Rollouts behind project/stage found in snap (the snapshot of the store
 * filled by the client of the Stage's Rollout context): by the fleet entry
 * (names or selector in its namespace), else by the default convention
 * above. Sets *out to a new array of borrowed objects (free the array only)
 * and returns its length. */
size_t fd_kube_fleet_rollouts(const struct fd_kube_fleet *f, const struct fd_model_snapshot *snap,
                              const char *project, const char *stage,
                              const struct fd_model_object ***out);

/* ==== Audit log ================================================================
 * Every action sent (console and one-shot commands alike) is appended as one
 * JSON line to $XDG_STATE_HOME/freightdeck/audit.log (default
 * ~/.local/state/freightdeck/audit.log):
 *   {"time":"2026-08-19T15:45:00Z","user":"ops","context":"kind-kargo",
 *    "action":"approve","target":"Freight payments/abc (for Stage prod)",
 *    "request":{"method":"PATCH","path":"/apis/...","body":{...}},
 *    "result":{"status":200,"outcome":"ok","message":"..."}}
 * The fd_model_action_send* functions write it; nothing else needs to.
 */
/* The audit log path ($XDG_STATE_HOME or ~/.local/state); the caller frees. */
char *fd_kube_audit_path(void);

/* Appends one line (creating the folder, mode 0700, and the file, 0600).
 * body is the request body as sent (JSON text; stored as JSON when it parses,
 * else as a string); http_status 0 when no response came; outcome is "ok",
 * "refused", "failed" or "unknown". Returns FD_OK or FD_IO (errno kept); a
 * failure to audit never stops an action but is reported by the caller. */
enum fd_status fd_kube_audit_append(const char *user, const char *context, const char *action,
                                    const char *target, const char *method, const char *path,
                                    const char *body, long http_status, const char *outcome,
                                    const char *message);
/* ==== end of client section ==== */

#endif /* FREIGHTDECK_KUBE_H */
