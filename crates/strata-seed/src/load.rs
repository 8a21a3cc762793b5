//! `strata seed`: the rows of a [`Dataset`] into a database through COPY, in one
//! transaction, then ANALYZE.
//!
//! Row-level security: COPY FROM is refused on a table whose policies apply to the loading
//! role. A superuser or a BYPASSRLS role is not subject to them and nothing changes. The
//! table's owner is subject to them only when the table FORCEs row-level security: the
//! loader lifts FORCE for the load and restores it in the same transaction (an ACCESS
//! EXCLUSIVE lock on the table until commit, which a load into an empty table takes anyway
//! in practice). Any other role is told to load as the owner or a BYPASSRLS role.

use std::io::Write;
use std::time::{Duration, Instant};

use postgres::Client;
use strata_model::quote_literal;

use crate::rows::{Dataset, display_name};
use crate::values::Value;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "table {table} does not exist in the database; apply the schema first (strata apply or strata migrate apply)"
    )]
    MissingTable { table: String },
    #[error(
        "table {table} already has rows; seed fills empty tables (TRUNCATE them first, or seed a fresh database)"
    )]
    NotEmpty { table: String },
    #[error(
        "table {table} has row-level security, whose policies apply to role {role} (neither its owner nor a superuser or BYPASSRLS role) and refuse COPY; seed as the table owner, a superuser or a BYPASSRLS role"
    )]
    RowSecurity { table: String, role: String },
    #[error("table {table}: the server refused a generated row{constraint}: {message}")]
    Refused {
        table: String,
        constraint: String,
        message: String,
    },
    #[error("{context}: {source}")]
    Database {
        context: String,
        #[source]
        source: postgres::Error,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// Told how a load goes, table by table (a progress bar in a terminal).
pub trait Progress {
    fn table(&mut self, _name: &str, _rows: u64) {}
    fn advance(&mut self, _rows: u64) {}
    fn done(&mut self, _name: &str, _rows: u64, _elapsed: Duration) {}
}

/// No progress reporting.
pub struct Quiet;
impl Progress for Quiet {}

/// What a load did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub tables: Vec<TableSummary>,
    /// How row-level security was handled, said once.
    pub row_security: Vec<String>,
    /// Checks the generators do not understand, `table.check` (the server enforced them:
    /// the load succeeded, so the rows satisfy them).
    pub unverified_checks: Vec<String>,
    pub seconds: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TableSummary {
    pub table: String,
    pub rows: u64,
    /// Rows asked for that a foreign key sharing a column could not match.
    pub skipped: u64,
    pub seconds: f64,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

fn db(context: impl Into<String>) -> impl FnOnce(postgres::Error) -> LoadError {
    let context = context.into();
    move |source| LoadError::Database { context, source }
}

/// Loads every table of `data` with rows into the database.
pub fn load(
    client: &mut Client,
    data: &Dataset<'_>,
    progress: &mut dyn Progress,
) -> Result<Summary, LoadError> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let role: String = client
        .query_one("SELECT current_user::text", &[])
        .and_then(|r| r.try_get(0))
        .map_err(db("could not read the current role"))?;
    let bypass: bool = client
        .query_one(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .map_err(db("could not read the current role's attributes"))?;

    let mut tx = client
        .transaction()
        .map_err(db("could not start a transaction"))?;
    let mut forced_lifted: Vec<String> = Vec::new();
    for g in data.tables.iter() {
        let qname = g.table.name.quoted();
        let name = display_name(&g.table.name);
        let row = tx
            .query_opt(
                "SELECT c.relrowsecurity, c.relforcerowsecurity, pg_has_role(c.relowner, 'USAGE') \
                 FROM pg_class c WHERE c.oid = to_regclass($1)",
                &[&qname],
            )
            .map_err(db(format!("could not look up table {name}")))?;
        let Some(row) = row else {
            return Err(LoadError::MissingTable { table: name });
        };
        if g.rows == 0 {
            continue;
        }
        let enabled: bool = row.get(0);
        let forced: bool = row.get(1);
        let owner: bool = row.get(2);
        let nonempty = tx
            .query_opt(&format!("SELECT 1 FROM {qname} LIMIT 1"), &[])
            .map_err(db(format!("could not read table {name}")))?;
        if nonempty.is_some() {
            return Err(LoadError::NotEmpty { table: name });
        }
        if enabled && !bypass && (forced || !owner) {
            if !owner {
                return Err(LoadError::RowSecurity {
                    table: name,
                    role: role.clone(),
                });
            }
            tx.batch_execute(&format!("ALTER TABLE {qname} NO FORCE ROW LEVEL SECURITY"))
                .map_err(db(format!(
                    "could not lift FORCE ROW LEVEL SECURITY on {name}"
                )))?;
            forced_lifted.push(name.clone());
        }

        let t0 = Instant::now();
        progress.table(&name, g.rows);
        let cols: Vec<String> = g
            .columns
            .iter()
            .map(|&ci| strata_model::quote_ident(&g.table.columns[ci].name))
            .collect();
        let copy = format!("COPY {qname} ({}) FROM STDIN", cols.join(", "));
        let ti = data.position(&g.table.name).unwrap_or(0);
        let written = {
            let mut writer = tx
                .copy_in(&copy)
                .map_err(db(format!("could not start COPY into {name}")))?;
            let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
            let mut values: Vec<Value> = Vec::with_capacity(g.columns.len());
            let mut written = 0u64;
            let mut pending = 0u64;
            for r in 0..g.rows {
                if !data.row(ti, r, &mut values) {
                    continue;
                }
                for (k, v) in values.iter().enumerate() {
                    if k > 0 {
                        buf.push(b'\t');
                    }
                    copy_text(v, &mut buf);
                }
                buf.push(b'\n');
                written += 1;
                pending += 1;
                if buf.len() >= 1 << 20 {
                    writer.write_all(&buf).map_err(|e| LoadError::Io {
                        context: format!("could not send rows of {name}"),
                        source: e,
                    })?;
                    buf.clear();
                    progress.advance(pending);
                    pending = 0;
                }
            }
            writer.write_all(&buf).map_err(|e| LoadError::Io {
                context: format!("could not send rows of {name}"),
                source: e,
            })?;
            progress.advance(pending);
            writer.finish().map_err(|e| refused(&name, e))?;
            written
        };
        if forced_lifted.last() == Some(&name) {
            tx.batch_execute(&format!("ALTER TABLE {qname} FORCE ROW LEVEL SECURITY"))
                .map_err(db(format!(
                    "could not restore FORCE ROW LEVEL SECURITY on {name}"
                )))?;
        }
        // Sequences past the generated values, so the application's inserts do not collide.
        for &ci in &g.sequenced {
            let col = &g.table.columns[ci];
            let seq: Option<String> = tx
                .query_one(
                    "SELECT pg_get_serial_sequence($1, $2)",
                    &[&qname, &col.name],
                )
                .and_then(|r| r.try_get(0))
                .map_err(db(format!(
                    "could not find the sequence of {name}.{}",
                    col.name
                )))?;
            // A sequence not owned by the column (pg_dump's serials often are not) is the
            // one its default calls.
            let seq = seq.or_else(|| {
                col.default
                    .as_deref()
                    .and_then(crate::plan::nextval_sequence)
            });
            if let Some(seq) = seq {
                let c = strata_model::quote_ident(&col.name);
                tx.batch_execute(&format!(
                    "SELECT setval({}, max({c})) FROM {qname} HAVING max({c}) IS NOT NULL",
                    quote_literal(&seq)
                ))
                .map_err(db(format!(
                    "could not move the sequence of {name}.{}",
                    col.name
                )))?;
            }
        }
        let elapsed = t0.elapsed();
        progress.done(&name, written, elapsed);
        summary.tables.push(TableSummary {
            table: name.clone(),
            rows: written,
            skipped: g.rows - written,
            seconds: elapsed.as_secs_f64(),
        });
        for c in &g.unverified {
            summary.unverified_checks.push(format!("{name}.{c}"));
        }
    }
    tx.commit().map_err(db("could not commit the load"))?;
    if bypass {
        summary.row_security.push(format!(
            "role {role} bypasses row-level security (superuser or BYPASSRLS): policies did not apply to the load"
        ));
    }
    for t in &forced_lifted {
        summary.row_security.push(format!(
            "{t}: FORCE ROW LEVEL SECURITY lifted for the load by its owner {role} and restored in the same transaction"
        ));
    }
    // Planner statistics for what comes next (verify, EXPLAIN).
    for t in &summary.tables {
        if let Some(g) = data
            .tables
            .iter()
            .find(|g| display_name(&g.table.name) == t.table)
        {
            client
                .batch_execute(&format!("ANALYZE {}", g.table.name.quoted()))
                .map_err(db(format!("could not analyze {}", t.table)))?;
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn refused(table: &str, e: postgres::Error) -> LoadError {
    match e.as_db_error() {
        Some(d) => LoadError::Refused {
            table: table.to_string(),
            constraint: d
                .constraint()
                .map(|c| format!(" (constraint {c})"))
                .unwrap_or_default(),
            message: d.message().to_string(),
        },
        None => LoadError::Database {
            context: format!("COPY into {table} failed"),
            source: e,
        },
    }
}

/// A value in COPY's text format.
pub fn copy_text(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null | Value::Default => out.extend_from_slice(b"\\N"),
        // The loader's rows carry concrete expiries; an expression has no COPY form, and is
        // sent as text for the server to refuse rather than silently dropped.
        Value::FromNow(_) => out.extend_from_slice(v.sql().as_bytes()),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Number(n) => out.extend_from_slice(n.as_bytes()),
        Value::Text(t) => {
            for &b in t.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
    }
}
