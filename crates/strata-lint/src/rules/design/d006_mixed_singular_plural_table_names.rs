//! ## What it does
//! Finds table names whose grammatical number differs from the rest of the schema: in a schema
//! of plural names (`users`, `tasks`), a singular `invoice`; in one of singular names, a plural.
//! The minority is reported (on a tie, the singular names). Mass nouns (`audit_log`,
//! `history`, `inventory`, ...) are neither and are left out. A name counts as plural when it
//! ends in `s` (but not `ss`, `us` or `is`) or is an irregular plural (`people`, `children`,
//! `data`, `media`).
//!
//! ## Why it matters
//! Naming consistency is what lets people and code generators guess a name without looking it
//! up. A mix means someone writes `FROM user` and gets a different table, or an error.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY);
//! CREATE TABLE tasks (id bigint PRIMARY KEY);
//! CREATE TABLE invoice (id bigint PRIMARY KEY);
//! ```
//! Use instead: `invoices`.
//!
//! ## Fix
//! Rename the table (`ALTER TABLE invoice RENAME TO invoices`) together with the code that uses
//! it, or silence the finding for a name that is neither (`inventory`).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// Mass nouns, neither singular nor plural: never reported.
const UNCOUNTED: [&str; 12] = [
    "log",
    "history",
    "audit",
    "metadata",
    "info",
    "information",
    "inventory",
    "staff",
    "feedback",
    "equipment",
    "config",
    "configuration",
];

fn is_uncounted(name: &str) -> bool {
    UNCOUNTED.contains(&name.rsplit('_').next().unwrap_or(name))
}

fn is_plural(name: &str) -> bool {
    let last = name.rsplit('_').next().unwrap_or(name);
    [
        "people", "children", "data", "media", "men", "women", "criteria",
    ]
    .contains(&last)
        || (last.ends_with('s')
            && !last.ends_with("ss")
            && !last.ends_with("us")
            && !last.ends_with("is"))
}

fn check(cx: &Context, r: &mut Report) {
    let tables: Vec<&Table> = own_tables(cx.model)
        .filter(|t| !is_uncounted(&t.name.name))
        .collect();
    if tables.len() < 3 {
        return;
    }
    let plural = tables.iter().filter(|t| is_plural(&t.name.name)).count();
    let singular = tables.len() - plural;
    let report_plural = plural < singular;
    if plural == 0 || singular == 0 {
        return;
    }
    for t in tables {
        if is_plural(&t.name.name) == report_plural {
            r.add(
                obj(&t.name),
                format!(
                    "table {} is {} where {} of {} tables are {}",
                    obj(&t.name),
                    if report_plural { "plural" } else { "singular" },
                    if report_plural { singular } else { plural },
                    plural + singular,
                    if report_plural { "singular" } else { "plural" }
                ),
                "name tables consistently (Strata's convention: plural snake_case)",
            );
        }
    }
}
