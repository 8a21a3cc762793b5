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

    /// The files of this migration in the order the checksum file lists them.
    pub fn files(&self) -> Vec<(&str, &str)> {
        let mut out = vec![(self.up_file.as_str(), self.up.as_str())];
        if let (Some(f), Some(t)) = (&self.down_file, &self.down) {
            out.push((f.as_str(), t.as_str()));
        }
        out
    }
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
    pub fn read(dir: &Path) -> Result<Folder, FolderError> {
        let entries = std::fs::read_dir(dir).map_err(|e| FolderError::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
        // version → (name, up file, down file)
        let mut found: BTreeMap<u64, (String, Option<String>, Option<String>)> = BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|e| FolderError::Io {
                path: dir.to_path_buf(),
                source: e,
            })?;
            let Some(file) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !file.ends_with(".sql") {
                continue;
            }
            let Some((version, name, up)) = parse_file_name(&file) else {
                return Err(FolderError::BadName { file });
            };
            let slot = found
                .entry(version)
                .or_insert_with(|| (name.clone(), None, None));
            if slot.0 != name {
                return Err(FolderError::DuplicateVersion {
                    version,
                    first: format!("{}_{}", &file[..file.find('_').unwrap_or(0)], slot.0),
                    second: file,
                });
            }
            if up {
                slot.1 = Some(file);
            } else {
                slot.2 = Some(file);
            }
        }
        let mut migrations = Vec::new();
        for (version, (name, up_file, down_file)) in found {
            let Some(up_file) = up_file else {
                return Err(FolderError::MissingUp {
                    file: down_file.unwrap_or_default(),
                });
            };
            let up = read_text(&dir.join(&up_file))?;
            let down = match &down_file {
                Some(f) => Some(read_text(&dir.join(f))?),
                None => None,
            };
            migrations.push(Migration {
                version,
                name,
                up_file,
                up,
                down_file,
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
                return Err(crate::error::SumError::Io { path, source: e });
            }
        };
        sum::verify(text.as_deref(), &self.migrations)
    }

    /// Writes `strata.sum` for the files as they are now.
    pub fn write_sum(&self) -> Result<(), FolderError> {
        let path = self.sum_path();
        std::fs::write(&path, self.sum_text()).map_err(|e| FolderError::Io { path, source: e })
    }
}

fn read_text(path: &Path) -> Result<String, FolderError> {
    let bytes = std::fs::read(path).map_err(|e| FolderError::Io {
        path: path.to_path_buf(),
        source: e,
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
