#!/bin/sh
# tests/kube/gen-certs.sh DIR: a throwaway PKI for the HTTPS tests.
#   ca.pem/ca.key            the cluster CA
#   server.pem/server.key    signed by ca, for 127.0.0.1 and localhost
#   named.pem/named.key      signed by ca, only for api.kube.test (tls-server-name)
#   client.pem/client.key    signed by ca, a client certificate (CN=ops)
#   wrongca.pem/wrongca.key  an unrelated CA
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca() {
    key "$1.key"
    openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
}

leaf() { # leaf NAME CN EXTENSIONS
    key "$1.key"
    openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -out "$1.pem" -extfile "$1.ext" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

ca ca "freightdeck test CA"
ca wrongca "some other CA"
leaf server "127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
leaf named "api.kube.test" "subjectAltName=DNS:api.kube.test
extendedKeyUsage=serverAuth"
leaf client "ops" "extendedKeyUsage=clientAuth"
