#!/usr/bin/env bash
# The x509-limbo run (trustscope-cli limbo) against OpenSSL's verifier on the same cases, driven the
# way upstream's OpenSSL harness drives it (tests/bench/limbo_openssl.cpp). Goal: no slower (<= 1.0x)
# in wall time; the CPU time ratio is printed too, since ours uses every core and the harness one.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
LIMBO=$(cd "$(dirname "$0")/../../../shared/limbo" 2>/dev/null && pwd)/limbo.json
[[ -f $LIMBO ]] || { echo "limbo: ../shared/limbo/limbo.json not found, skipped"; exit 0; }
python3 - "$BUILD" "$LIMBO" <<'PY'
import resource, statistics, subprocess, sys, time
build, limbo = sys.argv[1], sys.argv[2]
def measure(command):
    walls, cpus = [], []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.monotonic() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)
ours = measure([f"{build}/app/trustscope-cli", "limbo", limbo])
theirs = measure([f"{build}/tests/bench/bench_limbo_openssl", limbo])
ratio = ours[0] / theirs[0]
print(f"limbo: trustscope-cli {ours[0]:.2f} s ({ours[1]:.2f} s CPU), OpenSSL harness {theirs[0]:.2f} s "
      f"({theirs[1]:.2f} s CPU): ratio {ratio:.2f} (goal <= 1.0) {'OK' if ratio <= 1.0 else 'SLOW'}, "
      f"CPU ratio {ours[1] / theirs[1]:.2f}")
PY
