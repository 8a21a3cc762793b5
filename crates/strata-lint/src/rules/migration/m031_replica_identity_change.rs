//! ## What it does
//! Finds `ALTER TABLE ... REPLICA IDENTITY` on a table that existed before the migration.
//!
//! ## Why it matters
//! Logical replication and change-data-capture consumers (Debezium, publications to a
//! subscriber) identify updated and deleted rows by the replica identity. Changing it changes
//! what every consumer receives from the next change on, under ACCESS EXCLUSIVE; `NOTHING`
//! makes updates and deletes fail on a published table.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders REPLICA IDENTITY FULL;
//! ```
//!
//! ## Fix
//! Coordinate the change with the consumers of the table's changes; deploy it on its own.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::Other(t) = action else { continue };
            if t.first().and_then(Token::kw) != Some("REPLICA") {
                continue;
            }
            let to: Vec<&str> = t.iter().skip(2).filter_map(Token::kw).collect();
            r.add_at(
                object(&a.table),
                format!(
                    "the replica identity of {} becomes {}: what logical replication and change-capture consumers receive changes",
                    object(&a.table),
                    to.join(" ")
                ),
                "coordinate the change with the table's change consumers and deploy it on its own",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
