//! ## What it does
//! Finds tables without a primary key. Partitions are left to their partitioned table.
//!
//! ## Why it matters
//! Without a primary key a row cannot be named: updates and deletes from an application or an
//! ORM cannot target one row, duplicates creep in, logical replication cannot replicate
//! updates and deletes, and tools that diff or copy data have nothing to match rows on.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (name text NOT NULL, at timestamptz NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE events (
//!   id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
//!   name text NOT NULL,
//!   at timestamptz NOT NULL
//! );
//! ```
//!
//! ## Fix
//! Add a primary key: an identity column or a uuid, or the natural key when the table has one
//! (a junction table's two foreign keys).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        if t.primary_key.is_none() {
            r.add(
                obj(&t.name),
                format!("table {} has no primary key", obj(&t.name)),
                "add a primary key (an identity column, a uuid, or the natural key)",
            );
        }
    }
}
