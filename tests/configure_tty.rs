//! `imgctl configure` on a real terminal (a pseudo-terminal): it asks,
//! typed secrets are not echoed, Enter keeps what is there, and the file
//! is written owner-only.
#![cfg(unix)]

use std::fs;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs `imgctl configure --profile dev` on a pty, answering each prompt
/// when it appears; returns everything the terminal showed.
fn converse(home: &Path, script: &[(&str, &str)]) -> String {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty fills two fds; the other arguments may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both fds were just opened and are owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgctl"))
        .args(["configure", "--profile", "dev"])
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let mut writer = fs::File::from(master.try_clone().unwrap());
    let mut reader = fs::File::from(master);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        // EIO once the child has gone: the end.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let text =
        |seen: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    let mut from = 0;
    for (prompt, answer) in script {
        let start = Instant::now();
        loop {
            let t = text(&seen);
            if let Some(i) = t[from..].find(prompt) {
                from += i + prompt.len();
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no prompt {prompt:?} in {t}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Let the program reach its read (and turn echo off) first.
        std::thread::sleep(Duration::from_millis(100));
        writer.write_all(answer.as_bytes()).unwrap();
    }
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "configure did not end: {}",
            text(&seen)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(child.wait().unwrap().code(), Some(0), "{}", text(&seen));
    std::thread::sleep(Duration::from_millis(100));
    text(&seen)
}

#[test]
fn configure_asks_hides_secrets_and_keeps_values() {
    let home = tempfile::tempdir().unwrap();
    let shown = converse(
        home.path(),
        &[
            ("Provider (ens, ecs, ec2, ims): ", "aws\n"),
            ("Region: ", "us-east-1\n"),
            ("Access key id: ", "AKIATTY000001234\n"),
            ("Secret access key (typing is hidden): ", "tty-secret-XYZ\n"),
        ],
    );
    assert!(
        !shown.contains("tty-secret-XYZ"),
        "the secret was echoed: {shown}"
    );
    assert!(shown.contains("saved profile 'dev'"), "{shown}");
    let file = home.path().join(".config/imgctl/config.toml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("provider = \"ec2\"")
            && text.contains("secret_access_key = \"tty-secret-XYZ\""),
        "{text}"
    );
    assert_eq!(
        fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Again: the current values are offered (the key id masked, the
    // secret only as [keep]); Enter keeps them all.
    let shown = converse(
        home.path(),
        &[
            ("Provider (ens, ecs, ec2, ims) [ec2]: ", "\n"),
            ("Region [us-east-1]: ", "\n"),
            ("Access key id [************1234]: ", "\n"),
            ("Secret access key [keep] (typing is hidden): ", "\n"),
        ],
    );
    assert!(shown.contains("nothing changed"), "{shown}");
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
}
