/* client/audit.c: the audit log, one JSON line per action sent. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* The audit log path ($XDG_STATE_HOME or ~/.local/state); the caller frees. */
static char *fd_client_audit_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");

    if (state && state[0] == '/')
        return fd_xasprintf("%s/freightdeck/audit.log", state);
    return fd_xasprintf("%s/.local/state/freightdeck/audit.log", home && *home ? home : ".");
}

/* mkdir -p for the folders of path (mode 0700 for the ones made here). */
static int make_parents(const char *path)
{
    char *dir = fd_xstrdup(path);
    int rc = 0;

    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            rc = -1;
        *p = '/';
    }
    free(dir);
    return rc;
}

enum fd_status fd_client_audit_check(char **err)
{
    char *file = fd_client_audit_path();
    int fd;

    *err = NULL;
    make_parents(file);
    fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *err = fd_xasprintf("audit log %s: %s", file, strerror(errno));
        free(file);
        return FD_IO;
    }
    close(fd);
    free(file);
    return FD_OK;
}

enum fd_status fd_client_audit_append(const char *user, const char *context, const char *action,
                                      const char *target, const char *method, const char *path,
                                      const char *body, long http_status, const char *outcome,
                                      const char *message)
{
    char *file = fd_client_audit_path(), *line, when[32];
    json_t *root, *req, *res, *jbody = NULL;
    time_t now = time(NULL);
    struct tm tm;
    int fd, saved;
    size_t len;
    ssize_t w;

    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (body)
        jbody = json_loads(body, JSON_DECODE_ANY, NULL);
    if (body && !jbody)
        jbody = json_string(body);
    req = json_pack("{s:s, s:s}", "method", method ? method : "", "path", path ? path : "");
    if (jbody)
        json_object_set_new(req, "body", jbody);
    res = json_pack("{s:I, s:s, s:s}", "status", (json_int_t)http_status, "outcome",
                    outcome ? outcome : "", "message", message ? message : "");
    root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "time", when, "user", user ? user : "",
                     "context", context ? context : "", "action", action ? action : "", "target",
                     target ? target : "", "request", req, "result", res);
    line = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!line) {
        free(file);
        return FD_INTERNAL;
    }
    len = strlen(line);
    line[len++] = '\n'; /* overwrites the NUL: written by length below */
    make_parents(file);
    fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        saved = errno;
        fd_log(FD_LOG_ERROR, "audit log %s: %s", file, strerror(saved));
        free(line);
        free(file);
        errno = saved;
        return FD_IO;
    }
    /* One write() of the whole line: O_APPEND keeps concurrent writers'
     * lines whole. */
    w = write(fd, line, len);
    saved = errno;
    close(fd);
    free(line);
    free(file);
    if (w != (ssize_t)len) {
        errno = saved;
        return FD_IO;
    }
    return FD_OK;
}
