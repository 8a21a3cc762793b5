//! ## What it does
//! Finds columns of type `json`.
//!
//! ## Why it matters
//! `json` keeps the text as written and parses it on every access; it has no equality
//! operator, so it cannot be in a unique key, `DISTINCT` or `GROUP BY`, and it cannot be
//! indexed with GIN. `jsonb` is parsed once, compares, and indexes. Keep `json` only when the
//! exact text (key order, duplicate keys, whitespace) must be preserved.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, payload json NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb NOT NULL);
//! ```
//!
//! ## Fix
//! `ALTER TABLE events ALTER COLUMN payload TYPE jsonb` (rewrites the table).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    columns_of_type(
        cx.model,
        "json",
        r,
        |t, c| format!("column {} is json, not jsonb", member(t, &c.name)),
        "use jsonb",
    );
}
