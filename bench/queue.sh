#!/usr/bin/env bash
# #11: drain time of a queue with W workers sharing one PostgreSQL database.
# Usage: bench/queue.sh W [CORPUS]   (default ../shared/corpora/bbc; NATS and PostgreSQL on
# 127.0.0.1). Enqueues CORPUS on a fresh queue, starts W `wirecoder worker --until-empty`,
# and prints the wall time from their start (knowledge-base load included) to the last exit.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:?usage: bench/queue.sh W [CORPUS]}
C=${2:-../shared/corpora/bbc}
BIN=target/release/wirecoder
Q=qb$RANDOM
DB=qb_$Q
LOGS=$(mktemp -d)
trap 'psql -q -h 127.0.0.1 -U postgres -d test -c "drop database if exists $DB" >/dev/null; rm -rf "$LOGS"' EXIT
psql -q -h 127.0.0.1 -U postgres -d test -c "create database $DB" >/dev/null
"$BIN" enqueue --queue "$Q" "$C" 2>&1 | tail -1
start=$(date +%s.%N)
for i in $(seq "$W"); do
    "$BIN" worker --queue "$Q" --db "postgres://postgres@127.0.0.1/$DB" --until-empty 2>"$LOGS/w$i.log" &
done
wait
end=$(date +%s.%N)
echo "W=$W wall $(echo "$end - $start" | bc) s (knowledge-base load included); load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$W"); do tail -n 1 "$LOGS/w$i.log"; done
