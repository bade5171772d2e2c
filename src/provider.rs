//! The shared vocabulary: what every layer names and none implements.
//! It sits at the bottom of the house and imports only the error type.

use serde::Serialize;

use crate::error::{Error, Result};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Create,
    Import,
    Modify,
    Describe,
    Wait,
    List,
    Delete,
    Copy,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Import => "import",
            Verb::Modify => "modify",
            Verb::Describe => "describe",
            Verb::Wait => "wait",
            Verb::List => "list",
            Verb::Delete => "delete",
            Verb::Copy => "copy",
        }
    }
}

/// Long flag names (without `--`) each verb accepts for one provider.
pub struct Capabilities {
    pub create: &'static [&'static str],
    pub import: &'static [&'static str],
    pub modify: &'static [&'static str],
    pub wait: &'static [&'static str],
    pub list: &'static [&'static str],
    pub delete: &'static [&'static str],
    /// Empty: the cloud has no such operation at all.
    pub copy: &'static [&'static str],
}

impl Capabilities {
    pub fn flags(&self, verb: Verb) -> &'static [&'static str] {
        match verb {
            Verb::Create => self.create,
            Verb::Import => self.import,
            Verb::Modify => self.modify,
            Verb::Describe => &["image-id"],
            Verb::Wait => self.wait,
            Verb::List => self.list,
            Verb::Delete => self.delete,
            Verb::Copy => self.copy,
        }
    }

    pub fn supports(&self, verb: Verb, flag: &str) -> bool {
        self.flags(verb).contains(&flag)
    }

    /// Whether the cloud offers the verb at all.
    pub fn offers(&self, verb: Verb) -> bool {
        !self.flags(verb).is_empty()
    }
}
