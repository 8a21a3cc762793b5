//! Python spelling shared by the SQLModel and Alembic generators.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{Model, QualifiedName, Table};

use crate::names::{pascal_ident, singularize, snake_ident, unique_name};
use crate::relations::modeled_tables;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "match", "case", "type",
];

/// Attribute names a SQLModel or Pydantic model cannot use for a field.
const MODEL_ATTRS: &[&str] = &[
    "metadata",
    "registry",
    "model_config",
    "model_fields",
    "model_computed_fields",
    "schema",
    "json",
    "dict",
    "copy",
    "validate",
    "construct",
    "fields",
];

/// Names the generated modules import; classes must not shadow them.
const IMPORTED: &[&str] = &[
    "Any",
    "Decimal",
    "Field",
    "Optional",
    "PgType",
    "Relationship",
    "SQLModel",
    "enum",
    "sa",
    "postgresql",
    "uuid",
    "date",
    "datetime",
    "time",
    "timedelta",
];

/// A Python attribute name for a column or relationship.
pub fn attr(name: &str) -> String {
    let mut s = snake_ident(name);
    if KEYWORDS.contains(&s.as_str()) || MODEL_ATTRS.contains(&s.as_str()) || s.starts_with('_') {
        s = format!("{}_", s.trim_start_matches('_'));
        if s == "_" {
            s = "field_".into();
        }
    }
    s
}

/// A double-quoted Python string literal.
pub fn str_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A docstring body (without the quotes) indented by `indent`.
pub fn docstring(text: &str, indent: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\r', "");
    let lines: Vec<&str> = escaped.lines().collect();
    if lines.len() <= 1 {
        return format!("{indent}\"\"\"{}\"\"\"\n", escaped.trim());
    }
    let mut out = format!("{indent}\"\"\"{}\n", lines[0].trim_end());
    for l in &lines[1..] {
        if l.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{indent}{}\n", l.trim_end()));
        }
    }
    out.push_str(&format!("{indent}\"\"\"\n"));
    out
}

/// Python class names of tables and enums, unique across the package.
pub struct ClassNames {
    pub tables: BTreeMap<QualifiedName, String>,
    pub enums: BTreeMap<QualifiedName, String>,
}

impl ClassNames {
    pub fn new(model: &Model) -> ClassNames {
        let mut taken: BTreeSet<String> = IMPORTED.iter().map(|s| s.to_string()).collect();
        let mut tables = BTreeMap::new();
        let base_of = |t: &Table| {
            let base = match &t.origin.entity {
                Some(e) => pascal_ident(e),
                None => pascal_ident(&singularize(&snake_ident(&t.name.name))),
            };
            if t.name.schema == "public" {
                base
            } else {
                format!("{}{base}", pascal_ident(&t.name.schema))
            }
        };
        for t in modeled_tables(model) {
            let base = base_of(t);
            let name = unique_name(&base, &|n| {
                taken.contains(n)
                    || ["Create", "Update", "Read"]
                        .iter()
                        .any(|s| taken.contains(&format!("{n}{s}")))
            });
            taken.insert(name.clone());
            tables.insert(t.name.clone(), name);
        }
        let mut enums = BTreeMap::new();
        for e in &model.enums {
            let mut base = pascal_ident(&e.name.name);
            if e.name.schema != "public" {
                base = format!("{}{base}", pascal_ident(&e.name.schema));
            }
            if taken.contains(&base) {
                base.push_str("Enum");
            }
            let name = unique_name(&base, &|n| taken.contains(n));
            taken.insert(name.clone());
            enums.insert(e.name.clone(), name);
        }
        ClassNames { tables, enums }
    }

    pub fn table(&self, name: &QualifiedName) -> String {
        self.tables
            .get(name)
            .cloned()
            .unwrap_or_else(|| pascal_ident(&name.name))
    }
}

/// Enum member names for the labels of one enum: snake_case, unique, never a keyword.
pub fn enum_members(values: &[String]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    values
        .iter()
        .map(|v| {
            let mut base = snake_ident(v);
            if base.starts_with('_') {
                base = format!("v{base}");
            }
            if KEYWORDS.contains(&base.as_str()) || base == "mro" {
                base.push('_');
            }
            let name = unique_name(&base, &|n| taken.contains(n));
            taken.insert(name.clone());
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attrs_and_literals() {
        assert_eq!(attr("class"), "class_");
        assert_eq!(attr("metadata"), "metadata_");
        assert_eq!(attr("user_id"), "user_id");
        assert_eq!(str_lit("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(
            enum_members(&["PG-13".into(), "pg_13".into(), "1x".into(), "None".into()]),
            vec!["pg_13", "pg_13_2", "v_1x", "none"]
        );
    }
}
