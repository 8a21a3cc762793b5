//! ## What it does
//! Finds tables with more than 50 columns.
//!
//! ## Why it matters
//! A table that wide usually holds several entities or a one-to-one extension in one row:
//! most queries read a few columns but every update writes a new version of the whole row,
//! many columns are NULL for most rows, and each new feature adds more. Splitting by what
//! changes together (a details table, a settings table) keeps rows small and updates cheap.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text, /* ... 60 more columns ... */ theme text);
//! ```
//! Use instead: `users` with what identifies a user, and `user_settings`, `user_profiles`
//! keyed by `user_id`.
//!
//! ## Fix
//! Move groups of columns that are read or changed together into their own tables.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const MAX_COLUMNS: usize = 50;

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let n = t.columns.len();
        if n > MAX_COLUMNS {
            r.add(
                obj(&t.name),
                format!(
                    "table {} has {n} columns, more than {MAX_COLUMNS}",
                    obj(&t.name)
                ),
                "move groups of columns that change together into their own tables",
            );
        }
    }
}
