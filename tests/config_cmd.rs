//! `imgctl config show|set|get` and `imgctl configure` through the real
//! binary with a temporary HOME. `config show` is checked against
//! snapshots in tests/snapshots/ (the temporary HOME reads `$HOME`);
//! `IMGCTL_UPDATE_SNAPSHOTS=1 cargo test --test config_cmd` rewrites them
//! after a deliberate change.

mod common;

use std::fs;
use std::path::Path;

use common::{imgctl, stderr, stdout};

const SECRETS: &[&str] = &[
    "env-secret-XYZ",
    "file-secret-XYZ",
    "hw-sk-XYZ",
    "piped-secret-XYZ",
];

fn write(home: &Path, rel: &str, text: &str) {
    let p = home.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A machine with something for every provider: AWS keys in the
/// environment, an aliyun CLI profile, Huawei's credentials file, and an
/// imgctl profile using an alias spelling (`sk`).
fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    write(
        h,
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAIfile0000abcd","access_key_secret":"file-secret-XYZ","region_id":"cn-shanghai"}]}"#,
    );
    write(
        h,
        ".huaweicloud/credentials",
        "[basic]\nak = HWAKFILE00005678\nsk = hw-sk-XYZ\nproject_id = 0123456789abcdef0123456789abcdef\n",
    );
    write(
        h,
        ".config/imgctl/config.toml",
        "# mine\n[profiles.edge]\nprovider = \"ens\"\naccess_key_id = \"LTAIprof0000wxyz\"\nsk = \"file-secret-XYZ\"\nread_timeout = \"2m\"\n",
    );
    home
}

const ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "AKIAENV000001111"),
    ("AWS_SECRET_ACCESS_KEY", "env-secret-XYZ"),
    ("AWS_REGION", "eu-west-1"),
    ("HW_REGION_NAME", "cn-north-4"),
];

fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let o = imgctl(home, args, env);
    let (out, err) = (stdout(&o), stderr(&o));
    for s in SECRETS {
        assert!(
            !out.contains(s) && !err.contains(s),
            "{s} leaked: {out}{err}"
        );
    }
    o
}

fn snapshot(name: &str, home: &Path, actual: &str) {
    let mut actual = actual.replace(home.to_str().unwrap(), "$HOME");
    if name.ends_with(".table") {
        // Columns are aligned (checked here); the width depends on where
        // the temporary HOME is, so the snapshot keeps two spaces.
        let mut lines = actual.lines();
        let header = lines.next().unwrap_or_default();
        let col = header.find("SOURCE").unwrap();
        for l in actual
            .replace("$HOME", home.to_str().unwrap())
            .lines()
            .skip(1)
        {
            if l.len() > col {
                assert!(
                    l.is_char_boundary(col)
                        && !l[col..].starts_with(' ')
                        && l[..col].ends_with("  "),
                    "not aligned: {l}"
                );
            }
        }
        let squeeze = |l: &str| {
            l.split("  ")
                .filter(|c| !c.is_empty())
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("  ")
        };
        actual = actual.lines().map(squeeze).collect::<Vec<_>>().join("\n") + "\n";
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("IMGCTL_UPDATE_SNAPSHOTS").is_some() {
        fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs (IMGCTL_UPDATE_SNAPSHOTS=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn show_every_provider_json_and_table() {
    let home = home();
    for (args, snap) in [
        (&["config", "show"][..], "config_show_all.json"),
        (
            &["config", "show", "--output", "table"][..],
            "config_show_all.table",
        ),
        (
            &["config", "show", "--output", "text"][..],
            "config_show_all.text",
        ),
    ] {
        let o = run(home.path(), args, ENV);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        snapshot(snap, home.path(), &stdout(&o));
    }
}

#[test]
fn show_one_provider_json_and_table() {
    let home = home();
    for (args, snap) in [
        (
            &["config", "show", "--provider", "ec2"][..],
            "config_show_ec2.json",
        ),
        (
            &["config", "show", "--provider", "ims", "--output", "table"][..],
            "config_show_ims.table",
        ),
        (
            &["config", "show", "--profile", "edge", "--output", "table"][..],
            "config_show_profile.table",
        ),
        (
            &["config", "show", "--provider", "ens", "--profile", "edge"][..],
            "config_show_ens_profile.json",
        ),
    ] {
        let o = run(home.path(), args, ENV);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        snapshot(snap, home.path(), &stdout(&o));
    }
}

/// The cases the issue names, without a snapshot to read.
#[test]
fn show_names_the_exact_source() {
    let home = home();
    let o = run(home.path(), &["config", "show", "--provider", "ec2"], ENV);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["secret_access_key"]["source"],
        "env AWS_SECRET_ACCESS_KEY"
    );
    assert!(v.get("password").is_none(), "{v}");
    let o = run(home.path(), &["config", "show", "--provider", "ecs"], ENV);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let src = v["secret_access_key"]["source"].as_str().unwrap();
    assert!(
        src.ends_with(".aliyun/config.json profile 'default', key access_key_secret"),
        "{src}"
    );
    assert!(
        v["region"]["source"]
            .as_str()
            .unwrap()
            .ends_with("key region_id")
    );
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn set_and_get_round_trip_owner_only() {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};

    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let file = h.join(".config/imgctl/config.toml");
    for (k, v, stored) in [
        ("provider", "aws", "ec2"),
        ("region", "us-west-2", "us-west-2"),
        (
            "endpoint_url",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080",
        ),
        ("access_key_id", "AKIASET000002222", "AKIASET000002222"),
        ("read_timeout", "90s", "90s"),
        ("max_attempts", "5", "5"),
        ("auth_mode", "TOKEN", "token"),
    ] {
        let o = run(h, &["config", "set", k, v, "--profile", "dev"], &[]);
        assert_eq!(o.status.code(), Some(0), "{k}: {}", stderr(&o));
        assert_eq!(mode(&file), 0o600, "{k}");
        assert_eq!(mode(file.parent().unwrap()), 0o700);
        let o = run(h, &["config", "get", k, "--profile", "dev"], &[]);
        assert_eq!(
            (o.status.code(), stdout(&o)),
            (Some(0), format!("{stored}\n"))
        );
    }
    // A secret from stdin: stored, never printed back.
    let mut c = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args([
            "config",
            "set",
            "secret_access_key",
            "-",
            "--profile",
            "dev",
        ])
        .env_clear()
        .env("HOME", h)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"piped-secret-XYZ\n")
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        fs::read_to_string(&file)
            .unwrap()
            .contains("secret_access_key = \"piped-secret-XYZ\"")
    );
    let o = run(
        h,
        &["config", "get", "secret_access_key", "--profile", "dev"],
        &[],
    );
    assert_eq!(stdout(&o), "****\n");
    // What was written is what imgctl reads.
    let o = run(
        h,
        &["--profile", "dev", "config", "show", "--provider", "ec2"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["region"]["value"], "us-west-2");
    assert_eq!(v["max_attempts"]["value"], 5);
    assert!(
        v["secret_access_key"]["source"]
            .as_str()
            .unwrap()
            .ends_with("key secret_access_key")
    );

    // A file someone made readable is narrowed, never left wide.
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    let o = run(h, &["config", "set", "default_profile", "dev"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("was mode 644"), "{}", stderr(&o));
    assert_eq!(mode(&file), 0o600);
    let o = run(h, &["config", "get", "region"], &[]);
    assert_eq!(stdout(&o), "us-west-2\n", "default_profile picks dev");

    // Refusals: a secret on the command line, bad values, unknown keys.
    for (args, code) in [
        (
            &["config", "set", "secret_access_key", "piped-secret-XYZ"][..],
            2,
        ),
        (&["config", "set", "provider", "gcp"][..], 2),
        (&["config", "set", "max_attempts", "11"][..], 2),
        (&["config", "set", "read_timeout", "1ms"][..], 2),
        (&["config", "set", "endpoint_url", "ftp://x"][..], 2),
        (&["config", "set", "colour", "blue"][..], 2),
        (
            &["config", "set", "region", "eu-west-1", "--output", "json"][..],
            2,
        ),
        (&["config", "get", "project_id"][..], 3),
    ] {
        let o = run(h, args, &[]);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
    }
    assert!(!fs::read_to_string(&file).unwrap().contains("gcp"));
}

#[test]
fn set_keeps_comments_and_replaces_an_alias_spelling() {
    let home = home();
    let file = home.path().join(".config/imgctl/config.toml");
    let o = run(
        home.path(),
        &["config", "set", "region", "cn-beijing", "--profile", "edge"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# mine\n") && text.contains("region = \"cn-beijing\""),
        "{text}"
    );
}

#[test]
fn configure_without_a_terminal_refuses_and_names_config_set() {
    let home = tempfile::tempdir().unwrap();
    // Cargo's test runner gives the binary no terminal on stdin.
    let o = run(home.path(), &["configure", "--profile", "dev"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("imgctl config set"), "{}", stderr(&o));
    assert!(!home.path().join(".config/imgctl/config.toml").exists());
}

#[test]
fn help_lists_the_topics_and_prints_the_guides() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["help"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for t in ["exit-codes", "ens", "ecs", "ec2", "ims", "emulator"] {
        assert!(out.contains(&format!("\n  {t} ")), "{t}: {out}");
    }
    for t in ["ens", "ecs", "ec2", "ims"] {
        let o = run(home.path(), &["help", t], &[]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("imgctl create"), "{t}");
    }
    let o = run(home.path(), &["help", "nope"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exit-codes"));
}

#[test]
fn show_without_provider_reports_a_bad_provider_choice() {
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &["config", "show"],
        &[("IMGCTL_PROVIDER", "gcp")],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["provider"]["source"]
            .as_str()
            .unwrap()
            .contains("unknown provider 'gcp'")
    );
    assert!(v["ec2"]["max_attempts"]["value"].is_number(), "{v}");
    // Nothing chosen at all is simply "not set".
    let o = run(home.path(), &["config", "show"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A file that does not parse is left alone, and the error shows where,
/// never the text (an unquoted secret is the usual culprit).
#[test]
fn set_refuses_a_broken_file_without_quoting_it() {
    let home = tempfile::tempdir().unwrap();
    let broken = "[profiles.dev]\nsk = piped-secret-XYZ\n";
    write(home.path(), ".config/imgctl/config.toml", broken);
    let o = run(
        home.path(),
        &["config", "set", "region", "us-east-1", "--profile", "dev"],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    let file = home.path().join(".config/imgctl/config.toml");
    assert_eq!(fs::read_to_string(file).unwrap(), broken);
}
