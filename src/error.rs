//! One error type for the whole program; it decides the exit code.

use std::fmt;

use crate::provider::Provider;

/// Exit codes, as documented in the README and `imgctl help exit-codes`.
pub mod exit {
    pub const OK: u8 = 0;
    pub const PROVIDER: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const CONFIG: u8 = 3;
    pub const AUTH: u8 = 4;
    pub const NETWORK: u8 = 5;
    pub const WAIT_TIMEOUT: u8 = 6;
    pub const FAILED_STATE: u8 = 7;
    pub const INTERRUPTED: u8 = 130;
    pub const TERMINATED: u8 = 143;
}

/// What a provider said when it refused a request. Everything the cloud
/// gave us to trace the failure is kept.
#[derive(Debug, Clone, Default)]
pub struct ProviderError {
    pub provider: Option<Provider>,
    pub code: String,
    pub message: String,
    pub http_status: u16,
    pub request_id: Option<String>,
    /// A link the cloud gives for troubleshooting (Alibaba's `Recommend`).
    pub recommend: Option<String>,
    /// Our own advice, when we know what usually fixes this code.
    pub hint: Option<String>,
    pub kind: ErrorKind,
}

/// How a provider error is treated: it picks the exit code and tells the
/// retry loop whether another attempt is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorKind {
    #[default]
    Refused,
    Auth,
    NotFound,
    /// The request was not processed (throttling, "service unavailable"):
    /// safe to send again even for a create.
    Throttled,
    /// A server-side failure after which the request may or may not have
    /// taken effect.
    Server,
    /// The service said it is unavailable (503 and its codes): trying
    /// later may help (exit 5), but a load balancer's 503 does not prove
    /// the request was not acted on, so it is as ambiguous as `Server`.
    Unavailable,
}

#[derive(Debug)]
pub enum Error {
    /// Bad flags or values; nothing was sent.
    Usage(String),
    /// Missing or unreadable configuration or credentials.
    Config(String),
    Provider(Box<ProviderError>),
    /// The network failed, or retries ran out on a retryable answer.
    Network {
        message: String,
        attempts: u32,
        /// The request may have reached the cloud (it was written before
        /// the failure): whatever it asked for may have happened.
        maybe_sent: bool,
    },
    /// The answer could not be understood (HTML from a proxy, truncated
    /// body). The request may have taken effect.
    BadResponse {
        message: String,
        http_status: u16,
        request_id: Option<String>,
    },
    WaitTimeout(String),
    /// The operation reached a failed terminal state.
    Failed(String),
    /// What was asked about does not exist (exit 1, as a provider's
    /// not-found answer).
    NotFound(String),
    /// SIGINT (Ctrl-C).
    Interrupted,
    /// SIGTERM.
    Terminated,
    /// Local I/O (config files, token cache).
    Io(String),
    /// Retries ran out on answers that each said "try later" (throttling,
    /// a 5xx, a gateway's HTML or empty page): exit 5, not the cloud's
    /// refusal. `cause` is the last answer, read as the backend reads it.
    Unavailable {
        cause: Box<Error>,
        attempts: u32,
        elapsed: std::time::Duration,
    },
    /// A create or import that carries no idempotency token failed so that
    /// it may or may not have taken effect, and the look-up by name did
    /// not settle it (no image of that name, or only an older one). Exit 5:
    /// what happened cannot be known from here.
    Unsettled {
        cause: Box<Error>,
        note: String,
    },
}

impl Error {
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    pub fn config(msg: impl Into<String>) -> Self {
        Error::Config(msg.into())
    }

    /// The cloud (or a credential source) refused who we are: exit 4.
    pub fn auth(code: &str, msg: impl Into<String>) -> Self {
        Error::Provider(Box::new(ProviderError {
            code: code.to_string(),
            message: msg.into(),
            kind: ErrorKind::Auth,
            ..ProviderError::default()
        }))
    }

    pub fn bad_response(msg: impl Into<String>, http_status: u16) -> Self {
        Error::BadResponse {
            message: msg.into(),
            http_status,
            request_id: None,
        }
    }

    /// True when the request may have taken effect although we got no
    /// clear answer: a create must not simply be sent again.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::BadResponse { .. } => true,
            Error::Provider(p) => matches!(p.kind, ErrorKind::Server | ErrorKind::Unavailable),
            Error::Network { maybe_sent, .. } => *maybe_sent,
            Error::Unavailable { cause, .. } => cause.is_ambiguous(),
            _ => false,
        }
    }

    /// Adds advice: as the hint of a provider error, on a line of its own
    /// otherwise.
    pub fn with_hint(self, note: &str) -> Error {
        match self {
            Error::Provider(mut p) => {
                p.hint = Some(match p.hint.take() {
                    Some(h) => format!("{h}\n  {note}"),
                    None => note.to_string(),
                });
                Error::Provider(p)
            }
            Error::Network {
                message,
                attempts,
                maybe_sent,
            } => Error::Network {
                message: format!("{message}\n  hint: {note}"),
                attempts,
                maybe_sent,
            },
            Error::BadResponse {
                message,
                http_status,
                request_id,
            } => Error::BadResponse {
                message: format!("{message}\n  hint: {note}"),
                http_status,
                request_id,
            },
            Error::Failed(m) => Error::Failed(format!("{m}\n  hint: {note}")),
            Error::Unavailable {
                cause,
                attempts,
                elapsed,
            } => Error::Unavailable {
                cause: Box::new(cause.with_hint(note)),
                attempts,
                elapsed,
            },
            other => other,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Config(_) => exit::CONFIG,
            Error::Provider(p) => match p.kind {
                ErrorKind::Auth => exit::AUTH,
                ErrorKind::Throttled | ErrorKind::Unavailable => exit::NETWORK,
                _ => exit::PROVIDER,
            },
            Error::Network { .. } => exit::NETWORK,
            Error::BadResponse { .. } => exit::PROVIDER,
            Error::WaitTimeout(_) => exit::WAIT_TIMEOUT,
            Error::Failed(_) => exit::FAILED_STATE,
            Error::NotFound(_) => exit::PROVIDER,
            Error::Interrupted => exit::INTERRUPTED,
            Error::Terminated => exit::TERMINATED,
            Error::Io(_) => exit::CONFIG,
            Error::Unavailable { .. } | Error::Unsettled { .. } => exit::NETWORK,
        }
    }
}

/// `--error-format`: how a failure is written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ErrorFormat {
    /// Readable text (the default).
    #[default]
    Text,
    /// The text, then one JSON object as the last line of stderr.
    Json,
}

impl ErrorFormat {
    pub fn parse(s: &str) -> Option<ErrorFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Some(ErrorFormat::Text),
            "json" => Some(ErrorFormat::Json),
            _ => None,
        }
    }
}

/// What the caller knew when the failure happened: the provider and the
/// image concerned, which not every error carries itself.
#[derive(Debug, Clone, Default)]
pub struct ErrorContext {
    pub provider: Option<Provider>,
    pub image_id: Option<String>,
}

impl Error {
    /// The kind a script branches on; one per exit code.
    pub fn kind_name(&self) -> &'static str {
        match self.exit_code() {
            exit::USAGE => "usage",
            exit::CONFIG => "config",
            exit::AUTH => "auth",
            exit::NETWORK => "unavailable",
            exit::WAIT_TIMEOUT => "wait_timeout",
            exit::FAILED_STATE => "failed_state",
            exit::INTERRUPTED | exit::TERMINATED => "interrupted",
            _ => "refused",
        }
    }

    /// Trying the same command again later may succeed.
    pub fn retryable(&self) -> bool {
        self.exit_code() == exit::NETWORK
    }

    /// The one JSON object `--error-format json` writes as the last line
    /// of stderr: `{"error": {exit_code, kind, message, provider,
    /// provider_code, http_status, request_id, hint, image_id?, retryable}}`.
    pub fn report(&self, ctx: &ErrorContext) -> serde_json::Value {
        use serde_json::{Value, json};
        let opt = |s: Option<&str>| s.map_or(Value::Null, |s| json!(s));
        let status = |n: u16| if n == 0 { Value::Null } else { json!(n) };
        // Advice is kept apart from the message wherever it was appended.
        let split = |text: String| match text.split_once("\n  hint: ") {
            Some((m, h)) => (m.to_string(), Some(h.to_string())),
            None => (text, None),
        };
        let (message, hint, code, http, request_id, provider) = match self {
            Error::Provider(p) => (
                if p.message.is_empty() {
                    p.code.clone()
                } else {
                    p.message.clone()
                },
                p.hint.clone(),
                Some(p.code.as_str()),
                status(p.http_status),
                p.request_id.as_deref(),
                p.provider.or(ctx.provider),
            ),
            Error::BadResponse {
                message,
                http_status,
                request_id,
            } => {
                let (m, h) = split(message.clone());
                (
                    m,
                    h,
                    None,
                    status(*http_status),
                    request_id.as_deref(),
                    ctx.provider,
                )
            }
            other => {
                let (m, h) = split(other.to_string());
                (m, h, None, Value::Null, None, ctx.provider)
            }
        };
        let mut e = serde_json::Map::new();
        e.insert("exit_code".into(), json!(self.exit_code()));
        e.insert("kind".into(), json!(self.kind_name()));
        e.insert("message".into(), json!(message));
        e.insert("provider".into(), opt(provider.map(Provider::as_str)));
        e.insert("provider_code".into(), opt(code));
        e.insert("http_status".into(), http);
        e.insert("request_id".into(), opt(request_id));
        e.insert("hint".into(), opt(hint.as_deref()));
        // Retries that ran out, or a create left unsettled: the cloud's
        // code, status and request id are the last answer's.
        if let Error::Unavailable { cause, .. } | Error::Unsettled { cause, .. } = self {
            let inner = cause.report(ctx);
            for k in ["provider_code", "http_status", "request_id"] {
                if let Some(v) = inner["error"].get(k).filter(|v| !v.is_null()) {
                    e.insert(k.into(), v.clone());
                }
            }
        }
        if let Some(id) = &ctx.image_id {
            e.insert("image_id".into(), json!(id));
        }
        e.insert("retryable".into(), json!(self.retryable()));
        json!({ "error": Value::Object(e) })
    }
}

impl From<ProviderError> for Error {
    fn from(p: ProviderError) -> Self {
        Error::Provider(Box::new(p))
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = self.provider.map(|p| p.as_str()).unwrap_or("provider");
        write!(f, "{who} refused the request: {}", self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if self.http_status != 0 {
            write!(f, "\n  HTTP status: {}", self.http_status)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, "\n  request id: {id}")?;
        }
        if let Some(r) = &self.recommend {
            write!(f, "\n  troubleshoot: {r}")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "{m}"),
            Error::Config(m) => write!(f, "configuration: {m}"),
            Error::Provider(p) => write!(f, "{p}"),
            Error::Network {
                message, attempts, ..
            } => {
                write!(f, "network: {message}")?;
                if *attempts > 1 {
                    write!(f, " (after {attempts} attempts)")?;
                }
                Ok(())
            }
            Error::BadResponse {
                message,
                http_status,
                request_id,
            } => {
                write!(f, "unexpected response: {message}")?;
                if *http_status != 0 {
                    write!(f, "\n  HTTP status: {http_status}")?;
                }
                if let Some(id) = request_id {
                    write!(f, "\n  request id: {id}")?;
                }
                Ok(())
            }
            Error::WaitTimeout(m) => write!(f, "timed out waiting: {m}"),
            Error::Failed(m) => write!(f, "operation failed: {m}"),
            Error::NotFound(m) => write!(f, "{m}"),
            Error::Interrupted => write!(f, "interrupted"),
            Error::Terminated => write!(f, "terminated"),
            Error::Io(m) => write!(f, "{m}"),
            Error::Unavailable {
                cause,
                attempts,
                elapsed,
            } => write!(
                f,
                "unavailable: no usable answer after {attempts} attempt{} over {:.1} s; the last \
                 one was: {cause}",
                if *attempts == 1 { "" } else { "s" },
                elapsed.as_secs_f64()
            ),
            Error::Unsettled { cause, note } => write!(f, "{cause}\n  outcome unknown: {note}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// The text of `imgctl help exit-codes`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes of imgctl:
  0    success (a server-side dry run that would have succeeded counts as success; so does a
       create whose answer was lost but whose image was found by name and time: \"recovered\": true)
  1    the provider refused the request (not retryable), or its answer could not be understood
  2    usage or validation error: nothing was sent
  3    configuration error or missing credentials
  4    authentication failed or permission denied
  5    unavailable: network failure, throttling, a 5xx or a gateway's HTML/empty page, retries
       exhausted (the error says how many attempts over how long); or a create whose answer was
       lost and whose image could not be found by name and time (an older image of that name is
       named, never claimed): trying again later may help
  6    --wait timed out: the operation may still be running; its ids are printed on stdout
  7    the operation reached a failed state (e.g. ENS Pack_failed, EC2 failed, IMS job FAIL)
  130  interrupted (Ctrl-C, SIGINT); during a wait the outcome so far is printed on stdout
  143  terminated (SIGTERM); as 130

With --error-format json (or IMGCTL_ERROR_FORMAT=json) every failure also ends
stderr with one JSON object: {\"error\": {exit_code, kind, message, provider,
provider_code, http_status, request_id, hint, image_id (when known), retryable}};
kind is usage (2), config (3), refused (1), auth (4), unavailable (5),
wait_timeout (6), failed_state (7) or interrupted (130, 143).
";

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn provider(kind: ErrorKind) -> Error {
        ProviderError {
            kind,
            code: "X".into(),
            ..ProviderError::default()
        }
        .into()
    }

    /// The README's table, variant by variant.
    #[test]
    fn exit_codes() {
        let cases: Vec<(Error, u8)> = vec![
            (Error::usage("u"), 2),
            (Error::config("c"), 3),
            (provider(ErrorKind::Refused), 1),
            (provider(ErrorKind::NotFound), 1),
            (provider(ErrorKind::Server), 1),
            (provider(ErrorKind::Auth), 4),
            (provider(ErrorKind::Throttled), 5),
            (provider(ErrorKind::Unavailable), 5),
            (
                Error::Network {
                    message: "n".into(),
                    attempts: 1,
                    maybe_sent: false,
                },
                5,
            ),
            (Error::bad_response("b", 200), 1),
            (Error::WaitTimeout("w".into()), 6),
            (Error::Failed("f".into()), 7),
            (Error::NotFound("n".into()), 1),
            (Error::Interrupted, 130),
            (Error::Terminated, 143),
            (Error::Io("i".into()), 3),
            (
                Error::Unavailable {
                    cause: Box::new(Error::bad_response("html", 502)),
                    attempts: 3,
                    elapsed: Duration::from_millis(2500),
                },
                5,
            ),
            (
                Error::Unsettled {
                    cause: Box::new(provider(ErrorKind::Server)),
                    note: "n".into(),
                },
                5,
            ),
        ];
        for (e, code) in cases {
            assert_eq!(e.exit_code(), code, "{e:?}");
        }
    }

    #[test]
    fn unavailable_says_attempts_and_time_and_keeps_the_cause() {
        let e = Error::Unavailable {
            cause: Box::new(Error::bad_response("<html>502 Bad Gateway</html>", 502)),
            attempts: 3,
            elapsed: Duration::from_millis(2500),
        };
        let s = e.to_string();
        assert!(s.starts_with("unavailable:"), "{s}");
        assert!(s.contains("3 attempts") && s.contains("2.5 s"), "{s}");
        assert!(s.contains("502 Bad Gateway"), "{s}");
        // Ambiguity is the cause's: a create after it is looked up.
        assert!(e.is_ambiguous());
        let throttled = Error::Unavailable {
            cause: Box::new(provider(ErrorKind::Throttled)),
            attempts: 1,
            elapsed: Duration::ZERO,
        };
        assert!(!throttled.is_ambiguous());
        assert!(throttled.to_string().contains("1 attempt over"));
    }

    #[test]
    fn ambiguity() {
        assert!(provider(ErrorKind::Server).is_ambiguous());
        assert!(provider(ErrorKind::Unavailable).is_ambiguous());
        assert!(!provider(ErrorKind::Throttled).is_ambiguous());
        assert!(!provider(ErrorKind::Auth).is_ambiguous());
        assert!(!provider(ErrorKind::Refused).is_ambiguous());
        assert!(Error::bad_response("b", 200).is_ambiguous());
        let net = |maybe_sent| Error::Network {
            message: "n".into(),
            attempts: 1,
            maybe_sent,
        };
        assert!(net(true).is_ambiguous());
        assert!(!net(false).is_ambiguous());
        assert!(!Error::WaitTimeout("w".into()).is_ambiguous());
    }

    #[test]
    fn hints_are_kept() {
        let e = provider(ErrorKind::Server).with_hint("look it up");
        assert!(e.to_string().contains("hint: look it up"), "{e}");
        let e = Error::Unavailable {
            cause: Box::new(Error::bad_response("b", 502)),
            attempts: 2,
            elapsed: Duration::ZERO,
        }
        .with_hint("later");
        assert!(e.to_string().contains("hint: later"), "{e}");
        let e = Error::Failed("x".into()).with_hint("h");
        assert!(e.to_string().contains("hint: h"), "{e}");
    }
}
