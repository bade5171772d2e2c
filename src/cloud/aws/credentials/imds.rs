//! EC2 instance metadata, IMDSv2 first: a session token (`PUT`), then the
//! role name and its keys. Short timeouts, so that a laptop is not slowed.

use crate::config::{AwsImds, Source};
use crate::error::{Error, Result};
use crate::refresh::TempKeys;
use crate::secret::Secret;
use crate::transport::{HttpRequest, HttpResponse, Idempotency, Transport, url_host};

use super::container::{MetadataKeys, metadata_verdict};

const PATH: &str = "latest/meta-data/iam/security-credentials/";

/// One request with botocore's metadata timeout and attempts: `None` when
/// nothing answered in time.
async fn request(
    i: &AwsImds,
    t: &Transport,
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
) -> Result<Option<HttpResponse>> {
    let build = |_: u32| {
        Ok(HttpRequest {
            method,
            url: url.clone(),
            headers: headers.clone(),
            body: Vec::new(),
        })
    };
    for _ in 0..i.attempts.max(1) {
        match tokio::time::timeout(
            i.timeout,
            t.send(Idempotency::Safe, build, metadata_verdict),
        )
        .await
        {
            Ok(Ok(r)) => return Ok(Some(r)),
            Ok(Err(Error::Network { .. })) | Err(_) => continue,
            Ok(Err(e)) => return Err(e),
        }
    }
    Ok(None)
}

pub async fn fetch(i: &AwsImds, t: &Transport) -> Result<TempKeys> {
    let host = url_host(&i.endpoint);
    let unreachable = || {
        Error::config(format!(
            "no AWS credentials: none in the environment or ~/.aws, and the instance metadata \
             service ({host}) did not answer; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, \
             AWS_PROFILE, or AWS_EC2_METADATA_DISABLED=true to skip this probe"
        ))
    };
    let token = request(
        i,
        t,
        "PUT",
        format!("{}latest/api/token", i.endpoint),
        vec![(
            "x-aws-ec2-metadata-token-ttl-seconds".into(),
            "21600".into(),
        )],
    )
    .await?;
    let token = match token {
        Some(r) if (200..300).contains(&r.status) => Some(Secret::new(r.body_text())),
        Some(r) if r.status == 400 => {
            return Err(Error::config(format!(
                "instance metadata ({host}) refused the token request (HTTP 400)"
            )));
        }
        // 403/404/405 or no answer in time: IMDSv1, unless it is off.
        Some(_) | None if !i.v1_disabled => None,
        Some(r) => {
            return Err(Error::config(format!(
                "instance metadata ({host}) gave no IMDSv2 token (HTTP {}) and \
                 AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1",
                r.status
            )));
        }
        None => return Err(unreachable()),
    };
    let mut headers = Vec::new();
    if let Some(tok) = &token {
        t.add_secret(tok.clone());
        headers.push((
            "x-aws-ec2-metadata-token".to_string(),
            tok.expose().to_string(),
        ));
    }
    let list = request(
        i,
        t,
        "GET",
        format!("{}{PATH}", i.endpoint),
        headers.clone(),
    )
    .await?
    .ok_or_else(unreachable)?;
    if list.status == 404 {
        return Err(Error::config(format!(
            "instance metadata ({host}): this instance has no IAM role (instance profile)"
        )));
    }
    if !(200..300).contains(&list.status) {
        return Err(Error::config(format!(
            "instance metadata ({host}) answered HTTP {} for the role name",
            list.status
        )));
    }
    let role = list
        .body_text()
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();
    if role.is_empty() || role.contains(['/', '?', '#']) {
        return Err(Error::config(format!(
            "instance metadata ({host}) gave no usable role name"
        )));
    }
    let keys = request(i, t, "GET", format!("{}{PATH}{role}", i.endpoint), headers)
        .await?
        .ok_or_else(unreachable)?;
    if !(200..300).contains(&keys.status) {
        return Err(Error::config(format!(
            "instance metadata ({host}) answered HTTP {} for the role's credentials",
            keys.status
        )));
    }
    MetadataKeys::parse(
        &keys.body,
        "instance metadata",
        Source::Cached(format!("instance metadata: role {role}")),
    )
}
