//! The `.strata` lexer (logos). Keywords are contextual, so they lex as identifiers; newlines
//! and comments are tokens because the parser is line-sensitive and keeps comments.
//!
//! The lexer never fails: characters that start no token become [`TokenKind::Error`] tokens
//! and unterminated literals are marked as such; the parser reports both where it meets them.

use logos::{Lexer, Logos};

/// Whether a string or SQL literal found its closing delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Yes,
    No,
}

#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\f]+")]
enum Raw {
    #[token("\n")]
    Newline,
    #[regex(r"//[^\n]*", allow_greedy = true)]
    Comment,
    #[token("/*", lex_block_comment)]
    BlockComment,
    /// Letters of any script, as PostgreSQL accepts them in identifiers (`naïve`, `größe`).
    #[regex(r"[\p{XID_Start}_][\p{XID_Continue}]*")]
    Ident,
    /// Loose on purpose (`10M`, `1.5`, `12abc`): the parser validates numbers in context.
    #[regex(r"[0-9][0-9A-Za-z_]*(\.[0-9][0-9A-Za-z_]*)?")]
    Number,
    #[token("\"", lex_string)]
    Str(Closed),
    #[token("\"\"\"", lex_block)]
    Block(Closed),
    #[token("`", lex_backtick)]
    Backtick(Closed),
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token(",")]
    Comma,
    #[token(";")]
    Semi,
    #[token("?")]
    Question,
    #[token("=")]
    Eq,
    #[token("->")]
    Arrow,
    #[token("<->")]
    BiArrow,
    #[token("<-")]
    BackArrow,
    #[token("-")]
    Minus,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
}

/// Moves `n` forward to the next character boundary of `s` (or its end).
fn boundary(s: &str, mut n: usize) -> usize {
    n = n.min(s.len());
    while n < s.len() && !s.is_char_boundary(n) {
        n += 1;
    }
    n
}

/// `"..."` on one line, with `\` escapes (validated later). Unterminated: ends at the line end.
fn lex_string(lex: &mut Lexer<Raw>) -> Closed {
    let rem = lex.remainder();
    let bytes = rem.as_bytes();
    let mut i = 0;
    let mut closed = Closed::No;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                closed = Closed::Yes;
                break;
            }
            b'\n' => break,
            b'\\' => match bytes.get(i + 1) {
                Some(b'\n') | None => {
                    i += 1;
                    break;
                }
                Some(_) => i += 2,
            },
            _ => i += 1,
        }
    }
    lex.bump(boundary(rem, i));
    closed
}

/// `/* ... */`, nested as PostgreSQL nests them (`/* a /* b */ c */` is one comment).
/// Unterminated: runs to the end of the file ([`block_comment_closed`] tells the parser).
fn lex_block_comment(lex: &mut Lexer<Raw>) {
    let rem = lex.remainder();
    lex.bump(block_comment_end(rem).unwrap_or(rem.len()));
}

/// Length of a block comment's rest after its opening `/*`, closing `*/` included; `None`
/// when it is never closed.
fn block_comment_end(rem: &str) -> Option<usize> {
    let bytes = rem.as_bytes();
    let mut depth = 1usize;
    let mut i = 0;
    while i < bytes.len() {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                i += 2;
            }
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Whether a block comment's text (from its `/*`) is closed by its `*/`.
pub(crate) fn block_comment_closed(text: &str) -> bool {
    text.strip_prefix("/*")
        .and_then(block_comment_end)
        .is_some()
}

/// `"""..."""`, any number of lines, verbatim. Unterminated: runs to the end of the file.
fn lex_block(lex: &mut Lexer<Raw>) -> Closed {
    let rem = lex.remainder();
    match rem.find("\"\"\"") {
        Some(i) => {
            lex.bump(boundary(rem, i + 3));
            Closed::Yes
        }
        None => {
            lex.bump(rem.len());
            Closed::No
        }
    }
}

/// `` `...` ``, may span lines. Unterminated: ends at the end of the opening line so the rest of
/// the file still parses.
fn lex_backtick(lex: &mut Lexer<Raw>) -> Closed {
    let rem = lex.remainder();
    match rem.find('`') {
        Some(i) => {
            lex.bump(boundary(rem, i + 1));
            Closed::Yes
        }
        None => {
            lex.bump(boundary(rem, rem.find('\n').unwrap_or(rem.len())));
            Closed::No
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Newline,
    /// `// ...` (also `//// ...`)
    Comment,
    /// `/// ...`
    Doc,
    /// `/* ... */` with code after it on the same line: the parser moves it above the member
    /// it sits in (a block comment that ends its line is a [`TokenKind::Comment`]).
    InlineComment,
    Ident,
    Number,
    Str(Closed),
    /// `"""..."""`
    Block(Closed),
    /// `` `...` ``
    Backtick(Closed),
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Semi,
    Question,
    Eq,
    Arrow,
    BiArrow,
    BackArrow,
    Minus,
    Slash,
    Percent,
    /// One or more characters that start no token.
    Error,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// A word with a non-ASCII or otherwise invalid character inside (`namé`) becomes one error
/// token instead of a name followed by garbage.
fn merge_words(toks: Vec<Token>) -> Vec<Token> {
    let wordish =
        |k: TokenKind| matches!(k, TokenKind::Ident | TokenKind::Number | TokenKind::Error);
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    for t in toks {
        if let Some(last) = out.last_mut()
            && last.end == t.start
            && wordish(last.kind)
            && wordish(t.kind)
            && (last.kind == TokenKind::Error || t.kind == TokenKind::Error)
        {
            last.kind = TokenKind::Error;
            last.end = t.end;
            continue;
        }
        out.push(t);
    }
    out
}

/// A block comment followed by code on its line is inline: it cannot end the line it is on.
fn mark_inline_comments(text: &str, toks: &mut [Token]) {
    let mut next_is_code_on_line = false;
    for t in toks.iter_mut().rev() {
        let is_block = t.kind == TokenKind::Comment
            && text
                .get(t.start..t.end)
                .is_some_and(|s| s.starts_with("/*"));
        if is_block && next_is_code_on_line {
            t.kind = TokenKind::InlineComment;
            continue;
        }
        if is_block {
            continue;
        }
        next_is_code_on_line = t.kind != TokenKind::Newline
            && !(t.kind == TokenKind::Comment
                && text
                    .get(t.start..t.end)
                    .is_some_and(|s| s.starts_with("//")));
    }
}

fn convert(raw: Raw, text: &str) -> TokenKind {
    match raw {
        Raw::Newline => TokenKind::Newline,
        Raw::Comment => {
            if text.starts_with("///") && !text.starts_with("////") {
                TokenKind::Doc
            } else {
                TokenKind::Comment
            }
        }
        Raw::BlockComment => TokenKind::Comment,
        Raw::Ident => TokenKind::Ident,
        Raw::Number => TokenKind::Number,
        Raw::Str(c) => TokenKind::Str(c),
        Raw::Block(c) => TokenKind::Block(c),
        Raw::Backtick(c) => TokenKind::Backtick(c),
        Raw::LBrace => TokenKind::LBrace,
        Raw::RBrace => TokenKind::RBrace,
        Raw::LParen => TokenKind::LParen,
        Raw::RParen => TokenKind::RParen,
        Raw::LBracket => TokenKind::LBracket,
        Raw::RBracket => TokenKind::RBracket,
        Raw::Comma => TokenKind::Comma,
        Raw::Semi => TokenKind::Semi,
        Raw::Question => TokenKind::Question,
        Raw::Eq => TokenKind::Eq,
        Raw::Arrow => TokenKind::Arrow,
        Raw::BiArrow => TokenKind::BiArrow,
        Raw::BackArrow => TokenKind::BackArrow,
        Raw::Minus => TokenKind::Minus,
        Raw::Slash => TokenKind::Slash,
        Raw::Percent => TokenKind::Percent,
    }
}

/// All tokens of `text`, ending with one [`TokenKind::Eof`]. Whitespace other than `\n` is
/// dropped; adjacent error characters are merged into one [`TokenKind::Error`] token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut lex = Raw::lexer(text);
    // Editors on Windows write a UTF-8 byte-order mark; it is not part of the schema.
    if text.starts_with('\u{FEFF}') {
        lex.bump('\u{FEFF}'.len_utf8());
    }
    while let Some(res) = lex.next() {
        let span = lex.span();
        let kind = match res {
            Ok(raw) => convert(raw, text.get(span.clone()).unwrap_or("")),
            Err(()) => TokenKind::Error,
        };
        if kind == TokenKind::Error
            && let Some(last) = out.last_mut()
            && last.kind == TokenKind::Error
            && last.end == span.start
        {
            last.end = span.end;
            continue;
        }
        out.push(Token {
            kind,
            start: span.start,
            end: span.end,
        });
    }
    let mut out = merge_words(out);
    mark_inline_comments(text, &mut out);
    out.push(Token {
        kind: TokenKind::Eof,
        start: text.len(),
        end: text.len(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<TokenKind> {
        tokenize(s).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_and_punctuation() {
        use TokenKind::*;
        assert_eq!(
            kinds("rows 10M\n1000/s 0.5 1."),
            vec![
                Ident, Number, Newline, Number, Slash, Ident, Number, Error, Eof
            ]
        );
        assert_eq!(
            kinds("a -> b <-> c <- d - e"),
            vec![
                Ident, Arrow, Ident, BiArrow, Ident, BackArrow, Ident, Minus, Ident, Eof
            ]
        );
    }

    #[test]
    fn literals() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#""a\"b" "" """x""" `y`"#),
            vec![
                Str(Closed::Yes),
                Str(Closed::Yes),
                Block(Closed::Yes),
                Backtick(Closed::Yes),
                Eof
            ]
        );
        assert_eq!(
            kinds("\"abc\nx"),
            vec![Str(Closed::No), Newline, Ident, Eof]
        );
        assert_eq!(
            kinds("`abc\nx"),
            vec![Backtick(Closed::No), Newline, Ident, Eof]
        );
        assert_eq!(kinds("\"\"\"abc\nx"), vec![Block(Closed::No), Eof]);
        assert_eq!(kinds("\"é\\"), vec![Str(Closed::No), Eof]);
        assert_eq!(kinds("\"\\é\""), vec![Str(Closed::Yes), Eof]);
    }

    #[test]
    fn comments_and_errors() {
        use TokenKind::*;
        assert_eq!(
            kinds("// a\n/// b\n//// c\n@@ €"),
            vec![
                Comment, Newline, Doc, Newline, Comment, Newline, Error, Error, Eof
            ]
        );
        let toks = tokenize("nam€ text");
        assert_eq!(
            toks.first().map(|t| (t.kind, t.start, t.end)),
            Some((Error, 0, 6))
        );
    }

    #[test]
    fn block_comments_nest_and_know_their_line() {
        use TokenKind::*;
        assert_eq!(
            kinds(
                "/* a /* b */ c */
x /* d */ y /* e */
/* f"
            ),
            vec![
                Comment,
                Newline,
                Ident,
                InlineComment,
                Ident,
                Comment,
                Newline,
                Comment,
                Eof
            ]
        );
        assert!(block_comment_closed("/* a /* b */ c */"));
        assert!(block_comment_closed("/**/"));
        assert!(!block_comment_closed("/*/"));
        assert!(!block_comment_closed("/* a /* b */"));
        // `/` and `*` on their own are still what they were.
        assert_eq!(kinds("1000/s"), vec![Number, Slash, Ident, Eof]);
    }

    #[test]
    fn identifiers_of_any_script() {
        use TokenKind::*;
        assert_eq!(
            kinds("größe naïve _x état日本"),
            vec![Ident, Ident, Ident, Ident, Eof]
        );
        // Not letters: still errors, merged with the word they sit in.
        assert_eq!(kinds("a€b"), vec![Error, Eof]);
    }
}
