//! Connection strings: `postgres://` URLs and libpq `key=value` strings, as libpq reads them.
//!
//! Errors never repeat the input: it may hold a password.

use super::ConnError;

fn syntax(reason: impl Into<String>) -> ConnError {
    ConnError::Syntax {
        reason: reason.into(),
    }
}

/// The spelling a connection string came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// `postgres://`, `postgresql://` or `key=value`, as libpq reads them.
    Libpq,
    /// SQLAlchemy's `postgresql+driver://`: a libpq URL with a Python driver name.
    SqlAlchemy { driver: String },
    /// JDBC's `jdbc:postgresql://`: user and password usually in the query; `ignored` are
    /// JDBC-only parameters that do not change where or how to connect.
    Jdbc { ignored: Vec<String> },
}

/// A connection string split into parameters.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) pairs: Vec<(String, String)>,
    pub(crate) form: Form,
}

/// The URL prefixes read as a libpq URL, longest first. Returns the form and the rest after
/// `://`.
fn strip_scheme(text: &str) -> Option<(Form, &str)> {
    let lower = text.get(..text.len().min(64))?.to_ascii_lowercase();
    for scheme in ["postgresql://", "postgres://"] {
        if lower.starts_with(scheme) {
            return Some((Form::Libpq, &text[scheme.len()..]));
        }
    }
    for base in ["postgresql+", "postgres+"] {
        if let Some(rest) = lower.strip_prefix(base)
            && let Some((driver, _)) = rest.split_once("://")
            && !driver.is_empty()
            && driver
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            let skip = base.len() + driver.len() + 3;
            return Some((
                Form::SqlAlchemy {
                    driver: driver.to_string(),
                },
                &text[skip..],
            ));
        }
    }
    None
}

/// Whether `text` is written in one of the URL forms a connection is made from
/// (`postgres://`, `postgresql://`, `postgresql+driver://`, `jdbc:postgresql:`).
pub(crate) fn is_connection_url(text: &str) -> bool {
    let text = text.trim();
    strip_scheme(text).is_some()
        || text
            .get(..16)
            .is_some_and(|p| p.eq_ignore_ascii_case("jdbc:postgresql:"))
}

/// Splits a connection string into `(key, value)` pairs in the order they apply.
///
/// No error repeats any part of the input: a password may be anywhere in it, also where it
/// does not belong (a password with an unencoded `/` ends up in the "port").
pub(crate) fn parse_pairs(input: &str) -> Result<Parsed, ConnError> {
    let trimmed = input.trim();
    if let Some((form, rest)) = strip_scheme(trimmed) {
        return Ok(Parsed {
            pairs: ssl_synonyms(parse_url(rest, false)?),
            form,
        });
    }
    if let Some(prefix) = trimmed.get(..16)
        && prefix.eq_ignore_ascii_case("jdbc:postgresql:")
    {
        return parse_jdbc(&trimmed[16..]);
    }
    if let Some(reason) = misspelt_url(trimmed) {
        return Err(syntax(reason));
    }
    Ok(Parsed {
        pairs: parse_keyword_value(trimmed)?,
        form: Form::Libpq,
    })
}

/// Why `text`, which is neither a libpq URL nor a `key=value` string, looks like a URL that
/// was meant (so the error can say how to write it), or `None`.
fn misspelt_url(text: &str) -> Option<String> {
    let scheme_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    let scheme = &text[..scheme_len];
    let after = &text[scheme_len..];
    let postgres =
        scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql");
    let first_equals = text.find('=');
    if postgres && !after.starts_with("://") && after.starts_with([':', '/']) {
        return Some(format!(
            "a database URL starts with `{scheme}://` (colon and two slashes): write \
             {scheme}://user:PASSWORD@host:port/dbname"
        ));
    }
    if scheme_len >= 2 && after.starts_with("://") {
        return Some(format!(
            "unsupported URL scheme `{scheme}://`; use postgres:// or postgresql:// \
             (SQLAlchemy's postgresql+driver:// and JDBC's jdbc:postgresql:// are read too)"
        ));
    }
    if scheme_len >= 2 && after.starts_with(":/") {
        return Some(format!(
            "unsupported URL scheme `{scheme}:`; write postgres://user:PASSWORD@host:port/dbname"
        ));
    }
    // `user:PASSWORD@host/db` without a scheme: an `@` before any `=`.
    if let Some(at) = text.find('@')
        && first_equals.is_none_or(|eq| at < eq)
    {
        return Some(
            "this looks like a URL without its scheme: write \
             postgres://user:PASSWORD@host:port/dbname"
                .into(),
        );
    }
    None
}

/// `[user[:password]@][host[:port][,...]][/dbname][?key=value[&...]]`, all percent-encoded.
/// `query_only_secrets`: JDBC, where the query's values are taken as written after the first
/// `?` (its passwords are often not encoded).
fn parse_url(rest: &str, query_only_secrets: bool) -> Result<Vec<(String, String)>, ConnError> {
    let mut pairs = Vec::new();
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    // An unencoded `/`, `?` or `@` in a password cuts the URL in the wrong place: the rest of
    // the password then shows up as the "database name" or a "parameter". Refuse rather
    // than guess (and never repeat it).
    let query_cut = |q: &str| {
        q.contains('@')
            && q.split('&')
                .any(|part| part.split_once('=').is_none_or(|(k, _)| k.contains('@')))
    };
    let at_after_authority = path.is_some_and(|p| p.contains('@'))
        || (!query_only_secrets && query.is_some_and(query_cut));
    if at_after_authority {
        return Err(syntax(
            "the URL has an `@` after its host part, so the user name or password contains \
             a character that must be percent-encoded: write `/` as %2F, `?` as %3F, `@` as \
             %40, `#` as %23 and `%` as %25 in the password",
        ));
    }
    // The password may itself contain '@' when not encoded; the last '@' ends the user part.
    let (userinfo, hostspec) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            pairs.push(("user".into(), decode(user, "the user name")?));
        }
        if let Some(password) = password {
            pairs.push(("password".into(), decode(password, "the password")?));
        }
    }
    if !hostspec.is_empty() {
        let (hosts, ports) = parse_hostspec(hostspec, userinfo.is_none())?;
        if hosts.iter().any(|h| !h.is_empty()) {
            pairs.push(("host".into(), hosts.join(",")));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            pairs.push(("port".into(), ports.join(",")));
        }
    }
    if let Some(path) = path.filter(|p| !p.is_empty()) {
        pairs.push(("dbname".into(), decode(path, "the database name")?));
    }
    if let Some(query) = query {
        pairs.extend(parse_query(query, query_only_secrets)?);
    }
    Ok(pairs)
}

/// `key=value&...`. With `raw_password` (JDBC), everything after `password=` up to the next
/// `&key=` of a known parameter is the password, as written.
fn parse_query(query: &str, raw_password: bool) -> Result<Vec<(String, String)>, ConnError> {
    let mut pairs = Vec::new();
    let mut parts = query.split('&').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        let Some((key, value)) = part.split_once('=') else {
            return Err(syntax(
                "a URL parameter has no value (write key=value); if a password is in the \
                 URL, percent-encode its `&`, `?` and `/` (%26, %3F, %2F)",
            ));
        };
        let key = decode(key, "a parameter name")?;
        let value = if raw_password && key.eq_ignore_ascii_case("password") {
            // An unencoded `&` in a JDBC password: take parts up to the next one that
            // starts with a parameter name.
            let mut value = value.to_string();
            while let Some(next) = parts.peek() {
                let starts_param = next.split_once('=').is_some_and(|(k, _)| is_jdbc_key(k));
                if starts_param {
                    break;
                }
                value.push('&');
                value.push_str(next);
                parts.next();
            }
            decode(&value, "the password").unwrap_or(value)
        } else {
            decode(value, &format!("the value of `{key}`"))?
        };
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// JDBC parameter names that map to libpq ones.
const JDBC_RENAMES: &[(&str, &str)] = &[
    ("ApplicationName", "application_name"),
    ("connectTimeout", "connect_timeout"),
    ("loginTimeout", "connect_timeout"),
];

/// JDBC-only parameters: tuning of the Java driver, nothing about where or how to connect.
const JDBC_IGNORED: &[&str] = &[
    "socketTimeout",
    "tcpKeepAlive",
    "prepareThreshold",
    "preparedStatementCacheQueries",
    "preparedStatementCacheSizeMiB",
    "defaultRowFetchSize",
    "reWriteBatchedInserts",
    "stringtype",
    "binaryTransfer",
    "readOnly",
    "readOnlyMode",
    "logUnclosedConnections",
    "autosave",
    "cleanupSavepoints",
    "assumeMinServerVersion",
    "sslfactory",
    "sslhostnameverifier",
    "sslpasswordcallback",
    "loggerLevel",
    "loggerFile",
    "currentSchema",
    "targetServerType",
    "gssEncMode",
];

fn is_jdbc_key(key: &str) -> bool {
    super::params::is_known(key)
        || key == "ssl"
        || JDBC_RENAMES.iter().any(|(k, _)| *k == key)
        || JDBC_IGNORED.contains(&key)
}

/// `jdbc:postgresql:` followed by `//host[:port]/[db][?k=v&...]`, `db` or `/`.
fn parse_jdbc(rest: &str) -> Result<Parsed, ConnError> {
    let raw = if let Some(url) = rest.strip_prefix("//") {
        parse_url(url, true)?
    } else {
        // `jdbc:postgresql:dbname` or `jdbc:postgresql:/`: the local server.
        let (db, query) = match rest.split_once('?') {
            Some((d, q)) => (d, Some(q)),
            None => (rest, None),
        };
        let mut pairs = Vec::new();
        let db = db.trim_start_matches('/');
        if !db.is_empty() {
            pairs.push(("dbname".into(), decode(db, "the database name")?));
        }
        if let Some(query) = query {
            pairs.extend(parse_query(query, true)?);
        }
        pairs
    };
    let mut pairs = Vec::new();
    let mut ignored = Vec::new();
    for (key, value) in raw {
        if let Some((_, libpq)) = JDBC_RENAMES.iter().find(|(k, _)| *k == key) {
            pairs.push(((*libpq).to_string(), value));
        } else if JDBC_IGNORED.contains(&key.as_str()) {
            ignored.push(key);
        } else {
            pairs.push((key, value));
        }
    }
    Ok(Parsed {
        pairs: ssl_synonyms(pairs),
        form: Form::Jdbc { ignored },
    })
}

/// `ssl=true` (JDBC, libpq's old spelling) and asyncpg's `ssl=require`: `sslmode`.
fn ssl_synonyms(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(key, value)| {
            if key != "ssl" {
                return (key, value);
            }
            let mode = match value.as_str() {
                "true" | "1" | "on" => "require".to_string(),
                "false" | "0" | "off" => "disable".to_string(),
                other => other.to_string(),
            };
            ("sslmode".to_string(), mode)
        })
        .collect()
}

/// `host[:port],host[:port]` with `[v6]` literals; returns hosts and ports (possibly empty).
/// `no_userinfo`: the URL has no `user@`, so text after a `:` may be a password that lost its
/// `@host` (never repeated in the error).
fn parse_hostspec(spec: &str, no_userinfo: bool) -> Result<(Vec<String>, Vec<String>), ConnError> {
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for item in spec.split(',') {
        let (host, port) = if let Some(v6) = item.strip_prefix('[') {
            let Some(end) = v6.find(']') else {
                return Err(syntax("unterminated IPv6 address in URL (missing `]`)"));
            };
            let after = &v6[end + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => p,
                None if after.is_empty() => "",
                None => return Err(syntax("unexpected text after an IPv6 address in URL")),
            };
            (v6[..end].to_string(), port)
        } else {
            match item.rsplit_once(':') {
                Some((h, p)) => (decode(h, "a host name")?, p),
                None => (decode(item, "a host name")?, ""),
            }
        };
        let valid = port.is_empty()
            || (port.bytes().all(|b| b.is_ascii_digit())
                && port.parse::<u16>().is_ok_and(|n| n > 0));
        if !valid {
            let mut reason = "the port after a host name in the URL is not a number from 1 to \
                              65535"
                .to_string();
            if no_userinfo {
                reason.push_str(
                    "; a password goes before the host, followed by `@` \
                     (postgres://user:PASSWORD@host:port/dbname), with `/`, `?`, `@` and `%` \
                     in it percent-encoded",
                );
            }
            return Err(syntax(reason));
        }
        hosts.push(host);
        ports.push(port.to_string());
    }
    Ok((hosts, ports))
}

/// Percent-decodes `s`; `what` names the part in error messages (never its value).
pub(crate) fn decode(s: &str, what: &str) -> Result<String, ConnError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    return Err(syntax(format!(
                        "invalid percent-encoding in {what} (write a literal % as %25)"
                    )));
                }
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| syntax(format!("{what} is not valid UTF-8 after decoding")))
}

/// Percent-encodes everything except unreserved URL characters.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// libpq's `key = value key='quoted \' value'` form.
fn parse_keyword_value(input: &str) -> Result<Vec<(String, String)>, ConnError> {
    let mut pairs = Vec::new();
    let mut chars = input.chars().peekable();
    let mut word = 0;
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        word += 1;
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        // The word is not repeated: it may be a password (`password:secret`, or the second
        // half of an unquoted password with a space).
        if chars.next() != Some('=') {
            return Err(syntax(format!(
                "word {word} of the connection string has no `=` (write key=value, quote \
                 values with spaces as key='a b', or use a postgres:// URL)"
            )));
        }
        if key.is_empty()
            || key.len() > 64
            || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(syntax(format!(
                "word {word} of the connection string does not start with a parameter name \
                 (letters, digits and `_`, then `=`)"
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => break,
                    },
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(syntax(format!(
                            "unterminated quoted value for `{key}` (missing closing '; write \
                             a quote inside a value as \\')"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    if let Some(next) = chars.next() {
                        value.push(next);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}
