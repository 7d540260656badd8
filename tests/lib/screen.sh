# tests/lib/screen.sh: screen tests for the console (tig's technique).
# Sourced after tap.sh:
#
#   screen_case NAME COLSxLINES [tui_driver options...] <<'EOF'
#   ?
#   EOF
#
# runs the console's test driver with the script on stdin (keys, :commands,
# @directives; see src/tui/script.h) on a virtual terminal of that size (no
# tty: FREIGHTDECK_NO_DISPLAY), appends ":dump", and compares the screen with
# tests/tui/screens/NAME.screen. On a difference it prints the diff and the
# exact command that makes the new screen the expected one. The run must exit
# 0 and print nothing on stderr.
#
# The environment is the sealed one plus: themes from the source tree, and
# XDG_CONFIG_HOME under HOME so paths show as ~/.config/... in messages.

screen_driver="$FD_TOP_BUILDDIR/tests/tui/tui_driver"
screen_actual_dir="$FD_TOP_BUILDDIR/tests/tui/screens-actual"
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"
export XDG_CONFIG_HOME="$HOME/.config"
mkdir -p "$XDG_CONFIG_HOME/freightdeck/themes" "$screen_actual_dir"

# screen_run COLSxLINES SCRIPT-FILE OUT-FILE [driver options...]: one run;
# sets $screen_rc and $screen_err.
screen_run() {
    _size=$1; _script=$2; _out=$3; shift 3
    _cols=${_size%x*}; _lines=${_size#*x}
    printf ':dump %s\n' "$_out" >>"$_script"
    _errf=$(mktemp)
    FREIGHTDECK_NO_DISPLAY=1 LINES=$_lines COLUMNS=$_cols \
        "$screen_driver" --frame-ms 1 --script "$_script" "$@" >/dev/null 2>"$_errf"
    screen_rc=$?
    screen_err=$(cat "$_errf")
    rm -f "$_errf"
}

screen_case() {
    _name=$1; _size=$2; shift 2
    _script=$(mktemp)
    cat >"$_script"
    _actual="$screen_actual_dir/$_name.screen"
    _expected="$FD_TOP_SRCDIR/tests/tui/screens/$_name.screen"
    rm -f "$_actual"
    screen_run "$_size" "$_script" "$_actual" "$@"
    rm -f "$_script"
    if [ "$screen_rc" -ne 0 ] || [ -n "$screen_err" ]; then
        tap_not_ok "$_name: the console exits 0 quietly"
        diag "exit $screen_rc, stderr: $screen_err"
        return
    fi
    if [ ! -f "$_expected" ]; then
        tap_not_ok "$_name: no expected screen"
        diag "$(cat "$_actual")"
        diag "to accept it: cp '$_actual' '$_expected'"
        return
    fi
    if cmp -s "$_expected" "$_actual"; then
        tap_ok "$_name ($_size)"
    else
        tap_not_ok "$_name ($_size): screen differs"
        diag "$(diff -u "$_expected" "$_actual" | head -80)"
        diag "if the new screen is right: cp '$_actual' '$_expected'"
    fi
}
