//! Members of an entity or mixin: fields, relations and keyword members.
//!
//! Member keywords are contextual: `index` starts an index only when `(` or a name string
//! follows, so `index int` is a field called `index`. Each keyword's form is decided by at
//! most two tokens of lookahead.
//!
//! Limitation (no quoted identifiers): a field named like a member keyword is read as that
//! member when what follows fits the member's form — `use Foo` is always a mixin use and
//! `policy text check `x`` a policy. Such fields need another attribute (`use text unique`)
//! or another name.

use strata_diagnostics::{Diagnostic, Span};

use super::{Leading, PResult, Parser, with_suggestion};
use crate::ast::*;
use crate::codes;
use crate::lexer::{Token, TokenKind};

/// Most hash partitions `into N` creates. PostgreSQL has no fixed limit, but each partition is
/// a table, and planning and locking slow down long before thousands of them.
pub const MAX_HASH_PARTITIONS: u32 = 1024;

const MEMBER_KEYWORDS: &[&str] = &[
    "use",
    "index",
    "unique",
    "check",
    "exclude",
    "primary",
    "soft_delete",
    "audit",
    "rows",
    "stats",
    "access",
    "partition",
    "distribute",
    "tenant",
    "policy",
    "grant",
    "table",
    "renamed_from",
    "conventions",
];

const MEMBER_HELP: &str = "a member is a field (`name type`), a relation (`name -> Entity`) or \
                           starts with one of: use, index, unique, check, exclude, primary key, \
                           soft_delete, audit, rows, stats, access, partition, distribute, tenant, \
                           policy, grant, table, renamed_from, conventions";

const FIELD_ATTRS: &[&str] = &[
    "unique",
    "index",
    "pk",
    "identity",
    "check",
    "generated",
    "collate",
    "map",
    "renamed_from",
];

const FIELD_ATTR_HELP: &str = "field attributes are: unique, index, pk, identity, = default, \
                               check `expr`, generated `expr`, collate \"name\", map \"column\", \
                               renamed_from old_name";

const RELATION_ATTRS: &[&str] = &[
    "on",
    "unique",
    "through",
    "map",
    "deferrable",
    "deferred",
    "renamed_from",
    "constraint",
];

const RELATION_ATTR_HELP: &str = "relation attributes are: on delete ACTION, on update ACTION, \
                                  unique, through Entity, map \"column\", deferrable, deferred, \
                                  renamed_from old_name, constraint \"name\"";

const ACTION_HELP: &str =
    "referential actions are: cascade, restrict, no action, set null, set default";

const POLICY_CLAUSES: &[&str] = &["for", "to", "restrictive", "permissive", "using", "check"];

const POLICY_COMMANDS: &[&str] = &["all", "select", "insert", "update", "delete"];

const PRIVILEGES: &[&str] = &[
    "all",
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
];

/// Which member form the lookahead selected.
enum Form {
    RenamedFrom,
    Use,
    Index,
    UniqueIndex,
    Unique,
    Check,
    Exclude,
    PrimaryKey,
    SoftDelete,
    Audit,
    Rows,
    Stats,
    Access,
    Partition,
    Distribute,
    Tenant,
    Policy,
    Grant,
    Table,
    Conventions,
    Relation,
    Field,
}

/// Tracks attributes/clauses seen on one member to report duplicates.
#[derive(Default)]
struct Seen(Vec<(&'static str, Span)>);

impl Seen {
    /// The span of the first `key` if it was seen before; records it otherwise.
    fn check(&mut self, key: &'static str, span: Span) -> Option<Span> {
        if let Some((_, first)) = self.0.iter().find(|(k, _)| *k == key) {
            return Some(*first);
        }
        self.0.push((key, span));
        None
    }
}

fn is_sql(k: TokenKind) -> bool {
    matches!(k, TokenKind::Block(_) | TokenKind::Backtick(_))
}

fn is_arrow(k: TokenKind) -> bool {
    matches!(
        k,
        TokenKind::Arrow | TokenKind::BiArrow | TokenKind::BackArrow
    )
}

impl Parser<'_> {
    fn select_form(&self) -> Option<Form> {
        let (t0, t1, t2) = (self.tok(0), self.tok(1), self.tok(2));
        let (k1, k2) = (t1.kind, t2.kind);
        let kw = self.lower(t0);
        let form = match kw.as_str() {
            "use" if k1 == TokenKind::Ident && Self::ends_member(k2) => Form::Use,
            "index" if matches!(k1, TokenKind::LParen | TokenKind::Str(_)) => Form::Index,
            "unique" if self.is_kw(t1, "index") => Form::UniqueIndex,
            "unique" if matches!(k1, TokenKind::LParen | TokenKind::Str(_)) => Form::Unique,
            "check" if is_sql(k1) || (k1 == TokenKind::Ident && is_sql(k2)) => Form::Check,
            "exclude"
                if self.is_kw(t1, "using")
                    || (k1 == TokenKind::Ident && self.is_kw(t2, "using")) =>
            {
                Form::Exclude
            }
            "primary"
                if self.is_kw(t1, "key") && matches!(k2, TokenKind::LParen | TokenKind::Str(_)) =>
            {
                Form::PrimaryKey
            }
            "soft_delete" if Self::ends_member(k1) => Form::SoftDelete,
            "audit" if Self::ends_member(k1) => Form::Audit,
            "rows" if matches!(k1, TokenKind::Number | TokenKind::Minus) => Form::Rows,
            "stats"
                if k1 == TokenKind::Ident
                    && ["true", "null", "distinct", "skew", "range"]
                        .iter()
                        .any(|k| self.is_kw(t2, k)) =>
            {
                Form::Stats
            }
            "access"
                if k1 == TokenKind::Ident
                    && (k2 == TokenKind::Number || is_sql(k2) || self.is_kw(t2, "across")) =>
            {
                Form::Access
            }
            "partition" if self.is_kw(t1, "by") => Form::Partition,
            "distribute" if self.is_kw(t1, "by") || self.is_kw(t1, "reference") => Form::Distribute,
            "tenant" if self.is_kw(t1, "by") => Form::Tenant,
            "policy"
                if k1 == TokenKind::Ident && POLICY_CLAUSES.iter().any(|c| self.is_kw(t2, c)) =>
            {
                Form::Policy
            }
            "grant"
                if k1 == TokenKind::Ident && (k2 == TokenKind::Comma || self.is_kw(t2, "to")) =>
            {
                Form::Grant
            }
            "table" if matches!(k1, TokenKind::Str(_)) => Form::Table,
            "renamed_from" if k1 == TokenKind::Ident && Self::ends_member(k2) => Form::RenamedFrom,
            "conventions" if k1 == TokenKind::LBrace => Form::Conventions,
            _ if is_arrow(k1) => Form::Relation,
            _ if k1 == TokenKind::Ident => Form::Field,
            // A member keyword in a form that fits neither it nor a field: let the keyword's
            // own parser say what it expected.
            "use" => Form::Use,
            "index" => Form::Index,
            "unique" => Form::Unique,
            "check" => Form::Check,
            "exclude" => Form::Exclude,
            "primary" => Form::PrimaryKey,
            "soft_delete" => Form::SoftDelete,
            "audit" => Form::Audit,
            "rows" => Form::Rows,
            "access" => Form::Access,
            "partition" => Form::Partition,
            "distribute" => Form::Distribute,
            "tenant" => Form::Tenant,
            "policy" => Form::Policy,
            "grant" => Form::Grant,
            "table" => Form::Table,
            "renamed_from" if Self::ends_member(k1) => Form::RenamedFrom,
            "conventions" => Form::Conventions,
            _ if Self::ends_member(k1) => return None,
            _ => Form::Field,
        };
        Some(form)
    }

    /// One member (without its line end, which the caller handles).
    pub(super) fn parse_member(&mut self, lead: Leading) -> PResult<Member> {
        let t0 = self.tok(0);
        if t0.kind != TokenKind::Ident {
            return Err(self.unexpected("a field name or a member keyword", MEMBER_HELP));
        }
        let Some(form) = self.select_form() else {
            // A lone word: not a field (no type) and no keyword.
            let word = self.text(t0).to_string();
            let help = with_suggestion(
                &format!("a field needs a type (`{word} text`); {MEMBER_HELP}"),
                &word,
                MEMBER_KEYWORDS,
            );
            return Err(self.report(
                Diagnostic::error(
                    codes::UNKNOWN_KEYWORD,
                    format!("unknown member `{word}`: not a keyword, and no type follows"),
                    help,
                )
                .at(self.span(t0)),
            ));
        };
        let doc_allowed = matches!(form, Form::Field | Form::Relation | Form::Access);
        let what = format!("`{}`", self.lower(t0));
        let (doc, trivia) = self.split_leading(lead, doc_allowed, &what);
        let start = t0.start;
        Ok(match form {
            Form::Field => Member::Field(self.parse_field(doc, trivia)?),
            Form::Relation => Member::Relation(self.parse_relation(doc, trivia)?),
            Form::Use => {
                self.bump();
                let mixin = self.expect_ident(
                    "a mixin name after `use`",
                    "write `use MixinName` to copy a mixin's members here",
                )?;
                Member::Use(UseDecl {
                    mixin,
                    trivia,
                    span: self.span_from(start),
                })
            }
            Form::Index | Form::UniqueIndex => Member::Index(self.parse_index(trivia)?),
            Form::Unique => Member::Unique(self.parse_unique(trivia)?),
            Form::Check => Member::Check(self.parse_check(trivia)?),
            Form::Exclude => Member::Exclude(self.parse_exclude(trivia)?),
            Form::PrimaryKey => {
                self.bump();
                self.expect_kw("key", "`key` after `primary`", "write `primary key (a, b)`")?;
                let name = if matches!(self.kind(), TokenKind::Str(_)) {
                    Some(self.parse_str()?)
                } else {
                    None
                };
                let columns = self.ident_list("primary key columns")?;
                Member::PrimaryKey(PrimaryKeyDecl {
                    name,
                    columns,
                    trivia,
                    span: self.span_from(start),
                })
            }
            Form::SoftDelete | Form::Audit => {
                let t = self.bump();
                let flag = Flag {
                    trivia,
                    span: self.span(t),
                };
                if matches!(form, Form::Audit) {
                    Member::Audit(flag)
                } else {
                    Member::SoftDelete(flag)
                }
            }
            Form::Rows => {
                self.bump();
                let (count, _) = self.parse_row_count()?;
                Member::Rows(RowsDecl {
                    count,
                    trivia,
                    span: self.span_from(start),
                })
            }
            Form::Stats => Member::Stats(self.parse_stats(trivia)?),
            Form::Access => Member::Access(self.parse_access(doc, trivia)?),
            Form::Partition => Member::Partition(self.parse_partition(trivia)?),
            Form::Distribute => Member::Distribute(self.parse_distribute(trivia)?),
            Form::Tenant => {
                self.bump();
                self.expect_kw(
                    "by",
                    "`by` after `tenant`",
                    "write `tenant by owner` with the field or relation that isolates tenants",
                )?;
                let field = self.expect_ident(
                    "a field or relation name after `tenant by`",
                    "write `tenant by owner`",
                )?;
                Member::Tenant(TenantDecl {
                    field,
                    trivia,
                    span: self.span_from(start),
                })
            }
            Form::Policy => Member::Policy(self.parse_policy(trivia)?),
            Form::Grant => Member::Grant(self.parse_grant(trivia)?),
            Form::Table => {
                self.bump();
                let name = self.parse_str()?;
                Member::TableName(TableNameDecl {
                    name,
                    trivia,
                    span: self.span_from(start),
                })
            }
            Form::RenamedFrom => {
                self.bump();
                let name = self.expect_ident(
                    "the old entity or table name after `renamed_from`",
                    "write `renamed_from OldName` (the entity's previous name)",
                )?;
                Member::RenamedFrom(RenamedFromDecl {
                    name,
                    trivia,
                    span: self.span_from(start),
                })
            }
            Form::Conventions => Member::Conventions(self.parse_conventions(trivia)?),
        })
    }

    // ----- fields -------------------------------------------------------------------------

    /// `name type[?] attr*`
    fn parse_field(&mut self, doc: Option<String>, trivia: Trivia) -> PResult<FieldDecl> {
        let t = self.bump();
        let name = self.ident(t);
        let ty = self.parse_type(
            &format!(
                "a type or a relation arrow (`->`, `<->`, `<-`) after `{}`",
                name.name
            ),
            "a field is `name type`, e.g. `title text(200)`; a relation is `name -> Entity`",
        )?;
        let nullable = self.eat(TokenKind::Question).is_some();
        let mut attrs = Vec::new();
        let mut seen = Seen::default();
        while !self.at_member_end() {
            let (key, attr) = self.parse_field_attr(&name.name)?;
            let span = field_attr_span(&attr);
            if key != "check"
                && let Some(first) = seen.check(key, span)
            {
                return Err(self.duplicate(&format!("attribute `{key}`"), &name.name, span, first));
            }
            attrs.push(attr);
        }
        Ok(FieldDecl {
            doc,
            span: self.span_from(t.start),
            name,
            ty,
            nullable,
            attrs,
            trivia,
        })
    }

    fn parse_field_attr(&mut self, field: &str) -> PResult<(&'static str, FieldAttr)> {
        let t = self.tok(0);
        if t.kind == TokenKind::Eq {
            self.bump();
            let d = self.parse_default()?;
            return Ok(("= default", FieldAttr::Default(d)));
        }
        if t.kind == TokenKind::Question {
            return Err(self.unexpected(
                "a field attribute",
                &format!("write `?` right after the type: `{field} text? unique`"),
            ));
        }
        if t.kind != TokenKind::Ident {
            return Err(
                self.unexpected("a field attribute or the end of the line", FIELD_ATTR_HELP)
            );
        }
        let kw = self.lower(t);
        let sp = self.span(t);
        let sql_help = "write the expression in backticks, e.g. check `length(name) > 0`";
        Ok(match kw.as_str() {
            "unique" => {
                self.bump();
                ("unique", FieldAttr::Unique(sp))
            }
            "index" => {
                self.bump();
                ("index", FieldAttr::Index(sp))
            }
            "pk" => {
                self.bump();
                ("pk", FieldAttr::PrimaryKey(sp))
            }
            "identity" => {
                self.bump();
                if self.eat_kw("by").is_some() {
                    self.expect_kw(
                        "default",
                        "`default` after `identity by`",
                        "write `identity` (always) or `identity by default`",
                    )?;
                    (
                        "identity",
                        FieldAttr::IdentityByDefault(self.span_from(t.start)),
                    )
                } else {
                    ("identity", FieldAttr::Identity(sp))
                }
            }
            "check" => {
                self.bump();
                (
                    "check",
                    FieldAttr::Check(self.parse_sql("a SQL expression after `check`", sql_help)?),
                )
            }
            "generated" => {
                self.bump();
                // `virtual` is a word here: the expression itself is always quoted.
                if self.eat_kw("virtual").is_some() {
                    (
                        "generated",
                        FieldAttr::GeneratedVirtual(
                            self.parse_sql("a SQL expression after `generated virtual`", sql_help)?,
                        ),
                    )
                } else {
                    (
                        "generated",
                        FieldAttr::Generated(
                            self.parse_sql("a SQL expression after `generated`", sql_help)?,
                        ),
                    )
                }
            }
            "collate" => {
                self.bump();
                ("collate", FieldAttr::Collate(self.parse_str()?))
            }
            "map" => {
                self.bump();
                ("map", FieldAttr::Map(self.parse_str()?))
            }
            "renamed_from" => {
                self.bump();
                (
                    "renamed_from",
                    FieldAttr::RenamedFrom(self.expect_ident(
                        "the old field name after `renamed_from`",
                        "write `renamed_from old_name`",
                    )?),
                )
            }
            _ => {
                let help = with_suggestion(FIELD_ATTR_HELP, &kw, FIELD_ATTRS);
                return Err(self.unexpected("a field attribute", &help));
            }
        })
    }

    // ----- relations ----------------------------------------------------------------------

    /// `name (-> | <-> | <-) Target[(field)][?] attr*`
    fn parse_relation(&mut self, doc: Option<String>, trivia: Trivia) -> PResult<RelationDecl> {
        let t = self.bump();
        let name = self.ident(t);
        let arrow = self.bump();
        let (kind, arrow_text) = match arrow.kind {
            TokenKind::BiArrow => (RelationKind::ManyToMany, "<->"),
            TokenKind::BackArrow => (RelationKind::Inverse, "<-"),
            _ => (RelationKind::ToOne, "->"),
        };
        let target = self.expect_ident(
            &format!("the target entity after `{arrow_text}`"),
            &format!("write `{} {arrow_text} Entity`", name.name),
        )?;
        let mut target_field = None;
        if self.eat(TokenKind::LParen).is_some() {
            target_field = Some(self.expect_ident(
                "the referenced field name",
                &format!("write `{arrow_text} {}(field)`", target.name),
            )?);
            self.expect(
                TokenKind::RParen,
                "`)` after the referenced field",
                &format!("write `{arrow_text} {}(field)`", target.name),
            )?;
        }
        let nullable = self.eat(TokenKind::Question).is_some();
        let mut attrs = Vec::new();
        let mut seen = Seen::default();
        while !self.at_member_end() {
            let (key, attr) = self.parse_relation_attr(&name.name)?;
            let span = relation_attr_span(&attr);
            if let Some(first) = seen.check(key, span) {
                return Err(self.duplicate(&format!("attribute `{key}`"), &name.name, span, first));
            }
            attrs.push(attr);
        }
        Ok(RelationDecl {
            doc,
            span: self.span_from(t.start),
            name,
            kind,
            target,
            target_field,
            nullable,
            attrs,
            trivia,
        })
    }

    fn parse_relation_attr(&mut self, rel: &str) -> PResult<(&'static str, RelationAttr)> {
        let t = self.tok(0);
        if t.kind == TokenKind::Question {
            return Err(self.unexpected(
                "a relation attribute",
                &format!("write `?` right after the target: `{rel} -> User? on delete set null`"),
            ));
        }
        if t.kind != TokenKind::Ident {
            return Err(self.unexpected(
                "a relation attribute or the end of the line",
                RELATION_ATTR_HELP,
            ));
        }
        let kw = self.lower(t);
        let sp = self.span(t);
        Ok(match kw.as_str() {
            "on" => {
                self.bump();
                let delete = if self.eat_kw("delete").is_some() {
                    true
                } else if self.eat_kw("update").is_some() {
                    false
                } else {
                    return Err(self.unexpected(
                        "`delete` or `update` after `on`",
                        "write `on delete cascade` or `on update cascade`",
                    ));
                };
                let event = if delete { "on delete" } else { "on update" };
                let action = self.parse_action(event)?;
                let span = self.span_from(t.start);
                if delete {
                    ("on delete", RelationAttr::OnDelete(action, span))
                } else {
                    ("on update", RelationAttr::OnUpdate(action, span))
                }
            }
            "unique" => {
                self.bump();
                ("unique", RelationAttr::Unique(sp))
            }
            "through" => {
                self.bump();
                (
                    "through",
                    RelationAttr::Through(self.expect_ident(
                        "the junction entity after `through`",
                        "write `through TaskTag` with the entity that joins both sides",
                    )?),
                )
            }
            "map" => {
                self.bump();
                ("map", RelationAttr::Map(self.parse_str()?))
            }
            "constraint" => {
                self.bump();
                ("constraint", RelationAttr::Constraint(self.parse_str()?))
            }
            "deferrable" => {
                self.bump();
                let mut initially_deferred = false;
                if self.eat_kw("initially").is_some() {
                    if self.eat_kw("deferred").is_some() {
                        initially_deferred = true;
                    } else if self.eat_kw("immediate").is_none() {
                        return Err(self.unexpected(
                            "`deferred` or `immediate` after `initially`",
                            "write `deferrable` or `deferred` (initially deferred)",
                        ));
                    }
                }
                (
                    "deferrable",
                    RelationAttr::Deferrable {
                        initially_deferred,
                        span: self.span_from(t.start),
                    },
                )
            }
            "deferred" => {
                self.bump();
                (
                    "deferrable",
                    RelationAttr::Deferrable {
                        initially_deferred: true,
                        span: sp,
                    },
                )
            }
            "renamed_from" => {
                self.bump();
                (
                    "renamed_from",
                    RelationAttr::RenamedFrom(self.expect_ident(
                        "the old relation name after `renamed_from`",
                        "write `renamed_from old_name`",
                    )?),
                )
            }
            _ => {
                let help = with_suggestion(RELATION_ATTR_HELP, &kw, RELATION_ATTRS);
                return Err(self.unexpected("a relation attribute", &help));
            }
        })
    }

    /// `cascade | restrict | no action | set null | set default`
    fn parse_action(&mut self, event: &str) -> PResult<ActionAst> {
        let t = self.tok(0);
        if t.kind != TokenKind::Ident {
            let found = self.describe(t);
            return Err(self.report(
                Diagnostic::error(
                    codes::UNKNOWN_ACTION,
                    format!("expected a referential action after `{event}`, found {found}"),
                    ACTION_HELP,
                )
                .at(self.error_span(t)),
            ));
        }
        self.bump();
        let word = self.lower(t);
        let action = match word.as_str() {
            "cascade" => Some(ActionAst::Cascade),
            "restrict" => Some(ActionAst::Restrict),
            "no" if self.eat_kw("action").is_some() => Some(ActionAst::NoAction),
            "set" if self.eat_kw("null").is_some() => Some(ActionAst::SetNull),
            "set" if self.eat_kw("default").is_some() => Some(ActionAst::SetDefault),
            _ => None,
        };
        match action {
            Some(a) => Ok(a),
            None => {
                let mut span = self.span(t);
                let mut shown = self.text(t).to_string();
                if matches!(word.as_str(), "no" | "set") && self.at(TokenKind::Ident) {
                    let next = self.tok(0);
                    span = span.to(self.span(next));
                    shown = format!("{shown} {}", self.text(next));
                }
                Err(self.report(
                    Diagnostic::error(
                        codes::UNKNOWN_ACTION,
                        format!("unknown referential action `{shown}` after `{event}`"),
                        ACTION_HELP,
                    )
                    .at(span),
                ))
            }
        }
    }

    // ----- constraints and indexes --------------------------------------------------------

    /// `[unique] index ["name"] (keys) [using m] [include (cols)] [where `p`] [nulls not distinct]`
    fn parse_index(&mut self, trivia: Trivia) -> PResult<IndexDecl> {
        let start = self.tok(0).start;
        let unique = self.eat_kw("unique").is_some();
        self.bump(); // `index`
        let name = if matches!(self.kind(), TokenKind::Str(_)) {
            Some(self.parse_str()?)
        } else {
            None
        };
        let keys = self.paren_list("index keys", |p| p.parse_index_key(false))?;
        let mut decl = IndexDecl {
            name,
            unique,
            keys,
            method: None,
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            trivia,
            span: Span::default(),
        };
        let mut seen = Seen::default();
        while !self.at_member_end() {
            let t = self.tok(0);
            let key = match self.lower(t).as_str() {
                "using" => {
                    self.bump();
                    decl.method = Some(self.expect_ident(
                        "an index method after `using`",
                        "index methods are btree, hash, gin, gist, spgist and brin",
                    )?);
                    "using"
                }
                "include" => {
                    self.bump();
                    decl.include = self.ident_list("included columns")?;
                    "include"
                }
                "where" => {
                    self.bump();
                    decl.predicate = Some(self.parse_sql(
                        "a SQL predicate after `where`",
                        "write the predicate in backticks: where `deleted_at IS NULL`",
                    )?);
                    "where"
                }
                "nulls" => {
                    self.nulls_not_distinct()?;
                    decl.nulls_not_distinct = true;
                    "nulls not distinct"
                }
                _ => {
                    return Err(self.unexpected(
                        "an index clause (`using`, `include`, `where`, `nulls not distinct`)",
                        "an index is `index (keys) [using method] [include (cols)] \
                         [where `pred`] [nulls not distinct]`",
                    ));
                }
            };
            let span = self.span_from(t.start);
            if let Some(first) = seen.check(key, span) {
                return Err(self.duplicate(&format!("clause `{key}`"), "index", span, first));
            }
        }
        decl.span = self.span_from(start);
        Ok(decl)
    }

    fn nulls_not_distinct(&mut self) -> PResult<()> {
        let help = "write `nulls not distinct`";
        self.bump();
        self.expect_kw("not", "`not` after `nulls`", help)?;
        self.expect_kw("distinct", "`distinct` after `nulls not`", help)?;
        Ok(())
    }

    /// `unique ["name"] (a, b) [nulls not distinct]`
    fn parse_unique(&mut self, trivia: Trivia) -> PResult<UniqueDecl> {
        let kw = self.bump();
        let name = if matches!(self.kind(), TokenKind::Str(_)) {
            Some(self.parse_str()?)
        } else {
            None
        };
        if !self.at(TokenKind::LParen) {
            return Err(self.unexpected(
                "`(`, a \"name\" or `index` after `unique`",
                "write `unique (a, b)` for a constraint or `unique index (a, b)` for an index",
            ));
        }
        let columns = self.ident_list("unique columns")?;
        let mut nulls_not_distinct = false;
        if self.at_kw("nulls") {
            self.nulls_not_distinct()?;
            nulls_not_distinct = true;
        }
        let live = self.eat_kw("live").is_some();
        if !self.at_member_end() {
            return Err(self.unexpected(
                "`nulls not distinct`, `live` or the end of the line",
                "a unique constraint is `unique [\"name\"] (a, b) [nulls not distinct] [live]`",
            ));
        }
        Ok(UniqueDecl {
            name,
            columns,
            nulls_not_distinct,
            live,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    /// `check [name] `expr``
    fn parse_check(&mut self, trivia: Trivia) -> PResult<CheckDecl> {
        let kw = self.bump();
        let name = if self.at(TokenKind::Ident) {
            let t = self.bump();
            Some(self.ident(t))
        } else {
            None
        };
        let expr = self.parse_sql(
            "a SQL expression in backticks after `check`",
            "write `check [name] `expr``, e.g. check title_not_blank `length(title) > 0`",
        )?;
        Ok(CheckDecl {
            name,
            expr,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    /// `exclude [name] using method (key with `op`, ...) [where `pred`]`
    fn parse_exclude(&mut self, trivia: Trivia) -> PResult<ExcludeDecl> {
        let kw = self.bump();
        let help = "write `exclude [name] using gist (room with `=`, during with `&&`)`";
        let name = if self.at(TokenKind::Ident) && !self.at_kw("using") {
            let t = self.bump();
            Some(self.ident(t))
        } else {
            None
        };
        self.expect_kw("using", "`using` and an index method", help)?;
        let method = self.expect_ident("an index method after `using`", help)?;
        let elements = self.paren_list("exclusion elements", |p| {
            let key = p.parse_index_key(true)?;
            p.expect_kw("with", "`with` and an operator after the key", help)?;
            let operator = p.parse_sql("an operator in backticks after `with`", help)?;
            Ok(ExcludeElement { key, operator })
        })?;
        let mut predicate = None;
        if self.eat_kw("where").is_some() {
            predicate = Some(self.parse_sql(
                "a SQL predicate after `where`",
                "write the predicate in backticks: where `NOT cancelled`",
            )?);
        }
        Ok(ExcludeDecl {
            name,
            method,
            elements,
            predicate,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    // ----- access patterns and scale -----------------------------------------------------

    /// `access name [N/unit] [across tenants] """SQL"""`
    fn parse_access(&mut self, doc: Option<String>, trivia: Trivia) -> PResult<AccessDecl> {
        let kw = self.bump();
        let help = "write `access name 100/s \"\"\"SELECT ...\"\"\"`";
        let name = self.expect_ident("an access pattern name after `access`", help)?;
        let rate = if self.at(TokenKind::Number) {
            Some(self.parse_rate()?)
        } else {
            None
        };
        let across_tenants = self.eat_kw("across").is_some();
        if across_tenants {
            self.expect_kw(
                "tenants",
                "`tenants` after `across`",
                "write `access name 1/min across tenants \"\"\"SELECT ...\"\"\"`",
            )?;
        }
        let sql = self.parse_sql("the query in `\"\"\"` or backticks", help)?;
        Ok(AccessDecl {
            doc,
            name,
            rate,
            across_tenants,
            sql,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    /// `stats field true|null|range N%`, `stats field distinct N`, `stats field skew X`
    fn parse_stats(&mut self, trivia: Trivia) -> PResult<StatsDecl> {
        let kw = self.bump();
        let help =
            "write `stats field true 30%`, `null 5%`, `range 1%`, `distinct 100K` or `skew 1.1`";
        let field = self.expect_ident("a field name after `stats`", help)?;
        let k = self.tok(0);
        let kind = match (k.kind, self.lower(k).as_str()) {
            (TokenKind::Ident, "true") => StatsKind::True,
            (TokenKind::Ident, "null") => StatsKind::Null,
            (TokenKind::Ident, "distinct") => StatsKind::Distinct,
            (TokenKind::Ident, "skew") => StatsKind::Skew,
            (TokenKind::Ident, "range") => StatsKind::Range,
            _ => {
                return Err(self.unexpected(
                    "a statistic after the field: `true`, `null`, `range`, `distinct` or `skew`",
                    help,
                ));
            }
        };
        self.bump();
        let value = if kind == StatsKind::Distinct {
            let (n, at) = self.parse_row_count()?;
            if n == 0 {
                return Err(self.report(
                    Diagnostic::error(
                        codes::INVALID_NUMBER,
                        "a field has at least one distinct value",
                        help,
                    )
                    .at(at),
                ));
            }
            n as f64
        } else {
            let t = self.tok(0);
            if t.kind != TokenKind::Number {
                return Err(self.unexpected("a number", help));
            }
            self.bump();
            let text = self.text(t);
            let parsed = if super::exprs::is_decimal(text, true) {
                text.replace('_', "")
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
            } else {
                None
            };
            let in_range = |v: f64| {
                if kind.is_share() {
                    (0.0..=100.0).contains(&v)
                } else {
                    (0.0..=10.0).contains(&v)
                }
            };
            let Some(v) = parsed.filter(|v| in_range(*v)) else {
                let what = if kind.is_share() {
                    "a percentage from 0% to 100%"
                } else {
                    "a Zipf exponent from 0 to 10"
                };
                return Err(self.report(
                    Diagnostic::error(
                        codes::INVALID_NUMBER,
                        format!(
                            "invalid value `{text}` for `stats ... {}`: expected {what}",
                            kind.keyword()
                        ),
                        help,
                    )
                    .at(self.span(t)),
                ));
            };
            if kind.is_share() {
                self.expect(TokenKind::Percent, "`%` after the share", help)?;
            }
            v
        };
        Ok(StatsDecl {
            field,
            kind,
            value,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    /// `1000/s`, `2.5/min`, `20/h`, `3/day`
    fn parse_rate(&mut self) -> PResult<Rate> {
        let t = self.bump();
        let help = "write a rate as N/s, N/min, N/h or N/day, e.g. 1000/s";
        let text = self.text(t);
        let value = if super::exprs::is_decimal(text, true) {
            text.replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
        } else {
            None
        };
        let Some(value) = value else {
            return Err(self.report(
                Diagnostic::error(
                    codes::INVALID_NUMBER,
                    format!("invalid rate `{text}`"),
                    help,
                )
                .at(self.span(t)),
            ));
        };
        self.expect(TokenKind::Slash, "`/` and a unit after the rate", help)?;
        let u = self.tok(0);
        let unit = match (u.kind, self.lower(u).as_str()) {
            (TokenKind::Ident, "s") => RateUnit::Second,
            (TokenKind::Ident, "min") => RateUnit::Minute,
            (TokenKind::Ident, "h") => RateUnit::Hour,
            (TokenKind::Ident, "day") => RateUnit::Day,
            _ => {
                let found = self.describe(u);
                return Err(self.report(
                    Diagnostic::error(
                        codes::UNKNOWN_RATE_UNIT,
                        format!("unknown rate unit {found}, expected s, min, h or day"),
                        help,
                    )
                    .at(self.error_span(u)),
                ));
            }
        };
        self.bump();
        Ok(Rate {
            value,
            unit,
            span: self.span_from(t.start),
        })
    }

    /// `partition by range|list|hash (keys) { parts }` or `... hash (keys) into N`
    fn parse_partition(&mut self, mut trivia: Trivia) -> PResult<PartitionDecl> {
        let kw = self.bump();
        let help = "write `partition by range (created_at) { ... }`, `partition by list (region) \
                    { ... }` or `partition by hash (id) into 8`";
        self.expect_kw("by", "`by` after `partition`", help)?;
        let st = self.tok(0);
        let strategy = match (st.kind, self.lower(st).as_str()) {
            (TokenKind::Ident, "range") => PartitionStrategyAst::Range,
            (TokenKind::Ident, "list") => PartitionStrategyAst::List,
            (TokenKind::Ident, "hash") => PartitionStrategyAst::Hash,
            _ => {
                return Err(
                    self.unexpected("a partition strategy (`range`, `list` or `hash`)", help)
                );
            }
        };
        self.bump();
        let keys = self.paren_list("partition keys", |p| p.parse_key_expr())?;
        let mut parts = Vec::new();
        let mut hash_count = None;
        if strategy == PartitionStrategyAst::Hash {
            self.expect_kw(
                "into",
                "`into N` after the keys of a hash partitioning",
                "write `partition by hash (id) into 8`",
            )?;
            let n = self.tok(0);
            let (v, span) = self.parse_int("the number of hash partitions")?;
            match u32::try_from(v) {
                Ok(c) if c > MAX_HASH_PARTITIONS => {
                    return Err(self.report(
                        Diagnostic::error(
                            codes::TOO_MANY_PARTITIONS,
                            format!("{c} hash partitions requested; at most {MAX_HASH_PARTITIONS} are created"),
                            "every partition is a table with its own indexes, and planning slows down long before thousands of them; use fewer partitions",
                        )
                        .at(span),
                    ));
                }
                Ok(c) if c >= 1 => hash_count = Some((c, span)),
                _ => {
                    return Err(self.invalid_count(n));
                }
            }
        } else if let Some(open) = self.eat(TokenKind::LBrace) {
            let open = self.span(open);
            self.trailing_after_open(&mut trivia);
            let mut closed = false;
            loop {
                let lead = self.collect_leading();
                match self.kind() {
                    TokenKind::RBrace => {
                        trivia.set_inner(self.dangling(lead, "the end of a partition block"));
                        self.bump();
                        closed = true;
                        break;
                    }
                    TokenKind::Eof => {
                        self.missing_brace(open, "the partition block");
                        trivia.set_inner(self.dangling(lead, "the end of a partition block"));
                        break;
                    }
                    _ if self.at_strong_item_start() => {
                        self.missing_brace(open, "the partition block");
                        self.pending = Some(lead);
                        break;
                    }
                    _ => {}
                }
                match self.parse_partition_part(lead, strategy) {
                    Ok(mut part) => {
                        // Several partitions may share a line: `{ eu in ("de")  rest default }`.
                        if self.at(TokenKind::Ident) {
                            part.trivia.append_leading(&mut self.stray);
                        } else if self.end_line(&mut part.trivia, "this partition").is_err() {
                            self.recover_member();
                        }
                        parts.push(part);
                    }
                    Err(_) => self.recover_member(),
                }
            }
            if closed {
                self.trailing_after_block(&mut trivia);
            }
        }
        Ok(PartitionDecl {
            strategy,
            strategy_span: self.span(st),
            keys,
            parts,
            hash_count,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    fn invalid_count(&mut self, t: Token) -> super::Reported {
        let text = self.text(t).to_string();
        self.report(
            Diagnostic::error(
                codes::INVALID_NUMBER,
                format!("invalid hash partition count `{text}`"),
                format!("the count must be between 1 and {MAX_HASH_PARTITIONS}"),
            )
            .at(self.span(t)),
        )
    }

    /// `name from V to V` | `name in (V, ...)` | `name default` | `default`
    fn parse_partition_part(
        &mut self,
        lead: Leading,
        strategy: PartitionStrategyAst,
    ) -> PResult<PartitionPart> {
        let (_, trivia) = self.split_leading(lead, false, "a partition");
        let t0 = self.tok(0);
        let start = t0.start;
        if self.is_kw(t0, "default") && Self::ends_member(self.tok(1).kind) {
            self.bump();
            return Ok(PartitionPart {
                name: None,
                bound: PartitionBound::Default,
                trivia,
                span: self.span(t0),
            });
        }
        let (expected_bound, help) = match strategy {
            PartitionStrategyAst::Range => (
                "`from`",
                "a range partition is `name from V to V` (or `default`)",
            ),
            _ => (
                "`in`",
                "a list partition is `name in (V, ...)` (or `default`)",
            ),
        };
        let name = self.expect_ident("a partition name or `default`", help)?;
        let kt = self.tok(0);
        let kw = self.lower(kt);
        let bound = match (kt.kind, kw.as_str()) {
            (TokenKind::Ident, "from") if strategy == PartitionStrategyAst::Range => {
                self.bump();
                let from = self.parse_bound()?;
                self.expect_kw("to", "`to` after the lower bound", help)?;
                let to = self.parse_bound()?;
                PartitionBound::Range { from, to }
            }
            (TokenKind::Ident, "in") if strategy == PartitionStrategyAst::List => {
                self.bump();
                PartitionBound::List(self.paren_list("list values", |p| p.parse_bound_value())?)
            }
            (TokenKind::Ident, "default") => {
                self.bump();
                PartitionBound::Default
            }
            _ => {
                return Err(self.unexpected(
                    &format!("{expected_bound} or `default` after the partition name"),
                    help,
                ));
            }
        };
        Ok(PartitionPart {
            name: Some(name),
            bound,
            trivia,
            span: self.span_from(start),
        })
    }

    /// `distribute by col [colocate with Entity]` | `distribute reference`
    fn parse_distribute(&mut self, trivia: Trivia) -> PResult<DistributeDecl> {
        let kw = self.bump();
        let help = "write `distribute by owner [colocate with User]` or `distribute reference`";
        if self.eat_kw("reference").is_some() {
            return Ok(DistributeDecl {
                column: None,
                colocate_with: None,
                trivia,
                span: self.span_from(kw.start),
            });
        }
        self.expect_kw("by", "`by` or `reference` after `distribute`", help)?;
        let column = self.expect_ident("the distribution column after `distribute by`", help)?;
        let mut colocate_with = None;
        if self.eat_kw("colocate").is_some() {
            self.expect_kw("with", "`with` after `colocate`", help)?;
            colocate_with = Some(self.expect_ident("an entity name after `colocate with`", help)?);
        }
        Ok(DistributeDecl {
            column: Some(column),
            colocate_with,
            trivia,
            span: self.span_from(kw.start),
        })
    }

    /// `policy name [for cmd] [to roles] [restrictive|permissive] [using `e`] [check `e`]`
    fn parse_policy(&mut self, trivia: Trivia) -> PResult<PolicyDecl> {
        let kw = self.bump();
        let help = "write `policy name [for select] [to role, ...] [restrictive] \
                    [using `expr`] [check `expr`]`";
        let name = self.expect_ident("a policy name after `policy`", help)?;
        let mut decl = PolicyDecl {
            name,
            command: None,
            roles: Vec::new(),
            restrictive: false,
            using: None,
            check: None,
            trivia,
            span: Span::default(),
        };
        let mut seen = Seen::default();
        while !self.at_member_end() {
            let t = self.tok(0);
            let key = match (t.kind, self.lower(t).as_str()) {
                (TokenKind::Ident, "for") => {
                    self.bump();
                    let c = self.tok(0);
                    if c.kind != TokenKind::Ident
                        || !POLICY_COMMANDS.contains(&self.lower(c).as_str())
                    {
                        return Err(self.unexpected(
                            "a command after `for` (all, select, insert, update or delete)",
                            help,
                        ));
                    }
                    self.bump();
                    decl.command = Some(self.keyword_ident(c));
                    "for"
                }
                (TokenKind::Ident, "to") => {
                    self.bump();
                    decl.roles = self.comma_idents("a role name after `to`", help)?;
                    "to"
                }
                (TokenKind::Ident, "restrictive") => {
                    self.bump();
                    decl.restrictive = true;
                    "restrictive"
                }
                (TokenKind::Ident, "permissive") => {
                    self.bump();
                    decl.restrictive = false;
                    "restrictive"
                }
                (TokenKind::Ident, "using") => {
                    self.bump();
                    decl.using = Some(self.parse_sql("a SQL expression after `using`", help)?);
                    "using"
                }
                (TokenKind::Ident, "check") => {
                    self.bump();
                    decl.check = Some(self.parse_sql("a SQL expression after `check`", help)?);
                    "check"
                }
                _ => {
                    return Err(self.unexpected(
                        "a policy clause (`for`, `to`, `restrictive`, `permissive`, `using`, \
                         `check`)",
                        help,
                    ));
                }
            };
            let span = self.span_from(t.start);
            if let Some(first) = seen.check(key, span) {
                let what = if key == "restrictive" {
                    "`restrictive`/`permissive`".to_string()
                } else {
                    format!("clause `{key}`")
                };
                return Err(self.duplicate(&what, &decl.name.name, span, first));
            }
        }
        decl.span = self.span_from(kw.start);
        Ok(decl)
    }

    /// `grant select, insert to role, role`
    fn parse_grant(&mut self, trivia: Trivia) -> PResult<GrantDecl> {
        let kw = self.bump();
        let help = "write `grant select, insert to app_user`; privileges are all, select, \
                    insert, update, delete, truncate, references and trigger";
        let mut privileges = Vec::new();
        loop {
            let t = self.tok(0);
            if t.kind != TokenKind::Ident || !PRIVILEGES.contains(&self.lower(t).as_str()) {
                let help = with_suggestion(help, self.text(t), PRIVILEGES);
                return Err(self.unexpected("a privilege", &help));
            }
            self.bump();
            privileges.push(self.keyword_ident(t));
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect_kw("to", "`to` after the privileges", help)?;
        let roles = self.comma_idents("a role name", help)?;
        Ok(GrantDecl {
            privileges,
            roles,
            trivia,
            span: self.span_from(kw.start),
        })
    }
}

fn field_attr_span(a: &FieldAttr) -> Span {
    match a {
        FieldAttr::Unique(s)
        | FieldAttr::Index(s)
        | FieldAttr::PrimaryKey(s)
        | FieldAttr::Identity(s)
        | FieldAttr::IdentityByDefault(s) => *s,
        FieldAttr::Default(d) => d.span(),
        FieldAttr::Check(x) | FieldAttr::Generated(x) | FieldAttr::GeneratedVirtual(x) => x.span,
        FieldAttr::Collate(x) | FieldAttr::Map(x) => x.span,
        FieldAttr::RenamedFrom(i) => i.span,
    }
}

fn relation_attr_span(a: &RelationAttr) -> Span {
    match a {
        RelationAttr::OnDelete(_, s) | RelationAttr::OnUpdate(_, s) | RelationAttr::Unique(s) => *s,
        RelationAttr::Through(i) | RelationAttr::RenamedFrom(i) => i.span,
        RelationAttr::Map(x) | RelationAttr::Constraint(x) => x.span,
        RelationAttr::Deferrable { span, .. } => *span,
    }
}
