//! The emulator through the real binary: `imgctl emulator` and `--emulator`
//! end to end (for every provider whose client has landed), faults seen
//! from the client's side, and the settings it overrides.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::{imgctl, stderr, stdout};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(stdout(out).trim()).unwrap_or(Value::Null)
}

fn assert_prefix(v: &Value, key: &str, prefix: &str) {
    assert!(
        v[key].as_str().is_some_and(|s| s.starts_with(prefix)),
        "{key} of {v}"
    );
}

/// Settings the emulator must override: these would fail against it.
const HOSTILE_ENV: &[(&str, &str)] = &[
    ("IMGCTL_EMULATOR_SPEED", "0"),
    ("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG"),
    ("AWS_SECRET_ACCESS_KEY", "wrong"),
    ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
    ("AWS_REGION", "eu-west-1"),
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIwrong"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong"),
    ("IMGCTL_ENDPOINT_URL", "http://127.0.0.1:9"),
    ("HUAWEICLOUD_SDK_AK", "wrong"),
    ("HUAWEICLOUD_SDK_SK", "wrong"),
    (
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "ffffffffffffffffffffffffffffffff",
    ),
    ("HW_USER_NAME", "someone"),
    ("HW_PASSWORD", "wrong"),
    ("HW_DOMAIN_NAME", "elsewhere"),
];

#[test]
fn every_provider_creates_and_waits_against_the_emulator() {
    let home = tempfile::tempdir().unwrap();
    for (p, inst, done, extra) in [
        // The README's main job.
        ("ens", "i-5rr1bnyrc4tswr8cq3w6y", "Available", &[][..]),
        ("ecs", "i-demo-ecs", "Available", &[][..]),
        (
            "ecs",
            "i-demo-ecs",
            "Available",
            &["--signature-version", "v1"][..],
        ),
        ("ec2", "i-1234567890abcdef0", "available", &[][..]),
        // The image's status ends an IMS wait, not its job's SUCCESS.
        (
            "ims",
            "877a2cda-ba63-4e1e-b95f-e67e48b6129a",
            "active",
            &[][..],
        ),
        ("ims", "i-demo-ims", "active", &["--auth-mode", "token"][..]),
    ] {
        let mut args = vec![
            "--emulator",
            "create",
            "--provider",
            p,
            "--instance-id",
            inst,
        ];
        args.extend_from_slice(&["--name", "web-v1", "--wait", "--poll-interval", "10ms"]);
        args.extend_from_slice(extra);
        let o = imgctl(home.path(), &args, HOSTILE_ENV);
        assert_eq!(o.status.code(), Some(0), "{p} {extra:?}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(
            (v["provider"].as_str(), v["status"].as_str()),
            (Some(p), Some(done)),
            "{v}"
        );
        assert!(v["image_id"].as_str().is_some_and(|i| !i.is_empty()), "{v}");
    }
}

#[test]
fn a_running_emulator_keeps_state_across_commands() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args(["emulator", "--speed", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    out.read_line(&mut url).unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut env = HOSTILE_ENV.to_vec();
    env.push(("IMGCTL_EMULATOR_URL", url.trim()));
    let rename = [
        "--emulator",
        "modify",
        "--provider",
        "ens",
        "--image-id",
        "m-5xxgg",
        "--name",
        "web-v2",
    ];
    let renamed = imgctl(home.path(), &rename, &env);
    let describe = [
        "--emulator",
        "describe",
        "--provider",
        "ens",
        "--image-id",
        "m-5xxgg",
    ];
    let described = imgctl(home.path(), &describe, &env);
    let far = imgctl(
        home.path(),
        &describe,
        &[("IMGCTL_EMULATOR_URL", "http://192.0.2.1:80")],
    );
    let _ = child.kill();
    let _ = child.wait();
    drop(out);
    assert_eq!(renamed.status.code(), Some(0), "{}", stderr(&renamed));
    assert_eq!(json(&described)["name"], "web-v2", "{}", stderr(&described));
    assert_eq!(far.status.code(), Some(2));
}

#[test]
fn serve_prints_the_endpoint_first_and_answers() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args(["emulator", "--speed", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    let url = line.trim().to_string();
    let addr = url
        .strip_prefix("http://127.0.0.1:")
        .map(|p| format!("127.0.0.1:{p}"));
    let mut body = String::new();
    if let Some(a) = &addr {
        let mut s = TcpStream::connect(a).unwrap();
        s.write_all(b"GET /__imgctl/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        s.read_to_string(&mut body).unwrap();
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(out);
    assert!(addr.is_some(), "first line: {line:?}");
    assert!(body.contains(r#""speed_ms":0"#), "{body}");
}

#[test]
fn refuses_non_loopback_and_bad_fault_specs() {
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(home.path(), &["emulator", "--listen", "0.0.0.0:0"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("loopback"), "{}", stderr(&o));
    let o = imgctl(
        home.path(),
        &["emulator", "--fault", "ens:CreateImage:explode"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "describe",
            "--provider",
            "ec2",
            "--image-id",
            "ami-0abc",
        ],
        &[("IMGCTL_EMULATOR_FAULTS", "nope")],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn ec2_readme_examples_run_against_the_emulator() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--emulator", "--poll-interval", "10ms"];
        if !args.contains(&"--wait") {
            all.truncate(1);
        }
        all.extend_from_slice(args);
        imgctl(home.path(), &all, HOSTILE_ENV)
    };
    let o = run(&[
        "create",
        "--provider",
        "ec2",
        "--region",
        "us-east-1",
        "--instance-id",
        "i-1234567890abcdef0",
        "--name",
        "web-v1",
        "--no-reboot",
        "--block-device-mapping",
        "DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3}",
        "--tag",
        "team=web",
        "--wait",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_prefix(&v, "image_id", "ami-");
    assert_eq!(v["status"], "available");

    let o = run(&[
        "modify",
        "--provider",
        "ec2",
        "--image-id",
        "ami-0abc",
        "--launch-permission-add",
        "123456789012",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let o = run(&[
        "import",
        "--provider",
        "ec2",
        "--url",
        "s3://my-bucket/disk1.vmdk",
        "--format",
        "VMDK",
        "--wait",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_prefix(&v, "task_id", "import-ami-");
    assert_prefix(&v, "image_id", "ami-");

    let o = run(&[
        "--dry-run",
        "create",
        "--provider",
        "ec2",
        "--instance-id",
        "i-1234567890abcdef0",
        "--name",
        "dry-v1",
    ]);
    assert_eq!(
        (o.status.code(), json(&o)["dry_run"].as_bool()),
        (Some(0), Some(true)),
        "{}",
        stderr(&o)
    );

    // Refusals come back with the cloud's code and imgctl's exit code.
    let o = run(&[
        "create",
        "--provider",
        "ec2",
        "--instance-id",
        "i-0000000000000dead",
        "--name",
        "web-v1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("InvalidInstanceID.NotFound"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ec2_faults_from_the_clients_side() {
    let home = tempfile::tempdir().unwrap();
    let create = [
        "--emulator",
        "create",
        "--provider",
        "ec2",
        "--instance-id",
        "i-1234567890abcdef0",
        "--name",
        "web-v1",
    ];
    let with = |faults: &str, extra: &[&str]| {
        let mut env = HOSTILE_ENV.to_vec();
        env.push(("IMGCTL_EMULATOR_FAULTS", faults));
        let mut args = create.to_vec();
        args.extend_from_slice(extra);
        imgctl(home.path(), &args, &env)
    };
    // Two throttles, then success: the transport's retries get through.
    let o = with("ec2:CreateImage:throttle:2", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // With one attempt only, the throttle is the answer: exit 5.
    let o = with("ec2:CreateImage:throttle:1", &["--max-attempts", "1"]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("RequestLimitExceeded"),
        "{}",
        stderr(&o)
    );
    // A dropped connection after the create: ambiguous, never resent,
    // and recovered by name and time (the emulator made the image).
    let o = with("ec2:CreateImage:drop:3", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["recovered"], true);
    // A truncated answer is a bad response, not a panic; the image was
    // made, and is recovered too.
    let o = with("ec2:CreateImage:truncate", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["recovered"], true);
    assert!(!stderr(&o).contains("panicked"));
    // An image that ends failed: --wait exits 7 with the ids printed.
    let o = with(
        "ec2:CreateImage:fail_image",
        &["--wait", "--poll-interval", "10ms"],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert_eq!(json(&o)["status"], "failed");
}

#[test]
fn a_slow_answer_is_retried_only_when_safe() {
    let home = tempfile::tempdir().unwrap();
    let mut env = HOSTILE_ENV.to_vec();
    env.push((
        "IMGCTL_EMULATOR_FAULTS",
        "ec2:DescribeImages:delay;ec2:CreateImage:delay",
    ));
    let fast = ["--emulator", "--read-timeout", "300ms"];
    let mut describe = fast.to_vec();
    describe.extend_from_slice(&["describe", "--provider", "ec2", "--image-id", "ami-0abc"]);
    let o = imgctl(home.path(), &describe, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut create = fast.to_vec();
    create.extend_from_slice(&[
        "create",
        "--provider",
        "ec2",
        "--instance-id",
        "i-1234567890abcdef0",
        "--name",
        "slow-v1",
    ]);
    // Slower than the read timeout: never resent; the look-up finds the
    // image the create made and recovers it.
    let o = imgctl(home.path(), &create, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(r#""recovered":true"#), "{}", stdout(&o));
}

#[test]
fn config_show_with_emulator_shows_its_settings() {
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &["--emulator", "config", "show", "--provider", "ims"],
        HOSTILE_ENV,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert!(
        v["endpoint_url"]["value"]
            .as_str()
            .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
        "{v}"
    );
    assert_eq!(v["region"]["value"], "cn-north-4");
    assert_eq!(v["project_id"]["value"], "0123456789abcdef0123456789abcdef");
    assert_eq!(v["user_name"]["value"], "demo");
    assert!(!stdout(&o).contains("imgctl-demo-secret"));
}

/// Runs the binary with a clean environment like `common::imgctl`, but
/// kills it after `limit`: a test must fail, not hang.
fn imgctl_within(
    home: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: std::time::Duration,
) -> std::process::Output {
    let mut child = spawn(home, args, env);
    let start = std::time::Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!(
                "imgctl {args:?} still running after {limit:?}; stderr: {}",
                stderr(&o)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

fn spawn(home: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_imgctl"));
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("IMGCTL_HUAWEI_METADATA_ENDPOINT", "http://127.0.0.1:1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c.spawn().expect("spawn imgctl")
}

/// A wait on an id nobody just created is answered at once, as describe
/// answers it: the "not visible yet" grace is only for a wait after a create.
#[test]
fn wait_on_an_unknown_id_is_not_found_at_once() {
    let home = tempfile::tempdir().unwrap();
    // Far below the 60 s grace, far above a few requests.
    let limit = std::time::Duration::from_secs(30);
    for (p, flag, id) in [
        ("ens", "--image-id", "m-doesnotexist"),
        ("ecs", "--image-id", "m-doesnotexist"),
        ("ec2", "--image-id", "ami-doesnotexist"),
        ("ims", "--image-id", "00000000-0000-0000-0000-000000000000"),
        ("ims", "--job-id", "ff8080814dbd65d7014dbe0d00000000"),
        ("ec2", "--task-id", "import-ami-0000000000000000a"),
    ] {
        let o = imgctl_within(
            home.path(),
            &["--emulator", "wait", "--provider", p, flag, id],
            &[],
            limit,
        );
        assert_eq!(o.status.code(), Some(1), "{p} {flag}: {}", stderr(&o));
        let e = stderr(&o).to_lowercase();
        assert!(
            e.contains("not found") || e.contains("does not exist"),
            "{p}: {e}"
        );
        assert_eq!(stdout(&o), "", "{p}: nothing to print for an unknown id");
    }
    for flag in ["--image-id", "--job-id"] {
        let o = imgctl(
            home.path(),
            &["--emulator", "wait", "--provider", "ims", flag, " "],
            &[],
        );
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", stderr(&o));
        assert!(stderr(&o).contains("must not be empty"), "{}", stderr(&o));
    }
}

/// `imgctl emulator --speed SPEED` in the background, killed when dropped.
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

    /// An admin API request; the answer's body.
    fn admin(&self, method: &str, path: &str, body: &str) -> String {
        let addr = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect to the emulator");
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).expect("send");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("read");
        answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }

    fn calls(&self, operation: &str) -> usize {
        self.admin("GET", "/__imgctl/calls", "")
            .matches(&format!(r#""operation":"{operation}""#))
            .count()
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![("IMGCTL_EMULATOR_URL", self.url.as_str())]
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const EC2_CREATE: &[&str] = &[
    "--emulator",
    "create",
    "--provider",
    "ec2",
    "--instance-id",
    "i-1234567890abcdef0",
    "--name",
    "web-v1",
];

/// A --query that cannot compile costs nothing; one that fails on the
/// answer never hides the id of what was made.
#[test]
fn a_bad_query_never_loses_the_id() {
    let emu = Running::start("0");
    let home = tempfile::tempdir().unwrap();
    let mut args = EC2_CREATE.to_vec();
    args.extend(["--query", "foo["]);
    let o = imgctl(home.path(), &args, &emu.env());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--query"), "{}", stderr(&o));
    assert_eq!(emu.calls("CreateImage"), 0, "nothing may be sent");

    let mut args = EC2_CREATE.to_vec();
    args.extend(["--query", "abs(image_id)"]);
    let o = imgctl(home.path(), &args, &emu.env());
    assert_eq!(emu.calls("CreateImage"), 1);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_prefix(&json(&o), "image_id", "ami-");
    assert!(stderr(&o).contains("--query"), "{}", stderr(&o));
}

fn send_signal(child: &std::process::Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(ok.success(), "kill -{name}");
}

/// Polls `until` for up to 20 s.
fn eventually(what: &str, mut until: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !until() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn finish(child: std::process::Child) -> std::process::Output {
    let start = std::time::Instant::now();
    let mut child = child;
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("imgctl did not stop after the signal");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

/// A signal during --wait stops polling, prints the outcome with the id
/// and the last status seen, and exits 128 + the signal's number.
#[test]
fn a_signal_during_the_wait_prints_the_id_and_exits_130_or_143() {
    // Slow phases: the image is still being made when the signal comes.
    let emu = Running::start("1m");
    let home = tempfile::tempdir().unwrap();
    for (n, (signal, code)) in [("INT", 130), ("TERM", 143)].into_iter().enumerate() {
        let name = format!("web-sig{n}");
        let child = spawn(
            home.path(),
            &[
                "--emulator",
                "create",
                "--provider",
                "ens",
                "--instance-id",
                "i-demo-ens",
                "--name",
                &name,
                "--wait",
            ],
            &emu.env(),
        );
        eventually("the first status check", || {
            emu.calls("DescribeSelfImages") > n
        });
        send_signal(&child, signal);
        let o = finish(child);
        assert_eq!(o.status.code(), Some(code), "{signal}: {}", stderr(&o));
        let v = json(&o);
        assert_prefix(&v, "image_id", "m-");
        assert_eq!(v["name"], name.as_str(), "{v}");
        assert_eq!(v["status"], "Creating", "the last status seen: {v}");
    }
}

/// A signal while the create request has no answer yet: nothing to print,
/// but stderr says the image may exist and names it.
#[test]
fn a_signal_during_the_create_request_names_the_image() {
    let emu = Running::start("0");
    emu.admin(
        "POST",
        "/__imgctl/faults",
        r#"{"provider":"ens","operation":"CreateImage","kind":"delay","delay_ms":60000}"#,
    );
    let home = tempfile::tempdir().unwrap();
    let child = spawn(
        home.path(),
        &[
            "--emulator",
            "create",
            "--provider",
            "ens",
            "--instance-id",
            "i-demo-ens",
            "--name",
            "web-inflight",
            "--wait",
        ],
        &emu.env(),
    );
    eventually("the create request", || {
        emu.admin("GET", "/__imgctl/faults", "")
            .contains(r#""fired":1"#)
    });
    send_signal(&child, "INT");
    let o = finish(child);
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("'web-inflight' may have been created"), "{e}");
    assert_eq!(stdout(&o), "");
}

/// stderr is a pipe here, as in CI: one plain line per status, no `\r`,
/// no escape codes; `--quiet` leaves stderr empty.
#[test]
fn a_wait_in_a_pipeline_writes_one_line_per_status() {
    let home = tempfile::tempdir().unwrap();
    let env = [("IMGCTL_EMULATOR_SPEED", "0")];
    let args = [
        "--emulator",
        "create",
        "--provider",
        "ens",
        "--instance-id",
        "i-demo-ens",
        "--name",
        "ci-log",
        "--wait",
        "--poll-interval",
        "10ms",
    ];
    let o = imgctl(home.path(), &args, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
    let id = json(&o)["image_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let lines: Vec<&str> = err.lines().collect();
    let statuses: Vec<&str> = lines
        .iter()
        .map(|l| {
            let rest = l.strip_prefix(&format!("image {id} ")).unwrap_or("?");
            rest.split(" after ").next().unwrap_or("?")
        })
        .collect();
    assert_eq!(
        statuses,
        ["Creating", "Packing", "Uploading", "Available"],
        "{err}"
    );
    assert!(lines.iter().all(|l| l.ends_with('s')), "{err}");

    let mut quiet = args.to_vec();
    quiet[7] = "ci-log-quiet";
    quiet.push("--quiet");
    let o = imgctl(home.path(), &quiet, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    // Without a wait there is nothing to silence: refused, not ignored.
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "describe",
            "--provider",
            "ens",
            "--image-id",
            "m-5xxgg",
            "--quiet",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A token fetched from the emulator is cached for the run only: in a
/// private temporary directory that goes with the process, never in the
/// user's cache.
#[test]
fn emulator_runs_leave_no_token_in_the_users_cache() {
    let home = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().to_str().unwrap();
    let o = imgctl(
        home.path(),
        &[
            "--emulator",
            "create",
            "--provider",
            "ims",
            "--auth-mode",
            "token",
            "--instance-id",
            "i-demo-ims",
            "--name",
            "no-cache",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[("IMGCTL_EMULATOR_SPEED", "0"), ("TMPDIR", tmpdir)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!home.path().join(".cache/imgctl").exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn config_show_with_emulator_and_no_provider_shows_all_four() {
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(home.path(), &["--emulator", "config", "show"], HOSTILE_ENV);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    for p in ["ens", "ecs", "ec2", "ims"] {
        assert!(
            v[p]["endpoint_url"]["value"]
                .as_str()
                .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
            "{p}: {v}"
        );
    }
    assert_eq!(v["ims"]["password"]["source"], "env HW_PASSWORD");
    // No file of the user's is read with --emulator.
    assert_eq!(v["config_file"], Value::Null);
    assert!(!stdout(&o).contains("imgctl-demo-secret"));
}

/// The start-up banner: the endpoint first, then the seeded ids of every
/// provider, so a person can try a command without reading the docs.
#[test]
fn the_emulator_prints_its_seeded_ids_at_start() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .arg("emulator")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    for _ in 0..12 {
        if out.read_line(&mut banner).unwrap_or(0) == 0 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(banner.starts_with("http://127.0.0.1:"), "{banner}");
    for line in [
        "ens (global): instances i-5rr1bnyrc4tswr8cq3w6y, i-demo-ens; images m-5xxggsu4qy1bzvwpsmktamv6a",
        "ecs cn-hangzhou: instances i-bp67acfmxazb4p****, i-demo-ecs; images m-bp18ygjuqnwhechc",
        "ec2 us-east-1: instances i-1234567890abcdef0, i-0demo00000000000a; images ami-0abcdef1234567890",
        "ims cn-north-4: instances 877a2cda-ba63-4e1e-b95f-e67e48b6129a, i-demo-ims; images 33ad552d-1149-471c-8575-f1d02b9f3d1d",
    ] {
        assert!(banner.contains(line), "{line} missing from:\n{banner}");
    }
}
