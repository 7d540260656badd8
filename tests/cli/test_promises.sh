#!/bin/sh
# tests/cli/test_promises.sh: what README.md promises works from the build
# tree (issue 12.8): every shipped theme chosen inside the console, the
# demo's scenarios open their own project, and the CLI examples against
# `sim --kubeconfig-out` either work or say clearly why not.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

unset FREIGHTDECK_THEMES_DIR
# demo NAME ARGS... <<script: the demo's last screen in $d/NAME.screen
demo() {
    _name=$1; shift
    cat >"$d/$_name.script"
    # Each script ends with the @until that says when its screen is complete.
    printf ':dump %s\n' "$d/$_name.screen" >>"$d/$_name.script"
    FREIGHTDECK_NO_DISPLAY=1 LINES=30 COLUMNS=100 timeout 60 "$FD_BIN" demo --frame-ms 1 \
        --script "$d/$_name.script" "$@" >"$d/$_name.out" 2>&1
    expect_eq "$_name: the demo exits 0" "0" "$?"
}
shows() { # NAME ERE
    if grep -Eq -- "$2" "$d/$1.screen"; then tap_ok "$1: shows '$2'"; else
        tap_not_ok "$1: shows '$2'"; diag "$(cat "$d/$1.screen")"; fi
}

for theme in light mono high-contrast dark; do
    demo "theme-$theme" <<S
:theme $theme
@until theme $theme
S
    shows "theme-$theme" "^theme $theme"
done
demo theme-option --theme light <<'S'
@until live
S
if grep -q 'unknown theme' "$d/theme-option.screen"; then tap_not_ok "--theme light is found"
else tap_ok "--theme light is found"; fi
demo theme-bad <<'S'
:theme ligth
@until unknown theme
S
shows theme-bad 'unknown theme "ligth" \(did you mean "light"\?\).*light.*mono'

demo inconclusive --scenario inconclusive <<'S'
@until Warehouse
S
shows inconclusive 'project: checkout'
shows inconclusive 'checkout-qa|Warehouse'

# The CLI examples against a plain `sim --kubeconfig-out` (its context's
# namespace is "default", which is no project).
sim_start --scenario payments || { echo "Bail out! sim did not start"; exit 1; }
expect_exit "get pipeline in the context's namespace (no project): exit 1" 1 \
    "$FD_BIN" get pipeline
expect_match "it says there is no such project and names the ones there are" \
    'no project default in context freightdeck-sim \(projects: payments\); it is the context.s namespace: give -p PROJECT' "$err"
expect_exit "get pipeline -p nope: exit 1" 1 "$FD_BIN" get pipeline -p nope
expect_match "it names the project asked for" 'no project nope in context' "$err"
expect_exit "get pipeline -p payments" 0 "$FD_BIN" get pipeline -p payments
expect_match "the pipeline" 'Stage/prod' "$out"
expect_exit "get freight -p nope: exit 1 too" 1 "$FD_BIN" get freight -p nope

done_testing
