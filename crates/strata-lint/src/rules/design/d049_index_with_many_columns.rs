//! ## What it does
//! Finds indexes with more than five key columns.
//!
//! ## Why it matters
//! A btree is used from its leading columns: beyond the first few, extra key columns rarely
//! narrow a search further, while they make every entry (and the whole index) larger and tie
//! the index to one exact query. Columns only read, not searched, belong in `INCLUDE`.
//!
//! ## Example
//! ```sql
//! CREATE INDEX orders_everything_idx ON orders (customer_id, status, placed_at, total, currency, region);
//! ```
//! Use instead: `CREATE INDEX orders_customer_status_idx ON orders (customer_id, status,
//! placed_at) INCLUDE (total);`
//!
//! ## Fix
//! Keep the columns queries filter and sort by as keys, move the rest to `INCLUDE` or drop them.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const MAX_KEYS: usize = 5;

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for i in &t.indexes {
            if i.keys.len() > MAX_KEYS {
                r.add(
                    member(t, &i.name),
                    format!(
                        "index {} on {} has {} key columns",
                        i.name,
                        obj(&t.name),
                        i.keys.len()
                    ),
                    "keep the filter and sort columns as keys, move read-only ones to INCLUDE",
                );
            }
        }
    }
}
