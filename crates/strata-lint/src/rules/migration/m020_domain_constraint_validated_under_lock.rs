//! ## What it does
//! Finds `ALTER DOMAIN ... ADD CONSTRAINT` without `NOT VALID`.
//!
//! ## Why it matters
//! The new constraint is checked against every value of the domain in every column of every
//! table that uses it, each table locked while it is read. Added `NOT VALID`, it holds for new
//! values at once, and `ALTER DOMAIN ... VALIDATE CONSTRAINT` checks the old ones later
//! without blocking writes.
//!
//! ## Example
//! ```sql
//! ALTER DOMAIN currency_code ADD CONSTRAINT currency_code_known CHECK (VALUE <> 'XXX');
//! ```
//! Use instead:
//! ```sql
//! ALTER DOMAIN currency_code ADD CONSTRAINT currency_code_known CHECK (VALUE <> 'XXX') NOT VALID;
//! ALTER DOMAIN currency_code VALIDATE CONSTRAINT currency_code_known;  -- in a later transaction
//! ```
//!
//! ## Fix
//! Add the constraint `NOT VALID` and validate it in a later transaction (`strata diff` plans
//! it so).

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for s in &m.statements {
        if !s.starts(&["ALTER", "DOMAIN"]) {
            continue;
        }
        let not_valid = s
            .tokens
            .windows(2)
            .any(|w| w[0].kw() == Some("NOT") && w[1].kw() == Some("VALID"));
        let Some((parts, after)) = qualified_name(&s.tokens, 2) else {
            continue;
        };
        if s.kw(after) != Some("ADD") {
            continue;
        }
        // A domain created earlier in the same file is used by no existing column.
        let domain = table_key(&parts);
        let new = m.statements.iter().any(|e| {
            e.file_index == s.file_index
                && e.line < s.line
                && e.starts(&["CREATE", "DOMAIN"])
                && qualified_name(&e.tokens, 2).is_some_and(|(p, _)| table_key(&p) == domain)
        });
        if not_valid || new {
            continue;
        }
        r.add_at(
            object(&domain),
            format!(
                "`{}` checks every value of {} in every table that uses it, each table locked while it is read",
                s.head(),
                object(&domain)
            ),
            "add it NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT in a later transaction",
            &s.file,
            s.line,
        );
    }
}
