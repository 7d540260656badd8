#ifndef FREIGHTDECK_TUI_CURSES_H
#define FREIGHTDECK_TUI_CURSES_H
/* The one way src/tui includes curses: always the wide-character API. No
 * module outside src/tui includes this header or curses itself. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#endif /* FREIGHTDECK_TUI_CURSES_H */
