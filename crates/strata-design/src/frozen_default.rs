//! Temporal defaults that PostgreSQL freezes: the words `now`, `today`, `tomorrow` and
//! `yesterday` are read once, when the default is stored (at CREATE TABLE), so every row
//! would get that moment. The designer refuses them (E3015) whether written as a string
//! (`= "now"`) or as SQL that is only such a literal (`'now'::timestamptz`,
//! `timestamptz 'now'`, `CAST('today' AS date)`).

/// The words PostgreSQL's date/time input turns into a fixed moment.
const WORDS: [&str; 4] = ["now", "today", "tomorrow", "yesterday"];

/// Is `word` (as a user wrote it, any case, surrounding blanks allowed) one of those words?
pub(crate) fn is_frozen_word(word: &str) -> bool {
    let w = word.trim().to_ascii_lowercase();
    WORDS.contains(&w.as_str())
}

/// Is `ty` (a type as SQL spells it) a date/time type whose input reads those words?
pub(crate) fn is_temporal_type(ty: &str) -> bool {
    let t = ty.trim().to_ascii_lowercase();
    let t = t.strip_prefix("pg_catalog.").unwrap_or(&t);
    t.starts_with("timestamp") || t.starts_with("time") || t == "date"
}

/// A SQL default that is nothing but a literal: the literal's text and the type it is cast
/// to, if any.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Literal {
    pub value: String,
    pub cast: Option<String>,
}

/// Reads `'w'`, `'w'::type`, `type 'w'` and `CAST('w' AS type)`, in any case and within
/// outer parentheses; anything else (a call, an operator, an interval sum) is `None`.
pub(crate) fn literal(sql: &str) -> Option<Literal> {
    let mut s = sql.trim();
    while let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        s = inner.trim();
    }
    let lower = s.to_ascii_lowercase();
    if let Some(inner) = lower
        .strip_prefix("cast")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
    {
        let (value, rest) = quoted(inner.trim())?;
        let ty = rest.trim().strip_prefix("as")?;
        return type_name(ty).map(|t| Literal {
            value,
            cast: Some(t),
        });
    }
    let start = lower.find('\'')?;
    let prefix = lower.get(..start)?.trim();
    let (value, rest) = quoted(lower.get(start..)?)?;
    let rest = rest.trim();
    let cast = if rest.is_empty() {
        None
    } else {
        Some(type_name(rest.strip_prefix("::")?)?)
    };
    match (prefix.is_empty(), cast) {
        (true, cast) => Some(Literal { value, cast }),
        // `timestamptz 'now'`: a typed literal, which takes no cast after it here.
        (false, None) => type_name(prefix).map(|t| Literal {
            value,
            cast: Some(t),
        }),
        (false, Some(_)) => None,
    }
}

/// A quoted string at the start of `s` (with `''` for a quote inside) and what follows it.
fn quoted(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                value.push('\'');
                continue;
            }
            return Some((value, body.get(i + 1..)?));
        }
        value.push(c);
    }
    None
}

/// A type name: words, digits, `_`, `.`, blanks and a parenthesised modifier; nothing that
/// could be an operator or another expression.
fn type_name(s: &str) -> Option<String> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.(),\"".contains(c))
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '"');
    ok.then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(value: &str, cast: Option<&str>) -> Option<Literal> {
        Some(Literal {
            value: value.into(),
            cast: cast.map(str::to_string),
        })
    }

    #[test]
    fn literal_forms_are_read() {
        assert_eq!(literal("'now'"), lit("now", None));
        assert_eq!(literal(" ('NOW') "), lit("now", None));
        assert_eq!(
            literal("'now'::timestamptz"),
            lit("now", Some("timestamptz"))
        );
        assert_eq!(
            literal("'today' :: timestamp with time zone"),
            lit("today", Some("timestamp with time zone"))
        );
        assert_eq!(literal("date 'today'"), lit("today", Some("date")));
        assert_eq!(
            literal("CAST('tomorrow' AS date)"),
            lit("tomorrow", Some("date"))
        );
        assert_eq!(literal("'it''s'::text"), lit("it's", Some("text")));
    }

    #[test]
    fn expressions_are_not_literals() {
        for sql in [
            "now()",
            "current_date",
            "now() + interval '1 day'",
            "'now'::timestamptz + interval '1 day'",
            "date 'today'::date",
            "coalesce('now', 'x')",
            "'now' || 'x'",
            "'unterminated",
        ] {
            assert_eq!(literal(sql), None, "{sql}");
        }
    }

    #[test]
    fn words_and_types() {
        assert!(is_frozen_word(" Today "));
        assert!(!is_frozen_word("epoch"));
        assert!(!is_frozen_word("nowhere"));
        for t in [
            "timestamptz",
            "timestamp(3) without time zone",
            "timetz",
            "date",
        ] {
            assert!(is_temporal_type(t), "{t}");
        }
        for t in ["text", "interval", "tsrange", "datemultirange"] {
            assert!(!is_temporal_type(t), "{t}");
        }
    }
}
