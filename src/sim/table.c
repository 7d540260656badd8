/* sim/table.c: meta.k8s.io/v1 Table answers with the CRDs' printer columns,
 * which `kubectl get` asks for and prints as they come. */
#include "config.h"

#include "api.h"

#include "freightdeck/sim.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "freightdeck/util.h"
#include "misc.h"

/* k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
static void human_duration(long long s, char *out, size_t n)
{
    if (s < 0)
        s = 0;
    long long m = s / 60, h = s / 3600, d = s / 86400, y = d / 365;
    if (s < 120)
        snprintf(out, n, "%llds", s);
    else if (m < 10)
        snprintf(out, n, s % 60 ? "%lldm%llds" : "%lldm", m, s % 60);
    else if (h < 3)
        snprintf(out, n, "%lldm", m);
    else if (h < 8)
        snprintf(out, n, m % 60 ? "%lldh%lldm" : "%lldh", h, m % 60);
    else if (h < 48)
        snprintf(out, n, "%lldh", h);
    else if (h < 192)
        snprintf(out, n, h % 24 ? "%lldd%lldh" : "%lldd", d, h % 24);
    else if (y < 2)
        snprintf(out, n, "%lldd", d);
    else if (y < 8)
        snprintf(out, n, d % 365 ? "%lldy%lldd" : "%lldy", y, d % 365);
    else
        snprintf(out, n, "%lldy", y);
}

static json_t *age_cell(const char *ts)
{
    struct tm tm;
    char buf[32];
    memset(&tm, 0, sizeof(tm));
    if (!ts || sscanf(ts, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                      &tm.tm_min, &tm.tm_sec) != 6)
        return json_string("<unknown>");
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    human_duration((long long)(fd_sim_now_ms() / 1000 - timegm(&tm)), buf, sizeof(buf));
    return json_string(buf);
}

/* Evaluates the JSONPath subset the CRDs' printer columns use: .a.b,
 * escaped dots (kargo\.akuity\.io/alias), [N] and [?(@.key=="value")]. */
static const json_t *eval_path(const json_t *cur, const char *p)
{
    while (cur && *p) {
        if (*p == '.') {
            struct fd_buf name = FD_BUF_INIT;
            p++;
            while (*p && *p != '.' && *p != '[') {
                if (*p == '\\' && p[1])
                    p++;
                fd_buf_putc(&name, *p++);
            }
            cur = json_object_get(cur, fd_buf_cstr(&name));
            fd_buf_free(&name);
        } else if (strncmp(p, "[?(@.", 5) == 0) {
            char key[64], value[128];
            int used = 0;
            if (sscanf(p, "[?(@.%63[^=]==\"%127[^\"]\")]%n", key, value, &used) != 2 || !used)
                return NULL;
            p += used;
            const json_t *found = NULL;
            size_t i;
            json_t *e;
            json_array_foreach(fd_sim_mut(cur), i, e)
            {
                if (!found && fd_streq(json_string_value(json_object_get(e, key)), value))
                    found = e;
            }
            cur = found;
        } else if (*p == '[') {
            size_t idx;
            int used = 0;
            if (sscanf(p, "[%zu]%n", &idx, &used) != 1 || !used)
                return NULL;
            p += used;
            cur = json_array_get(cur, idx);
        } else {
            return NULL;
        }
    }
    return cur;
}

json_t *fd_sim_table(const struct fd_sim_resource *r, const json_t *objects, bool headers)
{
    json_t *defs = json_array(), *rows = json_array();
    json_array_append_new(defs,
                          json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", "Name", "type", "string",
                                    "format", "name", "description",
                                    "Name must be unique within a namespace.", "priority", 0));
    /* Columns: "Title:path;Title:path". */
    char *cols = fd_xstrdup(r->columns);
    char *paths[16];
    size_t ncols = 0;
    char *save = NULL;
    for (char *c = strtok_r(cols, ";", &save); c && ncols < 16; c = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(c, ':');
        if (!colon)
            continue;
        *colon = '\0';
        paths[ncols++] = colon + 1;
        bool date = strcmp(colon + 1, ".metadata.creationTimestamp") == 0;
        json_array_append_new(defs, json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", c, "type",
                                              date ? "date" : "string", "format", "", "description",
                                              "", "priority", 0));
    }
    size_t i;
    json_t *obj;
    json_array_foreach(fd_sim_mut(objects), i, obj)
    {
        json_t *meta = json_object_get(obj, "metadata");
        json_t *cells = json_array();
        json_array_append(cells, json_object_get(meta, "name"));
        for (size_t k = 0; k < ncols; k++) {
            if (strcmp(paths[k], ".metadata.creationTimestamp") == 0) {
                json_array_append_new(
                    cells, age_cell(json_string_value(json_object_get(meta, "creationTimestamp"))));
                continue;
            }
            const json_t *v = eval_path(obj, paths[k]);
            json_array_append_new(cells, v ? json_deep_copy(v) : json_null());
        }
        json_array_append_new(rows, json_pack("{s:o, s:{s:s, s:s, s:O}}", "cells", cells, "object",
                                              "kind", "PartialObjectMetadata", "apiVersion",
                                              "meta.k8s.io/v1", "metadata", meta));
    }
    free(cols);
    json_t *t = json_pack("{s:s, s:s, s:{}, s:o, s:o}", "kind", "Table", "apiVersion",
                          "meta.k8s.io/v1", "metadata", "columnDefinitions", defs, "rows", rows);
    if (!headers)
        json_object_del(t, "columnDefinitions");
    return t;
}
