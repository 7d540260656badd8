/* tests/unit/test_kube_config.c: kubeconfig loading, merging, resolution, in-cluster. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "freightdeck/kube.h"
#include "test_kube_helpers.h"

static const char basic_yaml[] = "apiVersion: v1\n"                               /* 1 */
                                 "kind: Config\n"                                 /* 2 */
                                 "current-context: dev\n"                         /* 3 */
                                 "clusters:\n"                                    /* 4 */
                                 "- name: c1\n"                                   /* 5 */
                                 "  cluster:\n"                                   /* 6 */
                                 "    server: https://127.0.0.1:6443/\n"          /* 7 */
                                 "    certificate-authority-data: Q0EtQllURVM=\n" /* 8 */
                                 "    tls-server-name: api.kube.test\n"           /* 9 */
                                 "    proxy-url: http://proxy.local:3128\n"       /* 10 */
                                 "users:\n"                                       /* 11 */
                                 "- name: u1\n"                                   /* 12 */
                                 "  user:\n"                                      /* 13 */
                                 "    token: abc.def-token\n"                     /* 14 */
                                 "contexts:\n"                                    /* 15 */
                                 "- name: dev\n"                                  /* 16 */
                                 "  context:\n"                                   /* 17 */
                                 "    cluster: c1\n"                              /* 18 */
                                 "    user: u1\n"                                 /* 19 */
                                 "    namespace: kargo-demo\n"                    /* 20 */
                                 "- name: prod\n"                                 /* 21 */
                                 "  context:\n"                                   /* 22 */
                                 "    cluster: c1\n"                              /* 23 */
                                 "    user: ops\n";                               /* 24 */

/* HOME is a fresh folder holding .kube/config with text. */
static char *home_with_config(const char *text)
{
    char *home = kt_tmpdir();

    setenv("HOME", home, 1);
    unsetenv("KUBECONFIG");
    if (text)
        free(kt_put(home, ".kube/config", text));
    return home;
}

START_TEST(default_file_and_every_cluster_field)
{
    char *home = home_with_config(basic_yaml);
    struct fd_kube_load_opts opts = {0};
    struct fd_kube_config *cfg = kt_load(&opts);

    ck_assert_str_eq(cfg->source, "~/.kube/config");
    ck_assert_str_eq(cfg->context, "dev");
    ck_assert_str_eq(cfg->cluster_name, "c1");
    ck_assert_str_eq(cfg->user_name, "u1");
    ck_assert_str_eq(cfg->server, "https://127.0.0.1:6443");
    ck_assert_uint_eq(cfg->ca.len, 8);
    ck_assert_int_eq(memcmp(cfg->ca.data, "CA-BYTES", 8), 0);
    ck_assert_ptr_null(cfg->ca_file);
    ck_assert_str_eq(cfg->tls_server_name, "api.kube.test");
    ck_assert_str_eq(cfg->proxy_url, "http://proxy.local:3128");
    ck_assert(!cfg->insecure_skip_tls_verify);
    ck_assert_str_eq(cfg->token, "abc.def-token");
    ck_assert_str_eq(cfg->namespace, "kargo-demo");
    ck_assert_ptr_null(cfg->exec);
    ck_assert_int_eq(cfg->connect_timeout_ms, 10000);
    fd_kube_config_free(cfg);
    free(home);
}
END_TEST

START_TEST(context_and_namespace_overrides)
{
    char *home = home_with_config(basic_yaml);
    struct fd_kube_load_opts opts = {.namespace = "other"};
    struct fd_kube_config *cfg = kt_load(&opts);

    ck_assert_str_eq(cfg->namespace, "other");
    fd_kube_config_free(cfg);

    opts.namespace = NULL;
    opts.context = "prod";
    kt_load_fails(&opts, FD_NOT_FOUND,
                  "~/.kube/config:24:11: context \"prod\": user \"ops\" not found");
    opts.context = "x";
    kt_load_fails(&opts, FD_NOT_FOUND,
                  "~/.kube/config: no context named \"x\" (available: dev, prod)");
    free(home);
}
END_TEST

START_TEST(namespace_defaults_to_default)
{
    char *home = home_with_config("current-context: a\n"
                                  "clusters: [{name: c, cluster: {server: 'https://h:1'}}]\n"
                                  "contexts: [{name: a, context: {cluster: c}}]\n");
    struct fd_kube_load_opts opts = {0};
    struct fd_kube_config *cfg = kt_load(&opts);

    ck_assert_str_eq(cfg->namespace, "default");
    ck_assert_str_eq(cfg->user_name, "");
    ck_assert_ptr_null(cfg->token);
    fd_kube_config_free(cfg);
    free(home);
}
END_TEST

static const char merge_a[] = "current-context: a-ctx\n"
                              "clusters:\n"
                              "- {name: shared, cluster: {server: 'https://a.example'}}\n"
                              "users:\n"
                              "- {name: shared-user, user: {token: tok-a}}\n"
                              "contexts:\n"
                              "- {name: a-ctx, context: {cluster: shared, user: shared-user}}\n";

static const char merge_b[] =
    "current-context: b-ctx\n"
    "clusters:\n"
    "- {name: shared, cluster: {server: 'https://b.example'}}\n"
    "- {name: only-b, cluster: {server: 'https://only-b.example', insecure-skip-tls-verify: "
    "true}}\n"
    "users:\n"
    "- {name: shared-user, user: {token: tok-b, tokenFile: /ignored}}\n"
    "contexts:\n"
    "- {name: a-ctx, context: {cluster: only-b}}\n"
    "- {name: b-ctx, context: {cluster: only-b, user: shared-user, namespace: nsb}}\n";

START_TEST(kubeconfig_list_merges_first_wins)
{
    char *dir = kt_tmpdir(), *a = kt_put(dir, "a.yaml", merge_a),
         *b = kt_put(dir, "b.yaml", merge_b);
    char *list = fd_xasprintf("%s:%s/missing.yaml::%s:%s", a, dir, b, a);
    struct fd_kube_load_opts opts = {0};
    struct fd_kube_config *cfg;
    char **names, *current;
    struct fd_kube_error err;

    setenv("KUBECONFIG", list, 1);
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->source, "KUBECONFIG");
    ck_assert_str_eq(cfg->context, "a-ctx");            /* first current-context wins */
    ck_assert_str_eq(cfg->server, "https://a.example"); /* first cluster "shared" wins */
    ck_assert_str_eq(cfg->token, "tok-a");
    ck_assert_ptr_null(cfg->token_file); /* nothing of the second "shared-user" leaks in */
    fd_kube_config_free(cfg);

    opts.context = "b-ctx";
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->server, "https://only-b.example");
    ck_assert(cfg->insecure_skip_tls_verify);
    ck_assert_str_eq(cfg->token, "tok-a");
    ck_assert_str_eq(cfg->namespace, "nsb");
    fd_kube_config_free(cfg);

    ck_assert_int_eq(fd_kube_config_contexts(&opts, &names, &current, &err), FD_OK);
    ck_assert_str_eq(names[0], "a-ctx");
    ck_assert_str_eq(names[1], "b-ctx");
    ck_assert_ptr_null(names[2]);
    ck_assert_str_eq(current, "a-ctx");
    for (int i = 0; names[i]; i++)
        free(names[i]);
    free(names);
    free(current);

    /* The other order: b's values win. */
    free(list);
    list = fd_xasprintf("%s:%s", b, a);
    setenv("KUBECONFIG", list, 1);
    opts.context = NULL;
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->context, "b-ctx");
    ck_assert_str_eq(cfg->token, "tok-b");
    fd_kube_config_free(cfg);
    opts.context = "a-ctx";
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->server, "https://only-b.example"); /* b's a-ctx */
    fd_kube_config_free(cfg);
    free(list);
    free(a);
    free(b);
    free(dir);
}
END_TEST

START_TEST(explicit_kubeconfig_is_the_only_file)
{
    char *dir = kt_tmpdir(), *a = kt_put(dir, "a.yaml", merge_a),
         *b = kt_put(dir, "b.yaml", merge_b);
    struct fd_kube_load_opts opts = {.kubeconfig = b};
    struct fd_kube_config *cfg;
    char *missing = fd_xasprintf("%s/nope.yaml", dir), *want;

    setenv("KUBECONFIG", a, 1);
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->context, "b-ctx");
    ck_assert_str_eq(cfg->token, "tok-b");
    ck_assert_str_eq(cfg->source, b);
    fd_kube_config_free(cfg);

    opts.kubeconfig = missing;
    want = fd_xasprintf("%s: No such file or directory", missing);
    kt_load_fails(&opts, FD_NOT_FOUND, want);
    free(want);
    free(missing);
    free(a);
    free(b);
    free(dir);
}
END_TEST

START_TEST(relative_paths_resolve_against_their_file)
{
    char *dir = kt_tmpdir(), real[PATH_MAX], *want;
    struct fd_kube_load_opts opts = {0};
    struct fd_kube_config *cfg;

    free(kt_put(dir, "conf/certs/ca.pem", "CA-FROM-FILE"));
    free(kt_put(dir, "conf/certs/client.pem", "CERT-FROM-FILE"));
    free(kt_put(dir, "conf/certs/client.key", "KEY-FROM-FILE"));
    free(kt_put(dir, "secrets/token", "  tok-from-file\n\n"));
    free(kt_put(dir, "conf/config",
                "current-context: files\n"
                "clusters:\n"
                "- name: c\n"
                "  cluster: {server: 'https://h:6443', certificate-authority: certs/ca.pem}\n"
                "users:\n"
                "- name: files\n"
                "  user:\n"
                "    tokenFile: ../secrets/token\n"
                "    client-certificate: certs/client.pem\n"
                "    client-key: certs/client.key\n"
                "- name: pathexec\n"
                "  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "
                "./bin/plugin}}\n"
                "- name: bareexec\n"
                "  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "
                "aws}}\n"
                "contexts:\n"
                "- {name: files, context: {cluster: c, user: files}}\n"
                "- {name: pathexec, context: {cluster: c, user: pathexec}}\n"
                "- {name: bareexec, context: {cluster: c, user: bareexec}}\n"));
    ck_assert_ptr_nonnull(realpath(dir, real));
    ck_assert_int_eq(chdir(real), 0);
    setenv("KUBECONFIG", "conf/config", 1); /* relative to the working folder */
    cfg = kt_load(&opts);
    want = fd_xasprintf("%s/conf/certs/ca.pem", real);
    ck_assert_str_eq(cfg->ca_file, want);
    free(want);
    ck_assert_uint_eq(cfg->ca.len, 12);
    ck_assert_int_eq(memcmp(cfg->ca.data, "CA-FROM-FILE", 12), 0);
    ck_assert_int_eq(memcmp(cfg->client_cert.data, "CERT-FROM-FILE", 14), 0);
    ck_assert_int_eq(memcmp(cfg->client_key.data, "KEY-FROM-FILE", 13), 0);
    ck_assert_str_eq(cfg->token, "tok-from-file"); /* trimmed */
    want = fd_xasprintf("%s/conf/../secrets/token", real);
    ck_assert_str_eq(cfg->token_file, want);
    free(want);
    fd_kube_config_free(cfg);

    opts.context = "pathexec";
    cfg = kt_load(&opts);
    want = fd_xasprintf("%s/conf/./bin/plugin", real);
    ck_assert_str_eq(cfg->exec->command, want);
    free(want);
    ck_assert_int_eq(cfg->exec->interactive_mode, FD_KUBE_INTERACTIVE_IF_AVAILABLE);
    fd_kube_config_free(cfg);

    opts.context = "bareexec";
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->exec->command, "aws"); /* PATH-searched: left alone */
    fd_kube_config_free(cfg);
    free(dir);
}
END_TEST

START_TEST(every_user_field)
{
    static const char yaml[] =
        "current-context: certs\n"
        "clusters: [{name: c, cluster: {server: 'h.example:8443'}}]\n"
        "users:\n"
        "- name: certs\n"
        "  user: {client-certificate-data: Q0VSVC1QRU0=, client-key-data: S0VZLVBFTQ==}\n"
        "- name: basic\n"
        "  user: {username: admin, password: hunter22}\n"
        "- name: exec\n"
        "  user:\n"
        "    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1\n"
        "      command: /usr/local/bin/get-token\n"
        "      args: [--cluster, prod, '--verbose=false']\n"
        "      env:\n"
        "      - {name: AWS_PROFILE, value: ops}\n"
        "      - {name: EMPTY}\n"
        "      installHint: install get-token from the wiki\n"
        "      provideClusterInfo: true\n"
        "      interactiveMode: Never\n"
        "- name: both\n"
        "  user:\n"
        "    token: static-wins\n"
        "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: never-run}\n"
        "contexts:\n"
        "- {name: certs, context: {cluster: c, user: certs}}\n"
        "- {name: basic, context: {cluster: c, user: basic}}\n"
        "- {name: exec, context: {cluster: c, user: exec}}\n"
        "- {name: both, context: {cluster: c, user: both}}\n";
    struct fd_kube_load_opts opts = {0};
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err;

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), &opts, &cfg, &err),
                     FD_OK);
    ck_assert_str_eq(cfg->server, "https://h.example:8443"); /* scheme-less server */
    ck_assert_uint_eq(cfg->client_cert.len, 8);
    ck_assert_int_eq(memcmp(cfg->client_cert.data, "CERT-PEM", 8), 0);
    ck_assert_int_eq(memcmp(cfg->client_key.data, "KEY-PEM", 7), 0);
    fd_kube_config_free(cfg);

    opts.context = "basic";
    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), &opts, &cfg, &err),
                     FD_OK);
    ck_assert_str_eq(cfg->username, "admin");
    ck_assert_str_eq(cfg->password, "hunter22");
    fd_kube_config_free(cfg);

    opts.context = "exec";
    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), &opts, &cfg, &err),
                     FD_OK);
    ck_assert_ptr_nonnull(cfg->exec);
    ck_assert_str_eq(cfg->exec->api_version, "client.authentication.k8s.io/v1");
    ck_assert_str_eq(cfg->exec->command, "/usr/local/bin/get-token");
    ck_assert_uint_eq(cfg->exec->nargs, 3);
    ck_assert_str_eq(cfg->exec->args[0], "--cluster");
    ck_assert_str_eq(cfg->exec->args[2], "--verbose=false");
    ck_assert_uint_eq(cfg->exec->nenv, 2);
    ck_assert_str_eq(cfg->exec->env[0].name, "AWS_PROFILE");
    ck_assert_str_eq(cfg->exec->env[0].value, "ops");
    ck_assert_str_eq(cfg->exec->env[1].value, "");
    ck_assert_str_eq(cfg->exec->install_hint, "install get-token from the wiki");
    ck_assert(cfg->exec->provide_cluster_info);
    ck_assert_int_eq(cfg->exec->interactive_mode, FD_KUBE_INTERACTIVE_NEVER);
    ck_assert_int_eq(cfg->exec->timeout_ms, 60000);
    fd_kube_config_free(cfg);

    opts.context = "both"; /* static credentials win over a plugin, as in client-go */
    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), &opts, &cfg, &err),
                     FD_OK);
    ck_assert_ptr_null(cfg->exec);
    ck_assert_str_eq(cfg->token, "static-wins");
    fd_kube_config_free(cfg);
}
END_TEST

/* A kubeconfig that must fail with status st and exactly message want
 * ('*' at the end of want: a prefix). */
struct bad_case {
    const char *yaml;
    const char *context;
    enum fd_status st;
    const char *want;
};

#define CL   "clusters: [{name: c, cluster: {server: 'https://h'}}]\n"
#define CTXC "contexts: [{name: a, context: {cluster: c}}]\ncurrent-context: a\n"
#define CTX(user) \
    "contexts: [{name: a, context: {cluster: c, user: " user "}}]\ncurrent-context: a\n"

static const struct bad_case bad_cases[] = {
    {"clusters: [\n  {name: a\n", NULL, FD_PARSE, "/k/config:3:1: invalid YAML: *"},
    {"- a\n- b\n", NULL, FD_PARSE, "/k/config:1:1: expected a kubeconfig mapping, got a list"},
    {"clusters: {a: b}\n", NULL, FD_PARSE,
     "/k/config:1:11: clusters: expected a list, got a mapping"},
    {"clusters:\n- cluster: {server: x}\n", NULL, FD_PARSE,
     "/k/config:2:3: clusters[0]: missing name"},
    {"users:\n- name: u\n- name: u\n", NULL, FD_PARSE,
     "/k/config:3:9: users: duplicate name \"u\""},
    {"current-context: nope\ncontexts: [{name: a, context: {cluster: c}}]\n", NULL, FD_NOT_FOUND,
     "/k/config:1:18: current-context \"nope\" does not exist (available: a)"},
    {"", NULL, FD_NOT_FOUND,
     "/k/config: no current-context is set; choose one with --context (available: none defined)"},
    {CL "contexts: [{name: a, context: {user: u}}]\n", "a", FD_INVALID,
     "/k/config:2:31: context \"a\": no cluster set"},
    {CL "contexts: [{name: a, context: {cluster: zz}}]\n", "a", FD_NOT_FOUND,
     "/k/config:2:41: context \"a\": cluster \"zz\" not found"},
    {"clusters: [{name: c, cluster: {server: [x]}}]\n" CTXC, NULL, FD_PARSE,
     "/k/config:1:40: cluster \"c\": server: expected a string, got a list"},
    {"clusters: [{name: c, cluster: {insecure-skip-tls-verify: maybe}}]\n" CTXC, NULL, FD_PARSE,
     "/k/config:1:58: cluster \"c\": insecure-skip-tls-verify: expected true or false"},
    {"clusters: [{name: c, cluster: {tls-server-name: x}}]\n" CTXC, NULL, FD_INVALID,
     "/k/config:1:31: cluster \"c\": no server set"},
    {"clusters: [{name: c, cluster: {server: 'ftp://h'}}]\n" CTXC, NULL, FD_INVALID,
     "/k/config:1:40: cluster \"c\": server: only http:// and https:// URLs are supported"},
    {"clusters: [{name: c, cluster: {server: 'https://h', certificate-authority-data: "
     "'@@@'}}]\n" CTXC,
     NULL, FD_PARSE, "/k/config:1:81: cluster \"c\": certificate-authority-data: not valid base64"},
    {"clusters: [{name: c, cluster: {server: 'https://h', certificate-authority: "
     "/nonexistent/ca.pem}}]\n" CTXC,
     NULL, FD_IO,
     "/k/config:1:76: cluster \"c\": certificate-authority /nonexistent/ca.pem: No such file or "
     "directory"},
    {"clusters: [{name: c, cluster: {server: 'https://h', insecure-skip-tls-verify: true, "
     "certificate-authority-data: Q0E=}}]\n" CTXC,
     NULL, FD_INVALID,
     "/k/config:1:79: cluster \"c\": insecure-skip-tls-verify cannot be combined with a "
     "certificate authority"},
    {CL "users: [{name: u, user: {client-certificate-data: Q0E=}}]\n" CTX("u"), NULL, FD_INVALID,
     "/k/config:2:25: user \"u\": client-certificate given without client-key"},
    {CL "users: [{name: u, user: {username: admin}}]\n" CTX("u"), NULL, FD_INVALID,
     "/k/config:2:25: user \"u\": username given without password"},
    {CL "users: [{name: u, user: {token: t0ken, username: a, password: pw}}]\n" CTX("u"), NULL,
     FD_INVALID,
     "/k/config:2:25: user \"u\": more than one authentication method (token and basic auth); "
     "only one is allowed"},
    {CL "users: [{name: u, user: {tokenFile: /nonexistent/token}}]\n" CTX("u"), NULL, FD_IO,
     "/k/config:2:37: user \"u\": tokenFile /nonexistent/token: No such file or directory"},
    {CL "users: [{name: u, user: {auth-provider: {name: gcp}}}]\n" CTX("u"), NULL, FD_INVALID,
     "/k/config:2:41: user \"u\": auth-provider \"gcp\" is not supported; use an exec credential "
     "plugin (e.g. kubelogin, gke-gcloud-auth-plugin)"},
    {CL
     "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1}}}]\n" CTX(
         "u"),
     NULL, FD_INVALID, "/k/config:2:32: user \"u\": exec: command is required"},
    {CL "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1alpha1, "
        "command: x}}}]\n" CTX("u"),
     NULL, FD_INVALID,
     "/k/config:2:45: user \"u\": exec: apiVersion must be client.authentication.k8s.io/v1 or "
     "client.authentication.k8s.io/v1beta1 (got \"client.authentication.k8s.io/v1alpha1\")"},
    {CL "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, "
        "command: x}}}]\n" CTX("u"),
     NULL, FD_INVALID,
     "/k/config:2:32: user \"u\": exec: interactiveMode must be set for "
     "client.authentication.k8s.io/v1"},
    {CL "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, "
        "command: x, interactiveMode: Sometimes}}}]\n" CTX("u"),
     NULL, FD_INVALID,
     "/k/config:2:107: user \"u\": exec: interactiveMode must be Never, IfAvailable or Always "
     "(got \"Sometimes\")"},
    {CL "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, "
        "command: x, args: [a, [b]]}}}]\n" CTX("u"),
     NULL, FD_PARSE, "/k/config:2:105: user \"u\": exec: args: expected a list of strings"},
    {CL "users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, "
        "command: x, env: [{value: v}]}}}]\n" CTX("u"),
     NULL, FD_PARSE,
     "/k/config:2:101: user \"u\": exec: env: every entry needs a name without '='"},
    /* A key given twice: which would win is not obvious (kubectl refuses). */
    {CL "users: [{name: u, user: {token: a, token: b}}]\n" CTX("u"), NULL, FD_PARSE,
     "/k/config:2:36: duplicate key \"token\" (first at line 2)"},
    {"clusters:\n- name: c\n  cluster:\n    server: https://a\n    server: https://b\n"
     "users: [{name: u}]\n" CTX("u"),
     NULL, FD_PARSE, "/k/config:5:5: duplicate key \"server\" (first at line 4)"},
};

START_TEST(errors_name_file_position_context_and_key)
{
    const struct bad_case *c = &bad_cases[_i];
    struct fd_kube_load_opts opts = {.context = c->context};
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    enum fd_status st =
        fd_kube_config_load_buffer("/k/config", c->yaml, strlen(c->yaml), &opts, &cfg, &err);
    size_t n = strlen(c->want);

    ck_assert_msg(st == c->st, "case %d: expected %s, got %s (%s)", _i, fd_status_name(c->st),
                  fd_status_name(st), err.message);
    ck_assert_ptr_null(cfg);
    if (c->want[n - 1] == '*')
        ck_assert_msg(strncmp(err.message, c->want, n - 1) == 0,
                      "case %d\n expected prefix: %.*s\n             got: %s", _i, (int)n - 1,
                      c->want, err.message);
    else
        ck_assert_msg(strcmp(err.message, c->want) == 0, "case %d\n expected: %s\n      got: %s",
                      _i, c->want, err.message);
}
END_TEST

START_TEST(no_kubeconfig_and_not_in_cluster)
{
    char *home = home_with_config(NULL);
    struct fd_kube_load_opts opts = {0};

    unsetenv("KUBERNETES_SERVICE_HOST");
    kt_load_fails(&opts, FD_NOT_FOUND,
                  "~/.kube/config: no kubeconfig found, and not running in a cluster "
                  "(KUBERNETES_SERVICE_HOST is not set); use --kubeconfig or KUBECONFIG");
    free(home);
}
END_TEST

START_TEST(in_cluster_service_account)
{
    char *home = home_with_config(NULL), *sa = kt_tmpdir(), *want;
    struct fd_kube_load_opts opts = {.serviceaccount_dir = sa};
    struct fd_kube_config *cfg;

    free(kt_put(sa, "token", "sa-token-value\n"));
    free(kt_put(sa, "ca.crt", "CLUSTER-CA"));
    free(kt_put(sa, "namespace", "team-a\n"));
    setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
    setenv("KUBERNETES_SERVICE_PORT", "443", 1);
    unsetenv("POD_NAMESPACE");
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->source, "in-cluster");
    ck_assert_str_eq(cfg->server, "https://10.96.0.1:443");
    ck_assert_str_eq(cfg->token, "sa-token-value");
    want = fd_xasprintf("%s/token", sa);
    ck_assert_str_eq(cfg->token_file, want);
    free(want);
    ck_assert_uint_eq(cfg->ca.len, 10);
    ck_assert_int_eq(memcmp(cfg->ca.data, "CLUSTER-CA", 10), 0);
    ck_assert_str_eq(cfg->namespace, "team-a");
    fd_kube_config_free(cfg);

    setenv("POD_NAMESPACE", "from-pod", 1);
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->namespace, "from-pod");
    fd_kube_config_free(cfg);

    opts.namespace = "flag";
    setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->namespace, "flag");
    ck_assert_str_eq(cfg->server, "https://[fd00::1]:443");
    fd_kube_config_free(cfg);

    /* A kubeconfig, when there is one, wins over the pod's identity. */
    free(kt_put(home, ".kube/config", basic_yaml));
    opts.namespace = NULL;
    cfg = kt_load(&opts);
    ck_assert_str_eq(cfg->source, "~/.kube/config");
    fd_kube_config_free(cfg);

    opts.serviceaccount_dir = "/nonexistent/sa";
    ck_assert_int_eq(unlink(want = fd_xasprintf("%s/.kube/config", home)), 0);
    free(want);
    kt_load_fails(&opts, FD_IO,
                  "in-cluster: service account token /nonexistent/sa/token: No such file or "
                  "directory");
    free(sa);
    free(home);
}
END_TEST

START_TEST(base64_round_trip)
{
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err;
    /* Unpadded and wrapped base64 is accepted, as Go's decoder does for PEM data. */
    static const char yaml[] = "current-context: a\n"
                               "clusters: [{name: c, cluster: {server: 'https://h', "
                               "certificate-authority-data: \"Q0Et\\nQllURVM\"}}]\n"
                               "contexts: [{name: a, context: {cluster: c}}]\n";

    ck_assert_int_eq(fd_kube_config_load_buffer("/k/config", yaml, strlen(yaml), NULL, &cfg, &err),
                     FD_OK);
    ck_assert_uint_eq(cfg->ca.len, 8);
    ck_assert_int_eq(memcmp(cfg->ca.data, "CA-BYTES", 8), 0);
    fd_kube_config_free(cfg);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("kube_config");
    TCase *tc = tcase_create("kubeconfig");

    tcase_add_test(tc, default_file_and_every_cluster_field);
    tcase_add_test(tc, context_and_namespace_overrides);
    tcase_add_test(tc, namespace_defaults_to_default);
    tcase_add_test(tc, kubeconfig_list_merges_first_wins);
    tcase_add_test(tc, explicit_kubeconfig_is_the_only_file);
    tcase_add_test(tc, relative_paths_resolve_against_their_file);
    tcase_add_test(tc, every_user_field);
    tcase_add_loop_test(tc, errors_name_file_position_context_and_key, 0,
                        (int)FD_ARRAY_SIZE(bad_cases));
    tcase_add_test(tc, no_kubeconfig_and_not_in_cluster);
    tcase_add_test(tc, in_cluster_service_account);
    tcase_add_test(tc, base64_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
