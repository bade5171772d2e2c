//! The on-disk cache of credentials (today IAM tokens and looked-up
//! project ids; every credential cache to come uses it), under the XDG
//! cache directory. Each entry is one small JSON file, written owner-only
//! (0600, in a 0700 directory) because a token is a bearer credential.
//! The cache is an optimisation: an unreadable or damaged entry is ignored
//! and replaced, never an error. An entry someone else could have written
//! or read is ignored too ([`check_private`]), and said so under --debug.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::sign::sha256_hex;
use crate::transport::random_hex;

pub struct DiskCache {
    /// …/imgctl, which imgctl creates and so must own.
    base: PathBuf,
    dir: PathBuf,
}

impl DiskCache {
    /// `base` is `config::cache_dir` (…/imgctl); entries live in `huawei/`.
    pub fn new(base: Option<PathBuf>) -> Option<DiskCache> {
        base.map(|b| DiskCache {
            dir: b.join("huawei"),
            base: b,
        })
    }

    /// A cache of another kind of entry, in its own directory (`aws/`,
    /// `alibaba/`).
    pub fn named(base: Option<PathBuf>, name: &str) -> Option<DiskCache> {
        base.map(|b| DiskCache {
            dir: b.join(name),
            base: b,
        })
    }

    /// Holds `<entry>.lock` exclusively until dropped, so that parallel
    /// runs needing the same entry fetch it once: the first fetches and
    /// writes, the others wait, then read. Waits at most `patience`; then
    /// (or when the lock cannot be made) the caller goes on unlocked,
    /// since the cache is only an optimisation.
    pub fn lock(&self, entry: &Path, patience: std::time::Duration) -> Option<Lock> {
        create_private_dir(&self.base, &self.dir).ok()?;
        for d in [&self.base, &self.dir] {
            check_private_dir(d).ok()?;
        }
        let mut name = entry.file_name()?.to_os_string();
        name.push(".lock");
        Lock::acquire(&entry.with_file_name(name), patience)
    }

    /// The file for one key. Key parts are hashed, so user names and
    /// endpoints never shape a path (no traversal, no over-long names).
    pub fn entry(&self, kind: &str, key: &[&str]) -> PathBuf {
        let digest = sha256_hex(key.join("\n").as_bytes());
        self.dir.join(format!("{kind}-{}.json", &digest[..32]))
    }

    /// `Ok(None)` when there is no usable entry; `Err(why)` when there is
    /// one that must not be trusted.
    pub fn read<T: DeserializeOwned>(&self, path: &Path) -> Result<Option<T>, String> {
        for d in [&self.base, &self.dir] {
            match fs::metadata(d) {
                Ok(_) => check_private_dir(d)?,
                Err(_) => return Ok(None),
            }
        }
        let Some(mut f) = open_no_follow(path)? else {
            return Ok(None);
        };
        let meta = f.metadata().map_err(|e| e.to_string())?;
        check_private(path, &meta)?;
        let mut bytes = Vec::new();
        if f.read_to_end(&mut bytes).is_err() {
            return Ok(None);
        }
        Ok(serde_json::from_slice(&bytes).ok())
    }

    /// Writes through a fresh owner-only temporary file and a rename, so a
    /// reader never sees half an entry and an older, looser file mode is
    /// never inherited.
    pub fn write<T: Serialize>(&self, path: &Path, value: &T) -> std::io::Result<()> {
        create_private_dir(&self.base, &self.dir)?;
        for d in [&self.base, &self.dir] {
            check_private_dir(d).map_err(std::io::Error::other)?;
        }
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

/// How long a run waits for another that is fetching the same entry
/// before it fetches on its own.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// An exclusive advisory lock (flock) on a lock file; released on drop
/// (and by the kernel if the process dies).
pub struct Lock {
    _file: fs::File,
}

impl Lock {
    #[cfg(unix)]
    fn acquire(path: &Path, patience: std::time::Duration) -> Option<Lock> {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
            .ok()?;
        let start = std::time::Instant::now();
        loop {
            // SAFETY: flock on a descriptor we own; no memory is shared.
            let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if r == 0 {
                return Some(Lock { _file: file });
            }
            if start.elapsed() >= patience {
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }

    #[cfg(not(unix))]
    fn acquire(_path: &Path, _patience: std::time::Duration) -> Option<Lock> {
        None
    }
}

/// A private (0700) directory for one process's caches, removed with
/// everything in it when dropped: `--emulator` runs keep their tokens
/// here, so nothing of theirs piles up in the user's cache.
pub struct TempCacheDir(PathBuf);

impl TempCacheDir {
    pub fn new() -> std::io::Result<TempCacheDir> {
        let p =
            std::env::temp_dir().join(format!("imgctl-{}-{}", std::process::id(), random_hex()));
        let mut b = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        // Not recursive: an existing path (planted or not) is an error.
        b.create(&p)?;
        Ok(TempCacheDir(p))
    }

    /// The cache base (what `config::cache_dir` would give).
    pub fn path(&self) -> PathBuf {
        self.0.join("imgctl")
    }
}

impl Drop for TempCacheDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The rule for every cache imgctl keeps, whatever it holds: a cached
/// file is used only when it belongs to this user and nobody else may read
/// or write it, and a directory only when it belongs to this user and
/// nobody else may write to it. A cache in a directory others can write
/// (a shared or planted XDG_CACHE_HOME) could otherwise hand imgctl a
/// token of someone else's choosing, or keep a copy of ours.
#[cfg(unix)]
pub fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let me = euid();
    if meta.uid() != me {
        return Err(format!(
            "{} belongs to uid {}, not to this user (uid {me})",
            path.display(),
            meta.uid()
        ));
    }
    let (open_to_others, rule) = if meta.is_dir() {
        (meta.mode() & 0o022, "others may write to it")
    } else if meta.is_file() {
        (meta.mode() & 0o077, "others may read or write it")
    } else {
        return Err(format!("{} is not a regular file", path.display()));
    };
    if open_to_others != 0 {
        return Err(format!(
            "{} has mode {:o}: {rule}",
            path.display(),
            meta.mode() & 0o777
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_private(_path: &Path, _meta: &fs::Metadata) -> Result<(), String> {
    Ok(())
}

#[cfg(unix)]
fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A cache directory, through a symbolic link only if the link is ours.
#[cfg(unix)]
fn check_private_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let link = fs::symlink_metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if link.file_type().is_symlink() && link.uid() != euid() {
        return Err(format!(
            "{} is a symbolic link of uid {}",
            dir.display(),
            link.uid()
        ));
    }
    let meta = fs::metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    check_private(dir, &meta)
}

#[cfg(not(unix))]
fn check_private_dir(_dir: &Path) -> Result<(), String> {
    Ok(())
}

/// Opens an entry without following a symbolic link, so the checks apply
/// to the very file that is read. `Ok(None)`: no entry.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<Option<fs::File>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    match fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            Err(format!("{} is a symbolic link", path.display()))
        }
        Err(_) => Ok(None),
    }
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<Option<fs::File>, String> {
    Ok(fs::File::open(path).ok())
}

#[cfg(unix)]
fn create_private_dir(base: &Path, dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // An existing directory keeps its mode under DirBuilder: tighten ours
    // (never another user's: check_private_dir refuses those).
    for d in [base, dir] {
        if let Ok(m) = fs::metadata(d)
            && m.uid() == euid()
            && m.mode() & 0o077 != 0
        {
            fs::set_permissions(d, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(_base: &Path, dir: &Path) -> std::io::Result<()> {
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
    use std::time::Instant;

    #[test]
    fn round_trip_is_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let c = DiskCache::new(Some(tmp.path().join("imgctl"))).unwrap();
        let p = c.entry("token", &["https://iam", "acct", "alice", "cn-north-4"]);
        assert!(c.read::<serde_json::Value>(&p).unwrap().is_none());
        c.write(&p, &serde_json::json!({"a": 1})).unwrap();
        let v: serde_json::Value = c.read(&p).unwrap().unwrap();
        assert_eq!(v["a"], 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            for d in [p.parent().unwrap(), &tmp.path().join("imgctl")] {
                let dmode = fs::metadata(d).unwrap().permissions().mode() & 0o777;
                assert_eq!(dmode, 0o700);
            }
        }
        // Different keys, different files; the name carries no key text.
        let q = c.entry("token", &["https://iam", "acct", "bob", "cn-north-4"]);
        assert_ne!(p, q);
        assert!(!p.to_string_lossy().contains("alice"));
    }

    /// A cache directory reached through a symbolic link is used when the
    /// link is ours, refused when it is someone else's (only root can make
    /// one to test with).
    #[cfg(unix)]
    #[test]
    fn symlinked_cache_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        fs::create_dir(&real).unwrap();
        let c = DiskCache::new(Some(real.join("imgctl"))).unwrap();
        let p = c.entry("token", &["k"]);
        c.write(&p, &5).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(real.join("imgctl"), &link).unwrap();
        let via = DiskCache::new(Some(link.clone())).unwrap();
        let q = via.entry("token", &["k"]);
        assert_eq!(via.read::<u8>(&q), Ok(Some(5)), "our own link is followed");
        if std::os::unix::fs::lchown(&link, Some(65534), None).is_ok() {
            let why = via.read::<u8>(&q).unwrap_err();
            assert!(why.contains("symbolic link of uid 65534"), "{why}");
            // The directory itself is still ours and still used directly.
            assert_eq!(c.read::<u8>(&p), Ok(Some(5)));
        }
    }

    /// One holder at a time; a second waits (bounded) and gets the lock
    /// once the first lets go; the lock file is private.
    #[test]
    fn the_lock_is_exclusive_and_bounded() {
        let tmp = tempfile::tempdir().unwrap();
        let c = DiskCache::new(Some(tmp.path().join("imgctl"))).unwrap();
        let p = c.entry("token", &["k"]);
        let first = c.lock(&p, Duration::from_millis(10));
        assert!(first.is_some());
        let t = Instant::now();
        let second = c.lock(&p, Duration::from_millis(150));
        assert!(second.is_none(), "two holders at once");
        assert!(t.elapsed() >= Duration::from_millis(150), "did not wait");
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "waited past its bound"
        );
        drop(first);
        assert!(c.lock(&p, Duration::from_millis(10)).is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mut name = p.file_name().unwrap().to_os_string();
            name.push(".lock");
            let mode = fs::metadata(p.with_file_name(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn damaged_entry_reads_as_absent() {
        let tmp = tempfile::tempdir().unwrap();
        let c = DiskCache::new(Some(tmp.path().join("imgctl"))).unwrap();
        let p = c.entry("token", &["k"]);
        c.write(&p, &1).unwrap();
        fs::write(&p, b"{not json").unwrap();
        assert!(c.read::<serde_json::Value>(&p).unwrap().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn entries_others_could_touch_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("imgctl");
        let c = DiskCache::new(Some(base.clone())).unwrap();
        let p = c.entry("token", &["k"]);
        let mode = |path: &Path, m| fs::set_permissions(path, fs::Permissions::from_mode(m));
        c.write(&p, &1).unwrap();
        assert_eq!(c.read::<u8>(&p), Ok(Some(1)));

        mode(&p, 0o640).unwrap();
        let why = c.read::<u8>(&p).unwrap_err();
        assert!(why.contains("mode 640"), "{why}");
        mode(&p, 0o600).unwrap();

        for d in [&base, p.parent().unwrap()] {
            mode(d, 0o770).unwrap();
            assert!(c.read::<u8>(&p).is_err(), "{}", d.display());
            // Writing makes our own directory private again.
            c.write(&p, &2).unwrap();
            assert_eq!(c.read::<u8>(&p), Ok(Some(2)));
        }

        // A symbolic link, even to a private file of ours, is not followed.
        let elsewhere = tmp.path().join("elsewhere.json");
        fs::write(&elsewhere, b"3").unwrap();
        mode(&elsewhere, 0o600).unwrap();
        fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &p).unwrap();
        assert!(c.read::<u8>(&p).is_err());

        // Another user's file (only root can make one to test with).
        fs::remove_file(&p).unwrap();
        c.write(&p, &4).unwrap();
        if std::os::unix::fs::chown(&p, Some(65534), None).is_ok() {
            let why = c.read::<u8>(&p).unwrap_err();
            assert!(why.contains("uid 65534"), "{why}");
        }
    }
}
