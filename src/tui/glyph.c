/* tui/glyph.c: the glyph table in its two columns. */
#include "config.h"

#include "glyph.h"

#include <langinfo.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "freightdeck/util.h"
#include "utf8.h"

struct glyph_row {
    const char *name, *utf8, *ascii;
};

static const struct glyph_row glyphs[] = {
#define FD_TUI_GLYPH_ROW(name, utf8, ascii, help) {#name, utf8, ascii},
    FD_TUI_GLYPH_TABLE(FD_TUI_GLYPH_ROW)
#undef FD_TUI_GLYPH_ROW
};

static bool use_utf8;

void fd_tui_glyph_set_utf8(bool utf8)
{
    use_utf8 = utf8;
}

bool fd_tui_glyph_utf8(void)
{
    return use_utf8;
}

const char *fd_tui_glyph_utf8_of(enum fd_tui_glyph g)
{
    return (unsigned)g < FD_GLYPH__COUNT ? glyphs[g].utf8 : "?";
}

const char *fd_tui_glyph_ascii_of(enum fd_tui_glyph g)
{
    return (unsigned)g < FD_GLYPH__COUNT ? glyphs[g].ascii : "?";
}

const char *fd_tui_glyph_name(enum fd_tui_glyph g)
{
    return (unsigned)g < FD_GLYPH__COUNT ? glyphs[g].name : "?";
}

const char *fd_tui_glyph(enum fd_tui_glyph g)
{
    return use_utf8 ? fd_tui_glyph_utf8_of(g) : fd_tui_glyph_ascii_of(g);
}

const char *fd_tui_glyph_spark(double value)
{
    int level;

    if (!(value > 0)) /* also NaN */
        value = 0;
    if (value > 1)
        value = 1;
    level = (int)lround(value * 7.0);
    return fd_tui_glyph(FD_GLYPH_SPARK1 + level);
}

bool fd_tui_glyph_locale_is_utf8(bool ascii_forced)
{
    const char *cs;

    if (ascii_forced)
        return false;
    cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* Characters that are not glyphs but appear in text (thresholds, arrows,
 * punctuation), with their ASCII spelling. */
static const struct {
    uint32_t cp;
    const char *ascii;
} folds[] = {
    {0x2265, ">="}, {0x2264, "<="}, {0x2260, "!="},  {0x2192, "->"}, {0x2190, "<-"},
    {0x2191, "^"},  {0x2193, "v"},  {0x2026, "..."}, {0x00b7, "-"},  {0x2014, "--"},
    {0x2013, "-"},  {0x00d7, "x"},  {0x2018, "'"},   {0x2019, "'"},  {0x201c, "\""},
    {0x201d, "\""}, {0x00a0, " "},  {0x2022, "*"},   {0x00b1, "+-"}, {0x2248, "~="},
};

char *fd_tui_ascii_fold(const char *text)
{
    struct fd_buf b = FD_BUF_INIT;
    size_t len = strlen(text);

    while (len > 0) {
        uint32_t cp;
        size_t n = fd_tui_utf8_decode(text, len, &cp);
        if (n == 0) {
            fd_buf_puts(&b, "?"); /* not UTF-8: as before */
            n = 1;
        } else if (cp < 0x80) {
            fd_buf_append(&b, text, 1);
        } else {
            const char *a = NULL;
            for (size_t i = 0; !a && i < FD_ARRAY_SIZE(folds); i++)
                if (folds[i].cp == cp)
                    a = folds[i].ascii;
            for (size_t i = 0; !a && i < FD_ARRAY_SIZE(glyphs); i++) {
                uint32_t g;
                if (fd_tui_utf8_decode(glyphs[i].utf8, strlen(glyphs[i].utf8), &g) && g == cp)
                    a = glyphs[i].ascii;
            }
            /* Never '?', which means Inconclusive on this screen. */
            fd_buf_puts(&b, a ? a : "_");
        }
        text += n;
        len -= n;
    }
    return fd_buf_steal(&b);
}
