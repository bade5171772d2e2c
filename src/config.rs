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
    Profile {
        name: String,
        path: PathBuf,
    },
    CloudFile {
        path: PathBuf,
        section: String,
    },
    /// Temporary keys fetched from the source named (now or by an earlier run).
    Cached(String),
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
            Source::Cached(from) => write!(f, "{from}"),
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
    pub no_cache: bool,
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
    /// Where all three came from: one identity, one place.
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
    /// Credentials to fetch (roles, web identity, processes, metadata),
    /// when no key was found: fetched lazily, refreshed before expiry.
    pub dynamic: Option<Dynamic>,
    pub password: Option<Password>,
    pub project_id: Option<Val<String>>,
    pub auth_mode: Option<Val<AuthMode>>,
    pub signature_version: Val<SignatureVersion>,
    pub connect_timeout: Val<Duration>,
    pub read_timeout: Val<Duration>,
    pub max_attempts: Val<u32>,
    /// `--no-cache` or IMGCTL_NO_CACHE: no on-disk credential cache.
    pub no_cache: bool,
    /// AWS_USE_FIPS_ENDPOINT / use_fips_endpoint.
    pub aws_fips: bool,
    /// AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint.
    pub aws_dualstack: bool,
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

/// ENS and ECS are one cloud: one account, one set of keys.
fn same_cloud(a: Provider, b: Provider) -> bool {
    let cloud = |p| match p {
        Provider::Ens | Provider::Ecs => 0,
        Provider::Ec2 => 1,
        Provider::Ims => 2,
    };
    cloud(a) == cloud(b)
}

impl ProfileEntry {
    /// The settings that do not belong to one cloud.
    fn neutral_only(self) -> ProfileEntry {
        ProfileEntry {
            provider: self.provider,
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_attempts: self.max_attempts,
            ..ProfileEntry::default()
        }
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
    "ram_role_arn",
    "ram_session_name",
    "expired_seconds",
    "external_id",
    "sts_region",
    "sts_endpoint",
    "enable_vpc",
    "policy",
    "source_profile",
    "ram_role_name",
    "oidc_provider_arn",
    "oidc_token_file",
    "role_session_name",
    "credentials_uri",
    "process_command",
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

    // A profile written for one cloud says nothing about another: with
    // `--provider ec2`, an Alibaba profile's keys, region and endpoints
    // are never used (only its cloud-neutral settings, such as timeouts).
    let applies = match e.provider.as_deref() {
        None => true,
        Some(q) => Provider::parse(q).is_ok_and(|q| same_cloud(q, p)),
    };
    let e = if applies { e } else { e.neutral_only() };
    let explicit = explicit && applies;
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

    // The identity: one source supplies it whole, the first of the
    // explicit profile, the environment, the implicit profile, then the
    // cloud's own chain. A profile named on the command line (an imgctl
    // profile's aws_profile/aliyun_profile, or a cloud profile given as
    // --profile) drops the environment's keys, as `aws --profile` does:
    // keys of one account must not sign for another's profile.
    let named_cloud_profile: Option<String> = if explicit && entry.is_none() {
        Some(pname.clone())
    } else if explicit {
        match p {
            Provider::Ec2 => e.aws_profile.clone(),
            Provider::Ens | Provider::Ecs => e.aliyun_profile.clone(),
            Provider::Ims => None,
        }
    } else {
        None
    };
    let wanted = match (p, &auth_mode) {
        (Provider::Ims, Some(m)) => Some(m.value),
        (Provider::Ims, None) => None,
        _ => Some(AuthMode::Aksk),
    };
    let fits = |id: &Identity| match wanted {
        Some(AuthMode::Aksk) => id.keys.is_some(),
        Some(AuthMode::Token) => id.password.is_some(),
        None => id.keys.is_some() || id.password.is_some(),
    };
    let from_profile = || profile_identity(&e, p, psrc(&pname), &pname);
    let mut identity = Identity::default();
    if explicit {
        identity = from_profile()?;
    }
    if !fits(&identity) && named_cloud_profile.is_none() {
        identity = env_identity(env, p)?;
    }
    if !fits(&identity) && !explicit {
        identity = from_profile()?;
    }
    if !fits(&identity) {
        identity = Identity::default();
    }

    // The cloud's own files and chain, last, and each file only when the
    // chain reaches it.
    let mut used_cloud_profile = false;
    let mut dynamic = None;
    let no_props = BTreeMap::new();
    let mut aws_fips = aws_flag(env, &no_props, "AWS_USE_FIPS_ENDPOINT", "");
    let mut aws_dualstack = aws_flag(env, &no_props, "AWS_USE_DUALSTACK_ENDPOINT", "");
    match p {
        Provider::Ec2 => {
            let name = named_cloud_profile
                .clone()
                .or_else(|| env.get("AWS_DEFAULT_PROFILE"))
                .or_else(|| env.get("AWS_PROFILE"))
                .or_else(|| e.aws_profile.clone())
                .unwrap_or_else(|| "default".into());
            let need_conf = identity.keys.is_none()
                || region.is_none()
                || (endpoint_url.is_none() && !ignore_aws_endpoints);
            if need_conf || named_cloud_profile.is_some() {
                let conf = aws_config_file(env, &name)?;
                used_cloud_profile |= conf.found;
                aws_fips = aws_flag(
                    env,
                    &conf.props,
                    "AWS_USE_FIPS_ENDPOINT",
                    "use_fips_endpoint",
                );
                aws_dualstack = aws_flag(
                    env,
                    &conf.props,
                    "AWS_USE_DUALSTACK_ENDPOINT",
                    "use_dualstack_endpoint",
                );
                if region.is_none() {
                    region = conf.region.clone();
                }
                if endpoint_url.is_none() && !ignore_aws_endpoints {
                    endpoint_url = conf.endpoint_url.clone();
                }
                if identity.keys.is_none() {
                    let chain = aws_chain(env, &name, conf, region.as_ref(), ignore_aws_endpoints)?;
                    used_cloud_profile |= chain.found;
                    identity.keys = chain.keys;
                    dynamic = chain.dynamic;
                }
            }
        }
        Provider::Ens | Provider::Ecs => {
            if identity.keys.is_none() || region.is_none() {
                let name = named_cloud_profile.clone().or_else(|| {
                    first_env(
                        env,
                        &[
                            "ALIBABA_CLOUD_PROFILE",
                            "ALIBABACLOUD_PROFILE",
                            "ALICLOUD_PROFILE",
                        ],
                    )
                    .map(|v| v.value)
                    .or_else(|| e.aliyun_profile.clone())
                });
                let (ali, d) = aliyun_chain(env, name.as_deref(), identity.keys.is_none())?;
                used_cloud_profile = ali.found;
                if identity.keys.is_none() {
                    identity.keys = ali.keys;
                    dynamic = d;
                }
                if region.is_none() {
                    region = ali.region;
                }
            }
        }
        Provider::Ims => {
            let need_identity = !fits(&identity);
            let need_project = project_id.is_none()
                && identity
                    .keys
                    .as_ref()
                    .is_some_and(|k| matches!(k.source, Source::CloudFile { .. }));
            if need_identity || need_project {
                let hw = huawei_file(env)?;
                used_cloud_profile = hw.found;
                // The project id belongs with the keys it was written with.
                if need_identity && hw.keys.is_some() && wanted != Some(AuthMode::Token) {
                    identity.keys = hw.keys;
                    if project_id.is_none() {
                        project_id = hw.project_id;
                    }
                }
            }
        }
    }
    // Huawei: ECS metadata credentials when nothing else is configured.
    if p == Provider::Ims
        && identity.keys.is_none()
        && identity.password.is_none()
        && wanted != Some(AuthMode::Token)
    {
        dynamic = Some(Dynamic::HwMetadata(HwMetadata {
            endpoint: env
                .get("IMGCTL_HUAWEI_METADATA_ENDPOINT")
                .map(|e| e.trim_end_matches('/').to_string())
                .unwrap_or_else(|| "http://169.254.169.254".to_string()),
        }));
    }
    let Identity { keys, password } = identity;
    // Checked once here, whatever the source, so no backend ever puts
    // other text into a host name.
    if let Some(r) = &region {
        crate::ops::validate_region(&r.value).map_err(|e| from_source(e, &r.source))?;
    }
    if explicit && entry.is_none() && !used_cloud_profile {
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
        dynamic,
        password,
        project_id,
        auth_mode,
        signature_version,
        connect_timeout,
        read_timeout,
        max_attempts,
        aws_fips: p == Provider::Ec2 && aws_fips,
        aws_dualstack: p == Provider::Ec2 && aws_dualstack,
        no_cache: ov.no_cache
            || env
                .get("IMGCTL_NO_CACHE")
                .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true")),
    })
}

/// What one source says about who signs: keys, and for Huawei a
/// password identity. Never combined across sources.
#[derive(Default)]
struct Identity {
    keys: Option<KeyPair>,
    password: Option<Password>,
}

fn profile_identity(e: &ProfileEntry, p: Provider, src: Source, pname: &str) -> Result<Identity> {
    let keys = match (&e.access_key_id, &e.secret_access_key) {
        (Some(id), Some(secret)) => Some(KeyPair {
            access_key_id: id.clone(),
            secret: Secret::new(secret.clone()),
            session_token: e.session_token.clone().map(Secret::new),
            source: src.clone(),
        }),
        (Some(_), None) => {
            return Err(Error::config(format!(
                "profile '{pname}' has access_key_id but no secret_access_key"
            )));
        }
        _ => None,
    };
    let password = if p == Provider::Ims {
        password_trio(
            e.user_name.clone(),
            e.password.clone(),
            e.domain_name.clone(),
            src,
            "user_name, password and domain_name in the profile",
        )?
    } else {
        None
    };
    Ok(Identity { keys, password })
}

fn password_trio(
    user: Option<String>,
    password: Option<String>,
    domain: Option<String>,
    source: Source,
    names: &str,
) -> Result<Option<Password>> {
    match (user, password, domain) {
        (Some(u), Some(pw), Some(d)) => Ok(Some(Password {
            user_name: u,
            password: Secret::new(pw),
            domain_name: d,
            source,
        })),
        (None, None, None) => Ok(None),
        _ => Err(Error::config(format!(
            "Huawei token mode needs all three of {names}: one identity comes from one place"
        ))),
    }
}

fn env_identity(env: &dyn Env, p: Provider) -> Result<Identity> {
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
                &["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"],
            ),
            Provider::Ims => (
                &["HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"],
                &["HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY"],
                &["HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN"],
            ),
        };
    let keys = match first_env(env, id_env) {
        None => None,
        Some(id) => {
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
            Some(KeyPair {
                access_key_id: id.value,
                secret: Secret::new(secret.value),
                session_token: first_env(env, token_env).map(|t| Secret::new(t.value)),
                source: id.source,
            })
        }
    };
    let password = if p == Provider::Ims {
        password_trio(
            env.get("HW_USER_NAME"),
            env.get("HW_PASSWORD"),
            env.get("HW_DOMAIN_NAME"),
            Source::Env("HW_USER_NAME"),
            "HW_USER_NAME, HW_PASSWORD and HW_DOMAIN_NAME",
        )?
    } else {
        None
    };
    Ok(Identity { keys, password })
}

struct CloudFound {
    found: bool,
    keys: Option<KeyPair>,
    region: Option<Val<String>>,
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

/// One profile of ~/.aws/config: its section, and what imgctl takes
/// from it directly.
struct AwsConf {
    found: bool,
    path: Option<PathBuf>,
    section: String,
    props: BTreeMap<String, String>,
    region: Option<Val<String>>,
    endpoint_url: Option<Val<String>>,
    sts_endpoint_url: Option<Val<String>>,
    /// All profiles of the file, for source_profile chains.
    ini: Option<ini::Ini>,
}

fn aws_section_name(profile: &str) -> String {
    if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    }
}

fn props_of(ini: Option<&ini::Ini>, section: &str) -> Option<BTreeMap<String, String>> {
    ini?.section(Some(section)).map(|sec| {
        sec.iter()
            .map(|(k, v)| (k.to_string(), v.trim().to_string()))
            .collect()
    })
}

/// ~/.aws/config, read when the chain needs a region, an endpoint or
/// credentials: never for a run whose environment answered everything.
fn aws_config_file(env: &dyn Env, profile: &str) -> Result<AwsConf> {
    let path = home_file(env, "AWS_CONFIG_FILE", ".aws/config");
    let section = aws_section_name(profile);
    let mut out = AwsConf {
        found: false,
        path: path.clone(),
        section: section.clone(),
        props: BTreeMap::new(),
        region: None,
        endpoint_url: None,
        sts_endpoint_url: None,
        ini: None,
    };
    let Some(path) = path else {
        return Ok(out);
    };
    let Some(text) = read_optional(&path)? else {
        return Ok(out);
    };
    let ini = ini::Ini::load_from_str(&text).map_err(|e| ini_error(&path, &text, &e))?;
    if let Some(props) = props_of(Some(&ini), &section) {
        out.found = true;
        let src = || Source::CloudFile {
            path: path.clone(),
            section: section.clone(),
        };
        out.region = props.get("region").map(|r| Val::new(r.clone(), src()));
        out.endpoint_url = props
            .get("endpoint_url")
            .map(|r| Val::new(r.clone(), src()));
        out.sts_endpoint_url = out.endpoint_url.clone();
        // `services = NAME` points at a [services NAME] section whose
        // nested `ec2 =` / `sts =` blocks set endpoint_url per service.
        if let Some(svc) = props.get("services") {
            let sname = format!("services {svc}");
            let ssrc = || Source::CloudFile {
                path: path.clone(),
                section: sname.clone(),
            };
            if let Some(url) = nested_service_value(&text, &sname, "ec2", "endpoint_url") {
                out.endpoint_url = Some(Val::new(url, ssrc()));
            }
            if let Some(url) = nested_service_value(&text, &sname, "sts", "endpoint_url") {
                out.sts_endpoint_url = Some(Val::new(url, ssrc()));
            }
        }
        out.props = props;
    }
    out.ini = Some(ini);
    Ok(out)
}

/// Temporary credentials that are fetched, not read: what the chain found
/// and everything needed to fetch them, with no I/O done yet. The cloud's
/// credential module fetches and refreshes them.
#[derive(Debug, Clone)]
pub enum Dynamic {
    AwsWebIdentity(AwsWebIdentity),
    AwsAssumeRole(Box<AwsAssumeRole>),
    AwsProcess(AwsProcess),
    AwsContainer(AwsContainer),
    AwsImds(AwsImds),
    AwsSso(AwsSso),
    AliRamRoleArn(Box<AliRamRoleArn>),
    AliOidc(AliOidc),
    AliEcsRamRole(AliEcsRamRole),
    AliUri(AliUri),
    AliExternal(AliExternal),
    HwMetadata(HwMetadata),
}

#[derive(Debug, Clone)]
pub struct HwMetadata {
    /// Base URL without a trailing slash.
    pub endpoint: String,
}

/// Alibaba STS, `scheme://host[:port]`.
#[derive(Debug, Clone)]
pub struct AliSts {
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct AliRamRoleArn {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub duration_seconds: Option<u32>,
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub base: KeySource,
    pub sts: AliSts,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AliOidc {
    pub role_arn: String,
    pub provider_arn: String,
    pub token_file: PathBuf,
    pub session_name: Option<String>,
    pub duration_seconds: Option<u32>,
    pub policy: Option<String>,
    pub sts: AliSts,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AliEcsRamRole {
    /// Base URL without a trailing slash.
    pub endpoint: String,
    pub role_name: Option<String>,
    pub imdsv1_disabled: bool,
}

#[derive(Debug, Clone)]
pub struct AliUri {
    pub url: String,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AliExternal {
    pub command: String,
    pub source: Source,
}

/// Where a fetched key comes from.
#[derive(Debug, Clone)]
pub enum KeySource {
    Static(KeyPair),
    Dynamic(Dynamic),
}

impl KeySource {
    fn cache_key(&self) -> Vec<String> {
        match self {
            KeySource::Static(k) => vec![k.access_key_id.clone()],
            KeySource::Dynamic(d) => d.cache_key(),
        }
    }
}

/// The STS that AWS roles are assumed with: never the EC2 --endpoint-url.
#[derive(Debug, Clone)]
pub struct AwsSts {
    /// A configured endpoint; `None`: the regional STS of the region's
    /// partition (the AWS backend builds it, with FIPS/dual-stack).
    pub url: Option<String>,
    pub region: String,
    pub fips: bool,
    pub dualstack: bool,
}

impl AwsSts {
    fn host(&self) -> String {
        match &self.url {
            Some(u) => crate::transport::url_host(u),
            None => format!("regional STS of {}", self.region),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AwsWebIdentity {
    pub role_arn: String,
    pub token_file: PathBuf,
    pub session_name: Option<String>,
    pub sts: AwsSts,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AwsAssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration_seconds: Option<u32>,
    pub mfa_serial: Option<String>,
    pub base: KeySource,
    pub sts: AwsSts,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AwsProcess {
    pub command: String,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AwsContainer {
    pub url: String,
    pub token: Option<Secret>,
    pub token_file: Option<PathBuf>,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub struct AwsSso {
    /// ~/.aws/sso/cache/<sha1 of the session name or start URL>.json
    pub token_file: PathBuf,
    /// The portal, `https://portal.sso.<region>.amazonaws.com`.
    pub endpoint: String,
    pub account_id: String,
    pub role_name: String,
    pub profile: String,
}

#[derive(Debug, Clone)]
pub struct AwsImds {
    /// Base URL, ending in `/`.
    pub endpoint: String,
    pub v1_disabled: bool,
    /// AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout (1 s).
    pub timeout: Duration,
    /// AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts (1).
    pub attempts: u32,
}

impl Dynamic {
    /// What identifies a source's keys, for the disk cache: never a
    /// secret (and the entry's file name is a hash of it anyway).
    pub fn cache_key(&self) -> Vec<String> {
        match self {
            Dynamic::AwsWebIdentity(w) => vec![
                "web-identity".into(),
                w.role_arn.clone(),
                w.session_name.clone().unwrap_or_default(),
                w.sts.host(),
                w.token_file.display().to_string(),
            ],
            Dynamic::AwsAssumeRole(a) => {
                let mut v = vec![
                    "assume-role".into(),
                    a.role_arn.clone(),
                    a.session_name.clone().unwrap_or_default(),
                    a.external_id.clone().unwrap_or_default(),
                    a.duration_seconds.unwrap_or_default().to_string(),
                    a.sts.host(),
                ];
                v.extend(a.base.cache_key());
                v
            }
            Dynamic::AwsProcess(p) => vec!["process".into(), p.command.clone()],
            Dynamic::AwsContainer(c) => vec!["container".into(), c.url.clone()],
            Dynamic::AwsImds(i) => vec!["imds".into(), i.endpoint.clone()],
            Dynamic::AwsSso(s) => vec![
                "sso".into(),
                s.endpoint.clone(),
                s.account_id.clone(),
                s.role_name.clone(),
                s.token_file.display().to_string(),
            ],
            Dynamic::AliRamRoleArn(a) => {
                let mut v = vec![
                    "ram-role-arn".into(),
                    a.role_arn.clone(),
                    a.session_name.clone().unwrap_or_default(),
                    a.external_id.clone().unwrap_or_default(),
                    a.policy.clone().unwrap_or_default(),
                    a.duration_seconds.unwrap_or_default().to_string(),
                    a.sts.url.clone(),
                ];
                v.extend(a.base.cache_key());
                v
            }
            Dynamic::AliOidc(o) => vec![
                "oidc".into(),
                o.role_arn.clone(),
                o.provider_arn.clone(),
                o.session_name.clone().unwrap_or_default(),
                o.sts.url.clone(),
                o.token_file.display().to_string(),
            ],
            Dynamic::AliEcsRamRole(e) => vec![
                "ecs-ram-role".into(),
                e.endpoint.clone(),
                e.role_name.clone().unwrap_or_default(),
            ],
            Dynamic::AliUri(u) => vec!["credentials-uri".into(), u.url.clone()],
            Dynamic::AliExternal(x) => vec!["external".into(), x.command.clone()],
            Dynamic::HwMetadata(m) => vec!["metadata".into(), m.endpoint.clone()],
        }
    }

    /// What `config show` prints: the kind and the role, never a secret.
    pub fn describe(&self) -> String {
        match self {
            Dynamic::AwsWebIdentity(w) => format!(
                "web identity: role {} (token file {}, {}; STS {})",
                w.role_arn,
                w.token_file.display(),
                w.source,
                w.sts.host()
            ),
            Dynamic::AwsAssumeRole(a) => format!(
                "assume role: role {} ({}; STS {}) from {}",
                a.role_arn,
                a.source,
                a.sts.host(),
                match &a.base {
                    KeySource::Static(k) => format!("keys of {}", k.source),
                    KeySource::Dynamic(d) => d.describe(),
                }
            ),
            Dynamic::AwsProcess(p) => format!(
                "process: {} ({})",
                p.command.split_whitespace().next().unwrap_or_default(),
                p.source
            ),
            Dynamic::AwsContainer(c) => format!(
                "container: {} ({})",
                crate::transport::url_host(&c.url),
                c.source
            ),
            Dynamic::AwsImds(i) => format!("instance metadata: {}", i.endpoint),
            Dynamic::AwsSso(s) => format!(
                "SSO: role {} in account {} (profile {})",
                s.role_name, s.account_id, s.profile
            ),
            Dynamic::AliRamRoleArn(a) => format!(
                "assume role: role {} ({}; STS {}) from {}",
                a.role_arn,
                a.source,
                crate::transport::url_host(&a.sts.url),
                match &a.base {
                    KeySource::Static(k) => format!("keys of {}", k.source),
                    KeySource::Dynamic(d) => d.describe(),
                }
            ),
            Dynamic::AliOidc(o) => format!(
                "OIDC: role {} (token file {}, {}; STS {})",
                o.role_arn,
                o.token_file.display(),
                o.source,
                crate::transport::url_host(&o.sts.url)
            ),
            Dynamic::AliEcsRamRole(e) => format!(
                "instance metadata: {}{}",
                e.endpoint,
                e.role_name
                    .as_ref()
                    .map(|r| format!(", role {r}"))
                    .unwrap_or_default()
            ),
            Dynamic::AliUri(u) => format!(
                "credentials URI: {} ({})",
                crate::transport::url_host(&u.url),
                u.source
            ),
            Dynamic::AliExternal(x) => format!(
                "process: {} ({})",
                x.command.split_whitespace().next().unwrap_or_default(),
                x.source
            ),
            Dynamic::HwMetadata(m) => format!("instance metadata: {}", m.endpoint),
        }
    }
}

struct AwsChainFound {
    found: bool,
    keys: Option<KeyPair>,
    dynamic: Option<Dynamic>,
}

const AWS_CONTAINER_HOSTS: &[&str] = &[
    "169.254.170.2",
    "169.254.170.23",
    "[fd00:ec2::23]",
    "localhost",
];

fn env_true(env: &dyn Env, name: &str) -> bool {
    env.get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The rest of botocore's chain, in botocore's order, after the
/// environment's keys: assumed role, web identity, (SSO: not yet),
/// ~/.aws/credentials, credential_process, ~/.aws/config keys, container,
/// instance metadata. Each file is read only when reached.
fn aws_chain(
    env: &dyn Env,
    profile: &str,
    conf: AwsConf,
    region: Option<&Val<String>>,
    ignore_endpoints: bool,
) -> Result<AwsChainFound> {
    let sts = aws_sts(env, &conf, region, ignore_endpoints);
    let mut out = AwsChainFound {
        found: false,
        keys: None,
        dynamic: None,
    };
    let cred_path = home_file(env, "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    let mut creds_ini: Option<Option<ini::Ini>> = None;
    let load_creds = |creds_ini: &mut Option<Option<ini::Ini>>| -> Result<()> {
        if creds_ini.is_none() {
            *creds_ini = Some(match &cred_path {
                Some(p) => ini_load(p)?,
                None => None,
            });
        }
        Ok(())
    };

    // Assumed role (role_arn with source_profile or credential_source),
    // then web identity from the environment, then from the profile.
    let is_assume_role = conf.props.contains_key("role_arn")
        && (conf.props.contains_key("source_profile")
            || conf.props.contains_key("credential_source"));
    let env_web_identity =
        env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() && env.get("AWS_ROLE_ARN").is_some();
    if conf.props.contains_key("role_arn") && (is_assume_role || !env_web_identity) {
        load_creds(&mut creds_ini)?;
        let ctx = AwsFiles {
            env,
            conf: &conf,
            creds: creds_ini.as_ref().and_then(Option::as_ref),
            cred_path: cred_path.as_deref(),
            sts: &sts,
        };
        out.found = true;
        out.dynamic = Some(ctx.role(profile, &mut Vec::new())?);
        return Ok(out);
    }
    if let (Some(file), Some(role)) = (
        env.get("AWS_WEB_IDENTITY_TOKEN_FILE"),
        env.get("AWS_ROLE_ARN"),
    ) {
        out.dynamic = Some(Dynamic::AwsWebIdentity(AwsWebIdentity {
            role_arn: role,
            token_file: PathBuf::from(file),
            session_name: env.get("AWS_ROLE_SESSION_NAME"),
            sts,
            source: Source::Env("AWS_WEB_IDENTITY_TOKEN_FILE"),
        }));
        return Ok(out);
    }
    if env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() {
        return Err(Error::config(
            "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
        ));
    }
    // SSO (IAM Identity Center), from the token cache `aws sso login` left.
    if let Some(d) = aws_sso(env, &conf, &conf.props, profile)? {
        out.found = true;
        out.dynamic = Some(d);
        return Ok(out);
    }
    // ~/.aws/credentials.
    load_creds(&mut creds_ini)?;
    let creds = creds_ini.as_ref().and_then(Option::as_ref);
    if let (Some(ini), Some(path)) = (creds, cred_path.as_deref())
        && let Some(props) = props_of(Some(ini), profile)
    {
        out.found = true;
        if let Some(k) = keys_of(&props, path, profile)? {
            out.keys = Some(k);
            return Ok(out);
        }
        if let Some(cmd) = props.get("credential_process") {
            out.dynamic = Some(process(cmd, path, profile));
            return Ok(out);
        }
    }
    // credential_process, then keys, in ~/.aws/config.
    if let Some(path) = conf.path.as_deref() {
        if let Some(cmd) = conf.props.get("credential_process") {
            out.dynamic = Some(process(cmd, path, &conf.section));
            return Ok(out);
        }
        if let Some(k) = keys_of(&conf.props, path, &conf.section)? {
            out.keys = Some(k);
            return Ok(out);
        }
    }
    out.dynamic = aws_container(env)?.or_else(|| aws_imds(env, &conf));
    Ok(out)
}

/// SSO settings of a profile: `sso_session` naming an `[sso-session N]`
/// section, or the legacy `sso_start_url`/`sso_region` keys; the token is
/// the one `aws sso login` cached under ~/.aws/sso/cache.
fn aws_sso(
    env: &dyn Env,
    conf: &AwsConf,
    props: &BTreeMap<String, String>,
    profile: &str,
) -> Result<Option<Dynamic>> {
    let (region, cache_name) = if let Some(session) = props.get("sso_session") {
        let sec =
            props_of(conf.ini.as_ref(), &format!("sso-session {session}")).ok_or_else(|| {
                Error::config(format!(
                    "AWS profile '{profile}' names sso_session {session}, but there is no \
                 [sso-session {session}] section"
                ))
            })?;
        let region = sec
            .get("sso_region")
            .cloned()
            .ok_or_else(|| Error::config(format!("[sso-session {session}] has no sso_region")))?;
        (region, session.clone())
    } else if let Some(url) = props.get("sso_start_url") {
        let region = props
            .get("sso_region")
            .cloned()
            .ok_or_else(|| Error::config(format!("AWS profile '{profile}' has no sso_region")))?;
        (region, url.clone())
    } else {
        return Ok(None);
    };
    let need = |k: &str| {
        props.get(k).cloned().ok_or_else(|| {
            Error::config(format!("AWS profile '{profile}' uses SSO but has no {k}"))
        })
    };
    let account_id = need("sso_account_id")?;
    let role_name = need("sso_role_name")?;
    crate::ops::validate_region(&region)?;
    let Some(home) = home(env) else {
        return Err(Error::config(
            "AWS SSO needs the token cache under ~/.aws/sso/cache, and HOME is not set",
        ));
    };
    let digest = {
        use sha1::Digest;
        hex::encode(sha1::Sha1::digest(cache_name.as_bytes()))
    };
    let endpoint = env
        .get("AWS_ENDPOINT_URL_SSO")
        .unwrap_or_else(|| format!("https://portal.sso.{region}.amazonaws.com"));
    crate::transport::refuse_userinfo(&endpoint)?;
    Ok(Some(Dynamic::AwsSso(AwsSso {
        token_file: home.join(".aws/sso/cache").join(format!("{digest}.json")),
        endpoint: endpoint.trim_end_matches('/').to_string(),
        account_id,
        role_name,
        profile: profile.to_string(),
    })))
}

fn process(cmd: &str, path: &Path, section: &str) -> Dynamic {
    Dynamic::AwsProcess(AwsProcess {
        command: cmd.to_string(),
        source: Source::CloudFile {
            path: path.to_path_buf(),
            section: section.to_string(),
        },
    })
}

fn keys_of(
    props: &BTreeMap<String, String>,
    path: &Path,
    section: &str,
) -> Result<Option<KeyPair>> {
    let Some(id) = props.get("aws_access_key_id") else {
        return Ok(None);
    };
    let secret = props.get("aws_secret_access_key").ok_or_else(|| {
        Error::config(format!(
            "{} [{section}] has aws_access_key_id but no aws_secret_access_key",
            path.display()
        ))
    })?;
    Ok(Some(KeyPair {
        access_key_id: id.clone(),
        secret: Secret::new(secret.clone()),
        session_token: props
            .get("aws_session_token")
            .or_else(|| props.get("aws_security_token"))
            .map(|t| Secret::new(t.clone())),
        source: Source::CloudFile {
            path: path.to_path_buf(),
            section: section.to_string(),
        },
    }))
}

/// The container endpoint, when the environment names one.
fn aws_container(env: &dyn Env) -> Result<Option<Dynamic>> {
    let (url, source) = if let Some(rel) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        (
            format!("http://169.254.170.2{rel}"),
            Source::Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        )
    } else if let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        let host = crate::transport::url_host(&full);
        let allowed = full.starts_with("https://")
            || crate::transport::is_loopback_url(&full)
            || (full.starts_with("http://") && AWS_CONTAINER_HOSTS.contains(&host.as_str()));
        if !allowed {
            return Err(Error::config(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, a loopback address or one \
                 of the container hosts ({}), not {host}",
                AWS_CONTAINER_HOSTS.join(", ")
            )));
        }
        (full, Source::Env("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
    } else {
        return Ok(None);
    };
    crate::transport::refuse_userinfo(&url)?;
    Ok(Some(Dynamic::AwsContainer(AwsContainer {
        url,
        token: env
            .get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .map(Secret::new),
        token_file: env
            .get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            .map(PathBuf::from),
        source,
    })))
}

fn aws_imds(env: &dyn Env, conf: &AwsConf) -> Option<Dynamic> {
    if env_true(env, "AWS_EC2_METADATA_DISABLED") {
        return None;
    }
    let mut endpoint = env
        .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
        .or_else(|| conf.props.get("ec2_metadata_service_endpoint").cloned())
        .unwrap_or_else(|| {
            let v6 = env
                .get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
                .or_else(|| {
                    conf.props
                        .get("ec2_metadata_service_endpoint_mode")
                        .cloned()
                })
                .is_some_and(|m| m.eq_ignore_ascii_case("ipv6"));
            if v6 {
                "http://[fd00:ec2::254]/"
            } else {
                "http://169.254.169.254/"
            }
            .to_string()
        });
    if !endpoint.ends_with('/') {
        endpoint.push('/');
    }
    let v1_disabled = env_true(env, "AWS_EC2_METADATA_V1_DISABLED")
        || conf
            .props
            .get("ec2_metadata_v1_disabled")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let setting = |var: &str, key: &str| env.get(var).or_else(|| conf.props.get(key).cloned());
    let timeout = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")
        .and_then(|t| t.trim().parse::<f64>().ok())
        .filter(|t| t.is_finite() && *t > 0.0 && *t <= 60.0)
        .map_or(Duration::from_secs(1), Duration::from_secs_f64);
    let attempts = setting(
        "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
        "metadata_service_num_attempts",
    )
    .and_then(|n| n.trim().parse::<u32>().ok())
    .map_or(1, |n| n.clamp(1, MAX_ATTEMPTS));
    Some(Dynamic::AwsImds(AwsImds {
        endpoint,
        v1_disabled,
        timeout,
        attempts,
    }))
}

/// Where STS is: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's
/// `[services]` sts block, its endpoint_url, else the regional STS.
fn aws_sts(env: &dyn Env, conf: &AwsConf, region: Option<&Val<String>>, ignore: bool) -> AwsSts {
    let region = region.map(|r| r.value.clone());
    let configured = if ignore {
        None
    } else {
        env.get("AWS_ENDPOINT_URL_STS")
            .or_else(|| env.get("AWS_ENDPOINT_URL"))
            .or_else(|| conf.sts_endpoint_url.as_ref().map(|v| v.value.clone()))
    };
    AwsSts {
        url: configured,
        region: region.unwrap_or_else(|| "us-east-1".into()),
        fips: aws_flag(
            env,
            &conf.props,
            "AWS_USE_FIPS_ENDPOINT",
            "use_fips_endpoint",
        ),
        dualstack: aws_flag(
            env,
            &conf.props,
            "AWS_USE_DUALSTACK_ENDPOINT",
            "use_dualstack_endpoint",
        ),
    }
}

/// A boolean setting: the environment variable, else the profile key.
fn aws_flag(env: &dyn Env, props: &BTreeMap<String, String>, var: &str, key: &str) -> bool {
    match env.get(var) {
        Some(v) => v.eq_ignore_ascii_case("true"),
        None => props
            .get(key)
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
    }
}

/// The two AWS files, for following source_profile chains.
struct AwsFiles<'a> {
    env: &'a dyn Env,
    conf: &'a AwsConf,
    creds: Option<&'a ini::Ini>,
    cred_path: Option<&'a Path>,
    sts: &'a AwsSts,
}

impl AwsFiles<'_> {
    /// The profile's properties, ~/.aws/credentials winning over config.
    fn props(&self, profile: &str) -> (BTreeMap<String, String>, Source) {
        let section = aws_section_name(profile);
        let mut props = props_of(self.conf.ini.as_ref(), &section).unwrap_or_default();
        let mut source = Source::CloudFile {
            path: self.conf.path.clone().unwrap_or_default(),
            section,
        };
        if let Some(c) = props_of(self.creds, profile) {
            if c.contains_key("aws_access_key_id") {
                source = Source::CloudFile {
                    path: self.cred_path.map(Path::to_path_buf).unwrap_or_default(),
                    section: profile.to_string(),
                };
            }
            props.extend(c);
        }
        (props, source)
    }

    /// A profile with role_arn: web identity, or AssumeRole from a source
    /// profile (itself maybe a role: chains) or a credential_source.
    fn role(&self, profile: &str, seen: &mut Vec<String>) -> Result<Dynamic> {
        if seen.iter().any(|s| s == profile) {
            return Err(Error::config(format!(
                "the AWS profiles form a loop of source_profile: {} -> {profile}",
                seen.join(" -> ")
            )));
        }
        seen.push(profile.to_string());
        let (props, _) = self.props(profile);
        let Some(role_arn) = props.get("role_arn").cloned() else {
            return Err(Error::config(format!(
                "AWS profile '{profile}' has no role_arn"
            )));
        };
        let src = Source::CloudFile {
            path: self.conf.path.clone().unwrap_or_default(),
            section: aws_section_name(profile),
        };
        if let Some(file) = props.get("web_identity_token_file") {
            return Ok(Dynamic::AwsWebIdentity(AwsWebIdentity {
                role_arn,
                token_file: PathBuf::from(file),
                session_name: props.get("role_session_name").cloned(),
                sts: self.sts.clone(),
                source: src,
            }));
        }
        let base = match (props.get("source_profile"), props.get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(Error::config(format!(
                    "AWS profile '{profile}' has both source_profile and credential_source"
                )));
            }
            (Some(sp), None) => {
                let (sprops, ssrc) = self.props(sp);
                if sp != profile && sprops.contains_key("role_arn") {
                    KeySource::Dynamic(self.role(sp, seen)?)
                } else if let Some(k) = keys_of_src(&sprops, &ssrc)? {
                    KeySource::Static(k)
                } else if let Some(cmd) = sprops.get("credential_process") {
                    KeySource::Dynamic(Dynamic::AwsProcess(AwsProcess {
                        command: cmd.clone(),
                        source: ssrc,
                    }))
                } else if let Some(d) = aws_sso(self.env, self.conf, &sprops, sp)? {
                    KeySource::Dynamic(d)
                } else {
                    return Err(Error::config(format!(
                        "AWS profile '{profile}': source_profile '{sp}' has no credentials"
                    )));
                }
            }
            (None, Some(cs)) => match cs.as_str() {
                "Environment" => match env_identity(self.env, Provider::Ec2)?.keys {
                    Some(k) => KeySource::Static(k),
                    None => {
                        return Err(Error::config(format!(
                            "AWS profile '{profile}': credential_source Environment, but \
                             AWS_ACCESS_KEY_ID is not set"
                        )));
                    }
                },
                "Ec2InstanceMetadata" => match aws_imds(self.env, self.conf) {
                    Some(d) => KeySource::Dynamic(d),
                    None => {
                        return Err(Error::config(
                            "credential_source Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is true",
                        ));
                    }
                },
                "EcsContainer" => match aws_container(self.env)? {
                    Some(d) => KeySource::Dynamic(d),
                    None => {
                        return Err(Error::config(
                            "credential_source EcsContainer, but neither \
                             AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set",
                        ));
                    }
                },
                other => {
                    return Err(Error::config(format!(
                        "AWS profile '{profile}': unknown credential_source '{other}' \
                         (Environment, Ec2InstanceMetadata or EcsContainer)"
                    )));
                }
            },
            (None, None) => {
                return Err(Error::config(format!(
                    "AWS profile '{profile}' has role_arn but neither source_profile, \
                     credential_source nor web_identity_token_file"
                )));
            }
        };
        let duration_seconds = match props.get("duration_seconds") {
            None => None,
            Some(d) => Some(d.parse::<u32>().ok().filter(|d| *d >= 900).ok_or_else(|| {
                Error::config(format!(
                    "AWS profile '{profile}': duration_seconds must be a number of at least 900"
                ))
            })?),
        };
        Ok(Dynamic::AwsAssumeRole(Box::new(AwsAssumeRole {
            role_arn,
            session_name: props.get("role_session_name").cloned(),
            external_id: props.get("external_id").cloned(),
            duration_seconds,
            mfa_serial: props.get("mfa_serial").cloned(),
            base,
            sts: self.sts.clone(),
            source: src,
        })))
    }
}

fn keys_of_src(props: &BTreeMap<String, String>, src: &Source) -> Result<Option<KeyPair>> {
    match src {
        Source::CloudFile { path, section } => keys_of(props, path, section),
        _ => Ok(None),
    }
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

/// A profile of ~/.aliyun/config.json; numbers may be written as
/// numbers or strings, as the aliyun CLI accepts both.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AliyunProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    region_id: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: serde_json::Value,
    external_id: String,
    sts_region: String,
    sts_endpoint: String,
    enable_vpc: bool,
    policy: String,
    source_profile: String,
    ram_role_name: String,
    oidc_provider_arn: String,
    oidc_token_file: String,
    role_session_name: String,
    credentials_uri: String,
    process_command: String,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

/// Where Alibaba STS is: ALIBABA_CLOUD_STS_ENDPOINT or the profile's
/// sts_endpoint (a bare host means https, a URL keeps its scheme), else
/// the regional (or VPC) endpoint of ALIBABA_CLOUD_STS_REGION /
/// sts_region, else the public one.
fn aliyun_sts(env: &dyn Env, prof: Option<&AliyunProfile>) -> Result<AliSts> {
    let explicit = env
        .get("ALIBABA_CLOUD_STS_ENDPOINT")
        .or_else(|| prof.and_then(|p| non_empty(&p.sts_endpoint)));
    let url = if let Some(e) = explicit {
        if e.contains("://") {
            e.trim_end_matches('/').to_string()
        } else {
            format!("https://{}", e.trim_end_matches('/'))
        }
    } else {
        let region = env
            .get("ALIBABA_CLOUD_STS_REGION")
            .or_else(|| prof.and_then(|p| non_empty(&p.sts_region)));
        let vpc = env_true(env, "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED")
            || prof.is_some_and(|p| p.enable_vpc);
        match region {
            Some(r) => {
                crate::ops::validate_region(&r)?;
                if vpc {
                    format!("https://sts-vpc.{r}.aliyuncs.com")
                } else {
                    format!("https://sts.{r}.aliyuncs.com")
                }
            }
            None => "https://sts.aliyuncs.com".to_string(),
        }
    };
    crate::transport::refuse_userinfo(&url)?;
    Ok(AliSts { url })
}

fn aliyun_metadata(env: &dyn Env, role_name: Option<String>) -> Option<Dynamic> {
    if env_true(env, "ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
        return None;
    }
    let endpoint = env
        .get("IMGCTL_ALIBABA_METADATA_ENDPOINT")
        .map(|e| e.trim_end_matches('/').to_string())
        .unwrap_or_else(|| "http://100.100.100.200".to_string());
    Some(Dynamic::AliEcsRamRole(AliEcsRamRole {
        endpoint,
        role_name: role_name.or_else(|| env.get("ALIBABA_CLOUD_ECS_METADATA")),
        imdsv1_disabled: env_true(env, "ALIBABA_CLOUD_IMDSV1_DISABLED"),
    }))
}

fn aliyun_oidc_env(env: &dyn Env) -> Result<Option<Dynamic>> {
    let (Some(role), Some(provider), Some(file)) = (
        env.get("ALIBABA_CLOUD_ROLE_ARN"),
        env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
        env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
    ) else {
        return Ok(None);
    };
    Ok(Some(Dynamic::AliOidc(AliOidc {
        role_arn: role,
        provider_arn: provider,
        token_file: PathBuf::from(file),
        session_name: env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME"),
        duration_seconds: None,
        policy: None,
        sts: aliyun_sts(env, None)?,
        source: Source::Env("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
    })))
}

/// The Alibaba chain after the environment's keys, in credentials-go's
/// order: OIDC from the environment, the aliyun CLI profile, then the
/// credentials URI and ECS instance metadata. (credentials-go probes the
/// metadata before the URI; imgctl takes an explicitly set URI first, so
/// a pipeline off ECS does not wait a second for a metadata timeout.)
fn aliyun_chain(
    env: &dyn Env,
    profile: Option<&str>,
    need_keys: bool,
) -> Result<(CloudFound, Option<Dynamic>)> {
    if need_keys && let Some(d) = aliyun_oidc_env(env)? {
        // The region may still come from the CLI profile.
        let (found, _) = aliyun_file(env, profile, false)?;
        return Ok((found, Some(d)));
    }
    // ALIBABA_CLOUD_CLI_PROFILE_DISABLED turns the CLI profile off as a
    // source of credentials (its region is still read).
    let cli_keys = need_keys && !env_true(env, "ALIBABA_CLOUD_CLI_PROFILE_DISABLED");
    let (mut found, mut dynamic) = aliyun_file(env, profile, cli_keys)?;
    if need_keys && found.keys.is_none() && dynamic.is_none() {
        match alibabacloud_ini(env)? {
            Some(KeySource::Static(k)) => found.keys = Some(k),
            Some(KeySource::Dynamic(d)) => dynamic = Some(d),
            None => {}
        }
    }
    if need_keys && found.keys.is_none() && dynamic.is_none() {
        if let Some(uri) = env.get("ALIBABA_CLOUD_CREDENTIALS_URI") {
            dynamic = Some(aliyun_uri(
                uri,
                Source::Env("ALIBABA_CLOUD_CREDENTIALS_URI"),
            )?);
        } else {
            dynamic = aliyun_metadata(env, None);
        }
    }
    Ok((found, dynamic))
}

/// ~/.alibabacloud/credentials.ini (ALIBABA_CLOUD_CREDENTIALS_FILE), the
/// SDKs' own profile file: section ALIBABA_CLOUD_PROFILE or `default`,
/// `type` access_key, sts, ram_role_arn or ecs_ram_role.
fn alibabacloud_ini(env: &dyn Env) -> Result<Option<KeySource>> {
    let Some(path) = home_file(
        env,
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        ".alibabacloud/credentials.ini",
    ) else {
        return Ok(None);
    };
    let Some(ini) = ini_load(&path)? else {
        return Ok(None);
    };
    let name = env
        .get("ALIBABA_CLOUD_PROFILE")
        .unwrap_or_else(|| "default".to_string());
    let Some(props) = props_of(Some(&ini), &name) else {
        return Ok(None);
    };
    if props
        .get("enable")
        .is_some_and(|v| v.eq_ignore_ascii_case("false"))
    {
        return Ok(None);
    }
    let src = Source::CloudFile {
        path: path.clone(),
        section: name.clone(),
    };
    let need = |k: &str| {
        props
            .get(k)
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| Error::config(format!("{} [{name}] has no {k}", path.display())))
    };
    let keys = |token: bool| -> Result<KeyPair> {
        Ok(KeyPair {
            access_key_id: need("access_key_id")?,
            secret: Secret::new(need("access_key_secret")?),
            session_token: if token {
                Some(Secret::new(need("security_token")?))
            } else {
                None
            },
            source: src.clone(),
        })
    };
    let kind = props.get("type").map(String::as_str).unwrap_or_default();
    Ok(Some(match kind {
        "access_key" => KeySource::Static(keys(false)?),
        "sts" => KeySource::Static(keys(true)?),
        "ram_role_arn" => {
            let duration = match props.get("role_session_expiration") {
                Some(d) => Some(d.parse::<u32>().ok().filter(|d| *d >= 900).ok_or_else(|| {
                    Error::config(format!(
                        "{} [{name}]: role_session_expiration must be a number of at least 900",
                        path.display()
                    ))
                })?),
                None => None,
            };
            KeySource::Dynamic(Dynamic::AliRamRoleArn(Box::new(AliRamRoleArn {
                role_arn: need("role_arn")?,
                session_name: props.get("role_session_name").cloned(),
                duration_seconds: duration,
                external_id: None,
                policy: props.get("policy").cloned(),
                base: KeySource::Static(keys(false)?),
                sts: aliyun_sts(env, None)?,
                source: src.clone(),
            })))
        }
        "ecs_ram_role" => match aliyun_metadata(env, props.get("role_name").cloned()) {
            Some(d) => KeySource::Dynamic(d),
            None => {
                return Err(Error::config(format!(
                    "{} [{name}] is type ecs_ram_role, but ALIBABA_CLOUD_ECS_METADATA_DISABLED is true",
                    path.display()
                )));
            }
        },
        other => {
            return Err(Error::config(format!(
                "{} [{name}]: type '{other}' is not read by imgctl (access_key, sts, \
                 ram_role_arn and ecs_ram_role are)",
                path.display()
            )));
        }
    }))
}

fn aliyun_uri(uri: String, source: Source) -> Result<Dynamic> {
    if !(uri.starts_with("http://") || uri.starts_with("https://")) {
        return Err(Error::config(format!(
            "the Alibaba credentials URI ({source}) must be an http or https URL"
        )));
    }
    crate::transport::refuse_userinfo(&uri)?;
    Ok(Dynamic::AliUri(AliUri { url: uri, source }))
}

/// ~/.aliyun/config.json, the aliyun CLI's file. With `need_keys` false
/// only the region is taken, and the profile's mode is not looked at.
fn aliyun_file(
    env: &dyn Env,
    profile: Option<&str>,
    need_keys: bool,
) -> Result<(CloudFound, Option<Dynamic>)> {
    let mut out = CloudFound {
        found: false,
        keys: None,
        region: None,
        project_id: None,
    };
    let Some(path) = home_file(env, "ALIBABA_CLOUD_CONFIG_FILE", ".aliyun/config.json") else {
        return Ok((out, None));
    };
    let Some(text) = read_optional(&path)? else {
        return Ok((out, None));
    };
    let cfg: AliyunConfig = serde_json::from_str(&text).map_err(|e| json_error(&path, &e))?;
    let name = profile
        .map(str::to_string)
        .or(cfg.current.clone())
        .unwrap_or_else(|| "default".into());
    let Some(prof) = cfg.profiles.iter().find(|p| p.name == name) else {
        return Ok((out, None));
    };
    out.found = true;
    let src = Source::CloudFile {
        path: path.clone(),
        section: name.clone(),
    };
    if let Some(r) = non_empty(&prof.region_id) {
        out.region = Some(Val::new(r, src.clone()));
    }
    if !need_keys {
        return Ok((out, None));
    }
    match aliyun_profile_source(env, &cfg, prof, &path, &mut Vec::new())? {
        KeySource::Static(k) => out.keys = Some(k),
        KeySource::Dynamic(d) => return Ok((out, Some(d))),
    }
    Ok((out, None))
}

/// What one profile's mode says about credentials; ChainableRamRoleArn
/// follows source_profile (loops are refused).
fn aliyun_profile_source(
    env: &dyn Env,
    cfg: &AliyunConfig,
    prof: &AliyunProfile,
    path: &Path,
    seen: &mut Vec<String>,
) -> Result<KeySource> {
    let name = prof.name.clone();
    if seen.contains(&name) {
        return Err(Error::config(format!(
            "{}: the profiles form a loop of source_profile: {} -> {name}",
            path.display(),
            seen.join(" -> ")
        )));
    }
    seen.push(name.clone());
    let src = Source::CloudFile {
        path: path.to_path_buf(),
        section: name.clone(),
    };
    let missing = |key: &str| {
        Error::config(format!(
            "{} profile '{name}' (mode {}) has no {key}",
            path.display(),
            prof.mode
        ))
    };
    let static_keys = |with_token: bool| -> Result<KeyPair> {
        let id = non_empty(&prof.access_key_id).ok_or_else(|| missing("access_key_id"))?;
        let secret =
            non_empty(&prof.access_key_secret).ok_or_else(|| missing("access_key_secret"))?;
        Ok(KeyPair {
            access_key_id: id,
            secret: Secret::new(secret),
            session_token: if with_token {
                non_empty(&prof.sts_token).map(Secret::new)
            } else {
                None
            },
            source: src.clone(),
        })
    };
    let duration = match &prof.expired_seconds {
        serde_json::Value::Null => None,
        serde_json::Value::Number(n) => n.as_u64().filter(|d| *d > 0),
        serde_json::Value::String(s) if s.trim().is_empty() => None,
        serde_json::Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    if let Some(d) = duration
        && d < 900
    {
        return Err(Error::config(format!(
            "{} profile '{name}': expired_seconds must be at least 900, not {d}",
            path.display()
        )));
    }
    let duration = duration.map(|d| u32::try_from(d).unwrap_or(u32::MAX));
    let mode = prof.mode.to_ascii_lowercase();
    let role = |base: KeySource| -> Result<KeySource> {
        let role_arn = non_empty(&prof.ram_role_arn)
            .or_else(|| env.get("ALIBABA_CLOUD_ROLE_ARN"))
            .ok_or_else(|| missing("ram_role_arn"))?;
        Ok(KeySource::Dynamic(Dynamic::AliRamRoleArn(Box::new(
            AliRamRoleArn {
                role_arn,
                session_name: non_empty(&prof.ram_session_name),
                duration_seconds: duration,
                external_id: non_empty(&prof.external_id)
                    .or_else(|| env.get("ALIBABA_CLOUD_EXTERNAL_ID")),
                policy: non_empty(&prof.policy),
                base,
                sts: aliyun_sts(env, Some(prof))?,
                source: src.clone(),
            },
        ))))
    };
    Ok(match mode.as_str() {
        "ak" | "" => KeySource::Static(static_keys(false)?),
        "ststoken" => KeySource::Static(static_keys(true)?),
        "ramrolearn" => role(KeySource::Static(static_keys(true)?))?,
        "chainableramrolearn" => {
            let sp = non_empty(&prof.source_profile).ok_or_else(|| missing("source_profile"))?;
            let source = cfg.profiles.iter().find(|p| p.name == sp).ok_or_else(|| {
                Error::config(format!(
                    "{} profile '{name}': source_profile '{sp}' is not in the file",
                    path.display()
                ))
            })?;
            role(aliyun_profile_source(env, cfg, source, path, seen)?)?
        }
        "ecsramrole" => match aliyun_metadata(env, non_empty(&prof.ram_role_name)) {
            Some(d) => KeySource::Dynamic(d),
            None => {
                return Err(Error::config(format!(
                    "{} profile '{name}' uses mode EcsRamRole, but \
                     ALIBABA_CLOUD_ECS_METADATA_DISABLED is true",
                    path.display()
                )));
            }
        },
        "oidc" => KeySource::Dynamic(Dynamic::AliOidc(AliOidc {
            role_arn: non_empty(&prof.ram_role_arn)
                .or_else(|| env.get("ALIBABA_CLOUD_ROLE_ARN"))
                .ok_or_else(|| missing("ram_role_arn"))?,
            provider_arn: non_empty(&prof.oidc_provider_arn)
                .or_else(|| env.get("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"))
                .ok_or_else(|| missing("oidc_provider_arn"))?,
            token_file: PathBuf::from(
                non_empty(&prof.oidc_token_file)
                    .or_else(|| env.get("ALIBABA_CLOUD_OIDC_TOKEN_FILE"))
                    .ok_or_else(|| missing("oidc_token_file"))?,
            ),
            session_name: non_empty(&prof.ram_session_name)
                .or_else(|| non_empty(&prof.role_session_name)),
            duration_seconds: duration,
            policy: non_empty(&prof.policy),
            sts: aliyun_sts(env, Some(prof))?,
            source: src.clone(),
        })),
        "credentialsuri" => KeySource::Dynamic(aliyun_uri(
            non_empty(&prof.credentials_uri)
                .or_else(|| env.get("ALIBABA_CLOUD_CREDENTIALS_URI"))
                .ok_or_else(|| missing("credentials_uri"))?,
            src.clone(),
        )?),
        "external" => KeySource::Dynamic(Dynamic::AliExternal(AliExternal {
            command: non_empty(&prof.process_command).ok_or_else(|| missing("process_command"))?,
            source: src.clone(),
        })),
        _ => {
            return Err(Error::config(format!(
                "{} profile '{name}' uses mode {} which imgctl does not read (AK, StsToken, \
                 RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI and External \
                 are read); export ALIBABA_CLOUD_* variables instead",
                path.display(),
                prof.mode
            )));
        }
    })
}

/// ~/.huaweicloud/credentials, the Huawei SDKs' profile file ([basic]).
fn huawei_file(env: &dyn Env) -> Result<CloudFound> {
    let mut out = CloudFound {
        found: false,
        keys: None,
        region: None,
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
    fn fips_and_dualstack_from_env_and_profile() {
        let tmp = tempfile::tempdir().unwrap();
        let conf = tmp.path().join("config");
        std::fs::write(&conf, "[default]\nuse_dualstack_endpoint = true\n").unwrap();
        let mut env: BTreeMap<String, String> = [
            ("AWS_ACCESS_KEY_ID", "AKIA1"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        env.insert("AWS_CONFIG_FILE".into(), conf.display().to_string());
        let ov = Overrides {
            provider: Some("ec2".into()),
            ..Overrides::default()
        };
        let s = resolve(&ov, &env).unwrap();
        assert!(s.aws_fips && s.aws_dualstack);
        env.insert("AWS_USE_DUALSTACK_ENDPOINT".into(), "false".into());
        let s = resolve(&ov, &env).unwrap();
        assert!(s.aws_fips && !s.aws_dualstack);
    }

    #[test]
    fn mask() {
        assert_eq!(mask_id("AKIDEXAMPLE1234"), "***********1234");
        assert_eq!(mask_id("abc"), "****");
    }
}
