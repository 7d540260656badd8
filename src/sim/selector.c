/* sim/selector.c: label and field selectors. */
#include "config.h"

#include "selector.h"

#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"

enum op { OP_EQ, OP_NE, OP_IN, OP_NOTIN, OP_EXISTS, OP_NOT_EXISTS };

struct requirement {
    char *key;
    enum op op;
    char **values;
    size_t nvalues;
};

struct fd_sim_selector {
    bool fields;
    struct requirement *reqs;
    size_t n;
};

void fd_sim_selector_free(struct fd_sim_selector *sel)
{
    if (!sel)
        return;
    for (size_t i = 0; i < sel->n; i++) {
        free(sel->reqs[i].key);
        for (size_t j = 0; j < sel->reqs[i].nvalues; j++)
            free(sel->reqs[i].values[j]);
        free(sel->reqs[i].values);
    }
    free(sel->reqs);
    free(sel);
}

bool fd_sim_selector_empty(const struct fd_sim_selector *sel)
{
    return !sel || sel->n == 0;
}

struct lexer {
    const char *s;
    size_t pos;
};

static void skip_space(struct lexer *lx)
{
    while (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t')
        lx->pos++;
}

/* Characters of a label key or value: [A-Za-z0-9._/-]. */
static bool word_char(char c)
{
    return fd_ascii_isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-' || c == '/';
}

static char *word(struct lexer *lx)
{
    skip_space(lx);
    size_t start = lx->pos;
    while (word_char(lx->s[lx->pos]))
        lx->pos++;
    return fd_xstrndup(lx->s + start, lx->pos - start);
}

static bool keyword(struct lexer *lx, const char *kw)
{
    size_t n = strlen(kw);
    skip_space(lx);
    if (strncmp(lx->s + lx->pos, kw, n) == 0 && !word_char(lx->s[lx->pos + n])) {
        lx->pos += n;
        return true;
    }
    return false;
}

static void add_value(struct requirement *r, char *v)
{
    r->values = fd_xreallocarray(r->values, r->nvalues + 1, sizeof(*r->values));
    r->values[r->nvalues++] = v;
}

/* A label value: at most 63 characters, alphanumeric at both ends. */
static bool valid_value(const char *v)
{
    size_t n = strlen(v);
    if (n == 0)
        return true;
    if (n > 63 || !fd_ascii_isalnum((unsigned char)v[0]) ||
        !fd_ascii_isalnum((unsigned char)v[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (v[i] == '/')
            return false;
    return true;
}

static char *parse_requirement(struct lexer *lx, struct requirement *r)
{
    skip_space(lx);
    if (lx->s[lx->pos] == '!') {
        lx->pos++;
        r->key = word(lx);
        r->op = OP_NOT_EXISTS;
        if (!r->key[0])
            return fd_xasprintf(
                "unable to parse requirement: found '%c', expected: identifier after '!'",
                lx->s[lx->pos] ? lx->s[lx->pos] : ' ');
        return NULL;
    }
    r->key = word(lx);
    if (!r->key[0])
        return fd_xasprintf("unable to parse requirement: found '%s', expected: identifier",
                            lx->s[lx->pos] ? lx->s + lx->pos : "EOS");
    skip_space(lx);
    const char *p = lx->s + lx->pos;
    if (*p == '\0' || *p == ',') {
        r->op = OP_EXISTS;
        return NULL;
    }
    if (strncmp(p, "==", 2) == 0 || strncmp(p, "!=", 2) == 0 || *p == '=') {
        r->op = *p == '!' ? OP_NE : OP_EQ;
        lx->pos += *p == '=' && p[1] != '=' ? 1 : 2;
        /* parseExactValue: the value is an identifier, or nothing. */
        skip_space(lx);
        const char *q = lx->s + lx->pos;
        if (*q == '=' || *q == '!' || *q == '(' || *q == ')') {
            int n = (q[1] == '=' && (*q == '=' || *q == '!')) ? 2 : 1;
            return fd_xasprintf("unable to parse requirement: found '%.*s', expected: identifier",
                                n, q);
        }
        char *v = word(lx);
        if (!valid_value(v)) {
            char *e =
                fd_xasprintf("unable to parse requirement: invalid label value: \"%s\": a valid "
                             "label must be an empty string or consist of alphanumeric "
                             "characters, '-', '_' or '.', and must start and end with an "
                             "alphanumeric character",
                             v);
            free(v);
            return e;
        }
        add_value(r, v);
        return NULL;
    }
    bool in = keyword(lx, "in");
    if (!in && !keyword(lx, "notin"))
        return fd_xasprintf(
            "unable to parse requirement: found '%s', expected: in, notin, =, ==, !=, "
            "gt, lt",
            lx->s + lx->pos);
    r->op = in ? OP_IN : OP_NOTIN;
    skip_space(lx);
    if (lx->s[lx->pos] != '(')
        return fd_xasprintf("unable to parse requirement: found '%s', expected: '('",
                            lx->s + lx->pos);
    lx->pos++;
    for (;;) {
        char *v = word(lx);
        add_value(r, v);
        skip_space(lx);
        if (lx->s[lx->pos] == ',') {
            lx->pos++;
            continue;
        }
        if (lx->s[lx->pos] == ')') {
            lx->pos++;
            return NULL;
        }
        return fd_xasprintf("unable to parse requirement: found '%s', expected: ',' or ')'",
                            lx->s[lx->pos] ? lx->s + lx->pos : "EOS");
    }
}

static struct fd_sim_selector *parse(const char *text, bool fields, char **err)
{
    struct fd_sim_selector *sel = fd_xcalloc(1, sizeof(*sel));
    struct lexer lx = {text ? text : "", 0};

    *err = NULL;
    sel->fields = fields;
    skip_space(&lx);
    if (!lx.s[lx.pos])
        return sel;
    for (;;) {
        sel->reqs = fd_xreallocarray(sel->reqs, sel->n + 1, sizeof(*sel->reqs));
        struct requirement *r = &sel->reqs[sel->n++];
        memset(r, 0, sizeof(*r));
        *err = parse_requirement(&lx, r);
        if (!*err && fields) {
            if (r->op != OP_EQ && r->op != OP_NE)
                *err = fd_xasprintf("invalid selector: '%s'; can't understand '%s'", text, r->key);
            else if (strcmp(r->key, "metadata.name") != 0 &&
                     strcmp(r->key, "metadata.namespace") != 0)
                *err = fd_xasprintf("field label not supported: %s", r->key);
        }
        if (*err) {
            fd_sim_selector_free(sel);
            return NULL;
        }
        skip_space(&lx);
        if (!lx.s[lx.pos])
            return sel;
        if (lx.s[lx.pos] != ',') {
            *err = fd_xasprintf("unable to parse requirement: found '%s', expected: ','",
                                lx.s + lx.pos);
            fd_sim_selector_free(sel);
            return NULL;
        }
        lx.pos++;
    }
}

struct fd_sim_selector *fd_sim_label_selector_parse(const char *text, char **err)
{
    return parse(text, false, err);
}

struct fd_sim_selector *fd_sim_field_selector_parse(const char *text, char **err)
{
    return parse(text, true, err);
}

static const char *lookup(const struct fd_sim_selector *sel, const json_t *obj, const char *key)
{
    json_t *meta = json_object_get(obj, "metadata");
    if (sel->fields) {
        const char *v = json_string_value(json_object_get(meta, key + strlen("metadata.")));
        return v ? v : "";
    }
    return json_string_value(json_object_get(json_object_get(meta, "labels"), key));
}

bool fd_sim_selector_matches(const struct fd_sim_selector *sel, const json_t *obj)
{
    if (!sel)
        return true;
    for (size_t i = 0; i < sel->n; i++) {
        const struct requirement *r = &sel->reqs[i];
        const char *v = lookup(sel, obj, r->key);
        bool found = false;
        for (size_t j = 0; v && j < r->nvalues; j++)
            if (strcmp(v, r->values[j]) == 0)
                found = true;
        switch (r->op) {
        case OP_EQ:
        case OP_IN:
            if (!found)
                return false;
            break;
        case OP_NE:
        case OP_NOTIN:
            if (found)
                return false;
            break;
        case OP_EXISTS:
            if (!v)
                return false;
            break;
        case OP_NOT_EXISTS:
            if (v)
                return false;
            break;
        }
    }
    return true;
}

const char *fd_sim_selector_equals(const struct fd_sim_selector *sel, const char *key)
{
    for (size_t i = 0; sel && i < sel->n; i++)
        if (sel->reqs[i].op == OP_EQ && strcmp(sel->reqs[i].key, key) == 0)
            return sel->reqs[i].values[0];
    return NULL;
}
