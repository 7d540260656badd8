/* sim/server.c: fd_sim_api_handle behind libmicrohttpd, with TLS, the
 * kubeconfig and the signal loop. */
#include "config.h"

#include "freightdeck/sim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freightdeck/util.h"
#include "hooks.h"
#include "misc.h"

/* The real API server's default request body limit (3 MiB). */
#define BODY_LIMIT (3 * 1024 * 1024)

struct conn {
    struct fd_buf body;
    bool too_large;
};

struct stream {
    struct fd_sim_api *api;
    struct fd_sim_response resp;
    struct fd_buf pending;
    size_t off;
};

struct query_acc {
    char **kv;
    size_t n;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct query_acc *q = cls;
    (void)kind;
    q->kv = fd_xreallocarray(q->kv, q->n + 3, sizeof(*q->kv));
    q->kv[q->n++] = fd_xstrdup(key);
    q->kv[q->n++] = fd_xstrdup(value ? value : "");
    q->kv[q->n] = NULL;
    return MHD_YES;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    (void)pos;
    while (s->off >= s->pending.len) {
        fd_buf_reset(&s->pending);
        s->off = 0;
        int fault = fd_sim_hooks_stream(s->resp.watch, &s->pending);
        if (fault < 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (fault > 0)
            continue;
        /* Thread-per-connection: blocking here is allowed and is how a
         * watch waits; wake up every second to notice shutdown. */
        int n = fd_sim_response_stream(s->api, &s->resp, &s->pending, 1000);
        if (n < 0 && s->pending.len == 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = s->pending.len - s->off;
    if (n > max)
        n = max;
    memcpy(buf, s->pending.data + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct stream *s = cls;
    fd_sim_hooks_stream_end(s->resp.watch);
    fd_sim_response_free(&s->resp);
    fd_buf_free(&s->pending);
    free(s);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct fd_sim_api *api = cls;
    struct conn *cn = *con_cls;
    (void)version;

    if (!cn) {
        *con_cls = fd_xcalloc(1, sizeof(struct conn));
        return MHD_YES;
    }
    if (*upload_size) {
        if (cn->body.len + *upload_size > BODY_LIMIT)
            cn->too_large = true;
        else
            fd_buf_append(&cn->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }

    struct query_acc q = {fd_xcalloc(1, sizeof(char *)), 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
    struct fd_sim_request req = {
        method,
        url,
        (const char *const *)q.kv,
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
        cn->body.data,
        cn->body.len,
    };
    struct fd_sim_response resp;
    struct MHD_Response *r;
    unsigned int code;

    if (cn->too_large) {
        static const char msg[] =
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            "\"message\":\"Request entity too large: limit is 3145728\",\"reason\":"
            "\"RequestEntityTooLarge\",\"code\":413}";
        memset(&resp, 0, sizeof(resp));
        resp.code = 413;
        resp.content_type = "application/json";
        resp.body = fd_xstrdup(msg);
        resp.body_len = strlen(msg);
    } else {
        fd_sim_api_handle(api, &req, &resp);
        fd_sim_hooks_response(&req, &resp);
    }
    fd_sim_query_free(q.kv);
    code = (unsigned int)resp.code;
    json_t *warnings = resp.warnings;
    resp.warnings = NULL;

    if (resp.watch) {
        struct stream *s = fd_xcalloc(1, sizeof(*s));
        s->api = api;
        s->resp = resp;
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_free);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp.content_type);
        MHD_add_response_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING, "chunked");
    } else {
        r = MHD_create_response_from_buffer(resp.body_len, resp.body, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp.content_type);
        resp.body = NULL;
        fd_sim_response_free(&resp);
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache, private");
    for (size_t i = 0; i < json_array_size(warnings); i++)
        MHD_add_response_header(r, "Warning", json_string_value(json_array_get(warnings, i)));
    json_decref(warnings);
    enum MHD_Result rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn *cn = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (cn) {
        fd_buf_free(&cn->body);
        free(cn);
        *con_cls = NULL;
    }
}

/* libmicrohttpd's own messages (TLS alerts from clients that hang up) go to
 * the log, not to the terminal a test reads. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char *msg = fd_xvasprintf(fmt, ap);
    (void)cls;
    fd_log(FD_LOG_DEBUG, "sim: %s", msg);
    free(msg);
}

/* A PEM file (certificate, key, CA): a few KiB. */
static char *read_file(const char *path, char **err)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *why;

    if (fd_read_file(path, 1u << 20, &b, &why) != FD_OK) {
        *err = fd_xasprintf("%s: %s", path, why);
        fd_buf_free(&b);
        return NULL;
    }
    return fd_buf_steal(&b);
}

static bool parse_listen(const char *listen, struct sockaddr_in *sa, char **err)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    char *end;

    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    if (!colon || (size_t)(colon - listen) >= sizeof(host)) {
        *err = fd_xasprintf("--listen '%s': expected HOST:PORT, e.g. 127.0.0.1:0", listen);
        return false;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port < 0 || port > 65535) {
        *err = fd_xasprintf("--listen '%s': the port must be a number from 0 to 65535", listen);
        return false;
    }
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        *err = fd_xasprintf("--listen '%s': '%s' is not an IPv4 address", listen, host);
        return false;
    }
    sa->sin_port = htons((uint16_t)port);
    return true;
}

static bool write_kubeconfig(const char *path, const char *url, const char *ca_pem,
                             const char *user, const char *token, char **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        *err = fd_xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    fprintf(f,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: freightdeck-sim\n  cluster:\n"
            "    server: %s\n",
            url);
    if (ca_pem) {
        char *b64 = fd_base64_encode(ca_pem, strlen(ca_pem));
        fprintf(f, "    certificate-authority-data: %s\n", b64);
        free(b64);
    }
    fprintf(f,
            "contexts:\n- name: freightdeck-sim\n  context:\n    cluster: freightdeck-sim\n"
            "    user: %s\n    namespace: default\ncurrent-context: freightdeck-sim\n"
            "users:\n- name: %s\n  user:\n",
            user ? user : "anonymous", user ? user : "anonymous");
    if (token)
        fprintf(f, "    token: %s\n", token);
    else
        fprintf(f, "    {}\n");
    if (fclose(f) != 0) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

int fd_sim_serve(const struct fd_sim_options *o)
{
    struct fd_sim_api *api = fd_sim_api_new(o->history);
    struct sockaddr_in sa;
    char *err = NULL, *cert = NULL, *key = NULL, *ca = NULL;
    struct MHD_Daemon *d = NULL;
    struct fd_sim_player *player = NULL;
    int rc = 1;
    sigset_t sigs;

    if (!parse_listen(o->listen ? o->listen : "127.0.0.1:0", &sa, &err))
        goto out;
    if (o->tokens && fd_sim_api_set_tokens(api, o->tokens, &err))
        goto out;
    for (size_t i = 0; i < o->nload; i++)
        if (fd_sim_api_load(api, o->load[i], &err))
            goto out;
    if (!(player = fd_sim_player_start(api, o, &err)) && err)
        goto out;
    if (!o->tls_cert != !o->tls_key) {
        err = fd_xstrdup("--tls-cert and --tls-key go together");
        goto out;
    }
    if (o->tls_cert) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
            err = fd_xstrdup("this libmicrohttpd was built without TLS");
            goto out;
        }
        if (!(cert = read_file(o->tls_cert, &err)) || !(key = read_file(o->tls_key, &err)))
            goto out;
        if (!(ca = read_file(o->tls_ca ? o->tls_ca : o->tls_cert, &err)))
            goto out;
    }

    /* Signals go to sigwait below, not to the server's threads. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                         MHD_USE_POLL | MHD_USE_ERROR_LOG;
    if (cert)
        flags |= MHD_USE_TLS;
    if (cert)
        d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, api, MHD_OPTION_SOCK_ADDR, &sa,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                             MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                             MHD_OPTION_CONNECTION_TIMEOUT, 0U, MHD_OPTION_HTTPS_MEM_CERT, cert,
                             MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
    else
        d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, api, MHD_OPTION_SOCK_ADDR, &sa,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                             MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                             MHD_OPTION_CONNECTION_TIMEOUT, 0U, MHD_OPTION_END);
    if (!d) {
        err = fd_xasprintf("cannot listen on %s (in use, or a bad certificate or key)",
                           o->listen ? o->listen : "127.0.0.1:0");
        goto out;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
    char *url = fd_xasprintf("%s://%s:%u", cert ? "https" : "http", host,
                             info ? (unsigned)info->port : (unsigned)ntohs(sa.sin_port));
    if (o->kubeconfig_out) {
        const char *user, *token;
        fd_sim_api_admin(api, &user, &token);
        if (!write_kubeconfig(o->kubeconfig_out, url, ca, user, token, &err)) {
            free(url);
            goto out;
        }
    }
    printf("listening on %s\n", url);
    if (fd_sim_player_describe(player))
        fprintf(stderr, "freightdeck sim: %s\n", fd_sim_player_describe(player));
    fflush(stdout);
    free(url);

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    /* SIGTERM is the way to stop it; Ctrl-C says it was interrupted. */
    rc = sig == SIGINT ? fd_status_exit_code(FD_INTERRUPTED) : 0;
out:
    if (err)
        fprintf(stderr, "freightdeck sim: %s\n", err);
    fd_sim_api_shutdown(api);
    if (d)
        MHD_stop_daemon(d);
    fd_sim_player_free(player);
    fd_sim_api_free(api);
    free(err);
    free(cert);
    free(key);
    free(ca);
    return rc;
}
