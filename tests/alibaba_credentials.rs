//! Alibaba Cloud credential sources end to end, through the real binary,
//! against stubs on 127.0.0.1 playing STS, the ECS metadata service and a
//! credentials URI next to the ECS API. No secret in any output.

mod common;

use std::path::Path;

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.ali-oidc-SECRET.sig";
const SOURCE_SECRET: &str = "ali-source-secret-SECRET";
const ISSUED_SECRET: &str = "ali-issued-secret-SECRET";
const SECURITY_TOKEN: &str = "CAIS-security-token-SECRET";
const SECRETS: &[&str] = &[
    OIDC_TOKEN,
    SOURCE_SECRET,
    ISSUED_SECRET,
    SECURITY_TOKEN,
    "ali-oidc-SECRET",
    "meta-token-SECRET",
];

fn in_secs(s: i64) -> String {
    (OffsetDateTime::now_utc() + time::Duration::seconds(s))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

fn query(r: &Recorded) -> Vec<(String, String)> {
    let q = r.target.split_once('?').map_or("", |(_, q)| q);
    url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn form(r: &Recorded) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&r.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn get(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn keys_json(akid: &str) -> String {
    format!(
        r#"{{"AccessKeyId":"{akid}","AccessKeySecret":"{ISSUED_SECRET}","SecurityToken":"{SECURITY_TOKEN}","Expiration":"{}"}}"#,
        in_secs(3600)
    )
}

/// STS, metadata, a credentials URI and ECS on one port.
fn stub() -> Server {
    Server::start(|_, r| {
        let q = query(r);
        match get(&q, "Action").as_deref() {
            Some("AssumeRole") => {
                return Reply::json(
                    200,
                    &format!(
                        r#"{{"RequestId":"S1","Credentials":{}}}"#,
                        keys_json("STS.ROLE0001")
                    ),
                );
            }
            Some("AssumeRoleWithOIDC") => {
                if get(&form(r), "OIDCToken").as_deref() != Some(OIDC_TOKEN) {
                    return Reply::json(
                        400,
                        r#"{"RequestId":"S2","Code":"AuthenticationFail.OIDCToken.Invalid","Message":"invalid token"}"#,
                    );
                }
                return Reply::json(
                    200,
                    &format!(
                        r#"{{"RequestId":"S2","Credentials":{}}}"#,
                        keys_json("STS.OIDC0002")
                    ),
                );
            }
            _ => {}
        }
        let path = r.target.split('?').next().unwrap_or_default();
        if path == "/latest/api/token" {
            return Reply::new(200, "text/plain", "meta-token-SECRET");
        }
        if let Some(role) = path.strip_prefix("/latest/meta-data/ram/security-credentials/") {
            if r.header("x-aliyun-ecs-metadata-token") != Some("meta-token-SECRET") {
                return Reply::new(401, "text/plain", "");
            }
            if role.is_empty() {
                return Reply::new(200, "text/plain", "builder");
            }
            let k = keys_json("STS.ECS0003");
            return Reply::json(
                200,
                &format!(r#"{{"Code":"Success","LastUpdated":"x",{}"#, &k[1..]),
            );
        }
        if path == "/creds" {
            let k = keys_json("STS.URI0004");
            return Reply::json(200, &format!(r#"{{"Code":"Success",{}"#, &k[1..]));
        }
        Reply::json(
            200,
            r#"{"RequestId":"R-D","Images":{"Image":[{"ImageId":"m-1","Status":"Available","ImageName":"web"}]}}"#,
        )
    })
}

fn write(home: &Path, rel: &str, text: &str) -> String {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn describe(home: &Path, srv: &Server, env: &[(&str, &str)]) -> std::process::Output {
    let o = imgctl(
        home,
        &[
            "image",
            "describe",
            "--provider",
            "ecs",
            "--region",
            "cn-hangzhou",
            "--endpoint-url",
            &srv.url,
            "--image-id",
            "m-1",
            "--debug",
        ],
        env,
    );
    for s in SECRETS {
        assert!(
            !stdout(&o).contains(s) && !stderr(&o).contains(s),
            "secret {s} leaked:\n{}",
            stderr(&o)
        );
    }
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    o
}

fn api_calls(srv: &Server) -> Vec<Recorded> {
    srv.requests()
        .into_iter()
        .filter(|r| r.header("x-acs-action") == Some("DescribeImages"))
        .collect()
}

/// The access key id of a V3 signature.
fn v3_key(r: &Recorded) -> String {
    let a = r.header("authorization").unwrap_or_default();
    a.split("Credential=")
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn oidc_from_the_environment_is_anonymous_and_its_keys_sign_with_the_token() {
    let srv = stub();
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "oidc", OIDC_TOKEN);
    let env = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123:role/ci"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::123:oidc-provider/gh",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", file.as_str()),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "run-7"),
        ("ALIBABA_CLOUD_STS_ENDPOINT", srv.url.as_str()),
    ];
    let o = describe(home.path(), &srv, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sts = &srv.requests()[0];
    let (q, f) = (query(sts), form(sts));
    assert_eq!(get(&q, "Action").as_deref(), Some("AssumeRoleWithOIDC"));
    assert_eq!(get(&q, "Version").as_deref(), Some("2015-04-01"));
    assert!(get(&q, "AccessKeyId").is_none() && get(&q, "Signature").is_none());
    assert_eq!(get(&f, "RoleSessionName").as_deref(), Some("run-7"));
    assert_eq!(
        get(&f, "OIDCProviderArn").as_deref(),
        Some("acs:ram::123:oidc-provider/gh")
    );
    assert!(
        !sts.target.contains("ali-oidc"),
        "the token stays out of the URL"
    );
    let call = &api_calls(&srv)[0];
    assert_eq!(v3_key(call), "STS.OIDC0002");
    assert_eq!(call.header("x-acs-security-token"), Some(SECURITY_TOKEN));
    // A token STS refuses: exit 4, the code on stderr, nothing sent to ECS.
    write(home.path(), "oidc", "eyJ.bad-SECRET");
    let before = api_calls(&srv).len();
    let o = describe(
        home.path(),
        &srv,
        &[env[0], env[1], env[2], env[4], ("IMGCTL_NO_CACHE", "1")],
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("AuthenticationFail.OIDCToken.Invalid"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("bad-SECRET"));
    assert_eq!(api_calls(&srv).len(), before);
}

#[test]
fn ram_role_arn_profile_assumes_the_role_with_signed_v1() {
    let srv = stub();
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aliyun/config.json",
        &format!(
            r#"{{"current":"deploy","profiles":[
  {{"name":"base","mode":"AK","access_key_id":"LTAISOURCE01","access_key_secret":"{SOURCE_SECRET}"}},
  {{"name":"deploy","mode":"ChainableRamRoleArn","source_profile":"base","ram_role_arn":"acs:ram::123:role/deploy","ram_session_name":"deployer","expired_seconds":1800,"external_id":"ext-9","sts_endpoint":"{}","region_id":"cn-hangzhou"}}]}}"#,
            srv.url
        ),
    );
    let o = describe(home.path(), &srv, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sts = &srv.requests()[0];
    let q = query(sts);
    assert_eq!(get(&q, "Action").as_deref(), Some("AssumeRole"));
    assert_eq!(get(&q, "AccessKeyId").as_deref(), Some("LTAISOURCE01"));
    assert_eq!(get(&q, "RoleSessionName").as_deref(), Some("deployer"));
    assert_eq!(get(&q, "DurationSeconds").as_deref(), Some("1800"));
    assert_eq!(get(&q, "ExternalId").as_deref(), Some("ext-9"));
    assert!(
        imgctl::sign::alibaba::verify_v1("POST", &q, SOURCE_SECRET),
        "V1 signature"
    );
    assert_eq!(v3_key(&api_calls(&srv)[0]), "STS.ROLE0001");
    // config show names the role and never a secret.
    let o = imgctl(home.path(), &["config", "show", "--provider", "ecs"], &[]);
    assert!(
        stdout(&o).contains("assume role: role acs:ram::123:role/deploy"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn ecs_ram_role_from_metadata_with_a_token() {
    let srv = stub();
    let home = tempfile::tempdir().unwrap();
    let o = describe(
        home.path(),
        &srv,
        &[
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "false"),
            ("IMGCTL_ALIBABA_METADATA_ENDPOINT", srv.url.as_str()),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let put = &srv.requests()[0];
    assert_eq!(put.method, "PUT");
    assert_eq!(
        put.header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(v3_key(&api_calls(&srv)[0]), "STS.ECS0003");
}

#[test]
fn credentials_uri_keeps_its_query() {
    let srv = stub();
    let home = tempfile::tempdir().unwrap();
    let uri = format!("{}/creds?role=builder", srv.url);
    let o = describe(
        home.path(),
        &srv,
        &[("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(srv.requests()[0].target, "/creds?role=builder");
    assert_eq!(v3_key(&api_calls(&srv)[0]), "STS.URI0004");
}

#[test]
fn external_process_profile() {
    let srv = stub();
    let home = tempfile::tempdir().unwrap();
    let script = write(
        home.path(),
        "ext.sh",
        &format!(
            "#!/bin/sh\necho '{{\"mode\":\"StsToken\",\"access_key_id\":\"STS.EXT0005\",\"access_key_secret\":\"{ISSUED_SECRET}\",\"sts_token\":\"{SECURITY_TOKEN}\"}}'\n"
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    write(
        home.path(),
        ".aliyun/config.json",
        &format!(
            r#"{{"current":"x","profiles":[{{"name":"x","mode":"External","process_command":"{script}"}}]}}"#
        ),
    );
    let o = describe(home.path(), &srv, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let call = &api_calls(&srv)[0];
    assert_eq!(v3_key(call), "STS.EXT0005");
    assert_eq!(call.header("x-acs-security-token"), Some(SECURITY_TOKEN));
}
