/* tui/console-settings.c: the console's settings from the config file. */
#include "config.h"

#include "console.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/yaml.h"

/* ---- Settings ------------------------------------------------------------------------ */

static bool yaml_bool(const char *s, bool *out)
{
    if (fd_streq(s, "true") || fd_streq(s, "yes") || fd_streq(s, "on")) {
        *out = true;
        return true;
    }
    if (fd_streq(s, "false") || fd_streq(s, "no") || fd_streq(s, "off")) {
        *out = false;
        return true;
    }
    return false;
}

/* The `console:` section:
 *   console:
 *     readonly: false
 *     production: ["prod*", "live-*"]   # Stage name globs
 *     notify: both                      # bell | osc9 | both | none
 *     contexts:
 *       prod-eu-1: {readonly: true}
 * Returns NULL or an error message (caller frees). */
char *fd_tui_console_load_settings(struct fd_tui_console *c, struct fd_config *conf)
{
    struct fd_yaml *y = &conf->y;
    char *err = NULL;

    yaml_node_t *con = fd_config_section(conf, "console"), *v;
    if (con && con->type != YAML_MAPPING_NODE)
        err = fd_yaml_error(y, con, "console: must be a mapping");
    if (!err && (v = fd_yaml_map_get(y, con, "readonly"))) {
        bool b;
        if (!yaml_bool(fd_yaml_scalar(v), &b))
            err = fd_yaml_error(y, v, "console.readonly: must be true or false");
        else if (b && !c->readonly) {
            c->readonly = true;
            c->readonly_why = fd_xstrdup("config: console.readonly");
        }
    }
    if (!err && (v = fd_yaml_map_get(y, con, "production"))) {
        if (v->type == YAML_SCALAR_NODE) {
            for (size_t i = 0; i < c->n_production; i++)
                free(c->production[i]);
            c->production[0] = fd_xstrdup(fd_yaml_scalar(v));
            c->n_production = 1;
        } else if (v->type == YAML_SEQUENCE_NODE) {
            size_t k = 0, cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
            for (size_t i = 0; i < c->n_production; i++)
                free(c->production[i]);
            c->production = fd_xreallocarray(c->production, cnt + 1, sizeof(char *));
            for (yaml_node_item_t *it = v->data.sequence.items.start;
                 it < v->data.sequence.items.top; it++) {
                const char *s = fd_yaml_scalar(fd_yaml_node(y, *it));
                if (s)
                    c->production[k++] = fd_xstrdup(s);
            }
            c->n_production = k;
        } else {
            err = fd_yaml_error(y, v, "console.production: must be a glob or a list of globs");
        }
    }
    if (!err && (v = fd_yaml_map_get(y, con, "notify"))) {
        const char *s = fd_yaml_scalar(v);
        if (fd_streq(s, "bell") || fd_streq(s, "osc9") || fd_streq(s, "both") ||
            fd_streq(s, "none")) {
            c->bell = fd_streq(s, "bell") || fd_streq(s, "both");
            c->osc9 = fd_streq(s, "osc9") || fd_streq(s, "both");
        } else {
            err = fd_yaml_error(y, v, "console.notify: must be bell, osc9, both or none");
        }
    }
    if (!err && (v = fd_yaml_map_get(y, con, "prometheus")) && !c->prometheus) {
        const char *s = fd_yaml_scalar(v);
        char *perr = NULL;
        if (!s || fd_prom_check_address(s, &perr) != FD_OK)
            err = fd_yaml_error(y, v,
                                "console.prometheus: must be a URL with a scheme and a "
                                "host (http://prometheus:9090)");
        else {
            c->prometheus = fd_xstrdup(s);
            c->prometheus_from = fd_xstrdup("console.prometheus");
        }
        free(perr);
    }
    if (!err && c->context &&
        (v = fd_yaml_map_get(y, fd_yaml_map_get(y, con, "contexts"), c->context)) &&
        (v = fd_yaml_map_get(y, v, "readonly"))) {
        bool b;
        if (!yaml_bool(fd_yaml_scalar(v), &b))
            err = fd_yaml_error(y, v, "readonly: must be true or false");
        else if (b && !c->readonly) {
            c->readonly = true;
            c->readonly_why = fd_xasprintf("config: console.contexts.%s.readonly", c->context);
        }
    }
    return err;
}
