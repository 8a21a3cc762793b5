//! Splitting an SQL script into statements, and recognising the statements that cannot run
//! inside a transaction block.
//!
//! Clients that run one statement per call (Alembic's `op.execute`, a migration that cannot run
//! in one transaction) need the statements. A semicolon
//! inside a string (`'..'`, `E'..'`), a quoted identifier, a dollar-quoted body or a comment
//! does not end a statement.

use std::ops::Range;

/// One statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Byte range in the script, without the trailing `;`.
    pub range: Range<usize>,
    /// The statement text, trimmed, leading comments kept out.
    pub sql: String,
}

/// The statements of `sql`, comment-only pieces dropped.
pub fn split(sql: &str) -> Vec<Statement> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let escapes =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && !ident_char_before(b, i - 1);
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() {
                    if b[i] == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'$' if !ident_char_before(b, i) => match dollar_tag(b, i) {
                Some(tag) => {
                    let body = i + tag.len();
                    i = match find(b, body, tag) {
                        Some(end) => end + tag.len(),
                        None => b.len(),
                    };
                }
                None => i += 1,
            },
            b';' => {
                push(&mut out, sql, start, i);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < sql.len() {
        push(&mut out, sql, start, sql.len());
    }
    out
}

/// Nested `/* /* */ */` comments, as PostgreSQL allows. Returns the index after the comment.
fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

fn ident_char_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] >= 0x80)
}

/// `$tag$` starting at `i`, if it is one (`$1` parameters are not).
fn dollar_tag(b: &[u8], i: usize) -> Option<&[u8]> {
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
        j += 1;
    }
    if j < b.len() && b[j] == b'$' && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        Some(&b[i..=j])
    } else {
        None
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > b.len() || needle.is_empty() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Adds `sql[start..end]` unless it holds only whitespace and comments.
fn push(out: &mut Vec<Statement>, sql: &str, start: usize, end: usize) {
    let b = sql.as_bytes();
    let mut i = start;
    // Skip leading whitespace and comments, so the range starts at the statement's first word.
    loop {
        while i < end && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i + 1 < end && b[i] == b'-' && b[i + 1] == b'-' {
            while i < end && b[i] != b'\n' {
                i += 1;
            }
        } else if i + 1 < end && b[i] == b'/' && b[i + 1] == b'*' {
            i = skip_block_comment(b, i).min(end);
        } else {
            break;
        }
    }
    if i >= end {
        return;
    }
    let text = sql[i..end].trim_end();
    out.push(Statement {
        range: i..i + text.len(),
        sql: text.to_string(),
    });
}

/// The statement's words, upper-cased, comments and quoted text left out: enough to
/// recognise statement kinds.
pub fn keywords(statement: &str) -> Vec<String> {
    let b = statement.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_block_comment(b, i),
            b'\'' | b'"' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
                words.push(String::from("?"));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                words.push(statement[s..i].to_ascii_uppercase());
            }
            b'(' | b')' | b',' => {
                words.push((b[i] as char).to_string());
                i += 1;
            }
            _ => i += 1,
        }
    }
    words
}

/// Why a statement cannot run inside a transaction block, if it cannot.
pub fn forbids_transaction(statement: &str) -> Option<&'static str> {
    let w = keywords(statement);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    let starts = |p: &[&str]| w.len() >= p.len() && w[..p.len()] == *p;
    let has = |word: &str| w.contains(&word);
    if (starts(&["CREATE", "INDEX"]) || starts(&["CREATE", "UNIQUE", "INDEX"]))
        && has("CONCURRENTLY")
    {
        return Some("CREATE INDEX CONCURRENTLY");
    }
    if starts(&["DROP", "INDEX", "CONCURRENTLY"]) {
        return Some("DROP INDEX CONCURRENTLY");
    }
    if starts(&["REINDEX"]) && has("CONCURRENTLY") {
        return Some("REINDEX CONCURRENTLY");
    }
    if starts(&["ALTER", "TABLE"]) && has("DETACH") && has("CONCURRENTLY") {
        return Some("DETACH PARTITION CONCURRENTLY");
    }
    if starts(&["ALTER", "SYSTEM"]) {
        return Some("ALTER SYSTEM");
    }
    if starts(&["VACUUM"]) {
        return Some("VACUUM");
    }
    if starts(&["CREATE", "DATABASE"]) || starts(&["DROP", "DATABASE"]) {
        return Some("CREATE/DROP DATABASE");
    }
    if starts(&["CREATE", "TABLESPACE"]) || starts(&["DROP", "TABLESPACE"]) {
        return Some("CREATE/DROP TABLESPACE");
    }
    if starts(&["ALTER", "DATABASE"]) && has("TABLESPACE") {
        return Some("ALTER DATABASE SET TABLESPACE");
    }
    if starts(&["CREATE", "SUBSCRIPTION"]) || starts(&["DROP", "SUBSCRIPTION"]) {
        return Some("CREATE/DROP SUBSCRIPTION");
    }
    if w.as_slice() == ["CLUSTER"] {
        return Some("CLUSTER without a table");
    }
    None
}

/// The explicit opt-out: a line `-- strata:no-transaction` anywhere in the file.
pub fn has_no_transaction_directive(sql: &str) -> bool {
    sql.lines()
        .any(|l| l.trim().eq_ignore_ascii_case("-- strata:no-transaction"))
}

/// Statements that manage transactions themselves, which a runner that owns the transaction
/// cannot allow.
pub fn is_transaction_control(statement: &str) -> bool {
    let w = keywords(statement);
    matches!(
        w.first().map(String::as_str),
        Some("BEGIN" | "COMMIT" | "ROLLBACK" | "END" | "ABORT")
    ) || (w.first().map(String::as_str) == Some("START")
        && w.get(1).map(String::as_str) == Some("TRANSACTION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<String> {
        split(sql).into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let sql = "CREATE TABLE a (x text DEFAULT ';');\n-- a; comment\nINSERT INTO \"we;ird\" VALUES (E'it\\'s;');\n/* block; /* nested; */ */ SELECT 1";
        assert_eq!(
            texts(sql),
            vec![
                "CREATE TABLE a (x text DEFAULT ';')",
                "INSERT INTO \"we;ird\" VALUES (E'it\\'s;')",
                "SELECT 1",
            ]
        );
    }

    #[test]
    fn header_comments_and_quoted_semicolons() {
        let sql = "-- header; not a statement\nCREATE TABLE \"a;b\" (x text DEFAULT 'x;''y');\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n\
                   /* c; /* nested; */ */ SELECT E'\\';', $1;\nSELECT 2";
        assert_eq!(
            texts(sql),
            vec![
                "CREATE TABLE \"a;b\" (x text DEFAULT 'x;''y')",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$",
                "SELECT E'\\';', $1",
                "SELECT 2",
            ]
        );
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        for sql in ["'abc", "$a$ never", "/* open", "\"x", "E'\\", "$"] {
            let _ = split(sql);
        }
    }

    #[test]
    fn dollar_quoted_bodies_keep_their_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;\nSELECT $1;";
        let s = texts(sql);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("LANGUAGE plpgsql"));
        assert!(s[1].starts_with("DO $$"));
        assert_eq!(s[2], "SELECT $1");
    }

    #[test]
    fn ranges_point_at_the_statement() {
        let sql = "  -- lead\n  SELECT 1 ;\n\nSELECT 2";
        let st = split(sql);
        assert_eq!(&sql[st[0].range.clone()], "SELECT 1");
        assert_eq!(&sql[st[1].range.clone()], "SELECT 2");
    }

    #[test]
    fn comment_only_script_has_no_statements() {
        assert!(split("-- nothing\n/* here */\n ; ;").is_empty());
    }

    #[test]
    fn recognises_statements_that_forbid_a_transaction() {
        for s in [
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "create unique index concurrently if not exists i on t (a)",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "REINDEX TABLE CONCURRENTLY t",
            "ALTER TABLE p DETACH PARTITION c CONCURRENTLY",
            "ALTER SYSTEM SET work_mem = '8MB'",
            "VACUUM (ANALYZE) t",
            "CREATE DATABASE x",
            "/* c */ -- d\n vacuum",
        ] {
            assert!(forbids_transaction(s).is_some(), "{s}");
        }
        for s in [
            "CREATE INDEX i ON t (a)",
            "SELECT 'CREATE INDEX CONCURRENTLY'",
            "CREATE TABLE concurrently (a int)",
            "COMMENT ON TABLE t IS 'VACUUM'",
            "ALTER TABLE t ADD COLUMN concurrently int",
        ] {
            assert!(forbids_transaction(s).is_none(), "{s}");
        }
    }

    #[test]
    fn directive_and_transaction_control() {
        assert!(has_no_transaction_directive(
            "-- strata:no-transaction\nSELECT 1;"
        ));
        assert!(!has_no_transaction_directive("-- strata: maybe\nSELECT 1;"));
        assert!(is_transaction_control("COMMIT"));
        assert!(is_transaction_control(
            "start transaction isolation level serializable"
        ));
        assert!(!is_transaction_control("BEGIN_TABLE_SCAN"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_ranges_are_in_bounds(s in "\\PC{0,200}") {
            for st in split(&s) {
                proptest::prop_assert!(st.range.end <= s.len());
                proptest::prop_assert!(s.get(st.range.clone()).is_some());
            }
            let _ = forbids_transaction(&s);
        }
    }
}
