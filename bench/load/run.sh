#!/usr/bin/env bash
# Load test of `wirecoder serve` (issue #13): 100,000 synthetic stored events, then an
# open-loop mix of API queries at a fixed rate (default 200 requests/s for 60 s) on loopback.
# Prints p50/p90/p99/max latency per endpoint and overall, and the errors; exits 1 on errors.
#
#   bench/load/run.sh                  # 200 /s for 60 s, 100,000 events
#   RATE=400 SECS=30 bench/load/run.sh
#
# The database is made once by the synth_db example (10 events per article) and kept in
# $WORK (default /tmp/wirecoder-load) for the next runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-200}
SECS=${SECS:-60}
EVENTS=${EVENTS:-100000}
PORT=${PORT:-18090}
WORK=${WORK:-/tmp/wirecoder-load}
mkdir -p "$WORK"
db="$WORK/load-$EVENTS.db"

cargo build --release -p wirecoder -p wirecoder-serve --example synth_db --example load
if [ ! -f "$db" ]; then
    target/release/examples/synth_db "$db" "$EVENTS"
fi
target/release/wirecoder serve --db "$db" --addr "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/api/v1/stats" >/dev/null 2>&1 && break
    sleep 0.1
done
echo "$(date -u +%FT%TZ) $(uptime)"
target/release/examples/load "127.0.0.1:$PORT" --rate "$RATE" --secs "$SECS" \
    --articles $((EVENTS / 10))
