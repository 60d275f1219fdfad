#!/usr/bin/env bash
# trustscope-cli dump vs openssl asn1parse on an 8.8 MB DER CRL with 200 000 entries (long serials,
# as real CAs use), and the GUI opening it.
# Goal: at most 0.2x asn1parse's wall time.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
WORK=$2
cd "$WORK"
python3 - <<'PY'
with open("index.txt", "w") as index:
    for serial in range(1, 200001):
        index.write(f"R\t301231235959Z\t240102030405Z,keyCompromise\t{(0x42 << 80) | serial:040X}\tunknown\t/CN=revoked {serial}\n")
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

# The same ratio in instructions (valgrind's callgrind counts them): it does not move with the
# load of a shared machine, as wall time does. Both programs run under the same tool.
if command -v valgrind >/dev/null; then
    instructions() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
            awk '/Collected :/ {print $NF}'
    }
    ours_ir=$(instructions "$BUILD/app/trustscope-cli" dump big.crl)
    theirs_ir=$(instructions openssl asn1parse -inform DER -i -in big.crl)
    awk -v ours="$ours_ir" -v theirs="$theirs_ir" 'BEGIN {
        ratio = ours / theirs
        printf "instructions: trustscope-cli dump %.0f M, openssl asn1parse %.0f M: ratio %.2f (goal <= 0.20) %s\n", ours / 1e6, theirs / 1e6, ratio, (ratio <= 0.2 ? "OK" : "SLOW")
    }'
else
    echo "instructions: valgrind is not installed (./dev installs it in the build root)"
fi

# The GUI opening the same CRL on the ASN.1 tab: first rows (goal 150 ms) and the memory it
# holds afterwards (goal under 10x the file), median of 3 runs.
if [[ -x $BUILD/app/trustscope ]]; then
    for _ in 1 2 3; do
        QT_QPA_PLATFORM=offscreen "$BUILD/app/trustscope" --open-benchmark big.crl 2>/dev/null | tr '\n' ' '
        echo
    done | sort -n -k2 | sed -n 2p | awk '{
        for (i = 1; i < NF; i += 2) v[$i] = $(i + 1)
        held = v["memory_growth_bytes"] / v["file_bytes"]; peak = v["peak_growth_bytes"] / v["file_bytes"]
        printf "GUI: first ASN.1 rows %d ms (goal 150) %s, complete tree %d ms, memory held %.1fx the file (goal < 10) %s, peak %.1fx\n",
            v["first_rows_ms"], (v["first_rows_ms"] <= 150 ? "OK" : "SLOW"), v["complete_ms"],
            held, (held < 10 ? "OK" : "HIGH"), peak
    }'
fi
