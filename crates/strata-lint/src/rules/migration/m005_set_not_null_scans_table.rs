//! ## What it does
//! Finds `ALTER COLUMN ... SET NOT NULL` on a table that existed before the migration, unless
//! a valid `CHECK (column IS NOT NULL)` proved the column earlier in the migration.
//!
//! ## Why it matters
//! `SET NOT NULL` reads every row to prove there is no NULL while holding ACCESS EXCLUSIVE.
//! Since PostgreSQL 12 it skips the scan when a valid CHECK constraint already proves it, and
//! that CHECK can be added `NOT VALID` and validated without blocking anyone.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_placed_at_not_null CHECK (placed_at IS NOT NULL) NOT VALID;
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_placed_at_not_null;  -- in a later transaction
//! ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;
//! ALTER TABLE orders DROP CONSTRAINT orders_placed_at_not_null;
//! ```
//!
//! ## Fix
//! Prove the column with a validated CHECK first, as above (`strata diff` plans this recipe).
//!
//! `strata lint --fix` writes this recipe for a `SET NOT NULL` that is its statement's only
//! action.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = true;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::SetNotNull { column } = action else {
                continue;
            };
            if cx.migration.proven_not_null(&a.table, column, a.index) {
                continue;
            }
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "SET NOT NULL on {}.{column} reads every row under {}, blocking reads and writes",
                    object(&a.table),
                    lock_name(Operation::SetNotNull)
                ),
                "prove it first with CHECK (column IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
