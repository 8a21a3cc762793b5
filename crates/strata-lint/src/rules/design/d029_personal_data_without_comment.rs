//! ## What it does
//! Finds columns that hold personal data and have no comment: named (or ending in) `email`,
//! `phone`, `phone_number`, `first_name`, `last_name`, `full_name`, `birth_date`,
//! `date_of_birth`, `address`, `street`, `postal_code`, `ip_address`, `ssn`, `passport_number`,
//! `national_id` or `tax_id`, or typed with the `email` semantic type in `.strata`.
//!
//! ## Why it matters
//! Privacy law and every data-protection review ask where personal data lives, why, and how
//! long it is kept. A comment on the column answers in the schema itself, where `strata docs`,
//! catalog tools and the next engineer read it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
//! ```
//! Use instead: add
//! ```sql
//! COMMENT ON COLUMN users.email IS 'Sign-in address; personal data, deleted with the account.';
//! ```
//!
//! ## Fix
//! `COMMENT ON COLUMN` saying what the data is for and how long it is kept (in `.strata`, a
//! `///` doc comment on the field).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const PERSONAL: [&str; 17] = [
    "email",
    "phone",
    "phone_number",
    "first_name",
    "last_name",
    "full_name",
    "birth_date",
    "date_of_birth",
    "birthday",
    "address",
    "street",
    "postal_code",
    "ip_address",
    "ssn",
    "passport_number",
    "national_id",
    "tax_id",
];

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            let personal =
                named_like(&c.name, &PERSONAL) || c.origin.semantic.as_deref() == Some("email");
            if personal && c.comment.as_deref().is_none_or(|s| s.trim().is_empty()) {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} holds personal data and has no comment",
                        member(t, &c.name)
                    ),
                    "COMMENT ON COLUMN saying what it is for and how long it is kept",
                );
            }
        }
    }
}
