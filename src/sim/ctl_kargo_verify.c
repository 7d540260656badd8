/* sim/ctl_kargo_verify.c: the emulated Stage verification: AnalysisRuns for the
 * Stage's current Freight, the reverify and abort annotations (pkg/controller/stages). */
#include "config.h"

#include "ctl_kargo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"
#include "misc.h"
#include "names.h"

/* ---- verification ----------------------------------------------------------- */

static bool terminal_verification(const char *phase)
{
    return fd_streq(phase, "Successful") || fd_streq(phase, "Failed") || fd_streq(phase, "Error") ||
           fd_streq(phase, "Aborted") || fd_streq(phase, "Inconclusive");
}

static void mark_verified(struct fd_sim_ctl *ctl, const char *ns, const char *stage,
                          const json_t *coll, int64_t now)
{
    const char *k;
    json_t *ref;
    json_object_foreach(json_object_get(fd_sim_mut(coll), "items"), k, ref)
    {
        json_t *f = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, fd_sim_str(ref, "name"));
        if (!f)
            continue;
        json_t *st = fd_sim_kargo_status_copy(f);
        json_t *vi = fd_sim_child(st, "verifiedIn");
        if (!json_object_get(vi, stage)) {
            char *ts = fd_sim_clock_stamp(&ctl->clock, now);
            json_object_set_new(vi, stage, json_pack("{s:s}", "verifiedAt", ts));
            free(ts);
            fd_sim_ctl_put_status(ctl, FD_SIM_RES_FREIGHT, f, st);
        }
        json_decref(st);
        json_decref(f);
    }
}

/* The Kargo functions' object lookup (fd_expr_kargo_objects.get) over the
 * sim's store: a copy of the object of kind called name in namespace ns
 * (the project's, or the shared resources namespace), or NULL when there is
 * none. */
struct store_lookup {
    struct fd_sim_ctl *ctl;
    const char *ns;
};

static json_t *store_get(void *ud, const char *kind, const char *ns, const char *name, char **err)
{
    const struct store_lookup *l = ud;
    const char *api =
        fd_streq(kind, "ConfigMap") || fd_streq(kind, "Secret") ? "v1" : "kargo.akuity.io/v1alpha1";
    const struct fd_sim_resource *r = fd_sim_resource_by_kind(api, kind);

    *err = NULL;
    return r ? fd_sim_ctl_get(l->ctl, r->id, ns ? ns : l->ns, name) : NULL;
}

/* buildSpec: the Stage's templates flattened, its verification args
 * evaluated (spec.vars first) and merged over the templates' (mergeArgs).
 * Returns the AnalysisRun spec, or NULL with *err as Kargo words it after
 * "error building AnalysisRun ...: ". */
static json_t *build_spec(struct fd_sim_ctl *ctl, const json_t *stage, const json_t *ver,
                          char **err)
{
    const char *ns = fd_sim_meta(stage, "namespace");
    const json_t *refs = json_object_get(ver, "analysisTemplates");
    json_t **tpl = fd_xcalloc(json_array_size(refs) + 1, sizeof(*tpl));
    json_t *spec = NULL;
    size_t n_tpl = 0;

    for (size_t i = 0; i < json_array_size(refs); i++) {
        const json_t *t = json_array_get(refs, i);
        const char *tn = fd_sim_str(t, "name");
        bool cluster = fd_streq(fd_sim_str(t, "kind"), "ClusterAnalysisTemplate");
        tpl[n_tpl] = fd_sim_ctl_get(
            ctl, cluster ? FD_SIM_RES_CLUSTERANALYSISTEMPLATE : FD_SIM_RES_ANALYSISTEMPLATE, ns,
            tn);
        if (!tpl[n_tpl]) {
            /* Kargo's own words, "AnalysisRun" for the template included. */
            *err = cluster ? fd_xasprintf("get analysis templates: get ClusterAnalysisRun \"%s\": "
                                          "clusteranalysistemplates.argoproj.io \"%s\" not found",
                                          tn ? tn : "", tn ? tn : "")
                           : fd_xasprintf("get analysis templates: get AnalysisRun \"%s\" in "
                                          "namespace \"%s\": analysistemplates.argoproj.io "
                                          "\"%s\" not found",
                                          tn ? tn : "", ns ? ns : "", tn ? tn : "");
            goto out;
        }
        n_tpl++;
    }
    struct store_lookup lookup = {ctl, ns};
    struct fd_expr_kargo_objects objs = {.project = ns, .get = store_get, .ud = &lookup};
    struct fd_analysis_kargo_build b;
    if (fd_analysis_kargo_build(tpl, n_tpl, NULL, stage, NULL, 0, &objs, &b, err)) {
        spec = json_incref(b.spec);
        fd_analysis_kargo_build_free(&b);
    }
    fd_expr_kargo_objects_clear(&objs);
out:
    for (size_t k = 0; k < n_tpl; k++)
        json_decref(tpl[k]);
    free(tpl);
    return spec;
}

/* Starts a verification of the Stage's current collection: a new
 * VerificationInfo on top of coll's history, with an AnalysisRun built from
 * the Stage's templates (none: Successful at once). */
static void start_verification(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st,
                               json_t *coll, const char *actor, int64_t now)
{
    const char *ns = fd_sim_meta(stage, "namespace"), *sname = fd_sim_meta(stage, "name");
    const json_t *ver = json_object_get(json_object_get(stage, "spec"), "verification");
    json_t *hist = json_object_get(coll, "verificationHistory");
    if (!json_is_array(hist)) {
        hist = json_array();
        json_object_set_new(coll, "verificationHistory", hist);
    }
    char uid[37];
    fd_sim_uuid(uid);
    char *ts = fd_sim_clock_stamp(&ctl->clock, now);
    json_t *vi = json_pack("{s:s,s:s}", "id", uid, "startTime", ts);
    if (actor)
        json_object_set_new(vi, "actor", json_string(actor));
    if (!json_array_size(json_object_get(ver, "analysisTemplates"))) {
        json_object_set_new(vi, "phase", json_string("Successful"));
        json_object_set_new(vi, "finishTime", json_string(ts));
        json_array_insert_new(hist, 0, vi);
        mark_verified(ctl, ns, sname, coll, now);
        free(ts);
        return;
    }
    /* The AnalysisRun as Kargo's AnalysisRunBuilder builds it: the templates
     * flattened and the args evaluated by the code `analyze --stage` uses
     * (analysis/kargo_verify.c), merged over the templates' args; Kargo's
     * labels. */
    char *berr = NULL;
    json_t *spec = build_spec(ctl, stage, ver, &berr);
    if (!spec) {
        json_object_set_new(vi, "phase", json_string("Error"));
        char *msg =
            fd_xasprintf("error building AnalysisRun for Stage \"%s\" and Freight "
                         "collection \"%s\" in namespace \"%s\": %s",
                         sname, fd_sim_str(coll, "id") ? fd_sim_str(coll, "id") : "", ns, berr);
        json_object_set_new(vi, "message", json_string(msg));
        json_object_set_new(vi, "finishTime", json_string(ts));
        free(msg);
        free(berr);
        json_array_insert_new(hist, 0, vi);
        free(ts);
        return;
    }
    char ulid[27];
    fd_sim_ulid(fd_sim_clock_wall(&ctl->clock, now), &ctl->rng, ulid);
    const char *cid = fd_sim_str(coll, "id");
    char *name = fd_sim_kargo_name(sname, ulid, cid);
    json_t *labels = json_pack("{s:s,s:s}", "kargo.akuity.io/stage", sname,
                               "kargo.akuity.io/freight-collection", cid);
    json_t *annotations = json_object();
    const json_t *arm = json_object_get(ver, "analysisRunMetadata");
    json_object_update(labels, json_object_get(arm, "labels"));
    json_object_update(annotations, json_object_get(arm, "annotations"));
    const char *last_promo = fd_sim_str(json_object_get(st, "lastPromotion"), "name");
    if (last_promo && !actor)
        json_object_set_new(annotations, "kargo.akuity.io/promotion", json_string(last_promo));
    json_t *owners = json_array();
    const char *k;
    json_t *ref;
    const char *version = NULL;
    json_object_foreach(json_object_get(coll, "items"), k, ref)
    {
        json_t *f = fd_sim_ctl_get(ctl, FD_SIM_RES_FREIGHT, ns, fd_sim_str(ref, "name"));
        if (f) {
            json_array_append_new(
                owners, json_pack("{s:s,s:s,s:s,s:s}", "apiVersion", "kargo.akuity.io/v1alpha1",
                                  "kind", "Freight", "name", fd_sim_meta(f, "name"), "uid",
                                  fd_sim_meta(f, "uid") ? fd_sim_meta(f, "uid") : ""));
            json_decref(f);
        }
        if (!version)
            version = fd_sim_str(json_array_get(json_object_get(ref, "images"), 0), "tag");
    }
    json_t *ar =
        json_pack("{s:s,s:s,s:{s:s,s:s,s:o,s:o,s:o},s:o}", "apiVersion", "argoproj.io/v1alpha1",
                  "kind", "AnalysisRun", "metadata", "name", name, "namespace", ns, "labels",
                  labels, "annotations", annotations, "ownerReferences", owners, "spec", spec);
    json_t *made = fd_sim_ctl_create(ctl, FD_SIM_RES_ANALYSISRUN, ns, ar);
    json_decref(ar);
    if (made && version)
        fd_sim_ctl_set_subject(ctl, ns, name, version);
    json_object_set_new(vi, "phase", json_string(made ? "Pending" : "Error"));
    json_object_set_new(vi, "analysisRun",
                        json_pack("{s:s,s:s,s:s}", "name", name, "namespace", ns, "phase", ""));
    json_decref(made);
    json_array_insert_new(hist, 0, vi);
    free(name);
    free(ts);
}

/* A reverify / abort request: the JSON form the webhook writes, or the
 * plain ID. Returns the ID (borrowed from *req) and the actor. */
static const char *request_id(const char *value, json_t **req, const char **actor)
{
    *req = NULL;
    *actor = NULL;
    if (!value)
        return NULL;
    if (value[0] == '{') {
        *req = json_loads(value, 0, NULL);
        *actor = fd_sim_str(*req, "actor");
        return fd_sim_str(*req, "id");
    }
    return value;
}

void fd_sim_kargo_verify(struct fd_sim_ctl *ctl, const json_t *stage, json_t *st, bool healthy,
                         bool promoting, int64_t now)
{
    const char *ns = fd_sim_meta(stage, "namespace"), *sname = fd_sim_meta(stage, "name");
    json_t *coll = json_array_get(json_object_get(st, "freightHistory"), 0);
    if (!coll || promoting)
        return;
    json_t *hist = json_object_get(coll, "verificationHistory");
    json_t *last = json_array_get(hist, 0);
    json_t *req;
    const char *actor;

    if (!last) {
        if (healthy)
            start_verification(ctl, stage, st, coll, NULL, now);
        return;
    }
    const char *phase = fd_sim_str(last, "phase");
    const char *id = fd_sim_str(last, "id");
    const json_t *arref = json_object_get(last, "analysisRun");
    if (!terminal_verification(phase)) {
        const char *rid = request_id(fd_sim_annotation(stage, ANN_ABORT), &req, &actor);
        char *ts = fd_sim_clock_stamp(&ctl->clock, now);
        if (rid && fd_streq(rid, id)) {
            json_t *ar = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, fd_sim_str(arref, "namespace"),
                                        fd_sim_str(arref, "name"));
            if (ar) {
                json_object_set_new(fd_sim_child(ar, "spec"), "terminate", json_true());
                fd_sim_ctl_put(ctl, FD_SIM_RES_ANALYSISRUN, ar);
                json_decref(ar);
            }
            json_object_set_new(last, "phase", json_string("Failed"));
            json_object_set_new(last, "message", json_string("Verification aborted by user"));
            json_object_set_new(last, "finishTime", json_string(ts));
            if (actor)
                json_object_set_new(last, "actor", json_string(actor));
        } else if (arref) {
            json_t *ar = fd_sim_ctl_get(ctl, FD_SIM_RES_ANALYSISRUN, fd_sim_str(arref, "namespace"),
                                        fd_sim_str(arref, "name"));
            const json_t *ars = json_object_get(ar, "status");
            const char *arphase = fd_sim_str(ars, "phase");
            if (!ar) {
                json_object_set_new(last, "phase", json_string("Error"));
                json_object_set_new(last, "message", json_string("AnalysisRun not found"));
                json_object_set_new(last, "finishTime", json_string(ts));
            } else if (arphase && arphase[0]) {
                json_object_set_new(json_object_get(last, "analysisRun"), "phase",
                                    json_string(arphase));
                json_object_set_new(last, "phase", json_string(arphase));
                if (fd_sim_str(ars, "message"))
                    json_object_set_new(last, "message", json_string(fd_sim_str(ars, "message")));
                if (terminal_verification(arphase)) {
                    json_object_set_new(last, "finishTime",
                                        json_string(fd_sim_str(ars, "completedAt")
                                                        ? fd_sim_str(ars, "completedAt")
                                                        : ts));
                    if (fd_streq(arphase, "Successful"))
                        mark_verified(ctl, ns, sname, coll, now);
                }
            }
            json_decref(ar);
        }
        json_decref(req);
        free(ts);
        return;
    }
    /* Terminal: a reverify naming it starts a new one (when healthy). */
    const char *rid = request_id(fd_sim_annotation(stage, ANN_REVERIFY), &req, &actor);
    if (rid && fd_streq(rid, id) && healthy)
        start_verification(ctl, stage, st, coll, actor, now);
    json_decref(req);
}
