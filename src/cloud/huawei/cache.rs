//! The on-disk cache of IAM tokens and looked-up project ids, under the XDG
//! cache directory. Each entry is one small JSON file, written owner-only
//! (0600, in a 0700 directory) because a token is a bearer credential.
//! The cache is an optimisation: an unreadable or damaged entry is ignored
//! and replaced, never an error.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::sign::sha256_hex;
use crate::transport::random_hex;

pub struct DiskCache {
    dir: PathBuf,
}

impl DiskCache {
    /// `base` is `config::cache_dir` (…/imgctl); entries live in `huawei/`.
    pub fn new(base: Option<PathBuf>) -> Option<DiskCache> {
        base.map(|b| DiskCache {
            dir: b.join("huawei"),
        })
    }

    /// The file for one key. Key parts are hashed, so user names and
    /// endpoints never shape a path (no traversal, no over-long names).
    pub fn entry(&self, kind: &str, key: &[&str]) -> PathBuf {
        let digest = sha256_hex(key.join("\n").as_bytes());
        self.dir.join(format!("{kind}-{}.json", &digest[..32]))
    }

    pub fn read<T: DeserializeOwned>(&self, path: &Path) -> Option<T> {
        let bytes = fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes through a fresh owner-only temporary file and a rename, so a
    /// reader never sees half an entry and an older, looser file mode is
    /// never inherited.
    pub fn write<T: Serialize>(&self, path: &Path, value: &T) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        let tmp = self.dir.join(format!(".tmp-{}", random_hex()));
        let result = write_private(&tmp, &bytes).and_then(|()| fs::rename(&tmp, path));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    pub fn remove(&self, path: &Path) {
        let _ = fs::remove_file(path);
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // An existing directory keeps its mode under DirBuilder: tighten it.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let c = DiskCache::new(Some(tmp.path().join("imgctl"))).unwrap();
        let p = c.entry("token", &["https://iam", "acct", "alice", "cn-north-4"]);
        assert!(c.read::<serde_json::Value>(&p).is_none());
        c.write(&p, &serde_json::json!({"a": 1})).unwrap();
        let v: serde_json::Value = c.read(&p).unwrap();
        assert_eq!(v["a"], 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let dmode = fs::metadata(p.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(dmode, 0o700);
        }
        // Different keys, different files; the name carries no key text.
        let q = c.entry("token", &["https://iam", "acct", "bob", "cn-north-4"]);
        assert_ne!(p, q);
        assert!(!p.to_string_lossy().contains("alice"));
    }

    #[test]
    fn damaged_entry_reads_as_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let c = DiskCache::new(Some(tmp.path().to_path_buf())).unwrap();
        let p = c.entry("token", &["k"]);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, b"{not json").unwrap();
        assert!(c.read::<serde_json::Value>(&p).is_none());
    }
}
