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
pub fn builtin_base(t: &TypeRef) -> Option<std::borrow::Cow<'_, str>> {
    if t.schema.is_some() {
        return None;
    }
    // Most names have no modifiers: no copy for them.
    if !t.name.contains(['(', '[']) {
        return Some(std::borrow::Cow::Borrowed(t.name.as_str()));
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
    Some(std::borrow::Cow::Owned(
        out.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
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

/// Every index of a table, with the ones backing its primary key and unique constraints
/// (btree, unique, on plain columns): (index, backs a constraint).
pub fn table_indexes(table: &Table) -> Vec<(Index, bool)> {
    let mut out = Vec::new();
    if let Some(pk) = &table.primary_key {
        let mut i = Index::btree(
            pk.name.clone(),
            pk.columns
                .iter()
                .map(strata_model::IndexKey::column)
                .collect(),
        );
        i.unique = true;
        out.push((i, true));
    }
    for u in &table.uniques {
        let mut i = Index::btree(
            u.name.clone(),
            u.columns
                .iter()
                .map(strata_model::IndexKey::column)
                .collect(),
        );
        i.unique = true;
        i.nulls_not_distinct = u.nulls_not_distinct;
        out.push((i, true));
    }
    out.extend(table.indexes.iter().map(|i| (i.clone(), false)));
    out
}

/// The conjuncts of a boolean expression as the server prints it (`((a IS NULL) AND (b >
/// 0))` → `a IS NULL`, `b > 0`), each without its outer parentheses.
pub fn conjuncts(expr: &str) -> Vec<String> {
    fn strip(mut s: &str) -> &str {
        loop {
            let t = s.trim();
            if t.starts_with('(') && t.ends_with(')') && encloses(t) {
                s = &t[1..t.len() - 1];
            } else {
                return t;
            }
        }
    }
    // Whether the first `(` closes at the last character.
    fn encloses(t: &str) -> bool {
        let mut depth = 0i32;
        let mut quoted = false;
        for (i, c) in t.char_indices() {
            match c {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 && i != t.len() - 1 {
                        return false;
                    }
                }
                _ => {}
            }
        }
        true
    }
    let s = strip(expr);
    let mut parts = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0usize);
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            b' ' if !quoted && depth == 0 && s[i..].starts_with(" AND ") => {
                parts.push(s[start..i].to_string());
                start = i + 5;
                i += 5;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(s[start..].to_string());
    if parts.len() == 1 {
        return vec![s.to_string()];
    }
    parts.iter().flat_map(|p| conjuncts(p)).collect()
}

fn same_key(a: &strata_model::IndexKey, b: &strata_model::IndexKey) -> bool {
    a.expr == b.expr
        && a.opclass == b.opclass
        && a.collation == b.collation
        && a.descending == b.descending
        && a.nulls_first == b.nulls_first
}

/// Whether `b` serves every query `a` serves, so `a` adds nothing: the same method; `a`'s
/// keys equal to `b`'s (for btree: a prefix of them) in expression, operator class,
/// collation, direction and NULLS order; `b`'s predicate implied by `a`'s (no predicate, or
/// every conjunct of it among `a`'s conjuncts); `a`'s INCLUDE columns among `b`'s columns;
/// and when `a` is unique, `b` enforces the same uniqueness (unique on the same keys, the
/// same predicate, NULLS NOT DISTINCT when `a` has it).
pub fn serves(b: &Index, a: &Index) -> bool {
    if a.method != b.method || a.keys.len() > b.keys.len() {
        return false;
    }
    if a.method != "btree" && a.keys.len() != b.keys.len() {
        return false;
    }
    if !a.keys.iter().zip(&b.keys).all(|(x, y)| same_key(x, y)) {
        return false;
    }
    let pa = a.predicate.as_deref().map(conjuncts).unwrap_or_default();
    let pb = b.predicate.as_deref().map(conjuncts).unwrap_or_default();
    if !pb.iter().all(|c| pa.contains(c)) {
        return false;
    }
    if a.unique
        && !(b.unique
            && a.keys.len() == b.keys.len()
            && pa.len() == pb.len()
            && (!a.nulls_not_distinct || b.nulls_not_distinct))
    {
        return false;
    }
    let available: Vec<&str> = b
        .keys
        .iter()
        .filter_map(strata_model::IndexKey::column_name)
        .chain(b.include.iter().map(String::as_str))
        .collect();
    a.include.iter().all(|c| available.contains(&c.as_str()))
}

/// Whether two indexes are the same index under two names.
pub fn identical(a: &Index, b: &Index) -> bool {
    let mut ia = a.include.clone();
    let mut ib = b.include.clone();
    ia.sort();
    ib.sort();
    a.unique == b.unique
        && a.nulls_not_distinct == b.nulls_not_distinct
        && ia == ib
        && a.keys.len() == b.keys.len()
        && serves(a, b)
        && serves(b, a)
}

/// Whether a name is (with its table or schema) one of the names we look for: `name` equal to
/// a word, or ending in `_word`.
pub fn named_like(name: &str, words: &[&str]) -> bool {
    let n = name.to_ascii_lowercase();
    words
        .iter()
        .any(|w| n == *w || n.ends_with(&format!("_{w}")))
}

/// A type as SQL spells it, for messages.
pub fn type_text(t: &TypeRef) -> String {
    let base = match &t.schema {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    };
    format!("{base}{}", "[]".repeat(usize::from(t.array_dims)))
}

/// Column names that hold the tenant a row belongs to.
pub const TENANT_COLUMNS: [&str; 5] = [
    "tenant_id",
    "organization_id",
    "org_id",
    "workspace_id",
    "account_id",
];

/// The table's tenant column, if it has one.
pub fn tenant_column(table: &Table) -> Option<&Column> {
    table
        .columns
        .iter()
        .find(|c| TENANT_COLUMNS.contains(&c.name.as_str()))
}

/// Whether a table's name says it holds the tenants themselves.
pub fn is_tenant_table(name: &str) -> bool {
    matches!(
        name,
        "tenants"
            | "organizations"
            | "organisations"
            | "orgs"
            | "workspaces"
            | "accounts"
            | "tenant"
            | "organization"
            | "workspace"
            | "account"
    )
}
