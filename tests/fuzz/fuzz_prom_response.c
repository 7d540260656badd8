/* tests/fuzz/fuzz_prom_response.c: the Prometheus response parser on
 * arbitrary bytes. The first byte picks the HTTP status, the rest is the body.
 * Checks that a parse either fails with a message or yields a value string
 * that agrees with the values (count of commas, brackets). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int codes[] = {200, 200, 200, 200, 204, 400, 422, 401, 404, 500, 503, 302};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fd_prom_result r;
    char *err = NULL;
    int code = size ? codes[data[0] % (sizeof(codes) / sizeof(codes[0]))] : 200;
    const char *body = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;

    if (fd_prom_parse(body, len, code, &r, &err) != FD_OK) {
        if (!err || !*err)
            abort(); /* every failure explains itself */
        free(err);
        return 0;
    }
    size_t vlen = strlen(r.value);
    if (r.type == FD_PROM_VECTOR) {
        size_t commas = 0;
        for (size_t i = 0; i < vlen; i++)
            commas += r.value[i] == ',';
        if (r.value[0] != '[' || r.value[vlen - 1] != ']' ||
            commas != (r.n_values ? r.n_values - 1 : 0))
            abort();
    } else if (r.n_values != 1 || strchr(r.value, 'e') || strchr(r.value, ',')) {
        abort(); /* one value, never an exponent */
    }
    fd_prom_result_free(&r);
    return 0;
}
