//! Release builds on Linux link a position-dependent executable: a PIE
//! carries ~12,000 relative relocations that the loader applies at every
//! start, faulting in ~170 KB of .data.rel.ro and reading ~280 KB of
//! .rela.dyn, about a quarter of a call's CPU time (docs/performance.md).
//! Only the binaries get the flag: proc macros and the test harnesses are
//! unaffected, and debug builds stay as they are.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let profile = std::env::var("PROFILE").unwrap_or_default();
    if os == "linux" && env == "gnu" && profile == "release" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
