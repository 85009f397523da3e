#!/usr/bin/env bash
# Builds every fuzz target (release, debug assertions on, AddressSanitizer) and copies the
# binaries to fuzz/bin/, where fuzz/run.sh finds them. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`). The binaries carry the knowledge base and the
# models inside them (include_bytes!) and link libstdc++ statically, so fuzz/bin/ can be
# copied to another x86_64 Linux machine together with fuzz/run.sh and fuzz/corpus/.
#
#   fuzz/build.sh            # every target
#   fuzz/build.sh warc feed  # some
set -euo pipefail
cd "$(dirname "$0")"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
# libFuzzer is C++: link its runtime statically so the binaries run where no libstdc++ is.
export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-static-libstdc++ -C link-arg=-static-libgcc"
mkdir -p bin
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
if [ $# -eq 0 ]; then
    cargo +nightly fuzz build -O
else
    for t in "${targets[@]}"; do cargo +nightly fuzz build -O "$t"; done
fi
for t in "${targets[@]}"; do cp "target/$triple/release/$t" "bin/$t"; done
echo "built into $(pwd)/bin:"
for t in "${targets[@]}"; do
    printf '  %-14s %s\n' "$t" "$(ldd "bin/$t" 2>/dev/null | awk '{print $1}' | tr '\n' ' ')"
done
