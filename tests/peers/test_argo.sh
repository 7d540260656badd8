#!/bin/sh
# tests/peers/test_argo.sh: freightdeck's analysis against Argo Rollouts'
# own code (tests/peers/argo): runs recorded by the real analysis controller
# replayed with `analyze --replay`, and the real Prometheus provider beside
# `analyze` on canned answers. Skips only when the peers are not built
# (`make peers`; .ci/run builds them).
peers=${FD_PEERS_DIR:-$FD_TOP_BUILDDIR/tests/peers/bin}
if [ ! -x "$peers/argo-peer" ]; then
    echo "1..0 # SKIP upstream peers not built: run 'make peers' ($peers/argo-peer is missing)"
    exit 0
fi
# The differences still open are listed in tests/peers/argo-known-differences
# (their reasons in doc/upstream.md); any other difference fails.
exec "$peers/argo-peer" -fd "$FD_BIN" -known "$FD_TOP_SRCDIR/tests/peers/argo-known-differences" \
    -replay "${FD_ARGO_REPLAY_N:-300}" -prometheus "${FD_ARGO_PROM_N:-600}" -seed "${FD_DIFFTEST_SEED:-1}"
