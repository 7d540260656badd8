/* tests/fuzz/fuzz_kubeconfig.c: kubeconfig parsing and resolution, and the
 * ExecCredential parser (inputs starting with '{'). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/kube/internal.h"
#include "freightdeck/kube.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load(const uint8_t *data, size_t size, const char *context)
{
    struct fd_kube_load_opts opts = {.context = context};
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err;

    if (fd_kube_config_load_buffer("/fuzz/kubeconfig", data, size, &opts, &cfg, &err) == FD_OK) {
        /* Everything a resolved config promises. */
        if (!cfg->server || !cfg->namespace || strncmp(cfg->server, "http", 4) != 0)
            abort();
        fd_kube_config_free(cfg);
    } else if (!err.message[0]) {
        abort(); /* every failure says why */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == '{') {
        struct fd_kube_config cfg = {0};
        struct fd_kube_exec exec = {.api_version =
                                        (char *)(uintptr_t) "client.authentication.k8s.io/v1"};
        struct fd_kube_exec_result res;
        struct fd_kube_error err;
        cfg.exec = &exec;
        if (fd_kube_exec_parse(&cfg, "fuzz", (const char *)data, size, &res, &err) == FD_OK)
            fd_kube_exec_result_clear(&res);
    }
    load(data, size, NULL);
    load(data, size, "prod");
    return 0;
}
