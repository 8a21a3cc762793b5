//! ## What it does
//! Finds tables of 10,000 rows or more (`n_live_tup`) read mostly by sequential scans: at
//! least 100 of them since the statistics were reset, more than index scans, each reading
//! 10,000 rows or more on average (`seq_tup_read / seq_scan`).
//!
//! ## Why it matters
//! A sequential scan reads the whole table; on a table that keeps growing, a query served by
//! one gets slower with every row, pushes useful pages out of the cache and, run often, is
//! usually the top line of the server's load. Repeated full scans of a large table are the
//! live sign of a query no index serves: the same thing `pattern-without-index` predicts from
//! a design's access patterns, seen here in what the server really did.
//!
//! Reporting tables and batch jobs read whole tables on purpose; the finding is a place to
//! look, not a verdict.
//!
//! ## Example
//! ```sql
//! CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, placed_at timestamptz);
//! -- run a thousand times a minute: no index on customer_id
//! SELECT * FROM orders WHERE customer_id = $1;
//! ```
//!
//! ## Fix
//! Find the queries (`pg_stat_statements`, ordered by total time) that scan the table, and
//! `CREATE INDEX CONCURRENTLY` the index their filter or order needs; check with `EXPLAIN`
//! that it is used.

use crate::health::Health;
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Smaller tables are cheaper to scan than to index.
const MIN_ROWS: i64 = 10_000;
/// Fewer scans than this are one-off jobs, not a pattern.
const MIN_SCANS: i64 = 100;

fn check(h: &Health, r: &mut Report) {
    for t in &h.tables {
        if t.live_rows < MIN_ROWS || t.seq_scans < MIN_SCANS || t.seq_scans <= t.index_scans {
            continue;
        }
        let per_scan = t.seq_rows_read / t.seq_scans;
        if per_scan < MIN_ROWS {
            continue;
        }
        r.add(
            format!("{}.{}", t.schema, t.name),
            format!(
                "table {}.{} ({} rows) was read by {} sequential scans of {per_scan} rows on average, against {} index scans",
                t.schema, t.name, t.live_rows, t.seq_scans, t.index_scans
            ),
            "find the queries that scan it (pg_stat_statements) and index what they filter or sort on",
        );
    }
}
