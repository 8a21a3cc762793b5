//! ## What it does
//! Finds access patterns that no index serves on a large table (a `rows` estimate of 10,000 or
//! more): no index of the table (primary key and unique constraints included) whose predicate
//! holds for the pattern's rows and whose leading key is something the pattern compares: an
//! equality or range column, the ORDER BY column, an equality expression, or a column under a
//! GIN or GiST operator. Patterns that compare nothing an index could use are left out.
//!
//! ## Why it matters
//! Without such an index each execution reads the whole table: at 10 million rows and a
//! hundred executions a second, that is the database's whole capacity spent on one screen.
//!
//! ## Example
//! ```strata
//! entity Task {
//!   title text(200)
//!   owner_email text(200)
//!   rows 1M
//!   index btree(title)
//!   access by_owner 50/s `SELECT id FROM tasks WHERE owner_email = $1`
//! }
//! ```
//! Use instead: an index led by `owner_email` (which `strata check --explain-indexes` proposes
//! when the design leaves the choice to it).
//!
//! ## Fix
//! Add an index whose leading column is the pattern's equality column (then its range or ORDER
//! BY column), or let the designer choose the indexes from the patterns.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for a in cx.patterns() {
        let access = &a.analysis.driving;
        let Some(t) = cx.table(&access.table) else {
            continue;
        };
        let Some(rows) = large(t) else { continue };
        let usable = !access.eq.is_empty()
            || !access.eq_exprs.is_empty()
            || !access.range.is_empty()
            || !access.gin.is_empty()
            || !access.order.is_empty();
        if !usable {
            continue;
        }
        if !table_indexes(t)
            .iter()
            .any(|(i, _)| index_serves(i, access))
        {
            r.add(
                member(t, &a.pattern.name),
                format!(
                    "access pattern {} reads {} (about {rows} rows) with no index that serves it",
                    a.pattern.name,
                    obj(&t.name)
                ),
                "add an index led by the pattern's equality column, or let the designer choose indexes from the patterns",
            );
        }
    }
}
