//! ## What it does
//! Finds `BEGIN`, `COMMIT` and `ROLLBACK` in a migration the runner already runs in one
//! transaction (a `strata migrate` migration without `-- strata:no-transaction`), and `BEGIN`
//! inside an open transaction block of a plain SQL file.
//!
//! ## Why it matters
//! A `COMMIT` in the middle of a migration the runner wraps ends the runner's transaction
//! early: the statements after it run outside any transaction, and a failure leaves half the
//! migration applied while the runner believes it can roll it back. A nested `BEGIN` only
//! warns in PostgreSQL, and the `COMMIT` that was meant for it commits the outer block.
//! `strata migrate apply` refuses such files; other runners do not.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! ALTER TABLE orders ADD COLUMN note text;
//! COMMIT;
//! ```
//! (in `0007_note.up.sql`, which the runner already runs in a transaction)
//!
//! ## Fix
//! Remove the transaction control and let the runner's transaction hold the migration, or mark
//! the file `-- strata:no-transaction` when it needs several transactions of its own.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for s in &cx.migration.statements {
        let control = matches!(
            s.kw(0),
            Some("BEGIN" | "COMMIT" | "ROLLBACK" | "END" | "ABORT")
        ) || s.starts(&["START", "TRANSACTION"]);
        if !control {
            continue;
        }
        let message = if s.runner_transaction {
            format!(
                "`{}` in a migration the runner already runs in one transaction: it ends or nests the runner's transaction",
                s.head()
            )
        } else if matches!(s.kw(0), Some("BEGIN" | "START")) && s.in_transaction {
            format!(
                "`{}` inside an open transaction block: PostgreSQL ignores it, and the next COMMIT ends the outer block",
                s.head()
            )
        } else {
            continue;
        };
        r.add_at(
            s.file.clone(),
            message,
            "remove the transaction control, or mark the migration `-- strata:no-transaction`",
            &s.file,
            s.line,
        );
    }
}
