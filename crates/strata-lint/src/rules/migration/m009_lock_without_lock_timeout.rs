//! ## What it does
//! Finds statements that take ACCESS EXCLUSIVE on a table that existed before the migration
//! (`ALTER TABLE`, `DROP TABLE`, `TRUNCATE`, `DROP INDEX` without `CONCURRENTLY`) while no
//! `lock_timeout` is in force. A `SET lock_timeout` earlier in the file (or `SET LOCAL` earlier
//! in the same transaction block) counts until it is reset.
//!
//! ## Why it matters
//! A statement waiting for ACCESS EXCLUSIVE queues every later query on the table behind it,
//! reads included. If a long transaction holds any lock on the table, the migration waits for
//! it and the application stops with it. With a `lock_timeout` the migration gives up after a
//! few seconds instead and can be retried.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD COLUMN note text;
//! ```
//! Use instead:
//! ```sql
//! SET lock_timeout = '5s';
//! ALTER TABLE orders ADD COLUMN note text;
//! ```
//!
//! ## Fix
//! Set `lock_timeout` before the statement (`SET LOCAL` inside a transaction block), and retry
//! the migration when it times out. `strata diff` writes one before every locking step.
//!
//! `strata lint --fix` adds `SET lock_timeout = '5s'` (`SET LOCAL` inside a transaction
//! block) before the first such statement.

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = true;
pub const CHECK: Check = Check::Migration(check);

/// The existing tables the statement takes ACCESS EXCLUSIVE on.
fn locked(m: &Migration, i: usize, s: &Stmt) -> Vec<String> {
    let names_from = |mut j: usize| {
        let mut out = Vec::new();
        while let Some((parts, next)) = qualified_name(&s.tokens, j) {
            out.push(table_key(&parts));
            if !s.tokens.get(next).is_some_and(|t| t.is(',')) {
                break;
            }
            j = next + 1;
        }
        out
    };
    let tables = if let Some((table, actions)) = crate::migration::alter::alter_table(s) {
        // Settings that take only SHARE UPDATE EXCLUSIVE: statistics, storage parameters,
        // validation.
        let light = actions.iter().all(|a| match a {
            Action::ValidateConstraint { .. } => true,
            Action::Other(t) => {
                let w: Vec<&str> = t.iter().filter_map(Token::kw).collect();
                w.contains(&"STATISTICS")
                    || (w.first() == Some(&"SET") && t.get(1).is_some_and(|x| x.is('(')))
                    || w.contains(&"ATTACH")
            }
            _ => false,
        });
        if light { Vec::new() } else { vec![table] }
    } else if s.starts(&["DROP", "TABLE"]) {
        let j = if s.kw(2) == Some("IF") { 4 } else { 2 };
        names_from(j)
    } else if s.starts(&["TRUNCATE"]) {
        let mut j = 1;
        if s.kw(j) == Some("TABLE") {
            j += 1;
        }
        if s.kw(j) == Some("ONLY") {
            j += 1;
        }
        names_from(j)
    } else {
        Vec::new()
    };
    tables.into_iter().filter(|t| !m.is_new(t, i)).collect()
}

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for (i, s) in m.statements.iter().enumerate() {
        if s.lock_timeout {
            continue;
        }
        for table in locked(m, i, s) {
            r.add_at(
                object(&table),
                format!(
                    "`{}` waits for {} on {} with no lock_timeout: while it waits, every query on the table queues behind it",
                    s.head(),
                    lock_name(Operation::DropTable),
                    object(&table)
                ),
                "SET lock_timeout = '5s' before it (SET LOCAL inside a transaction block) and retry on timeout",
                &s.file,
                s.line,
            );
        }
    }
}
