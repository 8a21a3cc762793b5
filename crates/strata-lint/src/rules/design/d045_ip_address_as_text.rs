//! ## What it does
//! Finds IP addresses stored as text: columns named `ip`, `ip_address`, `ip_addr` or ending in
//! `_ip` of a text type.
//!
//! ## Why it matters
//! As text, `10.0.0.1` and `10.000.000.001` differ, any string is accepted, and "addresses in
//! this network" cannot be asked. The `inet` type validates IPv4 and IPv6, takes 7 or 19 bytes,
//! and has containment operators (`<<`) with GiST index support.
//!
//! ## Example
//! ```sql
//! CREATE TABLE logins (id bigint PRIMARY KEY, client_ip text NOT NULL);
//! ```
//! Use instead: `client_ip inet NOT NULL`.
//!
//! ## Fix
//! `ALTER TABLE logins ALTER COLUMN client_ip TYPE inet USING client_ip::inet;`

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            let textual = builtin_base(&c.data_type)
                .is_some_and(|b| matches!(b.as_ref(), "text" | "character varying" | "character"))
                && c.data_type.array_dims == 0;
            if textual && named_like(&c.name, &["ip", "ip_address", "ip_addr"]) {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} stores an IP address as {}",
                        member(t, &c.name),
                        c.data_type.name
                    ),
                    "use the inet type",
                );
            }
        }
    }
}
