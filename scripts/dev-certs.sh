#!/usr/bin/env bash
# Makes a development CA and the certificates a cluster uses, with openssl:
#   DIR/ca.crt, DIR/ca.key       the CA (keep ca.key private; clients of the comets trust ca.crt)
#   DIR/grpc/                    ca.crt, tls.crt, tls.key for IM_GRPC_TLS_DIR: mutual TLS between
#                                logic, comet and job (one certificate for every process; being
#                                signed by this CA is what peers check)
#   DIR/comet/                   tls.crt, tls.key for IM_COMET_TLS_DIR: wss:// and TLS on TCP,
#                                valid for HOSTS (default: localhost,127.0.0.1)
# Usage: scripts/dev-certs.sh DIR [HOSTS]   e.g. scripts/dev-certs.sh .certs im.example.com,10.0.0.5
# For production use your own CA or cert-manager (docs/operations.md#security); these are for
# development and tests. An existing DIR/ca.key is reused, so certificates can be re-issued.
set -euo pipefail
dir=${1:?usage: scripts/dev-certs.sh DIR [HOSTS]}
hosts=${2:-localhost,127.0.0.1}
days=825
mkdir -p "$dir/grpc" "$dir/comet"
umask 077

if [[ ! -f "$dir/ca.key" ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$days" \
    -subj "/CN=imcluster development CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
fi

# issue NAME OUT_DIR EXTENSIONS: a key and a certificate signed by the CA.
issue() {
  local name=$1 out=$2 ext=$3
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$name" \
    -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
  openssl x509 -req -in "$out/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days "$days" -out "$out/tls.crt" -extfile <(printf '%s\n' "$ext") 2>/dev/null
  rm -f "$out/tls.csr"
}

san=""
IFS=',' read -ra names <<<"$hosts"
for h in "${names[@]}"; do
  if [[ $h =~ ^[0-9.]+$ || $h == *:* ]]; then san+="IP:$h,"; else san+="DNS:$h,"; fi
done

issue imcluster-internal "$dir/grpc" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:imcluster-internal"
cp "$dir/ca.crt" "$dir/grpc/ca.crt"

issue "${names[0]}" "$dir/comet" "basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=${san%,}"

chmod 644 "$dir/ca.crt" "$dir/grpc/ca.crt" "$dir/grpc/tls.crt" "$dir/comet/tls.crt"
echo "certificates in $dir: IM_GRPC_TLS_DIR=$dir/grpc IM_COMET_TLS_DIR=$dir/comet (clients trust $dir/ca.crt)"
