/* tests/fuzz/fuzz_eval_jsonl.c: feeds arbitrary bytes to the `eval --jsonl`
 * line handler, one input line per newline, as the command does, with both
 * expr versions. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;

    if (size > 8192)
        return 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (len) { /* judged with both expr versions */
            char *out = fd_expr_jsonl_line(p, len);
            free(out);
            out = fd_expr_jsonl_line_at(p, len, FD_EXPR_V1_15);
            free(out);
        }
        p += len + 1;
    }
    return 0;
}
