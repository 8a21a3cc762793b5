//! ## What it does
//! Finds foreign keys with `ON DELETE SET NULL` or `ON UPDATE SET NULL` whose columns (one of
//! them, for a composite key) are `NOT NULL`, and `SET DEFAULT` on columns without a default.
//!
//! ## Why it matters
//! The action cannot succeed: deleting the parent row tries to set a NOT NULL column to NULL
//! and fails with a not-null violation, so the delete that the key was meant to handle is
//! refused in production. `SET DEFAULT` without a default sets NULL, with the same result on a
//! NOT NULL column, or points the row at no parent at all.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY,
//!   project_id bigint NOT NULL REFERENCES projects ON DELETE SET NULL);
//! ```
//! Use instead: make `project_id` nullable, or use `ON DELETE CASCADE` / `RESTRICT`.
//!
//! ## Fix
//! Drop `NOT NULL` from the column, or change the action (`SET NULL (col)` on PostgreSQL 15+
//! limits it to the nullable columns of a composite key).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for fk in &t.foreign_keys {
            for (when, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
                let bad: Vec<&str> = fk
                    .columns
                    .iter()
                    .filter_map(|c| t.column(c))
                    .filter(|c| match action {
                        FkAction::SetNull => !c.nullable,
                        FkAction::SetDefault => c.default.is_none() && !c.nullable,
                        _ => false,
                    })
                    .map(|c| c.name.as_str())
                    .collect();
                if !bad.is_empty() {
                    r.add(
                        member(t, &fk.name),
                        format!(
                            "foreign key {} on {} has ON {when} {} but {} is NOT NULL{}: the {} of a referenced row fails",
                            fk.name,
                            obj(&t.name),
                            action.sql(),
                            bad.join(", "),
                            if action == FkAction::SetDefault { " without a default" } else { "" },
                            when.to_lowercase()
                        ),
                        "make the column nullable, or use CASCADE or RESTRICT",
                    );
                }
            }
        }
    }
}
