//! The one HTTP transport every backend uses: one reqwest client, timeouts,
//! user agent, proxy from the environment, a signing hook that runs on every
//! attempt, retries of what is safe to retry, and a redacting debug log.

use std::cell::{Cell, OnceCell, RefCell};
use std::fmt;
use std::io::Write;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::secret::{Secret, scrub};

pub const USER_AGENT: &str = concat!("imgctl/", env!("CARGO_PKG_VERSION"));

/// Debug is written by hand: headers carry tokens and signatures, and a
/// body may be an IAM password request, so neither may reach a log or a
/// panic message as is.
#[derive(Clone)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

#[derive(Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// As for requests: IAM answers with the token in a header.
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, v)| (k, redact_header(k, v))))
            .finish()
    }
}

impl HttpResponse {
    /// First header of that name, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Whether a request may be sent again after an ambiguous failure (a
/// timeout, a dropped connection, a 500): reads and creates that carry an
/// idempotency token may; a create without one may not, because the first
/// attempt may already have made an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    Safe,
    Unsafe,
}

/// The provider's reading of a response, for the retry loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// A final answer, success or error: hand it to the backend.
    Final,
    /// The cloud did not process the request (throttling, "service
    /// unavailable" before acting): safe to send again whatever the
    /// operation. `after` is the server's Retry-After, if any.
    NotProcessed { after: Option<Duration> },
    /// A server failure after which the request may have taken effect.
    MaybeProcessed { after: Option<Duration> },
    /// Refused at authentication because of the request's timestamp (the
    /// clocks disagree): nothing was done. Re-signed once with the time
    /// corrected by the server's `Date` header, if it sent one.
    ClockSkew,
}

/// Retries ran out on an answer that said "try later": how many attempts
/// were made, over how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted {
    pub attempts: u32,
    pub elapsed: Duration,
}

/// Allowance for the comparison of a creation time with the moment a
/// request was sent when the server's clock is known from its `Date`
/// header (whole seconds on both sides, plus the trip).
pub const KNOWN_CLOCK_MARGIN: Duration = Duration::from_secs(3);
/// The same when no `Date` header has been seen: the clocks may differ by
/// this much and the comparison still holds.
pub const UNKNOWN_CLOCK_MARGIN: Duration = Duration::from_secs(60);

/// The largest answer read. The image APIs answer in kilobytes; a body
/// past this is a proxy or a server gone wrong, and reading it would only
/// cost memory (and, trickled, time).
pub const MAX_BODY: usize = 8 << 20;

#[derive(Debug, Clone)]
pub struct TransportConfig {
    pub connect_timeout: Duration,
    /// The longest silence while reading. One request as a whole, every
    /// attempt and pause included, gets `connect_timeout + read_timeout`:
    /// a server that trickles a byte at a time never trips the silence
    /// timeout, and must not hold the command for ever.
    pub read_timeout: Duration,
    pub max_attempts: u32,
    pub debug: bool,
    /// Skip the proxy: the endpoint is on this machine.
    pub loopback: bool,
    /// Base of the exponential backoff (full jitter).
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            max_attempts: 3,
            debug: false,
            loopback: false,
            backoff_base: Duration::from_millis(200),
            backoff_cap: Duration::from_secs(20),
        }
    }
}

pub struct Transport {
    /// For http:// URLs: a TLS configuration with no roots, so a plain-HTTP
    /// command reads no certificate store. Built on first use.
    plain: OnceCell<reqwest::Client>,
    /// For https:// URLs: the root store is read when the first such URL is
    /// used, and never for a command that only speaks plain HTTP.
    tls: OnceCell<reqwest::Client>,
    cfg: TransportConfig,
    /// Every secret known to this run, scrubbed from the debug log; grows
    /// when a token is obtained at run time.
    secrets: RefCell<Vec<Secret>>,
    /// Seconds to add to this machine's clock when signing: set once a
    /// cloud refused a request for its timestamp, kept for the rest of
    /// the run (the polls of a wait).
    clock_offset: Cell<i64>,
    /// The server's clock minus ours, from the last `Date` header seen.
    observed_offset: Cell<Option<i64>>,
    /// Set when the last `send` returned an answer because retries ran out.
    exhausted: Cell<Option<Exhausted>>,
}

/// Header names whose values are credentials: never logged.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
    "x-acs-security-token",
    "x-amz-security-token",
    "x-amz-sso_bearer_token",
    "cookie",
    "set-cookie",
];

/// Query parameter names whose values are credentials or signatures.
const SECRET_PARAMS: &[&str] = &[
    "Signature",
    "SecurityToken",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

impl Transport {
    /// Builds nothing yet: each HTTP client (and, for HTTPS, the root
    /// store) is made when a request first needs it.
    pub fn new(cfg: TransportConfig, secrets: Vec<Secret>) -> Result<Self> {
        Ok(Transport {
            plain: OnceCell::new(),
            tls: OnceCell::new(),
            cfg,
            secrets: RefCell::new(secrets),
            clock_offset: Cell::new(0),
            observed_offset: Cell::new(None),
            exhausted: Cell::new(None),
        })
    }

    /// The client for this URL: one per kind, kept for the whole command so
    /// that its connections are reused.
    fn client_for(&self, url: &str) -> Result<&reqwest::Client> {
        let plain = url
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
            && (self.cfg.loopback || !https_proxy_configured());
        let cell = if plain { &self.plain } else { &self.tls };
        if let Some(c) = cell.get() {
            return Ok(c);
        }
        let tls = if plain {
            tls_config(rustls::RootCertStore::empty())?
        } else {
            tls_config(roots::load()?)?
        };
        let mut b = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(self.cfg.connect_timeout)
            .read_timeout(self.cfg.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls);
        if self.cfg.loopback {
            b = b.no_proxy();
        }
        let client = b
            .build()
            .map_err(|e| Error::config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(cell.get_or_init(|| client))
    }

    /// The time to sign with: this machine's clock, corrected by the
    /// offset learnt from a cloud that refused a request for its time.
    pub fn now(&self) -> time::OffsetDateTime {
        let now = time::OffsetDateTime::now_utc();
        now.checked_add(time::Duration::seconds(self.clock_offset.get()))
            .unwrap_or(now)
    }

    /// The correction applied to this machine's clock, in seconds.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.get()
    }

    /// A moment of this machine's clock told in the server's time, and how
    /// far off that may be: the offset of the last `Date` header when one
    /// was seen, else the uncorrected time and a fixed allowance.
    pub fn server_time(&self, local: time::OffsetDateTime) -> (time::OffsetDateTime, Duration) {
        let (offset, margin) = match self.observed_offset.get() {
            Some(o) => (o, KNOWN_CLOCK_MARGIN),
            None => (self.clock_offset.get(), UNKNOWN_CLOCK_MARGIN),
        };
        let t = local
            .checked_add(time::Duration::seconds(offset))
            .unwrap_or(local);
        (t, margin)
    }

    /// A 2xx answer that could not be read (cut short, not the API's
    /// shape) to a request that is safe to repeat: asked once more, as
    /// the answer to a retried request is as good as the first.
    pub fn reread(
        &self,
        idempotency: Idempotency,
        status: u16,
        e: &Error,
        tries: &mut u32,
    ) -> bool {
        let again = idempotency == Idempotency::Safe
            && (200..300).contains(&status)
            && matches!(e, Error::BadResponse { .. })
            && *tries == 0;
        if again {
            *tries += 1;
            self.debug_line(
                "* the answer could not be read; asking again (the request is safe to repeat)",
            );
        }
        again
    }

    /// Whether the last `send` gave up because retries ran out.
    pub fn exhausted(&self) -> Option<Exhausted> {
        self.exhausted.get()
    }

    /// The error a backend made of an answer, told as "unavailable" (exit
    /// 5) when that answer came after retries ran out on answers that said
    /// "try later".
    pub fn finish(&self, e: Error) -> Error {
        match (self.exhausted.take(), e) {
            (Some(x), e @ (Error::Provider(_) | Error::BadResponse { .. })) => Error::Unavailable {
                cause: Box::new(e),
                attempts: x.attempts,
                elapsed: x.elapsed,
            },
            (_, e) => e,
        }
    }

    /// Reads the server's `Date` header; keeps the offset seen.
    fn observe_date(&self, resp: &HttpResponse) -> Option<i64> {
        let date = resp.header("date")?;
        let server = httpdate(date)?;
        let offset = server - time::OffsetDateTime::now_utc().unix_timestamp();
        self.observed_offset.set(Some(offset));
        Some(offset)
    }

    /// A second client with the same settings and known secrets (for a
    /// second endpoint or identity in one command, e.g. a copy's
    /// destination region).
    pub fn sibling(&self) -> Result<Transport> {
        Transport::new(self.cfg.clone(), self.secrets.borrow().clone())
    }

    pub fn add_secret(&self, s: Secret) {
        self.secrets.borrow_mut().push(s);
    }

    pub fn max_attempts(&self) -> u32 {
        self.cfg.max_attempts
    }

    /// Sends a request, retrying what is safe to retry. `build` is called
    /// once per attempt (1-based) and must sign afresh: a new timestamp and
    /// nonce each time. `classify` reads each response; when retries run
    /// out on a retryable response, that response is returned for the
    /// backend to turn into its typed error.
    pub async fn send<B, C>(
        &self,
        idempotency: Idempotency,
        mut build: B,
        classify: C,
    ) -> Result<HttpResponse>
    where
        B: FnMut(u32) -> Result<HttpRequest>,
        C: Fn(&HttpResponse) -> Verdict,
    {
        let max = self.cfg.max_attempts.max(1);
        let started = Instant::now();
        // None: a budget too large to add to the clock, i.e. no limit.
        let deadline = started.checked_add(self.budget());
        self.exhausted.set(None);
        let mut attempt = 1;
        let mut resigned = false;
        loop {
            let req = build(attempt)?;
            refuse_userinfo(&req.url)?;
            self.log_request(&req, &format!("attempt {attempt}"));
            let outcome = match tokio::time::timeout(left(deadline), self.send_once(&req)).await {
                Ok(r) => r,
                Err(_) => Err(Failure::Deadline),
            };
            match outcome {
                Ok(resp) => {
                    self.log_response(&req, &resp);
                    let server_offset = self.observe_date(&resp);
                    let verdict = classify(&resp);
                    let retry_after = match verdict {
                        Verdict::Final => return Ok(resp),
                        Verdict::ClockSkew => {
                            // Refused at authentication: nothing was done,
                            // so even a create may go again, once.
                            let Some(offset) = server_offset.filter(|_| !resigned) else {
                                return Ok(resp);
                            };
                            resigned = true;
                            self.clock_offset.set(offset);
                            self.debug_line(&format!(
                                "* clock skew: the server's clock (Date: {}) is {offset:+} s off \
                                 this machine's; signing again with the corrected time, and with \
                                 it every later request of this run",
                                resp.header("date").unwrap_or("")
                            ));
                            attempt += 1;
                            continue;
                        }
                        Verdict::NotProcessed { after } => Some(after),
                        Verdict::MaybeProcessed { after } if idempotency == Idempotency::Safe => {
                            Some(after)
                        }
                        Verdict::MaybeProcessed { .. } => None,
                    };
                    match retry_after {
                        Some(after)
                            if attempt < max && self.pause(attempt, after, deadline).await => {}
                        Some(_) => {
                            // The answer said "try later" and no try is left.
                            self.exhausted.set(Some(Exhausted {
                                attempts: attempt,
                                elapsed: started.elapsed(),
                            }));
                            return Ok(resp);
                        }
                        None => return Ok(resp),
                    }
                }
                Err(Failure::TooLarge { status }) => {
                    // Exit 1 like any answer we cannot read, and not
                    // retried: the same request would get the same answer.
                    // Ambiguous like them too: a create is looked up.
                    return Err(Error::BadResponse {
                        message: format!(
                            "{} answered HTTP {status} with a body larger than {} MiB, which no \
                             image API sends; it was not read",
                            url_host(&req.url),
                            MAX_BODY >> 20
                        ),
                        http_status: status,
                        request_id: None,
                    });
                }
                Err(Failure::Setup(e)) => return Err(e),
                Err(Failure::Deadline) => {
                    // Whatever was sent may have been acted on, and no time
                    // is left for another attempt.
                    let what = format!(
                        "no complete answer from {} in time (a request may take connect timeout \
                         + read timeout = {:?} in all, retries included)",
                        url_host(&req.url),
                        self.budget()
                    );
                    return Err(self.network_error(what, attempt, false, idempotency));
                }
                Err(Failure::Http(e)) => {
                    // reqwest's messages name the URL, whose query may hold a signature.
                    let e = e.without_url();
                    // A connect failure means nothing reached the server.
                    let not_sent = e.is_connect();
                    let retry = not_sent || idempotency == Idempotency::Safe;
                    if !retry || attempt >= max || !self.pause(attempt, None, deadline).await {
                        let what = self.describe_failure(&req, &e, not_sent);
                        return Err(self.network_error(what, attempt, not_sent, idempotency));
                    }
                    self.debug_line(&format!(
                        "* attempt {attempt} failed: {}",
                        self.describe(&e)
                    ));
                }
            }
            attempt += 1;
        }
    }

    /// The time one request may take in all.
    fn budget(&self) -> Duration {
        self.cfg
            .connect_timeout
            .saturating_add(self.cfg.read_timeout)
    }

    async fn send_once(&self, req: &HttpRequest) -> std::result::Result<HttpResponse, Failure> {
        let method =
            reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let client = self.client_for(&req.url).map_err(Failure::Setup)?;
        let mut rb = client.request(method, &req.url);
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if !req.body.is_empty() || matches!(req.method, "POST" | "PUT" | "PATCH") {
            rb = rb.body(req.body.clone());
        }
        let mut resp = rb.send().await?;
        let status = resp.status().as_u16();
        let announced = resp.content_length().unwrap_or(0);
        if announced > MAX_BODY as u64 {
            return Err(Failure::TooLarge { status });
        }
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // Chunk by chunk into one buffer: the length announced may be
        // absent or false, so the limit holds on what actually arrives.
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = resp.chunk().await? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Failure::TooLarge { status });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    fn describe(&self, e: &reqwest::Error) -> String {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        scrub(&msg, &self.secrets.borrow())
    }

    fn describe_failure(&self, req: &HttpRequest, e: &reqwest::Error, not_sent: bool) -> String {
        let host = url_host(&req.url);
        if e.is_timeout() {
            format!(
                "no answer from {host} in time (connect timeout {:?}, read timeout {:?})",
                self.cfg.connect_timeout, self.cfg.read_timeout
            )
        } else if not_sent {
            format!("cannot connect to {host}: {}", self.describe(e))
        } else {
            format!("request to {host} failed: {}", self.describe(e))
        }
    }

    fn network_error(
        &self,
        what: String,
        attempts: u32,
        not_sent: bool,
        idempotency: Idempotency,
    ) -> Error {
        let ambiguous = if not_sent || idempotency == Idempotency::Safe {
            ""
        } else {
            "; the request may have reached the cloud, so it was not sent again"
        };
        Error::Network {
            message: format!("{what}{ambiguous}"),
            attempts,
            maybe_sent: !not_sent,
        }
    }

    /// Sleeps before the next attempt; false, without sleeping, when that
    /// attempt would start past the request's deadline.
    async fn pause(
        &self,
        attempt: u32,
        after: Option<Duration>,
        deadline: Option<Instant>,
    ) -> bool {
        let d = pause_for(
            after,
            self.cfg.backoff_base,
            self.cfg.backoff_cap,
            attempt,
            random_u64(),
        );
        if d >= left(deadline) {
            self.debug_line(&format!(
                "* not retrying: a {} ms pause would pass the request's time limit",
                d.as_millis()
            ));
            return false;
        }
        self.debug_line(&format!(
            "* retrying in {} ms (attempt {} of {})",
            d.as_millis(),
            attempt + 1,
            self.cfg.max_attempts
        ));
        tokio::time::sleep(d).await;
        true
    }

    pub fn debug_line(&self, s: &str) {
        if self.cfg.debug {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{}", scrub(s, &self.secrets.borrow()));
        }
    }

    /// `--dry-run` where the cloud has no server-side dry run: shows (with
    /// --debug, redacted like every logged request) a request that was
    /// built and signed but is never sent.
    pub fn show_unsent(&self, req: &HttpRequest) {
        self.log_request(req, "dry run: not sent");
    }

    fn log_request(&self, req: &HttpRequest, note: &str) {
        if !self.cfg.debug {
            return;
        }
        let mut out = format!("> {} {} ({note})\n", req.method, redact_url(&req.url));
        for (k, v) in &req.headers {
            out.push_str(&format!("> {k}: {}\n", redact_header(k, v)));
        }
        if !req.body.is_empty() {
            out.push_str(&format!(
                "> \n> {}\n",
                truncate(&redact_body(&String::from_utf8_lossy(&req.body)))
            ));
        }
        self.debug_line(out.trim_end());
    }

    fn log_response(&self, req: &HttpRequest, resp: &HttpResponse) {
        if !self.cfg.debug {
            return;
        }
        let mut out = format!("< {}\n", resp.status);
        for (k, v) in &resp.headers {
            out.push_str(&format!("< {k}: {}\n", redact_header(k, v)));
        }
        // A metadata service's token request (a `…-ttl-seconds` header)
        // is answered with nothing but the token.
        let token_request = req
            .headers
            .iter()
            .any(|(k, _)| k.to_ascii_lowercase().ends_with("-token-ttl-seconds"));
        let body = if token_request && (200..300).contains(&resp.status) {
            format!("<{} bytes: a token>", resp.body.len())
        } else {
            truncate(&redact_body(&resp.body_text()))
        };
        out.push_str(&format!("< \n< {body}\n"));
        self.debug_line(out.trim_end());
    }
}

/// Why one attempt brought no response back.
enum Failure {
    Http(reqwest::Error),
    /// The request's time budget ran out.
    Deadline,
    TooLarge {
        status: u16,
    },
    /// The client could not be built (no usable root certificate): nothing
    /// was sent.
    Setup(Error),
}

impl From<reqwest::Error> for Failure {
    fn from(e: reqwest::Error) -> Self {
        Failure::Http(e)
    }
}

/// A rustls configuration as reqwest would make it (ring, TLS 1.2 and 1.3,
/// ALPN h2 then http/1.1), over the given roots.
fn tls_config(roots: rustls::RootCertStore) -> Result<rustls::ClientConfig> {
    let mut c = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::config(format!("cannot set up TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    c.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(c)
}

/// Whether an http:// request may go through a proxy reached over TLS,
/// which needs the root store too.
fn https_proxy_configured() -> bool {
    ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .filter_map(std::env::var_os)
        .any(|v| {
            v.to_str()
                .and_then(|s| s.get(..8))
                .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        })
}

/// The trust anchors, read the cheapest way that keeps the user's trust
/// settings: `SSL_CERT_FILE` / `SSL_CERT_DIR` when set (exactly as the
/// platform verifier honoured them), else the system's single bundle file
/// where it has one, else the system store as the platform knows it.
mod roots {
    use super::{Error, Result};
    use std::path::Path;

    /// The bundle files distributions maintain from their certificate
    /// directory (the list openssl-probe searches, in its order).
    #[cfg(target_os = "linux")]
    const BUNDLES: &[&str] = &[
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/pki/tls/cacert.pem",
        "/etc/ssl/cert.pem",
        "/opt/etc/ssl/certs/ca-certificates.crt",
        "/etc/ssl/certs/cacert.pem",
    ];
    #[cfg(not(target_os = "linux"))]
    const BUNDLES: &[&str] = &[];

    pub fn load() -> Result<rustls::RootCertStore> {
        let from_env = std::env::var_os("SSL_CERT_FILE").is_some()
            || std::env::var_os("SSL_CERT_DIR").is_some();
        let bundle = if from_env {
            None
        } else {
            BUNDLES.iter().map(Path::new).find(|p| p.is_file())
        };
        let found = match bundle {
            Some(b) => rustls_native_certs::load_certs_from_paths(Some(b), None),
            None => rustls_native_certs::load_native_certs(),
        };
        let mut store = rustls::RootCertStore::empty();
        store.add_parsable_certificates(found.certs);
        if store.is_empty() {
            let why = found
                .errors
                .first()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            return Err(Error::config(format!(
                "no usable root certificate for HTTPS (SSL_CERT_FILE, SSL_CERT_DIR or the \
                 system store){why}"
            )));
        }
        Ok(store)
    }
}

/// What is left until `deadline` (all the time in the world without one).
fn left(deadline: Option<Instant>) -> Duration {
    deadline.map_or(Duration::MAX, |d| {
        d.saturating_duration_since(Instant::now())
    })
}

/// The longest pause a server's Retry-After may impose.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// The pause before the next attempt: the server's Retry-After (capped at
/// [`RETRY_AFTER_CAP`]) when it sent one, else the jittered backoff.
pub fn pause_for(
    after: Option<Duration>,
    base: Duration,
    cap: Duration,
    attempt: u32,
    random: u64,
) -> Duration {
    match after {
        Some(d) => d.min(RETRY_AFTER_CAP),
        None => backoff(base, cap, attempt, random),
    }
}

/// Exponential backoff with full jitter: a uniform pick in
/// [0, min(cap, base * 2^(attempt-1))].
pub fn backoff(base: Duration, cap: Duration, attempt: u32, random: u64) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let ceiling = exp.min(cap).as_millis() as u64;
    Duration::from_millis(if ceiling == 0 {
        0
    } else {
        random % (ceiling + 1)
    })
}

pub fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    // Jitter only: if the OS has no randomness, no jitter is acceptable.
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
}

/// 32 lowercase hex characters from the OS random source: nonces, tokens.
pub fn random_hex() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // Never reuse a nonce: fall back to time-derived bytes.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        b = t.to_le_bytes();
    }
    hex::encode(b)
}

fn redact_header(name: &str, value: &str) -> String {
    if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
        // Keep the scheme and key id of an Authorization header: they
        // help debugging and are not secret.
        if name.eq_ignore_ascii_case("authorization")
            && let Some(idx) = value.find("Signature=")
        {
            return format!("{}Signature=****", &value[..idx]);
        }
        return "****".into();
    }
    value.to_string()
}

/// Fields that carry credentials in the bodies of STS, metadata and
/// credential answers (XML elements, JSON keys, form parameters).
const SECRET_FIELDS: &[&str] = &[
    "SecretAccessKey",
    "SessionToken",
    "Token",
    "WebIdentityToken",
    "AccessKeySecret",
    "SecurityToken",
    "OIDCToken",
    "secret",
    "securitytoken",
    "access_key_secret",
    "sts_token",
    "accessToken",
    "secretAccessKey",
    "sessionToken",
    "password",
];

/// A body with the value of every [`SECRET_FIELDS`] field masked: keys
/// arrive in bodies before anyone could register them as secrets.
pub fn redact_body(text: &str) -> String {
    let mut out = text.to_string();
    for f in SECRET_FIELDS {
        out = mask_between(&out, &format!("<{f}>"), |rest| rest.find('<'));
        out = mask_json(&out, f);
        out = mask_form(&out, f);
    }
    out
}

/// Masks what follows each `open` up to where `end` says it stops.
fn mask_between(text: &str, open: &str, end: impl Fn(&str) -> Option<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let (head, tail) = rest.split_at(i + open.len());
        out.push_str(head);
        let stop = end(tail).unwrap_or(tail.len());
        if stop > 0 {
            out.push_str("****");
        }
        rest = &tail[stop..];
    }
    out.push_str(rest);
    out
}

fn mask_json(text: &str, field: &str) -> String {
    let key = format!("\"{field}\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&key) {
        let (head, tail) = rest.split_at(i + key.len());
        out.push_str(head);
        let after = tail.trim_start();
        let Some(after_colon) = after.strip_prefix(':') else {
            rest = tail;
            continue;
        };
        let value = after_colon.trim_start();
        let Some(inner) = value.strip_prefix('"') else {
            rest = tail;
            continue;
        };
        // Up to the closing quote, skipping escaped ones.
        let mut end = None;
        let mut escaped = false;
        for (j, c) in inner.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(j);
                    break;
                }
                _ => escaped = false,
            }
        }
        let end = end.unwrap_or(inner.len());
        out.push_str(&tail[..tail.len() - inner.len()]);
        out.push_str("****");
        rest = &inner[end..];
    }
    out.push_str(rest);
    out
}

fn mask_form(text: &str, field: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let key = format!("{field}=");
    for (n, part) in text.split('&').enumerate() {
        if n > 0 {
            out.push('&');
        }
        if part.starts_with(&key) && !part.contains(['<', '"', '\n']) {
            out.push_str(&key);
            out.push_str("****");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn redact_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=****"),
            _ => kv.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

fn truncate(s: &str) -> String {
    const MAX: usize = 4096;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..end], s.len())
}

/// `host[:port]` of a URL, for messages and for signing. Never the
/// userinfo: it may hold a password, and such URLs are refused anyway.
pub fn url_host(url: &str) -> String {
    let authority = authority(url);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, h)| h)
        .to_string()
}

fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    &rest[..end]
}

/// True when the URL names a user or password. The HTTP client would send
/// them to the host, and `http://127.0.0.1@elsewhere` reads as local while
/// it goes elsewhere: an endpoint never has one.
pub fn has_userinfo(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) => !u.username().is_empty() || u.password().is_some(),
        // Unparsable: judged on the text, erring towards "has one".
        Err(_) => authority(url).contains('@'),
    }
}

/// Refuses an endpoint URL with userinfo, without echoing it (it may hold
/// a password).
pub fn refuse_userinfo(url: &str) -> Result<()> {
    if has_userinfo(url) {
        return Err(Error::config(format!(
            "endpoint URL for {}: a user name or password in an endpoint URL is not accepted",
            url_host(url)
        )));
    }
    Ok(())
}

/// True when the URL's host is this machine: no proxy, and plain HTTP is
/// acceptable for bearer tokens. The URL is parsed as the HTTP client
/// parses it, and only an address in 127.0.0.0/8, `::1` or the name
/// `localhost` itself counts: `127.0.0.1.example.com` is someone else's.
/// Credentials (a bearer token sent, or temporary keys answered) travel
/// only over https, or plain http to this machine (tests, local proxies).
pub fn refuse_plain_http(url: &str, what: &str) -> Result<()> {
    if url.trim_start().to_ascii_lowercase().starts_with("http://") && !is_loopback_url(url) {
        return Err(Error::config(format!(
            "refusing to fetch credentials from {what} over plain HTTP ({}): use https, or a \
             loopback address for testing",
            url_host(url)
        )));
    }
    Ok(())
}

pub fn is_loopback_url(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    if !u.username().is_empty() || u.password().is_some() {
        return false;
    }
    match u.host() {
        Some(url::Host::Ipv4(a)) => IpAddr::V4(a).is_loopback(),
        Some(url::Host::Ipv6(a)) => a == std::net::Ipv6Addr::LOCALHOST,
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Unix seconds of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, the
/// form every server sends today); None for anything else.
pub fn httpdate(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), &fmt)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// Parses `Retry-After` in seconds (the HTTP form) or Alibaba's
/// `x-acs-retry-after` in milliseconds.
pub fn retry_after(resp: &HttpResponse) -> Option<Duration> {
    if let Some(ms) = resp
        .header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        && ms > 0
    {
        return Some(Duration::from_millis(ms));
    }
    resp.header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        let b = Duration::from_millis(100);
        let cap = Duration::from_secs(1);
        assert_eq!(backoff(b, cap, 1, 1000), Duration::from_millis(1000 % 101));
        for a in 1..30 {
            assert!(backoff(b, cap, a, u64::MAX) <= cap);
        }
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let b = Duration::from_millis(100);
        let cap = Duration::from_secs(1);
        // The ceiling of the pick: random = u64::MAX % (ceiling + 1).
        let top = |a| backoff(b, cap, a, u64::MAX);
        let ceiling = |ms: u64| Duration::from_millis(u64::MAX % (ms + 1));
        assert_eq!(top(1), ceiling(100));
        assert_eq!(top(2), ceiling(200));
        assert_eq!(top(3), ceiling(400));
        assert_eq!(top(5), ceiling(1000));
        assert_eq!(backoff(b, cap, 3, 399), Duration::from_millis(399));
        assert_eq!(backoff(b, cap, 3, 401), Duration::ZERO);
        assert_eq!(backoff(Duration::ZERO, cap, 3, 7), Duration::ZERO);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let (b, cap) = (Duration::from_millis(100), Duration::from_secs(1));
        assert_eq!(
            pause_for(Some(Duration::from_secs(2)), b, cap, 1, 0),
            Duration::from_secs(2)
        );
        assert_eq!(
            pause_for(Some(Duration::from_secs(59)), b, cap, 1, 0),
            Duration::from_secs(59)
        );
        assert_eq!(
            pause_for(Some(Duration::from_secs(3600)), b, cap, 1, 0),
            Duration::from_secs(60)
        );
        assert_eq!(pause_for(None, b, cap, 1, 50), Duration::from_millis(50));
        let r = |h: &[(&str, &str)]| HttpResponse {
            status: 429,
            headers: h
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        };
        assert_eq!(
            retry_after(&r(&[("Retry-After", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&r(&[("x-acs-retry-after", "1500")])),
            Some(Duration::from_millis(1500))
        );
        // The Alibaba header wins; a zero one falls back to Retry-After.
        assert_eq!(
            retry_after(&r(&[("x-acs-retry-after", "0"), ("retry-after", "4")])),
            Some(Duration::from_secs(4))
        );
        assert_eq!(retry_after(&r(&[("Retry-After", "soon")])), None);
        assert_eq!(retry_after(&r(&[])), None);
    }

    /// A 2xx that could not be read is asked again once, and only for a
    /// request that is safe to repeat.
    #[test]
    fn an_unreadable_answer_is_asked_again_once_when_safe() {
        let t = Transport::new(TransportConfig::default(), Vec::new()).expect("transport");
        let bad = Error::bad_response("cut short", 200);
        let mut tries = 0;
        assert!(t.reread(Idempotency::Safe, 200, &bad, &mut tries));
        assert_eq!(tries, 1);
        assert!(
            !t.reread(Idempotency::Safe, 200, &bad, &mut tries),
            "only once"
        );
        let mut tries = 0;
        assert!(!t.reread(Idempotency::Unsafe, 200, &bad, &mut tries));
        assert!(!t.reread(Idempotency::Safe, 502, &bad, &mut tries));
        assert!(!t.reread(Idempotency::Safe, 199, &bad, &mut tries));
        assert!(!t.reread(Idempotency::Safe, 300, &bad, &mut tries));
        assert!(!t.reread(Idempotency::Safe, 200, &Error::usage("x"), &mut tries));
        assert_eq!(tries, 0);
    }

    /// Retries that ran out turn the backend's error into "unavailable",
    /// once; any other error passes unchanged.
    #[test]
    fn finish_tells_exhausted_retries_as_unavailable() {
        let t = Transport::new(TransportConfig::default(), Vec::new()).expect("transport");
        let e = t.finish(Error::bad_response("html", 502));
        assert!(matches!(e, Error::BadResponse { .. }), "{e:?}");
        t.exhausted.set(Some(Exhausted {
            attempts: 3,
            elapsed: Duration::from_secs(2),
        }));
        let e = t.finish(Error::bad_response("html", 502));
        assert!(matches!(e, Error::Unavailable { attempts: 3, .. }), "{e:?}");
        assert_eq!(e.exit_code(), 5);
        assert!(t.exhausted().is_none(), "taken");
        t.exhausted.set(Some(Exhausted {
            attempts: 3,
            elapsed: Duration::ZERO,
        }));
        let e = t.finish(Error::usage("u"));
        assert!(matches!(e, Error::Usage(_)));
    }

    /// The server's clock is read from its Date header; without one the
    /// allowance is the wide one.
    #[test]
    fn server_time_uses_the_date_header() {
        let t = Transport::new(TransportConfig::default(), Vec::new()).expect("transport");
        let local = time::OffsetDateTime::from_unix_timestamp(1_000_000).expect("time");
        assert_eq!(t.server_time(local), (local, UNKNOWN_CLOCK_MARGIN));
        let ahead = time::OffsetDateTime::now_utc().unix_timestamp() + 1200;
        let date = time::OffsetDateTime::from_unix_timestamp(ahead)
            .expect("time")
            .format(time::macros::format_description!(
                "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
            ))
            .expect("format");
        let r = HttpResponse {
            status: 200,
            headers: vec![("Date".into(), date)],
            body: Vec::new(),
        };
        let off = t.observe_date(&r).expect("offset");
        assert!((1199..=1201).contains(&off), "{off}");
        let (server, margin) = t.server_time(local);
        assert_eq!(margin, KNOWN_CLOCK_MARGIN);
        assert!(((server - local).whole_seconds() - 1200).abs() <= 1);
        // Observing is not correcting: signing keeps this machine's clock
        // until a cloud refuses a request for its time.
        assert_eq!(t.clock_offset(), 0);
    }

    #[test]
    fn http_dates() {
        assert_eq!(httpdate("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784111777));
        assert_eq!(httpdate(" Thu, 01 Jan 1970 00:00:00 GMT "), Some(0));
        assert_eq!(httpdate("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(httpdate(""), None);
        assert_eq!(httpdate("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    }

    #[test]
    fn redaction() {
        assert_eq!(
            redact_url("http://h/?Action=X&Signature=abc%2B&SecurityToken=t"),
            "http://h/?Action=X&Signature=****&SecurityToken=****"
        );
        assert_eq!(
            redact_header(
                "Authorization",
                "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=ff"
            ),
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=****"
        );
        assert_eq!(redact_header("X-Auth-Token", "MIIxyz"), "****");
        assert_eq!(redact_header("content-type", "a"), "a");
    }

    #[test]
    fn bodies_are_redacted_by_field() {
        let xml = "<Credentials><AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>\
                   <SessionToken>tok</SessionToken></Credentials>";
        let r = redact_body(xml);
        assert!(
            r.contains("ASIA1") && !r.contains("s3cr3t") && !r.contains(">tok<"),
            "{r}"
        );
        let json = r#"{"AccessKeyId": "ASIA1", "SecretAccessKey" : "s\"x", "Token":"t0k", "Code":"Success"}"#;
        let r = redact_body(json);
        assert!(
            r.contains("ASIA1") && !r.contains("s\\\"x") && !r.contains("t0k"),
            "{r}"
        );
        assert!(r.contains("Success"), "{r}");
        let form = "Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJ.a.b&RoleArn=arn";
        let r = redact_body(form);
        assert_eq!(
            r,
            "Action=AssumeRoleWithWebIdentity&WebIdentityToken=****&RoleArn=arn"
        );
    }

    #[test]
    fn credentials_only_over_https_or_loopback() {
        assert!(refuse_plain_http("https://sts.example.com/", "STS").is_ok());
        assert!(refuse_plain_http("http://127.0.0.1:5000/", "STS").is_ok());
        assert!(refuse_plain_http("http://[::1]:5000/", "STS").is_ok());
        assert!(refuse_plain_http("http://sts.example.com/", "STS").is_err());
        assert!(refuse_plain_http("HTTP://10.0.0.1/", "STS").is_err());
    }

    #[test]
    fn loopback() {
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://127.9.8.7/"));
        assert!(is_loopback_url("http://localhost/"));
        assert!(is_loopback_url("http://LOCALHOST:80/"));
        assert!(is_loopback_url("http://[::1]:9/"));
        assert!(!is_loopback_url("https://ecs.aliyuncs.com/"));
        assert_eq!(url_host("https://a.b:44/x?y"), "a.b:44");
    }

    /// Hosts that read as local but are not, or that carry userinfo.
    #[test]
    fn loopback_is_decided_on_the_parsed_host() {
        for u in [
            "http://127.0.0.1.attacker.example",
            "http://127.0.0.1.attacker.example:8080/v3",
            "http://127.0.0.1@attacker.example",
            "http://localhost:80@attacker.example",
            "http://localhost.attacker.example/",
            "http://user:pw@127.0.0.1:8080/",
            "http://[::2]/",
            "http://[::ffff:8.8.8.8]/",
            "http://128.0.0.1/",
            "not a url",
            "",
        ] {
            assert!(!is_loopback_url(u), "{u}");
        }
        assert!(has_userinfo("http://127.0.0.1@attacker.example"));
        assert!(has_userinfo("http://localhost:80@attacker.example"));
        assert!(has_userinfo("https://alice:pw@iam.example.com/v3"));
        assert!(!has_userinfo("https://iam.example.com/v3?x=a@b"));
        assert!(!has_userinfo("http://127.0.0.1:8080"));
        // Messages never show a password from the URL.
        assert_eq!(
            url_host("https://alice:pw@iam.example.com/v3"),
            "iam.example.com"
        );
        let e = refuse_userinfo("https://alice:pw@iam.example.com/v3").expect_err("refused");
        assert!(!e.to_string().contains("pw"), "{e}");
    }

    #[test]
    fn debug_of_a_request_or_response_shows_no_secret() {
        let secret = "S3CR3T-value";
        let req = HttpRequest {
            method: "POST",
            url: format!("https://h/?Action=X&Signature={secret}"),
            headers: [
                "Authorization",
                "X-Auth-Token",
                "x-security-token",
                "x-acs-security-token",
                "X-Amz-Security-Token",
                "Cookie",
                "Proxy-Authorization",
            ]
            .iter()
            .map(|h| (h.to_string(), format!("Bearer {secret}")))
            .chain([("content-type".to_string(), "application/json".to_string())])
            .collect(),
            body: format!(r#"{{"password":"{secret}"}}"#).into_bytes(),
        };
        let shown = format!("{req:?} {req:#?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("application/json") && shown.contains("Action=X"));
        assert!(
            shown.contains(&format!("<{} bytes>", req.body.len())),
            "{shown}"
        );
        let resp = HttpResponse {
            status: 201,
            headers: vec![("X-Subject-Token".into(), secret.into())],
            body: secret.as_bytes().to_vec(),
        };
        let shown = format!("{resp:?}");
        assert!(!shown.contains(secret), "{shown}");
    }
}
