#!/bin/sh
# tests/build/test_symbols.sh: tests/build/check-symbols fails on an archive
# with an unprefixed extern or an extern no other file uses, and passes on
# libfreightdeck.a with the objects of the programs that link it; and
# tests/build/check-prefixes (one prefix per module).
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

# An extern no other file uses: found; used by another member or by a
# program's object: fine. Two members of the same name are told apart.
mkdir "$work/m1" "$work/m2"
printf 'int fd_used(void);\nint fd_used(void) { return 1; }\nint fd_lonely(void);\nint fd_lonely(void) { return 2; }\n' >"$work/m1/u.c"
printf 'int fd_used(void);\nint fd_other(void);\nint fd_other(void) { return fd_used(); }\n' >"$work/m2/u.c"
printf 'int fd_other(void);\nint main(void) { return fd_other(); }\n' >"$work/main.c"
if "$cc" -c -o "$work/m1/u.o" "$work/m1/u.c" && "$cc" -c -o "$work/m2/u.o" "$work/m2/u.c" &&
    "$cc" -c -o "$work/main.o" "$work/main.c" &&
    ar rc "$work/libu.a" "$work/m1/u.o" "$work/m2/u.o"; then
    expect_exit "an extern no other file uses fails the check" 1 "$check" "$work/libu.a" "$work/main.o"
    expect_eq "and is named with its object" "u.o: fd_lonely: no other file uses it (make it static, or remove it)" "$out"
    printf 'int main(void) { return 0; }\n' >"$work/none.c"
    "$cc" -c -o "$work/none.o" "$work/none.c"
    expect_exit "a program that does not use fd_other: it is reported too" 1 \
        "$check" "$work/libu.a" "$work/none.o"
    expect_eq "both are named" "u.o: fd_lonely: no other file uses it (make it static, or remove it)
u.o#2: fd_other: no other file uses it (make it static, or remove it)" "$out"
else
    tap_not_ok "the second test archive builds"
fi
# The programs that link libfreightdeck.a: the command, the tests, the
# benchmarks and the fuzz targets (make check builds them all first).
set -- "$FD_TOP_BUILDDIR/src/cli/main.o"
for o in "$FD_TOP_BUILDDIR"/tests/*/*.o "$FD_TOP_BUILDDIR"/bench/*.o; do
    [ -f "$o" ] && set -- "$@" "$o"
done
expect_exit "every extern of libfreightdeck.a is used by another file" 0 \
    "$check" "$FD_TOP_BUILDDIR/libfreightdeck.a" "$@"

# Each module's externs carry its own prefix (tests/build/check-prefixes).
prefixes="$FD_TOP_SRCDIR/tests/build/check-prefixes"
mkdir -p "$work/tree/src/model"
printf 'int fd_model_ok(void);\nint fd_model_ok(void) { return 1; }\nint fd_kube_stray(void);\nint fd_kube_stray(void) { return 2; }\n' >"$work/tree/src/model/x.c"
if "$cc" -c -o "$work/tree/src/model/x.o" "$work/tree/src/model/x.c"; then
    expect_exit "an extern with another module's prefix fails" 1 "$prefixes" "$work/tree"
    expect_eq "and is named" "$work/tree/src/model/x.o: fd_kube_stray: module model exports it without its prefix fd_model_" "$out"
else
    tap_not_ok "the prefix test object builds"
fi
expect_exit "every module of the build exports its own prefix only" 0 "$prefixes" "$FD_TOP_BUILDDIR"
done_testing
