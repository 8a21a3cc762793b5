//! ## What it does
//! Finds CHECK constraints of a table with the same expression as another of its CHECK
//! constraints (as the server stores them).
//!
//! ## Why it matters
//! The second one checks nothing new and costs on every write; when one is later changed, the
//! old copy still enforces the old rule and the change seems not to work.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, priority int CHECK (priority >= 0));
//! ALTER TABLE tasks ADD CONSTRAINT priority_positive CHECK (priority >= 0);
//! ```
//! Use instead: keep one of them.
//!
//! ## Fix
//! `ALTER TABLE tasks DROP CONSTRAINT priority_positive;`

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for (n, c) in t.checks.iter().enumerate() {
            if let Some(o) = t.checks[..n].iter().find(|o| o.expression == c.expression) {
                r.add(
                    member(t, &c.name),
                    format!("check {} on {} repeats {}", c.name, obj(&t.name), o.name),
                    format!("drop {}", c.name),
                );
            }
        }
    }
}
