//! ## What it does
//! Finds `RENAME COLUMN` and `RENAME TO` on a table that existed before the migration.
//!
//! ## Why it matters
//! The application version that is running during the deployment still uses the old name:
//! every query naming it fails from the moment the migration commits until the new version
//! is everywhere. A rename cannot be deployed without downtime in one step.
//!
//! ## Example
//! ```sql
//! ALTER TABLE customers RENAME COLUMN tax_number TO vat_number;
//! ```
//!
//! ## Fix
//! Add the new column (or a view with the new name), write to both while both application
//! versions run, switch readers, then drop the old name in a later migration. When a short
//! outage is acceptable, suppress the finding with the reason.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let (object_name, what) = match action {
                Action::RenameColumn { from, to } => (
                    format!("{}.{from}", object(&a.table)),
                    format!("renaming {}.{from} to {to}", object(&a.table)),
                ),
                Action::RenameTable { to } => (
                    object(&a.table),
                    format!("renaming {} to {to}", object(&a.table)),
                ),
                _ => continue,
            };
            r.add_at(
                object_name,
                format!("{what} breaks application versions that still use the old name"),
                "add the new name alongside the old one, switch clients, then drop the old one later",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
