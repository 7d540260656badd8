#!/bin/sh
# tests/sim/test_scenario_prometheus.sh: a real Prometheus (Debian's
# package, on loopback) scrapes a sim's /metrics, and a second sim started
# with --prometheus takes its analysis measurements from it: the article's
# PromQL runs unchanged against counters that follow the scenario.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

if ! command -v prometheus >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP prometheus or curl not installed"
    exit 0
fi

d=$(mktemp -d "${TMPDIR:-/tmp}/fd-prom.XXXXXX")
pid=
cpid=
ppid_=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null
    [ -n "$ppid_" ] && kill "$ppid_" 2>/dev/null && wait "$ppid_" 2>/dev/null
    rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

listening() { # FILE: waits for "listening on URL", prints the port
    await 20 grep -q '^listening on ' "$1" 2>/dev/null
    sed -n 's/^listening on http:\/\/127\.0\.0\.1://p' "$1"
}

wait_http() { # NAME SECS URL PATTERN
    _end=$(( $(date +%s) + $(scaled "$2") ))
    while :; do
        _got=$(curl -s --max-time "$(scaled 5)" "$3" 2>/dev/null)
        if printf '%s\n' "$_got" | grep -Eq -- "$4"; then tap_ok "$1"; return 0; fi
        if [ "$(date +%s)" -ge "$_end" ]; then
            tap_not_ok "$1"; diag "waited $(scaled "$2") s for $4 at $3"; diag "last got: $_got"; return 1
        fi
        sleep 0.3 # poll
    done
}

# A free port for Prometheus: one a throwaway sim was given.
"$FD_BIN" sim --scenario none >"$d/free" 2>/dev/null &
pid=$!
pport=$(listening "$d/free")
kill "$pid"; wait "$pid" 2>/dev/null; pid=
if [ -z "$pport" ]; then tap_not_ok "a free port"; done_testing; exit 1; fi
P="http://127.0.0.1:$pport"

# The "cluster": a sim playing payments, whose /metrics Prometheus scrapes.
"$FD_BIN" sim --scenario payments --speed 20 >"$d/cluster" 2>/dev/null &
cpid=$!
cport=$(listening "$d/cluster")
cat >"$d/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
- job_name: freightdeck-sim
  static_configs: [{targets: ['127.0.0.1:$cport']}]
YAML
prometheus --config.file="$d/prometheus.yml" --storage.tsdb.path="$d/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$d/prom.log" 2>&1 &
ppid_=$!

wait_http "Prometheus is ready" 30 "$P/-/ready" 'Ready'
wait_http "it scraped the sim's counters" 30 \
    "$P/api/v1/query?query=http_requests_total%7Bservice%3D%22payments-staging%22%7D" \
    '"service":"payments-staging","status":"500"'
wait_http "enough samples for rate()" 30 \
    "$P/api/v1/query?query=rate(http_requests_total%7Bservice%3D%22payments-staging%22%7D%5B5m%5D)" \
    '"value":\[[0-9.]+,"[1-9]'

# The sim under test measures through that Prometheus.
"$FD_BIN" sim --scenario payments --speed 60 --prometheus "$P" >"$d/out" 2>"$d/err" &
pid=$!
sport=$(listening "$d/out")
expect_match "the sim says where it measures" "measuring through $P" "$(cat "$d/err")"
runs="http://127.0.0.1:$sport/apis/argoproj.io/v1alpha1/namespaces/payments/analysisruns"

# staging's verification: the article's success-rate query, answered by
# Prometheus from the cluster's counters.
wait_http "staging's verification measures success-rate through Prometheus" 60 "$runs" \
    '"name":"success-rate".*"measurements":\[\{"phase":"Successful"[^}]*"value":"\[0\.9[0-9]*\]"'
expect_match "the query it sent is the template's, arguments resolved" \
    'ResolvedPrometheusQuery":"sum\(rate\(http_requests_total\{\\n  service=\\"payments-staging\\"' \
    "$(curl -s "$runs")"
# Without Prometheus the next measurement fails in Argo's words.
kill "$ppid_"; wait "$ppid_" 2>/dev/null; ppid_=
wait_http "with Prometheus gone, a measurement errors naming its address" 60 "$runs" \
    "\"phase\":\"Error\"[^}]*\"message\":\"Post \\\\\"$P/api/v1/query\\\\\": dial tcp 127.0.0.1:$pport: connect: connection refused"
done_testing
