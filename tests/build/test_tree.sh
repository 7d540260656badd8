#!/bin/sh
# tests/build/test_tree.sh: tests/build/check-tree, first on small trees that
# break each rule once (so the check is seen to fail), then on the real tree.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

check="$FD_TOP_SRCDIR/tests/build/check-tree"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

# tree NAME: a fresh, clean tree.
tree() {
    t="$work/$1"
    mkdir -p "$t/src/m" "$t/doc" "$t/tests/x" "$t/tests/tui"
    printf '/* m/a.c: follows doc/upstream.md and api/v1alpha1/stage_types.go. */\n' >"$t/src/m/a.c"
    printf '# upstream\n' >"$t/doc/upstream.md"
    printf 'while :; do\n    sleep 0.1 # poll\ndone\n' >"$t/tests/x/test_a.sh"
    printf 'printf "@sleep 700\\n"\n' >"$t/tests/tui/test_loop.sh"
}

# bad NAME EXPECTED-LINE: the check fails on tree NAME and prints that line.
bad() {
    got=$("$check" "$work/$1"); rc=$?
    if [ "$rc" = 1 ] && printf '%s\n' "$got" | grep -Fxq -- "$2"; then
        tap_ok "fails: $1"
    else
        tap_not_ok "fails: $1"; diag "expected exit 1 and the line: $2"
        diag "got exit $rc and: $got"
    fi
}

tree clean
expect_exit "a clean tree passes" 0 "$check" "$work/clean"

tree shared
printf '/* x */\n/* see ../shared/docs/kargo.md */\n' >>"$work/shared/src/m/a.c"
bad shared 'src/m/a.c:3: cites a document outside the repository (cite doc/ or the upstream file)'

tree section
printf ' * (kargo.md §2-4)\n' >>"$work/section/src/m/a.c"
bad section 'src/m/a.c:2: cites kargo.md, which is not in doc/'
tree section_ok
printf ' * (upstream.md §2)\n' >>"$work/section_ok/src/m/a.c"
expect_exit "a section of a document in doc/ may be cited" 0 "$check" "$work/section_ok"

tree marker
printf '/* BUILTIN-API-READY */\n' >>"$work/marker/src/m/a.c"
bad marker 'src/m/a.c:2: a team-process marker'

tree sleep
printf 'start_server &\nsleep 2\n' >>"$work/sleep/tests/x/test_a.sh"
bad sleep 'tests/x/test_a.sh:5: sleeps instead of waiting for a condition (await, wait_for, @until)'

tree at_sleep
printf 'printf "@sleep 300\\n:dump x\\n"\n' >>"$work/at_sleep/tests/x/test_a.sh"
bad at_sleep 'tests/x/test_a.sh:4: @sleep in a console script (wait with @until or @gone)'

tree ctype
printf '#include <ctype.h>\n' >>"$work/ctype/src/m/a.c"
bad ctype 'src/m/a.c:2: includes <ctype.h>, whose classes follow the locale (util.h fd_ascii_*)'

expect_exit "the source tree reads on its own and its tests wait for conditions" 0 \
    "$check" "$FD_TOP_SRCDIR"
done_testing
