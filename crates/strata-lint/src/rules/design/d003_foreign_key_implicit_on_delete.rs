//! ## What it does
//! Finds foreign keys that leave `ON DELETE` at PostgreSQL's default, `NO ACTION`. (The
//! catalog stores no difference between the default and a written `NO ACTION`, so a key that
//! means it should say `RESTRICT`, which behaves the same outside deferred checks.)
//!
//! ## Why it matters
//! What happens to children when a parent row goes is a design decision: cascade, refuse, or
//! detach (`SET NULL`). Left to the default, nobody decided, and the first delete of a parent
//! fails in production with a foreign key violation nobody expected.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE);
//! ```
//!
//! ## Fix
//! State the action: `ON DELETE CASCADE`, `ON DELETE RESTRICT` or `ON DELETE SET NULL`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for fk in &t.foreign_keys {
            if fk.on_delete == FkAction::NoAction {
                r.add(
                    member(t, &fk.name),
                    format!(
                        "foreign key {} on {} leaves ON DELETE at the default NO ACTION",
                        fk.name,
                        obj(&t.name)
                    ),
                    "state ON DELETE CASCADE, RESTRICT or SET NULL",
                );
            }
        }
    }
}
