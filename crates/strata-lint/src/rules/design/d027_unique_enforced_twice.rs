//! ## What it does
//! Finds uniqueness enforced twice on the same set of columns: a unique index or constraint
//! whose columns are, in another order, those of the primary key or of another unique key
//! (same predicate). Identical indexes are left to `duplicate-index`.
//!
//! ## Why it matters
//! The second unique index enforces nothing the first does not: uniqueness of a set of columns
//! does not depend on their order. It doubles the write cost. (An index in the other order may
//! still serve queries that lead with its first column; then make it a plain index.)
//!
//! ## Example
//! ```sql
//! CREATE TABLE members (user_id bigint, project_id bigint, PRIMARY KEY (user_id, project_id));
//! CREATE UNIQUE INDEX members_project_user_key ON members (project_id, user_id);
//! ```
//! Use instead: `CREATE INDEX members_project_idx ON members (project_id);`
//!
//! ## Fix
//! Drop the second unique index, or replace it with a plain index on what queries lead with.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn column_set(i: &Index) -> Option<Vec<&str>> {
    let mut cols: Vec<&str> = i
        .keys
        .iter()
        .map(|k| k.column_name())
        .collect::<Option<_>>()?;
    cols.sort_unstable();
    Some(cols)
}

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let all = table_indexes(t);
        for (n, (a, _)) in all.iter().enumerate() {
            if !a.unique || a.method != "btree" {
                continue;
            }
            let Some(set) = column_set(a) else { continue };
            // Report the later of two: constraints come first in the list, so a plain index is
            // reported before a constraint.
            let twin = all[..n].iter().find(|(b, _)| {
                b.unique
                    && b.method == "btree"
                    && b.predicate == a.predicate
                    && column_set(b).as_ref() == Some(&set)
                    && !identical(a, b)
            });
            if let Some((b, _)) = twin {
                r.add(
                    member(t, &a.name),
                    format!(
                        "unique key {} on {} enforces what {} already enforces (the same columns in another order)",
                        a.name,
                        obj(&t.name),
                        b.name
                    ),
                    format!("drop {}, or make it a plain index if queries lead with its first column", a.name),
                );
            }
        }
    }
}
