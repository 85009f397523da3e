#!/usr/bin/env bash
# #14: ingest of the BBC corpus with 0 and 100 watch rules, alternating, release binary.
# Usage: crates/watch/bench/ingest.sh [BIN]   (reads ../shared/corpora/bbc; writes under /tmp)
set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${1:-$here/../../../target/release/wirecoder}
CORPUS=$here/../../../../shared/corpora/bbc
D=$(mktemp -d /tmp/watchbench.XXXXXX)
python3 "$here/make_rules.py" "$D/rules100.toml" >/dev/null
for run in 1 2 3; do
  for n in 0 100; do
    rm -rf "$D"/r$n.db*
    if [ $n = 100 ]; then "$BIN" watch add --db "$D/r$n.db" "$D/rules100.toml" 2>/dev/null; fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "TIME $n rules run $run: wall %e s user %U s sys %S s (load $load)" \
      "$BIN" ingest --db "$D/r$n.db" "$CORPUS" > /dev/null 2> "$D/err$n.$run"
    grep -h "TIME\|^watch" "$D/err$n.$run"
  done
done
rm -rf "$D"
