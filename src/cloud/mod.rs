//! One folder per cloud, each holding its backends, wire format, errors and
//! credential plumbing. This file is the only place that names them all:
//! it picks the backend for a provider and its capability table.

pub mod alibaba;
pub mod aws;
pub mod huawei;

use crate::backend::{Backend, Ctx};
use crate::error::Result;
use crate::ops::{
    CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage, Outcome, PollState,
    WaitTarget,
};
use crate::provider::{Capabilities, Provider};

/// Which verb flags a provider's cloud can honour. A flag outside its
/// verb's list is refused with a usage error naming flag and provider,
/// before anything is sent.
pub fn capabilities(p: Provider) -> &'static Capabilities {
    match p {
        Provider::Ens => &alibaba::ens::CAPABILITIES,
        Provider::Ecs => &alibaba::ecs::CAPABILITIES,
        Provider::Ec2 => &aws::ec2::CAPABILITIES,
        Provider::Ims => &huawei::ims::CAPABILITIES,
    }
}

/// The backend of the provider the settings chose. An enum rather than a
/// trait object: the trait's async methods are not object-safe, and one
/// `match` per call costs nothing next to a network round trip.
pub enum AnyBackend {
    Ens(alibaba::ens::Ens),
    Ecs(alibaba::ecs::Ecs),
    Ec2(aws::ec2::Ec2),
    Ims(huawei::ims::Ims),
}

pub fn select(ctx: Ctx) -> Result<AnyBackend> {
    Ok(match ctx.settings.provider.value {
        Provider::Ens => AnyBackend::Ens(alibaba::ens::Ens::new(ctx)?),
        Provider::Ecs => AnyBackend::Ecs(alibaba::ecs::Ecs::new(ctx)?),
        Provider::Ec2 => AnyBackend::Ec2(aws::ec2::Ec2::new(ctx)?),
        Provider::Ims => AnyBackend::Ims(huawei::ims::Ims::new(ctx)?),
    })
}

macro_rules! each {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            AnyBackend::Ens($b) => $call,
            AnyBackend::Ecs($b) => $call,
            AnyBackend::Ec2($b) => $call,
            AnyBackend::Ims($b) => $call,
        }
    };
}

impl Backend for AnyBackend {
    async fn create(&mut self, req: &CreateImage) -> Result<Outcome> {
        each!(self, b => b.create(req).await)
    }
    async fn import(&mut self, req: &ImportImage) -> Result<Outcome> {
        each!(self, b => b.import(req).await)
    }
    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome> {
        each!(self, b => b.modify(req).await)
    }
    async fn describe(&mut self, image_id: &str) -> Result<Outcome> {
        each!(self, b => b.describe(image_id).await)
    }
    async fn list(&mut self, req: &ListImages) -> Result<Outcome> {
        each!(self, b => b.list(req).await)
    }
    async fn delete(&mut self, req: &DeleteImage) -> Result<Outcome> {
        each!(self, b => b.delete(req).await)
    }
    async fn copy(&mut self, req: &CopyImage) -> Result<Outcome> {
        each!(self, b => b.copy(req).await)
    }
    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState> {
        each!(self, b => b.poll(target).await)
    }
}
