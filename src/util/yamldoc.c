/* util/yamldoc.c: manifests, `kubectl get -o yaml` output and recorded
 * runs (YAML or JSON) into jansson values, read by util's YAML converter
 * with the scalar typing Kubernetes' YAML library (go-yaml v2) applies. */
#include "config.h"

#include "freightdeck/yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* path's bytes, at most max: a regular file through fd_read_file; a pipe
 * (`--replay <(kubectl get ... -o yaml)`, a FIFO) or a device read to its
 * end, waiting for its writer as `kubectl -f` does. */
static enum fd_status read_path(const char *path, size_t max, struct fd_buf *b, const char **why)
{
    struct stat st;
    int fd;
    enum fd_status rst;

    if (stat(path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return fd_read_file(path, max, b, why); /* (which names what is wrong) */
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        *why = strerror(errno);
        return FD_IO;
    }
    rst = fd_read_fd(fd, "input", max, b, why);
    close(fd);
    return rst;
}

/* A whole file (or standard input for "-"), at most FD_YAML_MANIFEST_MAX
 * bytes, parsed by fd_yaml_manifests. NULL with *err as there. */
static json_t *manifest_file(const char *path, char **err)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *why = NULL;
    json_t *docs;
    bool is_stdin = strcmp(path, "-") == 0;
    enum fd_status st = is_stdin ? fd_read_fd(STDIN_FILENO, "input", FD_YAML_MANIFEST_MAX, &b, &why)
                                 : read_path(path, FD_YAML_MANIFEST_MAX, &b, &why);

    *err = NULL;
    if (st != FD_OK) {
        *err = fd_xasprintf("%s: %s", is_stdin ? "<stdin>" : path, why);
        fd_buf_free(&b);
        return NULL;
    }
    docs = fd_yaml_manifests(b.data, b.len, is_stdin ? "<stdin>" : path, err);
    fd_buf_free(&b);
    return docs;
}

/* The items array of a List as kubectl writes one (kind List,
 * AnalysisRunList, ...), or of a document without a kind that holds one
 * (what jq or an API's list answer trimmed by hand leaves). */
static const json_t *list_items(const json_t *doc)
{
    const json_t *k = json_object_get(doc, "kind");
    const char *kind = json_string_value(k);
    const json_t *items = json_object_get(doc, "items");
    size_t n = kind ? strlen(kind) : 0;

    if (!json_is_array(items))
        return NULL;
    return !k || (n >= 4 && strcmp(kind + n - 4, "List") == 0) ? items : NULL;
}

json_t *fd_yaml_manifest_objects(const char *path, char **err)
{
    json_t *docs = manifest_file(path, err);
    json_t *flat, *d;
    const json_t *items;
    size_t i;

    if (!docs)
        return NULL;
    flat = json_array();
    json_array_foreach(docs, i, d)
    {
        if (json_is_array(d))
            json_array_extend(flat, d);
        else if ((items = list_items(d)))
            json_array_extend(flat, (json_t *)(uintptr_t)items);
        else
            json_array_append(flat, d);
    }
    json_decref(docs);
    return flat;
}
