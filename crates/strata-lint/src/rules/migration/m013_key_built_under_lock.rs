//! ## What it does
//! Finds `ADD UNIQUE` and `ADD PRIMARY KEY` without `USING INDEX` on a table that existed
//! before the migration.
//!
//! ## Why it matters
//! The constraint builds its unique index while holding ACCESS EXCLUSIVE: no reads or writes
//! for as long as reading and sorting the table takes. Built beforehand with
//! `CREATE UNIQUE INDEX CONCURRENTLY`, the index becomes the constraint in an instant.
//!
//! ## Example
//! ```sql
//! ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
//! ```
//! Use instead:
//! ```sql
//! CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);
//! ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;
//! ```
//!
//! ## Fix
//! Build the unique index concurrently first, then add the constraint `USING INDEX` (this is
//! what `strata diff` plans).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            if let Action::AddConstraint {
                name,
                kind: ConstraintKind::Key { using_index: false },
                ..
            } = action
            {
                let what = name.as_deref().unwrap_or("a key");
                r.add_at(
                    format!("{}.{what}", object(&a.table)),
                    format!(
                        "adding {what} builds its index on {} under {}, blocking reads and writes",
                        object(&a.table),
                        lock_name(Operation::AddUniqueOrPrimaryKey)
                    ),
                    "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX",
                    &a.stmt.file,
                    a.stmt.line,
                );
            }
        }
    }
}
