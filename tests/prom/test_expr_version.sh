#!/bin/sh
# tests/prom/test_expr_version.sh: which expr release judges is chosen, not
# guessed: --expr-version, else argoRollouts.exprVersion in the config file,
# else (analyze --stage) the Argo Rollouts controller's image tag read from
# the cluster, else 1.17; analyze says which and why, and judges with it.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/prom/lib.sh"

data="$FD_TOP_SRCDIR/tests/prom/data"
fake="$FD_TOP_BUILDDIR/tests/prom/fakeprom"
at=2024-01-01T01:00:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/exprv.XXXXXX") || exit 99
sim_pid=""
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

analyze() { "$FD_BIN" analyze "$@"; }
flat() { printf '%s ' "$1" | tr '\n' ' '; }
run="$data/run-inconclusive.json"
# A chained comparison: expr 1.17 reads it, 1.15 refuses (bool < int).
chained='success-rate.successCondition=0.5 < result[0] < 1'

# ---- No cluster: the flag, the config file, the default ----------------------
expect_exit "replay: judged with 1.17 by default (still Running, exit 4)" 4 analyze --replay "$run" --set "$chained"
expect_match "the default, and why" \
    '^judged with: expr 1\.17 \(default: Argo Rollouts v1\.10 or later assumed\)$' "$out"
expect_match "1.17 reads the chained comparison: two successes" \
    'metric success-rate: Running +count 2  successful 2  failed 0  inconclusive 0  error 0' "$(flat "$out")"
expect_exit "--expr-version 1.15" 4 analyze --replay "$run" --set "$chained" --expr-version 1.15
expect_match "the flag, and why" '^judged with: expr 1\.15 \(flag: --expr-version 1\.15\)$' "$out"
expect_match "1.15 refuses it: two errors" \
    'metric success-rate: Running +count 0  successful 0  failed 0  inconclusive 0  error 2' "$(flat "$out")"
expect_exit "-o json: the expr version, its source and why" 3 \
    analyze --replay "$run" --expr-version 1.15 -o json
expect_match "JSON" '"expr": \{ *"version": "1\.15", *"source": "flag", *"why": "--expr-version 1\.15" *\}' \
    "$(flat "$out")"
expect_exit "--expr-version 2: a usage error" 2 analyze --replay "$run" --expr-version 2
expect_match "named" "--expr-version must be 1.17 or 1.15, not '2'" "$err"

printf 'argoRollouts:\n  exprVersion: "1.15"\n' >"$work/config.yaml"
expect_exit "argoRollouts.exprVersion in the config file" 4 \
    env FREIGHTDECK_CONFIG="$work/config.yaml" "$FD_BIN" analyze --replay "$run" --set "$chained"
expect_match "the config, and where" \
    "^judged with: expr 1\\.15 \\(config: argoRollouts\\.exprVersion 1\\.15 at $work/config\\.yaml:2\\)\$" "$out"
expect_exit "the flag beats the config file" 3 \
    env FREIGHTDECK_CONFIG="$work/config.yaml" "$FD_BIN" analyze --replay "$run" --expr-version 1.17
expect_match "flag" '^judged with: expr 1\.17 \(flag: --expr-version 1\.17\)$' "$out"
printf 'argoRollouts:\n  exprVersion: "1.16"\n' >"$work/bad.yaml"
expect_exit "a bad config value: refused" 1 \
    env FREIGHTDECK_CONFIG="$work/bad.yaml" "$FD_BIN" analyze --replay "$run"
expect_match "file:line:col and the key" \
    'bad\.yaml:2:16: argoRollouts\.exprVersion: must be 1\.17 or 1\.15, not "1\.16"' "$err"
printf 'argoRollouts:\n  exprversion: "1.15"\n' >"$work/typo.yaml"
expect_exit "a misspelt key: refused" 1 \
    env FREIGHTDECK_CONFIG="$work/typo.yaml" "$FD_BIN" analyze --replay "$run"
expect_match "did you mean" 'unknown key "exprversion" in argoRollouts \(did you mean "exprVersion"\?\)' "$err"

# ---- A cluster whose controller is Argo Rollouts v1.9.3 ------------------------
sim_start "$work" "$data/stage-verification.yaml" "$data/argo-rollouts-v1.9.yaml" ||
    { done_testing; exit 1; }
kc="$work/kubeconfig"
dead="http://127.0.0.1:$("$fake" free-port)"
expect_exit "--stage: the controller's release read from the cluster" 2 \
    analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "detected, and from where" \
    '^judged with: expr 1\.15 \(detected: argo-rollouts v1\.9\.3 \(Deployment argo-rollouts/argo-rollouts\)\)$' "$out"
expect_exit "--stage -o json" 2 \
    analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$dead" --time $at -o json
expect_match "JSON: detected" '"expr": \{ *"version": "1\.15", *"source": "detected"' "$(flat "$out")"
expect_exit "--stage with the flag: the flag wins, nothing is read" 2 \
    analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$dead" --time $at --expr-version 1.17
expect_match "flag" '^judged with: expr 1\.17 \(flag: --expr-version 1\.17\)$' "$out"
expect_exit "--stage with the config key: the config wins" 2 env FREIGHTDECK_CONFIG="$work/config.yaml" \
    "$FD_BIN" analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "config" '^judged with: expr 1\.15 \(config: ' "$out"
# The console reads it too and says so in the Stage's verification.
console_screen() { # NAME [options...]: the Stage healthy's screen, once the expr line names $want
    _name=$1; shift
    printf ':stage healthy\n@until judged with expr %s\n:dump %s\n' "$want" "$work/$_name.screen" \
        >"$work/$_name.script"
    FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=140 timeout "$(scaled 60)" "$FD_BIN" console \
        --kubeconfig "$kc" --project shop --now 2024-01-01T01:00:00Z --frame-ms 1 \
        --script "$work/$_name.script" "$@" >"$work/$_name.out" 2>&1
    _rc=$?
    if [ $_rc -ne 0 ]; then tap_not_ok "$_name: console exits 0"; diag "$(cat "$work/$_name.out")"
    else tap_ok "$_name: console exits 0"; fi
}
want=1.15
console_screen console-detected
expect_match "console: detected from the cluster" \
    'judged with expr 1\.15 \(detected: argo-rollouts v1\.9\.3 \(Deployment argo-rollouts/argo-rollouts\)\)' \
    "$(cat "$work/console-detected.screen" 2>/dev/null)"
want=1.17
console_screen console-flag --expr-version 1.17
expect_match "console: the flag wins" 'judged with expr 1\.17 \(flag: --expr-version 1\.17\)' \
    "$(cat "$work/console-flag.screen" 2>/dev/null)"
kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
sim_pid=""

# ---- A cluster without the controller's Deployment -----------------------------
sim_start "$work" "$data/stage-verification.yaml" || { done_testing; exit 1; }
expect_exit "--stage, no controller found: the default" 2 \
    analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "the default says why nothing was detected" \
    "^judged with: expr 1\\.17 \\(default: Argo Rollouts v1\\.10 or later assumed: the controller's Deployment was not readable: .*not found" \
    "$out"
done_testing
