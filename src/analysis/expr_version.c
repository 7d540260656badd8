/* analysis/expr_version.c: which expr release judges, from what is known of
 * the Argo Rollouts controller (each release's go.mod: v1.7 to v1.9 require
 * github.com/antonmedv/expr v1.15.5, v1.10 github.com/expr-lang/expr v1.17). */
#include "config.h"

#include "freightdeck/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const source_names[] = {
#define FD_ANALYSIS_EXPR_SOURCE_NAME(id, name, help) name,
    FD_ANALYSIS_EXPR_SOURCE_TABLE(FD_ANALYSIS_EXPR_SOURCE_NAME)
#undef FD_ANALYSIS_EXPR_SOURCE_NAME
};

const char *fd_analysis_expr_source_name(enum fd_analysis_expr_source s)
{
    return (unsigned)s < FD_ANALYSIS_EXPR__COUNT ? source_names[s] : "unknown";
}

static bool number(const char **p, long *out)
{
    char *end;

    if (**p < '0' || **p > '9')
        return false;
    *out = strtol(*p, &end, 10);
    *p = end;
    return true;
}

bool fd_analysis_expr_version_for_release(const char *release, enum fd_expr_version *out)
{
    const char *p = release;
    long major, minor;

    if (!p)
        return false;
    if (*p == 'v')
        p++;
    if (!number(&p, &major) || *p++ != '.' || !number(&p, &minor))
        return false;
    if (*p && *p != '.' && *p != '-' && *p != '+')
        return false;
    *out = major == 1 && minor < 10 ? FD_EXPR_V1_15 : FD_EXPR_V1_17;
    return true;
}

bool fd_analysis_expr_detect(const json_t *deployment, struct fd_analysis_expr_choice *out)
{
    const json_t *meta = json_object_get(deployment, "metadata");
    const char *ns = json_string_value(json_object_get(meta, "namespace"));
    const char *name = json_string_value(json_object_get(meta, "name"));
    const json_t *containers = json_object_get(
        json_object_get(json_object_get(json_object_get(deployment, "spec"), "template"), "spec"),
        "containers");
    const json_t *c;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->source = FD_ANALYSIS_EXPR_DEFAULT;
    json_array_foreach(containers, i, c)
    {
        const char *image = json_string_value(json_object_get(c, "image"));
        if (!image || !strstr(image, "argo-rollouts"))
            continue;
        /* repo[:tag][@digest]: the tag follows the last ':' after the last '/' */
        char ref[200];
        snprintf(ref, sizeof(ref), "%s", image);
        char *at = strchr(ref, '@');
        if (at)
            *at = '\0';
        char *slash = strrchr(ref, '/');
        char *colon = strrchr(slash ? slash : ref, ':');
        enum fd_expr_version v;
        if (!colon || !fd_analysis_expr_version_for_release(colon + 1, &v)) {
            snprintf(out->why, sizeof(out->why),
                     "the image %s of Deployment %s/%s names no release", image, ns ? ns : "",
                     name ? name : "");
            return false;
        }
        out->version = v;
        out->source = FD_ANALYSIS_EXPR_DETECTED;
        snprintf(out->why, sizeof(out->why), "argo-rollouts %s (Deployment %s/%s)", colon + 1,
                 ns ? ns : "", name ? name : "");
        return true;
    }
    snprintf(out->why, sizeof(out->why), "Deployment %s/%s has no argo-rollouts container",
             ns ? ns : "", name ? name : "");
    return false;
}

void fd_analysis_expr_choose(bool flag_set, enum fd_expr_version flag, bool config_set,
                             enum fd_expr_version config, const char *config_where,
                             const struct fd_analysis_expr_choice *detected,
                             struct fd_analysis_expr_choice *out)
{
    memset(out, 0, sizeof(*out));
    if (flag_set) {
        out->version = flag;
        out->source = FD_ANALYSIS_EXPR_FLAG;
        snprintf(out->why, sizeof(out->why), "--expr-version %s", fd_expr_version_name(flag));
    } else if (config_set) {
        out->version = config;
        out->source = FD_ANALYSIS_EXPR_CONFIG;
        snprintf(out->why, sizeof(out->why), "argoRollouts.exprVersion %s%s%s",
                 fd_expr_version_name(config), config_where ? " at " : "",
                 config_where ? config_where : "");
    } else if (detected && detected->source == FD_ANALYSIS_EXPR_DETECTED) {
        *out = *detected;
    } else {
        /* why is a bounded field: the detection's reason is cut to fit */
        static const char assumed[] = "Argo Rollouts v1.10 or later assumed";
        out->version = FD_EXPR_V1_17;
        out->source = FD_ANALYSIS_EXPR_DEFAULT;
        if (detected && detected->why[0])
            snprintf(out->why, sizeof(out->why), "%s: %.*s", assumed,
                     (int)(sizeof(out->why) - sizeof(assumed) - 2), detected->why);
        else
            snprintf(out->why, sizeof(out->why), "%s", assumed);
    }
}

char *fd_analysis_expr_choice_text(const struct fd_analysis_expr_choice *c)
{
    return fd_xasprintf("expr %s (%s: %s)", fd_expr_version_name(c->version),
                        fd_analysis_expr_source_name(c->source), c->why);
}
