//! N imgctl runs that start together with an empty credential cache make
//! one IAM token request (and one project-id look-up), not N: the first
//! takes the cache entry's lock and fetches, the others wait for it and
//! reuse what it wrote. Against `imgctl emulator`, whose call log counts
//! what IAM was asked; the first token (or look-up) answer is held back
//! half a second so that every run is inside the race.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};

use common::stderr;
use serde_json::Value;

const RUNS: usize = 8;

/// The emulator's demo IAM user.
const TOKEN_ENV: &[(&str, &str)] = &[
    ("HW_USER_NAME", "demo"),
    ("HW_PASSWORD", "imgctl-demo-secret"),
    ("HW_DOMAIN_NAME", "demo"),
];

/// `describe` of the seeded IMS image in token mode against the emulator.
fn token_args(url: &str, region: &str) -> Vec<String> {
    [
        "--provider",
        "ims",
        "--auth-mode",
        "token",
        "--region",
        region,
        "--endpoint-url",
        url,
        "--iam-endpoint-url",
        url,
        "describe",
        "--image-id",
        "33ad552d-1149-471c-8575-f1d02b9f3d1d",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

struct Emulator {
    child: Child,
    _out: BufReader<ChildStdout>,
    url: String,
}

impl Emulator {
    fn start() -> Emulator {
        let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
            .args(["emulator", "--speed", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut url = String::new();
        out.read_line(&mut url)
            .expect("the emulator prints its URL");
        Emulator {
            child,
            _out: out,
            url: url.trim().to_string(),
        }
    }

    fn admin(&self, method: &str, path: &str, body: &str) -> Value {
        let addr = self.url.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("connect to the emulator");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut text = String::new();
        s.read_to_string(&mut text).expect("read");
        let json = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        serde_json::from_str(json).unwrap_or(Value::Null)
    }

    fn calls(&self, operation: &str) -> usize {
        self.admin("GET", "/__imgctl/calls", "")
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["operation"] == operation)
            .count()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `RUNS` imgctl processes at once with one HOME; waits for all.
fn together(home: &std::path::Path, args: &[&str], env: &[(&str, &str)]) {
    let children: Vec<Child> = (0..RUNS)
        .map(|_| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_imgctl"));
            c.args(args).env_clear();
            c.env("PATH", std::env::var("PATH").unwrap_or_default());
            c.env("HOME", home);
            c.env("XDG_CONFIG_HOME", home.join(".config"));
            c.env("XDG_CACHE_HOME", home.join(".cache"));
            for (k, v) in env {
                c.env(k, v);
            }
            c.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run imgctl")
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
}

#[test]
fn parallel_runs_fetch_one_token() {
    let emu = Emulator::start();
    emu.admin(
        "POST",
        "/__imgctl/faults",
        r#"{"operation":"KeystoneCreateUserTokenByPassword","kind":"delay","delay_ms":500}"#,
    );
    let home = tempfile::tempdir().expect("tempdir");
    // Not --emulator: its runs keep their tokens in a directory of their
    // own. The user's cache, as a real run uses it.
    let args = token_args(&emu.url, "cn-north-4");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    together(home.path(), &refs, TOKEN_ENV);
    assert_eq!(
        emu.calls("KeystoneCreateUserTokenByPassword"),
        1,
        "{RUNS} runs with an empty cache asked IAM for more than one token"
    );
    assert_eq!(emu.calls("ListImages"), RUNS);
    // The cache and its lock stay private.
    #[cfg(unix)]
    for e in std::fs::read_dir(home.path().join(".cache/imgctl/huawei")).expect("cache dir") {
        use std::os::unix::fs::PermissionsExt;
        let e = e.expect("entry");
        let mode = e.metadata().expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", e.path().display());
    }
}

#[test]
fn parallel_runs_look_the_project_id_up_once() {
    let emu = Emulator::start();
    emu.admin(
        "POST",
        "/__imgctl/faults",
        r#"{"operation":"KeystoneListProjects","kind":"delay","delay_ms":500}"#,
    );
    let home = tempfile::tempdir().expect("tempdir");
    together(
        home.path(),
        &[
            "--provider",
            "ims",
            "--region",
            "cn-north-4",
            "--endpoint-url",
            &emu.url,
            "--iam-endpoint-url",
            &emu.url,
            "describe",
            "--image-id",
            "33ad552d-1149-471c-8575-f1d02b9f3d1d",
        ],
        &[
            ("HUAWEICLOUD_SDK_AK", "imgctl-demo"),
            ("HUAWEICLOUD_SDK_SK", "imgctl-demo-secret"),
        ],
    );
    assert_eq!(
        emu.calls("KeystoneListProjects"),
        1,
        "{RUNS} runs with an empty cache looked the project id up more than once"
    );
}

/// The token is scoped to the region's project: a run in another region
/// with the same user must not reuse it (the cache key holds the region).
#[test]
fn the_token_cache_is_per_region() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().expect("tempdir");
    for region in [
        "cn-north-4",
        "ap-southeast-1",
        "cn-north-4",
        "ap-southeast-1",
    ] {
        let args = token_args(&emu.url, region);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = common::imgctl(home.path(), &refs, TOKEN_ENV);
        // The seeded image lives in cn-north-4: elsewhere it is not found.
        let want = if region == "cn-north-4" { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(want), "{region}: {}", stderr(&o));
    }
    assert_eq!(
        emu.calls("KeystoneCreateUserTokenByPassword"),
        2,
        "one token per region, each reused once"
    );
}
