/* tests/unit/test_tui_edit.c: the line editor, UTF-8 helpers, glyphs and
 * the wake pipe. */
#include "config.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "check_main.h"
#include "freightdeck/tui.h"
#include "../../src/tui/glyph.h"
#include "../../src/tui/lineedit.h"
#include "../../src/tui/tui-curses.h"
#include "../../src/tui/utf8.h"

static void type(struct fd_tui_lineedit *le, const char *keys)
{
    size_t len = strlen(keys);

    while (len) {
        uint32_t cp;
        size_t n = fd_tui_utf8_decode(keys, len, &cp);
        ck_assert_uint_gt(n, 0);
        fd_tui_lineedit_key(le, (fd_tui_key)cp);
        keys += n;
        len -= n;
    }
}

#define LEFT  FD_KEY_CURSES(KEY_LEFT)
#define RIGHT FD_KEY_CURSES(KEY_RIGHT)
#define BS    FD_KEY_CURSES(KEY_BACKSPACE)

START_TEST(editing_is_utf8_aware)
{
    struct fd_tui_lineedit le;

    fd_tui_lineedit_init(&le, 0);
    fd_tui_lineedit_start(&le, NULL);
    type(&le, "stagé 日本");
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "stagé 日本");
    ck_assert_int_eq(fd_tui_lineedit_key(&le, BS), FD_EDIT_CHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "stagé 日");
    for (int i = 0; i < 3; i++)
        fd_tui_lineedit_key(&le, LEFT);
    /* The cursor is before "é": delete it with Del. */
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_CURSES(KEY_DC)), FD_EDIT_CHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "stag 日");
    type(&le, "e");
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "stage 日");
    fd_tui_lineedit_key(&le, FD_KEY_CTRL('a'));
    ck_assert_int_eq(fd_tui_lineedit_key(&le, LEFT), FD_EDIT_UNCHANGED);
    ck_assert_int_eq(fd_tui_lineedit_key(&le, BS), FD_EDIT_UNCHANGED);
    type(&le, ":");
    fd_tui_lineedit_key(&le, FD_KEY_CTRL('e'));
    type(&le, " prod");
    ck_assert_str_eq(fd_tui_lineedit_text(&le), ":stage 日 prod");
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_CTRL('w')), FD_EDIT_CHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), ":stage 日 ");
    for (int i = 0; i < 3; i++)
        fd_tui_lineedit_key(&le, LEFT);
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_CTRL('k')), FD_EDIT_CHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), ":stage");
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_CTRL('u')), FD_EDIT_CHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "");
    /* Backspace on an empty line closes the prompt; Esc always does. */
    ck_assert_int_eq(fd_tui_lineedit_key(&le, BS), FD_EDIT_CANCEL);
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_ESC), FD_EDIT_CANCEL);
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_ENTER), FD_EDIT_SUBMIT);
    /* Function keys and controls are not text. */
    ck_assert_int_eq(fd_tui_lineedit_key(&le, FD_KEY_CURSES(KEY_F(3))), FD_EDIT_UNCHANGED);
    ck_assert_int_eq(fd_tui_lineedit_key(&le, 0x85), FD_EDIT_UNCHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "");
    fd_tui_lineedit_free(&le);
}
END_TEST

START_TEST(history)
{
    struct fd_tui_lineedit le;
    const fd_tui_key up = FD_KEY_CURSES(KEY_UP), down = FD_KEY_CURSES(KEY_DOWN);

    fd_tui_lineedit_init(&le, 2);
    fd_tui_lineedit_history_add(&le, "one");
    fd_tui_lineedit_history_add(&le, "two");
    fd_tui_lineedit_history_add(&le, "two");   /* no duplicate */
    fd_tui_lineedit_history_add(&le, "three"); /* "one" falls off */
    fd_tui_lineedit_history_add(&le, "");
    ck_assert_uint_eq(le.nhistory, 2);
    fd_tui_lineedit_start(&le, NULL);
    type(&le, "dra");
    ck_assert_int_eq(fd_tui_lineedit_key(&le, up), FD_EDIT_CHANGED);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "three");
    fd_tui_lineedit_key(&le, up);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "two");
    ck_assert_int_eq(fd_tui_lineedit_key(&le, up), FD_EDIT_UNCHANGED);
    fd_tui_lineedit_key(&le, down);
    fd_tui_lineedit_key(&le, down);
    ck_assert_str_eq(fd_tui_lineedit_text(&le), "dra"); /* the draft comes back */
    ck_assert_int_eq(fd_tui_lineedit_key(&le, down), FD_EDIT_UNCHANGED);
    fd_tui_lineedit_free(&le);
}
END_TEST

START_TEST(horizontal_scroll)
{
    struct fd_tui_lineedit le;
    size_t start, col;

    fd_tui_lineedit_init(&le, 0);
    fd_tui_lineedit_start(&le, "abcdefghij");
    fd_tui_lineedit_view(&le, 5, &start, &col);
    ck_assert_uint_eq(start, 6); /* "ghij" and the cursor cell */
    ck_assert_uint_eq(col, 4);
    fd_tui_lineedit_key(&le, FD_KEY_CTRL('a'));
    fd_tui_lineedit_view(&le, 5, &start, &col);
    ck_assert_uint_eq(start, 0);
    ck_assert_uint_eq(col, 0);
    fd_tui_lineedit_start(&le, "日本語");
    fd_tui_lineedit_view(&le, 4, &start, &col);
    ck_assert_uint_eq(start, 6); /* two cells each: only 語 fits */
    ck_assert_uint_eq(col, 2);
    fd_tui_lineedit_free(&le);
}
END_TEST

START_TEST(utf8)
{
    uint32_t cp;
    char out[4];

    ck_assert_uint_eq(fd_tui_utf8_decode("\xe2\x9c\x94", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x2714);
    ck_assert_uint_eq(fd_tui_utf8_decode("\xc0\xaf", 2, &cp), 0);         /* overlong */
    ck_assert_uint_eq(fd_tui_utf8_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
    ck_assert_uint_eq(fd_tui_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > 10FFFF */
    ck_assert_uint_eq(fd_tui_utf8_decode("\xe2\x9c", 2, &cp), 0);         /* truncated */
    ck_assert_uint_eq(fd_tui_utf8_encode(0x1f600, out), 4);
    ck_assert_uint_eq(fd_tui_utf8_encode(0xd800, out), 0);
    ck_assert_uint_eq(fd_tui_utf8_width("ab日本"), 6);
    ck_assert_uint_eq(fd_tui_utf8_width("e\xcc\x81"), 1); /* combining accent */
}
END_TEST

/* Every glyph is one cell in both columns, and ASCII is pure ASCII. */
START_TEST(glyph_fallback)
{
    for (int g = 0; g < FD_GLYPH__COUNT; g++) {
        const char *u = fd_tui_glyph_utf8_of((enum fd_tui_glyph)g);
        const char *a = fd_tui_glyph_ascii_of((enum fd_tui_glyph)g);
        uint32_t cp;
        ck_assert_msg(fd_tui_utf8_decode(u, strlen(u), &cp) == strlen(u) &&
                          fd_tui_cp_width(cp) == 1,
                      "%s is not one cell", fd_tui_glyph_name((enum fd_tui_glyph)g));
        ck_assert_msg(strlen(a) == 1 && a[0] > 0x20 && a[0] < 0x7f, "%s: ASCII \"%s\"",
                      fd_tui_glyph_name((enum fd_tui_glyph)g), a);
    }
    fd_tui_glyph_set_utf8(true);
    ck_assert_str_eq(fd_tui_glyph(FD_GLYPH_OK), "\u2714");
    ck_assert_str_eq(fd_tui_glyph_spark(0), "\u2581");
    ck_assert_str_eq(fd_tui_glyph_spark(1), "\u2588");
    ck_assert_str_eq(fd_tui_glyph_spark(2), "\u2588");
    fd_tui_glyph_set_utf8(false);
    ck_assert_str_eq(fd_tui_glyph(FD_GLYPH_OK), "+");
    ck_assert_str_eq(fd_tui_glyph(FD_GLYPH_PAUSED), "=");
    ck_assert_str_eq(fd_tui_glyph_spark(-3), "_");
    ck_assert_str_eq(fd_tui_glyph_spark(0.0 / 0.0), "_");
    ck_assert_str_eq(fd_tui_glyph(FD_GLYPH__COUNT), "?");
    /* The locale decides, unless ASCII is forced. */
    ck_assert(fd_tui_glyph_locale_is_utf8(false)); /* the sealed tests run in C.UTF-8 */
    ck_assert(!fd_tui_glyph_locale_is_utf8(true));
    setlocale(LC_ALL, "C");
    ck_assert(!fd_tui_glyph_locale_is_utf8(false));
    setlocale(LC_ALL, "");
}
END_TEST

static void *waker(void *arg)
{
    for (int i = 0; i < 20000; i++)
        fd_tui_wake(arg);
    return NULL;
}

/* Many wakes from many threads: one byte pending, and it re-arms. */
START_TEST(wake_coalesces)
{
    struct fd_tui_wake *w = fd_tui_wake_new();
    pthread_t t[4];
    int pending = -1;

    ck_assert_ptr_nonnull(w);
    ck_assert(!fd_tui_wake_consume(w));
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, waker, w);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    ioctl(fd_tui_wake_fd(w), FIONREAD, &pending);
    ck_assert_int_eq(pending, 1);
    ck_assert(fd_tui_wake_consume(w));
    ck_assert(!fd_tui_wake_consume(w));
    fd_tui_wake(w);
    ck_assert(fd_tui_wake_consume(w));
    fd_tui_wake_free(w);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("tui_edit");
    TCase *tc = tcase_create("edit");

    setlocale(LC_ALL, "");
    tcase_add_test(tc, editing_is_utf8_aware);
    tcase_add_test(tc, history);
    tcase_add_test(tc, horizontal_scroll);
    tcase_add_test(tc, utf8);
    tcase_add_test(tc, glyph_fallback);
    tcase_add_test(tc, wake_coalesces);
    suite_add_tcase(s, tc);
    return s;
}
