/* analysis/prom_provider.c: one measurement of a provider.prometheus metric
 * as metricproviders/prometheus takes it: address and timeout checks, the
 * instant or range query, the answer parsed and judged by the analysis
 * module. */
#include "config.h"

#include "freightdeck/analysis.h"
#include "freightdeck/expr.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENV_ADDRESS "ARGO_ROLLOUTS_PROMETHEUS_ADDRESS"

/* ---- The spec ------------------------------------------------------------ */
static bool want(const json_t *v, bool ok, const char *path, const char *key, const char *what,
                 char **err)
{
    if (!v || json_is_null(v) || ok)
        return true;
    *err = fd_xasprintf("%s.%s: expected %s", path, key, what);
    return false;
}

static bool get_str(const json_t *obj, const char *key, const char *path, char **out, char **err)
{
    const json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!want(v, json_is_string(v), path, key, "a string", err))
        return false;
    if (json_is_string(v))
        *out = fd_xstrdup(json_string_value(v));
    return true;
}

void fd_analysis_prom_spec_free(struct fd_analysis_prom_spec *s)
{
    if (!s)
        return;
    fd_prom_config_free(&s->cfg);
    free(s->query);
    free(s->range_start);
    free(s->range_end);
    free(s->range_step);
    memset(s, 0, sizeof(*s));
}

static bool decode_headers(const json_t *j, const char *path, struct fd_analysis_prom_spec *s,
                           char **err)
{
    const json_t *hs = json_object_get(j, "headers");
    const json_t *h;
    size_t i;

    if (!want(hs, json_is_array(hs), path, "headers", "an array", err))
        return false;
    s->cfg.headers = fd_xcalloc(json_array_size(hs) + 1, sizeof(*s->cfg.headers));
    json_array_foreach(hs, i, h)
    {
        char *p = fd_xasprintf("%s.headers[%zu]", path, i);
        struct fd_prom_header *hd = &s->cfg.headers[i];
        bool ok = json_is_object(h);
        if (!ok)
            *err = fd_xasprintf("%s: expected an object", p);
        ok = ok && get_str(h, "key", p, &hd->key, err) && get_str(h, "value", p, &hd->value, err);
        s->cfg.n_headers = i + 1;
        if (ok && (!hd->key || !*hd->key)) {
            *err = fd_xasprintf("%s.key: missing", p);
            ok = false;
        }
        if (ok && strpbrk(hd->key, ":\r\n")) {
            *err = fd_xasprintf("%s.key: invalid header name \"%s\"", p, hd->key);
            ok = false;
        }
        /* The value is a secret as often as not: never quote it. */
        if (ok && hd->value && strpbrk(hd->value, "\r\n")) {
            *err = fd_xasprintf("%s.value: a header value cannot hold a line break", p);
            ok = false;
        }
        if (ok && !hd->value)
            hd->value = fd_xstrdup("");
        free(p);
        if (!ok)
            return false;
    }
    return true;
}

static bool decode_auth(const json_t *j, const char *path, struct fd_analysis_prom_spec *s,
                        char **err)
{
    const json_t *auth = json_object_get(j, "authentication");
    char *p;
    bool ok = true;

    if (!want(auth, json_is_object(auth), path, "authentication", "an object", err))
        return false;
    if (!json_is_object(auth))
        return true;
    p = fd_xasprintf("%s.authentication", path);
    const json_t *basic = json_object_get(auth, "basicAuth");
    if (!want(basic, json_is_object(basic), p, "basicAuth", "an object", err))
        ok = false;
    if (ok && json_is_object(basic)) {
        char *bp = fd_xasprintf("%s.basicAuth", p);
        ok = get_str(basic, "username", bp, &s->cfg.username, err) &&
             get_str(basic, "password", bp, &s->cfg.password, err);
        free(bp);
    }
    const json_t *oauth = json_object_get(auth, "oauth2");
    s->oauth2 = json_is_object(oauth) && json_object_size(oauth) > 0;
    free(p);
    return ok;
}

static bool decode_range(const json_t *j, const char *path, struct fd_analysis_prom_spec *s,
                         char **err)
{
    const json_t *rq = json_object_get(j, "rangeQuery");
    char *p;
    bool ok;

    if (!want(rq, json_is_object(rq), path, "rangeQuery", "an object", err))
        return false;
    if (!json_is_object(rq))
        return true;
    s->range = true;
    p = fd_xasprintf("%s.rangeQuery", path);
    ok = get_str(rq, "start", p, &s->range_start, err) &&
         get_str(rq, "end", p, &s->range_end, err) && get_str(rq, "step", p, &s->range_step, err);
    free(p);
    return ok;
}

enum fd_status fd_analysis_prom_spec_from_json(const json_t *json, const char *path,
                                               struct fd_analysis_prom_spec *out, char **err)
{
    const json_t *v;
    bool ok;

    memset(out, 0, sizeof(*out));
    *err = NULL;
    path = path ? path : "prometheus";
    if (!json_is_object(json)) {
        *err = fd_xasprintf("%s: expected an object", path);
        return FD_PARSE;
    }
    ok = get_str(json, "address", path, &out->cfg.address, err) &&
         get_str(json, "query", path, &out->query, err);
    v = json_object_get(json, "insecure");
    ok = ok && want(v, json_is_boolean(v), path, "insecure", "a boolean", err);
    out->cfg.insecure = json_is_true(v);
    v = json_object_get(json, "timeout");
    ok = ok && want(v, json_is_integer(v), path, "timeout", "an integer (seconds)", err);
    if (json_is_integer(v)) {
        out->timeout_set = true;
        out->timeout_s = json_integer_value(v);
    }
    ok = ok && decode_headers(json, path, out, err) && decode_auth(json, path, out, err) &&
         decode_range(json, path, out, err);
    if (!ok) {
        fd_analysis_prom_spec_free(out);
        return FD_PARSE;
    }
    if (out->cfg.address && !*out->cfg.address) {
        free(out->cfg.address);
        out->cfg.address = NULL;
    }
    out->sigv4 = out->cfg.address && strstr(out->cfg.address, "aps-workspaces");
    if (!out->timeout_set)
        out->cfg.timeout_ms = FD_PROM_DEFAULT_TIMEOUT_MS;
    else if (out->timeout_s > INT64_MAX / 1000)
        out->cfg.timeout_ms = INT64_MAX;
    else
        out->cfg.timeout_ms = out->timeout_s * 1000;
    return FD_OK;
}

json_t *fd_analysis_resolve_json(const json_t *json, const struct fd_analysis_arg *args,
                                 size_t n_args, char **err)
{
    /* the text the tags are found in is json.Marshal's: <, >, &, U+2028
     * and U+2029 escaped, so a tag holding one is not the tag it looks like */
    char *text = fd_go_json_marshal(json, false);
    char *resolved;
    json_t *out;
    json_error_t jerr;

    *err = NULL;
    resolved = fd_analysis_resolve_args(text, args, n_args, true, err);
    free(text);
    if (!resolved)
        return NULL;
    /* an escape strconv.Quote makes that JSON lacks (\a, \v, \x01, \U000e0001
     * for a byte or rune it cannot print) fails json.Unmarshal: Go's words */
    char goerr[256];
    if (!fd_expr_go_json_valid(resolved, strlen(resolved), goerr, sizeof(goerr))) {
        free(resolved);
        *err = fd_xstrdup(goerr);
        return NULL;
    }
    out = json_loads(resolved, JSON_DECODE_ANY, &jerr);
    free(resolved);
    if (!out) /* (valid to Go; jansson refuses only a \u0000 in a string) */
        *err = fd_xasprintf("the arguments broke the metric's JSON: %s", jerr.text);
    return out;
}

json_t *fd_analysis_resolve_metrics(const json_t *metrics, const struct fd_analysis_arg *args,
                                    size_t n_args, char **err)
{
    if (!json_is_array(metrics))
        return fd_analysis_resolve_json(metrics ? metrics : json_null(), args, n_args, err);
    json_t *out = json_array();
    size_t i;
    const json_t *m;
    json_array_foreach(metrics, i, m)
    {
        json_t *r = fd_analysis_resolve_json(m, args, n_args, err);
        if (!r) {
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, r);
    }
    return out;
}

/* ---- Fixed "now" for rangeQuery expressions ------------------------------ */
static char *rfc3339_ms(int64_t ms)
{
    int64_t frac = ((ms % 1000) + 1000) % 1000;
    char *s = fd_time_format_rfc3339(ms - frac, false);
    char *out;
    size_t n = strlen(s);

    if (!frac || n == 0 || s[n - 1] != 'Z')
        return s;
    s[n - 1] = '\0';
    out = fd_xasprintf("%s.%03lldZ", s, (long long)frac);
    free(s);
    return out;
}

char *fd_analysis_pin_now(const char *expr, int64_t now)
{
    struct fd_buf b = FD_BUF_INIT;
    char *stamp = rfc3339_ms(now);
    const char *p = expr ? expr : "";

    fd_buf_puts(&b, "");
    while (*p) {
        if (*p == '"' || *p == '\'' || *p == '`') {
            char q = *p;
            const char *start = p++;
            while (*p && *p != q) {
                if (*p == '\\' && q != '`' && p[1])
                    p++;
                p++;
            }
            if (*p)
                p++;
            fd_buf_append(&b, start, (size_t)(p - start));
            continue;
        }
        bool word_start = p == expr || !(fd_ascii_isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
                                         p[-1] == '.' || p[-1] == '$');
        if (word_start && strncmp(p, "now", 3) == 0) {
            const char *q = p + 3;
            while (fd_ascii_isspace((unsigned char)*q))
                q++;
            if (*q == '(') {
                q++;
                while (fd_ascii_isspace((unsigned char)*q))
                    q++;
                if (*q == ')') {
                    fd_buf_printf(&b, "date(\"%s\")", stamp);
                    p = q + 1;
                    continue;
                }
            }
        }
        fd_buf_putc(&b, *p++);
    }
    free(stamp);
    return fd_buf_steal(&b);
}

/* EvalTime: the expression must produce a time. */
static bool eval_time(const char *which, const char *src, int64_t now, enum fd_expr_version version,
                      int64_t *out, char **err)
{
    char *pinned = fd_analysis_pin_now(src ? src : "", now);
    struct fd_expr_error e;
    fd_value *v = NULL;
    bool ok = false;

    memset(&e, 0, sizeof(e));
    if (fd_expr_eval(pinned, strlen(pinned), fd_expr_mode_at(FD_EXPR_MODE_EXPR, version), NULL, &v,
                     &e) != 0) {
        /* EvalTime unwraps expr's *file.Error to its bare Message: no
         * position, no excerpt of the source. */
        *err = fd_xasprintf("failed to parse rangeQuery.%s as time: %s", which, e.message);
    } else if (fd_value_kind(v) != FD_VAL_TIME) {
        *err = fd_xasprintf("failed to parse rangeQuery.%s as time: expected time.Time, but got %s",
                            which, fd_value_go_type(v));
    } else {
        int64_t sec;
        int32_t nsec;
        ok = fd_value_as_time(v, &sec, &nsec);
        /* Milliseconds, the fraction truncated (as fd_time_parse_rfc3339). */
        *out = sec * 1000 + nsec / 1000000;
    }
    fd_value_unref(v);
    free(pinned);
    return ok;
}

/* ---- One measurement ------------------------------------------------------ */
void fd_analysis_prom_measurement_free(struct fd_analysis_prom_measurement *m)
{
    if (!m)
        return;
    free(m->value);
    free(m->message);
    free(m->explanation);
    free(m->warnings);
    free(m->address);
    free(m->request);
    memset(m, 0, sizeof(*m));
}

static void fail(struct fd_analysis_prom_measurement *out, char *message, const char *hint)
{
    out->phase = FD_ANALYSIS_PHASE_ERROR;
    out->message = message;
    out->explanation = hint ? fd_xasprintf("%s: %s", hint, message)
                            : fd_xasprintf("the measurement failed: %s", message);
    out->finished_at = fd_time_now_ms();
}

static const char *transport_hint(const char *message, int64_t timeout_ms, char **owned)
{
    *owned = NULL;
    if (strstr(message, "context deadline exceeded")) {
        *owned = fd_xasprintf("Prometheus did not answer within the %lld s timeout",
                              (long long)(timeout_ms / 1000));
        return *owned;
    }
    if (strstr(message, "connection refused"))
        return "nothing accepts connections at the Prometheus address";
    if (strstr(message, "no such host"))
        return "the Prometheus host name does not resolve";
    return "the request to Prometheus failed";
}

void fd_analysis_prom_measure(const struct fd_analysis_metric *m,
                              const struct fd_analysis_prom_spec *spec,
                              const struct fd_analysis_prom_options *opts,
                              struct fd_analysis_prom_measurement *out)
{
    struct fd_prom_config cfg = spec->cfg; /* shallow: borrowed strings */
    struct fd_prom_response resp;
    struct fd_prom_result result;
    const char *address;
    char *err = NULL;
    enum fd_status st;
    int64_t now = opts->now_ms;

    memset(out, 0, sizeof(*out));
    out->started_at = fd_time_now_ms();
    address = opts->address ? opts->address : spec->cfg.address;
    if (!address) {
        const char *env = getenv(ENV_ADDRESS);
        address = env && *env ? env : NULL;
    }
    if (!address) {
        fail(out, fd_xstrdup("prometheus address is not configured"),
             "no address: set provider.prometheus.address, pass --prometheus URL or "
             "set " ENV_ADDRESS);
        return;
    }
    out->address = fd_prom_redact_url(address);
    if (fd_prom_check_address(address, &err) != FD_OK) {
        char *hint = fd_xasprintf("\"%s\" is not a URL with a scheme and a host", out->address);
        fail(out, err, hint);
        free(hint);
        return;
    }
    if (spec->timeout_set && spec->timeout_s < 0) {
        fail(out, fd_xstrdup("prometheus timeout should not be negative"),
             "provider.prometheus.timeout is negative");
        return;
    }
    if (spec->sigv4 || spec->oauth2) {
        fail(out,
             fd_xstrdup(spec->sigv4 ? "SigV4 signing (Amazon Managed Prometheus) is not supported "
                                      "by analyze"
                                    : "OAuth2 authentication is not supported by analyze"),
             "unsupported authentication");
        return;
    }
    cfg.address = (char *)(uintptr_t)address;
    if (opts->insecure)
        cfg.insecure = true;
    if (opts->ca_file)
        cfg.ca_file = (char *)(uintptr_t)opts->ca_file;
    if (opts->bearer_token)
        cfg.bearer_token = (char *)(uintptr_t)opts->bearer_token;

    if (spec->range) {
        int64_t start, end, step;
        if (!eval_time("start", spec->range_start, now, opts->expr_version, &start, &err) ||
            !eval_time("end", spec->range_end, now, opts->expr_version, &end, &err)) {
            fail(out, err, "the rangeQuery times could not be computed");
            return;
        }
        if (fd_analysis_parse_duration(spec->range_step ? spec->range_step : "", &step, &err) !=
            FD_OK) {
            char *msg = fd_xasprintf("failed to parse rangeQuery.step as duration: %s", err);
            free(err);
            fail(out, msg, "the rangeQuery step could not be read");
            return;
        }
        char *s1 = rfc3339_ms(start), *s2 = rfc3339_ms(end);
        out->request = fd_xasprintf("range query from %s to %s every %s", s1, s2, spec->range_step);
        free(s1);
        free(s2);
        st = fd_prom_query_range(&cfg, m->query ? m->query : spec->query, start, end, step, &resp,
                                 &err);
    } else {
        char *t = rfc3339_ms(now);
        out->request = fd_xasprintf("instant query at %s", t);
        free(t);
        st = fd_prom_query(&cfg, m->query ? m->query : spec->query, now, &resp, &err);
    }
    if (st != FD_OK) {
        char *hint_owned;
        const char *hint = transport_hint(err, cfg.timeout_ms, &hint_owned);
        fail(out, err, hint);
        free(hint_owned);
        return;
    }
    if (fd_prom_parse(resp.body, resp.len, resp.http_status, &result, &err) != FD_OK) {
        char *hint = fd_xasprintf("Prometheus answered HTTP %d (%s %s) with an error or an "
                                  "unusable body",
                                  resp.http_status, resp.method, resp.url);
        fd_prom_response_free(&resp);
        fail(out, err, hint);
        free(hint);
        return;
    }
    fd_prom_response_free(&resp);
    out->value = fd_xstrdup(result.value);
    out->warnings = result.warnings ? fd_xstrdup(result.warnings) : NULL;
    fd_value *value = fd_analysis_prom_result_value(&result);
    fd_prom_result_free(&result);
    char *message = NULL;
    enum fd_expr_mode mode = fd_expr_mode_at(FD_EXPR_MODE_ARGO, opts->expr_version);
    out->phase =
        fd_analysis_evaluate(m->success_condition, m->failure_condition, value, mode, &message);
    fd_analysis_explain(m->success_condition, m->failure_condition, value, mode, &out->explanation);
    fd_value_unref(value);
    out->message = message;
    out->finished_at = fd_time_now_ms();
}
