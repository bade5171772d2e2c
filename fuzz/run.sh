#!/usr/bin/env bash
# Builds the fuzz targets with the STABLE toolchain as plain libfuzzer-sys
# binaries, coverage-guided (the same SanitizerCoverage instrumentation
# cargo-fuzz asks rustc for, minus AddressSanitizer, which needs nightly),
# then runs one target for a while on a copy of its seed corpus.
#
#   bash fuzz/run.sh TARGET [SECONDS] [JOBS]     # default 60 s, 1 job
#   bash fuzz/run.sh --build                     # build every target only
#
# Targets: alibaba_response ec2_response huawei_response ims_job iam_token
# config_files values. With nightly and cargo-fuzz installed the usual
# `cargo fuzz run TARGET fuzz/corpus/TARGET -- -max_total_time=3600` works
# too (and adds ASan). A crash leaves its input in fuzz/artifacts/TARGET/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros
# (which must not be instrumented), as cargo-fuzz does.
triple="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --manifest-path "$here/Cargo.toml" --bins --target "$triple"
[ "${1:-}" = "--build" ] && exit 0
target="${1:?usage: fuzz/run.sh TARGET [SECONDS] [JOBS]}"
secs="${2:-60}"
jobs="${3:-1}"
work="$here/runs/$target"
mkdir -p "$work" "$here/artifacts/$target"
cp -n "$here/corpus/$target"/* "$work/" 2>/dev/null || true
parallel=()
# With -jobs libFuzzer writes each worker's log to ./fuzz-N.log: keep
# them in the run directory.
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs") && cd "$work/.."
exec "$CARGO_TARGET_DIR/$triple/release/$target" "$work" \
    -max_total_time="$secs" -max_len=65536 "${parallel[@]}" \
    -print_final_stats=1 -artifact_prefix="$here/artifacts/$target/"
