//! ## What it does
//! Finds transactions prepared for two-phase commit (`PREPARE TRANSACTION`) more than 5
//! seconds ago and still neither committed nor rolled back (`pg_prepared_xacts`). They belong
//! to the server, so every database linted on it reports them.
//!
//! ## Why it matters
//! Two-phase commit finishes a prepared transaction within milliseconds; one that lingers was
//! orphaned, usually by a transaction manager that crashed or lost its log. It survives
//! restarts and keeps everything it held: its locks (a prepared `ALTER TABLE` blocks every
//! reader of the table), and its transaction ID, which stops vacuum from removing rows or
//! freezing anything newer, the road to transaction-ID wraparound (`transaction-id-age`).
//! No session shows it in `pg_stat_activity`, so it is easy to miss.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! UPDATE accounts SET balance = balance - 10 WHERE id = 1;
//! PREPARE TRANSACTION 'transfer-42';  -- and the coordinator never comes back
//! ```
//!
//! ## Fix
//! Ask the transaction manager whether it committed the transaction elsewhere; then, in the
//! database the finding names, `COMMIT PREPARED 'gid'` or `ROLLBACK PREPARED 'gid'`. If nothing
//! uses two-phase commit, keep `max_prepared_transactions = 0`.

use crate::health::Health;
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Older than this, a prepared transaction is not one finishing normally.
const MIN_SECONDS: i64 = 5;

fn check(h: &Health, r: &mut Report) {
    for p in h
        .prepared_transactions
        .iter()
        .filter(|p| p.seconds > MIN_SECONDS)
    {
        r.add(
            format!("prepared transaction {}", p.gid),
            format!(
                "transaction {} of {} in database {} was prepared {} seconds ago and is still open: it keeps its locks and holds back vacuum for everything younger than {} transactions",
                p.gid, p.owner, p.database, p.seconds, p.xid_age
            ),
            format!(
                "in database {}, COMMIT PREPARED or ROLLBACK PREPARED '{}' once the transaction manager says which",
                p.database,
                p.gid.replace('\'', "''")
            ),
        );
    }
}
