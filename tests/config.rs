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
    let mut v: Value = serde_json::from_str(&out).expect("config show prints JSON");
    // Without --provider, config show nests each provider's settings under
    // its name: lift the chosen provider's to the top, as with --provider.
    if let Some(p) = v["provider"]["value"].as_str().map(str::to_string)
        && let Some(inner) = v[&p].as_object().cloned()
        && let Some(top) = v.as_object_mut()
    {
        for (k, x) in inner {
            top.entry(k).or_insert(x);
        }
    }
    v
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
  {"name":"role","mode":"CloudSSO","access_key_id":"x","access_key_secret":"file-secret-XYZ"}
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
    assert!(stderr(&o).contains("CloudSSO"), "{}", stderr(&o));
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

// Regression tests for the resolution defects of issue 11.

#[test]
fn aws_profile_in_the_environment_beats_the_implicit_imgctl_profile() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/credentials",
        "[prod]\naws_access_key_id = AKIAPROD00001111\naws_secret_access_key = file-secret-XYZ\n\n[staging]\naws_access_key_id = AKIASTAGING02222\naws_secret_access_key = file-secret-XYZ\n",
    );
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"prod","profiles":[
  {"name":"prod","mode":"AK","access_key_id":"LTAIPROD3333","access_key_secret":"file-secret-XYZ","region_id":"cn-hangzhou"},
  {"name":"staging","mode":"AK","access_key_id":"LTAISTAGE4444","access_key_secret":"file-secret-XYZ","region_id":"cn-beijing"}]}"#,
    );
    write(
        home.path(),
        ".config/imgctl/config.toml",
        "default_profile = \"aws\"\n\n[profiles.aws]\nprovider = \"ec2\"\nregion = \"us-east-1\"\naws_profile = \"prod\"\n\n[profiles.ali]\nprovider = \"ecs\"\naliyun_profile = \"prod\"\n",
    );
    let v = show(home.path(), &[], &[]);
    assert_eq!(val(&v, "access_key_id"), "************1111");
    let v = show(home.path(), &[], &[("AWS_PROFILE", "staging")]);
    assert_eq!(val(&v, "access_key_id"), "************2222");
    assert!(src(&v, "access_key_id").contains("[staging]"));
    // An explicit --profile still ranks as a flag.
    let v = show(
        home.path(),
        &["--profile", "aws"],
        &[("AWS_PROFILE", "staging")],
    );
    assert_eq!(val(&v, "access_key_id"), "************1111");
    // The same for Alibaba.
    let v = show(
        home.path(),
        &[],
        &[
            ("IMGCTL_PROFILE", "ali"),
            ("ALIBABA_CLOUD_PROFILE", "staging"),
        ],
    );
    assert_eq!(val(&v, "access_key_id"), "*********4444");
    assert_eq!(val(&v, "region"), "cn-beijing");
}

#[test]
fn a_named_profile_drops_the_environment_keys() {
    let home = aws_home();
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAENV000003333"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret-XYZ"),
    ];
    let v = show(home.path(), &["--provider", "ec2", "--profile", "ci"], &env);
    assert!(src(&v, "access_key_id").contains("[ci]"), "{v}");
    assert_eq!(val(&v, "region"), "ap-south-1");
    // AWS_PROFILE does not: the environment's keys come first, as in botocore.
    let v = show(
        home.path(),
        &["--provider", "ec2"],
        &[env[0], env[1], ("AWS_PROFILE", "ci")],
    );
    assert_eq!(src(&v, "access_key_id"), "env AWS_ACCESS_KEY_ID");
    // An explicit imgctl profile naming an aws_profile drops them too.
    write(
        home.path(),
        ".config/imgctl/config.toml",
        "[profiles.p]\nprovider = \"ec2\"\naws_profile = \"ci\"\n",
    );
    let v = show(home.path(), &["--profile", "p"], &env);
    assert!(src(&v, "access_key_id").contains("[ci]"), "{v}");
}

#[test]
fn a_profile_for_one_cloud_never_feeds_another() {
    // The README's own example, then --provider ec2.
    let home = aws_home();
    write(
        home.path(),
        ".config/imgctl/config.toml",
        "default_profile = \"dev\"\n\n[profiles.dev]\nprovider = \"ecs\"\nregion = \"cn-hangzhou\"\naccess_key_id = \"LTAIPROFILE55555\"\nsecret_access_key = \"prof-secret-XYZ\"\nread_timeout = \"2m\"\n",
    );
    let v = show(home.path(), &["--provider", "ec2"], &[]);
    assert_eq!(val(&v, "region"), "eu-west-1");
    assert!(
        src(&v, "access_key_id").contains(".aws/credentials [default]"),
        "{v}"
    );
    // Settings that belong to no cloud still apply.
    assert_eq!(val(&v, "read_timeout"), "120000ms");
    // Named explicitly, the profile still does not sign for another cloud.
    let v = show(home.path(), &["--provider", "ec2", "--profile", "dev"], &[]);
    assert!(src(&v, "access_key_id").contains(".aws/credentials"), "{v}");
    // ENS and ECS are one cloud.
    let v = show(home.path(), &["--provider", "ens"], &[]);
    assert!(src(&v, "access_key_id").contains("imgctl profile 'dev'"));
}

#[test]
fn huawei_identity_comes_from_one_source() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".huaweicloud/credentials",
        "[basic]\nak = HWSTALEAK9999\nsk = file-secret-XYZ\n",
    );
    let env = [
        ("HW_USER_NAME", "alice"),
        ("HW_PASSWORD", "hw-password-XYZ"),
        ("HW_DOMAIN_NAME", "acme"),
    ];
    // The token identity of the environment beats keys in a file.
    let v = show(
        home.path(),
        &["--provider", "ims", "--region", "cn-north-4"],
        &env,
    );
    assert_eq!(val(&v, "user_name"), "alice");
    assert_eq!(v["access_key_id"]["value"], Value::Null, "{v}");
    assert_eq!(src(&v, "password"), "env HW_PASSWORD");
    assert_eq!(src(&v, "domain_name"), "env HW_DOMAIN_NAME");
    // A user name from the environment never meets a profile's password.
    write(
        home.path(),
        ".config/imgctl/config.toml",
        "default_profile = \"hw\"\n[profiles.hw]\nprovider = \"ims\"\nregion = \"cn-north-4\"\nuser_name = \"bob\"\npassword = \"hw-password-XYZ\"\ndomain_name = \"other\"\n",
    );
    let o = imgctl(home.path(), &["config", "show"], &[env[0]]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    assert!(stderr(&o).contains("one identity"), "{}", stderr(&o));
    let v = show(home.path(), &[], &[]);
    assert_eq!(val(&v, "user_name"), "bob");
    assert!(src(&v, "password").contains("imgctl profile 'hw'"));
}

#[test]
fn files_are_read_only_when_the_chain_reaches_them() {
    let home = tempfile::tempdir().unwrap();
    // A broken [default] and an unsupported current Alibaba profile...
    write(
        home.path(),
        ".aws/credentials",
        "[default]\naws_access_key_id = AKIABROKEN\n",
    );
    write(
        home.path(),
        ".aws/config",
        "[default]\nregion = eu-west-1\n",
    );
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"role","profiles":[{"name":"role","mode":"CloudSSO","region_id":"cn-shanghai","expired_seconds":900}]}"#,
    );
    // ...do not break a run whose environment has the keys.
    let v = show(
        home.path(),
        &["--provider", "ec2"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIAENV000003333"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret-XYZ"),
        ],
    );
    assert_eq!(src(&v, "access_key_id"), "env AWS_ACCESS_KEY_ID");
    assert_eq!(val(&v, "region"), "eu-west-1");
    let v = show(
        home.path(),
        &["--provider", "ecs"],
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIENV66666"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret-XYZ"),
        ],
    );
    assert_eq!(src(&v, "access_key_id"), "env ALIBABA_CLOUD_ACCESS_KEY_ID");
    assert_eq!(val(&v, "region"), "cn-shanghai");
    // Reached, they are still checked.
    let o = imgctl(home.path(), &["config", "show", "--provider", "ec2"], &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("aws_secret_access_key"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn alibabacloud_credentials_ini_after_the_cli_profile() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".alibabacloud/credentials.ini",
        "[default]\nenable = true\ntype = access_key\naccess_key_id = LTAIINI01234\naccess_key_secret = file-secret-XYZ\n\n\
         [role]\ntype = ram_role_arn\naccess_key_id = LTAIINI01234\naccess_key_secret = file-secret-XYZ\nrole_arn = acs:ram::1:role/x\n",
    );
    write(
        home.path(),
        ".aliyun/config.json",
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAICLI05678","access_key_secret":"file-secret-XYZ","region_id":"cn-hangzhou"}]}"#,
    );
    let v = show(home.path(), &["--provider", "ecs"], &[]);
    assert_eq!(val(&v, "access_key_id"), "********5678");
    // With the CLI profile off as a credential source, the INI file answers.
    let v = show(
        home.path(),
        &["--provider", "ecs"],
        &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
    );
    assert_eq!(val(&v, "access_key_id"), "********1234");
    assert!(
        src(&v, "access_key_id").contains("credentials.ini [default]"),
        "{v}"
    );
    assert_eq!(val(&v, "region"), "cn-hangzhou");
    let v = show(
        home.path(),
        &["--provider", "ecs"],
        &[
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
            ("ALIBABA_CLOUD_PROFILE", "role"),
        ],
    );
    assert!(
        v["credentials"]["value"]
            .as_str()
            .unwrap_or_default()
            .starts_with("assume role: role acs:ram::1:role/x"),
        "{v}"
    );
}
