//! ## What it does
//! Finds `NOT IN (SELECT ...)` in view definitions and row-level security policies.
//!
//! ## Why it matters
//! If the subquery returns a single NULL, `x NOT IN (...)` is NULL for every row and the view
//! or policy silently returns nothing; and the planner cannot turn it into an anti-join, so
//! it runs the subquery as a hashed or, worse, repeated scan. PostgreSQL's advice is "Don't use
//! NOT IN".
//!
//! ## Example
//! ```sql
//! CREATE VIEW idle_users AS
//!   SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM sessions);
//! ```
//! Use instead:
//! ```sql
//! CREATE VIEW idle_users AS
//!   SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id);
//! ```
//!
//! ## Fix
//! Rewrite as `NOT EXISTS (SELECT 1 FROM ... WHERE ...)`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// Whether SQL as the server prints it has `NOT (x IN (SELECT ...))` or `x NOT IN (SELECT ...)`.
fn has_not_in_subquery(sql: &str) -> bool {
    let s: String = sql
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let s = s.replace("( select", "(select");
    // `x NOT IN (SELECT` as written, or `NOT (x IN (SELECT` as pg_get_viewdef prints it: a
    // NOT whose parenthesised operand is an IN over a subquery.
    if s.contains(" not in (select") {
        return true;
    }
    s.match_indices("not (").any(|(i, m)| {
        let rest = &s[i + m.len()..];
        let mut depth = 1i32;
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &rest[..end];
        // The IN must be at the operand's top level, not inside a nested subquery.
        let mut d = 0i32;
        for (j, c) in inner.char_indices() {
            match c {
                '(' => d += 1,
                ')' => d -= 1,
                _ if d == 0 && inner[j..].starts_with(" in (select") => return true,
                _ => {}
            }
        }
        false
    })
}

fn check(cx: &Context, r: &mut Report) {
    for v in &cx.model.views {
        if has_not_in_subquery(&v.definition) {
            r.add(
                obj(&v.name),
                format!("view {} uses NOT IN over a subquery", obj(&v.name)),
                "rewrite it as NOT EXISTS (SELECT 1 FROM ... WHERE ...)",
            );
        }
    }
    for t in &cx.model.tables {
        for p in &t.policies {
            let exprs = [p.using.as_deref(), p.with_check.as_deref()];
            if exprs.into_iter().flatten().any(has_not_in_subquery) {
                r.add(
                    member(t, &p.name),
                    format!(
                        "policy {} on {} uses NOT IN over a subquery",
                        p.name,
                        obj(&t.name)
                    ),
                    "rewrite it as NOT EXISTS (SELECT 1 FROM ... WHERE ...)",
                );
            }
        }
    }
}
