//! One vocabulary across clouds, through the real binary against the
//! emulator: enumerated values in any case and by alias make the request
//! the cloud's own spelling makes; `state` beside `status`; `created` in
//! RFC 3339; `--error-format json` on stderr.
//!
//! The cloud spellings below are written from shared/ref (each cloud's API
//! reference), not read from the code's tables.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{imgctl, stderr, stdout};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(stdout(out).trim()).unwrap_or(Value::Null)
}

/// The signed request(s) `--debug` shows, without what changes from run
/// to run (port, dates, nonces, signatures).
fn requests(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("> "))
        .filter(|l| {
            let h = l.to_ascii_lowercase();
            !(h.starts_with("> x-acs-date")
                || h.starts_with("> x-acs-signature-nonce")
                || h.starts_with("> x-amz-date")
                || h.starts_with("> x-sdk-date")
                || h.starts_with("> authorization"))
        })
        .map(|l| {
            let l = l.split(" (attempt").next().unwrap_or(l);
            let l = l.split(" (dry run").next().unwrap_or(l);
            match l.find("127.0.0.1:") {
                Some(i) => {
                    let rest = &l[i + "127.0.0.1:".len()..];
                    let end = rest
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(rest.len());
                    format!("{}HOST{}", &l[..i], &rest[end..])
                }
                None => l.to_string(),
            }
        })
        .collect()
}

fn case_variants(v: &str) -> Vec<String> {
    let mixed: String = v
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    vec![v.to_ascii_lowercase(), v.to_ascii_uppercase(), mixed]
}

struct Case {
    provider: &'static str,
    base: &'static [&'static str],
    flag: &'static str,
    /// The cloud's own spelling, as its API reference writes it.
    own: &'static str,
    /// What must appear in the request (parameter and value as sent).
    sent: &'static str,
    /// Other spellings that must give the same request.
    aliases: &'static [&'static str],
}

const ENS_IMPORT: &[&str] = &[
    "import",
    "--provider",
    "ens",
    "--url",
    "oss://b/o.qcow2",
    "--name",
    "base-1",
    "--os-type",
    "linux",
    "--format",
    "qcow2",
    "--architecture",
    "x86_64",
];
const ECS_IMPORT: &[&str] = &[
    "import",
    "--provider",
    "ecs",
    "--url",
    "oss://b/o.qcow2",
    "--name",
    "base-1",
    "--client-token",
    "tok-1",
];
const ECS_CREATE: &[&str] = &[
    "create",
    "--provider",
    "ecs",
    "--instance-id",
    "i-demo-ecs",
    "--name",
    "base-1",
    "--client-token",
    "tok-1",
];
const ECS_MODIFY: &[&str] = &[
    "modify",
    "--provider",
    "ecs",
    "--image-id",
    "m-bp18ygjuqnwhechc",
];
const EC2_IMPORT: &[&str] = &[
    "import",
    "--provider",
    "ec2",
    "--url",
    "s3://b/o.vmdk",
    "--client-token",
    "tok-1",
];
const EC2_MODIFY: &[&str] = &[
    "modify",
    "--provider",
    "ec2",
    "--image-id",
    "ami-0abcdef1234567890",
];
const IMS_IMPORT: &[&str] = &[
    "import",
    "--provider",
    "ims",
    "--url",
    "obs://b/o.qcow2",
    "--name",
    "base-1",
    "--min-disk",
    "40",
];
const IMS_MODIFY: &[&str] = &[
    "modify",
    "--provider",
    "ims",
    "--image-id",
    "33ad552d-1149-471c-8575-f1d02b9f3d1d",
];

fn cases() -> Vec<Case> {
    let c = |provider, base, flag, own, sent, aliases| Case {
        provider,
        base,
        flag,
        own,
        sent,
        aliases,
    };
    vec![
        // ENS ImportImage: ImageFormat qcow2, OSType linux/windows, Architecture x86_64.
        c(
            "ens",
            ENS_IMPORT,
            "format",
            "qcow2",
            "ImageFormat=qcow2",
            &[],
        ),
        c(
            "ens",
            ENS_IMPORT,
            "os-type",
            "windows",
            "OSType=windows",
            &[],
        ),
        c(
            "ens",
            ENS_IMPORT,
            "architecture",
            "x86_64",
            "Architecture=x86_64",
            &["amd64", "x64", "X86-64"],
        ),
        c(
            "ens",
            ENS_IMPORT,
            "platform",
            "centos",
            "Platform=centos",
            &[],
        ),
        // ECS ImportImage.
        c("ecs", ECS_IMPORT, "format", "QCOW2", "Format=QCOW2", &[]),
        c("ecs", ECS_IMPORT, "format", "VHD", "Format=VHD", &[]),
        c("ecs", ECS_IMPORT, "format", "RAW", "Format=RAW", &[]),
        c("ecs", ECS_IMPORT, "format", "VMDK", "Format=VMDK", &[]),
        c("ecs", ECS_IMPORT, "os-type", "linux", "OSType=linux", &[]),
        c(
            "ecs",
            ECS_IMPORT,
            "os-type",
            "windows",
            "OSType=windows",
            &[],
        ),
        c(
            "ecs",
            ECS_IMPORT,
            "architecture",
            "arm64",
            "Architecture=arm64",
            &["aarch64", "AArch64"],
        ),
        c(
            "ecs",
            ECS_IMPORT,
            "architecture",
            "i386",
            "Architecture=i386",
            &["i686"],
        ),
        c(
            "ecs",
            ECS_IMPORT,
            "boot-mode",
            "BIOS",
            "BootMode=BIOS",
            &["legacy", "Legacy-BIOS"],
        ),
        c("ecs", ECS_IMPORT, "boot-mode", "UEFI", "BootMode=UEFI", &[]),
        c(
            "ecs",
            ECS_IMPORT,
            "license-type",
            "Auto",
            "LicenseType=Auto",
            &[],
        ),
        c(
            "ecs",
            ECS_IMPORT,
            "license-type",
            "BYOL",
            "LicenseType=BYOL",
            &[],
        ),
        c(
            "ecs",
            ECS_IMPORT,
            "license-type",
            "Aliyun",
            "LicenseType=Aliyun",
            &["cloud"],
        ),
        c(
            "ecs",
            ECS_IMPORT,
            "platform",
            "Ubuntu",
            "Platform=Ubuntu",
            &[],
        ),
        // ECS CreateImage.
        c(
            "ecs",
            ECS_CREATE,
            "architecture",
            "x86_64",
            "Architecture=x86_64",
            &["AMD64"],
        ),
        c("ecs", ECS_CREATE, "boot-mode", "UEFI", "BootMode=UEFI", &[]),
        // ECS ModifyImageAttribute.
        c(
            "ecs",
            ECS_MODIFY,
            "status",
            "Deprecated",
            "Status=Deprecated",
            &[],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "status",
            "Available",
            "Status=Available",
            &[],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "boot-mode",
            "UEFI-Preferred",
            "BootMode=UEFI-Preferred",
            &[],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "license-type",
            "BYOL",
            "LicenseType=BYOL",
            &[],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "nvme-support",
            "supported",
            "NvmeSupport=supported",
            &["yes", "TRUE"],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "nvme-support",
            "unsupported",
            "NvmeSupport=unsupported",
            &["no"],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "imds-support",
            "v2",
            "ImdsSupport=v2",
            &[],
        ),
        c(
            "ecs",
            ECS_MODIFY,
            "imds-support",
            "v1",
            "ImdsSupport=v1",
            &[],
        ),
        // EC2 ImportImage.
        c("ec2", EC2_IMPORT, "format", "VMDK", "Format=VMDK", &[]),
        c("ec2", EC2_IMPORT, "format", "VHDX", "Format=VHDX", &[]),
        c("ec2", EC2_IMPORT, "format", "OVA", "Format=OVA", &[]),
        c("ec2", EC2_IMPORT, "format", "RAW", "Format=RAW", &[]),
        c("ec2", EC2_IMPORT, "format", "VHD", "Format=VHD", &[]),
        c(
            "ec2",
            EC2_IMPORT,
            "platform",
            "Linux",
            "Platform=Linux",
            &[],
        ),
        c(
            "ec2",
            EC2_IMPORT,
            "platform",
            "Windows",
            "Platform=Windows",
            &[],
        ),
        c(
            "ec2",
            EC2_IMPORT,
            "architecture",
            "x86_64",
            "Architecture=x86_64",
            &["amd64", "x64"],
        ),
        c(
            "ec2",
            EC2_IMPORT,
            "architecture",
            "arm64",
            "Architecture=arm64",
            &["aarch64"],
        ),
        c(
            "ec2",
            EC2_IMPORT,
            "boot-mode",
            "legacy-bios",
            "BootMode=legacy-bios",
            &["bios", "legacy"],
        ),
        c("ec2", EC2_IMPORT, "boot-mode", "uefi", "BootMode=uefi", &[]),
        c(
            "ec2",
            EC2_IMPORT,
            "license-type",
            "AWS",
            "LicenseType=AWS",
            &["cloud"],
        ),
        c(
            "ec2",
            EC2_IMPORT,
            "license-type",
            "BYOL",
            "LicenseType=BYOL",
            &[],
        ),
        // EC2 ModifyImageAttribute.
        c(
            "ec2",
            EC2_MODIFY,
            "imds-support",
            "v2.0",
            "ImdsSupport.Value=v2.0",
            &["v2"],
        ),
        // IMS: os_type Linux/Windows/Other, architecture x86/arm, hw_firmware_type bios/uefi.
        c(
            "ims",
            IMS_IMPORT,
            "os-type",
            "Linux",
            r#""os_type":"Linux""#,
            &[],
        ),
        c(
            "ims",
            IMS_IMPORT,
            "os-type",
            "Windows",
            r#""os_type":"Windows""#,
            &[],
        ),
        c(
            "ims",
            IMS_IMPORT,
            "os-type",
            "Other",
            r#""os_type":"Other""#,
            &[],
        ),
        c(
            "ims",
            IMS_IMPORT,
            "architecture",
            "x86",
            r#""architecture":"x86""#,
            &["x86_64", "amd64"],
        ),
        c(
            "ims",
            IMS_IMPORT,
            "architecture",
            "arm",
            r#""architecture":"arm""#,
            &["arm64", "aarch64"],
        ),
        c(
            "ims",
            IMS_IMPORT,
            "boot-mode",
            "bios",
            r#""hw_firmware_type":"bios""#,
            &["legacy"],
        ),
        c(
            "ims",
            IMS_IMPORT,
            "boot-mode",
            "uefi",
            r#""hw_firmware_type":"uefi""#,
            &[],
        ),
        c(
            "ims",
            IMS_MODIFY,
            "boot-mode",
            "uefi",
            r#""path":"/hw_firmware_type","value":"uefi""#,
            &[],
        ),
    ]
}

fn request_for(home: &std::path::Path, case: &Case, value: &str) -> Vec<String> {
    let flag = format!("--{}", case.flag);
    let mut args = vec!["--emulator", "--dry-run", "--debug"];
    args.extend_from_slice(case.base);
    // A flag the base already gives (ENS requires three) is replaced.
    match args.iter().position(|a| *a == flag) {
        Some(i) => args[i + 1] = value,
        None => args.extend([flag.as_str(), value]),
    }
    let o = imgctl(home, &args, &[("IMGCTL_EMULATOR_SPEED", "0")]);
    let e = stderr(&o);
    assert_ne!(o.status.code(), Some(2), "{args:?}: {e}");
    let r = requests(&e);
    assert!(!r.is_empty(), "{args:?}: no request in {e}");
    r
}

#[test]
fn every_spelling_sends_the_clouds_own_request() {
    let home = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for case in cases() {
        let reference = request_for(home.path(), &case, case.own);
        let sent = reference.join("\n");
        assert!(
            sent.contains(case.sent),
            "{} --{} {}: {} not in\n{sent}",
            case.provider,
            case.flag,
            case.own,
            case.sent
        );
        let mut spellings = case_variants(case.own);
        spellings.extend(case.aliases.iter().map(|a| a.to_string()));
        for s in spellings {
            let r = request_for(home.path(), &case, &s);
            assert_eq!(
                r, reference,
                "{} --{} {s} differs from --{} {}",
                case.provider, case.flag, case.flag, case.own
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked}");
}

#[test]
fn a_value_the_cloud_cannot_take_names_the_ones_it_can() {
    let home = tempfile::tempdir().unwrap();
    for (args, names) in [
        (
            &[
                "import",
                "--provider",
                "ecs",
                "--url",
                "oss://b/o",
                "--name",
                "base-1",
                "--format",
                "vhdx",
            ][..],
            "raw, vhd, qcow2, vmdk",
        ),
        (
            &[
                "import",
                "--provider",
                "ec2",
                "--url",
                "s3://b/o.raw",
                "--boot-mode",
                "uefi-preferred",
            ][..],
            "legacy, uefi",
        ),
        (
            &[
                "modify",
                "--provider",
                "ec2",
                "--image-id",
                "ami-1",
                "--imds-support",
                "v1",
            ][..],
            "v2",
        ),
        (
            &[
                "import",
                "--provider",
                "ims",
                "--url",
                "obs://b/o",
                "--name",
                "n",
                "--min-disk",
                "40",
                "--architecture",
                "i386",
            ][..],
            "x86_64, arm64",
        ),
        // Not a value of the vocabulary at all: clap lists the canonical ones.
        (
            &[
                "import",
                "--provider",
                "ecs",
                "--url",
                "oss://b/o",
                "--name",
                "base-1",
                "--format",
                "iso",
            ][..],
            "qcow2, raw, vhd, vhdx, vmdk, ova",
        ),
    ] {
        let mut all = vec!["--emulator"];
        all.extend_from_slice(args);
        let o = imgctl(home.path(), &all, &[]);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(names), "{all:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

fn assert_rfc3339_utc(v: &Value) {
    let c = v["created"]
        .as_str()
        .unwrap_or_else(|| panic!("no created in {v}"));
    assert!(c.ends_with('Z'), "{c}");
    time::OffsetDateTime::parse(c, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{c}: {e}"));
}

#[test]
fn state_after_create_wait_and_created_in_rfc3339() {
    let home = tempfile::tempdir().unwrap();
    for (p, inst, status) in [
        ("ens", "i-demo-ens", "Available"),
        ("ecs", "i-demo-ecs", "Available"),
        ("ec2", "i-1234567890abcdef0", "available"),
        ("ims", "i-demo-ims", "active"),
    ] {
        let o = imgctl(
            home.path(),
            &[
                "--emulator",
                "create",
                "--provider",
                p,
                "--instance-id",
                inst,
                "--name",
                "web-v1",
                "--wait",
                "--poll-interval",
                "10ms",
            ],
            &[("IMGCTL_EMULATOR_SPEED", "0")],
        );
        assert_eq!(o.status.code(), Some(0), "{p}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(v["status"], status, "{v}");
        assert_eq!(v["state"], "available", "{v}");
        assert_rfc3339_utc(&v);
    }
}

#[test]
fn state_of_a_failed_image() {
    let home = tempfile::tempdir().unwrap();
    for (p, inst, op, status) in [
        ("ens", "i-demo-ens", "CreateImage", "Pack_failed"),
        ("ecs", "i-demo-ecs", "CreateImage", "CreateFailed"),
        ("ec2", "i-1234567890abcdef0", "CreateImage", "failed"),
        ("ims", "i-demo-ims", "CreateImage", "FAIL"),
    ] {
        let fault = format!("{p}:{op}:fail_image");
        let o = imgctl(
            home.path(),
            &[
                "--emulator",
                "create",
                "--provider",
                p,
                "--instance-id",
                inst,
                "--name",
                "web-v1",
                "--wait",
                "--poll-interval",
                "10ms",
            ],
            &[
                ("IMGCTL_EMULATOR_SPEED", "0"),
                ("IMGCTL_EMULATOR_FAULTS", &fault),
            ],
        );
        assert_eq!(o.status.code(), Some(7), "{p}: {}", stderr(&o));
        let v = json(&o);
        if !status.is_empty() {
            assert_eq!(v["status"], status, "{v}");
        }
        assert_eq!(v["state"], "failed", "{v}");
        assert!(stderr(&o).contains("(state failed)"), "{}", stderr(&o));
    }
}

/// `imgctl emulator` in the background, killed when dropped.
struct Running {
    child: std::process::Child,
    url: String,
}

impl Running {
    fn start(speed: &str) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
            .args(["emulator", "--speed", speed])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        BufReader::new(out).read_line(&mut line).expect("endpoint");
        Running {
            child,
            url: line.trim().to_string(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn deprecated_state_and_describe_created() {
    let home = tempfile::tempdir().unwrap();
    let emu = Running::start("0");
    let env = [("IMGCTL_EMULATOR_URL", emu.url.as_str())];
    let id = "m-bp18ygjuqnwhechc";
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "modify",
            "--provider",
            "ecs",
            "--image-id",
            id,
            "--status",
            "DEPRECATED",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["state"], "deprecated", "{}", stdout(&o));
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "describe",
            "--provider",
            "ecs",
            "--image-id",
            id,
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        (v["status"].as_str(), v["state"].as_str()),
        (Some("Deprecated"), Some("deprecated")),
        "{v}"
    );
    assert_rfc3339_utc(&v);
    assert!(v["progress"].as_u64().is_some_and(|p| p <= 100), "{v}");
    // describe on every provider: created parses, state beside status.
    for (p, id) in [
        ("ens", "m-5xxggsu4qy1bzvwpsmktamv6a"),
        ("ec2", "ami-0abcdef1234567890"),
        ("ims", "33ad552d-1149-471c-8575-f1d02b9f3d1d"),
    ] {
        let o = imgctl(
            home.path(),
            &["--emulator", "describe", "--provider", p, "--image-id", id],
            &env,
        );
        assert_eq!(o.status.code(), Some(0), "{p}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(v["state"], "available", "{v}");
        assert_rfc3339_utc(&v);
    }
}

/// The last line of stderr as the error report.
fn report(o: &std::process::Output) -> Value {
    let e = stderr(o);
    let last = e.lines().last().unwrap_or_default();
    let v: Value = serde_json::from_str(last).unwrap_or_else(|_| panic!("not JSON: {last}\n{e}"));
    let err = &v["error"];
    for k in [
        "exit_code",
        "kind",
        "message",
        "provider",
        "provider_code",
        "http_status",
        "request_id",
        "hint",
        "retryable",
    ] {
        assert!(err.get(k).is_some(), "{k} missing in {v}");
    }
    assert_eq!(
        err["exit_code"].as_i64(),
        o.status.code().map(i64::from),
        "{v}"
    );
    err.clone()
}

#[test]
fn error_format_json_on_stderr() {
    let home = tempfile::tempdir().unwrap();
    // Not found.
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "--error-format",
            "json",
            "describe",
            "--provider",
            "ecs",
            "--image-id",
            "m-nope",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let e = report(&o);
    assert_eq!(
        (e["kind"].as_str(), e["provider"].as_str()),
        (Some("refused"), Some("ecs")),
        "{e}"
    );
    assert_eq!(e["image_id"], "m-nope");
    assert!(e["request_id"].is_string(), "{e}");
    assert!(stdout(&o).is_empty());

    // An authentication failure, the variable instead of the flag.
    let emu = Running::start("0");
    let o = imgctl(
        home.path(),
        &[
            "describe",
            "--provider",
            "ec2",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &emu.url,
            "--image-id",
            "ami-0abc",
        ],
        &[
            ("IMGCTL_ERROR_FORMAT", "json"),
            ("AWS_ACCESS_KEY_ID", "imgctl-demo"),
            ("AWS_SECRET_ACCESS_KEY", "not-the-secret"),
        ],
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = report(&o);
    assert_eq!(e["kind"], "auth", "{e}");
    assert_eq!(e["provider"], "ec2", "{e}");
    assert!(
        e["provider_code"].is_string() && e["http_status"].is_number(),
        "{e}"
    );
    assert_eq!(e["retryable"], false);

    // A usage error, caught by clap and by imgctl.
    for args in [
        &[
            "--error-format",
            "json",
            "describe",
            "--provider",
            "ecs",
            "--image-idd",
            "m-1",
        ][..],
        &[
            "--error-format=json",
            "--emulator",
            "import",
            "--provider",
            "ecs",
            "--url",
            "oss://b/o",
            "--name",
            "base-1",
            "--format",
            "vhdx",
        ][..],
    ] {
        let o = imgctl(home.path(), args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = report(&o);
        assert_eq!(e["kind"], "usage", "{e}");
        assert!(stdout(&o).is_empty());
    }

    // A wait that times out: the outcome on stdout, the report on stderr.
    let slow = Running::start("1h");
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "--error-format",
            "json",
            "create",
            "--provider",
            "ens",
            "--instance-id",
            "i-demo-ens",
            "--name",
            "web-v1",
            "--wait",
            "--wait-timeout",
            "1s",
            "--poll-interval",
            "100ms",
        ],
        &[("IMGCTL_EMULATOR_URL", slow.url.as_str())],
    );
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    let e = report(&o);
    assert_eq!(e["kind"], "wait_timeout", "{e}");
    let out = json(&o);
    assert_eq!(e["image_id"], out["image_id"], "{e} {out}");
    assert_eq!(out["state"], "pending", "{out}");
    assert!(out.get("created").is_some(), "{out}");

    // The default stays text.
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "describe",
            "--provider",
            "ecs",
            "--image-id",
            "m-nope",
        ],
        &[],
    );
    assert!(
        !stderr(&o).lines().any(|l| l.starts_with('{')),
        "{}",
        stderr(&o)
    );
}
