//! ## What it does
//! Finds columns that look like they store a secret in the clear: named `password`, `passwd`,
//! `secret`, `token`, `api_key`, `access_token`, `refresh_token`, `private_key` or
//! `client_secret` (alone or as the end of the name), of a text or binary type, and not marked
//! as a hash or ciphertext (`_hash`, `_digest`, `_encrypted`, `_enc`, `_ciphertext` in the
//! name).
//!
//! ## Why it matters
//! A database is copied to backups, replicas, analytics warehouses and laptops. A plain-text
//! password or token in it is a credential leak waiting for any of those copies to leak.
//! Passwords must be stored as a slow salted hash (argon2, bcrypt, scrypt), tokens as a hash
//! that a presented token is compared to.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, password text NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);
//! ```
//!
//! ## Fix
//! Store a hash (`password_hash`), computed by the application; for a secret the application
//! must read back, store it encrypted with a key kept outside the database.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const SECRET: [&str; 10] = [
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "access_token",
    "refresh_token",
    "private_key",
    "client_secret",
];

const PROTECTED: [&str; 6] = ["hash", "digest", "encrypted", "enc", "ciphertext", "hashed"];

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            let textual = builtin_base(&c.data_type).is_some_and(|b| {
                matches!(
                    b.as_ref(),
                    "text" | "character varying" | "character" | "bytea"
                )
            });
            let protected = c.name.split('_').any(|w| PROTECTED.contains(&w))
                || c.origin.semantic.as_deref() == Some("password_hash");
            if textual && named_like(&c.name, &SECRET) && !protected {
                r.add(
                    member(t, &c.name),
                    format!(
                        "{} looks like a secret stored in plain text",
                        member(t, &c.name)
                    ),
                    "store a salted hash (password_hash) or a ciphertext, never the secret itself",
                );
            }
        }
    }
}
