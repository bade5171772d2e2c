//! Provider-neutral requests and outcomes, and every validation rule in one
//! place. The CLI builds these from argv; backends turn them into HTTP.
//! Nothing here knows clap or any wire format.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::provider::Provider;
use crate::vocab::State;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// One entry of `--block-device-mapping`: the union of EC2's
/// BlockDeviceMapping and ECS's DiskDeviceMapping; each backend takes the
/// fields its cloud has and refuses the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockDevice {
    pub device_name: Option<String>,
    pub virtual_name: Option<String>,
    pub no_device: bool,
    pub snapshot_id: Option<String>,
    pub volume_size: Option<u64>,
    pub volume_type: Option<String>,
    pub iops: Option<u64>,
    pub throughput: Option<u64>,
    pub kms_key_id: Option<String>,
    pub encrypted: Option<bool>,
    pub delete_on_termination: Option<bool>,
    /// ECS only: `system` or `data`.
    pub disk_type: Option<String>,
}

/// `--data-image name=..,volume=..[,description=..]` (IMS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataImage {
    pub name: String,
    pub volume_id: String,
    pub description: Option<String>,
}

/// An object in a cloud's object store: `oss://`, `s3://` or `obs://`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectUrl {
    pub scheme: String,
    pub bucket: String,
    pub key: String,
}

#[derive(Debug, Clone, Default)]
pub struct CreateImage {
    pub name: String,
    pub instance_id: Option<String>,
    pub snapshot_id: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<Tag>,
    pub snapshot_tags: Vec<Tag>,
    pub no_reboot: bool,
    pub block_devices: Vec<BlockDevice>,
    pub with_data_disks: bool,
    pub delete_instance_after_upload: bool,
    pub target_oss_region: Option<String>,
    pub data_images: Vec<DataImage>,
    pub min_ram: Option<u32>,
    pub max_ram: Option<u32>,
    pub enterprise_project_id: Option<String>,
    pub client_token: Option<String>,
    pub family: Option<String>,
    pub platform: Option<String>,
    pub architecture: Option<String>,
    pub boot_mode: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportImage {
    pub name: Option<String>,
    pub url: Option<ObjectUrl>,
    pub disks: Vec<ObjectUrl>,
    pub oss_region: Option<String>,
    pub format: Option<String>,
    pub os_type: Option<String>,
    pub platform: Option<String>,
    pub os_version: Option<String>,
    pub architecture: Option<String>,
    pub boot_mode: Option<String>,
    pub license_type: Option<String>,
    pub compute_type: Option<String>,
    pub target_oss_region: Option<String>,
    pub min_disk: Option<u32>,
    pub role_name: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<Tag>,
    pub client_token: Option<String>,
    /// IMS: let the cloud configure drivers in the image.
    pub is_config: bool,
    /// IMS: the quick-import path (ZVHD2 and RAW files).
    pub quick_import: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ModifyImage {
    pub image_id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub family: Option<String>,
    pub boot_mode: Option<String>,
    pub license_type: Option<String>,
    pub nvme_support: Option<String>,
    pub imds_support: Option<String>,
    pub launch_permission_add: Vec<String>,
    pub launch_permission_remove: Vec<String>,
    pub make_public: bool,
    pub make_private: bool,
    pub min_ram: Option<u32>,
    pub max_ram: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct DescribeImage {
    pub image_id: String,
}

/// `list`: the caller's own images, filtered and paged.
#[derive(Debug, Clone, Default)]
pub struct ListImages {
    /// Exact name (the cloud's filter may be fuzzy: matched again here).
    pub name: Option<String>,
    /// A true prefix of the name.
    pub name_prefix: Option<String>,
    /// In the cloud's own spelling once validated.
    pub status: Option<String>,
    /// Stop after this many images (default: all).
    pub limit: Option<usize>,
    /// Images asked for per request (default: the cloud's maximum).
    pub page_size: Option<usize>,
}

/// `delete`.
#[derive(Debug, Clone, Default)]
pub struct DeleteImage {
    pub image_id: String,
    /// EC2: delete the AMI's EBS snapshots; IMS: delete_backup.
    pub delete_snapshots: bool,
    /// ECS: Force (delete even when instances use the image).
    pub force: bool,
}

/// `copy`: to another region.
#[derive(Debug, Clone, Default)]
pub struct CopyImage {
    pub image_id: String,
    pub to_region: String,
    pub name: Option<String>,
    pub description: Option<String>,
    /// IMS: the IAM agency the cross-region copy runs as.
    pub agency_name: Option<String>,
}

/// One image of a list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImageSummary {
    pub image_id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    /// The neutral state beside `status` (filled before printing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<State>,
    /// RFC 3339, or null when the cloud gave none (or nothing readable).
    pub created: Option<String>,
}

/// Per provider: the image states the cloud knows, in its spelling.
pub fn image_statuses(p: Provider) -> &'static [&'static str] {
    match p {
        Provider::Ec2 => &[
            "pending",
            "available",
            "invalid",
            "deregistered",
            "transient",
            "failed",
            "error",
            "disabled",
        ],
        Provider::Ecs => &[
            "Creating",
            "Waiting",
            "Available",
            "UnAvailable",
            "CreateFailed",
            "Deprecated",
        ],
        Provider::Ens => &[
            "Creating",
            "Packing",
            "Uploading",
            "Pack_failed",
            "Upload_failed",
            "Available",
            "Unavailable",
            "Copying",
        ],
        Provider::Ims => &["queued", "saving", "active", "killed", "deleted"],
    }
}

impl ListImages {
    /// Checks the values and puts `--status` in the cloud's spelling
    /// (accepted in any case; `available` also names IMS's `active`).
    pub fn validate(&mut self, p: Provider) -> Result<()> {
        if self.name.is_some() && self.name_prefix.is_some() {
            return Err(Error::usage("--name and --name-prefix exclude each other"));
        }
        for (flag, v) in [("--name", &self.name), ("--name-prefix", &self.name_prefix)] {
            if v.as_deref().is_some_and(str::is_empty) {
                return Err(Error::usage(format!("{flag} must not be empty")));
            }
        }
        if self.limit == Some(0) {
            return Err(Error::usage("--limit must be at least 1"));
        }
        if let Some(s) = &self.status {
            let known = image_statuses(p);
            let wanted = if p == Provider::Ims && s.eq_ignore_ascii_case("available") {
                "active"
            } else {
                s.as_str()
            };
            let Some(found) = known.iter().find(|k| k.eq_ignore_ascii_case(wanted)) else {
                return Err(Error::usage(format!(
                    "invalid --status '{s}' for {}: expected one of {}",
                    p.as_str(),
                    known.join(", ")
                )));
            };
            self.status = Some(found.to_string());
        }
        if let Some(n) = self.page_size {
            let (lo, hi) = page_size_range(p);
            if !(lo..=hi).contains(&n) {
                return Err(Error::usage(format!(
                    "--page-size for {} is {lo}-{hi}",
                    p.as_str()
                )));
            }
        }
        Ok(())
    }

    /// What to ask for per request.
    pub fn page_size(&self, p: Provider) -> usize {
        self.page_size.unwrap_or(page_size_range(p).1)
    }

    /// The client-side filter: `--name` exact, `--name-prefix` a true
    /// prefix, `--status` exact (clouds whose filters are fuzzy, prefix-less
    /// or missing all end here).
    pub fn keeps(&self, name: Option<&str>, status: Option<&str>) -> bool {
        let name = name.unwrap_or_default();
        self.name.as_deref().is_none_or(|n| n == name)
            && self
                .name_prefix
                .as_deref()
                .is_none_or(|p| name.starts_with(p))
            && self.status.as_deref().is_none_or(|s| status == Some(s))
    }

    /// Whether `count` images are enough.
    pub fn full(&self, count: usize) -> bool {
        self.limit.is_some_and(|l| count >= l)
    }
}

/// MaxResults / PageSize / limit bounds per cloud.
fn page_size_range(p: Provider) -> (usize, usize) {
    match p {
        // DescribeImages: the EC2 pagination guide's 1000; 5 is the
        // smallest MaxResults EC2's Describe* calls accept.
        Provider::Ec2 => (5, 1000),
        Provider::Ecs => (1, 100),
        Provider::Ens => (1, 50),
        // The API's own default page is 500.
        Provider::Ims => (1, 500),
    }
}

/// A creation time as RFC 3339 UTC, the one format of every outcome
/// (`vocab::rfc3339_utc`): ECS's minutes-only `…T10:22Z` gains `:00`,
/// fractions and offsets go; anything that does not parse becomes null.
pub fn normalize_created(s: Option<&str>) -> Option<String> {
    crate::vocab::rfc3339_utc(s?)
}

impl DeleteImage {
    pub fn validate(&self) -> Result<()> {
        if self.image_id.trim().is_empty() {
            return Err(Error::usage("--image-id must not be empty"));
        }
        Ok(())
    }
}

impl CopyImage {
    pub fn validate(&self, p: Provider) -> Result<()> {
        if self.image_id.trim().is_empty() {
            return Err(Error::usage("--image-id must not be empty"));
        }
        if self.to_region.trim().is_empty() {
            return Err(Error::usage("--to-region must not be empty"));
        }
        if let Some(n) = &self.name {
            validate_image_name(p, n)?;
        }
        if let Some(d) = &self.description {
            validate_description(p, d)?;
        }
        if p == Provider::Ims && self.agency_name.as_deref().is_none_or(str::is_empty) {
            return Err(Error::usage(
                "ims copy needs --agency-name: the IAM agency (with IMS Administrator in both \
                 regions) that the cross-region copy runs as",
            ));
        }
        Ok(())
    }
}

/// What `wait` follows: an image, an IMS job, or an EC2 import task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitTarget {
    Image(String),
    Job(String),
    Task(String),
}

#[derive(Debug, Clone)]
pub struct WaitFor {
    pub target: WaitTarget,
    pub timeout: Duration,
    pub interval: Duration,
}

/// The neutral result of one operation; it becomes the one JSON object on
/// stdout. Field order is the documented order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub provider: &'static str,
    pub operation: &'static str,
    /// `list`: the images found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<ImageSummary>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// `copy`: the image copied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_image_id: Option<String>,
    /// `copy`: the destination region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The cloud's own status, as it wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The neutral state beside `status`; filled from the cloud's status
    /// table before printing when a backend leaves it empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<State>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
    /// RFC 3339 UTC. `Some(None)` prints `null` (describe and wait: the
    /// cloud gave no time); `None` leaves the field out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `delete --delete-snapshots` (EC2): the snapshots deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshots_deleted: Option<Vec<String>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// The create's answer was lost and the image was found by its exact
    /// name and a creation time after the request was sent.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub recovered: bool,
    /// The provider's own response, with `--raw`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Value>,
}

/// An image of the wanted name, as a look-up after an ambiguous create
/// found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub status: String,
    /// The cloud's creation time, as it wrote it.
    pub created: Option<String>,
}

/// What the look-up by name says about a create whose answer was lost.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovery {
    /// Exactly one image of that name made after the request was sent:
    /// the one it made (older ones of that name, where the cloud allows
    /// duplicates, are not).
    Ours(Candidate),
    /// No image of that name.
    Nothing,
    /// Images of that name that are not provably ours (made before the
    /// request, of unknown age, or more than one).
    NotOurs(Vec<Candidate>),
}

impl Recovery {
    /// Decides. `sent` is the moment the first attempt left, in the
    /// server's time as well as it is known, and `margin` how far off
    /// that may be.
    pub fn judge(found: Vec<Candidate>, sent: OffsetDateTime, margin: Duration) -> Recovery {
        let earliest = sent
            .checked_sub(time::Duration::try_from(margin).unwrap_or(time::Duration::ZERO))
            .unwrap_or(sent);
        if found.is_empty() {
            return Recovery::Nothing;
        }
        let new: Vec<&Candidate> = found
            .iter()
            .filter(|c| {
                c.created
                    .as_deref()
                    .and_then(parse_time)
                    .is_some_and(|t| t >= earliest)
            })
            .collect();
        match new.as_slice() {
            [one] => Recovery::Ours((*one).clone()),
            _ => Recovery::NotOurs(found),
        }
    }
}

impl Outcome {
    /// Takes what a look at the image (or job, or task) showed.
    pub fn observed(&mut self, obs: &Observation) {
        self.status = Some(obs.status.clone());
        self.state = Some(obs.state);
        self.progress = obs.progress;
        self.created = Some(obs.created.clone());
        if obs.image_id.is_some() {
            self.image_id = obs.image_id.clone();
        }
    }
}

/// One look at a waited-for thing: the cloud's own status and the neutral
/// state it means, which is what the waiter decides on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observation {
    pub status: String,
    pub state: State,
    pub progress: Option<u8>,
    /// For a job or task, the image it produced (or is producing).
    pub image_id: Option<String>,
    /// Why it failed, when it did.
    pub message: String,
    /// The image's creation time, RFC 3339 UTC.
    pub created: Option<String>,
}

impl Observation {
    pub fn new(status: impl Into<String>, state: State) -> Self {
        Observation {
            status: status.into(),
            state,
            ..Observation::default()
        }
    }
}

/// After an ambiguous create: the image it made, or the error (exit 5)
/// that says why none can be claimed. `e` is the failure of the create
/// itself, `found` the look-up by name (an error when the look-up failed
/// too).
pub fn settle(
    e: Error,
    name: &str,
    found: Result<Vec<Candidate>>,
    sent: OffsetDateTime,
    margin: Duration,
) -> Result<Candidate> {
    let found = match found {
        Ok(f) => f,
        Err(why) => {
            return Err(Error::Unsettled {
                cause: Box::new(e),
                note: format!(
                    "the request may have made an image, and looking for one named '{name}' \
                     failed too ({}): look for it before sending the request again",
                    why.to_string().lines().next().unwrap_or("")
                ),
            });
        }
    };
    let note = match Recovery::judge(found, sent, margin) {
        Recovery::Ours(c) => return Ok(c),
        Recovery::Nothing => format!(
            "no image named '{name}' exists now: the request most likely did not take effect \
             (check again before sending it again)"
        ),
        Recovery::NotOurs(list) => {
            let shown: Vec<String> = list
                .iter()
                .map(|c| {
                    format!(
                        "{} ({}, created {})",
                        c.id,
                        if c.status.is_empty() {
                            "unknown"
                        } else {
                            &c.status
                        },
                        c.created.as_deref().unwrap_or("at an unknown time")
                    )
                })
                .collect();
            let earliest = sent
                .checked_sub(time::Duration::try_from(margin).unwrap_or(time::Duration::ZERO))
                .unwrap_or(sent);
            let new = list
                .iter()
                .filter(|c| {
                    c.created
                        .as_deref()
                        .and_then(parse_time)
                        .is_some_and(|t| t >= earliest)
                })
                .count();
            if new > 1 {
                format!(
                    "{new} images named '{name}' were made since the request was sent ({}): \
                     which one it made cannot be told, so none is claimed",
                    shown.join("; ")
                )
            } else {
                format!(
                    "an image named '{name}' exists, {}, but it was made before this request was \
                     sent (or when is unknown), so it is not this request's and is not claimed; \
                     the request most likely did not take effect",
                    shown.join("; ")
                )
            }
        }
    };
    Err(Error::Unsettled {
        cause: Box::new(e),
        note,
    })
}

/// A creation time as the clouds write it: RFC 3339 with or without
/// fractional seconds (`2024-05-01T10:00:00Z`, `…:00.000Z`), Alibaba's
/// minute form (`2024-05-01T10:00Z`) and an explicit offset.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    // Minute precision: add the seconds.
    let (head, zone) = s.split_at(
        s.find(['Z', '+'])
            .or_else(|| s.rfind('-').filter(|&i| i > 10))?,
    );
    if head.len() == 16 {
        return OffsetDateTime::parse(&format!("{head}:00{zone}"), &Rfc3339).ok();
    }
    None
}

/// One observation of a waited-for thing.
#[derive(Debug, Clone, PartialEq)]
pub enum PollState {
    Seen(Observation),
    /// The cloud does not know the id (yet): right after a create this is
    /// eventual consistency, not failure.
    NotFound,
}

// ---------------------------------------------------------------------------
// Parsing of flag values (pure; errors are usage errors).

pub fn parse_tag(s: &str) -> Result<Tag> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| Error::usage(format!("invalid tag '{s}': expected KEY=VALUE")))?;
    if k.is_empty() {
        return Err(Error::usage(format!("invalid tag '{s}': the key is empty")));
    }
    Ok(Tag {
        key: k.to_string(),
        value: v.to_string(),
    })
}

pub fn parse_object_url(s: &str) -> Result<ObjectUrl> {
    let (scheme, rest) = s.split_once("://").ok_or_else(|| {
        Error::usage(format!(
            "invalid URL '{s}': expected oss://BUCKET/OBJECT, s3://BUCKET/KEY or obs://BUCKET/OBJECT"
        ))
    })?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "oss" | "s3" | "obs") {
        return Err(Error::usage(format!(
            "invalid URL '{s}': the scheme must be oss, s3 or obs"
        )));
    }
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() || key.is_empty() {
        return Err(Error::usage(format!(
            "invalid URL '{s}': both a bucket and an object key are needed"
        )));
    }
    Ok(ObjectUrl {
        scheme,
        bucket: bucket.to_string(),
        key: key.to_string(),
    })
}

/// `30s`, `5m`, `1h30m`, `250ms`, `2d`, or a bare number of seconds; at
/// most 7 days, which bounds every duration imgctl takes (flags narrow it
/// further) and keeps deadlines far from overflowing.
pub fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    const MAX: Duration = Duration::from_secs(7 * 86_400);
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    let too_long = || format!("invalid duration '{s}': longer than 7d");
    let total = if let Ok(secs) = s.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let mut total = Duration::ZERO;
        let mut rest = s;
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits == 0 {
                return Err(format!(
                    "invalid duration '{s}': expected e.g. 30s, 5m, 1h30m"
                ));
            }
            // Only a number too big for u64 fails here: digits were checked.
            let n: u64 = rest[..digits].parse().map_err(|_| too_long())?;
            rest = &rest[digits..];
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let secs_per = match unit {
                "ms" => {
                    total = total
                        .checked_add(Duration::from_millis(n))
                        .ok_or_else(too_long)?;
                    continue;
                }
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86_400,
                _ => {
                    return Err(format!(
                        "invalid duration '{s}': unknown unit '{unit}' (use ms, s, m, h or d)"
                    ));
                }
            };
            let d = n
                .checked_mul(secs_per)
                .map(Duration::from_secs)
                .ok_or_else(too_long)?;
            total = total.checked_add(d).ok_or_else(too_long)?;
        }
        total
    };
    if total > MAX {
        return Err(too_long());
    }
    Ok(total)
}

pub fn parse_data_image(s: &str) -> Result<DataImage> {
    let mut name = None;
    let mut volume = None;
    let mut description = None;
    for part in s.split(',') {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "invalid --data-image '{s}': expected name=NAME,volume=VOLUME_ID[,description=TEXT]"
            ))
        })?;
        match k.trim() {
            "name" => name = Some(v.to_string()),
            "volume" | "volume_id" | "volume-id" => volume = Some(v.to_string()),
            "description" => description = Some(v.to_string()),
            other => {
                return Err(Error::usage(format!(
                    "invalid --data-image '{s}': unknown key '{other}' (name, volume, description)"
                )));
            }
        }
    }
    match (name, volume) {
        (Some(name), Some(volume_id)) => Ok(DataImage {
            name,
            volume_id,
            description,
        }),
        _ => Err(Error::usage(format!(
            "invalid --data-image '{s}': both name= and volume= are required"
        ))),
    }
}

/// `--block-device-mapping`: the AWS CLI's JSON (an object or a list), the
/// AWS CLI shorthand (`DeviceName=/dev/xvda,Ebs={VolumeSize=20}`), or our
/// compact form (`device=/dev/xvda,size=20,type=gp3`).
pub fn parse_block_devices(s: &str) -> Result<Vec<BlockDevice>> {
    let t = s.trim();
    if t.starts_with('[') || t.starts_with('{') {
        let v: Value = serde_json::from_str(t)
            .map_err(|e| Error::usage(format!("invalid --block-device-mapping JSON: {e}")))?;
        let items = match v {
            Value::Array(a) => a,
            o @ Value::Object(_) => vec![o],
            _ => {
                return Err(Error::usage(
                    "invalid --block-device-mapping JSON: expected an object or a list of objects",
                ));
            }
        };
        return items.iter().map(block_device_from_json).collect();
    }
    let mut bd = BlockDevice::default();
    for (k, v) in split_shorthand(t)? {
        if k == "Ebs" {
            let inner = v
                .strip_prefix('{')
                .and_then(|x| x.strip_suffix('}'))
                .ok_or_else(|| {
                    Error::usage("invalid --block-device-mapping: Ebs={...} expected")
                })?;
            for (ik, iv) in split_shorthand(inner)? {
                set_block_field(&mut bd, &ik, &iv)?;
            }
        } else {
            set_block_field(&mut bd, &k, &v)?;
        }
    }
    Ok(vec![bd])
}

/// Splits `a=1,b={x=1,y=2},c=3` at top-level commas.
fn split_shorthand(s: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut push = |part: &str| -> Result<()> {
        if part.trim().is_empty() {
            return Ok(());
        }
        let (k, v) = part.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "invalid --block-device-mapping '{s}': '{part}' is not KEY=VALUE"
            ))
        })?;
        out.push((k.trim().to_string(), v.trim().to_string()));
        Ok(())
    };
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b',' if depth == 0 => {
                push(&s[start..i])?;
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(Error::usage(format!(
            "invalid --block-device-mapping '{s}': unbalanced braces"
        )));
    }
    push(&s[start..])?;
    Ok(out)
}

fn set_block_field(bd: &mut BlockDevice, key: &str, v: &str) -> Result<()> {
    let num = |v: &str| -> Result<u64> {
        v.parse()
            .map_err(|_| Error::usage(format!("--block-device-mapping: {key}={v} is not a number")))
    };
    let boolean = |v: &str| -> Result<bool> {
        match v.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(Error::usage(format!(
                "--block-device-mapping: {key}={v} must be true or false"
            ))),
        }
    };
    match key.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "devicename" | "device" => bd.device_name = Some(v.to_string()),
        "virtualname" => bd.virtual_name = Some(v.to_string()),
        "nodevice" => bd.no_device = true,
        "snapshotid" | "snapshot" => bd.snapshot_id = Some(v.to_string()),
        "volumesize" | "size" => bd.volume_size = Some(num(v)?),
        "volumetype" | "type" => bd.volume_type = Some(v.to_string()),
        "iops" => bd.iops = Some(num(v)?),
        "throughput" => bd.throughput = Some(num(v)?),
        "kmskeyid" => bd.kms_key_id = Some(v.to_string()),
        "encrypted" => bd.encrypted = Some(boolean(v)?),
        "deleteontermination" => bd.delete_on_termination = Some(boolean(v)?),
        "disktype" => bd.disk_type = Some(v.to_string()),
        _ => {
            return Err(Error::usage(format!(
                "--block-device-mapping: unknown key '{key}' (DeviceName, VirtualName, NoDevice, \
                 SnapshotId, VolumeSize, VolumeType, Iops, Throughput, KmsKeyId, Encrypted, \
                 DeleteOnTermination, DiskType)"
            )));
        }
    }
    Ok(())
}

fn block_device_from_json(v: &Value) -> Result<BlockDevice> {
    let obj = v.as_object().ok_or_else(|| {
        Error::usage("--block-device-mapping JSON: each mapping must be an object")
    })?;
    let mut bd = BlockDevice::default();
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    for (k, v) in obj {
        if k == "Ebs" {
            let ebs = v.as_object().ok_or_else(|| {
                Error::usage("--block-device-mapping JSON: Ebs must be an object")
            })?;
            for (ik, iv) in ebs {
                set_block_field(&mut bd, ik, &scalar(iv))?;
            }
        } else if k == "NoDevice" {
            bd.no_device = true;
        } else {
            set_block_field(&mut bd, k, &scalar(v))?;
        }
    }
    Ok(bd)
}

// ---------------------------------------------------------------------------
// Validation: each cloud's documented rules, checked before anything is sent.

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn invalid(what: &str, value: &str, provider: Provider, rule: &str) -> Error {
    Error::usage(format!(
        "invalid {what} '{value}' for {}: {rule}",
        provider.as_str()
    ))
}

/// Image name rules per cloud (see ref/ and the seed pages).
pub fn validate_image_name(provider: Provider, name: &str) -> Result<()> {
    let len = name.chars().count();
    let first = name.chars().next();
    match provider {
        Provider::Ens | Provider::Ecs => {
            let ecs = provider == Provider::Ecs;
            let rule = if ecs {
                "2-128 characters, starting with a letter or a Chinese character; letters, Chinese \
                 characters, digits, '.', ':', '_' and '-'; not starting with 'aliyun' or 'acs:', \
                 never containing 'http://' or 'https://'"
            } else {
                "2-128 characters, starting with a letter or a Chinese character; letters, Chinese \
                 characters, digits, ':', '_' and '-'; not starting with 'http://' or 'https://'"
            };
            let bad = !(2..=128).contains(&len)
                || !first.is_some_and(|c| c.is_ascii_alphabetic() || is_chinese(c))
                || name.starts_with("http://")
                || name.starts_with("https://")
                || (ecs
                    && (name.starts_with("aliyun")
                        || name.starts_with("acs:")
                        || name.contains("http://")
                        || name.contains("https://")))
                || !name.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || is_chinese(c)
                        || matches!(c, ':' | '_' | '-')
                        || (ecs && c == '.')
                });
            if bad {
                return Err(invalid("image name", name, provider, rule));
            }
        }
        Provider::Ec2 => {
            let ok = (3..=128).contains(&len)
                && name.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(
                            c,
                            '(' | ')' | '[' | ']' | ' ' | '.' | '/' | '-' | '\'' | '@' | '_'
                        )
                });
            if !ok {
                return Err(invalid(
                    "image name",
                    name,
                    provider,
                    "3-128 characters: letters, digits and ( ) [ ] space . / - ' @ _",
                ));
            }
        }
        Provider::Ims => {
            let ok = (1..=128).contains(&len)
                && !name.starts_with(' ')
                && !name.ends_with(' ')
                && name.chars().all(|c| {
                    c.is_ascii_alphanumeric() || is_chinese(c) || matches!(c, '-' | '.' | '_' | ' ')
                });
            if !ok {
                return Err(invalid(
                    "image name",
                    name,
                    provider,
                    "1-128 characters: letters, digits, Chinese characters, '-', '.', '_' and \
                     spaces, with no space first or last",
                ));
            }
        }
    }
    Ok(())
}

pub fn validate_description(provider: Provider, d: &str) -> Result<()> {
    let len = d.chars().count();
    let (ok, rule) = match provider {
        Provider::Ecs => (
            (2..=256).contains(&len) && !d.starts_with("http://") && !d.starts_with("https://"),
            "2-256 characters, not starting with 'http://' or 'https://'",
        ),
        Provider::Ec2 => (len <= 255, "at most 255 characters"),
        Provider::Ims => (
            len <= 1024 && !d.contains(['\r', '<', '>']),
            "at most 1024 characters, without carriage returns, '<' or '>'",
        ),
        // ENS image APIs take no description; the capability table refuses it earlier.
        Provider::Ens => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(invalid("description", d, provider, rule))
    }
}

pub fn validate_tags(provider: Provider, tags: &[Tag]) -> Result<()> {
    let (max, key_max, val_max) = match provider {
        Provider::Ecs => (20, 128, 128),
        Provider::Ec2 => (50, 128, 256),
        Provider::Ims => (20, 36, 43),
        Provider::Ens => (20, 128, 128),
    };
    if tags.len() > max {
        return Err(Error::usage(format!(
            "too many tags for {}: {} given, at most {max}",
            provider.as_str(),
            tags.len()
        )));
    }
    for t in tags {
        let kl = t.key.chars().count();
        let vl = t.value.chars().count();
        if kl == 0 || kl > key_max || vl > val_max {
            return Err(Error::usage(format!(
                "invalid tag '{}={}' for {}: keys are 1-{key_max} characters, values at most {val_max}",
                t.key,
                t.value,
                provider.as_str()
            )));
        }
        let reserved = match provider {
            Provider::Ecs => {
                t.key.starts_with("aliyun")
                    || t.key.starts_with("acs:")
                    || t.key.contains("http://")
                    || t.key.contains("https://")
            }
            Provider::Ec2 => t.key.to_ascii_lowercase().starts_with("aws:"),
            _ => false,
        };
        if reserved {
            return Err(Error::usage(format!(
                "invalid tag key '{}' for {}: the prefix is reserved by the cloud",
                t.key,
                provider.as_str()
            )));
        }
        if provider == Provider::Ims {
            let ok = |s: &str| {
                s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
            };
            if !ok(&t.key) || !ok(&t.value) {
                return Err(Error::usage(format!(
                    "invalid tag '{}={}' for ims: only letters, digits, '_' and '-'",
                    t.key, t.value
                )));
            }
        }
    }
    Ok(())
}

/// A region id as every cloud spells one (cn-hangzhou, us-east-1,
/// cn-north-4): the region becomes part of a host name
/// (`ecs.<region>.aliyuncs.com`), so anything else — `x@evil:443/#` — could
/// send signed requests to a host of someone else's choosing.
pub fn is_region_id(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A usage error naming the region; config.rs turns it into a
/// configuration error when the region came from the environment or a file.
pub fn validate_region(region: &str) -> Result<()> {
    if is_region_id(region) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "invalid region '{}': a region id has only lowercase letters, digits and '-' \
         (e.g. cn-hangzhou, us-east-1, cn-north-4)",
        region.escape_debug()
    )))
}

fn check_url_scheme(provider: Provider, url: &ObjectUrl) -> Result<()> {
    let want = match provider {
        Provider::Ens | Provider::Ecs => "oss",
        Provider::Ec2 => "s3",
        Provider::Ims => "obs",
    };
    if url.scheme != want {
        return Err(Error::usage(format!(
            "{} imports from {want}:// URLs, not {}://{}/{}",
            provider.as_str(),
            url.scheme,
            url.bucket,
            url.key
        )));
    }
    Ok(())
}

impl CreateImage {
    pub fn validate(&self, p: Provider) -> Result<()> {
        validate_image_name(p, &self.name)?;
        if let Some(d) = &self.description {
            validate_description(p, d)?;
        }
        validate_tags(p, &self.tags)?;
        validate_tags(p, &self.snapshot_tags)?;
        match p {
            Provider::Ens | Provider::Ecs => {
                if self.instance_id.is_none()
                    && self.snapshot_id.is_none()
                    && self.block_devices.is_empty()
                {
                    return Err(Error::usage(format!(
                        "{} create needs --instance-id or --snapshot-id{}",
                        p.as_str(),
                        if p == Provider::Ecs {
                            " or --block-device-mapping"
                        } else {
                            ""
                        }
                    )));
                }
            }
            Provider::Ec2 => {
                if self.instance_id.is_none() {
                    return Err(Error::usage("ec2 create needs --instance-id"));
                }
            }
            Provider::Ims => {
                if self.instance_id.is_none() && self.data_images.is_empty() {
                    return Err(Error::usage(
                        "ims create needs --instance-id (or --data-image for data-disk images)",
                    ));
                }
            }
        }
        if let Some(t) = &self.client_token
            && (t.is_empty() || t.len() > 64 || !t.is_ascii())
        {
            return Err(Error::usage(
                "invalid --client-token: 1-64 ASCII characters",
            ));
        }
        if let Some(f) = &self.family {
            validate_image_name(p, f).map_err(|_| {
                Error::usage(format!(
                    "invalid --family '{f}': the same rules as an image name apply"
                ))
            })?;
        }
        if let (Some(a), Some(b)) = (self.min_ram, self.max_ram)
            && a > b
        {
            return Err(Error::usage("--min-ram must not exceed --max-ram"));
        }
        if p == Provider::Ecs && self.block_devices.len() > 17 {
            return Err(Error::usage(
                "ecs takes at most 17 disk device mappings (1 system disk and 16 data disks)",
            ));
        }
        Ok(())
    }
}

impl ImportImage {
    pub fn validate(&self, p: Provider) -> Result<()> {
        match (&self.name, p) {
            (Some(n), _) => validate_image_name(p, n)?,
            (None, Provider::Ec2) => {}
            (None, _) => {
                return Err(Error::usage(format!("{} import needs --name", p.as_str())));
            }
        }
        let url = self
            .url
            .as_ref()
            .ok_or_else(|| Error::usage("import needs --url pointing at the image file"))?;
        check_url_scheme(p, url)?;
        for d in &self.disks {
            check_url_scheme(p, d)?;
        }
        if let Some(d) = &self.description {
            validate_description(p, d)?;
        }
        validate_tags(p, &self.tags)?;
        match p {
            Provider::Ens => {
                // The ENS API marks these required; say so before sending.
                for (flag, v) in [
                    ("--os-type", &self.os_type),
                    ("--format", &self.format),
                    ("--architecture", &self.architecture),
                ] {
                    if v.is_none() {
                        return Err(Error::usage(format!("ens import needs {flag}")));
                    }
                }
            }
            Provider::Ecs => {
                if self.disks.len() > 16 {
                    return Err(Error::usage("ecs imports at most 16 data disks"));
                }
            }
            Provider::Ec2 => {}
            Provider::Ims => {
                if self.quick_import && self.os_version.is_none() {
                    return Err(Error::usage("ims --quick-import needs --os-version"));
                }
                if self.min_disk.is_none() {
                    return Err(Error::usage("ims import needs --min-disk (GB, 40-1024)"));
                }
                // The ordinary import path needs 40-1024 GB; quick import 1-1024.
                let low = if self.quick_import { 1 } else { 40 };
                if let Some(m) = self.min_disk
                    && !(low..=1024).contains(&m)
                {
                    return Err(Error::usage(format!(
                        "--min-disk must be {low}-1024 (GB) for ims{}",
                        if self.quick_import {
                            " quick import"
                        } else {
                            " import"
                        }
                    )));
                }
                if self.disks.len() > 3 {
                    return Err(Error::usage("ims imports at most 3 data disks"));
                }
            }
        }
        if let Some(t) = &self.client_token
            && (t.is_empty() || t.len() > 64 || !t.is_ascii())
        {
            return Err(Error::usage(
                "invalid --client-token: 1-64 ASCII characters",
            ));
        }
        Ok(())
    }
}

impl ModifyImage {
    pub fn validate(&self, p: Provider) -> Result<()> {
        if self.image_id.trim().is_empty() {
            return Err(Error::usage("modify needs --image-id"));
        }
        if let Some(n) = &self.name {
            validate_image_name(p, n)?;
        }
        if let Some(d) = &self.description {
            validate_description(p, d)?;
        }
        if let Some(f) = &self.family {
            validate_image_name(p, f).map_err(|_| {
                Error::usage(format!(
                    "invalid --family '{f}': the same rules as an image name apply"
                ))
            })?;
        }
        if self.make_public && self.make_private {
            return Err(Error::usage(
                "--make-public and --make-private contradict each other",
            ));
        }
        for a in self
            .launch_permission_add
            .iter()
            .chain(&self.launch_permission_remove)
        {
            if a.len() != 12 || !a.chars().all(|c| c.is_ascii_digit()) {
                return Err(Error::usage(format!(
                    "invalid account id '{a}': an AWS account id is 12 digits"
                )));
            }
        }
        if let (Some(a), Some(b)) = (self.min_ram, self.max_ram)
            && a > b
        {
            return Err(Error::usage("--min-ram must not exceed --max-ram"));
        }
        let ec2_count = usize::from(self.description.is_some())
            + usize::from(self.imds_support.is_some())
            + usize::from(
                self.make_public
                    || self.make_private
                    || !self.launch_permission_add.is_empty()
                    || !self.launch_permission_remove.is_empty(),
            );
        let nothing = self.name.is_none()
            && ec2_count == 0
            && self.status.is_none()
            && self.family.is_none()
            && self.boot_mode.is_none()
            && self.license_type.is_none()
            && self.nvme_support.is_none()
            && self.min_ram.is_none()
            && self.max_ram.is_none();
        if nothing {
            return Err(Error::usage(
                "modify needs at least one attribute to change (see --help)",
            ));
        }
        if p == Provider::Ens && self.name.is_none() {
            return Err(Error::usage(
                "ens modify can only rename: --name is required",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, created: Option<&str>) -> Candidate {
        Candidate {
            id: id.into(),
            status: "Creating".into(),
            created: created.map(str::to_string),
        }
    }

    fn at(s: &str) -> OffsetDateTime {
        parse_time(s).expect("time")
    }

    #[test]
    fn creation_times() {
        assert_eq!(at("2024-05-01T10:00:00Z").unix_timestamp(), 1714557600);
        assert_eq!(at("2024-05-01T10:00:00.000Z").unix_timestamp(), 1714557600);
        assert_eq!(at("2024-05-01T10:00Z").unix_timestamp(), 1714557600);
        assert_eq!(at("2024-05-01T18:00:00+08:00").unix_timestamp(), 1714557600);
        assert_eq!(at("2024-05-01T18:00+08:00").unix_timestamp(), 1714557600);
        assert_eq!(at("2024-05-01T02:00-08:00").unix_timestamp(), 1714557600);
        assert_eq!(at("2024-05-01T02:00:00-08:00").unix_timestamp(), 1714557600);
        for bad in [
            "",
            "yesterday",
            "2024-05-01",
            "2024-13-01T10:00:00Z",
            "T",
            "+",
            "-",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    /// Made after the request was sent (within the margin): ours. Before
    /// it, of unknown age, or one of several new ones: not ours.
    #[test]
    fn recovery_is_judged_by_name_and_time() {
        let sent = at("2024-05-01T10:00:00Z");
        let m = Duration::from_secs(3);
        let judge = |f: Vec<Candidate>| Recovery::judge(f, sent, m);
        assert_eq!(judge(vec![]), Recovery::Nothing);
        let new = cand("m-new", Some("2024-05-01T10:00:05Z"));
        assert_eq!(judge(vec![new.clone()]), Recovery::Ours(new.clone()));
        // Within the margin (clocks and whole seconds): still ours.
        let edge = cand("m-edge", Some("2024-05-01T09:59:57Z"));
        assert_eq!(judge(vec![edge.clone()]), Recovery::Ours(edge));
        let early = cand("m-early", Some("2024-05-01T09:59:56Z"));
        assert_eq!(
            judge(vec![early.clone()]),
            Recovery::NotOurs(vec![early.clone()])
        );
        let old = cand("m-old", Some("2024-01-15T08:00:00Z"));
        assert_eq!(
            judge(vec![old.clone()]),
            Recovery::NotOurs(vec![old.clone()])
        );
        let unknown = cand("m-unknown", None);
        assert_eq!(
            judge(vec![unknown.clone()]),
            Recovery::NotOurs(vec![unknown])
        );
        let garbled = cand("m-garbled", Some("soon"));
        assert_eq!(
            judge(vec![garbled.clone()]),
            Recovery::NotOurs(vec![garbled])
        );
        // Where names may repeat (IMS), an older namesake does not hide ours.
        assert_eq!(
            judge(vec![old.clone(), new.clone()]),
            Recovery::Ours(new.clone())
        );
        let new2 = cand("m-new2", Some("2024-05-01T10:00:09Z"));
        assert_eq!(
            judge(vec![new.clone(), new2.clone()]),
            Recovery::NotOurs(vec![new, new2])
        );
    }

    #[test]
    fn settle_says_why_nothing_is_claimed() {
        let sent = at("2024-05-01T10:00:00Z");
        let m = Duration::from_secs(3);
        let cause = || Error::bad_response("lost", 0);
        let c = settle(
            cause(),
            "web",
            Ok(vec![cand("m-1", Some("2024-05-01T10:00:01Z"))]),
            sent,
            m,
        )
        .expect("ours");
        assert_eq!(c.id, "m-1");
        let e = settle(
            cause(),
            "web",
            Ok(vec![cand("m-old", Some("2024-01-15T08:00:00Z"))]),
            sent,
            m,
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 5);
        let s = e.to_string();
        assert!(s.contains("m-old") && s.contains("not claimed"), "{s}");
        assert!(s.contains("most likely did not take effect"), "{s}");
        assert!(s.contains("2024-01-15T08:00:00Z"), "{s}");
        let e = settle(cause(), "web", Ok(vec![]), sent, m).unwrap_err();
        assert_eq!(e.exit_code(), 5);
        assert!(e.to_string().contains("no image named 'web'"), "{e}");
        let two = vec![
            cand("m-a", Some("2024-05-01T10:00:01Z")),
            cand("m-b", Some("2024-05-01T10:00:02Z")),
        ];
        let e = settle(cause(), "web", Ok(two), sent, m).unwrap_err();
        assert!(e.to_string().contains("2 images named 'web'"), "{e}");
        let e = settle(
            cause(),
            "web",
            Err(Error::bad_response("html", 502)),
            sent,
            m,
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 5);
        assert!(e.to_string().contains("failed too"), "{e}");
        // The first failure stays in the message.
        assert!(e.to_string().contains("lost"), "{e}");
    }

    #[test]
    fn region_ids() {
        for ok in ["cn-hangzhou", "us-east-1", "cn-north-4", "ap-southeast-1"] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "x@127.0.0.1:1/#",
            "US-EAST-1",
            "cn hangzhou",
            "a.b",
            "a/b",
            "é",
        ] {
            assert!(
                matches!(validate_region(bad), Err(Error::Usage(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn ens_names() {
        assert!(validate_image_name(Provider::Ens, "web-v1:prod_2").is_ok());
        assert!(validate_image_name(Provider::Ens, "镜像-1").is_ok());
        assert!(validate_image_name(Provider::Ens, "a").is_err());
        assert!(validate_image_name(Provider::Ens, "1abc").is_err());
        assert!(validate_image_name(Provider::Ens, "web.v1").is_err());
        assert!(validate_image_name(Provider::Ens, "http://x").is_err());
        assert!(validate_image_name(Provider::Ens, &"a".repeat(129)).is_err());
        assert!(validate_image_name(Provider::Ens, &"a".repeat(128)).is_ok());
    }

    #[test]
    fn ecs_names() {
        assert!(validate_image_name(Provider::Ecs, "web.v1").is_ok());
        assert!(validate_image_name(Provider::Ecs, "aliyun-img").is_err());
        assert!(validate_image_name(Provider::Ecs, "acs:img").is_err());
        assert!(validate_image_name(Provider::Ecs, "a b").is_err());
    }

    #[test]
    fn ec2_and_ims_names() {
        assert!(validate_image_name(Provider::Ec2, "my-ami (v1) [x] @me/o'k_").is_ok());
        assert!(validate_image_name(Provider::Ec2, "ab").is_err());
        assert!(validate_image_name(Provider::Ec2, "ami#1").is_err());
        assert!(validate_image_name(Provider::Ims, "x").is_ok());
        assert!(validate_image_name(Provider::Ims, "my image 镜像.1").is_ok());
        assert!(validate_image_name(Provider::Ims, " lead").is_err());
        assert!(validate_image_name(Provider::Ims, "trail ").is_err());
        assert!(validate_image_name(Provider::Ims, "a:b").is_err());
    }

    #[test]
    fn list_filters_and_times() {
        let mut l = ListImages {
            name_prefix: Some("web-".into()),
            status: Some("AVAILABLE".into()),
            ..ListImages::default()
        };
        l.validate(Provider::Ecs).unwrap();
        assert_eq!(l.status.as_deref(), Some("Available"));
        assert!(l.keeps(Some("web-1"), Some("Available")));
        assert!(!l.keeps(Some("my-web-1"), Some("Available")));
        assert!(!l.keeps(Some("web-1"), Some("Creating")));
        let mut i = ListImages {
            status: Some("available".into()),
            ..ListImages::default()
        };
        i.validate(Provider::Ims).unwrap();
        assert_eq!(i.status.as_deref(), Some("active"));
        let mut bad = ListImages {
            status: Some("gone".into()),
            ..ListImages::default()
        };
        assert_eq!(bad.validate(Provider::Ec2).unwrap_err().exit_code(), 2);
        assert_eq!(
            normalize_created(Some("2026-11-29T10:22Z")).as_deref(),
            Some("2026-11-29T10:22:00Z")
        );
        assert_eq!(
            normalize_created(Some("2026-11-29T21:10:18.000Z")).as_deref(),
            Some("2026-11-29T21:10:18Z")
        );
        assert_eq!(normalize_created(Some("yesterday")), None);
        assert_eq!(normalize_created(None), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("m").is_err());
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        for huge in [
            "7d1ms",
            "99999999999999999h",
            "18446744073709551615s1s",
            "99999999999999999999999",
            "18446744073709551615ms18446744073709551615ms",
        ] {
            let e = parse_duration(huge).unwrap_err();
            assert!(e.contains("longer than 7d"), "{huge}: {e}");
        }
    }

    #[test]
    fn block_devices_three_forms() {
        let a =
            parse_block_devices("DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3}").unwrap();
        let b = parse_block_devices(
            r#"[{"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":20,"VolumeType":"gp3"}}]"#,
        )
        .unwrap();
        let c = parse_block_devices("device=/dev/xvda,size=20,type=gp3").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a[0].volume_size, Some(20));
        let nd = parse_block_devices(r#"{"DeviceName":"/dev/sdb","NoDevice":""}"#).unwrap();
        assert!(nd[0].no_device);
        assert!(parse_block_devices("size=big").is_err());
        assert!(parse_block_devices("Ebs={VolumeSize=1").is_err());
        assert!(parse_block_devices("[1,2]").is_err());
    }

    #[test]
    fn urls_and_tags() {
        let u = parse_object_url("oss://tmp-hybrid/dir/image-test").unwrap();
        assert_eq!(
            (u.bucket.as_str(), u.key.as_str()),
            ("tmp-hybrid", "dir/image-test")
        );
        assert!(parse_object_url("oss://bucket").is_err());
        assert!(parse_object_url("http://x/y").is_err());
        assert_eq!(parse_tag("a=b=c").unwrap().value, "b=c");
        assert!(parse_tag("novalue").is_err());
        assert!(validate_tags(Provider::Ec2, &[parse_tag("aws:x=1").unwrap()]).is_err());
    }
}
