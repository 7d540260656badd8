/* kube/http.c: libcurl requests configured from a resolved kubeconfig. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

void fd_kube_response_free(struct fd_kube_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    free(resp->content_type);
    memset(resp, 0, sizeof(*resp));
}

/* The fd_status for an HTTP status code: 2xx FD_OK, 400/422 FD_INVALID,
 * 401/403/409 FD_REFUSED, 404/410 FD_NOT_FOUND, others FD_IO. */
static enum fd_status fd_kube_http_status(long code)
{
    if (code >= 200 && code < 300)
        return FD_OK;
    switch (code) {
    case 400:
    case 422:
        return FD_INVALID;
    case 401:
    case 403:
    case 409:
        return FD_REFUSED;
    case 404:
    case 410:
        return FD_NOT_FOUND;
    default:
        return FD_IO;
    }
}

char *fd_kube_status_message(const char *body, size_t len)
{
    json_t *root, *kind, *msg;
    char *out = NULL;

    if (!body || !len)
        return NULL;
    root = fd_json_load_outside(body, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return NULL;
    }
    kind = json_object_get(root, "kind");
    msg = json_object_get(root, "message");
    if (json_is_string(kind) && strcmp(json_string_value(kind), "Status") == 0 &&
        json_is_string(msg) && json_string_length(msg) > 0) {
        char *text = fd_json_text(msg); /* a NUL shown as ␀ */
        out = fd_term_safe(text);
        free(text);
    }
    json_decref(root);
    return out;
}

/* The body limit of a request: FD_KUBE_MAX_REVIEW for an access review,
 * FD_KUBE_MAX_OBJECT for any other method than GET, else FD_KUBE_MAX_BODY. */
static size_t fd_kube_body_limit(const char *method, const char *path)
{
    if (path && strcmp(path, FD_KUBE_SSAR_PATH) == 0)
        return FD_KUBE_MAX_REVIEW;
    if (method && strcmp(method, "GET") != 0)
        return FD_KUBE_MAX_OBJECT;
    return FD_KUBE_MAX_BODY;
}

/* Checked as bytes arrive: an endless body ends the transfer at the limit
 * instead of filling memory. */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct fd_kube_req *req = arg;
    size_t len = size * n;

    if (len > req->max_body || req->response.len > req->max_body - len) {
        req->over_limit = true;
        return 0;
    }
    fd_buf_append(&req->response, data, len);
    return len;
}

/* Whether a header value can be sent as is: no CR, LF or other control
 * character that would end the header or start another one (client-go's
 * "invalid header field value"). */
static bool header_value_ok(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            return false;
    return true;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
    struct fd_kube_req *req = arg;
    size_t len = size * n;

    if (len > 13 && strncasecmp(data, "content-type:", 13) == 0) {
        size_t start = 13, end = len;
        while (start < end && (data[start] == ' ' || data[start] == '\t'))
            start++;
        while (end > start &&
               (data[end - 1] == '\r' || data[end - 1] == '\n' || data[end - 1] == ' '))
            end--;
        free(req->content_type);
        req->content_type = fd_xstrndup(data + start, end - start);
    }
    return len;
}

/* Wipes header strings (one holds the bearer token) before freeing them. */
static void headers_free(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

/*
 * tls-server-name: libcurl has no separate SNI/verification name, so the URL
 * is rewritten to carry that name (it becomes the SNI and the name checked
 * against the certificate) and CURLOPT_CONNECT_TO sends the connection to the
 * real host and port. Only the Host header differs from kubectl's.
 */
static bool apply_server_name(struct fd_kube_req *req, const char *name, struct curl_slist **ct,
                              struct fd_kube_error *err)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL, *scheme = NULL, *url = NULL;
    bool ok = false;

    if (curl_url_set(u, CURLUPART_URL, req->url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        fd_kube_fail(err, req->cfg, FD_INVALID, "server %s: not a valid URL", req->cfg->server);
        goto out;
    }
    if (strcmp(scheme, "https") != 0) {
        ok = true; /* plain HTTP has no TLS name to change */
        goto out;
    }
    if (curl_url_set(u, CURLUPART_HOST, name, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
        fd_kube_fail(err, req->cfg, FD_INVALID,
                     "cluster \"%s\": tls-server-name \"%s\" is not a "
                     "valid host name",
                     req->cfg->cluster_name, name);
        goto out;
    }
    {
        char *entry = fd_xasprintf("%s:%s:%s:%s", name, port, host, port);
        *ct = curl_slist_append(*ct, entry);
        free(entry);
    }
    free(req->url);
    req->url = fd_xstrdup(url);
    ok = true;
out:
    curl_free(host);
    curl_free(port);
    curl_free(scheme);
    curl_free(url);
    curl_url_cleanup(u);
    return ok;
}

/* cfg's idle time, or $FREIGHTDECK_IDLE_TIMEOUT seconds when set (1-3600). */
static long idle_timeout(const struct fd_kube_config *cfg)
{
    const char *env = getenv("FREIGHTDECK_IDLE_TIMEOUT");
    char *end;
    long v;

    if (env && *env) {
        v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 1 && v <= 3600)
            return v;
    }
    return cfg->idle_timeout_s;
}

static bool set_blob(CURL *h, CURLoption opt, const struct fd_kube_blob *b)
{
    struct curl_blob blob = {b->data, b->len, CURL_BLOB_COPY};

    return curl_easy_setopt(h, opt, &blob) == CURLE_OK;
}

struct fd_kube_req *fd_kube_req_new(struct fd_kube_config *cfg, const char *method,
                                    const char *path, const char *content_type, const char *body,
                                    struct fd_kube_error *err)
{
    struct fd_kube_req *req;
    struct fd_kube_auth auth;
    struct curl_slist *connect_to = NULL;
    CURL *h;
    bool ok = true;

    if (!path || path[0] != '/') {
        fd_kube_fail(err, cfg, FD_INVALID, "request path \"%s\" must start with '/'",
                     path ? path : "");
        return NULL;
    }
    if (fd_kube_credentials_get(cfg, &auth, err))
        return NULL;
    h = curl_easy_init();
    if (!h) {
        fd_kube_auth_clear(&auth);
        fd_kube_fail(err, cfg, FD_INTERNAL, "curl_easy_init failed");
        return NULL;
    }
    req = fd_xcalloc(1, sizeof(*req));
    req->easy = h;
    req->cfg = cfg;
    req->url = fd_xasprintf("%s%s", cfg->server, path);
    req->auth_generation = auth.generation;
    req->has_auth = auth.token || auth.username || auth.client_cert.data;
    req->max_body = fd_kube_body_limit(method, path);
    if ((auth.token && !header_value_ok(auth.token)) ||
        (auth.username && !header_value_ok(auth.username))) {
        bool tok = auth.token && !header_value_ok(auth.token);
        fd_kube_auth_clear(&auth);
        fd_kube_fail(err, cfg, FD_INVALID,
                     "user \"%s\" (context \"%s\"): the %s holds a line break or another "
                     "control character; refused (it could add HTTP headers)",
                     cfg->user_name ? cfg->user_name : "", cfg->context ? cfg->context : "",
                     tok ? "bearer token" : "user name");
        fd_kube_req_free(req);
        return NULL;
    }

    if (cfg->tls_server_name && !apply_server_name(req, cfg->tls_server_name, &connect_to, err)) {
        fd_kube_auth_clear(&auth);
        curl_slist_free_all(connect_to);
        fd_kube_req_free(req);
        return NULL;
    }
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    curl_easy_setopt(h, CURLOPT_PRIVATE, req);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, req->errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "freightdeck/" PACKAGE_VERSION);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 15L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
    {
        /* Below 1 KiB/s over the idle time the transfer ends: a server that
         * sends nothing, or drips a byte at a time, cannot hold a one-shot
         * command or the console's request forever. (Watches turn it off.) */
        long idle = idle_timeout(cfg);
        if (idle > 0) {
            curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
            curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, idle);
        }
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, req);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, req);
    if (connect_to)
        curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);

    /* TLS: verification is on unless the kubeconfig says otherwise. */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, cfg->insecure_skip_tls_verify ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, cfg->insecure_skip_tls_verify ? 0L : 2L);
    if (cfg->ca.data)
        ok = ok && set_blob(h, CURLOPT_CAINFO_BLOB, &cfg->ca);
    if (auth.client_cert.data) {
        ok = ok && set_blob(h, CURLOPT_SSLCERT_BLOB, &auth.client_cert) &&
             set_blob(h, CURLOPT_SSLKEY_BLOB, &auth.client_key);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (cfg->proxy_url)
        curl_easy_setopt(h, CURLOPT_PROXY, cfg->proxy_url);

    req->headers = curl_slist_append(req->headers, "Accept: application/json");
    if (auth.token) {
        char *hdr = fd_xasprintf("Authorization: Bearer %s", auth.token);
        req->headers = curl_slist_append(req->headers, hdr);
        explicit_bzero(hdr, strlen(hdr));
        free(hdr);
    } else if (auth.username) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, auth.username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, auth.password);
    }
    if (body) {
        char *hdr =
            fd_xasprintf("Content-Type: %s", content_type ? content_type : "application/json");
        req->headers = curl_slist_append(req->headers, hdr);
        free(hdr);
        req->request_body = fd_xstrdup(body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->request_body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(req->request_body));
    }
    /* A write is never sent twice: libcurl re-sends a request whose reused
     * connection turns out dead before any answer byte, and that connection
     * may have delivered it already. A fresh connection, closed after use,
     * has nothing to retry. Reviews only ask, so they may reuse. */
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
        strcmp(path, FD_KUBE_SSAR_PATH) != 0) {
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    }
    if (strcmp(method, "GET") == 0 && !body)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    req->connect_to = connect_to;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, req->headers);
    fd_kube_auth_clear(&auth);
    if (!ok) {
        fd_kube_fail(err, cfg, FD_INTERNAL,
                     "libcurl cannot take in-memory certificates (CURLOPT_*_BLOB)");
        fd_kube_req_free(req);
        return NULL;
    }
    return req;
}

void fd_kube_req_free(struct fd_kube_req *req)
{
    if (!req)
        return;
    if (req->easy)
        curl_easy_cleanup(req->easy);
    headers_free(req->headers);
    curl_slist_free_all(req->connect_to);
    free(req->url);
    fd_kube_str_wipe(&req->request_body);
    fd_buf_free(&req->response);
    free(req->content_type);
    free(req);
}

static const char *friendly(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return "cannot resolve the host name";
    case CURLE_COULDNT_RESOLVE_PROXY:
        return "cannot resolve the proxy's host name";
    case CURLE_COULDNT_CONNECT:
        return "cannot connect";
    case CURLE_OPERATION_TIMEDOUT:
        return "timed out";
    case CURLE_PEER_FAILED_VERIFICATION:
        return "TLS: the server's certificate does not verify";
    case CURLE_SSL_CONNECT_ERROR:
        return "TLS handshake failed";
    case CURLE_SSL_CERTPROBLEM:
        return "TLS: the client certificate was not accepted";
    case CURLE_SSL_CACERT_BADFILE:
        return "TLS: the certificate authority cannot be read";
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return "the connection was closed";
    default:
        return curl_easy_strerror(code);
    }
}

enum fd_status fd_kube_req_finish(struct fd_kube_req *req, CURLcode code,
                                  struct fd_kube_response *resp, struct fd_kube_error *err)
{
    struct fd_kube_config *cfg = req->cfg;
    const char *ctx = cfg->context && *cfg->context ? cfg->context : NULL;
    long status = 0;
    enum fd_status st;
    char *msg;

    memset(resp, 0, sizeof(*resp));
    curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
    resp->status = code == CURLE_OK ? status : 0;
    resp->body_len = req->response.len;
    resp->body = fd_buf_steal(&req->response);
    resp->content_type = req->content_type;
    req->content_type = NULL;
    if (req->over_limit)
        return fd_kube_fail(err, cfg, FD_LIMIT, "%s: an answer larger than %zu bytes: refused",
                            cfg->server, req->max_body);
    if (code != CURLE_OK) {
        const char *detail = req->errbuf[0] ? req->errbuf : curl_easy_strerror(code);
        return fd_kube_fail(err, cfg, FD_UNREACHABLE, "cannot reach %s%s%s%s: %s (%s)", cfg->server,
                            ctx ? " (context \"" : "", ctx ? ctx : "", ctx ? "\")" : "",
                            friendly(code), detail);
    }
    st = fd_kube_http_status(status);
    if (st == FD_OK)
        return FD_OK;
    if (status == 401 && req->has_auth)
        fd_kube_credentials_invalidate(cfg, req->auth_generation);
    msg = fd_kube_status_message(resp->body, resp->body_len);
    fd_kube_fail(err, cfg, st, "%s: HTTP %ld%s%s", cfg->server, status, msg ? ": " : "",
                 msg ? msg : (status == 401 ? ": Unauthorized (credentials rejected)" : ""));
    free(msg);
    return st;
}

enum fd_status fd_kube_request(struct fd_kube_config *cfg, const char *method, const char *path,
                               const char *content_type, const char *body,
                               struct fd_kube_response *resp, struct fd_kube_error *err)
{
    return fd_kube_request_with(cfg, method, path, content_type, body, NULL, resp, err);
}

static int stop_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const struct fd_kube_perform *how = arg;

    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    return how->stop(how->arg, NULL, 0) ? 1 : 0;
}

enum fd_status fd_kube_request_with(struct fd_kube_config *cfg, const char *method,
                                    const char *path, const char *content_type, const char *body,
                                    struct fd_kube_perform *how, struct fd_kube_response *resp,
                                    struct fd_kube_error *err)
{
    enum fd_status st = FD_INTERNAL;

    memset(resp, 0, sizeof(*resp));
    if (how)
        how->maybe_applied = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct fd_kube_req *req = fd_kube_req_new(cfg, method, path, content_type, body, err);
        curl_off_t sent = 0;
        CURLcode code;
        if (!req)
            return err->status;
        if (how && how->timeout_s > 0)
            curl_easy_setopt(req->easy, CURLOPT_TIMEOUT, how->timeout_s);
        if (how && how->stop) {
            curl_easy_setopt(req->easy, CURLOPT_XFERINFOFUNCTION, stop_progress);
            curl_easy_setopt(req->easy, CURLOPT_XFERINFODATA, how);
            curl_easy_setopt(req->easy, CURLOPT_NOPROGRESS, 0L);
        }
        code = curl_easy_perform(req->easy);
        curl_easy_getinfo(req->easy, CURLINFO_REQUEST_SIZE, &sent);
        fd_kube_response_free(resp);
        if (code == CURLE_ABORTED_BY_CALLBACK && how && how->stop)
            how->stop(how->arg, req->errbuf, sizeof(req->errbuf));
        st = fd_kube_req_finish(req, code, resp, err);
        fd_kube_req_free(req);
        if (how)
            how->maybe_applied = resp->status != 0 || sent > 0;
        /* A rejected credential that can be refreshed gets one more try. */
        if ((how && how->stop && how->stop(how->arg, NULL, 0)) ||
            !(resp->status == 401 && (cfg->exec || cfg->token_file)))
            break;
    }
    return st;
}

/* How many GETs of one fd_kube_get_many are in flight at once: over HTTP/2
 * they share one connection (streams); over HTTP/1.1 libcurl opens at most
 * FD_KUBE_GET_MANY_CONNS connections and queues the rest. */
#define FD_KUBE_GET_MANY_INFLIGHT 64u
#define FD_KUBE_GET_MANY_CONNS    16L

void fd_kube_get_many(struct fd_kube_config *cfg, const char *const *paths, size_t n,
                      long timeout_s, struct fd_kube_response *resps, struct fd_kube_error *errs,
                      enum fd_status *sts)
{
    CURLM *multi = curl_multi_init();
    size_t next = 0, inflight = 0;
    long version = -1; /* the first answer's HTTP version; -1 until it came */

    for (size_t i = 0; i < n; i++) {
        memset(&resps[i], 0, sizeof(resps[i]));
        memset(&errs[i], 0, sizeof(errs[i]));
        sts[i] = FD_INTERNAL;
    }
    if (!multi) { /* one at a time, as fd_kube_request would */
        struct fd_kube_perform how = {.timeout_s = timeout_s};
        for (size_t i = 0; i < n; i++)
            sts[i] =
                fd_kube_request_with(cfg, "GET", paths[i], NULL, NULL, &how, &resps[i], &errs[i]);
        return;
    }
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, FD_KUBE_GET_MANY_CONNS);
    /* Each request's index rides in reqs[i]->user. */
    struct fd_kube_req **reqs = fd_xcalloc(n ? n : 1, sizeof(*reqs));
    for (;;) {
        /* The first GET goes alone: its answer says whether the server
         * speaks HTTP/2, which then carries all the others on that one
         * connection (PIPEWAIT); over HTTP/1.1, PIPEWAIT would queue them on
         * the connections already open instead of opening more. */
        while (next < n && inflight < (version < 0 ? 1u : FD_KUBE_GET_MANY_INFLIGHT)) {
            size_t i = next++;
            reqs[i] = fd_kube_req_new(cfg, "GET", paths[i], NULL, NULL, &errs[i]);
            if (!reqs[i]) {
                sts[i] = errs[i].status;
                continue;
            }
            reqs[i]->user = &reqs[i];
            if (version == CURL_HTTP_VERSION_2_0)
                curl_easy_setopt(reqs[i]->easy, CURLOPT_PIPEWAIT, 1L);
            if (timeout_s > 0)
                curl_easy_setopt(reqs[i]->easy, CURLOPT_TIMEOUT, timeout_s);
            curl_multi_add_handle(multi, reqs[i]->easy);
            inflight++;
        }
        if (!inflight)
            break;
        int running = 0, left = 0;
        CURLMsg *msg;
        curl_multi_perform(multi, &running);
        while ((msg = curl_multi_info_read(multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct fd_kube_req *req = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
            size_t i = (size_t)((struct fd_kube_req **)req->user - reqs);
            if (version < 0) {
                version = CURL_HTTP_VERSION_NONE;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_HTTP_VERSION, &version);
            }
            curl_multi_remove_handle(multi, msg->easy_handle);
            inflight--;
            sts[i] = fd_kube_req_finish(req, msg->data.result, &resps[i], &errs[i]);
            fd_kube_req_free(req);
            reqs[i] = NULL;
            /* A rejected credential that can be refreshed gets one more try,
             * alone, as fd_kube_request gives it. */
            if (resps[i].status == 401 && (cfg->exec || cfg->token_file)) {
                struct fd_kube_perform how = {.timeout_s = timeout_s};
                fd_kube_response_free(&resps[i]);
                sts[i] = fd_kube_request_with(cfg, "GET", paths[i], NULL, NULL, &how, &resps[i],
                                              &errs[i]);
            }
        }
        if (inflight && running)
            curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    free(reqs);
    curl_multi_cleanup(multi);
}
