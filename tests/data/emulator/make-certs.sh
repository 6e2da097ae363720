#!/bin/sh
# Regenerate the emulator's test-only TLS files: a CA (ca.pem, for clients'
# AWS_CA_BUNDLE) and a server certificate (server.pem, server-key.pem) for
# 127.0.0.1, localhost and MWAA-style host names. The keys are public test
# fixtures: never trust ca.pem outside tests.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
	-subj "/CN=mwaa-emulator test CA" -keyout "$tmp/ca-key.pem" -out ca.pem \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-subj "/CN=127.0.0.1" -keyout server-key.pem -out "$tmp/server.csr"
san="IP:127.0.0.1,DNS:localhost"
for region in us-east-1 us-west-2 eu-west-1; do
	san="$san,DNS:env.airflow.$region.amazonaws.com,DNS:api.airflow.$region.amazonaws.com"
	san="$san,DNS:*.c2.$region.airflow.amazonaws.com"
done
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" >"$tmp/ext"
openssl x509 -req -in "$tmp/server.csr" -CA ca.pem -CAkey "$tmp/ca-key.pem" -CAserial "$tmp/ca.srl" -CAcreateserial \
	-days 36500 -extfile "$tmp/ext" -out server.pem
