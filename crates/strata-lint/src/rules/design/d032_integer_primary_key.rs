//! ## What it does
//! Finds single-column primary keys of type `integer` or `smallint` filled from a sequence
//! (an identity column or a `nextval` default).
//!
//! ## Why it matters
//! An `integer` key runs out at 2,147,483,647 rows ever inserted (deleted rows and failed
//! inserts use values too). Changing the type of a primary key later rewrites the table and
//! every table that references it, under an exclusive lock: the outage comes exactly when the
//! table is largest. A `bigint` costs four bytes more per row.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
//! ```
//!
//! ## Fix
//! Use `bigint` for new tables; for an existing one, plan the change while it is small.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let Some(pk) = &t.primary_key else { continue };
        let [col] = pk.columns.as_slice() else {
            continue;
        };
        let Some(c) = t.column(col) else { continue };
        let narrow = builtin_base(&c.data_type).is_some_and(|b| b == "integer" || b == "smallint")
            && c.data_type.array_dims == 0;
        let generated =
            c.identity.is_some() || c.default.as_deref().is_some_and(|d| d.contains("nextval("));
        if narrow && generated {
            r.add(
                member(t, &c.name),
                format!(
                    "primary key {} is {}, which a sequence exhausts",
                    member(t, &c.name),
                    c.data_type.name
                ),
                "use bigint",
            );
        }
    }
}
