#!/usr/bin/env bash
# The whole test suite: Rust unit, binary and transport tests, then the
# conformance tests that hold imgctl against software we did not write
# (the official SDKs, moto, the AWS CLI), installed from PyPI into a venv.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked
cargo test --locked

venv=$(bash tests/conformance/setup-venv.sh | tail -n 1)
IMGCTL_BIN="$PWD/target/debug/imgctl" "$venv/bin/python" -m pytest tests/conformance -q -p no:cacheprovider

# The benchmark in smoke mode (a few iterations, no thresholds): it must not rot.
bash bench/run.sh --smoke
