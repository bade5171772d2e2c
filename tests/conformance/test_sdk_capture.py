"""Proof that the conformance machinery itself works.

For every operation in sdk_clients: the official SDK reaches the capture
server with exactly one request, the normalised parameters are exactly the
expected ones (concrete wire values, written out here from the API
documentation and ref/*.md, not computed), the SDK parses the default
responder's answer, and verify_sig accepts the SDK's signature and rejects
the same request after one byte of one parameter changed (or a wrong
secret).  verify_sig is also checked against the published vectors in
ref/*.md, independently of any capture.

imgctl comparisons come later: see imgctl_bin.run_imgctl.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections import Counter

import pytest

import normalize as nz
import sdk_clients as sc
import verify_sig as vs
from capture import CapturedRequest, CaptureServer, Response, classify

AK, SECRET = sc.DEMO_ACCESS_KEY_ID, sc.DEMO_SECRET
ENS, ECS, EC2 = "2017-11-10", "2014-05-26", "2016-11-15"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def only_request(srv: CaptureServer) -> CapturedRequest:
    reqs = srv.requests
    assert len(reqs) == 1, [r.raw_path for r in reqs]
    return reqs[0]


def one_char_differs(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


# ==========================================================================
# The capture server
# ==========================================================================


def test_capture_records_the_raw_request(capture_server):
    conn = http.client.HTTPConnection("127.0.0.1", capture_server.port, timeout=5)
    conn.putrequest("POST", "/v9/x?b=2&a=1&b=%20+&empty=&flag&%E4%B8%AD=%2A~", skip_accept_encoding=True)
    conn.putheader("X-Dup", "one")
    conn.putheader("X-Dup", "two")
    conn.putheader("Content-Type", "application/octet-stream")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    for chunk in (b"hello ", b"\x00\xffworld"):
        conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    conn.send(b"0\r\n\r\n")
    resp = conn.getresponse()
    resp.read()
    conn.close()

    req = only_request(capture_server)
    assert req.method == "POST"
    assert req.raw_path == "/v9/x?b=2&a=1&b=%20+&empty=&flag&%E4%B8%AD=%2A~"
    assert req.path == "/v9/x"
    assert req.query == [("b", "2"), ("a", "1"), ("b", "  "), ("empty", ""), ("flag", ""), ("中", "*~")]
    assert req.header_all("x-dup") == ["one", "two"]
    assert req.body == b"hello \x00\xffworld"
    assert resp.status == 404  # nobody's API: the default responder says so


def test_capture_pluggable_responder_and_fallback(capture_server):
    seen = []

    def responder(req):
        seen.append(req.path)
        if req.path == "/teapot":
            return Response(418, [("X-Why", "because")], b"short and stout")
        return None  # -> default responder

    capture_server.responder = responder
    conn = http.client.HTTPConnection("127.0.0.1", capture_server.port, timeout=5)
    conn.request("GET", "/teapot")
    r1 = conn.getresponse()
    assert (r1.status, r1.getheader("X-Why"), r1.read()) == (418, "because", b"short and stout")
    conn.request("GET", "/v3/projects?name=cn-north-4")  # same keep-alive connection
    r2 = conn.getresponse()
    body = json.loads(r2.read())
    conn.close()
    assert r2.status == 200 and body["projects"][0]["name"] == "cn-north-4"
    assert seen == ["/teapot", "/v3/projects"]
    assert [r.path for r in capture_server.take()] == ["/teapot", "/v3/projects"]
    assert capture_server.requests == []


def test_capture_binds_loopback_and_stops_by_itself():
    with CaptureServer() as srv:
        assert srv.url.startswith("http://127.0.0.1:") and srv.port > 0
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
        conn.request("GET", "/v3/projects")
        conn.getresponse().read()  # keep-alive connection left open on purpose
        port = srv.port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises((http.client.HTTPException, OSError)):
        conn.request("GET", "/v3/projects")
        conn.getresponse().read()
    conn.close()


# ==========================================================================
# Normalisation and tampering helpers (synthetic requests)
# ==========================================================================


def test_normalize_alibaba_v1_and_v3_agree_and_drop_signing_params():
    v1 = CapturedRequest("POST", "/?Action=DeleteImage&Format=JSON&Version=2017-11-10&Timestamp=2024-01-02T03%3A04%3A05Z"
                                 "&SignatureNonce=n1&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureType="
                                 "&AccessKeyId=ak&SecurityToken=STS.x&ImageId=m-1&Force=TRUE&Signature=abc%3D",
                         [("Host", "x")], b"")
    v3 = CapturedRequest("POST", "/?ImageId=m-1", [("x-acs-action", "DeleteImage"), ("x-acs-version", "2017-11-10"),
                                                   ("content-type", "application/x-www-form-urlencoded")],
                         b"Force=true")
    expected = {"Action": "DeleteImage", "Version": "2017-11-10", "ImageId": "m-1", "Force": "true"}
    assert nz.alibaba(v1) == expected
    assert nz.alibaba(v3) == expected
    dup = CapturedRequest("POST", "/?Action=A&ImageId=1&ImageId=2", [], b"")
    with pytest.raises(ValueError):
        nz.alibaba(dup)


def test_normalize_ec2_is_an_order_free_multiset():
    a = CapturedRequest("POST", "/", [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                        b"Action=DescribeImages&Version=2016-11-15&Owner.1=self&ImageId.1=ami-1")
    b = a.replace(body=b"Owner.1=self&ImageId.1=ami-1&Version=2016-11-15&Action=DescribeImages")
    c = a.replace(body=a.body + b"&Owner.1=self")
    assert nz.ec2(a) == nz.ec2(b)
    assert nz.ec2(a) != nz.ec2(c)
    assert nz.ec2_sorted(a) == [("Action", "DescribeImages"), ("ImageId.1", "ami-1"), ("Owner.1", "self"),
                                ("Version", "2016-11-15")]


def test_normalize_huawei_compares_json_as_a_value():
    h = [("Content-Type", "application/json;charset=utf-8")]
    a = CapturedRequest("PATCH", "/v2/cloudimages/x?b=2&a=1", h, b'[{"op": "replace", "path": "/name", "value": "\\u4e2d"}]')
    b = CapturedRequest("PATCH", "/v2/cloudimages/x?a=1&b=2", h, '[{"value":"中","path":"/name","op":"replace"}]'.encode())
    assert nz.huawei(a) == nz.huawei(b) == ("PATCH", "/v2/cloudimages/x", (("a", "1"), ("b", "2")),
                                            [{"op": "replace", "path": "/name", "value": "中"}])


def test_tamper_changes_exactly_one_byte():
    q = CapturedRequest("POST", "/?A=%E4%B8%AD&B=xyz9", [], b"")
    assert vs.tamper_one_byte(q, "B").raw_path == "/?A=%E4%B8%AD&B=yyz9"
    assert one_char_differs(vs.tamper_one_byte(q, "A").raw_path, q.raw_path)
    f = CapturedRequest("POST", "/", [("Content-Type", "application/x-www-form-urlencoded")], b"Action=X&Name=a+b")
    assert vs.tamper_one_byte(f, "Name").body == b"Action=X&Name=b+b"
    j = CapturedRequest("POST", "/", [], b'{"name": "\\u4e2dz1"}')
    assert vs.tamper_one_byte(j, "name").body == b'{"name": "\\u4e2da1"}'
    with pytest.raises(KeyError):
        vs.tamper_one_byte(q, "C")


# ==========================================================================
# Alibaba Cloud ENS / ECS (Tea SDK), V3 and v2 signatures
# ==========================================================================

ENS_DDM_JSON = ('[{"OSSBucket":"tmp-hybrid","OSSObject":"images/web v1/data1.qcow2","OSSRegion":"cn-beijing"},'
                '{"OSSBucket":"tmp-hybrid","OSSObject":"images/web v1/data2.qcow2","OSSRegion":"cn-beijing"}]')

ALIBABA_EXPECTED = {
    "ens_create_image": {
        "Action": "CreateImage", "Version": ENS,
        "ImageName": "网站镜像-v1", "InstanceId": "i-5rr1bnyrc4tswr8cq3w6y", "SnapshotId": "sp-5rr1bnyrc4tswr8cq3w6z",
        "DeleteAfterImageUpload": "true", "TargetOSSRegionId": "cn-beijing", "WithDataDisks": "true",
    },
    "ens_import_image": {
        "Action": "ImportImage", "Version": ENS,
        "Architecture": "x86_64", "ComputeType": "ens_vm", "ImageFormat": "qcow2", "ImageName": "网站镜像-v1",
        "LicenseType": "BYOL", "OSSBucket": "tmp-hybrid", "OSSObject": "images/web v1/system*~.qcow2",
        "OSSRegion": "cn-beijing", "OSType": "linux", "OSVersion": "22.04", "Platform": "ubuntu",
        "TargetOSSRegionId": "cn-beijing", "DiskDeviceMapping": ENS_DDM_JSON,
    },
    "ens_modify_image_attribute": {
        "Action": "ModifyImageAttribute", "Version": ENS,
        "ImageId": "m-5xxggsu4qy1bzvwpsmktamv6a", "ImageName": "网站镜像-v1-renamed",
    },
    "ens_describe_self_images": {
        "Action": "DescribeSelfImages", "Version": ENS,
        "ImageId": "m-5xxggsu4qy1bzvwpsmktamv6a", "PageNumber": "1", "PageSize": "50",
    },
    "ecs_modify_image_attribute": {
        "Action": "ModifyImageAttribute", "Version": ECS, "RegionId": "cn-hangzhou",
        "ImageId": "m-bp18ygjuqnwhechc", "ImageName": "网站镜像-v1", "Description": "nightly build a&b=c *~/ 2026 版",
        "BootMode": "UEFI", "LicenseType": "BYOL", "ImageFamily": "web-family", "Status": "Deprecated",
        "Features.NvmeSupport": "supported", "Features.ImdsSupport": "v2", "DryRun": "true",
    },
    "ecs_create_image": {
        "Action": "CreateImage", "Version": ECS, "RegionId": "cn-hangzhou",
        "ImageName": "网站镜像-v1", "Description": "nightly build a&b=c *~/ 2026 版",
        "Architecture": "x86_64", "Platform": "Ubuntu", "BootMode": "UEFI", "ImageFamily": "web-family",
        "ImageVersion": "2026.1", "ResourceGroupId": "rg-acfmzw2jz2z****",
        "ClientToken": "0c593ea1-3bea-11e9-b96b-88e9fe637760",
        "DiskDeviceMapping.1.Device": "/dev/xvda", "DiskDeviceMapping.1.DiskType": "system",
        "DiskDeviceMapping.1.Size": "40", "DiskDeviceMapping.1.SnapshotId": "s-bp17441ohwka0yuh****",
        "DiskDeviceMapping.2.Device": "/dev/xvdb", "DiskDeviceMapping.2.DiskType": "data",
        "DiskDeviceMapping.2.Size": "100", "DiskDeviceMapping.2.SnapshotId": "s-bp1c0doj0taqyzzl****",
        "Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "owner", "Tag.2.Value": "团队 a&b=c",
    },
    "ecs_import_image": {
        "Action": "ImportImage", "Version": ECS, "RegionId": "cn-hangzhou",
        "ImageName": "网站镜像-v1", "Description": "nightly build a&b=c *~/ 2026 版",
        "Architecture": "x86_64", "Platform": "Ubuntu", "OSType": "linux", "BootMode": "UEFI",
        "LicenseType": "BYOL", "RoleName": "AliyunECSImageImportDefaultRole", "DetectionStrategy": "Standard",
        "ClientToken": "0c593ea1-3bea-11e9-b96b-88e9fe637760",
        "Features.NvmeSupport": "supported", "Features.ImdsSupport": "v2",
        "DiskDeviceMapping.1.Format": "QCOW2", "DiskDeviceMapping.1.OSSBucket": "tmp-hybrid",
        "DiskDeviceMapping.1.OSSObject": "images/web v1/system*~.qcow2", "DiskDeviceMapping.1.DiskImageSize": "40",
        "DiskDeviceMapping.1.Device": "/dev/xvda",
        "DiskDeviceMapping.2.Format": "RAW", "DiskDeviceMapping.2.OSSBucket": "tmp-hybrid",
        "DiskDeviceMapping.2.OSSObject": "images/web v1/data1.raw", "DiskDeviceMapping.2.DiskImageSize": "100",
        "DiskDeviceMapping.2.Device": "/dev/xvdb",
        "Tag.1.Key": "env", "Tag.1.Value": "prod", "DryRun": "false",
    },
    "ecs_describe_images": {
        "Action": "DescribeImages", "Version": ECS, "RegionId": "cn-hangzhou", "ImageId": "m-bp18ygjuqnwhechc",
        "ImageOwnerAlias": "self", "Status": "Creating,Waiting,Available,UnAvailable,CreateFailed",
        "PageNumber": "1", "PageSize": "100",
    },
}

# The parameter whose value gets one byte changed in the tamper check.
ALIBABA_TAMPER = {
    "ens_create_image": "InstanceId",
    "ens_import_image": "DiskDeviceMapping",
    "ens_modify_image_attribute": "ImageId",
    "ens_describe_self_images": "ImageId",
    "ecs_modify_image_attribute": "Features.NvmeSupport",
    "ecs_create_image": "DiskDeviceMapping.2.SnapshotId",
    "ecs_import_image": "ClientToken",
    "ecs_describe_images": "Status",
}

# What the SDK must have parsed out of the default responder's answer.
ALIBABA_RESPONSE_KEYS = {
    "ens_create_image": ("ImageId",),
    "ens_import_image": ("ImageId",),
    "ens_modify_image_attribute": (),
    "ens_describe_self_images": ("Images",),
    "ecs_modify_image_attribute": (),
    "ecs_create_image": ("ImageId",),
    "ecs_import_image": ("ImageId", "TaskId"),
    "ecs_describe_images": ("Images",),
}


def test_alibaba_tables_cover_every_operation():
    assert set(ALIBABA_EXPECTED) == set(ALIBABA_TAMPER) == set(ALIBABA_RESPONSE_KEYS) == set(sc.ALIBABA_OPS)


@pytest.mark.parametrize("signature", ["v3", "v2"])
@pytest.mark.parametrize("op", sorted(ALIBABA_EXPECTED))
def test_alibaba_sdk_request(capture_server, op, signature):
    body = sc.ALIBABA_OPS[op](capture_server.url, signature)
    req = only_request(capture_server)

    assert classify(req) == "alibaba"
    assert req.method == "POST" and req.path == "/"
    assert req.header("host") == capture_server.host  # Config(endpoint='127.0.0.1:PORT', protocol='http')
    assert req.body == b""  # ENS and ECS image APIs: every parameter in the query
    assert nz.alibaba(req) == ALIBABA_EXPECTED[op]

    expected = ALIBABA_EXPECTED[op]
    # Both modes still name the call in headers (v2 sends them unsigned).
    assert req.header("x-acs-action") == expected["Action"]
    assert req.header("x-acs-version") == expected["Version"]
    q = dict(req.query)
    if signature == "v3":
        auth = req.header("authorization")
        assert auth.startswith(f"ACS3-HMAC-SHA256 Credential={AK},SignedHeaders=")
        assert req.header("x-acs-content-sha256") == EMPTY_SHA256
        assert not {"Action", "Version", "Signature", "SignatureNonce", "Timestamp", "AccessKeyId", "Format"} & set(q)
    else:
        assert req.header("authorization") is None
        assert (q["SignatureMethod"], q["SignatureVersion"], q["Format"], q["AccessKeyId"]) == \
               ("HMAC-SHA1", "1.0", "json", AK)
        assert q["Action"] == expected["Action"] and q["Version"] == expected["Version"]
        assert len(q["SignatureNonce"]) >= 16 and q["Timestamp"].endswith("Z")

    assert body["RequestId"]
    for key in ALIBABA_RESPONSE_KEYS[op]:
        assert body[key], key

    ok, want, got = vs.alibaba(req, SECRET, AK)
    assert ok, f"SDK signature not reproduced:\n expected {want}\n got      {got}"
    # the older openapi-util module signs identically
    assert vs.alibaba(req, SECRET, AK, impl="openapi-util") == (ok, want, got)
    assert vs.verify(req, SECRET, AK)[0]

    bad = vs.tamper_one_byte(req, ALIBABA_TAMPER[op])
    assert one_char_differs(bad.raw_path, req.raw_path)
    assert nz.alibaba(bad) != nz.alibaba(req)
    assert not vs.alibaba(bad, SECRET, AK)[0], "a changed parameter byte must break the signature"
    assert not vs.alibaba(req, "not-the-secret", AK)[0]
    assert not vs.alibaba(req, SECRET, "someone-else")[0]


def test_ens_import_disk_device_mapping_is_one_compact_json_param(capture_server):
    sc.ens_import_image(capture_server.url)
    req = only_request(capture_server)
    keys = [k for k, _ in req.query]
    assert keys.count("DiskDeviceMapping") == 1
    assert not [k for k in keys if k.startswith("DiskDeviceMapping.")]
    value = dict(req.query)["DiskDeviceMapping"]
    assert value == ENS_DDM_JSON  # compact: no space after ',' or ':'
    assert [list(d) for d in json.loads(value)] == [["OSSBucket", "OSSObject", "OSSRegion"]] * 2
    # on the wire it is one percent-encoded value
    assert "DiskDeviceMapping=%5B%7B%22OSSBucket%22%3A%22tmp-hybrid%22%2C%22OSSObject%22%3A%22images%2Fweb+v1" \
           "%2Fdata1.qcow2%22" in req.raw_query


@pytest.mark.parametrize("signature", ["v3", "v2"])
def test_tea_sdk_sends_python_booleans_and_plus_for_space(capture_server, signature):
    """Why normalize lower-cases booleans, and what the Tea SDK's query looks like on the wire."""
    sc.ens_create_image(capture_server.url, signature)
    sc.ecs_modify_image_attribute(capture_server.url, signature)
    sc.ecs_import_image(capture_server.url, signature)
    ens_create, ecs_modify, ecs_import = capture_server.requests
    assert dict(ens_create.query)["WithDataDisks"] == "True"
    assert dict(ens_create.query)["DeleteAfterImageUpload"] == "true"  # a string in the ENS model
    assert dict(ecs_modify.query)["DryRun"] == "True"
    assert dict(ecs_import.query)["DryRun"] == "False"
    assert nz.alibaba(ens_create)["WithDataDisks"] == "true"
    assert nz.alibaba(ecs_import)["DryRun"] == "false"
    # urlencode on the wire: space as '+', '*' as %2A, '~' literal (signing uses %20, see ref/alibaba.md)
    assert "Description=nightly+build+a%26b%3Dc+%2A~%2F+2026+%E7%89%88" in ecs_modify.raw_query
    assert "ImageName=%E7%BD%91%E7%AB%99%E9%95%9C%E5%83%8F-v1" in ecs_modify.raw_query


# ==========================================================================
# AWS EC2 (boto3)
# ==========================================================================

DESC = "nightly build a&b=c *~/ 2026 版"
EC2_EXPECTED = {
    "ec2_create_image": [
        ("Action", "CreateImage"), ("Version", EC2),
        ("InstanceId", "i-1234567890abcdef0"), ("Name", "web-v1 (2026) [ci]/build_7"), ("Description", DESC),
        ("NoReboot", "true"),
        ("BlockDeviceMapping.1.DeviceName", "/dev/xvda"), ("BlockDeviceMapping.1.Ebs.VolumeSize", "20"),
        ("BlockDeviceMapping.1.Ebs.VolumeType", "gp3"), ("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "true"),
        ("BlockDeviceMapping.1.Ebs.Encrypted", "false"),
        ("BlockDeviceMapping.2.DeviceName", "/dev/sdb"), ("BlockDeviceMapping.2.NoDevice", ""),
        ("TagSpecification.1.ResourceType", "image"),
        ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "网站镜像-v1"),
        ("TagSpecification.1.Tag.2.Key", "team"), ("TagSpecification.1.Tag.2.Value", "a&b=c"),
        ("TagSpecification.2.ResourceType", "snapshot"),
        ("TagSpecification.2.Tag.1.Key", "Name"), ("TagSpecification.2.Tag.1.Value", "web-v1-root"),
    ],
    "ec2_modify_image_attribute[description]": [
        ("Action", "ModifyImageAttribute"), ("Version", EC2), ("ImageId", "ami-0abcdef1234567890"),
        ("Description.Value", DESC),
    ],
    "ec2_modify_image_attribute[description-attribute]": [
        ("Action", "ModifyImageAttribute"), ("Version", EC2), ("ImageId", "ami-0abcdef1234567890"),
        ("Attribute", "description"), ("Value", DESC),
    ],
    "ec2_modify_image_attribute[launch-permission]": [
        ("Action", "ModifyImageAttribute"), ("Version", EC2), ("ImageId", "ami-0abcdef1234567890"),
        ("LaunchPermission.Add.1.UserId", "123456789012"), ("LaunchPermission.Add.2.Group", "all"),
        ("LaunchPermission.Remove.1.UserId", "210987654321"),
    ],
    "ec2_modify_image_attribute[imds-support]": [
        ("Action", "ModifyImageAttribute"), ("Version", EC2), ("ImageId", "ami-0abcdef1234567890"),
        ("ImdsSupport.Value", "v2.0"),
    ],
    "ec2_import_image": [
        ("Action", "ImportImage"), ("Version", EC2), ("Description", DESC),
        ("DiskContainer.1.Description", "system disk"), ("DiskContainer.1.Format", "VMDK"),
        ("DiskContainer.1.UserBucket.S3Bucket", "my-import-bucket"),
        ("DiskContainer.1.UserBucket.S3Key", "images/web v1/disk1.vmdk"),
        ("DiskContainer.2.Description", "data disk"), ("DiskContainer.2.Format", "RAW"),
        ("DiskContainer.2.UserBucket.S3Bucket", "my-import-bucket"),
        ("DiskContainer.2.UserBucket.S3Key", "images/web v1/disk2.raw"),
        ("Architecture", "x86_64"), ("Platform", "Linux"), ("LicenseType", "BYOL"), ("BootMode", "uefi"),
        ("RoleName", "vmimport"),
        ("TagSpecification.1.ResourceType", "import-image-task"),
        ("TagSpecification.1.Tag.1.Key", "Name"), ("TagSpecification.1.Tag.1.Value", "网站镜像-v1"),
        ("ClientToken", "imgctl-import-7f3c"),
    ],
    "ec2_describe_images": [
        ("Action", "DescribeImages"), ("Version", EC2), ("ImageId.1", "ami-0abcdef1234567890"), ("Owner.1", "self"),
        ("Filter.1.Name", "state"), ("Filter.1.Value.1", "available"), ("Filter.1.Value.2", "pending"),
        ("Filter.2.Name", "tag:Name"), ("Filter.2.Value.1", "网站镜像-v1"), ("IncludeDeprecated", "true"),
    ],
    "ec2_describe_import_image_tasks": [  # note: Filters.N, not Filter.N
        ("Action", "DescribeImportImageTasks"), ("Version", EC2), ("ImportTaskId.1", "import-ami-0123456789abcdef0"),
        ("Filters.1.Name", "task-state"), ("Filters.1.Value.1", "active"), ("Filters.1.Value.2", "completed"),
    ],
}

EC2_TAMPER = {
    "ec2_create_image": "InstanceId",
    "ec2_modify_image_attribute[description]": "ImageId",
    "ec2_modify_image_attribute[description-attribute]": "Attribute",
    "ec2_modify_image_attribute[launch-permission]": "LaunchPermission.Add.1.UserId",
    "ec2_modify_image_attribute[imds-support]": "ImdsSupport.Value",
    "ec2_import_image": "DiskContainer.2.UserBucket.S3Key",
    "ec2_describe_images": "Filter.1.Value.2",
    "ec2_describe_import_image_tasks": "Filters.1.Name",
}


def _check_ec2_response(op, resp):
    if op == "ec2_create_image":
        assert resp["ImageId"].startswith("ami-")
    elif op == "ec2_import_image":
        assert resp["ImportTaskId"].startswith("import-ami-") and resp["Status"] == "active"
        assert resp["Tags"] == [{"Key": "Name", "Value": "网站镜像-v1"}]
    elif op == "ec2_describe_images":
        assert [i["ImageId"] for i in resp["Images"]] == ["ami-0abcdef1234567890"]
        assert resp["Images"][0]["State"] == "available"
    elif op == "ec2_describe_import_image_tasks":
        task, = resp["ImportImageTasks"]
        assert task["ImportTaskId"] == "import-ami-0123456789abcdef0" and task["ImageId"].startswith("ami-")
    else:
        assert resp == {}  # ModifyImageAttribute has no output shape


def test_ec2_tables_cover_every_operation():
    assert set(EC2_EXPECTED) == set(EC2_TAMPER) == set(sc.EC2_OPS)


@pytest.mark.parametrize("op", sorted(EC2_EXPECTED))
def test_ec2_boto3_request(capture_server, op):
    resp = sc.EC2_OPS[op](capture_server.url)
    req = only_request(capture_server)

    assert classify(req) == "ec2"
    assert (req.method, req.raw_path) == ("POST", "/")
    assert req.content_type == "application/x-www-form-urlencoded; charset=utf-8"
    action = dict(EC2_EXPECTED[op])["Action"]
    assert req.body.startswith(f"Action={action}&Version=2016-11-15".encode())
    assert nz.ec2(req) == Counter(EC2_EXPECTED[op])
    _check_ec2_response(op, resp)

    auth = req.header("authorization")
    assert auth.startswith(f"AWS4-HMAC-SHA256 Credential={AK}/")
    assert "/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" in auth
    ok, want, got = vs.sigv4(req, SECRET, AK)
    assert ok, f"SDK signature not reproduced:\n expected {want}\n got      {got}"
    assert vs.verify(req, SECRET, AK)[0]

    bad = vs.tamper_one_byte(req, EC2_TAMPER[op])
    assert one_char_differs(bad.body.decode(), req.body.decode())
    assert nz.ec2(bad) != nz.ec2(req)
    assert not vs.sigv4(bad, SECRET, AK)[0], "a changed parameter byte must break the signature"
    assert not vs.sigv4(req, "not-the-secret", AK)[0]


# ==========================================================================
# Huawei Cloud IMS (AK/SK) and IAM (password token)
# ==========================================================================

HW_PROJECT = "0123456789abcdef0123456789abcdef"
HW_IMAGE = "33ad552d-1149-471c-8575-f1d02b9f3d1d"
HW_JOB = "ff8080814dbd65d7014dbe0d84db0013"

HUAWEI_EXPECTED = {
    "ims_create_image_from_ecs": ("POST", "/v2/cloudimages/action", (), {
        "name": "网站镜像-v1", "description": DESC, "instance_id": "877a2cda-ba63-4e1e-b95f-e67e48b6129a",
        "image_tags": [{"key": "env", "value": "dev"}, {"key": "team", "value": "web_ops"}],
        "data_images": [{"name": "data1", "volume_id": "c5a3c0a7-2e1f-4f5c-9d2e-000000000001",
                         "description": "data disk 1"}],
        "enterprise_project_id": "0", "min_ram": 1024, "max_ram": 4096,
    }),
    "ims_import_image_from_obs": ("POST", "/v2/cloudimages/action", (), {
        "name": "网站镜像-v1", "description": DESC, "image_url": "ims-image:images/web v1/centos7.qcow2",
        "min_disk": 40, "os_version": "CentOS 7.9 64bit", "os_type": "Linux", "architecture": "x86",
        "is_config": True, "type": "ECS",
        "data_images": [{"name": "data1", "image_url": "ims-image:images/web v1/data1.qcow2", "min_disk": 100}],
    }),
    "ims_quick_import": ("POST", "/v2/cloudimages/quickimport/action", (), {
        "name": "网站镜像-v1", "description": DESC, "os_version": "Ubuntu 22.04 server 64bit",
        "image_url": "ims-image:images/web v1/disk.zvhd2", "min_disk": 40, "type": "ECS", "architecture": "x86",
        "image_tags": [{"key": "env", "value": "dev"}],
    }),
    "ims_update_image": ("PATCH", f"/v2/cloudimages/{HW_IMAGE}", (), [
        {"op": "replace", "path": "/name", "value": "网站镜像-v1-renamed"},
        {"op": "add", "path": "/__description", "value": DESC},
        {"op": "replace", "path": "/min_ram", "value": "1024"},
    ]),
    "ims_show_job": ("GET", f"/v1/{HW_PROJECT}/jobs/{HW_JOB}", (), None),
    "ims_list_images": ("GET", "/v2/cloudimages", (("id", HW_IMAGE),), None),
    "iam_create_token_by_password": ("POST", "/v3/auth/tokens", (), {
        "auth": {"identity": {"methods": ["password"],
                              "password": {"user": {"domain": {"name": "demo"}, "name": "demo",
                                                    "password": "imgctl-demo-secret"}}},
                 "scope": {"project": {"name": "cn-north-4"}}},
    }),
}

HUAWEI_TAMPER = {  # None: change one byte of the path
    "ims_create_image_from_ecs": "instance_id",
    "ims_import_image_from_obs": "image_url",
    "ims_quick_import": "os_version",
    "ims_update_image": "path",
    "ims_show_job": None,
    "ims_list_images": "id",
    "iam_create_token_by_password": "name",
}


def _check_huawei_response(op, resp):
    if op in ("ims_create_image_from_ecs", "ims_import_image_from_obs", "ims_quick_import"):
        assert resp["job_id"]
    elif op == "ims_update_image":
        assert resp["id"] == HW_IMAGE and resp["name"] == "网站镜像-v1-renamed"
    elif op == "ims_show_job":
        assert resp["status"] == "SUCCESS" and resp["entities"]["image_id"]
    elif op == "ims_list_images":
        assert [i["id"] for i in resp["images"]] == [HW_IMAGE]
    else:
        assert resp["x_subject_token"].startswith("MII")
        assert resp["token"]["project"]["id"] == HW_PROJECT


def test_huawei_tables_cover_every_operation():
    assert set(HUAWEI_EXPECTED) == set(HUAWEI_TAMPER) == set(sc.HUAWEI_OPS)


@pytest.mark.parametrize("op", sorted(HUAWEI_EXPECTED))
def test_huawei_sdk_request(capture_server, op):
    resp = sc.HUAWEI_OPS[op](capture_server.url)
    req = only_request(capture_server)

    assert classify(req) == "huawei"
    assert nz.huawei(req) == HUAWEI_EXPECTED[op]
    _check_huawei_response(op, resp)
    if req.body:
        assert req.content_type == "application/json;charset=utf-8"
        # the Python SDK escapes non-ASCII (\uXXXX) and uses ": " separators
        assert req.body.isascii() and b'": ' in req.body
    if op == "iam_create_token_by_password":
        # no X-Project-Id, no token; but the SDK signs even this no-auth call with the AK/SK
        assert req.header("x-project-id") is None and req.header("x-auth-token") is None
        assert req.header("authorization").startswith(f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;")
    else:
        assert req.header("x-project-id") == HW_PROJECT

    auth = req.header("authorization")
    assert auth.startswith(f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=")
    assert "x-sdk-date" in auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    ok, want, got = vs.huawei_aksk(req, SECRET, AK)
    assert ok, f"SDK signature not reproduced:\n expected {want}\n got      {got}"
    assert vs.verify(req, SECRET, AK)[0]

    name = HUAWEI_TAMPER[op]
    bad = vs.tamper_path(req) if name is None else vs.tamper_one_byte(req, name)
    assert one_char_differs(bad.raw_path + bad.text(), req.raw_path + req.text())
    assert nz.huawei(bad) != nz.huawei(req)
    assert not vs.huawei_aksk(bad, SECRET, AK)[0], "a changed byte must break the signature"
    assert not vs.huawei_aksk(req, "not-the-secret", AK)[0]


def test_huawei_token_job_image_chain(capture_server):
    """The default responder is consistent: token -> create -> job -> the same image id in the list."""
    token = sc.iam_create_token_by_password(capture_server.url)
    assert token["x_subject_token"] and token["token"]["project"]["name"] == "cn-north-4"
    job_id = sc.ims_create_image_from_ecs(capture_server.url)["job_id"]
    job = sc.ims_show_job(capture_server.url, job_id)
    assert job["job_id"] == job_id and job["status"] == "SUCCESS"
    image_id = job["entities"]["image_id"]
    assert sc.ims_list_images(capture_server.url, image_id)["images"][0]["id"] == image_id
    assert [r.method + " " + r.path for r in capture_server.requests] == [
        "POST /v3/auth/tokens", "POST /v2/cloudimages/action", f"GET /v1/{HW_PROJECT}/jobs/{job_id}",
        "GET /v2/cloudimages"]


def test_ims_sdk_model_lacks_the_obs_import_fields():
    """Why ims_import_image_from_obs sends a dict body: SDK 3.1.219's models cannot carry these
    documented fields. If this fails after an SDK upgrade, switch sdk_clients to the model."""
    from huaweicloudsdkims.v2 import model as m

    assert "os_type" not in m.CreateImageRequestBody.openapi_types
    assert not {"image_url", "min_disk"} & set(m.CreateDataImage.openapi_types)


# ==========================================================================
# verify_sig against the published vectors in ref/*.md (no capture involved)
# ==========================================================================


def _vector(method, target, headers, body=b""):
    return CapturedRequest(method, target, headers, body)


VECTORS = {
    # ref/alibaba.md TV1-d: captured from the Tea SDK in v2 mode
    "alibaba-v1-TV1-d": (vs.alibaba_v1, "YourAccessKeySecret", "BootMode", _vector(
        "POST", "/?Action=ModifyImageAttribute&Format=json&Version=2014-05-26&Timestamp=2023-10-26T10%3A22%3A32Z"
                "&SignatureNonce=3156853299f313e23d1673dc12e1703d&BootMode=UEFI&DryRun=True"
                "&Features.ImdsSupport=v2&Features.NvmeSupport=supported&ImageId=m-test&RegionId=cn-hangzhou"
                "&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=YourAccessKeyId"
                "&Signature=ZEmicLXDk2WJRhMfUwm0npg%2Bem8%3D",
        [("host", "ecs-cn-hangzhou.aliyuncs.com")])),
    # ref/alibaba.md TV3-a: the official V3 document example
    "alibaba-v3-TV3-a": (vs.alibaba_v3, "YourAccessKeySecret", "RegionId", _vector(
        "POST", "/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        [("host", "ecs.cn-shanghai.aliyuncs.com"), ("x-acs-action", "RunInstances"),
         ("x-acs-version", "2014-05-26"), ("x-acs-date", "2023-10-26T10:22:32Z"),
         ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"), ("x-acs-content-sha256", EMPTY_SHA256),
         ("Authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
                           "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                           "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")])),
    # ref/alibaba.md TV3-d: V3 with the parameters in a form body (date and nonce as in TV3-a)
    "alibaba-v3-TV3-d-form": (vs.alibaba_v3, "YourAccessKeySecret", "ImageId", _vector(
        "POST", "/",
        [("host", "ecs.cn-hangzhou.aliyuncs.com"), ("content-type", "application/x-www-form-urlencoded"),
         ("x-acs-action", "ModifyImageAttribute"), ("x-acs-version", "2014-05-26"),
         ("x-acs-date", "2023-10-26T10:22:32Z"), ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
         ("x-acs-content-sha256", "4c6b049aef450f828ccb12e9ec7dd6532ed65f03278bddd108c751656fbb65fa"),
         ("Authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;"
                           "x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                           "Signature=33b0e6fdb22e8333ab3b03dcee42c25691443ef02fdfcf731296c13b4e179fe7")],
        b"DryRun=true&Features.NvmeSupport=supported&ImageId=m-abc&RegionId=cn-hangzhou")),
    # ref/huawei.md 2.1 V1: GET with query
    "huawei-V1-get": (vs.huawei_aksk, "SKEXAMPLE0000000000000000000000000000001", "name", _vector(
        "GET", "/v2/cloudimages?__imagetype=private&limit=10&name=my%20image",
        [("Content-Type", "application/json"), ("X-Project-Id", HW_PROJECT), ("X-Sdk-Date", "20240101T000000Z"),
         ("Host", "ims.cn-north-4.myhuaweicloud.com"),
         ("Authorization", "SDK-HMAC-SHA256 Access=AKIDEXAMPLE0000000001, SignedHeaders=content-type;host;"
                           "x-project-id;x-sdk-date, Signature=1a5f601792b4b6c9f9a9b101797789ea3fa0ae8aba5d30ddd23678718a4bce9c")])),
    # ref/huawei.md 2.1 V2: POST JSON
    "huawei-V2-post": (vs.huawei_aksk, "SKEXAMPLE0000000000000000000000000000001", "instance_id", _vector(
        "POST", "/v2/cloudimages/action",
        [("Content-Type", "application/json;charset=UTF-8"), ("X-Project-Id", HW_PROJECT),
         ("X-Sdk-Date", "20240101T000000Z"), ("Host", "ims.cn-north-4.myhuaweicloud.com"),
         ("Authorization", "SDK-HMAC-SHA256 Access=AKIDEXAMPLE0000000001, SignedHeaders=content-type;host;"
                           "x-project-id;x-sdk-date, Signature=447b08695873616c323a2df01c43fcead94843116803c22243c111c1cd5e6ad3")],
        b'{"name": "img-from-ecs", "instance_id": "877a2cda-ba63-4e1e-b95f-e67e48b6129a", "description": "test"}')),
    # ref/aws.md section 4: golden EC2 POST vector
    "sigv4-ec2-golden": (vs.sigv4, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "InstanceId", _vector(
        "POST", "/",
        [("Host", "ec2.us-east-1.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
         ("X-Amz-Date", "20150830T123600Z"),
         ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, "
                           "SignedHeaders=content-type;host;x-amz-date, "
                           "Signature=d162d99dbe8b0e02dfc17ef920862358a10ba82fadf5ecefb8e98f2bf6de9def")],
        b"Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=my-ami&NoReboot=true")),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_verify_sig_reproduces_published_vectors(name):
    fn, secret, tamper, req = VECTORS[name]
    ok, want, got = fn(req, secret)
    assert ok, f"{name}:\n expected {want}\n got      {got}"
    assert vs.verify(req, secret)[0]
    assert not fn(vs.tamper_one_byte(req, tamper), secret)[0]
    assert not fn(req, secret + "x")[0]


def test_v3_verifier_rejects_a_body_that_does_not_match_its_hash_header():
    _, secret, _, req = VECTORS["alibaba-v3-TV3-d-form"]
    assert not vs.alibaba_v3(req.replace(body=req.body.replace(b"m-abc", b"m-abd")), secret)[0]


def test_v3_verifier_rejects_a_wrong_hash_header_even_when_consistently_signed():
    """A client that signs the right payload hash but sends a wrong x-acs-content-sha256 header."""
    from types import SimpleNamespace

    from alibabacloud_tea_openapi.utils import Utils

    headers = {"host": "ens.aliyuncs.com", "x-acs-action": "DeleteImage", "x-acs-version": ENS,
               "x-acs-date": "2024-01-02T03:04:05Z", "x-acs-signature-nonce": "n" * 32,
               "x-acs-content-sha256": "0" * 64}
    auth = Utils.get_authorization(SimpleNamespace(method="POST", pathname="/", query={"ImageId": "m-1"},
                                                   headers=headers),
                                   "ACS3-HMAC-SHA256", EMPTY_SHA256, AK, SECRET)
    req = CapturedRequest("POST", "/?ImageId=m-1", [*headers.items(), ("Authorization", auth)], b"")
    ok, want, got = vs.alibaba_v3(req, SECRET, AK)
    assert want == got and not ok
    fixed = dict(headers, **{"x-acs-content-sha256": EMPTY_SHA256})
    auth = Utils.get_authorization(SimpleNamespace(method="POST", pathname="/", query={"ImageId": "m-1"},
                                                   headers=fixed),
                                   "ACS3-HMAC-SHA256", EMPTY_SHA256, AK, SECRET)
    assert vs.alibaba_v3(CapturedRequest("POST", "/?ImageId=m-1", [*fixed.items(), ("Authorization", auth)], b""),
                         SECRET, AK)[0]


# ==========================================================================
# The imgctl runner (no imgctl behaviour is tested here)
# ==========================================================================


def test_a_missing_imgctl_binary_fails_rather_than_skips(monkeypatch, tmp_path):
    import imgctl_bin

    monkeypatch.setenv("IMGCTL_BIN", str(tmp_path / "no-such-imgctl"))
    with pytest.raises(pytest.fail.Exception) as failed:
        imgctl_bin.require_imgctl()
    assert "no-such-imgctl" in str(failed.value)
    fake = tmp_path / "imgctl"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("IMGCTL_BIN", str(fake))
    assert imgctl_bin.require_imgctl() == fake


def test_run_imgctl_finds_binary_and_isolates_environment(monkeypatch, tmp_path):
    import imgctl_bin

    monkeypatch.setenv("IMGCTL_BIN", str(tmp_path / "no-such-imgctl"))
    with pytest.raises(imgctl_bin.ImgctlNotBuilt):
        imgctl_bin.run_imgctl(["--version"])
    fake = tmp_path / "imgctl"
    fake.write_text("#!/bin/sh\necho \"$@|$AWS_ACCESS_KEY_ID|$ALIBABA_CLOUD_ACCESS_KEY_ID|$HOME\"\n")
    fake.chmod(0o755)
    monkeypatch.setenv("IMGCTL_BIN", str(fake))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "developer-real-key")
    r = imgctl_bin.run_imgctl(["image", "describe"], {"ALIBABA_CLOUD_ACCESS_KEY_ID": AK})
    args, aws_key, ali_key, home = r.stdout.strip().split("|")
    assert (r.returncode, args, aws_key, ali_key) == (0, "image describe", "", AK)
    assert "imgctl-home-" in home
