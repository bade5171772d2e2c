#![no_main]
//! `imgctl::fuzz::config_files` on arbitrary bytes; seeds in fuzz/corpus/config_files/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::config_files(data));
