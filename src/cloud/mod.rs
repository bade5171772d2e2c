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
use crate::vocab::{Spelling, State, StatusEntry};

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

/// How the provider's cloud spells each enumerated flag value.
pub fn values(p: Provider) -> &'static [Spelling] {
    match p {
        Provider::Ens => alibaba::ens::VALUES,
        Provider::Ecs => alibaba::ecs::VALUES,
        Provider::Ec2 => aws::ec2::VALUES,
        Provider::Ims => huawei::ims::VALUES,
    }
}

/// Every documented status of the provider's cloud and its neutral state.
pub fn statuses(p: Provider) -> &'static [StatusEntry] {
    match p {
        Provider::Ens => alibaba::ens::STATUSES,
        Provider::Ecs => alibaba::ecs::STATUSES,
        Provider::Ec2 => aws::ec2::STATUSES,
        Provider::Ims => huawei::ims::STATUSES,
    }
}

/// The neutral state of one of the provider's statuses (`unknown` when
/// the status is not in its table).
pub fn state_of(p: Provider, status: &str) -> State {
    crate::vocab::state_of(statuses(p), status)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::Verb;
    use crate::vocab::{self, State};
    use std::collections::BTreeSet;

    /// Each cloud's spellings name canonical values, and the cloud's own
    /// spelling (what its users type) is accepted and means the same.
    #[test]
    fn every_spelling_is_in_the_vocabulary() {
        for p in Provider::ALL {
            for s in values(p) {
                let v = vocab::vocabulary(s.flag).unwrap_or_else(|| panic!("{}", s.flag));
                for (c, wire) in s.values {
                    assert_eq!(v.canonical(c), Some(*c), "{} {} {c}", p.as_str(), s.flag);
                    if !s.open {
                        assert_eq!(
                            v.canonical(wire),
                            Some(*c),
                            "{} {} {wire}",
                            p.as_str(),
                            s.flag
                        );
                    }
                }
            }
        }
    }

    /// An enumerated flag a provider takes has its spelling table.
    #[test]
    fn every_enumerated_flag_has_a_spelling() {
        for p in Provider::ALL {
            let caps = capabilities(p);
            for (verb, flags) in [
                (Verb::Create, caps.create),
                (Verb::Import, caps.import),
                (Verb::Modify, caps.modify),
            ] {
                for f in flags.iter().filter(|f| vocab::vocabulary(f).is_some()) {
                    assert!(
                        values(p)
                            .iter()
                            .any(|s| s.flag == *f && s.verbs.contains(&verb)),
                        "{} {} --{f}",
                        p.as_str(),
                        verb.as_str()
                    );
                }
            }
        }
    }

    /// `list --status` takes exactly the image statuses the table maps.
    #[test]
    fn list_statuses_are_the_tables() {
        for p in Provider::ALL {
            let mut table: Vec<&str> = statuses(p)
                .iter()
                .filter(|e| e.of == "image")
                .map(|e| e.status)
                .collect();
            let mut list = crate::ops::image_statuses(p).to_vec();
            table.sort_unstable();
            list.sort_unstable();
            assert_eq!(table, list, "{}", p.as_str());
        }
    }

    /// The table in docs/guide.md is the code's, row for row.
    #[test]
    fn the_guides_status_table_is_the_codes() {
        let guide = include_str!("../../docs/guide.md");
        let section = guide
            .split("<!-- status-table -->")
            .nth(1)
            .expect("the guide marks its status table with <!-- status-table -->");
        let mut documented = BTreeSet::new();
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`'))
                .collect();
            let [provider, of, status, state, ..] = cells[..] else {
                panic!("bad row {line}")
            };
            let state = State::parse(state).unwrap_or_else(|| panic!("bad state in {line}"));
            documented.insert((
                provider.to_string(),
                of.to_string(),
                status.to_string(),
                state.as_str(),
            ));
        }
        let code: BTreeSet<_> = Provider::ALL
            .into_iter()
            .flat_map(|p| {
                statuses(p).iter().map(move |e| {
                    (
                        p.as_str().to_string(),
                        e.of.to_string(),
                        e.status.to_string(),
                        e.state.as_str(),
                    )
                })
            })
            .collect();
        assert_eq!(
            documented, code,
            "docs/guide.md's status table differs from the code's"
        );
    }
}
