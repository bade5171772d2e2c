//! From parsed argv to an exit code: resolve settings, check the flags
//! against the provider's capabilities, build and validate the neutral
//! request, run it through the backend, print the outcome.

use std::io::IsTerminal;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use serde_json::{Value, json};

use crate::backend::{Backend, Ctx, Provider, Verb};
use crate::cli::{
    Cli, Command, ConfigCommand, CreateArgs, ImageCommand, ImportArgs, ModifyArgs, OutputFormat,
    WaitArgs,
};
use crate::config::{self, Overrides, ProcessEnv, Settings, Val};
use crate::error::{EXIT_CODES_HELP, Error, Result, exit};
use crate::ops::{self, CreateImage, ImportImage, ModifyImage, Outcome, PollState, WaitTarget};
use crate::output;
use crate::transport::{Transport, TransportConfig, is_loopback_url};
use crate::wait::{WaitEnd, WaitOptions};

pub fn main_entry() -> u8 {
    // One clap command for parsing and for the capability check after it.
    let mut cmd = Cli::command();
    let matches = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors.
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return exit::USAGE;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("imgctl: cannot start the async runtime: {e}");
            return exit::CONFIG;
        }
    };
    // The emulator stops on Ctrl-C by itself, as a normal end, and keeps
    // the default SIGTERM.
    let serving = matches!(cli.command, Command::Emulator(_));
    let result = rt.block_on(async {
        let mut sig = if serving {
            Signals::none()
        } else {
            Signals::listen()
        };
        run(cli, &matches, &cmd, &mut sig).await
    });
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("imgctl: error: {e}");
            e.exit_code()
        }
    }
}

/// SIGINT and SIGTERM, caught so that a run can say what it had done when
/// it was stopped. Once listening, the default action (the process dies
/// on the spot) is gone for good: every await of a run must go through
/// `guard`, `sending` or the wait's select, or a signal would go unheard.
struct Signals {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    listening: bool,
}

impl Signals {
    fn none() -> Signals {
        Signals {
            #[cfg(unix)]
            int: None,
            #[cfg(unix)]
            term: None,
            listening: false,
        }
    }

    /// A signal that cannot be caught keeps its default action: the
    /// process still stops, only without a report.
    fn listen() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                int: signal(SignalKind::interrupt()).ok(),
                term: signal(SignalKind::terminate()).ok(),
                listening: true,
            }
        }
        #[cfg(not(unix))]
        Signals { listening: true }
    }

    /// The error for the next signal; never returns without one.
    async fn recv(&mut self) -> Error {
        #[cfg(unix)]
        async fn next(s: &mut Option<tokio::signal::unix::Signal>) {
            if let Some(s) = s
                && s.recv().await.is_some()
            {
                return;
            }
            std::future::pending().await
        }
        if !self.listening {
            return std::future::pending().await;
        }
        #[cfg(unix)]
        {
            tokio::select! {
                _ = next(&mut self.int) => Error::Interrupted,
                _ = next(&mut self.term) => Error::Terminated,
            }
        }
        #[cfg(not(unix))]
        {
            match tokio::signal::ctrl_c().await {
                Ok(()) => Error::Interrupted,
                Err(_) => std::future::pending().await,
            }
        }
    }

    /// Runs `f` unless a signal comes first.
    async fn guard<T>(&mut self, f: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            r = f => r,
            e = self.recv() => Err(e),
        }
    }

    /// Runs a request that changes something; stopped by a signal, it
    /// leaves open whether the change happened, and stderr says so.
    async fn sending<T>(
        &mut self,
        f: impl Future<Output = Result<T>>,
        what: impl FnOnce() -> String,
    ) -> Result<T> {
        tokio::select! {
            r = f => r,
            e = self.recv() => {
                eprintln!(
                    "imgctl: stopped before the answer came: {}; check before sending it again",
                    what()
                );
                Err(e)
            }
        }
    }
}

/// A verb with its parsed arguments, whichever way it was spelled.
enum VerbCall {
    Create(CreateArgs),
    Import(ImportArgs),
    Modify(ModifyArgs),
    Describe(String),
    Wait(WaitArgs),
}

impl VerbCall {
    fn verb(&self) -> Verb {
        match self {
            VerbCall::Create(_) => Verb::Create,
            VerbCall::Import(_) => Verb::Import,
            VerbCall::Modify(_) => Verb::Modify,
            VerbCall::Describe(_) => Verb::Describe,
            VerbCall::Wait(_) => Verb::Wait,
        }
    }
}

/// The global flags given on the command line, by long name.
fn given_globals(g: &crate::cli::GlobalArgs) -> Vec<&'static str> {
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
        ("max-attempts", g.max_attempts.is_some()),
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
fn refuse_globals(g: &crate::cli::GlobalArgs, what: &str, allowed: &[&str]) -> Result<()> {
    match given_globals(g).into_iter().find(|f| !allowed.contains(f)) {
        Some(f) => Err(Error::usage(format!(
            "--{f} does not apply to `imgctl {what}`"
        ))),
        None => Ok(()),
    }
}

async fn run(cli: Cli, matches: &ArgMatches, cmd: &clap::Command, sig: &mut Signals) -> Result<()> {
    match &cli.command {
        Command::Help { .. } => refuse_globals(&cli.global, "help", &[])?,
        Command::Completion { .. } => refuse_globals(&cli.global, "completion", &[])?,
        Command::Emulator(_) => refuse_globals(&cli.global, "emulator", &[])?,
        Command::Config(_) => refuse_globals(
            &cli.global,
            "config show",
            &[
                "provider",
                "region",
                "profile",
                "endpoint-url",
                "iam-endpoint-url",
                "output",
                "query",
                "max-attempts",
                "connect-timeout",
                "read-timeout",
                "auth-mode",
                "signature-version",
                "emulator",
            ],
        )?,
        _ => {}
    }
    let call = match cli.command {
        Command::Help { topic } => return help(&topic),
        Command::Completion { shell } => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "imgctl", &mut buf);
            return emit(&String::from_utf8_lossy(&buf));
        }
        Command::Config(ConfigCommand::Show) => {
            let g = &cli.global;
            let query = g.query.as_deref().map(output::compile_query).transpose()?;
            let s = if g.emulator {
                sig.guard(crate::emulator::launch::start_for_command(g, &overrides(g)))
                    .await?
                    .0
            } else {
                config::resolve(&overrides(g), &ProcessEnv)?
            };
            check_timeouts(&s)?;
            let printer = Printer {
                query,
                format: g.output.unwrap_or(OutputFormat::Json),
            };
            return printer.print_value(show(&s), true);
        }
        Command::Emulator(a) => return crate::emulator::launch::serve(&a).await,
        Command::Image(ImageCommand::Create(a)) | Command::Create(a) => VerbCall::Create(a),
        Command::Image(ImageCommand::Import(a)) | Command::Import(a) => VerbCall::Import(a),
        Command::Image(ImageCommand::Modify(a)) | Command::Modify(a) => VerbCall::Modify(a),
        Command::Image(ImageCommand::Describe(a)) | Command::Describe(a) => {
            VerbCall::Describe(a.image_id)
        }
        Command::Image(ImageCommand::Wait(a)) | Command::Wait(a) => VerbCall::Wait(a),
    };
    let g = &cli.global;
    let query = g.query.as_deref().map(output::compile_query).transpose()?;
    // With --emulator the settings are the emulator's; it lives as long as this call.
    let (settings, _emulator) = if g.emulator {
        sig.guard(crate::emulator::launch::start_for_command(g, &overrides(g)))
            .await?
    } else {
        (config::resolve(&overrides(g), &ProcessEnv)?, None)
    };
    check_timeouts(&settings)?;
    let provider = settings.provider.value;
    check_flags(provider, call.verb(), matches, cmd)?;
    check_globals(provider, &call, g)?;

    let wait_opts = WaitOptions {
        timeout: g.wait_timeout.unwrap_or(Duration::from_secs(3600)),
        interval: g.poll_interval,
        ..WaitOptions::default()
    };
    let endpoint_loopback = settings
        .endpoint_url
        .as_ref()
        .is_some_and(|e| is_loopback_url(&e.value));
    let tcfg = TransportConfig {
        connect_timeout: settings.connect_timeout.value,
        read_timeout: settings.read_timeout.value,
        max_attempts: settings.max_attempts.value,
        debug: g.debug,
        loopback: endpoint_loopback,
        ..TransportConfig::default()
    };
    let format = g.output.unwrap_or(OutputFormat::Json);
    let printer = Printer { query, format };

    // Requests are built and validated before the transport exists:
    // a usage error costs no client set-up and sends nothing.
    let prepared = prepare(provider, call)?;
    let transport = Transport::new(tcfg, settings.secrets())?;
    let ctx = Ctx {
        settings,
        transport,
        dry_run: g.dry_run,
        raw: g.raw,
    };
    dispatch(ctx, prepared, g.wait, &wait_opts, &printer, sig).await
}

enum Prepared {
    Create(CreateImage),
    Import(ImportImage),
    Modify(ModifyImage),
    Describe(String),
    Wait(WaitTarget, Provider),
}

fn prepare(p: Provider, call: VerbCall) -> Result<Prepared> {
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
                platform: a.platform,
                architecture: a.architecture,
                boot_mode: a.boot_mode,
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
                format: a.format,
                os_type: a.os_type,
                platform: a.platform,
                os_version: a.os_version,
                architecture: a.architecture,
                boot_mode: a.boot_mode,
                license_type: a.license_type,
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
                status: a.status,
                family: a.family,
                boot_mode: a.boot_mode,
                license_type: a.license_type,
                nvme_support: a.nvme_support,
                imds_support: a.imds_support,
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
    })
}

async fn dispatch(
    ctx: Ctx,
    req: Prepared,
    wait: bool,
    wo: &WaitOptions,
    pr: &Printer,
    sig: &mut Signals,
) -> Result<()> {
    use crate::backend::{ec2::Ec2, ecs::Ecs, ens::Ens, ims::Ims};
    match ctx.settings.provider.value {
        Provider::Ens => execute(&mut Ens::new(ctx)?, req, wait, wo, pr, sig).await,
        Provider::Ecs => execute(&mut Ecs::new(ctx)?, req, wait, wo, pr, sig).await,
        Provider::Ec2 => execute(&mut Ec2::new(ctx)?, req, wait, wo, pr, sig).await,
        Provider::Ims => execute(&mut Ims::new(ctx)?, req, wait, wo, pr, sig).await,
    }
}

async fn execute<B: Backend>(
    b: &mut B,
    req: Prepared,
    wait: bool,
    wo: &WaitOptions,
    pr: &Printer,
    sig: &mut Signals,
) -> Result<()> {
    let (outcome, follow) = match req {
        Prepared::Create(r) => {
            let made = sig.sending(b.create(&r), || {
                format!("image '{}' may have been created", r.name)
            });
            (made.await?, wait)
        }
        Prepared::Import(r) => {
            let made = sig.sending(b.import(&r), || match &r.name {
                Some(n) => format!("an import of image '{n}' may have started"),
                None => "an import (no --name given) may have started".into(),
            });
            (made.await?, wait)
        }
        Prepared::Modify(r) => {
            let changed = sig.sending(b.modify(&r), || {
                format!("image {} may have been changed", r.image_id)
            });
            (changed.await?, false)
        }
        Prepared::Describe(id) => (sig.guard(b.describe(&id)).await?, false),
        Prepared::Wait(t, p) => {
            let mut o = Outcome {
                provider: p.as_str(),
                operation: "wait",
                ..Outcome::default()
            };
            match &t {
                WaitTarget::Image(i) => o.image_id = Some(i.clone()),
                WaitTarget::Job(j) => o.job_id = Some(j.clone()),
                WaitTarget::Task(k) => o.task_id = Some(k.clone()),
            }
            return follow_to_end(b, t, o, false, wo, pr, sig).await;
        }
    };
    if follow && !outcome.dry_run {
        let target = if let Some(j) = &outcome.job_id {
            WaitTarget::Job(j.clone())
        } else if let (Some(t), None) = (&outcome.task_id, &outcome.image_id) {
            WaitTarget::Task(t.clone())
        } else if let Some(i) = &outcome.image_id {
            WaitTarget::Image(i.clone())
        } else {
            return Err(Error::bad_response(
                "the answer carried no id to wait for",
                0,
            ));
        };
        return follow_to_end(b, target, outcome, true, wo, pr, sig).await;
    }
    pr.print(&outcome)
}

/// Waits, then prints the outcome whatever happened, so a script always
/// gets the ids (exit 6 on timeout, 7 on a failed state). `created`: the
/// ids come from a create or import of this run.
async fn follow_to_end<B: Backend>(
    b: &mut B,
    t: WaitTarget,
    mut o: Outcome,
    created: bool,
    wo: &WaitOptions,
    pr: &Printer,
    sig: &mut Signals,
) -> Result<()> {
    // Only a new id may take a while to become visible; any other unknown
    // id is an answer, as describe gives it.
    let grace = if created {
        wo.not_found_grace
    } else {
        Duration::ZERO
    };
    let wo = &WaitOptions {
        not_found_grace: grace,
        ..wo.clone()
    };
    let mut last = None;
    let waited = tokio::select! {
        r = crate::wait::wait(b, &t, wo, &mut last) => r,
        e = sig.recv() => Err(e),
    };
    let end = match waited {
        // Stopped by a signal: the ids and the last status seen are the
        // script's only way to pick the work up again.
        Err(e @ (Error::Interrupted | Error::Terminated)) => {
            if std::io::stderr().is_terminal() {
                eprintln!();
            }
            if let Some(PollState::Pending { status, progress }) = last {
                o.status = Some(status);
                o.progress = progress;
            }
            pr.print(&o)?;
            return Err(e);
        }
        Ok(end) => end,
        Err(Error::NotFound(m)) if !created => {
            return Err(Error::NotFound(format!(
                "{}: {m}\n  hint: check the id and the region; only a --wait that follows a create or import waits for a new id to appear",
                o.provider
            )));
        }
        // Like describe: nothing seen, nothing to print.
        Err(e) if !created => return Err(e),
        Err(e) => {
            // The operation itself succeeded: its ids must reach the
            // script, or a retry would make a second image.
            pr.print(&o)?;
            return Err(e);
        }
    };
    match end {
        WaitEnd::Done { image_id, status } => {
            if image_id.is_some() {
                o.image_id = image_id;
            }
            o.status = Some(status);
            o.progress = None;
            pr.print(&o)
        }
        WaitEnd::Failed { status, message } => {
            o.status = Some(status.clone());
            pr.print(&o)?;
            Err(Error::Failed(format!(
                "{} is {status}{}",
                what(&t),
                if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                }
            )))
        }
        WaitEnd::TimedOut { last } => {
            if let Some(PollState::Pending { status, progress }) = &last {
                o.status = Some(status.clone());
                o.progress = *progress;
            }
            pr.print(&o)?;
            Err(Error::WaitTimeout(format!(
                "{} not done after {}s; it may still be running",
                what(&t),
                wo.timeout.as_secs()
            )))
        }
    }
}

fn what(t: &WaitTarget) -> String {
    match t {
        WaitTarget::Image(i) => format!("image {i}"),
        WaitTarget::Job(j) => format!("job {j}"),
        WaitTarget::Task(k) => format!("import task {k}"),
    }
}

struct Printer {
    query: Option<jmespath::Expression<'static>>,
    format: OutputFormat,
}

impl Printer {
    fn print(&self, o: &Outcome) -> Result<()> {
        self.print_value(
            serde_json::to_value(o).unwrap_or(Value::Null),
            std::io::stdout().is_terminal(),
        )
    }

    fn print_value(&self, v: Value, pretty: bool) -> Result<()> {
        let v = match &self.query {
            None => v,
            Some(q) => match output::apply_query(q, &v) {
                Ok(r) => r,
                // The request has been sent: its ids matter more than the
                // shape the query asked for.
                Err(e) => {
                    eprintln!("imgctl: warning: the whole result is printed instead: {e}");
                    v
                }
            },
        };
        emit(&output::render(&v, self.format, pretty))
    }
}

/// Writes to stdout; a reader that went away is not our failure.
fn emit(s: &str) -> Result<()> {
    match output::print_stdout(s.trim_end_matches('\n')) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Io(format!("cannot write to stdout: {e}"))),
    }
}

/// Flags were range-checked as they were parsed; values from the
/// environment or a profile get the same range here.
fn check_timeouts(s: &Settings) -> Result<()> {
    for (name, v) in [
        ("connect-timeout", &s.connect_timeout),
        ("read-timeout", &s.read_timeout),
    ] {
        if let Err(e) = crate::cli::HTTP_TIMEOUT.check(v.value) {
            return Err(Error::config(format!("{name} from {}: {e}", v.source)));
        }
    }
    Ok(())
}

fn overrides(g: &crate::cli::GlobalArgs) -> Overrides {
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
    }
}

/// The verb-level flags given on the command line must all be ones the
/// provider supports: never drop one silently.
fn check_flags(p: Provider, verb: Verb, matches: &ArgMatches, root: &clap::Command) -> Result<()> {
    let mut m = matches;
    let mut cmd = root;
    while let Some((name, sub)) = m.subcommand() {
        let Some(c) = cmd.find_subcommand(name) else {
            return Ok(());
        };
        cmd = c;
        m = sub;
    }
    let caps = p.capabilities();
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

fn hint_for(p: Provider, verb: Verb, flag: &str) -> &'static str {
    match (p, verb, flag) {
        (Provider::Ens, _, "description") => " (ENS images have no description)",
        (Provider::Ens, Verb::Modify, _) => " (ENS ModifyImageAttribute can only rename)",
        (Provider::Ec2, Verb::Create, "snapshot-id") => {
            " (EC2 creates AMIs from instances; use RegisterImage for snapshots)"
        }
        _ => "",
    }
}

/// Global flags that only some providers or verbs understand.
fn check_globals(p: Provider, call: &VerbCall, g: &crate::cli::GlobalArgs) -> Result<()> {
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
    if g.wait && !matches!(verb, Verb::Create | Verb::Import | Verb::Wait) {
        return Err(Error::usage(format!(
            "--wait applies to create and import, not {}",
            verb.as_str()
        )));
    }
    let waits = g.wait || verb == Verb::Wait;
    if !waits && (g.wait_timeout.is_some() || g.poll_interval.is_some()) {
        return Err(Error::usage(
            "--wait-timeout and --poll-interval need --wait",
        ));
    }
    if g.dry_run && matches!(verb, Verb::Describe | Verb::Wait) {
        return Err(Error::usage(format!(
            "--dry-run applies to create, import and modify, not {}",
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
            && !p.capabilities().supports(Verb::Wait, f)
        {
            return Err(Error::usage(format!(
                "--{f} is not supported by provider {} for wait",
                p.as_str()
            )));
        }
    }
    Ok(())
}

fn help(topic: &[String]) -> Result<()> {
    if topic.len() == 1 && topic[0] == "exit-codes" {
        return emit(EXIT_CODES_HELP);
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut cur = cmd;
    for t in topic {
        let Some(sub) = cur.find_subcommand(t) else {
            return Err(Error::usage(format!(
                "no help topic '{}': try `imgctl help exit-codes` or `imgctl help image create`",
                topic.join(" ")
            )));
        };
        cur = sub.clone();
    }
    emit(&cur.render_long_help().to_string())
}

fn show(s: &Settings) -> Value {
    fn val<T: ToString>(v: &Option<Val<T>>) -> Value {
        match v {
            Some(v) => json!({"value": v.value.to_string(), "source": v.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        }
    }
    let masked = |set: bool, src: Option<String>| match (set, src) {
        (true, Some(s)) => json!({"value": "****", "source": s}),
        _ => json!({"value": null, "source": "not set"}),
    };
    let keys = s.keys.as_ref();
    let pw = s.password.as_ref();
    json!({
        "provider": {"value": s.provider.value.as_str(), "source": s.provider.source.to_string()},
        "profile": val(&s.profile),
        "config_file": config::config_path(&ProcessEnv).map(|p| p.display().to_string()),
        "region": val(&s.region),
        "endpoint_url": val(&s.endpoint_url),
        "iam_endpoint_url": val(&s.iam_endpoint_url),
        "access_key_id": match keys {
            Some(k) => json!({"value": config::mask_id(&k.access_key_id), "source": k.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "secret_access_key": masked(keys.is_some(), keys.map(|k| k.source.to_string())),
        "session_token": masked(keys.is_some_and(|k| k.session_token.is_some()), keys.map(|k| k.source.to_string())),
        "project_id": val(&s.project_id),
        "user_name": match pw {
            Some(p) => json!({"value": p.user_name, "source": p.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "password": masked(pw.is_some(), pw.map(|p| p.source.to_string())),
        "domain_name": match pw {
            Some(p) => json!({"value": p.domain_name, "source": p.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "auth_mode": match &s.auth_mode {
            Some(v) => json!({"value": format!("{:?}", v.value).to_lowercase(), "source": v.source.to_string()}),
            None => json!({"value": null, "source": "not set"}),
        },
        "signature_version": json!({"value": format!("{:?}", s.signature_version.value).to_lowercase(), "source": s.signature_version.source.to_string()}),
        "connect_timeout": json!({"value": format!("{}ms", s.connect_timeout.value.as_millis()), "source": s.connect_timeout.source.to_string()}),
        "read_timeout": json!({"value": format!("{}ms", s.read_timeout.value.as_millis()), "source": s.read_timeout.source.to_string()}),
        "max_attempts": json!({"value": s.max_attempts.value, "source": s.max_attempts.source.to_string()}),
    })
}
