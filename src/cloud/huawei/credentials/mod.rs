//! Huawei Cloud AK/SK that IMS signs with: configured keys (with a
//! security token when temporary), or keys from the ECS metadata service
//! when nothing else is configured, as the Huawei SDKs do. Refreshing and
//! caching is `refresh::Handle`'s.

mod metadata;

use crate::config::{Dynamic, Settings};
use crate::error::{Error, Result};
use crate::refresh::{Fetch, Handle};
use crate::transport::Transport;

/// The credentials handle of a run; `cache_dir` is `Ctx::cache_dir`.
pub fn handle(s: &Settings, cache_dir: Option<std::path::PathBuf>) -> Result<Handle> {
    Handle::new(s, cache_dir, "huawei-keys", fetch)
}

fn fetch<'a>(_h: &'a Handle, d: &'a Dynamic, t: &'a Transport) -> Fetch<'a> {
    Box::pin(async move {
        match d {
            Dynamic::HwMetadata(m) => metadata::fetch(m, t).await,
            other => Err(Error::config(format!(
                "{} does not give Huawei Cloud credentials",
                other.describe()
            ))),
        }
    })
}
