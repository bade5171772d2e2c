//! STS: AssumeRoleWithWebIdentity (unsigned) and AssumeRole (SigV4,
//! service `sts`), API 2011-06-15, form POSTs with XML answers.

use std::io::IsTerminal;
use std::time::SystemTime;

use time::OffsetDateTime;

use crate::cloud::aws::query::Query;
use crate::cloud::aws::xml;
use crate::cloud::aws::{endpoint, errors};
use crate::config::{AwsAssumeRole, AwsSts, AwsWebIdentity, KeyPair, Source};
use crate::error::{Error, ErrorKind, ProviderError, Result};
use crate::refresh::{TempKeys, parse_expiration};
use crate::secret::{Secret, scrub};
use crate::sign::sigv4::{AwsCreds, sign_query_post};
use crate::transport::{HttpRequest, HttpResponse, Idempotency, Transport, Verdict};

const VERSION: &str = "2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

pub async fn web_identity(w: &AwsWebIdentity, t: &Transport) -> Result<TempKeys> {
    // Read on every refresh, verbatim: Kubernetes rotates the file.
    let token = std::fs::read_to_string(&w.token_file).map_err(|e| {
        Error::config(format!(
            "cannot read the web identity token file {}: {}",
            w.token_file.display(),
            e.kind()
        ))
    })?;
    let token = Secret::new(token);
    t.add_secret(token.clone());
    let mut q = Query::with_version("AssumeRoleWithWebIdentity", VERSION);
    q.push("RoleArn", w.role_arn.clone());
    q.push("RoleSessionName", session_name(w.session_name.as_deref()));
    q.push("WebIdentityToken", token.expose());
    let source = Source::Cached(format!("web identity: role {}", w.role_arn));
    let root = call(&w.sts, &q, None, t, &[token]).await?;
    keys_of(&root, "AssumeRoleWithWebIdentity", source)
}

pub async fn assume_role(a: &AwsAssumeRole, source: &KeyPair, t: &Transport) -> Result<TempKeys> {
    let mut q = Query::with_version("AssumeRole", VERSION);
    q.push("RoleArn", a.role_arn.clone());
    q.push("RoleSessionName", session_name(a.session_name.as_deref()));
    q.opt("ExternalId", a.external_id.clone());
    q.opt("DurationSeconds", a.duration_seconds);
    if let Some(serial) = &a.mfa_serial {
        q.push("SerialNumber", serial.clone());
        q.push("TokenCode", mfa_code(serial)?);
    }
    let label = Source::Cached(format!("assume role: role {}", a.role_arn));
    let root = call(&a.sts, &q, Some(source), t, &[]).await?;
    keys_of(&root, "AssumeRole", label)
}

fn session_name(configured: Option<&str>) -> String {
    configured.map(str::to_string).unwrap_or_else(|| {
        format!(
            "imgctl-session-{}",
            OffsetDateTime::now_utc().unix_timestamp()
        )
    })
}

/// mfa_serial: the code is asked for on a terminal; without one there is
/// nobody to ask, and a pipeline must use another source.
fn mfa_code(serial: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::config(format!(
            "the AWS profile needs an MFA code for {serial} (mfa_serial), and there is no \
             terminal to ask for it on"
        )));
    }
    eprint!("Enter MFA code for {serial}: ");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::config(format!("cannot read the MFA code: {e}")))?;
    let code = line.trim().to_string();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::config("the MFA code must be digits"));
    }
    Ok(code)
}

fn url_of(sts: &AwsSts) -> Result<String> {
    let Some(url) = &sts.url else {
        return endpoint::service_url("sts", &sts.region, sts.fips, sts.dualstack);
    };
    let after_scheme = url.split_once("://").map_or("", |(_, r)| r);
    Ok(if after_scheme.contains('/') {
        url.clone()
    } else {
        format!("{url}/")
    })
}

fn verdict(resp: &HttpResponse) -> Verdict {
    if errors::error_of(resp).is_some_and(|e| e.code == "IDPCommunicationError") {
        return Verdict::NotProcessed { after: None };
    }
    errors::verdict(resp)
}

/// Sends one STS action, signed with `creds` (or unsigned), and returns
/// the answer's root.
async fn call(
    sts: &AwsSts,
    q: &Query,
    creds: Option<&KeyPair>,
    t: &Transport,
    secrets: &[Secret],
) -> Result<xml::Element> {
    let action = q.action().to_string();
    let url = url_of(sts)?;
    crate::transport::refuse_userinfo(&url)?;
    crate::transport::refuse_plain_http(&url, "STS")?;
    let body = q.encode();
    let build = |_attempt: u32| -> Result<HttpRequest> {
        let mut headers = vec![("content-type".to_string(), CONTENT_TYPE.to_string())];
        if let Some(k) = creds {
            let c = AwsCreds {
                access_key_id: &k.access_key_id,
                secret_access_key: k.secret.expose(),
                session_token: k.session_token.as_ref().map(Secret::expose),
            };
            let signed = sign_query_post(
                &url,
                &body,
                CONTENT_TYPE,
                &c,
                &sts.region,
                "sts",
                SystemTime::now(),
            )
            .map_err(Error::config)?;
            headers.extend(signed);
        }
        Ok(HttpRequest {
            method: "POST",
            url: url.clone(),
            headers,
            body: body.as_bytes().to_vec(),
        })
    };
    let resp = t.send(Idempotency::Safe, build, verdict).await?;
    let text = String::from_utf8_lossy(&resp.body);
    if !(200..300).contains(&resp.status) {
        let (code, message, request_id) = match errors::error_of(&resp) {
            Some(e) => (e.code, e.message, e.request_id),
            None => (format!("HTTP{}", resp.status), String::new(), None),
        };
        let kind = match (resp.status, code.as_str()) {
            (_, "Throttling" | "IDPCommunicationError") => ErrorKind::Throttled,
            (s, _) if s >= 500 => ErrorKind::Server,
            _ => ErrorKind::Auth,
        };
        return Err(Error::Provider(Box::new(ProviderError {
            code,
            message: scrub(&format!("STS {action}: {message}"), secrets),
            http_status: resp.status,
            request_id,
            kind,
            hint: Some(format!(
                "credentials could not be obtained from STS at {}; nothing was sent to EC2",
                crate::transport::url_host(&url)
            )),
            ..ProviderError::default()
        })));
    }
    let root = xml::parse(&text)
        .map_err(|m| Error::bad_response(format!("STS {action}: {m}"), resp.status))?;
    let want = format!("{action}Response");
    if root.name != want {
        return Err(Error::bad_response(
            format!("STS {action}: expected <{want}>, got <{}>", root.name),
            resp.status,
        ));
    }
    Ok(root)
}

fn keys_of(root: &xml::Element, action: &str, source: Source) -> Result<TempKeys> {
    let bad = |m: &str| Error::bad_response(format!("STS {action}: {m}"), 200);
    let c = root
        .find("Credentials")
        .ok_or_else(|| bad("the answer has no <Credentials>"))?;
    let field = |n: &str| {
        c.text_of(n)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(&format!("the answer has no {n}")))
    };
    let expires = parse_expiration(&field("Expiration")?)
        .ok_or_else(|| bad("the Expiration is not an RFC 3339 time"))?;
    Ok(TempKeys {
        keys: KeyPair {
            access_key_id: field("AccessKeyId")?,
            secret: Secret::new(field("SecretAccessKey")?),
            session_token: Some(Secret::new(field("SessionToken")?)),
            source,
        },
        expires: Some(expires),
        obtained: OffsetDateTime::now_utc(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moto_answer_is_read() {
        // Captured from moto 5.2.5 (ref/credentials.md §1.2).
        let body = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>sk</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2026-11-29T22:17:56.299770Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>x</AssumedRoleId><Arn>y</Arn></AssumedRoleUser></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>"#;
        let root = xml::parse(body).unwrap();
        let k = keys_of(&root, "AssumeRoleWithWebIdentity", Source::Default).unwrap();
        assert_eq!(k.keys.access_key_id, "ASIAEXAMPLE");
        assert_eq!(k.keys.session_token.unwrap().expose(), "tok");
        let root =
            xml::parse("<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>").unwrap();
        assert!(keys_of(&root, "AssumeRole", Source::Default).is_err());
    }

    #[test]
    fn sts_url_gets_a_path() {
        let s = |u: Option<&str>, fips| AwsSts {
            url: u.map(str::to_string),
            region: "eu-west-1".into(),
            fips,
            dualstack: false,
        };
        let url = |s: AwsSts| url_of(&s).unwrap();
        assert_eq!(
            url(s(Some("http://127.0.0.1:5000"), false)),
            "http://127.0.0.1:5000/"
        );
        assert_eq!(url(s(Some("https://sts.x/p"), false)), "https://sts.x/p");
        assert_eq!(url(s(None, false)), "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(
            url(s(None, true)),
            "https://sts-fips.eu-west-1.amazonaws.com/"
        );
    }
}
