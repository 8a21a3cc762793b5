//! The tokens of one SQL statement: enough to recognise statement kinds and read the names and
//! clauses the migration rules need, without a full grammar. Comments are skipped; strings,
//! quoted identifiers and dollar-quoted bodies are single tokens.

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An unquoted word: `upper` for keyword comparisons, `name` as PostgreSQL folds it
    /// (lower case).
    Word { upper: String, name: String },
    /// A `"quoted"` identifier, as written inside the quotes.
    Quoted(String),
    /// A string constant (`'...'`, `E'...'`, `$$...$$`), its text.
    Str(String),
    /// A number.
    Number(String),
    /// Any other character: `(`, `)`, `,`, `.`, `=`, `::` is two `:`.
    Punct(char),
}

impl Token {
    /// The keyword, upper-cased, if this is an unquoted word.
    pub fn kw(&self) -> Option<&str> {
        match self {
            Token::Word { upper, .. } => Some(upper),
            _ => None,
        }
    }

    /// The identifier this token names, as PostgreSQL stores it.
    pub fn ident(&self) -> Option<&str> {
        match self {
            Token::Word { name, .. } => Some(name),
            Token::Quoted(q) => Some(q),
            _ => None,
        }
    }

    pub fn is(&self, c: char) -> bool {
        matches!(self, Token::Punct(p) if *p == c)
    }
}

/// Splits a statement into tokens. Never fails: an unterminated quote runs to the end.
pub fn tokenize(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth = depth.saturating_sub(1);
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '\'' || ((c == 'E' || c == 'e') && next == Some('\'')) {
            if c != '\'' {
                i += 1;
            }
            let (text, end) = quoted(&chars, i, '\'');
            out.push(Token::Str(text));
            i = end;
        } else if c == '"' {
            let (text, end) = quoted(&chars, i, '"');
            out.push(Token::Quoted(text));
            i = end;
        } else if c == '$' && dollar_tag(&chars, i).is_some() {
            let tag = dollar_tag(&chars, i).unwrap_or_default();
            let body_start = i + tag.len();
            let rest: String = chars[body_start..].iter().collect();
            match rest.find(&tag) {
                Some(n) => {
                    out.push(Token::Str(rest[..n].to_string()));
                    i = body_start + rest[..n].chars().count() + tag.chars().count();
                }
                None => {
                    out.push(Token::Str(rest));
                    i = chars.len();
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let s = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let w: String = chars[s..i].iter().collect();
            out.push(Token::Word {
                upper: w.to_uppercase(),
                name: w.to_lowercase(),
            });
        } else if c.is_ascii_digit() {
            let s = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push(Token::Number(chars[s..i].iter().collect()));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// A quoted token starting at `start` (the opening quote): its text, doubled quotes undone,
/// and the index after the closing quote.
fn quoted(chars: &[char], start: usize, q: char) -> (String, usize) {
    let mut text = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == q {
            if chars.get(i + 1) == Some(&q) {
                text.push(q);
                i += 2;
                continue;
            }
            return (text, i + 1);
        }
        text.push(chars[i]);
        i += 1;
    }
    (text, i)
}

/// `$tag$` (or `$$`) starting at `i`.
fn dollar_tag(chars: &[char], i: usize) -> Option<String> {
    let mut j = i + 1;
    while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
        j += 1;
    }
    let tag: String = chars.get(i..=j)?.iter().collect();
    let first_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
    (chars.get(j) == Some(&'$') && !first_digit).then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_quotes_strings_and_comments() {
        let t = tokenize(
            "ALTER TABLE \"Odd\"\"Name\" -- c\n ADD COLUMN x text DEFAULT E'it''s' /* a /* b */ */ , ADD y int DEFAULT $f$;$f$",
        );
        assert_eq!(t[0].kw(), Some("ALTER"));
        assert_eq!(t[2], Token::Quoted("Odd\"Name".into()));
        assert!(t.contains(&Token::Str("it's".into())));
        assert!(t.contains(&Token::Str(";".into())));
        assert!(t.iter().any(|x| x.is(',')));
        assert_eq!(t.iter().filter(|x| x.kw() == Some("ADD")).count(), 2);
    }
}
