#ifndef FD_SIM_RESOURCES_H
#define FD_SIM_RESOURCES_H
/*
 * sim/resources.h: the one table of resources the simulated API server
 * serves. Discovery, routing, authorisation and the loader all read it, so a
 * resource is added in exactly one place.
 */

#include <stdbool.h>
#include <stddef.h>

/* _(id, group, version, kind, plural, singular, short names ("a,b" or ""),
 *   namespaced, status subresource, verbs ("" = full CRUD), printer columns:
 *   "Name:jsonpath;Name:jsonpath" with the AGE column last, as the CRDs say) */
/* clang-format off */
#define FD_SIM_RESOURCE_TABLE(_)                                                                  \
    _(NAMESPACE, "", "v1", "Namespace", "namespaces", "namespace", "ns", false, true, "",         \
      "Status:.status.phase;Age:.metadata.creationTimestamp")                                    \
    _(PROJECT, "kargo.akuity.io", "v1alpha1", "Project", "projects", "project", "", false, true, \
      "",                                                                                         \
      "Ready:.status.conditions[?(@.type==\"Ready\")].status;"                                    \
      "Status:.status.conditions[?(@.type==\"Ready\")].message;Age:.metadata.creationTimestamp")  \
    _(STAGE, "kargo.akuity.io", "v1alpha1", "Stage", "stages", "stage", "", true, true, "",       \
      "Shard:.spec.shard;Current Freight:.status.freightSummary;Health:.status.health.status;"    \
      "Ready:.status.conditions[?(@.type==\"Ready\")].status;"                                    \
      "Status:.status.conditions[?(@.type==\"Ready\")].message;Age:.metadata.creationTimestamp")  \
    _(FREIGHT, "kargo.akuity.io", "v1alpha1", "Freight", "freights", "freight", "", true, true,  \
      "",                                                                                         \
      "Alias:.metadata.labels.kargo\\.akuity\\.io/alias;Origin (Kind):.origin.kind;"              \
      "Origin (Name):.origin.name;Age:.metadata.creationTimestamp")                              \
    _(WAREHOUSE, "kargo.akuity.io", "v1alpha1", "Warehouse", "warehouses", "warehouse", "", true, \
      true, "", "Shard:.spec.shard;Age:.metadata.creationTimestamp")                             \
    _(PROMOTION, "kargo.akuity.io", "v1alpha1", "Promotion", "promotions", "promotion",          \
      "promo,promos", true, true, "",                                                             \
      "Shard:.metadata.labels.kargo\\.akuity\\.io/shard;Stage:.spec.stage;"                       \
      "Freight:.spec.freight;Phase:.status.phase;Age:.metadata.creationTimestamp")               \
    _(PROJECTCONFIG, "kargo.akuity.io", "v1alpha1", "ProjectConfig", "projectconfigs",           \
      "projectconfig", "", true, true, "",                                                        \
      "Ready:.status.conditions[?(@.type==\"Ready\")].status;"                                    \
      "Status:.status.conditions[?(@.type==\"Ready\")].message;Age:.metadata.creationTimestamp")  \
    _(PROMOTIONTASK, "kargo.akuity.io", "v1alpha1", "PromotionTask", "promotiontasks",           \
      "promotiontask", "promotask,promotasks", true, false, "", "Age:.metadata.creationTimestamp") \
    _(CLUSTERPROMOTIONTASK, "kargo.akuity.io", "v1alpha1", "ClusterPromotionTask",                \
      "clusterpromotiontasks", "clusterpromotiontask", "clusterpromotask,clusterpromotasks", false, \
      false, "", "Age:.metadata.creationTimestamp")                                              \
    _(ROLLOUT, "argoproj.io", "v1alpha1", "Rollout", "rollouts", "rollout", "ro", true, true, "", \
      "Desired:.spec.replicas;Current:.status.replicas;Up-to-date:.status.updatedReplicas;"       \
      "Available:.status.availableReplicas;Age:.metadata.creationTimestamp")                     \
    _(ANALYSISRUN, "argoproj.io", "v1alpha1", "AnalysisRun", "analysisruns", "analysisrun", "ar", \
      true, false, "", "Status:.status.phase;Age:.metadata.creationTimestamp")                   \
    _(ANALYSISTEMPLATE, "argoproj.io", "v1alpha1", "AnalysisTemplate", "analysistemplates",      \
      "analysistemplate", "at", true, false, "", "Age:.metadata.creationTimestamp")              \
    _(CLUSTERANALYSISTEMPLATE, "argoproj.io", "v1alpha1", "ClusterAnalysisTemplate",             \
      "clusteranalysistemplates", "clusteranalysistemplate", "cat", false, false, "",             \
      "Age:.metadata.creationTimestamp")                                                          \
    _(SELFSUBJECTACCESSREVIEW, "authorization.k8s.io", "v1", "SelfSubjectAccessReview",          \
      "selfsubjectaccessreviews", "", "", false, false, "create", "")                              \
    _(DEPLOYMENT, "apps", "v1", "Deployment", "deployments", "deployment", "deploy", true, true,  \
      "", "Ready:.status.readyReplicas;Age:.metadata.creationTimestamp")                         \
    _(EVENT, "", "v1", "Event", "events", "event", "ev", true, false, "",                        \
      "Type:.type;Reason:.reason;Object:.involvedObject.name;Message:.message;"                   \
      "Age:.metadata.creationTimestamp")                                                          \
    _(CONFIGMAP, "", "v1", "ConfigMap", "configmaps", "configmap", "cm", true, false, "",        \
      "Age:.metadata.creationTimestamp")                                                          \
    _(SECRET, "", "v1", "Secret", "secrets", "secret", "", true, false, "",                      \
      "Type:.type;Age:.metadata.creationTimestamp")                                               \
    _(REPLICASET, "apps", "v1", "ReplicaSet", "replicasets", "replicaset", "rs", true, true, "", \
      "Desired:.spec.replicas;Current:.status.replicas;Ready:.status.readyReplicas;"               \
      "Age:.metadata.creationTimestamp")
/* clang-format on */

enum fd_sim_resource_id {
#define FD_SIM_RES_ENUM(id, ...) FD_SIM_RES_##id,
    FD_SIM_RESOURCE_TABLE(FD_SIM_RES_ENUM)
#undef FD_SIM_RES_ENUM
        FD_SIM_RES__COUNT
};

struct fd_sim_resource {
    enum fd_sim_resource_id id;
    const char *group; /* "" for the core group */
    const char *version;
    const char *kind;
    const char *plural;
    const char *singular;
    const char *short_names; /* comma-separated, "" when none */
    bool namespaced;
    bool has_status;   /* a /status subresource exists */
    const char *verbs; /* "" = get,list,watch,create,update,patch,delete */
    const char *columns;
};

extern const struct fd_sim_resource fd_sim_resources[FD_SIM_RES__COUNT];

/* The resource served at group/version under plural; NULL when none. */
const struct fd_sim_resource *fd_sim_resource_find(const char *group, const char *version,
                                                   const char *plural);
/* The resource with this apiVersion ("v1", "g/v") and kind; NULL when none. */
const struct fd_sim_resource *fd_sim_resource_by_kind(const char *api_version, const char *kind);
/* "g/v" or "v" for the core group: a static string per resource. */
const char *fd_sim_resource_api_version(const struct fd_sim_resource *r);
/* "stages.kargo.akuity.io", or "namespaces" for the core group, as error
 * messages name a resource (schema.GroupResource.String()). Static. */
const char *fd_sim_resource_gr(const struct fd_sim_resource *r);
/* Whether the resource supports a verb (get, list, watch, create, ...). */
bool fd_sim_resource_allows(const struct fd_sim_resource *r, const char *verb);

#endif
