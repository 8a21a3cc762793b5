//! Suppression comments and where objects are created in an SQL file.
//!
//! In SQL, `-- strata-lint: ignore D001 reason` silences rule D001 on the object of the next
//! statement (the table a `CREATE TABLE`, `ALTER TABLE` or `CREATE INDEX` names, the view, the
//! function, ...); `-- strata-lint: ignore-file D001 reason` silences it in the whole source.
//! In `.strata`, `// strata-lint: ignore D001 reason` before an `entity` silences it on that
//! entity's table. Several codes may be given separated by commas. A suppression that
//! silences nothing is reported as stale.

use serde::Serialize;

use crate::Finding;

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// A rule code or name.
    pub code: String,
    /// The object it applies to (and everything inside it); `None` for the whole source.
    pub object: Option<String>,
    pub reason: String,
    pub file: Option<String>,
    /// 1-based line of the comment.
    pub line: u32,
}

impl Suppression {
    pub fn silences(&self, f: &Finding) -> bool {
        let code = self.code.eq_ignore_ascii_case(f.code) || self.code == f.name;
        code && match &self.object {
            None => true,
            Some(o) => {
                f.object == *o
                    || f.object
                        .strip_prefix(o.as_str())
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('('))
            }
        }
    }
}

/// A statement of an SQL text: its byte range (comments before it excluded) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub start: usize,
    pub end: usize,
    pub line: u32,
}

/// Splits `sql` into statements at top-level `;`, skipping comments, quoted strings and
/// identifiers, and dollar-quoted bodies. Never fails: an unterminated quote runs to the end.
pub fn statements(sql: &str) -> Vec<Statement> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut start: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if c == b'-' && b.get(i + 1) == Some(&b'-') {
            i = sql[i..].find('\n').map_or(b.len(), |n| i + n);
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            // Block comments nest in PostgreSQL.
            let mut depth = 0usize;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        match c {
            b';' => {
                if let Some(s) = start.take() {
                    out.push(Statement {
                        start: s,
                        end: i,
                        line: line_of(sql, s),
                    });
                }
                i += 1;
            }
            b'\'' | b'"' => {
                i += 1;
                while i < b.len() {
                    if b[i] == c {
                        if b.get(i + 1) == Some(&c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'$' => {
                let tag_end = sql[i + 1..]
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(e)
                        if b[e] == b'$'
                            && !sql[i + 1..e].starts_with(|ch: char| ch.is_ascii_digit()) =>
                    {
                        let tag = &sql[i..=e];
                        i = sql[e + 1..]
                            .find(tag)
                            .map_or(b.len(), |n| e + 1 + n + tag.len());
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    if let Some(s) = start {
        out.push(Statement {
            start: s,
            end: b.len(),
            line: line_of(sql, s),
        });
    }
    out
}

/// 1-based line of byte `offset`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let n = text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&c| c == b'\n')
        .count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

/// The words of a statement's head, identifiers normalised (unquoted ones lower-cased, quotes
/// removed), up to the first `(` or the 16th word.
fn head_words(stmt: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = stmt.char_indices().peekable();
    let mut cur = String::new();
    let flush = |cur: &mut String, words: &mut Vec<String>| {
        if !cur.is_empty() {
            words.push(std::mem::take(cur));
        }
    };
    while let Some((_, ch)) = chars.next() {
        if words.len() >= 16 {
            break;
        }
        match ch {
            '"' => {
                let mut q = String::new();
                while let Some((_, c)) = chars.next() {
                    if c == '"' {
                        if chars.peek().map(|(_, c)| *c) == Some('"') {
                            chars.next();
                            q.push('"');
                            continue;
                        }
                        break;
                    }
                    q.push(c);
                }
                cur.push('\u{1}');
                cur.push_str(&q);
            }
            '(' => {
                flush(&mut cur, &mut words);
                words.push("(".into());
                break;
            }
            c if c.is_whitespace() => flush(&mut cur, &mut words),
            c => cur.extend(c.to_lowercase()),
        }
    }
    flush(&mut cur, &mut words);
    // `\u{1}` marked a quoted part, kept as written; it is removed now.
    words.into_iter().map(|w| w.replace('\u{1}', "")).collect()
}

/// Qualifies a possibly schema-less name with `public`.
fn qualify(name: &str) -> String {
    if name.contains('.') {
        name.to_string()
    } else {
        format!("public.{name}")
    }
}

/// The object a statement creates or changes, as findings name it: a table for `CREATE TABLE`,
/// `ALTER TABLE`, `CREATE INDEX ... ON t`, `CREATE POLICY ... ON t`, `CREATE TRIGGER ... ON t`;
/// the view, function, type, domain or sequence otherwise.
pub fn statement_object(stmt: &str) -> Option<String> {
    let w = head_words(stmt);
    let mut i;
    let at = |i: usize| w.get(i).map(String::as_str).unwrap_or("");
    let skip = |i: &mut usize, words: &[&str]| {
        while words.contains(&at(*i)) {
            *i += 1;
        }
    };
    match at(0) {
        "create" => {
            i = 1;
            skip(
                &mut i,
                &[
                    "or",
                    "replace",
                    "unique",
                    "unlogged",
                    "temp",
                    "temporary",
                    "global",
                    "local",
                    "materialized",
                    "recursive",
                    "constraint",
                    "foreign",
                ],
            );
            let kind = at(i).to_string();
            i += 1;
            skip(&mut i, &["concurrently", "if", "not", "exists"]);
            match kind.as_str() {
                "table" | "view" | "type" | "domain" | "sequence" => Some(qualify(at(i))),
                "function" | "procedure" => Some(qualify(at(i).split('(').next().unwrap_or(""))),
                "index" | "policy" | "trigger" | "rule" => {
                    let on = w.iter().position(|x| x == "on")?;
                    let mut j = on + 1;
                    skip(&mut j, &["only"]);
                    let name = at(j);
                    (!name.is_empty() && name != "(").then(|| qualify(name))
                }
                _ => None,
            }
        }
        "alter" => {
            i = 1;
            let kind = at(i).to_string();
            i += 1;
            skip(&mut i, &["if", "exists", "only"]);
            matches!(
                kind.as_str(),
                "table" | "view" | "type" | "domain" | "sequence" | "function"
            )
            .then(|| qualify(at(i).split('(').next().unwrap_or("")))
        }
        "comment" => {
            // COMMENT ON TABLE t / COLUMN t.c
            let kind = at(2);
            match kind {
                "table" | "view" => Some(qualify(at(3))),
                "column" => {
                    let name = at(3);
                    let parts: Vec<&str> = name.split('.').collect();
                    match parts.len() {
                        2 => Some(format!("public.{}", parts[0])),
                        3 => Some(format!("{}.{}", parts[0], parts[1])),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Where each object is first created in `sql`: (object, byte offset, line), in file order.
pub fn locate_objects(sql: &str) -> Vec<(String, usize, u32)> {
    statements(sql)
        .into_iter()
        .filter_map(|s| {
            let text = &sql[s.start..s.end];
            let head = text
                .trim_start()
                .get(..6)
                .unwrap_or("")
                .to_ascii_lowercase();
            (head == "create")
                .then(|| statement_object(text))
                .flatten()
                .map(|o| (o, s.start, s.line))
        })
        .collect()
}

/// A malformed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSuppression {
    pub line: u32,
    pub message: String,
}

fn parse_directive(rest: &str) -> Result<(bool, Vec<String>, String), String> {
    let rest = rest.trim();
    let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("ignore") {
        (false, r)
    } else {
        return Err(
            "expected `strata-lint: ignore CODE reason` or `strata-lint: ignore-file CODE reason`"
                .into(),
        );
    };
    let rest = rest.trim_start();
    let (codes, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let codes: Vec<String> = codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
    if codes.is_empty() {
        return Err("a suppression names no rule: write `strata-lint: ignore CODE reason`".into());
    }
    for c in &codes {
        if crate::rule(c).is_none() {
            return Err(format!(
                "`{c}` is not a rule code or name (`strata lint --list-rules` lists them)"
            ));
        }
    }
    Ok((file_wide, codes, reason.trim().to_string()))
}

/// The suppressions of an SQL text, and the malformed ones.
pub fn scan_sql(sql: &str, file: Option<&str>) -> (Vec<Suppression>, Vec<BadSuppression>) {
    let stmts = statements(sql);
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut offset = 0;
    for (n, raw) in sql.split_inclusive('\n').enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let start = offset;
        offset += raw.len();
        let Some(pos) = raw.find("--") else { continue };
        let comment = raw[pos + 2..].trim();
        let Some(rest) = comment.strip_prefix("strata-lint:") else {
            continue;
        };
        // Inside a statement's string or body the comment is not one: only comments outside
        // statements, or trailing a line, count. The next statement starting after it is its
        // target.
        match parse_directive(rest) {
            Err(message) => bad.push(BadSuppression {
                line: line_no,
                message,
            }),
            Ok((file_wide, codes, reason)) => {
                let object = if file_wide {
                    None
                } else {
                    let after = start + pos;
                    match stmts.iter().find(|s| s.end > after) {
                        Some(s) => match statement_object(&sql[s.start..s.end]) {
                            Some(o) => Some(o),
                            None => {
                                bad.push(BadSuppression {
                                    line: line_no,
                                    message: "the statement after this suppression names no table, view, function or type: use `ignore-file`".into(),
                                });
                                continue;
                            }
                        },
                        None => {
                            bad.push(BadSuppression {
                                line: line_no,
                                message: "no statement follows this suppression: move it above the statement, or use `ignore-file`".into(),
                            });
                            continue;
                        }
                    }
                };
                for code in codes {
                    out.push(Suppression {
                        code,
                        object: object.clone(),
                        reason: reason.clone(),
                        file: file.map(String::from),
                        line: line_no,
                    });
                }
            }
        }
    }
    (out, bad)
}

/// The suppressions of a `.strata` text: `// strata-lint: ignore CODE reason` before an
/// `entity NAME` (its object is `entity:NAME` until [`resolve_entities`] names the table) or
/// `ignore-file` anywhere.
pub fn scan_strata(text: &str, file: Option<&str>) -> (Vec<Suppression>, Vec<BadSuppression>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (n, raw) in lines.iter().enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let t = raw.trim_start();
        let Some(comment) = t.strip_prefix("//") else {
            continue;
        };
        let comment = comment.trim_start_matches('/').trim();
        let Some(rest) = comment.strip_prefix("strata-lint:") else {
            continue;
        };
        match parse_directive(rest) {
            Err(message) => bad.push(BadSuppression {
                line: line_no,
                message,
            }),
            Ok((file_wide, codes, reason)) => {
                let object = if file_wide {
                    None
                } else {
                    let next = lines[n + 1..]
                        .iter()
                        .map(|l| l.trim())
                        .find(|l| !l.is_empty() && !l.starts_with("//"));
                    let entity = next.and_then(|l| {
                        let mut w = l.split_whitespace();
                        (w.next() == Some("entity"))
                            .then(|| w.next())
                            .flatten()
                            .map(|name| name.trim_end_matches('{').to_string())
                    });
                    match entity {
                        Some(e) => Some(format!("entity:{e}")),
                        None => {
                            bad.push(BadSuppression {
                                line: line_no,
                                message: "a suppression must come right before an `entity` (or use `ignore-file`)".into(),
                            });
                            continue;
                        }
                    }
                };
                for code in codes {
                    out.push(Suppression {
                        code,
                        object: object.clone(),
                        reason: reason.clone(),
                        file: file.map(String::from),
                        line: line_no,
                    });
                }
            }
        }
    }
    (out, bad)
}

/// Replaces `entity:NAME` objects with the qualified name of the entity's table.
pub fn resolve_entities(suppressions: &mut [Suppression], model: &strata_model::Model) {
    for s in suppressions {
        let Some(entity) = s.object.as_deref().and_then(|o| o.strip_prefix("entity:")) else {
            continue;
        };
        if let Some(t) = model
            .tables
            .iter()
            .find(|t| t.origin.entity.as_deref() == Some(entity))
        {
            s.object = Some(format!("{}.{}", t.name.schema, t.name.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_around_quotes_and_bodies() {
        let sql = "CREATE TABLE a (x text DEFAULT ';');\n-- c;\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n/* ; /* ; */ */ SELECT \"a;b\";";
        let s = statements(sql);
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].line, 3);
        assert!(sql[s[2].start..s[2].end].starts_with("SELECT"));
    }

    #[test]
    fn names_statement_objects() {
        assert_eq!(
            statement_object("CREATE TABLE IF NOT EXISTS \"Foo\" (id int)").as_deref(),
            Some("public.Foo")
        );
        assert_eq!(
            statement_object("create unique index concurrently i on only app.t (x)").as_deref(),
            Some("app.t")
        );
        assert_eq!(
            statement_object("ALTER TABLE ONLY public.t ADD COLUMN x int").as_deref(),
            Some("public.t")
        );
        assert_eq!(
            statement_object("CREATE OR REPLACE FUNCTION s.f(a int) RETURNS int").as_deref(),
            Some("s.f")
        );
        assert_eq!(statement_object("SELECT 1"), None);
    }

    #[test]
    fn suppression_targets_next_statement() {
        let sql = "-- strata-lint: ignore D001 log table, append only\nCREATE TABLE logs (msg text);\n-- strata-lint: ignore-file D010 legacy\n-- strata-lint: ignore Z999 nope\n";
        let (s, bad) = scan_sql(sql, Some("x.sql"));
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].object.as_deref(), Some("public.logs"));
        assert_eq!(s[0].reason, "log table, append only");
        assert_eq!(s[1].object, None);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 4);
    }
}
