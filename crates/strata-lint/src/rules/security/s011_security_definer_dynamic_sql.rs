//! ## What it does
//! Finds PL/pgSQL `SECURITY DEFINER` functions that run dynamic SQL built by concatenation:
//! an `EXECUTE` whose statement is assembled with `||` rather than `format()` with `%I`/`%L`
//! or parameters (`USING`).
//!
//! ## Why it matters
//! A value concatenated into a statement can end the statement and add its own; in a function
//! that runs with its owner's rights, that is privilege escalation for any caller who controls
//! an argument.
//!
//! ## Example
//! ```sql
//! CREATE FUNCTION purge(tbl text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
//!   SET search_path = pg_catalog AS $$
//! BEGIN EXECUTE 'DELETE FROM ' || tbl; END $$;
//! ```
//! Use instead: `EXECUTE format('DELETE FROM %I', tbl);`
//!
//! ## Fix
//! Build the statement with `format()` (`%I` for names, `%L` for values) or pass values with
//! `EXECUTE ... USING`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// Whether a PL/pgSQL body has an `EXECUTE` whose statement (up to its `;`) concatenates.
fn concatenated_execute(body: &str) -> bool {
    let lower = body.to_lowercase();
    lower.match_indices("execute ").any(|(i, m)| {
        let before = lower[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return false;
        }
        let rest = &lower[i + m.len()..];
        let stmt = rest.split(';').next().unwrap_or("");
        let stmt = stmt.split(" using ").next().unwrap_or(stmt);
        stmt.contains("||")
    })
}

fn check(cx: &Context, r: &mut Report) {
    for f in &cx.model.functions {
        if f.security_definer && f.language == "plpgsql" && concatenated_execute(&f.body) {
            let name = format!("{}({})", obj(&f.name), f.arguments);
            r.add(
                name.clone(),
                format!("SECURITY DEFINER function {name} runs SQL built by concatenation"),
                "build it with format() (%I for names, %L for values) or EXECUTE ... USING",
            );
        }
    }
}
