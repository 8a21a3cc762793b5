//! Preparing an SQL file (such as `pg_dump` output) for a throwaway database: psql
//! meta-command lines are blanked (so offsets, lines and columns of the rest stay exact), and
//! the roles and extensions the script needs are found so they can be provided first.

use std::collections::BTreeSet;

/// A script ready for [`crate::apply_sql`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedScript {
    /// The script with every meta-command line replaced by spaces of the same length.
    pub sql: String,
    /// The meta-command lines skipped.
    pub skipped: Vec<SkippedLine>,
    /// `COPY ... FROM stdin` statements: data, which cannot be applied without psql.
    pub copy_from_stdin: Vec<SkippedLine>,
    /// Roles named by `OWNER TO`, `GRANT ... TO`, `REVOKE ... FROM`, `AUTHORIZATION` and
    /// `CREATE POLICY ... TO` (without `PUBLIC` and `CURRENT_USER`-like key words).
    pub roles: BTreeSet<String>,
    /// Extensions created.
    pub extensions: Vec<ExtensionUse>,
    /// Top-level transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT`, …): the
    /// script is applied in one transaction, which these would end or split.
    pub transaction_control: Vec<SkippedLine>,
    /// `ALTER SYSTEM` statements: they change the server's configuration, not a schema.
    pub alter_system: Vec<SkippedLine>,
    /// Byte ranges of the statements (from their first token to their `;` inclusive).
    pub statements: Vec<std::ops::Range<usize>>,
}

/// A `CREATE EXTENSION` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionUse {
    pub name: String,
    /// Byte offset of its `CREATE`.
    pub offset: usize,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// The schema of `WITH SCHEMA`/`SCHEMA`, if given.
    pub schema: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the line's start.
    pub offset: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A bare word, lower-cased.
    Word(String),
    /// A double-quoted identifier, unquoted.
    Quoted(String),
    Semi,
    Comma,
    Other,
}

/// Which statement of `script` fails, when the server did not say where: the statements
/// are run one by one in a transaction that is rolled back. Returns the failing statement's
/// byte range and the server's error (whose position, if any, is relative to the statement).
pub fn locate_failure(
    client: &mut postgres::Client,
    script: &PreparedScript,
) -> Option<(std::ops::Range<usize>, postgres::Error)> {
    let mut tx = client.transaction().ok()?;
    for range in &script.statements {
        let stmt = script.sql.get(range.clone())?;
        if let Err(e) = tx.batch_execute(stmt) {
            return Some((range.clone(), e));
        }
    }
    None
}

/// Scans `text` once: blanks meta-command lines (a line whose first non-blank character is a
/// backslash, outside any literal, dollar quote or comment) and tokenises the rest.
pub fn prepare(text: &str) -> PreparedScript {
    let bytes = text.as_bytes();
    let mut sql = String::with_capacity(text.len());
    let mut skipped = Vec::new();
    let mut toks: Vec<(Tok, usize)> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut at_line_start = true;
    while i < bytes.len() {
        let c = bytes[i];
        if at_line_start {
            let rest = &text[i..];
            let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if rest[indent..].starts_with('\\') {
                let end = rest.find('\n').map_or(text.len(), |e| i + e);
                let line_text = text[i..end].trim_end_matches('\r');
                skipped.push(SkippedLine {
                    line,
                    offset: i,
                    text: line_text.trim().to_string(),
                });
                sql.extend(std::iter::repeat_n(' ', end - i));
                i = end;
                continue;
            }
            at_line_start = false;
        }
        match c {
            b'\n' => {
                sql.push('\n');
                line += 1;
                at_line_start = true;
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                sql.push_str(&text[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |e| i + 2 + e + 2);
                line += text[i..end].matches('\n').count();
                sql.push_str(&text[i..end]);
                i = end;
            }
            b'\'' => {
                // `E'...'` strings end at a quote not escaped by a backslash.
                let escaped = i >= 1
                    && matches!(bytes[i - 1], b'e' | b'E')
                    && (i < 2 || !(bytes[i - 2].is_ascii_alphanumeric() || bytes[i - 2] == b'_'));
                let end = if escaped {
                    skip_escaped(text, i)
                } else {
                    skip_quoted(text, i, b'\'')
                };
                line += text[i..end].matches('\n').count();
                sql.push_str(&text[i..end]);
                toks.push((Tok::Other, i));
                i = end;
            }
            b'"' => {
                let end = skip_quoted(text, i, b'"');
                line += text[i..end].matches('\n').count();
                let inner = text[i + 1..end.saturating_sub(1).max(i + 1)].replace("\"\"", "\"");
                sql.push_str(&text[i..end]);
                toks.push((Tok::Quoted(inner), i));
                i = end;
            }
            b'$' => {
                if let Some(tag_end) = dollar_tag(text, i) {
                    let tag = &text[i..tag_end];
                    let end = text[tag_end..]
                        .find(tag)
                        .map_or(text.len(), |e| tag_end + e + tag.len());
                    line += text[i..end].matches('\n').count();
                    sql.push_str(&text[i..end]);
                    toks.push((Tok::Other, i));
                    i = end;
                } else {
                    sql.push('$');
                    i += 1;
                }
            }
            b';' => {
                sql.push(';');
                toks.push((Tok::Semi, i));
                i += 1;
            }
            b',' => {
                sql.push(',');
                toks.push((Tok::Comma, i));
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || bytes[i] == b'_'
                        || bytes[i] == b'$'
                        || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                sql.push_str(&text[start..i]);
                toks.push((Tok::Word(text[start..i].to_lowercase()), start));
            }
            _ => {
                // Copy one whole character (multi-byte ones included).
                let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
                sql.push_str(&text[i..i + ch_len]);
                if !c.is_ascii_whitespace() {
                    toks.push((Tok::Other, i));
                }
                i += ch_len;
            }
        }
    }
    let Analysis {
        roles,
        extensions,
        copies: copy_from_stdin,
        transaction_control,
        alter_system,
    } = analyse(text, &toks);
    let mut statements = Vec::new();
    let mut start: Option<usize> = None;
    for (tok, offset) in &toks {
        if *tok == Tok::Semi {
            if let Some(s) = start.take() {
                statements.push(s..offset + 1);
            }
        } else if start.is_none() {
            start = Some(*offset);
        }
    }
    if let Some(s) = start {
        statements.push(s..text.len());
    }
    PreparedScript {
        sql,
        skipped,
        copy_from_stdin,
        roles,
        extensions,
        transaction_control,
        alter_system,
        statements,
    }
}

/// End (exclusive) of a quoted run starting at `start`; a doubled quote continues it.
fn skip_quoted(text: &str, start: usize, q: u8) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == q {
            if bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// End (exclusive) of an `E'...'` string starting at the quote `start`: a backslash escapes
/// the next byte, and a doubled quote continues it.
fn skip_escaped(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `$tag$` or `$$` at `start`: the end of the opening tag.
fn dollar_tag(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // `$1` is a parameter, and `a$b` part of an identifier (handled by the word branch).
    let mut i = start + 1;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        if i == start + 1 && bytes[i].is_ascii_digit() {
            return None;
        }
        i += 1;
    }
    (bytes.get(i) == Some(&b'$')).then_some(i + 1)
}

struct Analysis {
    roles: BTreeSet<String>,
    extensions: Vec<ExtensionUse>,
    copies: Vec<SkippedLine>,
    transaction_control: Vec<SkippedLine>,
    alter_system: Vec<SkippedLine>,
}

/// The statement starting at `offset`, for a diagnostic: its line and the text of that line.
fn statement_line(text: &str, offset: usize) -> SkippedLine {
    SkippedLine {
        line: text[..offset].matches('\n').count() + 1,
        offset,
        text: text[offset..]
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Whether a statement beginning with `first` and `second` controls the transaction.
fn is_transaction_control(first: Option<&str>, second: Option<&str>) -> bool {
    match first {
        Some("begin" | "commit" | "rollback" | "abort" | "end" | "savepoint" | "release") => true,
        Some("start" | "prepare") => second == Some("transaction"),
        _ => false,
    }
}

fn analyse(text: &str, toks: &[(Tok, usize)]) -> Analysis {
    let mut roles = BTreeSet::new();
    let mut extensions = Vec::new();
    let mut copies = Vec::new();
    let mut transaction_control = Vec::new();
    let mut alter_system = Vec::new();
    // Inside the body of a `BEGIN ATOMIC ... END` routine, whose statements end in `;` too.
    let mut atomic_body = false;
    for stmt in toks.split(|(t, _)| *t == Tok::Semi) {
        let words: Vec<&Tok> = stmt.iter().map(|(t, _)| t).collect();
        let word = |i: usize| match words.get(i) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        if atomic_body {
            if word(0) == Some("end") {
                atomic_body = false;
            }
            continue;
        }
        if word(0) == Some("create")
            && words
                .windows(2)
                .any(|w| matches!(w, [Tok::Word(a), Tok::Word(b)] if a == "begin" && b == "atomic"))
        {
            // `... BEGIN ATOMIC END;` has an empty body.
            atomic_body = !matches!(words.last(), Some(Tok::Word(w)) if w == "end");
            continue;
        }
        if is_transaction_control(word(0), word(1))
            && let Some((_, offset)) = stmt.first()
        {
            transaction_control.push(statement_line(text, *offset));
            continue;
        }
        if (word(0), word(1)) == (Some("alter"), Some("system"))
            && let Some((_, offset)) = stmt.first()
        {
            alter_system.push(statement_line(text, *offset));
            continue;
        }
        let ident = |i: usize| match words.get(i) {
            Some(Tok::Word(w)) => Some(w.clone()),
            Some(Tok::Quoted(q)) => Some(q.clone()),
            _ => None,
        };
        // Roles listed from position `from` until a key word that ends the list.
        let role_list = |from: usize, roles: &mut BTreeSet<String>| {
            let mut j = from;
            while let Some(t) = words.get(j) {
                match t {
                    Tok::Comma => {}
                    Tok::Word(w)
                        if matches!(
                            w.as_str(),
                            "with" | "granted" | "cascade" | "restrict" | "using"
                        ) =>
                    {
                        break;
                    }
                    Tok::Word(w) if w == "group" => {}
                    Tok::Word(_) | Tok::Quoted(_) => {
                        if let Some(r) = ident(j) {
                            roles.insert(r);
                        }
                    }
                    _ => break,
                }
                j += 1;
            }
        };
        match (word(0), word(1)) {
            (Some("grant"), _) => {
                if let Some(pos) = words
                    .iter()
                    .rposition(|t| matches!(t, Tok::Word(w) if w == "to"))
                {
                    role_list(pos + 1, &mut roles);
                }
            }
            (Some("revoke"), _) => {
                if let Some(pos) = words
                    .iter()
                    .rposition(|t| matches!(t, Tok::Word(w) if w == "from"))
                {
                    role_list(pos + 1, &mut roles);
                }
            }
            (Some("create"), Some("policy")) => {
                if let Some(pos) = words
                    .iter()
                    .position(|t| matches!(t, Tok::Word(w) if w == "to"))
                {
                    role_list(pos + 1, &mut roles);
                }
            }
            (Some("create"), Some("extension")) => {
                let if_not_exists = word(2) == Some("if");
                let j = if if_not_exists { 5 } else { 2 };
                let schema = (j + 1..words.len())
                    .find(|&k| word(k) == Some("schema"))
                    .and_then(|k| ident(k + 1));
                if let (Some(name), Some((_, offset))) = (ident(j), stmt.first()) {
                    extensions.push(ExtensionUse {
                        name,
                        offset: *offset,
                        if_not_exists,
                        schema,
                    });
                }
            }
            (Some("copy"), _) => {
                if words.windows(2).any(
                    |w| matches!(w, [Tok::Word(a), Tok::Word(b)] if a == "from" && b == "stdin"),
                ) && let Some((_, offset)) = stmt.first()
                {
                    copies.push(statement_line(text, *offset));
                }
            }
            _ => {}
        }
        for k in 0..words.len().saturating_sub(1) {
            let pair = (word(k), word(k + 1));
            if pair == (Some("owner"), Some("to")) {
                if let Some(r) = ident(k + 2) {
                    roles.insert(r);
                }
            } else if word(k) == Some("authorization")
                && let Some(r) = ident(k + 1)
            {
                roles.insert(r);
            }
        }
    }
    for builtin in ["public", "current_user", "session_user", "current_role"] {
        roles.remove(builtin);
    }
    Analysis {
        roles,
        extensions,
        copies,
        transaction_control,
        alter_system,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_commands_are_blanked_in_place() {
        let text =
            "\\restrict abc\nCREATE TABLE t (a int);\n  \\connect x\nSELECT '\n\\not meta';\n";
        let p = prepare(text);
        assert_eq!(p.sql.len(), text.len());
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].line, 1);
        assert_eq!(p.skipped[0].text, "\\restrict abc");
        assert_eq!(p.skipped[1].line, 3);
        assert!(p.sql.contains("\\not meta"));
        assert!(!p.sql.contains("restrict"));
        assert_eq!(p.statements.len(), 2);
        assert_eq!(&text[p.statements[0].clone()], "CREATE TABLE t (a int);");
    }

    #[test]
    fn roles_and_extensions() {
        let text = "ALTER TABLE a OWNER TO \"App Owner\";\nGRANT SELECT ON a TO reader, PUBLIC WITH GRANT OPTION;\nREVOKE ALL ON a FROM writer CASCADE;\nCREATE SCHEMA s AUTHORIZATION admin;\nCREATE POLICY p ON a TO tenant USING (true);\nCREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;\nCREATE FUNCTION f() RETURNS int AS $$ GRANT x TO nobody; $$ LANGUAGE sql;\n";
        let p = prepare(text);
        let roles: Vec<&str> = p.roles.iter().map(String::as_str).collect();
        assert_eq!(roles, ["App Owner", "admin", "reader", "tenant", "writer"]);
        assert_eq!(p.extensions.len(), 1);
        assert_eq!(p.extensions[0].name, "pg_trgm");
        assert!(p.extensions[0].if_not_exists);
        assert_eq!(p.extensions[0].schema.as_deref(), Some("public"));
        assert!(p.transaction_control.is_empty());
    }

    #[test]
    fn transaction_control_is_found_at_top_level_only() {
        let text = "BEGIN;\nCREATE TABLE t (a int);\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\nCREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSAVEPOINT s;\nrollback;\nStart Transaction;\nPREPARE q AS SELECT 1;\nEND;\n";
        let p = prepare(text);
        let lines: Vec<usize> = p.transaction_control.iter().map(|t| t.line).collect();
        assert_eq!(lines, [1, 5, 6, 7, 9]);
        assert_eq!(p.transaction_control[2].text, "rollback;");
        // A backslash-escaped quote does not end an E'' string.
        let p = prepare("SELECT E'\\'';\nROLLBACK;\nSELECT 'it''s';\n");
        assert_eq!(p.transaction_control.len(), 1, "{p:?}");
        assert_eq!(p.transaction_control[0].line, 2);
        assert_eq!(p.statements.len(), 3);
        let p = prepare("ALTER SYSTEM SET work_mem = '1GB';\nALTER TABLE system ADD c int;\n");
        assert_eq!(p.alter_system.len(), 1);
        assert_eq!(p.alter_system[0].line, 1);
    }
}
