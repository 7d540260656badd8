#!/bin/sh
# tests/realstack/test_simdiff.sh: the simulator against the real API server
# (make check-real): tests/realstack/simdiff sends the same requests to both;
# every difference must be one of tests/realstack/simdiff-known.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
rsdir="$FD_TOP_SRCDIR/tests/realstack"

if [ ! -x "$rsdir/.build/bin/kube-apiserver" ] && [ -z "${FD_REALSTACK_BIN:-}" ]; then
    echo "1..0 # SKIP the real stack is not built (make realstack)"
    exit 0
fi
out=$(FD_BIN="$FD_BIN" sh "$rsdir/simdiff" 2>&1)
rc=$?
expect_eq "simdiff ran to its end" "0" "$rc"
summary=$(printf '%s\n' "$out" | grep -E '^sim agrees with the API server on [0-9]+/[0-9]+ requests$')
expect_match "simdiff printed its summary" 'sim agrees with the API server on' "$summary"
diag "$summary"
got=$(printf '%s\n' "$out" | sed -n 's/^DIFFER  //p' | LC_ALL=C sort)
want=$(grep -v '^#' "$rsdir/simdiff-known" | LC_ALL=C sort)
expect_eq "the sim differs only where doc/sim.md says why" "$want" "$got"
[ "$got" = "$want" ] || diag "$(printf '%s\n' "$out" | grep -A12 '^DIFFER')"
done_testing
