//! ## What it does
//! Finds columns of a floating-point type (`real`, `double precision`) whose names say they
//! hold money: `price`, `amount`, `total`, `cost`, `balance`, `fee`, `subtotal`, `tax`,
//! `discount`, `salary` (alone or as the end of the name).
//!
//! ## Why it matters
//! Binary floating point cannot represent most decimal fractions: 0.1 + 0.2 is not 0.3, sums
//! drift by cents, and two totals that should be equal compare unequal.
//!
//! ## Example
//! ```sql
//! CREATE TABLE invoices (id bigint PRIMARY KEY, total double precision NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12, 2) NOT NULL);
//! ```
//!
//! ## Fix
//! `ALTER TABLE invoices ALTER COLUMN total TYPE numeric(12, 2);` (rewrites the table), or store
//! integer cents in a `bigint`.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const MONEY: [&str; 10] = [
    "price", "amount", "total", "cost", "balance", "fee", "subtotal", "tax", "discount", "salary",
];

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            let float =
                builtin_base(&c.data_type).is_some_and(|b| b == "real" || b == "double precision");
            if float && named_like(&c.name, &MONEY) {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} holds money in a {}",
                        member(t, &c.name),
                        c.data_type.name
                    ),
                    "use numeric(p, s), or integer cents in a bigint",
                );
            }
        }
    }
}
