/* util/term.c: text from a cluster made safe to show on a terminal. */
#include "config.h"

#include "freightdeck/util.h"

#include <stdlib.h>
#include <string.h>

void fd_utf8_encode(struct fd_buf *b, uint32_t r)
{
    char u[4];

    if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
        r = 0xfffd;
    if (r < 0x80) {
        fd_buf_putc(b, (char)r);
    } else if (r < 0x800) {
        u[0] = (char)(0xc0 | (r >> 6));
        u[1] = (char)(0x80 | (r & 0x3f));
        fd_buf_append(b, u, 2);
    } else if (r < 0x10000) {
        u[0] = (char)(0xe0 | (r >> 12));
        u[1] = (char)(0x80 | ((r >> 6) & 0x3f));
        u[2] = (char)(0x80 | (r & 0x3f));
        fd_buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xf0 | (r >> 18));
        u[1] = (char)(0x80 | ((r >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((r >> 6) & 0x3f));
        u[3] = (char)(0x80 | (r & 0x3f));
        fd_buf_append(b, u, 4);
    }
}

size_t fd_utf8_decode(const char *text, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t c;
    size_t n;

    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        c = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        c = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

void fd_utf8_cut(char *buf, size_t size, int n)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
    size_t end;

    if (n < 0 || (size_t)n < size || size < sizeof(ellipsis))
        return;
    end = size - sizeof(ellipsis); /* room for "…" and the NUL */
    /* back to the start of the sequence the cut falls in, then past every
     * whole one before it */
    size_t at = 0;
    while (at < end) {
        uint32_t cp;
        size_t w = fd_utf8_decode(buf + at, end - at, &cp);
        if (w == 0) {
            if (fd_utf8_decode(buf + at, size - 1 - at, &cp) > 0)
                break; /* a whole sequence the cut would split */
            w = 1;     /* (a byte that starts none: kept as it was) */
        }
        at += w;
    }
    memcpy(buf + at, ellipsis, sizeof(ellipsis));
}

bool fd_term_cp_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || /* C0, DEL, C1 */
           cp == 0x061c || cp == 0x200e || cp == 0x200f ||         /* ALM, LRM, RLM */
           (cp >= 0x202a && cp <= 0x202e) ||                       /* LRE .. RLO */
           (cp >= 0x2066 && cp <= 0x2069);                         /* LRI .. PDI */
}

void fd_term_sanitize(struct fd_buf *out, const char *text, size_t len, bool keep_newlines)
{
    const unsigned char *s = (const unsigned char *)text;

    if (!text)
        return;
    while (len > 0) {
        uint32_t cp;
        size_t n = fd_utf8_decode((const char *)s, len, &cp);
        if (n == 0) {
            fd_buf_putc(out, '?');
            n = 1;
        } else if (cp == '\n' && keep_newlines) {
            fd_buf_putc(out, '\n');
        } else if (cp == '\t') {
            fd_buf_putc(out, ' ');
        } else if (fd_term_cp_unsafe(cp)) {
            fd_buf_putc(out, '?');
        } else {
            fd_buf_append(out, s, n);
        }
        s += n;
        len -= n;
    }
}

char *fd_term_safe(const char *text)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_buf_puts(&b, ""); /* "" for NULL or empty, never NULL */
    if (text)
        fd_term_sanitize(&b, text, strlen(text), false);
    return fd_buf_steal(&b);
}

void fd_term_sanitize_inplace(char *text, bool keep_newlines)
{
    struct fd_buf b = FD_BUF_INIT;
    char *safe;

    if (!text)
        return;
    fd_buf_puts(&b, "");
    fd_term_sanitize(&b, text, strlen(text), keep_newlines);
    safe = fd_buf_steal(&b);
    /* Never longer: every unsafe sequence becomes one byte. */
    memcpy(text, safe, strlen(safe) + 1);
    free(safe);
}
