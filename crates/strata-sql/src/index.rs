//! Indexes: `CREATE [UNIQUE] INDEX`.
//!
//! `USING method` is always printed, btree included, so every index reads the same way. A key
//! prints `NULLS FIRST` / `NULLS LAST` only when it differs from the default for its
//! direction (`NULLS LAST` for ascending, `NULLS FIRST` for descending), which is also how
//! `pg_get_indexdef` prints it.

use strata_model::{Index, IndexExpr, IndexKey, QualifiedName, quote_ident};

use crate::util::{ident_list, push_ident, push_qualified, render_options};

/// A key column quoted, or an expression in parentheses.
pub fn render_index_expr(expr: &IndexExpr) -> String {
    match expr {
        IndexExpr::Column(name) => quote_ident(name),
        IndexExpr::Expression(sql) => format!("({})", sql.trim()),
    }
}

/// One index (or exclusion constraint) key: expression, `COLLATE`, operator class, `DESC`,
/// `NULLS FIRST|LAST`. The operator class is printed as given (it may be schema-qualified or
/// carry parameters, as `pg_get_indexdef` prints it).
pub fn render_index_key(key: &IndexKey) -> String {
    let mut out = render_index_expr(&key.expr);
    if let Some(collation) = &key.collation {
        out.push_str(" COLLATE ");
        out.push_str(&quote_ident(collation));
    }
    if let Some(opclass) = key
        .opclass
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        out.push(' ');
        out.push_str(opclass);
    }
    if key.descending {
        out.push_str(" DESC");
    }
    match key.nulls_first {
        Some(true) if !key.descending => out.push_str(" NULLS FIRST"),
        Some(false) if key.descending => out.push_str(" NULLS LAST"),
        _ => {}
    }
    out
}

/// `CREATE [UNIQUE] INDEX name ON table USING method (keys) [INCLUDE (...)]
/// [NULLS NOT DISTINCT] [WITH (options)] [WHERE (predicate)];` — an empty name lets PostgreSQL choose one.
pub fn render_index(table: &QualifiedName, index: &Index) -> String {
    let mut out = String::from("CREATE ");
    if index.unique {
        out.push_str("UNIQUE ");
    }
    out.push_str("INDEX ");
    if !index.name.is_empty() {
        push_ident(&mut out, &index.name);
        out.push(' ');
    }
    out.push_str("ON ");
    push_qualified(&mut out, table);
    if !index.method.is_empty() {
        out.push_str(" USING ");
        push_ident(&mut out, &index.method);
    }
    out.push_str(" (");
    for (i, key) in index.keys.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&render_index_key(key));
    }
    out.push(')');
    if !index.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    out.push_str(&render_options(&index.options));
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE ({})", predicate.trim()));
    }
    out.push(';');
    out
}

/// The qualified name of an index, which lives in its table's schema.
pub fn index_name(table: &QualifiedName, index: &Index) -> QualifiedName {
    QualifiedName::new(table.schema.clone(), index.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_only_when_not_default() {
        let mut key = IndexKey::column("a");
        key.nulls_first = Some(false);
        assert_eq!(render_index_key(&key), "a");
        key.nulls_first = Some(true);
        assert_eq!(render_index_key(&key), "a NULLS FIRST");
        let mut key = key.desc();
        assert_eq!(render_index_key(&key), "a DESC");
        key.nulls_first = Some(false);
        assert_eq!(render_index_key(&key), "a DESC NULLS LAST");
    }
}
