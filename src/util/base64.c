/* util/base64.c: base64 through libcrypto (EVP_EncodeBlock / EVP_DecodeBlock). */
#include "config.h"

#include "freightdeck/util.h"

#include <limits.h>
#include <stdlib.h>

#include <openssl/evp.h>

char *fd_base64_encode(const void *data, size_t n)
{
    char *out;

    if (n > (size_t)INT_MAX / 4 * 3)
        fd_fatal("base64: %zu bytes is too much to encode", n);
    out = fd_xmalloc((n + 2) / 3 * 4 + 1);
    EVP_EncodeBlock((unsigned char *)out, data, (int)n);
    return out;
}

unsigned char *fd_base64_decode(const char *text, size_t n, unsigned flags, size_t *len)
{
    char *clean = fd_xmalloc(n + 4);
    unsigned char *out = NULL;
    size_t m = 0, pad = 0;
    int got;

    /* The symbols alone (whitespace skipped, URL-safe ones translated), then
     * the padding, which may only end the text. */
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if ((flags & FD_BASE64_SPACE) && (c == ' ' || c == '\n' || c == '\r' || c == '\t'))
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad)
            goto out; /* a symbol after padding */
        if ((flags & FD_BASE64_URL) && (c == '-' || c == '_'))
            c = c == '-' ? '+' : '/';
        clean[m++] = c;
    }
    /* A last group of 1 symbol is no byte; given padding must complete it. */
    if (m % 4 == 1 || (pad && (m + pad) % 4 != 0) || pad > 2)
        goto out;
    pad = (4 - m % 4) % 4;
    for (size_t i = 0; i < pad; i++)
        clean[m++] = '=';
    if (m > (size_t)INT_MAX)
        goto out;
    out = fd_xmalloc(m / 4 * 3 + 1);
    /* EVP_DecodeBlock refuses what is not base64, and counts the bytes of
     * the padding as zeros: they are taken off again. */
    got = m ? EVP_DecodeBlock(out, (const unsigned char *)clean, (int)m) : 0;
    if (got < 0) {
        explicit_bzero(out, m / 4 * 3 + 1);
        free(out);
        out = NULL;
        goto out;
    }
    *len = (size_t)got - pad;
    out[*len] = '\0';
out:
    explicit_bzero(clean, n + 4);
    free(clean);
    return out;
}
