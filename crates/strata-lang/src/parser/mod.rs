//! Error-recovering recursive-descent parser for `.strata` files.
//!
//! The parser never panics and never gives up: an error inside a member skips to the end of
//! that member (line, `;` or the block's `}`), an error at item level skips to the next line
//! that starts with an item keyword, and a block whose `}` is missing is closed where the next
//! item obviously starts. At most one error is reported per member.
//!
//! Layout: this module holds the token cursor, trivia (comments, docs, blank lines), error
//! reporting and recovery; `items.rs` parses top-level items, `members.rs` entity members and
//! `exprs.rs` the small pieces (types, literals, numbers, lists, keys).

mod exprs;
mod items;
mod members;

use strata_diagnostics::{Diagnostic, FileId, Span};

use crate::ast::{self, Trivia};
use crate::codes;
use crate::lexer::{Closed, Token, TokenKind, block_comment_closed, tokenize};

/// Deepest `schema` nesting the parser descends into before giving up on a block.
const MAX_NESTING: usize = 16;

/// Words that start an item.
const ITEM_KEYWORDS: &[&str] = &[
    "conventions",
    "schema",
    "extension",
    "enum",
    "domain",
    "mixin",
    "entity",
    "view",
    "materialized",
    "sql",
    "sequence",
];

const ITEM_HELP: &str = "an item starts with one of: entity, mixin, enum, domain, schema, \
                         extension, conventions, view, materialized view, sql, sequence";

/// An error was reported; the caller recovers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reported;

pub(crate) type PResult<T> = Result<T, Reported>;

/// Comments, docs and blank lines seen before a node.
#[derive(Debug, Default)]
pub(crate) struct Leading {
    comments: Vec<String>,
    doc: Vec<String>,
    doc_span: Option<Span>,
    /// A blank line before the first comment (or anywhere, when there are no comments).
    blank: bool,
    /// A blank line after the last comment.
    blank_after_comments: bool,
}

pub(crate) struct Parser<'s> {
    src: &'s str,
    file: FileId,
    toks: Vec<Token>,
    pos: usize,
    /// End of the last consumed token that is not a newline or comment.
    last_end: usize,
    diags: Vec<Diagnostic>,
    /// Leading trivia handed back for the next node (e.g. when a block closes early).
    pending: Option<Leading>,
    /// Comments met inside parentheses; they move above the member being parsed.
    stray: Vec<String>,
    /// Start offsets of unterminated literals already reported (recovery may meet them again).
    unterminated_seen: Vec<usize>,
    /// Block comments with code after them on their line, taken out of `toks`: each with the
    /// index in `toks` of the token it came before. Passing that token makes it a stray
    /// comment, moved above the member it sat in.
    inline: Vec<(usize, String)>,
    inline_next: usize,
}

/// Parses one `.strata` file. Never panics; every problem becomes a diagnostic.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let mut toks = Vec::new();
    let mut inline = Vec::new();
    let mut diags = Vec::new();
    for t in tokenize(text) {
        let raw = text.get(t.start..t.end).unwrap_or("");
        if matches!(t.kind, TokenKind::Comment | TokenKind::InlineComment)
            && raw.starts_with("/*")
            && !block_comment_closed(raw)
        {
            diags.push(
                Diagnostic::error(
                    codes::UNTERMINATED_COMMENT,
                    "unterminated block comment: this `/*` is never closed",
                    "close it with `*/` (block comments nest: each `/*` inside needs its own `*/`)",
                )
                .at(Span::new(file, t.start, t.start + 2)),
            );
        }
        if t.kind == TokenKind::InlineComment {
            inline.push((toks.len(), raw.trim_end().to_string()));
        } else {
            toks.push(t);
        }
    }
    let mut p = Parser {
        src: text,
        file,
        toks,
        pos: 0,
        last_end: 0,
        diags,
        pending: None,
        stray: Vec::new(),
        unterminated_seen: Vec::new(),
        inline,
        inline_next: 0,
    };
    p.take_inline_comments();
    let (items, trailing, _) = p.parse_items(0, None);
    let mut diags = p.diags;
    diags.sort_by_key(|d| d.span.map(|s| (s.start, s.end)));
    (
        ast::File {
            items,
            trailing_comments: trailing,
        },
        diags,
    )
}

impl<'s> Parser<'s> {
    // ----- cursor -------------------------------------------------------------------------

    fn eof_token(&self) -> Token {
        Token {
            kind: TokenKind::Eof,
            start: self.src.len(),
            end: self.src.len(),
        }
    }

    /// The token `n` places ahead (raw: newlines and comments included).
    fn tok(&self, n: usize) -> Token {
        self.pos
            .checked_add(n)
            .and_then(|i| self.toks.get(i))
            .copied()
            .unwrap_or_else(|| self.eof_token())
    }

    fn kind(&self) -> TokenKind {
        self.tok(0).kind
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.kind() == kind
    }

    fn text(&self, t: Token) -> &'s str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn span(&self, t: Token) -> Span {
        Span::new(self.file, t.start, t.end)
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(self.file, start, self.last_end.max(start))
    }

    /// Moves the inline block comments before the current token to `stray`.
    fn take_inline_comments(&mut self) {
        while let Some((at, text)) = self.inline.get(self.inline_next)
            && *at <= self.pos
        {
            self.stray.push(text.clone());
            self.inline_next += 1;
        }
    }

    fn bump(&mut self) -> Token {
        let t = self.tok(0);
        if t.kind != TokenKind::Eof {
            self.pos += 1;
            self.take_inline_comments();
            if !matches!(
                t.kind,
                TokenKind::Newline | TokenKind::Comment | TokenKind::Doc
            ) {
                self.last_end = t.end;
            }
        }
        t
    }

    fn prev_kind(&self) -> Option<TokenKind> {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map(|t| t.kind)
    }

    /// Is token `t` an identifier spelling keyword `kw` (ASCII case-insensitive)?
    fn is_kw(&self, t: Token, kw: &str) -> bool {
        t.kind == TokenKind::Ident && self.text(t).eq_ignore_ascii_case(kw)
    }

    fn at_kw(&self, kw: &str) -> bool {
        self.is_kw(self.tok(0), kw)
    }

    fn eat_kw(&mut self, kw: &str) -> Option<Token> {
        if self.at_kw(kw) {
            Some(self.bump())
        } else {
            None
        }
    }

    fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        if self.at(kind) {
            Some(self.bump())
        } else {
            None
        }
    }

    /// The identifier's text lower-cased, for keyword dispatch.
    fn lower(&self, t: Token) -> String {
        self.text(t).to_ascii_lowercase()
    }

    /// Does this token end a member (or item line)?
    fn ends_member(kind: TokenKind) -> bool {
        matches!(
            kind,
            TokenKind::Newline
                | TokenKind::Semi
                | TokenKind::RBrace
                | TokenKind::Comment
                | TokenKind::Doc
                | TokenKind::Eof
        )
    }

    fn at_member_end(&self) -> bool {
        Self::ends_member(self.kind())
    }

    /// Is the current token the first of its line?
    fn at_line_start(&self) -> bool {
        matches!(self.prev_kind(), None | Some(TokenKind::Newline))
    }

    /// Does the current token start in column 0?
    fn at_column_zero(&self) -> bool {
        let start = self.tok(0).start;
        start == 0 || self.src.as_bytes().get(start.wrapping_sub(1)) == Some(&b'\n')
    }

    /// A line that can only be the start of a new item: `entity X {`, `mixin X {`,
    /// `schema x {`, `enum x {`, `view x """`, `sql x """`, `materialized view`. Used to close
    /// a block whose `}` is missing.
    fn at_strong_item_start(&self) -> bool {
        if !self.at_line_start() {
            return false;
        }
        let (t0, t1, t2) = (self.tok(0), self.tok(1), self.tok(2));
        if t0.kind != TokenKind::Ident {
            return false;
        }
        let kw = self.lower(t0);
        match kw.as_str() {
            "entity" | "mixin" | "schema" | "enum" => {
                t1.kind == TokenKind::Ident && t2.kind == TokenKind::LBrace
            }
            "view" | "sql" => {
                t1.kind == TokenKind::Ident
                    && matches!(t2.kind, TokenKind::Block(_) | TokenKind::Backtick(_))
            }
            "materialized" => self.is_kw(t1, "view"),
            _ => false,
        }
    }

    // ----- trivia -------------------------------------------------------------------------

    /// A line comment's text without its `//` and one space; a block comment verbatim, with
    /// its delimiters (the formatter tells them apart by the `/*`, so a line comment whose text
    /// starts with `/*` keeps its space).
    fn comment_text(&self, t: Token) -> String {
        let raw = self.text(t);
        if raw.starts_with("/*") {
            return raw.trim_end().to_string();
        }
        let body = raw.strip_prefix("//").unwrap_or(raw);
        let body = match body.strip_prefix(' ') {
            Some(b) if !b.starts_with("/*") => b,
            _ => body,
        };
        body.trim_end().to_string()
    }

    fn doc_text(&self, t: Token) -> String {
        let raw = self.text(t);
        let body = raw.strip_prefix("///").unwrap_or(raw);
        let body = body.strip_prefix(' ').unwrap_or(body);
        body.trim_end().to_string()
    }

    /// Skips newlines, stray `;` and comments before a node, collecting them.
    fn collect_leading(&mut self) -> Leading {
        let mut lead = self.pending.take().unwrap_or_default();
        // Inline block comments met since the last member end come before this node.
        lead.comments.append(&mut self.stray);
        loop {
            let t = self.tok(0);
            match t.kind {
                TokenKind::Newline => {
                    if self.prev_kind() == Some(TokenKind::Newline) {
                        if lead.comments.is_empty() {
                            lead.blank = true;
                        } else {
                            lead.blank_after_comments = true;
                        }
                    }
                    self.bump();
                }
                TokenKind::Semi => {
                    self.bump();
                }
                TokenKind::Comment => {
                    // A blank line between two comment lines is not kept.
                    lead.blank_after_comments = false;
                    lead.comments.push(self.comment_text(t));
                    self.bump();
                }
                TokenKind::Doc => {
                    lead.doc.push(self.doc_text(t));
                    let sp = self.span(t);
                    lead.doc_span = Some(lead.doc_span.map_or(sp, |s| s.to(sp)));
                    self.bump();
                }
                _ => break,
            }
        }
        lead
    }

    /// Splits leading trivia into the doc (when the node can carry one) and the trivia.
    /// A doc where none is allowed is kept as plain comments, with a warning.
    fn split_leading(
        &mut self,
        lead: Leading,
        doc_allowed: bool,
        what: &str,
    ) -> (Option<String>, Trivia) {
        let Leading {
            mut comments,
            doc,
            doc_span,
            blank,
            blank_after_comments,
        } = lead;
        let mut out_doc = None;
        if !doc.is_empty() {
            if doc_allowed {
                out_doc = Some(doc.join("\n"));
            } else {
                if let Some(sp) = doc_span {
                    self.diags.push(
                        Diagnostic::warning(
                            codes::DETACHED_DOC,
                            format!("doc comment on {what}, which cannot carry documentation"),
                            "use `//` for a plain comment; `///` documents items, fields, \
                             relations, enum values and access patterns",
                        )
                        .at(sp),
                    );
                }
                comments.extend(doc);
            }
        }
        (
            out_doc,
            Trivia::from(ast::TriviaData {
                leading: comments,
                trailing: None,
                blank_line_before: blank,
                blank_line_after_comments: blank_after_comments,
                inner: Vec::new(),
            }),
        )
    }

    /// Comments left over at the end of a block (before `}` or at end of file).
    fn dangling(&mut self, lead: Leading, what: &str) -> Vec<String> {
        let (_, trivia) = self.split_leading(lead, false, what);
        trivia.into_data().leading
    }

    /// Ends a member or item line: an optional trailing comment, then a newline, `;`, the
    /// block's `}` or the end of the file.
    fn end_line(&mut self, trivia: &mut Trivia, what: &str) -> PResult<()> {
        trivia.append_leading(&mut self.stray);
        let t = self.tok(0);
        if self.at_line_start() {
            // The line already ended (a block closed early by a missing-`}` error).
            return Ok(());
        }
        match t.kind {
            TokenKind::Comment | TokenKind::Doc => {
                trivia.set_trailing(self.comment_text(t));
                self.bump();
                self.eat(TokenKind::Newline);
                Ok(())
            }
            TokenKind::Newline => {
                self.bump();
                Ok(())
            }
            TokenKind::Semi => {
                self.bump();
                let c = self.tok(0);
                if matches!(c.kind, TokenKind::Comment | TokenKind::Doc) {
                    trivia.set_trailing(self.comment_text(c));
                    self.bump();
                    self.eat(TokenKind::Newline);
                }
                Ok(())
            }
            TokenKind::RBrace | TokenKind::Eof => Ok(()),
            _ => Err(self.unexpected(
                &format!("end of line after {what}"),
                "start a new line (or write `;`) before the next member or item",
            )),
        }
    }

    /// After a block's `}`: a comment on the same line becomes the node's trailing comment
    /// (or, when it already has one, a leading comment of the next node).
    fn trailing_after_block(&mut self, trivia: &mut Trivia) {
        let t = self.tok(0);
        if matches!(t.kind, TokenKind::Comment | TokenKind::Doc) {
            let text = self.comment_text(t);
            self.bump();
            if trivia.trailing.is_none() {
                trivia.set_trailing(text);
            } else {
                self.pending
                    .get_or_insert_with(Leading::default)
                    .comments
                    .push(text);
            }
        }
    }

    /// A comment right after an opening `{` belongs to the block node.
    fn trailing_after_open(&mut self, trivia: &mut Trivia) {
        let t = self.tok(0);
        if matches!(t.kind, TokenKind::Comment | TokenKind::Doc) {
            trivia.set_trailing(self.comment_text(t));
            self.bump();
        }
    }

    /// Skips newlines and comments inside parentheses; comments move above the member.
    fn skip_nl(&mut self) {
        loop {
            let t = self.tok(0);
            match t.kind {
                TokenKind::Newline => {
                    self.bump();
                }
                TokenKind::Comment => {
                    self.stray.push(self.comment_text(t));
                    self.bump();
                }
                TokenKind::Doc => {
                    self.stray.push(self.doc_text(t));
                    self.bump();
                }
                _ => break,
            }
        }
    }

    // ----- errors -------------------------------------------------------------------------

    /// A short description of a token for messages: "`foo`", "end of line", ...
    fn describe(&self, t: Token) -> String {
        fn clip(s: &str) -> String {
            let mut out: String = s.chars().take(24).collect();
            if s.chars().count() > 24 {
                out.push('…');
            }
            out
        }
        match t.kind {
            TokenKind::Newline => "end of line".into(),
            TokenKind::Eof => "end of file".into(),
            TokenKind::Comment => "a comment".into(),
            TokenKind::Doc => "a doc comment".into(),
            TokenKind::Ident => format!("`{}`", clip(self.text(t))),
            TokenKind::Number => format!("number `{}`", clip(self.text(t))),
            TokenKind::Str(_) => format!("string {}", clip(self.text(t))),
            TokenKind::Block(_) => "a `\"\"\"` SQL block".into(),
            TokenKind::Backtick(_) => "a `` ` `` SQL literal".into(),
            TokenKind::Error => format!("`{}`", clip(self.text(t))),
            _ => format!("`{}`", self.text(t)),
        }
    }

    fn report(&mut self, d: Diagnostic) -> Reported {
        self.diags.push(d);
        Reported
    }

    /// Reports the current token as unexpected. Lexical problems (a stray character, an
    /// unterminated literal) get their own codes.
    fn unexpected(&mut self, expected: &str, help: &str) -> Reported {
        self.unexpected_code(codes::EXPECTED, expected, help)
    }

    /// [`Self::unexpected`] with another code for the plain "expected X, found Y" case.
    fn unexpected_code(&mut self, code: &'static str, expected: &str, help: &str) -> Reported {
        let t = self.tok(0);
        let d = match t.kind {
            TokenKind::Error => {
                // Point at the first offending character; name the word it sits in.
                let text = self.text(t);
                let (off, bad) = text
                    .char_indices()
                    .find(|(_, c)| !unicode_ident::is_xid_continue(*c))
                    .unwrap_or((0, ' '));
                let bad_len = text.get(off..).map_or(1, |r| {
                    r.chars()
                        .take_while(|c| !unicode_ident::is_xid_continue(*c))
                        .map(char::len_utf8)
                        .sum()
                });
                let bad_text = text.get(off..off + bad_len).unwrap_or("");
                let message = if bad_text.len() == text.len() || bad == ' ' {
                    format!(
                        "unexpected character {}, expected {expected}",
                        self.describe(t)
                    )
                } else {
                    let word: String = text.chars().take(32).collect();
                    format!("unexpected character `{bad_text}` in `{word}`, expected {expected}")
                };
                Diagnostic::error(
                    codes::UNEXPECTED_CHAR,
                    message,
                    "remove it; names use letters, digits and `_`, strings use `\"`, \
                     SQL uses `` ` `` or `\"\"\"`",
                )
                .at(Span::new(
                    self.file,
                    t.start + off,
                    t.start + off + bad_len.max(1),
                ))
            }
            TokenKind::Str(Closed::No) => return self.unterminated(t),
            TokenKind::Block(Closed::No) | TokenKind::Backtick(Closed::No) => {
                return self.unterminated(t);
            }
            _ => Diagnostic::error(
                code,
                format!("expected {expected}, found {}", self.describe(t)),
                help,
            )
            .at(self.error_span(t)),
        };
        self.report(d)
    }

    /// Span to point at for a token in an error: a newline or the end of the file points
    /// just after the previous token.
    fn error_span(&self, t: Token) -> Span {
        match t.kind {
            TokenKind::Newline | TokenKind::Eof => {
                Span::new(self.file, self.last_end, self.last_end)
            }
            _ => self.span(t),
        }
    }

    fn unterminated(&mut self, t: Token) -> Reported {
        if self.unterminated_seen.contains(&t.start) {
            return Reported;
        }
        self.unterminated_seen.push(t.start);
        let d = match t.kind {
            TokenKind::Str(_) => Diagnostic::error(
                codes::UNTERMINATED_STRING,
                "unterminated string literal",
                "close the string with `\"` on the same line (write `\\n` for a line break)",
            )
            .at(Span::new(self.file, t.start, t.start + 1)),
            TokenKind::Block(_) => Diagnostic::error(
                codes::UNTERMINATED_SQL,
                "unterminated SQL block: this `\"\"\"` is never closed",
                "close the SQL block with `\"\"\"`",
            )
            .at(Span::new(self.file, t.start, t.start + 3)),
            _ => Diagnostic::error(
                codes::UNTERMINATED_SQL,
                "unterminated SQL literal: this `` ` `` is never closed",
                "close the SQL literal with a matching `` ` ``",
            )
            .at(Span::new(self.file, t.start, t.start + 1)),
        };
        self.report(d)
    }

    /// E1011: `what` given twice on `owner`.
    fn duplicate(&mut self, what: &str, owner: &str, here: Span, first: Span) -> Reported {
        self.report(
            Diagnostic::error(
                codes::DUPLICATE_ATTRIBUTE,
                format!("duplicate {what} on `{owner}`"),
                "remove one of them",
            )
            .at(here)
            .with_label(first, "first given here"),
        )
    }

    /// E1012: `}` missing for the block opened at `open`, noticed at the current token.
    fn missing_brace(&mut self, open: Span, what: &str) -> Reported {
        let t = self.tok(0);
        if t.kind == TokenKind::Eof && self.prev_kind() == Some(TokenKind::Block(Closed::No)) {
            // An unterminated `"""` (already reported) swallowed the rest of the file.
            return Reported;
        }
        let here = match t.kind {
            TokenKind::Eof => self.error_span(t),
            _ => self.span(t),
        };
        let found = self.describe(t);
        self.report(
            Diagnostic::error(
                codes::MISSING_BRACE,
                format!("missing `}}` to close {what}, found {found}"),
                "add the closing `}` at the end of the block",
            )
            .at(here)
            .with_label(open, "this `{` is never closed"),
        )
    }

    // ----- recovery -----------------------------------------------------------------------

    /// After an error in a member: skip to the end of its line (or `;`), or up to the `}`
    /// that closes the enclosing block. Braces opened on the way are skipped as a whole.
    fn recover_member(&mut self) {
        self.stray.clear();
        let mut depth = 0usize;
        loop {
            let t = self.tok(0);
            match t.kind {
                TokenKind::Eof => break,
                TokenKind::RBrace if depth == 0 => break,
                TokenKind::Newline | TokenKind::Semi if depth == 0 => {
                    self.bump();
                    break;
                }
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace => depth = depth.saturating_sub(1),
                TokenKind::Block(Closed::No) => {
                    self.unterminated(t);
                }
                _ => {
                    if depth > 0 && self.at_strong_item_start() {
                        break;
                    }
                }
            }
            self.bump();
        }
    }

    /// After an error at item level: skip at least one token, then up to the next line that
    /// starts with an item keyword outside any braces (or an unindented `entity X {`-like
    /// line even inside unbalanced braces).
    fn recover_item(&mut self, in_block: bool) {
        self.stray.clear();
        let mut depth = 0usize;
        let mut first = true;
        loop {
            let t = self.tok(0);
            if t.kind == TokenKind::Eof {
                break;
            }
            if !first {
                if depth == 0 {
                    if t.kind == TokenKind::RBrace && in_block {
                        break;
                    }
                    if self.at_line_start()
                        && (t.kind == TokenKind::Doc
                            || (t.kind == TokenKind::Ident
                                && ITEM_KEYWORDS.contains(&self.lower(t).as_str())))
                    {
                        break;
                    }
                } else if self.at_column_zero() && self.at_strong_item_start() {
                    break;
                }
            }
            first = false;
            match t.kind {
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace => depth = depth.saturating_sub(1),
                TokenKind::Block(Closed::No) => {
                    self.unterminated(t);
                }
                _ => {}
            }
            self.bump();
        }
    }
}

/// Trivia of any item, for attaching comments after it is parsed.
fn item_trivia_mut(item: &mut ast::Item) -> &mut Trivia {
    use ast::Item;
    match item {
        Item::Conventions(x) => &mut x.trivia,
        Item::Schema(x) => &mut x.trivia,
        Item::Extension(x) => &mut x.trivia,
        Item::Enum(x) => &mut x.trivia,
        Item::Domain(x) => &mut x.trivia,
        Item::Mixin(x) => &mut x.trivia,
        Item::Entity(x) => &mut x.trivia,
        Item::View(x) => &mut x.trivia,
        Item::Sql(x) => &mut x.trivia,
        Item::Sequence(x) => &mut x.trivia,
    }
}

/// Trivia of any member.
fn member_trivia_mut(m: &mut ast::Member) -> &mut Trivia {
    use ast::Member;
    match m {
        Member::Field(x) => &mut x.trivia,
        Member::Relation(x) => &mut x.trivia,
        Member::Use(x) => &mut x.trivia,
        Member::Index(x) => &mut x.trivia,
        Member::Unique(x) => &mut x.trivia,
        Member::Check(x) => &mut x.trivia,
        Member::Exclude(x) => &mut x.trivia,
        Member::PrimaryKey(x) => &mut x.trivia,
        Member::SoftDelete(x) | Member::Audit(x) => &mut x.trivia,
        Member::Rows(x) => &mut x.trivia,
        Member::Stats(x) => &mut x.trivia,
        Member::Access(x) => &mut x.trivia,
        Member::Partition(x) => &mut x.trivia,
        Member::Distribute(x) => &mut x.trivia,
        Member::Tenant(x) => &mut x.trivia,
        Member::Policy(x) => &mut x.trivia,
        Member::Grant(x) => &mut x.trivia,
        Member::TableName(x) => &mut x.trivia,
        Member::RenamedFrom(x) => &mut x.trivia,
        Member::Conventions(x) => &mut x.trivia,
    }
}

/// Closest keyword within edit distance 2, for "did you mean" hints.
fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.to_ascii_lowercase();
    if w.chars().count() > 40 {
        return None;
    }
    candidates
        .iter()
        .map(|c| (levenshtein(&w, c), *c))
        .filter(|(d, c)| *d <= 2 && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// `help` plus a "did you mean" hint when `word` is close to one of `candidates`.
fn with_suggestion(help: &str, word: &str, candidates: &[&str]) -> String {
    match suggest(word, candidates) {
        Some(s) if !s.eq_ignore_ascii_case(word) => format!("did you mean `{s}`? {help}"),
        _ => help.to_string(),
    }
}
