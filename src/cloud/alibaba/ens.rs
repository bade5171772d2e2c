//! Alibaba Cloud ENS (API 2017-11-10, one endpoint: ens.aliyuncs.com).
//! ENS has no DryRun and no idempotency token: `--dry-run` signs and shows
//! the request without sending it, and creates are never sent twice.

use serde_json::{Map, Value};

use crate::backend::{Backend, Ctx};
use crate::cloud::alibaba::rpc::{self, Answer, Api, Params};
use crate::cloud::alibaba::{
    exact, image_list, list_pages, not_found, observe, outcome, required, text,
};
use crate::error::{Error, Result};
use crate::ops::{
    Candidate, CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage,
    Observation, Outcome, PollState, WaitTarget,
};
use crate::provider::{Capabilities, Provider, Verb};
use crate::transport::Idempotency;
use crate::vocab::{Spelling, State, StatusEntry, rfc3339_utc, state_of};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "snapshot-id",
        "with-data-disks",
        "delete-instance-after-upload",
        "target-oss-region",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "oss-region",
        "format",
        "os-type",
        "platform",
        "os-version",
        "architecture",
        "license-type",
        "compute-type",
        "target-oss-region",
    ],
    modify: &["image-id", "name"],
    wait: &["image-id"],
    list: &["name", "name-prefix", "status", "limit", "page-size"],
    delete: &["image-id"],
    copy: &[],
};

/// How ENS spells each enumerated value (ref/alibaba.md, ImportImage).
pub const VALUES: &[Spelling] = &[
    Spelling {
        flag: "format",
        verbs: &[Verb::Import],
        values: &[("qcow2", "qcow2")],
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
        verbs: &[Verb::Import],
        values: &[("x86_64", "x86_64")],
        open: false,
    },
    // A distribution name: the documented ones in ENS's lower case,
    // others as given.
    Spelling {
        flag: "platform",
        verbs: &[Verb::Import],
        values: &[("centos", "centos"), ("ubuntu", "ubuntu")],
        open: true,
    },
    // ENS documents no values for LicenseType: sent as given.
    Spelling {
        flag: "license-type",
        verbs: &[Verb::Import],
        values: &[],
        open: true,
    },
];

/// What each documented ENS image status means (ref/alibaba.md §3,
/// ref/lifecycle.md). Unavailable is not documented as final or not.
pub const STATUSES: &[StatusEntry] = &[
    StatusEntry {
        of: "image",
        status: "Creating",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "Packing",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "Uploading",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "Copying",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "Available",
        state: State::Available,
    },
    StatusEntry {
        of: "image",
        status: "Pack_failed",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "Upload_failed",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "Unavailable",
        state: State::Unknown,
    },
];

const VERSION: &str = "2017-11-10";
const HOST: &str = "ens.aliyuncs.com";
/// DescribeSelfImages pages; ImageId is a fuzzy filter, so the exact id
/// may sit on a later page.
const PAGE_SIZE: usize = 50;
const MAX_PAGES: usize = 20;

pub struct Ens {
    ctx: Ctx,
    api: Api,
    /// Asked before every request: fetched keys are refreshed in time.
    creds: crate::refresh::Handle,
}

impl Ens {
    pub fn new(ctx: Ctx) -> Result<Self> {
        let endpoint = ctx.settings.endpoint_url.as_ref().map(|v| v.value.as_str());
        let api = Api::new(Provider::Ens, VERSION, endpoint, HOST)?;
        let creds =
            crate::cloud::alibaba::credentials::handle(&ctx.settings, ctx.cache_dir.clone())?;
        Ok(Ens { ctx, api, creds })
    }

    /// Sends, or with `--dry-run` signs, shows (with --debug) and keeps.
    async fn send(
        &self,
        operation: &'static str,
        action: &str,
        params: &Params,
        idempotency: Idempotency,
    ) -> Result<Outcome> {
        if self.ctx.dry_run {
            let keys = self.creds.keys(&self.ctx.transport).await?;
            let req = rpc::fresh_request(&self.ctx, &self.api, &keys, action, params)?;
            self.ctx.transport.show_unsent(&req);
            return Ok(Outcome {
                provider: Provider::Ens.as_str(),
                operation,
                image_id: params.get("ImageId").map(str::to_string),
                name: params.get("ImageName").map(str::to_string),
                dry_run: true,
                ..Outcome::default()
            });
        }
        let sent = time::OffsetDateTime::now_utc();
        let a = match rpc::call(
            &self.ctx,
            &self.api,
            &self.creds,
            action,
            params,
            idempotency,
        )
        .await
        {
            Ok(a) => a,
            Err(e) if idempotency == Idempotency::Unsafe && e.is_ambiguous() => {
                let Some(name) = params.get("ImageName") else {
                    return Err(e);
                };
                return self.recover(operation, e, name, sent).await;
            }
            Err(e) => return Err(e),
        };
        let mut o = outcome(Provider::Ens, operation, &a, self.ctx.raw);
        o.name = params.get("ImageName").map(str::to_string);
        o.image_id = match params.get("ImageId") {
            // A rename answers with a request id only.
            Some(id) => Some(o.image_id.unwrap_or_else(|| id.to_string())),
            None => Some(required(&a, action, "ImageId")?),
        };
        Ok(o)
    }

    /// ENS has no idempotency token, so a create is never sent twice. When
    /// the answer leaves open whether it made an image, the image is looked
    /// up by its exact name: one made after the request was sent is the
    /// result (`recovered`); otherwise the error says what is there.
    async fn recover(
        &self,
        operation: &'static str,
        e: Error,
        name: &str,
        sent: time::OffsetDateTime,
    ) -> Result<Outcome> {
        let found = self.named(name).await;
        let (sent, margin) = self.ctx.transport.server_time(sent);
        let c = crate::ops::settle(e, name, found, sent, margin)?;
        eprintln!(
            "imgctl: the answer to {operation} was lost; image {} named '{name}' was made after \
             the request was sent: it is this request's",
            c.id
        );
        Ok(Outcome {
            provider: Provider::Ens.as_str(),
            operation,
            image_id: Some(c.id),
            status: Some(c.status).filter(|s| !s.is_empty()),
            name: Some(name.to_string()),
            recovered: true,
            ..Outcome::default()
        })
    }

    /// The images named exactly `name`. The name filter is fuzzy, so the
    /// exact name may sit on any page behind longer names.
    async fn named(&self, name: &str) -> Result<Vec<Candidate>> {
        let mut found = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut p = Params::new();
            p.put("ImageName", name)
                .put("PageNumber", page.to_string())
                .put("PageSize", PAGE_SIZE.to_string());
            let a = rpc::call(
                &self.ctx,
                &self.api,
                &self.creds,
                "DescribeSelfImages",
                &p,
                Idempotency::Safe,
            )
            .await?;
            let list = image_list(&a, "DescribeSelfImages")?;
            found.extend(
                list.iter()
                    .filter(|i| text(i, "ImageName").as_deref() == Some(name))
                    .filter_map(|i| {
                        Some(Candidate {
                            id: text(i, "ImageId")?,
                            status: text(i, "Status").unwrap_or_default(),
                            created: text(i, "CreationTime"),
                        })
                    }),
            );
            let total = text(&a.body, "TotalCount")
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(0);
            if list.is_empty() || page * PAGE_SIZE >= total {
                break;
            }
        }
        Ok(found)
    }

    /// The image with exactly this id, and the answer it came in.
    async fn find(&self, image_id: &str) -> Result<(Answer, Option<Value>)> {
        let mut page = 1;
        loop {
            let mut p = Params::new();
            p.put("ImageId", image_id)
                .put("PageNumber", page.to_string())
                .put("PageSize", PAGE_SIZE.to_string());
            let a = rpc::call(
                &self.ctx,
                &self.api,
                &self.creds,
                "DescribeSelfImages",
                &p,
                Idempotency::Safe,
            )
            .await?;
            let images = image_list(&a, "DescribeSelfImages")?;
            if let Some(img) = exact(images, image_id) {
                return Ok((a, Some(img)));
            }
            let empty = images.is_empty();
            let total = text(&a.body, "TotalCount")
                .and_then(|t| t.parse::<usize>().ok())
                .unwrap_or(0);
            if empty || page * PAGE_SIZE >= total || page >= MAX_PAGES {
                return Ok((a, None));
            }
            page += 1;
        }
    }
}

/// One look at an ENS image: its status, the state the table gives it,
/// and its creation time.
fn observation(img: &Value) -> Observation {
    let status = text(img, "Status").unwrap_or_else(|| "unknown".into());
    let mut o = Observation::new(&status, state_of(STATUSES, &status));
    o.message = match status.as_str() {
        "Pack_failed" => "ENS could not pack the image".into(),
        "Upload_failed" => "ENS could not upload the image to OSS".into(),
        _ => String::new(),
    };
    o.created = text(img, "CreationTime").and_then(|t| rfc3339_utc(&t));
    o
}

/// `[{"OSSBucket":…,"OSSObject":…,"OSSRegion":…}]` compact, keys in the
/// SDK model's order, non-ASCII kept literal: byte for byte what the
/// official SDKs put in the one `DiskDeviceMapping` parameter.
fn disk_device_mapping(req: &ImportImage) -> Option<String> {
    if req.disks.is_empty() {
        return None;
    }
    let list: Vec<Value> = req
        .disks
        .iter()
        .map(|d| {
            let mut m = Map::new();
            m.insert("OSSBucket".into(), Value::String(d.bucket.clone()));
            m.insert("OSSObject".into(), Value::String(d.key.clone()));
            if let Some(r) = &req.oss_region {
                m.insert("OSSRegion".into(), Value::String(r.clone()));
            }
            Value::Object(m)
        })
        .collect();
    serde_json::to_string(&list).ok()
}

impl Backend for Ens {
    async fn create(&mut self, req: &CreateImage) -> Result<Outcome> {
        let mut p = Params::new();
        p.put("ImageName", req.name.as_str())
            .opt("InstanceId", req.instance_id.as_ref())
            .opt("SnapshotId", req.snapshot_id.as_ref())
            // A string-typed "true"/"false" in the API; only "true" is ever
            // worth sending.
            .flag("DeleteAfterImageUpload", req.delete_instance_after_upload)
            .opt("TargetOSSRegionId", req.target_oss_region.as_ref())
            .flag("WithDataDisks", req.with_data_disks);
        // No ClientToken in ENS: an ambiguous failure must not be resent.
        self.send("create", "CreateImage", &p, Idempotency::Unsafe)
            .await
    }

    async fn import(&mut self, req: &ImportImage) -> Result<Outcome> {
        let url = req
            .url
            .as_ref()
            .ok_or_else(|| Error::usage("ens import needs --url oss://BUCKET/OBJECT"))?;
        let compute_type = req.compute_type.clone().unwrap_or_else(|| "ens_vm".into());
        let mut p = Params::new();
        p.opt("ImageName", req.name.as_ref())
            .put("ComputeType", compute_type)
            .opt("OSSRegion", req.oss_region.as_ref())
            .put("OSSBucket", url.bucket.as_str())
            .put("OSSObject", url.key.as_str())
            .opt("OSType", req.os_type.as_ref())
            .opt("Platform", req.platform.as_ref())
            .opt("ImageFormat", req.format.as_ref())
            .opt("Architecture", req.architecture.as_ref())
            .opt("OSVersion", req.os_version.as_ref())
            .opt("DiskDeviceMapping", disk_device_mapping(req).as_ref())
            .opt("TargetOSSRegionId", req.target_oss_region.as_ref())
            .opt("LicenseType", req.license_type.as_ref());
        self.send("import", "ImportImage", &p, Idempotency::Unsafe)
            .await
    }

    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome> {
        let name = req
            .name
            .as_ref()
            .ok_or_else(|| Error::usage("ens modify can only rename: --name is required"))?;
        let mut p = Params::new();
        p.put("ImageId", req.image_id.as_str())
            .put("ImageName", name.as_str());
        self.send("modify", "ModifyImageAttribute", &p, Idempotency::Safe)
            .await
    }

    async fn list(&mut self, req: &ListImages) -> Result<Outcome> {
        // DescribeSelfImages: custom images only, no RegionId, no status
        // filter (the client filters), ImageName fuzzy.
        let mut p = Params::new();
        p.opt("ImageName", req.name.as_ref().or(req.name_prefix.as_ref()));
        list_pages(
            &self.ctx,
            &self.api,
            &self.creds,
            "DescribeSelfImages",
            &p,
            req,
        )
        .await
    }

    async fn delete(&mut self, req: &DeleteImage) -> Result<Outcome> {
        let mut p = Params::new();
        p.put("ImageId", req.image_id.as_str());
        let mut o = self
            .send("delete", "DeleteImage", &p, Idempotency::Safe)
            .await?;
        if !o.dry_run {
            o.status = Some("deleted".into());
            // imgctl's own word: the cloud answered the delete, it has no status for it.
            o.state = Some(State::Deleted);
        }
        Ok(o)
    }

    async fn copy(&mut self, _req: &CopyImage) -> Result<Outcome> {
        Err(Error::usage(
            "provider ens has no copy operation (ENS offers no API that copies an image)",
        ))
    }

    async fn describe(&mut self, image_id: &str) -> Result<Outcome> {
        let (a, img) = self.find(image_id).await?;
        let Some(img) = img else {
            return Err(not_found(
                Provider::Ens,
                format!("DescribeSelfImages lists no image with the id {image_id}"),
                "check --image-id; ENS only describes your own (custom) images",
                &a,
            ));
        };
        let mut o = outcome(Provider::Ens, "describe", &a, self.ctx.raw);
        o.observed(&observation(&img));
        o.image_id = Some(image_id.to_string());
        o.name = text(&img, "ImageName");
        Ok(o)
    }

    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState> {
        let WaitTarget::Image(id) = target else {
            return Err(Error::usage("ens waits on --image-id only"));
        };
        observe(self.find(id).await, observation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::ObjectUrl;

    #[test]
    fn states() {
        let st = |s: &str| observation(&serde_json::json!({"Status": s})).state;
        assert_eq!(st("Available"), State::Available);
        for s in ["Pack_failed", "Upload_failed"] {
            assert_eq!(st(s), State::Failed);
        }
        for s in ["Creating", "Packing", "Uploading", "Copying"] {
            assert_eq!(st(s), State::Pending);
        }
        assert_eq!(st("Mystery"), State::Unknown);
        let o = observation(&serde_json::json!({"Status": "Available",
            "CreationTime": "2017-12-08T12:10:03Z"}));
        assert_eq!(o.created.as_deref(), Some("2017-12-08T12:10:03Z"));
    }

    #[test]
    fn disk_mapping_is_the_sdk_json() {
        let d = |k: &str| ObjectUrl {
            scheme: "oss".into(),
            bucket: "bkt".into(),
            key: k.into(),
        };
        let req = ImportImage {
            disks: vec![d("disk1.qcow2"), d("数据 2.qcow2")],
            oss_region: Some("cn-beijing".into()),
            ..ImportImage::default()
        };
        assert_eq!(
            disk_device_mapping(&req).unwrap(),
            r#"[{"OSSBucket":"bkt","OSSObject":"disk1.qcow2","OSSRegion":"cn-beijing"},{"OSSBucket":"bkt","OSSObject":"数据 2.qcow2","OSSRegion":"cn-beijing"}]"#
        );
        assert_eq!(disk_device_mapping(&ImportImage::default()), None);
    }
}
