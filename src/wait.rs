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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{CreateImage, ImportImage, ModifyImage, Outcome};

    /// A backend whose every poll answers the same.
    struct Fake {
        answer: fn() -> Result<PollState>,
        polls: u32,
    }

    impl Backend for Fake {
        async fn create(&mut self, _: &CreateImage) -> Result<Outcome> {
            unreachable!()
        }
        async fn import(&mut self, _: &ImportImage) -> Result<Outcome> {
            unreachable!()
        }
        async fn modify(&mut self, _: &ModifyImage) -> Result<Outcome> {
            unreachable!()
        }
        async fn describe(&mut self, _: &str) -> Result<Outcome> {
            unreachable!()
        }
        async fn poll(&mut self, _: &WaitTarget) -> Result<PollState> {
            self.polls += 1;
            (self.answer)()
        }
    }

    fn run(
        answer: fn() -> Result<PollState>,
        opts: WaitOptions,
    ) -> (Result<WaitEnd>, u32, Duration) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let mut b = Fake { answer, polls: 0 };
        let mut last = None;
        let t = Instant::now();
        let r = rt.block_on(wait(
            &mut b,
            &WaitTarget::Image("m-1".into()),
            &opts,
            &mut last,
        ));
        (r, b.polls, t.elapsed())
    }

    fn opts(timeout_ms: u64, interval_ms: u64) -> WaitOptions {
        WaitOptions {
            timeout: Duration::from_millis(timeout_ms),
            interval: Some(Duration::from_millis(interval_ms)),
            not_found_grace: Duration::from_secs(60),
        }
    }

    fn network() -> Result<PollState> {
        Err(Error::Network {
            message: "reset".into(),
            attempts: 1,
            maybe_sent: true,
        })
    }

    /// Transient poll errors never hold the wait past its deadline, even
    /// with a poll interval far longer than the timeout.
    #[test]
    fn transient_errors_keep_the_deadline() {
        let (r, _, took) = run(network, opts(300, 20_000));
        assert!(matches!(r, Ok(WaitEnd::TimedOut { .. })), "{r:?}");
        assert!(took < Duration::from_secs(3), "took {took:?}");
        assert!(took >= Duration::from_millis(290), "took {took:?}");
    }

    /// Pending for ever: the deadline ends it, as a timeout (exit 6 at the
    /// front end), not a failure.
    #[test]
    fn pending_times_out() {
        let (r, polls, took) = run(
            || {
                Ok(PollState::Pending {
                    status: "Creating".into(),
                    progress: None,
                })
            },
            opts(200, 20),
        );
        match r {
            Ok(WaitEnd::TimedOut {
                last: Some(PollState::Pending { status, .. }),
            }) => {
                assert_eq!(status, "Creating")
            }
            other => panic!("{other:?}"),
        }
        assert!(polls >= 2, "{polls}");
        assert!(took < Duration::from_secs(3), "took {took:?}");
    }

    /// Transient errors in a row are tolerated up to the limit, then the
    /// last one is the result.
    #[test]
    fn transient_errors_have_a_limit() {
        let (r, polls, _) = run(network, opts(60_000, 1));
        assert!(matches!(r, Err(Error::Network { .. })), "{r:?}");
        assert_eq!(polls, TRANSIENT_LIMIT);
        // A refusal is not transient: it ends the wait at once.
        let (r, polls, _) = run(|| Err(Error::usage("no")), opts(60_000, 1));
        assert!(matches!(r, Err(Error::Usage(_))), "{r:?}");
        assert_eq!(polls, 1);
    }

    #[test]
    fn transient_kinds() {
        use crate::error::{ErrorKind, ProviderError};
        let p = |kind| -> Error {
            ProviderError {
                kind,
                ..ProviderError::default()
            }
            .into()
        };
        assert!(transient(&p(ErrorKind::Throttled)));
        assert!(transient(&p(ErrorKind::Unavailable)));
        assert!(transient(&p(ErrorKind::Server)));
        assert!(!transient(&p(ErrorKind::Auth)));
        assert!(!transient(&p(ErrorKind::Refused)));
        assert!(!transient(&p(ErrorKind::NotFound)));
        assert!(transient(&Error::bad_response("html", 502)));
        assert!(transient(&Error::Unavailable {
            cause: Box::new(p(ErrorKind::Throttled)),
            attempts: 3,
            elapsed: Duration::ZERO,
        }));
    }

    #[test]
    fn done_and_failed_end_the_wait() {
        let (r, _, _) = run(
            || {
                Ok(PollState::Done {
                    image_id: Some("m-1".into()),
                    status: "Available".into(),
                })
            },
            opts(60_000, 1),
        );
        assert!(matches!(r, Ok(WaitEnd::Done { .. })), "{r:?}");
        let (r, _, _) = run(
            || {
                Ok(PollState::Failed {
                    status: "failed".into(),
                    message: "m".into(),
                })
            },
            opts(60_000, 1),
        );
        assert!(matches!(r, Ok(WaitEnd::Failed { .. })), "{r:?}");
    }

    /// "Not found" is "not visible yet" for the grace period, then a
    /// failure; with no grace, a not-found error at once.
    #[test]
    fn not_found_grace() {
        let mut o = opts(60_000, 10);
        o.not_found_grace = Duration::ZERO;
        let (r, polls, _) = run(|| Ok(PollState::NotFound), o.clone());
        assert!(matches!(r, Err(Error::NotFound(_))), "{r:?}");
        assert_eq!(polls, 1);
        o.not_found_grace = Duration::from_millis(100);
        let (r, polls, took) = run(|| Ok(PollState::NotFound), o);
        assert!(matches!(r, Err(Error::Failed(_))), "{r:?}");
        assert!(
            polls > 1 && took >= Duration::from_millis(100),
            "{polls} {took:?}"
        );
    }
}
