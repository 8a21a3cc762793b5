//! ## What it does
//! Finds plain (not unique) single-column btree indexes on a nullable column without a
//! predicate (such as `WHERE col IS NOT NULL`): indexes on an optional column that hold an
//! entry for every NULL too. Foreign key columns are left out (their index serves the key's
//! checks as it is), and so are indexes with more than one key column.
//!
//! ## Why it matters
//! PostgreSQL indexes NULLs. On an optional column that is mostly empty (`cancelled_at`,
//! `external_ref`) the index is mostly NULL entries that no `col = $1` or range query reads:
//! space, cache and write cost for nothing. A partial index `WHERE col IS NOT NULL` holds only
//! the rows queries look for, and the planner uses it for any condition that implies it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE orders (id bigint PRIMARY KEY, cancelled_at timestamptz);
//! CREATE INDEX orders_cancelled_at_idx ON orders (cancelled_at);
//! ```
//! Use instead:
//! ```sql
//! CREATE INDEX orders_cancelled_at_idx ON orders (cancelled_at) WHERE cancelled_at IS NOT NULL;
//! ```
//!
//! ## Fix
//! Recreate the index with `WHERE col IS NOT NULL` (unless queries look for `col IS NULL`).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for i in &t.indexes {
            if i.unique || i.method != "btree" || i.predicate.is_some() || i.keys.len() != 1 {
                continue;
            }
            let Some(col) = i.leading_column() else {
                continue;
            };
            let nullable = t.column(col).is_some_and(|c| c.nullable);
            let fk = t
                .foreign_keys
                .iter()
                .any(|f| f.columns.iter().any(|c| c == col));
            if nullable && !fk {
                r.add(
                    member(t, &i.name),
                    format!(
                        "index {} on {} indexes the NULLs of the optional column {col}",
                        i.name,
                        obj(&t.name)
                    ),
                    format!("add WHERE {} IS NOT NULL to the index", quote_ident(col)),
                );
            }
        }
    }
}
