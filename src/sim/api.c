/* sim/api.c: one HTTP request in, one Kubernetes API response out. */
#include "config.h"

#include "freightdeck/sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "api.h"
#include "proto.h"
#include "freightdeck/util.h"
#include "selector.h"
#include "status.h"

#define CT_JSON "application/json"
#define CT_TEXT "text/plain; charset=utf-8"

struct fd_sim_api *fd_sim_api_new(size_t history)
{
    struct fd_sim_api *api = fd_xcalloc(1, sizeof(*api));
    api->store = fd_sim_store_new(history);
    return api;
}

void fd_sim_api_shutdown(struct fd_sim_api *api)
{
    fd_sim_store_shutdown(api->store);
}

void fd_sim_api_free(struct fd_sim_api *api)
{
    if (!api)
        return;
    fd_sim_store_free(api->store);
    fd_sim_auth_free(api->auth);
    free(api);
}

enum fd_status fd_sim_api_set_tokens(struct fd_sim_api *api, const char *path, char **err)
{
    struct fd_sim_auth *a = fd_sim_auth_load(path, err);
    if (!a)
        return FD_PARSE;
    fd_sim_auth_free(api->auth);
    api->auth = a;
    return FD_OK;
}

void fd_sim_api_admin(const struct fd_sim_api *api, const char **user, const char **token)
{
    *user = NULL;
    *token = NULL;
    for (size_t i = 0; api->auth && i < api->auth->n; i++) {
        if (api->auth->users[i].role == FD_SIM_ROLE_ADMIN) {
            *user = api->auth->users[i].name;
            *token = api->auth->users[i].token;
            return;
        }
    }
}

/* ---- query strings ---------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)fd_ascii_tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static char *url_decode(const char *s, size_t n)
{
    struct fd_buf b = FD_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            fd_buf_putc(&b, ' ');
        } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            fd_buf_putc(&b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else {
            fd_buf_putc(&b, s[i]);
        }
    }
    return fd_buf_steal(&b);
}

char **fd_sim_query_parse(const char *raw)
{
    char **q = fd_xcalloc(1, sizeof(*q));
    size_t n = 0;
    const char *p = raw ? raw : "";

    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            q = fd_xreallocarray(q, n + 3, sizeof(*q));
            q[n++] = url_decode(p, klen);
            q[n++] = eq ? url_decode(eq + 1, len - klen - 1) : fd_xstrdup("");
            q[n] = NULL;
        }
        p += len + (amp ? 1 : 0);
    }
    return q;
}

void fd_sim_query_free(char **query)
{
    for (size_t i = 0; query && query[i]; i++)
        free(query[i]);
    free(query);
}

static const char *qget(const struct fd_sim_request *req, const char *key)
{
    for (size_t i = 0; req->query && req->query[i] && req->query[i + 1]; i += 2)
        if (strcmp(req->query[i], key) == 0)
            return req->query[i + 1];
    return NULL;
}

static bool qbool(const struct fd_sim_request *req, const char *key)
{
    const char *v = qget(req, key);
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* A write as the request asks: its user, dry run and fieldValidation. */
static json_t *write_opts(const struct fd_sim_request *req, const struct fd_sim_user *user,
                          const char *sub, struct fd_sim_write *w)
{
    const char *fv = qget(req, "fieldValidation");
    memset(w, 0, sizeof(*w));
    w->subresource = sub;
    w->user = user ? user->name : "system:anonymous";
    w->dry_run = qget(req, "dryRun") != NULL;
    if (!fv || !fv[0] || strcmp(fv, "Warn") == 0)
        w->field_validation = FD_SIM_FV_WARN;
    else if (strcmp(fv, "Ignore") == 0)
        w->field_validation = FD_SIM_FV_IGNORE;
    else if (strcmp(fv, "Strict") == 0)
        w->field_validation = FD_SIM_FV_STRICT;
    else
        return fd_sim_status_bad_request("fieldValidation: Invalid value: \"%s\": fieldValidation "
                                         "must be one of \"Ignore\", \"Warn\", or \"Strict\"",
                                         fv);
    w->warnings = json_array();
    return NULL;
}

/* Moves the write's warnings to the response as Warning header values
 * (code 299, agent "-", the text quoted as net/http quotes it). */
static void take_warnings(struct fd_sim_response *resp, struct fd_sim_write *w)
{
    size_t i;
    json_t *t;
    json_array_foreach(w->warnings, i, t)
    {
        struct fd_buf b = FD_BUF_INIT;
        fd_buf_puts(&b, "299 - \"");
        for (const char *p = json_string_value(t); *p; p++) {
            if (*p == '"' || *p == '\\')
                fd_buf_putc(&b, '\\');
            fd_buf_putc(&b, *p);
        }
        fd_buf_putc(&b, '"');
        if (!resp->warnings)
            resp->warnings = json_array();
        json_array_append_new(resp->warnings, json_string(fd_buf_cstr(&b)));
        fd_buf_free(&b);
    }
    json_decref(w->warnings);
    w->warnings = NULL;
}

/* ---- responses -------------------------------------------------------- */

static void respond_json(struct fd_sim_response *resp, int code, json_t *doc)
{
    resp->code = code;
    resp->content_type = CT_JSON;
    resp->body = json_dumps(doc, JSON_COMPACT);
    if (!resp->body)
        fd_fatal("cannot serialise a response");
    resp->body_len = strlen(resp->body);
    json_decref(doc);
}

static void respond_status(struct fd_sim_response *resp, json_t *status)
{
    respond_json(resp, fd_sim_status_code(status), status);
}

static json_t *not_found_path(void)
{
    return fd_sim_status_new(404, "NotFound", json_object(),
                             "the server could not find the requested resource");
}

static json_t *method_not_allowed(void)
{
    return fd_sim_status_new(405, "MethodNotAllowed", json_object(),
                             "the server does not allow this method on the requested resource");
}

void fd_sim_response_free(struct fd_sim_response *resp)
{
    free(resp->body);
    fd_sim_watch_free(resp->watch);
    json_decref(resp->warnings);
    memset(resp, 0, sizeof(*resp));
}

/* ---- request routing -------------------------------------------------- */

struct route {
    const struct fd_sim_resource *res;
    char *ns;   /* NULL for cluster scope or all namespaces */
    char *name; /* NULL for the collection */
    char *sub;  /* NULL or "status" */
    const char *verb;
};

static void route_free(struct route *rt)
{
    free(rt->ns);
    free(rt->name);
    free(rt->sub);
}

/* Splits path into at most max segments; returns the count, or -1 when a
 * segment is empty or there are too many. */
static int split(const char *path, char **seg, int max)
{
    int n = 0;
    const char *p = path;
    if (*p != '/')
        return -1;
    p++;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || n == max) {
            for (int i = 0; i < n; i++)
                free(seg[i]);
            return -1;
        }
        seg[n++] = fd_xstrndup(p, len);
        p += len + (e ? 1 : 0);
    }
    return n;
}

/* Resolves a resource path to rt; returns NULL or a 404/405 Status. */
static json_t *route(const struct fd_sim_request *req, struct route *rt)
{
    char *seg[10];
    int n = split(req->path, seg, 10);
    json_t *err = NULL;
    int i;
    const char *group, *version;

    memset(rt, 0, sizeof(*rt));
    if (n < 0)
        return not_found_path();
    if (n >= 2 && strcmp(seg[0], "api") == 0) {
        group = "";
        version = seg[1];
        i = 2;
    } else if (n >= 3 && strcmp(seg[0], "apis") == 0) {
        group = seg[1];
        version = seg[2];
        i = 3;
    } else {
        err = not_found_path();
        goto out;
    }
    int rest = n - i;
    const struct fd_sim_resource *nsres = fd_sim_resource_find(group, version, "namespaces");
    /* /api/v1/namespaces/NAME[/status] is a namespace itself; any other
     * .../namespaces/NS/RESOURCE... is a namespaced resource. */
    if (rest >= 3 && strcmp(seg[i], "namespaces") == 0 &&
        !(nsres && rest == 3 && strcmp(seg[i + 2], "status") == 0)) {
        rt->ns = fd_xstrdup(seg[i + 1]);
        i += 2;
    }
    rest = n - i;
    if (rest < 1 || rest > 3) {
        err = not_found_path();
        goto out;
    }
    rt->res = fd_sim_resource_find(group, version, seg[i]);
    if (!rt->res || (rt->ns && !rt->res->namespaced)) {
        err = not_found_path();
        goto out;
    }
    if (rest >= 2)
        rt->name = fd_xstrdup(seg[i + 1]);
    if (rest == 3) {
        if (!rt->res->has_status || strcmp(seg[i + 2], "status") != 0) {
            err = not_found_path();
            goto out;
        }
        rt->sub = fd_xstrdup(seg[i + 2]);
    }
    /* A namespaced resource's collection also answers across namespaces,
     * but only for reads. */
    const char *m = req->method;
    if (strcmp(m, "GET") == 0)
        rt->verb = rt->name ? (qbool(req, "watch") ? "watch" : "get")
                            : (qbool(req, "watch") ? "watch" : "list");
    else if (strcmp(m, "POST") == 0 && !rt->name && !rt->sub)
        rt->verb = "create";
    else if (strcmp(m, "PUT") == 0 && rt->name)
        rt->verb = "update";
    else if (strcmp(m, "PATCH") == 0 && rt->name)
        rt->verb = "patch";
    else if (strcmp(m, "DELETE") == 0 && !rt->sub)
        rt->verb = rt->name ? "delete" : "deletecollection";
    if (!rt->verb || !fd_sim_resource_allows(rt->res, rt->verb)) {
        err = method_not_allowed();
        goto out;
    }
    if (rt->res->namespaced && !rt->ns && strcmp(rt->verb, "list") != 0 &&
        strcmp(rt->verb, "watch") != 0 && strcmp(rt->verb, "create") != 0)
        err = not_found_path();
    if (rt->res->namespaced && !rt->ns && strcmp(rt->verb, "create") == 0)
        err = not_found_path();
out:
    for (int k = 0; k < n; k++)
        free(seg[k]);
    return err;
}

static struct fd_sim_key key_of(const struct route *rt)
{
    struct fd_sim_key k = {rt->res->group, rt->res->version, rt->res->plural, rt->ns, rt->name};
    return k;
}

/* The media type of a Content-Type header, without parameters. */
static bool media_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    return strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static bool wants_table(const struct fd_sim_request *req)
{
    return req->accept && strstr(req->accept, "as=Table") != NULL;
}

/* go-yaml's account of a syntax error (yaml.v2 parser.fail): libyaml's
 * problem, at the problem mark's 0-based line (plus one for a scanner
 * error), else the context mark's. NULL when the text parses. The caller
 * frees. */
static char *yaml_problem(const char *text, size_t n, unsigned long *line)
{
    yaml_parser_t p;
    yaml_event_t ev;
    char *out = NULL;
    if (!yaml_parser_initialize(&p))
        fd_fatal("cannot initialise a YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, n);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            if (p.problem_mark.line) {
                *line = p.problem_mark.line;
                if (p.error == YAML_SCANNER_ERROR)
                    (*line)++;
            } else {
                *line = p.context_mark.line;
            }
            out = fd_xstrdup(p.problem ? p.problem : "unknown problem parsing YAML content");
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return out;
}

static json_t *parse_body(const struct fd_sim_request *req, const struct fd_sim_resource *r,
                          json_t **err)
{
    json_error_t je;
    json_t *j;

    if (r && (r->id == FD_SIM_RES_NAMESPACE || r->id == FD_SIM_RES_SELFSUBJECTACCESSREVIEW) &&
        media_is(req->content_type, "application/vnd.kubernetes.protobuf")) {
        char *msg = NULL;
        j = fd_sim_proto_decode(req->body ? req->body : "", req->body_len, r->kind, &msg);
        if (!j) {
            *err = fd_sim_status_bad_request("%s", msg);
            free(msg);
        }
        return j;
    }
    if (req->content_type && !media_is(req->content_type, "application/json") &&
        !media_is(req->content_type, "application/yaml")) {
        *err = fd_sim_status_new(415, "UnsupportedMediaType", NULL,
                                 "the body of the request was in an unknown format - accepted "
                                 "media types include: application/json, application/yaml");
        return NULL;
    }
    if (media_is(req->content_type, "application/yaml")) {
        char *msg = NULL;
        j = fd_sim_yaml_parse(req->body ? req->body : "", req->body_len, "body", &msg);
        if (!j && r) {
            /* transformDecodeError: go-yaml's "line N: problem" (libyaml's
             * problem, without its context), then summarizeData(body, 30). */
            unsigned long line = 0;
            char *text = yaml_problem(req->body ? req->body : "", req->body_len, &line);
            if (!text) {
                /* Valid YAML that is no object: as the JSON path words it. */
                text = fd_xstrdup(msg);
            }
            struct fd_buf sum = FD_BUF_INIT;
            size_t n = req->body_len < 30 ? req->body_len : 30;
            for (size_t i = 0; i < n; i++)
                fd_buf_printf(&sum, "%02x", (unsigned char)req->body[i]);
            if (req->body_len > 30)
                fd_buf_puts(&sum, " ...");
            *err = fd_sim_status_bad_request(
                "the object provided is unrecognized (must be of type %s): yaml: %s%.0lu%s%s (%s)",
                r->kind, line ? "line " : "", line, line ? ": " : "", text,
                req->body_len ? fd_buf_cstr(&sum) : "<empty>");
            fd_buf_free(&sum);
            free(text);
            free(msg);
        } else if (!j) {
            *err =
                fd_sim_status_bad_request("couldn't get version/kind; yaml parse error: %s", msg);
            free(msg);
        }
        return j;
    }
    /* (as Go reads it: a NUL in a string, an integer past int64 as a float) */
    j = fd_json_load_outside(req->body ? req->body : "", req->body_len, JSON_DECODE_ANY, &je);
    if (!j) {
        *err =
            fd_sim_status_bad_request("couldn't get version/kind; json parse error: %s", je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *err =
            fd_sim_status_bad_request("couldn't get version/kind; json parse error: json: cannot "
                                      "unmarshal into Go value of type struct");
        return NULL;
    }
    return j;
}

static json_t *parse_selectors(const struct fd_sim_request *req, struct fd_sim_selector **labels,
                               struct fd_sim_selector **fields)
{
    char *msg = NULL;
    *fields = NULL;
    *labels = fd_sim_label_selector_parse(qget(req, "labelSelector"), &msg);
    if (!*labels) {
        json_t *st = fd_sim_status_bad_request("%s", msg);
        free(msg);
        return st;
    }
    *fields = fd_sim_field_selector_parse(qget(req, "fieldSelector"), &msg);
    if (!*fields) {
        fd_sim_selector_free(*labels);
        *labels = NULL;
        json_t *st = fd_sim_status_bad_request("%s", msg);
        free(msg);
        return st;
    }
    return NULL;
}

static json_t *self_subject_access_review(struct fd_sim_api *api, const struct fd_sim_user *user,
                                          json_t *body)
{
    json_t *spec = json_object_get(body, "spec");
    json_t *ra = json_object_get(spec, "resourceAttributes");
    json_t *nra = json_object_get(spec, "nonResourceAttributes");
    bool allowed = false;
    const char *reason = "";

    (void)api;
    if (json_is_object(ra)) {
        const char *group = json_string_value(json_object_get(ra, "group"));
        const char *resource = json_string_value(json_object_get(ra, "resource"));
        const char *verb = json_string_value(json_object_get(ra, "verb"));
        const char *sub = json_string_value(json_object_get(ra, "subresource"));
        const struct fd_sim_resource *r = NULL;
        for (size_t i = 0; resource && i < FD_SIM_RES__COUNT; i++)
            if (fd_streq(fd_sim_resources[i].group, group ? group : "") &&
                strcmp(fd_sim_resources[i].plural, resource) == 0)
                r = &fd_sim_resources[i];
        if (!verb)
            return fd_sim_status_invalid(&fd_sim_resources[FD_SIM_RES_SELFSUBJECTACCESSREVIEW], "",
                                         "spec.resourceAttributes.verb", "FieldValueRequired",
                                         "Required value");
        if (r && sub && !sub[0])
            sub = NULL;
        if (r)
            allowed = !user || fd_sim_auth_allowed(user->role, verb, r, sub);
        if (allowed)
            reason = "RBAC: allowed by the freightdeck sim role";
    } else if (json_is_object(nra)) {
        const char *verb = json_string_value(json_object_get(nra, "verb"));
        allowed = fd_streq(verb, "get");
    } else {
        return fd_sim_status_invalid(&fd_sim_resources[FD_SIM_RES_SELFSUBJECTACCESSREVIEW], "",
                                     "spec.resourceAttributes", "FieldValueRequired",
                                     "Required value: exactly one of nonResourceAttributes or "
                                     "resourceAttributes must be specified");
    }
    json_t *out = json_deep_copy(body);
    json_object_set_new(out, "apiVersion", json_string("authorization.k8s.io/v1"));
    json_object_set_new(out, "kind", json_string("SelfSubjectAccessReview"));
    json_object_set_new(out, "metadata", json_pack("{s:n}", "creationTimestamp"));
    json_t *status = json_pack("{s:b}", "allowed", allowed);
    if (reason[0])
        json_object_set_new(status, "reason", json_string(reason));
    json_object_set_new(out, "status", status);
    return out;
}

static json_t *list_limit(const struct fd_sim_request *req, long *limit)
{
    const char *v = qget(req, "limit");
    char *end;
    *limit = 0;
    if (!v || !v[0])
        return NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*end || errno || n < 0)
        return fd_sim_status_bad_request("limit: Invalid value: \"%s\": must be a non-negative "
                                         "integer",
                                         v);
    *limit = n;
    return NULL;
}

static void do_list(struct fd_sim_api *api, const struct fd_sim_request *req,
                    const struct route *rt, struct fd_sim_response *resp)
{
    struct fd_sim_selector *labels, *fields;
    json_t *err = parse_selectors(req, &labels, &fields);
    long limit;
    if (!err)
        err = list_limit(req, &limit);
    if (err) {
        fd_sim_selector_free(labels);
        fd_sim_selector_free(fields);
        respond_status(resp, err);
        return;
    }
    struct fd_sim_key k = key_of(rt);
    struct fd_sim_list_opts o = {labels, fields, limit, qget(req, "continue")};
    json_t *list = fd_sim_store_list(api->store, &k, &o, &err);
    fd_sim_selector_free(labels);
    fd_sim_selector_free(fields);
    if (!list) {
        respond_status(resp, err);
        return;
    }
    if (wants_table(req)) {
        json_t *t = fd_sim_table(rt->res, json_object_get(list, "items"), true);
        json_object_set(t, "metadata", json_object_get(list, "metadata"));
        json_decref(list);
        list = t;
    }
    respond_json(resp, 200, list);
}

static void do_watch(struct fd_sim_api *api, const struct fd_sim_request *req,
                     const struct route *rt, struct fd_sim_response *resp)
{
    struct fd_sim_selector *labels, *fields;
    json_t *err = parse_selectors(req, &labels, &fields);
    if (err) {
        respond_status(resp, err);
        return;
    }
    if (rt->name) {
        /* GET .../NAME?watch=true: the legacy form of a name field selector. */
        char *text = fd_xasprintf("metadata.name=%s", rt->name);
        char *msg = NULL;
        fd_sim_selector_free(fields);
        fields = fd_sim_field_selector_parse(text, &msg);
        free(text);
        if (!fields) {
            fd_sim_selector_free(labels);
            respond_status(resp, fd_sim_status_bad_request("%s", msg));
            free(msg);
            return;
        }
    }
    const char *ts = qget(req, "timeoutSeconds");
    long timeout = 0;
    if (ts && ts[0]) {
        char *end;
        errno = 0;
        timeout = strtol(ts, &end, 10);
        if (*end || errno || timeout < 0 || timeout > 86400 * 365) {
            fd_sim_selector_free(labels);
            fd_sim_selector_free(fields);
            respond_status(resp,
                           fd_sim_status_bad_request("timeoutSeconds: Invalid value: \"%s\"", ts));
            return;
        }
    }
    struct fd_sim_key k = key_of(rt);
    struct fd_sim_watch_opts o = {labels,
                                  fields,
                                  qget(req, "resourceVersion"),
                                  qbool(req, "allowWatchBookmarks"),
                                  0,
                                  (int)timeout * 1000};
    resp->watch = fd_sim_store_watch(api->store, &k, &o, &err);
    if (!resp->watch) {
        respond_status(resp, err);
        return;
    }
    resp->code = 200;
    resp->content_type = CT_JSON;
    resp->watch_table = wants_table(req);
}

/* A create (POST, 201) or an update (PUT, 200) of rt's object from the body. */
static void do_write(struct fd_sim_api *api, const struct fd_sim_request *req,
                     const struct route *rt, const struct fd_sim_user *user,
                     struct fd_sim_response *resp, bool create)
{
    json_t *err = NULL;
    json_t *body = parse_body(req, rt->res, &err);
    if (!body) {
        respond_status(resp, err);
        return;
    }
    if (create && rt->res->id == FD_SIM_RES_SELFSUBJECTACCESSREVIEW) {
        json_t *out = self_subject_access_review(api, user, body);
        json_decref(body);
        if (fd_streq(json_string_value(json_object_get(out, "kind")), "Status"))
            respond_status(resp, out);
        else
            respond_json(resp, 201, out);
        return;
    }
    struct fd_sim_key k = key_of(rt);
    struct fd_sim_write w;
    if ((err = write_opts(req, user, create ? NULL : rt->sub, &w)) != NULL) {
        json_decref(body);
        respond_status(resp, err);
        return;
    }
    json_t *obj = create ? fd_sim_store_create(api->store, &k, body, &w, &err)
                         : fd_sim_store_update(api->store, &k, body, &w, &err);
    json_decref(body);
    take_warnings(resp, &w);
    if (!obj)
        respond_status(resp, err);
    else
        respond_json(resp, create ? 201 : 200, obj);
}

static void do_patch(struct fd_sim_api *api, const struct fd_sim_request *req,
                     const struct route *rt, const struct fd_sim_user *user,
                     struct fd_sim_response *resp)
{
    enum fd_sim_patch_type type;
    const char *ct = req->content_type;
    json_error_t je;

    if (media_is(ct, "application/merge-patch+json")) {
        type = FD_SIM_PATCH_MERGE;
    } else if (media_is(ct, "application/json-patch+json")) {
        type = FD_SIM_PATCH_JSON;
    } else if (media_is(ct, "application/strategic-merge-patch+json") &&
               rt->res->id == FD_SIM_RES_NAMESPACE) {
        /* Namespaces have no lists with merge keys a client would patch. */
        type = FD_SIM_PATCH_MERGE;
    } else {
        respond_status(resp, fd_sim_status_new(415, "UnsupportedMediaType", NULL,
                                               "the body of the request was in an unknown format "
                                               "- accepted media types include: "
                                               "application/json-patch+json, "
                                               "application/merge-patch+json, "
                                               "application/apply-patch+yaml"));
        return;
    }
    json_t *patch =
        fd_json_load_outside(req->body ? req->body : "", req->body_len, JSON_DECODE_ANY, &je);
    if (!patch) {
        respond_status(resp, fd_sim_status_bad_request("error decoding patch: %s", je.text));
        return;
    }
    struct fd_sim_key k = key_of(rt);
    struct fd_sim_write w;
    json_t *err = write_opts(req, user, rt->sub, &w);
    if (err) {
        json_decref(patch);
        respond_status(resp, err);
        return;
    }
    json_t *obj = fd_sim_store_patch(api->store, &k, type, patch, &w, &err);
    json_decref(patch);
    take_warnings(resp, &w);
    if (!obj)
        respond_status(resp, err);
    else
        respond_json(resp, 200, obj);
}

static void do_delete_collection(struct fd_sim_api *api, const struct fd_sim_request *req,
                                 const struct route *rt, const struct fd_sim_user *user,
                                 struct fd_sim_response *resp)
{
    struct fd_sim_selector *labels, *fields;
    json_t *err = parse_selectors(req, &labels, &fields);
    if (err) {
        respond_status(resp, err);
        return;
    }
    struct fd_sim_key k = key_of(rt);
    struct fd_sim_list_opts o = {labels, fields, 0, NULL};
    struct fd_sim_write w = {0};
    w.user = user ? user->name : "system:anonymous";
    w.dry_run = qget(req, "dryRun") != NULL;
    fd_sim_store_lock(api->store);
    json_t *list = fd_sim_store_list(api->store, &k, &o, &err);
    json_t *deleted = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(list, "items"), i, item)
    {
        json_t *meta = json_object_get(item, "metadata");
        struct fd_sim_key one = k;
        one.ns = json_string_value(json_object_get(meta, "namespace"));
        one.name = json_string_value(json_object_get(meta, "name"));
        json_t *gone = fd_sim_store_delete(api->store, &one, &w, NULL);
        if (gone)
            json_array_append_new(deleted, gone);
    }
    fd_sim_store_unlock(api->store);
    fd_sim_selector_free(labels);
    fd_sim_selector_free(fields);
    if (!list) {
        json_decref(deleted);
        respond_status(resp, err);
        return;
    }
    json_object_set_new(list, "items", deleted);
    respond_json(resp, 200, list);
}

static void do_resource(struct fd_sim_api *api, const struct fd_sim_request *req,
                        const struct fd_sim_user *user, struct fd_sim_response *resp)
{
    struct route rt;
    json_t *err = route(req, &rt);

    if (err) {
        route_free(&rt);
        respond_status(resp, err);
        return;
    }
    if (user && !fd_sim_auth_allowed(user->role, rt.verb, rt.res, rt.sub)) {
        respond_status(resp,
                       fd_sim_auth_forbidden(user->name, rt.verb, rt.res, rt.sub, rt.ns, rt.name));
        route_free(&rt);
        return;
    }
    struct fd_sim_key k = key_of(&rt);
    if (strcmp(rt.verb, "get") == 0) {
        json_t *obj = fd_sim_store_get(api->store, &k, &err);
        if (!obj) {
            respond_status(resp, err);
        } else if (wants_table(req)) {
            json_t *one = json_pack("[o]", obj);
            respond_json(resp, 200, fd_sim_table(rt.res, one, true));
            json_decref(one);
        } else {
            respond_json(resp, 200, obj);
        }
    } else if (strcmp(rt.verb, "list") == 0) {
        do_list(api, req, &rt, resp);
    } else if (strcmp(rt.verb, "watch") == 0) {
        do_watch(api, req, &rt, resp);
    } else if (strcmp(rt.verb, "create") == 0) {
        do_write(api, req, &rt, user, resp, true);
    } else if (strcmp(rt.verb, "update") == 0) {
        do_write(api, req, &rt, user, resp, false);
    } else if (strcmp(rt.verb, "patch") == 0) {
        do_patch(api, req, &rt, user, resp);
    } else if (strcmp(rt.verb, "delete") == 0) {
        struct fd_sim_write w = {0};
        w.user = user ? user->name : "system:anonymous";
        w.dry_run = qget(req, "dryRun") != NULL;
        json_t *obj = fd_sim_store_delete(api->store, &k, &w, &err);
        if (!obj) {
            respond_status(resp, err);
        } else if (rt.res->group[0] && !json_array_size(json_object_get(
                                           json_object_get(obj, "metadata"), "finalizers"))) {
            /* A custom resource gone at once is answered with a Success
             * Status naming it (the registry's deleteWithoutFinalizers). */
            json_t *d = fd_sim_status_details(rt.res, rt.name);
            const char *uid =
                json_string_value(json_object_get(json_object_get(obj, "metadata"), "uid"));
            if (uid)
                json_object_set_new(d, "uid", json_string(uid));
            json_decref(obj);
            respond_json(resp, 200,
                         json_pack("{s:s, s:s, s:{}, s:s, s:o}", "kind", "Status", "apiVersion",
                                   "v1", "metadata", "status", "Success", "details", d));
        } else {
            respond_json(resp, 200, obj);
        }
    } else {
        do_delete_collection(api, req, &rt, user, resp);
    }
    route_free(&rt);
}

void fd_sim_api_handle(struct fd_sim_api *api, const struct fd_sim_request *req,
                       struct fd_sim_response *resp)
{
    const struct fd_sim_user *user = NULL;

    memset(resp, 0, sizeof(*resp));
    if (!req->method || !req->path) {
        respond_status(resp, fd_sim_status_bad_request("malformed request"));
        return;
    }
    if (api->auth) {
        user = fd_sim_auth_find(api->auth, req->authorization);
        if (!user) {
            respond_status(resp, fd_sim_auth_unauthorized());
            return;
        }
    }
    if (strcmp(req->path, "/healthz") == 0 || strcmp(req->path, "/livez") == 0 ||
        strcmp(req->path, "/readyz") == 0) {
        resp->code = 200;
        resp->content_type = CT_TEXT;
        resp->body = fd_xstrdup("ok");
        resp->body_len = 2;
        return;
    }
    if (strcmp(req->method, "GET") == 0) {
        json_t *doc = fd_sim_discovery(req->path);
        if (doc) {
            respond_json(resp, 200, doc);
            return;
        }
    }
    do_resource(api, req, user, resp);
}

int fd_sim_response_stream(struct fd_sim_api *api, struct fd_sim_response *resp, struct fd_buf *out,
                           int wait_ms)
{
    (void)api;
    if (!resp->watch)
        return -1;
    if (!resp->watch_table)
        return fd_sim_watch_next(resp->watch, out, wait_ms);
    /* Table watches: every event's object becomes a one-row Table. */
    struct fd_buf raw = FD_BUF_INIT;
    int n = fd_sim_watch_next(resp->watch, &raw, wait_ms);
    const char *p = fd_buf_cstr(&raw);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        json_t *ev = json_loadb(p, len, 0, NULL);
        json_t *obj = json_object_get(ev, "object");
        const char *type = json_string_value(json_object_get(ev, "type"));
        const struct fd_sim_resource *r =
            fd_sim_resource_by_kind(json_string_value(json_object_get(obj, "apiVersion")),
                                    json_string_value(json_object_get(obj, "kind")));
        if (r && type && strcmp(type, "ERROR") != 0 && strcmp(type, "BOOKMARK") != 0) {
            json_t *one = json_pack("[O]", obj);
            json_object_set_new(ev, "object", fd_sim_table(r, one, true));
            json_decref(one);
        }
        char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
        if (text) {
            fd_buf_puts(out, text);
            fd_buf_putc(out, '\n');
        }
        free(text);
        json_decref(ev);
        p += len + (nl ? 1 : 0);
    }
    fd_buf_free(&raw);
    return n;
}
