# tests/realstack/lib.sh: shared by up, down and restart (sourced, POSIX sh).
#
# A test cluster lives in one state folder S: its certificates, tokens,
# kubeconfigs, data, one log per process (S/logs/NAME.log) and one pid file
# per process (S/pids/NAME.pid). S/env holds the ports and URLs (shell
# assignments) once `up` has chosen them.

rs_die() { echo "realstack: $*" >&2; exit 1; }

# rs_state [DIR]: sets S from DIR or $FD_REALSTACK_STATE, absolute.
rs_state() {
    _s=${1:-${FD_REALSTACK_STATE:-}}
    [ -n "$_s" ] || rs_die "no state folder: give one as the argument or set FD_REALSTACK_STATE"
    mkdir -p "$_s" || rs_die "cannot create the state folder $_s"
    S=$(cd "$_s" && pwd)
    RS_BIN=${FD_REALSTACK_BIN:-$RS_DIR/.build/bin}
    [ -x "$RS_BIN/kube-apiserver" ] ||
        rs_die "$RS_BIN/kube-apiserver is missing: run 'make realstack' first"
    KUBECTL="$RS_BIN/kubectl"
}

rs_now() { date +%s; }

# rs_wait WHAT SECONDS COMMAND...: polls COMMAND (quietly) until it succeeds;
# gives up after SECONDS with a message naming WHAT and the log to read.
rs_wait() {
    _what=$1; _limit=$2; shift 2
    _end=$(($(rs_now) + _limit))
    while :; do
        if "$@" >/dev/null 2>&1; then return 0; fi
        [ "$(rs_now)" -lt "$_end" ] ||
            { echo "realstack: $_what not ready after ${_limit}s" >&2; return 1; }
        sleep 0.2   # polling interval, not a wait for an event
    done
}

# rs_start NAME COMMAND...: starts COMMAND in the background, its output in
# S/logs/NAME.log, its pid in S/pids/NAME.pid.
rs_start() {
    _name=$1; shift
    mkdir -p "$S/logs" "$S/pids"
    "$@" >>"$S/logs/$_name.log" 2>&1 </dev/null &
    echo $! >"$S/pids/$_name.pid"
}

rs_pid() { [ -f "$S/pids/$1.pid" ] && cat "$S/pids/$1.pid"; }

# rs_running PID: the process exists and is not a zombie waiting to be reaped.
rs_running() {
    kill -0 "$1" 2>/dev/null || return 1
    [ "$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

rs_alive() { _p=$(rs_pid "$1") && [ -n "$_p" ] && rs_running "$_p"; }

# rs_stop NAME [GRACE]: TERM, then KILL after GRACE seconds (15); removes
# the pid file.
rs_stop() {
    _p=$(rs_pid "$1") || return 0
    if rs_running "$_p"; then
        kill "$_p" 2>/dev/null
        _end=$(($(rs_now) + ${2:-15}))
        while rs_running "$_p" && [ "$(rs_now)" -lt "$_end" ]; do sleep 0.1; done
        rs_running "$_p" && kill -9 "$_p" 2>/dev/null
        # reap it if it is our child; harmless otherwise
        wait "$_p" 2>/dev/null
    fi
    rm -f "$S/pids/$1.pid"
}

rs_curl() { curl -sS --max-time 5 "$@"; }

# rs_api_ready: the API server answers /readyz as admin.
rs_api_ready() {
    [ "$(rs_curl --cacert "$S/pki/ca.crt" -H "Authorization: Bearer $(cat "$S/tokens/admin")" \
        "https://127.0.0.1:$API_PORT/readyz")" = ok ]
}

rs_healthz() { [ "$(rs_curl -k "https://127.0.0.1:$1/healthz")" = ok ]; }

# Starting each component: used by up (all of them) and restart (one).

rs_start_etcd() {
    rs_start etcd "$RS_BIN/etcd" --name realstack --data-dir "$S/etcd" \
        --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster "realstack=http://127.0.0.1:$ETCD_PEER_PORT" \
        --listen-metrics-urls "http://127.0.0.1:$ETCD_METRICS_PORT" \
        --auto-compaction-mode periodic \
        --auto-compaction-retention "${FD_REALSTACK_COMPACTION:-30s}" \
        --quota-backend-bytes 1073741824 --log-level warn
    rs_wait "etcd (log: $S/logs/etcd.log)" 60 \
        sh -c "curl -s --max-time 2 http://127.0.0.1:$ETCD_PORT/health | grep -q '\"health\":\"true\"'"
}

rs_start_apiserver() {
    # --watch-cache=false: watches are served by etcd itself, so compaction
    # (the API server compacts every 5 s here) makes a stale resourceVersion
    # answer 410 Gone, as a real server's does once its cache window passed.
    # FD_REALSTACK_COMPACTION (a duration, for etcd and the API server)
    # widens that window for benchmarks: a paginated list of 10,000 objects
    # on a loaded machine outlives 5 s, and its continue token expires.
    rs_start kube-apiserver "$RS_BIN/kube-apiserver" \
        --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
        --etcd-compaction-interval "${FD_REALSTACK_COMPACTION:-5s}" \
        --watch-cache=false \
        --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
        --tls-cert-file "$S/pki/apiserver.crt" --tls-private-key-file "$S/pki/apiserver.key" \
        --client-ca-file "$S/pki/ca.crt" --token-auth-file "$S/pki/tokens.csv" \
        --authorization-mode RBAC --anonymous-auth=false \
        --service-account-key-file "$S/pki/sa.pub" \
        --service-account-signing-key-file "$S/pki/sa.key" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --service-cluster-ip-range 10.96.0.0/16 --profiling=false \
        --enable-priority-and-fairness=false
    rs_wait "kube-apiserver (log: $S/logs/kube-apiserver.log)" 90 rs_api_ready
}

rs_start_controller_manager() {
    rs_start kube-controller-manager "$RS_BIN/kube-controller-manager" \
        --kubeconfig "$S/kubeconfig/controller-manager.yaml" \
        --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false \
        --service-account-private-key-file "$S/pki/sa.key" --root-ca-file "$S/pki/ca.crt" \
        --use-service-account-credentials=false --controllers '*,-nodeipam' \
        --node-monitor-grace-period 40s --profiling=false
    rs_wait "kube-controller-manager (log: $S/logs/kube-controller-manager.log)" 60 \
        rs_healthz "$KCM_PORT"
}

rs_start_scheduler() {
    rs_start kube-scheduler "$RS_BIN/kube-scheduler" \
        --kubeconfig "$S/kubeconfig/scheduler.yaml" \
        --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --leader-elect=false \
        --profiling=false
    rs_wait "kube-scheduler (log: $S/logs/kube-scheduler.log)" 60 rs_healthz "$SCHED_PORT"
}

rs_start_kwok() {
    rs_start kwok "$RS_BIN/kwok" --kubeconfig "$S/kubeconfig/kwok.yaml" \
        --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
        --server-address "127.0.0.1:$KWOK_PORT" --node-ip 127.0.0.1 \
        --cidr 10.244.0.1/16 --node-lease-duration-seconds 40
}

# The Argo Rollouts controller binds its metrics and healthz servers to
# 0.0.0.0 (a constant in controller/controller.go), so it runs in a network
# namespace of its own that has only a loopback; two socat relays per
# address join that loopback to the host's through unix sockets in S/run:
# the API server and Prometheus keep their 127.0.0.1 ports inside too.
rs_start_rollouts() {
    mkdir -p "$S/run"
    for _r in api:"$API_PORT" prom:"$PROM_PORT"; do
        _n=${_r%%:*}; _port=${_r#*:}
        rm -f "$S/run/$_n.sock"
        rs_start "relay-$_n" socat "UNIX-LISTEN:$S/run/$_n.sock,fork" "TCP:127.0.0.1:$_port"
    done
    rs_wait "relays (log: $S/logs/relay-api.log)" 20 \
        sh -c "[ -S '$S/run/api.sock' ] && [ -S '$S/run/prom.sock' ]"
    if [ "$(id -u)" -eq 0 ]; then set -- unshare --net; else set -- unshare --user --map-root-user --net; fi
    rs_start rollouts-controller "$@" -- sh -c '
        ip link set lo up || exit 1
        socat "TCP-LISTEN:$1,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$3/run/api.sock" &
        echo $! >"$3/pids/relay-api-in.pid"
        socat "TCP-LISTEN:$2,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$3/run/prom.sock" &
        echo $! >"$3/pids/relay-prom-in.pid"
        exec "$4/rollouts-controller" --kubeconfig "$3/kubeconfig/rollouts.yaml" \
            --leader-elect=false --loglevel info --kloglevel 0' \
        sh "$API_PORT" "$PROM_PORT" "$S" "$RS_BIN"
    rs_wait "Argo Rollouts controller (log: $S/logs/rollouts-controller.log)" 60 rs_rollouts_ready
}

rs_nsenter() {
    _p=$(rs_pid rollouts-controller) || return 1
    if [ "$(id -u)" -eq 0 ]; then nsenter -t "$_p" -n "$@"
    else nsenter -t "$_p" -U -n --preserve-credentials "$@"; fi
}

rs_rollouts_ready() {
    rs_alive rollouts-controller &&
        [ "$(rs_nsenter curl -s --max-time 2 http://127.0.0.1:8080/healthz)" = ok ]
}

rs_start_prometheus() {
    rs_start exporter "$RS_BIN/rstool" exporter -listen "127.0.0.1:$EXPORTER_PORT"
    rs_wait "exporter (log: $S/logs/exporter.log)" 20 \
        rs_curl "http://127.0.0.1:$EXPORTER_PORT/errors"
    cat >"$S/prometheus.yml" <<PROM
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
- job_name: exporter
  static_configs:
  - targets: ['127.0.0.1:$EXPORTER_PORT']
PROM
    rs_start prometheus prometheus --config.file "$S/prometheus.yml" \
        --storage.tsdb.path "$S/prometheus" --web.listen-address "127.0.0.1:$PROM_PORT" \
        --log.level warn
    rs_wait "prometheus (log: $S/logs/prometheus.log)" 60 sh -c \
        "curl -s --max-time 2 'http://127.0.0.1:$PROM_PORT/api/v1/query?query=up' | grep -q '\"value\":\\[[0-9.]*,\"1\"\\]'"
}

# Order matters for stopping: dependants first.
RS_COMPONENTS="rollouts-controller relay-api-in relay-prom-in relay-api relay-prom kwok kube-scheduler kube-controller-manager kube-apiserver etcd prometheus exporter"
