//! ## What it does
//! Finds indexes no query has scanned (`pg_stat_user_indexes.idx_scan = 0`) since the
//! statistics were last reset (`pg_stat_database.stats_reset`) or, if they never were, since
//! the server started, and says how long that evidence covers. Indexes that enforce something
//! are left out however rarely they are read: unique indexes, those backing a primary key,
//! unique, exclusion or foreign-key constraint, and the replica identity. So are partitioned
//! indexes and their partitions, which cannot be dropped one by one.
//!
//! ## Why it matters
//! Every insert, and every update that is not HOT, writes to every index of the table; an
//! index nothing reads costs that write, its disk and cache space, and its share of each
//! vacuum for nothing. It also stops HOT updates of the columns it covers.
//!
//! The counters cover only this server and only the time since the reset: scans on a
//! replica do not count here, and a monthly report's index looks unused for 29 days. Judge
//! the finding by the period its message gives, and check the replicas before dropping.
//!
//! ## Example
//! ```sql
//! CREATE INDEX orders_note_idx ON orders (note);  -- no query filters or sorts on note
//! ```
//!
//! ## Fix
//! Once the statistics cover a representative period (month-end jobs included) on every
//! server that takes reads, `DROP INDEX CONCURRENTLY` it; keep its definition (the help line
//! gives it) to recreate it if a query needs it after all.

use crate::health::{Health, duration, size};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Statistics younger than this (a week) are said to be too short to be sure: weekly jobs
/// have not run yet.
const SHORT_SECONDS: i64 = 7 * 24 * 3600;

fn check(h: &Health, r: &mut Report) {
    for i in &h.indexes {
        if i.scans > 0 || i.required || i.partitioned || !i.valid {
            continue;
        }
        let short = if h.stats_seconds < SHORT_SECONDS {
            ", too short a period to be sure"
        } else {
            ""
        };
        r.add(
            format!("{}.{}.{}", i.schema, i.table, i.name),
            format!(
                "index {} on {}.{} ({}) has not been scanned once since the statistics were reset or the server started, {} ago{short}: writes maintain it and nothing reads it",
                i.name,
                i.schema,
                i.table,
                size(i.size_bytes),
                duration(h.stats_seconds),
            ),
            format!(
                "if that period is representative on every server, DROP INDEX CONCURRENTLY {}.{} (to recreate: {})",
                quote_ident(&i.schema),
                quote_ident(&i.name),
                i.definition
            ),
        );
    }
}
