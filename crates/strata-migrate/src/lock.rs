//! The advisory lock that keeps two migrators apart.
//!
//! A session-level `pg_advisory_lock` on a fixed key: it is released when the connection
//! ends, however it ends (a killed migrator included), so a crash never leaves it held.

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
}

/// Takes the lock for this session.
pub fn acquire(
    client: &mut Client,
    wait: Wait,
    on_wait: &mut dyn FnMut(Option<&Holder>),
) -> Result<(), RunError> {
    let got: bool = client
        .query_one("SELECT pg_try_advisory_lock($1)", &[&KEY])
        .and_then(|r| r.try_get(0))
        .map_err(RunError::db("taking the migration lock"))?;
    if got {
        return Ok(());
    }
    let holder = holder(client)?;
    match wait {
        Wait::No => Err(RunError::Locked { holder }),
        Wait::Yes => {
            on_wait(holder.as_ref());
            client
                .execute("SELECT pg_advisory_lock($1)", &[&KEY])
                .map_err(RunError::db("waiting for the migration lock"))?;
            Ok(())
        }
    }
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
