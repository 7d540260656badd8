#!/bin/sh
# tests/prom/test_analyze_replay.sh: `freightdeck analyze --replay` on a
# Kargo verification run and hand-made runs, `--set` what-ifs, `-o json`,
# and the command's usage errors.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

data="$FD_TOP_SRCDIR/tests/prom/data"
analyze() { "$FD_BIN" analyze "$@"; }
flat() { printf '%s ' "$1" | tr '\n' ' '; }

# The Kargo prod verification run: one Failed measurement, failureLimit 0.
expect_exit "Kargo prod run replays as Failed, exit 1" 1 analyze --replay "$data/analysisrun-prod-failed.json"
expect_match "Kargo prod run: Argo's run message" \
    'message: Metric "error-rate" assessed Failed due to failed \(1\) > failureLimit \(0\)' "$out"
expect_match "Kargo prod run: counters" \
    'count 1  successful 0  failed 1  inconclusive 0  error 0  consecutiveError 0  consecutiveSuccess 0  ignored 0' "$out"

expect_exit "what if successCondition were result[0] <= 0.05: still measuring, exit 4" 4 \
    analyze --replay "$data/analysisrun-prod-failed.json" --set 'error-rate.successCondition=result[0] <= 0.05' -o json
cat >"$FD_SANDBOX/tmp/expected.json" <<'EOF'
{
  "phase": "Running",
  "message": null,
  "metricResults": [
    {
      "name": "error-rate",
      "phase": "Running",
      "message": null,
      "count": 1,
      "successful": 1,
      "failed": 0,
      "inconclusive": 0,
      "error": 0,
      "consecutiveError": 0,
      "consecutiveSuccess": 1,
      "ignored": 0
    }
  ],
  "runSummary": {
    "count": 1,
    "successful": 0,
    "failed": 0,
    "inconclusive": 0,
    "error": 0
  },
  "dryRunSummary": {
    "count": 0,
    "successful": 0,
    "failed": 0,
    "inconclusive": 0,
    "error": 0
  },
  "warnings": [
    "metric \"error-rate\": the recorded measurements ran out while it was still Running"
  ],
  "expr": {
    "version": "1.17",
    "source": "default",
    "why": "Argo Rollouts v1.10 or later assumed"
  }
}
EOF
printf '%s\n' "$out" >"$FD_SANDBOX/tmp/got.json"
expect_file_eq "-o json: the documented shape, re-judged value 0.034 now Successful" \
    "$FD_SANDBOX/tmp/expected.json" "$FD_SANDBOX/tmp/got.json"

expect_exit "what if failureLimit were 1: still measuring" 4 \
    analyze --replay "$data/analysisrun-prod-failed.json" --set error-rate.failureLimit=1
expect_match "failureLimit 1: one failure is within the limit" "metric error-rate: Running" "$out"

expect_exit "what if count were 1 and failureLimit 1: Successful?" 0 \
    analyze --replay "$data/analysisrun-prod-failed.json" --set error-rate.failureLimit=1 --set error-rate.count=1
expect_match "count 1 reached with the failure tolerated: Successful" "run: Successful" "$out"

# A two-metric run stopped by an Inconclusive measurement.
expect_exit "recorded Inconclusive run replays as Inconclusive, exit 3" 3 analyze --replay "$data/run-inconclusive.json"
expect_match "Inconclusive: Argo's message" \
    'Metric "success-rate" assessed Inconclusive due to inconclusive \(1\) > inconclusiveLimit \(0\)' "$out"
expect_match "same-time measurements share a reconcile: nothing ignored" \
    'replayed 4 measurement\(s\), 0 ignored' "$out"
expect_match "the sibling's 01:01:01 measurement counts, as in the recorded run" \
    'metric latency-p99: Successful +count 2  successful 2  failed 0  inconclusive 0  error 0  consecutiveError 0  consecutiveSuccess 2  ignored 0' \
    "$(flat "$out")"
expect_exit "--set that Argo's validation refuses: Error, exit 2" 2 \
    analyze --replay "$data/run-inconclusive.json" --set success-rate.failureLimit=5
expect_match "refused: Argo's message" \
    'run: Error.*message: Analysis spec invalid: metrics\[0\]: count \([0-9]*\) must be >= failureLimit \+ consecutiveSuccessLimit \([0-9]* \+ 0\) if both >= 0' "$(flat "$out")"
expect_match "refused: every measurement ignored" 'replayed 4 measurement\(s\), 4 ignored' "$out"
expect_exit "inconclusiveLimit 1 and count 2 for every metric ('*'): Successful, exit 0" 0 \
    analyze --replay "$data/run-inconclusive.json" --set success-rate.inconclusiveLimit=1 --set '*.count=2'
expect_match "both metrics complete" \
    "metric success-rate: Successful.*metric latency-p99: Successful.*run: Successful" "$(flat "$out")"
expect_exit "a looser successCondition re-judges 0.93 as Successful" 4 \
    analyze --replay "$data/run-inconclusive.json" --set 'success-rate.successCondition=result[0] >= 0.90' -o json
expect_match "re-judged: two successes" \
    '"name": "success-rate", *"phase": "Running", *"message": null, *"count": 2, *"successful": 2' "$(flat "$out")"
expect_exit "failureCondition removed with an empty value: Failed, exit 1" 1 \
    analyze --replay "$data/run-inconclusive.json" --set 'success-rate.failureCondition='
expect_match "success only: 0.93 fails the successCondition" "metric success-rate: Failed" "$out"

# A YAML run of five errors, ten seconds apart.
# Nothing to replay and counts at the int64 limit: no overflow, no sort of
# nothing (UndefinedBehaviorSanitizer in CI's sanitizer stage), still Running.
expect_exit "a run with no measurement yet replays as still Running, exit 4" 4 \
    analyze --replay "$data/run-no-measurements.yaml"
expect_match "it replays nothing" 'replayed 0 measurement\(s\), 0 ignored' "$out"
expect_match "extreme counts are reported, not overflowed" '18446744073709551614 earlier measurement' "$out$err"
expect_exit "YAML run: five consecutive errors, exit 2" 2 analyze --replay "$data/run-errors.yaml"
expect_match "YAML run: Error due to consecutiveErrors (5) > consecutiveErrorLimit (4)" \
    'consecutiveErrors \(5\) > consecutiveErrorLimit \(4\)' "$out"
expect_exit "consecutiveErrorLimit 1: Error after two" 2 \
    analyze --replay "$data/run-errors.yaml" --set error-rate.consecutiveErrorLimit=1
expect_match "consecutiveErrorLimit 1: the other three measurements are ignored" \
    'error 2  consecutiveError 2  consecutiveSuccess 0  ignored 3' "$out"

# Bad input and usage.
expect_exit "--set naming no metric: exit 2" 2 analyze --replay "$data/run-errors.yaml" --set nope.count=1
expect_match "--set naming no metric: says which" 'the run has no metric "nope"' "$err"
expect_exit "--set unknown field: usage error" 2 analyze --replay "$data/run-errors.yaml" --set error-rate.colour=red
expect_match "--set unknown field: lists the fields" "unknown field 'colour' \(successCondition, failureCondition" "$err"
expect_exit "--set limit not an integer" 2 analyze --replay "$data/run-errors.yaml" --set error-rate.count=lots
expect_match "--set limit not an integer: named" "count takes an integer, not 'lots'" "$err"
expect_exit "--set without --replay" 2 analyze "$data/article-templates.yaml" --set a.count=1
expect_exit "no template and no --replay" 2 analyze
expect_match "no template: says what is needed" "TEMPLATE.yaml, --stage PROJECT/STAGE or --replay RUN is required" "$err"
expect_exit "-o yaml is refused" 2 analyze --replay "$data/run-errors.yaml" -o yaml
expect_exit "--time must be RFC 3339" 2 analyze "$data/article-templates.yaml" --time yesterday
expect_match "--time: the expected form" "expected an RFC 3339 time" "$err"
expect_exit "--prometheus must be a URL" 2 analyze "$data/article-templates.yaml" --prometheus prometheus:9090
expect_exit "a missing file" 2 analyze --replay "$FD_SANDBOX/nope.json"
expect_match "a missing file: named with the reason" "nope.json: No such file or directory" "$err"
printf 'kind: AnalysisRun\nspec:\n  metrics: [\n' >"$FD_SANDBOX/tmp/broken.yaml"
expect_exit "broken YAML: exit 2" 2 analyze --replay "$FD_SANDBOX/tmp/broken.yaml"
expect_match "broken YAML: file:line:col" "broken.yaml:4:1: " "$err"
printf 'kind: AnalysisRun\nspec:\n  metrics:\n  - name: 7\n    interval: [1]\n' >"$FD_SANDBOX/tmp/wrong.yaml"
expect_exit "a field of the wrong type: exit 2" 2 analyze --replay "$FD_SANDBOX/tmp/wrong.yaml"
expect_match "a field of the wrong type: its path" "spec.metrics\[0\]" "$err"
expect_exit "a template given to --replay" 2 analyze --replay "$data/article-templates.yaml"
expect_match "a template given to --replay: explained" "holds no AnalysisRun" "$err"
# A run from a pipe, as `--replay <(kubectl get analysisrun NAME -o yaml)`
# gives one: read to its end (a FIFO here, the shell's /dev/fd in bash).
mkfifo "$FD_SANDBOX/tmp/run.fifo"
cat "$data/analysisrun-prod-failed.json" >"$FD_SANDBOX/tmp/run.fifo" &
expect_exit "a run from a FIFO replays as from its file, exit 1" 1 analyze --replay "$FD_SANDBOX/tmp/run.fifo"
wait
# Input is read up to a bound (util/yamldoc.c, 256 MiB), from a pipe too:
# a stream named by mistake is refused before it fills memory.
too_big() { head -c $((257 << 20)) /dev/zero | analyze --replay -; }
expect_exit "a stream past 256 MiB: exit 2" 2 too_big
expect_match "a stream past 256 MiB: refused by its size" "<stdin>: input too large \\(over 256 MiB\\)" "$err"

done_testing
