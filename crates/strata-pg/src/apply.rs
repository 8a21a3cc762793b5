//! Applying a SQL script in one transaction, with errors located in the script.

use std::fmt;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use postgres::NoTls;
use postgres::error::ErrorPosition;

use crate::cluster::describe_pg_error;

/// A position in a SQL script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlPosition {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// 0-based byte offset into the script.
    pub offset: usize,
}

impl SqlPosition {
    /// Converts PostgreSQL's error position (a 1-based *character* offset) into a position in
    /// `sql`. A position past the end (as in "syntax error at end of input") maps to the end.
    pub fn from_char_position(sql: &str, position: usize) -> Option<SqlPosition> {
        if position == 0 {
            return None;
        }
        let mut line = 1;
        let mut column = 1;
        for (index, (offset, ch)) in sql.char_indices().enumerate() {
            if index + 1 == position {
                return Some(SqlPosition {
                    line,
                    column,
                    offset,
                });
            }
            if ch == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        Some(SqlPosition {
            line,
            column,
            offset: sql.len(),
        })
    }
}

/// An error reported by the server while applying a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerError {
    /// `ERROR`, `FATAL`, …
    pub severity: String,
    /// The SQLSTATE code, e.g. `42P01`.
    pub code: String,
    /// The primary message.
    pub message: String,
    /// Where in the script the error points, when the server said.
    pub position: Option<SqlPosition>,
    /// The `DETAIL` field.
    pub detail: Option<String>,
    /// The `HINT` field.
    pub hint: Option<String>,
    /// The `CONTEXT` field (e.g. the PL/pgSQL line that failed).
    pub context: Option<String>,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pos) = &self.position {
            write!(f, "line {}, column {}: ", pos.line, pos.column)?;
        }
        write!(f, "{} (SQLSTATE {})", self.message, self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, "\nDETAIL: {detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nHINT: {hint}")?;
        }
        Ok(())
    }
}

/// Why [`apply_sql`] failed. The transaction has been rolled back in either case.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The server rejected a statement.
    #[error("{0}")]
    Server(Box<ServerError>),
    /// The connection failed, or some other client-side error.
    #[error("could not apply SQL: {}", describe_pg_error(.0))]
    Client(postgres::Error),
    /// The script ran longer than allowed and was cancelled.
    #[error("the SQL ran longer than {} s and was cancelled", .0.as_secs_f64())]
    TimedOut(Duration),
    /// A statement of the script ended the transaction it was applied in (`COMMIT`,
    /// `ROLLBACK`, …), so what came before it was committed or lost on its own.
    #[error("the SQL ended the transaction it is applied in (COMMIT, ROLLBACK or similar)")]
    TransactionEnded,
}

impl ApplyError {
    fn new(error: postgres::Error, sql: &str) -> ApplyError {
        let Some(db) = error.as_db_error() else {
            return ApplyError::Client(error);
        };
        let position = match db.position() {
            Some(ErrorPosition::Original(p)) => {
                SqlPosition::from_char_position(sql, usize::try_from(*p).unwrap_or(0))
            }
            // Points into a query the server generated, not into the script.
            Some(ErrorPosition::Internal { .. }) | None => None,
        };
        ApplyError::Server(Box::new(ServerError {
            severity: db.severity().to_string(),
            code: db.code().code().to_string(),
            message: db.message().to_string(),
            position,
            detail: db.detail().map(str::to_string),
            hint: db.hint().map(str::to_string),
            context: db.where_().map(str::to_string),
        }))
    }

    /// The server's error, if the server reported one.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            ApplyError::Server(e) => Some(e),
            _ => None,
        }
    }
}

/// Cancels the query running on a connection once a time limit has passed, whatever the
/// SQL did to its own `statement_timeout`.
pub struct Deadline {
    disarm: Option<mpsc::Sender<()>>,
    watcher: Option<JoinHandle<bool>>,
}

impl Deadline {
    /// Starts the clock for the queries of the connection `token` belongs to.
    pub fn arm(token: postgres::CancelToken, limit: Duration) -> Deadline {
        let (disarm, disarmed) = mpsc::channel::<()>();
        let watcher = std::thread::spawn(move || match disarmed.recv_timeout(limit) {
            Err(RecvTimeoutError::Timeout) => {
                // A cancel request is sent without TLS: it carries only the backend's key, and
                // servers accept it on a plain connection.
                let _ = token.cancel_query(NoTls);
                true
            }
            Ok(()) | Err(RecvTimeoutError::Disconnected) => false,
        });
        Deadline {
            disarm: Some(disarm),
            watcher: Some(watcher),
        }
    }

    /// Stops the clock; true if the time had run out (and the query was cancelled).
    pub fn expired(mut self) -> bool {
        self.stop()
    }

    fn stop(&mut self) -> bool {
        drop(self.disarm.take());
        self.watcher
            .take()
            .is_some_and(|w| w.join().unwrap_or(false))
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The SQLSTATE of a cancelled statement (by a cancel request or `statement_timeout`).
const QUERY_CANCELED: &str = "57014";

/// Like [`apply_sql`], for a script nobody vouched for: the whole script is cancelled after
/// `limit`, and a script that ends the transaction it runs in is reported (and rolled back
/// as far as still possible) instead of being half committed.
pub fn apply_untrusted_sql(
    client: &mut postgres::Client,
    sql: &str,
    limit: Duration,
) -> Result<(), ApplyError> {
    const MARK: &str = "strata.applying";
    let mut tx = client.transaction().map_err(|e| ApplyError::new(e, sql))?;
    // A transaction-local setting that survives only as long as our transaction does.
    tx.batch_execute(&format!("SET LOCAL {MARK} = 'on'"))
        .map_err(|e| ApplyError::new(e, sql))?;
    let deadline = Deadline::arm(tx.cancel_token(), limit);
    let result = tx.batch_execute(sql);
    let timed_out = deadline.expired();
    if let Err(e) = result {
        let error = ApplyError::new(e, sql);
        let cancelled = error
            .server_error()
            .is_some_and(|s| s.code == QUERY_CANCELED);
        if timed_out && cancelled {
            return Err(ApplyError::TimedOut(limit));
        }
        return Err(error);
    }
    let still_ours = tx
        .query_one("SELECT current_setting($1, true)", &[&MARK])
        .map_err(|e| ApplyError::new(e, sql))?
        .try_get::<_, Option<String>>(0)
        .map_err(|e| ApplyError::new(e, sql))?;
    if still_ours.as_deref() != Some("on") {
        return Err(ApplyError::TransactionEnded);
    }
    tx.commit().map_err(|e| ApplyError::new(e, sql))
}

/// Runs a multi-statement script in a single transaction, committing only if all of it succeeds.
///
/// The script is sent as one simple-protocol query, so it must not contain statements that
/// cannot run inside a transaction block (e.g. `CREATE INDEX CONCURRENTLY`) nor psql
/// meta-commands.
pub fn apply_sql(client: &mut postgres::Client, sql: &str) -> Result<(), ApplyError> {
    let mut tx = client.transaction().map_err(|e| ApplyError::new(e, sql))?;
    // On error `tx` is dropped, which rolls the transaction back.
    tx.batch_execute(sql).map_err(|e| ApplyError::new(e, sql))?;
    tx.commit().map_err(|e| ApplyError::new(e, sql))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(sql: &str, p: usize) -> (usize, usize, usize) {
        let p = SqlPosition::from_char_position(sql, p);
        let p = p.unwrap_or(SqlPosition {
            line: 0,
            column: 0,
            offset: 0,
        });
        (p.line, p.column, p.offset)
    }

    #[test]
    fn converts_character_positions_to_lines_and_columns() {
        let sql = "ab\ncd\n\nef";
        assert_eq!(pos(sql, 1), (1, 1, 0));
        assert_eq!(pos(sql, 3), (1, 3, 2)); // the newline itself
        assert_eq!(pos(sql, 4), (2, 1, 3));
        assert_eq!(pos(sql, 7), (3, 1, 6));
        assert_eq!(pos(sql, 9), (4, 2, 8));
    }

    #[test]
    fn counts_characters_not_bytes() {
        let sql = "é\nàb";
        assert_eq!(pos(sql, 4), (2, 2, 5));
    }

    #[test]
    fn position_past_the_end_maps_to_the_end() {
        let sql = "a\nbc";
        assert_eq!(pos(sql, 5), (2, 3, 4));
        assert_eq!(pos(sql, 50), (2, 3, 4));
        assert_eq!(SqlPosition::from_char_position(sql, 0), None);
    }

    #[test]
    fn display_is_short_and_includes_location_detail_and_hint() {
        let e = ServerError {
            severity: "ERROR".into(),
            code: "42P01".into(),
            message: "relation \"x\" does not exist".into(),
            position: Some(SqlPosition {
                line: 3,
                column: 7,
                offset: 40,
            }),
            detail: Some("d".into()),
            hint: None,
            context: None,
        };
        assert_eq!(
            e.to_string(),
            "line 3, column 7: relation \"x\" does not exist (SQLSTATE 42P01)\nDETAIL: d"
        );
    }
}
