/* tests/unit/test_prom_http.c: the Prometheus provider's HTTP requests as
 * client_golang sends them (checked by an in-process libmicrohttpd server),
 * Go's error wording, credentials kept out of messages, the provider spec,
 * one measurement, now() pinning, and multi-document YAML. The rules are Argo
 * Rollouts' metricproviders/prometheus/prometheus.go (doc/upstream.md). */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "check_main.h"
#include "freightdeck/analysis.h"
#include "freightdeck/prom.h"
#include "freightdeck/yaml.h"

#define T0 1704070800000LL /* 2024-01-01T01:00:00Z */

/* ---- An in-process server recording what it was sent ---------------------- */
struct seen {
    char method[8];
    char path[256];
    char body[1024];
    char get_query[512];
    char get_time[64];
    char content_type[128];
    char authorization[256];
    char org[64];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen seen[4];
static int n_seen;
static int post_status = 200; /* status for POST requests */
static int get_status = 200;
static const char *reply_body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                "\"result\":[{\"metric\":{},\"value\":[1704070800,\"0.97\"]}]}}";

struct upload {
    struct fd_buf body;
};

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **state)
{
    struct upload *up = *state;

    (void)cls;
    (void)version;
    if (!up) {
        *state = fd_xcalloc(1, sizeof(struct upload));
        return MHD_YES;
    }
    if (*size) {
        fd_buf_append(&up->body, data, *size);
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&lock);
    if (n_seen < 4) {
        struct seen *s = &seen[n_seen++];
        copy(s->method, sizeof(s->method), method);
        copy(s->path, sizeof(s->path), url);
        copy(s->body, sizeof(s->body), fd_buf_cstr(&up->body));
        copy(s->get_query, sizeof(s->get_query),
             MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "query"));
        copy(s->get_time, sizeof(s->get_time),
             MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "time"));
        copy(s->content_type, sizeof(s->content_type),
             MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"));
        copy(s->authorization, sizeof(s->authorization),
             MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"));
        copy(s->org, sizeof(s->org),
             MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Scope-OrgID"));
    }
    int status = strcmp(method, "POST") == 0 ? post_status : get_status;
    const char *body = status == 200 ? reply_body
                       : status == 400
                           ? "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid "
                             "parameter \\\"query\\\": 1:5: parse error\"}"
                           : "nope";
    pthread_mutex_unlock(&lock);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                                             MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode code)
{
    struct upload *up = *state;

    (void)cls;
    (void)c;
    (void)code;
    if (up) {
        fd_buf_free(&up->body);
        free(up);
        *state = NULL;
    }
}

static struct MHD_Daemon *daemon_;
static char base[64];

static void server_start_tls(const char *key_pem, const char *cert_pem);

static void server_start(void)
{
    server_start_tls(NULL, NULL);
}

static void server_start_tls(const char *key_pem, const char *cert_pem)
{
    const union MHD_DaemonInfo *info;
    static struct sockaddr_in loopback;

    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    loopback.sin_port = 0;
    n_seen = 0;
    memset(seen, 0, sizeof(seen));
    post_status = get_status = 200;
    if (key_pem)
        daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS, 0, NULL, NULL,
                                   handler, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                                   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&loopback,
                                   MHD_OPTION_HTTPS_MEM_KEY, key_pem, MHD_OPTION_HTTPS_MEM_CERT,
                                   cert_pem, MHD_OPTION_END);
    else
        daemon_ =
            MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
                             MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_SOCK_ADDR,
                             (struct sockaddr *)&loopback, MHD_OPTION_END);
    ck_assert_ptr_nonnull(daemon_);
    info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(base, sizeof(base), "%s://127.0.0.1:%u", key_pem ? "https" : "http",
             (unsigned)info->port);
}

static void server_stop(void)
{
    MHD_stop_daemon(daemon_);
    daemon_ = NULL;
}

static struct fd_prom_config config(const char *address)
{
    struct fd_prom_config c;

    memset(&c, 0, sizeof(c));
    c.address = fd_xstrdup(address);
    c.timeout_ms = 5000 * fd_test_scale();
    return c;
}

/* A loopback socket that listens and never accepts: connects, never answers. */
static int silent_listener(int *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(fd, 4), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

/* ---- Request shape ------------------------------------------------------------ */
START_TEST(instant_query_is_a_post_form)
{
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    server_start();
    c = config(base);
    ck_assert_int_eq(fd_prom_query(&c, "sum(up) / 2", T0 + 500, &r, &err), FD_OK);
    ck_assert_int_eq(r.http_status, 200);
    ck_assert_str_eq(r.method, "POST");
    ck_assert_int_eq(n_seen, 1);
    ck_assert_str_eq(seen[0].method, "POST");
    ck_assert_str_eq(seen[0].path, "/api/v1/query");
    ck_assert_str_eq(seen[0].content_type, "application/x-www-form-urlencoded");
    /* url.Values.Encode: sorted keys, QueryEscape (space as '+'), time as
     * FormatFloat(unix seconds, 'f', -1). */
    ck_assert_str_eq(seen[0].body, "query=sum%28up%29+%2F+2&time=1704070800.5");
    ck_assert_str_eq(seen[0].authorization, "");
    ck_assert_ptr_nonnull(strstr(r.body, "0.97"));
    fd_prom_response_free(&r);
    fd_prom_config_free(&c);
    server_stop();
}
END_TEST

START_TEST(address_path_prefix_is_kept)
{
    char addr[128];
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    server_start();
    snprintf(addr, sizeof(addr), "%s/prometheus/", base);
    c = config(addr);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_OK);
    ck_assert_str_eq(seen[0].path, "/prometheus/api/v1/query");
    ck_assert_str_eq(seen[0].body, "query=up&time=1704070800");
    fd_prom_response_free(&r);
    fd_prom_config_free(&c);
    server_stop();
}
END_TEST

START_TEST(range_query_form)
{
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    server_start();
    c = config(base);
    ck_assert_int_eq(fd_prom_query_range(&c, "rate(x[5m])", T0 - 120000, T0, 60000, &r, &err),
                     FD_OK);
    ck_assert_str_eq(seen[0].method, "POST");
    ck_assert_str_eq(seen[0].path, "/api/v1/query_range");
    ck_assert_str_eq(seen[0].body,
                     "end=1704070800&query=rate%28x%5B5m%5D%29&start=1704070680&step=60");
    fd_prom_response_free(&r);
    fd_prom_config_free(&c);
    server_stop();
}
END_TEST

static const int fallback_codes[] = {403, 405, 501};

START_TEST(post_refused_falls_back_to_get)
{
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    server_start();
    post_status = fallback_codes[_i];
    c = config(base);
    ck_assert_int_eq(fd_prom_query(&c, "up == 1", T0, &r, &err), FD_OK);
    ck_assert_int_eq(n_seen, 2);
    ck_assert_str_eq(seen[0].method, "POST");
    ck_assert_str_eq(seen[1].method, "GET");
    ck_assert_str_eq(seen[1].path, "/api/v1/query");
    ck_assert_str_eq(seen[1].get_query, "up == 1");
    ck_assert_str_eq(seen[1].get_time, "1704070800");
    ck_assert_str_eq(r.method, "GET");
    ck_assert_int_eq(r.http_status, 200);
    fd_prom_response_free(&r);
    fd_prom_config_free(&c);
    server_stop();
}
END_TEST

START_TEST(server_error_is_not_retried)
{
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    server_start();
    post_status = 500;
    c = config(base);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_OK);
    ck_assert_int_eq(n_seen, 1);
    ck_assert_int_eq(r.http_status, 500);
    fd_prom_response_free(&r);
    fd_prom_config_free(&c);
    server_stop();
}
END_TEST

START_TEST(headers_basic_auth_and_bearer)
{
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    server_start();
    c = config(base);
    c.headers = fd_xcalloc(1, sizeof(*c.headers));
    c.headers[0].key = fd_xstrdup("X-Scope-OrgID");
    c.headers[0].value = fd_xstrdup("tenant_a");
    c.n_headers = 1;
    c.username = fd_xstrdup("user");
    c.password = fd_xstrdup("pass");
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_OK);
    ck_assert_str_eq(seen[0].org, "tenant_a");
    ck_assert_str_eq(seen[0].authorization, "Basic dXNlcjpwYXNz");
    fd_prom_response_free(&r);
    free(c.username);
    free(c.password);
    c.username = c.password = NULL;
    c.bearer_token = fd_xstrdup("s3cr3t-token");
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_OK);
    ck_assert_str_eq(seen[1].authorization, "Bearer s3cr3t-token");
    fd_prom_response_free(&r);
    fd_prom_config_free(&c);
    server_stop();
}
END_TEST

/* ---- Transport errors in Go's words ---------------------------------------- */
/* A query built from cluster data can be megabytes long: curl_easy_escape
 * returns NULL past 8 MB of output, and that was an abort ("fatal: out of
 * memory"). It is an ordinary request (here refused: nothing listens). */
START_TEST(a_huge_query_is_an_error_not_an_abort)
{
    int port;
    int fd = silent_listener(&port);
    char addr[64];
    size_t n = 4u << 20;
    char *q = malloc(n + 1);
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    for (size_t i = 0; i < n; i++)
        q[i] = "{}()%/#"[i % 7]; /* every byte escaped: 12 MB encoded */
    q[n] = '\0';
    close(fd);
    snprintf(addr, sizeof(addr), "http://127.0.0.1:%d", port);
    c = config(addr);
    ck_assert_int_eq(fd_prom_query(&c, q, T0, &r, &err), FD_IO);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "connection refused"));
    free(err);
    err = NULL;
    ck_assert_int_eq(fd_prom_query_range(&c, q, T0, T0 + 60000, 15000, &r, &err), FD_IO);
    free(err);
    free(q);
    fd_prom_config_free(&c);
}
END_TEST

START_TEST(connection_refused_names_the_address)
{
    int port;
    int fd = silent_listener(&port);
    char addr[64], want[256];
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    close(fd); /* nothing listens there any more */
    snprintf(addr, sizeof(addr), "http://127.0.0.1:%d", port);
    c = config(addr);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_IO);
    snprintf(want, sizeof(want),
             "Post \"http://127.0.0.1:%d/api/v1/query\": dial tcp 127.0.0.1:%d: connect: "
             "connection refused",
             port, port);
    ck_assert_str_eq(err, want);
    free(err);
    fd_prom_config_free(&c);
}
END_TEST

START_TEST(timeout_is_a_client_deadline)
{
    int port;
    int fd = silent_listener(&port);
    char addr[64], want[256];
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;
    struct timespec a, b;

    snprintf(addr, sizeof(addr), "http://127.0.0.1:%d", port);
    c = config(addr);
    c.timeout_ms = 300;
    clock_gettime(CLOCK_MONOTONIC, &a);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_IO);
    clock_gettime(CLOCK_MONOTONIC, &b);
    snprintf(want, sizeof(want),
             "Post \"http://127.0.0.1:%d/api/v1/query\": context deadline exceeded", port);
    ck_assert_str_eq(err, want);
    double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    ck_assert_msg(took >= 0.25 && took < 3.0, "expected about 0.3 s, took %.2f s", took);
    free(err);
    /* timeout: 0 expires before anything is sent, as context.WithTimeout(0). */
    c.timeout_ms = 0;
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_IO);
    ck_assert_str_eq(err, want);
    free(err);
    close(fd);
    fd_prom_config_free(&c);
}
END_TEST

START_TEST(credentials_never_in_messages)
{
    int port;
    int fd = silent_listener(&port);
    char addr[128];
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    close(fd);
    snprintf(addr, sizeof(addr), "http://admin:hunter2@127.0.0.1:%d/", port);
    c = config(addr);
    c.password = fd_xstrdup("pw-basic");
    c.bearer_token = fd_xstrdup("tok-bearer");
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_IO);
    ck_assert_ptr_null(strstr(err, "hunter2"));
    ck_assert_ptr_null(strstr(err, "pw-basic"));
    ck_assert_ptr_null(strstr(err, "tok-bearer"));
    ck_assert_ptr_nonnull(strstr(err, "admin:xxxxx@127.0.0.1"));
    free(err);
    fd_prom_config_free(&c);
}
END_TEST

START_TEST(redact_url)
{
    char *s;

    s = fd_prom_redact_url("https://u:p@h:9090/x?y=1");
    ck_assert_str_eq(s, "https://u:xxxxx@h:9090/x?y=1");
    free(s);
    s = fd_prom_redact_url("http://u@h/");
    ck_assert_str_eq(s, "http://u@h/");
    free(s);
    s = fd_prom_redact_url("http://h:9090/a@b");
    ck_assert_str_eq(s, "http://h:9090/a@b");
    free(s);
}
END_TEST

START_TEST(address_validation)
{
    static const char *const good[] = {"http://prometheus.monitoring:9090", "https://p/x",
                                       "ftp://host"};
    static const char *const bad[] = {"prometheus.monitoring:9090", "", "http://", "/api/v1",
                                      "just text"};
    char *err = NULL;

    for (size_t i = 0; i < FD_ARRAY_SIZE(good); i++)
        ck_assert_msg(fd_prom_check_address(good[i], &err) == FD_OK, "%s refused", good[i]);
    for (size_t i = 0; i < FD_ARRAY_SIZE(bad); i++) {
        ck_assert_msg(fd_prom_check_address(bad[i], &err) == FD_INVALID, "%s accepted", bad[i]);
        ck_assert_str_eq(err, "prometheus address is not is url format");
        free(err);
    }
}
END_TEST

/* ---- TLS: the CA bundle, insecure, a wrong CA ------------------------------ */
static char *slurp(const char *path)
{
    struct fd_buf b = FD_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "r");

    ck_assert_msg(f != NULL, "cannot read %s", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    return fd_buf_steal(&b);
}

START_TEST(tls_ca_insecure_and_wrong_ca)
{
    const char *tmp = getenv("TMPDIR");
    const char *top = getenv("FD_TOP_SRCDIR");
    char *dir = fd_xasprintf("%s/promtls.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *cmd, *key, *cert, *path;
    struct fd_prom_config c;
    struct fd_prom_response r;
    char *err = NULL;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_msg(system("command -v openssl >/dev/null 2>&1") == 0,
                  "the openssl command makes the test certificates: apt-get install openssl");
    cmd = fd_xasprintf("sh '%s/tests/kube/gen-certs.sh' '%s'", top ? top : ".", dir);
    ck_assert_msg(system(cmd) == 0, "gen-certs.sh failed");
    free(cmd);
    path = fd_xasprintf("%s/server.key", dir);
    key = slurp(path);
    free(path);
    path = fd_xasprintf("%s/server.pem", dir);
    cert = slurp(path);
    free(path);
    server_start_tls(key, cert);

    c = config(base);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_IO);
    char *want = fd_xasprintf("Post \"%s/api/v1/query\": tls: ", base);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got %s", err);
    free(want);
    free(err);

    c.ca_file = fd_xasprintf("%s/ca.pem", dir);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_OK);
    ck_assert_int_eq(r.http_status, 200);
    fd_prom_response_free(&r);

    free(c.ca_file);
    c.ca_file = fd_xasprintf("%s/wrongca.pem", dir);
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_IO);
    ck_assert_ptr_nonnull(strstr(err, ": tls: "));
    free(err);

    c.insecure = true;
    ck_assert_int_eq(fd_prom_query(&c, "up", T0, &r, &err), FD_OK);
    ck_assert_int_eq(r.http_status, 200);
    fd_prom_response_free(&r);

    fd_prom_config_free(&c);
    server_stop();
    free(key);
    free(cert);
    free(dir);
}
END_TEST

/* ---- The spec and one measurement ------------------------------------------ */
static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);

    ck_assert_msg(j != NULL, "bad test JSON: %s", e.text);
    return j;
}

START_TEST(spec_decoding)
{
    json_t *j =
        parse("{\"address\":\"http://p:9090\",\"query\":\"up\",\"timeout\":40,"
              "\"insecure\":true,\"headers\":[{\"key\":\"X-Scope-OrgID\",\"value\":\"t\"}],"
              "\"authentication\":{\"basicAuth\":{\"username\":\"u\",\"password\":\"p\"}},"
              "\"rangeQuery\":{\"start\":\"now() - duration(\\\"1h\\\")\",\"end\":\"now()\","
              "\"step\":\"1m\"}}");
    struct fd_analysis_prom_spec s;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_prom_spec_from_json(j, "p", &s, &err), FD_OK);
    ck_assert_str_eq(s.cfg.address, "http://p:9090");
    ck_assert_int_eq(s.cfg.timeout_ms, 40000);
    ck_assert(s.cfg.insecure);
    ck_assert_uint_eq(s.cfg.n_headers, 1);
    ck_assert_str_eq(s.cfg.headers[0].key, "X-Scope-OrgID");
    ck_assert_str_eq(s.cfg.username, "u");
    ck_assert(s.range);
    ck_assert_str_eq(s.range_step, "1m");
    fd_analysis_prom_spec_free(&s);
    json_decref(j);

    j = parse("{\"query\":\"up\"}");
    ck_assert_int_eq(fd_analysis_prom_spec_from_json(j, "p", &s, &err), FD_OK);
    ck_assert_int_eq(s.cfg.timeout_ms, FD_PROM_DEFAULT_TIMEOUT_MS);
    ck_assert_ptr_null(s.cfg.address);
    fd_analysis_prom_spec_free(&s);
    json_decref(j);

    j = parse("{\"query\":\"up\",\"timeout\":\"40\"}");
    ck_assert_int_eq(
        fd_analysis_prom_spec_from_json(j, "spec.metrics[0].provider.prometheus", &s, &err),
        FD_PARSE);
    ck_assert_str_eq(err,
                     "spec.metrics[0].provider.prometheus.timeout: expected an integer (seconds)");
    free(err);
    json_decref(j);

    j = parse("{\"headers\":[{\"key\":\"A\",\"value\":\"x\\ny\"}]}");
    ck_assert_int_eq(fd_analysis_prom_spec_from_json(j, "p", &s, &err), FD_PARSE);
    ck_assert_str_eq(err, "p.headers[0].value: a header value cannot hold a line break");
    free(err);
    json_decref(j);
}
END_TEST

START_TEST(resolve_json_escapes_values)
{
    json_t *j = parse("{\"query\":\"up{job=\\\"{{ args.job }}\\\"}\",\"n\":[\"{{args.job}}\"]}");
    struct fd_analysis_arg args[] = {
        {(char *)(uintptr_t) "job", (char *)(uintptr_t) "a\"b\\c", false, false}};
    char *err = NULL;
    json_t *r = fd_analysis_resolve_json(j, args, 1, &err);

    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(json_string_value(json_object_get(r, "query")), "up{job=\"a\"b\\c\"}");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r, "n"), 0)), "a\"b\\c");
    json_decref(r);
    json_decref(j);

    j = parse("{\"query\":\"{{args.nope}}\"}");
    ck_assert_ptr_null(fd_analysis_resolve_json(j, args, 1, &err));
    ck_assert_str_eq(err, "failed to resolve {{args.nope}}");
    free(err);
    json_decref(j);
}
END_TEST

static void measure(const char *spec_json, const char *success, const char *failure,
                    const char *address, struct fd_analysis_prom_measurement *out)
{
    json_t *j = parse(spec_json);
    struct fd_analysis_prom_spec s;
    struct fd_analysis_metric m;
    struct fd_analysis_prom_options o;
    char *err = NULL;

    ck_assert_int_eq(fd_analysis_prom_spec_from_json(j, "p", &s, &err), FD_OK);
    memset(&m, 0, sizeof(m));
    m.name = (char *)(uintptr_t) "m";
    m.success_condition = (char *)(uintptr_t)success;
    m.failure_condition = (char *)(uintptr_t)failure;
    m.provider = FD_ANALYSIS_PROVIDER_PROMETHEUS;
    memset(&o, 0, sizeof(o));
    o.address = address;
    o.now_ms = T0;
    fd_analysis_prom_measure(&m, &s, &o, out);
    fd_analysis_prom_spec_free(&s);
    json_decref(j);
}

START_TEST(measure_judges_the_answer)
{
    struct fd_analysis_prom_measurement me;

    server_start();
    measure("{\"query\":\"up\"}", "result[0] >= 0.95", "result[0] < 0.80", base, &me);
    ck_assert_int_eq(me.phase, FD_ANALYSIS_PHASE_SUCCESSFUL);
    ck_assert_str_eq(me.value, "[0.97]");
    ck_assert_ptr_null(me.message);
    ck_assert_ptr_nonnull(strstr(me.explanation, "holds"));
    ck_assert_str_eq(me.request, "instant query at 2024-01-01T01:00:00Z");
    fd_analysis_prom_measurement_free(&me);

    post_status = 400;
    measure("{\"query\":\"up\"}", "result[0] >= 0.95", NULL, base, &me);
    ck_assert_int_eq(me.phase, FD_ANALYSIS_PHASE_ERROR);
    ck_assert_str_eq(me.message, "bad_data: invalid parameter \"query\": 1:5: parse error");
    ck_assert_ptr_null(me.value);
    fd_analysis_prom_measurement_free(&me);

    post_status = 200;
    measure("{\"query\":\"up\",\"rangeQuery\":{\"start\":\"now() - duration(\\\"2m\\\")\","
            "\"end\":\"now()\",\"step\":\"1m\"}}",
            "all(result, # > 0.9)", NULL, base, &me);
    ck_assert_int_eq(me.phase, FD_ANALYSIS_PHASE_SUCCESSFUL);
    ck_assert_str_eq(seen[n_seen - 1].body, "end=1704070800&query=up&start=1704070680&step=60");
    fd_analysis_prom_measurement_free(&me);
    server_stop();
}
END_TEST

START_TEST(measure_errors_in_argo_words)
{
    struct fd_analysis_prom_measurement me;

    unsetenv("ARGO_ROLLOUTS_PROMETHEUS_ADDRESS");
    measure("{\"query\":\"up\"}", "result[0] > 1", NULL, NULL, &me);
    ck_assert_int_eq(me.phase, FD_ANALYSIS_PHASE_ERROR);
    ck_assert_str_eq(me.message, "prometheus address is not configured");
    fd_analysis_prom_measurement_free(&me);

    measure("{\"address\":\"prometheus:9090\",\"query\":\"up\"}", "result[0] > 1", NULL, NULL, &me);
    ck_assert_str_eq(me.message, "prometheus address is not is url format");
    fd_analysis_prom_measurement_free(&me);

    measure("{\"address\":\"http://127.0.0.1:1\",\"query\":\"up\",\"timeout\":-1}", "true", NULL,
            NULL, &me);
    ck_assert_str_eq(me.message, "prometheus timeout should not be negative");
    fd_analysis_prom_measurement_free(&me);

    measure("{\"address\":\"http://127.0.0.1:1\",\"query\":\"up\",\"rangeQuery\":{\"start\":"
            "\"now()\",\"end\":\"now()\",\"step\":\"??\"}}",
            "true", NULL, NULL, &me);
    ck_assert_str_eq(me.message,
                     "failed to parse rangeQuery.step as duration: time: invalid duration \"??\"");
    fd_analysis_prom_measurement_free(&me);

    measure("{\"address\":\"http://127.0.0.1:1\",\"query\":\"up\",\"rangeQuery\":{\"start\":"
            "\"1 + 1\",\"end\":\"now()\",\"step\":\"1m\"}}",
            "true", NULL, NULL, &me);
    ck_assert_str_eq(me.message,
                     "failed to parse rangeQuery.start as time: expected time.Time, but got int");
    fd_analysis_prom_measurement_free(&me);

    /* EvalTime unwraps expr's error to its bare message (argo-peer found it) */
    measure("{\"address\":\"http://127.0.0.1:1\",\"query\":\"up\",\"rangeQuery\":{\"start\":"
            "\"now( - 1\",\"end\":\"now() + \\\"x\\\"\",\"step\":\"1m\"}}",
            "true", NULL, NULL, &me);
    ck_assert_str_eq(me.message, "failed to parse rangeQuery.start as time: unexpected token EOF");
    fd_analysis_prom_measurement_free(&me);
    measure("{\"address\":\"http://127.0.0.1:1\",\"query\":\"up\",\"rangeQuery\":{\"start\":"
            "\"now()\",\"end\":\"now() + \\\"x\\\"\",\"step\":\"1m\"}}",
            "true", NULL, NULL, &me);
    ck_assert_str_eq(me.message, "failed to parse rangeQuery.end as time: invalid operation: + "
                                 "(mismatched types time.Time and string)");
    fd_analysis_prom_measurement_free(&me);

    setenv("ARGO_ROLLOUTS_PROMETHEUS_ADDRESS", "http://127.0.0.1:1", 1);
    measure("{\"query\":\"up\"}", "true", NULL, NULL, &me);
    ck_assert_str_eq(me.address, "http://127.0.0.1:1");
    ck_assert_ptr_nonnull(strstr(me.message, "dial tcp 127.0.0.1:1: connect:"));
    fd_analysis_prom_measurement_free(&me);
    unsetenv("ARGO_ROLLOUTS_PROMETHEUS_ADDRESS");
}
END_TEST

START_TEST(pin_now)
{
    char *s =
        fd_analysis_pin_now("now() - duration(\"1h\") + 0 * len(\"now()\") + snow()", T0 + 250);

    ck_assert_str_eq(s,
                     "date(\"2024-01-01T01:00:00.250Z\") - duration(\"1h\") + 0 * len(\"now()\") "
                     "+ snow()");
    free(s);
    s = fd_analysis_pin_now("now ( )", T0);
    ck_assert_str_eq(s, "date(\"2024-01-01T01:00:00Z\")");
    free(s);
}
END_TEST

/* ---- Multi-document YAML ------------------------------------------------------ */
START_TEST(yaml_documents_and_types)
{
    static const char text[] = "---\n"
                               "a: 1\nb: 1.5\nc: yes\nd: \"1\"\ne: ~\nf: 0x1F\ng: 1e3\nh: -7\n"
                               "i: 'true'\nj: [x, 2, off]\nk: 5m\nl: 0.5 # comment\n"
                               "---\n"
                               "---\n"
                               "{\"json\": [1, 2.5, null]}\n"
                               "...\n";
    char *err = NULL;
    json_t *docs = fd_yaml_manifests(text, sizeof(text) - 1, "t.yaml", &err);
    char *dump;

    ck_assert_msg(docs != NULL, "%s", err ? err : "");
    ck_assert_uint_eq(json_array_size(docs), 2); /* the empty document is skipped */
    dump = json_dumps(json_array_get(docs, 0), JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(dump,
                     "{\"a\":1,\"b\":1.5,\"c\":true,\"d\":\"1\",\"e\":null,\"f\":31,\"g\":1000.0,"
                     "\"h\":-7,\"i\":\"true\",\"j\":[\"x\",2,false],\"k\":\"5m\",\"l\":0.5}");
    free(dump);
    dump = json_dumps(json_array_get(docs, 1), JSON_COMPACT);
    ck_assert_str_eq(dump, "{\"json\":[1,2.5,null]}");
    free(dump);
    json_decref(docs);
}
END_TEST

START_TEST(yaml_aliases_and_merge)
{
    static const char text[] = "base: &b {interval: 1s, count: 3}\n"
                               "m1:\n  <<: *b\n  count: 5\n"
                               "list: [*b, *b]\n";
    char *err = NULL;
    json_t *docs = fd_yaml_manifests(text, sizeof(text) - 1, "t.yaml", &err);
    char *dump;

    ck_assert_msg(docs != NULL, "%s", err ? err : "");
    dump = json_dumps(json_array_get(docs, 0), JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(dump,
                     "{\"base\":{\"count\":3,\"interval\":\"1s\"},\"list\":[{\"count\":3,"
                     "\"interval\":\"1s\"},{\"count\":3,\"interval\":\"1s\"}],\"m1\":{\"count\":5,"
                     "\"interval\":\"1s\"}}");
    free(dump);
    json_decref(docs);
}
END_TEST

START_TEST(yaml_errors_point_at_the_place)
{
    char *err = NULL;

    ck_assert_ptr_null(fd_yaml_manifests("a: 1\nb: [1, 2\n", 13, "x.yaml", &err));
    ck_assert_msg(strncmp(err, "x.yaml:3:1: ", 12) == 0, "got %s", err);
    free(err);
    ck_assert_ptr_null(fd_yaml_manifests("a: 1\nb: 2\na: 3\n", 15, "d.yaml", &err));
    ck_assert_str_eq(err, "d.yaml:3:1: duplicate key \"a\"");
    free(err);
    ck_assert_ptr_null(fd_yaml_manifests("? [a]\n: 1\n", 10, "k.yaml", &err));
    ck_assert_str_eq(err, "k.yaml:1:3: a mapping key must be a scalar");
    free(err);
    ck_assert_ptr_null(fd_yaml_manifests("n: !!int abc\n", 12, "i.yaml", &err));
    ck_assert_str_eq(err, "i.yaml:1:4: cannot read \"abc\" as tag:yaml.org,2002:int");
    free(err);
}
END_TEST

START_TEST(yaml_alias_bomb_and_depth_are_refused)
{
    struct fd_buf b = FD_BUF_INIT;
    char *err = NULL;

    /* Each level doubles the last: 2^30 nodes if expanded. */
    fd_buf_puts(&b, "a0: &a0 [x, x]\n");
    for (int i = 1; i <= 30; i++)
        fd_buf_printf(&b, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
    ck_assert_ptr_null(fd_yaml_manifests(b.data, b.len, "bomb.yaml", &err));
    ck_assert_ptr_nonnull(strstr(err, "too many nodes"));
    free(err);
    fd_buf_reset(&b);
    for (int i = 0; i < 300; i++)
        fd_buf_putc(&b, '[');
    ck_assert_ptr_null(fd_yaml_manifests(b.data, b.len, "deep.yaml", &err));
    ck_assert_ptr_nonnull(err);
    free(err);
    fd_buf_free(&b);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("prom_http");
    TCase *tc = tcase_create("http");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, instant_query_is_a_post_form);
    tcase_add_test(tc, address_path_prefix_is_kept);
    tcase_add_test(tc, range_query_form);
    tcase_add_loop_test(tc, post_refused_falls_back_to_get, 0, (int)FD_ARRAY_SIZE(fallback_codes));
    tcase_add_test(tc, server_error_is_not_retried);
    tcase_add_test(tc, headers_basic_auth_and_bearer);
    tcase_add_test(tc, connection_refused_names_the_address);
    tcase_add_test(tc, timeout_is_a_client_deadline);
    tcase_add_test(tc, credentials_never_in_messages);
    tcase_add_test(tc, redact_url);
    tcase_add_test(tc, address_validation);
    tcase_add_test(tc, tls_ca_insecure_and_wrong_ca);
    suite_add_tcase(s, tc);

    tc = tcase_create("provider");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, spec_decoding);
    tcase_add_test(tc, resolve_json_escapes_values);
    tcase_add_test(tc, measure_judges_the_answer);
    tcase_add_test(tc, measure_errors_in_argo_words);
    tcase_add_test(tc, pin_now);
    suite_add_tcase(s, tc);

    tc = tcase_create("yaml");
    tcase_add_test(tc, yaml_documents_and_types);
    tcase_add_test(tc, a_huge_query_is_an_error_not_an_abort);
    tcase_add_test(tc, yaml_aliases_and_merge);
    tcase_add_test(tc, yaml_errors_point_at_the_place);
    tcase_add_test(tc, yaml_alias_bomb_and_depth_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
