#!/usr/bin/env bash
# In-process trust evaluation of a 3-certificate chain (goal: median <= 0.5 ms).
set -euo pipefail
BUILD=$(cd "$1" && pwd)
cd "$2"
printf '[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n[leaf]\nbasicConstraints=critical,CA:false\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:bench.test\nauthorityKeyIdentifier=keyid\n' >x.cnf
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout r.key -out r.pem -subj /CN=BenchRoot -config x.cnf -extensions ca 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout i.key -out i.pem -subj /CN=BenchIntermediate -config x.cnf -extensions ca -CA r.pem -CAkey r.key 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout l.key -out l.pem -subj /CN=bench.test -config x.cnf -extensions leaf -CA i.pem -CAkey i.key 2>/dev/null
"$BUILD/tests/bench/bench_trust" l.pem i.pem r.pem bench.test
