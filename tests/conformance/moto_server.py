"""moto as a local EC2 (and IAM) on 127.0.0.1, with real SigV4 checking.

``MotoServer`` starts ``moto_server -H 127.0.0.1 -p <free port>`` from the
running virtualenv, waits until it answers, and stops it (terminate, then
kill) on exit.  ``iam_user_with_ec2_policy`` is the recipe of
ref/aws.md section 6: reset, allow exactly three unauthenticated actions,
spend them on IAM (create user, create access key, attach an ``ec2:*``
policy), after which moto verifies every request's signature and only the
new key is accepted.

    with MotoServer() as moto:
        akid, secret = iam_user_with_ec2_policy(moto)
        ...                     # boto3 / imgctl against moto.url
        moto.set_auth_count("inf")   # back to no checks
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional, Tuple

__all__ = ["MotoServer", "iam_user_with_ec2_policy", "free_port", "moto_server_command"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def moto_server_command() -> list:
    """``moto_server`` next to the running interpreter (the venv), else ``python -m moto.server``."""
    exe = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "moto.server"]


class MotoServer:
    def __init__(self, port: Optional[int] = None, startup_timeout: float = 30.0,
                 load_default_amis: bool = False):
        self._want_port = port
        self.port: Optional[int] = None
        self.startup_timeout = startup_timeout
        self.load_default_amis = load_default_amis
        self.proc: Optional[subprocess.Popen] = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> "MotoServer":
        if self.proc is not None:
            return self
        attempts = 1 if self._want_port else 3  # another process may grab a free port first
        last_error = None
        for _ in range(attempts):
            self.port = self._want_port or free_port()
            env = dict(os.environ)
            env["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "true" if self.load_default_amis else "false"
            for k in ("MOTO_PORT", "INITIAL_NO_AUTH_ACTION_COUNT", "TEST_SERVER_MODE"):
                env.pop(k, None)
            self._log = tempfile.TemporaryFile()
            self.proc = subprocess.Popen(
                [*moto_server_command(), "-H", "127.0.0.1", "-p", str(self.port)],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, env=env)
            try:
                self._wait_ready()
                return self
            except RuntimeError as exc:
                last_error = exc
                self.stop()
        raise last_error

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        delay = 0.02
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.reset()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto_server not ready after {self.startup_timeout}s:\n{self.log_tail()}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.2)

    def log_tail(self, n: int = 4000) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-n:]

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=5)
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "MotoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- moto-api ------------------------------------------------------------------
    def _post(self, path: str, data: bytes = b"", content_type: Optional[str] = None) -> dict:
        headers = {"Content-Type": content_type} if content_type else {}
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read() or b"{}")

    def reset(self) -> dict:
        """Forget every resource (POST /moto-api/reset)."""
        return self._post("/moto-api/reset")

    def set_auth_count(self, n) -> dict:
        """INITIAL_NO_AUTH_ACTION_COUNT at run time: let ``n`` more actions through
        unchecked, then verify every signature.  ``"inf"`` turns checks off.

        The body must be sent as text/plain: a form post (``curl -d``) is read as
        empty by moto and fails with HTTP 500.
        """
        return self._post("/moto-api/reset-auth", str(n).encode(), "text/plain")


def iam_user_with_ec2_policy(moto: MotoServer, user: str = "imgctl-ci", region: str = "us-east-1",
                             policy_actions=("ec2:*",)) -> Tuple[str, str]:
    """ref/aws.md section 6 recipe; returns ``(access_key_id, secret)`` of a fresh IAM user.

    Afterwards moto checks every signature: only this key (with its policy)
    is accepted.  Exactly three unauthenticated actions are spent here.
    """
    import boto3
    from botocore.config import Config

    moto.reset()
    moto.set_auth_count(3)
    iam = boto3.session.Session().client(
        "iam", region_name=region, endpoint_url=moto.url,
        aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap",  # not checked: the 3 free actions
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
    iam.create_user(UserName=user)                                            # free action 1
    key = iam.create_access_key(UserName=user)["AccessKey"]                   # free action 2
    iam.put_user_policy(UserName=user, PolicyName="imgctl-ec2", PolicyDocument=json.dumps({  # free action 3
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": list(policy_actions), "Resource": "*"}],
    }))
    return key["AccessKeyId"], key["SecretAccessKey"]
