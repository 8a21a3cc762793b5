//! ## What it does
//! Finds access patterns with `ORDER BY` and `LIMIT` on a large table (10,000 rows or more by
//! the design's estimate) that no btree index returns in order: none whose predicate holds for
//! the pattern's rows and whose keys, after the columns the pattern fixes to one value, are the
//! ORDER BY columns in the requested directions (or all reversed).
//!
//! ## Why it matters
//! A `LIMIT 20` over an index in the right order reads 20 rows. Without one, PostgreSQL reads
//! every matching row and sorts them to return the first 20, and the cost grows with the data
//! (a user with 50,000 tasks makes the home screen slow).
//!
//! ## Example
//! ```strata
//! entity Task {
//!   title text(200)
//!   owner_id bigint
//!   rows 10M
//!   index btree(owner_id)
//!   access recent 100/s `SELECT id FROM tasks WHERE owner_id = $1 ORDER BY created_at DESC LIMIT 20`
//! }
//! ```
//! Use instead: `index btree(owner_id, created_at desc)`.
//!
//! ## Fix
//! Index the equality columns followed by the ORDER BY columns, in the order's directions.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for a in cx.patterns() {
        let access = &a.analysis.driving;
        if access.order.is_empty() || a.analysis.limit.is_none() || a.analysis.joins {
            continue;
        }
        let Some(t) = cx.table(&access.table) else {
            continue;
        };
        if large(t).is_none() {
            continue;
        }
        if !table_indexes(t).iter().any(|(i, _)| index_sorts(i, access)) {
            let order: Vec<String> = access
                .order
                .iter()
                .map(|(c, desc)| format!("{c}{}", if *desc { " DESC" } else { "" }))
                .collect();
            r.add(
                member(t, &a.pattern.name),
                format!(
                    "access pattern {} sorts {} by {} with no index in that order",
                    a.pattern.name,
                    obj(&t.name),
                    order.join(", ")
                ),
                format!(
                    "index the equality columns followed by {}",
                    order.join(", ")
                ),
            );
        }
    }
}
