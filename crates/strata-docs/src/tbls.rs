//! A tbls `schema.json`: the document `tbls out -t json` writes and `tbls doc` reads, in the
//! shape of tbls' published JSON schema (`Schema` → tables with columns, indexes,
//! constraints and triggers; relations with cardinalities; functions; enums; driver).
//!
//! Definitions (`def`) are the SQL strata's DDL renderer prints for the object, so the
//! document and `strata build` agree.

use serde::Serialize;
use strata_model::{Model, QualifiedName, Table, View};

use crate::relations::{Cardinality, relations};
use crate::text::short_type;

#[derive(Debug, Serialize)]
pub struct Schema {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub desc: String,
    pub tables: Vec<TblsTable>,
    pub relations: Vec<TblsRelation>,
    pub functions: Vec<TblsFunction>,
    pub enums: Vec<TblsEnum>,
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
pub struct TblsTable {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
    pub columns: Vec<TblsColumn>,
    pub indexes: Vec<TblsIndex>,
    pub constraints: Vec<TblsConstraint>,
    pub triggers: Vec<TblsTrigger>,
    pub def: String,
    pub referenced_tables: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TblsColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub nullable: bool,
    pub default: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub extra_def: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

#[derive(Debug, Serialize)]
pub struct TblsIndex {
    pub name: String,
    pub def: String,
    pub table: String,
    pub columns: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

#[derive(Debug, Serialize)]
pub struct TblsConstraint {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub def: String,
    pub table: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referenced_table: Option<String>,
    pub columns: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referenced_columns: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

#[derive(Debug, Serialize)]
pub struct TblsTrigger {
    pub name: String,
    pub def: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

#[derive(Debug, Serialize)]
pub struct TblsRelation {
    pub table: String,
    pub columns: Vec<String>,
    pub cardinality: &'static str,
    pub parent_table: String,
    pub parent_columns: Vec<String>,
    pub parent_cardinality: &'static str,
    pub def: String,
    pub r#virtual: bool,
}

#[derive(Debug, Serialize)]
pub struct TblsFunction {
    pub name: String,
    pub return_type: String,
    pub arguments: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Serialize)]
pub struct TblsEnum {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Driver {
    pub name: String,
    pub database_version: String,
    pub meta: DriverMeta,
}

#[derive(Debug, Serialize)]
pub struct DriverMeta {
    pub current_schema: String,
    pub search_paths: Vec<String>,
}

/// The document as pretty JSON with a trailing newline.
pub fn render(model: &Model, name: &str) -> String {
    let doc = schema(model, name);
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// tbls names tables in the current schema (`public`) without a prefix.
fn tname(q: &QualifiedName) -> String {
    crate::relations::display_name(q)
}

pub fn schema(model: &Model, name: &str) -> Schema {
    let mut tables: Vec<TblsTable> = model.tables.iter().map(table).collect();
    tables.extend(model.views.iter().map(view));
    let rels = relations(model)
        .into_iter()
        .map(|r| TblsRelation {
            table: tname(&r.child.name),
            columns: r.fk.columns.clone(),
            cardinality: cardinality(r.child_cardinality),
            parent_table: tname(r.parent_name),
            parent_columns: r.fk.ref_columns.clone(),
            parent_cardinality: cardinality(r.parent_cardinality),
            def: strata_sql::render_foreign_key_clause(r.fk)
                .trim_start_matches(&format!(
                    "CONSTRAINT {} ",
                    strata_model::quote_ident(&r.fk.name)
                ))
                .to_string(),
            r#virtual: false,
        })
        .collect();
    let functions = model
        .functions
        .iter()
        .map(|f| TblsFunction {
            name: tname(&f.name),
            return_type: f.returns.clone(),
            arguments: f.arguments.clone(),
            kind: "FUNCTION".into(),
        })
        .collect();
    let enums = model
        .enums
        .iter()
        .map(|e| TblsEnum {
            name: tname(&e.name),
            values: e.values.clone(),
        })
        .collect();
    Schema {
        name: name.to_string(),
        desc: String::new(),
        tables,
        relations: rels,
        functions,
        enums,
        driver: Driver {
            name: "postgres".into(),
            database_version: "PostgreSQL 14+ (designed by strata)".into(),
            meta: DriverMeta {
                current_schema: "public".into(),
                search_paths: vec!["public".into()],
            },
        },
    }
}

fn cardinality(c: Cardinality) -> &'static str {
    match c {
        Cardinality::ZeroOrOne => "zero_or_one",
        Cardinality::ExactlyOne => "exactly_one",
        Cardinality::ZeroOrMore => "zero_or_more",
    }
}

fn table(t: &Table) -> TblsTable {
    let name = tname(&t.name);
    let columns = t
        .columns
        .iter()
        .map(|c| {
            let mut extra = String::new();
            if let Some(g) = &c.generated {
                extra = format!("GENERATED ALWAYS AS ({g}) STORED");
            } else if let Some(i) = c.identity {
                extra = match i {
                    strata_model::Identity::Always => "GENERATED ALWAYS AS IDENTITY".into(),
                    strata_model::Identity::ByDefault => "GENERATED BY DEFAULT AS IDENTITY".into(),
                };
            }
            TblsColumn {
                name: c.name.clone(),
                ty: short_type(&c.data_type),
                nullable: c.nullable,
                default: c.default.clone(),
                extra_def: extra,
                comment: c.comment.clone().unwrap_or_default(),
            }
        })
        .collect();
    let indexes = t
        .indexes
        .iter()
        .map(|i| TblsIndex {
            name: i.name.clone(),
            def: strata_sql::render_index(&t.name, i)
                .trim_end_matches(';')
                .to_string(),
            table: name.clone(),
            columns: i
                .keys
                .iter()
                .filter_map(|k| k.column_name().map(str::to_string))
                .chain(i.include.iter().cloned())
                .collect(),
            comment: i
                .why
                .as_ref()
                .map(|w| w.text.clone())
                .or_else(|| i.comment.clone())
                .unwrap_or_default(),
        })
        .collect();
    let strip = |clause: String, cname: &str| {
        clause
            .trim_start_matches(&format!("CONSTRAINT {} ", strata_model::quote_ident(cname)))
            .to_string()
    };
    let mut constraints = Vec::new();
    if let Some(pk) = &t.primary_key {
        constraints.push(TblsConstraint {
            name: pk.name.clone(),
            kind: "PRIMARY KEY".into(),
            def: strip(strata_sql::render_primary_key_clause(pk), &pk.name),
            table: name.clone(),
            referenced_table: None,
            columns: pk.columns.clone(),
            referenced_columns: Vec::new(),
            comment: String::new(),
        });
    }
    for fk in &t.foreign_keys {
        constraints.push(TblsConstraint {
            name: fk.name.clone(),
            kind: "FOREIGN KEY".into(),
            def: strip(strata_sql::render_foreign_key_clause(fk), &fk.name),
            table: name.clone(),
            referenced_table: Some(tname(&fk.ref_table)),
            columns: fk.columns.clone(),
            referenced_columns: fk.ref_columns.clone(),
            comment: fk.why.as_ref().map(|w| w.text.clone()).unwrap_or_default(),
        });
    }
    for u in &t.uniques {
        constraints.push(TblsConstraint {
            name: u.name.clone(),
            kind: "UNIQUE".into(),
            def: strip(strata_sql::render_unique_clause(u), &u.name),
            table: name.clone(),
            referenced_table: None,
            columns: u.columns.clone(),
            referenced_columns: Vec::new(),
            comment: u.why.as_ref().map(|w| w.text.clone()).unwrap_or_default(),
        });
    }
    for c in &t.checks {
        constraints.push(TblsConstraint {
            name: c.name.clone(),
            kind: "CHECK".into(),
            def: strip(strata_sql::render_check_clause(c), &c.name),
            table: name.clone(),
            referenced_table: None,
            columns: t
                .columns
                .iter()
                .filter(|col| mentions(&c.expression, &col.name))
                .map(|col| col.name.clone())
                .collect(),
            referenced_columns: Vec::new(),
            comment: c.why.as_ref().map(|w| w.text.clone()).unwrap_or_default(),
        });
    }
    for x in &t.exclusions {
        constraints.push(TblsConstraint {
            name: x.name.clone(),
            kind: "EXCLUSION".into(),
            def: strip(strata_sql::render_exclusion_clause(x), &x.name),
            table: name.clone(),
            referenced_table: None,
            columns: x
                .elements
                .iter()
                .filter_map(|e| e.key.column_name().map(str::to_string))
                .collect(),
            referenced_columns: Vec::new(),
            comment: String::new(),
        });
    }
    let triggers = t
        .triggers
        .iter()
        .map(|tr| TblsTrigger {
            name: tr.name.clone(),
            def: strata_sql::render_trigger(&t.name, tr)
                .replace("\n    ", " ")
                .trim_end_matches(';')
                .to_string(),
            comment: tr
                .why
                .as_ref()
                .map(|w| w.text.clone())
                .or_else(|| tr.comment.clone())
                .unwrap_or_default(),
        })
        .collect();
    let mut referenced: Vec<String> = t.foreign_keys.iter().map(|f| tname(&f.ref_table)).collect();
    referenced.sort();
    referenced.dedup();
    TblsTable {
        name,
        kind: "BASE TABLE".into(),
        comment: t.comment.clone().unwrap_or_default(),
        columns,
        indexes,
        constraints,
        triggers,
        def: strata_sql::render_create_table(t),
        referenced_tables: referenced,
    }
}

fn view(v: &View) -> TblsTable {
    TblsTable {
        name: tname(&v.name),
        kind: if v.materialized {
            "MATERIALIZED VIEW".into()
        } else {
            "VIEW".into()
        },
        comment: v.comment.clone().unwrap_or_default(),
        // A view's columns are the database's to infer; the model keeps only the query.
        columns: Vec::new(),
        indexes: Vec::new(),
        constraints: Vec::new(),
        triggers: Vec::new(),
        def: strata_sql::render_view(v),
        referenced_tables: Vec::new(),
    }
}

/// Whether `expr` mentions `column` as a whole word (so `title` is not found in `subtitle`).
fn mentions(expr: &str, column: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    expr.match_indices(column).any(|(i, _)| {
        let before = expr[..i].chars().next_back();
        let after = expr[i + column.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_word_mentions() {
        assert!(mentions("char_length(title) <= 200", "title"));
        assert!(!mentions("char_length(subtitle) <= 200", "title"));
        assert!(!mentions("title_x > 0", "title"));
    }
}
