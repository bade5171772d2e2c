//! Writing imgctl's own config.toml (`imgctl config set`, `imgctl
//! configure`). The file may hold keys, so it is created owner-only
//! (0600) and a rewrite never widens it: a group- or world-readable file
//! is narrowed to 0600 (and the caller says so). Writes go through a
//! fresh 0600 temporary file in the same directory and a rename, so a
//! reader never sees half a file; a symbolic link (a dotfiles manager's)
//! is followed and its target rewritten. Comments and layout survive
//! (toml_edit): people keep notes in this file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, value};

use crate::error::{Error, Result};

/// What one write did, for the caller to report.
#[derive(Debug, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub created: bool,
    /// The mode the file had when it was wider than 0600.
    pub narrowed_from: Option<u32>,
}

fn io(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::config(format!("cannot {what} {}: {e}", path.display()))
}

/// Reads the document, or an empty one when the file does not exist. A
/// file that does not parse is refused (the error names line and column,
/// never the text: it may be a secret).
pub fn load(path: &Path) -> Result<DocumentMut> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DocumentMut::new()),
        Err(e) => return Err(io(path, "read", e)),
    };
    text.parse::<DocumentMut>().map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let before = text.get(..s.start).unwrap_or(&text);
                format!(
                    ": line {}, column {}",
                    before.matches('\n').count() + 1,
                    before.rsplit('\n').next().unwrap_or("").chars().count() + 1
                )
            })
            .unwrap_or_default();
        Error::config(format!(
            "{}{at}: not valid TOML; fix it by hand before `imgctl config set`",
            path.display()
        ))
    })
}

/// The `[profiles.NAME]` table, made when absent.
fn profile_table<'d>(doc: &'d mut DocumentMut, profile: &str) -> Result<&'d mut Table> {
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| Error::config("`profiles` in the config file is not a table"))?;
    profiles
        .entry(profile)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| {
            Error::config(format!(
                "profiles.{profile} in the config file is not a table"
            ))
        })
}

/// A value as it goes into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    Text(String),
    Integer(i64),
}

/// Sets `key` in `[profiles.PROFILE]` (or at the top when `profile` is
/// None: `default_profile`). Spellings of the same key (`sk`,
/// `access_key_secret` for `secret_access_key`) are replaced, never left
/// beside it.
pub fn set(
    doc: &mut DocumentMut,
    profile: Option<&str>,
    key: &str,
    v: &Setting,
    aliases: &[&str],
) -> Result<()> {
    let item = match v {
        Setting::Text(s) => value(s.as_str()),
        Setting::Integer(n) => value(*n),
    };
    let table = match profile {
        Some(p) => profile_table(doc, p)?,
        None => doc.as_table_mut(),
    };
    // A comment above a replaced spelling stays above the key.
    let mut decor = None;
    for a in aliases {
        if let Some(k) = table.key(a) {
            decor.get_or_insert_with(|| k.leaf_decor().clone());
        }
        table.remove(a);
    }
    table.insert(key, item);
    if let (Some(d), Some(mut k)) = (decor, table.key_mut(key)) {
        *k.leaf_decor_mut() = d;
    }
    Ok(())
}

/// The stored value of `key` (or one of its spellings).
pub fn get(
    doc: &DocumentMut,
    profile: Option<&str>,
    key: &str,
    aliases: &[&str],
) -> Option<String> {
    let table: &dyn toml_edit::TableLike = match profile {
        Some(p) => doc.get("profiles")?.get(p)?.as_table_like()?,
        None => doc.as_table(),
    };
    std::iter::once(key)
        .chain(aliases.iter().copied())
        .find_map(|k| table.get(k))
        .and_then(|i| i.as_value())
        .map(|v| match v.as_str() {
            Some(s) => s.to_string(),
            None => v.to_string().trim().to_string(),
        })
}

/// Writes the document to `path` owner-only, atomically.
pub fn save(path: &Path, doc: &DocumentMut) -> Result<Written> {
    // Follow a symbolic link to the file it names.
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| io(path, "follow", e))?
        }
        _ => path.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let (created, narrowed_from) = match fs::metadata(&target) {
        Ok(m) => {
            if !m.is_file() {
                return Err(Error::config(format!(
                    "{} is not a regular file",
                    target.display()
                )));
            }
            check_mode(&target, &m)?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_dir_private(&dir)?;
            (true, None)
        }
        Err(e) => return Err(io(&target, "read", e)),
    };
    let tmp = dir.join(format!(
        ".config.toml.tmp-{}",
        crate::transport::random_hex()
    ));
    let result = write_new_private(&tmp, doc.to_string().as_bytes())
        .and_then(|()| fs::rename(&tmp, &target));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io(&target, "write", e));
    }
    Ok(Written {
        path: target,
        created,
        narrowed_from,
    })
}

/// An existing file: ours, writable by us; its group and other bits go.
#[cfg(unix)]
fn check_mode(path: &Path, m: &fs::Metadata) -> Result<(bool, Option<u32>)> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if m.uid() != me {
        return Err(Error::config(format!(
            "{} belongs to uid {}, not to this user: not rewriting it",
            path.display(),
            m.uid()
        )));
    }
    let mode = m.mode() & 0o777;
    if mode & 0o200 == 0 {
        return Err(Error::config(format!(
            "{} is read-only (mode {mode:o}): make it writable to change it",
            path.display()
        )));
    }
    Ok((false, (mode & 0o077 != 0).then_some(mode)))
}

#[cfg(not(unix))]
fn check_mode(_path: &Path, _m: &fs::Metadata) -> Result<(bool, Option<u32>)> {
    Ok((false, None))
}

fn create_dir_private(dir: &Path) -> Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| io(dir, "create", e))
}

fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_keeps_comments_and_replaces_spellings() {
        let mut doc: DocumentMut = "# my notes\ndefault_profile = \"dev\"\n\n[profiles.dev]\n# keys\nsk = \"old\"\nregion = \"cn-hangzhou\"\n"
            .parse()
            .unwrap();
        set(
            &mut doc,
            Some("dev"),
            "secret_access_key",
            &Setting::Text("new".into()),
            &["access_key_secret", "sk"],
        )
        .unwrap();
        set(
            &mut doc,
            Some("prod"),
            "max_attempts",
            &Setting::Integer(5),
            &[],
        )
        .unwrap();
        let text = doc.to_string();
        assert!(
            text.contains("# my notes") && text.contains("# keys"),
            "{text}"
        );
        assert!(!text.contains("sk = "), "{text}");
        assert_eq!(
            get(&doc, Some("dev"), "secret_access_key", &["sk"]).as_deref(),
            Some("new")
        );
        assert_eq!(
            get(&doc, Some("prod"), "max_attempts", &[]).as_deref(),
            Some("5")
        );
        assert_eq!(
            get(&doc, None, "default_profile", &[]).as_deref(),
            Some("dev")
        );
        assert_eq!(get(&doc, Some("nope"), "region", &[]), None);
    }

    #[cfg(unix)]
    #[test]
    fn created_0600_and_never_widened() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("sub/config.toml");
        let mut doc = DocumentMut::new();
        set(
            &mut doc,
            Some("a"),
            "region",
            &Setting::Text("us-east-1".into()),
            &[],
        )
        .unwrap();
        let w = save(&path, &doc).unwrap();
        assert!(w.created && w.narrowed_from.is_none());
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let w = save(&path, &doc).unwrap();
        assert_eq!(w.narrowed_from, Some(0o644));
        assert_eq!(mode(&path), 0o600);
        // Through a symbolic link: the target is rewritten, the link stays.
        let link = tmp.path().join("link.toml");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        save(&link, &doc).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        assert!(save(&path, &doc).is_err());
        assert_eq!(mode(&path), 0o400);
    }
}
