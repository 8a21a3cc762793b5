//! ## What it does
//! Finds `VACUUM FULL`, `CLUSTER` and `REINDEX` without `CONCURRENTLY` on tables that existed
//! before the migration.
//!
//! ## Why it matters
//! `VACUUM FULL` and `CLUSTER` write the whole table anew under ACCESS EXCLUSIVE: no reads or
//! writes until the copy is done, and twice the table's disk space meanwhile. A plain
//! `REINDEX` blocks writes to the table (and reads that would use the index) while it rebuilds.
//!
//! ## Example
//! ```sql
//! VACUUM FULL orders;
//! REINDEX TABLE orders;
//! ```
//! Use instead: `REINDEX TABLE CONCURRENTLY orders;`, and for bloat a tool that rebuilds
//! online (pg_repack) outside the migration.
//!
//! ## Fix
//! Use `REINDEX ... CONCURRENTLY`; run maintenance outside schema migrations, in a window or
//! with an online tool.

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for (i, s) in m.statements.iter().enumerate() {
        let (what, lock, at) = if s.starts(&["VACUUM"]) && s.has_kw("FULL") {
            let j = s.tokens.iter().rposition(|t| {
                t.ident().is_some()
                    && t.kw() != Some("FULL")
                    && t.kw() != Some("VERBOSE")
                    && t.kw() != Some("ANALYZE")
                    && t.kw() != Some("VACUUM")
            });
            (
                "VACUUM FULL rewrites",
                lock_name(Operation::VacuumFullOrCluster),
                j,
            )
        } else if s.starts(&["CLUSTER"]) {
            let j = (s.kw(1) == Some("VERBOSE")).then_some(2).or(Some(1));
            (
                "CLUSTER rewrites",
                lock_name(Operation::VacuumFullOrCluster),
                j,
            )
        } else if s.starts(&["REINDEX"])
            && !s.has_kw("CONCURRENTLY")
            && matches!(s.kw(1), Some("TABLE" | "INDEX"))
        {
            let j = if s.kw(1) == Some("TABLE") {
                Some(2)
            } else {
                None
            };
            (
                "REINDEX rebuilds the indexes of",
                lock_name(Operation::Reindex),
                j,
            )
        } else {
            continue;
        };
        let table = at
            .and_then(|j| qualified_name(&s.tokens, j))
            .map(|(p, _)| table_key(&p));
        if table.as_deref().is_some_and(|t| m.is_new(t, i)) {
            continue;
        }
        let shown = table
            .as_deref()
            .map_or_else(|| "the table".to_string(), object);
        r.add_at(
            table.as_deref().map_or_else(|| s.head(), object),
            format!("`{}`: {what} {shown} under {lock}", s.head()),
            "use REINDEX CONCURRENTLY, and run other maintenance outside the migration with an online tool",
            &s.file,
            s.line,
        );
    }
}
