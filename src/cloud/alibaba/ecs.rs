//! Alibaba Cloud ECS (API 2014-05-26). Regional endpoints, `RegionId` on
//! every call, the cloud's own DryRun, and a ClientToken on create and
//! import so that a retry can never make a second image.

use serde_json::Value;

use crate::backend::{Backend, Ctx};
use crate::cloud::alibaba::rpc::{self, Answer, Api, Params};
use crate::cloud::alibaba::{
    exact, image_list, list_pages, not_found, observe, outcome, progress, required, text,
};
use crate::error::{Error, Result};
use crate::ops::{
    BlockDevice, CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage,
    Observation, Outcome, PollState, Tag, WaitTarget,
};
use crate::provider::{Capabilities, Provider, Verb};
use crate::transport::{self, Idempotency};
use crate::vocab::{Spelling, State, StatusEntry, rfc3339_utc, state_of};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "snapshot-id",
        "description",
        "tag",
        "block-device-mapping",
        "client-token",
        "family",
        "platform",
        "architecture",
        "boot-mode",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "format",
        "os-type",
        "platform",
        "architecture",
        "boot-mode",
        "license-type",
        "role-name",
        "description",
        "tag",
        "client-token",
        // DiskDeviceMapping.1.DiskImageSize: the system disk's size in GiB.
        "min-disk",
    ],
    modify: &[
        "image-id",
        "name",
        "description",
        "status",
        "family",
        "boot-mode",
        "license-type",
        "nvme-support",
        "imds-support",
    ],
    wait: &["image-id"],
    list: &["name", "name-prefix", "status", "limit", "page-size"],
    delete: &["image-id", "force"],
    copy: &["image-id", "to-region", "name", "description"],
};

/// How ECS spells each enumerated value (ref/alibaba.md: ImportImage,
/// CreateImage, ModifyImageAttribute).
pub const VALUES: &[Spelling] = &[
    Spelling {
        flag: "format",
        verbs: &[Verb::Import],
        values: &[
            ("raw", "RAW"),
            ("vhd", "VHD"),
            ("qcow2", "QCOW2"),
            ("vmdk", "VMDK"),
        ],
        open: false,
    },
    Spelling {
        flag: "os-type",
        verbs: &[Verb::Import],
        values: &[("linux", "linux"), ("windows", "windows")],
        open: false,
    },
    Spelling {
        flag: "architecture",
        verbs: &[Verb::Create, Verb::Import],
        values: &[("i386", "i386"), ("x86_64", "x86_64"), ("arm64", "arm64")],
        open: false,
    },
    Spelling {
        flag: "boot-mode",
        verbs: &[Verb::Create, Verb::Import],
        values: &[("legacy", "BIOS"), ("uefi", "UEFI")],
        open: false,
    },
    Spelling {
        flag: "boot-mode",
        verbs: &[Verb::Modify],
        values: &[
            ("legacy", "BIOS"),
            ("uefi", "UEFI"),
            ("uefi-preferred", "UEFI-Preferred"),
        ],
        open: false,
    },
    Spelling {
        flag: "license-type",
        verbs: &[Verb::Import],
        values: &[("auto", "Auto"), ("cloud", "Aliyun"), ("byol", "BYOL")],
        open: false,
    },
    Spelling {
        flag: "license-type",
        verbs: &[Verb::Modify],
        values: &[("byol", "BYOL")],
        open: false,
    },
    // A distribution name: the documented ones in ECS's spelling, others
    // (e.g. "Windows Server 2022") as given.
    Spelling {
        flag: "platform",
        verbs: &[Verb::Create, Verb::Import],
        values: &[
            ("aliyun", "Aliyun"),
            ("anolis", "Anolis"),
            ("centos", "CentOS"),
            ("ubuntu", "Ubuntu"),
            ("debian", "Debian"),
            ("redhat", "RedHat"),
            ("rocky-linux", "Rocky Linux"),
            ("almalinux", "AlmaLinux"),
            ("customized-linux", "Customized Linux"),
            ("others-linux", "Others Linux"),
        ],
        open: true,
    },
    Spelling {
        flag: "status",
        verbs: &[Verb::Modify],
        values: &[("available", "Available"), ("deprecated", "Deprecated")],
        open: false,
    },
    Spelling {
        flag: "nvme-support",
        verbs: &[Verb::Modify],
        values: &[("supported", "supported"), ("unsupported", "unsupported")],
        open: false,
    },
    Spelling {
        flag: "imds-support",
        verbs: &[Verb::Modify],
        values: &[("v1", "v1"), ("v2", "v2")],
        open: false,
    },
];

/// What each documented ECS image status means (DescribeImages `Status`).
pub const STATUSES: &[StatusEntry] = &[
    StatusEntry {
        of: "image",
        status: "Creating",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "Waiting",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "Available",
        state: State::Available,
    },
    StatusEntry {
        of: "image",
        status: "UnAvailable",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "CreateFailed",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "Deprecated",
        state: State::Deprecated,
    },
];

const VERSION: &str = "2014-05-26";

/// Every state DescribeImages knows but `ALL`: without an explicit list it
/// only returns Available images, and a waiter would never see the others.
const ALL_STATES: &str = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated";

/// The seed page's caution, said before the call goes out.
const DEPRECATE_CAUTION: &str = "caution: if this is the only available custom image in its image \
family, deprecating it prevents the creation of instances from any image in that family";

/// The official SDK's endpoint map (alibabacloud-ecs20140526 7.11.8,
/// `_endpoint_map`): regions whose API is not at `ecs.<region>.aliyuncs.com`.
const ENDPOINT_MAP: &[(&str, &str)] = &[
    ("cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-shanghai-finance-1", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-shenzhen-finance-1", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-north-2-gov-1", "ecs.aliyuncs.com"),
    ("ap-northeast-2-pop", "ecs.aliyuncs.com"),
    ("cn-beijing-finance-pop", "ecs.aliyuncs.com"),
    ("cn-beijing-gov-1", "ecs.aliyuncs.com"),
    ("cn-beijing-nu16-b01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-edge-1", "ecs.cn-qingdao-nebula.aliyuncs.com"),
    ("cn-fujian", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-haidian-cm12-c01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-hangzhou-bj-b01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-hangzhou-finance", "ecs.aliyuncs.com"),
    (
        "cn-hangzhou-internal-prod-1",
        "ecs-cn-hangzhou.aliyuncs.com",
    ),
    (
        "cn-hangzhou-internal-test-1",
        "ecs-cn-hangzhou.aliyuncs.com",
    ),
    (
        "cn-hangzhou-internal-test-2",
        "ecs-cn-hangzhou.aliyuncs.com",
    ),
    (
        "cn-hangzhou-internal-test-3",
        "ecs-cn-hangzhou.aliyuncs.com",
    ),
    ("cn-hangzhou-test-306", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-hongkong-finance-pop", "ecs.aliyuncs.com"),
    (
        "cn-huhehaote-nebula-1",
        "ecs.cn-qingdao-nebula.aliyuncs.com",
    ),
    ("cn-shanghai-et15-b01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-shanghai-et2-b01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-shanghai-inner", "ecs.aliyuncs.com"),
    (
        "cn-shanghai-internal-test-1",
        "ecs-cn-hangzhou.aliyuncs.com",
    ),
    ("cn-shenzhen-inner", "ecs.aliyuncs.com"),
    ("cn-shenzhen-st4-d01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-shenzhen-su18-b01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-wuhan", "ecs.aliyuncs.com"),
    ("cn-yushanfang", "ecs.aliyuncs.com"),
    ("cn-zhangbei", "ecs.aliyuncs.com"),
    ("cn-zhangbei-na61-b01", "ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-zhangjiakou-na62-a01", "ecs.cn-zhangjiakou.aliyuncs.com"),
    (
        "cn-zhengzhou-nebula-1",
        "ecs.cn-qingdao-nebula.aliyuncs.com",
    ),
    ("eu-west-1-oxs", "ecs.cn-shenzhen-cloudstone.aliyuncs.com"),
    ("rus-west-1-pop", "ecs.aliyuncs.com"),
];

/// The ECS API host for a region, as the official SDK picks it.
pub fn endpoint_host(region: &str) -> String {
    ENDPOINT_MAP
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, h)| h.to_string())
        .unwrap_or_else(|| format!("ecs.{region}.aliyuncs.com"))
}

pub struct Ecs {
    ctx: Ctx,
    api: Api,
    /// Asked before every request: fetched keys are refreshed in time.
    creds: crate::refresh::Handle,
    region: String,
}

impl Ecs {
    pub fn new(ctx: Ctx) -> Result<Self> {
        let region = ctx.settings.require_region()?.to_string();
        let endpoint = ctx.settings.endpoint_url.as_ref().map(|v| v.value.as_str());
        let api = Api::new(Provider::Ecs, VERSION, endpoint, &endpoint_host(&region))?;
        let creds =
            crate::cloud::alibaba::credentials::handle(&ctx.settings, ctx.cache_dir.clone())?;
        Ok(Ecs {
            ctx,
            api,
            creds,
            region,
        })
    }

    fn params(&self) -> Params {
        let mut p = Params::new();
        p.put("RegionId", self.region.as_str());
        p
    }

    /// Sends a call that changes something, with DryRun=true under
    /// `--dry-run`: ECS checks it and answers DryRunOperation.
    async fn act(
        &self,
        operation: &'static str,
        action: &str,
        mut p: Params,
        idempotency: Idempotency,
    ) -> Result<(Outcome, Answer)> {
        p.flag("DryRun", self.ctx.dry_run);
        let a = rpc::call(&self.ctx, &self.api, &self.creds, action, &p, idempotency).await?;
        let mut o = outcome(Provider::Ecs, operation, &a, self.ctx.raw);
        // What the cloud said, not what was asked: a DryRun the cloud
        // ignored made a real image, and the output must say so.
        o.dry_run = a.dry_run;
        o.name = p.get("ImageName").map(str::to_string);
        o.image_id = match p.get("ImageId") {
            Some(id) => Some(o.image_id.unwrap_or_else(|| id.to_string())),
            // A create or import that worked names its new image.
            None if !a.dry_run => Some(required(&a, action, "ImageId")?),
            None => None,
        };
        Ok((o, a))
    }

    /// The image with exactly this id (or none), and the answer.
    async fn find(&self, image_id: &str) -> Result<(Answer, Option<Value>)> {
        let mut p = self.params();
        p.put("ImageId", image_id)
            .put("ImageOwnerAlias", "self")
            .put("Status", ALL_STATES);
        let a = rpc::call(
            &self.ctx,
            &self.api,
            &self.creds,
            "DescribeImages",
            &p,
            Idempotency::Safe,
        )
        .await?;
        let img = exact(image_list(&a, "DescribeImages")?, image_id);
        Ok((a, img))
    }
}

fn tags(p: &mut Params, tags: &[Tag]) {
    for (i, t) in tags.iter().enumerate() {
        p.put(format!("Tag.{}.Key", i + 1), t.key.as_str())
            .put(format!("Tag.{}.Value", i + 1), t.value.as_str());
    }
}

/// ECS DiskDeviceMapping.N has SnapshotId, Size, Device and DiskType;
/// an EBS-only field is refused by name rather than dropped.
fn disk_mappings(p: &mut Params, devices: &[BlockDevice]) -> Result<()> {
    for (i, d) in devices.iter().enumerate() {
        let unsupported = [
            ("VirtualName", d.virtual_name.is_some()),
            ("NoDevice", d.no_device),
            ("VolumeType", d.volume_type.is_some()),
            ("Iops", d.iops.is_some()),
            ("Throughput", d.throughput.is_some()),
            ("KmsKeyId", d.kms_key_id.is_some()),
            ("Encrypted", d.encrypted.is_some()),
            ("DeleteOnTermination", d.delete_on_termination.is_some()),
        ];
        if let Some((field, _)) = unsupported.iter().find(|(_, set)| *set) {
            return Err(Error::usage(format!(
                "--block-device-mapping: {field} is not supported by provider ecs \
                 (ecs takes device, size, snapshot-id and disk-type)"
            )));
        }
        if let Some(t) = &d.disk_type
            && !matches!(t.as_str(), "system" | "data")
        {
            return Err(Error::usage(format!(
                "--block-device-mapping: disk-type '{t}' for ecs: expected system or data"
            )));
        }
        let n = i + 1;
        p.opt(
            &format!("DiskDeviceMapping.{n}.SnapshotId"),
            d.snapshot_id.as_ref(),
        )
        .opt(
            &format!("DiskDeviceMapping.{n}.Size"),
            d.volume_size.map(|s| s.to_string()).as_ref(),
        )
        .opt(
            &format!("DiskDeviceMapping.{n}.Device"),
            d.device_name.as_ref(),
        )
        .opt(
            &format!("DiskDeviceMapping.{n}.DiskType"),
            d.disk_type.as_ref(),
        );
    }
    Ok(())
}

/// One look at an ECS image: status, state, progress ("45%") and
/// creation time (minute precision is normalised).
fn observation(img: &Value) -> Observation {
    let status = text(img, "Status").unwrap_or_else(|| "unknown".into());
    let mut o = Observation::new(&status, state_of(STATUSES, &status));
    if o.state.is_failure() {
        o.message = format!("ECS reports the image as {status}");
    }
    o.progress = progress(img.get("Progress"));
    o.created = text(img, "CreationTime").and_then(|t| rfc3339_utc(&t));
    o
}

impl Backend for Ecs {
    async fn create(&mut self, req: &CreateImage) -> Result<Outcome> {
        let mut p = self.params();
        p.put("ImageName", req.name.as_str())
            .opt("InstanceId", req.instance_id.as_ref())
            .opt("SnapshotId", req.snapshot_id.as_ref());
        disk_mappings(&mut p, &req.block_devices)?;
        p.opt("Description", req.description.as_ref())
            .opt("Platform", req.platform.as_ref())
            .opt("Architecture", req.architecture.as_ref())
            .opt("BootMode", req.boot_mode.as_ref())
            .opt("ImageFamily", req.family.as_ref());
        tags(&mut p, &req.tags);
        // Made once, outside the retry loop: every attempt carries the same
        // token, so ECS makes at most one image whatever happens.
        let token = req
            .client_token
            .clone()
            .unwrap_or_else(transport::random_hex);
        p.put("ClientToken", token);
        Ok(self
            .act("create", "CreateImage", p, Idempotency::Safe)
            .await?
            .0)
    }

    async fn import(&mut self, req: &ImportImage) -> Result<Outcome> {
        let url = req
            .url
            .as_ref()
            .ok_or_else(|| Error::usage("ecs import needs --url oss://BUCKET/OBJECT"))?;
        let mut p = self.params();
        p.opt("ImageName", req.name.as_ref())
            .opt("Description", req.description.as_ref())
            .opt("Architecture", req.architecture.as_ref())
            .opt("Platform", req.platform.as_ref())
            .opt("OSType", req.os_type.as_ref())
            .opt("BootMode", req.boot_mode.as_ref())
            .opt("LicenseType", req.license_type.as_ref())
            .opt("RoleName", req.role_name.as_ref());
        for (i, d) in std::iter::once(url).chain(&req.disks).enumerate() {
            let n = i + 1;
            p.put(
                format!("DiskDeviceMapping.{n}.OSSBucket"),
                d.bucket.as_str(),
            )
            .put(format!("DiskDeviceMapping.{n}.OSSObject"), d.key.as_str())
            .opt(
                &format!("DiskDeviceMapping.{n}.Format"),
                req.format.as_ref(),
            );
            if n == 1 {
                p.opt(
                    "DiskDeviceMapping.1.DiskImageSize",
                    req.min_disk.map(|s| s.to_string()).as_ref(),
                );
            }
        }
        tags(&mut p, &req.tags);
        let token = req
            .client_token
            .clone()
            .unwrap_or_else(transport::random_hex);
        p.put("ClientToken", token);
        let (mut o, a) = self
            .act("import", "ImportImage", p, Idempotency::Safe)
            .await?;
        if !a.dry_run {
            o.task_id = Some(required(&a, "ImportImage", "TaskId")?);
        }
        Ok(o)
    }

    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome> {
        if req.status.as_deref() == Some("Deprecated") {
            eprintln!("imgctl: {DEPRECATE_CAUTION}");
        }
        let mut p = self.params();
        p.put("ImageId", req.image_id.as_str())
            .opt("ImageName", req.name.as_ref())
            .opt("Status", req.status.as_ref())
            .opt("ImageFamily", req.family.as_ref())
            .opt("BootMode", req.boot_mode.as_ref())
            .opt("LicenseType", req.license_type.as_ref())
            .opt("Description", req.description.as_ref())
            .opt("Features.NvmeSupport", req.nvme_support.as_ref())
            .opt("Features.ImdsSupport", req.imds_support.as_ref());
        let (mut o, _) = self
            .act("modify", "ModifyImageAttribute", p, Idempotency::Safe)
            .await?;
        o.status = req.status.clone();
        Ok(o)
    }

    async fn list(&mut self, req: &ListImages) -> Result<Outcome> {
        let mut p = self.params();
        p.put("ImageOwnerAlias", "self")
            // The default is Available only: every state unless asked.
            .put("Status", req.status.as_deref().unwrap_or("ALL"))
            .opt("ImageName", req.name.as_ref().or(req.name_prefix.as_ref()));
        list_pages(&self.ctx, &self.api, &self.creds, "DescribeImages", &p, req).await
    }

    async fn delete(&mut self, req: &DeleteImage) -> Result<Outcome> {
        let mut p = self.params();
        p.put("ImageId", req.image_id.as_str())
            .flag("Force", req.force);
        let (mut o, a) = self
            .act("delete", "DeleteImage", p, Idempotency::Safe)
            .await?;
        o.image_id = Some(req.image_id.clone());
        if !a.dry_run {
            o.status = Some("deleted".into());
            // imgctl's own word: the cloud answered the delete, it has no status for it.
            o.state = Some(State::Deleted);
        }
        Ok(o)
    }

    async fn copy(&mut self, req: &CopyImage) -> Result<Outcome> {
        let mut p = self.params();
        p.put("ImageId", req.image_id.as_str())
            .put("DestinationRegionId", req.to_region.as_str())
            .opt("DestinationImageName", req.name.as_ref())
            .opt("DestinationDescription", req.description.as_ref());
        // One token for every attempt: ECS makes at most one copy.
        p.put("ClientToken", transport::random_hex());
        let (mut o, a) = self.act("copy", "CopyImage", p, Idempotency::Safe).await?;
        // act() falls back to the request's ImageId: here that is the source.
        o.image_id = if a.dry_run {
            None
        } else {
            Some(required(&a, "CopyImage", "ImageId")?)
        };
        o.name = req.name.clone();
        o.source_image_id = Some(req.image_id.clone());
        o.region = Some(req.to_region.clone());
        // The copy lives in the destination: a wait looks for it there.
        let endpoint = self
            .ctx
            .settings
            .endpoint_url
            .as_ref()
            .map(|v| v.value.as_str());
        self.api = Api::new(
            Provider::Ecs,
            VERSION,
            endpoint,
            &endpoint_host(&req.to_region),
        )?;
        self.region = req.to_region.clone();
        Ok(o)
    }

    async fn describe(&mut self, image_id: &str) -> Result<Outcome> {
        let (a, img) = self.find(image_id).await?;
        let Some(img) = img else {
            return Err(not_found(
                Provider::Ecs,
                format!(
                    "DescribeImages lists no image of yours with the id {image_id} in {}",
                    self.region
                ),
                "check --image-id and --region",
                &a,
            ));
        };
        let mut o = outcome(Provider::Ecs, "describe", &a, self.ctx.raw);
        o.observed(&observation(&img));
        o.image_id = Some(image_id.to_string());
        o.name = text(&img, "ImageName");
        Ok(o)
    }

    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState> {
        let WaitTarget::Image(id) = target else {
            return Err(Error::usage("ecs waits on --image-id only"));
        };
        observe(self.find(id).await, observation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoints_follow_the_sdk_map() {
        assert_eq!(endpoint_host("cn-hangzhou"), "ecs-cn-hangzhou.aliyuncs.com");
        assert_eq!(endpoint_host("cn-shanghai"), "ecs.cn-shanghai.aliyuncs.com");
        assert_eq!(endpoint_host("cn-wuhan"), "ecs.aliyuncs.com");
    }

    #[test]
    fn states() {
        let s = |st: &str, pr: &str| observation(&json!({"Status": st, "Progress": pr}));
        assert_eq!(s("Available", "100%").state, State::Available);
        assert_eq!(s("Deprecated", "100%").state, State::Deprecated);
        assert_eq!(s("CreateFailed", "").state, State::Failed);
        assert_eq!(s("UnAvailable", "").state, State::Failed);
        let c = s("Creating", "45%");
        assert_eq!(
            (c.status.as_str(), c.state, c.progress),
            ("Creating", State::Pending, Some(45))
        );
        let t = observation(&json!({"Status": "Available", "CreationTime": "2026-11-29T21:10Z"}));
        assert_eq!(t.created.as_deref(), Some("2026-11-29T21:10:00Z"));
    }

    #[test]
    fn block_devices_map_or_are_refused() {
        let mut p = Params::new();
        let d = BlockDevice {
            device_name: Some("/dev/xvda".into()),
            volume_size: Some(40),
            snapshot_id: Some("s-1".into()),
            disk_type: Some("system".into()),
            ..BlockDevice::default()
        };
        disk_mappings(&mut p, &[d]).unwrap();
        assert_eq!(p.get("DiskDeviceMapping.1.Size"), Some("40"));
        assert_eq!(p.get("DiskDeviceMapping.1.DiskType"), Some("system"));
        let bad = BlockDevice {
            iops: Some(3000),
            ..BlockDevice::default()
        };
        let e = disk_mappings(&mut Params::new(), &[bad]).unwrap_err();
        assert!(e.to_string().contains("Iops"));
    }
}
