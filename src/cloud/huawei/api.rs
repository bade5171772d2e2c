//! One Huawei Cloud REST client for IMS (and the IAM calls it needs): builds
//! each request, authenticates it with an IAM token or an AK/SK signature
//! made afresh on every attempt, sends it through the shared transport and
//! turns the answer into JSON or a typed error.

use std::path::Path;

use serde_json::Value;
use time::OffsetDateTime;

use super::auth::{self, CachedToken, Credentials, Token};
use super::errors;
use crate::cache::DiskCache;
use crate::config::{KeyPair, Settings};
use crate::error::{Error, Result};
use crate::sign::{huawei as signer, percent_encode};
use crate::transport::{
    HttpRequest, HttpResponse, Idempotency, Transport, Verdict, is_loopback_url, retry_after,
    url_host,
};

const JSON: &str = "application/json;charset=utf-8";
const DEFAULT_IAM: &str = "https://iam.myhuaweicloud.com";
/// Stands in for the token in a dry run, which fetches none.
const DRY_RUN_TOKEN: &str = "(not fetched: dry run)";

/// Which service a request goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Ims,
    Iam,
}

/// One REST call, before authentication.
pub struct Call {
    pub method: &'static str,
    pub service: Service,
    /// Already percent-encoded per segment (see [`segment`]).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub idempotency: Idempotency,
    /// Whether X-Project-Id goes with an AK/SK signature (not for the IAM
    /// project look-up itself).
    pub project_scoped: bool,
}

impl Call {
    pub fn ims(method: &'static str, path: String) -> Call {
        Call {
            method,
            service: Service::Ims,
            path,
            query: Vec::new(),
            body: None,
            idempotency: Idempotency::Safe,
            project_scoped: true,
        }
    }

    pub fn query(mut self, k: &str, v: &str) -> Call {
        self.query.push((k.to_string(), v.to_string()));
        self
    }

    pub fn json(mut self, body: &Value) -> Call {
        self.body = Some(serde_json::to_vec(body).unwrap_or_default());
        self
    }

    pub fn unsafe_to_repeat(mut self) -> Call {
        self.idempotency = Idempotency::Unsafe;
        self
    }
}

/// A path segment from user input (an image or job id), encoded so it can
/// never change the path's shape.
pub fn segment(s: &str) -> String {
    percent_encode(s)
}

/// A 2xx answer.
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
}

pub struct Client {
    pub transport: Transport,
    pub region: String,
    ims: String,
    iam: String,
    creds: Credentials,
    cache: Option<DiskCache>,
    token: Option<Token>,
    project_id: Option<String>,
}

impl Client {
    pub fn new(
        settings: &Settings,
        transport: Transport,
        cache_dir: Option<std::path::PathBuf>,
    ) -> Result<Client> {
        let region = settings.require_region()?.to_string();
        let creds = Credentials::from_settings(settings, cache_dir.clone())?;
        let ims = match &settings.endpoint_url {
            Some(e) => base_url(&e.value, "--endpoint-url")?,
            None => format!("https://ims.{region}.myhuaweicloud.com"),
        };
        let iam = match &settings.iam_endpoint_url {
            Some(e) => {
                let b = base_url(&e.value, "--iam-endpoint-url")?;
                // Packer's HW_AUTH_URL style names the API version too.
                b.strip_suffix("/v3").map(str::to_string).unwrap_or(b)
            }
            None => DEFAULT_IAM.to_string(),
        };
        if let Credentials::Token { password, .. } = &creds {
            // The token is a bearer credential and the password goes to IAM.
            for (url, flag) in [(&iam, "--iam-endpoint-url"), (&ims, "--endpoint-url")] {
                if url.starts_with("http://") && !is_loopback_url(url) {
                    return Err(Error::config(format!(
                        "refusing to send an IAM password or token over plain HTTP to {} \
                         ({flag}): use https, or a loopback address for testing",
                        url_host(url)
                    )));
                }
            }
            // JSON escaping changes how a password with quotes or
            // backslashes appears in a logged body: scrub that form too.
            let escaped = serde_json::to_string(password.expose()).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            if escaped != password.expose() {
                transport.add_secret(crate::secret::Secret::new(escaped));
            }
        }
        Ok(Client {
            transport,
            region,
            ims,
            iam,
            creds,
            cache: if settings.no_cache {
                None
            } else {
                DiskCache::new(cache_dir.clone())
            },
            token: None,
            project_id: settings.project_id.as_ref().map(|p| p.value.clone()),
        })
    }

    /// Sends a call and returns its 2xx answer; any other answer becomes
    /// a typed error. A 401 on a token obtained before this call (from the
    /// cache, or earlier in a long wait) gets one fresh token and one more
    /// try: a 401 means the request was not processed.
    pub async fn send(&mut self, call: &Call) -> Result<Reply> {
        let mut refreshed = false;
        let mut rereads = 0;
        loop {
            let fetched_now = self.ensure_auth(call).await?;
            let resp = self.send_authenticated(call).await?;
            if (200..300).contains(&resp.status)
                && let Err(e) = into_reply(resp.clone())
                && self
                    .transport
                    .reread(call.idempotency, resp.status, &e, &mut rereads)
            {
                continue;
            }
            if resp.status == 401
                && !refreshed
                && !fetched_now
                && matches!(self.creds, Credentials::Token { .. })
            {
                self.forget_token();
                refreshed = true;
                continue;
            }
            return into_reply(resp).map_err(|e| self.transport.finish(e));
        }
    }

    /// `--dry-run`: builds and signs the request, shows it with --debug
    /// through the redacting log, and sends nothing that acts. A token is
    /// not fetched (a placeholder stands in); with AK/SK, a project id not
    /// configured or cached is looked up (a read), so the signature shown
    /// is the one that would be sent.
    pub async fn show(&mut self, call: &Call) -> Result<()> {
        if matches!(self.creds, Credentials::Aksk(_)) && call.project_scoped {
            self.project_id().await?;
        }
        let keys = self.aksk_keys().await?;
        let req = self.build(call, OffsetDateTime::now_utc(), keys.as_ref())?;
        self.transport.show_unsent(&req);
        Ok(())
    }

    /// The project id: from the token in token mode; configured, cached or
    /// looked up once with AK/SK.
    pub async fn project_id(&mut self) -> Result<String> {
        if let Credentials::Token { .. } = self.creds {
            self.ensure_token().await?;
            return Ok(self
                .token
                .as_ref()
                .map(|t| t.project_id.clone())
                .unwrap_or_default());
        }
        if let Some(p) = &self.project_id {
            return Ok(p.clone());
        }
        let key = self.project_cache_key().await?;
        let path = self.cache.as_ref().map(|c| {
            c.entry(
                "project",
                &key.iter().map(String::as_str).collect::<Vec<_>>(),
            )
        });
        if let Some(id) = self.cached_project(path.as_deref()) {
            self.project_id = Some(id.clone());
            return Ok(id);
        }
        // One look-up for N runs that start together: the first fetches,
        // the others wait for its entry.
        let distrusted = self.distrusted(path.as_deref());
        let _lock = (!distrusted).then(|| self.lock(path.as_deref()));
        if !distrusted && let Some(id) = self.cached_project(path.as_deref()) {
            self.project_id = Some(id.clone());
            return Ok(id);
        }
        let region = self.region.clone();
        let call = Call {
            method: "GET",
            service: Service::Iam,
            path: "/v3/projects".into(),
            query: vec![("name".into(), region.clone())],
            body: None,
            idempotency: Idempotency::Safe,
            project_scoped: false,
        };
        let resp = self.send_authenticated(&call).await?;
        if resp.status == 404 {
            // Not "image not found" for the caller: the look-up itself failed.
            return Err(Error::config(format!(
                "cannot look up the project id: {} answered 404 for /v3/projects; check \
                 --iam-endpoint-url or set HUAWEICLOUD_SDK_PROJECT_ID",
                url_host(&self.iam)
            )));
        }
        if !(200..300).contains(&resp.status) {
            return Err(self.transport.finish(errors::to_error(&resp)));
        }
        let id = auth::parse_projects(&resp.body, &region)?;
        self.store(path.as_deref(), &serde_json::json!({"project_id": id}));
        self.project_id = Some(id.clone());
        Ok(id)
    }

    async fn project_cache_key(&self) -> Result<Vec<String>> {
        let ak = self
            .aksk_keys()
            .await?
            .map(|k| k.access_key_id)
            .unwrap_or_default();
        Ok(vec![self.iam.clone(), ak, self.region.clone()])
    }

    /// Makes sure the call can be authenticated. Returns true when a token
    /// was fetched from IAM just now.
    async fn ensure_auth(&mut self, call: &Call) -> Result<bool> {
        match self.creds {
            Credentials::Token { .. } => self.ensure_token().await,
            Credentials::Aksk(_) => {
                if call.project_scoped {
                    self.project_id().await?;
                }
                Ok(false)
            }
        }
    }

    fn token_cache_path(&self) -> Option<std::path::PathBuf> {
        let Credentials::Token { user, domain, .. } = &self.creds else {
            return None;
        };
        let c = self.cache.as_ref()?;
        let project = self.project_id.as_deref().unwrap_or_default();
        Some(c.entry("token", &[&self.iam, domain, user, &self.region, project]))
    }

    async fn ensure_token(&mut self) -> Result<bool> {
        let now = OffsetDateTime::now_utc();
        if self.token.as_ref().is_some_and(|t| t.usable_at(now)) {
            return Ok(false);
        }
        let path = self.token_cache_path();
        if let Some(t) = self
            .cached::<CachedToken>(path.as_deref())
            .and_then(Token::from_cached)
            && t.usable_at(now)
        {
            self.transport.add_secret(t.value.clone());
            self.token = Some(t);
            return Ok(false);
        }
        // One token for N runs that start together with an empty cache:
        // the first fetches, the others wait for its entry and reuse it.
        // An entry that was not trusted is not read again: taking the lock
        // makes our directory private, which must not launder what an
        // open directory held.
        let distrusted = self.distrusted(path.as_deref());
        let _lock = (!distrusted).then(|| self.lock(path.as_deref()));
        if !distrusted
            && let Some(t) = self
                .cached::<CachedToken>(path.as_deref())
                .and_then(Token::from_cached)
            && t.usable_at(OffsetDateTime::now_utc())
        {
            self.transport.add_secret(t.value.clone());
            self.token = Some(t);
            return Ok(false);
        }
        let token = self.fetch_token().await?;
        self.transport.add_secret(token.value.clone());
        self.store(path.as_deref(), &token.to_cached());
        self.token = Some(token);
        Ok(true)
    }

    /// A cache entry, if there is one imgctl can trust; why one was not
    /// trusted goes to the --debug log (the cache is only an optimisation).
    fn cached<T: serde::de::DeserializeOwned>(&self, path: Option<&Path>) -> Option<T> {
        let (c, p) = (self.cache.as_ref()?, path?);
        match c.read(p) {
            Ok(v) => v,
            Err(why) => {
                self.transport
                    .debug_line(&format!("* ignoring the cache entry: {why}"));
                None
            }
        }
    }

    /// True when the entry (or its directory) is there but may not be
    /// trusted (see `DiskCache::read`).
    fn distrusted(&self, path: Option<&Path>) -> bool {
        match (&self.cache, path) {
            (Some(c), Some(p)) => c.read::<serde::de::IgnoredAny>(p).is_err(),
            _ => false,
        }
    }

    fn cached_project(&self, path: Option<&Path>) -> Option<String> {
        let v = self.cached::<Value>(path)?;
        v["project_id"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// The lock of a cache entry while it is fetched (see `DiskCache::lock`).
    fn lock(&self, path: Option<&Path>) -> Option<crate::cache::Lock> {
        let (c, p) = (self.cache.as_ref()?, path?);
        let lock = c.lock(p, crate::cache::LOCK_WAIT);
        if lock.is_none() {
            self.transport
                .debug_line("* could not take the cache lock in time: fetching on our own");
        }
        lock
    }

    fn store<T: serde::Serialize>(&self, path: Option<&Path>, value: &T) {
        if let (Some(c), Some(p)) = (&self.cache, path)
            && let Err(e) = c.write(p, value)
        {
            self.transport
                .debug_line(&format!("* not caching in {}: {e}", p.display()));
        }
    }

    fn forget_token(&mut self) {
        self.token = None;
        if let (Some(c), Some(p)) = (&self.cache, self.token_cache_path()) {
            c.remove(&p);
        }
    }

    async fn fetch_token(&mut self) -> Result<Token> {
        let Credentials::Token {
            user,
            password,
            domain,
        } = &self.creds
        else {
            return Err(Error::config("no IAM user and password for token mode"));
        };
        let body = auth::token_request_body(
            user,
            password,
            domain,
            &self.region,
            self.project_id.as_deref(),
        );
        let url = format!("{}/v3/auth/tokens?nocatalog=true", self.iam);
        let resp = self
            .transport
            .send(
                Idempotency::Safe,
                |_| {
                    Ok(HttpRequest {
                        method: "POST",
                        url: url.clone(),
                        headers: vec![("Content-Type".into(), JSON.into())],
                        body: body.clone(),
                    })
                },
                classify,
            )
            .await?;
        if !(200..300).contains(&resp.status) {
            return Err(self.transport.finish(errors::to_error(&resp)));
        }
        auth::parse_token_response(&resp)
    }

    /// The AK/SK to sign with now (refreshed when fetched ones near their
    /// expiry); none in token mode.
    async fn aksk_keys(&self) -> Result<Option<KeyPair>> {
        match &self.creds {
            Credentials::Aksk(h) => Ok(Some(h.keys(&self.transport).await?)),
            Credentials::Token { .. } => Ok(None),
        }
    }

    async fn send_authenticated(&self, call: &Call) -> Result<HttpResponse> {
        let keys = self.aksk_keys().await?;
        self.transport
            .send(
                call.idempotency,
                |_| self.build(call, self.transport.now(), keys.as_ref()),
                classify,
            )
            .await
    }

    /// The request for one attempt, authenticated at `now`.
    fn build(
        &self,
        call: &Call,
        now: OffsetDateTime,
        keys: Option<&KeyPair>,
    ) -> Result<HttpRequest> {
        let base = match call.service {
            Service::Ims => &self.ims,
            Service::Iam => &self.iam,
        };
        let body = call.body.clone().unwrap_or_default();
        let mut headers: Vec<(String, String)> = Vec::new();
        if call.body.is_some() {
            headers.push(("Content-Type".into(), JSON.into()));
        }
        let (query, extra) = match &self.creds {
            Credentials::Token { .. } => {
                let token = self
                    .token
                    .as_ref()
                    .map_or(DRY_RUN_TOKEN, |t| t.value.expose());
                headers.push(("X-Auth-Token".into(), token.into()));
                (signer::canonical_query(&call.query), Vec::new())
            }
            Credentials::Aksk(_) => {
                let k = keys.ok_or_else(|| Error::config("no AK/SK to sign with"))?;
                if call.project_scoped
                    && let Some(p) = &self.project_id
                {
                    headers.push(("X-Project-Id".into(), p.clone()));
                }
                // Added before signing: the token is a signed header.
                if let Some(t) = &k.session_token {
                    headers.push(("X-Security-Token".into(), t.expose().into()));
                }
                let host = signing_host(base);
                let full_path = format!("{}{}", path_of(base), call.path);
                let signed = signer::sign(
                    &signer::HwRequest {
                        method: call.method,
                        host: &host,
                        path: &full_path,
                        query: &call.query,
                        headers: &headers,
                        body: &body,
                    },
                    &k.access_key_id,
                    k.secret.expose(),
                    &sdk_date(now),
                );
                (signed.query, signed.headers)
            }
        };
        for (k, v) in extra {
            headers.retain(|(h, _)| !h.eq_ignore_ascii_case(&k));
            headers.push((k, v));
        }
        let mut url = format!("{base}{}", call.path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        Ok(HttpRequest {
            method: call.method,
            url,
            headers,
            body,
        })
    }
}

pub(crate) fn into_reply(resp: HttpResponse) -> Result<Reply> {
    if !(200..300).contains(&resp.status) {
        return Err(errors::to_error(&resp));
    }
    let request_id = errors::request_id(&resp);
    let body = if resp.body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        serde_json::from_slice(&resp.body).map_err(|e| Error::BadResponse {
            message: format!(
                "the answer is not JSON ({e}): {}",
                errors::excerpt(&resp.body)
            ),
            http_status: resp.status,
            request_id: request_id.clone(),
        })?
    };
    Ok(Reply {
        status: resp.status,
        body,
        request_id,
    })
}

/// Throttling and IMS flow control were not processed: send again.
/// Other 5xx may have acted: only reads are sent again.
pub(crate) fn classify(resp: &HttpResponse) -> Verdict {
    if errors::is_clock_skew(resp) {
        Verdict::ClockSkew
    } else if errors::is_retryable(resp) {
        Verdict::NotProcessed {
            after: retry_after(resp),
        }
    } else if resp.status >= 500 {
        Verdict::MaybeProcessed {
            after: retry_after(resp),
        }
    } else {
        Verdict::Final
    }
}

/// `X-Sdk-Date`, e.g. `20240101T000000Z`.
fn sdk_date(now: OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    now.format(fmt).unwrap_or_default()
}

/// An endpoint as given, checked and without a trailing slash.
fn base_url(url: &str, flag: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    crate::transport::refuse_userinfo(u)?;
    let ok = (u.starts_with("https://") || u.starts_with("http://"))
        && !url_host(u).is_empty()
        && !u.contains(['?', '#']);
    if !ok {
        return Err(Error::config(format!(
            "invalid {flag} '{url}': expected http(s)://HOST[:PORT][/PATH]"
        )));
    }
    Ok(u.to_string())
}

/// The path part of a base URL ("" for none).
fn path_of(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.find('/').map_or("", |i| &rest[i..])
}

/// The Host header the HTTP client will send: the URL's host with its port,
/// unless that port is the scheme's default.
fn signing_host(base: &str) -> String {
    let host = url_host(base);
    let default = if base.starts_with("https://") {
        ":443"
    } else {
        ":80"
    };
    host.strip_suffix(default)
        .map_or(host.clone(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn verdicts() {
        // A bare 429 and IMS flow control were not processed.
        assert_eq!(
            classify(&resp(429, "")),
            Verdict::NotProcessed { after: None }
        );
        assert_eq!(
            classify(&resp(
                400,
                r#"{"error":{"code":"IMG.0060","message":"flow control"}}"#
            )),
            Verdict::NotProcessed { after: None }
        );
        // Any 5xx may have acted, whatever its body.
        for (status, body) in [
            (500, r#"{"error_code":"IMG.0999","error_msg":"x"}"#),
            (502, "<html>Bad Gateway</html>"),
            (
                503,
                r#"{"error_code":"APIGW.0202","error_msg":"Backend unavailable"}"#,
            ),
            (504, ""),
        ] {
            assert_eq!(
                classify(&resp(status, body)),
                Verdict::MaybeProcessed { after: None },
                "{status}"
            );
        }
        assert_eq!(classify(&resp(200, "{}")), Verdict::Final);
        assert_eq!(classify(&resp(404, "")), Verdict::Final);
        assert_eq!(
            classify(&resp(
                401,
                r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: signature expired"}"#
            )),
            Verdict::ClockSkew
        );
        assert_eq!(
            classify(&resp(
                401,
                r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}"#
            )),
            Verdict::Final
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            base_url("https://ims.x.com/", "f").unwrap(),
            "https://ims.x.com"
        );
        assert!(base_url("ims.x.com", "f").is_err());
        assert!(base_url("https://x?y", "f").is_err());
        assert_eq!(path_of("http://127.0.0.1:9/prefix"), "/prefix");
        assert_eq!(path_of("http://127.0.0.1:9"), "");
        assert_eq!(signing_host("https://ims.x.com:443"), "ims.x.com");
        assert_eq!(signing_host("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(segment("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn sdk_date_format() {
        let t = OffsetDateTime::from_unix_timestamp(1704067200).unwrap();
        assert_eq!(sdk_date(t), "20240101T000000Z");
    }
}
