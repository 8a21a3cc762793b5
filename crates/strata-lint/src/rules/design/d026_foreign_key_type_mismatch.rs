//! ## What it does
//! Finds foreign key columns whose type differs from the referenced column's type (`integer`
//! referencing `bigint`, `varchar(20)` referencing `text`).
//!
//! ## Why it matters
//! A narrower referencing column fails once the referenced key outgrows it (an `integer` column
//! pointing at a `bigint` identity breaks at 2^31); comparisons across types need casts that
//! can keep indexes from being used in joins; and an ORM maps the two sides to different types.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY);
//! CREATE TABLE tasks (id bigint PRIMARY KEY, user_id integer REFERENCES users ON DELETE CASCADE);
//! ```
//! Use instead: `user_id bigint`.
//!
//! ## Fix
//! `ALTER TABLE tasks ALTER COLUMN user_id TYPE bigint;` (rewrites the table).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for fk in &t.foreign_keys {
            let Some(target) = cx.table(&fk.ref_table) else {
                continue;
            };
            for (c, rc) in fk.columns.iter().zip(&fk.ref_columns) {
                let (Some(col), Some(rcol)) = (t.column(c), target.column(rc)) else {
                    continue;
                };
                if col.data_type != rcol.data_type {
                    r.add(
                        member(t, &fk.name),
                        format!(
                            "foreign key {}: {}.{} is {} but references {}.{} of type {}",
                            fk.name,
                            obj(&t.name),
                            c,
                            type_text(&col.data_type),
                            obj(&target.name),
                            rc,
                            type_text(&rcol.data_type)
                        ),
                        format!("change {c} to {}", type_text(&rcol.data_type)),
                    );
                }
            }
        }
    }
}
