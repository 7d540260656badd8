/* tests/prom/fakeprom.c: a misbehaving "Prometheus" and small helpers for
 * tests/prom/test_prom_real.sh (test-only; bounded lifetime, loopback only).
 *
 *   fakeprom free-port               prints a TCP port free on 127.0.0.1
 *   fakeprom wait URL SECONDS        polls URL until it answers 200; exit 1
 *                                    when SECONDS pass first
 *   fakeprom serve MODE [SECONDS]    serves on a free loopback port, prints
 *                                    the port, stops after SECONDS (30):
 *     hang     accepts connections and never answers
 *     garbage  200 with a body that is not JSON
 *     html     502 with an HTML page, as a proxy would
 *     empty    200 with no body at all (json-iterator's message for it
 *              names a NUL byte: tests/realstack)
 *     values   a one-sample vector 0.99 for any query (healthy for a
 *              success rate, failing for an error rate)
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

static int listen_socket(int *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static const char *mode;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **state)
{
    static int marker;
    const char *body;
    unsigned code;
    struct MHD_Response *r;
    enum MHD_Result ret;

    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)data;
    if (*state == NULL) {
        *state = &marker;
        return MHD_YES;
    }
    if (*size) {
        *size = 0; /* the form is not needed */
        return MHD_YES;
    }
    if (strcmp(mode, "values") == 0) {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
               "\"result\":[{\"metric\":{},\"value\":[1700000000,\"0.99\"]}]}}";
        code = 200;
    } else if (strcmp(mode, "empty") == 0) {
        body = "";
        code = 200;
    } else if (strcmp(mode, "html") == 0) {
        body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        code = 502;
    } else {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{oops";
        code = 200;
    }
    r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
                                        MHD_RESPMEM_PERSISTENT);
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static int serve(const char *m, int seconds)
{
    int port = 0;
    int fd = listen_socket(&port);

    if (fd < 0) {
        perror("fakeprom: listen");
        return 1;
    }
    mode = m;
    if (strcmp(m, "hang") == 0) {
        printf("%d\n", port);
        fflush(stdout);
        /* The kernel completes connections into the backlog; nobody ever
         * reads or answers them. */
        sleep((unsigned)seconds);
        close(fd);
        return 0;
    }
    if (strcmp(m, "garbage") != 0 && strcmp(m, "html") != 0 && strcmp(m, "values") != 0 &&
        strcmp(m, "empty") != 0) {
        fprintf(stderr, "fakeprom: unknown mode %s\n", m);
        close(fd);
        return 2;
    }
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, answer,
                                            NULL, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "fakeprom: cannot start the server\n");
        close(fd);
        return 1;
    }
    printf("%d\n", port);
    fflush(stdout);
    sleep((unsigned)seconds);
    MHD_stop_daemon(d);
    return 0;
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

static int wait_ready(const char *url, int seconds)
{
    time_t end = time(NULL) + seconds;
    CURL *h = curl_easy_init();
    long code = 0;

    if (!h)
        return 1;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 1000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    while (time(NULL) < end) {
        if (curl_easy_perform(h) == CURLE_OK &&
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK && code == 200) {
            curl_easy_cleanup(h);
            return 0;
        }
        usleep(100000);
    }
    curl_easy_cleanup(h);
    fprintf(stderr, "fakeprom: %s not ready after %d s (last HTTP code %ld)\n", url, seconds, code);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "free-port") == 0) {
        int port;
        int fd = listen_socket(&port);
        if (fd < 0)
            return 1;
        close(fd);
        printf("%d\n", port);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "wait") == 0)
        return wait_ready(argv[2], atoi(argv[3]));
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "serve") == 0)
        return serve(argv[2], argc == 4 ? atoi(argv[3]) : 30);
    fprintf(stderr, "usage: fakeprom free-port | wait URL SECONDS | serve "
                    "hang|garbage|html|values|empty [SECONDS]\n");
    return 2;
}
