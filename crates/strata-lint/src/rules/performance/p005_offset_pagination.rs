//! ## What it does
//! Finds access patterns that page with `OFFSET` through a large table (10,000 rows or more by
//! the design's estimate) without an equality filter that narrows the rows to one owner,
//! tenant or parent.
//!
//! ## Why it matters
//! `OFFSET n` reads and throws away n rows: page 1,000 of 20 rows reads 20,000. Over a whole
//! large table, deep pages get slower and slower, and rows inserted meanwhile shift pages so
//! items repeat or go missing. Keyset pagination (`WHERE (created_at, id) < ($1, $2) ORDER BY
//! created_at DESC, id DESC LIMIT 20`) reads 20 rows on any page.
//!
//! ## Example
//! ```strata
//! entity Event {
//!   name text(100)
//!   rows 50M
//!   access feed 50/s `SELECT id, name FROM events ORDER BY created_at DESC LIMIT 20 OFFSET $1`
//! }
//! ```
//! Use instead: `SELECT id, name FROM events WHERE (created_at, id) < ($1, $2) ORDER BY
//! created_at DESC, id DESC LIMIT 20`.
//!
//! ## Fix
//! Page by the last row's sort key (keyset pagination) instead of OFFSET.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for a in cx.patterns() {
        if a.analysis.offset.is_none() || !a.analysis.driving.eq.is_empty() {
            continue;
        }
        let Some(t) = cx.table(&a.analysis.driving.table) else {
            continue;
        };
        let Some(rows) = large(t) else { continue };
        r.add(
            member(t, &a.pattern.name),
            format!(
                "access pattern {} pages with OFFSET through {} (about {rows} rows)",
                a.pattern.name,
                obj(&t.name)
            ),
            "page by the last row's sort key (keyset pagination) instead of OFFSET",
        );
    }
}
