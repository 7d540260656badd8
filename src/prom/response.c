/* prom/response.c: Prometheus HTTP API responses as Argo Rollouts sees them
 * (client_golang api/prometheus/v1 + metricproviders/prometheus). */
#include "config.h"

#include "freightdeck/prom.h"

#include "jsoniter.h"

#include "freightdeck/expr.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* strconv.ParseFloat of the len bytes at s (a NUL among them too) and its
 * error wording. */
static bool parse_go_float(const char *s, size_t len, double *out, char **err)
{
    enum fd_go_parse rc = fd_go_parse_float(s, len, out);

    if (rc != FD_GO_PARSE_OK) {
        char *quoted = fd_expr_go_quote(s, len);
        *err = fd_xasprintf("strconv.ParseFloat: parsing %s: %s", quoted,
                            rc == FD_GO_PARSE_SYNTAX ? "invalid syntax" : "value out of range");
        free(quoted);
        return false;
    }
    return true;
}

/* SampleValue.UnmarshalJSON: the value must be a quoted string. */
static bool sample_value(const json_t *pair, double *out, char **err)
{
    const json_t *v;

    if (!json_is_array(pair)) {
        if (json_is_null(pair) || !pair) {
            *out = 0; /* absent: Go leaves the zero value */
            return true;
        }
        *err =
            fd_xstrdup("json: cannot unmarshal object into Go value of type [2]json.Unmarshaler");
        return false;
    }
    v = json_array_get(pair, 1);
    if (!v) {
        *out = 0;
        return true;
    }
    if (!json_is_string(v)) {
        *err = fd_xstrdup("sample value must be a quoted string");
        return false;
    }
    return parse_go_float(json_string_value(v), json_string_length(v), out, err);
}

/* ---- json-iterator's error text (client_golang decodes with it) ---------- */

static size_t skip_ws(const char *b, size_t len, size_t i)
{
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i++;
    return i;
}

/* The end of the JSON value starting at i (which is known to parse). */
static size_t skip_value(const char *b, size_t len, size_t i)
{
    int depth = 0;

    do {
        if (i >= len)
            return len;
        if (b[i] == '"') {
            for (i++; i < len && b[i] != '"'; i++)
                if (b[i] == '\\')
                    i++;
            i++;
        } else if (b[i] == '{' || b[i] == '[') {
            depth++, i++;
        } else if (b[i] == '}' || b[i] == ']') {
            depth--, i++;
        } else if (depth == 0) {
            while (i < len && !strchr(",}] \t\r\n", b[i]))
                i++;
        } else {
            i++;
        }
    } while (depth > 0);
    return i;
}

/* The raw text of member key of the top-level object in b (the last one
 * when repeated, as a json.RawMessage keeps it; the key matched without
 * case, as json-iterator's struct decoders match it). */
static bool raw_member(const char *b, size_t len, const char *key, size_t *start, size_t *end)
{
    size_t i = skip_ws(b, len, 0), klen = strlen(key);
    bool found = false;

    if (i >= len || b[i] != '{')
        return false;
    for (i = skip_ws(b, len, i + 1); i < len && b[i] == '"';) {
        size_t k = i + 1, v;
        size_t kend = skip_value(b, len, i) - 1; /* the closing quote */
        i = skip_ws(b, len, kend + 1);
        if (i >= len || b[i] != ':')
            return found;
        v = skip_ws(b, len, i + 1);
        i = skip_value(b, len, v);
        if (kend - k == klen && strncasecmp(b + k, key, klen) == 0) {
            *start = v;
            *end = i;
            found = true;
        }
        i = skip_ws(b, len, i);
        if (i < len && b[i] == ',')
            i = skip_ws(b, len, i + 1);
    }
    return found;
}

/* The texts json-iterator reports in (queryResult's decoding): the data
 * member's, and its result member's, within body; false when either is
 * missing. */
struct texts {
    const char *d, *r;
    size_t dlen, rlen;
};

static bool result_texts(const char *body, size_t len, struct texts *t)
{
    size_t ds, de, rs, re;

    if (!body || !raw_member(body, len, "data", &ds, &de) ||
        !raw_member(body + ds, de - ds, "result", &rs, &re))
        return false;
    t->d = body + ds;
    t->dlen = de - ds;
    t->r = t->d + rs;
    t->rlen = re - rs;
    return true;
}

/* An error of model.Scalar's UnmarshalJSON (encoding/json inside): json-
 * iterator reports it at the end of the result member's text, and again
 * at the end of the data member's (queryResult.UnmarshalJSON). Takes msg;
 * returns it unwrapped when the members cannot be found. */
static char *scalar_error(const char *body, size_t len, char *msg)
{
    struct texts t;

    if (!result_texts(body, len, &t))
        return msg;
    char *inner = fd_prom_jsoniter_report("unmarshalerDecoder", msg, t.r, t.rlen, t.rlen);
    char *outer = fd_prom_jsoniter_report("unmarshalerDecoder", inner, t.d, t.dlen, t.dlen);
    free(inner);
    free(msg);
    return outer;
}

/* An error in decoding the result member as model.Vector / model.Matrix
 * (json-iterator's slice decoder): inner is reported at offset head of the
 * result member's text (head < 0: at its element elem's end, the
 * unmarshalerDecoder of a *Sample), prefixed with the slice type, and again
 * at the end of the data member's text. Takes inner (not yet positioned
 * when head is given); NULL when the members cannot be found. */
static char *slice_error(const char *body, size_t len, const char *type, const char *op,
                         const char *inner, long head, size_t elem)
{
    struct texts t;
    size_t at;

    if (!result_texts(body, len, &t))
        return NULL;
    const char *r = t.r;
    size_t rlen = t.rlen;
    if (head >= 0) {
        at = (size_t)head;
    } else {
        /* the end of element elem of the array r */
        at = skip_ws(r, rlen, 1);
        for (size_t k = 0; k < elem && at < rlen; k++) {
            at = skip_ws(r, rlen, skip_value(r, rlen, at));
            if (at < rlen && r[at] == ',')
                at = skip_ws(r, rlen, at + 1);
        }
        at = skip_value(r, rlen, at);
    }
    char *pos = fd_prom_jsoniter_report(op, inner, r, rlen, at);
    char *mid = fd_xasprintf("%s: %s", type, pos);
    char *outer = fd_prom_jsoniter_report("unmarshalerDecoder", mid, t.d, t.dlen, t.dlen);
    free(pos);
    free(mid);
    return outer;
}

/* The start of element idx of the array text t (t[0] is '['). */
static size_t elem_start(const char *t, size_t len, size_t idx)
{
    size_t at = skip_ws(t, len, 1);

    for (size_t k = 0; k < idx && at < len; k++) {
        at = skip_ws(t, len, skip_value(t, len, at));
        if (at < len && t[at] == ',')
            at = skip_ws(t, len, at + 1);
    }
    return at;
}

/* The offsets in t->r of member key's value of element `sample` of the
 * result member; false when it has none. */
static bool sample_member(const struct texts *t, size_t sample, const char *key, size_t *start,
                          size_t *end)
{
    size_t ss = elem_start(t->r, t->rlen, sample), se = skip_value(t->r, t->rlen, ss), vs, ve;

    if (!raw_member(t->r + ss, se - ss, key, &vs, &ve))
        return false;
    *start = ss + vs;
    *end = ss + ve;
    return true;
}

/* The first key of matrix sample elem that unmarshalSampleStreamJSON
 * (api/prometheus/v1/api.go) refuses (it takes metric, values and
 * histograms), and the offset in the result member's text just after its
 * ':', where json-iterator reports it: a new string, or NULL. */
static char *sample_unknown_key(const char *body, size_t len, size_t elem, size_t *head)
{
    struct texts t;

    if (!result_texts(body, len, &t))
        return NULL;
    const char *r = t.r;
    size_t rlen = t.rlen, i = elem_start(r, rlen, elem);
    if (i >= rlen || r[i] != '{')
        return NULL;
    for (i = skip_ws(r, rlen, i + 1); i < rlen && r[i] == '"';) {
        size_t k = i + 1, kend = skip_value(r, rlen, i) - 1;
        i = skip_ws(r, rlen, kend + 1);
        if (i >= rlen || r[i] != ':')
            return NULL;
        /* the key as ReadObject decodes it, escapes and all */
        json_t *kj = fd_json_load_outside(r + k - 1, kend + 2 - k, JSON_DECODE_ANY, NULL);
        char *key =
            json_is_string(kj) ? fd_xstrdup(json_string_value(kj)) : fd_xstrndup(r + k, kend - k);
        json_decref(kj);
        if (strcmp(key, "metric") != 0 && strcmp(key, "values") != 0 &&
            strcmp(key, "histograms") != 0) {
            *head = i + 1;
            return key;
        }
        free(key);
        i = skip_ws(r, rlen, skip_value(r, rlen, skip_ws(r, rlen, i + 1)));
        if (i < rlen && r[i] == ',')
            i = skip_ws(r, rlen, i + 1);
    }
    return NULL;
}

/* Where client_golang's own SamplePair decoder (unmarshalSamplePairJSON,
 * api/prometheus/v1/api.go), inside model.Matrix's slice decoder, reports a
 * fault of a matrix point: just after the point's ']' (no value), after the
 * value's first byte (ReadString of no string), after the value (its
 * ParseFloat). */
enum pair_at { PAIR_FIRST, PAIR_END, TIME_END, VALUE_FIRST, VALUE_END };

/* strconv.ParseInt(s, 10, bits)'s error for the n bytes at s, or NULL: the
 * first fault wins, a byte that is no digit or a value past the bound. */
static char *parse_int_error(const char *s, size_t n, int bits)
{
    bool neg = n && s[0] == '-';
    size_t i = n && (s[0] == '+' || s[0] == '-');
    uint64_t max = (bits == 64 ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX) + neg, v = 0;
    const char *fault = i < n ? NULL : "invalid syntax";

    for (; !fault && i < n; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (s[i] < '0' || s[i] > '9')
            fault = "invalid syntax";
        else if (v > (max - d) / 10)
            fault = "value out of range";
        else
            v = v * 10 + d;
    }
    if (!fault)
        return NULL;
    char *q = fd_expr_go_quote(s, n);
    char *msg = fd_xasprintf("strconv.ParseInt: parsing %s: %s", q, fault);
    free(q);
    return msg;
}

/* model.Time.UnmarshalJSON's error for the n bytes of JSON at t, or NULL:
 * seconds, and milliseconds after a dot (prometheus/common model/time.go). */
static char *time_error(const char *t, size_t n)
{
    const char *dot = memchr(t, '.', n);
    if (!dot)
        return parse_int_error(t, n, 64);
    const char *rest = dot + 1;
    size_t rn = n - (size_t)(rest - t);
    if (memchr(rest, '.', rn)) {
        char *q = fd_expr_go_quote(t, n);
        char *msg = fd_xasprintf("invalid time %s", q);
        free(q);
        return msg;
    }
    char *e = parse_int_error(t, (size_t)(dot - t), 64);
    if (e)
        return e;
    char ms[4] = "000"; /* dotPrecision 3: cut or padded with zeros */
    memcpy(ms, rest, rn < 3 ? rn : 3);
    return parse_int_error(ms, 3, 32);
}

/* The fault op: msg of point `point` of series `series`, positioned as
 * json-iterator does and wrapped as the data member's (VALUE_FIRST: msg
 * NULL, ReadString's own, naming the byte); NULL when the members cannot
 * be found. */
static char *pair_error(const char *body, size_t len, size_t series, size_t point, const char *op,
                        const char *msg, enum pair_at where)
{
    struct texts t;
    size_t vs, ve;

    if (!result_texts(body, len, &t) || !sample_member(&t, series, "values", &vs, &ve))
        return NULL;
    const char *v = t.r + vs;
    size_t ps = elem_start(v, ve - vs, point), at;
    char *own = NULL;
    if (where == PAIR_FIRST) { /* ReadArray of a point that is no array */
        at = vs + ps + 1;
        msg = own = fd_xasprintf("expect [ or , or ] or n, but found %c", v[ps]);
    } else if (where == PAIR_END) {
        at = vs + skip_value(v, ve - vs, ps);
    } else if (where == TIME_END) {
        const char *pair = v + ps;
        size_t plen = skip_value(v, ve - vs, ps) - ps;
        at = vs + ps + skip_value(pair, plen, elem_start(pair, plen, 0));
    } else {
        const char *pair = v + ps;
        size_t plen = skip_value(v, ve - vs, ps) - ps;
        size_t val = elem_start(pair, plen, 1);
        at = vs + ps + (where == VALUE_FIRST ? val + 1 : skip_value(pair, plen, val));
        if (where == VALUE_FIRST && val < plen)
            msg = own = fd_xasprintf("expects \" or n, but found %c", pair[val]);
    }
    if (!msg)
        return NULL;
    char *pos = fd_prom_jsoniter_report(op, msg, t.r, t.rlen, at);
    free(own);
    char *mid = fd_xasprintf("model.Matrix: %s", pos);
    char *outer = fd_prom_jsoniter_report("unmarshalerDecoder", mid, t.d, t.dlen, t.dlen);
    free(pos);
    free(mid);
    return outer;
}

/* model.Time's error for the raw text of element 0 of the result member
 * (model.Scalar), or NULL. */
static char *first_elem_time_error(const char *body, size_t len)
{
    struct texts t;

    if (!result_texts(body, len, &t))
        return NULL;
    const char *r = t.r;
    size_t rlen = t.rlen, at = elem_start(r, rlen, 0);
    return time_error(r + at, skip_value(r, rlen, at) - at);
}

/* model.Time's error for the timestamp of a sample's pair, or NULL:
 * element 0 of point `point` of member key ("values": a matrix series'
 * points; "value": a vector sample's one pair, point ignored) of element
 * `sample` of the result member. */
static char *pair_time_error(const char *body, size_t len, size_t sample, const char *key,
                             size_t point)
{
    struct texts t;
    size_t vs, ve;

    if (!result_texts(body, len, &t) || !sample_member(&t, sample, key, &vs, &ve))
        return NULL;
    const char *v = t.r + vs;
    size_t vlen = ve - vs, ps = 0, pe = vlen;
    if (strcmp(key, "values") == 0) {
        ps = elem_start(v, vlen, point);
        pe = skip_value(v, vlen, ps);
    }
    size_t ts = elem_start(v + ps, pe - ps, 0);
    return time_error(v + ps + ts, skip_value(v + ps, pe - ps, ts) - ts);
}

/* encoding/json's name of a JSON value's kind in "cannot unmarshal X". */
static const char *json_kind(const json_t *v)
{
    return json_is_object(v)    ? "object"
           : json_is_array(v)   ? "array"
           : json_is_string(v)  ? "string"
           : json_is_boolean(v) ? "bool"
                                : "number";
}

/* Element elem of the result is no object (nor null): a matrix's
 * SampleStream decoder (ReadObject) reads one byte of it and refuses it; a
 * vector's Sample.UnmarshalJSON gives encoding/json's error, at its end. */
static char *sample_error(const char *body, size_t len, bool matrix, size_t elem,
                          const json_t *sample)
{
    struct texts t;
    char *inner, *m;

    if (!result_texts(body, len, &t))
        return fd_xstrdup("json: cannot unmarshal into Go value of type model.Sample");
    if (matrix) {
        const char *r = t.r;
        size_t at = elem_start(r, t.rlen, elem);
        inner = fd_xasprintf("expect { or , or } or n, but found %c", at < t.rlen ? r[at] : ' ');
        m = slice_error(body, len, "model.Matrix", "ReadObject", inner, (long)at + 1, 0);
    } else {
        inner = fd_xasprintf("json: cannot unmarshal %s into Go value of type struct { Metric "
                             "model.Metric \"json:\\\"metric\\\"\"; Value model.SamplePair "
                             "\"json:\\\"value\\\"\"; Histogram model.SampleHistogramPair "
                             "\"json:\\\"histogram\\\"\" }",
                             json_kind(sample));
        m = slice_error(body, len, "model.Vector", "unmarshalerDecoder", inner, -1, elem);
    }
    free(inner);
    return m;
}

struct values {
    double *v;
    size_t n;
};

static void push(struct values *vals, double d)
{
    vals->v = fd_xreallocarray(vals->v, vals->n + 1, sizeof(double));
    vals->v[vals->n++] = d;
}

static char *api_error(int code, json_t *root, bool *handled)
{
    *handled = true;
    if (code / 100 != 2 && code != 400 && code != 422) {
        if (code / 100 == 5)
            return fd_xasprintf("server_error: server error: %d", code);
        if (code / 100 == 4)
            return fd_xasprintf("client_error: client error: %d", code);
        return fd_xasprintf("bad_response: bad response code %d", code);
    }
    *handled = false;
    (void)root;
    return NULL;
}

static enum fd_status fail(char **err, char *msg, json_t *root, struct values *vals)
{
    *err = msg;
    json_decref(root);
    free(vals->v);
    return FD_PARSE;
}

/* model.ValueType.UnmarshalJSON's "unknown value type %q" for the
 * resultType of the data text d (dlen bytes): reported by json-iterator
 * where that value ends, prefixed by the field decoders that run after it
 * ("Type: ", and "Result: " for a result member that follows), then again at
 * the end of d by queryResult's unmarshalerDecoder. */
static char *unknown_type_error(const char *d, size_t dlen, const json_t *type)
{
    struct fd_buf msg = FD_BUF_INIT;
    size_t i = skip_ws(d, dlen, 0);
    char *q = fd_expr_go_quote(json_is_string(type) ? json_string_value(type) : "",
                               json_string_length(type));

    if (i < dlen && d[i] == '{')
        i = skip_ws(d, dlen, i + 1);
    while (i < dlen && d[i] == '"') {
        size_t k = i + 1, kend = skip_value(d, dlen, i) - 1;
        i = skip_ws(d, dlen, kend + 1);
        if (i >= dlen || d[i] != ':')
            break;
        size_t v = skip_ws(d, dlen, i + 1), vend = skip_value(d, dlen, v);
        bool is_type = kend - k == 10 && strncasecmp(d + k, "resultType", 10) == 0;
        bool is_result = kend - k == 6 && strncasecmp(d + k, "result", 6) == 0;
        if (is_type && !msg.len) {
            char *inner = fd_xasprintf("unknown value type %s", q);
            char *at = fd_prom_jsoniter_report("unmarshalerDecoder", inner, d, dlen, vend);
            fd_buf_printf(&msg, "Type: %s", at);
            free(inner);
            free(at);
        } else if (msg.len && (is_type || is_result)) {
            char *was = fd_buf_steal(&msg);
            fd_buf_printf(&msg, "%s: %s", is_type ? "Type" : "Result", was);
            free(was);
        }
        i = skip_ws(d, dlen, vend);
        if (i < dlen && d[i] == ',')
            i = skip_ws(d, dlen, i + 1);
    }
    char *out = fd_prom_jsoniter_report("unmarshalerDecoder", fd_buf_cstr(&msg), d, dlen, dlen);
    free(q);
    fd_buf_free(&msg);
    return out;
}

/* v's text to compare with a name ("success", "vector"), or NULL when v is
 * no string: a text with a NUL in it equals no name, so it reads as "" (a
 * message quotes its whole text from v). */
static const char *name_text(const json_t *v)
{
    const char *s = json_string_value(v);

    return s && strlen(s) != json_string_length(v) ? "" : s;
}

/* A member as json-iterator's case-insensitive struct decoders fill it
 * (apiResponse's, queryResult's): the last key whose lower case is name's
 * ("ErrorType", "STATUS"). */
static const json_t *api_member(const json_t *root, const char *name)
{
    const json_t *found = NULL, *v;
    const char *k;

    json_object_foreach((json_t *)(uintptr_t)root, k, v)
    {
        if (strcasecmp(k, name) == 0)
            found = v;
    }
    return found;
}

enum fd_status fd_prom_parse(const char *body, size_t len, int http_status,
                             struct fd_prom_result *out, char **err)
{
    json_t *root = NULL;
    json_error_t jerr;
    struct values vals = {NULL, 0};
    bool handled;
    char *msg;

    memset(out, 0, sizeof(*out));
    *err = NULL;
    msg = api_error(http_status, NULL, &handled);
    if (handled)
        return fail(err, msg, NULL, &vals);
    if (http_status != 204) {
        /* apiClientImpl.Do: json-iterator reads the apiResponse first, and
         * its error is the measurement's (prom/jsoniter.c) */
        char *jm = fd_prom_jsoniter_api_response(body, body ? len : 0);
        if (jm) {
            char *wrapped = fd_xasprintf("bad_response: %s", jm);
            free(jm);
            return fail(err, wrapped, NULL, &vals);
        }
        /* what follows the value is white space, or a NUL that json-iterator
         * reads as the end, and anything after it */
        root = fd_json_load_outside(body ? body : "", len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK,
                                    &jerr);
        if (!root)
            return fail(err, fd_xasprintf("bad_response: %s", jerr.text), NULL, &vals);
    }
    const char *status = name_text(api_member(root, "status"));
    if ((http_status == 400 || http_status == 422) && fd_streq(status, "success"))
        return fail(err, fd_xstrdup("bad_response: inconsistent body for response code"), root,
                    &vals);
    if (fd_streq(status, "error")) {
        char *type = fd_json_text(api_member(root, "errorType"));
        char *text = fd_json_text(api_member(root, "error"));
        char *said = fd_xasprintf("%s: %s", type ? type : "", text ? text : "");
        free(type);
        free(text);
        return fail(err, said, root, &vals);
    }
    const json_t *warnings = api_member(root, "warnings");
    const json_t *data = api_member(root, "data");
    const char *type = name_text(api_member(data, "resultType"));
    const json_t *result = api_member(data, "result");
    if (fd_streq(type, "scalar")) {
        double v = 0;
        const json_t *s = json_array_get(result, 1);
        size_t ds, de;
        if ((!result || json_is_null(result)) && body && raw_member(body, len, "data", &ds, &de)) {
            /* json-iterator keeps no bytes for a null or absent RawMessage,
             * and model.Scalar's decoding of none skips nothing */
            char *inner = fd_prom_jsoniter_report("Skip", "do not know how to skip: 0", "", 0, 0);
            char *m =
                fd_prom_jsoniter_report("unmarshalerDecoder", inner, body + ds, de - ds, de - ds);
            free(inner);
            return fail(err, m, root, &vals);
        }
        if (result && !json_is_array(result) && !json_is_null(result))
            return fail(err,
                        scalar_error(body, len,
                                     fd_xasprintf("json: cannot unmarshal %s into Go value of "
                                                  "type [2]interface {}",
                                                  json_kind(result))),
                        root, &vals);
        /* model.Scalar's timestamp is read first, by model.Time */
        char *terr = json_array_size(result) ? first_elem_time_error(body, len) : NULL;
        if (terr)
            return fail(err, scalar_error(body, len, terr), root, &vals);
        if (s && !json_is_string(s))
            return fail(err,
                        scalar_error(body, len,
                                     fd_xasprintf("json: cannot unmarshal %s into Go value of "
                                                  "type string",
                                                  json_kind(s))),
                        root, &vals);
        if (!parse_go_float(s ? json_string_value(s) : "", s ? json_string_length(s) : 0, &v,
                            &msg)) {
            char *wrapped = fd_xasprintf("error parsing sample value: %s", msg);
            free(msg);
            return fail(err, scalar_error(body, len, wrapped), root, &vals);
        }
        push(&vals, v);
        out->type = FD_PROM_SCALAR;
    } else if (fd_streq(type, "vector") || fd_streq(type, "matrix")) {
        bool matrix = fd_streq(type, "matrix");
        size_t i;
        const json_t *sample;
        const char *slice = matrix ? "model.Matrix" : "model.Vector";
        if (result && !json_is_array(result) && !json_is_null(result)) {
            /* the slice decoder reads one byte and refuses it */
            struct texts t;
            char *m = NULL;
            if (result_texts(body, len, &t)) {
                char *inner = fd_xasprintf("expect [ or n, but found %c", t.r[0]);
                m = slice_error(body, len, slice, "decode slice", inner, 1, 0);
                free(inner);
            }
            return fail(
                err, m ? m : fd_xasprintf("json: cannot unmarshal into Go value of type %s", slice),
                root, &vals);
        }
        if (!result || json_is_null(result)) {
            /* json-iterator keeps no bytes for a null or absent RawMessage and
             * its slice decoder refuses the empty input, naming the byte it
             * found: a NUL (FD_NUL_SHOWN) */
            size_t ds, de;
            char *inner = fd_prom_jsoniter_report(
                "decode slice", "expect [ or n, but found " FD_NUL_SHOWN, "", 0, 0);
            char *mid = fd_xasprintf("%s: %s", slice, inner);
            char *m = body && raw_member(body, len, "data", &ds, &de)
                          ? fd_prom_jsoniter_report("unmarshalerDecoder", mid, body + ds, de - ds,
                                                    de - ds)
                          : fd_xstrdup(mid);
            free(inner);
            free(mid);
            return fail(err, m, root, &vals);
        }
        json_array_foreach(result, i, sample)
        {
            if (json_is_null(sample))
                continue; /* a nil sample is skipped */
            if (!json_is_object(sample))
                return fail(err, sample_error(body, len, matrix, i, sample), root, &vals);
            if (!matrix) {
                double v;
                /* Sample.UnmarshalJSON reads the timestamp first (model.Time) */
                const json_t *pv = json_object_get(sample, "value");
                char *tm = json_is_array(pv) && json_is_number(json_array_get(pv, 0))
                               ? pair_time_error(body, len, i, "value", 0)
                               : NULL;
                if (tm) {
                    char *m = slice_error(body, len, slice, "unmarshalerDecoder", tm, -1, i);
                    if (m) {
                        free(tm);
                        tm = m;
                    }
                    return fail(err, tm, root, &vals);
                }
                if (!sample_value(json_object_get(sample, "value"), &v, &msg)) {
                    /* Sample.UnmarshalJSON's error, at the end of the sample */
                    char *m = slice_error(body, len, slice, "unmarshalerDecoder", msg, -1, i);
                    if (m) {
                        free(msg);
                        msg = m;
                    }
                    return fail(err, msg, root, &vals);
                }
                push(&vals, v);
                continue;
            }
            size_t at;
            char *key = sample_unknown_key(body, len, i, &at);
            if (key) {
                char *inner = fd_xasprintf("unexpected key:%s", key);
                char *m = slice_error(body, len, slice, "unmarshal model.SampleStream", inner,
                                      (long)at, 0);
                free(key);
                if (m) {
                    free(inner);
                    return fail(err, m, root, &vals);
                }
                return fail(err, inner, root, &vals);
            }
            const json_t *series = json_object_get(sample, "values");
            const json_t *pair;
            size_t k;
            if (series && !json_is_array(series) && !json_is_null(series))
                return fail(
                    err,
                    fd_xstrdup("json: cannot unmarshal into Go value of type []model.SamplePair"),
                    root, &vals);
            json_array_foreach(series, k, pair)
            {
                double v;
                if (!json_is_array(pair)) { /* unmarshalSamplePairJSON's ReadArray */
                    char *m = json_is_null(pair)
                                  ? pair_error(body, len, i, k, "unmarshal model.SamplePair",
                                               "SamplePair must be [timestamp, value]", PAIR_END)
                                  : pair_error(body, len, i, k, "ReadArray", NULL, PAIR_FIRST);
                    return fail(err,
                                m ? m
                                  : fd_xstrdup("unmarshal model.SamplePair: SamplePair must be "
                                               "[timestamp, value]"),
                                root, &vals);
                }
                /* the timestamp (ReadNumber, then model.Time) */
                char *tm = json_is_array(pair) && json_array_size(pair) &&
                                   json_is_number(json_array_get(pair, 0))
                               ? pair_time_error(body, len, i, "values", k)
                               : NULL;
                if (tm) {
                    char *m =
                        pair_error(body, len, i, k, "unmarshal model.SamplePair", tm, TIME_END);
                    if (m) {
                        free(tm);
                        tm = m;
                    }
                    return fail(err, tm, root, &vals);
                }
                if (json_is_array(pair) && json_array_size(pair) < 2) {
                    char *m = pair_error(body, len, i, k, "unmarshal model.SamplePair",
                                         "SamplePair missing value", PAIR_END);
                    return fail(
                        err,
                        m ? m : fd_xstrdup("unmarshal model.SamplePair: SamplePair missing value"),
                        root, &vals);
                }
                if (!sample_value(pair, &v, &msg)) {
                    const json_t *value = json_is_array(pair) ? json_array_get(pair, 1) : NULL;
                    char *m = NULL;
                    if (value && !json_is_string(value))
                        m = pair_error(body, len, i, k, "ReadString", NULL, VALUE_FIRST);
                    else if (value)
                        m = pair_error(body, len, i, k, "unmarshal model.SamplePair", msg,
                                       VALUE_END);
                    if (m) {
                        free(msg);
                        msg = m;
                    }
                    return fail(err, msg, root, &vals);
                }
                push(&vals, v);
            }
        }
        out->type = FD_PROM_VECTOR;
    } else {
        /* queryResult.UnmarshalJSON's error, reported by json-iterator at the
         * end of the data member's text (api/prometheus/v1/api.go). An
         * absent resultType is model.ValNone. */
        size_t ds, de;
        if (!data || json_is_null(data)) /* json-iterator's RawMessage holds no bytes */
            return fail(err,
                        fd_prom_jsoniter_report("Skip", "do not know how to skip: 0", "", 0, 0),
                        root, &vals);
        static const char *const types[] = {"<ValNone>", "scalar", "vector", "matrix", "string"};
        bool valid = false;
        for (size_t t = 0; type && t < FD_ARRAY_SIZE(types); t++)
            valid = valid || strcmp(type, types[t]) == 0;
        if (json_is_object(data) && type && !valid && body &&
            raw_member(body, len, "data", &ds, &de))
            return fail(err, unknown_type_error(body + ds, de - ds, api_member(data, "resultType")),
                        root, &vals);
        bool known_type = !api_member(data, "resultType") || fd_streq(type, "string");
        if (json_is_object(data) && known_type && body && raw_member(body, len, "data", &ds, &de)) {
            char *inner = fd_xasprintf("unexpected value type \"%s\"", type ? type : "<ValNone>");
            char *msg2 =
                fd_prom_jsoniter_report("unmarshalerDecoder", inner, body + ds, de - ds, de - ds);
            free(inner);
            return fail(err, msg2, root, &vals);
        }
        return fail(err, fd_xasprintf("unexpected value type \"%s\"", type ? type : ""), root,
                    &vals);
    }

    struct fd_buf b = FD_BUF_INIT;
    if (out->type == FD_PROM_SCALAR) {
        fd_go_format_float(&b, vals.v[0], 'f'); /* FormatFloat(v, 'f', -1, 64) */
    } else {
        fd_buf_putc(&b, '[');
        for (size_t i = 0; i < vals.n; i++) {
            if (i)
                fd_buf_putc(&b, ',');
            fd_go_format_float(&b, vals.v[i], 'f');
        }
        fd_buf_putc(&b, ']');
    }
    out->value = fd_buf_steal(&b);
    if (json_is_array(warnings) && json_array_size(warnings) > 0) {
        size_t i;
        const json_t *w;
        json_array_foreach(warnings, i, w)
        {
            char *text = fd_json_text(w);
            fd_buf_printf(&b, "%s\"%s\"", i ? ", " : "", text ? text : "");
            free(text);
        }
        out->warnings = fd_buf_steal(&b);
    }
    out->values = vals.v ? vals.v : fd_xcalloc(1, sizeof(double));
    out->n_values = vals.n;
    json_decref(root);
    return FD_OK;
}

void fd_prom_result_free(struct fd_prom_result *r)
{
    if (!r)
        return;
    free(r->values);
    free(r->value);
    free(r->warnings);
    memset(r, 0, sizeof(*r));
}
