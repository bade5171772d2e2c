//! Huawei Cloud error answers (IMS, IAM and the API gateway) read the way the
//! official SDK's `DefaultExceptionHandler` reads them, turned into typed
//! errors with the code, message, HTTP status and request id.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, ProviderError};
use crate::provider::Provider;
use crate::transport::HttpResponse;

/// Codes that mean "not processed, try again later": gateway throttling and
/// IMS flow control.
const RETRYABLE_CODES: &[&str] = &["APIGW.0308", "IMG.0060"];

/// "Backend unavailable" from the API gateway. Like any 503 it does not
/// prove the request was not acted on (DESIGN §5).
const UNAVAILABLE_CODES: &[&str] = &["APIGW.0202"];

/// Gateway codes for bad or expired credentials. APIGW.0301 is "incorrect
/// IAM authentication information" (bad signature, expired signature,
/// undecryptable or expired token).
const AUTH_CODES: &[&str] = &[
    "APIGW.0101",
    "APIGW.0301",
    "APIGW.0302",
    "APIGW.0303",
    "APIGW.0305",
];

/// Code and message from an error body, in the SDK's order of shapes:
/// `error_code/error_msg`, `errorCode/errorMsg`, `code/message`, then the
/// first nested object holding one of those (IMS `{"error":{…}}`, IAM with
/// an integer code).
pub fn parse_body(body: &[u8]) -> Option<(String, String)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let obj = v.as_object()?;
    pair(obj).or_else(|| obj.values().filter_map(Value::as_object).find_map(pair))
}

fn pair(obj: &Map<String, Value>) -> Option<(String, String)> {
    for (c, m) in [
        ("error_code", "error_msg"),
        ("errorCode", "errorMsg"),
        ("code", "message"),
    ] {
        if let Some(code) = obj.get(c).and_then(scalar) {
            let message = obj.get(m).and_then(scalar).unwrap_or_default();
            return Some((code, message));
        }
    }
    None
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a response says "not processed": safe to send again, whatever
/// the operation.
pub fn is_retryable(resp: &HttpResponse) -> bool {
    resp.status == 429
        || (resp.status >= 400
            && parse_body(&resp.body).is_some_and(|(c, _)| RETRYABLE_CODES.contains(&c.as_str())))
}

/// The API gateway's refusal of a request signed too far from its clock
/// (`APIGW.0301` "signature expired"): nothing was done.
pub fn is_clock_skew(resp: &HttpResponse) -> bool {
    resp.status == 401
        && parse_body(&resp.body).is_some_and(|(c, m)| {
            c == "APIGW.0301" && m.to_ascii_lowercase().contains("signature expired")
        })
}

pub fn request_id(resp: &HttpResponse) -> Option<String> {
    resp.header("x-request-id")
        .map(str::to_string)
        .or_else(|| {
            serde_json::from_slice::<Value>(&resp.body)
                .ok()?
                .get("request_id")?
                .as_str()
                .map(str::to_string)
        })
        .or_else(|| resp.header("x-iam-trace-id").map(str::to_string))
}

/// The typed error for a non-2xx answer.
pub fn to_error(resp: &HttpResponse) -> Error {
    let status = resp.status;
    let request_id = request_id(resp);
    let Some((code, message)) = parse_body(&resp.body) else {
        return unparsed(resp, request_id);
    };
    let kind = kind_of(status, &code);
    let hint = hint_for(&code, &message, kind);
    ProviderError {
        provider: Some(Provider::Ims),
        code,
        message,
        http_status: status,
        request_id,
        recommend: None,
        hint,
        kind,
    }
    .into()
}

fn kind_of(status: u16, code: &str) -> ErrorKind {
    if status == 401 || status == 403 || AUTH_CODES.contains(&code) {
        ErrorKind::Auth
    } else if status == 429 || RETRYABLE_CODES.contains(&code) {
        ErrorKind::Throttled
    } else if status == 503 || UNAVAILABLE_CODES.contains(&code) {
        ErrorKind::Unavailable
    } else if status == 404 {
        ErrorKind::NotFound
    } else if status >= 500 {
        ErrorKind::Server
    } else {
        ErrorKind::Refused
    }
}

/// A body with no code in it. Status codes that carry their own meaning
/// (auth, throttling) still give a provider error, as the SDK does with the
/// status as the code; anything else (an HTML page from a proxy, a
/// truncated body) is an answer we could not understand.
fn unparsed(resp: &HttpResponse, request_id: Option<String>) -> Error {
    let status = resp.status;
    let excerpt = excerpt(&resp.body);
    let kind = kind_of(status, "");
    if matches!(
        kind,
        ErrorKind::Auth | ErrorKind::Throttled | ErrorKind::Unavailable
    ) {
        return ProviderError {
            provider: Some(Provider::Ims),
            code: status.to_string(),
            message: excerpt,
            http_status: status,
            request_id,
            hint: hint_for("", "", kind),
            kind,
            ..ProviderError::default()
        }
        .into();
    }
    Error::BadResponse {
        message: format!("HTTP {status} without a Huawei Cloud error body: {excerpt}"),
        http_status: status,
        request_id,
    }
}

/// A short, one-line view of a body for messages.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return "(empty body)".into();
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

fn hint_for(code: &str, message: &str, kind: ErrorKind) -> Option<String> {
    let m = message.to_ascii_lowercase();
    let h = match code {
        "IMG.0009" => {
            "an image with this name already exists: choose another --name, or check whether an \
             earlier attempt already created it (imgctl never re-sends a create)"
        }
        "IMG.0008" => {
            "the ECS must be stopped before an image is made from it: stop it and try again"
        }
        "IMG.0010" => "the ECS has a task in progress: wait for it to finish and try again",
        "IMG.0015" => {
            "the private image quota is used up: delete unused images or ask for more quota"
        }
        "IMG.0035" => "the attribute does not exist on this image",
        "IMG.0058" => "the OBS bucket must be in the same region as the image",
        "IMG.0057" | "IMG.0069" => {
            "check that the OBS object exists, is not empty, uses the Standard storage class, and \
             that IMS is authorised to read the bucket"
        }
        "IMG.0060" | "APIGW.0308" => "the request was throttled: wait a little and try again",
        _ if kind == ErrorKind::Unavailable => {
            "the service said it is unavailable: try again later, but a create or import may \
             have been carried out anyway, so check before sending it again"
        }
        _ if m.contains("token") && (m.contains("expire") || m.contains("updated")) => {
            "the IAM token has expired or was revoked; imgctl fetches a new one on the next run \
             (a changed password, AK or permission revokes every token)"
        }
        _ if m.contains("signature expired") => {
            "this machine's clock is more than 15 minutes off: fix the clock (NTP) and try again"
        }
        _ if kind == ErrorKind::Auth => {
            "check the credentials (HUAWEICLOUD_SDK_AK/SK or HW_USER_NAME/HW_PASSWORD/\
             HW_DOMAIN_NAME), the project, and the user's IMS permissions"
        }
        _ => return None,
    };
    Some(h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("X-Request-Id".into(), "rid-1".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn provider(e: Error) -> ProviderError {
        match e {
            Error::Provider(p) => *p,
            other => panic!("expected a provider error, got {other:?}"),
        }
    }

    #[test]
    fn every_documented_shape() {
        for (body, code, msg) in [
            (
                r#"{"error_code":"IMG.0009","error_msg":"The image name already exists."}"#,
                "IMG.0009",
                "The image name already exists.",
            ),
            (r#"{"errorCode":"X.1","errorMsg":"m"}"#, "X.1", "m"),
            (r#"{"code":"X.2","message":"m2"}"#, "X.2", "m2"),
            (
                r#"{"error":{"message":"The imagetype is invalid.","code":"IMG.0024"}}"#,
                "IMG.0024",
                "The imagetype is invalid.",
            ),
            (
                r#"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
                "401",
                "The username or password is wrong.",
            ),
        ] {
            assert_eq!(
                parse_body(body.as_bytes()),
                Some((code.to_string(), msg.to_string())),
                "{body}"
            );
        }
        assert_eq!(parse_body(b"<html>502</html>"), None);
        assert_eq!(parse_body(br#"{"error_code": null}"#), None);
        assert_eq!(parse_body(b"[1,2]"), None);
    }

    /// Each status class, with a body and bare: 404 is "not found" (the
    /// waiter's "not visible yet"), a bare 429 is throttling, 5xx are
    /// server failures (503 "unavailable").
    #[test]
    fn kinds_by_status() {
        let kind = |status, body: &str| match to_error(&resp(status, body)) {
            Error::Provider(p) => Some(p.kind),
            _ => None,
        };
        let coded = r#"{"error_code":"IMG.0999","error_msg":"x"}"#;
        assert_eq!(kind(404, coded), Some(ErrorKind::NotFound));
        assert_eq!(
            kind(404, r#"{"error":{"code":"IMG.0027","message":"no image"}}"#),
            Some(ErrorKind::NotFound)
        );
        assert_eq!(kind(429, ""), Some(ErrorKind::Throttled));
        assert_eq!(kind(429, coded), Some(ErrorKind::Throttled));
        assert_eq!(kind(500, coded), Some(ErrorKind::Server));
        assert_eq!(kind(502, coded), Some(ErrorKind::Server));
        assert_eq!(kind(503, coded), Some(ErrorKind::Unavailable));
        assert_eq!(kind(401, coded), Some(ErrorKind::Auth));
        assert_eq!(kind(403, coded), Some(ErrorKind::Auth));
        assert_eq!(kind(400, coded), Some(ErrorKind::Refused));
        let e = to_error(&resp(404, coded));
        assert_eq!(e.exit_code(), 1);
        let e = to_error(&resp(429, ""));
        assert_eq!(e.exit_code(), 5, "{e}");
        assert!(!e.is_ambiguous());
        let e = to_error(&resp(500, coded));
        assert_eq!(e.exit_code(), 1);
        assert!(e.is_ambiguous());
        assert!(is_retryable(&resp(429, "")));
        assert!(!is_retryable(&resp(500, coded)));
        assert!(!is_retryable(&resp(503, "")));
        assert!(is_clock_skew(&resp(
            401,
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: signature expired"}"#
        )));
        assert!(!is_clock_skew(&resp(
            400,
            r#"{"error_code":"APIGW.0301","error_msg":"signature expired"}"#
        )));
        assert!(!is_clock_skew(&resp(401, coded)));
    }

    #[test]
    fn kinds_and_exit_codes() {
        let e = to_error(&resp(
            400,
            r#"{"error_code":"IMG.0009","error_msg":"exists"}"#,
        ));
        assert_eq!(e.exit_code(), 1);
        let p = provider(e);
        assert_eq!(p.request_id.as_deref(), Some("rid-1"));
        assert!(p.hint.unwrap().contains("--name"));
        let e = to_error(&resp(
            401,
            r#"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"r"}"#,
        ));
        assert_eq!(e.exit_code(), 4);
        let e = to_error(&resp(
            429,
            r#"{"error_msg":"throttled","error_code":"APIGW.0308"}"#,
        ));
        assert_eq!(e.exit_code(), 5);
        let e = to_error(&resp(
            400,
            r#"{"error":{"code":"IMG.0060","message":"flow"}}"#,
        ));
        assert_eq!(e.exit_code(), 5);
        let e = to_error(&resp(403, "<html>denied</html>"));
        assert_eq!(e.exit_code(), 4);
        let e = to_error(&resp(502, "<html><body>Bad Gateway</body></html>"));
        assert!(matches!(
            e,
            Error::BadResponse {
                http_status: 502,
                ..
            }
        ));
        assert_eq!(e.exit_code(), 1);
    }

    /// A 503 may have been acted on: ambiguous, exit 5, and not "not
    /// processed", so an unsafe create is not sent again.
    #[test]
    fn unavailable_is_ambiguous() {
        for r in [
            resp(
                503,
                r#"{"error_msg":"Backend unavailable","error_code":"APIGW.0202"}"#,
            ),
            resp(503, "<html>Service Unavailable</html>"),
            resp(503, r#"{"error":{"code":"IMG.0001","message":"busy"}}"#),
        ] {
            assert!(!is_retryable(&r));
            let e = to_error(&r);
            assert_eq!(e.exit_code(), 5, "{e}");
            assert!(e.is_ambiguous(), "{e}");
            assert_eq!(provider(e).kind, ErrorKind::Unavailable);
        }
    }

    #[test]
    fn retryable() {
        assert!(is_retryable(&resp(429, "")));
        assert!(is_retryable(&resp(
            400,
            r#"{"error":{"code":"IMG.0060","message":"x"}}"#
        )));
        assert!(!is_retryable(&resp(
            400,
            r#"{"error":{"code":"IMG.0009","message":"x"}}"#
        )));
    }

    #[test]
    fn expired_token_is_explained() {
        let p = provider(to_error(&resp(
            401,
            r#"{"error_msg":"The token must be updated.","error_code":"APIGW.0301"}"#,
        )));
        assert!(p.hint.unwrap().contains("expired"));
    }
}
