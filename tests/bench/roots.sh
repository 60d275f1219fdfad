#!/usr/bin/env bash
# verify with a verdict in every root program (--root-program all) against one verdict, each a
# whole trustscope-cli run (the stores are parsed once per process; goal: ratio <= 2).
set -euo pipefail
BUILD=$(cd "$1" && pwd)
cd "$2"
CLI="$BUILD/app/trustscope-cli"
export TRUSTSCOPE_DATA_DIR="$2/roots-data"
printf '[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n[leaf]\nbasicConstraints=critical,CA:false\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:bench.test\nauthorityKeyIdentifier=keyid\n' >roots.cnf
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout rr.key -out rr.pem -subj /CN=RootsBenchRoot -config roots.cnf -extensions ca 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout rl.key -out rl.pem -subj /CN=bench.test -config roots.cnf -extensions leaf -CA rr.pem -CAkey rr.key 2>/dev/null
median_ms() { # COMMAND…: the median wall time of 15 runs, in ms
    for _ in $(seq 15); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null || [[ $? == 1 ]]
        end=$(date +%s%N)
        echo $(((end - start) / 1000))
    done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] / 1000}'
}
one=$(median_ms "$CLI" verify rl.pem --host bench.test --anchor rr.pem --json)
all=$(median_ms "$CLI" verify rl.pem --host bench.test --anchor rr.pem --root-program all --json)
awk -v one="$one" -v all="$all" 'BEGIN {
    ratio = all / one
    printf "verify: %s ms; with --root-program all (7 programs): %s ms; ratio %.2f (goal <= 2) %s\n", one, all, ratio, (ratio <= 2 ? "OK" : "SLOW")
}'
