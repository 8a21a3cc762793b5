//! ## What it does
//! Finds enum types that no column, domain, routine signature or other type uses.
//!
//! ## Why it matters
//! A type nothing uses is left over from a removed column or an abandoned change; it makes the
//! schema say more than it holds, appears in generated code and documentation, and blocks a
//! later type of the same name.
//!
//! ## Example
//! ```sql
//! CREATE TYPE task_state AS ENUM ('todo', 'done');
//! CREATE TABLE tasks (id bigint PRIMARY KEY, completed boolean NOT NULL);
//! ```
//! Use instead: drop the type.
//!
//! ## Fix
//! `DROP TYPE task_state;`

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    let m = cx.model;
    for e in &m.enums {
        let is_it = |t: &TypeRef| t.qualified().as_ref() == Some(&e.name);
        let bare = e.name.name.as_str();
        let in_text = |s: &str| {
            s.match_indices(bare).any(|(i, _)| {
                let before = s[..i].chars().next_back();
                let after = s[i + bare.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !word(before) && !word(after)
            })
        };
        let used = m
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .any(|c| is_it(&c.data_type))
            || m.domains.iter().any(|d| is_it(&d.base))
            || m.functions
                .iter()
                .any(|f| in_text(&f.arguments) || in_text(&f.returns) || in_text(&f.body))
            || m.views.iter().any(|v| in_text(&v.definition))
            || m.verbatim.iter().any(|v| in_text(&v.sql))
            || m.raw_sql.iter().any(|s| in_text(&s.sql));
        if !used {
            r.add(
                obj(&e.name),
                format!("enum {} is used by nothing", obj(&e.name)),
                format!("drop it (DROP TYPE {})", e.name.quoted()),
            );
        }
    }
}
