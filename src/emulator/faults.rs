//! Faults injected on request: per provider and operation, each firing a
//! set number of times. Set through `POST /__imgctl/faults`, the
//! `--fault` flag or IMGCTL_EMULATOR_FAULTS.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::provider::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The cloud's throttling error, with Retry-After / x-acs-retry-after.
    /// Nothing is done.
    Throttle,
    /// 500 internal error; nothing is done.
    Error500,
    /// 503 service unavailable; nothing is done.
    Error503,
    /// The request is done, then the answer is held back for `delay`
    /// (longer than the client's read timeout: the ambiguous case).
    Delay,
    /// The request is done, then the connection is closed without an answer.
    Drop,
    /// The request is done; the body is cut in half.
    Truncate,
    /// A proxy's HTML error page (502) instead of the API; nothing is done.
    Html,
    /// The create or import is accepted but its image ends failed.
    FailImage,
    /// The request is read, then the connection is closed without an
    /// answer and nothing is done (a request lost on its way in).
    Lost,
    /// 401 in the cloud's shape (credentials refused); nothing is done.
    Error401,
    /// 403 in the cloud's shape (permission denied); nothing is done.
    Error403,
}

impl FaultKind {
    fn parse(s: &str) -> Option<FaultKind> {
        Some(match s {
            "throttle" => FaultKind::Throttle,
            "error500" | "500" => FaultKind::Error500,
            "error503" | "503" => FaultKind::Error503,
            "delay" => FaultKind::Delay,
            "drop" => FaultKind::Drop,
            "truncate" => FaultKind::Truncate,
            "html" => FaultKind::Html,
            "fail_image" | "fail" => FaultKind::FailImage,
            "lost" => FaultKind::Lost,
            "error401" | "401" => FaultKind::Error401,
            "error403" | "403" => FaultKind::Error403,
            _ => return None,
        })
    }

    /// Whether the operation still takes effect.
    pub fn acts(self) -> bool {
        matches!(
            self,
            FaultKind::Delay | FaultKind::Drop | FaultKind::Truncate | FaultKind::FailImage
        )
    }
}

fn default_count() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    /// ens, ecs, ec2, ims (IAM calls count as ims); absent or "*" = any.
    #[serde(default)]
    pub provider: Option<String>,
    /// The operation name (CreateImage, DescribeSelfImages, CreateToken,
    /// ShowJob, ...); absent or "*" = any.
    #[serde(default)]
    pub operation: Option<String>,
    pub kind: FaultKind,
    /// How many matching calls it hits.
    #[serde(default = "default_count")]
    pub count: u32,
    /// Throttle: the retry hint sent, in milliseconds.
    #[serde(default)]
    pub retry_after_ms: Option<u64>,
    /// Delay: how long the answer is held, in milliseconds (default 120 s).
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

impl Fault {
    fn matches(&self, p: Provider, op: &str) -> bool {
        let any = |v: &Option<String>| v.as_deref().is_none_or(|s| s == "*");
        (any(&self.provider)
            || self
                .provider
                .as_deref()
                .and_then(|s| Provider::parse(s).ok())
                == Some(p))
            && (any(&self.operation)
                || self
                    .operation
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(op)))
    }

    pub fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms.unwrap_or(120_000))
    }

    /// `PROVIDER:OPERATION:KIND[:COUNT]`, `*` for any provider or operation,
    /// e.g. `ens:CreateImage:throttle:2` or `*:*:error503`.
    pub fn parse_spec(spec: &str) -> Result<Fault, String> {
        let parts: Vec<&str> = spec.trim().split(':').collect();
        if !(3..=4).contains(&parts.len()) {
            return Err(format!(
                "invalid fault '{spec}': expected PROVIDER:OPERATION:KIND[:COUNT], e.g. ens:CreateImage:throttle:2"
            ));
        }
        if parts[0] != "*" {
            Provider::parse(parts[0]).map_err(|e| e.to_string())?;
        }
        let kind = FaultKind::parse(parts[2]).ok_or_else(|| {
            format!(
                "invalid fault kind '{}': expected throttle, error500, error503, error401, error403, delay, drop, lost, truncate, html or fail_image",
                parts[2]
            )
        })?;
        let count = match parts.get(3) {
            Some(c) => c
                .parse()
                .map_err(|_| format!("invalid fault count '{c}' in '{spec}'"))?,
            None => 1,
        };
        Ok(Fault {
            provider: Some(parts[0].to_string()),
            operation: Some(parts[1].to_string()),
            kind,
            count,
            retry_after_ms: None,
            delay_ms: None,
        })
    }
}

/// The armed faults, in the order they were added.
#[derive(Debug, Default)]
pub struct Faults {
    pub armed: Vec<Fault>,
    /// How many times a fault fired, for the admin API.
    pub fired: u64,
}

impl Faults {
    /// The first armed fault for this call, consumed by one.
    pub fn take(&mut self, p: Provider, op: &str) -> Option<Fault> {
        let i = self
            .armed
            .iter()
            .position(|f| f.count > 0 && f.matches(p, op))?;
        let f = self.armed[i].clone();
        self.armed[i].count -= 1;
        if self.armed[i].count == 0 {
            self.armed.remove(i);
        }
        self.fired += 1;
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_exactly_count_times() {
        let mut f = Faults::default();
        f.armed
            .push(Fault::parse_spec("ens:CreateImage:throttle:2").unwrap());
        assert!(f.take(Provider::Ecs, "CreateImage").is_none());
        assert!(f.take(Provider::Ens, "DescribeImages").is_none());
        assert!(f.take(Provider::Ens, "createimage").is_some());
        assert!(f.take(Provider::Ens, "CreateImage").is_some());
        assert!(f.take(Provider::Ens, "CreateImage").is_none());
        assert_eq!(f.fired, 2);
    }

    #[test]
    fn specs() {
        let w = Fault::parse_spec("*:*:error503").unwrap();
        assert!(w.matches(Provider::Ims, "ShowJob"));
        assert!(Fault::parse_spec("gcp:X:drop").is_err());
        assert!(Fault::parse_spec("ens:X:explode").is_err());
        assert!(Fault::parse_spec("ens:X").is_err());
        assert!(Fault::parse_spec("aws:CreateImage:drop:x").is_err());
        let j: Fault = serde_json::from_str(r#"{"provider":"aws","kind":"drop"}"#).unwrap();
        assert!(j.matches(Provider::Ec2, "CreateImage") && j.count == 1);
    }
}
