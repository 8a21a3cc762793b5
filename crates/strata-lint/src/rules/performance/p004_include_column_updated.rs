//! ## What it does
//! Finds INCLUDE columns of an index that an UPDATE access pattern of the design writes.
//! Indexes the designer chose from the access patterns are left out: the selection already
//! weighs the updates they make non-HOT against the reads they save (see the design guide);
//! indexes written in the design, which are created as written, are checked.
//!
//! ## Why it matters
//! PostgreSQL updates a row in place (a HOT update: no new index entries) only when no indexed
//! column changes, and INCLUDE columns count. An INCLUDE column added to save a heap visit on
//! reads turns every update of that column into a new entry in every index of the table, plus
//! more vacuum work: a frequent update usually costs more than the reads save.
//!
//! ## Example
//! ```strata
//! entity Task {
//!   title text(200)
//!   completed bool = false
//!   index btree(title) include (completed)
//!   access finish 100/s `UPDATE tasks SET completed = true WHERE id = $1`
//! }
//! ```
//! Use instead: `index btree(title)`.
//!
//! ## Fix
//! Remove the updated column from the INCLUDE list (or the update pattern, if it is not real).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for a in cx.patterns() {
        let Some(set) = is_update(&a.analysis) else {
            continue;
        };
        let Some(t) = cx.table(&a.analysis.driving.table) else {
            continue;
        };
        let chosen = |i: &Index| {
            matches!(
                i.why.as_ref().map(|w| &w.source),
                Some(WhySource::AccessPattern(_))
            )
        };
        for i in t.indexes.iter().filter(|i| !chosen(i)) {
            for c in i.include.iter().filter(|c| set.contains(c)) {
                r.add(
                    member(t, &i.name),
                    format!(
                        "index {} on {} includes {c}, which update pattern {} writes: those updates cannot be HOT",
                        i.name,
                        obj(&t.name),
                        a.pattern.name
                    ),
                    format!("remove {c} from the INCLUDE list of {}", i.name),
                );
            }
        }
    }
}
