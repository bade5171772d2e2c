//! The real binary against a scripted EC2 on 127.0.0.1: wire parameters,
//! waiting, dry runs, errors, retries and re-signing.

mod common;

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};
use serde_json::Value;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const NS: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

fn xml(status: u16, body: &str) -> Reply {
    Reply::new(status, "text/xml;charset=UTF-8", body)
}

fn ok(action: &str, inner: &str) -> Reply {
    xml(
        200,
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<{action}Response xmlns="{NS}"><requestId>req-{action}</requestId>{inner}</{action}Response>"#
        ),
    )
}

fn ec2_error(status: u16, code: &str, message: &str) -> Reply {
    xml(
        status,
        &format!(
            "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>\
             </Errors><RequestID>rid-{code}</RequestID></Response>"
        ),
    )
}

fn image(state: &str, reason: &str) -> String {
    format!(
        "<imagesSet><item><imageId>ami-0abc</imageId><imageState>{state}</imageState>\
         <name>web-v1</name>{reason}</item></imagesSet>"
    )
}

/// The decoded form body as (name, value) pairs.
fn form(r: &Recorded) -> Vec<(String, String)> {
    r.body_text()
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(h, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn param(r: &Recorded, name: &str) -> Option<String> {
    form(r).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn action(r: &Recorded) -> String {
    param(r, "Action").unwrap_or_default()
}

fn run(srv: &Server, args: &[&str]) -> std::process::Output {
    run_env(srv, args, &[])
}

fn run_env(srv: &Server, args: &[&str], extra: &[(&str, &str)]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    let mut all = vec![
        "--provider",
        "ec2",
        "--region",
        "us-east-1",
        "--endpoint-url",
        &srv.url,
    ];
    all.extend_from_slice(args);
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    env.extend_from_slice(extra);
    imgctl(home.path(), &all, &env)
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_str(stdout(o).trim())
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

fn assert_no_panic_no_secret(o: &std::process::Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !err.contains(SECRET) && !stdout(o).contains(SECRET),
        "{err}"
    );
}

#[test]
fn create_then_wait_follows_pending_to_available() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "CreateImage" => ok("CreateImage", "<imageId>ami-0abc</imageId>"),
        "DescribeImages" => {
            // pending on the first look, available after
            let n = DESCRIBES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ok(
                "DescribeImages",
                &image(if n == 0 { "pending" } else { "available" }, ""),
            )
        }
        _ => ec2_error(400, "InvalidAction", "unexpected"),
    });
    static DESCRIBES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let o = run(
        &srv,
        &[
            "create",
            "--instance-id",
            "i-1234567890abcdef0",
            "--name",
            "web-v1",
            "--description",
            "built by ci",
            "--no-reboot",
            "--tag",
            "team=a&b=c",
            "--snapshot-tag",
            "Name=snap",
            "--block-device-mapping",
            "DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3}",
            "--block-device-mapping",
            r#"[{"DeviceName":"/dev/sdb","NoDevice":""}]"#,
            "--wait",
            "--poll-interval",
            "10ms",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = json(&o);
    assert_eq!(out["provider"], "ec2");
    assert_eq!(out["operation"], "create");
    assert_eq!(out["image_id"], "ami-0abc");
    assert_eq!(out["status"], "available");
    assert_eq!(out["request_id"], "req-CreateImage");

    let reqs = srv.requests();
    let actions: Vec<String> = reqs.iter().map(action).collect();
    assert_eq!(actions, ["CreateImage", "DescribeImages", "DescribeImages"]);
    let c = &reqs[0];
    assert_eq!(c.method, "POST");
    assert_eq!(c.target, "/");
    assert_eq!(
        c.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    let auth = c.header("authorization").unwrap_or_default();
    assert!(
        auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={AKID}/"))
            && auth.contains("/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="),
        "{auth}"
    );
    let expect = [
        ("Action", "CreateImage"),
        ("Version", "2016-11-15"),
        ("InstanceId", "i-1234567890abcdef0"),
        ("Name", "web-v1"),
        ("Description", "built by ci"),
        ("NoReboot", "true"),
        ("BlockDeviceMapping.1.DeviceName", "/dev/xvda"),
        ("BlockDeviceMapping.1.Ebs.VolumeSize", "20"),
        ("BlockDeviceMapping.1.Ebs.VolumeType", "gp3"),
        ("BlockDeviceMapping.2.DeviceName", "/dev/sdb"),
        ("BlockDeviceMapping.2.NoDevice", ""),
        ("TagSpecification.1.ResourceType", "image"),
        ("TagSpecification.1.Tag.1.Key", "team"),
        ("TagSpecification.1.Tag.1.Value", "a&b=c"),
        ("TagSpecification.2.ResourceType", "snapshot"),
        ("TagSpecification.2.Tag.1.Key", "Name"),
        ("TagSpecification.2.Tag.1.Value", "snap"),
    ];
    let mut got = form(c);
    got.sort();
    let mut want: Vec<(String, String)> = expect
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(param(&reqs[1], "ImageId.1").as_deref(), Some("ami-0abc"));
    assert_no_panic_no_secret(&o);
}

#[test]
fn failed_image_exits_7_with_state_reason() {
    let srv = Server::start(|_, _| {
        ok(
            "DescribeImages",
            &image(
                "failed",
                "<stateReason><code>Client.SnapshotFailed</code>\
                 <message>Snapshot snap-1 failed: volume is gone</message></stateReason>",
            ),
        )
    });
    let o = run(
        &srv,
        &["wait", "--image-id", "ami-0abc", "--poll-interval", "10ms"],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Snapshot snap-1 failed: volume is gone"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["status"], "failed");
    assert_no_panic_no_secret(&o);
}

#[test]
fn not_found_right_after_create_is_not_a_failure() {
    let srv = Server::start(|n, _| match n {
        0 => ok("CreateImage", "<imageId>ami-0abc</imageId>"),
        1 => ec2_error(
            400,
            "InvalidAMIID.NotFound",
            "The image id '[ami-0abc]' does not exist",
        ),
        _ => ok("DescribeImages", &image("available", "")),
    });
    let o = run(
        &srv,
        &[
            "create",
            "--instance-id",
            "i-1234567890abcdef0",
            "--name",
            "web-v1",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["status"], "available");
    assert_eq!(srv.requests().len(), 3);
}

/// Without a create in the same run, an unknown id is the answer.
#[test]
fn not_found_in_a_plain_wait_is_exit_1_at_once() {
    let srv = Server::start(|_, _| {
        ec2_error(
            400,
            "InvalidAMIID.NotFound",
            "The image id '[ami-0abc]' does not exist",
        )
    });
    let o = run(
        &srv,
        &["wait", "--image-id", "ami-0abc", "--poll-interval", "10ms"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(srv.requests().len(), 1);
}

#[test]
fn describe_prints_state_and_name() {
    let srv = Server::start(|_, _| ok("DescribeImages", &image("pending", "")));
    let o = run(&srv, &["describe", "--image-id", "ami-0abc", "--raw"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = json(&o);
    assert_eq!(out["operation"], "describe");
    assert_eq!(out["status"], "pending");
    assert_eq!(out["name"], "web-v1");
    assert_eq!(out["raw"]["imagesSet"][0]["imageId"], "ami-0abc");
}

#[test]
fn dry_run_412_is_success() {
    let srv = Server::start(|_, _| {
        ec2_error(
            412,
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
        )
    });
    let o = run(
        &srv,
        &[
            "create",
            "--instance-id",
            "i-1",
            "--name",
            "web-v1",
            "--dry-run",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = json(&o);
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["request_id"], "rid-DryRunOperation");
    assert!(out.get("image_id").is_none());
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(param(&reqs[0], "DryRun").as_deref(), Some("true"));
}

/// A real create must never pass for a dry run: DryRunOperation counts
/// only when --dry-run asked for it, and a 412 without that code (bare or
/// an HTML page) is an answer we do not understand.
#[test]
fn a_dry_run_answer_without_dry_run_or_a_bare_412_is_not_success() {
    let dry = "<Response><Errors><Error><Code>DryRunOperation</Code><Message>Request would \
               have succeeded</Message></Error></Errors><RequestID>r</RequestID></Response>";
    let cases: [(&str, &str, &str, &[&str]); 3] = [
        ("DryRunOperation without --dry-run", "text/xml", dry, &[]),
        ("bare 412", "text/xml", "", &["--dry-run"]),
        (
            "HTML 412",
            "text/html",
            "<html><body>Precondition Failed</body></html>",
            &["--dry-run"],
        ),
    ];
    for (what, ctype, body, extra) in cases {
        let srv = Server::start(move |_, _| Reply::new(412, ctype, body));
        let mut args = vec!["create", "--instance-id", "i-1", "--name", "web-v1"];
        args.extend_from_slice(extra);
        let o = run(&srv, &args);
        // Not understood, so the create's fate is open; the look-up by
        // name gets the same answer and cannot settle it: exit 5.
        assert_eq!(o.status.code(), Some(5), "{what}: {}", stderr(&o));
        assert!(stdout(&o).trim().is_empty(), "{what}: {}", stdout(&o));
        if extra.is_empty() {
            assert!(stderr(&o).contains("none was asked for"), "{}", stderr(&o));
        }
        // The answer left open what happened: the name is looked up, the
        // create is not sent again.
        let creates = srv
            .requests()
            .iter()
            .filter(|r| action(r) == "CreateImage")
            .count();
        assert_eq!(creates, 1, "{what}");
        assert_no_panic_no_secret(&o);
    }
}

#[test]
fn auth_failure_error_response_exits_4() {
    // moto's shape: an <ErrorResponse> root, no RequestID, text/html.
    let srv = Server::start(|_, _| {
        Reply::new(
            401,
            "text/html; charset=utf-8",
            "<ErrorResponse><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to \
             validate the provided access credentials</Message><Type>Sender</Type></Error>\
             </Errors></ErrorResponse>",
        )
    });
    let o = run(&srv, &["describe", "--image-id", "ami-0abc"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("AuthFailure"), "{err}");
    assert!(err.contains("HTTP status: 401"), "{err}");
    assert!(stdout(&o).is_empty());
    assert_eq!(srv.requests().len(), 1, "an auth failure is not retried");
    assert_no_panic_no_secret(&o);
}

#[test]
fn truncated_xml_is_a_clear_error() {
    let srv = Server::start(|_, _| {
        xml(
            200,
            &format!(r#"<CreateImageResponse xmlns="{NS}"><requestId>r</requestId><imageId>ami-"#),
        )
    });
    let o = run(
        &srv,
        &["create", "--instance-id", "i-1", "--name", "web-v1"],
    );
    // The create may have acted; the look-up cannot tell: exit 5.
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("unexpected response"), "{err}");
    assert!(err.contains("CreateImage"), "{err}");
    assert!(err.contains("may have made an image"), "{err}");
    assert_no_panic_no_secret(&o);
}

#[test]
fn html_from_a_proxy_is_a_clear_error() {
    let srv = Server::start(|_, _| {
        Reply::new(
            200,
            "text/html",
            "<html><body>Welcome to the captive portal</body></html>",
        )
    });
    let o = run(&srv, &["describe", "--image-id", "ami-0abc"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("<DescribeImagesResponse>"),
        "{}",
        stderr(&o)
    );
    assert_no_panic_no_secret(&o);
}

#[test]
fn throttled_503_is_retried_with_a_fresh_signature() {
    let srv = Server::start(|n, _| {
        if n == 0 {
            // Retry-After makes the next attempt fall in a later second,
            // so a fresh signing shows in x-amz-date and the signature.
            ec2_error(503, "RequestLimitExceeded", "Request limit exceeded.")
                .header("Retry-After", "1")
        } else {
            ok("DescribeImages", &image("available", ""))
        }
    });
    let o = run(&srv, &["describe", "--image-id", "ami-0abc"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    let dates: Vec<_> = reqs.iter().map(|r| r.header("x-amz-date")).collect();
    let auths: Vec<_> = reqs.iter().map(|r| r.header("authorization")).collect();
    assert!(
        dates.iter().all(Option::is_some) && dates[0] != dates[1],
        "{dates:?}"
    );
    assert!(
        auths.iter().all(Option::is_some) && auths[0] != auths[1],
        "{auths:?}"
    );
    assert_eq!(reqs[0].body, reqs[1].body);
}

#[test]
fn throttling_that_never_ends_exits_5() {
    let srv = Server::start(|_, _| ec2_error(503, "RequestLimitExceeded", "slow down"));
    let o = run(
        &srv,
        &["describe", "--image-id", "ami-0abc", "--max-attempts", "2"],
    );
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert_eq!(srv.requests().len(), 2);
    assert!(stderr(&o).contains("RequestLimitExceeded"));
}

/// A 503 (Unavailable, ServiceUnavailable, or a bare one) may have been
/// acted on: CreateImage, which has no token, is not sent again (exit 5,
/// not a throttling hint); a read is.
#[test]
fn unavailable_503_is_not_resent_for_create_but_is_for_a_read() {
    for (code, body) in [
        ("Unavailable", None),
        ("ServiceUnavailable", None),
        ("HTTP503", Some("<html>Service Unavailable</html>")),
    ] {
        let srv = Server::start(move |_, r| match (action(r).as_str(), body) {
            ("CreateImage", Some(b)) => Reply::new(503, "text/html", b),
            ("CreateImage", None) => ec2_error(503, code, "The server is unavailable"),
            _ => ok("DescribeImages", "<imagesSet/>"),
        });
        let o = run(
            &srv,
            &["create", "--instance-id", "i-1", "--name", "web-v1"],
        );
        assert_eq!(o.status.code(), Some(5), "{code}: {}", stderr(&o));
        let creates = srv
            .requests()
            .iter()
            .filter(|r| action(r) == "CreateImage")
            .count();
        assert_eq!(creates, 1, "{code}: CreateImage must be sent once");
        let err = stderr(&o);
        assert!(err.contains(code), "{err}");
        assert!(!err.contains("throttling"), "{err}");
    }
    let srv = Server::start(|n, _| {
        if n == 0 {
            ec2_error(503, "Unavailable", "The server is unavailable")
        } else {
            ok("DescribeImages", &image("available", ""))
        }
    });
    let o = run(&srv, &["describe", "--image-id", "ami-0abc"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(srv.requests().len(), 2);
}

#[test]
fn create_is_not_resent_after_a_500() {
    let srv =
        Server::start(|_, _| ec2_error(500, "InternalError", "An internal error has occurred"));
    let o = run(
        &srv,
        &["create", "--instance-id", "i-1", "--name", "web-v1"],
    );
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let reqs = srv.requests();
    let creates = reqs.iter().filter(|r| action(r) == "CreateImage").count();
    assert_eq!(creates, 1, "CreateImage must be sent once");
    let err = stderr(&o);
    assert!(err.contains("InternalError"), "{err}");
    // The look-up by name failed too: the advice is what to look for.
    assert!(
        err.contains("failed too") && err.contains("web-v1"),
        "{err}"
    );
}

/// After an ambiguous CreateImage, the look-up is what botocore sends for
/// describe_images(Owners=["self"], Filters=[name]) and its answer ends up
/// in the error.
#[test]
fn create_after_a_500_names_the_ami_that_exists_now() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "CreateImage" => ec2_error(500, "InternalError", "An internal error has occurred"),
        _ => ok(
            "DescribeImages",
            "<imagesSet><item><imageId>ami-made1</imageId><imageState>pending</imageState>\
             <name>web-v1</name></item><item><imageId>ami-other</imageId>\
             <imageState>available</imageState><name>web-v1-old</name></item></imagesSet>",
        ),
    });
    let o = run(
        &srv,
        &["create", "--instance-id", "i-1", "--name", "web-v1"],
    );
    // The AMI of that name carries no creation date: it cannot be proved
    // this request's, so it is named, not claimed (exit 5).
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("ami-made1") && !err.contains("ami-other"),
        "{err}"
    );
    let reqs = srv.requests();
    assert_eq!(
        reqs.iter().map(action).collect::<Vec<_>>(),
        ["CreateImage", "DescribeImages"]
    );
    let look = form(&reqs[1]);
    for (k, v) in [
        ("Owner.1", "self"),
        ("Filter.1.Name", "name"),
        ("Filter.1.Value.1", "web-v1"),
    ] {
        assert!(
            look.contains(&(k.to_string(), v.to_string())),
            "{k}={v} in {look:?}"
        );
    }
}

/// A 200 that names no new image or task is not a success.
#[test]
fn create_or_import_answer_without_its_id_exits_1() {
    for (verb, act) in [("create", "CreateImage"), ("import", "ImportImage")] {
        let srv = Server::start(move |_, r| match action(r).as_str() {
            "DescribeImages" => ok("DescribeImages", "<imagesSet/>"),
            _ => ok(act, "<status>active</status>"),
        });
        let args: &[&str] = if verb == "create" {
            &["create", "--instance-id", "i-1", "--name", "web-v1"]
        } else {
            &["import", "--url", "s3://b/d.vmdk", "--format", "VMDK"]
        };
        let o = run(&srv, args);
        // A create without a token whose answer is unusable is looked up
        // (nothing found: exit 5); an import has a token (exit 1).
        let want = if verb == "create" { 5 } else { 1 };
        assert_eq!(o.status.code(), Some(want), "{verb}: {}", stderr(&o));
        let field = if verb == "create" {
            "imageId"
        } else {
            "importTaskId"
        };
        assert!(stderr(&o).contains(field), "{verb}: {}", stderr(&o));
        assert!(stdout(&o).trim().is_empty());
    }
}

#[test]
fn duplicate_name_gets_a_hint() {
    let srv = Server::start(|_, _| {
        ec2_error(
            400,
            "InvalidAMIName.Duplicate",
            "AMI name web-v1 is already in use by AMI ami-1",
        )
    });
    let o = run(
        &srv,
        &["create", "--instance-id", "i-1", "--name", "web-v1"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("InvalidAMIName.Duplicate") && err.contains("rid-InvalidAMIName.Duplicate"),
        "{err}"
    );
    assert!(err.contains("name is taken"), "{err}");
}

#[test]
fn session_token_is_sent_and_signed() {
    let srv = Server::start(|_, _| ok("DescribeImages", &image("available", "")));
    let o = run_env(
        &srv,
        &["describe", "--image-id", "ami-0abc", "--debug"],
        &[("AWS_SESSION_TOKEN", "FQoGZXIvYXdzEXAMPLETOKEN")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = &srv.requests()[0];
    assert_eq!(
        r.header("x-amz-security-token"),
        Some("FQoGZXIvYXdzEXAMPLETOKEN")
    );
    assert!(
        r.header("authorization")
            .unwrap_or_default()
            .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"),
    );
    let err = stderr(&o);
    assert!(
        !err.contains("FQoGZXIvYXdzEXAMPLETOKEN"),
        "token in --debug: {err}"
    );
    assert_no_panic_no_secret(&o);
}

#[test]
fn import_then_wait_follows_task_to_image() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "ImportImage" => ok(
            "ImportImage",
            "<importTaskId>import-ami-0123</importTaskId><status>active</status>\
             <statusMessage>pending</statusMessage><progress>2</progress>",
        ),
        "DescribeImportImageTasks" => {
            let n = TASKS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let inner = if n == 0 {
                "<status>active</status><statusMessage>converting</statusMessage><progress>28</progress>"
            } else {
                "<status>completed</status><imageId>ami-0abc</imageId>"
            };
            ok(
                "DescribeImportImageTasks",
                &format!(
                    "<importImageTaskSet><item><importTaskId>import-ami-0123</importTaskId>{inner}</item></importImageTaskSet>"
                ),
            )
        }
        "DescribeImages" => ok("DescribeImages", &image("available", "")),
        _ => ec2_error(400, "InvalidAction", "unexpected"),
    });
    static TASKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let o = run(
        &srv,
        &[
            "import",
            "--url",
            "s3://my-bucket/images/web v1/disk1.vmdk",
            "--disk",
            "s3://my-bucket/disk2.raw",
            "--name",
            "base-2026",
            "--tag",
            "team=web",
            "--platform",
            "Linux",
            "--architecture",
            "x86_64",
            "--boot-mode",
            "uefi",
            "--license-type",
            "BYOL",
            "--role-name",
            "vmimport",
            "--description",
            "nightly",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = json(&o);
    assert_eq!(out["operation"], "import");
    assert_eq!(out["task_id"], "import-ami-0123");
    assert_eq!(out["image_id"], "ami-0abc");
    assert_eq!(out["status"], "available");

    let reqs = srv.requests();
    let actions: Vec<String> = reqs.iter().map(action).collect();
    assert_eq!(
        actions,
        [
            "ImportImage",
            "DescribeImportImageTasks",
            "DescribeImportImageTasks",
            "DescribeImages"
        ]
    );
    let i = &reqs[0];
    for (k, v) in [
        ("DiskContainer.1.Format", "VMDK"),
        ("DiskContainer.1.UserBucket.S3Bucket", "my-bucket"),
        (
            "DiskContainer.1.UserBucket.S3Key",
            "images/web v1/disk1.vmdk",
        ),
        ("DiskContainer.2.Format", "RAW"),
        ("DiskContainer.2.UserBucket.S3Key", "disk2.raw"),
        ("TagSpecification.1.ResourceType", "import-image-task"),
        ("TagSpecification.1.Tag.1.Key", "Name"),
        ("TagSpecification.1.Tag.1.Value", "base-2026"),
        ("TagSpecification.1.Tag.2.Key", "team"),
        ("Platform", "Linux"),
        ("BootMode", "uefi"),
        ("RoleName", "vmimport"),
    ] {
        assert_eq!(param(i, k).as_deref(), Some(v), "{k}");
    }
    let token = param(i, "ClientToken").unwrap_or_default();
    assert!(token.starts_with("imgctl-") && token.len() > 20, "{token}");
    assert_eq!(
        param(&reqs[1], "ImportTaskId.1").as_deref(),
        Some("import-ami-0123")
    );
    assert_eq!(param(&reqs[3], "ImageId.1").as_deref(), Some("ami-0abc"));
}

#[test]
fn import_retry_keeps_the_client_token() {
    let srv = Server::start(|n, _| {
        if n == 0 {
            ec2_error(500, "InternalError", "try again")
        } else {
            ok(
                "ImportImage",
                "<importTaskId>import-ami-1</importTaskId><status>active</status>",
            )
        }
    });
    let o = run(
        &srv,
        &[
            "import",
            "--url",
            "s3://b/k.vmdk",
            "--client-token",
            "tok-7",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2, "a tokened import is safe to resend");
    assert!(
        reqs.iter()
            .all(|r| param(r, "ClientToken").as_deref() == Some("tok-7"))
    );
    assert_eq!(json(&o)["task_id"], "import-ami-1");
}

#[test]
fn deleted_import_task_exits_7() {
    let srv = Server::start(|_, _| {
        ok(
            "DescribeImportImageTasks",
            "<importImageTaskSet><item><importTaskId>import-ami-1</importTaskId>\
             <status>deleted</status><statusMessage>ClientError: Unknown OS / Missing OS files.\
             </statusMessage></item></importImageTaskSet>",
        )
    });
    let o = run(
        &srv,
        &[
            "wait",
            "--task-id",
            "import-ami-1",
            "--poll-interval",
            "10ms",
        ],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("Unknown OS"), "{}", stderr(&o));
    assert_eq!(json(&o)["task_id"], "import-ami-1");
}

#[test]
fn modify_sends_one_call_per_attribute_in_order() {
    let srv = Server::start(|_, _| ok("ModifyImageAttribute", "<return>true</return>"));
    let o = run(
        &srv,
        &[
            "modify",
            "--image-id",
            "ami-0abc",
            "--imds-support",
            "v2.0",
            "--launch-permission-add",
            "123456789012",
            "--make-public",
            "--description",
            "new desc",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    let bodies: Vec<String> = reqs.iter().map(Recorded::body_text).collect();
    assert_eq!(
        bodies,
        [
            "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-0abc&Description.Value=new+desc",
            "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-0abc&LaunchPermission.Add.1.UserId=123456789012&LaunchPermission.Add.2.Group=all",
            "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-0abc&ImdsSupport.Value=v2.0",
        ]
    );
    assert!(stderr(&o).contains("3 calls"), "{}", stderr(&o));
    assert_eq!(json(&o)["image_id"], "ami-0abc");
}

#[test]
fn modify_failure_midway_says_what_was_changed() {
    let srv = Server::start(|n, _| {
        if n == 0 {
            ok("ModifyImageAttribute", "<return>true</return>")
        } else {
            ec2_error(400, "InvalidParameterValue", "bad account")
        }
    });
    let o = run(
        &srv,
        &[
            "modify",
            "--image-id",
            "ami-0abc",
            "--description",
            "d",
            "--make-private",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("already changed: description; not changed: launchPermission"),
        "{err}"
    );
}

#[test]
fn missing_region_is_a_config_error() {
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &["describe", "--provider", "ec2", "--image-id", "ami-1"],
        &[
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("region"));
}

#[test]
fn ecs_only_disk_type_is_refused() {
    let srv = Server::start(|_, _| ok("CreateImage", "<imageId>ami-1</imageId>"));
    let o = run(
        &srv,
        &[
            "create",
            "--instance-id",
            "i-1",
            "--name",
            "web-v1",
            "--block-device-mapping",
            "device=/dev/xvda,size=20,disk-type=system",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("DiskType"));
    assert!(srv.requests().is_empty(), "nothing may be sent");
}

#[test]
fn endpoint_from_aws_endpoint_url_ec2() {
    let srv = Server::start(|_, _| ok("DescribeImages", &image("available", "")));
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &["describe", "--provider", "ec2", "--image-id", "ami-0abc"],
        &[
            ("AWS_ACCESS_KEY_ID", AKID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL_EC2", &srv.url),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let auth = srv.requests()[0]
        .header("authorization")
        .unwrap_or_default()
        .to_string();
    assert!(auth.contains("/eu-west-1/ec2/aws4_request"), "{auth}");
}

#[test]
fn throttling_during_a_wait_does_not_end_it() {
    let srv = Server::start(|n, _| {
        if n < 2 {
            ec2_error(503, "RequestLimitExceeded", "slow down")
        } else {
            ok("DescribeImages", &image("available", ""))
        }
    });
    let o = run(
        &srv,
        &[
            "wait",
            "--image-id",
            "ami-0abc",
            "--poll-interval",
            "10ms",
            "--max-attempts",
            "1",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(srv.requests().len(), 3);
}

#[test]
fn describe_unknown_image_keeps_the_cloud_error() {
    let srv = Server::start(|n, _| {
        if n == 0 {
            ec2_error(
                400,
                "InvalidAMIID.NotFound",
                "The image id '[ami-0abc]' does not exist",
            )
        } else {
            ok("DescribeImages", "<imagesSet/>")
        }
    });
    let o = run(&srv, &["describe", "--image-id", "ami-0abc"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("The image id '[ami-0abc]' does not exist")
            && err.contains("rid-InvalidAMIID.NotFound"),
        "{err}"
    );
    // an empty set (a deregistered image) says the same, with its request id
    let o = run(&srv, &["describe", "--image-id", "ami-0abc"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("InvalidAMIID.NotFound") && err.contains("req-DescribeImages"),
        "{err}"
    );
}
