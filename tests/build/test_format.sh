#!/bin/sh
# tests/build/test_format.sh: tests/build/check-format, first on a tree with
# one badly laid out file (so the check is seen to fail), then on the real
# tree. Needs clang-format (./bootstrap installs Debian's); .clang-format
# was written for its version 14: another major version may lay out some
# lines differently, so the test skips then, saying so.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

command -v clang-format >/dev/null 2>&1 || { echo "1..0 # SKIP clang-format not installed (./bootstrap installs it)"; exit 0; }
major=$(clang-format --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')
[ "$major" = 14 ] || { echo "1..0 # SKIP clang-format $major, not 14 (the version .clang-format is kept with)"; exit 0; }

check="$FD_TOP_SRCDIR/tests/build/check-format"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

mkdir -p "$work/src/m" "$work/include" "$work/tests" "$work/bench"
cp "$FD_TOP_SRCDIR/.clang-format" "$work/"
printf 'int f(void)\n{\n    return 1;\n}\n' >"$work/src/m/a.c"
expect_exit "a formatted tree passes" 0 "$check" "$work"
printf 'int g(void) { return 2; }\n' >"$work/src/m/b.c"
got=$("$check" "$work"); rc=$?
expect_eq "a file laid out by hand fails" 1 "$rc"
expect_eq "and is named with the command that fixes it" "src/m/b.c: not formatted (clang-format -i src/m/b.c)" "$got"

got=$("$check" "$FD_TOP_SRCDIR"); rc=$?
expect_eq "the tree is as clang-format writes it" 0 "$rc"
[ "$rc" = 0 ] || diag "$got"
done_testing
