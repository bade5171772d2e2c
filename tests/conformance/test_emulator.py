"""The official SDKs against `imgctl emulator` (DESIGN.md sections 6 and 7.4).

The emulator and imgctl share our own signing code, so imgctl succeeding
against it proves little.  Here software we did not write -- boto3, the AWS
CLI, the Alibaba Tea SDKs (V3 and v2 signatures), the Huawei IAM and IMS
SDKs -- drives it, unmodified but for the endpoint and the demo identity,
and must (a) get through, (b) parse every answer, (c) watch the life cycles
advance, and (d) be refused with a wrong secret.

The emulator runs with --speed 0: every describe moves an image one phase
on, so the life cycles are seen in order without sleeping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import sdk_clients as s
from imgctl_bin import imgctl_env, require_imgctl

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def emulator_url():
    exe = require_imgctl()
    proc = subprocess.Popen([str(exe), "emulator", "--speed", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=imgctl_env())
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() is not None else "")
        yield line
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def admin(url: str, path: str, body=None, method: str = "POST"):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def emu(emulator_url):
    admin(emulator_url, "/__imgctl/reset")
    return emulator_url


# --------------------------------------------------------------- Alibaba


@pytest.mark.parametrize("sig", ["v3", "v2"])
def test_ens_create_import_describe_modify(emu, sig):
    from alibabacloud_ens20171110 import models as m

    imported = s.ens_import_image(emu, sig)
    assert imported["ImageId"].startswith("m-") and imported["RequestId"]
    # Both SDK calls use the same name: a fresh state for the create.
    admin(emu, "/__imgctl/reset")
    created = s.ens_create_image(emu, sig)
    assert created["Code"] == 0 and created["ImageId"].startswith("m-") and created["RequestId"]

    client = s._ens(emu, sig)
    seen = []
    for _ in range(6):
        body = client.describe_self_images(m.DescribeSelfImagesRequest(image_id=created["ImageId"])).body
        [img] = [i for i in body.images.image if i.image_id == created["ImageId"]]
        seen.append(img.status)
        if img.status == "Available":
            break
    assert seen == ["Creating", "Packing", "Uploading", "Available"]
    assert body.total_count == "1" and img.image_name == s.NAME_ZH and img.instance_id == s.ENS_INSTANCE_ID

    # The seeded image: the SDK's own describe and rename.
    described = s.ens_describe_self_images(emu, sig)
    assert [i["ImageId"] for i in described["Images"]["Image"]] == [s.ENS_IMAGE_ID]
    assert s.ens_modify_image_attribute(emu, sig)["Code"] == 0
    again = client.describe_self_images(m.DescribeSelfImagesRequest(image_id=s.ENS_IMAGE_ID)).body
    assert again.images.image[0].image_name == s.NAME_ZH + "-renamed"


@pytest.mark.parametrize("sig", ["v3", "v2"])
def test_ens_duplicate_name_is_refused(emu, sig):
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    s.ens_create_image(emu, sig)
    with pytest.raises(AlibabaCloudException) as err:
        s.ens_create_image(emu, sig)
    assert err.value.code == "InvalidImageName.Duplicated"
    assert err.value.data["RequestId"] and err.value.data["HostId"] and err.value.data["Recommend"]


@pytest.mark.parametrize("sig", ["v3", "v2"])
def test_ecs_create_describe_modify(emu, sig):
    from alibabacloud_ecs20140526 import models as m
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    # The SDK's describe of the seeded image, and its DryRun modify (which
    # checks the new name too, so it comes before the create that takes it).
    described = s.ecs_describe_images(emu, sig)
    assert described["Images"]["Image"][0]["ImageId"] == s.ECS_IMAGE_ID
    with pytest.raises(AlibabaCloudException) as err:
        s.ecs_modify_image_attribute(emu, sig)
    assert err.value.code == "DryRunOperation"

    client = s._ecs(emu, sig)
    image_id = s.ecs_create_image(emu, sig)["ImageId"]
    # Same ClientToken, same parameters: the same image, not a second one.
    assert s.ecs_create_image(emu, sig)["ImageId"] == image_id

    # DescribeImages defaults to Status=Available: a creating image is invisible.
    default = client.describe_images(m.DescribeImagesRequest(region_id=s.ECS_REGION, image_id=image_id)).body
    assert default.total_count == 0
    seen = []
    for _ in range(5):
        body = client.describe_images(m.DescribeImagesRequest(
            region_id=s.ECS_REGION, image_id=image_id, image_owner_alias="self",
            status="Creating,Available")).body
        img = body.images.image[0]
        seen.append((img.status, img.progress))
        if img.status == "Available":
            break
    assert seen[-1] == ("Available", "100%") and seen[0][0] == "Creating"

    client.modify_image_attribute(m.ModifyImageAttributeRequest(
        region_id=s.ECS_REGION, image_id=image_id, description=s.DESCRIPTION, status="Deprecated",
        features=m.ModifyImageAttributeRequestFeatures(imds_support="v2")))
    body = client.describe_images(m.DescribeImagesRequest(
        region_id=s.ECS_REGION, image_id=image_id, status="Deprecated")).body
    assert body.images.image[0].description == s.DESCRIPTION
    assert body.images.image[0].features.imds_support == "v2"
    with pytest.raises(AlibabaCloudException) as err:
        client.modify_image_attribute(m.ModifyImageAttributeRequest(
            region_id=s.ECS_REGION, image_id=image_id,
            features=m.ModifyImageAttributeRequestFeatures(imds_support="v1")))
    assert err.value.code == "InvalidOperation.FeaturesImdsSupportNotMatch"


def test_ecs_modify_while_creating(emu):
    from alibabacloud_ecs20140526 import models as m
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    image_id = s.ecs_import_image(emu)["ImageId"]
    with pytest.raises(AlibabaCloudException) as err:
        s._ecs(emu, "v3").modify_image_attribute(m.ModifyImageAttributeRequest(
            region_id=s.ECS_REGION, image_id=image_id, image_name="renamed"))
    assert err.value.code == "InvalidStatus.ImageIsCreating"


@pytest.mark.parametrize("sig", ["v3", "v2"])
@pytest.mark.parametrize("op", ["ens_describe_self_images", "ecs_describe_images"])
def test_alibaba_wrong_secret_is_refused(emu, sig, op, monkeypatch):
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    monkeypatch.setattr(s, "DEMO_SECRET", "not-the-secret")
    with pytest.raises(AlibabaCloudException) as err:
        s.ALIBABA_OPS[op](emu, sig)
    assert err.value.code == "SignatureDoesNotMatch" and err.value.status_code == 400


def test_alibaba_unknown_key_is_refused(emu, monkeypatch):
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    monkeypatch.setattr(s, "DEMO_ACCESS_KEY_ID", "LTAI-unknown")
    with pytest.raises(AlibabaCloudException) as err:
        s.ens_describe_self_images(emu)
    assert err.value.code == "InvalidAccessKeyId.NotFound" and err.value.status_code == 404


def test_alibaba_throttle_fault(emu):
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

    admin(emu, "/__imgctl/faults", {"provider": "ens", "operation": "DescribeSelfImages",
                                    "kind": "throttle", "count": 1, "retry_after_ms": 1500})
    with pytest.raises(AlibabaCloudException) as err:
        s.ens_describe_self_images(emu)
    # The Tea SDK turns x-acs-retry-after into a ThrottlingException with the hint.
    assert type(err.value).__name__ == "ThrottlingException"
    assert err.value.code == "Throttling.User" and err.value.retry_after == 1500
    assert s.ens_describe_self_images(emu)["Code"] == 0
    calls = [c for c in admin(emu, "/__imgctl/calls", method="GET") if c["operation"] == "DescribeSelfImages"]
    assert [c.get("fault") for c in calls] == ["throttle", None]


# --------------------------------------------------------------- AWS


def test_boto3_create_wait_modify(emu):
    c = s.ec2_client(emu)
    image_id = s.ec2_create_image(emu, client=c)["ImageId"]
    assert image_id.startswith("ami-")
    first = c.describe_images(ImageIds=[image_id])["Images"][0]
    assert first["State"] == "pending" and first["Name"] == s.EC2_IMAGE_NAME
    assert {"Key": "Name", "Value": s.NAME_ZH} in first["Tags"]
    c.get_waiter("image_available").wait(ImageIds=[image_id], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert c.describe_images(ImageIds=[image_id])["Images"][0]["State"] == "available"

    c.modify_image_attribute(ImageId=image_id, Description={"Value": s.DESCRIPTION})
    c.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": "123456789012"}]})
    assert c.describe_image_attribute(ImageId=image_id, Attribute="description")["Description"]["Value"] \
        == s.DESCRIPTION
    perms = c.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert perms == [{"UserId": "123456789012"}]

    # The SDK's own forms of ModifyImageAttribute on the seeded AMI.
    for form in s.EC2_MODIFY_FORMS:
        s.ec2_modify_image_attribute(emu, form, client=c)

    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as err:
        s.ec2_create_image(emu, client=c)
    assert err.value.response["Error"]["Code"] == "InvalidAMIName.Duplicate"
    with pytest.raises(ClientError) as err:
        c.create_image(InstanceId=s.EC2_INSTANCE_ID, Name="dry-run-ami", DryRun=True)
    assert err.value.response["Error"]["Code"] == "DryRunOperation"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with pytest.raises(ClientError) as err:
        c.describe_images(ImageIds=["ami-00000000000000000"])
    assert err.value.response["Error"]["Code"] == "InvalidAMIID.NotFound"


def test_boto3_run_instances_then_image(emu):
    c = s.ec2_client(emu)
    inst = c.run_instances(ImageId=s.EC2_IMAGE_ID, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    iid = inst["Instances"][0]["InstanceId"]
    assert c.create_image(InstanceId=iid, Name="from-run-instances")["ImageId"].startswith("ami-")


def test_boto3_import_image_task(emu):
    c = s.ec2_client(emu)
    task = s.ec2_import_image(emu, client=c)
    assert task["Status"] == "active" and task["ImportTaskId"].startswith("import-ami-")
    states = []
    for _ in range(5):
        t = c.describe_import_image_tasks(ImportTaskIds=[task["ImportTaskId"]])["ImportImageTasks"][0]
        states.append(t["Status"])
        if t["Status"] == "completed":
            break
    assert states[0] == "active" and states[-1] == "completed"
    assert c.describe_images(ImageIds=[t["ImageId"]])["Images"][0]["State"] == "available"
    assert s.ec2_describe_import_image_tasks(emu, client=c)["ImportImageTasks"][0]["Status"] == "completed"


def test_boto3_wrong_secret_is_refused(emu):
    from botocore.exceptions import ClientError

    c = s.ec2_client(emu, secret="not-the-secret")
    with pytest.raises(ClientError) as err:
        c.describe_images(ImageIds=[s.EC2_IMAGE_ID])
    assert err.value.response["Error"]["Code"] == "AuthFailure"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def _aws(emu, *args, secret=s.DEMO_SECRET):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=s.DEMO_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY=secret,
               AWS_DEFAULT_REGION=s.AWS_REGION, AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true")
    return subprocess.run([str(VENV_BIN / "aws"), "ec2", *args, "--endpoint-url", emu],
                          capture_output=True, text=True, env=env, timeout=120)


def test_aws_cli_create_image(emu):
    r = _aws(emu, "create-image", "--instance-id", s.EC2_INSTANCE_ID, "--name", "cli-ami",
             "--description", "from cli", "--no-reboot",
             "--block-device-mappings", "DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3}",
             "--tag-specifications", "ResourceType=image,Tags=[{Key=Name,Value=cli-ami}]")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ImageId"].startswith("ami-")
    bad = _aws(emu, "describe-images", "--image-ids", s.EC2_IMAGE_ID, secret="wrong")
    assert bad.returncode == 255 and "AuthFailure" in bad.stderr


# --------------------------------------------------------------- Huawei


def test_iam_token_by_password_then_ims_with_token(emu):
    tok = s.iam_create_token_by_password(emu)
    assert tok["x_subject_token"] and tok["token"]["project"]["id"] == s.HUAWEI_PROJECT_ID
    # The token works on IMS in place of a signature (plain HTTP: the SDK has no token mode).
    req = urllib.request.Request(f"{emu}/v1/{s.HUAWEI_PROJECT_ID}/jobs/{s.HW_JOB_ID}",
                                 headers={"X-Auth-Token": tok["x_subject_token"]})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert json.loads(r.read())["status"] == "SUCCESS"


def test_iam_wrong_password_is_refused(emu):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    with pytest.raises(ClientRequestException) as err:
        s.iam_create_token_by_password(emu, password="not-the-password")
    assert err.value.status_code == 401


def test_iam_wrong_secret_is_refused(emu):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkiam.v3 import model as m

    ok = s.iam_client(emu).keystone_list_projects(m.KeystoneListProjectsRequest(name=s.HUAWEI_REGION))
    assert ok.projects[0].id == s.HUAWEI_PROJECT_ID
    with pytest.raises(ClientRequestException) as err:
        s.iam_client(emu, sk="not-the-secret").keystone_list_projects(
            m.KeystoneListProjectsRequest(name=s.HUAWEI_REGION))
    assert err.value.status_code == 401 and err.value.error_code == "APIGW.0301"


def test_ims_create_then_show_job_until_success(emu):
    job_id = s.ims_create_image_from_ecs(emu)["job_id"]
    statuses = []
    for _ in range(5):
        job = s.ims_show_job(emu, job_id)
        statuses.append(job["status"])
        if job["status"] == "SUCCESS":
            break
    assert statuses == ["INIT", "RUNNING", "SUCCESS"]
    image_id = job["entities"]["image_id"]
    [img] = s.ims_list_images(emu, image_id)["images"]
    assert img["status"] == "active" and img["name"] == s.NAME_ZH

    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

    with pytest.raises(ClientRequestException) as err:
        s.ims_create_image_from_ecs(emu)
    assert err.value.error_code == "IMG.0009"


def test_ims_import_quick_import_and_patch(emu):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkims.v2 import model as m

    assert s.ims_import_image_from_obs(emu)["job_id"]
    admin(emu, "/__imgctl/reset")  # both SDK calls use the same image name
    assert s.ims_quick_import(emu)["job_id"]
    patched = s.ims_update_image(emu)
    assert patched["name"] == s.NAME_ZH + "-renamed"
    # replace of an attribute the image never had is IMG.0035 (add works).
    with pytest.raises(ClientRequestException) as err:
        s.ims_client(emu).update_image(m.UpdateImageRequest(
            image_id=s.HW_IMAGE_ID, body=[m.UpdateImageRequestBody(op="replace", path="/max_ram", value="4096")]))
    assert err.value.error_code == "IMG.0035"


def test_ims_wrong_secret_is_refused(emu):
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkims.v2 import model as m

    with pytest.raises(ClientRequestException) as err:
        s.ims_client(emu, sk="not-the-secret").list_images(m.ListImagesRequest(id=s.HW_IMAGE_ID))
    assert err.value.status_code == 401 and err.value.error_code == "APIGW.0301"
