#!/usr/bin/env bash
# trustscope-cli fetch vs openssl s_client against a local openssl s_server, side by side.
# Goals: one fetch at most 1.0x s_client's wall time (median); 200 targets with --from at
# least 20x faster than a sequential loop of s_client (the batch: median of 3 runs).
set -euo pipefail
BUILD=$(cd "$1" && pwd)
WORK=$2
cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout key.pem -out cert.pem -subj "/CN=bench.test" -days 1 2>/dev/null
PORTS=()
PIDS=()
for port in 18601 18602 18603 18604; do
    openssl s_server -accept "127.0.0.1:$port" -cert cert.pem -key key.pem -quiet -naccept 100000 </dev/null >/dev/null 2>&1 &
    PIDS+=($!)
    PORTS+=("$port")
done
trap 'kill "${PIDS[@]}" 2>/dev/null' EXIT
sleep 0.5

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=$(for _ in $(seq 9); do s=$(ms); "$BUILD/app/trustscope-cli" fetch --json 127.0.0.1:18601 >/dev/null; e=$(ms); echo $((e - s)); done | median)
theirs=$(for _ in $(seq 9); do s=$(ms); openssl s_client -connect 127.0.0.1:18601 -showcerts </dev/null >/dev/null 2>&1; e=$(ms); echo $((e - s)); done | median)
awk -v o="$ours" -v t="$theirs" 'BEGIN { r = o / t; printf "one fetch: trustscope-cli %d ms, openssl s_client %d ms: ratio %.2f (goal <= 1.0) %s\n", o, t, r, (r <= 1.0 ? "OK" : "SLOW") }'

: >targets.txt
for i in $(seq 200); do echo "127.0.0.1:${PORTS[$((i % 4))]}" >>targets.txt; done
batch=$(for _ in 1 2 3; do s=$(ms); "$BUILD/app/trustscope-cli" fetch --from targets.txt >/dev/null; e=$(ms); echo $((e - s)); done | median)
s=$(ms)
while read -r target; do openssl s_client -connect "$target" -showcerts </dev/null >/dev/null 2>&1; done <targets.txt
loop=$(($(ms) - s))
awk -v b="$batch" -v l="$loop" 'BEGIN { r = l / b; printf "200 targets: fetch --from %d ms, s_client loop %d ms: %.1fx faster (goal >= 20x) %s\n", b, l, r, (r >= 20 ? "OK" : "SLOW") }'

# 10 000 targets: results are streamed in order (core tls::fetchInOrder), so the peak memory is
# that of the program plus a bounded window of connections, not of the whole list (goal < 200 MB).
: >many.txt
for i in $(seq 10000); do echo "127.0.0.1:${PORTS[$((i % 4))]}" >>many.txt; done
python3 - "$BUILD/app/trustscope-cli" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run([sys.argv[1], "fetch", "--from", "many.txt"], stdout=subprocess.PIPE, check=False)
elapsed = time.monotonic() - start
lines = done.stdout.count(b"\n")
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"10000 targets: {lines} results in {elapsed:.1f} s, peak memory {peak_mb:.0f} MB (goal < 200 MB) "
      + ("OK" if peak_mb < 200 and lines == 10000 else "HIGH"))
PY
