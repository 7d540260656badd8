/* tests/faults/faultproxy.c: an HTTP/1.1 proxy on loopback that breaks what
 * it forwards in one chosen way, for the fault tests.
 *
 *     faultproxy --upstream PORT --mode MODE --port-file FILE --log FILE [--lifetime SECONDS]
 *                [--hold-ns NAMESPACE]
 *
 * Listens on 127.0.0.1 (a free port, written to FILE) and forwards plain
 * HTTP to 127.0.0.1:PORT (the simulator). Every request is logged to the log
 * file as "METHOD PATH N", N its number on its connection (1 = a fresh
 * connection). MODE:
 *   pass                forward everything
 *   drop-reused         a write (not GET/HEAD, not an access review) that
 *                       arrives on a reused connection is forwarded, its
 *                       answer read, and the connection closed unanswered
 *   drop-writes         the same for every write
 *   blackhole-writes    a write is forwarded, then never answered
 *   blackhole           nothing is forwarded or answered
 *   blackhole-after-write  a write is forwarded, then it and everything
 *                       after it goes unanswered (nothing can be read back)
 *   blackhole-freight   a list of Freight goes unanswered; all else passes
 *   no-items            a list (GET with limit=) gets 200 {"kind":"List"}
 *                       with no items
 *   watch-close         a watch (GET with watch=1) gets 200, empty, at once
 *   endless             a list gets a chunked body that never ends
 *   endless-reviews     so does an access review (POST selfsubjectaccessreviews)
 *   slow-drip           a list's answer is sent one byte per 50 ms
 *   blackhole-wide      a list of a long kind (Freight, Promotions,
 *                       AnalysisRuns, Rollouts) in every namespace goes
 *                       unanswered, and so do that kind's lists in the
 *                       namespace --hold-ns names; all else passes
 *   gone-wide           the first list of each long kind in every
 *                       namespace gets 410 Expired; all else passes
 * Bounded: 64 connections at once, requests of 1 MiB, answers of 256 MiB,
 * and the process exits by itself after its lifetime (default 120 s). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS   64
#define MAX_REQUEST (1u << 20)
#define MAX_ANSWER  (256u << 20)

static int upstream_port;
static const char *mode = "pass";
static FILE *log_file;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int conns;
static time_t deadline;
static bool write_seen;     /* [mu] */
static const char *hold_ns; /* --hold-ns */
static unsigned gone_sent;  /* [mu] gone-wide: bit per long kind answered 410 */

/* The long kind of a list path (0 to 3), or -1. */
static int long_kind(const char *path)
{
    static const char *const kinds[] = {"/freights?", "/promotions?", "/analysisruns?",
                                        "/rollouts?"};
    for (int i = 0; i < 4; i++)
        if (strstr(path, kinds[i]))
            return i;
    return -1;
}

/* Whether path lists in namespace ns. */
static bool in_ns(const char *path, const char *ns)
{
    char want[300];
    snprintf(want, sizeof(want), "/namespaces/%s/", ns);
    return strstr(path, want) != NULL;
}

struct buf {
    char *data;
    size_t len, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data)
            abort();
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool expired(void)
{
    return time(NULL) >= deadline;
}

/* Reads into b until it holds "\r\n\r\n"; returns the head's length or 0. */
static size_t read_head(int fd, struct buf *b, size_t max)
{
    char tmp[8192];

    for (;;) {
        char *end = b->data ? strstr(b->data, "\r\n\r\n") : NULL;
        if (end)
            return (size_t)(end - b->data) + 4;
        if (b->len > max || expired())
            return 0;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1000) == 0)
            continue;
        ssize_t r = recv(fd, tmp, sizeof(tmp), 0);
        if (r <= 0)
            return 0;
        buf_add(b, tmp, (size_t)r);
    }
}

/* The value of header name in head (case-insensitive), copied to out. */
static bool header(const char *head, size_t len, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    const char *p = head, *end = head + len;

    while (p < end) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        if (!eol)
            break;
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < eol && *v == ' ')
                v++;
            snprintf(out, size, "%.*s", (int)(eol - v), v);
            return true;
        }
        p = eol + 2;
    }
    return false;
}

/* Copies head without its Connection and Keep-Alive lines. */
static void strip_connection(struct buf *out, const char *head, size_t len)
{
    const char *p = head, *end = head + len;

    while (p < end) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        size_t n = eol ? (size_t)(eol - p) + 2 : (size_t)(end - p);
        if (strncasecmp(p, "Connection:", 11) != 0 && strncasecmp(p, "Keep-Alive:", 11) != 0)
            buf_add(out, p, n);
        p += n;
    }
}

static int connect_upstream(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)upstream_port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Sends the request upstream with "Connection: close" and returns the
 * socket (-1 on failure). */
static int forward(const char *head, size_t head_len, const char *body, size_t body_len)
{
    struct buf req = {0};
    int up = connect_upstream();

    if (up < 0)
        return -1;
    strip_connection(&req, head, head_len - 2); /* without the blank line */
    buf_add(&req, "Connection: close\r\n\r\n", 21);
    buf_add(&req, body, body_len);
    if (!send_all(up, req.data, req.len)) {
        close(up);
        up = -1;
    }
    free(req.data);
    return up;
}

/* Reads an upstream answer to its end (the upstream closes). */
static bool read_all(int up, struct buf *b)
{
    char tmp[65536];

    for (;;) {
        if (b->len > MAX_ANSWER || expired())
            return false;
        struct pollfd p = {up, POLLIN, 0};
        if (poll(&p, 1, 1000) == 0)
            continue;
        ssize_t r = recv(up, tmp, sizeof(tmp), 0);
        if (r < 0)
            return false;
        if (r == 0)
            return true;
        buf_add(b, tmp, (size_t)r);
    }
}

/* Relays a streaming answer (a watch) until either side closes. */
static void relay(int client, int up)
{
    char tmp[65536];

    while (!expired()) {
        struct pollfd p[2] = {{client, POLLIN, 0}, {up, POLLIN, 0}};
        if (poll(p, 2, 1000) <= 0)
            continue;
        if (p[0].revents)
            return; /* the client closed (or sent more: not in a watch) */
        ssize_t r = recv(up, tmp, sizeof(tmp), 0);
        if (r <= 0 || !send_all(client, tmp, (size_t)r))
            return;
    }
}

/* Holds a connection unanswered until the client gives up. */
static void hold(int client)
{
    char tmp[4096];

    while (!expired()) {
        struct pollfd p = {client, POLLIN, 0};
        if (poll(&p, 1, 1000) > 0 && recv(client, tmp, sizeof(tmp), 0) <= 0)
            return;
    }
}

static void endless(int client)
{
    static const char item[] = "{\"metadata\":{\"name\":\"x\",\"namespace\":\"x\"}},";
    char chunk[65536 + 16];
    size_t n = 0;
    unsigned long long total = 0;
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n";
    char first[64];

    if (!send_all(client, head, strlen(head)))
        return;
    snprintf(first, sizeof(first), "%zx\r\n{\"kind\":\"List\",\"items\":[\r\n",
             strlen("{\"kind\":\"List\",\"items\":["));
    if (!send_all(client, first, strlen(first)))
        return;
    n = (size_t)snprintf(chunk, sizeof(chunk), "%x\r\n",
                         65536 / (unsigned)(sizeof(item) - 1) * (unsigned)(sizeof(item) - 1));
    for (size_t i = 0; i + sizeof(item) - 1 <= 65536; i += sizeof(item) - 1) {
        memcpy(chunk + n, item, sizeof(item) - 1);
        n += sizeof(item) - 1;
    }
    memcpy(chunk + n, "\r\n", 2);
    n += 2;
    /* Up to 4 GiB or the lifetime, whichever comes first. */
    while (!expired() && total < (4ull << 30)) {
        if (!send_all(client, chunk, n))
            return;
        total += n;
    }
}

static bool is_write(const char *method, const char *path)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           !strstr(path, "selfsubjectaccessreviews");
}

static void *serve(void *arg)
{
    int client = (int)(intptr_t)arg;
    unsigned nreq = 0;
    struct buf in = {0};

    for (;;) {
        char method[16] = "", path[4096] = "", clen[32];
        size_t head_len, body_len = 0;
        struct buf answer = {0};
        int up;

        head_len = read_head(client, &in, 65536);
        if (!head_len || sscanf(in.data, "%15s %4095s", method, path) != 2)
            break;
        if (header(in.data, head_len, "Content-Length", clen, sizeof(clen)))
            body_len = strtoul(clen, NULL, 10);
        if (body_len > MAX_REQUEST)
            break;
        while (in.len < head_len + body_len && !expired()) {
            char tmp[8192];
            ssize_t r = recv(client, tmp, sizeof(tmp), 0);
            if (r <= 0)
                goto out;
            buf_add(&in, tmp, (size_t)r);
        }
        nreq++;
        pthread_mutex_lock(&mu);
        fprintf(log_file, "%s %s %u\n", method, path, nreq);
        fflush(log_file);
        pthread_mutex_unlock(&mu);

        bool write = is_write(method, path), watch = strstr(path, "watch=1") != NULL;
        bool list = !watch && strcmp(method, "GET") == 0 && strstr(path, "limit=") != NULL;
        const char *body = in.data + head_len;

        pthread_mutex_lock(&mu);
        bool dark = strcmp(mode, "blackhole-after-write") == 0 && write_seen;
        if (write)
            write_seen = true;
        pthread_mutex_unlock(&mu);
        int lk = list ? long_kind(path) : -1;
        bool wide = lk >= 0 && !strstr(path, "/namespaces/");
        if (strcmp(mode, "blackhole") == 0 || dark ||
            (strcmp(mode, "blackhole-freight") == 0 && list && strstr(path, "/freights?")) ||
            (strcmp(mode, "blackhole-wide") == 0 &&
             (wide || (lk >= 0 && hold_ns && in_ns(path, hold_ns))))) {
            hold(client);
            break;
        }
        if (strcmp(mode, "gone-wide") == 0 && wide) {
            pthread_mutex_lock(&mu);
            bool first = !(gone_sent & (1u << lk));
            gone_sent |= 1u << lk;
            pthread_mutex_unlock(&mu);
            static const char g[] =
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
                "\"Failure\",\"message\":\"too old resource version (faultproxy)\","
                "\"reason\":\"Expired\",\"code\":410}";
            char a[512];
            int len = snprintf(a, sizeof(a),
                               "HTTP/1.1 410 Gone\r\nContent-Type: application/json\r\n"
                               "Content-Length: %zu\r\n\r\n%s",
                               sizeof(g) - 1, g);
            if (first) {
                if (!send_all(client, a, (size_t)len))
                    break;
                goto next;
            }
        }
        if (strcmp(mode, "no-items") == 0 && list) {
            static const char a[] =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                "Content-Length: 54\r\n\r\n"
                "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{\"a\":\"b\"}}";
            if (!send_all(client, a, sizeof(a) - 1))
                break;
            goto next;
        }
        if (strcmp(mode, "watch-close") == 0 && watch) {
            static const char a[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 0\r\n\r\n";
            if (!send_all(client, a, sizeof(a) - 1))
                break;
            goto next;
        }
        if ((strcmp(mode, "endless") == 0 && list) ||
            (strcmp(mode, "endless-reviews") == 0 && strstr(path, "selfsubjectaccessreviews"))) {
            endless(client);
            break;
        }
        up = forward(in.data, head_len, body, body_len);
        if (up < 0)
            break;
        if (watch) {
            relay(client, up);
            close(up);
            break;
        }
        bool ok = read_all(up, &answer);
        close(up);
        if (!ok) {
            free(answer.data);
            break;
        }
        if (write &&
            (strcmp(mode, "drop-writes") == 0 || (strcmp(mode, "drop-reused") == 0 && nreq > 1))) {
            free(answer.data);
            break; /* forwarded and answered upstream: the answer is lost */
        }
        if (write &&
            (strcmp(mode, "blackhole-writes") == 0 || strcmp(mode, "blackhole-after-write") == 0)) {
            free(answer.data);
            hold(client);
            break;
        }
        {
            char *end = answer.data ? strstr(answer.data, "\r\n\r\n") : NULL;
            char te[64];
            struct buf out = {0};
            size_t alen;
            bool framed;
            if (!end) {
                free(answer.data);
                break;
            }
            alen = (size_t)(end - answer.data) + 4;
            framed = header(answer.data, alen, "Content-Length", clen, sizeof(clen)) ||
                     (header(answer.data, alen, "Transfer-Encoding", te, sizeof(te)) &&
                      strcasecmp(te, "chunked") == 0);
            /* Keep the client's connection open when the answer is framed:
             * the next request reuses it. */
            strip_connection(&out, answer.data, alen - 2);
            if (!framed)
                buf_add(&out, "Connection: close\r\n", 19);
            buf_add(&out, "\r\n", 2);
            buf_add(&out, answer.data + alen, answer.len - alen);
            free(answer.data);
            if (strcmp(mode, "slow-drip") == 0 && list) {
                for (size_t i = 0; i < out.len && !expired(); i++) {
                    if (!send_all(client, out.data + i, 1))
                        break;
                    usleep(50000);
                }
                free(out.data);
                break;
            }
            ok = send_all(client, out.data, out.len);
            free(out.data);
            if (!ok || !framed)
                break;
        }
    next:
        /* Keep what came after this request (pipelining is not used, but
         * be exact). */
        memmove(in.data, in.data + head_len + body_len, in.len - head_len - body_len);
        in.len -= head_len + body_len;
        in.data[in.len] = '\0';
    }
out:
    free(in.data);
    close(client);
    pthread_mutex_lock(&mu);
    conns--;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *port_file = NULL, *log_path = NULL;
    long lifetime = 120;
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);
    int lfd;
    FILE *f;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--upstream") == 0)
            upstream_port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--mode") == 0)
            mode = argv[i + 1];
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[i + 1];
        else if (strcmp(argv[i], "--log") == 0)
            log_path = argv[i + 1];
        else if (strcmp(argv[i], "--lifetime") == 0)
            lifetime = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--hold-ns") == 0)
            hold_ns = argv[i + 1];
    }
    if (!upstream_port || !port_file || !log_path || lifetime <= 0 || lifetime > 3600) {
        fprintf(stderr, "usage: faultproxy --upstream PORT --mode MODE --port-file FILE "
                        "--log FILE [--lifetime SECONDS]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    deadline = time(NULL) + lifetime;
    log_file = fopen(log_path, "a");
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only */
    if (!log_file || lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(lfd, 64) != 0 || getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
        perror("faultproxy");
        return 1;
    }
    f = fopen(port_file, "w");
    if (!f) {
        perror(port_file);
        return 1;
    }
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    while (!expired()) {
        struct pollfd p = {lfd, POLLIN, 0};
        if (poll(&p, 1, 500) <= 0)
            continue;
        int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        pthread_t t;
        if (c < 0)
            continue;
        pthread_mutex_lock(&mu);
        bool room = conns < MAX_CONNS;
        if (room)
            conns++;
        pthread_mutex_unlock(&mu);
        if (!room || pthread_create(&t, NULL, serve, (void *)(intptr_t)c) != 0) {
            close(c);
            if (room) {
                pthread_mutex_lock(&mu);
                conns--;
                pthread_mutex_unlock(&mu);
            }
            continue;
        }
        pthread_detach(t);
    }
    return 0;
}
