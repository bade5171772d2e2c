//! The man pages in docs/man/ are generated from the clap definitions
//! (clap_mangen): one for `imgctl` and one per subcommand
//! (`imgctl-image-create.1`, …). This test fails when a committed page
//! differs from what the definitions give now, or when one is missing or
//! left over. After changing a flag or its help:
//!
//!     IMGCTL_UPDATE_MAN=1 cargo test --test man

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use clap::CommandFactory;

fn pages(dir: &Path) -> BTreeMap<String, String> {
    fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".1"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        fs::read_to_string(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn committed_man_pages_are_fresh() {
    let fresh = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(imgctl::cli::Cli::command(), fresh.path()).unwrap();
    let want = pages(fresh.path());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    assert!(want.contains_key("imgctl.1") && want.contains_key("imgctl-image-create.1"));
    assert!(want.contains_key("imgctl-config-set.1") && want.contains_key("imgctl-configure.1"));
    if std::env::var_os("IMGCTL_UPDATE_MAN").is_some() {
        fs::create_dir_all(&dir).unwrap();
        for old in pages(&dir).keys() {
            fs::remove_file(dir.join(old)).unwrap();
        }
        for (name, text) in &want {
            fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let have = pages(&dir);
    let stale: Vec<&String> = want
        .iter()
        .filter(|(n, t)| have.get(*n) != Some(t))
        .map(|(n, _)| n)
        .chain(have.keys().filter(|n| !want.contains_key(*n)))
        .collect();
    assert!(
        stale.is_empty(),
        "docs/man is stale ({stale:?}): run `IMGCTL_UPDATE_MAN=1 cargo test --test man`"
    );
}
