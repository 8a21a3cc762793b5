//! Grants: privileges that differ from an object's defaults (see `queries/grants.sql`).

use std::collections::BTreeMap;

use strata_model::{Grant, QualifiedName, VerbatimObject, VerbatimStage, quote_ident};

use super::{Context, IntrospectError, get};

/// `TABLE public.t`, `FUNCTION public.f(integer)`, `SCHEMA app`: what a GRANT is on.
fn acl_target(kind: &str, schema: &str, name: &str, args: Option<&str>) -> String {
    let qualified = format!("{}.{}", quote_ident(schema), quote_ident(name));
    match kind {
        "SCHEMA" => format!("SCHEMA {}", quote_ident(name)),
        "FUNCTION" | "PROCEDURE" => format!("{kind} {qualified}({})", args.unwrap_or("")),
        other => format!("{other} {qualified}"),
    }
}

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
        // What a model grant cannot say — a revoked default, a column privilege, a routine
        // named by its signature (overloaded, or carried as SQL) — is carried as SQL.
        let by_signature = (kind == "FUNCTION" || kind == "PROCEDURE")
            && cx
                .model
                .functions
                .iter()
                .filter(|f| f.name == object)
                .count()
                != 1;
        if op == "revoke" || column.is_some() || by_signature {
            let target = acl_target(&kind, &schema, &name, args.as_deref());
            let columns = column
                .as_ref()
                .map(|c| format!(" ({})", quote_ident(c)))
                .unwrap_or_default();
            let role = if grantee == "public" {
                "PUBLIC".to_string()
            } else {
                quote_ident(&grantee)
            };
            let option = if grantable { " WITH GRANT OPTION" } else { "" };
            let grant = format!("GRANT {privilege}{columns} ON {target} TO {role}{option};");
            let revoke = format!("REVOKE {privilege}{columns} ON {target} FROM {role};");
            let on = column.is_some().then(|| object.clone());
            let (kind, name, sql, drop) = if op == "revoke" {
                (
                    "revoked default",
                    format!("{privilege} on {shown} from {grantee}"),
                    revoke,
                    grant,
                )
            } else {
                (
                    "grant",
                    format!("{privilege} on {shown} to {grantee}"),
                    grant,
                    revoke,
                )
            };
            cx.model.verbatim.push(VerbatimObject {
                kind: kind.to_string(),
                name,
                stage: VerbatimStage::Last,
                sql,
                drop,
                on,
            });
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
