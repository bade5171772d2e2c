#!/usr/bin/env bash
# Create (or reuse) the conformance virtualenv and print its path on stdout.
#
#   VENV=$(bash tests/conformance/setup-venv.sh) && "$VENV/bin/pytest" tests/conformance -q
#
# The venv lives at ${IMGCTL_VENV:-<repo>/target/conformance-venv}.  Requirements
# are installed only when requirements.txt (or the interpreter) changed since the
# last successful install, recorded in a stamp file inside the venv, so a second
# run costs a fraction of a second.  On a fresh Debian machine where
# `python3 -m venv` is unavailable, python3-venv is installed with apt-get when
# running as root.  Progress goes to stderr; stdout carries only the path.
# PYTHON=/path/to/python3 picks another interpreter.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${IMGCTL_VENV:-$repo/target/conformance-venv}"
req="$here/requirements.txt"
python="${PYTHON:-python3}"

log() { printf 'setup-venv: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v "$python" >/dev/null 2>&1 || die "$python not found; install Python 3.9+ (Debian: apt-get install python3 python3-venv)"

# `python3 -m venv` needs the venv module and ensurepip (Debian splits them into python3-venv).
venv_works() { "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; }
if ! venv_works; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        pyver="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        log "python3 -m venv is unavailable; installing python3-venv with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq python3-venv >&2 || apt-get install -y -qq "python${pyver}-venv" >&2
        venv_works || die "python3-venv installed but '$python -m venv' still fails"
    else
        die "'$python -m venv' is unavailable: install python3-venv (as root: apt-get install python3-venv)"
    fi
fi

mkdir -p "$(dirname "$venv")"
# One setup at a time per venv (CI and a developer shell may race).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$venv.lock"
    flock 9
fi

# What the installed set depends on: the requirements file and the interpreter.
want="$( { sha256sum "$req" | cut -d' ' -f1; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
stamp="$venv/.requirements.stamp"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "up to date ($venv)"
    printf '%s\n' "$venv"
    exit 0
fi

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1 \
        || [ "$("$venv/bin/python" -c 'import sys; print(sys.version)')" != "$("$python" -c 'import sys; print(sys.version)')" ]; then
    log "creating virtualenv at $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
fi

log "installing $(grep -cvE '^\s*(#|$)' "$req") pinned requirements"
rm -f "$stamp"
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req" >&2
"$venv/bin/python" -m pip check >&2 || die "installed packages have conflicting requirements"
printf '%s\n' "$want" > "$stamp"
log "ready ($venv)"
printf '%s\n' "$venv"
