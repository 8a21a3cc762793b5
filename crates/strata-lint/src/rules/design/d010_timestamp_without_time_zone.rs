//! ## What it does
//! Finds columns of type `timestamp` (without time zone), arrays of it included.
//!
//! ## Why it matters
//! `timestamp` stores a wall-clock reading with no zone: the same value means different
//! instants to sessions in different time zones, and arithmetic across daylight-saving changes
//! is wrong. `timestamptz` stores an instant and converts on display, which is what
//! "when did this happen" needs. PostgreSQL's own advice is "Don't use timestamp".
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL);
//! ```
//!
//! ## Fix
//! `ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz USING happened_at AT TIME
//! ZONE 'UTC'` (naming the zone the values were written in). The change rewrites the table.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    columns_of_type(
        cx.model,
        "timestamp without time zone",
        r,
        |t, c| {
            format!(
                "column {} is timestamp without time zone",
                member(t, &c.name)
            )
        },
        "use timestamptz (timestamp with time zone)",
    );
}
