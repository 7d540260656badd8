#!/bin/sh
# tests/console/test_cap.sh: the console's store holds at most
# FREIGHTDECK_STORE_CAP objects of a kind (default 50,000); past it the header
# and the list's title say how many of how many are shown, against the sim.
# The sim's seed has 3 Freight in project shop; a cap of 2 drops one.
# Also: the pipeline's Warehouse cards count their own Freight (shop has two
# Warehouses: api with 2 Freight, web with 1).
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
if ! command -v openssl >/dev/null 2>&1; then
    echo "1..0 # SKIP needs openssl"; exit 0
fi
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"
sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" ||
    { echo "Bail out! sim did not start"; exit 1; }
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"

# run NAME [ENV=VALUE...] <<script: the console on project shop; the screen in $d/NAME.screen.
run() {
    _name=$1; shift
    cat >"$d/$_name.script"
    printf ':dump %s\n' "$d/$_name.screen" >>"$d/$_name.script"
    env "$@" FREIGHTDECK_NO_DISPLAY=1 LINES=30 COLUMNS=160 timeout "$(scaled 60)" "$FD_BIN" \
        console --project shop --frame-ms 1 --script "$d/$_name.script" >"$d/$_name.out" 2>&1
    expect_eq "$_name: the console exits 0" 0 "$?"
}
screen() { cat "$d/$1.screen" 2>/dev/null; }

run capped FREIGHTDECK_STORE_CAP=2 <<'S'
@until showing 2 of 3 Freight
S
expect_match "capped: the header says 2 of 3 Freight are shown" \
    '✔ live +⚠ showing 2 of 3 Freight \(limit\)' "$(screen capped)"

run capped-list FREIGHTDECK_STORE_CAP=2 <<'S'
@until showing 2 of 3 Freight
:freight
@until ALIAS
S
expect_match "capped-list: the Freight list's title says it too" \
    '▸ Freight +⚠ showing 2 of 3 Freight \(limit\)' "$(screen capped-list)"

run whole FREIGHTDECK_STORE_CAP=3 <<'S'
@until live
:freight
@until ALIAS
S
case $(screen whole) in *showing*) tap_not_ok "whole: nothing said when all fit"; diag "$(screen whole)" ;;
*) tap_ok "whole: nothing said when all fit" ;; esac

run cards <<'S'
@until live
@until newest
S
expect_match "cards: Warehouse api counts its 2 Freight" '2 Freight' "$(screen cards)"
expect_match "cards: Warehouse web counts its 1 Freight, not the project's 3" '1 Freight' "$(screen cards)"
expect_eq "cards: no card counts the project's 3" "" "$(screen cards | grep -o '3 Freight')"

# A long context name (as EKS names them) at 80 columns: the connection's
# state keeps the end of the header, whole, and the name gives way ("…").
sed 's#freightdeck-sim#arn:aws:eks:eu-west-1:123456789012:cluster/payments-production#g' \
    "$KUBECONFIG" >"$d/long.kubeconfig"
printf '@until live\n:dump %s\n' "$d/long.screen" >"$d/long.script"
KUBECONFIG="$d/long.kubeconfig" FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=80 \
    timeout "$(scaled 60)" "$FD_BIN" console --project shop --frame-ms 1 \
    --script "$d/long.script" >"$d/long.out" 2>&1
expect_eq "long context at 80 columns: the console exits 0" 0 "$?"
expect_match "long context at 80 columns: the header ends with the state, whole" \
    'ctx: arn:aws:eks.*… +✔ live *$' "$(screen long | sed -n 1p)"

FREIGHTDECK_STORE_CAP=lots FREIGHTDECK_NO_DISPLAY=1 "$FD_BIN" console --project shop \
    --script /dev/null >"$d/bad.out" 2>&1
expect_eq "a bad FREIGHTDECK_STORE_CAP: usage exit" 2 "$?"
expect_match "a bad FREIGHTDECK_STORE_CAP: named with its value" \
    'FREIGHTDECK_STORE_CAP="lots": not a number of objects' "$(cat "$d/bad.out")"
done_testing
