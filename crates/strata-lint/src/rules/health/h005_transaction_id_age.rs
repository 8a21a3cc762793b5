//! ## What it does
//! Finds tables whose oldest unfrozen transaction ID (`age(relfrozenxid)`, the table's or its
//! TOAST table's) is past the `autovacuum_freeze_max_age` that applies to them (their storage
//! parameter, else the server's), and the database itself when `age(datfrozenxid)` is past the
//! server's setting. Past that age autovacuum must already have run an anti-wraparound vacuum;
//! still being there means it cannot (switched off cluster-wide, blocked by a long
//! transaction, a prepared transaction or a replication slot's `xmin`) or cannot keep up.
//!
//! ## Why it matters
//! Transaction IDs are 32 bits: about 2.1 billion transactions after a row was written, its
//! ID would wrap around and the row would seem to be in the future. PostgreSQL prevents that
//! by freezing old rows; when it cannot, it first warns and at last refuses every new
//! transaction until the database is vacuumed in single-user mode, an outage of hours on a
//! large database. The age is the distance to that point.
//!
//! ## Example
//! ```sql
//! -- a session left idle in transaction since last week holds back freezing everywhere
//! BEGIN; SELECT 1;
//! ```
//!
//! ## Fix
//! Find what holds freezing back (`pg_stat_activity.backend_xmin`, `pg_prepared_xacts`,
//! `pg_replication_slots.xmin`) and end it, then `VACUUM (FREEZE, VERBOSE)` the tables the
//! finding names, oldest first. Keep autovacuum on.

use crate::health::{Health, percent};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Where the server stops taking transactions (2^31), the end of the scale the messages use.
const WRAPAROUND: i64 = 2_147_483_648;

fn check(h: &Health, r: &mut Report) {
    if h.freeze_max_age > 0 && h.database_xid_age > h.freeze_max_age {
        r.add(
            h.database.clone(),
            format!(
                "database {} has a transaction-ID age of {} ({}% of autovacuum_freeze_max_age {}, {}% of the way to wraparound): autovacuum is not freezing it",
                h.database,
                h.database_xid_age,
                percent(h.database_xid_age, h.freeze_max_age),
                h.freeze_max_age,
                percent(h.database_xid_age, WRAPAROUND),
            ),
            "end what holds freezing back (old transactions, prepared transactions, replication slots), then VACUUM (FREEZE) the oldest tables",
        );
    }
    for t in &h.tables {
        if t.freeze_max_age <= 0 || t.xid_age <= t.freeze_max_age {
            continue;
        }
        r.add(
            format!("{}.{}", t.schema, t.name),
            format!(
                "table {}.{} has a transaction-ID age of {} ({}% of its autovacuum_freeze_max_age {}, {}% of the way to wraparound): its anti-wraparound vacuum is overdue",
                t.schema,
                t.name,
                t.xid_age,
                percent(t.xid_age, t.freeze_max_age),
                t.freeze_max_age,
                percent(t.xid_age, WRAPAROUND),
            ),
            format!(
                "end what holds freezing back (old transactions, prepared transactions, replication slots), then VACUUM (FREEZE) {}.{}",
                quote_ident(&t.schema),
                quote_ident(&t.name)
            ),
        );
    }
}
