//! AWS EC2 (Query API 2016-11-15).

use super::{Backend, Capabilities, Ctx};
use crate::error::{Error, Result};
use crate::ops::{CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget};

pub const CAPABILITIES: Capabilities = Capabilities {
    create: &[
        "name",
        "instance-id",
        "description",
        "tag",
        "snapshot-tag",
        "no-reboot",
        "block-device-mapping",
    ],
    import: &[
        "name",
        "url",
        "disk",
        "format",
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
        "description",
        "imds-support",
        "launch-permission-add",
        "launch-permission-remove",
        "make-public",
        "make-private",
    ],
    wait: &["image-id", "task-id"],
};

pub struct Ec2 {
    #[allow(dead_code)]
    ctx: Ctx,
}

impl Ec2 {
    pub fn new(ctx: Ctx) -> Result<Self> {
        Ok(Ec2 { ctx })
    }
}

fn unbuilt<T>() -> Result<T> {
    Err(Error::config("the ec2 backend is not built yet"))
}

impl Backend for Ec2 {
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
