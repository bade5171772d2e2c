"""list, delete and copy (issue 13) against software we did not write.

1. Alibaba ENS/ECS and Huawei IMS: each operation sent by the official SDK
   and by imgctl to one capture server, in both Alibaba signature versions;
   the requests must be equal once normalised (normalize.py), and imgctl's
   signatures must verify with the SDKs' own signers.  Lists are two pages
   long (scripted answers), so the second request (PageNumber 2, or the IMS
   marker) is compared too, and imgctl's output is checked against what the
   pages held (exact names, true prefixes, RFC 3339 times).
2. EC2 against moto with signature checks on: list, delete with and without
   snapshots, copy across regions, dry runs, each effect confirmed by boto3;
   and against the capture server, the requests boto3 sends for the same
   calls (moto ignores MaxResults, so the paging is proven on a stub).
3. The official SDKs list, copy and delete against `imgctl emulator`,
   paging included.
"""

from __future__ import annotations

import json
import subprocess

import pytest

import normalize as nz
import sdk_clients as S
import verify_sig as vs
from capture import HUAWEI_PROJECT_ID, CaptureServer, Response, alibaba_params
from imgctl_bin import ImgctlNotBuilt, find_imgctl, imgctl_env, run_imgctl
from moto_server import iam_user_with_ec2_policy

ALI_ENV = {"ALIBABA_CLOUD_ACCESS_KEY_ID": S.DEMO_ACCESS_KEY_ID,
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": S.DEMO_SECRET}
HW_ENV = {"HUAWEICLOUD_SDK_AK": S.DEMO_ACCESS_KEY_ID, "HUAWEICLOUD_SDK_SK": S.DEMO_SECRET,
          "HUAWEICLOUD_SDK_PROJECT_ID": HUAWEI_PROJECT_ID}
SIGS = {"v3": ("v3", []), "v1": ("v2", ["--signature-version", "v1"])}


def ok_json(r) -> dict:
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return json.loads(r.stdout)


# ==========================================================================
# 1a. Alibaba: scripted two-page lists, deletes, copies
# ==========================================================================

# Three images over two pages of two. "xweb-3" matches the clouds' fuzzy
# ImageName=web- but is no prefix match; ECS times have minutes only.
ALI_IMAGES = [
    {"ImageId": "m-page00000000000001", "ImageName": "web-1", "Status": "Available",
     "CreationTime": "2026-11-29T10:22Z"},
    {"ImageId": "m-page00000000000002", "ImageName": "web-2", "Status": "Creating",
     "CreationTime": "2026-11-29T10:23:05Z"},
    {"ImageId": "m-page00000000000003", "ImageName": "xweb-3", "Status": "Available",
     "CreationTime": "2026-11-29T10:24Z"},
]


class AliResponder:
    """Pages of ALI_IMAGES for DescribeSelfImages / DescribeImages; DryRun
    answered as ECS does (400 DryRunOperation); CopyImage gives a new id;
    a refusal code when asked to."""

    def __init__(self, srv, refuse=None):
        self.srv, self.refuse = srv, refuse

    def __call__(self, req):
        p = alibaba_params(req)
        action = req.header("x-acs-action") or p.get("Action")
        rid = "5E9F2C1A-0000-4000-8000-00000000000" + str(len(self.srv.requests) % 10)
        if self.refuse:
            code, status = self.refuse
            return Response.json({"RequestId": rid, "HostId": "ecs.aliyuncs.com", "Code": code,
                                  "Message": f"refused: {code}"}, status=status)
        if p.get("DryRun", "").lower() == "true":
            return Response.json({"RequestId": rid, "HostId": "ecs.aliyuncs.com", "Code": "DryRunOperation",
                                  "Message": "Request validation has been passed with DryRun flag set."},
                                 status=400)
        if action in ("DescribeSelfImages", "DescribeImages"):
            num, size = int(p.get("PageNumber", "1")), int(p.get("PageSize", "10"))
            page = ALI_IMAGES[(num - 1) * size:num * size]
            body = {"RequestId": rid, "Images": {"Image": page}}
            if action == "DescribeSelfImages":  # ENS: strings and Code 0
                body.update(Code=0, PageNumber=str(num), PageSize=str(size), TotalCount=str(len(ALI_IMAGES)))
            else:
                body.update(RegionId=p.get("RegionId"), PageNumber=num, PageSize=size,
                            TotalCount=len(ALI_IMAGES))
            return Response.json(body)
        if action == "CopyImage":
            return Response.json({"RequestId": rid, "ImageId": "m-copy0000000000001"})
        if action == "DeleteImage":
            return Response.json({"RequestId": rid, **({"Code": 0} if "RegionId" not in p else {})})
        return None


def _ens_sdk(ep, sig):
    from alibabacloud_ens20171110 import models as m
    return S._ens(ep, sig), m


def _ecs_sdk(ep, sig):
    from alibabacloud_ecs20140526 import models as m
    return S._ecs(ep, sig), m


def ens_list_pages(ep, sig):
    c, m = _ens_sdk(ep, sig)
    for n in (1, 2):
        c.describe_self_images(m.DescribeSelfImagesRequest(image_name="web-", page_number=n, page_size=2))


def ens_list_status_only(ep, sig):
    c, m = _ens_sdk(ep, sig)
    for n in (1, 2):
        c.describe_self_images(m.DescribeSelfImagesRequest(page_number=n, page_size=2))


def ecs_list_pages(ep, sig):
    c, m = _ecs_sdk(ep, sig)
    for n in (1, 2):
        c.describe_images(m.DescribeImagesRequest(region_id=S.ECS_REGION, image_owner_alias="self",
                                                  status="ALL", image_name="web-", page_number=n, page_size=2))


def ecs_list_status_name(ep, sig):
    c, m = _ecs_sdk(ep, sig)
    for n in (1, 2):
        c.describe_images(m.DescribeImagesRequest(region_id=S.ECS_REGION, image_owner_alias="self",
                                                  status="Available", image_name="web-1", page_number=n,
                                                  page_size=2))


def ens_delete(ep, sig):
    c, m = _ens_sdk(ep, sig)
    c.delete_image(m.DeleteImageRequest(image_id=S.ENS_IMAGE_ID))


def ecs_delete(ep, sig):
    c, m = _ecs_sdk(ep, sig)
    c.delete_image(m.DeleteImageRequest(region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID))


def ecs_delete_force(ep, sig):
    c, m = _ecs_sdk(ep, sig)
    c.delete_image(m.DeleteImageRequest(region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID, force=True))


def ecs_delete_force_dry_run(ep, sig):
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
    c, m = _ecs_sdk(ep, sig)
    with pytest.raises(AlibabaCloudException):  # the SDK reports a good dry run as an error
        c.delete_image(m.DeleteImageRequest(region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID, force=True,
                                            dry_run=True))


ECS = ["--provider", "ecs", "--region", S.ECS_REGION]
ENS = ["--provider", "ens"]
WEB = ["m-page00000000000001", "m-page00000000000002"]

# id -> (SDK sender, imgctl args, requests each side sends, what imgctl must print)
ALI_CASES = {
    "ens-list-prefix-two-pages": (ens_list_pages, ENS + ["list", "--name-prefix", "web-", "--page-size", "2"],
                                  2, {"images": WEB}),
    "ens-list-status-client-side": (ens_list_status_only,
                                    ENS + ["image", "list", "--status", "AVAILABLE", "--page-size", "2"], 2,
                                    {"images": ["m-page00000000000001", "m-page00000000000003"]}),
    "ecs-list-prefix-two-pages": (ecs_list_pages, ECS + ["list", "--name-prefix", "web-", "--page-size", "2"],
                                  2, {"images": WEB}),
    "ecs-list-status-exact-name": (ecs_list_status_name,
                                   ECS + ["image", "list", "--status", "available", "--name", "web-1",
                                          "--page-size", "2"], 2, {"images": ["m-page00000000000001"]}),
    "ens-delete": (ens_delete, ENS + ["delete", "--image-id", S.ENS_IMAGE_ID], 1,
                   {"image_id": S.ENS_IMAGE_ID, "status": "deleted"}),
    "ecs-delete": (ecs_delete, ECS + ["image", "delete", "--image-id", S.ECS_IMAGE_ID], 1,
                   {"image_id": S.ECS_IMAGE_ID, "status": "deleted"}),
    "ecs-delete-force": (ecs_delete_force, ECS + ["delete", "--image-id", S.ECS_IMAGE_ID, "--force"], 1,
                         {"status": "deleted"}),
    "ecs-delete-force-dry-run": (ecs_delete_force_dry_run,
                                 ECS + ["delete", "--image-id", S.ECS_IMAGE_ID, "--force", "--dry-run"], 1,
                                 {"dry_run": True}),
}


def _check_ali(srv, sdk_reqs, ours, n):
    assert len(sdk_reqs) == n and len(ours) == n, ([r.raw_path for r in sdk_reqs], [r.raw_path for r in ours])
    for s_req, o_req in zip(sdk_reqs, ours):
        assert nz.alibaba(o_req) == nz.alibaba(s_req)
        for impl in ("tea-openapi", "openapi-util"):
            ok, want, got = vs.alibaba(o_req, S.DEMO_SECRET, S.DEMO_ACCESS_KEY_ID, impl=impl)
            assert ok, f"{impl}: expected {want}, got {got}"
        assert not vs.alibaba(o_req, S.DEMO_SECRET + "x")[0]


@pytest.mark.parametrize("sig", sorted(SIGS))
@pytest.mark.parametrize("case", sorted(ALI_CASES))
def test_alibaba_list_delete_same_as_sdk(capture_server, imgctl_bin, case, sig):
    send, args, n, expect = ALI_CASES[case]
    sdk_mode, flags = SIGS[sig]
    srv = capture_server
    srv.responder = AliResponder(srv)
    send(srv.url, sdk_mode)
    sdk_reqs = srv.take()
    r = run_imgctl([*args, *flags, "--endpoint-url", srv.url], ALI_ENV)
    out = ok_json(r)
    ours = srv.take()
    _check_ali(srv, sdk_reqs, ours, n)
    for k, v in expect.items():
        if k == "images":
            assert [i["image_id"] for i in out["images"]] == v, out
        else:
            assert out.get(k) == v, (k, out)
    if "images" in expect:
        # Every time RFC 3339: ECS's minute precision gains its seconds.
        by_id = {i["image_id"]: i for i in out["images"]}
        if "m-page00000000000001" in by_id:
            assert by_id["m-page00000000000001"]["created"] == "2026-11-29T10:22:00Z"
            assert by_id["m-page00000000000001"]["name"] == "web-1"


@pytest.mark.parametrize("sig", sorted(SIGS))
@pytest.mark.parametrize("named", [True, False])
def test_ecs_copy_same_as_sdk(capture_server, imgctl_bin, sig, named):
    """imgctl goes first: its ClientToken (generated, 1-64 ASCII) is then given to the SDK."""
    sdk_mode, flags = SIGS[sig]
    srv = capture_server
    srv.responder = AliResponder(srv)
    extra = ["--name", S.NAME_ZH, "--description", S.DESCRIPTION] if named else []
    out = ok_json(run_imgctl(ECS + ["copy", "--image-id", S.ECS_IMAGE_ID, "--to-region", "cn-shanghai",
                                    *extra, *flags, "--endpoint-url", srv.url], ALI_ENV))
    (ours,) = srv.take()
    token = nz.alibaba(ours)["ClientToken"]
    assert 1 <= len(token) <= 64 and token.isascii()
    c, m = _ecs_sdk(srv.url, sdk_mode)
    kw = dict(destination_image_name=S.NAME_ZH, destination_description=S.DESCRIPTION) if named else {}
    c.copy_image(m.CopyImageRequest(region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID,
                                    destination_region_id="cn-shanghai", client_token=token, **kw))
    sdk_reqs = srv.take()
    _check_ali(srv, sdk_reqs, [ours], 1)
    assert out["image_id"] == "m-copy0000000000001"
    assert (out["source_image_id"], out["region"]) == (S.ECS_IMAGE_ID, "cn-shanghai")
    assert out["request_id"]


@pytest.mark.parametrize("code,status,exit_code", [
    ("ImageUsingByInstance", 403, 1),
    ("ImageUseShared", 403, 1),
    ("OperationDenied.ImageCopying", 403, 1),
    ("InvalidImageId.NotFound", 404, 1),
    ("Forbidden.RAM", 403, 4),  # a real permission refusal stays one
])
def test_ecs_delete_refusals_by_code_not_status(capture_server, imgctl_bin, code, status, exit_code):
    capture_server.responder = AliResponder(capture_server, refuse=(code, status))
    r = run_imgctl(ECS + ["delete", "--image-id", S.ECS_IMAGE_ID, "--endpoint-url", capture_server.url], ALI_ENV)
    assert r.returncode == exit_code, r.stderr
    assert code in r.stderr and r.stdout == ""
    assert len(capture_server.take()) == 1  # a refusal is not retried


# ==========================================================================
# 1b. Huawei IMS
# ==========================================================================

HW_PAGE = [
    {"id": "11111111-0000-4000-8000-000000000001", "name": "web-1", "status": "active",
     "created_at": "2026-11-29T10:22:05Z", "owner": HUAWEI_PROJECT_ID},
    {"id": "11111111-0000-4000-8000-000000000002", "name": "xweb-2", "status": "saving",
     "created_at": "2026-11-29T10:23:05Z", "owner": HUAWEI_PROJECT_ID},
    {"id": "11111111-0000-4000-8000-000000000003", "name": "web-3", "status": "active",
     "created_at": "2026-11-29T10:24:05Z", "owner": HUAWEI_PROJECT_ID},
]
HW_DEST = "cn-east-3"


class HwResponder:
    """IMS lists in pages of `limit` after `marker`; cross-region copy gives a job."""

    def __init__(self, srv):
        self.srv = srv

    def __call__(self, req):
        q = dict(req.query)
        if req.method == "GET" and req.path == "/v2/cloudimages" and "owner" in q:
            ids = [i["id"] for i in HW_PAGE]
            start = ids.index(q["marker"]) + 1 if "marker" in q else 0
            page = HW_PAGE[start:start + int(q.get("limit", "500"))]
            return Response.json({"images": page}, headers=[("X-Request-Id", "f" * 32)])
        if req.method == "POST" and req.path.endswith("/cross_region_copy"):
            return Response.json({"job_id": "ff8080814dbd65d7014dbe0d84dbc0py"},
                                 headers=[("X-Request-Id", "e" * 32)])
        return self.srv.default(req)


def _ims(ep):
    from huaweicloudsdkims.v2 import model as m
    return S.ims_client(ep), m


def ims_list_prefix(ep):
    c, m = _ims(ep)
    c.list_images(m.ListImagesRequest(owner=HUAWEI_PROJECT_ID, limit=2))
    c.list_images(m.ListImagesRequest(owner=HUAWEI_PROJECT_ID, limit=2, marker=HW_PAGE[1]["id"]))


def ims_list_name_status(ep):
    c, m = _ims(ep)
    c.list_images(m.ListImagesRequest(owner=HUAWEI_PROJECT_ID, limit=2, name="web-3", status="active"))
    c.list_images(m.ListImagesRequest(owner=HUAWEI_PROJECT_ID, limit=2, name="web-3", status="active",
                                      marker=HW_PAGE[1]["id"]))


def ims_delete(ep):
    c, m = _ims(ep)
    c.glance_delete_image(m.GlanceDeleteImageRequest(image_id=S.HW_IMAGE_ID))


def ims_delete_backup(ep):
    c, m = _ims(ep)
    c.glance_delete_image(m.GlanceDeleteImageRequest(
        image_id=S.HW_IMAGE_ID, body=m.GlanceDeleteImageRequestBody(delete_backup=True)))


def ims_copy(ep):
    c, m = _ims(ep)
    c.copy_image_cross_region(m.CopyImageCrossRegionRequest(
        image_id=S.HW_IMAGE_ID, body=m.CopyImageCrossRegionRequestBody(
            name=S.NAME_ZH, description=S.DESCRIPTION, region=HW_DEST, project_name=HW_DEST,
            agency_name="ims_admin_agency")))


IMS = ["--provider", "ims", "--region", S.HUAWEI_REGION]
IMS_CASES = {
    "ims-list-prefix-two-pages": (ims_list_prefix, ["list", "--name-prefix", "web-", "--page-size", "2"], 2,
                                  {"images": [HW_PAGE[0]["id"], HW_PAGE[2]["id"]]}),
    "ims-list-name-status": (ims_list_name_status,
                             ["image", "list", "--name", "web-3", "--status", "available", "--page-size", "2"],
                             2, {"images": [HW_PAGE[2]["id"]]}),
    "ims-delete": (ims_delete, ["delete", "--image-id", S.HW_IMAGE_ID], 1,
                   {"image_id": S.HW_IMAGE_ID, "status": "deleted"}),
    "ims-delete-backup": (ims_delete_backup, ["delete", "--image-id", S.HW_IMAGE_ID, "--delete-snapshots"], 1,
                          {"status": "deleted"}),
    "ims-copy": (ims_copy, ["copy", "--image-id", S.HW_IMAGE_ID, "--to-region", HW_DEST, "--name", S.NAME_ZH,
                            "--description", S.DESCRIPTION, "--agency-name", "ims_admin_agency"], 1,
                 {"job_id": "ff8080814dbd65d7014dbe0d84dbc0py", "source_image_id": S.HW_IMAGE_ID,
                  "region": HW_DEST}),
}


def _hw_signed(req):
    ok, want, got = vs.huawei_aksk(req, S.DEMO_SECRET, S.DEMO_ACCESS_KEY_ID)
    assert ok, f"{req.method} {req.raw_path}: expected {want}, got {got}"
    assert not vs.huawei_aksk(req, S.DEMO_SECRET + "x", S.DEMO_ACCESS_KEY_ID)[0]


@pytest.mark.parametrize("case", sorted(IMS_CASES))
def test_ims_list_delete_copy_same_as_sdk(capture_server, imgctl_bin, case):
    send, args, n, expect = IMS_CASES[case]
    srv = capture_server
    srv.responder = HwResponder(srv)
    send(srv.url)
    sdk_reqs = srv.take()
    out = ok_json(run_imgctl([*IMS, "--endpoint-url", srv.url, "--iam-endpoint-url", srv.url, *args], HW_ENV))
    ours = srv.take()
    assert len(sdk_reqs) == n and len(ours) == n, ([r.raw_path for r in sdk_reqs], [r.raw_path for r in ours])
    for s_req, o_req in zip(sdk_reqs, ours):
        assert nz.huawei(o_req) == nz.huawei(s_req)
        assert o_req.header("x-project-id") == s_req.header("x-project-id") == HUAWEI_PROJECT_ID
        _hw_signed(o_req)
    for k, v in expect.items():
        if k == "images":
            assert [i["image_id"] for i in out["images"]] == v, out
        else:
            assert out.get(k) == v, (k, out)


def test_ims_copy_defaults_to_the_source_name_and_waits_in_the_destination(capture_server, imgctl_bin):
    srv = capture_server
    srv.responder = HwResponder(srv)
    env = {k: v for k, v in HW_ENV.items()}
    out = ok_json(run_imgctl([*IMS, "--endpoint-url", srv.url, "--iam-endpoint-url", srv.url, "copy",
                              "--image-id", S.HW_IMAGE_ID, "--to-region", HW_DEST, "--agency-name", "ag",
                              "--wait", "--poll-interval", "50ms"], env))
    reqs = srv.take()
    calls = [(r.method, r.path, dict(r.query)) for r in reqs]
    # the source's name, read first; then the copy with it
    assert calls[0] == ("GET", "/v2/cloudimages", {"id": S.HW_IMAGE_ID})
    assert calls[1][:2] == ("POST", f"/v1/cloudimages/{S.HW_IMAGE_ID}/cross_region_copy")
    assert reqs[1].json() == {"name": "captured-image", "region": HW_DEST, "project_name": HW_DEST,
                              "agency_name": "ag"}
    # the job in the source project, then the destination project looked up by its region name,
    # then the new image there
    assert calls[2][:2] == ("GET", f"/v1/{HUAWEI_PROJECT_ID}/jobs/ff8080814dbd65d7014dbe0d84dbc0py")
    assert calls[3] == ("GET", "/v3/projects", {"name": HW_DEST})
    assert calls[4][:2] == ("GET", "/v2/cloudimages") and calls[4][2] == {"id": out["image_id"]}
    for r in reqs:
        _hw_signed(r)
    assert out["status"] == "active" and out["job_id"] and out["region"] == HW_DEST


# ==========================================================================
# 2. EC2: moto (auth on) and boto3's own requests
# ==========================================================================

REGION = "us-east-1"
DEST = "eu-west-1"


def imgctl_ec2(endpoint, args, akid, secret, region=REGION):
    return run_imgctl(["--provider", "ec2", "--endpoint-url", endpoint, "--region", region, *args],
                      {"AWS_ACCESS_KEY_ID": akid, "AWS_SECRET_ACCESS_KEY": secret})


@pytest.fixture
def moto_ec2(moto):
    akid, secret = iam_user_with_ec2_policy(moto)
    return moto, S.ec2_client(moto.url, akid, secret), akid, secret


def _ami(ec2, name, description=None):
    inst = ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    kw = {"Description": description} if description else {}
    return ec2.create_image(InstanceId=inst, Name=name, **kw)["ImageId"]


def _snapshots(ec2, image_id):
    img = ec2.describe_images(ImageIds=[image_id])["Images"][0]
    return [m["Ebs"]["SnapshotId"] for m in img["BlockDeviceMappings"] if "Ebs" in m]


def test_moto_list(moto_ec2):
    moto, ec2, akid, secret = moto_ec2
    ids = {n: _ami(ec2, n) for n in ("web-1", "web-2", "xweb-3")}
    out = ok_json(imgctl_ec2(moto.url, ["list"], akid, secret))
    mine = {i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]}
    assert {i["image_id"] for i in out["images"]} == mine == set(ids.values())
    for i in out["images"]:
        assert i["status"] == "available" and i["created"].endswith("Z") and "T" in i["created"]
    pre = ok_json(imgctl_ec2(moto.url, ["list", "--name-prefix", "web-"], akid, secret))
    assert sorted(i["name"] for i in pre["images"]) == ["web-1", "web-2"]
    exact = ok_json(imgctl_ec2(moto.url, ["list", "--name", "web-2", "--status", "available"], akid, secret))
    assert [i["image_id"] for i in exact["images"]] == [ids["web-2"]]
    none = ok_json(imgctl_ec2(moto.url, ["list", "--status", "pending"], akid, secret))
    assert none["images"] == []
    limited = ok_json(imgctl_ec2(moto.url, ["list", "--limit", "2"], akid, secret))
    assert len(limited["images"]) == 2
    text = imgctl_ec2(moto.url, ["list", "--query", "images[].image_id", "--output", "text"], akid, secret)
    assert sorted(text.stdout.split()) == sorted(ids.values())


def test_moto_delete_keeps_or_deletes_snapshots(moto_ec2):
    from botocore.exceptions import ClientError

    moto, ec2, akid, secret = moto_ec2
    keep = _ami(ec2, "keep-snaps")
    keep_snaps = _snapshots(ec2, keep)
    out = ok_json(imgctl_ec2(moto.url, ["delete", "--image-id", keep], akid, secret))
    assert (out["operation"], out["image_id"], out["status"]) == ("delete", keep, "deleted")
    assert "snapshots_deleted" not in out
    assert ec2.describe_images(Owners=["self"], Filters=[{"Name": "image-id", "Values": [keep]}])["Images"] == []
    assert [s["SnapshotId"] for s in ec2.describe_snapshots(SnapshotIds=keep_snaps)["Snapshots"]] == keep_snaps

    gone = _ami(ec2, "drop-snaps")
    snaps = _snapshots(ec2, gone)
    assert snaps
    out = ok_json(imgctl_ec2(moto.url, ["delete", "--image-id", gone, "--delete-snapshots"], akid, secret))
    assert out["snapshots_deleted"] == snaps
    for snap in snaps:
        with pytest.raises(ClientError) as err:
            ec2.describe_snapshots(SnapshotIds=[snap])
        assert err.value.response["Error"]["Code"] == "InvalidSnapshot.NotFound"

    again = imgctl_ec2(moto.url, ["delete", "--image-id", gone], akid, secret)
    assert again.returncode == 1 and "InvalidAMIID" in again.stderr, again.stderr
    unknown = imgctl_ec2(moto.url, ["delete", "--image-id", "ami-00000000"], akid, secret)
    assert unknown.returncode == 1 and "InvalidAMIID.NotFound" in unknown.stderr, unknown.stderr


def test_moto_dry_runs(moto_ec2):
    moto, ec2, akid, secret = moto_ec2
    image = _ami(ec2, "dry-target")
    out = ok_json(imgctl_ec2(moto.url, ["delete", "--image-id", image, "--delete-snapshots", "--dry-run"],
                             akid, secret))
    assert out["dry_run"] is True and "status" not in out
    assert ec2.describe_images(ImageIds=[image])["Images"][0]["State"] == "available"
    assert _snapshots(ec2, image)
    out = ok_json(imgctl_ec2(moto.url, ["copy", "--image-id", image, "--to-region", DEST, "--dry-run"],
                             akid, secret))
    assert out["dry_run"] is True and "image_id" not in out
    import boto3
    # same endpoint: moto takes the region from the signature's scope
    eu = boto3.client("ec2", region_name=DEST, endpoint_url=moto.url, aws_access_key_id=akid,
                      aws_secret_access_key=secret)
    assert eu.describe_images(Owners=["self"])["Images"] == []


def test_moto_copy_across_regions(moto_ec2):
    import boto3

    moto, ec2, akid, secret = moto_ec2
    src = _ami(ec2, "copy-src", "the source")
    eu = boto3.client("ec2", region_name=DEST, endpoint_url=moto.url, aws_access_key_id=akid,
                      aws_secret_access_key=secret)
    # without --name: the source's, read with DescribeImages
    out = ok_json(imgctl_ec2(moto.url, ["copy", "--image-id", src, "--to-region", DEST, "--wait",
                                        "--poll-interval", "10ms"], akid, secret))
    assert (out["source_image_id"], out["region"], out["status"]) == (src, DEST, "available")
    [img] = eu.describe_images(ImageIds=[out["image_id"]])["Images"]
    assert img["Name"] == "copy-src"
    # with --name and --description
    out2 = ok_json(imgctl_ec2(moto.url, ["copy", "--image-id", src, "--to-region", DEST, "--name", "copy-eu",
                                         "--description", "copied by imgctl"], akid, secret))
    [img2] = eu.describe_images(ImageIds=[out2["image_id"]])["Images"]
    assert (img2["Name"], img2["Description"]) == ("copy-eu", "copied by imgctl")
    # the copies are in the destination only; imgctl lists them there
    listed = ok_json(imgctl_ec2(moto.url, ["list"], akid, secret, region=DEST))
    assert {i["image_id"] for i in listed["images"]} == {out["image_id"], out2["image_id"]}
    home = ok_json(imgctl_ec2(moto.url, ["list"], akid, secret))
    assert [i["image_id"] for i in home["images"]] == [src]


def _ec2_both(boto_call, imgctl_args, responder=None):
    with CaptureServer(responder=responder) as srv:
        boto_call(S.ec2_client(srv.url))
        boto_reqs = srv.take()
        r = imgctl_ec2(srv.url, imgctl_args, S.DEMO_ACCESS_KEY_ID, S.DEMO_SECRET)
        assert r.returncode == 0, r.stderr
        ours = srv.take()
    for req in ours:
        ok, want, got = vs.sigv4(req, S.DEMO_SECRET, S.DEMO_ACCESS_KEY_ID)
        assert ok, f"botocore computes\n  {want}\nimgctl sent\n  {got}"
    return boto_reqs, ours, json.loads(r.stdout)


def _two_pages(req):
    params = dict(req.form())
    if params.get("Action") != "DescribeImages":
        return None
    item = ("<item><imageId>{id}</imageId><name>{name}</name><imageState>available</imageState>"
            "<creationDate>2026-11-29T21:10:18.000Z</creationDate><imageOwnerId>123456789012</imageOwnerId></item>")
    if "NextToken" in params:
        items, nxt = item.format(id="ami-0000000000000003", name="web-3"), ""
    else:
        items = item.format(id="ami-0000000000000001", name="web-1") + item.format(
            id="ami-0000000000000002", name="web-2")
        nxt = "<nextToken>page+2/=</nextToken>"
    return Response.xml(f'<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                        f"<requestId>r-1</requestId><imagesSet>{items}</imagesSet>{nxt}</DescribeImagesResponse>")


def test_ec2_list_pages_like_boto3(imgctl_bin):
    def boto(c):
        kw = dict(Owners=["self"], IncludeDisabled=True, MaxResults=1000,
                  Filters=[{"Name": "name", "Values": ["web-*"]}, {"Name": "state", "Values": ["available"]}])
        first = c.describe_images(**kw)
        c.describe_images(**kw, NextToken=first["NextToken"])

    boto_reqs, ours, out = _ec2_both(boto, ["list", "--name-prefix", "web-", "--status", "available"],
                                     responder=_two_pages)
    assert len(boto_reqs) == len(ours) == 2
    for b, o in zip(boto_reqs, ours):
        assert nz.ec2(o) == nz.ec2(b), (nz.ec2_sorted(o), nz.ec2_sorted(b))
    assert [i["image_id"] for i in out["images"]] == ["ami-0000000000000001", "ami-0000000000000002",
                                                      "ami-0000000000000003"]


def test_ec2_delete_and_copy_like_boto3(imgctl_bin):
    def deregister_answer(req):
        params = dict(req.form())
        if params.get("Action") == "DeregisterImage":
            return Response.xml('<DeregisterImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                                "<requestId>r-2</requestId><return>true</return></DeregisterImageResponse>")
        return None

    b, o, out = _ec2_both(lambda c: c.deregister_image(ImageId=S.EC2_IMAGE_ID),
                          ["delete", "--image-id", S.EC2_IMAGE_ID], responder=deregister_answer)
    assert nz.ec2(o[0]) == nz.ec2(b[0]) and out["status"] == "deleted"

    def copy_answer(req):
        params = dict(req.form())
        if params.get("Action") == "CopyImage":
            return Response.xml('<CopyImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                                "<requestId>r-3</requestId><imageId>ami-0c0c0c0c0c0c0c0c0</imageId>"
                                "</CopyImageResponse>")
        return None

    with CaptureServer(responder=copy_answer) as srv:
        r = imgctl_ec2(srv.url, ["copy", "--image-id", S.EC2_IMAGE_ID, "--to-region", DEST, "--name",
                                 S.EC2_IMAGE_NAME, "--description", S.DESCRIPTION],
                       S.DEMO_ACCESS_KEY_ID, S.DEMO_SECRET)
        out = ok_json(r)
        (ours,) = srv.take()
        token = dict(ours.form())["ClientToken"]
        import boto3
        boto3.client("ec2", region_name=DEST, endpoint_url=srv.url, aws_access_key_id=S.DEMO_ACCESS_KEY_ID,
                     aws_secret_access_key=S.DEMO_SECRET).copy_image(
            SourceRegion=REGION, SourceImageId=S.EC2_IMAGE_ID, Name=S.EC2_IMAGE_NAME,
            Description=S.DESCRIPTION, ClientToken=token)
        (theirs,) = srv.take()
    assert nz.ec2(ours) == nz.ec2(theirs)
    # signed for the destination region, as CopyImage must be
    assert f"/{DEST}/ec2/aws4_request" in ours.header("authorization")
    assert vs.sigv4(ours, S.DEMO_SECRET)[0]
    assert out["image_id"] == "ami-0c0c0c0c0c0c0c0c0" and out["region"] == DEST


# ==========================================================================
# 3. The official SDKs against `imgctl emulator`
# ==========================================================================


@pytest.fixture(scope="module")
def emulator_url():
    try:
        exe = find_imgctl()
    except ImgctlNotBuilt as exc:
        pytest.skip(str(exc))
    proc = subprocess.Popen([str(exe), "emulator", "--speed", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=imgctl_env())
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def emu(emulator_url):
    import urllib.request
    req = urllib.request.Request(emulator_url + "/__imgctl/reset", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()
    return emulator_url


def test_boto3_pages_copies_and_deletes_against_the_emulator(emu):
    import boto3
    from botocore.exceptions import ClientError

    c = S.ec2_client(emu)
    for n in range(6):
        c.create_image(InstanceId=S.EC2_INSTANCE_ID, Name=f"sdk-page-{n}")
    pages = list(c.get_paginator("describe_images").paginate(
        Owners=["self"], PaginationConfig={"PageSize": 5}))
    assert len(pages) >= 2 and "NextToken" in pages[0]
    listed = [i["ImageId"] for p in pages for i in p["Images"]]
    assert len(listed) == len(set(listed)) >= 9  # 3 seeded + 6 new

    eu = boto3.client("ec2", region_name=DEST, endpoint_url=emu, aws_access_key_id=S.DEMO_ACCESS_KEY_ID,
                      aws_secret_access_key=S.DEMO_SECRET)
    new = eu.copy_image(SourceRegion=REGION, SourceImageId=S.EC2_IMAGE_ID, Name="sdk-copy",
                        ClientToken="sdk-copy-1")["ImageId"]
    assert eu.copy_image(SourceRegion=REGION, SourceImageId=S.EC2_IMAGE_ID, Name="sdk-copy",
                         ClientToken="sdk-copy-1")["ImageId"] == new  # idempotent
    eu.get_waiter("image_available").wait(ImageIds=[new], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    with pytest.raises(ClientError):
        c.describe_images(ImageIds=[new])  # not in the source region

    snap = [m["Ebs"]["SnapshotId"] for m in c.describe_images(ImageIds=[S.EC2_IMAGE_ID])["Images"][0]
            ["BlockDeviceMappings"]][0]
    with pytest.raises(ClientError) as err:
        c.delete_snapshot(SnapshotId=snap)
    assert err.value.response["Error"]["Code"] == "InvalidSnapshot.InUse"
    c.deregister_image(ImageId=S.EC2_IMAGE_ID)
    c.delete_snapshot(SnapshotId=snap)
    with pytest.raises(ClientError) as err:
        c.describe_snapshots(SnapshotIds=[snap])
    assert err.value.response["Error"]["Code"] == "InvalidSnapshot.NotFound"


@pytest.mark.parametrize("sig", ["v3", "v2"])
def test_alibaba_sdks_page_copy_delete_against_the_emulator(emu, sig):
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    ecs, em = _ecs_sdk(emu, sig)
    # three seeded images in cn-hangzhou: two pages of two
    seen = []
    for n in (1, 2):
        body = ecs.describe_images(em.DescribeImagesRequest(region_id=S.ECS_REGION, image_owner_alias="self",
                                                            status="ALL", page_number=n, page_size=2)).body
        assert body.total_count == 3
        seen += [i.image_id for i in body.images.image]
    assert len(seen) == len(set(seen)) == 3
    copy = ecs.copy_image(em.CopyImageRequest(region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID,
                                              destination_region_id="cn-shanghai",
                                              destination_image_name="sdk-copy", client_token="sdk-tok")).body
    there = ecs.describe_images(em.DescribeImagesRequest(region_id="cn-shanghai", image_owner_alias="self",
                                                         status="ALL")).body
    assert [i.image_id for i in there.images.image] == [copy.image_id]
    with pytest.raises(AlibabaCloudException) as err:
        ecs.delete_image(em.DeleteImageRequest(region_id=S.ECS_REGION, image_id=S.ECS_IMAGE_ID))
    assert err.value.code == "OperationDenied.ImageCopying"
    with pytest.raises(AlibabaCloudException) as err:
        ecs.delete_image(em.DeleteImageRequest(region_id=S.ECS_REGION, image_id="m-bp1inuse00demo0001"))
    assert err.value.code == "ImageUsingByInstance"
    ecs.delete_image(em.DeleteImageRequest(region_id=S.ECS_REGION, image_id="m-bp1inuse00demo0001", force=True))

    ens, nm = _ens_sdk(emu, sig)
    first = ens.describe_self_images(nm.DescribeSelfImagesRequest(page_number=1, page_size=1)).body
    second = ens.describe_self_images(nm.DescribeSelfImagesRequest(page_number=2, page_size=1)).body
    assert first.total_count == "2" and first.images.image[0].image_id != second.images.image[0].image_id
    ens.delete_image(nm.DeleteImageRequest(image_id=S.ENS_IMAGE_ID))
    left = ens.describe_self_images(nm.DescribeSelfImagesRequest()).body
    assert [i.image_id for i in left.images.image] == ["m-5xxgg"]


def test_huawei_sdk_lists_copies_deletes_against_the_emulator(emu):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    from huaweicloudsdkiam.v3 import model as iam_model

    c, m = _ims(emu)
    projects = S.iam_client(emu).keystone_list_projects(iam_model.KeystoneListProjectsRequest(name=HW_DEST))
    dest_project = projects.projects[0].id
    job = c.copy_image_cross_region(m.CopyImageCrossRegionRequest(
        image_id=S.HW_IMAGE_ID, body=m.CopyImageCrossRegionRequestBody(
            name="sdk-copy", region=HW_DEST, project_name=HW_DEST, agency_name="ag"))).job_id
    status = None
    for _ in range(5):
        j = S.ims_show_job(emu, job)
        status = j["status"]
        if status == "SUCCESS":
            break
    assert status == "SUCCESS"
    new = j["entities"]["image_id"]
    there = S.ims_client(emu, project_id=dest_project)
    imgs = there.list_images(m.ListImagesRequest(owner=dest_project)).images
    assert [(i.id, i.name, i.status) for i in imgs] == [(new, "sdk-copy", "active")]
    # owner= pages with limit/marker; the source project still has its one image
    mine = c.list_images(m.ListImagesRequest(owner=HUAWEI_PROJECT_ID, limit=1)).images
    assert [i.id for i in mine] == [S.HW_IMAGE_ID]
    assert c.list_images(m.ListImagesRequest(owner=HUAWEI_PROJECT_ID, limit=1, marker=S.HW_IMAGE_ID)).images == []
    there.glance_delete_image(m.GlanceDeleteImageRequest(
        image_id=new, body=m.GlanceDeleteImageRequestBody(delete_backup=True)))
    assert there.list_images(m.ListImagesRequest(owner=dest_project)).images == []
    with pytest.raises(ClientRequestException) as err:
        there.glance_delete_image(m.GlanceDeleteImageRequest(image_id=new))
    assert err.value.status_code == 404
