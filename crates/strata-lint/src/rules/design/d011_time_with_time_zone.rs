//! ## What it does
//! Finds columns of type `timetz` (`time with time zone`).
//!
//! ## Why it matters
//! A time of day with a UTC offset but no date cannot handle daylight saving: the offset of a
//! zone depends on the date. PostgreSQL's documentation says the type exists only for SQL
//! compliance and advises against it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE shops (id bigint PRIMARY KEY, opens_at timetz NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE shops (id bigint PRIMARY KEY, opens_at time NOT NULL, time_zone text NOT NULL);
//! ```
//!
//! ## Fix
//! Store a `time` and the zone name separately, or a `timestamptz` when the date is known.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    columns_of_type(
        cx.model,
        "time with time zone",
        r,
        |t, c| format!("column {} is time with time zone", member(t, &c.name)),
        "use time (without time zone) or timestamptz",
    );
}
