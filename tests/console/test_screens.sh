#!/bin/sh
# tests/console/test_screens.sh: the console's panes and dialogs as text
# screens (tig's technique): the console runs on the objects of
# tests/console/data/payments.json with a fixed clock, driven by a key
# script, and its screen is compared with tests/console/screens/NAME.screen.
# No cluster: actions show exactly what they would send and that they
# cannot be sent (the effects are tested against the simulator in
# test_actions.sh).
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

data="$FD_TOP_SRCDIR/tests/console/data/payments.json"
expected_dir="$FD_TOP_SRCDIR/tests/console/screens"
actual_dir="$FD_TOP_BUILDDIR/tests/console/screens-actual"
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"
export XDG_CONFIG_HOME="$HOME/.config"
mkdir -p "$actual_dir" "$XDG_CONFIG_HOME/freightdeck"

# console_case NAME COLSxLINES [console options...] <<'EOF' script EOF
console_case() {
    _name=$1; _size=$2; shift 2
    _script=$(mktemp); cat >"$_script"
    _actual="$actual_dir/$_name.screen"; _expected="$expected_dir/$_name.screen"
    rm -f "$_actual"
    printf ':dump %s\n' "$_actual" >>"$_script"
    _err=$(FREIGHTDECK_NO_DISPLAY=1 LINES=${_size#*x} COLUMNS=${_size%x*} \
        "$FD_BIN" console --load "$data" --now 2026-08-20T12:00:00Z --frame-ms 1 \
        --script "$_script" "$@" 2>&1 >/dev/null)
    _rc=$?
    rm -f "$_script"
    if [ $_rc -ne 0 ] || [ -n "$_err" ]; then
        tap_not_ok "$_name: the console exits 0 quietly"; diag "exit $_rc: $_err"; return
    fi
    if [ ! -f "$_expected" ]; then
        tap_not_ok "$_name: no expected screen"; diag "$(cat "$_actual")"
        diag "to accept it: cp '$_actual' '$_expected'"; return
    fi
    if cmp -s "$_expected" "$_actual"; then
        tap_ok "$_name ($_size)"
    else
        tap_not_ok "$_name ($_size): screen differs"
        diag "$(diff -u "$_expected" "$_actual" | head -60)"
        diag "if the new screen is right: cp '$_actual' '$_expected'"
    fi
}

# The pipeline pane at the smallest size, on a large screen, ASCII + mono.
console_case pipeline-80x24 80x24 </dev/null
console_case pipeline-200x60 200x60 </dev/null
console_case pipeline-ascii-mono 80x24 --ascii --no-color </dev/null
console_case pipeline-filter 80x24 <<'S'
/stag<Enter>
S

# A Stage the model cannot decode: "invalid" in the pipeline (not "no
# Freight"), in what waits (not "nothing waits"), and the Stage pane names
# the field.
console_case pipeline-invalid-stage 80x24 --load "$FD_TOP_SRCDIR/tests/console/data/invalid-stage.yaml" </dev/null
console_case stage-invalid 80x24 --load "$FD_TOP_SRCDIR/tests/console/data/invalid-stage.yaml" <<'S'
jj<Enter>
S
console_case waits-invalid-stage 80x24 --load "$FD_TOP_SRCDIR/tests/console/data/invalid-stage.yaml" <<'S'
W
S

# The Freight pane (Enter on the Warehouse).
console_case freight-80x24 80x24 <<'S'
<Enter>
S
console_case freight-200x60 200x60 <<'S'
<Enter>j
S

# The Stage pane: verification with live values, bands, counters and why a
# value was Inconclusive; the Rollout's weights and pause; the Promotion.
console_case stage-staging-80x24 80x24 <<'S'
jj<Enter>
S
console_case stage-staging-scrolled 80x24 <<'S'
jj<Enter><PgDn>
S
console_case stage-staging-200x60 200x60 <<'S'
jj<Enter>
S
console_case stage-ascii-mono 80x24 --ascii --no-color <<'S'
jj<Enter>
S
console_case stage-prod-waits 80x24 <<'S'
jjj<Enter>
S
# Which expr release judges, and why: the flag (the default is in the
# screens above; the config file and the cluster in tests/prom/test_expr_version.sh).
console_case stage-expr-flag 80x24 --expr-version 1.15 <<'S'
jj<Enter>
S

# Dialogs: exactly what will be sent and what the checks found.
console_case dialog-promote-prod 80x24 <<'S'
jjjp
S
console_case dialog-promote-prod-typing 80x24 <<'S'
jjjppro
S
console_case dialog-promote-prod-wrong-name 80x24 <<'S'
jjjpprd<Enter>
S
console_case dialog-promote-not-available 80x24 <<'S'
jjjp<Up>
S
console_case dialog-promote-200x60 200x60 <<'S'
jjjp
S
console_case dialog-approve-prod 80x24 <<'S'
jjja
S
console_case dialog-promote-from-freight 80x24 <<'S'
<Enter>jp
S
console_case dialog-rollout-abort 80x24 <<'S'
jjA
S
console_case dialog-rollout-promote 80x24 <<'S'
jjP
S
console_case dialog-rollout-promote-full-ascii 80x24 --ascii --no-color <<'S'
jjF
S
console_case dialog-rollout-retry 80x24 <<'S'
jjR
S
# Dialog text wraps between words ("only an aborted Rollout", never "Rollo /
# ut"); a word longer than a line (a request path) is cut only where it must.
console_case dialog-wrap-words-91x24 91x24 <<'S'
jjjp<Up>
S
console_case dialog-reverify 80x24 <<'S'
jjv
S
console_case dialog-abort-verification 80x24 <<'S'
jjx
S
# Sending without a cluster says so (the data comes from files).
console_case dialog-send-no-cluster 80x24 <<'S'
jjx<Enter>
S
console_case dialog-cancelled 80x24 <<'S'
jjv<Esc>
S

# :project, :stage, :ctx switch what is shown and what the actions target,
# or refuse an unknown name with the valid ones.
# checkout.json is payments.json with "payments" renamed (sed s/payments/checkout/g).
checkout="$FD_TOP_SRCDIR/tests/console/data/checkout.json"
console_case scope-project-promote 80x24 --load "$checkout" <<'S'
:project payments
jjjp
S
console_case scope-project-unknown 80x24 --load "$checkout" <<'S'
:project checkuot
S
console_case scope-stage-opens 80x24 <<'S'
:stage prod
S
console_case scope-stage-promote 80x24 <<'S'
:stage staging
<Esc>p
S
console_case scope-stage-unknown 80x24 <<'S'
:stage prdo
S
console_case scope-ctx-files 80x24 <<'S'
:ctx kind-kargo
S

# The prod gate (issue 12.4): what is in prod now and what will be, and loud
# warnings. gate.json is payments.json where staging's verification of
# rusty-heron Failed, its canary (payments-staging) was aborted, and
# rusty-heron was approved for prod by hand.
data="$FD_TOP_SRCDIR/tests/console/data/gate.json"
console_case gate-promote-prod 80x24 <<'S'
jjjp
S
console_case gate-promote-prod-200x60 200x60 <<'S'
jjjp
S
console_case gate-approve-prod 80x24 <<'S'
jjja
S
# At 80x24 the dialog scrolls: nothing is hidden silently (issue 12.11).
console_case gate-promote-prod-scrolled 80x24 <<'S'
jjjp<PgDn>
S
# Degraded is visible (issue 12.5): the aborted canary and the failed
# verification in the pipeline and the header, most urgent first; W lists
# everything that waits, Enter opens the item's Stage.
console_case degraded-pipeline 80x24 </dev/null
console_case degraded-waits 80x24 <<'S'
W
S
console_case degraded-waits-open 80x24 <<'S'
Wj<Enter>
S
# A canary paused until promoted names its Stage as the other items do,
# also when a more urgent item (the Failed verification) is about the same
# Stage: paused.json is gate.json with payments-staging paused at step 2
# (pause: {}), as the real stack's canary pauses.
data="$FD_TOP_SRCDIR/tests/console/data/paused.json"
console_case paused-waits 80x24 <<'S'
W
S
data="$FD_TOP_SRCDIR/tests/console/data/payments.json"

# A Stage's history (issue 12.12): every Promotion with its steps and
# messages, then its Freight history with the verifications.
console_case history-prod 80x24 <<'S'
jjjH
S
console_case history-staging-200x60 200x60 <<'S'
:history staging
S
console_case history-unknown 80x24 <<'S'
:history nope
S

# A Rollout in detail (issue 12.13): steps with the current one marked,
# revision, the ReplicaSet objects it owns (revision, image, pods), its
# AnalysisRuns, the abort reason.
console_case rollout-staging 80x24 <<'S'
jjd
S
# Events are read from a cluster (issue 12.14); files have none.
console_case events-files 80x24 <<'S'
jjE
S
console_case rollout-staging-200x60 200x60 <<'S'
:rollout staging
S
data="$FD_TOP_SRCDIR/tests/console/data/gate.json"
console_case rollout-aborted 80x24 <<'S'
:rollout staging
S
# The AnalysisRuns the Rollout owns (by ownerReference): j selects one and
# scrolls it into sight, with the abort it caused; Enter opens it in the run
# view, as :runs does.
console_case rollout-select-run 80x24 <<'S'
:rollout staging
j
S
console_case rollout-open-run 80x24 <<'S'
:rollout staging
<Enter>
S
data="$FD_TOP_SRCDIR/tests/console/data/payments.json"

# Issue 12.15: / filters as you type (Esc puts the old filter back); Tab
# completes : commands and their names; :freight and :stages jump.
console_case filter-as-you-type 80x24 <<'S'
/sta
S
console_case filter-esc-restores 80x24 <<'S'
/dev<Enter>/xyz<Esc>
S
# (A script line starting with ':' is a whole command: k first types keys.)
console_case complete-stage-name 80x24 <<'S'
k:stage pr<Tab><Enter>
S
console_case complete-candidates 80x24 <<'S'
k:h<Tab>
S
console_case jump-freight 80x24 <<'S'
jj<Enter>
:freight
S
console_case jump-stages 80x24 <<'S'
:freight
:stages
S
console_case jump-rollouts 80x24 <<'S'
:rollouts
S
# Lists sort (s cycles): Freight by alias, Rollouts by phase.
console_case sort-freight-alias 80x24 <<'S'
<Enter>s
S
console_case sort-rollouts-phase 80x24 <<'S'
:rollouts
s
S
console_case jump-runs-open 80x24 <<'S'
:runs
jjj<Enter>
S
data="$FD_TOP_SRCDIR/tests/console/data/gate.json"
console_case jump-runs-step-run 100x30 <<'S'
:runs
/bbb<Enter><Enter>
S
data="$FD_TOP_SRCDIR/tests/console/data/payments.json"

# Read-only: the action keys leave the hint line and refuse.
console_case readonly-pipeline 80x24 --readonly <<'S'
jjjp
S
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<'Y'
console:
  readonly: true
Y
console_case readonly-config 80x24 <<'S'
jjA
S
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<'Y'
console:
  production: ["staging"]
Y
# Which Stages are production comes from the config.
console_case production-from-config 80x24 <<'S'
jjv
S
rm -f "$XDG_CONFIG_HOME/freightdeck/config.yaml"

# Resizing keeps the state; too small shows the plain message.
console_case resize-small-and-back 80x24 <<'S'
jj<Enter>
@resize 60x20
@resize 120x40
S
console_case too-small 70x20 </dev/null
# Below 80x24 the most important lines still show (issue 12.9).
data="$FD_TOP_SRCDIR/tests/console/data/gate.json"
console_case too-small-degraded 60x12 </dev/null
data="$FD_TOP_SRCDIR/tests/console/data/payments.json"

# ASCII and LANG=C (issue 12.9): no character becomes '?', which means
# Inconclusive: thresholds read ">=", arrows "->".
LC_ALL=C; export LC_ALL
console_case stage-lang-c 80x24 <<'S'
jj<Enter>
S
data="$FD_TOP_SRCDIR/tests/console/data/gate.json"
console_case gate-lang-c 80x24 <<'S'
jjjp
S
data="$FD_TOP_SRCDIR/tests/console/data/payments.json"
LC_ALL=C.UTF-8; export LC_ALL

# Ages tick every second while on screen (issue 12.10): the real clock, a
# Freight in dev since 5 s ago; two dumps 2.1 s apart differ in its soak time
# and in nothing but ages (the other Stages' ages of months may cross an hour
# in those 2 s, and 9s becomes 11s: compared with every age and its padding
# masked).
since=$(date -u -d '@'$(( $(date +%s) - 5 )) +%Y-%m-%dT%H:%M:%SZ)
sed "s/\"since\": \"2026-08-20T11:41:00Z\"/\"since\": \"$since\"/" "$data" >"$HOME/fresh.json"
printf ':dump %s\n@sleep 2100\n:dump %s\n' "$HOME/tick1" "$HOME/tick2" >"$HOME/tick.script"  # idle: what 2 s of nothing does
FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=80 "$FD_BIN" console --load "$HOME/fresh.json" \
    --frame-ms 1 --script "$HOME/tick.script" >/dev/null 2>&1
s1=$(sed -n 's/^  dev .* \([0-9]*s\) *$/\1/p' "$HOME/tick1")
s2=$(sed -n 's/^  dev .* \([0-9]*s\) *$/\1/p' "$HOME/tick2")
mask_ages() { sed 's/[0-9][0-9]*[dhms]\([0-9][0-9]*[dhms]\)* */AGE /g' "$1"; }
if [ -n "$s1" ] && [ -n "$s2" ] && [ "$s1" != "$s2" ] &&
    [ "$(mask_ages "$HOME/tick1")" = "$(mask_ages "$HOME/tick2")" ]; then
    tap_ok "ages tick: dev's soak went from $s1 to $s2, nothing else changed"
else
    tap_not_ok "ages tick every second"; diag "$s1 -> $s2"; diag "$(diff "$HOME/tick1" "$HOME/tick2")"
fi

# TERM=dumb is refused like an unset TERM, before anything is drawn.
out=$(TERM=dumb "$FD_BIN" console --load "$data" 2>&1 </dev/null); rc=$?
if [ $rc -eq 1 ] && expect_quiet=$(printf '%s' "$out" | grep -F 'TERM is "dumb"'); then
    tap_ok "TERM=dumb is refused with a message"
else
    tap_not_ok "TERM=dumb is refused with a message"; diag "exit $rc: $out"
fi

# A file recorded with `kubectl get stages -o yaml`: a List, in YAML, with
# what the API server keeps and writes back (a NUL in a controller's message
# written "\0", an unstructured number past int64 written as the float64 it
# holds). The console reads it like every other reader of recorded objects
# (util/yamldoc.c); the first version read --load files as JSON only, with
# jansson's defaults, and refused all three.
cat >"$HOME/recorded.yaml" <<'EOF'
apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: kargo.akuity.io/v1alpha1
  kind: Stage
  metadata:
    name: qa
    namespace: payments
    uid: uid-qa
    creationTimestamp: "2026-08-01T00:00:00Z"
  spec:
    requestedFreight:
    - origin: {kind: Warehouse, name: payments-warehouse}
      sources: {direct: true}
    promotionTemplate:
      spec:
        steps:
        - uses: http
          config: {timeoutSeconds: 18446744073709552000}
  status:
    conditions:
    - type: Ready
      status: "False"
      reason: Failed
      message: "readObjectStart: expect { or n, but found \0, error found in #0 byte"
EOF
printf ':dump %s\n' "$HOME/recorded.screen" >"$HOME/recorded.script"
if out=$(FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=80 "$FD_BIN" console --load "$data" \
        --load "$HOME/recorded.yaml" --now 2026-08-20T12:00:00Z --frame-ms 1 \
        --script "$HOME/recorded.script" 2>&1 >/dev/null) && [ -z "$out" ] &&
    grep -q '^  qa ' "$HOME/recorded.screen"; then
    tap_ok "a kubectl get -o yaml List with a NUL and a number past int64 is loaded (Stage qa shown)"
else
    tap_not_ok "a kubectl get -o yaml List with a NUL and a number past int64 is loaded"
    diag "$out"; diag "$(cat "$HOME/recorded.screen" 2>/dev/null)"
fi

# The same objects as {"items": [...]} without a kind (what jq leaves of a
# list answer): read as a list, as the console always read them.
sed '2,3d' "$data" >"$HOME/nokind.json"
printf ':dump %s\n' "$HOME/nokind.screen" >"$HOME/nokind.script"
if out=$(FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=80 "$FD_BIN" console --load "$HOME/nokind.json" \
        --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$HOME/nokind.script" 2>&1 >/dev/null) &&
    [ -z "$out" ] && grep -q '^  staging ' "$HOME/nokind.screen"; then
    tap_ok "a list without a kind ({\"items\": [...]}) is loaded as a list"
else
    tap_not_ok "a list without a kind ({\"items\": [...]}) is loaded as a list"
    diag "$out"; diag "$(cat "$HOME/nokind.screen" 2>/dev/null)"
fi

# A bad file is a clear error, not a crash.
printf '{"kind": "Stage"' >"$HOME/bad.json"
if out=$("$FD_BIN" console --load "$HOME/bad.json" 2>&1); then
    tap_not_ok "a broken file is refused"
else
    case $out in *bad.json:[0-9]*:[0-9]*:\ *) tap_ok "a broken file is refused with file:line:col" ;;
    *) tap_not_ok "a broken file is refused with file:line:col"; diag "$out" ;; esac
fi
done_testing
