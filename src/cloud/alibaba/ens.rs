//! Alibaba Cloud ENS (API 2017-11-10, one endpoint: ens.aliyuncs.com).
//! ENS has no DryRun and no idempotency token: `--dry-run` signs and shows
//! the request without sending it, and creates are never sent twice.

use serde_json::{Map, Value};

use crate::backend::{Backend, Ctx};
use crate::cloud::alibaba::rpc::{self, Answer, Api, Params};
use crate::cloud::alibaba::{exact, image_list, not_found, observe, outcome, required, text};
use crate::error::{Error, Result};
use crate::ops::{
    Candidate, CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget,
};
use crate::provider::{Capabilities, Provider};
use crate::transport::Idempotency;

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
};

const VERSION: &str = "2017-11-10";
const HOST: &str = "ens.aliyuncs.com";
/// DescribeSelfImages pages; ImageId is a fuzzy filter, so the exact id
/// may sit on a later page.
const PAGE_SIZE: usize = 50;
const MAX_PAGES: usize = 20;

pub struct Ens {
    ctx: Ctx,
    api: Api,
}

impl Ens {
    pub fn new(ctx: Ctx) -> Result<Self> {
        let endpoint = ctx.settings.endpoint_url.as_ref().map(|v| v.value.as_str());
        let api = Api::new(Provider::Ens, VERSION, endpoint, HOST)?;
        Ok(Ens { ctx, api })
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
            let req = rpc::fresh_request(&self.ctx, &self.api, action, params)?;
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
        let a = match rpc::call(&self.ctx, &self.api, action, params, idempotency).await {
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

/// ENS image states (ref §3): Available is the only usable one; the two
/// `*_failed` states are terminal; the rest are steps on the way.
fn poll_state(status: &str) -> PollState {
    match status {
        "Available" => PollState::Done {
            image_id: None,
            status: status.into(),
        },
        "Pack_failed" | "Upload_failed" => PollState::Failed {
            status: status.into(),
            message: match status {
                "Pack_failed" => "ENS could not pack the image".into(),
                _ => "ENS could not upload the image to OSS".into(),
            },
        },
        _ => PollState::Pending {
            status: status.into(),
            progress: None,
        },
    }
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
        o.image_id = Some(image_id.to_string());
        o.status = text(&img, "Status");
        o.name = text(&img, "ImageName");
        Ok(o)
    }

    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState> {
        let WaitTarget::Image(id) = target else {
            return Err(Error::usage("ens waits on --image-id only"));
        };
        observe(self.find(id).await, |img| match text(img, "Status") {
            Some(s) => poll_state(&s),
            None => PollState::Pending {
                status: "unknown".into(),
                progress: None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::ObjectUrl;

    #[test]
    fn states() {
        assert!(matches!(poll_state("Available"), PollState::Done { .. }));
        for s in ["Pack_failed", "Upload_failed"] {
            assert!(matches!(poll_state(s), PollState::Failed { .. }));
        }
        for s in ["Creating", "Packing", "Uploading", "Copying"] {
            assert!(matches!(poll_state(s), PollState::Pending { .. }));
        }
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
