//! Privileges: `GRANT ... ON ... TO ...`.
//!
//! The object kind and privileges are key words spliced into the statement, so they are
//! checked against PostgreSQL's lists rather than printed as given.

use strata_model::{Grant, Model, quote_ident};

use crate::RenderError;
use crate::function::function_signature;
use crate::util::render_role;

const PRIVILEGES: &[&str] = &[
    "ALL",
    "ALL PRIVILEGES",
    "ALTER SYSTEM",
    "CONNECT",
    "CREATE",
    "DELETE",
    "EXECUTE",
    "INSERT",
    "MAINTAIN",
    "REFERENCES",
    "SELECT",
    "SET",
    "TEMP",
    "TEMPORARY",
    "TRIGGER",
    "TRUNCATE",
    "UPDATE",
    "USAGE",
];

/// The `ON` clause for a grant's object, or why the kind is not supported.
fn object_clause(grant: &Grant, model: &Model) -> Result<String, String> {
    let kind = grant.object_kind.trim().to_ascii_uppercase();
    let object = &grant.object;
    match kind.as_str() {
        // Views, materialized views and foreign tables are granted on as tables.
        "TABLE" | "VIEW" | "MATERIALIZED VIEW" | "FOREIGN TABLE" => {
            Ok(format!("TABLE {}", object.quoted()))
        }
        "SEQUENCE" => Ok(format!("SEQUENCE {}", object.quoted())),
        "TYPE" | "DOMAIN" => Ok(format!("{kind} {}", object.quoted())),
        // A schema's name is `object.name` (or `object.schema` when the name is empty).
        "SCHEMA" => {
            let name = if object.name.is_empty() {
                &object.schema
            } else {
                &object.name
            };
            Ok(format!("SCHEMA {}", quote_ident(name)))
        }
        "FUNCTION" | "PROCEDURE" | "ROUTINE" => {
            // With exactly one function of that name in the model, name it by signature;
            // otherwise rely on PostgreSQL resolving the bare name.
            let mut matches = model.functions.iter().filter(|f| &f.name == object);
            match (matches.next(), matches.next()) {
                (Some(f), None) => Ok(format!("{kind} {}", function_signature(f))),
                _ => Ok(format!("{kind} {}", object.quoted())),
            }
        }
        _ => Err(format!("unsupported object kind {:?}", grant.object_kind)),
    }
}

/// `GRANT privileges ON kind object TO grantee [WITH GRANT OPTION];`
pub fn render_grant(grant: &Grant, model: &Model) -> Result<String, RenderError> {
    let invalid = |reason: String| RenderError::Invalid {
        object: format!("grant on {} to {}", grant.object.quoted(), grant.grantee),
        reason,
    };
    if grant.privileges.is_empty() {
        return Err(invalid("no privileges".to_string()));
    }
    let mut privileges = Vec::new();
    for privilege in &grant.privileges {
        let normalized = privilege
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase();
        if !PRIVILEGES.contains(&normalized.as_str()) {
            return Err(invalid(format!("unknown privilege {privilege:?}")));
        }
        privileges.push(normalized);
    }
    let on = object_clause(grant, model).map_err(invalid)?;
    let option = if grant.with_grant_option {
        " WITH GRANT OPTION"
    } else {
        ""
    };
    Ok(format!(
        "GRANT {} ON {on} TO {}{option};",
        privileges.join(", "),
        render_role(&grant.grantee)
    ))
}
