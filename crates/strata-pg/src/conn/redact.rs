//! One redaction path for every message that may hold a connection string.
//!
//! Messages are built so that they never contain a password (connection errors name the
//! host, port, user and database; parse errors never repeat their input). This module is the
//! net under that: everything the command line prints to standard error goes through
//! [`Redactor::redact`], which
//!
//! 1. prints every connection string the user gave (an argument, `DATABASE_URL`) in its
//!    redacted form wherever it appears whole (`postgres://alice:****@db/app`);
//! 2. hides the passwords found in them, and `PGPASSWORD`, wherever they appear, when they
//!    are distinctive enough not to be an ordinary word of the message;
//! 3. hides the password of any URL (`scheme://user:PASSWORD@host`, also without a scheme
//!    and with unencoded `/`, `?` or `@` in it) and the value after any `password=` or
//!    `password:` (quoted or not), whoever wrote them.
//!
//! ```
//! use strata_pg::conn::Redactor;
//! let mut r = Redactor::new();
//! r.connection_string("jdbc:postgresql://db/app?user=alice&password=S3cr3t/Pa55");
//! let shown = r.redact("cannot use jdbc:postgresql://db/app?user=alice&password=S3cr3t/Pa55");
//! assert!(!shown.contains("S3cr3t"));
//! assert_eq!(strata_pg::conn::redact("alice:pw@db"), "alice:****@db");
//! ```

use super::ConnInfo;
use super::parse::{decode, encode, is_connection_url};

const HIDDEN: &str = "****";

/// How help texts spell a password in a URL (`postgres://user:PASSWORD@host`): left as it is
/// by the structural rule, unless it is the user's actual password.
const PLACEHOLDER: &str = "PASSWORD";

/// What a connection string that cannot be parsed is shown as.
const UNPARSABLE: &str = "(connection string not shown)";

/// [`Redactor::redact`] without remembered strings: only the structural rules (URL
/// passwords, `password=` values).
pub fn redact(text: &str) -> String {
    Redactor::default().redact(text)
}

/// Remembers the connection strings and passwords of one run, and hides them in messages.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Raw connection strings, longest first, and what to show instead.
    strings: Vec<(String, String)>,
    /// Passwords (also decoded and encoded), longest first.
    secrets: Vec<String>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("strings", &self.strings.len())
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Remembers a connection string the user gave: shown redacted wherever it appears, and
    /// its password hidden wherever that appears.
    pub fn connection_string(&mut self, raw: &str) {
        let raw = raw.trim();
        if raw.is_empty() {
            return;
        }
        let shown = ConnInfo::parse(raw)
            .map(|info| info.redacted())
            .unwrap_or_else(|_| UNPARSABLE.to_string());
        if !self.strings.iter().any(|(r, _)| r == raw) {
            self.strings.push((raw.to_string(), shown));
            self.strings
                .sort_by_key(|(r, _)| std::cmp::Reverse(r.len()));
        }
        for secret in secrets_in(raw) {
            self.secret(&secret);
        }
    }

    /// Remembers a password (such as `PGPASSWORD`'s): hidden wherever it appears, as
    /// written, percent-encoded and percent-decoded. Short or plain-word passwords
    /// (`postgres`) are not searched for, since they would hide ordinary words of messages;
    /// the structural rules still hide them after `:` in a URL or after `password=`.
    pub fn secret(&mut self, secret: &str) {
        let mut forms = vec![secret.to_string(), encode(secret)];
        if let Ok(decoded) = decode(secret, "") {
            forms.push(decoded);
        }
        for form in forms {
            if (distinctive(&form) || form == PLACEHOLDER) && !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every remembered connection string and password, every URL password
    /// and every `password=` value hidden.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (raw, shown) in &self.strings {
            if out.contains(raw.as_str()) {
                out = out.replace(raw.as_str(), shown);
            }
        }
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), HIDDEN);
            }
        }
        hide_url_passwords(&hide_password_values(&out))
    }
}

/// Long enough, and not a plain word, that finding it in a message means it is the
/// password.
fn distinctive(secret: &str) -> bool {
    let len = secret.chars().count();
    let has_letter = secret.chars().any(char::is_alphabetic);
    let has_other = secret.chars().any(|c| !c.is_alphabetic());
    len >= 12 || (len >= 6 && has_letter && has_other)
}

/// Whether `text` looks like a connection string rather than a file name: a URL in a form
/// Strata reads, any other `scheme:/...` URL, `user:password@host`, a libpq `key=value`
/// string, or anything with `password=` / `password:` in it. (A file that exists is still a
/// file: callers check that first.)
pub fn looks_like_connection_string(text: &str) -> bool {
    let t = text.trim();
    if is_connection_url(t) {
        return true;
    }
    let scheme_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    if scheme_len >= 2 && t[scheme_len..].starts_with(":/") {
        return true;
    }
    if let Some(at) = t.rfind('@')
        && t[..at].contains(':')
    {
        return true;
    }
    // Only libpq's own keywords: `--rows invoice_lines=0` is an argument, not a string to hide.
    let first_word_is_param = t.split_whitespace().next().is_some_and(|w| {
        w.split_once('=')
            .is_some_and(|(k, _)| super::params::is_keyword(k))
    });
    first_word_is_param || !password_values(t).is_empty()
}

/// Where a URL's user part starts in `token`: after `scheme://`, after `scheme:/`, or after
/// leading quotes and brackets.
fn userinfo_start(token: &str) -> usize {
    if let Some(i) = token.find("://") {
        return i + 3;
    }
    let scheme_len = token
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    if scheme_len >= 2 && token[scheme_len..].starts_with(":/") {
        let slashes = token[scheme_len + 1..]
            .bytes()
            .take_while(|b| *b == b'/')
            .count();
        return scheme_len + 1 + slashes;
    }
    token
        .char_indices()
        .find(|(_, c)| !matches!(c, '\'' | '"' | '`' | '(' | '[' | '{' | '<'))
        .map_or(token.len(), |(i, _)| i)
}

/// The password part of `user:password@host` in `token`: from the first `:` of the user
/// part to the last `@`, so unencoded `@`, `/` and `?` in it are covered.
fn url_password_range(token: &str) -> Option<std::ops::Range<usize>> {
    let start = userinfo_start(token);
    let at = token.rfind('@')?;
    // A host (or a socket path, or nothing) follows, not an operator such as jsonb's `@>`.
    let host_follows = token[at + 1..].chars().next().is_none_or(|c| {
        c.is_alphanumeric() || matches!(c, '[' | '/' | '%' | '-' | '_' | '.' | ':' | '\'' | '"')
    });
    if at <= start || !host_follows {
        return None;
    }
    let colon = token[start..at].find(':')?;
    let from = start + colon + 1;
    (from < at).then_some(from..at)
}

fn hide_url_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        match url_password_range(token) {
            Some(range) if ![HIDDEN, PLACEHOLDER].contains(&&token[range.clone()]) => {
                out.push_str(&token[..range.start]);
                out.push_str(HIDDEN);
                out.push_str(&token[range.end..]);
            }
            _ => out.push_str(token),
        }
        rest = &rest[end..];
    }
    out
}

/// The byte ranges of the values after `password=` / `password:` (any case, spaces allowed
/// around the sign; a quoted value runs to its closing quote, an unquoted one to the next
/// whitespace).
fn password_values(text: &str) -> Vec<std::ops::Range<usize>> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("password") {
        let mut i = from + found + "password".len();
        from = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() || !matches!(bytes[i], b'=' | b':') {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let start = i;
        if i < bytes.len() && matches!(bytes[i], b'\'' | b'"') {
            let quote = bytes[i];
            i += 1;
            while i < bytes.len() && bytes[i] != quote {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
        } else {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        if i > start {
            out.push(start..i);
        }
        from = i.max(from);
    }
    out
}

fn hide_password_values(text: &str) -> String {
    let ranges = password_values(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in ranges {
        if !text.is_char_boundary(range.start) || !text.is_char_boundary(range.end) {
            continue;
        }
        out.push_str(&text[last..range.start]);
        out.push_str(HIDDEN);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Every password `text` may hold, read leniently (for [`Redactor::connection_string`]):
/// the user part of a URL, and `password=` values, quoted (unescaped) or not, whole and up
/// to an `&`.
fn secrets_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(range) = url_password_range(text) {
        out.push(text[range].to_string());
    }
    for range in password_values(text) {
        let Some(value) = text.get(range) else {
            continue;
        };
        match value.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let inner = value[1..].strip_suffix(q).unwrap_or(&value[1..]);
                out.push(inner.to_string());
                let mut unescaped = String::new();
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        if let Some(next) = chars.next() {
                            unescaped.push(next);
                        }
                    } else {
                        unescaped.push(c);
                    }
                }
                out.push(unescaped);
            }
            _ => {
                out.push(value.to_string());
                if let Some((first, _)) = value.split_once('&') {
                    out.push(first.to_string());
                }
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_hidden_in_any_shape() {
        for (text, shown) in [
            (
                "postgres://alice:pw@db:5432/app",
                "postgres://alice:****@db:5432/app",
            ),
            (
                "error: cannot read 'pg://alice:S3/cr?t@db/app': nope",
                "error: cannot read 'pg://alice:****@db/app': nope",
            ),
            ("alice:se:cr@t@db/app", "alice:****@db/app"),
            (
                "write postgres://user:PASSWORD@host/db",
                "write postgres://user:PASSWORD@host/db",
            ),
            ("postgres:/alice:pw@db/app", "postgres:/alice:****@db/app"),
            ("postgres//alice:pw@db/app", "postgres//alice:****@db/app"),
            (
                "host=db password='a b\\' c' user=x",
                "host=db password=**** user=x",
            ),
            (
                "host=db PASSWORD : hunter2 user=x",
                "host=db PASSWORD : **** user=x",
            ),
            (
                "jdbc:postgresql://db/app?user=a&password=p@ss:w/rd",
                "jdbc:postgresql://db/app?user=a&password=****",
            ),
            (
                "password authentication failed for user \"alice\"",
                "password authentication failed for user \"alice\"",
            ),
            ("mail alice@example.com", "mail alice@example.com"),
            ("'{\"a\":1}'::jsonb@>'{}'", "'{\"a\":1}'::jsonb@>'{}'"),
        ] {
            assert_eq!(redact(text), shown, "{text}");
        }
    }

    #[test]
    fn remembered_strings_and_secrets() {
        let mut r = Redactor::new();
        let raw = "postgres://alice:Tr0ub4dor 3@db/app";
        r.connection_string(raw);
        r.secret("S3cr3t/PGPASSWORD");
        r.secret("postgres");
        r.secret("PASSWORD");
        let shown = r.redact(&format!(
            "unexpected argument '{raw}' found; also Tr0ub4dor 3 and S3cr3t/PGPASSWORD and \
             S3cr3t%2FPGPASSWORD; postgres stays; u:PASSWORD@h"
        ));
        assert!(!shown.contains("Tr0ub4dor"), "{shown}");
        assert!(!shown.contains("S3cr3t"), "{shown}");
        assert!(shown.contains("postgres stays"), "{shown}");
        assert!(shown.contains("u:****@h"), "{shown}");
        assert!(
            shown.contains(UNPARSABLE) || shown.contains("alice:****@"),
            "{shown}"
        );
    }

    #[test]
    fn what_looks_like_a_connection_string() {
        for yes in [
            "postgres://db/app",
            "postgresql+asyncpg://u:p@db/app",
            "jdbc:postgresql://db/app",
            "pg://u:p@db",
            "postgres:/u:p@db",
            "u:p@db/app",
            "host=db",
            "dbname=app user=alice",
            "schema.strata password:x",
        ] {
            assert!(looks_like_connection_string(yes), "{yes}");
        }
        for no in [
            "schema.strata",
            "dir/",
            "a@b.strata",
            "C:/x.strata",
            "./x.sql",
            "invoice_lines=0",
            "tasks=1000000",
        ] {
            assert!(!looks_like_connection_string(no), "{no}");
        }
    }
}
