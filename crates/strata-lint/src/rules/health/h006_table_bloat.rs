//! ## What it does
//! Finds tables whose heap is estimated to be at least half dead space and at least 8 MB of
//! it. The estimate is the well-known statistics-based one: a row's size is its 23-byte
//! header (plus a null bitmap) and its columns' average widths from `pg_stats`, aligned to 8
//! bytes, with a 4-byte line pointer; a page holds the fillfactor's share of 8 kB less its
//! header; the pages `reltuples` such rows need are compared with the pages the heap has.
//! Tables with a column that has no statistics (never analyzed) are skipped.
//!
//! ## Why it matters
//! Rows deleted or updated leave dead space that `VACUUM` makes reusable but does not give
//! back: after a mass delete or a long-blocked vacuum the table stays its old size. Every
//! sequential scan reads the empty pages, the cache holds them, backups copy them.
//!
//! The estimate's error: it ignores TOAST (only the main heap is compared), the alignment of
//! each column within a row, and averages widths over a sample. A test measures it against
//! `pgstattuple`'s exact figure, on a table as loaded and on one with nine rows in ten
//! deleted: it must be within 15 percentage points (it is within 3 there). That margin is
//! why only tables at least half empty are reported; measure with `pgstattuple` before acting
//! on a borderline case.
//!
//! ## Example
//! ```sql
//! DELETE FROM events WHERE created_at < now() - interval '1 year';  -- 90% of the rows
//! ```
//! Use instead: partition by time and drop old partitions.
//!
//! ## Fix
//! Reclaim the space without a long lock with `pg_repack` (or `pg_squeeze`); `VACUUM FULL`
//! and `CLUSTER` do it too but hold an ACCESS EXCLUSIVE lock for the whole rewrite. Then find
//! why it grew: a vacuum blocked by long transactions, or deletes a partition drop would do.

use crate::health::{Health, percent, size};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// A table is reported when at least this share of it is estimated dead space...
pub(crate) const MIN_PERCENT: i64 = 50;
/// ... and at least this many bytes: below that, reclaiming it is not worth a rewrite.
pub(crate) const MIN_BYTES: i64 = 8 * 1024 * 1024;

fn check(h: &Health, r: &mut Report) {
    for t in &h.tables {
        let Some(bloat) = t.bloat_bytes else {
            continue;
        };
        let pct = percent(bloat, t.size_bytes);
        if bloat < MIN_BYTES || pct < MIN_PERCENT {
            continue;
        }
        r.add(
            format!("{}.{}", t.schema, t.name),
            format!(
                "table {}.{} is {} and about {pct}% of it ({}) is estimated to be dead space",
                t.schema,
                t.name,
                size(t.size_bytes),
                size(bloat),
            ),
            "reclaim it with pg_repack (VACUUM FULL locks the table for the whole rewrite), then find why it grew",
        );
    }
}
