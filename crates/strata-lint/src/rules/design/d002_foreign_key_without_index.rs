//! ## What it does
//! Finds foreign keys that no index of their table serves: no primary key, unique constraint
//! or index (btree, not partial) whose leading columns are columns of the key, including the
//! key's first column. For a key `(a, b)`, an index on `(a)`, `(a, b)` or `(b, a, c)` serves it;
//! one on `(b)` or `(c, a)` does not. (A composite key that repeats a tenant column, such as
//! `(conversation_id, user_id)`, is served by an index led by `conversation_id`.)
//!
//! ## Why it matters
//! Deleting or updating a referenced row makes PostgreSQL look for referencing rows; without
//! an index that is a sequential scan of the referencing table for every such row, under a lock.
//! Joins from parent to children have the same problem.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY);
//! CREATE TABLE tasks (
//!   id bigint PRIMARY KEY,
//!   user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE
//! );
//! ```
//! Use instead: add `CREATE INDEX tasks_user_id_idx ON tasks (user_id);`
//!
//! ## Fix
//! Create an index whose leading columns are the foreign key's columns (on a live table,
//! `CREATE INDEX CONCURRENTLY`).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for fk in &t.foreign_keys {
            if !has_index_led_by(t, &fk.columns) {
                r.add(
                    member(t, &fk.name),
                    format!(
                        "foreign key {} on {} ({}) has no index led by its columns",
                        fk.name,
                        obj(&t.name),
                        cols(&fk.columns)
                    ),
                    format!(
                        "create an index on {} ({})",
                        obj(&t.name),
                        cols(&fk.columns)
                    ),
                );
            }
        }
    }
}
