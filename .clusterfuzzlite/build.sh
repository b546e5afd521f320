#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script: builds every cargo-fuzz target of fuzz/ and puts
# into $OUT, per target, the binary, its seed corpus (fuzz/seeds/ and fuzz/regressions/ as
# TARGET_seed_corpus.zip), its dictionary (TARGET.dict) and its libFuzzer options
# (TARGET.options: -max_len above the header cap, a 1 s timeout).
#
# The services run it in their image with $SRC and $OUT set and nightly as the default
# toolchain; .ci/run (through fuzz/ci.sh) runs it on the host with RUSTUP_TOOLCHAIN=nightly.
# The build flags are those of `cargo xtask fuzz` (xtask/src/fuzz.rs), so both share
# fuzz/target/: the targets that sign with RSA keys are built without compare tracing (its
# callbacks inside the bignum code made one input take seconds), in their own target directory
# so the two flag sets do not rebuild each other; the differential target alone is built with
# the `differential` feature, which brings in the conformance harness and its peers.
cd "$SRC/oauth1-conformance"

rsa_targets="sign_request verify_request differential"
no_trace_dir=fuzz/target/no-trace-compares

for target in $(cargo fuzz list); do
    flags=(-O -a)
    build_dir=fuzz/target/x86_64-unknown-linux-gnu/release
    case " $rsa_targets " in *" $target "*)
        flags+=(--no-trace-compares --target-dir "$no_trace_dir")
        build_dir=$no_trace_dir/x86_64-unknown-linux-gnu/release ;;
    esac
    if [ "$target" = differential ]; then
        flags+=(--features differential)
    fi
    cargo fuzz build "${flags[@]}" "$target"
    cp "$build_dir/$target" "$OUT/"

    dict="fuzz/dict/$target.dict"
    [ -f "$dict" ] || dict=fuzz/dict/record.dict
    cp "$dict" "$OUT/$target.dict"

    printf '[libfuzzer]\nmax_len = 16384\ntimeout = 1\n' > "$OUT/$target.options"

    inputs=()
    for dir in "fuzz/seeds/$target" "fuzz/regressions/$target"; do
        [ -d "$dir" ] && inputs+=("$dir"/*)
    done
    rm -f "$OUT/${target}_seed_corpus.zip"
    zip -jq "$OUT/${target}_seed_corpus.zip" "${inputs[@]}"
done
