//! ## What it does
//! Finds `SECURITY DEFINER` functions that do not fix `search_path` with a `SET search_path`
//! clause.
//!
//! ## Why it matters
//! A security definer function runs with its owner's privileges but resolves unqualified names
//! through the caller's `search_path`. A caller who can create objects in any schema on that
//! path (or in `pg_temp`) can put a function or operator there that the definer function then
//! calls with the owner's rights. PostgreSQL's documentation on `CREATE FUNCTION` calls this
//! out as the way to write such functions safely.
//!
//! ## Example
//! ```sql
//! CREATE FUNCTION app.current_tenant() RETURNS uuid
//!   LANGUAGE sql SECURITY DEFINER
//!   AS $$ SELECT tenant_id FROM app.sessions WHERE token = current_setting('app.token') $$;
//! ```
//! Use instead: add `SET search_path = pg_catalog, pg_temp` (and qualify every name in the
//! body).
//!
//! ## Fix
//! `ALTER FUNCTION app.current_tenant() SET search_path = pg_catalog, pg_temp;` and
//! schema-qualify the objects the body uses.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for f in &cx.model.functions {
        if f.security_definer && !f.config.iter().any(|c| c.starts_with("search_path=")) {
            let name = format!("{}({})", obj(&f.name), f.arguments);
            r.add(
                name.clone(),
                format!("SECURITY DEFINER function {name} does not set search_path"),
                "add SET search_path = pg_catalog, pg_temp to the function and qualify the names it uses",
            );
        }
    }
}
