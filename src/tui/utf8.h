#ifndef FREIGHTDECK_TUI_UTF8_H
#define FREIGHTDECK_TUI_UTF8_H
/* utf8: decoding, encoding and cell widths for the line editor, key names and
 * the screen dump, independent of the process locale; word wrapping by cells
 * for the dialogs and the canvas. */

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s (at most len bytes). Returns the number of
 * bytes used (1-4), or 0 when the bytes are not valid UTF-8 (overlong,
 * surrogate, truncated, > U+10FFFF). */
size_t fd_tui_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes). Returns the length, 0 for an
 * invalid code point. */
size_t fd_tui_utf8_encode(uint32_t cp, char out[4]);
/* Terminal cells of one code point: 0 (combining), 1 or 2; control and
 * bidi characters (fd_term_cp_unsafe) count 1 (they are drawn as '?'). */
int fd_tui_cp_width(uint32_t cp);
/* Terminal cells of a UTF-8 string; invalid bytes count one cell each. */
size_t fd_tui_utf8_width(const char *s);
/* Word wrapping: the bytes of s (len bytes, no newline) that go on a line
 * with room cells left, lines being full cells wide. All of s when it fits;
 * else up to and including the last space that fits, so that lines break
 * between words; 0 when s starts with a word that does not fit in room but
 * fits a line of its own (the caller starts a new line). A word longer than
 * full is cut where the room ends: it must be cut somewhere. At least one
 * code point when room == full and s is not empty. */
size_t fd_tui_wrap_take(const char *s, size_t len, int room, int full);

#endif /* FREIGHTDECK_TUI_UTF8_H */
