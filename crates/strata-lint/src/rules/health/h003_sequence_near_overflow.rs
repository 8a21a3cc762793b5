//! ## What it does
//! Finds sequences that have used 75% or more of their range. The range ends at the
//! sequence's own `MAXVALUE` (or `MINVALUE` when it counts down) or, when it feeds a serial or
//! identity column, at the largest value that column's type holds, whichever comes first: a
//! `bigint` sequence behind an `integer` column fails at 2,147,483,647. Sequences that `CYCLE`
//! are left out: wrapping is what they were made to do.
//!
//! ## Why it matters
//! When a sequence is exhausted, `nextval` fails ("reached maximum value of sequence"), or the
//! insert fails on the column's type ("integer out of range"): every insert into the table
//! stops at once, in production, and the fix (widening the column) rewrites the table under
//! an ACCESS EXCLUSIVE lock. At 75% there is time to plan it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id serial PRIMARY KEY, body text);  -- 2.1 billion ids in all
//! -- after 1.7 billion inserts (or ids burnt by rolled-back inserts)
//! ```
//! Use instead: `id bigint GENERATED ALWAYS AS IDENTITY`.
//!
//! ## Fix
//! Widen the column to `bigint` (and its sequence with `ALTER SEQUENCE ... AS bigint`). On a
//! large table, without a long lock: add a `bigint` column, fill it in batches with a trigger
//! keeping new rows in step, build its unique index `CONCURRENTLY`, then swap the key in one
//! short transaction.

use crate::health::Health;
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// The share of the range used from which a sequence is reported.
const THRESHOLD_PERCENT: i64 = 75;

fn check(h: &Health, r: &mut Report) {
    for s in &h.sequences {
        let Some(last) = s.last_value else {
            continue;
        };
        if s.cycle {
            continue;
        }
        let (used, range, limit, by) = if s.increment >= 0 {
            let (limit, by) = match &s.column {
                Some((col, type_max)) if *type_max < s.max_value => {
                    (*type_max, format!("the type of {col}"))
                }
                _ => (s.max_value, "its MAXVALUE".to_string()),
            };
            (
                i128::from(last) - i128::from(s.min_value),
                i128::from(limit) - i128::from(s.min_value),
                limit,
                by,
            )
        } else {
            (
                i128::from(s.max_value) - i128::from(last),
                i128::from(s.max_value) - i128::from(s.min_value),
                s.min_value,
                "its MINVALUE".to_string(),
            )
        };
        if range <= 0 {
            continue;
        }
        let pct = i64::try_from(used * 100 / range).unwrap_or(i64::MAX);
        if pct < THRESHOLD_PERCENT {
            continue;
        }
        let feeds = s
            .column
            .as_ref()
            .map(|(c, _)| format!(" (it feeds {c})"))
            .unwrap_or_default();
        r.add(
            format!("{}.{}", s.schema, s.name),
            format!(
                "sequence {}.{}{feeds} is at {last}, {pct}% of the way to {limit} (the limit set by {by}): inserts fail when it gets there",
                s.schema, s.name
            ),
            match &s.column {
                Some((c, _)) => format!("widen {c} to bigint (ALTER SEQUENCE ... AS bigint too) before it runs out"),
                None => "ALTER SEQUENCE ... AS bigint MAXVALUE 9223372036854775807 (and widen the columns it feeds) before it runs out".to_string(),
            },
        );
    }
}
