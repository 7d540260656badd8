/* sim/proto.c: the Kubernetes protobuf encoding of the two built-in objects
 * kubectl sends to the sim as protobuf (`kubectl create namespace`, `kubectl
 * auth can-i`): client-go's typed clients prefer protobuf for built-in types
 * and do not retry in JSON after a 415. Field numbers from
 * k8s.io/apimachinery pkg/runtime/generated.proto (Unknown, TypeMeta),
 * pkg/apis/meta/v1/generated.proto (ObjectMeta) and k8s.io/api
 * core/v1/generated.proto (Namespace) and authorization/v1/generated.proto
 * (SelfSubjectAccessReview), v0.34. */
#include "config.h"

#include "proto.h"

#include <stdint.h>
#include <string.h>

#include "freightdeck/util.h"

struct rd {
    const unsigned char *p, *end;
    bool bad;
};

static uint64_t varint(struct rd *r)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        unsigned char b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

/* The next field: number and wire type; for wire type 2 the bytes in *sub.
 * Returns false at the end or on malformed input (r->bad). */
static bool field(struct rd *r, unsigned *num, unsigned *wt, struct rd *sub, uint64_t *val)
{
    if (r->bad || r->p >= r->end)
        return false;
    uint64_t key = varint(r);
    *num = (unsigned)(key >> 3);
    *wt = (unsigned)(key & 7);
    switch (*wt) {
    case 0:
        *val = varint(r);
        break;
    case 1:
        if (r->end - r->p < 8)
            r->bad = true;
        else
            r->p += 8;
        break;
    case 2: {
        uint64_t n = varint(r);
        if (r->bad || n > (uint64_t)(r->end - r->p)) {
            r->bad = true;
            break;
        }
        sub->p = r->p;
        sub->end = r->p + n;
        sub->bad = false;
        r->p += n;
        break;
    }
    case 5:
        if (r->end - r->p < 4)
            r->bad = true;
        else
            r->p += 4;
        break;
    default:
        r->bad = true;
    }
    return !r->bad;
}

static json_t *str(const struct rd *s)
{
    return json_stringn((const char *)s->p, (size_t)(s->end - s->p));
}

static json_t *string_map_entry(struct rd *r, json_t *map)
{
    unsigned num, wt;
    struct rd sub;
    uint64_t v;
    json_t *k = NULL, *val = NULL;
    while (field(r, &num, &wt, &sub, &v)) {
        if (wt == 2 && num == 1) {
            json_decref(k);
            k = str(&sub);
        } else if (wt == 2 && num == 2) {
            json_decref(val);
            val = str(&sub);
        }
    }
    if (k && !r->bad)
        json_object_set(map, json_string_value(k), val ? val : json_string(""));
    json_decref(k);
    json_decref(val);
    return map;
}

static json_t *object_meta(struct rd *r)
{
    static const char *const strings[] = {NULL,       "name", "generateName",   "namespace",
                                          "selfLink", "uid",  "resourceVersion"};
    json_t *m = json_object();
    unsigned num, wt;
    struct rd sub;
    uint64_t v;
    while (field(r, &num, &wt, &sub, &v)) {
        if (wt == 2 && num >= 1 && num <= 6) {
            json_t *s = str(&sub);
            if (json_string_length(s))
                json_object_set(m, strings[num], s);
            json_decref(s);
        } else if (wt == 2 && (num == 11 || num == 12)) {
            const char *key = num == 11 ? "labels" : "annotations";
            json_t *map = json_object_get(m, key);
            if (!map) {
                map = json_object();
                json_object_set_new(m, key, map);
            }
            string_map_entry(&sub, map);
            r->bad |= sub.bad;
        } else if (wt == 2 && num == 14) {
            json_t *a = json_object_get(m, "finalizers");
            if (!a) {
                a = json_array();
                json_object_set_new(m, "finalizers", a);
            }
            json_array_append_new(a, str(&sub));
        }
    }
    return m;
}

static json_t *namespace_obj(struct rd *r)
{
    json_t *ns = json_pack("{s:s, s:s}", "apiVersion", "v1", "kind", "Namespace");
    unsigned num, wt;
    struct rd sub;
    uint64_t v;
    while (field(r, &num, &wt, &sub, &v)) {
        if (wt != 2)
            continue;
        if (num == 1) {
            json_object_set_new(ns, "metadata", object_meta(&sub));
        } else if (num == 2 || num == 3) {
            /* spec.finalizers = 1; status.phase = 1 */
            json_t *o = json_object();
            unsigned n2, w2;
            struct rd s2;
            uint64_t v2;
            while (field(&sub, &n2, &w2, &s2, &v2)) {
                if (w2 == 2 && n2 == 1 && num == 2) {
                    json_t *a = json_object_get(o, "finalizers");
                    if (!a) {
                        a = json_array();
                        json_object_set_new(o, "finalizers", a);
                    }
                    json_array_append_new(a, str(&s2));
                } else if (w2 == 2 && n2 == 1) {
                    json_object_set_new(o, "phase", str(&s2));
                }
            }
            json_object_set_new(ns, num == 2 ? "spec" : "status", o);
        }
        r->bad |= sub.bad;
    }
    return ns;
}

/* A message of string fields, named by number (names[number], NULL to skip). */
static json_t *strings_msg(struct rd *r, const char *const *names, unsigned count)
{
    json_t *o = json_object();
    unsigned num, wt;
    struct rd sub;
    uint64_t v;
    while (field(r, &num, &wt, &sub, &v)) {
        if (wt == 2 && num < count && names[num])
            json_object_set_new(o, names[num], str(&sub));
    }
    return o;
}

/* authorization/v1 SelfSubjectAccessReview: spec = 2 {resourceAttributes = 1
 * {namespace, verb, group, version, resource, subresource, name = 1..7},
 * nonResourceAttributes = 2 {path = 1, verb = 2}}. */
static json_t *ssar_obj(struct rd *r)
{
    static const char *const ra[] = {NULL,      "namespace", "verb",        "group",
                                     "version", "resource",  "subresource", "name"};
    static const char *const nra[] = {NULL, "path", "verb"};
    json_t *o = json_pack("{s:s, s:s, s:{}, s:{}}", "apiVersion", "authorization.k8s.io/v1", "kind",
                          "SelfSubjectAccessReview", "metadata", "spec");
    unsigned num, wt;
    struct rd sub;
    uint64_t v;
    while (field(r, &num, &wt, &sub, &v)) {
        if (wt != 2 || num != 2)
            continue;
        unsigned n2, w2;
        struct rd s2;
        uint64_t v2;
        while (field(&sub, &n2, &w2, &s2, &v2)) {
            if (w2 == 2 && n2 == 1)
                json_object_set_new(json_object_get(o, "spec"), "resourceAttributes",
                                    strings_msg(&s2, ra, FD_ARRAY_SIZE(ra)));
            else if (w2 == 2 && n2 == 2)
                json_object_set_new(json_object_get(o, "spec"), "nonResourceAttributes",
                                    strings_msg(&s2, nra, FD_ARRAY_SIZE(nra)));
        }
        r->bad |= sub.bad;
    }
    return o;
}

json_t *fd_sim_proto_decode(const void *body, size_t n, const char *want_kind, char **err)
{
    static const unsigned char magic[4] = {'k', '8', 's', 0};
    struct rd r = {body, (const unsigned char *)body + n, false};
    *err = NULL;
    if (n < 4 || memcmp(body, magic, 4) != 0) {
        *err = fd_xstrdup("provided data does not appear to be a protobuf message, expected "
                          "prefix [107 56 115 0]");
        return NULL;
    }
    r.p += 4;
    unsigned num, wt;
    struct rd sub, raw = {NULL, NULL, false};
    uint64_t v;
    json_t *api_version = NULL, *kind = NULL;
    bool have_raw = false;
    while (field(&r, &num, &wt, &sub, &v)) {
        if (wt == 2 && num == 1) {
            unsigned n2, w2;
            struct rd s2;
            uint64_t v2;
            while (field(&sub, &n2, &w2, &s2, &v2)) {
                if (w2 == 2 && n2 == 1) {
                    json_decref(api_version);
                    api_version = str(&s2);
                } else if (w2 == 2 && n2 == 2) {
                    json_decref(kind);
                    kind = str(&s2);
                }
            }
            r.bad |= sub.bad;
        } else if (wt == 2 && num == 2) {
            raw = sub;
            have_raw = true;
        }
    }
    json_t *out = NULL;
    if (r.bad || !have_raw) {
        *err = fd_xstrdup("malformed protobuf envelope");
    } else if (!fd_streq(json_string_value(kind), want_kind) ||
               !fd_streq(json_string_value(api_version),
                         strcmp(want_kind, "Namespace") == 0 ? "v1" : "authorization.k8s.io/v1")) {
        *err = fd_xasprintf("no kind \"%s\" is registered for version \"%s\"",
                            kind ? json_string_value(kind) : "",
                            api_version ? json_string_value(api_version) : "");
    } else {
        out = strcmp(want_kind, "Namespace") == 0 ? namespace_obj(&raw) : ssar_obj(&raw);
        if (raw.bad) {
            json_decref(out);
            out = NULL;
            *err = fd_xasprintf("malformed protobuf %s", want_kind);
        }
    }
    json_decref(api_version);
    json_decref(kind);
    return out;
}
