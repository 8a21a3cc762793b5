//! ## What it does
//! Finds `DROP TABLE` of a table that existed before the migration.
//!
//! ## Why it matters
//! The rows are gone for good (a rollback of the migration brings back an empty table), and the
//! application version still running during the deployment fails on every query of it.
//!
//! ## Example
//! ```sql
//! DROP TABLE legacy_invoices;
//! ```
//!
//! ## Fix
//! Stop using the table in a released version first; keep a copy (`pg_dump -t`) or rename it
//! aside for a while, then drop it in a later migration.

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for (i, s) in m.statements.iter().enumerate() {
        if !s.starts(&["DROP", "TABLE"]) {
            continue;
        }
        let mut j = if s.kw(2) == Some("IF") { 4 } else { 2 };
        while let Some((parts, next)) = qualified_name(&s.tokens, j) {
            let table = table_key(&parts);
            if !m.is_new(&table, i) {
                r.add_at(
                    object(&table),
                    format!(
                        "dropping {} deletes its rows and breaks application versions that still use it",
                        object(&table)
                    ),
                    "stop using the table in a released version, keep a copy, then drop it in a later migration",
                    &s.file,
                    s.line,
                );
            }
            if !s.tokens.get(next).is_some_and(|t| t.is(',')) {
                break;
            }
            j = next + 1;
        }
    }
}
