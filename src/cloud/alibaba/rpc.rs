//! One Alibaba Cloud RPC call: API parameters in, a request signed afresh
//! on every attempt (V3 by default, V1 on request), the answer read back
//! as JSON or as a typed [`ProviderError`].
//!
//! Wire shape (as the official ENS and ECS clients send it, ref §2-§4):
//! POST to `/`, every parameter in the query, empty body.

use serde_json::Value;
use time::OffsetDateTime;
use time::macros::format_description;

use super::error_codes;
use crate::backend::Ctx;
use crate::config::{KeyPair, SignatureVersion};
use crate::error::{Error, ErrorKind, ProviderError, Result};
use crate::provider::Provider;
use crate::refresh::Handle;
use crate::sign::alibaba::{AcsCredentials, sign_v1, sign_v3};
use crate::transport::{self, HttpRequest, HttpResponse, Idempotency, Verdict};

/// One Alibaba product API.
#[derive(Debug, Clone)]
pub struct Api {
    pub provider: Provider,
    pub version: &'static str,
    /// `scheme://host[:port]`, no trailing slash.
    pub endpoint: String,
}

impl Api {
    /// `endpoint_url` wins (a bare host means https); otherwise `default_host`.
    pub fn new(
        provider: Provider,
        version: &'static str,
        endpoint_url: Option<&str>,
        default_host: &str,
    ) -> Result<Api> {
        let endpoint = match endpoint_url {
            Some(u) => normalize_endpoint(u)?,
            None => format!("https://{default_host}"),
        };
        Ok(Api {
            provider,
            version,
            endpoint,
        })
    }
}

/// RPC signs the path `/`: an endpoint with another path could never
/// verify, so it is refused here rather than by the cloud.
fn normalize_endpoint(u: &str) -> Result<String> {
    let u = u.trim();
    let with_scheme = if u.contains("://") {
        u.to_string()
    } else {
        format!("https://{u}")
    };
    transport::refuse_userinfo(&with_scheme)?;
    let (scheme, rest) = with_scheme.split_once("://").unwrap_or(("https", u));
    if !matches!(scheme, "http" | "https") {
        return Err(Error::config(format!(
            "endpoint URL '{u}': the scheme must be http or https"
        )));
    }
    let host = transport::url_host(&with_scheme);
    let path = &rest[host.len()..];
    if host.is_empty() || !(path.is_empty() || path == "/") {
        return Err(Error::config(format!(
            "endpoint URL '{u}': expected scheme://host[:port] (Alibaba RPC APIs live at the path /)"
        )));
    }
    // The HTTP client drops a default port from the Host header it sends;
    // the signed host must be that same string.
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = host.strip_suffix(default_port).unwrap_or(&host);
    Ok(format!("{scheme}://{host}"))
}

/// API parameters in the order given; the signers sort them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    pub fn put(&mut self, k: impl Into<String>, v: impl Into<String>) -> &mut Self {
        self.0.push((k.into(), v.into()));
        self
    }

    pub fn opt(&mut self, k: &str, v: Option<&String>) -> &mut Self {
        if let Some(v) = v {
            self.put(k, v.as_str());
        }
        self
    }

    /// Booleans travel as lowercase `true` (what the Go SDK, the aliyun CLI
    /// and Terraform send); a false flag is simply not sent: the API's
    /// default is false everywhere we use this.
    pub fn flag(&mut self, k: &str, on: bool) -> &mut Self {
        if on {
            self.put(k, "true");
        }
        self
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }
}

/// A successful (or dry-run-approved) answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Value,
    pub request_id: Option<String>,
    /// The cloud answered `DryRunOperation`: the request would have succeeded.
    pub dry_run: bool,
}

impl Answer {
    pub fn str(&self, key: &str) -> Option<String> {
        super::text(&self.body, key)
    }
}

/// `2023-10-26T10:22:32Z`: UTC, whole seconds, as both signatures want.
pub fn timestamp(now: OffsetDateTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .unwrap_or_default()
}

/// The signed request for one attempt. Pure: the clock and the nonce are
/// arguments.
pub fn build_request(
    api: &Api,
    keys: &KeyPair,
    version: SignatureVersion,
    action: &str,
    params: &Params,
    now: OffsetDateTime,
    nonce: &str,
) -> HttpRequest {
    let creds = AcsCredentials {
        access_key_id: &keys.access_key_id,
        access_key_secret: keys.secret.expose(),
        security_token: keys.session_token.as_ref().map(|t| t.expose()),
    };
    let ts = timestamp(now);
    match version {
        SignatureVersion::V3 => {
            let host = transport::url_host(&api.endpoint);
            let signed = sign_v3(
                "POST",
                &host,
                action,
                api.version,
                &params.0,
                b"",
                None,
                &creds,
                &ts,
                nonce,
            );
            let url = if signed.query.is_empty() {
                format!("{}/", api.endpoint)
            } else {
                format!("{}/?{}", api.endpoint, signed.query)
            };
            HttpRequest {
                method: "POST",
                url,
                headers: signed.headers,
                body: Vec::new(),
            }
        }
        SignatureVersion::V1 => {
            let query = sign_v1("POST", action, api.version, &params.0, &creds, &ts, nonce);
            HttpRequest {
                method: "POST",
                url: format!("{}/?{query}", api.endpoint),
                headers: Vec::new(),
                body: Vec::new(),
            }
        }
    }
}

/// Signs with the current clock and a fresh nonce.
pub fn fresh_request(
    ctx: &Ctx,
    api: &Api,
    keys: &KeyPair,
    action: &str,
    params: &Params,
) -> Result<HttpRequest> {
    Ok(build_request(
        api,
        keys,
        ctx.settings.signature_version.value,
        action,
        params,
        ctx.transport.now(),
        &transport::random_hex(),
    ))
}

/// Sends one call through the shared transport (retrying only what the
/// cloud did not process, or anything when `idempotency` is Safe) and reads
/// the answer.
pub async fn call(
    ctx: &Ctx,
    api: &Api,
    creds: &Handle,
    action: &str,
    params: &Params,
    idempotency: Idempotency,
) -> Result<Answer> {
    // Checked (and refreshed) before every call, outside the retry loop.
    let keys = creds.keys(&ctx.transport).await?;
    let mut rereads = 0;
    let (resp, a) = loop {
        let resp = ctx
            .transport
            .send(
                idempotency,
                |_attempt| fresh_request(ctx, api, &keys, action, params),
                classify,
            )
            .await?;
        match parse(api.provider, &resp) {
            Ok(a) => break (resp, a),
            Err(e)
                if ctx
                    .transport
                    .reread(idempotency, resp.status, &e, &mut rereads) => {}
            Err(e) => return Err(ctx.transport.finish(e)),
        }
    };
    // Only a dry run that was asked for may pass for one: otherwise the
    // request was real and "would have succeeded" says nothing of its fate.
    if a.dry_run && !ctx.dry_run {
        return Err(Error::BadResponse {
            message: format!(
                "{} {action}: the cloud answered as to a dry run (DryRunOperation), but none was \
                 asked for",
                api.provider.as_str()
            ),
            http_status: resp.status,
            request_id: a.request_id,
        });
    }
    Ok(a)
}

/// The retry loop's reading of a response.
pub fn classify(resp: &HttpResponse) -> Verdict {
    let after = transport::retry_after(resp);
    if resp.status < 400 {
        return Verdict::Final;
    }
    let code = error_fields(resp).map(|f| f.code);
    // Refused for its timestamp: nothing was done; signed again with the
    // server's time.
    if code.as_deref().is_some_and(error_codes::clock_skew) {
        return Verdict::ClockSkew;
    }
    // Throttling is refused before any work: the one answer that proves
    // the request was not acted on.
    if code.as_deref().is_some_and(error_codes::not_processed) {
        return Verdict::NotProcessed { after };
    }
    // A 503 or ServiceUnavailable does not prove the request was not acted
    // on (DESIGN §5), even with a retry-after header: only a request that
    // is safe to repeat goes again.
    let unavailable = resp.status == 503
        || code
            .as_deref()
            .is_some_and(|c| error_codes::explain(c, resp.status).kind == ErrorKind::Unavailable);
    if unavailable {
        return Verdict::MaybeProcessed { after };
    }
    // On a refusal (4xx) the header is the server's own "come back later":
    // the request was not acted on (the aliyun CLI retries on exactly
    // this). On a server failure it proves nothing: a 500 InternalError
    // may come after the image was made, header or not, and an ENS create
    // has no token, so it must be looked up, never sent again.
    if after.is_some() && resp.status < 500 {
        return Verdict::NotProcessed { after };
    }
    match code.as_deref() {
        Some(c) if error_codes::maybe_processed(c) => Verdict::MaybeProcessed { after },
        _ if resp.status >= 500 => Verdict::MaybeProcessed { after },
        _ => Verdict::Final,
    }
}

/// The fields of an Alibaba error body, JSON (`Code`/`code`, …) or XML.
#[derive(Debug, Default)]
struct ErrorFields {
    code: String,
    message: String,
    request_id: Option<String>,
    recommend: Option<String>,
    auth_action: Option<String>,
}

fn error_fields(resp: &HttpResponse) -> Option<ErrorFields> {
    if let Ok(v) = serde_json::from_slice::<Value>(&resp.body) {
        let s = |keys: &[&str]| {
            keys.iter().find_map(|k| match v.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        let code = s(&["Code", "code"])?;
        return Some(ErrorFields {
            code,
            message: s(&["Message", "message"]).unwrap_or_default(),
            request_id: s(&["RequestId", "requestId"]),
            recommend: s(&["Recommend", "recommend"]),
            auth_action: v
                .pointer("/AccessDeniedDetail/AuthAction")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    let text = std::str::from_utf8(&resp.body).ok()?;
    if text.trim_start().starts_with("<?xml") || text.contains("<Error>") {
        let code = xml_text(text, "Code")?;
        return Some(ErrorFields {
            code,
            message: xml_text(text, "Message").unwrap_or_default(),
            request_id: xml_text(text, "RequestId"),
            recommend: xml_text(text, "Recommend"),
            auth_action: None,
        });
    }
    None
}

/// The text of the first `<tag>…</tag>`, unescaped; enough for the flat
/// `<Error>` document the SDK also accepts.
fn xml_text(doc: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = doc.find(&open)? + open.len();
    let end = doc[start..].find(&format!("</{tag}>"))? + start;
    let raw = &doc[start..end];
    quick_xml::escape::unescape(raw)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Reads a response: a JSON object on success (ENS adds an integer
/// `Code: 0`), a typed error otherwise. `DryRunOperation` is ECS saying
/// "this would have worked", so it is a success with `dry_run` set.
pub fn parse(provider: Provider, resp: &HttpResponse) -> Result<Answer> {
    let header_rid = resp.header("x-acs-request-id").map(str::to_string);
    let fields = error_fields(resp);
    if let Some(f) = &fields
        && f.code == "DryRunOperation"
    {
        return Ok(Answer {
            body: serde_json::from_slice(&resp.body).unwrap_or(Value::Null),
            request_id: f.request_id.clone().or(header_rid),
            dry_run: true,
        });
    }
    let success_code = |f: &ErrorFields| matches!(f.code.as_str(), "0" | "200");
    if resp.status >= 300 || fields.as_ref().is_some_and(|f| !success_code(f)) {
        return Err(match fields {
            Some(f) => provider_error(provider, resp, f, header_rid),
            None => Error::BadResponse {
                message: format!(
                    "{} answered HTTP {} with a body that is not an Alibaba Cloud error: {}",
                    provider.as_str(),
                    resp.status,
                    snippet(&resp.body)
                ),
                http_status: resp.status,
                request_id: header_rid,
            },
        });
    }
    let body: Value = serde_json::from_slice(&resp.body).map_err(|e| Error::BadResponse {
        message: format!(
            "{} answered HTTP {} with a body that is not JSON ({e}): {}",
            provider.as_str(),
            resp.status,
            snippet(&resp.body)
        ),
        http_status: resp.status,
        request_id: header_rid.clone(),
    })?;
    if !body.is_object() {
        return Err(Error::BadResponse {
            message: format!(
                "{} answered with JSON that is not an object",
                provider.as_str()
            ),
            http_status: resp.status,
            request_id: header_rid,
        });
    }
    let request_id = body
        .get("RequestId")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or(header_rid);
    Ok(Answer {
        body,
        request_id,
        dry_run: false,
    })
}

fn provider_error(
    provider: Provider,
    resp: &HttpResponse,
    f: ErrorFields,
    header_rid: Option<String>,
) -> Error {
    let status = resp.status;
    let mut explained = error_codes::explain(&f.code, status);
    // The server's own "come back later" outranks the code: retries ran
    // out on something that trying later may fix (exit 5).
    if transport::retry_after(resp).is_some() && explained.kind == ErrorKind::Refused {
        explained.kind = ErrorKind::Throttled;
    }
    let hint = match (&f.auth_action, explained.hint) {
        (Some(a), Some(h)) => Some(format!("{h} (missing permission: {a})")),
        (Some(a), None) => Some(format!("missing permission: {a}")),
        (None, h) => h,
    };
    ProviderError {
        provider: Some(provider),
        code: f.code,
        message: f.message,
        http_status: status,
        request_id: f.request_id.or(header_rid),
        recommend: f.recommend,
        hint,
        kind: explained.kind,
    }
    .into()
}

/// The start of a body, on one line, for an error message.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return "(empty)".into();
    }
    let mut end = one_line.len().min(200);
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    if end < one_line.len() {
        format!("{}…", &one_line[..end])
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use crate::sign::alibaba::{verify_v1, verify_v3};

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn keys() -> KeyPair {
        KeyPair {
            access_key_id: "YourAccessKeyId".into(),
            secret: Secret::new("YourAccessKeySecret"),
            session_token: None,
            source: crate::config::Source::Env("test"),
        }
    }

    fn decode(q: &str) -> Vec<(String, String)> {
        fn dec(s: &str) -> String {
            let b = s.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'%' && i + 2 < b.len() + 1 {
                    let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(h, 16).unwrap());
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        }
        q.split('&')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (dec(k), dec(v))
            })
            .collect()
    }

    /// TV3-e of the ref: the same parameters, clock and nonce give the
    /// published signature once they pass through `build_request`.
    #[test]
    fn v3_request_matches_published_vector() {
        let api = Api::new(
            Provider::Ecs,
            "2014-05-26",
            Some("https://ecs.cn-hangzhou.aliyuncs.com"),
            "",
        )
        .unwrap();
        let mut p = Params::new();
        p.put("RegionId", "cn-hangzhou")
            .put("ImageId", "m-abc")
            .put("Features.NvmeSupport", "supported")
            .put("Features.ImdsSupport", "v2")
            .put("DryRun", "true");
        let now = OffsetDateTime::parse(
            "2023-10-26T10:22:32Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let req = build_request(
            &api,
            &keys(),
            SignatureVersion::V3,
            "ModifyImageAttribute",
            &p,
            now,
            "3156853299f313e23d1673dc12e1703d",
        );
        let auth = req
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1
            .clone();
        assert!(
            auth.ends_with(
                "Signature=363776b0c3871ab9f5a77eb532b6182dc3d9c2930f56af68ba76e14c72f509d9"
            ),
            "{auth}"
        );
        assert_eq!(req.method, "POST");
        assert!(req.body.is_empty());
        let query = req.url.split_once('?').unwrap().1;
        assert!(verify_v3(
            "POST",
            "/",
            &decode(query),
            &req.headers,
            b"",
            &auth,
            "YourAccessKeySecret"
        ));
    }

    #[test]
    fn v1_request_verifies_and_carries_common_params() {
        let api = Api::new(Provider::Ens, "2017-11-10", Some("http://127.0.0.1:9"), "").unwrap();
        let mut p = Params::new();
        p.put("ImageName", "镜像 a&b=c*~/");
        let req = build_request(
            &api,
            &keys(),
            SignatureVersion::V1,
            "CreateImage",
            &p,
            OffsetDateTime::UNIX_EPOCH,
            "n1",
        );
        assert!(req.url.starts_with("http://127.0.0.1:9/?"));
        let params = decode(req.url.split_once('?').unwrap().1);
        assert!(params.contains(&("Action".into(), "CreateImage".into())));
        assert!(params.contains(&("Timestamp".into(), "1970-01-01T00:00:00Z".into())));
        assert!(params.contains(&("ImageName".into(), "镜像 a&b=c*~/".into())));
        assert!(verify_v1("POST", &params, "YourAccessKeySecret"));
    }

    #[test]
    fn endpoints() {
        let ok = |u: &str| normalize_endpoint(u).unwrap();
        assert_eq!(ok("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(
            ok("ecs.cn-hangzhou.aliyuncs.com"),
            "https://ecs.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            ok("https://ens.aliyuncs.com:443"),
            "https://ens.aliyuncs.com"
        );
        assert_eq!(ok("http://127.0.0.1:80/"), "http://127.0.0.1");
        assert_eq!(ok("https://h:8443"), "https://h:8443");
        assert!(normalize_endpoint("http://h/some/path").is_err());
        assert!(normalize_endpoint("ftp://h").is_err());
    }

    #[test]
    fn ens_success_and_error_codes() {
        let ok = parse(
            Provider::Ens,
            &resp(
                200,
                &[],
                r#"{"RequestId":"R1","Code":0,"ImageId":"m-5xxgg"}"#,
            ),
        )
        .unwrap();
        assert_eq!(ok.str("ImageId").as_deref(), Some("m-5xxgg"));
        assert_eq!(ok.request_id.as_deref(), Some("R1"));
        let body = r#"{"RequestId":"R2","HostId":"ens.aliyuncs.com","Code":"QuotaExceed","Message":"The custom image quota has been used up.","Recommend":"https://api.alibabacloud.com/troubleshoot?q=QuotaExceed"}"#;
        let Err(Error::Provider(e)) = parse(Provider::Ens, &resp(400, &[], body)) else {
            panic!("expected a provider error")
        };
        assert_eq!(e.code, "QuotaExceed");
        assert_eq!(e.http_status, 400);
        assert_eq!(e.request_id.as_deref(), Some("R2"));
        assert!(e.recommend.unwrap().contains("troubleshoot"));
        assert!(e.hint.is_some());
        // A non-zero integer code on a 200 is still an error.
        assert!(
            parse(
                Provider::Ens,
                &resp(200, &[], r#"{"Code":5,"Message":"x"}"#)
            )
            .is_err()
        );
    }

    #[test]
    fn dry_run_operation_is_success() {
        let a = parse(
            Provider::Ecs,
            &resp(
                400,
                &[],
                r#"{"RequestId":"R3","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}"#,
            ),
        )
        .unwrap();
        assert!(a.dry_run);
        assert_eq!(a.request_id.as_deref(), Some("R3"));
    }

    #[test]
    fn unreadable_bodies_are_bad_responses() {
        let html = resp(
            502,
            &[("x-acs-request-id", "R4")],
            "<html><body>502 Bad Gateway</body></html>",
        );
        match parse(Provider::Ecs, &html) {
            Err(Error::BadResponse {
                http_status,
                request_id,
                message,
            }) => {
                assert_eq!(http_status, 502);
                assert_eq!(request_id.as_deref(), Some("R4"));
                assert!(message.contains("502 Bad Gateway"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(Provider::Ecs, &resp(200, &[], r#"{"RequestId":"R","Ima"#)),
            Err(Error::BadResponse { .. })
        ));
        assert!(matches!(
            parse(Provider::Ecs, &resp(200, &[], "[1]")),
            Err(Error::BadResponse { .. })
        ));
    }

    #[test]
    fn retry_after_makes_any_refusal_retryable_later() {
        let r = resp(
            400,
            &[("x-acs-retry-after", "100")],
            r#"{"Code":"Busy.Foo","Message":"m"}"#,
        );
        let Err(Error::Provider(e)) = parse(Provider::Ecs, &r) else {
            panic!()
        };
        assert_eq!(e.kind, ErrorKind::Throttled);
    }

    #[test]
    fn xml_error_bodies_are_read() {
        let xml = "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R5</RequestId><Code>Forbidden.RAM</Code><Message>a &amp; b</Message></Error>";
        let Err(Error::Provider(e)) = parse(Provider::Ecs, &resp(403, &[], xml)) else {
            panic!()
        };
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("Forbidden.RAM", "a & b")
        );
        assert_eq!(e.kind, ErrorKind::Auth);
    }

    #[test]
    fn access_denied_detail_names_the_action() {
        let body = r#"{"Code":"Forbidden.RAM","Message":"no","RequestId":"R","AccessDeniedDetail":{"AuthAction":"ecs:ModifyImageAttribute"}}"#;
        let Err(Error::Provider(e)) = parse(Provider::Ecs, &resp(403, &[], body)) else {
            panic!()
        };
        assert!(e.hint.unwrap().contains("ecs:ModifyImageAttribute"));
    }

    #[test]
    fn verdicts() {
        let j = |s: u16, code: &str| resp(s, &[], &format!(r#"{{"Code":"{code}"}}"#));
        assert_eq!(
            classify(&j(400, "Throttling.User")),
            Verdict::NotProcessed { after: None }
        );
        // Unavailable may have acted: the transport resends it only when safe.
        assert_eq!(
            classify(&j(503, "ServiceUnavailable")),
            Verdict::MaybeProcessed { after: None }
        );
        assert_eq!(
            classify(&resp(503, &[("x-acs-retry-after", "250")], "<html>")),
            Verdict::MaybeProcessed {
                after: Some(std::time::Duration::from_millis(250))
            }
        );
        assert_eq!(
            classify(&j(500, "InternalError")),
            Verdict::MaybeProcessed { after: None }
        );
        assert_eq!(
            classify(&resp(502, &[], "<html>")),
            Verdict::MaybeProcessed { after: None }
        );
        assert_eq!(
            classify(&j(400, "InvalidImageName.Duplicated")),
            Verdict::Final
        );
        assert_eq!(
            classify(&resp(400, &[("x-acs-retry-after", "250")], "{}")),
            Verdict::NotProcessed {
                after: Some(std::time::Duration::from_millis(250))
            }
        );
        assert_eq!(classify(&j(200, "0")), Verdict::Final);
        // A reused nonce was refused before any work: sent again, and the
        // transport signs every attempt afresh (a new nonce).
        assert_eq!(
            classify(&j(400, "SignatureNonceUsed")),
            Verdict::NotProcessed { after: None }
        );
        assert_eq!(
            classify(&j(400, "InvalidTimeStamp.Expired")),
            Verdict::ClockSkew
        );
        assert_eq!(classify(&j(400, "SignatureDoesNotMatch")), Verdict::Final);
        assert_eq!(
            classify(&resp(504, &[], "")),
            Verdict::MaybeProcessed { after: None }
        );
    }

    /// Retries that run out on a throttle leave its error a throttle
    /// (exit 5), and a reused nonce is never a refusal (exit 1).
    #[test]
    fn retryable_codes_exit_5() {
        for code in [
            "Throttling.User",
            "Throttling",
            "SignatureNonceUsed",
            "ServiceUnavailable",
        ] {
            let body = format!(r#"{{"Code":"{code}","Message":"m","RequestId":"R"}}"#);
            let e = parse(Provider::Ens, &resp(400, &[], &body)).unwrap_err();
            assert_eq!(e.exit_code(), 5, "{code}: {e}");
        }
    }

    /// The header on a server failure does not make it "not processed":
    /// an ENS create answered so would be sent again.
    #[test]
    fn retry_after_on_a_server_failure_stays_ambiguous() {
        let ms = |n| Some(std::time::Duration::from_millis(n));
        let body = r#"{"Code":"InternalError","RequestId":"R"}"#;
        assert_eq!(
            classify(&resp(500, &[("x-acs-retry-after", "100")], body)),
            Verdict::MaybeProcessed { after: ms(100) }
        );
        assert_eq!(
            classify(&resp(502, &[("x-acs-retry-after", "100")], "<html>")),
            Verdict::MaybeProcessed { after: ms(100) }
        );
        // Throttling is "not processed" whatever the status says.
        assert_eq!(
            classify(&resp(
                503,
                &[("x-acs-retry-after", "100")],
                r#"{"Code":"Throttling.User"}"#
            )),
            Verdict::NotProcessed { after: ms(100) }
        );
        // The error a user sees for it stays a server failure (ambiguous).
        let Err(Error::Provider(e)) = parse(
            Provider::Ens,
            &resp(500, &[("x-acs-retry-after", "100")], body),
        ) else {
            panic!("a provider error")
        };
        assert_eq!(e.kind, ErrorKind::Server);
    }
}
