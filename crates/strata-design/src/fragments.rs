//! SQL written in backticks inside a `.strata` file is pasted into the DDL Strata builds
//! (`DEFAULT …`, `CHECK (…)`, `WHERE …`, a column type, …). A fragment that could end the
//! statement it is pasted into, or add a clause to it, would let a schema run SQL nobody
//! reviewed when the built DDL is applied. So every fragment must be exactly one thing of its
//! kind — one expression, one type, one operator, one query — or it is refused here, before
//! anything is lowered.
//!
//! Beyond parsing, a fragment may hold no `;` and no comment (either could end the statement
//! or hide the rest of it), and no string literal whose end PostgreSQL would read differently
//! with `standard_conforming_strings` off (a backslash escaping its closing quote).

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};
use strata_diagnostics::{Diagnostic, FileId, Span};
use strata_lang::ast::{self, BoundValue, DefaultExpr, FieldAttr, Item, KeyExpr, Member, SqlText};
use strata_model::{Model, TypeRef};

use crate::codes;

/// Deepest nesting of parentheses, calls and operators sqlparser descends into. Far beyond
/// what a real expression or query needs, far below what overflows the stack.
pub(crate) const MAX_DEPTH: usize = 48;

/// Most operators one fragment or access pattern may hold. sqlparser builds a left-deep tree
/// for a chain like `a AND b AND c` without recursing, so [`MAX_DEPTH`] does not bound that
/// tree's depth, and every later walk over it (analysis, clone, drop) recurses once per
/// operator. Real expressions and queries use a few dozen.
pub(crate) const MAX_OPERATORS: usize = 256;

/// Most tokens one fragment or access pattern may hold, to keep its analysis cheap.
pub(crate) const MAX_TOKENS: usize = 20_000;

/// What a fragment must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One scalar expression (defaults, checks, generated columns, predicates, index keys).
    Expr,
    /// One column type.
    Type,
    /// One operator (`exclude ... with`).
    Operator,
    /// One query: a view's body (comments allowed; only a trailing `;`).
    Query,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Expr => "one SQL expression",
            Kind::Type => "one PostgreSQL type",
            Kind::Operator => "one operator",
            Kind::Query => "one query",
        }
    }
}

/// Checks every fragment of every file; reports each bad one once.
pub(crate) fn check_files(files: &[(FileId, ast::File)], diags: &mut Vec<Diagnostic>) {
    for (_, file) in files {
        for item in &file.items {
            check_item(item, diags);
        }
    }
}

fn check_item(item: &Item, diags: &mut Vec<Diagnostic>) {
    match item {
        Item::Schema(s) => s.items.iter().for_each(|i| check_item(i, diags)),
        Item::Domain(d) => {
            check_type(&d.ty, "the domain's type", diags);
            if let Some(DefaultExpr::Sql(s)) = &d.default {
                check(s, Kind::Expr, "the domain's default", diags);
            }
            for c in &d.checks {
                check(c, Kind::Expr, "the domain's check", diags);
            }
        }
        Item::Entity(e) => e.members.iter().for_each(|m| check_member(m, diags)),
        Item::Mixin(m) => m.members.iter().for_each(|m| check_member(m, diags)),
        Item::View(v) => {
            check(&v.sql, Kind::Query, "the view's query", diags);
        }
        // `sql` blocks are the declared escape hatch: arbitrary DDL by design (docs/security.md).
        Item::Sql(_)
        | Item::Conventions(_)
        | Item::Extension(_)
        | Item::Enum(_)
        | Item::Sequence(_) => {}
    }
}

fn check_member(m: &Member, diags: &mut Vec<Diagnostic>) {
    let key = |k: &KeyExpr, what: &str, diags: &mut Vec<Diagnostic>| {
        if let KeyExpr::Sql(s) = k {
            check(s, Kind::Expr, what, diags);
        }
    };
    match m {
        Member::Field(f) => {
            check_type(&f.ty, "the field's type", diags);
            for a in &f.attrs {
                match a {
                    FieldAttr::Default(DefaultExpr::Sql(s)) => {
                        check(s, Kind::Expr, "the default", diags);
                    }
                    FieldAttr::Check(s) => {
                        check(s, Kind::Expr, "the check", diags);
                    }
                    FieldAttr::Generated(s) | FieldAttr::GeneratedVirtual(s) => {
                        check(s, Kind::Expr, "the generated expression", diags);
                    }
                    // Listed one by one so a new attribute holding SQL cannot be missed here.
                    FieldAttr::Default(_)
                    | FieldAttr::Unique(_)
                    | FieldAttr::Index(_)
                    | FieldAttr::PrimaryKey(_)
                    | FieldAttr::Identity(_)
                    | FieldAttr::IdentityByDefault(_)
                    | FieldAttr::Collate(_)
                    | FieldAttr::Map(_)
                    | FieldAttr::RenamedFrom(_) => {}
                }
            }
        }
        Member::Index(i) => {
            for k in &i.keys {
                key(&k.expr, "the index key", diags);
            }
            if let Some(p) = &i.predicate {
                check(p, Kind::Expr, "the index predicate", diags);
            }
        }
        Member::Check(c) => {
            check(&c.expr, Kind::Expr, "the check", diags);
        }
        Member::Exclude(x) => {
            for el in &x.elements {
                key(&el.key.expr, "the exclusion key", diags);
                check(
                    &el.operator,
                    Kind::Operator,
                    "the exclusion operator",
                    diags,
                );
            }
            if let Some(p) = &x.predicate {
                check(p, Kind::Expr, "the exclusion predicate", diags);
            }
        }
        Member::Partition(p) => {
            for k in &p.keys {
                key(k, "the partition key", diags);
            }
        }
        Member::Policy(p) => {
            if let Some(u) = &p.using {
                check(u, Kind::Expr, "the policy's `using`", diags);
            }
            if let Some(c) = &p.check {
                check(c, Kind::Expr, "the policy's `check`", diags);
            }
        }
        // Access patterns are parsed (and bounded) where they are analysed. The rest hold no
        // SQL; they are listed one by one so a new member holding SQL cannot be missed here.
        Member::Access(_)
        | Member::Relation(_)
        | Member::Use(_)
        | Member::Unique(_)
        | Member::PrimaryKey(_)
        | Member::SoftDelete(_)
        | Member::Audit(_)
        | Member::Rows(_)
        | Member::Stats(_)
        | Member::Distribute(_)
        | Member::Tenant(_)
        | Member::Grant(_)
        | Member::TableName(_)
        | Member::RenamedFrom(_)
        | Member::Conventions(_) => {}
    }
}

fn check_type(t: &ast::TypeExpr, what: &str, diags: &mut Vec<Diagnostic>) {
    if t.raw {
        let sql = SqlText {
            text: t.name.name.clone(),
            span: t.name.span,
            block: false,
        };
        check(&sql, Kind::Type, what, diags);
    }
}

/// Checks one fragment; `what` names its place ("the default"). Returns whether it passed.
pub(crate) fn check(sql: &SqlText, kind: Kind, what: &str, diags: &mut Vec<Diagnostic>) -> bool {
    match validate(&sql.text, kind) {
        Ok(()) => true,
        Err(p) => {
            diags.push(p.into_diagnostic(sql, kind, what));
            false
        }
    }
}

/// Refuses SQL too long to analyse safely (E2021) before it is parsed and walked; `what`
/// names it ("access pattern `x`").
pub(crate) fn within_limits(sql: &SqlText, what: &str, diags: &mut Vec<Diagnostic>) -> bool {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, &sql.text).tokenize_with_location()
    else {
        // The parser reports what does not tokenize.
        return true;
    };
    match size(&tokens) {
        Ok(()) => true,
        Err(p) => {
            diags.push(p.into_diagnostic(sql, Kind::Query, what));
            false
        }
    }
}

/// Refuses token lists too long, or with too many operators, to analyse safely.
fn size(tokens: &[TokenWithSpan]) -> Result<(), Problem> {
    let significant = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .count();
    let operators = tokens.iter().filter(|t| is_operator(&t.token)).count();
    if significant > MAX_TOKENS {
        return Err(Problem::new(
            codes::FRAGMENT_TOO_DEEP,
            format!(
                "holds {significant} tokens; at most {MAX_TOKENS} are accepted, to keep analysis bounded"
            ),
            None,
        ));
    }
    if operators > MAX_OPERATORS {
        return Err(Problem::new(
            codes::FRAGMENT_TOO_DEEP,
            format!(
                "holds {operators} operators; at most {MAX_OPERATORS} are accepted, because each one nests the expression a level deeper"
            ),
            None,
        ));
    }
    Ok(())
}

/// A token that joins two operands (and so adds a level to the expression tree).
fn is_operator(t: &Token) -> bool {
    use sqlparser::keywords::Keyword;
    match t {
        Token::Word(w) => matches!(
            w.keyword,
            Keyword::AND
                | Keyword::OR
                | Keyword::NOT
                | Keyword::IS
                | Keyword::LIKE
                | Keyword::ILIKE
                | Keyword::SIMILAR
                | Keyword::COLLATE
                | Keyword::AT
        ),
        Token::Whitespace(_)
        | Token::EOF
        | Token::Number(..)
        | Token::Char(_)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::DollarQuotedString(_)
        | Token::NationalStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::UnicodeStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::SingleQuotedByteStringLiteral(_)
        | Token::Placeholder(_)
        | Token::Comma
        | Token::Period
        | Token::LParen
        | Token::RParen
        | Token::LBracket
        | Token::RBracket
        | Token::SemiColon => false,
        _ => true,
    }
}

/// The diagnostic for SQL that nests deeper than [`MAX_DEPTH`].
pub(crate) fn too_deep(sql: &SqlText, what: &str) -> Diagnostic {
    Problem::new(codes::FRAGMENT_TOO_DEEP, nests_too_deep(), None).into_diagnostic(
        sql,
        Kind::Query,
        what,
    )
}

fn nests_too_deep() -> String {
    format!("nests deeper than {MAX_DEPTH} levels, which Strata does not analyse")
}

/// Why a fragment was refused, and where inside it (a byte range of the fragment's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub code: &'static str,
    pub message: String,
    pub at: Option<(usize, usize)>,
}

impl Problem {
    fn new(code: &'static str, message: impl Into<String>, at: Option<(usize, usize)>) -> Self {
        Problem {
            code,
            message: message.into(),
            at,
        }
    }

    fn into_diagnostic(self, sql: &SqlText, kind: Kind, what: &str) -> Diagnostic {
        let help = match self.code {
            codes::FRAGMENT_EMPTY => format!("write {} between the backticks", kind.what()),
            codes::FRAGMENT_ENDS_STATEMENT => {
                "remove it: a fragment is pasted into a larger statement; use `//` comments outside the backticks".to_string()
            }
            codes::FRAGMENT_AMBIGUOUS_STRING => {
                "write the string as an escape string (E'...'), where backslashes mean the same on every server".to_string()
            }
            codes::FRAGMENT_TOO_DEEP => {
                "split the expression, or move the logic into a function in an `sql` block".to_string()
            }
            codes::FRAGMENT_BAD_TYPE => {
                "write one type such as `bit varying(8)`, `double precision`, `geometry(Point, 4326)` or `int[]`".to_string()
            }
            codes::FRAGMENT_BAD_OPERATOR => {
                "write one operator such as `=`, `&&` or `OPERATOR(public.&&)`".to_string()
            }
            _ => format!(
                "write {} in the backticks; anything else belongs in an `sql` block",
                kind.what()
            ),
        };
        let span = match self.at {
            Some((s, e)) => {
                let base = sql.span.start as usize;
                let end = (base + e.max(s + 1)).min(sql.span.end as usize);
                Span::new(sql.span.file, (base + s).min(end), end)
            }
            None => sql.span,
        };
        Diagnostic::error(self.code, format!("{what} {}", self.message), help).at(span)
    }
}

/// The checks behind [`check`], on the fragment's text alone.
pub(crate) fn validate(text: &str, kind: Kind) -> Result<(), Problem> {
    if text.trim().is_empty() {
        return Err(Problem::new(
            codes::FRAGMENT_EMPTY,
            format!("is empty; it must be {}", kind.what()),
            None,
        ));
    }
    let tokens = tokenize(text)?;
    if kind == Kind::Operator {
        return operator(text);
    }
    scan_tokens(text, &tokens, kind)?;
    match kind {
        Kind::Expr => parse_one(text, deparse_forms(tokens), kind, |p| {
            p.parse_expr().map(drop)
        }),
        Kind::Type => parse_one(text, tokens, kind, |p| p.parse_data_type().map(drop))
            .or_else(|e| if plain_type(text) { Ok(()) } else { Err(e) })
            .map_err(|e| Problem {
                code: codes::FRAGMENT_BAD_TYPE,
                ..e
            }),
        // A view's body may use syntax sqlparser lacks; PostgreSQL parses it when the DDL is
        // applied. What matters here is that it is one statement, which `scan_tokens` ensured.
        Kind::Query | Kind::Operator => Ok(()),
    }
}

fn tokenize(text: &str) -> Result<Vec<TokenWithSpan>, Problem> {
    Tokenizer::new(&PostgreSqlDialect {}, text)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| {
            let at = offset_of(text, e.location.line, e.location.column).map(|o| (o, o + 1));
            Problem::new(
                codes::FRAGMENT_NOT_ONE,
                format!("does not parse: {}", e.message),
                at,
            )
        })
}

/// `;`, comments and strings whose end depends on server settings.
fn scan_tokens(text: &str, tokens: &[TokenWithSpan], kind: Kind) -> Result<(), Problem> {
    size(tokens)?;
    let last_significant = tokens
        .iter()
        .rposition(|t| !matches!(t.token, Token::Whitespace(_)));
    for (n, t) in tokens.iter().enumerate() {
        let at = || token_range(text, t);
        match &t.token {
            Token::SemiColon if kind == Kind::Query && Some(n) == last_significant => {}
            Token::SemiColon => {
                return Err(Problem::new(
                    codes::FRAGMENT_ENDS_STATEMENT,
                    format!(
                        "holds `;`, which would end the statement it is pasted into; it must be {}",
                        kind.what()
                    ),
                    at(),
                ));
            }
            Token::Whitespace(
                Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_),
            ) if kind != Kind::Query => {
                return Err(Problem::new(
                    codes::FRAGMENT_ENDS_STATEMENT,
                    "holds an SQL comment, which could hide the rest of the statement it is pasted into",
                    at(),
                ));
            }
            Token::Backslash => {
                return Err(Problem::new(
                    codes::FRAGMENT_ENDS_STATEMENT,
                    "holds a backslash outside a string, which psql reads as a command of its own",
                    at(),
                ));
            }
            Token::SingleQuotedString(raw)
            | Token::NationalStringLiteral(raw)
            | Token::UnicodeStringLiteral(raw)
                if !same_end_without_conforming_strings(raw) =>
            {
                return Err(Problem::new(
                    codes::FRAGMENT_AMBIGUOUS_STRING,
                    "holds a string whose end a server with `standard_conforming_strings` off reads elsewhere (a backslash escapes the quote after it)",
                    at(),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Spellings PostgreSQL itself prints (in `pg_get_constraintdef` and friends, so in what
/// `strata inspect` writes) that sqlparser does not parse, rewritten for the check only (the
/// fragment is used as written): `TRIM(BOTH FROM x)` is `trim(x)`, and sqlparser wants the
/// characters to trim between `BOTH` and `FROM`.
fn deparse_forms(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    use sqlparser::keywords::Keyword;
    let significant = |t: &TokenWithSpan| !matches!(t.token, Token::Whitespace(_));
    let keyword = |t: Option<&TokenWithSpan>, k: &[Keyword]| matches!(t.map(|t| &t.token), Some(Token::Word(w)) if k.contains(&w.keyword));
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if keyword(Some(&t), &[Keyword::FROM]) {
            let prev: Vec<&TokenWithSpan> = out
                .iter()
                .rev()
                .filter(|t| significant(t))
                .take(3)
                .collect();
            if keyword(
                prev.first().copied(),
                &[Keyword::BOTH, Keyword::LEADING, Keyword::TRAILING],
            ) && prev.get(1).is_some_and(|t| t.token == Token::LParen)
                && keyword(prev.get(2).copied(), &[Keyword::TRIM])
            {
                out.push(TokenWithSpan::new(
                    Token::SingleQuotedString(" ".into()),
                    t.span,
                ));
                out.push(TokenWithSpan::new(
                    Token::Whitespace(Whitespace::Space),
                    t.span,
                ));
            }
        }
        out.push(t);
    }
    out
}

/// Whether a `'...'` literal whose content (as written, `''` pairs included) is `raw` ends at
/// the same quote when `standard_conforming_strings` is off, where a backslash escapes the
/// character after it.
fn same_end_without_conforming_strings(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            // A backslash at the end would escape the closing quote.
            b'\\' if i + 1 == b.len() => return false,
            b'\\' => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
            // A quote the backslash before it moved out of its `''` pair ends the string early.
            b'\'' => return false,
            _ => i += 1,
        }
    }
    true
}

fn parse_one(
    text: &str,
    tokens: Vec<TokenWithSpan>,
    kind: Kind,
    parse: impl FnOnce(&mut Parser<'_>) -> Result<(), ParserError>,
) -> Result<(), Problem> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(MAX_DEPTH)
        .with_tokens_with_locations(tokens);
    if let Err(e) = parse(&mut parser) {
        return Err(match e {
            ParserError::RecursionLimitExceeded => {
                Problem::new(codes::FRAGMENT_TOO_DEEP, nests_too_deep(), None)
            }
            e => {
                let msg = e.to_string();
                let clean = msg.trim_start_matches("sql parser error: ");
                Problem::new(
                    codes::FRAGMENT_NOT_ONE,
                    format!("is not {}: {clean}", kind.what()),
                    error_range(text, clean),
                )
            }
        });
    }
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(Problem::new(
            codes::FRAGMENT_NOT_ONE,
            format!(
                "is not {}: `{}` follows where it should end",
                kind.what(),
                next.token
            ),
            token_range(text, &next),
        ));
    }
    Ok(())
}

/// A type sqlparser does not know, in the shape PostgreSQL's types take: words (optionally
/// schema-qualified or quoted), each optionally with `(arguments)`, then `[]`s.
/// `timestamp(3) without time zone`, `geometry(Polygon, 4326)`, `public.citext`, `int[][]`.
fn plain_type(text: &str) -> bool {
    let b = text.trim().as_bytes();
    let mut i = 0;
    let mut words = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let word = |i: &mut usize| -> bool {
        if *i < b.len() && b[*i] == b'"' {
            let mut j = *i + 1;
            loop {
                match b.get(j) {
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => j += 2,
                    Some(b'"') => break,
                    Some(_) => j += 1,
                    None => return false,
                }
            }
            if j == *i + 1 {
                return false;
            }
            *i = j + 1;
            return true;
        }
        let start = *i;
        while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_' || b[*i] == b'$') {
            *i += 1;
        }
        *i > start && !b[start].is_ascii_digit() && b[start] != b'$'
    };
    loop {
        skip_ws(&mut i);
        if i >= b.len() || b[i] == b'[' {
            break;
        }
        if !word(&mut i) {
            return false;
        }
        while i < b.len() && b[i] == b'.' {
            i += 1;
            if !word(&mut i) {
                return false;
            }
        }
        words += 1;
        skip_ws(&mut i);
        if i < b.len() && b[i] == b'(' {
            i += 1;
            loop {
                skip_ws(&mut i);
                let digits_from = i + usize::from(b.get(i) == Some(&b'-'));
                if b.get(digits_from).is_some_and(u8::is_ascii_digit) {
                    i = digits_from;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                } else if !word(&mut i) {
                    return false;
                }
                skip_ws(&mut i);
                match b.get(i) {
                    Some(b',') => i += 1,
                    Some(b')') => {
                        i += 1;
                        break;
                    }
                    _ => return false,
                }
            }
        }
    }
    while i < b.len() {
        if b[i] != b'[' {
            return false;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if b.get(i) != Some(&b']') {
            return false;
        }
        i += 1;
        skip_ws(&mut i);
    }
    words > 0
}

/// PostgreSQL operator characters (no `--` or `/*`, which start comments), or
/// `OPERATOR(schema.op)`.
fn operator(text: &str) -> Result<(), Problem> {
    const CHARS: &str = "+-*/<>=~!@#%^&|`?";
    let t = text.trim();
    let symbol = |s: &str| {
        !s.is_empty()
            && s.len() <= 63
            && s.chars().all(|c| CHARS.contains(c))
            && !s.contains("--")
            && !s.contains("/*")
    };
    let ok = symbol(t)
        || t.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("operator("))
            && t.ends_with(')')
            && {
                let inner = t[9..t.len() - 1].trim();
                match inner.rsplit_once('.') {
                    Some((schema, op)) => plain_type(schema) && !schema.contains(' ') && symbol(op),
                    None => symbol(inner),
                }
            };
    if ok {
        Ok(())
    } else {
        Err(Problem::new(
            codes::FRAGMENT_BAD_OPERATOR,
            format!("`{t}` is not one operator"),
            None,
        ))
    }
}

/// Checks one partition's bound against the key's types (one per key column, `None` for an
/// expression): one value per key in a range bound, and each a value of its column's type.
pub(crate) fn check_bounds(
    bound: &ast::PartitionBound,
    key_types: &[Option<TypeRef>],
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) {
    match bound {
        ast::PartitionBound::Default => {}
        ast::PartitionBound::List(values) => {
            for v in values {
                check_bound(
                    v,
                    key_types.first().and_then(Option::as_ref),
                    false,
                    model,
                    diags,
                );
            }
        }
        ast::PartitionBound::Range { from, to } => {
            for side in [from, to] {
                if side.len() != key_types.len() {
                    if let Some(first) = side.first() {
                        diags.push(
                            Diagnostic::error(
                                codes::PARTITION_BOUND_TYPE,
                                format!(
                                    "range bound has {} values for {} partition key columns",
                                    side.len(),
                                    key_types.len()
                                ),
                                "give one value per key column, in parentheses for several: from (\"a\", 1) to (\"b\", 1)",
                            )
                            .at(bound_span(first)),
                        );
                    }
                    continue;
                }
                for (v, ty) in side.iter().zip(key_types) {
                    check_bound(v, ty.as_ref(), true, model, diags);
                }
            }
        }
    }
}

fn bound_span(v: &BoundValue) -> Span {
    match v {
        BoundValue::Str(s) => s.span,
        BoundValue::Number(_, span) => *span,
        BoundValue::Word(w) => w.span,
    }
}

/// Checks that a partition bound can be a value of its key's type (`None`: an expression key,
/// which PostgreSQL checks). Bound values are always quoted or lexed as numbers, so this is
/// about catching `from "banana"` before the DDL is applied, not about injection.
fn check_bound(
    value: &BoundValue,
    key: Option<&TypeRef>,
    range: bool,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) {
    let span = bound_span(value);
    let shown = match value {
        BoundValue::Str(s) => format!("\"{}\"", s.value),
        BoundValue::Number(n, _) => n.clone(),
        BoundValue::Word(w) => w.name.clone(),
    };
    let refuse = |why: String, help: &str, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::error(
                codes::PARTITION_BOUND_TYPE,
                format!("partition bound {shown} {why}"),
                help.to_string(),
            )
            .at(span),
        );
    };
    if let BoundValue::Word(_) = value {
        if !range {
            refuse(
                "is only meaningful in a range bound".into(),
                "list the values of this partition, or use a `default` partition",
                diags,
            );
        }
        return;
    }
    let Some(ty) = key else { return };
    if ty.array_dims > 0 {
        return;
    }
    let mut ty = ty.clone();
    // A domain's values are values of its base type (nested domains are rare; one level).
    if let Some(d) = model
        .domains
        .iter()
        .find(|d| Some(&d.name.schema) == ty.schema.as_ref() && d.name.name == ty.name)
    {
        ty = d.base.clone();
    }
    if let Some(e) = model
        .enums
        .iter()
        .find(|e| Some(&e.name.schema) == ty.schema.as_ref() && e.name.name == ty.name)
    {
        let ok = matches!(value, BoundValue::Str(s) if e.values.contains(&s.value));
        if !ok {
            refuse(
                format!("is not a value of enum `{}`", e.name.name),
                &format!("use one of: {}", e.values.join(", ")),
                diags,
            );
        }
        return;
    }
    if ty.schema.is_some() {
        return;
    }
    let text = match value {
        BoundValue::Str(s) => s.value.trim(),
        BoundValue::Number(n, _) => n.as_str(),
        BoundValue::Word(_) => return,
    };
    let is_str = matches!(value, BoundValue::Str(_));
    let (ok, help) = match ty.name.as_str() {
        "smallint" | "integer" | "bigint" => {
            let bits = match ty.name.as_str() {
                "smallint" => 16,
                "integer" => 32,
                _ => 64,
            };
            let ok = text
                .parse::<i128>()
                .is_ok_and(|v| v >= -(1i128 << (bits - 1)) && v < (1i128 << (bits - 1)));
            (ok, format!("write a whole number that fits in {}", ty.name))
        }
        "numeric" | "real" | "double precision" => (
            text.parse::<f64>().is_ok() || text.eq_ignore_ascii_case("nan"),
            "write a number".to_string(),
        ),
        "boolean" => (
            is_str
                && matches!(
                    text.to_ascii_lowercase().as_str(),
                    "true" | "false" | "t" | "f" | "yes" | "no" | "on" | "off" | "1" | "0"
                ),
            "write \"true\" or \"false\"".to_string(),
        ),
        "date" => (
            is_str && (special_time(text) || date_time(text, true, false)),
            "write an ISO 8601 date in quotes, e.g. \"2025-01-01\"".to_string(),
        ),
        "timestamp with time zone" | "timestamp without time zone" => (
            is_str && (special_time(text) || date_time(text, true, true)),
            "write an ISO 8601 date or timestamp in quotes, e.g. \"2025-01-01\" or \"2025-01-01 00:00:00+00\"".to_string(),
        ),
        "time with time zone" | "time without time zone" => (
            is_str && date_time(text, false, true),
            "write a time in quotes, e.g. \"08:30:00\"".to_string(),
        ),
        "uuid" => (
            is_str && {
                let hex: String = text
                    .trim_matches(|c| c == '{' || c == '}')
                    .chars()
                    .filter(|c| *c != '-')
                    .collect();
                hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
            },
            "write a UUID in quotes, e.g. \"00000000-0000-0000-0000-000000000000\"".to_string(),
        ),
        _ => (true, String::new()),
    };
    if !ok {
        refuse(format!("is not a value of type {}", ty.name), &help, diags);
    }
}

fn special_time(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "infinity" | "-infinity" | "epoch"
    )
}

/// `YYYY-MM-DD`, then (when `time`) an optional `[ T]HH:MM[:SS[.frac]]` and zone
/// (`Z`, `UTC`, `+HH[:MM]`, or a zone name such as `Europe/Paris`). With `date` false, only the
/// time and zone.
fn date_time(text: &str, date: bool, time: bool) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, n: usize| -> Option<u32> {
        let s = text.get(*i..*i + n)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *i += n;
        s.parse().ok()
    };
    if date {
        let (Some(_), Some(b'-')) = (digits(&mut i, 4), b.get(i)) else {
            return false;
        };
        i += 1;
        let Some(m) = digits(&mut i, 2) else {
            return false;
        };
        if b.get(i) != Some(&b'-') {
            return false;
        }
        i += 1;
        let Some(d) = digits(&mut i, 2) else {
            return false;
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return false;
        }
        if i == b.len() {
            return true;
        }
        if !time || !matches!(b[i], b' ' | b'T' | b't') {
            return false;
        }
        i += 1;
    }
    let Some(h) = digits(&mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(min) = digits(&mut i, 2) else {
        return false;
    };
    if h > 24 || min > 59 {
        return false;
    }
    if b.get(i) == Some(&b':') {
        i += 1;
        let Some(sec) = digits(&mut i, 2) else {
            return false;
        };
        if sec > 60 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    let zone = text[i..].trim_start();
    zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || zone.eq_ignore_ascii_case("utc")
        || (zone.starts_with(['+', '-'])
            && zone.len() <= 6
            && zone[1..].bytes().all(|c| c.is_ascii_digit() || c == b':'))
        || zone
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'+'))
}

/// Byte offset of a 1-based line and column (in characters) of `text`.
fn offset_of(text: &str, line: u64, column: u64) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut offset = 0usize;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n as u64 + 1 == line {
            let col: usize = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return Some(offset + col);
        }
        offset += l.len();
    }
    Some(text.len())
}

fn token_range(text: &str, t: &TokenWithSpan) -> Option<(usize, usize)> {
    let s = offset_of(text, t.span.start.line, t.span.start.column)?;
    let e = offset_of(text, t.span.end.line, t.span.end.column).unwrap_or(s + 1);
    Some((s, e.max(s + 1).min(text.len().max(s + 1))))
}

/// Error location from sqlparser's message ("... at Line: 2, Column: 14").
fn error_range(text: &str, message: &str) -> Option<(usize, usize)> {
    let num_after = |key: &str| -> Option<u64> {
        let i = message.find(key)? + key.len();
        message[i..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    let o = offset_of(text, num_after("Line:")?, num_after("Column:")?)?;
    Some((o, o + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str, kind: Kind) -> Option<&'static str> {
        validate(text, kind).err().map(|p| p.code)
    }

    #[test]
    fn expressions_real_schemas_use_pass() {
        for e in [
            "0",
            "now()",
            "'{}'",
            "'n/a'::text",
            "nextval('order_number_seq'::regclass)",
            "char_length(trim(title)) > 0",
            "lower(regexp_replace(note, '\\s+', '-', 'g'))",
            "VALUE BETWEEN 0 AND 100",
            "VALUE <> 'x'",
            "user_id = current_setting('app.current_user_id')::uuid",
            "tstzrange(created_at, created_at + interval '1 hour')",
            "a IS DISTINCT FROM b",
            "name ~* '^a'",
            "tags @> ARRAY['x']",
            "ARRAY[1, 2]",
            "NOT isempty(during)",
            "CASE WHEN a THEN 1 ELSE 2 END",
            "$$dollar$$",
            "E'it\\'s'",
            "x IN (1, 2, 3)",
            "coalesce(a, b) IS NOT NULL",
            "data->>'k' = 'v'",
            "date_trunc('day', created)",
            "char_length(TRIM(BOTH FROM title)) > 0",
            "ltrim(x) = TRIM(LEADING FROM x)",
            "path !~ '\\\\'",
            "x LIKE 'a\\%' ",
        ] {
            assert_eq!(validate(e, Kind::Expr), Ok(()), "{e}");
        }
    }

    #[test]
    fn statement_breakers_are_refused() {
        for (e, want) in [
            (
                "0); DROP TABLE users; CREATE TABLE shadow (x int",
                codes::FRAGMENT_ENDS_STATEMENT,
            ),
            ("0, evil int", codes::FRAGMENT_NOT_ONE),
            ("0 -- NOT NULL", codes::FRAGMENT_ENDS_STATEMENT),
            ("0 /* x */", codes::FRAGMENT_ENDS_STATEMENT),
            ("", codes::FRAGMENT_EMPTY),
            ("   ", codes::FRAGMENT_EMPTY),
            ("1)", codes::FRAGMENT_NOT_ONE),
            ("(1", codes::FRAGMENT_NOT_ONE),
            (
                "f('\\', ' ) ; DROP TABLE users; --')",
                codes::FRAGMENT_AMBIGUOUS_STRING,
            ),
            ("'unterminated", codes::FRAGMENT_NOT_ONE),
            ("1 2", codes::FRAGMENT_NOT_ONE),
        ] {
            assert_eq!(code(e, Kind::Expr), Some(want), "{e}");
        }
    }

    #[test]
    fn types_real_schemas_use_pass() {
        for t in [
            "int",
            "bit varying(8)",
            "timestamp(3) without time zone",
            "geometry(Polygon,4326)",
            "geometry(Point, 4326)",
            "double precision",
            "int[]",
            "int[][]",
            "text[3]",
            "timestamptz(3)",
            "public.citext",
            "character varying(20)",
            "\"MyType\"",
            "interval day to second",
            "numeric(12, 2)[]",
        ] {
            assert_eq!(validate(t, Kind::Type), Ok(()), "{t}");
        }
        for t in [
            "int; DROP TABLE users",
            "int)",
            "int -- x",
            "text DEFAULT 1",
            "int, evil int",
            "'x'",
        ] {
            assert!(validate(t, Kind::Type).is_err(), "{t}");
        }
    }

    #[test]
    fn date_shapes() {
        for d in [
            "2025-01-01",
            "2025-01-01 00:00:00+00",
            "2025-01-01T08:30:00.5Z",
            "2025-01-01 00:00 Europe/Paris",
        ] {
            assert!(date_time(d, true, true), "{d}");
        }
        for d in [
            "banana",
            "2025-13-01",
            "2025-01-01x",
            "01/01/2025",
            "2025-01-01 25:99",
        ] {
            assert!(!date_time(d, true, true), "{d}");
        }
        assert!(date_time("08:30:00", false, true));
    }

    #[test]
    fn operators() {
        for o in ["=", "&&", "<>", "OPERATOR(public.&&)", "-|-"] {
            assert_eq!(validate(o, Kind::Operator), Ok(()), "{o}");
        }
        for o in ["= 1", "=; DROP", "--", "a", "OPERATOR(x; y.=)"] {
            assert_eq!(
                code(o, Kind::Operator),
                Some(codes::FRAGMENT_BAD_OPERATOR),
                "{o}"
            );
        }
    }

    #[test]
    fn queries_are_one_statement() {
        assert_eq!(validate("SELECT 1;\n", Kind::Query), Ok(()));
        assert_eq!(validate("SELECT 1 -- note", Kind::Query), Ok(()));
        assert_eq!(
            code("SELECT 1; DROP TABLE users", Kind::Query),
            Some(codes::FRAGMENT_ENDS_STATEMENT)
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(code(&deep, Kind::Expr), Some(codes::FRAGMENT_TOO_DEEP));
        let nested = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(code(&nested, Kind::Expr), Some(codes::FRAGMENT_TOO_DEEP));
        let long = vec!["x = 1"; 10_000].join(" AND ");
        assert_eq!(code(&long, Kind::Expr), Some(codes::FRAGMENT_TOO_DEEP));
    }
}
