/* sim/resources.c: lookups over the resource table. */
#include "config.h"

#include "resources.h"

#include <stdio.h>
#include <string.h>

#include "freightdeck/util.h"

const struct fd_sim_resource fd_sim_resources[FD_SIM_RES__COUNT] = {
#define FD_SIM_RES_ROW(id, g, v, k, p, s, sn, ns, st, verbs, cols) \
    {FD_SIM_RES_##id, g, v, k, p, s, sn, ns, st, verbs, cols},
    FD_SIM_RESOURCE_TABLE(FD_SIM_RES_ROW)
#undef FD_SIM_RES_ROW
};

/* Filled on first use; the table is constant, so a race writes the same bytes. */
static char api_versions[FD_SIM_RES__COUNT][64];
static char group_resources[FD_SIM_RES__COUNT][96];

const struct fd_sim_resource *fd_sim_resource_find(const char *group, const char *version,
                                                   const char *plural)
{
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const struct fd_sim_resource *r = &fd_sim_resources[i];
        if (fd_streq(r->group, group) && fd_streq(r->version, version) &&
            fd_streq(r->plural, plural))
            return r;
    }
    return NULL;
}

const char *fd_sim_resource_api_version(const struct fd_sim_resource *r)
{
    char *s = api_versions[r->id];
    if (!s[0]) {
        if (r->group[0])
            snprintf(s, sizeof(api_versions[0]), "%s/%s", r->group, r->version);
        else
            snprintf(s, sizeof(api_versions[0]), "%s", r->version);
    }
    return s;
}

const char *fd_sim_resource_gr(const struct fd_sim_resource *r)
{
    char *s = group_resources[r->id];
    if (!s[0]) {
        if (r->group[0])
            snprintf(s, sizeof(group_resources[0]), "%s.%s", r->plural, r->group);
        else
            snprintf(s, sizeof(group_resources[0]), "%s", r->plural);
    }
    return s;
}

const struct fd_sim_resource *fd_sim_resource_by_kind(const char *api_version, const char *kind)
{
    if (!api_version || !kind)
        return NULL;
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const struct fd_sim_resource *r = &fd_sim_resources[i];
        if (fd_streq(r->kind, kind) && fd_streq(fd_sim_resource_api_version(r), api_version))
            return r;
    }
    return NULL;
}

bool fd_sim_resource_allows(const struct fd_sim_resource *r, const char *verb)
{
    static const char *const crud[] = {"get",    "list",  "watch",  "create",
                                       "update", "patch", "delete", "deletecollection"};
    if (!r->verbs[0]) {
        for (size_t i = 0; i < FD_ARRAY_SIZE(crud); i++)
            if (strcmp(crud[i], verb) == 0)
                return true;
        return false;
    }
    size_t n = strlen(verb);
    for (const char *p = r->verbs; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, verb, n) == 0)
            return true;
        p += len + (e ? 1 : 0);
    }
    return false;
}
