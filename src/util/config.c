/* util/config.c: the config file, read and parsed once for every part that
 * takes a section of it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "freightdeck/yaml.h"

char *fd_config_path(const char *path, bool *explicit_path)
{
    const char *env = getenv("FREIGHTDECK_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");

    *explicit_path = true;
    if (path)
        return fd_xstrdup(path);
    if (env && *env)
        return fd_xstrdup(env);
    *explicit_path = false;
    /* The XDG Base Directory rule: a relative XDG_CONFIG_HOME is ignored. */
    if (xdg && xdg[0] == '/')
        return fd_xasprintf("%s/freightdeck/config.yaml", xdg);
    if (home && *home)
        return fd_xasprintf("%s/.config/freightdeck/config.yaml", home);
    return NULL;
}

/* Parses text into cfg, which takes path and shown. */
static enum fd_status parse(struct fd_config *cfg, char *path, char *shown, const char *text,
                            size_t len, char **err)
{
    cfg->path = path;
    cfg->shown = shown;
    return fd_yaml_load(&cfg->y, text, len, cfg->shown, err);
}

enum fd_status fd_config_load_buffer(struct fd_config *cfg, const char *name, const char *text,
                                     size_t len, char **err)
{
    memset(cfg, 0, sizeof(*cfg));
    *err = NULL;
    cfg->explicit_path = true;
    return parse(cfg, fd_xstrdup(name), fd_xstrdup(name), text, len, err);
}

enum fd_status fd_config_load(struct fd_config *cfg, const char *path, char **err)
{
    bool explicit_path;
    char *file = fd_config_path(path, &explicit_path);
    struct fd_buf b = FD_BUF_INIT;
    const char *why = NULL;
    enum fd_status st;

    memset(cfg, 0, sizeof(*cfg));
    *err = NULL;
    if (!file)
        return FD_OK;
    st = fd_read_file(file, FD_CONFIG_MAX, &b, &why);
    if (st != FD_OK) {
        if (st == FD_IO && errno == ENOENT && !explicit_path) {
            free(file);
            return FD_OK; /* no config file: every default */
        }
        if (st == FD_IO && errno == ENOENT)
            st = FD_NOT_FOUND;
        *err = st == FD_LIMIT ? fd_xasprintf("%s: larger than %u bytes", file, FD_CONFIG_MAX)
                              : fd_xasprintf("%s: %s", file, why ? why : "cannot read");
        fd_buf_free(&b);
        free(file);
        return st;
    }
    cfg->explicit_path = explicit_path;
    st = parse(cfg, file, fd_display_path(file), b.data, b.len, err);
    fd_buf_free(&b);
    return st;
}

yaml_node_t *fd_config_section(struct fd_config *cfg, const char *key)
{
    return fd_yaml_map_get(&cfg->y, fd_yaml_root(&cfg->y), key);
}

void fd_config_free(struct fd_config *cfg)
{
    fd_yaml_free(&cfg->y);
    free(cfg->path);
    free(cfg->shown);
    cfg->path = cfg->shown = NULL;
}
