//! AWS EC2 (Query API 2016-11-15): SigV4-signed form POSTs, XML answers.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::backend::{Backend, Ctx};
use crate::cloud::aws::query::Query;
use crate::cloud::aws::xml::Element;
use crate::cloud::aws::{endpoint, errors, requests, xml};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{
    Candidate, CopyImage, CreateImage, DeleteImage, ImageSummary, ImportImage, ListImages,
    ModifyImage, Observation, Outcome, PollState, WaitTarget, normalize_created,
};
use crate::provider::{Capabilities, Provider, Verb};
use crate::refresh::Handle;
use crate::sign::sigv4::{AwsCreds, sign_query_post};
use crate::transport::{HttpRequest, HttpResponse, Idempotency, random_hex};
use crate::vocab::{Spelling, State, StatusEntry, rfc3339_utc, state_of};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "description",
        "tag",
        "snapshot-tag",
        "no-reboot",
        "block-device-mapping",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "format",
        "platform",
        "architecture",
        "boot-mode",
        "license-type",
        "role-name",
        "description",
        "tag",
        "client-token",
    ],
    modify: &[
        "image-id",
        "description",
        "imds-support",
        "launch-permission-add",
        "launch-permission-remove",
        "make-public",
        "make-private",
    ],
    wait: &["image-id", "task-id"],
    list: &["name", "name-prefix", "status", "limit", "page-size"],
    delete: &["image-id", "delete-snapshots"],
    copy: &["image-id", "to-region", "name", "description"],
};

/// How EC2 spells each enumerated value (ref/aws.md: ImportImage,
/// ModifyImageAttribute).
pub const VALUES: &[Spelling] = &[
    Spelling {
        flag: "format",
        verbs: &[Verb::Import],
        values: &[
            ("ova", "OVA"),
            ("vhd", "VHD"),
            ("vhdx", "VHDX"),
            ("vmdk", "VMDK"),
            ("raw", "RAW"),
        ],
        open: false,
    },
    Spelling {
        flag: "platform",
        verbs: &[Verb::Import],
        values: &[("linux", "Linux"), ("windows", "Windows")],
        open: false,
    },
    Spelling {
        flag: "architecture",
        verbs: &[Verb::Import],
        values: &[("i386", "i386"), ("x86_64", "x86_64"), ("arm64", "arm64")],
        open: false,
    },
    // uefi-preferred "isn't supported for importing images".
    Spelling {
        flag: "boot-mode",
        verbs: &[Verb::Import],
        values: &[("legacy", "legacy-bios"), ("uefi", "uefi")],
        open: false,
    },
    Spelling {
        flag: "license-type",
        verbs: &[Verb::Import],
        values: &[("cloud", "AWS"), ("byol", "BYOL")],
        open: false,
    },
    // ImdsSupport.Value takes only v2.0.
    Spelling {
        flag: "imds-support",
        verbs: &[Verb::Modify],
        values: &[("v2", "v2.0")],
        open: false,
    },
];

/// What each documented EC2 status means: `imageState` of an AMI, and
/// `status` of an import task (DescribeImportImageTasks `task-state`).
pub const STATUSES: &[StatusEntry] = &[
    StatusEntry {
        of: "image",
        status: "pending",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "transient",
        state: State::Pending,
    },
    StatusEntry {
        of: "image",
        status: "available",
        state: State::Available,
    },
    StatusEntry {
        of: "image",
        status: "failed",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "error",
        state: State::Failed,
    },
    StatusEntry {
        of: "image",
        status: "invalid",
        state: State::Failed,
    },
    // A disabled AMI cannot launch instances until it is re-enabled.
    StatusEntry {
        of: "image",
        status: "disabled",
        state: State::Deprecated,
    },
    StatusEntry {
        of: "image",
        status: "deregistered",
        state: State::Deleted,
    },
    StatusEntry {
        of: "import task",
        status: "active",
        state: State::Pending,
    },
    StatusEntry {
        of: "import task",
        status: "completed",
        state: State::Available,
    },
    StatusEntry {
        of: "import task",
        status: "deleting",
        state: State::Deleting,
    },
    StatusEntry {
        of: "import task",
        status: "deleted",
        state: State::Deleted,
    },
];

/// What botocore sends; it is also what gets signed.
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

pub struct Ec2 {
    ctx: Ctx,
    region: String,
    url: String,
    /// Asked before every request: fetched keys are refreshed in time.
    creds: Handle,
    /// Import tasks seen completed, and the image each one produced: from
    /// then on the wait follows the image.
    task_images: HashMap<String, String>,
}

/// A successful answer.
struct Answer {
    root: Element,
    request_id: Option<String>,
}

impl Answer {
    /// A child of the root that a well-formed answer always has.
    fn required(&self, action: &str, name: &str) -> Result<String> {
        self.root.text_of(name).ok_or_else(|| Error::BadResponse {
            message: format!("{action}: the answer has no {name}"),
            http_status: 200,
            request_id: self.request_id.clone(),
        })
    }
}

fn dry_outcome(
    operation: &'static str,
    request_id: Option<String>,
    name: Option<String>,
) -> Outcome {
    Outcome {
        provider: "ec2",
        operation,
        request_id,
        name,
        dry_run: true,
        ..Outcome::default()
    }
}

enum Sent {
    Done(Answer),
    /// The server-side DryRun said the request would have succeeded.
    DryRun {
        request_id: Option<String>,
    },
}

impl Ec2 {
    pub fn new(ctx: Ctx) -> Result<Self> {
        let region = ctx.settings.require_region()?.to_string();
        let creds = crate::cloud::aws::credentials::handle(&ctx.settings, ctx.cache_dir.clone())?;
        let configured = ctx.settings.endpoint_url.as_ref().map(|v| v.value.as_str());
        let url = endpoint::ec2_url_with(
            &region,
            configured,
            ctx.settings.aws_fips,
            ctx.settings.aws_dualstack,
        )?;
        Ok(Ec2 {
            ctx,
            region,
            url,
            creds,
            task_images: HashMap::new(),
        })
    }

    /// Sends one action, signed afresh on every attempt.
    async fn call(&self, q: &Query, idem: Idempotency) -> Result<Sent> {
        let action = q.action().to_string();
        let body = q.encode();
        let keys = self.creds.keys(&self.ctx.transport).await?;
        let creds = AwsCreds {
            access_key_id: &keys.access_key_id,
            secret_access_key: keys.secret.expose(),
            session_token: keys.session_token.as_ref().map(|t| t.expose()),
        };
        let build = |_attempt: u32| -> Result<HttpRequest> {
            let signed = sign_query_post(
                &self.url,
                &body,
                CONTENT_TYPE,
                &creds,
                &self.region,
                "ec2",
                SystemTime::from(self.ctx.transport.now()),
            )
            .map_err(Error::config)?;
            let mut headers = vec![("content-type".to_string(), CONTENT_TYPE.to_string())];
            headers.extend(signed);
            Ok(HttpRequest {
                method: "POST",
                url: self.url.clone(),
                headers,
                body: body.as_bytes().to_vec(),
            })
        };
        let mut rereads = 0;
        loop {
            let resp = self
                .ctx
                .transport
                .send(idem, build, errors::verdict)
                .await?;
            match self.read(&action, &resp) {
                Err(e)
                    if self
                        .ctx
                        .transport
                        .reread(idem, resp.status, &e, &mut rereads) => {}
                other => return other,
            }
        }
    }

    fn read(&self, action: &str, resp: &HttpResponse) -> Result<Sent> {
        if !(200..300).contains(&resp.status) {
            // EC2 answers a good dry run with 412 DryRunOperation. Only that
            // code, and only when a dry run was asked for, means "nothing was
            // done": anything else could hide a real create.
            if let Some(e) = errors::error_of(resp)
                && e.code == "DryRunOperation"
            {
                if self.ctx.dry_run {
                    return Ok(Sent::DryRun {
                        request_id: e.request_id,
                    });
                }
                return Err(Error::BadResponse {
                    message: format!(
                        "{action}: the cloud answered as to a dry run (DryRunOperation), but none \
                         was asked for"
                    ),
                    http_status: resp.status,
                    request_id: e.request_id,
                });
            }
            return Err(self
                .ctx
                .transport
                .finish(errors::to_error(resp, action, &self.region)));
        }
        let bad = |msg: String| Error::BadResponse {
            message: format!("{action}: {msg}"),
            http_status: resp.status,
            request_id: None,
        };
        let text = std::str::from_utf8(&resp.body)
            .map_err(|_| bad("the answer is not UTF-8 text".into()))?;
        let root = xml::parse(text).map_err(bad)?;
        let want = format!("{action}Response");
        if root.name != want {
            return Err(bad(format!(
                "expected a <{want}> document, got <{}>",
                root.name
            )));
        }
        let request_id = root.text_of("requestId");
        Ok(Sent::Done(Answer { root, request_id }))
    }

    fn outcome(&self, operation: &'static str, a: &Answer) -> Outcome {
        Outcome {
            provider: "ec2",
            operation,
            request_id: a.request_id.clone(),
            raw: self.ctx.raw.then(|| a.root.to_json()),
            ..Outcome::default()
        }
    }

    /// A CreateImage that failed ambiguously may still have made the
    /// image: an AMI of that exact name made after the request was sent is
    /// the result (`recovered`); otherwise the error says what is there.
    async fn recover(&self, e: Error, name: &str, sent: time::OffsetDateTime) -> Result<Outcome> {
        let found = self
            .lookup(&requests::describe_images_named(name))
            .await
            .map(|a| {
                a.iter()
                    .flat_map(|a| a.root.items("imagesSet"))
                    .filter(|i| i.text_of("name").as_deref() == Some(name))
                    .filter_map(|i| {
                        Some(Candidate {
                            id: i.text_of("imageId")?,
                            status: i.text_of("imageState").unwrap_or_default(),
                            created: i.text_of("creationDate"),
                        })
                    })
                    .collect::<Vec<_>>()
            });
        let (sent, margin) = self.ctx.transport.server_time(sent);
        let c = crate::ops::settle(e, name, found, sent, margin)?;
        eprintln!(
            "imgctl: the answer to CreateImage was lost; AMI {} named '{name}' was made after the \
             request was sent: it is this request's",
            c.id
        );
        Ok(Outcome {
            provider: "ec2",
            operation: "create",
            image_id: Some(c.id),
            status: Some(c.status).filter(|s| !s.is_empty()),
            name: Some(name.to_string()),
            recovered: true,
            ..Outcome::default()
        })
    }

    /// A read; `None` when EC2 says the id is unknown (`*.NotFound`).
    async fn lookup(&self, q: &Query) -> Result<Option<Answer>> {
        match self.call(q, Idempotency::Safe).await {
            Ok(Sent::Done(a)) => Ok(Some(a)),
            Ok(Sent::DryRun { .. }) => Err(Error::bad_response(
                format!("{} answered DryRunOperation to a read", q.action()),
                412,
            )),
            Err(Error::Provider(p)) if p.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One look at an image: not found (yet) is an InvalidAMIID.NotFound
    /// error or an empty set.
    async fn poll_image(&self, image_id: &str) -> Result<PollState> {
        let a = self.lookup(&requests::describe_image(image_id)).await?;
        Ok(
            match a.as_ref().and_then(|a| a.root.items("imagesSet").next()) {
                Some(img) => image_state(image_id, img),
                None => PollState::NotFound,
            },
        )
    }

    async fn poll_task(&mut self, task_id: &str) -> Result<PollState> {
        if let Some(image_id) = self.task_images.get(task_id).cloned() {
            return self.poll_completed_task(&image_id).await;
        }
        let Some(a) = self
            .lookup(&requests::describe_import_task(task_id))
            .await?
        else {
            return Ok(PollState::NotFound);
        };
        let Some(task) = a.root.items("importImageTaskSet").next() else {
            return Ok(PollState::NotFound);
        };
        match task_state(task) {
            TaskState::Completed(image_id) => {
                self.task_images
                    .insert(task_id.to_string(), image_id.clone());
                self.poll_completed_task(&image_id).await
            }
            TaskState::Other(s) => Ok(s),
        }
    }

    /// The task is done; its image is usable once it is available.
    async fn poll_completed_task(&self, image_id: &str) -> Result<PollState> {
        Ok(match self.poll_image(image_id).await? {
            // The task said the image exists: not seeing it yet is lag.
            PollState::NotFound => {
                let mut o = Observation::new(
                    format!("completed; image {image_id} not visible yet"),
                    State::Pending,
                );
                o.image_id = Some(image_id.to_string());
                PollState::Seen(o)
            }
            // On the way: the task's word with the image's, the image's state.
            PollState::Seen(mut o) if !o.state.is_done() && !o.state.is_failure() => {
                o.status = format!("completed; image {image_id} {}", o.status);
                PollState::Seen(o)
            }
            other => other,
        })
    }
}

/// One look at an AMI: `imageState` and its state from the table, the
/// state reason of a failure, the creation date.
pub(crate) fn image_state(image_id: &str, img: &Element) -> PollState {
    let status = img.text_of("imageState").unwrap_or_default();
    let status = if status.is_empty() {
        "unknown".to_string()
    } else {
        status
    };
    let mut o = Observation::new(&status, state_of(STATUSES, &status));
    o.image_id = Some(
        img.text_of("imageId")
            .unwrap_or_else(|| image_id.to_string()),
    );
    if !o.state.is_done() {
        let reason = img.child("stateReason");
        o.message = reason
            .and_then(|r| r.text_of("message").or_else(|| r.text_of("code")))
            .unwrap_or_default();
    }
    o.created = img.text_of("creationDate").and_then(|t| rfc3339_utc(&t));
    PollState::Seen(o)
}

pub(crate) enum TaskState {
    Completed(String),
    Other(PollState),
}

pub(crate) fn task_state(task: &Element) -> TaskState {
    let status = task.text_of("status").unwrap_or_default();
    let message = task.text_of("statusMessage").unwrap_or_default();
    let failed_message = {
        let m = message.to_ascii_lowercase();
        m.contains("fail") || m.starts_with("clienterror") || m.starts_with("servererror")
    };
    let state = state_of(STATUSES, &status);
    let seen = |status: String, state: State, message: String| {
        let mut o = Observation::new(status, state);
        o.message = message;
        TaskState::Other(PollState::Seen(o))
    };
    match status.as_str() {
        "completed" => match task.text_of("imageId") {
            Some(id) => TaskState::Completed(id),
            None => seen(
                status,
                State::Failed,
                "the import task completed without an image id".into(),
            ),
        },
        // An active task whose message reports a failure has failed.
        _ if failed_message && !state.is_failure() => seen(status, State::Failed, message),
        _ if state.is_failure() => seen(status, state, message),
        _ => {
            // The message says more ("converting") than the task-state.
            let mut o = Observation::new(if message.is_empty() { status } else { message }, state);
            o.progress = task
                .text_of("progress")
                .and_then(|p| crate::vocab::percent(&serde_json::Value::String(p)));
            TaskState::Other(PollState::Seen(o))
        }
    }
}

/// DescribeImages answered without the image: what EC2 itself says for
/// an unknown id.
fn ami_not_found(image_id: &str, request_id: Option<String>) -> Error {
    crate::error::ProviderError {
        provider: Some(Provider::Ec2),
        code: "InvalidAMIID.NotFound".into(),
        message: format!(
            "DescribeImages returned no image {image_id} (deregistered images drop out)"
        ),
        http_status: 200,
        request_id,
        kind: ErrorKind::NotFound,
        ..Default::default()
    }
    .into()
}

/// The EBS snapshots of an AMI's block device mappings.
fn snapshots_of(img: &Element) -> Vec<String> {
    let mut out: Vec<String> = img
        .items("blockDeviceMapping")
        .filter_map(|m| m.child("ebs")?.text_of("snapshotId"))
        .collect();
    out.dedup();
    out
}

fn summary(img: &Element) -> Option<ImageSummary> {
    Some(ImageSummary {
        image_id: img.text_of("imageId")?,
        name: img.text_of("name"),
        status: img.text_of("imageState"),
        state: None,
        created: normalize_created(img.text_of("creationDate").as_deref()),
    })
}

impl Ec2 {
    /// Points the client at another region (CopyImage is sent to, and a
    /// copy waited for in, the destination).
    fn switch_region(&mut self, region: &str) -> Result<()> {
        let configured = self
            .ctx
            .settings
            .endpoint_url
            .as_ref()
            .map(|v| v.value.as_str());
        self.url = endpoint::ec2_url(region, configured)?;
        self.region = region.to_string();
        Ok(())
    }

    /// The image's DescribeImages entry, or EC2's not-found error.
    async fn image_entry(&self, image_id: &str) -> Result<(Answer, Element)> {
        let a = match self
            .call(&requests::describe_image(image_id), Idempotency::Safe)
            .await?
        {
            Sent::Done(a) => a,
            Sent::DryRun { .. } => {
                return Err(Error::bad_response(
                    "DescribeImages answered DryRunOperation to a read",
                    412,
                ));
            }
        };
        let img = a.root.items("imagesSet").next().cloned();
        match img {
            Some(img) => Ok((a, img)),
            None => Err(ami_not_found(image_id, a.request_id.clone())),
        }
    }

    /// Deletes the snapshots DeregisterImage did not report deleted.
    async fn delete_snapshots(
        &self,
        image_id: &str,
        snapshots: &[String],
        answer: &Answer,
    ) -> Result<Vec<String>> {
        let reported: Vec<String> = answer
            .root
            .items("deleteSnapshotResultSet")
            .filter(|i| i.text_of("returnCode").as_deref() == Some("success"))
            .filter_map(|i| i.text_of("snapshotId"))
            .collect();
        let mut deleted = Vec::new();
        let mut kept = Vec::new();
        for snap in snapshots {
            if reported.contains(snap) {
                deleted.push(snap.clone());
                continue;
            }
            match self
                .call(&requests::delete_snapshot(snap), Idempotency::Safe)
                .await
            {
                Ok(_) => deleted.push(snap.clone()),
                // Already gone: what was asked for is true.
                Err(Error::Provider(p)) if p.code == "InvalidSnapshot.NotFound" => {
                    deleted.push(snap.clone())
                }
                Err(e) => kept.push((snap.clone(), e)),
            }
        }
        if kept.is_empty() {
            return Ok(deleted);
        }
        let list: Vec<String> = kept.iter().map(|(s, e)| format!("{s} ({e})")).collect();
        let (_, first) = kept.remove(0);
        Err(first.with_hint(&format!(
            "{image_id} was deregistered{}; snapshots not deleted: {}",
            if deleted.is_empty() {
                String::new()
            } else {
                format!(" and {} deleted", deleted.join(", "))
            },
            list.join("; ")
        )))
    }
}

impl Backend for Ec2 {
    async fn create(&mut self, req: &CreateImage) -> Result<Outcome> {
        let q = requests::create_image(req, self.ctx.dry_run)?;
        // No idempotency token exists for CreateImage: never send it twice.
        let sent_at = time::OffsetDateTime::now_utc();
        let sent = match self.call(&q, Idempotency::Unsafe).await {
            Ok(Sent::DryRun { request_id }) => {
                return Ok(dry_outcome("create", request_id, Some(req.name.clone())));
            }
            Ok(Sent::Done(a)) => a.required("CreateImage", "imageId").map(|id| (a, id)),
            Err(e) => Err(e),
        };
        let (a, image_id) = match sent {
            Ok(done) => done,
            Err(e) if e.is_ambiguous() => return self.recover(e, &req.name, sent_at).await,
            Err(e) => return Err(e),
        };
        let mut o = self.outcome("create", &a);
        o.image_id = Some(image_id);
        o.name = Some(req.name.clone());
        Ok(o)
    }

    async fn import(&mut self, req: &ImportImage) -> Result<Outcome> {
        let token = req
            .client_token
            .clone()
            .unwrap_or_else(|| format!("imgctl-{}", random_hex()));
        let q = requests::import_image(req, &token, self.ctx.dry_run)?;
        // The ClientToken makes a repeated ImportImage return the same task.
        let a = match self.call(&q, Idempotency::Safe).await? {
            Sent::DryRun { request_id } => {
                return Ok(dry_outcome("import", request_id, req.name.clone()));
            }
            Sent::Done(a) => a,
        };
        let task_id = a.required("ImportImage", "importTaskId")?;
        let mut o = self.outcome("import", &a);
        o.task_id = Some(task_id);
        o.status = a.root.text_of("status");
        o.progress = a
            .root
            .text_of("progress")
            .and_then(|p| crate::vocab::percent(&serde_json::Value::String(p)));
        o.name = req.name.clone();
        Ok(o)
    }

    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome> {
        let calls = requests::modify_image(req, self.ctx.dry_run);
        if calls.is_empty() {
            return Err(Error::usage(
                "ec2 modify needs --description, --imds-support, --launch-permission-add/-remove, \
                 --make-public or --make-private",
            ));
        }
        let mut done: Vec<(&str, Option<String>)> = Vec::new();
        let mut raws = Vec::new();
        let mut dry = false;
        for (attr, q) in &calls {
            let sent = match self.call(q, Idempotency::Safe).await {
                Ok(s) => s,
                Err(e) => return Err(partly_modified(e, &done, &calls, attr)),
            };
            match sent {
                Sent::DryRun { request_id } => {
                    dry = true;
                    done.push((attr, request_id));
                }
                Sent::Done(a) => {
                    raws.push(serde_json::json!({"attribute": attr, "response": a.root.to_json()}));
                    done.push((attr, a.request_id));
                }
            }
        }
        if done.len() > 1 {
            let list: Vec<String> = done
                .iter()
                .map(|(a, r)| format!("{a} (request id {})", r.as_deref().unwrap_or("none")))
                .collect();
            eprintln!(
                "imgctl: ModifyImageAttribute takes one attribute per call: {} {} calls: {}",
                if dry { "dry-ran" } else { "sent" },
                done.len(),
                list.join(", ")
            );
        }
        let request_id = done.last().and_then(|(_, r)| r.clone());
        let mut o = if dry {
            dry_outcome("modify", request_id, None)
        } else {
            Outcome {
                provider: "ec2",
                operation: "modify",
                request_id,
                raw: self.ctx.raw.then(|| serde_json::Value::Array(raws)),
                ..Outcome::default()
            }
        };
        o.image_id = Some(req.image_id.clone());
        Ok(o)
    }

    async fn list(&mut self, req: &ListImages) -> Result<Outcome> {
        let page = req.page_size(Provider::Ec2);
        let mut images = Vec::new();
        let mut raws = Vec::new();
        let mut token: Option<String> = None;
        let mut request_id = None;
        loop {
            let q = requests::list_images(req, page, token.as_deref());
            let a = match self.call(&q, Idempotency::Safe).await? {
                Sent::Done(a) => a,
                Sent::DryRun { .. } => {
                    return Err(Error::bad_response(
                        "DescribeImages answered DryRunOperation to a read",
                        412,
                    ));
                }
            };
            request_id = a.request_id.clone().or(request_id);
            for s in a.root.items("imagesSet").filter_map(summary) {
                if req.keeps(s.name.as_deref(), s.status.as_deref()) && !req.full(images.len()) {
                    images.push(s);
                }
            }
            if self.ctx.raw {
                raws.push(a.root.to_json());
            }
            let next = a.root.text_of("nextToken");
            if req.full(images.len()) || next.is_none() {
                break;
            }
            if next == token {
                return Err(Error::BadResponse {
                    message: "DescribeImages returned the same NextToken twice".into(),
                    http_status: 200,
                    request_id: a.request_id,
                });
            }
            token = next;
        }
        Ok(Outcome {
            provider: "ec2",
            operation: "list",
            images: Some(images),
            request_id,
            raw: self.ctx.raw.then(|| serde_json::Value::Array(raws)),
            ..Outcome::default()
        })
    }

    async fn delete(&mut self, req: &DeleteImage) -> Result<Outcome> {
        // The snapshots are read before the AMI goes: afterwards nothing
        // names them any more.
        let snapshots = if req.delete_snapshots {
            let (_, img) = self.image_entry(&req.image_id).await?;
            snapshots_of(&img)
        } else {
            Vec::new()
        };
        let q = requests::deregister_image(&req.image_id, req.delete_snapshots, self.ctx.dry_run);
        let a = match self.call(&q, Idempotency::Safe).await? {
            Sent::DryRun { request_id } => {
                let mut o = dry_outcome("delete", request_id, None);
                o.image_id = Some(req.image_id.clone());
                return Ok(o);
            }
            Sent::Done(a) => a,
        };
        let deleted = if req.delete_snapshots {
            Some(self.delete_snapshots(&req.image_id, &snapshots, &a).await?)
        } else {
            None
        };
        let mut o = self.outcome("delete", &a);
        o.image_id = Some(req.image_id.clone());
        o.status = Some("deleted".into());
        // imgctl's own word: the cloud answered the delete, it has no status for it.
        o.state = Some(State::Deleted);
        o.snapshots_deleted = deleted;
        Ok(o)
    }

    async fn copy(&mut self, req: &CopyImage) -> Result<Outcome> {
        let source_region = self.region.clone();
        let name = match &req.name {
            Some(n) => n.clone(),
            // Name is required by CopyImage: the source's, read first.
            None => {
                let (a, img) = self.image_entry(&req.image_id).await?;
                img.text_of("name").ok_or_else(|| Error::BadResponse {
                    message: format!("DescribeImages: image {} has no name", req.image_id),
                    http_status: 200,
                    request_id: a.request_id.clone(),
                })?
            }
        };
        // One token for every attempt: EC2 makes at most one copy.
        let token = format!("imgctl-{}", random_hex());
        let q = requests::copy_image(req, &source_region, &name, &token, self.ctx.dry_run);
        // "CopyImage must be initiated in the destination Region."
        self.switch_region(&req.to_region)?;
        let mut o = match self.call(&q, Idempotency::Safe).await? {
            Sent::DryRun { request_id } => dry_outcome("copy", request_id, Some(name)),
            Sent::Done(a) => {
                let mut o = self.outcome("copy", &a);
                o.image_id = Some(a.required("CopyImage", "imageId")?);
                o.name = Some(name);
                o
            }
        };
        o.source_image_id = Some(req.image_id.clone());
        o.region = Some(req.to_region.clone());
        Ok(o)
    }

    async fn describe(&mut self, image_id: &str) -> Result<Outcome> {
        // Not lookup(): an InvalidAMIID.NotFound must reach the user as EC2 said it.
        let a = match self
            .call(&requests::describe_image(image_id), Idempotency::Safe)
            .await?
        {
            Sent::Done(a) => a,
            Sent::DryRun { request_id } => return Ok(dry_outcome("describe", request_id, None)),
        };
        let Some(img) = a.root.items("imagesSet").next() else {
            return Err(crate::error::ProviderError {
                provider: Some(Provider::Ec2),
                code: "InvalidAMIID.NotFound".into(),
                message: format!(
                    "DescribeImages returned no image {image_id} (deregistered images drop out)"
                ),
                http_status: 200,
                request_id: a.request_id.clone(),
                kind: ErrorKind::NotFound,
                ..Default::default()
            }
            .into());
        };
        let mut o = self.outcome("describe", &a);
        if let PollState::Seen(seen) = image_state(image_id, img) {
            o.observed(&seen);
        }
        o.name = img.text_of("name");
        Ok(o)
    }

    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState> {
        let state = match target {
            WaitTarget::Image(id) => self.poll_image(id).await,
            WaitTarget::Task(id) => self.poll_task(id).await,
            WaitTarget::Job(_) => Err(Error::usage(
                "ec2 has no jobs: wait with --image-id or --task-id",
            )),
        };
        match state {
            // A long wait outlives a burst of throttling: the next poll
            // comes after the waiter's own pause, and the deadline still holds.
            Err(Error::Provider(p)) if p.kind == ErrorKind::Throttled => Ok(PollState::Seen(
                Observation::new(format!("throttled ({})", p.code), State::Unknown),
            )),
            Err(Error::Provider(p)) if p.kind == ErrorKind::Unavailable => Ok(PollState::Seen(
                Observation::new(format!("unavailable ({})", p.code), State::Unknown),
            )),
            other => other,
        }
    }
}

/// An error on the n-th ModifyImageAttribute call: say which attributes
/// were already changed and which were not.
fn partly_modified(
    e: Error,
    done: &[(&str, Option<String>)],
    calls: &[(&'static str, Query)],
    failed: &str,
) -> Error {
    if done.is_empty() {
        return e;
    }
    let changed: Vec<&str> = done.iter().map(|(a, _)| *a).collect();
    let pending: Vec<&str> = calls
        .iter()
        .map(|(a, _)| *a)
        .skip_while(|a| *a != failed)
        .collect();
    e.with_hint(&format!(
        "already changed: {}; not changed: {}",
        changed.join(", "),
        pending.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(x: &str) -> Element {
        xml::parse(x).unwrap()
    }

    fn seen(p: PollState) -> Observation {
        match p {
            PollState::Seen(o) => o,
            PollState::NotFound => panic!("not found"),
        }
    }

    #[test]
    fn image_states() {
        let s = seen(image_state(
            "ami-1",
            &el(
                "<item><imageId>ami-1</imageId><imageState>failed</imageState><stateReason><code>Client.Err</code><message>snapshot failed</message></stateReason></item>",
            ),
        ));
        assert_eq!((s.status.as_str(), s.state), ("failed", State::Failed));
        assert_eq!(s.message, "snapshot failed");
        let s = seen(image_state(
            "ami-1",
            &el("<item><imageState>pending</imageState></item>"),
        ));
        assert_eq!(s.state, State::Pending);
        let s = seen(image_state(
            "ami-1",
            &el(
                "<item><imageState>available</imageState><creationDate>2026-11-29T21:10:18.000Z</creationDate></item>",
            ),
        ));
        assert_eq!(s.state, State::Available);
        assert_eq!(s.image_id.as_deref(), Some("ami-1"));
        assert_eq!(s.created.as_deref(), Some("2026-11-29T21:10:18Z"));
        let s = seen(image_state(
            "ami-1",
            &el("<item><imageState>deregistered</imageState></item>"),
        ));
        assert_eq!(s.state, State::Deleted);
    }

    /// Every state that cannot become available by itself ends a wait
    /// (failed, error and invalid as failures; deregistered as gone;
    /// disabled as done but unusable).
    #[test]
    fn terminal_image_states_end_a_wait() {
        for status in ["failed", "error", "invalid", "deregistered", "disabled"] {
            let s = seen(image_state(
                "ami-1",
                &el(&format!("<item><imageState>{status}</imageState></item>")),
            ));
            assert!(s.state.is_done() || s.state.is_failure(), "{status}: {s:?}");
            assert_eq!(s.status, status);
        }
        for status in ["failed", "error", "invalid", "deregistered"] {
            let s = seen(image_state(
                "ami-1",
                &el(&format!("<item><imageState>{status}</imageState></item>")),
            ));
            assert!(s.state.is_failure(), "{status}: {s:?}");
        }
        for status in ["pending", "transient"] {
            let s = seen(image_state(
                "ami-1",
                &el(&format!("<item><imageState>{status}</imageState></item>")),
            ));
            assert!(
                !s.state.is_done() && !s.state.is_failure(),
                "{status}: {s:?}"
            );
        }
    }

    #[test]
    fn task_states() {
        let t = |x: &str| match task_state(&el(x)) {
            TaskState::Completed(id) => Err(id),
            TaskState::Other(p) => Ok(seen(p)),
        };
        assert_eq!(
            t("<item><status>completed</status><imageId>ami-9</imageId></item>"),
            Err("ami-9".to_string())
        );
        let d = t("<item><status>deleted</status><statusMessage>ClientError: Unknown OS</statusMessage></item>").unwrap();
        assert_eq!(d.state, State::Deleted);
        let f = t(
            "<item><status>active</status><statusMessage>conversion failed</statusMessage></item>",
        )
        .unwrap();
        assert_eq!(f.state, State::Failed);
        let p = t("<item><status>active</status><statusMessage>converting</statusMessage><progress>28</progress></item>").unwrap();
        assert_eq!((p.state, p.progress), (State::Pending, Some(28)));
    }
}
