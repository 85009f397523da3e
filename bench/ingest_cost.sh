#!/bin/bash
# Storage cost over the pipeline (#9): `wirecoder annotate` (pipeline only, JSON to /dev/null)
# against `wirecoder ingest` into a fresh SQLite file, alternating, 3 runs each; compare the
# best user+sys and the best wall time. Usage: [WIRECODER=binary] bench/ingest_cost.sh [CORPUS]
set -u
cd "$(dirname "$0")/.."
B=${WIRECODER:-$PWD/target/release/wirecoder}
C=${1:-$PWD/../shared/corpora/bbc}
T=$(mktemp -d)
for i in 1 2 3; do
  /usr/bin/time -f "annotate run $i: user %U sys %S wall %e" "$B" annotate "$C" > /dev/null 2> "$T/err"
  tail -1 "$T/err"
  /usr/bin/time -f "ingest run $i: user %U sys %S wall %e" "$B" ingest --db "$T/run$i.db" "$C" 2>&1 | tail -2
  uptime
done
rm -rf "$T"
