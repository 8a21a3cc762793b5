//! ## What it does
//! Finds `UPDATE` and `DELETE` without a `WHERE` clause on a table that existed before the
//! migration.
//!
//! ## Why it matters
//! One statement over the whole table writes a new version of every row in one transaction:
//! row locks on all of them until it commits (blocking the application's own updates), a
//! burst of WAL that replicas must replay, and dead rows that only a vacuum reclaims. On a
//! large table that is minutes of blocked writes.
//!
//! ## Example
//! ```sql
//! UPDATE orders SET currency = 'EUR';
//! ```
//! Use instead: update in batches of a few thousand rows by key, each in its own transaction,
//! outside the schema migration.
//!
//! ## Fix
//! Backfill in batches (`WHERE id BETWEEN ...` or `WHERE id IN (SELECT ... LIMIT 5000)`),
//! committing between batches; keep the schema change and the backfill in separate steps.

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for (i, s) in m.statements.iter().enumerate() {
        let start = match s.kw(0) {
            Some("UPDATE") => 1,
            Some("DELETE") if s.kw(1) == Some("FROM") => 2,
            _ => continue,
        };
        let j = if s.kw(start) == Some("ONLY") {
            start + 1
        } else {
            start
        };
        let Some((parts, _)) = qualified_name(&s.tokens, j) else {
            continue;
        };
        let table = table_key(&parts);
        if s.has_kw("WHERE") || m.is_new(&table, i) {
            continue;
        }
        r.add_at(
            object(&table),
            format!(
                "`{}` changes every row of {} in one transaction",
                s.head(),
                object(&table)
            ),
            "backfill in batches by key, committing between batches",
            &s.file,
            s.line,
        );
    }
}
