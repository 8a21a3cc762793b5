//! ## What it does
//! Finds `ADD FOREIGN KEY` without `NOT VALID` on a table that existed before the migration.
//!
//! ## Why it matters
//! Adding a foreign key checks every existing row while holding SHARE ROW EXCLUSIVE on both
//! the table and the table it references: writes to both wait for the whole scan. Added
//! `NOT VALID`, the key is checked for new rows at once and the old rows are checked later by
//! `VALIDATE CONSTRAINT`, which takes only SHARE UPDATE EXCLUSIVE and lets writes go on.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
//!   FOREIGN KEY (customer_id) REFERENCES customers (id);
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
//!   FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;  -- in a later transaction
//! ```
//!
//! ## Fix
//! Add the key `NOT VALID`, commit, then `VALIDATE CONSTRAINT` in a transaction of its own
//! (`strata diff` plans it so).
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
                kind: ConstraintKind::ForeignKey,
                not_valid: false,
            } = action
            {
                let what = name.as_deref().unwrap_or("a foreign key");
                r.add_at(
                    format!("{}.{what}", object(&a.table)),
                    format!(
                        "adding {what} checks every row of {} under {} on it and on the referenced table",
                        object(&a.table),
                        lock_name(Operation::AddForeignKey)
                    ),
                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction",
                    &a.stmt.file,
                    a.stmt.line,
                );
            }
        }
    }
}
