#![no_main]
//! `imgctl::fuzz::ec2_response` on arbitrary bytes; seeds in fuzz/corpus/ec2_response/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::ec2_response(data));
