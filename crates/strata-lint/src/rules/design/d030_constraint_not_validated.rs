//! ## What it does
//! Finds foreign keys and CHECK constraints added `NOT VALID` and never validated.
//!
//! ## Why it matters
//! `NOT VALID` is the first half of adding a constraint without blocking writes; the second
//! half, `VALIDATE CONSTRAINT`, checks the existing rows. Left half-done, the constraint holds
//! for new rows only: rows that break it may exist, and the planner cannot use it (a CHECK
//! for partition pruning or constraint exclusion, a foreign key for join removal).
//!
//! ## Example
//! ```sql
//! ALTER TABLE tasks ADD CONSTRAINT tasks_user_id_fkey FOREIGN KEY (user_id) REFERENCES users NOT VALID;
//! ```
//! Use instead: follow it with `ALTER TABLE tasks VALIDATE CONSTRAINT tasks_user_id_fkey;`
//!
//! ## Fix
//! `ALTER TABLE ... VALIDATE CONSTRAINT ...` (takes only SHARE UPDATE EXCLUSIVE; fix the rows
//! it reports first).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in &cx.model.tables {
        let names = t
            .foreign_keys
            .iter()
            .filter(|f| f.not_valid)
            .map(|f| ("foreign key", &f.name))
            .chain(
                t.checks
                    .iter()
                    .filter(|c| c.not_valid)
                    .map(|c| ("check constraint", &c.name)),
            );
        for (kind, name) in names {
            r.add(
                member(t, name),
                format!(
                    "{kind} {name} on {} is NOT VALID: existing rows were never checked",
                    obj(&t.name)
                ),
                format!(
                    "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                    t.name.quoted(),
                    quote_ident(name)
                ),
            );
        }
    }
}
