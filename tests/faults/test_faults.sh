#!/bin/sh
# tests/faults/test_faults.sh: the one-shot commands, a live client and the
# console through tests/faults/faultproxy in front of `freightdeck sim`
# (plain HTTP on loopback): a write is never sent twice, a lost answer is
# "outcome unknown" and then read back, malformed lists and watches that
# close at once cause no request storm, every answer is bounded while it
# is read, no object text reaches the terminal raw, a token with CR/LF is
# refused, the audit log is always true.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP needs curl"; exit 0; }

top=${FD_TOP_BUILDDIR:-.}
proxy_bin="$top/tests/faults/faultproxy"
actor_bin="$top/tests/faults/actor"
probe_bin="$top/tests/client/probe"
d=$(mktemp -d "${TMPDIR:-/tmp}/fd-faults.XXXXXX")
simpid=
ppid=
stop_proxy() {
    if [ -n "$ppid" ]; then kill "$ppid" 2>/dev/null; wait "$ppid" 2>/dev/null; fi
    ppid=
}
cleanup() {
    stop_proxy
    if [ -n "$simpid" ]; then kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; fi
    rm -rf "$d"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

export XDG_STATE_HOME="$d/state"
audit="$d/state/freightdeck/audit.log"
export FREIGHTDECK_THEMES_DIR="$FD_TOP_SRCDIR/themes"

"$FD_BIN" sim --listen 127.0.0.1:0 --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" \
    --load "$FD_TOP_SRCDIR/tests/faults/hostile.yaml" \
    --load "$FD_TOP_SRCDIR/tests/console/data/payments.json" \
    --kubeconfig-out "$d/sim.yaml" >"$d/sim.out" 2>"$d/sim.err" &
simpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^listening on ' "$d/sim.out" 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
done
url=$(sed -n 's/^listening on //p' "$d/sim.out")
[ -n "$url" ] || { echo "Bail out! the simulator did not start"; cat "$d/sim.err"; exit 1; }
upport=${url##*:}
c() { _p=$1; shift; curl -s --max-time 20 "$@" "$url$_p"; } # c PATH [CURL ARGS...]

# proxy MODE [ARGS...]: starts the proxy in MODE; $d/kc is a kubeconfig through it.
proxy() {
    stop_proxy
    rm -f "$d/port" "$d/plog"
    _mode=$1; shift
    "$proxy_bin" --upstream "$upport" --mode "$_mode" --port-file "$d/port" --log "$d/plog" \
        --lifetime 120 "$@" &
    ppid=$!
    i=0
    while [ $i -lt 100 ] && ! [ -s "$d/port" ]; do sleep 0.05; i=$((i + 1)); done
    sed "s#$url#http://127.0.0.1:$(cat "$d/port")#" "$d/sim.yaml" >"$d/kc"
}
count() { grep -Ec -- "$1" "$d/plog" 2>/dev/null || true; }
promotions_for() { # STAGE: how many Promotions the server has for it
    c /apis/kargo.akuity.io/v1alpha1/namespaces/shop/promotions | tr ',' '\n' |
        grep -c "\"stage\":\"$1\"" || true
}
fd() { timeout 60 "$FD_BIN" "$@"; }

# ---- 1. A write is never sent twice ------------------------------------------------
# The proxy closes a write that arrives on a reused connection after the
# server applied it; libcurl re-sends such a request on its own. The client
# sends writes on a fresh connection, so the proxy never sees one reused.
proxy drop-reused
before=$(promotions_for prod)
expect_exit "drop-reused: approve through a live client" 0 \
    timeout 60 "$actor_bin" "$d/kc" shop approve f-api-1 prod
expect_exit "drop-reused: promote through a live client" 0 \
    timeout 60 "$actor_bin" "$d/kc" shop promote f-api-1 prod
expect_eq "drop-reused: the POST reached the proxy once" 1 "$(count '^POST .*/promotions ')"
expect_eq "drop-reused: one Promotion created for one promote" $((before + 1)) \
    "$(promotions_for prod)"
expect_eq "drop-reused: the POST came on a fresh connection" 1 "$(count '^POST .*/promotions 1$')"

# ---- 8b, issue 12.2: a lost answer is "outcome unknown", then read back ---------------
proxy drop-writes
before=$(promotions_for prod)
expect_exit "drop-writes: live client: exit code 4 (outcome unknown)" 4 \
    timeout 60 "$actor_bin" "$d/kc" shop promote f-api-1 prod
expect_match "drop-writes: outcome unknown, status OUTCOME_UNKNOWN" \
    '^outcome unknown$' "$out"
expect_match "drop-writes: status OUTCOME_UNKNOWN" '^status OUTCOME_UNKNOWN$' "$out"
expect_match "drop-writes: the message says check before retrying" \
    'outcome unknown — check before retrying' "$out"
expect_match "drop-writes: read back: the Promotion exists" 'resolution applied' "$out"
expect_eq "drop-writes: still one Promotion more" $((before + 1)) "$(promotions_for prod)"
expect_match "audit: the promote is 'unknown'" '"action":"promote".*"outcome":"unknown"' \
    "$(grep '"method":"POST"' "$audit" | tail -1)"
expect_match "audit: a follow-up line resolves it as applied" \
    '"action":"promote".*"method":"GET".*"outcome":"applied"' "$(tail -1 "$audit")"

# The one-shot: approve (a PATCH, idempotent, still never "failed").
expect_exit "drop-writes: approve one-shot: read back applied, exit 0" 0 \
    fd approve f-api-1 --stage qa -n shop --kubeconfig "$d/kc"
expect_match "approve one-shot: says outcome unknown" 'outcome unknown — check before retrying' "$err"
expect_match "approve one-shot: then what reading it back found" 'read back: applied' "$err"
expect_match "audit: approve 'unknown' then 'applied'" '"outcome":"unknown".*' \
    "$(grep '"action":"approve"' "$audit" | tail -2 | head -1)"

# Nothing can be read back: exit 4, audited "unknown" then "unresolved".
proxy blackhole-after-write
expect_exit "blackhole: refresh one-shot: exit 4 (outcome unknown)" 4 \
    env FREIGHTDECK_IDLE_TIMEOUT=2 timeout 60 "$FD_BIN" refresh warehouse api -n shop \
    --kubeconfig "$d/kc"
expect_match "blackhole: 'outcome unknown', not 'unreachable'" 'outcome unknown' "$err"
expect_match "audit: blackholed PATCH is 'unknown'" '"method":"PATCH".*"outcome":"unknown"' \
    "$(grep '"action":"refresh' "$audit" | tail -2 | head -1)"
expect_match "audit: and stays unresolved" '"method":"GET".*"outcome":"unresolved"' \
    "$(tail -1 "$audit")"

# ---- 8a: a signal while the write is on the wire still audits it -------------------------
proxy blackhole-writes
lines=$(wc -l <"$audit")
FREIGHTDECK_IDLE_TIMEOUT=60 "$FD_BIN" refresh stage qa -n shop --kubeconfig "$d/kc" \
    >"$d/sig.out" 2>"$d/sig.err" &
fpid=$!
i=0
while [ $i -lt 200 ] && [ "$(count '^PATCH ')" = 0 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $fpid
wait $fpid
rc=$?
expect_eq "SIGTERM during a sent PATCH: the process ends by the signal" 143 "$rc"
expect_eq "SIGTERM: one audit line more" $((lines + 1)) "$(wc -l <"$audit")"
expect_match "SIGTERM: the line says unknown" '"action":"refresh-stage".*"outcome":"unknown"' \
    "$(tail -1 "$audit")"

# The console, the same: SIGTERM quits like q, and the write on the wire is
# audited as unknown (then unresolved: the client is gone) before it exits.
proxy blackhole-writes
lines=$(wc -l <"$audit")
# The script waits for the lists (the keys need the Stages and Freight), then
# holds the console open while the write is on the wire (a script that ends
# quits the console, maybe before the request left).
printf '@until live\njjjaprod<Enter>\n@until sending...\n@gone sending...\n' >"$d/sigterm.script"
# timeout's own TERM must come well after the test's: a second signal used
# to end the console while it stopped its clients, before the audit line
# (tui/console.c: note_quit_signal).
FREIGHTDECK_IDLE_TIMEOUT=60 FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=160 \
    timeout "$(scaled 180)" "$FD_BIN" console --kubeconfig "$d/kc" --project payments \
    --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$d/sigterm.script" >"$d/sigterm.out" 2>&1 &
cpid=$!
i=0
while [ $i -lt $(scaled 1200) ] && [ "$(count '^PATCH ')" = 0 ]; do sleep 0.05; i=$((i + 1)); done
expect_eq "console SIGTERM: the approval's PATCH reached the server before the signal" 1 \
    "$(count '^PATCH ')"
kill -TERM $cpid
i=0
while [ $i -lt 100 ] && kill -0 $cpid 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
expect_eq "console SIGTERM during a sent PATCH: it quits within 5 s" no \
    "$(kill -0 $cpid 2>/dev/null && echo yes || echo no)"
wait $cpid 2>/dev/null
new_audit=$(tail -n +$((lines + 1)) "$audit")
expect_match "console SIGTERM: the PATCH is audited as unknown" \
    '"action":"approve".*"method":"PATCH".*"outcome":"unknown"' "$new_audit"
case $new_audit in *'"outcome":"unknown"'*) ;; *)
    diag "the console said: $(tail -n 30 "$d/sigterm.out")"
    diag "the proxy saw: $(tail -n 15 "$d/plog")" ;;
esac

# ---- 8c: an unwritable audit log refuses the action -------------------------------------
proxy pass
mv "$audit" "$d/audit.keep"
mkdir "$audit"
expect_exit "unwritable audit log: approve refused" 1 \
    fd approve f-api-1 --stage prod --yes -n shop --kubeconfig "$d/kc"
expect_match "the refusal names the audit log" \
    '^freightdeck approve: refused: audit log .*audit.log: Is a directory; nothing was sent' "$err"
expect_eq "nothing was sent" 0 "$(count '^PATCH ')"
rmdir "$audit"
mv "$d/audit.keep" "$audit"

# ---- 2a: a list answer without items is malformed, never empty ----------------------------
proxy no-items
expect_exit "no-items: get freight fails" 1 fd get freight -n shop --kubeconfig "$d/kc"
expect_match "no-items: malformed answer, named" 'malformed answer: the answer has no items array' \
    "$err"
timeout 30 "$probe_bin" "$d/kc" shop "$d/probe.out" 3
lists=$(count 'limit=')
# Back-off 100 ms doubling to 1 s (the probe's) over 10 kinds: some 60;
# without it, thousands.
expect_eq "no-items: a live client backs off ($lists lists in 3 s, < 300)" yes \
    "$([ "$lists" -lt 300 ] && echo yes)"
expect_match "no-items: the client is not live" '^state (stale|reconnecting|connecting)' \
    "$(grep '^state' "$d/probe.out")"

# ---- 2b: a watch closed at once gets back-off, and changes still show ---------------------
proxy watch-close
timeout 30 "$probe_bin" "$d/kc" shop "$d/probe.out" 6 &
prpid=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^Warehouse api' "$d/probe.out" 2>/dev/null; do
    sleep 0.05; i=$((i + 1))
done
c /apis/kargo.akuity.io/v1alpha1/namespaces/shop/warehouses/api -X PATCH \
    -H 'Content-Type: application/merge-patch+json' \
    -d '{"metadata":{"annotations":{"fault":"meanwhile"}}}' >/dev/null
rv=$(c /apis/kargo.akuity.io/v1alpha1/namespaces/shop/warehouses/api |
    sed -n 's/.*"resourceVersion":"\([0-9]*\)".*/\1/p')
wait $prpid
watches=$(count 'watch=1')
expect_eq "watch-close: watches back off ($watches in 6 s, < 400)" yes \
    "$([ "$watches" -lt 400 ] && echo yes)"
expect_match "watch-close: a change made meanwhile shows" "^Warehouse api $rv\$" "$(cat "$d/probe.out")"

# ---- 2c: an exec plugin that fails is re-run with back-off; one that hangs spins nothing --
# plugin_kc MODE: $d/plugin-MODE.yaml, whose user runs tests/kube/exec-plugin.sh MODE.
plugin_kc() {
    mkdir -p "$d/plugin-$1"
    cat >"$d/plugin-$1.yaml" <<Y
apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster: {server: 'http://127.0.0.1:$(cat "$d/port")'}
users:
- name: plugin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ['$FD_TOP_SRCDIR/tests/kube/exec-plugin.sh', '$1', 'client.authentication.k8s.io/v1']
      env: [{name: PLUGIN_STATE, value: '$d/plugin-$1'}]
      interactiveMode: Never
contexts:
- name: sim
  context: {cluster: sim, user: plugin}
current-context: sim
Y
}
proxy pass
plugin_kc fail
timeout 30 "$probe_bin" "$d/plugin-fail.yaml" shop "$d/probe.out" 3
runs=$(cat "$d/plugin-fail/runs" 2>/dev/null || echo 0)
expect_eq "failing plugin: re-run with back-off ($runs runs in 3 s, < 20)" yes \
    "$([ "$runs" -ge 1 ] && [ "$runs" -lt 20 ] && echo yes)"
expect_match "failing plugin: the client says why" 'failed with exit code 3' "$(cat "$d/probe.out")"
plugin_kc sleep
/usr/bin/time -f '%e %U %S' -o "$d/hang.time" timeout 30 "$probe_bin" "$d/plugin-sleep.yaml" shop \
    "$d/probe.out" 3
set -- $(tail -1 "$d/hang.time")
expect_eq "hanging plugin: the client quits at once (${1}s wall for a 3 s run)" yes \
    "$(awk -v e="$1" 'BEGIN { print (e >= 2.5 && e < 5) ? "yes" : "no" }')"
expect_eq "hanging plugin: it was running" 1 "$(cat "$d/plugin-sleep/runs" 2>/dev/null)"
expect_eq "hanging plugin: no busy loop (${2}s user + ${3}s system CPU in 3 s)" yes \
    "$(awk -v u="$2" -v s="$3" 'BEGIN { print (u + s < 0.4) ? "yes" : "no" }')"

# ---- 3: every answer is bounded while it is read --------------------------------------
proxy endless
/usr/bin/time -f '%M' -o "$d/rss" timeout 60 "$FD_BIN" get freight -n shop --kubeconfig "$d/kc" \
    >"$d/endless.out" 2>"$d/endless.err"
rc=$?
expect_eq "endless body: get fails" 1 "$rc"
expect_match "endless body: refused at the limit, as it arrives" 'an answer larger than 67108864 bytes' \
    "$(cat "$d/endless.err")"
rss=$(tail -1 "$d/rss")
expect_match "endless body: memory stays bounded (max RSS $rss KiB < 400 MiB)" \
    '^([0-9]{1,5}|[1-3][0-9]{5})$' "$rss"

# The console asks access reviews on its network thread: an endless answer
# to one is cut at 1 MiB, the review stays unknown, the action still goes.
proxy endless-reviews
/usr/bin/time -f '%M' -o "$d/rss" timeout 60 "$actor_bin" "$d/kc" shop refresh-warehouse api \
    >"$d/reviews.out" 2>&1
rc=$?
rss=$(tail -1 "$d/rss")
expect_eq "endless review: the action is still sent and done" 0 "$rc"
expect_match "endless review: memory stays bounded (max RSS $rss KiB < 200 MiB)" \
    '^([0-9]{1,5}|1[0-9]{5})$' "$rss"

proxy slow-drip
expect_exit "slow drip: get gives up (FREIGHTDECK_IDLE_TIMEOUT=2)" 3 \
    env FREIGHTDECK_IDLE_TIMEOUT=2 timeout 30 "$FD_BIN" get freight -n shop --kubeconfig "$d/kc"
expect_match "slow drip: timed out" 'timed out' "$err"

# ---- 5: no terminal injection from object data --------------------------------------
proxy pass
esc=$(printf '\033')
bidi=$(printf '\342\200\256')
for w in "freight" "freight -o wide" "rollouts" "rollouts -o wide"; do
    # shellcheck disable=SC2086
    fd get $w -n shop --kubeconfig "$d/kc" >"$d/get.out" 2>&1
    expect_eq "get $w: no ESC byte" 0 "$(grep -c "$esc" "$d/get.out")"
    expect_eq "get $w: no U+202E" 0 "$(grep -c "$bidi" "$d/get.out")"
    expect_eq "get $w: no CR" 0 "$(tr -cd '\r' <"$d/get.out" | wc -c)"
done
expect_match "get freight: the alias is shown defanged" 'evil\?\]2;pwned' "$(fd get freight -n shop --kubeconfig "$d/kc")"

# ---- 6: no header injection -----------------------------------------------------------
sed 's/^    {}$/    token: "abc\\r\\nImpersonate-User: root"/' "$d/kc" >"$d/inject.yaml"
n=$(wc -l <"$d/plog")
expect_exit "a token with CR/LF: get refused" 1 fd get stages -n shop --kubeconfig "$d/inject.yaml"
expect_match "the refusal says why" 'bearer token holds a line break' "$err"
expect_eq "nothing reached the server" "$n" "$(wc -l <"$d/plog")"
# The same from a token file (client-go's tokenFile): the check is on the token sent.
printf 'abc\r\nImpersonate-User: root\n' >"$d/token"
sed "s#^    {}\$#    tokenFile: $d/token#" "$d/kc" >"$d/inject-file.yaml"
expect_exit "a token file with CR/LF: get refused" 1 \
    fd get stages -n shop --kubeconfig "$d/inject-file.yaml"
expect_match "the refusal says why" 'bearer token holds a line break' "$err"
expect_eq "nothing reached the server" "$n" "$(wc -l <"$d/plog")"

# ---- 7: secrets stay secret: no core file, a warning for unverified TLS -------------
# core_limits OUT [ENV...]: runs the sim with core files allowed by the shell,
# prints its RLIMIT_CORE line once it listens, and stops it.
core_limits() {
    _out=$1; shift
    env "$@" sh -c 'ulimit -c unlimited 2>/dev/null; exec "$1" sim --scenario none' sh "$FD_BIN" \
        >"$d/$_out" 2>&1 &
    _p=$!
    _i=0
    while [ $_i -lt $(scaled 1200) ] && ! grep -q '^listening on ' "$d/$_out" 2>/dev/null; do
        sleep 0.05; _i=$((_i + 1))
    done
    grep 'core' /proc/$_p/limits
    kill $_p; wait $_p 2>/dev/null
}
expect_match "no core dumps: RLIMIT_CORE is 0 although the shell allowed them" \
    '^Max core file size +0 +0 ' "$(core_limits core1.out)"
# (AddressSanitizer drops core files by itself unless told not to.)
expect_match "FREIGHTDECK_CORE_DUMPS=1 keeps them" '^Max core file size +unlimited' \
    "$(core_limits core2.out FREIGHTDECK_CORE_DUMPS=1 \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}disable_coredump=0")"
sed 's#^    server: \(.*\)$#    server: \1\n    insecure-skip-tls-verify: true#' "$d/kc" >"$d/insecure.yaml"
expect_exit "insecure-skip-tls-verify: get still works" 0 \
    fd get stages -n shop --kubeconfig "$d/insecure.yaml"
expect_match "insecure-skip-tls-verify: a warning" 'warning: cluster .* sets insecure-skip-tls-verify' \
    "$err"
expect_eq "insecure-skip-tls-verify: warned once" 1 "$(printf '%s\n' "$err" | grep -c insecure)"
printf '@until live\n:dump %s\n' "$d/insecure.screen" >"$d/insecure.script"
FREIGHTDECK_NO_DISPLAY=1 LINES=24 COLUMNS=120 timeout 60 "$FD_BIN" console --project shop \
    --kubeconfig "$d/insecure.yaml" --frame-ms 1 --script "$d/insecure.script" >"$d/insecure.out" 2>&1
expect_eq "insecure-skip-tls-verify: the console runs" 0 "$?"
expect_match "insecure-skip-tls-verify: the console's header says so" '\[TLS not verified\]' \
    "$(head -1 "$d/insecure.screen")"

# ---- 10: a check says what is true ---------------------------------------------------------
expect_exit "approve again, dry run" 0 \
    fd approve f-api-1 --stage prod -n shop --kubeconfig "$d/kc" --dry-run
expect_match "approved Freight: the warning says it is already approved" \
    'already approved for Stage prod' "$out"
expect_eq "approved Freight: never 'not yet approved'" 0 "$(printf '%s\n' "$out" | grep -c 'not yet')"

# ---- The console through the proxy: a lost answer in the dialog -----------------------
proxy drop-writes
cat >"$d/console.script" <<S
@until live
jjjaprod<Enter>
@until read back:
:dump $d/console.screen
S
# The documented `mouse:` setting is accepted (it was "unknown key").
printf 'mouse: true\n' >"$d/console.yaml"
FREIGHTDECK_CONFIG="$d/console.yaml" FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=160 \
    timeout 60 "$FD_BIN" console --kubeconfig "$d/kc" \
    --project payments --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$d/console.script" \
    >"$d/console.out" 2>&1
expect_eq "console: exits 0 (with mouse: true in its config)" 0 $?
expect_eq "console: no 'unknown key'" 0 "$(grep -c 'unknown key' "$d/console.out")"
expect_match "console: the dialog says outcome unknown" 'outcome unknown' "$(cat "$d/console.screen")"
expect_match "console: and what reading it back found" 'read back: applied' \
    "$(cat "$d/console.screen")"
expect_eq "console: never 'failed0'" 0 "$(grep -c 'failed0\|unknown0' "$d/console.screen")"

# ---- In a real terminal (tmux): the dialog counts the seconds while it sends ---------
if command -v tmux >/dev/null 2>&1; then
    # Earlier sections approved rusty-heron for prod: undo it on the server.
    c /apis/kargo.akuity.io/v1alpha1/namespaces/payments/freights/e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0/status \
        -X PATCH -H 'Content-Type: application/merge-patch+json' \
        -d '{"status":{"approvedFor":null}}' >/dev/null
    proxy blackhole-writes
    sock="fdfaults$$"
    T="tmux -L $sock -f /dev/null"
    $T new-session -d -x 160 -y 40 "env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' \
FREIGHTDECK_IDLE_TIMEOUT=20 XDG_STATE_HOME='$XDG_STATE_HOME' LC_ALL=C.UTF-8 TERM=xterm-256color \
'$FD_BIN' console --kubeconfig '$d/kc' --project payments; sleep 30"
    pane_shows() { # TEXT (ERE): polls the pane for up to 10 s (scaled)
        i=0
        while [ $i -lt "$(scaled 100)" ]; do
            screen=$($T capture-pane -p 2>/dev/null)
            printf '%s\n' "$screen" | grep -Eq -- "$1" && return 0
            sleep 0.1; i=$((i + 1))
        done
        return 1
    }
    pane_shows 'live' || true
    $T send-keys j j j a
    pane_shows 'type the Stage name' || true
    $T send-keys p r o d Enter
    if pane_shows 'sending\.\.\. [2-9] s'; then tap_ok "tmux: the dialog counts the seconds while sending"
    else tap_not_ok "tmux: the dialog counts the seconds while sending"; diag "$screen"; fi
    lines=$(wc -l <"$audit")
    $T send-keys Escape q
    i=0
    while [ $i -lt 100 ] && [ "$(wc -l <"$audit")" = "$lines" ]; do sleep 0.05; i=$((i + 1)); done
    expect_match "tmux: quitting while it sends audits it as unknown" \
        '"method":"PATCH".*"outcome":"unknown"' "$(tail -n +$((lines + 1)) "$audit")"
    $T kill-server 2>/dev/null
fi

# ---- Progressive loading: the pipeline without its Freight, never "0 Freight" -------------
if command -v tmux >/dev/null 2>&1; then
    proxy blackhole-freight
    sock="fdload$$"
    T="tmux -L $sock -f /dev/null"
    $T new-session -d -x 120 -y 30 "env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' \
XDG_STATE_HOME='$XDG_STATE_HOME' LC_ALL=C.UTF-8 TERM=xterm-256color \
'$FD_BIN' console --kubeconfig '$d/kc' --project payments; sleep 30"
    if pane_shows 'loading Freight\.\.\.'; then tap_ok "Freight held: the Warehouse says loading Freight..."
    else tap_not_ok "Freight held: the Warehouse says loading Freight..."; diag "$screen"; fi
    # (the Warehouse's card can say so before the Stages are listed)
    pane_shows 'staging' || true
    expect_match "Freight held: the pipeline's Stages are drawn" 'staging' "$screen"
    # The header names every kind still loading: Freight alone once the
    # others are listed (the card can say so a frame before the header).
    pane_shows '^ *loading Freight\.\.\.$' || true
    expect_match "Freight held: the header says what is loading" '^ *loading Freight\.\.\.$' \
        "$(printf '%s\n' "$screen" | sed -n 2p)"
    expect_eq "Freight held: never a count of 0 Freight, never 'nothing waits'" 0 \
        "$(printf '%s\n' "$screen" | grep -c '0 Freight\|nothing waits for you')"
    $T send-keys j a
    if pane_shows 'Freight of project payments is still loading'; then
        tap_ok "Freight held: approve says the Freight is still loading, not 'no Freight'"
    else tap_not_ok "Freight held: approve says the Freight is still loading, not 'no Freight'"; diag "$screen"; fi
    $T send-keys q
    $T kill-server 2>/dev/null
fi

# ---- The shown project first: its long lists before those of every namespace ---------------
# No project given: the console shows the first one (payments) and lists its
# Freight, Promotions, AnalysisRuns and Rollouts on their own first. The
# lists of every namespace never answer here: payments is complete all the
# same, the lists of every project say they are loading, and a project
# switched to while its own lists are held says "loading", never "none".
if command -v tmux >/dev/null 2>&1; then
    proxy blackhole-wide --hold-ns shop
    sock="fdfocus$$"
    T="tmux -L $sock -f /dev/null"
    $T new-session -d -x 160 -y 40 "env FREIGHTDECK_THEMES_DIR='$FD_TOP_SRCDIR/themes' \
XDG_STATE_HOME='$XDG_STATE_HOME' LC_ALL=C.UTF-8 TERM=xterm-256color \
'$FD_BIN' console --kubeconfig '$d/kc' --now 2026-08-20T12:00:00Z; sleep 30"
    if pane_shows 'Warehouse +3 Freight \(Enter'; then
        tap_ok "focus: the shown project's Warehouse lists its 3 Freight"
    else tap_not_ok "focus: the shown project's Warehouse lists its 3 Freight"; diag "$screen"; fi
    # (the Warehouse's card needs the Freight only, the header every kind
    # of the shown project: it may still say "connecting" a moment longer)
    pane_shows 'project: payments.*◌ loading other projects' || true
    expect_match "focus: the header says the other projects are loading (not live, not connecting)" \
        'project: payments.*◌ loading other projects' "$(printf '%s\n' "$screen" | sed -n 1p)"
    expect_eq "focus: the first list of Freight is the shown project's" \
        "/apis/kargo.akuity.io/v1alpha1/namespaces/payments/freights?limit=500" \
        "$(sed -n 's/^GET \([^ ]*freights?limit=[^ ]*\) .*/\1/p' "$d/plog" | head -n 1)"
    # The shown project is watched on its own meanwhile: a change shows.
    c /apis/kargo.akuity.io/v1alpha1/namespaces/payments/freights/e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0 \
        -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"alias":"focus-heron"}' \
        >/dev/null
    if pane_shows 'focus-heron'; then
        tap_ok "focus: a change in the shown project shows while every namespace is held"
    else tap_not_ok "focus: a change in the shown project shows while every namespace is held"
        diag "$screen"; fi
    expect_match "focus: the shown project's Freight is watched on its own" \
        'namespaces/payments/freights\?watch=1' "$(cat "$d/plog")"
    $T send-keys : r u n s Enter
    if pane_shows 'AnalysisRuns .*project payments only: loading the others\.\.\.'; then
        tap_ok "focus: :runs says it holds the shown project's runs only, the others loading"
    else tap_not_ok "focus: :runs says it holds the shown project's runs only"; diag "$screen"; fi
    expect_eq "focus: :runs has the 4 runs of payments" 4 \
        "$(printf '%s\n' "$screen" | grep -c '^. [a-z]*\.[0-9]* *payments ')"
    $T send-keys Escape : p r o j e c t Space s h o p Enter
    if pane_shows 'project: shop' && pane_shows 'loading Freight\.\.\.'; then
        tap_ok "focus: a project switched to while its lists are held says loading Freight..."
    else tap_not_ok "focus: a project switched to says loading Freight..."; diag "$screen"; fi
    expect_eq "focus: never a count of 0 Freight, never 'no Freight'" 0 \
        "$(printf '%s\n' "$screen" | grep -c '0 Freight\|no Freight')"
    expect_match "focus: shop's own lists were asked for at the switch" \
        'namespaces/shop/freights\?limit=' "$(cat "$d/plog")"
    $T send-keys q
    $T kill-server 2>/dev/null
fi

# The first list of every namespace answers 410 (its version expired): it is
# listed again, the shown project stays complete meanwhile, and once every
# namespace is in, each object is there once.
proxy gone-wide
cat >"$d/gone.script" <<S
@until 3 Freight
@until live
:rollouts
@until shop-qa
:dump $d/gone.screen
S
FREIGHTDECK_NO_DISPLAY=1 LINES=40 COLUMNS=160 timeout "$(scaled 60)" "$FD_BIN" console \
    --kubeconfig "$d/kc" --now 2026-08-20T12:00:00Z --frame-ms 1 --script "$d/gone.script" \
    >"$d/gone.out" 2>&1
expect_eq "gone-wide: the console exits 0" 0 $?
expect_eq "gone-wide: every long kind's list of every namespace was asked again after its 410" \
    8 "$(grep -E '^GET /apis/[^ ]*/(freights|promotions|analysisruns|rollouts)\?limit=' "$d/plog" |
        grep -vc /namespaces/)"
expect_eq "gone-wide: and payments' own lists once each" 4 \
    "$(grep -Ec '^GET /apis/[^ ]*/namespaces/payments/[a-z]*\?limit=' "$d/plog")"
expect_eq "gone-wide: :rollouts has payments' 3 Rollouts once each" 3 \
    "$(grep -c '^. [a-z-]* *payments ' "$d/gone.screen")"
expect_eq "gone-wide: and shop's 3, once each" 3 "$(grep -c '^. [a-z-]* *shop ' "$d/gone.screen")"
expect_eq "gone-wide: nothing says loading any more" 0 "$(grep -c 'loading' "$d/gone.screen")"

stop_proxy
done_testing
