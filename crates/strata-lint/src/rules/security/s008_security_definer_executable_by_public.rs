//! ## What it does
//! Finds `SECURITY DEFINER` functions that every role may execute: `EXECUTE` was not revoked
//! from `PUBLIC`, which has it by default. Trigger functions are left out: they cannot be
//! called directly.
//!
//! ## Why it matters
//! A security definer function runs with its owner's rights; leaving it executable by
//! `PUBLIC` hands those rights, within what the function does, to every role, including ones
//! created later for other purposes. PostgreSQL's documentation advises revoking the default
//! and granting to the roles that need it.
//!
//! ## Example
//! ```sql
//! CREATE FUNCTION purge_tenant(t uuid) RETURNS void LANGUAGE sql SECURITY DEFINER
//!   SET search_path = pg_catalog, pg_temp AS $$ DELETE FROM public.projects WHERE tenant_id = t $$;
//! ```
//! Use instead: add
//! ```sql
//! REVOKE EXECUTE ON FUNCTION purge_tenant(uuid) FROM PUBLIC;
//! GRANT EXECUTE ON FUNCTION purge_tenant(uuid) TO admin;
//! ```
//!
//! ## Fix
//! `REVOKE EXECUTE ON FUNCTION ... FROM PUBLIC` and grant it to the roles that need it.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for f in &cx.model.functions {
        if !f.security_definer || f.returns == "trigger" || f.returns == "event_trigger" {
            continue;
        }
        let qualified = obj(&f.name);
        let revoked = cx.model.verbatim.iter().any(|v| {
            v.kind == "revoked default"
                && v.name.starts_with("EXECUTE on ")
                && v.name.ends_with(" from public")
                && v.name["EXECUTE on ".len()..].starts_with(&format!("{qualified}("))
        });
        if !revoked {
            let name = format!("{qualified}({})", f.arguments);
            r.add(
                name.clone(),
                format!("SECURITY DEFINER function {name} is executable by PUBLIC"),
                format!("REVOKE EXECUTE ON FUNCTION {name} FROM PUBLIC and grant it to the roles that need it"),
            );
        }
    }
}
