/* tui/keymap.c: the request table, key names and the keymap. */
#include "config.h"

#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "tui-curses.h"
#include "utf8.h"
#include "freightdeck/yaml.h"

struct req_row {
    const char *upper; /* "ROLLOUT_ABORT" */
    const char *keys;
    const char *help;
};

#define REQ_ROW(name, keys, help, action) {#name, keys, help},
#define REQ_SKIP(title)
static const struct req_row req_rows[FD_REQ__COUNT] = {{"NONE", "", ""},
                                                       FD_TUI_REQ_TABLE(REQ_ROW, REQ_SKIP)};
#undef REQ_ROW
#undef REQ_SKIP

/* Groups: a second walk of the table, so the heading is the last GROUP_
 * before each request. */
static const char *req_groups[FD_REQ__COUNT];
static char req_names[FD_REQ__COUNT][32];
static bool tables_ready;

static void tables_init(void)
{
    const char *group = "";
    int i = 1;

    if (tables_ready)
        return;
#define SET_GROUP(title)                  group = title;
#define SET_REQ(name, keys, help, action) req_groups[i++] = group;
    FD_TUI_REQ_TABLE(SET_REQ, SET_GROUP)
#undef SET_GROUP
#undef SET_REQ
    for (int r = 1; r < FD_REQ__COUNT; r++) {
        const char *u = req_rows[r].upper;
        size_t k;
        for (k = 0; u[k] && k + 1 < sizeof(req_names[r]); k++)
            req_names[r][k] = u[k] == '_' ? '-' : (char)fd_ascii_tolower((unsigned char)u[k]);
        req_names[r][k] = '\0';
    }
    tables_ready = true;
}

const char *fd_tui_req_name(enum fd_tui_req req)
{
    if (req <= FD_REQ_NONE || req >= FD_REQ__COUNT)
        return NULL;
    tables_init();
    return req_names[req];
}

const char *fd_tui_req_help(enum fd_tui_req req)
{
    return (req > FD_REQ_NONE && req < FD_REQ__COUNT) ? req_rows[req].help : "";
}

/* The action column: NONE is no model action (FD_MODEL_ACTION__COUNT). */
#define FD_MODEL_ACTION_NONE FD_MODEL_ACTION__COUNT
static const enum fd_model_action_kind req_actions[FD_REQ__COUNT] = {
    [FD_REQ_NONE] = FD_MODEL_ACTION__COUNT,
#define REQ_ACTION(name, keys, help, action) [FD_REQ_##name] = FD_MODEL_ACTION_##action,
#define REQ_SKIP(title)
    FD_TUI_REQ_TABLE(REQ_ACTION, REQ_SKIP)
#undef REQ_ACTION
#undef REQ_SKIP
};
#undef FD_MODEL_ACTION_NONE

enum fd_model_action_kind fd_tui_req_action(enum fd_tui_req req)
{
    return (req > FD_REQ_NONE && req < FD_REQ__COUNT) ? req_actions[req] : FD_MODEL_ACTION__COUNT;
}

const char *fd_tui_req_group(enum fd_tui_req req)
{
    if (req <= FD_REQ_NONE || req >= FD_REQ__COUNT)
        return "";
    tables_init();
    return req_groups[req];
}

enum fd_tui_req fd_tui_req_by_name(const char *name)
{
    tables_init();
    for (int r = 1; r < FD_REQ__COUNT; r++) {
        const char *a = req_names[r], *b = name;
        while (*a && *b && (*a == *b || (*a == '-' && *b == '_')))
            a++, b++;
        if (!*a && !*b)
            return (enum fd_tui_req)r;
    }
    return FD_REQ_NONE;
}

/* ---- Key names ------------------------------------------------------------ */

/* Canonical name first; later rows with the same key are parse-only aliases. */
static const struct {
    const char *name;
    fd_tui_key key;
} key_names[] = {
    {"Up", FD_KEY_CURSES(KEY_UP)},
    {"Down", FD_KEY_CURSES(KEY_DOWN)},
    {"Left", FD_KEY_CURSES(KEY_LEFT)},
    {"Right", FD_KEY_CURSES(KEY_RIGHT)},
    {"PgUp", FD_KEY_CURSES(KEY_PPAGE)},
    {"PgDn", FD_KEY_CURSES(KEY_NPAGE)},
    {"Home", FD_KEY_CURSES(KEY_HOME)},
    {"End", FD_KEY_CURSES(KEY_END)},
    {"S-Tab", FD_KEY_CURSES(KEY_BTAB)},
    {"Backspace", FD_KEY_CURSES(KEY_BACKSPACE)},
    {"Del", FD_KEY_CURSES(KEY_DC)},
    {"Ins", FD_KEY_CURSES(KEY_IC)},
    {"Enter", FD_KEY_ENTER},
    {"Esc", FD_KEY_ESC},
    {"Tab", FD_KEY_TAB},
    {"Space", ' '},
    {"PageUp", FD_KEY_CURSES(KEY_PPAGE)},
    {"PageDown", FD_KEY_CURSES(KEY_NPAGE)},
    {"BackTab", FD_KEY_CURSES(KEY_BTAB)},
    {"Delete", FD_KEY_CURSES(KEY_DC)},
    {"Insert", FD_KEY_CURSES(KEY_IC)},
    {"Return", FD_KEY_ENTER},
    {"Escape", FD_KEY_ESC},
    {"lt", '<'},
};

fd_tui_key fd_tui_key_parse(const char *name)
{
    size_t len;
    uint32_t cp;

    if (!name || !*name)
        return FD_KEY_NONE;
    len = strlen(name);
    for (size_t i = 0; i < FD_ARRAY_SIZE(key_names); i++)
        if (strcasecmp(name, key_names[i].name) == 0)
            return key_names[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && len >= 2 && len <= 3) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == '\0' && name[1] != '0' && n >= 1 && n <= 12)
            return FD_KEY_CURSES(KEY_F(n));
    }
    if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-') {
        char c = name[2];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || strchr("@[\\]^_", c))
            return FD_KEY_CTRL(c);
        return FD_KEY_NONE;
    }
    if (len == 2 && name[0] == '^' &&
        ((name[1] >= 'A' && name[1] <= 'Z') || (name[1] >= 'a' && name[1] <= 'z')))
        return FD_KEY_CTRL(name[1]);
    if (fd_tui_utf8_decode(name, len, &cp) == len && cp >= 0x20 && cp != 0x7f &&
        !(cp >= 0x80 && cp < 0xa0))
        return (fd_tui_key)cp;
    return FD_KEY_NONE;
}

const char *fd_tui_key_name(fd_tui_key key, char *buf, size_t size)
{
    char u[5] = {0};

    for (size_t i = 0; i < FD_ARRAY_SIZE(key_names); i++)
        if (key_names[i].key == key) {
            snprintf(buf, size, "%s", key_names[i].name);
            return buf;
        }
    for (int n = 1; n <= 12; n++)
        if (key == FD_KEY_CURSES(KEY_F(n))) {
            snprintf(buf, size, "F%d", n);
            return buf;
        }
    if (key >= 0 && key < 0x20) {
        snprintf(buf, size, "C-%c", (char)(key == 0 ? '@' : key < 27 ? key + 'a' - 1 : key + '@'));
        return buf;
    }
    if (key > 0x20 && key != 0x7f && key < FD_KEY_CURSES_BASE &&
        fd_tui_utf8_encode((uint32_t)key, u) > 0) {
        snprintf(buf, size, "%s", u);
        return buf;
    }
    snprintf(buf, size, "<0x%x>", (unsigned)key);
    return buf;
}

fd_tui_key fd_tui_key_from_curses(int value, bool is_function)
{
    if (is_function) {
        if (value == KEY_ENTER)
            return FD_KEY_ENTER;
        return FD_KEY_CURSES(value);
    }
    if (value == '\r')
        return FD_KEY_ENTER;
    if (value == 0x7f || value == 0x08)
        return FD_KEY_CURSES(KEY_BACKSPACE);
    return (fd_tui_key)value;
}

/* ---- Keymap --------------------------------------------------------------- */

static void bind(struct fd_tui_keymap *km, fd_tui_key key, enum fd_tui_req req)
{
    km->b = fd_xreallocarray(km->b, km->n + 1, sizeof(*km->b));
    km->b[km->n].key = key;
    km->b[km->n].req = req;
    km->n++;
}

static void unbind_key(struct fd_tui_keymap *km, fd_tui_key key)
{
    size_t j = 0;

    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key != key)
            km->b[j++] = km->b[i];
    km->n = j;
}

static void unbind_req(struct fd_tui_keymap *km, enum fd_tui_req req)
{
    size_t j = 0;

    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].req != req)
            km->b[j++] = km->b[i];
    km->n = j;
}

void fd_tui_keymap_defaults(struct fd_tui_keymap *km)
{
    km->b = NULL;
    km->n = 0;
    for (int r = 1; r < FD_REQ__COUNT; r++) {
        char *keys = fd_xstrdup(req_rows[r].keys), *save = NULL;
        for (char *tok = strtok_r(keys, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
            fd_tui_key k = fd_tui_key_parse(tok);
            if (k == FD_KEY_NONE)
                fd_fatal("request table: bad default key \"%s\"", tok);
            bind(km, k, (enum fd_tui_req)r);
        }
        free(keys);
    }
}

void fd_tui_keymap_free(struct fd_tui_keymap *km)
{
    free(km->b);
    km->b = NULL;
    km->n = 0;
}

enum fd_tui_req fd_tui_keymap_lookup(const struct fd_tui_keymap *km, fd_tui_key key)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].key == key)
            return km->b[i].req;
    return FD_REQ_NONE;
}

fd_tui_key fd_tui_keymap_first(const struct fd_tui_keymap *km, enum fd_tui_req req)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->b[i].req == req)
            return km->b[i].key;
    return FD_KEY_NONE;
}

const char *fd_tui_keymap_keys(const struct fd_tui_keymap *km, enum fd_tui_req req, const char *sep,
                               char *buf, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < km->n; i++) {
        char name[32];
        int w;
        if (km->b[i].req != req)
            continue;
        w = snprintf(buf + used, size - used, "%s%s", used ? sep : "",
                     fd_tui_key_name(km->b[i].key, name, sizeof(name)));
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* Adds one configured key; errors name the node. */
static char *config_key(struct fd_tui_keymap *km, struct fd_yaml *y, yaml_node_t *node,
                        enum fd_tui_req req, const bool *configured)
{
    const char *text = fd_yaml_scalar(node);
    char *copy, *save = NULL, *err = NULL;

    if (!text)
        return fd_yaml_error(y, node, "keys for %s must be a string or a list of strings",
                             fd_tui_req_name(req));
    copy = fd_xstrdup(text);
    for (char *tok = strtok_r(copy, " \t", &save); tok && !err;
         tok = strtok_r(NULL, " \t", &save)) {
        fd_tui_key k = fd_tui_key_parse(tok);
        enum fd_tui_req other;
        if (k == FD_KEY_NONE) {
            err = fd_yaml_error(y, node,
                                "unknown key \"%s\" for %s (keys are a character, C-x, "
                                "F1..F12, Up, Down, Left, Right, PgUp, PgDn, Home, End, "
                                "Enter, Esc, Tab, S-Tab, Space, Backspace, Del, Ins)",
                                tok, fd_tui_req_name(req));
            break;
        }
        other = fd_tui_keymap_lookup(km, k);
        if (other == req)
            continue;
        if (other != FD_REQ_NONE && configured[other]) {
            char name[32];
            err = fd_yaml_error(y, node, "key \"%s\" is bound to both %s and %s",
                                fd_tui_key_name(k, name, sizeof(name)), fd_tui_req_name(other),
                                fd_tui_req_name(req));
            break;
        }
        unbind_key(km, k);
        bind(km, k, req);
    }
    free(copy);
    return err;
}

enum fd_status fd_tui_keymap_load_config(struct fd_tui_keymap *km, struct fd_config *cfg,
                                         char **err)
{
    struct fd_yaml *y = &cfg->y;
    struct fd_tui_keymap work = {NULL, 0};
    bool configured[FD_REQ__COUNT] = {false};
    yaml_node_t *root, *keys = NULL;
    const char *names[FD_REQ__COUNT];

    *err = NULL;
    root = fd_yaml_root(y);
    if (root && root->type != YAML_MAPPING_NODE) {
        *err = fd_yaml_error(y, root, "the config file must be a mapping (key: value)");
        goto out;
    }
    if (root) {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
             p++) {
            const char *k = fd_yaml_scalar(fd_yaml_node(y, p->key));
            if (k && strcmp(k, "keys") == 0)
                keys = fd_yaml_node(y, p->value);
        }
    }
    if (!keys || (keys->type == YAML_SCALAR_NODE &&
                  (keys->data.scalar.length == 0 || fd_streq(fd_yaml_scalar(keys), "~") ||
                   fd_streq(fd_yaml_scalar(keys), "null"))))
        goto out;
    if (keys->type != YAML_MAPPING_NODE) {
        *err = fd_yaml_error(y, keys, "keys: must be a mapping of request: keys");
        goto out;
    }
    for (int r = 1; r < FD_REQ__COUNT; r++)
        names[r - 1] = fd_tui_req_name((enum fd_tui_req)r);
    work.b = fd_xreallocarray(NULL, km->n + 1, sizeof(*work.b));
    if (km->n)
        memcpy(work.b, km->b, km->n * sizeof(*work.b));
    work.n = km->n;
    for (yaml_node_pair_t *p = keys->data.mapping.pairs.start;
         p < keys->data.mapping.pairs.top && !*err; p++) {
        yaml_node_t *kn = fd_yaml_node(y, p->key), *vn = fd_yaml_node(y, p->value);
        const char *rname = fd_yaml_scalar(kn);
        enum fd_tui_req req = rname ? fd_tui_req_by_name(rname) : FD_REQ_NONE;
        if (req == FD_REQ_NONE) {
            struct fd_buf b = FD_BUF_INIT;
            char *msg;
            fd_buf_printf(&b, "unknown request \"%s\" in keys", rname ? rname : "(not a string)");
            if (rname)
                fd_suggest_append(&b, rname, names, FD_REQ__COUNT - 1);
            msg = fd_yaml_error(y, kn, "%s", fd_buf_cstr(&b));
            fd_buf_free(&b);
            *err = msg;
            break;
        }
        if (configured[req]) {
            *err = fd_yaml_error(y, kn, "request %s is listed twice", rname);
            break;
        }
        unbind_req(&work, req);
        configured[req] = true;
        if (vn && vn->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = vn->data.sequence.items.start;
                 it < vn->data.sequence.items.top && !*err; it++)
                *err = config_key(&work, y, fd_yaml_node(y, *it), req, configured);
        } else if (vn) {
            *err = config_key(&work, y, vn, req, configured);
        }
    }
    if (!*err) {
        fd_tui_keymap_free(km);
        *km = work;
        work.b = NULL;
    }
out:
    fd_tui_keymap_free(&work);
    return *err ? FD_PARSE : FD_OK;
}

enum fd_status fd_tui_keymap_load_yaml(struct fd_tui_keymap *km, const char *text, size_t len,
                                       const char *file, char **err)
{
    struct fd_config cfg;
    enum fd_status st = fd_config_load_buffer(&cfg, file, text, len, err);

    if (st == FD_OK)
        st = fd_tui_keymap_load_config(km, &cfg, err);
    fd_config_free(&cfg);
    return st == FD_OK ? FD_OK : FD_PARSE;
}
