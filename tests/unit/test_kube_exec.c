/* tests/unit/test_kube_exec.c: exec credential plugins (tests/kube/exec-plugin.sh). */
#include "config.h"

#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "freightdeck/kube.h"
#include "test_kube_helpers.h"

#define V1      "client.authentication.k8s.io/v1"
#define V1BETA1 "client.authentication.k8s.io/v1beta1"
#define PAST    "2000-01-01T00:00:00Z"
#define FUTURE  "2999-01-01T00:00:00Z"

static char *state; /* the plugin's state folder */

/* A config whose user runs the fake plugin: /bin/sh exec-plugin.sh ARGS. */
static struct fd_kube_config *plugin_config(const char *version, const char *mode,
                                            const char *plugin_version, const char *expiry,
                                            const char *extra_exec)
{
    const char *top = getenv("FD_TOP_SRCDIR");
    char *yaml;
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    enum fd_status st;

    state = kt_tmpdir();
    yaml = fd_xasprintf("current-context: a\n"
                        "clusters:\n"
                        "- name: c\n"
                        "  cluster:\n"
                        "    server: https://api.example:6443\n"
                        "    tls-server-name: api.internal\n"
                        "    certificate-authority-data: Q0EtQllURVM=\n"
                        "users:\n"
                        "- name: u\n"
                        "  user:\n"
                        "    exec:\n"
                        "      apiVersion: %s\n"
                        "      command: /bin/sh\n"
                        "      args: ['%s/tests/kube/exec-plugin.sh', '%s', '%s', '%s']\n"
                        "      env:\n"
                        "      - {name: PLUGIN_STATE, value: '%s'}\n"
                        "      - {name: PLUGIN_GREETING, value: hello from kubeconfig}\n"
                        "%s"
                        "contexts: [{name: a, context: {cluster: c, user: u}}]\n",
                        version, top ? top : ".", mode, plugin_version, expiry ? expiry : "", state,
                        extra_exec ? extra_exec : "      interactiveMode: Never\n");
    st = fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err);
    ck_assert_msg(st == FD_OK, "config: %s", err.message);
    free(yaml);
    return cfg;
}

static int runs_recorded(void)
{
    char *path = fd_xasprintf("%s/runs", state), *text = kt_slurp(path);
    int n = atoi(text);

    free(text);
    free(path);
    return n;
}

static json_t *exec_info(void)
{
    char *path = fd_xasprintf("%s/info.json", state);
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);

    ck_assert_msg(j != NULL, "KUBERNETES_EXEC_INFO is not JSON: %s", jerr.text);
    free(path);
    return j;
}

static void cleanup(struct fd_kube_config *cfg)
{
    fd_kube_config_free(cfg);
    free(state);
    state = NULL;
}

START_TEST(v1_token_args_env_and_cluster_info)
{
    struct fd_kube_config *cfg = plugin_config(V1, "token", V1, NULL,
                                               "      interactiveMode: Never\n"
                                               "      provideClusterInfo: true\n");
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};
    json_t *info, *cluster;
    char *path, *text;

    ck_assert_msg(fd_kube_credentials_get(cfg, &auth, &err) == FD_OK, "%s", err.message);
    ck_assert_str_eq(auth.token, "tok-1");
    ck_assert_ptr_null(auth.client_cert.data);
    fd_kube_auth_clear(&auth);

    info = exec_info();
    ck_assert_str_eq(json_string_value(json_object_get(info, "apiVersion")), V1);
    ck_assert_str_eq(json_string_value(json_object_get(info, "kind")), "ExecCredential");
    ck_assert(json_is_false(json_object_get(json_object_get(info, "spec"), "interactive")));
    cluster = json_object_get(json_object_get(info, "spec"), "cluster");
    ck_assert_str_eq(json_string_value(json_object_get(cluster, "server")),
                     "https://api.example:6443");
    ck_assert_str_eq(json_string_value(json_object_get(cluster, "tls-server-name")),
                     "api.internal");
    ck_assert_str_eq(json_string_value(json_object_get(cluster, "certificate-authority-data")),
                     "Q0EtQllURVM=");
    json_decref(info);

    path = fd_xasprintf("%s/args", state);
    text = kt_slurp(path);
    ck_assert_str_eq(text, "token\n" V1 "\n\n"); /* the args after the script */
    free(text);
    free(path);
    path = fd_xasprintf("%s/greeting", state);
    text = kt_slurp(path);
    ck_assert_str_eq(text, "hello from kubeconfig\n");
    free(text);
    free(path);
    cleanup(cfg);
}
END_TEST

START_TEST(v1beta1_without_cluster_info)
{
    struct fd_kube_config *cfg = plugin_config(V1BETA1, "token", V1BETA1, NULL, "");
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};
    json_t *info;

    ck_assert_int_eq(cfg->exec->interactive_mode, FD_KUBE_INTERACTIVE_IF_AVAILABLE);
    cfg->exec->stdin_unavailable = true; /* as while curses owns the terminal */
    ck_assert_msg(fd_kube_credentials_get(cfg, &auth, &err) == FD_OK, "%s", err.message);
    ck_assert_str_eq(auth.token, "tok-1");
    fd_kube_auth_clear(&auth);
    info = exec_info();
    ck_assert_str_eq(json_string_value(json_object_get(info, "apiVersion")), V1BETA1);
    ck_assert_ptr_null(json_object_get(json_object_get(info, "spec"), "cluster"));
    ck_assert(json_is_false(json_object_get(json_object_get(info, "spec"), "interactive")));
    json_decref(info);
    cleanup(cfg);
}
END_TEST

START_TEST(cached_until_invalidated)
{
    struct fd_kube_config *cfg = plugin_config(V1, "token", V1, FUTURE, NULL);
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};
    unsigned first;

    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    first = auth.generation;
    fd_kube_auth_clear(&auth);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "tok-1");
    fd_kube_auth_clear(&auth);
    ck_assert_int_eq(runs_recorded(), 1);
    ck_assert_uint_eq(fd_kube_credentials_exec_runs(cfg), 1);

    /* A 401 for the current credential: the plugin runs again. */
    fd_kube_credentials_invalidate(cfg, first);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "tok-2");
    ck_assert_uint_ne(auth.generation, first);
    fd_kube_auth_clear(&auth);
    /* A late 401 for the old credential does not throw the new one away. */
    fd_kube_credentials_invalidate(cfg, first);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "tok-2");
    fd_kube_auth_clear(&auth);
    ck_assert_int_eq(runs_recorded(), 2);
    cleanup(cfg);
}
END_TEST

START_TEST(expired_credentials_are_refreshed)
{
    struct fd_kube_config *cfg = plugin_config(V1, "token", V1, PAST, NULL);
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};

    for (int i = 1; i <= 3; i++) {
        char want[16];
        ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
        snprintf(want, sizeof(want), "tok-%d", i);
        ck_assert_str_eq(auth.token, want);
        fd_kube_auth_clear(&auth);
    }
    ck_assert_int_eq(runs_recorded(), 3);
    cleanup(cfg);
}
END_TEST

START_TEST(client_certificate_from_plugin)
{
    char *dir = kt_tmpdir(),
         *cert =
             kt_put(dir, "c.pem", "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n");
    char *key =
        kt_put(dir, "k.pem", "-----BEGIN PRIVATE KEY-----\nBBB\n-----END PRIVATE KEY-----\n");
    struct fd_kube_config *cfg;
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};

    cfg = plugin_config(V1, "cert", V1, NULL, "      interactiveMode: Never\n");
    /* Point the plugin at the files through the config's env. */
    cfg->exec->env = fd_xreallocarray(cfg->exec->env, cfg->exec->nenv + 2, sizeof(*cfg->exec->env));
    cfg->exec->env[cfg->exec->nenv++] =
        (struct fd_kube_env_var){fd_xstrdup("PLUGIN_CERT"), fd_xstrdup(cert)};
    cfg->exec->env[cfg->exec->nenv++] =
        (struct fd_kube_env_var){fd_xstrdup("PLUGIN_KEY"), fd_xstrdup(key)};
    ck_assert_msg(fd_kube_credentials_get(cfg, &auth, &err) == FD_OK, "%s", err.message);
    ck_assert_ptr_null(auth.token);
    ck_assert_str_eq((char *)auth.client_cert.data,
                     "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n");
    ck_assert_str_eq((char *)auth.client_key.data,
                     "-----BEGIN PRIVATE KEY-----\nBBB\n-----END PRIVATE KEY-----\n");
    fd_kube_auth_clear(&auth);
    cleanup(cfg);
    free(cert);
    free(key);
    free(dir);
}
END_TEST

/* Runs the plugin in a mode that fails; returns the status, message in err.
 * Only the mode that never answers gets the short limit it is tested with:
 * the others must fail by what they print, however slowly the shell starts
 * on a loaded machine. */
static enum fd_status failing(const char *mode, const char *plugin_version,
                              struct fd_kube_error *err)
{
    struct fd_kube_config *cfg = plugin_config(V1, mode, plugin_version, NULL, NULL);
    struct fd_kube_auth auth;
    enum fd_status st;

    cfg->exec->timeout_ms = strcmp(mode, "sleep") == 0 ? 300 : 30000 * fd_test_scale();
    st = fd_kube_credentials_get(cfg, &auth, err);
    ck_assert_ptr_null(auth.token);
    cleanup(cfg);
    return st;
}

START_TEST(failing_plugins_say_why)
{
    struct fd_kube_error err = {0};
    time_t start;

    ck_assert_int_eq(failing("fail", V1, &err), FD_REFUSED);
    ck_assert_str_eq(err.message, "exec plugin \"/bin/sh\": executable /bin/sh failed with exit "
                                  "code 3: error: cannot refresh session s3cr3t-session-1");
    ck_assert_int_eq(failing("token", V1BETA1, &err), FD_PARSE);
    ck_assert_str_eq(err.message, "exec plugin \"/bin/sh\" is configured to use API version " V1
                                  ", plugin returned version " V1BETA1);
    ck_assert_int_eq(failing("only-cert", V1, &err), FD_PARSE);
    ck_assert_str_eq(err.message,
                     "exec plugin \"/bin/sh\" returned only certificate or key, not both");
    ck_assert_int_eq(failing("garbage", V1, &err), FD_PARSE);
    ck_assert_str_eq(err.message, "exec plugin \"/bin/sh\": output is not an ExecCredential "
                                  "(invalid JSON at line 1, column 5)");
    start = time(NULL);
    ck_assert_int_eq(failing("sleep", V1, &err), FD_LIMIT);
    ck_assert_str_eq(err.message, "exec plugin \"/bin/sh\" timed out after 300 ms and was killed");
    ck_assert(time(NULL) - start < 10 * fd_test_scale());
}
END_TEST

START_TEST(missing_command_prints_install_hint)
{
    static const char yaml[] = "current-context: a\n"
                               "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                               "users:\n"
                               "- name: u\n"
                               "  user:\n"
                               "    exec:\n"
                               "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                               "      command: fd-test-no-such-plugin\n"
                               "      installHint: |\n"
                               "        fd-test-no-such-plugin is needed to log in.\n"
                               "        Install it with: apt-get install fd-test-plugin\n"
                               "contexts: [{name: a, context: {cluster: c, user: u}}]\n";
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err),
                     FD_OK);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_NOT_FOUND);
    ck_assert_str_eq(err.message, "exec plugin \"fd-test-no-such-plugin\": executable not found "
                                  "in PATH\n\nfd-test-no-such-plugin is needed to log in.\n"
                                  "Install it with: apt-get install fd-test-plugin\n");
    fd_kube_config_free(cfg);
}
END_TEST

START_TEST(interactive_always_needs_a_terminal)
{
    struct fd_kube_config *cfg =
        plugin_config(V1, "token", V1, NULL, "      interactiveMode: Always\n");
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};

    ck_assert_ptr_nonnull(freopen("/dev/null", "r", stdin));
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_REFUSED);
    ck_assert_str_eq(err.message, "exec plugin \"/bin/sh\" needs a terminal (interactiveMode "
                                  "Always), but standard input is not a terminal");
    cleanup(cfg);
}
END_TEST

START_TEST(static_credentials_and_token_file_reload)
{
    char *dir = kt_tmpdir(), *tok = kt_put(dir, "token", "first\n");
    char *yaml = fd_xasprintf("current-context: a\n"
                              "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
                              "users: [{name: u, user: {tokenFile: '%s'}}]\n"
                              "contexts: [{name: a, context: {cluster: c, user: u}}]\n",
                              tok);
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};
    unsigned gen;

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err),
                     FD_OK);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "first");
    gen = auth.generation;
    fd_kube_auth_clear(&auth);
    free(kt_put(dir, "token", "second\n")); /* rotated on disk */
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "first"); /* no re-read without a 401 */
    fd_kube_auth_clear(&auth);
    fd_kube_credentials_invalidate(cfg, gen);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "second");
    fd_kube_auth_clear(&auth);
    ck_assert_uint_eq(fd_kube_credentials_exec_runs(cfg), 0);
    fd_kube_config_free(cfg);
    free(yaml);
    free(tok);
    free(dir);
}
END_TEST

/* Waits for the refresh's byte on the pipe. */
static void wait_for_refresh(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char byte;

    ck_assert_msg(poll(&p, 1, 20000) == 1, "the background refresh never finished");
    ck_assert_int_eq(read(fd, &byte, 1), 1);
}

START_TEST(background_refresh_for_the_network_thread)
{
    struct fd_kube_config *cfg = plugin_config(V1, "token", V1, FUTURE, NULL);
    struct fd_kube_auth auth;
    struct fd_kube_error err = {0};
    int p[2];

    ck_assert_int_eq(pipe(p), 0);
    ck_assert(!fd_kube_credentials_ready(cfg));
    ck_assert_int_eq(fd_kube_credentials_refresh_async(cfg, p[1], &err), FD_OK);
    wait_for_refresh(p[0]);
    ck_assert(fd_kube_credentials_ready(cfg));
    ck_assert_int_eq(fd_kube_credentials_last_error(cfg, &err), FD_OK);
    ck_assert_int_eq(fd_kube_credentials_get(cfg, &auth, &err), FD_OK);
    ck_assert_str_eq(auth.token, "tok-1");
    fd_kube_credentials_invalidate(cfg, auth.generation);
    fd_kube_auth_clear(&auth);
    ck_assert(!fd_kube_credentials_ready(cfg));
    /* Two calls while one runs start one plugin run. */
    ck_assert_int_eq(fd_kube_credentials_refresh_async(cfg, p[1], &err), FD_OK);
    ck_assert_int_eq(fd_kube_credentials_refresh_async(cfg, p[1], &err), FD_OK);
    wait_for_refresh(p[0]);
    ck_assert_uint_eq(fd_kube_credentials_exec_runs(cfg), 2);
    cleanup(cfg);

    cfg = plugin_config(V1, "fail", V1, NULL, NULL);
    ck_assert_int_eq(fd_kube_credentials_refresh_async(cfg, p[1], &err), FD_OK);
    wait_for_refresh(p[0]);
    ck_assert(!fd_kube_credentials_ready(cfg));
    ck_assert_int_eq(fd_kube_credentials_last_error(cfg, &err), FD_REFUSED);
    ck_assert_ptr_nonnull(strstr(err.message, "failed with exit code 3"));
    cleanup(cfg);
    close(p[0]);
    close(p[1]);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("kube_exec");
    TCase *tc = tcase_create("exec");

    tcase_add_test(tc, v1_token_args_env_and_cluster_info);
    tcase_add_test(tc, v1beta1_without_cluster_info);
    tcase_add_test(tc, cached_until_invalidated);
    tcase_add_test(tc, expired_credentials_are_refreshed);
    tcase_add_test(tc, client_certificate_from_plugin);
    tcase_add_test(tc, failing_plugins_say_why);
    tcase_add_test(tc, missing_command_prints_install_hint);
    tcase_add_test(tc, interactive_always_needs_a_terminal);
    tcase_add_test(tc, static_credentials_and_token_file_reload);
    tcase_add_test(tc, background_refresh_for_the_network_thread);
    suite_add_tcase(s, tc);
    return s;
}
