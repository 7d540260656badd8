#!/bin/sh
# tests/cli/test_condition.sh: `freightdeck condition` judges a result as Argo
# Rollouts does and explains the phase.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_exit "inconclusive result exits 0" 0 "$FD_BIN" condition \
    --success 'result[0] >= 0.95' --failure 'result[0] < 0.90' --result '[0.93]'
expect_eq "phase first, then where the value falls" \
"Inconclusive
0.93 is below the success threshold 0.95 and not below the failure threshold 0.90: neither condition holds." "$out"

expect_exit "successful" 0 "$FD_BIN" condition --success 'result[0] >= 0.95' --result '[0.97]'
expect_eq "successful: which condition held, and that it is the only one" \
"Successful
The successCondition \`result[0] >= 0.95\` holds (0.97 is at or above the success threshold 0.95). Only a successCondition is defined: the measurement is Failed whenever it does not hold." "$out"

expect_exit "failed" 0 "$FD_BIN" condition --failure 'result > 0.05' --result 0.2 --result-type scalar
expect_match "failed: the failure condition held" '^Failed$' "$(printf '%s\n' "$out" | head -1)"
expect_match "failed: names the failure threshold" '0.2 is above the failure threshold 0.05' "$out"

expect_exit "NaN scalar" 0 "$FD_BIN" condition --success 'result >= 0.9' --failure 'result < 0.9' --result NaN
expect_match "NaN is Inconclusive" '^Inconclusive' "$out"

expect_exit "empty vector" 0 "$FD_BIN" condition --success 'result[0] >= 0.9' --result '[]'
expect_eq "empty vector is an Error with Argo's wording" \
"Error
could not evaluate successCondition \"result[0] >= 0.9\": metric result is nil or empty: no data returned from the metric provider." "$out"

expect_exit "vector compared as a scalar" 0 "$FD_BIN" condition --success 'result > 0.9' --result '[0.97]'
expect_match "type error is an Error" '^Error' "$out"

expect_exit "web JSON result" 0 "$FD_BIN" condition --success 'result.ok' --result '{"ok":true}'
expect_match "JSON results use the Web provider typing" '^Successful' "$out"

expect_exit "no conditions" 0 "$FD_BIN" condition --result '[1]'
expect_match "no conditions: always Successful" 'No successCondition or failureCondition' "$out"

printf '%s\n' \
  '{"successCondition":"result[0] >= 0.95","failureCondition":"result[0] < 0.90","result":[0.93]}' \
  '{"successCondition":"result >= 0.9","result":0.95,"resultType":"scalar"}' > "$tmp/lines.jsonl"
expect_exit "--jsonl exits 0" 0 sh -c '"$0" condition --jsonl < "$1"' "$FD_BIN" "$tmp/lines.jsonl"
expect_eq "--jsonl answers one line per line" \
'{"phase":"Inconclusive","message":"0.93 is below the success threshold 0.95 and not below the failure threshold 0.90: neither condition holds."}
{"phase":"Successful","message":"The successCondition `result >= 0.9` holds (0.95 is at or above the success threshold 0.9). Only a successCondition is defined: the measurement is Failed whenever it does not hold."}' \
"$out"

printf '%s\n' 'not json' '{"result":[1],"resultType":"matrix"}' > "$tmp/bad.jsonl"
expect_exit "--jsonl with unreadable lines exits 1" 1 sh -c '"$0" condition --jsonl < "$1"' "$FD_BIN" "$tmp/bad.jsonl"
expect_match "the bad line is named" 'line 1: not JSON' "$err"
expect_match "a bad resultType is named" 'line 2: resultType "matrix"' "$err"

# Typed nil: Argo's nil *float64 / nil []float64 results reach the
# conditions as a nil result (evaluate.go valueFromPointer).
printf '%s\n' '{"successCondition":"isNil(result)","result":null,"resultType":"scalar"}' \
  '{"successCondition":"default(result, 1) > 0.5","result":null,"resultType":"vector"}' \
  '{"successCondition":"result[0] > 0.5","result":null,"resultType":"vector"}' > "$tmp/nil.jsonl"
expect_exit "typed nil results are accepted" 0 sh -c '"$0" condition --jsonl < "$1"' "$FD_BIN" "$tmp/nil.jsonl"
expect_match "a nil scalar is nil" '^\{"phase":"Successful"' "$(echo "$out" | sed -n 1p)"
expect_match "default() applies to a nil vector" '^\{"phase":"Successful"' "$(echo "$out" | sed -n 2p)"
expect_match "indexing a nil vector is an Error" '^\{"phase":"Error"' "$(echo "$out" | sed -n 3p)"

expect_exit "unreadable --result exits 1" 1 "$FD_BIN" condition --success 'result > 1' --result '[0.9'
expect_match "says what is wrong with --result" '^freightdeck condition: --result: not JSON' "$err"
expect_exit "scalar type mismatch exits 1" 1 "$FD_BIN" condition --result '[1]' --result-type scalar
expect_exit "missing --result exits 2" 2 "$FD_BIN" condition --success 'result > 1'
expect_match "usage error names the option" -- '--result is required' "$err"
expect_exit "bad --result-type exits 2" 2 "$FD_BIN" condition --result 1 --result-type matrix
expect_exit "unknown option exits 2" 2 "$FD_BIN" condition --bogus
expect_exit "--help exits 0" 0 "$FD_BIN" condition --help
expect_match "--help starts with the usage line" '^Usage: freightdeck condition' "$out"

# A number given as a string is read as the Prometheus provider reads a
# sample value, with strconv.ParseFloat: "1_000" is 1000, "0x10" no number.
expect_exit "a string sample value, as ParseFloat reads it" 0 "$FD_BIN" condition \
    --success 'result > 1' --result '"1_000"' --result-type scalar
expect_match "1_000 is 1000" '1000 is above the success threshold 1' "$out"
expect_exit "a hexadecimal sample value without its p exponent is refused" 1 "$FD_BIN" condition \
    --success 'result > 1' --result '"0x10"' --result-type scalar

done_testing
