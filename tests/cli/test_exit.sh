#!/bin/sh
# tests/cli/test_exit.sh: one table of exit codes for every command
# (issue 12.17): --help and the man page list the same codes, every code of
# util's FD_STATUS_TABLE among them; Ctrl-C ends the console and promote
# --wait with 130, after saying where things stand.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

man="$FD_TOP_SRCDIR/doc/freightdeck.1"
help_codes=$("$FD_BIN" --help | sed -n '/^Exit status/,/^The judging/p' |
    sed -n 's/^  \([0-9][0-9]*\)  .*/\1/p' | sort -n | tr '\n' ' ')
man_codes=$(sed -n '/^\.SH EXIT STATUS/,/^\.PP/p' "$man" | sed -n '/^\.TP/{n;s/^\.B \([0-9][0-9]*\)$/\1/p}' |
    sort -n | tr '\n' ' ')
table_codes=$(sed -n 's/^ *_([A-Z_]*, *\([0-9][0-9]*\),.*/\1/p' "$FD_TOP_SRCDIR/include/freightdeck/util.h" |
    sort -nu | tr '\n' ' ')
expect_eq "--help and the man page list the same exit codes" "$man_codes" "$help_codes"
expect_eq "they are the codes of FD_STATUS_TABLE" "$table_codes" "$help_codes"
expect_match "the man page says the judging commands' verdicts" \
    'analyze$' "$(sed -n '/^\.SH EXIT STATUS/,/^\.SH ENV/p' "$man")"

sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" ||
    { echo "Bail out! sim did not start"; exit 1; }

# Ctrl-C during promote --wait: 130, and the Promotion is said to go on.
"$FD_BIN" approve brave-bear --stage prod -n shop --yes >/dev/null 2>&1
"$FD_BIN" promote brave-bear --stage prod -n shop --yes --wait >"$d/wait.out" 2>"$d/wait.err" &
wpid=$!
i=0
while [ $i -lt 200 ] && ! grep -q '^Promotion .*Pending' "$d/wait.out" 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
done
expect_match "promote --wait is following" '^Promotion .*: Pending' "$(cat "$d/wait.out")"
kill -INT "$wpid"
wait "$wpid"
expect_eq "Ctrl-C ends promote --wait with 130" "130" "$?"
expect_match "it says the Promotion goes on" 'interrupted; Promotion .* goes on in the cluster' \
    "$(cat "$d/wait.err")"

# Ctrl-C in the console: 130 (the terminal restored as on q).
# @gone of a text that stays holds the console open until the signal comes.
printf ':dump %s\n@gone project: shop\n' "$d/console.screen" >"$d/console.script"
FREIGHTDECK_NO_DISPLAY=1 "$FD_BIN" console --project shop --frame-ms 1 \
    --script "$d/console.script" >"$d/console.out" 2>&1 &
cpid=$!
i=0
while [ $i -lt 200 ] && [ ! -s "$d/console.screen" ]; do sleep 0.1; i=$((i + 1)); done
expect_match "the console is up" 'project: shop' "$(cat "$d/console.screen")"
kill -INT "$cpid"
wait "$cpid"
expect_eq "Ctrl-C ends the console with 130" "130" "$?"

# The simulator: SIGTERM is its normal end (0), Ctrl-C is 130.
"$FD_BIN" sim --listen 127.0.0.1:0 --scenario none >"$d/s2.out" 2>"$d/s2.err" &
spid=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^listening on ' "$d/s2.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -INT "$spid"
wait "$spid"
expect_eq "Ctrl-C ends sim with 130" "130" "$?"
"$FD_BIN" sim --listen 127.0.0.1:0 --scenario none >"$d/s3.out" 2>"$d/s3.err" &
spid=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^listening on ' "$d/s3.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$spid"
wait "$spid"
expect_eq "SIGTERM ends sim with 0" "0" "$?"

# Unreachable is 3 for every cluster command.
sed "s#server: .*#server: https://127.0.0.1:1#" "$d/kubeconfig" >"$d/dead.yaml"
for cmd in "get stages" "approve brave-bear --stage prod" "promote brave-bear --stage prod" \
    "verify prod" "refresh stage qa" "rollout abort shop-prod"; do
    # shellcheck disable=SC2086
    expect_exit "$cmd: unreachable exits 3" 3 timeout 60 "$FD_BIN" $cmd -n shop --kubeconfig "$d/dead.yaml"
done

done_testing
