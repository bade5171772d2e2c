//! Alibaba STS (API 2015-04-01, RPC): AssumeRole signed with the source
//! keys (HMAC-SHA1, SignatureVersion 1.0), and AssumeRoleWithOIDC, which
//! is anonymous. JSON answers.

use serde::Deserialize;
use time::OffsetDateTime;

use super::{AliKeys, parse_json};
use crate::config::{AliOidc, AliRamRoleArn, AliSts, KeyPair, Source};
use crate::error::{Error, ErrorKind, ProviderError, Result};
use crate::refresh::TempKeys;
use crate::secret::{Secret, scrub};
use crate::sign::alibaba::{AcsCredentials, sign_v1};
use crate::transport::{
    self, HttpRequest, HttpResponse, Idempotency, Transport, Verdict, random_hex, url_host,
};

const VERSION: &str = "2015-04-01";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    credentials: Option<AliKeys>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct ErrorBody {
    code: String,
    message: String,
    request_id: Option<String>,
}

fn session_name(configured: Option<&str>) -> String {
    configured.map(str::to_string).unwrap_or_else(|| {
        format!(
            "imgctl-session-{}",
            OffsetDateTime::now_utc().unix_timestamp()
        )
    })
}

fn verdict(r: &HttpResponse) -> Verdict {
    let code = serde_json::from_slice::<ErrorBody>(&r.body)
        .map(|e| e.code)
        .unwrap_or_default();
    if code.starts_with("Throttling") || r.status == 503 {
        return Verdict::NotProcessed {
            after: transport::retry_after(r),
        };
    }
    if r.status >= 500 {
        return Verdict::MaybeProcessed { after: None };
    }
    Verdict::Final
}

pub async fn assume_role(a: &AliRamRoleArn, source: &KeyPair, t: &Transport) -> Result<TempKeys> {
    transport::refuse_plain_http(&a.sts.url, "STS")?;
    let mut params = vec![
        ("RoleArn".to_string(), a.role_arn.clone()),
        (
            "RoleSessionName".to_string(),
            session_name(a.session_name.as_deref()),
        ),
        (
            "DurationSeconds".to_string(),
            a.duration_seconds.unwrap_or(3600).to_string(),
        ),
    ];
    if let Some(e) = &a.external_id {
        params.push(("ExternalId".into(), e.clone()));
    }
    if let Some(p) = &a.policy {
        params.push(("Policy".into(), p.clone()));
    }
    let build = |_: u32| {
        let creds = AcsCredentials {
            access_key_id: &source.access_key_id,
            access_key_secret: source.secret.expose(),
            security_token: source.session_token.as_ref().map(Secret::expose),
        };
        let ts = crate::cloud::alibaba::rpc::timestamp(OffsetDateTime::now_utc());
        let query = sign_v1(
            "POST",
            "AssumeRole",
            VERSION,
            &params,
            &creds,
            &ts,
            &random_hex(),
        );
        Ok(HttpRequest {
            method: "POST",
            url: format!("{}/?{query}", a.sts.url),
            headers: Vec::new(),
            body: Vec::new(),
        })
    };
    let resp = t.send(Idempotency::Safe, build, verdict).await?;
    read(
        &resp,
        &a.sts,
        "AssumeRole",
        Source::Cached(format!("assume role: role {}", a.role_arn)),
        &[],
    )
}

pub async fn oidc(o: &AliOidc, t: &Transport) -> Result<TempKeys> {
    transport::refuse_plain_http(&o.sts.url, "STS")?;
    // Read on every refresh, verbatim: the cluster rotates the file.
    let token = std::fs::read_to_string(&o.token_file).map_err(|e| {
        Error::config(format!(
            "cannot read the OIDC token file {}: {}",
            o.token_file.display(),
            e.kind()
        ))
    })?;
    let token = Secret::new(token);
    t.add_secret(token.clone());
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("RoleArn", &o.role_arn);
    form.append_pair("OIDCProviderArn", &o.provider_arn);
    form.append_pair("OIDCToken", token.expose());
    form.append_pair("RoleSessionName", &session_name(o.session_name.as_deref()));
    form.append_pair(
        "DurationSeconds",
        &o.duration_seconds.unwrap_or(3600).to_string(),
    );
    if let Some(p) = &o.policy {
        form.append_pair("Policy", p);
    }
    let body = form.finish().into_bytes();
    let build = |_: u32| {
        let ts = crate::cloud::alibaba::rpc::timestamp(OffsetDateTime::now_utc());
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("Action", "AssumeRoleWithOIDC")
            .append_pair("Version", VERSION)
            .append_pair("Format", "JSON")
            .append_pair("Timestamp", &ts)
            .finish();
        Ok(HttpRequest {
            method: "POST",
            url: format!("{}/?{query}", o.sts.url),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: body.clone(),
        })
    };
    let resp = t.send(Idempotency::Safe, build, verdict).await?;
    read(
        &resp,
        &o.sts,
        "AssumeRoleWithOIDC",
        Source::Cached(format!("OIDC: role {}", o.role_arn)),
        &[token],
    )
}

fn read(
    resp: &HttpResponse,
    sts: &AliSts,
    action: &str,
    source: Source,
    secrets: &[Secret],
) -> Result<TempKeys> {
    if !(200..300).contains(&resp.status) {
        let e: ErrorBody = serde_json::from_slice(&resp.body).unwrap_or_default();
        let code = if e.code.is_empty() {
            format!("HTTP{}", resp.status)
        } else {
            e.code
        };
        let kind = if code.starts_with("Throttling") {
            ErrorKind::Throttled
        } else if resp.status >= 500 {
            ErrorKind::Server
        } else {
            ErrorKind::Auth
        };
        return Err(Error::Provider(Box::new(ProviderError {
            code,
            message: scrub(&format!("STS {action}: {}", e.message), secrets),
            http_status: resp.status,
            request_id: e.request_id,
            kind,
            hint: Some(format!(
                "credentials could not be obtained from STS at {}; nothing was sent to the \
                 image API",
                url_host(&sts.url)
            )),
            ..ProviderError::default()
        })));
    }
    let a: Answer = parse_json(&resp.body, &format!("STS {action}"))?;
    a.credentials
        .ok_or_else(|| {
            Error::bad_response(format!("STS {action}: the answer has no Credentials"), 200)
        })?
        .into_temp(&format!("STS {action}"), source)
}
