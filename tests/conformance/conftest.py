"""Fixtures shared by every conformance test.

capture_server   a fresh CaptureServer per test (default responder)
moto             a moto_server (one per session) reset before each test,
                 signature checks switched off again after it
imgctl_bin       path of the imgctl binary; fails the test when it is not built
"""

from __future__ import annotations

import os

# Hermetic SDKs: never a proxy for loopback, never the developer's own cloud
# configuration or credentials.  Set before any SDK is imported.
_no_proxy = ",".join(x for x in ("127.0.0.1", "localhost", os.environ.get("NO_PROXY", "")) if x)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = _no_proxy
for _k in [k for k in os.environ if k.startswith(("AWS_", "ALIBABA_CLOUD_", "HUAWEICLOUD_SDK_"))]:
    del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"] = "true"
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"

import pytest  # noqa: E402

from capture import CaptureServer  # noqa: E402


@pytest.fixture
def capture_server():
    with CaptureServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def moto_session():
    from moto_server import MotoServer

    with MotoServer() as server:
        yield server


@pytest.fixture
def moto(moto_session):
    moto_session.set_auth_count("inf")
    moto_session.reset()
    yield moto_session
    moto_session.set_auth_count("inf")


@pytest.fixture
def imgctl_bin():
    from imgctl_bin import require_imgctl

    return require_imgctl()
