#!/bin/sh
# tests/console/test_whatif.sh: the console's what-if (w) and replay (e)
# panes as text screens, driven by key scripts on the objects of
# tests/console/data/payments.json (the Stage staging and its AnalysisRun
# staging.150) plus tests/console/data/whatif-templates.json (the Stage's
# AnalysisTemplate, without a Prometheus address). The what-if queries a
# fake Prometheus (tests/prom/fakeprom: every query answers 0.99, healthy
# for the success rate and failing for the error rate), a dead port, and
# nothing at all; its port is replaced by PORT before comparing.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

data="$FD_TOP_SRCDIR/tests/console/data/payments.json"
templates="$FD_TOP_SRCDIR/tests/console/data/whatif-templates.json"
expected_dir="$FD_TOP_SRCDIR/tests/console/screens"
actual_dir="$FD_TOP_BUILDDIR/tests/console/screens-actual"
fake="$FD_TOP_BUILDDIR/tests/prom/fakeprom"
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"
export XDG_CONFIG_HOME="$HOME/.config"
unset ARGO_ROLLOUTS_PROMETHEUS_ADDRESS
mkdir -p "$actual_dir" "$XDG_CONFIG_HOME/freightdeck"
fake_pid=""
sim_pid=""
cleanup() {
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# case NAME COLSxLINES [console options...] <<'EOF' script EOF
case_() {
    _name=$1; _size=$2; shift 2
    _script=$(mktemp); cat >"$_script"
    _actual="$actual_dir/$_name.screen"; _expected="$expected_dir/$_name.screen"
    rm -f "$_actual"
    printf ':dump %s\n' "$_actual" >>"$_script"
    _start=$(date +%s)
    _err=$(FREIGHTDECK_NO_DISPLAY=1 LINES=${_size#*x} COLUMNS=${_size%x*} \
        "$FD_BIN" console --load "$data" --load "$templates" --now 2026-08-20T12:00:00Z \
        --frame-ms 1 --script "$_script" "$@" 2>&1 >/dev/null)
    _rc=$?
    _took=$(( $(date +%s) - _start ))
    rm -f "$_script"
    if [ $_rc -ne 0 ] || [ -n "$_err" ]; then
        tap_not_ok "$_name: the console exits 0 quietly"; diag "exit $_rc: $_err"; return
    fi
    if [ -f "$_actual" ]; then
        sed 's/127\.0\.0\.1:[0-9][0-9]*/127.0.0.1:PORT/g' "$_actual" >"$_actual.tmp" &&
            mv "$_actual.tmp" "$_actual"
    fi
    if [ ! -f "$_expected" ]; then
        tap_not_ok "$_name: no expected screen"; diag "$(cat "$_actual")"
        diag "to accept it: cp '$_actual' '$_expected'"; return
    fi
    if cmp -s "$_expected" "$_actual"; then
        tap_ok "$_name ($_size, ${_took}s)"
    else
        tap_not_ok "$_name ($_size): screen differs"
        diag "$(diff -u "$_expected" "$_actual" | head -60)"
        diag "if the new screen is right: cp '$_actual' '$_expected'"
    fi
}

# ---- Replay: edit a threshold, recorded beside replayed ----------------------
# As recorded: staging.150 is Running (3 of 6 measurements each).
case_ replay-80x24 80x24 <<'S'
jje
S
# error-rate failureLimit 3 -> 1: its 2 failures now fail the run.
case_ replay-failure-limit-80x24 80x24 <<'S'
jje<Right>jj<Enter><C-u>1<Enter>
S
case_ replay-failure-limit-200x60 200x60 <<'S'
jje<Right>jj<Enter><C-u>1<Enter>
S
# From the Stage pane with :replay; a success-rate inconclusiveLimit of 0
# makes its one Inconclusive measurement decide: Inconclusive.
case_ replay-inconclusive-command 80x24 <<'S'
jj<Enter>
:replay
jjj<Enter><C-u>0<Enter>
S
# A limit that is not a number is refused and the editor stays open.
case_ replay-bad-number 80x24 <<'S'
jjejj<Enter><C-u>two<Enter>
S
# prod.139 was recorded Successful after one of six measurements (ended
# early): replayed, the measurements run out while it is still Running.
case_ replay-prod 80x24 <<'S'
:replay prod
S
case_ replay-unknown-stage 80x24 <<'S'
:replay nowhere
S

# ---- What-if: the Stage's verification against Prometheus now -----------------
"$fake" serve values "$(scaled 60)" >"$HOME/values.port" & fake_pid=$!
await 5 test -s "$HOME/values.port"
port=$(cat "$HOME/values.port")
case_ whatif-80x24 80x24 --prometheus "http://127.0.0.1:$port" <<'S'
jjw
S
case_ whatif-verdict-80x24 80x24 --prometheus "http://127.0.0.1:$port" <<'S'
jjw<End>
S
case_ whatif-200x60 200x60 --prometheus "http://127.0.0.1:$port" <<'S'
jjw
S
# The address from the config's console.prometheus, from the Stage pane.
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<Y
console:
  prometheus: http://127.0.0.1:$port
Y
case_ whatif-config-command 80x24 <<'S'
jj<Enter>
:whatif
S
rm -f "$XDG_CONFIG_HOME/freightdeck/config.yaml"
# Kargo's functions in the Stage's args (tests/console/data/whatif-kargo.json):
# imageFrom() and configMap() read the loaded objects, and what secret()
# read is <redacted> in the args and the query, never on the screen. Once
# from the file, once from standard input: the what-if reads the objects the
# console read at its start, not the input again (standard input is gone).
kargo="$FD_TOP_SRCDIR/tests/console/data/whatif-kargo.json"
for from in file stdin; do
    printf 'jw<End>\n:dump %s\n' "$actual_dir/whatif-kargo-80x24.screen" >"$HOME/kargo.script"
    rm -f "$actual_dir/whatif-kargo-80x24.screen"
    if [ "$from" = file ]; then load=$kargo; else load=-; fi
    kerr=$(FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=80 "$FD_BIN" console \
        --load "$load" --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$HOME/kargo.script" \
        --prometheus "http://127.0.0.1:$port" 2>&1 >/dev/null <"$kargo")
    sed "s/127\.0\.0\.1:[0-9][0-9]*/127.0.0.1:PORT/g" "$actual_dir/whatif-kargo-80x24.screen" \
        >"$HOME/kargo.screen" 2>/dev/null && mv "$HOME/kargo.screen" "$actual_dir/whatif-kargo-80x24.screen"
    if [ -z "$kerr" ] && cmp -s "$expected_dir/whatif-kargo-80x24.screen" "$actual_dir/whatif-kargo-80x24.screen"; then
        tap_ok "whatif-kargo ($from): imageFrom(), configMap() and a redacted secret() in the args"
    else
        tap_not_ok "whatif-kargo ($from): imageFrom(), configMap() and a redacted secret() in the args"
        diag "$kerr"
        diag "$(diff -u "$expected_dir/whatif-kargo-80x24.screen" "$actual_dir/whatif-kargo-80x24.screen" | head -40)"
    fi
    if grep -q hunter2 "$actual_dir/whatif-kargo-80x24.screen" 2>/dev/null; then
        tap_not_ok "whatif-kargo ($from): the secret's value is not on the screen"
    else
        tap_ok "whatif-kargo ($from): the secret's value is not on the screen"
    fi
done
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=""

# Prometheus down: the error in words, no hang.
dead=$("$fake" free-port)
case_ whatif-down-80x24 80x24 --prometheus "http://127.0.0.1:$dead" <<'S'
jjw<End>
S
# Against a cluster (freightdeck sim): Kargo's functions GET the Warehouse,
# the ConfigMap and the Secret through the console's client.
sim_dir="$HOME/sim"; mkdir -p "$sim_dir"
"$FD_BIN" sim --listen 127.0.0.1:0 --scenario none --kubeconfig-out "$sim_dir/kubeconfig" \
    --load "$FD_TOP_SRCDIR/tests/prom/data/stage-verification.yaml" >"$sim_dir/out" 2>"$sim_dir/err" &
sim_pid=$!
await 20 grep -q '^listening on ' "$sim_dir/out"
sim_check() {
    _what=$1; _stage=$2; _expect=$3
    printf '@until %s\n:whatif %s\n@until args \n:dump %s\n' "$_stage" "$_stage" \
        "$sim_dir/$_stage.screen" >"$sim_dir/script"
    rm -f "$sim_dir/$_stage.screen"
    if ! FREIGHTDECK_NO_DISPLAY=1 LINES=30 COLUMNS=160 "$FD_BIN" console --kubeconfig "$sim_dir/kubeconfig" \
        --project shop --frame-ms 1 --script "$sim_dir/script" --prometheus "http://127.0.0.1:$dead" \
        >/dev/null 2>"$sim_dir/console.err"; then
        tap_not_ok "$_what: the console exits 0"; diag "$(cat "$sim_dir/console.err")"; return
    fi
    if grep -q -- "$_expect" "$sim_dir/$_stage.screen" 2>/dev/null &&
        ! grep -q hunter2 "$sim_dir/$_stage.screen"; then tap_ok "$_what"
    else tap_not_ok "$_what"; diag "expected: $_expect"; diag "got: $(cat "$sim_dir/$_stage.screen")"; fi
}
sim_check "cluster what-if: configMap(), commitFrom(), chartFrom() read with GETs" by-functions \
    "args service-name=healthy-fa1afe1-Minor"
sim_check "cluster what-if: secret() read with a GET, shown redacted" by-secret \
    "args service-name=<redacted>"
kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; sim_pid=""
# A Prometheus that never answers: the template's 5 s timeout per metric,
# then the error in words (the script waits while the dry run is busy).
"$fake" serve hang "$(scaled 40)" >"$HOME/hang.port" & fake_pid=$!
await 5 test -s "$HOME/hang.port"
printf 'jjw\n:dump %s\n' "$HOME/hang.screen" >"$HOME/hang.script"
start=$(date +%s)
FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=80 "$FD_BIN" console --load "$data" --load "$templates" \
    --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$HOME/hang.script" \
    --prometheus "http://127.0.0.1:$(cat "$HOME/hang.port")" >/dev/null 2>&1
took=$(( $(date +%s) - start ))
if grep -q "did not answer within the 5 s timeout" "$HOME/hang.screen" 2>/dev/null &&
    [ "$took" -le "$(scaled 20)" ]; then
    tap_ok "slow Prometheus: each metric gives up after the template's timeout (${took}s)"
else
    tap_not_ok "slow Prometheus: each metric gives up after the template's timeout"
    diag "took $took s; screen: $(cat "$HOME/hang.screen" 2>/dev/null)"
fi
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=""

# No address anywhere: say how to configure one.
case_ whatif-no-prometheus 80x24 <<'S'
jjw
S
# No such Stage.
case_ whatif-unknown-stage 80x24 <<'S'
:whatif nowhere
S

# The demo: the objects come through the live client (GETs on its network
# thread); the simulator serves no Prometheus, and the pane says so.
demo_check() {
    _what=$1; _expect=$2; shift 2
    printf 'jjw\n:dump %s\n' "$HOME/demo.screen" >"$HOME/demo.script"
    rm -f "$HOME/demo.screen"
    if ! FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=100 "$FD_BIN" demo --frame-ms 1 \
        --script "$HOME/demo.script" "$@" >/dev/null 2>"$HOME/demo.err"; then
        tap_not_ok "$_what: the demo exits 0"; diag "$(cat "$HOME/demo.err")"; return
    fi
    if grep -q "$_expect" "$HOME/demo.screen" 2>/dev/null; then tap_ok "$_what"
    else tap_not_ok "$_what"; diag "expected: $_expect"; diag "got: $(cat "$HOME/demo.screen")"; fi
}
demo_check "demo: the Stage's templates read from the simulated cluster" \
    "verification AnalysisTemplate success-rate-check"
demo_check "demo: no Prometheus behind the simulator, said in words" \
    "no Prometheus configured; set console.prometheus"
"$fake" serve values "$(scaled 30)" >"$HOME/values2.port" & fake_pid=$!
await 5 test -s "$HOME/values2.port"
demo_check "demo --prometheus: measured against it" "value    \[0.99\]" \
    --prometheus "http://127.0.0.1:$(cat "$HOME/values2.port")"
kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null; fake_pid=""

if out=$("$FD_BIN" console --prometheus not-a-url --load "$data" 2>&1); then
    tap_not_ok "--prometheus takes a URL"
else
    case $out in *"--prometheus not-a-url: not a URL"*) tap_ok "--prometheus takes a URL" ;;
    *) tap_not_ok "--prometheus takes a URL"; diag "$out" ;; esac
fi
done_testing
