//! `strata gen rust`: Rust types for sqlx, one module per PostgreSQL schema.
//!
//! Files: `mod.rs` (declares one module per schema) and `<schema>.rs`, with a struct per table
//! (`#[derive(sqlx::FromRow, serde::Serialize, serde::Deserialize)]`, `Option<T>` for nullable
//! columns) and an enum per PostgreSQL enum type (`#[derive(sqlx::Type)]`).
//!
//! The consumer needs `sqlx` with the features `postgres`, `macros`, `derive` and, as the
//! schema's types require, `uuid`, `chrono`, `json` and `rust_decimal`, plus `serde` (derive),
//! `serde_json`, `uuid` (serde), `chrono` (serde) and `rust_decimal` (serde).
//! Types without a sqlx mapping that is also serde-friendly (domains over such types, ranges,
//! intervals, network types, `tsvector`, ...) become `String`: select them as `col::text`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use heck::{ToSnakeCase, ToUpperCamelCase};
use strata_model::{Column, EnumType, Model, QualifiedName, Table, TypeRef};

use crate::names::{pascal_ident, singularize, snake_ident, unique_name};
use crate::relations::modeled_tables;
use crate::{GenError, GeneratedFile, HEADER, canonical};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

pub fn generate(model: &Model) -> Result<Vec<GeneratedFile>, GenError> {
    let model = canonical(model);
    if model.tables.is_empty() {
        return Err(GenError::EmptyModel);
    }
    let mut schemas: BTreeSet<String> = BTreeSet::new();
    for t in modeled_tables(&model) {
        schemas.insert(t.name.schema.clone());
    }
    for e in &model.enums {
        schemas.insert(e.name.schema.clone());
    }
    let modules: BTreeMap<String, String> = schemas
        .iter()
        .map(|s| {
            let m = field_ident(s).0;
            (s.clone(), if m == "mod" { "mod_".into() } else { m })
        })
        .collect();
    let enum_names: BTreeMap<QualifiedName, String> = model
        .enums
        .iter()
        .map(|e| (e.name.clone(), pascal_ident(&e.name.name)))
        .collect();
    let mut files = Vec::new();
    let mut root = format!(
        "//! {HEADER}\n//!\n//! sqlx row types of the schema, one module per PostgreSQL schema.\n\n"
    );
    for m in modules.values() {
        let _ = writeln!(root, "pub mod {m};");
    }
    files.push(GeneratedFile::new("mod.rs", root));
    for (schema, module) in &modules {
        let cx = Cx {
            model: &model,
            schema,
            modules: &modules,
            enum_names: &enum_names,
        };
        files.push(GeneratedFile::new(
            format!("{module}.rs"),
            schema_module(&cx),
        ));
    }
    Ok(files)
}

struct Cx<'a> {
    model: &'a Model,
    schema: &'a str,
    modules: &'a BTreeMap<String, String>,
    enum_names: &'a BTreeMap<QualifiedName, String>,
}

/// A Rust field name for a column, and whether it differs from the column name.
fn field_ident(name: &str) -> (String, bool) {
    let mut s = snake_ident(name);
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    let renamed = s != name;
    (s, renamed)
}

fn modifiers(name: &str) -> Vec<String> {
    match (name.find('('), name.find(')')) {
        (Some(a), Some(b)) if b > a => name[a + 1..b]
            .split(',')
            .map(|s| s.trim().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// The Rust type of a scalar column type; `None` when there is no faithful mapping.
fn scalar(t: &TypeRef, cx: &Cx) -> Option<String> {
    if let Some(q) = t.qualified() {
        if cx.model.enum_type(&q).is_some() {
            let name = &cx.enum_names[&q];
            return Some(if q.schema == cx.schema {
                name.clone()
            } else {
                format!("super::{}::{name}", cx.modules[&q.schema])
            });
        }
        // A domain decodes as its base type.
        let d = cx.model.domains.iter().find(|d| d.name == q)?;
        if d.base.qualified().as_ref() == Some(&q) {
            return None;
        }
        let inner = scalar(
            &TypeRef {
                array_dims: 0,
                ..d.base.clone()
            },
            cx,
        )?;
        return Some(wrap_array(inner, d.base.array_dims));
    }
    let name = t.name.as_str();
    let tz = name.contains("with time zone");
    Some(
        match t.base_name() {
            "uuid" => "uuid::Uuid",
            "text" | "character varying" | "varchar" | "character" | "char" | "bpchar" | "name"
            | "citext" => "String",
            "boolean" => "bool",
            "smallint" => "i16",
            "integer" => "i32",
            "bigint" => "i64",
            "real" => "f32",
            "double precision" => "f64",
            "numeric" | "decimal" => "rust_decimal::Decimal",
            "timestamp" | "timestamp with time zone" | "timestamp without time zone" => {
                if tz {
                    "chrono::DateTime<chrono::Utc>"
                } else {
                    "chrono::NaiveDateTime"
                }
            }
            "date" => "chrono::NaiveDate",
            "time" | "time without time zone" if !tz && modifiers(name).is_empty() => {
                "chrono::NaiveTime"
            }
            "json" | "jsonb" => "serde_json::Value",
            "bytea" => "Vec<u8>",
            _ => return None,
        }
        .to_string(),
    )
}

fn wrap_array(mut inner: String, dims: u8) -> String {
    for _ in 0..dims {
        inner = format!("Vec<{inner}>");
    }
    inner
}

/// The field type and, for unmapped types, a note.
fn field_type(c: &Column, cx: &Cx) -> (String, Option<String>) {
    let base = TypeRef {
        array_dims: 0,
        ..c.data_type.clone()
    };
    let (ty, note) = match scalar(&base, cx) {
        // Multi-dimensional arrays do not decode into nested Vecs in sqlx.
        Some(t) if c.data_type.array_dims <= 1 => (wrap_array(t, c.data_type.array_dims), None),
        _ => (
            "String".to_string(),
            Some(format!(
                "`{}` has no sqlx mapping here: select it as `{}::text`.",
                type_sql(&c.data_type),
                strata_model::quote_ident(&c.name)
            )),
        ),
    };
    if c.nullable {
        (format!("Option<{ty}>"), note)
    } else {
        (ty, note)
    }
}

fn type_sql(t: &TypeRef) -> String {
    let mut s = match t.qualified() {
        Some(q) => q.quoted(),
        None => t.name.clone(),
    };
    for _ in 0..t.array_dims {
        s.push_str("[]");
    }
    s
}

fn doc_lines(text: &str, indent: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim().is_empty() {
                format!("{indent}///\n")
            } else {
                format!("{indent}/// {}\n", l.trim_end())
            }
        })
        .collect()
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

fn enum_def(e: &EnumType, cx: &Cx) -> String {
    let name = &cx.enum_names[&e.name];
    let mut out = String::new();
    out.push_str(&doc_lines(
        e.comment
            .as_deref()
            .unwrap_or(&format!("PostgreSQL enum `{}`.", e.name.quoted())),
        "",
    ));
    let type_name = if e.name.schema == "public" {
        e.name.name.clone()
    } else {
        format!("{}.{}", e.name.schema, e.name.name)
    };
    // `rename_all = "snake_case"` when every label is the snake_case of its variant.
    let mut taken = BTreeSet::new();
    let variants: Vec<(String, &String)> = e
        .values
        .iter()
        .map(|v| {
            let base = pascal_ident(v);
            let n = unique_name(&base, &|n| taken.contains(n));
            taken.insert(n.clone());
            (n, v)
        })
        .collect();
    let snake_ok = variants
        .iter()
        .all(|(n, v)| n.to_snake_case() == **v && v.to_upper_camel_case() == *n);
    out.push_str(
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]\n",
    );
    if snake_ok {
        let _ = writeln!(
            out,
            "#[sqlx(type_name = {}, rename_all = \"snake_case\")]",
            rust_str(&type_name)
        );
        out.push_str("#[serde(rename_all = \"snake_case\")]\n");
    } else {
        let _ = writeln!(out, "#[sqlx(type_name = {})]", rust_str(&type_name));
    }
    let _ = writeln!(out, "pub enum {name} {{");
    for (n, v) in &variants {
        if !snake_ok {
            let _ = writeln!(
                out,
                "    #[sqlx(rename = {0})]\n    #[serde(rename = {0})]",
                rust_str(v)
            );
        }
        let _ = writeln!(out, "    {n},");
    }
    out.push_str("}\n");
    out
}

fn struct_name(t: &Table) -> String {
    match &t.origin.entity {
        Some(e) => pascal_ident(e),
        None => pascal_ident(&singularize(&snake_ident(&t.name.name))),
    }
}

fn struct_def(t: &Table, name: &str, cx: &Cx) -> String {
    let mut out = String::new();
    let doc = t
        .comment
        .clone()
        .unwrap_or_else(|| format!("A row of {}.", t.name.quoted()));
    out.push_str(&doc_lines(&doc, ""));
    let _ = writeln!(out, "///\n/// Table `{}`.", t.name.quoted());
    out.push_str("#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]\n");
    let _ = writeln!(out, "pub struct {name} {{");
    let mut taken = BTreeSet::new();
    for c in &t.columns {
        if let Some(cm) = &c.comment {
            out.push_str(&doc_lines(cm, "    "));
        }
        let (ty, note) = field_type(c, cx);
        if let Some(n) = note {
            if c.comment.is_some() {
                out.push_str("    ///\n");
            }
            out.push_str(&doc_lines(&n, "    "));
        }
        let (base, _) = field_ident(&c.name);
        let ident = unique_name(&base, &|n| taken.contains(n));
        taken.insert(ident.clone());
        if ident != c.name {
            let _ = writeln!(
                out,
                "    #[sqlx(rename = {0})]\n    #[serde(rename = {0})]",
                rust_str(&c.name)
            );
        }
        let _ = writeln!(out, "    pub {ident}: {ty},");
    }
    out.push_str("}\n");
    out
}

fn schema_module(cx: &Cx) -> String {
    let mut out = format!(
        "//! {HEADER}\n//!\n//! Rows and enums of the PostgreSQL schema `{}`.\n\n",
        cx.schema
    );
    out.push_str("use serde::{Deserialize, Serialize};\n");
    let mut taken: BTreeSet<String> = ["Deserialize", "Serialize"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for e in cx.model.enums.iter().filter(|e| e.name.schema == cx.schema) {
        taken.insert(cx.enum_names[&e.name].clone());
        out.push('\n');
        out.push_str(&enum_def(e, cx));
    }
    for t in modeled_tables(cx.model).filter(|t| t.name.schema == cx.schema) {
        let name = unique_name(&struct_name(t), &|n| taken.contains(n));
        taken.insert(name.clone());
        out.push('\n');
        out.push_str(&struct_def(t, &name, cx));
    }
    out
}
