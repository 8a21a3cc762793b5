//! ## What it does
//! Finds `DROP DATABASE`.
//!
//! ## Why it matters
//! A migration runs against whatever database its connection names: a `DROP DATABASE` in one
//! deletes every schema and row of that database (or of a neighbour named in it), and it
//! cannot be rolled back.
//!
//! ## Example
//! ```sql
//! DROP DATABASE IF EXISTS reporting;
//! ```
//!
//! ## Fix
//! Keep database creation and removal out of migrations, in the provisioning of the
//! environment.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for s in &cx.migration.statements {
        if !s.starts(&["DROP", "DATABASE"]) {
            continue;
        }
        let i = if s.kw(2) == Some("IF") { 4 } else { 2 };
        let name = s
            .tokens
            .get(i)
            .and_then(Token::ident)
            .map_or_else(|| s.head(), str::to_string);
        r.add_at(
            name.clone(),
            format!(
                "`{}` deletes the database {name} and everything in it",
                s.head()
            ),
            "remove it from the migration; manage databases where environments are provisioned",
            &s.file,
            s.line,
        );
    }
}
