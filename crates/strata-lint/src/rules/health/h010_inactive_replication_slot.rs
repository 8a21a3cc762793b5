//! ## What it does
//! Finds replication slots no client is streaming from (`pg_replication_slots.active =
//! false`), with the WAL they keep on the server and the age of the oldest transaction they
//! hold back from vacuum. Slots belong to the whole server, so every database linted on that
//! server reports them.
//!
//! ## Why it matters
//! A slot makes the server keep every WAL segment its consumer has not confirmed, and (a
//! logical slot always, a physical one with `hot_standby_feedback`) keeps vacuum from removing
//! rows that consumer might still need. A slot left behind by a decommissioned replica or a
//! stopped change-data-capture tool fills the WAL disk until the server stops, and holds
//! back freezing until transaction-ID wraparound threatens (`transaction-id-age`).
//!
//! ## Example
//! ```sql
//! SELECT pg_create_logical_replication_slot('cdc', 'pgoutput');  -- the CDC tool was removed
//! ```
//!
//! ## Fix
//! If its consumer is gone for good, `SELECT pg_drop_replication_slot('name');`. If it is only
//! down, bring it back soon; set `max_slot_wal_keep_size` so that a forgotten slot is
//! invalidated before it fills the disk.

use crate::health::{Health, size};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

fn check(h: &Health, r: &mut Report) {
    for s in h.replication_slots.iter().filter(|s| !s.active) {
        let keeps = match s.retained_bytes {
            Some(b) => format!("keeps {} of WAL on the server", size(b)),
            None => "keeps no WAL yet".to_string(),
        };
        let holds = match s.xmin_age {
            Some(age) => {
                format!(" and holds back vacuum for everything younger than {age} transactions")
            }
            None => String::new(),
        };
        let of = match &s.database {
            Some(db) => format!(" (of database {db})"),
            None => String::new(),
        };
        r.add(
            format!("replication slot {}", s.name),
            format!(
                "{} replication slot {}{of} has no client streaming from it: it {keeps}{holds}",
                s.kind, s.name
            ),
            format!(
                "if its consumer is gone, SELECT pg_drop_replication_slot('{}'); set max_slot_wal_keep_size to bound what a slot can keep",
                s.name.replace('\'', "''")
            ),
        );
    }
}
