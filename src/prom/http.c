/* prom/http.c: the HTTP side of Argo Rollouts' Prometheus provider,
 * shaped like client_golang's api/prometheus/v1 (POST form, GET fallback,
 * Go's error wording) over libcurl. */
#include "config.h"

#include "freightdeck/prom.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void fd_prom_config_free(struct fd_prom_config *c)
{
    if (!c)
        return;
    free(c->address);
    free(c->username);
    free(c->password);
    free(c->bearer_token);
    for (size_t i = 0; i < c->n_headers; i++) {
        free(c->headers[i].key);
        free(c->headers[i].value);
    }
    free(c->headers);
    free(c->ca_file);
    memset(c, 0, sizeof(*c));
}

void fd_prom_response_free(struct fd_prom_response *r)
{
    if (!r)
        return;
    free(r->body);
    free(r->url);
    memset(r, 0, sizeof(*r));
}

/* A CURLU for text, with any scheme allowed (Go's url.Parse accepts any);
 * NULL when curl cannot parse it. */
static CURLU *parse_url(const char *text)
{
    CURLU *u = curl_url();

    if (!u)
        fd_fatal("out of memory");
    if (curl_url_set(u, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
        curl_url_cleanup(u);
        return NULL;
    }
    return u;
}

static char *url_part(CURLU *u, CURLUPart part)
{
    char *s = NULL;
    char *copy;

    if (curl_url_get(u, part, &s, 0) != CURLUE_OK || !s)
        return NULL;
    copy = fd_xstrdup(s);
    curl_free(s);
    return copy;
}

enum fd_status fd_prom_check_address(const char *address, char **err)
{
    CURLU *u;
    char *host = NULL;
    bool ok;

    *err = NULL;
    /* curl would accept a bare "host:9090" by guessing; Go's IsUrl needs an
     * explicit scheme, so the "://" is checked first. */
    u = address && strstr(address, "://") ? parse_url(address) : NULL;
    if (u)
        host = url_part(u, CURLUPART_HOST);
    ok = host && *host;
    free(host);
    curl_url_cleanup(u);
    if (!ok) {
        *err = fd_xstrdup("prometheus address is not is url format");
        return FD_INVALID;
    }
    return FD_OK;
}

char *fd_prom_redact_url(const char *url)
{
    const char *scheme_end = url ? strstr(url, "://") : NULL;
    const char *auth, *at, *colon, *end;
    struct fd_buf b = FD_BUF_INIT;

    if (!scheme_end)
        return fd_xstrdup(url ? url : "");
    auth = scheme_end + 3;
    end = auth + strcspn(auth, "/?#");
    /* The userinfo ends at the last '@' of the authority. */
    at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return fd_xstrdup(url);
    colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon)
        return fd_xstrdup(url);
    fd_buf_append(&b, url, (size_t)(colon - url));
    fd_buf_puts(&b, ":xxxxx");
    fd_buf_puts(&b, at);
    return fd_buf_steal(&b);
}

/* url.Values.Encode: keys sorted by the caller, values escaped as Go's
 * url.QueryEscape (space as '+'). Written here rather than with
 * curl_easy_escape, which returns NULL for long input (a long query built
 * from cluster data must be a measurement error, not an abort). */
static void form_add(struct fd_buf *b, const char *key, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";

    if (b->len)
        fd_buf_putc(b, '&');
    fd_buf_puts(b, key);
    fd_buf_putc(b, '=');
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        unsigned char ch = *p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            fd_buf_putc(b, (char)ch);
        } else if (ch == ' ') {
            fd_buf_putc(b, '+');
        } else {
            fd_buf_putc(b, '%');
            fd_buf_putc(b, hex[ch >> 4]);
            fd_buf_putc(b, hex[ch & 15]);
        }
    }
}

/* client_golang's formatTime: Unix seconds with the fraction, shortest. */
static char *format_seconds(int64_t ms)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_go_format_float(&b, (double)ms / 1000.0, 'f');
    return fd_buf_steal(&b);
}

struct sink {
    struct fd_buf body;
    bool too_big;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;

    if (s->body.len + len > FD_PROM_MAX_BODY) {
        s->too_big = true;
        return 0;
    }
    fd_buf_append(&s->body, data, len);
    return len;
}

/* The endpoint URL: the address's path joined with ep (path.Join), its
 * query kept for POST and replaced by the form for GET. */
static char *endpoint_url(const char *address, const char *ep, const char *get_query, char **err)
{
    CURLU *u = parse_url(address);
    char *path, *url;
    struct fd_buf p = FD_BUF_INIT;

    if (!u) {
        *err = fd_xstrdup("prometheus address is not is url format");
        return NULL;
    }
    path = url_part(u, CURLUPART_PATH);
    fd_buf_puts(&p, path ? path : "");
    free(path);
    while (p.len && p.data[p.len - 1] == '/')
        p.data[--p.len] = '\0';
    fd_buf_puts(&p, ep);
    curl_url_set(u, CURLUPART_PATH, fd_buf_cstr(&p), 0);
    fd_buf_free(&p);
    if (get_query)
        curl_url_set(u, CURLUPART_QUERY, get_query, 0);
    url = url_part(u, CURLUPART_URL);
    curl_url_cleanup(u);
    if (!url)
        *err = fd_xstrdup("prometheus address is not is url format");
    return url;
}

/* "host:port" as Go's dialer names it (the default port filled in). */
static char *dial_address(const char *url)
{
    CURLU *u = parse_url(url);
    char *host, *port, *out;

    if (!u)
        return fd_xstrdup("?");
    host = url_part(u, CURLUPART_HOST);
    port = NULL;
    if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
        port = NULL;
    out = fd_xasprintf("%s:%s", host ? host : "", port ? port : "");
    curl_free(port);
    free(host);
    curl_url_cleanup(u);
    return out;
}

static char *lower_first(const char *s)
{
    char *c = fd_xstrdup(s);

    if (*c)
        c[0] = (char)fd_ascii_tolower((unsigned char)c[0]);
    return c;
}

/* Go's *url.Error text for a failed exchange: `Post "URL": <cause>`. */
static char *transport_error(const char *method, const char *url, CURL *h, CURLcode rc,
                             const char *errbuf, bool too_big)
{
    char *shown = fd_prom_redact_url(url);
    char *dial = dial_address(url);
    char *cause;
    long os_errno = 0;
    char *verb = fd_xstrdup(method);

    for (char *p = verb + 1; *p; p++)
        *p = (char)fd_ascii_tolower((unsigned char)*p);
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        cause = fd_xstrdup("context deadline exceeded");
        break;
    case CURLE_COULDNT_CONNECT: {
        char *why = lower_first(os_errno ? strerror((int)os_errno) : "connection refused");
        cause = fd_xasprintf("dial tcp %s: connect: %s", dial, why);
        free(why);
        break;
    }
    case CURLE_COULDNT_RESOLVE_HOST: {
        char *host = fd_xstrdup(dial);
        char *colon = strrchr(host, ':');
        if (colon)
            *colon = '\0';
        cause = fd_xasprintf("dial tcp: lookup %s: no such host", host);
        free(host);
        break;
    }
    case CURLE_UNSUPPORTED_PROTOCOL: {
        char *scheme = fd_xstrdup(url);
        char *sep = strstr(scheme, "://");
        if (sep)
            *sep = '\0';
        cause = fd_xasprintf("unsupported protocol scheme \"%s\"", scheme);
        free(scheme);
        break;
    }
    case CURLE_WRITE_ERROR:
        if (too_big) {
            cause = fd_xasprintf("response body larger than %u MiB",
                                 FD_PROM_MAX_BODY / (1024u * 1024u));
            break;
        }
        /* fall through */
    default:
        if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
            rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM)
            cause = fd_xasprintf("tls: %s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        else
            cause = fd_xstrdup(errbuf[0] ? errbuf : curl_easy_strerror(rc));
        break;
    }
    char *msg = fd_xasprintf("%s \"%s\": %s", verb, shown, cause);
    free(verb);
    free(cause);
    free(dial);
    free(shown);
    return msg;
}

/* One exchange. *remaining_ms is the deadline budget, shared by the POST and
 * its GET fallback as Go's context is. Returns FD_OK with the status and body
 * in out, or FD_IO with *err. */
static enum fd_status exchange(const struct fd_prom_config *cfg, const char *method,
                               const char *url, const char *form, int64_t *remaining_ms,
                               struct fd_prom_response *out, char **err)
{
    CURL *h;
    struct curl_slist *headers = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    struct sink sink = {FD_BUF_INIT, false};
    CURLcode rc;
    long code = 0;
    int64_t started = fd_time_mono_ms();

    if (*remaining_ms <= 0) {
        /* Go's context.WithTimeout(0) expires before anything is sent. */
        CURL *dummy = curl_easy_init();
        *err = transport_error(method, url, dummy, CURLE_OPERATION_TIMEDOUT, "", false);
        curl_easy_cleanup(dummy);
        return FD_IO;
    }
    h = curl_easy_init();
    if (!h)
        fd_fatal("out of memory");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "freightdeck/" PACKAGE_VERSION);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)*remaining_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, cfg->insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, cfg->insecure ? 0L : 2L);
    if (cfg->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, cfg->ca_file);
    /* Go's http.Client does not follow a redirect of a POST with the body. */
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    if (cfg->username || cfg->password) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg->username ? cfg->username : "");
        curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
    }
    for (size_t i = 0; i < cfg->n_headers; i++) {
        char *line = fd_xasprintf("%s: %s", cfg->headers[i].key, cfg->headers[i].value);
        headers = curl_slist_append(headers, line);
        free(line);
    }
    if (cfg->bearer_token) {
        char *line = fd_xasprintf("Authorization: Bearer %s", cfg->bearer_token);
        headers = curl_slist_append(headers, line);
        free(line);
    }
    if (form) {
        headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, form);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
        /* No "Expect: 100-continue" round trip. */
        headers = curl_slist_append(headers, "Expect:");
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    rc = curl_easy_perform(h);
    *remaining_ms -= fd_time_mono_ms() - started;
    if (rc != CURLE_OK) {
        *err = transport_error(method, url, h, rc, errbuf, sink.too_big);
        fd_buf_free(&sink.body);
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        return FD_IO;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    fd_prom_response_free(out);
    out->http_status = (int)code;
    out->len = sink.body.len;
    out->body = fd_buf_steal(&sink.body);
    out->method = form ? "POST" : "GET";
    out->url = fd_prom_redact_url(url);
    return FD_OK;
}

/* client_golang DoGetFallback: POST the form; on 403, 405 or 501 send it
 * again as a GET with the form as the URL's query. */
static enum fd_status do_get_fallback(const struct fd_prom_config *cfg, const char *ep,
                                      const char *form, struct fd_prom_response *out, char **err)
{
    int64_t remaining = cfg->timeout_ms;
    char *url;
    enum fd_status st;

    memset(out, 0, sizeof(*out));
    *err = NULL;
    pthread_once(&curl_once, curl_init_once);
    if (fd_prom_check_address(cfg->address, err) != FD_OK)
        return FD_INVALID;
    url = endpoint_url(cfg->address, ep, NULL, err);
    if (!url)
        return FD_INVALID;
    st = exchange(cfg, "POST", url, form, &remaining, out, err);
    free(url);
    if (st != FD_OK ||
        (out->http_status != 403 && out->http_status != 405 && out->http_status != 501))
        return st;
    url = endpoint_url(cfg->address, ep, form, err);
    if (!url)
        return FD_INVALID;
    st = exchange(cfg, "GET", url, NULL, &remaining, out, err);
    free(url);
    if (st != FD_OK)
        fd_prom_response_free(out);
    return st;
}

enum fd_status fd_prom_query(const struct fd_prom_config *cfg, const char *query, int64_t time_ms,
                             struct fd_prom_response *out, char **err)
{
    struct fd_buf form = FD_BUF_INIT;
    char *t = format_seconds(time_ms);
    enum fd_status st;

    form_add(&form, "query", query ? query : "");
    form_add(&form, "time", t);
    free(t);
    st = do_get_fallback(cfg, "/api/v1/query", fd_buf_cstr(&form), out, err);
    fd_buf_free(&form);
    return st;
}

enum fd_status fd_prom_query_range(const struct fd_prom_config *cfg, const char *query,
                                   int64_t start_ms, int64_t end_ms, int64_t step_ms,
                                   struct fd_prom_response *out, char **err)
{
    struct fd_buf form = FD_BUF_INIT;
    char *start = format_seconds(start_ms);
    char *end = format_seconds(end_ms);
    char *step = format_seconds(step_ms);
    enum fd_status st;

    form_add(&form, "end", end);
    form_add(&form, "query", query ? query : "");
    form_add(&form, "start", start);
    form_add(&form, "step", step);
    free(start);
    free(end);
    free(step);
    st = do_get_fallback(cfg, "/api/v1/query_range", fd_buf_cstr(&form), out, err);
    fd_buf_free(&form);
    return st;
}
