//! credential_process: a command line split like a POSIX shell, run
//! without one; Version 1 JSON on stdout.

use serde::Deserialize;
use time::OffsetDateTime;

use crate::config::{AwsProcess, KeyPair, Source};
use crate::error::{Error, Result};
use crate::refresh::{TempKeys, parse_expiration};
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
    let argv = split(&p.command).ok_or_else(|| {
        Error::config(format!(
            "credential_process ({}): unbalanced quotes in the command line",
            p.source
        ))
    })?;
    let Some((prog, args)) = argv.split_first() else {
        return Err(Error::config(format!(
            "credential_process ({}) is empty",
            p.source
        )));
    };
    let out = std::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::config(format!("credential_process: cannot run {prog}: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::config(format!(
            "credential_process {prog} failed ({}): {}",
            out.status,
            err.trim()
        )));
    }
    // Never quote stdout in an error: it holds the secret.
    let o: Output = serde_json::from_slice(&out.stdout).map_err(|e| {
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

/// Python's `shlex.split` (POSIX mode) for what command lines use:
/// whitespace separates, single quotes keep everything, double quotes
/// keep all but `\"` and `\\`, a backslash outside quotes escapes.
fn split(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                have = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        d => cur.push(d),
                    }
                }
            }
            '"' => {
                have = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            d @ ('"' | '\\' | '$' | '`') => cur.push(d),
                            d => {
                                cur.push('\\');
                                cur.push(d);
                            }
                        },
                        d => cur.push(d),
                    }
                }
            }
            '\\' => {
                have = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if have {
                    out.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            c => {
                have = true;
                cur.push(c);
            }
        }
    }
    if have {
        out.push(cur);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_shlex() {
        assert_eq!(
            split(r#"/bin/tool --name "a b" 'c "d"' e\ f"#).unwrap(),
            vec!["/bin/tool", "--name", "a b", "c \"d\"", "e f"]
        );
        assert_eq!(split(r#"x "" y"#).unwrap(), vec!["x", "", "y"]);
        assert!(split("x 'open").is_none());
    }
}
