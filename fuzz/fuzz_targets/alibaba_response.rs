#![no_main]
//! `imgctl::fuzz::alibaba_response` on arbitrary bytes; seeds in fuzz/corpus/alibaba_response/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::alibaba_response(data));
