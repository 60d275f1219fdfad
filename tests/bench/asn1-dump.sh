#!/usr/bin/env bash
# trustscope-cli dump vs openssl asn1parse on an 8.7 MB DER CRL with 200 000 entries.
# Goal: at most 0.2x asn1parse's wall time.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
WORK=$2
cd "$WORK"
python3 - <<'PY'
with open("index.txt", "w") as index:
    for serial in range(1, 200001):
        index.write(f"R\t301231235959Z\t240102030405Z,keyCompromise\t{serial:040X}\tunknown\t/CN=revoked {serial}\n")
PY
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout ca.key -out ca.pem -subj "/CN=Bench CA" 2>/dev/null
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=7\n' >ca.cnf
echo 01 >crlnumber
openssl ca -gencrl -config ca.cnf -keyfile ca.key -cert ca.pem -out big.pem 2>/dev/null
openssl crl -in big.pem -outform DER -out big.crl
printf 'CRL: %s bytes\n' "$(stat -c %s big.crl)"

wall() { # median wall time in ms of 3 runs of "$@"
    for _ in 1 2 3; do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null
        end=$(date +%s%N)
        echo $(((end - start) / 1000000))
    done | sort -n | sed -n 2p
}
ours=$(wall "$BUILD/app/trustscope-cli" dump big.crl)
theirs=$(wall openssl asn1parse -inform DER -i -in big.crl)
awk -v ours="$ours" -v theirs="$theirs" 'BEGIN {
    ratio = ours / theirs
    printf "trustscope-cli dump %d ms, openssl asn1parse %d ms: ratio %.2f (goal <= 0.20) %s\n", ours, theirs, ratio, (ratio <= 0.2 ? "OK" : "SLOW")
}'
