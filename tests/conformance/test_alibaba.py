"""imgctl against the official Alibaba Cloud Python SDKs (ENS 2017-11-10, ECS 2014-05-26).

For every case below, the same image operation is sent twice to one capture
server: once by the official Tea SDK client, once by imgctl.  Then

1. the two parameter sets must be equal once nonce, timestamp, signature and
   credential fields are set aside (``normalize.alibaba``), in both signature
   versions: the SDK default (V3, ACS3-HMAC-SHA256) against imgctl's default,
   and the SDK in ``signature_algorithm='v2'`` mode against imgctl
   ``--signature-version v1``;
2. imgctl's request must carry the signature the SDK's OWN signing functions
   compute for it (``verify_sig.alibaba``, with both the tea-openapi and the
   openapi-util implementations), and must use the signature version asked for;
3. imgctl must report what the server answered (image id, task id, request id).

The cases cover each operation of issue 3 with several parameter
combinations, realistic inputs included: a Chinese image name, a description
with spaces and ``&=*~/``, OSS object keys with spaces, ``*`` and ``~``.
"""

from __future__ import annotations

import json

import pytest

import normalize
import sdk_clients as S
import verify_sig
from capture import Response, alibaba_params
from imgctl_bin import run_imgctl

ENV = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID": S.DEMO_ACCESS_KEY_ID,
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET": S.DEMO_SECRET,
}
STS_TOKEN = "STS.imgctl-conformance-token"
ALL_ECS_STATES = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated"
RENAMED = S.NAME_ZH + "-renamed"


def _sdk_client(product: str, endpoint: str, signature: str, token: str | None = None):
    cfg = S._tea_config(endpoint, signature)
    if token:
        cfg.security_token = token
    if product == "ens":
        from alibabacloud_ens20171110.client import Client
    else:
        from alibabacloud_ecs20140526.client import Client
    return Client(cfg)


def _ens_models():
    from alibabacloud_ens20171110 import models
    return models


def _ecs_models():
    from alibabacloud_ecs20140526 import models
    return models


# --------------------------------------------------------------------------
# The SDK side of each case: (endpoint, signature) -> None
# --------------------------------------------------------------------------


def ens_create_minimal(ep, sig):
    m = _ens_models()
    _sdk_client("ens", ep, sig).create_image(
        m.CreateImageRequest(image_name=S.NAME_ZH, instance_id=S.ENS_INSTANCE_ID))


def ens_create_snapshot(ep, sig):
    m = _ens_models()
    _sdk_client("ens", ep, sig).create_image(
        m.CreateImageRequest(image_name="snap-image_1:a", snapshot_id=S.ENS_SNAPSHOT_ID))


def ens_import_minimal(ep, sig):
    m = _ens_models()
    _sdk_client("ens", ep, sig).import_image(m.ImportImageRequest(
        image_name=S.NAME_ZH, compute_type="ens_vm", ossbucket=S.ENS_OSS_BUCKET,
        ossobject=S.ENS_OSS_OBJECT, ostype="linux", image_format="qcow2", architecture="x86_64"))


def ens_import_disks_without_region(ep, sig):
    m = _ens_models()
    _sdk_client("ens", ep, sig).import_image(m.ImportImageRequest(
        image_name="base-2026", compute_type="ens_vm", ossbucket=S.ENS_OSS_BUCKET,
        ossobject="image-test", ostype="linux", image_format="qcow2", architecture="x86_64",
        platform="centos", disk_device_mapping=[
            m.ImportImageRequestDiskDeviceMapping(ossbucket="www-cn", ossobject="数据盘 1.qcow2")]))


def ens_modify_sts(ep, sig):
    m = _ens_models()
    _sdk_client("ens", ep, sig, token=STS_TOKEN).modify_image_attribute(
        m.ModifyImageAttributeRequest(image_id=S.ENS_IMAGE_ID, image_name=RENAMED))


def ecs_modify_rename(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).modify_image_attribute(m.ModifyImageAttributeRequest(
        region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID, image_name=S.NAME_ZH, description=S.DESCRIPTION))


def ecs_modify_available_imds(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).modify_image_attribute(m.ModifyImageAttributeRequest(
        region_id="cn-shanghai", image_id=S.ECS_IMAGE_ID, status="Available", boot_mode="UEFI-Preferred",
        features=m.ModifyImageAttributeRequestFeatures(imds_support="v2")))


def ecs_create_instance(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).create_image(m.CreateImageRequest(
        region_id=S.ECS_REGION, instance_id="i-bp1g6zv0ce8oghu7****", image_name=S.NAME_ZH,
        description=S.DESCRIPTION, image_family="web-family", platform="Ubuntu", architecture="x86_64",
        boot_mode="UEFI", client_token=S.ECS_CLIENT_TOKEN,
        tag=[m.CreateImageRequestTag(key="env", value="prod"),
             m.CreateImageRequestTag(key="owner", value="团队 a&b=c")]))


def ecs_create_snapshot(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).create_image(m.CreateImageRequest(
        region_id="cn-beijing", snapshot_id="s-bp17441ohwka0yuh****", image_name="web.v1",
        client_token="tok-snapshot-1"))


def ecs_create_disks(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).create_image(m.CreateImageRequest(
        region_id=S.ECS_REGION, image_name=S.NAME_ZH, client_token=S.ECS_CLIENT_TOKEN,
        disk_device_mapping=[
            m.CreateImageRequestDiskDeviceMapping(
                device="/dev/xvda", disk_type="system", size=40, snapshot_id="s-bp17441ohwka0yuh****"),
            m.CreateImageRequestDiskDeviceMapping(
                device="/dev/xvdb", disk_type="data", size=100, snapshot_id="s-bp1c0doj0taqyzzl****"),
        ]))


def ecs_import_one_disk(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).import_image(m.ImportImageRequest(
        region_id=S.ECS_REGION, image_name=S.NAME_ZH, client_token=S.ECS_CLIENT_TOKEN,
        disk_device_mapping=[m.ImportImageRequestDiskDeviceMapping(
            ossbucket=S.ENS_OSS_BUCKET, ossobject=S.ENS_OSS_OBJECT)]))


def ecs_import_full(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).import_image(m.ImportImageRequest(
        region_id=S.ECS_REGION, image_name=S.NAME_ZH, description=S.DESCRIPTION,
        architecture="x86_64", platform="Ubuntu", ostype="linux", boot_mode="UEFI", license_type="BYOL",
        role_name="AliyunECSImageImportDefaultRole", client_token=S.ECS_CLIENT_TOKEN,
        disk_device_mapping=[
            m.ImportImageRequestDiskDeviceMapping(
                format="QCOW2", ossbucket=S.ENS_OSS_BUCKET, ossobject=S.ENS_OSS_OBJECT, disk_image_size=40),
            m.ImportImageRequestDiskDeviceMapping(
                format="QCOW2", ossbucket=S.ENS_OSS_BUCKET, ossobject="images/web v1/data1.qcow2"),
        ],
        tag=[m.ImportImageRequestTag(key="env", value="prod"),
             m.ImportImageRequestTag(key="team", value="a&b=c *~/")]))


def ecs_import_dry_run(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).import_image(m.ImportImageRequest(
        region_id="ap-southeast-1", image_name="web-v1", ostype="windows", license_type="BYOL",
        client_token="tok-dry", dry_run=True,
        disk_device_mapping=[m.ImportImageRequestDiskDeviceMapping(
            format="VHD", ossbucket="bkt", ossobject="win.vhd")]))


def ecs_create_dry_run(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).create_image(m.CreateImageRequest(
        region_id=S.ECS_REGION, instance_id="i-bp1g6zv0ce8oghu7****", image_name="web-v1",
        client_token="tok-dry", dry_run=True))


def ecs_describe(ep, sig):
    m = _ecs_models()
    _sdk_client("ecs", ep, sig).describe_images(m.DescribeImagesRequest(
        region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID, image_owner_alias="self", status=ALL_ECS_STATES))


# --------------------------------------------------------------------------
# Cases: id -> (SDK sender, imgctl arguments, extra env, what imgctl must print)
# --------------------------------------------------------------------------

ENS = ["--provider", "ens"]
ECS = ["--provider", "ecs", "--region", S.ECS_REGION]

CASES = {
    # ENS create
    "ens-create-full": (
        S.ens_create_image,
        ENS + ["image", "create", "--name", S.NAME_ZH, "--instance-id", S.ENS_INSTANCE_ID,
               "--snapshot-id", S.ENS_SNAPSHOT_ID, "--delete-instance-after-upload",
               "--target-oss-region", "cn-beijing", "--with-data-disks"],
        {}, {"operation": "create"}),
    "ens-create-minimal": (
        ens_create_minimal,
        ENS + ["create", "--name", S.NAME_ZH, "--instance-id", S.ENS_INSTANCE_ID], {}, {}),
    "ens-create-snapshot": (
        ens_create_snapshot,
        ENS + ["create", "--name", "snap-image_1:a", "--snapshot-id", S.ENS_SNAPSHOT_ID], {}, {}),
    # ENS import
    "ens-import-full": (
        S.ens_import_image,
        ENS + ["image", "import", "--name", S.NAME_ZH, "--compute-type", "ens_vm",
               "--url", f"oss://{S.ENS_OSS_BUCKET}/{S.ENS_OSS_OBJECT}",
               "--disk", f"oss://{S.ENS_OSS_BUCKET}/images/web v1/data1.qcow2",
               "--disk", f"oss://{S.ENS_OSS_BUCKET}/images/web v1/data2.qcow2",
               "--oss-region", "cn-beijing", "--os-type", "linux", "--platform", "ubuntu",
               "--format", "qcow2", "--architecture", "x86_64", "--os-version", "22.04",
               "--target-oss-region", "cn-beijing", "--license-type", "BYOL"],
        {}, {"operation": "import"}),
    "ens-import-minimal-default-compute-type": (
        ens_import_minimal,
        ENS + ["import", "--name", S.NAME_ZH, "--url", f"oss://{S.ENS_OSS_BUCKET}/{S.ENS_OSS_OBJECT}",
               "--os-type", "linux", "--format", "qcow2", "--architecture", "x86_64"],
        {}, {}),
    "ens-import-disk-without-oss-region": (
        ens_import_disks_without_region,
        ENS + ["import", "--name", "base-2026", "--url", f"oss://{S.ENS_OSS_BUCKET}/image-test",
               "--disk", "oss://www-cn/数据盘 1.qcow2", "--os-type", "linux", "--format", "qcow2",
               "--architecture", "x86_64", "--platform", "centos"],
        {}, {}),
    # ENS modify
    "ens-modify": (
        S.ens_modify_image_attribute,
        ENS + ["image", "modify", "--image-id", S.ENS_IMAGE_ID, "--name", RENAMED],
        {}, {"operation": "modify", "image_id": S.ENS_IMAGE_ID}),
    "ens-modify-sts-token": (
        ens_modify_sts,
        ENS + ["modify", "--image-id", S.ENS_IMAGE_ID, "--name", RENAMED],
        {"ALIBABA_CLOUD_SECURITY_TOKEN": STS_TOKEN}, {"image_id": S.ENS_IMAGE_ID}),
    # ENS describe
    "ens-describe": (
        S.ens_describe_self_images,
        ENS + ["image", "describe", "--image-id", S.ENS_IMAGE_ID],
        {}, {"operation": "describe", "image_id": S.ENS_IMAGE_ID, "status": "Available"}),
    # ECS modify
    "ecs-modify-every-parameter-dry-run": (
        S.ecs_modify_image_attribute,
        ECS + ["image", "modify", "--dry-run", "--image-id", S.ECS_IMAGE_ID, "--name", S.NAME_ZH,
               "--description", S.DESCRIPTION, "--boot-mode", "UEFI", "--license-type", "BYOL",
               "--family", "web-family", "--status", "Deprecated", "--nvme-support", "supported",
               "--imds-support", "v2"],
        {}, {"operation": "modify", "dry_run": True}),
    "ecs-modify-rename-description": (
        ecs_modify_rename,
        ECS + ["modify", "--image-id", S.ECS_IMAGE_ID, "--name", S.NAME_ZH, "--description", S.DESCRIPTION],
        {}, {"image_id": S.ECS_IMAGE_ID}),
    "ecs-modify-available-imds-other-region": (
        ecs_modify_available_imds,
        ["--provider", "ecs", "--region", "cn-shanghai", "modify", "--image-id", S.ECS_IMAGE_ID,
         "--status", "Available", "--boot-mode", "UEFI-Preferred", "--imds-support", "v2"],
        {}, {}),
    # ECS create
    "ecs-create-instance-tags": (
        ecs_create_instance,
        ECS + ["image", "create", "--instance-id", "i-bp1g6zv0ce8oghu7****", "--name", S.NAME_ZH,
               "--description", S.DESCRIPTION, "--family", "web-family", "--platform", "Ubuntu",
               "--architecture", "x86_64", "--boot-mode", "UEFI", "--client-token", S.ECS_CLIENT_TOKEN,
               "--tag", "env=prod", "--tag", "owner=团队 a&b=c"],
        {}, {"operation": "create"}),
    "ecs-create-snapshot-region-env": (
        ecs_create_snapshot,
        ["--provider", "ecs", "create", "--snapshot-id", "s-bp17441ohwka0yuh****", "--name", "web.v1",
         "--client-token", "tok-snapshot-1"],
        {"ALIBABA_CLOUD_REGION_ID": "cn-beijing"}, {}),
    "ecs-create-disk-mappings": (
        ecs_create_disks,
        ECS + ["create", "--name", S.NAME_ZH, "--client-token", S.ECS_CLIENT_TOKEN,
               "--block-device-mapping", "device=/dev/xvda,disk-type=system,size=40,snapshot-id=s-bp17441ohwka0yuh****",
               "--block-device-mapping",
               '{"DeviceName":"/dev/xvdb","DiskType":"data","VolumeSize":100,"SnapshotId":"s-bp1c0doj0taqyzzl****"}'],
        {}, {}),
    "ecs-create-dry-run": (
        ecs_create_dry_run,
        ECS + ["--dry-run", "create", "--instance-id", "i-bp1g6zv0ce8oghu7****", "--name", "web-v1",
               "--client-token", "tok-dry"],
        {}, {"dry_run": True}),
    # ECS import
    "ecs-import-one-disk": (
        ecs_import_one_disk,
        ECS + ["import", "--name", S.NAME_ZH, "--url", f"oss://{S.ENS_OSS_BUCKET}/{S.ENS_OSS_OBJECT}",
               "--client-token", S.ECS_CLIENT_TOKEN],
        {}, {"operation": "import"}),
    "ecs-import-every-flag": (
        ecs_import_full,
        ECS + ["image", "import", "--name", S.NAME_ZH, "--description", S.DESCRIPTION,
               "--architecture", "x86_64", "--platform", "Ubuntu", "--os-type", "linux", "--boot-mode", "UEFI",
               "--license-type", "BYOL", "--role-name", "AliyunECSImageImportDefaultRole",
               "--client-token", S.ECS_CLIENT_TOKEN, "--format", "QCOW2", "--min-disk", "40",
               "--url", f"oss://{S.ENS_OSS_BUCKET}/{S.ENS_OSS_OBJECT}",
               "--disk", f"oss://{S.ENS_OSS_BUCKET}/images/web v1/data1.qcow2",
               "--tag", "env=prod", "--tag", "team=a&b=c *~/"],
        {}, {}),
    "ecs-import-dry-run": (
        ecs_import_dry_run,
        ["--provider", "ecs", "--region", "ap-southeast-1", "import", "--dry-run", "--name", "web-v1",
         "--os-type", "windows", "--license-type", "BYOL", "--client-token", "tok-dry", "--format", "VHD",
         "--url", "oss://bkt/win.vhd"],
        {}, {"dry_run": True}),
    # ECS describe
    "ecs-describe": (
        ecs_describe,
        ECS + ["image", "describe", "--image-id", S.ECS_IMAGE_ID],
        {}, {"operation": "describe", "image_id": S.ECS_IMAGE_ID, "status": "Available", "progress": 100}),
}

# (SDK signature mode, imgctl flags, what imgctl's request must carry)
SIGNATURES = {
    "v3": ("v3", [], "ACS3-HMAC-SHA256"),
    "v1": ("v2", ["--signature-version", "v1"], "HMAC-SHA1"),
}


class Recorder:
    """A responder that answers like the default one and remembers the body.
    A request with DryRun=true gets what ECS answers to one (HTTP 400
    DryRunOperation): imgctl reports a dry run only when the cloud said so."""

    def __init__(self, srv):
        self.srv = srv
        self.bodies = []

    def __call__(self, req):
        if alibaba_params(req).get("DryRun") == "true":
            body = {"RequestId": "E2B1A9F6-DRY0-4C1E-9F43-0000000000D1",
                    "HostId": "ecs.aliyuncs.com", "Code": "DryRunOperation",
                    "Message": "Request validation has been passed with DryRun flag set."}
            resp = Response.json(body, status=400)
        else:
            resp = self.srv.default(req)
        self.bodies.append(json.loads(resp.body))
        return resp


def _signature_kind(req) -> str:
    if (req.header("authorization") or "").startswith("ACS3-HMAC-SHA256"):
        return "ACS3-HMAC-SHA256"
    params = dict(req.query)
    if "Signature" in params and params.get("SignatureMethod") == "HMAC-SHA1":
        return "HMAC-SHA1"
    return "none"


@pytest.mark.parametrize("sig", sorted(SIGNATURES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_imgctl_sends_what_the_sdk_sends(capture_server, imgctl_bin, case, sig):
    sdk_send, args, extra_env, expect = CASES[case]
    sdk_mode, sig_flags, want_kind = SIGNATURES[sig]
    srv = capture_server
    rec = Recorder(srv)
    srv.responder = rec

    sdk_send(srv.url, sdk_mode)
    sdk_reqs = srv.take()
    assert len(sdk_reqs) == 1, [r.to_dict() for r in sdk_reqs]

    env = {**ENV, **extra_env}
    r = run_imgctl([*args, *sig_flags, "--endpoint-url", srv.url], env)
    assert r.returncode == 0, r.stderr
    ours = srv.take()
    assert len(ours) == 1, [q.to_dict() for q in ours]
    sdk_req, our_req = sdk_reqs[0], ours[0]

    # 1. the same call, parameter for parameter
    assert normalize.alibaba(our_req) == normalize.alibaba(sdk_req)
    assert _signature_kind(sdk_req) == want_kind  # the SDK really ran in that mode
    assert _signature_kind(our_req) == want_kind

    # 2. imgctl's signature is the one the SDK's own signers compute
    for impl in ("tea-openapi", "openapi-util"):
        ok, expected, got = verify_sig.alibaba(our_req, S.DEMO_SECRET, S.DEMO_ACCESS_KEY_ID, impl=impl)
        assert ok, f"{impl}: expected {expected}, got {got}"
    if "ALIBABA_CLOUD_SECURITY_TOKEN" in extra_env:
        token = our_req.header("x-acs-security-token") or dict(our_req.query).get("SecurityToken")
        assert token == STS_TOKEN

    # 3. imgctl reports what the server answered
    out = json.loads(r.stdout)
    answer = rec.bodies[-1]
    assert out["provider"] == args[args.index("--provider") + 1]
    assert out["request_id"] == answer["RequestId"]
    if "ImageId" in answer:
        assert out["image_id"] == answer["ImageId"]
    if "TaskId" in answer:
        assert out["task_id"] == answer["TaskId"]
    for k, v in expect.items():
        assert out.get(k) == v, (k, out)


def test_tampered_imgctl_request_fails_the_sdk_check(capture_server, imgctl_bin):
    """The signature check above can fail: one changed byte breaks it, in both versions."""
    for flags in ([], ["--signature-version", "v1"]):
        r = run_imgctl(["--provider", "ens", "--endpoint-url", capture_server.url, *flags, "modify",
                        "--image-id", S.ENS_IMAGE_ID, "--name", RENAMED], ENV)
        assert r.returncode == 0, r.stderr
        req = capture_server.take()[0]
        assert verify_sig.alibaba(req, S.DEMO_SECRET)[0]
        bad = verify_sig.tamper_one_byte(req, "ImageId")
        assert not verify_sig.alibaba(bad, S.DEMO_SECRET)[0]
        assert not verify_sig.alibaba(req, S.DEMO_SECRET + "x")[0]


def test_generated_client_token(capture_server, imgctl_bin):
    """Without --client-token, ECS create and import still carry one (1-64 ASCII), new per command."""
    tokens = []
    for verb in (["create", "--instance-id", "i-1", "--name", "web-v1"],
                 ["import", "--url", "oss://bkt/obj.qcow2", "--name", "web-v1"]):
        for _ in range(2):
            r = run_imgctl(ECS + ["--endpoint-url", capture_server.url, *verb], ENV)
            assert r.returncode == 0, r.stderr
            tok = dict(capture_server.take()[0].query)["ClientToken"]
            assert 1 <= len(tok) <= 64 and tok.isascii()
            tokens.append(tok)
    assert len(set(tokens)) == len(tokens)


def test_ens_dry_run_sends_nothing(capture_server, imgctl_bin):
    r = run_imgctl(ENS + ["--endpoint-url", capture_server.url, "--dry-run", "--debug", "create",
                          "--name", S.NAME_ZH, "--instance-id", S.ENS_INSTANCE_ID], ENV)
    assert r.returncode == 0, r.stderr
    assert capture_server.requests == []
    assert json.loads(r.stdout)["dry_run"] is True
    assert "x-acs-action: CreateImage" in r.stderr
    assert S.DEMO_SECRET not in r.stderr and "Signature=****" in r.stderr


def test_case_count():
    """The number reported for issue 3: operations x parameter combinations x signature versions."""
    ops = {"-".join(c.split("-")[:2]) for c in CASES}
    assert ops == {"ens-create", "ens-import", "ens-modify", "ens-describe",
                   "ecs-modify", "ecs-create", "ecs-import", "ecs-describe"}
    assert len(CASES) * len(SIGNATURES) == 40
