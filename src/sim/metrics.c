/* sim/metrics.c: the scenario's model of each version (success rate, error
 * rate, with deterministic noise) and /metrics: http_requests_total
 * counters per service that follow the scenario, so a real Prometheus can
 * scrape the sim and the article's PromQL runs unchanged. */
#include "config.h"

#include "ctl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "freightdeck/util.h"
#include "hooks.h"
#include "names.h"

static struct fd_sim_ctl *served; /* whose counters /metrics shows */

void fd_sim_hooks_set_ctl(struct fd_sim_ctl *ctl)
{
    served = ctl;
}

enum fd_sim_signal fd_sim_metric_signal(const struct fd_analysis_metric *m)
{
    const char *q = m->query ? m->query : "";
    /* A query selecting 5xx statuses in its numerator measures errors. */
    const char *sel = strstr(q, "status=~\"5");
    const char *neg = strstr(q, "status!~\"5");
    if (sel && !neg)
        return FD_SIM_SIGNAL_ERROR_RATE;
    if (neg)
        return FD_SIM_SIGNAL_SUCCESS_RATE;
    if (m->name && strstr(m->name, "error"))
        return FD_SIM_SIGNAL_ERROR_RATE;
    return FD_SIM_SIGNAL_SUCCESS_RATE;
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

double fd_sim_model_value(const struct fd_sim_ctl *ctl, const char *version, enum fd_sim_signal sig,
                          const char *key, int64_t t)
{
    const struct fd_sim_version *v = fd_sim_scenario_version(ctl->sc, version);
    double sr = v ? v->success_rate : 0.99;
    /* Noise depends on the seed, the series and the minute of scenario
     * time: the same run replays the same numbers. */
    uint64_t st = ctl->seed ^ fnv(key) ^ (uint64_t)(t / 60000);
    double noise = (fd_sim_rand01(&st) * 2 - 1) * ctl->sc->noise;
    sr += noise;
    if (sr > 1)
        sr = 1;
    if (sr < 0)
        sr = 0;
    double out = sig == FD_SIM_SIGNAL_ERROR_RATE ? 1 - sr : sr;
    /* Four decimals, as a rate over a few thousand requests reads. */
    return round(out * 10000) / 10000;
}

void fd_sim_metrics_advance(struct fd_sim_ctl *ctl, int64_t now)
{
    double dt = (double)(now - ctl->metrics_at) / 1000.0;
    if (dt <= 0)
        return;
    ctl->metrics_at = now;
    for (size_t i = 0; i < ctl->sc->n_bindings; i++) {
        const struct fd_sim_binding *b = &ctl->sc->bindings[i];
        char *version = b->rollout ? fd_sim_rollout_version(ctl, b->ns, b->rollout) : NULL;
        const struct fd_sim_version *v = fd_sim_scenario_version(ctl->sc, version);
        double sr = v ? v->success_rate : 0.99;
        free(version);
        ctl->requests[i][0] += b->rps * dt * sr;
        ctl->requests[i][1] += b->rps * dt * (1 - sr);
    }
}

bool fd_sim_metrics_serve(const struct fd_sim_request *req, struct fd_sim_response *resp);

bool fd_sim_metrics_serve(const struct fd_sim_request *req, struct fd_sim_response *resp)
{
    if (!req->path || strcmp(req->path, "/metrics") != 0 || !req->method ||
        strcmp(req->method, "GET") != 0)
        return false;
    struct fd_buf b = FD_BUF_INIT;
    fd_buf_puts(&b, "# HELP http_requests_total HTTP requests served, by service and status "
                    "(freightdeck sim scenario).\n"
                    "# TYPE http_requests_total counter\n");
    struct fd_sim_ctl *ctl = served;
    if (ctl) {
        fd_sim_store_lock(ctl->st);
        fd_sim_metrics_advance(ctl, fd_sim_clock_now(&ctl->clock));
        for (size_t i = 0; i < ctl->sc->n_bindings; i++) {
            const char *svc = ctl->sc->bindings[i].service;
            fd_buf_printf(&b, "http_requests_total{service=\"%s\",status=\"200\"} %.0f\n", svc,
                          floor(ctl->requests[i][0]));
            fd_buf_printf(&b, "http_requests_total{service=\"%s\",status=\"500\"} %.0f\n", svc,
                          floor(ctl->requests[i][1]));
        }
        fd_buf_printf(&b,
                      "# HELP freightdeck_sim_scenario_seconds Scenario time elapsed.\n"
                      "# TYPE freightdeck_sim_scenario_seconds gauge\n"
                      "freightdeck_sim_scenario_seconds %.3f\n",
                      (double)fd_sim_clock_elapsed(&ctl->clock) / 1000.0);
        fd_sim_store_unlock(ctl->st);
    }
    fd_buf_printf(&b,
                  "# HELP freightdeck_sim_faults_injected_total Faults injected (--faults).\n"
                  "# TYPE freightdeck_sim_faults_injected_total counter\n"
                  "freightdeck_sim_faults_injected_total %llu\n",
                  (unsigned long long)fd_sim_faults_injected());
    fd_sim_response_free(resp);
    resp->code = 200;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    resp->body_len = b.len;
    resp->body = fd_buf_steal(&b);
    return true;
}
