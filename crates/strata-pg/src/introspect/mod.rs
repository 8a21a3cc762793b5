//! Live database → [`Model`].
//!
//! [`introspect`] reads the catalog with one set-based query per object kind (the `.sql` files
//! beside this module), joined server-side, and assembles a canonical model. Queries are
//! version-aware: a line ending in `-- pg>=150000` is kept only on servers of that
//! `server_version_num` or newer, one ending in `-- pg<150000` only on older ones.
//!
//! Conventions of the result, shared with the designer so models compare:
//! - expressions, defaults, predicates and view definitions are in the server's own spelling
//!   (`pg_get_expr`, `pg_get_viewdef`), printed with `search_path` set to `pg_catalog`, so every
//!   user object in them is schema-qualified;
//! - built-in types in `format_type()` spelling, others by schema and name;
//! - a partition lists all of its columns (as the designer copies them from the parent) but
//!   only the constraints, indexes, foreign keys and triggers of its own: the ones PostgreSQL
//!   cloned from the parent are left out;
//! - `plpgsql`, objects of extensions (pg_depend `deptype = 'e'`) and system schemas are not
//!   user objects and are not reported.
//!
//! Objects the model does not break into properties (rules, triggers on views, statistics
//! objects, procedures, publications, ...) are carried as the SQL that creates them
//! ([`strata_model::VerbatimObject`]). Anything else the model cannot represent becomes an
//! [`IntrospectWarning`] naming the object and what to do.

mod relations;
mod routines;
pub mod script;
mod security;
mod types;
mod verbatim;

use std::collections::BTreeMap;

use postgres::Client;
use postgres::types::FromSql;
use strata_model::{Model, QualifiedName};

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntrospectOptions {
    /// Schemas to read; empty means every user schema.
    pub schemas: Vec<String>,
    /// Glob patterns (`*`, `?`) on qualified names (`public.tmp_*`, `audit.*`) of objects to
    /// leave out. A pattern without a dot matches the bare name in any schema.
    pub exclude: Vec<String>,
}

/// The result: the model and what could not be put in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Introspected {
    pub model: Model,
    pub warnings: Vec<IntrospectWarning>,
    /// `server_version_num` of the server read.
    pub server_version: u32,
}

/// An object, or a property of one, that the model cannot represent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IntrospectWarning {
    /// `rule`, `aggregate`, `function`, `table`, `column`, ...
    pub kind: String,
    /// The object's qualified name (with the column or signature where there is one).
    pub object: String,
    /// What is not represented.
    pub message: String,
}

impl std::fmt::Display for IntrospectWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.kind, self.object, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("catalog query `{query}` failed: {source}")]
    Query {
        query: &'static str,
        #[source]
        source: postgres::Error,
    },
    #[error("unexpected value in column `{column}` of catalog query `{query}`: {source}")]
    Column {
        query: &'static str,
        column: &'static str,
        #[source]
        source: postgres::Error,
    },
    #[error("PostgreSQL {version} is not supported for introspection: use PostgreSQL 13 or newer")]
    UnsupportedVersion { version: u32 },
    #[error("schema {0:?} does not exist in the database: check --schema")]
    NoSuchSchema(String),
}

/// The oldest server the catalog queries are written for.
pub const MIN_SERVER_VERSION: u32 = 130000;

/// Reads the database `client` is connected to. Runs in a read-only transaction with
/// `search_path = pg_catalog` (restored afterwards) so printed expressions are qualified.
pub fn introspect(
    client: &mut Client,
    opts: &IntrospectOptions,
) -> Result<Introspected, IntrospectError> {
    let version_row = client
        .query_one(
            "SELECT current_setting('server_version_num')::int4 AS v",
            &[],
        )
        .map_err(|source| IntrospectError::Query {
            query: "server_version_num",
            source,
        })?;
    let version: i32 = get(&version_row, "server_version_num", "v")?;
    let version = u32::try_from(version).unwrap_or(0);
    if version < MIN_SERVER_VERSION {
        return Err(IntrospectError::UnsupportedVersion { version });
    }
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()
        .map_err(|source| IntrospectError::Query {
            query: "BEGIN",
            source,
        })?;
    tx.batch_execute("SET LOCAL search_path = pg_catalog")
        .map_err(|source| IntrospectError::Query {
            query: "search_path",
            source,
        })?;
    let mut cx = Context {
        tx: &mut tx,
        version,
        exclude: opts.exclude.clone(),
        warnings: Vec::new(),
        model: Model::default(),
        schemas: Vec::new(),
        identity_options: BTreeMap::new(),
    };
    cx.read_schemas(&opts.schemas)?;
    types::read(&mut cx)?;
    routines::read(&mut cx)?;
    relations::read(&mut cx)?;
    for ((table, column), options) in std::mem::take(&mut cx.identity_options) {
        if let Some(c) = cx
            .model
            .table_mut(&table)
            .and_then(|t| t.column_mut(&column))
        {
            c.identity_options = options;
        }
    }
    // Grants the model cannot hold are carried as SQL after the objects they name.
    verbatim::read(&mut cx)?;
    security::read(&mut cx)?;
    read_unsupported(&mut cx)?;
    let mut model = std::mem::take(&mut cx.model);
    let mut warnings = std::mem::take(&mut cx.warnings);
    // Nothing was written; ending the read-only transaction either way is fine.
    let _ = tx.commit();
    model.canonicalize();
    warnings.sort();
    warnings.dedup();
    Ok(Introspected {
        model,
        warnings,
        server_version: version,
    })
}

pub(crate) struct Context<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    version: u32,
    exclude: Vec<String>,
    pub warnings: Vec<IntrospectWarning>,
    pub model: Model,
    /// The schemas read, passed to every query as `$1`.
    schemas: Vec<String>,
    /// Identity sequence options by table and column, read with the sequences.
    identity_options: BTreeMap<(QualifiedName, String), strata_model::IdentityOptions>,
}

impl Context<'_, '_> {
    /// Runs a catalog query (after version preprocessing) with the schema list as `$1`
    /// when the query uses it.
    pub fn query(
        &mut self,
        name: &'static str,
        sql: &str,
    ) -> Result<Vec<postgres::Row>, IntrospectError> {
        let sql = preprocess(sql, self.version);
        let result = if sql.contains("$1") {
            self.tx.query(sql.as_str(), &[&self.schemas])
        } else {
            self.tx.query(sql.as_str(), &[])
        };
        result.map_err(|source| IntrospectError::Query {
            query: name,
            source,
        })
    }

    pub fn warn(
        &mut self,
        kind: impl Into<String>,
        object: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.warnings.push(IntrospectWarning {
            kind: kind.into(),
            object: object.into(),
            message: message.into(),
        });
    }

    /// Whether an object is left out by an `--exclude` pattern.
    pub fn excluded(&self, name: &QualifiedName) -> bool {
        self.exclude.iter().any(|p| {
            if p.contains('.') {
                glob_match(p, &format!("{}.{}", name.schema, name.name))
            } else {
                glob_match(p, &name.name)
            }
        })
    }

    fn read_schemas(&mut self, wanted: &[String]) -> Result<(), IntrospectError> {
        let rows = self.query("schemas", include_str!("queries/schemas.sql"))?;
        // name → (comment, owner when not the default)
        let mut found: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
        for row in &rows {
            let owner: String = get(row, "schemas", "owner")?;
            let default_owner: String = get(row, "schemas", "default_owner")?;
            found.insert(
                get(row, "schemas", "nspname")?,
                (
                    get(row, "schemas", "comment")?,
                    (owner != default_owner).then_some(owner),
                ),
            );
        }
        for w in wanted {
            if !found.contains_key(w) {
                return Err(IntrospectError::NoSuchSchema(w.clone()));
            }
        }
        for (name, (comment, owner)) in found {
            if !wanted.is_empty() && !wanted.contains(&name) {
                continue;
            }
            let excluded = self.exclude.iter().any(|p| glob_match(p, &name));
            if excluded {
                continue;
            }
            // initdb makes public with this comment; only a changed one is the design's.
            let comment = comment.filter(|c| name != "public" || c != "standard public schema");
            if name != "public" || comment.is_some() || owner.is_some() {
                self.model.schemas.push(strata_model::Schema {
                    name: name.clone(),
                    comment,
                    owner,
                });
            }
            self.schemas.push(name);
        }
        Ok(())
    }
}

/// Reads one column, turning a type mismatch into an error instead of a panic.
pub(crate) fn get<'a, T: FromSql<'a>>(
    row: &'a postgres::Row,
    query: &'static str,
    column: &'static str,
) -> Result<T, IntrospectError> {
    row.try_get(column)
        .map_err(|source| IntrospectError::Column {
            query,
            column,
            source,
        })
}

/// Keeps the lines of a query that apply to `version` (see the module documentation).
pub fn preprocess(sql: &str, version: u32) -> String {
    let mut out = String::with_capacity(sql.len());
    for line in sql.lines() {
        let keep = match line.rsplit_once("-- pg") {
            Some((_, cond)) => {
                let cond = cond.trim();
                if let Some(v) = cond.strip_prefix(">=") {
                    v.parse::<u32>().is_ok_and(|v| version >= v)
                } else if let Some(v) = cond.strip_prefix('<') {
                    v.parse::<u32>().is_ok_and(|v| version < v)
                } else {
                    true
                }
            }
            None => true,
        };
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
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

fn read_unsupported(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "unsupported";
    let rows = cx.query(Q, include_str!("queries/unsupported.sql"))?;
    for row in &rows {
        let kind: String = get(row, Q, "kind")?;
        let name: String = get(row, Q, "name")?;
        if kind == "table" {
            cx.warn(
                kind,
                name,
                "its access method is not modelled; it is read as a heap table: set it again \
                 after applying (ALTER TABLE ... SET ACCESS METHOD)",
            );
            continue;
        }
        let todo = match kind.as_str() {
            "foreign data wrapper" | "foreign server" => {
                "create it with a script run after applying the schema"
            }
            "publication" | "event trigger" => {
                "it uses objects outside the schemas read: read those schemas too (--schema), or create it separately"
            }
            "user mapping" => {
                "user mappings hold credentials and are never read: create them separately, after applying the schema"
            }
            "security label" => {
                "security labels need their provider's module loaded: set them again after applying (SECURITY LABEL FOR provider ON ...)"
            }
            "default privileges" => {
                "default privileges belong to roles, not to the schema: set them outside Strata"
            }
            _ => {
                "create it before the schema (an extension, or a script run first), or keep it as raw SQL in .strata"
            }
        };
        cx.warn(
            kind,
            name,
            format!("not representable in the model; it is not part of the output: {todo}"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("public.tmp_*", "public.tmp_x"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("*_log", "audit_log"));
        assert!(!glob_match("*_log", "audit_logs"));
        assert!(glob_match("a*b*c", "axxbyyc"));
    }

    #[test]
    fn version_lines() {
        let sql = "a, -- pg>=150000\nb, -- pg<150000\nc\n";
        assert_eq!(preprocess(sql, 150000), "a, -- pg>=150000\nc\n");
        assert_eq!(preprocess(sql, 140005), "b, -- pg<150000\nc\n");
    }
}
