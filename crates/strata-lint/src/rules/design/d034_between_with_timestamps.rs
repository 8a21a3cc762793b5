//! ## What it does
//! Finds closed ranges over a timestamp or date column in view definitions and row-level
//! security policies: `BETWEEN`, which PostgreSQL stores as `col >= a AND col <= b`, or that
//! pair written out.
//!
//! ## Why it matters
//! `BETWEEN` includes both ends: `at BETWEEN '2026-01-01' AND '2026-01-31'` misses everything
//! after midnight on the 31st, and consecutive ranges written the same way count the boundary
//! instant twice. A half-open range (`>=` start `AND <` end) is right for instants.
//! PostgreSQL's advice is "Don't use BETWEEN (especially with timestamps)".
//!
//! ## Example
//! ```sql
//! CREATE VIEW january AS SELECT id FROM events
//!   WHERE at BETWEEN '2026-01-01' AND '2026-01-31';
//! ```
//! Use instead:
//! ```sql
//! CREATE VIEW january AS SELECT id FROM events
//!   WHERE at >= '2026-01-01' AND at < '2026-02-01';
//! ```
//!
//! ## Fix
//! Write the range half-open: `col >= start AND col < end`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// The column names of timestamp and date columns in the model.
fn temporal_columns(model: &Model) -> Vec<&str> {
    model
        .tables
        .iter()
        .flat_map(|t| &t.columns)
        .filter(|c| {
            builtin_base(&c.data_type).is_some_and(|b| b.starts_with("timestamp") || b == "date")
        })
        .map(|c| c.name.as_str())
        .collect()
}

/// Whether `sql` (as the server prints it) compares one of the `temporal` columns with both
/// `>=` and `<=`: a range closed at both ends.
fn between_on_time(sql: &str, temporal: &[&str]) -> bool {
    let lower = sql.to_lowercase().replace('"', "");
    let compared = |col: &str, op: &str| {
        let needle = format!("{col} {op} ");
        lower
            .match_indices(&needle)
            .any(|(i, _)| i == 0 || matches!(lower.as_bytes()[i - 1], b'.' | b'(' | b' '))
    };
    temporal
        .iter()
        .any(|c| compared(c, ">=") && compared(c, "<="))
}

fn check(cx: &Context, r: &mut Report) {
    let temporal = temporal_columns(cx.model);
    for v in &cx.model.views {
        if between_on_time(&v.definition, &temporal) {
            r.add(
                obj(&v.name),
                format!("view {} compares a timestamp or date with a closed range (BETWEEN, or >= and <=)", obj(&v.name)),
                "write the range half-open: col >= start AND col < end",
            );
        }
    }
    for t in &cx.model.tables {
        for p in &t.policies {
            let exprs = [p.using.as_deref(), p.with_check.as_deref()];
            if exprs
                .into_iter()
                .flatten()
                .any(|e| between_on_time(e, &temporal))
            {
                r.add(
                    member(t, &p.name),
                    format!("policy {} on {} compares a timestamp or date with a closed range (BETWEEN, or >= and <=)", p.name, obj(&t.name)),
                    "write the range half-open: col >= start AND col < end",
                );
            }
        }
    }
}
