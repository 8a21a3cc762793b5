//! ## What it does
//! Finds `DROP VIEW`, `DROP MATERIALIZED VIEW`, `DROP FUNCTION`, `DROP PROCEDURE`,
//! `DROP TYPE`, `DROP DOMAIN`, `DROP SEQUENCE`, `DROP SCHEMA` and `DROP TRIGGER` of an object
//! that the migration did not create itself.
//!
//! ## Why it matters
//! The application version still running during the deployment calls the function, reads the
//! view, casts to the type: those queries fail from the commit on. `CASCADE` also drops what
//! depends on the object, which the statement does not name.
//!
//! ## Example
//! ```sql
//! DROP VIEW active_customers;
//! ```
//!
//! ## Fix
//! Stop using the object in a released version first, then drop it in a later migration,
//! without `CASCADE`.

use crate::migration::{qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

const KINDS: [&[&str]; 9] = [
    &["VIEW"],
    &["MATERIALIZED", "VIEW"],
    &["FUNCTION"],
    &["PROCEDURE"],
    &["TYPE"],
    &["DOMAIN"],
    &["SEQUENCE"],
    &["SCHEMA"],
    &["TRIGGER"],
];

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for (i, s) in m.statements.iter().enumerate() {
        if s.kw(0) != Some("DROP") {
            continue;
        }
        let Some(kind) = KINDS
            .iter()
            .find(|k| k.iter().enumerate().all(|(j, w)| s.kw(1 + j) == Some(*w)))
        else {
            continue;
        };
        let mut j = 1 + kind.len();
        if s.kw(j) == Some("IF") && s.kw(j + 1) == Some("EXISTS") {
            j += 2;
        }
        let Some((parts, _)) = qualified_name(&s.tokens, j) else {
            continue;
        };
        let name = table_key(&parts);
        let kind_sql = kind.join(" ");
        // Created earlier in the same file: nothing outside the migration uses it yet.
        let created = m.statements[..i].iter().any(|e| {
            e.file_index == s.file_index
                && e.kw(0) == Some("CREATE")
                && e.has_kw(kind.last().copied().unwrap_or_default())
                && e.tokens
                    .iter()
                    .any(|t| t.ident() == parts.last().map(String::as_str))
        });
        if created {
            continue;
        }
        let cascade = if s.has_kw("CASCADE") {
            ", and CASCADE drops what depends on it too"
        } else {
            ""
        };
        // A trigger is named within its table: `public.orders.orders_audit`.
        let shown = match s.tokens.iter().position(|t| t.kw() == Some("ON")) {
            Some(on) if kind_sql == "TRIGGER" => qualified_name(&s.tokens, on + 1).map_or_else(
                || object(&name),
                |(p, _)| format!("{}.{name}", object(&table_key(&p))),
            ),
            _ => object(&name),
        };
        r.add_at(
            shown.clone(),
            format!(
                "dropping {} {} breaks application versions that still use it{cascade}",
                kind_sql.to_lowercase(),
                shown
            ),
            "stop using it in a released version, then drop it in a later migration, without CASCADE",
            &s.file,
            s.line,
        );
    }
}
