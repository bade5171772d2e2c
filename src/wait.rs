//! The one waiter every provider shares: poll, back off, tolerate "not
//! found yet" for a grace period, stop at a terminal state or the deadline.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::ops::{PollState, WaitTarget};

#[derive(Debug, Clone)]
pub struct WaitOptions {
    pub timeout: Duration,
    /// Fixed interval when the user chose one; otherwise adaptive.
    pub interval: Option<Duration>,
    /// How long "not found" counts as "not visible yet" (eventual
    /// consistency right after a create).
    pub not_found_grace: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(3600),
            interval: None,
            not_found_grace: Duration::from_secs(60),
        }
    }
}

/// How the wait ended, with the last thing seen.
#[derive(Debug)]
pub enum WaitEnd {
    Done {
        image_id: Option<String>,
        status: String,
    },
    Failed {
        status: String,
        message: String,
    },
    TimedOut {
        last: Option<PollState>,
    },
}

const ADAPTIVE_START: Duration = Duration::from_secs(2);
/// Polls in a row that may fail for a passing reason (throttling, a 5xx, a
/// dropped connection, a proxy's HTML page) before the wait gives up.
const TRANSIENT_LIMIT: u32 = 5;

/// A poll error worth another try: the thing waited for is unaffected.
fn transient(e: &Error) -> bool {
    use crate::error::ErrorKind;
    match e {
        Error::Network { .. } | Error::BadResponse { .. } | Error::Unavailable { .. } => true,
        Error::Provider(p) => matches!(
            p.kind,
            ErrorKind::Throttled | ErrorKind::Unavailable | ErrorKind::Server
        ),
        _ => false,
    }
}
const ADAPTIVE_MAX: Duration = Duration::from_secs(15);

/// `last` keeps the last state seen outside the future, for a caller that
/// stops the wait before it ends (a signal).
pub async fn wait<B: Backend>(
    b: &mut B,
    target: &WaitTarget,
    opts: &WaitOptions,
    last: &mut Option<PollState>,
) -> Result<WaitEnd> {
    let start = Instant::now();
    let deadline = start
        .checked_add(opts.timeout)
        .ok_or_else(|| Error::usage("--wait-timeout is too long"))?;
    let mut interval = opts.interval.unwrap_or(ADAPTIVE_START);
    let mut failures = 0;
    let show = std::io::stderr().is_terminal();
    loop {
        // A poll may not outlast the wait: a server that trickles its
        // answer, or the retries and pauses inside one request, would
        // otherwise hold --wait-timeout open. Dropping a status read half
        // way is harmless.
        let left = deadline.saturating_duration_since(Instant::now());
        let polled = match tokio::time::timeout(left, b.poll(target)).await {
            Ok(r) => r,
            Err(_) => {
                if show {
                    eprintln!();
                }
                return Ok(WaitEnd::TimedOut { last: last.clone() });
            }
        };
        let state = match polled {
            Ok(s) => {
                failures = 0;
                s
            }
            Err(e) if transient(&e) && failures + 1 < TRANSIENT_LIMIT => {
                if Instant::now() >= deadline {
                    return Ok(WaitEnd::TimedOut { last: last.clone() });
                }
                failures += 1;
                eprintln!(
                    "imgctl: warning: status check failed, trying again: {}",
                    e.to_string().lines().next().unwrap_or("")
                );
                tokio::time::sleep(
                    interval.min(deadline.saturating_duration_since(Instant::now())),
                )
                .await;
                continue;
            }
            Err(e) => return Err(e),
        };
        if show {
            progress_line(target, &state, start.elapsed());
        }
        match &state {
            PollState::Done { image_id, status } => {
                if show {
                    eprintln!();
                }
                return Ok(WaitEnd::Done {
                    image_id: image_id.clone(),
                    status: status.clone(),
                });
            }
            PollState::Failed { status, message } => {
                if show {
                    eprintln!();
                }
                return Ok(WaitEnd::Failed {
                    status: status.clone(),
                    message: message.clone(),
                });
            }
            // No grace: the caller knows the id should exist by now.
            PollState::NotFound if opts.not_found_grace.is_zero() => {
                if show {
                    eprintln!();
                }
                return Err(Error::NotFound(format!(
                    "{} was not found",
                    describe(target)
                )));
            }
            PollState::NotFound if start.elapsed() > opts.not_found_grace => {
                return Err(Error::Failed(format!(
                    "{} was not found (still missing after {}s)",
                    describe(target),
                    opts.not_found_grace.as_secs()
                )));
            }
            _ => {}
        }
        *last = Some(state);
        let now = Instant::now();
        if now >= deadline {
            if show {
                eprintln!();
            }
            return Ok(WaitEnd::TimedOut { last: last.clone() });
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
        if opts.interval.is_none() {
            interval = (interval.mul_f32(1.5)).min(ADAPTIVE_MAX);
        }
    }
}

fn describe(t: &WaitTarget) -> String {
    match t {
        WaitTarget::Image(id) => format!("image {id}"),
        WaitTarget::Job(id) => format!("job {id}"),
        WaitTarget::Task(id) => format!("import task {id}"),
    }
}

fn progress_line(t: &WaitTarget, s: &PollState, elapsed: Duration) {
    let what = match s {
        PollState::Pending { status, progress } => match progress {
            Some(p) => format!("{status} {p}%"),
            None => status.clone(),
        },
        PollState::Done { status, .. } => status.clone(),
        PollState::Failed { status, .. } => status.clone(),
        PollState::NotFound => "not visible yet".into(),
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r\x1b[2K{}: {what} ({}s)",
        describe(t),
        elapsed.as_secs()
    );
    let _ = err.flush();
}
