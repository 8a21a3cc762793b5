//! Grants: privileges that differ from an object's defaults (see `queries/grants.sql`).

use std::collections::BTreeMap;

use strata_model::{Grant, QualifiedName};

use super::{Context, IntrospectError, get};

/// PostgreSQL's privilege order, so grouped privileges print the same way every time.
const ORDER: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
    "USAGE",
    "CREATE",
    "EXECUTE",
    "MAINTAIN",
];

pub fn read(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "grants";
    // (kind, object, grantee, grantable) → privileges
    type Key = (String, QualifiedName, String, bool);
    let mut grouped: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for row in cx.query(Q, include_str!("queries/grants.sql"))? {
        let kind: String = get(&row, Q, "kind")?;
        let schema: String = get(&row, Q, "schema")?;
        let name: String = get(&row, Q, "name")?;
        let column: Option<String> = get(&row, Q, "col")?;
        let args: Option<String> = get(&row, Q, "args")?;
        let op: String = get(&row, Q, "op")?;
        let grantee: String = get(&row, Q, "grantee")?;
        let privilege: String = get(&row, Q, "privilege")?;
        let grantable: bool = get(&row, Q, "is_grantable")?;
        let object = if kind == "SCHEMA" {
            QualifiedName::new("", name.clone())
        } else {
            QualifiedName::new(schema.clone(), name.clone())
        };
        if kind != "SCHEMA" && cx.excluded(&object) {
            continue;
        }
        let mut shown = if kind == "SCHEMA" {
            name.clone()
        } else {
            format!("{schema}.{name}")
        };
        if let Some(c) = &column {
            shown = format!("{shown}.{c}");
        }
        if let Some(a) = &args {
            shown = format!("{shown}({a})");
        }
        if op == "revoke" {
            cx.warn(
                kind.to_ascii_lowercase(),
                shown,
                format!(
                    "{privilege} is revoked from {grantee}; the model holds grants only, so the default applies"
                ),
            );
            continue;
        }
        if column.is_some() {
            cx.warn(
                "column",
                shown,
                format!("column privilege {privilege} for {grantee} is not modelled"),
            );
            continue;
        }
        if (kind == "FUNCTION" || kind == "PROCEDURE")
            && cx
                .model
                .functions
                .iter()
                .filter(|f| f.name == object)
                .count()
                != 1
        {
            cx.warn(
                "function",
                shown,
                format!(
                    "{privilege} for {grantee} is not modelled (grants name a function by name only, and this one is overloaded or not modelled)"
                ),
            );
            continue;
        }
        grouped
            .entry((kind, object, grantee, grantable))
            .or_default()
            .push(privilege);
    }
    for ((kind, object, grantee, grantable), mut privileges) in grouped {
        privileges.sort_by_key(|p| ORDER.iter().position(|o| o == p).unwrap_or(ORDER.len()));
        privileges.dedup();
        cx.model.grants.push(Grant {
            object_kind: kind,
            object,
            privileges,
            grantee,
            with_grant_option: grantable,
        });
    }
    Ok(())
}
