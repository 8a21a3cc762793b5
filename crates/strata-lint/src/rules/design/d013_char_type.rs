//! ## What it does
//! Finds columns of type `char(n)` (`character`, `bpchar`).
//!
//! ## Why it matters
//! `char(n)` pads values with spaces to the length, and those spaces are ignored by some
//! operations and not by others, so comparisons, `LIKE` and concatenation surprise. It is no
//! faster than `text` and takes more space. PostgreSQL's advice is "Don't use char(n)".
//!
//! ## Example
//! ```sql
//! CREATE TABLE countries (code char(2) PRIMARY KEY);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2));
//! ```
//!
//! ## Fix
//! Change the column to `text` with a CHECK on its length.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    columns_of_type(
        cx.model,
        "character",
        r,
        |t, c| {
            format!(
                "column {} is char(n), which pads with spaces",
                member(t, &c.name)
            )
        },
        "use text (with a CHECK on the length when one is wanted)",
    );
}
