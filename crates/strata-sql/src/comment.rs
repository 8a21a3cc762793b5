//! `COMMENT ON ...` for every object that carries a comment.

use strata_model::{Model, Table, View, quote_ident, quote_literal};

use crate::aggregate::aggregate_signature;
use crate::function::function_signature;
use crate::index::index_name;

/// `COMMENT ON kind target IS 'text';` — `target` is already quoted.
pub fn render_comment(kind: &str, target: &str, text: &str) -> String {
    format!("COMMENT ON {kind} {target} IS {};", quote_literal(text))
}

/// Comments on a table, its columns, indexes and triggers.
pub fn table_comments(table: &Table) -> Vec<String> {
    let name = table.name.quoted();
    let mut out = Vec::new();
    if let Some(text) = &table.comment {
        out.push(render_comment("TABLE", &name, text));
    }
    for column in &table.columns {
        if let Some(text) = &column.comment {
            let target = format!("{name}.{}", quote_ident(&column.name));
            out.push(render_comment("COLUMN", &target, text));
        }
    }
    for index in &table.indexes {
        if let Some(text) = &index.comment {
            let target = index_name(&table.name, index).quoted();
            out.push(render_comment("INDEX", &target, text));
        }
    }
    for trigger in &table.triggers {
        if let Some(text) = &trigger.comment {
            let target = format!("{} ON {name}", quote_ident(&trigger.name));
            out.push(render_comment("TRIGGER", &target, text));
        }
    }
    out
}

/// Comments on a view or materialized view and its indexes.
pub fn view_comments(view: &View) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(text) = &view.comment {
        let kind = if view.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        out.push(render_comment(kind, &view.name.quoted(), text));
    }
    for index in &view.indexes {
        if let Some(text) = &index.comment {
            let target = index_name(&view.name, index).quoted();
            out.push(render_comment("INDEX", &target, text));
        }
    }
    out
}

/// Every comment of the model except schema comments (which follow `CREATE SCHEMA`), in
/// script order: types, functions, sequences, tables, views.
pub fn model_comments(model: &Model, tables: &[&Table], views: &[&View]) -> Vec<String> {
    let mut out = Vec::new();
    for e in &model.enums {
        if let Some(text) = &e.comment {
            out.push(render_comment("TYPE", &e.name.quoted(), text));
        }
    }
    for d in &model.domains {
        if let Some(text) = &d.comment {
            out.push(render_comment("DOMAIN", &d.name.quoted(), text));
        }
    }
    for f in &model.functions {
        if let Some(text) = &f.comment {
            out.push(render_comment("FUNCTION", &function_signature(f), text));
        }
    }
    for a in &model.aggregates {
        if let Some(text) = &a.comment {
            out.push(render_comment("AGGREGATE", &aggregate_signature(a), text));
        }
    }
    for s in &model.sequences {
        if let Some(text) = &s.comment {
            out.push(render_comment("SEQUENCE", &s.name.quoted(), text));
        }
    }
    for table in tables {
        out.extend(table_comments(table));
    }
    for view in views {
        out.extend(view_comments(view));
    }
    out
}
