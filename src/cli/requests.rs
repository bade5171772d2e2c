//! From parsed arguments to neutral requests: each verb's flags checked
//! against the provider's capability table, global flags that the command
//! would not use refused, and the request built and validated. Nothing
//! here sends anything.

use clap::ArgMatches;
use clap::parser::ValueSource;

use super::args::{
    CopyArgs, CreateArgs, DeleteArgs, GlobalArgs, ImportArgs, ListArgs, ModifyArgs, OutputFormat,
    WaitArgs,
};
use crate::cloud;
use crate::config::Overrides;
use crate::error::{Error, Result};
use crate::ops::{
    self, CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage, WaitTarget,
};
use crate::provider::{Provider, Verb};
use crate::vocab;

/// A verb with its parsed arguments, whichever way it was spelled.
pub(super) enum VerbCall {
    Create(CreateArgs),
    Import(ImportArgs),
    Modify(ModifyArgs),
    Describe(String),
    Wait(WaitArgs),
    List(ListArgs),
    Delete(DeleteArgs),
    Copy(CopyArgs),
}

impl VerbCall {
    pub(super) fn verb(&self) -> Verb {
        match self {
            VerbCall::Create(_) => Verb::Create,
            VerbCall::Import(_) => Verb::Import,
            VerbCall::Modify(_) => Verb::Modify,
            VerbCall::Describe(_) => Verb::Describe,
            VerbCall::Wait(_) => Verb::Wait,
            VerbCall::List(_) => Verb::List,
            VerbCall::Delete(_) => Verb::Delete,
            VerbCall::Copy(_) => Verb::Copy,
        }
    }
}

/// The global flags given on the command line, by long name.
pub(super) fn given_globals(g: &GlobalArgs) -> Vec<&'static str> {
    let flags = [
        ("provider", g.provider.is_some()),
        ("region", g.region.is_some()),
        ("profile", g.profile.is_some()),
        ("endpoint-url", g.endpoint_url.is_some()),
        ("iam-endpoint-url", g.iam_endpoint_url.is_some()),
        ("output", g.output.is_some()),
        ("query", g.query.is_some()),
        ("raw", g.raw),
        ("debug", g.debug),
        ("dry-run", g.dry_run),
        ("wait", g.wait),
        ("wait-timeout", g.wait_timeout.is_some()),
        ("poll-interval", g.poll_interval.is_some()),
        ("quiet", g.quiet),
        ("max-attempts", g.max_attempts.is_some()),
        ("no-cache", g.no_cache),
        ("connect-timeout", g.connect_timeout.is_some()),
        ("read-timeout", g.read_timeout.is_some()),
        ("auth-mode", g.auth_mode.is_some()),
        ("signature-version", g.signature_version.is_some()),
        ("emulator", g.emulator),
    ];
    flags
        .iter()
        .filter(|(_, set)| *set)
        .map(|(n, _)| *n)
        .collect()
}

/// Refuses global flags that `what` would not use: never drop one silently.
pub(super) fn refuse_globals(g: &GlobalArgs, what: &str, allowed: &[&str]) -> Result<()> {
    match given_globals(g).into_iter().find(|f| !allowed.contains(f)) {
        Some(f) => Err(Error::usage(format!(
            "--{f} does not apply to `imgctl {what}`"
        ))),
        None => Ok(()),
    }
}

pub(super) enum Prepared {
    Create(CreateImage),
    Import(ImportImage),
    Modify(ModifyImage),
    Describe(String),
    Wait(WaitTarget, Provider),
    List(ListImages),
    Delete(DeleteImage),
    Copy(CopyImage),
}

/// An enumerated flag's value in the cloud's own spelling: any case, the
/// canonical name or an alias in, the cloud's exact word out; a value the
/// cloud cannot take is a usage error naming the ones it can.
fn spelled(p: Provider, verb: Verb, flag: &str, v: Option<String>) -> Result<Option<String>> {
    v.map(|v| vocab::to_wire(cloud::values(p), p, verb, flag, &v))
        .transpose()
}

pub(super) fn prepare(p: Provider, call: VerbCall) -> Result<Prepared> {
    Ok(match call {
        VerbCall::Create(a) => {
            let r = CreateImage {
                name: a.name,
                instance_id: a.instance_id,
                snapshot_id: a.snapshot_id,
                description: a.description,
                tags: a
                    .tags
                    .iter()
                    .map(|t| ops::parse_tag(t))
                    .collect::<Result<_>>()?,
                snapshot_tags: a
                    .snapshot_tags
                    .iter()
                    .map(|t| ops::parse_tag(t))
                    .collect::<Result<_>>()?,
                no_reboot: a.no_reboot,
                block_devices: a
                    .block_device_mappings
                    .iter()
                    .map(|s| ops::parse_block_devices(s))
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .flatten()
                    .collect(),
                with_data_disks: a.with_data_disks,
                delete_instance_after_upload: a.delete_instance_after_upload,
                target_oss_region: a.target_oss_region,
                data_images: a
                    .data_images
                    .iter()
                    .map(|s| ops::parse_data_image(s))
                    .collect::<Result<_>>()?,
                min_ram: a.min_ram,
                max_ram: a.max_ram,
                enterprise_project_id: a.enterprise_project_id,
                client_token: a.client_token,
                family: a.family,
                platform: spelled(p, Verb::Create, "platform", a.platform)?,
                architecture: spelled(p, Verb::Create, "architecture", a.architecture)?,
                boot_mode: spelled(p, Verb::Create, "boot-mode", a.boot_mode)?,
            };
            r.validate(p)?;
            Prepared::Create(r)
        }
        VerbCall::Import(a) => {
            let r = ImportImage {
                name: a.name,
                url: Some(ops::parse_object_url(&a.url)?),
                disks: a
                    .disks
                    .iter()
                    .map(|d| ops::parse_object_url(d))
                    .collect::<Result<_>>()?,
                oss_region: a.oss_region,
                format: spelled(p, Verb::Import, "format", a.format)?,
                os_type: spelled(p, Verb::Import, "os-type", a.os_type)?,
                platform: spelled(p, Verb::Import, "platform", a.platform)?,
                os_version: a.os_version,
                architecture: spelled(p, Verb::Import, "architecture", a.architecture)?,
                boot_mode: spelled(p, Verb::Import, "boot-mode", a.boot_mode)?,
                license_type: spelled(p, Verb::Import, "license-type", a.license_type)?,
                compute_type: a.compute_type,
                target_oss_region: a.target_oss_region,
                min_disk: a.min_disk,
                role_name: a.role_name,
                description: a.description,
                tags: a
                    .tags
                    .iter()
                    .map(|t| ops::parse_tag(t))
                    .collect::<Result<_>>()?,
                client_token: a.client_token,
                is_config: a.is_config,
                quick_import: a.quick_import,
            };
            r.validate(p)?;
            Prepared::Import(r)
        }
        VerbCall::Modify(a) => {
            let r = ModifyImage {
                image_id: a.image_id,
                name: a.name,
                description: a.description,
                status: spelled(p, Verb::Modify, "status", a.status)?,
                family: a.family,
                boot_mode: spelled(p, Verb::Modify, "boot-mode", a.boot_mode)?,
                license_type: spelled(p, Verb::Modify, "license-type", a.license_type)?,
                nvme_support: spelled(p, Verb::Modify, "nvme-support", a.nvme_support)?,
                imds_support: spelled(p, Verb::Modify, "imds-support", a.imds_support)?,
                launch_permission_add: a.launch_permission_add,
                launch_permission_remove: a.launch_permission_remove,
                make_public: a.make_public,
                make_private: a.make_private,
                min_ram: a.min_ram,
                max_ram: a.max_ram,
            };
            r.validate(p)?;
            Prepared::Modify(r)
        }
        VerbCall::Describe(id) => {
            if id.trim().is_empty() {
                return Err(Error::usage("--image-id must not be empty"));
            }
            Prepared::Describe(id)
        }
        VerbCall::Wait(a) => {
            for (flag, id) in [
                ("image-id", &a.image_id),
                ("job-id", &a.job_id),
                ("task-id", &a.task_id),
            ] {
                if id.as_ref().is_some_and(|i| i.trim().is_empty()) {
                    return Err(Error::usage(format!("--{flag} must not be empty")));
                }
            }
            let target = match (a.image_id, a.job_id, a.task_id) {
                (Some(i), _, _) => WaitTarget::Image(i),
                (_, Some(j), _) => WaitTarget::Job(j),
                (_, _, Some(t)) => WaitTarget::Task(t),
                _ => return Err(Error::usage("wait needs --image-id, --job-id or --task-id")),
            };
            Prepared::Wait(target, p)
        }
        VerbCall::List(a) => {
            let mut r = ListImages {
                name: a.name,
                name_prefix: a.name_prefix,
                status: a.status,
                limit: a.limit,
                page_size: a.page_size,
            };
            r.validate(p)?;
            Prepared::List(r)
        }
        VerbCall::Delete(a) => {
            let r = DeleteImage {
                image_id: a.image_id,
                delete_snapshots: a.delete_snapshots,
                force: a.force,
            };
            r.validate()?;
            Prepared::Delete(r)
        }
        VerbCall::Copy(a) => {
            let r = CopyImage {
                image_id: a.image_id,
                to_region: a.to_region,
                name: a.name,
                description: a.description,
                agency_name: a.agency_name,
            };
            r.validate(p)?;
            Prepared::Copy(r)
        }
    })
}

pub(super) fn overrides(g: &GlobalArgs) -> Overrides {
    Overrides {
        provider: g.provider.clone(),
        region: g.region.clone(),
        profile: g.profile.clone(),
        endpoint_url: g.endpoint_url.clone(),
        iam_endpoint_url: g.iam_endpoint_url.clone(),
        auth_mode: g.auth_mode.clone(),
        signature_version: g.signature_version.clone(),
        connect_timeout: g.connect_timeout,
        read_timeout: g.read_timeout,
        max_attempts: g.max_attempts,
        no_cache: g.no_cache,
    }
}

/// The verb-level flags given on the command line must all be ones the
/// provider supports: never drop one silently.
pub(super) fn check_flags(
    p: Provider,
    verb: Verb,
    matches: &ArgMatches,
    root: &clap::Command,
) -> Result<()> {
    let mut m = matches;
    let mut cmd = root;
    while let Some((name, sub)) = m.subcommand() {
        let Some(c) = cmd.find_subcommand(name) else {
            return Ok(());
        };
        cmd = c;
        m = sub;
    }
    let caps = cloud::capabilities(p);
    if !caps.offers(verb) {
        return Err(Error::usage(format!(
            "provider {} has no {} operation{}",
            p.as_str(),
            verb.as_str(),
            hint_for(p, verb, "")
        )));
    }
    for arg in cmd.get_arguments() {
        if arg.is_global_set() {
            continue;
        }
        let id = arg.get_id().as_str();
        if m.value_source(id) != Some(ValueSource::CommandLine) {
            continue;
        }
        let Some(long) = arg.get_long() else { continue };
        if !caps.supports(verb, long) {
            return Err(Error::usage(format!(
                "--{long} is not supported by provider {} for {}{}",
                p.as_str(),
                verb.as_str(),
                hint_for(p, verb, long)
            )));
        }
    }
    Ok(())
}

pub(super) fn hint_for(p: Provider, verb: Verb, flag: &str) -> &'static str {
    match (p, verb, flag) {
        (Provider::Ens, _, "description") => " (ENS images have no description)",
        (Provider::Ens, Verb::Modify, _) => " (ENS ModifyImageAttribute can only rename)",
        (Provider::Ens, Verb::Copy, _) => {
            " (ENS offers no API that copies an image to another region or node)"
        }
        (Provider::Ecs, Verb::Delete, "delete-snapshots") => {
            " (ECS snapshots are separate resources: delete them with DeleteSnapshot)"
        }
        (_, Verb::Delete, "force") => " (only ECS DeleteImage has Force)",
        (Provider::Ec2, Verb::Create, "snapshot-id") => {
            " (EC2 creates AMIs from instances; use RegisterImage for snapshots)"
        }
        _ => "",
    }
}

/// Global flags that only some providers or verbs understand.
pub(super) fn check_globals(p: Provider, call: &VerbCall, g: &GlobalArgs) -> Result<()> {
    let verb = call.verb();
    if g.raw && g.output.is_some_and(|o| o != OutputFormat::Json) {
        return Err(Error::usage(
            "--raw adds the provider's response to the JSON output: it needs --output json",
        ));
    }
    if g.emulator {
        for (set, f) in [
            (g.endpoint_url.is_some(), "endpoint-url"),
            (g.iam_endpoint_url.is_some(), "iam-endpoint-url"),
            (g.profile.is_some(), "profile"),
        ] {
            if set {
                return Err(Error::usage(format!(
                    "--{f} conflicts with --emulator, which sets the endpoint and credentials itself"
                )));
            }
        }
    }
    if g.region.is_some() && p == Provider::Ens {
        return Err(Error::usage(
            "--region is not used by ens: ENS has one global endpoint (ens.aliyuncs.com)",
        ));
    }
    if g.auth_mode.is_some() && p != Provider::Ims {
        return Err(Error::usage(format!(
            "--auth-mode is not supported by provider {} (Huawei IMS only)",
            p.as_str()
        )));
    }
    if g.iam_endpoint_url.is_some() && p != Provider::Ims {
        return Err(Error::usage(format!(
            "--iam-endpoint-url is not supported by provider {} (Huawei IMS only)",
            p.as_str()
        )));
    }
    if g.signature_version.is_some() && !matches!(p, Provider::Ens | Provider::Ecs) {
        return Err(Error::usage(format!(
            "--signature-version is not supported by provider {} (Alibaba ENS/ECS only)",
            p.as_str()
        )));
    }
    if g.wait && !matches!(verb, Verb::Create | Verb::Import | Verb::Copy | Verb::Wait) {
        return Err(Error::usage(format!(
            "--wait applies to create, import and copy, not {}",
            verb.as_str()
        )));
    }
    let waits = g.wait || verb == Verb::Wait;
    if !waits && (g.wait_timeout.is_some() || g.poll_interval.is_some()) {
        return Err(Error::usage(
            "--wait-timeout and --poll-interval need --wait",
        ));
    }
    if !waits && g.quiet {
        return Err(Error::usage(
            "--quiet silences the progress of a wait: it needs --wait (or `imgctl image wait`)",
        ));
    }
    if g.dry_run && matches!(verb, Verb::Describe | Verb::Wait | Verb::List) {
        return Err(Error::usage(format!(
            "--dry-run applies to create, import, modify, delete and copy, not {}",
            verb.as_str()
        )));
    }
    if let VerbCall::Wait(a) = call {
        let flag = if a.job_id.is_some() {
            Some("job-id")
        } else if a.task_id.is_some() {
            Some("task-id")
        } else {
            None
        };
        if let Some(f) = flag
            && !cloud::capabilities(p).supports(Verb::Wait, f)
        {
            return Err(Error::usage(format!(
                "--{f} is not supported by provider {} for wait",
                p.as_str()
            )));
        }
    }
    Ok(())
}
