/* expr/builtins_string.c: trim, trimPrefix, trimSuffix, upper, lower, split,
 * splitAfter, replace, repeat, join, indexOf, lastIndexOf, hasPrefix,
 * hasSuffix: Go's strings package semantics (byte offsets, rune-wise empty
 * separators) with expr-lang v1.17.8's signatures and messages. */
#include "config.h"

#include "builtins.h"

#include <string.h>

#define T_STR                 \
    {                         \
        FD_T_STRING, FD_T_ANY \
    }
#define T_INT              \
    {                      \
        FD_T_INT, FD_T_ANY \
    }
#define T_BOOL              \
    {                       \
        FD_T_BOOL, FD_T_ANY \
    }
#define T_ARR                \
    {                        \
        FD_T_ARRAY, FD_T_ANY \
    }

static const struct fd_expr_bi_sig sig_str_str[] = {{1, {FD_P_STRING}, T_STR}};
static const struct fd_expr_bi_sig sig_trim[] = {
    {1, {FD_P_STRING}, T_STR},
    {2, {FD_P_STRING, FD_P_STRING}, T_STR},
};
static const struct fd_expr_bi_sig sig_trim_affix[] = {
    {2, {FD_P_STRING, FD_P_STRING}, T_STR},
    {1, {FD_P_STRING}, T_STR},
};
/* strings.Split and SplitN: a []string */
#define T_STRS                  \
    {                           \
        FD_T_ARRAY, FD_T_STRING \
    }
static const struct fd_expr_bi_sig sig_split[] = {
    {2, {FD_P_STRING, FD_P_STRING}, T_STRS},
    {3, {FD_P_STRING, FD_P_STRING, FD_P_INT}, T_STRS},
};
static const struct fd_expr_bi_sig sig_replace[] = {
    {4, {FD_P_STRING, FD_P_STRING, FD_P_STRING, FD_P_INT}, T_STR},
    {3, {FD_P_STRING, FD_P_STRING, FD_P_STRING}, T_STR},
};
static const struct fd_expr_bi_sig sig_repeat[] = {{2, {FD_P_STRING, FD_P_INT}, T_STR}};
static const struct fd_expr_bi_sig sig_join[] = {
    {2, {FD_P_ARR_STRING, FD_P_STRING}, T_STR},
    {2, {FD_P_ARR_ANY, FD_P_STRING}, T_STR},
    {1, {FD_P_ARR_ANY}, T_STR},
    {2, {FD_P_ARR_STRING, FD_P_STRING}, T_STR},
    {1, {FD_P_ARR_STRING}, T_STR},
};
static const struct fd_expr_bi_sig sig_index[] = {{2, {FD_P_STRING, FD_P_STRING}, T_INT}};
static const struct fd_expr_bi_sig sig_affix[] = {{2, {FD_P_STRING, FD_P_STRING}, T_BOOL}};

#define SIG_CHECK(fn, name, sigs)                                                            \
    FD_BI_CHECK(fn)                                                                          \
    {                                                                                        \
        return fd_expr_bi_check_sigs(tc, name, sigs, FD_ARRAY_SIZE(sigs), args, nargs, ret); \
    }
SIG_CHECK(fd_expr_bi_trim_check, "trim", sig_trim)
SIG_CHECK(fd_expr_bi_trim_prefix_check, "trimPrefix", sig_trim_affix)
SIG_CHECK(fd_expr_bi_trim_suffix_check, "trimSuffix", sig_trim_affix)
SIG_CHECK(fd_expr_bi_upper_check, "upper", sig_str_str)
SIG_CHECK(fd_expr_bi_lower_check, "lower", sig_str_str)
SIG_CHECK(fd_expr_bi_split_check, "split", sig_split)
SIG_CHECK(fd_expr_bi_split_after_check, "splitAfter", sig_split)
SIG_CHECK(fd_expr_bi_replace_check, "replace", sig_replace)
SIG_CHECK(fd_expr_bi_repeat_check, "repeat", sig_repeat)
SIG_CHECK(fd_expr_bi_join_check, "join", sig_join)
SIG_CHECK(fd_expr_bi_index_of_check, "indexOf", sig_index)
SIG_CHECK(fd_expr_bi_last_index_of_check, "lastIndexOf", sig_index)
SIG_CHECK(fd_expr_bi_has_prefix_check, "hasPrefix", sig_affix)
SIG_CHECK(fd_expr_bi_has_suffix_check, "hasSuffix", sig_affix)

/* ---- UTF-8 ------------------------------------------------------------------------ */

static bool two_strings(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, const char **a,
                        size_t *alen, const char **b, size_t *blen)
{
    return fd_expr_bi_arg_str(ctx, args[0], a, alen) && fd_expr_bi_arg_str(ctx, args[1], b, blen);
}

/* ---- trim ---------------------------------------------------------------------------- */

static bool in_cutset(uint32_t r, const char *cut, size_t cutlen)
{
    size_t w;

    for (size_t i = 0; i < cutlen; i += w) {
        uint32_t c = fd_expr_utf8_decode(cut + i, cutlen - i, &w);
        if (c == r)
            return true;
    }
    return false;
}

/* Width of the rune ending at s[end-1] (Go's DecodeLastRune). */
static uint32_t last_rune(const char *s, size_t end, size_t *width)
{
    size_t start = end > 4 ? end - 4 : 0;

    for (size_t i = end - 1; i + 1 > start; i--) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            size_t w;
            uint32_t r = fd_expr_utf8_decode(s + i, end - i, &w);
            if (i + w == end) {
                *width = w;
                return r;
            }
            break;
        }
        if (i == 0)
            break;
    }
    *width = 1;
    return 0xFFFD;
}

FD_BI_CALL(fd_expr_bi_trim)
{
    const char *s, *cut = NULL;
    size_t len, cutlen = 0, start = 0, end, w;

    if (nargs < 1 || nargs > 2)
        return fd_expr_fail(ctx, "invalid number of arguments for trim (expected 1 or 2, got %zu)",
                            nargs);
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        return false;
    if (nargs == 2 && !fd_expr_bi_arg_str(ctx, args[1], &cut, &cutlen))
        return false;
    end = len;
    while (start < end) {
        uint32_t r = fd_expr_utf8_decode(s + start, end - start, &w);
        if (nargs == 1 ? !fd_unicode_is_space(r) : !in_cutset(r, cut, cutlen))
            break;
        start += w;
    }
    while (end > start) {
        uint32_t r = last_rune(s, end, &w);
        if (nargs == 1 ? !fd_unicode_is_space(r) : !in_cutset(r, cut, cutlen))
            break;
        end -= w;
    }
    *out = fd_expr_str_new(s + start, end - start);
    return true;
}

static bool trim_affix(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                       bool prefix, struct fd_expr_val *out)
{
    const char *s, *fix = " ";
    size_t len, fixlen = 1;

    /* builtin.go asserts the affix first */
    if (nargs == 2 && !fd_expr_bi_arg_str(ctx, args[1], &fix, &fixlen))
        return false;
    if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
        return false;
    if (fixlen <= len) {
        if (prefix && memcmp(s, fix, fixlen) == 0) {
            s += fixlen;
            len -= fixlen;
        } else if (!prefix && memcmp(s + len - fixlen, fix, fixlen) == 0) {
            len -= fixlen;
        }
    }
    *out = fd_expr_str_new(s, len);
    return true;
}

FD_BI_CALL(fd_expr_bi_trim_prefix)
{
    return trim_affix(ctx, args, nargs, true, out);
}

FD_BI_CALL(fd_expr_bi_trim_suffix)
{
    return trim_affix(ctx, args, nargs, false, out);
}

/* ---- upper, lower ------------------------------------------------------------------- */

static bool map_case(struct fd_expr_ctx *ctx, struct fd_expr_val v, uint32_t (*fn)(uint32_t),
                     struct fd_expr_val *out)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *s;
    size_t len, w;

    if (!fd_expr_bi_arg_str(ctx, v, &s, &len))
        return false;
    for (size_t i = 0; i < len; i += w)
        fd_utf8_encode(&b, fn(fd_expr_utf8_decode(s + i, len - i, &w)));
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

FD_BI_CALL(fd_expr_bi_upper)
{
    (void)nargs;
    return map_case(ctx, args[0], fd_unicode_to_upper, out);
}

FD_BI_CALL(fd_expr_bi_lower)
{
    (void)nargs;
    return map_case(ctx, args[0], fd_unicode_to_lower, out);
}

/* ---- split, splitAfter ------------------------------------------------------------- */

static const char *find(const char *s, size_t len, const char *sep, size_t seplen)
{
    if (seplen == 0)
        return s;
    if (seplen > len)
        return NULL;
    for (size_t i = 0; i + seplen <= len; i++)
        if (s[i] == sep[0] && memcmp(s + i, sep, seplen) == 0)
            return s + i;
    return NULL;
}

static size_t count(const char *s, size_t len, const char *sep, size_t seplen)
{
    size_t n = 0;
    const char *p;

    if (seplen == 0)
        return fd_expr_utf8_len(s, len) + 1;
    while ((p = find(s, len, sep, seplen)) != NULL) {
        n++;
        len -= (size_t)(p - s) + seplen;
        s = p + seplen;
    }
    return n;
}

static bool push_piece(struct fd_expr_ctx *ctx, struct fd_expr_val arr, const char *s, size_t len)
{
    if (arr.u.a->len >= FD_EXPR_MAX_ARRAY)
        return fd_expr_fail(ctx, "memory budget exceeded");
    fd_expr_arr_push(arr, fd_expr_str_new(s, len));
    return true;
}

/* strings.genSplit: n < 0 all pieces, n == 0 nil, else at most n. */
static bool gen_split(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs,
                      bool after, struct fd_expr_val *out)
{
    const char *s, *sep;
    size_t len, seplen, w;
    int64_t n = -1;
    struct fd_expr_val arr;

    if (!two_strings(ctx, args, &s, &len, &sep, &seplen))
        return false;
    if (nargs == 3 && !fd_expr_bi_arg_int(ctx, args[2], &n))
        return false;
    arr = fd_expr_arr_new(0);
    arr.u.a->slice = FD_EXPR_SLICE_STRS; /* a Go []string */
    if (n == 0) {                        /* strings.SplitN(s, sep, 0): a nil []string */
        arr.u.a->isnil = true;
        *out = arr;
        return true;
    }
    if (seplen == 0) {
        /* explode into runes, the last piece keeps the rest */
        size_t runes = fd_expr_utf8_len(s, len);
        if (n < 0 || (uint64_t)n > runes)
            n = (int64_t)runes;
        for (int64_t i = 0; i < n - 1; i++) {
            fd_expr_utf8_decode(s, len, &w);
            if (!push_piece(ctx, arr, s, w))
                goto fail;
            s += w;
            len -= w;
        }
        if (n > 0 && !push_piece(ctx, arr, s, len))
            goto fail;
        *out = arr;
        return true;
    }
    if (n < 0)
        n = (int64_t)count(s, len, sep, seplen) + 1;
    for (int64_t i = 0; i < n - 1; i++) {
        const char *p = find(s, len, sep, seplen);
        if (!p)
            break;
        size_t m = (size_t)(p - s);
        if (!push_piece(ctx, arr, s, m + (after ? seplen : 0)))
            goto fail;
        s = p + seplen;
        len -= m + seplen;
    }
    if (!push_piece(ctx, arr, s, len))
        goto fail;
    *out = arr;
    return true;
fail:
    fd_expr_val_release(&arr);
    return false;
}

FD_BI_CALL(fd_expr_bi_split)
{
    if (nargs < 2 || nargs > 3)
        return fd_expr_fail(ctx, "invalid number of arguments for split (expected 2 or 3, got %zu)",
                            nargs);
    return gen_split(ctx, args, nargs, false, out);
}

FD_BI_CALL(fd_expr_bi_split_after)
{
    if (nargs < 2 || nargs > 3)
        return fd_expr_fail(
            ctx, "invalid number of arguments for splitAfter (expected 2 or 3, got %zu)", nargs);
    return gen_split(ctx, args, nargs, true, out);
}

/* ---- replace, repeat -------------------------------------------------------------------- */

static bool budget(struct fd_expr_ctx *ctx, const struct fd_buf *b)
{
    if (b->len > FD_EXPR_MAX_STRING)
        return fd_expr_fail(ctx, "memory budget exceeded");
    return true;
}

/* strings.Replace, including the rune-wise insertion of an empty old. */
FD_BI_CALL(fd_expr_bi_replace)
{
    const char *s, *old, *new_;
    size_t len, oldlen, newlen, start = 0;
    int64_t n = -1;
    struct fd_buf b = FD_BUF_INIT;

    if (nargs < 3 || nargs > 4)
        return fd_expr_fail(
            ctx, "invalid number of arguments for replace (expected 3 or 4, got %zu)", nargs);
    if (!two_strings(ctx, args, &s, &len, &old, &oldlen) ||
        !fd_expr_bi_arg_str(ctx, args[2], &new_, &newlen))
        return false;
    if (nargs == 4 && !fd_expr_bi_arg_int(ctx, args[3], &n))
        return false;
    size_t m = count(s, len, old, oldlen);
    if (n == 0 || m == 0 || (oldlen == newlen && memcmp(old, new_, oldlen) == 0)) {
        *out = fd_expr_val_ref(args[0]);
        return true;
    }
    if (n < 0 || (uint64_t)n > m)
        n = (int64_t)m;
    for (int64_t i = 0; i < n; i++) {
        size_t j = start;
        if (oldlen == 0) {
            if (i > 0) {
                size_t w;
                fd_expr_utf8_decode(s + start, len - start, &w);
                j += w;
            }
        } else {
            j = (size_t)(find(s + start, len - start, old, oldlen) - s);
        }
        fd_buf_append(&b, s + start, j - start);
        fd_buf_append(&b, new_, newlen);
        start = j + oldlen;
        if (!budget(ctx, &b)) {
            fd_buf_free(&b);
            return false;
        }
    }
    fd_buf_append(&b, s + start, len - start);
    if (!budget(ctx, &b)) {
        fd_buf_free(&b);
        return false;
    }
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

FD_BI_CALL(fd_expr_bi_repeat)
{
    const char *s;
    size_t len;
    int64_t n;
    struct fd_buf b = FD_BUF_INIT;

    (void)nargs;
    if (fd_expr_ctx_v115(ctx)) {
        /* v1.15.5's Func: runtime.ToInt(args[1]) and its bound first, then
         * args[0].(string) (repeat(nil, nil) is int(<nil>)) */
        if (!fd_expr_bi_arg_int(ctx, args[1], &n))
            return false;
        if (n > 1000000)
            return fd_expr_fail(ctx, "memory budget exceeded");
        if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len))
            return false;
    } else if (!fd_expr_bi_arg_str(ctx, args[0], &s, &len) ||
               !fd_expr_bi_arg_int(ctx, args[1], &n)) {
        return false;
    }
    /* v1.17 checks n itself; v1.15.5 passed it to strings.Repeat, which panics */
    if (n < 0 && fd_expr_ctx_v115(ctx))
        return fd_expr_fail(ctx, "strings: negative Repeat count");
    if (n < 0)
        return fd_expr_fail(
            ctx, "invalid argument for repeat (expected positive integer, got %lld)", (long long)n);
    /* expr refuses n > 1e6; the byte bound keeps long strings in check too */
    if (n > 1000000 || (len > 0 && (uint64_t)n > FD_EXPR_MAX_STRING / len))
        return fd_expr_fail(ctx, "memory budget exceeded");
    /* v1.17: a Safe builtin, its len(s) * n bytes counted (vm.go OpCallSafe) */
    if (!fd_expr_ctx_v115(ctx) && !fd_expr_mem_grow(ctx, (uint64_t)n * len))
        return false;
    for (int64_t i = 0; i < n; i++)
        fd_buf_append(&b, s, len);
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

/* ---- join ------------------------------------------------------------------------------ */

FD_BI_CALL(fd_expr_bi_join)
{
    const char *glue = "";
    size_t gluelen = 0;
    struct fd_buf b = FD_BUF_INIT;
    struct fd_expr_val a = args[0];

    if (nargs == 2 && !fd_expr_bi_arg_str(ctx, args[1], &glue, &gluelen))
        return false;
    /* builtin.go: a []string or a []interface {} */
    if (a.kind != FD_VAL_ARRAY || a.u.a->floats ||
        (a.u.a->slice != FD_EXPR_SLICE_ANY && a.u.a->slice != FD_EXPR_SLICE_STRS))
        /* fmt's %s of a nil reflect.Type */
        return fd_expr_fail(ctx, "invalid argument for join (type %s)",
                            a.kind == FD_VAL_NIL ? "%!s(<nil>)" : fd_expr_go_type(a));
    for (size_t i = 0; i < a.u.a->len; i++) {
        const char *s;
        size_t len;

        if (!fd_expr_bi_arg_str(ctx, a.u.a->items[i], &s, &len)) {
            fd_buf_free(&b);
            return false;
        }
        if (i > 0)
            fd_buf_append(&b, glue, gluelen);
        fd_buf_append(&b, s, len);
        if (!budget(ctx, &b)) {
            fd_buf_free(&b);
            return false;
        }
    }
    *out = fd_expr_str_from_buf(&b); /* (frees b, empty or not) */
    return true;
}

/* ---- indexOf, lastIndexOf, hasPrefix, hasSuffix -------------------------------------- */

FD_BI_CALL(fd_expr_bi_index_of)
{
    const char *s, *sub, *p;
    size_t len, sublen;

    (void)nargs;
    if (!two_strings(ctx, args, &s, &len, &sub, &sublen))
        return false;
    p = find(s, len, sub, sublen);
    *out = fd_expr_int(p ? (int64_t)(p - s) : -1);
    return true;
}

FD_BI_CALL(fd_expr_bi_last_index_of)
{
    const char *s, *sub;
    size_t len, sublen;
    int64_t at = -1;

    (void)nargs;
    if (!two_strings(ctx, args, &s, &len, &sub, &sublen))
        return false;
    if (sublen <= len) {
        for (size_t i = len - sublen + 1; i-- > 0;) {
            if (memcmp(s + i, sub, sublen) == 0) {
                at = (int64_t)i;
                break;
            }
        }
    }
    *out = fd_expr_int(at);
    return true;
}

FD_BI_CALL(fd_expr_bi_has_prefix)
{
    const char *s, *fix;
    size_t len, fixlen;

    (void)nargs;
    if (!two_strings(ctx, args, &s, &len, &fix, &fixlen))
        return false;
    *out = fd_expr_bool(fixlen <= len && memcmp(s, fix, fixlen) == 0);
    return true;
}

FD_BI_CALL(fd_expr_bi_has_suffix)
{
    const char *s, *fix;
    size_t len, fixlen;

    (void)nargs;
    if (!two_strings(ctx, args, &s, &len, &fix, &fixlen))
        return false;
    *out = fd_expr_bool(fixlen <= len && memcmp(s + len - fixlen, fix, fixlen) == 0);
    return true;
}
