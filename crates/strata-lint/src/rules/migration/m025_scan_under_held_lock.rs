//! ## What it does
//! Finds a statement that reads every row of a table (`VALIDATE CONSTRAINT`, a plain
//! `CREATE INDEX`, an `UPDATE` or `DELETE` of the table) inside a transaction block that
//! already holds ACCESS EXCLUSIVE on that table from an earlier statement.
//!
//! ## Why it matters
//! Locks are held until the transaction ends. `ADD CONSTRAINT ... NOT VALID` followed by
//! `VALIDATE CONSTRAINT` in the same transaction is the online recipe in name only: the
//! validation scan runs while the ACCESS EXCLUSIVE of the `ALTER TABLE` before it is still
//! held, so no one can read the table for the whole scan. The same holds for a backfill run
//! right after an `ADD COLUMN` in one transaction.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;
//! COMMIT;
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;
//! ```
//! (each statement its own transaction; in a `strata migrate` migration, mark the file
//! `-- strata:no-transaction` or split it in two)
//!
//! ## Fix
//! Commit after the statement that takes ACCESS EXCLUSIVE, then scan in a transaction of its
//! own. `strata diff` runs every validation outside the transaction that added the constraint.

use crate::migration::{alter::alter_table, create_index, qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

/// The table an ALTER TABLE takes ACCESS EXCLUSIVE on (most actions do; validation and
/// settings of statistics or storage parameters do not).
fn exclusive_table(s: &Stmt) -> Option<String> {
    let (table, actions) = alter_table(s)?;
    let heavy = actions.iter().any(|a| match a {
        Action::ValidateConstraint { .. } => false,
        Action::AddConstraint {
            kind: ConstraintKind::ForeignKey,
            ..
        } => false,
        Action::Other(t) => {
            let w: Vec<&str> = t.iter().filter_map(Token::kw).collect();
            !(w.contains(&"STATISTICS")
                || (w.first() == Some(&"SET") && t.get(1).is_some_and(|x| x.is('(')))
                || w.first() == Some(&"ATTACH"))
        }
        _ => true,
    });
    heavy.then_some(table)
}

/// The table a statement reads in full, and what it does.
fn scanned(s: &Stmt) -> Option<(String, &'static str)> {
    if let Some((table, actions)) = alter_table(s)
        && actions
            .iter()
            .any(|a| matches!(a, Action::ValidateConstraint { .. }))
    {
        return Some((table, "validating a constraint reads every row of"));
    }
    if let Some(ix) = create_index(s)
        && !ix.concurrently
        && !ix.only
    {
        return ix
            .table
            .map(|t| (t, "building an index reads every row of"));
    }
    let start = match s.kw(0) {
        Some("UPDATE") => 1,
        Some("DELETE") if s.kw(1) == Some("FROM") => 2,
        _ => return None,
    };
    let j = if s.kw(start) == Some("ONLY") {
        start + 1
    } else {
        start
    };
    qualified_name(&s.tokens, j)
        .map(|(p, _)| (table_key(&p), "this statement reads and writes rows of"))
}

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    // Table → line of the statement that took ACCESS EXCLUSIVE in the open block.
    let mut held: Vec<(String, u32)> = Vec::new();
    for (i, s) in m.statements.iter().enumerate() {
        if i > 0 && m.statements[i - 1].file_index != s.file_index {
            held.clear();
        }
        if !s.in_transaction || matches!(s.kw(0), Some("COMMIT" | "ROLLBACK" | "END" | "ABORT")) {
            held.clear();
            continue;
        }
        if let Some((table, what)) = scanned(s)
            && !m.is_new(&table, i)
            && let Some((_, since)) = held.iter().find(|(t, _)| *t == table)
        {
            r.add_at(
                object(&table),
                format!(
                    "{what} {} under ACCESS EXCLUSIVE, held since line {since} by the same transaction",
                    object(&table)
                ),
                "commit after the statement that locks the table, then run this in a transaction of its own",
                &s.file,
                s.line,
            );
        }
        if let Some(table) = exclusive_table(s)
            && !held.iter().any(|(t, _)| *t == table)
        {
            held.push((table, s.line));
        }
    }
}
