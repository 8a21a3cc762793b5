//! ## What it does
//! Finds tables with row-level security policies while row-level security is disabled.
//!
//! ## Why it matters
//! Policies do nothing until `ENABLE ROW LEVEL SECURITY`: the table looks protected in the
//! schema and in review, and every role with a privilege on it reads every row. It is usually
//! a migration that forgot the `ALTER TABLE`, or a restore that dropped it.
//!
//! ## Example
//! ```sql
//! CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
//! ```
//! Use instead: add `ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;`
//!
//! ## Fix
//! `ALTER TABLE ... ENABLE ROW LEVEL SECURITY` (and `FORCE`), or drop the policies if the table
//! is meant to be open.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in &cx.model.tables {
        if !t.rls_enabled && !t.policies.is_empty() {
            let names: Vec<&str> = t.policies.iter().map(|p| p.name.as_str()).collect();
            r.add(
                obj(&t.name),
                format!(
                    "{} has policies ({}) but row-level security is disabled: they do nothing",
                    obj(&t.name),
                    names.join(", ")
                ),
                format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY", t.name.quoted()),
            );
        }
    }
}
