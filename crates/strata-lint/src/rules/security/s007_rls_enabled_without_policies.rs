//! ## What it does
//! Finds tables with row-level security enabled and no policy.
//!
//! ## Why it matters
//! With RLS on and no policy, PostgreSQL denies every row to everyone but the owner (and, when
//! forced, to the owner too). It is usually a forgotten `CREATE POLICY`, found when the
//! application's queries start returning nothing.
//!
//! ## Example
//! ```sql
//! CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
//! ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
//! ```
//! Use instead: add `CREATE POLICY projects_tenant ON projects USING (tenant_id =
//! current_setting('app.tenant_id')::uuid);`
//!
//! ## Fix
//! Create the policies the table needs, or disable RLS if deny-all is not meant.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        if t.rls_enabled && t.policies.is_empty() {
            r.add(
                obj(&t.name),
                format!(
                    "{} has row-level security enabled and no policy: every row is hidden",
                    obj(&t.name)
                ),
                "create the policies the table needs (or disable row-level security)",
            );
        }
    }
}
