//! The history table `strata.schema_migrations`.
//!
//! One row per applied (or partly applied) migration. A row with `success = false` is a
//! **dirty** migration: a non-transactional migration (or rollback) stopped in the middle, and
//! nothing runs until the user says what state the database is in (`strata migrate resolve`).
//! Transactional migrations insert their row in their own transaction, so they never leave a
//! dirty row behind.

use postgres::{Client, GenericClient};
use strata_pg::postgres;

use crate::error::RunError;

/// Schema of the history table. Introspection for diffs leaves it out.
pub const SCHEMA: &str = "strata";
pub const TABLE: &str = "strata.schema_migrations";

const CREATE: &str = "\
CREATE SCHEMA IF NOT EXISTS strata;
CREATE TABLE IF NOT EXISTS strata.schema_migrations (
    version            bigint PRIMARY KEY,
    name               text NOT NULL,
    checksum           text NOT NULL,
    applied_at         timestamptz NOT NULL DEFAULT now(),
    duration_ms        bigint,
    success            boolean NOT NULL,
    transactional      boolean NOT NULL,
    operation          text NOT NULL DEFAULT 'up' CHECK (operation IN ('up', 'down')),
    statements_done    integer NOT NULL DEFAULT 0,
    statements_total   integer NOT NULL DEFAULT 0,
    error              text,
    down_checksum      text,
    baseline           boolean NOT NULL DEFAULT false
);
-- Tables written before these columns existed.
ALTER TABLE strata.schema_migrations ADD COLUMN IF NOT EXISTS down_checksum text;
ALTER TABLE strata.schema_migrations ADD COLUMN IF NOT EXISTS baseline boolean NOT NULL DEFAULT false;
COMMENT ON TABLE strata.schema_migrations IS 'Migrations applied by strata migrate; do not edit by hand (use strata migrate resolve)';";

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: u64,
    pub name: String,
    pub checksum: String,
    /// `applied_at` as text (ISO 8601, UTC).
    pub applied_at: String,
    pub duration_ms: Option<i64>,
    pub success: bool,
    pub transactional: bool,
    /// `up` or `down`: what was running when a dirty row was left.
    pub operation: String,
    pub statements_done: i32,
    pub statements_total: i32,
    pub error: Option<String>,
    /// SHA-256 of the down file when the migration was applied (`None`: it had none, or the
    /// row predates this column).
    pub down_checksum: Option<String>,
    /// Recorded by `strata migrate baseline` without running it (the database had it).
    pub baseline: bool,
}

impl Applied {
    pub fn id(&self) -> String {
        format!("{:04}_{}", self.version, self.name)
    }
}

/// Creates the history table if needed. Callers that may fail afterwards create it in the
/// same transaction as what they record, so a failure leaves no `strata` schema behind.
pub fn ensure(client: &mut impl GenericClient) -> Result<(), RunError> {
    client
        .batch_execute(CREATE)
        .map_err(RunError::db("creating the history table"))
}

/// Whether the history table exists (without creating it: `status` on a fresh database).
pub fn exists(client: &mut Client) -> Result<bool, RunError> {
    let row = client
        .query_one(
            "SELECT to_regclass('strata.schema_migrations') IS NOT NULL",
            &[],
        )
        .map_err(RunError::db("reading the history table"));
    let row = match row {
        Err(e) => return Err(denied(client, e)),
        Ok(row) => row,
    };
    row.try_get(0)
        .map_err(RunError::db("reading the history table"))
}

/// A read of the history refused for lack of privileges becomes one message naming the role
/// and the grants that let it read; anything else stays as it is.
fn denied(client: &mut Client, error: RunError) -> RunError {
    let RunError::Db { error: e, .. } = &error else {
        return error;
    };
    if e.code() != Some(&strata_pg::postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
        return error;
    }
    let role = client
        .query_one("SELECT quote_ident(current_user)", &[])
        .ok()
        .and_then(|r| r.try_get::<_, String>(0).ok())
        .unwrap_or_else(|| "this role".into());
    RunError::HistoryDenied { role }
}

/// All rows, by version.
pub fn read(client: &mut Client) -> Result<Vec<Applied>, RunError> {
    if !exists(client)? {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "SELECT version, name, checksum,
                    to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS applied_at,
                    duration_ms, success, transactional, operation, statements_done,
                    statements_total, error,
                    -- Read through to_jsonb so that a table written before the column
                    -- existed reads as NULL instead of failing.
                    to_jsonb(m) ->> 'down_checksum' AS down_checksum,
                    coalesce((to_jsonb(m) ->> 'baseline')::boolean, false) AS baseline
             FROM strata.schema_migrations m ORDER BY version",
            &[],
        )
        .map_err(RunError::db("reading the history table"));
    let rows = match rows {
        Err(e) => return Err(denied(client, e)),
        Ok(rows) => rows,
    };
    let mut out = Vec::new();
    for r in rows {
        let get = RunError::db("reading the history table");
        let version: i64 = r.try_get("version").map_err(&get)?;
        out.push(Applied {
            version: u64::try_from(version).unwrap_or(0),
            name: r.try_get("name").map_err(&get)?,
            checksum: r.try_get("checksum").map_err(&get)?,
            applied_at: r.try_get("applied_at").map_err(&get)?,
            duration_ms: r.try_get("duration_ms").map_err(&get)?,
            success: r.try_get("success").map_err(&get)?,
            transactional: r.try_get("transactional").map_err(&get)?,
            operation: r.try_get("operation").map_err(&get)?,
            statements_done: r.try_get("statements_done").map_err(&get)?,
            statements_total: r.try_get("statements_total").map_err(&get)?,
            error: r.try_get("error").map_err(&get)?,
            down_checksum: r.try_get("down_checksum").map_err(&get)?,
            baseline: r.try_get("baseline").map_err(&get)?,
        });
    }
    Ok(out)
}

/// Versions are `bigint` in the table.
pub fn to_db(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(i64::MAX)
}
