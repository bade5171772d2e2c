//! The one HTTP transport every backend uses: one reqwest client, timeouts,
//! user agent, proxy from the environment, a signing hook that runs on every
//! attempt, retries of what is safe to retry, and a redacting debug log.

use std::cell::RefCell;
use std::io::Write;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::secret::{Secret, scrub};

pub const USER_AGENT: &str = concat!("imgctl/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
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
}

#[derive(Debug, Clone)]
pub struct TransportConfig {
    pub connect_timeout: Duration,
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
    client: reqwest::Client,
    cfg: TransportConfig,
    /// Every secret known to this run, scrubbed from the debug log; grows
    /// when a token is obtained at run time.
    secrets: RefCell<Vec<Secret>>,
}

/// Header names whose values are credentials: never logged.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-auth-token",
    "x-subject-token",
    "x-security-token",
    "x-acs-security-token",
    "x-amz-security-token",
];

/// Query parameter names whose values are credentials or signatures.
const SECRET_PARAMS: &[&str] = &[
    "Signature",
    "SecurityToken",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

impl Transport {
    pub fn new(cfg: TransportConfig, secrets: Vec<Secret>) -> Result<Self> {
        // reqwest is built without a default crypto provider (ring instead
        // of aws-lc: half the build time); install ours once.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(cfg.connect_timeout)
            .read_timeout(cfg.read_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if cfg.loopback {
            b = b.no_proxy();
        }
        let client = b
            .build()
            .map_err(|e| Error::config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Transport {
            client,
            cfg,
            secrets: RefCell::new(secrets),
        })
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
        let mut attempt = 1;
        loop {
            let req = build(attempt)?;
            self.log_request(&req, &format!("attempt {attempt}"));
            match self.send_once(&req).await {
                Ok(resp) => {
                    self.log_response(&resp);
                    let verdict = classify(&resp);
                    let retry_after = match verdict {
                        Verdict::Final => return Ok(resp),
                        Verdict::NotProcessed { after } => Some(after),
                        Verdict::MaybeProcessed { after } if idempotency == Idempotency::Safe => {
                            Some(after)
                        }
                        Verdict::MaybeProcessed { .. } => None,
                    };
                    match retry_after {
                        Some(after) if attempt < max => {
                            self.pause(attempt, after).await;
                        }
                        _ => return Ok(resp),
                    }
                }
                Err(e) => {
                    // reqwest's messages name the URL, whose query may hold a signature.
                    let e = e.without_url();
                    // A connect failure means nothing reached the server.
                    let not_sent = e.is_connect();
                    let retry = not_sent || idempotency == Idempotency::Safe;
                    if !retry || attempt >= max {
                        return Err(self.network_error(&req, &e, attempt, not_sent, idempotency));
                    }
                    self.debug_line(&format!(
                        "* attempt {attempt} failed: {}",
                        self.describe(&e)
                    ));
                    self.pause(attempt, None).await;
                }
            }
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        req: &HttpRequest,
    ) -> std::result::Result<HttpResponse, reqwest::Error> {
        let method =
            reqwest::Method::from_bytes(req.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut rb = self.client.request(method, &req.url);
        for (k, v) in &req.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if !req.body.is_empty() || matches!(req.method, "POST" | "PUT" | "PATCH") {
            rb = rb.body(req.body.clone());
        }
        let resp = rb.send().await?;
        let status = resp.status().as_u16();
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
        let body = resp.bytes().await?.to_vec();
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

    fn network_error(
        &self,
        req: &HttpRequest,
        e: &reqwest::Error,
        attempts: u32,
        not_sent: bool,
        idempotency: Idempotency,
    ) -> Error {
        let host = url_host(&req.url);
        let what = if e.is_timeout() {
            format!(
                "no answer from {host} in time (connect timeout {:?}, read timeout {:?})",
                self.cfg.connect_timeout, self.cfg.read_timeout
            )
        } else if not_sent {
            format!("cannot connect to {host}: {}", self.describe(e))
        } else {
            format!("request to {host} failed: {}", self.describe(e))
        };
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

    async fn pause(&self, attempt: u32, after: Option<Duration>) {
        let d = match after {
            Some(d) => d.min(Duration::from_secs(60)),
            None => backoff(
                self.cfg.backoff_base,
                self.cfg.backoff_cap,
                attempt,
                random_u64(),
            ),
        };
        self.debug_line(&format!(
            "* retrying in {} ms (attempt {} of {})",
            d.as_millis(),
            attempt + 1,
            self.cfg.max_attempts
        ));
        tokio::time::sleep(d).await;
    }

    fn debug_line(&self, s: &str) {
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
                truncate(&String::from_utf8_lossy(&req.body))
            ));
        }
        self.debug_line(out.trim_end());
    }

    fn log_response(&self, resp: &HttpResponse) {
        if !self.cfg.debug {
            return;
        }
        let mut out = format!("< {}\n", resp.status);
        for (k, v) in &resp.headers {
            out.push_str(&format!("< {k}: {}\n", redact_header(k, v)));
        }
        out.push_str(&format!("< \n< {}\n", truncate(&resp.body_text())));
        self.debug_line(out.trim_end());
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

/// `host[:port]` of a URL, for messages and for signing.
pub fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// True when the URL's host is this machine: no proxy, and plain HTTP is
/// acceptable for bearer tokens.
pub fn is_loopback_url(url: &str) -> bool {
    let hostport = url_host(url);
    let host = if let Some(rest) = hostport.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        hostport
            .rsplit_once(':')
            .map(|(h, _)| h)
            .unwrap_or(&hostport)
    };
    host == "localhost" || host == "::1" || host.starts_with("127.")
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
    fn loopback() {
        assert!(is_loopback_url("http://127.0.0.1:8080/x"));
        assert!(is_loopback_url("http://localhost/"));
        assert!(is_loopback_url("http://[::1]:9/"));
        assert!(!is_loopback_url("https://ecs.aliyuncs.com/"));
        assert_eq!(url_host("https://a.b:44/x?y"), "a.b:44");
    }
}
