//! AWS credentials the EC2 backend signs with: the handle it asks before
//! every request, and one small module per source that fetches
//! temporary keys (STS web identity and AssumeRole, credential_process,
//! the container endpoint, IMDSv2). Which source applies is decided in
//! `config` (botocore's chain order); nothing here reads a config file.

mod container;
mod imds;
mod process;
mod sts;

use std::cell::RefCell;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use time::OffsetDateTime;

use crate::config::{self, Dynamic, KeyPair, KeySource, ProcessEnv, Settings};
use crate::error::Result;
use crate::refresh::{Freshness, KeyCache, TempKeys, check_not_expired};
use crate::transport::Transport;

enum Kind {
    Static(KeyPair),
    Dynamic(Dynamic),
}

/// The credentials of one run. Static keys are returned as they are;
/// fetched ones are cached in memory and on disk and refreshed ahead of
/// their expiry, so a `--wait` of hours never signs with expired keys.
pub struct AwsCredentials {
    kind: Box<Kind>,
    current: RefCell<Option<Box<TempKeys>>>,
    cache_base: Option<PathBuf>,
}

type Fetch<'a> = Pin<Box<dyn Future<Output = Result<TempKeys>> + 'a>>;

impl AwsCredentials {
    pub fn from_settings(s: &Settings) -> Result<Self> {
        let kind = match (&s.keys, &s.dynamic) {
            (Some(k), _) => Kind::Static(k.clone()),
            (None, Some(d)) => Kind::Dynamic(d.clone()),
            (None, None) => Kind::Static(s.require_keys()?.clone()),
        };
        Ok(AwsCredentials {
            kind: Box::new(kind),
            current: RefCell::new(None),
            cache_base: if s.no_cache {
                None
            } else {
                config::cache_dir(&ProcessEnv)
            },
        })
    }

    /// The keys to sign the next request with.
    pub async fn keys(&self, t: &Transport) -> Result<KeyPair> {
        let d = match &*self.kind {
            Kind::Static(k) => return Ok(k.clone()),
            Kind::Dynamic(d) => d,
        };
        let now = OffsetDateTime::now_utc();
        let cur = self.current.borrow().clone();
        let fresh = match &cur {
            Some(c) => c.freshness(now),
            None => Freshness::Expired,
        };
        let got = match (fresh, cur) {
            (Freshness::Fresh, Some(c)) => return Ok(c.keys),
            (Freshness::Advisory, Some(c)) => match obtain(d, t, self.cache_base.as_ref()).await {
                Ok(n) => n,
                Err(e) => {
                    t.debug_line(&format!(
                        "* refreshing the credentials failed, keeping the current ones: {e}"
                    ));
                    return Ok(c.keys);
                }
            },
            _ => obtain(d, t, self.cache_base.as_ref()).await?,
        };
        let keys = got.keys.clone();
        *self.current.borrow_mut() = Some(Box::new(got));
        Ok(keys)
    }
}

/// Keys from the disk cache when an earlier run left fresh ones, else
/// fetched (under the entry's lock, so parallel runs fetch once) and
/// cached.
fn obtain<'a>(d: &'a Dynamic, t: &'a Transport, base: Option<&'a PathBuf>) -> Fetch<'a> {
    Box::pin(async move {
        let log = |s: &str| t.debug_line(s);
        let key = cache_key(d);
        let key: Vec<&str> = key.iter().map(String::as_str).collect();
        let cache = base.and_then(|b| KeyCache::new(Some(b.clone()), "aws", &key));
        let _lock = cache.as_ref().and_then(KeyCache::lock);
        let now = OffsetDateTime::now_utc();
        if let Some(c) = &cache
            && let Some(k) = c.read(now, &log)
        {
            register(t, &k.keys);
            t.debug_line(&format!("* using cached credentials ({})", d.describe()));
            return Ok(k);
        }
        let k = fetch(d, t, base).await?;
        register(t, &k.keys);
        check_not_expired(&k, OffsetDateTime::now_utc(), &d.describe())?;
        if let Some(c) = &cache {
            c.write(&k, &log);
        }
        Ok(k)
    })
}

fn register(t: &Transport, k: &KeyPair) {
    t.add_secret(k.secret.clone());
    if let Some(s) = &k.session_token {
        t.add_secret(s.clone());
    }
}

async fn fetch(d: &Dynamic, t: &Transport, base: Option<&PathBuf>) -> Result<TempKeys> {
    match d {
        Dynamic::AwsWebIdentity(w) => sts::web_identity(w, t).await,
        Dynamic::AwsAssumeRole(a) => {
            let source = match &a.base {
                KeySource::Static(k) => k.clone(),
                KeySource::Dynamic(inner) => obtain(inner, t, base).await?.keys,
            };
            sts::assume_role(a, &source, t).await
        }
        Dynamic::AwsProcess(p) => process::run(p),
        Dynamic::AwsContainer(c) => container::fetch(c, t).await,
        Dynamic::AwsImds(i) => imds::fetch(i, t).await,
    }
}

/// What identifies a source's keys, for the disk cache: never a secret
/// (the entry's name is a hash of this anyway).
fn cache_key(d: &Dynamic) -> Vec<String> {
    match d {
        Dynamic::AwsWebIdentity(w) => vec![
            "web-identity".into(),
            w.role_arn.clone(),
            w.session_name.clone().unwrap_or_default(),
            w.sts.url.clone(),
            w.token_file.display().to_string(),
        ],
        Dynamic::AwsAssumeRole(a) => {
            let mut v = vec![
                "assume-role".into(),
                a.role_arn.clone(),
                a.session_name.clone().unwrap_or_default(),
                a.external_id.clone().unwrap_or_default(),
                a.duration_seconds.unwrap_or_default().to_string(),
                a.sts.url.clone(),
            ];
            match &a.base {
                KeySource::Static(k) => v.push(k.access_key_id.clone()),
                KeySource::Dynamic(inner) => v.extend(cache_key(inner)),
            }
            v
        }
        Dynamic::AwsProcess(p) => vec!["process".into(), p.command.clone()],
        Dynamic::AwsContainer(c) => vec!["container".into(), c.url.clone()],
        Dynamic::AwsImds(i) => vec!["imds".into(), i.endpoint.clone()],
    }
}
