//! ## What it does
//! Finds columns named `<thing>_id` without a foreign key, when the schema has a table for
//! `<thing>` (`user_id` and `users`, `category_id` and `categories`, `person_id` and `person`)
//! whose single-column primary key has the column's type.
//!
//! ## Why it matters
//! Relationships are the design checklist's core: without the key, rows point at parents that
//! were deleted or never existed, nothing decides what a delete does to children, and tools
//! (ORMs, ER diagrams, `strata gen`) do not see the relation.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY);
//! CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL);
//! ```
//! Use instead: `user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE`.
//!
//! ## Fix
//! Add the foreign key (`NOT VALID`, then `VALIDATE CONSTRAINT`, on a live table) with the
//! ON DELETE action the relation needs, and an index on the column.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// Table names a `<thing>_id` column may point to.
fn candidates(thing: &str) -> Vec<String> {
    let mut out = vec![thing.to_string(), format!("{thing}s"), format!("{thing}es")];
    if let Some(stem) = thing.strip_suffix('y') {
        out.push(format!("{stem}ies"));
    }
    if thing == "person" {
        out.push("people".into());
    }
    out
}

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        if !t.columns.iter().any(|c| c.name.ends_with("_id")) {
            continue;
        }
        for c in own_columns(t) {
            let Some(thing) = c.name.strip_suffix("_id") else {
                continue;
            };
            if thing.is_empty() || t.foreign_keys.iter().any(|fk| fk.columns.contains(&c.name)) {
                continue;
            }
            if t.primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns == [c.name.clone()])
            {
                continue;
            }
            let target = candidates(thing)
                .into_iter()
                .filter_map(|n| cx.table(&QualifiedName::new(t.name.schema.clone(), n)))
                .find(|o| {
                    o.partition_of.is_none()
                        && o.primary_key.as_ref().is_some_and(|pk| {
                            pk.columns.len() == 1
                                && o.column(&pk.columns[0])
                                    .is_some_and(|k| k.data_type == c.data_type)
                        })
                });
            if let Some(o) = target {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} looks like a reference to {} but has no foreign key",
                        member(t, &c.name),
                        obj(&o.name)
                    ),
                    format!(
                        "add FOREIGN KEY ({}) REFERENCES {} with an ON DELETE action",
                        quote_ident(&c.name),
                        o.name.quoted()
                    ),
                );
            }
        }
    }
}
