//! ## What it does
//! Finds a file that opens a transaction block (`BEGIN`) and ends without `COMMIT` or
//! `ROLLBACK`.
//!
//! ## Why it matters
//! What the block did is committed or rolled back by whatever happens to the session next:
//! psql rolls it back when the file ends, a pooled connection may keep the transaction open
//! with its locks held until the connection is recycled. Either way the migration does not do
//! what it says.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! ALTER TABLE orders ADD COLUMN note text;
//! ```
//!
//! ## Fix
//! End the block with `COMMIT;`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let statements = &cx.migration.statements;
    for (i, s) in statements.iter().enumerate() {
        let last_of_file = statements
            .get(i + 1)
            .is_none_or(|n| n.file_index != s.file_index);
        if !last_of_file || s.runner_transaction {
            continue;
        }
        let ends = matches!(s.kw(0), Some("COMMIT" | "ROLLBACK" | "END" | "ABORT"));
        let opens = matches!(s.kw(0), Some("BEGIN" | "START"));
        if !((s.in_transaction && !ends) || opens) {
            continue;
        }
        let begin = statements[..=i]
            .iter()
            .rev()
            .take_while(|p| p.file_index == s.file_index)
            .find(|p| matches!(p.kw(0), Some("BEGIN" | "START")))
            .unwrap_or(s);
        r.add_at(
            s.file.clone(),
            format!(
                "the transaction block opened at line {} is never committed: {} ends inside it",
                begin.line, s.file
            ),
            "end the block with COMMIT",
            &s.file,
            begin.line,
        );
    }
}
