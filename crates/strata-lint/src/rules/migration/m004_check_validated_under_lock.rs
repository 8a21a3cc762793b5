//! ## What it does
//! Finds `ADD CHECK` without `NOT VALID` on a table that existed before the migration.
//!
//! ## Why it matters
//! Adding a CHECK constraint reads every row to prove it while holding ACCESS EXCLUSIVE: no
//! one can even read the table until the scan ends. Added `NOT VALID`, the constraint holds
//! for new rows at once, and `VALIDATE CONSTRAINT` proves the old rows later under SHARE UPDATE
//! EXCLUSIVE, which blocks neither reads nor writes.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;  -- in a later transaction
//! ```
//!
//! ## Fix
//! Add the check `NOT VALID`, commit, then `VALIDATE CONSTRAINT` in a transaction of its own.
//!
//! `strata lint --fix` makes this rewrite for a named constraint added alone.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = true;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            if let Action::AddConstraint {
                name,
                kind: ConstraintKind::Check { .. },
                not_valid: false,
            } = action
            {
                let what = name.as_deref().unwrap_or("a check constraint");
                r.add_at(
                    format!("{}.{what}", object(&a.table)),
                    format!(
                        "adding {what} reads every row of {} under {}, blocking reads and writes",
                        object(&a.table),
                        lock_name(Operation::AddCheck)
                    ),
                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction",
                    &a.stmt.file,
                    a.stmt.line,
                );
            }
        }
    }
}
