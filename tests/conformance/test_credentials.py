"""Temporary AWS credentials against moto's STS with signature checks on.

Each flow is first proven with botocore's own providers as the client, then
run end to end with imgctl (a create against moto's EC2): moto accepts the
EC2 call only when it is signed with the assumed role's key *and* carries
its session token (ref/credentials.md section 5).

moto answers an unsigned AssumeRoleWithWebIdentity with a 500 when checks
are on, so web identity goes through ``WebIdentityFront``: a small proxy
that checks the request is unsigned and carries the expected token, opens a
one-action window (reset-auth 1), forwards it, and closes it (reset-auth 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import botocore.session
import pytest

from imgctl_bin import imgctl_env

REGION = "us-east-1"
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.web-identity-token-SECRET.sig"


def _bootstrap(moto, trust_principal_user: bool, external_id=None):
    """IAM user (may assume the role), a role with ec2:*, an instance; then checks on."""
    moto.reset()
    moto.set_auth_count(6)
    iam = boto3.session.Session().client("iam", region_name=REGION, endpoint_url=moto.url,
                                         aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    user = iam.create_user(UserName="builder")["User"]                                   # 1
    key = iam.create_access_key(UserName="builder")["AccessKey"]                         # 2
    iam.put_user_policy(UserName="builder", PolicyName="assume", PolicyDocument=json.dumps({  # 3
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"AWS": user["Arn"]} if trust_principal_user else {"Federated": "token.example"}}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    role = iam.create_role(RoleName="image-builder", AssumeRolePolicyDocument=json.dumps({  # 4
        "Version": "2012-10-17", "Statement": [statement]}))["Role"]
    iam.put_role_policy(RoleName="image-builder", PolicyName="ec2", PolicyDocument=json.dumps({  # 5
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}))
    ec2 = boto3.session.Session().client("ec2", region_name=REGION, endpoint_url=moto.url,
                                         aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]  # 6
    return key, role["Arn"], instance["InstanceId"]


def _imgctl(args, env, home: Path):
    from imgctl_bin import find_imgctl
    e = imgctl_env(env, str(home))
    e["XDG_CACHE_HOME"] = str(home / ".cache")
    return subprocess.run([str(find_imgctl()), *args], env=e, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def _assert_no_secret(result, *secrets):
    for s in secrets:
        assert s not in result.stdout and s not in result.stderr, f"secret leaked: {result.stderr}"


def _profile_files(tmp_path: Path, moto_url: str, key, role_arn: str) -> Path:
    aws = tmp_path / "home" / ".aws"
    aws.mkdir(parents=True)
    (aws / "credentials").write_text(
        f"[base]\naws_access_key_id = {key['AccessKeyId']}\naws_secret_access_key = {key['SecretAccessKey']}\n")
    (aws / "config").write_text(
        f"[profile deploy]\nrole_arn = {role_arn}\nsource_profile = base\nexternal_id = ext-42\n"
        f"region = {REGION}\nservices = moto\n\n[services moto]\nsts =\n  endpoint_url = {moto_url}\n")
    return aws


def test_assume_role_botocore_then_imgctl(moto, imgctl_bin, tmp_path):
    key, role_arn, instance_id = _bootstrap(moto, trust_principal_user=True, external_id="ext-42")
    aws = _profile_files(tmp_path, moto.url, key, role_arn)

    # botocore's AssumeRoleProvider, as the reference client.
    bs = botocore.session.Session(profile="deploy")
    bs.set_config_variable("config_file", str(aws / "config"))
    bs.set_config_variable("credentials_file", str(aws / "credentials"))
    creds = bs.get_credentials()
    assert creds.method == "assume-role" and creds.get_frozen_credentials().access_key.startswith("ASIA")
    ec2 = boto3.Session(botocore_session=bs).client("ec2", endpoint_url=moto.url)
    assert ec2.describe_images(Owners=["self"])["Images"] == []

    # imgctl, end to end: STS from the profile's [services], EC2 at --endpoint-url.
    r = _imgctl(["image", "create", "--provider", "ec2", "--endpoint-url", moto.url,
                 "--instance-id", instance_id, "--name", "web-assumed", "--no-reboot", "--debug"],
                {"AWS_PROFILE": "deploy"}, tmp_path / "home")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["image_id"].startswith("ami-")
    assert "Action=AssumeRole" in r.stderr
    _assert_no_secret(r, key["SecretAccessKey"])

    # The role's ExternalId condition is real: a wrong one is refused (exit 4).
    cfg = aws / "config"
    cfg.write_text(cfg.read_text().replace("ext-42", "ext-wrong"))
    r = _imgctl(["image", "describe", "--provider", "ec2", "--endpoint-url", moto.url,
                 "--image-id", "ami-00000000", "--no-cache"], {"AWS_PROFILE": "deploy"}, tmp_path / "home")
    assert r.returncode == 4, r.stderr
    assert "AccessDenied" in r.stderr


class WebIdentityFront:
    """Checks and forwards AssumeRoleWithWebIdentity to moto inside a one-action window."""

    def __init__(self, moto):
        self.moto = moto
        self.seen = []
        front = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                form = dict(urllib.parse.parse_qsl(body.decode()))
                front.seen.append((dict(self.headers), form))
                ok = (form.get("Action") == "AssumeRoleWithWebIdentity"
                      and "Authorization" not in self.headers
                      and "X-Amz-Security-Token" not in self.headers
                      and form.get("WebIdentityToken") == WEB_TOKEN)
                if not ok:
                    out = (b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
                           b"<Message>rejected by the test front</Message></Error></ErrorResponse>")
                    self.send_response(400)
                    self.send_header("Content-Type", "text/xml")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                front.moto.set_auth_count(1)
                try:
                    req = urllib.request.Request(front.moto.url + "/", data=body, method="POST",
                                                 headers={"Content-Type": self.headers["Content-Type"]})
                    with urllib.request.urlopen(req, timeout=10) as resp:
                        out, status = resp.read(), resp.status
                finally:
                    front.moto.set_auth_count(0)
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def front(moto):
    f = WebIdentityFront(moto)
    yield f
    f.close()


def test_web_identity_botocore_then_imgctl(moto, front, imgctl_bin, tmp_path, monkeypatch):
    _, role_arn, instance_id = _bootstrap(moto, trust_principal_user=False)
    moto.set_auth_count(0)
    token_file = tmp_path / "token"
    token_file.write_text(WEB_TOKEN)

    # botocore's AssumeRoleWithWebIdentityProvider through the front.
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("AWS_ROLE_ARN", role_arn)
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", front.url)
    bs = botocore.session.Session()
    creds = bs.get_credentials()
    assert creds.method == "assume-role-with-web-identity"
    ec2 = boto3.Session(botocore_session=bs, region_name=REGION).client("ec2", endpoint_url=moto.url)
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    n_botocore = len(front.seen)
    assert n_botocore == 1

    # imgctl, end to end.
    home = tmp_path / "home"
    home.mkdir()
    env = {"AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file), "AWS_ROLE_ARN": role_arn,
           "AWS_ROLE_SESSION_NAME": "ci-run", "AWS_ENDPOINT_URL_STS": front.url, "AWS_REGION": REGION}
    r = _imgctl(["image", "create", "--provider", "ec2", "--endpoint-url", moto.url, "--instance-id",
                 instance_id, "--name", "web-oidc", "--no-reboot", "--debug"], env, home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["image_id"].startswith("ami-")
    _assert_no_secret(r, WEB_TOKEN, "web-identity-token-SECRET")
    headers, form = front.seen[n_botocore]
    assert form["RoleSessionName"] == "ci-run" and form["Version"] == "2011-06-15"

    # A token STS refuses: exit 4, InvalidIdentityToken, nothing sent to EC2.
    token_file.write_text("eyJ.refused-SECRET")
    r = _imgctl(["image", "describe", "--provider", "ec2", "--endpoint-url", "http://127.0.0.1:9",
                 "--image-id", "ami-00000000", "--no-cache"], env, home)
    assert r.returncode == 4, r.stderr
    assert "InvalidIdentityToken" in r.stderr
    _assert_no_secret(r, "refused-SECRET")


class MetadataStub:
    """IMDSv2 and a container credentials endpoint handing out ``creds``
    (real keys of a role moto issued), checking the token headers."""

    IMDS_TOKEN = "imds-session-token-SECRET"
    CONTAINER_AUTH = "container-authorization-SECRET"

    def __init__(self, creds):
        body = json.dumps({"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": creds["AccessKeyId"],
                           "SecretAccessKey": creds["SecretAccessKey"], "Token": creds["SessionToken"],
                           "Expiration": creds["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "LastUpdated": "2026-01-01T00:00:00Z"}).encode()
        stub = self
        self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status, data, ctype="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self):
                stub.seen.append(("PUT", self.path))
                if self.path == "/latest/api/token" and self.headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
                    return self._send(200, stub.IMDS_TOKEN.encode(), "text/plain")
                self._send(404, b"")

            def do_GET(self):
                stub.seen.append(("GET", self.path))
                if self.path.startswith("/latest/meta-data/"):
                    if self.headers.get("x-aws-ec2-metadata-token") != stub.IMDS_TOKEN:
                        return self._send(401, b"")
                    if self.path == "/latest/meta-data/iam/security-credentials/":
                        return self._send(200, b"builder", "text/plain")
                    if self.path == "/latest/meta-data/iam/security-credentials/builder":
                        return self._send(200, body)
                if self.path == "/creds":
                    if self.headers.get("Authorization") != stub.CONTAINER_AUTH:
                        return self._send(401, b"{}")
                    return self._send(200, body)
                self._send(404, b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.mark.parametrize("source", ["imds", "container"])
def test_metadata_sources_botocore_then_imgctl(moto, imgctl_bin, tmp_path, monkeypatch, source):
    key, role_arn, instance_id = _bootstrap(moto, trust_principal_user=True)
    sts = boto3.session.Session().client("sts", region_name=REGION, endpoint_url=moto.url,
                                         aws_access_key_id=key["AccessKeyId"],
                                         aws_secret_access_key=key["SecretAccessKey"])
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="host")["Credentials"]
    stub = MetadataStub(creds)
    try:
        if source == "imds":
            env = {"AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": stub.url + "/"}
            method = "iam-role"
        else:
            env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": stub.url + "/creds",
                   "AWS_CONTAINER_AUTHORIZATION_TOKEN": stub.CONTAINER_AUTH}
            method = "container-role"
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        bs = botocore.session.Session()
        got = bs.get_credentials()
        assert got.method == method and got.get_frozen_credentials().access_key == creds["AccessKeyId"]
        ec2 = boto3.Session(botocore_session=bs, region_name=REGION).client("ec2", endpoint_url=moto.url)
        assert ec2.describe_images(Owners=["self"])["Images"] == []

        home = tmp_path / "home"
        home.mkdir()
        r = _imgctl(["image", "create", "--provider", "ec2", "--region", REGION, "--endpoint-url", moto.url,
                     "--instance-id", instance_id, "--name", f"web-{source}", "--no-reboot", "--debug"], env, home)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["image_id"].startswith("ami-")
        _assert_no_secret(r, creds["SecretAccessKey"], creds["SessionToken"], stub.IMDS_TOKEN, stub.CONTAINER_AUTH)
    finally:
        stub.close()
