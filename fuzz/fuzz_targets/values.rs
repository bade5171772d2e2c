#![no_main]
//! `imgctl::fuzz::values` on arbitrary bytes; seeds in fuzz/corpus/values/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::values(data));
