//! The container credentials endpoint (ECS task roles, EKS Pod Identity).

use std::time::Duration;

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{AwsContainer, KeyPair, Source};
use crate::error::{Error, Result};
use crate::refresh::{TempKeys, parse_expiration};
use crate::secret::Secret;
use crate::transport::{HttpRequest, HttpResponse, Idempotency, Transport, Verdict, url_host};

/// What the container endpoint and IMDS both answer.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetadataKeys {
    pub code: Option<String>,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub token: Option<String>,
    pub expiration: Option<String>,
}

impl MetadataKeys {
    pub fn parse(body: &[u8], what: &str, source: Source) -> Result<TempKeys> {
        let bad = |m: &str| Error::bad_response(format!("{what}: {m}"), 200);
        // Never quote the body: it holds the secret.
        let k: MetadataKeys =
            serde_json::from_slice(body).map_err(|_| bad("the answer is not the expected JSON"))?;
        if let Some(code) = &k.code
            && code != "Success"
        {
            return Err(bad(&format!("Code is {code}, not Success")));
        }
        let expires = match &k.expiration {
            Some(e) => Some(parse_expiration(e).ok_or_else(|| bad("bad Expiration"))?),
            None => None,
        };
        Ok(TempKeys {
            keys: KeyPair {
                access_key_id: k.access_key_id,
                secret: Secret::new(k.secret_access_key),
                session_token: k.token.filter(|t| !t.is_empty()).map(Secret::new),
                source,
            },
            expires,
            obtained: OffsetDateTime::now_utc(),
        })
    }
}

pub fn metadata_verdict(r: &HttpResponse) -> Verdict {
    if r.status >= 500 || r.status == 429 {
        Verdict::NotProcessed { after: None }
    } else {
        Verdict::Final
    }
}

pub async fn fetch(c: &AwsContainer, t: &Transport) -> Result<TempKeys> {
    // The token file wins and is read on every fetch (it is rotated).
    let token = match (&c.token_file, &c.token) {
        (Some(f), _) => Some(Secret::new(
            std::fs::read_to_string(f)
                .map_err(|e| {
                    Error::config(format!(
                        "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}: {}",
                        f.display(),
                        e.kind()
                    ))
                })?
                .trim_end_matches(['\r', '\n'])
                .to_string(),
        )),
        (None, Some(t)) => Some(t.clone()),
        (None, None) => None,
    };
    if let Some(tok) = &token {
        if tok.expose().contains(['\r', '\n']) {
            return Err(Error::config(
                "the container authorization token contains a line break",
            ));
        }
        t.add_secret(tok.clone());
    }
    let build = |_: u32| {
        let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
        if let Some(tok) = &token {
            headers.push(("Authorization".to_string(), tok.expose().to_string()));
        }
        Ok(HttpRequest {
            method: "GET",
            url: c.url.clone(),
            headers,
            body: Vec::new(),
        })
    };
    let host = url_host(&c.url);
    let resp = tokio::time::timeout(
        Duration::from_secs(6),
        t.send(Idempotency::Safe, build, metadata_verdict),
    )
    .await
    .map_err(|_| {
        Error::config(format!(
            "the container credentials endpoint {host} did not answer"
        ))
    })??;
    if resp.status == 401 || resp.status == 403 {
        return Err(Error::auth(
            "ContainerCredentialsRefused",
            format!(
                "the container credentials endpoint {host} answered HTTP {}",
                resp.status
            ),
        ));
    }
    if !(200..300).contains(&resp.status) {
        return Err(Error::config(format!(
            "the container credentials endpoint {host} answered HTTP {}",
            resp.status
        )));
    }
    MetadataKeys::parse(
        &resp.body,
        "container credentials",
        Source::Cached(format!("container: {host}")),
    )
}
