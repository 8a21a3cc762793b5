//! ## What it does
//! Finds indexes whose only key is a column with at most three possible values: an enum of
//! three values or fewer, or a column a CHECK restricts to such a list (`status IN ('open',
//! 'closed')`). Unique and partial indexes are left out; lone booleans are
//! `lone-boolean-index`.
//!
//! ## Why it matters
//! Each value matches a third of the table or more, which the planner reads faster with a
//! sequential scan or a bitmap over another index: the index is maintained on every write and
//! rarely used. When one value is rare and queried, a partial index `WHERE status = 'failed'`
//! on a useful column serves it at a fraction of the size.
//!
//! ## Example
//! ```sql
//! CREATE TYPE job_state AS ENUM ('queued', 'running', 'done');
//! CREATE TABLE jobs (id bigint PRIMARY KEY, state job_state NOT NULL, queued_at timestamptz NOT NULL);
//! CREATE INDEX jobs_state_idx ON jobs (state);
//! ```
//! Use instead:
//! ```sql
//! CREATE INDEX jobs_queued_idx ON jobs (queued_at) WHERE state = 'queued';
//! ```
//!
//! ## Fix
//! Drop the index, or replace it with a partial index on the column queries sort or filter by,
//! with the rare value as its predicate.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const MAX_VALUES: usize = 3;

/// How many values a column can hold, when an enum or a CHECK list says so.
fn values(model: &Model, t: &Table, col: &Column) -> Option<usize> {
    if let Some(name) = col.data_type.qualified()
        && col.data_type.array_dims == 0
        && let Some(e) = model.enum_type(&name)
    {
        return Some(e.values.len());
    }
    // `(status = ANY (ARRAY['a'::text, 'b'::text]))` as the server prints an IN list.
    t.checks.iter().find_map(|c| {
        let e = &c.expression;
        let prefix = format!("({} = ANY (ARRAY[", quote_ident(&col.name));
        let rest = e
            .strip_prefix(&prefix)
            .or_else(|| e.strip_prefix(&prefix[1..]))?;
        let list = rest.split(']').next()?;
        Some(list.matches('\'').count() / 2)
    })
}

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for i in &t.indexes {
            if i.unique || i.predicate.is_some() || i.keys.len() != 1 {
                continue;
            }
            let Some(col) = i.leading_column().and_then(|c| t.column(c)) else {
                continue;
            };
            if let Some(n) = values(cx.model, t, col).filter(|n| *n <= MAX_VALUES && *n > 0) {
                r.add(
                    member(t, &i.name),
                    format!(
                        "index {} on {} has a lone key {} with only {n} possible values",
                        i.name,
                        obj(&t.name),
                        col.name
                    ),
                    "drop it, or index a useful column with the rare value as a predicate",
                );
            }
        }
    }
}
