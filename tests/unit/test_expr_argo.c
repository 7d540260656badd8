/* tests/unit/test_expr_argo.c: the Argo Rollouts condition environment
 * (utils/evaluate/evaluate.go): asInt, asFloat, isNaN, isInf, and isNil /
 * default, which ignore their argument and test the whole metric result. */
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
#define VEC                              "{\"result\": [0.97]}"
#define EMPTY                            "{\"result\": []}"
#define NIL                              "{\"result\": null}"
#define SCALAR                           "{\"result\": 0.5}"
#define WEB                              "{\"result\": {\"ok\": true, \"rate\": \"0.9\", \"n\": null}}"
#define ARGO(env, src, want)             EXPECT_ENV(FD_EXPR_MODE_ARGO, env, src, want)
#define WEBX(src, want)                  EXPECT_ENV(FD_EXPR_MODE_ARGO_WEB, WEB, src, want)

START_TEST(as_int_as_float)
{
    ARGO(VEC, "asInt(0.97) == 0", "true");
    ARGO(VEC, "let asInt = 1; true",
         "compile: cannot redeclare asInt"); /* Argo puts it in the env */
    ARGO(VEC, "let result = 1; true", "compile: cannot redeclare result");
    ARGO(VEC, "asInt(-2.5) == -2", "true");
    /* checker.go types the sum of a []float64 as float64 (differential test) */
    ARGO(VEC, "sum(result) != \"ok\"",
         "compile: invalid operation: != (mismatched types float64 and string)");
    ARGO(VEC, "asInt(result[0]) > \"ok\"",
         "compile: invalid operation: > (mismatched types int64 and string)");
    ARGO(VEC, "asInt(7) == 7 && type(asInt(7)) == 'int'", "true");
    ARGO(VEC, "asInt('42') == 42", "true");
    ARGO(VEC, "asInt('-42') == -42", "true");
    ARGO(VEC, "asInt('4.2')", "run: strconv.ParseInt: parsing \"4.2\": invalid syntax");
    ARGO(VEC, "asInt('99999999999999999999')",
         "run: strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
    ARGO(VEC, "asInt(true)", "run: asInt() not supported on bool true");
    ARGO(VEC, "asInt(result)", "run: asInt() not supported on []float64 [0.97]");
    ARGO(VEC, "asInt(result[0]) == 0", "true");
    ARGO(VEC, "asInt()", "compile: not enough arguments to call asInt");
    ARGO(VEC, "asFloat('0.5') == 0.5", "true");
    ARGO(VEC, "type(asFloat(3)) == 'float'", "true");
    ARGO(VEC, "asFloat('x')", "run: strconv.ParseFloat: parsing \"x\": invalid syntax");
    ARGO(VEC, "asFloat('1e400')", "run: strconv.ParseFloat: parsing \"1e400\": value out of range");
    ARGO(VEC, "asFloat(nil)", "run: asFloat() not supported on <nil> <nil>");
    WEBX("asFloat(result.rate) > 0.8", "true");
    DONE();
}
END_TEST

START_TEST(nan_inf)
{
    ARGO(VEC, "isNaN(result[0])", "false");
    ARGO(SCALAR, "isNaN(result)", "false");
    ARGO(VEC, "isNaN(result)",
         "compile: cannot use []float64 as argument (type float64) to call isNaN ");
    ARGO(VEC, "isNaN(nil)", "compile: cannot use nil as argument (type float64) to call isNaN");
    ARGO(VEC, "isNaN(0/0.0)", "true");
    ARGO(VEC, "isInf(1/0.0)", "true");
    ARGO(VEC, "isInf(-1/0.0)", "true");
    ARGO(VEC, "isInf(result[0])", "false");
    ARGO(VEC, "isInf('x')", "compile: cannot use string as argument (type float64) to call isInf ");
    /* the VM asserts the argument of a func(float64) (expr-lang says so) */
    WEBX("isNaN(result.rate)", "run: interface conversion: interface {} is string, not float64");
    DONE();
}
END_TEST

START_TEST(nil_and_default)
{
    /* the argument is ignored: the whole result decides */
    ARGO(VEC, "isNil(nil)", "false");
    ARGO(VEC, "isNil(result)", "false");
    ARGO(EMPTY, "isNil(result)", "false");
    ARGO(NIL, "isNil(1)", "true");
    ARGO(NIL, "isNil(result)", "true");
    ARGO(VEC, "default(nil, 5)[0] == 0.97", "true");
    ARGO(NIL, "default(1, 5) == 5", "true");
    ARGO(NIL, "default(result, 0.5) >= 0.5", "true");
    ARGO(VEC, "default(result, [0.1])[0] >= 0.95", "true");
    WEBX("isNil(result.n)", "false");
    WEBX("default(nil, 0).ok", "true");
    ARGO(VEC, "isNil()", "compile: not enough arguments to call isNil");
    ARGO(VEC, "default(1)", "compile: not enough arguments to call default");
    DONE();
}
END_TEST

START_TEST(builtins_on_results)
{
    ARGO(VEC, "max(result) == 0.97", "true");
    ARGO(EMPTY, "max(result) == nil", "true");
    ARGO(VEC, "mean(result) > 0.9", "true");
    ARGO(VEC, "first(result) == 0.97", "true");
    ARGO(EMPTY, "first(result) == nil", "true");
    ARGO(VEC, "sort(result) == [0.97]", "true");
    ARGO(VEC, "take(result, 1) == [0.97]", "true");
    ARGO(VEC, "join(result)",
         "compile: cannot use []float64 as argument (type []string) to call join ");
    DONE();
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("expr-argo");
    TCase *tc = tcase_create("argo");

    tcase_add_test(tc, as_int_as_float);
    tcase_add_test(tc, nan_inf);
    tcase_add_test(tc, nil_and_default);
    tcase_add_test(tc, builtins_on_results);
    suite_add_tcase(s, tc);
    return s;
}
