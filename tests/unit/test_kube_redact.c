/* tests/unit/test_kube_redact.c: no credential reaches a message or the log.
 *
 * Every secret planted below contains "s3cr3t". The sweep provokes every kind
 * of error the kube module can report with such secrets in play, and checks
 * each message, and the log file that fd_kube_fail writes them to.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_main.h"
#include "freightdeck/kube.h"
#include "test_kube_helpers.h"

#define MARK "s3cr3t"

START_TEST(patterns)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"},
        {"\"Bearer abc\" rejected", "\"Bearer [redacted]\" rejected"},
        {"header Basic YWRtaW46aHVudGVy ok", "header Basic [redacted] ok"},
        {"proxy http://ops:pw@proxy:3128 refused", "proxy http://[redacted]@proxy:3128 refused"},
        {"https://h:6443/api?x=@y", "https://h:6443/api?x=@y"},
        {"key -----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY----- end",
         "key [redacted] end"},
        {"cut -----BEGIN CERTIFICATE-----\nMIIB", "cut [redacted]"},
        {"nothing to hide", "nothing to hide"},
    };
    char buf[256];

    for (size_t i = 0; i < FD_ARRAY_SIZE(cases); i++) {
        snprintf(buf, sizeof(buf), "%s", cases[i].in);
        fd_kube_redact(buf, sizeof(buf), NULL);
        ck_assert_msg(strcmp(buf, cases[i].out) == 0, "case %zu\n expected: %s\n      got: %s", i,
                      cases[i].out, buf);
    }
}
END_TEST

START_TEST(config_secrets_and_small_buffers)
{
    static const char yaml[] =
        "current-context: a\n"
        "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
        "users: [{name: u, user: {token: tok-" MARK "-1, client-certificate-data: Q0VSVC1QRU0=, "
        "client-key-data: S0VZLVBFTQ==}}]\n"
        "contexts: [{name: a, context: {cluster: c, user: u}}]\n";
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err;
    char buf[64], tiny[12];

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err),
                     FD_OK);
    snprintf(buf, sizeof(buf), "got tok-" MARK "-1 and KEY-PEM, CERT-PEM");
    fd_kube_redact(buf, sizeof(buf), cfg);
    ck_assert_str_eq(buf, "got [redacted] and [redacted], [redacted]");
    /* The replacement is longer than the secret: the text is cut, not overrun. */
    snprintf(tiny, sizeof(tiny), "x KEY-PEM");
    fd_kube_redact(tiny, sizeof(tiny), cfg);
    ck_assert_str_eq(tiny, "x [redacted");
    fd_kube_config_free(cfg);
}
END_TEST

/* Collects every message the sweep provokes. */
static struct fd_buf messages = FD_BUF_INIT;
static int provoked;

static void note(enum fd_status st, const struct fd_kube_error *err)
{
    ck_assert_msg(st != FD_OK, "expected an error");
    fd_buf_printf(&messages, "%s\n", err->message);
    provoked++;
}

static void load_expecting_error(const char *yaml)
{
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};

    note(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err), &err);
    ck_assert_ptr_null(cfg);
}

static void plugin_error(const char *mode)
{
    const char *top = getenv("FD_TOP_SRCDIR");
    char *state = kt_tmpdir();
    char *yaml = fd_xasprintf(
        "current-context: a\n"
        "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
        "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, "
        "command: /bin/sh, interactiveMode: Never, args: ['%s/tests/kube/exec-plugin.sh', '%s'], "
        "env: [{name: PLUGIN_STATE, value: '%s'}]}}}]\n"
        "contexts: [{name: a, context: {cluster: c, user: u}}]\n",
        top ? top : ".", mode, state);
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err),
                     FD_OK);
    note(fd_kube_credentials_get(cfg, &auth, &err), &err);
    fd_kube_config_free(cfg);
    free(yaml);
    free(state);
}

static void unreachable(const char *server, const char *cluster_extra, const char *user)
{
    char *yaml = fd_xasprintf("current-context: a\n"
                              "clusters: [{name: c, cluster: {server: '%s'%s}}]\n"
                              "users: [{name: u, user: {%s}}]\n"
                              "contexts: [{name: a, context: {cluster: c, user: u}}]\n",
                              server, cluster_extra, user);
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err),
                     FD_OK);
    cfg->connect_timeout_ms = 2000 * fd_test_scale();
    note(fd_kube_request(cfg, "GET", "/api", NULL, NULL, &resp, &err), &err);
    fd_kube_response_free(&resp);
    fd_kube_config_free(cfg);
    free(yaml);
}

START_TEST(sweep_every_error_for_secrets)
{
    char *dir = kt_tmpdir(), *log = fd_xasprintf("%s/kube.log", dir), *logged;

    ck_assert_int_eq(fd_log_open(log, FD_LOG_DEBUG), FD_OK);
#define CL  "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
#define CTX "contexts: [{name: a, context: {cluster: c, user: u}}]\ncurrent-context: a\n"
    load_expecting_error(CL "users: [{name: u, user: {token: tok-" MARK ", username: u, password: "
                            "pw-" MARK "}}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {password: pw-" MARK "}}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {client-key-data: 'key-" MARK "!!'}}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {client-key-data: S0VZLVBFTQ==, token: "
                            "tok-" MARK "}}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {token: [tok-" MARK "]}}]\n" CTX);
    load_expecting_error("clusters: [{name: c, cluster: {server: 'https://h', "
                         "certificate-authority-data: 'ca-" MARK "!'}}]\nusers: [{name: u}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {token: tok-" MARK ", auth-provider: "
                            "{name: oidc, config: {client-secret: cs-" MARK "}}}}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {exec: {apiVersion: bad, command: x, "
                            "env: [{name: T, value: env-" MARK "}]}}}]\n" CTX);
    load_expecting_error(CL "users: [{name: u, user: {token: \"tok-" MARK "\n" CTX);
    plugin_error("leak");
    plugin_error("garbage");
    unreachable("https://127.0.0.1:1", "", "token: tok-" MARK);
    unreachable("https://127.0.0.1:1", "", "username: admin, password: pw-" MARK);
    unreachable("https://ops:srv-" MARK "@127.0.0.1:1", "", "token: tok-" MARK);
    unreachable("https://127.0.0.1:1", ", proxy-url: 'http://ops:proxy-" MARK "@127.0.0.1:1'",
                "token: tok-" MARK);
    unreachable("https://127.0.0.1:1", "",
                "client-certificate-data: Q0VSVC1QRU0=, client-key-data: S0VZLVBFTQ==");
    fd_log_close();

    ck_assert_int_ge(provoked, 15);
    ck_assert_msg(strstr(fd_buf_cstr(&messages), MARK) == NULL, "a secret leaked:\n%s",
                  fd_buf_cstr(&messages));
    ck_assert_msg(strstr(fd_buf_cstr(&messages), "KEY-PEM") == NULL, "a key leaked:\n%s",
                  fd_buf_cstr(&messages));
    logged = kt_slurp(log);
    ck_assert_msg(strstr(logged, "cannot reach") != NULL, "the log has the errors:\n%s", logged);
    ck_assert_msg(strstr(logged, MARK) == NULL, "a secret reached the log:\n%s", logged);
    /* The failing plugin's own token is redacted before the line is logged. */
    ck_assert_msg(strstr(logged, "leaked-tok") == NULL, "a plugin's token reached the log:\n%s",
                  logged);
    free(logged);
    {
        struct stat sb;
        ck_assert_int_eq(stat(log, &sb), 0);
        ck_assert_int_eq(sb.st_mode & 0777, 0600);
        /* An older log left readable by others is closed down when reopened. */
        ck_assert_int_eq(chmod(log, 0644), 0);
        ck_assert_int_eq(fd_log_open(log, FD_LOG_DEBUG), FD_OK);
        fd_log_close();
        ck_assert_int_eq(stat(log, &sb), 0);
        ck_assert_int_eq(sb.st_mode & 0777, 0600);
    }
    fd_buf_free(&messages);
    free(log);
    free(dir);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("kube_redact");
    TCase *tc = tcase_create("redact");

    tcase_add_test(tc, patterns);
    tcase_add_test(tc, config_secrets_and_small_buffers);
    tcase_add_test(tc, sweep_every_error_for_secrets);
    suite_add_tcase(s, tc);
    return s;
}
