# tests/prom/lib.sh: helpers shared by the tests that need a real Prometheus
# or `freightdeck sim` (sourced after tests/lib/tap.sh). Each start function
# records the pid it started in a variable the caller's cleanup kills.

# prom_available: true when the Debian "prometheus" package is installed.
prom_available() {
    command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1
}

# prom_start WORK FAKEPROM: backfills tests/prom/gendata.sh's series into
# WORK/tsdb with promtool and starts prometheus on a free loopback port
# (three tries). Sets prom_pid and prom_url; returns non-zero after a
# not-ok line and diagnostics when it cannot.
prom_start() {
    _work=$1 _fake=$2
    sh "$FD_TOP_SRCDIR/tests/prom/gendata.sh" >"$_work/data.om"
    if ! promtool tsdb create-blocks-from openmetrics "$_work/data.om" "$_work/tsdb" \
        >"$_work/promtool.log" 2>&1; then
        tap_not_ok "promtool backfills the test data"; diag "$(tail -5 "$_work/promtool.log")"
        return 1
    fi
    printf 'global: {}\n' >"$_work/prometheus.yml"
    for _attempt in 1 2 3; do
        _port=$("$_fake" free-port)
        prometheus --config.file="$_work/prometheus.yml" --storage.tsdb.path="$_work/tsdb" \
            --web.listen-address="127.0.0.1:$_port" >"$_work/prometheus.log" 2>&1 &
        prom_pid=$!
        if "$_fake" wait "http://127.0.0.1:$_port/-/ready" 30 2>"$_work/wait.log"; then
            prom_url="http://127.0.0.1:$_port"
            tap_ok "prometheus $(prometheus --version 2>&1 | sed -n '1s/.*version \([^ ]*\).*/\1/p') ready on 127.0.0.1:$_port"
            return 0
        fi
        kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; prom_pid=""
    done
    tap_not_ok "prometheus becomes ready on loopback"; diag "$(tail -5 "$_work/prometheus.log")"
    return 1
}

# sim_start WORK FILE...: starts `freightdeck sim` on a free loopback port
# with the files preloaded and no scenario, writing WORK/kubeconfig. Sets
# sim_pid and sim_url; returns non-zero after a not-ok line when it cannot.
sim_start() {
    _work=$1; shift
    _loads=""
    for _f in "$@"; do _loads="$_loads --load $_f"; done
    # shellcheck disable=SC2086
    "$FD_BIN" sim --listen 127.0.0.1:0 --scenario none --kubeconfig-out "$_work/kubeconfig" \
        $_loads >"$_work/sim.out" 2>"$_work/sim.err" &
    sim_pid=$!
    await 20 grep -q '^listening on ' "$_work/sim.out" 2>/dev/null
    sim_url=$(sed -n 's/^listening on //p' "$_work/sim.out")
    if [ -z "$sim_url" ]; then
        tap_not_ok "freightdeck sim starts"; diag "$(cat "$_work/sim.err")"
        return 1
    fi
    tap_ok "freightdeck sim listening on $sim_url"
}
