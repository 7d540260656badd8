/* sim/names.c: Freight IDs, ULIDs, Kargo object names, aliases. */
#include "config.h"

#include "names.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "freightdeck/util.h"
#include "misc.h"

/* Kargo names Freight by the SHA-1 of its artifacts; the digest comes from
 * libcrypto (OpenSSL), which every machine with libcurl already has. */
void fd_sim_sha1_hex(const void *data, size_t n, char out[41])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[SHA_DIGEST_LENGTH];

    if (!EVP_Digest(data, n, md, NULL, EVP_sha1(), NULL))
        fd_fatal("libcrypto: SHA-1 failed");
    for (int i = 0; i < SHA_DIGEST_LENGTH; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[40] = '\0';
}

/* ---- random numbers and ULIDs ------------------------------------------ */

uint64_t fd_sim_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double fd_sim_rand01(uint64_t *state)
{
    return (double)(fd_sim_rand(state) >> 11) / 9007199254740992.0;
}

void fd_sim_ulid(int64_t ms, uint64_t *rng, char out[27])
{
    static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint64_t t = ms < 0 ? 0 : (uint64_t)ms;
    /* 48-bit time in 10 characters, most significant first. */
    for (int i = 9; i >= 0; i--) {
        out[i] = crockford[t & 31];
        t >>= 5;
    }
    /* 80 random bits in 16 characters. */
    uint64_t hi = fd_sim_rand(rng) & 0xFFFFu, lo = fd_sim_rand(rng);
    for (int i = 25; i >= 10; i--) {
        out[i] = crockford[lo & 31];
        lo = (lo >> 5) | ((hi & 31) << 59);
        hi >>= 5;
    }
    out[26] = '\0';
}

/* ---- Freight IDs -------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* git.NormalizeURL for the common cases: lower case, no trailing ".git" or
 * "/". Enough for the scenarios' HTTPS URLs. */
static char *normalize_git_url(const char *url)
{
    char *s = fd_xstrdup(url);
    for (char *p = s; *p; p++)
        *p = (char)fd_ascii_tolower((unsigned char)*p);
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        s[--n] = '\0';
    if (n > 4 && strcmp(s + n - 4, ".git") == 0)
        s[n - 4] = '\0';
    return s;
}

char *fd_sim_freight_id(const json_t *freight)
{
    char **art = NULL;
    size_t n = 0, i;
    json_t *it;

    json_array_foreach(json_object_get(freight, "commits"), i, it)
    {
        char *u = normalize_git_url(jstr(it, "repoURL"));
        art = fd_xreallocarray(art, n + 1, sizeof(*art));
        if (jstr(it, "tag")[0])
            art[n++] = fd_xasprintf("%s:%s:%s", u, jstr(it, "tag"), jstr(it, "id"));
        else
            art[n++] = fd_xasprintf("%s:%s", u, jstr(it, "id"));
        free(u);
    }
    json_array_foreach(json_object_get(freight, "images"), i, it)
    {
        art = fd_xreallocarray(art, n + 1, sizeof(*art));
        art[n++] =
            fd_xasprintf("%s:%s@%s", jstr(it, "repoURL"), jstr(it, "tag"), jstr(it, "digest"));
    }
    json_array_foreach(json_object_get(freight, "charts"), i, it)
    {
        const char *repo = jstr(it, "repoURL"), *name = jstr(it, "name");
        size_t rl = strlen(repo);
        while (rl && repo[rl - 1] == '/')
            rl--;
        art = fd_xreallocarray(art, n + 1, sizeof(*art));
        if (name[0])
            art[n++] = fd_xasprintf("%.*s/%s:%s", (int)rl, repo, name, jstr(it, "version"));
        else
            art[n++] = fd_xasprintf("%.*s:%s", (int)rl, repo, jstr(it, "version"));
    }
    if (n)
        qsort(art, n, sizeof(*art), cmp_str);
    const json_t *origin = json_object_get(freight, "origin");
    struct fd_buf b = FD_BUF_INIT;
    fd_buf_printf(&b, "%s/%s:", jstr(origin, "kind"), jstr(origin, "name"));
    for (i = 0; i < n; i++) {
        if (i)
            fd_buf_putc(&b, '|');
        fd_buf_puts(&b, art[i]);
        free(art[i]);
    }
    free(art);
    char hex[41];
    fd_sim_sha1_hex(b.data ? b.data : "", b.len, hex);
    fd_buf_free(&b);
    return fd_xstrdup(hex);
}

/* ---- names -------------------------------------------------------------- */

char *fd_sim_kargo_name(const char *prefix, const char *ulid, const char *suffix)
{
    /* 253 - len(".") - len(ulid) - len(".") - 7 */
    size_t max_prefix = 253 - 1 - 26 - 1 - 7;
    size_t pl = strlen(prefix);
    if (pl > max_prefix)
        pl = max_prefix;
    char *s = fd_xasprintf("%.*s.%s.%.7s", (int)pl, prefix, ulid, suffix);
    for (char *p = s; *p; p++)
        *p = (char)fd_ascii_tolower((unsigned char)*p);
    return s;
}

static const char *const adjectives[] = {
    "agile",  "brave",  "calm",  "clever", "cosmic", "dapper", "eager",  "fluffy",
    "gentle", "giddy",  "happy", "jolly",  "jumpy",  "kind",   "lively", "lucky",
    "mellow", "nimble", "peppy", "plucky", "quirky", "rapid",  "shiny",  "snappy",
    "sunny",  "swift",  "tidy",  "vivid",  "wacky",  "wonky",  "zany",   "zesty",
};
static const char *const animals[] = {
    "alpaca", "badger",  "beaver", "bison",   "cheetah", "coyote", "dingo",  "eagle",
    "ferret", "gecko",   "gopher", "heron",   "ibis",    "jackal", "koala",  "lemur",
    "lynx",   "marmot",  "moose",  "narwhal", "ocelot",  "otter",  "panda",  "puffin",
    "quokka", "raccoon", "salmon", "tapir",   "toucan",  "walrus", "wombat", "yak",
};

char *fd_sim_alias(uint64_t seed)
{
    uint64_t st = seed;
    uint64_t r = fd_sim_rand(&st);
    size_t na = sizeof(adjectives) / sizeof(*adjectives), nn = sizeof(animals) / sizeof(*animals);
    return fd_xasprintf("%s-%s", adjectives[r % na], animals[(r / na) % nn]);
}

void fd_sim_pod_hash(const json_t *template, char out[11])
{
    /* Kubernetes' SafeEncodeString alphabet: no vowels, no look-alikes. */
    static const char safe[] = "bcdfghjklmnpqrstvwxz2456789";
    char *text = json_dumps(template, JSON_COMPACT | JSON_SORT_KEYS);
    char hex[41];
    fd_sim_sha1_hex(text ? text : "", text ? strlen(text) : 0, hex);
    free(text);
    for (int i = 0; i < 10; i++) {
        unsigned v = (unsigned)strtoul((char[]){hex[2 * i], hex[2 * i + 1], 0}, NULL, 16);
        out[i] = safe[v % (sizeof(safe) - 1)];
    }
    out[10] = '\0';
}
