"""Send each image operation with the OFFICIAL SDK to a given endpoint.

Every function takes the endpoint as ``http://127.0.0.1:PORT`` (a capture
server, ``imgctl emulator`` or anything else that speaks the API), uses the
fixed demo identity of DESIGN.md section 6 and realistic inputs (a Chinese
image name, a description with spaces and ``&=*~/``), and returns what the
SDK parsed from the answer (a plain dict).

Alibaba functions take ``signature="v3"`` (the Tea SDK default,
ACS3-HMAC-SHA256, parameters in the query, empty POST body) or
``signature="v2"`` (``Config(signature_algorithm='v2')``: the classic RPC
HMAC-SHA1 signature in the query).

The inputs are module constants so that tests can assert the wire values
against them.  No call retries (every SDK is configured for one attempt),
so one call is exactly one request.
"""

from __future__ import annotations

import json
from typing import Callable, Dict
from urllib.parse import urlsplit

# --------------------------------------------------------------------------
# Demo identity (DESIGN.md section 6) and realistic inputs
# --------------------------------------------------------------------------

DEMO_ACCESS_KEY_ID = "imgctl-demo"
DEMO_SECRET = "imgctl-demo-secret"
AWS_REGION = "us-east-1"
HUAWEI_PROJECT_ID = "0123456789abcdef0123456789abcdef"
HUAWEI_USER = "demo"
HUAWEI_PASSWORD = DEMO_SECRET
HUAWEI_DOMAIN = "demo"
HUAWEI_REGION = "cn-north-4"

NAME_ZH = "网站镜像-v1"                          # Chinese image name
DESCRIPTION = "nightly build a&b=c *~/ 2026 版"  # spaces and & = * ~ / (and CJK)
ECS_REGION = "cn-hangzhou"

# ENS
ENS_INSTANCE_ID = "i-5rr1bnyrc4tswr8cq3w6y"
ENS_SNAPSHOT_ID = "sp-5rr1bnyrc4tswr8cq3w6z"
ENS_IMAGE_ID = "m-5xxggsu4qy1bzvwpsmktamv6a"
ENS_OSS_BUCKET = "tmp-hybrid"
ENS_OSS_OBJECT = "images/web v1/system*~.qcow2"

# ECS
ECS_IMAGE_ID = "m-bp18ygjuqnwhechc"
ECS_CLIENT_TOKEN = "0c593ea1-3bea-11e9-b96b-88e9fe637760"

# EC2
EC2_INSTANCE_ID = "i-1234567890abcdef0"
EC2_IMAGE_ID = "ami-0abcdef1234567890"
EC2_IMAGE_NAME = "web-v1 (2026) [ci]/build_7"  # EC2 names allow only ASCII ( ) [ ] space . / - ' @ _
EC2_IMPORT_TASK_ID = "import-ami-0123456789abcdef0"
EC2_CLIENT_TOKEN = "imgctl-import-7f3c"

# Huawei
HW_INSTANCE_ID = "877a2cda-ba63-4e1e-b95f-e67e48b6129a"
HW_VOLUME_ID = "c5a3c0a7-2e1f-4f5c-9d2e-000000000001"
HW_IMAGE_ID = "33ad552d-1149-471c-8575-f1d02b9f3d1d"
HW_JOB_ID = "ff8080814dbd65d7014dbe0d84db0013"
HW_ENTERPRISE_PROJECT_ID = "0"


# --------------------------------------------------------------------------
# Alibaba Cloud (Tea SDK): ENS 2017-11-10 and ECS 2014-05-26
# --------------------------------------------------------------------------


def _tea_config(endpoint: str, signature: str):
    """Point the Tea SDK at a plain-http local endpoint.

    The Tea SDK wants ``endpoint`` as a bare ``host:port`` and the scheme in
    ``protocol``.  ``endpoint`` becomes the ``host`` header verbatim (and V3
    signs it): with ``endpoint='http://127.0.0.1:PORT'`` the request still
    arrives, but with the header ``host: http://127.0.0.1:PORT``.  Without
    ``protocol='http'`` the product clients speak HTTPS (their API metadata
    says ``protocol='HTTPS'``) and fail against a plain-http server.
    """
    from alibabacloud_tea_openapi.utils_models import Config

    parts = urlsplit(endpoint if "://" in endpoint else "http://" + endpoint)
    cfg = Config(
        access_key_id=DEMO_ACCESS_KEY_ID,
        access_key_secret=DEMO_SECRET,
        endpoint=parts.netloc,
        protocol=parts.scheme or "http",
        region_id=ECS_REGION,
        connect_timeout=5000,
        read_timeout=10000,
    )
    if signature == "v2":
        cfg.signature_algorithm = "v2"
    elif signature != "v3":
        raise ValueError(f"signature must be 'v3' or 'v2', not {signature!r}")
    return cfg


def _ens(endpoint: str, signature: str):
    from alibabacloud_ens20171110.client import Client

    return Client(_tea_config(endpoint, signature))


def _ecs(endpoint: str, signature: str):
    from alibabacloud_ecs20140526.client import Client

    return Client(_tea_config(endpoint, signature))


def _body(resp) -> dict:
    return resp.body.to_map() if resp.body is not None else {}


def ens_create_image(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ens20171110 import models as m

    req = m.CreateImageRequest(
        image_name=NAME_ZH,
        instance_id=ENS_INSTANCE_ID,
        snapshot_id=ENS_SNAPSHOT_ID,
        delete_after_image_upload="true",  # a *string* in the ENS model
        target_ossregion_id="cn-beijing",
        with_data_disks=True,  # a bool: the Tea SDK sends str(True) == 'True'
    )
    return _body(_ens(endpoint, signature).create_image(req))


def ens_import_image(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ens20171110 import models as m

    req = m.ImportImageRequest(
        architecture="x86_64",
        compute_type="ens_vm",
        image_format="qcow2",
        image_name=NAME_ZH,
        license_type="BYOL",
        ossbucket=ENS_OSS_BUCKET,
        ossobject=ENS_OSS_OBJECT,
        ossregion="cn-beijing",
        ostype="linux",
        osversion="22.04",
        platform="ubuntu",
        target_ossregion_id="cn-beijing",
        disk_device_mapping=[
            m.ImportImageRequestDiskDeviceMapping(
                ossbucket=ENS_OSS_BUCKET, ossobject="images/web v1/data1.qcow2", ossregion="cn-beijing"),
            m.ImportImageRequestDiskDeviceMapping(
                ossbucket=ENS_OSS_BUCKET, ossobject="images/web v1/data2.qcow2", ossregion="cn-beijing"),
        ],
    )
    return _body(_ens(endpoint, signature).import_image(req))


def ens_modify_image_attribute(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ens20171110 import models as m

    req = m.ModifyImageAttributeRequest(image_id=ENS_IMAGE_ID, image_name=NAME_ZH + "-renamed")
    return _body(_ens(endpoint, signature).modify_image_attribute(req))


def ens_describe_self_images(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ens20171110 import models as m

    req = m.DescribeSelfImagesRequest(image_id=ENS_IMAGE_ID, page_number=1, page_size=50)
    return _body(_ens(endpoint, signature).describe_self_images(req))


# ECS.  The internal RAM parameters every ECS request model carries
# (OwnerId, OwnerAccount, ResourceOwnerId, ResourceOwnerAccount) are left
# out on purpose: they are not user-facing and imgctl does not expose them.


def ecs_modify_image_attribute(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ecs20140526 import models as m

    req = m.ModifyImageAttributeRequest(
        region_id=ECS_REGION,
        image_id=ECS_IMAGE_ID,
        image_name=NAME_ZH,
        description=DESCRIPTION,
        boot_mode="UEFI",
        license_type="BYOL",
        image_family="web-family",
        status="Deprecated",
        features=m.ModifyImageAttributeRequestFeatures(nvme_support="supported", imds_support="v2"),
        dry_run=True,
    )
    return _body(_ecs(endpoint, signature).modify_image_attribute(req))


def ecs_create_image(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ecs20140526 import models as m

    req = m.CreateImageRequest(
        region_id=ECS_REGION,
        image_name=NAME_ZH,
        description=DESCRIPTION,
        architecture="x86_64",
        platform="Ubuntu",
        boot_mode="UEFI",
        image_family="web-family",
        image_version="2026.1",
        resource_group_id="rg-acfmzw2jz2z****",
        client_token=ECS_CLIENT_TOKEN,
        disk_device_mapping=[
            m.CreateImageRequestDiskDeviceMapping(
                device="/dev/xvda", disk_type="system", size=40, snapshot_id="s-bp17441ohwka0yuh****"),
            m.CreateImageRequestDiskDeviceMapping(
                device="/dev/xvdb", disk_type="data", size=100, snapshot_id="s-bp1c0doj0taqyzzl****"),
        ],
        tag=[
            m.CreateImageRequestTag(key="env", value="prod"),
            m.CreateImageRequestTag(key="owner", value="团队 a&b=c"),
        ],
    )
    return _body(_ecs(endpoint, signature).create_image(req))


def ecs_import_image(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ecs20140526 import models as m

    req = m.ImportImageRequest(
        region_id=ECS_REGION,
        image_name=NAME_ZH,
        description=DESCRIPTION,
        architecture="x86_64",
        platform="Ubuntu",
        ostype="linux",
        boot_mode="UEFI",
        license_type="BYOL",
        role_name="AliyunECSImageImportDefaultRole",
        detection_strategy="Standard",
        client_token=ECS_CLIENT_TOKEN,
        features=m.ImportImageRequestFeatures(nvme_support="supported", imds_support="v2"),
        disk_device_mapping=[
            m.ImportImageRequestDiskDeviceMapping(
                format="QCOW2", ossbucket=ENS_OSS_BUCKET, ossobject=ENS_OSS_OBJECT, disk_image_size=40,
                device="/dev/xvda"),
            m.ImportImageRequestDiskDeviceMapping(
                format="RAW", ossbucket=ENS_OSS_BUCKET, ossobject="images/web v1/data1.raw", disk_image_size=100,
                device="/dev/xvdb"),
        ],
        tag=[m.ImportImageRequestTag(key="env", value="prod")],
        dry_run=False,
    )
    return _body(_ecs(endpoint, signature).import_image(req))


def ecs_describe_images(endpoint: str, signature: str = "v3") -> dict:
    from alibabacloud_ecs20140526 import models as m

    req = m.DescribeImagesRequest(
        region_id=ECS_REGION,
        image_id=ECS_IMAGE_ID,
        image_owner_alias="self",
        status="Creating,Waiting,Available,UnAvailable,CreateFailed",
        page_number=1,
        page_size=100,
    )
    return _body(_ecs(endpoint, signature).describe_images(req))


ALIBABA_OPS: Dict[str, Callable[..., dict]] = {
    "ens_create_image": ens_create_image,
    "ens_import_image": ens_import_image,
    "ens_modify_image_attribute": ens_modify_image_attribute,
    "ens_describe_self_images": ens_describe_self_images,
    "ecs_modify_image_attribute": ecs_modify_image_attribute,
    "ecs_create_image": ecs_create_image,
    "ecs_import_image": ecs_import_image,
    "ecs_describe_images": ecs_describe_images,
}


# --------------------------------------------------------------------------
# AWS EC2 (boto3)
# --------------------------------------------------------------------------


def ec2_client(endpoint: str, access_key_id: str = DEMO_ACCESS_KEY_ID, secret: str = DEMO_SECRET,
               region: str = AWS_REGION):
    """A boto3 EC2 client for ``endpoint`` that never retries."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "ec2",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      connect_timeout=5, read_timeout=10),
    )


def _strip_meta(resp: dict) -> dict:
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def ec2_create_image(endpoint: str, client=None) -> dict:
    c = client or ec2_client(endpoint)
    return _strip_meta(c.create_image(
        InstanceId=EC2_INSTANCE_ID,
        Name=EC2_IMAGE_NAME,
        Description=DESCRIPTION,
        NoReboot=True,
        BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda",
             "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "DeleteOnTermination": True, "Encrypted": False}},
            {"DeviceName": "/dev/sdb", "NoDevice": ""},
        ],
        TagSpecifications=[
            {"ResourceType": "image", "Tags": [{"Key": "Name", "Value": NAME_ZH},
                                               {"Key": "team", "Value": "a&b=c"}]},
            {"ResourceType": "snapshot", "Tags": [{"Key": "Name", "Value": "web-v1-root"}]},
        ],
    ))


def ec2_modify_image_attribute(endpoint: str, form: str = "description", client=None) -> dict:
    """One ModifyImageAttribute call; ``form`` picks the attribute shape:

    description            Description.Value=...
    description-attribute  Attribute=description&Value=... (the older form)
    launch-permission      LaunchPermission.Add.N.{UserId,Group} / .Remove.N.UserId
    imds-support           ImdsSupport.Value=v2.0
    """
    c = client or ec2_client(endpoint)
    kwargs = {
        "description": {"Description": {"Value": DESCRIPTION}},
        "description-attribute": {"Attribute": "description", "Value": DESCRIPTION},
        "launch-permission": {"LaunchPermission": {
            "Add": [{"UserId": "123456789012"}, {"Group": "all"}],
            "Remove": [{"UserId": "210987654321"}],
        }},
        "imds-support": {"ImdsSupport": {"Value": "v2.0"}},
    }[form]
    return _strip_meta(c.modify_image_attribute(ImageId=EC2_IMAGE_ID, **kwargs))


EC2_MODIFY_FORMS = ("description", "description-attribute", "launch-permission", "imds-support")


def ec2_import_image(endpoint: str, client=None) -> dict:
    c = client or ec2_client(endpoint)
    return _strip_meta(c.import_image(
        Description=DESCRIPTION,
        DiskContainers=[
            {"Description": "system disk", "Format": "VMDK",
             "UserBucket": {"S3Bucket": "my-import-bucket", "S3Key": "images/web v1/disk1.vmdk"}},
            {"Description": "data disk", "Format": "RAW",
             "UserBucket": {"S3Bucket": "my-import-bucket", "S3Key": "images/web v1/disk2.raw"}},
        ],
        Architecture="x86_64",
        Platform="Linux",
        LicenseType="BYOL",
        BootMode="uefi",
        RoleName="vmimport",
        TagSpecifications=[{"ResourceType": "import-image-task",
                            "Tags": [{"Key": "Name", "Value": NAME_ZH}]}],
        ClientToken=EC2_CLIENT_TOKEN,
    ))


def ec2_describe_images(endpoint: str, client=None) -> dict:
    c = client or ec2_client(endpoint)
    return _strip_meta(c.describe_images(
        ImageIds=[EC2_IMAGE_ID],
        Owners=["self"],
        Filters=[{"Name": "state", "Values": ["available", "pending"]},
                 {"Name": "tag:Name", "Values": [NAME_ZH]}],
        IncludeDeprecated=True,
    ))


def ec2_describe_import_image_tasks(endpoint: str, client=None) -> dict:
    c = client or ec2_client(endpoint)
    return _strip_meta(c.describe_import_image_tasks(
        ImportTaskIds=[EC2_IMPORT_TASK_ID],
        Filters=[{"Name": "task-state", "Values": ["active", "completed"]}],
    ))


EC2_OPS: Dict[str, Callable[..., dict]] = {
    "ec2_create_image": ec2_create_image,
    **{f"ec2_modify_image_attribute[{f}]": (lambda ep, client=None, _f=f:
                                            ec2_modify_image_attribute(ep, _f, client))
       for f in EC2_MODIFY_FORMS},
    "ec2_import_image": ec2_import_image,
    "ec2_describe_images": ec2_describe_images,
    "ec2_describe_import_image_tasks": ec2_describe_import_image_tasks,
}


# --------------------------------------------------------------------------
# Huawei Cloud: IMS (AK/SK signed) and IAM (password token)
# --------------------------------------------------------------------------


def _hw_http_config():
    from huaweicloudsdkcore.http.http_config import HttpConfig

    cfg = HttpConfig.get_default_config()
    cfg.timeout = (5, 10)
    cfg.retry_times = 0
    return cfg


def ims_client(endpoint: str, ak: str = DEMO_ACCESS_KEY_ID, sk: str = DEMO_SECRET,
               project_id: str = HUAWEI_PROJECT_ID):
    """ImsClient with BasicCredentials (AK/SK + project id) and an endpoint override.

    With the project id given, the SDK makes no project look-up of its own;
    with an endpoint given, no region map is consulted.
    """
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkims.v2 import ImsClient

    return (ImsClient.new_builder()
            .with_credentials(BasicCredentials(ak, sk, project_id))
            .with_endpoints([endpoint])
            .with_http_config(_hw_http_config())
            .build())


def iam_client(endpoint: str, ak: str = DEMO_ACCESS_KEY_ID, sk: str = DEMO_SECRET):
    """IamClient with GlobalCredentials.

    The builder refuses to build without credentials, so the token request
    of the official SDK is always AK/SK-signed as well (the API needs no
    authentication; the signature is simply ignored by IAM).
    """
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkiam.v3 import IamClient

    return (IamClient.new_builder()
            .with_credentials(GlobalCredentials(ak, sk))
            .with_endpoints([endpoint])
            .with_http_config(_hw_http_config())
            .build())


def _hw(resp) -> dict:
    """What the SDK parsed (its model as a dict); to_dict() warns it is deprecated, which is noise here."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return resp.to_dict()


def ims_create_image_from_ecs(endpoint: str) -> dict:
    """POST /v2/cloudimages/action, system image from an ECS (+ data-disk images).

    Wire shape only: the IMS docs say instance_id must not be combined with
    data_images in a real call.
    """
    from huaweicloudsdkims.v2 import model as m

    body = m.CreateImageRequestBody(
        name=NAME_ZH,
        description=DESCRIPTION,
        instance_id=HW_INSTANCE_ID,
        image_tags=[m.TagKeyValue(key="env", value="dev"), m.TagKeyValue(key="team", value="web_ops")],
        data_images=[m.CreateDataImage(name="data1", volume_id=HW_VOLUME_ID, description="data disk 1")],
        enterprise_project_id=HW_ENTERPRISE_PROJECT_ID,
        min_ram=1024,
        max_ram=4096,
    )
    return _hw(ims_client(endpoint).create_image(m.CreateImageRequest(body=body)))


# Body of the ordinary OBS import.  Sent as a plain dict (which the SDK
# serialises like a model) because the SDK 3.1.219 model
# CreateImageRequestBody has no ``os_type`` and its data_images item
# (CreateDataImage) has no ``image_url``/``min_disk``, although the IMS API
# documents both for an import from OBS.
IMS_IMPORT_OBS_BODY = {
    "name": NAME_ZH,
    "description": DESCRIPTION,
    "image_url": "ims-image:images/web v1/centos7.qcow2",
    "min_disk": 40,
    "os_version": "CentOS 7.9 64bit",
    "os_type": "Linux",
    "architecture": "x86",
    "is_config": True,
    "type": "ECS",
    "data_images": [{"name": "data1", "image_url": "ims-image:images/web v1/data1.qcow2", "min_disk": 100}],
}


def ims_import_image_from_obs(endpoint: str) -> dict:
    from huaweicloudsdkims.v2 import model as m

    body = json.loads(json.dumps(IMS_IMPORT_OBS_BODY))  # a private copy
    return _hw(ims_client(endpoint).create_image(m.CreateImageRequest(body=body)))


def ims_quick_import(endpoint: str) -> dict:
    from huaweicloudsdkims.v2 import model as m

    body = m.QuickImportImageByFileRequestBody(
        name=NAME_ZH,
        description=DESCRIPTION,
        os_version="Ubuntu 22.04 server 64bit",
        image_url="ims-image:images/web v1/disk.zvhd2",
        min_disk=40,
        type="ECS",
        architecture="x86",
        image_tags=[m.ResourceTag(key="env", value="dev")],
    )
    return _hw(ims_client(endpoint).import_image_quick(m.ImportImageQuickRequest(body=body)))


def ims_update_image(endpoint: str) -> dict:
    from huaweicloudsdkims.v2 import model as m

    ops = [
        m.UpdateImageRequestBody(op="replace", path="/name", value=NAME_ZH + "-renamed"),
        m.UpdateImageRequestBody(op="add", path="/__description", value=DESCRIPTION),
        m.UpdateImageRequestBody(op="replace", path="/min_ram", value="1024"),
    ]
    return _hw(ims_client(endpoint).update_image(m.UpdateImageRequest(image_id=HW_IMAGE_ID, body=ops)))


def ims_show_job(endpoint: str, job_id: str = HW_JOB_ID) -> dict:
    import warnings

    from huaweicloudsdkims.v2 import model as m

    with warnings.catch_warnings():  # show_job is marked deprecated but is what Terraform/Packer poll
        warnings.simplefilter("ignore", DeprecationWarning)
        return _hw(ims_client(endpoint).show_job(m.ShowJobRequest(job_id=job_id)))


def ims_list_images(endpoint: str, image_id: str = HW_IMAGE_ID) -> dict:
    from huaweicloudsdkims.v2 import model as m

    return _hw(ims_client(endpoint).list_images(m.ListImagesRequest(id=image_id)))


def iam_create_token_by_password(endpoint: str, user: str = HUAWEI_USER, password: str = HUAWEI_PASSWORD,
                                 domain: str = HUAWEI_DOMAIN, project: str = HUAWEI_REGION) -> dict:
    """keystone_create_user_token_by_password, password identity, project scope.

    Returns the parsed body plus ``x_subject_token`` (the token header).
    """
    from huaweicloudsdkiam.v3 import model as m

    body = m.KeystoneCreateUserTokenByPasswordRequestBody(
        auth=m.PwdAuth(
            identity=m.PwdIdentity(
                methods=["password"],
                password=m.PwdPassword(user=m.PwdPasswordUser(
                    domain=m.PwdPasswordUserDomain(name=domain), name=user, password=password)),
            ),
            scope=m.AuthScope(project=m.AuthScopeProject(name=project)),
        ))
    resp = iam_client(endpoint).keystone_create_user_token_by_password(
        m.KeystoneCreateUserTokenByPasswordRequest(body=body))
    out = _hw(resp)
    out["x_subject_token"] = resp.x_subject_token
    return out


HUAWEI_OPS: Dict[str, Callable[..., dict]] = {
    "ims_create_image_from_ecs": ims_create_image_from_ecs,
    "ims_import_image_from_obs": ims_import_image_from_obs,
    "ims_quick_import": ims_quick_import,
    "ims_update_image": ims_update_image,
    "ims_show_job": ims_show_job,
    "ims_list_images": ims_list_images,
    "iam_create_token_by_password": iam_create_token_by_password,
}
