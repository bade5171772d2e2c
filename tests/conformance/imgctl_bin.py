"""Run the imgctl binary from conformance tests (for the imgctl comparisons to come).

    from imgctl_bin import run_imgctl
    r = run_imgctl(["image", "create", "--provider", "ens", "--endpoint-url", srv.url, ...],
                   env={"ALIBABA_CLOUD_ACCESS_KEY_ID": "imgctl-demo", ...})
    assert r.returncode == 0, r.stderr

The binary is ``$IMGCTL_BIN`` if set, else ``<repo>/target/debug/imgctl``.
The child gets a hermetic environment: the caller's cloud credentials,
profiles and endpoints (AWS_*, ALIBABA_CLOUD_*, ALIBABACLOUD_*, ALICLOUD_*,
HUAWEICLOUD_*, HW_*, IMGCTL_*) are removed, HOME and XDG_CONFIG_HOME point at
an empty temporary directory so no real config file is read, proxies are
bypassed for 127.0.0.1, and then ``env`` is applied on top.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Mapping, Optional, Sequence

REPO = Path(__file__).resolve().parents[2]
_SCRUB_PREFIXES = ("AWS_", "ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_", "HUAWEICLOUD_", "HW_", "IMGCTL_")


class ImgctlNotBuilt(FileNotFoundError):
    pass


def find_imgctl() -> Path:
    explicit = os.environ.get("IMGCTL_BIN")
    path = Path(explicit) if explicit else REPO / "target" / "debug" / "imgctl"
    if not (path.is_file() and os.access(path, os.X_OK)):
        how = "IMGCTL_BIN" if explicit else "the default target/debug/imgctl (run `cargo build` or set IMGCTL_BIN)"
        raise ImgctlNotBuilt(f"imgctl binary not found at {path} ({how})")
    return path


def require_imgctl() -> Path:
    """The binary, or a test *failure* (never a skip): a wrong path or a
    missing build must not turn the imgctl conformance tests into silent
    skips."""
    import pytest

    try:
        return find_imgctl()
    except ImgctlNotBuilt as exc:
        pytest.fail(f"{exc}: the conformance tests need it, so this is a failure, not a skip",
                    pytrace=False)


def imgctl_env(env: Optional[Mapping[str, str]] = None, home: Optional[str] = None) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES)}
    if home is not None:
        base["HOME"] = home
        base["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    no_proxy = ",".join(x for x in ("127.0.0.1", "localhost", base.get("NO_PROXY", "")) if x)
    base["NO_PROXY"] = base["no_proxy"] = no_proxy
    base.update(env or {})
    return base


def run_imgctl(args: Sequence[str], env: Optional[Mapping[str, str]] = None, *, timeout: float = 60,
               input: Optional[str] = None) -> subprocess.CompletedProcess:
    """Run ``imgctl ARGS`` and return the CompletedProcess (text stdout/stderr, never raises on exit code)."""
    exe = find_imgctl()
    with tempfile.TemporaryDirectory(prefix="imgctl-home-") as home:
        return subprocess.run([str(exe), *args], env=imgctl_env(env, home), input=input,
                              capture_output=True, text=True, timeout=timeout,
                              stdin=None if input is not None else subprocess.DEVNULL)
