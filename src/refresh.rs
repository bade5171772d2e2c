//! Temporary credentials, whatever cloud they are for: when to refresh
//! them, and their on-disk cache shared by parallel and repeated runs.
//!
//! Credentials are checked before every signed request (each poll of a
//! `--wait` too). botocore's windows: an *advisory* refresh 15 minutes
//! before expiry (a failure keeps the old keys), a *mandatory* one 10
//! minutes before (a failure is an error), both scaled down for keys that
//! live less than an hour. Keys past their expiration are never used.

use std::cell::RefCell;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cache::DiskCache;
use crate::config::{self, Dynamic, KeyPair, ProcessEnv, Settings, Source};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::transport::Transport;

/// A future of fetched keys.
pub type Fetch<'a> = Pin<Box<dyn Future<Output = Result<TempKeys>> + 'a>>;

/// A cloud's fetcher: the keys of one source (a role's source keys are
/// obtained through [`Handle::obtain`], so they are cached too).
pub type FetchFn = for<'a> fn(&'a Handle, &'a Dynamic, &'a Transport) -> Fetch<'a>;

enum Kind {
    Static(KeyPair),
    Dynamic(Dynamic),
}

/// The credentials of one run, which a backend asks for before every
/// request. Static keys are returned as they are; fetched ones are kept
/// in memory and on disk and refreshed ahead of their expiry, so a
/// `--wait` of hours never signs with expired keys.
pub struct Handle {
    kind: Box<Kind>,
    current: RefCell<Option<Box<TempKeys>>>,
    cache_base: Option<PathBuf>,
    cloud: &'static str,
    fetch: FetchFn,
}

impl Handle {
    /// `cache_dir` is the run's cache base (`Ctx::cache_dir`); `cloud`
    /// names the directory under it (`aws`, `alibaba`, `huawei-keys`).
    pub fn new(
        s: &Settings,
        cache_dir: Option<PathBuf>,
        cloud: &'static str,
        fetch: FetchFn,
    ) -> Result<Handle> {
        let kind = match (&s.keys, &s.dynamic) {
            (Some(k), _) => Kind::Static(k.clone()),
            (None, Some(d)) => Kind::Dynamic(d.clone()),
            (None, None) => Kind::Static(s.require_keys()?.clone()),
        };
        Ok(Handle {
            kind: Box::new(kind),
            current: RefCell::new(None),
            cache_base: if s.no_cache { None } else { cache_dir },
            cloud,
            fetch,
        })
    }

    /// The keys to sign the next request with.
    pub async fn keys(&self, t: &Transport) -> Result<KeyPair> {
        let d = match &*self.kind {
            Kind::Static(k) => return Ok(k.clone()),
            Kind::Dynamic(d) => d,
        };
        let now = OffsetDateTime::now_utc();
        let cur = self.current.borrow().clone();
        let fresh = match &cur {
            Some(c) => c.freshness(now),
            None => Freshness::Expired,
        };
        let got = match (fresh, cur) {
            (Freshness::Fresh, Some(c)) => return Ok(c.keys),
            (Freshness::Advisory, Some(c)) => match self.obtain(d, t).await {
                Ok(n) => n,
                Err(e) => {
                    t.debug_line(&format!(
                        "* refreshing the credentials failed, keeping the current ones: {e}"
                    ));
                    return Ok(c.keys);
                }
            },
            _ => self.obtain(d, t).await?,
        };
        let keys = got.keys.clone();
        *self.current.borrow_mut() = Some(Box::new(got));
        Ok(keys)
    }

    /// Keys from the disk cache when an earlier run left fresh ones, else
    /// fetched (under the entry's lock, so parallel runs fetch once) and
    /// cached.
    pub fn obtain<'a>(&'a self, d: &'a Dynamic, t: &'a Transport) -> Fetch<'a> {
        Box::pin(async move {
            let log = |s: &str| t.debug_line(s);
            let key = d.cache_key();
            let key: Vec<&str> = key.iter().map(String::as_str).collect();
            let cache = KeyCache::new(self.cache_base.clone(), self.cloud, &key);
            let _lock = cache.as_ref().and_then(KeyCache::lock);
            let now = OffsetDateTime::now_utc();
            if let Some(c) = &cache
                && let Some(k) = c.read(now, &log)
            {
                register(t, &k.keys);
                t.debug_line(&format!("* using cached credentials ({})", d.describe()));
                return Ok(k);
            }
            let k = (self.fetch)(self, d, t).await?;
            register(t, &k.keys);
            check_not_expired(&k, OffsetDateTime::now_utc(), &d.describe())?;
            if let Some(c) = &cache {
                c.write(&k, &log);
            }
            Ok(k)
        })
    }
}

fn register(t: &Transport, k: &KeyPair) {
    t.add_secret(k.secret.clone());
    if let Some(s) = &k.session_token {
        t.add_secret(s.clone());
    }
}

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

/// When the keys an earlier run cached for this source expire, if fresh
/// ones are cached (`config show`: no network, no secret).
pub fn cached_expiry(s: &Settings, cloud: &str) -> Option<OffsetDateTime> {
    if s.no_cache {
        return None;
    }
    let d = s.dynamic.as_ref()?;
    let key = d.cache_key();
    let key: Vec<&str> = key.iter().map(String::as_str).collect();
    let c = KeyCache::new(config::cache_dir(&ProcessEnv), cloud, &key)?;
    c.read(OffsetDateTime::now_utc(), &|_| {})?.expires
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

/// Runs a credential command (AWS credential_process, Alibaba External):
/// split like a POSIX shell, run without one. Returns the program name and
/// its stdout; a failure is a configuration error with its stderr (never
/// its stdout, which would hold the secret).
pub fn run_command(command: &str, what: &str, source: &Source) -> Result<(String, Vec<u8>)> {
    let argv = split_command(command).ok_or_else(|| {
        Error::config(format!(
            "{what} ({source}): unbalanced quotes in the command line"
        ))
    })?;
    let Some((prog, args)) = argv.split_first() else {
        return Err(Error::config(format!("{what} ({source}) is empty")));
    };
    let out = std::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::config(format!("{what}: cannot run {prog}: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::config(format!(
            "{what} {prog} failed ({}): {}",
            out.status,
            err.trim()
        )));
    }
    Ok((prog.clone(), out.stdout))
}

/// Python's `shlex.split` (POSIX mode) for what command lines use:
/// whitespace separates, single quotes keep everything, double quotes
/// keep all but `\"` and `\\`, a backslash outside quotes escapes.
pub fn split_command(s: &str) -> Option<Vec<String>> {
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

    /// A source whose fetches the test scripts: each returns the keys
    /// `PLAN[n]` describes (minutes since obtained, minutes left), or fails.
    static FETCHES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    static PLAN: std::sync::Mutex<Vec<Option<(i64, i64)>>> = std::sync::Mutex::new(Vec::new());

    fn scripted<'a>(_: &'a Handle, _: &'a Dynamic, _: &'a Transport) -> Fetch<'a> {
        Box::pin(async move {
            let n = FETCHES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let step = PLAN
                .lock()
                .map(|p| p.get(n).copied().flatten())
                .ok()
                .flatten();
            let Some((age, left)) = step else {
                return Err(Error::config("the source is down"));
            };
            let now = OffsetDateTime::now_utc();
            let mut k = keys(now - TD::minutes(age), age + left);
            k.expires = Some(now + TD::minutes(left));
            k.keys.access_key_id = format!("ASIA{n}");
            Ok(k)
        })
    }

    #[tokio::test(flavor = "current_thread")]
    async fn advisory_failures_keep_the_keys_mandatory_ones_do_not() {
        let env: std::collections::BTreeMap<String, String> = [
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:1/creds",
            ),
            ("AWS_REGION", "us-east-1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let ov = config::Overrides {
            provider: Some("ec2".into()),
            ..config::Overrides::default()
        };
        let s = config::resolve(&ov, &env).unwrap();
        let t = Transport::new(crate::transport::TransportConfig::default(), Vec::new()).unwrap();
        // 1: keys 50 minutes old with 12 left (inside the advisory window);
        // 2: the source fails; 3: keys with 5 minutes left (mandatory);
        // 4: the source fails again.
        *PLAN.lock().unwrap() = vec![Some((50, 12)), None, Some((55, 5)), None];
        let h = Handle::new(&s, None, "test", scripted).unwrap();
        assert_eq!(h.keys(&t).await.unwrap().access_key_id, "ASIA0");
        // Advisory: the failed refresh keeps the current keys.
        assert_eq!(h.keys(&t).await.unwrap().access_key_id, "ASIA0");
        // Still advisory: a refresh that works replaces them.
        assert_eq!(h.keys(&t).await.unwrap().access_key_id, "ASIA2");
        // Mandatory: a failed refresh is an error, not old keys.
        assert!(h.keys(&t).await.is_err());
        assert_eq!(FETCHES.load(std::sync::atomic::Ordering::SeqCst), 4);
    }

    #[test]
    fn expiration_with_and_without_fraction() {
        assert!(parse_expiration("2026-11-29T22:17:56Z").is_some());
        assert!(parse_expiration("2026-11-29T22:17:56.299770Z").is_some());
        assert!(parse_expiration("tomorrow").is_none());
    }

    #[test]
    fn split_like_shlex() {
        assert_eq!(
            split_command(r#"/bin/tool --name "a b" 'c "d"' e\ f"#).unwrap(),
            vec!["/bin/tool", "--name", "a b", "c \"d\"", "e f"]
        );
        assert_eq!(split_command(r#"x "" y"#).unwrap(), vec!["x", "", "y"]);
        assert!(split_command("x 'open").is_none());
    }
}
