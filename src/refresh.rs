//! Temporary credentials, whatever cloud they are for: when to refresh
//! them, and their on-disk cache shared by parallel and repeated runs.
//!
//! Credentials are checked before every signed request (each poll of a
//! `--wait` too). botocore's windows: an *advisory* refresh 15 minutes
//! before expiry (a failure keeps the old keys), a *mandatory* one 10
//! minutes before (a failure is an error), both scaled down for keys that
//! live less than an hour. Keys past their expiration are never used.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cache::DiskCache;
use crate::config::{KeyPair, Source};
use crate::error::{Error, Result};
use crate::secret::Secret;

const ADVISORY: i64 = 15 * 60;
const MANDATORY: i64 = 10 * 60;

/// Fetched keys and when they stop working.
#[derive(Debug, Clone)]
pub struct TempKeys {
    pub keys: KeyPair,
    /// `None`: keys that do not expire (a credential_process without
    /// Expiration).
    pub expires: Option<OffsetDateTime>,
    pub obtained: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// Refresh if possible; keep these if the refresh fails.
    Advisory,
    /// Refresh, and fail if that fails.
    Mandatory,
    Expired,
}

impl TempKeys {
    /// The windows, scaled for short-lived keys: never more than half
    /// (advisory) or a third (mandatory) of the keys' lifetime.
    pub fn freshness(&self, now: OffsetDateTime) -> Freshness {
        let Some(exp) = self.expires else {
            return Freshness::Fresh;
        };
        let left = (exp - now).whole_seconds();
        if left <= 0 {
            return Freshness::Expired;
        }
        let life = (exp - self.obtained).whole_seconds().max(1);
        if left <= MANDATORY.min(life / 3) {
            Freshness::Mandatory
        } else if left <= ADVISORY.min(life / 2) {
            Freshness::Advisory
        } else {
            Freshness::Fresh
        }
    }
}

/// Parses the clouds' expiration stamps: RFC 3339, with or without a
/// fraction (AWS sends none, moto microseconds).
pub fn parse_expiration(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}

#[derive(Serialize, Deserialize)]
struct Entry {
    access_key_id: String,
    secret: String,
    session_token: Option<String>,
    expires: String,
    obtained: String,
    source: String,
}

/// The disk cache of one source's keys, keyed by what identifies the
/// source and role; `None` when caching is off (`--no-cache`,
/// `IMGCTL_NO_CACHE`) or there is no cache directory.
pub struct KeyCache {
    cache: DiskCache,
    path: PathBuf,
}

impl KeyCache {
    pub fn new(base: Option<PathBuf>, cloud: &str, key: &[&str]) -> Option<KeyCache> {
        let cache = DiskCache::named(base, cloud)?;
        let path = cache.entry("keys", key);
        Some(KeyCache { cache, path })
    }

    /// Keys cached by an earlier run and still fresh; why an entry was not
    /// trusted goes to `log`.
    pub fn read(&self, now: OffsetDateTime, log: &dyn Fn(&str)) -> Option<TempKeys> {
        let e: Entry = match self.cache.read(&self.path) {
            Ok(v) => v?,
            Err(why) => {
                log(&format!("* ignoring the cache entry: {why}"));
                return None;
            }
        };
        let t = TempKeys {
            keys: KeyPair {
                access_key_id: e.access_key_id,
                secret: Secret::new(e.secret),
                session_token: e.session_token.map(Secret::new),
                source: Source::Cached(e.source),
            },
            expires: Some(parse_expiration(&e.expires)?),
            obtained: parse_expiration(&e.obtained)?,
        };
        (t.freshness(now) == Freshness::Fresh).then_some(t)
    }

    pub fn write(&self, t: &TempKeys, log: &dyn Fn(&str)) {
        let Some(exp) = t.expires else { return };
        let (Ok(expires), Ok(obtained)) = (exp.format(&Rfc3339), t.obtained.format(&Rfc3339))
        else {
            return;
        };
        let e = Entry {
            access_key_id: t.keys.access_key_id.clone(),
            secret: t.keys.secret.expose().to_string(),
            session_token: t
                .keys
                .session_token
                .as_ref()
                .map(|s| s.expose().to_string()),
            expires,
            obtained,
            source: t.keys.source.to_string(),
        };
        if let Err(err) = self.cache.write(&self.path, &e) {
            log(&format!("* not caching in {}: {err}", self.path.display()));
        }
    }

    pub fn lock(&self) -> Option<crate::cache::Lock> {
        self.cache.lock(&self.path, Duration::from_secs(30))
    }
}

/// Keys fetched just now must be usable: a source that hands out keys
/// already expired is an error, never a signature that will fail.
pub fn check_not_expired(t: &TempKeys, now: OffsetDateTime, what: &str) -> Result<()> {
    if t.freshness(now) == Freshness::Expired {
        return Err(Error::auth(
            "ExpiredCredentials",
            format!("{what} returned credentials that have already expired"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration as TD;

    fn keys(obtained: OffsetDateTime, life: i64) -> TempKeys {
        TempKeys {
            keys: KeyPair {
                access_key_id: "ASIA".into(),
                secret: Secret::new("s"),
                session_token: None,
                source: Source::Default,
            },
            expires: Some(obtained + TD::seconds(life)),
            obtained,
        }
    }

    #[test]
    fn windows_are_botocores_scaled_for_short_keys() {
        let t0 = OffsetDateTime::UNIX_EPOCH;
        let k = keys(t0, 3600);
        assert_eq!(k.freshness(t0 + TD::seconds(2000)), Freshness::Fresh);
        assert_eq!(k.freshness(t0 + TD::seconds(2800)), Freshness::Advisory);
        assert_eq!(k.freshness(t0 + TD::seconds(3100)), Freshness::Mandatory);
        assert_eq!(k.freshness(t0 + TD::seconds(3600)), Freshness::Expired);
        // 15-minute keys: refreshed from 7.5 (advisory) and 5 minutes left.
        let k = keys(t0, 900);
        assert_eq!(k.freshness(t0 + TD::seconds(400)), Freshness::Fresh);
        assert_eq!(k.freshness(t0 + TD::seconds(500)), Freshness::Advisory);
        assert_eq!(k.freshness(t0 + TD::seconds(650)), Freshness::Mandatory);
    }

    #[test]
    fn expiration_with_and_without_fraction() {
        assert!(parse_expiration("2026-11-29T22:17:56Z").is_some());
        assert!(parse_expiration("2026-11-29T22:17:56.299770Z").is_some());
        assert!(parse_expiration("tomorrow").is_none());
    }
}
