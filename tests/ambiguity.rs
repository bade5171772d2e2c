//! A create or import whose connection dropped after the request was sent
//! (the emulator's `drop` fault: the image IS made, no answer comes back).
//! Without an idempotency token imgctl never sends it again; it looks the
//! image up by name and the error names the image the emulator made.

mod common;

use common::{Emulator, Reply, Server, imgctl, stderr, stdout};
use serde_json::Value;

impl Emulator {
    fn imgctl(&self, home: &std::path::Path, args: &[&str]) -> std::process::Output {
        let mut all = vec!["--emulator"];
        all.extend_from_slice(args);
        imgctl(home, &all, &[("IMGCTL_EMULATOR_URL", &self.url)])
    }
}

/// Every id-looking word of the error that `describe` finds with `name`:
/// the image the emulator really made.
fn named_image(
    emu: &Emulator,
    home: &std::path::Path,
    provider: &str,
    err: &str,
    name: &str,
) -> Option<String> {
    let words = err.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
    let candidates: Vec<&str> = words
        .filter(|w| w.starts_with("m-") || w.starts_with("ami-") || w.len() == 36)
        .collect();
    candidates.into_iter().find_map(|id| {
        let o = emu.imgctl(
            home,
            &["describe", "--provider", provider, "--image-id", id],
        );
        let v: Value = serde_json::from_str(stdout(&o).trim()).ok()?;
        (o.status.code() == Some(0) && v["name"] == name).then(|| id.to_string())
    })
}

/// Runs `args` with a drop fault on `operation` (the emulator acts, the
/// answer is lost); checks it was sent once, that the image the emulator
/// made was recovered by name and time (exit 0, one JSON object with
/// `"recovered": true` and that image's id), and that stderr says so.
/// Returns the stderr text.
fn dropped(provider: &str, operation: &str, name: &str, args: &[&str]) -> String {
    let emu = Emulator::start();
    let home = tempfile::tempdir().expect("tempdir");
    emu.admin(
        "POST",
        "/__imgctl/faults",
        &format!(r#"{{"provider":"{provider}","operation":"{operation}","kind":"drop"}}"#),
    );
    let o = emu.imgctl(home.path(), args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{provider}: {err}");
    let v: Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    assert_eq!(v["recovered"], true, "{provider}: {v}");
    let calls = emu.admin("GET", "/__imgctl/calls", "");
    let sent: Vec<&Value> = calls
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["provider"] == provider && c["operation"] == operation)
        .collect();
    assert_eq!(sent.len(), 1, "{provider} {operation} sent once: {calls}");
    assert_eq!(sent[0]["fault"], "drop", "{calls}");
    let id = v["image_id"].as_str().unwrap_or_default();
    let made = named_image(&emu, home.path(), provider, id, name);
    assert_eq!(made.as_deref(), Some(id), "{provider}: {v} {err}");
    assert!(
        err.contains("was lost") && err.contains(id),
        "{provider}: {err}"
    );
    err
}

#[test]
fn ens_create_dropped_names_the_image_it_made() {
    dropped(
        "ens",
        "CreateImage",
        "dropped-ens",
        &[
            "create",
            "--provider",
            "ens",
            "--instance-id",
            "i-5rr1bnyrc4tswr8cq3w6y",
            "--name",
            "dropped-ens",
        ],
    );
}

#[test]
fn ec2_create_dropped_names_the_image_it_made() {
    dropped(
        "ec2",
        "CreateImage",
        "dropped-ec2",
        &[
            "create",
            "--provider",
            "ec2",
            "--instance-id",
            "i-1234567890abcdef0",
            "--name",
            "dropped-ec2",
        ],
    );
}

#[test]
fn ims_create_dropped_names_the_image_it_made() {
    let err = dropped(
        "ims",
        "CreateImage",
        "dropped-ims",
        &[
            "create",
            "--provider",
            "ims",
            "--instance-id",
            "877a2cda-ba63-4e1e-b95f-e67e48b6129a",
            "--name",
            "dropped-ims",
        ],
    );
    assert!(err.contains("job id is not known"), "{err}");
}

#[test]
fn ims_import_dropped_names_the_image_it_made() {
    dropped(
        "ims",
        "CreateImage",
        "dropped-ims-import",
        &[
            "import",
            "--provider",
            "ims",
            "--url",
            "obs://bucket/centos.qcow2",
            "--min-disk",
            "40",
            "--os-version",
            "Ubuntu 22.04 server 64bit",
            "--name",
            "dropped-ims-import",
        ],
    );
}

/// ImportImage carries a ClientToken, so a dropped answer is simply asked
/// for again: the same token cannot start a second task.
#[test]
fn ec2_import_dropped_is_sent_again_with_its_client_token() {
    let emu = Emulator::start();
    let home = tempfile::tempdir().expect("tempdir");
    emu.admin(
        "POST",
        "/__imgctl/faults",
        r#"{"provider":"ec2","operation":"ImportImage","kind":"drop"}"#,
    );
    let o = emu.imgctl(
        home.path(),
        &[
            "import",
            "--provider",
            "ec2",
            "--url",
            "s3://my-bucket/disk1.vmdk",
            "--format",
            "VMDK",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let calls = emu.admin("GET", "/__imgctl/calls", "");
    let sent = calls
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["operation"] == "ImportImage")
        .count();
    assert_eq!(sent, 2, "{calls}");
}

/// A 500 InternalError that carries x-acs-retry-after is still a server
/// failure after which the image may exist: an ENS create (no idempotency
/// token) goes once, then the image is looked up by its name.
#[test]
fn ens_create_answered_500_with_retry_after_is_sent_once() {
    let srv = Server::start(|_, r| {
        if r.header("x-acs-action") == Some("CreateImage") {
            Reply::json(
                500,
                r#"{"Code":"InternalError","Message":"The request processing has failed due to some unknown error.","RequestId":"R-500"}"#,
            )
            .header("x-acs-retry-after", "10")
        } else {
            Reply::json(
                200,
                r#"{"Code":0,"RequestId":"R-D","TotalCount":"1","Images":{"Image":[{"ImageId":"m-made500","ImageName":"web-500","Status":"Creating"}]}}"#,
            )
        }
    });
    let home = tempfile::tempdir().expect("tempdir");
    let o = imgctl(
        home.path(),
        &[
            "--provider",
            "ens",
            "--endpoint-url",
            &srv.url,
            "create",
            "--name",
            "web-500",
            "--instance-id",
            "i-5rr1bnyrc4tswr8cq3w6y",
        ],
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "imgctl-demo"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "imgctl-demo-secret"),
        ],
    );
    let err = stderr(&o);
    let creates = srv
        .requests()
        .iter()
        .filter(|r| r.header("x-acs-action") == Some("CreateImage"))
        .count();
    assert_eq!(creates, 1, "a create without a token must go once: {err}");
    // The image found has no creation time: it cannot be claimed, and
    // the create's fate stays unknown (exit 5).
    assert_eq!(o.status.code(), Some(5), "{err}");
    assert!(
        err.contains("InternalError") && err.contains("m-made500"),
        "{err}"
    );
}
