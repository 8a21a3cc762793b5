//! ## What it does
//! Finds `CREATE INDEX` without `CONCURRENTLY` on a table that existed before the migration.
//!
//! ## Why it matters
//! A plain `CREATE INDEX` takes a SHARE lock on the table for the whole build: every
//! `INSERT`, `UPDATE` and `DELETE` waits until every row has been read and sorted, which on a
//! large table is minutes of failed or queued writes. `CONCURRENTLY` takes SHARE UPDATE
//! EXCLUSIVE instead, which lets writes go on while the index is built.
//!
//! ## Example
//! ```sql
//! CREATE INDEX orders_customer_id_idx ON orders (customer_id);
//! ```
//! Use instead:
//! ```sql
//! CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
//! ```
//!
//! ## Fix
//! Add `CONCURRENTLY` and run the statement outside a transaction block (in a migration of its
//! own, or one marked `-- strata:no-transaction`). A partitioned table (created `PARTITION BY`
//! earlier in the file or folder) cannot be indexed concurrently: create the index `ON ONLY`
//! the parent, build each partition's index concurrently and `ATTACH PARTITION` it. A table
//! created earlier in the same migration has no rows and no writers, and `ON ONLY` a
//! partitioned table builds nothing (each partition's index is built and attached on its
//! own): the rule leaves both alone.
//!
//! `strata lint --fix` adds `CONCURRENTLY` and moves the statement out of the runner's
//! transaction (the migration is marked `-- strata:no-transaction`).

use crate::migration::create_index;
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = true;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let lock = lock_name(Operation::CreateIndex);
    for (i, s) in cx.migration.statements.iter().enumerate() {
        let Some(ix) = create_index(s) else { continue };
        let Some(table) = ix.table else { continue };
        if ix.concurrently || ix.only || cx.migration.is_new(&table, i) {
            continue;
        }
        // PostgreSQL cannot build an index on a partitioned table concurrently: the recipe
        // goes partition by partition.
        let help = if cx.migration.is_partitioned(&table, i) {
            "CREATE INDEX ON ONLY the partitioned table, then CREATE INDEX CONCURRENTLY on each partition and ALTER INDEX ... ATTACH PARTITION"
        } else {
            "build it with CREATE INDEX CONCURRENTLY, outside a transaction block"
        };
        r.add_at(
            object(&table),
            format!(
                "`{}` takes {lock} on {}, blocking every write while it reads the whole table",
                s.head(),
                object(&table)
            ),
            help,
            &s.file,
            s.line,
        );
    }
}
