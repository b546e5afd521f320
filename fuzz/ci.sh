#!/usr/bin/env bash
# The fuzzing part of CI (called from .ci/run; the corpus replay runs in `cargo test`):
#   1. build every target and smoke-run each for FUZZ_SMOKE_SECONDS (default 20) through
#      `cargo xtask fuzz`, which installs cargo-fuzz if missing and fails on any finding;
#   2. run .clusterfuzzlite/build.sh as ClusterFuzzLite / OSS-Fuzz would, with $SRC and $OUT
#      in a temporary directory, and check that it produced every target with its seed
#      corpus, dictionary and options (no Docker here: the image itself is not built).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v zip >/dev/null; then
    echo "== apt-get install zip (build.sh zips the seed corpora)"
    apt-get update -qq && apt-get install -y -qq zip
fi

echo "== cargo xtask fuzz (smoke run of every target)"
cargo xtask fuzz --time "${FUZZ_SMOKE_SECONDS:-20}"

echo "== .clusterfuzzlite/build.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/out"
ln -s "$PWD" "$work/src/oauth1-conformance"
SRC="$work/src" OUT="$work/out" RUSTUP_TOOLCHAIN=nightly bash .clusterfuzzlite/build.sh
missing=0
for target in $(cargo +nightly fuzz list); do
    for file in "$target" "$target.dict" "$target.options" "${target}_seed_corpus.zip"; do
        if [ ! -s "$work/out/$file" ]; then
            echo "build.sh did not produce \$OUT/$file" >&2
            missing=1
        fi
    done
    [ -x "$work/out/$target" ] || { echo "\$OUT/$target is not executable" >&2; missing=1; }
done
exit "$missing"
