//! Issue 9, "trust before features", through the real binary: what imgctl
//! reads from disk and where it sends signed requests must not be chosen
//! by someone else — a file's error never echoes the file, a cache file
//! anyone could have written is not used, a missing HOME reads nothing
//! from the current directory, and the region text never picks the host.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{imgctl, stderr, stdout};

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
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
