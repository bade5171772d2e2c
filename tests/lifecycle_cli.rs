//! `imgctl image list | delete | copy` through the real binary: against a
//! running emulator for every provider (paging, filters, refusals, copies
//! that appear in the destination region), and against a scripted stub
//! where the exact wire matters (EC2 NextToken, nothing sent on refusals).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use common::{Reply, Server, imgctl, stderr, stdout};
use serde_json::Value;

/// A running `imgctl emulator --speed 0`, killed when dropped.
struct Emulator {
    child: Child,
    _out: BufReader<ChildStdout>,
    url: String,
    home: tempfile::TempDir,
}

impl Emulator {
    fn start() -> Emulator {
        let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
            .args(["emulator", "--speed", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut url = String::new();
        out.read_line(&mut url).unwrap();
        Emulator {
            child,
            _out: out,
            url: url.trim().to_string(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut all = vec!["--emulator"];
        all.extend_from_slice(args);
        imgctl(
            self.home.path(),
            &all,
            &[("IMGCTL_EMULATOR_URL", self.url.as_str())],
        )
    }

    /// Runs, expects exit 0, returns the JSON.
    fn ok(&self, args: &[&str]) -> Value {
        let o = self.run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        serde_json::from_str(stdout(&o).trim()).unwrap_or(Value::Null)
    }

    /// The HTTP requests a command made (its --debug log).
    fn requests(&self, args: &[&str]) -> usize {
        let mut a = args.to_vec();
        a.push("--debug");
        let o = self.run(&a);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stderr(&o)
            .lines()
            .filter(|l| l.starts_with("> ") && l.contains("(attempt 1)"))
            .count()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ids(v: &Value) -> Vec<String> {
    v["images"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["image_id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Per provider: region flags, the destination, a seeded image, an
/// instance to create from.
struct Case {
    p: &'static str,
    region: &'static [&'static str],
    dest: &'static str,
    image: &'static str,
    instance: &'static str,
    copy_extra: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        p: "ecs",
        region: &["--region", "cn-hangzhou"],
        dest: "cn-shanghai",
        image: "m-bp18ygjuqnwhechc",
        instance: "i-demo-ecs",
        copy_extra: &[],
    },
    Case {
        p: "ec2",
        region: &["--region", "us-east-1"],
        dest: "eu-west-1",
        image: "ami-0abcdef1234567890",
        instance: "i-1234567890abcdef0",
        copy_extra: &[],
    },
    Case {
        p: "ims",
        region: &["--region", "cn-north-4"],
        dest: "cn-east-3",
        image: "33ad552d-1149-471c-8575-f1d02b9f3d1d",
        instance: "i-demo-ims",
        copy_extra: &["--agency-name", "ims_admin_agency"],
    },
];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(more);
    v
}

#[test]
fn create_copy_list_delete_on_every_provider_that_copies() {
    let emu = Emulator::start();
    for c in CASES {
        let r = c.region;
        // create --wait, then copy it to the destination and wait there.
        let made = emu.ok(&with(
            &["create", "--provider", c.p, "--instance-id", c.instance],
            &with(
                &["--name", "walk-1", "--wait", "--poll-interval", "10ms"],
                r,
            ),
        ));
        let src = made["image_id"].as_str().unwrap().to_string();
        let copied = emu.ok(&with(
            &with(
                &["copy", "--provider", c.p, "--image-id", &src],
                &["--to-region", c.dest, "--name", "walk-1-copy", "--wait"],
            ),
            &with(&["--poll-interval", "10ms"], &with(r, c.copy_extra)),
        ));
        let new = copied["image_id"].as_str().unwrap().to_string();
        assert_ne!(new, src, "{}", c.p);
        assert_eq!(copied["operation"], "copy");
        assert_eq!(copied["source_image_id"], src.as_str());
        assert_eq!(copied["region"], c.dest);
        assert_eq!(copied["name"], "walk-1-copy", "{}", c.p);
        if c.p == "ims" {
            assert!(copied["job_id"].is_string(), "{copied}");
        }
        // The copy is in the destination, not in the source region.
        let there = emu.ok(&["list", "--provider", c.p, "--region", c.dest]);
        assert_eq!(ids(&there), std::slice::from_ref(&new), "{}: {there}", c.p);
        let here = emu.ok(&with(
            &["list", "--provider", c.p, "--name", "walk-1-copy"],
            r,
        ));
        assert!(ids(&here).is_empty(), "{}: {here}", c.p);
        // Delete the copy there, then it is gone from the list.
        let del = emu.ok(&[
            "delete",
            "--provider",
            c.p,
            "--region",
            c.dest,
            "--image-id",
            &new,
        ]);
        assert_eq!(del["status"], "deleted");
        assert_eq!(del["image_id"], new.as_str());
        assert!(del["request_id"].is_string(), "{del}");
        let after = emu.ok(&["list", "--provider", c.p, "--region", c.dest]);
        assert!(ids(&after).is_empty(), "{}: {after}", c.p);
        // Deleting it again: the cloud's not-found, exit 1.
        let again = emu.run(&[
            "delete",
            "--provider",
            c.p,
            "--region",
            c.dest,
            "--image-id",
            &new,
        ]);
        assert_eq!(again.status.code(), Some(1), "{}: {}", c.p, stderr(&again));
    }
}

#[test]
fn copy_without_a_name_takes_the_source_name() {
    let emu = Emulator::start();
    for c in CASES {
        let v = emu.ok(&with(
            &with(
                &["copy", "--provider", c.p, "--image-id", c.image],
                &["--to-region", c.dest],
            ),
            &with(c.region, c.copy_extra),
        ));
        let listed = emu.ok(&["list", "--provider", c.p, "--region", c.dest]);
        let names: Vec<&str> = listed["images"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["name"].as_str())
            .collect();
        let source = emu.ok(&with(
            &["describe", "--provider", c.p, "--image-id", c.image],
            c.region,
        ));
        assert_eq!(names, [source["name"].as_str().unwrap()], "{}: {v}", c.p);
    }
}

#[test]
fn lists_follow_every_page() {
    let emu = Emulator::start();
    // Enough images for several pages everywhere.
    for c in
        CASES
            .iter()
            .map(|c| (c.p, c.region, c.instance))
            .chain([("ens", &[][..], "i-demo-ens")])
    {
        let (p, r, inst) = c;
        for n in 0..5 {
            let name = format!("page-{n}");
            emu.ok(&with(
                &[
                    "create",
                    "--provider",
                    p,
                    "--instance-id",
                    inst,
                    "--name",
                    &name,
                ],
                r,
            ));
        }
        let all = emu.ok(&with(&["list", "--provider", p], r));
        let total = ids(&all).len();
        assert!(total >= 6, "{p}: {all}");
        // The smallest page each cloud takes: every image still comes back,
        // in as many requests as pages (IMS: one more, the empty last page
        // when the count divides evenly is not needed: a short page ends it).
        let size = if p == "ec2" { "5" } else { "2" };
        let paged = emu.ok(&with(&["list", "--provider", p, "--page-size", size], r));
        assert_eq!(ids(&paged), ids(&all), "{p}");
        let n: usize = size.parse().unwrap();
        let calls = emu.requests(&with(&["list", "--provider", p, "--page-size", size], r));
        let pages = total.div_ceil(n);
        let expected = if p == "ims" && total.is_multiple_of(n) {
            pages + 1
        } else {
            pages
        };
        // IMS with AK/SK may look its project up first.
        assert!(
            calls == expected || (p == "ims" && calls == expected + 1),
            "{p}: {calls} requests for {total} images in pages of {n}"
        );
        // --limit stops early, paging included.
        let limited = emu.ok(&with(
            &["list", "--provider", p, "--page-size", size, "--limit", "3"],
            r,
        ));
        assert_eq!(ids(&limited), ids(&all)[..3].to_vec(), "{p}");
        // --name is exact, --name-prefix a prefix, whatever the cloud's filter.
        let exact = emu.ok(&with(&["list", "--provider", p, "--name", "page-1"], r));
        assert_eq!(exact["images"].as_array().unwrap().len(), 1, "{p}: {exact}");
        let fuzzy = emu.ok(&with(&["list", "--provider", p, "--name", "page"], r));
        assert!(ids(&fuzzy).is_empty(), "{p}: {fuzzy}");
        let prefix = emu.ok(&with(
            &["list", "--provider", p, "--name-prefix", "page-"],
            r,
        ));
        assert_eq!(ids(&prefix).len(), 5, "{p}: {prefix}");
        let inner = emu.ok(&with(
            &["list", "--provider", p, "--name-prefix", "age-"],
            r,
        ));
        assert!(ids(&inner).is_empty(), "{p}: {inner}");
    }
}

#[test]
fn status_filters_names_and_created_times() {
    let emu = Emulator::start();
    for (p, r, done, inst) in [
        ("ens", &[][..], "available", "i-demo-ens"),
        (
            "ecs",
            &["--region", "cn-hangzhou"][..],
            "AVAILABLE",
            "i-demo-ecs",
        ),
        (
            "ec2",
            &["--region", "us-east-1"][..],
            "available",
            "i-1234567890abcdef0",
        ),
        (
            "ims",
            &["--region", "cn-north-4"][..],
            "available",
            "i-demo-ims",
        ),
    ] {
        // A new image is still being made: --status tells it apart.
        emu.ok(&with(
            &[
                "create",
                "--provider",
                p,
                "--instance-id",
                inst,
                "--name",
                "fresh-1",
            ],
            r,
        ));
        let names = |v: &Value| -> Vec<String> {
            v["images"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["name"].as_str().map(str::to_string))
                .collect()
        };
        let usable = emu.ok(&with(&["list", "--provider", p, "--status", done], r));
        assert!(!names(&usable).contains(&"fresh-1".into()), "{p}: {usable}");
        assert!(!ids(&usable).is_empty(), "{p}: {usable}");
        let all = emu.ok(&with(&["list", "--provider", p], r));
        assert!(names(&all).contains(&"fresh-1".into()), "{p}: {all}");
        for i in all["images"].as_array().unwrap() {
            let created = i["created"].as_str().unwrap_or_default();
            assert!(
                created.len() >= 20 && created.ends_with('Z') && &created[10..11] == "T",
                "{p}: {i}"
            );
            assert!(i["name"].is_string() && i["status"].is_string(), "{p}: {i}");
        }
        let bad = emu.run(&with(&["list", "--provider", p, "--status", "gone"], r));
        assert_eq!(bad.status.code(), Some(2), "{p}");
        assert!(stderr(&bad).contains("expected one of"), "{}", stderr(&bad));
    }
}

#[test]
fn list_output_forms() {
    let emu = Emulator::start();
    let text = emu.run(&[
        "list",
        "--provider",
        "ens",
        "--query",
        "images[].image_id",
        "--output",
        "text",
    ]);
    assert_eq!(
        stdout(&text).trim(),
        "m-5xxggsu4qy1bzvwpsmktamv6a\nm-5xxgg",
        "{}",
        stderr(&text)
    );
    let table = emu.run(&["list", "--provider", "ens", "--output", "table"]);
    let t = stdout(&table);
    let rows: Vec<&str> = t.lines().filter(|l| l.starts_with("| m-")).collect();
    assert_eq!(rows.len(), 2, "{t}");
    assert!(t.contains("| image_id ") && t.contains(" created "), "{t}");
    let json = emu.ok(&["list", "--provider", "ens"]);
    assert_eq!(json["provider"], "ens");
    assert_eq!(json["operation"], "list");
}

#[test]
fn ecs_delete_refusals_are_refusals_not_auth_failures() {
    let emu = Emulator::start();
    let base = ["delete", "--provider", "ecs", "--region", "cn-hangzhou"];
    for (id, code) in [
        ("m-bp1inuse00demo0001", "ImageUsingByInstance"),
        ("m-bp1shared0demo0001", "ImageUseShared"),
        ("m-bp1nosuchimage0001", "InvalidImageId.NotFound"),
    ] {
        let o = emu.run(&with(&base, &["--image-id", id]));
        assert_eq!(o.status.code(), Some(1), "{id}: {}", stderr(&o));
        assert!(stderr(&o).contains(code), "{}", stderr(&o));
        assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    // A copy in progress blocks deleting its source.
    emu.ok(&[
        "copy",
        "--provider",
        "ecs",
        "--region",
        "cn-hangzhou",
        "--image-id",
        "m-bp18ygjuqnwhechc",
        "--to-region",
        "cn-beijing",
    ]);
    let o = emu.run(&with(&base, &["--image-id", "m-bp18ygjuqnwhechc"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("OperationDenied.ImageCopying"));
    // --force: DryRun first (the image stays), then for real.
    let force = with(&base, &["--image-id", "m-bp1inuse00demo0001", "--force"]);
    let dry = emu.ok(&with(&force, &["--dry-run"]));
    assert_eq!(dry["dry_run"], true);
    assert!(dry.get("status").is_none(), "{dry}");
    let listed = emu.ok(&["list", "--provider", "ecs", "--region", "cn-hangzhou"]);
    assert!(ids(&listed).contains(&"m-bp1inuse00demo0001".to_string()));
    let done = emu.ok(&force);
    assert_eq!(done["status"], "deleted");
    let listed = emu.ok(&["list", "--provider", "ecs", "--region", "cn-hangzhou"]);
    assert!(!ids(&listed).contains(&"m-bp1inuse00demo0001".to_string()));
}

#[test]
fn ec2_delete_with_snapshots_and_dry_runs() {
    let emu = Emulator::start();
    let r = ["--provider", "ec2", "--region", "us-east-1"];
    let dry = emu.ok(&with(
        &[
            "delete",
            "--image-id",
            "ami-0abc",
            "--delete-snapshots",
            "--dry-run",
        ],
        &r,
    ));
    assert_eq!(dry["dry_run"], true);
    let still = emu.ok(&with(&["list", "--name", "web-v1-example"], &r));
    assert_eq!(ids(&still), ["ami-0abc"]);
    let done = emu.ok(&with(
        &["delete", "--image-id", "ami-0abc", "--delete-snapshots"],
        &r,
    ));
    assert_eq!(done["snapshots_deleted"], serde_json::json!(["snap-0abc"]));
    let gone = emu.ok(&with(&["list", "--name", "web-v1-example"], &r));
    assert!(ids(&gone).is_empty());
    let plain = emu.ok(&with(
        &["delete", "--image-id", "ami-0abcdef1234567890"],
        &r,
    ));
    assert!(plain.get("snapshots_deleted").is_none(), "{plain}");
    let unknown = emu.run(&with(&["delete", "--image-id", "ami-0000000000000000"], &r));
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("InvalidAMIID.NotFound"));
    let dry_copy = emu.ok(&with(
        &[
            "copy",
            "--image-id",
            "ami-0fedcba9876543210",
            "--to-region",
            "eu-west-1",
            "--dry-run",
        ],
        &r,
    ));
    assert_eq!(dry_copy["dry_run"], true);
    let none = emu.ok(&["list", "--provider", "ec2", "--region", "eu-west-1"]);
    assert!(ids(&none).is_empty(), "{none}");
}

#[test]
fn local_dry_runs_send_nothing_that_acts() {
    let emu = Emulator::start();
    let ens = emu.ok(&[
        "delete",
        "--provider",
        "ens",
        "--image-id",
        "m-5xxgg",
        "--dry-run",
    ]);
    assert_eq!(ens["dry_run"], true);
    let ims = emu.ok(&[
        "delete",
        "--provider",
        "ims",
        "--region",
        "cn-north-4",
        "--image-id",
        "33ad552d-1149-471c-8575-f1d02b9f3d1d",
        "--delete-snapshots",
        "--dry-run",
    ]);
    assert_eq!(ims["dry_run"], true);
    let copy = emu.ok(&[
        "copy",
        "--provider",
        "ims",
        "--region",
        "cn-north-4",
        "--image-id",
        "33ad552d-1149-471c-8575-f1d02b9f3d1d",
        "--to-region",
        "cn-east-3",
        "--agency-name",
        "ag",
        "--name",
        "x1",
        "--dry-run",
    ]);
    assert_eq!(copy["dry_run"], true);
    assert!(copy.get("job_id").is_none());
    assert_eq!(ids(&emu.ok(&["list", "--provider", "ens"])).len(), 2);
    let ims_list = emu.ok(&["list", "--provider", "ims", "--region", "cn-north-4"]);
    assert_eq!(ids(&ims_list).len(), 1);
    let dest = emu.ok(&["list", "--provider", "ims", "--region", "cn-east-3"]);
    assert!(ids(&dest).is_empty());
}

/// Usage errors: exit 2 and not one request, checked on a stub that
/// records everything it receives.
#[test]
fn refusals_send_nothing() {
    let server = Server::start(|_, _| Reply::json(500, "{}"));
    let home = tempfile::tempdir().unwrap();
    let url = server.url.clone();
    let env = [
        ("IMGCTL_ENDPOINT_URL", url.as_str()),
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIexample"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("HUAWEICLOUD_SDK_AK", "ak"),
        ("HUAWEICLOUD_SDK_SK", "sk"),
        (
            "HUAWEICLOUD_SDK_PROJECT_ID",
            "0123456789abcdef0123456789abcdef",
        ),
    ];
    for (args, needle) in [
        (
            &[
                "copy",
                "--provider",
                "ens",
                "--image-id",
                "m-1",
                "--to-region",
                "x",
            ][..],
            "provider ens has no copy operation",
        ),
        (
            &[
                "delete",
                "--provider",
                "ec2",
                "--region",
                "us-east-1",
                "--image-id",
                "ami-1",
                "--force",
            ][..],
            "--force is not supported by provider ec2",
        ),
        (
            &[
                "delete",
                "--provider",
                "ecs",
                "--region",
                "cn-hangzhou",
                "--image-id",
                "m-1",
                "--delete-snapshots",
            ][..],
            "--delete-snapshots is not supported by provider ecs",
        ),
        (
            &[
                "delete",
                "--provider",
                "ens",
                "--image-id",
                "m-1",
                "--delete-snapshots",
            ][..],
            "--delete-snapshots is not supported by provider ens",
        ),
        (
            &[
                "delete",
                "--provider",
                "ims",
                "--region",
                "cn-north-4",
                "--image-id",
                "x",
                "--force",
            ][..],
            "--force is not supported by provider ims",
        ),
        (
            &[
                "copy",
                "--provider",
                "ims",
                "--region",
                "cn-north-4",
                "--image-id",
                "x",
                "--to-region",
                "cn-east-3",
            ][..],
            "--agency-name",
        ),
        (
            &[
                "copy",
                "--provider",
                "ecs",
                "--region",
                "cn-hangzhou",
                "--image-id",
                "m-1",
                "--to-region",
                "cn-shanghai",
                "--agency-name",
                "a",
            ][..],
            "--agency-name is not supported by provider ecs",
        ),
        (
            &["list", "--provider", "ens", "--dry-run"][..],
            "--dry-run applies to",
        ),
        (
            &[
                "list",
                "--provider",
                "ens",
                "--name",
                "a",
                "--name-prefix",
                "b",
            ][..],
            "cannot be used with",
        ),
        (
            &[
                "list",
                "--provider",
                "ecs",
                "--region",
                "cn-hangzhou",
                "--page-size",
                "101",
            ][..],
            "--page-size for ecs is 1-100",
        ),
        (
            &["list", "--provider", "ens", "--limit", "0"][..],
            "--limit must be at least 1",
        ),
        (
            &["delete", "--provider", "ens", "--image-id", "m-1", "--wait"][..],
            "--wait applies to",
        ),
    ] {
        let o = imgctl(home.path(), args, &env);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// EC2 paging on the wire: the NextToken of one answer is sent with the
/// next request, and the list stops when an answer carries none.
#[test]
fn ec2_sends_next_token_back() {
    let page = |items: &str, next: &str| {
        format!(
            "<DescribeImagesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><imagesSet>{items}</imagesSet>{next}</DescribeImagesResponse>"
        )
    };
    let item = |id: &str, name: &str| {
        format!(
            "<item><imageId>{id}</imageId><name>{name}</name><imageState>available</imageState><creationDate>2026-11-29T21:10:18.000Z</creationDate></item>"
        )
    };
    let first = page(
        &format!("{}{}", item("ami-1", "web-1"), item("ami-2", "other")),
        "<nextToken>tok+1/=</nextToken>",
    );
    let second = page(&item("ami-3", "web-3"), "");
    let server = Server::start(move |n, _| {
        Reply::new(
            200,
            "text/xml",
            if n == 0 {
                first.clone()
            } else {
                second.clone()
            },
        )
    });
    let home = tempfile::tempdir().unwrap();
    let url = server.url.clone();
    let o = imgctl(
        home.path(),
        &[
            "list",
            "--provider",
            "ec2",
            "--region",
            "us-east-1",
            "--name-prefix",
            "web-",
        ],
        &[
            ("IMGCTL_ENDPOINT_URL", url.as_str()),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(
        v["images"],
        serde_json::json!([
            {"image_id": "ami-1", "name": "web-1", "status": "available", "state": "available", "created": "2026-11-29T21:10:18Z"},
            {"image_id": "ami-3", "name": "web-3", "status": "available", "state": "available", "created": "2026-11-29T21:10:18Z"}
        ])
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let base = "Action=DescribeImages&Version=2016-11-15&Owner.1=self&IncludeDisabled=true&MaxResults=1000&Filter.1.Name=name&Filter.1.Value.1=web-%2A";
    assert_eq!(reqs[0].body_text(), base);
    assert_eq!(
        reqs[1].body_text(),
        format!("{base}&NextToken=tok%2B1%2F%3D")
    );
}

/// IMS token mode: the copy's destination gets its own token, scoped to
/// the destination region's project, and the wait finds the image there.
#[test]
fn ims_copy_waits_in_the_destination_with_a_token() {
    let emu = Emulator::start();
    let base = ["--provider", "ims", "--auth-mode", "token"];
    let v = emu.ok(&with(
        &base,
        &[
            "copy",
            "--image-id",
            "33ad552d-1149-471c-8575-f1d02b9f3d1d",
            "--to-region",
            "cn-east-3",
            "--agency-name",
            "ag",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
    ));
    assert_eq!(v["status"], "active", "{v}");
    let there = emu.ok(&with(&base, &["list", "--region", "cn-east-3"]));
    assert_eq!(ids(&there), [v["image_id"].as_str().unwrap().to_string()]);
    let same = emu.run(&with(
        &base,
        &[
            "copy",
            "--image-id",
            "33ad552d-1149-471c-8575-f1d02b9f3d1d",
            "--to-region",
            "cn-north-4",
            "--agency-name",
            "ag",
        ],
    ));
    assert_eq!(same.status.code(), Some(2), "{}", stderr(&same));
}
