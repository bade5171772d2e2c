//! ECS metadata credentials (the ECS needs an agency): a token `PUT`,
//! then `GET /openstack/latest/securitykey` (Huawei SDK MetadataAccessor).

use std::time::Duration;

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{HwMetadata, KeyPair, Source};
use crate::error::{Error, Result};
use crate::refresh::{TempKeys, parse_expiration};
use crate::secret::Secret;
use crate::transport::{HttpRequest, HttpResponse, Idempotency, Transport, Verdict, url_host};

const TIMEOUT: Duration = Duration::from_secs(3);
const NO_AGENCY: &str = "Please configure Cloud Service Agency first";

#[derive(Deserialize)]
struct Answer {
    credential: Credential,
}

#[derive(Deserialize)]
struct Credential {
    access: String,
    secret: String,
    securitytoken: String,
    expires_at: String,
}

fn verdict(r: &HttpResponse) -> Verdict {
    if r.status >= 500 || r.status == 429 {
        Verdict::NotProcessed { after: None }
    } else {
        Verdict::Final
    }
}

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
    match tokio::time::timeout(TIMEOUT, t.send(Idempotency::Safe, build, verdict)).await {
        Ok(Ok(r)) => Ok(Some(r)),
        Ok(Err(Error::Network { .. })) | Err(_) => Ok(None),
        Ok(Err(e)) => Err(e),
    }
}

async fn token(m: &HwMetadata, t: &Transport) -> Result<Option<Secret>> {
    let r = request(
        t,
        "PUT",
        format!("{}/meta-data/latest/api/token", m.endpoint),
        vec![("X-Metadata-Token-Ttl-Seconds".into(), "21600".into())],
    )
    .await?;
    Ok(match r {
        Some(r) if (200..300).contains(&r.status) => {
            let s = Secret::new(r.body_text());
            t.add_secret(s.clone());
            Some(s)
        }
        // 404/405/503 or nothing: go on without a token, as the SDKs do.
        _ => None,
    })
}

pub async fn fetch(m: &HwMetadata, t: &Transport) -> Result<TempKeys> {
    let host = url_host(&m.endpoint);
    let unreachable = || {
        Error::config(format!(
            "no credentials for ims: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK mode) \
             or HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME (token mode); the ECS metadata \
             service ({host}) did not answer either"
        ))
    };
    let url = format!("{}/openstack/latest/securitykey", m.endpoint);
    let mut tok = token(m, t).await?;
    let mut retried = false;
    loop {
        let headers = tok
            .as_ref()
            .map(|s| vec![("X-Metadata-Token".to_string(), s.expose().to_string())])
            .unwrap_or_default();
        let r = request(t, "GET", url.clone(), headers)
            .await?
            .ok_or_else(unreachable)?;
        if r.status == 401 && !retried && !r.body_text().contains(NO_AGENCY) {
            // The token expired: one new one, one more try.
            retried = true;
            tok = token(m, t).await?;
            continue;
        }
        if r.status == 401 || r.status == 404 {
            return Err(Error::config(format!(
                "the ECS metadata service ({host}) has no credentials for this instance \
                 (HTTP {}): configure a cloud service agency for the ECS",
                r.status
            )));
        }
        if !(200..300).contains(&r.status) {
            return Err(Error::config(format!(
                "the ECS metadata service ({host}) answered HTTP {}",
                r.status
            )));
        }
        let a: Answer = serde_json::from_slice(&r.body).map_err(|_| {
            Error::bad_response(
                "ECS metadata: the answer is not the expected JSON",
                r.status,
            )
        })?;
        let c = a.credential;
        let expires = parse_expiration(&c.expires_at)
            .ok_or_else(|| Error::bad_response("ECS metadata: bad expires_at", r.status))?;
        if c.access.is_empty() || c.secret.is_empty() {
            return Err(Error::bad_response(
                "ECS metadata: access or secret is empty",
                r.status,
            ));
        }
        return Ok(TempKeys {
            keys: KeyPair {
                access_key_id: c.access,
                secret: Secret::new(c.secret),
                session_token: (!c.securitytoken.is_empty()).then(|| Secret::new(c.securitytoken)),
                source: Source::Cached("instance metadata".into()),
            },
            expires: Some(expires),
            obtained: OffsetDateTime::now_utc(),
        });
    }
}
