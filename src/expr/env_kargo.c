/* expr/env_kargo.c: quote(), unsafeQuote(), asJSON() and asYAML(), which Kargo's
 * pkg/expressions (v1.11) registers for its templates. quote is Go %q for
 * a string and unsafeQuote otherwise; unsafeQuote wraps json.Marshal's text
 * in double quotes; asJSON wraps json.MarshalIndent(v, "", "  ") and a
 * newline in double quotes. */
#include "config.h"

#include "builtins.h"

static const struct fd_expr_bi_sig sig_quote[] = {{1, {FD_P_ANY}, {FD_T_STRING, FD_T_ANY}}};

FD_BI_CHECK(fd_expr_bi_quote_check)
{
    return fd_expr_bi_check_sigs(tc, "quote", sig_quote, 1, args, nargs, ret);
}

FD_BI_CHECK(fd_expr_bi_unsafe_quote_check)
{
    return fd_expr_bi_check_sigs(tc, "unsafeQuote", sig_quote, 1, args, nargs, ret);
}

FD_BI_CALL(fd_expr_bi_unsafe_quote)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *err = NULL;

    (void)nargs;
    fd_buf_putc(&b, '"');
    if (!fd_expr_bi_json(&b, args[0], 0, &err)) {
        fd_buf_free(&b);
        return fd_expr_fail(ctx, "error applying quote() function: %s", err);
    }
    fd_buf_putc(&b, '"');
    *out = fd_expr_str_from_buf(&b);
    return true;
}

FD_BI_CHECK(fd_expr_bi_as_json_check)
{
    return fd_expr_bi_check_sigs(tc, "asJSON", sig_quote, 1, args, nargs, ret);
}

FD_BI_CALL(fd_expr_bi_as_json)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *err = NULL;

    (void)nargs;
    fd_buf_putc(&b, '"');
    if (!fd_expr_bi_json(&b, args[0], 2, &err)) {
        fd_buf_free(&b);
        return fd_expr_fail(ctx, "error applying asJSON() function: %s", err);
    }
    fd_buf_puts(&b, "\n\"");
    *out = fd_expr_str_from_buf(&b);
    return true;
}

FD_BI_CHECK(fd_expr_bi_as_yaml_check)
{
    return fd_expr_bi_check_sigs(tc, "asYAML", sig_quote, 1, args, nargs, ret);
}

/* asYAML: yaml.v3's Marshal text wrapped in double quotes */
FD_BI_CALL(fd_expr_bi_as_yaml)
{
    struct fd_buf b = FD_BUF_INIT;
    const char *err = NULL;

    (void)nargs;
    fd_buf_putc(&b, '"');
    if (!fd_expr_bi_yaml(&b, args[0], &err)) {
        fd_buf_free(&b);
        return fd_expr_fail(ctx, "error applying asYAML() function: %s", err);
    }
    fd_buf_putc(&b, '"');
    *out = fd_expr_str_from_buf(&b);
    return true;
}

FD_BI_CALL(fd_expr_bi_quote)
{
    struct fd_buf b = FD_BUF_INIT;

    /* a version or a FreightOriginKind is no Go string: JSON, as for any
     * other value */
    if (!fd_expr_is_go_string(args[0]))
        return fd_expr_bi_unsafe_quote(ctx, args, nargs, out);
    fd_expr_bi_go_quote(&b, args[0].u.s->data, args[0].u.s->len);
    *out = fd_expr_str_from_buf(&b);
    return true;
}
