//! ## What it does
//! Finds tables of 1,000 rows or more (`n_live_tup`) that were never analyzed, or where the
//! rows inserted, updated or deleted since the last `ANALYZE` (`n_mod_since_analyze`) are
//! 1,000 or more and at least 20% of the table, twice what makes autovacuum analyze a table
//! with the default settings.
//!
//! ## Why it matters
//! The planner chooses joins, indexes and memory from the statistics `ANALYZE` gathers. Without
//! them it assumes a small table; with stale ones it misjudges every value that is new since
//! then (the most recent dates, the newest ids, which are usually the ones queried), and picks
//! nested loops over millions of rows or a sequential scan where an index would do. Autovacuum
//! normally keeps them fresh; a table it skips has autovacuum switched off, a threshold set
//! too high, or an autovacuum that cannot keep up.
//!
//! ## Example
//! ```sql
//! CREATE TABLE import_rows (id bigint, line text) WITH (autovacuum_enabled = off);
//! -- loaded with a million rows, queried, never analyzed
//! ```
//!
//! ## Fix
//! `ANALYZE` the table now; then let autovacuum keep it analyzed (turn it back on, or lower
//! `autovacuum_analyze_scale_factor` for the table), and `ANALYZE` right after bulk loads.

use crate::health::{Health, duration};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Smaller tables are left out: a plan over them is cheap whatever the statistics say.
const MIN_ROWS: i64 = 1_000;
/// The share of the table changed since the last `ANALYZE` from which it is reported.
const CHANGED_PERCENT: i64 = 20;

fn check(h: &Health, r: &mut Report) {
    for t in &h.tables {
        let why = match t.analyzed_seconds_ago {
            None if t.live_rows >= MIN_ROWS => {
                format!("has {} rows and was never analyzed", t.live_rows)
            }
            Some(ago)
                if t.modified_since_analyze >= MIN_ROWS
                    && t.modified_since_analyze * 100 >= CHANGED_PERCENT * t.live_rows.max(1) =>
            {
                format!(
                    "had {} rows inserted, updated or deleted since it was last analyzed ({} ago), against {} live rows",
                    t.modified_since_analyze,
                    duration(ago),
                    t.live_rows
                )
            }
            _ => continue,
        };
        let autovacuum = if t.autovacuum_off {
            " and turn autovacuum back on for it (autovacuum_enabled is off)"
        } else {
            ""
        };
        r.add(
            format!("{}.{}", t.schema, t.name),
            format!(
                "table {}.{} {why}: the planner is working from wrong statistics",
                t.schema, t.name
            ),
            format!(
                "ANALYZE {}.{}{autovacuum}",
                quote_ident(&t.schema),
                quote_ident(&t.name)
            ),
        );
    }
}
