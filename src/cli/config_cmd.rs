//! `imgctl config show|set|get`, `imgctl configure` and `imgctl help
//! TOPIC`: what imgctl picked up and where from, and the writing of its
//! own config file (through `config_write`).

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Read, Write};

use clap::CommandFactory;
use serde_json::{Map, Value, json};

use super::args::{Cli, GlobalArgs};
use super::emit;
use crate::config::{self, Env, Settings, Source, Val};
use crate::config_write::{self, Setting};
use crate::error::{EXIT_CODES_HELP, Error, Result};
use crate::provider::Provider;

/// `imgctl help TOPIC`: the guides ship inside the binary, so they are at
/// hand where the cloud is (and match this version).
const TOPICS: &[(&str, &str, &str)] = &[
    ("exit-codes", "what each exit status means", EXIT_CODES_HELP),
    (
        "ens",
        "Alibaba Cloud ENS: credentials, create -> wait -> modify, common errors",
        include_str!("../../docs/ens.md"),
    ),
    (
        "ecs",
        "Alibaba Cloud ECS: credentials, create -> wait -> modify, common errors",
        include_str!("../../docs/ecs.md"),
    ),
    (
        "ec2",
        "AWS EC2: credentials, create -> wait -> modify, common errors",
        include_str!("../../docs/ec2.md"),
    ),
    (
        "ims",
        "Huawei Cloud IMS: credentials, create -> wait -> modify, common errors",
        include_str!("../../docs/ims.md"),
    ),
    (
        "credentials",
        "every cloud's credential chain: OIDC, roles, processes, metadata; CI examples",
        include_str!("../../docs/credentials.md"),
    ),
    (
        "emulator",
        "the local emulator: seeded ids, life cycles, faults, admin API",
        include_str!("../../docs/emulator.md"),
    ),
];

/// The topic list `imgctl help` ends with.
pub fn topics_text() -> String {
    let w = TOPICS.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
    let mut s = String::from("Help topics (imgctl help TOPIC):\n");
    for (name, what, _) in TOPICS {
        s.push_str(&format!("  {name:<w$}  {what}\n"));
    }
    s.push_str("Commands: imgctl help COMMAND... (e.g. imgctl help image create)");
    s
}

pub(super) fn help(topic: &[String]) -> Result<()> {
    if let [one] = topic
        && let Some((_, _, text)) = TOPICS.iter().find(|(n, _, _)| n == one)
    {
        return emit(text);
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut cur = cmd;
    for t in topic {
        let Some(sub) = cur.find_subcommand(t) else {
            return Err(Error::usage(format!(
                "no help topic '{}'\n{}",
                topic.join(" "),
                topics_text()
            )));
        };
        cur = sub.clone();
    }
    let mut out = cur.render_long_help().to_string();
    if topic.is_empty() {
        out.push('\n');
        out.push_str(&topics_text());
    }
    emit(&out)
}

/// The fields `config show` lists for a provider: only those it uses.
fn fields(p: Provider) -> Vec<&'static str> {
    let mut f = vec!["provider", "profile", "config_file"];
    // ENS has one global endpoint: no region.
    if p != Provider::Ens {
        f.push("region");
    }
    f.push("endpoint_url");
    if p == Provider::Ims {
        f.push("iam_endpoint_url");
        f.push("auth_mode");
    }
    f.extend([
        "credentials",
        "access_key_id",
        "secret_access_key",
        "session_token",
    ]);
    if p == Provider::Ims {
        f.extend(["project_id", "user_name", "password", "domain_name"]);
    }
    if matches!(p, Provider::Ens | Provider::Ecs) {
        f.push("signature_version");
    }
    f.extend(["connect_timeout", "read_timeout", "max_attempts"]);
    f
}

/// The variables a provider's keys come from, in the order they are read:
/// (access key id, secret, session token).
fn key_vars(p: Provider) -> [&'static [&'static str]; 3] {
    match p {
        Provider::Ens | Provider::Ecs => [
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
        ],
        Provider::Ec2 => [
            &["AWS_ACCESS_KEY_ID"],
            &["AWS_SECRET_ACCESS_KEY"],
            &["AWS_SESSION_TOKEN"],
        ],
        Provider::Ims => [
            &["HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY"],
            &["HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY"],
            &["HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN"],
        ],
    }
}

/// What `config show` needs besides the settings to name each source
/// exactly: the environment (which variable of a family was read) and the
/// raw profile table (which spelling of a key the file uses).
struct Origins<'a> {
    env: &'a dyn Env,
    profile_keys: BTreeMap<String, Vec<String>>,
}

impl<'a> Origins<'a> {
    fn new(env: &'a dyn Env) -> Origins<'a> {
        let mut profile_keys = BTreeMap::new();
        // Already parsed (and checked) by config::resolve; a file that does
        // not parse here only loses the alias detail.
        if let Some(text) = config::config_path(env).and_then(|p| std::fs::read_to_string(p).ok())
            && let Ok(t) = text.parse::<toml::Table>()
            && let Some(toml::Value::Table(profiles)) = t.get("profiles")
        {
            for (name, v) in profiles {
                if let toml::Value::Table(entry) = v {
                    profile_keys.insert(name.clone(), entry.keys().cloned().collect());
                }
            }
        }
        Origins { env, profile_keys }
    }

    /// The first variable of `names` that is set.
    fn first_set(&self, names: &[&'static str]) -> Option<&'static str> {
        names.iter().copied().find(|n| self.env.get(n).is_some())
    }

    /// The key of profile `name` that holds `field` (one of its spellings).
    fn profile_key(&self, name: &str, field: &'static str) -> String {
        let spellings: &[&str] = match field {
            "secret_access_key" => &["secret_access_key", "access_key_secret", "sk"],
            "session_token" => &["session_token", "security_token"],
            other => return other.to_string(),
        };
        let have = self.profile_keys.get(name);
        spellings
            .iter()
            .find(|s| have.is_some_and(|h| h.iter().any(|k| k == *s)))
            .unwrap_or(&spellings[0])
            .to_string()
    }

    /// `source` with the exact variable, or file and key, of `field`.
    fn describe(&self, p: Provider, field: &'static str, source: &Source) -> String {
        match source {
            Source::Env(n) => {
                let [_, secret, token] = key_vars(p);
                let family: Option<&[&'static str]> = match field {
                    "secret_access_key" => Some(secret),
                    "session_token" => Some(token),
                    "password" => Some(&["HW_PASSWORD"]),
                    "domain_name" => Some(&["HW_DOMAIN_NAME"]),
                    _ => None,
                };
                match family {
                    // The variable read, else the one paired with the
                    // id's (the environment a caller resolved with may
                    // not be this process's: --emulator).
                    Some(f) => {
                        let [ids, _, _] = key_vars(p);
                        let paired = ids
                            .iter()
                            .position(|v| v == n)
                            .and_then(|i| f.get(i))
                            .unwrap_or(&f[0]);
                        format!("env {}", self.first_set(f).unwrap_or(paired))
                    }
                    None => format!("env {n}"),
                }
            }
            Source::Profile { name, path } => format!(
                "imgctl profile '{name}' ({}), key {}",
                path.display(),
                self.profile_key(name, field)
            ),
            Source::CloudFile { path, section } => {
                let json_file = path.extension().is_some_and(|e| e == "json");
                let key = cloud_file_key(p, field, section);
                if json_file {
                    format!("{} profile '{section}', key {key}", path.display())
                } else {
                    format!("{} [{section}], key {key}", path.display())
                }
            }
            other => other.to_string(),
        }
    }
}

/// The key a cloud's own file stores `field` under.
fn cloud_file_key(p: Provider, field: &str, section: &str) -> String {
    let k = match (p, field) {
        (Provider::Ec2, "access_key_id") => "aws_access_key_id",
        (Provider::Ec2, "secret_access_key") => "aws_secret_access_key",
        (Provider::Ec2, "session_token") => "aws_session_token",
        (Provider::Ec2, "endpoint_url") if section.starts_with("services ") => "ec2.endpoint_url",
        (Provider::Ens | Provider::Ecs, "secret_access_key") => "access_key_secret",
        (Provider::Ens | Provider::Ecs, "session_token") => "sts_token",
        (Provider::Ens | Provider::Ecs, "region") => "region_id",
        (Provider::Ims, "access_key_id") => "ak",
        (Provider::Ims, "secret_access_key") => "sk",
        (Provider::Ims, "session_token") => "security_token",
        (_, f) => f,
    };
    k.to_string()
}

fn entry(value: Value, source: String) -> Value {
    json!({"value": value, "source": source})
}

fn not_set() -> Value {
    json!({"value": null, "source": "not set"})
}

/// One provider's settings, each value with its exact source, secrets
/// masked; only the fields that provider uses.
pub(super) fn show(s: &Settings, env: &dyn Env) -> Value {
    show_fields(s, &Origins::new(env), &fields(s.provider.value))
}

fn show_fields(s: &Settings, o: &Origins, fields: &[&'static str]) -> Value {
    let p = s.provider.value;
    let val = |f: &'static str, v: &Option<Val<String>>| match v {
        Some(v) => entry(json!(v.value), o.describe(p, f, &v.source)),
        None => not_set(),
    };
    let keys = s.keys.as_ref();
    let pw = s.password.as_ref();
    let mut m = Map::new();
    for &f in fields {
        let v = match f {
            "provider" => entry(json!(p.as_str()), o.describe(p, f, &s.provider.source)),
            "profile" => val(f, &s.profile),
            "config_file" => json!(config::config_path(o.env).map(|p| p.display().to_string())),
            "region" => val(f, &s.region),
            "endpoint_url" => val(f, &s.endpoint_url),
            "iam_endpoint_url" => val(f, &s.iam_endpoint_url),
            "project_id" => val(f, &s.project_id),
            "credentials" => credentials(s, o),
            "access_key_id" => match keys {
                Some(k) => entry(
                    json!(config::mask_id(&k.access_key_id)),
                    o.describe(p, f, &k.source),
                ),
                None => not_set(),
            },
            "secret_access_key" => match keys {
                Some(k) => entry(json!("****"), o.describe(p, f, &k.source)),
                None => not_set(),
            },
            "session_token" => match keys {
                Some(k) if k.session_token.is_some() => {
                    entry(json!("****"), o.describe(p, f, &k.source))
                }
                _ => not_set(),
            },
            "user_name" => match pw {
                Some(w) => entry(json!(w.user_name), o.describe(p, f, &w.source)),
                None => not_set(),
            },
            "password" => match pw {
                Some(w) => entry(json!("****"), o.describe(p, f, &w.source)),
                None => not_set(),
            },
            "domain_name" => match pw {
                Some(w) => entry(json!(w.domain_name), o.describe(p, f, &w.source)),
                None => not_set(),
            },
            "auth_mode" => match &s.auth_mode {
                Some(v) => entry(
                    json!(format!("{:?}", v.value).to_lowercase()),
                    o.describe(p, f, &v.source),
                ),
                None => not_set(),
            },
            "signature_version" => entry(
                json!(format!("{:?}", s.signature_version.value).to_lowercase()),
                o.describe(p, f, &s.signature_version.source),
            ),
            "connect_timeout" => entry(
                json!(format!("{}ms", s.connect_timeout.value.as_millis())),
                o.describe(p, f, &s.connect_timeout.source),
            ),
            "read_timeout" => entry(
                json!(format!("{}ms", s.read_timeout.value.as_millis())),
                o.describe(p, f, &s.read_timeout.source),
            ),
            "max_attempts" => entry(
                json!(s.max_attempts.value),
                o.describe(p, f, &s.max_attempts.source),
            ),
            _ => continue,
        };
        m.insert(f.to_string(), v);
    }
    Value::Object(m)
}

/// Which credentials sign: the keys' source, or the source that fetches
/// temporary ones (web identity, role, process, metadata…) and, when an
/// earlier run cached them, their expiry. Never a secret.
fn credentials(s: &Settings, o: &Origins) -> Value {
    let p = s.provider.value;
    match (&s.keys, &s.dynamic) {
        (Some(k), _) => entry(json!("keys"), o.describe(p, "access_key_id", &k.source)),
        (None, Some(d)) => {
            let cloud = match p {
                Provider::Ec2 => "aws",
                Provider::Ens | Provider::Ecs => "alibaba",
                Provider::Ims => "huawei-keys",
            };
            let expires = crate::refresh::cached_expiry(s, cloud).and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            });
            json!({
                "value": d.describe(),
                "source": "fetched when used",
                "expires": expires.map_or(json!("not fetched yet"), |e| json!(e)),
            })
        }
        (None, None) => not_set(),
    }
}

/// Where the config file's path came from.
fn config_file_source(env: &dyn Env) -> String {
    if env.get("IMGCTL_CONFIG_FILE").is_some() {
        "env IMGCTL_CONFIG_FILE".into()
    } else if env
        .get("XDG_CONFIG_HOME")
        .is_some_and(|d| std::path::Path::new(&d).is_absolute())
    {
        "env XDG_CONFIG_HOME".into()
    } else {
        "default".into()
    }
}

/// How `config::resolve` says that nothing chose a provider: for `config
/// show`, that is "not set", not an error.
const NO_PROVIDER: &str = "no provider chosen";

/// `config show` without `--provider`: the provider chosen (if any), the
/// profile and file, then every provider's settings under its name. A
/// provider whose settings cannot be resolved gets `error` instead; the
/// messages are returned too, for the exit status.
pub(super) fn show_all(
    chosen: Result<Settings>,
    each: Vec<(Provider, Result<Settings>)>,
    env: &dyn Env,
) -> (Value, Vec<String>) {
    let o = Origins::new(env);
    let mut m = Map::new();
    let mut errors = Vec::new();
    m.insert(
        "provider".into(),
        match &chosen {
            Ok(s) => show_fields(s, &o, &["provider"])["provider"].clone(),
            Err(Error::Usage(msg)) if msg.starts_with(NO_PROVIDER) => not_set(),
            Err(e) => {
                errors.push(format!("provider: {e}"));
                entry(Value::Null, format!("error: {e}"))
            }
        },
    );
    let profile = each
        .iter()
        .find_map(|(_, r)| r.as_ref().ok())
        .map(|s| show_fields(s, &o, &["profile"])["profile"].clone())
        .unwrap_or_else(not_set);
    m.insert("profile".into(), profile);
    m.insert(
        "config_file".into(),
        json!(config::config_path(env).map(|p| p.display().to_string())),
    );
    for (p, r) in each {
        let v = match r {
            Ok(s) => {
                let f: Vec<&'static str> = fields(p)
                    .into_iter()
                    .filter(|f| !matches!(*f, "provider" | "profile" | "config_file"))
                    .collect();
                show_fields(&s, &o, &f)
            }
            Err(e) => {
                errors.push(format!("{}: {e}", p.as_str()));
                json!({"error": e.to_string()})
            }
        };
        m.insert(p.as_str().into(), v);
    }
    (Value::Object(m), errors)
}

/// `config show --output table|text`: NAME, VALUE, SOURCE (like `aws
/// configure list`); the settings of every provider are named
/// `PROVIDER.KEY`. Text is the same rows, tab-separated, no header.
pub(super) fn render_rows(v: &Value, env: &dyn Env, text: bool) -> String {
    fn cell(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    fn collect(prefix: &str, v: &Value, env: &dyn Env, rows: &mut Vec<[String; 3]>) {
        let Value::Object(m) = v else { return };
        for (k, e) in m {
            let name = format!("{prefix}{k}");
            match e {
                Value::Object(inner) if inner.contains_key("source") => {
                    rows.push([name, cell(&inner["value"]), cell(&inner["source"])])
                }
                Value::Object(inner) if inner.contains_key("error") => rows.push([
                    name,
                    String::new(),
                    format!("error: {}", cell(&inner["error"])),
                ]),
                Value::Object(_) => collect(&format!("{name}."), e, env, rows),
                Value::Null if k == "config_file" => {
                    rows.push([name, String::new(), "not read".into()])
                }
                other if k == "config_file" => {
                    rows.push([name, cell(other), config_file_source(env)])
                }
                other => rows.push([name, cell(other), String::new()]),
            }
        }
    }
    let mut rows = Vec::new();
    collect("", v, env, &mut rows);
    if text {
        return rows
            .iter()
            .map(|r| r.join("\t"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    rows.insert(0, ["NAME".into(), "VALUE".into(), "SOURCE".into()]);
    let w = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1) = (w(0), w(1));
    rows.iter()
        .map(|r| {
            format!("{:<w0$}  {:<w1$}  {}", r[0], r[1], r[2])
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------ set, get

/// How a key's value is checked before it is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Provider,
    Region,
    Url,
    AuthMode,
    SignatureVersion,
    Duration,
    Attempts,
    Name,
    Text,
    Secret,
}

/// Every key `config set` writes, as `config show` names it, with the
/// other spellings config.toml accepts for it.
const KEYS: &[(&str, Kind, &[&str])] = &[
    ("provider", Kind::Provider, &[]),
    ("region", Kind::Region, &[]),
    ("endpoint_url", Kind::Url, &[]),
    ("iam_endpoint_url", Kind::Url, &[]),
    ("access_key_id", Kind::Text, &[]),
    (
        "secret_access_key",
        Kind::Secret,
        &["access_key_secret", "sk"],
    ),
    ("session_token", Kind::Secret, &["security_token"]),
    ("project_id", Kind::Text, &[]),
    ("user_name", Kind::Text, &[]),
    ("password", Kind::Secret, &[]),
    ("domain_name", Kind::Text, &[]),
    ("auth_mode", Kind::AuthMode, &[]),
    ("signature_version", Kind::SignatureVersion, &[]),
    ("connect_timeout", Kind::Duration, &[]),
    ("read_timeout", Kind::Duration, &[]),
    ("max_attempts", Kind::Attempts, &[]),
    ("aws_profile", Kind::Name, &[]),
    ("aliyun_profile", Kind::Name, &[]),
    // Top level: the profile used when none is named.
    ("default_profile", Kind::Name, &[]),
];

/// The names `config set` and `config get` accept (clap lists them).
pub const KEY_NAMES: [&str; 19] = [
    "provider",
    "region",
    "endpoint_url",
    "iam_endpoint_url",
    "access_key_id",
    "secret_access_key",
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
    "default_profile",
];

fn key(name: &str) -> Result<(&'static str, Kind, &'static [&'static str])> {
    KEYS.iter()
        .find(|(k, _, _)| *k == name)
        .copied()
        .ok_or_else(|| Error::usage(format!("unknown key '{name}'")))
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Checks a value as imgctl would read it, and turns it into what the
/// file stores (a provider alias becomes its name).
fn check(name: &str, kind: Kind, v: &str) -> Result<Setting> {
    let bad = |why: String| Error::usage(format!("{name}: {why}"));
    let text = |s: &str| Ok(Setting::Text(s.to_string()));
    match kind {
        Kind::Provider => text(Provider::parse(v)?.as_str()),
        Kind::Region => {
            crate::ops::validate_region(v)?;
            text(v)
        }
        Kind::Url => match url::Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => text(v),
            _ => Err(bad(format!("'{v}' is not an http:// or https:// URL"))),
        },
        Kind::AuthMode => match v.to_ascii_lowercase().as_str() {
            m @ ("token" | "aksk") => text(m),
            _ => Err(bad(format!("'{v}' is not token or aksk"))),
        },
        Kind::SignatureVersion => match v.to_ascii_lowercase().as_str() {
            m @ ("v3" | "v1") => text(m),
            _ => Err(bad(format!("'{v}' is not v3 or v1"))),
        },
        Kind::Duration => {
            super::args::HTTP_TIMEOUT.parse(v).map_err(bad)?;
            text(v)
        }
        Kind::Attempts => match v.parse::<i64>() {
            Ok(n) if (1..=i64::from(config::MAX_ATTEMPTS)).contains(&n) => Ok(Setting::Integer(n)),
            _ => Err(bad(format!(
                "'{v}' is not a number from 1 to {}",
                config::MAX_ATTEMPTS
            ))),
        },
        Kind::Name => {
            if valid_name(v) {
                text(v)
            } else {
                Err(bad(format!(
                    "'{v}' is not a profile name (letters, digits, _ - ., at most 64)"
                )))
            }
        }
        Kind::Text | Kind::Secret => {
            if v.is_empty() || v.len() > 4096 || v.chars().any(char::is_control) {
                // The value is not repeated: it may be a secret.
                Err(bad("empty, too long, or has control characters".into()))
            } else {
                text(v)
            }
        }
    }
}

/// The profile `config set|get` and `configure` work on: --profile, else
/// IMGCTL_PROFILE, else the file's default_profile, else `default`.
fn target_profile(g: &GlobalArgs, env: &dyn Env, doc: &toml_edit::DocumentMut) -> Result<String> {
    let p = g
        .profile
        .clone()
        .or_else(|| env.get("IMGCTL_PROFILE"))
        .or_else(|| config_write::get(doc, None, "default_profile", &[]))
        .unwrap_or_else(|| "default".into());
    if !valid_name(&p) {
        return Err(Error::usage(format!(
            "'{p}' is not a profile name (letters, digits, _ - ., at most 64)"
        )));
    }
    Ok(p)
}

fn config_file(env: &dyn Env) -> Result<std::path::PathBuf> {
    config::config_path(env).ok_or_else(|| {
        Error::config(
            "no place for the config file: HOME is unset or relative and neither \
             XDG_CONFIG_HOME nor IMGCTL_CONFIG_FILE is set",
        )
    })
}

/// A value given as `-`: read from stdin (hidden on a terminal), so a
/// secret stays out of shell history and `ps`.
fn value_from_stdin(name: &str) -> Result<String> {
    let stdin = std::io::stdin();
    let v = if stdin.is_terminal() {
        eprint!("{name} (typing is hidden): ");
        read_hidden_line()?
    } else {
        let mut s = String::new();
        stdin
            .lock()
            .take(64 * 1024)
            .read_to_string(&mut s)
            .map_err(|e| Error::Io(format!("cannot read {name} from stdin: {e}")))?;
        s
    };
    let v = v.strip_suffix('\n').unwrap_or(&v);
    let v = v.strip_suffix('\r').unwrap_or(v);
    Ok(v.to_string())
}

fn saved_note(w: &config_write::Written) {
    if let Some(m) = w.narrowed_from {
        eprintln!(
            "imgctl: {} was mode {m:o}; it holds credentials, so it is now 600",
            w.path.display()
        );
    }
}

/// `imgctl config set KEY VALUE [--profile NAME]`.
pub(super) fn set(g: &GlobalArgs, name: &str, raw: &str, env: &dyn Env) -> Result<()> {
    let (name, kind, aliases) = key(name)?;
    if name == "default_profile" && g.profile.is_some() {
        return Err(Error::usage(
            "default_profile is a top-level setting: drop --profile",
        ));
    }
    let given = if raw == "-" {
        value_from_stdin(name)?
    } else if kind == Kind::Secret {
        return Err(Error::usage(format!(
            "{name} is a secret: give it as `-` and type or pipe it on stdin, \
             e.g. `printf %s \"$SECRET\" | imgctl config set {name} -`, so it stays out of \
             shell history and the process list"
        )));
    } else {
        raw.to_string()
    };
    let v = check(name, kind, &given)?;
    let path = config_file(env)?;
    let mut doc = config_write::load(&path)?;
    let profile = if name == "default_profile" {
        None
    } else {
        Some(target_profile(g, env, &doc)?)
    };
    config_write::set(&mut doc, profile.as_deref(), name, &v, aliases)?;
    let w = config_write::save(&path, &doc)?;
    saved_note(&w);
    match &profile {
        Some(p) => eprintln!("imgctl: {name} set in profile '{p}' ({})", w.path.display()),
        None => eprintln!("imgctl: {name} set ({})", w.path.display()),
    }
    Ok(())
}

/// `imgctl config get KEY [--profile NAME]`: the value stored in imgctl's
/// file (not the resolved one: that is `config show`). Secrets print as
/// `****`.
pub(super) fn get(g: &GlobalArgs, name: &str, env: &dyn Env) -> Result<()> {
    let (name, kind, aliases) = key(name)?;
    let path = config_file(env)?;
    let doc = config_write::load(&path)?;
    let profile = if name == "default_profile" {
        if g.profile.is_some() {
            return Err(Error::usage(
                "default_profile is a top-level setting: drop --profile",
            ));
        }
        None
    } else {
        Some(target_profile(g, env, &doc)?)
    };
    match config_write::get(&doc, profile.as_deref(), name, aliases) {
        Some(_) if kind == Kind::Secret => emit("****"),
        Some(v) => emit(&v),
        None => Err(Error::config(format!(
            "{name} is not set{} in {}",
            profile
                .map(|p| format!(" in profile '{p}'"))
                .unwrap_or_default(),
            path.display()
        ))),
    }
}

// ------------------------------------------------------------ configure

/// Reads one line from the terminal with echo off.
#[cfg(unix)]
fn read_hidden_line() -> Result<String> {
    use std::os::fd::AsRawFd;
    let fd = std::io::stdin().as_raw_fd();
    let err = |what: &str| Error::Io(format!("{what}: {}", std::io::Error::last_os_error()));
    // SAFETY: termios is plain data; tcgetattr fills it for a valid fd.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd is stdin, t a valid termios.
    if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
        return Err(err("cannot read the terminal's settings"));
    }
    let saved = t;
    t.c_lflag &= !libc::ECHO;
    t.c_lflag |= libc::ECHONL;
    // SAFETY: as above.
    if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) } != 0 {
        return Err(err("cannot turn the terminal's echo off"));
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    // SAFETY: restores what tcgetattr returned.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
    match read {
        Ok(0) => Err(Error::usage("stdin closed: nothing was changed")),
        Ok(_) => Ok(line),
        Err(e) => Err(Error::Io(format!("cannot read the terminal: {e}"))),
    }
}

#[cfg(not(unix))]
fn read_hidden_line() -> Result<String> {
    Err(Error::usage(
        "reading a hidden value is not supported on this system: use `imgctl config set KEY -` with a pipe",
    ))
}

fn read_line() -> Result<String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) => Err(Error::usage("stdin closed: nothing was changed")),
        Ok(_) => Ok(line.trim().to_string()),
        Err(e) => Err(Error::Io(format!("cannot read the terminal: {e}"))),
    }
}

/// Asks for one key until the answer is valid (three tries). Enter keeps
/// the current value; `None` means "leave as it is".
fn ask(
    doc: &toml_edit::DocumentMut,
    profile: &str,
    name: &'static str,
    label: &str,
) -> Result<Option<Setting>> {
    let (_, kind, aliases) = key(name)?;
    let current = config_write::get(doc, Some(profile), name, aliases);
    let shown = match (&current, kind) {
        (None, _) => String::new(),
        (Some(_), Kind::Secret) => " [keep]".into(),
        (Some(v), _) if name == "access_key_id" => format!(" [{}]", config::mask_id(v)),
        (Some(v), _) => format!(" [{v}]"),
    };
    for _ in 0..3 {
        let answer = if kind == Kind::Secret {
            eprint!("{label}{shown} (typing is hidden): ");
            let _ = std::io::stderr().flush();
            read_hidden_line()?
                .trim_end_matches(['\r', '\n'])
                .to_string()
        } else {
            eprint!("{label}{shown}: ");
            let _ = std::io::stderr().flush();
            read_line()?
        };
        if answer.is_empty() {
            return Ok(None);
        }
        match check(name, kind, &answer) {
            Ok(v) => return Ok(Some(v)),
            Err(e) => eprintln!("imgctl: {e}"),
        }
    }
    Err(Error::usage(format!(
        "no valid {name} given: nothing was changed"
    )))
}

/// `imgctl configure [--profile NAME]`: asks on a terminal for the
/// provider, region and that provider's credentials, then writes them in
/// one go. Without a terminal it refuses and names `config set`.
pub(super) fn configure(g: &GlobalArgs, env: &dyn Env) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::usage(
            "imgctl configure asks its questions on a terminal, and stdin is not one; \
             in a script use `imgctl config set KEY VALUE [--profile NAME]` \
             (a secret as `-`, read from stdin: `printf %s \"$SECRET\" | imgctl config set secret_access_key -`)",
        ));
    }
    let path = config_file(env)?;
    let mut doc = config_write::load(&path)?;
    let profile = target_profile(g, env, &doc)?;
    eprintln!(
        "Profile '{profile}' in {} (Enter keeps the value in brackets).",
        path.display()
    );
    let mut answers: Vec<(&'static str, Setting)> = Vec::new();
    let take = |answers: &mut Vec<(&'static str, Setting)>,
                name: &'static str,
                label: &str|
     -> Result<()> {
        if let Some(v) = ask(&doc, &profile, name, label)? {
            answers.push((name, v));
        }
        Ok(())
    };
    let answered = |answers: &[(&'static str, Setting)], name: &str| {
        answers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| match v {
                Setting::Text(s) => s.clone(),
                Setting::Integer(n) => n.to_string(),
            })
    };
    take(&mut answers, "provider", "Provider (ens, ecs, ec2, ims)")?;
    let provider = answered(&answers, "provider")
        .or_else(|| config_write::get(&doc, Some(&profile), "provider", &[]))
        .ok_or_else(|| Error::usage("a profile needs a provider: nothing was changed"))?;
    let provider = Provider::parse(&provider)?;
    if provider != Provider::Ens {
        take(&mut answers, "region", "Region")?;
    }
    let token_mode = provider == Provider::Ims && {
        take(&mut answers, "auth_mode", "Authentication (aksk or token)")?;
        answered(&answers, "auth_mode")
            .or_else(|| config_write::get(&doc, Some(&profile), "auth_mode", &[]))
            .is_some_and(|m| m == "token")
    };
    if token_mode {
        take(&mut answers, "user_name", "IAM user name")?;
        take(&mut answers, "password", "IAM password")?;
        take(&mut answers, "domain_name", "Account (domain) name")?;
    } else {
        take(&mut answers, "access_key_id", "Access key id")?;
        take(&mut answers, "secret_access_key", "Secret access key")?;
        if provider == Provider::Ims {
            take(
                &mut answers,
                "project_id",
                "Project id (empty: looked up by region)",
            )?;
        }
    }
    if answers.is_empty() {
        eprintln!("imgctl: nothing changed");
        return Ok(());
    }
    for (name, v) in &answers {
        let (_, _, aliases) = key(name)?;
        config_write::set(&mut doc, Some(&profile), name, v, aliases)?;
    }
    let w = config_write::save(&path, &doc)?;
    saved_note(&w);
    eprintln!("imgctl: saved profile '{profile}' to {}", w.path.display());
    if profile != "default"
        && config_write::get(&doc, None, "default_profile", &[]).as_deref() != Some(&profile)
    {
        eprintln!(
            "imgctl: use it with --profile {profile} or IMGCTL_PROFILE={profile} \
             (or make it the default: imgctl config set default_profile {profile})"
        );
    }
    Ok(())
}
