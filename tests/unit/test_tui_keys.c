/* tests/unit/test_tui_keys.c: the request table, key names, the keymap and
 * its config section, the ":" command parser and the key script parser. */
#include "config.h"

#include <stdlib.h>

#include "check_main.h"
#include "../../src/tui/command.h"
#include "../../src/tui/request.h"
#include "../../src/tui/script.h"
#include "../../src/tui/tui-curses.h"

START_TEST(request_table)
{
    ck_assert_str_eq(fd_tui_req_name(FD_REQ_ROLLOUT_PROMOTE_FULL), "rollout-promote-full");
    ck_assert_str_eq(fd_tui_req_name(FD_REQ_APPROVE), "approve");
    ck_assert_int_eq(fd_tui_req_by_name("abort-verification"), FD_REQ_ABORT_VERIFICATION);
    ck_assert_int_eq(fd_tui_req_by_name("abort_verification"), FD_REQ_ABORT_VERIFICATION);
    ck_assert_int_eq(fd_tui_req_by_name("nope"), FD_REQ_NONE);
    ck_assert_str_eq(fd_tui_req_group(FD_REQ_ROLLOUT_RETRY), "Argo Rollouts");
    ck_assert_str_eq(fd_tui_req_group(FD_REQ_UP), "Moving");
    ck_assert_ptr_null(fd_tui_req_name(FD_REQ_NONE));
    for (int r = 1; r < FD_REQ__COUNT; r++)
        ck_assert_int_eq(fd_tui_req_by_name(fd_tui_req_name((enum fd_tui_req)r)), r);
    /* The action column: an action key asks for the model action of its
     * name; any other key for none. */
    size_t actions = 0;
    for (int r = 0; r < FD_REQ__COUNT; r++) {
        enum fd_model_action_kind k = fd_tui_req_action((enum fd_tui_req)r);
        if (k == FD_MODEL_ACTION__COUNT)
            continue;
        ck_assert_str_eq(fd_model_action_name(k), fd_tui_req_name((enum fd_tui_req)r));
        actions++;
    }
    ck_assert_uint_eq(actions, 8);
    ck_assert_int_eq(fd_tui_req_action(FD_REQ_WHATIF), FD_MODEL_ACTION__COUNT);
    ck_assert_int_eq(fd_tui_req_action(FD_REQ_NONE), FD_MODEL_ACTION__COUNT);
    const char *verb, *group, *resource, *sub;
    ck_assert(fd_model_action_access(fd_tui_req_action(FD_REQ_ROLLOUT_ABORT), &verb, &group,
                                     &resource, &sub));
    ck_assert_str_eq(verb, "patch");
    ck_assert_str_eq(resource, "rollouts");
    ck_assert_str_eq(sub, "status");
    ck_assert(!fd_model_action_access(FD_MODEL_ACTION__COUNT, &verb, &group, &resource, &sub));
}
END_TEST

START_TEST(key_names_round_trip)
{
    static const char *const names[] = {
        "a",    "A",     "?",   "/",   ":",     "é",     "C-l",       "F1",  "F12",  "Up",
        "PgDn", "Enter", "Esc", "Tab", "S-Tab", "Space", "Backspace", "Del", "Home", "End"};
    char buf[32];

    for (size_t i = 0; i < FD_ARRAY_SIZE(names); i++) {
        fd_tui_key k = fd_tui_key_parse(names[i]);
        ck_assert_msg(k != FD_KEY_NONE, "%s", names[i]);
        ck_assert_str_eq(fd_tui_key_name(k, buf, sizeof(buf)), names[i]);
    }
    ck_assert_int_eq(fd_tui_key_parse("^L"), 12);
    ck_assert_int_eq(fd_tui_key_parse("c-L"), 12);
    ck_assert_int_eq(fd_tui_key_parse("escape"), FD_KEY_ESC);
    ck_assert_int_eq(fd_tui_key_parse("PageUp"), FD_KEY_CURSES(KEY_PPAGE));
    ck_assert_int_eq(fd_tui_key_parse("F10"), FD_KEY_CURSES(KEY_F(10)));
    static const char *const bad[] = {"",    "F0",     "F13",  "F01",  "ab",  "C-",
                                      "C-1", "Ctrl-q", "\x7f", "\xc3", "\x01"};
    for (size_t i = 0; i < FD_ARRAY_SIZE(bad); i++)
        ck_assert_msg(fd_tui_key_parse(bad[i]) == FD_KEY_NONE, "\"%s\" parsed", bad[i]);
    /* What curses delivers. */
    ck_assert_int_eq(fd_tui_key_from_curses('\r', false), FD_KEY_ENTER);
    ck_assert_int_eq(fd_tui_key_from_curses(KEY_ENTER, true), FD_KEY_ENTER);
    ck_assert_int_eq(fd_tui_key_from_curses(0x7f, false), FD_KEY_CURSES(KEY_BACKSPACE));
    ck_assert_int_eq(fd_tui_key_from_curses(KEY_UP, true), FD_KEY_CURSES(KEY_UP));
    ck_assert_int_eq(fd_tui_key_from_curses(0x401, false), 0x401); /* Ё, not a key code */
}
END_TEST

START_TEST(default_keymap)
{
    struct fd_tui_keymap km;
    char buf[64];

    fd_tui_keymap_defaults(&km);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'a'), FD_REQ_APPROVE);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'A'), FD_REQ_ROLLOUT_ABORT);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'P'), FD_REQ_ROLLOUT_PROMOTE);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'F'), FD_REQ_ROLLOUT_PROMOTE_FULL);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'R'), FD_REQ_ROLLOUT_RETRY);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'x'), FD_REQ_ABORT_VERIFICATION);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 12), FD_REQ_REPAINT);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, FD_KEY_CURSES(KEY_F(10))), FD_REQ_QUIT);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, FD_KEY_CURSES(KEY_BTAB)), FD_REQ_PREV_PANE);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'z'), FD_REQ_NONE);
    /* Letters first, F-keys as aliases. */
    ck_assert_str_eq(fd_tui_keymap_keys(&km, FD_REQ_HELP, ", ", buf, sizeof(buf)), "?, F1");
    ck_assert_str_eq(fd_tui_keymap_keys(&km, FD_REQ_REFRESH, " ", buf, sizeof(buf)), "r F5");
    /* Every key is bound once. */
    for (size_t i = 0; i < km.n; i++)
        for (size_t j = i + 1; j < km.n; j++)
            ck_assert_msg(km.b[i].key != km.b[j].key, "key %s bound twice",
                          fd_tui_key_name(km.b[i].key, buf, sizeof(buf)));
    fd_tui_keymap_free(&km);
}
END_TEST

static char *load_err(const char *text)
{
    struct fd_tui_keymap km;
    char *err = NULL;

    fd_tui_keymap_defaults(&km);
    ck_assert_int_eq(fd_tui_keymap_load_yaml(&km, text, strlen(text), "cfg.yaml", &err), FD_PARSE);
    /* All or nothing: the defaults are intact. */
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'q'), FD_REQ_QUIT);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'a'), FD_REQ_APPROVE);
    fd_tui_keymap_free(&km);
    return err;
}

#define ck_err(text, expected)          \
    do {                                \
        char *e_ = load_err(text);      \
        ck_assert_str_eq(e_, expected); \
        free(e_);                       \
    } while (0)

START_TEST(config_keys)
{
    struct fd_tui_keymap km;
    char *err = NULL, buf[64];
    const char *text = "theme: light\nkeys:\n  approve: \"y\"\n  quit: [Q, F10]\n"
                       "  refresh: \"C-r r\"\n  help: \"h ? F1\"\n";

    fd_tui_keymap_defaults(&km);
    ck_assert_int_eq(fd_tui_keymap_load_yaml(&km, text, strlen(text), "c", &err), FD_OK);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'y'), FD_REQ_APPROVE);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'a'), FD_REQ_NONE); /* replaced */
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'q'), FD_REQ_NONE);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'Q'), FD_REQ_QUIT);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 18), FD_REQ_REFRESH);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, FD_KEY_CURSES(KEY_F(5))), FD_REQ_NONE);
    /* h moved from left to help; left keeps its arrow. */
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'h'), FD_REQ_HELP);
    ck_assert_str_eq(fd_tui_keymap_keys(&km, FD_REQ_LEFT, " ", buf, sizeof(buf)), "Left");
    ck_assert_str_eq(fd_tui_keymap_keys(&km, FD_REQ_HELP, " ", buf, sizeof(buf)), "h ? F1");
    /* No keys section, or an empty file: nothing changes. */
    ck_assert_int_eq(fd_tui_keymap_load_yaml(&km, "", 0, "c", &err), FD_OK);
    ck_assert_int_eq(fd_tui_keymap_load_yaml(&km, "keys:\n", 6, "c", &err), FD_OK);
    ck_assert_int_eq(fd_tui_keymap_lookup(&km, 'Q'), FD_REQ_QUIT);
    fd_tui_keymap_free(&km);

    ck_err("keys:\n  aprove: a\n",
           "cfg.yaml:2:3: unknown request \"aprove\" in keys (did you mean \"approve\"?)");
    ck_err("keys:\n  quit: \"q Ctrl-q\"\n",
           "cfg.yaml:2:9: unknown key \"Ctrl-q\" for quit (keys are a character, C-x, F1..F12, "
           "Up, Down, Left, Right, PgUp, PgDn, Home, End, Enter, Esc, Tab, S-Tab, Space, "
           "Backspace, Del, Ins)");
    ck_err("keys:\n  quit: x\n  approve: [y, x]\n",
           "cfg.yaml:3:16: key \"x\" is bound to both quit and approve");
    ck_err("keys:\n  quit: x\n  quit: y\n", "cfg.yaml:3:3: request quit is listed twice");
    ck_err("keys: [a, b]\n", "cfg.yaml:1:7: keys: must be a mapping of request: keys");
    ck_err("keys:\n  quit: {a: b}\n",
           "cfg.yaml:2:9: keys for quit must be a string or a list of strings");
    ck_err("just a string\n", "cfg.yaml:1:1: the config file must be a mapping (key: value)");
}
END_TEST

START_TEST(commands)
{
    char *arg, *err;

    ck_assert_int_eq(fd_tui_cmd_parse("theme light", &arg, &err), FD_CMD_THEME);
    ck_assert_str_eq(arg, "light");
    free(arg);
    ck_assert_int_eq(fd_tui_cmd_parse(":th  high-contrast  ", &arg, &err), FD_CMD_THEME);
    ck_assert_str_eq(arg, "high-contrast");
    free(arg);
    ck_assert_int_eq(fd_tui_cmd_parse("theme", &arg, &err), FD_CMD_THEME);
    ck_assert_ptr_null(arg);
    ck_assert_int_eq(fd_tui_cmd_parse("q", &arg, &err), FD_CMD_QUIT);
    ck_assert_int_eq(fd_tui_cmd_parse("dump /tmp/a b.txt", &arg, &err), FD_CMD_DUMP);
    ck_assert_str_eq(arg, "/tmp/a b.txt");
    free(arg);
    ck_assert_int_eq(fd_tui_cmd_parse("", &arg, &err), FD_CMD__COUNT);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(fd_tui_cmd_parse("s prod", &arg, &err), FD_CMD__COUNT);
    ck_assert_str_eq(err, "ambiguous command \"s\": stage save-display stages");
    free(err);
    ck_assert_int_eq(fd_tui_cmd_parse("projcet x", &arg, &err), FD_CMD__COUNT);
    ck_assert_str_eq(err, "unknown command \"projcet\" (did you mean \"project\"?) "
                          "(:help lists them)");
    free(err);
    ck_assert_int_eq(fd_tui_cmd_parse("stage", &arg, &err), FD_CMD__COUNT);
    ck_assert_str_eq(err, "usage: :stage NAME");
    free(err);
    ck_assert_int_eq(fd_tui_cmd_parse("quit now", &arg, &err), FD_CMD__COUNT);
    ck_assert_str_eq(err, ":quit takes no argument");
    free(err);
}
END_TEST

START_TEST(scripts)
{
    struct fd_tui_script s;
    char *err = NULL;
    const struct fd_tui_step *st;

    ck_assert_int_eq(fd_tui_script_parse(&s,
                                         "# c\n\nj<Down><lt>é\n:theme x\n@resize 100x30\n"
                                         "@sleep 5\n@wake\n",
                                         "t", &err),
                     FD_OK);
    ck_assert_uint_eq(s.n, 8);
    ck_assert_int_eq(fd_tui_script_next(&s)->key, 'j');
    ck_assert_int_eq(fd_tui_script_next(&s)->key, FD_KEY_CURSES(KEY_DOWN));
    ck_assert_int_eq(fd_tui_script_next(&s)->key, '<');
    ck_assert_int_eq(fd_tui_script_next(&s)->key, 0xe9);
    st = fd_tui_script_next(&s);
    ck_assert_int_eq(st->kind, FD_STEP_COMMAND);
    ck_assert_str_eq(st->command, "theme x");
    st = fd_tui_script_next(&s);
    ck_assert_int_eq(st->kind, FD_STEP_RESIZE);
    ck_assert_int_eq(st->a, 100);
    ck_assert_int_eq(st->b, 30);
    ck_assert_int_eq(fd_tui_script_next(&s)->a, 5);
    ck_assert_int_eq(fd_tui_script_next(&s)->kind, FD_STEP_WAKE);
    ck_assert_ptr_null(fd_tui_script_next(&s));
    fd_tui_script_free(&s);

    ck_assert_int_eq(fd_tui_script_parse(&s, "j\n<Dwn>\n", "t", &err), FD_PARSE);
    ck_assert_str_eq(err, "t:2: unknown key <Dwn>");
    free(err);
    ck_assert_int_eq(fd_tui_script_parse(&s, "a<b", "t", &err), FD_PARSE);
    free(err);
    ck_assert_int_eq(fd_tui_script_parse(&s, "@resize 0x3\n", "t", &err), FD_PARSE);
    free(err);
    ck_assert_int_eq(fd_tui_script_parse(&s, "@nap 3\n", "t", &err), FD_PARSE);
    free(err);

    /* @until / @gone: the rest of the line, trimmed; the limit follows the knob. */
    setenv("FD_TEST_TIMEOUT_SCALE", "3", 1);
    ck_assert_int_eq(
        fd_tui_script_parse(&s, "x\n@until  approve: done (HTTP 200) \n@gone ✔ live\n", "t", &err),
        FD_OK);
    fd_tui_script_next(&s);
    st = fd_tui_script_next(&s);
    ck_assert_int_eq(st->kind, FD_STEP_UNTIL);
    ck_assert_str_eq(st->command, "approve: done (HTTP 200)");
    ck_assert_int_eq(st->a, 1);
    ck_assert_int_eq(st->b, 3 * FD_SCRIPT_WAIT_S * 1000);
    ck_assert_int_eq(st->line, 2);
    st = fd_tui_script_next(&s);
    ck_assert_int_eq(st->kind, FD_STEP_UNTIL);
    ck_assert_str_eq(st->command, "✔ live");
    ck_assert_int_eq(st->a, 0);
    fd_tui_script_free(&s);
    unsetenv("FD_TEST_TIMEOUT_SCALE");
    ck_assert_int_eq(fd_tui_script_parse(&s, "@until   \n", "t", &err), FD_PARSE);
    ck_assert_str_eq(err, "t:1: @until: which text?");
    free(err);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("tui_keys");
    TCase *tc = tcase_create("keys");

    tcase_add_test(tc, request_table);
    tcase_add_test(tc, key_names_round_trip);
    tcase_add_test(tc, default_keymap);
    tcase_add_test(tc, config_keys);
    tcase_add_test(tc, commands);
    tcase_add_test(tc, scripts);
    suite_add_tcase(s, tc);
    return s;
}
