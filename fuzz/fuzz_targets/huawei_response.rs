#![no_main]
//! `imgctl::fuzz::huawei_response` on arbitrary bytes; seeds in fuzz/corpus/huawei_response/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::huawei_response(data));
