//! ## What it does
//! Finds indexes whose only key is a boolean column, without a predicate.
//!
//! ## Why it matters
//! A boolean has two values (three with NULL): an index on it selects about half the table,
//! which the planner reads faster with a sequential scan, so the index is rarely used and
//! always maintained. When one value is rare and queried, a partial index on another column
//! `WHERE flag` serves the query at a fraction of the size.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, completed boolean NOT NULL, created_at timestamptz NOT NULL);
//! CREATE INDEX tasks_completed_idx ON tasks (completed);
//! ```
//! Use instead:
//! ```sql
//! CREATE INDEX tasks_open_created_idx ON tasks (created_at) WHERE NOT completed;
//! ```
//!
//! ## Fix
//! Drop the index, or replace it with a partial index on the column the queries sort or filter
//! by, with the boolean as its predicate.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for i in &t.indexes {
            let [key] = i.keys.as_slice() else { continue };
            let boolean = key
                .column_name()
                .and_then(|c| t.column(c))
                .is_some_and(|c| {
                    builtin_base(&c.data_type).as_deref() == Some("boolean")
                        && c.data_type.array_dims == 0
                });
            if boolean
                && i.predicate.is_none()
                && !i.unique
                && (i.method == "btree" || i.method == "hash")
            {
                r.add(
                    member(t, &i.name),
                    format!("index {} on {} has a lone boolean key", i.name, obj(&t.name)),
                    "drop it, or index the column the queries need with the boolean as a predicate (WHERE flag)",
                );
            }
        }
    }
}
