/* util/intern.c: one shared, immortal copy of the strings that repeat across objects. */
#include "config.h"

#include "freightdeck/util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 100,000 Freight name a few hundred namespaces, one origin kind, a few
 * Warehouses and image repositories, and the same label keys: a copy each
 * was a fifth of a Freight's memory. The table only grows, so callers
 * intern what repeats (names of namespaces, kinds, keys), never what is
 * unique to an object; past MAX_STRINGS it stops and copies instead. */
#define MAX_STRINGS (1u << 16)
#define MAX_LEN     256

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char **slots; /* open addressing, a power of two */
static size_t cap, count;

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The slot of s (len bytes), or of the empty place where it would go. */
static size_t probe(const char *s, size_t len)
{
    size_t i = (size_t)hash(s, len) & (cap - 1);

    while (slots[i] && (strncmp(slots[i], s, len) != 0 || slots[i][len] != '\0'))
        i = (i + 1) & (cap - 1);
    return i;
}

static void grow(void)
{
    char **old = slots;
    size_t old_cap = cap;

    cap = cap ? cap * 2 : 1024;
    slots = fd_xcalloc(cap, sizeof(*slots));
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            slots[probe(old[i], strlen(old[i]))] = old[i];
    free(old);
}

char *fd_intern(const char *s, size_t len)
{
    char *out = NULL;

    if (len > MAX_LEN || memchr(s, '\0', len))
        return fd_xstrndup(s, len);
    pthread_mutex_lock(&mu);
    if (count * 2 >= cap && count < MAX_STRINGS)
        grow();
    size_t i = probe(s, len);
    if (slots[i]) {
        out = slots[i];
    } else if (count < MAX_STRINGS) {
        out = slots[i] = fd_xstrndup(s, len);
        count++;
    }
    pthread_mutex_unlock(&mu);
    return out ? out : fd_xstrndup(s, len);
}

bool fd_interned(const char *p)
{
    bool found = false;

    if (!p)
        return false;
    size_t len = strlen(p);
    if (len > MAX_LEN)
        return false;
    pthread_mutex_lock(&mu);
    if (cap)
        found = slots[probe(p, len)] == p;
    pthread_mutex_unlock(&mu);
    return found;
}

void fd_free_str(char *p)
{
    if (p && !fd_interned(p))
        free(p);
}
