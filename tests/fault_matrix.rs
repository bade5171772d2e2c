//! The fault matrix: every provider (ENS, ECS, EC2, IMS) × create, import
//! and modify × every fault a pipeline meets (throttled then fine; 503
//! then fine; an answer dropped after the request was acted on; a request
//! lost before it took effect while an older image of the same name
//! exists; slower than the read timeout; a truncated body; a proxy's HTML
//! 502; 401; 403; a server clock 20 minutes ahead; for IMS an expired
//! token), run through the real binary against `imgctl emulator` with its
//! fault injection. For each: the exit code, stdout empty or exactly one
//! JSON object, stderr explains, no panic, and — read from the emulator's
//! own state — exactly one image where one was asked for (none where the
//! command failed, never two).

mod common;

use common::{Emulator, imgctl, stderr, stdout};
use serde_json::{Value, json};

impl Emulator {
    fn run(&self, home: &std::path::Path, args: &[&str]) -> std::process::Output {
        let mut all = vec![
            "--emulator",
            "--read-timeout",
            "1s",
            "--connect-timeout",
            "2s",
        ];
        all.extend_from_slice(args);
        imgctl(home, &all, &[("IMGCTL_EMULATOR_URL", &self.url)])
    }

    fn state(&self) -> Value {
        self.admin("GET", "/__imgctl/state", "")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Import,
    Modify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Throttle,
    Unavailable503,
    Dropped,
    LostWithOlder,
    Slow,
    Truncated,
    Html502,
    Unauthorized,
    Forbidden,
    ClockSkew,
    ExpiredToken,
}

const FAULTS: &[Fault] = &[
    Fault::Throttle,
    Fault::Unavailable503,
    Fault::Dropped,
    Fault::LostWithOlder,
    Fault::Slow,
    Fault::Truncated,
    Fault::Html502,
    Fault::Unauthorized,
    Fault::Forbidden,
    Fault::ClockSkew,
    Fault::ExpiredToken,
];

/// The seeded image whose name the "lost" case reuses: older than any
/// request, so it must never be claimed.
fn older(provider: &str) -> (&'static str, &'static str) {
    match provider {
        "ens" => ("m-5xxgg", "web-v1-example"),
        "ecs" => ("m-bp18ygjuqnwhechc", "demo-ecs-image"),
        "ec2" => ("ami-0abc", "web-v1-example"),
        _ => ("33ad552d-1149-471c-8575-f1d02b9f3d1d", "demo-ims-image"),
    }
}

/// The operation the emulator records, which the fault is armed on.
fn operation(provider: &str, op: Op) -> &'static str {
    match (provider, op) {
        ("ims", Op::Create | Op::Import) => "CreateImage",
        ("ims", Op::Modify) => "UpdateImage",
        (_, Op::Create) => "CreateImage",
        (_, Op::Import) => "ImportImage",
        (_, Op::Modify) => "ModifyImageAttribute",
    }
}

/// The command line, for a new image named `name` (or, for a modify, the
/// seeded image renamed / re-described to `name`).
fn args(provider: &str, op: Op, name: &str) -> Vec<String> {
    let mut a: Vec<&str> = match (provider, op) {
        ("ens", Op::Create) => vec!["create", "--instance-id", "i-5rr1bnyrc4tswr8cq3w6y"],
        ("ens", Op::Import) => vec![
            "import",
            "--url",
            "oss://demo-bucket/demo.qcow2",
            "--os-type",
            "linux",
            "--format",
            "qcow2",
            "--architecture",
            "x86_64",
        ],
        ("ens", Op::Modify) => vec!["modify", "--image-id", "m-5xxggsu4qy1bzvwpsmktamv6a"],
        ("ecs", Op::Create) => vec!["create", "--instance-id", "i-demo-ecs"],
        ("ecs", Op::Import) => vec!["import", "--url", "oss://demo-bucket/demo.qcow2"],
        ("ecs", Op::Modify) => vec!["modify", "--image-id", "m-bp18ygjuqnwhechc"],
        ("ec2", Op::Create) => vec!["create", "--instance-id", "i-1234567890abcdef0"],
        ("ec2", Op::Import) => vec![
            "import",
            "--url",
            "s3://demo-bucket/demo.vmdk",
            "--format",
            "VMDK",
        ],
        ("ec2", Op::Modify) => vec!["modify", "--image-id", "ami-0abcdef1234567890"],
        ("ims", Op::Create) => vec![
            "create",
            "--instance-id",
            "877a2cda-ba63-4e1e-b95f-e67e48b6129a",
        ],
        ("ims", Op::Import) => vec![
            "import",
            "--url",
            "obs://demo-bucket/demo.qcow2",
            "--min-disk",
            "40",
            "--os-version",
            "Ubuntu 22.04 server 64bit",
        ],
        _ => vec![
            "modify",
            "--image-id",
            "33ad552d-1149-471c-8575-f1d02b9f3d1d",
        ],
    };
    // EC2 can only re-describe an AMI; the others rename.
    if provider == "ec2" && op == Op::Modify {
        a.push("--description");
    } else {
        a.push("--name");
    }
    a.push(name);
    let mut out = vec!["--provider".to_string(), provider.to_string()];
    out.extend(a.iter().map(|s| s.to_string()));
    out
}

/// No idempotency token: ENS create and import, EC2 CreateImage, IMS.
fn unsafe_create(provider: &str, op: Op) -> bool {
    matches!(
        (provider, op),
        ("ens", Op::Create | Op::Import) | ("ec2", Op::Create) | ("ims", Op::Create | Op::Import)
    )
}

/// What a case must end in: the exit code, and whether the thing asked
/// for (one new image, or the change) exists afterwards.
fn expected(provider: &str, op: Op, fault: Fault) -> (i32, bool) {
    let unsafe_ = unsafe_create(provider, op);
    match fault {
        Fault::Throttle | Fault::ClockSkew | Fault::ExpiredToken => (0, true),
        // Dropped after acting, or acted and answered too late or cut:
        // resent with its token, or recovered by name and time.
        Fault::Dropped | Fault::Slow | Fault::Truncated => (0, true),
        // Nothing was done and the answer may have been the cloud's after
        // acting: a create without a token is never resent, and the look-up
        // finds nothing (exit 5); everything else goes again.
        Fault::Unavailable503 | Fault::Html502 if unsafe_ => (5, false),
        Fault::Unavailable503 | Fault::Html502 => (0, true),
        // Lost on its way in while an older image of that name exists: a
        // create without a token names it and does not claim it.
        Fault::LostWithOlder if unsafe_ => (5, false),
        Fault::LostWithOlder => (0, true),
        Fault::Unauthorized | Fault::Forbidden => (4, false),
    }
}

fn fault_json(provider: &str, operation: &str, kind: &str) -> String {
    json!({"provider": provider, "operation": operation, "kind": kind,
           "count": 1, "retry_after_ms": 10, "delay_ms": 2500})
    .to_string()
}

/// How many images of that name (or, for an EC2 import, import tasks)
/// the emulator holds.
fn made(emu: &Emulator, provider: &str, op: Op, name: &str) -> usize {
    let st = emu.state();
    if provider == "ec2" && op == Op::Import {
        return st["tasks"].as_array().map_or(0, Vec::len);
    }
    st["images"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["provider"] == provider)
        .filter(|i| {
            if op == Op::Modify {
                i["name"] == name || i["description"] == name
            } else {
                i["name"] == name
            }
        })
        .count()
}

/// Runs one case; returns a description of what went wrong, if anything.
fn case(emu: &Emulator, provider: &str, op: Op, fault: Fault) -> Option<String> {
    emu.admin("POST", "/__imgctl/reset", "");
    let home = tempfile::tempdir().expect("tempdir");
    let operation = operation(provider, op);
    let mut extra: Vec<&str> = Vec::new();
    let name = match fault {
        Fault::LostWithOlder if unsafe_create(provider, op) => older(provider).1.to_string(),
        _ => format!("fm-{provider}-{op:?}-{fault:?}").to_lowercase(),
    };
    let tasks_before = made(emu, provider, Op::Import, "");
    let kind = match fault {
        Fault::Throttle => Some("throttle"),
        Fault::Unavailable503 => Some("error503"),
        Fault::Dropped => Some("drop"),
        Fault::LostWithOlder => Some("lost"),
        Fault::Slow => Some("delay"),
        Fault::Truncated => Some("truncate"),
        Fault::Html502 => Some("html"),
        Fault::Unauthorized => Some("error401"),
        Fault::Forbidden => Some("error403"),
        Fault::ClockSkew | Fault::ExpiredToken => None,
    };
    if let Some(k) = kind {
        emu.admin(
            "POST",
            "/__imgctl/faults",
            &fault_json(provider, operation, k),
        );
    }
    if fault == Fault::ClockSkew {
        emu.admin("POST", "/__imgctl/clock", r#"{"offset_s": 1200}"#);
    }
    // Token mode against the emulator without --emulator (whose runs keep
    // their tokens apart): a first run caches a token, which then expires.
    let token = [
        "--auth-mode",
        "token",
        "--region",
        "cn-north-4",
        "--endpoint-url",
        &emu.url,
        "--iam-endpoint-url",
        &emu.url,
    ];
    let token_env = [
        ("HW_USER_NAME", "demo"),
        ("HW_PASSWORD", "imgctl-demo-secret"),
        ("HW_DOMAIN_NAME", "demo"),
    ];
    if fault == Fault::ExpiredToken {
        let mut first = token.to_vec();
        first.extend([
            "describe",
            "--provider",
            provider,
            "--image-id",
            older(provider).0,
        ]);
        let o = imgctl(home.path(), &first, &token_env);
        if o.status.code() != Some(0) {
            return Some(format!("the first token run failed: {}", stderr(&o)));
        }
        emu.admin("POST", "/__imgctl/expire-tokens", "");
        extra.extend(token);
    }
    let mut all: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    all.extend(args(provider, op, &name));
    if fault == Fault::ClockSkew {
        all.insert(0, "--debug".into());
    }
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let o = if fault == Fault::ExpiredToken {
        imgctl(home.path(), &refs, &token_env)
    } else {
        emu.run(home.path(), &refs)
    };
    let (code, err, out) = (o.status.code(), stderr(&o), stdout(&o));
    let (want_code, want_made) = expected(provider, op, fault);
    let mut problems = Vec::new();
    if code != Some(want_code) {
        problems.push(format!("exit {code:?}, want {want_code}"));
    }
    if err.contains("panicked") {
        problems.push("a panic".into());
    }
    // stdout: nothing, or exactly one JSON object.
    let trimmed = out.trim();
    if !trimmed.is_empty() {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v) if v.is_object() && !trimmed.contains('\n') => {
                if fault == Fault::Dropped && unsafe_create(provider, op) && v["recovered"] != true
                {
                    problems.push(format!("not marked recovered: {v}"));
                }
            }
            _ => problems.push(format!("stdout is not one JSON object: {out}")),
        }
    } else if want_code == 0 {
        problems.push("success with nothing on stdout".into());
    }
    if want_code != 0 && !err.contains("imgctl: error:") {
        problems.push("stderr does not explain".into());
    }
    if fault == Fault::LostWithOlder && unsafe_create(provider, op) {
        let (old_id, _) = older(provider);
        if !(err.contains(old_id) && err.contains("not claimed")) {
            problems.push("stderr does not name the older image as not claimed".into());
        }
    }
    if fault == Fault::ExpiredToken {
        let calls = emu.admin("GET", "/__imgctl/calls", "");
        let tokens = calls
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["operation"] == "KeystoneCreateUserTokenByPassword")
            .count();
        let expired = calls
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c["status"] == 401);
        if tokens != 2 || !expired {
            problems.push(format!(
                "the expired token was not refused and replaced once ({tokens} token requests)"
            ));
        }
    }
    if fault == Fault::ClockSkew && !err.contains("clock skew") {
        problems.push("--debug does not show the clock correction".into());
    }
    if matches!(fault, Fault::Unauthorized | Fault::Forbidden) && err.contains("attempt 2") {
        problems.push("an auth refusal was sent again".into());
    }
    // Exactly one image where one was asked for; none when it failed.
    let n = if provider == "ec2" && op == Op::Import {
        made(emu, provider, op, &name) - tasks_before
    } else {
        let all_named = made(emu, provider, op, &name);
        if fault == Fault::LostWithOlder && unsafe_create(provider, op) {
            all_named - 1 // the older one
        } else {
            all_named
        }
    };
    let want_n = usize::from(want_made);
    if n != want_n {
        problems.push(format!("{n} images made, want {want_n}"));
    }
    emu.admin("POST", "/__imgctl/clock", r#"{"offset_s": 0}"#);
    (!problems.is_empty()).then(|| {
        format!(
            "{provider} {op:?} {fault:?}: {}\n  stdout: {out}\n  stderr: {err}",
            problems.join("; ")
        )
    })
}

fn matrix(provider: &str) {
    let emu = Emulator::start();
    let mut failures = Vec::new();
    let mut cases = 0;
    for op in [Op::Create, Op::Import, Op::Modify] {
        for &fault in FAULTS {
            if fault == Fault::ExpiredToken && provider != "ims" {
                continue;
            }
            cases += 1;
            if let Some(f) = case(&emu, provider, op, fault) {
                failures.push(f);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} {provider} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fault_matrix_ens() {
    matrix("ens");
}

#[test]
fn fault_matrix_ecs() {
    matrix("ecs");
}

#[test]
fn fault_matrix_ec2() {
    matrix("ec2");
}

#[test]
fn fault_matrix_ims() {
    matrix("ims");
}

/// A server clock 20 minutes ahead: the create is refused once for its
/// timestamp, signed again with the server's time, and every poll of the
/// wait that follows keeps the correction (one correction per run).
#[test]
fn clock_skew_is_corrected_once_and_kept_for_the_wait() {
    let emu = Emulator::start();
    for provider in ["ens", "ecs", "ec2", "ims"] {
        emu.admin("POST", "/__imgctl/reset", "");
        emu.admin("POST", "/__imgctl/clock", r#"{"offset_s": 1200}"#);
        let home = tempfile::tempdir().expect("tempdir");
        let name = format!("skew-{provider}");
        let mut all = vec!["--debug".to_string()];
        all.extend(args(provider, Op::Create, &name));
        all.extend(["--wait".into(), "--poll-interval".into(), "10ms".into()]);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = emu.run(home.path(), &refs);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{provider}: {err}");
        let corrections = err.matches("* clock skew:").count();
        assert_eq!(corrections, 1, "{provider}: {err}");
        assert!(
            err.contains("+1200 s") || err.contains("+1199 s") || err.contains("+1201 s"),
            "{provider}: {err}"
        );
        let v: Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
        assert!(v["image_id"].is_string(), "{provider}: {v}");
        assert_eq!(made(&emu, provider, Op::Create, &name), 1, "{provider}");
        // Refused once, then every request went through.
        let calls = emu.admin("GET", "/__imgctl/calls", "");
        let refused = calls
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["status"].as_u64().is_some_and(|s| s >= 400))
            .count();
        assert_eq!(refused, 1, "{provider}: {calls}");
    }
}
