//! ## What it does
//! Finds tables with row-level security enabled but not forced (`FORCE ROW LEVEL SECURITY`).
//! A table that a `SECURITY DEFINER` function inserts into (an audit log written by a
//! trigger) is left out: such a table relies on its owner writing past the policies.
//!
//! ## Why it matters
//! Without `FORCE`, the table's owner bypasses every policy. Applications very often connect as
//! the role that owns the tables (the one migrations run as), and then RLS protects nothing;
//! the isolation tests pass only because they use another role.
//!
//! ## Example
//! ```sql
//! ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
//! ```
//!
//! ## Fix
//! `ALTER TABLE projects FORCE ROW LEVEL SECURITY;` (the owner then needs `BYPASSRLS` or a
//! policy for maintenance work).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let written_by_definer = cx
            .model
            .functions
            .iter()
            .any(|f| f.security_definer && inserts_into(&f.body, &t.name));
        if t.rls_enabled && !t.rls_forced && !written_by_definer {
            r.add(
                obj(&t.name),
                format!(
                    "row-level security on {} is not forced: its owner bypasses the policies",
                    obj(&t.name)
                ),
                format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY", t.name.quoted()),
            );
        }
    }
}

/// Whether a routine body inserts into `table` (named qualified or not, quoted or not).
fn inserts_into(body: &str, table: &QualifiedName) -> bool {
    let text = body.to_lowercase().replace('"', "");
    let name = table.name.to_lowercase();
    let qualified = format!("{}.{name}", table.schema.to_lowercase());
    text.match_indices("insert into ").any(|(i, m)| {
        let rest = &text[i + m.len()..];
        let target = rest
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        target == name || target == qualified
    })
}
