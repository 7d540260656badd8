/* tests/fuzz/fuzz_term_sanitize.c: the terminal sanitiser on arbitrary bytes.
 *
 * Checks, with and without newlines kept: the output is valid UTF-8, holds
 * no code point fd_term_cp_unsafe refuses (no ESC, CR, C1, bidi control;
 * LF only when kept), and is never longer than the input. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A strict UTF-8 decoder, written apart from the one under test. */
static size_t next(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (!n || len < n)
        abort();
    *cp = s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            abort();
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    if (*cp < (n == 2   ? 0x80u
               : n == 3 ? 0x800u
                        : 0x10000u) ||
        *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
        abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int keep = 0; keep < 2; keep++) {
        struct fd_buf b = FD_BUF_INIT;
        fd_term_sanitize(&b, (const char *)data, size, keep);
        if (b.len > size)
            abort();
        const unsigned char *p = (const unsigned char *)fd_buf_cstr(&b);
        size_t left = b.len;
        while (left) {
            uint32_t cp;
            size_t n = next(p, left, &cp);
            if (fd_term_cp_unsafe(cp) && !(keep && cp == '\n'))
                abort();
            p += n;
            left -= n;
        }
        fd_buf_free(&b);
    }
    return 0;
}
