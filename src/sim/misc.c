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
    unsigned char b[16];

    random_bytes(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

void fd_sim_now_rfc3339(char out[21])
{
    char *s = fd_time_format_rfc3339(fd_sim_now_ms(), false);

    snprintf(out, 21, "%s", s);
    free(s);
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

const char *fd_sim_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

const char *fd_sim_meta(const json_t *obj, const char *field)
{
    return fd_sim_str(json_object_get(obj, "metadata"), field);
}

const char *fd_sim_annotation(const json_t *obj, const char *key)
{
    return fd_sim_str(json_object_get(json_object_get(obj, "metadata"), "annotations"), key);
}

json_t *fd_sim_child(json_t *obj, const char *key)
{
    json_t *c = json_object_get(obj, key);

    if (!json_is_object(c)) {
        c = json_object();
        json_object_set_new(obj, key, c);
    }
    return c;
}
