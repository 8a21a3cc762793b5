//! What several rules need: object names as findings spell them, column types, and the keys a
//! table's indexes and constraints provide.

use strata_model::{Column, Index, IndexExpr, QualifiedName, Table, TypeRef};

/// `schema.table`.
pub fn obj(name: &QualifiedName) -> String {
    format!("{}.{}", name.schema, name.name)
}

/// `schema.table.member` (a column, constraint, index, trigger or policy).
pub fn member(table: &Table, name: &str) -> String {
    format!("{}.{}.{}", table.name.schema, table.name.name, name)
}

/// Tables that own their columns and constraints: partitions get them from their parent,
/// which is reported instead.
pub fn own_tables(model: &strata_model::Model) -> impl Iterator<Item = &Table> {
    model.tables.iter().filter(|t| t.partition_of.is_none())
}

/// Columns a table declares itself (not only inherited from an `INHERITS` parent).
pub fn own_columns(table: &Table) -> impl Iterator<Item = &Column> {
    table.columns.iter().filter(|c| !c.inherited)
}

/// A built-in type's name without modifiers, arrays included: `character varying` for
/// `character varying(20)[]`, `timestamp without time zone` for `timestamp(3) without time
/// zone`; `None` for a user-defined type.
pub fn builtin_base(t: &TypeRef) -> Option<String> {
    if t.schema.is_some() {
        return None;
    }
    let mut out = String::new();
    let mut depth = 0usize;
    for ch in t.name.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '[' | ']' => {}
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    Some(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The key columns of an index that is usable as a plain lookup (not partial, btree or a
/// single-column hash), when every key is a plain column.
pub fn lookup_columns(i: &Index) -> Option<Vec<&str>> {
    if i.predicate.is_some() {
        return None;
    }
    if !(i.method == "btree" || (i.method == "hash" && i.keys.len() == 1)) {
        return None;
    }
    let mut cols = Vec::new();
    for k in &i.keys {
        match &k.expr {
            IndexExpr::Column(c) => cols.push(c.as_str()),
            IndexExpr::Expression(_) => break,
        }
    }
    Some(cols)
}

/// The column lists of every index the table has for lookups: the primary key, unique
/// constraints, exclusion constraints don't count (gist), and plain indexes.
pub fn lookup_keys(table: &Table) -> Vec<Vec<&str>> {
    let mut out = Vec::new();
    if let Some(pk) = &table.primary_key {
        out.push(pk.columns.iter().map(String::as_str).collect());
    }
    for u in &table.uniques {
        out.push(u.columns.iter().map(String::as_str).collect());
    }
    for i in &table.indexes {
        if let Some(cols) = lookup_columns(i) {
            out.push(cols);
        }
    }
    out
}

/// Whether some lookup index of `table` serves lookups by the foreign key `columns`: its
/// leading columns, taken while they are columns of the key, include the key's first column.
/// So `(a, b)` is served by an index on `(a)`, `(b, a)` or `(a, b, c)`, not by `(b)` or
/// `(c, a)`. A composite key that repeats a tenant column (`(conversation_id, user_id)`) is
/// served by an index on its own first column, which finds the few referencing rows.
pub fn has_index_led_by(table: &Table, columns: &[String]) -> bool {
    let Some(first) = columns.first() else {
        return true;
    };
    lookup_keys(table).iter().any(|key| {
        key.iter()
            .take_while(|k| columns.iter().any(|c| c == *k))
            .any(|k| *k == first)
    })
}

/// Comma-separated column list for messages.
pub fn cols(columns: &[String]) -> String {
    columns.join(", ")
}

/// Reports every column (of tables that own their columns, not only inherited) whose built-in
/// type's base name is `base`, arrays of it included.
pub fn columns_of_type(
    model: &strata_model::Model,
    base: &str,
    r: &mut crate::Report,
    message: impl Fn(&Table, &Column) -> String,
    help: &str,
) {
    for t in own_tables(model) {
        for c in own_columns(t) {
            if builtin_base(&c.data_type).as_deref() == Some(base) {
                r.add(member(t, &c.name), message(t, c), help);
            }
        }
    }
}
