/* tests/fuzz/fuzz_sim_request.c: the simulated API server's request
 * handling, without sockets.
 *
 * Input: "METHOD TARGET\n" (TARGET = path?query), then "Header: value"
 * lines (Content-Type, Accept, Authorization) up to an empty line, then the
 * body. Every input runs against a fresh store holding a namespace "demo"
 * and a Stage "prod", so patches, updates, deletes and watches reach real
 * objects. A watch response is streamed once without waiting. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/sim.h"
#include "freightdeck/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void seed(struct fd_sim_api *api)
{
    static const char ns[] =
        "{\"metadata\":{\"name\":\"demo\",\"labels\":{\"kargo.akuity.io/project\":\"true\"}}}";
    static const char stage[] =
        "{\"apiVersion\":\"kargo.akuity.io/v1alpha1\",\"kind\":\"Stage\",\"metadata\":{\"name\":"
        "\"prod\",\"labels\":{\"tier\":\"prod\"}},\"spec\":{\"shard\":\"a\",\"requestedFreight\":[{"
        "\"origin\":{\"kind\":\"Warehouse\",\"name\":\"w\"},\"sources\":{\"direct\":true}}]}}";
    struct fd_sim_request a = {"POST", "/api/v1/namespaces", NULL, "application/json", NULL, NULL,
                               ns,     sizeof(ns) - 1};
    struct fd_sim_request b = {"POST", "/apis/kargo.akuity.io/v1alpha1/namespaces/demo/stages",
                               NULL,   "application/json",
                               NULL,   NULL,
                               stage,  sizeof(stage) - 1};
    struct fd_sim_response r;
    fd_sim_api_handle(api, &a, &r);
    fd_sim_response_free(&r);
    fd_sim_api_handle(api, &b, &r);
    fd_sim_response_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fd_xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';

    /* Request line. */
    char *nl = memchr(text, '\n', size);
    size_t line_end = nl ? (size_t)(nl - text) : size;
    char *line = fd_xstrndup(text, line_end);
    char *sp = strchr(line, ' ');
    const char *method = line;
    char *target = sp ? sp + 1 : line + strlen(line);
    if (sp)
        *sp = '\0';
    char *q = strchr(target, '?');
    if (q)
        *q++ = '\0';

    /* Headers. */
    char *ctype = NULL, *accept = NULL, *auth = NULL;
    size_t pos = nl ? line_end + 1 : size;
    while (pos < size) {
        char *e = memchr(text + pos, '\n', size - pos);
        size_t len = e ? (size_t)(e - (text + pos)) : size - pos;
        char *h = fd_xstrndup(text + pos, len);
        pos += len + (e ? 1 : 0);
        if (!h[0]) {
            free(h);
            break;
        }
        char *colon = strchr(h, ':');
        if (colon) {
            *colon = '\0';
            char *v = colon + 1;
            while (*v == ' ')
                v++;
            char **slot = strcasecmp(h, "Content-Type") == 0    ? &ctype
                          : strcasecmp(h, "Accept") == 0        ? &accept
                          : strcasecmp(h, "Authorization") == 0 ? &auth
                                                                : NULL;
            if (slot) {
                free(*slot);
                *slot = fd_xstrdup(v);
            }
        }
        free(h);
    }

    struct fd_sim_api *api = fd_sim_api_new(16);
    seed(api);
    char **query = fd_sim_query_parse(q);
    struct fd_sim_request req = {
        method, target, (const char *const *)query,       ctype,
        accept, auth,   text + (pos < size ? pos : size), pos < size ? size - pos : 0};
    struct fd_sim_response resp;
    fd_sim_api_handle(api, &req, &resp);
    if (resp.code < 200 || resp.code > 599)
        abort(); /* every answer is an HTTP status */
    if (resp.watch) {
        struct fd_buf out = FD_BUF_INIT;
        fd_sim_response_stream(api, &resp, &out, 0);
        fd_buf_free(&out);
    } else if (!resp.body || resp.body_len != strlen(resp.body)) {
        abort(); /* a plain answer always has a body */
    }
    fd_sim_response_free(&resp);
    fd_sim_query_free(query);
    fd_sim_api_free(api);
    free(ctype);
    free(accept);
    free(auth);
    free(line);
    free(text);
    return 0;
}
