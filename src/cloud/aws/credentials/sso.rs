//! IAM Identity Center (SSO): the access token `aws sso login` cached, then
//! `GET /federation/credentials` on the SSO portal. imgctl does not log in
//! or refresh the SSO token itself: an expired one says to run
//! `aws sso login`.

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{AwsSso, KeyPair, Source};
use crate::error::{Error, Result};
use crate::refresh::{TempKeys, parse_expiration};
use crate::secret::Secret;
use crate::transport::{HttpRequest, Idempotency, Transport, url_host};

use super::container::metadata_verdict;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CachedToken {
    access_token: String,
    expires_at: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    role_credentials: RoleCredentials,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    /// Milliseconds since the epoch.
    expiration: i64,
}

pub async fn fetch(s: &AwsSso, t: &Transport) -> Result<TempKeys> {
    crate::transport::refuse_plain_http(&s.endpoint, "the SSO portal")?;
    let login = format!("run `aws sso login --profile {}`", s.profile);
    let text = std::fs::read(&s.token_file).map_err(|_| {
        Error::config(format!(
            "no AWS SSO session for profile {} (no {}): {login}",
            s.profile,
            s.token_file.display()
        ))
    })?;
    let tok: CachedToken = serde_json::from_slice(&text).map_err(|_| {
        Error::config(format!(
            "{} is not an SSO token cache entry: {login}",
            s.token_file.display()
        ))
    })?;
    let expires = parse_expiration(&tok.expires_at);
    if expires.is_none_or(|e| e <= OffsetDateTime::now_utc()) {
        return Err(Error::config(format!(
            "the AWS SSO session of profile {} has expired: {login}",
            s.profile
        )));
    }
    let token = Secret::new(tok.access_token);
    t.add_secret(token.clone());
    let url = format!(
        "{}/federation/credentials?role_name={}&account_id={}",
        s.endpoint,
        url::form_urlencoded::byte_serialize(s.role_name.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(s.account_id.as_bytes()).collect::<String>()
    );
    let build = |_: u32| {
        Ok(HttpRequest {
            method: "GET",
            url: url.clone(),
            headers: vec![(
                "x-amz-sso_bearer_token".to_string(),
                token.expose().to_string(),
            )],
            body: Vec::new(),
        })
    };
    let resp = t.send(Idempotency::Safe, build, metadata_verdict).await?;
    if resp.status == 401 || resp.status == 403 {
        return Err(Error::auth(
            "UnauthorizedException",
            format!(
                "the SSO portal {} refused the session token (HTTP {}): {login}",
                url_host(&s.endpoint),
                resp.status
            ),
        ));
    }
    if !(200..300).contains(&resp.status) {
        return Err(Error::config(format!(
            "the SSO portal {} answered HTTP {}",
            url_host(&s.endpoint),
            resp.status
        )));
    }
    let a: Answer = serde_json::from_slice(&resp.body).map_err(|_| {
        Error::bad_response(
            "SSO GetRoleCredentials: the answer is not the expected JSON",
            200,
        )
    })?;
    let c = a.role_credentials;
    let expires = OffsetDateTime::from_unix_timestamp(c.expiration / 1000)
        .map_err(|_| Error::bad_response("SSO GetRoleCredentials: bad expiration", 200))?;
    Ok(TempKeys {
        keys: KeyPair {
            access_key_id: c.access_key_id,
            secret: Secret::new(c.secret_access_key),
            session_token: Some(Secret::new(c.session_token)),
            source: Source::Cached(format!("SSO: role {} in {}", s.role_name, s.account_id)),
        },
        expires: Some(expires),
        obtained: OffsetDateTime::now_utc(),
    })
}
