/* tui/script.c: key scripts for screen tests. */
#include "config.h"

#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "utf8.h"

static void add(struct fd_tui_script *s, struct fd_tui_step step, int lineno)
{
    step.line = lineno;
    s->steps = fd_xreallocarray(s->steps, s->n + 1, sizeof(*s->steps));
    s->steps[s->n++] = step;
}

static char *parse_keys(struct fd_tui_script *s, const char *line, size_t len, const char *file,
                        int lineno)
{
    size_t i = 0;

    while (i < len) {
        struct fd_tui_step step = {FD_STEP_KEY, FD_KEY_NONE, NULL, 0, 0, 0, 0};
        if (line[i] == '<') {
            const char *end = memchr(line + i, '>', len - i);
            if (!end)
                return fd_xasprintf("%s:%d: '<' without '>' (write <lt> for '<')", file, lineno);
            char *name = fd_xstrndup(line + i + 1, (size_t)(end - line - i - 1));
            step.key = fd_tui_key_parse(name);
            if (step.key == FD_KEY_NONE) {
                char *msg = fd_xasprintf("%s:%d: unknown key <%s>", file, lineno, name);
                free(name);
                return msg;
            }
            free(name);
            i = (size_t)(end - line) + 1;
        } else {
            uint32_t cp;
            size_t n = fd_tui_utf8_decode(line + i, len - i, &cp);
            if (n == 0 || cp < 0x20)
                return fd_xasprintf("%s:%d: invalid character in keys", file, lineno);
            step.key = (fd_tui_key)cp;
            i += n;
        }
        add(s, step, lineno);
    }
    return NULL;
}

/* FD_SCRIPT_WAIT_S scaled by FD_TEST_TIMEOUT_SCALE (a whole number >= 1). */
static int wait_ms(void)
{
    const char *v = getenv("FD_TEST_TIMEOUT_SCALE");
    long scale = v && *v ? strtol(v, NULL, 10) : 1;

    if (scale < 1 || scale > 100)
        scale = 1;
    return (int)(FD_SCRIPT_WAIT_S * 1000L * scale);
}

static char *parse_directive(struct fd_tui_script *s, const char *line, const char *file,
                             int lineno)
{
    struct fd_tui_step step = {FD_STEP_WAKE, FD_KEY_NONE, NULL, 0, 0, 0, 0};
    char word[16], extra;
    int a, b;

    if (sscanf(line, "@resize %dx%d %c", &a, &b, &extra) == 2) {
        if (a < 1 || b < 1 || a > 1000 || b > 1000)
            return fd_xasprintf("%s:%d: @resize: size out of range", file, lineno);
        step.kind = FD_STEP_RESIZE;
        step.a = a;
        step.b = b;
    } else if (sscanf(line, "@sleep %d %c", &a, &extra) == 1) {
        if (a < 0 || a > 60000)
            return fd_xasprintf("%s:%d: @sleep: 0 to 60000 ms", file, lineno);
        step.kind = FD_STEP_SLEEP;
        step.a = a;
    } else if (strncmp(line, "@until ", 7) == 0 || strncmp(line, "@gone ", 6) == 0) {
        const char *text = line + (line[1] == 'u' ? 7 : 6);
        text += strspn(text, " \t");
        size_t len = strlen(text);
        while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
            len--;
        if (len == 0)
            return fd_xasprintf("%s:%d: %.6s: which text?", file, lineno, line);
        step.kind = FD_STEP_UNTIL;
        step.command = fd_xstrndup(text, len);
        step.a = line[1] == 'u';
        step.b = wait_ms();
    } else if (sscanf(line, "@%15s %c", word, &extra) == 1 && strcmp(word, "wake") == 0) {
        step.kind = FD_STEP_WAKE;
    } else if (sscanf(line, "@%15s %d %d %c", word, &a, &b, &extra) == 3 &&
               (strcmp(word, "click") == 0 || strcmp(word, "dblclick") == 0 ||
                strcmp(word, "wheelup") == 0 || strcmp(word, "wheeldown") == 0)) {
        /* What the terminal reports when the mouse is on: ROW COL on screen. */
        if (a < 0 || b < 0 || a > 1000 || b > 1000)
            return fd_xasprintf("%s:%d: @%s: position out of range", file, lineno, word);
        step.kind = FD_STEP_MOUSE;
        step.a = a;
        step.b = b;
        step.c = strcmp(word, "click") == 0      ? FD_MOUSE_CLICK
                 : strcmp(word, "dblclick") == 0 ? FD_MOUSE_DOUBLE_CLICK
                 : strcmp(word, "wheelup") == 0  ? FD_MOUSE_WHEEL_UP
                                                 : FD_MOUSE_WHEEL_DOWN;
    } else {
        return fd_xasprintf(
            "%s:%d: unknown directive (use @resize COLSxLINES, @until TEXT, "
            "@gone TEXT, @sleep MS, @wake, @click ROW COL, @dblclick ROW COL, @wheelup ROW COL, "
            "@wheeldown ROW COL)",
            file, lineno);
    }
    add(s, step, lineno);
    return NULL;
}

enum fd_status fd_tui_script_parse(struct fd_tui_script *s, const char *text, const char *file,
                                   char **err)
{
    const char *p = text;
    int lineno = 0;

    memset(s, 0, sizeof(*s));
    s->file = fd_xstrdup(file);
    *err = NULL;
    while (*p && !*err) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (len > 0 && p[len - 1] == '\r')
            len--;
        char *line = fd_xstrndup(p, len);
        if (line[0] == '#' || line[strspn(line, " \t")] == '\0') {
            /* comment or blank */
        } else if (line[0] == ':') {
            struct fd_tui_step step = {
                FD_STEP_COMMAND, FD_KEY_NONE, fd_xstrdup(line + 1), 0, 0, 0, 0};
            add(s, step, lineno);
        } else if (line[0] == '@') {
            *err = parse_directive(s, line, file, lineno);
        } else {
            *err = parse_keys(s, line, len, file, lineno);
        }
        free(line);
        p = nl ? nl + 1 : p + len;
    }
    if (*err) {
        fd_tui_script_free(s);
        return FD_PARSE;
    }
    return FD_OK;
}

enum fd_status fd_tui_script_load(struct fd_tui_script *s, const char *path, char **err)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *why;
    enum fd_status st;

    memset(s, 0, sizeof(*s));
    if ((st = fd_read_file(path, 16u << 20, &b, &why)) != FD_OK) {
        *err = fd_xasprintf("%s: %s", path, why);
        fd_buf_free(&b);
        return st;
    }
    if (memchr(fd_buf_cstr(&b), '\0', b.len)) {
        fd_buf_free(&b);
        *err = fd_xasprintf("%s: contains a NUL byte", path);
        return FD_PARSE;
    }
    st = fd_tui_script_parse(s, fd_buf_cstr(&b), path, err);
    fd_buf_free(&b);
    return st;
}

void fd_tui_script_free(struct fd_tui_script *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->steps[i].command);
    free(s->steps);
    free(s->file);
    memset(s, 0, sizeof(*s));
}

const struct fd_tui_step *fd_tui_script_next(struct fd_tui_script *s)
{
    return s->next < s->n ? &s->steps[s->next++] : NULL;
}
