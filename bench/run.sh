#!/usr/bin/env bash
# The speed benchmark in one command (issue 16, docs/performance.md):
#
#   bash bench/run.sh            # full run (~10 min): release build; writes the table
#                                # into docs/performance.md, docs/performance-table.md
#                                # and the chart docs/performance.png
#   bash bench/run.sh --smoke    # a few iterations with the debug build, into
#                                # target/bench-smoke/ (CI runs this; no thresholds)
#
# On a fresh machine it installs what it lacks: curl and openssl with apt-get
# (only if missing), the AWS CLI and the official SDKs through the conformance
# venv (tests/conformance/setup-venv.sh), matplotlib from bench/requirements.txt.
# Extra arguments go to bench/bench.py (--fast N, --slow N, --many N, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
for a in "$@"; do [ "$a" = --smoke ] && smoke=1; done

missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2
fi

if [ $smoke = 1 ]; then
    cargo build --locked --quiet
    bin="${IMGCTL_BIN:-$PWD/target/debug/imgctl}"
    out=(--out "$PWD/target/bench-smoke")
else
    cargo build --locked --release --quiet
    bin="${IMGCTL_BIN:-$PWD/target/release/imgctl}"
    out=()
fi
mkdir -p target/bench
rustc --edition 2024 -O bench/floor.rs -o target/bench/floor
rustc --edition 2024 -O bench/measure.rs -o target/bench/measure

venv=$(bash tests/conformance/setup-venv.sh | tail -n 1)
stamp="$venv/.bench-requirements.stamp"
want=$(sha256sum bench/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "bench: installing bench/requirements.txt into $venv" >&2
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r bench/requirements.txt >&2
    printf '%s\n' "$want" > "$stamp"
fi

exec "$venv/bin/python" bench/bench.py --imgctl "$bin" --floor "$PWD/target/bench/floor" --measure "$PWD/target/bench/measure" "${out[@]}" "$@"
