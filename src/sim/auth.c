/* sim/auth.c: tokens, roles and the RBAC answers. */
#include "config.h"

#include "auth.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "status.h"

static const char *const role_names[] = {
#define FD_SIM_ROLE_NAME(id, name, help) name,
    FD_SIM_ROLE_TABLE(FD_SIM_ROLE_NAME)
#undef FD_SIM_ROLE_NAME
};

/* A role by name ("admin"); -1 when there is none. */
static int fd_sim_role_parse(const char *name)
{
    for (int i = 0; i < FD_SIM_ROLE__COUNT; i++)
        if (strcmp(role_names[i], name) == 0)
            return i;
    return -1;
}

void fd_sim_auth_free(struct fd_sim_auth *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->users[i].token);
        free(a->users[i].name);
    }
    free(a->users);
    free(a);
}

struct fd_sim_auth *fd_sim_auth_load(const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    struct fd_sim_auth *a;
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;

    *err = NULL;
    if (!f) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno));
        return NULL;
    }
    a = fd_xcalloc(1, sizeof(*a));
    while (getline(&line, &cap, f) != -1) {
        char *fields[4] = {NULL};
        int n = 0;
        char *save = NULL;
        lineno++;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 4;
             t = strtok_r(NULL, " \t\r\n", &save))
            fields[n++] = t;
        if (n == 0 || fields[0][0] == '#')
            continue;
        if (n != 3) {
            *err = fd_xasprintf("%s:%d: expected `TOKEN USER ROLE`, found %d field%s", path, lineno,
                                n, n == 1 ? "" : "s");
            break;
        }
        int role = fd_sim_role_parse(fields[2]);
        if (role < 0) {
            *err = fd_xasprintf("%s:%d: unknown role '%s' (admin, promoter, viewer or crd-viewer)",
                                path, lineno, fields[2]);
            break;
        }
        for (size_t i = 0; i < a->n; i++)
            if (strcmp(a->users[i].token, fields[0]) == 0)
                *err = fd_xasprintf("%s:%d: the token of user '%s' is already used by '%s'", path,
                                    lineno, fields[1], a->users[i].name);
        if (*err)
            break;
        a->users = fd_xreallocarray(a->users, a->n + 1, sizeof(*a->users));
        a->users[a->n].token = fd_xstrdup(fields[0]);
        a->users[a->n].name = fd_xstrdup(fields[1]);
        a->users[a->n].role = (enum fd_sim_role)role;
        a->n++;
    }
    free(line);
    fclose(f);
    if (!*err && a->n == 0)
        *err = fd_xasprintf("%s: no tokens", path);
    if (*err) {
        fd_sim_auth_free(a);
        return NULL;
    }
    return a;
}

const struct fd_sim_user *fd_sim_auth_find(const struct fd_sim_auth *a, const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return NULL;
    const char *tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->users[i].token, tok) == 0)
            return &a->users[i];
    return NULL;
}

static bool is_read(const char *verb)
{
    return strcmp(verb, "get") == 0 || strcmp(verb, "list") == 0 || strcmp(verb, "watch") == 0;
}

bool fd_sim_auth_allowed(enum fd_sim_role role, const char *verb, const struct fd_sim_resource *r,
                         const char *sub)
{
    bool status = fd_streq(sub, "status");
    bool patch = strcmp(verb, "patch") == 0;

    /* system:basic-user lets everyone ask what they may do. */
    if (r->id == FD_SIM_RES_SELFSUBJECTACCESSREVIEW && strcmp(verb, "create") == 0)
        return true;
    switch (role) {
    case FD_SIM_ROLE_ADMIN:
        return true;
    case FD_SIM_ROLE_PROMOTER:
        if (is_read(verb))
            return true;
        switch (r->id) {
        case FD_SIM_RES_PROMOTION:
            return !sub && strcmp(verb, "create") == 0;
        case FD_SIM_RES_FREIGHT:
            return status && patch; /* approve */
        case FD_SIM_RES_STAGE:
        case FD_SIM_RES_WAREHOUSE:
            return !sub && patch; /* reverify, abort, refresh annotations */
        case FD_SIM_RES_ROLLOUT:
            return patch; /* abort, promote, retry: main resource or /status */
        case FD_SIM_RES_ANALYSISRUN:
            return !sub && patch; /* terminate */
        default:
            return false;
        }
    case FD_SIM_ROLE_VIEWER:
        return is_read(verb);
    case FD_SIM_ROLE_CRD_VIEWER:
        return is_read(verb) &&
               (fd_streq(r->group, "kargo.akuity.io") || fd_streq(r->group, "argoproj.io") ||
                r->id == FD_SIM_RES_NAMESPACE || r->id == FD_SIM_RES_EVENT);
    case FD_SIM_ROLE__COUNT:
        break;
    }
    return false;
}

json_t *fd_sim_auth_forbidden(const char *user, const char *verb, const struct fd_sim_resource *r,
                              const char *sub, const char *ns, const char *name)
{
    char *resource = sub ? fd_xasprintf("%s/%s", r->plural, sub) : fd_xstrdup(r->plural);
    char *scope = r->namespaced && ns && ns[0] ? fd_xasprintf("in the namespace \"%s\"", ns)
                                               : fd_xstrdup("at the cluster scope");
    char *subject = name && name[0] ? fd_xasprintf("%s \"%s\"", fd_sim_resource_gr(r), name)
                                    : fd_xstrdup(fd_sim_resource_gr(r));
    json_t *st = fd_sim_status_new(403, "Forbidden", fd_sim_status_details(r, name),
                                   "%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API "
                                   "group \"%s\" %s",
                                   subject, user, verb, resource, r->group, scope);
    free(resource);
    free(scope);
    free(subject);
    return st;
}

json_t *fd_sim_auth_unauthorized(void)
{
    return fd_sim_status_new(401, "Unauthorized", NULL, "Unauthorized");
}
