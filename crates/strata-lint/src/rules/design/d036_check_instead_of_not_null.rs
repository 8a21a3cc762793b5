//! ## What it does
//! Finds CHECK constraints that only say a column is not NULL (`CHECK (col IS NOT NULL)`) on a
//! column that is not declared `NOT NULL`.
//!
//! ## Why it matters
//! The constraint forbids NULL like `NOT NULL` does, but nothing else knows it: the planner does
//! not use it, `\d`, ORMs and generators show the column as nullable, and code generated from the
//! schema handles a NULL that cannot happen. (A `CHECK ... NOT VALID` followed by `SET NOT
//! NULL` is the online recipe; the CHECK is then dropped.)
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text CHECK (email IS NOT NULL));
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
//! ```
//!
//! ## Fix
//! `ALTER TABLE users ALTER COLUMN email SET NOT NULL;` (with the CHECK valid, PostgreSQL 12+
//! skips the table scan) and drop the CHECK.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in &t.checks {
            let parts = conjuncts(&c.expression);
            for part in parts {
                let Some(col) = part.strip_suffix(" IS NOT NULL") else {
                    continue;
                };
                let col = col.trim().trim_matches('"');
                if t.column(col).is_some_and(|column| column.nullable) {
                    r.add(
                        member(t, &c.name),
                        format!("check {} on {} says {col} IS NOT NULL instead of declaring it NOT NULL", c.name, obj(&t.name)),
                        format!("ALTER COLUMN {} SET NOT NULL and drop the check", quote_ident(col)),
                    );
                }
            }
        }
    }
}
