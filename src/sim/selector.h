#ifndef FD_SIM_SELECTOR_H
#define FD_SIM_SELECTOR_H
/*
 * sim/selector.h: label selectors (=, ==, !=, in, notin, exists, !key) and
 * field selectors (metadata.name, metadata.namespace with =, ==, !=) in the
 * syntax of k8s.io/apimachinery/pkg/labels and pkg/fields.
 */

#include <jansson.h>
#include <stdbool.h>

struct fd_sim_selector;

/* Parses a label selector; "" or NULL selects everything. Returns NULL on a
 * syntax error and sets *err to a message the caller frees. */
struct fd_sim_selector *fd_sim_label_selector_parse(const char *text, char **err);
/* Parses a field selector over metadata.name and metadata.namespace. */
struct fd_sim_selector *fd_sim_field_selector_parse(const char *text, char **err);
/* Whether obj matches (labels from metadata.labels, or the fields). A NULL
 * selector matches everything. */
bool fd_sim_selector_matches(const struct fd_sim_selector *sel, const json_t *obj);
/* The value required by `field=value` (e.g. metadata.name), or NULL. */
const char *fd_sim_selector_equals(const struct fd_sim_selector *sel, const char *key);
bool fd_sim_selector_empty(const struct fd_sim_selector *sel);
void fd_sim_selector_free(struct fd_sim_selector *sel);

#endif
