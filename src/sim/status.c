/* sim/status.c: Status objects as the real API server words them. */
#include "config.h"

#include "status.h"

#include "schema.h"

#include <stdarg.h>
#include <stdlib.h>

/* Messages quote what the client sent, which need not be UTF-8; JSON
 * strings must be, so other bytes become '?'. */
static void make_utf8(char *s)
{
    json_t *probe = json_string(s);
    if (probe) {
        json_decref(probe);
        return;
    }
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if (*p >= 0x80)
            *p = '?';
}

json_t *fd_sim_status_new(int code, const char *reason, json_t *details, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = fd_xvasprintf(fmt, ap);
    va_end(ap);
    make_utf8(msg);
    json_t *st = json_pack("{s:s, s:s, s:{}, s:s, s:s, s:s}", "kind", "Status", "apiVersion", "v1",
                           "metadata", "status", "Failure", "message", msg, "reason", reason);
    free(msg);
    if (!st)
        fd_fatal("cannot build a Status object");
    if (details)
        json_object_set_new(st, "details", details);
    json_object_set_new(st, "code", json_integer(code));
    return st;
}

json_t *fd_sim_status_details(const struct fd_sim_resource *r, const char *name)
{
    json_t *d = json_object();
    if (name && name[0])
        json_object_set_new(d, "name", json_string(name));
    if (r->group[0])
        json_object_set_new(d, "group", json_string(r->group));
    json_object_set_new(d, "kind", json_string(r->plural));
    return d;
}

json_t *fd_sim_status_not_found(const struct fd_sim_resource *r, const char *name)
{
    return fd_sim_status_new(404, "NotFound", fd_sim_status_details(r, name), "%s \"%s\" not found",
                             fd_sim_resource_gr(r), name);
}

json_t *fd_sim_status_already_exists(const struct fd_sim_resource *r, const char *name)
{
    return fd_sim_status_new(409, "AlreadyExists", fd_sim_status_details(r, name),
                             "%s \"%s\" already exists", fd_sim_resource_gr(r), name);
}

json_t *fd_sim_status_conflict(const struct fd_sim_resource *r, const char *name)
{
    return fd_sim_status_new(409, "Conflict", fd_sim_status_details(r, name),
                             "Operation cannot be fulfilled on %s \"%s\": the object has been "
                             "modified; please apply your changes to the latest version and try "
                             "again",
                             fd_sim_resource_gr(r), name);
}

json_t *fd_sim_status_invalid(const struct fd_sim_resource *r, const char *name, const char *field,
                              const char *cause, const char *msg)
{
    json_t *d = json_object();
    char *gk = r->group[0] ? fd_xasprintf("%s.%s", r->kind, r->group) : fd_xstrdup(r->kind);

    json_object_set_new(d, "name", json_string(name ? name : ""));
    if (r->group[0])
        json_object_set_new(d, "group", json_string(r->group));
    json_object_set_new(d, "kind", json_string(r->kind));
    json_object_set_new(
        d, "causes",
        json_pack("[{s:s, s:s, s:s}]", "reason", cause, "message", msg, "field", field));
    json_t *st = fd_sim_status_new(422, "Invalid", d, "%s \"%s\" is invalid: %s: %s", gk,
                                   name ? name : "", field, msg);
    free(gk);
    return st;
}

json_t *fd_sim_status_invalid_causes(const struct fd_sim_resource *r, const char *name,
                                     json_t *causes)
{
    json_t *d = json_object();
    char *gk = r->group[0] ? fd_xasprintf("%s.%s", r->kind, r->group) : fd_xstrdup(r->kind);
    char *agg = fd_sim_schema_aggregate(causes);

    json_object_set_new(d, "name", json_string(name ? name : ""));
    if (r->group[0])
        json_object_set_new(d, "group", json_string(r->group));
    json_object_set_new(d, "kind", json_string(r->kind));
    json_object_set_new(d, "causes", causes);
    json_t *st =
        fd_sim_status_new(422, "Invalid", d, "%s \"%s\" is invalid: %s", gk, name ? name : "", agg);
    free(agg);
    free(gk);
    return st;
}

void fd_sim_status_denied(json_t *status, const struct fd_sim_resource *r)
{
    const char *msg = json_string_value(json_object_get(status, "message"));
    char *m = fd_xasprintf("admission webhook \"%s.%s\" denied the request: %s", r->singular,
                           r->group, msg ? msg : "");
    json_object_set_new(status, "message", json_string(m));
    free(m);
}

json_t *fd_sim_status_bad_request(const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = fd_xvasprintf(fmt, ap);
    va_end(ap);
    json_t *st = fd_sim_status_new(400, "BadRequest", NULL, "%s", msg);
    free(msg);
    return st;
}

int fd_sim_status_code(const json_t *status)
{
    json_t *c = json_object_get(status, "code");
    return json_is_integer(c) ? (int)json_integer_value(c) : 500;
}
