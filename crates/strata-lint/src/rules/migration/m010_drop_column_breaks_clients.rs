//! ## What it does
//! Finds `DROP COLUMN` on a table that existed before the migration.
//!
//! ## Why it matters
//! During a deployment the running version of the application still selects and inserts the
//! column: its queries fail from the moment the migration commits until the new version
//! replaces it everywhere. The column's data is gone too.
//!
//! ## Example
//! ```sql
//! ALTER TABLE customers DROP COLUMN fax;
//! ```
//!
//! ## Fix
//! First release an application version that no longer reads or writes the column (ORMs:
//! mark it ignored), then drop it in a later migration; copy the data elsewhere first if it is
//! still needed.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::DropColumn { column } = action else {
                continue;
            };
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "dropping {}.{column} deletes its data and breaks application versions that still use it",
                    object(&a.table)
                ),
                "stop using the column in a released version first, then drop it in a later migration",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
