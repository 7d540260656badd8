/* cli/cmd-analyze-stage.c: `freightdeck analyze --stage PROJECT/STAGE`: a dry run of
 * the Stage's verification, its templates and args read from the cluster. */
#include "config.h"

#include "cmd-analyze.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/cli.h"
#include "freightdeck/client.h"
#include "freightdeck/kube.h"
#include "freightdeck/model.h"
#include "freightdeck/util.h"

/* ---- --stage: a Stage's verification from the cluster --------------------- */
/* GETs path and parses the object. Returns it, or NULL after printing the
 * error (what names the object for a 404). */
static json_t *kube_get(struct fd_kube_config *cfg, const char *path, const char *what)
{
    struct fd_kube_response resp;
    struct fd_kube_error kerr;
    enum fd_status st = fd_kube_request(cfg, "GET", path, NULL, NULL, &resp, &kerr);
    json_t *obj = NULL;

    if (st == FD_NOT_FOUND)
        fd_cli_analyze_fail("%s not found (%s%s)", what, cfg->server, path);
    else if (st != FD_OK)
        fd_cli_analyze_fail("%s: %s", what, kerr.message);
    else if (!(obj = fd_json_load_outside(resp.body, resp.body_len, 0, NULL)) ||
             !json_is_object(obj)) {
        fd_cli_analyze_fail("%s: %s%s answered something that is not a JSON object", what,
                            cfg->server, path);
        json_decref(obj);
        obj = NULL;
    }
    fd_kube_response_free(&resp);
    return obj;
}

/* The Freight being verified: the Stage's current collection. */
static char *current_freight(const json_t *stage)
{
    const json_t *fc =
        json_array_get(json_object_get(json_object_get(stage, "status"), "freightHistory"), 0);
    const json_t *items = json_object_get(fc, "items");
    struct fd_buf b = FD_BUF_INIT;
    const char *key;
    const json_t *ref;

    json_object_foreach((json_t *)(uintptr_t)items, key, ref)
    {
        const char *name = json_string_value(json_object_get(ref, "name"));
        fd_buf_printf(&b, "%s%s (%s)", b.len ? ", " : "", name ? name : "?", key);
    }
    if (!b.len) {
        fd_buf_free(&b);
        return NULL;
    }
    return fd_buf_steal(&b);
}

int fd_cli_analyze_cmd_stage(struct opts *o)
{
    const char *slash = strchr(o->stage, '/');
    char *project, *name, *label = NULL, *err = NULL, *freight = NULL;
    struct fd_kube_load_opts lo;
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error kerr;
    json_t *stage = NULL, *docs = NULL;
    json_t **templates = NULL;
    size_t n_templates = 0;
    struct fd_analysis_arg *args = NULL, *user_args = o->args;
    size_t n_args = 0, n_user = o->n_args;
    bool *used = NULL, *user_flags = NULL, *user_used = o->arg_used;
    struct fd_client_kargo_reader reader;
    struct fd_expr_kargo_objects objs;
    struct fd_analysis_kargo_build b;
    int code = EXIT_ERROR;

    memset(&reader, 0, sizeof(reader));
    memset(&b, 0, sizeof(b));
    memset(&objs, 0, sizeof(objs));
    if (!slash || slash == o->stage || !slash[1])
        return fd_cli_usage_error(CMD, "--stage %s: expected PROJECT/STAGE", o->stage);
    project = fd_xstrndup(o->stage, (size_t)(slash - o->stage));
    name = fd_xstrdup(slash + 1);
    if (!fd_model_name_valid(project) || !fd_model_name_valid(name)) {
        code = fd_cli_usage_error(CMD,
                                  "--stage %s: a project and a Stage name are lowercase "
                                  "DNS names",
                                  o->stage);
        goto out;
    }
    memset(&lo, 0, sizeof(lo));
    lo.kubeconfig = o->kubeconfig;
    lo.context = o->context;
    if (fd_kube_config_load(&lo, &cfg, &kerr) != FD_OK) {
        fd_cli_analyze_fail("%s", kerr.message);
        goto out;
    }
    char *path =
        fd_xasprintf("/apis/kargo.akuity.io/v1alpha1/namespaces/%s/stages/%s", project, name);
    char *what = fd_xasprintf("Stage \"%s\" in project \"%s\"", name, project);
    stage = kube_get(cfg, path, what);
    free(path);
    free(what);
    if (!stage)
        goto out;
    if (!o->expr_flag_set && !o->expr_config_set) {
        /* The Stage's AnalysisRuns are judged by the Argo Rollouts
         * controller of this cluster: its release says which expr. */
        struct fd_analysis_expr_choice detected;
        fd_client_detect_expr(cfg, NULL, NULL, &detected);
        fd_cli_analyze_choose_expr(o, &detected);
    }
    const json_t *ver = json_object_get(json_object_get(stage, "spec"), "verification");
    const json_t *refs = json_object_get(ver, "analysisTemplates");
    freight = current_freight(stage);
    if (!json_array_size(refs)) {
        /* Kargo records an immediate Successful verification. */
        if (o->output == OUT_JSON) {
            json_t *j = json_pack("{ss ss s[]}", "phase", "Successful", "message",
                                  "the Stage has no verification: Kargo marks its Freight "
                                  "verified at once",
                                  "templates");
            fd_cli_analyze_print_json(j);
            json_decref(j);
        } else {
            printf("Stage %s/%s has no verification (spec.verification.analysisTemplates): "
                   "Kargo marks its Freight verified at once\nverdict: Successful\n",
                   project, name);
        }
        code = EXIT_SUCCESSFUL;
        goto out;
    }
    templates = fd_xcalloc(json_array_size(refs) + 1, sizeof(*templates));
    struct fd_buf names = FD_BUF_INIT;
    for (size_t i = 0; i < json_array_size(refs); i++) {
        const json_t *ref = json_array_get(refs, i);
        const char *tn = json_string_value(json_object_get(ref, "name"));
        const char *kind = json_string_value(json_object_get(ref, "kind"));
        bool cluster = fd_streq(kind, "ClusterAnalysisTemplate");
        if (!tn || !fd_model_name_valid(tn)) {
            fd_cli_analyze_fail("Stage %s/%s: spec.verification.analysisTemplates[%zu].name: %s",
                                project, name, i, tn ? "not a valid object name" : "missing");
            fd_buf_free(&names);
            goto out;
        }
        char *tpath = cluster ? fd_xasprintf("/apis/argoproj.io/v1alpha1/"
                                             "clusteranalysistemplates/%s",
                                             tn)
                              : fd_xasprintf("/apis/argoproj.io/v1alpha1/namespaces/%s/"
                                             "analysistemplates/%s",
                                             project, tn);
        char *twhat =
            cluster ? fd_xasprintf("ClusterAnalysisTemplate \"%s\"", tn)
                    : fd_xasprintf("AnalysisTemplate \"%s\" in namespace \"%s\"", tn, project);
        templates[n_templates] = kube_get(cfg, tpath, twhat);
        free(tpath);
        free(twhat);
        if (!templates[n_templates]) {
            fd_buf_free(&names);
            goto out;
        }
        n_templates++;
        fd_buf_printf(&names, "%s%s %s", i ? ", " : "",
                      cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate", tn);
    }
    label = fd_xasprintf("%s/%s", project, name);
    fd_client_kargo_reader_init(&reader, cfg, project);
    fd_client_kargo_objects(&objs, &reader);
    /* Kargo's errors as its AnalysisRunBuilder words them (the Stage's
     * verification shows the same) */
    if (!fd_analysis_kargo_build(templates, n_templates, label, stage, o->args, o->n_args, &objs,
                                 &b, &err)) {
        fd_cli_analyze_fail("Stage %s: %s", label, err);
        fd_buf_free(&names);
        goto out;
    }
    args = b.args;
    n_args = b.n_args;
    if (o->output == OUT_TEXT) {
        printf("Stage %s verification: %s\n", label, fd_buf_cstr(&names));
        printf("  freight: %s\n", freight ? freight : "none (status.freightHistory is empty)");
    }
    fd_buf_free(&names);
    /* The Stage's args stand in for --arg; only the user's are checked
     * against the templates. */
    used = fd_xcalloc(n_args + 1, sizeof(bool));
    user_flags = fd_xcalloc(n_args + 1, sizeof(bool));
    for (size_t i = 0; i < n_args; i++)
        for (size_t k = 0; k < n_user; k++)
            if (fd_streq(args[i].name, user_args[k].name))
                user_flags[i] = true;
    o->args = args;
    o->n_args = n_args;
    o->arg_used = used;
    o->secrets = objs.secrets;
    o->user_arg = user_flags;
    docs = json_array();
    json_array_append(docs, b.flat);
    code = fd_cli_analyze_run_docs(o, docs, label, "Stage verification");
    o->args = user_args;
    o->n_args = n_user;
    o->arg_used = user_used;
    o->user_arg = NULL;
    o->secrets = NULL;
out:
    fd_expr_kargo_objects_clear(&objs);
    fd_client_kargo_reader_free(&reader);
    fd_analysis_kargo_build_free(&b); /* (args are b's) */
    free(used);
    free(user_flags);
    json_decref(docs);
    for (size_t i = 0; i < n_templates; i++)
        json_decref(templates[i]);
    free(templates);
    json_decref(stage);
    fd_kube_config_free(cfg);
    free(freight);
    free(err);
    free(label);
    free(project);
    free(name);
    return code;
}
