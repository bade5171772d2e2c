//! Alibaba Cloud ENS (API 2017-11-10).

use super::{Backend, Capabilities, Ctx};
use crate::error::{Error, Result};
use crate::ops::{CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "snapshot-id",
        "with-data-disks",
        "delete-instance-after-upload",
        "target-oss-region",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "oss-region",
        "format",
        "os-type",
        "platform",
        "os-version",
        "architecture",
        "license-type",
        "compute-type",
        "target-oss-region",
    ],
    modify: &["image-id", "name"],
    wait: &["image-id"],
};

pub struct Ens {
    #[allow(dead_code)]
    ctx: Ctx,
}

impl Ens {
    pub fn new(ctx: Ctx) -> Result<Self> {
        Ok(Ens { ctx })
    }
}

fn unbuilt<T>() -> Result<T> {
    Err(Error::config("the ens backend is not built yet"))
}

impl Backend for Ens {
    async fn create(&mut self, _req: &CreateImage) -> Result<Outcome> {
        unbuilt()
    }
    async fn import(&mut self, _req: &ImportImage) -> Result<Outcome> {
        unbuilt()
    }
    async fn modify(&mut self, _req: &ModifyImage) -> Result<Outcome> {
        unbuilt()
    }
    async fn describe(&mut self, _image_id: &str) -> Result<Outcome> {
        unbuilt()
    }
    async fn poll(&mut self, _target: &WaitTarget) -> Result<PollState> {
        unbuilt()
    }
}
