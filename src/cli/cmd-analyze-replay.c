/* cli/cmd-analyze-replay.c: `freightdeck analyze --replay`: a recorded AnalysisRun
 * replayed with changed conditions and limits. */
#include "config.h"

#include "cmd-analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/analysis.h"
#include "freightdeck/util.h"
#include "freightdeck/yaml.h"

/* ---- Replay --------------------------------------------------------------- */
int fd_cli_analyze_cmd_replay(struct opts *o)
{
    char *err = NULL;
    json_t *docs = fd_yaml_manifest_objects(o->replay, &err);
    const json_t *doc = NULL;
    size_t i, n_runs = 0;
    json_t *d;
    struct fd_analysis_run *run;
    struct fd_analysis_replay rep;
    int code;

    if (!docs) {
        code = fd_cli_analyze_fail("%s", err);
        free(err);
        return code;
    }
    json_array_foreach(docs, i, d)
    {
        if (fd_streq(json_string_value(json_object_get(d, "kind")), "AnalysisRun")) {
            if (!doc)
                doc = d;
            n_runs++;
        }
    }
    if (n_runs != 1) {
        json_decref(docs);
        return fd_cli_analyze_fail("%s: %s", o->replay,
                                   n_runs ? "holds several AnalysisRuns; --replay takes one"
                                          : "holds no AnalysisRun (kind: AnalysisRun)");
    }
    run = fd_analysis_run_from_json(doc, &err);
    json_decref(docs);
    if (!run) {
        code = fd_cli_analyze_fail("%s: %s", o->replay, err);
        free(err);
        return code;
    }
    run->expr_version = o->expr.version; /* what re-judges a changed condition */
    if (fd_analysis_replay(run, o->sets, o->n_sets, &rep, &err) != FD_OK) {
        fd_analysis_run_free(run);
        code = fd_cli_analyze_fail("%s: %s", o->replay, err);
        free(err);
        return code;
    }
    size_t *ignored = fd_xcalloc(rep.run->n_metrics + 1, sizeof(size_t));
    size_t n_ignored = 0;
    for (size_t s = 0; s < rep.n_steps; s++) {
        if (rep.steps[s].ignored && rep.steps[s].metric < rep.run->n_metrics) {
            ignored[rep.steps[s].metric]++;
            n_ignored++;
        }
    }
    if (o->output == OUT_JSON) {
        json_t *j = fd_cli_analyze_run_json(rep.run, ignored, false);
        json_t *w = json_array();
        for (size_t k = 0; k < rep.n_warnings; k++)
            json_array_append_new(w, json_string(rep.warnings[k]));
        json_object_set_new(j, "warnings", w);
        json_object_set_new(j, "expr", fd_cli_analyze_expr_json(o));
        fd_cli_analyze_print_json(j);
        json_decref(j);
    } else {
        printf(
            "AnalysisRun %s%s%s%s: replayed %zu measurement(s), %zu ignored; recorded phase %s\n",
            run->name ? run->name : "(unnamed)", run->namespace ? " (namespace " : "",
            run->namespace ? run->namespace : "", run->namespace ? ")" : "", rep.n_steps, n_ignored,
            run->phase ? fd_analysis_phase_name(run->phase) : "(none)");
        fd_cli_analyze_print_run_text(rep.run, ignored);
        for (size_t k = 0; k < rep.n_warnings; k++)
            printf("note: %s\n", rep.warnings[k]);
        fd_cli_analyze_print_expr(o);
    }
    code = fd_cli_analyze_exit_for(rep.run->phase);
    free(ignored);
    fd_analysis_replay_free(&rep);
    fd_analysis_run_free(run);
    return code;
}
