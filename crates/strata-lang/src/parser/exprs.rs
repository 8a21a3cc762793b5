//! Small pieces: names, strings, SQL literals, types, defaults, numbers, lists, keys and
//! partition bound values.

use strata_diagnostics::{Diagnostic, Span};

use super::{PResult, Parser};
use crate::ast::*;
use crate::codes;
use crate::lexer::{Closed, Token, TokenKind};

/// PostgreSQL accepts at most 6 array dimensions.
const MAX_ARRAY_DIMS: u8 = 6;

impl Parser<'_> {
    pub(super) fn ident(&self, t: Token) -> Ident {
        Ident {
            name: self.text(t).to_string(),
            span: self.span(t),
        }
    }

    /// An identifier whose spelling is a keyword of ours: stored lower-case.
    pub(super) fn keyword_ident(&self, t: Token) -> Ident {
        Ident {
            name: self.lower(t),
            span: self.span(t),
        }
    }

    pub(super) fn expect_ident(&mut self, expected: &str, help: &str) -> PResult<Ident> {
        let t = self.tok(0);
        if t.kind == TokenKind::Ident {
            self.bump();
            Ok(self.ident(t))
        } else {
            Err(self.unexpected(expected, help))
        }
    }

    pub(super) fn expect(&mut self, kind: TokenKind, expected: &str, help: &str) -> PResult<Token> {
        if self.at(kind) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected, help))
        }
    }

    pub(super) fn expect_kw(&mut self, kw: &str, expected: &str, help: &str) -> PResult<Token> {
        if self.at_kw(kw) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected, help))
        }
    }

    /// `a, b, c` (at least one name).
    pub(super) fn comma_idents(&mut self, expected: &str, help: &str) -> PResult<Vec<Ident>> {
        let mut out = vec![self.expect_ident(expected, help)?];
        while self.eat(TokenKind::Comma).is_some() {
            out.push(self.expect_ident(expected, help)?);
        }
        Ok(out)
    }

    // ----- literals -----------------------------------------------------------------------

    /// A `"string"` at the current token, escapes resolved.
    pub(super) fn parse_str(&mut self) -> PResult<Str> {
        let t = self.tok(0);
        match t.kind {
            TokenKind::Str(Closed::Yes) => {}
            TokenKind::Str(Closed::No) => return Err(self.unterminated(t)),
            _ => {
                return Err(self.unexpected(
                    "a string in double quotes",
                    "write strings in double quotes, like \"text\"",
                ));
            }
        }
        self.bump();
        let raw = self.text(t);
        let inner = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or("");
        let mut value = String::with_capacity(inner.len());
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                other => {
                    let esc_len = 1 + other.map_or(0, |(_, c)| c.len_utf8());
                    let start = t.start + 1 + i;
                    let shown = raw.get(1 + i..1 + i + esc_len).unwrap_or("\\");
                    return Err(self.report(
                        Diagnostic::error(
                            codes::INVALID_ESCAPE,
                            format!("invalid escape `{shown}` in string"),
                            "valid escapes are \\\" \\\\ \\n \\t; write a backslash as \\\\",
                        )
                        .at(Span::new(self.file, start, start + esc_len)),
                    ));
                }
            }
        }
        Ok(Str {
            value,
            span: self.span(t),
        })
    }

    /// `` `expr` `` or `"""block"""`; the span covers the content only.
    pub(super) fn parse_sql(&mut self, expected: &str, help: &str) -> PResult<SqlText> {
        let t = self.tok(0);
        let (block, delim) = match t.kind {
            TokenKind::Block(Closed::Yes) => (true, 3),
            TokenKind::Backtick(Closed::Yes) => (false, 1),
            TokenKind::Block(Closed::No) | TokenKind::Backtick(Closed::No) => {
                return Err(self.unterminated(t));
            }
            _ => return Err(self.unexpected(expected, help)),
        };
        self.bump();
        let (start, end) = (t.start + delim, t.end.saturating_sub(delim));
        Ok(SqlText {
            text: self.src.get(start..end).unwrap_or("").to_string(),
            span: Span::new(self.file, start, end),
            block,
        })
    }

    // ----- numbers ------------------------------------------------------------------------

    fn invalid_number(&mut self, t: Token, message: String, help: &str) -> super::Reported {
        self.report(Diagnostic::error(codes::INVALID_NUMBER, message, help).at(self.span(t)))
    }

    /// A plain non-negative integer token (`12`).
    pub(super) fn parse_int(&mut self, what: &str) -> PResult<(i64, Span)> {
        let t = self.tok(0);
        if t.kind != TokenKind::Number {
            return Err(self.unexpected(what, "write a whole number, like 12"));
        }
        self.bump();
        let text = self.text(t);
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.invalid_number(
                t,
                format!("invalid number `{text}`, expected {what}"),
                "write a whole number using digits only, like 12",
            ));
        }
        match text.parse::<i64>() {
            Ok(v) => Ok((v, self.span(t))),
            Err(_) => Err(self.invalid_number(
                t,
                format!("number `{text}` is too large"),
                "the largest accepted value is 9223372036854775807",
            )),
        }
    }

    /// `12` or `-12`.
    pub(super) fn parse_signed_int(&mut self, what: &str) -> PResult<(i64, Span)> {
        let minus = self.eat(TokenKind::Minus);
        let (v, span) = self.parse_int(what)?;
        match minus {
            Some(m) => Ok((-v, self.span(m).to(span))),
            None => Ok((v, span)),
        }
    }

    /// A decimal literal kept as written: `12`, `0.5`, `-1` (sign included).
    pub(super) fn parse_decimal_text(&mut self, what: &str) -> PResult<(String, Span)> {
        let minus = self.eat(TokenKind::Minus);
        let t = self.tok(0);
        if t.kind != TokenKind::Number {
            return Err(self.unexpected(what, "write a number like 42 or 0.5"));
        }
        self.bump();
        let text = self.text(t);
        if !is_decimal(text, false) {
            return Err(self.invalid_number(
                t,
                format!("invalid number `{text}`, expected {what}"),
                "write a number with digits and an optional decimal point, like 42 or 0.5",
            ));
        }
        let span = minus.map_or(self.span(t), |m| self.span(m).to(self.span(t)));
        let text = if minus.is_some() {
            format!("-{text}")
        } else {
            text.to_string()
        };
        Ok((text, span))
    }

    /// `rows` count: digits with `_` separators and an optional K/M/B suffix.
    pub(super) fn parse_row_count(&mut self) -> PResult<(u64, Span)> {
        let t = self.tok(0);
        let help = "write a whole number with an optional K, M or B suffix, like 10M or 250_000";
        match t.kind {
            TokenKind::Number => {}
            TokenKind::Minus => {
                return Err(self.invalid_number(t, "a row count cannot be negative".into(), help));
            }
            _ => return Err(self.unexpected("a row count after `rows`", help)),
        }
        self.bump();
        let text = self.text(t);
        let head = text.get(..text.len().saturating_sub(1)).unwrap_or("");
        let (digits, mult) = match text.as_bytes().last() {
            Some(b'k' | b'K') => (head, 1_000u64),
            Some(b'm' | b'M') => (head, 1_000_000),
            Some(b'b' | b'B') => (head, 1_000_000_000),
            _ => (text, 1),
        };
        let valid = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            && digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
        if !valid {
            return Err(self.invalid_number(t, format!("invalid row count `{text}`"), help));
        }
        let mut value: u64 = 0;
        for b in digits.bytes().filter(u8::is_ascii_digit) {
            value = match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
            {
                Some(v) => v,
                None => return Err(self.row_overflow(t, text)),
            };
        }
        match value.checked_mul(mult) {
            Some(v) => Ok((v, self.span(t))),
            None => Err(self.row_overflow(t, text)),
        }
    }

    fn row_overflow(&mut self, t: Token, text: &str) -> super::Reported {
        self.invalid_number(
            t,
            format!("row count `{text}` does not fit in 64 bits"),
            "row estimates go up to 18446744073709551615 (about 18446744073B)",
        )
    }

    // ----- types and defaults -------------------------------------------------------------

    /// `name[(args)][[]...]`
    pub(super) fn parse_type(&mut self, expected: &str, help: &str) -> PResult<TypeExpr> {
        let raw = matches!(self.kind(), TokenKind::Backtick(_));
        let name = if raw {
            let sql = self.parse_sql(expected, help)?;
            Ident {
                name: sql.text.trim().to_string(),
                span: sql.span,
            }
        } else {
            let mut name = self.expect_ident(expected, help)?;
            // PostgreSQL's two-word spelling: `double precision` is `double`.
            if name.name.eq_ignore_ascii_case("double") && self.at_kw("precision") {
                let t = self.bump();
                name = Ident {
                    name: format!("{} {}", name.name, self.text(t)),
                    span: name.span.to(self.span(t)),
                };
            }
            name
        };
        let mut args = Vec::new();
        if !raw && self.at(TokenKind::LParen) {
            args = self.paren_list("type arguments", |p| {
                let t = p.tok(0);
                match t.kind {
                    TokenKind::Number => {
                        let (v, span) = p.parse_int("a type argument")?;
                        Ok(TypeArg::Int(v, span))
                    }
                    TokenKind::Ident => {
                        p.bump();
                        Ok(TypeArg::Word(p.ident(t)))
                    }
                    _ => Err(p.unexpected(
                        "a type argument (a number or a word)",
                        "write type arguments like `numeric(12, 2)` or `text(100)`",
                    )),
                }
            })?;
        }
        let mut array_dims: u8 = 0;
        while let Some(open) = self.eat(TokenKind::LBracket) {
            self.expect(
                TokenKind::RBracket,
                "`]` after `[`",
                "array types are written `text[]`, without a size",
            )?;
            if array_dims >= MAX_ARRAY_DIMS {
                return Err(self.report(
                    Diagnostic::error(
                        codes::EXPECTED,
                        format!("expected at most {MAX_ARRAY_DIMS} array dimensions, found more"),
                        "PostgreSQL arrays have at most 6 dimensions",
                    )
                    .at(self.span(open)),
                ));
            }
            array_dims += 1;
        }
        let span = name.span.to(self.span_from(name.span.start as usize));
        Ok(TypeExpr {
            name,
            args,
            array_dims,
            raw,
            span,
        })
    }

    /// The value after `=`.
    pub(super) fn parse_default(&mut self) -> PResult<DefaultExpr> {
        let t = self.tok(0);
        let expected = "a default value after `=`";
        let help = "a default is a number, a \"string\", true, false, null, an enum value, \
                    a call like now() or SQL in backticks";
        match t.kind {
            TokenKind::Number | TokenKind::Minus => {
                let (text, span) = self.parse_decimal_text(expected)?;
                Ok(DefaultExpr::Number(text, span))
            }
            TokenKind::Str(_) => Ok(DefaultExpr::Str(self.parse_str()?)),
            TokenKind::Block(_) | TokenKind::Backtick(_) => {
                Ok(DefaultExpr::Sql(self.parse_sql(expected, help)?))
            }
            TokenKind::Ident => {
                self.bump();
                let lower = self.lower(t);
                match lower.as_str() {
                    "true" => return Ok(DefaultExpr::Bool(true, self.span(t))),
                    "false" => return Ok(DefaultExpr::Bool(false, self.span(t))),
                    "null" => return Ok(DefaultExpr::Null(self.span(t))),
                    _ => {}
                }
                if self.at(TokenKind::LParen) {
                    self.bump();
                    if self.eat(TokenKind::RParen).is_none() {
                        return Err(self.unexpected(
                            "`)`: default calls take no arguments",
                            "write a call with arguments as SQL in backticks: = `now() + interval '1 day'`",
                        ));
                    }
                    return Ok(DefaultExpr::Call(self.ident(t)));
                }
                Ok(DefaultExpr::Word(self.ident(t)))
            }
            _ => Err(self.unexpected(expected, help)),
        }
    }

    // ----- lists and keys -----------------------------------------------------------------

    /// After an element of a parenthesised list: newlines are fine only when the list goes on
    /// (`,` or `)` on a later line); otherwise the `(` was probably never closed.
    fn list_continues_after_newline(&self) -> bool {
        let mut n = 0;
        loop {
            match self.tok(n).kind {
                TokenKind::Newline | TokenKind::Comment | TokenKind::Doc => n += 1,
                TokenKind::Comma | TokenKind::RParen => return true,
                _ => return false,
            }
        }
    }

    /// `( item, item, ... )` with at least one item; newlines allowed inside.
    pub(super) fn paren_list<T>(
        &mut self,
        what: &str,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.expect(
            TokenKind::LParen,
            &format!("`(` to start a list of {what}"),
            "lists are written in parentheses, separated by commas: (a, b)",
        )?;
        let mut out = Vec::new();
        loop {
            self.skip_nl();
            if !out.is_empty() && self.eat(TokenKind::RParen).is_some() {
                break;
            }
            out.push(item(self)?);
            if matches!(
                self.kind(),
                TokenKind::Newline | TokenKind::Comment | TokenKind::Doc
            ) && self.list_continues_after_newline()
            {
                self.skip_nl();
            }
            if self.eat(TokenKind::Comma).is_some() {
                continue;
            }
            if self.eat(TokenKind::RParen).is_some() {
                break;
            }
            return Err(self.unexpected(
                &format!("`,` or `)` in the list of {what}"),
                "separate list items with commas and close the list with `)`",
            ));
        }
        out.shrink_to_fit();
        Ok(out)
    }

    /// `(a, b)`
    pub(super) fn ident_list(&mut self, what: &str) -> PResult<Vec<Ident>> {
        self.paren_list(what, |p| {
            p.expect_ident(
                &format!("{what} (a name)"),
                "write column names separated by commas: (a, b)",
            )
        })
    }

    /// A column name or `` `expression` ``.
    pub(super) fn parse_key_expr(&mut self) -> PResult<KeyExpr> {
        let t = self.tok(0);
        match t.kind {
            TokenKind::Ident => {
                self.bump();
                Ok(KeyExpr::Column(self.ident(t)))
            }
            TokenKind::Block(_) | TokenKind::Backtick(_) => Ok(KeyExpr::Sql(self.parse_sql(
                "a column name or an `expression`",
                "write an expression key in backticks: `lower(email)`",
            )?)),
            _ => Err(self.unexpected(
                "a column name or an `expression`",
                "a key is a column name or an expression in backticks: `lower(email)`",
            )),
        }
    }

    /// `key [opclass] [asc|desc] [nulls first|last]`. In an exclusion constraint `with`
    /// follows the key, so it is never read as an operator class.
    pub(super) fn parse_index_key(&mut self, exclusion: bool) -> PResult<IndexKeyDecl> {
        let start = self.tok(0).start;
        let expr = self.parse_key_expr()?;
        let mut opclass = None;
        let t = self.tok(0);
        if t.kind == TokenKind::Ident {
            let w = self.lower(t);
            let reserved =
                matches!(w.as_str(), "asc" | "desc" | "nulls") || (exclusion && w == "with");
            if !reserved {
                self.bump();
                opclass = Some(self.ident(t));
            }
        }
        let mut descending = false;
        if self.eat_kw("desc").is_some() {
            descending = true;
        } else {
            self.eat_kw("asc");
        }
        let mut nulls_first = None;
        if self.eat_kw("nulls").is_some() {
            if self.eat_kw("first").is_some() {
                nulls_first = Some(true);
            } else if self.eat_kw("last").is_some() {
                nulls_first = Some(false);
            } else {
                return Err(self.unexpected(
                    "`first` or `last` after `nulls`",
                    "write `nulls first` or `nulls last`",
                ));
            }
        }
        Ok(IndexKeyDecl {
            expr,
            opclass,
            descending,
            nulls_first,
            span: self.span_from(start),
        })
    }

    /// One partition bound value: "string", number, `minvalue`, `maxvalue`.
    pub(super) fn parse_bound_value(&mut self) -> PResult<BoundValue> {
        let t = self.tok(0);
        let expected = "a bound value (a \"string\", a number, `minvalue` or `maxvalue`)";
        match t.kind {
            TokenKind::Str(_) => Ok(BoundValue::Str(self.parse_str()?)),
            TokenKind::Number | TokenKind::Minus => {
                let (text, span) = self.parse_decimal_text(expected)?;
                if self.at(TokenKind::Minus) || self.at(TokenKind::Slash) {
                    // `2025-01-01`: an unquoted date.
                    return Err(self.unexpected(
                        "`to`, `,` or `)` after a bound value",
                        "quote dates and timestamps: \"2025-01-01\"",
                    ));
                }
                Ok(BoundValue::Number(text, span))
            }
            TokenKind::Ident if self.at_kw("minvalue") || self.at_kw("maxvalue") => {
                self.bump();
                Ok(BoundValue::Word(self.keyword_ident(t)))
            }
            _ => Err(self.unexpected(
                expected,
                "quote dates and text (\"2025-01-01\"); use `minvalue`/`maxvalue` for open ends",
            )),
        }
    }

    /// A bound: one value, or `(v, v, ...)` for a multi-column key.
    pub(super) fn parse_bound(&mut self) -> PResult<Vec<BoundValue>> {
        if self.at(TokenKind::LParen) {
            self.paren_list("bound values", |p| p.parse_bound_value())
        } else {
            Ok(vec![self.parse_bound_value()?])
        }
    }
}

/// `12`, `0.5`, and with `underscores` also `1_000.5`.
pub(crate) fn is_decimal(text: &str, underscores: bool) -> bool {
    let digit = |b: u8| b.is_ascii_digit() || (underscores && b == b'_');
    let mut parts = text.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let int_ok = int.bytes().next().is_some_and(|b| b.is_ascii_digit()) && int.bytes().all(digit);
    let frac_ok = frac.is_none_or(|f| {
        f.bytes().next().is_some_and(|b| b.is_ascii_digit()) && f.bytes().all(digit)
    });
    int_ok && frac_ok
}
