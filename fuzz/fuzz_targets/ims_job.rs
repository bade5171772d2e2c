#![no_main]
//! `imgctl::fuzz::ims_job` on arbitrary bytes; seeds in fuzz/corpus/ims_job/.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| imgctl::fuzz::ims_job(data));
