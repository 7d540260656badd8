#!/bin/sh
# tests/tui/test_loop.sh: the frame loop's discipline, from its counters:
# idle draws nothing, timers exist only while something times out, and many
# wakes from another thread cost few wake-ups and frames.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes" FREIGHTDECK_NO_DISPLAY=1
driver="$FD_TOP_BUILDDIR/tests/tui/tui_driver"
script=$(mktemp)

stat() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# A wait that never ends fails at its limit (30 s at scale 1), naming the
# line and showing the screen; it runs in the background meanwhile.
never=$(mktemp)
printf 'j\n@until no such text anywhere\n' >"$never"
"$driver" --script "$never" >/dev/null 2>"$FD_SANDBOX/never.err" &
never_pid=$!

# Idle: after the first frame, 700 ms with nothing happening: no frame, one
# poll (with the script's own timeout), nothing else. (@sleep measures what
# idle time does; it never waits for something.)
printf '@sleep 700\n' >"$script"
expect_exit "idle run exits 0" 0 "$driver" --script "$script" --stats
expect_eq "idle: one frame in 700 ms" 1 "$(stat "$out" frames)"
expect_match "idle: at most 2 wake-ups of the UI thread" '^[12]$' "$(stat "$out" polls)"

# A message that expires is the only timer: one frame for the key, one when
# it goes away, nothing in between.
printf 'Z\n@until Z is not bound\n@gone Z is not bound\n:dump %s/after.screen\n' "$FD_SANDBOX" >"$script"
expect_exit "expiring message run exits 0" 0 "$driver" --script "$script" --stats
expect_eq "expiring message: 3 frames (start, key, expiry)" 3 "$(stat "$out" frames)"
expect_eq "the expired message is gone from the screen" "" \
    "$(sed -n 23p "$FD_SANDBOX/after.screen")"

# 100000 wakes from a "network" thread: coalesced into few wake-ups, all
# changes applied, and frames bounded by the frame interval, not the wakes.
: >"$script"
expect_exit "wake storm run exits 0" 0 "$driver" --script "$script" --stats --wake-thread 100000
expect_eq "every change applied" 100000 "$(stat "$out" applied)"
wakes=$(stat "$out" wakes); frames=$(stat "$out" frames)
if [ -n "$wakes" ] && [ "$wakes" -lt 100000 ] && [ "$frames" -le $((wakes + 1)) ]; then
    tap_ok "coalesced: $wakes wake-ups, $frames frames for 100000 wakes"
else
    tap_not_ok "coalesced wake-ups"; diag "$out"
fi

# Ctrl-L: a full repaint is one more frame.
printf '<C-l>\n' >"$script"
expect_exit "repaint run exits 0" 0 "$driver" --script "$script" --stats
expect_eq "Ctrl-L: one more frame" 2 "$(stat "$out" frames)"

# Errors before curses starts are one line on stderr, exit 1.
printf '<Dwn>\n' >"$script"
expect_exit "a bad script exits 1" 1 "$driver" --script "$script"
expect_eq "a bad script names file and line" "freightdeck: script: $script:1: unknown key <Dwn>" "$err"
expect_exit "no script without a display exits 1" 1 "$driver"
expect_eq "no script: says why" "freightdeck: FREIGHTDECK_NO_DISPLAY needs a key script" "$err"
printf 'q\n' >"$script"
expect_exit "an unknown root view exits 1" 1 "$driver" --script "$script" --root nope
expect_eq "unknown view: says which" 'freightdeck: unknown view "nope"' "$err"
unset FREIGHTDECK_NO_DISPLAY
expect_exit "no tty: exits 1" 1 "$driver" </dev/null
expect_eq "no tty: says so" "freightdeck: the console needs a terminal (standard input is not a tty)" "$err"

wait "$never_pid"
expect_eq "@until that never holds exits 1" 1 "$?"
expect_eq "and says which line waited for what" \
    "freightdeck: script: $never:2: @until \"no such text anywhere\": still not on the screen after $((30 * FD_TEST_TIMEOUT_SCALE)) s; the screen:" \
    "$(head -n 1 "$FD_SANDBOX/never.err")"
expect_match "then the screen" 'Down next +Enter apply' "$(cat "$FD_SANDBOX/never.err")"
rm -f "$script" "$never"
done_testing
