//! ## What it does
//! Finds indexes that another index of the same table makes redundant: the other one has the
//! same method and starts with the same keys (for btree; other methods need the same keys), in
//! expression, operator class, collation, direction and NULLS order; its predicate is implied
//! by this one's (it has none, or only conditions this one also has); it carries this one's
//! INCLUDE columns; and if this one is unique, it enforces the same uniqueness. Identical
//! indexes are left to `duplicate-index`.
//!
//! ## Why it matters
//! Any query the redundant index serves, the other serves too, so it only costs: write
//! amplification, space, cache and vacuum time.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL);
//! CREATE INDEX tasks_user_idx ON tasks (user_id);
//! CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at);
//! ```
//! Use instead: keep only `tasks_user_created_idx`.
//!
//! ## Fix
//! `DROP INDEX CONCURRENTLY tasks_user_idx;` after checking that no query relies on its smaller
//! size (a partial index may be much smaller than the full one that serves it).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let all = table_indexes(t);
        for (a, a_constraint) in &all {
            if *a_constraint {
                continue;
            }
            // Name the widest index that serves it, not one that is redundant itself.
            let by = all
                .iter()
                .filter(|(b, _)| b.name != a.name && serves(b, a) && !identical(a, b))
                .max_by(|(x, _), (y, _)| {
                    (
                        x.keys.len(),
                        x.predicate.is_none(),
                        x.include.len(),
                        &y.name,
                    )
                        .cmp(&(
                            y.keys.len(),
                            y.predicate.is_none(),
                            y.include.len(),
                            &x.name,
                        ))
                });
            if let Some((b, _)) = by {
                r.add(
                    member(t, &a.name),
                    format!(
                        "index {} on {} is redundant: {} serves every query it serves",
                        a.name,
                        obj(&t.name),
                        b.name
                    ),
                    format!("drop {} (DROP INDEX CONCURRENTLY)", a.name),
                );
            }
        }
    }
}
