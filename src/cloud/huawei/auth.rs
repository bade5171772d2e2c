//! Huawei Cloud authentication: choosing IAM token or AK/SK, the password
//! token request and its answer, and the project look-up by region name.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::config::{AuthMode, Settings};
use crate::error::{Error, Result};
use crate::refresh::Handle;
use crate::secret::Secret;
use crate::transport::HttpResponse;

/// A cached token is not used when it has less than this left: a command
/// (and its --wait) should not run into the expiry.
pub const EXPIRY_MARGIN_SECS: i64 = 15 * 60;

pub enum Credentials {
    /// IAM password identity; the token is fetched (or read from the cache).
    Token {
        user: String,
        password: Secret,
        domain: String,
    },
    /// AK/SK (and a security token with temporary keys), every request
    /// signed; the handle refreshes keys fetched from ECS metadata.
    Aksk(Handle),
}

impl Credentials {
    /// `--auth-mode` when given; otherwise AK/SK when keys are configured,
    /// else a token when a user and password are.
    pub fn from_settings(
        s: &Settings,
        cache_dir: Option<std::path::PathBuf>,
    ) -> Result<Credentials> {
        let mode = match (&s.auth_mode, &s.keys, &s.password) {
            (Some(m), _, _) => m.value,
            (None, Some(_), _) => AuthMode::Aksk,
            (None, None, Some(_)) => AuthMode::Token,
            (None, None, None) if s.dynamic.is_some() => AuthMode::Aksk,
            (None, None, None) => {
                return Err(Error::config(
                    "no credentials for ims: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK \
                     (AK/SK mode) or HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME (token mode)",
                ));
            }
        };
        match mode {
            AuthMode::Aksk => {
                if s.keys.is_none() && s.dynamic.is_none() {
                    return Err(Error::config(
                        "--auth-mode aksk needs HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK \
                         (or keys in a profile)",
                    ));
                }
                Ok(Credentials::Aksk(super::credentials::handle(s, cache_dir)?))
            }
            AuthMode::Token => {
                let p = s.password.as_ref().ok_or_else(|| {
                    Error::config(
                        "--auth-mode token needs HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME \
                         (or user_name, password, domain_name in a profile)",
                    )
                })?;
                Ok(Credentials::Token {
                    user: p.user_name.clone(),
                    password: p.password.clone(),
                    domain: p.domain_name.clone(),
                })
            }
        }
    }
}

/// A project-scoped IAM token and what came with it.
#[derive(Clone)]
pub struct Token {
    pub value: Secret,
    pub expires_at: OffsetDateTime,
    pub project_id: String,
}

/// The cache file's shape (the token in clear: the file is owner-only).
#[derive(Serialize, Deserialize)]
pub struct CachedToken {
    pub token: String,
    pub expires_at: String,
    pub project_id: String,
}

impl Token {
    pub fn usable_at(&self, now: OffsetDateTime) -> bool {
        (self.expires_at - now).whole_seconds() > EXPIRY_MARGIN_SECS
    }

    pub fn to_cached(&self) -> CachedToken {
        CachedToken {
            token: self.value.expose().to_string(),
            expires_at: self.expires_at.format(&Rfc3339).unwrap_or_default(),
            project_id: self.project_id.clone(),
        }
    }

    pub fn from_cached(c: CachedToken) -> Option<Token> {
        if c.token.is_empty() || c.project_id.is_empty() {
            return None;
        }
        Some(Token {
            value: Secret::new(c.token),
            expires_at: OffsetDateTime::parse(&c.expires_at, &Rfc3339).ok()?,
            project_id: c.project_id,
        })
    }
}

/// The body of `POST /v3/auth/tokens`: password identity, scoped to the
/// configured project id (HUAWEICLOUD_SDK_PROJECT_ID) when there is one,
/// else to the project named after the region. Byte-compatible in meaning with what
/// the official IAM SDK sends.
pub fn token_request_body(
    user: &str,
    password: &Secret,
    domain: &str,
    region: &str,
    project_id: Option<&str>,
) -> Vec<u8> {
    let scope = match project_id {
        Some(id) => json!({"project": {"id": id}}),
        None => json!({"project": {"name": region}}),
    };
    let v = json!({
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "domain": {"name": domain},
                        "name": user,
                        "password": password.expose(),
                    }
                }
            },
            "scope": scope
        }
    });
    serde_json::to_vec(&v).unwrap_or_default()
}

/// The token from a successful answer: the X-Subject-Token header, with
/// token.expires_at and token.project.id from the body.
pub fn parse_token_response(resp: &HttpResponse) -> Result<Token> {
    let bad = |what: &str| Error::BadResponse {
        message: format!("IAM token answer {what}"),
        http_status: resp.status,
        request_id: crate::cloud::huawei::errors::request_id(resp),
    };
    let value = resp
        .header("x-subject-token")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("has no X-Subject-Token header"))?;
    let body: Value = serde_json::from_slice(&resp.body).map_err(|_| bad("is not JSON"))?;
    let token = &body["token"];
    let expires_at = token["expires_at"]
        .as_str()
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
        .ok_or_else(|| bad("has no readable token.expires_at"))?;
    let project_id = token["project"]["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("has no token.project.id (is the token scoped to a project?)"))?;
    Ok(Token {
        value: Secret::new(value),
        expires_at,
        project_id: project_id.to_string(),
    })
}

/// The project id from `GET /v3/projects?name=<region>`: exactly one
/// project must match, as the SDK requires.
pub fn parse_projects(body: &[u8], region: &str) -> Result<String> {
    let v: Value = serde_json::from_slice(body).map_err(|_| {
        Error::bad_response(
            format!(
                "the IAM project list is not JSON: {}",
                super::errors::excerpt(body)
            ),
            200,
        )
    })?;
    let projects = v["projects"]
        .as_array()
        .ok_or_else(|| Error::bad_response("the IAM project list has no 'projects'", 200))?;
    let ids: Vec<&str> = projects.iter().filter_map(|p| p["id"].as_str()).collect();
    match ids.as_slice() {
        [one] => Ok(one.to_string()),
        [] => Err(Error::config(format!(
            "no IAM project named '{region}' for these credentials: check --region, or set \
             HUAWEICLOUD_SDK_PROJECT_ID"
        ))),
        _ => Err(Error::config(format!(
            "{} IAM projects are named '{region}': choose one with HUAWEICLOUD_SDK_PROJECT_ID",
            ids.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_body_matches_the_documented_request() {
        let pw = Secret::new("S3cret!pw");
        let b = token_request_body("alice", &pw, "acct", "cn-north-4", None);
        let got: Value = serde_json::from_slice(&b).unwrap();
        // ref/huawei.md §1.1, as captured from the official SDK.
        let want: Value = serde_json::from_str(
            r#"{"auth": {"identity": {"methods": ["password"], "password": {"user": {"domain": {"name": "acct"}, "name": "alice", "password": "S3cret!pw"}}}, "scope": {"project": {"name": "cn-north-4"}}}}"#,
        )
        .unwrap();
        assert_eq!(got, want);
        // HUAWEICLOUD_SDK_PROJECT_ID scopes the token to that project.
        let b = token_request_body("alice", &pw, "acct", "cn-north-4", Some("0123abcd"));
        let got: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(
            got["auth"]["scope"],
            serde_json::json!({"project": {"id": "0123abcd"}})
        );
    }

    #[test]
    fn token_answer() {
        let resp = HttpResponse {
            status: 201,
            headers: vec![("X-Subject-Token".into(), "MIIatAYJ".into())],
            body: br#"{"token":{"expires_at":"2020-01-04T09:05:22.701000Z","project":{"id":"aa2d","name":"cn-north-1"}}}"#.to_vec(),
        };
        let t = parse_token_response(&resp).unwrap();
        assert_eq!(t.value.expose(), "MIIatAYJ");
        assert_eq!(t.project_id, "aa2d");
        assert_eq!(t.expires_at.unix_timestamp(), 1578128722);
        let back = Token::from_cached(t.to_cached()).unwrap();
        assert_eq!(back.expires_at, t.expires_at);
        let no_header = HttpResponse {
            headers: vec![],
            ..resp
        };
        assert!(matches!(
            parse_token_response(&no_header),
            Err(Error::BadResponse { .. })
        ));
    }

    #[test]
    fn expiry_margin() {
        let now = OffsetDateTime::from_unix_timestamp(1_000_000).unwrap();
        let t = |secs| Token {
            value: Secret::new("t"),
            expires_at: now + time::Duration::seconds(secs),
            project_id: "p".into(),
        };
        assert!(t(24 * 3600).usable_at(now));
        assert!(!t(60).usable_at(now));
        // The margin is 15 minutes: a token with 10 or 14 left is fetched
        // again, one with 16 is used.
        assert!(!t(10 * 60).usable_at(now));
        assert!(!t(14 * 60 + 59).usable_at(now));
        assert!(!t(15 * 60).usable_at(now));
        assert!(t(15 * 60 + 1).usable_at(now));
        assert!(t(16 * 60).usable_at(now));
        assert!(!t(-1).usable_at(now));
    }

    #[test]
    fn projects() {
        assert_eq!(
            parse_projects(br#"{"projects":[{"id":"p1","name":"cn-north-4"}]}"#, "r").unwrap(),
            "p1"
        );
        assert!(matches!(
            parse_projects(br#"{"projects":[]}"#, "r"),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            parse_projects(br#"{"projects":[{"id":"a"},{"id":"b"}]}"#, "r"),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            parse_projects(b"<html>", "r"),
            Err(Error::BadResponse { .. })
        ));
    }
}
