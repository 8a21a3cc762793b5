//! Top-level items: `entity`, `mixin`, `enum`, `domain`, `schema`, `extension`,
//! `conventions`, `view`, `materialized view`, `sql`.

use strata_diagnostics::{Diagnostic, Span};

use super::{
    ITEM_HELP, ITEM_KEYWORDS, Leading, MAX_NESTING, PResult, Parser, item_trivia_mut,
    member_trivia_mut, with_suggestion,
};
use crate::ast::*;
use crate::codes;
use crate::lexer::TokenKind;

/// An open block: its `{` and a description for "missing `}`" messages.
pub(super) struct OpenBlock {
    pub open: Span,
    pub what: String,
}

impl Parser<'_> {
    /// Items up to the end of the file, or up to (and including) the `}` closing the schema
    /// block `block`. Returns the items and the comments left before the end.
    pub(super) fn parse_items(
        &mut self,
        depth: usize,
        block: Option<&OpenBlock>,
    ) -> (Vec<Item>, Vec<String>, bool) {
        let mut items = Vec::new();
        loop {
            let lead = self.collect_leading();
            let t = self.tok(0);
            match t.kind {
                TokenKind::Eof => {
                    if let Some(b) = block {
                        self.missing_brace(b.open, &b.what);
                    }
                    let rest = self.dangling(lead, "the end of the file");
                    items.shrink_to_fit();
                    return (items, rest, false);
                }
                TokenKind::RBrace => {
                    if block.is_some() {
                        let rest = self.dangling(lead, "the end of a schema block");
                        self.bump();
                        return (items, rest, true);
                    }
                    self.pending = Some(lead);
                    self.report(
                        Diagnostic::error(
                            codes::UNKNOWN_KEYWORD,
                            "unexpected `}` at item level: it closes no block",
                            "remove this `}`, or check the braces of the item above",
                        )
                        .at(self.span(t)),
                    );
                    self.bump();
                    continue;
                }
                _ => {}
            }
            match self.parse_item(lead, depth) {
                Ok(mut item) => {
                    let tv = item_trivia_mut(&mut item);
                    if self.end_line(tv, "this item").is_err() {
                        self.recover_item(block.is_some());
                    }
                    // Nested schema blocks are an error (reported); their items are dropped.
                    if !(depth > 0 && matches!(item, Item::Schema(_))) {
                        items.push(item);
                    }
                }
                Err(_) => self.recover_item(block.is_some()),
            }
        }
    }

    fn parse_item(&mut self, lead: Leading, depth: usize) -> PResult<Item> {
        let t = self.tok(0);
        if t.kind != TokenKind::Ident {
            self.pending = Some(lead);
            return Err(self.unexpected_code(codes::UNKNOWN_KEYWORD, "an item", ITEM_HELP));
        }
        let kw = self.lower(t);
        match kw.as_str() {
            "entity" | "mixin" => self.parse_entity(lead, kw == "mixin"),
            "enum" => self.parse_enum(lead),
            "domain" => self.parse_domain(lead),
            "schema" => self.parse_schema(lead, depth),
            "extension" => self.parse_extension(lead),
            "conventions" => {
                let (_, trivia) = self.split_leading(lead, false, "a conventions block");
                Ok(Item::Conventions(self.parse_conventions(trivia)?))
            }
            "view" | "materialized" => self.parse_view(lead),
            "sql" => self.parse_raw_sql(lead),
            "sequence" => self.parse_sequence(lead),
            _ => {
                self.pending = Some(lead);
                let found = self.describe(t);
                let help = with_suggestion(ITEM_HELP, &kw, ITEM_KEYWORDS);
                Err(self.report(
                    Diagnostic::error(
                        codes::UNKNOWN_KEYWORD,
                        format!("expected an item, found {found}"),
                        help,
                    )
                    .at(self.span(t)),
                ))
            }
        }
    }

    /// `entity Name { members }` / `mixin Name { members }`
    fn parse_entity(&mut self, lead: Leading, mixin: bool) -> PResult<Item> {
        let what = if mixin { "mixin" } else { "entity" };
        let (doc, mut trivia) = self.split_leading(lead, true, what);
        let kw = self.bump();
        let name = self.expect_ident(
            &format!("a name after `{what}`"),
            &format!("write `{what} Name {{ ... }}`"),
        )?;
        let open = self.expect(
            TokenKind::LBrace,
            &format!("`{{` after the {what} name"),
            &format!("write `{what} {} {{ ... }}`", name.name),
        )?;
        self.trailing_after_open(&mut trivia);
        let block = OpenBlock {
            open: self.span(open),
            what: format!("{what} `{}`", name.name),
        };
        let (members, inner, closed) = self.parse_member_block(&block);
        trivia.set_inner(inner);
        let span = self.span_from(kw.start);
        if closed {
            self.trailing_after_block(&mut trivia);
        }
        Ok(if mixin {
            Item::Mixin(MixinDecl {
                doc,
                name,
                members,
                trivia,
                span,
            })
        } else {
            Item::Entity(EntityDecl {
                doc,
                name,
                members,
                trivia,
                span,
            })
        })
    }

    /// Members up to the `}` closing `block`. Returns the members, the comments before the
    /// `}`, and whether the `}` was found.
    pub(super) fn parse_member_block(
        &mut self,
        block: &OpenBlock,
    ) -> (Vec<Member>, Vec<String>, bool) {
        let mut members = Vec::new();
        loop {
            let lead = self.collect_leading();
            match self.kind() {
                TokenKind::RBrace => {
                    let inner = self.dangling(lead, "the end of a block");
                    self.bump();
                    // Blocks are read once and kept to the end: no growth slack.
                    members.shrink_to_fit();
                    return (members, inner, true);
                }
                TokenKind::Eof => {
                    self.missing_brace(block.open, &block.what);
                    let inner = self.dangling(lead, "the end of a block");
                    return (members, inner, false);
                }
                _ if self.at_strong_item_start() => {
                    self.missing_brace(block.open, &block.what);
                    self.pending = Some(lead);
                    return (members, Vec::new(), false);
                }
                _ => {}
            }
            match self.parse_member(lead) {
                Ok(mut m) => {
                    let tv = member_trivia_mut(&mut m);
                    if self.end_line(tv, "this member").is_err() {
                        self.recover_member();
                    }
                    members.push(m);
                }
                Err(_) => self.recover_member(),
            }
        }
    }

    /// `enum name { a, b, c }` — commas or newlines between values.
    fn parse_enum(&mut self, lead: Leading) -> PResult<Item> {
        let (doc, mut trivia) = self.split_leading(lead, true, "enum");
        let kw = self.bump();
        let name = self.expect_ident("a name after `enum`", "write `enum name { a, b, c }`")?;
        let open = self.expect(
            TokenKind::LBrace,
            "`{` after the enum name",
            &format!("write `enum {} {{ a, b, c }}`", name.name),
        )?;
        let open = self.span(open);
        self.trailing_after_open(&mut trivia);
        let mut values = Vec::new();
        let mut closed = false;
        loop {
            let lead = self.collect_leading();
            let t = self.tok(0);
            match t.kind {
                TokenKind::RBrace => {
                    trivia.set_inner(self.dangling(lead, "the end of an enum"));
                    self.bump();
                    closed = true;
                    break;
                }
                TokenKind::Eof => {
                    self.missing_brace(open, &format!("enum `{}`", name.name));
                    trivia.set_inner(self.dangling(lead, "the end of an enum"));
                    break;
                }
                _ if self.at_strong_item_start() => {
                    self.missing_brace(open, &format!("enum `{}`", name.name));
                    self.pending = Some(lead);
                    break;
                }
                TokenKind::Ident | TokenKind::Str(_) => {
                    let (vdoc, mut vtrivia) = self.split_leading(lead, true, "enum value");
                    let vname = if t.kind == TokenKind::Ident {
                        self.bump();
                        self.ident(t)
                    } else {
                        match self.parse_str() {
                            Ok(s) => Ident {
                                name: s.value,
                                span: s.span,
                            },
                            Err(_) => {
                                self.recover_enum_value();
                                continue;
                            }
                        }
                    };
                    // Inline comments up to here belong to this value, those after the
                    // comma to the next one.
                    vtrivia.append_leading(&mut self.stray);
                    let comma = self.eat(TokenKind::Comma).is_some();
                    let c = self.tok(0);
                    let ok = match c.kind {
                        TokenKind::Comment | TokenKind::Doc => {
                            vtrivia.set_trailing(self.comment_text(c));
                            self.bump();
                            true
                        }
                        TokenKind::Newline | TokenKind::RBrace | TokenKind::Eof => true,
                        _ => comma,
                    };
                    values.push(EnumValue {
                        doc: vdoc,
                        name: vname,
                        trivia: vtrivia,
                    });
                    if !ok {
                        self.unexpected(
                            "`,`, a new line or `}` after an enum value",
                            "separate enum values with commas or put one per line",
                        );
                        self.recover_enum_value();
                    }
                }
                _ => {
                    self.unexpected(
                        "an enum value (a name)",
                        "enum values are names separated by commas or new lines",
                    );
                    self.recover_enum_value();
                }
            }
        }
        let span = self.span_from(kw.start);
        if closed {
            self.trailing_after_block(&mut trivia);
        }
        Ok(Item::Enum(EnumDecl {
            doc,
            name,
            values,
            trivia,
            span,
        }))
    }

    /// Skips to the next `,` (consumed), line end, `}` or obvious item start.
    fn recover_enum_value(&mut self) {
        self.stray.clear();
        let mut first = true;
        loop {
            match self.kind() {
                TokenKind::Eof | TokenKind::RBrace => break,
                TokenKind::Comma | TokenKind::Newline => {
                    self.bump();
                    break;
                }
                _ if !first && self.at_strong_item_start() => break,
                _ => {
                    self.bump();
                }
            }
            first = false;
        }
    }

    /// `domain name type[?] [= default] [check `expr`]...`
    fn parse_domain(&mut self, lead: Leading) -> PResult<Item> {
        let (doc, trivia) = self.split_leading(lead, true, "domain");
        let kw = self.bump();
        let name = self.expect_ident(
            "a name after `domain`",
            "write `domain name type [check `expr`]`",
        )?;
        let ty = self.parse_type(
            &format!("a type after the domain name `{}`", name.name),
            "write `domain name type`, e.g. `domain positive_amount numeric(12, 2)`",
        )?;
        let nullable = self.eat(TokenKind::Question).is_some();
        let mut default: Option<DefaultExpr> = None;
        let mut checks = Vec::new();
        while !self.at_member_end() {
            let t = self.tok(0);
            if t.kind == TokenKind::Eq {
                self.bump();
                let d = self.parse_default()?;
                if let Some(first) = &default {
                    let first = first.span();
                    return Err(self.duplicate("`=` default", &name.name, d.span(), first));
                }
                default = Some(d);
            } else if self.at_kw("check") {
                self.bump();
                checks.push(self.parse_sql(
                    "a SQL expression after `check`",
                    "write the condition in backticks: check `VALUE > 0`",
                )?);
            } else {
                return Err(self.unexpected(
                    "`= default`, `check` or the end of the line",
                    "a domain takes a type, an optional `?`, `= default` and `check `expr`` clauses",
                ));
            }
        }
        let span = self.span_from(kw.start);
        Ok(Item::Domain(DomainDecl {
            doc,
            name,
            ty,
            nullable,
            default,
            checks,
            trivia,
            span,
        }))
    }

    /// `schema name { items }`
    fn parse_schema(&mut self, lead: Leading, depth: usize) -> PResult<Item> {
        let (doc, mut trivia) = self.split_leading(lead, true, "schema");
        let kw = self.bump();
        if depth == 1 {
            self.report(
                Diagnostic::error(
                    codes::UNKNOWN_KEYWORD,
                    "`schema` blocks cannot be nested",
                    "move this schema block to the top level of the file",
                )
                .at(self.span(kw)),
            );
        }
        let name = self.expect_ident(
            "a name after `schema`",
            "write `schema name { ... }` with the PostgreSQL schema name",
        )?;
        let open = self.expect(
            TokenKind::LBrace,
            "`{` after the schema name",
            &format!("write `schema {} {{ ... }}`", name.name),
        )?;
        self.trailing_after_open(&mut trivia);
        let mut items = Vec::new();
        if depth + 1 >= MAX_NESTING {
            self.report(
                Diagnostic::error(
                    codes::NESTING_TOO_DEEP,
                    format!("blocks nested more than {MAX_NESTING} levels deep"),
                    "flatten the nesting; schema blocks belong at the top level",
                )
                .at(self.span(open)),
            );
            self.skip_balanced();
        } else {
            let block = OpenBlock {
                open: self.span(open),
                what: format!("schema `{}`", name.name),
            };
            let (its, inner, closed) = self.parse_items(depth + 1, Some(&block));
            items = its;
            trivia.set_inner(inner);
            if closed {
                self.trailing_after_block(&mut trivia);
            }
        }
        let span = self.span_from(kw.start);
        Ok(Item::Schema(SchemaBlock {
            doc,
            name,
            items,
            trivia,
            span,
        }))
    }

    /// Skips past the `}` matching an already consumed `{` (iteratively).
    fn skip_balanced(&mut self) {
        let mut depth = 1usize;
        loop {
            match self.kind() {
                TokenKind::Eof => break,
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.bump();
                        break;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// `extension pg_trgm` or `extension "uuid-ossp"`
    fn parse_extension(&mut self, lead: Leading) -> PResult<Item> {
        let (_, trivia) = self.split_leading(lead, false, "an extension");
        let kw = self.bump();
        let name = if matches!(self.kind(), TokenKind::Str(_)) {
            let s = self.parse_str()?;
            Ident {
                name: s.value,
                span: s.span,
            }
        } else {
            self.expect_ident(
                "an extension name after `extension`",
                "write `extension pg_trgm` (quote names with other characters: \"uuid-ossp\")",
            )?
        };
        let span = self.span_from(kw.start);
        Ok(Item::Extension(ExtensionDecl { name, trivia, span }))
    }

    /// `view name """SQL"""` / `materialized view name """SQL"""`
    fn parse_view(&mut self, lead: Leading) -> PResult<Item> {
        let (doc, trivia) = self.split_leading(lead, true, "view");
        let kw = self.bump();
        let materialized = self.is_kw(kw, "materialized");
        if materialized {
            self.expect_kw(
                "view",
                "`view` after `materialized`",
                "write `materialized view name \"\"\"SELECT ...\"\"\"`",
            )?;
        }
        let name = self.expect_ident("a view name", "write `view name \"\"\"SELECT ...\"\"\"`")?;
        let sql = self.parse_sql(
            "the view's SQL in `\"\"\"` or backticks",
            "write `view name \"\"\"SELECT ...\"\"\"`",
        )?;
        let span = self.span_from(kw.start);
        Ok(Item::View(ViewDecl {
            doc,
            name,
            materialized,
            sql,
            trivia,
            span,
        }))
    }

    /// `sequence name [as int] [start N] [increment N] [min N] [max N] [cache N] [cycle]
    /// [owned by Entity(field)]`
    fn parse_sequence(&mut self, lead: Leading) -> PResult<Item> {
        const HELP: &str = "sequence options are: as smallint|int|bigint, start N, increment N, \
                            min N, max N, cache N, cycle, owned by Entity(field)";
        let (doc, trivia) = self.split_leading(lead, true, "sequence");
        let kw = self.bump();
        let name = self.expect_ident(
            "a name after `sequence`",
            "write `sequence order_number_seq start 1000`",
        )?;
        let mut q = SequenceDecl {
            doc,
            name,
            data_type: None,
            start: None,
            increment: None,
            min: None,
            max: None,
            cache: None,
            cycle: false,
            owned_by: None,
            trivia,
            span: self.span(kw),
        };
        while !self.at_member_end() {
            let t = self.tok(0);
            if t.kind != TokenKind::Ident {
                return Err(self.unexpected("a sequence option", HELP));
            }
            let opt = self.lower(t);
            match opt.as_str() {
                "as" => {
                    self.bump();
                    q.data_type = Some(self.expect_ident("a type after `as`", HELP)?);
                    continue;
                }
                "cycle" => {
                    self.bump();
                    q.cycle = true;
                    continue;
                }
                "owned" => {
                    self.bump();
                    self.expect_kw("by", "`by` after `owned`", HELP)?;
                    let entity = self.expect_ident("an entity after `owned by`", HELP)?;
                    self.expect(TokenKind::LParen, "`(` after the entity", HELP)?;
                    let field = self.expect_ident("a field name", HELP)?;
                    self.expect(TokenKind::RParen, "`)` after the field", HELP)?;
                    q.owned_by = Some((entity, field));
                    continue;
                }
                "start" | "increment" | "min" | "max" | "cache" => {}
                _ => return Err(self.unexpected("a sequence option", HELP)),
            }
            self.bump();
            let value = self.parse_signed_int(&format!("a number after `{opt}`"))?;
            match opt.as_str() {
                "start" => q.start = Some(value),
                "increment" => q.increment = Some(value),
                "min" => q.min = Some(value),
                "max" => q.max = Some(value),
                _ => q.cache = Some(value),
            }
        }
        q.span = self.span_from(kw.start);
        Ok(Item::Sequence(q))
    }

    /// `sql name """..."""`
    fn parse_raw_sql(&mut self, lead: Leading) -> PResult<Item> {
        let (doc, trivia) = self.split_leading(lead, true, "sql block");
        let kw = self.bump();
        let name = self.expect_ident(
            "a name after `sql`",
            "write `sql name \"\"\"CREATE ...\"\"\"`",
        )?;
        let sql = self.parse_sql(
            "SQL in `\"\"\"` or backticks",
            "write `sql name \"\"\"CREATE ...\"\"\"`",
        )?;
        let span = self.span_from(kw.start);
        Ok(Item::Sql(RawSqlDecl {
            doc,
            name,
            sql,
            trivia,
            span,
        }))
    }

    /// `conventions { key value ... }` at file, schema or entity level. The current token is
    /// `conventions`.
    pub(super) fn parse_conventions(&mut self, mut trivia: Trivia) -> PResult<Conventions> {
        let kw = self.bump();
        let open = self.expect(
            TokenKind::LBrace,
            "`{` after `conventions`",
            "write `conventions { key value }`, one setting per line",
        )?;
        let open = self.span(open);
        self.trailing_after_open(&mut trivia);
        let mut settings = Vec::new();
        let mut closed = false;
        loop {
            let lead = self.collect_leading();
            let t = self.tok(0);
            match t.kind {
                TokenKind::RBrace => {
                    trivia.set_inner(self.dangling(lead, "the end of a conventions block"));
                    self.bump();
                    closed = true;
                    break;
                }
                TokenKind::Eof => {
                    self.missing_brace(open, "the conventions block");
                    trivia.set_inner(self.dangling(lead, "the end of a conventions block"));
                    break;
                }
                _ if self.at_strong_item_start() => {
                    self.missing_brace(open, "the conventions block");
                    self.pending = Some(lead);
                    break;
                }
                TokenKind::Ident => {
                    let (_, mut strivia) = self.split_leading(lead, false, "a convention setting");
                    self.bump();
                    let key = self.ident(t);
                    match self.parse_setting_value(&key.name) {
                        Ok(value) => {
                            let c = self.tok(0);
                            if matches!(c.kind, TokenKind::Comment | TokenKind::Doc) {
                                strivia.set_trailing(self.comment_text(c));
                                self.bump();
                            }
                            let span = key.span.to(value.span());
                            settings.push(Setting {
                                key,
                                value,
                                trivia: strivia,
                                span,
                            });
                        }
                        Err(_) => self.recover_member(),
                    }
                }
                _ => {
                    self.unexpected(
                        "a convention name",
                        "write one `key value` per line, e.g. `primary_key uuid`",
                    );
                    self.recover_member();
                }
            }
        }
        let span = self.span_from(kw.start);
        if closed {
            self.trailing_after_block(&mut trivia);
        }
        Ok(Conventions {
            settings,
            trivia,
            span,
        })
    }

    fn parse_setting_value(&mut self, key: &str) -> PResult<SettingValue> {
        let t = self.tok(0);
        match t.kind {
            TokenKind::Ident => {
                self.bump();
                Ok(SettingValue::Word(self.ident(t)))
            }
            TokenKind::Str(_) => Ok(SettingValue::Str(self.parse_str()?)),
            TokenKind::Number | TokenKind::Minus => {
                let (v, span) = self.parse_signed_int("a setting value")?;
                Ok(SettingValue::Int(v, span))
            }
            _ => Err(self.unexpected(
                &format!("a value for `{key}` (a word, a \"string\" or an integer)"),
                "write one `key value` per line, e.g. `primary_key uuid`",
            )),
        }
    }
}
