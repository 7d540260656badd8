/* sim/webhooks.c: Kargo v1.11.2's validating webhooks that need no
 * controller (pkg/webhook/kubernetes/...): objects only in Project
 * namespaces, requested Freight origins once per Stage, step aliases unique
 * and not reserved, MatchUpstream's conditions, and a Project creating its
 * namespace. They run on every write, with or without a scenario, after the
 * schema validation, as the API server calls validating webhooks last. */
#include "config.h"

#include "freightdeck/expr.h"

#include "webhooks.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"
#include "schema.h"
#include "status.h"

#define LABEL_PROJECT "kargo.akuity.io/project"
#define FINALIZER     "kargo.akuity.io/finalizer"

/* A field.Invalid cause: field, Go-printed bad value, detail. */
static void invalid(json_t *causes, const char *field, const json_t *bad, const char *detail)
{
    struct fd_buf b = FD_BUF_INIT;
    char *v = json_is_string(bad)
                  ? fd_expr_go_quote(json_string_value(bad), json_string_length(bad))
                  : fd_go_json_marshal(bad, true);
    fd_buf_printf(&b, "Invalid value: %s: %s", v, detail);
    free(v);
    json_array_append_new(causes, json_pack("{s:s, s:s, s:s}", "reason", "FieldValueInvalid",
                                            "message", fd_buf_cstr(&b), "field", field));
    fd_buf_free(&b);
}

static void forbidden(json_t *causes, const char *field, const char *detail)
{
    char *m = fd_xasprintf("Forbidden: %s", detail);
    json_array_append_new(causes, json_pack("{s:s, s:s, s:s}", "reason", "FieldValueForbidden",
                                            "message", m, "field", field));
    free(m);
}

/* ValidateProject: the object's namespace is labelled as a Project's. A
 * namespace that does not exist never gets here: the API server's
 * NamespaceLifecycle refuses first. */
static void validate_project(struct fd_sim_store *st, const json_t *obj, json_t *causes)
{
    const char *ns = fd_sim_meta(obj, "namespace");
    struct fd_sim_key k = {"", "v1", "namespaces", NULL, ns};
    /* Under the store's lock (validation runs inside a write). */
    const json_t *nsobj = ns ? fd_sim_store_peek(st, &k) : NULL;
    if (!nsobj)
        return;
    const char *label =
        fd_sim_str(json_object_get(json_object_get(nsobj, "metadata"), "labels"), LABEL_PROJECT);
    if (!fd_streq(label, "true")) {
        json_t *bad = json_string(ns);
        char *detail = fd_xasprintf("namespace \"%s\" is not a project", ns);
        invalid(causes, "metadata.namespace", bad, detail);
        free(detail);
        json_decref(bad);
    }
}

/* promotion.ReservedStepAliasRegex: ^(step|task)-\d+$ */
static bool reserved_alias(const char *a)
{
    const char *p;
    if (strncmp(a, "step-", 5) == 0)
        p = a + 5;
    else if (strncmp(a, "task-", 5) == 0)
        p = a + 5;
    else
        return false;
    if (!*p)
        return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

/* ValidatePromotionSteps: aliases (trimmed) unique and not reserved. */
static void validate_steps(const char *path, const json_t *steps, json_t *causes)
{
    json_t *seen = json_object();
    size_t i;
    json_t *step;
    json_array_foreach(steps, i, step)
    {
        const char *as = fd_sim_str(step, "as");
        if (!as)
            continue;
        size_t b = strspn(as, " \t\n\r\v\f"), e = strlen(as);
        while (e > b && strchr(" \t\n\r\v\f", as[e - 1]))
            e--;
        if (e == b)
            continue;
        char *alias = fd_xstrndup(as + b, e - b);
        char *field = fd_xasprintf("%s[%zu].as", path, i);
        json_t *bad = json_string(alias);
        json_t *prev = json_object_get(seen, alias);
        if (prev) {
            char *detail =
                fd_xasprintf("step alias duplicates that of %s[%" JSON_INTEGER_FORMAT "]", path,
                             json_integer_value(prev));
            invalid(causes, field, bad, detail);
            free(detail);
        } else {
            json_object_set_new(seen, alias, json_integer((json_int_t)i));
        }
        if (reserved_alias(alias))
            invalid(causes, field, bad, "step alias is reserved");
        json_decref(bad);
        free(field);
        free(alias);
    }
    json_decref(seen);
}

/* The Stage's requestedFreight as Go marshals []FreightRequest: origin
 * {kind, name}, sources {direct, stages, requiredSoakTime,
 * availabilityStrategy, autoPromotionOptions}, empty fields omitted. */
static json_t *go_requests(const json_t *reqs)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r)
    {
        const json_t *o = json_object_get(r, "origin"), *s = json_object_get(r, "sources");
        json_t *go = json_object(), *gs = json_object(), *gr = json_object();
        json_object_set_new(go, "kind",
                            json_string(fd_sim_str(o, "kind") ? fd_sim_str(o, "kind") : ""));
        json_object_set_new(go, "name",
                            json_string(fd_sim_str(o, "name") ? fd_sim_str(o, "name") : ""));
        if (json_is_true(json_object_get(s, "direct")))
            json_object_set_new(gs, "direct", json_true());
        static const char *const rest[] = {"stages", "requiredSoakTime", "availabilityStrategy",
                                           "autoPromotionOptions"};
        for (size_t k = 0; k < FD_ARRAY_SIZE(rest); k++) {
            json_t *v = json_object_get(s, rest[k]);
            if (v && !(json_is_array(v) && !json_array_size(v)) &&
                !(json_is_string(v) && !json_string_length(v)))
                json_object_set(gs, rest[k], v);
        }
        json_object_set_new(gr, "origin", go);
        json_object_set_new(gr, "sources", gs);
        json_array_append_new(out, gr);
    }
    return out;
}

/* Go marshals struct fields in declaration order, not sorted: write the
 * requests by hand in that order. */
static void go_requests_text(const json_t *reqs, struct fd_buf *b)
{
    static const char *const order[] = {"direct", "stages", "requiredSoakTime",
                                        "availabilityStrategy", "autoPromotionOptions"};
    size_t i;
    json_t *r;
    fd_buf_putc(b, '[');
    json_array_foreach(reqs, i, r)
    {
        const json_t *o = json_object_get(r, "origin"), *s = json_object_get(r, "sources");
        char *kind = fd_go_json_marshal(json_object_get(o, "kind"), true);
        char *name = fd_go_json_marshal(json_object_get(o, "name"), true);
        fd_buf_printf(b, "%s{\"origin\":{\"kind\":%s,\"name\":%s},\"sources\":{", i ? "," : "",
                      kind, name);
        free(kind);
        free(name);
        bool first = true;
        for (size_t k = 0; k < FD_ARRAY_SIZE(order); k++) {
            json_t *v = json_object_get(s, order[k]);
            if (!v)
                continue;
            char *t = fd_go_json_marshal(v, true);
            fd_buf_printf(b, "%s\"%s\":%s", first ? "" : ",", order[k], t);
            first = false;
            free(t);
        }
        fd_buf_puts(b, "}}");
    }
    fd_buf_putc(b, ']');
}

static void validate_stage_spec(const json_t *spec, json_t *causes)
{
    const json_t *reqs = json_object_get(spec, "requestedFreight");
    json_t *seen = json_object(), *errored = json_object();
    json_t *normal = go_requests(reqs);
    size_t i;
    json_t *r;
    json_array_foreach(normal, i, r)
    {
        const json_t *o = json_object_get(r, "origin");
        char *origin = fd_xasprintf("%s/%s", fd_sim_str(o, "kind"), fd_sim_str(o, "name"));
        if (json_object_get(seen, origin) && !json_object_get(errored, origin)) {
            struct fd_buf v = FD_BUF_INIT, m = FD_BUF_INIT;
            go_requests_text(normal, &v);
            fd_buf_printf(&m,
                          "Invalid value: %s: freight with origin %s requested multiple "
                          "times in spec.requestedFreight",
                          fd_buf_cstr(&v), origin);
            json_array_append_new(causes, json_pack("{s:s, s:s, s:s}", "reason",
                                                    "FieldValueInvalid", "message", fd_buf_cstr(&m),
                                                    "field", "spec.requestedFreight"));
            fd_buf_free(&v);
            fd_buf_free(&m);
            json_object_set_new(errored, origin, json_true());
        }
        const json_t *s = json_object_get(r, "sources");
        const json_t *apo = json_object_get(s, "autoPromotionOptions");
        if (fd_streq(fd_sim_str(apo, "selectionPolicy"), "MatchUpstream")) {
            char *f = fd_xasprintf("spec.requestedFreight[%zu].sources.autoPromotionOptions."
                                   "selectionPolicy",
                                   i);
            json_t *bad = json_string("MatchUpstream");
            if (json_is_true(json_object_get(s, "direct")))
                invalid(causes, f, bad,
                        "selection policy 'MatchUpstream' cannot be used when accepting Freight "
                        "directly from its origin");
            if (json_array_size(json_object_get(s, "stages")) != 1)
                invalid(causes, f, bad,
                        "selection policy 'MatchUpstream' requires exactly one upstream Stage to "
                        "be specified");
            json_decref(bad);
            free(f);
        }
        json_object_set_new(seen, origin, json_true());
        free(origin);
    }
    json_decref(normal);
    json_decref(seen);
    json_decref(errored);
    const json_t *tmpl = json_object_get(spec, "promotionTemplate");
    if (!tmpl)
        return;
    const json_t *steps = json_object_get(json_object_get(tmpl, "spec"), "steps");
    validate_steps("spec.promotionTemplate.spec.steps", steps, causes);
    json_t *step;
    json_array_foreach(steps, i, step)
    {
        if (!json_object_get(step, "task"))
            continue;
        if (fd_sim_str(step, "if") && fd_sim_str(step, "if")[0]) {
            char *f = fd_xasprintf("spec.promotionTemplate.spec.steps[%zu].if", i);
            forbidden(causes, f,
                      "PromotionTemplate step referencing a task cannot have an 'if' condition");
            free(f);
        }
        if (json_object_get(step, "config") && !json_is_null(json_object_get(step, "config"))) {
            char *f = fd_xasprintf("spec.promotionTemplate.spec.steps[%zu].config", i);
            forbidden(causes, f, "PromotionTemplate step referencing a task cannot have a config");
            free(f);
        }
    }
}

/* project/webhook.go ensureNamespace: the Project's namespace, labelled and
 * with Kargo's finalizer, unless one exists already. */
static json_t *ensure_namespace(struct fd_sim_store *st, const struct fd_sim_resource *r,
                                const json_t *obj, bool dry_run)
{
    const char *name = fd_sim_meta(obj, "name");
    struct fd_sim_key k = {"", "v1", "namespaces", NULL, name};
    json_t *ns = fd_sim_store_get(st, &k, NULL);
    json_t *status = NULL;
    if (ns) {
        json_t *md = json_object_get(ns, "metadata");
        if (!fd_streq(fd_sim_str(json_object_get(md, "labels"), LABEL_PROJECT), "true"))
            status = fd_sim_status_new(
                409, "Conflict", fd_sim_status_details(r, name),
                "Operation cannot be fulfilled on %s \"%s\": failed to initialize Project \"%s\" "
                "because namespace \"%s\" already exists and is not labeled as a Project "
                "namespace",
                fd_sim_resource_gr(r), name, name, name);
        else if (json_object_get(md, "deletionTimestamp"))
            status = fd_sim_status_new(
                409, "Conflict", fd_sim_status_details(r, name),
                "Operation cannot be fulfilled on %s \"%s\": failed to initialize Project \"%s\" "
                "because namespace \"%s\" is still being terminated; please try again after the "
                "namespace has been fully deleted",
                fd_sim_resource_gr(r), name, name, name);
        json_decref(ns);
        return status;
    }
    if (dry_run)
        return NULL;
    json_t *nsobj = json_pack("{s:s, s:s, s:{s:s, s:{s:s}, s:[s]}}", "apiVersion", "v1", "kind",
                              "Namespace", "metadata", "name", name, "labels", LABEL_PROJECT,
                              "true", "finalizers", FINALIZER);
    json_t *err = NULL;
    json_t *made = fd_sim_store_create(st, &k, nsobj, NULL, &err);
    json_decref(nsobj);
    if (!made) {
        status =
            fd_sim_status_new(500, "InternalError", NULL,
                              "Internal error occurred: error creating namespace \"%s\": %s", name,
                              fd_sim_str(err, "message") ? fd_sim_str(err, "message") : "");
        json_decref(err);
        return status;
    }
    json_decref(made);
    return NULL;
}

json_t *fd_sim_webhooks_validate(struct fd_sim_store *st, enum fd_sim_op op,
                                 const struct fd_sim_resource *r, const struct fd_sim_write *w,
                                 const json_t *obj)
{
    if (op == FD_SIM_OP_DELETE || (w && w->subresource))
        return NULL;
    json_t *causes = json_array();
    json_t *status = NULL;
    const json_t *spec = json_object_get(obj, "spec");
    switch (r->id) {
    case FD_SIM_RES_PROJECT:
        if (op == FD_SIM_OP_CREATE)
            status = ensure_namespace(st, r, obj, w && w->dry_run);
        break;
    case FD_SIM_RES_STAGE:
        if (op == FD_SIM_OP_CREATE)
            validate_project(st, obj, causes);
        validate_stage_spec(spec, causes);
        break;
    case FD_SIM_RES_WAREHOUSE:
    case FD_SIM_RES_PROMOTION:
    case FD_SIM_RES_FREIGHT:
        if (op == FD_SIM_OP_CREATE)
            validate_project(st, obj, causes);
        break;
    case FD_SIM_RES_PROMOTIONTASK:
        if (op == FD_SIM_OP_CREATE)
            validate_project(st, obj, causes);
        validate_steps("spec.steps", json_object_get(spec, "steps"), causes);
        break;
    case FD_SIM_RES_CLUSTERPROMOTIONTASK:
        validate_steps("spec.steps", json_object_get(spec, "steps"), causes);
        break;
    default:
        break;
    }
    if (!status && json_array_size(causes)) {
        status = fd_sim_status_invalid_causes(r, fd_sim_meta(obj, "name"), causes);
        causes = NULL;
    }
    json_decref(causes);
    if (status)
        fd_sim_status_denied(status, r);
    return status;
}
