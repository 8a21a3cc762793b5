//! ## What it does
//! Finds `ALTER COLUMN ... TYPE` on a table that existed before the migration.
//!
//! ## Why it matters
//! Unless the new type is binary-coercible from the old one (`varchar(n)` to `text` or to a
//! longer `varchar`, `numeric(p, s)` to a larger precision with the same scale), PostgreSQL
//! rewrites the whole table and rebuilds its indexes under
//! ACCESS EXCLUSIVE: no reads or writes until it is done. Running clients that read or bind
//! the old type may break too.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
//! ```
//! Use instead: add a column of the new type, fill it in batches (and keep it in step with a
//! trigger), then switch readers and drop the old column in a later release.
//!
//! ## Fix
//! Use the add–backfill–switch recipe above, or confirm that the change is binary-coercible
//! and suppress the finding with the reason.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::AlterColumnType { column, ty } = action else {
                continue;
            };
            let ty: Vec<String> = ty
                .iter()
                .map(|t| match t {
                    Token::Word { name, .. } => name.clone(),
                    Token::Quoted(q) => format!("\"{q}\""),
                    Token::Number(n) | Token::Str(n) => n.clone(),
                    Token::Punct(c) => c.to_string(),
                })
                .collect();
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "changing {}.{column} to {} rewrites the table and its indexes under {} unless the change is binary-coercible",
                    object(&a.table),
                    ty.join(" ").replace(" ( ", "(").replace(" )", ")").replace(" , ", ", "),
                    lock_name(Operation::AlterColumnType)
                ),
                "add a column of the new type, backfill it in batches and switch to it in a later release",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
