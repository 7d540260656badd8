/* util/json_arena.c: a bump allocator under jansson for values parsed, read and dropped at once. */
#include "config.h"

#include "freightdeck/util.h"

#include <jansson.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdlib.h>

/* A list page of 500 objects parses into a few MiB of small jansson nodes
 * (an object's hashtable, each key, each string and number): with malloc,
 * allocating and freeing them one by one was about 40 % of the client's
 * instructions at start-up. In an arena a node is a pointer bump and the
 * whole tree goes with a few free() calls. */

struct fd_json_arena_chunk {
    struct fd_json_arena_chunk *next;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

#define CHUNK (1u << 20)
#define ALIGN (alignof(max_align_t))

static _Thread_local struct fd_json_arena *current;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void *chunk_alloc(struct fd_json_arena *a, size_t size)
{
    size_t want = size > CHUNK / 4 ? size : CHUNK;
    struct fd_json_arena_chunk *c = fd_xmalloc(sizeof(*c) + want);

    c->size = want;
    if (want == size && a->chunks) {
        /* A large value gets a chunk of its own, behind the current one,
         * whose free room stays usable. */
        c->next = a->chunks->next;
        a->chunks->next = c;
    } else {
        c->next = a->chunks;
        a->chunks = c;
        a->pos = c->data + size;
        a->end = c->data + want;
    }
    a->bytes += want;
    return c->data;
}

static void *arena_malloc(size_t size)
{
    struct fd_json_arena *a = current;

    if (!a)
        return malloc(size);
    size = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    if ((size_t)(a->end - a->pos) < size)
        return chunk_alloc(a, size);
    void *p = a->pos;
    a->pos += size;
    return p;
}

/* Inside an arena nothing is freed one by one. Outside, every value came
 * from malloc: the arena's contract is that none made inside outlives it. */
static void arena_free(void *p)
{
    if (!current)
        free(p);
}

static void install(void)
{
    json_set_alloc_funcs(arena_malloc, arena_free);
}

void fd_json_arena_install(void)
{
    pthread_once(&installed, install);
}

void fd_json_arena_enter(struct fd_json_arena *a)
{
    fd_json_arena_install();
    current = a;
}

void fd_json_arena_suspend(void)
{
    current = NULL;
}

void fd_json_arena_leave(struct fd_json_arena *a)
{
    if (current == a)
        current = NULL;
    while (a->chunks) {
        struct fd_json_arena_chunk *next = a->chunks->next;
        free(a->chunks);
        a->chunks = next;
    }
    a->pos = a->end = NULL;
    a->bytes = 0;
}
