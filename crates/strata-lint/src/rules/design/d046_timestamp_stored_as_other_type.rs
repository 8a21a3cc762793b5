//! ## What it does
//! Finds columns named like instants (ending in `_at`) whose type is not a timestamp: text,
//! integers (epoch seconds or milliseconds) or numerics.
//!
//! ## Why it matters
//! An instant stored as a number or a string cannot be compared with `now()`, truncated to a
//! day, shown in a time zone or checked for validity without conversions in every query, and
//! the unit (seconds or milliseconds?) lives only in people's heads. `timestamptz` says what it
//! is.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, created_at bigint NOT NULL);
//! ```
//! Use instead: `created_at timestamptz NOT NULL DEFAULT now()`.
//!
//! ## Fix
//! `ALTER TABLE events ALTER COLUMN created_at TYPE timestamptz USING to_timestamp(created_at);`
//! (divide by 1000 for milliseconds).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            if !c.name.ends_with("_at") || c.data_type.array_dims > 0 {
                continue;
            }
            let Some(base) = builtin_base(&c.data_type) else {
                continue;
            };
            let other = matches!(
                base.as_ref(),
                "text"
                    | "character varying"
                    | "character"
                    | "integer"
                    | "bigint"
                    | "numeric"
                    | "double precision"
                    | "real"
            );
            if other {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} holds an instant as {}",
                        member(t, &c.name),
                        c.data_type.name
                    ),
                    "use timestamptz",
                );
            }
        }
    }
}
