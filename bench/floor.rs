//! The physical floor of one API call: start a process, open one loopback
//! connection, write a request already signed, read the whole answer, exit.
//! Standard library only; built by bench/run.sh with `rustc -O`.
//!
//!     floor HOST:PORT REQUEST_FILE
//!
//! REQUEST_FILE holds the raw HTTP/1.1 request (headers and body). Exit 0
//! when the answer is 2xx, 1 otherwise.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: floor HOST:PORT REQUEST_FILE");
        return ExitCode::from(2);
    };
    match call(addr, file) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::from(1)
        }
    }
}

fn call(addr: &str, file: &str) -> std::io::Result<bool> {
    let req = std::fs::read(file)?;
    let mut s = TcpStream::connect(addr)?;
    s.write_all(&req)?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if let Some(len) = len
                && buf.len() >= end + 4 + len
            {
                break;
            }
        }
    }
    std::io::stdout().write_all(&buf)?;
    Ok(buf.starts_with(b"HTTP/1.1 2"))
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}
