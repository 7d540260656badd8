/* tui/utf8.c: UTF-8 without the locale, and word wrapping by cells. */
#include "config.h"

#include "utf8.h"

#include <string.h>
#include <wchar.h>

#include "freightdeck/util.h"

size_t fd_tui_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c, min;
    size_t n;

    if (len == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if ((u[0] & 0xe0) == 0xc0) {
        n = 2, c = u[0] & 0x1f, min = 0x80;
    } else if ((u[0] & 0xf0) == 0xe0) {
        n = 3, c = u[0] & 0x0f, min = 0x800;
    } else if ((u[0] & 0xf8) == 0xf0) {
        n = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

size_t fd_tui_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
        return 0;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    } else if (cp <= 0x10ffff) {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
    }
    return 0;
}

int fd_tui_cp_width(uint32_t cp)
{
    int w;

    if (fd_term_cp_unsafe(cp))
        return 1; /* drawn as '?' */
    if (cp < 0x7f)
        return 1;
    /* wcwidth knows the Unicode tables when the locale is a UTF-8 one; in
     * the C locale it says -1 for everything non-ASCII, so count one. */
    w = wcwidth((wchar_t)cp);
    if (w < 0)
        return 1;
    return w;
}

size_t fd_tui_utf8_width(const char *s)
{
    size_t len = strlen(s), w = 0;

    while (len > 0) {
        uint32_t cp;
        size_t n = fd_tui_utf8_decode(s, len, &cp);
        if (n == 0) {
            n = 1;
            w += 1;
        } else {
            w += (size_t)fd_tui_cp_width(cp);
        }
        s += n;
        len -= n;
    }
    return w;
}

/* Cells of the word at s (up to a space or len bytes). */
static int word_cells(const char *s, size_t len)
{
    int cells = 0;

    for (size_t i = 0; i < len && s[i] != ' ';) {
        uint32_t cp = 0;
        size_t n = fd_tui_utf8_decode(s + i, len - i, &cp);
        cells += n ? fd_tui_cp_width(cp) : 1;
        i += n ? n : 1;
    }
    return cells;
}

size_t fd_tui_wrap_take(const char *s, size_t len, int room, int full)
{
    size_t take = 0, last_space = 0;
    int cells = 0;

    while (take < len) {
        uint32_t cp = 0;
        size_t n = fd_tui_utf8_decode(s + take, len - take, &cp);
        int w = n ? fd_tui_cp_width(cp) : 1;
        if (!n)
            n = 1;
        if (cells + w > room) {
            /* A space may stand past the edge: the line still ends there. */
            if (cp == ' ')
                return take + n;
            break;
        }
        cells += w;
        take += n;
        if (cp == ' ')
            last_space = take;
    }
    if (take == len)
        return len;
    /* The word across the edge goes to the next line, unless no line
     * could hold it: then it is cut here, where it must be cut anyway. */
    if (word_cells(s + last_space, len - last_space) <= full)
        return last_space;
    if (take == 0) {
        /* Not even one code point fits: take one, so the text moves on. */
        uint32_t cp;
        size_t n = fd_tui_utf8_decode(s, len, &cp);
        return n ? n : 1;
    }
    return take;
}
