//! Row-level security: `ALTER TABLE ... ENABLE|FORCE ROW LEVEL SECURITY`, `CREATE POLICY`.

use strata_model::{Policy, QualifiedName, Table, quote_ident};

use crate::util::render_role;

/// `ENABLE` and `FORCE ROW LEVEL SECURITY` statements, as the table asks.
pub fn render_rls(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if table.rls_enabled {
        out.push(format!(
            "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
            table.name.quoted()
        ));
    }
    if table.rls_forced {
        out.push(format!(
            "ALTER TABLE {} FORCE ROW LEVEL SECURITY;",
            table.name.quoted()
        ));
    }
    out
}

/// `CREATE POLICY name ON table AS PERMISSIVE|RESTRICTIVE FOR cmd TO roles|PUBLIC
/// [USING (...)] [WITH CHECK (...)];`
pub fn render_policy(table: &QualifiedName, policy: &Policy) -> String {
    let kind = if policy.permissive {
        "PERMISSIVE"
    } else {
        "RESTRICTIVE"
    };
    let roles = if policy.roles.is_empty() {
        "PUBLIC".to_string()
    } else {
        policy
            .roles
            .iter()
            .map(|r| render_role(r))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!(
        "CREATE POLICY {} ON {}\n    AS {kind}\n    FOR {}\n    TO {roles}",
        quote_ident(&policy.name),
        table.quoted(),
        policy.command.sql()
    );
    if let Some(using) = &policy.using {
        out.push_str(&format!("\n    USING ({})", using.trim()));
    }
    if let Some(check) = &policy.with_check {
        out.push_str(&format!("\n    WITH CHECK ({})", check.trim()));
    }
    out.push(';');
    out
}
