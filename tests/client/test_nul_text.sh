#!/bin/sh
# tests/client/test_nul_text.sh: a NUL in a cluster's text. Argo Rollouts
# stores json-iterator's messages, which name the NUL byte they met, in an
# AnalysisRun's status (Prometheus answered nothing: "readObjectStart: expect
# { or n, but found \x00"), and the API server keeps it as \u0000. One such
# string must not make a list, a watch event, a get or a replay unreadable,
# and everywhere freightdeck keeps it, it reads as U+2400 (util.h
# FD_NUL_SHOWN). The first version failed the whole list ("\u0000 is not
# allowed without JSON_ALLOW_NUL"): every AnalysisRun of the project gone.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" ||
    { echo "Bail out! sim did not start"; exit 1; }
fd() { timeout "$(scaled 60)" "$FD_BIN" "$@"; }
probe="$FD_TOP_BUILDDIR/tests/client/probe"
probe_pid=
cleanup_all() {
    if [ -n "$probe_pid" ]; then kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null; fi
    cleanup
}
trap cleanup_all EXIT
nul=$(printf '\342\220\200') # U+2400, as freightdeck writes a NUL

# A live client before the run exists: it arrives by a watch event.
"$probe" "$d/kubeconfig" shop "$d/dump" "$(scaled 120)" 2>"$d/probe.err" &
probe_pid=$!
wait_for "probe: live after the first lists" 20 '^state live' cat "$d/dump"

# What Argo Rollouts v1.10 stores when Prometheus answers 200 with no body,
# five times over (consecutiveErrorLimit 4).
said='readObjectStart: expect { or n, but found \u0000, error found in #0 byte of ...||..., bigger context ...||...'
m=
for i in 0 1 2 3 4; do
    m="$m${m:+,} {\"phase\": \"Error\", \"message\": \"$said\", \"startedAt\": \"2024-01-01T02:00:${i}0Z\", \"finishedAt\": \"2024-01-01T02:00:${i}0Z\"}"
done
cat >"$d/run.json" <<EOF
{"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisRun",
 "metadata": {"name": "nul-run", "namespace": "shop"},
 "spec": {"metrics": [{"name": "success-rate", "interval": "10s", "successCondition": "result[0] >= 0.95",
   "provider": {"prometheus": {"address": "http://prometheus:9090", "query": "up"}}}]},
 "status": {"phase": "Error",
   "message": "Metric \"success-rate\" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): \"Error Message: $said\"",
   "startedAt": "2024-01-01T02:00:00Z", "runSummary": {"count": 1, "error": 1},
   "metricResults": [{"name": "success-rate", "phase": "Error", "error": 5, "consecutiveError": 5,
     "measurements": [$m]}]}}
EOF
expect_exit "kubectl creates an AnalysisRun whose message holds \\u0000" 0 k create -f "$d/run.json"
expect_match "the server keeps the NUL (kubectl's JSON)" 'found \\u0000, error' \
    "$(k get analysisrun nul-run -n shop -o json)"

wait_for "probe: the watch event with the NUL arrives (AnalysisRun in the store)" 20 \
    '^AnalysisRun nul-run ' cat "$d/dump"
expect_eq "probe: still live, no error" "" "$(grep -E '^error ' "$d/dump")"
kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null
"$probe" "$d/kubeconfig" shop "$d/dump2" "$(scaled 120)" 2>"$d/probe2.err" &
probe_pid=$!
wait_for "probe: a list holding it is read (a new client)" 20 '^AnalysisRun nul-run ' cat "$d/dump2"
kill "$probe_pid" 2>/dev/null; wait "$probe_pid" 2>/dev/null

expect_exit "get analysisruns -o wide reads the list" 0 fd get analysisruns -p shop -o wide
expect_match "get: the message with the NUL shown as U+2400, and what follows it" \
    "nul-run .*found $nul, error found" "$out"
expect_exit "get analysisruns -o json" 0 fd get analysisruns -p shop -o json
expect_eq "json: the message as freightdeck shows it" \
    "Metric \"success-rate\" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): \"Error Message: readObjectStart: expect { or n, but found $nul, error found in #0 byte of ...||..., bigger context ...||...\"" \
    "$(printf '%s' "$out" | python3 -c 'import json,sys; print([r["message"] for r in json.load(sys.stdin) if r["name"] == "nul-run"][0])')"

# The recorded run, as kubectl prints it, replays.
k get analysisrun nul-run -n shop -o json >"$d/recorded.json"
expect_exit "analyze --replay of the recorded run: its verdict, Error (exit 2)" 2 \
    fd analyze --replay "$d/recorded.json"
expect_match "replay: the measurement's message with the NUL shown" \
    "^  message: readObjectStart: expect \\{ or n, but found $nul, error found in #0 byte" "$out"
k get analysisrun nul-run -n shop -o yaml >"$d/recorded.yaml"
expect_match "kubectl -o yaml writes the NUL as an escape" 'found \\0, error' "$(cat "$d/recorded.yaml")"
expect_exit "analyze --replay of the run as kubectl -o yaml prints it: Error (exit 2)" 2 \
    fd analyze --replay "$d/recorded.yaml"
expect_match "replay (YAML): the measurement's message with the NUL shown" \
    "^  message: readObjectStart: expect \\{ or n, but found $nul, error found in #0 byte" "$out"
done_testing
