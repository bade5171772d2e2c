//! AWS credentials the EC2 backend signs with: one small module per
//! source that fetches temporary keys (STS web identity and AssumeRole,
//! credential_process, the container endpoint, IMDSv2). Which source
//! applies is decided in `config` (botocore's chain order); refreshing and
//! caching is `refresh::Handle`'s.

mod container;
mod imds;
mod process;
mod sso;
mod sts;

use crate::config::{Dynamic, KeySource, Settings};
use crate::error::{Error, Result};
use crate::refresh::{Fetch, Handle};
use crate::transport::Transport;

/// The credentials handle of a run; `cache_dir` is `Ctx::cache_dir`.
pub fn handle(s: &Settings, cache_dir: Option<std::path::PathBuf>) -> Result<Handle> {
    Handle::new(s, cache_dir, "aws", fetch)
}

fn fetch<'a>(h: &'a Handle, d: &'a Dynamic, t: &'a Transport) -> Fetch<'a> {
    Box::pin(async move {
        match d {
            Dynamic::AwsWebIdentity(w) => sts::web_identity(w, t).await,
            Dynamic::AwsAssumeRole(a) => {
                let source = match &a.base {
                    KeySource::Static(k) => k.clone(),
                    KeySource::Dynamic(inner) => h.obtain(inner, t).await?.keys,
                };
                sts::assume_role(a, &source, t).await
            }
            Dynamic::AwsProcess(p) => process::run(p),
            Dynamic::AwsContainer(c) => container::fetch(c, t).await,
            Dynamic::AwsImds(i) => imds::fetch(i, t).await,
            Dynamic::AwsSso(s) => sso::fetch(s, t).await,
            other => Err(Error::config(format!(
                "{} does not give AWS credentials",
                other.describe()
            ))),
        }
    })
}
