#!/usr/bin/env bash
# Writes the bad-input corpus of crates/cli/tests/bad_input.rs (issue #13) to DIR, to look at
# or to feed to a release build by hand:
#
#   scripts/make-bad-input.sh /tmp/bad
#   target/release/wirecoder ingest --db /tmp/bad.db --max-decompressed-bytes 32M \
#       --max-text-chars 200000 /tmp/bad
set -euo pipefail
dir=${1:?usage: scripts/make-bad-input.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cd "$(dirname "$0")/.."
BAD_INPUT_DIR="$dir" cargo test -p wirecoder --test bad_input -- --ignored write_bad_input_corpus --nocapture
ls -l "$dir"
