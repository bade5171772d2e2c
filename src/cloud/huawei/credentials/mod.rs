//! Huawei Cloud AK/SK that IMS signs with: configured keys (with a
//! security token when temporary), or keys from the ECS metadata service
//! when nothing else is configured, as the Huawei SDKs do. Refreshing and
//! caching is `refresh::Handle`'s.

mod metadata;

use crate::config::{Dynamic, Settings};
use crate::error::{Error, Result};
use crate::refresh::{Fetch, Handle};
use crate::transport::Transport;

pub fn handle(s: &Settings) -> Result<Handle> {
    Handle::new(s, "huawei-keys", fetch)
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
