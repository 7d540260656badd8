/* util/gosort.c: Go's sort.Sort, the pattern-defeating quicksort of Go 1.19
 * and later (sort/zsortinterface.go, BSD-licensed, The Go Authors), in C.
 *
 * expr's sort and sortBy call sort.Sort, which is not stable: beyond 12
 * items, equal keys come out in the order its partitions leave them, and a
 * Less that panics (keys of two types) names the first pair it was asked
 * about. Any other algorithm answers differently on both, so this one asks
 * the same questions in the same order. Go's int is ptrdiff_t here. */
#include "config.h"

#include "freightdeck/util.h"

#include <stdint.h>

enum hint { HINT_UNKNOWN, HINT_INCREASING, HINT_DECREASING };

static bool less(const struct fd_go_sorter *s, ptrdiff_t i, ptrdiff_t j)
{
    return s->less(s->ud, (size_t)i, (size_t)j);
}

static void swap(const struct fd_go_sorter *s, ptrdiff_t i, ptrdiff_t j)
{
    s->swap(s->ud, (size_t)i, (size_t)j);
}

/* bits.Len: the number of bits needed to represent x */
static unsigned bits_len(size_t x)
{
    unsigned n = 0;
    for (; x; x >>= 1)
        n++;
    return n;
}

static void insertion_sort(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b)
{
    for (ptrdiff_t i = a + 1; i < b; i++)
        for (ptrdiff_t j = i; j > a && less(s, j, j - 1); j--)
            swap(s, j, j - 1);
}

static void sift_down(const struct fd_go_sorter *s, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t first)
{
    ptrdiff_t root = lo;

    for (;;) {
        ptrdiff_t child = 2 * root + 1;
        if (child >= hi)
            return;
        if (child + 1 < hi && less(s, first + child, first + child + 1))
            child++;
        if (!less(s, first + root, first + child))
            return;
        swap(s, first + root, first + child);
        root = child;
    }
}

static void heap_sort(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b)
{
    ptrdiff_t first = a, lo = 0, hi = b - a;

    for (ptrdiff_t i = (hi - 1) / 2; i >= 0; i--)
        sift_down(s, i, hi, first);
    for (ptrdiff_t i = hi - 1; i >= 0; i--) {
        swap(s, first, first + i);
        sift_down(s, lo, i, first);
    }
}

/* One quicksort partition around data[pivot]; *already: nothing moved. */
static ptrdiff_t partition(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b, ptrdiff_t pivot,
                           bool *already)
{
    swap(s, a, pivot);
    ptrdiff_t i = a + 1, j = b - 1;

    while (i <= j && less(s, i, a))
        i++;
    while (i <= j && !less(s, j, a))
        j--;
    if (i > j) {
        swap(s, j, a);
        *already = true;
        return j;
    }
    swap(s, i, j);
    i++;
    j--;
    for (;;) {
        while (i <= j && less(s, i, a))
            i++;
        while (i <= j && !less(s, j, a))
            j--;
        if (i > j)
            break;
        swap(s, i, j);
        i++;
        j--;
    }
    swap(s, j, a);
    *already = false;
    return j;
}

/* data[a:b] into the items equal to data[pivot], then the greater ones */
static ptrdiff_t partition_equal(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b,
                                 ptrdiff_t pivot)
{
    swap(s, a, pivot);
    ptrdiff_t i = a + 1, j = b - 1;

    for (;;) {
        while (i <= j && !less(s, a, i))
            i++;
        while (i <= j && less(s, a, j))
            j--;
        if (i > j)
            break;
        swap(s, i, j);
        i++;
        j--;
    }
    return i;
}

/* Sorts a nearly sorted data[a:b]; whether it is sorted at the end. */
static bool partial_insertion_sort(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b)
{
    enum { MAX_STEPS = 5, SHORTEST_SHIFTING = 50 };
    ptrdiff_t i = a + 1;

    for (int step = 0; step < MAX_STEPS; step++) {
        while (i < b && !less(s, i, i - 1))
            i++;
        if (i == b)
            return true;
        if (b - a < SHORTEST_SHIFTING)
            return false;
        swap(s, i, i - 1);
        if (i - a >= 2) /* the smaller one to the left */
            for (ptrdiff_t j = i - 1; j >= 1; j--) {
                if (!less(s, j, j - 1))
                    break;
                swap(s, j, j - 1);
            }
        if (b - i >= 2) /* the greater one to the right */
            for (ptrdiff_t j = i + 1; j < b; j++) {
                if (!less(s, j, j - 1))
                    break;
                swap(s, j, j - 1);
            }
    }
    return false;
}

/* Scatters three items with Go's xorshift, seeded with the length. */
static void break_patterns(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b)
{
    ptrdiff_t length = b - a;

    if (length < 8)
        return;
    uint64_t random = (uint64_t)length;
    size_t modulus = (size_t)1 << bits_len((size_t)length); /* nextPowerOfTwo */
    for (ptrdiff_t idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        ptrdiff_t other = (ptrdiff_t)((size_t)random & (modulus - 1));
        if (other >= length)
            other -= length;
        swap(s, idx, a + other);
    }
}

static void order2(const struct fd_go_sorter *s, ptrdiff_t *a, ptrdiff_t *b, int *swaps)
{
    if (less(s, *b, *a)) {
        ptrdiff_t t = *a;
        *a = *b;
        *b = t;
        ++*swaps;
    }
}

static ptrdiff_t median(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b, ptrdiff_t c,
                        int *swaps)
{
    order2(s, &a, &b, swaps);
    order2(s, &b, &c, swaps);
    order2(s, &a, &b, swaps);
    return b;
}

static ptrdiff_t choose_pivot(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b,
                              enum hint *hint)
{
    enum { SHORTEST_NINTHER = 50, MAX_SWAPS = 4 * 3 };
    ptrdiff_t l = b - a, i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    int swaps = 0;

    if (l >= 8) {
        if (l >= SHORTEST_NINTHER) { /* Tukey's ninther */
            i = median(s, i - 1, i, i + 1, &swaps);
            j = median(s, j - 1, j, j + 1, &swaps);
            k = median(s, k - 1, k, k + 1, &swaps);
        }
        j = median(s, i, j, k, &swaps);
    }
    *hint = swaps == 0 ? HINT_INCREASING : swaps == MAX_SWAPS ? HINT_DECREASING : HINT_UNKNOWN;
    return j;
}

static void reverse_range(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b)
{
    for (ptrdiff_t i = a, j = b - 1; i < j; i++, j--)
        swap(s, i, j);
}

static void pdqsort(const struct fd_go_sorter *s, ptrdiff_t a, ptrdiff_t b, unsigned limit)
{
    enum { MAX_INSERTION = 12 };
    bool was_balanced = true, was_partitioned = true;

    for (;;) {
        ptrdiff_t length = b - a;
        if (length <= MAX_INSERTION) {
            insertion_sort(s, a, b);
            return;
        }
        if (limit == 0) { /* too many bad pivots */
            heap_sort(s, a, b);
            return;
        }
        if (!was_balanced) {
            break_patterns(s, a, b);
            limit--;
        }
        enum hint hint;
        ptrdiff_t pivot = choose_pivot(s, a, b, &hint);
        if (hint == HINT_DECREASING) {
            reverse_range(s, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = HINT_INCREASING;
        }
        if (was_balanced && was_partitioned && hint == HINT_INCREASING &&
            partial_insertion_sort(s, a, b))
            return;
        if (a > 0 && !less(s, a - 1, pivot)) { /* many equal items */
            a = partition_equal(s, a, b, pivot);
            continue;
        }
        bool already;
        ptrdiff_t mid = partition(s, a, b, pivot, &already);
        was_partitioned = already;
        ptrdiff_t left = mid - a, right = b - mid, threshold = length / 8;
        if (left < right) {
            was_balanced = left >= threshold;
            pdqsort(s, a, mid, limit);
            a = mid + 1;
        } else {
            was_balanced = right >= threshold;
            pdqsort(s, mid + 1, b, limit);
            b = mid;
        }
    }
}

void fd_go_sort(const struct fd_go_sorter *s, size_t n)
{
    if (n <= 1)
        return;
    pdqsort(s, 0, (ptrdiff_t)n, bits_len(n));
}
