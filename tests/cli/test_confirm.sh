#!/bin/sh
# tests/cli/test_confirm.sh: the commands ask for a production Stage's name
# as the console's dialog does (issue 12.18): typed on a terminal, --yes for
# scripts, refused without either; a second `rollout abort` says it changes
# nothing; the CLI and the console write the same annotation values.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" ||
    { echo "Bail out! sim did not start"; exit 1; }
fd() { timeout 60 "$FD_BIN" "$@"; }
approved() { k get freight f-api-1 -n shop -o jsonpath='{.status.approvedFor}'; }

# Without a terminal and without --yes: refused, nothing sent.
expect_exit "prod without a terminal nor --yes: refused" 1 \
    fd approve brave-bear --stage prod -p shop </dev/null
expect_match "it says why and how" \
    'refused: Stage prod is a production Stage: confirm on a terminal, or pass --yes; nothing was sent' "$err"
expect_eq "nothing was sent" "" "$(approved)"
expect_exit "a Stage that is not production needs no name" 0 fd refresh stage qa -p shop </dev/null

# On a terminal: the console's words; a wrong name sends nothing.
out=$(printf 'prd\n' | timeout 60 script -qec "$FD_BIN approve brave-bear --stage prod -p shop" /dev/null 2>&1 | tr -d '\r')
expect_match "the prompt is the console's" 'Production: type the Stage name \(prod\) and Enter to send:' "$out"
expect_match "the plan is shown first" 'PATCH /apis/kargo.akuity.io/v1alpha1/namespaces/shop/freights/f-api-1/status' "$out"
expect_match "a wrong name: not sent" 'not sent: "prd" is not the Stage name \(prod\)' "$out"
expect_eq "a wrong name sent nothing" "" "$(approved)"
out=$(printf 'prod\n' | timeout 60 script -qec "$FD_BIN approve brave-bear --stage prod -p shop" /dev/null 2>&1 | tr -d '\r')
expect_match "the right name: sent" 'approve: .*: done' "$out"
expect_match "kubectl: approved for prod" '"prod"' "$(approved)"

# The config file's console.production globs decide, for both.
printf 'console:\n  production: ["q*"]\n' >"$d/prod-q.yaml"
expect_exit "console.production [q*]: qa asks" 1 \
    env FREIGHTDECK_CONFIG="$d/prod-q.yaml" timeout 60 "$FD_BIN" refresh stage qa -p shop </dev/null
expect_match "qa is production there" 'Stage qa is a production Stage' "$err"
expect_exit "console.production [q*]: prod does not" 0 \
    env FREIGHTDECK_CONFIG="$d/prod-q.yaml" timeout 60 "$FD_BIN" refresh stage prod -p shop </dev/null

# A second abort changes nothing, and says so.
expect_exit "rollout abort shop-prod (by name) asks as --stage prod does" 1 \
    fd rollout abort shop-prod -p shop </dev/null
expect_match "the Rollout's Stage is named" 'refused: Stage prod is a production Stage' "$err"
expect_eq "nothing was sent" "" "$(k get rollout shop-prod -n shop -o jsonpath='{.status.abort}')"
expect_exit "rollout abort shop-prod --yes" 0 fd rollout abort shop-prod -p shop --yes
expect_exit "rollout abort shop-prod --yes again" 0 fd rollout abort shop-prod -p shop --yes
expect_match "the second abort says it changes nothing" 'warning: .*changes nothing' "$err"
expect_exit "shop-qa (Stage qa) needs no name" 0 fd rollout promote --full shop-qa -p shop </dev/null

# The same annotation value from the console and from the CLI.
printf '@until live\njjj<Enter>\nv\n@until type the Stage name\nprod<Enter>\n@until done (HTTP\n:dump %s\n' "$d/v.screen" >"$d/v.script"
FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=140 timeout 60 "$FD_BIN" console --project shop \
    --frame-ms 1 --script "$d/v.script" >"$d/v.out" 2>&1
expect_eq "console: reverify prod ran" "0" "$?"
console_value=$(k get stage prod -n shop -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/reverify}')
expect_match "console: the reverify annotation names the verification" 'v-prod-done' "$console_value"
k annotate stage prod -n shop kargo.akuity.io/reverify- >/dev/null
expect_exit "cli: verify prod --yes" 0 fd verify prod -p shop --yes
expect_eq "the CLI writes what the console wrote" "$console_value" \
    "$(k get stage prod -n shop -o jsonpath='{.metadata.annotations.kargo\.akuity\.io/reverify}')"

done_testing
