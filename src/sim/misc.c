/* sim/misc.c: identifiers, timestamps and base64. */
#include "config.h"

#include "misc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "freightdeck/sim.h"
#include "freightdeck/util.h"

static void random_bytes(unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got <= 0)
            fd_fatal("getrandom failed");
        p += got;
        n -= (size_t)got;
    }
}

void fd_sim_uuid(char out[37])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];

    random_bytes(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    /* By hand, not snprintf: a bulk load makes one per object. */
    char *o = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    *o = '\0';
}

void fd_sim_now_rfc3339(char out[21])
{
    /* The text changes once a second; a bulk load asks for it thousands of
     * times in one. */
    static _Thread_local int64_t last_s = INT64_MIN;
    static _Thread_local char last[21];
    int64_t ms = fd_sim_now_ms();
    int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    if (sec != last_s) {
        char *s = fd_time_format_rfc3339(ms, false);
        snprintf(last, sizeof(last), "%s", s);
        free(s);
        last_s = sec;
    }
    memcpy(out, last, sizeof(last));
}

void fd_sim_random_suffix(char *out, size_t n)
{
    /* k8s.io/apiserver/pkg/storage/names: utilrand.String's alphabet. */
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    unsigned char b[64];

    if (n > sizeof(b))
        n = sizeof(b);
    random_bytes(b, n);
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[b[i] % (sizeof(alphabet) - 1)];
    out[n] = '\0';
}

