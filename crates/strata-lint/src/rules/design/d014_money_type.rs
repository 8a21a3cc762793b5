//! ## What it does
//! Finds columns of type `money`.
//!
//! ## Why it matters
//! `money` has a fixed number of fractional digits that depends on the `lc_monetary` setting,
//! handles one currency only, and rounds on input and division. A dump restored on a server
//! with another locale reads different amounts.
//!
//! ## Example
//! ```sql
//! CREATE TABLE invoices (id bigint PRIMARY KEY, total money NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12, 2) NOT NULL, currency text NOT NULL);
//! ```
//!
//! ## Fix
//! Use `numeric(p, s)` (and store the currency beside it).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    columns_of_type(
        cx.model,
        "money",
        r,
        |t, c| {
            format!(
                "column {} is money, whose scale follows lc_monetary",
                member(t, &c.name)
            )
        },
        "use numeric(p, s) and a currency column",
    );
}
