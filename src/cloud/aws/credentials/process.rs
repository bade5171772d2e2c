//! credential_process: a command line split like a POSIX shell, run
//! without one; Version 1 JSON on stdout.

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{AwsProcess, KeyPair, Source};
use crate::error::{Error, Result};
use crate::refresh::{TempKeys, parse_expiration, run_command};
use crate::secret::Secret;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    version: i64,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<String>,
}

pub fn run(p: &AwsProcess) -> Result<TempKeys> {
    let (prog, stdout) = run_command(&p.command, "credential_process", &p.source)?;
    // Never quote stdout in an error: it holds the secret.
    let o: Output = serde_json::from_slice(&stdout).map_err(|e| {
        Error::config(format!(
            "credential_process {prog}: its output is not the expected JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    if o.version != 1 {
        return Err(Error::config(format!(
            "credential_process {prog}: unsupported Version {} (only 1 is defined)",
            o.version
        )));
    }
    if o.access_key_id.is_empty() || o.secret_access_key.is_empty() {
        return Err(Error::config(format!(
            "credential_process {prog}: AccessKeyId or SecretAccessKey is empty"
        )));
    }
    let expires = match &o.expiration {
        None => None,
        Some(s) => Some(parse_expiration(s).ok_or_else(|| {
            Error::config(format!(
                "credential_process {prog}: Expiration is not an ISO 8601 time"
            ))
        })?),
    };
    Ok(TempKeys {
        keys: KeyPair {
            access_key_id: o.access_key_id,
            secret: Secret::new(o.secret_access_key),
            session_token: o.session_token.filter(|t| !t.is_empty()).map(Secret::new),
            source: Source::Cached(format!("process: {prog}")),
        },
        expires,
        obtained: OffsetDateTime::now_utc(),
    })
}
