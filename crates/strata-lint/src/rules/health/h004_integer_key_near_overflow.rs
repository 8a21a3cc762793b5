//! ## What it does
//! Finds `smallint` and `integer` columns that alone make a primary key or unique key, are not
//! fed by a sequence of their own (those are `sequence-near-overflow`'s), and whose largest
//! value (or most negative one) has used 75% or more of what the type holds. The values are
//! read with `max()` and `min()` through the key's own index.
//!
//! ## Why it matters
//! Keys that the application or a shared sequence assigns grow like any other: when the next
//! one no longer fits, the insert fails with "integer out of range" and nothing can be added
//! until the column is widened, a table rewrite under an ACCESS EXCLUSIVE lock on every
//! referencing table too.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tickets (number integer PRIMARY KEY);  -- numbers handed out by the application
//! ```
//! Use instead: `number bigint PRIMARY KEY`.
//!
//! ## Fix
//! Widen the column, and every foreign key column that references it, to `bigint`; on a large
//! table, through a new column filled in batches and swapped in (see
//! `sequence-near-overflow`).

use crate::health::{Health, percent};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// The share of the type's range used from which a key is reported.
const THRESHOLD_PERCENT: i64 = 75;

fn check(h: &Health, r: &mut Report) {
    for k in &h.integer_keys {
        let Some(largest) = k.largest else {
            continue;
        };
        let pct = percent(largest, k.type_max);
        if pct < THRESHOLD_PERCENT {
            continue;
        }
        r.add(
            format!("{}.{}.{}", k.schema, k.table, k.column),
            format!(
                "key column {}.{}.{} ({}) already holds {largest}, {pct}% of the largest {} value ({}): inserts fail once keys pass it",
                k.schema, k.table, k.column, k.type_name, k.type_name, k.type_max
            ),
            format!(
                "widen {}.{}.{} and the foreign keys that reference it to bigint before keys run out",
                k.schema, k.table, k.column
            ),
        );
    }
}
