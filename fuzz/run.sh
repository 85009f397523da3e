#!/usr/bin/env bash
# Runs fuzz targets for a set time each and prints the executions per target.
#
#   fuzz/run.sh SECONDS [TARGET...]     # every target when none is named
#   JOBS=16 fuzz/run.sh 600             # ten minutes each, 16 targets at a time
#
# Uses the binaries in fuzz/bin/ (fuzz/build.sh) when present, else `cargo +nightly fuzz run`.
# The corpus grows in fuzz/corpus/TARGET/ (only the seed-* files are in git); a crash or a
# timeout leaves its input in fuzz/artifacts/TARGET/ and makes the script exit 1.
# Logs: fuzz/logs/TARGET.log. JOBS defaults to the number of cores.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    if [ -d bin ] && [ -n "$(ls bin 2>/dev/null)" ]; then
        mapfile -t targets < <(ls bin)
    else
        mapfile -t targets < <(cargo +nightly fuzz list)
    fi
fi
jobs=${JOBS:-$(nproc)}
mkdir -p logs
# Hangs (one input over 10 s) and runaway memory (2 GiB) count as failures.
opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1)

run_one() {
    local t=$1
    mkdir -p "corpus/$t" "artifacts/$t"
    # The exit status goes to a file: `jobs` in the loop below reaps finished jobs, after
    # which `wait PID` can no longer report their status (it says 127).
    run_target "$t"
    echo $? >"logs/$t.rc"
}

run_target() {
    local t=$1
    if [ -x "bin/$t" ]; then
        "bin/$t" "${opts[@]}" -artifact_prefix="artifacts/$t/" "corpus/$t" >"logs/$t.log" 2>&1
    else
        cargo +nightly fuzz run -O "$t" "corpus/$t" -- "${opts[@]}" \
            -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1
    fi
}

pids=()
names=()
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
    run_one "$t" &
    pids+=($!)
    names+=("$t")
done
fail=0
printf '%-14s %12s %10s %8s  %s\n' target executions exec/s corpus result
for i in "${!pids[@]}"; do
    t=${names[$i]}
    wait "${pids[$i]}" 2>/dev/null
    rc=$(cat "logs/$t.rc" 2>/dev/null || echo 1)
    log="logs/$t.log"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    corpus=$(ls "corpus/$t" | wc -l)
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        result="FAILED (rc $rc): $(grep -m1 -E 'ERROR|panicked|deadly signal|timeout' "$log" | cut -c1-100); see $log, artifacts/$t/"
        fail=1
    fi
    printf '%-14s %12s %10s %8s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$corpus" "$result"
done
exit $fail
