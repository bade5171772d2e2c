//! The front end: from argv to an exit code. This file orchestrates
//! (settings → backend → waiter → printer); `args` holds every flag,
//! `requests` turns arguments into checked neutral requests, `config_cmd`
//! serves `config show` and `help`, `emulator` starts the local emulator.

mod args;
mod config_cmd;
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

use std::io::IsTerminal;
use std::time::Duration;

use clap::{ArgMatches, CommandFactory, FromArgMatches};
use serde_json::Value;

use crate::backend::{Backend, Ctx};
use crate::cloud;
use crate::config::{self, ProcessEnv};
use crate::error::{Error, Result, exit};
use crate::ops::{Outcome, PollState, WaitTarget};
use crate::output::{self, OutputFormat};
use crate::transport::{Transport, TransportConfig, is_loopback_url};
use crate::wait::{WaitEnd, WaitOptions};
pub use args::{Cli, GlobalArgs};
use args::{Command, ConfigCommand, ImageCommand};
use requests::{
    Prepared, VerbCall, check_flags, check_globals, overrides, prepare, refuse_globals,
};

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
    // The emulator stops on Ctrl-C by itself, as a normal end.
    let serving = matches!(cli.command, Command::Emulator(_));
    let result = rt.block_on(async {
        if serving {
            return run(cli, &matches, &cmd).await;
        }
        tokio::select! {
            r = run(cli, &matches, &cmd) => r,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        }
    });
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("imgctl: error: {e}");
            e.exit_code()
        }
    }
}

async fn run(cli: Cli, matches: &ArgMatches, cmd: &clap::Command) -> Result<()> {
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
        Command::Help { topic } => return config_cmd::help(&topic),
        Command::Completion { shell } => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "imgctl", &mut buf);
            return emit(&String::from_utf8_lossy(&buf));
        }
        Command::Config(ConfigCommand::Show) => {
            let g = &cli.global;
            let s = if g.emulator {
                emulator::start_for_command(g, &overrides(g)).await?.0
            } else {
                config::resolve(&overrides(g), &ProcessEnv)?
            };
            let query = g.query.as_deref().map(output::compile_query).transpose()?;
            let printer = Printer {
                query,
                format: g.output.unwrap_or(OutputFormat::Json),
            };
            return printer.print_value(config_cmd::show(&s), true);
        }
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
    // With --emulator the settings are the emulator's; it lives as long as this call.
    let (settings, _emulator) = if g.emulator {
        emulator::start_for_command(g, &overrides(g)).await?
    } else {
        (config::resolve(&overrides(g), &ProcessEnv)?, None)
    };
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
    dispatch(ctx, prepared, g.wait, &wait_opts, &printer).await
}

async fn dispatch(
    ctx: Ctx,
    req: Prepared,
    wait: bool,
    wo: &WaitOptions,
    pr: &Printer,
) -> Result<()> {
    execute(&mut cloud::select(ctx)?, req, wait, wo, pr).await
}

async fn execute<B: Backend>(
    b: &mut B,
    req: Prepared,
    wait: bool,
    wo: &WaitOptions,
    pr: &Printer,
) -> Result<()> {
    let (outcome, follow) = match req {
        Prepared::Create(r) => (b.create(&r).await?, wait),
        Prepared::Import(r) => (b.import(&r).await?, wait),
        Prepared::Modify(r) => (b.modify(&r).await?, false),
        Prepared::Describe(id) => (b.describe(&id).await?, false),
        Prepared::List(r) => (b.list(&r).await?, false),
        Prepared::Delete(r) => (b.delete(&r).await?, false),
        Prepared::Copy(r) => (b.copy(&r).await?, wait),
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
            return follow_to_end(b, t, o, wo, pr).await;
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
        return follow_to_end(b, target, outcome, wo, pr).await;
    }
    pr.print(&outcome)
}

/// Waits, then prints the outcome whatever happened, so a script always
/// gets the ids (exit 6 on timeout, 7 on a failed state).
async fn follow_to_end<B: Backend>(
    b: &mut B,
    t: WaitTarget,
    mut o: Outcome,
    wo: &WaitOptions,
    pr: &Printer,
) -> Result<()> {
    let end = match crate::wait::wait(b, &t, wo).await {
        Ok(end) => end,
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

    fn print_value(&self, mut v: Value, pretty: bool) -> Result<()> {
        if let Some(q) = &self.query {
            v = output::apply_query(q, &v)?;
        }
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
