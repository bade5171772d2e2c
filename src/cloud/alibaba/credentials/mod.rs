//! Alibaba Cloud credentials ENS and ECS sign with: one small module per
//! source, following credentials-go (STS AssumeRole and
//! AssumeRoleWithOIDC, ECS RAM role metadata, the credentials URI, an
//! External process). Which source applies is decided in `config`;
//! refreshing and caching is `refresh::Handle`'s.

mod external;
mod metadata;
mod sts;
mod uri;

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{Dynamic, KeyPair, KeySource, Settings, Source};
use crate::error::{Error, Result};
use crate::refresh::{Fetch, Handle, TempKeys, parse_expiration};
use crate::secret::Secret;
use crate::transport::{HttpResponse, Transport, Verdict};

/// The credentials handle of a run; `cache_dir` is `Ctx::cache_dir`.
pub fn handle(s: &Settings, cache_dir: Option<std::path::PathBuf>) -> Result<Handle> {
    Handle::new(s, cache_dir, "alibaba", fetch)
}

fn fetch<'a>(h: &'a Handle, d: &'a Dynamic, t: &'a Transport) -> Fetch<'a> {
    Box::pin(async move {
        match d {
            Dynamic::AliRamRoleArn(a) => {
                let source = match &a.base {
                    KeySource::Static(k) => k.clone(),
                    KeySource::Dynamic(inner) => h.obtain(inner, t).await?.keys,
                };
                sts::assume_role(a, &source, t).await
            }
            Dynamic::AliOidc(o) => sts::oidc(o, t).await,
            Dynamic::AliEcsRamRole(e) => metadata::fetch(e, t).await,
            Dynamic::AliUri(u) => uri::fetch(u, t).await,
            Dynamic::AliExternal(x) => external::run(x),
            other => Err(Error::config(format!(
                "{} does not give Alibaba Cloud credentials",
                other.describe()
            ))),
        }
    })
}

/// The credentials block of STS, metadata and credentials-URI answers.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AliKeys {
    code: Option<String>,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl AliKeys {
    fn into_temp(self, what: &str, source: Source) -> Result<TempKeys> {
        let bad = |m: &str| Error::bad_response(format!("{what}: {m}"), 200);
        if let Some(code) = &self.code
            && code != "Success"
        {
            return Err(bad(&format!("Code is {code}, not Success")));
        }
        if self.access_key_id.is_empty() || self.access_key_secret.is_empty() {
            return Err(bad("AccessKeyId or AccessKeySecret is empty"));
        }
        let expires = match &self.expiration {
            Some(e) if !e.is_empty() => {
                Some(parse_expiration(e).ok_or_else(|| bad("bad Expiration"))?)
            }
            _ => None,
        };
        Ok(TempKeys {
            keys: KeyPair {
                access_key_id: self.access_key_id,
                secret: Secret::new(self.access_key_secret),
                session_token: self
                    .security_token
                    .filter(|t| !t.is_empty())
                    .map(Secret::new),
                source,
            },
            expires,
            obtained: OffsetDateTime::now_utc(),
        })
    }
}

/// Reads a JSON body without ever quoting it (it holds the secret).
fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(body).map_err(|_| {
        Error::bad_response(format!("{what}: the answer is not the expected JSON"), 200)
    })
}

fn metadata_verdict(r: &HttpResponse) -> Verdict {
    if r.status >= 500 || r.status == 429 {
        Verdict::NotProcessed { after: None }
    } else {
        Verdict::Final
    }
}
