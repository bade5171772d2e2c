//! The front end: from argv to an exit code. This file orchestrates
//! (settings → backend → waiter → printer); `args` holds every flag,
//! `requests` turns arguments into checked neutral requests, `config_cmd`
//! serves `config show` and `help`, `emulator` starts the local emulator.

mod args;
pub(crate) mod config_cmd;
#[cfg(feature = "emulator")]
mod emulator;
#[cfg(not(feature = "emulator"))]
mod emulator {
    //! A client built without the `emulator` feature keeps the flags (one
    //! command-line contract) and refuses them with a clear usage error.
    use super::args::{EmulatorArgs, GlobalArgs};
    use crate::config::{Overrides, Settings};
    use crate::error::{Error, Result};

    fn absent() -> Error {
        Error::usage("this imgctl was built without the emulator (cargo feature `emulator`)")
    }

    pub async fn serve(_: &EmulatorArgs) -> Result<()> {
        Err(absent())
    }

    pub async fn start_for_command(
        _: &GlobalArgs,
        _: &Overrides,
    ) -> Result<(Settings, Option<()>)> {
        Err(absent())
    }
}
mod requests;

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::Duration;

use clap::{ArgMatches, CommandFactory, FromArgMatches};
use serde_json::Value;

use crate::backend::{Backend, Ctx};
use crate::cloud;
use crate::config::{self, ProcessEnv, Settings};
use crate::error::{Error, ErrorContext, ErrorFormat, Result, exit};
use crate::ops::{Outcome, PollState, WaitTarget};
use crate::output::{self, OutputFormat};
use crate::transport::{Transport, TransportConfig, is_loopback_url};
use crate::wait::{Progress, WaitEnd, WaitOptions};
pub use args::{Cli, GlobalArgs};
use args::{Command, ConfigCommand, ImageCommand};
use requests::{
    Prepared, VerbCall, check_flags, check_globals, overrides, prepare, refuse_globals,
};

/// `--error-format` as given on the command line (looked for in argv when
/// clap itself refused the command line), else `IMGCTL_ERROR_FORMAT`.
fn error_format(flag: Option<&str>) -> Result<ErrorFormat> {
    if let Some(f) = flag {
        return ErrorFormat::parse(f)
            .ok_or_else(|| Error::usage(format!("invalid --error-format '{f}': text or json")));
    }
    match std::env::var("IMGCTL_ERROR_FORMAT") {
        Ok(v) if !v.trim().is_empty() => ErrorFormat::parse(&v).ok_or_else(|| {
            Error::config(format!(
                "IMGCTL_ERROR_FORMAT from the environment: '{v}' is not text or json"
            ))
        }),
        _ => Ok(ErrorFormat::Text),
    }
}

/// `--error-format VALUE` or `--error-format=VALUE` in raw argv.
fn error_format_in_argv() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(i, a)| {
        if a == "--error-format" {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix("--error-format=").map(str::to_string)
        }
    })
}

/// Writes a failure on stderr: the text, and with `--error-format json`
/// one JSON object as the last line.
fn report(e: &Error, format: ErrorFormat, ctx: &ErrorContext) -> u8 {
    eprintln!("imgctl: error: {e}");
    if format == ErrorFormat::Json {
        eprintln!("{}", e.report(ctx));
    }
    e.exit_code()
}

pub fn main_entry() -> u8 {
    // One clap command for parsing and for the capability check after it.
    let mut cmd = Cli::command();
    let matches = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors.
            if !e.use_stderr() {
                return exit::OK;
            }
            if let Ok(ErrorFormat::Json) = error_format(error_format_in_argv().as_deref()) {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                let usage = Error::usage(first.trim_start_matches("error: "));
                eprintln!("{}", usage.report(&ErrorContext::default()));
            }
            return exit::USAGE;
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return exit::USAGE;
        }
    };
    let format = match error_format(cli.global.error_format.as_deref()) {
        Ok(f) => f,
        Err(e) => return report(&e, ErrorFormat::Text, &ErrorContext::default()),
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
    // the default SIGTERM; a command reading the terminal (configure,
    // config set) is stopped by Ctrl-C at once, having written nothing.
    let serving = matches!(
        cli.command,
        Command::Emulator(_) | Command::Configure | Command::Config(ConfigCommand::Set { .. })
    );
    let ectx = RefCell::new(ErrorContext::default());
    let result = rt.block_on(async {
        let mut sig = if serving {
            Signals::none()
        } else {
            Signals::listen()
        };
        run(cli, &matches, &cmd, &mut sig, &ectx).await
    });
    match result {
        Ok(()) => exit::OK,
        Err(e) => report(&e, format, &ectx.borrow()),
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

async fn run(
    cli: Cli,
    matches: &ArgMatches,
    cmd: &clap::Command,
    sig: &mut Signals,
    ectx: &RefCell<ErrorContext>,
) -> Result<()> {
    match &cli.command {
        Command::Help { .. } => refuse_globals(&cli.global, "help", &[])?,
        Command::Completion { .. } => refuse_globals(&cli.global, "completion", &[])?,
        Command::Emulator(_) => refuse_globals(&cli.global, "emulator", &[])?,
        Command::Config(ConfigCommand::Set { .. }) => {
            refuse_globals(&cli.global, "config set", &["profile"])?
        }
        Command::Config(ConfigCommand::Get { .. }) => {
            refuse_globals(&cli.global, "config get", &["profile"])?
        }
        Command::Configure => refuse_globals(&cli.global, "configure", &["profile"])?,
        Command::Config(ConfigCommand::Show) => refuse_globals(
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
        Command::Help { topic } => return config_cmd::help(&topic),
        Command::Completion { shell } => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "imgctl", &mut buf);
            return emit(&String::from_utf8_lossy(&buf));
        }
        Command::Config(ConfigCommand::Show) => return config_show(&cli.global, sig, ectx).await,
        Command::Config(ConfigCommand::Set { key, value }) => {
            return config_cmd::set(&cli.global, &key, &value, &ProcessEnv);
        }
        Command::Config(ConfigCommand::Get { key }) => {
            return config_cmd::get(&cli.global, &key, &ProcessEnv);
        }
        Command::Configure => return config_cmd::configure(&cli.global, &ProcessEnv),
        Command::Emulator(a) => return emulator::serve(&a).await,
        Command::Image(ImageCommand::Create(a)) | Command::Create(a) => VerbCall::Create(a),
        Command::Image(ImageCommand::Import(a)) | Command::Import(a) => VerbCall::Import(a),
        Command::Image(ImageCommand::Modify(a)) | Command::Modify(a) => VerbCall::Modify(a),
        Command::Image(ImageCommand::Describe(a)) | Command::Describe(a) => {
            VerbCall::Describe(a.image_id)
        }
        Command::Image(ImageCommand::Wait(a)) | Command::Wait(a) => VerbCall::Wait(a),
        Command::Image(ImageCommand::List(a)) | Command::List(a) => VerbCall::List(a),
        Command::Image(ImageCommand::Delete(a)) | Command::Delete(a) => VerbCall::Delete(a),
        Command::Image(ImageCommand::Copy(a)) | Command::Copy(a) => VerbCall::Copy(a),
    };
    let g = &cli.global;
    let query = g.query.as_deref().map(output::compile_query).transpose()?;
    // With --emulator the settings are the emulator's; it lives as long as
    // this call, and so do the credential caches of the run.
    let temp_cache =
        if g.emulator {
            Some(crate::cache::TempCacheDir::new().map_err(|e| {
                Error::Io(format!("cannot create a temporary cache directory: {e}"))
            })?)
        } else {
            None
        };
    let (settings, _emulator) = if g.emulator {
        sig.guard(emulator::start_for_command(g, &overrides(g)))
            .await?
    } else {
        (config::resolve(&overrides(g), &ProcessEnv)?, None)
    };
    check_timeouts(&settings)?;
    let provider = settings.provider.value;
    ectx.borrow_mut().provider = Some(provider);
    check_flags(provider, call.verb(), matches, cmd)?;
    check_globals(provider, &call, g)?;

    let wait_opts = WaitOptions {
        timeout: g.wait_timeout.unwrap_or(Duration::from_secs(3600)),
        interval: g.poll_interval,
        progress: Progress::for_stderr(g.quiet),
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
    let printer = Printer {
        ectx,
        query,
        format,
    };

    // Requests are built and validated before the transport exists:
    // a usage error costs no client set-up and sends nothing.
    let prepared = prepare(provider, call)?;
    ectx.borrow_mut().image_id = match &prepared {
        Prepared::Describe(id) | Prepared::Wait(WaitTarget::Image(id), _) => Some(id.clone()),
        Prepared::Modify(m) => Some(m.image_id.clone()),
        _ => None,
    };
    let transport = Transport::new(tcfg, settings.secrets())?;
    let ctx = Ctx {
        settings,
        transport,
        dry_run: g.dry_run,
        raw: g.raw,
        cache_dir: match &temp_cache {
            Some(t) => Some(t.path()),
            None => config::cache_dir(&ProcessEnv),
        },
    };
    dispatch(ctx, prepared, g.wait, &wait_opts, &printer, sig).await
}

/// The settings of one command line: the emulator's with --emulator.
async fn settings_for(g: &GlobalArgs, sig: &mut Signals) -> Result<Settings> {
    let s = if g.emulator {
        sig.guard(emulator::start_for_command(g, &overrides(g)))
            .await?
            .0
    } else {
        config::resolve(&overrides(g), &ProcessEnv)?
    };
    check_timeouts(&s)?;
    Ok(s)
}

/// `imgctl config show`: one provider with --provider, else all of them.
async fn config_show(
    g: &GlobalArgs,
    sig: &mut Signals,
    ectx: &RefCell<ErrorContext>,
) -> Result<()> {
    let query = g.query.as_deref().map(output::compile_query).transpose()?;
    let format = g.output.unwrap_or(OutputFormat::Json);
    let printer = Printer {
        ectx,
        query,
        format,
    };
    let (mut v, errors) = if g.provider.is_some() {
        let s = settings_for(g, sig).await?;
        (config_cmd::show(&s, &ProcessEnv), Vec::new())
    } else {
        let chosen = settings_for(g, sig).await;
        let mut each = Vec::new();
        for p in crate::provider::Provider::ALL {
            let mut gp = g.clone();
            gp.provider = Some(p.as_str().to_string());
            // ENS has no region: a --region meant for the others is not its error.
            if p == crate::provider::Provider::Ens {
                gp.region = None;
            }
            each.push((p, settings_for(&gp, sig).await));
        }
        config_cmd::show_all(chosen, each, &ProcessEnv)
    };
    // The emulator's settings come from no file of the user's.
    if g.emulator {
        v["config_file"] = Value::Null;
    }
    if printer.query.is_some() || format == OutputFormat::Json {
        printer.print_value(v, true)?;
    } else {
        emit(&config_cmd::render_rows(
            &v,
            &ProcessEnv,
            format == OutputFormat::Text,
        ))?;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::config(format!(
            "some settings could not be resolved:\n  {}",
            errors.join("\n  ")
        )))
    }
}

async fn dispatch(
    ctx: Ctx,
    req: Prepared,
    wait: bool,
    wo: &WaitOptions,
    pr: &Printer<'_>,
    sig: &mut Signals,
) -> Result<()> {
    execute(&mut cloud::select(ctx)?, req, wait, wo, pr, sig).await
}

async fn execute<B: Backend>(
    b: &mut B,
    req: Prepared,
    wait: bool,
    wo: &WaitOptions,
    pr: &Printer<'_>,
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
        Prepared::List(r) => (sig.guard(b.list(&r)).await?, false),
        Prepared::Delete(r) => {
            let gone = sig.sending(b.delete(&r), || {
                format!("image {} may have been deleted", r.image_id)
            });
            (gone.await?, false)
        }
        Prepared::Copy(r) => {
            let made = sig.sending(b.copy(&r), || {
                format!(
                    "a copy of image {} to {} may have been started",
                    r.image_id, r.to_region
                )
            });
            (made.await?, wait)
        }
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
    pr: &Printer<'_>,
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
            if wo.progress == Progress::Live {
                eprintln!();
            }
            if let Some(PollState::Seen(seen)) = &last {
                o.observed(seen);
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
    // A wait outcome always says when the image was made (null: not known).
    o.created = Some(None);
    match end {
        WaitEnd::Done(seen) => {
            o.observed(&seen);
            pr.print(&o)
        }
        WaitEnd::Failed(seen) => {
            o.observed(&seen);
            pr.print(&o)?;
            Err(Error::Failed(format!(
                "{} is {} (state {}){}",
                what(&t),
                seen.status,
                seen.state.as_str(),
                if seen.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", seen.message)
                }
            )))
        }
        WaitEnd::TimedOut { last } => {
            let last_seen = match &last {
                Some(PollState::Seen(seen)) => {
                    o.observed(seen);
                    format!(
                        " (last status {}, state {})",
                        seen.status,
                        seen.state.as_str()
                    )
                }
                _ => String::new(),
            };
            pr.print(&o)?;
            Err(Error::WaitTimeout(format!(
                "{} not done after {}s{last_seen}; it may still be running",
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

struct Printer<'a> {
    /// Where the ids printed are noted for an error report.
    ectx: &'a RefCell<ErrorContext>,
    query: Option<jmespath::Expression<'static>>,
    format: OutputFormat,
}

impl Printer<'_> {
    fn print(&self, o: &Outcome) -> Result<()> {
        let mut o = o.clone();
        // Every outcome with a status carries its state, whichever verb
        // made it: a backend that left it out gets it from the table.
        if o.image_id.is_some() {
            self.ectx.borrow_mut().image_id = o.image_id.clone();
        }
        if let Ok(p) = crate::provider::Provider::parse(o.provider) {
            if let (Some(status), None) = (&o.status, o.state) {
                o.state = Some(cloud::state_of(p, status));
            }
            for i in o.images.iter_mut().flatten() {
                if let (Some(status), None) = (&i.status, i.state) {
                    i.state = Some(cloud::state_of(p, status));
                }
            }
        }
        self.print_value(
            serde_json::to_value(&o).unwrap_or(Value::Null),
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
        if let Err(e) = args::HTTP_TIMEOUT.check(v.value) {
            return Err(Error::config(format!("{name} from {}: {e}", v.source)));
        }
    }
    Ok(())
}
