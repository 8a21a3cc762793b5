//! `strata.sum`: the migrations folder's checksum chain.
//!
//! ```text
//! h1:<total> 4
//! 0001_initial.up.sql h1:<hash 1>
//! 0001_initial.down.sql h1:<hash 2>
//! ...
//! ```
//!
//! Each line's hash is SHA-256 over the previous line's hash, the file name and the file's
//! content, so a line is only valid in its place: editing a file, renaming it, inserting one
//! before the last or removing one all break the chain at that file, which is then named. The
//! header holds the last hash (the total) and the number of files.

use sha2::{Digest, Sha256};

use crate::error::SumError;
use crate::folder::Migration;

pub fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

fn link(previous: &str, file: &str, content: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update([0]);
    h.update(file.as_bytes());
    h.update([0]);
    h.update(content.as_bytes());
    hex(&h.finalize())
}

/// (file, chained hash) for every file, in order.
fn chain(migrations: &[Migration]) -> Vec<(String, String)> {
    let mut prev = String::new();
    let mut out = Vec::new();
    for m in migrations {
        for (file, content) in m.files() {
            prev = link(&prev, file, content);
            out.push((file.to_string(), prev.clone()));
        }
    }
    out
}

/// The checksum file's text for `migrations`.
pub fn render(migrations: &[Migration]) -> String {
    let lines = chain(migrations);
    let total = lines
        .last()
        .map_or_else(|| link("", "", ""), |l| l.1.clone());
    let mut out = format!("h1:{total} {}\n", lines.len());
    for (file, hash) in lines {
        out.push_str(&format!("{file} h1:{hash}\n"));
    }
    out
}

/// Checks the recorded `text` (None: no checksum file) against the folder's files.
pub fn verify(text: Option<&str>, migrations: &[Migration]) -> Result<(), SumError> {
    let actual = chain(migrations);
    let Some(text) = text else {
        if actual.is_empty() {
            return Ok(());
        }
        return Err(SumError::Missing);
    };
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().ok_or(SumError::Malformed { line: 1 })?;
    let mut recorded = Vec::new();
    for (i, line) in lines.enumerate() {
        let (file, hash) = line
            .rsplit_once(' ')
            .and_then(|(f, h)| Some((f, h.strip_prefix("h1:")?)))
            .ok_or(SumError::Malformed { line: i + 2 })?;
        recorded.push((file.to_string(), hash.to_string()));
    }
    let expected_header = render(migrations)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let header_matches = header.trim() == expected_header;
    for (i, (file, hash)) in recorded.iter().enumerate() {
        let Some((actual_file, actual_hash)) = actual.get(i) else {
            return Err(SumError::Removed { file: file.clone() });
        };
        if actual_file != file {
            let Some(at) = actual.iter().position(|(f, _)| f == file) else {
                return Err(SumError::Removed { file: file.clone() });
            };
            if recorded.iter().any(|(f, _)| f == actual_file) {
                return Err(SumError::LinesMoved {
                    first: file.clone(),
                    second: actual_file.clone(),
                });
            }
            // A line is only valid after the files that came before it when it was written:
            // if the recorded hash already chains in `actual_file`, the file was there and
            // its line was deleted; otherwise the file is new.
            if actual.get(at).is_some_and(|(_, h)| h == hash) {
                return Err(SumError::LineDeleted {
                    file: actual_file.clone(),
                });
            }
            return Err(SumError::Inserted {
                file: actual_file.clone(),
                before: file.clone(),
            });
        }
        if actual_hash != hash {
            return Err(SumError::Edited { file: file.clone() });
        }
    }
    if let Some((file, _)) = actual.get(recorded.len()) {
        // The header's total chains every file: if it matches, the files were all there
        // when strata.sum was written and the missing line was deleted.
        if header_matches {
            return Err(SumError::LineDeleted { file: file.clone() });
        }
        return Err(SumError::NotRecorded { file: file.clone() });
    }
    if !header_matches {
        return Err(SumError::BadTotal);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(version: u64, name: &str, up: &str, down: Option<&str>) -> Migration {
        Migration {
            version,
            name: name.into(),
            up_file: format!("{version:04}_{name}.up.sql"),
            up: up.into(),
            down_file: down.map(|_| format!("{version:04}_{name}.down.sql")),
            down: down.map(str::to_string),
        }
    }

    fn three() -> Vec<Migration> {
        vec![
            m(1, "a", "CREATE TABLE a ();", Some("DROP TABLE a;")),
            m(2, "b", "CREATE TABLE b ();", Some("DROP TABLE b;")),
            m(3, "c", "CREATE TABLE c ();", None),
        ]
    }

    #[test]
    fn a_fresh_sum_verifies() {
        let ms = three();
        let text = render(&ms);
        assert_eq!(text.lines().count(), 6);
        assert!(text.starts_with("h1:"));
        assert!(text.lines().next().unwrap().ends_with(" 5"));
        verify(Some(&text), &ms).unwrap();
        verify(None, &[]).unwrap();
        assert!(matches!(verify(None, &ms), Err(SumError::Missing)));
    }

    #[test]
    fn an_edited_file_is_named() {
        let text = render(&three());
        let mut ms = three();
        ms[1].up.push_str("\n-- harmless?");
        let e = verify(Some(&text), &ms).unwrap_err();
        assert!(e.to_string().contains("0002_b.up.sql"), "{e}");
        assert!(matches!(e, SumError::Edited { .. }));
        let mut ms = three();
        ms[0].down = Some("DROP TABLE a CASCADE;".into());
        assert!(
            matches!(verify(Some(&text), &ms), Err(SumError::Edited { file }) if file == "0001_a.down.sql")
        );
    }

    #[test]
    fn an_inserted_or_removed_file_is_named() {
        let text = render(&three());
        let mut ms = three();
        ms.insert(1, m(2, "x", "SELECT 1;", None));
        ms[2].version = 3;
        let e = verify(Some(&text), &ms).unwrap_err();
        assert!(
            matches!(&e, SumError::Inserted { file, .. } if file == "0002_x.up.sql"),
            "{e:?}"
        );
        let mut ms = three();
        ms.remove(1);
        let e = verify(Some(&text), &ms).unwrap_err();
        assert!(
            matches!(&e, SumError::Removed { file } if file == "0002_b.up.sql"),
            "{e:?}"
        );
        let mut ms = three();
        ms.pop();
        let e = verify(Some(&text), &ms).unwrap_err();
        assert!(
            matches!(&e, SumError::Removed { file } if file == "0003_c.up.sql"),
            "{e:?}"
        );
    }

    #[test]
    fn deleted_and_moved_lines_are_named_as_such() {
        let text = render(&three());
        let lines: Vec<&str> = text.lines().collect();
        for (deleted, file) in [(2, "0001_a.down.sql"), (5, "0003_c.up.sql")] {
            let mut l = lines.clone();
            l.remove(deleted);
            let e = verify(Some(&(l.join("\n") + "\n")), &three()).unwrap_err();
            assert!(
                matches!(&e, SumError::LineDeleted { file: f } if f == file),
                "{e:?}"
            );
        }
        let mut l = lines.clone();
        l.swap(2, 3);
        let e = verify(Some(&(l.join("\n") + "\n")), &three()).unwrap_err();
        assert!(
            matches!(&e, SumError::LinesMoved { first, second }
                if first == "0002_b.up.sql" && second == "0001_a.down.sql"),
            "{e:?}"
        );
    }

    #[test]
    fn a_new_file_at_the_end_must_be_hashed() {
        let text = render(&three());
        let mut ms = three();
        ms.push(m(4, "d", "SELECT 4;", None));
        assert!(
            matches!(verify(Some(&text), &ms), Err(SumError::NotRecorded { file }) if file == "0004_d.up.sql")
        );
    }

    #[test]
    fn a_tampered_sum_is_refused() {
        let ms = three();
        let text = render(&ms);
        let changed = text.replacen("h1:", "h1:0", 1);
        assert!(matches!(
            verify(Some(&changed), &ms),
            Err(SumError::BadTotal)
        ));
        // Rewriting one line's hash does not fix a later line: the chain includes it.
        let edited = {
            let mut ms = three();
            ms[0].up.push(' ');
            ms
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let fresh = render(&edited);
        lines[1] = fresh.lines().nth(1).unwrap().to_string();
        let e = verify(Some(&(lines.join("\n") + "\n")), &edited).unwrap_err();
        assert!(
            matches!(&e, SumError::Edited { file } if file == "0001_a.down.sql"),
            "{e:?}"
        );
        assert!(matches!(
            verify(Some("h1:x 1\ngarbage\n"), &ms),
            Err(SumError::Malformed { line: 2 })
        ));
    }
}
