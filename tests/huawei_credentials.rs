//! Huawei Cloud temporary AK/SK end to end: a security token from the
//! environment, and keys from the ECS metadata service, against stubs on
//! 127.0.0.1. The token is a signed header; no secret in any output.

mod common;

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const IMAGE: &str = "e9e91bff-0000-4e1e-b95f-e67e48b6129a";
const SECRET: &str = "hw-temp-secret-SECRET";
const TOKEN: &str = "gQpjbi1ub3J0aC00-security-token-SECRET";
const SECRETS: &[&str] = &[SECRET, TOKEN, "meta-token-SECRET"];

fn image_reply() -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"images":[{{"id":"{IMAGE}","name":"web-v1","status":"active","min_disk":40}}]}}"#
        ),
    )
}

fn describe(srv: &Server, env: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &[
            "image",
            "describe",
            "--provider",
            "ims",
            "--region",
            "cn-north-4",
            "--endpoint-url",
            &srv.url,
            "--image-id",
            IMAGE,
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
    o
}

fn ims_calls(srv: &Server) -> Vec<Recorded> {
    srv.requests()
        .into_iter()
        .filter(|r| r.target.starts_with("/v2/"))
        .collect()
}

fn signed_headers(r: &Recorded) -> String {
    let a = r.header("authorization").unwrap_or_default();
    a.split("SignedHeaders=")
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn access(r: &Recorded) -> String {
    let a = r.header("authorization").unwrap_or_default();
    a.split("Access=")
        .nth(1)
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn security_token_from_the_environment_is_a_signed_header() {
    let srv = Server::start(|_, _| image_reply());
    let o = describe(
        &srv,
        &[
            ("HUAWEICLOUD_SDK_AK", "HWTEMPAK0001"),
            ("HUAWEICLOUD_SDK_SK", SECRET),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN),
            ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let call = &ims_calls(&srv)[0];
    assert_eq!(call.header("x-security-token"), Some(TOKEN));
    assert_eq!(access(call), "HWTEMPAK0001");
    assert!(
        signed_headers(call)
            .split(';')
            .any(|h| h == "x-security-token"),
        "{}",
        signed_headers(call)
    );
}

#[test]
fn ecs_metadata_keys_when_nothing_else_is_configured() {
    let srv = Server::start(|_, r| match (r.method.as_str(), r.target.as_str()) {
        ("PUT", "/meta-data/latest/api/token") => {
            assert_eq!(r.header("x-metadata-token-ttl-seconds"), Some("21600"));
            Reply::new(200, "text/plain", "meta-token-SECRET")
        }
        ("GET", "/openstack/latest/securitykey") => {
            if r.header("x-metadata-token") != Some("meta-token-SECRET") {
                return Reply::json(401, "{}");
            }
            Reply::json(
                200,
                &format!(
                    r#"{{"credential":{{"access":"HWMETAAK0002","secret":"{SECRET}","securitytoken":"{TOKEN}","expires_at":"2099-11-30T12:00:00.000000Z"}}}}"#
                ),
            )
        }
        _ => image_reply(),
    });
    let o = describe(
        &srv,
        &[
            ("IMGCTL_HUAWEI_METADATA_ENDPOINT", srv.url.as_str()),
            ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let call = &ims_calls(&srv)[0];
    assert_eq!(access(call), "HWMETAAK0002");
    assert_eq!(call.header("x-security-token"), Some(TOKEN));
    // Without credentials or a metadata service: exit 3, the usual advice.
    let o = describe(
        &srv,
        &[("IMGCTL_HUAWEI_METADATA_ENDPOINT", "http://127.0.0.1:1")],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("HUAWEICLOUD_SDK_AK"), "{}", stderr(&o));
}

/// Issue 11 regression: token mode scopes the token to
/// HUAWEICLOUD_SDK_PROJECT_ID when it is set (config show displays it).
#[test]
fn token_mode_is_scoped_to_the_configured_project_id() {
    let srv = Server::start(|_, r| {
        if r.method == "POST" && r.target.starts_with("/v3/auth/tokens") {
            return Reply::json(
                201,
                &format!(
                    r#"{{"token":{{"expires_at":"2099-01-04T09:05:22.701000Z","project":{{"id":"{PROJECT}","name":"cn-north-4_sub"}}}}}}"#
                ),
            )
            .header("X-Subject-Token", "MIIatAYJ-test-token-0123456789");
        }
        image_reply()
    });
    let o = imgctl(
        tempfile::tempdir().unwrap().path(),
        &[
            "image",
            "describe",
            "--provider",
            "ims",
            "--region",
            "cn-north-4",
            "--endpoint-url",
            &srv.url,
            "--iam-endpoint-url",
            &srv.url,
            "--image-id",
            IMAGE,
        ],
        &[
            ("HW_USER_NAME", "alice"),
            ("HW_PASSWORD", "hw-password-SECRET"),
            ("HW_DOMAIN_NAME", "acme"),
            ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tok = srv
        .requests()
        .into_iter()
        .find(|r| r.target.starts_with("/v3/auth/tokens"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&tok.body).unwrap();
    assert_eq!(
        body["auth"]["scope"],
        serde_json::json!({"project": {"id": PROJECT}})
    );
}
