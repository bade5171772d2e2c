"""moto with signature checks on: proves the ref/aws.md section 6 recipe.

This is the server imgctl's EC2 backend will be run against ("imgctl must
succeed against moto"), so the recipe must really turn verification on:
the good key works, a wrong secret is refused.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import sdk_clients as sc
from moto_server import iam_user_with_ec2_policy


def _error(call):
    with pytest.raises(ClientError) as exc:
        call()
    return exc.value.response["Error"]["Code"], exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_moto_checks_signatures_after_the_recipe(moto):
    akid, secret = iam_user_with_ec2_policy(moto)
    assert akid != sc.DEMO_ACCESS_KEY_ID and secret

    good = sc.ec2_client(moto.url, akid, secret)
    reservation = good.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro")
    instance_id = reservation["Instances"][0]["InstanceId"]
    image_id = good.create_image(InstanceId=instance_id, Name="imgctl-moto-check", NoReboot=True,
                                 Description=sc.DESCRIPTION)["ImageId"]
    assert image_id.startswith("ami-")
    image, = good.describe_images(ImageIds=[image_id])["Images"]
    assert (image["Name"], image["State"]) == ("imgctl-moto-check", "available")

    wrong_secret = sc.ec2_client(moto.url, akid, secret[:-1] + ("x" if secret[-1] != "x" else "y"))
    assert _error(lambda: wrong_secret.describe_images(ImageIds=[image_id])) == ("AuthFailure", 401)
    assert _error(lambda: wrong_secret.create_image(InstanceId=instance_id, Name="not-allowed")) == \
        ("AuthFailure", 401)
    # the demo key that works without checks is now refused too
    demo = sc.ec2_client(moto.url)
    code, status = _error(lambda: demo.describe_images(ImageIds=[image_id]))
    assert status in (401, 403) and code in ("AuthFailure", "InvalidClientTokenId")


def test_moto_accepts_anything_without_the_recipe(moto):
    """The control: with checks off (the default) even a made-up key works."""
    ec2 = sc.ec2_client(moto.url, "made-up", "made-up")
    instance_id = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert ec2.create_image(InstanceId=instance_id, Name="no-auth-image")["ImageId"].startswith("ami-")
