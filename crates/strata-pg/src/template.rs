//! A cache of `initdb`-ed data directories, one per server installation.
//!
//! `initdb` takes one to three seconds; copying its result takes a few tens of milliseconds.
//! The first cluster for a given set of binaries runs `initdb` and stores a copy of the fresh
//! data directory (before the server ever starts) under the cache directory; later clusters
//! copy that. Writers take an exclusive `flock` and publish with an atomic rename, so
//! concurrent processes neither race nor see half-written templates.

use std::fs::{self, File};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Set to `0` to run `initdb` for every cluster (for measuring, or to rule the cache out).
pub const TEMPLATE_ENV: &str = "STRATA_PG_TEMPLATE";
/// Overrides where templates are cached.
pub const CACHE_DIR_ENV: &str = "STRATA_CACHE_DIR";

/// Bumped whenever the `initdb` arguments or the layout change, so old templates are ignored.
const FORMAT: &str = "v1";

/// Whether the cache is switched on.
pub(crate) fn enabled() -> bool {
    std::env::var(TEMPLATE_ENV).map_or(true, |v| v != "0")
}

/// `$STRATA_CACHE_DIR`, `$XDG_CACHE_HOME/strata`, `~/.cache/strata`, or a per-user
/// directory under the temporary directory.
fn cache_root() -> PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var(CACHE_DIR_ENV) {
        return dir;
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return dir.join("strata");
    }
    if let Some(home) = var("HOME") {
        return home.join(".cache").join("strata");
    }
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    std::env::temp_dir().join(format!("strata-cache-{uid}"))
}

/// A key for the installation: its directory, the `postgres` binary's size and modification
/// time (a package upgrade changes them), and the `initdb` arguments.
fn key(bin_dir: &Path, initdb_args: &str) -> io::Result<String> {
    let postgres = bin_dir.join("postgres");
    let meta = fs::metadata(&postgres)?;
    let canonical = fs::canonicalize(bin_dir).unwrap_or_else(|_| bin_dir.to_path_buf());
    let text = format!(
        "{FORMAT}\n{}\n{}\n{}.{}\n{initdb_args}",
        canonical.display(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec()
    );
    // FNV-1a: stable across Rust versions, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Ok(format!("pgdata-{FORMAT}-{hash:016x}"))
}

/// Where the template for these binaries lives (whether or not it exists yet).
pub(crate) struct Template {
    dir: PathBuf,
    lock_path: PathBuf,
}

impl Template {
    pub(crate) fn locate(bin_dir: &Path, initdb_args: &str) -> Option<Template> {
        let key = key(bin_dir, initdb_args).ok()?;
        let root = cache_root().join("pg-templates");
        Some(Template {
            dir: root.join(&key),
            lock_path: root.join(format!("{key}.lock")),
        })
    }

    /// True when a complete template is present (it is published by rename, so the marker
    /// file exists only in a finished one).
    pub(crate) fn exists(&self) -> bool {
        self.dir.join("PG_VERSION").is_file()
    }

    /// Takes the writers' lock (blocking) so only one process runs `initdb` for the cache.
    pub(crate) fn lock(&self) -> io::Result<Lock> {
        if let Some(parent) = self.lock_path.parent() {
            fs::create_dir_all(parent)?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock_path)?;
        // SAFETY: the descriptor is valid for as long as `file` lives; the lock goes with it.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Lock { _file: file })
    }

    /// Stores a copy of `data_dir` as the template (the caller holds the lock).
    pub(crate) fn store(&self, data_dir: &Path) -> io::Result<()> {
        let parent = self.dir.parent().unwrap_or(Path::new("."));
        let staging = tempfile::Builder::new()
            .prefix(".staging-")
            .tempdir_in(parent)?;
        let target = staging.path().join("data");
        copy_tree(data_dir, &target, None)?;
        fs::rename(&target, &self.dir)?;
        Ok(())
    }

    /// Copies the template to `data_dir` (which must not exist), handing every file to
    /// `owner` when given.
    pub(crate) fn copy_to(&self, data_dir: &Path, owner: Option<(u32, u32)>) -> io::Result<()> {
        copy_tree(&self.dir, data_dir, owner)
    }
}

/// Held while a process builds a template.
pub(crate) struct Lock {
    _file: File,
}

/// Copies a directory tree (regular files, directories and symlinks), keeping modes.
fn copy_tree(from: &Path, to: &Path, owner: Option<(u32, u32)>) -> io::Result<()> {
    let meta = fs::metadata(from)?;
    fs::create_dir(to)?;
    fs::set_permissions(to, fs::Permissions::from_mode(meta.permissions().mode()))?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(to, Some(uid), Some(gid))?;
    }
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&source, &target, owner)?;
            continue;
        }
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&source)?, &target)?;
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::lchown(&target, Some(uid), Some(gid))?;
            }
            continue;
        }
        // `fs::copy` uses copy_file_range (a reflink where the file system can) and keeps
        // the permission bits.
        fs::copy(&source, &target)?;
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&target, Some(uid), Some(gid))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_tree_keeps_modes_and_contents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let from = dir.path().join("from");
        fs::create_dir_all(from.join("sub")).expect("mkdir");
        fs::set_permissions(&from, fs::Permissions::from_mode(0o700)).expect("chmod");
        fs::write(from.join("sub/file"), "hello").expect("write");
        fs::set_permissions(from.join("sub/file"), fs::Permissions::from_mode(0o600))
            .expect("chmod");
        std::os::unix::fs::symlink("sub/file", from.join("link")).expect("symlink");
        let to = dir.path().join("to");
        copy_tree(&from, &to, None).expect("copy");
        assert_eq!(
            fs::read_to_string(to.join("sub/file")).expect("read"),
            "hello"
        );
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&to), 0o700);
        assert_eq!(mode(&to.join("sub/file")), 0o600);
        assert_eq!(
            fs::read_link(to.join("link")).expect("link"),
            Path::new("sub/file")
        );
    }

    #[test]
    fn key_depends_on_arguments_and_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("postgres"), "x").expect("write");
        let a = key(dir.path(), "-E UTF8").expect("key");
        let b = key(dir.path(), "-E SQL_ASCII").expect("key");
        assert_ne!(a, b);
        assert_eq!(a, key(dir.path(), "-E UTF8").expect("key"));
        assert!(key(&dir.path().join("missing"), "").is_err());
    }
}
