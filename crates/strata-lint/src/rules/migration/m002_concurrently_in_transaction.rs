//! ## What it does
//! Finds `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY` and
//! `DETACH PARTITION ... CONCURRENTLY` inside a transaction block: after `BEGIN`, or in a
//! migration the runner wraps in one transaction.
//!
//! ## Why it matters
//! PostgreSQL refuses them there ("cannot run inside a transaction block"), so the migration
//! fails when it is deployed; a migration tool that wraps each file in a transaction makes
//! every such file fail.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);
//! COMMIT;
//! ```
//!
//! ## Fix
//! Run the statement on its own, outside `BEGIN ... COMMIT`; in a `strata migrate` migration,
//! add the line `-- strata:no-transaction` (the runner then runs the statements one by one).
//!
//! `strata lint --fix` moves the statement out of the runner's transaction (the migration is
//! marked `-- strata:no-transaction`); one in the file's own `BEGIN` ... `COMMIT` is left.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = true;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for s in &cx.migration.statements {
        if !s.in_transaction || !s.has_kw("CONCURRENTLY") {
            continue;
        }
        let kind = if s.starts(&["CREATE"]) {
            "CREATE INDEX CONCURRENTLY"
        } else if s.starts(&["DROP", "INDEX"]) {
            "DROP INDEX CONCURRENTLY"
        } else if s.starts(&["REINDEX"]) {
            "REINDEX CONCURRENTLY"
        } else if s.starts(&["ALTER", "TABLE"]) && s.has_kw("DETACH") {
            "DETACH PARTITION CONCURRENTLY"
        } else {
            continue;
        };
        // The table for an index build, so that a suppression on the table applies.
        let object = crate::migration::create_index(s)
            .and_then(|ix| ix.table)
            .map_or_else(|| s.head(), |t| object(&t));
        r.add_at(
            object,
            format!("{kind} cannot run inside a transaction block; PostgreSQL refuses `{}`", s.head()),
            "run it outside BEGIN ... COMMIT (in a strata migration: add `-- strata:no-transaction`)",
            &s.file,
            s.line,
        );
    }
}
