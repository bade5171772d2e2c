//! The real binary: usage errors, capability checks, help, shortcuts.

mod common;

use common::{Reply, Server, imgctl, stderr, stdout};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A value that passes parsing for each verb flag.
fn sample(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "no-reboot"
        | "with-data-disks"
        | "delete-instance-after-upload"
        | "make-public"
        | "make-private"
        | "is-config"
        | "quick-import" => return None,
        "tag" | "snapshot-tag" => "k=v",
        "block-device-mapping" => "device=/dev/xvda,size=20",
        "data-image" => "name=d1,volume=v-1",
        "min-ram" | "max-ram" | "min-disk" => "1024",
        "launch-permission-add" | "launch-permission-remove" => "123456789012",
        "status" => "Deprecated",
        // Enumerated flags: a value clap accepts, so the provider check speaks.
        "format" => "raw",
        "os-type" => "linux",
        "architecture" => "x86_64",
        "boot-mode" => "uefi",
        "license-type" => "byol",
        "nvme-support" => "supported",
        "imds-support" => "v2",
        "disk" => "oss://b/o",
        _ => "x",
    })
}

// The contract table of DESIGN.md section 1, written out independently of
// src/backend: the flags each provider must refuse.
const CREATE_UNSUPPORTED: &[(&str, &[&str])] = &[
    (
        "ens",
        &[
            "description",
            "tag",
            "no-reboot",
            "block-device-mapping",
            "snapshot-tag",
            "data-image",
            "min-ram",
            "max-ram",
            "enterprise-project-id",
            "client-token",
        ],
    ),
    (
        "ecs",
        &[
            "no-reboot",
            "snapshot-tag",
            "with-data-disks",
            "delete-instance-after-upload",
            "target-oss-region",
            "data-image",
            "min-ram",
            "max-ram",
            "enterprise-project-id",
        ],
    ),
    (
        "ec2",
        &[
            "snapshot-id",
            "with-data-disks",
            "delete-instance-after-upload",
            "target-oss-region",
            "data-image",
            "min-ram",
            "max-ram",
            "enterprise-project-id",
            "client-token",
        ],
    ),
    (
        "ims",
        &[
            "snapshot-id",
            "no-reboot",
            "block-device-mapping",
            "snapshot-tag",
            "with-data-disks",
            "delete-instance-after-upload",
            "target-oss-region",
            "client-token",
        ],
    ),
];
const IMPORT_UNSUPPORTED: &[(&str, &[&str])] = &[
    (
        "ens",
        &[
            "min-disk",
            "role-name",
            "boot-mode",
            "description",
            "tag",
            "client-token",
        ],
    ),
    ("ecs", &["oss-region", "os-version", "compute-type"]),
    (
        "ec2",
        &[
            "oss-region",
            "os-type",
            "os-version",
            "compute-type",
            "min-disk",
        ],
    ),
    (
        "ims",
        &[
            "oss-region",
            "format",
            "platform",
            "compute-type",
            "role-name",
            "license-type",
            "client-token",
        ],
    ),
];
const MODIFY_UNSUPPORTED: &[(&str, &[&str])] = &[
    (
        "ens",
        &[
            "description",
            "status",
            "family",
            "boot-mode",
            "license-type",
            "nvme-support",
            "imds-support",
            "launch-permission-add",
            "make-public",
            "min-ram",
        ],
    ),
    (
        "ecs",
        &[
            "launch-permission-add",
            "launch-permission-remove",
            "make-public",
            "make-private",
            "min-ram",
            "max-ram",
        ],
    ),
    (
        "ec2",
        &[
            "name",
            "status",
            "family",
            "boot-mode",
            "license-type",
            "nvme-support",
            "min-ram",
            "max-ram",
        ],
    ),
    (
        "ims",
        &[
            "status",
            "family",
            "license-type",
            "nvme-support",
            "imds-support",
            "launch-permission-add",
            "make-public",
        ],
    ),
];

fn base_args(verb: &str, provider: &str) -> Vec<String> {
    let mut v: Vec<String> = vec![verb.into(), "--provider".into(), provider.into()];
    match verb {
        "create" => v.extend(["--name", "valid-name", "--instance-id", "i-1"].map(String::from)),
        "import" => v.extend(["--url", "oss://b/o", "--name", "valid-name"].map(String::from)),
        _ => v.extend(["--image-id", "m-1"].map(String::from)),
    }
    v
}

#[test]
fn every_flag_a_provider_lacks_is_a_usage_error() {
    let home = tmp();
    let mut checked = 0;
    for (verb, table) in [
        ("create", CREATE_UNSUPPORTED),
        ("import", IMPORT_UNSUPPORTED),
        ("modify", MODIFY_UNSUPPORTED),
    ] {
        for (provider, flags) in table {
            for flag in *flags {
                let mut args = base_args(verb, provider);
                args.push(format!("--{flag}"));
                if let Some(v) = sample(flag) {
                    args.push(v.into());
                }
                let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                let o = imgctl(home.path(), &argv, &[]);
                assert_eq!(code(&o), 2, "{argv:?}: {}", stderr(&o));
                let e = stderr(&o);
                assert!(
                    e.contains(&format!("--{flag}")) && e.contains(provider),
                    "{argv:?}: {e}"
                );
                assert!(stdout(&o).is_empty());
                checked += 1;
            }
        }
    }
    assert!(checked >= 88, "{checked}");
}

#[test]
fn unknown_provider_and_unknown_flag_exit_2() {
    let home = tmp();
    let o = imgctl(
        home.path(),
        &[
            "create",
            "--provider",
            "gcp",
            "--name",
            "x",
            "--instance-id",
            "i",
        ],
        &[],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("gcp"));
    let o = imgctl(
        home.path(),
        &["create", "--provider", "ens", "--name", "abc", "--bogus"],
        &[],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--bogus"));
    // From the environment, too.
    let o = imgctl(
        home.path(),
        &["create", "--name", "abc", "--instance-id", "i"],
        &[("IMGCTL_PROVIDER", "gcp")],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unknown provider 'gcp'"),
        "{}",
        stderr(&o)
    );
    // No provider at all.
    let o = imgctl(
        home.path(),
        &["create", "--name", "abc", "--instance-id", "i"],
        &[],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no provider"));
}

#[test]
fn provider_aliases() {
    let home = tmp();
    for (alias, canonical) in [("aws", "ec2"), ("huawei", "ims"), ("AWS", "ec2")] {
        let o = imgctl(home.path(), &["config", "show", "--provider", alias], &[]);
        if alias == "AWS" {
            // clap takes exact values; the environment is case-insensitive.
            let o = imgctl(
                home.path(),
                &["config", "show"],
                &[("IMGCTL_PROVIDER", alias)],
            );
            assert_eq!(code(&o), 0, "{}", stderr(&o));
            assert!(stdout(&o).contains(&format!("\"{canonical}\"")));
            continue;
        }
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!("\"value\": \"{canonical}\"")),
            "{}",
            stdout(&o)
        );
    }
}

#[test]
fn invalid_names_per_provider() {
    let home = tmp();
    for (provider, name) in [
        ("ens", "1starts-with-digit"),
        ("ens", "has.dot"),
        ("ecs", "aliyun-reserved"),
        ("ecs", "a"),
        ("ec2", "ab"),
        ("ec2", "bad#char"),
        ("ims", " leading-space"),
        ("ims", "colon:bad"),
    ] {
        let o = imgctl(
            home.path(),
            &[
                "create",
                "--provider",
                provider,
                "--name",
                name,
                "--instance-id",
                "i-1",
            ],
            &[],
        );
        assert_eq!(code(&o), 2, "{provider} {name}: {}", stderr(&o));
        assert!(stderr(&o).contains("invalid image name"), "{}", stderr(&o));
    }
}

#[test]
fn bad_values_are_usage_errors() {
    let home = tmp();
    for args in [
        vec![
            "modify",
            "--provider",
            "ecs",
            "--image-id",
            "m-1",
            "--status",
            "Gone",
        ],
        vec!["modify", "--provider", "ecs", "--image-id", "m-1"],
        vec![
            "modify",
            "--provider",
            "ec2",
            "--image-id",
            "ami-1",
            "--launch-permission-add",
            "12",
        ],
        vec![
            "modify",
            "--provider",
            "ec2",
            "--image-id",
            "ami-1",
            "--make-public",
            "--make-private",
        ],
        vec![
            "create",
            "--provider",
            "ec2",
            "--name",
            "abc",
            "--instance-id",
            "i",
            "--tag",
            "novalue",
        ],
        vec![
            "create",
            "--provider",
            "ec2",
            "--name",
            "abc",
            "--instance-id",
            "i",
            "--block-device-mapping",
            "size=big",
        ],
        vec![
            "import",
            "--provider",
            "ens",
            "--url",
            "s3://b/k",
            "--name",
            "abc",
            "--os-type",
            "linux",
            "--format",
            "qcow2",
            "--architecture",
            "x86_64",
        ],
        vec![
            "import",
            "--provider",
            "ims",
            "--url",
            "obs://b/k",
            "--name",
            "abc",
        ],
        vec![
            "create",
            "--provider",
            "ens",
            "--name",
            "abc",
            "--instance-id",
            "i",
            "--wait-timeout",
            "5x",
        ],
        vec![
            "describe",
            "--provider",
            "ens",
            "--image-id",
            "m-1",
            "--wait-timeout",
            "5m",
        ],
        vec![
            "describe",
            "--provider",
            "ens",
            "--image-id",
            "m-1",
            "--auth-mode",
            "token",
        ],
        vec!["wait", "--provider", "ens", "--job-id", "j-1"],
        vec!["wait", "--provider", "ens"],
        vec![
            "describe",
            "--provider",
            "ens",
            "--image-id",
            "m-1",
            "--query",
            "image_id[",
        ],
    ] {
        let o = imgctl(home.path(), &args, &[]);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn help_for_every_verb_has_an_example() {
    let home = tmp();
    for path in [
        vec!["image", "create"],
        vec!["image", "import"],
        vec!["image", "modify"],
        vec!["image", "describe"],
        vec!["image", "wait"],
        vec!["create"],
        vec!["import"],
        vec!["modify"],
        vec!["describe"],
        vec!["wait"],
        vec!["config", "show"],
        vec![],
    ] {
        let mut args = path.clone();
        args.push("--help");
        let o = imgctl(home.path(), &args, &[]);
        assert_eq!(code(&o), 0, "{args:?}");
        let out = stdout(&o);
        assert!(out.contains("Example"), "{args:?}: {out}");
        assert!(out.contains("Usage: imgctl"), "{args:?}");
    }
    let o = imgctl(home.path(), &["help", "exit-codes"], &[]);
    assert_eq!(code(&o), 0);
    for c in ["130", "--wait", "retr"] {
        assert!(stdout(&o).contains(c), "{c}");
    }
    let o = imgctl(home.path(), &["help", "image", "create"], &[]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("--instance-id"));
    let o = imgctl(home.path(), &["help", "nonsense"], &[]);
    assert_eq!(code(&o), 2);
}

/// `imgctl create` and `imgctl image create` must send the same request.
/// Compared on the wire through a recording server, so what is checked is
/// the parse and everything behind it.
#[test]
fn shortcut_and_long_form_send_the_same_request() {
    let home = tmp();
    let server = Server::start(|_, req| {
        if req.body_text().contains("Action=") {
            Reply::new(
                200,
                "text/xml",
                "<CreateImageResponse><requestId>r-1</requestId><imageId>ami-1</imageId></CreateImageResponse>",
            )
        } else {
            Reply::json(200, r#"{"RequestId":"r-1","Code":0,"ImageId":"m-1"}"#)
        }
    });
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ak"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk-secret-value"),
        ("AWS_ACCESS_KEY_ID", "ak"),
        ("AWS_SECRET_ACCESS_KEY", "sk-secret-value"),
    ];
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "--provider",
            "ens",
            "--name",
            "web-v1",
            "--instance-id",
            "i-5rr1",
            "--with-data-disks",
            "--target-oss-region",
            "cn-beijing",
        ],
        vec![
            "--provider",
            "ec2",
            "--region",
            "us-east-1",
            "--name",
            "web v1",
            "--instance-id",
            "i-0abc",
            "--no-reboot",
            "--tag",
            "team=web",
            "--block-device-mapping",
            "DeviceName=/dev/xvda,Ebs={VolumeSize=20}",
        ],
    ];
    for case in cases {
        let mut outs = Vec::new();
        for prefix in [vec!["create"], vec!["image", "create"]] {
            let before = server.requests().len();
            let mut args = prefix.clone();
            args.extend(["--endpoint-url", server.url.as_str()]);
            args.extend(case.iter().copied());
            let o = imgctl(home.path(), &args, &env);
            let reqs: Vec<(String, String, String)> = server.requests()[before..]
                .iter()
                .map(|r| (r.method.clone(), r.target.clone(), r.body_text()))
                .collect();
            outs.push((code(&o), stdout(&o), stderr(&o), reqs));
        }
        assert_eq!(outs[0], outs[1], "{case:?}");
        assert!(!outs[0].2.contains("sk-secret-value"));
    }
}

#[test]
fn completion_scripts_are_generated() {
    let home = tmp();
    for shell in ["bash", "zsh", "fish"] {
        let o = imgctl(home.path(), &["completion", shell], &[]);
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).contains("instance-id"), "{shell}");
    }
}

/// The committed completions/ must be what the binary generates now.
#[test]
fn committed_completions_are_fresh() {
    let home = tmp();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "imgctl.bash"),
        ("zsh", "_imgctl"),
        ("fish", "imgctl.fish"),
        ("powershell", "_imgctl.ps1"),
        ("elvish", "imgctl.elv"),
    ] {
        let o = imgctl(home.path(), &["completion", shell], &[]);
        let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            committed == stdout(&o),
            "completions/{file} is stale: run `imgctl completion {shell} > completions/{file}`"
        );
    }
}

#[test]
fn closed_stdout_is_not_an_error() {
    use std::process::{Command, Stdio};
    let home = tmp();
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args(["config", "show", "--provider", "ec2"])
        .env_clear()
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // The reader goes away before imgctl writes, as with `| head -0`.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn wait_names_its_provider() {
    let home = tmp();
    for (provider, id) in [("ens", "m-5xxgg"), ("ec2", "ami-0abcdef1234567890")] {
        let o = imgctl(
            home.path(),
            &[
                "--emulator",
                "wait",
                "--provider",
                provider,
                "--image-id",
                id,
                "--poll-interval",
                "10ms",
            ],
            &[],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(v["provider"], provider);
        assert_eq!(v["operation"], "wait");
        assert_eq!(v["image_id"], id);
    }
}

/// A real endpoint goes through the proxy named in the environment; the
/// "proxy" here is a recording server on 127.0.0.1, so nothing leaves
/// the machine.
#[test]
fn https_and_http_proxy_from_the_environment() {
    let home = tmp();
    let proxy = Server::start(|_, _| {
        Reply::json(
            200,
            r#"{"RequestId":"r-1","Code":0,"PageNumber":"1","PageSize":"50","TotalCount":"1","Images":{"Image":[{"ImageId":"m-1","ImageName":"x","Status":"Available"}]}}"#,
        )
    });
    let o = imgctl(
        home.path(),
        &[
            "describe",
            "--provider",
            "ens",
            "--endpoint-url",
            "http://ens.example.invalid",
            "--image-id",
            "m-1",
        ],
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ak"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk-secret-value"),
            ("HTTP_PROXY", proxy.url.as_str()),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let reqs = proxy.requests();
    assert_eq!(reqs.len(), 1);
    // A proxied request carries the absolute URL of the real endpoint.
    assert!(
        reqs[0].target.starts_with("http://ens.example.invalid/"),
        "{}",
        reqs[0].target
    );
    assert_eq!(reqs[0].header("host"), Some("ens.example.invalid"));
}

#[test]
fn bad_values_from_the_environment_are_configuration_errors() {
    let home = tmp();
    for (k, v) in [
        ("IMGCTL_SIGNATURE_VERSION", "v9"),
        ("IMGCTL_MAX_ATTEMPTS", "99"),
        ("IMGCTL_READ_TIMEOUT", "0"),
        ("IMGCTL_AUTH_MODE", "kerberos"),
    ] {
        let o = imgctl(
            home.path(),
            &["config", "show", "--provider", "ims"],
            &[(k, v)],
        );
        assert_eq!(code(&o), 3, "{k}={v}: {}", stderr(&o));
        assert!(stderr(&o).contains(k), "{}", stderr(&o));
    }
}

#[test]
fn config_show_honours_query_and_output() {
    let home = tmp();
    let o = imgctl(
        home.path(),
        &[
            "config",
            "show",
            "--provider",
            "ec2",
            "--region",
            "eu-west-3",
            "--query",
            "region.value",
            "--output",
            "text",
        ],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "eu-west-3\n");
}

/// The create succeeded; if following it then fails, the id must still
/// reach stdout, or a script's retry would make a second image.
#[test]
fn ids_are_printed_when_the_wait_fails_after_a_create() {
    let home = tmp();
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "create",
            "--provider",
            "ens",
            "--instance-id",
            "i-demo-ens",
            "--name",
            "kept-id",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[(
            "IMGCTL_EMULATOR_FAULTS",
            "ens:DescribeSelfImages:error500:100",
        )],
    );
    // Every poll's retries ran out on a 5xx: unavailable, exit 5.
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("outcome on stdout");
    assert!(
        v["image_id"].as_str().is_some_and(|i| i.starts_with("m-")),
        "{v}"
    );
    assert!(stderr(&o).contains("trying again"));
}

#[test]
fn a_passing_poll_failure_does_not_end_the_wait() {
    let home = tmp();
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "create",
            "--provider",
            "ec2",
            "--instance-id",
            "i-1234567890abcdef0",
            "--name",
            "survives",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[("IMGCTL_EMULATOR_FAULTS", "ec2:DescribeImages:html:2")],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["status"], "available");
}

/// Every duration has a range, checked as it is parsed: a huge value is a
/// usage error naming the flag and the range, never an overflow panic.
#[test]
fn durations_out_of_range_are_refused_not_a_panic() {
    let home = tmp();
    for (flag, value, range) in [
        ("--wait-timeout", "99999999999h", "1s to 7d"),
        ("--wait-timeout", "99999999999999999h", "1s to 7d"),
        ("--wait-timeout", "99999999999999999999999", "1s to 7d"),
        ("--wait-timeout", "8d", "1s to 7d"),
        ("--wait-timeout", "0", "1s to 7d"),
        ("--poll-interval", "2h", "10ms to 1h"),
        ("--poll-interval", "0", "10ms to 1h"),
        ("--connect-timeout", "99999999999999999h", "100ms to 1h"),
        ("--read-timeout", "1ms", "100ms to 1h"),
    ] {
        let o = imgctl(
            home.path(),
            &[
                "--emulator",
                "wait",
                "--provider",
                "ec2",
                "--image-id",
                "ami-0abc",
                flag,
                value,
            ],
            &[],
        );
        let e = stderr(&o);
        assert_eq!(code(&o), 2, "{flag} {value}: {e}");
        assert!(e.contains(flag) && e.contains(range), "{flag} {value}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
    let o = imgctl(home.path(), &["emulator", "--speed", "99999999h"], &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("0 to 1h"), "{}", stderr(&o));

    // From the environment it is a configuration error (exit 3), same range.
    for v in ["3h", "99999999999999999h"] {
        let o = imgctl(
            home.path(),
            &["config", "show", "--provider", "ec2"],
            &[("IMGCTL_READ_TIMEOUT", v)],
        );
        assert_eq!(code(&o), 3, "{v}: {}", stderr(&o));
        assert!(stderr(&o).contains("read-timeout"), "{}", stderr(&o));
    }
    // The largest accepted values still work.
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "wait",
            "--provider",
            "ec2",
            "--image-id",
            "ami-0abc",
            "--wait-timeout",
            "7d",
            "--poll-interval",
            "1h",
            "--read-timeout",
            "1h",
        ],
        &[],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}
