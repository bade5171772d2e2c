//! Issue 16: one TCP connection per host for a whole command. The polls of
//! a --wait and the calls of one command (IAM token, project look-up,
//! action, job polls) reuse the connection; these tests count the
//! connections a server on 127.0.0.1 accepts. And nothing is loaded that
//! the command does not need: no root store for plain HTTP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use common::{imgctl, stderr, stdout};

/// A keep-alive HTTP/1.1 server: answers the n-th request (0-based, across
/// connections) with `handler(n)` and counts the connections it accepts.
struct KeepAlive {
    url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl KeepAlive {
    fn start(handler: impl Fn(usize) -> String + Send + Sync + 'static) -> KeepAlive {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(handler);
        let (c, r) = (connections.clone(), requests.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                let (r, h) = (r.clone(), handler.clone());
                thread::spawn(move || {
                    let _ = serve(stream, &r, &*h);
                });
            }
        });
        KeepAlive {
            url,
            connections,
            requests,
        }
    }
}

fn serve(
    stream: TcpStream,
    count: &AtomicUsize,
    handler: &dyn Fn(usize) -> String,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut len = 0;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h)? == 0 || h == "\r\n" {
                break;
            }
            if let Some((k, v)) = h.trim_end().split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        let n = count.fetch_add(1, Ordering::SeqCst);
        let reply = handler(n);
        write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{reply}",
            reply.len()
        )?;
        out.flush()?;
    }
}

fn describe_images(state: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><imagesSet><item><imageId>ami-0abc</imageId><imageState>{state}</imageState><name>web-v1</name></item></imagesSet></DescribeImagesResponse>"#
    )
}

#[test]
fn a_twenty_poll_wait_uses_one_connection() {
    let server =
        KeepAlive::start(|n| describe_images(if n < 19 { "pending" } else { "available" }));
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &[
            "wait",
            "--provider",
            "ec2",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &server.url,
            "--image-id",
            "ami-0abc",
            "--poll-interval",
            "10ms",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("available"), "{}", stdout(&o));
    assert_eq!(server.requests.load(Ordering::SeqCst), 20, "polls");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1, "connections");
}

/// `imgctl emulator --speed 0` behind a TCP relay that counts the
/// connections made to it.
struct RelayedEmulator {
    child: Child,
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Drop for RelayedEmulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn relayed_emulator() -> RelayedEmulator {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args(["emulator", "--speed", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the emulator's URL");
    let target: SocketAddr = first
        .trim()
        .trim_start_matches("http://")
        .parse()
        .expect("host:port");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let connections = Arc::new(AtomicUsize::new(0));
    let c = connections.clone();
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            c.fetch_add(1, Ordering::SeqCst);
            let Ok(upstream) = TcpStream::connect(target) else {
                continue;
            };
            for (mut from, mut to) in [
                (
                    client.try_clone().expect("clone"),
                    upstream.try_clone().expect("clone"),
                ),
                (upstream, client),
            ] {
                thread::spawn(move || {
                    let _ = std::io::copy(&mut from, &mut to);
                    let _ = to.shutdown(std::net::Shutdown::Write);
                });
            }
        }
    });
    RelayedEmulator {
        child,
        url,
        connections,
    }
}

#[test]
fn an_ims_create_with_token_project_and_job_polls_uses_one_connection() {
    let emu = relayed_emulator();
    let home = tempfile::tempdir().unwrap();
    let o = imgctl(
        home.path(),
        &[
            "create",
            "--provider",
            "ims",
            "--region",
            // Not the seeded region: the project id is looked up.
            "cn-south-1",
            "--endpoint-url",
            &emu.url,
            "--iam-endpoint-url",
            &emu.url,
            "--instance-id",
            "877a2cda-ba63-4e1e-b95f-e67e48b6129a",
            "--name",
            "conn-test",
            "--wait",
            "--poll-interval",
            "10ms",
            "--debug",
        ],
        &[
            ("HW_USER_NAME", "demo"),
            ("HW_PASSWORD", "imgctl-demo-secret"),
            ("HW_DOMAIN_NAME", "demo"),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let sent = err
        .lines()
        .filter(|l| l.starts_with("> POST") || l.starts_with("> GET"))
        .count();
    // Token, project look-up, action, and at least two job polls.
    assert!(sent >= 5, "only {sent} requests:\n{err}");
    assert_eq!(emu.connections.load(Ordering::SeqCst), 1, "{err}");
}

/// The root store is read only when an https:// URL is used: with a
/// certificate file that does not exist, a plain-HTTP call works, and an
/// HTTPS call fails on the trust settings, not on the client set-up.
#[test]
fn the_root_store_is_read_only_for_https() {
    let server = KeepAlive::start(|_| describe_images("available"));
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("no-such-bundle.pem");
    let missing = missing.to_str().unwrap();
    let call = |endpoint: &str| {
        imgctl(
            home.path(),
            &[
                "describe",
                "--provider",
                "ec2",
                "--region",
                "us-east-1",
                "--endpoint-url",
                endpoint,
                "--image-id",
                "ami-0abc",
                "--max-attempts",
                "1",
            ],
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
                ("SSL_CERT_FILE", missing),
            ],
        )
    };
    let o = call(&server.url);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = call(&server.url.replace("http://", "https://"));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no usable root certificate"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        1,
        "nothing sent over HTTPS"
    );
}
