//! ## What it does
//! Finds single-column foreign keys whose column is not named after what it references: not
//! ending in `_id` (or in `_` and the referenced column's name, such as `_code` for a key to
//! `countries (code)`), and not the referenced column's own name.
//!
//! ## Why it matters
//! Naming consistency lets a reader see a reference without looking up the constraints:
//! `owner` could be a name, a flag or a key; `owner_id` is a key. ORMs and generators also
//! derive relation names from the `_id` suffix, and give odd names without it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, owner bigint REFERENCES users ON DELETE CASCADE);
//! ```
//! Use instead: `owner_id bigint REFERENCES users ON DELETE CASCADE`.
//!
//! ## Fix
//! `ALTER TABLE tasks RENAME COLUMN owner TO owner_id;` together with the code that uses it.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for fk in &t.foreign_keys {
            let ([col], [refcol]) = (fk.columns.as_slice(), fk.ref_columns.as_slice()) else {
                continue;
            };
            let ok = col.ends_with("_id") || col == refcol || col.ends_with(&format!("_{refcol}"));
            if !ok {
                r.add(
                    member(t, col),
                    format!(
                        "{} references {} ({refcol}) but its name does not say so",
                        member(t, col),
                        obj(&fk.ref_table)
                    ),
                    format!("rename it {col}_id (or {col}_{refcol})"),
                );
            }
        }
    }
}
