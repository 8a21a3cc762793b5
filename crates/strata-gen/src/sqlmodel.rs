//! `strata gen sqlmodel`: a Python package of SQLModel models.
//!
//! Files: `__init__.py` (re-exports), `enums.py` (Python `Enum`s mapped to the PostgreSQL enum
//! types by name), `types.py` (a pass-through type for domains and types SQLAlchemy lacks),
//! `tables.py` (`table=True` models: columns, keys, constraints, indexes, relationships),
//! `schemas.py` (Create/Update/Read models) and `database.py` (engine and sessions).
//!
//! The table models reproduce the schema's tables, columns, types, nullability, server
//! defaults, keys, unique and check constraints and indexes with their exact names, so
//! `SQLModel.metadata.create_all` builds the same tables `strata build` does. What SQLAlchemy's
//! metadata does not model — triggers, functions, policies and row-level security, exclusion
//! constraints, views, grants, partitions, raw SQL — is listed in `tables.py`'s docstring; the
//! Alembic revision (`strata gen alembic`) creates all of it.

use std::collections::BTreeSet;
use std::fmt::Write;

use strata_model::{
    Column, FkAction, ForeignKey, Identity, Index, IndexExpr, IndexKey, Model, QualifiedName,
    Table, TypeRef, WhySource, quote_ident,
};

use crate::config::{DatabaseSettings, GenConfig, PoolSettings, SslPolicy};
use crate::python::{ClassNames, attr, docstring, enum_members, str_lit};
use crate::relations::{RelKind, Relations, Relationship, analyze, modeled_tables};
use crate::{GenError, GeneratedFile, HEADER, canonical};

/// Generates the package's files (paths relative to the package folder).
pub fn generate(model: &Model, config: &GenConfig) -> Result<Vec<GeneratedFile>, GenError> {
    let model = canonical(model);
    if model.tables.is_empty() {
        return Err(GenError::EmptyModel);
    }
    let names = ClassNames::new(&model);
    let rels = analyze(&model, true);
    let cx = Cx {
        model: &model,
        names: &names,
        rels: &rels,
    };
    Ok(vec![
        GeneratedFile::new("__init__.py", init_py(&cx)),
        GeneratedFile::new("enums.py", enums_py(&cx)),
        GeneratedFile::new("types.py", types_py()),
        GeneratedFile::new("tables.py", tables_py(&cx)),
        GeneratedFile::new("schemas.py", schemas_py(&cx)),
        GeneratedFile::new(
            "database.py",
            database_py(&config.database, tenant_setting(&model).as_deref()),
        ),
    ])
}

struct Cx<'a> {
    model: &'a Model,
    names: &'a ClassNames,
    rels: &'a Relations,
}

fn header(doc: &str) -> String {
    format!("\"\"\"{HEADER}\n\n{doc}\n\"\"\"\n\n")
}

// ----- enums -----------------------------------------------------------------------------

fn enums_py(cx: &Cx) -> String {
    let mut out = header("Python enums for the schema's PostgreSQL enum types.");
    out.push_str("import enum\n\n\n");
    out.push_str("def enum_values(cls: type[enum.Enum]) -> list[str]:\n");
    out.push_str("    \"\"\"The PostgreSQL labels of an enum, in declaration order (SQLAlchemy `values_callable`).\"\"\"\n");
    out.push_str("    return [member.value for member in cls]\n");
    for e in &cx.model.enums {
        let class = &cx.names.enums[&e.name];
        let _ = write!(out, "\n\nclass {class}(str, enum.Enum):\n");
        let doc = e
            .comment
            .clone()
            .unwrap_or_else(|| format!("PostgreSQL enum type `{}`.", e.name.quoted()));
        out.push_str(&docstring(&doc, "    "));
        out.push('\n');
        for (member, value) in enum_members(&e.values).iter().zip(&e.values) {
            let _ = writeln!(out, "    {member} = {}", str_lit(value));
        }
        if e.values.is_empty() {
            out.push_str("    pass\n");
        }
    }
    out
}

fn types_py() -> String {
    let mut out = header(
        "A pass-through SQLAlchemy type for domains and PostgreSQL types SQLAlchemy does not model:\nDDL uses the type's name as written; values travel as the driver gives them.",
    );
    out.push_str("import sqlalchemy as sa\n\n\n");
    out.push_str("class PgType(sa.types.UserDefinedType):\n");
    out.push_str(
        "    \"\"\"A column type known only by its SQL name (`public.year`, `tsrange`).\"\"\"\n\n",
    );
    out.push_str("    cache_ok = True\n\n");
    out.push_str("    def __init__(self, spec: str) -> None:\n");
    out.push_str("        self.spec = spec\n\n");
    out.push_str("    def get_col_spec(self, **kw: object) -> str:\n");
    out.push_str("        return self.spec\n");
    out
}

// ----- types -----------------------------------------------------------------------------

/// The SQLAlchemy type expression and the Python type of a column type.
struct PyType {
    sa: String,
    py: String,
}

fn modifiers(name: &str) -> Vec<String> {
    match (name.find('('), name.find(')')) {
        (Some(a), Some(b)) if b > a => name[a + 1..b]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar_type(t: &TypeRef, cx: &Cx) -> PyType {
    let pt = |sa: &str, py: &str| PyType {
        sa: sa.to_string(),
        py: py.to_string(),
    };
    if let Some(q) = t.qualified() {
        if let Some(e) = cx.model.enum_type(&q) {
            let class = &cx.names.enums[&e.name];
            let schema = if q.schema == "public" {
                String::new()
            } else {
                format!(", schema={}", str_lit(&q.schema))
            };
            return PyType {
                sa: format!(
                    "sa.Enum({class}, name={}{schema}, values_callable=enum_values)",
                    str_lit(&q.name)
                ),
                py: class.clone(),
            };
        }
        // A domain is its base type to Python (a `char(3)` domain is a `str`); the column
        // keeps the domain's name so the database still checks it.
        let py = domain_base(&q, cx).map_or_else(|| "Any".into(), |b| scalar_type(&b, cx).py);
        return PyType {
            sa: format!("PgType({})", str_lit(&q.quoted())),
            py,
        };
    }
    let name = t.name.as_str();
    let base = t.base_name();
    let mods = modifiers(name);
    let with_tz = name.contains("with time zone");
    match base {
        "uuid" => pt("sa.Uuid()", "uuid.UUID"),
        "text" => pt("sa.Text()", "str"),
        "character varying" | "varchar" => match mods.first() {
            Some(n) => pt(&format!("sa.String({n})"), "str"),
            None => pt("sa.String()", "str"),
        },
        "character" | "char" | "bpchar" => pt(
            &format!("sa.CHAR({})", mods.first().map_or("1", |s| s)),
            "str",
        ),
        "boolean" => pt("sa.Boolean()", "bool"),
        "smallint" => pt("sa.SmallInteger()", "int"),
        "integer" => pt("sa.Integer()", "int"),
        "bigint" => pt("sa.BigInteger()", "int"),
        "numeric" | "decimal" => match mods.as_slice() {
            [p, s] => pt(&format!("sa.Numeric({p}, {s})"), "Decimal"),
            [p] => pt(&format!("sa.Numeric({p})"), "Decimal"),
            _ => pt("sa.Numeric()", "Decimal"),
        },
        "real" => pt("sa.REAL()", "float"),
        "double precision" => pt("sa.Double()", "float"),
        "timestamp" => {
            let precision = mods
                .first()
                .map(|p| format!(", precision={p}"))
                .unwrap_or_default();
            if precision.is_empty() {
                pt(
                    if with_tz {
                        "sa.DateTime(timezone=True)"
                    } else {
                        "sa.DateTime()"
                    },
                    "datetime",
                )
            } else {
                pt(
                    &format!(
                        "postgresql.TIMESTAMP(timezone={}{precision})",
                        if with_tz { "True" } else { "False" }
                    ),
                    "datetime",
                )
            }
        }
        "timestamp with time zone" => pt("sa.DateTime(timezone=True)", "datetime"),
        "timestamp without time zone" => pt("sa.DateTime()", "datetime"),
        "date" => pt("sa.Date()", "date"),
        "time" | "time without time zone" if mods.is_empty() && !with_tz => pt("sa.Time()", "time"),
        "time with time zone" => pt("sa.Time(timezone=True)", "time"),
        "interval" if mods.is_empty() => pt("postgresql.INTERVAL()", "timedelta"),
        "jsonb" => pt("postgresql.JSONB()", "Any"),
        "json" => pt("postgresql.JSON()", "Any"),
        "bytea" => pt("postgresql.BYTEA()", "bytes"),
        "inet" => pt("postgresql.INET()", "str"),
        "cidr" => pt("postgresql.CIDR()", "str"),
        "macaddr" => pt("postgresql.MACADDR()", "str"),
        "tsvector" => pt("postgresql.TSVECTOR()", "str"),
        _ => pt(&format!("PgType({})", str_lit(name)), "Any"),
    }
}

/// The base type of domain `q` (through domains over domains), when `q` is a domain.
fn domain_base(q: &QualifiedName, cx: &Cx) -> Option<TypeRef> {
    let mut base = cx.model.domains.iter().find(|d| &d.name == q)?.base.clone();
    // Domains over domains: a chain is short, and a cycle is cut off.
    for _ in 0..8 {
        let Some(next) = base.qualified() else {
            return Some(base);
        };
        match cx.model.domains.iter().find(|d| d.name == next) {
            Some(d) if base.array_dims == 0 => base = d.base.clone(),
            _ => return Some(base),
        }
    }
    None
}

fn column_type(c: &Column, cx: &Cx) -> PyType {
    let scalar = TypeRef {
        array_dims: 0,
        ..c.data_type.clone()
    };
    let inner = scalar_type(&scalar, cx);
    if c.data_type.array_dims == 0 {
        return inner;
    }
    let mut py = inner.py.clone();
    for _ in 0..c.data_type.array_dims {
        py = format!("list[{py}]");
    }
    PyType {
        sa: format!(
            "postgresql.ARRAY({}, dimensions={})",
            inner.sa, c.data_type.array_dims
        ),
        py,
    }
}

/// A Python default for simple literal server defaults (`false`, `0`, `'x'::text`, an enum
/// label), so a new object shows the value before it is saved.
fn python_default(c: &Column, cx: &Cx) -> Option<String> {
    let d = c.default.as_deref()?.trim();
    if c.data_type.array_dims > 0 {
        return None;
    }
    match d {
        "true" => return Some("True".into()),
        "false" => return Some("False".into()),
        _ => {}
    }
    let base = c.data_type.base_name();
    let numeric = matches!(
        base,
        "smallint" | "integer" | "bigint" | "real" | "double precision"
    );
    if numeric
        && d.trim_start_matches('-')
            .chars()
            .all(|ch| ch.is_ascii_digit() || ch == '.')
        && d.chars().any(|ch| ch.is_ascii_digit())
    {
        return Some(d.to_string());
    }
    // `'label'` or `'label'::type`
    let lit = d.strip_prefix('\'')?;
    let end = lit.find('\'')?;
    let value = &lit[..end];
    let rest = &lit[end + 1..];
    if !(rest.is_empty() || rest.starts_with("::")) || value.contains('\'') {
        return None;
    }
    if let Some(q) = c.data_type.qualified()
        && let Some(e) = cx.model.enum_type(&q)
    {
        let pos = e.values.iter().position(|v| v == value)?;
        let member = &enum_members(&e.values)[pos];
        return Some(format!("{}.{member}", cx.names.enums[&e.name]));
    }
    if matches!(base, "text" | "character varying" | "varchar") {
        return Some(str_lit(value));
    }
    None
}

// ----- tables ----------------------------------------------------------------------------

fn tables_py(cx: &Cx) -> String {
    let mut out = header(&tables_doc(cx));
    out.push_str("import uuid\n");
    out.push_str("from datetime import date, datetime, time, timedelta\n");
    out.push_str("from decimal import Decimal\n");
    out.push_str("from typing import Any, Optional\n\n");
    out.push_str("import sqlalchemy as sa\n");
    out.push_str("from sqlalchemy.dialects import postgresql\n");
    out.push_str("from sqlmodel import Field, Relationship, SQLModel\n\n");
    let enum_classes: Vec<&String> = cx.names.enums.values().collect();
    if !enum_classes.is_empty() {
        let mut list: Vec<&str> = enum_classes.iter().map(|s| s.as_str()).collect();
        list.push("enum_values");
        list.sort();
        let _ = writeln!(out, "from .enums import {}", list.join(", "));
    }
    out.push_str("from .types import PgType\n\n");
    // Link models first: `link_model=` takes the class itself.
    let mut tables: Vec<&Table> = modeled_tables(cx.model).collect();
    tables.sort_by_key(|t| !cx.rels.links.contains(&t.name));
    for t in tables {
        out.push('\n');
        out.push_str(&table_class(t, cx));
    }
    out
}

fn tables_doc(cx: &Cx) -> String {
    let mut doc = String::from(
        "SQLModel table models. `SQLModel.metadata.create_all()` creates the tables, columns, keys,\nunique and check constraints and indexes; the database also has what SQLAlchemy's metadata\ndoes not model, which the Alembic revision (`strata gen alembic`) creates:",
    );
    let mut extra: Vec<String> = Vec::new();
    for f in &cx.model.functions {
        extra.push(format!("function {}({})", f.name.quoted(), f.arguments));
    }
    for t in &cx.model.tables {
        if let Some(p) = &t.partition_of {
            extra.push(format!(
                "partition {} of {}",
                t.name.quoted(),
                p.parent.quoted()
            ));
            continue;
        }
        for tr in &t.triggers {
            extra.push(format!(
                "trigger {} on {}",
                quote_ident(&tr.name),
                t.name.quoted()
            ));
        }
        if t.rls_enabled {
            extra.push(format!("row-level security on {}", t.name.quoted()));
        }
        for p in &t.policies {
            extra.push(format!(
                "policy {} on {}",
                quote_ident(&p.name),
                t.name.quoted()
            ));
        }
        for x in &t.exclusions {
            extra.push(format!(
                "exclusion constraint {} on {}",
                quote_ident(&x.name),
                t.name.quoted()
            ));
        }
        if t.partition_by.is_some() {
            extra.push(format!("partitioning of {}", t.name.quoted()));
        }
    }
    for v in &cx.model.views {
        extra.push(format!("view {}", v.name.quoted()));
    }
    for s in &cx.model.sequences {
        extra.push(format!("sequence {}", s.name.quoted()));
    }
    if !cx.model.grants.is_empty() {
        extra.push(format!("{} grant(s)", cx.model.grants.len()));
    }
    if !cx.model.raw_sql.is_empty() {
        extra.push(format!("{} raw SQL block(s)", cx.model.raw_sql.len()));
    }
    if extra.is_empty() {
        doc.push_str("\nnothing (this schema has no such objects).");
    }
    for e in extra {
        let _ = write!(doc, "\n- {e}");
    }
    doc
}

/// `[sa.text(...)]`-free names: plain key columns are written by name, anything else as SQL.
fn index_element(k: &IndexKey) -> String {
    let plain =
        k.opclass.is_none() && k.collation.is_none() && !k.descending && k.nulls_first.is_none();
    match (&k.expr, plain) {
        (IndexExpr::Column(c), true) => str_lit(c),
        _ => format!("sa.text({})", str_lit(&strata_sql::render_index_key(k))),
    }
}

fn index_arg(ix: &Index) -> String {
    let mut parts = vec![str_lit(&ix.name)];
    parts.extend(ix.keys.iter().map(index_element));
    if ix.unique {
        parts.push("unique=True".into());
    }
    if ix.method != "btree" {
        parts.push(format!("postgresql_using={}", str_lit(&ix.method)));
    }
    if !ix.include.is_empty() {
        let cols: Vec<String> = ix.include.iter().map(|c| str_lit(c)).collect();
        parts.push(format!("postgresql_include=[{}]", cols.join(", ")));
    }
    if let Some(p) = &ix.predicate {
        parts.push(format!("postgresql_where=sa.text({})", str_lit(p)));
    }
    if ix.nulls_not_distinct {
        parts.push("postgresql_nulls_not_distinct=True".into());
    }
    format!("sa.Index({})", parts.join(", "))
}

/// Whether a single-column key is written with `Field(foreign_key=...)`: its name is the one
/// PostgreSQL gives an unnamed key and it has no options `Field` cannot express.
fn simple_fk(t: &Table, fk: &ForeignKey) -> bool {
    let [col] = fk.columns.as_slice() else {
        return false;
    };
    fk.name == format!("{}_{col}_fkey", t.name.name)
        && fk.name.len() <= 63
        && fk.on_update == FkAction::NoAction
        && !matches!(fk.on_delete, FkAction::SetDefault)
        && fk.match_type == strata_model::FkMatch::Simple
        && fk.deferrable == strata_model::Deferrable::NotDeferrable
}

fn fk_target(fk: &ForeignKey, col: &str) -> String {
    if fk.ref_table.schema == "public" {
        format!("{}.{col}", fk.ref_table.name)
    } else {
        format!("{}.{}.{col}", fk.ref_table.schema, fk.ref_table.name)
    }
}

fn fk_constraint(fk: &ForeignKey) -> String {
    let cols: Vec<String> = fk.columns.iter().map(|c| str_lit(c)).collect();
    let refs: Vec<String> = fk
        .ref_columns
        .iter()
        .map(|c| str_lit(&fk_target(fk, c)))
        .collect();
    let mut parts = vec![
        format!("[{}]", cols.join(", ")),
        format!("[{}]", refs.join(", ")),
        format!("name={}", str_lit(&fk.name)),
    ];
    if fk.on_delete != FkAction::NoAction {
        parts.push(format!("ondelete={}", str_lit(fk.on_delete.sql())));
    }
    if fk.on_update != FkAction::NoAction {
        parts.push(format!("onupdate={}", str_lit(fk.on_update.sql())));
    }
    if fk.match_type == strata_model::FkMatch::Full {
        parts.push("match=\"FULL\"".into());
    }
    match fk.deferrable {
        strata_model::Deferrable::NotDeferrable => {}
        strata_model::Deferrable::InitiallyImmediate => parts.push("deferrable=True".into()),
        strata_model::Deferrable::InitiallyDeferred => {
            parts.push("deferrable=True, initially=\"DEFERRED\"".into())
        }
    }
    format!("sa.ForeignKeyConstraint({})", parts.join(", "))
}

fn table_args(t: &Table) -> Vec<String> {
    let mut args = Vec::new();
    if let Some(pk) = &t.primary_key {
        let mut parts: Vec<String> = pk.columns.iter().map(|c| str_lit(c)).collect();
        parts.push(format!("name={}", str_lit(&pk.name)));
        args.push(format!("sa.PrimaryKeyConstraint({})", parts.join(", ")));
    }
    for fk in &t.foreign_keys {
        if !simple_fk(t, fk) {
            args.push(fk_constraint(fk));
        }
    }
    for u in &t.uniques {
        let mut parts: Vec<String> = u.columns.iter().map(|c| str_lit(c)).collect();
        parts.push(format!("name={}", str_lit(&u.name)));
        if u.nulls_not_distinct {
            parts.push("postgresql_nulls_not_distinct=True".into());
        }
        if u.deferrable != strata_model::Deferrable::NotDeferrable {
            parts.push("deferrable=True".into());
            if u.deferrable == strata_model::Deferrable::InitiallyDeferred {
                parts.push("initially=\"DEFERRED\"".into());
            }
        }
        args.push(format!("sa.UniqueConstraint({})", parts.join(", ")));
    }
    for c in &t.checks {
        args.push(format!(
            "sa.CheckConstraint({}, name={})",
            str_lit(&c.expression),
            str_lit(&c.name)
        ));
    }
    for ix in &t.indexes {
        args.push(index_arg(ix));
    }
    let mut kw = Vec::new();
    if t.name.schema != "public" {
        kw.push(format!("\"schema\": {}", str_lit(&t.name.schema)));
    }
    if let Some(c) = &t.comment {
        kw.push(format!("\"comment\": {}", str_lit(c)));
    }
    if !kw.is_empty() {
        args.push(format!("{{{}}}", kw.join(", ")));
    }
    args
}

fn is_sensitive(c: &Column) -> bool {
    let n = c.name.to_ascii_lowercase();
    c.origin.sensitive
        || matches!(
            c.origin.semantic.as_deref(),
            Some("password_hash" | "secret")
        )
        || n.contains("password")
        || n.contains("secret")
}

/// Columns the database fills in: keys with defaults, identity, generated and audit columns.
fn server_managed(t: &Table, c: &Column) -> bool {
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&c.name));
    c.identity.is_some()
        || c.generated.is_some()
        || (in_pk && c.default.is_some())
        || (c.default.is_some() && matches!(c.name.as_str(), "created_at" | "updated_at"))
        || t.origin.soft_delete.as_deref() == Some(c.name.as_str())
}

fn column_field(t: &Table, c: &Column, cx: &Cx) -> String {
    let ty = column_type(c, cx);
    let a = attr(&c.name);
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&c.name));
    let db_fills = c.default.is_some() || c.identity.is_some() || c.generated.is_some();
    let optional = c.nullable || db_fills;
    let py = if optional {
        format!("Optional[{}]", ty.py)
    } else {
        ty.py.clone()
    };
    let mut args: Vec<String> = Vec::new();
    if optional {
        args.push(format!(
            "default={}",
            python_default(c, cx).unwrap_or_else(|| "None".into())
        ));
    }
    if in_pk {
        args.push("primary_key=True".into());
    }
    let simple = t
        .foreign_keys
        .iter()
        .find(|fk| fk.columns.len() == 1 && fk.columns[0] == c.name && simple_fk(t, fk));
    if let Some(fk) = simple {
        args.push(format!(
            "foreign_key={}",
            str_lit(&fk_target(fk, &fk.ref_columns[0]))
        ));
        if fk.on_delete != FkAction::NoAction {
            args.push(format!("ondelete={}", str_lit(fk.on_delete.sql())));
        }
    }
    if !in_pk {
        args.push(format!(
            "nullable={}",
            if c.nullable { "True" } else { "False" }
        ));
    }
    args.push(format!("sa_type={}", ty.sa));
    let mut col_args = Vec::new();
    match c.identity {
        Some(Identity::Always) => col_args.push("sa.Identity(always=True)".to_string()),
        Some(Identity::ByDefault) => col_args.push("sa.Identity(always=False)".to_string()),
        None => {}
    }
    if let Some(g) = &c.generated {
        col_args.push(format!("sa.Computed({}, persisted=True)", str_lit(g)));
    }
    if !col_args.is_empty() {
        args.push(format!("sa_column_args=[{}]", col_args.join(", ")));
    }
    let mut kwargs = Vec::new();
    if a != c.name {
        kwargs.push(format!("\"name\": {}", str_lit(&c.name)));
    }
    if let Some(d) = &c.default {
        kwargs.push(format!("\"server_default\": sa.text({})", str_lit(d)));
    }
    if let Some(cm) = &c.comment {
        kwargs.push(format!("\"comment\": {}", str_lit(cm)));
    }
    if !kwargs.is_empty() {
        args.push(format!("sa_column_kwargs={{{}}}", kwargs.join(", ")));
    }
    if let Some(cm) = &c.comment {
        args.push(format!("description={}", str_lit(cm)));
    }
    if is_sensitive(c) {
        args.push("repr=False".into());
    }
    format!("    {a}: {py} = Field({})\n", args.join(", "))
}

/// `foreign_keys` for a relationship whose tables are joined by more than one key.
fn ambiguous(r: &Relationship, cx: &Cx) -> bool {
    let count = |from: &QualifiedName, to: &QualifiedName| {
        cx.model.table(from).map_or(0, |t| {
            t.foreign_keys.iter().filter(|f| &f.ref_table == to).count()
        })
    };
    r.table == r.target || count(&r.table, &r.target) + count(&r.target, &r.table) > 1
}

fn relationship_field(r: &Relationship, cx: &Cx) -> String {
    let target = cx.names.table(&r.target);
    let mut args = vec![format!("back_populates={}", str_lit(&r.back))];
    let mut kw: Vec<String> = Vec::new();
    let fk = cx
        .model
        .table(&r.fk_table)
        .and_then(|t| t.foreign_keys.iter().find(|f| f.name == r.fk));
    let child_class = cx.names.table(&r.fk_table);
    let fk_cols = |fk: &ForeignKey| {
        fk.columns
            .iter()
            .map(|c| format!("{child_class}.{}", attr(c)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let py = match r.kind {
        RelKind::ManyToOne => {
            if let Some(fk) = fk
                && ambiguous(r, cx)
            {
                kw.push(format!("\"foreign_keys\": \"[{}]\"", fk_cols(fk)));
                if r.table == r.target {
                    let remote: Vec<String> = fk
                        .ref_columns
                        .iter()
                        .map(|c| format!("{target}.{}", attr(c)))
                        .collect();
                    kw.push(format!("\"remote_side\": \"[{}]\"", remote.join(", ")));
                }
            }
            format!("Optional[\"{target}\"]")
        }
        RelKind::OneToMany | RelKind::OneToOneParent => {
            if let Some(fk) = fk
                && ambiguous(r, cx)
            {
                kw.push(format!("\"foreign_keys\": \"[{}]\"", fk_cols(fk)));
            }
            match r.on_delete {
                FkAction::Cascade => {
                    args.push("passive_deletes=True".into());
                    kw.push("\"cascade\": \"all, delete-orphan\"".into());
                }
                FkAction::SetNull | FkAction::SetDefault => {
                    args.push("passive_deletes=True".into())
                }
                FkAction::Restrict | FkAction::NoAction => {
                    args.push("passive_deletes=\"all\"".into())
                }
            }
            if r.kind == RelKind::OneToOneParent {
                kw.push("\"uselist\": False".into());
                format!("Optional[\"{target}\"]")
            } else {
                format!("list[\"{target}\"]")
            }
        }
        RelKind::ManyToMany => {
            args.push(format!("link_model={}", cx.names.table(&r.fk_table)));
            format!("list[\"{target}\"]")
        }
    };
    if !kw.is_empty() {
        args.push(format!("sa_relationship_kwargs={{{}}}", kw.join(", ")));
    }
    format!(
        "    {}: {py} = Relationship({})\n",
        attr(&r.name),
        args.join(", ")
    )
}

fn table_class(t: &Table, cx: &Cx) -> String {
    let class = cx.names.table(&t.name);
    let mut out = format!("\nclass {class}(SQLModel, table=True):\n");
    let doc = t
        .comment
        .clone()
        .unwrap_or_else(|| format!("Table {}.", t.name.quoted()));
    out.push_str(&docstring(&doc, "    "));
    out.push('\n');
    let _ = writeln!(out, "    __tablename__ = {}", str_lit(&t.name.name));
    let args = table_args(t);
    if !args.is_empty() {
        out.push_str("    __table_args__ = (\n");
        for a in args {
            let _ = writeln!(out, "        {a},");
        }
        out.push_str("    )\n");
    }
    out.push('\n');
    for c in &t.columns {
        out.push_str(&column_field(t, c, cx));
    }
    let rels = cx.rels.of(&t.name);
    if !rels.is_empty() {
        out.push('\n');
        for r in rels {
            out.push_str(&relationship_field(r, cx));
        }
    }
    out
}

// ----- Create / Update / Read ------------------------------------------------------------

/// The audit log is append-only and written by triggers alone: a client reads it, never
/// creates or changes a row of it, so it gets no `Create` or `Update` model.
fn api_models(t: &Table) -> &'static [&'static str] {
    let audit_log = t.origin.entity.is_none()
        && t.origin
            .why
            .as_ref()
            .is_some_and(|w| w.source == WhySource::Audit);
    if audit_log {
        &["Read"]
    } else {
        &["Create", "Read", "Update"]
    }
}

/// A length limit for validation: `varchar(n)`, or a `char_length(col) <= n` check.
fn max_length(t: &Table, c: &Column) -> Option<String> {
    if matches!(c.data_type.base_name(), "character varying" | "varchar")
        && c.data_type.array_dims == 0
    {
        return modifiers(&c.data_type.name).into_iter().next();
    }
    let probe = format!("char_length({}) <= ", quote_ident(&c.name));
    t.checks.iter().find_map(|ck| {
        let rest = ck.expression.split(&probe).nth(1)?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    })
}

fn schemas_py(cx: &Cx) -> String {
    let mut out = header(
        "Pydantic models for an API: `XCreate` (what a client sends to create a row), `XUpdate` (a\npartial change: every field optional) and `XRead` (what a client gets back). Columns the\ndatabase fills in (generated keys, identity, audit timestamps) are not in Create or Update;\nsecrets and hashes are write-only: in Create and Update, never in Read.",
    );
    out.push_str("import uuid\n");
    out.push_str("from datetime import date, datetime, time, timedelta\n");
    out.push_str("from decimal import Decimal\n");
    out.push_str("from typing import Any, Optional\n\n");
    out.push_str("from sqlmodel import Field, SQLModel\n");
    let enum_classes: Vec<&str> = cx.names.enums.values().map(String::as_str).collect();
    if !enum_classes.is_empty() {
        let _ = writeln!(out, "\nfrom .enums import {}", enum_classes.join(", "));
    }
    out.push('\n');
    for t in modeled_tables(cx.model) {
        if cx.rels.links.contains(&t.name) {
            continue;
        }
        let class = cx.names.table(&t.name);
        for (suffix, purpose) in [
            ("Create", "Fields a client sends to create"),
            ("Update", "A partial update of"),
            ("Read", "What a client reads of"),
        ]
        .into_iter()
        .filter(|(suffix, _)| api_models(t).contains(suffix))
        {
            let _ = write!(out, "\nclass {class}{suffix}(SQLModel):\n");
            out.push_str(&docstring(
                &format!("{purpose} a `{class}` ({}).", t.name.quoted()),
                "    ",
            ));
            out.push('\n');
            let mut any = false;
            for c in &t.columns {
                let ty = column_type(c, cx);
                let a = attr(&c.name);
                let mut args: Vec<String> = Vec::new();
                let py;
                match suffix {
                    "Create" | "Update" => {
                        if server_managed(t, c) {
                            continue;
                        }
                        let optional = suffix == "Update"
                            || c.nullable
                            || c.default.is_some()
                            || c.identity.is_some();
                        if optional {
                            py = format!("Optional[{}]", ty.py);
                            let default = if suffix == "Create" {
                                python_default(c, cx)
                            } else {
                                None
                            };
                            args.push(format!(
                                "default={}",
                                default.unwrap_or_else(|| "None".into())
                            ));
                        } else {
                            py = ty.py.clone();
                        }
                        if let Some(n) = max_length(t, c) {
                            args.push(format!("max_length={n}"));
                        }
                        if is_sensitive(c) {
                            args.push("repr=False".into());
                        }
                    }
                    _ => {
                        if is_sensitive(c) {
                            continue;
                        }
                        py = if c.nullable {
                            format!("Optional[{}]", ty.py)
                        } else {
                            ty.py.clone()
                        };
                        if c.nullable {
                            args.push("default=None".into());
                        }
                    }
                }
                if a != c.name {
                    args.push(format!("alias={}", str_lit(&c.name)));
                }
                if let Some(cm) = &c.comment {
                    args.push(format!("description={}", str_lit(cm)));
                }
                any = true;
                if args.is_empty() {
                    let _ = writeln!(out, "    {a}: {py}");
                } else {
                    let _ = writeln!(out, "    {a}: {py} = Field({})", args.join(", "));
                }
            }
            if !any {
                out.push_str("    pass\n");
            }
            out.push('\n');
        }
    }
    out
}

// ----- package and database ------------------------------------------------------------

fn init_py(cx: &Cx) -> String {
    let mut out = header("SQLModel models of the schema: import from here.");
    let enums: Vec<&str> = cx.names.enums.values().map(String::as_str).collect();
    let mut tables: Vec<&str> = Vec::new();
    let mut schemas: Vec<String> = Vec::new();
    for t in modeled_tables(cx.model) {
        let c = cx.names.tables[&t.name].as_str();
        tables.push(c);
        if !cx.rels.links.contains(&t.name) {
            for s in api_models(t) {
                schemas.push(format!("{c}{s}"));
            }
        }
    }
    tables.sort();
    schemas.sort();
    out.push_str("from sqlmodel import SQLModel\n\n");
    let mut all: BTreeSet<String> = BTreeSet::new();
    all.insert("SQLModel".into());
    let mut import = |module: &str, names: &[&str], out: &mut String| {
        if names.is_empty() {
            return;
        }
        let _ = writeln!(out, "from .{module} import (");
        for n in names {
            let _ = writeln!(out, "    {n},");
            all.insert((*n).to_string());
        }
        out.push_str(")\n");
    };
    import("enums", &enums, &mut out);
    import("tables", &tables, &mut out);
    let s: Vec<&str> = schemas.iter().map(String::as_str).collect();
    import("schemas", &s, &mut out);
    out.push_str("\n# The tables' metadata, for Alembic's `target_metadata`.\nmetadata = SQLModel.metadata\n");
    all.insert("metadata".into());
    out.push_str("\n__all__ = [\n");
    for n in &all {
        let _ = writeln!(out, "    {},", str_lit(n));
    }
    out.push_str("]\n");
    out
}

fn pool_dict(p: &PoolSettings) -> String {
    format!(
        "{{\"pool_size\": {}, \"max_overflow\": {}, \"pool_pre_ping\": {}, \"pool_recycle\": {}}}",
        p.pool_size,
        p.max_overflow,
        if p.pool_pre_ping { "True" } else { "False" },
        p.pool_recycle
    )
}

/// The setting the row-level security policies read the tenant from
/// (`current_setting('app.current_org_id', true)`), when they all read the same one.
fn tenant_setting(model: &Model) -> Option<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    let exprs = model
        .tables
        .iter()
        .flat_map(|t| &t.policies)
        .flat_map(|p| p.using.iter().chain(p.with_check.iter()));
    for e in exprs {
        let mut rest = e.as_str();
        while let Some(i) = rest.find("current_setting('") {
            let after = &rest[i + "current_setting('".len()..];
            let Some(end) = after.find('\'') else { break };
            found.insert(after[..end].to_string());
            rest = &after[end..];
        }
    }
    if found.len() == 1 {
        found.into_iter().next()
    } else {
        None
    }
}

fn database_py(db: &DatabaseSettings, tenant_setting: Option<&str>) -> String {
    let mut out = header(
        "Engine and sessions. Pool settings per environment (development and production); they can be\nchanged in `strata.toml` (`[gen.sqlmodel]`, see docs/generators.md) before generating:\n\n| Setting | Development | Production |\n|---|---|---|",
    )
    .replace("|---|---|---|\n\"\"\"", "|---|---|---|\n{TABLE}\"\"\"");
    let row = |name: &str, d: String, p: String| format!("| {name} | {d} | {p} |\n");
    let dev = &db.development;
    let prod = &db.production;
    let table = [
        row(
            "Pool Size",
            dev.pool_size.to_string(),
            prod.pool_size.to_string(),
        ),
        row(
            "Max Overflow",
            dev.max_overflow.to_string(),
            prod.max_overflow.to_string(),
        ),
        row(
            "Pool Pre-Ping",
            dev.pool_pre_ping.to_string(),
            prod.pool_pre_ping.to_string(),
        ),
        row(
            "Pool Recycle (s)",
            dev.pool_recycle.to_string(),
            prod.pool_recycle.to_string(),
        ),
        format!(
            "\nThe URL comes from `{}`; `{}=production` selects the production column. SSL policy\n`{}`: {}.\n",
            db.url_env,
            db.environment_env,
            ssl_name(db.ssl),
            match db.ssl {
                SslPolicy::Auto =>
                    "`sslmode=require` is added unless the URL sets `sslmode` or names a local host or socket",
                SslPolicy::Require => "`sslmode=require` is added unless the URL sets `sslmode`",
                SslPolicy::Disable => "the URL is used as given",
            }
        ),
    ]
    .concat();
    out = out.replace("{TABLE}", &table);
    let body = format!(
        r#"import os
from collections.abc import Iterator
from typing import Any, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

URL_ENV = {url_env}
ENVIRONMENT_ENV = {env_env}
SSL_POLICY = {ssl}
POOL_SETTINGS: dict[str, dict[str, Any]] = {{
    "development": {dev},
    "production": {prod},
}}
_LOCAL_HOSTS = {{"", "localhost", "127.0.0.1", "::1"}}


def environment() -> str:
    """`production` when the environment variable says so, else `development`."""
    value = os.environ.get(ENVIRONMENT_ENV, "").strip().lower()
    return "production" if value in ("production", "prod") else "development"


def database_url(url: Optional[str] = None) -> str:
    """The SQLAlchemy URL: the psycopg (v3) driver, and `sslmode=require` for hosted servers."""
    raw = url if url is not None else os.environ.get(URL_ENV, "")
    if not raw:
        raise RuntimeError(
            f"{{URL_ENV}} is not set: export the PostgreSQL URL, "
            "e.g. postgresql://user:password@host/dbname"
        )
    parts = urlsplit(raw)
    scheme = parts.scheme
    if scheme in ("postgres", "postgresql"):
        scheme = "postgresql+psycopg"
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    host = parts.hostname or ""
    socket = host.startswith("/") or query.get("host", "").startswith("/")
    local = socket or host in _LOCAL_HOSTS
    if "sslmode" not in query and (
        SSL_POLICY == "require" or (SSL_POLICY == "auto" and not local)
    ):
        query["sslmode"] = "require"
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def make_engine(url: Optional[str] = None, **overrides: Any) -> Engine:
    """A new engine with the pool settings of the current environment."""
    settings = dict(POOL_SETTINGS[environment()])
    settings.update(overrides)
    return create_engine(database_url(url), **settings)


_engine: Optional[Engine] = None


def get_engine() -> Engine:
    """The process-wide engine, created on first use."""
    global _engine
    if _engine is None:
        _engine = make_engine()
    return _engine


def get_session() -> Iterator[Session]:
    """A session per unit of work (a FastAPI dependency, or `with next(get_session())`)."""
    with Session(get_engine()) as session:
        yield session


# The setting the schema's row-level security policies read the current tenant from (None
# when the schema has no tenant policies).
TENANT_SETTING: Optional[str] = {tenant}


@contextmanager
def tenant_session(
    tenant_id: Any, engine: Optional[Engine] = None, setting: Optional[str] = None
) -> Iterator[Session]:
    """A session scoped to one tenant: every transaction it begins first runs
    `set_config(setting, tenant_id, true)`, PostgreSQL's `SET LOCAL`, so row-level security
    admits only that tenant's rows. The setting ends with its transaction: a pooled connection
    never carries one tenant's id into another request, and after a commit the next
    transaction sets it again. Connect as the application role: a superuser or a role with
    BYPASSRLS skips row-level security, and so does the tables' owner unless it is forced.

        with tenant_session(tenant_id) as session:
            rows = session.exec(select(SomeTable)).all()  # this tenant's rows only
    """
    name = setting if setting is not None else TENANT_SETTING
    if not name:
        raise RuntimeError(
            "no tenant setting: the schema has no tenant policies; pass setting=..."
        )
    if tenant_id is None or str(tenant_id) == "":
        raise ValueError("tenant_id is required: an empty tenant admits no rows")
    session = Session(engine if engine is not None else get_engine())

    @event.listens_for(session, "after_begin")
    def _scope_to_tenant(_session: Session, _transaction: Any, connection: Any) -> None:
        connection.execute(
            text("SELECT set_config(:name, :value, true)"),
            {{"name": name, "value": str(tenant_id)}},
        )

    try:
        yield session
    finally:
        session.close()
"#,
        tenant = tenant_setting.map_or_else(|| "None".to_string(), str_lit),
        url_env = str_lit(&db.url_env),
        env_env = str_lit(&db.environment_env),
        ssl = str_lit(ssl_name(db.ssl)),
        dev = pool_dict(dev),
        prod = pool_dict(prod),
    );
    out.push_str(&body);
    out
}

fn ssl_name(p: SslPolicy) -> &'static str {
    match p {
        SslPolicy::Auto => "auto",
        SslPolicy::Require => "require",
        SslPolicy::Disable => "disable",
    }
}
