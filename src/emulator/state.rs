//! What the emulator remembers: instances, object-storage files, images,
//! EC2 import tasks and IMS jobs, each with its cloud's life cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::provider::Provider;

use super::wire::{b36_id, hex_id, now_iso, uuid};

/// The account every emulated cloud thinks you are.
pub const EC2_OWNER_ID: &str = "123456789012";
pub const HW_DOMAIN_ID: &str = "0970dd7a1300d5c80f6fc001e5be0c5d";
pub const HW_USER_ID: &str = "0970dd7a1600d5c81f6ac001dde3e7f9";
/// The project of the default Huawei region (cn-north-4).
pub const HW_PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
pub const HW_DEFAULT_REGION: &str = "cn-north-4";
/// When the seeded images were made: long before any test runs, so a
/// create of the same name can never take one for its own.
pub const SEED_CREATED: &str = "2024-01-15T08:00:00Z";

/// Project ids: cn-north-4 has the documented demo id, every other region
/// a stable one derived from its name.
pub fn hw_project_id(region: &str) -> String {
    if region == HW_DEFAULT_REGION {
        HW_PROJECT_ID.to_string()
    } else {
        crate::sign::sha256_hex(region.as_bytes())[..32].to_string()
    }
}

pub fn hw_region_of(project_id: &str) -> Option<String> {
    if project_id == HW_PROJECT_ID {
        return Some(HW_DEFAULT_REGION.into());
    }
    KNOWN_HW_REGIONS
        .iter()
        .find(|r| hw_project_id(r) == project_id)
        .map(|r| r.to_string())
}

pub const KNOWN_HW_REGIONS: &[&str] = &[
    "cn-north-2",
    "cn-east-4",
    "cn-south-2",
    "ap-southeast-4",
    "tr-west-1",
    "me-east-1",
    "sa-brazil-1",
    "la-north-2",
    "cn-north-4",
    "cn-north-1",
    "cn-north-9",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "cn-southwest-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "af-south-1",
    "la-south-2",
];

pub fn known_hw_region(r: &str) -> bool {
    KNOWN_HW_REGIONS.contains(&r)
}

/// A walk through named phases. With a speed above zero each phase lasts
/// that long; with speed zero each observation (a describe that returns
/// the object) moves it one phase on, so tests see every state in order.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    phases: &'static [&'static str],
    /// Replaces the last phase when the operation is made to fail.
    failure: Option<&'static str>,
    started: Instant,
    observed: usize,
}

impl Lifecycle {
    pub fn new(phases: &'static [&'static str]) -> Lifecycle {
        Lifecycle {
            phases,
            failure: None,
            started: Instant::now(),
            observed: 0,
        }
    }

    pub fn finished(phases: &'static [&'static str]) -> Lifecycle {
        let mut l = Lifecycle::new(phases);
        l.observed = phases.len();
        l.started = Instant::now()
            .checked_sub(Duration::from_secs(86_400))
            .unwrap_or_else(Instant::now);
        l
    }

    pub fn failing(mut self, status: &'static str) -> Lifecycle {
        self.failure = Some(status);
        self
    }

    fn index(&self, speed: Duration) -> usize {
        let last = self.phases.len().saturating_sub(1);
        let i = if speed.is_zero() {
            self.observed
        } else {
            (self.started.elapsed().as_millis() / speed.as_millis().max(1)) as usize
        };
        i.min(last)
    }

    pub fn status(&self, speed: Duration) -> &'static str {
        let i = self.index(speed);
        match self.failure {
            Some(f) if i + 1 == self.phases.len() => f,
            _ => self.phases.get(i).copied().unwrap_or("unknown"),
        }
    }

    /// Percent done, 0..=100.
    pub fn progress(&self, speed: Duration) -> u32 {
        let n = self.phases.len().saturating_sub(1).max(1);
        (self.index(speed) * 100 / n) as u32
    }

    pub fn done(&self, speed: Duration) -> bool {
        self.index(speed) + 1 >= self.phases.len()
    }

    pub fn failed(&self, speed: Duration) -> bool {
        self.done(speed) && self.failure.is_some()
    }

    pub fn observe(&mut self) {
        self.observed = self.observed.saturating_add(1);
    }
}

pub const ENS_PHASES: &[&str] = &["Creating", "Packing", "Uploading", "Available"];
pub const ECS_PHASES: &[&str] = &["Creating", "Creating", "Available"];
pub const EC2_PHASES: &[&str] = &["pending", "available"];
pub const EC2_TASK_PHASES: &[&str] = &["active", "active", "completed"];
pub const IMS_JOB_PHASES: &[&str] = &["INIT", "RUNNING", "SUCCESS"];

#[derive(Debug, Clone)]
pub struct Image {
    pub provider: Provider,
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub region: String,
    pub life: Lifecycle,
    /// IMS images follow their job; others their own life cycle.
    pub job_id: Option<String>,
    pub instance_id: Option<String>,
    pub snapshot_id: Option<String>,
    pub created_at: String,
    /// Cloud-specific attributes by their wire name (Platform, BootMode,
    /// Features.ImdsSupport, min_ram, ...). For IMS, presence matters: a
    /// `replace` of an absent attribute is IMG.0035.
    pub attrs: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
    /// ECS Deprecated, EC2 deregistered: set by the API, not by time.
    pub status_override: Option<String>,
    pub launch_users: BTreeSet<String>,
    pub public: bool,
    pub disks: Vec<String>,
    /// A copy: the image it was copied from (ECS refuses to delete a
    /// source while a copy of it is running).
    pub copied_from: Option<String>,
}

impl Image {
    pub fn new(
        provider: Provider,
        id: String,
        name: String,
        region: &str,
        life: Lifecycle,
    ) -> Self {
        Image {
            provider,
            id,
            name,
            description: None,
            region: region.to_string(),
            life,
            job_id: None,
            instance_id: None,
            snapshot_id: None,
            created_at: now_iso(),
            attrs: BTreeMap::new(),
            tags: Vec::new(),
            status_override: None,
            launch_users: BTreeSet::new(),
            public: false,
            disks: Vec::new(),
            copied_from: None,
        }
    }

    pub fn attr(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }

    pub fn set(&mut self, k: &str, v: impl Into<String>) {
        self.attrs.insert(k.to_string(), v.into());
    }
}

#[derive(Debug, Clone)]
pub struct ImportTask {
    pub id: String,
    pub life: Lifecycle,
    pub image_id: Option<String>,
    pub region: String,
    pub description: Option<String>,
    pub attrs: BTreeMap<String, String>,
    /// (format, bucket, key, description)
    pub disks: Vec<(String, String, String, String)>,
    pub tags: Vec<(String, String)>,
    pub client_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub job_type: &'static str,
    pub project_id: String,
    pub life: Lifecycle,
    pub image_ids: Vec<String>,
    pub begin_time: String,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub project_id: String,
    pub region: String,
    pub expires: Instant,
}

#[derive(Debug, Default)]
pub struct State {
    pub images: Vec<Image>,
    pub tasks: Vec<ImportTask>,
    pub jobs: Vec<Job>,
    /// (provider, instance id)
    pub instances: std::collections::HashSet<(Provider, String)>,
    /// "bucket/key" per storage: oss (ENS and ECS), s3, obs.
    pub objects: BTreeSet<(&'static str, String)>,
    pub tokens: BTreeMap<String, Token>,
    /// ECS ClientToken -> (fingerprint of the params, image id).
    pub client_tokens: BTreeMap<String, (String, String)>,
    /// Alibaba signature nonces already used, with when they were seen.
    pub nonces: BTreeMap<String, Instant>,
    /// EC2 instances made with RunInstances: id -> (image id, instance type).
    pub launched: BTreeMap<String, (String, String)>,
    /// EC2 snapshots deleted (each AMI's are named after it: snap-<hex>).
    pub deleted_snapshots: BTreeSet<String>,
}

pub const SEED_INSTANCES: &[(Provider, &str)] = &[
    (Provider::Ens, "i-5rr1bnyrc4tswr8cq3w6y"),
    (Provider::Ens, "i-demo-ens"),
    (Provider::Ecs, "i-bp67acfmxazb4p****"),
    (Provider::Ecs, "i-demo-ecs"),
    (Provider::Ec2, "i-1234567890abcdef0"),
    (Provider::Ec2, "i-0demo00000000000a"),
    (Provider::Ims, "877a2cda-ba63-4e1e-b95f-e67e48b6129a"),
    (Provider::Ims, "i-demo-ims"),
];

/// Snapshots count as sources too (ENS/ECS CreateImage --snapshot-id).
pub const SEED_SNAPSHOTS: &[(Provider, &str)] = &[
    (Provider::Ens, "sp-5rr1bnyrc4tswr8cq3w6z"),
    (Provider::Ecs, "s-bp17441ohwka0yuh****"),
    (Provider::Ecs, "s-demo-ecs"),
];

pub const SEED_OBJECTS: &[(&str, &str)] = &[
    ("oss", "tmp-hybrid/image-test"),
    ("oss", "tmp-hybrid/images/web v1/system*~.qcow2"),
    ("oss", "tmp-hybrid/images/web v1/data1.qcow2"),
    ("oss", "tmp-hybrid/images/web v1/data2.qcow2"),
    ("oss", "tmp-hybrid/images/web v1/data1.raw"),
    ("oss", "demo-bucket/demo.qcow2"),
    ("s3", "my-bucket/disk1.vmdk"),
    ("s3", "my-import-bucket/images/web v1/disk1.vmdk"),
    ("s3", "my-import-bucket/images/web v1/disk2.raw"),
    ("s3", "demo-bucket/demo.vmdk"),
    ("obs", "bucket/centos.qcow2"),
    ("obs", "ims-image:images/web v1/centos7.qcow2"),
    ("obs", "ims-image:images/web v1/data1.qcow2"),
    ("obs", "ims-image:images/web v1/disk.zvhd2"),
    ("obs", "demo-bucket/demo.qcow2"),
];

pub const SEED_ENS_IMAGE: &str = "m-5xxggsu4qy1bzvwpsmktamv6a";
pub const SEED_ECS_IMAGE: &str = "m-bp18ygjuqnwhechc";
pub const SEED_ECS_IN_USE: &str = "m-bp1inuse00demo0001";
pub const SEED_ECS_SHARED: &str = "m-bp1shared0demo0001";
pub const SEED_EC2_IMAGE: &str = "ami-0abcdef1234567890";
pub const SEED_EC2_TASK: &str = "import-ami-0123456789abcdef0";
pub const SEED_IMS_IMAGE: &str = "33ad552d-1149-471c-8575-f1d02b9f3d1d";
pub const SEED_IMS_JOB: &str = "ff8080814dbd65d7014dbe0d84db0013";

impl State {
    pub fn seeded() -> State {
        let mut s = State::default();
        for (p, i) in SEED_INSTANCES.iter().chain(SEED_SNAPSHOTS) {
            s.instances.insert((*p, i.to_string()));
        }
        for (store, o) in SEED_OBJECTS {
            let store: &'static str = match *store {
                "oss" => "oss",
                "s3" => "s3",
                _ => "obs",
            };
            s.objects.insert((store, o.replacen(':', "/", 1)));
        }
        // The ids of the README's and DESIGN.md's examples exist too.
        for (id, name) in [
            (SEED_ENS_IMAGE, "demo-ens-image"),
            ("m-5xxgg", "web-v1-example"),
        ] {
            let mut ens = Image::new(
                Provider::Ens,
                id.into(),
                name.into(),
                "",
                Lifecycle::finished(ENS_PHASES),
            );
            ens.instance_id = Some("i-5rr1bnyrc4tswr8cq3w6y".into());
            ens.created_at = SEED_CREATED.into();
            ens.set("Architecture", "x86_64");
            ens.set("Platform", "ubuntu");
            ens.set("OsVersion", "22.04");
            s.images.push(ens);
        }
        let mut ecs = Image::new(
            Provider::Ecs,
            SEED_ECS_IMAGE.into(),
            "demo-ecs-image".into(),
            "cn-hangzhou",
            Lifecycle::finished(ECS_PHASES),
        );
        ecs.set("Architecture", "x86_64");
        ecs.set("Platform", "Ubuntu");
        ecs.set("OSType", "linux");
        ecs.set("BootMode", "BIOS");
        ecs.set("Features.NvmeSupport", "unsupported");
        ecs.set("Features.ImdsSupport", "v1");
        ecs.created_at = SEED_CREATED.into();
        s.images.push(ecs);
        // Images that DeleteImage refuses: one in use by an instance, one
        // shared with another account.
        for (id, name, attr, value) in [
            (SEED_ECS_IN_USE, "demo-ecs-in-use", "InUseBy", "i-demo-ecs"),
            (
                SEED_ECS_SHARED,
                "demo-ecs-shared",
                "SharedWith",
                "1234567890123456",
            ),
        ] {
            let mut img = Image::new(
                Provider::Ecs,
                id.into(),
                name.into(),
                "cn-hangzhou",
                Lifecycle::finished(ECS_PHASES),
            );
            img.set(attr, value);
            s.images.push(img);
        }
        for (id, name) in [
            (SEED_EC2_IMAGE, "demo-ec2-image"),
            ("ami-0abc", "web-v1-example"),
        ] {
            let mut ec2 = Image::new(
                Provider::Ec2,
                id.into(),
                name.into(),
                "us-east-1",
                Lifecycle::finished(EC2_PHASES),
            );
            ec2.instance_id = Some("i-1234567890abcdef0".into());
            ec2.created_at = SEED_CREATED.into();
            ec2.set("architecture", "x86_64");
            s.images.push(ec2);
        }
        let mut ims = Image::new(
            Provider::Ims,
            SEED_IMS_IMAGE.into(),
            "demo-ims-image".into(),
            HW_DEFAULT_REGION,
            Lifecycle::finished(IMS_JOB_PHASES),
        );
        ims.job_id = Some(SEED_IMS_JOB.into());
        ims.instance_id = Some("877a2cda-ba63-4e1e-b95f-e67e48b6129a".into());
        ims.set("min_ram", "0");
        ims.set("min_disk", "40");
        ims.set("__os_version", "Ubuntu 22.04 server 64bit");
        ims.created_at = SEED_CREATED.into();
        s.images.push(ims);
        s.jobs.push(Job {
            id: SEED_IMS_JOB.into(),
            job_type: "createImageByInstance",
            project_id: HW_PROJECT_ID.into(),
            life: Lifecycle::finished(IMS_JOB_PHASES),
            image_ids: vec![SEED_IMS_IMAGE.into()],
            begin_time: now_iso(),
        });
        let task_image = Image::new(
            Provider::Ec2,
            "ami-0fedcba9876543210".into(),
            SEED_EC2_TASK.into(),
            "us-east-1",
            Lifecycle::finished(EC2_PHASES),
        );
        s.tasks.push(ImportTask {
            id: SEED_EC2_TASK.into(),
            life: Lifecycle::finished(EC2_TASK_PHASES),
            image_id: Some(task_image.id.clone()),
            region: "us-east-1".into(),
            description: Some("seeded import".into()),
            attrs: BTreeMap::new(),
            disks: vec![(
                "VMDK".into(),
                "my-bucket".into(),
                "disk1.vmdk".into(),
                String::new(),
            )],
            tags: Vec::new(),
            client_token: None,
        });
        s.images.push(task_image);
        s
    }

    /// The instances of one provider (not its snapshots), seeded ones in
    /// seed order first, then the rest sorted: what DescribeInstances lists.
    pub fn instance_ids(&self, p: Provider) -> Vec<String> {
        let mut seeded: Vec<String> = SEED_INSTANCES
            .iter()
            .filter(|(q, i)| *q == p && self.has_instance(p, i))
            .map(|(_, i)| i.to_string())
            .collect();
        let mut more: Vec<String> = self
            .instances
            .iter()
            .filter(|(q, i)| {
                *q == p
                    && !SEED_INSTANCES.contains(&(p, i.as_str()))
                    && !SEED_SNAPSHOTS.contains(&(p, i.as_str()))
            })
            .map(|(_, i)| i.clone())
            .collect();
        more.sort();
        seeded.extend(more);
        seeded
    }

    pub fn has_instance(&self, p: Provider, id: &str) -> bool {
        self.instances.contains(&(p, id.to_string()))
    }

    pub fn has_object(&self, store: &'static str, bucket: &str, key: &str) -> bool {
        self.objects.contains(&(store, format!("{bucket}/{key}")))
    }

    pub fn image(&self, p: Provider, id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.provider == p && i.id == id)
    }

    pub fn image_mut(&mut self, p: Provider, id: &str) -> Option<&mut Image> {
        self.images
            .iter_mut()
            .find(|i| i.provider == p && i.id == id)
    }

    /// A live image of that provider and region already using the name.
    pub fn name_taken(&self, p: Provider, region: &str, name: &str) -> Option<&Image> {
        self.images.iter().find(|i| {
            i.provider == p
                && i.name == name
                && (p == Provider::Ens || i.region == region)
                && i.status_override.as_deref() != Some("deregistered")
        })
    }

    /// New ids in each cloud's shape.
    pub fn new_id(p: Provider) -> String {
        match p {
            Provider::Ens => format!("m-{}", b36_id(25)),
            Provider::Ecs => format!("m-bp{}", b36_id(16)),
            Provider::Ec2 => format!("ami-{}", hex_id(17)),
            Provider::Ims => uuid(),
        }
    }

    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// Records a nonce; false when it was seen before. Nonces older than
    /// the timestamp window are forgotten: a replay that old fails the
    /// timestamp check anyway.
    pub fn fresh_nonce(&mut self, nonce: &str, window: Duration) -> bool {
        let now = Instant::now();
        self.nonces
            .retain(|_, t| now.saturating_duration_since(*t) <= window * 2);
        self.nonces.insert(nonce.to_string(), now).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_by_observation() {
        let mut l = Lifecycle::new(ENS_PHASES);
        let z = Duration::ZERO;
        let mut seen = Vec::new();
        for _ in 0..5 {
            seen.push(l.status(z));
            l.observe();
        }
        assert_eq!(
            seen,
            ["Creating", "Packing", "Uploading", "Available", "Available"]
        );
        let mut f = Lifecycle::new(ECS_PHASES).failing("CreateFailed");
        f.observe();
        assert_eq!(f.status(z), "Creating");
        f.observe();
        assert_eq!(f.status(z), "CreateFailed");
        assert!(f.failed(z));
    }

    #[test]
    fn lifecycle_by_time() {
        let l = Lifecycle::finished(EC2_PHASES);
        assert_eq!(l.status(Duration::from_secs(2)), "available");
        let n = Lifecycle::new(EC2_PHASES);
        assert_eq!(n.status(Duration::from_secs(3600)), "pending");
        assert_eq!(n.progress(Duration::from_secs(3600)), 0);
    }

    #[test]
    fn project_ids_round_trip() {
        assert_eq!(hw_region_of(HW_PROJECT_ID).as_deref(), Some("cn-north-4"));
        let p = hw_project_id("cn-east-3");
        assert_eq!(p.len(), 32);
        assert_eq!(hw_region_of(&p).as_deref(), Some("cn-east-3"));
    }
}
