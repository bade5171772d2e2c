//! Huawei Cloud IMS (REST/JSON, async jobs), with IAM tokens or AK/SK.
//! Maps the neutral requests to IMS bodies (ref/huawei.md §3-6) and the
//! answers back; authentication and transport live beside it in this folder.

use serde_json::{Map, Value, json};

use crate::backend::{Backend, Ctx};
use crate::cloud::huawei::api::{Call, Client, Reply, segment};
use crate::error::{Error, ErrorKind, ProviderError, Result};
use crate::ops::{
    Candidate, CopyImage, CreateImage, DeleteImage, ImageSummary, ImportImage, ListImages,
    ModifyImage, Observation, Outcome, PollState, WaitTarget, normalize_created,
};
use crate::provider::{Capabilities, Provider, Verb};
use crate::vocab::{Spelling, State, StatusEntry, rfc3339_utc, state_of};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "description",
        "tag",
        "data-image",
        "min-ram",
        "max-ram",
        "enterprise-project-id",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "os-type",
        "os-version",
        "architecture",
        "boot-mode",
        "min-disk",
        "description",
        "tag",
        "is-config",
        "quick-import",
    ],
    modify: &[
        "image-id",
        "name",
        "description",
        "boot-mode",
        "min-ram",
        "max-ram",
    ],
    wait: &["image-id", "job-id"],
    list: &["name", "name-prefix", "status", "limit", "page-size"],
    delete: &["image-id", "delete-snapshots"],
    copy: &[
        "image-id",
        "to-region",
        "name",
        "description",
        "agency-name",
    ],
};

/// How IMS spells each enumerated value (ref/huawei.md §3-5).
pub const VALUES: &[Spelling] = &[
    Spelling {
        flag: "os-type",
        verbs: &[Verb::Import],
        values: &[
            ("linux", "Linux"),
            ("windows", "Windows"),
            ("other", "Other"),
        ],
        open: false,
    },
    Spelling {
        flag: "architecture",
        verbs: &[Verb::Import],
        values: &[("x86_64", "x86"), ("arm64", "arm")],
        open: false,
    },
    Spelling {
        flag: "boot-mode",
        verbs: &[Verb::Import, Verb::Modify],
        values: &[("legacy", "bios"), ("uefi", "uefi")],
        open: false,
    },
];

/// What each documented IMS status means: an image's `status`, and an
/// asynchronous job's (ref/huawei.md §6).
pub const STATUSES: &[StatusEntry] = &[
    StatusEntry {
        of: "image",
        status: "queued",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "saving",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "active",
        state: State::Available,
    },
    StatusEntry {
        of: "image",
        status: "killed",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "deleted",
        state: State::Deleted,
    },
    StatusEntry {
        of: "job",
        status: "INIT",
        state: State::Pending,
    },
    StatusEntry {
        of: "job",
        status: "RUNNING",
        state: State::Pending,
    },
    StatusEntry {
        of: "job",
        status: "SUCCESS",
        state: State::Available,
    },
    StatusEntry {
        of: "job",
        status: "FAIL",
        state: State::Failed,
    },
];

const ACTION: &str = "/v2/cloudimages/action";
const QUICK_IMPORT: &str = "/v2/cloudimages/quickimport/action";
/// `replace` of an attribute the image does not have.
const ATTRIBUTE_ABSENT: &str = "IMG.0035";

pub struct Ims {
    client: Client,
    /// After a cross-region copy: a client for the destination region and
    /// project, where the copy lives.
    dest: Option<Box<Client>>,
    settings: Box<crate::config::Settings>,
    /// Where the IAM token cache lives (for the destination client too).
    cache_dir: Option<std::path::PathBuf>,
    dry_run: bool,
    raw: bool,
}

impl Ims {
    pub fn new(ctx: Ctx) -> Result<Self> {
        let Ctx {
            settings,
            transport,
            dry_run,
            raw,
            cache_dir,
        } = ctx;
        Ok(Ims {
            client: Client::new(&settings, transport, cache_dir.clone())?,
            dest: None,
            settings: Box::new(settings),
            cache_dir,
            dry_run,
            raw,
        })
    }

    fn outcome(&self, operation: &'static str) -> Outcome {
        Outcome {
            provider: "ims",
            operation,
            dry_run: self.dry_run,
            ..Outcome::default()
        }
    }

    /// Sends a create or import action; the answer is a job.
    async fn submit(&mut self, operation: &'static str, name: &str, call: Call) -> Result<Outcome> {
        let mut o = self.outcome(operation);
        o.name = Some(name.to_string());
        if self.dry_run {
            self.client.show(&call).await?;
            return Ok(o);
        }
        let sent_at = time::OffsetDateTime::now_utc();
        let sent = self.client.send(&call).await.and_then(|reply| {
            let job = reply.body["job_id"]
                .as_str()
                .filter(|j| !j.is_empty())
                .map(str::to_string)
                .ok_or_else(|| no_field(&reply, "job_id"))?;
            Ok((reply, job))
        });
        let (reply, job) = match sent {
            Ok(r) => r,
            // No idempotency token: never sent again, but say whether an
            // image of that name exists now.
            Err(e) if e.is_ambiguous() => return self.recover(operation, e, name, sent_at).await,
            Err(e) => return Err(e),
        };
        o.job_id = Some(job);
        o.request_id = reply.request_id.clone();
        if self.raw {
            o.raw = Some(reply.body);
        }
        Ok(o)
    }

    /// After an ambiguous create or import: the private image of that
    /// exact name made after the request was sent is the result
    /// (`recovered`; the wait follows the image, the job id being lost);
    /// otherwise the error says what is there.
    async fn recover(
        &mut self,
        operation: &'static str,
        e: Error,
        name: &str,
        sent: time::OffsetDateTime,
    ) -> Result<Outcome> {
        if name.is_empty() {
            return Err(e);
        }
        let call = Call::ims("GET", "/v2/cloudimages".into())
            .query("__imagetype", "private")
            .query("name", name);
        let found = self.client.send(&call).await.map(|reply| {
            reply.body["images"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|i| i["name"].as_str() == Some(name))
                .filter_map(|i| {
                    Some(Candidate {
                        id: i["id"].as_str()?.to_string(),
                        status: i["status"].as_str().unwrap_or_default().to_string(),
                        created: i["created_at"].as_str().map(str::to_string),
                    })
                })
                .collect::<Vec<_>>()
        });
        let (sent, margin) = self.client.transport.server_time(sent);
        let c = crate::ops::settle(e, name, found, sent, margin)?;
        eprintln!(
            "imgctl: the answer to {operation} was lost; image {} named '{name}' was made after \
             the request was sent: it is this request's (its job id is not known)",
            c.id
        );
        let mut o = self.outcome(operation);
        o.image_id = Some(c.id);
        o.status = Some(c.status).filter(|s| !s.is_empty());
        o.name = Some(name.to_string());
        o.recovered = true;
        Ok(o)
    }

    /// The image list entry for an id, or None when the list holds no
    /// image with exactly that id (a 404 here would be a wrong endpoint,
    /// not a missing image).
    async fn find_image(&mut self, image_id: &str) -> Result<Option<(Value, Reply)>> {
        let call = Call::ims("GET", "/v2/cloudimages".into()).query("id", image_id);
        // A copy is looked for where it lives: the destination project.
        let client = match &mut self.dest {
            Some(d) => d,
            None => &mut self.client,
        };
        let reply = client.send(&call).await?;
        let images = reply.body["images"]
            .as_array()
            .ok_or_else(|| no_field(&reply, "images"))?;
        // A gateway or proxy that ignores the id filter answers with some
        // other image first: reporting its status would be a wrong answer.
        let image = images
            .iter()
            .find(|i| i["id"].as_str() == Some(image_id))
            .cloned();
        Ok(image.map(|i| (i, reply)))
    }

    async fn poll_image(&mut self, image_id: &str) -> Result<PollState> {
        let Some((image, _)) = self.find_image(image_id).await? else {
            return Ok(PollState::NotFound);
        };
        Ok(PollState::Seen(image_observation(image_id, &image)))
    }

    async fn poll_job(&mut self, job_id: &str) -> Result<PollState> {
        let project = self.client.project_id().await?;
        let call = Call::ims(
            "GET",
            format!("/v1/{}/jobs/{}", segment(&project), segment(job_id)),
        );
        let reply = match self.client.send(&call).await {
            Ok(r) => r,
            Err(Error::Provider(p)) if p.kind == ErrorKind::NotFound => {
                return Ok(PollState::NotFound);
            }
            Err(e) => return Err(e),
        };
        let job = &reply.body;
        let status = job["status"]
            .as_str()
            .ok_or_else(|| no_field(&reply, "status"))?
            .to_string();
        match status.as_str() {
            "SUCCESS" => {}
            "FAIL" => {
                let mut message = job_failure(job);
                // A failed job may leave its image behind (e.g. killed).
                if let Some(id) = job_image_id(job) {
                    message.push_str(&format!("; image {id}"));
                }
                let mut o = Observation::new(&status, state_of(STATUSES, &status));
                o.message = message;
                return Ok(PollState::Seen(o));
            }
            _ => {
                let mut o = Observation::new(&status, state_of(STATUSES, &status));
                o.progress = job_progress(job);
                return Ok(PollState::Seen(o));
            }
        }
        let Some(image_id) = job_image_id(job) else {
            // A job that made only data-disk images names no single image.
            return Ok(PollState::Seen(Observation::new(
                &status,
                state_of(STATUSES, &status),
            )));
        };
        // The job is done when the image it made is usable, and what the
        // user waits for is the image: its status ends the wait.
        Ok(match self.poll_image(&image_id).await? {
            PollState::Seen(mut o) if !o.state.is_done() && !o.state.is_failure() => {
                o.status = format!("{status} (image {})", o.status);
                o.progress = Some(100);
                PollState::Seen(o)
            }
            PollState::Seen(o) => PollState::Seen(o),
            PollState::NotFound => {
                let mut o =
                    Observation::new(format!("{status} (image not visible yet)"), State::Pending);
                o.image_id = Some(image_id);
                o.progress = Some(100);
                PollState::Seen(o)
            }
        })
    }

    /// One PATCH with every change; when IMS says an attribute to replace
    /// is absent (IMG.0035), each change is sent on its own and the absent
    /// ones are added instead, as Terraform does.
    async fn patch(&mut self, image_id: &str, changes: &[(&str, String)]) -> Result<Reply> {
        let path = format!("/v2/cloudimages/{}", segment(image_id));
        let call = |op: &str, changes: &[(&str, String)]| {
            Call::ims("PATCH", path.clone()).json(&patch_body(op, changes))
        };
        match self.client.send(&call("replace", changes)).await {
            Err(e) if is_code(&e, ATTRIBUTE_ABSENT) => {}
            other => return other,
        }
        let mut last = None;
        for change in changes {
            let one = std::slice::from_ref(change);
            let reply = match self.client.send(&call("replace", one)).await {
                Err(e) if is_code(&e, ATTRIBUTE_ABSENT) => {
                    self.client.send(&call("add", one)).await?
                }
                other => other?,
            };
            last = Some(reply);
        }
        last.ok_or_else(|| Error::usage("nothing to modify"))
    }

    fn image_outcome(&self, operation: &'static str, image: &Value, reply: Reply) -> Outcome {
        let mut o = self.outcome(operation);
        o.image_id = image["id"].as_str().map(str::to_string);
        o.name = image["name"].as_str().map(str::to_string);
        o.status = image["status"].as_str().map(str::to_string);
        if operation == "describe" {
            o.created = Some(image["created_at"].as_str().and_then(rfc3339_utc));
        }
        o.request_id = reply.request_id;
        if self.raw {
            o.raw = Some(reply.body);
        }
        o
    }
}

/// One image of a list answer.
fn summary(i: &Value) -> Option<ImageSummary> {
    let text = |k: &str| i[k].as_str().filter(|s| !s.is_empty()).map(str::to_string);
    Some(ImageSummary {
        image_id: text("id")?,
        name: text("name"),
        status: text("status"),
        state: None,
        created: normalize_created(i["created_at"].as_str()),
    })
}

impl Backend for Ims {
    async fn list(&mut self, req: &ListImages) -> Result<Outcome> {
        // owner=<project>: the caller's own images. __imagetype=private
        // would miss the ones shared out (they are "shared").
        let owner = self.client.project_id().await?;
        let limit = req.page_size(Provider::Ims);
        let mut images = Vec::new();
        let mut raws = Vec::new();
        let mut request_id = None;
        let mut marker: Option<String> = None;
        loop {
            let mut call = Call::ims("GET", "/v2/cloudimages".into())
                .query("owner", &owner)
                .query("limit", &limit.to_string());
            // name is exact only: a prefix is matched here, not there.
            if let Some(n) = &req.name {
                call = call.query("name", n);
            }
            if let Some(s) = &req.status {
                call = call.query("status", s);
            }
            if let Some(m) = &marker {
                call = call.query("marker", m);
            }
            let reply = self.client.send(&call).await?;
            request_id = reply.request_id.clone().or(request_id);
            let page = reply.body["images"]
                .as_array()
                .ok_or_else(|| no_field(&reply, "images"))?;
            for s in page.iter().filter_map(summary) {
                if req.keeps(s.name.as_deref(), s.status.as_deref()) && !req.full(images.len()) {
                    images.push(s);
                }
            }
            let last = page
                .last()
                .and_then(|i| i["id"].as_str())
                .map(str::to_string);
            let short = page.len() < limit;
            if self.raw {
                raws.push(reply.body.clone());
            }
            // No next link: a short or empty page is the last one.
            if short || req.full(images.len()) || last.is_none() || last == marker {
                break;
            }
            marker = last;
        }
        Ok(Outcome {
            provider: "ims",
            operation: "list",
            images: Some(images),
            request_id,
            raw: self.raw.then(|| Value::Array(raws)),
            ..Outcome::default()
        })
    }

    async fn delete(&mut self, req: &DeleteImage) -> Result<Outcome> {
        let mut call = Call::ims("DELETE", format!("/v2/images/{}", segment(&req.image_id)));
        // No body unless asked, as the SDK sends it.
        if req.delete_snapshots {
            call = call.json(&json!({"delete_backup": true}));
        }
        let mut o = self.outcome("delete");
        o.image_id = Some(req.image_id.clone());
        if self.dry_run {
            self.client.show(&call).await?;
            return Ok(o);
        }
        let reply = self.client.send(&call).await?;
        o.status = Some("deleted".into());
        // imgctl's own word: the cloud answered the delete, it has no status for it.
        o.state = Some(State::Deleted);
        o.request_id = reply.request_id;
        Ok(o)
    }

    async fn copy(&mut self, req: &CopyImage) -> Result<Outcome> {
        if req.to_region == self.client.region {
            return Err(Error::usage(format!(
                "--to-region {} is the image's own region: IMS copies across regions only",
                req.to_region
            )));
        }
        let name = match &req.name {
            Some(n) => n.clone(),
            // name is required by the API: the source's, read first.
            None => {
                let Some((image, reply)) = self.find_image(&req.image_id).await? else {
                    return Err(image_not_found(&req.image_id, &self.client.region));
                };
                image["name"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| no_field(&reply, "name"))?
            }
        };
        let mut body = json!({
            "name": name,
            "region": req.to_region,
            // A region's default project is named after the region.
            "project_name": req.to_region,
            "agency_name": req.agency_name.clone().unwrap_or_default(),
        });
        if let Some(d) = &req.description {
            body["description"] = json!(d);
        }
        let path = format!(
            "/v1/cloudimages/{}/cross_region_copy",
            segment(&req.image_id)
        );
        // No idempotency token: an ambiguous failure is not sent again.
        let call = Call::ims("POST", path).json(&body).unsafe_to_repeat();
        let mut o = self.outcome("copy");
        o.name = Some(name.clone());
        o.source_image_id = Some(req.image_id.clone());
        o.region = Some(req.to_region.clone());
        if self.dry_run {
            self.client.show(&call).await?;
            return Ok(o);
        }
        let reply = match self.client.send(&call).await {
            Ok(r) => r,
            Err(e) if e.is_ambiguous() => {
                return Err(e.with_hint(&format!(
                    "the copy may have started anyway: look for an image named '{name}' in \
                     {} before sending this again",
                    req.to_region
                )));
            }
            Err(e) => return Err(e),
        };
        let job = reply.body["job_id"]
            .as_str()
            .filter(|j| !j.is_empty())
            .map(str::to_string)
            .ok_or_else(|| no_field(&reply, "job_id"))?;
        o.job_id = Some(job);
        o.request_id = reply.request_id.clone();
        if self.raw {
            o.raw = Some(reply.body);
        }
        // The job is followed in the source project; the image it names
        // lives in the destination's (its project looked up by region).
        let mut settings = (*self.settings).clone();
        if let Some(r) = settings.region.as_mut() {
            r.value = req.to_region.clone();
        }
        settings.project_id = None;
        self.dest = Some(Box::new(Client::new(
            &settings,
            self.client.transport.sibling()?,
            self.cache_dir.clone(),
        )?));
        Ok(o)
    }

    async fn create(&mut self, req: &CreateImage) -> Result<Outcome> {
        // No idempotency token in this API: never sent twice.
        let call = Call::ims("POST", ACTION.into())
            .json(&create_body(req))
            .unsafe_to_repeat();
        self.submit("create", &req.name, call).await
    }

    async fn import(&mut self, req: &ImportImage) -> Result<Outcome> {
        let (path, body) = import_request(req)?;
        let call = Call::ims("POST", path.into())
            .json(&body)
            .unsafe_to_repeat();
        self.submit("import", req.name.as_deref().unwrap_or_default(), call)
            .await
    }

    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome> {
        let changes = patch_changes(req)?;
        if self.dry_run {
            let path = format!("/v2/cloudimages/{}", segment(&req.image_id));
            let call = Call::ims("PATCH", path).json(&patch_body("replace", &changes));
            self.client.show(&call).await?;
            let mut o = self.outcome("modify");
            o.image_id = Some(req.image_id.clone());
            o.name = req.name.clone();
            return Ok(o);
        }
        let reply = self.patch(&req.image_id, &changes).await?;
        let image = reply.body.clone();
        let mut o = self.image_outcome("modify", &image, reply);
        o.image_id.get_or_insert_with(|| req.image_id.clone());
        Ok(o)
    }

    async fn describe(&mut self, image_id: &str) -> Result<Outcome> {
        let Some((image, reply)) = self.find_image(image_id).await? else {
            return Err(image_not_found(image_id, &self.client.region));
        };
        Ok(self.image_outcome("describe", &image, reply))
    }

    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState> {
        match target {
            WaitTarget::Image(id) => self.poll_image(id).await,
            WaitTarget::Job(id) => self.poll_job(id).await,
            WaitTarget::Task(_) => Err(Error::usage(
                "ims has no import tasks: wait with --job-id or --image-id",
            )),
        }
    }
}

/// `POST /v2/cloudimages/action` from an ECS (ref/huawei.md §3).
pub fn create_body(r: &CreateImage) -> Value {
    let mut b = Map::new();
    b.insert("name".into(), json!(r.name));
    put(
        &mut b,
        "description",
        r.description.as_ref().map(|d| json!(d)),
    );
    put(
        &mut b,
        "instance_id",
        r.instance_id.as_ref().map(|i| json!(i)),
    );
    put(&mut b, "image_tags", image_tags(&r.tags));
    if !r.data_images.is_empty() {
        let items: Vec<Value> = r
            .data_images
            .iter()
            .map(|d| {
                let mut m = Map::new();
                m.insert("name".into(), json!(d.name));
                m.insert("volume_id".into(), json!(d.volume_id));
                put(
                    &mut m,
                    "description",
                    d.description.as_ref().map(|x| json!(x)),
                );
                Value::Object(m)
            })
            .collect();
        b.insert("data_images".into(), Value::Array(items));
    }
    put(
        &mut b,
        "enterprise_project_id",
        r.enterprise_project_id.as_ref().map(|e| json!(e)),
    );
    put(&mut b, "min_ram", r.min_ram.map(|v| json!(v)));
    put(&mut b, "max_ram", r.max_ram.map(|v| json!(v)));
    Value::Object(b)
}

/// The path and body of an import from OBS: the ordinary action
/// (ref/huawei.md §4.1), or quick import for ZVHD2/RAW files (§4.2).
pub fn import_request(r: &ImportImage) -> Result<(&'static str, Value)> {
    let name = r
        .name
        .as_deref()
        .ok_or_else(|| Error::usage("ims import needs --name"))?;
    let url = r
        .url
        .as_ref()
        .ok_or_else(|| Error::usage("ims import needs --url obs://BUCKET/OBJECT"))?;
    let min_disk = r
        .min_disk
        .ok_or_else(|| Error::usage("ims import needs --min-disk (GB, 40-1024)"))?;
    if r.quick_import {
        if !r.disks.is_empty() {
            return Err(Error::usage(
                "--disk is not supported with --quick-import for ims: quick import takes one \
                 file per request; import data disks without --quick-import",
            ));
        }
        if r.is_config {
            return Err(Error::usage(
                "--is-config is not supported with --quick-import for ims (quick import does \
                 not configure the image)",
            ));
        }
        // The SDK model QuickImportImageByFileRequestBody has os_type, but
        // both its docstring and the API docs (ref/huawei.md §4.2) give it
        // to data-disk images only; a quick import here makes a system
        // image, whose OS comes from --os-version.
        if r.os_type.is_some() {
            return Err(Error::usage(
                "--os-type is not supported with --quick-import for ims: quick import takes \
                 os_type for data-disk images only; the system image's OS comes from \
                 --os-version",
            ));
        }
    }
    let mut b = Map::new();
    b.insert("name".into(), json!(name));
    put(
        &mut b,
        "description",
        r.description.as_ref().map(|d| json!(d)),
    );
    b.insert("image_url".into(), json!(obs_url(&url.bucket, &url.key)));
    b.insert("min_disk".into(), json!(min_disk));
    put(
        &mut b,
        "os_version",
        r.os_version.as_ref().map(|v| json!(v)),
    );
    put(&mut b, "os_type", r.os_type.as_ref().map(|v| json!(v)));
    put(
        &mut b,
        "architecture",
        r.architecture.as_deref().map(architecture).transpose()?,
    );
    put(
        &mut b,
        "hw_firmware_type",
        r.boot_mode.as_deref().map(firmware).transpose()?,
    );
    if r.is_config {
        b.insert("is_config".into(), json!(true));
    }
    put(&mut b, "image_tags", image_tags(&r.tags));
    if !r.disks.is_empty() {
        let items = r
            .disks
            .iter()
            .enumerate()
            .map(|(i, d)| {
                json!({
                    "name": format!("{name}-data{}", i + 1),
                    "image_url": obs_url(&d.bucket, &d.key),
                    "min_disk": min_disk,
                })
            })
            .collect();
        b.insert("data_images".into(), Value::Array(items));
    }
    let path = if r.quick_import { QUICK_IMPORT } else { ACTION };
    Ok((path, Value::Object(b)))
}

/// The JSON-patch changes of a modify, in a fixed order.
pub fn patch_changes(r: &ModifyImage) -> Result<Vec<(&'static str, String)>> {
    let mut c = Vec::new();
    if let Some(n) = &r.name {
        c.push(("/name", n.clone()));
    }
    if let Some(d) = &r.description {
        c.push(("/__description", d.clone()));
    }
    if let Some(v) = r.min_ram {
        c.push(("/min_ram", v.to_string()));
    }
    if let Some(v) = r.max_ram {
        c.push(("/max_ram", v.to_string()));
    }
    if let Some(b) = &r.boot_mode {
        c.push((
            "/hw_firmware_type",
            firmware(b)?.as_str().unwrap_or_default().to_string(),
        ));
    }
    if c.is_empty() {
        return Err(Error::usage(
            "ims modify needs at least one of --name, --description, --min-ram, --max-ram, \
             --boot-mode",
        ));
    }
    Ok(c)
}

/// Values are strings: the IMS docs and the SDK model type them so.
pub fn patch_body(op: &str, changes: &[(&str, String)]) -> Value {
    Value::Array(
        changes
            .iter()
            .map(|(path, value)| json!({"op": op, "path": path, "value": value}))
            .collect(),
    )
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(k.into(), v);
    }
}

fn image_tags(tags: &[crate::ops::Tag]) -> Option<Value> {
    (!tags.is_empty()).then(|| {
        Value::Array(
            tags.iter()
                .map(|t| json!({"key": t.key, "value": t.value}))
                .collect(),
        )
    })
}

/// IMS names an OBS object `bucket:object`.
fn obs_url(bucket: &str, key: &str) -> String {
    format!("{bucket}:{key}")
}

fn architecture(a: &str) -> Result<Value> {
    match a.to_ascii_lowercase().as_str() {
        "x86" | "x86_64" | "amd64" => Ok(json!("x86")),
        "arm" | "arm64" | "aarch64" => Ok(json!("arm")),
        _ => Err(Error::usage(format!(
            "invalid --architecture '{a}' for ims: expected x86 (x86_64) or arm (arm64)"
        ))),
    }
}

fn firmware(b: &str) -> Result<Value> {
    match b.to_ascii_lowercase().as_str() {
        "bios" => Ok(json!("bios")),
        "uefi" => Ok(json!("uefi")),
        _ => Err(Error::usage(format!(
            "invalid --boot-mode '{b}' for ims: expected bios or uefi"
        ))),
    }
}

fn is_code(e: &Error, code: &str) -> bool {
    matches!(e, Error::Provider(p) if p.code == code)
}

fn no_field(reply: &Reply, field: &str) -> Error {
    Error::BadResponse {
        message: format!("the IMS answer has no '{field}'"),
        http_status: reply.status,
        request_id: reply.request_id.clone(),
    }
}

fn image_not_found(image_id: &str, region: &str) -> Error {
    ProviderError {
        provider: Some(Provider::Ims),
        code: "ImageNotFound".into(),
        message: format!("no image {image_id} in region {region} (the image list came back empty)"),
        kind: ErrorKind::NotFound,
        ..ProviderError::default()
    }
    .into()
}

pub(crate) fn job_image_id(job: &Value) -> Option<String> {
    let e = &job["entities"];
    e["image_id"]
        .as_str()
        .or_else(|| e["results"][0]["image_id"].as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `process_percent` is a fraction in the docs (0.20); tolerate a percentage.
pub(crate) fn job_progress(job: &Value) -> Option<u8> {
    crate::vocab::fraction_percent(job["entities"]["process_percent"].as_f64()?)
}

/// One look at an IMS image: status, its state, the creation time.
fn image_observation(image_id: &str, image: &Value) -> Observation {
    let status = image["status"].as_str().unwrap_or("unknown").to_string();
    let mut o = Observation::new(&status, state_of(STATUSES, &status));
    o.image_id = Some(image_id.to_string());
    if o.state.is_failure() {
        o.message = format!("image {image_id} is {status}");
    }
    o.created = image["created_at"].as_str().and_then(rfc3339_utc);
    o
}

pub(crate) fn job_failure(job: &Value) -> String {
    let reason = job["fail_reason"].as_str().unwrap_or("no reason given");
    match job["error_code"].as_str().filter(|c| !c.is_empty()) {
        Some(code) => format!("{reason} ({code})"),
        None => reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{DataImage, ObjectUrl, Tag};

    fn obs(key: &str) -> ObjectUrl {
        ObjectUrl {
            scheme: "obs".into(),
            bucket: "bkt".into(),
            key: key.into(),
        }
    }

    #[test]
    fn create_from_ecs() {
        let r = CreateImage {
            name: "img".into(),
            instance_id: Some("i-1".into()),
            tags: vec![Tag {
                key: "env".into(),
                value: "dev".into(),
            }],
            data_images: vec![DataImage {
                name: "d1".into(),
                volume_id: "v1".into(),
                description: None,
            }],
            min_ram: Some(1024),
            ..CreateImage::default()
        };
        assert_eq!(
            create_body(&r),
            json!({"name":"img","instance_id":"i-1","image_tags":[{"key":"env","value":"dev"}],
                   "data_images":[{"name":"d1","volume_id":"v1"}],"min_ram":1024})
        );
    }

    #[test]
    fn import_ordinary_and_quick() {
        let mut r = ImportImage {
            name: Some("img".into()),
            url: Some(obs("a/b.qcow2")),
            disks: vec![obs("d.qcow2")],
            min_disk: Some(40),
            architecture: Some("x86_64".into()),
            boot_mode: Some("UEFI".into()),
            is_config: true,
            ..ImportImage::default()
        };
        let (p, b) = import_request(&r).unwrap();
        assert_eq!(p, ACTION);
        assert_eq!(b["image_url"], "bkt:a/b.qcow2");
        assert_eq!(b["architecture"], "x86");
        assert_eq!(b["hw_firmware_type"], "uefi");
        assert_eq!(
            b["data_images"],
            json!([{"name":"img-data1","image_url":"bkt:d.qcow2","min_disk":40}])
        );
        r.quick_import = true;
        assert!(matches!(import_request(&r), Err(Error::Usage(_))));
        r.disks.clear();
        r.is_config = false;
        r.os_type = Some("Linux".into());
        assert!(matches!(import_request(&r), Err(Error::Usage(_))));
        r.os_type = None;
        let (p, b) = import_request(&r).unwrap();
        assert_eq!(p, QUICK_IMPORT);
        assert!(b.get("is_config").is_none());
        assert!(b.get("os_type").is_none());
        r.architecture = Some("mips".into());
        assert!(matches!(import_request(&r), Err(Error::Usage(_))));
    }

    #[test]
    fn modify_patch() {
        let r = ModifyImage {
            image_id: "x".into(),
            name: Some("n".into()),
            description: Some("d".into()),
            max_ram: Some(2048),
            boot_mode: Some("uefi".into()),
            ..ModifyImage::default()
        };
        let c = patch_changes(&r).unwrap();
        assert_eq!(
            patch_body("replace", &c),
            json!([{"op":"replace","path":"/name","value":"n"},
                   {"op":"replace","path":"/__description","value":"d"},
                   {"op":"replace","path":"/max_ram","value":"2048"},
                   {"op":"replace","path":"/hw_firmware_type","value":"uefi"}])
        );
        assert!(patch_changes(&ModifyImage::default()).is_err());
    }

    #[test]
    fn jobs() {
        let j = json!({"status":"RUNNING","entities":{"process_percent":0.2}});
        assert_eq!(job_progress(&j), Some(20));
        // A fraction: 1.0 is done (100%), not 1%; a percentage is kept.
        let p = |v: f64| job_progress(&json!({"entities":{"process_percent":v}}));
        assert_eq!(p(1.0), Some(100));
        assert_eq!(p(0.0), Some(0));
        assert_eq!(p(0.5), Some(50));
        assert_eq!(p(45.0), Some(45));
        assert_eq!(p(100.0), Some(100));
        // Out of range is no progress (vocab::fraction_percent).
        assert_eq!(p(250.0), None);
        assert_eq!(p(-3.0), None);
        assert_eq!(job_progress(&json!({"entities":{}})), None);
        let f = json!({"status":"FAIL","fail_reason":"disk too small","error_code":"IMS.0001"});
        assert_eq!(job_failure(&f), "disk too small (IMS.0001)");
        assert_eq!(job_failure(&json!({"fail_reason":null})), "no reason given");
        let s = json!({"entities":{"results":[{"image_id":"abc"}]}});
        assert_eq!(job_image_id(&s).as_deref(), Some("abc"));
        assert_eq!(job_image_id(&json!({"entities":{}})), None);
    }
}
