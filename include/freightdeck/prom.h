#ifndef FREIGHTDECK_PROM_H
#define FREIGHTDECK_PROM_H
/*
 * prom: the Prometheus HTTP API client as Argo Rollouts uses it
 * (client_golang api/prometheus/v1): the requests exactly as Argo sends them
 * (src/prom/http.c) and the responses decoded as client_golang decodes them,
 * with Go's error wording (src/prom/response.c).
 *
 * What a measurement means (the provider.prometheus spec, Argo's checks and
 * messages, the judging of a result) is the analysis module's; this module
 * only talks HTTP and reads the answer.
 *
 * Secrets (basic-auth password, bearer token, header values, the password
 * of a URL's userinfo) never appear in a message this module produces.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "freightdeck/util.h"

/* Argo's default client deadline (NewPrometheusProvider). */
#define FD_PROM_DEFAULT_TIMEOUT_MS 30000
/* A response body larger than this is refused rather than buffered. */
#define FD_PROM_MAX_BODY (64u * 1024u * 1024u)

/* ---- HTTP (http.c) ------------------------------------------------------- */
struct fd_prom_header {
    char *key;
    char *value;
};

struct fd_prom_config {
    char *address;  /* base URL; a path prefix is kept: <address>/api/v1/query */
    char *username; /* authentication.basicAuth; NULL = no basic auth */
    char *password;
    char *bearer_token; /* sent as "Authorization: Bearer ..."; NULL = none */
    struct fd_prom_header *headers;
    size_t n_headers;
    bool insecure;      /* skip TLS verification (provider.prometheus.insecure) */
    char *ca_file;      /* PEM bundle to verify the server with; NULL = system */
    int64_t timeout_ms; /* client deadline for the whole exchange; 0 expires at
                           once, as Go's context.WithTimeout(0) does */
};

/* Frees the contents of c (not c itself) and zeroes it. */
void fd_prom_config_free(struct fd_prom_config *c);

/* Argo's address check (IsUrl): the text must parse as a URL with a scheme
 * and a host. Returns FD_OK, or FD_INVALID with *err = "prometheus address
 * is not is url format" (Argo's wording; caller frees). */
enum fd_status fd_prom_check_address(const char *address, char **err);

/* The address with the password of its userinfo replaced by "xxxxx", as Go's
 * url.URL.Redacted does. The caller frees the string. */
char *fd_prom_redact_url(const char *url);

struct fd_prom_response {
    int http_status;
    char *body; /* NUL-terminated, len bytes */
    size_t len;
    const char *method; /* "POST", or "GET" after the fallback; static */
    char *url;          /* the URL of the last request, redacted */
};

void fd_prom_response_free(struct fd_prom_response *r);

/* An instant query: POST <address>/api/v1/query with the form
 * "query=<q>&time=<unix seconds>", retried as GET with the form in the URL
 * when the server answers 403, 405 or 501. time_ms is the evaluation time.
 * Returns FD_OK with the HTTP answer in *out (any status; free with
 * fd_prom_response_free), or FD_IO with *err set (caller frees) in Go's
 * wording for a transport failure, naming the URL:
 *   Post "http://127.0.0.1:1/api/v1/query": dial tcp 127.0.0.1:1: connect: connection refused
 *   Post "http://...": context deadline exceeded      (the timeout elapsed) */
enum fd_status fd_prom_query(const struct fd_prom_config *cfg, const char *query, int64_t time_ms,
                             struct fd_prom_response *out, char **err);
/* A range query: POST <address>/api/v1/query_range with the form
 * "end=..&query=..&start=..&step=.." (seconds). Same contract. */
enum fd_status fd_prom_query_range(const struct fd_prom_config *cfg, const char *query,
                                   int64_t start_ms, int64_t end_ms, int64_t step_ms,
                                   struct fd_prom_response *out, char **err);

/* ---- Responses (response.c) ------------------------------------------------ */
enum fd_prom_type {
    FD_PROM_SCALAR, /* result is float64 */
    FD_PROM_VECTOR  /* result is []float64 (vector or flattened matrix) */
};

struct fd_prom_result {
    enum fd_prom_type type;
    double *values; /* one for a scalar */
    size_t n_values;
    char *value;    /* the stored measurement value: "0.97", "[10,11]", "[]" */
    char *warnings; /* `"w1", "w2"` or NULL */
};

/* Parses an HTTP response of /api/v1/query or /query_range. http_status is
 * the HTTP code. Returns FD_OK and fills out (free with
 * fd_prom_result_free), or FD_PARSE with *err set (caller frees) to
 * the measurement error message: "bad_data: ...", "server_error: server error:
 * 500", `unexpected value type "string"`... */
enum fd_status fd_prom_parse(const char *body, size_t len, int http_status,
                             struct fd_prom_result *out, char **err);
void fd_prom_result_free(struct fd_prom_result *r);

#endif /* FREIGHTDECK_PROM_H */
