//! The transport against a real HTTP server on 127.0.0.1: the signing hook
//! runs again on every attempt, and only what is safe is retried.

mod common;

use std::cell::RefCell;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use common::{Reply, Server};
use imgctl::transport::{
    HttpRequest, Idempotency, Transport, TransportConfig, Verdict, random_hex,
};

fn transport(max_attempts: u32) -> Transport {
    let cfg = TransportConfig {
        max_attempts,
        loopback: true,
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(5),
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        ..TransportConfig::default()
    };
    Transport::new(cfg, vec![]).expect("transport")
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// 503 = "not processed" (throttled), anything else final.
fn classify(r: &imgctl::transport::HttpResponse) -> Verdict {
    match r.status {
        503 => Verdict::NotProcessed { after: None },
        500 => Verdict::MaybeProcessed { after: None },
        _ => Verdict::Final,
    }
}

#[test]
fn signing_hook_runs_on_every_attempt() {
    let server = Server::start(|n, _| {
        if n < 2 {
            Reply::json(503, r#"{"Code":"ServiceUnavailable"}"#)
        } else {
            Reply::json(200, r#"{"ok":true}"#)
        }
    });
    let calls = RefCell::new(Vec::new());
    let t = transport(3);
    let resp = rt()
        .block_on(t.send(
            Idempotency::Unsafe,
            |attempt| {
                let nonce = random_hex();
                calls.borrow_mut().push((attempt, nonce.clone()));
                Ok(HttpRequest {
                    method: "POST",
                    url: format!("{}/?Action=Test", server.url),
                    headers: vec![("x-acs-signature-nonce".into(), nonce)],
                    body: vec![],
                })
            },
            classify,
        ))
        .expect("send");
    assert_eq!(resp.status, 200);
    let calls = calls.into_inner();
    assert_eq!(calls.iter().map(|c| c.0).collect::<Vec<_>>(), vec![1, 2, 3]);
    let seen: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            r.header("x-acs-signature-nonce")
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(seen.len(), 3);
    // What reached the server is what each attempt signed, all different.
    assert_eq!(seen, calls.iter().map(|c| c.1.clone()).collect::<Vec<_>>());
    assert!(seen[0] != seen[1] && seen[1] != seen[2] && seen[0] != seen[2]);
    assert!(
        server.requests()[0]
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("imgctl/"))
    );
}

#[test]
fn ambiguous_failure_of_unsafe_request_is_not_retried() {
    let server = Server::start(|_, _| Reply::json(500, r#"{"Code":"InternalError"}"#));
    let t = transport(3);
    let resp = rt()
        .block_on(t.send(
            Idempotency::Unsafe,
            |_| {
                Ok(HttpRequest {
                    method: "POST",
                    url: server.url.clone(),
                    headers: vec![],
                    body: b"Action=CreateImage".to_vec(),
                })
            },
            classify,
        ))
        .expect("send");
    assert_eq!(resp.status, 500);
    assert_eq!(
        server.requests().len(),
        1,
        "a create must not be sent twice"
    );
}

#[test]
fn ambiguous_failure_of_safe_request_is_retried_until_exhausted() {
    let server = Server::start(|_, _| Reply::json(500, "{}"));
    let t = transport(4);
    let resp = rt()
        .block_on(t.send(
            Idempotency::Safe,
            |_| {
                Ok(HttpRequest {
                    method: "GET",
                    url: server.url.clone(),
                    headers: vec![],
                    body: vec![],
                })
            },
            classify,
        ))
        .expect("send");
    assert_eq!(resp.status, 500);
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn connection_refused_is_retried_and_reported_as_network_error() {
    // Bind then drop: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let attempts = RefCell::new(0);
    let t = transport(3);
    let err = rt()
        .block_on(t.send(
            Idempotency::Unsafe,
            |_| {
                *attempts.borrow_mut() += 1;
                Ok(HttpRequest {
                    method: "POST",
                    url: format!("http://127.0.0.1:{port}/"),
                    headers: vec![],
                    body: vec![],
                })
            },
            classify,
        ))
        .expect_err("must fail");
    // Nothing reached a server, so even a create may be sent again.
    assert_eq!(*attempts.borrow(), 3);
    assert_eq!(err.exit_code(), 5);
    assert!(err.to_string().contains("cannot connect"), "{err}");
    // Never written: not ambiguous, and the message must not say it might be.
    match &err {
        imgctl::error::Error::Network { maybe_sent, .. } => assert!(!maybe_sent, "{err}"),
        other => panic!("expected a network error, got {other}"),
    }
    assert!(!err.to_string().contains("may have reached"), "{err}");
}

#[test]
fn a_retry_after_pause_is_slept_before_the_next_attempt() {
    // The server's Retry-After is honoured: the second attempt comes no
    // sooner than it asks (a lower bound only, so a slow machine cannot
    // make this fail).
    let server = Server::start(|n, _| {
        if n == 0 {
            Reply::json(503, "{}")
        } else {
            Reply::json(200, "{}")
        }
    });
    let t = transport(3);
    let started = Instant::now();
    let resp = rt()
        .block_on(t.send(
            Idempotency::Safe,
            |_| {
                Ok(HttpRequest {
                    method: "GET",
                    url: server.url.clone(),
                    headers: vec![],
                    body: vec![],
                })
            },
            |r| match r.status {
                503 => Verdict::NotProcessed {
                    after: Some(Duration::from_millis(700)),
                },
                _ => Verdict::Final,
            },
        ))
        .expect("send");
    assert_eq!(resp.status, 200);
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(650),
        "the pause was not taken: {:?}",
        started.elapsed()
    );
}

#[test]
fn read_timeout_ends_a_silent_exchange_without_resending_a_create() {
    let server = Server::start(|_, _| {
        std::thread::sleep(Duration::from_millis(800));
        Reply::json(200, "{}")
    });
    let cfg = TransportConfig {
        max_attempts: 3,
        loopback: true,
        read_timeout: Duration::from_millis(150),
        backoff_base: Duration::from_millis(1),
        ..TransportConfig::default()
    };
    let t = Transport::new(cfg, vec![]).expect("transport");
    let err = rt()
        .block_on(t.send(
            Idempotency::Unsafe,
            |_| {
                Ok(HttpRequest {
                    method: "POST",
                    url: server.url.clone(),
                    headers: vec![],
                    body: b"Action=CreateImage".to_vec(),
                })
            },
            classify,
        ))
        .expect_err("must time out");
    assert_eq!(err.exit_code(), 5);
    let msg = err.to_string();
    assert!(
        msg.contains("in time") && msg.contains("not sent again"),
        "{msg}"
    );
    match &err {
        imgctl::error::Error::Network { maybe_sent, .. } => assert!(maybe_sent, "{msg}"),
        other => panic!("expected a network error, got {other}"),
    }
    assert_eq!(server.requests().len(), 1);
}

/// A server that reads one request head per connection and hands the
/// stream to `answer`, each connection on its own thread: slow answers
/// must not stop the next attempt from connecting. Counts connections.
struct RawServer {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    fn start(answer: impl Fn(TcpStream) + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let answer = answer.clone();
                std::thread::spawn(move || {
                    // The request head, up to the blank line; these
                    // tests send no body worth reading.
                    let mut head = Vec::new();
                    let mut b = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut b) {
                            Ok(1) => head.push(b[0]),
                            _ => return,
                        }
                    }
                    answer(stream);
                });
            }
        });
        RawServer { url, connections }
    }
}

/// Sends one safe GET through `t` on a thread of its own and gives up
/// after `limit`: a transport that never ends fails the test, not hangs it.
fn send_bounded(
    t: TransportConfig,
    url: String,
    limit: Duration,
) -> (
    imgctl::error::Result<imgctl::transport::HttpResponse>,
    Duration,
) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let t = Transport::new(t, vec![]).expect("transport");
        let start = Instant::now();
        let r = rt().block_on(t.send(
            Idempotency::Safe,
            |_| {
                Ok(HttpRequest {
                    method: "GET",
                    url: url.clone(),
                    headers: vec![],
                    body: vec![],
                })
            },
            classify,
        ));
        let _ = tx.send((r, start.elapsed()));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the request was still running after {limit:?}"))
}

fn trickle_config() -> TransportConfig {
    TransportConfig {
        max_attempts: 3,
        loopback: true,
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(5),
        connect_timeout: Duration::from_secs(1),
        read_timeout: Duration::from_secs(1),
        ..TransportConfig::default()
    }
}

#[test]
fn a_body_past_the_limit_is_refused_without_reading_it_all() {
    // No Content-Length: the body runs until the server closes, 16 MiB.
    let server = RawServer::start(|mut s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
        );
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..256 {
            if s.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let (r, _) = send_bounded(
        trickle_config(),
        server.url.clone(),
        Duration::from_secs(30),
    );
    let err = r.expect_err("a 16 MiB answer must be refused");
    assert_eq!(err.exit_code(), 1, "{err}");
    assert!(err.to_string().contains("MiB"), "{err}");
    // Not something to ask again: the answer would be as large.
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn an_announced_huge_body_is_refused_before_reading() {
    // Content-Length 1 GB, then a byte now and then: reading it would take
    // for ever and hold the memory.
    let server = RawServer::start(|mut s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n",
        );
        for _ in 0..600 {
            if s.write_all(b" ").and_then(|_| s.flush()).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let (r, took) = send_bounded(
        trickle_config(),
        server.url.clone(),
        Duration::from_secs(30),
    );
    let err = r.expect_err("a 1 GB answer must be refused");
    assert_eq!(err.exit_code(), 1, "{err}");
    assert!(err.to_string().contains("MiB"), "{err}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn a_trickling_answer_is_cut_at_the_request_deadline() {
    // One byte a second never trips the read (silence) timeout.
    let server = RawServer::start(|mut s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        for _ in 0..1000 {
            if s.write_all(b" ").and_then(|_| s.flush()).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    let (r, took) = send_bounded(
        trickle_config(),
        server.url.clone(),
        Duration::from_secs(30),
    );
    let err = r.expect_err("must give up");
    assert_eq!(err.exit_code(), 5, "{err}");
    assert!(err.to_string().contains("in time"), "{err}");
    // Connect 1 s + read 1 s is the budget of the request, retries included.
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

/// The real binary in a clean environment, killed if it outlives `limit`:
/// (exit code, None when killed; stderr; how long it ran).
fn imgctl_bounded(args: &[&str], limit: Duration) -> (Option<i32>, String, Duration) {
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env("IMGCTL_HUAWEI_METADATA_ENDPOINT", "http://127.0.0.1:1")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("XDG_CACHE_HOME", home.path().join(".cache"))
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "imgctl-demo")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "imgctl-demo-secret")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run imgctl");
    let start = Instant::now();
    let code = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = start.elapsed();
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    (code, err, took)
}

/// Answers every request with headers, then one byte of body a second.
fn trickle_server() -> RawServer {
    RawServer::start(|mut s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        );
        for _ in 0..1000 {
            if s.write_all(b" ").and_then(|_| s.flush()).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    })
}

#[test]
fn wait_timeout_holds_against_a_trickling_server() {
    let server = trickle_server();
    let (code, err, took) = imgctl_bounded(
        &[
            "--provider",
            "ens",
            "--endpoint-url",
            &server.url,
            "wait",
            "--image-id",
            "m-slow",
            "--wait-timeout",
            "3s",
        ],
        Duration::from_secs(40),
    );
    assert_eq!(code, Some(6), "took {took:?}: {err}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

#[test]
fn read_timeout_bounds_a_describe_against_a_trickling_server() {
    let server = trickle_server();
    let (code, err, took) = imgctl_bounded(
        &[
            "--provider",
            "ens",
            "--endpoint-url",
            &server.url,
            "--read-timeout",
            "2s",
            "--connect-timeout",
            "2s",
            "describe",
            "--image-id",
            "m-slow",
        ],
        Duration::from_secs(40),
    );
    assert_eq!(code, Some(5), "took {took:?}: {err}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

/// Endpoints that read as local and are not: the IAM password and the
/// token must not go to them over plain HTTP. A proxy stands in for the
/// network, so whatever would have been sent shows up there.
#[test]
fn a_host_that_only_looks_local_gets_no_password() {
    let proxy = Server::start(|_, _| Reply::json(500, "{}"));
    let password = "pw-Never-Sent-9";
    let ims = "https://ims.example.com";
    for (ims, iam) in [
        (ims, "http://127.0.0.1.attacker.example"),
        (ims, "http://127.0.0.1@attacker.example/v3"),
        (ims, "http://localhost:80@attacker.example"),
        (
            "http://127.0.0.1.attacker.example:8080",
            "https://iam.example.com",
        ),
    ] {
        let home = tempfile::tempdir().expect("tempdir");
        let o = common::imgctl(
            home.path(),
            &[
                "--provider",
                "ims",
                "--region",
                "cn-north-4",
                "--endpoint-url",
                ims,
                "--iam-endpoint-url",
                iam,
                "describe",
                "--image-id",
                "0b5c3c4a-2b7e-4a31-9d6b-0f2f1c6a9e01",
            ],
            &[
                ("HW_USER_NAME", "alice"),
                ("HW_PASSWORD", password),
                ("HW_DOMAIN_NAME", "acct"),
                ("HTTP_PROXY", &proxy.url),
                ("HTTPS_PROXY", &proxy.url),
            ],
        );
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(3), "{ims} {iam}: {err}");
        assert!(
            err.contains("plain HTTP") || err.contains("user name or password"),
            "{ims} {iam}: {err}"
        );
        assert!(!err.contains(password));
    }
    assert!(
        proxy.requests().is_empty(),
        "sent: {:?}",
        proxy
            .requests()
            .iter()
            .map(|r| r.target.clone())
            .collect::<Vec<_>>()
    );
}

#[test]
fn an_endpoint_with_userinfo_is_refused_before_anything_is_sent() {
    let server = Server::start(|_, _| Reply::json(200, "{}"));
    let url = server.url.replace("http://", "http://u:pw-in-url@");
    let home = tempfile::tempdir().expect("tempdir");
    let o = common::imgctl(
        home.path(),
        &[
            "--provider",
            "ens",
            "--endpoint-url",
            &url,
            "describe",
            "--image-id",
            "m-x",
        ],
        &[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "imgctl-demo"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "imgctl-demo-secret"),
        ],
    );
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(!err.contains("pw-in-url"), "{err}");
    assert!(server.requests().is_empty());
}

#[test]
fn the_emulator_url_must_really_be_local() {
    for url in [
        "http://127.0.0.1.attacker.example:8080",
        "http://127.0.0.1@attacker.example",
    ] {
        let home = tempfile::tempdir().expect("tempdir");
        let o = common::imgctl(
            home.path(),
            &[
                "--emulator",
                "--provider",
                "ens",
                "describe",
                "--image-id",
                "m-x",
            ],
            &[("IMGCTL_EMULATOR_URL", url)],
        );
        assert_eq!(o.status.code(), Some(2), "{url}: {}", common::stderr(&o));
    }
}

fn http_date(unix: i64) -> String {
    let o = Command::new("date")
        .args([
            "-u",
            "-d",
            &format!("@{unix}"),
            "+%a, %d %b %Y %H:%M:%S GMT",
        ])
        .env("LC_ALL", "C")
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

/// 401 = refused for its timestamp.
fn skew_classify(r: &imgctl::transport::HttpResponse) -> Verdict {
    if r.status == 401 {
        Verdict::ClockSkew
    } else {
        Verdict::Final
    }
}

/// A refusal for the request's time: signed again once with the server's
/// clock (from its Date header), also for an unsafe request, and the
/// offset is kept for the requests after it; a second refusal is final.
#[test]
fn clock_skew_is_corrected_once_from_the_date_header() {
    let ahead = unix_now() + 1200;
    let server = Server::start(move |n, _| {
        let r = if n == 0 {
            Reply::json(401, r#"{"Code":"InvalidTimeStamp.Expired"}"#)
        } else {
            Reply::json(200, "{}")
        };
        r.header("Date", &http_date(ahead))
    });
    let t = transport(1);
    let seen = RefCell::new(Vec::new());
    let build = |attempt| {
        seen.borrow_mut().push((attempt, t.now().unix_timestamp()));
        Ok(HttpRequest {
            method: "POST",
            url: format!("{}/", server.url),
            headers: vec![],
            body: vec![],
        })
    };
    let resp = rt()
        .block_on(t.send(Idempotency::Unsafe, build, skew_classify))
        .expect("send");
    assert_eq!(resp.status, 200);
    let seen = seen.into_inner();
    assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [1, 2]);
    assert!((seen[0].1 - unix_now()).abs() <= 2, "{seen:?}");
    assert!((seen[1].1 - ahead).abs() <= 2, "{seen:?}");
    assert!((t.clock_offset() - 1200).abs() <= 2, "{}", t.clock_offset());
    // Kept for the next request of the run.
    assert!((t.now().unix_timestamp() - (unix_now() + 1200)).abs() <= 2);

    // Refused again after the correction: one re-signed retry only.
    let always = Server::start(move |_, _| {
        Reply::json(401, r#"{"Code":"InvalidTimeStamp.Expired"}"#).header("Date", &http_date(ahead))
    });
    let t = transport(3);
    let resp = rt()
        .block_on(t.send(
            Idempotency::Unsafe,
            |_| {
                Ok(HttpRequest {
                    method: "POST",
                    url: format!("{}/", always.url),
                    headers: vec![],
                    body: vec![],
                })
            },
            skew_classify,
        ))
        .expect("send");
    assert_eq!(resp.status, 401);
    assert_eq!(always.requests().len(), 2);

    // No Date header: nothing to correct with, the refusal is final.
    let dateless = Server::start(|_, _| Reply::json(401, "{}"));
    let t = transport(3);
    let resp = rt()
        .block_on(t.send(
            Idempotency::Unsafe,
            |_| {
                Ok(HttpRequest {
                    method: "POST",
                    url: format!("{}/", dateless.url),
                    headers: vec![],
                    body: vec![],
                })
            },
            skew_classify,
        ))
        .expect("send");
    assert_eq!(resp.status, 401);
    assert_eq!(dateless.requests().len(), 1);
    assert_eq!(t.clock_offset(), 0);
}

/// Retries that run out on "try later" are recorded for the backend,
/// which then reports "unavailable" with the attempts; a final answer
/// records nothing.
#[test]
fn exhausted_retries_are_recorded() {
    let server = Server::start(|_, _| Reply::new(503, "text/html", "<html>503</html>"));
    let t = transport(3);
    let req = |url: &str| HttpRequest {
        method: "GET",
        url: format!("{url}/"),
        headers: vec![],
        body: vec![],
    };
    let resp = rt()
        .block_on(t.send(Idempotency::Safe, |_| Ok(req(&server.url)), classify))
        .expect("send");
    assert_eq!(resp.status, 503);
    let x = t.exhausted().expect("exhausted");
    assert_eq!(x.attempts, 3);
    let e = t.finish(imgctl::error::Error::bad_response("html", 503));
    assert_eq!(e.exit_code(), 5);
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
    let ok = Server::start(|_, _| Reply::json(200, "{}"));
    rt().block_on(t.send(Idempotency::Safe, |_| Ok(req(&ok.url)), classify))
        .expect("send");
    assert!(t.exhausted().is_none());
}
