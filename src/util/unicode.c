/* util/unicode.c: Go's unicode package (and strconv.IsPrint) by ICU.
 *
 * expr's lexer reads identifiers by unicode.IsLetter and IsDigit and skips
 * unicode.IsSpace, its upper() and lower() are unicode.ToUpper and ToLower,
 * trim() cuts IsSpace, and Go's %q and %#U quote what IsPrint refuses. All
 * of them are the Unicode Character Database's general categories and
 * simple case mappings, which ICU carries; ICU 72 and Go 1.26 are both
 * Unicode 15.0, and were compared equal for every code point. */
#include "config.h"

#include "freightdeck/util.h"

#include <unicode/uchar.h>

/* ASCII answers without ICU: the lexer asks for every byte of a source. */

bool fd_unicode_is_letter(uint32_t r)
{
    if (r < 0x80)
        return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    return r <= 0x10FFFF && (U_GET_GC_MASK((UChar32)r) & U_GC_L_MASK) != 0;
}

bool fd_unicode_is_digit(uint32_t r)
{
    if (r < 0x80)
        return r >= '0' && r <= '9';
    return r <= 0x10FFFF && u_charType((UChar32)r) == U_DECIMAL_DIGIT_NUMBER;
}

bool fd_unicode_is_space(uint32_t r)
{
    if (r < 0x80)
        return r == ' ' || (r >= '\t' && r <= '\r');
    return r <= 0x10FFFF && u_isUWhiteSpace((UChar32)r);
}

bool fd_unicode_is_print(uint32_t r)
{
    if (r < 0x80)
        return r >= ' ' && r < 0x7F;
    return r <= 0x10FFFF && (U_GET_GC_MASK((UChar32)r) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK |
                                                          U_GC_P_MASK | U_GC_S_MASK)) != 0;
}

uint32_t fd_unicode_to_upper(uint32_t r)
{
    if (r < 0x80)
        return r >= 'a' && r <= 'z' ? r - 32 : r;
    return r <= 0x10FFFF ? (uint32_t)u_toupper((UChar32)r) : r;
}

uint32_t fd_unicode_to_lower(uint32_t r)
{
    if (r < 0x80)
        return r >= 'A' && r <= 'Z' ? r + 32 : r;
    return r <= 0x10FFFF ? (uint32_t)u_tolower((UChar32)r) : r;
}
