#!/bin/sh
# tests/cli/test_eval.sh: the `freightdeck eval` contract: JSON in and out,
# modes, --jsonl, exit codes and the caret under the offending column.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

expect_exit "--help exits 0" 0 "$FD_BIN" eval --help
expect_match "--help starts with the usage line" '^Usage: freightdeck eval ' "$out"

expect_exit "a value exits 0" 0 "$FD_BIN" eval '1 + 2 * 3'
expect_eq "ints print as ints" "7" "$out"
expect_exit "division" 0 "$FD_BIN" eval '6 / 3'
expect_eq "a float always carries a dot" "2.0" "$out"
expect_exit "big float" 0 "$FD_BIN" eval '1e21'
expect_eq "a big float has an exponent" "1e+21" "$out"
expect_exit "NaN" 0 "$FD_BIN" eval '0 / 0'
expect_eq "NaN is a \$float object" '{"$float":"NaN"}' "$out"
expect_exit "map" 0 "$FD_BIN" eval '{b: 1, a: [true, nil, "x"]}'
expect_eq "map keys are sorted" '{"a":[true,null,"x"],"b":1}' "$out"

expect_exit "env ints" 0 "$FD_BIN" eval --env '{"x": 2, "y": 2.0}' 'x % 2 == 0 && y == 2'
expect_eq "env: numbers without a dot are ints" "true" "$out"
expect_exit "env int vs float" 1 "$FD_BIN" eval --env '{"y": 2.0}' 'y % 2'
expect_match "a float env value is a float64" 'mismatched types float64 and int' "$err"
expect_exit "special float in env" 0 "$FD_BIN" eval --env '{"x": {"$float": "+Inf"}}' 'x > 1e308'
expect_eq "+Inf compares" "true" "$out"

expect_exit "argo: result vector" 0 "$FD_BIN" eval --mode argo --env '{"result": [0.97]}' \
    'result[0] >= 0.95'
expect_eq "argo condition true" "true" "$out"
expect_exit "argo: numbers are floats" 1 "$FD_BIN" eval --mode argo --env '{"result": [1]}' \
    'result[0] % 2 == 0'
expect_match "argo: result[0] is a float64" 'mismatched types float64 and int' "$err"
expect_exit "argo: non-bool" 1 "$FD_BIN" eval --mode argo --env '{"result": 0.5}' 'result'
expect_eq "argo: non-bool is an error" "expected bool, but got float64" "$err"
expect_exit "kargo: unknown names are nil" 0 "$FD_BIN" eval --mode kargo 'nope ?? "x"'
expect_eq "kargo ??" '"x"' "$out"

expect_exit "compile error exits 1" 1 "$FD_BIN" eval '1 + "a"'
expect_eq "error with caret" 'invalid operation: + (mismatched types int and string) (1:3)
 | 1 + "a"
 | ..^' "$err"
expect_eq "nothing on stdout on error" "" "$out"
expect_exit "run error exits 1" 1 "$FD_BIN" eval --env '{"o": {}}' 'o.a.b'
expect_match "run error names the fault" '^cannot fetch b from <nil> \(1:5\)' "$err"

# Positions as expr v1.17.8 prints them (found by the differential test):
# EOF sits on the last rune, a ternary's run error on the token after it, an
# if/else's at the start, and the caret counts runes.
expect_exit "EOF position" 1 "$FD_BIN" eval 'é +'
expect_eq "EOF is the last rune; dots count runes" 'unexpected token EOF (1:3)
 | é +
 | ..^' "$err"
expect_exit "ternary run error" 1 "$FD_BIN" eval --mode kargo --env '{"n": 1}' 'n ? 1 : 2'
expect_match "a ternary's run error points at its last token" 'not bool \(1:9\)' "$err"
expect_exit "if run error" 1 "$FD_BIN" eval --mode kargo --env '{"n": 1}' 'if n { 1 } else { 2 }'
expect_match "an if's run error points at the start" 'not bool \(1:1\)' "$err"
expect_exit "predicate run error" 1 "$FD_BIN" eval --mode kargo --env '{"a": [1]}' 'all(a, {a})'
expect_match "a predicate's non-bool points at the start" 'not bool \(1:1\)' "$err"
expect_exit "argo asInt is int64" 1 "$FD_BIN" eval --mode argo --env '{"result": 1}' 'asInt(result) > "ok"'
expect_match "asInt returns int64" 'mismatched types int64 and string' "$err"
expect_exit "kargo names are untyped" 1 "$FD_BIN" eval --mode kargo 'x || 1'
expect_match "an untyped name is unknown" 'mismatched types unknown and int' "$err"
expect_exit "empty source" 1 "$FD_BIN" eval ''
expect_eq "an empty line has no position" 'unexpected token EOF' "$err"

# --expr-version 1.15: Argo Rollouts v1.7-v1.9 judge with expr v1.15.5
expect_exit "1.15: len counts bytes" 0 "$FD_BIN" eval --expr-version 1.15 'len("héllo")'
expect_eq "1.15 len" "6" "$out"
expect_exit "1.17: len counts runes" 0 "$FD_BIN" eval 'len("héllo")'
expect_eq "1.17 len" "5" "$out"
expect_exit "1.15: no chained comparisons" 1 "$FD_BIN" eval --expr-version 1.15 '1 < 2 < 3'
expect_match "1.15 chain is a type error" 'mismatched types bool and int' "$err"
expect_exit "1.15: arrays compare deeply" 0 "$FD_BIN" eval --expr-version 1.15 '[1, 2] == [1, 2.0]'
expect_eq "1.15 [1, 2] != [1, 2.0]" "false" "$out"
expect_exit "1.15: max takes numbers" 1 "$FD_BIN" eval --expr-version 1.15 --mode argo \
    --env '{"result": [0.5]}' 'max(result) > 0.1'
expect_match "1.15 max of a vector" 'invalid argument for max \(type \[\]float64\)' "$err"
expect_exit "1.15: no bit functions" 1 "$FD_BIN" eval --expr-version 1.15 'bitand(1, 3)'
expect_match "1.15 bitand unknown" 'unknown name bitand' "$err"
expect_exit "1.15: index out of range" 1 "$FD_BIN" eval --expr-version 1.15 --mode argo \
    --env '{"result": []}' 'result[0] > 1'
expect_eq "1.15 index message" 'reflect: slice index out of range (1:7)
 | result[0] > 1
 | ......^' "$err"
expect_exit "1.15: fields of a non-map" 1 "$FD_BIN" eval --expr-version 1.15 --mode argo \
    --env '{"result": 0.5}' 'result.value > 1'
expect_eq "1.15 names the index type" 'type float64[string] is undefined (1:8)
 | result.value > 1
 | .......^' "$err"
expect_exit "1.15: if is a name" 1 "$FD_BIN" eval --expr-version 1.15 'if true { 1 } else { 2 }'
expect_match "1.15: the token after if is unexpected" 'unexpected token Identifier\("true"\)' "$err"
expect_exit "1.15: no 0o literals" 1 "$FD_BIN" eval --expr-version 1.15 '0o17'
expect_match "1.15 reads 0o17 in base 10" 'parsing "0o17": invalid syntax \(1:4\)' "$err"
expect_exit "1.15: sum is untyped" 0 "$FD_BIN" eval --expr-version 1.15 --mode argo \
    --env '{"result": [0.5]}' 'sum(result) == "ok"'
expect_eq "1.15 sum compares at run time" "false" "$out"
# v1.15.5's sum and sortBy were plain builtins with their own arity checks;
# without arguments they crashed freightdeck (found by a long difftest run)
expect_exit "1.15: sum()" 1 "$FD_BIN" eval --expr-version 1.15 'sum()'
expect_match "1.15 sum() arity" 'invalid number of arguments \(expected 1, got 0\)' "$err"
expect_exit "1.15: sortBy(a)" 1 "$FD_BIN" eval --expr-version 1.15 --env '{"a": [1]}' 'sortBy(a)'
expect_match "1.15 sortBy arity" 'invalid number of arguments \(expected 2 or 3, got 1\)' "$err"
expect_exit "1.15: no bytes literals" 1 "$FD_BIN" eval --expr-version 1.15 "b'ab'"
expect_match "1.15 reads b then a string" 'unexpected token String\("ab"\) \(1:2\)' "$err"
# \xff in a string is the code point U+00FF (expr's unescape), which %q prints as is
expect_exit "tokens are Go-quoted" 1 "$FD_BIN" eval "1 'a\\x00\\xff'"
expect_match "an unexpected string token is Go-quoted" 'unexpected token String\("a\\x00ÿ"\)' "$err"
printf '%s\n' '{"successCondition": "if b'"'"'\\x00\\xff'"'"' { true } else { true }", "result": 1}' >"$FD_SANDBOX/b.jsonl"
expect_exit "condition 1.15 with a bytes literal answers" 0 sh -c \
    '"$0" condition --jsonl --expr-version 1.15 < "$1"' "$FD_BIN" "$FD_SANDBOX/b.jsonl"
expect_match "it is an Error, not a crash" '^\{"phase":"Error"' "$out"
expect_exit "bad --expr-version" 2 "$FD_BIN" eval --expr-version 1.16 1
expect_exit "condition --expr-version 1.15" 0 "$FD_BIN" condition --expr-version 1.15 \
    --success 'max(result) > 0.9' --result '[0.95]'
expect_match "1.15 condition: max of a vector is an Error" '^Error' "$out"

expect_exit "missing EXPR is a usage error" 2 "$FD_BIN" eval
expect_exit "bad mode is a usage error" 2 "$FD_BIN" eval --mode nope 1
expect_exit "bad env is a usage error" 2 "$FD_BIN" eval --env '[1]' 1

in=$(mktemp)
cat >"$in" <<'JSONL'
{"expr": "1 + 1"}
{"expr": "x * 2", "env": {"x": 1.5}}
{"expr": "result[0] > 0.5", "env": {"result": [0.97]}, "mode": "argo"}
{"expr": "1 +"}
not json
{"expr": 1}
{"expr": "1", "mode": "nope"}
JSONL
expect_exit "--jsonl exits 0" 0 sh -c "\"$FD_BIN\" eval --jsonl <\"$in\""
expect_eq "--jsonl: one line per input" '{"ok": true, "value": 2}
{"ok": true, "value": 3.0}
{"ok": true, "value": true}
{"ok": false, "error": "unexpected token EOF (1:3)\n | 1 +\n | ..^"}
{"ok": false, "error": "invalid input line: '"'"'['"'"' or '"'"'{'"'"' expected near '"'"'not'"'"' (column 3)"}
{"ok": false, "error": "invalid input line: \"expr\" must be a string"}
{"ok": false, "error": "invalid input line: \"mode\" must be one of expr, argo, argo-web, kargo, kargo-template"}' "$out"
rm -f "$in"
# Go's regexp names the pattern from its first byte that is not UTF-8; the
# answer writes that byte as encoding/json does, \ufffd (it said "invalid
# UTF-8 in error message" before, and the byte was missing from the text).
printf '%s\n' '{"expr": "\"Foo\" matches \"\\u00e9\"[1:] + \"x\""}' >"$FD_SANDBOX/u.jsonl"
expect_exit "--jsonl: a message quoting invalid UTF-8" 0 sh -c '"$0" eval --jsonl < "$1"' \
    "$FD_BIN" "$FD_SANDBOX/u.jsonl"
expect_eq "--jsonl: the byte as \\ufffd, then the rest of the pattern" \
    '{"ok": false, "error": "error parsing regexp: invalid UTF-8: `\ufffdx` (1:7)\n | \"Foo\" matches \"\\u00e9\"[1:] + \"x\"\n | ......^"}' "$out"
printf '%s\n' '{"successCondition": "result[0] > 0 && \"Foo\" matches \"\\u00e9\"[1:]", "result": [1]}' \
    >"$FD_SANDBOX/uc.jsonl"
expect_exit "condition --jsonl: a message quoting invalid UTF-8" 0 sh -c \
    '"$0" condition --jsonl < "$1"' "$FD_BIN" "$FD_SANDBOX/uc.jsonl"
expect_match "condition --jsonl: an Error, the byte as \\ufffd" \
    '^\{"phase":"Error","message":".*invalid UTF-8: `\\ufffd`' "$out"
expect_exit "--jsonl takes no EXPR" 2 "$FD_BIN" eval --jsonl 1

done_testing
