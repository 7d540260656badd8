#!/bin/sh
# tests/kube/exec-plugin.sh MODE [VERSION [EXPIRY]]: a fake exec credential
# plugin for tests/unit/test_kube_exec.c and test_kube_http.c.
# It records each run in the folder $PLUGIN_STATE: runs (a counter), info.json
# (its KUBERNETES_EXEC_INFO), args (one per line), greeting ($PLUGIN_GREETING).
# Modes:
#   token     prints a token "tok-<run>", expiring at EXPIRY when given
#   cert      prints the client certificate and key of $PLUGIN_CERT/$PLUGIN_KEY
#   only-cert prints a certificate without its key
#   fail      writes a message naming a secret to stderr and exits 3
#   leak      prints a valid credential, echoes it on stderr, exits 1
#   garbage   prints text that is not JSON (with a secret in it)
#   sleep     never answers
set -eu
state=${PLUGIN_STATE:?PLUGIN_STATE must name a folder}
runs=$(($(cat "$state/runs" 2>/dev/null || echo 0) + 1))
echo "$runs" >"$state/runs"
printf '%s' "${KUBERNETES_EXEC_INFO-}" >"$state/info.json"
printf '%s\n' "$@" >"$state/args"
printf '%s\n' "${PLUGIN_GREETING-}" >"$state/greeting"
mode=${1:-token}
version=${2:-client.authentication.k8s.io/v1}

# pem FILE: the file as one JSON string body (newlines as \n).
pem() { awk '{ printf "%s\\n", $0 }' "$1"; }

case $mode in
token)
    exp=""
    [ -n "${3-}" ] && exp=",\"expirationTimestamp\":\"$3\""
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s"%s}}\n' \
        "$version" "$runs" "$exp"
    ;;
cert)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"}}\n' \
        "$version" "$(pem "$PLUGIN_CERT")" "$(pem "$PLUGIN_KEY")"
    ;;
only-cert)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"x"}}\n' "$version"
    ;;
fail)
    echo "error: cannot refresh session s3cr3t-session-$runs" >&2
    exit 3
    ;;
leak)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"leaked-tok-%s"}}\n' \
        "$version" "$runs"
    echo "debug: got leaked-tok-$runs, Authorization: Bearer hdr-s3cr3t" >&2
    exit 1
    ;;
garbage)
    echo "token=garbage-s3cr3t-value"
    ;;
sleep)
    exec sleep 30
    ;;
*)
    echo "exec-plugin.sh: unknown mode $mode" >&2
    exit 64
    ;;
esac
