//! Names: entities from tables, fields from columns, and the designer's derived names, so the
//! printer can tell a conventional name (left implicit) from one that must be spelled out.

use heck::{ToSnakeCase, ToUpperCamelCase};
use strata_design::names::{fit, pluralize, singularize};

use crate::build::is_plain_ident;

/// Member keywords that a field of that name could be mistaken for (see strata-lang's
/// member parser): such fields get another name and `map` to the column.
const MEMBER_KEYWORDS: &[&str] = &[
    "use",
    "index",
    "unique",
    "check",
    "exclude",
    "primary",
    "soft_delete",
    "audit",
    "rows",
    "access",
    "partition",
    "distribute",
    "tenant",
    "policy",
    "grant",
    "table",
    "conventions",
];

pub fn snake(s: &str) -> String {
    s.to_snake_case()
}

/// Whether `name` written in `.strata` lowers to exactly `name` (no case or word changes).
pub fn stable(name: &str) -> bool {
    is_plain_ident(name) && snake(name) == name
}

/// Whether a field called `name` can be written without being read as a member keyword.
pub fn field_name_ok(name: &str, raw_type: bool) -> bool {
    stable(name) && name != "use" && !(raw_type && MEMBER_KEYWORDS.contains(&name))
}

/// The entity name for a table and which naming conventions derive the table name from it.
pub fn entity_for_table(table: &str) -> (String, bool, bool) {
    let singular = singularize(table);
    let entity = singular.to_upper_camel_case();
    let entity = if is_plain_ident(&entity) && !entity.is_empty() {
        entity
    } else {
        let cleaned = strata_design::names::sanitize(table).to_upper_camel_case();
        if cleaned.is_empty() || !is_plain_ident(&cleaned) {
            format!("T{}", cleaned)
        } else {
            cleaned
        }
    };
    let base = snake(&entity);
    (entity.clone(), pluralize(&base) == table, base == table)
}

pub fn fk_name(table: &str, columns: &[String]) -> String {
    fit(&format!("{table}_{}_fkey", columns.join("_")))
}

pub fn unique_name(table: &str, columns: &[String]) -> String {
    fit(&format!("{table}_{}_key", columns.join("_")))
}

pub fn pkey_name(table: &str) -> String {
    fit(&format!("{table}_pkey"))
}

pub fn fk_index_name(table: &str, columns: &[String]) -> String {
    fit(&format!("idx_{table}_{}", columns.join("_")))
}

pub fn column_check_name(table: &str, column: &str, suffix: &str) -> String {
    fit(&format!("{table}_{column}_{suffix}"))
}

/// A fresh identifier from `base` that is not in `taken`.
pub fn fresh(base: &str, taken: &std::collections::HashSet<String>) -> String {
    let mut clean = strata_design::names::sanitize(base);
    if clean.is_empty() || !clean.starts_with(|c: char| c.is_ascii_alphabetic()) {
        clean = format!("x_{clean}");
    }
    let clean = clean.trim_end_matches('_').to_string();
    if !taken.contains(&clean) && clean != "use" {
        return clean;
    }
    let mut n = 2;
    loop {
        let c = format!("{clean}_{n}");
        if !taken.contains(&c) {
            return c;
        }
        n += 1;
    }
}
