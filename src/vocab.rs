//! One vocabulary across clouds: the values enumerated flags take (one
//! canonical spelling each, any case, a few common aliases), the neutral
//! `state` beside each cloud's own status, and the one time and progress
//! format of outcomes.
//!
//! This file names no cloud. Each cloud's folder holds its two tables —
//! how it spells each canonical value (`VALUES`) and what each of its
//! documented statuses means (`STATUSES`) — and `cloud::values` /
//! `cloud::statuses` hand them out.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::provider::{Provider, Verb};

// ---------------------------------------------------------------------------
// State

/// The neutral life-cycle state beside a cloud's own status. `Unknown` is
/// a status imgctl has not mapped: never a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Available,
    Failed,
    Deprecated,
    Deleting,
    Deleted,
    #[default]
    Unknown,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Pending,
        State::Available,
        State::Failed,
        State::Deprecated,
        State::Deleting,
        State::Deleted,
        State::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Available => "available",
            State::Failed => "failed",
            State::Deprecated => "deprecated",
            State::Deleting => "deleting",
            State::Deleted => "deleted",
            State::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// What a waiter does on it: the image can be used (or, deprecated,
    /// exists for good) — the wait is over.
    pub fn is_done(self) -> bool {
        matches!(self, State::Available | State::Deprecated)
    }

    /// Waiting longer will not make the image usable.
    pub fn is_failure(self) -> bool {
        matches!(self, State::Failed | State::Deleting | State::Deleted)
    }
}

/// One documented status of a cloud and the state it means. `of` says
/// what carries the status: `image`, `job` (IMS) or `import task` (EC2).
#[derive(Debug, Clone, Copy)]
pub struct StatusEntry {
    pub of: &'static str,
    pub status: &'static str,
    pub state: State,
}

/// The state of `status` in a cloud's table: an exact match (the clouds
/// spell their statuses one way), `unknown` otherwise.
pub fn state_of(table: &[StatusEntry], status: &str) -> State {
    table
        .iter()
        .find(|e| e.status == status)
        .map(|e| e.state)
        .unwrap_or(State::Unknown)
}

// ---------------------------------------------------------------------------
// Enumerated flag values

/// The values one enumerated flag takes: each canonical spelling (what
/// `--help` and the completions list) with the aliases it also accepts.
/// Matching ignores case.
pub struct Vocabulary {
    pub flag: &'static str,
    pub values: &'static [(&'static str, &'static [&'static str])],
}

impl Vocabulary {
    /// The canonical spelling `input` stands for, if any.
    pub fn canonical(&self, input: &str) -> Option<&'static str> {
        let t = input.trim();
        self.values.iter().find_map(|(c, aliases)| {
            (c.eq_ignore_ascii_case(t) || aliases.iter().any(|a| a.eq_ignore_ascii_case(t)))
                .then_some(*c)
        })
    }
}

pub const FORMAT: Vocabulary = Vocabulary {
    flag: "format",
    values: &[
        ("qcow2", &[]),
        ("raw", &[]),
        ("vhd", &[]),
        ("vhdx", &[]),
        ("vmdk", &[]),
        ("ova", &[]),
    ],
};

pub const OS_TYPE: Vocabulary = Vocabulary {
    flag: "os-type",
    values: &[("linux", &[]), ("windows", &[]), ("other", &[])],
};

pub const ARCHITECTURE: Vocabulary = Vocabulary {
    flag: "architecture",
    values: &[
        // `x86` is how IMS spells a 64-bit x86 image.
        ("x86_64", &["amd64", "x64", "x86-64", "x86"]),
        ("arm64", &["aarch64", "arm"]),
        ("i386", &["i686", "x86_32"]),
    ],
};

pub const BOOT_MODE: Vocabulary = Vocabulary {
    flag: "boot-mode",
    values: &[
        ("legacy", &["bios", "legacy-bios"]),
        ("uefi", &[]),
        ("uefi-preferred", &[]),
    ],
};

pub const LICENSE_TYPE: Vocabulary = Vocabulary {
    flag: "license-type",
    values: &[
        ("auto", &[]),
        ("byol", &[]),
        // The cloud supplies the licence: AWS says AWS, Alibaba Aliyun.
        ("cloud", &["aws", "aliyun", "provided"]),
    ],
};

/// Only EC2's platform is closed (Linux, Windows); ENS and ECS take a
/// distribution name, known ones matched in any case (see their tables).
pub const PLATFORM: Vocabulary = Vocabulary {
    flag: "platform",
    values: &[
        ("linux", &[]),
        ("windows", &[]),
        ("centos", &[]),
        ("ubuntu", &[]),
        ("debian", &[]),
        ("redhat", &["rhel"]),
        ("aliyun", &["alibaba-cloud-linux"]),
        ("anolis", &[]),
        ("rocky-linux", &["rocky"]),
        ("almalinux", &["alma"]),
        ("customized-linux", &[]),
        ("others-linux", &[]),
    ],
};

pub const IMDS_SUPPORT: Vocabulary = Vocabulary {
    flag: "imds-support",
    values: &[("v1", &[]), ("v2", &["v2.0"])],
};

pub const NVME_SUPPORT: Vocabulary = Vocabulary {
    flag: "nvme-support",
    values: &[
        ("supported", &["yes", "true"]),
        ("unsupported", &["no", "false"]),
    ],
};

/// `modify --status`.
pub const STATUS: Vocabulary = Vocabulary {
    flag: "status",
    values: &[("available", &[]), ("deprecated", &[])],
};

pub const VOCABULARIES: [&Vocabulary; 9] = [
    &FORMAT,
    &OS_TYPE,
    &ARCHITECTURE,
    &BOOT_MODE,
    &LICENSE_TYPE,
    &PLATFORM,
    &IMDS_SUPPORT,
    &NVME_SUPPORT,
    &STATUS,
];

pub fn vocabulary(flag: &str) -> Option<&'static Vocabulary> {
    VOCABULARIES.into_iter().find(|v| v.flag == flag)
}

/// How one cloud spells the values of one flag for some verbs:
/// `(canonical, wire)` pairs. `open`: the cloud also takes names outside
/// the list (a distribution name), sent as given.
pub struct Spelling {
    pub flag: &'static str,
    pub verbs: &'static [Verb],
    pub values: &'static [(&'static str, &'static str)],
    pub open: bool,
}

/// The cloud's spelling of `input` for `--flag` of `verb`, or a usage
/// error (exit 2) naming the values the cloud can take.
pub fn to_wire(
    table: &[Spelling],
    p: Provider,
    verb: Verb,
    flag: &str,
    input: &str,
) -> Result<String> {
    let vocab = vocabulary(flag)
        .ok_or_else(|| Error::usage(format!("--{flag} takes no enumerated value")))?;
    let entry = table
        .iter()
        .find(|s| s.flag == flag && s.verbs.contains(&verb))
        .ok_or_else(|| {
            Error::usage(format!(
                "--{flag} is not supported by provider {} for {}",
                p.as_str(),
                verb.as_str()
            ))
        })?;
    if let Some(c) = vocab.canonical(input)
        && let Some((_, wire)) = entry.values.iter().find(|(k, _)| *k == c)
    {
        return Ok((*wire).to_string());
    }
    // A cloud's own spelling of a value outside our vocabulary
    // (e.g. ECS "Windows Server 2022"), in any case.
    if let Some((_, wire)) = entry
        .values
        .iter()
        .find(|(_, w)| w.eq_ignore_ascii_case(input.trim()))
    {
        return Ok((*wire).to_string());
    }
    if entry.open && !input.trim().is_empty() {
        return Ok(input.to_string());
    }
    let allowed: Vec<&str> = entry.values.iter().map(|(c, _)| *c).collect();
    Err(Error::usage(format!(
        "invalid --{flag} '{input}' for {} {}: expected one of {}{}",
        p.as_str(),
        verb.as_str(),
        allowed.join(", "),
        if entry.open {
            " (or another name the cloud knows)"
        } else {
            ""
        }
    )))
}

// ---------------------------------------------------------------------------
// Times and progress

/// A cloud's creation time as RFC 3339 UTC (`2026-11-29T21:10:18Z`):
/// RFC 3339 with any offset or fraction, ECS's minute precision
/// (`2026-11-29T21:10Z`), or a date and time with no zone (taken as UTC,
/// as the clouds document their times). Anything else: none, never a guess.
pub fn rfc3339_utc(s: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let parsed = OffsetDateTime::parse(t, &Rfc3339)
        .ok()
        .or_else(|| {
            // 2026-11-29T21:10Z: seconds left out.
            let base = t.strip_suffix('Z').or_else(|| t.strip_suffix('z'))?;
            if base.len() == 16 {
                OffsetDateTime::parse(&format!("{base}:00Z"), &Rfc3339).ok()
            } else {
                None
            }
        })
        .or_else(|| {
            let fmt = time::macros::format_description!(
                "[year]-[month]-[day][first [T][ ]][hour]:[minute]:[second][optional [.[subsecond]]]"
            );
            PrimitiveDateTime::parse(t, &fmt)
                .ok()
                .map(|p| p.assume_utc())
        })?;
    let utc = parsed.to_offset(UtcOffset::UTC);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    utc.format(&fmt).ok()
}

/// A percentage as the clouds write one — `"40%"`, `"40"`, `40`, `40.0` —
/// as an integer 0–100; anything else (or out of range): none.
pub fn percent(v: &Value) -> Option<u8> {
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (0.0..=100.0).contains(&n).then(|| n.round() as u8)
}

/// A fraction (IMS `process_percent`, `0.4`) as a percentage; a value
/// above 1 is taken as a percentage already.
pub fn fraction_percent(f: f64) -> Option<u8> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    let pct = if f <= 1.0 { f * 100.0 } else { f };
    (pct <= 100.0).then(|| pct.round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_ignores_case_and_knows_aliases() {
        assert_eq!(ARCHITECTURE.canonical("AMD64"), Some("x86_64"));
        assert_eq!(ARCHITECTURE.canonical("X86_64"), Some("x86_64"));
        assert_eq!(ARCHITECTURE.canonical("AArch64"), Some("arm64"));
        assert_eq!(BOOT_MODE.canonical("BIOS"), Some("legacy"));
        assert_eq!(BOOT_MODE.canonical("Legacy-Bios"), Some("legacy"));
        assert_eq!(FORMAT.canonical("QCow2"), Some("qcow2"));
        assert_eq!(IMDS_SUPPORT.canonical("V2.0"), Some("v2"));
        assert_eq!(FORMAT.canonical("iso"), None);
    }

    #[test]
    fn every_alias_is_unique_within_its_flag() {
        for v in VOCABULARIES {
            let mut seen = std::collections::HashSet::new();
            for (c, aliases) in v.values {
                for s in std::iter::once(c).chain(aliases.iter()) {
                    assert!(seen.insert(s.to_ascii_lowercase()), "{} {s}", v.flag);
                }
            }
        }
    }

    #[test]
    fn wire_spelling_or_a_usage_error_naming_the_values() {
        const T: &[Spelling] = &[Spelling {
            flag: "format",
            verbs: &[Verb::Import],
            values: &[("raw", "RAW"), ("qcow2", "QCOW2")],
            open: false,
        }];
        let w = |s: &str| to_wire(T, Provider::Ecs, Verb::Import, "format", s);
        assert_eq!(w("qcow2").unwrap(), "QCOW2");
        assert_eq!(w("QCOW2").unwrap(), "QCOW2");
        assert_eq!(w("Raw").unwrap(), "RAW");
        let e = w("vhdx").unwrap_err();
        assert!(matches!(e, Error::Usage(_)));
        assert!(e.to_string().contains("expected one of raw, qcow2"), "{e}");
        assert!(to_wire(T, Provider::Ecs, Verb::Modify, "format", "raw").is_err());
    }

    #[test]
    fn times_become_rfc3339_utc() {
        for (i, o) in [
            ("2026-11-29T21:10:18.000Z", "2026-11-29T21:10:18Z"),
            ("2017-12-08T12:10:03Z", "2017-12-08T12:10:03Z"),
            ("2017-12-08T12:10Z", "2017-12-08T12:10:00Z"),
            ("2018-09-06T22:03:27+08:00", "2018-09-06T14:03:27Z"),
            ("2018-09-06 14:03:27", "2018-09-06T14:03:27Z"),
            ("2018-09-06T14:03:27.859", "2018-09-06T14:03:27Z"),
        ] {
            assert_eq!(rfc3339_utc(i).as_deref(), Some(o), "{i}");
        }
        for bad in [
            "",
            "04-Jun-2015 18:11:06:586",
            "yesterday",
            "2018-13-01T00:00:00Z",
        ] {
            assert_eq!(rfc3339_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn progress_forms() {
        assert_eq!(percent(&json!("40%")), Some(40));
        assert_eq!(percent(&json!("40")), Some(40));
        assert_eq!(percent(&json!(40)), Some(40));
        assert_eq!(percent(&json!(" 100 % ")), Some(100));
        assert_eq!(percent(&json!("")), None);
        assert_eq!(percent(&json!("150%")), None);
        assert_eq!(fraction_percent(0.4), Some(40));
        assert_eq!(fraction_percent(0.2), Some(20));
        assert_eq!(fraction_percent(1.0), Some(100));
        assert_eq!(fraction_percent(55.0), Some(55));
        assert_eq!(fraction_percent(-1.0), None);
        assert_eq!(fraction_percent(f64::NAN), None);
    }
}
