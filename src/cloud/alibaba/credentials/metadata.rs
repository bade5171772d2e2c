//! ECS RAM role from the instance metadata service (100.100.100.200, or
//! IMGCTL_ALIBABA_METADATA_ENDPOINT): a token `PUT` first, then the role
//! name (unless configured) and its keys. Short timeouts.

use std::time::Duration;

use super::{AliKeys, metadata_verdict, parse_json};
use crate::config::{AliEcsRamRole, Source};
use crate::error::{Error, Result};
use crate::refresh::TempKeys;
use crate::secret::Secret;
use crate::transport::{HttpRequest, HttpResponse, Idempotency, Transport, url_host};

const TIMEOUT: Duration = Duration::from_secs(1);
const PATH: &str = "/latest/meta-data/ram/security-credentials/";

async fn request(
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
    match tokio::time::timeout(TIMEOUT, t.send(Idempotency::Safe, build, metadata_verdict)).await {
        Ok(Ok(r)) => Ok(Some(r)),
        Ok(Err(Error::Network { .. })) | Err(_) => Ok(None),
        Ok(Err(e)) => Err(e),
    }
}

pub async fn fetch(m: &AliEcsRamRole, t: &Transport) -> Result<TempKeys> {
    let host = url_host(&m.endpoint);
    let unreachable = || {
        Error::config(format!(
            "no Alibaba Cloud credentials: none in the environment or ~/.aliyun/config.json, \
             and the ECS metadata service ({host}) did not answer; set \
             ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or \
             ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip this probe"
        ))
    };
    let token = request(
        t,
        "PUT",
        format!("{}/latest/api/token", m.endpoint),
        vec![(
            "X-aliyun-ecs-metadata-token-ttl-seconds".into(),
            "21600".into(),
        )],
    )
    .await?;
    let token = match token {
        Some(r) if (200..300).contains(&r.status) => Some(Secret::new(r.body_text())),
        _ if m.imdsv1_disabled => {
            return Err(Error::config(format!(
                "the ECS metadata service ({host}) gave no token, and \
                 ALIBABA_CLOUD_IMDSV1_DISABLED forbids going on without one"
            )));
        }
        None => return Err(unreachable()),
        Some(_) => None,
    };
    let mut headers = Vec::new();
    if let Some(tok) = &token {
        t.add_secret(tok.clone());
        headers.push((
            "X-aliyun-ecs-metadata-token".to_string(),
            tok.expose().to_string(),
        ));
    }
    let role = match &m.role_name {
        Some(r) => r.clone(),
        None => {
            let r = request(t, "GET", format!("{}{PATH}", m.endpoint), headers.clone())
                .await?
                .ok_or_else(unreachable)?;
            if !(200..300).contains(&r.status) {
                return Err(Error::config(format!(
                    "the ECS metadata service ({host}) answered HTTP {} for the RAM role name: \
                     is a RAM role attached to this instance?",
                    r.status
                )));
            }
            r.body_text()
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        }
    };
    if role.is_empty() || role.contains(['/', '?', '#']) {
        return Err(Error::config(format!(
            "the ECS metadata service ({host}) gave no usable RAM role name"
        )));
    }
    let r = request(t, "GET", format!("{}{PATH}{role}", m.endpoint), headers)
        .await?
        .ok_or_else(unreachable)?;
    if !(200..300).contains(&r.status) {
        return Err(Error::config(format!(
            "the ECS metadata service ({host}) answered HTTP {} for the keys of role {role}",
            r.status
        )));
    }
    let k: AliKeys = parse_json(&r.body, "ECS metadata")?;
    if k.code.as_deref() != Some("Success") {
        return Err(Error::bad_response(
            "ECS metadata: the answer's Code is not Success",
            r.status,
        ));
    }
    k.into_temp(
        "ECS metadata",
        Source::Cached(format!("instance metadata: role {role}")),
    )
}
