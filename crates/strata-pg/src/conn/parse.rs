//! Connection strings: `postgres://` URLs and libpq `key=value` strings, as libpq reads them.
//!
//! Errors never repeat the input: it may hold a password.

use super::ConnError;

fn syntax(reason: impl Into<String>) -> ConnError {
    ConnError::Syntax {
        reason: reason.into(),
    }
}

/// Splits a connection string into `(key, value)` pairs in the order they apply.
pub(crate) fn parse_pairs(input: &str) -> Result<Vec<(String, String)>, ConnError> {
    let trimmed = input.trim();
    for scheme in ["postgresql://", "postgres://"] {
        if trimmed.len() >= scheme.len() && trimmed[..scheme.len()].eq_ignore_ascii_case(scheme) {
            return parse_url(&trimmed[scheme.len()..]);
        }
    }
    if let Some((scheme, _)) = trimmed.split_once("://")
        && !scheme.contains(['=', ' '])
    {
        return Err(syntax(format!(
            "unsupported URL scheme `{scheme}://`; use postgres:// or postgresql://"
        )));
    }
    parse_keyword_value(trimmed)
}

/// `[user[:password]@][host[:port][,...]][/dbname][?key=value[&...]]`, all percent-encoded.
fn parse_url(rest: &str) -> Result<Vec<(String, String)>, ConnError> {
    let mut pairs = Vec::new();
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
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
        let (hosts, ports) = parse_hostspec(hostspec)?;
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
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(syntax(format!(
                    "URL parameter `{}` has no value (write key=value)",
                    decode(part, "a parameter name").unwrap_or_default()
                )));
            };
            let key = decode(key, "a parameter name")?;
            let value = decode(value, &format!("the value of `{key}`"))?;
            // libpq accepts ssl=true as a synonym, as JDBC URLs have it.
            if key == "ssl" && value == "true" {
                pairs.push(("sslmode".into(), "require".into()));
            } else {
                pairs.push((key, value));
            }
        }
    }
    Ok(pairs)
}

/// `host[:port],host[:port]` with `[v6]` literals; returns hosts and ports (possibly empty).
fn parse_hostspec(spec: &str) -> Result<(Vec<String>, Vec<String>), ConnError> {
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
        if !port.is_empty() && !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConnError::InvalidValue {
                key: "port".into(),
                value: port.to_string(),
                expected: "a port number from 1 to 65535".into(),
            });
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
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(syntax(format!(
                "missing `=` after `{key}` (write key=value, or use a postgres:// URL)"
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
                            "unterminated quoted value for `{key}` (missing closing ')"
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
