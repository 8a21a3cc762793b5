use serde::{Deserialize, Serialize};

use crate::{CheckConstraint, Index, QualifiedName, TypeRef};

/// Why a derived object exists, so docs and lints can answer "why is this here?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    pub source: WhySource,
    pub text: String,
}

impl Why {
    pub fn new(source: WhySource, text: impl Into<String>) -> Self {
        Why {
            source,
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhySource {
    /// Written explicitly in the design.
    Declared,
    /// Applied by a design convention (audit fields, naming, primary key strategy).
    Convention,
    /// Implements a relation (foreign key, its index, a junction table).
    Relation,
    /// Derived from a named access pattern.
    AccessPattern(String),
    /// Expansion of a semantic type (`email` → `text` + CHECK).
    SemanticType,
    SoftDelete,
    Audit,
    Tenant,
    Partitioning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    pub comment: Option<String>,
    /// The owner, when it must be set explicitly: introspection records it only where it
    /// differs from what creating the schema gives (the database owner, or
    /// `pg_database_owner` for `public`), since `pg_dump` shows such a schema even with
    /// `--no-owner`.
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: QualifiedName,
    pub values: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub name: QualifiedName,
    pub base: TypeRef,
    pub not_null: bool,
    pub default: Option<String>,
    pub collation: Option<String>,
    pub checks: Vec<CheckConstraint>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualifiedName,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: i64,
    pub cycle: bool,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(QualifiedName, String)>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    Immutable,
    Stable,
    Volatile,
}

impl Volatility {
    pub fn sql(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: QualifiedName,
    /// Argument list as SQL, e.g. `a integer, b text` (empty for none).
    pub arguments: String,
    /// Return type as SQL, e.g. `trigger`, `SETOF text`, `TABLE(id uuid)`.
    pub returns: String,
    pub language: String,
    pub body: String,
    pub volatility: Volatility,
    pub strict: bool,
    pub security_definer: bool,
    /// Settings the function runs with (`SET name TO value`), as PostgreSQL stores them in
    /// `proconfig`: `name=value`, e.g. `search_path=pg_catalog, pg_temp`. A `SECURITY DEFINER`
    /// function fixes its `search_path` so a caller's cannot redirect the names it uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<String>,
    /// Planner attributes that differ from the defaults, as `pg_get_functiondef` writes them
    /// and in its order: `LEAKPROOF`, `PARALLEL SAFE` / `PARALLEL RESTRICTED`, `COST n`,
    /// `ROWS n`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    pub comment: Option<String>,
    pub why: Option<crate::Why>,
}

/// An ordinary aggregate: `CREATE AGGREGATE name(arguments) (SFUNC = ..., STYPE = ...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    pub name: QualifiedName,
    /// Argument types as SQL, e.g. `text` or `integer, text` (`*` for no arguments).
    pub arguments: String,
    /// State transition function.
    pub sfunc: QualifiedName,
    /// State type as SQL.
    pub stype: String,
    pub finalfunc: Option<QualifiedName>,
    pub combinefunc: Option<QualifiedName>,
    /// Initial state, as the text PostgreSQL stores (`INITCOND`).
    pub initcond: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    /// The `SELECT` that defines it, without a trailing semicolon.
    pub definition: String,
    pub materialized: bool,
    /// Indexes on a materialized view.
    pub indexes: Vec<Index>,
    pub comment: Option<String>,
    /// Options (`security_barrier=true`, `check_option=local`) or, for a materialized view,
    /// storage parameters, as `name=value` in the catalog's order (compared as a set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// `TABLE`, `SCHEMA`, `SEQUENCE`, `FUNCTION`, ...
    pub object_kind: String,
    pub object: QualifiedName,
    pub privileges: Vec<String>,
    pub grantee: String,
    pub with_grant_option: bool,
}

/// Where a [`VerbatimObject`] goes in a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerbatimStage {
    /// After extensions, before enums, domains and functions: what functions are written in
    /// or take (procedural languages, base types with their support functions).
    BeforeFunctions,
    /// After enums and domains, before functions: what function signatures take and columns
    /// may use (composite and range types, C functions over them).
    AfterDomains,
    /// After functions and aggregates, before sequences and tables: what columns may use
    /// (collations) and what foreign tables need (foreign data wrappers, servers).
    BeforeTables,
    /// After tables, their keys, indexes and foreign keys, before views: foreign tables.
    AfterTables,
    /// After views, triggers and policies, before comments and grants: rules, triggers on
    /// views, constraint triggers, statistics objects, procedures, `BEGIN ATOMIC` functions,
    /// publications, event triggers.
    Last,
}

/// An object the model does not break into properties but carries as the SQL that creates
/// it, as the server prints it (`pg_get_ruledef`, `pg_get_triggerdef`,
/// `pg_get_statisticsobjdef`, `pg_get_functiondef`, ...), so it is applied, compared and
/// migrated whole instead of being lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerbatimObject {
    /// `rule`, `trigger`, `statistics`, `procedure`, `function`, `publication`,
    /// `event trigger`, `collation`, ...
    pub kind: String,
    /// The object's name as users write it: qualified, with its table (`public.t.r`) or
    /// signature (`public.p(integer)`) where it has one. Unique per kind.
    pub name: String,
    pub stage: VerbatimStage,
    /// Statements creating it (its comment and settings included), each ending in `;`.
    pub sql: String,
    /// The statement dropping it.
    pub drop: String,
    /// The table or view it belongs to (a rule's, a trigger's, a statistics object's): it is
    /// dropped with it, and creating or dropping it locks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<QualifiedName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawSql {
    pub name: Option<String>,
    pub sql: String,
}

/// A named query the application runs, with its expected rate; indexes are derived from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessPattern {
    pub name: String,
    pub table: QualifiedName,
    pub sql: String,
    /// Expected executions per second.
    pub rate_per_sec: Option<f64>,
    /// The index names that serve it (empty when a primary key or unique constraint does).
    pub served_by: Vec<String>,
    /// Reads every tenant's rows on purpose (`across tenants`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub across_tenants: bool,
}
