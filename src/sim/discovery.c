/* sim/discovery.c: the discovery documents and OpenAPI v3 index kubectl
 * reads before anything else, generated from the resource table.
 *
 * Only the legacy (unaggregated) documents are served: client-go asks for
 * the aggregated form first and falls back when the answer is plain
 * application/json. OpenAPI v3 is served just enough for kubectl's
 * field-validation check (a PATCH operation per kind that lists the
 * fieldValidation parameter), so kubectl leaves validation to the server
 * instead of downloading the protobuf OpenAPI v2 document. */
#include "config.h"

#include "api.h"

#include <string.h>

#include "freightdeck/util.h"

#define SIM_K8S_MINOR "32"

static json_t *version_doc(void)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "major", "1", "minor",
                     SIM_K8S_MINOR, "gitVersion", "v1." SIM_K8S_MINOR ".0-freightdeck-sim",
                     "gitCommit", "0000000000000000000000000000000000000000", "gitTreeState",
                     "clean", "buildDate", "2026-01-01T00:00:00Z", "goVersion", "go1.23.0",
                     "compiler", "gc", "platform", "linux/amd64", "emulationMajor", "1");
}

static void add_short_names(json_t *entry, const char *names)
{
    if (!names[0])
        return;
    json_t *arr = json_array();
    const char *p = names;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, n));
        p += n + (e ? 1 : 0);
    }
    json_object_set_new(entry, "shortNames", arr);
}

static json_t *verbs_of(const struct fd_sim_resource *r)
{
    static const char *const all[] = {"create", "delete", "deletecollection", "get",
                                      "list",   "patch",  "update",           "watch"};
    json_t *v = json_array();
    for (size_t i = 0; i < FD_ARRAY_SIZE(all); i++)
        if (fd_sim_resource_allows(r, all[i]))
            json_array_append_new(v, json_string(all[i]));
    return v;
}

static json_t *resource_list(const char *group, const char *version)
{
    json_t *list = json_array();
    bool any = false;
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const struct fd_sim_resource *r = &fd_sim_resources[i];
        if (strcmp(r->group, group) != 0 || strcmp(r->version, version) != 0)
            continue;
        any = true;
        json_t *e =
            json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", r->plural, "singularName", r->singular,
                      "namespaced", r->namespaced, "kind", r->kind, "verbs", verbs_of(r));
        add_short_names(e, r->short_names);
        if (r->group[0] && strcmp(r->group, "authorization.k8s.io") != 0)
            json_object_set_new(e, "categories", json_pack("[s]", "all"));
        json_array_append_new(list, e);
        if (r->has_status)
            json_array_append_new(list, json_pack("{s:s+, s:s, s:b, s:s, s:[sss]}", "name",
                                                  r->plural, "/status", "singularName", "",
                                                  "namespaced", r->namespaced, "kind", r->kind,
                                                  "verbs", "get", "patch", "update"));
    }
    if (!any) {
        json_decref(list);
        return NULL;
    }
    char *gv = group[0] ? fd_xasprintf("%s/%s", group, version) : fd_xstrdup(version);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "kind", "APIResourceList", "apiVersion", "v1",
                            "groupVersion", gv, "resources", list);
    free(gv);
    return doc;
}

static json_t *group_doc(const char *group)
{
    json_t *versions = json_array();
    const char *first = NULL;
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const struct fd_sim_resource *r = &fd_sim_resources[i];
        if (strcmp(r->group, group) != 0)
            continue;
        bool seen = false;
        size_t k;
        json_t *v;
        json_array_foreach(versions, k, v)
        {
            if (fd_streq(json_string_value(json_object_get(v, "version")), r->version))
                seen = true;
        }
        if (seen)
            continue;
        if (!first)
            first = r->version;
        json_array_append_new(versions, json_pack("{s:s++, s:s}", "groupVersion", r->group, "/",
                                                  r->version, "version", r->version));
    }
    if (!first) {
        json_decref(versions);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:{s:s++, s:s}}", "kind", "APIGroup", "apiVersion", "v1",
                     "name", group, "versions", versions, "preferredVersion", "groupVersion", group,
                     "/", first, "version", first);
}

static json_t *group_list(void)
{
    json_t *groups = json_array();
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const char *g = fd_sim_resources[i].group;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if (strcmp(fd_sim_resources[k].group, g) == 0)
                seen = true;
        if (!g[0] || seen)
            continue;
        json_t *d = group_doc(g);
        json_object_del(d, "kind");
        json_object_del(d, "apiVersion");
        json_array_append_new(groups, d);
    }
    return json_pack("{s:s, s:s, s:o}", "kind", "APIGroupList", "apiVersion", "v1", "groups",
                     groups);
}

static json_t *openapi_index(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const struct fd_sim_resource *r = &fd_sim_resources[i];
        char *p = r->group[0] ? fd_xasprintf("apis/%s/%s", r->group, r->version)
                              : fd_xasprintf("api/%s", r->version);
        char *url = fd_xasprintf("/openapi/v3/%s?hash=%s", p, "F0000000000000000000000000000000");
        json_object_set_new(paths, p, json_pack("{s:s}", "serverRelativeURL", url));
        free(p);
        free(url);
    }
    return json_pack("{s:o}", "paths", paths);
}

/* The OpenAPI v3 document of one group/version: a PATCH operation per kind
 * naming the fieldValidation parameter, and a permissive schema. */
static json_t *openapi_gv(const char *group, const char *version)
{
    json_t *paths = json_object();
    bool any = false;
    for (size_t i = 0; i < FD_SIM_RES__COUNT; i++) {
        const struct fd_sim_resource *r = &fd_sim_resources[i];
        if (strcmp(r->group, group) != 0 || strcmp(r->version, version) != 0)
            continue;
        any = true;
        char *base = r->group[0] ? fd_xasprintf("/apis/%s/%s", r->group, r->version)
                                 : fd_xasprintf("/api/%s", r->version);
        char *path = r->namespaced
                         ? fd_xasprintf("%s/namespaces/{namespace}/%s/{name}", base, r->plural)
                         : fd_xasprintf("%s/%s/{name}", base, r->plural);
        json_t *gvk =
            json_pack("{s:s, s:s, s:s}", "group", r->group, "version", r->version, "kind", r->kind);
        json_t *params = json_pack("[{s:s, s:s, s:{s:s}, s:b}, {s:s, s:s, s:{s:s}, s:b}]", "name",
                                   "fieldValidation", "in", "query", "schema", "type", "string",
                                   "uniqueItems", 1, "name", "dryRun", "in", "query", "schema",
                                   "type", "string", "uniqueItems", 1);
        json_object_set_new(paths, path,
                            json_pack("{s:{s:s, s:o, s:o, s:s, s:{s:{s:s}}}}", "patch",
                                      "operationId", r->kind, "parameters", params,
                                      "x-kubernetes-group-version-kind", gvk, "x-kubernetes-action",
                                      "patch", "responses", "200", "description", "OK"));
        free(base);
        free(path);
    }
    if (!any) {
        json_decref(paths);
        return NULL;
    }
    return json_pack("{s:s, s:{s:s, s:s}, s:o, s:{s:{}}}", "openapi", "3.0.0", "info", "title",
                     "Kubernetes", "version", "v1." SIM_K8S_MINOR ".0", "paths", paths,
                     "components", "schemas");
}

json_t *fd_sim_discovery(const char *path)
{
    char group[128], version[64];

    if (strcmp(path, "/version") == 0 || strcmp(path, "/version/") == 0)
        return version_doc();
    if (strcmp(path, "/api") == 0 || strcmp(path, "/api/") == 0)
        return json_pack("{s:s, s:[s], s:[{s:s, s:s}]}", "kind", "APIVersions", "versions", "v1",
                         "serverAddressByClientCIDRs", "clientCIDR", "0.0.0.0/0", "serverAddress",
                         "127.0.0.1");
    if (strcmp(path, "/api/v1") == 0)
        return resource_list("", "v1");
    if (strcmp(path, "/apis") == 0 || strcmp(path, "/apis/") == 0)
        return group_list();
    if (strcmp(path, "/openapi/v3") == 0 || strcmp(path, "/openapi/v3/") == 0)
        return openapi_index();
    if (strcmp(path, "/openapi/v3/api/v1") == 0)
        return openapi_gv("", "v1");
    if (sscanf(path, "/openapi/v3/apis/%127[^/]/%63[^/]", group, version) == 2) {
        char *exact = fd_xasprintf("/openapi/v3/apis/%s/%s", group, version);
        json_t *d = strcmp(exact, path) == 0 ? openapi_gv(group, version) : NULL;
        free(exact);
        return d;
    }
    if (strncmp(path, "/apis/", 6) == 0) {
        const char *g = path + 6;
        const char *slash = strchr(g, '/');
        if (!slash && strlen(g) < sizeof(group)) {
            return group_doc(g);
        }
        if (slash && (size_t)(slash - g) < sizeof(group) && !strchr(slash + 1, '/') &&
            strlen(slash + 1) < sizeof(version)) {
            memcpy(group, g, (size_t)(slash - g));
            group[slash - g] = '\0';
            return resource_list(group, slash + 1);
        }
    }
    return NULL;
}
