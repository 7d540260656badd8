/* kube/exec.c: running an exec credential plugin and reading its ExecCredential. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

extern char **environ;

#define MAX_OUTPUT (1u << 20)

void fd_kube_exec_result_clear(struct fd_kube_exec_result *r)
{
    fd_kube_str_wipe(&r->token);
    fd_kube_blob_wipe(&r->client_cert);
    fd_kube_blob_wipe(&r->client_key);
    r->expiry = 0;
}

static bool get_opt_string(json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return false;
    *out = json_string_value(v);
    if (!**out)
        *out = NULL;
    return true;
}

enum fd_status fd_kube_exec_parse(const struct fd_kube_config *cfg, const char *label,
                                  const char *out, size_t len, struct fd_kube_exec_result *res,
                                  struct fd_kube_error *err)
{
    const char *want = cfg->exec ? cfg->exec->api_version : "client.authentication.k8s.io/v1";
    const char *token, *cert, *key, *exp;
    int64_t exp_ms = 0;
    json_error_t jerr;
    json_t *root = json_loadb(out, len, 0, &jerr), *status;
    json_t *v;
    enum fd_status st = FD_PARSE;

    memset(res, 0, sizeof(*res));
    if (!root) {
        /* jansson's text quotes the input, which may be a credential: only
         * the position is reported. */
        fd_kube_fail(err, cfg, FD_PARSE,
                     "%s: output is not an ExecCredential (invalid JSON at line %d, column %d)",
                     label, jerr.line, jerr.column);
        return FD_PARSE;
    }
    if (!json_is_object(root)) {
        fd_kube_fail(err, cfg, FD_PARSE, "%s: output is not an ExecCredential (not an object)",
                     label);
        goto out;
    }
    v = json_object_get(root, "apiVersion");
    if (!json_is_string(v) || strcmp(json_string_value(v), want) != 0) {
        fd_kube_fail(err, cfg, FD_PARSE,
                     "%s is configured to use API version %s, plugin returned version %s", label,
                     want, json_is_string(v) ? json_string_value(v) : "(none)");
        goto out;
    }
    v = json_object_get(root, "kind");
    if (!json_is_string(v) || strcmp(json_string_value(v), "ExecCredential") != 0) {
        fd_kube_fail(err, cfg, FD_PARSE, "%s: output kind is %s, expected ExecCredential", label,
                     json_is_string(v) ? json_string_value(v) : "(none)");
        goto out;
    }
    status = json_object_get(root, "status");
    if (!json_is_object(status)) {
        fd_kube_fail(err, cfg, FD_PARSE, "%s didn't return a status field", label);
        goto out;
    }
    if (!get_opt_string(status, "token", &token) ||
        !get_opt_string(status, "clientCertificateData", &cert) ||
        !get_opt_string(status, "clientKeyData", &key) ||
        !get_opt_string(status, "expirationTimestamp", &exp)) {
        fd_kube_fail(err, cfg, FD_PARSE,
                     "%s: status.token, clientCertificateData, clientKeyData and "
                     "expirationTimestamp must be strings",
                     label);
        goto out;
    }
    if (!token && !cert && !key) {
        fd_kube_fail(err, cfg, FD_PARSE, "%s didn't return a token or cert/key pair", label);
        goto out;
    }
    if (!cert != !key) {
        fd_kube_fail(err, cfg, FD_PARSE, "%s returned only certificate or key, not both", label);
        goto out;
    }
    if (exp && !fd_time_parse_rfc3339(exp, &exp_ms)) {
        fd_kube_fail(err, cfg, FD_PARSE,
                     "%s: status.expirationTimestamp \"%s\" is not an RFC 3339 time", label, exp);
        goto out;
    }
    if (exp)
        res->expiry = (time_t)(exp_ms / 1000);
    if (token)
        res->token = fd_xstrdup(token);
    if (cert) {
        res->client_cert.len = strlen(cert);
        res->client_cert.data = (unsigned char *)fd_xstrdup(cert);
        res->client_key.len = strlen(key);
        res->client_key.data = (unsigned char *)fd_xstrdup(key);
    }
    st = FD_OK;
out:
    /* Wipe the plugin's strings inside jansson before they are freed. */
    status = json_is_object(root) ? json_object_get(root, "status") : NULL;
    if (json_is_object(status)) {
        const char *k;
        json_t *val;
        json_object_foreach(status, k, val)
        {
            if (json_is_string(val))
                explicit_bzero((char *)(uintptr_t)json_string_value(val), json_string_length(val));
        }
    }
    json_decref(root);
    return st;
}

/* The KUBERNETES_EXEC_INFO value: an ExecCredential with only its spec. */
static char *exec_info(const struct fd_kube_config *cfg, bool interactive)
{
    json_t *root = json_object(), *spec = json_object();
    char *s, *out;

    json_object_set_new(root, "apiVersion", json_string(cfg->exec->api_version));
    json_object_set_new(root, "kind", json_string("ExecCredential"));
    json_object_set_new(spec, "interactive", json_boolean(interactive));
    if (cfg->exec->provide_cluster_info) {
        json_t *cl = json_object();
        json_object_set_new(cl, "server", json_string(cfg->server));
        if (cfg->tls_server_name)
            json_object_set_new(cl, "tls-server-name", json_string(cfg->tls_server_name));
        if (cfg->insecure_skip_tls_verify)
            json_object_set_new(cl, "insecure-skip-tls-verify", json_true());
        if (cfg->ca.data) {
            char *b64 = fd_base64_encode(cfg->ca.data, cfg->ca.len);
            json_object_set_new(cl, "certificate-authority-data", json_string(b64));
            free(b64);
        }
        if (cfg->proxy_url)
            json_object_set_new(cl, "proxy-url", json_string(cfg->proxy_url));
        json_object_set_new(spec, "cluster", cl);
    }
    json_object_set_new(root, "spec", spec);
    s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    out = fd_xstrdup(s ? s : "{}");
    free(s);
    return out;
}

/* environ without the names the plugin's env overrides, plus those and the
 * exec info (the config's env wins, as with Go's exec). */
static char **plugin_env(const struct fd_kube_exec *e, const char *info)
{
    size_t n = 0, k = 0;
    char **env;

    while (environ && environ[n])
        n++;
    env = fd_xcalloc(n + e->nenv + 2, sizeof(*env));
    for (size_t i = 0; i < n; i++) {
        bool skip = strncmp(environ[i], "KUBERNETES_EXEC_INFO=", 21) == 0;
        for (size_t j = 0; j < e->nenv && !skip; j++) {
            size_t len = strlen(e->env[j].name);
            skip = strncmp(environ[i], e->env[j].name, len) == 0 && environ[i][len] == '=';
        }
        if (!skip)
            env[k++] = fd_xstrdup(environ[i]);
    }
    for (size_t j = 0; j < e->nenv; j++)
        env[k++] = fd_xasprintf("%s=%s", e->env[j].name, e->env[j].value);
    env[k++] = fd_xasprintf("KUBERNETES_EXEC_INFO=%s", info);
    env[k] = NULL;
    return env;
}

static void strv_wipe(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        fd_kube_str_wipe(&v[i]);
    free(v);
}

/* The last non-empty line of the plugin's stderr, for the message. */
static char *last_line(struct fd_buf *b)
{
    const char *s = fd_buf_cstr(b);
    size_t end = b->len, start;

    while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && s[start - 1] != '\n')
        start--;
    if (end - start > 300)
        start = end - 300;
    return fd_xstrndup(s + start, end - start);
}

/* Whether a bare command name is found in PATH; looked up before spawning so
 * "not found" (and the install hint) does not depend on how posix_spawnp
 * reports a failed exec. */
static bool in_path(const char *cmd)
{
    const char *path = getenv("PATH"), *p;

    if (strchr(cmd, '/'))
        return true; /* a path: posix_spawnp reports it */
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *full = fd_xasprintf("%.*s%s%s", (int)len, p, len ? "/" : "", cmd);
        bool ok = access(full, X_OK) == 0;
        free(full);
        if (ok)
            return true;
        if (!end)
            return false;
        p = end;
    }
}

static void set_cloexec(int fd)
{
    fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

enum fd_status fd_kube_exec_run(const struct fd_kube_config *cfg, struct fd_kube_exec_result *res,
                                struct fd_kube_error *err)
{
    const struct fd_kube_exec *e = cfg->exec;
    char *label = fd_xasprintf("exec plugin \"%s\"", e->command), *info, **env, **argv, *tail;
    bool interactive = false, own_group;
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, rc, wstatus = 0;
    struct fd_buf out = FD_BUF_INIT, errout = FD_BUF_INIT;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    pid_t pid;
    long deadline;
    enum fd_status st = FD_OK;
    bool timed_out = false, too_big = false, cancelled = false;

    memset(res, 0, sizeof(*res));
    switch (e->interactive_mode) {
    case FD_KUBE_INTERACTIVE_NEVER:
        break;
    case FD_KUBE_INTERACTIVE_IF_AVAILABLE:
        interactive = !e->stdin_unavailable && isatty(STDIN_FILENO);
        break;
    default:
        if (!isatty(STDIN_FILENO) || e->stdin_unavailable) {
            st = fd_kube_fail(err, cfg, FD_REFUSED,
                              "%s needs a terminal (interactiveMode Always), but standard input "
                              "is %s",
                              label, e->stdin_unavailable ? "unavailable" : "not a terminal");
            free(label);
            return st;
        }
        interactive = true;
    }

    if (pipe(outp) != 0 || (!interactive && pipe(errp) != 0)) {
        st = fd_kube_fail(err, cfg, FD_IO, "%s: pipe: %s", label, strerror(errno));
        goto close_out;
    }
    set_cloexec(outp[0]);
    set_cloexec(outp[1]);
    if (!interactive) {
        set_cloexec(errp[0]);
        set_cloexec(errp[1]);
    }
    info = exec_info(cfg, interactive);
    env = plugin_env(e, info);
    free(info);
    argv = fd_xcalloc(e->nargs + 2, sizeof(*argv));
    argv[0] = e->command;
    for (size_t i = 0; i < e->nargs; i++)
        argv[i + 1] = e->args[i];

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, outp[1], STDOUT_FILENO);
    if (!interactive) {
        posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    /* Its own process group, so a timeout kills helpers it started too; but
     * an interactive plugin must stay in the terminal's foreground group. */
    own_group = !interactive;
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    if (own_group)
        posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        (own_group ? POSIX_SPAWN_SETPGROUP : 0));
    rc = in_path(e->command) ? posix_spawnp(&pid, e->command, &fa, &attr, argv, env) : ENOENT;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    free(argv);
    strv_wipe(env);
    close(outp[1]);
    outp[1] = -1;
    if (errp[1] >= 0) {
        close(errp[1]);
        errp[1] = -1;
    }
    if (rc != 0) {
        if (rc == ENOENT)
            st =
                fd_kube_fail(err, cfg, FD_NOT_FOUND, "%s: executable not found%s%s%s", label,
                             strchr(e->command, '/') ? "" : " in PATH",
                             e->install_hint ? "\n\n" : "", e->install_hint ? e->install_hint : "");
        else
            st = fd_kube_fail(err, cfg, FD_IO, "%s: cannot run %s: %s", label, e->command,
                              strerror(rc));
        goto close_out;
    }

    deadline = fd_time_mono_ms() + (e->timeout_ms > 0 ? e->timeout_ms : 60000);
    while (outp[0] >= 0 || errp[0] >= 0) {
        struct pollfd pfd[2];
        int nfds = 0;
        long left = deadline - fd_time_mono_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        if (fd_kube_credentials_cancelled(cfg->creds)) {
            cancelled = true;
            break;
        }
        if (outp[0] >= 0)
            pfd[nfds++] = (struct pollfd){.fd = outp[0], .events = POLLIN};
        if (errp[0] >= 0)
            pfd[nfds++] = (struct pollfd){.fd = errp[0], .events = POLLIN};
        if (poll(pfd, (nfds_t)nfds, (int)(left > 100 ? 100 : left)) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < nfds; i++) {
            char chunk[4096];
            ssize_t n;
            int *fdp = pfd[i].fd == outp[0] ? &outp[0] : &errp[0];
            struct fd_buf *dst = fdp == &outp[0] ? &out : &errout;
            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(*fdp, chunk, sizeof(chunk));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(*fdp);
                *fdp = -1;
                continue;
            }
            if (dst->len + (size_t)n > MAX_OUTPUT) {
                too_big = true;
                break;
            }
            fd_buf_append(dst, chunk, (size_t)n);
            explicit_bzero(chunk, sizeof(chunk));
        }
        if (too_big)
            break;
    }
    if (timed_out || too_big || cancelled)
        kill(own_group ? -pid : pid, SIGKILL);
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    if (cancelled) {
        st = fd_kube_fail(err, cfg, FD_IO, "%s was stopped: the program is quitting", label);
        goto close_out;
    }
    if (timed_out) {
        st = fd_kube_fail(err, cfg, FD_LIMIT, "%s timed out after %d ms and was killed", label,
                          e->timeout_ms);
        goto close_out;
    }
    if (too_big) {
        st = fd_kube_fail(err, cfg, FD_LIMIT, "%s wrote more than 1 MiB; killed", label);
        goto close_out;
    }
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        struct fd_kube_exec_result partial;
        struct fd_kube_error ignored;
        tail = last_line(&errout);
        /* Not logged yet: the token it printed is redacted below first. */
        if (WIFEXITED(wstatus))
            fd_kube_fail_quiet(err, cfg, FD_REFUSED,
                               "%s: executable %s failed with exit code %d%s%s", label, e->command,
                               WEXITSTATUS(wstatus), *tail ? ": " : "", tail);
        else
            fd_kube_fail_quiet(err, cfg, FD_REFUSED,
                               "%s: executable %s was killed by signal %d%s%s", label, e->command,
                               WTERMSIG(wstatus), *tail ? ": " : "", tail);
        /* A failing plugin may still have printed a credential; make sure its
         * stderr line does not carry it into the message. */
        if (fd_kube_exec_parse(cfg, label, fd_buf_cstr(&out), out.len, &partial, &ignored) ==
            FD_OK) {
            if (partial.token)
                fd_kube_redact_secret(err->message, sizeof(err->message), partial.token,
                                      strlen(partial.token));
            fd_kube_exec_result_clear(&partial);
        }
        fd_log(FD_LOG_WARN, "kube: %s", err->message);
        fd_kube_str_wipe(&tail);
        st = FD_REFUSED;
        goto close_out;
    }
    st = fd_kube_exec_parse(cfg, label, fd_buf_cstr(&out), out.len, res, err);

close_out:
    for (int i = 0; i < 2; i++) {
        if (outp[i] >= 0)
            close(outp[i]);
        if (errp[i] >= 0)
            close(errp[i]);
    }
    if (out.data)
        explicit_bzero(out.data, out.len);
    if (errout.data)
        explicit_bzero(errout.data, errout.len);
    fd_buf_free(&out);
    fd_buf_free(&errout);
    free(label);
    return st;
}
