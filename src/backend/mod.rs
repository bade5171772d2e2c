//! The Backend trait, the capability table, and provider selection.

pub mod ec2;
pub mod ecs;
pub mod ens;
pub mod ims;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ops::{CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Ens,
    Ecs,
    Ec2,
    Ims,
}

impl Provider {
    pub const ALL: [Provider; 4] = [Provider::Ens, Provider::Ecs, Provider::Ec2, Provider::Ims];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Ens => "ens",
            Provider::Ecs => "ecs",
            Provider::Ec2 => "ec2",
            Provider::Ims => "ims",
        }
    }

    /// Accepts the names and the aliases `aws` and `huawei`.
    pub fn parse(s: &str) -> Result<Provider> {
        match s.to_ascii_lowercase().as_str() {
            "ens" => Ok(Provider::Ens),
            "ecs" => Ok(Provider::Ecs),
            "ec2" | "aws" => Ok(Provider::Ec2),
            "ims" | "huawei" => Ok(Provider::Ims),
            _ => Err(Error::usage(format!(
                "unknown provider '{s}': expected ens, ecs, ec2 (alias aws) or ims (alias huawei)"
            ))),
        }
    }

    /// Which verb flags this provider's cloud can honour. A flag outside
    /// its verb's list is refused with a usage error naming flag and
    /// provider, before anything is sent.
    pub fn capabilities(self) -> &'static Capabilities {
        match self {
            Provider::Ens => &ens::CAPABILITIES,
            Provider::Ecs => &ecs::CAPABILITIES,
            Provider::Ec2 => &ec2::CAPABILITIES,
            Provider::Ims => &ims::CAPABILITIES,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Create,
    Import,
    Modify,
    Describe,
    Wait,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Import => "import",
            Verb::Modify => "modify",
            Verb::Describe => "describe",
            Verb::Wait => "wait",
        }
    }
}

/// Long flag names (without `--`) each verb accepts for one provider.
pub struct Capabilities {
    pub create: &'static [&'static str],
    pub import: &'static [&'static str],
    pub modify: &'static [&'static str],
    pub wait: &'static [&'static str],
}

impl Capabilities {
    pub fn supports(&self, verb: Verb, flag: &str) -> bool {
        let list: &[&str] = match verb {
            Verb::Create => self.create,
            Verb::Import => self.import,
            Verb::Modify => self.modify,
            Verb::Describe => &["image-id"],
            Verb::Wait => self.wait,
        };
        list.contains(&flag)
    }
}

/// What every provider implements. Requests arrive validated; a backend
/// maps them to its wire format, sends them through the shared transport
/// and maps the answer back to an [`Outcome`].
#[allow(async_fn_in_trait)] // one current-thread runtime: no Send bound wanted
pub trait Backend {
    async fn create(&mut self, req: &CreateImage) -> Result<Outcome>;
    async fn import(&mut self, req: &ImportImage) -> Result<Outcome>;
    async fn modify(&mut self, req: &ModifyImage) -> Result<Outcome>;
    async fn describe(&mut self, image_id: &str) -> Result<Outcome>;
    /// One observation for the shared waiter.
    async fn poll(&mut self, target: &WaitTarget) -> Result<PollState>;
}

/// What a backend gets to work with.
pub struct Ctx {
    pub settings: crate::config::Settings,
    pub transport: crate::transport::Transport,
    /// `--dry-run`: server-side DryRun where the cloud has one, otherwise
    /// sign and show the request (with --debug) without sending it.
    pub dry_run: bool,
    /// `--raw`: keep the provider's own response in the outcome.
    pub raw: bool,
}
