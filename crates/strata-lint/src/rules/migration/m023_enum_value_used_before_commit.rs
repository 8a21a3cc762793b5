//! ## What it does
//! Finds a value added by `ALTER TYPE ... ADD VALUE` used by a later statement of the same
//! transaction block (or of a migration the runner runs in one transaction).
//!
//! ## Why it matters
//! PostgreSQL (12 and later) lets `ADD VALUE` run in a transaction block, but the new value
//! cannot be used until that transaction commits: the statement using it fails with "unsafe
//! use of new value", and the whole migration is rolled back.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! ALTER TYPE order_status ADD VALUE 'refunded';
//! UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;
//! COMMIT;
//! ```
//!
//! ## Fix
//! Add the value in a migration (or transaction) of its own, and use it in the next one.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let statements = &cx.migration.statements;
    for (i, s) in statements.iter().enumerate() {
        if !s.starts(&["ALTER", "TYPE"]) || !s.in_transaction {
            continue;
        }
        let Some(add) = s.tokens.iter().position(|t| t.kw() == Some("ADD")) else {
            continue;
        };
        if s.kw(add + 1) != Some("VALUE") {
            continue;
        }
        let Some(Token::Str(value)) = s
            .tokens
            .iter()
            .skip(add + 2)
            .find(|t| matches!(t, Token::Str(_)))
        else {
            continue;
        };
        // The rest of the same transaction block.
        let used = statements[i + 1..]
            .iter()
            .take_while(|n| {
                n.file_index == s.file_index
                    && n.in_transaction
                    && !matches!(n.kw(0), Some("COMMIT" | "ROLLBACK" | "END" | "ABORT"))
            })
            .find(|n| {
                n.tokens
                    .iter()
                    .any(|t| matches!(t, Token::Str(v) if v == value))
            });
        let Some(used) = used else { continue };
        let ty = crate::migration::qualified_name(&s.tokens, 2).map_or_else(
            || s.file.clone(),
            |(p, _)| object(&crate::migration::table_key(&p)),
        );
        r.add_at(
            ty,
            format!(
                "'{value}' is added at line {} and used at line {} before the transaction commits; PostgreSQL refuses that use",
                s.line, used.line
            ),
            "add the value in a transaction of its own and use it in the next one",
            &used.file,
            used.line,
        );
    }
}
