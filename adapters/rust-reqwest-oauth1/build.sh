#!/usr/bin/env bash
# Builds reqwest-oauth1's capture driver into target/adapters/rust-reqwest-oauth1/ from the
# pinned Cargo.lock (run from the repository root, by `cargo xtask setup --all`).
set -euo pipefail
out_dir=target/adapters/rust-reqwest-oauth1
cargo build --quiet --release --locked --manifest-path adapters/rust-reqwest-oauth1/Cargo.toml --target-dir "$out_dir/build"
cp "$out_dir/build/release/capture-driver-reqwest-oauth1" "$out_dir/capture_driver"
echo "built $out_dir/capture_driver"
