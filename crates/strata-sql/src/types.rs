//! Types: column type names, `CREATE TYPE ... AS ENUM`, `CREATE DOMAIN`.

use strata_model::{Domain, EnumType, QualifiedName, TypeRef, quote_ident, quote_literal};

use crate::constraint::render_check_clause;

/// A column type: a built-in type as stored (`numeric(12,2)`, `timestamp with time zone`), a
/// user-defined type as a quoted qualified name, then `[]` per array dimension. A user-defined
/// type's name ending in a simple modifier list (`vector(1536)`, `geometry(Point,4326)`) keeps
/// the modifiers outside the quotes, as [`TypeRef::base_name`] reads them.
pub fn render_column_type(ty: &TypeRef) -> String {
    let mut out = String::new();
    push_column_type(&mut out, ty);
    out
}

/// [`render_column_type`], appended to `out`.
pub fn push_column_type(out: &mut String, ty: &TypeRef) {
    if ty.schema.is_none() {
        out.push_str(&ty.name);
    } else {
        out.push_str(&user_type(ty));
    }
    for _ in 0..ty.array_dims {
        out.push_str("[]");
    }
}

fn user_type(ty: &TypeRef) -> String {
    match &ty.schema {
        None => ty.name.clone(),
        Some(schema) => {
            let (name, modifiers) = split_modifiers(&ty.name);
            format!(
                "{}{modifiers}",
                QualifiedName::new(schema.clone(), name).quoted()
            )
        }
    }
}

/// `vector(1536)` → (`vector`, `(1536)`); a name without a well-formed trailing modifier list
/// is all name.
fn split_modifiers(name: &str) -> (&str, &str) {
    if let Some(open) = name.find('(')
        && open > 0
        && name.ends_with(')')
    {
        let modifiers = &name[open..];
        let inner = &modifiers[1..modifiers.len() - 1];
        if inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ',' | ' '))
        {
            return (name[..open].trim_end(), modifiers);
        }
    }
    (name, "")
}

/// `CREATE TYPE name AS ENUM ('a', 'b');`
pub fn render_enum(e: &EnumType) -> String {
    let values: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({});",
        e.name.quoted(),
        values.join(", ")
    )
}

/// `CREATE DOMAIN name AS type [COLLATE c] [DEFAULT expr] [NOT NULL] [CONSTRAINT n CHECK (e)]...;`
pub fn render_domain(d: &Domain) -> String {
    let mut out = format!(
        "CREATE DOMAIN {} AS {}",
        d.name.quoted(),
        render_column_type(&d.base)
    );
    if let Some(collation) = &d.collation {
        out.push_str(" COLLATE ");
        out.push_str(&quote_ident(collation));
    }
    if let Some(default) = &d.default {
        out.push_str(" DEFAULT ");
        out.push_str(default.trim());
    }
    if d.not_null {
        out.push_str(" NOT NULL");
    }
    for check in &d.checks {
        out.push_str("\n    ");
        out.push_str(&render_check_clause(check));
    }
    out.push(';');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types() {
        assert_eq!(
            render_column_type(&TypeRef::builtin("text").array(2)),
            "text[][]"
        );
        let user = TypeRef::user(&QualifiedName::new("My Schema", "status"));
        assert_eq!(render_column_type(&user), "\"My Schema\".status");
        let vector = TypeRef::user(&QualifiedName::public("vector(1536)")).array(1);
        assert_eq!(render_column_type(&vector), "public.vector(1536)[]");
        let odd = TypeRef::user(&QualifiedName::public("a(b\"c)"));
        assert_eq!(render_column_type(&odd), "public.\"a(b\"\"c)\"");
    }
}
