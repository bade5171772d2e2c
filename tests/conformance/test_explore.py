"""The emulator explored with the clouds' own tools (issue 15): boto3, the
AWS CLI and the Alibaba ECS and ENS SDKs list its instances with
DescribeInstances, as a person or a script would to find an id to image,
without reading our docs.  The SDKs parse the answers with their own
models, so a shape that differs from the cloud's fails here.
"""

from __future__ import annotations

import json
import subprocess

import pytest

import sdk_clients as s
from imgctl_bin import ImgctlNotBuilt, find_imgctl, imgctl_env
from test_emulator import _aws, admin, emulator_url  # noqa: F401 (fixture)

SEEDED = {
    "ens": ["i-5rr1bnyrc4tswr8cq3w6y", "i-demo-ens"],
    "ecs": ["i-bp67acfmxazb4p****", "i-demo-ecs"],
    "ec2": ["i-1234567890abcdef0", "i-0demo00000000000a"],
}


@pytest.fixture
def emu(emulator_url):  # noqa: F811
    admin(emulator_url, "/__imgctl/reset")
    return emulator_url


def test_boto3_describe_instances_lists_seeded_and_launched(emu):
    c = s.ec2_client(emu)
    r = c.describe_instances()
    ids = [i["InstanceId"] for res in r["Reservations"] for i in res["Instances"]]
    assert ids == SEEDED["ec2"]
    first = r["Reservations"][0]
    assert first["ReservationId"].startswith("r-") and first["OwnerId"]
    assert first["Instances"][0]["State"] == {"Code": 16, "Name": "running"}

    made = c.run_instances(ImageId=s.EC2_IMAGE_ID, MinCount=1, MaxCount=1, InstanceType="t3.nano")
    new_id = made["Instances"][0]["InstanceId"]
    r = c.describe_instances(InstanceIds=[new_id])
    [[inst]] = [res["Instances"] for res in r["Reservations"]]
    assert (inst["InstanceId"], inst["ImageId"], inst["InstanceType"]) == (new_id, s.EC2_IMAGE_ID, "t3.nano")

    by_filter = c.describe_instances(Filters=[{"Name": "instance-id", "Values": ["i-0demo*"]}])
    assert [i["InstanceId"] for res in by_filter["Reservations"] for i in res["Instances"]] == [SEEDED["ec2"][1]]
    # The paginator (what scripts use) walks it too, page by page.
    c.run_instances(ImageId=s.EC2_IMAGE_ID, MinCount=4, MaxCount=4)
    pages = list(c.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
    assert [len(p["Reservations"]) for p in pages] == [5, 2]
    assert len({i["InstanceId"] for p in pages for res in p["Reservations"] for i in res["Instances"]}) == 7

    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as err:
        c.describe_instances(InstanceIds=["i-0000000000000dead"])
    assert err.value.response["Error"]["Code"] == "InvalidInstanceID.NotFound"


def test_aws_cli_describe_instances(emu):
    r = _aws(emu, "describe-instances", "--query", "Reservations[].Instances[].InstanceId")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == SEEDED["ec2"]


@pytest.mark.parametrize("sig", ["v3", "v2"])
def test_ecs_sdk_describe_instances(emu, sig):
    from alibabacloud_ecs20140526 import models as m

    c = s._ecs(emu, sig)
    body = c.describe_instances(m.DescribeInstancesRequest(region_id=s.ECS_REGION)).body
    assert [i.instance_id for i in body.instances.instance] == SEEDED["ecs"]
    assert body.total_count == 2 and body.instances.instance[0].status == "Running"
    assert body.instances.instance[0].region_id == s.ECS_REGION
    one = c.describe_instances(m.DescribeInstancesRequest(
        region_id=s.ECS_REGION, instance_ids=json.dumps(["i-demo-ecs"]))).body
    assert [i.instance_id for i in one.instances.instance] == ["i-demo-ecs"]


@pytest.mark.parametrize("sig", ["v3", "v2"])
def test_ens_sdk_describe_instances(emu, sig):
    from alibabacloud_ens20171110 import models as m

    c = s._ens(emu, sig)
    body = c.describe_instances(m.DescribeInstancesRequest()).body
    assert [i.instance_id for i in body.instances.instance] == SEEDED["ens"]
    assert body.code == 0 and body.total_count == 2 and body.page_number == 1
    assert body.instances.instance[0].status == "Running"
    one = c.describe_instances(m.DescribeInstancesRequest(instance_id="i-demo-ens")).body
    assert [i.instance_id for i in one.instances.instance] == ["i-demo-ens"]


def test_emulator_banner_names_the_seeded_ids():
    try:
        exe = find_imgctl()
    except ImgctlNotBuilt as exc:
        pytest.skip(str(exc))
    proc = subprocess.Popen([str(exe), "emulator"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=imgctl_env())
    try:
        lines = [proc.stdout.readline() for _ in range(12)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    banner = "".join(lines)
    for ids in SEEDED.values():
        for i in ids:
            assert i in banner, banner
