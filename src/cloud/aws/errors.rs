//! EC2 error codes: which ones are worth another attempt, which exit code
//! each one gets, and what we can tell the user about the common ones.

use super::xml::{self, ApiError};
use crate::error::{Error, ErrorKind, ProviderError};
use crate::provider::Provider;
use crate::transport::{HttpResponse, Verdict, retry_after};

/// Credentials or permissions: exit 4.
const AUTH: &[&str] = &[
    "AuthFailure",
    "UnauthorizedOperation",
    "AccessDenied",
    "SignatureDoesNotMatch",
    "InvalidClientTokenId",
    "OptInRequired",
    "ExpiredToken",
    "RequestExpired",
    "IncompleteSignature",
    "MissingAuthenticationToken",
];

/// Codes that mean "not processed, slow down" (botocore's standard and
/// legacy retry lists for EC2).
const THROTTLED: &[&str] = &[
    "RequestLimitExceeded",
    "EC2ThrottledException",
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "RequestThrottled",
    "TooManyRequestsException",
    "BandwidthLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
];

/// "The service is unavailable": a 503 from EC2 or from anything in front
/// of it does not prove the request was not acted on (DESIGN §5).
const UNAVAILABLE: &[&str] = &["Unavailable", "ServiceUnavailable"];

/// Refused because the request's time is too far from the server's: the
/// codes botocore corrects the clock on, and the signature-expired form of
/// `AuthFailure` / `SignatureDoesNotMatch`.
pub fn is_clock_skew(code: &str, message: &str) -> bool {
    match code {
        "RequestExpired" | "RequestTimeTooSkewed" | "RequestInTheFuture" => true,
        "AuthFailure" | "SignatureDoesNotMatch" | "InvalidSignatureException" => {
            let m = message.to_ascii_lowercase();
            m.contains("signature expired") || m.contains("request has expired")
        }
        _ => false,
    }
}

pub fn is_throttle(code: &str) -> bool {
    THROTTLED.contains(&code)
}

fn is_unavailable(status: u16, code: Option<&str>) -> bool {
    code.is_some_and(|c| UNAVAILABLE.contains(&c))
        || (status == 503 && !code.is_some_and(is_throttle))
}

/// The retry loop's reading of one answer. Throttling codes were refused
/// before any work was done; 503 and other 5xx may have acted, so only a
/// request that is safe to repeat is sent again.
pub fn verdict(resp: &HttpResponse) -> Verdict {
    if resp.status < 400 {
        return Verdict::Final;
    }
    let after = retry_after(resp);
    let err = error_of(resp);
    if err
        .as_ref()
        .is_some_and(|e| is_clock_skew(&e.code, &e.message))
    {
        return Verdict::ClockSkew;
    }
    let code = err.map(|e| e.code);
    if code.as_deref().is_some_and(is_throttle) {
        return Verdict::NotProcessed { after };
    }
    if resp.status >= 500 {
        return Verdict::MaybeProcessed { after };
    }
    Verdict::Final
}

pub fn error_of(resp: &HttpResponse) -> Option<ApiError> {
    xml::parse_error(std::str::from_utf8(&resp.body).ok()?)
}

/// Turns a non-2xx answer into our error. `action` and `region` only feed
/// the hints.
pub fn to_error(resp: &HttpResponse, action: &str, region: &str) -> Error {
    let status = resp.status;
    let Some(e) = error_of(resp) else {
        // No EC2 error body: an HTML page from moto or a proxy, or nothing.
        let kind = match status {
            401 | 403 => Some(ErrorKind::Auth),
            503 => Some(ErrorKind::Unavailable),
            _ => None,
        };
        let snippet = snippet(&resp.body);
        return match kind {
            Some(kind) => ProviderError {
                provider: Some(Provider::Ec2),
                code: format!("HTTP{status}"),
                message: format!("{action} got HTTP {status} without an EC2 error body: {snippet}"),
                http_status: status,
                kind,
                ..ProviderError::default()
            }
            .into(),
            None => Error::BadResponse {
                message: format!(
                    "{action} got HTTP {status} with a body that is not an EC2 error: {snippet}"
                ),
                http_status: status,
                request_id: None,
            },
        };
    };
    let kind = if AUTH.contains(&e.code.as_str()) {
        ErrorKind::Auth
    } else if is_throttle(&e.code) {
        ErrorKind::Throttled
    } else if is_unavailable(status, Some(&e.code)) {
        ErrorKind::Unavailable
    } else if status >= 500 {
        ErrorKind::Server
    } else if e.code.ends_with(".NotFound") {
        ErrorKind::NotFound
    } else {
        ErrorKind::Refused
    };
    let hint = hint(&e.code, action, region);
    ProviderError {
        provider: Some(Provider::Ec2),
        code: e.code,
        message: e.message,
        http_status: status,
        request_id: e.request_id,
        recommend: None,
        hint,
        kind,
    }
    .into()
}

fn hint(code: &str, action: &str, region: &str) -> Option<String> {
    let h = match code {
        "InvalidAMIName.Duplicate" => "the name is taken: this account already has an AMI of that \
             name in this region; choose another --name or deregister the old AMI"
            .to_string(),
        "InvalidInstanceID.NotFound" | "InvalidInstanceID.Malformed" => format!(
            "no such instance in {region}: check --instance-id and --region (the instance must \
             be in the region the request goes to)"
        ),
        "InvalidAMIID.NotFound" | "InvalidAMIID.Malformed" | "InvalidAMIID.Unavailable" => {
            format!("no such AMI in {region}: check --image-id and --region")
        }
        "AuthFailure" | "SignatureDoesNotMatch" | "InvalidClientTokenId" => {
            "check the access key id and secret (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the \
             profile) and that this machine's clock is right"
                .to_string()
        }
        "UnauthorizedOperation" | "AccessDenied" => {
            format!("the identity is not allowed ec2:{action}; ask for that IAM permission")
        }
        "ExpiredToken" | "RequestExpired" => {
            "the temporary credentials (AWS_SESSION_TOKEN) have expired, or the clock is off: \
             refresh them"
                .to_string()
        }
        "OptInRequired" => {
            format!("the account is not subscribed to EC2 in {region} (an opt-in region?)")
        }
        c if is_throttle(c) => {
            "EC2 is throttling this account: try again later, or raise --max-attempts".to_string()
        }
        c if UNAVAILABLE.contains(&c) => format!(
            "EC2 said it is unavailable; {action} may still have been carried out, so check \
             before sending it again"
        ),
        _ => return None,
    };
    Some(h)
}

/// The start of a body, on one line, for an error message.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    if flat.trim().is_empty() {
        "(empty body)".into()
    } else if text.chars().count() > 160 {
        format!("{}…", flat.trim())
    } else {
        flat.trim().to_string()
    }
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

    fn err(code: &str) -> String {
        format!(
            "<Response><Errors><Error><Code>{code}</Code><Message>m</Message></Error></Errors><RequestID>rid</RequestID></Response>"
        )
    }

    /// Credentials and permissions are exit 4, whatever the status.
    #[test]
    fn auth_codes_exit_4() {
        for code in AUTH {
            for status in [400, 401, 403] {
                let e = to_error(&resp(status, &err(code)), "CreateImage", "us-east-1");
                assert_eq!(e.exit_code(), 4, "{code} {status}: {e}");
            }
        }
        for code in [
            "UnauthorizedOperation",
            "AccessDenied",
            "ExpiredToken",
            "AuthFailure",
        ] {
            assert!(AUTH.contains(&code), "{code}");
        }
        // Without an EC2 body, 401 and 403 are still authentication.
        for status in [401, 403] {
            let e = to_error(&resp(status, "<html/>"), "CreateImage", "us-east-1");
            assert_eq!(e.exit_code(), 4, "{status}: {e}");
        }
        let e = to_error(&resp(503, ""), "CreateImage", "us-east-1");
        assert_eq!(e.exit_code(), 5, "{e}");
        let e = to_error(&resp(502, "<html/>"), "CreateImage", "us-east-1");
        assert_eq!(e.exit_code(), 1, "{e}");
        assert!(e.is_ambiguous());
    }

    #[test]
    fn kinds() {
        let kind = |status, code: &str| match to_error(&resp(status, &err(code)), "A", "r") {
            Error::Provider(p) => p.kind,
            other => panic!("{other:?}"),
        };
        assert_eq!(kind(503, "RequestLimitExceeded"), ErrorKind::Throttled);
        assert_eq!(kind(503, "Unavailable"), ErrorKind::Unavailable);
        assert_eq!(kind(500, "ServiceUnavailable"), ErrorKind::Unavailable);
        assert_eq!(kind(500, "InternalError"), ErrorKind::Server);
        assert_eq!(kind(400, "InvalidAMIID.NotFound"), ErrorKind::NotFound);
        assert_eq!(kind(400, "InvalidAMIName.Duplicate"), ErrorKind::Refused);
    }

    #[test]
    fn clock_skew() {
        let skew = |status, code: &str, msg: &str| {
            verdict(&resp(
                status,
                &format!(
                    "<Response><Errors><Error><Code>{code}</Code><Message>{msg}</Message></Error></Errors><RequestID>r</RequestID></Response>"
                ),
            ))
        };
        assert_eq!(
            skew(400, "RequestExpired", "Request has expired."),
            Verdict::ClockSkew
        );
        assert_eq!(skew(403, "RequestTimeTooSkewed", "x"), Verdict::ClockSkew);
        assert_eq!(
            skew(
                401,
                "AuthFailure",
                "Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z"
            ),
            Verdict::ClockSkew
        );
        assert_eq!(
            skew(
                401,
                "AuthFailure",
                "AWS was not able to validate the provided access credentials"
            ),
            Verdict::Final
        );
        assert_eq!(
            skew(400, "InvalidParameterValue", "signature expired"),
            Verdict::Final
        );
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(&resp(200, "<x/>")), Verdict::Final);
        assert_eq!(
            verdict(&resp(400, &err("InvalidAMIID.NotFound"))),
            Verdict::Final
        );
        assert_eq!(
            verdict(&resp(503, &err("RequestLimitExceeded"))),
            Verdict::NotProcessed { after: None }
        );
        assert_eq!(
            verdict(&resp(400, &err("Throttling"))),
            Verdict::NotProcessed { after: None }
        );
        assert_eq!(
            verdict(&resp(500, &err("InternalError"))),
            Verdict::MaybeProcessed { after: None }
        );
        assert_eq!(
            verdict(&resp(500, "<html>oops")),
            Verdict::MaybeProcessed { after: None }
        );
        // Unavailable may have acted: only a safe request is sent again.
        for body in [
            err("Unavailable"),
            err("ServiceUnavailable"),
            "<html>".into(),
        ] {
            assert_eq!(
                verdict(&resp(503, &body)),
                Verdict::MaybeProcessed { after: None },
                "{body}"
            );
        }
    }

    #[test]
    fn kinds_exit_codes_and_hints() {
        let e = to_error(&resp(401, &err("AuthFailure")), "CreateImage", "us-east-1");
        assert_eq!(e.exit_code(), 4);
        let e = to_error(&resp(503, &err("RequestLimitExceeded")), "CreateImage", "r");
        assert_eq!(e.exit_code(), 5);
        let e = to_error(
            &resp(400, &err("InvalidAMIName.Duplicate")),
            "CreateImage",
            "r",
        );
        let Error::Provider(p) = &e else {
            panic!("{e}")
        };
        assert_eq!(p.request_id.as_deref(), Some("rid"));
        assert!(p.hint.as_deref().unwrap_or("").contains("name is taken"));
        assert_eq!(e.exit_code(), 1);
        let e = to_error(&resp(500, "<html>Internal</html>"), "CreateImage", "r");
        assert!(
            matches!(
                e,
                Error::BadResponse {
                    http_status: 500,
                    ..
                }
            ),
            "{e}"
        );
        let e = to_error(&resp(403, ""), "CreateImage", "r");
        assert_eq!(e.exit_code(), 4);
        for body in [err("Unavailable"), err("ServiceUnavailable"), "".into()] {
            let e = to_error(&resp(503, &body), "CreateImage", "r");
            let Error::Provider(p) = &e else {
                panic!("{e}")
            };
            assert_eq!(p.kind, ErrorKind::Unavailable, "{body}");
            assert_eq!(e.exit_code(), 5);
            assert!(e.is_ambiguous());
            assert!(!p.hint.as_deref().unwrap_or("").contains("throttl"), "{e}");
        }
    }
}
