/* tests/unit/test_kube_http.c: the HTTP layer against loopback HTTPS servers.
 *
 * A libmicrohttpd server (TLS, certificates from tests/kube/gen-certs.sh)
 * records what the client sent; `openssl s_server -Verify 1` checks client
 * certificate authentication, which libmicrohttpd cannot enforce alone.
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "freightdeck/kube.h"
#include "test_kube_helpers.h"

extern char **environ;

static char *pki; /* folder of the test certificates */

/* What the server saw of the last request. */
static struct {
    pthread_mutex_t lock;
    char authorization[512];
    char user_agent[128];
    char accept_encoding[128];
    char method[16];
    char content_type[128];
    char url[512];
    char body[1024];
    int requests;
    const char *accept_token; /* when set, any other bearer token gets a 401 */
} seen = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void copy_header(struct MHD_Connection *c, const char *name, char *dst, size_t size)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);

    snprintf(dst, size, "%s", v ? v : "");
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *json)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(json), (void *)(uintptr_t)json,
                                                             MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    MHD_add_response_header(r, "Content-Type", "application/json");
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    struct fd_buf *body = *con_cls;
    char got[512];

    (void)cls;
    (void)version;
    if (!body) {
        *con_cls = fd_xcalloc(1, sizeof(struct fd_buf));
        return MHD_YES;
    }
    if (*upload_size) {
        fd_buf_append(body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&seen.lock);
    seen.requests++;
    copy_header(c, "Authorization", seen.authorization, sizeof(seen.authorization));
    copy_header(c, "User-Agent", seen.user_agent, sizeof(seen.user_agent));
    copy_header(c, "Accept-Encoding", seen.accept_encoding, sizeof(seen.accept_encoding));
    copy_header(c, "Content-Type", seen.content_type, sizeof(seen.content_type));
    snprintf(seen.method, sizeof(seen.method), "%s", method);
    snprintf(seen.url, sizeof(seen.url), "%s", url);
    snprintf(seen.body, sizeof(seen.body), "%s", fd_buf_cstr(body));
    snprintf(got, sizeof(got), "%s", seen.authorization);
    pthread_mutex_unlock(&seen.lock);

    if (seen.accept_token) {
        char want[256];
        snprintf(want, sizeof(want), "Bearer %s", seen.accept_token);
        if (strcmp(got, want) != 0) {
            /* Servers do echo what they got; the client must not print it. */
            char json[1024];
            snprintf(json, sizeof(json),
                     "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                     "\"message\":\"invalid bearer token %s\",\"reason\":\"Unauthorized\","
                     "\"code\":401}",
                     got + (strlen(got) > 7 ? 7 : 0));
            return reply(c, 401, json);
        }
    }
    if (strstr(url, "/missing"))
        return reply(c, 404,
                     "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
                     "\"Failure\",\"message\":\"pods \\\"missing\\\" not found\",\"reason\":"
                     "\"NotFound\",\"details\":{\"name\":\"missing\",\"kind\":\"pods\"},"
                     "\"code\":404}");
    if (strstr(url, "/plain-error"))
        return reply(c, 503, "upstream is down");
    if (strncmp(url, "/echo/", 6) == 0) {
        char json[600];
        snprintf(json, sizeof(json), "{\"url\":\"%s\"}", url);
        return reply(c, 200, json);
    }
    return reply(c, 200, "{\"ok\":true}");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    if (*con_cls) {
        fd_buf_free(*con_cls);
        free(*con_cls);
        *con_cls = NULL;
    }
}

static char *pki_file(const char *name)
{
    char *path = fd_xasprintf("%s/%s", pki, name), *text = kt_slurp(path);

    free(path);
    return text;
}

/* Starts the server: TLS with the named certificate ("server", "named"), or
 * plain HTTP when cert is NULL. Returns the daemon; *port is its port. */
static struct MHD_Daemon *start_server(const char *cert, int *port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    char *cert_pem = NULL, *key_pem = NULL, *name;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (cert) {
        name = fd_xasprintf("%s.pem", cert);
        cert_pem = pki_file(name);
        free(name);
        name = fd_xasprintf("%s.key", cert);
        key_pem = pki_file(name);
        free(name);
        d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS, 0, NULL, NULL, handler,
                             NULL, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_HTTPS_MEM_KEY, key_pem,
                             MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_NOTIFY_COMPLETED,
                             completed, NULL, MHD_OPTION_END);
    } else {
        d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
                             MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED, completed,
                             NULL, MHD_OPTION_END);
    }
    ck_assert_msg(d != NULL, "cannot start the test server");
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info->port;
    free(cert_pem);
    free(key_pem);
    return d;
}

/* A config for server with extra cluster and user lines (YAML flow items). */
static struct fd_kube_config *config_for(const char *server, const char *cluster_extra,
                                         const char *user_extra)
{
    char *yaml = fd_xasprintf("current-context: a\n"
                              "clusters: [{name: c, cluster: {server: '%s'%s%s}}]\n"
                              "users: [{name: u, user: {%s}}]\n"
                              "contexts: [{name: a, context: {cluster: c, user: u}}]\n",
                              server, cluster_extra ? ", " : "", cluster_extra ? cluster_extra : "",
                              user_extra ? user_extra : "");
    char *name = fd_xasprintf("%s/kubeconfig", pki);
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    enum fd_status st = fd_kube_config_load_buffer(name, yaml, strlen(yaml), NULL, &cfg, &err);

    ck_assert_msg(st == FD_OK, "config: %s", err.message);
    cfg->connect_timeout_ms = 5000 * fd_test_scale();
    free(name);
    free(yaml);
    return cfg;
}

static char *url(int port)
{
    return fd_xasprintf("https://127.0.0.1:%d", port);
}

static void setup_pki(void)
{
    const char *top = getenv("FD_TOP_SRCDIR");
    char *cmd;

    ck_assert_msg(system("command -v openssl >/dev/null 2>&1") == 0,
                  "the openssl command is needed to make test certificates: apt-get install "
                  "openssl");
    pki = kt_tmpdir();
    cmd = fd_xasprintf("sh '%s/tests/kube/gen-certs.sh' '%s'", top ? top : ".", pki);
    ck_assert_msg(system(cmd) == 0, "gen-certs.sh failed");
    free(cmd);
}

static void teardown_pki(void)
{
    free(pki);
}

START_TEST(ca_verification_token_and_headers)
{
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port);
    struct fd_kube_config *cfg =
        config_for(server, "certificate-authority: ca.pem", "token: tok-abc");
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    enum fd_status st =
        fd_kube_request(cfg, "GET", "/api/v1/namespaces/default/pods", NULL, NULL, &resp, &err);

    ck_assert_msg(st == FD_OK, "%s", err.message);
    ck_assert_int_eq(resp.status, 200);
    ck_assert_str_eq(resp.body, "{\"ok\":true}");
    ck_assert_str_eq(resp.content_type, "application/json");
    ck_assert_str_eq(seen.authorization, "Bearer tok-abc");
    ck_assert_str_eq(seen.user_agent, "freightdeck/" PACKAGE_VERSION);
    ck_assert_msg(strstr(seen.accept_encoding, "gzip") != NULL, "Accept-Encoding: %s",
                  seen.accept_encoding);
    ck_assert_str_eq(seen.method, "GET");
    ck_assert_str_eq(seen.url, "/api/v1/namespaces/default/pods");
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(bodies_methods_and_basic_auth)
{
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port);
    struct fd_kube_config *cfg =
        config_for(server, "certificate-authority: ca.pem", "username: admin, password: hunter22");
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    static const char patch[] = "{\"status\":{\"approvedFor\":{\"prod\":{}}}}";

    ck_assert_int_eq(fd_kube_request(cfg, "PATCH", "/apis/kargo.akuity.io/v1alpha1/x",
                                     "application/merge-patch+json", patch, &resp, &err),
                     FD_OK);
    ck_assert_str_eq(seen.method, "PATCH");
    ck_assert_str_eq(seen.content_type, "application/merge-patch+json");
    ck_assert_str_eq(seen.body, patch);
    ck_assert_str_eq(seen.authorization, "Basic YWRtaW46aHVudGVyMjI="); /* admin:hunter22 */
    fd_kube_response_free(&resp);
    ck_assert_int_eq(fd_kube_request(cfg, "POST", "/x", NULL, "{}", &resp, &err), FD_OK);
    ck_assert_str_eq(seen.method, "POST");
    ck_assert_str_eq(seen.content_type, "application/json");
    fd_kube_response_free(&resp);
    ck_assert_int_eq(fd_kube_request(cfg, "DELETE", "/x", NULL, NULL, &resp, &err), FD_OK);
    ck_assert_str_eq(seen.method, "DELETE");
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(kubernetes_status_message_on_errors)
{
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port), *want;
    struct fd_kube_config *cfg = config_for(server, "certificate-authority: ca.pem", NULL);
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/api/v1/namespaces/default/pods/missing", NULL,
                                     NULL, &resp, &err),
                     FD_NOT_FOUND);
    ck_assert_int_eq(resp.status, 404);
    ck_assert_ptr_nonnull(strstr(resp.body, "NotFound"));
    want = fd_xasprintf("%s: HTTP 404: pods \"missing\" not found", server);
    ck_assert_str_eq(err.message, want);
    free(want);
    fd_kube_response_free(&resp);

    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/plain-error", NULL, NULL, &resp, &err), FD_IO);
    ck_assert_int_eq(resp.status, 503);
    want = fd_xasprintf("%s: HTTP 503", server);
    ck_assert_str_eq(err.message, want);
    free(want);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(wrong_ca_and_missing_ca_fail_clearly)
{
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port), *want;
    struct fd_kube_config *cfg = config_for(server, "certificate-authority: wrongca.pem", NULL);
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_UNREACHABLE);
    ck_assert_int_eq(resp.status, 0);
    want = fd_xasprintf("cannot reach %s (context \"a\"): TLS: the server's certificate does not "
                        "verify (",
                        server);
    ck_assert_msg(strncmp(err.message, want, strlen(want)) == 0, "expected: %s...\n got: %s", want,
                  err.message);
    ck_assert_msg(strstr(err.message, "certificate") != NULL, "%s", err.message);
    ck_assert_int_eq(fd_status_exit_code(err.status), 3);
    free(want);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);

    /* No CA at all: the system CAs do not know the test CA either. */
    cfg = config_for(server, NULL, NULL);
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_UNREACHABLE);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    ck_assert_int_eq(seen.requests, 0);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(insecure_skip_tls_verify)
{
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port);
    struct fd_kube_config *cfg = config_for(server, "insecure-skip-tls-verify: true", NULL);
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_msg(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err) == FD_OK, "%s",
                  err.message);
    ck_assert_int_eq(resp.status, 200);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(tls_server_name)
{
    int port;
    struct MHD_Daemon *d = start_server("named", &port); /* only valid for api.kube.test */
    char *server = url(port);
    struct fd_kube_config *cfg =
        config_for(server, "certificate-authority: ca.pem, tls-server-name: api.kube.test", NULL);
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_msg(fd_kube_request(cfg, "GET", "/named", NULL, NULL, &resp, &err) == FD_OK, "%s",
                  err.message);
    ck_assert_str_eq(seen.url, "/named");
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);

    cfg = config_for(server, "certificate-authority: ca.pem", NULL);
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_UNREACHABLE);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

/* A loopback port that was free a moment ago and now has nobody listening. */
static int unused_port(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t len = sizeof(sa);
    int s = socket(AF_INET, SOCK_STREAM, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
    close(s);
    return ntohs(sa.sin_port);
}

START_TEST(connection_refused_names_the_server)
{
    char *server, *want;
    struct fd_kube_config *cfg;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    server = url(unused_port());
    cfg = config_for(server, "certificate-authority: ca.pem", "token: s3cr3t-token-value");
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_UNREACHABLE);
    want = fd_xasprintf("cannot reach %s (context \"a\"): cannot connect (", server);
    ck_assert_msg(strncmp(err.message, want, strlen(want)) == 0, "expected: %s...\n got: %s", want,
                  err.message);
    ck_assert(strstr(err.message, "s3cr3t") == NULL);
    free(want);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
}
END_TEST

START_TEST(proxy_url_is_used)
{
    int port;
    struct MHD_Daemon *d = start_server(NULL, &port); /* plays the HTTP proxy */
    char *proxy = fd_xasprintf("proxy-url: 'http://127.0.0.1:%d'", port);
    struct fd_kube_config *cfg = config_for("http://kube.invalid:8080", proxy, NULL);
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_msg(fd_kube_request(cfg, "GET", "/via-proxy", NULL, NULL, &resp, &err) == FD_OK, "%s",
                  err.message);
    /* A proxy gets the absolute URL of the real server. */
    ck_assert_msg(strstr(seen.url, "kube.invalid:8080/via-proxy") != NULL, "proxy saw %s",
                  seen.url);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(proxy);
    MHD_stop_daemon(d);
}
END_TEST

/* ---- openssl s_server: client certificate authentication ---- */

static pid_t s_server_pid;

static int start_s_server(void)
{
    char *cert = fd_xasprintf("%s/server.pem", pki), *key = fd_xasprintf("%s/server.key", pki);
    char *ca = fd_xasprintf("%s/ca.pem", pki);
    /* -naccept: it exits by itself even if a test dies before stopping it. */
    const char *args[] = {"openssl", "s_server", "-accept", "127.0.0.1:0", "-cert",
                          cert,      "-key",     key,       "-CAfile",     ca,
                          "-Verify", "1",        "-www",    "-naccept",    "2"};
    char *argv[FD_ARRAY_SIZE(args) + 1];
    int out[2];
    posix_spawn_file_actions_t fa;
    FILE *f;
    char line[256];
    int port = 0;

    for (size_t i = 0; i < FD_ARRAY_SIZE(args); i++)
        argv[i] = fd_xstrdup(args[i]);
    argv[FD_ARRAY_SIZE(args)] = NULL;
    ck_assert_int_eq(pipe(out), 0);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    ck_assert_int_eq(posix_spawnp(&s_server_pid, "openssl", &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    f = fdopen(out[0], "r");
    while (fgets(line, sizeof(line), f)) {
        char *colon = strrchr(line, ':');
        if (strncmp(line, "ACCEPT", 6) == 0 && colon) {
            port = atoi(colon + 1);
            break;
        }
    }
    /* Leave the pipe open: s_server keeps writing session logs to it. */
    ck_assert_msg(port > 0, "openssl s_server did not start");
    for (size_t i = 0; i < FD_ARRAY_SIZE(args); i++)
        free(argv[i]);
    free(cert);
    free(key);
    free(ca);
    return port;
}

static void stop_s_server(void)
{
    int status;

    kill(s_server_pid, SIGTERM);
    waitpid(s_server_pid, &status, 0);
}

START_TEST(client_certificate_authentication)
{
    int port = start_s_server();
    char *server = url(port);
    struct fd_kube_config *cfg =
        config_for(server, "certificate-authority: ca.pem",
                   "client-certificate: client.pem, client-key: client.key");
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_msg(fd_kube_request(cfg, "GET", "/", NULL, NULL, &resp, &err) == FD_OK, "%s",
                  err.message);
    ck_assert_int_eq(resp.status, 200);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);

    /* Without a client certificate the server refuses the handshake. */
    cfg = config_for(server, "certificate-authority: ca.pem", NULL);
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/", NULL, NULL, &resp, &err), FD_UNREACHABLE);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    stop_s_server();
}
END_TEST

/* ---- exec plugin + 401 ---- */

static struct fd_kube_config *plugin_config_for(const char *server, const char *state)
{
    const char *top = getenv("FD_TOP_SRCDIR");
    char *user = fd_xasprintf("exec: {apiVersion: client.authentication.k8s.io/v1, command: "
                              "/bin/sh, interactiveMode: Never, args: ['%s/tests/kube/"
                              "exec-plugin.sh', token], env: [{name: PLUGIN_STATE, value: '%s'}]}",
                              top ? top : ".", state);
    struct fd_kube_config *cfg = config_for(server, "certificate-authority: ca.pem", user);

    free(user);
    return cfg;
}

START_TEST(unauthorized_reruns_the_plugin_once)
{
    int port;
    struct MHD_Daemon *d;
    char *server, *state = kt_tmpdir();
    struct fd_kube_config *cfg;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    seen.accept_token = "tok-2"; /* the first credential is "expired" on the server */
    d = start_server("server", &port);
    server = url(port);
    cfg = plugin_config_for(server, state);
    ck_assert_msg(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err) == FD_OK, "%s",
                  err.message);
    ck_assert_uint_eq(fd_kube_credentials_exec_runs(cfg), 2);
    ck_assert_int_eq(seen.requests, 2);
    ck_assert_str_eq(seen.authorization, "Bearer tok-2");
    fd_kube_response_free(&resp);
    /* Cached now: no further run. */
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_OK);
    ck_assert_uint_eq(fd_kube_credentials_exec_runs(cfg), 2);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    free(state);
    MHD_stop_daemon(d);
}
END_TEST

/* fd_kube_request_with: the stop condition aborts a transfer with its
 * reason, and a request stopped after a 401 is not tried again. */
static int requests_seen(void)
{
    int n;

    pthread_mutex_lock(&seen.lock);
    n = seen.requests;
    pthread_mutex_unlock(&seen.lock);
    return n;
}

/* *arg: stop once the server has seen this many requests (0: at once). */
static int stop_after(void *arg, char *why, size_t size)
{
    const int *after = arg;

    if (why)
        snprintf(why, size, "stopped by the test");
    return requests_seen() >= *after;
}

START_TEST(request_with_stop_and_timeout)
{
    int port, after = 0, before;
    struct MHD_Daemon *d;
    char *server, *state = kt_tmpdir();
    struct fd_kube_config *cfg;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    struct fd_kube_perform how = {.timeout_s = 30, .stop = stop_after, .arg = &after};

    seen.accept_token = "tok-2"; /* the first credential gets a 401 */
    d = start_server("server", &port);
    server = url(port);
    cfg = plugin_config_for(server, state);
    /* Stopped at once: nothing reaches the server, the error says why. */
    ck_assert_int_eq(fd_kube_request_with(cfg, "GET", "/x", NULL, NULL, &how, &resp, &err),
                     FD_UNREACHABLE);
    ck_assert_msg(strstr(err.message, "stopped by the test") != NULL, "%s", err.message);
    ck_assert_int_eq(requests_seen(), 0);
    ck_assert(!how.maybe_applied);
    fd_kube_response_free(&resp);
    /* Stopped once the server has the request: the 401 is not tried again. */
    after = 1;
    fd_kube_request_with(cfg, "GET", "/x", NULL, NULL, &how, &resp, &err);
    ck_assert_int_eq(requests_seen(), 1);
    ck_assert(how.maybe_applied);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    /* Not stopped: the 401 is tried once more with a fresh credential (a new
     * plugin state: its first token is the rejected one again). */
    free(state);
    state = kt_tmpdir();
    cfg = plugin_config_for(server, state);
    after = 1000;
    before = requests_seen();
    ck_assert_msg(fd_kube_request_with(cfg, "GET", "/x", NULL, NULL, &how, &resp, &err) == FD_OK,
                  "%s", err.message);
    ck_assert_int_eq(requests_seen() - before, 2);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    free(state);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(rejected_token_is_not_echoed)
{
    int port;
    struct MHD_Daemon *d;
    char *server, *state = kt_tmpdir(), *want;
    struct fd_kube_config *cfg;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    seen.accept_token = "never-this-one";
    d = start_server("server", &port);
    server = url(port);
    cfg = plugin_config_for(server, state);
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_REFUSED);
    ck_assert_int_eq(resp.status, 401);
    ck_assert_ptr_nonnull(strstr(resp.body, "tok-2")); /* the server did echo it */
    want = fd_xasprintf("%s: HTTP 401: invalid bearer token [redacted]", server);
    ck_assert_str_eq(err.message, want);
    free(want);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);

    /* The same with a static token from the kubeconfig. */
    cfg = config_for(server, "certificate-authority: ca.pem", "token: static-s3cr3t-tok");
    ck_assert_int_eq(fd_kube_request(cfg, "GET", "/x", NULL, NULL, &resp, &err), FD_REFUSED);
    ck_assert_msg(strstr(err.message, "static-s3cr3t-tok") == NULL, "%s", err.message);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(server);
    free(state);
    MHD_stop_daemon(d);
}
END_TEST

START_TEST(request_handles_for_curl_multi)
{
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port);
    struct fd_kube_config *cfg = config_for(server, "certificate-authority: ca.pem", "token: t-m");
    CURLM *multi = curl_multi_init();
    struct fd_kube_req *reqs[4];
    struct fd_kube_error err = {0};
    int running = 1, done = 0;

    for (int i = 0; i < 4; i++) {
        reqs[i] = fd_kube_req_new(cfg, "GET", i == 3 ? "/missing" : "/multi", NULL, NULL, &err);
        ck_assert_msg(reqs[i] != NULL, "%s", err.message);
        curl_multi_add_handle(multi, reqs[i]->easy);
    }
    while (running) {
        CURLMsg *m;
        int left;
        curl_multi_perform(multi, &running);
        while ((m = curl_multi_info_read(multi, &left))) {
            struct fd_kube_req *req;
            struct fd_kube_response resp;
            enum fd_status st;
            if (m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&req);
            st = fd_kube_req_finish(req, m->data.result, &resp, &err);
            ck_assert_int_eq(st, strstr(req->url, "/missing") ? FD_NOT_FOUND : FD_OK);
            fd_kube_response_free(&resp);
            done++;
        }
        if (running)
            curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    ck_assert_int_eq(done, 4);
    for (int i = 0; i < 4; i++) {
        curl_multi_remove_handle(multi, reqs[i]->easy);
        fd_kube_req_free(reqs[i]);
    }
    curl_multi_cleanup(multi);
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

/* fd_kube_get_many: 150 GETs at once (more than the 64 it keeps in flight),
 * each answer in its own slot, errors as fd_kube_request gives them. */
START_TEST(get_many_answers_each_in_its_slot)
{
    enum { N = 150 };
    int port;
    struct MHD_Daemon *d = start_server("server", &port);
    char *server = url(port);
    struct fd_kube_config *cfg = config_for(server, "certificate-authority: ca.pem", "token: t");
    char *paths[N];
    struct fd_kube_response resps[N];
    struct fd_kube_error errs[N];
    enum fd_status sts[N];
    int before;

    for (int i = 0; i < N; i++)
        paths[i] = i == 7    ? fd_xstrdup("/api/v1/missing")
                   : i == 9  ? fd_xstrdup("/plain-error")
                   : i == 11 ? fd_xstrdup("no-slash")
                             : fd_xasprintf("/echo/%d", i);
    pthread_mutex_lock(&seen.lock);
    before = seen.requests;
    pthread_mutex_unlock(&seen.lock);
    fd_kube_get_many(cfg, (const char *const *)paths, N, 0, resps, errs, sts);
    for (int i = 0; i < N; i++) {
        if (i == 7) {
            ck_assert_int_eq(sts[i], FD_NOT_FOUND);
            ck_assert_int_eq(resps[i].status, 404);
            ck_assert_msg(strstr(errs[i].message, "pods \"missing\" not found"), "%s",
                          errs[i].message);
        } else if (i == 9) {
            ck_assert_int_eq(resps[i].status, 503);
            ck_assert_int_ne(sts[i], FD_OK);
        } else if (i == 11) {
            ck_assert_int_eq(sts[i], FD_INVALID); /* never sent */
            ck_assert_int_eq(resps[i].status, 0);
        } else {
            char want[64];
            snprintf(want, sizeof(want), "{\"url\":\"/echo/%d\"}", i);
            ck_assert_msg(sts[i] == FD_OK, "%d: %s", i, errs[i].message);
            ck_assert_str_eq(resps[i].body, want);
        }
        fd_kube_response_free(&resps[i]);
        free(paths[i]);
    }
    pthread_mutex_lock(&seen.lock);
    ck_assert_int_eq(seen.requests - before, N - 1); /* each once; the bad path never */
    pthread_mutex_unlock(&seen.lock);
    fd_kube_get_many(cfg, NULL, 0, 0, NULL, NULL, NULL); /* nothing to do: fine */
    fd_kube_config_free(cfg);
    free(server);
    MHD_stop_daemon(d);
}
END_TEST

/* Nobody listening: every slot says so, as fd_kube_request would. */
START_TEST(get_many_unreachable_fills_every_slot)
{
    const char *paths[3] = {"/a", "/b", "/c"};
    struct fd_kube_response resps[3];
    struct fd_kube_error errs[3];
    enum fd_status sts[3];
    char *server = url(unused_port());
    struct fd_kube_config *cfg = config_for(server, "certificate-authority: ca.pem", "token: t");
    fd_kube_get_many(cfg, paths, 3, 0, resps, errs, sts);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(sts[i], FD_UNREACHABLE);
        ck_assert_msg(strstr(errs[i].message, "cannot reach") != NULL, "%s", errs[i].message);
        fd_kube_response_free(&resps[i]);
    }
    fd_kube_config_free(cfg);
    free(server);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("kube_http");
    TCase *tc = tcase_create("http");

    tcase_add_unchecked_fixture(tc, setup_pki, teardown_pki);
    tcase_add_test(tc, ca_verification_token_and_headers);
    tcase_add_test(tc, bodies_methods_and_basic_auth);
    tcase_add_test(tc, kubernetes_status_message_on_errors);
    tcase_add_test(tc, wrong_ca_and_missing_ca_fail_clearly);
    tcase_add_test(tc, insecure_skip_tls_verify);
    tcase_add_test(tc, tls_server_name);
    tcase_add_test(tc, connection_refused_names_the_server);
    tcase_add_test(tc, proxy_url_is_used);
    tcase_add_test(tc, client_certificate_authentication);
    tcase_add_test(tc, unauthorized_reruns_the_plugin_once);
    tcase_add_test(tc, rejected_token_is_not_echoed);
    tcase_add_test(tc, request_with_stop_and_timeout);
    tcase_add_test(tc, request_handles_for_curl_multi);
    tcase_add_test(tc, get_many_answers_each_in_its_slot);
    tcase_add_test(tc, get_many_unreachable_fills_every_slot);
    suite_add_tcase(s, tc);
    return s;
}
