#!/bin/sh
# tests/prom/test_prom_real.sh: `freightdeck analyze` against a real
# Prometheus (Debian's prometheus package) started here on loopback with
# deterministic data backfilled by promtool (tests/prom/gendata.sh), plus a
# dead address, a server that never answers and one that answers garbage.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/prom/lib.sh"

data="$FD_TOP_SRCDIR/tests/prom/data"
fake="$FD_TOP_BUILDDIR/tests/prom/fakeprom"
at=2024-01-01T01:00:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/prom.XXXXXX") || exit 99
prom_pid=""
fake_pid=""
cleanup() {
    [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

analyze() { "$FD_BIN" analyze "$@"; }

# ---- Failures that need no Prometheus --------------------------------------
dead=$("$fake" free-port)
expect_exit "Prometheus down: exit 2 (Error)" 2 \
    analyze "$data/article-templates.yaml" --arg service-name=healthy --prometheus "http://127.0.0.1:$dead" --time $at
expect_match "Prometheus down: the error names the address and says connection refused" \
    "message: +Post \"http://127.0.0.1:$dead/api/v1/query\": dial tcp 127.0.0.1:$dead: connect: connection refused" "$out"
expect_match "Prometheus down: explained" "nothing accepts connections at the Prometheus address" "$out"

"$fake" serve hang "$(scaled 20)" >"$work/hang.port" & fake_pid=$!
await 5 test -s "$work/hang.port"
hang=$(cat "$work/hang.port")
start=$(date +%s)
expect_exit "slow Prometheus: exit 2 (Error)" 2 \
    analyze "$data/bad-query.yaml" --prometheus "http://127.0.0.1:$hang" --time $at
took=$(( $(date +%s) - start ))
expect_match "slow Prometheus: Go's deadline error naming the URL" \
    "message: +Post \"http://127.0.0.1:$hang/api/v1/query\": context deadline exceeded" "$out"
expect_match "slow Prometheus: explained with the timeout" "did not answer within the 2 s timeout" "$out"
if [ "$took" -le "$(scaled 6)" ]; then tap_ok "slow Prometheus: gives up after the template's 2 s timeout"
else tap_not_ok "slow Prometheus: gives up after the template's 2 s timeout"; diag "took $took s"; fi
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=""

"$fake" serve garbage "$(scaled 20)" >"$work/garbage.port" & fake_pid=$!
await 5 test -s "$work/garbage.port"
garbage=$(cat "$work/garbage.port")
expect_exit "garbage answer: exit 2 (Error)" 2 \
    analyze "$data/bad-query.yaml" --prometheus "http://127.0.0.1:$garbage" --time $at -o json
expect_match "garbage answer: a bad_response error, as client_golang reports it" \
    '"message": "bad_response: ' "$out"
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=""

"$fake" serve html "$(scaled 20)" >"$work/html.port" & fake_pid=$!
await 5 test -s "$work/html.port"
html=$(cat "$work/html.port")
expect_exit "proxy error page: exit 2 (Error)" 2 \
    analyze "$data/bad-query.yaml" --prometheus "http://127.0.0.1:$html" --time $at
expect_match "proxy error page: server_error: server error: 502" "message: +server_error: server error: 502" "$out"
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=""

expect_exit "missing argument: exit 2" 2 analyze "$data/article-templates.yaml" --prometheus "http://127.0.0.1:$dead"
expect_eq "missing argument: says which and how to pass it" \
    "freightdeck analyze: $data/article-templates.yaml: AnalysisTemplate success-rate-check: args.service-name was not resolved (pass --arg service-name=VALUE)" "$err"
expect_exit "unknown argument: usage error" 2 analyze "$data/article-templates.yaml" --arg service-name=x --arg nope=1
expect_match "unknown argument: named" "--arg nope: no template in .* declares an argument of that name" "$err"
expect_exit "no address anywhere: exit 2" 2 analyze "$data/bad-query.yaml" --time $at
expect_match "no address anywhere: Argo's message" "message: +prometheus address is not configured" "$out"

# ---- A real Prometheus -------------------------------------------------------
if ! prom_available; then
    tap_n=$((tap_n + 1))
    echo "ok $tap_n # SKIP prometheus/promtool not installed (Debian package 'prometheus'; ./bootstrap installs it)"
    done_testing
    exit $?
fi
prom_start "$work" "$fake" || { done_testing; exit 1; }
url=$prom_url

# The article's template, verbatim, for three services.
expect_exit "article, healthy service (2% 5xx): Successful, exit 0" 0 \
    analyze "$data/article-templates.yaml" --arg service-name=healthy --prometheus "$url" --time $at
expect_match "healthy: success-rate measured 0.98" "metric success-rate: Successful" "$out"
expect_match "healthy: value as Argo stores it" "value: +\[0\.9800000000000001\]" "$out"
expect_match "healthy: error-rate 0.02" "value: +\[0\.02\]" "$out"
expect_match "healthy: the resolved query is shown" 'service="healthy",' "$out"
expect_match "healthy: the instant query ran at --time" "address: +$url, instant query at $at" "$out"

expect_exit "article, bad service (12% 5xx): Failed, exit 1" 1 \
    analyze "$data/article-templates.yaml" --arg service-name=bad --prometheus "$url" --time $at -o json
expect_match "bad: success-rate 0.88 is Inconclusive (between 0.80 and 0.95)" \
    '"value": "\[0\.8800000000000001\]",.*"phase": "Inconclusive"' "$(printf '%s' "$out" | tr -d '\n')"
expect_match "bad: error-rate 0.12 Failed" \
    '"value": "\[0\.12000000000000002\]",.*"phase": "Failed"' "$(printf '%s' "$out" | tr -d '\n')"
expect_match "bad: verdict Failed" '^  "phase": "Failed"' "$out"

expect_exit "one metric in the inconclusive band: Inconclusive, exit 3" 3 \
    analyze "$data/success-only.yaml" --arg service=wobbly --prometheus "$url" --time $at
expect_match "wobbly: explained between the thresholds" \
    "0\.9 is below the success threshold 0\.95 and not below the failure threshold 0\.80: neither condition holds" "$out"

expect_exit "result shapes: scalar, matrix, NaN (dry run), a Job metric: Successful" 0 \
    analyze "$data/test-templates.yaml" --arg service=healthy --prometheus "$url" --time $at
expect_match "scalar(): a float64 result, stored without brackets" \
    "metric scalar-success: Successful.*value: +0\.9800000000000001 " "$(printf '%s ' "$out" | tr '\n' ' ')"
expect_match "range query: the matrix flattened, 3 samples over 2m at a 1m step" \
    "metric range-success: Successful.*range query from 2024-01-01T00:58:00Z to $at every 1m.*value: +\[0\.9800000000000001,0\.9800000000000001,0\.9800000000000001\]" \
    "$(printf '%s ' "$out" | tr '\n' ' ')"
expect_match "NaN: Inconclusive, as Argo judges NaN; a dry-run metric does not count" \
    "metric nan-check: Inconclusive \(dry run: does not count\).*value: +\[NaN\]" \
    "$(printf '%s ' "$out" | tr '\n' ' ')"
expect_match "a Job metric is reported, not run" "metric smoke-job: not supported by analyze \(provider: job\)" "$out"

expect_exit "empty result: Error, exit 2" 2 \
    analyze "$data/article-templates.yaml" --arg service-name=nosuch --prometheus "$url" --time $at
expect_match "empty result: the stored value is [] and Argo's message" \
    'value: +\[\].*message: +could not evaluate successCondition "result\[0\] >= 0\.95": metric result is nil or empty: no data returned from the metric provider' \
    "$(printf '%s ' "$out" | tr '\n' ' ')"

expect_exit "PromQL syntax error: Error, exit 2" 2 analyze "$data/bad-query.yaml" --prometheus "$url" --time $at
expect_match "PromQL syntax error: bad_data from Prometheus" \
    'message: +bad_data: invalid parameter "query": .*parse error' "$out"

expect_exit "template address is replaced by --prometheus" 0 \
    analyze "$data/article-templates.yaml" --arg service-name=healthy --prometheus "$url/" --time $at
expect_match "a trailing slash on the address is joined like path.Join" "address: +$url/, instant" "$out"

# --watch: interval 1s, count 3, initialDelay 1s, limits.
start=$(date +%s)
expect_exit "watch healthy: three measurements, Successful, exit 0" 0 \
    analyze "$data/watch.yaml" --watch --arg service=healthy --prometheus "$url" --time $at
took=$(( $(date +%s) - start ))
expect_eq "watch healthy: measured at +1s (initialDelay), +2s, +3s" \
    "2024-01-01T01:00:01Z 2024-01-01T01:00:02Z 2024-01-01T01:00:03Z" \
    "$(printf '%s\n' "$out" | sed -n 's/^\(2024-[^ ]*\)  error-rate #[0-9]*:.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_match "watch healthy: the run's verdict" "run: Successful" "$out"
if [ "$took" -ge 3 ] && [ "$took" -le 10 ]; then tap_ok "watch healthy: took about 3 s ($took s)"
else tap_not_ok "watch healthy: took about 3 s"; diag "took $took s"; fi

expect_exit "watch bad: failureLimit 1 fails on the 2nd failure, exit 1" 1 \
    analyze "$data/watch.yaml" --watch --arg service=bad --prometheus "$url" --time $at
expect_match "watch bad: Argo's run message" \
    'message: +Metric "error-rate" assessed Failed due to failed \(2\) > failureLimit \(1\)' "$out"
expect_eq "watch bad: the 3rd measurement is never taken" 2 "$(printf '%s\n' "$out" | grep -c ' error-rate #')"

expect_exit "watch wobbly: inconclusiveLimit 1, exit 3" 3 \
    analyze "$data/watch.yaml" --watch --arg service=wobbly --arg count=5 --prometheus "$url" --time $at -o json
expect_match "watch wobbly: Inconclusive due to inconclusive (2) > inconclusiveLimit (1)" \
    'inconclusive \(2\) > inconclusiveLimit \(1\)' "$out"

expect_exit "watch with Prometheus gone: consecutiveErrorLimit 0, exit 2" 2 \
    analyze "$data/watch.yaml" --watch --arg service=healthy --prometheus "http://127.0.0.1:$dead" --time $at
expect_match "watch error: the run message carries the error" \
    'consecutiveErrors \(1\) > consecutiveErrorLimit \(0\): "Error Message: Post' "$out"

done_testing
