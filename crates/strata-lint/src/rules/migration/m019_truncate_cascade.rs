//! ## What it does
//! Finds `TRUNCATE ... CASCADE`.
//!
//! ## Why it matters
//! `CASCADE` empties every table with a foreign key to the truncated ones, and every table
//! referencing those, recursively: tables the statement does not name, whose list grows each
//! time someone adds a foreign key. Nothing can be rolled back after the commit.
//!
//! ## Example
//! ```sql
//! TRUNCATE customers CASCADE;
//! ```
//!
//! ## Fix
//! Name every table to empty in the `TRUNCATE` (without `CASCADE` it fails if one is missing),
//! or delete the rows you mean to delete.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for s in &cx.migration.statements {
        if !s.starts(&["TRUNCATE"]) || !s.has_kw("CASCADE") {
            continue;
        }
        let mut i = 1;
        while matches!(s.kw(i), Some("TABLE" | "ONLY")) {
            i += 1;
        }
        let table = crate::migration::qualified_name(&s.tokens, i).map_or_else(
            || s.head(),
            |(p, _)| object(&crate::migration::table_key(&p)),
        );
        r.add_at(
            table,
            format!(
                "`{}` also empties every table that references it, recursively, without naming them",
                s.head()
            ),
            "name every table to empty, without CASCADE",
            &s.file,
            s.line,
        );
    }
}
