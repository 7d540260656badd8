#!/bin/sh
# tests/console/test_demo_tmux.sh: the prod gate end to end in a real
# terminal (a detached tmux pane) on `freightdeck demo`: staging's
# verification succeeds, the operator promotes to prod with the typed
# confirmation, watches the prod canary pause, aborts it, and the simulated
# cluster shows the Rollout aborted.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"; exit 0
fi
sock="fddemo$$"
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null' EXIT INT TERM

# wait_for SECS TEXT: polls the pane until it shows TEXT (SECS scaled).
wait_for() {
    _end=$(( $(date +%s) + $(scaled "$1") ))
    while [ "$(date +%s)" -le $_end ]; do
        screen=$($T capture-pane -p 2>/dev/null)
        case $screen in *"$2"*) return 0 ;; esac
        sleep 0.2 # poll
    done
    return 1
}
check() { # NAME SECS TEXT
    if wait_for "$2" "$3"; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "expected the pane to show: $3"; diag "$screen"; fi
}

# The pane's shell then waits for input (read, no timed sleep), so the pane
# keeps what the console left (EXITED n) after it ends.
$T new-session -d -x 120 -y 40 \
    "env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' LC_ALL=C.UTF-8 TERM=xterm-256color '$FD_BIN' demo --speed 60 --frame-ms 20; echo EXITED \$?; read _" \
    || { echo "1..0 # SKIP tmux cannot start a session"; exit 0; }
check "the demo starts and connects to the simulator" 20 "live"
check "the pipeline shows the payments Stages" 10 "staging"
check "staging's verification succeeds and prod waits for a human" 120 "prod: Freight"
# Keys are read in order: p goes to the row the three j's selected.
$T send-keys j j j p
check "p on prod opens the dialog with the exact request" 10 "POST /apis/kargo.akuity.io/v1alpha1/namespaces/payments/promotions"
check "prod needs the Stage's name typed" 5 "type the Stage name (prod)"
$T send-keys Enter
check "Enter alone does not send" 5 "type its name exactly"
$T send-keys p r o d Enter
check "the prod canary starts and pauses for a human" 60 "Rollout payments-prod"
$T send-keys Enter
check "the Stage pane shows the canary's step" 10 "step 1/4"
check "and the desired weight bar" 10 "desired"
$T send-keys A
check "A opens the abort dialog with the status patch" 10 '{"status":{"abort":true}}'
$T send-keys p r o d Enter
check "the simulated cluster shows the Rollout aborted" 30 "aborted"
check "the aborted canary now waits for you (issue 12.5)" 10 "Rollout payments-prod aborted"
$T send-keys q
check "q quits the demo cleanly" 15 "EXITED 0"

# `kubectl get ... -o yaml | freightdeck console --load -`: the objects come
# from standard input, the keys from the terminal itself (as less reads them).
$T kill-server 2>/dev/null
T="tmux -L ${sock}b -f /dev/null"
$T new-session -d -x 120 -y 40 \
    "cat '$FD_TOP_SRCDIR/tests/console/data/payments.json' | env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' LC_ALL=C.UTF-8 TERM=xterm-256color '$FD_BIN' console --load - --now 2026-08-20T12:00:00Z --frame-ms 20; echo EXITED \$?; read _"
check "--load - from a pipe: the console shows its objects" 20 "rusty-heron"
$T send-keys j j
check "--load -: keys come from the terminal" 10 "▸ staging"
$T send-keys q
check "--load -: q quits cleanly" 15 "EXITED 0"
done_testing
