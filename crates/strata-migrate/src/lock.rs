//! The advisory lock that keeps two migrators apart.
//!
//! A session-level advisory lock on a fixed key: it is released when the connection ends,
//! however it ends (a killed migrator included), so a crash never leaves it held.
//!
//! A waiter never blocks inside the server: `pg_advisory_lock` would keep the waiter's
//! statement (and its snapshot) open for as long as it waits, and `CREATE INDEX CONCURRENTLY`
//! in the holder's migration waits for every snapshot of the database, so the two wait for
//! each other until the deadlock detector kills one of them, possibly the index build,
//! leaving an INVALID index. Instead the waiter polls `pg_try_advisory_lock` outside any
//! transaction and sleeps between tries with nothing open on the server.

use std::time::{Duration, Instant};

use postgres::Client;
use strata_pg::postgres;

use crate::error::RunError;

/// `STRATAMG` as a big-endian integer: the key every strata migrator locks.
pub const KEY: i64 = 0x5354_5241_5441_4D47;

/// Who holds the lock, as far as `pg_stat_activity` tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: i32,
    pub application_name: String,
    pub client_addr: Option<String>,
    /// Seconds since the holder's current transaction or query started.
    pub since: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "server process {}", self.pid)?;
        if !self.application_name.is_empty() {
            write!(f, " ({})", self.application_name)?;
        }
        if let Some(addr) = &self.client_addr {
            write!(f, " from {addr}")?;
        }
        if let Some(since) = &self.since {
            write!(f, ", connected since {since}")?;
        }
        Ok(())
    }
}

/// Whether to wait for the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Wait as long as it takes, calling back once with the holder before waiting.
    Yes,
    /// Fail at once with [`RunError::Locked`].
    No,
    /// Wait at most this long, then fail with [`RunError::LockTimeout`].
    Until(Duration),
}

/// How long a waiter sleeps between two tries: short enough that the next migrator starts
/// soon after the lock is free, long enough to cost the server nothing.
const POLL: Duration = Duration::from_millis(200);

/// Takes the lock for this session. The caller must not be inside a transaction: the point
/// of polling is that nothing stays open on the server while waiting.
pub fn acquire(
    client: &mut Client,
    wait: Wait,
    on_wait: &mut dyn FnMut(Option<&Holder>),
) -> Result<(), RunError> {
    if try_lock(client)? {
        return Ok(());
    }
    let holder = holder(client)?;
    let limit = match wait {
        Wait::No => return Err(RunError::Locked { holder }),
        Wait::Yes => None,
        Wait::Until(limit) => Some(limit),
    };
    on_wait(holder.as_ref());
    let started = Instant::now();
    loop {
        if let Some(limit) = limit
            && started.elapsed() >= limit
        {
            let holder = self::holder(client)?;
            return Err(RunError::LockTimeout {
                seconds: limit.as_secs(),
                holder,
            });
        }
        std::thread::sleep(POLL);
        if try_lock(client)? {
            return Ok(());
        }
    }
}

fn try_lock(client: &mut Client) -> Result<bool, RunError> {
    // The simple protocol: one round trip, no prepared statement, and the implicit
    // transaction (with its snapshot) ends as soon as the answer is sent.
    let rows = client
        .simple_query(&format!("SELECT pg_try_advisory_lock({KEY})"))
        .map_err(RunError::db("taking the migration lock"))?;
    Ok(rows
        .iter()
        .any(|m| matches!(m, postgres::SimpleQueryMessage::Row(r) if r.get(0) == Some("t"))))
}

pub fn release(client: &mut Client) -> Result<(), RunError> {
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&KEY])
        .map_err(RunError::db("releasing the migration lock"))?;
    Ok(())
}

/// The session holding the lock, if it can be seen.
pub fn holder(client: &mut Client) -> Result<Option<Holder>, RunError> {
    // A bigint key is stored as classid (high half), objid (low half), objsubid 1.
    let rows = client
        .query(
            "SELECT a.pid, coalesce(a.application_name, '') AS app, a.client_addr::text AS addr,
                    to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') AS since
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint & 4294967295)
             LIMIT 1",
            &[&KEY],
        )
        .map_err(RunError::db("finding the migration lock's holder"))?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let get = RunError::db("finding the migration lock's holder");
    Ok(Some(Holder {
        pid: r.try_get("pid").map_err(&get)?,
        application_name: r.try_get("app").map_err(&get)?,
        client_addr: r.try_get("addr").map_err(&get)?,
        since: r.try_get("since").map_err(&get)?,
    }))
}
