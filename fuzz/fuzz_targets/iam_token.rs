#![no_main]
//! `imgctl::fuzz::iam_token` on arbitrary bytes; seeds in fuzz/corpus/iam_token/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::iam_token(data));
