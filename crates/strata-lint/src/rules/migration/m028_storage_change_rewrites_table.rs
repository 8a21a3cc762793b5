//! ## What it does
//! Finds `ALTER TABLE ... SET LOGGED`, `SET UNLOGGED`, `SET TABLESPACE` and `SET ACCESS METHOD`
//! on a table that existed before the migration.
//!
//! ## Why it matters
//! Each writes the whole table into a new file (and, for `SET LOGGED`, into the write-ahead
//! log) under ACCESS EXCLUSIVE: no reads or writes until the copy is done.
//!
//! ## Example
//! ```sql
//! ALTER TABLE import_rows SET LOGGED;
//! ```
//!
//! ## Fix
//! Change storage while the table is new or small, or in a maintenance window.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::Other(t) = action else { continue };
            let w: Vec<&str> = t.iter().filter_map(Token::kw).collect();
            let what = match w.as_slice() {
                ["SET", "LOGGED", ..] => "SET LOGGED",
                ["SET", "UNLOGGED", ..] => "SET UNLOGGED",
                ["SET", "TABLESPACE", ..] => "SET TABLESPACE",
                ["SET", "ACCESS", "METHOD", ..] => "SET ACCESS METHOD",
                _ => continue,
            };
            r.add_at(
                object(&a.table),
                format!(
                    "{what} rewrites {} under ACCESS EXCLUSIVE",
                    object(&a.table)
                ),
                "change storage while the table is new or small, or in a maintenance window",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
