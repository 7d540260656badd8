#!/bin/sh
# tests/build/test_symbols.sh: tests/build/check-symbols fails on an archive
# with an unprefixed extern, and passes on libfreightdeck.a.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

check="$FD_TOP_SRCDIR/tests/build/check-symbols"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
cc=${CC:-cc}

printf 'int fd_ok(void);\nint fd_ok(void) { return 1; }\nstatic int hidden(void) { return 2; }\nint helper(void);\nint helper(void) { return hidden(); }\n' >"$work/a.c"
if "$cc" -c -o "$work/a.o" "$work/a.c" 2>"$work/cc.err" && ar rc "$work/liba.a" "$work/a.o"; then
    expect_exit "an unprefixed extern fails the check" 1 "$check" "$work/liba.a"
    expect_eq "and is named with its object" "a.o: helper: an extern without the fd_ prefix (make it static, or prefix it)" "$out"
else
    tap_not_ok "the test archive builds"; diag "$(cat "$work/cc.err")"
fi
expect_exit "every extern of libfreightdeck.a carries the prefix" 0 \
    "$check" "$FD_TOP_BUILDDIR/libfreightdeck.a"
done_testing
