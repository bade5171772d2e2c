//! The imgctl binary against a scripted Alibaba endpoint (ENS and ECS):
//! waiting, failed states, dry runs, error bodies and exit codes, retries
//! with fresh signatures, unreadable answers, unreachable endpoints.

mod common;

use std::process::Command;

use common::{Recorded, Reply, Server, imgctl, stderr, stdout};
use serde_json::Value;

const ENV: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "imgctl-demo"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "imgctl-demo-secret"),
];

fn run(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().expect("tempdir");
    imgctl(home.path(), args, ENV)
}

fn json_out(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o))
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded query parameter `name` of a recorded request.
fn param(r: &Recorded, name: &str) -> Option<String> {
    let q = r.target.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (decode(k) == name).then(|| decode(v))
    })
}

/// The API action, from the V3 header or the V1 parameter.
fn action(r: &Recorded) -> String {
    r.header("x-acs-action")
        .map(str::to_string)
        .or_else(|| param(r, "Action"))
        .unwrap_or_default()
}

fn ens_image(id: &str, status: &str) -> String {
    format!(
        r#"{{"ImageId":"{id}","ImageName":"web-v1","Status":"{status}","ComputeType":"ens_vm"}}"#
    )
}

/// DescribeSelfImages answers: the fuzzy filter also returns a decoy whose
/// id only starts with the one asked for.
fn self_images(id: &str, status: &str) -> Reply {
    Reply::json(
        200,
        &format!(
            r#"{{"Code":0,"RequestId":"R-D","PageNumber":"1","PageSize":"50","TotalCount":"2","Images":{{"Image":[{},{}]}}}}"#,
            ens_image(&format!("{id}x"), "Pack_failed"),
            ens_image(id, status)
        ),
    )
}

#[test]
fn ens_create_waits_through_every_state_to_available() {
    let states = ["Creating", "Packing", "Uploading", "Available"];
    let srv = Server::start(move |n, _| match n {
        0 => Reply::json(200, r#"{"RequestId":"R-0","Code":0,"ImageId":"m-wait1"}"#),
        _ => self_images("m-wait1", states[(n - 1).min(3)]),
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "image",
        "create",
        "--name",
        "web-v1",
        "--instance-id",
        "i-5rr1bnyrc4tswr8cq3w6y",
        "--wait",
        "--poll-interval",
        "10ms",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["image_id"], "m-wait1");
    assert_eq!(v["status"], "Available");
    assert_eq!(v["request_id"], "R-0");
    let reqs = srv.requests();
    let actions: Vec<String> = reqs.iter().map(action).collect();
    assert_eq!(
        actions,
        [
            "CreateImage",
            "DescribeSelfImages",
            "DescribeSelfImages",
            "DescribeSelfImages",
            "DescribeSelfImages"
        ]
    );
    assert_eq!(param(&reqs[0], "ImageName").as_deref(), Some("web-v1"));
    assert_eq!(param(&reqs[1], "ImageId").as_deref(), Some("m-wait1"));
}

#[test]
fn ens_pack_failed_exits_7_with_the_ids_printed() {
    let srv = Server::start(|n, _| match n {
        0 => Reply::json(200, r#"{"RequestId":"R-0","Code":0,"ImageId":"m-bad"}"#),
        1 => self_images("m-bad", "Packing"),
        _ => self_images("m-bad", "Pack_failed"),
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "create",
        "--name",
        "web-v1",
        "--instance-id",
        "i-1",
        "--wait",
        "--poll-interval",
        "10ms",
    ]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(
        (v["image_id"].as_str(), v["status"].as_str()),
        (Some("m-bad"), Some("Pack_failed"))
    );
    assert!(stderr(&o).contains("Pack_failed"), "{}", stderr(&o));
}

#[test]
fn ens_wait_upload_failed_exits_7() {
    let srv = Server::start(|_, _| self_images("m-up", "Upload_failed"));
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "wait",
        "--image-id",
        "m-up",
    ]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
}

#[test]
fn ens_describe_of_an_unknown_image_is_not_found() {
    // Only the decoy (a fuzzy match) comes back: the exact id is absent.
    let srv = Server::start(|_, _| {
        Reply::json(
            200,
            &format!(
                r#"{{"Code":0,"RequestId":"R-N","TotalCount":"1","Images":{{"Image":[{}]}}}}"#,
                ens_image("m-abcx", "Available")
            ),
        )
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "describe",
        "--image-id",
        "m-abc",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("InvalidImageId.NotFound") && stderr(&o).contains("R-N"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ecs_dry_run_is_success_with_dry_run_true() {
    let srv = Server::start(|_, _| {
        Reply::json(
            400,
            r#"{"RequestId":"R-DRY","HostId":"ecs-cn-hangzhou.aliyuncs.com","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}"#,
        )
    });
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "--dry-run",
        "modify",
        "--image-id",
        "m-bp18ygjuqnwhechc",
        "--nvme-support",
        "supported",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["request_id"], "R-DRY");
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(param(&reqs[0], "DryRun").as_deref(), Some("true"));
    assert_eq!(param(&reqs[0], "RegionId").as_deref(), Some("cn-hangzhou"));
}

#[test]
fn ecs_error_body_gives_code_request_id_recommend_and_exit_1() {
    let srv = Server::start(|_, _| {
        Reply::json(
            403,
            r#"{"RequestId":"6BE56E05-AAAA-BBBB-CCCC-FD90C4FFD581","HostId":"ecs.cn-hangzhou.aliyuncs.com","Code":"InvalidOperation.FeaturesImdsSupportNotMatch","Message":"The specified parameter Features.ImdsSupport can not be set to v1 from v2.","Recommend":"https://api.alibabacloud.com/troubleshoot?q=InvalidOperation.FeaturesImdsSupportNotMatch&product=Ecs"}"#,
        )
    });
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "modify",
        "--image-id",
        "m-1",
        "--imds-support",
        "v1",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    for want in [
        "InvalidOperation.FeaturesImdsSupportNotMatch",
        "6BE56E05-AAAA-BBBB-CCCC-FD90C4FFD581",
        "https://api.alibabacloud.com/troubleshoot?q=InvalidOperation.FeaturesImdsSupportNotMatch",
        "403",
        "v2 cannot go back to v1",
    ] {
        assert!(e.contains(want), "missing {want:?} in {e}");
    }
    assert!(stdout(&o).is_empty());
    // A refused modify is final: sent once.
    assert_eq!(srv.requests().len(), 1);
}

/// Every error code the three seed pages document reaches the user with
/// its code, a hint and the right exit code.
#[test]
fn every_seed_page_error_has_its_exit_code_and_a_hint() {
    let cases: &[(&str, &str, u16, i32, &str)] = &[
        ("ens", "MissingParameter", 400, 1, "parameter"),
        ("ens", "NoPermission", 400, 4, "permission"),
        ("ens", "CallInterface", 400, 1, "request id"),
        ("ens", "InvalidParameter.InstanceId", 400, 1, "InstanceId"),
        ("ens", "QuotaExceed", 400, 1, "quota"),
        ("ecs", "InvalidImageName.Malformed", 400, 1, "2-128"),
        ("ecs", "MissingParameter", 400, 1, "--region"),
        (
            "ecs",
            "InvalidImageName.Duplicated",
            400,
            1,
            "the name is taken",
        ),
        ("ecs", "InvalidDescription.Malformed", 400, 1, "2-256"),
        ("ecs", "InvalidDescription.Malformed", 403, 1, "2-256"),
        ("ecs", "ImageQuotaFull.ImageFamily", 400, 1, "family"),
        (
            "ecs",
            "InvalidImageFamily.Malformed",
            400,
            1,
            "family names",
        ),
        ("ecs", "ImageFamilyQuotaFull", 400, 1, "image families"),
        ("ecs", "InvalidBootMode.NotSupport", 400, 1, "boot mode"),
        ("ecs", "InvalidLicenseType.NotSupported", 400, 1, "BYOL"),
        (
            "ecs",
            "InvalidParameter.FeaturesImdsSupport",
            400,
            1,
            "v1 or v2",
        ),
        ("ecs", "ImageStatus.NotAvailable", 403, 1, "not Available"),
        ("ecs", "ImageStatus.NotDeprecated", 403, 1, "not Deprecated"),
        ("ecs", "ImageUseShared", 403, 1, "unshare the image first"),
        (
            "ecs",
            "OperationDeined.ImageUsingByInstance",
            403,
            1,
            "boot mode",
        ),
        (
            "ecs",
            "InvalidOperation.FeaturesImdsSupportNotMatch",
            403,
            1,
            "v2 cannot go back to v1",
        ),
        (
            "ecs",
            "InvalidStatus.ImageIsCreating",
            403,
            1,
            "imgctl image wait",
        ),
        (
            "ecs",
            "InvalidOperation.PublicImageUnsupported",
            403,
            1,
            "publisher",
        ),
        ("ecs", "InvalidImageId.NotFound", 404, 1, "--image-id"),
        ("ecs", "Forbidden.RAM", 403, 4, "RAM"),
        (
            "ecs",
            "SignatureDoesNotMatch",
            400,
            4,
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        ),
        (
            "ecs",
            "InvalidAccessKeyId.NotFound",
            404,
            4,
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
        ),
        ("ecs", "InvalidSecurityToken.Expired", 400, 4, "AccessKey"),
    ];
    for &(provider, code, status, exit, hint) in cases {
        let body =
            format!(r#"{{"RequestId":"RID-{code}","Code":"{code}","Message":"text of {code}"}}"#);
        let srv = Server::start(move |_, _| Reply::json(status, &body));
        let mut args = vec!["--provider", provider, "--endpoint-url", &srv.url];
        if provider == "ecs" {
            args.extend(["--region", "cn-hangzhou"]);
        }
        args.extend(["modify", "--image-id", "m-1", "--name", "web-v2"]);
        let o = run(&args);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(exit), "{code}: {e}");
        assert!(
            e.contains(code) && e.contains(&format!("RID-{code}")),
            "{code}: {e}"
        );
        assert!(e.contains(&format!("text of {code}")), "{code}: {e}");
        assert!(
            e.contains("hint:") && e.contains(hint),
            "{code}: want hint {hint:?} in {e}"
        );
    }
}

#[test]
fn throttling_is_retried_with_a_new_nonce_and_signature() {
    for sig in ["v3", "v1"] {
        let srv = Server::start(|n, _| {
            if n < 2 {
                Reply::json(400, r#"{"RequestId":"R-T","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#)
                    .header("x-acs-retry-after", "20")
            } else {
                Reply::json(200, r#"{"RequestId":"R-OK","Code":0,"ImageId":"m-t"}"#)
            }
        });
        let o = run(&[
            "--provider",
            "ens",
            "--endpoint-url",
            &srv.url,
            "--signature-version",
            sig,
            "create",
            "--name",
            "web-v1",
            "--instance-id",
            "i-1",
        ]);
        assert_eq!(o.status.code(), Some(0), "{sig}: {}", stderr(&o));
        assert_eq!(json_out(&o)["image_id"], "m-t");
        let reqs = srv.requests();
        assert_eq!(reqs.len(), 3, "{sig}");
        let (nonces, sigs): (Vec<String>, Vec<String>) = reqs
            .iter()
            .map(|r| match sig {
                "v3" => (
                    r.header("x-acs-signature-nonce")
                        .unwrap_or_default()
                        .to_string(),
                    r.header("authorization").unwrap_or_default().to_string(),
                ),
                _ => (
                    param(r, "SignatureNonce").unwrap_or_default(),
                    param(r, "Signature").unwrap_or_default(),
                ),
            })
            .unzip();
        for list in [&nonces, &sigs] {
            assert!(list.iter().all(|x| !x.is_empty()), "{sig}: {list:?}");
            let mut uniq = list.clone();
            uniq.sort();
            uniq.dedup();
            assert_eq!(uniq.len(), 3, "{sig}: every attempt signs afresh: {list:?}");
        }
    }
}

#[test]
fn throttling_that_never_ends_exits_5() {
    let srv = Server::start(|_, _| {
        Reply::json(
            400,
            r#"{"RequestId":"R-T","Code":"Throttling","Message":"Request was denied due to flow control."}"#,
        )
    });
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "--max-attempts",
        "2",
        "describe",
        "--image-id",
        "m-1",
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert_eq!(srv.requests().len(), 2);
}

#[test]
fn ecs_create_retry_keeps_the_client_token() {
    let srv = Server::start(|n, _| match n {
        0 => Reply::json(
            500,
            r#"{"RequestId":"R-E","Code":"InternalError","Message":"The request processing has failed due to some unknown error."}"#,
        ),
        _ => Reply::json(200, r#"{"RequestId":"R-OK","ImageId":"m-once"}"#),
    });
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "create",
        "--instance-id",
        "i-1",
        "--name",
        "web-v1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    let t0 = param(&reqs[0], "ClientToken");
    assert!(t0.as_ref().is_some_and(|t| !t.is_empty() && t.len() <= 64));
    assert_eq!(t0, param(&reqs[1], "ClientToken"));
    assert_ne!(
        reqs[0].header("x-acs-signature-nonce"),
        reqs[1].header("x-acs-signature-nonce")
    );
}

/// Seconds since the epoch as RFC 3339, as ENS writes CreationTime.
fn iso(unix: i64) -> String {
    let o = Command::new("date")
        .args(["-u", "-d", &format!("@{unix}"), "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A 500 on a create without a token: sent once, then the look-up by name
/// finds the image made just now (no Date header here: the fixed clock
/// allowance applies) and the create is recovered, exit 0.
#[test]
fn ens_create_is_not_sent_twice_after_an_internal_error() {
    let made = iso(unix_now());
    let srv = Server::start(move |_, r| match action(r).as_str() {
        "CreateImage" => Reply::json(
            500,
            r#"{"RequestId":"R-E","Code":"InternalError","Message":"boom"}"#,
        ),
        // The look-up by name after the ambiguous failure; the fuzzy
        // filter also returns a longer name, which must not count.
        _ => Reply::json(
            200,
            &format!(
                r#"{{"Code":0,"RequestId":"R-L","Images":{{"Image":[{{"ImageId":"m-made","ImageName":"web-v1","Status":"Creating","CreationTime":"{made}"}},{{"ImageId":"m-other","ImageName":"web-v1-old","Status":"Available","CreationTime":"{made}"}}]}}}}"#
            ),
        ),
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "create",
        "--name",
        "web-v1",
        "--instance-id",
        "i-1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let actions: Vec<String> = srv.requests().iter().map(action).collect();
    assert_eq!(
        actions,
        ["CreateImage", "DescribeSelfImages"],
        "an ENS create has no token: one attempt only, then a look-up by name"
    );
    let v: Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    assert_eq!(v["image_id"], "m-made", "{v}");
    assert_eq!(v["recovered"], true, "{v}");
    let e = stderr(&o);
    assert!(e.contains("m-made") && !e.contains("m-other"), "{e}");
    assert_eq!(
        param(&srv.requests()[1], "ImageName").as_deref(),
        Some("web-v1")
    );
}

#[test]
fn html_502_is_a_clear_error_not_a_panic() {
    let srv = Server::start(|_, _| {
        Reply::new(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        )
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "import",
        "--name",
        "web-v1",
        "--url",
        "oss://bkt/obj",
        "--os-type",
        "linux",
        "--format",
        "qcow2",
        "--architecture",
        "x86_64",
    ]);
    let e = stderr(&o);
    // A gateway's page: the import's fate is unknown and nothing settles
    // it (the look-up gets the same page): unavailable, exit 5.
    assert_eq!(o.status.code(), Some(5), "{e}");
    assert!(e.contains("502") && e.contains("Bad Gateway"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    let imports = srv
        .requests()
        .iter()
        .filter(|r| action(r) == "ImportImage")
        .count();
    assert_eq!(imports, 1, "an import without a token is not resent");
}

#[test]
fn truncated_json_is_a_clear_error() {
    let srv = Server::start(|_, _| Reply::json(200, r#"{"RequestId":"R","Images":{"Ima"#));
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "describe",
        "--image-id",
        "m-1",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not JSON"), "{}", stderr(&o));
}

#[test]
fn connection_refused_exits_5() {
    // Bind, learn the port, close: nothing listens there any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let url = format!("http://127.0.0.1:{port}");
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &url,
        "describe",
        "--image-id",
        "m-1",
    ]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot connect"), "{}", stderr(&o));
}

#[test]
fn ecs_without_a_region_is_a_config_error() {
    let o = run(&["--provider", "ecs", "describe", "--image-id", "m-1"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("region"), "{}", stderr(&o));
}

#[test]
fn ecs_deprecate_prints_the_caution_and_follows_the_wire_names() {
    let srv = Server::start(|_, _| Reply::json(200, r#"{"RequestId":"R-M"}"#));
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "modify",
        "--image-id",
        "m-bp18ygjuqnwhechc",
        "--status",
        "Deprecated",
        "--family",
        "hangzhou-daily-update",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("only available custom image in its image family"),
        "{}",
        stderr(&o)
    );
    let v = json_out(&o);
    assert_eq!(
        (v["image_id"].as_str(), v["request_id"].as_str()),
        (Some("m-bp18ygjuqnwhechc"), Some("R-M"))
    );
    let r = &srv.requests()[0];
    assert_eq!(action(r), "ModifyImageAttribute");
    assert_eq!(param(r, "Status").as_deref(), Some("Deprecated"));
    assert_eq!(
        param(r, "ImageFamily").as_deref(),
        Some("hangzhou-daily-update")
    );
    assert_eq!(param(r, "DryRun"), None);
}

#[test]
fn ecs_import_prints_the_task_and_waits_on_the_image() {
    let srv = Server::start(|n, r| match n {
        0 => Reply::json(
            200,
            r#"{"RequestId":"R-I","RegionId":"cn-hangzhou","ImageId":"m-imp","TaskId":"t-123"}"#,
        ),
        _ => {
            assert_eq!(param(r, "ImageOwnerAlias").as_deref(), Some("self"));
            let (st, pr) = if n == 1 {
                ("Creating", "45%")
            } else {
                ("Available", "100%")
            };
            Reply::json(
                200,
                &format!(
                    r#"{{"RequestId":"R-D","TotalCount":1,"Images":{{"Image":[{{"ImageId":"m-imp","Status":"{st}","Progress":"{pr}"}}]}}}}"#
                ),
            )
        }
    });
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "import",
        "--name",
        "web-v1",
        "--url",
        "oss://bkt/img.qcow2",
        "--wait",
        "--poll-interval",
        "10ms",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(v["task_id"], "t-123");
    assert_eq!(v["image_id"], "m-imp");
    assert_eq!(v["status"], "Available");
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 3);
    let status = param(&reqs[1], "Status").unwrap_or_default();
    assert!(
        status.contains("Creating") && status.contains("CreateFailed"),
        "{status}"
    );
}

#[test]
fn ecs_create_failed_exits_7() {
    let srv = Server::start(|_, _| {
        Reply::json(
            200,
            r#"{"RequestId":"R-D","Images":{"Image":[{"ImageId":"m-f","Status":"CreateFailed","Progress":"30%"}]}}"#,
        )
    });
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        &srv.url,
        "wait",
        "--image-id",
        "m-f",
    ]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
}

#[test]
fn ens_dry_run_sends_nothing_and_debug_shows_the_request_redacted() {
    let srv = Server::start(|_, _| Reply::json(500, "{}"));
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "--dry-run",
        "--debug",
        "modify",
        "--image-id",
        "m-1",
        "--name",
        "web-v2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(srv.requests().is_empty());
    let v = json_out(&o);
    assert_eq!(v["dry_run"], true);
    let e = stderr(&o);
    assert!(
        e.contains("x-acs-action: ModifyImageAttribute") && e.contains("not sent"),
        "{e}"
    );
    assert!(
        e.contains("Signature=****") && !e.contains("imgctl-demo-secret"),
        "{e}"
    );
}

#[test]
fn ens_refuses_flags_it_does_not_have() {
    let o = run(&[
        "--provider",
        "ens",
        "modify",
        "--image-id",
        "m-1",
        "--name",
        "a-b",
        "--description",
        "xx",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--description"), "{}", stderr(&o));
}

#[test]
fn ecs_refuses_ebs_only_block_device_fields() {
    let o = run(&[
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "create",
        "--name",
        "web-v1",
        "--block-device-mapping",
        "device=/dev/xvda,size=40,type=gp3",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("VolumeType"), "{}", stderr(&o));
}

#[test]
fn ens_describe_pages_past_fuzzy_matches_to_the_exact_id() {
    let srv = Server::start(|_, r| {
        let page = param(r, "PageNumber").unwrap_or_default();
        let list: Vec<String> = if page == "1" {
            (0..50)
                .map(|i| ens_image(&format!("m-abc{i}"), "Creating"))
                .collect()
        } else {
            vec![ens_image("m-abc", "Packing")]
        };
        Reply::json(
            200,
            &format!(
                r#"{{"Code":0,"RequestId":"R-{page}","PageNumber":"{page}","PageSize":"50","TotalCount":"51","Images":{{"Image":[{}]}}}}"#,
                list.join(",")
            ),
        )
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "describe",
        "--image-id",
        "m-abc",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json_out(&o);
    assert_eq!(
        (v["status"].as_str(), v["request_id"].as_str()),
        (Some("Packing"), Some("R-2"))
    );
    let pages: Vec<Option<String>> = srv
        .requests()
        .iter()
        .map(|r| param(r, "PageNumber"))
        .collect();
    assert_eq!(pages, [Some("1".to_string()), Some("2".to_string())]);
}

const DRY_ANSWER: &str = r#"{"RequestId":"R-DRY","Code":"DryRunOperation","Message":"Request validation has been passed with DryRun flag set."}"#;

/// `--provider P --endpoint-url URL` and the region ECS needs (ENS has
/// one global endpoint and refuses --region).
fn against<'a>(provider: &'a str, url: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--provider", provider, "--endpoint-url", url];
    if provider == "ecs" {
        args.extend(["--region", "cn-hangzhou"]);
    }
    args.extend_from_slice(rest);
    args
}

/// A real create must never be reported as a dry run: without --dry-run a
/// DryRunOperation answer is not understood (exit 1), for ECS (which has a
/// server-side dry run) and ENS (which has none).
#[test]
fn a_dry_run_answer_to_a_real_create_is_a_bad_response() {
    for provider in ["ecs", "ens"] {
        let srv = Server::start(|_, _| Reply::json(400, DRY_ANSWER));
        let o = run(&against(
            provider,
            &srv.url,
            &["create", "--instance-id", "i-1", "--name", "web-v1"],
        ));
        // ENS, with no token, looks the name up and cannot settle it
        // (exit 5); ECS's ClientToken makes the answer final (exit 1).
        let want = if provider == "ens" { 5 } else { 1 };
        assert_eq!(o.status.code(), Some(want), "{provider}: {}", stderr(&o));
        assert!(stdout(&o).trim().is_empty(), "{provider}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("none was asked for") && stderr(&o).contains("R-DRY"),
            "{provider}: {}",
            stderr(&o)
        );
        // ENS then looks the name up: the answer left open what happened.
        let reqs = srv.requests();
        let creates = reqs.iter().filter(|r| action(r) == "CreateImage").count();
        assert_eq!(creates, 1, "{provider}: sent once");
        assert_eq!(param(&reqs[0], "DryRun"), None);
    }
}

/// ECS asked for a dry run but made the image anyway: the output says it
/// was real.
#[test]
fn ecs_dry_run_ignored_by_the_cloud_is_reported_as_real() {
    let srv = Server::start(|_, _| Reply::json(200, r#"{"RequestId":"R-1","ImageId":"m-real"}"#));
    let o = run(&against(
        "ecs",
        &srv.url,
        &[
            "create",
            "--instance-id",
            "i-1",
            "--name",
            "web-v1",
            "--dry-run",
        ],
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json_out(&o);
    assert_ne!(v.get("dry_run"), Some(&Value::Bool(true)), "{v}");
    assert_eq!(v["image_id"], "m-real");
}

/// A 200 that does not name the new image (or ECS's import task) is not a
/// success: exit 1, never exit 0 without an id.
#[test]
fn create_or_import_answer_without_its_id_is_a_bad_response() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "ens",
            r#"{"RequestId":"R-1","Code":0}"#,
            &["create", "--instance-id", "i-1", "--name", "web-v1"],
        ),
        (
            "ens",
            r#"{"RequestId":"R-1","Code":0}"#,
            &[
                "import",
                "--name",
                "web-v1",
                "--url",
                "oss://b/k.qcow2",
                "--os-type",
                "linux",
                "--format",
                "qcow2",
                "--architecture",
                "x86_64",
            ],
        ),
        (
            "ecs",
            r#"{"RequestId":"R-1"}"#,
            &["create", "--instance-id", "i-1", "--name", "web-v1"],
        ),
        (
            "ecs",
            r#"{"RequestId":"R-1","ImageId":"m-1"}"#,
            &["import", "--name", "web-v1", "--url", "oss://b/k.qcow2"],
        ),
    ];
    for (provider, body, rest) in cases {
        let srv = Server::start(move |_, _| Reply::json(200, body));
        let o = run(&against(provider, &srv.url, rest));
        assert_eq!(
            o.status.code(),
            Some(1),
            "{provider} {rest:?}: {} {}",
            stdout(&o),
            stderr(&o)
        );
        let want = if body.contains("ImageId") {
            "TaskId"
        } else {
            "ImageId"
        };
        assert!(stderr(&o).contains(want), "{provider}: {}", stderr(&o));
        assert!(stderr(&o).contains("R-1"), "{provider}: {}", stderr(&o));
        let reqs = srv.requests();
        let first = action(&reqs[0]);
        let sent = reqs.iter().filter(|r| action(r) == first).count();
        assert_eq!(sent, 1, "{provider}: sent once");
    }
}

/// ServiceUnavailable may have been acted on: ENS CreateImage (no token) is
/// sent once and exits 5; ECS CreateImage carries a ClientToken, so it is
/// sent again with the same token.
#[test]
fn service_unavailable_is_not_resent_without_a_token() {
    let unavailable = r#"{"RequestId":"R-503","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}"#;
    let srv = Server::start(move |_, r| match action(r).as_str() {
        "CreateImage" => Reply::json(503, unavailable),
        _ => Reply::json(
            200,
            r#"{"Code":0,"RequestId":"R-D","TotalCount":"0","Images":{"Image":[]}}"#,
        ),
    });
    let o = run(&against(
        "ens",
        &srv.url,
        &["create", "--instance-id", "i-1", "--name", "web-v1"],
    ));
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let creates = srv
        .requests()
        .iter()
        .filter(|r| action(r) == "CreateImage")
        .count();
    assert_eq!(creates, 1, "ENS CreateImage must be sent once");
    assert!(stderr(&o).contains("ServiceUnavailable"), "{}", stderr(&o));

    let srv = Server::start(move |n, _| match n {
        0 => Reply::json(503, unavailable),
        _ => Reply::json(200, r#"{"RequestId":"R-1","ImageId":"m-1"}"#),
    });
    let o = run(&against(
        "ecs",
        &srv.url,
        &["create", "--instance-id", "i-1", "--name", "web-v1"],
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        param(&reqs[0], "ClientToken"),
        param(&reqs[1], "ClientToken")
    );
}

/// After an ambiguous create, the look-up by name pages past longer names
/// that the fuzzy filter puts first, to the exact name on a later page.
#[test]
fn ens_look_up_by_name_pages_to_the_exact_name() {
    let srv = Server::start(|_, r| match action(r).as_str() {
        "CreateImage" => Reply::json(
            500,
            r#"{"RequestId":"R-E","Code":"InternalError","Message":"boom"}"#,
        ),
        _ => {
            let page = param(r, "PageNumber").unwrap_or_default();
            let list: Vec<String> = if page == "2" {
                vec![r#"{"ImageId":"m-made","ImageName":"web","Status":"Creating"}"#.into()]
            } else {
                (0..50)
                    .map(|i| {
                        format!(
                            r#"{{"ImageId":"m-o{i}","ImageName":"web-{i}","Status":"Available"}}"#
                        )
                    })
                    .collect()
            };
            Reply::json(
                200,
                &format!(
                    r#"{{"Code":0,"RequestId":"R-L{page}","PageNumber":"{page}","PageSize":"50","TotalCount":"51","Images":{{"Image":[{}]}}}}"#,
                    list.join(",")
                ),
            )
        }
    });
    let o = run(&[
        "--provider",
        "ens",
        "--endpoint-url",
        &srv.url,
        "create",
        "--name",
        "web",
        "--instance-id",
        "i-1",
    ]);
    // The image of that name has no creation time: not claimed, exit 5,
    // and named.
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stdout(&o).trim().is_empty());
    let e = stderr(&o);
    assert!(e.contains("m-made") && !e.contains("m-o1"), "{e}");
    let actions: Vec<String> = srv.requests().iter().map(action).collect();
    assert_eq!(
        actions,
        ["CreateImage", "DescribeSelfImages", "DescribeSelfImages"]
    );
}
