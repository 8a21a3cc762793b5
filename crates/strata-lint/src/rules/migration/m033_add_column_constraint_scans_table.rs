//! ## What it does
//! Finds `ADD COLUMN` on a table that existed before the migration when the column carries an
//! inline `CHECK`, `UNIQUE` or `PRIMARY KEY` constraint.
//!
//! ## Why it matters
//! Adding a plain column only changes the catalog, but a constraint declared on the new column
//! is proved in the same statement: a CHECK reads every row, and `UNIQUE` or `PRIMARY KEY`
//! builds an index over every row, all under the ACCESS EXCLUSIVE lock `ADD COLUMN` takes, so
//! no one can even read the table until the scan ends. The online forms (`NOT VALID` +
//! `VALIDATE`, an index built `CONCURRENTLY`) are not available inline.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD COLUMN quantity int CHECK (quantity > 0);
//! ALTER TABLE orders ADD COLUMN code text UNIQUE;
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD COLUMN quantity int;
//! ALTER TABLE orders ADD CONSTRAINT orders_quantity_check CHECK (quantity > 0) NOT VALID;
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_quantity_check;  -- in a later transaction
//! ALTER TABLE orders ADD COLUMN code text;
//! CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders (code);
//! ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_key;
//! ```
//!
//! ## Fix
//! Add the column without the constraint, then add the constraint the online way: a CHECK
//! `NOT VALID` and validated later, a unique key or primary key from an index built
//! `CONCURRENTLY`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

/// The inline constraint of a column definition that reads every row, if any, and why it
/// reads them.
fn scanning_constraint(rest: &[Token]) -> Option<(&'static str, &'static str)> {
    let has = |w: &str| rest.iter().any(|t| t.kw() == Some(w));
    if has("PRIMARY") && has("KEY") {
        Some(("a primary key", "to build its index"))
    } else if has("UNIQUE") {
        Some(("a unique constraint", "to build its index"))
    } else if rest
        .windows(2)
        .any(|w| w[0].kw() == Some("CHECK") && w[1].is('('))
    {
        Some(("a check constraint", "to prove it"))
    } else {
        None
    }
}

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::AddColumn { column, rest } = action else {
                continue;
            };
            let Some((what, why)) = scanning_constraint(rest) else {
                continue;
            };
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "adding {}.{column} with {what} reads every row of {} under {} {why}, blocking reads and writes",
                    object(&a.table),
                    object(&a.table),
                    lock_name(Operation::AddColumn)
                ),
                "add the column plain, then the constraint NOT VALID + VALIDATE, or a key from an index built CONCURRENTLY",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
