//! The password file (`~/.pgpass` or `PGPASSFILE`), read as libpq reads it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// One `hostname:port:database:username:password` line; `None` fields are `*`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    host: Option<String>,
    port: Option<String>,
    database: Option<String>,
    user: Option<String>,
    pub(crate) password: String,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("user", &self.user)
            .field("password", &"****")
            .finish()
    }
}

/// What the file held, plus warnings to show the user.
#[derive(Debug, Default, Clone)]
pub(crate) struct PassFile {
    pub(crate) entries: Vec<Entry>,
    pub(crate) warnings: Vec<String>,
}

/// Reads `path`. A missing file is no error; a file others can read is ignored with a
/// warning, as libpq does, since its passwords are no longer secret.
pub(crate) fn read(path: &Path) -> PassFile {
    let mut out = PassFile::default();
    let Ok(meta) = fs::metadata(path) else {
        return out;
    };
    if !meta.is_file() {
        out.warnings.push(format!(
            "password file \"{}\" is not a plain file; ignoring it",
            path.display()
        ));
        return out;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        out.warnings.push(format!(
            "password file \"{}\" has group or world access; ignoring it (permissions should \
             be u=rw (0600) or less: chmod 0600 {})",
            path.display(),
            path.display()
        ));
        return out;
    }
    match fs::read_to_string(path) {
        Ok(text) => out.entries = parse(&text),
        Err(e) => out.warnings.push(format!(
            "could not read password file \"{}\": {e}; ignoring it",
            path.display()
        )),
    }
    out
}

/// Parses the file's lines; comments (`#`) and lines with fewer than five fields are skipped.
pub(crate) fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .filter_map(parse_line)
        .collect()
}

fn parse_line(line: &str) -> Option<Entry> {
    let mut fields = Vec::with_capacity(5);
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            // The password is the rest of the line: libpq stops splitting after four fields.
            ':' if fields.len() < 4 => fields.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    fields.push(current);
    if fields.len() < 5 {
        return None;
    }
    let star = |s: &String| (s != "*").then(|| s.clone());
    Some(Entry {
        host: star(&fields[0]),
        port: star(&fields[1]),
        database: star(&fields[2]),
        user: star(&fields[3]),
        password: fields[4].clone(),
    })
}

/// The password of the first entry matching, like libpq: a socket host (or no host) also
/// matches an entry for `localhost`.
pub(crate) fn lookup<'a>(
    entries: &'a [Entry],
    host: &str,
    port: u16,
    database: &str,
    user: &str,
) -> Option<&'a str> {
    let host = if host.starts_with('/') || host.is_empty() {
        "localhost"
    } else {
        host
    };
    let port = port.to_string();
    let matches = |field: &Option<String>, value: &str| field.as_deref().is_none_or(|f| f == value);
    entries
        .iter()
        .find(|e| {
            matches(&e.host, host)
                && matches(&e.port, &port)
                && matches(&e.database, database)
                && matches(&e.user, user)
        })
        .map(|e| e.password.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (file text, host, port, database, user, expected password)
    type Case = (
        &'static str,
        &'static str,
        u16,
        &'static str,
        &'static str,
        Option<&'static str>,
    );
    const CASES: &[Case] = &[
        (
            "db.example:5432:app:alice:s3cret",
            "db.example",
            5432,
            "app",
            "alice",
            Some("s3cret"),
        ),
        (
            "db.example:5432:app:alice:s3cret",
            "db.example",
            5433,
            "app",
            "alice",
            None,
        ),
        (
            "db.example:5432:app:alice:s3cret",
            "other",
            5432,
            "app",
            "alice",
            None,
        ),
        ("*:*:*:*:any", "h", 1, "d", "u", Some("any")),
        (
            "*:*:*:bob:b\n*:*:*:*:fallback",
            "h",
            1,
            "d",
            "bob",
            Some("b"),
        ),
        (
            "*:*:*:bob:b\n*:*:*:*:fallback",
            "h",
            1,
            "d",
            "carol",
            Some("fallback"),
        ),
        // First match wins, as in libpq.
        (
            "*:*:*:*:first\nh:1:d:u:second",
            "h",
            1,
            "d",
            "u",
            Some("first"),
        ),
        // Escaped colons and backslashes in fields and in the password.
        (
            r"h\:x:1:d:u:pa\:ss\\word",
            "h:x",
            1,
            "d",
            "u",
            Some(r"pa:ss\word"),
        ),
        // An unescaped colon in the password belongs to the password.
        ("h:1:d:u:a:b:c", "h", 1, "d", "u", Some("a:b:c")),
        // Comments and short lines are skipped.
        ("# h:1:d:u:commented\nh:1:d:u", "h", 1, "d", "u", None),
        ("\n  \n#x\nh:1:d:u:ok", "h", 1, "d", "u", Some("ok")),
        // A Unix-socket connection matches localhost entries.
        (
            "localhost:5432:d:u:sock",
            "/var/run/postgresql",
            5432,
            "d",
            "u",
            Some("sock"),
        ),
        ("127.0.0.1:5432:d:u:ip", "localhost", 5432, "d", "u", None),
    ];

    #[test]
    fn lookup_table() {
        for (text, host, port, db, user, expected) in CASES {
            let entries = parse(text);
            assert_eq!(
                lookup(&entries, host, *port, db, user),
                *expected,
                "file {text:?}, looking up {host}:{port}:{db}:{user}"
            );
        }
    }

    #[test]
    fn debug_hides_passwords() {
        let entries = parse("h:1:d:u:topsecret");
        assert!(!format!("{entries:?}").contains("topsecret"));
    }

    #[test]
    fn group_readable_files_are_ignored_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pgpass");
        fs::write(&path, "*:*:*:*:pw\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        let file = read(&path);
        assert!(file.entries.is_empty());
        assert_eq!(file.warnings.len(), 1);
        assert!(
            file.warnings[0].contains("chmod 0600"),
            "{:?}",
            file.warnings
        );
        assert!(!file.warnings[0].contains("pw\n"));

        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
        let file = read(&path);
        assert!(file.warnings.is_empty(), "{:?}", file.warnings);
        assert_eq!(file.entries.len(), 1);

        let missing = read(&dir.path().join("nope"));
        assert!(missing.entries.is_empty() && missing.warnings.is_empty());
    }
}
