//! Issue 9, "trust before features", through the real binary: what imgctl
//! reads from disk and where it sends signed requests must not be chosen
//! by someone else — a file's error never echoes the file, a cache file
//! anyone could have written is not used, a missing HOME reads nothing
//! from the current directory, and the region text never picks the host.

mod common;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};

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
    c.env("AWS_EC2_METADATA_DISABLED", "true");
    c.env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    c.env("IMGCTL_HUAWEI_METADATA_ENDPOINT", "http://127.0.0.1:1");
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

// ---- 4. the Huawei token cache is used only when it is private

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const IMAGE: &str = "e9e91bff-0000-4e1e-b95f-e67e48b6129a";

fn token_value(n: usize) -> String {
    format!("MIIatAYJKoZIhvcNAQcCoII-trust-token-{n}-0123456789abcdef")
}

/// IAM and IMS on one server; tokens numbered from 1.
fn huawei() -> (Server, Arc<AtomicUsize>) {
    let tokens = Arc::new(AtomicUsize::new(0));
    let issued = tokens.clone();
    let server = Server::start(move |_, r: &Recorded| {
        if r.method == "POST" && r.target.starts_with("/v3/auth/tokens") {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(
                201,
                &format!(
                    r#"{{"token":{{"expires_at":"2099-01-04T09:05:22.701000Z","project":{{"id":"{PROJECT}","name":"cn-north-4"}}}}}}"#
                ),
            )
            .header("X-Subject-Token", &token_value(n));
        }
        Reply::json(
            200,
            &format!(r#"{{"images":[{{"id":"{IMAGE}","name":"web","status":"active"}}]}}"#),
        )
    });
    (server, tokens)
}

fn describe_args(server: &Server) -> Vec<&str> {
    vec![
        "--provider",
        "ims",
        "--region",
        "cn-north-4",
        "--endpoint-url",
        &server.url,
        "--iam-endpoint-url",
        &server.url,
        "--debug",
        "describe",
        "--image-id",
        IMAGE,
    ]
}

const TOKEN_ENV: &[(&str, &str)] = &[
    ("HW_USER_NAME", "alice"),
    ("HW_PASSWORD", "S3cret!pw-trust"),
    ("HW_DOMAIN_NAME", "acct"),
];

/// The cache entries in `dir` (the empty `*.lock` files that parallel
/// runs take while fetching hold nothing and are left out).
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_none_or(|x| x != "lock"))
                .collect()
        })
        .unwrap_or_default()
}

fn describe_ok(home: &Path, server: &Server) -> Output {
    let o = imgctl(home, &describe_args(server), TOKEN_ENV);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for n in 1..=3 {
        assert_quiet_about(&o, &token_value(n));
    }
    o
}

#[cfg(unix)]
#[test]
fn a_cache_file_others_could_write_or_read_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let (server, tokens) = huawei();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".cache/imgctl/huawei");
    describe_ok(home.path(), &server);
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    let files = cache_files(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let file = &files[0];

    // Reused while private.
    describe_ok(home.path(), &server);
    assert_eq!(tokens.load(Ordering::SeqCst), 1);

    // A world-readable file: ignored (and said so under --debug), and
    // replaced by a private one holding the new token.
    fs::set_permissions(file, fs::Permissions::from_mode(0o644)).unwrap();
    let o = describe_ok(home.path(), &server);
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "the 0644 cache was used");
    assert!(stderr(&o).contains("ignoring"), "{}", stderr(&o));
    let mode = fs::metadata(file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // A planted token in a directory others may write: ignored too.
    fs::write(
        file,
        format!(
            r#"{{"token":"planted-token-XYZ","expires_at":"2099-01-01T00:00:00Z","project_id":"{PROJECT}"}}"#
        ),
    )
    .unwrap();
    fs::set_permissions(file, fs::Permissions::from_mode(0o600)).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    describe_ok(home.path(), &server);
    assert_eq!(
        tokens.load(Ordering::SeqCst),
        3,
        "the planted token was used"
    );
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-auth-token"), Some(token_value(3).as_str()));
    let dmode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(dmode, 0o700, "the cache directory was not made private");

    // A file of another user (only root can make one): ignored.
    let theirs = format!(
        r#"{{"token":"planted-token-XYZ","expires_at":"2099-01-01T00:00:00Z","project_id":"{PROJECT}"}}"#
    );
    fs::write(file, theirs).unwrap();
    if std::os::unix::fs::chown(file, Some(65534), Some(65534)).is_ok() {
        describe_ok(home.path(), &server);
        assert_eq!(
            tokens.load(Ordering::SeqCst),
            4,
            "another user's token was used"
        );
    }
}

#[test]
fn a_relative_xdg_cache_home_writes_nothing_in_the_current_directory() {
    let (server, tokens) = huawei();
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let home_s = home.path().display().to_string();
    let mut env = TOKEN_ENV.to_vec();
    env.extend([("HOME", home_s.as_str()), ("XDG_CACHE_HOME", "rel-cache")]);
    let o = run_in(cwd.path(), &describe_args(&server), &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    let left: Vec<_> = cache_files(cwd.path());
    assert!(left.is_empty(), "written into the cwd: {left:?}");
    // The spec's fallback, $HOME/.cache, is used instead.
    assert_eq!(
        cache_files(&home.path().join(".cache/imgctl/huawei")).len(),
        1
    );
}

fn image_id(provider: &str) -> &'static str {
    match provider {
        "ec2" => "ami-12345678",
        "ims" => IMAGE,
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

// ---- 6. the region is a region id, never part of a host

/// True when something connected to `l` (the kernel queues connections
/// nobody has accepted yet).
fn was_contacted(l: &TcpListener) -> bool {
    l.set_nonblocking(true).unwrap();
    l.accept().is_ok()
}

#[test]
fn a_region_flag_that_is_not_a_region_id_is_a_usage_error_and_sends_nothing() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let region = format!("x@127.0.0.1:{port}/#");
    let url = format!("http://127.0.0.1:{port}");
    let alibaba = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "example-secret"),
    ];
    let aws = [
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "example-secret"),
    ];
    let huawei = [
        ("HUAWEICLOUD_SDK_AK", "AKEXAMPLE"),
        ("HUAWEICLOUD_SDK_SK", "example-secret"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ];
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Option<&'a str>);
    let cases: [Case; 4] = [
        ("ecs", &alibaba, None),
        ("ims", &huawei, None),
        ("ec2", &aws, None),
        // ENS has one global host; the region must still be a region.
        ("ens", &alibaba, Some(&url)),
    ];
    for (provider, env, endpoint) in cases {
        let home = tempfile::tempdir().unwrap();
        let mut args = vec![
            "--provider",
            provider,
            "--region",
            &region,
            "--connect-timeout",
            "2s",
            "--read-timeout",
            "2s",
            "--max-attempts",
            "1",
        ];
        if let Some(u) = endpoint {
            args.extend(["--endpoint-url", u]);
        }
        args.extend(["describe", "--image-id", image_id(provider)]);
        let o = imgctl(home.path(), &args, env);
        assert!(
            !was_contacted(&listener),
            "{provider}: the region chose the host"
        );
        assert_eq!(o.status.code(), Some(2), "{provider}: {}", stderr(&o));
        assert!(stderr(&o).contains(&region), "{provider}: {}", stderr(&o));
    }
}

#[test]
fn a_bad_region_from_the_environment_or_a_file_is_a_configuration_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let region = format!("x@127.0.0.1:{port}/#");
    let home = tempfile::tempdir().unwrap();
    let keys = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "example-secret"),
    ];
    let mut env = keys.to_vec();
    env.push(("ALIBABA_CLOUD_REGION_ID", &region));
    let args = [
        "--provider",
        "ecs",
        "--connect-timeout",
        "2s",
        "--read-timeout",
        "2s",
        "--max-attempts",
        "1",
        "describe",
        "--image-id",
        "m-abc123",
    ];
    let o = imgctl(home.path(), &args, &env);
    assert!(!was_contacted(&listener));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains(&region), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ALIBABA_CLOUD_REGION_ID"),
        "{}",
        stderr(&o)
    );

    write(
        home.path(),
        ".config/imgctl/config.toml",
        &format!("[profiles.default]\nprovider = \"ims\"\nregion = \"{region}\"\n"),
    );
    let huawei = [
        ("HUAWEICLOUD_SDK_AK", "AKEXAMPLE"),
        ("HUAWEICLOUD_SDK_SK", "example-secret"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ];
    let o = imgctl(home.path(), &args[2..], &huawei);
    assert!(!was_contacted(&listener));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains(&region), "{}", stderr(&o));
    assert!(stderr(&o).contains("profile 'default'"), "{}", stderr(&o));

    // ~/.aws/config, the cloud's own file.
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/config",
        &format!("[default]\nregion = {region}\n"),
    );
    let aws = [
        ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "example-secret"),
    ];
    let mut ec2 = vec!["--provider", "ec2"];
    ec2.extend_from_slice(&args[2..8]);
    ec2.extend(["describe", "--image-id", "ami-12345678"]);
    let o = imgctl(home.path(), &ec2, &aws);
    assert!(!was_contacted(&listener));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains(&region), "{}", stderr(&o));
    assert!(stderr(&o).contains(".aws/config"), "{}", stderr(&o));
}
