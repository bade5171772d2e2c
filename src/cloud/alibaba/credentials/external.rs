//! Mode External: `process_command`, split like a shell and run without
//! one; JSON with `mode` AK or StsToken on stdout (credentials-go).

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{AliExternal, KeyPair, Source};
use crate::error::{Error, Result};
use crate::refresh::{TempKeys, parse_expiration, run_command};
use crate::secret::Secret;

#[derive(Deserialize)]
struct Output {
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    expiration: Option<String>,
}

pub fn run(x: &AliExternal) -> Result<TempKeys> {
    let (prog, stdout) = run_command(&x.command, "process_command", &x.source)?;
    let o: Output = serde_json::from_slice(&stdout).map_err(|e| {
        Error::config(format!(
            "process_command {prog}: its output is not the expected JSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let with_token = match o.mode.as_str() {
        "AK" => false,
        "StsToken" => true,
        other => {
            return Err(Error::config(format!(
                "process_command {prog}: mode {other} is neither AK nor StsToken"
            )));
        }
    };
    if o.access_key_id.is_empty() || o.access_key_secret.is_empty() {
        return Err(Error::config(format!(
            "process_command {prog}: access_key_id or access_key_secret is empty"
        )));
    }
    let expires = match o.expiration.as_deref().filter(|e| !e.is_empty()) {
        None => None,
        Some(e) => Some(
            parse_expiration(e)
                .ok_or_else(|| Error::config(format!("process_command {prog}: bad expiration")))?,
        ),
    };
    Ok(TempKeys {
        keys: KeyPair {
            access_key_id: o.access_key_id,
            secret: Secret::new(o.access_key_secret),
            session_token: (with_token && !o.sts_token.is_empty())
                .then(|| Secret::new(o.sts_token)),
            source: Source::Cached(format!("process: {prog}")),
        },
        expires,
        obtained: OffsetDateTime::now_utc(),
    })
}
