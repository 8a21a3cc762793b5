//! A migrations folder: `NNNN_name.up.sql` and `NNNN_name.down.sql` files plus `strata.sum`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::FolderError;
use crate::sum;

/// The checksum file's name inside the folder.
pub const SUM_FILE: &str = "strata.sum";

/// One versioned migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: u64,
    /// The part after `NNNN_`, e.g. `add_due_date`.
    pub name: String,
    /// `NNNN_name.up.sql`.
    pub up_file: String,
    pub up: String,
    /// `NNNN_name.down.sql`, when there is one.
    pub down_file: Option<String>,
    pub down: Option<String>,
}

impl Migration {
    /// `0003_add_priority`: the name messages use.
    pub fn id(&self) -> String {
        self.up_file
            .strip_suffix(".up.sql")
            .unwrap_or(&self.up_file)
            .to_string()
    }

    /// What the history table records and compares: the SHA-256 of the up script.
    pub fn checksum(&self) -> String {
        sum::hex_sha256(self.up.as_bytes())
    }

    /// The SHA-256 of the down script, recorded next to [`Migration::checksum`] when the
    /// migration is applied, so a down file edited afterwards never runs.
    pub fn down_checksum(&self) -> Option<String> {
        self.down.as_deref().map(|d| sum::hex_sha256(d.as_bytes()))
    }

    /// The files of this migration in the order the checksum file lists them.
    pub fn files(&self) -> Vec<(&str, &str)> {
        let mut out = vec![(self.up_file.as_str(), self.up.as_str())];
        if let (Some(f), Some(t)) = (&self.down_file, &self.down) {
            out.push((f.as_str(), t.as_str()));
        }
        out
    }
}

/// The files found for one version while reading a folder.
struct Slot {
    stem: String,
    name: String,
    up: Option<String>,
    down: Option<String>,
}

/// The migrations of a folder, in version order.
#[derive(Debug, Clone)]
pub struct Folder {
    pub dir: PathBuf,
    pub migrations: Vec<Migration>,
}

/// `NNNN_name.up.sql` → (version, name, is_up).
pub fn parse_file_name(file: &str) -> Option<(u64, String, bool)> {
    let (stem, up) = if let Some(s) = file.strip_suffix(".up.sql") {
        (s, true)
    } else if let Some(s) = file.strip_suffix(".down.sql") {
        (s, false)
    } else {
        return None;
    };
    let (digits, name) = stem.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || name.is_empty() {
        return None;
    }
    Some((digits.parse().ok()?, name.to_string(), up))
}

impl Folder {
    /// Reads `dir`. A missing folder is an error; an empty one has no migrations.
    ///
    /// Every entry whose name ends in `.sql` (in any letter case) must be exactly
    /// `NNNN_name.up.sql` or `NNNN_name.down.sql` and a file; one version has one up file
    /// and at most one down file with the same stem. Anything else is refused rather than
    /// skipped, so a file the runner would ignore cannot hide in the folder.
    pub fn read(dir: &Path) -> Result<Folder, FolderError> {
        let entries = std::fs::read_dir(dir).map_err(|e| FolderError::Io {
            path: dir.to_path_buf(),
            error: e,
        })?;
        // version → (stem `NNNN_name`, up file, down file)
        let mut found: BTreeMap<u64, Slot> = BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|e| FolderError::Io {
                path: dir.to_path_buf(),
                error: e,
            })?;
            let raw = entry.file_name();
            let lossy = raw.to_string_lossy().into_owned();
            if !lossy.to_ascii_lowercase().ends_with(".sql") {
                continue;
            }
            let parsed = raw.to_str().and_then(parse_file_name);
            let Some((version, name, up)) = parsed else {
                return Err(FolderError::BadName { file: lossy });
            };
            let file = lossy;
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir {
                return Err(FolderError::NotAFile { file });
            }
            let stem = file
                .strip_suffix(if up { ".up.sql" } else { ".down.sql" })
                .unwrap_or(&file)
                .to_string();
            let slot = found.entry(version).or_insert_with(|| Slot {
                stem: stem.clone(),
                name,
                up: None,
                down: None,
            });
            let taken = if up { &slot.up } else { &slot.down };
            if slot.stem != stem || taken.is_some() {
                let first = slot
                    .up
                    .clone()
                    .or_else(|| slot.down.clone())
                    .unwrap_or_default();
                let (first, second) = if first <= file {
                    (first, file)
                } else {
                    (file, first)
                };
                return Err(FolderError::DuplicateVersion {
                    version,
                    first,
                    second,
                });
            }
            if up {
                slot.up = Some(file);
            } else {
                slot.down = Some(file);
            }
        }
        let mut migrations = Vec::new();
        for (version, slot) in found {
            let Some(up_file) = slot.up else {
                return Err(FolderError::MissingUp {
                    file: slot.down.unwrap_or_default(),
                });
            };
            let up = read_text(&dir.join(&up_file))?;
            let down = match &slot.down {
                Some(f) => Some(read_text(&dir.join(f))?),
                None => None,
            };
            migrations.push(Migration {
                version,
                name: slot.name,
                up_file,
                up,
                down_file: slot.down,
                down,
            });
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
            migrations,
        })
    }

    pub fn sum_path(&self) -> PathBuf {
        self.dir.join(SUM_FILE)
    }

    /// The version a new migration gets: one past the last.
    pub fn next_version(&self) -> u64 {
        self.migrations.last().map_or(1, |m| m.version + 1)
    }

    pub fn get(&self, version: u64) -> Option<&Migration> {
        self.migrations.iter().find(|m| m.version == version)
    }

    /// The checksum file this folder should have.
    pub fn sum_text(&self) -> String {
        sum::render(&self.migrations)
    }

    /// Checks `strata.sum` against the files: see [`sum::verify`].
    pub fn verify_sum(&self) -> Result<(), crate::error::SumError> {
        let path = self.sum_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(crate::error::SumError::Io { path, error: e });
            }
        };
        sum::verify(text.as_deref(), &self.migrations)
    }

    /// Writes `strata.sum` for the files as they are now.
    pub fn write_sum(&self) -> Result<(), FolderError> {
        let path = self.sum_path();
        std::fs::write(&path, self.sum_text()).map_err(|e| FolderError::Io { path, error: e })
    }
}

fn read_text(path: &Path) -> Result<String, FolderError> {
    let bytes = std::fs::read(path).map_err(|e| FolderError::Io {
        path: path.to_path_buf(),
        error: e,
    })?;
    String::from_utf8(bytes).map_err(|_| FolderError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_names() {
        assert_eq!(
            parse_file_name("0001_init.up.sql"),
            Some((1, "init".into(), true))
        );
        assert_eq!(
            parse_file_name("0012_add_x_y.down.sql"),
            Some((12, "add_x_y".into(), false))
        );
        assert_eq!(parse_file_name("x_init.up.sql"), None);
        assert_eq!(parse_file_name("0001.up.sql"), None);
        assert_eq!(parse_file_name("0001_init.sql"), None);
        assert_eq!(parse_file_name("99999999999999999999999_x.up.sql"), None);
    }

    #[test]
    fn reads_a_folder_in_version_order_and_rejects_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("0002_b.up.sql"), "SELECT 2;").unwrap();
        std::fs::write(dir.path().join("0001_a.up.sql"), "SELECT 1;").unwrap();
        std::fs::write(dir.path().join("0001_a.down.sql"), "SELECT -1;").unwrap();
        std::fs::write(dir.path().join("README.md"), "notes").unwrap();
        let f = Folder::read(dir.path()).unwrap();
        let ids: Vec<String> = f.migrations.iter().map(Migration::id).collect();
        assert_eq!(ids, vec!["0001_a", "0002_b"]);
        assert_eq!(f.next_version(), 3);
        assert!(f.migrations[1].down.is_none());

        std::fs::write(dir.path().join("0002_c.up.sql"), "SELECT 3;").unwrap();
        let err = Folder::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("0002"), "{err}");
        std::fs::remove_file(dir.path().join("0002_c.up.sql")).unwrap();

        std::fs::write(dir.path().join("notes.sql"), "").unwrap();
        let err = Folder::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("notes.sql"), "{err}");
    }
}
