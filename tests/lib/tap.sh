# tests/lib/tap.sh: TAP helpers for script tests (sourced, POSIX sh).
#
#   . "$FD_TOP_SRCDIR/tests/lib/tap.sh"
#   plan 3
#   expect_eq "version line" "freightdeck 0.1.0" "$(freightdeck --version)"
#   expect_exit "unknown option exits 2" 2 freightdeck --nope
#   done_testing
#
# A failing check prints what it expected and what it got as TAP comments.
#
# Time: tests never sleep to let something happen; they wait for it:
#   await SECS COMMAND...   runs COMMAND until it succeeds; false after SECS
#   scaled SECS             SECS times FD_TEST_TIMEOUT_SCALE (tests/lib/sealed),
#                           for every other time limit (curl --max-time ...)

tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }

tap_not_ok() {
    tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"
}

# diag TEXT: prints TEXT as TAP comment lines.
diag() { printf '%s\n' "$1" | sed 's/^/# /'; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
    if [ "$2" = "$3" ]; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "expected: $2"; diag "     got: $3"; fi
}

# expect_match NAME GREP-PATTERN ACTUAL (extended regexp, whole text)
expect_match() {
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "expected to match: $2"; diag "got: $3"; fi
}

# expect_time_within NAME TIME T0 T1: TIME (as date -d reads it, e.g.
# RFC 3339) lies from T0 to T1 (seconds since the epoch, both included).
expect_time_within() {
    if _ts=$(date -u -d "$2" +%s 2>/dev/null) && [ "$_ts" -ge "$3" ] && [ "$_ts" -le "$4" ]; then
        tap_ok "$1"
    else
        tap_not_ok "$1"; diag "\"$2\" (${_ts:-not a time}) is not from $3 to $4"
    fi
}

# expect_exit NAME CODE COMMAND...: runs COMMAND, compares its exit code;
# its stdout and stderr are left in $out and $err.
expect_exit() {
    _name=$1; _want=$2; shift 2
    _o=$(mktemp); _e=$(mktemp)
    "$@" >"$_o" 2>"$_e"; _got=$?
    out=$(cat "$_o"); err=$(cat "$_e"); rm -f "$_o" "$_e"
    if [ "$_got" = "$_want" ]; then tap_ok "$_name"; else
        tap_not_ok "$_name"; diag "expected exit $_want, got $_got"
        diag "stdout: $out"; diag "stderr: $err"; fi
}

# expect_file_eq NAME EXPECTED-FILE ACTUAL-FILE: on a difference prints a diff.
expect_file_eq() {
    if cmp -s "$2" "$3"; then tap_ok "$1"; else
        tap_not_ok "$1"; diag "$(diff -u "$2" "$3" | head -60)"; fi
}

scaled() { echo $(($1 * ${FD_TEST_TIMEOUT_SCALE:-1})); }

await() {
    _aw_end=$(( $(date +%s) + $(scaled "$1") )); shift
    until "$@"; do
        [ "$(date +%s)" -lt "$_aw_end" ] || return 1
        sleep 0.05 # poll
    done
}

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}
