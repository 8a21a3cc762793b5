//! Checks that catch models no script could apply, so `render` reports them by name instead of
//! producing SQL that fails somewhere in the middle.

use std::collections::BTreeSet;

use strata_model::{Model, QualifiedName, Table};

use crate::RenderError;

fn invalid(object: String, reason: &str) -> RenderError {
    RenderError::Invalid {
        object,
        reason: reason.to_string(),
    }
}

fn unique_names<'a>(
    kind: &'static str,
    names: impl Iterator<Item = &'a QualifiedName>,
) -> Result<(), RenderError> {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(RenderError::Duplicate {
                kind,
                name: name.quoted(),
            });
        }
    }
    Ok(())
}

/// PostgreSQL silently truncates identifiers longer than this many bytes (NAMEDATALEN - 1).
const MAX_IDENTIFIER_BYTES: usize = 63;

fn check_ident(kind: &str, name: &str) -> Result<(), RenderError> {
    if name.len() > MAX_IDENTIFIER_BYTES {
        return Err(invalid(
            format!("{kind} {name:?}"),
            "name longer than 63 bytes, which PostgreSQL would truncate",
        ));
    }
    Ok(())
}

fn check_qualified(kind: &str, name: &QualifiedName) -> Result<(), RenderError> {
    check_ident("schema", &name.schema)?;
    check_ident(kind, &name.name)
}

/// Every identifier the script creates fits PostgreSQL's limit.
fn identifier_lengths(model: &Model) -> Result<(), RenderError> {
    for s in &model.schemas {
        check_ident("schema", &s.name)?;
    }
    for e in &model.enums {
        check_qualified("type", &e.name)?;
    }
    for d in &model.domains {
        check_qualified("domain", &d.name)?;
        for c in &d.checks {
            check_ident("constraint", &c.name)?;
        }
    }
    for s in &model.sequences {
        check_qualified("sequence", &s.name)?;
    }
    for f in &model.functions {
        check_qualified("function", &f.name)?;
    }
    for v in &model.views {
        check_qualified("view", &v.name)?;
        for i in &v.indexes {
            check_ident("index", &i.name)?;
        }
    }
    for t in &model.tables {
        check_qualified("table", &t.name)?;
        for c in &t.columns {
            check_ident("column", &c.name)?;
        }
        let constraints = t
            .primary_key
            .iter()
            .map(|c| &c.name)
            .chain(t.uniques.iter().map(|c| &c.name))
            .chain(t.checks.iter().map(|c| &c.name))
            .chain(t.exclusions.iter().map(|c| &c.name))
            .chain(t.foreign_keys.iter().map(|c| &c.name));
        for name in constraints {
            check_ident("constraint", name)?;
        }
        for i in &t.indexes {
            check_ident("index", &i.name)?;
        }
        for tr in &t.triggers {
            check_ident("trigger", &tr.name)?;
        }
        for p in &t.policies {
            check_ident("policy", &p.name)?;
        }
    }
    Ok(())
}

pub fn validate(model: &Model) -> Result<(), RenderError> {
    identifier_lengths(model)?;
    unique_names(
        "relation",
        model
            .tables
            .iter()
            .map(|t| &t.name)
            .chain(model.views.iter().map(|v| &v.name))
            .chain(model.sequences.iter().map(|s| &s.name)),
    )?;
    unique_names(
        "type",
        model
            .enums
            .iter()
            .map(|e| &e.name)
            .chain(model.domains.iter().map(|d| &d.name)),
    )?;
    for table in &model.tables {
        validate_table(table)?;
    }
    for view in &model.views {
        if view.definition.trim().is_empty() {
            return Err(invalid(format!("view {}", view.name), "empty definition"));
        }
        for index in &view.indexes {
            if index.keys.is_empty() {
                return Err(invalid(
                    format!("index {:?} on {}", index.name, view.name),
                    "no key columns",
                ));
            }
        }
    }
    for f in &model.functions {
        if f.returns.trim().is_empty() {
            return Err(invalid(format!("function {}", f.name), "no return type"));
        }
        if f.language.trim().is_empty() {
            return Err(invalid(format!("function {}", f.name), "no language"));
        }
    }
    Ok(())
}

fn validate_table(t: &Table) -> Result<(), RenderError> {
    let on = |what: &str, name: &str| format!("{what} {name:?} on {}", t.name);
    if let Some(of) = &t.partition_of
        && of.bound.trim().is_empty()
    {
        return Err(invalid(
            format!("partition {}", t.name),
            "empty partition bound",
        ));
    }
    if let Some(by) = &t.partition_by
        && by.keys.is_empty()
    {
        return Err(invalid(format!("table {}", t.name), "no partition key"));
    }
    if let Some(pk) = &t.primary_key
        && pk.columns.is_empty()
    {
        return Err(invalid(on("primary key", &pk.name), "no columns"));
    }
    for u in &t.uniques {
        if u.columns.is_empty() {
            return Err(invalid(on("unique constraint", &u.name), "no columns"));
        }
    }
    for e in &t.exclusions {
        if e.elements.is_empty() {
            return Err(invalid(on("exclusion constraint", &e.name), "no elements"));
        }
    }
    for fk in &t.foreign_keys {
        if fk.columns.is_empty() {
            return Err(invalid(on("foreign key", &fk.name), "no columns"));
        }
        if !fk.ref_columns.is_empty() && fk.ref_columns.len() != fk.columns.len() {
            return Err(invalid(
                on("foreign key", &fk.name),
                "referencing and referenced column counts differ",
            ));
        }
    }
    for index in &t.indexes {
        if index.keys.is_empty() {
            return Err(invalid(on("index", &index.name), "no key columns"));
        }
    }
    for trigger in &t.triggers {
        if trigger.events.is_empty() {
            return Err(invalid(on("trigger", &trigger.name), "no events"));
        }
    }
    Ok(())
}
