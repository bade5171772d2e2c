//! The one waiter every provider shares: poll, back off, tolerate "not
//! found yet" for a grace period, stop at a terminal state or the deadline.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::ops::{Observation, PollState, WaitTarget};

#[derive(Debug, Clone)]
pub struct WaitOptions {
    pub timeout: Duration,
    /// Fixed interval when the user chose one; otherwise adaptive.
    pub interval: Option<Duration>,
    /// How long "not found" counts as "not visible yet" (eventual
    /// consistency right after a create).
    pub not_found_grace: Duration,
    /// How the wait shows its progress on stderr.
    pub progress: Progress,
    /// In `Progress::Lines`, the longest silence before a "still …" line.
    pub heartbeat: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(3600),
            interval: None,
            not_found_grace: Duration::from_secs(60),
            progress: Progress::for_stderr(false),
            heartbeat: HEARTBEAT,
        }
    }
}

/// How a wait reports on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A terminal: one live line, rewritten in place.
    Live,
    /// A pipe or a file (CI logs): one plain line per status change and a
    /// heartbeat when nothing changed for a while; no `\r`, no escapes.
    Lines,
    /// `--quiet`: nothing.
    Quiet,
}

impl Progress {
    pub fn for_stderr(quiet: bool) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            Progress::Live
        } else {
            Progress::Lines
        }
    }
}

/// CI systems commonly kill a job that has been silent for ten minutes.
pub const HEARTBEAT: Duration = Duration::from_secs(60);

/// How the wait ended, with the last thing seen. The waiter decides on
/// the neutral state alone: available or deprecated ends it, failed,
/// deleting or deleted fails it, anything else (pending, unknown) waits on.
#[derive(Debug)]
pub enum WaitEnd {
    Done(Observation),
    Failed(Observation),
    TimedOut { last: Option<PollState> },
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
    wait_to(b, target, opts, last, &mut std::io::stderr()).await
}

/// `wait`, reporting to `out` instead of stderr.
pub async fn wait_to<B: Backend>(
    b: &mut B,
    target: &WaitTarget,
    opts: &WaitOptions,
    last: &mut Option<PollState>,
    out: &mut dyn Write,
) -> Result<WaitEnd> {
    let start = Instant::now();
    let deadline = start
        .checked_add(opts.timeout)
        .ok_or_else(|| Error::usage("--wait-timeout is too long"))?;
    let mut interval = opts.interval.unwrap_or(ADAPTIVE_START);
    let mut failures = 0;
    let mut rep = Reporter::new(opts.progress, opts.heartbeat, target, out);
    loop {
        // A poll may not outlast the wait: a server that trickles its
        // answer, or the retries and pauses inside one request, would
        // otherwise hold --wait-timeout open. Dropping a status read half
        // way is harmless.
        let left = deadline.saturating_duration_since(Instant::now());
        let polled = match rep
            .during(tokio::time::timeout(left, b.poll(target)), start)
            .await
        {
            Ok(r) => r,
            Err(_) => {
                rep.end();
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
                rep.sleep(
                    interval.min(deadline.saturating_duration_since(Instant::now())),
                    start,
                )
                .await;
                continue;
            }
            Err(e) => return Err(e),
        };
        rep.observe(&state, start.elapsed());
        match &state {
            PollState::Seen(o) if o.state.is_done() => {
                rep.end();
                return Ok(WaitEnd::Done(o.clone()));
            }
            PollState::Seen(o) if o.state.is_failure() => {
                rep.end();
                return Ok(WaitEnd::Failed(o.clone()));
            }
            // No grace: the caller knows the id should exist by now.
            PollState::NotFound if opts.not_found_grace.is_zero() => {
                rep.end();
                return Err(Error::NotFound(format!(
                    "{} was not found",
                    describe(target)
                )));
            }
            PollState::NotFound if start.elapsed() > opts.not_found_grace => {
                rep.end();
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
            rep.end();
            return Ok(WaitEnd::TimedOut { last: last.clone() });
        }
        rep.sleep(interval.min(deadline - now), start).await;
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

/// What a status reads as in a log line: `Packing (40%)`.
fn status_text(s: &PollState) -> String {
    match s {
        PollState::Seen(o) => match o.progress {
            Some(p) => format!("{} ({p}%)", o.status),
            None => o.status.clone(),
        },
        PollState::NotFound => "not visible yet".into(),
    }
}

/// What a status reads as on the terminal's live line: `Packing (pending) 40%`.
fn live_text(s: &PollState) -> String {
    match s {
        PollState::Seen(o) => match o.progress {
            Some(p) => format!("{} ({}) {p}%", o.status, o.state.as_str()),
            None => format!("{} ({})", o.status, o.state.as_str()),
        },
        PollState::NotFound => "not visible yet".into(),
    }
}

/// `45s`, `2m10s`, `1h0m5s`.
pub fn elapsed_text(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

/// The wait's voice on stderr (or the writer a test gives).
struct Reporter<'a> {
    mode: Progress,
    heartbeat: Duration,
    what: String,
    out: &'a mut dyn Write,
    /// The last status shown and when the last line was written.
    shown: Option<String>,
    last_line: Duration,
    /// A live line is on the terminal and needs its newline.
    live_open: bool,
}

impl<'a> Reporter<'a> {
    fn new(
        mode: Progress,
        heartbeat: Duration,
        t: &WaitTarget,
        out: &'a mut dyn Write,
    ) -> Reporter<'a> {
        Reporter {
            mode,
            heartbeat,
            what: describe(t),
            out,
            shown: None,
            last_line: Duration::ZERO,
            live_open: false,
        }
    }

    fn observe(&mut self, s: &PollState, elapsed: Duration) {
        let text = status_text(s);
        match self.mode {
            Progress::Quiet => {}
            Progress::Live => {
                let _ = write!(
                    self.out,
                    "\r\x1b[2K{}: {} ({}s)",
                    self.what,
                    live_text(s),
                    elapsed.as_secs()
                );
                let _ = self.out.flush();
                self.live_open = true;
            }
            Progress::Lines => {
                if self.shown.as_deref() != Some(text.as_str()) {
                    self.line(&text, "", elapsed);
                    self.shown = Some(text);
                }
            }
        }
    }

    fn line(&mut self, text: &str, prefix: &str, elapsed: Duration) {
        let _ = writeln!(
            self.out,
            "{} {prefix}{text} after {}",
            self.what,
            elapsed_text(elapsed)
        );
        let _ = self.out.flush();
        self.last_line = elapsed;
    }

    /// Sleeps `d`, writing heartbeats as `during` does.
    async fn sleep(&mut self, d: Duration, start: Instant) {
        self.during(tokio::time::sleep(d), start).await
    }

    /// Runs `fut` (a poll, or a pause between polls), writing a heartbeat
    /// whenever the log has been silent for `heartbeat`: however long the
    /// poll interval is, and however slowly a status check is answered.
    async fn during<F: Future>(&mut self, fut: F, start: Instant) -> F::Output {
        let mut fut = std::pin::pin!(fut);
        loop {
            let Some(text) = self.shown.clone().filter(|_| self.mode == Progress::Lines) else {
                return fut.await;
            };
            let due = (self.last_line + self.heartbeat).saturating_sub(start.elapsed());
            tokio::select! {
                r = &mut fut => return r,
                () = tokio::time::sleep(due) => self.line(&text, "still ", start.elapsed()),
            }
        }
    }

    /// The wait is over: close the live line.
    fn end(&mut self) {
        if self.live_open {
            let _ = writeln!(self.out);
            self.live_open = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{
        CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage, Outcome,
    };

    struct Script(Vec<PollState>, Duration);

    impl Backend for Script {
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
        async fn list(&mut self, _: &ListImages) -> Result<Outcome> {
            unreachable!()
        }
        async fn delete(&mut self, _: &DeleteImage) -> Result<Outcome> {
            unreachable!()
        }
        async fn copy(&mut self, _: &CopyImage) -> Result<Outcome> {
            unreachable!()
        }
        async fn poll(&mut self, _: &WaitTarget) -> Result<PollState> {
            tokio::time::sleep(self.1).await;
            Ok(self.0.remove(0))
        }
    }

    fn pending(s: &str, p: Option<u8>) -> PollState {
        PollState::Seen(Observation {
            progress: p,
            ..Observation::new(s, crate::vocab::State::Pending)
        })
    }

    fn run(mode: Progress, interval: Duration, heartbeat: Duration) -> String {
        run_slow(mode, interval, heartbeat, Duration::ZERO)
    }

    fn run_slow(mode: Progress, interval: Duration, heartbeat: Duration, slow: Duration) -> String {
        let mut b = Script(
            vec![
                pending("Creating", None),
                pending("Creating", None),
                pending("Packing", Some(40)),
                pending("Packing", Some(40)),
                PollState::Seen(Observation::new(
                    "Available",
                    crate::vocab::State::Available,
                )),
            ],
            slow,
        );
        let opts = WaitOptions {
            interval: Some(interval),
            progress: mode,
            heartbeat,
            ..WaitOptions::default()
        };
        let mut out = Vec::new();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let end = rt
            .block_on(wait_to(
                &mut b,
                &WaitTarget::Image("m-1".into()),
                &opts,
                &mut None,
                &mut out,
            ))
            .unwrap();
        assert!(matches!(end, WaitEnd::Done { .. }));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lines_one_per_status_change_plain_text() {
        let s = run(Progress::Lines, Duration::from_millis(10), HEARTBEAT);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 3, "{s}");
        assert_eq!(lines[0], "image m-1 Creating after 0s");
        assert_eq!(lines[1], "image m-1 Packing (40%) after 0s");
        assert_eq!(lines[2], "image m-1 Available after 0s");
        assert!(!s.contains('\r') && !s.contains('\x1b'));
    }

    #[test]
    fn lines_heartbeat_when_nothing_changes() {
        // A poll every 120ms, a heartbeat after 50ms of silence: each
        // unchanged stretch gets "still" lines between the polls.
        let s = run(
            Progress::Lines,
            Duration::from_millis(120),
            Duration::from_millis(50),
        );
        assert!(
            s.lines()
                .any(|l| l.starts_with("image m-1 still Creating after")),
            "{s}"
        );
        assert!(
            s.lines()
                .any(|l| l.starts_with("image m-1 still Packing (40%) after")),
            "{s}"
        );
        assert!(!s.contains('\r') && !s.contains('\x1b'));
    }

    #[test]
    fn lines_heartbeat_while_a_status_check_is_slow() {
        // Polls back to back, each answered after 150ms: the heartbeat
        // still comes every 50ms of silence.
        let s = run_slow(
            Progress::Lines,
            Duration::from_millis(10),
            Duration::from_millis(50),
            Duration::from_millis(150),
        );
        assert!(
            s.lines()
                .any(|l| l.starts_with("image m-1 still Creating after")),
            "{s}"
        );
    }

    #[test]
    fn quiet_says_nothing_and_live_rewrites_one_line() {
        assert_eq!(
            run(
                Progress::Quiet,
                Duration::from_millis(10),
                Duration::from_millis(1)
            ),
            ""
        );
        let live = run(Progress::Live, Duration::from_millis(10), HEARTBEAT);
        assert!(
            live.starts_with("\r\x1b[2K") && live.ends_with('\n'),
            "{live:?}"
        );
        assert_eq!(live.matches('\n').count(), 1);
    }

    #[test]
    fn elapsed_reads_like_a_person_writes_it() {
        assert_eq!(elapsed_text(Duration::from_secs(45)), "45s");
        assert_eq!(elapsed_text(Duration::from_secs(130)), "2m10s");
        assert_eq!(elapsed_text(Duration::from_secs(3605)), "1h0m5s");
    }
}

#[cfg(test)]
mod failure_paths {
    use super::*;
    use crate::ops::{
        CopyImage, CreateImage, DeleteImage, ImportImage, ListImages, ModifyImage, Observation,
        Outcome,
    };
    use crate::vocab::State;

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
        async fn list(&mut self, _: &ListImages) -> Result<Outcome> {
            unreachable!()
        }
        async fn delete(&mut self, _: &DeleteImage) -> Result<Outcome> {
            unreachable!()
        }
        async fn copy(&mut self, _: &CopyImage) -> Result<Outcome> {
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
            progress: Progress::Quiet,
            ..WaitOptions::default()
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
                Ok(PollState::Seen(Observation::new(
                    "Creating",
                    State::Pending,
                )))
            },
            opts(200, 20),
        );
        match r {
            Ok(WaitEnd::TimedOut {
                last: Some(PollState::Seen(o)),
            }) => assert_eq!((o.status.as_str(), o.state), ("Creating", State::Pending)),
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
                Ok(PollState::Seen(Observation::new(
                    "Available",
                    State::Available,
                )))
            },
            opts(60_000, 1),
        );
        assert!(matches!(r, Ok(WaitEnd::Done { .. })), "{r:?}");
        let (r, _, _) = run(
            || Ok(PollState::Seen(Observation::new("failed", State::Failed))),
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
