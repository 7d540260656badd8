/* tests/unit/test_expr_builtins.c: the expr-lang v1.17.8 builtins through
 * fd_expr_eval, with the edge cases of expr-lang's builtin/builtin.go: what a user sees
 * (value as freightdeck JSON, or the error phase and expr's message). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check_main.h"
#include "expr_check.h"
#include "freightdeck/expr.h"
#include "freightdeck/util.h"

#define EXPECT_ENV(mode, env, src, want) fd_test_expr_expect(mode, env, src, want)
#define DONE()                           FD_TEST_EXPR_DONE()
#define EXPECT(src, want)                EXPECT_ENV(FD_EXPR_MODE_EXPR, NULL, src, want)
/* untyped values: nested in a map, so checks happen at run time */
#define U                                                                                      \
    "{\"o\": {\"s\": \"abc\", \"n\": 1, \"f\": 1.5, \"z\": null, \"b\": true, \"a\": [1, 2], " \
    "\"m\": {\"k\": 1}}}"
#define EXPECT_U(src, want) EXPECT_ENV(FD_EXPR_MODE_EXPR, U, src, want)

START_TEST(numeric)
{
    EXPECT("abs(-3)", "3");
    EXPECT("abs(-3.5)", "3.5");
    EXPECT("abs(-9223372036854775807 - 1)", "-9223372036854775808");
    EXPECT("abs('a')", "compile: invalid argument for abs (type string)");
    EXPECT("abs(1, 2)", "compile: invalid number of arguments (expected 1, got 2)");
    EXPECT_U("abs(o.s)", "run: invalid argument for abs (type string)");
    EXPECT("ceil(1.2)", "2.0");
    EXPECT("ceil(2)", "2.0");
    EXPECT("floor(-1.5)", "-2.0");
    EXPECT("round(2.5)", "3.0");
    EXPECT("round(-2.5)", "-3.0");
    EXPECT("round(0.49999999999999994)", "0.0");
    EXPECT("round(1)", "1.0");
    EXPECT("floor('x')", "compile: invalid argument for floor (type string)");
    EXPECT_U("ceil(o.b)", "run: invalid argument for ceil (type bool)");
    EXPECT("int(1.9)", "1");
    EXPECT("int(-1.9)", "-1");
    EXPECT("int('42')", "42");
    EXPECT("int('-7')", "-7");
    EXPECT("int('1.5')", "run: invalid operation: int(1.5)");
    EXPECT("int(' 12')", "run: invalid operation: int( 12)");
    EXPECT("int(1e19)", "-9223372036854775808");
    EXPECT("int(true)", "compile: invalid argument for int (type bool)");
    /* builtin/lib.go Int: a nil reaches reflect's CanConvert, which asks the
     * zero Value for its type (the peer says so) */
    EXPECT_U("int(o.z)", "run: reflect: call of reflect.Value.Type on zero Value");
    EXPECT("float(2)", "2.0");
    EXPECT("float('1.5e3')", "1500.0");
    EXPECT("float('NaN')", "{\"$float\":\"NaN\"}");
    EXPECT("float('inf')", "{\"$float\":\"+Inf\"}");
    EXPECT("float('-Infinity')", "{\"$float\":\"-Inf\"}");
    EXPECT("float('abc')", "run: invalid operation: float(abc)");
    EXPECT("float('1e400')", "run: invalid operation: float(1e400)");
    EXPECT("float(' 1')", "run: invalid operation: float( 1)");
    EXPECT_U("float(o.a)", "run: invalid operation: float([]interface {})");
    DONE();
}
END_TEST

START_TEST(aggregates)
{
    EXPECT("max(3, 3.0)", "3");
    EXPECT("max(3.0, 3)", "3.0");
    EXPECT("max(1, 2.5, 2)", "2.5");
    EXPECT("min(1, 2.5, -2)", "-2");
    EXPECT("max([1, 5, 3])", "5");
    EXPECT("max([1, [7, 2]], 3)", "7");
    EXPECT("max([])", "null");
    EXPECT("min([])", "null");
    EXPECT("max()", "compile: not enough arguments to call max");
    EXPECT("max(1, 'a')", "compile: invalid argument for max (type string)");
    EXPECT("max([1, 'a'])", "run: invalid argument for max (type string)");
    /* minMax skips a nested slice that has no best (the peer says so) */
    EXPECT("max([1, []])", "1");
    EXPECT("mean([])", "0.0");
    EXPECT("mean([1, 2])", "1.5");
    EXPECT("mean(1, [2, 3], 4.0)", "2.5");
    EXPECT("mean(['a'])", "run: invalid argument for mean (type string)");
    EXPECT("median([])", "0.0");
    EXPECT("median([3, 1, 2])", "2.0");
    EXPECT("median([4, 1, 3, 2])", "2.5");
    EXPECT("median(1, 2)", "1.5");
    EXPECT("sum([])", "0");
    EXPECT("sum([1, 2])", "3");
    EXPECT("sum([1, 2.5])", "3.5");
    DONE();
}
END_TEST

START_TEST(bits)
{
    EXPECT("bitand(12, 10)", "8");
    EXPECT("bitor(12, 10)", "14");
    EXPECT("bitxor(12, 10)", "6");
    EXPECT("bitnand(12, 10)", "4");
    EXPECT("bitnot(0)", "-1");
    EXPECT("bitshl(1, 62)", "4611686018427387904");
    EXPECT("bitshl(1, 64)", "0");
    EXPECT("bitshr(-16, 2)", "-4");
    EXPECT("bitshr(-1, 100)", "-1");
    EXPECT("bitushr(-1, 60)", "15");
    EXPECT("bitshl(1, -1)", "run: invalid operation: negative shift count -1 (type int)");
    EXPECT("bitand(1.5, 1)", "compile: cannot use float64 as argument (type int) to call bitand ");
    EXPECT("bitand(1)", "compile: not enough arguments to call bitand");
    EXPECT_U("bitor(o.f, 1)", "run: cannot use float64 as argument (type int) to call bitor");
    DONE();
}
END_TEST

START_TEST(strings)
{
    EXPECT("trim('  a b \\n')", "\"a b\"");
    EXPECT("trim('xxaxx', 'x')", "\"a\"");
    EXPECT("trim('\\u00a0a\\u3000')", "\"a\"");
    EXPECT("trim(1)", "compile: not enough arguments to call trim");
    EXPECT("trimPrefix('  a')", "\" a\"");
    EXPECT("trimPrefix('v1.2', 'v')", "\"1.2\"");
    EXPECT("trimSuffix('a.yaml', '.yaml')", "\"a\"");
    EXPECT("upper('héllo')", "\"HÉLLO\"");
    EXPECT("lower('ÀB Σ')", "\"àb σ\"");
    EXPECT("upper(1)", "compile: cannot use int as argument (type string) to call upper ");
    EXPECT("upper(nil)", "compile: cannot use nil as argument (type string) to call upper");
    EXPECT_U("upper(o.n)", "run: interface conversion: interface {} is int, not string");
    EXPECT_U("lower(o.f)", "run: interface conversion: interface {} is float64, not string");
    EXPECT_U("upper(o.z)", "run: interface conversion: interface {} is nil, not string");
    EXPECT("split('a,b,,c', ',')", "[\"a\",\"b\",\"\",\"c\"]");
    EXPECT("split('a,b,c', ',', 2)", "[\"a\",\"b,c\"]");
    EXPECT("split('a,b,c', ',', 0)", "null");
    EXPECT("split('a,b,c', ',', -1)", "[\"a\",\"b\",\"c\"]");
    EXPECT("split('héj', '')", "[\"h\",\"é\",\"j\"]");
    EXPECT("split('', ',')", "[\"\"]");
    EXPECT("split('', '')", "[]");
    EXPECT("splitAfter('a,b,c', ',')", "[\"a,\",\"b,\",\"c\"]");
    EXPECT("splitAfter('a,b,c', ',', 2)", "[\"a,\",\"b,c\"]");
    EXPECT("split('a', ',', 1.5)",
           "compile: cannot use float64 as argument (type int) to call split ");
    EXPECT("replace('aaa', 'a', 'b')", "\"bbb\"");
    EXPECT("replace('aaa', 'a', 'b', 2)", "\"bba\"");
    EXPECT("replace('abc', '', '-')", "\"-a-b-c-\"");
    EXPECT("replace('abc', 'x', 'y')", "\"abc\"");
    EXPECT("repeat('ab', 3)", "\"ababab\"");
    EXPECT("repeat('ab', 0)", "\"\"");
    EXPECT("repeat('ab', -1)",
           "run: invalid argument for repeat (expected positive integer, got -1)");
    EXPECT("repeat('ab', 2000000)", "run: memory budget exceeded");
    EXPECT("repeat(repeat('a', 1000000), 100)", "run: memory budget exceeded");
    EXPECT("join(['a', 'b'], '-')", "\"a-b\"");
    EXPECT("join(['a', 'b'])", "\"ab\"");
    EXPECT("join([])", "\"\"");
    /* empty pieces: the buffer grew and stayed empty (a leak ASan found) */
    EXPECT("join(['', ''])", "\"\"");
    EXPECT("upper('') + lower('') + trim(' ')", "\"\"");
    EXPECT("join(['a', 1])", "run: interface conversion: interface {} is int, not string");
    EXPECT("join(split('a b', ' '), ',')", "\"a,b\"");
    EXPECT("join('ab')", "compile: cannot use string as argument (type []string) to call join ");
    EXPECT("indexOf('héllo', 'l')", "3");
    EXPECT("indexOf('abc', '')", "0");
    EXPECT("indexOf('abc', 'x')", "-1");
    EXPECT("lastIndexOf('héllo', 'l')", "4");
    EXPECT("lastIndexOf('abc', '')", "3");
    EXPECT("len('héllo')", "5");
    EXPECT("hasPrefix('canary', 'can')", "true");
    EXPECT("hasSuffix('canary', 'nary')", "true");
    EXPECT("hasSuffix('a', 'ab')", "false");
    EXPECT("hasPrefix('a', 1)",
           "compile: cannot use int as argument (type string) to call hasPrefix ");
    DONE();
}
END_TEST

START_TEST(collections)
{
    EXPECT("first([1, 2])", "1");
    EXPECT("first([])", "null");
    EXPECT("last([1, 2])", "2");
    EXPECT("last([])", "null");
    EXPECT("first('ab')", "compile: cannot get first element from string");
    EXPECT("last(1)", "compile: cannot get last element from int");
    EXPECT_U("first(o.m)", "null");
    EXPECT("get([1, 2, 3], -1)", "3");
    EXPECT("get([1, 2, 3], 5)", "null");
    EXPECT("get({a: 1}, 'a')", "1");
    EXPECT("get({a: 1}, 'b')", "null");
    /* checkBuiltinGet types get() like an index (expr-lang v1.17.8 says so) */
    EXPECT("get({a: 1}, 1)",
           "compile: cannot use int to get an element from map[string]interface {}");
    EXPECT("take([1, 2, 3], 2)", "[1,2]");
    EXPECT("take([1, 2, 3], 5)", "[1,2,3]");
    EXPECT("take([1, 2, 3], 0)", "[]");
    EXPECT("take([1, 2], -1)", "run: reflect.Value.Slice: slice index out of bounds");
    EXPECT("take('abc', 1)", "compile: cannot take from string");
    EXPECT("take([1], 1.5)", "compile: cannot take float64 elements");
    EXPECT_U("take(o.s, 1)", "run: cannot take from string");
    EXPECT("keys({b: 1, a: 2})", "[\"a\",\"b\"]");
    EXPECT("values({b: 1, a: 2})", "[2,1]");
    EXPECT("keys([1])", "compile: cannot get keys from []interface {}");
    EXPECT_U("values(o.a)", "run: cannot get values from slice");
    EXPECT("toPairs({a: 1})", "[[\"a\",1]]");
    EXPECT("fromPairs([['a', 1], ['b', 2]])", "{\"a\":1,\"b\":2}");
    EXPECT("fromPairs([['a', 1, 2]])", "run: invalid pair length [a 1 2]");
    EXPECT("fromPairs([1])", "run: invalid pair 1");
    EXPECT("toPairs(1)", "compile: cannot transform int to pairs");
    EXPECT("reverse([1, 2, 3])", "[3,2,1]");
    EXPECT("reverse([])", "[]");
    EXPECT("reverse('ab')", "compile: cannot reverse string");
    EXPECT("uniq([1, 1.0, 2, 'a', 'a'])", "[1,2,\"a\"]");
    EXPECT("uniq([])", "[]");
    EXPECT("concat([1], [2, 3], [])", "[1,2,3]");
    EXPECT("concat()", "compile: invalid number of arguments (expected at least 1, got 0)");
    EXPECT("concat([1], 2)", "compile: cannot concat int");
    EXPECT("flatten([1, [2, [3, []]], 4])", "[1,2,3,4]");
    EXPECT("flatten(1)", "compile: cannot flatten int");
    EXPECT("sort([3, 1, 2])", "[1,2,3]");
    EXPECT("sort([3, 1, 2], 'desc')", "[3,2,1]");
    EXPECT("sort([2, 1.5, 1])", "[1,1.5,2]");
    EXPECT("sort(['b', 'B', 'a'])", "[\"B\",\"a\",\"b\"]");
    EXPECT("sort([])", "[]");
    EXPECT("sort([true])", "[true]");
    /* Go's insertion sort asks Less(a[1], a[0]) first */
    EXPECT("sort([1, 'a'])", "run: invalid operation: string < int");
    EXPECT("sort([1], 'up')", "run: invalid order up, expected asc or desc");
    EXPECT("sort(1)", "compile: cannot use int as argument (type []int) to call sort ");
    DONE();
}
END_TEST

START_TEST(conversions)
{
    EXPECT("type(1)", "\"int\"");
    EXPECT("type(1.0)", "\"float\"");
    EXPECT("type('a')", "\"string\"");
    EXPECT("type(true)", "\"bool\"");
    EXPECT("type(nil)", "\"nil\"");
    EXPECT("type([])", "\"array\"");
    EXPECT("type({})", "\"map\"");
    EXPECT("type(duration('1s'))", "\"time.Duration\"");
    EXPECT("type(now())", "\"time.Time\"");
    EXPECT("type()", "compile: not enough arguments to call type");
    EXPECT("string(1.0)", "\"1\"");
    EXPECT("string(1e21)", "\"1e+21\"");
    EXPECT("string(123456789.0)", "\"1.23456789e+08\"");
    EXPECT("string(0.000001)", "\"1e-06\"");
    EXPECT("string(0.0001)", "\"0.0001\"");
    EXPECT("string([1, 'a', nil])", "\"[1 a <nil>]\"");
    EXPECT("string({a: 1, b: [true]})", "\"map[a:1 b:[true]]\"");
    EXPECT("string(nil)", "\"<nil>\"");
    EXPECT("string(duration('90m'))", "\"1h30m0s\"");
    EXPECT("toJSON({b: 1, a: [1.5, '<&>'], c: {}})",
           "\"{\\n  \\\"a\\\": [\\n    1.5,\\n    \\\"\\\\u003c\\\\u0026\\\\u003e\\\"\\n  ],\\n"
           "  \\\"b\\\": 1,\\n  \\\"c\\\": {}\\n}\"");
    EXPECT("toJSON([])", "\"[]\"");
    EXPECT("toJSON(1.0)", "\"1\"");
    EXPECT("toJSON(1e21)", "\"1e+21\"");
    EXPECT("toJSON(0.0000001)", "\"1e-7\"");
    EXPECT("toJSON('\\u2028\\n')", "\"\\\"\\\\u2028\\\\n\\\"\"");
    EXPECT("toJSON(nil)", "\"null\"");
    EXPECT("toJSON(float('NaN'))", "run: json: unsupported value: NaN");
    EXPECT("toJSON(duration('1s'))", "\"1000000000\"");
    EXPECT("fromJSON('{\"a\": [1, 2.5, true, null]}')", "{\"a\":[1.0,2.5,true,null]}");
    EXPECT("fromJSON('3')", "3.0");
    EXPECT("fromJSON('\"x\"')", "\"x\"");
    EXPECT("fromJSON('')", "run: unexpected end of JSON input");
    EXPECT("fromJSON('{\"a\":')", "run: unexpected end of JSON input");
    EXPECT("fromJSON('x')", "run: invalid character 'x' looking for beginning of value");
    EXPECT("fromJSON('1 2')", "run: invalid character '2' after top-level value");
    EXPECT("fromJSON(1)", "compile: cannot use int as argument (type string) to call fromJSON ");
    EXPECT("toBase64('hello')", "\"aGVsbG8=\"");
    EXPECT("toBase64('')", "\"\"");
    EXPECT("fromBase64('aGVsbG8=')", "\"hello\"");
    EXPECT("fromBase64('aGVsbA==')", "\"hell\"");
    EXPECT("fromBase64('aGVsbG8')", "run: illegal base64 data at input byte 4");
    EXPECT("fromBase64('a*==')", "run: illegal base64 data at input byte 1");
    DONE();
}
END_TEST

START_TEST(times)
{
    EXPECT("duration('1h30m')", "{\"$duration\":5400000000000}");
    EXPECT("duration('1.5s')", "{\"$duration\":1500000000}");
    EXPECT("duration('-2ms')", "{\"$duration\":-2000000}");
    EXPECT("duration('1µs') == duration('1us')", "true");
    EXPECT("duration('0')", "{\"$duration\":0}");
    EXPECT("duration('')", "run: time: invalid duration \"\"");
    EXPECT("duration('1')", "run: time: missing unit in duration \"1\"");
    EXPECT("duration('1x')", "run: time: unknown unit \"x\" in duration \"1x\"");
    EXPECT("duration('h')", "run: time: invalid duration \"h\"");
    EXPECT("duration('3000000h')", "run: time: invalid duration \"3000000h\"");
    EXPECT("duration('1h2m3.5s').String()", "\"1h2m3.5s\"");
    EXPECT("duration('90m').Hours()", "1.5");
    EXPECT("duration('90s').Minutes()", "1.5");
    EXPECT("duration('1500ms').Seconds()", "1.5");
    EXPECT("duration('1500ms').Milliseconds()", "1500");
    EXPECT("date('2024-03-01')", "{\"$time\":\"2024-03-01T00:00:00Z\"}");
    EXPECT("date('2024-03-01 10:20:30')", "{\"$time\":\"2024-03-01T10:20:30Z\"}");
    EXPECT("date('2024-03-01T10:20:30.5+02:00')", "{\"$time\":\"2024-03-01T10:20:30.5+02:00\"}");
    EXPECT("date('2024-03-01T10:20:30+02:00').Hour()", "10");
    EXPECT("date('2024-03-01T10:20:30+02:00').UTC().Hour()", "8");
    EXPECT("date('2024-03-01T10:20:30Z').Unix()", "1709288430");
    EXPECT("date('2024-02-29').Year()", "2024");
    EXPECT("date('2024-02-29').Month()", "2");
    EXPECT("date('2024-02-29').Day()", "29");
    EXPECT("date('2024-02-29').Weekday()", "4");
    EXPECT("date('2024-02-29').YearDay()", "60");
    EXPECT("date('2023-02-29')", "run: invalid date 2023-02-29");
    EXPECT("date('nope')", "run: invalid date nope");
    EXPECT("date('15:04:05').Year()", "0");
    EXPECT("date('Tue, 05 Mar 2024 07:08:09 CET').Format(time.RFC1123)",
           "compile: unknown name time");
    EXPECT("date('Tue, 05 Mar 2024 07:08:09 CET').Format('15:04 MST')", "\"07:08 CET\"");
    EXPECT("date('01/02/2024', '01/02/2006')", "{\"$time\":\"2024-01-02T00:00:00Z\"}");
    EXPECT("date('Mar 5, 2024 3:04pm', 'Jan 2, 2006 3:04pm')",
           "{\"$time\":\"2024-03-05T15:04:00Z\"}");
    EXPECT("date('2024-13-01', '2006-01-02')",
           "run: parsing time \"2024-13-01\": month out of range");
    EXPECT("date('2024-1-01', '2006-01-02')",
           "run: parsing time \"2024-1-01\" as \"2006-01-02\": cannot parse \"1-01\" as \"01\"");
    EXPECT("date('2024-01-01x', '2006-01-02')",
           "run: parsing time \"2024-01-01x\": extra text: \"x\"");
    EXPECT("date('2024-01-01', '2006-01-02', 'Mars/Base')", "run: unknown time zone Mars/Base");
    EXPECT("date('2024-03-05T07:08:09.120Z').Format('Mon Jan _2 03:04:05.000 PM 2006 Z07:00')",
           "\"Tue Mar  5 07:08:09.120 AM 2024 Z\"");
    EXPECT("date('2024-03-05T07:08:09Z').Format('Monday 02-January-06 .999')",
           "\"Tuesday 05-March-24 \"");
    EXPECT("date('2024-03-05T07:08:09Z').Add(duration('1h')).Hour()", "8");
    EXPECT("date('2024-03-05').Sub(date('2024-03-04'))", "{\"$duration\":86400000000000}");
    EXPECT("date('2024-01-31').AddDate(0, 1, 0)", "{\"$time\":\"2024-03-02T00:00:00Z\"}");
    EXPECT("date('2024-03-05').After(date('2024-03-04'))", "true");
    EXPECT("date('2024-03-05').Before(date('2024-03-04'))", "false");
    EXPECT("date('2024-03-05T10:11:12Z').Truncate(duration('1h'))",
           "{\"$time\":\"2024-03-05T10:00:00Z\"}");
    EXPECT("now().Year() >= 2024", "true");
    /* the operators on times and durations, with the values date() makes */
    EXPECT("date('2024-01-02') - date('2024-01-01') == duration('24h')", "true");
    EXPECT("date('2024-01-01') == date('2024-01-01T01:00:00+01:00')", "true");
    EXPECT("duration('1h') * 0.5", "1800000000000.0");
    EXPECT("now(1)", "compile: invalid number of arguments (expected 0, got 1)");
    EXPECT("timezone('Mars/Base')", "run: unknown time zone Mars/Base");
    EXPECT("date()", "compile: invalid number of arguments (expected at least 1, got 0)");
    EXPECT("now().Format()", "compile: not enough arguments to call Format");
    EXPECT("now().Year(1)", "compile: too many arguments to call Year");
    EXPECT("now().Format(1)", "compile: cannot use int as argument (type string) to call Format ");
    EXPECT("duration('1s').Round(duration('1m'))", "{\"$duration\":0}");
    EXPECT("duration('90s').Round(duration('1m'))", "{\"$duration\":120000000000}");
    EXPECT("duration('-90s').Truncate(duration('1m'))", "{\"$duration\":-60000000000}");
    EXPECT("duration('-90s').Abs()", "{\"$duration\":90000000000}");
    EXPECT("type(timezone('UTC'))", "\"time.Location\"");
    DONE();
}
END_TEST

/* Named zones come from the system zoneinfo database; without it they are
 * unknown zones, as in Go without tzdata. */
START_TEST(zones)
{
    if (access("/usr/share/zoneinfo/Europe/Zurich", R_OK) != 0) {
        fprintf(stderr, "# no zoneinfo database, named zones not tested\n");
        return;
    }
    EXPECT("date('2024-01-01 12:00', '2006-01-02 15:04', 'Europe/Zurich').UTC().Hour()", "11");
    EXPECT("date('2024-07-01 12:00', '2006-01-02 15:04', 'Europe/Zurich').UTC().Hour()", "10");
    EXPECT("date(timezone('Europe/Zurich'), '2024-07-01 12:00:00').Format('15:04 MST -07:00')",
           "\"12:00 CEST +02:00\"");
    EXPECT("string(timezone('Europe/Zurich'))", "\"Europe/Zurich\"");
    EXPECT("date('2024-07-01T10:00:00Z').In(timezone('Europe/Zurich')).Hour()", "12");
    DONE();
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("expr-builtins");
    TCase *tc = tcase_create("builtins");

    tcase_add_test(tc, numeric);
    tcase_add_test(tc, aggregates);
    tcase_add_test(tc, bits);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, collections);
    tcase_add_test(tc, conversions);
    tcase_add_test(tc, times);
    tcase_add_test(tc, zones);
    suite_add_tcase(s, tc);
    return s;
}
