use serde::{Deserialize, Serialize};

use crate::{QualifiedName, Why};

/// A column type. Built-in types are stored in the spelling `format_type()` gives
/// (`character varying(255)`, `timestamp with time zone`, `numeric(12,2)`), user-defined
/// types (enums, domains) by qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TypeRef {
    /// `None` for built-in types, resolved through `pg_catalog`.
    pub schema: Option<String>,
    pub name: String,
    /// Number of array dimensions (`text[]` has 1).
    pub array_dims: u8,
}

impl TypeRef {
    pub fn builtin(name: impl Into<String>) -> Self {
        TypeRef {
            schema: None,
            name: name.into(),
            array_dims: 0,
        }
    }

    pub fn user(name: &QualifiedName) -> Self {
        TypeRef {
            schema: Some(name.schema.clone()),
            name: name.name.clone(),
            array_dims: 0,
        }
    }

    pub fn array(mut self, dims: u8) -> Self {
        self.array_dims = dims;
        self
    }

    /// The base name without modifiers: `character varying(255)` → `character varying`.
    pub fn base_name(&self) -> &str {
        self.name.split('(').next().unwrap_or(&self.name).trim()
    }

    pub fn is_builtin(&self, base: &str) -> bool {
        self.schema.is_none() && self.array_dims == 0 && self.base_name() == base
    }

    pub fn qualified(&self) -> Option<QualifiedName> {
        self.schema
            .as_ref()
            .map(|s| QualifiedName::new(s.clone(), self.name.clone()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    Always,
    ByDefault,
}

/// Options of an identity column's sequence; `None` (and `cycle == false`) is PostgreSQL's
/// default for the column's type and direction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
}

impl IdentityOptions {
    pub fn is_default(&self) -> bool {
        *self == IdentityOptions::default()
    }

    /// `START WITH 100 INCREMENT BY 5 ...` for the options that are not the default, in
    /// `CREATE SEQUENCE` order; empty for none.
    pub fn sql(&self) -> String {
        let mut out = Vec::new();
        if let Some(v) = self.start {
            out.push(format!("START WITH {v}"));
        }
        if let Some(v) = self.increment {
            out.push(format!("INCREMENT BY {v}"));
        }
        if let Some(v) = self.min_value {
            out.push(format!("MINVALUE {v}"));
        }
        if let Some(v) = self.max_value {
            out.push(format!("MAXVALUE {v}"));
        }
        if let Some(v) = self.cache {
            out.push(format!("CACHE {v}"));
        }
        if self.cycle {
            out.push("CYCLE".to_string());
        }
        out.join(" ")
    }

    /// `SET INCREMENT BY 1 SET NO MINVALUE ... SET START WITH 1 ...` for `ALTER COLUMN`: every
    /// option set to these, defaults spelled out, so the result does not depend on what was
    /// there. It does not restart the sequence: only the value a restart would use changes.
    pub fn set_sql(&self) -> String {
        let increment = self.increment.unwrap_or(1);
        let mut parts = vec![format!("SET INCREMENT BY {increment}")];
        parts.push(match self.min_value {
            Some(v) => format!("SET MINVALUE {v}"),
            None => "SET NO MINVALUE".into(),
        });
        parts.push(match self.max_value {
            Some(v) => format!("SET MAXVALUE {v}"),
            None => "SET NO MAXVALUE".into(),
        });
        // The default start is the minimum going up, the maximum going down.
        let start = self.start.unwrap_or(if increment > 0 {
            self.min_value.unwrap_or(1)
        } else {
            self.max_value.unwrap_or(-1)
        });
        parts.push(format!("SET START WITH {start}"));
        parts.push(format!("SET CACHE {}", self.cache.unwrap_or(1)));
        parts.push(
            if self.cycle {
                "SET CYCLE"
            } else {
                "SET NO CYCLE"
            }
            .into(),
        );
        parts.join(" ")
    }
}

/// Where a column came from in the logical design.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnOrigin {
    /// The `.strata` field or relation name where it differs from the column name (relation
    /// `owner` for `owner_id`, a `map`ped field).
    pub field: Option<String>,
    /// Semantic type (`email`, `password_hash`, `money`, ...), if the column came from one.
    pub semantic: Option<String>,
    /// Holds a secret or a hash of one: redacted in docs and sample data.
    pub sensitive: bool,
    pub why: Option<Why>,
    /// The column's previous name (`renamed_from` in the design): a plan renames it instead
    /// of dropping and adding it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub data_type: TypeRef,
    pub nullable: bool,
    /// Default expression as SQL.
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED` expression.
    pub generated: Option<String>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    pub origin: ColumnOrigin,
    /// `ALTER COLUMN ... SET STATISTICS n`; `None` is the server's default target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    /// `ALTER COLUMN ... SET STORAGE` (`plain`, `external`, `extended`, `main`) where it differs
    /// from the type's default; `None` is the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// `COMPRESSION method` (`pglz`, `lz4`); `None` follows `default_toast_compression`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// Attribute options (`n_distinct=100`), as `name=value` in the server's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Inherited from a parent table (`INHERITS`) and not declared by this table itself: the
    /// parent creates it. (A partition's columns are not marked: a partition lists them all.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
    /// Options of the identity column's sequence (`START WITH 1000`).
    #[serde(default, skip_serializing_if = "IdentityOptions::is_default")]
    pub identity_options: IdentityOptions,
    /// The schema of [`Column::collation`] when it is not a built-in one (`pg_catalog`): a
    /// collation created in a user schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation_schema: Option<String>,
    /// With `generated`: `VIRTUAL`, computed when read (PostgreSQL 18), instead of `STORED`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated_virtual: bool,
    /// The name of the column's `NOT NULL` constraint where it is not the server's own
    /// (`<table>_<column>_not_null`); PostgreSQL 18 keeps these names in `pg_constraint`,
    /// older servers ignore them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_name: Option<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, data_type: TypeRef) -> Self {
        Column {
            name: name.into(),
            data_type,
            nullable: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            origin: ColumnOrigin::default(),
            statistics: None,
            storage: None,
            compression: None,
            options: Vec::new(),
            collation_schema: None,
            identity_options: IdentityOptions::default(),
            inherited: false,
            generated_virtual: false,
            not_null_name: None,
        }
    }
}

/// The name PostgreSQL derives for an object from two names and a label (`makeObjectName`):
/// `<name1>_<name2>_<label>`, the longer of the two names shortened first (at character
/// boundaries) so that the whole fits in 63 bytes.
pub fn object_name(name1: &str, name2: &str, label: &str) -> String {
    const MAX: usize = 63;
    let available = MAX.saturating_sub(label.len() + 2);
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > available {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    format!("{}_{}_{label}", clip(name1, n1), clip(name2, n2))
}

/// The name PostgreSQL 18 gives a column's `NOT NULL` constraint when none is written:
/// `<table>_<column>_not_null` (see [`object_name`]). When that name is taken the server
/// appends a number; such a name is then kept as [`Column::not_null_name`].
pub fn default_not_null_name(table: &str, column: &str) -> String {
    object_name(table, column, "not_null")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
    /// The last column is a range or multirange compared `WITHOUT OVERLAPS` (a temporal key,
    /// PostgreSQL 18): no two rows with equal other columns have overlapping periods.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_overlaps: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkMatch {
    Simple,
    Full,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

impl Deferrable {
    pub fn is_not_deferrable(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: QualifiedName,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub match_type: FkMatch,
    pub deferrable: Deferrable,
    /// The `.strata` relation this key implements.
    pub relation: Option<String>,
    /// Name of the back-reference on the referenced side (`tasks <- Task` on `User`, or the
    /// other side's `<->` for a junction), when the design declares one. Generators derive a
    /// name when it is absent.
    #[serde(default)]
    pub inverse: Option<String>,
    pub why: Option<Why>,
    /// Added `NOT VALID` and not validated yet: existing rows were not checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    /// The last column of each side is a period (`PERIOD col`, PostgreSQL 18): a temporal key
    /// whose referenced rows must together cover the referencing row's period.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub period: bool,
    /// `NOT ENFORCED` (PostgreSQL 18): declared for readers and planners, never checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_enforced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    pub name: String,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    pub deferrable: Deferrable,
    pub why: Option<Why>,
    /// The last column is compared `WITHOUT OVERLAPS` (see [`PrimaryKey::without_overlaps`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_overlaps: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConstraint {
    pub name: String,
    /// Boolean SQL expression, without the surrounding `CHECK (...)`.
    pub expression: String,
    pub why: Option<Why>,
    /// Added `NOT VALID` and not validated yet: existing rows were not checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    /// `NOT ENFORCED` (PostgreSQL 18): declared, never checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_enforced: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionElement {
    pub key: IndexKey,
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionConstraint {
    pub name: String,
    pub method: String,
    pub elements: Vec<ExclusionElement>,
    pub predicate: Option<String>,
    pub why: Option<Why>,
    #[serde(default, skip_serializing_if = "Deferrable::is_not_deferrable")]
    pub deferrable: Deferrable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexExpr {
    Column(String),
    /// An SQL expression; rendered in parentheses.
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    pub expr: IndexExpr,
    pub opclass: Option<String>,
    pub collation: Option<String>,
    pub descending: bool,
    /// `None` is the default for the direction (NULLS LAST for ASC, NULLS FIRST for DESC).
    pub nulls_first: Option<bool>,
}

impl IndexKey {
    pub fn column(name: impl Into<String>) -> Self {
        IndexKey {
            expr: IndexExpr::Column(name.into()),
            opclass: None,
            collation: None,
            descending: false,
            nulls_first: None,
        }
    }

    pub fn desc(mut self) -> Self {
        self.descending = true;
        self
    }

    pub fn column_name(&self) -> Option<&str> {
        match &self.expr {
            IndexExpr::Column(c) => Some(c),
            IndexExpr::Expression(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    /// Access method: `btree`, `hash`, `gin`, `gist`, `brin`, `spgist`.
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    pub predicate: Option<String>,
    pub nulls_not_distinct: bool,
    pub comment: Option<String>,
    pub why: Option<Why>,
    /// Storage parameters (`fillfactor=70`), as `name=value` in the catalog's order
    /// (which `pg_dump` prints; compared as a set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl Index {
    pub fn btree(name: impl Into<String>, keys: Vec<IndexKey>) -> Self {
        Index {
            name: name.into(),
            unique: false,
            method: "btree".into(),
            keys,
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            comment: None,
            why: None,
            options: Vec::new(),
        }
    }

    pub fn leading_column(&self) -> Option<&str> {
        self.keys.first().and_then(IndexKey::column_name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    Insert,
    /// `UPDATE`, or `UPDATE OF col, ...` when columns are listed.
    Update(Vec<String>),
    Delete,
    Truncate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub timing: TriggerTiming,
    pub events: Vec<TriggerEvent>,
    pub for_each_row: bool,
    pub when: Option<String>,
    pub function: QualifiedName,
    pub arguments: Vec<String>,
    pub comment: Option<String>,
    pub why: Option<Why>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    pub command: PolicyCommand,
    pub permissive: bool,
    /// Roles the policy applies to; empty means `PUBLIC`.
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub why: Option<Why>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionStrategy {
    Range,
    List,
    Hash,
}

impl PartitionStrategy {
    pub fn sql(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionBy {
    pub strategy: PartitionStrategy,
    /// Key columns or parenthesised expressions.
    pub keys: Vec<IndexExpr>,
    /// Per key, a collation that is not the key's own, as SQL (`"C"`, `public.ci`); empty
    /// when no key has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collations: Vec<Option<String>>,
    /// Per key, an operator class that is not the default, as SQL (`text_pattern_ops`,
    /// `public.my_ops`); empty when no key has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opclasses: Vec<Option<String>>,
}

/// This table is a partition of another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// `FOR VALUES ...` or `DEFAULT`, as `pg_get_expr(relpartbound)` prints it.
    pub bound: String,
}

/// Citus placement of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    Distributed {
        column: String,
        colocate_with: Option<QualifiedName>,
    },
    Reference,
}

/// Logical facts about a table that the catalog does not hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableOrigin {
    /// The `.strata` entity name (`User` for `users`).
    pub entity: Option<String>,
    pub row_estimate: Option<u64>,
    pub distribution: Option<Distribution>,
    /// Soft-delete column, when the table uses soft delete.
    pub soft_delete: Option<String>,
    /// Junction table of a many-to-many relation: the two entities it links.
    pub junction_of: Option<(String, String)>,
    pub why: Option<Why>,
    /// The table's previous name, in the same schema (`renamed_from` on the entity): a plan
    /// renames it instead of dropping and creating it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Statistics hints for the index selection (`stats completed true 70%`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stats: Vec<StatsHint>,
}

/// A statistics hint as the design wrote it: which column, what (`true`, `null`, `range`,
/// `distinct`, `skew`) and the value as written (a percentage without `%`, a count, an
/// exponent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsHint {
    pub column: String,
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: QualifiedName,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub foreign_keys: Vec<ForeignKey>,
    pub uniques: Vec<UniqueConstraint>,
    pub checks: Vec<CheckConstraint>,
    pub exclusions: Vec<ExclusionConstraint>,
    pub indexes: Vec<Index>,
    pub triggers: Vec<Trigger>,
    pub policies: Vec<Policy>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub partition_by: Option<PartitionBy>,
    pub partition_of: Option<PartitionOf>,
    pub unlogged: bool,
    pub comment: Option<String>,
    pub origin: TableOrigin,
    /// Parent tables of table inheritance (`INHERITS (parent, ...)`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<QualifiedName>,
    /// Storage parameters (`fillfactor=70`, `autovacuum_vacuum_scale_factor=0.01`,
    /// `toast.autovacuum_enabled=false`), as `name=value` in the catalog's order
    /// (which `pg_dump` prints; compared as a set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl Table {
    pub fn new(name: QualifiedName) -> Self {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            foreign_keys: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
            policies: Vec::new(),
            rls_enabled: false,
            rls_forced: false,
            partition_by: None,
            partition_of: None,
            unlogged: false,
            comment: None,
            origin: TableOrigin::default(),
            options: Vec::new(),
            inherits: Vec::new(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Whether `columns` (in any order) are exactly covered by the primary key or a unique
    /// constraint — what a foreign key needs on its referenced side.
    pub fn has_unique_key(&self, columns: &[String]) -> bool {
        let same =
            |key: &[String]| key.len() == columns.len() && columns.iter().all(|c| key.contains(c));
        self.primary_key
            .as_ref()
            .is_some_and(|pk| same(&pk.columns))
            || self.uniques.iter().any(|u| same(&u.columns))
            || self.indexes.iter().any(|i| {
                i.unique
                    && i.predicate.is_none()
                    && i.keys.len() == columns.len()
                    && i.keys.iter().all(|k| {
                        k.column_name()
                            .is_some_and(|c| columns.iter().any(|x| x == c))
                    })
            })
    }

    pub fn canonicalize(&mut self) {
        self.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        self.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        self.checks.sort_by(|a, b| a.name.cmp(&b.name));
        self.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.triggers.sort_by(|a, b| a.name.cmp(&b.name));
        self.policies.sort_by(|a, b| a.name.cmp(&b.name));
    }
}
