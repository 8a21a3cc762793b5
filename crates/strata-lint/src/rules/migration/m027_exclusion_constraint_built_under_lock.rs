//! ## What it does
//! Finds `ADD CONSTRAINT ... EXCLUDE` on a table that existed before the migration.
//!
//! ## Why it matters
//! An exclusion constraint builds its index and checks every pair of rows while holding
//! ACCESS EXCLUSIVE: no reads or writes for the whole build. Unlike a CHECK or a foreign key it
//! cannot be added `NOT VALID`, and unlike a unique key it cannot be attached from an index
//! built concurrently.
//!
//! ## Example
//! ```sql
//! ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
//!   EXCLUDE USING gist (room_id WITH =, during WITH &&);
//! ```
//!
//! ## Fix
//! Add it while the table is small or new, or in a maintenance window; for a large live table,
//! enforce the rule in a new table and move the rows over in batches.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            if let Action::AddConstraint {
                name,
                kind: ConstraintKind::Exclusion,
                ..
            } = action
            {
                let what = name.as_deref().unwrap_or("an exclusion constraint");
                r.add_at(
                    format!("{}.{what}", object(&a.table)),
                    format!(
                        "adding {what} builds its index and checks {} under ACCESS EXCLUSIVE, and cannot be added NOT VALID",
                        object(&a.table)
                    ),
                    "add it while the table is new or small, or in a maintenance window",
                    &a.stmt.file,
                    a.stmt.line,
                );
            }
        }
    }
}
