//! Issue 9, "trust before features", through the real binary: what imgctl
//! reads from disk and where it sends signed requests must not be chosen
//! by someone else — a file's error never echoes the file, a cache file
//! anyone could have written is not used, a missing HOME reads nothing
//! from the current directory, and the region text never picks the host.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Reply, Server, imgctl, stderr, stdout};

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

/// The binary with exactly `env` (plus PATH), in `cwd`: no HOME, no XDG
/// variables unless the test gives them.
fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_imgctl"));
    c.args(args).env_clear().current_dir(cwd);
    c.env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run imgctl")
}

fn assert_quiet_about(o: &Output, secret: &str) {
    assert!(
        !stdout(o).contains(secret) && !stderr(o).contains(secret),
        "{secret} leaked: {}{}",
        stdout(o),
        stderr(o)
    );
}

// ---- 3. a file's error names the file, line and key, never the content

fn config_show_error(home: &Path, provider: &str, secret: &str) -> String {
    let o = imgctl(home, &["config", "show", "--provider", provider], &[]);
    assert_quiet_about(&o, secret);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn toml_errors_name_file_line_and_key_but_not_the_value() {
    let cases = [
        // A typo'd key: the key is named, its value is not shown.
        (
            "access_key_sercet = \"SEKRET-TOML-1\"\n",
            "SEKRET-TOML-1",
            "access_key_sercet",
        ),
        // An unquoted secret.
        (
            "secret_access_key = SEKRET-TOML-2\n",
            "SEKRET-TOML-2",
            "secret_access_key",
        ),
        // A secret in a field of another type.
        (
            "max_attempts = \"SEKRET-TOML-3\"\n",
            "SEKRET-TOML-3",
            "max_attempts",
        ),
    ];
    for (line, secret, key) in cases {
        let home = tempfile::tempdir().unwrap();
        let path = write(
            home.path(),
            ".config/imgctl/config.toml",
            &format!("[profiles.default]\nprovider = \"ecs\"\n{line}"),
        );
        let err = config_show_error(home.path(), "ecs", secret);
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains(key), "{err}");
    }
}

#[test]
fn cloud_file_errors_never_echo_the_file() {
    // ~/.aliyun/config.json: a secret where a profile object belongs.
    let home = tempfile::tempdir().unwrap();
    let path = write(
        home.path(),
        ".aliyun/config.json",
        "{\"current\": \"default\",\n \"profiles\": [\"SEKRET-JSON-1\"]}\n",
    );
    let err = config_show_error(home.path(), "ecs", "SEKRET-JSON-1");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("line 2"), "{err}");

    // ~/.aws/credentials and ~/.huaweicloud/credentials: broken INI.
    for (provider, rel) in [
        ("ec2", ".aws/credentials"),
        ("ec2", ".aws/config"),
        ("ims", ".huaweicloud/credentials"),
    ] {
        let home = tempfile::tempdir().unwrap();
        let path = write(
            home.path(),
            rel,
            "[default]\naws_secret_access_key = SEKRET-INI-1\n[basic\nsk = SEKRET-INI-1\n",
        );
        let err = config_show_error(home.path(), provider, "SEKRET-INI-1");
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("line "), "{err}");
    }
}

fn image_id(provider: &str) -> &'static str {
    match provider {
        "ec2" => "ami-12345678",
        "ims" => "e9e91bff-0000-4e1e-b95f-e67e48b6129a",
        _ => "m-abc123",
    }
}

// ---- 5. without a home directory no home file is read

#[test]
fn without_home_nothing_is_read_from_the_current_directory() {
    let server = Server::start(|_, _| Reply::json(500, "{}"));
    let cwd = tempfile::tempdir().unwrap();
    write(
        cwd.path(),
        ".aws/config",
        &format!(
            "[default]\nregion = us-east-1\nendpoint_url = {}\n",
            server.url
        ),
    );
    write(
        cwd.path(),
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIAPLANTED0000\naws_secret_access_key = planted-secret\n",
    );
    write(
        cwd.path(),
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAIplanted","access_key_secret":"planted-secret","region_id":"cn-hangzhou"}]}"#,
    );
    write(
        cwd.path(),
        ".huaweicloud/credentials",
        "[basic]\nak = AKPLANTED\nsk = planted-secret\nproject_id = p1\n",
    );
    write(
        cwd.path(),
        "rel/imgctl/config.toml",
        &format!(
            "[profiles.default]\nprovider = \"ec2\"\nregion = \"us-east-1\"\nendpoint_url = \"{}\"\naccess_key_id = \"AKIAPLANTED1111\"\nsecret_access_key = \"planted-secret\"\n",
            server.url
        ),
    );
    let describe = |provider: &str| {
        vec![
            "--provider".to_string(),
            provider.to_string(),
            "--max-attempts".into(),
            "1".into(),
            "describe".into(),
            "--image-id".into(),
            image_id(provider).into(),
        ]
    };
    let endpoint = ["--endpoint-url".to_string(), server.url.clone()];
    type Run<'a> = (Vec<String>, Vec<(&'a str, &'a str)>);
    let runs: Vec<Run> = vec![
        (describe("ec2"), vec![]),
        (describe("ec2"), vec![("HOME", "")]),
        (describe("ec2"), vec![("HOME", ".")]),
        ([&endpoint[..], &describe("ecs")].concat(), vec![]),
        (
            [&endpoint[..], &describe("ims")].concat(),
            vec![("HW_REGION_NAME", "cn-north-4")],
        ),
        // A relative XDG_CONFIG_HOME is ignored as the XDG spec says.
        (describe("ec2"), vec![("XDG_CONFIG_HOME", "rel")]),
    ];
    for (args, env) in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run_in(cwd.path(), &args, &env);
        assert_quiet_about(&o, "planted-secret");
        assert!(
            server.requests().is_empty(),
            "{args:?} {env:?} sent a request to the endpoint planted in the cwd: {}",
            stderr(&o)
        );
        assert_eq!(o.status.code(), Some(3), "{args:?} {env:?}: {}", stderr(&o));
    }
}
