#!/bin/sh
# tests/cli/test_verification.sh: `get stages`, `get pipeline` and the
# console say the same verification for a Stage, from the model's one answer
# (fd_model_stage_verification_phase): a Stage without spec.verification whose
# Freight Kargo marked verified reads "Successful" (not "none"), a Stage with
# verification that has not started reads "-", a running one "Running".
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
if ! command -v openssl >/dev/null 2>&1; then
    echo "1..0 # SKIP needs openssl"; exit 0
fi
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"
sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" \
    --load "$FD_TOP_SRCDIR/tests/cli/noverify.yaml" || { echo "Bail out! sim did not start"; exit 1; }
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"
fd() { timeout "$(scaled 60)" "$FD_BIN" "$@"; }

expect_exit "get stages" 0 fd get stages -p shop
expect_match "get stages: no spec.verification, verified by Kargo: Successful" \
    '^dev +[A-Za-z]+ +Healthy +calm-cat +Successful ' "$out"
case $out in *" none "*) tap_not_ok "get stages: never 'none'"; diag "$out" ;;
*) tap_ok "get stages: never 'none'" ;; esac
expect_match "get stages: verification not started: -" '^uat +[A-Za-z]+ +Healthy +calm-cat +- ' "$out"
expect_match "get stages: a running verification" '^qa +[A-Za-z]+ +Healthy +brave-bear +Running ' "$out"
expect_exit "get pipeline -o wide" 0 fd get pipeline -p shop -o wide
expect_match "get pipeline: dev Successful" '^Stage/dev .* Healthy +Successful' "$out"
expect_match "get pipeline: uat -" '^Stage/uat .* Healthy +-' "$out"

# get stages and get pipeline read each Stage's current Freight by name for
# its alias, never the list of every Freight (kept for months in a project).
for what in stages pipeline; do
    rm -f "$d/get.log"
    expect_exit "get $what --log" 0 fd get $what -p shop --log "$d/get.log"
    log=$(cat "$d/get.log" 2>/dev/null)
    case $log in *"/freights?"*) tap_not_ok "get $what: no list of Freight"; diag "$log" ;;
    *) tap_ok "get $what: no list of Freight" ;; esac
    expect_match "get $what: the current Freight read by name" \
        'GET /apis/kargo.akuity.io/v1alpha1/namespaces/shop/freights/f-web-1 .*HTTP 200' "$log"
    expect_eq "get $what: each current Freight read once" 3 \
        "$(grep -c '/namespaces/shop/freights/' "$d/get.log")"
done
expect_exit "get stages -A" 0 fd get stages -A
expect_match "get stages -A: the alias of a Freight read by name" '^shop +dev +.* calm-cat ' "$out"
# A Freight that is gone is shown by its name.
k delete freight f-api-0 -n shop >/dev/null 2>&1
expect_exit "get stages: a current Freight deleted" 0 fd get stages -p shop
expect_match "get stages: shown by its name" '^prod +.* f-api-0 ' "$out"

# The console's pipeline pane, from the same sim.
printf '@until uat\n:dump %s\n' "$d/console.screen" >"$d/script"
FREIGHTDECK_NO_DISPLAY=1 LINES=30 COLUMNS=120 timeout "$(scaled 60)" "$FD_BIN" console \
    --project shop --frame-ms 1 --script "$d/script" >"$d/console.out" 2>&1
expect_eq "console exits 0" 0 "$?"
screen=$(cat "$d/console.screen" 2>/dev/null)
expect_match "console: dev Successful, as get stages" '^. dev .*✔ Successful' "$screen"
expect_match "console: uat -, as get stages" '^. uat .*calm-cat[^│]* +-( |$)' "$screen"
expect_match "console: qa Running, as get stages" '^. qa .*Running' "$screen"
done_testing
