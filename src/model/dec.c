/* model/dec.c: typed field readers that record the path of the first type error. */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fd_model_dec_push(struct fd_model_dec *d, const char *field)
{
    size_t mark = d->path.len;

    if (d->path.len)
        fd_buf_putc(&d->path, '.');
    fd_buf_puts(&d->path, field);
    return mark;
}

size_t fd_model_dec_push_index(struct fd_model_dec *d, size_t i)
{
    size_t mark = d->path.len;

    fd_buf_printf(&d->path, "[%zu]", i);
    return mark;
}

void fd_model_dec_pop(struct fd_model_dec *d, size_t mark)
{
    d->path.len = mark;
    if (d->path.data)
        d->path.data[mark] = '\0';
}

void fd_model_dec_fail(struct fd_model_dec *d, const char *expected, const json_t *got)
{
    if (d->error)
        return;
    d->error = fd_xasprintf("%s: expected %s, got %s", fd_buf_cstr(&d->path), expected,
                            fd_json_type_name(got, false));
}

static void dec_fail_value(struct fd_model_dec *d, const char *what, const char *value)
{
    if (d->error)
        return;
    d->error = fd_xasprintf("%s: %s \"%.60s\"", fd_buf_cstr(&d->path), what, value);
}

/* The value under key, or NULL when missing or null. */
static const json_t *field(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

    return json_is_null(v) ? NULL : v;
}

static bool dec_str(struct fd_model_dec *d, const json_t *obj, const char *key, char **out,
                    bool intern)
{
    const json_t *v = field(obj, key);

    if (!v)
        return false;
    if (!json_is_string(v)) {
        size_t m = fd_model_dec_push(d, key);
        fd_model_dec_fail(d, "string", v);
        fd_model_dec_pop(d, m);
        return false;
    }
    const char *text = json_string_value(v);
    size_t len = json_string_length(v);
    char *shown = NULL;
    if (memchr(text, '\0', len)) { /* a NUL is shown as ␀ (util.h) */
        text = shown = fd_json_text(v);
        len = strlen(shown);
    }
    fd_free_str(*out);
    *out = intern ? fd_intern(text, len) : fd_xstrndup(text, len);
    free(shown);
    return true;
}

bool fd_model_dec_str(struct fd_model_dec *d, const json_t *obj, const char *key, char **out)
{
    return dec_str(d, obj, key, out, false);
}

bool fd_model_dec_istr(struct fd_model_dec *d, const json_t *obj, const char *key, char **out)
{
    return dec_str(d, obj, key, out, true);
}

bool fd_model_dec_int(struct fd_model_dec *d, const json_t *obj, const char *key, int64_t *out)
{
    const json_t *v = field(obj, key);

    if (!v)
        return false;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    /* 3.0 is an integer to Kubernetes' decoder; 3.5 is not. */
    if (json_is_real(v)) {
        double r = json_real_value(v);
        if (r >= -9.2e18 && r <= 9.2e18 && (double)(int64_t)r == r) {
            *out = (int64_t)r;
            return true;
        }
    }
    size_t m = fd_model_dec_push(d, key);
    fd_model_dec_fail(d, "integer", v);
    fd_model_dec_pop(d, m);
    return false;
}

bool fd_model_dec_bool(struct fd_model_dec *d, const json_t *obj, const char *key, bool *out)
{
    const json_t *v = field(obj, key);

    if (!v)
        return false;
    if (!json_is_boolean(v)) {
        size_t m = fd_model_dec_push(d, key);
        fd_model_dec_fail(d, "boolean", v);
        fd_model_dec_pop(d, m);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool fd_model_dec_time(struct fd_model_dec *d, const json_t *obj, const char *key, int64_t *out)
{
    char *s = NULL;
    bool ok = false;
    int64_t ms;

    if (!fd_model_dec_str(d, obj, key, &s))
        return false;
    if (fd_time_parse_rfc3339(s, &ms)) {
        *out = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000); /* floor, as Go's Unix() */
        ok = true;
    } else {
        size_t m = fd_model_dec_push(d, key);
        dec_fail_value(d, "not an RFC 3339 time:", s);
        fd_model_dec_pop(d, m);
    }
    free(s);
    return ok;
}

bool fd_model_dec_duration(struct fd_model_dec *d, const json_t *obj, const char *key, int64_t *out)
{
    char *s = NULL;
    bool ok = false;

    if (!fd_model_dec_str(d, obj, key, &s))
        return false;
    if (fd_model_parse_duration(s, out)) {
        ok = true;
    } else {
        size_t m = fd_model_dec_push(d, key);
        dec_fail_value(d, "not a duration:", s);
        fd_model_dec_pop(d, m);
    }
    free(s);
    return ok;
}

const json_t *fd_model_dec_obj(struct fd_model_dec *d, const json_t *obj, const char *key)
{
    const json_t *v = field(obj, key);

    if (!v)
        return NULL;
    if (!json_is_object(v)) {
        size_t m = fd_model_dec_push(d, key);
        fd_model_dec_fail(d, "object", v);
        fd_model_dec_pop(d, m);
        return NULL;
    }
    return v;
}

const json_t *fd_model_dec_arr(struct fd_model_dec *d, const json_t *obj, const char *key)
{
    const json_t *v = field(obj, key);

    if (!v)
        return NULL;
    if (!json_is_array(v)) {
        size_t m = fd_model_dec_push(d, key);
        fd_model_dec_fail(d, "array", v);
        fd_model_dec_pop(d, m);
        return NULL;
    }
    return v;
}

bool fd_model_dec_is_obj(struct fd_model_dec *d, const json_t *v)
{
    if (json_is_object(v))
        return true;
    fd_model_dec_fail(d, "object", v);
    return false;
}

char **fd_model_dec_str_array(struct fd_model_dec *d, const json_t *obj, const char *key, size_t *n)
{
    const json_t *a = fd_model_dec_arr(d, obj, key);
    char **v;
    size_t k = 0;

    *n = 0;
    if (!a || !json_array_size(a))
        return NULL;
    size_t m = fd_model_dec_push(d, key);
    v = fd_xcalloc(json_array_size(a), sizeof(*v));
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *e = json_array_get(a, i);
        if (!json_is_string(e)) {
            size_t mi = fd_model_dec_push_index(d, i);
            fd_model_dec_fail(d, "string", e);
            fd_model_dec_pop(d, mi);
            continue;
        }
        v[k++] = fd_json_text(e);
    }
    fd_model_dec_pop(d, m);
    *n = k;
    return v;
}

struct fd_model_kv *fd_model_dec_kv_map(struct fd_model_dec *d, const json_t *obj, const char *key,
                                        size_t *n, const char *skip_key)
{
    const json_t *map = fd_model_dec_obj(d, obj, key);
    struct fd_model_kv *kv;
    const char *k;
    json_t *v;
    size_t i = 0;

    *n = 0;
    if (!map || !json_object_size(map))
        return NULL;
    size_t m = fd_model_dec_push(d, key);
    kv = fd_xcalloc(json_object_size(map), sizeof(*kv));
    json_object_foreach(dec_mut(map), k, v)
    {
        if (skip_key && strcmp(k, skip_key) == 0)
            continue;
        if (!json_is_string(v)) {
            size_t mk = fd_model_dec_push(d, k);
            fd_model_dec_fail(d, "string", v);
            fd_model_dec_pop(d, mk);
            continue;
        }
        kv[i].key = fd_intern(k, strlen(k)); /* label keys repeat */
        kv[i].value = fd_json_text(v);
        i++;
    }
    fd_model_dec_pop(d, m);
    *n = i;
    return kv;
}

struct fd_model_condition *fd_model_dec_conditions(struct fd_model_dec *d, const json_t *obj,
                                                   size_t *n)
{
    const json_t *a = fd_model_dec_arr(d, obj, "conditions");
    struct fd_model_condition *c;

    *n = 0;
    if (!a || !json_array_size(a))
        return NULL;
    size_t m = fd_model_dec_push(d, "conditions");
    c = fd_xcalloc(json_array_size(a), sizeof(*c));
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *e = json_array_get(a, i);
        size_t mi = fd_model_dec_push_index(d, i);
        if (fd_model_dec_is_obj(d, e)) {
            fd_model_dec_istr(d, e, "type", &c[i].type);
            fd_model_dec_istr(d, e, "status", &c[i].status);
            fd_model_dec_istr(d, e, "reason", &c[i].reason);
            fd_model_dec_str(d, e, "message", &c[i].message);
            fd_model_dec_time(d, e, "lastTransitionTime", &c[i].last_transition);
        }
        fd_model_dec_pop(d, mi);
    }
    fd_model_dec_pop(d, m);
    *n = json_array_size(a);
    return c;
}

void fd_model_dec_origin(struct fd_model_dec *d, const json_t *obj, const char *key,
                         struct fd_model_origin *o)
{
    const json_t *v = fd_model_dec_obj(d, obj, key);

    if (!v)
        return;
    size_t m = fd_model_dec_push(d, key);
    fd_model_dec_istr(d, v, "kind", &o->kind);
    fd_model_dec_istr(d, v, "name", &o->name);
    fd_model_dec_pop(d, m);
}

static void dec_commit(struct fd_model_dec *d, const json_t *e, struct fd_model_commit *c)
{
    fd_model_dec_istr(d, e, "repoURL", &c->repo_url);
    fd_model_dec_str(d, e, "id", &c->id);
    fd_model_dec_str(d, e, "branch", &c->branch);
    fd_model_dec_str(d, e, "tag", &c->tag);
    fd_model_dec_str(d, e, "message", &c->message);
    fd_model_dec_str(d, e, "author", &c->author);
}

static void dec_image(struct fd_model_dec *d, const json_t *e, struct fd_model_image *im)
{
    fd_model_dec_istr(d, e, "repoURL", &im->repo_url);
    fd_model_dec_str(d, e, "tag", &im->tag);
    fd_model_dec_str(d, e, "digest", &im->digest);
}

static void dec_chart(struct fd_model_dec *d, const json_t *e, struct fd_model_chart *c)
{
    fd_model_dec_str(d, e, "repoURL", &c->repo_url);
    fd_model_dec_str(d, e, "name", &c->name);
    fd_model_dec_str(d, e, "version", &c->version);
}

static void dec_artifact(struct fd_model_dec *d, const json_t *e, struct fd_model_artifact *a)
{
    fd_model_dec_str(d, e, "artifactType", &a->artifact_type);
    fd_model_dec_str(d, e, "subscriptionName", &a->subscription_name);
    fd_model_dec_str(d, e, "version", &a->version);
}

void fd_model_dec_artifacts(struct fd_model_dec *d, const json_t *obj, struct fd_model_artifacts *a)
{
    DEC_OBJ_ARRAY(d, obj, "commits", a->commits, a->n_commits, dec_commit);
    DEC_OBJ_ARRAY(d, obj, "images", a->images, a->n_images, dec_image);
    DEC_OBJ_ARRAY(d, obj, "charts", a->charts, a->n_charts, dec_chart);
    DEC_OBJ_ARRAY(d, obj, "artifacts", a->other, a->n_other, dec_artifact);
}

/* ---- Freeing ---------------------------------------------------------------- */
void fd_model_free_kv(struct fd_model_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fd_free_str(kv[i].key);
        free(kv[i].value);
    }
    free(kv);
}

void fd_model_free_conditions(struct fd_model_condition *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fd_free_str(c[i].type);
        fd_free_str(c[i].status);
        fd_free_str(c[i].reason);
        free(c[i].message);
    }
    free(c);
}

void fd_model_free_origin(struct fd_model_origin *o)
{
    fd_free_str(o->kind);
    fd_free_str(o->name);
}

void fd_model_free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void fd_model_free_artifacts(struct fd_model_artifacts *a)
{
    for (size_t i = 0; i < a->n_commits; i++) {
        struct fd_model_commit *c = &a->commits[i];
        fd_free_str(c->repo_url);
        free(c->id);
        free(c->branch);
        free(c->tag);
        free(c->message);
        free(c->author);
    }
    free(a->commits);
    for (size_t i = 0; i < a->n_images; i++) {
        fd_free_str(a->images[i].repo_url);
        free(a->images[i].tag);
        free(a->images[i].digest);
    }
    free(a->images);
    for (size_t i = 0; i < a->n_charts; i++) {
        free(a->charts[i].repo_url);
        free(a->charts[i].name);
        free(a->charts[i].version);
    }
    free(a->charts);
    for (size_t i = 0; i < a->n_other; i++) {
        free(a->other[i].artifact_type);
        free(a->other[i].subscription_name);
        free(a->other[i].version);
    }
    free(a->other);
}
