/* kube/redact.c: keeps secrets out of every message src/kube builds. */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <string.h>

#define REDACTED "[redacted]"

/* Copies the result back into text, cut to size. */
static void put_back(char *text, size_t size, struct fd_buf *b)
{
    size_t n = b->len < size - 1 ? b->len : size - 1;

    memcpy(text, fd_buf_cstr(b), n);
    text[n] = '\0';
    fd_buf_free(b);
}

void fd_kube_redact_secret(char *text, size_t size, const char *secret, size_t len)
{
    struct fd_buf b = FD_BUF_INIT;
    size_t tlen, i = 0, from = 0;
    bool changed = false;

    /* Very short "secrets" would blank out ordinary words; nobody's real
     * credential is that short. */
    if (!secret || len < 4 || size == 0)
        return;
    tlen = strlen(text);
    while (i + len <= tlen) {
        if (text[i] == secret[0] && memcmp(text + i, secret, len) == 0) {
            fd_buf_append(&b, text + from, i - from);
            fd_buf_puts(&b, REDACTED);
            i += len;
            from = i;
            changed = true;
        } else {
            i++;
        }
    }
    if (!changed)
        return;
    fd_buf_puts(&b, text + from);
    put_back(text, size, &b);
}

/* Secrets embedded in a text whatever the config: authorization values, URL
 * userinfo, PEM blocks. */
static void redact_patterns(char *text, size_t size)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *p = text;
    bool changed = false;

    while (*p) {
        if (strncmp(p, "-----BEGIN", 10) == 0) {
            const char *end = strstr(p + 10, "-----END");
            const char *stop = end ? strstr(end + 8, "-----") : NULL;
            fd_buf_puts(&b, REDACTED);
            p = stop ? stop + 5 : p + strlen(p);
            changed = true;
            continue;
        }
        if ((strncmp(p, "Bearer ", 7) == 0 || strncmp(p, "Basic ", 6) == 0)) {
            size_t skip = p[1] == 'e' ? 7 : 6;
            fd_buf_append(&b, p, skip);
            p += skip;
            if (*p && !fd_ascii_isspace((unsigned char)*p)) {
                while (*p && !fd_ascii_isspace((unsigned char)*p) && *p != '"' && *p != '\'')
                    p++;
                fd_buf_puts(&b, REDACTED);
                changed = true;
            }
            continue;
        }
        if (strncmp(p, "://", 3) == 0) {
            const char *q = p + 3;
            while (*q && *q != '/' && *q != '@' && !fd_ascii_isspace((unsigned char)*q) &&
                   *q != '"')
                q++;
            fd_buf_puts(&b, "://");
            p += 3;
            if (*q == '@' && q > p) {
                fd_buf_puts(&b, REDACTED);
                p = q;
                changed = true;
            }
            continue;
        }
        fd_buf_putc(&b, *p++);
    }
    if (changed)
        put_back(text, size, &b);
    else
        fd_buf_free(&b);
}

void fd_kube_redact(char *text, size_t size, const struct fd_kube_config *cfg)
{
    if (!text || size == 0)
        return;
    if (cfg) {
        if (cfg->token)
            fd_kube_redact_secret(text, size, cfg->token, strlen(cfg->token));
        if (cfg->password)
            fd_kube_redact_secret(text, size, cfg->password, strlen(cfg->password));
        fd_kube_redact_secret(text, size, (const char *)cfg->client_key.data, cfg->client_key.len);
        fd_kube_redact_secret(text, size, (const char *)cfg->client_cert.data,
                              cfg->client_cert.len);
        if (cfg->creds)
            fd_kube_credentials_redact(cfg->creds, text, size);
    }
    redact_patterns(text, size);
}

static void fail_v(struct fd_kube_error *err, const struct fd_kube_config *cfg,
                   enum fd_status status, const char *fmt, va_list ap) FD_PRINTF(4, 0);
static void fail_v(struct fd_kube_error *err, const struct fd_kube_config *cfg,
                   enum fd_status status, const char *fmt, va_list ap)
{
    err->status = status;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    fd_kube_redact(err->message, sizeof(err->message), cfg);
    /* Messages carry server text (names; Status messages are made safe,
     * lines included, by fd_kube_status_message): they may be printed on a
     * terminal. Our own line breaks (an install hint) stay. */
    fd_term_sanitize_inplace(err->message, true);
}

enum fd_status fd_kube_fail(struct fd_kube_error *err, const struct fd_kube_config *cfg,
                            enum fd_status status, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return status;
    va_start(ap, fmt);
    fail_v(err, cfg, status, fmt, ap);
    va_end(ap);
    fd_log(FD_LOG_WARN, "kube: %s", err->message);
    return status;
}

enum fd_status fd_kube_fail_quiet(struct fd_kube_error *err, const struct fd_kube_config *cfg,
                                  enum fd_status status, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return status;
    va_start(ap, fmt);
    fail_v(err, cfg, status, fmt, ap);
    va_end(ap);
    return status;
}
