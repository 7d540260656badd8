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
 *    driven by one network thread (struct fd_kube_req);
 *  - access reviews (SelfSubjectAccessReview) and redaction.
 *
 * Transport only: what the objects mean is the model module's, and the
 * informers, the fleet and the sending of actions are the client module's.
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

/* clang-format off */
#define FD_KUBE_INTERACTIVE_TABLE(_)                                          \
    _(NEVER,        "Never")                                                  \
    _(IF_AVAILABLE, "IfAvailable")                                            \
    _(ALWAYS,       "Always")
/* clang-format on */

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
    char *api_version; /* "client.authentication.k8s.io/v1" or ".../v1beta1" */
    char *command;     /* PATH-searched unless it holds a '/' (then absolute) */
    char **args;       /* nargs strings */
    size_t nargs;
    struct fd_kube_env_var *env; /* added to the plugin's environment */
    size_t nenv;
    char *install_hint; /* printed when the command is missing; may be NULL */
    bool provide_cluster_info;
    enum fd_kube_interactive interactive_mode;
    /* Set by the caller while the terminal is taken (curses active): the
     * plugin then never gets stdin, and mode Always fails with a message. */
    bool stdin_unavailable;
    int timeout_ms; /* the plugin is killed after this long (default 60 s) */
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
    char *
        source; /* where it came from, for messages: "~/.kube/config", "KUBECONFIG", "in-cluster" */
    char *context;      /* context name; "" in-cluster */
    char *cluster_name; /* "" in-cluster */
    char *user_name;    /* "" when the context names no user */
    char *server;       /* "https://host:port[/prefix]", never NULL, no trailing '/' */
    char *namespace;    /* never NULL: the override, the context's, or "default" */
    char *tls_server_name;
    char *proxy_url;
    bool insecure_skip_tls_verify;
    char *ca_file;          /* absolute path of certificate-authority, when given as a file */
    struct fd_kube_blob ca; /* CA bundle (from -data or the file); empty: system CAs */
    /* Static credentials. */
    struct fd_kube_blob client_cert;
    struct fd_kube_blob client_key;
    char *token;
    char *token_file; /* absolute; re-read when credentials are invalidated */
    char *username;
    char *password;
    struct fd_kube_exec *exec; /* NULL unless the user has an exec plugin
                                  (and no static token, basic auth or client cert) */
    /* Transport, defaults from loading: 10 s connect; 30 s below 1 KiB/s ends a
     * request ($FREIGHTDECK_IDLE_TIMEOUT overrides it; watches are exempt). */
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
                                         struct fd_kube_config **out, struct fd_kube_error *err);

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
    unsigned generation; /* pass back to fd_kube_credentials_invalidate */
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
    struct fd_buf response; /* body received so far */
    char *content_type;
    unsigned auth_generation;
    bool has_auth;
    size_t max_body; /* the default body sink stops here (fd_kube_body_limit) */
    bool over_limit; /* ... and set this: the answer is FD_LIMIT */
    char errbuf[CURL_ERROR_SIZE];
    void *user; /* free for the caller (e.g. the informer) */
};

/* Builds a request for method ("GET", "POST", "PATCH", ...) on path (starting
 * with '/', appended to cfg->server) with an optional body (content_type may
 * be NULL when body is). Fetches the credentials (may run the exec plugin:
 * not on the UI thread). TLS verification is always on unless the cluster
 * says insecure-skip-tls-verify; CA, client cert/key, tls-server-name,
 * proxy-url, bearer token or basic auth, User-Agent freightdeck/VERSION,
 * gzip, TCP keep-alive, HTTP/2 over TLS when offered, connect and idle
 * timeouts come from cfg. Set CURLOPT_WRITEFUNCTION yourself only for
 * streaming (watch); by default the body collects in req->response, up to
 * req->max_body bytes. A write (any method but GET, HEAD and access reviews)
 * goes on a fresh connection closed afterwards, so libcurl never re-sends it.
 * A token or user name holding CR, LF or another control character is
 * refused (FD_INVALID). A CR/LF-free token is sent as given.
 * Returns the request (the caller frees it), or NULL with err filled. */
struct fd_kube_req *fd_kube_req_new(struct fd_kube_config *cfg, const char *method,
                                    const char *path, const char *content_type, const char *body,
                                    struct fd_kube_error *err);

/* Turns a finished transfer (the CURLcode from curl_easy_perform or the multi
 * CURLMSG_DONE message) into a response and a status: FD_OK for 2xx;
 * FD_LIMIT when the body passed req->max_body;
 * FD_UNREACHABLE when no response came (connection, DNS, TLS, timeout: the
 * message names the server); for an HTTP error the status of
 * fd_kube_http_status and a message with the Kubernetes Status message of a
 * JSON body. A 401 invalidates the credentials it used. Moves the body into
 * *resp (always filled; the caller frees it). */
enum fd_status fd_kube_req_finish(struct fd_kube_req *req, CURLcode code,
                                  struct fd_kube_response *resp, struct fd_kube_error *err);

/* Limits of an answer's body, checked as the bytes arrive: a list page or
 * any GET, an object sent back by a write, an access review. */
#define FD_KUBE_MAX_BODY   (64u << 20)
#define FD_KUBE_MAX_OBJECT (16u << 20)
#define FD_KUBE_MAX_REVIEW (1u << 20)

/* Frees a request and everything it owns. NULL is a no-op. */
void fd_kube_req_free(struct fd_kube_req *req);

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

/* How fd_kube_request_with performs a request; all zero: as fd_kube_request. */
struct fd_kube_perform {
    long timeout_s; /* > 0: the whole transfer's limit in seconds */
    /* Asked while the transfer runs and before a retry (NULL: never stop):
     * nonzero aborts the transfer, and no retry follows; why (size bytes) is
     * then filled with the reason the error names. why is NULL when only
     * asked. */
    int (*stop)(void *arg, char *why, size_t size);
    void *arg;
    /* Out: whether the server may have acted on the request (an answer came,
     * or bytes of the request were sent). */
    bool maybe_applied;
};

/* GETs paths[0..n) at once (a 2,000-item run of GETs to a server 20 ms away
 * costs a few round trips, not 2,000): over one HTTP/2 connection when the
 * server offers it, else over up to 16 HTTP/1.1 ones; at most 64 in flight.
 * Each answer goes where fd_kube_request_with would put it: sts[i],
 * resps[i] (always filled: the caller frees each) and errs[i]; a 401 with
 * refreshable credentials is tried once more, alone. timeout_s > 0 bounds
 * each transfer. For reads only: a write is never sent this way. */
void fd_kube_get_many(struct fd_kube_config *cfg, const char *const *paths, size_t n,
                      long timeout_s, struct fd_kube_response *resps, struct fd_kube_error *errs,
                      enum fd_status *sts);

/* fd_kube_request with a timeout, a stop condition and maybe_applied
 * (how may be NULL). Returns as fd_kube_request. */
enum fd_status fd_kube_request_with(struct fd_kube_config *cfg, const char *method,
                                    const char *path, const char *content_type, const char *body,
                                    struct fd_kube_perform *how, struct fd_kube_response *resp,
                                    struct fd_kube_error *err);

/* ---- Access reviews (SelfSubjectAccessReview) -------------------------------- */

enum fd_kube_access {
    FD_KUBE_ACCESS_UNKNOWN, /* not asked yet, or the review failed */
    FD_KUBE_ACCESS_ALLOWED,
    FD_KUBE_ACCESS_DENIED
};

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

/* The body of a SelfSubjectAccessReview for q (JSON text, for a POST to
 * FD_KUBE_SSAR_PATH); the caller frees it. */
char *fd_kube_access_body(const struct fd_kube_access_query *q);
/* Parses a review's answer: ALLOWED, DENIED, or UNKNOWN when body is not a
 * review; reason[size] (when not NULL) gets status.reason, or "". */
enum fd_kube_access fd_kube_access_parse(const char *body, size_t len, char *reason, size_t size);

#define FD_KUBE_SSAR_PATH "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

/* ---- Helpers for the modules above (client) --------------------------------- */

/* Fills err with status and a formatted message, redacted against cfg (may be
 * NULL). Returns status, so `return fd_kube_fail(...)` reads naturally. */
enum fd_status fd_kube_fail(struct fd_kube_error *err, const struct fd_kube_config *cfg,
                            enum fd_status status, const char *fmt, ...) FD_PRINTF(4, 5);

/* Wipes (it may hold a secret) and frees *s; leaves it NULL. */
void fd_kube_str_wipe(char **s);

#endif /* FREIGHTDECK_KUBE_H */
