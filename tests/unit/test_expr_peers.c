/* tests/unit/test_expr_peers.c: cases where the differential test
 * (tests/peers) found freightdeck answering otherwise than expr-lang v1.17.8
 * or v1.15.5 (with Argo Rollouts' and Kargo's environments); each expects
 * what the upstream peer answers, grouped by the cause of the difference. */
#include "config.h"

#include "check_main.h"
#include "expr_check.h"
#include "freightdeck/expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENV_DEFAULT                                                                     \
    "{\"i\": 3, \"f\": 0.5, \"s\": \"abc\", \"t\": \"1.5\", \"b\": true, \"n\": null, " \
    "\"a\": [1, 2, 3], \"sa\": [\"b\", \"a\"], \"m\": {\"x\": 1}, \"e\": [], \"em\": {}}"
#define ENV                ENV_DEFAULT /* (a test that sets its own restores this one) */
#define V115(mode)         fd_expr_mode_at(mode, FD_EXPR_V1_15)
#define EXPR(src, want)    fd_test_expr_expect(FD_EXPR_MODE_EXPR, ENV, src, want)
#define EXPR15(src, want)  fd_test_expr_expect(V115(FD_EXPR_MODE_EXPR), ENV, src, want)
#define KARGO(src, want)   fd_test_expr_expect(FD_EXPR_MODE_KARGO, ENV, src, want)
#define KARGO_T(src, want) fd_test_expr_expect(FD_EXPR_MODE_KARGO_TEMPLATE, ENV, src, want)
#define ARGO(src, want)    fd_test_expr_expect(FD_EXPR_MODE_ARGO, "{\"result\": [0.05]}", src, want)
#define ARGO_WEB(src, want) \
    fd_test_expr_expect(FD_EXPR_MODE_ARGO_WEB, "{\"result\": [0.05]}", src, want)
#define ARGO_WEB15(src, want) \
    fd_test_expr_expect(V115(FD_EXPR_MODE_ARGO_WEB), "{\"result\": [0.05]}", src, want)
#define ARGO15(src, want) \
    fd_test_expr_expect(V115(FD_EXPR_MODE_ARGO), "{\"result\": [0.05]}", src, want)
#define DONE() FD_TEST_EXPR_DONE()

/* Go's math.Pow (src/math/pow.go) is not libm's pow: 1 / Sqrt(x) for
 * ** -0.5, repeated squaring for the integer part of the exponent. */
START_TEST(go_pow)
{
    EXPR("f ^ -0.5", "1.414213562373095");
    EXPR("f ** (0.5 - 1)", "1.414213562373095");
    EXPR("1.1 ** 100", "13780.612339822364");    /* libm: ...38 */
    EXPR("0.7 ** -13", "103.21087972715566");    /* libm: ...64 */
    EXPR("1.0001 ** 9999", "2.717874139410415"); /* libm: 2.7178741394109847 */
    EXPR("3 ^ f ** 0.5", "2.174581428191967");
    /* Exp and Log of the fraction are Go's amd64 assembly (exp_amd64.s with
     * or without FMA, log_amd64.s), not libm's: these differ from libm */
    EXPR("5 ^ 0.5 ** 0.5", "3.120659824834393");              /* libm: ...3926 */
    EXPR("22.0 ** 1.1082753809262424", "30.744965351924606"); /* libm: ...246 */
    EXPR("30.0 ** 0.936296270494063", "24.155894371328127");  /* libm: ...124 */
    EXPR("2 ** -1074", "5e-324");
    EXPR("(-2) ** 0.5", "{\"$float\":\"NaN\"}");
    EXPR("0 ** -1", "{\"$float\":\"+Inf\"}");
    DONE();
}
END_TEST

/* vm.go asserts the operands of the string operators at run time: Go's
 * panic text, and v1.17's nil answers false. */
START_TEST(string_operator_assertions)
{
    KARGO("m contains 'a'",
          "run: interface conversion: interface {} is map[string]interface {}, not string");
    KARGO("'a' startsWith m",
          "run: interface conversion: interface {} is map[string]interface {}, not string");
    KARGO("i endsWith sa", "run: interface conversion: interface {} is int, not string");
    KARGO("n contains 'a'", "false");
    KARGO("s startsWith n", "false");
    KARGO("i matches 'a'", "run: interface conversion: interface {} is int, not []uint8");
    KARGO("s matches i", "run: interface conversion: interface {} is int, not string");
    DONE();
}
END_TEST

/* compiler.go: unary + emits nothing, and `and`/`or` leave the right
 * operand as it is; ^ applies runtime.ToFloat64 to both sides. */
START_TEST(operators_at_run_time)
{
    KARGO("+sa", "[\"b\",\"a\"]");
    KARGO("+t", "\"1.5\"");
    KARGO("b && t", "\"1.5\"");
    KARGO("false || m", "{\"x\":1}");
    KARGO("t && b", "run: interface conversion: interface {} is string, not bool");
    KARGO("b ^ s", "run: invalid operation: float(bool)");
    KARGO("i ^ s", "run: invalid operation: float(string)");
    EXPR("+reduce(a, #)", "3");
    KARGO("+reduce(sa, #)", "\"a\"");
    EXPR("+reduce([m], #)",
         "compile: invalid operation: + (mismatched type map[string]interface {})");
    DONE();
}
END_TEST

/* checker.go: the order in which nodes are visited decides which error is
 * reported, and types follow the checker, not the optimizer. */
START_TEST(checker_order_and_types)
{
    KARGO("'Foo' ? 1 : '' or a", "compile: non-bool expression (type string) used as condition");
    KARGO("3 ? 1 : 'foo' ** s", "compile: non-bool expression (type int) used as condition");
    KARGO("['a'] ^ e",
          "compile: invalid operation: ^ (mismatched types []interface {} and unknown)");
    KARGO("['a'] ** e",
          "compile: invalid operation: ** (mismatched types []interface {} and unknown)");
    KARGO("none(sa, {# % 2})", "compile: predicate should return boolean (got int)");
    EXPR15("none(sa, {# % 2})", "run: invalid operation: string % int");
    KARGO("-9223372036854775807 ?? .5 ? 1 : 2.5 | first()",
          "compile: cannot get first element from float64");
    /* $env has no type in v1.17; v1.15.5 typed it as a map */
    ARGO("asFloat(result[0]) != $env", "true");
    KARGO("$env ? 1 : 2",
          "run: interface conversion: interface {} is map[string]interface {}, not bool");
    EXPR15("$env ? 1 : 2",
           "compile: non-bool expression (type map[string]interface {}) used as condition");
    DONE();
}
END_TEST

/* A builtin used as a value has the Go type of its Function (v1.17: the
 * first of its Types); v1.15.5 gave every builtin Func's type, while
 * Argo's functions are Go functions of the env in both. */
START_TEST(function_types)
{
    KARGO("upper < 1",
          "compile: invalid operation: < (mismatched types func(string) string and int)");
    KARGO("reduce(upper, {#})",
          "compile: builtin reduce takes only array (got func(string) string)");
    KARGO("len > 1", "compile: invalid operation: > (mismatched types func(...interface {}) "
                     "(interface {}, error) and int)");
    KARGO("quote > 1",
          "compile: invalid operation: > (mismatched types func(interface {}) string and int)");
    KARGO("1 in all", "compile: invalid operation: in (mismatched types int and func([]interface "
                      "{}, func(interface {}) bool) bool)");
    ARGO("asInt > 1",
         "compile: invalid operation: > (mismatched types func(interface {}) int64 and int)");
    EXPR15("upper < 1", "compile: invalid operation: < (mismatched types func(...interface {}) "
                        "(interface {}, error) and int)");
    fd_test_expr_expect(
        V115(FD_EXPR_MODE_ARGO), "{\"result\": [1]}", "isNaN > 1",
        "compile: invalid operation: > (mismatched types func(float64) bool and int)");
    DONE();
}
END_TEST

/* v1.17 types the items of an array whose items share one reflect.Kind
 * (the literal, a range, filter and map), so # and [0] are typed. */
START_TEST(array_item_types)
{
    KARGO("filter([true, false], {.name + i})", "compile: type bool has no field name");
    KARGO("false not in 1..3", "compile: cannot use bool as type int in array");
    KARGO("count(1..4, {upper(#)})",
          "compile: cannot use int as argument (type string) to call upper ");
    KARGO("1 endsWith [1, 2, 3][0]",
          "compile: invalid operation: endsWith (mismatched types int and int)");
    KARGO("map(1..3, #)[0] endsWith 1",
          "compile: invalid operation: endsWith (mismatched types int and int)");
    KARGO("filter(1..3, true)[0] endsWith 1",
          "compile: invalid operation: endsWith (mismatched types int and int)");
    KARGO("find([true, false], {# > 1})",
          "compile: invalid operation: > (mismatched types bool and int)");
    KARGO("[1, 2.5][0] endsWith 1",
          "compile: invalid operation: endsWith (mismatched types interface {} and int)");
    EXPR15("false not in 1..3", "compile: cannot use bool as type int in array"); /* a Go []int */
    EXPR15("1..3 endsWith 1",
           "compile: invalid operation: endsWith (mismatched types []int and int)");
    DONE();
}
END_TEST

/* v1.15.5's lexer and parser: no raw strings, no postfix on a string
 * literal, a `not` taken before its operator is known to bind (and lost
 * when it does not), array literals typed for `in`. */
START_TEST(v115_syntax)
{
    EXPR15("`raw`", "compile: unrecognized character: U+0060 '`'");
    EXPR("`raw`", "\"raw\"");
    EXPR15("'abc'[1:]", "compile: unexpected token Bracket(\"[\")");
    EXPR15("s[1:]", "\"bc\"");
    EXPR15("-1 not in a", "false");
    EXPR15("1 - 1 not in a", "false");
    EXPR("-1 not in a", "true");
    EXPR15("1 not + 2", "compile: invalid operation: not (mismatched type int)");
    EXPR15("'a' not in [2]", "compile: cannot use string as type int in array");
    EXPR15("'a' not in [2, nil]", "true");
    EXPR("1 + @", "compile: unrecognized character: U+0040 '@'");
    DONE();
}
END_TEST

/* b"..." is a Go []byte (v1.17): a slice of uint8s, printed by fmt as
 * numbers, marshalled by encoding/json as base64, compared with reflect. */
START_TEST(bytes_literals)
{
    EXPR("b'ab'", "\"ab\"");
    EXPR("type(b'ab')", "\"array\"");
    EXPR("string(b'ab')", "\"[97 98]\"");
    EXPR("len(b'ab') + b'ab'[0]", "99");
    EXPR("b'ab'[1:]", "\"b\"");
    EXPR("b'ab' == b'ab'", "true");
    EXPR("b'ab' == 'ab'", "compile: invalid operation: == (mismatched types []uint8 and string)");
    EXPR("b'ab' + b'c'", "compile: invalid operation: + (mismatched types []uint8 and []uint8)");
    EXPR("b'ab' contains 'a'",
         "compile: invalid operation: contains (mismatched types []uint8 and string)");
    EXPR("b'ab' matches '^a'", "true");
    EXPR("filter(b'ab', # > 97)", "[98]");
    EXPR("map(b'ab', # + 1)", "[98,99]");
    EXPR("first(b'ab') + last(b'ab')", "195");
    EXPR("reverse(b'ab')", "[98,97]");
    EXPR("take(b'abc', 2)", "\"ab\"");
    EXPR("97 in b'ab'", "true");
    EXPR("b'ab' in [97]", "compile: cannot use []uint8 as type int in array");
    EXPR("toJSON(b'ab')", "\"\\\"YWI=\\\"\"");
    EXPR("-b'ab'", "compile: invalid operation: - (mismatched type []uint8)");
    EXPR("{b'a': 1}", "compile: a map key must be a quoted string, a number, a identifier, or an "
                      "expression enclosed in parentheses (unexpected token Bytes(\"a\"))");
    KARGO("b'ab' contains m",
          "compile: invalid operation: contains (mismatched types []uint8 and unknown)");
    KARGO("m.k contains b'ab'",
          "compile: invalid operation: contains (mismatched types unknown and []uint8)");
    EXPR15("{b'a': 1}", "compile: unexpected token String(\"a\")");
    KARGO_T("x-${{ b'ab' }}", "\"x-\\\"YWI=\\\"\"");
    KARGO_T("${{ b'ab' }}", "\"YWI=\"");
    EXPR15("b'ab'", "compile: unexpected token String(\"ab\")");
    /* B"..." is bytes too (lexer state.go: 'b' or 'B'); found by probing
     * escapes (844 cases) */
    EXPR("B'ab' == b'ab'", "true");
    EXPR("type(B\"\\xff\")", "\"array\"");
    EXPR15("B'a'", "compile: unexpected token String(\"a\")");
    DONE();
}
END_TEST

/* A time carries its Location (Time.Location()): the zoneinfo it was
 * read or shown in, UTC, Local, or the FixedZone time.Parse makes; names
 * are not cut at 23 bytes; *time.Location is time.Location after Deref. */
START_TEST(time_locations)
{
    EXPR("date('2024-03-10T12:00:00Z').Location()", "{\"$location\":\"UTC\"}");
    EXPR("date('2024-03-10T12:00:00+02:00').Location()", "{\"$location\":\"\"}");
    EXPR("date('2024-03-10T12:00:00+02:00').Location().String()", "\"\"");
    EXPR("date('2024-03-10 12:00', '2006-01-02 15:04', 'Europe/Berlin').Location()",
         "{\"$location\":\"Europe/Berlin\"}");
    EXPR("date('2024-03-10T12:00:00Z').In(timezone('Asia/Tokyo')).Add(duration('1h')).Location()",
         "{\"$location\":\"Asia/Tokyo\"}");
    EXPR("date('Mon, 02 Jan 2006 15:04:05 MST').Location()", "{\"$location\":\"MST\"}");
    /* a FixedZone named MST (offset 0), not the zoneinfo MST (-07:00) */
    EXPR("date('2024-03-10T12:00:00Z').In(date('Mon, 02 Jan 2006 15:04:05 MST').Location())",
         "{\"$time\":\"2024-03-10T12:00:00Z\"}");
    EXPR("date('2024-03-10T12:00:00Z').In(date('2024-03-10T12:00:00+02:00').Location())",
         "{\"$time\":\"2024-03-10T14:00:00+02:00\"}");
    EXPR("date('2024-03-10T12:00:00Z').Local().Location()", "{\"$location\":\"Local\"}");
    EXPR("timezone('America/Argentina/ComodRivadavia')",
         "{\"$location\":\"America/Argentina/ComodRivadavia\"}");
    EXPR("date('2024-03-10T12:00:00Z').In(timezone('America/Argentina/ComodRivadavia'))",
         "{\"$time\":\"2024-03-10T09:00:00-03:00\"}");
    KARGO_T("${{ date('2024-03-10T12:00:00Z').Location() }}", "{}");
    KARGO("timezone('UTC') - a",
          "compile: invalid operation: - (mismatched types time.Location and unknown)");
    KARGO("timezone('UTC').Day()", "compile: type time.Location has no method Day");
    KARGO("hasPrefix(timezone('UTC'), s)",
          "compile: cannot use *time.Location as argument (type string) to call hasPrefix ");
    KARGO("none(a, timezone(s))", "compile: predicate should return boolean (got *time.Location)");
    DONE();
}
END_TEST

/* Time.Month() and Time.Weekday() are Go's named int types: fmt and
 * String() name them, type() and messages say time.Month, they equal and
 * compare only with their own type; JSON shows the number. */
START_TEST(month_and_weekday)
{
#define D "date('2024-03-10T12:00:00Z')"
    EXPR(D ".Month()", "3");
    EXPR("string(" D ".Month()) + ' ' + " D ".Weekday().String()", "\"March Sunday\"");
    EXPR("type(" D ".Weekday())", "\"time.Weekday\"");
    EXPR(D ".Month() == " D ".Month()", "true");
    EXPR(D ".Month() == 3", "compile: invalid operation: == (mismatched types time.Month and int)");
    EXPR(D ".Month() + 1", "compile: invalid operation: + (mismatched types time.Month and int)");
    EXPR("-" D ".Month()", "compile: invalid operation: - (mismatched type time.Month)");
    EXPR(D ".Month() in [3]", "compile: cannot use time.Month as type int in array");
    EXPR(D ".Month()[0]", "compile: type time.Month[int] is undefined");
    EXPR("int(" D ".Month())", "3");
    EXPR("float(" D ".Month())", "run: invalid operation: float(time.Month)");
    /* abs's Validate takes any reflect.Kind Int; Abs's type switch does not */
    EXPR("abs(" D ".Month())", "run: invalid argument for abs (type time.Month)");
    EXPR("toJSON(" D ".Month())", "\"3\"");
    KARGO_T("${{ " D ".Month() }}", "3.0");
    KARGO("m.Month()", "run: invalid operation: cannot call nil");
    KARGO("m.x()", "run: invalid operation: cannot call non-function of type int");
    /* behind ??, unknown to the checker: the builtins' type switches
     * (utils.go toInt, runtime.ToInt) know no time.Month (seed 433) */
    EXPR("bitnot(" D ".Month() ?? true)",
         "run: cannot use time.Month as argument (type int) to call bitnot");
    EXPR("bitshl(2, " D ".Weekday() ?? 1)",
         "run: cannot use time.Weekday as argument (type int) to call bitshl");
    EXPR("repeat('a', " D ".Month() ?? 1)", "run: invalid operation: int(time.Month)");
    EXPR("bitnot(i ?? 'x')", "-4");
#undef D
    DONE();
}
END_TEST

/* Unknowns stay unknown in v1.17's messages (unknown functions, methods
 * and slices of unknowns); slicing what cannot be sliced fails in the VM's
 * order: OpLen when the end is left out, then runtime.Slice naming `from`. */
START_TEST(unknowns_and_slices)
{
    KARGO("nope(1) contains {}", "compile: invalid operation: contains (mismatched types unknown "
                                 "and map[string]interface {})");
    KARGO("m.Minutes() ^ [1]",
          "compile: invalid operation: ^ (mismatched types unknown and []interface {})");
    KARGO("f[:2]", "run: cannot slice 0");
    KARGO("m[1:]", "run: cannot slice 1");
    KARGO("f[1.5:3]", "run: cannot slice 1.5");
    KARGO("i[1:]", "run: invalid argument for len (type int)");
    KARGO("n[1:]", "run: invalid argument for len (type <nil>)");
    EXPR15("f[:2]", "compile: cannot slice float64");
    DONE();
}
END_TEST

/* expr's escapes (lexer.go scanEscape, utils.go unescape): \x and octal
 * escapes are code points in a string and bytes in a b"..." literal; only
 * the enclosing quote is escaped; \u{...} (v1.17); `` in a raw string. */
START_TEST(string_escapes)
{
    EXPR("'\\xff' == '\\u00ff' && '\\377' == '\\u00ff'", "true");
    EXPR("len('\\xff') + len(toBase64('\\xff'))", "5"); /* one rune, two bytes: "w78=" */
    EXPR15("len('\\xff')", "2");
    EXPR("b'\\xff\\377' | map(#)", "[255,255]");
    EXPR("'ab\\u{1F600}' == 'ab\\U0001F600'", "true");
    EXPR15("'ab\\u{1F600}'", "compile: invalid char escape");
    EXPR("'\\\"'", "compile: invalid char escape");
    EXPR("'a\\?'", "compile: invalid char escape");
    EXPR("'ab\\400'", "compile: unable to unescape string");
    EXPR("'\\U00110000'", "compile: unable to unescape string");
    EXPR("b'\\u0041'", "compile: unable to unescape string");
    EXPR("`a``b`", "\"a`b\"");
    EXPR("'ab", "compile: literal not terminated");
    DONE();
}
END_TEST

/* Indexes as runtime.Fetch does them (reflect's MapIndex), get() checked
 * as checkBuiltinGet checks it, ranges over runtime.ToInt, `in` a struct. */
START_TEST(indexes_and_ranges)
{
    KARGO("m[i]",
          "run: reflect.Value.MapIndex: value of type int is not assignable to type string");
    KARGO("m[n]", "null"); /* the zero key "" */
    KARGO("groupBy(a, #)[m]",
          "run: runtime error: hash of unhashable type map[string]interface {}");
    KARGO("get(groupBy(a, #), m)",
          "run: runtime error: hash of unhashable type map[string]interface {}");
    EXPR("get(1, 2)", "compile: type int does not support indexing");
    EXPR("get(a, 'x')", "compile: non-integer slice index string");
    EXPR("get(m, 1)", "compile: cannot use int to get an element from map[string]interface {}");
    EXPR("get(m, nil)",
         "compile: cannot use unknown to get an element from map[string]interface {}");
    EXPR15("get(m, nil)", "compile: cannot use nil as map index");
    EXPR("get(a, 1) + get(m, 'x')", "3");
    KARGO("i .. min(i, 0.5)", "[]");
    KARGO("f .. 2", "[0,1,2]");
    KARGO("1 .. s", "run: invalid operation: int(string)");
    EXPR("'wall' in date('2024-01-02')", "false");
    EXPR15("'wall' in date('2024-01-02')", "true");
    KARGO("i in date('2024-01-02')", "run: cannot use int as field name of time.Time");
    EXPR("b'ab' == ['a', 'b']", "false");
    DONE();
}
END_TEST

/* Go's nil slices and maps: what a missing groupBy key gives (the zero
 * []interface {}), concat of nothing, v1.15.5's groupBy of nothing. They
 * are empty, JSON null, equal to nil, and ?? passes them over. */
START_TEST(nil_slices_and_maps)
{
    EXPR("groupBy(a, #).x", "null");
    EXPR("len(groupBy(a, #).x) + count(groupBy(a, #).x, true)", "0");
    EXPR("groupBy(a, #).x == nil && concat(e) == nil", "true");
    EXPR("groupBy(a, #).x ?? 5", "5");
    EXPR("toJSON(groupBy(a, #).x) + string(groupBy(a, #).x)", "\"null[]\"");
    EXPR("groupBy(groupBy(a, #).x, #)", "{}");
    EXPR("concat(e)", "null");
    EXPR("groupBy(e, #)", "{}");
    EXPR15("groupBy(e, #)", "null");
    EXPR("e == nil", "false");
    DONE();
}
END_TEST

/* reduce is typed by its closure (both versions), sum by its predicate or
 * its items (v1.17); a third predicate argument is checked after the
 * predicate; sortBy's order is judged by the VM before the loop. */
START_TEST(predicate_results)
{
    EXPR("reduce(a, # > 1, false) endsWith 1",
         "compile: invalid operation: endsWith (mismatched types bool and int)");
    EXPR15("reduce(a, # > 1, false) endsWith 1",
           "compile: invalid operation: endsWith (mismatched types bool and int)");
    EXPR("sum(a, {true}) > false",
         "compile: invalid operation: > (mismatched types bool and bool)");
    EXPR("sum(1..3) + 0.5", "6.5");
    EXPR("sum([]) endsWith 1",
         "compile: invalid operation: endsWith (mismatched types unknown and int)");
    EXPR("sortBy(a, #, 1)", "compile: sortBy order argument must be a string (got int)");
    KARGO("sortBy(a, #, n)", "run: sortBy order argument must be a string");
    KARGO("sortBy(a, #, s)", "run: unknown order, use asc or desc");
    KARGO("sortBy(a, #, 'desc')", "[3,2,1]");
    DONE();
}
END_TEST

/* x.Name() with no such method is the member x.Name called: a map's
 * member is called at run time, an array's is no index; v1.15.5's member
 * wording, and its `if` and `else` are names. */
START_TEST(members_called)
{
    EXPR("m.y()", "run: invalid operation: cannot call nil");
    EXPR("m.x()", "run: invalid operation: cannot call non-function of type int");
    EXPR15("m.y()", "run: reflect: call of reflect.Value.Call on zero Value");
    EXPR15("m.x()", "run: reflect: call of reflect.Value.Call on int Value");
    EXPR("a.Foo()", "compile: array elements can only be selected using an integer (got string)");
    EXPR15("f.Foo()", "compile: type float64[string] is undefined");
    EXPR15("date('2024-01-02').x", "compile: type time.Time has no field x");
    EXPR15("if [1, 2] { 1 } else { 2 }", "compile: unexpected token Operator(\",\")");
    EXPR15("if(1)", "compile: unknown name if");
    DONE();
}
END_TEST

/* Argo's isNaN and isInf (func(float64) in its env): the VM asserts the
 * argument; v1.15.5's checker let nil through; v1.15.5's round shared
 * floor's message. */
START_TEST(argo_float_functions)
{
    fd_test_expr_expect(FD_EXPR_MODE_ARGO, "{\"result\": [\"x\"]}", "isNaN(result[0])",
                        "run: interface conversion: interface {} is string, not float64");
    fd_test_expr_expect(V115(FD_EXPR_MODE_ARGO), "{\"result\": [1]}", "isInf(nil)",
                        "run: interface conversion: interface {} is nil, not float64");
    fd_test_expr_expect(FD_EXPR_MODE_ARGO, "{\"result\": [1]}", "isInf(nil)",
                        "compile: cannot use nil as argument (type float64) to call isInf");
    EXPR15("round(false)", "compile: invalid argument for floor (type bool)");
    EXPR("round(false)", "compile: invalid argument for round (type bool)");
    /* v1.15.5's In compares with Equal, reflect.DeepEqual for slices: the
     * []interface {} sort makes is not the []float64 result (seed 713) */
    ARGO15("sort(result) in [result]", "false");
    ARGO15("result | sort() not in [-1, result]", "true");
    ARGO15("result in [result]", "true");
    ARGO("sort(result) in [result]", "true");
    /* v1.15.5's checker finds unexported fields (FieldByName) and types
     * them; the VM's Interface() refuses them (seed 818) */
    EXPR15("date('2023-12-31T23:59:59Z').Location().name",
           "run: reflect.Value.Interface: cannot return value obtained from unexported field or "
           "method");
    EXPR15("now().wall.x", "compile: type uint64[string] is undefined");
    EXPR15("now().wall()", "compile: uint64 is not callable");
    EXPR("now().wall", "compile: type time.Time has no field wall");
    /* v1.15.5's map() is a slice of its closure's Go type: asInt's int64 */
    ARGO15("max(map(result, asInt(#))) > 0", "compile: invalid argument for max (type []int64)");
    ARGO15("map(result, asInt(#))[0] + 1 > 0", "true");
    /* and v1.15.5's isNumber takes a time.Month by its Kind (or(l, r, ...)) */
    EXPR15("reduce([1, 2], #acc + now().Month(), now().Month())",
           "run: invalid operation: time.Month + time.Month");
    DONE();
}
END_TEST

/* semver's Major(), Minor(), Patch() are uint64s: printed unsigned (one
 * negated wraps), converted to float64 unsigned, their own absolute value;
 * `in` an array of int literals stays a walk (in_array.go wants Kind Int),
 * and the generated runtime compares them as ints. */
START_TEST(uint64_values)
{
#define M "semverParse('1.2.3').Major()"
#define B "semverParse('18446744073709551615.0.0').Major()"
    KARGO(B, "18446744073709551615");
    KARGO("-" M, "18446744073709551615");
    KARGO("string(-" M ")", "\"18446744073709551615\"");
    KARGO("toJSON(" B ")", "\"18446744073709551615\"");
    KARGO("abs(-" M ")", "18446744073709551615");
    KARGO(B " / 2", "9223372036854776000.0");
    KARGO("float(" B ")", "18446744073709552000.0");
    KARGO(M " in [1, 2]", "true");
    KARGO(B " in [1, 2]", "false");
    KARGO(B " > " M, "false");
    KARGO(B " % 10", "-1");
#undef M
#undef B
    DONE();
}
END_TEST

/* A *semver.Version the checker could not type (behind ??, in a map, from
 * first()) is a struct of unexported fields to the VM: dereferenced as an
 * operand or a builtin's argument, fetched by field name, not walked as a
 * string, no map key; and named semver.Version where unaryNode and
 * conditionalNode dereference it. */
START_TEST(semver_at_run_time)
{
#define S  "(semverParse('1.2.3') ?? 1)"
#define SP "{'a': semverParse('1.2.3')}.a"
    KARGO(S ".x", "run: cannot fetch x from semver.Version");
    KARGO(SP ".x", "run: cannot fetch x from *semver.Version");
    KARGO(S "[0]", "run: interface conversion: interface {} is int, not string");
    KARGO(S ".major",
          "run: reflect.Value.Interface: cannot return value obtained from unexported field or "
          "method");
    KARGO(S "[1:2]", "run: cannot slice 1");
    KARGO("upper(" SP ")", "run: interface conversion: interface {} is semver.Version, not string");
    KARGO(SP " < '2'", "run: invalid operation: semver.Version < string");
    KARGO(S " in ['1.2.3']",
          "run: reflect.Value.MapIndex: value of type semver.Version is not assignable to type "
          "string");
    KARGO("map(" S ", #)", "run: reflect: call of reflect.Value.Len on struct Value");
    KARGO("int(" SP ")", "run: invalid operation: int(semver.Version)");
    KARGO("{(" SP "): 1}",
          "run: interface conversion: interface {} is *semver.Version, not string");
    KARGO("not semverParse('1.2.3')",
          "compile: invalid operation: not (mismatched type semver.Version)");
    KARGO("semverParse('1.2.3') ? 1 : 2",
          "compile: non-bool expression (type semver.Version) used as condition");
    KARGO(S ".Major()", "1");
    KARGO("map(semverParse('1.2.3'), #)",
          "compile: builtin map takes only array (got semver.Version)");
#undef S
#undef SP
    DONE();
}
END_TEST

/* v1.15.5's checker takes durations (and months) for numbers by their
 * reflect.Kind; nil `in` a map is unknown to v1.17's checker; groupBy
 * keys a *time.Location by its pointer, as Go hashes it. */
START_TEST(kinds_and_keys)
{
    EXPR15("duration('-1.5s') != -0.0", "true");
    EXPR15("len(a) != duration('1h')", "true");
    EXPR("duration('-1.5s') != -0.0",
         "compile: invalid operation: != (mismatched types time.Duration and float64)");
    EXPR("n not in em", "compile: cannot use unknown as type string in map key");
    EXPR15("n not in em", "true");
    /* v1.15.5 compares arrays with reflect.DeepEqual: a slice equals itself
     * before its NaN is compared (Argo: `result != result` on [NaN] fails) */
    fd_test_expr_expect(V115(FD_EXPR_MODE_EXPR), "{\"f\": {\"$float\": \"NaN\"}}",
                        "let x = [f]; x != x", "false");
    fd_test_expr_expect(FD_EXPR_MODE_EXPR, "{\"f\": {\"$float\": \"NaN\"}}", "let x = [f]; x != x",
                        "true");
    /* LoadLocation("UTC") is time.UTC itself: one key; another zone is
     * loaded anew each time: one key per item */
    EXPR("len(groupBy(a, {timezone('UTC')}))", "1");
    EXPR("len(groupBy(a, {timezone('Asia/Tokyo')}))", "3");
    EXPR("let z = timezone('UTC'); len(groupBy(a, {z}))", "1");
    DONE();
}
END_TEST

/* Kargo compiles and runs one ${{ }} body after the other: the first fault
 * in that order is the one reported. */
START_TEST(template_order)
{
    KARGO_T("${{ e[i] }}1${{ 2 ? nil : 1 }}", "run: index out of range: 3 (array length is 0)");
    KARGO_T("${{ 1 }}1${{ 2 ? nil : 1 }}",
            "compile: non-bool expression (type int) used as condition");
    KARGO_T("${{ 2 ? nil : 1 }}${{ e[i] }}",
            "compile: non-bool expression (type int) used as condition");
    KARGO_T("${{ e[i] }}${{ 1", "run: index out of range: 3 (array length is 0)");
    KARGO_T("${{ 1 }}${{ 1",
            "compile: unclosed expression: expected \"}}\" but reached end of template");
    KARGO_T("${{ 1", "compile: unclosed expression: expected \"}}\" but reached end of template");
    DONE();
}
END_TEST

/* runtime.Fetch (vm/runtime/runtime.go) indexes a slice or a string with
 * ToInt of the member's name, which panics; Kargo compiles without
 * expr.Env, so $env's members are unknown to its checker too. */
START_TEST(members_of_slices)
{
    KARGO("sa.Year()", "run: invalid operation: int(string)");
    KARGO("s.Year()", "run: invalid operation: int(string)");
    KARGO("$env.a.b", "run: invalid operation: int(string)");
    EXPR("$env.a.b", "compile: array elements can only be selected using an integer (got string)");
    DONE();
}
END_TEST

/* checker.go: Nature{} ("unknown") for `+ - *` of maybe-numbers
 * (binaryNode), `??` and `?:` of types not assignable (conditionalNode),
 * # over an unknown collection (pointerNode), #acc (varScope{"acc",
 * Nature{}}); sum's predicate returns interface {} (predicateNode). */
START_TEST(unknown_natures)
{
    KARGO("any(sa, {# * false})",
          "compile: invalid operation: * (mismatched types unknown and bool)");
    KARGO("i + 1 + true", "compile: invalid operation: + (mismatched types unknown and bool)");
    KARGO("reduce(a, #acc + true)",
          "compile: invalid operation: + (mismatched types unknown and bool)");
    KARGO("(i ?? 1) * true", "compile: invalid operation: * (mismatched types unknown and bool)");
    KARGO("(b ? i : 1) * true",
          "compile: invalid operation: * (mismatched types unknown and bool)");
    KARGO("3 contains sum(sa, {# * 1})",
          "compile: invalid operation: contains (mismatched types int and interface {})");
    EXPR("(b ? 1 : n) + 'a'", "compile: invalid operation: + (mismatched types int and string)");
    EXPR("(b ? 1 : m.x) + 'a'", "compile: invalid operation: + (mismatched types int and string)");
    DONE();
}
END_TEST

/* checker.go checkFunction/checkArguments: the callee is resolved before
 * the arguments; a builtin with Go signatures visits its arguments one by
 * one and stops at the first one every overload refuses (a Validate
 * function visits them all first); v1.15.5 lets a nil argument through to
 * the run and visits no argument on an arity error. */
START_TEST(argument_order)
{
    KARGO("bitxor(1.0, concat(s, true ? duration('1s') : nil))",
          "compile: cannot use float64 as argument (type int) to call bitxor ");
    KARGO("hasPrefix(1, 2 + true)",
          "compile: cannot use int as argument (type string) to call hasPrefix ");
    KARGO("hasPrefix(s, 2 + true)",
          "compile: invalid operation: + (mismatched types int and bool)");
    KARGO("trimPrefix(1, 2, 3 + true)",
          "compile: invalid operation: + (mismatched types int and bool)");
    KARGO("concat(1, 2 + true)", "compile: invalid operation: + (mismatched types int and bool)");
    ARGO("quote(result['x'])", "compile: unknown name quote");
    EXPR15("hasSuffix(nil, 'x')", "run: interface conversion: interface {} is nil, not string");
    EXPR15("repeat('a', nil)", "run: invalid operation: int(<nil>)");
    EXPR15("splitAfter(nil, first(3))", "compile: cannot get first element from int");
    DONE();
}
END_TEST

/* v1.15.5's sort and sortBy (builtin/builtin.go, builtin/sort.go): Validate
 * at compile time; copyArray's one type, deref and Less at run time;
 * sortBy takes a field name, not a predicate. */
START_TEST(v115_sort)
{
    EXPR15("sort(s)", "compile: cannot sort string");
    EXPR15("sort(nil)", "compile: cannot sort %!s(<nil>)");
    EXPR15("sort(a, 1)", "compile: invalid argument for sort (expected string, got int)");
    EXPR15("sort([3, 1, 2], 'desc')", "[3,2,1]");
    EXPR15("sort(a, 'up')",
           "run: invalid argument for sort (expected \"asc\" or \"desc\", got \"up\")");
    EXPR15("sort([3, 1, 'a'])", "run: cannot sort array of different types (string and int)");
    EXPR15("sort([1, nil])", "run: cannot sort array of different types (interface {} and int)");
    EXPR15("sort([true, false])", "run: sort: unsupported type bool");
    /* reflect's Index names the kind it panics on: v1.15.5's Fetch of a
     * string, and reduce's first item without a check (seeds 412, 436) */
    EXPR15("(\"ab\" ?? 1)[5]", "run: reflect: string index out of range");
    EXPR15("reduce([], #)", "run: reflect: slice index out of range");
    EXPR15("reduce(\"\" ?? 1, #)", "run: reflect: string index out of range");
    EXPR15("reduce(em ?? 1, #)", "run: reflect: call of reflect.Value.Index on map Value");
    EXPR("reduce([], #)", "run: reduce of empty array with no initial value");
    /* ... nor do v1.15.5's sum, mean and median (CanInt, CanFloat) */
    EXPR15("sum(map(\"ab\" ?? 1, #))", "run: cannot sum uint8");
    EXPR15("mean(map(\"ab\" ?? 1, #))", "run: cannot mean uint8");
    EXPR15("median(map(\"ab\" ?? 1, #))", "run: cannot median uint8");
    EXPR("sum(map(\"ab\" ?? 1, #))", "195");
    /* a string's items are uint8s, a kind Less does not know (seed 407) */
    EXPR15("sort(\"x\\ty\" ?? true | filter(# > 1))", "run: sort: unsupported type uint8");
    EXPR15("sort(map(\"ab\" ?? 1, #), 'desc')", "run: sort: unsupported type uint8");
    EXPR15("sort([(\"ab\" ?? 1)[0]])", "[97]");
    EXPR15("sortBy(sa, 0.5)", "compile: invalid argument for sort (expected string, got float64)");
    EXPR15("sortBy(a, 'x', 1)", "compile: invalid argument for sort (expected string, got string)");
    EXPR15("sortBy(sa, 'x')", "[\"a\",\"b\"]");
    EXPR15("sortBy([{'v': 2, 'k': 1}, {'v': 1, 'k': 2}, {'v': 2, 'k': 3}], 'v', 'desc')",
           "[{\"k\":1,\"v\":2},{\"k\":3,\"v\":2},{\"k\":2,\"v\":1}]");
    EXPR15("sortBy([{'v': 2}, {'w': 1}], 'v')", "run: cannot deref <invalid reflect.Value>");
    EXPR15("sortBy([{'v': 2}, {'v': 1.5}], 'v')",
           "run: cannot sort array of different types (float64 and int)");
    DONE();
}
END_TEST

/* len([1, 1, ...]) of n items, in a buffer the caller frees. */
static char *long_array(size_t n)
{
    char *s = malloc(2 * n + 8);
    size_t k = 0;

    memcpy(s, "len([", 5);
    k = 5;
    for (size_t i = 0; i < n; i++) {
        s[k++] = '1';
        s[k++] = i + 1 < n ? ',' : ']';
    }
    memcpy(s + k, ")", 2);
    return s;
}

/* v1.17's parser counts the nodes it makes against conf.DefaultMaxNodes
 * (10,000): len([...]) is 2 + n of them. v1.15.5 had no budget. A call
 * takes any number of arguments (freightdeck stopped at 64). */
START_TEST(node_budget_and_many_arguments)
{
    char *ok = long_array(9998), *over = long_array(9999);
    EXPR(ok, "9998");
    EXPR(over, "compile: compilation failed: expression exceeds maximum allowed nodes");
    EXPR15(over, "9999");
    free(ok);
    free(over);
    char max[400] = "max(0";
    for (int i = 1; i < 100; i++)
        snprintf(max + strlen(max), sizeof(max) - strlen(max), ", %d", i);
    strcat(max, ")");
    EXPR(max, "99");
    EXPR15(max, "99");
    DONE();
}
END_TEST

/* A name the env holds that is also a builtin's: v1.17's parser calls the
 * env's value (conf.Config IsOverridden), and both checkers read the env's
 * value for the name. Neither was so here: the builtin won. */
START_TEST(env_names_over_builtins)
{
#define SHADOW(env, src, want)   fd_test_expr_expect(FD_EXPR_MODE_EXPR, env, src, want)
#define SHADOW15(env, src, want) fd_test_expr_expect(V115(FD_EXPR_MODE_EXPR), env, src, want)
    SHADOW("{\"upper\": 1}", "upper('x')", "compile: int is not callable");
    SHADOW("{\"upper\": 1}", "upper", "1");
    SHADOW("{\"upper\": \"s\"}", "[upper]", "[\"s\"]");
    SHADOW("{\"len\": 1}", "len([1])", "compile: int is not callable");
    SHADOW("{\"map\": 1}", "map([1], # + 1)", "compile: unexpected token Operator(\"#\")");
    SHADOW15("{\"upper\": 1}", "upper('x')", "\"X\"");
    SHADOW15("{\"upper\": 1}", "upper", "1");
    SHADOW15("{\"map\": 1}", "map([1], # + 1)", "[2]");
    /* v1.15.5 knows a builtin's name as a member of $env: nil, Func's type */
    SHADOW15("{}", "$env.upper", "null");
    SHADOW15("{}", "$env['len']", "null");
    SHADOW15("{}", "$env.upper + 1",
             "compile: invalid operation: + (mismatched types func(...interface {}) "
             "(interface {}, error) and int)");
    SHADOW("{}", "$env.upper", "compile: unknown name upper");
#undef SHADOW
#undef SHADOW15
    DONE();
}
END_TEST

/* v1.15.5's parser reads a predicate as an expression, a ',' and a closure
 * (count's too), with no count of what is missing and no trailing ','; its
 * now() takes nothing (Types), and ignores what an unknown callee's
 * argument gives it, as its get recovers from any panic. */
START_TEST(v115_predicate_calls)
{
    EXPR15("map(a)", "compile: unexpected token Bracket(\")\")");
    EXPR15("a | map()", "compile: unexpected token Bracket(\")\")");
    EXPR15("count(a)", "compile: unexpected token Bracket(\")\")");
    EXPR15("map(a, #,)", "compile: unexpected token Operator(\",\")");
    EXPR15("reduce(a, #)", "3");
    EXPR15("now(1)", "compile: too many arguments to call now");
    EXPR15("m.f(get(1))", "run: reflect: call of reflect.Value.Call on zero Value");
    EXPR15("m.f(now(1))", "run: reflect: call of reflect.Value.Call on zero Value");
    DONE();
}
END_TEST

/* Argo's env functions among an unknown callee's arguments: the VM calls
 * the Go func with reflect (vm.go OpCall), which counts the arguments and
 * refuses a float64 parameter anything else; v1.17 makes a nil the
 * parameter's zero value. v1.15.5 reports as reflect does. */
START_TEST(argo_functions_unchecked)
{
#define ARGO_X(v, src, want) fd_test_expr_expect(v, "{\"result\": {\"x\": null}}", src, want)
    enum fd_expr_mode a17 = FD_EXPR_MODE_ARGO, a15 = V115(FD_EXPR_MODE_ARGO);
    ARGO_X(a17, "result.x(isInf())", "run: invalid number of arguments: expected 1, got 0");
    ARGO_X(a17, "result.x(default(1))", "run: invalid number of arguments: expected 2, got 1");
    ARGO_X(a17, "result.x(isInf(1))", "run: reflect: Call using int as type float64");
    ARGO_X(a17, "result.x(isInf(nil))", "run: invalid operation: cannot call nil");
    ARGO_X(a15, "result.x(isInf())", "run: reflect: Call with too few input arguments");
    ARGO_X(a15, "result.x(isInf(1.0, 2.0))", "run: reflect: Call with too many input arguments");
    ARGO_X(a15, "result.x(isInf(nil))", "run: reflect: Call using interface {} as type float64");
    ARGO_X(a15, "result.x(isNaN('x'))", "run: reflect: Call using string as type float64");
#undef ARGO_X
    /* v1.15.5 retypes the integer literals of an argument's + - * to the
     * parameter's int64 (traverseAndReplaceIntegerNodesWithIntegerNodes) */
    ARGO15("duration('90m').Truncate(duration('1h30m') + 10)",
           "run: invalid operation: time.Duration + int64");
    DONE();
}
END_TEST

/* A []uint8's items are uint8s wherever a builtin walks it by reflect
 * (concat, reverse, uniq, flatten, which also walks into one); groupBy
 * reads the item (Scope.Item, which a loop over a map cannot) after its
 * body and before it hashes the key. From the 300,000-case difftest,
 * seed 126. */
START_TEST(bytes_items_and_group_order)
{
    EXPR("concat(b'ab')?.[0] | join(',')", "run: invalid argument for join (type uint8)");
    EXPR("type(reverse(b'ab')[0])", "\"uint\"");
    EXPR("flatten([b'ab'])", "[97,98]");
    EXPR("type(flatten([b'ab'])[0])", "\"uint\"");
    /* checker.go: filter of a []uint8 is an array of uint8s (seed 127) */
    EXPR("filter(b'ab', # > 1)[0].v", "compile: type uint8 has no field v");
    EXPR("(b'ab' | filter(# > 1))[0] + 'a'",
         "compile: invalid operation: + (mismatched types uint8 and string)");
    EXPR("m.f(groupBy({c: false}, b'ab'))",
         "run: reflect: call of reflect.Value.Index on map Value");
    EXPR15("m.f(groupBy({c: 1}, int('x')))", "run: invalid operation: int(x)");
    DONE();
}
END_TEST

/* Go's unicode package, which a few hand-written ranges stood for: case
 * mappings of every script, the lexer's letters, digits and spaces, and
 * what %q and %#U call printable (util/unicode.c, by ICU). */
START_TEST(unicode_as_go)
{
    EXPR("upper('\u01c5')", "\"\u01c4\"");
    EXPR("lower('\u1e9e')", "\"\u00df\"");
    EXPR("upper('\u10d0')", "\"\u1c90\"");
    EXPR("trim('\u3000x\u2003')", "\"x\"");
    EXPR("a\xe2\x82\xac"
         "b",
         "compile: unrecognized character: U+20AC '\xe2\x82\xac'");
    EXPR("x\xc2\xad"
         "b",
         "compile: unrecognized character: U+00AD");
    EXPR("1\xc2\xa0+ 1", "2");
    EXPR15("1\xe2\x80\xa8+ 1", "2");
    EXPR("\xce\xb1\xce\xb2 + 1", "compile: unknown name \xce\xb1\xce\xb2");
    EXPR("x\xd9\xa3", "compile: unknown name x\xd9\xa3");
    KARGO("quote('\u061c')", "\"\\\"\\\\u061c\\\"\"");
    DONE();
}
END_TEST

/* fold.go runs where the checker never went: % of integer literals by
 * zero fails the compile among an unknown callee's arguments too (seed
 * 128, in a Kargo template). */
START_TEST(fold_where_unchecked)
{
    KARGO("nope(-5 % 0)", "compile: integer divide by zero");
    EXPR15("m.f(5 % 0)", "compile: integer divide by zero");
    EXPR("m.f(5 / 0)", "run: invalid operation: cannot call nil");
    /* (seed 134, v1.15.5: a groupBy map's member called is a compile
     * error there too; where no checker knew the map, the member is the
     * zero []interface {}, a nil slice, which get returns too) */
    EXPR15("groupBy([1, 2, 3], # ?? 0).Year()", "compile: []interface {} is not callable");
    EXPR15("[groupBy([1], #)][0].x()", "run: reflect: call of reflect.Value.Call on slice Value");
    EXPR("{a: groupBy([1], #)}.a.x()",
         "run: invalid operation: cannot call non-function of type []interface {}");
    EXPR15("type(get(groupBy([1], #), 'x'))", "\"array\"");
    EXPR("type(get(groupBy([1], #), 'x'))", "\"nil\"");
    /* (seed 137, v1.17.8: a let variable of no known type is called at run
     * time, OpCall on whatever it holds, once its value and the arguments
     * ran; one that is nil is the checker's error) */
    KARGO("let q = nope(1); q(2)", "run: invalid operation: cannot call nil");
    EXPR("let q = m.x; q(1)", "run: invalid operation: cannot call non-function of type int");
    EXPR15("let q = m.x; q(1)", "run: reflect: call of reflect.Value.Call on int Value");
    EXPR("let q = nil; q()", "compile: q is nil; cannot call nil as function");
    EXPR15("let q = n; q()", "compile: q is nil; cannot call nil as function");
    EXPR("let q = 1; q()", "compile: int is not callable");
    /* (seed 136, v1.15.5: groupBy of nothing is a nil map, which
     * encoding/json refuses by its type before it looks at the nil) */
    EXPR15("toJSON(groupBy(e, #))", "run: json: unsupported type: map[interface {}][]interface {}");
    EXPR15("groupBy(e, #) == nil", "true");
    /* (seed 131, v1.15.5: mean's Func counts its arguments before it
     * looks at the first) */
    EXPR15("[1][0].After(mean([1, 2, 3], n))",
           "run: invalid number of arguments (expected 1, got 2)");
    EXPR15("[1][0].After(median())", "run: invalid number of arguments (expected 1, got 0)");
    EXPR15("[1][0].After(mean(n))", "run: cannot mean invalid");
    /* (seed 132, v1.17.8: get of a *time.Location's unexported field, or
     * by a key that is no string, panics as it does for a time.Time) */
    KARGO("nope(get(timezone('UTC'), n))",
          "run: interface conversion: interface {} is nil, not string");
    KARGO("nope(get(timezone('America/New_York'), 'zone'))",
          "run: reflect.Value.Interface: cannot return value obtained from unexported field or "
          "method");
    KARGO("nope(get(timezone('UTC'), 'Name'))", "run: invalid operation: cannot call nil");
    /* (seed 129, v1.15.5: a *time.Location's unknown method) */
    EXPR15("date('2024-03-10T12:00:00+02:00').Location().Year()",
           "compile: type time.Location has no method Year");
    DONE();
}
END_TEST

/* strconv.ParseFloat takes "_" between digits (underscoreOK), as float(),
 * Argo's asFloat and a Kargo template's typing do; v1.15.5's parser read
 * only a lower-case 0x as hex. Found by probing number texts (1,335 and
 * 2,349 cases), not by the generator. */
START_TEST(go_number_texts)
{
#define Z50 "00000000000000000000000000000000000000000000000000"
    EXPR("float('1_000')", "1000.0");
    EXPR("float('1e1_0') == 1e10", "true");
    EXPR("float('0x_1p4')", "16.0");
    EXPR("float('1__0')", "run: invalid operation: float(1__0)");
    EXPR("float('_1')", "run: invalid operation: float(_1)");
    EXPR("float('0x1_p4')", "run: invalid operation: float(0x1_p4)");
    ARGO("asFloat('1_000') == 1000", "true");
    ARGO("asFloat('1_') == 1", "run: strconv.ParseFloat: parsing \"1_\": invalid syntax");
    KARGO_T("${{ '1_000' }}", "1000.0");
    KARGO_T("${{ '1_' }}", "\"1_\"");
    EXPR("0X1F", "31");
    EXPR15("0X1F",
           "compile: invalid integer literal: strconv.ParseInt: parsing \"0X1F\": invalid syntax");
    EXPR15("0X1E",
           "compile: invalid float literal: strconv.ParseFloat: parsing \"0X1E\": invalid syntax");
    EXPR15("0o1_7",
           "compile: invalid integer literal: strconv.ParseInt: parsing \"0o17\": invalid syntax");
    EXPR15("0x1F", "31");
    /* (the same probes, strings: v1.15.5's repeat is strings.Repeat's panic) */
    EXPR15("repeat('ab', -1)", "run: strings: negative Repeat count");
    EXPR("repeat('ab', -1)",
         "run: invalid argument for repeat (expected positive integer, got -1)");
    /* a literal of any length, as Go reads it */
    EXPR("0.00000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "00000000000000000000000000000000000000000000000000000000000000000000000000000000001"
         " > 0",
         "true");
    EXPR("1" Z50 Z50 Z50 "0",
         "compile: invalid integer literal: strconv.ParseInt: parsing \"1" Z50 Z50 Z50
         "0\": value out of range");
#undef Z50
    DONE();
}
END_TEST

/* asYAML's strings as yaml.v3's emitter writes them (analyze_scalar,
 * select_scalar_style, the writers): a tab allows a literal block, a space
 * before a break forbids it, U+2028 is a break, a rune past U+FFFF or a
 * BOM is no printable one, a key that spans lines is a complex one; and
 * the emitter's indentation (increase_indent) and keyList.Less by runes.
 * Found by probing with nested values of odd strings (7,700 cases). */
START_TEST(yaml_v3_emitter)
{
    KARGO("asYAML('\\n\\t')", "\"\\\"|4-\\n\\n    \\t\\n\\\"\"");
    KARGO("asYAML('a\\u2028b')", "\"\\\"'a\\u2028    b'\\n\\\"\"");
    KARGO("asYAML('\\ufeffab')", "\"\\\"\\\"\\\\uFEFF\\\\x61\\\\x62\\\"\\n\\\"\"");
    KARGO("asYAML('a \\nb')", "\"\\\"\\\"a \\\\nb\\\"\\n\\\"\"");
    KARGO("asYAML('a\\n\\n')", "\"\\\"|+\\n    a\\n\\n\\\"\"");
    KARGO("asYAML('\\U0001F600')", "\"\\\"\\\"\\\\U0001F600\\\"\\n\\\"\"");
    KARGO("asYAML('a\\u0085b')", "\"\\\"\\\"a\\\\Nb\\\"\\n\\\"\"");
    KARGO("asYAML(fromPairs([['a\\nb', {x: 1}]]))",
          "\"\\\"? |-\\n    a\\n    b\\n:   x: 1\\n\\\"\"");
    KARGO("asYAML([[{a: {b: 1}}]])", "\"\\\"- - a:\\n        b: 1\\n\\\"\"");
    KARGO("asYAML({'\\ufeffz': 1, 'a': 2, 'x10': 3, 'x9': 4})",
          "\"\\\"\\\"\\\\uFEFF\\\\x7A\\\": 1\\na: 2\\nx9: 4\\nx10: 3\\n\\\"\"");
    /* text that is no UTF-8 is !!binary base64, in lines of 70 once it is that long */
    KARGO("asYAML({k: fromBase64('YWL/')})", "\"\\\"k: !!binary YWL/\\n\\\"\"");
    DONE();
}
END_TEST

/* Go's Location.lookup and Date(): past a location's last listed
 * transition the TZif footer's POSIX TZ rule (tzset), which freightdeck
 * ignored (every DST date after 2037 was off by the DST offset: 463 of
 * 3,000 probes); a wall clock in a spring-forward gap resolved as Date()
 * resolves it (02:30 in New York is 01:30 EST, freightdeck said 03:30 EDT).
 * 7,000 probes of zones, years to 2300 and transition days agree. */
START_TEST(zoneinfo_as_go)
{
    EXPR("string(date('2024-03-10 02:30', '2006-01-02 15:04', 'America/New_York'))",
         "\"2024-03-10 01:30:00 -0500 EST\"");
    EXPR("string(date('2040-05-10 12:00', '2006-01-02 15:04', 'Europe/Dublin'))",
         "\"2040-05-10 12:00:00 +0100 IST\"");
    EXPR("date('2059-07-19T11:59:00Z').In(timezone('Antarctica/Troll')).Format('15:04 MST')",
         "\"13:59 +02\"");
    EXPR("string(date('2099-08-27 21:59', '2006-01-02 15:04', 'America/Santiago'))",
         "\"2099-08-27 21:59:00 -0400 -04\"");
    EXPR("string(date('2050-11-06 01:30', '2006-01-02 15:04', 'America/New_York'))",
         "\"2050-11-06 01:30:00 -0400 EDT\"");
    EXPR("string(date('2045-04-02 02:30', '2006-01-02 15:04', 'Australia/Sydney'))",
         "\"2045-04-02 02:30:00 +1000 AEST\"");
    DONE();
}
END_TEST

/* Time arithmetic in a zone whose offset changes: Add, + and Round keep
 * the Location and take the offset in force at the result (freightdeck
 * kept the first offset: 02:59:59 -05:00 for 03:59:59 EDT), AddDate
 * resolves its wall clock as Date() does; Sub and - saturate at the
 * Duration range; a year before 1 prints as appendInt does ("-0009", "09")
 * and marshals to JSON as an error. 3,000 probes of time and duration
 * methods agree. */
START_TEST(time_arithmetic_as_go)
{
    EXPR("date('2024-03-10T01:59:59', '2006-01-02T15:04:05', "
         "'America/New_York').Add(duration('1h'))",
         "{\"$time\":\"2024-03-10T03:59:59-04:00\"}");
    EXPR("date('2024-03-10T01:59:59', '2006-01-02T15:04:05', 'America/New_York') + duration('1h')",
         "{\"$time\":\"2024-03-10T03:59:59-04:00\"}");
    EXPR(
        "date('2024-03-10T01:59:59', '2006-01-02T15:04:05', 'America/New_York').AddDate(-1, 0, 16)",
        "{\"$time\":\"2023-03-26T01:59:59-04:00\"}");
    EXPR("date('2024-11-03T01:30:00', '2006-01-02T15:04:05', "
         "'America/New_York').Round(duration('1h'))",
         "{\"$time\":\"2024-11-03T01:00:00-05:00\"}");
    EXPR("date('0001-01-01T00:00:00Z') - date('2262-04-11T23:47:16Z')",
         "{\"$duration\":-9223372036854775808}");
    EXPR("date('2262-04-11T23:47:16Z').Sub(date('1677-09-21T00:12:43Z'))",
         "{\"$duration\":9223372036854775807}");
    EXPR("date('0001-01-01T00:00:00Z').AddDate(-10, 0, 0).Format('2006-01-02 06')",
         "\"-0009-01-01 09\"");
    EXPR("string(date('0001-01-01T00:00:00Z').AddDate(-10, 0, 0))",
         "\"-0009-01-01 00:00:00 +0000 UTC\"");
    EXPR("toJSON(date('0001-01-01T00:00:00Z').AddDate(-10, 0, 0))",
         "run: json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside "
         "of range [0,9999]");
    DONE();
}
END_TEST

/* json_templates.go evaluateTemplate takes an empty body for the end of
 * the expressions: the text before it, then the rest of the template as
 * it is (freightdeck failed to compile the empty body). */
START_TEST(kargo_empty_template_body)
{
    KARGO_T("${{}}", "\"\"");
    KARGO_T("a${{}}b${{ 1 }}c", "\"ab${{ 1 }}c\"");
    KARGO_T("${{ 1 }}${%%}", "1.0");
    DONE();
}
END_TEST

/* sort and sortBy call Go's sort.Sort (pdqsort), which is not stable past
 * 12 items and meets a mixed pair in its own order: freightdeck sorted
 * stably by merging, and named the pair the other way round. */
START_TEST(go_sort_order)
{
    EXPR("sortBy(0..19, # % 3)", "[9,18,15,3,12,0,6,10,7,4,13,16,1,19,8,5,11,14,2,17]");
    EXPR("sortBy(0..19, # % 3, 'desc')", "[8,17,2,14,11,5,10,16,19,1,7,4,13,12,3,15,0,9,18,6]");
    EXPR("map(sortBy(map(0..29, ({k: # % 4, id: #})), .k), .id)",
         "[8,16,0,28,4,12,20,24,9,25,21,1,5,13,29,17,14,6,18,2,26,10,22,11,7,23,15,27,3,19]");
    EXPR("sort(map(0..15, # % 2 == 0 ? 1 : 1.0))",
         "[1,1.0,1,1.0,1,1.0,1,1.0,1,1.0,1,1.0,1,1.0,1,1.0]");
    EXPR("sortBy([1, 'a'], #)", "run: invalid operation: string < int");
    EXPR("sortBy([1, 'a'], #, 'desc')", "run: invalid operation: int < string");
    EXPR("sort([1, 'a'])", "run: invalid operation: string < int");
    EXPR("sortBy(concat(0..60, ['a']), #)", "run: invalid operation: string < int");
    EXPR("sortBy(0..60, # % 5 < 2)", "run: invalid operation: bool < bool");
    /* v1.15.5's Sortable, through the same sort.Sort */
    EXPR15("map(sortBy(map(0..29, ({k: # % 4, id: #})), 'k'), .id)",
           "[8,16,0,28,4,12,20,24,9,25,21,1,5,13,29,17,14,6,18,2,26,10,22,11,7,23,15,27,3,19]");
    EXPR15("map(sortBy(map(0..29, ({k: # % 4, id: #})), 'k', 'desc'), .id)",
           "[7,27,23,3,19,15,11,14,2,26,10,6,22,18,9,21,29,17,13,1,5,25,8,12,24,20,0,4,28,16]");
    DONE();
}
END_TEST

/* v1.17's sortBy keeps a *runtime.SortBy in its scope's Acc (vm.go
 * OpCreate 2, OpSortBy): where the checker does not look (the arguments of
 * an unknown callee), #acc reads it, and v1.17 dereferences it as an
 * operand or a builtin's argument. */
START_TEST(sortby_acc)
{
    EXPR("m.x(sortBy([2, 1], {#acc + #}))", "run: invalid operation: runtime.SortBy + int");
    EXPR("m.x(sortBy([2, 1], {#acc}))",
         "run: invalid operation: *runtime.SortBy < *runtime.SortBy");
    EXPR("m.x(int(string(sortBy([3, 1, 2], {len(#acc.Array)}, 'desc'))))",
         "run: invalid operation: int([2 1 3])");
    EXPR("m.x(sortBy([5], {int(string(#acc))}))", "run: invalid operation: int({false [] []})");
    EXPR("m.x(sortBy([5, 6], {#index == 0 ? 0 : int(string(#acc.Values))}))",
         "run: invalid operation: int([0])");
    EXPR("m.x(sortBy([5], {int(toJSON(#acc))}))", "run: invalid operation: int({\n  \"Desc\": "
                                                  "false,\n  \"Array\": [],\n  \"Values\": []\n})");
    EXPR("m.x(sortBy([5], {len(#acc)}))", "run: invalid argument for len (type runtime.SortBy)");
    EXPR("m.x(sortBy([5], {keys(#acc)}))", "run: cannot get keys from struct");
    EXPR("m.x(sortBy([5], {#acc.Foo}))", "run: cannot fetch Foo from *runtime.SortBy");
    EXPR("m.x(sortBy([5], {int(string(#acc in [#acc]))}))", "run: invalid operation: int(false)");
    EXPR("m.x(sortBy([5], {int(type(#acc))}))",
         "run: invalid operation: int(github.com/expr-lang/expr/vm/runtime.SortBy)");
    DONE();
}
END_TEST

/* Go's own int types: runtime.MakeRange makes a []int (and a slice of it
 * stays one), time's Unix* and Duration's Milliseconds... and Argo's asInt
 * return int64; Argo names them ("expected bool, but got []int"),
 * arithmetic gives an int again (runtime.Add), and reflect.DeepEqual tells
 * them apart (v1.15.5's == of arrays, and of maps in both). */
START_TEST(go_int_types)
{
    ARGO_WEB("1..3", "run: expected bool, but got []int");
    ARGO_WEB15("1..3", "run: expected bool, but got []int");
    ARGO_WEB("(1..3)[1:]", "run: expected bool, but got []int");
    ARGO_WEB("take(1..3, 2)", "run: expected bool, but got []int");
    ARGO_WEB("map(1..2, #)", "run: expected bool, but got []interface {}");
    ARGO_WEB("date('2024-03-10T12:00:00+02:00').Unix()", "run: expected bool, but got int64");
    ARGO_WEB15("date('2024-03-10T12:00:00+02:00').Unix()", "run: expected bool, but got int64");
    ARGO_WEB("-duration('1s').Milliseconds()", "run: expected bool, but got int64");
    ARGO_WEB("date('2024-03-10T12:00:00+02:00').Unix() + 1", "run: expected bool, but got int");
    ARGO_WEB("asInt(1)", "run: expected bool, but got int64");
    KARGO("if date('2024-03-10T12:00:00+02:00').Unix() { 1 } else { 2 }",
          "compile: non-bool expression (type int64) used as condition");
    KARGO("duration('1s').Nanoseconds()[1:]", "compile: cannot slice int64");
    EXPR("1..3 == [1, 2, 3]", "true");
    EXPR15("1..3 == [1, 2, 3]", "false");
    EXPR("{'a': 1..2} == {'a': [1, 2]}", "false");
    EXPR("date('2024-03-10T12:00:00+02:00').Unix() == 1710064800", "true");
    EXPR15("[date('2024-03-10T12:00:00+02:00').Unix()] == [1710064800]", "false");
    DONE();
}
END_TEST

/* checker.go callNode: a callee of unknown type (a name Kargo's env does not
 * have, a method of an unknown or of an interface {}) returns Nature{}
 * before the arguments are visited: nothing in them is judged at compile
 * time, and the VM runs them (compiler.go compiles the arguments before the
 * callee) before it refuses the call. */
START_TEST(unchecked_arguments)
{
    KARGO("isNaN(mean(if em { 1 } else { 2 }))",
          "run: interface conversion: interface {} is map[string]interface {}, not bool");
    KARGO("isNil(0b101 in (0x1F ? m : 0x1F))",
          "run: interface conversion: interface {} is int, not bool");
    KARGO("asFloat(let len = 1; len + 1)", "run: invalid operation: cannot call nil");
    KARGO("isNil(1 + true)", "run: invalid operation: int + bool");
    KARGO("isNil(upper(1))", "run: interface conversion: interface {} is int, not string");
    KARGO("isNil(sum(a, {nil}))", "run: invalid operation: <nil> + int");
    KARGO("i.foo(1 + true)", "run: invalid operation: int + bool");
    EXPR("m.x.foo(1 + true)", "run: invalid operation: int + bool");
    EXPR15("m.x.foo(1 + true)", "run: invalid operation: int + bool");
    EXPR("m.x.foo(2)", "run: cannot fetch foo from int");
    DONE();
}
END_TEST

/* vm.go OpBegin takes reflect's Len of the collection, which a map has: the
 * loop runs once per key, and fails (reflect's Index) only where an item is
 * read, at the # that reads it or at the builtin that keeps it; runtime.In
 * refuses a string right of `in` that checker.go let through. */
START_TEST(loops_over_maps)
{
    KARGO("map(m, 1)", "[1]");
    KARGO("map(m, #index)", "[0]");
    KARGO("count(m, true)", "1");
    KARGO("reduce(m, #acc, 0)", "0");
    KARGO("findIndex(m, true)", "0");
    KARGO("filter(m, false)", "[]");
    KARGO("map(m, # * 2)", "run: reflect: call of reflect.Value.Index on map Value");
    KARGO("filter(m, true)", "run: reflect: call of reflect.Value.Index on map Value");
    KARGO("find(m, true)", "run: reflect: call of reflect.Value.Index on map Value");
    KARGO("reduce(m, 1)", "run: reflect: call of reflect.Value.Index on map Value");
    KARGO("map(em, # * 2)", "[]");
    KARGO("t in 'Foo'", "run: operator \"in\" not defined on string");
    EXPR("1 in 'Foo'", "compile: invalid operation: in (mismatched types int and string)");
    DONE();
}
END_TEST

/* v1.17's lexer runs as the parser asks for tokens (lexer.go Next): a bad
 * token fails once the parser moves onto it, after a syntax error before
 * it; a number after '.' takes a second '.' (dot, scanNumber); a bad
 * literal is reported at the token after it (parser.go moved on first). */
START_TEST(lexing_on_demand)
{
    KARGO("1 in let y = 2; y + 1.a.b", "compile: unexpected token Operator(\"let\")");
    KARGO("1 + 2 3.a", "compile: bad number syntax: \"3.a\"");
    KARGO("[-0.0, -9223372036854775807.x]",
          "compile: bad number syntax: \"9223372036854775807.x\"");
    KARGO(".5.name", "compile: bad number syntax: \".5.n\"");
    KARGO(".5.2", "compile: invalid float literal: strconv.ParseFloat: parsing \".5.2\": invalid "
                  "syntax");
    KARGO("1e999 + 1", "compile: invalid float literal: strconv.ParseFloat: parsing \"1e999\": "
                       "value out of range");
    EXPR15("0b1E + 1", "compile: invalid float literal: strconv.ParseFloat: parsing \"0b1E\": "
                       "invalid syntax");
    EXPR15("0b2", "compile: bad number syntax: \"0b2\"");
    DONE();
}
END_TEST

/* Messages as Go prints them: fmt's %s of a nil reflect.Type, a
 * *time.Location after Nature.Deref, sum's Go type when its predicate has
 * no output (checker.go builtinNode falls through to checkFunction), and
 * v1.15.5's ClosureNode refusing a body of no type. */
START_TEST(go_messages)
{
    KARGO("n | join(',')", "run: invalid argument for join (type %!s(<nil>))");
    KARGO("join(1..3)", "run: invalid argument for join (type []int)");
    KARGO("timezone('UTC') | map(# * 2)",
          "compile: builtin map takes only array (got time.Location)");
    KARGO("sum(a, {nil})", "compile: cannot use func(interface {}) as argument (type "
                           "func(interface {}) bool) to call sum ");
    ARGO("sum(result, {nil})",
         "compile: cannot use []float64 as argument (type []interface {}) to call sum ");
    ARGO_WEB15("none([1, 2, 3], {findLast([true, false], nil)})", "compile: closure cannot be nil");
    DONE();
}
END_TEST

/* vm.go walks a string with reflect's Len and Index: its items are bytes,
 * uint8s (named so, "uint" to type(), wrapping when negated), as an index of
 * a string is; checker.go lets a duration be compared with an unknown
 * (MaybeCompatible), and runtime.Less names both types. */
START_TEST(bytes_and_durations)
{
    KARGO("map(s, #)", "[97,98,99]");
    KARGO("map(t, type(#))", "[\"uint\",\"uint\",\"uint\"]");
    KARGO("sum(s)", "294");
    KARGO("any(s, {.name + 100})", "run: cannot fetch name from uint8");
    KARGO("-s[1]", "158");
    KARGO("type(s[1])", "\"uint\"");
    KARGO("duration('1h') < n", "run: invalid operation: time.Duration < <nil>");
    KARGO("e <= duration('1h')", "run: invalid operation: []interface {} <= time.Duration");
    KARGO("duration('1h') < 5",
          "compile: invalid operation: < (mismatched types time.Duration and int)");
    DONE();
}
END_TEST

/* split and splitAfter return a Go []string (strings.Split, SplitN; a nil
 * one for n = 0), named so, told apart by reflect.DeepEqual and taken by
 * join's and sort's []string overloads; v1.17's filter gives a
 * []interface {} (Nature.MakeArrayOf), v1.15.5's the collection's type. */
START_TEST(string_slices)
{
    ARGO_WEB("split('a,b', ',')", "run: expected bool, but got []string");
    ARGO_WEB("split('a,b', ',')[1:]", "run: expected bool, but got []string");
    ARGO_WEB15("split('a,b', ',')", "run: expected bool, but got []string");
    KARGO("find(sa, t | split(',')) contains 1",
          "compile: predicate should return boolean (got []string)");
    KARGO("split('a', '', 0) == nil", "true");
    KARGO("split('a,b', ',') == ['a', 'b']", "true");
    KARGO("{a: split('a,b', ',')} == {a: ['a', 'b']}", "false");
    KARGO("join(split('a,b', ','), '-')", "\"a-b\"");
    ARGO("filter(result, # > 0) + 1",
         "compile: invalid operation: + (mismatched types []interface {} and int)");
    fd_test_expr_expect(V115(FD_EXPR_MODE_ARGO), "{\"result\": [0.05]}",
                        "filter(result, # > 0) + 1",
                        "compile: invalid operation: + (mismatched types []float64 and int)");
    DONE();
}
END_TEST

/* The generated runtime (vm/runtime/helpers[generated].go) knows a
 * time.Duration in Multiply, and in Add and Subtract with a duration or a
 * time only; Negate knows none. v1.15.5's checker takes Duration, Month
 * and Weekday for numbers by their reflect.Kind, so these fail at run time
 * there, and its Int has no case for them. */
START_TEST(duration_arithmetic)
{
    KARGO("(b ? duration('3s') : 1) + 1", "run: invalid operation: time.Duration + int");
    KARGO("1.5 - (b ? duration('3s') : 1)", "run: invalid operation: float64 - time.Duration");
    KARGO("(b ? duration('3s') : 1) / 1", "run: invalid operation: time.Duration / int");
    KARGO("(b ? duration('3s') : 1) % 1", "run: invalid operation: time.Duration % int");
    KARGO("(b ? duration('3s') : 1) * 2", "{\"$duration\":6000000000}");
    KARGO("-(b ? duration('3s') : 1)", "run: invalid operation: - time.Duration");
    KARGO("(b ? date('2024-01-01') : 1) + duration('1h')", "{\"$time\":\"2024-01-01T01:00:00Z\"}");
    EXPR("-duration('1s')", "compile: invalid operation: - (mismatched type time.Duration)");
    EXPR15("+duration('-1.5s')", "{\"$duration\":-1500000000}");
    EXPR15("-duration('1s')", "run: invalid operation: - time.Duration");
    EXPR15("duration('1s') + 1", "run: invalid operation: time.Duration + int");
    EXPR15("date('2023-12-31T23:59:59Z').Month() + 1", "run: invalid operation: time.Month + int");
    EXPR15("int(duration('-1.5s'))", "run: invalid operation: int(time.Duration)");
    EXPR("int(duration('-1.5s'))", "-1500000000");
    DONE();
}
END_TEST

/* v1.15.5 specifics: max and min keep each argument as it is (builtin/
 * func.go Max: runtime.Less), date has three Go signatures, sum's and
 * sortBy's arity is their Validate's (after their arguments), predicates
 * may go without braces but there is no ';', and a token with an empty
 * value is named by its kind (token.go String, in both versions). */
START_TEST(v115_builtins)
{
    fd_test_expr_expect(V115(FD_EXPR_MODE_EXPR), "{\"a\": [1, 2]}", "max(false ? 0.5 : a)",
                        "[1,2]");
    EXPR15("max(duration('-1.5s'), 1)", "run: invalid operation: time.Duration < int");
    EXPR15("max(1, 2.5, 2)", "2.5");
    ARGO_WEB15("date(1e3)", "compile: not enough arguments to call date");
    ARGO_WEB15("sum(e, trimSuffix(false))", "compile: unknown name e");
    EXPR15("sum()", "compile: invalid number of arguments (expected 1, got 0)");
    EXPR15("sortBy(a)", "compile: invalid number of arguments (expected 2 or 3, got 1)");
    EXPR15("findIndex(a, 1..3; {})", "compile: unexpected token Operator(\";\")");
    EXPR("findIndex(a, 1..3; {})", "compile: wrap predicate with brackets { and }");
    EXPR15("1 ''", "compile: unexpected token String");
    EXPR("1 ''", "compile: unexpected token String");
    DONE();
}
END_TEST

/* checker.go checkArguments makes the integer literals of an argument for
 * a float64 parameter floats (through unary operators and + - *); any
 * other int reaches the Go function as it is and fails its assertion. */
START_TEST(float_parameters)
{
    ARGO_WEB("isNaN(1 + 1)", "false");
    ARGO_WEB("isNaN(len('a') + 1)", "false");
    ARGO_WEB("isNaN(len('a'))", "run: interface conversion: interface {} is int, not float64");
    ARGO_WEB("isNaN(-len('a'))", "run: interface conversion: interface {} is int, not float64");
    ARGO_WEB("isNaN(asInt(1))", "run: interface conversion: interface {} is int64, not float64");
    ARGO_WEB15("isInf(date('2023-12-31T23:59:59Z').Weekday())",
               "run: interface conversion: interface {} is time.Weekday, not float64");
    ARGO_WEB("isInf(date('2023-12-31T23:59:59Z').Weekday())",
             "compile: cannot use time.Weekday as argument (type float64) to call isInf ");
    DONE();
}
END_TEST

/* A time.Time as a map key compares its Location's pointer: time.UTC and
 * time.Local are shared, each LoadLocation and FixedZone makes a new one
 * (but unnamed whole hours from -12 to +14 come from a cache,
 * time/zoneinfo.go FixedZone); builtin.go sort names a bad order by %T. */
START_TEST(time_keys)
{
    EXPR("groupBy([1, 2], {date('2024-01-02 03:04', '2006-01-02 15:04', 'Europe/Berlin')})",
         "{\"$map\":[[{\"$time\":\"2024-01-02T03:04:00+01:00\"},[1]],[{\"$time\":\"2024-01-"
         "02T03:04:00+01:00\"},[2]]]}");
    EXPR("groupBy([1, 2], {date('2024-03-10T12:00:00+02:00')})",
         "{\"$map\":[[{\"$time\":\"2024-03-10T12:00:00+02:00\"},[1,2]]]}");
    EXPR("groupBy([1, 2], {date('2024-01-02')})",
         "{\"$map\":[[{\"$time\":\"2024-01-02T00:00:00Z\"},[1,2]]]}");
    EXPR("len(groupBy([1, 2], {timezone('UTC')}))", "1");
    EXPR("len(groupBy([1, 2], {timezone('Europe/Berlin')}))", "2");
    EXPR("let z = timezone('Asia/Tokyo'); len(groupBy([1, 2], {date('2024-01-02').In(z)}))", "1");
    KARGO("sort(a, nil)", "compile: too many arguments to call sort");
    KARGO("sort(a, m)", "run: sort order argument must be a string (got map[string]interface {})");
    DONE();
}
END_TEST

/* vm.go OpRange: max - min + 1 as a Go int (wrapping), an empty range
 * when not positive, else memGrow against the VM's memory budget (1e6,
 * counted over the run);
 * the aggregates take a []byte's bytes; fromPairs names a bad argument
 * by fmt's %s of a reflect.Value. */
START_TEST(ranges_and_aggregates)
{
    EXPR("len((-9223372036854775807 * 1)..3)", "0");
    EXPR("len(1..999999)", "999999");
    EXPR("len(1..1000000)", "run: memory budget exceeded");
    EXPR("len(1..500000) + len(1..500000)", "run: memory budget exceeded");
    /* v1.15.5's optimizer makes a range of two literals up to 1e6 items a
     * constant (optimizer/const_range.go), which the budget never sees */
    EXPR15("len(1..1000000)", "1000000");
    EXPR15("len(0..1000000)", "run: memory budget exceeded");
    KARGO("median(b'\\x00\\xff')", "127.5");
    KARGO("min(b'ab')", "97");
    KARGO("fromPairs(i)", "run: cannot transform %!s(int=3) from pairs");
    KARGO("fromPairs(n)", "run: cannot transform <invalid reflect.Value> from pairs");
    DONE();
}
END_TEST

/* optimizer/fold.go folds arithmetic, ! and == of two ints or two
 * strings, but no other comparison: `x and 0 >= 1` keeps x, which fails
 * at run time (Argo: the measurement is an Error, not Failed); a
 * *time.Location is not comparable to a time.Time (Nature.ComparableTo). */
START_TEST(folding_as_upstream)
{
    KARGO("t and 0 >= 1_000", "run: interface conversion: interface {} is string, not bool");
    KARGO("t or 1 != 2", "run: interface conversion: interface {} is string, not bool");
    KARGO("t and !(1 > 2)", "run: interface conversion: interface {} is string, not bool");
    KARGO("t and 1 == 2", "false");
    KARGO("t and !true", "false");
    ARGO("asInt(result) != 1 and 0 >= 1_000", "run: asInt() not supported on []float64 [0.05]");
    EXPR("timezone('America/New_York') == date('2024-02-29')",
         "compile: invalid operation: == (mismatched types time.Location and time.Time)");
    DONE();
}
END_TEST

/* fromPairs makes a map[interface {}]interface {} (builtin.go: reflect.MakeMap
 * of mapType) in both versions: keys of any hashable type, its own Go type
 * in messages, no JSON; fmt's %s of its argument when it is no slice. */
START_TEST(any_key_maps)
{
    EXPR("fromPairs([[1, \"a\"]])[1]", "\"a\"");
    EXPR("toJSON(fromPairs([[\"a\", 1]]))",
         "run: json: unsupported type: map[interface {}]interface {}");
    EXPR("keys(fromPairs([[1, 1]]))", "[1]");
    EXPR("fromPairs([[\"a\", 1]]) == {a: 1}",
         "compile: invalid operation: == (mismatched types map[interface {}]interface {} and "
         "map[string]interface {})");
    EXPR("1 in fromPairs([[1, 1]])", "true");
    EXPR("fromPairs([[[1], 1]])", "run: runtime error: hash of unhashable type []interface {}");
    EXPR("get(fromPairs([[1, 2]]), 1)", "2");
    EXPR("fromPairs([[nil, 1]])", "{\"$map\":[[null,1]]}");
    KARGO("fromPairs(m)", "run: cannot transform map[x:%!s(int=1)] from pairs");
    EXPR15("fromPairs([[1, \"a\"]])[1]", "\"a\"");
    EXPR("fromPairs(b'ab')", "run: invalid pair 97");
    EXPR("len(fromPairs(b''))", "0");
    KARGO("groupBy([[1, 2], [3]], {3}).Year()", "compile: []interface {} is not callable");
    KARGO_T("x-${{ groupBy(e, {.name > \"x\"}).x[:2] }}", "\"x-null\"");
    DONE();
}
END_TEST

/* fromJSON is Go's json.Unmarshal (src/expr/gojson.c): the scanner's
 * messages, U+FFFD for a lone surrogate, a later key winning, an
 * UnmarshalTypeError for a number out of range, no special keys. */
START_TEST(go_json)
{
    EXPR("fromJSON('[1 2]')", "run: invalid character '2' after array element");
    EXPR("fromJSON('tru')", "run: invalid character ' ' in literal true (expecting 'e')");
    EXPR("fromJSON('{\"a\" 1}')", "run: invalid character '1' after object key");
    EXPR("fromJSON('\"\\\\ud800x\"')", "\"�x\"");
    EXPR("fromJSON('1e400')",
         "run: json: cannot unmarshal number 1e400 into Go value of type float64");
    EXPR("fromJSON('{\"a\": 1, \"a\": 2}')", "{\"a\":2.0}");
    EXPR("fromJSON('{\"$float\": \"NaN\"}')", "{\"$float\":\"NaN\"}");
    EXPR("fromJSON(' ')", "run: unexpected end of JSON input");
    EXPR("fromJSON(repeat(\"[\", 10001))", "run: invalid character '[' exceeded max depth");
    EXPR("len(fromJSON(repeat(\"[\", 10000) + repeat(\"]\", 10000)))", "1");
    DONE();
}
END_TEST

/* Argo's functions are values in its env map (utils/evaluate): $env holds
 * them, a function is not nil, and encoding/json refuses it by its type. */
START_TEST(argo_env_functions)
{
    ARGO("len($env) == 7", "true");
    ARGO("\"asInt\" in $env", "true");
    ARGO("isNil != nil", "true");
    ARGO("toJSON([isNil]) != \"\"", "run: json: unsupported type: func(interface {}) bool");
    ARGO("toJSON($env) != \"\"", "run: json: unsupported type: func(interface {}) float64");
    ARGO("$env.isNaN(1.0)", "false");
    EXPR("$env.i()", "compile: int is not callable");
    EXPR("$env.zz()", "compile: unknown name zz");
    ARGO("findLast([1, 2], # > 1) && $env[i] | type()",
         "compile: invalid operation: && (mismatched types int and unknown)");
    DONE();
}
END_TEST

/* expr's optimizer rewrites what runs (src/expr/optimize.c): filter()[0] and
 * first(filter()) stop at the first match (both versions), a count compared
 * with a constant stops once decided, all() && all() run as one loop, and
 * sum([a, b]) is a + b (v1.17). */
START_TEST(optimizer_rewrites)
{
    EXPR("filter([1, \"a\"], # > 0)[0]", "1");
    EXPR("first(filter([1, \"a\"], # > 0))", "1");
    EXPR("filter([\"a\", 1], # > 0)[-1]", "1");
    EXPR("filter(a, # > 5)[0]", "run: reflect: slice index out of range");
    EXPR("count([1, 2, \"a\"], # > 0) >= 2", "true");
    EXPR("count([1, \"a\"], # > 0) > 0", "true");
    EXPR("len(filter([1, \"a\"], # > 0)) > 0", "true");
    EXPR("count([1, 2, \"a\"], # > 0) < 2", "false");
    EXPR("all([1, -1], # > 0) && all([1, -1], #.x == 1)", "compile: type int has no field x");
    EXPR("sum([1, 2.5, nil])", "run: invalid operation: float64 + <nil>");
    EXPR("sum([[1, 2], [3]])", "run: invalid operation: []interface {} + []interface {}");
    EXPR("sum([\"a\", \"b\"])", "run: invalid operation: string + int");
    EXPR15("filter([1, \"a\"], # > 0)[0]", "1");
    EXPR15("count([1, \"a\"], # > 0) > 0", "run: invalid operation: string > int");
    KARGO("reduce(a, {i}, 1.5) | map(# * 2) | sum()",
          "run: reflect: call of reflect.Value.Len on int Value");
    EXPR("filter(filter([1, 2, \"a\"], # != 2), # > 0)", "run: invalid operation: string > int");
    KARGO("sum(sortBy([true, false], s) | sum())",
          "compile: builtin sum takes only array (got bool)");
    KARGO("timezone(\"UTC\") in [1, 2, 3][i:]",
          "compile: cannot use time.Location as type int in array");
    KARGO("1..3 in reduce([true, false], 1..3)",
          "compile: cannot use []interface {} as type int in array");
    DONE();
}
END_TEST

/* findLast and findLastIndex leave their loop's conditions on the VM's
 * stack (compiler.go emitLoopBackwards): an operator with one of them on
 * its right pops those instead of its left operand. */
START_TEST(stack_junk)
{
    EXPR("1 + findLast([1, 2], # > 0)", "run: invalid operation: bool + int");
    EXPR("[7, findLastIndex([1, 2], # > 0)]", "[true,1]");
    EXPR("[7, 8, findLastIndex([1, 2], # > 5)]", "[true,false,null]");
    EXPR("findLast([1, 2], # > 0) + 1", "3");
    EXPR("i == findLastIndex(a, # > 5)",
         "run: interface conversion: interface {} is bool, not int");
    EXPR("{c: findLastIndex(e, # > 0), d: b}",
         "run: interface conversion: interface {} is bool, not string");
    EXPR15("1 + findLast([1, 2], # > 0)", "run: invalid operation: bool + int");
    ARGO("0.01 < findLast(result, # > 0)", "run: invalid operation: bool < float64");
    EXPR("map([1, 2, 3], {findLast([1, 2], # > 5)})", "[true,false,null]");
    EXPR15("map([1, 2, 3], {findLast([1, 2], # > 0)})", "[2,true,2]");
    DONE();
}
END_TEST

/* == (v1.17: and !=) of two operands the checker typed int compiles to
 * OpEqualInt, which asserts both at run time. */
START_TEST(typed_equality)
{
    EXPR("max(1, 2.5) == 2.5", "true");
    EXPR("max(1, 2.5) != 2", "run: interface conversion: interface {} is float64, not int");
    EXPR15("max(1, 2.5) != 2", "true");
    DONE();
}
END_TEST

/* a *time.Location is no time.Time: equal by its zone, dereferenced in
 * v1.17's operators (time.Location), one method (String), unexported
 * fields a fetch panics on. */
START_TEST(locations)
{
    EXPR("timezone(\"Europe/Paris\") != timezone(\"UTC\")", "true");
    EXPR("[timezone(\"UTC\"), now()][0] + 1", "run: invalid operation: time.Location + int");
    EXPR("[timezone(\"UTC\"), now()][0] - now()",
         "run: invalid operation: time.Location - time.Time");
    EXPR("timezone(\"UTC\") in [timezone(\"UTC\")]",
         "compile: cannot use time.Location as type *time.Location in array");
    EXPR("string([timezone(\"Europe/Paris\")])", "\"[Europe/Paris]\"");
    EXPR("date(\"2024-01-01T00:00:00+02:00\").Location() == date(\"2024-01-01\").Location()",
         "false");
    KARGO("isInf(timezone(\"UTC\").Hour())", "run: cannot fetch Hour from *time.Location");
    KARGO("isNil(timezone(\"UTC\").name)", "run: reflect.Value.Interface: cannot return value "
                                           "obtained from unexported field or method");
    KARGO("isNil(now()?.[0])", "run: interface conversion: interface {} is int, not string");
    EXPR("get(now(), \"wall\")", "compile: type time.Time does not support indexing");
    DONE();
}
END_TEST

/* v1.17's get (builtin/lib.go) panics where runtime.Fetch would, except
 * for a missing index or key; v1.15.5 recovered every panic. */
START_TEST(get_v117)
{
    EXPR("get([1], {})", "compile: non-integer slice index map[string]interface {}");
    EXPR("get({a: 1}, 1)",
         "compile: cannot use int to get an element from map[string]interface {}");
    EXPR("type(get(\"abc\", 1))", "compile: type string does not support indexing");
    EXPR15("get({a: 1}, 1)",
           "compile: cannot use int to get an element from map[string]interface {}");
    EXPR("get([1, 2], 0) + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("-1; [get([\"a\", \"b\"], 1_000) == string(nil), true]",
         "run: interface conversion: interface {} is nil, not string");
    DONE();
}
END_TEST

/* Kargo compiles without an env: Validate builtins see interface {}, sortBy
 * and $env's members keep unknown, an unknown callee's arguments are never
 * checked (#index and #acc run as they are), and its arguments run first. */
START_TEST(unknown_natures_kargo)
{
    KARGO("abs(n) >= [1]",
          "compile: invalid operation: >= (mismatched types interface {} and []interface {})");
    KARGO("sortBy(sa, {2}) or 42",
          "compile: invalid operation: or (mismatched types unknown and int)");
    KARGO("$env?.k matches 1e3",
          "compile: invalid operation: matches (mismatched types unknown and float64)");
    KARGO("count([b'\\x00', [[1, 2], [3]]], {upper(#)})",
          "compile: cannot use []interface {} as argument (type string) to call upper ");
    KARGO("isNil(map([1], {#foo}))", "compile: unknown pointer foo");
    KARGO("isNil(findLastIndex([1, 2, 3], {#index == 1}))",
          "run: invalid operation: cannot call nil");
    KARGO("asFloat(0 .. duration(\"-1.5s\"))", "run: invalid operation: int(time.Duration)");
    KARGO("date(timezone(\"UTC\"))", "run: runtime error: index out of range [0] with length 0");
    KARGO("trimPrefix(n, i)", "run: interface conversion: interface {} is int, not string");
    KARGO("get(true && b, 0)", "compile: type bool does not support indexing");
    KARGO("(2 * duration(\"1s\")) <= 5",
          "compile: invalid operation: <= (mismatched types time.Duration and int)");
    KARGO("sort(i) | join(\",\")", "\"\"");
    KARGO("nil <= - -max([true, false], len)",
          "compile: invalid operation: <= (mismatched types unknown and unknown)");
    KARGO_T("${{ asYAML(b'ab') }}", "\"- 97\\n- 98\\n\"");
    ARGO("(abs($env[j:]))", "run: cannot slice <nil>");
    ARGO("len == upper", "compile: invalid operation: == (mismatched types func(...interface {}) "
                         "(interface {}, error) and func(string) string)");
    KARGO("isNil(now()[i:])", "run: invalid argument for len (type time.Time)");
    DONE();
}
END_TEST

/* v1.15.5 judged integers by reflect.Kind (a time.Duration passes its
 * checker, ToInt refuses it), its sum and sort saw a string or a map item
 * as a whole, and it printed a nil type as <nil>. */
START_TEST(v115_kinds)
{
    EXPR15("sum([\"a\", \"b\"][0])", "run: cannot sum string");
    EXPR15("sort([{a: 1}])", "run: cannot deref <invalid reflect.Value>");
    EXPR15("[1, 2][duration(\"1ns\")]", "run: invalid operation: int(time.Duration)");
    EXPR15("repeat(\"a\", duration(\"2ns\"))", "run: invalid operation: int(time.Duration)");
    EXPR15("sum([1, 2.5, nil])", "run: cannot sum interface");
    ARGO_WEB15("result.Name() == \"hi\"",
               "compile: array elements can only be selected using an integer (got string)");
    EXPR15("sum([duration(\"1s\"), 1])", "1000000001");
    DONE();
}
END_TEST

/* the Validate functions judge numbers by reflect.Kind (a time.Month is
 * an Int), the functions themselves by a type switch; minMax skips an empty
 * nested slice and refuses a nil item; v1.15.5's mean wants one flat array. */
START_TEST(validate_kinds)
{
    EXPR("abs(now().Month())", "run: invalid argument for abs (type time.Month)");
    EXPR("max(date(\"2024-03-10T12:00:00+02:00\").Weekday())", "0");
    EXPR("max([now().Month(), 13])", "run: invalid argument for max (type time.Month)");
    EXPR("max([1, []])", "1");
    EXPR("min([b'ab', e])", "97");
    EXPR("min([i, n])", "run: invalid argument for min (type <nil>)");
    EXPR15("mean([[1, 2], [3]])", "run: cannot mean slice");
    EXPR("sum([now().Weekday()])", "run: invalid operation: time.Weekday + int");
    DONE();
}
END_TEST

/* in_array.go makes x in [literals] a Go map lookup: the needle must fit
 * the key type, and nil finds the zero value. */
START_TEST(in_literal_sets)
{
    KARGO("f not in [\"a\", \"b\"]",
          "run: reflect.Value.MapIndex: value of type float64 is not assignable to type string");
    EXPR("nil in [\"\", \"a\"]", "true");
    KARGO("n in [0, 1]", "false");
    KARGO("f in [-1, 1]", "false");
    DONE();
}
END_TEST

/* OpMap asserts each key to a string, the last pair first; a bare number
 * key is a string already. */
START_TEST(map_literal_keys)
{
    EXPR("{(1): 2}", "run: interface conversion: interface {} is int, not string");
    EXPR("{1: 2, \"a\": 3}", "{\"1\":2,\"a\":3}");
    EXPR("{c: -1, a: findLastIndex(e, {false})}",
         "run: interface conversion: interface {} is bool, not string");
    DONE();
}
END_TEST

/* upstream's fold runs after the whole check: a checker error anywhere
 * comes first, a node it never folds fails at run time (if it runs), and %
 * by a zero literal is its own message. */
START_TEST(folding_order)
{
    EXPR("false && b'ab'[5]", "compile: invalid operation: && (mismatched types bool and uint8)");
    EXPR("5 % 0", "compile: integer divide by zero");
    EXPR("1 % 0 + \"a\" * true",
         "compile: invalid operation: * (mismatched types string and bool)");
    EXPR("[1][5] ?? {c: \"x\" ? 1 : 2}",
         "compile: non-bool expression (type string) used as condition");
    KARGO("n >= \"Foo\" ?? 100 >= true",
          "compile: invalid operation: >= (mismatched types unknown and bool)");
    ARGO("default(result, 0) >= -1 || true ?? result", "run: invalid operation: []float64 >= int");
    EXPR15("9223372036854775807 .. -9223372036854775807",
           "[9223372036854775807,-9223372036854775808,-9223372036854775807]");
    DONE();
}
END_TEST

/* an item of a string or a []uint8 is a uint8, by that name. */
START_TEST(uint8_items)
{
    KARGO("if s | first() { 1 } else { 2 }",
          "run: interface conversion: interface {} is uint8, not bool");
    EXPR("b'ab'[0] + true", "compile: invalid operation: + (mismatched types uint8 and bool)");
    EXPR("sum(b'ab') not contains true",
         "compile: invalid operation: contains (mismatched types uint8 and bool)");
    EXPR("type(get(\"ab\", 0))", "compile: type string does not support indexing");
    DONE();
}
END_TEST

/* NaN != NaN: each NaN is a key of its own in a Go map. */
START_TEST(nan_keys)
{
    EXPR("len(groupBy([0.0, 0.0], # / 0))", "2");
    EXPR("len(fromPairs([[0.0 / 0, 1], [0.0 / 0, 2]]))", "2");
    DONE();
}
END_TEST

/* v1.15.5's map() is reflect.SliceOf its closure's output: []int,
 * []func..., [][]interface {} in its messages and its in checks. */
START_TEST(v115_typed_map)
{
    EXPR15("3 in map([true, false], {upper})",
           "compile: cannot use int as type func(...interface {}) (interface {}, error) in array");
    EXPR15("map([1, 2], {#}) == \"a\"",
           "compile: invalid operation: == (mismatched types []interface {} and string)");
    EXPR15("keys(map(a, {# * 2.5}))", "compile: cannot get keys from []interface {}");
    EXPR15("map(a, {[#]}) > 1",
           "compile: invalid operation: > (mismatched types [][]interface {} and int)");
    EXPR15("trimPrefix(map(a, {date(\"2024-01-02\")}))",
           "compile: cannot use []time.Time as argument (type string) to call trimPrefix ");
    EXPR15("mean([nil, 1])", "run: cannot mean interface");
    DONE();
}
END_TEST

/* compiler.go addConstant keeps one copy of equal constants, and 0.0 ==
 * -0.0: every float zero but those of a literal array the fold made one
 * constant is the first the compiler meets. */
START_TEST(float_zeros)
{
    EXPR("[sortBy(a, {string(n ?? -0.0)}), 0.0]", "[[1,2,3],-0.0]");
    EXPR("[-0.0, 0.0, 1 * 0.0]", "[-0.0,0.0,0.0]");
    EXPR("reduce(a, 0.0, -0.0)", "-0.0");
    EXPR("{c: -0.0, d: 0.0}", "{\"c\":-0.0,\"d\":-0.0}");
    EXPR15("{c: -0.0, d: 0.0}", "{\"c\":-0.0,\"d\":-0.0}");
    DONE();
}
END_TEST

/* yaml.v3 quotes a string that its resolve reads as a timestamp: four digits
 * and '-', then one of its layouts as time.Parse reads them. */
START_TEST(kargo_yaml)
{
    KARGO("asYAML(\"2023-12-31 23:59 UTC\")", "\"\\\"2023-12-31 23:59 UTC\\n\\\"\"");
    KARGO("asYAML(\"2023-1-2T3:04:05Z\")", "\"\\\"\\\"2023-1-2T3:04:05Z\\\"\\n\\\"\"");
    /* a map[interface {}]...: its keys as values, in keyList.Less's order */
    KARGO("asYAML(fromPairs([[1.0, \"a\"], [2, 1], [\"x\", 3], [true, 1]]))",
          "\"\\\"true: 1\\n1: a\\n2: 1\\nx: 3\\n\\\"\"");
    KARGO("asYAML(fromPairs([[\"b10\", 1], [\"b9\", 2], [\"a\", 3], [2.5, 4], [nil, 5]]))",
          "\"\\\"2.5: 4\\nnull: 5\\na: 3\\nb9: 2\\nb10: 1\\n\\\"\"");
    KARGO("asYAML(groupBy([1, 2, 1], #))", "\"\\\"1:\\n    - 1\\n    - 1\\n2:\\n    - 2\\n\\\"\"");
    KARGO("asYAML(fromPairs([[1, b'ab']]))", "\"\\\"1:\\n    - 97\\n    - 98\\n\\\"\"");
    DONE();
}
END_TEST

/* v1.17 dereferences a *time.Location where it compiles an OpDeref (an
 * operand, a condition, a builtin's argument: compiler.go derefInNeeded,
 * BuiltinNode): a time.Location struct then, which has no method, no hash,
 * and prints as a struct. */
START_TEST(dereferenced_locations)
{
    KARGO("isNil(timezone(\"UTC\") ? 1 : 2)",
          "run: interface conversion: interface {} is time.Location, not bool");
    KARGO("max(i, timezone(\"UTC\"))", "run: invalid argument for max (type time.Location)");
    KARGO("timezone(\"UTC\") in em",
          "run: reflect.Value.MapIndex: value of type time.Location is not assignable to type "
          "string");
    KARGO("get(em, timezone(\"UTC\"))",
          "run: reflect.Value.MapIndex: value of type time.Location is not assignable to type "
          "string");
    EXPR("string(timezone(\"UTC\"))", "\"{UTC [] []  0 0 <nil>}\"");
    EXPR("timezone(\"UTC\") ?? 1", "{\"$go\":\"time.Location {UTC [] []  0 0 <nil>}\"}");
    EXPR("(timezone(\"UTC\") ?? 1).String()", "run: cannot fetch String from time.Location");
    EXPR("timezone(\"UTC\").String()", "\"UTC\"");
    EXPR("timezone(\"UTC\") in groupBy(a, #)",
         "run: runtime error: hash of unhashable type time.Location");
    KARGO("len(n ?? timezone(\"UTC\"))", "run: invalid argument for len (type time.Location)");
    /* date() keeps an argument typed *time.Location, not one of no type */
    EXPR("date(timezone(\"Europe/Paris\"), \"2024-01-01\").Hour()", "0");
    EXPR("date(timezone(\"UTC\") ?? 1, \"2024-01-01\").Hour()",
         "run: interface conversion: interface {} is time.Location, not string");
    DONE();
}
END_TEST

/* v1.17's checker types x ?? nil as what x points at (binaryNode derefs
 * both sides): the struct time.Location, which has no methods and is no
 * *time.Location; both versions' VM dereference both operands of ??, of
 * ==, and the needle of `in` (v1.15.5's derefInNeeded), and
 * reflect.DeepEqual tells the struct from the pointer. Time's methods take
 * their Go types: In a *time.Location, After a time.Time. */
START_TEST(location_structs)
{
    EXPR("(timezone(\"UTC\") ?? nil).String()", "compile: type time.Location has no method String");
    EXPR("len(timezone(\"UTC\") ?? nil)", "compile: invalid argument for len (type time.Location)");
    EXPR("upper(timezone(\"UTC\") ?? nil)",
         "compile: cannot use time.Location as argument (type string) to call upper ");
    EXPR("(timezone(\"UTC\") ?? nil) in [timezone(\"UTC\")]",
         "compile: cannot use time.Location as type *time.Location in array");
    EXPR("now().In(timezone(\"UTC\") ?? nil)",
         "compile: cannot use time.Location as argument (type *time.Location) to call In ");
    EXPR("now().In(now())",
         "compile: cannot use time.Time as argument (type *time.Location) to call In ");
    EXPR15("now().In(now())",
           "compile: cannot use time.Time as argument (type *time.Location) to call In ");
    EXPR("now().After(timezone(\"UTC\"))",
         "compile: cannot use *time.Location as argument (type time.Time) to call After ");
    EXPR("(timezone(\"UTC\") ?? nil) == timezone(\"UTC\")", "true");
    EXPR15("date(\"2024-01-01T00:00:00Z\").Location() ?? 1",
           "{\"$go\":\"time.Location {UTC [] []  0 0 <nil>}\"}");
    EXPR15(
        "date(\"2024-01-01T00:00:00Z\").Location() in [date(\"2024-01-01T00:00:00Z\").Location()]",
        "false");
    DONE();
}
END_TEST

/* runtime.Equal compares a []interface {} with any slice item by item, two
 * slices of one type item by item, and leaves the rest to reflect.DeepEqual:
 * a []float64 (Argo's result) is never equal to a []int. */
START_TEST(slices_equal)
{
    EXPR("[97, 98] == b'ab'", "true");
    EXPR("b'ab' != [97, 99]", "true");
    EXPR("1..3 == [1, 2, 3]", "true");
    EXPR("split(\"a,b\", \",\") == [\"a\", \"b\"]", "true");
    EXPR("1..2 == split(\"a,b\", \",\")", "false");
    fd_test_expr_expect(FD_EXPR_MODE_ARGO, "{\"result\": [1, 2, 3]}", "result == 1..3", "false");
    fd_test_expr_expect(FD_EXPR_MODE_ARGO, "{\"result\": [1, 2, 3]}", "result == [1, 2, 3]",
                        "true");
    DONE();
}
END_TEST

/* A sequence is where its first expression is (parseSequenceExpression). */
START_TEST(sequence_location)
{
    struct fd_expr_error err;
    fd_value *v = NULL;
    const char *src = "trim((1 + 2; 3), 1)";

    ck_assert_int_ne(fd_expr_eval(src, strlen(src), FD_EXPR_MODE_EXPR, NULL, &v, &err), 0);
    ck_assert_str_eq(err.message, "cannot use int as argument (type string) to call trim ");
    ck_assert_int_eq(err.column, 9); /* the + */
}
END_TEST

/* toPairs makes a [][2]interface {} (builtin.go, both versions): Go arrays
 * as items, which runtime.Equal leaves to reflect.DeepEqual, v1.17's sort
 * does not copy, and v1.15.5's reflect cannot slice. */
START_TEST(pairs_are_go_arrays)
{
    EXPR("toPairs(m) == [[\"x\", 1]]", "false");
    EXPR("toPairs(m)[0] == [\"x\", 1]", "false");
    EXPR("[\"x\", 1] in toPairs(m)", "false");
    EXPR("toPairs({}) == []", "false");
    EXPR("toPairs(m) == toPairs(m)", "true");
    /* a lookup in an empty map checks the key (mapKeyError), in another
     * hashes it */
    EXPR("[1] in groupBy(e, #)", "run: hash of unhashable type: []interface {}");
    EXPR("[1] in groupBy(a, #)", "run: runtime error: hash of unhashable type []interface {}");
    /* fromPairs: a []uint8 is a pair of uint8s, which are not ints as keys */
    KARGO("fromPairs([b'ab'])", "{\"$map\":[[97,98]]}");
    KARGO("fromPairs([b'ab'])[97]", "null");
    KARGO("fromPairs([b'abc'])", "run: invalid pair length [97 98 99]");
    KARGO("fromPairs([timezone(\"UTC\")])", "run: invalid pair {UTC [] []  0 0 <nil>}");
    EXPR("map(toPairs(m), # + 1)", "run: invalid operation: [2]interface {} + int");
    EXPR("keys(toPairs(m)[0])", "run: cannot get keys from array");
    EXPR("join(toPairs(m)[0])", "run: invalid argument for join (type [2]interface {})");
    EXPR("sort(toPairs(m))", "null");
    EXPR("toPairs(m)[0][1:]", "[1]");
    EXPR15("toPairs(m)[0] == [\"x\", 1]", "false");
    EXPR15("toPairs(m)[0][1:]", "run: reflect.Value.Slice: slice of unaddressable array");
    EXPR15("toPairs(m)[0][5]", "run: reflect: array index out of range");
    /* v1.15.5's checker asks isNumber (reflect.Kind) first: a duration is
     * an Int64, combined with an int an int, with a float a float64 */
    EXPR15("0.5 * duration(\"1h\") && 1",
           "compile: invalid operation: && (mismatched types float64 and int)");
    EXPR15("duration(\"1h\") * 2 && 1",
           "compile: invalid operation: && (mismatched types int and int)");
    /* v1.15.5's checkBuiltinGet: the index is visited only after a base
     * that can be indexed; $env with a name types it as config.Types does */
    EXPR15("get(fromJSON('[1]')[0], nope)", "null");
    EXPR15("get(1, nope)", "compile: type int does not support indexing");
    EXPR15("get($env, nope)", "null");
    EXPR15("get($env, \"a\") + 1",
           "compile: invalid operation: + (mismatched types []interface {} and int)");
    EXPR15("count(toPairs(m), #)",
           "run: interface conversion: interface {} is [2]interface {}, not bool");
    ARGO_WEB15("toPairs($env)", "run: expected bool, but got [][2]interface {}");
    DONE();
}
END_TEST

/* v1.15.5's parser gave a ConditionalNode no location: a condition that is
 * no bool fails without a position. */
START_TEST(v115_condition_position)
{
    struct fd_expr_error err;
    fd_value *v = NULL;
    const char *src = "1 + (fromJSON('[1]')[0] ? 1 : 2)";

    ck_assert_int_ne(fd_expr_eval(src, strlen(src), V115(FD_EXPR_MODE_EXPR), NULL, &v, &err), 0);
    ck_assert_str_eq(err.message, "interface conversion: interface {} is float64, not bool");
    ck_assert_int_eq(err.line, 0);
    ck_assert_int_ne(fd_expr_eval(src, strlen(src), FD_EXPR_MODE_EXPR, NULL, &v, &err), 0);
    ck_assert_int_eq(err.column, 32); /* v1.17.8: (1:32) */
}
END_TEST

/* in_range.go makes `x in 1..3` two comparisons at no location (and
 * count_any makes the first an any() there): v1.17 binds a zero location
 * to offset 0, "(1:1)", v1.15.5 to none (seed 522). */
START_TEST(optimizer_nodes_located)
{
    struct fd_expr_error err;
    fd_value *v = NULL;
    const char *src = "true and count(x, {f}) in 1..3";
    const char *env_json = "{\"x\": [0, -1, 5], \"f\": 2.5}";
    json_t *j = json_loads(env_json, 0, NULL);
    fd_value *env = fd_expr_env_from_json(j, FD_EXPR_MODE_KARGO);

    ck_assert_int_ne(fd_expr_eval(src, strlen(src), FD_EXPR_MODE_KARGO, env, &v, &err), 0);
    ck_assert_str_eq(err.message, "interface conversion: interface {} is float64, not bool");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.column, 1);
    fd_value_unref(env);
    json_decref(j);
}
END_TEST

/* Kargo's checker never visits the arguments of a callee it does not know:
 * a builtin among them meets its arguments at run time, where its Go Func
 * counts them, or the VM's OpCallBuiltin1 pops only the last. */
START_TEST(unchecked_builtin_calls)
{
    KARGO("isInf(split(\"%\"))",
          "run: invalid number of arguments for split (expected 2 or 3, got 1)");
    KARGO("nope(replace(s, 1))",
          "run: invalid number of arguments for replace (expected 3 or 4, got 2)");
    KARGO("nope(take(1))", "run: invalid number of arguments (expected 2, got 1)");
    KARGO("nope(now(1, 2))", "run: invalid number of arguments (expected 0, got 2)");
    KARGO("nope(bitnot(1, 2))", "run: invalid number of arguments for bitnot (expected 1, got 2)");
    KARGO("nope(split(1, 2))", "run: interface conversion: interface {} is int, not string");
    /* round(true, "") is Round("") */
    KARGO("isNaN(round(true, \"\"))", "run: invalid argument for round (type string)");
    KARGO("nope(upper(1, \"a\"))", "run: invalid operation: cannot call nil");
    KARGO("nope(string())", "run: stack underflow");
    KARGO("nope(len(1, 2) + 1)", "run: invalid argument for len (type int)");
    /* a Func that reads its arguments without counting them */
    KARGO("nope(indexOf(\"a\"))", "run: runtime error: index out of range [1] with length 1");
    KARGO("nope(indexOf(1))", "run: interface conversion: interface {} is int, not string");
    KARGO("nope(fromJSON(\"a\", \"b\"))",
          "run: invalid character 'a' looking for beginning of value");
    KARGO("nope(trimPrefix())", "run: runtime error: index out of range [0] with length 0");
    KARGO("nope(join(\"a\", \"b\", \"c\"))", "run: invalid argument for join (type string)");
    KARGO("nope(first())", "run: invalid operation: cannot call nil");
    KARGO("nope(get(\"a\"))", "run: invalid number of arguments (expected 2, got 1)");
    KARGO("nope(max(\"a\", \"b\"))", "run: invalid argument for max (type string)");
    KARGO("nope(date(1, 2, 3))", "run: interface conversion: interface {} is int, not string");
    KARGO("nope(date(timezone(\"UTC\")))",
          "run: interface conversion: interface {} is time.Location, not string");
    /* v1.17 keeps groupBy's map and sum's running total in the loop's Acc */
    KARGO("nope(groupBy([1, 2], #acc))",
          "run: hash of unhashable type: map[interface {}][]interface {}");
    KARGO("nope(groupBy([1, 2], len(#acc)) + 1)",
          "run: invalid operation: map[interface {}][]interface {} + int");
    KARGO("nope(sum([1, 2], {#acc * 10}) + \"\")", "run: invalid operation: int + string");
    /* the checker goes on past them */
    KARGO("isNaN(round(true, \"\")) not in upper",
          "compile: invalid operation: in (mismatched types unknown and func(string) string)");
    DONE();
}
END_TEST

/* Passes of expr's optimizer that make no range (in_range.go, sum_range.go)
 * or map what a filter keeps in its loop (filter_map.go): what the VM's
 * memory budget refuses otherwise, and which failure comes first. */
START_TEST(ranges_never_made)
{
    EXPR("5 in 1..2000000", "true");
    EXPR15("5 in 1..2000000", "true");
    EXPR("sum(1..2000000)", "2000001000000");
    EXPR("sum(1..2000000, # * 2)", "4000002000000");
    EXPR("reduce(1..2000000, # + #acc, 5)", "2000001000005");
    EXPR("sum(1..9223372036854775807)", "-4611686018427387904");
    EXPR15("sum(1..2000000)", "run: memory budget exceeded");
    /* v1.15.5 compares a time.Month with an int, at no location */
    EXPR15("date(\"2024-03-01\").Month() in 1..12", "run: invalid operation: time.Month >= int");
    EXPR("map(filter([1, \"a\"], # > 0), # + \"x\")", "run: invalid operation: int + string");
    EXPR("map(filter([1, 2, 3], # > 5), # * 2)[0]", "run: reflect: slice index out of range");
    EXPR("map(filter([1, 2, 3], # > 1), #index)", "[0,1]");
    EXPR15("map(filter([1, 2, 3], # > 1), #index)", "[1,2]");
    DONE();
}
END_TEST

/* What v1.17's checker knows of an array's items (Nature.Ref) flows through
 * let, ??, indexes, slices and a literal of literals; the string operators
 * answer false for any nil, a typed one too (runtime.IsNil). */
START_TEST(item_types_flow)
{
    EXPR("let q = [\"a\"]; q[0] + 1",
         "compile: invalid operation: + (mismatched types string and int)");
    EXPR("[[1, 2], [3]][0][0] + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("10 in [\"a\", \"b\"] ?? nil", "compile: cannot use int as type string in array");
    EXPR("filter([[1]], true)[0][0] + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR15("let q = [\"a\"]; q[0] + 1", "run: invalid operation: string + int");
    KARGO("isInf(n | sort() matches \"a\")", "run: invalid operation: cannot call nil");
    /* map keeps what its closure's body knows of its own items */
    EXPR("map(1..3, {1..3})[0][0] + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("map(1..3, {map(1..2, {1..3})})[0][0] - 1",
         "compile: invalid operation: - (mismatched types []interface {} and int)");
    /* as deep as the literals go, through reduce, find and # */
    EXPR("[[[[1]]]][0][0][0][0] + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("reduce(1..2, [[[1]]])[0][0][0] + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("find([[[1]]], true)[0][0] + \"a\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("map([[[1]]], #[0][0] + \"a\")",
         "compile: invalid operation: + (mismatched types int and string)");
    DONE();
}
END_TEST

/* A method's arguments, as checker.go checkArguments and the VM meet them:
 * no int is a time.Duration in v1.17's checker, and nil only a pointer's;
 * v1.15.5 lets both through to OpCallTyped's type assertion (an integer
 * literal retyped int64 first). A method of a receiver the checker did not
 * know is reflect's Call (OpMethod, OpCall): v1.17 counts the arguments and
 * makes a nil the zero value, v1.15.5 leaves both to reflect. In and AddDate
 * are no signature of vm/func_types: reflect's Call even when checked. */
START_TEST(method_arguments)
{
    EXPR("now().Add(2)", "compile: cannot use int as argument (type time.Duration) to call Add ");
    EXPR("duration(\"1h\").Round(i)",
         "compile: cannot use int as argument (type time.Duration) to call Round ");
    EXPR("now().Format(nil)", "compile: cannot use nil as argument (type string) to call Format");
    EXPR("now().In(nil)", "run: time: missing Location in call to Time.In");
    EXPR15("now().Add(2)", "run: interface conversion: interface {} is int64, not time.Duration");
    EXPR15("now().Add(-2)", "run: interface conversion: interface {} is int, not time.Duration");
    EXPR15("now().Add(i)", "run: interface conversion: interface {} is int, not time.Duration");
    EXPR15("now().Sub(nil)", "run: interface conversion: interface {} is nil, not time.Time");
    EXPR15("now().In(nil)", "run: reflect: Call using interface {} as type *time.Location");
    EXPR15("now().AddDate(nil, 1, 1)", "run: reflect: Call using interface {} as type int");
    ARGO15("now().Add(asInt(1))",
           "compile: cannot use int64 as argument (type time.Duration) to call Add ");
    KARGO("now().Add(i)", "run: interface conversion: interface {} is int, not time.Duration");
    KARGO("now().Add(n)", "run: interface conversion: interface {} is nil, not time.Duration");
    /* unknown receivers */
    KARGO("n(now().Year(1))", "run: invalid number of arguments: expected 0, got 1");
    KARGO("n(now().AddDate(1))", "run: invalid number of arguments: expected 3, got 1");
    KARGO("n(now().Add(1))", "run: reflect: Call using int as type time.Duration");
    KARGO("n(now().Sub(nil).Hours() < 0)", "run: invalid operation: cannot call nil");
    KARGO("n(semverParse(\"1.0.0\").Major(1))",
          "run: invalid number of arguments: expected 0, got 1");
    EXPR15("[now()][0].Year(1)", "run: reflect: Call with too many input arguments");
    EXPR15("[now()][0].In()", "run: reflect: Call with too few input arguments");
    EXPR15("[now()][0].Format(nil)", "run: reflect: Call using interface {} as type string");
    EXPR15("[duration(\"1h\")][0].Round(1)", "run: reflect: Call using int as type time.Duration");
    /* Kargo's functions among an unknown callee's arguments: quote and its
     * kin read their first, semverParse and semverDiff count them */
    KARGO("n(quote())", "run: runtime error: index out of range [0] with length 0");
    KARGO("n(asJSON(1, 2))", "run: invalid operation: cannot call nil");
    KARGO("n(semverDiff(\"1.0.0\"))", "run: expected 2 arguments, got 1");
    DONE();
}
END_TEST

/* time.Time's other methods, as Go's time package answers; Clock and Date
 * return three values, which the checker refuses and reflect's Call (an
 * unknown receiver) cuts to the first. v1.17 visits a method's arguments
 * before it counts them, v1.15.5 counts first. */
START_TEST(more_time_methods)
{
    EXPR("date(\"2024-03-10T12:34:56.5Z\").Round(duration(\"1h\"))",
         "{\"$time\":\"2024-03-10T13:00:00Z\"}");
    EXPR("date(\"0001-01-01T00:00:00Z\").Add(duration(\"-1h\")).Round(duration(\"7m\"))",
         "{\"$time\":\"0000-12-31T22:57:00Z\"}");
    EXPR("date(\"2024-03-10T12:34:56.123456789+02:00\").GoString()",
         "\"time.Date(2024, time.March, 10, 12, 34, 56, 123456789, time.Location(\\\"\\\"))\"");
    EXPR("date(\"2024-12-30\").ISOWeek()", "2025");
    EXPR("date(\"2024-01-01\").Compare(date(\"2023-01-01\"))", "1");
    EXPR("date(\"2024-03-10T12:34:56.123456789+02:00\").UnixMicro()", "1710066896123456");
    EXPR("date(\"2024-06-10T12:00:00\", \"2006-01-02T15:04:05\", \"Europe/Paris\").IsDST()",
         "true");
    EXPR("date(\"2024-06-10T12:00:00\", \"2006-01-02T15:04:05\", \"Europe/Paris\").ZoneBounds()",
         "{\"$time\":\"2024-03-31T03:00:00+02:00\"}");
    EXPR("date(\"2024-01-01\").In(timezone(\"Asia/Tokyo\")).Zone()", "\"JST\"");
    EXPR("date(\"2024-03-10T12:34:56+02:00\").Zone()", "\"\"");
    EXPR("date(\"2024-01-01\").MarshalJSON()", "\"\\\"2024-01-01T00:00:00Z\\\"\"");
    EXPR("len(date(\"2024-01-01\").MarshalBinary())", "15");
    EXPR("date(\"2024-01-01\").AppendFormat(b\"x\", \"2006\")", "\"x2024\"");
    EXPR("date(\"2024-01-01\").AppendFormat(\"x\", \"2006\")",
         "compile: cannot use string as argument (type []uint8) to call AppendFormat ");
    EXPR("date(\"2024-01-01\").Clock()", "compile: func Clock returns more then two values");
    EXPR15("[date(\"2024-01-01\")][0].Clock()", "0");
    EXPR("date(\"2024-01-01\").Year(1 + \"a\")",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR15("date(\"2024-01-01\").Year(1 + \"a\")", "compile: too many arguments to call Year");
    DONE();
}
END_TEST

/* Calling a name of the env that holds no function (checker.go callNode),
 * and an unknown function among arguments the checker never visits: v1.15.5
 * lets reflect's Call refuse it at run time. */
START_TEST(calls_of_values)
{
    EXPR("i(1)", "compile: int is not callable");
    EXPR15("n(1)", "compile: n is nil; cannot call nil as function");
    ARGO("result(1)", "compile: []float64 is not callable");
    ARGO15("[date(\"2024-03-10T12:00:00+02:00\")][0].Format(asJSON(1))",
           "run: reflect: call of reflect.Value.Call on zero Value");
    ARGO15("[date(\"2024-03-10T12:00:00+02:00\")][0].Format(result(1))",
           "run: reflect: call of reflect.Value.Call on slice Value");
    DONE();
}
END_TEST

/* filter keeps each item on the VM's stack until OpArray, a findLast's
 * junk among them, as map does; fmt's %s of a func in a map is its
 * bad-verb form with its Go type. */
START_TEST(filter_stack_and_funcs)
{
    EXPR15("filter([1, 2, 3], 1 != findLast([1, 2], # > 5))", "[true,true,3]");
    EXPR15("filter([1, 2, 3, 4], (# % 2 == 0) == (nil != findLast([1, 2, 3], # > 5)))",
           "[null,true,true,4]");
    EXPR15("map(filter([1, 2, 3, 4], # > 1 && 1 != findLast([1, 2], # > 5)), # * 10)",
           "[true,true,40]");
    ARGO("fromPairs($env)",
         "run: cannot transform map[asFloat:%!s(func(interface {}) float64=0x1) asInt:%!s(func("
         "interface {}) int64=0x1) default:%!s(func(interface {}, interface {}) interface {}=0x1) "
         "isInf:%!s(func(float64) bool=0x1) isNaN:%!s(func(float64) bool=0x1) isNil:%!s(func("
         "interface {}) bool=0x1) result:[%!s(float64=0.05)]] from pairs");
    DONE();
}
END_TEST

/* The ASan run of seed 362: a sequence and sum keep what is known of
 * items, unary + dereferences, a folded predicate body keeps its closure's
 * place, and a lexer error replaces the parser's (parser.go next). */
START_TEST(seed_362)
{
    EXPR("(1..2) in sum([[1, 2], [3]])", "compile: cannot use []interface {} as type int in array");
    KARGO("groupBy(let x = bitnot(f); [[1]], {.name})",
          "compile: array elements can only be selected using an integer (got string)");
    KARGO("n(find(1..4, {+timezone(\"America/New_York\")}))",
          "run: interface conversion: interface {} is time.Location, not bool");
    EXPR("findIndex([\"a\"], {\"raw\" ?? upper(\"x\")})",
         "compile: predicate should return boolean (got string)");
    EXPR("let i = bitnot(1; 0.x); 1", "compile: bad number syntax: \"0.x\"");
    EXPR("bitnot(1; 0.x)", "compile: unexpected token Operator(\";\")");
    /* abs keeps an int64 one (Argo judges it no bool by that name); v1.15.5
     * divides an unknown by a time.Duration, a number by its Kind */
    ARGO("abs(asInt(-3))", "run: expected bool, but got int64");
    EXPR15("(1 ?? m) / duration(\"1h\") | map(# * 2)",
           "compile: builtin map takes only array (got float64)");
    EXPR("(1 ?? m) / duration(\"1h\")",
         "compile: invalid operation: / (mismatched types unknown and time.Duration)");
    DONE();
    /* the folded body's error points at its closure's brace, as the peer's */
    const char *src = "findIndex([\"a\"], {\"raw\" ?? upper(\"x\")})";
    struct fd_expr_error err;
    fd_expr_program *p = fd_expr_compile(src, strlen(src), FD_EXPR_MODE_EXPR, NULL, &err);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(err.column, 18);
}
END_TEST

/* encoding/json's strings, as the peers print answers: U+2028 escaped, an
 * invalid byte \ufffd and DEL as it is, \r short */
START_TEST(json_strings)
{
    EXPR("\"\\u2028\"", "\"\\u2028\"");
    EXPR("b\"\\xdd\\x7f\\r\"", "\"\\ufffd\x7f\\r\"");
    EXPR("\"a\\x01<>&\"", "\"a\\u0001<>&\"");
    DONE();
}
END_TEST

/* vm.go memGrow counts, over the run, more than ranges: OpArray (an array
 * literal fold.go did not make a constant, map's and filter's results),
 * OpMap (a map literal), OpSort (sortBy) and v1.17's Safe builtins
 * (repeat's bytes, reverse, concat, flatten, sort). */
START_TEST(memory_budget)
{
    EXPR("len(map(1..400000, #)) + len(map(1..400000, #))", "run: memory budget exceeded");
    EXPR15("len(map(1..400000, #)) + len(map(1..400000, #))", "800000");
    EXPR15("len(map(1..600000, [#]))", "run: memory budget exceeded");
    EXPR("len(map(1..300000, [1, 2, 3]))", "300000");
    EXPR("len(map(1..300000, [[1], [2]]))", "run: memory budget exceeded");
    EXPR("len([1, 2, -3]) + len(1..999997)", "1000000");
    EXPR("len([1, 2, nil]) + len(1..999997)", "run: memory budget exceeded");
    EXPR("len({\"a\": 1}) + len(1..999999)", "run: memory budget exceeded");
    EXPR("len({}) + len(1..999999)", "999999");
    EXPR("len(filter(1..600000, # % 2 == 0)) + len(filter(1..600000, # % 2 == 0))",
         "run: memory budget exceeded");
    EXPR("filter(1..600000, # > 0)[-1]", "600000"); /* findLast: no array */
    EXPR("len(filter(1..600000, # > 0)[0:2])", "run: memory budget exceeded");
    EXPR("let r = 1..300000; len(sortBy(r, #)) + len(sortBy(r, -#))", "600000");
    EXPR("let r = 1..300000; len(sort(r)) + len(reverse(r)) + len(r)", "900000");
    EXPR("let r = 1..300000; len(concat(r, r)) + len(r)", "900000");
    EXPR("let r = 1..200000; len(flatten([r, r, r, r]))", "run: memory budget exceeded");
    EXPR("len(repeat(\"a\", 500000)) + len(repeat(\"a\", 500000))", "run: memory budget exceeded");
    EXPR15("len(repeat(\"a\", 500000)) + len(repeat(\"a\", 500000))", "1000000");
    DONE();
}
END_TEST

/* v1.15.5's map() is reflect.SliceOf its closure's output, arrays too:
 * [][]int of a range, [][][]int of a map of ranges, and each index or
 * first() one level down. */
START_TEST(v115_arrays_of_arrays)
{
    EXPR15("map(1..3, {1..3}) - 1",
           "compile: invalid operation: - (mismatched types [][]int and int)");
    EXPR15("map(1..3, {map(1..2, {1..3})}) - 1",
           "compile: invalid operation: - (mismatched types [][][]int and int)");
    EXPR15("map(1..3, {map(1..2, {1..3})})[0] - 1",
           "compile: invalid operation: - (mismatched types [][]int and int)");
    EXPR15("map(1..3, {map(1..2, {1..3})})[0][0] - 1",
           "compile: invalid operation: - (mismatched types []int and int)");
    EXPR15("map(1..3, {split(\"a,b\", \",\")}) - 1",
           "compile: invalid operation: - (mismatched types [][]string and int)");
    EXPR15("map(1..3, {[1]}) - 1",
           "compile: invalid operation: - (mismatched types [][]interface {} and int)");
    EXPR15("map(1..3, {1..3}) | first() - 1",
           "compile: invalid operation: - (mismatched types []int and int)");
    EXPR15("map(1..3, {1..3})[0][0] + \"a\"",
           "compile: invalid operation: + (mismatched types int and string)");
    EXPR("map(1..3, {1..3}) - 1",
         "compile: invalid operation: - (mismatched types []interface {} and int)");
    /* and named the struct a *time.Location points at, as v1.17 does */
    EXPR15("date(\"2024-03-10T12:00:00+02:00\").Location()[5]",
           "compile: type time.Location[int] is undefined");
    EXPR("date(\"2024-03-10T12:00:00+02:00\").Location()[5]",
         "compile: type time.Location[int] is undefined");
    DONE();
}
END_TEST

/* difftest seeds 141 to 190 (300,000 cases each) */
START_TEST(seeds_141_to_190)
{
    /* v1.17 names the property's type as it is: a *time.Location */
    EXPR("let z = timezone(\"America/New_York\"); z[z]",
         "compile: type time.Location[*time.Location] is undefined");
    EXPR("let l = now().Location(); {a: 1}[l]",
         "compile: cannot use *time.Location to get an element from map[string]interface {}");
    EXPR("let l = now().Location(); n[l]", "compile: type unknown[*time.Location] is undefined");
    /* v1.15.5 never visits the arguments of a method of an unknown: sum's
     * and len's Funcs meet them at run time, once they are evaluated */
    EXPR15("m.x(sum(1..6, int('x')))", "run: invalid operation: int(x)");
    EXPR15("m.x(sum(1..6, 2))", "run: invalid number of arguments (expected 1, got 2)");
    EXPR15("m.x(len(1, 2))", "run: invalid argument for len (type int)"); /* (Fast: the last) */
    EXPR15("m.x(len())", "run: runtime error: index out of range [-1]");
    EXPR("m.x(len())", "run: stack underflow");
    /* v1.15.5's MemberNode under a CallNode (an Argo function's argument,
     * a method's) named a missing field "no method"; a builtin's is a
     * BuiltinNode */
    ARGO15("isInf(now()[\"x\"])", "compile: type time.Time has no method x");
    ARGO15("isNaN(now().x)", "compile: type time.Time has no method x");
    ARGO15("isInf(now().x + 1)", "compile: type time.Time has no field x");
    ARGO("isInf(now()[\"x\"])", "compile: type time.Time has no field x");
    EXPR15("len(now()[\"x\"])", "compile: type time.Time has no field x");
    /* sum with a predicate is the predicate's Go type, nothing known of
     * its items */
    EXPR("sum(e, {[1]})[5] + 'a'", "run: cannot fetch 5 from int");
    EXPR("sum(e, {[1]})[5] | split(',')", "run: cannot fetch 5 from int");
    EXPR("reduce(e, {[1]}, [])[5] + 'a'",
         "compile: invalid operation: + (mismatched types int and string)");
    /* seed 147: v1.15.5 makes a range of integer literals once
     * (const_range.go), where freightdeck made 600,000 of them here */
    EXPR15("findLast(1..600000, {all(1..600000, # > 1)})", "null");
    EXPR("findLast(1..600000, {all(1..600000, # > 1)})", "run: memory budget exceeded");
    /* seed 149: parser.go looks the token after "not" up by its Value,
     * whatever its kind: a string names an operator (v1.15.5 any, v1.17
     * the negatable ones) */
    EXPR15("3 not \"%\" 2", "compile: invalid operation: not (mismatched type int)");
    EXPR15("i not \"%\" { [1] }", "compile: a map key must be a quoted string, a number, a "
                                  "identifier, or an expression enclosed in parentheses "
                                  "(unexpected token Bracket(\"[\"))");
    EXPR15("[1] not \"^\" [2]",
           "compile: invalid operation: ^ (mismatched types []interface {} and []interface {})");
    EXPR15("1 not \"and\" 2", "compile: invalid operation: and (mismatched types int and int)");
    EXPR("3 not \"%\" 2", "compile: unexpected token String(\"%\")");
    EXPR("1 not \"in\" [1]", "false");
    EXPR("1 not \"in\" 2", "compile: invalid operation: in (mismatched types int and int)");
    /* seed 151: a ternary is the nature of its branch, what is known of
     * its items too; of two arrays whose items are not assignable both
     * ways, an array of nothing known (checker.go conditionalNode) */
    EXPR("(b ? nil : 1..3)[0].v", "compile: type int has no field v");
    EXPR("(b ? 1..3 : [1])[0] + \"x\"",
         "compile: invalid operation: + (mismatched types int and string)");
    EXPR("(b ? 1..3 : [{a: 1}])[0].v", "run: cannot fetch v from int");
    EXPR("(b ? [\"x\"] : a)[0].v", "run: invalid operation: int(string)");
    /* seed 160: v1.15.5's repeat converts its count first */
    EXPR15("repeat(n, n)", "run: invalid operation: int(<nil>)");
    EXPR("repeat(n, n)", "compile: cannot use nil as argument (type string) to call repeat");
    /* seed 176: Argo's asFloat, a type switch, knows no time.Weekday */
    ARGO("asFloat(date(\"2023-12-31T23:59:59Z\").Weekday()) > 0",
         "run: asFloat() not supported on time.Weekday Sunday");
    ARGO15("asFloat(date(\"2023-12-31T23:59:59Z\").Month()) > 0",
           "run: asFloat() not supported on time.Month December");
    /* seed 178: time.Parse skips a layout's literal text as time/format.go
     * skip does: a space matches any run of spaces, and a mismatch names
     * the value from where it differs */
    EXPR("date(\"2024-01-02   03:04\", \"2006-01-02 15:04\")",
         "{\"$time\":\"2024-01-02T03:04:00Z\"}");
    EXPR("date(\"2024-01-02 03:04\", \"2006-01-02  15:04\")",
         "{\"$time\":\"2024-01-02T03:04:00Z\"}");
    EXPR15("date(\"a\", \"abc\")",
           "run: parsing time \"a\" as \"abc\": cannot parse \"\" as \"abc\"");
    /* seed 190: fold.go folds == of two bools, then x || true */
    KARGO("f || true == true", "true");
    EXPR15("f || (false == false)",
           "compile: invalid operation: || (mismatched types float64 and bool)");
    DONE();
    /* seed 158: a call a fold moved is located where the fold put it, at
     * the ||'s place (ast.Patch keeps the old node's location) */
    json_error_t je;
    json_t *j = json_loads("{\"m\": {\"a\": 1}}", 0, &je);
    fd_value *env = fd_expr_env_from_json(j, FD_EXPR_MODE_EXPR), *v = NULL;
    struct fd_expr_error err;
    const char *src = "false || m.Year()";
    ck_assert_int_ne(fd_expr_eval(src, strlen(src), FD_EXPR_MODE_EXPR, env, &v, &err), 0);
    ck_assert_str_eq(err.message, "invalid operation: cannot call nil");
    ck_assert_int_eq(err.column, 7);
    src = "m.Year()";
    ck_assert_int_ne(fd_expr_eval(src, strlen(src), FD_EXPR_MODE_EXPR, env, &v, &err), 0);
    ck_assert_int_eq(err.column, 3);
    fd_value_unref(env);
    json_decref(j);
}
END_TEST

/* Session 12: v1.17's `::name(...)` and what its parser reads after an
 * error (answers of the v1.17.8 and v1.15.5 peers). */
START_TEST(builtin_call_and_unwinding)
{
#undef ENV
#define ENV "{\"len\": 5, \"all\": [1, 2, 3], \"upper\": \"b\", \"foo\": 1, \"x\": 1}"
    /* parsePrimary's "::": the builtin or predicate whatever the env holds
     * (builtin_test.go TestBuiltin_override_and_still_accessible) */
    EXPR("::all(all, #>0) && ::len(all) == 3", "true");
    EXPR("::upper(\"a\")", "\"A\"");
    EXPR("::split(\"a,b,c\", \",\")[0]", "\"a\"");
    EXPR("::foo(1)", "compile: int is not callable");
    EXPR("::x", "compile: unexpected token EOF");
    EXPR("::\"len\"(1)", "compile: unexpected token String(\"len\")");
    EXPR15("::len(\"ab\")", "compile: unexpected token Operator(\":\")");
    /* createNode returns nil after an error and parser.go returns at once:
     * a map's pair, a member, a callee; what it never reads, it never lexes
     * (the bad number after the first error is not met) */
    EXPR("if x { {1e-7} } else { 42.Year() }", "compile: unexpected token Bracket(\"}\")");
    EXPR("[1][0:1 } 42.Year()", "compile: unexpected token Bracket(\"}\")");
    EXPR("{a: 1 + } + 42.Y", "compile: unexpected token Bracket(\"}\")");
    /* ... but a predicate's arguments are read on: the ',' and the '{' */
    EXPR("any(1 +, {42.Y})", "compile: bad number syntax: \"42.Y\"");
    EXPR("f(1 +, {42.Y})", "compile: unexpected token Operator(\",\")");
#undef ENV
#define ENV ENV_DEFAULT
    DONE();
}
END_TEST

/* Session 12 (seed 303): fold.go folds literals by their node kinds where
 * the checker never went too (an unknown callee's arguments), so a
 * folded && or || moves the error there, or takes it away. */
START_TEST(folds_where_unchecked)
{
#undef ENV
#define ENV "{\"m\": {\"f\": null}, \"x\": 1, \"s\": \"a\"}"
    KARGO("asFloat(0x1F && not true)", "run: invalid operation: cannot call nil");
    EXPR("m.f(x.y || not true)", "run: cannot fetch y from int");
    EXPR("m.f(int(s) || 1 == 2)", "run: invalid operation: int(a)");
    KARGO("nope(int('a') || 1 == 2)", "run: invalid operation: int(a)");
    EXPR("m.f((1 + 2) % 0)", "compile: integer divide by zero");
    EXPR15("m.f((1 + 2) % 0)", "compile: integer divide by zero");
    /* what fold.go does not fold stays for the run */
    EXPR("m.f(-\"a\")", "run: invalid operation: - string");
    EXPR("m.f(!1)", "run: interface conversion: interface {} is int, not bool");
    /* seed 307: const_range.go makes a range of IntegerNodes once; one
     * whose bound is a ?? (never folded upstream) is made, and counted
     * against the memory budget, at each run */
    EXPR15("groupBy(1..600000, {len(1..(3 ?? x))})", "run: memory budget exceeded");
    EXPR15("len(groupBy(1..600000, {len(1..(1 + 2))}))", "1");
    /* seed 333: v1.15.5's median and mean name an item's reflect.Kind,
     * and toPairs' items are Go arrays ([2]any) */
    EXPR15("median(toPairs({c: false}))", "run: cannot median array");
    EXPR15("mean([[1]])", "run: cannot mean slice");
#undef ENV
#define ENV ENV_DEFAULT
    DONE();
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("expr-peers");
    TCase *tc = tcase_create("peers");

    tcase_add_test(tc, go_pow);
    tcase_add_test(tc, string_operator_assertions);
    tcase_add_test(tc, operators_at_run_time);
    tcase_add_test(tc, checker_order_and_types);
    tcase_add_test(tc, function_types);
    tcase_add_test(tc, array_item_types);
    tcase_add_test(tc, v115_syntax);
    tcase_add_test(tc, bytes_literals);
    tcase_add_test(tc, time_locations);
    tcase_add_test(tc, month_and_weekday);
    tcase_add_test(tc, unknowns_and_slices);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, indexes_and_ranges);
    tcase_add_test(tc, nil_slices_and_maps);
    tcase_add_test(tc, predicate_results);
    tcase_add_test(tc, members_called);
    tcase_add_test(tc, argo_float_functions);
    tcase_add_test(tc, kinds_and_keys);
    tcase_add_test(tc, uint64_values);
    tcase_add_test(tc, semver_at_run_time);
    tcase_add_test(tc, template_order);
    tcase_add_test(tc, members_of_slices);
    tcase_add_test(tc, unknown_natures);
    tcase_add_test(tc, argument_order);
    tcase_add_test(tc, v115_sort);
    tcase_add_test(tc, go_int_types);
    tcase_add_test(tc, unchecked_arguments);
    tcase_add_test(tc, loops_over_maps);
    tcase_add_test(tc, lexing_on_demand);
    tcase_add_test(tc, go_messages);
    tcase_add_test(tc, bytes_and_durations);
    tcase_add_test(tc, string_slices);
    tcase_add_test(tc, duration_arithmetic);
    tcase_add_test(tc, v115_builtins);
    tcase_add_test(tc, float_parameters);
    tcase_add_test(tc, time_keys);
    tcase_add_test(tc, ranges_and_aggregates);
    tcase_add_test(tc, folding_as_upstream);
    tcase_add_test(tc, any_key_maps);
    tcase_add_test(tc, go_json);
    tcase_add_test(tc, argo_env_functions);
    tcase_add_test(tc, dereferenced_locations);
    tcase_add_test(tc, slices_equal);
    tcase_add_test(tc, sequence_location);
    tcase_add_test(tc, pairs_are_go_arrays);
    tcase_add_test(tc, v115_condition_position);
    tcase_add_test(tc, optimizer_nodes_located);
    tcase_add_test(tc, unchecked_builtin_calls);
    tcase_add_test(tc, ranges_never_made);
    tcase_add_test(tc, item_types_flow);
    tcase_add_test(tc, optimizer_rewrites);
    tcase_add_test(tc, stack_junk);
    tcase_add_test(tc, typed_equality);
    tcase_add_test(tc, locations);
    tcase_add_test(tc, get_v117);
    tcase_add_test(tc, unknown_natures_kargo);
    tcase_add_test(tc, v115_kinds);
    tcase_add_test(tc, validate_kinds);
    tcase_add_test(tc, in_literal_sets);
    tcase_add_test(tc, map_literal_keys);
    tcase_add_test(tc, folding_order);
    tcase_add_test(tc, uint8_items);
    tcase_add_test(tc, nan_keys);
    tcase_add_test(tc, v115_typed_map);
    tcase_add_test(tc, float_zeros);
    tcase_add_test(tc, kargo_yaml);
    tcase_add_test(tc, v115_arrays_of_arrays);
    tcase_add_test(tc, memory_budget);
    tcase_add_test(tc, location_structs);
    tcase_add_test(tc, method_arguments);
    tcase_add_test(tc, more_time_methods);
    tcase_add_test(tc, json_strings);
    tcase_add_test(tc, calls_of_values);
    tcase_add_test(tc, filter_stack_and_funcs);
    tcase_add_test(tc, seed_362);
    tcase_add_test(tc, go_sort_order);
    tcase_add_test(tc, sortby_acc);
    tcase_add_test(tc, node_budget_and_many_arguments);
    tcase_add_test(tc, env_names_over_builtins);
    tcase_add_test(tc, v115_predicate_calls);
    tcase_add_test(tc, argo_functions_unchecked);
    tcase_add_test(tc, bytes_items_and_group_order);
    tcase_add_test(tc, unicode_as_go);
    tcase_add_test(tc, kargo_empty_template_body);
    tcase_add_test(tc, fold_where_unchecked);
    tcase_add_test(tc, go_number_texts);
    tcase_add_test(tc, yaml_v3_emitter);
    tcase_add_test(tc, zoneinfo_as_go);
    tcase_add_test(tc, time_arithmetic_as_go);
    tcase_add_test(tc, seeds_141_to_190);
    tcase_add_test(tc, builtin_call_and_unwinding);
    tcase_add_test(tc, folds_where_unchecked);

    suite_add_tcase(s, tc);
    return s;
}
