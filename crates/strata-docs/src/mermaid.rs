//! Mermaid `erDiagram`.
//!
//! Mermaid's ER grammar is narrow: entity and attribute names are words, attribute types are
//! single words without dots or spaces, and comments are double-quoted strings without double
//! quotes. Everything the model spells otherwise is sanitised here, deterministically and
//! without collisions, so the diagram always parses.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{Model, QualifiedName, Table};

use crate::relations::{Cardinality, relations};
use crate::text::{one_line, short_type};

/// The whole model as an `erDiagram`: one entity per table (partitions folded into their
/// parent), one relationship per foreign key.
pub fn render(model: &Model) -> String {
    let names = EntityNames::new(model);
    let mut out = String::from("erDiagram\n");
    let rels = relations(model);
    for r in &rels {
        let parent = names.get(r.parent_name);
        let child = names.get(&r.child.name);
        let left = match r.parent_cardinality {
            Cardinality::ExactlyOne => "||",
            _ => "|o",
        };
        let right = match r.child_cardinality {
            Cardinality::ZeroOrOne => "o|",
            _ => "o{",
        };
        // Identifying relations (key part of the child's primary key) draw solid.
        let line = if r.identifying { "--" } else { ".." };
        let label = comment(&r.fk.columns.join(", "));
        out.push_str(&format!(
            "    {parent} {left}{line}{right} {child} : \"{label}\"\n"
        ));
    }
    // An entity only referenced (external to the model) still needs a declaration to show.
    let mut external: BTreeSet<&QualifiedName> = BTreeSet::new();
    for r in &rels {
        if r.parent.is_none() {
            external.insert(r.parent_name);
        }
    }
    for table in model.tables.iter().filter(|t| t.partition_of.is_none()) {
        out.push_str(&entity(table, &names));
    }
    for name in external {
        out.push_str(&format!("    {} {{\n    }}\n", names.get(name)));
    }
    out
}

fn entity(table: &Table, names: &EntityNames) -> String {
    let mut out = format!("    {} {{\n", names.get(&table.name));
    let pk: &[String] = table
        .primary_key
        .as_ref()
        .map_or(&[], |pk| pk.columns.as_slice());
    let fk_cols: BTreeSet<&str> = table
        .foreign_keys
        .iter()
        .flat_map(|f| f.columns.iter().map(String::as_str))
        .collect();
    let mut used = BTreeSet::new();
    for col in &table.columns {
        let mut keys = Vec::new();
        if pk.contains(&col.name) {
            keys.push("PK");
        }
        if fk_cols.contains(col.name.as_str()) {
            keys.push("FK");
        }
        if table.has_unique_key(std::slice::from_ref(&col.name)) && !pk.contains(&col.name) {
            keys.push("UK");
        }
        let ty = type_word(&short_type(&col.data_type));
        let name = unique_word(&col.name, &mut used);
        let mut line = format!("        {ty} {name}");
        if !keys.is_empty() {
            line.push(' ');
            line.push_str(&keys.join(", "));
        }
        let mut note = col.comment.as_deref().map(one_line).unwrap_or_default();
        if col.nullable {
            note = if note.is_empty() {
                "nullable".into()
            } else {
                format!("nullable; {note}")
            };
        }
        if note.is_empty() && word(&col.name) != col.name {
            note = col.name.clone();
        }
        if !note.is_empty() {
            line.push_str(&format!(" \"{}\"", comment(&note)));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("    }\n");
    out
}

/// Entity names: the table name (schema-qualified with `__` outside `public`), reduced to a
/// Mermaid word and made unique.
struct EntityNames {
    map: BTreeMap<QualifiedName, String>,
}

impl EntityNames {
    fn new(model: &Model) -> Self {
        let mut all: BTreeSet<QualifiedName> = model
            .tables
            .iter()
            .filter(|t| t.partition_of.is_none())
            .map(|t| t.name.clone())
            .collect();
        for t in &model.tables {
            for fk in &t.foreign_keys {
                all.insert(fk.ref_table.clone());
            }
        }
        let mut used = BTreeSet::new();
        let map = all
            .into_iter()
            .map(|q| {
                let raw = if q.schema == "public" {
                    q.name.clone()
                } else {
                    format!("{}__{}", q.schema, q.name)
                };
                let w = unique_word(&raw, &mut used);
                (q, w)
            })
            .collect();
        EntityNames { map }
    }

    fn get(&self, name: &QualifiedName) -> String {
        self.map
            .get(name)
            .cloned()
            .unwrap_or_else(|| word(&name.name))
    }
}

/// A Mermaid word: ASCII letters, digits and `_`, not starting with a digit. Other
/// characters become `_`; a name that was all punctuation becomes `x`.
fn word(raw: &str) -> String {
    let mut w: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if w.is_empty() || w.chars().all(|c| c == '_') {
        w = format!("x{w}");
    }
    if w.starts_with(|c: char| c.is_ascii_digit()) {
        w.insert(0, '_');
    }
    w
}

fn unique_word(raw: &str, used: &mut BTreeSet<String>) -> String {
    let base = word(raw);
    let mut w = base.clone();
    let mut n = 2;
    while !used.insert(w.clone()) {
        w = format!("{base}_{n}");
        n += 1;
    }
    w
}

/// A type as one Mermaid attribute-type word: `varchar(255)` → `varchar_255`,
/// `numeric(12,2)` → `numeric_12_2`, `text[]` → `text_array`, `sales.status` → `sales_status`.
fn type_word(ty: &str) -> String {
    let mut t = ty.replace("[]", "_array");
    t = t.replace(['(', ',', '.', ' '], "_").replace(')', "");
    let w = word(&t);
    let trimmed = w.trim_end_matches('_');
    if trimmed.is_empty() {
        w
    } else {
        trimmed.to_string()
    }
}

/// Text inside a Mermaid double-quoted string: no double quotes, no line breaks.
fn comment(text: &str) -> String {
    // `#name;` is Mermaid's entity-code syntax, even inside strings.
    one_line(text).replace('"', "'").replace('#', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_sanitised() {
        assert_eq!(word("order items"), "order_items");
        assert_eq!(word("1st"), "_1st");
        assert_eq!(word("bıgınt"), "b_g_nt");
        assert_eq!(word("\"\""), "x__");
        assert_eq!(type_word("varchar(255)"), "varchar_255");
        assert_eq!(type_word("numeric(12,2)"), "numeric_12_2");
        assert_eq!(type_word("text[]"), "text_array");
        assert_eq!(type_word("sales.status"), "sales_status");
        assert_eq!(type_word("timestamptz"), "timestamptz");
    }

    #[test]
    fn duplicate_words_get_suffixes() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_word("a b", &mut used), "a_b");
        assert_eq!(unique_word("a.b", &mut used), "a_b_2");
    }
}
