//! ## What it does
//! Finds `timestamp(0)` and `timestamptz(0)` columns (and `time(0)`).
//!
//! ## Why it matters
//! Precision 0 rounds fractional seconds, it does not truncate them: a value taken at 12:00:00.6
//! is stored as 12:00:01, a moment in the future. Ordering by it and comparing with `now()`
//! give wrong answers. PostgreSQL's advice is "Don't use timestamp(0) or timestamptz(0)".
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz(0) NOT NULL DEFAULT now());
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
//! ```
//!
//! ## Fix
//! Keep the full precision and truncate on display (`date_trunc('second', at)`).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            let n = &c.data_type.name;
            if c.data_type.schema.is_none()
                && (n.starts_with("timestamp(0)") || n.starts_with("time(0)"))
            {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} is {}, which rounds to the next second",
                        member(t, &c.name),
                        n
                    ),
                    "drop the (0): keep full precision and truncate on display",
                );
            }
        }
    }
}
