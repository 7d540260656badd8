/* tui/theme.c: roles, colours and the YAML theme files. */
#include "config.h"

#include "theme.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "freightdeck/yaml.h"

struct role_row {
    const char *name, *help;
    int16_t fg, bg;
    uint8_t attrs, mono;
};

static const struct role_row roles[FD_ROLE__COUNT] = {
#define B                                                       FD_TUI_ATTR_BOLD
#define D                                                       FD_TUI_ATTR_DIM
#define U                                                       FD_TUI_ATTR_UNDERLINE
#define R                                                       FD_TUI_ATTR_REVERSE
#define FD_TUI_ROLE_ROW(name, yname, help, fg, bg, attrs, mono) {yname, help, fg, bg, attrs, mono},
    FD_TUI_ROLE_TABLE(FD_TUI_ROLE_ROW)
#undef FD_TUI_ROLE_ROW
#undef B
#undef D
#undef U
#undef R
};

const char *fd_tui_role_name(enum fd_tui_role role)
{
    return (unsigned)role < FD_ROLE__COUNT ? roles[role].name : "?";
}

/* FD_ROLE__COUNT when unknown. */
static enum fd_tui_role fd_tui_role_by_name(const char *name)
{
    for (int r = 0; r < FD_ROLE__COUNT; r++)
        if (strcmp(roles[r].name, name) == 0)
            return (enum fd_tui_role)r;
    return FD_ROLE__COUNT;
}

void fd_tui_theme_plain(struct fd_tui_theme *t)
{
    memset(t, 0, sizeof(*t));
    for (int r = 0; r < FD_ROLE__COUNT; r++) {
        t->style[r].fg = t->style[r].bg = FD_TUI_COLOR_DEFAULT;
        t->style[r].fg16 = t->style[r].bg16 = FD_TUI_COLOR_AUTO;
    }
}

void fd_tui_theme_builtin(struct fd_tui_theme *t)
{
    fd_tui_theme_plain(t);
    snprintf(t->name, sizeof(t->name), "dark");
    snprintf(t->description, sizeof(t->description), "the default: for dark terminals");
    t->has_color = true;
    for (int r = 0; r < FD_ROLE__COUNT; r++) {
        t->style[r].fg = roles[r].fg;
        t->style[r].bg = roles[r].bg;
        t->style[r].attrs = roles[r].attrs;
    }
}

void fd_tui_theme_builtin_mono(struct fd_tui_theme *t)
{
    fd_tui_theme_plain(t);
    snprintf(t->name, sizeof(t->name), "mono");
    snprintf(t->description, sizeof(t->description), "attributes only, no colour");
    for (int r = 0; r < FD_ROLE__COUNT; r++)
        t->style[r].attrs = roles[r].mono;
}

/* ---- Colours ------------------------------------------------------------- */

static const char *const basic_colors[16] = {
    "black",        "red",           "green",       "yellow",         "blue",
    "magenta",      "cyan",          "white",       "bright-black",   "bright-red",
    "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan",
    "bright-white",
};

/* Every accepted colour word, for "did you mean". */
static const char *const color_words[] = {
    "default",     "black",        "red",           "green",       "yellow",
    "blue",        "magenta",      "cyan",          "white",       "bright-black",
    "bright-red",  "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
    "bright-cyan", "bright-white", "gray",          "grey",
};

static bool parse_uint255(const char *s, int16_t *out)
{
    int v = 0;

    if (!*s || strlen(s) > 3)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v > 255)
        return false;
    *out = (int16_t)v;
    return true;
}

enum fd_status fd_tui_color_parse(const char *s, int16_t *out)
{
    if (!s)
        return FD_INVALID;
    if (strcasecmp(s, "default") == 0 || strcasecmp(s, "none") == 0) {
        *out = FD_TUI_COLOR_DEFAULT;
        return FD_OK;
    }
    if (strcasecmp(s, "gray") == 0 || strcasecmp(s, "grey") == 0) {
        *out = 8;
        return FD_OK;
    }
    for (int i = 0; i < 16; i++)
        if (strcasecmp(s, basic_colors[i]) == 0) {
            *out = (int16_t)i;
            return FD_OK;
        }
    if (strncasecmp(s, "colour", 6) == 0)
        return parse_uint255(s + 6, out) ? FD_OK : FD_INVALID;
    if (strncasecmp(s, "color", 5) == 0)
        return parse_uint255(s + 5, out) ? FD_OK : FD_INVALID;
    return parse_uint255(s, out) ? FD_OK : FD_INVALID;
}

static void xterm_rgb(int c, int rgb[3])
{
    static const int basic[16][3] = {
        {0, 0, 0},       {205, 0, 0},   {0, 205, 0},   {205, 205, 0},
        {0, 0, 238},     {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},   {0, 255, 0},   {255, 255, 0},
        {92, 92, 255},   {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
    };
    static const int level[6] = {0, 95, 135, 175, 215, 255};

    if (c < 16) {
        memcpy(rgb, basic[c], sizeof(basic[c]));
    } else if (c < 232) {
        c -= 16;
        rgb[0] = level[c / 36];
        rgb[1] = level[(c / 6) % 6];
        rgb[2] = level[c % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + (c - 232) * 10;
    }
}

int16_t fd_tui_color_nearest16(int16_t c)
{
    int rgb[3], best = 0;
    long best_d = -1;

    if (c < 16)
        return c;
    xterm_rgb(c, rgb);
    for (int i = 0; i < 16; i++) {
        int o[3];
        long d = 0;
        xterm_rgb(i, o);
        for (int k = 0; k < 3; k++)
            d += (long)(rgb[k] - o[k]) * (rgb[k] - o[k]);
        if (best_d < 0 || d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return (int16_t)best;
}

void fd_tui_style_resolve(const struct fd_tui_style *s, int colors, int16_t *fg, int16_t *bg,
                          uint8_t *attrs)
{
    *fg = s->fg;
    *bg = s->bg;
    *attrs = s->attrs;
    if (colors >= 256)
        return;
    if (*fg >= 16)
        *fg = s->fg16 != FD_TUI_COLOR_AUTO ? s->fg16 : fd_tui_color_nearest16(*fg);
    if (*bg >= 16)
        *bg = s->bg16 != FD_TUI_COLOR_AUTO ? s->bg16 : fd_tui_color_nearest16(*bg);
    if (colors >= 16)
        return;
    /* 8 colours: bright foregrounds are the bold ones; bright black would be
     * black on black, so it becomes dim white. */
    if (*fg == 8) {
        *fg = 7;
        *attrs |= FD_TUI_ATTR_DIM;
    } else if (*fg > 8) {
        *fg = (int16_t)(*fg - 8);
        *attrs |= FD_TUI_ATTR_BOLD;
    }
    if (*bg >= 8)
        *bg = (int16_t)(*bg - 8);
}

/* ---- Parsing -------------------------------------------------------------- */

static const char *const attr_words[] = {"bold", "dim", "underline", "reverse", "none"};
static const uint8_t attr_bits[] = {FD_TUI_ATTR_BOLD, FD_TUI_ATTR_DIM, FD_TUI_ATTR_UNDERLINE,
                                    FD_TUI_ATTR_REVERSE, 0};

static char *bad_word(struct fd_yaml *y, yaml_node_t *n, const char *what, const char *word,
                      const char *const *cands, size_t ncands)
{
    struct fd_buf b = FD_BUF_INIT;
    char *msg;

    fd_buf_printf(&b, "unknown %s \"%s\"", what, word);
    fd_suggest_append(&b, word, cands, ncands);
    msg = fd_yaml_error(y, n, "%s", fd_buf_cstr(&b));
    fd_buf_free(&b);
    return msg;
}

static char *parse_attr_word(struct fd_yaml *y, yaml_node_t *n, const char *w, uint8_t *out)
{
    for (size_t i = 0; i < FD_ARRAY_SIZE(attr_words); i++)
        if (strcasecmp(w, attr_words[i]) == 0) {
            *out |= attr_bits[i];
            return NULL;
        }
    return bad_word(y, n, "attribute", w, attr_words, FD_ARRAY_SIZE(attr_words));
}

static char *parse_attrs(struct fd_yaml *y, yaml_node_t *n, uint8_t *out)
{
    char *err = NULL;

    *out = 0;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top && !err; it++) {
            yaml_node_t *in = fd_yaml_node(y, *it);
            const char *w = fd_yaml_scalar(in);
            if (!w)
                return fd_yaml_error(y, in,
                                     "attributes are words: bold, dim, underline, "
                                     "reverse");
            err = parse_attr_word(y, in, w, out);
        }
        return err;
    }
    const char *text = fd_yaml_scalar(n);
    if (!text)
        return fd_yaml_error(y, n, "attrs must be a word list such as \"bold underline\"");
    char *copy = fd_xstrdup(text), *save = NULL;
    for (char *w = strtok_r(copy, " ,|\t", &save); w && !err; w = strtok_r(NULL, " ,|\t", &save))
        err = parse_attr_word(y, n, w, out);
    free(copy);
    return err;
}

static char *parse_color(struct fd_yaml *y, yaml_node_t *n, const char *key, int16_t *out,
                         bool basic_only)
{
    const char *text = fd_yaml_scalar(n);
    int16_t c;

    if (!text)
        return fd_yaml_error(y, n, "%s must be a colour name or a number 0-255", key);
    if (fd_tui_color_parse(text, &c) != FD_OK) {
        if (strncasecmp(text, "color", 5) == 0 || (text[0] >= '0' && text[0] <= '9'))
            return fd_yaml_error(y, n, "colour \"%s\" is out of range (0-255)", text);
        return bad_word(y, n, "colour", text, color_words, FD_ARRAY_SIZE(color_words));
    }
    if (basic_only && c >= 16)
        return fd_yaml_error(y, n, "%s must be one of the 16 basic colours, not \"%s\"", key, text);
    *out = c;
    return NULL;
}

static const char *const style_keys[] = {"fg", "bg", "fg16", "bg16", "attrs"};

static char *parse_style(struct fd_yaml *y, yaml_node_t *n, struct fd_tui_style *s, bool *has_color)
{
    char *err = NULL;
    struct fd_tui_style out;

    out.fg = out.bg = FD_TUI_COLOR_DEFAULT;
    out.fg16 = out.bg16 = FD_TUI_COLOR_AUTO;
    out.attrs = 0;
    if (n->type == YAML_SCALAR_NODE) { /* "ok: green" is short for fg */
        err = parse_color(y, n, "fg", &out.fg, false);
    } else if (n->type != YAML_MAPPING_NODE) {
        return fd_yaml_error(y, n,
                             "a colour entry is a mapping: {fg: ..., bg: ..., "
                             "attrs: ...}");
    } else {
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             p < n->data.mapping.pairs.top && !err; p++) {
            yaml_node_t *kn = fd_yaml_node(y, p->key), *vn = fd_yaml_node(y, p->value);
            const char *k = fd_yaml_scalar(kn);
            if (!k)
                err = fd_yaml_error(y, kn, "keys of a colour entry are words");
            else if (strcmp(k, "fg") == 0)
                err = parse_color(y, vn, k, &out.fg, false);
            else if (strcmp(k, "bg") == 0)
                err = parse_color(y, vn, k, &out.bg, false);
            else if (strcmp(k, "fg16") == 0)
                err = parse_color(y, vn, k, &out.fg16, true);
            else if (strcmp(k, "bg16") == 0)
                err = parse_color(y, vn, k, &out.bg16, true);
            else if (strcmp(k, "attrs") == 0)
                err = parse_attrs(y, vn, &out.attrs);
            else
                err = bad_word(y, kn, "key", k, style_keys, FD_ARRAY_SIZE(style_keys));
        }
    }
    if (!err) {
        *s = out;
        if (out.fg != FD_TUI_COLOR_DEFAULT || out.bg != FD_TUI_COLOR_DEFAULT)
            *has_color = true;
    }
    return err;
}

static const char *const top_keys[] = {"name", "description", "inherits", "colors", "colours"};

static char *parse_colors(struct fd_yaml *y, yaml_node_t *n, struct fd_tui_theme *t)
{
    const char *names[FD_ROLE__COUNT];
    bool seen[FD_ROLE__COUNT] = {false};
    char *err = NULL;

    if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)
        return NULL;
    if (n->type != YAML_MAPPING_NODE)
        return fd_yaml_error(y, n, "colors: must be a mapping of role: colours");
    for (int r = 0; r < FD_ROLE__COUNT; r++)
        names[r] = roles[r].name;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top && !err;
         p++) {
        yaml_node_t *kn = fd_yaml_node(y, p->key), *vn = fd_yaml_node(y, p->value);
        const char *k = fd_yaml_scalar(kn);
        enum fd_tui_role role = k ? fd_tui_role_by_name(k) : FD_ROLE__COUNT;
        if (role == FD_ROLE__COUNT)
            err = k ? bad_word(y, kn, "role", k, names, FD_ROLE__COUNT)
                    : fd_yaml_error(y, kn, "role names are words");
        else if (seen[role])
            err = fd_yaml_error(y, kn, "role \"%s\" is listed twice", k);
        else if (!vn)
            err = fd_yaml_error(y, kn, "role \"%s\" has no value", k);
        else
            err = parse_style(y, vn, &t->style[role], &t->has_color);
        if (role != FD_ROLE__COUNT)
            seen[role] = true;
    }
    return err;
}

enum fd_status fd_tui_theme_parse(struct fd_tui_theme *t, const char *text, size_t len,
                                  const char *file, char **inherits, char **err)
{
    struct fd_yaml y;
    yaml_node_t *root;

    *inherits = NULL;
    if (fd_yaml_load(&y, text, len, file, err) != FD_OK)
        return FD_PARSE;
    root = fd_yaml_root(&y);
    if (!root) {
        *err = fd_yaml_error(&y, NULL, "empty theme file");
    } else if (root->type != YAML_MAPPING_NODE) {
        *err = fd_yaml_error(&y, root,
                             "a theme is a mapping with name, description and "
                             "colors");
    } else {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
             p < root->data.mapping.pairs.top && !*err; p++) {
            yaml_node_t *kn = fd_yaml_node(&y, p->key), *vn = fd_yaml_node(&y, p->value);
            const char *k = fd_yaml_scalar(kn), *v = fd_yaml_scalar(vn);
            if (!k) {
                *err = fd_yaml_error(&y, kn, "top-level keys are words");
            } else if (strcmp(k, "colors") == 0 || strcmp(k, "colours") == 0) {
                *err = parse_colors(&y, vn, t);
            } else if (strcmp(k, "name") == 0 || strcmp(k, "description") == 0 ||
                       strcmp(k, "inherits") == 0) {
                if (!v)
                    *err = fd_yaml_error(&y, vn, "%s must be a string", k);
                else if (k[0] == 'n')
                    snprintf(t->name, sizeof(t->name), "%s", v);
                else if (k[0] == 'd')
                    snprintf(t->description, sizeof(t->description), "%s", v);
                else if (!*inherits)
                    *inherits = fd_xstrdup(v);
            } else {
                *err = bad_word(&y, kn, "key", k, top_keys, FD_ARRAY_SIZE(top_keys));
            }
        }
    }
    fd_yaml_free(&y);
    if (*err) {
        free(*inherits);
        *inherits = NULL;
        return FD_PARSE;
    }
    return FD_OK;
}

/* ---- Search path ---------------------------------------------------------- */

static bool valid_name(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) > 48)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

/* The search path, most specific first; entries are allocated. */
static size_t theme_dirs(char *dirs[3])
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    const char *env = getenv("FREIGHTDECK_THEMES_DIR");
    size_t n = 0;

    if (xdg && *xdg)
        dirs[n++] = fd_xasprintf("%s/freightdeck/themes", xdg);
    else if (home && *home)
        dirs[n++] = fd_xasprintf("%s/.config/freightdeck/themes", home);
    if (env && *env)
        dirs[n++] = fd_xstrdup(env);
    dirs[n++] = fd_xstrdup(FD_PKGDATADIR "/themes");
    return n;
}

/* Finds NAME.yaml in the search path, first match wins:
 * $XDG_CONFIG_HOME/freightdeck/themes (else ~/.config/...), then
 * $FREIGHTDECK_THEMES_DIR, then the installed $(pkgdatadir)/themes. Returns
 * the path (caller frees) or NULL. */
static char *fd_tui_theme_find(const char *name)
{
    char *dirs[3], *found = NULL;
    size_t n;

    if (!valid_name(name))
        return NULL;
    n = theme_dirs(dirs);
    for (size_t i = 0; i < n; i++) {
        char *path = fd_xasprintf("%s/%s.yaml", dirs[i], name);
        FILE *f = found ? NULL : fopen(path, "r");
        if (f) {
            fclose(f);
            found = path;
        } else {
            free(path);
        }
        free(dirs[i]);
    }
    return found;
}

static enum fd_status load_depth(const char *name, struct fd_tui_theme *t, char **err, int depth)
{
    char *path, *shown, *inherits = NULL;
    struct fd_buf text = FD_BUF_INIT;
    struct fd_tui_theme work;
    enum fd_status st;

    *err = NULL;
    if (!valid_name(name)) {
        *err = fd_xasprintf("invalid theme name \"%s\" (letters, digits, '-', '_')", name);
        return FD_INVALID;
    }
    path = fd_tui_theme_find(name);
    const char *embedded = NULL;
    for (size_t i = 0; !path && fd_tui_embedded_themes[i].name; i++)
        if (strcmp(fd_tui_embedded_themes[i].name, name) == 0)
            embedded = fd_tui_embedded_themes[i].text;
    if (!path && !embedded) {
        if (strcmp(name, "dark") == 0) {
            fd_tui_theme_builtin(t);
            return FD_OK;
        }
        char **names;
        size_t n = fd_tui_theme_names(&names);
        struct fd_buf b = FD_BUF_INIT;
        fd_buf_printf(&b, "unknown theme \"%s\"", name);
        fd_suggest_append(&b, name, (const char *const *)names, n);
        fd_buf_puts(&b, " (themes:");
        for (size_t i = 0; i < n; i++)
            fd_buf_printf(&b, " %s", names[i]);
        fd_buf_puts(&b, ")");
        fd_tui_theme_names_free(names, n);
        *err = fd_buf_steal(&b);
        return FD_NOT_FOUND;
    }
    const char *why = NULL;
    if (embedded) {
        /* A shipped theme, compiled in: no file needed. */
        shown = fd_xasprintf("(built-in) %s.yaml", name);
        fd_buf_puts(&text, embedded);
        st = FD_OK;
    } else {
        shown = fd_display_path(path);
        st = fd_read_file(path, 1u << 20, &text, &why); /* a theme is a few hundred bytes */
    }
    if (st != FD_OK) {
        *err = fd_xasprintf("%s: cannot read: %s", shown, why);
        goto out;
    }
    fd_tui_theme_plain(&work);
    st = fd_tui_theme_parse(&work, text.data ? text.data : "", text.len, shown, &inherits, err);
    if (st != FD_OK)
        goto out;
    if (inherits) {
        if (depth >= 4) {
            *err = fd_xasprintf("%s: inherits: themes nest more than 4 deep", shown);
            st = FD_INVALID;
            goto out;
        }
        struct fd_tui_theme parent;
        char *perr = NULL;
        st = load_depth(inherits, &parent, &perr, depth + 1);
        if (st != FD_OK) {
            *err = fd_xasprintf("%s: inherits \"%s\": %s", shown, inherits, perr);
            free(perr);
            goto out;
        }
        /* Re-parse over the parent: roles the child names replace its. */
        free(inherits);
        inherits = NULL;
        work = parent;
        st = fd_tui_theme_parse(&work, text.data ? text.data : "", text.len, shown, &inherits, err);
        if (st != FD_OK)
            goto out;
    }
    if (!work.name[0] || strcmp(work.name, name) != 0)
        snprintf(work.name, sizeof(work.name), "%s", name);
    *t = work;
out:
    free(inherits);
    free(shown);
    free(path);
    fd_buf_free(&text);
    return st;
}

enum fd_status fd_tui_theme_load(const char *name, struct fd_tui_theme *t, char **err)
{
    return load_depth(name, t, err, 0);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t fd_tui_theme_names(char ***names)
{
    char *dirs[3];
    size_t nd = theme_dirs(dirs), n = 0, j = 0;
    char **v = fd_xmalloc(sizeof(*v));

    v[n++] = fd_xstrdup("dark");
    for (size_t i = 0; fd_tui_embedded_themes[i].name; i++) {
        v = fd_xreallocarray(v, n + 1, sizeof(*v));
        v[n++] = fd_xstrdup(fd_tui_embedded_themes[i].name);
    }
    for (size_t i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            size_t l = strlen(e->d_name);
            if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0) {
                char *name = fd_xstrndup(e->d_name, l - 5);
                if (valid_name(name)) {
                    v = fd_xreallocarray(v, n + 1, sizeof(*v));
                    v[n++] = name;
                } else {
                    free(name);
                }
            }
        }
        if (d)
            closedir(d);
        free(dirs[i]);
    }
    qsort(v, n, sizeof(*v), by_str);
    for (size_t i = 0; i < n; i++) {
        if (j > 0 && strcmp(v[j - 1], v[i]) == 0)
            free(v[i]);
        else
            v[j++] = v[i];
    }
    *names = v;
    return j;
}

void fd_tui_theme_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
