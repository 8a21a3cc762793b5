//! ## What it does
//! Finds `CURRENT_TIME` (and `LOCALTIME` into a `timetz`) in column defaults and view
//! definitions: the function returns `time with time zone`.
//!
//! ## Why it matters
//! `CURRENT_TIME` gives a time of day with an offset, a type PostgreSQL advises against (see
//! `time-with-time-zone`); what is meant is almost always `CURRENT_TIMESTAMP` (`now()`) or
//! `LOCALTIME`. PostgreSQL's advice is "Don't use CURRENT_TIME".
//!
//! ## Example
//! ```sql
//! CREATE TABLE visits (id bigint PRIMARY KEY, at timetz DEFAULT CURRENT_TIME);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE visits (id bigint PRIMARY KEY, at timestamptz DEFAULT now());
//! ```
//!
//! ## Fix
//! Use `now()` (`CURRENT_TIMESTAMP`) and a `timestamptz` column.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn uses_current_time(sql: &str) -> bool {
    let upper = sql.to_uppercase();
    upper
        .match_indices("CURRENT_TIME")
        .any(|(i, m)| !upper[i + m.len()..].starts_with("STAMP"))
}

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            if c.default.as_deref().is_some_and(uses_current_time) {
                r.add(
                    member(t, &c.name),
                    format!("the default of {} uses CURRENT_TIME", member(t, &c.name)),
                    "use now() and a timestamptz column",
                );
            }
        }
    }
    for v in &cx.model.views {
        if uses_current_time(&v.definition) {
            r.add(
                obj(&v.name),
                format!("view {} uses CURRENT_TIME", obj(&v.name)),
                "use now() (CURRENT_TIMESTAMP)",
            );
        }
    }
}
