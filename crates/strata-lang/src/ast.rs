//! The `.strata` syntax tree. Every node keeps its span so diagnostics point at the source,
//! and the comments around it so `strata fmt` never loses a word.

use strata_diagnostics::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal's value (escapes resolved) and the span of the whole literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// Verbatim SQL: `` `expr` `` (inline) or `"""..."""` (block).
/// `span` covers the content only, so offsets inside the SQL map straight onto the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlText {
    pub text: String,
    pub span: Span,
    pub block: bool,
}

/// Comments written around a node. Most nodes have none, so the data is boxed only when there
/// is some: a schema of thousands of entities holds hundreds of thousands of nodes.
/// Read through `Deref`; write through [`Trivia::make_mut`].
#[derive(Clone, Default)]
pub struct Trivia(Option<Box<TriviaData>>);

/// `leading` are full-line `//` comments above a node (without the `//`), `trailing` a comment
/// after it on the same line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriviaData {
    pub leading: Vec<String>,
    pub trailing: Option<String>,
    /// A blank line separated this node from the one before it (the formatter keeps one).
    pub blank_line_before: bool,
    /// A blank line separated the `leading` comments from the node (or its doc), as after a
    /// file header comment. Only meaningful when `leading` is not empty.
    pub blank_line_after_comments: bool,
    /// Block nodes only (entity, mixin, schema, enum, conventions, partition): full-line
    /// comments after the last child, just before the closing `}`.
    pub inner: Vec<String>,
}

static NO_TRIVIA: TriviaData = TriviaData {
    leading: Vec::new(),
    trailing: None,
    blank_line_before: false,
    blank_line_after_comments: false,
    inner: Vec::new(),
};

impl Trivia {
    /// The data, allocated on first write.
    pub fn make_mut(&mut self) -> &mut TriviaData {
        self.0.get_or_insert_with(Box::default)
    }

    pub fn into_data(self) -> TriviaData {
        self.0.map(|b| *b).unwrap_or_default()
    }

    pub fn set_trailing(&mut self, comment: String) {
        self.make_mut().trailing = Some(comment);
    }

    /// Comments before a block's `}` (nothing is allocated for none).
    pub fn set_inner(&mut self, comments: Vec<String>) {
        if !comments.is_empty() || !self.inner.is_empty() {
            self.make_mut().inner = comments;
        }
    }

    /// Moves `comments` to the end of the leading comments.
    pub fn append_leading(&mut self, comments: &mut Vec<String>) {
        if !comments.is_empty() {
            self.make_mut().leading.append(comments);
        }
    }
}

impl From<TriviaData> for Trivia {
    fn from(data: TriviaData) -> Self {
        if data == NO_TRIVIA {
            Trivia(None)
        } else {
            Trivia(Some(Box::new(data)))
        }
    }
}

impl std::ops::Deref for Trivia {
    type Target = TriviaData;
    fn deref(&self) -> &TriviaData {
        self.0.as_deref().unwrap_or(&NO_TRIVIA)
    }
}

impl PartialEq for Trivia {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Trivia {}

impl std::fmt::Debug for Trivia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// One parsed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct File {
    pub items: Vec<Item>,
    /// Comments after the last item.
    pub trailing_comments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Conventions(Conventions),
    Schema(SchemaBlock),
    Extension(ExtensionDecl),
    Enum(EnumDecl),
    Domain(DomainDecl),
    Mixin(MixinDecl),
    Entity(EntityDecl),
    View(ViewDecl),
    Sql(RawSqlDecl),
    Sequence(SequenceDecl),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Conventions(x) => x.span,
            Item::Schema(x) => x.span,
            Item::Extension(x) => x.span,
            Item::Enum(x) => x.span,
            Item::Domain(x) => x.span,
            Item::Mixin(x) => x.span,
            Item::Entity(x) => x.span,
            Item::View(x) => x.span,
            Item::Sql(x) => x.span,
            Item::Sequence(x) => x.span,
        }
    }
}

/// `conventions { primary_key uuid  timestamps on }` at file, schema or entity level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conventions {
    pub settings: Vec<Setting>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: Ident,
    pub value: SettingValue,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingValue {
    Word(Ident),
    Str(Str),
    Int(i64, Span),
}

impl SettingValue {
    pub fn span(&self) -> Span {
        match self {
            SettingValue::Word(i) => i.span,
            SettingValue::Str(s) => s.span,
            SettingValue::Int(_, s) => *s,
        }
    }
}

/// `schema billing { ... }`: every item inside lives in the PostgreSQL schema `billing`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaBlock {
    pub doc: Option<String>,
    pub name: Ident,
    pub items: Vec<Item>,
    pub trivia: Trivia,
    pub span: Span,
}

/// `extension pg_trgm`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionDecl {
    pub name: Ident,
    pub trivia: Trivia,
    pub span: Span,
}

/// `enum task_status { todo, in_progress, done }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub values: Vec<EnumValue>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub doc: Option<String>,
    pub name: Ident,
    pub trivia: Trivia,
}

/// `domain positive_amount numeric(12,2) check `VALUE > 0``
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub nullable: bool,
    pub default: Option<DefaultExpr>,
    pub checks: Vec<SqlText>,
    pub trivia: Trivia,
    pub span: Span,
}

/// `mixin Name { members }`: members copied into every entity that says `use Name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixinDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub members: Vec<Member>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub members: Vec<Member>,
    pub trivia: Trivia,
    pub span: Span,
}

/// `view active_tasks """SELECT ..."""` or `materialized view ...`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub materialized: bool,
    pub sql: SqlText,
    pub trivia: Trivia,
    pub span: Span,
}

/// `sql name """..."""`: the raw SQL escape hatch (functions, grants, anything else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSqlDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub sql: SqlText,
    pub trivia: Trivia,
    pub span: Span,
}

/// `sequence name [as int] [start N] [increment N] [min N] [max N] [cache N] [cycle]
/// [owned by Entity(field)]`: a standalone sequence, created before the tables so column
/// defaults can call `nextval`. Options left out take PostgreSQL's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceDecl {
    pub doc: Option<String>,
    pub name: Ident,
    /// `as smallint | int | bigint` (default bigint).
    pub data_type: Option<Ident>,
    pub start: Option<(i64, Span)>,
    pub increment: Option<(i64, Span)>,
    pub min: Option<(i64, Span)>,
    pub max: Option<(i64, Span)>,
    pub cache: Option<(i64, Span)>,
    pub cycle: bool,
    /// `owned by Entity(field)`: dropped with that column.
    pub owned_by: Option<(Ident, Ident)>,
    pub trivia: Trivia,
    pub span: Span,
}

/// One line inside an entity or mixin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Field(FieldDecl),
    Relation(RelationDecl),
    /// `use Timestamps`
    Use(UseDecl),
    Index(IndexDecl),
    Unique(UniqueDecl),
    Check(CheckDecl),
    Exclude(ExcludeDecl),
    PrimaryKey(PrimaryKeyDecl),
    /// `soft_delete`
    SoftDelete(Flag),
    /// `audit`
    Audit(Flag),
    /// `rows 10M`
    Rows(RowsDecl),
    /// `stats field kind value`: a statistics hint for index selection.
    Stats(StatsDecl),
    Access(AccessDecl),
    Partition(PartitionDecl),
    Distribute(DistributeDecl),
    Tenant(TenantDecl),
    Policy(PolicyDecl),
    Grant(GrantDecl),
    /// `table "todo_items"`: overrides the derived table name.
    TableName(TableNameDecl),
    /// `renamed_from old_table_name`
    RenamedFrom(RenamedFromDecl),
    Conventions(Conventions),
}

impl Member {
    pub fn span(&self) -> Span {
        match self {
            Member::Field(x) => x.span,
            Member::Relation(x) => x.span,
            Member::Use(x) => x.span,
            Member::Index(x) => x.span,
            Member::Unique(x) => x.span,
            Member::Check(x) => x.span,
            Member::Exclude(x) => x.span,
            Member::PrimaryKey(x) => x.span,
            Member::SoftDelete(x) | Member::Audit(x) => x.span,
            Member::Rows(x) => x.span,
            Member::Stats(x) => x.span,
            Member::Access(x) => x.span,
            Member::Partition(x) => x.span,
            Member::Distribute(x) => x.span,
            Member::Tenant(x) => x.span,
            Member::Policy(x) => x.span,
            Member::Grant(x) => x.span,
            Member::TableName(x) => x.span,
            Member::RenamedFrom(x) => x.span,
            Member::Conventions(x) => x.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseDecl {
    pub mixin: Ident,
    pub trivia: Trivia,
    pub span: Span,
}

/// `renamed_from old_name` on an entity: its table used to be called `old_name` (migration
/// plans rename it instead of dropping and creating it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenamedFromDecl {
    pub name: Ident,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableNameDecl {
    pub name: Str,
    pub trivia: Trivia,
    pub span: Span,
}

/// A type as written: `text`, `text(200)`, `numeric(12, 2)`, `task_status`, `text[]`, or a
/// PostgreSQL type verbatim in backticks (`` `bit varying(8)` ``).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExpr {
    pub name: Ident,
    pub args: Vec<TypeArg>,
    pub array_dims: u8,
    /// Written in backticks: `name` holds the SQL type as PostgreSQL spells it, `args` is empty.
    pub raw: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeArg {
    Int(i64, Span),
    Word(Ident),
}

/// `name type[?] attrs...`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub nullable: bool,
    pub attrs: Vec<FieldAttr>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldAttr {
    /// `unique`
    Unique(Span),
    /// `index`
    Index(Span),
    /// `pk`: this field is (part of) the primary key.
    PrimaryKey(Span),
    /// `identity`: `GENERATED ALWAYS AS IDENTITY` (integer types only).
    Identity(Span),
    /// `identity by default`: `GENERATED BY DEFAULT AS IDENTITY`.
    IdentityByDefault(Span),
    /// `= value`
    Default(DefaultExpr),
    /// `check `expr``
    Check(SqlText),
    /// `generated `expr``: a stored generated column.
    Generated(SqlText),
    /// `generated virtual `expr``: a virtual generated column, computed when read
    /// (PostgreSQL 18).
    GeneratedVirtual(SqlText),
    /// `collate "C"`
    Collate(Str),
    /// `map "column_name"`: overrides the derived column name.
    Map(Str),
    /// `renamed_from old_name`
    RenamedFrom(Ident),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultExpr {
    /// Integer or decimal literal, kept as written (`-1`, `0.5`).
    Number(String, Span),
    Str(Str),
    Bool(bool, Span),
    Null(Span),
    /// A bare word: an enum value (`= todo`).
    Word(Ident),
    /// `now()`, `gen_random_uuid()`: a call without arguments.
    Call(Ident),
    /// `` = `now() + interval '1 day'` ``
    Sql(SqlText),
}

impl DefaultExpr {
    pub fn span(&self) -> Span {
        match self {
            DefaultExpr::Number(_, s) | DefaultExpr::Bool(_, s) | DefaultExpr::Null(s) => *s,
            DefaultExpr::Str(s) => s.span,
            DefaultExpr::Word(i) | DefaultExpr::Call(i) => i.span,
            DefaultExpr::Sql(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// `owner -> User`: a foreign key on this side (many-to-one, or one-to-one with `unique`).
    ToOne,
    /// `tags <-> Tag`: many-to-many through a junction table.
    ManyToMany,
    /// `tasks <- Task`: the inverse side of a `->` on `Task`; names the back-reference only.
    Inverse,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub kind: RelationKind,
    pub target: Ident,
    /// `-> User(email)`: the referenced column, when not the primary key.
    pub target_field: Option<Ident>,
    pub nullable: bool,
    pub attrs: Vec<RelationAttr>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionAst {
    Cascade,
    Restrict,
    NoAction,
    SetNull,
    SetDefault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationAttr {
    /// `on delete cascade`
    OnDelete(ActionAst, Span),
    /// `on update cascade`
    OnUpdate(ActionAst, Span),
    /// `unique`: one-to-one.
    Unique(Span),
    /// `through TaskTag`: the junction entity of a many-to-many.
    Through(Ident),
    /// `map "author_id"`: the FK column name (or junction table name for `<->`).
    Map(Str),
    /// `deferrable`, `deferred` (initially deferred)
    Deferrable {
        initially_deferred: bool,
        span: Span,
    },
    /// `renamed_from old_name`
    RenamedFrom(Ident),
    /// `constraint "fk_name"`: the foreign key's name, when not the derived one.
    Constraint(Str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyExpr {
    Column(Ident),
    Sql(SqlText),
}

/// `col [opclass] [asc|desc] [nulls first|last]`, or `` `expr` `` in place of the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexKeyDecl {
    pub expr: KeyExpr,
    pub opclass: Option<Ident>,
    pub descending: bool,
    pub nulls_first: Option<bool>,
    pub span: Span,
}

/// `[unique] index [name] (keys) [using method] [include (cols)] [where `pred`] [nulls not distinct]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDecl {
    pub name: Option<Str>,
    pub unique: bool,
    pub keys: Vec<IndexKeyDecl>,
    pub method: Option<Ident>,
    pub include: Vec<Ident>,
    pub predicate: Option<SqlText>,
    pub nulls_not_distinct: bool,
    pub trivia: Trivia,
    pub span: Span,
}

/// `unique (a, b) [nulls not distinct] [live]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueDecl {
    pub name: Option<Str>,
    pub columns: Vec<Ident>,
    pub nulls_not_distinct: bool,
    /// `live`: unique among the rows that are not soft-deleted only.
    pub live: bool,
    pub trivia: Trivia,
    pub span: Span,
}

/// `check [name] `expr``
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDecl {
    pub name: Option<Ident>,
    pub expr: SqlText,
    pub trivia: Trivia,
    pub span: Span,
}

/// `exclude [name] using gist (room_id with `=`, during with `&&`) [where `pred`]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludeDecl {
    pub name: Option<Ident>,
    pub method: Ident,
    pub elements: Vec<ExcludeElement>,
    pub predicate: Option<SqlText>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludeElement {
    pub key: IndexKeyDecl,
    pub operator: SqlText,
}

/// `primary key ["name"] (a, b)`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryKeyDecl {
    /// The constraint name, when not `<table>_pkey`.
    pub name: Option<Str>,
    pub columns: Vec<Ident>,
    pub trivia: Trivia,
    pub span: Span,
}

/// `rows 10M` (suffixes K, M, B; underscores allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsDecl {
    pub count: u64,
    pub trivia: Trivia,
    pub span: Span,
}

/// What a statistics hint describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsKind {
    /// `stats completed true 30%`: share of rows where a boolean field is true.
    True,
    /// `stats deleted_at null 95%`: share of rows where the field is NULL.
    Null,
    /// `stats owner distinct 100K`: number of distinct values.
    Distinct,
    /// `stats owner skew 1.1`: Zipf exponent of how rows spread over the values (0 = even).
    Skew,
    /// `stats due_date range 1%`: share of rows a range condition on the field matches.
    Range,
}

impl StatsKind {
    pub fn keyword(self) -> &'static str {
        match self {
            StatsKind::True => "true",
            StatsKind::Null => "null",
            StatsKind::Distinct => "distinct",
            StatsKind::Skew => "skew",
            StatsKind::Range => "range",
        }
    }

    /// Whether the value is a percentage (`30%`).
    pub fn is_share(self) -> bool {
        matches!(self, StatsKind::True | StatsKind::Null | StatsKind::Range)
    }
}

/// `stats field kind value`. `value` is as written: a percentage for `true`, `null` and
/// `range` (30 for `30%`), a count for `distinct`, an exponent for `skew`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsDecl {
    pub field: Ident,
    pub kind: StatsKind,
    pub value: f64,
    pub trivia: Trivia,
    pub span: Span,
}

impl Eq for StatsDecl {}

impl StatsDecl {
    /// The value the workload uses: a share in 0..=1 for percentages, else as written.
    pub fn hint_value(&self) -> f64 {
        if self.kind.is_share() {
            self.value / 100.0
        } else {
            self.value
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    Second,
    Minute,
    Hour,
    Day,
}

/// `1000/s`, `5/min`, `20/h`, `3/day`
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub value: f64,
    pub unit: RateUnit,
    pub span: Span,
}

impl Eq for Rate {}

/// `access name [rate] [across tenants] """SQL"""`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDecl {
    pub doc: Option<String>,
    pub name: Ident,
    pub rate: Option<Rate>,
    /// `across tenants`: the query reads every tenant's rows on purpose (run by a role that
    /// bypasses row-level security), so it is not expected to filter by the tenant.
    pub across_tenants: bool,
    pub sql: SqlText,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategyAst {
    Range,
    List,
    Hash,
}

/// ```text
/// partition by range (created_at) {
///   y2025 from "2025-01-01" to "2026-01-01"
///   default
/// }
/// partition by list (region) { eu in ("de", "fr") }
/// partition by hash (user_id) into 8
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionDecl {
    pub strategy: PartitionStrategyAst,
    pub strategy_span: Span,
    pub keys: Vec<KeyExpr>,
    pub parts: Vec<PartitionPart>,
    /// `into N`: N hash partitions named `<table>_p0` .. `<table>_p{N-1}`.
    pub hash_count: Option<(u32, Span)>,
    pub trivia: Trivia,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionBound {
    /// `from V to V` (a value, or a parenthesised list for multi-column keys).
    Range {
        from: Vec<BoundValue>,
        to: Vec<BoundValue>,
    },
    /// `in (V, ...)`
    List(Vec<BoundValue>),
    /// `default`
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundValue {
    Str(Str),
    Number(String, Span),
    /// `minvalue` / `maxvalue`
    Word(Ident),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionPart {
    /// Suffix of the partition's table name (`<table>_<name>`); `default` when absent.
    pub name: Option<Ident>,
    pub bound: PartitionBound,
    pub trivia: Trivia,
    pub span: Span,
}

/// `distribute by user_id [colocate with User]` or `distribute reference` (Citus).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributeDecl {
    /// `None` for a reference table.
    pub column: Option<Ident>,
    pub colocate_with: Option<Ident>,
    pub trivia: Trivia,
    pub span: Span,
}

/// `tenant by owner`: row-level security isolating rows by this relation or field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantDecl {
    pub field: Ident,
    pub trivia: Trivia,
    pub span: Span,
}

/// `policy name [for select] [to role, ...] [restrictive] [using `expr`] [check `expr`]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDecl {
    pub name: Ident,
    pub command: Option<Ident>,
    pub roles: Vec<Ident>,
    pub restrictive: bool,
    pub using: Option<SqlText>,
    pub check: Option<SqlText>,
    pub trivia: Trivia,
    pub span: Span,
}

/// `grant select, insert to app_user, reporting`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDecl {
    pub privileges: Vec<Ident>,
    pub roles: Vec<Ident>,
    pub trivia: Trivia,
    pub span: Span,
}
