/* util/yamldoc.c: manifests, `kubectl get -o yaml` output and recorded
 * runs (YAML or JSON) into jansson values, read by util's YAML converter
 * with the scalar typing Kubernetes' YAML library (go-yaml v2) applies. */
#include "config.h"

#include "freightdeck/yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *fd_yaml_manifests(const char *text, size_t len, const char *file, char **err)
{
    static const struct fd_yaml_json_opts kube = {
        .typing = FD_YAML_TYPING_KUBE,
        .aliases = FD_YAML_ALIASES_EXPAND,
        .skip_null_documents = true,
        .json_fast_path = true,
        .nul_in_strings = true, /* (as kubectl -o yaml writes one) */
    };

    return fd_yaml_json_documents(text, len, file, &kube, err);
}

json_t *fd_yaml_manifest_file(const char *path, char **err)
{
    FILE *f;
    struct fd_buf b = FD_BUF_INIT;
    char chunk[65536];
    size_t n;
    json_t *docs;
    bool is_stdin = strcmp(path, "-") == 0;

    *err = NULL;
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    if (ferror(f)) {
        *err = fd_xasprintf("%s: %s", path, strerror(errno ? errno : EIO));
        if (!is_stdin)
            fclose(f);
        fd_buf_free(&b);
        return NULL;
    }
    if (!is_stdin)
        fclose(f);
    docs = fd_yaml_manifests(b.data ? b.data : "", b.len, is_stdin ? "<stdin>" : path, err);
    fd_buf_free(&b);
    return docs;
}
