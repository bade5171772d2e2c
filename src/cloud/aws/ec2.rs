//! AWS EC2 (Query API 2016-11-15): SigV4-signed form POSTs, XML answers.

use std::collections::HashMap;
use std::time::SystemTime;

use crate::backend::{Backend, Ctx};
use crate::cloud::aws::query::Query;
use crate::cloud::aws::xml::Element;
use crate::cloud::aws::{endpoint, errors, requests, xml};
use crate::config::KeyPair;
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{
    Candidate, CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget,
};
use crate::provider::{Capabilities, Provider};
use crate::sign::sigv4::{AwsCreds, sign_query_post};
use crate::transport::{HttpRequest, HttpResponse, Idempotency, random_hex};

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
};

/// What botocore sends; it is also what gets signed.
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

pub struct Ec2 {
    ctx: Ctx,
    region: String,
    url: String,
    keys: KeyPair,
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
        let keys = ctx.settings.require_keys()?.clone();
        let configured = ctx.settings.endpoint_url.as_ref().map(|v| v.value.as_str());
        let url = endpoint::ec2_url(&region, configured)?;
        Ok(Ec2 {
            ctx,
            region,
            url,
            keys,
            task_images: HashMap::new(),
        })
    }

    /// Sends one action, signed afresh on every attempt.
    async fn call(&self, q: &Query, idem: Idempotency) -> Result<Sent> {
        let action = q.action().to_string();
        let body = q.encode();
        let creds = AwsCreds {
            access_key_id: &self.keys.access_key_id,
            secret_access_key: self.keys.secret.expose(),
            session_token: self.keys.session_token.as_ref().map(|t| t.expose()),
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
            PollState::NotFound => PollState::Pending {
                status: format!("completed; image {image_id} not visible yet"),
                progress: None,
            },
            PollState::Pending { status, progress } => PollState::Pending {
                status: format!("completed; image {image_id} {status}"),
                progress,
            },
            other => other,
        })
    }
}

/// An image's state as the waiter sees it. `failed` is the only failure
/// botocore's waiter knows; `error`, `invalid`, `deregistered` and
/// `disabled` cannot become `available` by themselves either.
pub(crate) fn image_state(image_id: &str, img: &Element) -> PollState {
    let status = img.text_of("imageState").unwrap_or_default();
    match status.as_str() {
        "available" => PollState::Done {
            image_id: Some(
                img.text_of("imageId")
                    .unwrap_or_else(|| image_id.to_string()),
            ),
            status,
        },
        "failed" | "error" | "invalid" | "deregistered" | "disabled" => {
            let reason = img.child("stateReason");
            let message = reason
                .and_then(|r| r.text_of("message").or_else(|| r.text_of("code")))
                .unwrap_or_default();
            PollState::Failed { status, message }
        }
        "" => PollState::Pending {
            status: "unknown".into(),
            progress: None,
        },
        _ => PollState::Pending {
            status,
            progress: None,
        },
    }
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
    match status.as_str() {
        "completed" => match task.text_of("imageId") {
            Some(id) => TaskState::Completed(id),
            None => TaskState::Other(PollState::Failed {
                status,
                message: "the import task completed without an image id".into(),
            }),
        },
        "deleted" | "deleting" => TaskState::Other(PollState::Failed { status, message }),
        _ if failed_message => TaskState::Other(PollState::Failed { status, message }),
        _ => TaskState::Other(PollState::Pending {
            status: if message.is_empty() { status } else { message },
            progress: task
                .text_of("progress")
                .and_then(|p| p.parse::<u8>().ok())
                .map(|p| p.min(100)),
        }),
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
            .and_then(|p| p.parse::<u8>().ok());
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
        o.image_id = Some(
            img.text_of("imageId")
                .unwrap_or_else(|| image_id.to_string()),
        );
        o.status = img.text_of("imageState");
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
            Err(Error::Provider(p)) if p.kind == ErrorKind::Throttled => Ok(PollState::Pending {
                status: format!("throttled ({})", p.code),
                progress: None,
            }),
            Err(Error::Provider(p)) if p.kind == ErrorKind::Unavailable => Ok(PollState::Pending {
                status: format!("unavailable ({})", p.code),
                progress: None,
            }),
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

    /// Every state that cannot become available by itself ends a wait.
    #[test]
    fn terminal_image_states() {
        for state in ["failed", "error", "invalid", "deregistered", "disabled"] {
            let s = image_state(
                "ami-1",
                &el(&format!(
                    "<item><imageId>ami-1</imageId><imageState>{state}</imageState></item>"
                )),
            );
            assert!(
                matches!(&s, PollState::Failed { status, .. } if status == state),
                "{state}: {s:?}"
            );
        }
        for state in ["pending", "transient"] {
            let s = image_state(
                "ami-1",
                &el(&format!("<item><imageState>{state}</imageState></item>")),
            );
            assert!(matches!(s, PollState::Pending { .. }), "{state}: {s:?}");
        }
        let s = image_state(
            "ami-1",
            &el("<item><imageState>available</imageState></item>"),
        );
        assert_eq!(
            s,
            PollState::Done {
                image_id: Some("ami-1".into()),
                status: "available".into()
            }
        );
    }

    #[test]
    fn image_states() {
        let s = image_state(
            "ami-1",
            &el(
                "<item><imageId>ami-1</imageId><imageState>failed</imageState><stateReason><code>Client.Err</code><message>snapshot failed</message></stateReason></item>",
            ),
        );
        assert_eq!(
            s,
            PollState::Failed {
                status: "failed".into(),
                message: "snapshot failed".into()
            }
        );
        let s = image_state(
            "ami-1",
            &el("<item><imageState>pending</imageState></item>"),
        );
        assert!(matches!(s, PollState::Pending { .. }));
        let s = image_state(
            "ami-1",
            &el("<item><imageState>available</imageState></item>"),
        );
        assert_eq!(
            s,
            PollState::Done {
                image_id: Some("ami-1".into()),
                status: "available".into()
            }
        );
    }

    #[test]
    fn task_states() {
        let t = |x: &str| task_state(&el(x));
        assert!(matches!(
            t("<item><status>completed</status><imageId>ami-9</imageId></item>"),
            TaskState::Completed(id) if id == "ami-9"
        ));
        assert!(matches!(
            t(
                "<item><status>deleted</status><statusMessage>ClientError: Unknown OS</statusMessage></item>"
            ),
            TaskState::Other(PollState::Failed { .. })
        ));
        assert!(matches!(
            t(
                "<item><status>active</status><statusMessage>conversion failed</statusMessage></item>"
            ),
            TaskState::Other(PollState::Failed { .. })
        ));
        assert!(matches!(
            t(
                "<item><status>active</status><statusMessage>converting</statusMessage><progress>28</progress></item>"
            ),
            TaskState::Other(PollState::Pending {
                progress: Some(28),
                ..
            })
        ));
    }
}
