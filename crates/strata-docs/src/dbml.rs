//! DBML (dbdiagram.io's language): enums, tables with column settings and indexes, notes,
//! and one `Ref` per foreign key with its referential actions.
//!
//! DBML has no syntax for partial, covering or non-btree/hash indexes, exclusion constraints
//! or triggers: those keep their SQL in a note so nothing the model says is lost.

use strata_model::{
    EnumType, FkAction, ForeignKey, Index, IndexExpr, Model, QualifiedName, Table, TypeRef,
};

use crate::text::short_type;

pub fn render(model: &Model) -> String {
    let mut out = String::new();
    for e in &model.enums {
        out.push_str(&render_enum(e));
        out.push('\n');
    }
    for t in model.tables.iter().filter(|t| t.partition_of.is_none()) {
        out.push_str(&render_table(t, model));
        out.push('\n');
    }
    for t in model.tables.iter().filter(|t| t.partition_of.is_none()) {
        for fk in &t.foreign_keys {
            out.push_str(&render_ref(&t.name, fk));
        }
    }
    out
}

fn render_enum(e: &EnumType) -> String {
    let mut out = format!("Enum {} {{\n", name(&e.name));
    for v in &e.values {
        if v.contains('"') {
            // DBML's quoted names have no escape for `"`: show a stand-in, the value in a note.
            out.push_str(&format!(
                "  \"{}\" [note: {}]\n",
                v.replace('"', "'"),
                string(&format!("value: {v}"))
            ));
        } else {
            out.push_str(&format!("  {}\n", quoted_name(v)));
        }
    }
    out.push('}');
    if let Some(c) = &e.comment {
        // Enum-level notes are not part of DBML; the comment goes above as a comment line.
        out = format!("// {}\n{out}", c.replace('\n', " "));
    }
    out.push('\n');
    out
}

fn render_table(t: &Table, model: &Model) -> String {
    let mut out = format!("Table {} {{\n", name(&t.name));
    let pk: &[String] = t
        .primary_key
        .as_ref()
        .map_or(&[], |pk| pk.columns.as_slice());
    for c in &t.columns {
        let mut settings = Vec::new();
        let single_pk = pk.len() == 1 && pk[0] == c.name;
        if single_pk {
            settings.push("pk".to_string());
        }
        if c.identity.is_some() {
            settings.push("increment".to_string());
        }
        if !c.nullable && !single_pk {
            settings.push("not null".to_string());
        }
        if t.uniques
            .iter()
            .any(|u| u.columns.len() == 1 && u.columns[0] == c.name)
        {
            settings.push("unique".to_string());
        }
        if let Some(d) = &c.default {
            settings.push(format!("default: {}", default_value(d)));
        }
        let mut note = c.comment.clone().unwrap_or_default();
        if let Some(g) = &c.generated {
            note = join_note(&note, &format!("GENERATED ALWAYS AS ({g}) STORED"));
        }
        if !note.is_empty() {
            settings.push(format!("note: {}", string(&note)));
        }
        let settings = if settings.is_empty() {
            String::new()
        } else {
            format!(" [{}]", settings.join(", "))
        };
        out.push_str(&format!(
            "  {} {}{settings}\n",
            quoted_name(&c.name),
            column_type(&c.data_type, model)
        ));
    }
    let mut index_lines = Vec::new();
    if pk.len() > 1 {
        index_lines.push(format!("    ({}) [pk]", column_list(pk)));
    }
    for u in t.uniques.iter().filter(|u| u.columns.len() > 1) {
        index_lines.push(format!(
            "    ({}) [unique, name: {}]",
            column_list(&u.columns),
            string(&u.name)
        ));
    }
    let mut sql_notes = Vec::new();
    for i in &t.indexes {
        match render_index(i) {
            Some(line) => index_lines.push(line),
            None => sql_notes.push(strata_sql::render_index(&t.name, i)),
        }
    }
    if !index_lines.is_empty() {
        out.push_str("\n  Indexes {\n");
        for l in index_lines {
            out.push_str(&l);
            out.push('\n');
        }
        out.push_str("  }\n");
    }
    // @dbml/core has no check syntax yet: checks keep their SQL in the table note.
    for c in &t.checks {
        sql_notes.push(strata_sql::render_check_clause(c));
    }
    for x in &t.exclusions {
        sql_notes.push(strata_sql::render_exclusion_clause(x));
    }
    let mut note = t.comment.clone().unwrap_or_default();
    if !sql_notes.is_empty() {
        note = join_note(&note, &sql_notes.join("\n"));
    }
    if !note.is_empty() {
        out.push_str(&format!("\n  Note: {}\n", string(&note)));
    }
    out.push_str("}\n");
    out
}

/// An index DBML can express (plain btree or hash keys, no predicate, no INCLUDE, no
/// opclass), or `None` when its SQL goes into the table note instead.
fn render_index(i: &Index) -> Option<String> {
    if !matches!(i.method.as_str(), "btree" | "hash")
        || i.predicate.is_some()
        || !i.include.is_empty()
        || i.keys.iter().any(|k| {
            k.opclass.is_some() || k.collation.is_some() || k.descending || k.nulls_first.is_some()
        })
    {
        return None;
    }
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| match &k.expr {
            IndexExpr::Column(c) => quoted_name(c),
            IndexExpr::Expression(e) => format!("`{}`", e.replace('`', "'")),
        })
        .collect();
    let mut settings = vec![format!("name: {}", string(&i.name))];
    if i.unique {
        settings.push("unique".into());
    }
    settings.push(format!("type: {}", i.method));
    let note = i
        .why
        .as_ref()
        .map(|w| w.text.clone())
        .or_else(|| i.comment.clone());
    if let Some(n) = note {
        settings.push(format!("note: {}", string(&n)));
    }
    Some(format!(
        "    ({}) [{}]",
        keys.join(", "),
        settings.join(", ")
    ))
}

fn render_ref(table: &QualifiedName, fk: &ForeignKey) -> String {
    let side = |t: &QualifiedName, cols: &[String]| {
        if cols.len() == 1 {
            format!("{}.{}", name(t), quoted_name(&cols[0]))
        } else {
            format!("{}.({})", name(t), column_list(cols))
        }
    };
    let ref_cols = if fk.ref_columns.is_empty() {
        fk.columns.clone()
    } else {
        fk.ref_columns.clone()
    };
    format!(
        "Ref {}: {} > {} [delete: {}, update: {}]\n",
        quoted_name(&fk.name),
        side(table, &fk.columns),
        side(&fk.ref_table, &ref_cols),
        action(fk.on_delete),
        action(fk.on_update)
    )
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "no action",
        FkAction::Restrict => "restrict",
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set null",
        FkAction::SetDefault => "set default",
    }
}

/// A column type: short built-in spelling, quoted when it has spaces; enums and domains by
/// their schema-qualified name (a bare domain name reads as a type of the default schema).
fn column_type(ty: &TypeRef, model: &Model) -> String {
    if let Some(q) = ty.qualified()
        && ty.array_dims == 0
        && (model.enum_type(&q).is_some() || model.domains.iter().any(|d| d.name == q))
    {
        return name(&q);
    }
    let t = short_type(ty);
    if t.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '(' | ')' | ',' | '[' | ']'))
    {
        t
    } else {
        format!("\"{}\"", t.replace('"', "'"))
    }
}

/// `schema.name` with each part quoted when it is not a plain word.
fn name(q: &QualifiedName) -> String {
    format!("{}.{}", quoted_name(&q.schema), quoted_name(&q.name))
}

fn quoted_name(n: &str) -> String {
    let plain = !n.is_empty()
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !n.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        n.to_string()
    } else {
        // No escape exists for `"` inside a DBML quoted name.
        format!("\"{}\"", n.replace('"', "'"))
    }
}

fn column_list(cols: &[String]) -> String {
    cols.iter()
        .map(|c| quoted_name(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A DBML string: single-quoted on one line, triple-quoted when it spans lines.
fn string(text: &str) -> String {
    if text.contains('\n') {
        format!(
            "'''\n{}\n'''",
            text.replace('\\', "\\\\").replace("'''", "\\'''")
        )
    } else {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// A default as DBML writes it: numbers and booleans bare, string literals quoted,
/// everything else as an expression in backticks.
fn default_value(d: &str) -> String {
    let t = d.trim();
    if t.parse::<f64>().is_ok() || matches!(t, "true" | "false" | "null" | "NULL") {
        return t.to_lowercase();
    }
    if let Some(inner) = t.strip_prefix('\'').and_then(|s| s.strip_suffix('\''))
        && !inner.replace("''", "").contains('\'')
    {
        return string(&inner.replace("''", "'"));
    }
    format!("`{}`", t.replace('`', "'"))
}

fn join_note(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}\n\n{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(default_value("0"), "0");
        assert_eq!(default_value("false"), "false");
        assert_eq!(default_value("'it''s'"), "'it\\'s'");
        assert_eq!(default_value("now()"), "`now()`");
        assert_eq!(default_value("'a'::text || 'b'"), "`'a'::text || 'b'`");
    }

    #[test]
    fn names_quote_when_needed() {
        assert_eq!(quoted_name("users"), "users");
        assert_eq!(quoted_name("order items"), "\"order items\"");
        assert_eq!(quoted_name("1st"), "\"1st\"");
    }
}
