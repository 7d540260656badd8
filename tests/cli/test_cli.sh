#!/bin/sh
# tests/cli/test_cli.sh: the program skeleton's command-line contract.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

version=$(sed -n 's/^AC_INIT(\[freightdeck\], \[\([^]]*\)\].*/\1/p' "$FD_TOP_SRCDIR/configure.ac")

expect_exit "--version exits 0" 0 "$FD_BIN" --version
expect_eq "--version prints the version" "freightdeck $version" "$out"
expect_exit "-V is --version" 0 "$FD_BIN" -V
expect_eq "-V prints the version" "freightdeck $version" "$out"

expect_exit "--help exits 0" 0 "$FD_BIN" --help
expect_match "--help starts with the usage line" '^Usage: freightdeck \[OPTIONS\] COMMAND' "$out"
expect_match "--help lists the options" '--version' "$out"
expect_eq "--help writes nothing to stderr" "" "$err"

expect_exit "unknown option exits 2" 2 "$FD_BIN" --frobnicate
expect_eq "unknown option: one line naming it and pointing to --help" \
    "freightdeck: unknown option '--frobnicate' (see 'freightdeck --help')" "$err"
expect_eq "unknown option: nothing on stdout" "" "$out"

expect_exit "unknown short option exits 2" 2 "$FD_BIN" -Z
expect_eq "unknown short option names it" \
    "freightdeck: unknown option '-Z' (see 'freightdeck --help')" "$err"

expect_exit "unknown command exits 2" 2 "$FD_BIN" frobnicate
expect_eq "unknown command: one line naming it" \
    "freightdeck: unknown command 'frobnicate' (see 'freightdeck --help')" "$err"

expect_exit "no command exits 2 with the help on stderr" 2 "$FD_BIN"
expect_match "no command: help on stderr" '^Usage: freightdeck' "$err"

# Every command listed by --help answers its own --help with exit 0.
cmds=$("$FD_BIN" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
for c in $cmds; do
    expect_exit "'$c --help' exits 0" 0 "$FD_BIN" "$c" --help
    expect_match "'$c --help' prints its usage" "^Usage: freightdeck $c" "$out"
done

done_testing
