/* tui/glyph.c: the glyph table in its two columns. */
#include "config.h"

#include "glyph.h"

#include <langinfo.h>
#include <math.h>
#include <strings.h>

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
