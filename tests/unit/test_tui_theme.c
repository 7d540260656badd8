/* tests/unit/test_tui_theme.c: theme files, colours and their fallbacks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "check_main.h"
#include "../../src/tui/theme.h"

static char *parse_err(const char *text)
{
    struct fd_tui_theme t;
    char *inherits = NULL, *err = NULL;

    fd_tui_theme_plain(&t);
    ck_assert_int_eq(fd_tui_theme_parse(&t, text, strlen(text), "themes/x.yaml", &inherits, &err),
                     FD_PARSE);
    ck_assert_ptr_null(inherits);
    ck_assert_ptr_nonnull(err);
    return err;
}

#define ck_err(text, expected)          \
    do {                                \
        char *e_ = parse_err(text);     \
        ck_assert_str_eq(e_, expected); \
        free(e_);                       \
    } while (0)

START_TEST(errors_have_position_and_suggestion)
{
    ck_err("name: x\ncolors:\n  ok: {fg: gren}\n",
           "themes/x.yaml:3:12: unknown colour \"gren\" (did you mean \"green\"?)");
    ck_err("colors:\n  okk: {fg: red}\n",
           "themes/x.yaml:2:3: unknown role \"okk\" (did you mean \"ok\"?)");
    ck_err("colors:\n  ok: {fg: red, attrs: [bold, blod]}\n",
           "themes/x.yaml:2:31: unknown attribute \"blod\" (did you mean \"bold\"?)");
    ck_err("colors:\n  ok: {fgg: red}\n",
           "themes/x.yaml:2:8: unknown key \"fgg\" (did you mean \"fg\"?)");
    ck_err("colours:\n  ok: {fg: 256}\n",
           "themes/x.yaml:2:12: colour \"256\" is out of range (0-255)");
    ck_err("colors:\n  ok: {fg: 208, fg16: 208}\n",
           "themes/x.yaml:2:23: fg16 must be one of the 16 basic colours, not \"208\"");
    ck_err("colr: {}\n", "themes/x.yaml:1:1: unknown key \"colr\" (did you mean \"colors\"?)");
    ck_err("colors:\n  ok: {fg: red}\n  ok: {fg: blue}\n",
           "themes/x.yaml:3:3: role \"ok\" is listed twice");
    ck_err("- a\n- b\n", "themes/x.yaml:1:1: a theme is a mapping with name, description and "
                         "colors");
    ck_err("", "themes/x.yaml: empty theme file");
    char *e = parse_err("colors: {ok: [\n");
    ck_assert_msg(strncmp(e, "themes/x.yaml:2:1: YAML syntax error", 36) == 0, "got %s", e);
    free(e);
}
END_TEST

START_TEST(parse_values)
{
    struct fd_tui_theme t;
    char *inherits = NULL, *err = NULL;
    const char *text =
        "name: n\ninherits: dark\ncolors:\n"
        "  ok: green\n"
        "  failed: {fg: color196, bg: 0, fg16: bright-red, attrs: \"bold, reverse\"}\n"
        "  header: {attrs: [underline, dim]}\n";

    fd_tui_theme_plain(&t);
    ck_assert_int_eq(fd_tui_theme_parse(&t, text, strlen(text), "f", &inherits, &err), FD_OK);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(inherits, "dark");
    free(inherits);
    ck_assert_str_eq(t.name, "n");
    ck_assert(t.has_color);
    ck_assert_int_eq(t.style[FD_ROLE_OK].fg, 2);
    ck_assert_int_eq(t.style[FD_ROLE_FAILED].fg, 196);
    ck_assert_int_eq(t.style[FD_ROLE_FAILED].bg, 0);
    ck_assert_int_eq(t.style[FD_ROLE_FAILED].fg16, 9);
    ck_assert_int_eq(t.style[FD_ROLE_FAILED].attrs, FD_TUI_ATTR_BOLD | FD_TUI_ATTR_REVERSE);
    ck_assert_int_eq(t.style[FD_ROLE_HEADER].attrs, FD_TUI_ATTR_UNDERLINE | FD_TUI_ATTR_DIM);
    ck_assert_int_eq(t.style[FD_ROLE_HEADER].fg, FD_TUI_COLOR_DEFAULT);
}
END_TEST

START_TEST(colour_fallbacks)
{
    struct fd_tui_style s = {208, 24, FD_TUI_COLOR_AUTO, 4, FD_TUI_ATTR_UNDERLINE};
    int16_t fg, bg;
    uint8_t a;

    fd_tui_style_resolve(&s, 256, &fg, &bg, &a);
    ck_assert_int_eq(fg, 208);
    ck_assert_int_eq(bg, 24);
    fd_tui_style_resolve(&s, 16, &fg, &bg, &a);
    ck_assert_int_eq(fg, fd_tui_color_nearest16(208)); /* automatic */
    ck_assert_int_eq(bg, 4);                           /* explicit bg16 */
    /* 8 colours: bright foregrounds become bold, bright black dim white. */
    struct fd_tui_style b = {9, 12, FD_TUI_COLOR_AUTO, FD_TUI_COLOR_AUTO, 0};
    fd_tui_style_resolve(&b, 8, &fg, &bg, &a);
    ck_assert_int_eq(fg, 1);
    ck_assert_int_eq(bg, 4);
    ck_assert_int_eq(a, FD_TUI_ATTR_BOLD);
    struct fd_tui_style g = {8, -1, FD_TUI_COLOR_AUTO, FD_TUI_COLOR_AUTO, 0};
    fd_tui_style_resolve(&g, 8, &fg, &bg, &a);
    ck_assert_int_eq(fg, 7);
    ck_assert_int_eq(a, FD_TUI_ATTR_DIM);
    /* The cube and the grey ramp land on sensible basic colours. */
    ck_assert_int_eq(fd_tui_color_nearest16(196), 9);  /* ff0000 */
    ck_assert_int_eq(fd_tui_color_nearest16(46), 10);  /* 00ff00 */
    ck_assert_int_eq(fd_tui_color_nearest16(231), 15); /* ffffff */
    ck_assert_int_eq(fd_tui_color_nearest16(16), 0);   /* 000000 */
    ck_assert_int_eq(fd_tui_color_nearest16(244), 8);  /* grey 50% */

    int16_t c;
    ck_assert_int_eq(fd_tui_color_parse("Bright-Blue", &c), FD_OK);
    ck_assert_int_eq(c, 12);
    ck_assert_int_eq(fd_tui_color_parse("colour255", &c), FD_OK);
    ck_assert_int_eq(c, 255);
    ck_assert_int_eq(fd_tui_color_parse("grey", &c), FD_OK);
    ck_assert_int_eq(c, 8);
    ck_assert_int_eq(fd_tui_color_parse("-1", &c), FD_INVALID);
    ck_assert_int_eq(fd_tui_color_parse("1000", &c), FD_INVALID);
    ck_assert_int_eq(fd_tui_color_parse("color", &c), FD_INVALID);
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct fd_buf b = FD_BUF_INIT;
    char chunk[1024];
    size_t n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    return fd_buf_steal(&b);
}

/* The compiled-in default and themes/dark.yaml are the same theme, and every
 * shipped theme parses and names every role it means to. */
START_TEST(shipped_themes)
{
    static const char *const names[] = {"dark", "light", "mono", "high-contrast"};
    struct fd_tui_theme builtin, t;
    char *path, *err;

    fd_tui_theme_builtin(&builtin);
    for (size_t i = 0; i < FD_ARRAY_SIZE(names); i++) {
        char *inherits = NULL, *text;
        path = fd_xasprintf("%s/themes/%s.yaml", getenv("FD_TOP_SRCDIR"), names[i]);
        text = slurp(path);
        fd_tui_theme_plain(&t);
        err = NULL;
        ck_assert_msg(fd_tui_theme_parse(&t, text, strlen(text), path, &inherits, &err) == FD_OK,
                      "%s", err ? err : "");
        ck_assert_str_eq(t.name, names[i]);
        if (strcmp(names[i], "mono") == 0) {
            ck_assert(!t.has_color);
        } else {
            ck_assert(t.has_color);
            /* A coloured theme sets every role explicitly. */
            ck_assert_int_ne(t.style[FD_ROLE_OK].fg, FD_TUI_COLOR_DEFAULT);
        }
        if (strcmp(names[i], "dark") == 0)
            for (int r = 0; r < FD_ROLE__COUNT; r++) {
                ck_assert_msg(t.style[r].fg == builtin.style[r].fg &&
                                  t.style[r].bg == builtin.style[r].bg &&
                                  t.style[r].attrs == builtin.style[r].attrs,
                              "dark.yaml and the built-in differ on %s",
                              fd_tui_role_name((enum fd_tui_role)r));
            }
        free(text);
        free(path);
    }
}
END_TEST

/* User themes win over shipped ones; a broken or missing theme errors. */
START_TEST(search_path_and_inherits)
{
    char *dir = fd_xasprintf("%s/freightdeck/themes", getenv("XDG_CONFIG_HOME"));
    char *cmd = fd_xasprintf("mkdir -p '%s'", dir), *path, *err = NULL;
    struct fd_tui_theme t;
    FILE *f;

    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    char *shipped = fd_xasprintf("%s/themes", getenv("FD_TOP_SRCDIR"));
    setenv("FREIGHTDECK_THEMES_DIR", shipped, 1);
    free(shipped);
    path = fd_xasprintf("%s/light.yaml", dir);
    f = fopen(path, "w");
    fputs("inherits: dark\ncolors:\n  ok: {fg: magenta}\n", f);
    fclose(f);
    free(path);
    ck_assert_int_eq(fd_tui_theme_load("light", &t, &err), FD_OK);
    ck_assert_int_eq(t.style[FD_ROLE_OK].fg, 5);     /* the user's */
    ck_assert_int_eq(t.style[FD_ROLE_HEADER].bg, 6); /* inherited from dark */
    ck_assert_str_eq(t.name, "light");

    path = fd_xasprintf("%s/loop.yaml", dir);
    f = fopen(path, "w");
    fputs("inherits: loop\n", f);
    fclose(f);
    free(path);
    ck_assert_int_ne(fd_tui_theme_load("loop", &t, &err), FD_OK);
    ck_assert_msg(strstr(err, "nest more than 4 deep") != NULL, "%s", err);
    free(err);

    ck_assert_int_eq(fd_tui_theme_load("../etc/passwd", &t, &err), FD_INVALID);
    free(err);
    ck_assert_int_eq(fd_tui_theme_load("drak", &t, &err), FD_NOT_FOUND);
    ck_assert_msg(strstr(err, "unknown theme \"drak\" (did you mean \"dark\"?)") != NULL, "%s",
                  err);
    free(err);

    char **names;
    size_t n = fd_tui_theme_names(&names);
    ck_assert_uint_eq(n, 5); /* dark high-contrast light loop mono: light once */
    ck_assert_str_eq(names[0], "dark");
    ck_assert_str_eq(names[3], "loop");
    fd_tui_theme_names_free(names, n);
    free(dir);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("tui_theme");
    TCase *tc = tcase_create("theme");

    tcase_add_test(tc, errors_have_position_and_suggestion);
    tcase_add_test(tc, parse_values);
    tcase_add_test(tc, colour_fallbacks);
    tcase_add_test(tc, shipped_themes);
    tcase_add_test(tc, search_path_and_inherits);
    suite_add_tcase(s, tc);
    return s;
}
