"""Alibaba Cloud and Huawei Cloud temporary credentials: one stub on
127.0.0.1 plays Alibaba STS, the ECS metadata service, a credentials URI and
Huawei's ECS metadata. Each source is proven first with the official SDK
as the client (alibabacloud_credentials 1.0.12, huaweicloudsdkcore), then
used by imgctl end to end against the same stub, whose image API answers
only requests signed with the issued key and carrying the issued token.

The metadata hosts are hard-coded in both SDKs (ref/credentials.md section
6): the SDK clients are pointed at the stub by setting that one attribute.
"""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from imgctl_bin import find_imgctl, imgctl_env

SOURCE_ID, SOURCE_SECRET = "LTAISOURCE0001", "ali-source-secret-SECRET"
ISSUED_SECRET = "issued-secret-SECRET"
TOKEN = "CAIS-issued-security-token-SECRET"
OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.ali-oidc-SECRET.sig"
META_TOKEN = "meta-token-SECRET"
SECRETS = (SOURCE_SECRET, ISSUED_SECRET, TOKEN, OIDC_TOKEN, "ali-oidc-SECRET", META_TOKEN)


def _expiry(hours=1):
    return (datetime.now(timezone.utc) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ali_keys(akid):
    return {"AccessKeyId": akid, "AccessKeySecret": ISSUED_SECRET, "SecurityToken": TOKEN,
            "Expiration": _expiry()}


class Stub:
    def __init__(self):
        self.seen = []
        self.problems = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status, body, ctype="application/json"):
                data = body if isinstance(body, bytes) else body.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self):
                stub.seen.append(("PUT", self.path, dict(self.headers), {}))
                if self.path == "/latest/api/token" and self.headers.get("X-aliyun-ecs-metadata-token-ttl-seconds"):
                    return self._send(200, META_TOKEN, "text/plain")
                if self.path == "/meta-data/latest/api/token" and self.headers.get("X-Metadata-Token-Ttl-Seconds"):
                    return self._send(200, META_TOKEN, "text/plain")
                self._send(404, "{}")

            def do_GET(self):
                self._handle("GET", b"")

            def do_POST(self):
                self._handle("POST", self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _handle(self, method, body):
                url = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
                if body and "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):
                    params.update(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
                stub.seen.append((method, self.path, dict(self.headers), params))
                action = params.get("Action")
                if action == "AssumeRole":
                    from alibabacloud_openapi_util.client import Client as OpenApiUtil
                    signed = {k: v for k, v in params.items() if k != "Signature"}
                    want = OpenApiUtil.get_rpcsignature(signed, method, SOURCE_SECRET)
                    if params.get("AccessKeyId") != SOURCE_ID or params.get("Signature") != want:
                        stub.problems.append("bad AssumeRole signature")
                        return self._send(400, json.dumps({"Code": "SignatureDoesNotMatch", "Message": "x"}))
                    return self._send(200, json.dumps({"RequestId": "r", "Credentials": _ali_keys("STS.ROLE01")}))
                if action == "AssumeRoleWithOIDC":
                    if "AccessKeyId" in params or "Signature" in params or params.get("OIDCToken") != OIDC_TOKEN:
                        stub.problems.append("bad AssumeRoleWithOIDC")
                        return self._send(400, json.dumps({"Code": "AuthenticationFail.OIDCToken.Invalid",
                                                           "Message": "x"}))
                    return self._send(200, json.dumps({"RequestId": "r", "Credentials": _ali_keys("STS.OIDC02")}))
                path = url.path
                if path.startswith("/latest/meta-data/ram/security-credentials/"):
                    if self.headers.get("X-aliyun-ecs-metadata-token") != META_TOKEN:
                        return self._send(401, "")
                    role = path.rsplit("/", 1)[1]
                    if not role:
                        return self._send(200, "builder", "text/plain")
                    return self._send(200, json.dumps({"Code": "Success", "LastUpdated": "x",
                                                       **_ali_keys("STS.ECS03")}))
                if path == "/creds":
                    if params.get("role") != "builder":
                        return self._send(400, "{}")
                    return self._send(200, json.dumps({"Code": "Success", **_ali_keys("STS.URI04")}))
                if path == "/openstack/latest/securitykey":
                    if self.headers.get("X-Metadata-Token") != META_TOKEN:
                        return self._send(401, "{}")
                    exp = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                    return self._send(200, json.dumps({"credential": {
                        "access": "HWMETA05", "secret": ISSUED_SECRET, "securitytoken": TOKEN, "expires_at": exp}}))
                # The image APIs: only the issued key with its token.
                if self.headers.get("x-acs-action"):
                    auth = self.headers.get("Authorization", "")
                    if "Credential=STS." not in auth or self.headers.get("x-acs-security-token") != TOKEN:
                        return self._send(403, json.dumps({"Code": "InvalidAccessKeyId.NotFound", "Message": "x"}))
                    return self._send(200, json.dumps({"RequestId": "R", "Images": {"Image": [
                        {"ImageId": "m-1", "Status": "Available", "ImageName": "web"}]}}))
                if path.startswith("/v2/cloudimages"):
                    auth = self.headers.get("Authorization", "")
                    if "Access=HWMETA05" not in auth or self.headers.get("X-Security-Token") != TOKEN \
                            or "x-security-token" not in auth:
                        return self._send(401, json.dumps({"error_code": "APIGW.0301", "error_msg": "x"}))
                    return self._send(200, json.dumps({"images": [
                        {"id": "e9e91bff-0000-4e1e-b95f-e67e48b6129a", "name": "web", "status": "active"}]}))
                self._send(404, "{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def stub():
    s = Stub()
    yield s
    s.close()


def _imgctl(args, env, home: Path):
    e = imgctl_env(env, str(home))
    e["XDG_CACHE_HOME"] = str(home / ".cache")
    r = subprocess.run([str(find_imgctl()), *args], env=e, capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    for s in SECRETS:
        assert s not in r.stdout and s not in r.stderr, f"secret leaked: {r.stderr}"
    return r


def _ecs_describe(stub, env, home):
    return _imgctl(["image", "describe", "--provider", "ecs", "--region", "cn-hangzhou", "--endpoint-url",
                    stub.url, "--image-id", "m-1", "--debug"], env, home)


def test_ram_role_arn(stub, imgctl_bin, tmp_path):
    from alibabacloud_credentials.provider.ram_role_arn import RamRoleArnCredentialsProvider
    sdk = RamRoleArnCredentialsProvider(access_key_id=SOURCE_ID, access_key_secret=SOURCE_SECRET,
                                        role_arn="acs:ram::1:role/deploy", sts_endpoint=stub.url)
    assert sdk.get_credentials().get_access_key_id() == "STS.ROLE01"

    home = tmp_path / "home"
    (home / ".aliyun").mkdir(parents=True)
    (home / ".aliyun" / "config.json").write_text(json.dumps({"current": "deploy", "profiles": [{
        "name": "deploy", "mode": "RamRoleArn", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET,
        "ram_role_arn": "acs:ram::1:role/deploy", "ram_session_name": "imgctl", "sts_endpoint": stub.url}]}))
    r = _ecs_describe(stub, {"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}, home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["image_id"] == "m-1"
    assert not stub.problems, stub.problems


def test_oidc(stub, imgctl_bin, tmp_path):
    from alibabacloud_credentials.provider.oidc import OIDCRoleArnCredentialsProvider
    token = tmp_path / "oidc"
    token.write_text(OIDC_TOKEN)
    sdk = OIDCRoleArnCredentialsProvider(role_arn="acs:ram::1:role/ci", oidc_provider_arn="acs:ram::1:oidc-provider/gh",
                                         oidc_token_file_path=str(token), sts_endpoint=stub.url)
    assert sdk.get_credentials().get_access_key_id() == "STS.OIDC02"

    home = tmp_path / "home"
    home.mkdir()
    env = {"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/ci",
           "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/gh",
           "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token), "ALIBABA_CLOUD_STS_ENDPOINT": stub.url}
    r = _ecs_describe(stub, env, home)
    assert r.returncode == 0, r.stderr
    assert not stub.problems, stub.problems


def test_credentials_uri(stub, imgctl_bin, tmp_path):
    from alibabacloud_credentials.provider.uri import URLCredentialsProvider
    uri = f"{stub.url}/creds?role=builder"
    assert URLCredentialsProvider(uri=uri).get_credentials().get_access_key_id() == "STS.URI04"
    home = tmp_path / "home"
    home.mkdir()
    r = _ecs_describe(stub, {"ALIBABA_CLOUD_CREDENTIALS_URI": uri}, home)
    assert r.returncode == 0, r.stderr


def test_ecs_ram_role(stub, imgctl_bin, tmp_path, monkeypatch):
    from alibabacloud_credentials.utils import auth_util
    from alibabacloud_credentials.provider.ecs_ram_role import EcsRamRoleCredentialsProvider
    monkeypatch.setattr(auth_util, "environment_ecs_metadata_disabled", "false")
    sdk = EcsRamRoleCredentialsProvider(async_update_enabled=False)
    sdk._EcsRamRoleCredentialsProvider__metadata_service_host = f"127.0.0.1:{stub.port}"
    assert sdk.get_credentials().get_access_key_id() == "STS.ECS03"
    home = tmp_path / "home"
    home.mkdir()
    r = _ecs_describe(stub, {"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "false",
                             "IMGCTL_ALIBABA_METADATA_ENDPOINT": stub.url}, home)
    assert r.returncode == 0, r.stderr


def test_huawei_metadata(stub, imgctl_bin, tmp_path, monkeypatch):
    from huaweicloudsdkcore.auth.internal import MetadataAccessor
    monkeypatch.setattr(MetadataAccessor, "_METADATA_ENDPOINT", stub.url)
    cred = MetadataAccessor().get_credential()
    assert cred.access == "HWMETA05" and cred.security_token == TOKEN

    home = tmp_path / "home"
    home.mkdir()
    r = _imgctl(["image", "describe", "--provider", "ims", "--region", "cn-north-4", "--endpoint-url", stub.url,
                 "--image-id", "e9e91bff-0000-4e1e-b95f-e67e48b6129a", "--debug"],
                {"IMGCTL_HUAWEI_METADATA_ENDPOINT": stub.url,
                 "HUAWEICLOUD_SDK_PROJECT_ID": "0123456789abcdef0123456789abcdef"}, home)
    assert r.returncode == 0, r.stderr
