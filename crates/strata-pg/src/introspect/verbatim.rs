//! Objects carried as the SQL that creates them: procedural languages, base types, collations, composite and range types, text
//! search objects, operators, casts, access methods, operator families and classes,
//! conversions, procedures and routines the model does not break down, statistics objects,
//! rules, triggers on views, constraint triggers, triggers with transition tables,
//! publications and event triggers (see [`strata_model::VerbatimObject`]).

use strata_model::{QualifiedName, VerbatimObject, VerbatimStage};

use super::{Context, IntrospectError, get};

pub fn read(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "verbatim";
    for row in cx.query(Q, include_str!("queries/verbatim.sql"))? {
        let stage = match get::<String>(&row, Q, "stage")?.as_str() {
            "before_functions" => VerbatimStage::BeforeFunctions,
            "after_domains" => VerbatimStage::AfterDomains,
            "before_tables" => VerbatimStage::BeforeTables,
            "after_tables" => VerbatimStage::AfterTables,
            _ => VerbatimStage::Last,
        };
        let on = match (
            get::<Option<String>>(&row, Q, "on_schema")?,
            get::<Option<String>>(&row, Q, "on_name")?,
        ) {
            (Some(s), Some(n)) => Some(QualifiedName::new(s, n)),
            _ => None,
        };
        let name: String = get(&row, Q, "name")?;
        // Left out with the relation it belongs to, or by its own name.
        if on.as_ref().is_some_and(|t| cx.excluded(t)) {
            continue;
        }
        // A cast is named by its types, `(source AS target)`, not by a schema.
        if !name.starts_with('(')
            && let Some((schema, rest)) = name.split_once('.')
        {
            let bare = rest.split('(').next().unwrap_or(rest);
            if cx.excluded(&QualifiedName::new(schema, bare)) {
                continue;
            }
        }
        cx.model.verbatim.push(VerbatimObject {
            kind: get(&row, Q, "kind")?,
            name,
            stage,
            sql: get(&row, Q, "sql")?,
            drop: get(&row, Q, "drop_sql")?,
            on,
        });
    }
    Ok(())
}
