/* client/liveness.c: noticing a hung API server. A watch that stops
 * delivering looks the same as a quiet one, so while informers watch, a
 * cheap GET /version goes out every liveness interval; when it gets no
 * answer within the liveness timeout, every watch and list is cut and
 * fails (STALE, stale_since kept), and the informers reconnect by
 * themselves with their usual back-off. Any HTTP answer, even an error
 * status, proves the server alive. Watch connections also use short TCP
 * keepalives, so a dead link is noticed even when the probe's own
 * connection is a fresh one. */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* TCP keepalive on informer connections: first probe after 10 s idle, then
 * every 5 s, 3 unanswered ones end the connection: 25 s for a dead link. */
#define KEEPIDLE_S  10
#define KEEPINTVL_S 5
#define KEEPCNT     3

static int on_socket(void *arg, curl_socket_t fd, curlsocktype purpose)
{
    int on = 1, idle = KEEPIDLE_S, intvl = KEEPINTVL_S, cnt = KEEPCNT;

    (void)arg;
    if (purpose != CURLSOCKTYPE_IPCXN)
        return CURL_SOCKOPT_OK;
    /* Best effort: a platform without these keeps the transport's defaults. */
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
#ifdef TCP_KEEPIDLE
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
#endif
#ifdef TCP_KEEPINTVL
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
#endif
#ifdef TCP_KEEPCNT
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
#endif
    (void)idle;
    (void)intvl;
    (void)cnt;
    return CURL_SOCKOPT_OK;
}

void fd_client_liveness_tune(CURL *easy)
{
    curl_easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, on_socket);
    curl_easy_setopt(easy, CURLOPT_SOCKOPTDATA, NULL);
}

static bool watching(const struct fd_client *c)
{
    for (size_t i = 0; i < c->n_inf; i++)
        if (c->inf[i].phase == PH_WATCH)
            return true;
    return false;
}

void fd_client_liveness_round(struct fd_client *c, int64_t now)
{
    struct fd_client_liveness *lv = &c->live;
    struct fd_kube_error err = {0};

    if (lv->req || now < lv->next_at)
        return;
    if (!watching(c)) {
        lv->next_at = now + c->live_interval;
        return;
    }
    lv->req = fd_kube_req_new(c->cfg, "GET", "/version", NULL, NULL, &err);
    lv->next_at = now + c->live_interval;
    if (!lv->req)
        return; /* the informers meet the same problem and report it */
    lv->own.type = OWNER_LIVENESS;
    lv->req->user = &lv->own;
    curl_easy_setopt(lv->req->easy, CURLOPT_TIMEOUT_MS, (long)c->live_timeout);
    curl_easy_setopt(lv->req->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)c->live_timeout);
    curl_multi_add_handle(c->multi, lv->req->easy);
}

void fd_client_liveness_done(struct fd_client *c, CURLcode code)
{
    struct fd_client_liveness *lv = &c->live;
    struct fd_kube_response resp;
    struct fd_kube_error err = {0};
    char msg[160];

    curl_multi_remove_handle(c->multi, lv->req->easy);
    fd_kube_req_finish(lv->req, code, &resp, &err);
    fd_kube_req_free(lv->req);
    lv->req = NULL;
    if (resp.status != 0) {
        fd_kube_response_free(&resp);
        /* an answer, whatever it says: the server is alive */
        pthread_mutex_lock(&c->mu);
        lv->alive_at = fd_time_now_ms() / 1000;
        pthread_mutex_unlock(&c->mu);
        return;
    }
    fd_kube_response_free(&resp);
    snprintf(msg, sizeof(msg), "watch cut: the server did not answer within %u ms (liveness probe)",
             c->live_timeout);
    lv->failures++;
    for (size_t i = 0; i < c->n_inf; i++) {
        struct informer *inf = &c->inf[i];
        if (inf->phase != PH_WATCH && inf->phase != PH_LIST)
            continue;
        fd_client_informer_fail(inf, FD_UNREACHABLE, msg);
        /* The data stopped being known live when the server last answered,
         * up to interval + timeout before this moment, not now. */
        pthread_mutex_lock(&c->mu);
        if (lv->alive_at && inf->st.stale_since > lv->alive_at)
            inf->st.stale_since = lv->alive_at;
        fd_client_touch(c);
        pthread_mutex_unlock(&c->mu);
    }
    /* A focus list or watch on the silent server ends too: its kind's list
     * of every namespace no longer waits for it. */
    for (size_t i = 0; i < c->n_finf; i++)
        if (c->finf[i].phase == PH_LIST || c->finf[i].phase == PH_WATCH)
            fd_client_informer_fail(&c->finf[i], FD_UNREACHABLE, msg);
}

int64_t fd_client_liveness_wait(const struct fd_client *c, int64_t now)
{
    if (c->live.req)
        return INT64_MAX;
    return c->live.next_at > now ? c->live.next_at - now : 0;
}

void fd_client_liveness_clear(struct fd_client *c)
{
    if (c->live.req) {
        curl_multi_remove_handle(c->multi, c->live.req->easy);
        fd_kube_req_free(c->live.req);
        c->live.req = NULL;
    }
}
