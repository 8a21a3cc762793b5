//! Which objects of a model a command works on: `--include` / `--exclude` patterns and the
//! objects excluded by default (migration tools' bookkeeping).
//!
//! Every command that reads a schema (`inspect`, `diff`, `apply`, `gen`, `docs`, and a linter)
//! filters the model it loaded through one [`ObjectFilter`], so they agree on what is part
//! of the schema.
//!
//! # Patterns
//! `[KIND:]GLOB`. `*` matches any run of characters (dots included), `?` one character.
//! A glob without a dot is matched against the object's own name; one with dots against its
//! qualified name: `schema.name` for tables, views, types, sequences, functions; `schema.
//! table.name` for indexes, constraints, triggers and policies; the bare name for schemas and
//! extensions. KIND is one of [`KINDS`]; without it the pattern matches objects of any kind.
//!
//! An object in an excluded schema is excluded. `--include` restricts: when include patterns
//! of a kind are given (or of no kind, which counts for every kind), only the objects of that
//! kind matching one of them are kept; `schema:` includes restrict every object by its
//! schema. Exclusions apply after inclusions.
//!
//! # Excluded by default
//! The history tables of migration tools ([`BOOKKEEPING`]) recognised by name *and* shape (the
//! tool's key columns), and Strata's own history `strata.schema_migrations` recognised by its
//! comment and columns (with the `strata` schema when nothing else is in it). A user's table
//! of the same name but another shape, or a user's own objects in a schema called `strata`,
//! are kept. An include pattern that names such a table brings it back (`--include '*'`
//! keeps everything).

use serde::{Deserialize, Serialize};

use crate::{Model, QualifiedName, Table};

/// The object kinds a pattern may name.
pub const KINDS: &[&str] = &[
    "schema",
    "extension",
    "table",
    "view",
    "materialized_view",
    "sequence",
    "type",
    "enum",
    "domain",
    "function",
    "aggregate",
    "index",
    "constraint",
    "trigger",
    "policy",
    // Objects carried as SQL (`model.verbatim`), named as the catalog names their kind.
    "procedure",
    "rule",
    "statistics",
    "collation",
    "foreign_table",
    "server",
    "foreign_data_wrapper",
    "text_search_dictionary",
    "text_search_configuration",
    "publication",
    "event_trigger",
    "operator",
    "cast",
    "access_method",
    "operator_family",
    "operator_class",
    "conversion",
    "table_access_method",
];

/// A migration tool's history table: its name, the tool, and columns it always has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bookkeeping {
    pub table: &'static str,
    pub tool: &'static str,
    pub columns: &'static [&'static str],
}

const fn bk(
    table: &'static str,
    tool: &'static str,
    columns: &'static [&'static str],
) -> Bookkeeping {
    Bookkeeping {
        table,
        tool,
        columns,
    }
}

/// Tables that migration tools keep their history in. Dropping one makes the tool believe no
/// migration ever ran; showing one in a design makes it look like part of the application.
pub const BOOKKEEPING: &[Bookkeeping] = &[
    bk("alembic_version", "Alembic", &["version_num"]),
    bk(
        "flyway_schema_history",
        "Flyway",
        &["installed_rank", "version", "script", "checksum", "success"],
    ),
    bk(
        "schema_version",
        "Flyway",
        &["installed_rank", "version", "script"],
    ),
    bk(
        "_sqlx_migrations",
        "sqlx",
        &["version", "description", "checksum", "success"],
    ),
    bk(
        "_prisma_migrations",
        "Prisma",
        &["id", "checksum", "migration_name"],
    ),
    bk(
        "schema_migrations",
        "Rails (or another tool's)",
        &["version"],
    ),
    bk("ar_internal_metadata", "Rails", &["key", "value"]),
    bk("django_migrations", "Django", &["app", "name", "applied"]),
    bk("__drizzle_migrations", "Drizzle", &["hash", "created_at"]),
    bk("knex_migrations", "Knex", &["name", "batch"]),
    bk("knex_migrations_lock", "Knex", &["is_locked"]),
    bk("goose_db_version", "goose", &["version_id", "is_applied"]),
    bk(
        "databasechangelog",
        "Liquibase",
        &["id", "author", "filename"],
    ),
    bk("databasechangeloglock", "Liquibase", &["id", "locked"]),
    bk(
        "__EFMigrationsHistory",
        "Entity Framework",
        &["MigrationId", "ProductVersion"],
    ),
    bk(
        "__diesel_schema_migrations",
        "Diesel",
        &["version", "run_on"],
    ),
    bk("pgmigrations", "node-pg-migrate", &["name", "run_on"]),
    bk("SequelizeMeta", "Sequelize", &["name"]),
];

/// The schema and table of Strata's own migration history.
pub const STRATA_HISTORY_SCHEMA: &str = "strata";
pub const STRATA_HISTORY_TABLE: &str = "schema_migrations";
/// How the comment of Strata's history table starts.
pub const STRATA_HISTORY_COMMENT: &str = "Migrations applied by strata migrate";
const STRATA_HISTORY_COLUMNS: &[&str] =
    &["version", "name", "checksum", "success", "transactional"];

/// Why a table is migration bookkeeping: the tool's name (`Alembic`, `Strata`), or `None` for
/// a table of the user's.
pub fn bookkeeping_tool(table: &Table) -> Option<&'static str> {
    let has = |cols: &[&str]| {
        cols.iter()
            .all(|c| table.columns.iter().any(|x| x.name == *c))
    };
    if table.name.schema == STRATA_HISTORY_SCHEMA
        && table.name.name == STRATA_HISTORY_TABLE
        && table
            .comment
            .as_deref()
            .is_some_and(|c| c.starts_with(STRATA_HISTORY_COMMENT))
        && has(STRATA_HISTORY_COLUMNS)
    {
        return Some("Strata");
    }
    BOOKKEEPING
        .iter()
        .find(|b| b.table == table.name.name && has(b.columns))
        .map(|b| b.tool)
}

/// A pattern that is not of the form `[KIND:]GLOB`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("empty pattern: write a glob such as `public.tmp_*` or `table:audit.*`")]
    Empty,
    #[error(
        "unknown object kind {kind:?} in pattern {pattern:?}: use one of {}, or no kind",
        KINDS.join(", ")
    )]
    UnknownKind { pattern: String, kind: String },
}

/// One `[KIND:]GLOB` pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    pub kind: Option<String>,
    pub glob: String,
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let text = text.trim();
        let (kind, glob) = match text.split_once(':') {
            Some((k, g)) => {
                let k = k.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                if !KINDS.contains(&k.as_str()) {
                    return Err(PatternError::UnknownKind {
                        pattern: text.to_string(),
                        kind: k,
                    });
                }
                (Some(k), g.trim())
            }
            None => (None, text),
        };
        if glob.is_empty() {
            return Err(PatternError::Empty);
        }
        Ok(Pattern {
            kind,
            glob: glob.to_string(),
        })
    }

    /// Whether the pattern counts for objects of `kind`.
    fn covers(&self, kind: &str) -> bool {
        match self.kind.as_deref() {
            None => true,
            // `type:` covers enums and domains, `view:` materialized views, `table:` foreign
            // tables too.
            Some(k) => {
                k == kind
                    || (k == "type" && (kind == "enum" || kind == "domain"))
                    || (k == "view" && kind == "materialized_view")
                    || (k == "table" && kind == "foreign_table")
            }
        }
    }

    /// Whether it matches an object of `kind` named `qualified` (`bare` is its own name).
    fn matches(&self, kind: &str, qualified: &str, bare: &str) -> bool {
        self.covers(kind)
            && if self.glob.contains('.') {
                glob_match(&self.glob, qualified)
            } else {
                glob_match(&self.glob, bare)
            }
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Some(k) => write!(f, "{k}:{}", self.glob),
            None => f.write_str(&self.glob),
        }
    }
}

/// Why an object was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Reason {
    /// A migration tool's history (excluded by default).
    Bookkeeping { tool: String },
    /// An `--exclude` pattern.
    Exclude { pattern: String },
    /// No `--include` pattern matched it.
    NotIncluded,
    /// It belongs to, or references, an excluded object.
    Follows { object: String },
}

/// An object the filter left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    /// `table`, `schema`, `index`, ...
    pub kind: String,
    /// Qualified as in patterns: `public.alembic_version`, `public.t.t_pkey`.
    pub name: String,
    pub reason: Reason,
}

impl std::fmt::Display for Excluded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.name)?;
        match &self.reason {
            Reason::Bookkeeping { tool } => write!(f, " ({tool}'s migration history)"),
            Reason::Exclude { pattern } => write!(f, " (--exclude {pattern})"),
            Reason::NotIncluded => write!(f, " (no --include matches it)"),
            Reason::Follows { object } => write!(f, " (with {object})"),
        }
    }
}

/// `--include` / `--exclude` patterns and the default exclusions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectFilter {
    pub include: Vec<Pattern>,
    pub exclude: Vec<Pattern>,
}

impl ObjectFilter {
    /// Parses the patterns of `--include` and `--exclude`.
    pub fn new(include: &[String], exclude: &[String]) -> Result<ObjectFilter, PatternError> {
        Ok(ObjectFilter {
            include: include
                .iter()
                .map(|p| Pattern::parse(p))
                .collect::<Result<_, _>>()?,
            exclude: exclude
                .iter()
                .map(|p| Pattern::parse(p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// Why an object of `kind` in `schema` is left out, apart from the defaults and from the
    /// schema's own exclusion; `None` keeps it.
    fn verdict(&self, kind: &str, qualified: &str, bare: &str) -> Option<Reason> {
        // A cast has no name of its own, only its types (`(integer AS public.code)`): a name
        // pattern does not restrict it; it goes with its types, or by a `cast:` pattern.
        let restricting: Vec<&Pattern> = self
            .include
            .iter()
            .filter(|p| p.covers(kind) && (kind != "cast" || p.kind.is_some()))
            .collect();
        if !restricting.is_empty() && !restricting.iter().any(|p| p.matches(kind, qualified, bare))
        {
            return Some(Reason::NotIncluded);
        }
        self.exclude
            .iter()
            .find(|p| p.matches(kind, qualified, bare))
            .map(|p| Reason::Exclude {
                pattern: p.to_string(),
            })
    }

    /// Whether an include pattern names this object itself (lifting a default exclusion).
    fn named_by_include(&self, kind: &str, qualified: &str, bare: &str) -> bool {
        self.include
            .iter()
            .any(|p| p.matches(kind, qualified, bare))
    }

    /// Why schema `name` is left out (with everything in it).
    fn schema_verdict(&self, name: &str) -> Option<Reason> {
        self.verdict("schema", name, name)
    }

    /// Whether an object named `qualified` (`schema.name`, optionally followed by `.part` or
    /// a `(signature)`) is excluded by a pattern or its schema: for things reported by name
    /// only, like an introspection warning about an object the model does not hold.
    pub fn excludes_name(&self, qualified: &str) -> bool {
        let name = qualified.split('(').next().unwrap_or(qualified).trim();
        let schema = name.split('.').next().unwrap_or(name);
        if name.contains('.') && self.schema_verdict(schema).is_some() {
            return true;
        }
        let bare = name.rsplit('.').next().unwrap_or(name);
        self.exclude.iter().any(|p| {
            if p.glob.contains('.') {
                glob_match(&p.glob, name)
            } else {
                glob_match(&p.glob, bare)
            }
        })
    }

    /// Removes from `model` what the filter leaves out and returns the list: objects named by
    /// the patterns, objects of excluded schemas, migration bookkeeping, and what belongs to
    /// them (their sequences, grants, and foreign keys of kept tables that reference them).
    pub fn apply(&self, model: &mut Model) -> Vec<Excluded> {
        let mut out: Vec<Excluded> = Vec::new();
        let mut gone_schemas: Vec<String> = Vec::new();
        let push = |out: &mut Vec<Excluded>, kind: &str, name: String, reason: Reason| {
            out.push(Excluded {
                kind: kind.to_string(),
                name,
                reason,
            });
        };

        // Schemas named by the patterns. `public` is never in `model.schemas`: judge it too.
        let mut all_schemas: Vec<String> = model.schemas.iter().map(|s| s.name.clone()).collect();
        for name in model.schema_names() {
            if !all_schemas.contains(&name) {
                all_schemas.push(name);
            }
        }
        for name in &all_schemas {
            if let Some(reason) = self.schema_verdict(name) {
                gone_schemas.push(name.clone());
                push(&mut out, "schema", name.clone(), reason);
            }
        }
        model.schemas.retain(|s| !gone_schemas.contains(&s.name));
        let in_gone = |q: &QualifiedName| gone_schemas.contains(&q.schema);
        let schema_reason = |q: &QualifiedName| Reason::Follows {
            object: format!("schema {}", q.schema),
        };

        // Top-level objects: by their schema, then by the patterns.
        let mut gone_tables: Vec<QualifiedName> = Vec::new();
        let judge = |out: &mut Vec<Excluded>, kind: &str, q: &QualifiedName| -> bool {
            let qualified = format!("{}.{}", q.schema, q.name);
            let reason = if in_gone(q) {
                Some(schema_reason(q))
            } else {
                self.verdict(kind, &qualified, &q.name)
            };
            match reason {
                Some(r) => {
                    if !in_gone(q) {
                        out.push(Excluded {
                            kind: kind.to_string(),
                            name: qualified,
                            reason: r,
                        });
                    }
                    false
                }
                None => true,
            }
        };
        model.tables.retain(|t| {
            let qualified = format!("{}.{}", t.name.schema, t.name.name);
            let keep = if let Some(tool) = bookkeeping_tool(t).filter(|_| {
                !in_gone(&t.name) && !self.named_by_include("table", &qualified, &t.name.name)
            }) {
                out.push(Excluded {
                    kind: "table".into(),
                    name: qualified,
                    reason: Reason::Bookkeeping { tool: tool.into() },
                });
                false
            } else {
                judge(&mut out, "table", &t.name)
            };
            if !keep {
                gone_tables.push(t.name.clone());
            }
            keep
        });
        model.views.retain(|v| {
            let kind = if v.materialized {
                "materialized_view"
            } else {
                "view"
            };
            judge(&mut out, kind, &v.name)
        });
        model.enums.retain(|e| judge(&mut out, "enum", &e.name));
        model.domains.retain(|d| judge(&mut out, "domain", &d.name));
        model
            .functions
            .retain(|f| judge(&mut out, "function", &f.name));
        model
            .aggregates
            .retain(|a| judge(&mut out, "aggregate", &a.name));
        model.sequences.retain(|s| {
            if let Some((table, _)) = &s.owned_by
                && gone_tables.contains(table)
            {
                return false;
            }
            judge(&mut out, "sequence", &s.name)
        });
        model.extensions.retain(|e| {
            if e.schema.as_ref().is_some_and(|s| gone_schemas.contains(s)) {
                return false;
            }
            match self.verdict("extension", &e.name, &e.name) {
                Some(r) => {
                    push(&mut out, "extension", e.name.clone(), r);
                    false
                }
                None => true,
            }
        });

        // Parts of kept tables and views.
        for t in &mut model.tables {
            let table = format!("{}.{}", t.name.schema, t.name.name);
            let part = |out: &mut Vec<Excluded>, kind: &str, name: &str| -> bool {
                let qualified = format!("{table}.{name}");
                match self.verdict(kind, &qualified, name) {
                    Some(r) => {
                        out.push(Excluded {
                            kind: kind.into(),
                            name: qualified,
                            reason: r,
                        });
                        false
                    }
                    None => true,
                }
            };
            t.indexes.retain(|i| part(&mut out, "index", &i.name));
            t.triggers.retain(|x| part(&mut out, "trigger", &x.name));
            t.policies.retain(|x| part(&mut out, "policy", &x.name));
            t.uniques.retain(|x| part(&mut out, "constraint", &x.name));
            t.checks.retain(|x| part(&mut out, "constraint", &x.name));
            t.exclusions
                .retain(|x| part(&mut out, "constraint", &x.name));
            t.foreign_keys.retain(|fk| {
                if gone_tables.contains(&fk.ref_table) {
                    out.push(Excluded {
                        kind: "constraint".into(),
                        name: format!("{table}.{}", fk.name),
                        reason: Reason::Follows {
                            object: format!("table {}.{}", fk.ref_table.schema, fk.ref_table.name),
                        },
                    });
                    return false;
                }
                part(&mut out, "constraint", &fk.name)
            });
            if let Some(pk) = &t.primary_key
                && !part(&mut out, "constraint", &pk.name)
            {
                t.primary_key = None;
            }
        }
        for v in &mut model.views {
            let view = format!("{}.{}", v.name.schema, v.name.name);
            v.indexes.retain(|i| {
                let qualified = format!("{view}.{}", i.name);
                match self.verdict("index", &qualified, &i.name) {
                    Some(r) => {
                        out.push(Excluded {
                            kind: "index".into(),
                            name: qualified,
                            reason: r,
                        });
                        false
                    }
                    None => true,
                }
            });
        }

        // A schema the filter emptied (`strata` holding only its history, `drizzle` holding
        // only its journal, `legacy` whose tables were all excluded) goes with what it held,
        // unless it says something of its own (a comment): otherwise a plan would drop it.
        let mut emptied: Vec<(String, bool)> = Vec::new();
        for e in &out {
            let Some((schema, _)) = e.name.split_once('.') else {
                continue;
            };
            let by_default = matches!(e.reason, Reason::Bookkeeping { .. });
            match emptied.iter_mut().find(|(s, _)| s == schema) {
                Some((_, d)) => *d &= by_default,
                None => emptied.push((schema.to_string(), by_default)),
            }
        }
        for (name, by_default) in emptied {
            if name == "public" || model.holds_objects_in(&name) {
                continue;
            }
            let Some(pos) = model.schemas.iter().position(|s| s.name == name) else {
                continue;
            };
            if model.schemas[pos].comment.is_some() {
                continue;
            }
            model.schemas.remove(pos);
            gone_schemas.push(name.clone());
            out.push(Excluded {
                kind: "schema".into(),
                name,
                reason: Reason::Follows {
                    object: if by_default {
                        "the migration history it holds".into()
                    } else {
                        "the excluded objects it holds".into()
                    },
                },
            });
        }

        // Objects carried as SQL. What belongs to another object (a rule or trigger to its
        // table, a comment or privilege to what it is on) goes with it, unlisted like a
        // table's indexes; the rest is judged by the patterns under the kind the catalog
        // gives it (`trigger`, `procedure`, ...). Owners first, so that a privilege on a
        // procedure excluded here goes with it.
        let mut gone_names: Vec<String> = out.iter().map(|e| e.name.clone()).collect();
        let follows = |gone_names: &[String], v: &crate::VerbatimObject| -> bool {
            let subject = verbatim_subject(v);
            let unsigned = subject.split('(').next().unwrap_or(subject).trim();
            let owner_gone = v.on.as_ref().is_some_and(|o| {
                gone_schemas.contains(&o.schema)
                    || gone_names.contains(&format!("{}.{}", o.schema, o.name))
            });
            let schema_gone = unsigned
                .split_once('.')
                .is_some_and(|(s, _)| gone_schemas.iter().any(|g| g == s));
            let cast_type_gone = v.kind == "cast"
                && cast_types(&v.name).iter().any(|t| {
                    gone_names.iter().any(|g| g == t)
                        || t.split_once('.')
                            .is_some_and(|(s, _)| gone_schemas.iter().any(|g| g == s))
                });
            owner_gone
                || schema_gone
                || cast_type_gone
                || gone_names.iter().any(|g| {
                    g == subject
                        || g == unsigned
                        || unsigned
                            .strip_prefix(g.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                })
        };
        // Casts after the types they convert, dependents after everything.
        let pass_of = |v: &crate::VerbatimObject| match v.kind.as_str() {
            _ if is_dependent(v) => 2,
            "cast" => 1,
            _ => 0,
        };
        for pass in 0..3 {
            let mut gone_here = Vec::new();
            model.verbatim.retain(|v| {
                if pass_of(v) != pass {
                    return true;
                }
                if follows(&gone_names, v) {
                    gone_here.push(v.name.clone());
                    return false;
                }
                if pass == 2 {
                    return true;
                }
                // A cast's whole name is its types: `cast:(text AS *`.
                let (unsigned, last) = if v.kind == "cast" {
                    (v.name.as_str(), v.name.as_str())
                } else {
                    let unsigned = v.name.split('(').next().unwrap_or(&v.name).trim();
                    (unsigned, unsigned.rsplit('.').next().unwrap_or(unsigned))
                };
                match self.verdict(&v.kind.replace(' ', "_"), unsigned, last) {
                    Some(reason) => {
                        out.push(Excluded {
                            kind: v.kind.clone(),
                            name: v.name.clone(),
                            reason,
                        });
                        gone_here.push(v.name.clone());
                        false
                    }
                    None => true,
                }
            });
            gone_names.extend(gone_here);
        }

        // Grants go with their object.
        model.grants.retain(|g| {
            let kind = g.object_kind.trim().to_ascii_uppercase();
            if kind == "SCHEMA" {
                let name = if g.object.name.is_empty() {
                    &g.object.schema
                } else {
                    &g.object.name
                };
                return !gone_schemas.contains(name);
            }
            if gone_schemas.contains(&g.object.schema) {
                return false;
            }
            let qualified = format!("{}.{}", g.object.schema, g.object.name);
            !out.iter().any(|e| e.name == qualified)
        });
        out
    }
}

/// The source and target types of a cast named `(source AS target)`, unquoted.
fn cast_types(name: &str) -> Vec<String> {
    let inner = name.trim().trim_start_matches('(').trim_end_matches(')');
    inner
        .split(" AS ")
        .map(|t| t.trim().replace('"', ""))
        .collect()
}

/// Kinds of objects carried as SQL that only exist on another object.
fn is_dependent(v: &crate::VerbatimObject) -> bool {
    matches!(
        v.kind.as_str(),
        "comment" | "grant" | "revoked default" | "trigger state"
    )
}

/// The name of the object a verbatim object is, or is on: `public.t.c` for the comment
/// `constraint public.t.c`, `public.f(integer)` for the grant `EXECUTE on public.f(integer)
/// to app`.
fn verbatim_subject(v: &crate::VerbatimObject) -> &str {
    match v.kind.as_str() {
        "comment" => v
            .name
            .split_once(' ')
            .map_or(v.name.as_str(), |(_, rest)| rest),
        "grant" | "revoked default" => v
            .name
            .split_once(" on ")
            .map(|(_, rest)| {
                rest.rsplit_once(" to ")
                    .or_else(|| rest.rsplit_once(" from "))
                    .map_or(rest, |(object, _)| object)
            })
            .unwrap_or(v.name.as_str()),
        _ => v.name.as_str(),
    }
}

impl Model {
    /// Every schema an object of the model lives in (besides those in `schemas`).
    fn schema_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut add = |s: &str| {
            if !names.iter().any(|n| n == s) {
                names.push(s.to_string());
            }
        };
        for t in &self.tables {
            add(&t.name.schema);
        }
        for v in &self.views {
            add(&v.name.schema);
        }
        for e in &self.enums {
            add(&e.name.schema);
        }
        for d in &self.domains {
            add(&d.name.schema);
        }
        for s in &self.sequences {
            add(&s.name.schema);
        }
        for f in &self.functions {
            add(&f.name.schema);
        }
        for a in &self.aggregates {
            add(&a.name.schema);
        }
        names
    }

    /// Whether any object (or extension) lives in schema `name`.
    fn holds_objects_in(&self, name: &str) -> bool {
        self.schema_names().iter().any(|n| n == name)
            || self
                .extensions
                .iter()
                .any(|e| e.schema.as_deref() == Some(name))
    }
}

/// `*` matches any run of characters, `?` one character; everything else itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Grant, Index, Schema, TypeRef};

    fn table(schema: &str, name: &str, columns: &[&str]) -> Table {
        let mut t = Table::new(QualifiedName::new(schema, name));
        for c in columns {
            t.columns.push(Column::new(*c, TypeRef::builtin("text")));
        }
        t
    }

    fn names(model: &Model) -> Vec<String> {
        model
            .tables
            .iter()
            .map(|t| format!("{}.{}", t.name.schema, t.name.name))
            .collect()
    }

    fn history() -> Table {
        let mut t = table(
            "strata",
            "schema_migrations",
            &["version", "name", "checksum", "success", "transactional"],
        );
        t.comment = Some(format!("{STRATA_HISTORY_COMMENT}; do not edit by hand"));
        t
    }

    #[test]
    fn patterns_parse_with_and_without_a_kind() {
        assert_eq!(
            Pattern::parse("table:audit.*"),
            Ok(Pattern {
                kind: Some("table".into()),
                glob: "audit.*".into()
            })
        );
        assert_eq!(
            Pattern::parse("Materialized-View:x").map(|p| p.kind),
            Ok(Some("materialized_view".into()))
        );
        assert!(matches!(
            Pattern::parse("tabel:x"),
            Err(PatternError::UnknownKind { .. })
        ));
        assert_eq!(Pattern::parse(" "), Err(PatternError::Empty));
        assert_eq!(Pattern::parse("table:"), Err(PatternError::Empty));
    }

    #[test]
    fn bookkeeping_is_recognised_by_name_and_shape() {
        assert_eq!(
            bookkeeping_tool(&table("public", "alembic_version", &["version_num"])),
            Some("Alembic")
        );
        // The user's own table of that name, with other columns, is theirs.
        assert_eq!(
            bookkeeping_tool(&table("public", "schema_migrations", &["id", "title"])),
            None
        );
        assert_eq!(bookkeeping_tool(&history()), Some("Strata"));
        let mut uncommented = history();
        uncommented.comment = Some("our own history".into());
        // Not Strata's, but it has Rails' shape.
        assert_eq!(
            bookkeeping_tool(&uncommented),
            Some("Rails (or another tool's)")
        );
    }

    #[test]
    fn the_history_schema_goes_only_when_nothing_of_the_user_is_in_it() {
        let mut model = Model::default();
        model.schemas.push(Schema {
            name: "strata".into(),
            comment: None,
            owner: None,
        });
        model.tables.push(history());
        model.tables.push(table("public", "tasks", &["id"]));
        model.grants.push(Grant {
            object_kind: "SCHEMA".into(),
            object: QualifiedName::new("strata", ""),
            privileges: vec!["USAGE".into()],
            grantee: "app".into(),
            with_grant_option: false,
        });
        let mut only_history = model.clone();
        let excluded = ObjectFilter::default().apply(&mut only_history);
        assert_eq!(names(&only_history), ["public.tasks"]);
        assert!(only_history.schemas.is_empty());
        assert!(only_history.grants.is_empty());
        assert_eq!(
            excluded.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            [
                "table strata.schema_migrations (Strata's migration history)",
                "schema strata (with the migration history it holds)",
            ]
        );

        model.tables.push(table("strata", "releases", &["id"]));
        let excluded = ObjectFilter::default().apply(&mut model);
        assert_eq!(names(&model), ["public.tasks", "strata.releases"]);
        assert_eq!(model.schemas.len(), 1);
        assert_eq!(model.grants.len(), 1);
        assert_eq!(excluded.len(), 1);
    }

    #[test]
    fn includes_restrict_their_kind_and_bring_back_bookkeeping() {
        let mut model = Model::default();
        model
            .tables
            .push(table("public", "alembic_version", &["version_num"]));
        model.tables.push(table("public", "tasks", &["id"]));
        model.tables.push(table("public", "tmp_import", &["id"]));
        model.tables.push(table("audit", "log", &["id"]));
        model.tables[1]
            .indexes
            .push(Index::btree("tasks_idx", Vec::new()));

        let mut m = model.clone();
        let f = ObjectFilter::new(&[], &["public.tmp_*".into(), "index:*_idx".into()])
            .expect("patterns");
        let excluded = f.apply(&mut m);
        assert_eq!(names(&m), ["public.tasks", "audit.log"]);
        assert!(m.tables[0].indexes.is_empty());
        assert_eq!(excluded.len(), 3, "{excluded:?}");

        let mut m = model.clone();
        let f = ObjectFilter::new(&["schema:audit".into()], &[]).expect("patterns");
        f.apply(&mut m);
        assert_eq!(names(&m), ["audit.log"]);

        let mut m = model.clone();
        let f = ObjectFilter::new(&["*".into()], &["audit".into()]).expect("patterns");
        f.apply(&mut m);
        assert_eq!(
            names(&m),
            [
                "public.alembic_version",
                "public.tasks",
                "public.tmp_import"
            ]
        );
        assert!(f.excludes_name("audit.log.c"));
        assert!(!f.excludes_name("public.f(integer)"));
    }

    #[test]
    fn objects_carried_as_sql_follow_their_table_and_the_patterns() {
        let verbatim = |kind: &str, name: &str, on: Option<(&str, &str)>| crate::VerbatimObject {
            kind: kind.into(),
            name: name.into(),
            stage: crate::VerbatimStage::Last,
            sql: String::new(),
            drop: String::new(),
            on: on.map(|(s, n)| QualifiedName::new(s, n)),
        };
        let mut model = Model::default();
        model.tables.push(table("public", "tasks", &["id"]));
        model.tables.push(table("public", "tmp_load", &["id"]));
        model.verbatim.push(verbatim(
            "trigger",
            "public.tmp_load.t_i",
            Some(("public", "tmp_load")),
        ));
        model.verbatim.push(verbatim(
            "comment",
            "constraint public.tmp_load.c",
            Some(("public", "tmp_load")),
        ));
        model.verbatim.push(verbatim(
            "rule",
            "public.tasks.r",
            Some(("public", "tasks")),
        ));
        model
            .verbatim
            .push(verbatim("procedure", "public.cleanup(integer)", None));
        model
            .verbatim
            .push(verbatim("procedure", "public.keep(integer)", None));
        // Listed before the procedure it is on: owners are judged first whatever the order.
        model.verbatim.insert(
            0,
            verbatim("grant", "EXECUTE on public.cleanup(integer) to app", None),
        );
        model.verbatim.push(verbatim(
            "grant",
            "EXECUTE on public.keep(integer) to app",
            None,
        ));
        model.verbatim.push(verbatim(
            "grant",
            "UPDATE on public.tmp_load.id to app",
            Some(("public", "tmp_load")),
        ));
        let f = ObjectFilter::new(&[], &["public.tmp_*".into(), "procedure:cleanup".into()])
            .expect("patterns");
        let excluded = f.apply(&mut model);
        let left: Vec<&str> = model.verbatim.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            left,
            [
                "public.tasks.r",
                "public.keep(integer)",
                "EXECUTE on public.keep(integer) to app"
            ]
        );
        // Listed: what a pattern named; what goes with it is not, like a table's indexes.
        let listed: Vec<String> = excluded.iter().map(ToString::to_string).collect();
        assert_eq!(
            listed,
            [
                "table public.tmp_load (--exclude public.tmp_*)",
                "procedure public.cleanup(integer) (--exclude procedure:cleanup)"
            ]
        );
    }

    #[test]
    fn a_foreign_key_to_an_excluded_table_goes_with_it() {
        let mut model = Model::default();
        model.tables.push(table("public", "users", &["id"]));
        let mut tasks = table("public", "tasks", &["id", "user_id"]);
        tasks.foreign_keys.push(crate::ForeignKey {
            name: "tasks_user_id_fkey".into(),
            columns: vec!["user_id".into()],
            ref_table: QualifiedName::new("public", "users"),
            ref_columns: vec!["id".into()],
            on_delete: crate::FkAction::NoAction,
            on_update: crate::FkAction::NoAction,
            match_type: crate::FkMatch::Simple,
            deferrable: Default::default(),
            relation: None,
            inverse: None,
            why: None,
            not_valid: false,
            not_enforced: false,
            period: false,
        });
        model.tables.push(tasks);
        let f = ObjectFilter::new(&[], &["table:users".into()]).expect("patterns");
        let excluded = f.apply(&mut model);
        assert!(model.tables[0].foreign_keys.is_empty());
        assert_eq!(
            excluded[1].to_string(),
            "constraint public.tasks.tasks_user_id_fkey (with table public.users)"
        );
    }

    #[test]
    fn a_cast_goes_with_its_types_not_with_name_patterns() {
        let verbatim = |kind: &str, name: &str| crate::VerbatimObject {
            kind: kind.into(),
            name: name.into(),
            stage: crate::VerbatimStage::BeforeTables,
            sql: String::new(),
            drop: String::new(),
            on: None,
        };
        let mut model = Model::default();
        model.verbatim.push(verbatim("type", "public.pair"));
        model.verbatim.push(verbatim("type", "staging.raw_pair"));
        model
            .verbatim
            .push(verbatim("cast", "(text AS public.pair)"));
        model
            .verbatim
            .push(verbatim("cast", "(staging.raw_pair AS public.pair)"));
        let kinds =
            |m: &Model| -> Vec<String> { m.verbatim.iter().map(|v| v.name.clone()).collect() };

        // A name pattern keeps the cast between kept types.
        let mut m = model.clone();
        let f = ObjectFilter::new(&["public.*".into()], &[]).expect("patterns");
        f.apply(&mut m);
        // ... and one from a type left out goes with it, unlisted like a table's indexes.
        assert_eq!(kinds(&m), ["public.pair", "(text AS public.pair)"]);

        // Excluding a type takes its casts.
        let mut m = model.clone();
        let f = ObjectFilter::new(&[], &["public.pair".into()]).expect("patterns");
        f.apply(&mut m);
        assert_eq!(kinds(&m), ["staging.raw_pair"]);

        // `cast:` patterns still choose casts.
        let mut m = model.clone();
        let f = ObjectFilter::new(&[], &["cast:(text*".into()]).expect("patterns");
        f.apply(&mut m);
        assert_eq!(
            kinds(&m),
            [
                "public.pair",
                "staging.raw_pair",
                "(staging.raw_pair AS public.pair)"
            ]
        );
    }
}
