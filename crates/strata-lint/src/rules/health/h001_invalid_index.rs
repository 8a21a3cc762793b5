//! ## What it does
//! Finds indexes the server marks invalid (`pg_index.indisvalid = false`): what a failed or
//! cancelled `CREATE INDEX CONCURRENTLY` or `REINDEX CONCURRENTLY` leaves behind, and
//! partitioned indexes that some partition lacks.
//!
//! ## Why it matters
//! The planner never uses an invalid index, yet every write still maintains it (when it is
//! ready) and it takes disk space, so it costs what an index costs and gives nothing. A unique
//! one does not even guarantee uniqueness: the rows that made the build fail are still there.
//! Nothing in the schema's definition shows it; only the catalog does.
//!
//! ## Example
//! ```sql
//! -- duplicate emails make the concurrent build fail, and the index stays, invalid
//! CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
//! ```
//! Use instead: fix the duplicates first, then build the index again.
//!
//! ## Fix
//! `DROP INDEX CONCURRENTLY` the invalid index and create it again with `CONCURRENTLY` (or
//! `REINDEX INDEX CONCURRENTLY`), after fixing what made the build fail. For a partitioned
//! index, create the missing partition's index and `ALTER INDEX ... ATTACH PARTITION` it.

use crate::health::Health;
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

fn check(h: &Health, r: &mut Report) {
    for i in h.indexes.iter().filter(|i| !i.valid) {
        let state = if i.ready {
            "writes still maintain it"
        } else {
            "it is not even maintained by writes"
        };
        let help = if i.definition.contains(" ON ONLY ") {
            "create the index on each partition that lacks it and ATTACH PARTITION it to this one"
                .to_string()
        } else {
            format!(
                "DROP INDEX CONCURRENTLY {s}.{n}; then fix what made the build fail and run {def} again with CONCURRENTLY",
                s = quote_ident(&i.schema),
                n = quote_ident(&i.name),
                def = i.definition,
            )
        };
        r.add(
            format!("{}.{}.{}", i.schema, i.table, i.name),
            format!(
                "index {} on {}.{} is invalid (a failed or cancelled concurrent build): the planner never uses it and {state}",
                i.name, i.schema, i.table
            ),
            help,
        );
    }
}
