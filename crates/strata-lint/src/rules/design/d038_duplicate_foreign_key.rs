//! ## What it does
//! Finds foreign keys declared twice: two constraints of a table with the same columns
//! referencing the same columns of the same table.
//!
//! ## Why it matters
//! Every insert and update checks both, every delete of a parent row runs both triggers, and if
//! their actions differ (`CASCADE` and `RESTRICT`) the outcome depends on which fires first.
//! It is usually a migration that re-added a key under another name.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE);
//! ALTER TABLE tasks ADD CONSTRAINT tasks_owner_fk FOREIGN KEY (user_id) REFERENCES users ON DELETE CASCADE;
//! ```
//! Use instead: keep one of them.
//!
//! ## Fix
//! `ALTER TABLE tasks DROP CONSTRAINT tasks_owner_fk;`

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for (n, fk) in t.foreign_keys.iter().enumerate() {
            let twin = t.foreign_keys[..n].iter().find(|o| {
                o.ref_table == fk.ref_table && {
                    let mut a: Vec<_> = o.columns.iter().zip(&o.ref_columns).collect();
                    let mut b: Vec<_> = fk.columns.iter().zip(&fk.ref_columns).collect();
                    a.sort();
                    b.sort();
                    a == b
                }
            });
            if let Some(o) = twin {
                r.add(
                    member(t, &fk.name),
                    format!(
                        "foreign key {} on {} repeats {}",
                        fk.name,
                        obj(&t.name),
                        o.name
                    ),
                    format!("drop {}", fk.name),
                );
            }
        }
    }
}
