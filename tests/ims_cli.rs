//! The imgctl binary against a scripted Huawei IAM + IMS on 127.0.0.1:
//! the token flow and its cache, job polling, the IMG.0035 fallback, every
//! error shape and exit code, and that the token never leaks.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};
use serde_json::Value;

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const IMAGE: &str = "e9e91bff-0000-4e1e-b95f-e67e48b6129a";
const JOB: &str = "ff8080814dbd65d7014dbe0d84db0013";
const INSTANCE: &str = "877a2cda-ba63-4e1e-b95f-e67e48b6129a";
const PASSWORD: &str = "S3cret!pw-for-tests";

fn token_value(n: usize) -> String {
    format!("MIIatAYJKoZIhvcNAQcCoII-test-token-{n}-0123456789abcdef")
}

/// A 201 token answer as IAM gives it (ref/huawei.md §1.1).
fn token_reply(n: usize) -> Reply {
    Reply::json(
        201,
        &format!(
            r#"{{"token":{{"catalog":[],"expires_at":"2099-01-04T09:05:22.701000Z","issued_at":"2026-01-03T09:05:22.701000Z","methods":["password"],"project":{{"domain":{{"id":"d1","name":"acct"}},"id":"{PROJECT}","name":"cn-north-4"}},"user":{{"domain":{{"id":"d1","name":"acct"}},"id":"u1","name":"alice","password_expires_at":""}}}}}}"#
        ),
    )
    .header("X-Subject-Token", &token_value(n))
    .header("X-Request-Id", "iam-req-1")
}

fn image_reply(status: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"images":[{{"id":"{IMAGE}","name":"web-v1","status":"{status}","min_disk":40,"max_ram":"0"}}]}}"#
        ),
    )
}

fn job_reply(status: &str, extra: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"status":"{status}","job_id":"{JOB}","job_type":"createImageByInstance","entities":{{"image_id":"{IMAGE}","process_percent":0.5}},"error_code":null,"fail_reason":null{extra}}}"#
        ),
    )
    .header("X-Request-Id", "job-req")
}

fn is_token_request(r: &Recorded) -> bool {
    r.method == "POST" && r.target.starts_with("/v3/auth/tokens")
}

/// IAM and IMS on one server: tokens numbered from 1, a job that runs
/// twice then succeeds, and `extra` for anything the test scripts itself.
fn cloud(
    extra: impl Fn(&Recorded) -> Option<Reply> + Send + Sync + 'static,
) -> (Server, Arc<AtomicUsize>) {
    let tokens = Arc::new(AtomicUsize::new(0));
    let issued = tokens.clone();
    let job_polls = AtomicUsize::new(0);
    let server = Server::start(move |_, r| {
        if let Some(reply) = extra(r) {
            return reply;
        }
        if is_token_request(r) {
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            return token_reply(n);
        }
        let path = r.target.split('?').next().unwrap_or("");
        match (r.method.as_str(), path) {
            ("POST", "/v2/cloudimages/action") | ("POST", "/v2/cloudimages/quickimport/action") => {
                Reply::json(200, &format!(r#"{{"job_id":"{JOB}"}}"#))
                    .header("X-Request-Id", "create-req-7")
            }
            ("GET", p) if p == format!("/v1/{PROJECT}/jobs/{JOB}") => {
                let n = job_polls.fetch_add(1, Ordering::SeqCst);
                job_reply(if n < 2 { "RUNNING" } else { "SUCCESS" }, "")
            }
            ("GET", "/v2/cloudimages") => image_reply("active"),
            _ => Reply::json(
                404,
                r#"{"error":{"code":"IMG.0001","message":"no such API in this test"}}"#,
            ),
        }
    });
    (server, tokens)
}

fn token_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("HW_USER_NAME", "alice"),
        ("HW_PASSWORD", PASSWORD),
        ("HW_DOMAIN_NAME", "acct"),
    ]
}

fn aksk_env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE0000000001"),
        (
            "HUAWEICLOUD_SDK_SK",
            "SKEXAMPLE0000000000000000000000000000001",
        ),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ]
}

fn args<'a>(server: &'a Server, verb: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--provider",
        "ims",
        "--region",
        "cn-north-4",
        "--endpoint-url",
        &server.url,
        "--iam-endpoint-url",
        &server.url,
    ];
    a.extend_from_slice(verb);
    a
}

const CREATE: &[&str] = &["create", "--instance-id", INSTANCE, "--name", "web-v1"];

fn run(home: &Path, server: &Server, verb: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    imgctl(home, &args(server, verb), env)
}

fn json_out(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

fn cache_files(home: &Path) -> Vec<PathBuf> {
    let dir = home.join(".cache/imgctl/huawei");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok().map(|e| e.path())).collect()
}

fn with_flags<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

#[test]
fn token_create_wait_follows_the_job_to_the_image() {
    let (server, _) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let verb = with_flags(CREATE, &["--wait", "--poll-interval", "10ms"]);
    let o = run(home.path(), &server, &verb, &token_env());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["provider"], "ims");
    assert_eq!(v["operation"], "create");
    assert_eq!(v["image_id"], IMAGE);
    assert_eq!(v["job_id"], JOB);
    // The wait ends on the image's status, not the job's SUCCESS.
    assert_eq!(v["status"], "active");
    assert_eq!(v["request_id"], "create-req-7");

    let reqs = server.requests();
    let kinds: Vec<String> = reqs
        .iter()
        .map(|r| format!("{} {}", r.method, r.target.split('?').next().unwrap_or("")))
        .collect();
    let job_path = format!("GET /v1/{PROJECT}/jobs/{JOB}");
    assert_eq!(
        kinds,
        vec![
            "POST /v3/auth/tokens",
            "POST /v2/cloudimages/action",
            &job_path,
            &job_path,
            &job_path,
            "GET /v2/cloudimages",
        ]
    );
    // The token request: password identity scoped to the region's project.
    let auth: Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(
        auth,
        serde_json::json!({"auth":{"identity":{"methods":["password"],"password":{"user":{
            "domain":{"name":"acct"},"name":"alice","password":PASSWORD}}},
            "scope":{"project":{"name":"cn-north-4"}}}})
    );
    assert!(reqs[0].header("x-auth-token").is_none());
    for r in &reqs[1..] {
        assert_eq!(r.header("x-auth-token"), Some(token_value(1).as_str()));
        assert!(r.header("authorization").is_none());
    }
    let create: Value = serde_json::from_slice(&reqs[1].body).unwrap();
    assert_eq!(
        create,
        serde_json::json!({"name":"web-v1","instance_id":INSTANCE})
    );
    assert_eq!(reqs[5].target, format!("/v2/cloudimages?id={IMAGE}"));
}

#[test]
fn cached_token_is_reused_owner_only_and_never_printed() {
    let (server, tokens) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let first = run(home.path(), &server, CREATE, &token_env());
    assert_eq!(first.status.code(), Some(0), "stderr: {}", stderr(&first));
    let second = run(
        home.path(),
        &server,
        &["describe", "--image-id", IMAGE],
        &token_env(),
    );
    assert_eq!(second.status.code(), Some(0), "stderr: {}", stderr(&second));
    assert_eq!(json_out(&second)["status"], "active");
    assert_eq!(
        tokens.load(Ordering::SeqCst),
        1,
        "the second run fetched a token"
    );
    let token_posts = server
        .requests()
        .iter()
        .filter(|r| is_token_request(r))
        .count();
    assert_eq!(token_posts, 1);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-auth-token"), Some(token_value(1).as_str()));

    let files = cache_files(home.path());
    let token_files: Vec<_> = files
        .iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains(&token_value(1))))
        .collect();
    assert_eq!(token_files.len(), 1, "cache files: {files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(token_files[0])
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for o in [&first, &second] {
        assert!(!stdout(o).contains(&token_value(1)));
        assert!(!stderr(o).contains(&token_value(1)));
        assert!(!stderr(o).contains(PASSWORD));
    }
}

#[test]
fn a_401_on_a_cached_token_fetches_one_new_token() {
    let revoked = Arc::new(AtomicBool::new(false));
    let r2 = revoked.clone();
    let (server, tokens) = cloud(move |r| {
        let old = token_value(1);
        (r2.load(Ordering::SeqCst) && r.header("x-auth-token") == Some(old.as_str())).then(|| {
            Reply::json(
                401,
                r#"{"error_msg":"The token must be updated.","error_code":"APIGW.0301"}"#,
            )
        })
    });
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &server, CREATE, &token_env());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    revoked.store(true, Ordering::SeqCst);
    let o = run(home.path(), &server, CREATE, &token_env());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(tokens.load(Ordering::SeqCst), 2);
    let reqs = server.requests();
    let tail: Vec<_> = reqs[2..]
        .iter()
        .map(|r| {
            (
                r.target.clone(),
                r.header("x-auth-token").map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        tail,
        vec![
            ("/v2/cloudimages/action".into(), Some(token_value(1))),
            ("/v3/auth/tokens?nocatalog=true".into(), None),
            ("/v2/cloudimages/action".into(), Some(token_value(2))),
        ]
    );
    // The cache now holds the new token.
    let cached: String = cache_files(home.path())
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(cached.contains(&token_value(2)) && !cached.contains(&token_value(1)));
}

#[test]
fn a_401_on_a_fresh_token_is_an_auth_error_without_a_loop() {
    let (server, tokens) = cloud(|r| {
        (!is_token_request(r)).then(|| {
            Reply::json(
                401,
                r#"{"error_msg":"Incorrect IAM authentication information: decrypt token fail","error_code":"APIGW.0301","request_id":"gw-1"}"#,
            )
        })
    });
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &server, CREATE, &token_env());
    assert_eq!(o.status.code(), Some(4), "stderr: {}", stderr(&o));
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests().len(), 2);
    let err = stderr(&o);
    assert!(err.contains("APIGW.0301") && err.contains("gw-1"), "{err}");
}

#[test]
fn a_failed_job_exits_7_with_its_reason() {
    let (server, _) = cloud(|r| {
        r.target.contains("/jobs/").then(|| {
            Reply::json(
                200,
                &format!(
                    r#"{{"status":"FAIL","job_id":"{JOB}","entities":{{}},"error_code":"IMS.0195","fail_reason":"the ECS has too many data disks"}}"#
                ),
            )
        })
    });
    let home = tempfile::tempdir().unwrap();
    let verb = with_flags(CREATE, &["--wait", "--poll-interval", "10ms"]);
    let o = run(home.path(), &server, &verb, &token_env());
    assert_eq!(o.status.code(), Some(7), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("the ECS has too many data disks"));
    assert!(stderr(&o).contains("IMS.0195"));
    let v = json_out(&o);
    assert_eq!(v["job_id"], JOB);
    assert_eq!(v["status"], "FAIL");
}

/// A failed job that left an image behind names it, so it can be found
/// and deleted.
#[test]
fn a_failed_job_names_the_image_it_left() {
    let (server, _) = cloud(|r| {
        r.target.contains("/jobs/").then(|| {
            Reply::json(
                200,
                &format!(
                    r#"{{"status":"FAIL","job_id":"{JOB}","entities":{{"image_id":"{IMAGE}"}},"error_code":"IMS.0195","fail_reason":"conversion failed"}}"#
                ),
            )
        })
    });
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &["wait", "--job-id", JOB, "--poll-interval", "10ms"],
        &token_env(),
    );
    assert_eq!(o.status.code(), Some(7), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("conversion failed"), "{}", stderr(&o));
    assert!(stderr(&o).contains(IMAGE), "{}", stderr(&o));
}

#[test]
fn wait_on_a_killed_image_exits_7_and_saving_keeps_waiting() {
    let polls = AtomicUsize::new(0);
    let (server, _) = cloud(move |r| {
        r.target.starts_with("/v2/cloudimages?").then(|| {
            match polls.fetch_add(1, Ordering::SeqCst) {
                0 => image_reply("queued"),
                1 => image_reply("saving"),
                _ => image_reply("killed"),
            }
        })
    });
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &["wait", "--image-id", IMAGE, "--poll-interval", "10ms"],
        &aksk_env(),
    );
    assert_eq!(o.status.code(), Some(7), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("killed"));
    let gets = server
        .requests()
        .iter()
        .filter(|r| r.target.starts_with("/v2/cloudimages?"))
        .count();
    assert_eq!(gets, 3);
}

#[test]
fn wait_job_id_follows_a_job() {
    let (server, _) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &["wait", "--job-id", JOB, "--poll-interval", "10ms"],
        &token_env(),
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["image_id"], IMAGE);
    assert_eq!(v["status"], "active");
}

#[test]
fn modify_falls_back_to_add_when_the_attribute_is_absent() {
    let (server, _) = cloud(|r| {
        if r.method != "PATCH" {
            return None;
        }
        let ops: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        let replaces_description = ops
            .as_array()
            .into_iter()
            .flatten()
            .any(|o| o["op"] == "replace" && o["path"] == "/__description");
        Some(if replaces_description {
            Reply::json(
                400,
                r#"{"error":{"code":"IMG.0035","message":"The attribute does not exist."}}"#,
            )
        } else {
            Reply::json(
                200,
                &format!(
                    r#"{{"id":"{IMAGE}","name":"renamed","status":"active","__description":"d"}}"#
                ),
            )
        })
    });
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &[
            "modify",
            "--image-id",
            IMAGE,
            "--name",
            "renamed",
            "--description",
            "nightly build",
        ],
        &aksk_env(),
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["image_id"], IMAGE);
    assert_eq!(v["name"], "renamed");
    let patches: Vec<Value> = server
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .map(|r| {
            assert_eq!(r.target, format!("/v2/cloudimages/{IMAGE}"));
            serde_json::from_slice(&r.body).unwrap()
        })
        .collect();
    let name = serde_json::json!({"op":"replace","path":"/name","value":"renamed"});
    let desc =
        |op: &str| serde_json::json!({"op":op,"path":"/__description","value":"nightly build"});
    assert_eq!(
        patches,
        vec![
            serde_json::json!([name.clone(), desc("replace")]),
            serde_json::json!([name]),
            serde_json::json!([desc("replace")]),
            serde_json::json!([desc("add")]),
        ]
    );
}

#[test]
fn every_error_shape_gets_its_exit_code() {
    let cases: &[(u16, &str, i32, &str)] = &[
        (
            400,
            r#"{"error_code":"IMG.0009","error_msg":"The image name already exists."}"#,
            1,
            "IMG.0009",
        ),
        (
            400,
            r#"{"error":{"code":"IMG.0008","message":"The ECS is not in stopped state."}}"#,
            1,
            "stop",
        ),
        (
            400,
            r#"{"errorCode":"IMG.0001","errorMsg":"bad"}"#,
            1,
            "IMG.0001",
        ),
        (
            400,
            r#"{"code":"IMG.0005","message":"no ecs"}"#,
            1,
            "IMG.0005",
        ),
        (
            401,
            r#"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"r1"}"#,
            4,
            "APIGW.0301",
        ),
        (
            403,
            r#"{"error":{"code":403,"message":"You do not have permission.","title":"Forbidden"}}"#,
            4,
            "403",
        ),
        (
            429,
            r#"{"error_msg":"The throttling threshold has been reached","error_code":"APIGW.0308"}"#,
            5,
            "APIGW.0308",
        ),
        (
            400,
            r#"{"error":{"code":"IMG.0060","message":"The number of tasks exceeds the flow control limit."}}"#,
            5,
            "IMG.0060",
        ),
        (
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            5,
            "502",
        ),
        (
            200,
            "<html><body>captive portal</body></html>",
            5,
            "not JSON",
        ),
        // Answers that leave the create's fate open and that the look-up
        // (answered alike) cannot settle: exit 5.
        (200, r#"{"job_id": "ff80"#, 5, "not JSON"),
        (200, r#"{"jobid":"x"}"#, 5, "job_id"),
        // Unavailable may have acted: not sent again, but exit 5.
        (
            503,
            r#"{"error_msg":"Backend unavailable","error_code":"APIGW.0202","request_id":"r"}"#,
            5,
            "APIGW.0202",
        ),
        (503, "<html>Service Unavailable</html>", 5, "503"),
    ];
    for &(status, body, exit, needle) in cases {
        let body = body.to_string();
        let server = Server::start(move |_, _| {
            Reply::new(
                status,
                if body.starts_with('<') {
                    "text/html"
                } else {
                    "application/json"
                },
                body.clone(),
            )
            .header("X-Request-Id", "req-abc")
            .header("Retry-After", "0")
        });
        let home = tempfile::tempdir().unwrap();
        let verb = with_flags(&["--max-attempts", "2"], CREATE);
        let o = run(home.path(), &server, &verb, &aksk_env());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(exit), "{status} {needle}: {err}");
        assert!(err.contains(needle), "{status}: '{needle}' not in {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(stdout(&o).is_empty());
        // Ambiguous answers are followed by a look-up by name (a GET).
        let sent = server
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count();
        // Throttling was not processed: sent again. Nothing else was.
        let throttled = matches!(needle, "APIGW.0308" | "IMG.0060");
        let want = if throttled { 2 } else { 1 };
        assert_eq!(sent, want, "{status} {needle}");
        assert!(err.contains("req-abc"), "request id missing: {err}");
    }
}

#[test]
fn debug_output_never_shows_the_token_or_password() {
    let (server, _) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let verb = with_flags(&["--debug"], CREATE);
    let verb = with_flags(&verb, &["--wait", "--poll-interval", "10ms"]);
    let o = run(home.path(), &server, &verb, &token_env());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("POST /v3/auth/tokens") || err.contains("/v3/auth/tokens"));
    assert!(
        err.contains("x-auth-token: ****") || err.contains("X-Auth-Token: ****"),
        "{err}"
    );
    assert!(!err.contains(&token_value(1)), "token in debug output");
    assert!(!err.contains(PASSWORD), "password in debug output");
    // A second run, from the cache, logs no token either.
    let o = run(home.path(), &server, &verb, &token_env());
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains(&token_value(1)));
}

#[test]
fn aksk_looks_the_project_up_once_and_caches_it() {
    let (server, _) = cloud(|r| {
        r.target.starts_with("/v3/projects").then(|| {
            Reply::json(
                200,
                &format!(
                    r#"{{"projects":[{{"id":"{PROJECT}","name":"cn-north-4"}}],"links":{{}}}}"#
                ),
            )
        })
    });
    let home = tempfile::tempdir().unwrap();
    let no_project = &aksk_env()[..2];
    for _ in 0..2 {
        let o = run(home.path(), &server, CREATE, no_project);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    }
    let reqs = server.requests();
    let targets: Vec<&str> = reqs.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        vec![
            "/v3/projects?name=cn-north-4",
            "/v2/cloudimages/action",
            "/v2/cloudimages/action"
        ]
    );
    assert!(reqs[0].header("x-project-id").is_none());
    assert!(
        reqs[0]
            .header("authorization")
            .is_some_and(|a| a.starts_with("SDK-HMAC-SHA256 Access=AKIDEXAMPLE0000000001, "))
    );
    for r in &reqs[1..] {
        assert_eq!(r.header("x-project-id"), Some(PROJECT));
        assert!(r.header("x-sdk-date").is_some());
        assert!(r.header("x-auth-token").is_none());
    }
}

#[test]
fn dry_run_in_token_mode_sends_nothing() {
    let (server, _) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let verb = with_flags(&["--dry-run", "--debug"], CREATE);
    let o = run(home.path(), &server, &verb, &token_env());
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(json_out(&o)["dry_run"], true);
    assert!(server.requests().is_empty(), "a dry run sent a request");
    let err = stderr(&o);
    assert!(
        err.contains("/v2/cloudimages/action") && err.contains("dry run"),
        "{err}"
    );
    assert!(cache_files(home.path()).is_empty());
}

#[test]
fn dry_run_with_aksk_shows_a_signed_request() {
    let (server, _) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &[
            "--dry-run",
            "--debug",
            "modify",
            "--image-id",
            IMAGE,
            "--name",
            "n2",
        ],
        &aksk_env(),
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(json_out(&o)["dry_run"], true);
    assert!(server.requests().is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("PATCH") && err.contains("SDK-HMAC-SHA256 Access="),
        "{err}"
    );
    assert!(err.contains("Signature=****"));
    assert!(!err.contains("SKEXAMPLE"));
}

#[test]
fn configuration_errors_exit_3() {
    let home = tempfile::tempdir().unwrap();
    let base = [
        "--provider",
        "ims",
        "--region",
        "cn-north-4",
        "create",
        "--instance-id",
        INSTANCE,
        "--name",
        "x",
    ];
    // Neither keys nor a user.
    let o = imgctl(home.path(), &base, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // A token never travels over plain HTTP to another host.
    let mut a = vec!["--iam-endpoint-url", "http://iam.example.com"];
    a.extend_from_slice(&base);
    let o = imgctl(home.path(), &a, &token_env());
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("plain HTTP"));
    // --auth-mode aksk without keys.
    let mut a = vec!["--auth-mode", "aksk"];
    a.extend_from_slice(&base);
    let o = imgctl(home.path(), &a, &token_env());
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn quick_import_goes_to_its_own_endpoint_and_refuses_disks() {
    let (server, _) = cloud(|_| None);
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &[
            "import",
            "--name",
            "base",
            "--url",
            "obs://bkt/img/disk.zvhd2",
            "--min-disk",
            "40",
            "--os-version",
            "Ubuntu 22.04 server 64bit",
            "--quick-import",
        ],
        &token_env(),
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(json_out(&o)["job_id"], JOB);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.target, "/v2/cloudimages/quickimport/action");
    let body: Value = serde_json::from_slice(&last.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"name":"base","image_url":"bkt:img/disk.zvhd2","min_disk":40,
                           "os_version":"Ubuntu 22.04 server 64bit"})
    );
    // --disk with --quick-import is refused before anything is sent.
    let before = server.requests().len();
    let o = run(
        home.path(),
        &server,
        &[
            "import",
            "--name",
            "base",
            "--url",
            "obs://bkt/a.zvhd2",
            "--disk",
            "obs://bkt/b.zvhd2",
            "--min-disk",
            "40",
            "--os-version",
            "x",
            "--quick-import",
        ],
        &token_env(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(server.requests().len(), before);
}

/// An image list whose first entry is another image (a filter the server
/// ignored) must not answer for the id asked about.
#[test]
fn describe_and_wait_match_the_image_id_exactly() {
    const OTHER: &str = "0000aaaa-0000-4e1e-b95f-e67e48b6129a";
    let list = |with_ours: bool| {
        let mut images = vec![format!(
            r#"{{"id":"{OTHER}","name":"other","status":"active","min_disk":40}}"#
        )];
        if with_ours {
            images.push(format!(
                r#"{{"id":"{IMAGE}","name":"web-v1","status":"killed","min_disk":40}}"#
            ));
        }
        Reply::json(200, &format!(r#"{{"images":[{}]}}"#, images.join(",")))
    };
    let (server, _) = cloud(move |r| {
        let ours = r.target.contains(IMAGE);
        r.target
            .starts_with("/v2/cloudimages?")
            .then(|| list(ours && !r.target.contains("missing")))
    });
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &server,
        &["describe", "--image-id", IMAGE],
        &aksk_env(),
    );
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(
        (v["image_id"].as_str(), v["status"].as_str()),
        (Some(IMAGE), Some("killed"))
    );

    let o = run(
        home.path(),
        &server,
        &["wait", "--image-id", IMAGE, "--poll-interval", "10ms"],
        &aksk_env(),
    );
    assert_eq!(
        o.status.code(),
        Some(7),
        "the other image is active, ours killed: {}",
        stderr(&o)
    );

    let o = run(
        home.path(),
        &server,
        &["describe", "--image-id", "missing-image"],
        &aksk_env(),
    );
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    assert!(!stdout(&o).contains(OTHER), "{}", stdout(&o));
}
