//! Configuration precedence, through the real binary with a temporary HOME:
//! flags > environment > imgctl profile > the cloud's own files, with an
//! explicit --profile ranking as a flag. Secrets never appear in output.

mod common;

use std::fs;
use std::path::Path;

use common::{imgctl, stderr, stdout};
use serde_json::Value;

const SECRETS: &[&str] = &[
    "env-secret-XYZ",
    "file-secret-XYZ",
    "prof-secret-XYZ",
    "sts-token-XYZ",
    "hw-password-XYZ",
];

fn show(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let mut a = vec!["config", "show"];
    a.extend_from_slice(args);
    let o = imgctl(home, &a, env);
    let (out, err) = (stdout(&o), stderr(&o));
    for s in SECRETS {
        assert!(
            !out.contains(s) && !err.contains(s),
            "secret {s} leaked: {out}{err}"
        );
    }
    assert_eq!(o.status.code(), Some(0), "{err}");
    serde_json::from_str(&out).expect("config show prints JSON")
}

fn src(v: &Value, key: &str) -> String {
    v[key]["source"].as_str().unwrap_or_default().to_string()
}

fn val(v: &Value, key: &str) -> String {
    v[key]["value"].as_str().unwrap_or_default().to_string()
}

fn write(home: &Path, rel: &str, text: &str) {
    let p = home.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn aws_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIAFILE00001111\naws_secret_access_key = file-secret-XYZ\n\n[ci]\naws_access_key_id = AKIACIPROFILE2222\naws_secret_access_key = file-secret-XYZ\n",
    );
    write(
        home.path(),
        ".aws/config",
        "[default]\nregion = eu-west-1\n\n[profile ci]\nregion = ap-south-1\nservices = local\n\n[services local]\nec2 =\n  endpoint_url = http://127.0.0.1:9999\n",
    );
    home
}

#[test]
fn aws_files_are_the_last_resort() {
    let home = aws_home();
    let v = show(home.path(), &["--provider", "ec2"], &[]);
    assert_eq!(val(&v, "region"), "eu-west-1");
    assert!(src(&v, "region").contains(".aws/config [default]"));
    assert_eq!(val(&v, "access_key_id"), "************1111");
    assert!(src(&v, "access_key_id").contains(".aws/credentials [default]"));
    assert_eq!(val(&v, "secret_access_key"), "****");
}

#[test]
fn env_beats_files_and_flags_beat_env() {
    let home = aws_home();
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAENV000003333"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret-XYZ"),
        ("AWS_REGION", "us-west-2"),
        ("AWS_DEFAULT_REGION", "us-east-2"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"),
        ("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:2"),
    ];
    let v = show(home.path(), &["--provider", "ec2"], &env);
    assert_eq!(val(&v, "region"), "us-west-2");
    assert_eq!(src(&v, "region"), "env AWS_REGION");
    assert_eq!(src(&v, "access_key_id"), "env AWS_ACCESS_KEY_ID");
    // The service-specific endpoint wins over the global one.
    assert_eq!(val(&v, "endpoint_url"), "http://127.0.0.1:2");
    let v = show(
        home.path(),
        &[
            "--provider",
            "ec2",
            "--region",
            "sa-east-1",
            "--endpoint-url",
            "http://127.0.0.1:3",
        ],
        &env,
    );
    assert_eq!(val(&v, "region"), "sa-east-1");
    assert_eq!(src(&v, "region"), "flag --region");
    assert_eq!(val(&v, "endpoint_url"), "http://127.0.0.1:3");
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops env and config endpoints.
    let mut env2 = env.to_vec();
    env2.push(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
    let v = show(home.path(), &["--provider", "ec2"], &env2);
    assert_eq!(v["endpoint_url"]["value"], Value::Null);
}

#[test]
fn aws_profile_selects_section_and_services_endpoint() {
    let home = aws_home();
    let v = show(
        home.path(),
        &["--provider", "ec2"],
        &[("AWS_PROFILE", "ci")],
    );
    assert_eq!(val(&v, "region"), "ap-south-1");
    assert_eq!(val(&v, "endpoint_url"), "http://127.0.0.1:9999");
    assert!(src(&v, "access_key_id").contains("[ci]"));
    // --profile naming no imgctl profile falls back to the cloud's own.
    let v = show(home.path(), &["--provider", "ec2", "--profile", "ci"], &[]);
    assert_eq!(val(&v, "region"), "ap-south-1");
    let o = imgctl(
        home.path(),
        &["config", "show", "--provider", "ec2", "--profile", "nope"],
        &[],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("'nope'"));
}

fn imgctl_profile_home() -> tempfile::TempDir {
    let home = aws_home();
    write(
        home.path(),
        ".config/imgctl/config.toml",
        r#"default_profile = "dev"

[profiles.dev]
provider = "ec2"
region = "ca-central-1"
access_key_id = "AKIAPROFILE44444"
secret_access_key = "prof-secret-XYZ"

[profiles.prod]
provider = "ecs"
region = "cn-shanghai"
access_key_id = "LTAIPROFILE55555"
secret_access_key = "prof-secret-XYZ"
signature_version = "v1"
read_timeout = "2m"
"#,
    );
    home
}

#[test]
fn imgctl_profile_sits_between_env_and_files() {
    let home = imgctl_profile_home();
    // The default profile beats ~/.aws...
    // Without --provider every provider is shown, the chosen one on top.
    let all = show(home.path(), &[], &[]);
    assert_eq!(val(&all, "provider"), "ec2");
    assert!(src(&all, "provider").contains("imgctl profile 'dev'"));
    let v = &all["ec2"];
    assert_eq!(val(v, "region"), "ca-central-1");
    assert_eq!(val(v, "access_key_id"), "************4444");
    // ...and the environment beats the default profile.
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAENV000003333"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret-XYZ"),
        ("AWS_REGION", "us-west-2"),
    ];
    let v = show(home.path(), &["--provider", "ec2"], &env);
    assert_eq!(val(&v, "region"), "us-west-2");
    assert_eq!(src(&v, "access_key_id"), "env AWS_ACCESS_KEY_ID");
}

#[test]
fn explicit_profile_ranks_as_a_flag() {
    let home = imgctl_profile_home();
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIENV66666"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret-XYZ"),
        ("ALIBABA_CLOUD_REGION_ID", "cn-beijing"),
    ];
    let all = show(home.path(), &["--profile", "prod"], &env);
    assert_eq!(val(&all, "provider"), "ecs");
    let v = &all["ecs"];
    assert_eq!(val(v, "region"), "cn-shanghai");
    assert!(src(v, "access_key_id").contains("imgctl profile 'prod'"));
    assert_eq!(val(v, "signature_version"), "v1");
    assert_eq!(val(v, "read_timeout"), "120000ms");
    // A flag still beats the explicit profile.
    let v = show(
        home.path(),
        &["--profile", "prod", "--region", "cn-hongkong"],
        &env,
    );
    assert_eq!(val(&v["ecs"], "region"), "cn-hongkong");
    // IMGCTL_PROFILE selects a profile without outranking the environment.
    let v = show(
        home.path(),
        &["--provider", "ecs"],
        &[("IMGCTL_PROFILE", "prod"), env[0], env[1], env[2]],
    );
    assert_eq!(val(&v, "region"), "cn-beijing");
    assert_eq!(src(&v, "access_key_id"), "env ALIBABA_CLOUD_ACCESS_KEY_ID");
}

#[test]
fn aliyun_config_json_ak_and_sts() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[
  {"name":"default","mode":"AK","access_key_id":"LTAIFILE7777","access_key_secret":"file-secret-XYZ","region_id":"cn-hangzhou"},
  {"name":"sts","mode":"StsToken","access_key_id":"STS.FILE8888","access_key_secret":"file-secret-XYZ","sts_token":"sts-token-XYZ","region_id":"cn-qingdao"},
  {"name":"role","mode":"RamRoleArn","access_key_id":"x","access_key_secret":"file-secret-XYZ"}
],"meta_path":""}"#,
    );
    let v = show(home.path(), &["--provider", "ecs"], &[]);
    assert_eq!(val(&v, "region"), "cn-hangzhou");
    assert_eq!(val(&v, "access_key_id"), "********7777");
    assert_eq!(v["session_token"]["value"], Value::Null);
    let v = show(
        home.path(),
        &["--provider", "ecs"],
        &[("ALIBABA_CLOUD_PROFILE", "sts")],
    );
    assert_eq!(val(&v, "region"), "cn-qingdao");
    assert_eq!(val(&v, "session_token"), "****");
    let o = imgctl(
        home.path(),
        &["config", "show", "--provider", "ecs"],
        &[("ALIBABA_CLOUD_PROFILE", "role")],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("RamRoleArn"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("file-secret-XYZ"));
}

#[test]
fn huawei_sources() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".huaweicloud/credentials",
        "[basic]\nak = HWFILEAK9999\nsk = file-secret-XYZ\nproject_id = 0123456789abcdef0123456789abcdef\n",
    );
    let v = show(
        home.path(),
        &["--provider", "huawei", "--region", "cn-north-4"],
        &[],
    );
    assert_eq!(val(&v, "access_key_id"), "********9999");
    assert_eq!(val(&v, "project_id"), "0123456789abcdef0123456789abcdef");
    let env = [
        ("HW_USER_NAME", "alice"),
        ("HW_PASSWORD", "hw-password-XYZ"),
        ("HW_DOMAIN_NAME", "acme"),
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            "fedcba9876543210fedcba9876543210",
        ),
    ];
    let v = show(
        home.path(),
        &["--provider", "ims", "--auth-mode", "token"],
        &env,
    );
    assert_eq!(val(&v, "user_name"), "alice");
    assert_eq!(val(&v, "password"), "****");
    assert_eq!(val(&v, "auth_mode"), "token");
    assert_eq!(src(&v, "project_id"), "env HUAWEICLOUD_SDK_PROJECT_ID");
    // Half a password identity is a configuration error.
    let o = imgctl(
        home.path(),
        &["config", "show", "--provider", "ims"],
        &[("HW_USER_NAME", "alice")],
    );
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn half_a_key_pair_is_a_configuration_error() {
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &["config", "show", "--provider", "ec2"],
        &[("AWS_ACCESS_KEY_ID", "AKIA1")],
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("AWS_SECRET_ACCESS_KEY"));
    write(
        home.path(),
        ".config/imgctl/config.toml",
        "[profiles.x]\nbogus_key = 1\n",
    );
    let o = imgctl(home.path(), &["config", "show", "--provider", "ec2"], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("bogus_key"), "{}", stderr(&o));
}
