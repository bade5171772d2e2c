"""imgctl's Huawei Cloud IMS backend against the official Huawei SDK.

1. The same create, import (ordinary and quick) and modify, sent by the
   official SDK (huaweicloudsdkims 3.1.219) and by imgctl to the capture
   server, carry equal JSON bodies (compared as JSON values), paths and
   query; so do the image query and the job query behind `describe` and
   `wait --job-id`.
2. Every AK/SK-signed request imgctl sends (the project look-up included)
   verifies with the SDK's own signer (verify_sig.huawei_aksk), and stops
   verifying once one byte of it changes.
3. The token flow end to end: the capture server issues a token and a
   project id, answers the create with a job id, reports the job RUNNING a
   few times then SUCCESS; imgctl prints the image id; a second command
   reuses the cached token (no second POST /v3/auth/tokens). The token
   request body equals the one the official IAM SDK sends.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import tempfile

import pytest

import normalize as nz
import sdk_clients as sc
import verify_sig as vs
from capture import HUAWEI_PROJECT_ID, CapturedRequest, CaptureServer, Response
from imgctl_bin import imgctl_env

AK, SK = sc.DEMO_ACCESS_KEY_ID, sc.DEMO_SECRET
REGION = sc.HUAWEI_REGION
OBS_SYSTEM = "obs://ims-image/images/web v1/centos7.qcow2"
OBS_DATA = "obs://ims-image/images/web v1/data1.qcow2"
OBS_QUICK = "obs://ims-image/images/web v1/disk.zvhd2"

AKSK_ENV = {
    "HUAWEICLOUD_SDK_AK": AK,
    "HUAWEICLOUD_SDK_SK": SK,
    "HUAWEICLOUD_SDK_PROJECT_ID": HUAWEI_PROJECT_ID,
}
TOKEN_ENV = {
    "HW_USER_NAME": sc.HUAWEI_USER,
    "HW_PASSWORD": sc.HUAWEI_PASSWORD,
    "HW_DOMAIN_NAME": sc.HUAWEI_DOMAIN,
}


def imgctl(bin_path, srv: CaptureServer, args, env, home=None) -> subprocess.CompletedProcess:
    """Runs imgctl against the capture server, with HOME and the XDG cache in
    ``home`` (a fresh temporary directory unless given, so runs can share a
    token cache when a test wants them to)."""
    argv = [str(bin_path), "--provider", "ims", "--region", REGION,
            "--endpoint-url", srv.url, "--iam-endpoint-url", srv.url, *args]

    def go(h):
        e = imgctl_env(env, h)
        e["XDG_CACHE_HOME"] = os.path.join(h, ".cache")
        return subprocess.run(argv, env=e, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    if home is not None:
        return go(home)
    with tempfile.TemporaryDirectory(prefix="imgctl-ims-") as h:
        return go(h)


def ok_json(r: subprocess.CompletedProcess) -> dict:
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return json.loads(r.stdout)


def signed_ok(req: CapturedRequest):
    """The SDK's signer reproduces imgctl's signature, and a changed byte breaks it."""
    ok, want, got = vs.huawei_aksk(req, SK, AK)
    assert ok, f"{req.method} {req.raw_path}: SDK signer disagrees\n expected {want}\n got      {got}"
    assert not vs.huawei_aksk(req, SK + "x", AK)[0]
    assert not vs.huawei_aksk(vs.tamper_path(req), SK, AK)[0]


def sdk_then_imgctl(srv, sdk_call, bin_path, args, env=AKSK_ENV):
    """One request by the SDK, then one by imgctl; returns both captures."""
    sdk_call(srv.url)
    (sdk_req,) = srv.take()
    r = imgctl(bin_path, srv, args, env)
    out = ok_json(r)
    (ours,) = srv.take()
    return sdk_req, ours, out


def assert_same_call(sdk_req: CapturedRequest, ours: CapturedRequest):
    assert nz.huawei(ours) == nz.huawei(sdk_req)
    assert ours.header("x-project-id") == sdk_req.header("x-project-id") == HUAWEI_PROJECT_ID
    assert ours.content_type.lower() == (sdk_req.content_type or "").lower() or not ours.body
    signed_ok(ours)


# --------------------------------------------------------------------------
# 1 + 2: the same operation, SDK and imgctl, AK/SK-signed
# --------------------------------------------------------------------------


def test_create_from_ecs_matches_the_sdk(capture_server, imgctl_bin):
    sdk_req, ours, out = sdk_then_imgctl(capture_server, sc.ims_create_image_from_ecs, imgctl_bin, [
        "create", "--name", sc.NAME_ZH, "--description", sc.DESCRIPTION,
        "--instance-id", sc.HW_INSTANCE_ID, "--tag", "env=dev", "--tag", "team=web_ops",
        "--data-image", f"name=data1,volume={sc.HW_VOLUME_ID},description=data disk 1",
        "--enterprise-project-id", sc.HW_ENTERPRISE_PROJECT_ID,
        "--min-ram", "1024", "--max-ram", "4096",
    ])
    assert_same_call(sdk_req, ours)
    assert out["operation"] == "create" and out["job_id"].startswith("ff8080")
    assert len(out["request_id"]) == 32  # the capture server's X-Request-Id
    tampered = vs.tamper_one_byte(ours, "instance_id")
    assert not vs.huawei_aksk(tampered, SK, AK)[0]


def _sdk_import(endpoint: str):
    """The ordinary OBS import through the official client. The SDK model
    (CreateImageRequestBody 3.1.219) is used for every field it has; it has
    no ``os_type`` and its data-image item has no ``image_url``/``min_disk``,
    although the IMS API documents all three for an OBS import, so those
    are added to the model's own serialisation."""
    from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization
    from huaweicloudsdkims.v2 import model as m

    body = m.CreateImageRequestBody(
        name=sc.NAME_ZH, description=sc.DESCRIPTION,
        image_url="ims-image:images/web v1/centos7.qcow2", min_disk=40,
        os_version="CentOS 7.9 64bit", architecture="x86", hw_firmware_type="uefi",
        is_config=True, image_tags=[m.TagKeyValue(key="env", value="dev")],
    )
    wire = sanitize_for_serialization(body)
    wire["os_type"] = "Linux"
    wire["data_images"] = [{"name": f"{sc.NAME_ZH}-data1",
                            "image_url": "ims-image:images/web v1/data1.qcow2", "min_disk": 40}]
    return sc.ims_client(endpoint).create_image(m.CreateImageRequest(body=wire))


def test_import_from_obs_matches_the_sdk(capture_server, imgctl_bin):
    sdk_req, ours, out = sdk_then_imgctl(capture_server, _sdk_import, imgctl_bin, [
        "import", "--name", sc.NAME_ZH, "--description", sc.DESCRIPTION,
        "--url", OBS_SYSTEM, "--disk", OBS_DATA, "--min-disk", "40",
        "--os-version", "CentOS 7.9 64bit", "--os-type", "Linux",
        "--architecture", "x86_64", "--boot-mode", "uefi", "--is-config", "--tag", "env=dev",
    ])
    assert_same_call(sdk_req, ours)
    assert ours.path == "/v2/cloudimages/action"
    assert out["operation"] == "import" and out["job_id"]


def _sdk_quick_import(endpoint: str):
    from huaweicloudsdkims.v2 import model as m

    body = m.QuickImportImageByFileRequestBody(
        name=sc.NAME_ZH, description=sc.DESCRIPTION, os_version="Ubuntu 22.04 server 64bit",
        image_url="ims-image:images/web v1/disk.zvhd2", min_disk=40, architecture="arm",
        hw_firmware_type="uefi",
        image_tags=[m.ResourceTag(key="env", value="dev")],
    )
    return sc.ims_client(endpoint).import_image_quick(m.ImportImageQuickRequest(body=body))


def test_quick_import_matches_the_sdk(capture_server, imgctl_bin):
    sdk_req, ours, out = sdk_then_imgctl(capture_server, _sdk_quick_import, imgctl_bin, [
        "import", "--quick-import", "--name", sc.NAME_ZH, "--description", sc.DESCRIPTION,
        "--url", OBS_QUICK, "--min-disk", "40", "--os-version", "Ubuntu 22.04 server 64bit",
        "--architecture", "arm64", "--boot-mode", "UEFI", "--tag", "env=dev",
    ])
    assert_same_call(sdk_req, ours)
    assert ours.path == "/v2/cloudimages/quickimport/action"
    assert out["job_id"]


def test_quick_import_refuses_os_type(capture_server, imgctl_bin):
    """The SDK model documents os_type for data-disk images only (as does
    ref/huawei.md §4.2); imgctl's quick import makes a system image."""
    from huaweicloudsdkims.v2 import model as m

    doc = m.QuickImportImageByFileRequestBody.__init__.__doc__
    assert "os_type" in m.QuickImportImageByFileRequestBody.openapi_types
    assert "创建数据盘镜像时" in doc  # "when creating a data-disk image"
    r = imgctl(imgctl_bin, capture_server, [
        "import", "--quick-import", "--name", "q", "--url", OBS_QUICK, "--min-disk", "40",
        "--os-version", "Ubuntu 22.04 server 64bit", "--os-type", "Linux",
    ], AKSK_ENV)
    assert r.returncode == 2, r.stderr
    assert "--os-type" in r.stderr
    assert capture_server.take() == []


def _sdk_update(op_for_description: str):
    def call(endpoint: str):
        from huaweicloudsdkims.v2 import model as m

        ops = [
            m.UpdateImageRequestBody(op="replace", path="/name", value=sc.NAME_ZH + "-renamed"),
            m.UpdateImageRequestBody(op=op_for_description, path="/__description", value=sc.DESCRIPTION),
            m.UpdateImageRequestBody(op="replace", path="/min_ram", value="1024"),
            m.UpdateImageRequestBody(op="replace", path="/max_ram", value="4096"),
            m.UpdateImageRequestBody(op="replace", path="/hw_firmware_type", value="uefi"),
        ]
        return sc.ims_client(endpoint).update_image(m.UpdateImageRequest(image_id=sc.HW_IMAGE_ID, body=ops))
    return call


MODIFY = ["modify", "--image-id", sc.HW_IMAGE_ID, "--name", sc.NAME_ZH + "-renamed",
          "--description", sc.DESCRIPTION, "--min-ram", "1024", "--max-ram", "4096", "--boot-mode", "uefi"]


def test_modify_matches_the_sdk(capture_server, imgctl_bin):
    sdk_req, ours, out = sdk_then_imgctl(capture_server, _sdk_update("replace"), imgctl_bin, MODIFY)
    assert_same_call(sdk_req, ours)
    assert out["image_id"] == sc.HW_IMAGE_ID and out["name"] == sc.NAME_ZH + "-renamed"


def test_modify_adds_an_absent_attribute_like_the_sdk_would(capture_server, imgctl_bin):
    """IMG.0035 on `replace /__description`: imgctl sends each change on its
    own and `add`s the absent one; that last request equals the SDK's
    single-op `add`."""
    def reject_replace_description(req: CapturedRequest):
        ops = req.json() if req.method == "PATCH" else None
        if isinstance(ops, list) and {"op": "replace", "path": "/__description",
                                      "value": sc.DESCRIPTION} in ops:
            return Response.json({"error": {"code": "IMG.0035", "message": "attribute absent"}},
                                 status=400)
        return None

    capture_server.responder = reject_replace_description
    ok_json(imgctl(imgctl_bin, capture_server, MODIFY, AKSK_ENV))
    ours = capture_server.take()
    bodies = [r.json() for r in ours]
    assert len(ours) == 7, bodies  # all at once, then 5 singles, one of them twice
    for r in ours:
        signed_ok(r)

    def sdk_add(endpoint):
        from huaweicloudsdkims.v2 import model as m

        op = m.UpdateImageRequestBody(op="add", path="/__description", value=sc.DESCRIPTION)
        return sc.ims_client(endpoint).update_image(m.UpdateImageRequest(image_id=sc.HW_IMAGE_ID, body=[op]))

    capture_server.responder = None
    sdk_add(capture_server.url)
    (sdk_req,) = capture_server.take()
    adds = [r for r in ours if r.json()[0]["op"] == "add"]
    assert len(adds) == 1
    assert nz.huawei(adds[0]) == nz.huawei(sdk_req)


def test_describe_and_job_queries_match_the_sdk(capture_server, imgctl_bin):
    sdk_req, ours, out = sdk_then_imgctl(capture_server, sc.ims_list_images, imgctl_bin,
                                         ["describe", "--image-id", sc.HW_IMAGE_ID])
    assert_same_call(sdk_req, ours)
    assert out["image_id"] == sc.HW_IMAGE_ID and out["status"] == "active"

    sc.ims_show_job(capture_server.url)
    (sdk_job,) = capture_server.take()
    out = ok_json(imgctl(imgctl_bin, capture_server,
                         ["wait", "--job-id", sc.HW_JOB_ID, "--poll-interval", "50ms"], AKSK_ENV))
    job_req, image_req = capture_server.take()
    assert_same_call(sdk_job, job_req)
    # The wait ends on the image the job made, with the image's status.
    assert out["status"] == "active" and out["image_id"] == capture_server.default.jobs[sc.HW_JOB_ID]
    assert nz.huawei(image_req)[:3] == ("GET", "/v2/cloudimages", (("id", out["image_id"]),))
    signed_ok(image_req)


def test_project_lookup_is_signed_like_the_sdk(capture_server, imgctl_bin):
    env = {k: v for k, v in AKSK_ENV.items() if k != "HUAWEICLOUD_SDK_PROJECT_ID"}
    out = ok_json(imgctl(imgctl_bin, capture_server,
                         ["create", "--name", "img-1", "--instance-id", sc.HW_INSTANCE_ID], env))
    lookup, create = capture_server.take()
    # ref/huawei.md section 8: GET /v3/projects?name=<region>, signed, no X-Project-Id.
    assert nz.huawei(lookup) == ("GET", "/v3/projects", (("name", REGION),), None)
    assert lookup.header("x-project-id") is None
    signed_ok(lookup)
    assert create.header("x-project-id") == HUAWEI_PROJECT_ID
    signed_ok(create)
    assert out["job_id"]


# --------------------------------------------------------------------------
# 3: the IAM token flow end to end, and the token cache
# --------------------------------------------------------------------------


def test_token_flow_end_to_end_with_the_cache(capture_server, imgctl_bin):
    polls = {"n": 0}

    def running_then_default(req: CapturedRequest):
        if req.method == "GET" and "/jobs/" in req.path:
            polls["n"] += 1
            if polls["n"] <= 3:
                return Response.json({"status": "RUNNING", "job_id": req.path.rsplit("/", 1)[1],
                                      "entities": {"process_percent": 0.3},
                                      "error_code": None, "fail_reason": None})
        return None  # the default responder: token, job id, SUCCESS, active image

    capture_server.responder = running_then_default
    with tempfile.TemporaryDirectory(prefix="imgctl-ims-home-") as home:
        r = imgctl(imgctl_bin, capture_server,
                   ["create", "--name", sc.NAME_ZH, "--instance-id", sc.HW_INSTANCE_ID,
                    "--wait", "--poll-interval", "50ms"], TOKEN_ENV, home)
        out = ok_json(r)
        reqs = capture_server.take()
        token_req, create = reqs[0], reqs[1]
        job_id = out["job_id"]
        image_id = capture_server.default.jobs[job_id]
        assert out["image_id"] == image_id and out["status"] == "active"  # the image's status, not the job's

        assert [(q.method, q.path) for q in reqs] == (
            [("POST", "/v3/auth/tokens"), ("POST", "/v2/cloudimages/action")]
            + [("GET", f"/v1/{HUAWEI_PROJECT_ID}/jobs/{job_id}")] * 4
            + [("GET", "/v2/cloudimages")])
        assert token_req.header("x-auth-token") is None
        token = reqs[1].header("x-auth-token")
        assert token and token.startswith("MIIcapture")
        for q in reqs[1:]:
            assert q.header("x-auth-token") == token
            assert q.header("authorization") is None
        assert json.loads(create.body) == {"name": sc.NAME_ZH, "instance_id": sc.HW_INSTANCE_ID}

        # The same token request as the official IAM SDK's (body and path;
        # imgctl adds ?nocatalog=true, which only drops the catalog).
        capture_server.responder = None
        sc.iam_create_token_by_password(capture_server.url)
        (sdk_token_req,) = capture_server.take()
        assert token_req.json() == sdk_token_req.json()
        assert (token_req.method, token_req.path) == (sdk_token_req.method, sdk_token_req.path)
        assert dict(token_req.query) == {"nocatalog": "true"}

        # A second command reuses the cached token: no second POST /v3/auth/tokens.
        r2 = imgctl(imgctl_bin, capture_server, ["describe", "--image-id", image_id], TOKEN_ENV, home)
        assert ok_json(r2)["status"] == "active"
        (again,) = capture_server.take()
        assert again.path == "/v2/cloudimages" and again.header("x-auth-token") == token

        cache = os.path.join(home, ".cache", "imgctl", "huawei")
        files = [os.path.join(cache, f) for f in os.listdir(cache)]
        holding = [f for f in files if token in open(f, encoding="utf-8").read()]
        assert len(holding) == 1
        assert stat.S_IMODE(os.stat(holding[0]).st_mode) == 0o600
        for run in (r, r2):
            assert token not in run.stdout and token not in run.stderr
            assert sc.HUAWEI_PASSWORD not in run.stderr


def test_token_is_never_in_debug_output(capture_server, imgctl_bin):
    r = imgctl(imgctl_bin, capture_server,
               ["--debug", "create", "--name", "img-2", "--instance-id", sc.HW_INSTANCE_ID], TOKEN_ENV)
    ok_json(r)
    token_reply_token = capture_server.requests[1].header("x-auth-token")
    assert token_reply_token and token_reply_token not in r.stderr
    assert sc.HUAWEI_PASSWORD not in r.stderr
    assert "/v3/auth/tokens" in r.stderr


@pytest.mark.parametrize("status,body,exit_code", [
    (400, {"error_code": "IMG.0009", "error_msg": "The image name already exists."}, 1),
    (400, {"error": {"code": "IMG.0024", "message": "The imagetype is invalid."}}, 1),
    (401, {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}, 4),
    (401, {"error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
           "error_code": "APIGW.0301", "request_id": "gw-rid"}, 4),
])
def test_sdk_error_shapes_give_the_same_code_to_imgctl(capture_server, imgctl_bin, status, body, exit_code):
    """The SDK's exception handler and imgctl read the same code from the same answer."""
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    capture_server.responder = lambda req: Response.json(body, status=status, headers=[("X-Request-Id", "rid-9")])
    with pytest.raises(ClientRequestException) as exc:
        sc.ims_create_image_from_ecs(capture_server.url)
    r = imgctl(imgctl_bin, capture_server,
               ["create", "--name", "img-3", "--instance-id", sc.HW_INSTANCE_ID], AKSK_ENV)
    assert r.returncode == exit_code, r.stderr
    assert f"refused the request: {exc.value.error_code}" in r.stderr
    assert exc.value.error_msg in r.stderr
    assert exc.value.request_id == "rid-9" and "rid-9" in r.stderr


def test_temporary_credentials_sign_the_security_token(capture_server, imgctl_bin):
    env = dict(AKSK_ENV, HUAWEICLOUD_SDK_SECURITY_TOKEN="SECTOKEN-EXAMPLE-0123456789")
    r = imgctl(imgctl_bin, capture_server, ["describe", "--image-id", sc.HW_IMAGE_ID], env)
    ok_json(r)
    (req,) = capture_server.take()
    assert req.header("x-security-token") == "SECTOKEN-EXAMPLE-0123456789"
    signed = req.header("authorization").split("SignedHeaders=")[1].split(",")[0].split(";")
    assert "x-security-token" in signed and "x-project-id" in signed
    signed_ok(req)
    assert "SECTOKEN-EXAMPLE-0123456789" not in r.stderr + r.stdout
