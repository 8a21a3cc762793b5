//! ## What it does
//! Finds views that read a table with row-level security and are not `security_invoker`
//! (PostgreSQL 15+).
//!
//! ## Why it matters
//! A view reads its tables with the privileges of the view's owner, and row-level security is
//! checked against the owner too, who usually owns the table and so passes every policy. An
//! application that reads through such a view sees every tenant's rows: the view silently
//! switches isolation off.
//!
//! ## Example
//! ```sql
//! CREATE VIEW open_projects AS SELECT id, name FROM projects WHERE NOT archived;
//! ```
//! Use instead:
//! ```sql
//! CREATE VIEW open_projects WITH (security_invoker = true) AS
//!   SELECT id, name FROM projects WHERE NOT archived;
//! ```
//!
//! ## Fix
//! `ALTER VIEW open_projects SET (security_invoker = true);` (PostgreSQL 15+), or filter by the
//! tenant inside the view.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// Whether `definition` (printed with every name qualified) reads `table`.
fn reads(definition: &str, table: &QualifiedName) -> bool {
    let text = definition.replace('"', "");
    let name = format!("{}.{}", table.schema, table.name);
    text.match_indices(&name).any(|(i, m)| {
        let after = text[i + m.len()..].chars().next();
        let before = text[..i].chars().next_back();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

fn check(cx: &Context, r: &mut Report) {
    let protected: Vec<&Table> = cx.model.tables.iter().filter(|t| t.rls_enabled).collect();
    for v in &cx.model.views {
        let invoker = v.options.iter().any(|o| {
            o.eq_ignore_ascii_case("security_invoker=true")
                || o.eq_ignore_ascii_case("security_invoker=on")
        });
        if invoker {
            continue;
        }
        let read: Vec<String> = protected
            .iter()
            .filter(|t| reads(&v.definition, &t.name))
            .map(|t| obj(&t.name))
            .collect();
        if !read.is_empty() {
            r.add(
                obj(&v.name),
                format!(
                    "view {} reads {} as its owner, past row-level security",
                    obj(&v.name),
                    read.join(", ")
                ),
                format!(
                    "ALTER VIEW {} SET (security_invoker = true)",
                    v.name.quoted()
                ),
            );
        }
    }
}
