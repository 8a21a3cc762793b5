//! Applying and rolling back migrations (see the crate documentation).

use std::time::Instant;

use postgres::{Client, GenericClient};
use strata_pg::postgres;

use crate::error::RunError;
use crate::folder::{Folder, Migration};
use crate::hazards;
use crate::history::{self, Applied, to_db};
use crate::lock::{self, Holder, Wait};
use crate::split;

/// What the runner is doing, for progress output.
#[derive(Debug)]
pub enum Event<'a> {
    /// A migration (or its rollback) starts; `no_transaction` names why it runs statement
    /// by statement.
    Start {
        migration: &'a Migration,
        down: bool,
        no_transaction: Option<&'static str>,
    },
    /// One statement of a non-transactional migration is about to run.
    Statement {
        migration: &'a Migration,
        index: usize,
        total: usize,
    },
    Done {
        migration: &'a Migration,
        down: bool,
        millis: u128,
    },
}

/// How a file runs: in one transaction, or statement by statement (and why).
pub fn mode(sql: &str) -> Option<&'static str> {
    if split::has_no_transaction_directive(sql) {
        return Some("-- strata:no-transaction");
    }
    split::split(sql)
        .iter()
        .find_map(|s| split::forbids_transaction(&s.sql))
}

/// Takes the advisory lock, runs `f`, releases the lock (also when `f` fails).
pub fn with_lock<T>(
    client: &mut Client,
    wait: Wait,
    on_wait: &mut dyn FnMut(Option<&Holder>),
    f: impl FnOnce(&mut Client) -> Result<T, RunError>,
) -> Result<T, RunError> {
    // Names this session for the lock-holder message of a second migrator, and (PostgreSQL
    // 14+) makes the server notice a killed migrator during a long statement and stop it.
    let _ = client.batch_execute(
        "SET application_name = 'strata migrate'; SET client_connection_check_interval = '1s'",
    );
    lock::acquire(client, wait, on_wait)?;
    let result = f(client);
    let released = lock::release(client);
    let value = result?;
    released?;
    Ok(value)
}

/// Refuses to run while a migration is dirty, or an applied one is missing, renamed or
/// changed (its up file, or its down file as it was when the migration was applied).
pub fn check_history(folder: &Folder, applied: &[Applied]) -> Result<(), RunError> {
    if let Some(d) = applied.iter().find(|a| !a.success) {
        return Err(RunError::Dirty {
            version: d.version,
            id: d.id(),
            operation: d.operation.clone(),
            done: d.statements_done,
            total: d.statements_total,
            error: d.error.clone(),
        });
    }
    for a in applied {
        let Some(m) = folder.get(a.version) else {
            return Err(RunError::NotInFolder { id: a.id() });
        };
        if let Some(problem) = drift(m, a) {
            return Err(problem);
        }
    }
    Ok(())
}

/// How the files of an applied migration differ from what the database recorded.
pub fn drift(m: &Migration, a: &Applied) -> Option<RunError> {
    if m.name != a.name {
        return Some(RunError::Renamed {
            version: a.version,
            applied: a.id(),
            found: m.id(),
        });
    }
    if m.checksum() != a.checksum {
        return Some(RunError::ChecksumMismatch { id: m.id() });
    }
    let recorded = a.down_checksum.as_ref()?;
    match (&m.down_file, m.down_checksum()) {
        (Some(file), Some(now)) if &now != recorded => {
            Some(RunError::DownChanged { file: file.clone() })
        }
        (None, _) | (_, None) => Some(RunError::DownRemoved {
            file: format!("{}.down.sql", m.id()),
        }),
        _ => None,
    }
}

/// Applies pending migrations up to `target` (all when `None`). Returns the versions applied.
/// The caller holds the lock ([`with_lock`]). No hazard gate: for replaying a folder on a
/// scratch database; a real database goes through [`apply_checked`].
pub fn apply(
    client: &mut Client,
    folder: &Folder,
    target: Option<u64>,
    on: &mut dyn FnMut(Event),
) -> Result<Vec<u64>, RunError> {
    apply_gated(client, folder, target, None, on)
}

/// [`apply`], refusing before anything runs when a pending migration has a statement that
/// deletes data and neither the file (`-- strata:allow-hazard deletes_data`) nor `allowed`
/// (hazard codes, or `all`) allows it.
pub fn apply_checked(
    client: &mut Client,
    folder: &Folder,
    target: Option<u64>,
    allowed: &[String],
    on: &mut dyn FnMut(Event),
) -> Result<Vec<u64>, RunError> {
    apply_gated(client, folder, target, Some(allowed), on)
}

fn gate(pending: &[&Migration], allowed: &[String]) -> Result<(), RunError> {
    let allows = |list: &[String], code: &str| list.iter().any(|a| a == "all" || a == code);
    for m in pending {
        let in_file = hazards::allowed_in_file(&m.up);
        if let Some(f) = hazards::scan(&m.up)
            .into_iter()
            .find(|f| !allows(allowed, f.code) && !allows(&in_file, f.code))
        {
            return Err(RunError::Hazard {
                file: m.up_file.clone(),
                line: f.line,
                statement: f.statement,
                code: f.code,
            });
        }
    }
    Ok(())
}

fn apply_gated(
    client: &mut Client,
    folder: &Folder,
    target: Option<u64>,
    allowed: Option<&[String]>,
    on: &mut dyn FnMut(Event),
) -> Result<Vec<u64>, RunError> {
    if let Some(t) = target
        && folder.get(t).is_none()
    {
        return Err(RunError::UnknownTarget { version: t });
    }
    // The history table is created with the first migration, in its transaction: a run that
    // fails or is refused leaves the database as it was.
    let mut history_exists = history::exists(client)?;
    let applied = history::read(client)?;
    check_history(folder, &applied)?;
    let last_applied = applied.iter().map(|a| a.version).max();
    let pending: Vec<&Migration> = folder
        .migrations
        .iter()
        .filter(|m| !applied.iter().any(|a| a.version == m.version))
        .filter(|m| target.is_none_or(|t| m.version <= t))
        .collect();
    if let (Some(first), Some(last)) = (pending.first(), last_applied)
        && first.version < last
    {
        let later = applied
            .iter()
            .rfind(|a| a.version == last)
            .map(Applied::id)
            .unwrap_or_default();
        return Err(RunError::OutOfOrder {
            pending: first.id(),
            applied: later,
        });
    }
    if let Some(allowed) = allowed {
        gate(&pending, allowed)?;
    }
    let mut done = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for m in pending {
        match run(client, m, false, !history_exists, on) {
            Ok(()) => {}
            // The database is unchanged by the failing migration, not by the run.
            Err(RunError::Failed {
                version,
                file,
                line,
                message,
                dirty,
                ..
            }) => {
                return Err(RunError::Failed {
                    version,
                    file,
                    line,
                    message,
                    dirty,
                    applied_before: ids,
                });
            }
            Err(e) => return Err(e),
        }
        history_exists = true;
        done.push(m.version);
        ids.push(m.id());
    }
    Ok(done)
}

/// Rolls back the last `steps` applied migrations, newest first. Returns their versions.
pub fn down(
    client: &mut Client,
    folder: &Folder,
    steps: usize,
    on: &mut dyn FnMut(Event),
) -> Result<Vec<u64>, RunError> {
    let applied = history::read(client)?;
    check_history(folder, &applied)?;
    let mut done = Vec::new();
    for a in applied.iter().rev().take(steps) {
        let Some(m) = folder.get(a.version) else {
            return Err(RunError::NotInFolder { id: a.id() });
        };
        run(client, m, true, false, on)?;
        done.push(m.version);
    }
    Ok(done)
}

/// Records migrations up to `version` as applied without running them, for a database that
/// already has their schema (checked by the caller) and no history. Returns the versions.
/// The caller holds the lock.
pub fn baseline(client: &mut Client, folder: &Folder, version: u64) -> Result<Vec<u64>, RunError> {
    if folder.get(version).is_none() {
        return Err(RunError::UnknownTarget { version });
    }
    check_baseline(client)?;
    let mut tx = client
        .transaction()
        .map_err(RunError::db("starting the baseline's transaction"))?;
    history::ensure(&mut tx)?;
    let mut done = Vec::new();
    for m in folder.migrations.iter().filter(|m| m.version <= version) {
        let total = i32::try_from(split::split(&m.up).len()).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO strata.schema_migrations
               (version, name, checksum, success, transactional, statements_done,
                statements_total, down_checksum, baseline)
             VALUES ($1, $2, $3, true, $4, $5, $5, $6, true)",
            &[
                &to_db(m.version),
                &m.name,
                &m.checksum(),
                &mode(&m.up).is_none(),
                &total,
                &m.down_checksum(),
            ],
        )
        .map_err(RunError::db("recording the baseline"))?;
        done.push(m.version);
    }
    tx.commit()
        .map_err(RunError::db("committing the baseline"))?;
    Ok(done)
}

/// A baseline is only for a database strata has never migrated.
pub fn check_baseline(client: &mut Client) -> Result<(), RunError> {
    let recorded = history::read(client)?.len();
    if recorded > 0 {
        return Err(RunError::HistoryExists { recorded });
    }
    Ok(())
}

/// The user's word on a dirty migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The migration is fully applied: mark it so.
    Applied,
    /// None of it is applied: forget it.
    RolledBack,
}

pub fn resolve(client: &mut Client, version: u64, how: Resolution) -> Result<(), RunError> {
    let applied = history::read(client)?;
    let Some(row) = applied.iter().find(|a| a.version == version) else {
        return Err(RunError::NotDirty {
            version,
            applied: false,
        });
    };
    if row.success {
        return Err(RunError::NotDirty {
            version,
            applied: true,
        });
    }
    let v = to_db(version);
    let result = match how {
        Resolution::Applied => client.execute(
            "UPDATE strata.schema_migrations
             SET success = true, operation = 'up', error = NULL, statements_done = statements_total
             WHERE version = $1",
            &[&v],
        ),
        Resolution::RolledBack => client.execute(
            "DELETE FROM strata.schema_migrations WHERE version = $1",
            &[&v],
        ),
    };
    result.map_err(RunError::db("updating the history table"))?;
    Ok(())
}

/// Where a file stands against the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Applied(Applied),
    Pending,
    Dirty(Applied),
    /// Applied, but its files differ from what was recorded: the up file's checksum, its
    /// name, or its down file's checksum; the error says which.
    Changed(Applied, String),
}

/// Every migration of the folder with its state, and applied ones missing from the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub migrations: Vec<(Migration, State)>,
    pub not_in_folder: Vec<Applied>,
}

pub fn status(client: &mut Client, folder: &Folder) -> Result<Status, RunError> {
    let applied = history::read(client)?;
    let mut out = Vec::new();
    for m in &folder.migrations {
        let state = match applied.iter().find(|a| a.version == m.version) {
            None => State::Pending,
            Some(a) if !a.success => State::Dirty(a.clone()),
            Some(a) => match drift(m, a) {
                Some(problem) => State::Changed(a.clone(), problem.to_string()),
                None => State::Applied(a.clone()),
            },
        };
        out.push((m.clone(), state));
    }
    let not_in_folder = applied
        .into_iter()
        .filter(|a| folder.get(a.version).is_none())
        .collect();
    Ok(Status {
        migrations: out,
        not_in_folder,
    })
}

fn file_of(m: &Migration, down: bool) -> Result<(&str, &str), RunError> {
    if down {
        match (&m.down_file, &m.down) {
            (Some(f), Some(t)) => Ok((f, t)),
            _ => Err(RunError::NoDown { id: m.id() }),
        }
    } else {
        Ok((&m.up_file, &m.up))
    }
}

fn run(
    client: &mut Client,
    m: &Migration,
    down: bool,
    create_history: bool,
    on: &mut dyn FnMut(Event),
) -> Result<(), RunError> {
    let (file, sql) = file_of(m, down)?;
    let no_tx = mode(sql);
    on(Event::Start {
        migration: m,
        down,
        no_transaction: no_tx,
    });
    let started = Instant::now();
    match no_tx {
        None => run_transactional(client, m, file, sql, down, create_history, started)?,
        Some(_) => {
            // Its dirty record must outlive a failure, so the table exists first.
            if create_history {
                history::ensure(client)?;
            }
            run_statements(client, m, file, sql, down, started, on)?
        }
    }
    on(Event::Done {
        migration: m,
        down,
        millis: started.elapsed().as_millis(),
    });
    Ok(())
}

fn millis(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

fn failed(
    e: postgres::Error,
    m: &Migration,
    file: &str,
    sql: &str,
    base: usize,
    statement: Option<usize>,
    dirty: bool,
) -> RunError {
    let Some(db) = e.as_db_error() else {
        return RunError::Db {
            context: "running the migration",
            error: e,
        };
    };
    // The server counts characters from the start of what was sent: the whole file, or
    // (statement by statement) the statement starting at byte `base`.
    let line = match db.position() {
        Some(postgres::error::ErrorPosition::Original(p)) => sql.get(base..).and_then(|local| {
            strata_pg::SqlPosition::from_char_position(local, usize::try_from(*p).unwrap_or(0))
                .map(|pos| sql[..base + pos.offset].matches('\n').count() + 1)
        }),
        _ => None,
    };
    // Without a position, the line where the failing statement starts.
    let line = line.or_else(|| {
        statement.and_then(|start| sql.get(..start).map(|s| s.matches('\n').count() + 1))
    });
    let mut message = format!("{} (SQLSTATE {})", db.message(), db.code().code());
    if let Some(d) = db.detail() {
        message.push_str(&format!("; DETAIL: {d}"));
    }
    if let Some(h) = db.hint() {
        message.push_str(&format!("; HINT: {h}"));
    }
    if let Some(advice) = row_security_advice(db) {
        message.push_str(&advice);
    }
    RunError::Failed {
        version: m.version,
        file: file.to_string(),
        line,
        message,
        dirty,
        applied_before: Vec::new(),
    }
}

fn run_transactional(
    client: &mut Client,
    m: &Migration,
    file: &str,
    sql: &str,
    down: bool,
    create_history: bool,
    started: Instant,
) -> Result<(), RunError> {
    if let Some(s) = split::split(sql)
        .into_iter()
        .find(|s| split::is_transaction_control(&s.sql))
    {
        return Err(RunError::TransactionControl {
            file: file.to_string(),
            statement: s.sql,
        });
    }
    let mut tx = client
        .transaction()
        .map_err(RunError::db("starting the migration's transaction"))?;
    // Dropping `tx` on an error rolls everything back, history table and row included.
    if create_history {
        history::ensure(&mut tx)?;
    }
    // Statement by statement inside the transaction, so that each runs under the row
    // security it needs (see `RowSecurity`) and a failure is located without re-running.
    let mut rls = RowSecurity::default();
    for st in split::split(sql) {
        let result = rls
            .prepare(&mut tx, &st.sql, true)
            .and_then(|()| tx.batch_execute(&st.sql));
        if let Err(e) = result {
            drop(tx);
            return Err(failed(
                e,
                m,
                file,
                sql,
                st.range.start,
                Some(st.range.start),
                false,
            ));
        }
    }
    let v = to_db(m.version);
    let total = i32::try_from(split::split(sql).len()).unwrap_or(i32::MAX);
    let recorded = if down {
        tx.execute(
            "DELETE FROM strata.schema_migrations WHERE version = $1",
            &[&v],
        )
    } else {
        tx.execute(
            "INSERT INTO strata.schema_migrations
               (version, name, checksum, duration_ms, success, transactional,
                statements_done, statements_total, down_checksum)
             VALUES ($1, $2, $3, $4, true, true, $5, $5, $6)",
            &[
                &v,
                &m.name,
                &m.checksum(),
                &millis(started),
                &total,
                &m.down_checksum(),
            ],
        )
    };
    recorded.map_err(RunError::db("recording the migration"))?;
    tx.commit()
        .map_err(RunError::db("committing the migration"))?;
    Ok(())
}

/// Statement by statement, each in its own implicit transaction. The history row is written
/// (dirty) first and updated after every statement, so a failure or a kill leaves a record of
/// how far it got.
fn run_statements(
    client: &mut Client,
    m: &Migration,
    file: &str,
    sql: &str,
    down: bool,
    started: Instant,
    on: &mut dyn FnMut(Event),
) -> Result<(), RunError> {
    let statements = split::split(sql);
    let total = i32::try_from(statements.len()).unwrap_or(i32::MAX);
    let v = to_db(m.version);
    let opened = if down {
        client.execute(
            "UPDATE strata.schema_migrations
             SET success = false, operation = 'down', statements_done = 0,
                 statements_total = $2, error = NULL
             WHERE version = $1",
            &[&v, &total],
        )
    } else {
        client.execute(
            "INSERT INTO strata.schema_migrations
               (version, name, checksum, success, transactional, operation,
                statements_done, statements_total, down_checksum)
             VALUES ($1, $2, $3, false, false, 'up', 0, $4, $5)",
            &[&v, &m.name, &m.checksum(), &total, &m.down_checksum()],
        )
    };
    opened.map_err(RunError::db("recording the migration's start"))?;
    let mut rls = RowSecurity::default();
    for (i, st) in statements.iter().enumerate() {
        on(Event::Statement {
            migration: m,
            index: i,
            total: statements.len(),
        });
        let result = rls
            .prepare(client, &st.sql, false)
            .and_then(|()| client.batch_execute(&st.sql));
        if let Err(e) = result {
            let err = failed(e, m, file, sql, st.range.start, Some(st.range.start), true);
            let text = match &err {
                RunError::Failed {
                    file,
                    line,
                    message,
                    ..
                } => format!(
                    "{file}{}: {message}",
                    line.map(|l| format!(":{l}")).unwrap_or_default()
                ),
                other => other.to_string(),
            };
            // Best effort: the connection may be the thing that failed. A `BEGIN` group of
            // the file may be open (and aborted): end it so the record can be written.
            let _ = client.batch_execute("ROLLBACK");
            let _ = client.execute(
                "UPDATE strata.schema_migrations SET error = $2 WHERE version = $1",
                &[&v, &text],
            );
            return Err(err);
        }
        let done = i32::try_from(i + 1).unwrap_or(i32::MAX);
        client
            .execute(
                "UPDATE strata.schema_migrations SET statements_done = $2 WHERE version = $1",
                &[&v, &done],
            )
            .map_err(RunError::db("recording a statement"))?;
    }
    let closed = if down {
        client.execute(
            "DELETE FROM strata.schema_migrations WHERE version = $1",
            &[&v],
        )
    } else {
        client.execute(
            "UPDATE strata.schema_migrations
             SET success = true, duration_ms = $2, applied_at = now()
             WHERE version = $1",
            &[&v, &millis(started)],
        )
    };
    closed.map_err(RunError::db("recording the migration's end"))?;
    Ok(())
}

/// A table name as SQL: bare when it needs no quotes.
fn display_table(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// What to do when a statement failed because row-level security would have filtered it
/// (which `row_security = off` turns into an error).
fn row_security_advice(db: &postgres::error::DbError) -> Option<String> {
    if db.code() != &postgres::error::SqlState::INSUFFICIENT_PRIVILEGE
        || !db.message().contains("row-level security")
    {
        return None;
    }
    let table = db
        .message()
        .split_once("for table \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(name, _)| display_table(name))
        .unwrap_or_else(|| "the_table".to_string());
    Some(format!(
        "; strata runs migrations with row_security = off, so a statement that row-level security \
         would filter fails instead of silently reading or changing fewer rows. Run data \
         migrations as a role with BYPASSRLS, or as the table's owner with \
         `ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;` before the statement and \
         `ALTER TABLE {table} FORCE ROW LEVEL SECURITY;` after it, in the same migration \
         (setting a tenant would copy only that tenant's rows)"
    ))
}

/// The `row_security` setting each statement of a migration runs under.
///
/// Row-level security must never make a migration see fewer rows than a table has: under
/// FORCE ROW LEVEL SECURITY a non-superuser owner's `INSERT ... SELECT` copies only the rows
/// the policies let through (none, with the tenant setting unset), and the migration goes on
/// to drop the source. With `row_security = off` PostgreSQL raises an error instead of
/// filtering, so statements that read or write rows run with it off, and so does adding a
/// foreign key without `NOT VALID` or validating one: PostgreSQL checks the existing rows
/// with a query the owner's forced policies filter, so with it on a key that hidden rows
/// violate would be accepted. Such a key belongs inside `NO FORCE ROW LEVEL SECURITY`, as
/// `strata migrate new` writes it. Other schema statements run with it on (the default).
#[derive(Default)]
struct RowSecurity {
    off: Option<bool>,
}

impl RowSecurity {
    fn prepare(
        &mut self,
        client: &mut impl GenericClient,
        statement: &str,
        local: bool,
    ) -> Result<(), postgres::Error> {
        let off = touches_rows(statement);
        if self.off == Some(off) {
            return Ok(());
        }
        client.batch_execute(&format!(
            "SET {}row_security = {}",
            if local { "LOCAL " } else { "" },
            if off { "off" } else { "on" }
        ))?;
        self.off = Some(off);
        Ok(())
    }
}

/// Whether a statement reads or writes table rows (DML, queries, code blocks, tables and
/// views filled from a query), as opposed to changing the schema.
pub fn touches_rows(statement: &str) -> bool {
    let w = split::keywords(statement);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    match w.first().copied() {
        Some(
            "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "SELECT" | "WITH" | "VALUES" | "TABLE"
            | "COPY" | "DO" | "CALL" | "REFRESH" | "EXECUTE",
        ) => true,
        // `CREATE TABLE ... AS` and `CREATE MATERIALIZED VIEW ... AS` fill from a query; a
        // plain view reads nothing when it is created.
        Some("CREATE") => {
            let fills = w
                .iter()
                .take(4)
                .any(|x| matches!(*x, "TABLE" | "MATERIALIZED"));
            fills
                && w.windows(2).any(|p| {
                    p[0] == "AS"
                        && matches!(p[1], "SELECT" | "WITH" | "TABLE" | "VALUES" | "EXECUTE")
                })
        }
        // A new or validated foreign key is checked with a query over both tables' rows,
        // which a forced table's policies would filter for its owner: with row security on,
        // a key that hidden rows violate is accepted.
        Some("ALTER") => {
            w.iter().take(3).any(|x| *x == "TABLE")
                && (w.windows(2).any(|p| p == ["FOREIGN", "KEY"])
                    && !w.windows(2).any(|p| p == ["NOT", "VALID"])
                    || w.windows(2).any(|p| p == ["VALIDATE", "CONSTRAINT"]))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::touches_rows;

    #[test]
    fn data_statements_are_told_from_schema_statements() {
        for s in [
            "INSERT INTO a SELECT * FROM b",
            "update a set x = 1",
            "DELETE FROM a",
            "WITH d AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM d",
            "SELECT count(*) FROM a",
            "DO $$ BEGIN UPDATE a SET x = 1; END $$",
            "CREATE TABLE c AS SELECT * FROM a",
            "CREATE MATERIALIZED VIEW m AS SELECT * FROM a",
            "REFRESH MATERIALIZED VIEW m",
            "COPY a TO STDOUT",
            "ALTER TABLE a ADD FOREIGN KEY (x) REFERENCES b",
            "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (x) REFERENCES b (id) ON DELETE CASCADE",
            "ALTER TABLE a VALIDATE CONSTRAINT f",
        ] {
            assert!(touches_rows(s), "{s}");
        }
        for s in [
            "CREATE TABLE a (x int GENERATED ALWAYS AS (1) STORED)",
            "ALTER TABLE a ADD FOREIGN KEY (x) REFERENCES b NOT VALID",
            "ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0)",
            "CREATE INDEX CONCURRENTLY i ON a (x)",
            "CREATE VIEW v AS SELECT * FROM a",
            "SET LOCAL lock_timeout = '5s'",
        ] {
            assert!(!touches_rows(s), "{s}");
        }
    }
}
