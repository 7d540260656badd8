/* prom/response.c: Prometheus HTTP API responses as Argo Rollouts sees them
 * (client_golang api/prometheus/v1 + metricproviders/prometheus). */
#include "config.h"

#include "freightdeck/prom.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* strconv.ParseFloat(s, 64) and its error wording. */
static bool parse_go_float(const char *s, double *out, char **err)
{
    char *end;
    const char *q = s;

    if (*q == '+' || *q == '-')
        q++;
    /* strtod is laxer than Go: no leading space, no "nan(...)" payloads. */
    bool bad = *s == '\0' || isspace((unsigned char)*s) || strchr(s, '(') != NULL;
    errno = 0;
    double v = bad ? 0 : strtod(s, &end);
    if (bad || *end != '\0' || end == s) {
        *err = fd_xasprintf("strconv.ParseFloat: parsing \"%s\": invalid syntax", s);
        return false;
    }
    if (errno == ERANGE && isinf(v)) {
        *err = fd_xasprintf("strconv.ParseFloat: parsing \"%s\": value out of range", s);
        return false;
    }
    (void)q;
    *out = v;
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
        *err = fd_xstrdup("json: cannot unmarshal object into Go value of type [2]json.Unmarshaler");
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
    return parse_go_float(json_string_value(v), out, err);
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
        root = json_loadb(body ? body : "", len, JSON_DECODE_ANY, &jerr);
        if (!root)
            return fail(err, fd_xasprintf("bad_response: %s", jerr.text), NULL, &vals);
    }
    const char *status = json_string_value(json_object_get(root, "status"));
    if ((http_status == 400 || http_status == 422) && fd_streq(status, "success"))
        return fail(err, fd_xstrdup("bad_response: inconsistent body for response code"), root,
                    &vals);
    if (fd_streq(status, "error")) {
        const char *type = json_string_value(json_object_get(root, "errorType"));
        const char *text = json_string_value(json_object_get(root, "error"));
        return fail(err, fd_xasprintf("%s: %s", type ? type : "", text ? text : ""), root, &vals);
    }
    const json_t *warnings = json_object_get(root, "warnings");
    const json_t *data = json_object_get(root, "data");
    const char *type = json_string_value(json_object_get(data, "resultType"));
    const json_t *result = json_object_get(data, "result");
    if (fd_streq(type, "scalar")) {
        double v = 0;
        const json_t *s = json_array_get(result, 1);
        if (result && !json_is_array(result))
            return fail(err, fd_xstrdup("json: cannot unmarshal into Go value of type model.Scalar"),
                        root, &vals);
        if (s && !json_is_string(s))
            return fail(err, fd_xstrdup("json: cannot unmarshal number into Go value of type string"),
                        root, &vals);
        if (!parse_go_float(s ? json_string_value(s) : "", &v, &msg)) {
            char *wrapped = fd_xasprintf("error parsing sample value: %s", msg);
            free(msg);
            return fail(err, wrapped, root, &vals);
        }
        push(&vals, v);
        out->type = FD_PROM_SCALAR;
    } else if (fd_streq(type, "vector") || fd_streq(type, "matrix")) {
        bool matrix = fd_streq(type, "matrix");
        size_t i;
        const json_t *sample;
        if (result && !json_is_array(result) && !json_is_null(result))
            return fail(err, fd_xasprintf("json: cannot unmarshal into Go value of type model.%s",
                                          matrix ? "Matrix" : "Vector"),
                        root, &vals);
        json_array_foreach(result, i, sample) {
            if (json_is_null(sample))
                continue; /* a nil sample is skipped */
            if (!json_is_object(sample))
                return fail(err, fd_xstrdup("json: cannot unmarshal into Go value of type model.Sample"),
                            root, &vals);
            if (!matrix) {
                double v;
                if (!sample_value(json_object_get(sample, "value"), &v, &msg))
                    return fail(err, msg, root, &vals);
                push(&vals, v);
                continue;
            }
            const json_t *series = json_object_get(sample, "values");
            const json_t *pair;
            size_t k;
            if (series && !json_is_array(series) && !json_is_null(series))
                return fail(err, fd_xstrdup("json: cannot unmarshal into Go value of type []model.SamplePair"),
                            root, &vals);
            json_array_foreach(series, k, pair) {
                double v;
                if (!sample_value(pair, &v, &msg))
                    return fail(err, msg, root, &vals);
                push(&vals, v);
            }
        }
        out->type = FD_PROM_VECTOR;
    } else {
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
        json_array_foreach(warnings, i, w) {
            fd_buf_printf(&b, "%s\"%s\"", i ? ", " : "", json_is_string(w) ? json_string_value(w) : "");
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
