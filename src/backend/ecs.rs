//! Alibaba Cloud ECS (API 2014-05-26).

use super::{Backend, Capabilities, Ctx};
use crate::error::{Error, Result};
use crate::ops::{CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "snapshot-id",
        "description",
        "tag",
        "block-device-mapping",
        "client-token",
        "family",
        "platform",
        "architecture",
        "boot-mode",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "format",
        "os-type",
        "platform",
        "architecture",
        "boot-mode",
        "license-type",
        "role-name",
        "description",
        "tag",
        "client-token",
    ],
    modify: &[
        "image-id",
        "name",
        "description",
        "status",
        "family",
        "boot-mode",
        "license-type",
        "nvme-support",
        "imds-support",
    ],
    wait: &["image-id"],
};

pub struct Ecs {
    #[allow(dead_code)]
    ctx: Ctx,
}

impl Ecs {
    pub fn new(ctx: Ctx) -> Result<Self> {
        Ok(Ecs { ctx })
    }
}

fn unbuilt<T>() -> Result<T> {
    Err(Error::config("the ecs backend is not built yet"))
}

impl Backend for Ecs {
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
