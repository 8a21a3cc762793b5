//! ## What it does
//! Finds `DROP INDEX` without `CONCURRENTLY`.
//!
//! ## Why it matters
//! A plain `DROP INDEX` takes ACCESS EXCLUSIVE on the index's table: while it waits for
//! running queries to finish, every new query on the table queues behind it. `CONCURRENTLY`
//! waits without blocking anyone.
//!
//! ## Example
//! ```sql
//! DROP INDEX orders_placed_at_idx;
//! ```
//! Use instead:
//! ```sql
//! DROP INDEX CONCURRENTLY orders_placed_at_idx;
//! ```
//!
//! ## Fix
//! Add `CONCURRENTLY` and run it outside a transaction block. An index created earlier in the
//! same migration is left alone.

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

/// The name of the index a `CREATE INDEX` statement creates.
fn created_index(s: &Stmt) -> Option<String> {
    crate::migration::create_index(s)?;
    let mut i = if s.kw(1) == Some("UNIQUE") { 3 } else { 2 };
    if s.kw(i) == Some("CONCURRENTLY") {
        i += 1;
    }
    if s.kw(i) == Some("IF") {
        i += 3;
    }
    if s.kw(i) == Some("ON") {
        return None;
    }
    qualified_name(&s.tokens, i).map(|(p, _)| table_key(&p))
}

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for (i, s) in m.statements.iter().enumerate() {
        if !s.starts(&["DROP", "INDEX"]) || s.kw(2) == Some("CONCURRENTLY") {
            continue;
        }
        let j = if s.kw(2) == Some("IF") { 4 } else { 2 };
        let Some((parts, _)) = qualified_name(&s.tokens, j) else {
            continue;
        };
        let index = table_key(&parts);
        let new = m.statements[..i]
            .iter()
            .any(|e| created_index(e).as_deref() == Some(index.as_str()));
        if new {
            continue;
        }
        r.add_at(
            object(&index),
            format!(
                "`{}` takes {} on the index's table, queueing every query on it while it waits",
                s.head(),
                lock_name(Operation::DropIndex)
            ),
            "use DROP INDEX CONCURRENTLY, outside a transaction block",
            &s.file,
            s.line,
        );
    }
}
