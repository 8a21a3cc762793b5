//! ## What it does
//! Finds `ALTER TABLE ... DISABLE TRIGGER` on a table that existed before the migration.
//!
//! ## Why it matters
//! While the trigger is off, every change the application makes skips it: audit rows are not
//! written, `updated_at` stops following updates, derived data drifts, and nothing says so.
//! `DISABLE TRIGGER ALL` also turns off the triggers that enforce foreign keys. The statement
//! takes SHARE ROW EXCLUSIVE, blocking writes while it waits.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders DISABLE TRIGGER orders_audit;
//! UPDATE orders SET status = 'archived' WHERE placed_at < '2020-01-01';
//! ALTER TABLE orders ENABLE TRIGGER orders_audit;
//! ```
//!
//! ## Fix
//! Keep the trigger on and let it record the change; to skip it for one bulk change only, set a
//! session variable the trigger checks, in that session.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::Other(t) = action else { continue };
            if t.first().and_then(Token::kw) != Some("DISABLE")
                || t.get(1).and_then(Token::kw) != Some("TRIGGER")
            {
                continue;
            }
            let which = t
                .get(2)
                .and_then(Token::ident)
                .map_or_else(|| "a trigger".to_string(), str::to_string);
            let which = if which == "all" || which == "user" {
                format!("{} triggers", which.to_uppercase())
            } else {
                which
            };
            r.add_at(
                object(&a.table),
                format!(
                    "disabling {which} on {}: every change to the table skips it until it is enabled again",
                    object(&a.table)
                ),
                "keep the trigger on, or skip it for one session through a setting the trigger reads",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}
