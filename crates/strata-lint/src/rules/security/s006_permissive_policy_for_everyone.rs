//! ## What it does
//! Finds permissive row-level security policies that let every row through for everyone: a
//! `USING` (and `WITH CHECK`) that is `true` or absent, for `PUBLIC` (no `TO` roles).
//!
//! ## Why it matters
//! Permissive policies are combined with OR: one policy that is true for everyone makes every
//! other policy of that command irrelevant, and the table is as open as without RLS while
//! looking protected.
//!
//! ## Example
//! ```sql
//! CREATE POLICY projects_all ON projects USING (true);
//! ```
//! Use instead:
//! ```sql
//! CREATE POLICY projects_tenant ON projects
//!   USING (tenant_id = current_setting('app.tenant_id')::uuid);
//! ```
//!
//! ## Fix
//! Restrict the policy with a condition on the row, or to the roles that may see everything
//! (`TO admin`).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn always(expr: &Option<String>) -> bool {
    match expr.as_deref() {
        None => true,
        Some(e) => conjuncts(e).iter().all(|c| c == "true"),
    }
}

fn check(cx: &Context, r: &mut Report) {
    for t in &cx.model.tables {
        for p in &t.policies {
            let public =
                p.roles.is_empty() || p.roles.iter().any(|r| r.eq_ignore_ascii_case("public"));
            let open = match p.command {
                PolicyCommand::Insert => always(&p.with_check),
                PolicyCommand::Select | PolicyCommand::Delete => always(&p.using),
                PolicyCommand::All | PolicyCommand::Update => {
                    always(&p.using) && (p.with_check.is_none() || always(&p.with_check))
                }
            };
            if p.permissive && public && open {
                r.add(
                    member(t, &p.name),
                    format!(
                        "policy {} on {} lets every row through for every role ({})",
                        p.name,
                        obj(&t.name),
                        p.command.sql()
                    ),
                    "give the policy a condition on the row, or limit it TO the roles that may see every row",
                );
            }
        }
    }
}
