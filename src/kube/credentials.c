/* kube/credentials.c: the credentials a request uses, with the exec plugin's cached. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/*
 * Two locks: run_lock serialises plugin runs (a burst of requests runs the
 * plugin once; an interactive plugin prompts once), data_lock guards the
 * cached values for short moments, so redacting a message on another thread
 * never waits for a plugin.
 */
struct fd_kube_credentials {
    pthread_mutex_t run_lock;
    pthread_mutex_t data_lock;
    bool have; /* cached holds a plugin credential */
    struct fd_kube_exec_result cached;
    char *file_token; /* token file re-read after a 401 */
    bool stale;       /* the static token was rejected */
    unsigned generation;
    unsigned runs;
    /* The background refresh (fd_kube_credentials_refresh_async). */
    pthread_t worker;
    bool worker_started; /* worker must be joined */
    bool worker_running;
    int notify_fd;
    struct fd_kube_config *worker_cfg;
    struct fd_kube_error last_error; /* of the last background run */
    bool cancel; /* atomic: the config is being freed; a running plugin is killed */
};

bool fd_kube_credentials_cancelled(const struct fd_kube_credentials *c)
{
    return c && __atomic_load_n(&c->cancel, __ATOMIC_ACQUIRE);
}

struct fd_kube_credentials *fd_kube_credentials_new(void)
{
    struct fd_kube_credentials *c = fd_xcalloc(1, sizeof(*c));

    pthread_mutex_init(&c->run_lock, NULL);
    pthread_mutex_init(&c->data_lock, NULL);
    c->generation = 1;
    c->notify_fd = -1;
    return c;
}

void fd_kube_credentials_free(struct fd_kube_credentials *c)
{
    if (!c)
        return;
    /* A plugin that hangs must not hold up quitting: it is killed (its
     * process group) within 100 ms. */
    __atomic_store_n(&c->cancel, true, __ATOMIC_RELEASE);
    if (c->worker_started)
        pthread_join(c->worker, NULL);
    fd_kube_exec_result_clear(&c->cached);
    fd_kube_str_wipe(&c->file_token);
    pthread_mutex_destroy(&c->run_lock);
    pthread_mutex_destroy(&c->data_lock);
    free(c);
}

void fd_kube_credentials_redact(struct fd_kube_credentials *c, char *text, size_t size)
{
    pthread_mutex_lock(&c->data_lock);
    if (c->cached.token)
        fd_kube_redact_secret(text, size, c->cached.token, strlen(c->cached.token));
    fd_kube_redact_secret(text, size, (const char *)c->cached.client_key.data,
                          c->cached.client_key.len);
    fd_kube_redact_secret(text, size, (const char *)c->cached.client_cert.data,
                          c->cached.client_cert.len);
    if (c->file_token)
        fd_kube_redact_secret(text, size, c->file_token, strlen(c->file_token));
    pthread_mutex_unlock(&c->data_lock);
}

static void blob_copy(struct fd_kube_blob *dst, const struct fd_kube_blob *src)
{
    dst->data = NULL;
    dst->len = 0;
    if (!src->data)
        return;
    dst->data = fd_xmalloc(src->len + 1);
    memcpy(dst->data, src->data, src->len);
    dst->data[src->len] = '\0';
    dst->len = src->len;
}

static char *dup_or_null(const char *s)
{
    return s ? fd_xstrdup(s) : NULL;
}

/* Copies the cached plugin credential if it is still good; data_lock held. */
static bool take_cached(struct fd_kube_credentials *c, struct fd_kube_auth *auth)
{
    if (!c->have || (c->cached.expiry && time(NULL) >= c->cached.expiry))
        return false;
    auth->token = dup_or_null(c->cached.token);
    blob_copy(&auth->client_cert, &c->cached.client_cert);
    blob_copy(&auth->client_key, &c->cached.client_key);
    auth->generation = c->generation;
    return true;
}

static enum fd_status exec_credentials(struct fd_kube_config *cfg, struct fd_kube_auth *auth,
                                       struct fd_kube_error *err)
{
    struct fd_kube_credentials *c = cfg->creds;
    struct fd_kube_exec_result res;
    enum fd_status st = FD_OK;
    bool got;

    pthread_mutex_lock(&c->run_lock);
    pthread_mutex_lock(&c->data_lock);
    got = take_cached(c, auth);
    pthread_mutex_unlock(&c->data_lock);
    if (!got) {
        st = fd_kube_exec_run(cfg, &res, err);
        pthread_mutex_lock(&c->data_lock);
        c->runs++;
        if (!st) {
            fd_kube_exec_result_clear(&c->cached);
            c->cached = res;
            c->have = true;
            c->generation++;
            /* Used even when already expired: the next call runs it again,
             * as client-go does. */
            auth->token = dup_or_null(c->cached.token);
            blob_copy(&auth->client_cert, &c->cached.client_cert);
            blob_copy(&auth->client_key, &c->cached.client_key);
            auth->generation = c->generation;
        }
        pthread_mutex_unlock(&c->data_lock);
    }
    pthread_mutex_unlock(&c->run_lock);
    return st;
}

enum fd_status fd_kube_credentials_get(struct fd_kube_config *cfg, struct fd_kube_auth *auth,
                                       struct fd_kube_error *err)
{
    struct fd_kube_credentials *c = cfg->creds;

    memset(auth, 0, sizeof(*auth));
    if (cfg->exec)
        return exec_credentials(cfg, auth, err);

    pthread_mutex_lock(&c->data_lock);
    if (c->stale && cfg->token_file) {
        struct fd_kube_blob b;
        const char *why;
        if (fd_kube_read_blob(cfg->token_file, &b, &why) == FD_OK) {
            size_t start = 0, end = b.len;
            while (start < end && (b.data[start] == ' ' || b.data[start] == '\n' ||
                                   b.data[start] == '\t' || b.data[start] == '\r'))
                start++;
            while (end > start && (b.data[end - 1] == ' ' || b.data[end - 1] == '\n' ||
                                   b.data[end - 1] == '\t' || b.data[end - 1] == '\r'))
                end--;
            fd_kube_str_wipe(&c->file_token);
            c->file_token = fd_xstrndup((const char *)b.data + start, end - start);
            fd_kube_blob_wipe(&b);
        } else {
            fd_log(FD_LOG_WARN, "kube: cannot re-read token file %s: %s", cfg->token_file, why);
        }
        c->generation++;
    }
    c->stale = false;
    auth->token = dup_or_null(c->file_token ? c->file_token : cfg->token);
    auth->generation = c->generation;
    pthread_mutex_unlock(&c->data_lock);
    auth->username = dup_or_null(cfg->username);
    auth->password = dup_or_null(cfg->password);
    blob_copy(&auth->client_cert, &cfg->client_cert);
    blob_copy(&auth->client_key, &cfg->client_key);
    return FD_OK;
}

void fd_kube_credentials_invalidate(struct fd_kube_config *cfg, unsigned generation)
{
    struct fd_kube_credentials *c = cfg->creds;

    pthread_mutex_lock(&c->data_lock);
    if (generation == c->generation) {
        if (cfg->exec)
            c->have = false;
        else
            c->stale = true;
    }
    pthread_mutex_unlock(&c->data_lock);
}

unsigned fd_kube_credentials_exec_runs(struct fd_kube_config *cfg)
{
    unsigned n;

    pthread_mutex_lock(&cfg->creds->data_lock);
    n = cfg->creds->runs;
    pthread_mutex_unlock(&cfg->creds->data_lock);
    return n;
}

void fd_kube_auth_clear(struct fd_kube_auth *auth)
{
    fd_kube_str_wipe(&auth->token);
    fd_kube_str_wipe(&auth->username);
    fd_kube_str_wipe(&auth->password);
    fd_kube_blob_wipe(&auth->client_cert);
    fd_kube_blob_wipe(&auth->client_key);
    auth->generation = 0;
}

bool fd_kube_credentials_ready(struct fd_kube_config *cfg)
{
    struct fd_kube_credentials *c = cfg->creds;
    bool ready;

    if (!cfg->exec)
        return true;
    pthread_mutex_lock(&c->data_lock);
    ready = c->have && (!c->cached.expiry || time(NULL) < c->cached.expiry);
    pthread_mutex_unlock(&c->data_lock);
    return ready;
}

static void *refresh_worker(void *arg)
{
    struct fd_kube_credentials *c = arg;
    struct fd_kube_auth auth;
    struct fd_kube_error err = {FD_OK, ""};
    enum fd_status st = fd_kube_credentials_get(c->worker_cfg, &auth, &err);
    char byte = 1;
    int fd;

    fd_kube_auth_clear(&auth);
    pthread_mutex_lock(&c->data_lock);
    c->last_error = err;
    c->last_error.status = st;
    c->worker_running = false;
    fd = c->notify_fd;
    pthread_mutex_unlock(&c->data_lock);
    if (fd >= 0 && write(fd, &byte, 1) < 0) {
        /* The waiter went away; nothing to tell. */
    }
    return NULL;
}

enum fd_status fd_kube_credentials_refresh_async(struct fd_kube_config *cfg, int notify_fd,
                                                 struct fd_kube_error *err)
{
    struct fd_kube_credentials *c = cfg->creds;
    bool start;

    pthread_mutex_lock(&c->data_lock);
    start = !c->worker_running;
    if (start) {
        c->worker_running = true;
        c->notify_fd = notify_fd;
        c->worker_cfg = cfg;
    }
    pthread_mutex_unlock(&c->data_lock);
    if (!start)
        return FD_OK;
    if (c->worker_started)
        pthread_join(c->worker, NULL); /* finished: worker_running was false */
    c->worker_started = pthread_create(&c->worker, NULL, refresh_worker, c) == 0;
    if (!c->worker_started) {
        pthread_mutex_lock(&c->data_lock);
        c->worker_running = false;
        pthread_mutex_unlock(&c->data_lock);
        return fd_kube_fail(err, cfg, FD_INTERNAL, "cannot start a thread for the exec plugin");
    }
    return FD_OK;
}

enum fd_status fd_kube_credentials_last_error(struct fd_kube_config *cfg, struct fd_kube_error *err)
{
    struct fd_kube_credentials *c = cfg->creds;
    enum fd_status st;

    pthread_mutex_lock(&c->data_lock);
    *err = c->last_error;
    st = c->last_error.status;
    pthread_mutex_unlock(&c->data_lock);
    return st;
}
