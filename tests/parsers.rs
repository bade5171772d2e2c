//! Parsers never panic: property tests over every response parser (Alibaba
//! JSON, EC2 XML success and error, Huawei JSON, IMS job and IAM token
//! bodies) and every config-file parser (config.toml, the AWS ini files,
//! the aliyun config.json), plus the small value parsers (HTTP dates,
//! Retry-After, creation times, durations).
//!
//! Each property feeds its entry point in `imgctl::fuzz` (the same one the
//! cargo-fuzz targets under `fuzz/` call) with generated inputs: random
//! bytes, random text over the input's own alphabet, and mutations of the
//! real answers in `fuzz/corpus/<target>/` (captured from `imgctl emulator`
//! with `--debug`, which answers in the clouds' documented shapes): byte
//! flips, cuts, deletions, duplications, splices of two answers, and
//! insertions of the tokens that break parsers (quotes, brackets, escapes,
//! huge numbers, multi-byte characters). The generator is a seeded
//! xorshift, so a failure names its seed and case and reproduces.
//!
//! Cases per property: `IMGCTL_PROPTEST_CASES` (default 3000); a long run:
//!
//!     IMGCTL_PROPTEST_CASES=2000000 cargo test --release --test parsers -- --nocapture

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

/// xorshift64*: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The tokens that tend to break hand-written parsers.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    "\\u",
    "\\ud800",
    ":",
    ",",
    "<",
    ">",
    "</",
    "/>",
    "<?xml",
    "<![CDATA[",
    "&",
    "&amp;",
    "&#x0;",
    "&#99999999;",
    "=",
    "\n",
    "\r\n",
    "\0",
    "é",
    "中",
    "😀",
    "\u{feff}",
    "-1",
    "0",
    "1.0",
    "1e999",
    "-1e999",
    "NaN",
    "18446744073709551616",
    "null",
    "true",
    "[[[[[[[[",
    "{\"a\":{\"b\":",
    "Z",
    "+08:00",
    "T",
    "%",
    "GMT",
    "Code",
    "code",
    "error_code",
    "Images",
    "Image",
    "imagesSet",
    "item",
    "entities",
    "process_percent",
    "token",
    "expires_at",
    "[default]",
    "[profile x]",
    "[profiles.x]",
    "provider = ",
    "'''",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], alphabet: &[u8]) -> Vec<u8> {
    let mut b = match rng.below(10) {
        // Random bytes, any length up to 512.
        0 => {
            let n = rng.below(512);
            (0..n).map(|_| rng.next() as u8).collect()
        }
        // Random text over the input's own alphabet.
        1 => {
            let n = rng.below(512);
            (0..n).map(|_| *rng.pick(alphabet)).collect()
        }
        _ if seeds.is_empty() => Vec::new(),
        _ => rng.pick(seeds).clone(),
    };
    for _ in 0..=rng.below(4) {
        let len = b.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 => b.truncate(rng.below(len + 1)),
            2 if len > 0 => {
                let i = rng.below(len);
                let j = (i + rng.below(64)).min(len);
                b.drain(i..j);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let j = (i + rng.below(64)).min(len);
                let chunk = b[i..j].to_vec();
                let at = rng.below(len + 1);
                b.splice(at..at, chunk);
            }
            4 if !seeds.is_empty() => {
                let other = rng.pick(seeds);
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                b.truncate(cut);
                b.extend_from_slice(&other[from..]);
            }
            5 if len > 0 => {
                let i = rng.below(len);
                b[i] = *rng.pick(alphabet);
            }
            _ => {
                let t = rng.pick(TOKENS).as_bytes();
                let at = rng.below(len + 1);
                b.splice(at..at, t.iter().copied());
            }
        }
    }
    b
}

fn cases() -> u64 {
    std::env::var("IMGCTL_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `parse` on every seed as is, then on `cases()` generated inputs;
/// fails with the seed, case and input of the first panic.
fn property(target: &str, parse: fn(&[u8])) {
    let corpus = seeds(target);
    assert!(
        !corpus.is_empty(),
        "no seed answers in fuzz/corpus/{target}: the property would test random bytes only"
    );
    let mut alphabet: Vec<u8> = corpus.iter().flatten().copied().collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let seed = std::env::var("IMGCTL_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1234_5678_9abc_def1_u64 ^ target.len() as u64);
    let mut rng = Rng(seed | 1);
    let n = cases();
    let start = Instant::now();
    // A panic's message would go to stderr for every case: silence the
    // hook while inputs run, and report the first one ourselves.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    for (i, input) in corpus
        .iter()
        .cloned()
        .chain((0..n).map(|_| mutate(&mut rng, &corpus, &alphabet)))
        .enumerate()
    {
        if catch_unwind(AssertUnwindSafe(|| parse(&input))).is_err() {
            failure = Some((i, input));
            break;
        }
    }
    std::panic::set_hook(hook);
    if let Some((i, input)) = failure {
        panic!(
            "{target}: case {i} (seed {seed}) panicked on {} bytes: {:?}",
            input.len(),
            String::from_utf8_lossy(&input)
        );
    }
    println!(
        "{target}: {} inputs ({} seeds + {n} generated) in {:.2?}, no panic",
        corpus.len() as u64 + n,
        corpus.len(),
        start.elapsed()
    );
}

#[test]
fn alibaba_json_answers_never_panic() {
    property("alibaba_response", imgctl::fuzz::alibaba_response);
}

#[test]
fn ec2_xml_answers_and_errors_never_panic() {
    property("ec2_response", imgctl::fuzz::ec2_response);
}

#[test]
fn huawei_json_answers_never_panic() {
    property("huawei_response", imgctl::fuzz::huawei_response);
}

#[test]
fn ims_job_bodies_never_panic() {
    property("ims_job", imgctl::fuzz::ims_job);
}

#[test]
fn iam_token_and_project_bodies_never_panic() {
    property("iam_token", imgctl::fuzz::iam_token);
}

#[test]
fn config_files_never_panic() {
    property("config_files", imgctl::fuzz::config_files);
}

#[test]
fn header_and_field_values_never_panic() {
    property("values", imgctl::fuzz::values);
}

/// The generator really mutates: most inputs differ from every seed, and
/// cuts, splices and insertions all occur (a property over unchanged seeds
/// would prove nothing).
#[test]
fn the_generator_mutates() {
    let corpus = seeds("ec2_response");
    let alphabet: Vec<u8> = (b' '..=b'~').collect();
    let mut rng = Rng(7);
    let outs: Vec<Vec<u8>> = (0..500)
        .map(|_| mutate(&mut rng, &corpus, &alphabet))
        .collect();
    let fresh = outs.iter().filter(|o| !corpus.contains(o)).count();
    assert!(fresh > 450, "{fresh} of 500 differ from the seeds");
    let shorter = outs
        .iter()
        .filter(|o| corpus.iter().all(|s| o.len() < s.len()))
        .count();
    assert!(shorter > 50, "{shorter}");
    assert!(
        outs.iter()
            .any(|o| o.windows(2).any(|w| w == "\\u".as_bytes()))
    );
}
