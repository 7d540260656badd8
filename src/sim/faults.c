/* sim/faults.c: --faults: latency, dropped watches, 410 on watch, 5xx,
 * truncated and corrupt bodies, as hooks the HTTP layer calls. */
#include "config.h"

#include "hooks.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freightdeck/analysis.h"
#include "names.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fd_sim_faults faults;
static bool active;
static uint64_t rng;
static uint64_t injected;

struct open_watch {
    const void *key;
    int64_t opened; /* monotonic ms */
    bool gone_sent;
};
static struct open_watch *watches;
static size_t n_watches;

static bool parse_prob(const char *v, double *out)
{
    char *end;
    double p = strtod(v, &end);
    if (end == v || *end || !(p >= 0 && p <= 1))
        return false;
    *out = p;
    return true;
}

bool fd_sim_faults_parse(const char *spec, struct fd_sim_faults *out, char **err)
{
    memset(out, 0, sizeof(*out));
    char *copy = fd_xstrdup(spec);
    char *save = NULL;
    bool ok = true;
    for (char *item = strtok_r(copy, ",", &save); item && ok; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) {
            *err = fd_xasprintf("--faults '%s': expected NAME=VALUE", item);
            ok = false;
            break;
        }
        *eq = '\0';
        const char *name = item, *val = eq + 1;
        int64_t *dur = strcmp(name, "latency") == 0      ? &out->latency_ms
                       : strcmp(name, "drop-watch") == 0 ? &out->drop_watch_ms
                       : strcmp(name, "gone") == 0       ? &out->gone_ms
                                                         : NULL;
        double *prob = strcmp(name, "5xx") == 0         ? &out->p_5xx
                       : strcmp(name, "truncate") == 0  ? &out->p_truncate
                       : strcmp(name, "malformed") == 0 ? &out->p_malformed
                                                        : NULL;
        if (dur) {
            char *derr = NULL;
            if (fd_analysis_parse_duration(val, dur, &derr) != FD_OK || *dur <= 0) {
                *err = fd_xasprintf("--faults '%s=%s': %s", name, val,
                                    derr ? derr : "the duration must be positive");
                free(derr);
                ok = false;
            }
        } else if (prob) {
            if (!parse_prob(val, prob)) {
                *err = fd_xasprintf("--faults '%s=%s': expected a fraction from 0 to 1", name, val);
                ok = false;
            }
        } else {
            *err = fd_xasprintf("--faults '%s': unknown fault (latency, drop-watch, gone, 5xx, "
                                "truncate, malformed)",
                                name);
            ok = false;
        }
    }
    free(copy);
    return ok;
}

void fd_sim_faults_set(const struct fd_sim_faults *f, uint64_t seed)
{
    pthread_mutex_lock(&mu);
    faults = *f;
    active = f->latency_ms || f->drop_watch_ms || f->gone_ms || f->p_5xx > 0 || f->p_truncate > 0 ||
             f->p_malformed > 0;
    rng = seed ^ 0xFA017u;
    pthread_mutex_unlock(&mu);
}

uint64_t fd_sim_faults_injected(void)
{
    pthread_mutex_lock(&mu);
    uint64_t n = injected;
    pthread_mutex_unlock(&mu);
    return n;
}

/* Called with mu held. */
static bool roll(double p)
{
    double r = fd_sim_rand01(&rng);
    if (p > 0 && r < p) {
        injected++;
        return true;
    }
    return false;
}

static void replace_body(struct fd_sim_response *resp, int code, const char *body)
{
    free(resp->body);
    resp->code = code;
    resp->content_type = "application/json";
    resp->body = fd_xstrdup(body);
    resp->body_len = strlen(body);
}

/* Defined in metrics.c: /metrics, or false when the path is another. */
bool fd_sim_metrics_serve(const struct fd_sim_request *req, struct fd_sim_response *resp);

void fd_sim_hooks_response(const struct fd_sim_request *req, struct fd_sim_response *resp)
{
    if (fd_sim_metrics_serve(req, resp))
        return;
    pthread_mutex_lock(&mu);
    if (!active) {
        pthread_mutex_unlock(&mu);
        return;
    }
    struct fd_sim_faults f = faults;
    bool fail = roll(f.p_5xx);
    bool cut = !fail && !resp->watch && resp->body_len > 1 && roll(f.p_truncate);
    bool bad = !fail && !cut && !resp->watch && resp->body_len > 1 && roll(f.p_malformed);
    if (resp->watch && !fail) {
        watches = fd_xreallocarray(watches, n_watches + 1, sizeof(*watches));
        watches[n_watches].key = resp->watch;
        watches[n_watches].opened = fd_time_mono_ms();
        watches[n_watches++].gone_sent = false;
    }
    pthread_mutex_unlock(&mu);

    if (f.latency_ms > 0) {
        struct timespec ts = {f.latency_ms / 1000, (long)(f.latency_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (fail) {
        fd_sim_response_free(resp);
        replace_body(resp, 503,
                     "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
                     "\"Failure\",\"message\":\"the server is currently unable to handle the "
                     "request (injected fault)\",\"reason\":\"ServiceUnavailable\",\"code\":503}");
    } else if (cut) {
        resp->body_len /= 2;
        resp->body[resp->body_len] = '\0';
    } else if (bad) {
        /* A stray byte in the middle: still the announced length, not JSON. */
        resp->body[resp->body_len / 2] = '\x01';
    }
    (void)req;
}

int fd_sim_hooks_stream(const void *watch, struct fd_buf *out)
{
    int rc = 0;
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < n_watches; i++) {
        if (watches[i].key != watch)
            continue;
        int64_t age = fd_time_mono_ms() - watches[i].opened;
        if (watches[i].gone_sent) {
            rc = -1;
        } else if (faults.gone_ms && age >= faults.gone_ms) {
            fd_buf_puts(out, "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":"
                             "\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old "
                             "resource version (injected fault)\",\"reason\":\"Expired\","
                             "\"code\":410}}\n");
            watches[i].gone_sent = true;
            injected++;
            rc = 1;
        } else if (faults.drop_watch_ms && age >= faults.drop_watch_ms) {
            injected++;
            rc = -1;
        }
        break;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

void fd_sim_hooks_stream_end(const void *watch)
{
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < n_watches; i++) {
        if (watches[i].key == watch) {
            watches[i] = watches[--n_watches];
            break;
        }
    }
    if (!n_watches) {
        free(watches);
        watches = NULL;
    }
    pthread_mutex_unlock(&mu);
}
