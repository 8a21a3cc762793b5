//! ## What it does
//! Finds indexes of a table with access patterns that no pattern and no key uses: the leading
//! key is neither something a pattern on the table compares, sorts or groups by, nor the first
//! column of a foreign key of the table. Indexes backing constraints are left out.
//!
//! ## Why it matters
//! When the design declares how the table is read, an index none of those reads can use is
//! pure cost: every insert and update maintains it, and it takes space and cache. Either a
//! pattern is missing from the design, or the index is.
//!
//! ## Example
//! ```strata
//! entity Task {
//!   title text(200)
//!   priority int
//!   index btree(priority)
//!   access by_title 10/s `SELECT id FROM tasks WHERE title = $1`
//! }
//! ```
//! Use instead: declare the pattern that reads by `priority`, or drop the index.
//!
//! ## Fix
//! Declare the access pattern the index is for, or remove the index.

use crate::rules::prelude::*;
use strata_workload::analyze::TableAccess;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    // Each table's accesses, gathered once.
    let mut by_table: std::collections::HashMap<&QualifiedName, Vec<&TableAccess>> =
        std::collections::HashMap::new();
    for a in cx.patterns() {
        for acc in std::iter::once(&a.analysis.driving).chain(&a.analysis.probes) {
            by_table.entry(&acc.table).or_default().push(acc);
        }
    }
    for t in own_tables(cx.model) {
        let Some(accesses) = by_table.get(&t.name) else {
            continue;
        };
        for i in &t.indexes {
            let used = accesses.iter().any(|acc| {
                index_serves(i, acc)
                    || i.leading_column()
                        .is_some_and(|c| acc.group.iter().any(|g| g == c))
                    || index_sorts(i, acc)
            });
            let fk = i.leading_column().is_some_and(|c| {
                t.foreign_keys
                    .iter()
                    .any(|fk| fk.columns.first().is_some_and(|f| f == c))
            });
            if !used && !fk {
                r.add(
                    member(t, &i.name),
                    format!(
                        "index {} on {} serves no access pattern and no foreign key",
                        i.name,
                        obj(&t.name)
                    ),
                    "declare the access pattern it is for, or drop it",
                );
            }
        }
    }
}
