"""imgctl's EC2 provider against software we did not write.

1. moto (a third-party EC2) with SigV4 checking switched on: imgctl creates,
   modifies, describes and waits for an AMI; boto3 checks the result.
2. boto3 and imgctl send the same operations to the capture server: the
   parameter multisets must be equal (order aside), and botocore's own
   SigV4Auth must reproduce every imgctl signature.
3. ImportImage and DescribeImportImageTasks, which moto lacks, against a
   scripted capture server.
"""

from __future__ import annotations

import json
import time

import pytest

import normalize
import sdk_clients as sdk
import verify_sig
from capture import CaptureServer, Response, EC2_XMLNS
from imgctl_bin import run_imgctl
from moto_server import iam_user_with_ec2_policy

REGION = "us-east-1"


def imgctl_ec2(endpoint: str, args, akid: str = sdk.DEMO_ACCESS_KEY_ID, secret: str = sdk.DEMO_SECRET,
               env=None):
    e = {"AWS_ACCESS_KEY_ID": akid, "AWS_SECRET_ACCESS_KEY": secret}
    e.update(env or {})
    return run_imgctl(["--provider", "ec2", "--endpoint-url", endpoint, "--region", REGION, *args], env=e)


def out_json(r) -> dict:
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return json.loads(r.stdout)


# --------------------------------------------------------------------------
# 1. moto, signatures checked
# --------------------------------------------------------------------------


@pytest.fixture
def moto_ec2(moto):
    """(moto, boto3 client, access key id, secret) with signature checks on."""
    akid, secret = iam_user_with_ec2_policy(moto)
    client = sdk.ec2_client(moto.url, akid, secret)
    return moto, client, akid, secret


def test_moto_create_modify_describe_wait(moto_ec2):
    moto, ec2, akid, secret = moto_ec2
    started = time.monotonic()
    instance = ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]

    name = "imgctl web-v1 (ci) [7]/x_y"
    r = imgctl_ec2(moto.url, [
        "create", "--instance-id", instance, "--name", name, "--description", "built by imgctl a&b=c",
        "--no-reboot", "--tag", "team=a&b=c", "--tag", "Name=web",
        "--block-device-mapping", "DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3}",
    ], akid, secret)
    out = out_json(r)
    assert out["provider"] == "ec2" and out["operation"] == "create"
    image_id = out["image_id"]
    assert image_id.startswith("ami-")

    img = ec2.describe_images(ImageIds=[image_id])["Images"][0]
    assert img["Name"] == name
    assert img["Description"] == "built by imgctl a&b=c"
    assert {t["Key"]: t["Value"] for t in img.get("Tags", [])} == {"team": "a&b=c", "Name": "web"}

    # launch permissions: add an account and make public, then take both back
    out_json(imgctl_ec2(moto.url, ["modify", "--image-id", image_id, "--launch-permission-add", "123456789012",
                                   "--make-public"], akid, secret))
    perms = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert {"UserId": "123456789012"} in perms and {"Group": "all"} in perms, perms
    out_json(imgctl_ec2(moto.url, ["modify", "--image-id", image_id, "--launch-permission-remove",
                                   "123456789012", "--make-private"], akid, secret))
    perms = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert perms == [], perms

    # moto accepts (and ignores) a description change: the call must succeed
    out_json(imgctl_ec2(moto.url, ["modify", "--image-id", image_id, "--description", "new"], akid, secret))

    d = out_json(imgctl_ec2(moto.url, ["describe", "--image-id", image_id], akid, secret))
    assert (d["image_id"], d["status"], d["name"]) == (image_id, "available", name)
    w = out_json(imgctl_ec2(moto.url, ["wait", "--image-id", image_id, "--poll-interval", "10ms"], akid, secret))
    assert (w["image_id"], w["status"]) == (image_id, "available")

    # an unknown AMI is moto's InvalidAMIID.NotFound, exit 1
    r = imgctl_ec2(moto.url, ["describe", "--image-id", "ami-00000000"], akid, secret)
    assert r.returncode == 1 and "InvalidAMIID.NotFound" in r.stderr, r.stderr
    print(f"\nmoto create/modify/describe/wait: {time.monotonic() - started:.2f}s")


def test_moto_dry_run_is_success(moto_ec2):
    moto, ec2, akid, secret = moto_ec2
    instance = ec2.run_instances(ImageId="ami-03cf127a", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    r = imgctl_ec2(moto.url, ["create", "--instance-id", instance, "--name", "dry-one", "--dry-run"], akid, secret)
    out = out_json(r)
    assert out["dry_run"] is True and "image_id" not in out
    assert ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": ["dry-one"]}])["Images"] == []


def test_moto_wrong_secret_is_auth_failure(moto_ec2):
    moto, _, akid, secret = moto_ec2
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    r = imgctl_ec2(moto.url, ["describe", "--image-id", "ami-00000000"], akid, wrong)
    assert r.returncode == 4, r.stderr
    assert "AuthFailure" in r.stderr
    assert wrong not in r.stderr and wrong not in r.stdout


def test_moto_unknown_instance_hint(moto_ec2):
    moto, _, akid, secret = moto_ec2
    r = imgctl_ec2(moto.url, ["create", "--instance-id", "i-0000000000000000f", "--name", "nothing"], akid, secret)
    assert r.returncode == 1, r.stderr
    assert "InvalidInstanceID.NotFound" in r.stderr and "hint:" in r.stderr, r.stderr


# --------------------------------------------------------------------------
# 2. boto3 vs imgctl on the capture server
# --------------------------------------------------------------------------


def both(boto_call, imgctl_args):
    """Send with boto3, then with imgctl; return (boto3 request, imgctl requests)."""
    with CaptureServer() as srv:
        boto_call(srv.url)
        boto_req = srv.take()
        assert len(boto_req) == 1
        r = imgctl_ec2(srv.url, imgctl_args)
        assert r.returncode == 0, r.stderr
        ours = srv.take()
    for req in ours:
        ok, expected, got = verify_sig.sigv4(req, sdk.DEMO_SECRET, sdk.DEMO_ACCESS_KEY_ID)
        assert ok, f"botocore computes\n  {expected}\nimgctl sent\n  {got}"
    return boto_req[0], ours


def assert_same_params(boto_req, ours):
    want, got = normalize.ec2(boto_req), normalize.ec2(ours)
    assert got == want, (f"only boto3: {sorted((want - got).elements())}\n"
                         f"only imgctl: {sorted((got - want).elements())}")


def test_create_image_same_as_boto3():
    boto, ours = both(sdk.ec2_create_image, [
        "create", "--instance-id", sdk.EC2_INSTANCE_ID, "--name", sdk.EC2_IMAGE_NAME,
        "--description", sdk.DESCRIPTION, "--no-reboot",
        "--block-device-mapping",
        '{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", '
        '"DeleteOnTermination": true, "Encrypted": false}}',
        "--block-device-mapping", 'DeviceName=/dev/sdb,NoDevice=""',
        "--tag", f"Name={sdk.NAME_ZH}", "--tag", "team=a&b=c", "--snapshot-tag", "Name=web-v1-root",
    ])
    assert len(ours) == 1
    assert_same_params(boto, ours[0])


def test_create_image_every_block_device_field_same_as_boto3():
    kms = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    def boto(url):
        sdk.ec2_client(url).create_image(
            InstanceId=sdk.EC2_INSTANCE_ID, Name="every field", DryRun=True,
            BlockDeviceMappings=[
                {"DeviceName": "/dev/sdc", "Ebs": {
                    "SnapshotId": "snap-0123456789abcdef0", "VolumeSize": 100, "VolumeType": "gp3",
                    "Iops": 3000, "Throughput": 250, "KmsKeyId": kms, "Encrypted": True,
                    "DeleteOnTermination": False}},
                {"DeviceName": "/dev/sdd", "VirtualName": "ephemeral0"},
            ])

    def dry_run_responder(req):
        return Response.xml('<Response><Errors><Error><Code>DryRunOperation</Code><Message>Request would have '
                            'succeeded, but DryRun flag is set.</Message></Error></Errors>'
                            '<RequestID>dry-1</RequestID></Response>', status=412)

    with CaptureServer(responder=dry_run_responder) as srv:
        with pytest.raises(Exception, match="DryRunOperation"):
            boto(srv.url)  # boto3, like the AWS CLI, reports a good dry run as an error
        boto_req = srv.take()[0]
        r = imgctl_ec2(srv.url, [
            "create", "--instance-id", sdk.EC2_INSTANCE_ID, "--name", "every field", "--dry-run",
            "--block-device-mapping",
            f"device=/dev/sdc,snapshot-id=snap-0123456789abcdef0,size=100,type=gp3,iops=3000,"
            f"throughput=250,kms-key-id={kms},encrypted=true,delete-on-termination=false",
            "--block-device-mapping", "DeviceName=/dev/sdd,VirtualName=ephemeral0",
        ])
        out = out_json(r)
        assert out["dry_run"] is True and out["request_id"] == "dry-1"
        ours = srv.take()
    assert len(ours) == 1
    assert verify_sig.sigv4(ours[0], sdk.DEMO_SECRET)[0]
    assert_same_params(boto_req, ours[0])


@pytest.mark.parametrize("form,args", [
    ("description", ["--description", sdk.DESCRIPTION]),
    ("launch-permission", ["--launch-permission-add", "123456789012", "--make-public",
                           "--launch-permission-remove", "210987654321"]),
    ("imds-support", ["--imds-support", "v2.0"]),
])
def test_modify_image_attribute_same_as_boto3(form, args):
    boto, ours = both(lambda url: sdk.ec2_modify_image_attribute(url, form),
                      ["modify", "--image-id", sdk.EC2_IMAGE_ID, *args])
    assert len(ours) == 1
    assert_same_params(boto, ours[0])


def test_make_private_same_as_boto3():
    boto, ours = both(
        lambda url: sdk.ec2_client(url).modify_image_attribute(
            ImageId=sdk.EC2_IMAGE_ID, LaunchPermission={"Remove": [{"Group": "all"}]}),
        ["modify", "--image-id", sdk.EC2_IMAGE_ID, "--make-private"])
    assert_same_params(boto, ours[0])


def test_modify_several_attributes_is_one_boto3_call_each():
    with CaptureServer() as srv:
        for form in ("description", "imds-support"):
            sdk.ec2_modify_image_attribute(srv.url, form)
        boto_reqs = srv.take()
        r = imgctl_ec2(srv.url, ["modify", "--image-id", sdk.EC2_IMAGE_ID, "--imds-support", "v2.0",
                                 "--description", sdk.DESCRIPTION])
        assert r.returncode == 0, r.stderr
        assert "2 calls" in r.stderr
        ours = srv.take()
    assert [normalize.ec2(x) for x in ours] == [normalize.ec2(x) for x in boto_reqs]


def test_import_image_same_as_boto3():
    def boto(url):
        sdk.ec2_client(url).import_image(
            Description=sdk.DESCRIPTION,
            DiskContainers=[
                {"Format": "VMDK", "UserBucket": {"S3Bucket": "my-import-bucket", "S3Key": "images/web v1/disk1.vmdk"}},
                {"Format": "RAW", "UserBucket": {"S3Bucket": "my-import-bucket", "S3Key": "images/web v1/disk2.raw"}},
            ],
            Architecture="x86_64", Platform="Linux", LicenseType="BYOL", BootMode="uefi", RoleName="vmimport",
            TagSpecifications=[{"ResourceType": "import-image-task",
                                "Tags": [{"Key": "Name", "Value": sdk.EC2_IMAGE_NAME},
                                         {"Key": "team", "Value": sdk.NAME_ZH}]}],
            ClientToken=sdk.EC2_CLIENT_TOKEN)

    boto_req, ours = both(boto, [
        "import", "--url", "s3://my-import-bucket/images/web v1/disk1.vmdk",
        "--disk", "s3://my-import-bucket/images/web v1/disk2.raw",
        "--name", sdk.EC2_IMAGE_NAME, "--tag", f"team={sdk.NAME_ZH}", "--description", sdk.DESCRIPTION,
        "--architecture", "x86_64", "--platform", "Linux", "--license-type", "BYOL", "--boot-mode", "uefi",
        "--role-name", "vmimport", "--client-token", sdk.EC2_CLIENT_TOKEN,
    ])
    assert len(ours) == 1
    assert_same_params(boto_req, ours[0])


def test_describe_images_same_as_boto3():
    boto, ours = both(lambda url: sdk.ec2_client(url).describe_images(ImageIds=[sdk.EC2_IMAGE_ID]),
                      ["describe", "--image-id", sdk.EC2_IMAGE_ID])
    assert_same_params(boto, ours[0])


def test_describe_import_image_tasks_same_as_boto3():
    # imgctl wait --task-id: DescribeImportImageTasks, then DescribeImages of the task's image
    boto, ours = both(
        lambda url: sdk.ec2_client(url).describe_import_image_tasks(ImportTaskIds=[sdk.EC2_IMPORT_TASK_ID]),
        ["wait", "--task-id", sdk.EC2_IMPORT_TASK_ID, "--poll-interval", "10ms"])
    assert [dict(x.form())["Action"] for x in ours] == ["DescribeImportImageTasks", "DescribeImages"]
    assert_same_params(boto, ours[0])


def test_verifier_rejects_a_tampered_imgctl_request():
    """The signature check above can fail: one changed byte and botocore disagrees."""
    with CaptureServer() as srv:
        assert imgctl_ec2(srv.url, ["describe", "--image-id", sdk.EC2_IMAGE_ID]).returncode == 0
        req = srv.last()
    assert verify_sig.sigv4(req, sdk.DEMO_SECRET)[0]
    assert not verify_sig.sigv4(verify_sig.tamper_one_byte(req, "ImageId.1"), sdk.DEMO_SECRET)[0]
    assert not verify_sig.sigv4(req, sdk.DEMO_SECRET + "x")[0]


def test_session_token_signature_verified_by_botocore():
    with CaptureServer() as srv:
        r = imgctl_ec2(srv.url, ["describe", "--image-id", sdk.EC2_IMAGE_ID],
                       env={"AWS_SESSION_TOKEN": "FQoGZXIvYXdzEXAMPLE/TOKEN=="})
        assert r.returncode == 0, r.stderr
        req = srv.last()
    assert req.header("x-amz-security-token") == "FQoGZXIvYXdzEXAMPLE/TOKEN=="
    ok, expected, got = verify_sig.sigv4(req, sdk.DEMO_SECRET)
    assert ok and "x-amz-security-token" in got, (expected, got)


# --------------------------------------------------------------------------
# 3. Import tasks against a scripted server (moto has no VM Import)
# --------------------------------------------------------------------------


def _ec2_xml(action: str, inner: str) -> Response:
    return Response.xml(f'<{action}Response xmlns="{EC2_XMLNS}"><requestId>r-{action}</requestId>'
                        f'{inner}</{action}Response>')


class ImportScript:
    """ImportImage -> a task that is active twice, then completes (or is deleted)."""

    def __init__(self, end: str = "completed"):
        self.end = end
        self.polls = 0

    def __call__(self, req):
        action = dict(req.form()).get("Action")
        if action == "ImportImage":
            return _ec2_xml(action, "<importTaskId>import-ami-0feedbeef0000001</importTaskId>"
                                    "<status>active</status><statusMessage>pending</statusMessage><progress>2</progress>")
        if action == "DescribeImportImageTasks":
            self.polls += 1
            if self.polls <= 2:
                state = f"<status>active</status><statusMessage>converting</statusMessage><progress>{20 * self.polls}</progress>"
            elif self.end == "completed":
                state = "<status>completed</status><imageId>ami-0feedbeef0000001</imageId>"
            else:
                state = "<status>deleted</status><statusMessage>ClientError: Unknown OS / Missing OS files.</statusMessage>"
            return _ec2_xml(action, "<importImageTaskSet><item><importTaskId>import-ami-0feedbeef0000001</importTaskId>"
                                    f"{state}</item></importImageTaskSet>")
        return None  # DescribeImages: the default says available


def test_import_wait_follows_task_to_available_image():
    script = ImportScript()
    with CaptureServer(responder=script) as srv:
        r = imgctl_ec2(srv.url, ["import", "--url", "s3://my-import-bucket/disk.vmdk", "--name", "base-2026",
                                 "--wait", "--poll-interval", "10ms"])
        out = out_json(r)
        reqs = srv.requests
    assert out["task_id"] == "import-ami-0feedbeef0000001"
    assert out["image_id"] == "ami-0feedbeef0000001" and out["status"] == "available"
    assert [dict(x.form())["Action"] for x in reqs] == [
        "ImportImage", "DescribeImportImageTasks", "DescribeImportImageTasks", "DescribeImportImageTasks",
        "DescribeImages"]
    token = dict(reqs[0].form())["ClientToken"]
    assert token.startswith("imgctl-")
    # boto3 reads the very answers we scripted the same way imgctl did
    with CaptureServer(responder=ImportScript()) as srv:
        c = sdk.ec2_client(srv.url)
        task = c.import_image(DiskContainers=[{"UserBucket": {"S3Bucket": "b", "S3Key": "k"}}])
        assert task["ImportTaskId"] == out["task_id"]
        for _ in range(3):
            t = c.describe_import_image_tasks(ImportTaskIds=[task["ImportTaskId"]])["ImportImageTasks"][0]
        assert (t["Status"], t["ImageId"]) == ("completed", out["image_id"])


def test_import_task_deleted_exits_7():
    with CaptureServer(responder=ImportScript(end="deleted")) as srv:
        r = imgctl_ec2(srv.url, ["wait", "--task-id", "import-ami-0feedbeef0000001", "--poll-interval", "10ms"])
    assert r.returncode == 7, r.stderr
    assert "Unknown OS" in r.stderr
    assert json.loads(r.stdout)["status"] == "deleted"
