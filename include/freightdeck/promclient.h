#ifndef FREIGHTDECK_PROMCLIENT_H
#define FREIGHTDECK_PROMCLIENT_H
/*
 * promclient: the Prometheus metric provider of Argo Rollouts
 * (metricproviders/prometheus over client_golang api/prometheus/v1), for
 * `freightdeck analyze`: the HTTP requests exactly as Argo sends them
 * (src/analysis/prom_http.c), the provider.prometheus spec and one
 * measurement (src/analysis/prom_provider.c), and multi-document YAML in
 * jansson (src/analysis/yamldoc.c).
 *
 * The response is turned into a result by the analysis module
 * (fd_analysis_prom_parse); this module only talks HTTP and judges.
 *
 * Secrets (basic-auth password, bearer token, header values, the password
 * of a URL's userinfo) never appear in a message this module produces.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"

/* Argo's default client deadline (NewPrometheusProvider). */
#define FD_PROMCLIENT_DEFAULT_TIMEOUT_MS 30000
/* A response body larger than this is refused rather than buffered. */
#define FD_PROMCLIENT_MAX_BODY (64u * 1024u * 1024u)

/* ---- HTTP (prom_http.c) --------------------------------------------------- */
struct fd_promclient_header {
    char *key;
    char *value;
};

struct fd_promclient_config {
    char *address;  /* base URL; a path prefix is kept: <address>/api/v1/query */
    char *username; /* authentication.basicAuth; NULL = no basic auth */
    char *password;
    char *bearer_token; /* sent as "Authorization: Bearer ..."; NULL = none */
    struct fd_promclient_header *headers;
    size_t n_headers;
    bool insecure;      /* skip TLS verification (provider.prometheus.insecure) */
    char *ca_file;      /* PEM bundle to verify the server with; NULL = system */
    int64_t timeout_ms; /* client deadline for the whole exchange; 0 expires at
                           once, as Go's context.WithTimeout(0) does */
};

/* Frees the contents of c (not c itself) and zeroes it. */
void fd_promclient_config_free(struct fd_promclient_config *c);

/* Argo's address check (IsUrl): the text must parse as a URL with a scheme
 * and a host. Returns FD_OK, or FD_INVALID with *err = "prometheus address
 * is not is url format" (Argo's wording; caller frees). */
enum fd_status fd_promclient_check_address(const char *address, char **err);

/* The address with the password of its userinfo replaced by "xxxxx", as Go's
 * url.URL.Redacted does. The caller frees the string. */
char *fd_promclient_redact_url(const char *url);

struct fd_promclient_response {
    int http_status;
    char *body; /* NUL-terminated, len bytes */
    size_t len;
    const char *method; /* "POST", or "GET" after the fallback; static */
    char *url;          /* the URL of the last request, redacted */
};

void fd_promclient_response_free(struct fd_promclient_response *r);

/* An instant query: POST <address>/api/v1/query with the form
 * "query=<q>&time=<unix seconds>", retried as GET with the form in the URL
 * when the server answers 403, 405 or 501. time_ms is the evaluation time.
 * Returns FD_OK with the HTTP answer in *out (any status; free with
 * fd_promclient_response_free), or FD_IO with *err set (caller frees) in Go's
 * wording for a transport failure, naming the URL:
 *   Post "http://127.0.0.1:1/api/v1/query": dial tcp 127.0.0.1:1: connect: connection refused
 *   Post "http://...": context deadline exceeded      (the timeout elapsed) */
enum fd_status fd_promclient_query(const struct fd_promclient_config *cfg, const char *query,
                                   int64_t time_ms, struct fd_promclient_response *out, char **err);
/* A range query: POST <address>/api/v1/query_range with the form
 * "end=..&query=..&start=..&step=.." (seconds). Same contract. */
enum fd_status fd_promclient_query_range(const struct fd_promclient_config *cfg, const char *query,
                                         int64_t start_ms, int64_t end_ms, int64_t step_ms,
                                         struct fd_promclient_response *out, char **err);

/* ---- Provider spec and measurement (prom_provider.c) ---------------------- */
/* spec.metrics[i].provider.prometheus after argument substitution. */
struct fd_promclient_spec {
    struct fd_promclient_config cfg; /* address may be NULL (not configured) */
    char *query;
    bool timeout_set;
    int64_t timeout_s; /* provider.prometheus.timeout; may be negative (an error) */
    bool range;        /* rangeQuery is set */
    char *range_start; /* expr time expressions, e.g. now() - duration("5m") */
    char *range_end;
    char *range_step; /* Go duration, e.g. "1m" */
    bool sigv4;       /* address contains "aps-workspaces" (not supported) */
    bool oauth2;      /* authentication.oauth2 is set (not supported) */
};

/* Decodes a provider.prometheus object. path prefixes error messages
 * ("spec.metrics[0].provider.prometheus"). Returns FD_OK, or FD_PARSE with
 * *err naming the field (caller frees) and *out zeroed. */
enum fd_status fd_promclient_spec_from_json(const json_t *json, const char *path,
                                            struct fd_promclient_spec *out, char **err);
void fd_promclient_spec_free(struct fd_promclient_spec *s);

/* Replaces {{args.x}} in every string of a JSON value as Argo does (the
 * serialised value is substituted with JSON-escaped values, then parsed
 * again). Returns a new reference, or NULL with *err (caller frees) in
 * fd_analysis_resolve_args's wording. */
json_t *fd_promclient_resolve_json(const json_t *json, const struct fd_analysis_arg *args,
                                   size_t n_args, char **err);

/* How analyze runs a measurement beyond what the template says. */
struct fd_promclient_options {
    const char *address;      /* overrides the template's address; NULL = keep */
    const char *bearer_token; /* NULL = none */
    const char *ca_file;      /* NULL = system */
    bool insecure;            /* force insecure TLS */
    int64_t now_ms;           /* evaluation time: the instant query's time, and
                                 now() in rangeQuery start/end */
};

struct fd_promclient_measurement {
    enum fd_analysis_phase phase;
    char *value;       /* what the query returned ("[0.98]"); NULL when it
                          returned nothing usable. Argo stores it only when
                          the phase is not Error. */
    char *message;     /* Argo's measurement message on Error; NULL otherwise */
    char *explanation; /* why the phase, in plain words; never NULL */
    char *warnings;    /* `"w1", "w2"` or NULL */
    char *address;     /* the address used (redacted); NULL when none */
    char *request;     /* "POST .../api/v1/query time=..." (redacted); NULL if not sent */
    int64_t started_at, finished_at;
};

void fd_promclient_measurement_free(struct fd_promclient_measurement *m);

/* Takes one measurement of metric m (conditions already argument-resolved)
 * with the provider spec: resolves the address (opts->address, then the
 * spec's, then $ARGO_ROLLOUTS_PROMETHEUS_ADDRESS), checks it and the timeout
 * with Argo's messages, runs the instant or range query, parses the answer
 * with fd_analysis_prom_parse and judges it with fd_analysis_explain. Every
 * failure becomes a measurement with phase Error and Argo's message; never
 * fails otherwise. Free *out with fd_promclient_measurement_free. */
void fd_promclient_measure(const struct fd_analysis_metric *m,
                           const struct fd_promclient_spec *spec,
                           const struct fd_promclient_options *opts,
                           struct fd_promclient_measurement *out);

/* Replaces every now() call outside string literals by date("<RFC 3339 of
 * now_ms>") so a rangeQuery start/end expression sees a fixed "now".
 * The caller frees the string. */
char *fd_promclient_pin_now(const char *expr, int64_t now_ms);

/* ---- A template ready to measure (prom_plan.c) ---------------------------- */
struct fd_promclient_plan_metric {
    const struct fd_analysis_metric *m; /* in the plan's run */
    bool supported;                     /* a Prometheus metric: spec is set */
    struct fd_promclient_spec spec;
};

struct fd_promclient_plan {
    const char *kind; /* borrowed from the document (or set by the caller) */
    char *name;
    struct fd_analysis_run *run; /* args resolved; empty status */
    struct fd_promclient_plan_metric *metrics;
    size_t n_metrics;
    struct fd_analysis_arg *args; /* merged */
    size_t n_args;
};

/* Plans one AnalysisTemplate / ClusterAnalysisTemplate document (borrowed;
 * the plan borrows its kind string): merges the given args over the
 * template's (given_used[k], when not NULL, is set for each given arg the
 * template declares), substitutes them into the serialised metrics as Argo
 * does, decodes the metrics and each Prometheus metric's provider spec.
 * cli_hints adds "(pass --arg x=VALUE)" to argument errors. Returns true, or
 * false with *err = "<Kind> <name>: what" (caller frees); free *t with
 * fd_promclient_plan_free either way. */
bool fd_promclient_plan_template(const json_t *doc, const struct fd_analysis_arg *given,
                                 size_t n_given, bool *given_used, bool cli_hints,
                                 struct fd_promclient_plan *t, char **err);
void fd_promclient_plan_free(struct fd_promclient_plan *t);

/* ---- Multi-document YAML (yamldoc.c) --------------------------------------- */
/* Parses text (len bytes) as a stream of YAML documents (JSON is YAML) into a
 * JSON array with one element per non-empty document. Scalars are typed as
 * Kubernetes' YAML (go-yaml v2) does: null/~, true/false (and yes/no/on/off),
 * integers, floats; quoted scalars are strings; aliases and << merges are
 * expanded. file names the input in errors. Returns a new reference, or NULL
 * with *err = "file:line:col: what" (caller frees). */
json_t *fd_promclient_yaml_documents(const char *text, size_t len, const char *file, char **err);

/* Reads a whole file (or standard input for "-") and parses it as above. */
json_t *fd_promclient_yaml_file(const char *path, char **err);

#endif /* FREIGHTDECK_PROMCLIENT_H */
