//! ## What it does
//! Finds columns of type `varchar(n)` (`character varying` with a length).
//!
//! ## Why it matters
//! `varchar(n)` is stored exactly like `text`; the limit is a constraint that cannot be named,
//! whose error message names no rule, and raising it is an `ALTER COLUMN TYPE`. A `CHECK
//! (char_length(col) <= n)` on `text` says the same, can be changed with `NOT VALID` +
//! `VALIDATE` without blocking writes, and reads as a rule of the design.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100) NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE users (
//!   id bigint PRIMARY KEY,
//!   name text NOT NULL CONSTRAINT users_name_length CHECK (char_length(name) <= 100)
//! );
//! ```
//!
//! ## Fix
//! Change the column to `text` and add the length as a named CHECK constraint. Keep
//! `varchar(n)` only where a tool insists on it.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            // A bare `varchar` has no limit: it is `text` under another name.
            if builtin_base(&c.data_type).as_deref() == Some("character varying")
                && c.data_type.name.contains('(')
            {
                r.add(
                    member(t, &c.name),
                    format!("column {} is {}", member(t, &c.name), c.data_type.name),
                    "use text, with a CHECK (char_length(col) <= n) constraint when a limit is wanted",
                );
            }
        }
    }
}
