//! Configuration and credentials: flags, environment, imgctl's own profiles
//! and each cloud's own files, resolved with one documented precedence:
//!
//!   flags (an imgctl profile named with --profile counts as a flag)
//!   > environment > imgctl profile (IMGCTL_PROFILE or the default one)
//!   > the cloud's own files (~/.aws, ~/.aliyun/config.json, ~/.huaweicloud)
//!
//! Only the chosen provider's files are read, and only when an earlier
//! source has not already answered.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::provider::Provider;
use crate::secret::Secret;

/// Where a value came from; `imgctl config show` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    Profile { name: String, path: PathBuf },
    CloudFile { path: PathBuf, section: String },
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(n) => write!(f, "flag --{n}"),
            Source::Env(n) => write!(f, "env {n}"),
            Source::Profile { name, path } => {
                write!(f, "imgctl profile '{name}' ({})", path.display())
            }
            Source::CloudFile { path, section } => write!(f, "{} [{section}]", path.display()),
            Source::Default => write!(f, "default"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Val<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Val<T> {
    fn new(value: T, source: Source) -> Self {
        Val { value, source }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    Token,
    Aksk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureVersion {
    /// ACS3-HMAC-SHA256, the current SDKs' default.
    V3,
    /// The classic HMAC-SHA1 RPC signature (SignatureVersion 1.0).
    V1,
}

/// What the command line said. `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub provider: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub iam_endpoint_url: Option<String>,
    pub auth_mode: Option<String>,
    pub signature_version: Option<String>,
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub max_attempts: Option<u32>,
}

/// One key, access key id + secret (+ session token), always from a single
/// source: mixing an id from one place with a secret from another is how
/// people end up signing with the wrong account.
#[derive(Debug, Clone)]
pub struct KeyPair {
    pub access_key_id: String,
    pub secret: Secret,
    pub session_token: Option<Secret>,
    pub source: Source,
}

/// Huawei IAM password identity (token mode).
#[derive(Debug, Clone)]
pub struct Password {
    pub user_name: String,
    pub password: Secret,
    pub domain_name: String,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub provider: Val<Provider>,
    pub profile: Option<Val<String>>,
    pub region: Option<Val<String>>,
    pub endpoint_url: Option<Val<String>>,
    pub iam_endpoint_url: Option<Val<String>>,
    pub keys: Option<KeyPair>,
    pub password: Option<Password>,
    pub project_id: Option<Val<String>>,
    pub auth_mode: Option<Val<AuthMode>>,
    pub signature_version: Val<SignatureVersion>,
    pub connect_timeout: Val<Duration>,
    pub read_timeout: Val<Duration>,
    pub max_attempts: Val<u32>,
}

impl Settings {
    /// Every secret this invocation knows, for the debug-log scrubber.
    pub fn secrets(&self) -> Vec<Secret> {
        let mut v = Vec::new();
        if let Some(k) = &self.keys {
            v.push(k.secret.clone());
            if let Some(t) = &k.session_token {
                v.push(t.clone());
            }
        }
        if let Some(p) = &self.password {
            v.push(p.password.clone());
        }
        v
    }

    pub fn require_region(&self) -> Result<&str> {
        self.region
            .as_ref()
            .map(|r| r.value.as_str())
            .ok_or_else(|| {
                Error::config(format!(
                    "no region for {}: use --region, {}, or set region in a profile",
                    self.provider.value.as_str(),
                    match self.provider.value {
                        Provider::Ens | Provider::Ecs => "ALIBABA_CLOUD_REGION_ID",
                        Provider::Ec2 => "AWS_REGION",
                        Provider::Ims => "HW_REGION_NAME",
                    }
                ))
            })
    }

    pub fn require_keys(&self) -> Result<&KeyPair> {
        self.keys.as_ref().ok_or_else(|| {
            Error::config(format!(
                "no credentials for {}: {}",
                self.provider.value.as_str(),
                match self.provider.value {
                    Provider::Ens | Provider::Ecs => {
                        "set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, \
                         run `aliyun configure`, or add keys to an imgctl profile"
                    }
                    Provider::Ec2 => {
                        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use ~/.aws/credentials \
                         (AWS_PROFILE), or add keys to an imgctl profile"
                    }
                    Provider::Ims => {
                        "set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK mode) or \
                         HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME (token mode)"
                    }
                }
            ))
        })
    }
}

/// imgctl's own config.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileEntry>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEntry {
    pub provider: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub iam_endpoint_url: Option<String>,
    pub access_key_id: Option<String>,
    #[serde(alias = "access_key_secret", alias = "sk")]
    pub secret_access_key: Option<String>,
    #[serde(alias = "security_token")]
    pub session_token: Option<String>,
    pub project_id: Option<String>,
    pub user_name: Option<String>,
    pub password: Option<String>,
    pub domain_name: Option<String>,
    pub auth_mode: Option<String>,
    pub signature_version: Option<String>,
    pub connect_timeout: Option<String>,
    pub read_timeout: Option<String>,
    pub max_attempts: Option<u32>,
    /// Name of the profile in ~/.aws to read when this profile has no keys.
    pub aws_profile: Option<String>,
    /// Name of the profile in ~/.aliyun/config.json likewise.
    pub aliyun_profile: Option<String>,
}

/// The process environment, behind a function so tests can give their own.
pub trait Env {
    fn get(&self, name: &str) -> Option<String>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl Env for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        BTreeMap::get(self, name).cloned().filter(|v| !v.is_empty())
    }
}

/// The home directory, only when it is an absolute path: with HOME unset,
/// empty or relative, "~/.aws/config" would be a file of the current
/// directory, and a checked-out repository could then choose the endpoint
/// that signed requests go to. Without a home, no home file is read.
fn home(env: &dyn Env) -> Option<PathBuf> {
    env.get("HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// An XDG base directory: the variable when it is absolute (the spec says
/// to ignore relative ones), else `fallback` under the home directory.
fn xdg_dir(env: &dyn Env, var: &str, fallback: &str) -> Option<PathBuf> {
    env.get(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home(env).map(|h| h.join(fallback)))
}

/// A cloud's own file: the path its variable names (an explicit choice,
/// taken as given), else `rel` under a home directory, else none.
fn home_file(env: &dyn Env, var: &str, rel: &str) -> Option<PathBuf> {
    env.get(var)
        .map(PathBuf::from)
        .or_else(|| home(env).map(|h| h.join(rel)))
}

pub fn config_dir(env: &dyn Env) -> Option<PathBuf> {
    xdg_dir(env, "XDG_CONFIG_HOME", ".config").map(|d| d.join("imgctl"))
}

pub fn cache_dir(env: &dyn Env) -> Option<PathBuf> {
    xdg_dir(env, "XDG_CACHE_HOME", ".cache").map(|d| d.join("imgctl"))
}

pub fn config_path(env: &dyn Env) -> Option<PathBuf> {
    env.get("IMGCTL_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| config_dir(env).map(|d| d.join("config.toml")))
}

fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::config(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

pub fn load_config_file(path: &Path) -> Result<ConfigFile> {
    match read_optional(path)? {
        None => Ok(ConfigFile::default()),
        Some(text) => toml::from_str(&text).map_err(|e| toml_error(path, &text, &e)),
    }
}

/// Runs every config-file parser on one text, as the loaders do with a
/// file's contents (errors formatted as the user would see them, which
/// quote the text): imgctl's config.toml, the AWS ini files, the aliyun
/// CLI's config.json. For the property tests and fuzz targets; the only
/// failure it can show is a panic.
#[doc(hidden)]
pub fn parse_config_texts(text: &str) -> Vec<String> {
    let path = Path::new("fuzz");
    let mut out = Vec::new();
    match toml::from_str::<ConfigFile>(text) {
        Ok(c) => out.push(format!("{:?}", c.default_profile)),
        Err(e) => out.push(toml_error(path, text, &e).to_string()),
    }
    match ini::Ini::load_from_str(text) {
        Ok(i) => out.push(i.sections().flatten().collect::<Vec<_>>().join(",")),
        Err(e) => out.push(ini_error(path, text, &e).to_string()),
    }
    match serde_json::from_str::<AliyunConfig>(text) {
        Ok(c) => out.push(format!("{} profiles", c.profiles.len())),
        Err(e) => out.push(json_error(path, &e).to_string()),
    }
    out
}

/// Every key name config.toml knows: the only quoted words of a TOML
/// error that are shown as they are.
const CONFIG_KEYS: &[&str] = &[
    "default_profile",
    "profiles",
    "provider",
    "region",
    "endpoint_url",
    "iam_endpoint_url",
    "access_key_id",
    "access_key_secret",
    "secret_access_key",
    "sk",
    "security_token",
    "session_token",
    "project_id",
    "user_name",
    "password",
    "domain_name",
    "auth_mode",
    "signature_version",
    "connect_timeout",
    "read_timeout",
    "max_attempts",
    "aws_profile",
    "aliyun_profile",
];

/// The key names of ~/.aliyun/config.json that imgctl reads.
const ALIYUN_KEYS: &[&str] = &[
    "current",
    "profiles",
    "name",
    "mode",
    "access_key_id",
    "access_key_secret",
    "sts_token",
    "region_id",
];

// The files below hold secrets, and parsers quote the offending line or
// value in their errors: a typo'd key or an unquoted secret would put the
// secret on stderr (and into CI logs). So a file error says where (file,
// line, column, key) in imgctl's words and keeps no quoted text but the
// names of known keys.

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let Some(span) = e.span() else {
        let what = scrub_message(e.message(), CONFIG_KEYS);
        return Error::config(format!("{}: {what}", path.display()));
    };
    let (line, col) = line_col(text, span.start);
    // The key of the line may be named in the message too ("unknown field").
    let mut keep = CONFIG_KEYS.to_vec();
    let key = key_on_line(text, line, &['=']);
    keep.extend(key);
    let what = scrub_message(e.message(), &keep);
    located(path, line, col, key, &what)
}

fn json_error(path: &Path, e: &serde_json::Error) -> Error {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends too early".to_string(),
        serde_json::error::Category::Data => {
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let msg = full.strip_suffix(&suffix).unwrap_or(&full);
            scrub_message(msg, ALIYUN_KEYS)
        }
        _ => "not valid JSON".to_string(),
    };
    if e.line() == 0 {
        return Error::config(format!("{}: {what}", path.display()));
    }
    // JSON keys are quoted strings: no bare key to name.
    located(path, e.line(), e.column(), None, &what)
}

fn ini_error(path: &Path, text: &str, e: &ini::ParseError) -> Error {
    let key = key_on_line(text, e.line, &['=', ':']);
    located(path, e.line, e.col, key, "not valid INI syntax")
}

fn located(path: &Path, line: usize, col: usize, key: Option<&str>, what: &str) -> Error {
    let key = key.map(|k| format!(" (key '{k}')")).unwrap_or_default();
    Error::config(format!(
        "{}: line {line}, column {col}{key}: {what}",
        path.display()
    ))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The key a `key = value` (or INI `key: value`) line sets, when it looks
/// like a key name: a line without one, such as a pasted secret, names
/// nothing.
fn key_on_line<'t>(text: &'t str, line: usize, separators: &[char]) -> Option<&'t str> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (k, _) = l.split_once(separators)?;
    let k = k.trim();
    (!k.is_empty()
        && k.len() <= 64
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
    .then_some(k)
}

/// A parser's message with every `quoted` or "quoted" piece replaced by
/// `…`, except the names in `keep` and bare punctuation (`=`, `"`).
fn scrub_message(msg: &str, keep: &[&str]) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '`' && c != '"' {
            continue;
        }
        let mut inner = String::new();
        let mut closed = false;
        while let Some(d) = chars.next() {
            if d == c {
                closed = true;
                break;
            }
            inner.push(d);
            // serde quotes strings with Rust escapes: \" does not close.
            if c == '"'
                && d == '\\'
                && let Some(e) = chars.next()
            {
                inner.push(e);
            }
        }
        let shown = keep.contains(&inner.as_str())
            || (!inner.is_empty() && inner.chars().all(|ch| ch.is_ascii_punctuation()));
        out.push_str(if shown { &inner } else { "…" });
        if closed {
            out.push(c);
        }
    }
    out
}

fn first_env(env: &dyn Env, names: &[&'static str]) -> Option<Val<String>> {
    names
        .iter()
        .find_map(|n| env.get(n).map(|v| Val::new(v, Source::Env(n))))
}

/// The most attempts one request may take: retries beyond this only delay
/// the answer a script is waiting for.
pub const MAX_ATTEMPTS: u32 = 10;

/// A bad value given as a flag is a usage error (exit 2); the same value
/// from the environment or a file is a configuration error (exit 3).
fn from_source(e: Error, source: &Source) -> Error {
    match (e, source) {
        (Error::Usage(m), Source::Flag(_)) => Error::Usage(m),
        (Error::Usage(m), _) => Error::Config(format!("{m} (from {source})")),
        (other, _) => other,
    }
}

fn parse_auth_mode(s: &str) -> Result<AuthMode> {
    match s.to_ascii_lowercase().as_str() {
        "token" => Ok(AuthMode::Token),
        "aksk" | "ak/sk" => Ok(AuthMode::Aksk),
        _ => Err(Error::usage(format!(
            "invalid auth mode '{s}': expected token or aksk"
        ))),
    }
}

fn parse_sig_version(s: &str) -> Result<SignatureVersion> {
    match s.to_ascii_lowercase().as_str() {
        "v3" | "3" | "acs3-hmac-sha256" => Ok(SignatureVersion::V3),
        "v1" | "1" | "1.0" | "v2" | "hmac-sha1" => Ok(SignatureVersion::V1),
        _ => Err(Error::usage(format!(
            "invalid signature version '{s}': expected v3 (ACS3-HMAC-SHA256) or v1 (HMAC-SHA1)"
        ))),
    }
}

/// Resolves everything for one invocation.
pub fn resolve(ov: &Overrides, env: &dyn Env) -> Result<Settings> {
    let cfg_path = config_path(env);
    let cfg = match &cfg_path {
        Some(p) => load_config_file(p)?,
        None => ConfigFile::default(),
    };
    let cfg_path = cfg_path.unwrap_or_default();

    // The active imgctl profile and whether it ranks as a flag.
    let (profile_name, explicit) = if let Some(p) = &ov.profile {
        (Some(Val::new(p.clone(), Source::Flag("profile"))), true)
    } else if let Some(v) = first_env(env, &["IMGCTL_PROFILE"]) {
        (Some(v), false)
    } else if let Some(d) = &cfg.default_profile {
        (
            Some(Val::new(
                d.clone(),
                Source::Profile {
                    name: d.clone(),
                    path: cfg_path.clone(),
                },
            )),
            false,
        )
    } else if cfg.profiles.contains_key("default") {
        (
            Some(Val::new(
                "default".to_string(),
                Source::Profile {
                    name: "default".into(),
                    path: cfg_path.clone(),
                },
            )),
            false,
        )
    } else {
        (None, false)
    };
    let entry: Option<ProfileEntry> = match &profile_name {
        Some(n) => match cfg.profiles.get(&n.value) {
            Some(e) => Some(e.clone()),
            // An explicit --profile may name a profile of the cloud's own
            // files instead (~/.aws, ~/.aliyun); that is checked below.
            None if explicit => None,
            None => {
                return Err(Error::config(format!(
                    "profile '{}' (from {}) is not in {}",
                    n.value,
                    n.source,
                    cfg_path.display()
                )));
            }
        },
        None => None,
    };
    let psrc = |name: &str| Source::Profile {
        name: name.to_string(),
        path: cfg_path.clone(),
    };
    let pname = profile_name
        .as_ref()
        .map(|v| v.value.clone())
        .unwrap_or_default();

    // Picks the first of: flag, explicit profile, env, implicit profile.
    let pick = |flag: Option<&String>,
                flag_name: &'static str,
                env_names: &[&'static str],
                prof: Option<&String>|
     -> Option<Val<String>> {
        if let Some(v) = flag {
            return Some(Val::new(v.clone(), Source::Flag(flag_name)));
        }
        if explicit && let Some(v) = prof {
            return Some(Val::new(v.clone(), psrc(&pname)));
        }
        if let Some(v) = first_env(env, env_names) {
            return Some(v);
        }
        prof.map(|v| Val::new(v.clone(), psrc(&pname)))
    };
    let e = entry.clone().unwrap_or_default();

    let provider_s = pick(ov.provider.as_ref(), "provider", &["IMGCTL_PROVIDER"], e.provider.as_ref())
        .ok_or_else(|| {
            Error::usage(
                "no provider chosen: use --provider ens|ecs|ec2|ims, IMGCTL_PROVIDER, or a profile's provider",
            )
        })?;
    let provider = Val::new(Provider::parse(&provider_s.value)?, provider_s.source);
    let p = provider.value;

    let (region_env, endpoint_env): (&[&'static str], &[&'static str]) = match p {
        Provider::Ens | Provider::Ecs => (
            &[
                "IMGCTL_REGION",
                "ALIBABA_CLOUD_REGION_ID",
                "ALIBABACLOUD_REGION_ID",
                "ALICLOUD_REGION_ID",
            ],
            &["IMGCTL_ENDPOINT_URL"],
        ),
        Provider::Ec2 => (
            &["IMGCTL_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"],
            &[
                "IMGCTL_ENDPOINT_URL",
                "AWS_ENDPOINT_URL_EC2",
                "AWS_ENDPOINT_URL",
            ],
        ),
        Provider::Ims => (
            &["IMGCTL_REGION", "HW_REGION_NAME", "HUAWEICLOUD_SDK_REGION"],
            &["IMGCTL_ENDPOINT_URL"],
        ),
    };
    let ignore_aws_endpoints = p == Provider::Ec2
        && env
            .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut region = pick(ov.region.as_ref(), "region", region_env, e.region.as_ref());
    let endpoint_env: &[&'static str] = if ignore_aws_endpoints {
        &["IMGCTL_ENDPOINT_URL"]
    } else {
        endpoint_env
    };
    let mut endpoint_url = pick(
        ov.endpoint_url.as_ref(),
        "endpoint-url",
        endpoint_env,
        e.endpoint_url.as_ref(),
    );
    let iam_endpoint_url = pick(
        ov.iam_endpoint_url.as_ref(),
        "iam-endpoint-url",
        &["IMGCTL_IAM_ENDPOINT_URL", "HUAWEICLOUD_SDK_IAM_ENDPOINT"],
        e.iam_endpoint_url.as_ref(),
    );
    let mut project_id = pick(
        None,
        "project-id",
        &["HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID"],
        e.project_id.as_ref(),
    );
    let auth_mode = match pick(
        ov.auth_mode.as_ref(),
        "auth-mode",
        &["IMGCTL_AUTH_MODE"],
        e.auth_mode.as_ref(),
    ) {
        Some(v) => Some(Val::new(
            parse_auth_mode(&v.value).map_err(|e| from_source(e, &v.source))?,
            v.source,
        )),
        None => None,
    };
    let signature_version = match pick(
        ov.signature_version.as_ref(),
        "signature-version",
        &["IMGCTL_SIGNATURE_VERSION"],
        e.signature_version.as_ref(),
    ) {
        Some(v) => Val::new(
            parse_sig_version(&v.value).map_err(|e| from_source(e, &v.source))?,
            v.source,
        ),
        None => Val::new(SignatureVersion::V3, Source::Default),
    };

    let duration = |flag: Option<Duration>,
                    name: &'static str,
                    env_name: &'static str,
                    prof: Option<&String>,
                    default: Duration|
     -> Result<Val<Duration>> {
        let as_str = flag.map(|d| format!("{}ms", d.as_millis()));
        match pick(as_str.as_ref(), name, &[env_name], prof) {
            None => Ok(Val::new(default, Source::Default)),
            Some(v) => {
                let d = crate::ops::parse_duration(&v.value)
                    .map_err(|m| Error::config(format!("{name} from {}: {m}", v.source)))?;
                if d.is_zero() {
                    return Err(from_source(
                        Error::usage(format!("{name} must be greater than zero")),
                        &v.source,
                    ));
                }
                Ok(Val::new(d, v.source))
            }
        }
    };
    let connect_timeout = duration(
        ov.connect_timeout,
        "connect-timeout",
        "IMGCTL_CONNECT_TIMEOUT",
        e.connect_timeout.as_ref(),
        Duration::from_secs(10),
    )?;
    let read_timeout = duration(
        ov.read_timeout,
        "read-timeout",
        "IMGCTL_READ_TIMEOUT",
        e.read_timeout.as_ref(),
        Duration::from_secs(60),
    )?;
    let max_attempts = {
        let s = ov.max_attempts.map(|n| n.to_string());
        let ps = e.max_attempts.map(|n| n.to_string());
        match pick(
            s.as_ref(),
            "max-attempts",
            &["IMGCTL_MAX_ATTEMPTS"],
            ps.as_ref(),
        ) {
            None => Val::new(3, Source::Default),
            Some(v) => {
                let n: u32 = v.value.parse().map_err(|_| {
                    Error::config(format!(
                        "max-attempts from {}: '{}' is not a number",
                        v.source, v.value
                    ))
                })?;
                if !(1..=MAX_ATTEMPTS).contains(&n) {
                    return Err(from_source(
                        Error::usage(format!("max-attempts must be 1-{MAX_ATTEMPTS}, not {n}")),
                        &v.source,
                    ));
                }
                Val::new(n, v.source)
            }
        }
    };

    // Keys: explicit profile, then env, then implicit profile, then files.
    let profile_keys = e.access_key_id.as_ref().map(|id| {
        (
            id.clone(),
            e.secret_access_key.clone(),
            e.session_token.clone(),
        )
    });
    let key_from_profile = || -> Result<Option<KeyPair>> {
        match &profile_keys {
            Some((id, Some(secret), token)) => Ok(Some(KeyPair {
                access_key_id: id.clone(),
                secret: Secret::new(secret.clone()),
                session_token: token.clone().map(Secret::new),
                source: psrc(&pname),
            })),
            Some((_, None, _)) => Err(Error::config(format!(
                "profile '{pname}' has access_key_id but no secret_access_key"
            ))),
            None => Ok(None),
        }
    };
    let (id_env, secret_env, token_env): (&[&'static str], &[&'static str], &[&'static str]) =
        match p {
            Provider::Ens | Provider::Ecs => (
                &[
                    "ALIBABA_CLOUD_ACCESS_KEY_ID",
                    "ALIBABACLOUD_ACCESS_KEY_ID",
                    "ALICLOUD_ACCESS_KEY_ID",
                ],
                &[
                    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                    "ALIBABACLOUD_ACCESS_KEY_SECRET",
                    "ALICLOUD_ACCESS_KEY_SECRET",
                ],
                &[
                    "ALIBABA_CLOUD_SECURITY_TOKEN",
                    "ALIBABACLOUD_SECURITY_TOKEN",
                    "ALICLOUD_SECURITY_TOKEN",
                ],
            ),
            Provider::Ec2 => (
                &["AWS_ACCESS_KEY_ID"],
                &["AWS_SECRET_ACCESS_KEY"],
                &["AWS_SESSION_TOKEN"],
            ),
            Provider::Ims => (
                &["HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"],
                &["HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY"],
                &["HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN"],
            ),
        };
    let key_from_env = || -> Result<Option<KeyPair>> {
        let Some(id) = first_env(env, id_env) else {
            return Ok(None);
        };
        let secret = first_env(env, secret_env).ok_or_else(|| {
            Error::config(format!(
                "{} is set but {} is not",
                match id.source {
                    Source::Env(n) => n,
                    _ => "the access key id",
                },
                secret_env[0]
            ))
        })?;
        Ok(Some(KeyPair {
            access_key_id: id.value,
            secret: Secret::new(secret.value),
            session_token: first_env(env, token_env).map(|t| Secret::new(t.value)),
            source: id.source,
        }))
    };
    let mut keys = None;
    if explicit {
        keys = key_from_profile()?;
    }
    if keys.is_none() {
        keys = key_from_env()?;
    }
    if keys.is_none() && !explicit {
        keys = key_from_profile()?;
    }

    // Huawei password identity (token mode).
    let mut password = None;
    if p == Provider::Ims {
        let user = pick(None, "user-name", &["HW_USER_NAME"], e.user_name.as_ref());
        let pw = pick(None, "password", &["HW_PASSWORD"], e.password.as_ref());
        let dom = pick(
            None,
            "domain-name",
            &["HW_DOMAIN_NAME"],
            e.domain_name.as_ref(),
        );
        match (user, pw, dom) {
            (Some(u), Some(pw), Some(d)) => {
                password = Some(Password {
                    user_name: u.value,
                    password: Secret::new(pw.value),
                    domain_name: d.value,
                    source: u.source,
                })
            }
            (None, None, None) => {}
            _ => {
                return Err(Error::config(
                    "Huawei token mode needs all three of HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME \
                     (or user_name, password, domain_name in the profile)",
                ));
            }
        }
    }

    // The cloud's own files, last.
    let cloud_profile_hint = if explicit && entry.is_none() {
        profile_name.as_ref().map(|v| v.value.clone())
    } else {
        None
    };
    let mut used_cloud_profile = false;
    match p {
        Provider::Ec2 => {
            let need = keys.is_none()
                || region.is_none()
                || (endpoint_url.is_none() && !ignore_aws_endpoints);
            if need {
                let name = cloud_profile_hint
                    .clone()
                    .or_else(|| e.aws_profile.clone())
                    .or_else(|| env.get("AWS_DEFAULT_PROFILE"))
                    .or_else(|| env.get("AWS_PROFILE"))
                    .unwrap_or_else(|| "default".into());
                let aws = aws_files(env, &name)?;
                used_cloud_profile = aws.found;
                if keys.is_none() {
                    keys = aws.keys;
                }
                if region.is_none() {
                    region = aws.region;
                }
                if endpoint_url.is_none() && !ignore_aws_endpoints {
                    endpoint_url = aws.endpoint_url;
                }
            }
        }
        Provider::Ens | Provider::Ecs => {
            if keys.is_none() || region.is_none() {
                let name = cloud_profile_hint
                    .clone()
                    .or_else(|| e.aliyun_profile.clone())
                    .or_else(|| {
                        first_env(
                            env,
                            &[
                                "ALIBABA_CLOUD_PROFILE",
                                "ALIBABACLOUD_PROFILE",
                                "ALICLOUD_PROFILE",
                            ],
                        )
                        .map(|v| v.value)
                    });
                let ali = aliyun_file(env, name.as_deref(), cloud_profile_hint.is_some())?;
                used_cloud_profile = ali.found;
                if keys.is_none() {
                    keys = ali.keys;
                }
                if region.is_none() {
                    region = ali.region;
                }
            }
        }
        Provider::Ims => {
            if keys.is_none() || project_id.is_none() {
                let hw = huawei_file(env)?;
                used_cloud_profile = hw.found;
                // The project id belongs with the keys it was written with.
                if keys.is_none() && hw.keys.is_some() {
                    keys = hw.keys;
                    if project_id.is_none() {
                        project_id = hw.project_id;
                    }
                } else if project_id.is_none()
                    && keys
                        .as_ref()
                        .is_some_and(|k| matches!(k.source, Source::CloudFile { .. }))
                {
                    project_id = hw.project_id;
                }
            }
        }
    }
    // Checked once here, whatever the source, so no backend ever puts
    // other text into a host name.
    if let Some(r) = &region {
        crate::ops::validate_region(&r.value).map_err(|e| from_source(e, &r.source))?;
    }
    if cloud_profile_hint.is_some() && !used_cloud_profile {
        return Err(Error::config(format!(
            "profile '{}' is neither in {} nor in {}'s own configuration files",
            pname,
            cfg_path.display(),
            p.as_str()
        )));
    }

    Ok(Settings {
        provider,
        profile: profile_name,
        region,
        endpoint_url,
        iam_endpoint_url,
        keys,
        password,
        project_id,
        auth_mode,
        signature_version,
        connect_timeout,
        read_timeout,
        max_attempts,
    })
}

struct CloudFound {
    found: bool,
    keys: Option<KeyPair>,
    region: Option<Val<String>>,
    endpoint_url: Option<Val<String>>,
    project_id: Option<Val<String>>,
}

fn ini_load(path: &Path) -> Result<Option<ini::Ini>> {
    match read_optional(path)? {
        None => Ok(None),
        Some(text) => ini::Ini::load_from_str(&text)
            .map(Some)
            .map_err(|e| ini_error(path, &text, &e)),
    }
}

/// ~/.aws/credentials and ~/.aws/config, as the AWS CLI reads them.
fn aws_files(env: &dyn Env, profile: &str) -> Result<CloudFound> {
    let cred_path = home_file(env, "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    let conf_path = home_file(env, "AWS_CONFIG_FILE", ".aws/config");
    let mut out = CloudFound {
        found: false,
        keys: None,
        region: None,
        endpoint_url: None,
        project_id: None,
    };
    let conf_section = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    let take_keys =
        |sec: &ini::Properties, path: &Path, section: &str| -> Result<Option<KeyPair>> {
            let Some(id) = sec.get("aws_access_key_id") else {
                return Ok(None);
            };
            let secret = sec.get("aws_secret_access_key").ok_or_else(|| {
                Error::config(format!(
                    "{} [{section}] has aws_access_key_id but no aws_secret_access_key",
                    path.display()
                ))
            })?;
            Ok(Some(KeyPair {
                access_key_id: id.trim().to_string(),
                secret: Secret::new(secret.trim()),
                session_token: sec.get("aws_session_token").map(|t| Secret::new(t.trim())),
                source: Source::CloudFile {
                    path: path.to_path_buf(),
                    section: section.to_string(),
                },
            }))
        };
    if let Some(cred_path) = &cred_path
        && let Some(ini) = ini_load(cred_path)?
        && let Some(sec) = ini.section(Some(profile))
    {
        out.found = true;
        out.keys = take_keys(sec, cred_path, profile)?;
    }
    if let Some(conf_path) = &conf_path
        && let Some(ini) = ini_load(conf_path)?
        && let Some(sec) = ini.section(Some(conf_section.as_str()))
    {
        out.found = true;
        if out.keys.is_none() {
            out.keys = take_keys(sec, conf_path, &conf_section)?;
        }
        let src = || Source::CloudFile {
            path: conf_path.clone(),
            section: conf_section.clone(),
        };
        out.region = sec
            .get("region")
            .map(|r| Val::new(r.trim().to_string(), src()));
        out.endpoint_url = sec
            .get("endpoint_url")
            .map(|r| Val::new(r.trim().to_string(), src()));
        // `services = NAME` points at a [services NAME] section whose
        // nested `ec2 =` block may set endpoint_url for EC2 alone.
        if let Some(svc) = sec.get("services") {
            let sname = format!("services {}", svc.trim());
            let text = read_optional(conf_path)?.unwrap_or_default();
            if let Some(url) = nested_service_value(&text, &sname, "ec2", "endpoint_url") {
                out.endpoint_url = Some(Val::new(
                    url,
                    Source::CloudFile {
                        path: conf_path.clone(),
                        section: sname,
                    },
                ));
            }
        }
    }
    Ok(out)
}

/// Reads `key` from the indented block under `service =` in `[section]`:
/// the nested form of ~/.aws/config that INI parsers do not know.
fn nested_service_value(text: &str, section: &str, service: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    let mut in_service = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_section = t.trim_start_matches('[').trim_end_matches(']').trim() == section;
            in_service = false;
            continue;
        }
        if !in_section || t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let Some((k, v)) = t.split_once('=').map(|(k, v)| (k.trim(), v.trim())) else {
            continue;
        };
        if !indented {
            in_service = k == service;
        } else if in_service && k == key {
            return Some(v.to_string());
        }
    }
    None
}

#[derive(Deserialize)]
struct AliyunConfig {
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<AliyunProfile>,
}

#[derive(Deserialize)]
struct AliyunProfile {
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    #[serde(default)]
    region_id: String,
}

/// ~/.aliyun/config.json, the aliyun CLI's file (modes AK and StsToken).
fn aliyun_file(env: &dyn Env, profile: Option<&str>, must_exist: bool) -> Result<CloudFound> {
    let mut out = CloudFound {
        found: false,
        keys: None,
        region: None,
        endpoint_url: None,
        project_id: None,
    };
    let Some(path) = home_file(env, "ALIBABA_CLOUD_CONFIG_FILE", ".aliyun/config.json") else {
        return Ok(out);
    };
    let Some(text) = read_optional(&path)? else {
        return Ok(out);
    };
    let cfg: AliyunConfig = serde_json::from_str(&text).map_err(|e| json_error(&path, &e))?;
    let name = profile
        .map(str::to_string)
        .or(cfg.current.clone())
        .unwrap_or_else(|| "default".into());
    let Some(prof) = cfg.profiles.iter().find(|p| p.name == name) else {
        if must_exist || profile.is_some() {
            return Ok(out);
        }
        return Ok(out);
    };
    out.found = true;
    let src = Source::CloudFile {
        path: path.clone(),
        section: name.clone(),
    };
    let mode = prof.mode.to_ascii_lowercase();
    match mode.as_str() {
        "ak" | "" | "ststoken" => {
            if !prof.access_key_id.is_empty() {
                if prof.access_key_secret.is_empty() {
                    return Err(Error::config(format!(
                        "{} profile '{name}' has no access_key_secret",
                        path.display()
                    )));
                }
                out.keys = Some(KeyPair {
                    access_key_id: prof.access_key_id.clone(),
                    secret: Secret::new(prof.access_key_secret.clone()),
                    session_token: (mode == "ststoken" && !prof.sts_token.is_empty())
                        .then(|| Secret::new(prof.sts_token.clone())),
                    source: src.clone(),
                });
            }
        }
        other => {
            return Err(Error::config(format!(
                "{} profile '{name}' uses mode {} which imgctl does not support yet \
                 (AK and StsToken are supported); export ALIBABA_CLOUD_* variables instead",
                path.display(),
                if other.is_empty() {
                    "?"
                } else {
                    prof.mode.as_str()
                }
            )));
        }
    }
    if !prof.region_id.is_empty() {
        out.region = Some(Val::new(prof.region_id.clone(), src));
    }
    Ok(out)
}

/// ~/.huaweicloud/credentials, the Huawei SDKs' profile file ([basic]).
fn huawei_file(env: &dyn Env) -> Result<CloudFound> {
    let mut out = CloudFound {
        found: false,
        keys: None,
        region: None,
        endpoint_url: None,
        project_id: None,
    };
    let Some(path) = home_file(
        env,
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        ".huaweicloud/credentials",
    ) else {
        return Ok(out);
    };
    let Some(ini) = ini_load(&path)? else {
        return Ok(out);
    };
    let Some(sec) = ini.section(Some("basic")) else {
        return Ok(out);
    };
    out.found = true;
    let src = Source::CloudFile {
        path: path.clone(),
        section: "basic".into(),
    };
    if let Some(ak) = sec.get("ak") {
        let sk = sec
            .get("sk")
            .ok_or_else(|| Error::config(format!("{} [basic] has ak but no sk", path.display())))?;
        out.keys = Some(KeyPair {
            access_key_id: ak.trim().to_string(),
            secret: Secret::new(sk.trim()),
            session_token: sec.get("security_token").map(|t| Secret::new(t.trim())),
            source: src.clone(),
        });
    }
    out.project_id = sec
        .get("project_id")
        .map(|p| Val::new(p.trim().to_string(), src));
    Ok(out)
}

/// Masks an access key id for display: the last four characters stay.
pub fn mask_id(id: &str) -> String {
    let n = id.chars().count();
    if n <= 4 {
        return "****".into();
    }
    let tail: String = id.chars().skip(n - 4).collect();
    format!("{}{tail}", "*".repeat(n.min(16) - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_errors_keep_only_known_names() {
        assert_eq!(
            scrub_message(
                r#"invalid type: string "S3CR\"ET", expected u32"#,
                CONFIG_KEYS
            ),
            r#"invalid type: string "…", expected u32"#
        );
        assert_eq!(
            scrub_message("expected `\"`, `'` or `region`; got `hunter2", CONFIG_KEYS),
            "expected `\"`, `'` or `region`; got `…"
        );
        // Every name toml lists for an unknown key is one we show.
        let e = toml::from_str::<ConfigFile>("[profiles.a]\nzzz = 1\n").unwrap_err();
        let listed = e.message().split('`').skip(1).step_by(2);
        for name in listed.filter(|n| *n != "zzz") {
            assert!(
                CONFIG_KEYS.contains(&name),
                "{name} missing from CONFIG_KEYS"
            );
        }
        let e = toml::from_str::<ConfigFile>("zzz = 1\n").unwrap_err();
        for name in e.message().split('`').skip(1).step_by(2) {
            assert!(name == "zzz" || CONFIG_KEYS.contains(&name), "{name}");
        }
        assert_eq!(line_col("ab\ncdé\nx", 7), (2, 4));
        assert_eq!(line_col("ab", 99), (1, 3));
        assert_eq!(key_on_line("a\n  sk = x\n", 2, &['=']), Some("sk"));
        assert_eq!(key_on_line("a\nsk: x\n", 2, &['=', ':']), Some("sk"));
        assert_eq!(key_on_line("a\nwJalrXUtnFEMI/K7MDENG\n", 2, &['=']), None);
    }

    #[test]
    fn mask() {
        assert_eq!(mask_id("AKIDEXAMPLE1234"), "***********1234");
        assert_eq!(mask_id("abc"), "****");
    }
}
