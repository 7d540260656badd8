/* sim/admit_kargo.c: what Kargo's admission webhooks do to API requests
 * (pkg/webhook/kubernetes/{promotion,freight,stage}): Promotions renamed
 * <stage>.<ulid>.<freight[:7]> with the Stage's steps and refused when the
 * Freight is not available; Freight artifacts immutable and names computed;
 * reverify/abort annotations rewritten to their JSON form with the actor. */
#include "config.h"

#include "ctl.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"
#include "status.h"

#define ANN_REVERIFY "kargo.akuity.io/reverify"
#define ANN_ABORT    "kargo.akuity.io/abort"

static json_t *annotations(json_t *obj)
{
    json_t *md = json_object_get(obj, "metadata");
    json_t *a = json_object_get(md, "annotations");
    if (!json_is_object(a)) {
        a = json_object();
        json_object_set_new(md, "annotations", a);
    }
    return a;
}

/* ---- availability (Stage.IsFreightAvailable) ---------------------------- */

bool fd_sim_freight_available(const json_t *stage, const json_t *freight)
{
    const char *sname = fd_sim_meta(stage, "name");
    const json_t *fst = json_object_get(freight, "status");
    const json_t *forigin = json_object_get(freight, "origin");
    size_t i;
    json_t *req;

    if (!sname || !freight)
        return false;
    if (json_object_get(json_object_get(fst, "approvedFor"), sname))
        return true;
    json_array_foreach(json_object_get(json_object_get(stage, "spec"), "requestedFreight"), i, req)
    {
        const json_t *o = json_object_get(req, "origin");
        if (!fd_streq(fd_sim_str(o, "kind"), fd_sim_str(forigin, "kind")) ||
            !fd_streq(fd_sim_str(o, "name"), fd_sim_str(forigin, "name")))
            continue;
        const json_t *src = json_object_get(req, "sources");
        if (json_is_true(json_object_get(src, "direct")))
            return true;
        const json_t *ups = json_object_get(src, "stages");
        const char *strategy = fd_sim_str(src, "availabilityStrategy");
        bool all = strategy && strcmp(strategy, "All") == 0;
        size_t j, n = 0, verified = 0;
        json_t *up;
        json_array_foreach(ups, j, up)
        {
            n++;
            if (json_is_string(up) &&
                json_object_get(json_object_get(fst, "verifiedIn"), json_string_value(up)))
                verified++;
        }
        if (n && (all ? verified == n : verified > 0))
            return true;
    }
    return false;
}

/* ---- Promotion ------------------------------------------------------------ */

static json_t *admit_promotion_create(struct fd_sim_ctl *ctl, const struct fd_sim_resource *res,
                                      const struct fd_sim_write *w, json_t *obj)
{
    json_t *spec = json_object_get(obj, "spec");
    const char *ns = fd_sim_meta(obj, "namespace");
    const char *stage_name = fd_sim_str(spec, "stage");
    const char *freight_name = fd_sim_str(spec, "freight");
    const char *name = fd_sim_meta(obj, "name");

    if (!stage_name || !stage_name[0])
        return fd_sim_status_invalid(res, name, "spec.stage", "FieldValueRequired",
                                     "Required value");
    if (!freight_name || !freight_name[0])
        return fd_sim_status_invalid(
            res, name, "spec.freight", "FieldValueRequired",
            "Required value: exactly one of freight or origin is required");
    json_t *stage = fd_sim_ctl_get(ctl, FD_SIM_RES_STAGE, ns, stage_name);
    if (!stage)
        return fd_sim_status_new(404, "NotFound", NULL,
                                 "Stage \"%s\" not found in namespace \"%s\"", stage_name, ns);
    const json_t *steps = json_object_get(
        json_object_get(json_object_get(json_object_get(stage, "spec"), "promotionTemplate"),
                        "spec"),
        "steps");
    if (!json_array_size(steps)) {
        json_decref(stage);
        return fd_sim_status_invalid(res, name, "spec.stage", "FieldValueInvalid",
                                     "Stage has no promotion steps");
    }
    json_t *freight = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, freight_name);
    if (!freight) {
        json_decref(stage);
        return fd_sim_status_new(500, "InternalError", NULL,
                                 "Internal error occurred: get freight: Freight \"%s\" not found "
                                 "in namespace \"%s\"",
                                 freight_name, ns);
    }
    /* The name first: the 422 names the Promotion as the webhook sees it. */
    char ulid[27];
    fd_sim_ulid(fd_sim_clock_wall(&ctl->clock, fd_sim_clock_now(&ctl->clock)), &ctl->rng, ulid);
    char *pname = fd_sim_kargo_name(stage_name, ulid, freight_name);
    json_t *md = json_object_get(obj, "metadata");
    json_object_set_new(md, "name", json_string(pname));
    json_object_del(md, "generateName");
    free(pname);
    if (!fd_sim_freight_available(stage, freight)) {
        char *msg = fd_xasprintf("Invalid value: \"%s\": Freight is not available to this Stage",
                                 freight_name);
        json_t *st = fd_sim_status_invalid(res, fd_sim_meta(obj, "name"), "spec.freight",
                                           "FieldValueInvalid", msg);
        free(msg);
        json_decref(stage);
        json_decref(freight);
        return st;
    }
    json_object_set(spec, "steps", fd_sim_mut(steps));
    const json_t *vars = json_object_get(
        json_object_get(json_object_get(json_object_get(stage, "spec"), "promotionTemplate"),
                        "spec"),
        "vars");
    if (vars)
        json_object_set(spec, "vars", fd_sim_mut(vars));
    json_t *labels = json_object_get(md, "labels");
    if (!json_is_object(labels)) {
        labels = json_object();
        json_object_set_new(md, "labels", labels);
    }
    json_object_set_new(labels, "kargo.akuity.io/stage", json_string(stage_name));
    json_t *ann = annotations(obj);
    json_object_set_new(ann, "kargo.akuity.io/stage", json_string(stage_name));
    if (w->user) {
        char *actor = fd_xasprintf("kubernetes:%s", w->user);
        json_object_set_new(ann, "kargo.akuity.io/create-actor", json_string(actor));
        free(actor);
    }
    json_object_set_new(md, "ownerReferences",
                        json_pack("[{s:s,s:s,s:s,s:s,s:b,s:b}]", "apiVersion",
                                  "kargo.akuity.io/v1alpha1", "kind", "Stage", "name", stage_name,
                                  "uid", fd_sim_meta(stage, "uid") ? fd_sim_meta(stage, "uid") : "",
                                  "controller", 1, "blockOwnerDeletion", 1));
    json_decref(stage);
    json_decref(freight);
    return NULL;
}

/* ---- annotations with the actor ------------------------------------------ */

/* Rewrites a changed annotation `key` to Kargo's JSON request form. kind
 * "verification" gives {"id","actor","controlPlane"}; "promotion-abort"
 * gives {"action","actor","controlPlane"}. */
static void rewrite_request(const struct fd_sim_write *w, const json_t *old, json_t *obj,
                            const char *key, bool promotion)
{
    json_t *ann = json_object_get(json_object_get(obj, "metadata"), "annotations");
    const char *val = fd_sim_str(ann, key);
    const char *prev =
        fd_sim_str(json_object_get(json_object_get(old, "metadata"), "annotations"), key);
    if (!val || (prev && strcmp(prev, val) == 0))
        return;
    json_t *req = NULL;
    if (val[0] == '{')
        req = json_loads(val, 0, NULL);
    if (!json_is_object(req)) {
        json_decref(req);
        req = promotion ? json_pack("{s:s}", "action", val) : json_pack("{s:s}", "id", val);
    }
    /* Field order as Go marshals VerificationRequest/AbortPromotionRequest. */
    bool control_plane = w->user == NULL;
    const char *idkey = promotion ? "action" : "id";
    json_t *out = json_object();
    if (json_object_get(req, idkey))
        json_object_set(out, idkey, json_object_get(req, idkey));
    if (!control_plane) {
        char *actor = fd_xasprintf("kubernetes:%s", w->user);
        json_object_set_new(out, "actor", json_string(actor));
        free(actor);
    } else if (json_object_get(req, "actor")) {
        json_object_set(out, "actor", json_object_get(req, "actor"));
    }
    json_object_set_new(out, "controlPlane", json_boolean(control_plane));
    json_decref(req);
    req = out;
    char *text = json_dumps(req, JSON_COMPACT);
    json_object_set_new(ann, key, json_string(text));
    free(text);
    json_decref(req);
}

/* ---- Freight ---------------------------------------------------------------- */

static json_t *admit_freight(struct fd_sim_ctl *ctl, enum fd_sim_op op,
                             const struct fd_sim_resource *res, const struct fd_sim_write *w,
                             const json_t *old, json_t *obj)
{
    static const char *const immutable[] = {"origin", "commits", "images", "charts", "artifacts"};
    if (op == FD_SIM_OP_CREATE && w->user) {
        /* The mutating webhook names Freight by its contents and gives it
         * an alias. */
        char *id = fd_sim_freight_id(obj);
        json_object_set_new(json_object_get(obj, "metadata"), "name", json_string(id));
        json_object_del(json_object_get(obj, "metadata"), "generateName");
        free(id);
        if (!fd_sim_str(obj, "alias")) {
            char *alias = fd_sim_alias(fd_sim_rand(&ctl->rng));
            json_object_set_new(obj, "alias", json_string(alias));
            free(alias);
        }
    }
    if (op == FD_SIM_OP_UPDATE && old) {
        for (size_t i = 0; i < sizeof(immutable) / sizeof(*immutable); i++) {
            json_t *a = json_object_get(old, immutable[i]), *b = json_object_get(obj, immutable[i]);
            if ((a || b) && !(a && b && json_equal(a, b)))
                return fd_sim_status_invalid(res, fd_sim_meta(obj, "name"), immutable[i],
                                             "FieldValueInvalid", "Freight is immutable");
        }
    }
    if (op != FD_SIM_OP_DELETE) {
        /* alias <-> label, and no two Freight share an alias. */
        json_t *md = json_object_get(obj, "metadata");
        json_t *labels = json_object_get(md, "labels");
        const char *alias = fd_sim_str(obj, "alias");
        if (alias) {
            if (!json_is_object(labels)) {
                labels = json_object();
                json_object_set_new(md, "labels", labels);
            }
            json_object_set_new(labels, "kargo.akuity.io/alias", json_string(alias));
            json_t *list = fd_sim_ctl_list(ctl, FD_SIM_RES_FREIGHT, fd_sim_meta(obj, "namespace"));
            size_t i;
            json_t *f;
            json_t *conflict = NULL;
            json_array_foreach(json_object_get(list, "items"), i, f)
            {
                if (fd_streq(fd_sim_str(f, "alias"), alias) &&
                    !fd_streq(fd_sim_meta(f, "name"), fd_sim_meta(obj, "name"))) {
                    /* ValidateCreate: a field error; ValidateUpdate: a
                     * Conflict (Kargo v1.11.2 freight/webhook.go). */
                    if (op == FD_SIM_OP_CREATE) {
                        char *msg = fd_xasprintf("Invalid value: \"%s\": alias already used by "
                                                 "another piece of Freight in namespace \"%s\"",
                                                 alias, fd_sim_meta(obj, "namespace"));
                        conflict = fd_sim_status_invalid(res, fd_sim_meta(obj, "name"), "alias",
                                                         "FieldValueInvalid", msg);
                        free(msg);
                    } else {
                        conflict = fd_sim_status_new(
                            409, "Conflict", fd_sim_status_details(res, fd_sim_meta(obj, "name")),
                            "Operation cannot be fulfilled on %s \"%s\": alias \"%s\" already "
                            "used by another piece of Freight in namespace \"%s\"",
                            fd_sim_resource_gr(res), fd_sim_meta(obj, "name"), alias,
                            fd_sim_meta(obj, "namespace"));
                    }
                    break;
                }
            }
            json_decref(list);
            if (conflict)
                return conflict;
        }
    }
    return NULL;
}

static json_t *admit(struct fd_sim_ctl *ctl, enum fd_sim_op op, const struct fd_sim_resource *res,
                     const struct fd_sim_write *w, const json_t *old, json_t *obj);

json_t *fd_sim_kargo_admit(void *ud, enum fd_sim_op op, const struct fd_sim_resource *res,
                           const struct fd_sim_write *w, const json_t *old, json_t *obj)
{
    json_t *st = admit(ud, op, res, w, old, obj);
    /* The API server relays a webhook's denial under the webhook's name. */
    if (st)
        fd_sim_status_denied(st, res);
    return st;
}

static json_t *admit(struct fd_sim_ctl *ctl, enum fd_sim_op op, const struct fd_sim_resource *res,
                     const struct fd_sim_write *w, const json_t *old, json_t *obj)
{
    switch (res->id) {
    case FD_SIM_RES_PROMOTION:
        if (op == FD_SIM_OP_CREATE)
            return admit_promotion_create(ctl, res, w, obj);
        if (op == FD_SIM_OP_UPDATE && old &&
            !json_equal(json_object_get(old, "spec"), json_object_get(obj, "spec")))
            return fd_sim_status_invalid(res, fd_sim_meta(obj, "name"), "spec", "FieldValueInvalid",
                                         "spec is immutable");
        if (op == FD_SIM_OP_UPDATE)
            rewrite_request(w, old, obj, ANN_ABORT, true);
        return NULL;
    case FD_SIM_RES_FREIGHT:
        return admit_freight(ctl, op, res, w, old, obj);
    case FD_SIM_RES_STAGE:
        if (op != FD_SIM_OP_DELETE) {
            rewrite_request(w, old, obj, ANN_REVERIFY, false);
            rewrite_request(w, old, obj, ANN_ABORT, false);
        }
        return NULL;
    default:
        return NULL;
    }
}
