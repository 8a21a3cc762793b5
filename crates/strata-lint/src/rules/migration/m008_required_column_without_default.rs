//! ## What it does
//! Finds `ADD COLUMN ... NOT NULL` without a `DEFAULT` on a table that existed before the
//! migration.
//!
//! ## Why it matters
//! The existing rows would have NULL in the new column, so PostgreSQL refuses the statement as
//! soon as the table has one row: the migration passes on an empty development database and
//! fails in production.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD COLUMN currency text NOT NULL;
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
//! ```
//!
//! ## Fix
//! Give the column a default, or add it nullable, backfill it, and then make it NOT NULL
//! through a validated CHECK.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::AddColumn { column, rest } = action else {
                continue;
            };
            let not_null = rest
                .windows(2)
                .any(|w| w[0].kw() == Some("NOT") && w[1].kw() == Some("NULL"));
            let filled = rest
                .iter()
                .any(|t| matches!(t.kw(), Some("DEFAULT" | "GENERATED")))
                || rest
                    .first()
                    .and_then(Token::kw)
                    .is_some_and(|t| t.ends_with("SERIAL"));
            let primary = rest
                .windows(2)
                .any(|w| w[0].kw() == Some("PRIMARY") && w[1].kw() == Some("KEY"));
            if !(not_null || primary) || filled {
                continue;
            }
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "{}.{column} is added NOT NULL without a default: the statement fails as soon as {} has a row",
                    object(&a.table),
                    object(&a.table)
                ),
                "give it a DEFAULT, or add it nullable, backfill it and then set NOT NULL",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
