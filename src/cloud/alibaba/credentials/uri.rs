//! ALIBABA_CLOUD_CREDENTIALS_URI (or a CredentialsURI profile): a `GET`
//! of the URI as given, query string kept.

use std::time::Duration;

use super::{AliKeys, metadata_verdict, parse_json};
use crate::config::{AliUri, Source};
use crate::error::{Error, Result};
use crate::refresh::TempKeys;
use crate::transport::{HttpRequest, Idempotency, Transport, url_host};

pub async fn fetch(u: &AliUri, t: &Transport) -> Result<TempKeys> {
    let host = url_host(&u.url);
    let build = |_: u32| {
        Ok(HttpRequest {
            method: "GET",
            url: u.url.clone(),
            headers: Vec::new(),
            body: Vec::new(),
        })
    };
    let resp = tokio::time::timeout(
        Duration::from_secs(10),
        t.send(Idempotency::Safe, build, metadata_verdict),
    )
    .await
    .map_err(|_| Error::config(format!("the credentials URI {host} did not answer")))??;
    if !(200..300).contains(&resp.status) {
        return Err(Error::config(format!(
            "the credentials URI {host} answered HTTP {}",
            resp.status
        )));
    }
    let k: AliKeys = parse_json(&resp.body, "credentials URI")?;
    k.into_temp(
        "credentials URI",
        Source::Cached(format!("credentials URI: {host}")),
    )
}
