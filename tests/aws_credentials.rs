//! AWS credential sources end to end, through the real binary, against
//! stubs on 127.0.0.1 that play STS, the container endpoint and IMDSv2
//! next to EC2. Every test checks that no secret reaches any output.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const WEB_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-SECRET.sig";
const SOURCE_SECRET: &str = "source-secret-SECRET";
const ISSUED_SECRET: &str = "issued-secret-SECRET";
const SESSION_TOKEN: &str = "FQoGZXIvYXdzE-session-SECRET";
const SECRETS: &[&str] = &[
    WEB_TOKEN,
    SOURCE_SECRET,
    ISSUED_SECRET,
    SESSION_TOKEN,
    "oidc-token-SECRET",
];

fn in_secs(s: i64) -> String {
    (OffsetDateTime::now_utc() + time::Duration::seconds(s))
        .format(&Rfc3339)
        .unwrap()
}

fn form(r: &Recorded) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&r.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param(r: &Recorded, name: &str) -> Option<String> {
    form(r).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn action(r: &Recorded) -> String {
    param(r, "Action").unwrap_or_default()
}

fn sts_ok(action: &str, akid: &str, expires: &str) -> Reply {
    Reply::new(
        200,
        "text/xml",
        format!(
            "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
             <Credentials><AccessKeyId>{akid}</AccessKeyId><SecretAccessKey>{ISSUED_SECRET}</SecretAccessKey>\
             <SessionToken>{SESSION_TOKEN}</SessionToken><Expiration>{expires}</Expiration></Credentials>\
             </{action}Result><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></{action}Response>"
        ),
    )
}

fn describe_ok(state: &str) -> Reply {
    Reply::new(
        200,
        "text/xml",
        format!(
            "<DescribeImagesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>d1</requestId>\
             <imagesSet><item><imageId>ami-0abc</imageId><imageState>{state}</imageState><name>web</name></item></imagesSet>\
             </DescribeImagesResponse>"
        ),
    )
}

fn metadata_keys(akid: &str, expires: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"{akid}","SecretAccessKey":"{ISSUED_SECRET}","Token":"{SESSION_TOKEN}","Expiration":"{expires}"}}"#
        ),
    )
}

fn describe(
    home: &Path,
    srv: &Server,
    extra_args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut args = vec![
        "image",
        "describe",
        "--provider",
        "ec2",
        "--region",
        "us-east-1",
        "--endpoint-url",
        &srv.url,
        "--image-id",
        "ami-0abc",
        "--debug",
    ];
    args.extend_from_slice(extra_args);
    let o = imgctl(home, &args, env);
    for s in SECRETS {
        assert!(
            !stdout(&o).contains(s) && !stderr(&o).contains(s),
            "secret {s} leaked:\n{}\n{}",
            stdout(&o),
            stderr(&o)
        );
    }
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    o
}

fn ec2_requests(srv: &Server) -> Vec<Recorded> {
    srv.requests()
        .into_iter()
        .filter(|r| action(r) == "DescribeImages")
        .collect()
}

/// The access key id a SigV4 request was signed with, and its service.
fn signed_with(r: &Recorded) -> (String, String) {
    let auth = r.header("authorization").unwrap_or_default();
    let cred = auth
        .split("Credential=")
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default();
    let parts: Vec<&str> = cred.split('/').collect();
    (
        parts.first().unwrap_or(&"").to_string(),
        parts.get(3).unwrap_or(&"").to_string(),
    )
}

fn write(home: &Path, rel: &str, text: &str) -> String {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn web_identity_is_exchanged_unsigned_and_its_keys_sign_ec2() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "AssumeRoleWithWebIdentity" => {
            sts_ok("AssumeRoleWithWebIdentity", "ASIAWEBID0001", &in_secs(3600))
        }
        _ => describe_ok("available"),
    });
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "token", WEB_TOKEN);
    let env = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", file.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
        ("AWS_ROLE_SESSION_NAME", "gh-run-1"),
        ("AWS_ENDPOINT_URL_STS", srv.url.as_str()),
    ];
    let o = describe(home.path(), &srv, &[], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    let sts = &reqs[0];
    assert_eq!(action(sts), "AssumeRoleWithWebIdentity");
    assert_eq!(param(sts, "WebIdentityToken").as_deref(), Some(WEB_TOKEN));
    assert_eq!(param(sts, "RoleSessionName").as_deref(), Some("gh-run-1"));
    assert_eq!(param(sts, "Version").as_deref(), Some("2011-06-15"));
    assert!(
        sts.header("authorization").is_none(),
        "web identity is unsigned"
    );
    let ec2 = &ec2_requests(&srv)[0];
    assert_eq!(signed_with(ec2), ("ASIAWEBID0001".into(), "ec2".into()));
    assert_eq!(ec2.header("x-amz-security-token"), Some(SESSION_TOKEN));
    // config show names the source, never a secret.
    let o = imgctl(home.path(), &["config", "show", "--provider", "ec2"], &env);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v["credentials"]["value"]
            .as_str()
            .unwrap()
            .starts_with("web identity: role arn:aws:iam::123456789012:role/ci")
    ); // The expiry of the keys the run above cached; no secret.
    let exp = v["credentials"]["expires"].as_str().unwrap_or_default();
    assert!(exp.starts_with("20") && exp.ends_with('Z'), "{v}");
    for s in SECRETS {
        assert!(!stdout(&o).contains(s), "{s}");
    }
}

#[test]
fn a_refused_web_identity_token_exits_4_and_sends_nothing_to_ec2() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "AssumeRoleWithWebIdentity" => Reply::new(
            400,
            "text/xml",
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>\
             <Message>Couldn't retrieve verification key from your identity provider</Message></Error>\
             <RequestId>e1</RequestId></ErrorResponse>",
        ),
        _ => describe_ok("available"),
    });
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "token", WEB_TOKEN);
    let o = describe(
        home.path(),
        &srv,
        &[],
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", file.as_str()),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
            ("AWS_ENDPOINT_URL_STS", srv.url.as_str()),
        ],
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("InvalidIdentityToken"),
        "{}",
        stderr(&o)
    );
    assert!(ec2_requests(&srv).is_empty());
}

#[test]
fn sts_is_never_the_ec2_endpoint() {
    // Without an STS override, STS is the regional one, not --endpoint-url.
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "token", WEB_TOKEN);
    let o = imgctl(
        home.path(),
        &[
            "config",
            "show",
            "--provider",
            "ec2",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", file.as_str()),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let c = v["credentials"]["value"].as_str().unwrap().to_string();
    assert!(c.contains("STS regional STS of eu-west-1"), "{c}");
    assert!(!c.contains("127.0.0.1:9"), "{c}");
}

#[test]
fn assume_role_from_a_source_profile_signs_sts_with_the_source_keys() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "AssumeRole" => sts_ok("AssumeRole", "ASIAROLE0002", &in_secs(3600)),
        _ => describe_ok("available"),
    });
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/credentials",
        &format!(
            "[base]\naws_access_key_id = AKIASOURCE0001\naws_secret_access_key = {SOURCE_SECRET}\n"
        ),
    );
    write(
        home.path(),
        ".aws/config",
        &format!(
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n\
             external_id = ext-42\nrole_session_name = deployer\nduration_seconds = 1800\n\
             services = local\n\n[services local]\nsts =\n  endpoint_url = {}\n",
            srv.url
        ),
    );
    let o = describe(home.path(), &srv, &[], &[("AWS_PROFILE", "deploy")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    let sts = &reqs[0];
    assert_eq!(action(sts), "AssumeRole");
    assert_eq!(signed_with(sts), ("AKIASOURCE0001".into(), "sts".into()));
    assert_eq!(param(sts, "ExternalId").as_deref(), Some("ext-42"));
    assert_eq!(param(sts, "DurationSeconds").as_deref(), Some("1800"));
    assert_eq!(param(sts, "RoleSessionName").as_deref(), Some("deployer"));
    let ec2 = &ec2_requests(&srv)[0];
    assert_eq!(signed_with(ec2), ("ASIAROLE0002".into(), "ec2".into()));
    // A second run finds the keys in the cache: STS is not called again.
    let o = describe(home.path(), &srv, &[], &[("AWS_PROFILE", "deploy")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sts_calls = srv
        .requests()
        .iter()
        .filter(|r| action(r) == "AssumeRole")
        .count();
    assert_eq!(sts_calls, 1);
    // --no-cache fetches again.
    let o = describe(
        home.path(),
        &srv,
        &["--no-cache"],
        &[("AWS_PROFILE", "deploy")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sts_calls = srv
        .requests()
        .iter()
        .filter(|r| action(r) == "AssumeRole")
        .count();
    assert_eq!(sts_calls, 2);
    // The cache entries are private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for e in std::fs::read_dir(home.path().join(".cache/imgctl/aws")).unwrap() {
            let p = e.unwrap().path();
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }
}

#[test]
fn parallel_runs_fetch_once() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "AssumeRoleWithWebIdentity" => {
            std::thread::sleep(std::time::Duration::from_millis(300));
            sts_ok("AssumeRoleWithWebIdentity", "ASIAWEBID0009", &in_secs(3600))
        }
        _ => describe_ok("available"),
    });
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "token", WEB_TOKEN);
    let url = srv.url.clone();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (home, file, url) = (home.path().to_path_buf(), file.clone(), url.clone());
            std::thread::spawn(move || {
                imgctl(
                    &home,
                    &[
                        "image",
                        "describe",
                        "--provider",
                        "ec2",
                        "--region",
                        "us-east-1",
                        "--endpoint-url",
                        &url,
                        "--image-id",
                        "ami-0abc",
                    ],
                    &[
                        ("AWS_WEB_IDENTITY_TOKEN_FILE", file.as_str()),
                        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
                        ("AWS_ENDPOINT_URL_STS", url.as_str()),
                    ],
                )
            })
        })
        .collect();
    for h in handles {
        let o = h.join().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let calls = srv
        .requests()
        .iter()
        .filter(|r| action(r) == "AssumeRoleWithWebIdentity")
        .count();
    assert_eq!(calls, 1);
}

#[test]
fn credential_process_keys_sign_and_its_failures_exit_3() {
    let srv = Server::start(|_, _| describe_ok("available"));
    let home = tempfile::tempdir().unwrap();
    let script = write(
        home.path(),
        "creds.sh",
        &format!(
            "#!/bin/sh\n[ \"$1\" = \"--role\" ] && [ \"$2\" = \"a b\" ] || exit 9\n\
             echo '{{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC0003\", \"SecretAccessKey\": \"{ISSUED_SECRET}\", \
             \"SessionToken\": \"{SESSION_TOKEN}\", \"Expiration\": \"{}\"}}'\n",
            in_secs(3600)
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    write(
        home.path(),
        ".aws/config",
        &format!(
            "[default]\ncredential_process = {script} --role \"a b\"\n\n[profile bad]\ncredential_process = /bin/sh -c 'echo boom >&2; exit 2'\n"
        ),
    );
    let o = describe(home.path(), &srv, &[], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ec2 = &ec2_requests(&srv)[0];
    assert_eq!(signed_with(ec2), ("ASIAPROC0003".into(), "ec2".into()));
    assert_eq!(ec2.header("x-amz-security-token"), Some(SESSION_TOKEN));
    let o = describe(home.path(), &srv, &[], &[("AWS_PROFILE", "bad")]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("boom"), "{}", stderr(&o));
}

#[test]
fn container_endpoint_with_token_file() {
    let srv = Server::start(|_, r| {
        if r.target.starts_with("/creds") {
            if r.header("authorization") != Some("container-auth-SECRET") {
                return Reply::json(401, "{}");
            }
            return metadata_keys("ASIACONT0004", &in_secs(3600));
        }
        describe_ok("available")
    });
    let home = tempfile::tempdir().unwrap();
    let tok = write(home.path(), "auth", "container-auth-SECRET\n");
    let full = format!("{}/creds?x=1", srv.url);
    let o = describe(
        home.path(),
        &srv,
        &[],
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tok.as_str()),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("container-auth-SECRET"));
    let ec2 = &ec2_requests(&srv)[0];
    assert_eq!(signed_with(ec2), ("ASIACONT0004".into(), "ec2".into()));
    // A full URI to anything but loopback, https or the container hosts is refused.
    let o = imgctl(
        home.path(),
        &["config", "show", "--provider", "ec2"],
        &[(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://10.0.0.1/creds",
        )],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn imdsv2_token_then_role_then_keys() {
    let srv = Server::start(|_, r| {
        let t = r.target.as_str();
        if t == "/latest/api/token" && r.method == "PUT" {
            assert_eq!(
                r.header("x-aws-ec2-metadata-token-ttl-seconds"),
                Some("21600")
            );
            return Reply::new(200, "text/plain", "imds-token-SECRET");
        }
        if t.starts_with("/latest/meta-data/") {
            if r.header("x-aws-ec2-metadata-token") != Some("imds-token-SECRET") {
                return Reply::new(401, "text/plain", "");
            }
            if t == "/latest/meta-data/iam/security-credentials/" {
                return Reply::new(200, "text/plain", "builder-role");
            }
            if t == "/latest/meta-data/iam/security-credentials/builder-role" {
                return metadata_keys("ASIAIMDS0005", &in_secs(3600));
            }
        }
        describe_ok("available")
    });
    let home = tempfile::tempdir().unwrap();
    let ep = format!("{}/", srv.url);
    let env = [
        ("AWS_EC2_METADATA_DISABLED", "false"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", ep.as_str()),
    ];
    let o = describe(home.path(), &srv, &[], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("imds-token-SECRET"));
    let ec2 = &ec2_requests(&srv)[0];
    assert_eq!(signed_with(ec2), ("ASIAIMDS0005".into(), "ec2".into()));
    // Nothing answering: exit 3, quickly, with a way out named.
    let o = describe(
        home.path(),
        &srv,
        &["--no-cache"],
        &[
            ("AWS_EC2_METADATA_DISABLED", "false"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1/"),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("AWS_EC2_METADATA_DISABLED"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn keys_expiring_during_a_wait_are_refreshed_before_the_next_poll() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let describes = Arc::new(AtomicUsize::new(0));
    let (f2, d2) = (fetches.clone(), describes.clone());
    let srv = Server::start(move |_, r| {
        if r.target.starts_with("/creds") {
            let n = f2.fetch_add(1, Ordering::SeqCst);
            // Keys that live two seconds.
            return metadata_keys(&format!("ASIAWAIT000{n}"), &in_secs(2));
        }
        let n = d2.fetch_add(1, Ordering::SeqCst);
        describe_ok(if n < 3 { "pending" } else { "available" })
    });
    let home = tempfile::tempdir().unwrap();
    let full = format!("{}/creds", srv.url);
    let o = imgctl(
        home.path(),
        &[
            "image",
            "wait",
            "--provider",
            "ec2",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &srv.url,
            "--image-id",
            "ami-0abc",
            "--poll-interval",
            "1500ms",
            "--no-cache",
        ],
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str())],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ids: Vec<String> = ec2_requests(&srv)
        .iter()
        .map(|r| signed_with(r).0)
        .collect();
    assert!(fetches.load(Ordering::SeqCst) >= 2, "{ids:?}");
    // Never signed with keys past their expiry: later polls use newer keys.
    assert_ne!(ids.first(), ids.last(), "{ids:?}");
}

#[test]
fn sso_from_the_token_cache_of_aws_sso_login() {
    let srv = Server::start(|_, r| {
        if r.target.starts_with("/federation/credentials?") {
            if r.header("x-amz-sso_bearer_token") != Some("sso-access-token-SECRET") {
                return Reply::json(401, r#"{"message":"Session token not found or invalid"}"#);
            }
            assert!(
                r.target.contains("role_name=Builder")
                    && r.target.contains("account_id=123456789012")
            );
            let exp = (OffsetDateTime::now_utc().unix_timestamp() + 3600) * 1000;
            return Reply::json(
                200,
                &format!(
                    r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO00006","secretAccessKey":"{ISSUED_SECRET}","sessionToken":"{SESSION_TOKEN}","expiration":{exp}}}}}"#
                ),
            );
        }
        describe_ok("available")
    });
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/config",
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Builder\nregion = us-east-1\n\n\
         [sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n",
    );
    let digest = {
        use sha1::Digest;
        hex::encode(sha1::Sha1::digest(b"corp"))
    };
    let cache = format!(".aws/sso/cache/{digest}.json");
    write(
        home.path(),
        &cache,
        &format!(
            r#"{{"accessToken":"sso-access-token-SECRET","expiresAt":"{}","region":"eu-west-1"}}"#,
            in_secs(3600)
        ),
    );
    let env = [
        ("AWS_PROFILE", "dev"),
        ("AWS_ENDPOINT_URL_SSO", srv.url.as_str()),
    ];
    let o = describe(home.path(), &srv, &[], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("sso-access-token-SECRET"));
    assert_eq!(
        signed_with(&ec2_requests(&srv)[0]),
        ("ASIASSO00006".into(), "ec2".into())
    );
    // An expired SSO session says what to do.
    write(
        home.path(),
        &cache,
        &format!(
            r#"{{"accessToken":"sso-access-token-SECRET","expiresAt":"{}"}}"#,
            in_secs(-60)
        ),
    );
    let o = describe(home.path(), &srv, &["--no-cache"], &env);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("aws sso login --profile dev"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn role_chains_and_credential_source() {
    // STS issues a key named after the role; the container gives the base.
    let srv = Server::start(|_, r| {
        if r.target.starts_with("/creds") {
            return metadata_keys("ASIACONTBASE", &in_secs(3600));
        }
        match action(r).as_str() {
            "AssumeRole" => {
                let role = param(r, "RoleArn").unwrap_or_default();
                let akid = if role.ends_with("/outer") {
                    "ASIAOUTER"
                } else {
                    "ASIAINNER"
                };
                sts_ok("AssumeRole", akid, &in_secs(3600))
            }
            _ => describe_ok("available"),
        }
    });
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/credentials",
        &format!(
            "[base]\naws_access_key_id = AKIASOURCE0001\naws_secret_access_key = {SOURCE_SECRET}\n"
        ),
    );
    write(
        home.path(),
        ".aws/config",
        "[profile outer]\nrole_arn = arn:aws:iam::1:role/outer\nsource_profile = inner\n\n\
         [profile inner]\nrole_arn = arn:aws:iam::1:role/inner\nsource_profile = base\n\n\
         [profile fromcontainer]\nrole_arn = arn:aws:iam::1:role/outer\ncredential_source = EcsContainer\n\n\
         [profile loop1]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop2\n\n\
         [profile loop2]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop1\n",
    );
    let sts = srv.url.clone();
    let o = describe(
        home.path(),
        &srv,
        &[],
        &[("AWS_PROFILE", "outer"), ("AWS_ENDPOINT_URL_STS", &sts)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let calls: Vec<(String, String)> = srv
        .requests()
        .iter()
        .filter(|r| action(r) == "AssumeRole")
        .map(|r| (param(r, "RoleArn").unwrap_or_default(), signed_with(r).0))
        .collect();
    assert_eq!(
        calls,
        vec![
            (
                "arn:aws:iam::1:role/inner".to_string(),
                "AKIASOURCE0001".to_string()
            ),
            (
                "arn:aws:iam::1:role/outer".to_string(),
                "ASIAINNER".to_string()
            ),
        ]
    );
    assert_eq!(signed_with(&ec2_requests(&srv)[0]).0, "ASIAOUTER");
    // credential_source = EcsContainer: the container's keys sign AssumeRole.
    let full = format!("{}/creds", srv.url);
    let o = describe(
        home.path(),
        &srv,
        &[],
        &[
            ("AWS_PROFILE", "fromcontainer"),
            ("AWS_ENDPOINT_URL_STS", &sts),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let last = srv
        .requests()
        .into_iter()
        .rfind(|r| action(r) == "AssumeRole")
        .unwrap();
    assert_eq!(signed_with(&last).0, "ASIACONTBASE");
    // A loop of source_profile is a configuration error.
    let o = describe(
        home.path(),
        &srv,
        &[],
        &[("AWS_PROFILE", "loop1"), ("AWS_ENDPOINT_URL_STS", &sts)],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("loop"), "{}", stderr(&o));
}
