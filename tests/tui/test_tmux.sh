#!/bin/sh
# tests/tui/test_tmux.sh: end to end in a real terminal (a detached tmux
# pane): start-up, keys with escape sequences, Esc, resizing, a : command, q.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
if ! command -v tmux >/dev/null 2>&1; then
    echo "1..0 # SKIP tmux is not installed"
    exit 0
fi
sock="fdtest$$"
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null' EXIT INT TERM
driver="$FD_TOP_BUILDDIR/tests/tui/tui_driver"

# wait_for TEXT: polls the pane (up to 10 s, scaled) until it shows TEXT.
shows() { screen=$($T capture-pane -p 2>/dev/null); case $screen in *"$1"*) return 0 ;; esac; return 1; }
wait_for() { await 10 shows "$1"; }
check() { # NAME TEXT
    if wait_for "$2"; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "expected the pane to show: $2"; diag "$screen"; fi
}

$T new-session -d -x 100 -y 30 \
    "env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' LC_ALL=C.UTF-8 '$driver' --frame-ms 20; sleep 30" \
    || { echo "1..0 # SKIP tmux cannot start a session"; exit 0; }
check "the console starts in a real terminal" "Down next"
check "UTF-8 glyphs reach the terminal" "✔ ok"
$T send-keys F1
check "F1 (an escape sequence) opens the help" "Moving"
$T send-keys Down Down
$T send-keys Escape
check "Esc goes back (escape delay handled)" "Enter apply"
$T resize-window -x 70 -y 20
check "shrinking the window shows the too-small message" "Terminal too small: 70×20"
$T resize-window -x 120 -y 40
check "growing it again brings the console back" "Enter apply"
$T send-keys : t h e m e Space l i g h t Enter
check ":theme light applies the theme live" "for light terminal backgrounds"
$T send-keys /
check "/ in a view without a filter says so" "the themes view has no filter"
$T send-keys q
# After q the driver exits and the shell's sleep keeps the pane: the
# terminal must be back to normal (no console left on it).
await 5 sh -c '! $1 capture-pane -p | grep -q "Enter apply"' sh "$T"
if $T capture-pane -p | grep -q "Enter apply"; then
    tap_not_ok "q quits and restores the terminal"; diag "$($T capture-pane -p)"
else
    tap_ok "q quits and restores the terminal"
fi

# Ctrl-C (SIGINT) quits like q: the terminal is restored and the exit is
# clean, not a death mid-frame that leaves the screen in curses' state; the
# exit status says it was interrupted (130, man freightdeck: EXIT STATUS).
$T kill-server 2>/dev/null
T="tmux -L ${sock}b -f /dev/null" # a fresh server: the first may still be going away
$T new-session -d -x 100 -y 30 \
    "env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' LC_ALL=C.UTF-8 '$driver' --frame-ms 20; echo driver-exit=\$?; sleep 30"
check "the console starts again" "Enter apply"
$T send-keys C-c
check "Ctrl-C ends the console with exit status 130" "driver-exit=130"
if $T capture-pane -p | grep -q "Enter apply"; then
    tap_not_ok "Ctrl-C restores the terminal"; diag "$($T capture-pane -p)"
else
    tap_ok "Ctrl-C restores the terminal"
fi
done_testing
