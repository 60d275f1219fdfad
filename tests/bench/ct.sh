#!/usr/bin/env bash
# Certificate Transparency's cost in one trust evaluation (goal: at most 0.1 ms more).
set -euo pipefail
BUILD=$(cd "$1" && pwd)
cd "$2"
CLI="$BUILD/app/trustscope-cli"
export TRUSTSCOPE_DATA_DIR="$2/ct-data"
for log in A B C; do "$CLI" gen ct-log --name "Bench $log" --operator "Operator $log" --out "ct$log" >/dev/null; done
"$CLI" gen ca --out ctpki >/dev/null
"$CLI" gen leaf --dns bench.test --issuer-cert ctpki/ca.pem --issuer-key ctpki/ca.key --name plain --out ctpki >/dev/null
leaves=()
for index in $(seq 0 20); do
    "$CLI" gen leaf --dns bench.test --issuer-cert ctpki/ca.pem --issuer-key ctpki/ca.key --name "sct$index" \
        --ct-log ctA --ct-log ctB --ct-log ctC --out ctpki >/dev/null
    leaves+=("ctpki/sct$index.pem")
done
"$BUILD/tests/bench/bench_ct" ctpki/ca.pem ctpki/plain.pem ctA/log-list.json ctB/log-list.json ctC/log-list.json -- "${leaves[@]}"
