/* tests/unit/test_expr_kargo.c: Kargo's quote()/unsafeQuote() and ${{ }}
 * templates (pkg/expressions): the naive delimiter scan, several expressions
 * in one string and the re-typing of the rendered text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check_main.h"
#include "expr_check.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

#define EXPECT_ENV(mode, env, src, want) fd_test_expr_expect(mode, env, src, want)
#define DONE()                           FD_TEST_EXPR_DONE()
#define ENV                              "{\"vars\": {\"replicas\": 3, \"name\": \"app\"}, \"ctx\": {\"stage\": \"prod\"}}"
#define KARGO(src, want)                 EXPECT_ENV(FD_EXPR_MODE_KARGO, ENV, src, want)
#define TMPL(src, want)                  EXPECT_ENV(FD_EXPR_MODE_KARGO_TEMPLATE, ENV, src, want)

START_TEST(quote_functions)
{
    KARGO("quote('a\"b')", "\"\\\"a\\\\\\\"b\\\"\"");
    KARGO("quote('tab\\there')", "\"\\\"tab\\\\there\\\"\"");
    KARGO("quote('é\\u00ad\\u0007')", "\"\\\"é\\\\u00ad\\\\a\\\"\"");
    KARGO("quote(1)", "\"\\\"1\\\"\"");
    KARGO("quote(1.5)", "\"\\\"1.5\\\"\"");
    KARGO("quote(true)", "\"\\\"true\\\"\"");
    KARGO("quote(null)", "\"\\\"null\\\"\"");
    KARGO("quote({a: '<'})", "\"\\\"{\\\"a\\\":\\\"\\\\u003c\\\"}\\\"\"");
    KARGO("unsafeQuote('s')", "\"\\\"\\\"s\\\"\\\"\"");
    KARGO("unsafeQuote([1, 'a'])", "\"\\\"[1,\\\"a\\\"]\\\"\"");
    KARGO("quote(0/0.0)", "run: error applying quote() function: json: unsupported value: NaN");
    KARGO("quote()", "compile: not enough arguments to call quote");
    KARGO("undefinedName ?? 'x'", "\"x\"");
    KARGO("let quote = 1; 1", "compile: cannot redeclare function quote");
    /* asYAML: yaml.v3's Marshal (checked against Kargo's own by tests/peers) */
    KARGO("asYAML({b: [1, 'x'], a: {c: 'yes'}, n: nil})",
          "\"\\\"a:\\n    c: \\\"yes\\\"\\nb:\\n    - 1\\n    - x\\n\\\"n\\\": null\\n\\\"\"");
    KARGO("let vars = 1; vars", "1"); /* no expr.Env: env names may be shadowed */
    DONE();
}
END_TEST

START_TEST(templates)
{
    TMPL("42", "\"42\"");
    TMPL("${{ vars.replicas }}", "3.0");
    TMPL("${{ 1 }}${{ 2 }}", "12.0");
    TMPL("${{ 40 + 2 }}", "42.0");
    TMPL("${{ quote(40 + 2) }}", "\"42\"");
    TMPL("${{ quote('x') }}", "\"x\"");
    TMPL("${{ unsafeQuote('x') }}", "\"\\\"x\\\"\"");
    TMPL("stage/${{ ctx.stage }}", "\"stage/prod\"");
    TMPL("${{ vars.name }}-${{ ctx.stage }}", "\"app-prod\"");
    TMPL("${{ true }}", "true");
    TMPL("${{ 't' }}", "true");
    TMPL("${{ '0' }}", "0.0");
    TMPL("${{ quote(true) }}", "\"true\"");
    TMPL("${{ \"Hello, world!\" }}", "\"Hello, world!\"");
    TMPL("${{ {a: 1} }}", "{\"a\":1.0}");
    TMPL("${{ ['x', 2] }}", "[\"x\",2.0]");
    TMPL("${{ vars.missing }}", "null");
    TMPL("${{ 'NaN' }}", "{\"$float\":\"NaN\"}");
    TMPL("${{ 'a' }}\n", "\"a\\n\"");
    TMPL("${{ '\"q\"' }}\n", "\"q\\n\"");
    TMPL("x ${{ 1.5 }}", "\"x 1.5\"");
    /* Kargo v1.11's own scanner (pkg/expressions nextExpression) */
    TMPL("${{ 1", "compile: unclosed expression: expected \"}}\" but reached end of template");
    TMPL("${% 1", "compile: unclosed expression: expected \"%}\" but reached end of template");
    TMPL("x-${% 100 %}", "\"x-100\"");
    TMPL("${% 1 %}${{ 2 }}", "12.0");
    TMPL("${{ '%}' }}", "\"%}\"");
    /* the first }} ends the expression */
    TMPL("${{ {a: {b: 1}} }}", "compile: unexpected token EOF");
    TMPL("${{ 1 + }}", "compile: unexpected token EOF");
    TMPL("${{ vars.missing.x }}", "run: cannot fetch x from <nil>");
    /* there is no freight variable in Kargo verification arguments */
    TMPL("${{ freight.git.commit }}", "run: cannot fetch git from <nil>");
    /* Kargo v1.11 registers asJSON; an unknown function is the VM's
     * "cannot call nil" (differential test against Kargo's EvaluateTemplate) */
    TMPL("${{ asJSON(1) }}", "\"1\\n\"");
    TMPL("${{ asJSON({a: '<'}) }}", "\"{\\n  \\\"a\\\": \\\"\\\\u003c\\\"\\n}\\n\"");
    TMPL("${{ nope(1) }}", "run: invalid operation: cannot call nil");
    KARGO("vars(1)",
          "run: invalid operation: cannot call non-function of type map[string]interface {}");
    DONE();
}
END_TEST

/* Compiles and runs len bytes of src (which may hold NULs) as a template;
 * returns the JSON text of the value or "compile: MESSAGE @OFFSET". */
static char *tmpl_bytes(const char *src, size_t len)
{
    struct fd_expr_error err;
    fd_value *out = NULL;
    fd_expr_program *p = fd_expr_compile(src, len, FD_EXPR_MODE_KARGO_TEMPLATE, NULL, &err);

    if (!p)
        return fd_xasprintf("compile: %s @%zu", err.message, err.offset);
    if (fd_expr_run(p, NULL, &out, &err) != 0) {
        fd_expr_program_free(p);
        return fd_xasprintf("run: %s", err.message);
    }
    char *text = fd_value_to_json_text(out);
    fd_value_unref(out);
    fd_expr_program_free(p);
    return text;
}

#define TMPL_BYTES(lit, want)                                                                  \
    do {                                                                                       \
        char *got_ = tmpl_bytes(lit, sizeof(lit) - 1);                                         \
        ck_assert_msg(strcmp(got_, want) == 0, "template %s: expected %s, got %s", #lit, want, \
                      got_);                                                                   \
        free(got_);                                                                            \
    } while (0)

/* NUL bytes in a template's text are text (the renderer is length-counted:
 * it used to copy the source up to the first NUL and read past the copy);
 * inside ${{ }} they are an expression error, as expr's lexer has it. */
START_TEST(template_nul_bytes)
{
    TMPL_BYTES("x\0y", "\"x\\u0000y\"");
    TMPL_BYTES("a\0b ${{ 1 }}", "\"a\\u0000b 1\"");
    TMPL_BYTES("${{ 'p' }}\0\0${{ 'q' }}-tail", "\"p\\u0000\\u0000q-tail\"");
    TMPL_BYTES("ab\0${{ 1\0 }}", "compile: unrecognized character: U+0000 @2");

    struct fd_expr_error err;
    fd_expr_program *p = fd_expr_compile("1\0", 2, FD_EXPR_MODE_KARGO, NULL, &err);
    ck_assert_msg(p == NULL, "a NUL byte in an expression must not compile");
    ck_assert_str_eq(err.message, "unrecognized character: U+0000");
    ck_assert_uint_eq(err.offset, 1);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("expr-kargo");
    TCase *tc = tcase_create("kargo");

    tcase_add_test(tc, quote_functions);
    tcase_add_test(tc, templates);
    tcase_add_test(tc, template_nul_bytes);
    suite_add_tcase(s, tc);
    return s;
}
