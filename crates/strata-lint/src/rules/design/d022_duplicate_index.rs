//! ## What it does
//! Finds indexes that are identical to another index of the same table: the same method, the
//! same keys (expression or column, operator class, collation, direction, NULLS order), the
//! same INCLUDE columns, the same predicate and the same uniqueness. Indexes backing a primary
//! key or unique constraint count; the one reported is the index that can go (a plain index
//! before a constraint's, then by name).
//!
//! ## Why it matters
//! Every write maintains both copies, they take twice the space and cache, and the planner
//! gains nothing from the second one.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
//! CREATE INDEX users_email_idx ON users (email);
//! CREATE INDEX users_email_idx1 ON users (email);
//! ```
//! Use instead: keep one of them.
//!
//! ## Fix
//! `DROP INDEX CONCURRENTLY users_email_idx1;`

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let mut all = table_indexes(t);
        // Keepers first: constraints (the primary key first), then by name.
        all.sort_by(|(a, ca), (b, cb)| {
            (
                !ca,
                a.name != t.primary_key.as_ref().map_or("", |p| p.name.as_str()),
                &a.name,
            )
                .cmp(&(
                    !cb,
                    b.name != t.primary_key.as_ref().map_or("", |p| p.name.as_str()),
                    &b.name,
                ))
        });
        for (n, (i, _)) in all.iter().enumerate() {
            if let Some((keep, _)) = all[..n].iter().find(|(k, _)| identical(k, i)) {
                r.add(
                    member(t, &i.name),
                    format!(
                        "index {} on {} is identical to {}",
                        i.name,
                        obj(&t.name),
                        keep.name
                    ),
                    format!(
                        "drop {} (DROP INDEX CONCURRENTLY, or the constraint it backs)",
                        i.name
                    ),
                );
            }
        }
    }
}
