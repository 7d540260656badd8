#!/bin/sh
# tests/build/test_layers.sh: the modules' includes run one way
# (doc/HACKING.md, "Layers"), checked by tests/build/check-layers: first on
# small trees that break each rule once (so the check is seen to fail), then
# on the real tree, which must have no fault.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

check="$FD_TOP_SRCDIR/tests/build/check-layers"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

# tree NAME: a fresh tree with a header per module and one clean file each.
tree() {
    t="$work/$1"
    mkdir -p "$t/include/freightdeck"
    for m in util expr prom analysis kube model client sim tui cli; do
        mkdir -p "$t/src/$m"
        printf '#include "freightdeck/util.h"\n' >"$t/include/freightdeck/$m.h"
        printf '#include "freightdeck/%s.h"\n#include <stdio.h>\n' "$m" >"$t/src/$m/a.c"
        printf 'libfreightdeck_a_SOURCES += src/%s/a.c\n' "$m" >"$t/src/$m/local.mk"
    done
    : >"$t/include/freightdeck/util.h"
    : >"$t/include/freightdeck/yaml.h"
    : >"$t/src/kube/internal.h"
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
expect_exit "a tree that keeps the rules passes" 0 "$check" "$work/clean"

tree up
printf '/* x */\n#include "freightdeck/model.h"\n' >>"$work/up/include/freightdeck/kube.h"
bad up 'include/freightdeck/kube.h:3: kube includes freightdeck/model.h of model, a higher layer'

tree up_src
printf '#include "freightdeck/tui.h"\n' >>"$work/up_src/src/client/a.c"
bad up_src 'src/client/a.c:3: client includes freightdeck/tui.h of tui, a higher layer'

tree sideways
printf '#  include "freightdeck/sim.h"\n' >>"$work/sideways/src/tui/a.c"
bad sideways 'src/tui/a.c:3: tui includes freightdeck/sim.h of sim, a sibling layer'

tree pure
printf '#include "freightdeck/kube.h"\n' >>"$work/pure/src/model/a.c"
bad pure 'src/model/a.c:3: model includes freightdeck/kube.h: model must not use kube'

tree private
printf '#include "../kube/internal.h"\n' >>"$work/private/src/client/a.c"
bad private 'src/client/a.c:3: client includes ../kube/internal.h, a private header of kube'

tree curses
printf '#include <ncursesw/curses.h>\n' >>"$work/curses/src/cli/a.c"
bad curses 'src/cli/a.c:3: includes <ncursesw/curses.h> outside src/tui (only the UI thread touches curses)'

tree curses_h
printf '#include <curses.h>\n' >>"$work/curses_h/include/freightdeck/tui.h"
bad curses_h 'include/freightdeck/tui.h:2: includes <curses.h> outside src/tui (only the UI thread touches curses)'

tree stranger
mkdir -p "$work/stranger/src/extra"
bad stranger 'src/extra: module extra is not in the layer order (tests/build/check-layers)'

tree header
printf '\n' >"$work/header/include/freightdeck/promclient.h"
bad header 'include/freightdeck/promclient.h: header of no module (a module M has include/freightdeck/M.h)'

tree localmk
printf 'libfreightdeck_a_SOURCES += src/cli/cmd-sim.c # src/util/ in a comment is fine\n' \
    >>"$work/localmk/src/sim/local.mk"
bad localmk 'src/sim/local.mk:2: names a file of src/cli (each module lists only its own files)'

# The curses rule does not apply inside src/tui, nor the yaml.h exception fail.
tree allowed
printf '#include <curses.h>\n' >>"$work/allowed/src/tui/a.c"
printf '#include "freightdeck/yaml.h"\n#include "freightdeck/kube.h"\n' >>"$work/allowed/src/client/a.c"
expect_exit "curses in src/tui, yaml.h anywhere, downward includes pass" 0 "$check" "$work/allowed"

expect_exit "the source tree keeps the layer rules" 0 "$check" "$FD_TOP_SRCDIR"
done_testing
