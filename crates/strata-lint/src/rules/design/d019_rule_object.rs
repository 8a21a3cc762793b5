//! ## What it does
//! Finds rules (`CREATE RULE`) on tables and views, other than the `_RETURN` rule every view
//! has.
//!
//! ## Why it matters
//! Rules rewrite queries before they run, in ways that surprise: a rule on `INSERT` can run its
//! action once per statement rather than per row, `RETURNING` and `COPY` ignore or break them,
//! and volatile functions in them run more often than written. PostgreSQL's advice is "Don't use
//! rules"; triggers do the same job predictably.
//!
//! ## Example
//! ```sql
//! CREATE RULE log_insert AS ON INSERT TO orders DO ALSO INSERT INTO order_log VALUES (NEW.id);
//! ```
//! Use instead: an `AFTER INSERT ... FOR EACH ROW` trigger.
//!
//! ## Fix
//! Replace the rule with a trigger (or, for an updatable view, an `INSTEAD OF` trigger) and
//! `DROP RULE` it.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for v in &cx.model.verbatim {
        if v.kind == "rule" {
            r.add(
                v.name.clone(),
                format!("rule {} rewrites queries", v.name),
                "replace it with a trigger",
            );
        }
    }
}
