//! Runs one command and prints what it cost: `WALL_NS CPU_US MAXRSS_KB EXIT`
//! on stdout (the command's own stdout goes to /dev/null, its stderr
//! through). Standard library only (getrusage is declared by hand); built by
//! bench/run.sh with `rustc -O`.
//!
//! Why not time it from Python: a child forked from a 25 MB interpreter
//! reports the interpreter's resident size as its peak (Linux keeps the
//! high-water mark across exec), and the fork itself is slower than the
//! commands measured. This runner is small, so the peak it reports is the
//! command's.
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

#[repr(C)]
#[derive(Default)]
struct Timeval {
    sec: i64,
    usec: i64,
}

/// `struct rusage` on 64-bit Linux.
#[repr(C)]
#[derive(Default)]
struct Rusage {
    utime: Timeval,
    stime: Timeval,
    maxrss: i64,
    rest: [i64; 13],
}

unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}
const RUSAGE_CHILDREN: i32 = -1;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((prog, rest)) = args.split_first() else {
        eprintln!("usage: measure PROGRAM [ARG]...");
        return ExitCode::from(2);
    };
    let t = Instant::now();
    let status = match Command::new(prog)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("measure: cannot run {prog}: {e}");
            return ExitCode::from(2);
        }
    };
    let wall = t.elapsed().as_nanos();
    let mut ru = Rusage::default();
    // SAFETY: getrusage writes one struct rusage, which Rusage mirrors.
    if unsafe { getrusage(RUSAGE_CHILDREN, &mut ru) } != 0 {
        eprintln!("measure: getrusage failed");
        return ExitCode::from(2);
    }
    let cpu = (ru.utime.sec + ru.stime.sec) * 1_000_000 + ru.utime.usec + ru.stime.usec;
    println!("{wall} {cpu} {} {}", ru.maxrss, status.code().unwrap_or(-1));
    ExitCode::SUCCESS
}
