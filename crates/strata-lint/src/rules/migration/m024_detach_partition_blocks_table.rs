//! ## What it does
//! Finds `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` on a partitioned table that
//! existed before the migration.
//!
//! ## Why it matters
//! A plain detach takes ACCESS EXCLUSIVE on the partitioned table: every query on any
//! partition waits while it waits for running queries to end. Since PostgreSQL 14,
//! `DETACH PARTITION ... CONCURRENTLY` takes SHARE UPDATE EXCLUSIVE and lets reads and writes
//! go on.
//!
//! ## Example
//! ```sql
//! ALTER TABLE events DETACH PARTITION events_2023;
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;
//! ```
//!
//! ## Fix
//! Add `CONCURRENTLY` and run it outside a transaction block (a partitioned table with a
//! default partition cannot detach concurrently: detach in a quiet window instead).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::Other(t) = action else { continue };
            let w: Vec<&str> = t.iter().filter_map(Token::kw).collect();
            if w.first() != Some(&"DETACH")
                || w.contains(&"CONCURRENTLY")
                || w.contains(&"FINALIZE")
            {
                continue;
            }
            r.add_at(
                object(&a.table),
                format!(
                    "`{}` takes {} on {}, blocking every query on its partitions",
                    a.stmt.head(),
                    lock_name(Operation::DetachPartition),
                    object(&a.table)
                ),
                "detach it CONCURRENTLY, outside a transaction block",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
