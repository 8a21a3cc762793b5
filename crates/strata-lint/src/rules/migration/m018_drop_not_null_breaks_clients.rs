//! ## What it does
//! Finds `ALTER COLUMN ... DROP NOT NULL` on a table that existed before the migration.
//!
//! ## Why it matters
//! The running application, its generated types and its reports assume the column always has
//! a value. Once NULL is allowed, the first NULL written by the new version breaks the old
//! version's code that reads it (a non-optional field in a generated model, a join or a sum
//! that silently drops the row).
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ALTER COLUMN placed_at DROP NOT NULL;
//! ```
//!
//! ## Fix
//! Release readers that handle NULL first, then relax the column; or keep it required and give
//! the new case a value of its own.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::Other(t) = action else { continue };
            let w: Vec<&str> = t.iter().filter_map(Token::kw).collect();
            let column = match w.as_slice() {
                ["ALTER", "COLUMN", .., "DROP", "NOT", "NULL"]
                | ["ALTER", .., "DROP", "NOT", "NULL"] => {
                    let i = if w.get(1) == Some(&"COLUMN") { 2 } else { 1 };
                    t.get(i).and_then(Token::ident).map(str::to_string)
                }
                _ => None,
            };
            let Some(column) = column else { continue };
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "{}.{column} may hold NULL from now on, which application versions that read it as required do not expect",
                    object(&a.table)
                ),
                "release readers that handle NULL before relaxing the column",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
