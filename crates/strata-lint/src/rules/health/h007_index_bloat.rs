//! ## What it does
//! Finds B-tree indexes estimated to be at least half empty space and at least 8 MB of it.
//! The estimate is the well-known statistics-based one: each live entry is an 8-byte index
//! tuple header (plus a null bitmap) and its columns' average widths from `pg_stats` (an
//! expression's from the statistics `ANALYZE` keeps under the index), aligned to 8 bytes, with
//! a 4-byte line pointer; a leaf page holds the fillfactor's share (90% by default) of 8 kB
//! less the page header and the B-tree special space; plus the meta page. The pages
//! `reltuples` such entries need are compared with the index's pages. Indexes with a column
//! that has no statistics are skipped.
//!
//! ## Why it matters
//! B-tree pages emptied by deletes and updates are reused only for keys in their own range, so
//! an index of ever-growing keys (ids, timestamps) whose old rows are deleted keeps its size
//! and its depth. A bloated index takes cache from the data and makes every range scan read
//! more pages.
//!
//! The estimate's error: it ignores the inner pages (about 1% of a B-tree) and the
//! deduplication of equal keys (PostgreSQL 13 and later store them once, so an index with many
//! duplicates is smaller than estimated and is not reported: a miss, not a false alarm). A
//! test measures it against `pgstatindex`, on an index built after the load and on one filled
//! by random inserts with nine entries in ten deleted: it must be within 15 percentage points
//! (it is within 3 there). That margin is why only indexes at least half empty are reported.
//!
//! ## Example
//! ```sql
//! DELETE FROM events WHERE id % 10 <> 0;  -- the index on events (id) keeps every page
//! ```
//!
//! ## Fix
//! `REINDEX INDEX CONCURRENTLY` it: builds a fresh copy beside it and swaps it in without
//! blocking reads or writes.

use crate::health::{Health, percent, size};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

use super::h006_table_bloat::{MIN_BYTES, MIN_PERCENT};

fn check(h: &Health, r: &mut Report) {
    for i in h.indexes.iter().filter(|i| i.valid) {
        let Some(bloat) = i.bloat_bytes else {
            continue;
        };
        let pct = percent(bloat, i.size_bytes);
        if bloat < MIN_BYTES || pct < MIN_PERCENT {
            continue;
        }
        r.add(
            format!("{}.{}.{}", i.schema, i.table, i.name),
            format!(
                "index {} on {}.{} is {} and about {pct}% of it ({}) is estimated to be empty space",
                i.name,
                i.schema,
                i.table,
                size(i.size_bytes),
                size(bloat),
            ),
            format!(
                "REINDEX INDEX CONCURRENTLY {}.{}",
                quote_ident(&i.schema),
                quote_ident(&i.name)
            ),
        );
    }
}
