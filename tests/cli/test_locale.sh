#!/bin/sh
# tests/cli/test_locale.sh: every number freightdeck reads and writes is Go's,
# whatever the operator's locale. Under de_DE.UTF-8, whose decimal point is a
# comma, `0.95` in a condition was once read as 0 (strtod follows
# LC_NUMERIC): every condition failed to compile. Each command here must say
# exactly what it says under the tests' C.UTF-8.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

# The locale is made from Debian's `locales` sources (./bootstrap installs
# them) into the sandbox, so the test needs no system-wide locale.
loc="$FD_SANDBOX/locale"
mkdir -p "$loc"
if ! command -v localedef >/dev/null 2>&1 ||
    ! localedef -i de_DE -f UTF-8 "$loc/de_DE.UTF-8" >/dev/null 2>&1; then
    echo "1..0 # SKIP cannot make de_DE.UTF-8 with localedef (Debian package locales)"
    exit 0
fi
export LOCPATH="$loc"
# glibc's setlocale keeps the list it splits LOCPATH into (argz) when
# LOCPATH is set, which only this test does: LeakSanitizer would report it
# on every run of a sanitizer build.
printf 'leak:__argz_add_sep\n' >"$FD_SANDBOX/lsan.supp"
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$FD_SANDBOX/lsan.supp"
data="$FD_TOP_SRCDIR/tests/prom/data"

# (the locale really has a comma: else this test could not fail)
expect_eq "de_DE.UTF-8's decimal point is a comma" "," \
    "$(LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)"

# same_in_german NAME ARGS...: the command's output and exit status under
# de_DE.UTF-8 are those under C.UTF-8.
same_in_german() {
    _name=$1; shift
    _c=$("$FD_BIN" "$@" 2>&1; echo "exit $?")
    _de=$(LC_ALL=de_DE.UTF-8 "$FD_BIN" "$@" 2>&1; echo "exit $?")
    expect_eq "$_name" "$_c" "$_de"
}

same_in_german "condition with a decimal threshold" \
    condition --success 'result[0] >= 0.95' --failure 'result[0] < 0.90' --result '[0.93]'
same_in_german "eval of float arithmetic and printing" \
    eval '0.1 + 0.25 * 2 + float("1.5") + 1e-7'
expect_match "a decimal literal is read with its point" '^2\.1000001$' \
    "$(LC_ALL=de_DE.UTF-8 "$FD_BIN" eval '0.1 + 0.25 * 2 + float("1.5") + 1e-7')"
same_in_german "analyze --replay of a Kargo verification run, as JSON" \
    analyze --replay "$data/analysisrun-prod-failed.json" -o json
same_in_german "analyze --replay with a what-if threshold" \
    analyze --replay "$data/analysisrun-prod-failed.json" --set 'error-rate.successCondition=result[0] <= 0.05'

# The console: staging's verification, its values, thresholds and verdicts.
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"
console_dump() {
    _script="$FD_SANDBOX/script"
    printf '%s\n' "$@" ":dump $FD_SANDBOX/dump" >"$_script"
    FREIGHTDECK_NO_DISPLAY=1 LINES=60 COLUMNS=200 "$FD_BIN" console \
        --load "$FD_TOP_SRCDIR/tests/console/data/payments.json" \
        --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$_script" >/dev/null 2>&1
    cat "$FD_SANDBOX/dump"
}
c_screen=$(console_dump 'jj<Enter>')
de_screen=$(LC_ALL=de_DE.UTF-8 console_dump 'jj<Enter>')
expect_match "the console explains a verdict by its threshold" 'below the success threshold 0\.95' \
    "$c_screen"
expect_eq "staging's verification is the same in de_DE.UTF-8" "$c_screen" "$de_screen"

# A Latin-1 LC_CTYPE (an SSH client may forward one): <ctype.h>'s classes
# follow it, isalnum(0xC3) is true and tolower(0xC3) is 0xE3. freightdeck
# classifies ASCII only (util.h fd_ascii_*), as Go does: the sim read the é
# of a label selector as two letters there and named a '?'.
if localedef -i de_DE -f ISO-8859-1 "$loc/de_DE.ISO-8859-1" >/dev/null 2>&1; then
    selector_refusal() { # LOCALE: the sim's answer to a label selector holding é
        _out="$FD_SANDBOX/sim-$1.out"
        LC_ALL=$1 "$FD_BIN" sim --scenario none >"$_out" 2>&1 &
        _pid=$!
        await 20 grep -q '^listening on ' "$_out"
        curl -s --max-time "$(scaled 20)" "$(sed -n 's/^listening on //p' "$_out")/apis/kargo.akuity.io/v1alpha1/namespaces/p/stages?labelSelector=a%3D%C3%A9"
        kill "$_pid"
        wait "$_pid" 2>/dev/null
    }
    c_sel=$(selector_refusal C.UTF-8)
    expect_match "the sim refuses an é in a label selector, naming it" "found 'é', expected: ','" \
        "$c_sel"
    expect_eq "and says the same under de_DE.ISO-8859-1" "$c_sel" \
        "$(selector_refusal de_DE.ISO-8859-1)"
else
    tap_ok "# SKIP cannot make de_DE.ISO-8859-1 with localedef"
fi

done_testing
