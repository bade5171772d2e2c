//! The emulator as a server: it verifies and refuses signatures as each
//! cloud does, walks the life cycles (speed 0: one phase per describe),
//! enforces the documented rules, and fires each fault exactly N times.
//! Requests go over a raw TCP socket, so a dropped connection is seen as
//! exactly that.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant, SystemTime};

use imgctl::emulator::faults::Fault;
use imgctl::emulator::{self, DEMO_ACCESS_KEY_ID as AK, DEMO_SECRET as SK, Options};
use imgctl::sign::alibaba::{AcsCredentials, sign_v1, sign_v3};
use imgctl::sign::huawei::{HwRequest, sign as hw_sign};
use imgctl::sign::sigv4::{AwsCreds, sign_query_post};
use serde_json::Value;

const ENS: &str = "2017-11-10";
const ECS: &str = "2014-05-26";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

struct Emu {
    addr: SocketAddr,
    host: String,
}

fn start(faults: &[&str]) -> Emu {
    start_at(Duration::ZERO, faults)
}

fn start_at(speed: Duration, faults: &[&str]) -> Emu {
    let faults: Vec<Fault> = faults
        .iter()
        .map(|f| Fault::parse_spec(f).unwrap())
        .collect();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let opts = Options {
                speed,
                faults,
                ..Options::default()
            };
            let e = emulator::start(opts).await.unwrap();
            tx.send(e.addr).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let addr = rx.recv().unwrap();
    Emu {
        addr,
        host: addr.to_string(),
    }
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, n: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
    }
}

/// One request on a fresh connection; None when the server closed it
/// without answering.
fn http(
    e: &Emu,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<Resp> {
    let mut s = TcpStream::connect(e.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {}\r\n", e.host));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    if raw.is_empty() {
        return None;
    }
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

fn owned(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn nonce() -> String {
    imgctl::transport::random_hex()
}

fn fmt(t: time::OffsetDateTime, f: &[time::format_description::BorrowedFormatItem]) -> String {
    t.format(f).unwrap()
}

fn acs_date(skew_secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(skew_secs);
    fmt(
        t,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
}

/// An Alibaba V3 call with full control over secret, nonce and date.
#[allow(clippy::too_many_arguments)]
fn v3_with(
    e: &Emu,
    version: &str,
    action: &str,
    p: &[(&str, &str)],
    ak: &str,
    sk: &str,
    nonce: &str,
    date: &str,
) -> Resp {
    let creds = AcsCredentials {
        access_key_id: ak,
        access_key_secret: sk,
        security_token: None,
    };
    let s = sign_v3(
        "POST",
        &e.host,
        action,
        version,
        &owned(p),
        b"",
        None,
        &creds,
        date,
        nonce,
    );
    http(e, "POST", &format!("/?{}", s.query), &s.headers, b"").unwrap()
}

fn v3(e: &Emu, version: &str, action: &str, p: &[(&str, &str)]) -> Resp {
    v3_with(e, version, action, p, AK, SK, &nonce(), &acs_date(0))
}

fn v1_with(
    e: &Emu,
    version: &str,
    action: &str,
    p: &[(&str, &str)],
    sk: &str,
    nonce: &str,
    ts: &str,
) -> Resp {
    let creds = AcsCredentials {
        access_key_id: AK,
        access_key_secret: sk,
        security_token: None,
    };
    let q = sign_v1("POST", action, version, &owned(p), &creds, ts, nonce);
    http(e, "POST", &format!("/?{q}"), &[], b"").unwrap()
}

fn ec2_with(e: &Emu, body: &str, sk: &str, when: SystemTime) -> Resp {
    let ct = "application/x-www-form-urlencoded; charset=utf-8";
    let url = format!("http://{}/", e.host);
    let creds = AwsCreds {
        access_key_id: AK,
        secret_access_key: sk,
        session_token: None,
    };
    let mut h = sign_query_post(&url, body, ct, &creds, "us-east-1", "ec2", when).unwrap();
    h.push(("content-type".into(), ct.into()));
    http(e, "POST", "/", &h, body.as_bytes()).unwrap()
}

fn ec2(e: &Emu, body: &str) -> Resp {
    ec2_with(e, body, SK, SystemTime::now())
}

fn hw_with(e: &Emu, method: &str, path: &str, q: &[(&str, &str)], body: &str, sk: &str) -> Resp {
    let query = owned(q);
    let headers = owned(&[
        ("Content-Type", "application/json"),
        ("X-Project-Id", PROJECT),
    ]);
    let r = HwRequest {
        method,
        host: &e.host,
        path,
        query: &query,
        headers: &headers,
        body: body.as_bytes(),
    };
    let date = fmt(
        time::OffsetDateTime::now_utc(),
        time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"),
    );
    let s = hw_sign(&r, AK, sk, &date);
    let mut all: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(k, _)| !s.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(k)))
        .collect();
    all.extend(s.headers);
    let target = if s.query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", s.query)
    };
    http(e, method, &target, &all, body.as_bytes()).unwrap()
}

fn hw(e: &Emu, method: &str, path: &str, q: &[(&str, &str)], body: &str) -> Resp {
    hw_with(e, method, path, q, body, SK)
}

/// The answer is an error with this status and provider code.
fn expect(r: &Resp, status: u16, want: &str) {
    assert_eq!((r.status, code(r).as_str()), (status, want), "{}", r.text());
}

fn code(r: &Resp) -> String {
    let v = r.json();
    for p in ["/Code", "/error_code", "/error/code"] {
        if let Some(c) = v.pointer(p) {
            return c
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| c.to_string());
        }
    }
    let t = r.text();
    t.split("<Code>")
        .nth(1)
        .and_then(|s| s.split("</Code>").next())
        .unwrap_or("")
        .to_string()
}

// ------------------------------------------------------------- signatures

#[test]
fn alibaba_v3_is_verified_like_the_cloud() {
    let e = start(&[]);
    let p = [("ImageId", "m-5xxggsu4qy1bzvwpsmktamv6a")];
    let ok = v3(&e, ENS, "DescribeSelfImages", &p);
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["Code"], 0);

    let bad = v3_with(
        &e,
        ENS,
        "DescribeSelfImages",
        &p,
        AK,
        "wrong",
        &nonce(),
        &acs_date(0),
    );
    expect(&bad, 400, "SignatureDoesNotMatch");
    let body = bad.json();
    for k in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(
            body[k].as_str().is_some_and(|v| !v.is_empty()),
            "{k} in {body}"
        );
    }
    assert_eq!(body["HostId"], e.host.as_str());

    let unknown = v3_with(
        &e,
        ENS,
        "DescribeSelfImages",
        &p,
        "LTAIunknown",
        SK,
        &nonce(),
        &acs_date(0),
    );
    expect(&unknown, 404, "InvalidAccessKeyId.NotFound");

    let n = nonce();
    let first = v3_with(
        &e,
        ECS,
        "DescribeImages",
        &[("RegionId", "cn-hangzhou")],
        AK,
        SK,
        &n,
        &acs_date(0),
    );
    assert_eq!(first.status, 200, "{}", first.text());
    let replay = v3_with(
        &e,
        ECS,
        "DescribeImages",
        &[("RegionId", "cn-hangzhou")],
        AK,
        SK,
        &n,
        &acs_date(0),
    );
    expect(&replay, 400, "SignatureNonceUsed");

    let stale = v3_with(
        &e,
        ENS,
        "DescribeSelfImages",
        &p,
        AK,
        SK,
        &nonce(),
        &acs_date(-20 * 60),
    );
    expect(&stale, 400, "InvalidTimeStamp.Expired");

    // A parameter changed after signing.
    let creds = AcsCredentials {
        access_key_id: AK,
        access_key_secret: SK,
        security_token: None,
    };
    let s = sign_v3(
        "POST",
        &e.host,
        "DeleteImage",
        ENS,
        &owned(&[("ImageId", "m-a")]),
        b"",
        None,
        &creds,
        &acs_date(0),
        &nonce(),
    );
    let tampered = http(
        &e,
        "POST",
        "/?ImageId=m-5xxggsu4qy1bzvwpsmktamv6a",
        &s.headers,
        b"",
    )
    .unwrap();
    assert_eq!(code(&tampered), "SignatureDoesNotMatch");
}

#[test]
fn alibaba_v1_is_verified_like_the_cloud() {
    let e = start(&[]);
    let p = [
        ("RegionId", "cn-hangzhou"),
        ("ImageId", "m-bp18ygjuqnwhechc"),
    ];
    let n = nonce();
    let ok = v1_with(&e, ECS, "DescribeImages", &p, SK, &n, &acs_date(0));
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(
        ok.json()["Images"]["Image"][0]["ImageId"],
        "m-bp18ygjuqnwhechc"
    );
    let replay = v1_with(&e, ECS, "DescribeImages", &p, SK, &n, &acs_date(0));
    assert_eq!(code(&replay), "SignatureNonceUsed");
    let bad = v1_with(
        &e,
        ECS,
        "DescribeImages",
        &p,
        "wrong",
        &nonce(),
        &acs_date(0),
    );
    expect(&bad, 400, "SignatureDoesNotMatch");
    let stale = v1_with(
        &e,
        ECS,
        "DescribeImages",
        &p,
        SK,
        &nonce(),
        &acs_date(40 * 60),
    );
    assert_eq!(code(&stale), "InvalidTimeStamp.Expired");
}

#[test]
fn sigv4_is_verified_like_ec2() {
    let e = start(&[]);
    let body = "Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-0abcdef1234567890";
    let ok = ec2(&e, body);
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert!(ok.text().contains("<imageState>available</imageState>"));
    let bad = ec2_with(&e, body, "wrong", SystemTime::now());
    expect(&bad, 401, "AuthFailure");
    let old = ec2_with(&e, body, SK, SystemTime::now() - Duration::from_secs(3600));
    expect(&old, 400, "RequestExpired");
    // The body is covered by the signature.
    let ct = "application/x-www-form-urlencoded; charset=utf-8";
    let creds = AwsCreds {
        access_key_id: AK,
        secret_access_key: SK,
        session_token: None,
    };
    let mut h = sign_query_post(
        &format!("http://{}/", e.host),
        body,
        ct,
        &creds,
        "us-east-1",
        "ec2",
        SystemTime::now(),
    )
    .unwrap();
    h.push(("content-type".into(), ct.into()));
    let other = "Action=DeregisterImage&Version=2016-11-15&ImageId=ami-0abcdef1234567890";
    let swapped = http(&e, "POST", "/", &h, other.as_bytes()).unwrap();
    assert_eq!(code(&swapped), "AuthFailure");
}

#[test]
fn huawei_aksk_and_tokens() {
    let e = start(&[]);
    let path = format!("/v1/{PROJECT}/jobs/ff8080814dbd65d7014dbe0d84db0013");
    let ok = hw(&e, "GET", &path, &[], "");
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["status"], "SUCCESS");
    let bad = hw_with(&e, "GET", &path, &[], "", "wrong");
    expect(&bad, 401, "APIGW.0301");
    let none = http(&e, "GET", &path, &[], b"").unwrap();
    expect(&none, 401, "APIGW.0301");

    let token_body = |pw: &str| {
        format!(
            r#"{{"auth":{{"identity":{{"methods":["password"],"password":{{"user":{{"domain":{{"name":"demo"}},"name":"demo","password":"{pw}"}}}}}},"scope":{{"project":{{"name":"cn-north-4"}}}}}}}}"#
        )
    };
    let ct = vec![(
        "Content-Type".to_string(),
        "application/json;charset=utf8".to_string(),
    )];
    let wrong = http(
        &e,
        "POST",
        "/v3/auth/tokens",
        &ct,
        token_body("nope").as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (wrong.status, wrong.json()["error"]["code"].as_i64()),
        (401, Some(401))
    );
    let t = http(
        &e,
        "POST",
        "/v3/auth/tokens",
        &ct,
        token_body(SK).as_bytes(),
    )
    .unwrap();
    assert_eq!(t.status, 201, "{}", t.text());
    assert_eq!(t.json()["token"]["project"]["id"], PROJECT);
    let token = t.header("x-subject-token").unwrap().to_string();
    let with_token = http(&e, "GET", &path, &[("X-Auth-Token".into(), token)], b"").unwrap();
    assert_eq!(with_token.status, 200, "{}", with_token.text());
    let forged = http(
        &e,
        "GET",
        &path,
        &[("X-Auth-Token".into(), "MIIforged".into())],
        b"",
    )
    .unwrap();
    expect(&forged, 401, "APIGW.0301");

    let projects = hw(&e, "GET", "/v3/projects", &[("name", "cn-north-4")], "");
    assert_eq!(projects.json()["projects"][0]["id"], PROJECT);
}

// ------------------------------------------------------------- life cycles

#[test]
fn life_cycles_advance_one_phase_per_describe_at_speed_zero() {
    let e = start(&[]);
    let r = v3(
        &e,
        ENS,
        "CreateImage",
        &[("ImageName", "web-v1"), ("InstanceId", "i-demo-ens")],
    );
    let id = r.json()["ImageId"].as_str().unwrap().to_string();
    let seen: Vec<String> = (0..5)
        .map(|_| {
            let d = v3(&e, ENS, "DescribeSelfImages", &[("ImageId", &id)]);
            d.json()["Images"]["Image"][0]["Status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        seen,
        ["Creating", "Packing", "Uploading", "Available", "Available"]
    );

    // ECS: Status defaults to Available, so a creating image is invisible.
    let r = v3(
        &e,
        ECS,
        "CreateImage",
        &[
            ("RegionId", "cn-hangzhou"),
            ("InstanceId", "i-demo-ecs"),
            ("ImageName", "web-v1"),
        ],
    );
    let id = r.json()["ImageId"].as_str().unwrap().to_string();
    let q = [("RegionId", "cn-hangzhou"), ("ImageId", id.as_str())];
    assert_eq!(v3(&e, ECS, "DescribeImages", &q).json()["TotalCount"], 0);
    let all = [
        ("RegionId", "cn-hangzhou"),
        ("ImageId", id.as_str()),
        ("Status", "ALL"),
    ];
    let img = v3(&e, ECS, "DescribeImages", &all).json()["Images"]["Image"][0].clone();
    assert_eq!(
        (img["Status"].as_str(), img["Progress"].as_str()),
        (Some("Creating"), Some("50%"))
    );
    assert_eq!(
        v3(&e, ECS, "DescribeImages", &q).json()["Images"]["Image"][0]["Progress"],
        "100%"
    );

    // EC2 pending -> available; import task active -> completed with an AMI.
    let r = ec2(
        &e,
        "Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=web-v1",
    );
    let ami = r
        .text()
        .split("<imageId>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let d = format!("Action=DescribeImages&Version=2016-11-15&ImageId.1={ami}");
    assert!(
        ec2(&e, &d)
            .text()
            .contains("<imageState>pending</imageState>")
    );
    assert!(
        ec2(&e, &d)
            .text()
            .contains("<imageState>available</imageState>")
    );
    let r = ec2(
        &e,
        "Action=ImportImage&Version=2016-11-15&DiskContainer.1.Format=VMDK&DiskContainer.1.Url=s3%3A%2F%2Fmy-bucket%2Fdisk1.vmdk",
    );
    let task = r
        .text()
        .split("<importTaskId>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let d = format!("Action=DescribeImportImageTasks&Version=2016-11-15&ImportTaskId.1={task}");
    let states: Vec<String> = (0..3)
        .map(|_| {
            ec2(&e, &d)
                .text()
                .split("<status>")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(states, ["active", "active", "completed"]);
    assert!(ec2(&e, &d).text().contains("<imageId>ami-"));

    // IMS: job INIT -> RUNNING -> SUCCESS, its image saving -> active.
    let body = r#"{"name":"web-v1","instance_id":"i-demo-ims"}"#;
    let job = hw(&e, "POST", "/v2/cloudimages/action", &[], body).json()["job_id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/{PROJECT}/jobs/{job}");
    // The job and its image are one life cycle: looking at either moves it.
    let j1 = hw(&e, "GET", &path, &[], "").json();
    assert_eq!(j1["status"], "INIT");
    let list = hw(&e, "GET", "/v2/cloudimages", &[("name", "web-v1")], "").json();
    assert_eq!(list["images"][0]["status"], "saving");
    let j2 = hw(&e, "GET", &format!("/v1/cloudimages/job/{job}"), &[], "").json();
    assert_eq!(j2["status"], "SUCCESS");
    let image = j2["entities"]["image_id"].as_str().unwrap().to_string();
    let list = hw(&e, "GET", "/v2/cloudimages", &[("id", &image)], "").json();
    assert_eq!(list["images"][0]["status"], "active");
}

// ------------------------------------------------------------- rules

#[test]
fn documented_rules_and_error_codes() {
    let e = start(&[]);
    let c = |p: &[(&str, &str)]| v3(&e, ENS, "CreateImage", p);
    assert_eq!(
        c(&[("ImageName", "dup1"), ("InstanceId", "i-demo-ens")]).status,
        200
    );
    assert_eq!(
        code(&c(&[("ImageName", "dup1"), ("InstanceId", "i-demo-ens")])),
        "InvalidImageName.Duplicated"
    );
    assert_eq!(
        code(&c(&[("ImageName", "1bad"), ("InstanceId", "i-demo-ens")])),
        "InvalidImageName.Malformed"
    );
    let nf = c(&[("ImageName", "x1"), ("InstanceId", "i-nope")]);
    expect(&nf, 404, "InvalidInstanceId.NotFound");

    // ECS: creating images cannot be modified; IMDS v2 never goes back to v1; DryRun.
    let r = v3(
        &e,
        ECS,
        "CreateImage",
        &[("RegionId", "cn-hangzhou"), ("InstanceId", "i-demo-ecs")],
    );
    let id = r.json()["ImageId"].as_str().unwrap().to_string();
    let m = |p: &[(&str, &str)]| {
        let mut all = vec![("RegionId", "cn-hangzhou"), ("ImageId", id.as_str())];
        all.extend_from_slice(p);
        v3(&e, ECS, "ModifyImageAttribute", &all)
    };
    assert_eq!(
        code(&m(&[("ImageName", "later")])),
        "InvalidStatus.ImageIsCreating"
    );
    for _ in 0..3 {
        v3(
            &e,
            ECS,
            "DescribeImages",
            &[("RegionId", "cn-hangzhou"), ("Status", "ALL")],
        );
    }
    assert_eq!(m(&[("Features.ImdsSupport", "v2")]).status, 200);
    assert_eq!(
        code(&m(&[("Features.ImdsSupport", "v1")])),
        "InvalidOperation.FeaturesImdsSupportNotMatch"
    );
    let dry = m(&[("Description", "dry run only"), ("DryRun", "true")]);
    expect(&dry, 400, "DryRunOperation");
    assert_eq!(
        code(&v3(
            &e,
            ECS,
            "ModifyImageAttribute",
            &[("RegionId", "cn-hangzhou"), ("ImageId", "m-nope")]
        )),
        "InvalidImageId.NotFound"
    );
    assert_eq!(
        code(&v3(&e, ECS, "DescribeImages", &[])),
        "MissingParameter"
    );

    // EC2.
    let make = "Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=dup2";
    assert_eq!(ec2(&e, make).status, 200);
    assert_eq!(code(&ec2(&e, make)), "InvalidAMIName.Duplicate");
    let dry = ec2(
        &e,
        "Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=dry&DryRun=true",
    );
    expect(&dry, 412, "DryRunOperation");
    assert_eq!(
        code(&ec2(
            &e,
            "Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-00000000000000000"
        )),
        "InvalidAMIID.NotFound"
    );
    assert_eq!(
        code(&ec2(
            &e,
            "Action=DescribeImages&Version=2016-11-15&ImageId.1=m-x"
        )),
        "InvalidAMIID.Malformed"
    );
    let imds = ec2(
        &e,
        "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-0abcdef1234567890&ImdsSupport.Value=v1.0",
    );
    assert_eq!(code(&imds), "InvalidParameterValue");

    // IMS.
    let body = r#"{"name":"dup3","instance_id":"i-demo-ims"}"#;
    assert_eq!(
        hw(&e, "POST", "/v2/cloudimages/action", &[], body).status,
        200
    );
    let dup = hw(&e, "POST", "/v2/cloudimages/action", &[], body);
    expect(&dup, 400, "IMG.0009");
    let patch = r#"[{"op":"replace","path":"/max_ram","value":"4096"}]"#;
    let img = "/v2/cloudimages/33ad552d-1149-471c-8575-f1d02b9f3d1d";
    assert_eq!(code(&hw(&e, "PATCH", img, &[], patch)), "IMG.0035");
    let add = r#"[{"op":"add","path":"/max_ram","value":"4096"}]"#;
    assert_eq!(hw(&e, "PATCH", img, &[], add).json()["max_ram"], "4096");
    assert_eq!(hw(&e, "PATCH", img, &[], patch).status, 200);
}

// ------------------------------------------------------------- faults

#[test]
fn throttle_fires_exactly_n_times_with_retry_hints() {
    let e = start(&[
        "ens:CreateImage:throttle:2",
        "ec2:DescribeImages:throttle:1",
        "ims:ShowJob:throttle:1",
    ]);
    let p = [("ImageName", "thr1"), ("InstanceId", "i-demo-ens")];
    for _ in 0..2 {
        let t = v3(&e, ENS, "CreateImage", &p);
        expect(&t, 400, "Throttling.User");
        assert_eq!(t.header("x-acs-retry-after"), Some("1000"));
    }
    assert_eq!(v3(&e, ENS, "CreateImage", &p).status, 200);
    // Throttled calls did nothing: exactly one image of that name.
    let d = v3(&e, ENS, "DescribeSelfImages", &[("ImageName", "thr1")]);
    assert_eq!(d.json()["TotalCount"], "1");

    let body = "Action=DescribeImages&Version=2016-11-15";
    let t = ec2(&e, body);
    assert_eq!(
        (t.status, code(&t).as_str(), t.header("retry-after")),
        (503, "RequestLimitExceeded", Some("1"))
    );
    assert_eq!(ec2(&e, body).status, 200);
    let path = format!("/v1/{PROJECT}/jobs/ff8080814dbd65d7014dbe0d84db0013");
    let t = hw(&e, "GET", &path, &[], "");
    expect(&t, 429, "APIGW.0308");
    assert!(t.header("retry-after").is_some());
    assert_eq!(hw(&e, "GET", &path, &[], "").status, 200);

    let calls = http(&e, "GET", "/__imgctl/calls", &[], b"").unwrap().json();
    let fired = calls
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["fault"] == "throttle")
        .count();
    assert_eq!(fired, 4);
}

#[test]
fn drop_acts_then_cuts_the_connection() {
    let e = start(&["ens:CreateImage:drop"]);
    let p = [("ImageName", "dropped1"), ("InstanceId", "i-demo-ens")];
    let creds = AcsCredentials {
        access_key_id: AK,
        access_key_secret: SK,
        security_token: None,
    };
    let s = sign_v3(
        "POST",
        &e.host,
        "CreateImage",
        ENS,
        &owned(&p),
        b"",
        None,
        &creds,
        &acs_date(0),
        &nonce(),
    );
    assert!(http(&e, "POST", &format!("/?{}", s.query), &s.headers, b"").is_none());
    // The ambiguous case: the image was made all the same.
    let d = v3(&e, ENS, "DescribeSelfImages", &[("ImageName", "dropped1")]);
    assert_eq!(d.json()["TotalCount"], "1");
}

#[test]
fn server_errors_html_truncation_delay_and_failed_images() {
    let e = start(&[]);
    let arm = |f: &str| {
        let r = http(&e, "POST", "/__imgctl/faults", &[], f.as_bytes()).unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
    };
    arm(
        r#"[{"provider":"ec2","operation":"DescribeImages","kind":"error503"},
            {"provider":"ecs","kind":"error500"},
            {"provider":"ims","operation":"ListImages","kind":"html"},
            {"provider":"ens","operation":"DescribeSelfImages","kind":"truncate"}]"#,
    );
    let r = ec2(&e, "Action=DescribeImages&Version=2016-11-15");
    expect(&r, 503, "Unavailable");
    let r = v3(&e, ECS, "DescribeImages", &[("RegionId", "cn-hangzhou")]);
    expect(&r, 500, "InternalError");
    let r = hw(&e, "GET", "/v2/cloudimages", &[], "");
    assert_eq!(
        (r.status, r.header("content-type")),
        (502, Some("text/html"))
    );
    let whole = v3(&e, ENS, "DescribeImages", &[]);
    let cut = v3(&e, ENS, "DescribeSelfImages", &[]);
    assert_eq!(cut.status, 200);
    assert!(serde_json::from_slice::<Value>(&cut.body).is_err() && !cut.body.is_empty());
    assert!(whole.json().is_object());

    arm(r#"{"provider":"ec2","operation":"DescribeImages","kind":"delay","delay_ms":400}"#);
    let t0 = Instant::now();
    assert_eq!(
        ec2(&e, "Action=DescribeImages&Version=2016-11-15").status,
        200
    );
    assert!(t0.elapsed() >= Duration::from_millis(400));

    arm(r#"{"provider":"ens","operation":"CreateImage","kind":"fail_image"}"#);
    let id = v3(
        &e,
        ENS,
        "CreateImage",
        &[("ImageName", "doomed"), ("InstanceId", "i-demo-ens")],
    )
    .json()["ImageId"]
        .as_str()
        .unwrap()
        .to_string();
    let mut last = Value::Null;
    for _ in 0..4 {
        let d = v3(&e, ENS, "DescribeSelfImages", &[("ImageId", &id)]);
        last = d.json()["Images"]["Image"][0]["Status"].clone();
    }
    assert_eq!(last, "Pack_failed");

    let bad = http(
        &e,
        "POST",
        "/__imgctl/faults",
        &[],
        br#"{"kind":"explode"}"#,
    )
    .unwrap();
    assert_eq!(bad.status, 400);
    assert_eq!(
        http(&e, "GET", "/__imgctl/faults", &[], b"")
            .unwrap()
            .json()["armed"],
        serde_json::json!([])
    );
}

#[test]
fn listens_on_loopback_only() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let opts = Options {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..Options::default()
    };
    let err = rt.block_on(emulator::start(opts)).err().unwrap();
    assert!(err.to_string().contains("loopback"), "{err}");
}

#[test]
fn malformed_requests_get_errors_not_crashes() {
    let e = start(&[]);
    let garbage_auth = vec![
        ("x-acs-version".to_string(), ENS.to_string()),
        (
            "Authorization".to_string(),
            "ACS3-HMAC-SHA256 nonsense".to_string(),
        ),
    ];
    expect(
        &http(&e, "POST", "/", &garbage_auth, b"").unwrap(),
        400,
        "IncompleteSignature",
    );
    expect(
        &http(
            &e,
            "POST",
            "/?Version=2014-05-26&Action=DescribeImages",
            &[],
            b"",
        )
        .unwrap(),
        400,
        "MissingAccessKeyId",
    );
    let aws = vec![(
        "Authorization".to_string(),
        "AWS4-HMAC-SHA256 Credential=x".to_string(),
    )];
    expect(
        &http(&e, "POST", "/", &aws, b"Action=DescribeImages").unwrap(),
        400,
        "IncompleteSignature",
    );

    let r = v3(
        &e,
        ENS,
        "ImportImage",
        &[
            ("ImageName", "imp1"),
            ("Architecture", "x86_64"),
            ("DiskDeviceMapping", "[{not json"),
        ],
    );
    expect(&r, 400, "InvalidParameter");
    let r = v3(
        &e,
        ENS,
        "ImportImage",
        &[
            ("ImageName", "imp1"),
            ("Architecture", "x86_64"),
            ("OSSBucket", "nope"),
            ("OSSObject", "x"),
        ],
    );
    expect(&r, 404, "InvalidOSSObject.NotFound");
    expect(
        &v3(&e, ENS, "NoSuchAction", &[]),
        404,
        "InvalidAction.NotFound",
    );
    expect(
        &ec2(&e, "Action=NoSuchAction&Version=2016-11-15"),
        400,
        "InvalidAction",
    );

    expect(
        &hw(&e, "POST", "/v2/cloudimages/action", &[], "[1,2"),
        400,
        "IMG.0001",
    );
    expect(
        &hw(&e, "POST", "/v2/cloudimages/action", &[], ""),
        400,
        "IMG.0007",
    );
    let img = "/v2/cloudimages/33ad552d-1149-471c-8575-f1d02b9f3d1d";
    expect(&hw(&e, "PATCH", img, &[], "{}"), 400, "IMG.0001");
    expect(
        &hw(&e, "GET", "/v2/nothing/here", &[], ""),
        404,
        "APIGW.0101",
    );
    let ct = vec![("Content-Type".to_string(), "application/json".to_string())];
    let t = http(&e, "POST", "/v3/auth/tokens", &ct, b"\xff\xfe").unwrap();
    assert_eq!(t.status, 400);
    assert_eq!(
        http(&e, "GET", "/__imgctl/nothing", &[], b"")
            .unwrap()
            .status,
        404
    );
    assert_eq!(http(&e, "GET", "/elsewhere", &[], b"").unwrap().status, 404);

    // Not HTTP at all: that connection dies, the server lives on.
    let mut s = TcpStream::connect(e.addr).unwrap();
    s.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    let _ = s.read_to_end(&mut Vec::new());
    assert_eq!(
        ec2(&e, "Action=DescribeImages&Version=2016-11-15").status,
        200
    );
}

#[test]
fn with_a_speed_each_phase_lasts_that_long() {
    let e = start_at(Duration::from_millis(800), &[]);
    let r = ec2(
        &e,
        "Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=timed",
    );
    let ami = r
        .text()
        .split("<imageId>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let d = format!("Action=DescribeImages&Version=2016-11-15&ImageId.1={ami}");
    // Looking does not hurry it along.
    for _ in 0..3 {
        assert!(
            ec2(&e, &d)
                .text()
                .contains("<imageState>pending</imageState>")
        );
    }
    std::thread::sleep(Duration::from_millis(850));
    assert!(
        ec2(&e, &d)
            .text()
            .contains("<imageState>available</imageState>")
    );
}

#[test]
fn alibaba_v3_form_body_is_verified() {
    let e = start(&[]);
    let creds = AcsCredentials {
        access_key_id: AK,
        access_key_secret: SK,
        security_token: None,
    };
    let body = b"RegionId=cn-hangzhou&ImageId=m-bp18ygjuqnwhechc&Description=from%20a%20form";
    let ct = "application/x-www-form-urlencoded";
    let sign = |b: &[u8]| {
        sign_v3(
            "POST",
            &e.host,
            "ModifyImageAttribute",
            ECS,
            &[],
            b,
            Some(ct),
            &creds,
            &acs_date(0),
            &nonce(),
        )
    };
    let s = sign(body);
    let r = http(&e, "POST", "/", &s.headers, body).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let d = v3(
        &e,
        ECS,
        "DescribeImages",
        &[
            ("RegionId", "cn-hangzhou"),
            ("ImageId", "m-bp18ygjuqnwhechc"),
        ],
    );
    assert_eq!(d.json()["Images"]["Image"][0]["Description"], "from a form");
    // The body hash is part of the signature.
    let s = sign(body);
    let other = b"RegionId=cn-hangzhou&ImageId=m-bp18ygjuqnwhechc&Description=changed";
    expect(
        &http(&e, "POST", "/", &s.headers, other).unwrap(),
        400,
        "SignatureDoesNotMatch",
    );
}

/// Random bytes where each API expects structure, signed so that they
/// reach the handlers: every one gets an answer and the server lives on.
#[test]
fn random_inputs_reach_the_handlers_and_get_answers() {
    let e = start(&[]);
    let rnd = |n: usize| -> String {
        const A: &[u8] = b"{}[]\":,.=&%+ azAZ09-_~/\x01\xc3";
        (0..n)
            .map(|_| A[(imgctl::transport::random_u64() % A.len() as u64) as usize] as char)
            .collect()
    };
    let img = "/v2/cloudimages/33ad552d-1149-471c-8575-f1d02b9f3d1d";
    for i in 0..60 {
        let junk = rnd(1 + i * 3);
        let r = hw(&e, "POST", "/v2/cloudimages/action", &[], &junk);
        assert!(
            r.status == 400 || r.status == 200,
            "{} {}",
            r.status,
            r.text()
        );
        assert!(hw(&e, "PATCH", img, &[], &junk).status < 500);
        assert!(hw(&e, "POST", "/v2/cloudimages/quickimport/action", &[], &junk).status < 500);
        let form =
            format!("Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-0abc&{junk}");
        assert!(ec2(&e, &form).status < 500);
        let form = format!("Action=DescribeImages&Version=2016-11-15&{junk}");
        assert!(ec2(&e, &form).status < 500);
        let p = [
            ("ImageName", junk.as_str()),
            ("Architecture", "x86_64"),
            ("DiskDeviceMapping", junk.as_str()),
        ];
        assert!(v3(&e, ENS, "ImportImage", &p).status < 500);
        let p = [
            ("RegionId", "cn-hangzhou"),
            ("ImageId", junk.as_str()),
            ("Status", junk.as_str()),
            ("PageSize", junk.as_str()),
        ];
        assert!(v3(&e, ECS, "DescribeImages", &p).status < 500);
    }
    assert_eq!(
        ec2(&e, "Action=DescribeImages&Version=2016-11-15").status,
        200
    );
}
