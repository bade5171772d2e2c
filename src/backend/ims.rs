//! Huawei Cloud IMS (REST/JSON, async jobs), with IAM tokens or AK/SK.

use super::{Backend, Capabilities, Ctx};
use crate::error::{Error, Result};
use crate::ops::{CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "description",
        "tag",
        "data-image",
        "min-ram",
        "max-ram",
        "enterprise-project-id",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "os-type",
        "os-version",
        "architecture",
        "boot-mode",
        "min-disk",
        "description",
        "tag",
        "is-config",
        "quick-import",
    ],
    modify: &[
        "image-id",
        "name",
        "description",
        "boot-mode",
        "min-ram",
        "max-ram",
    ],
    wait: &["image-id", "job-id"],
};

pub struct Ims {
    #[allow(dead_code)]
    ctx: Ctx,
}

impl Ims {
    pub fn new(ctx: Ctx) -> Result<Self> {
        Ok(Ims { ctx })
    }
}

fn unbuilt<T>() -> Result<T> {
    Err(Error::config("the ims backend is not built yet"))
}

impl Backend for Ims {
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
