//! Small text helpers shared by the targets.

use strata_model::{Column, QualifiedName, Table, TypeRef};

/// PostgreSQL's short spelling of a type (`timestamptz` for `timestamp with time zone`),
/// schema-qualified only outside `public`, with `[]` per array dimension.
pub fn short_type(ty: &TypeRef) -> String {
    let base = match &ty.schema {
        Some(schema) if schema != "public" && schema != "pg_catalog" => {
            format!("{schema}.{}", ty.name)
        }
        Some(_) => ty.name.clone(),
        None => short_builtin(&ty.name),
    };
    format!("{base}{}", "[]".repeat(usize::from(ty.array_dims)))
}

fn short_builtin(name: &str) -> String {
    let (base, modifiers) = match name.find('(') {
        Some(open) => {
            // `timestamp(3) with time zone` keeps its precision after the base name.
            let close = name[open..].find(')').map_or(name.len(), |c| open + c + 1);
            let rest = name[close..].trim();
            let base = format!("{} {rest}", name[..open].trim());
            (base.trim().to_string(), name[open..close].to_string())
        }
        None => (name.to_string(), String::new()),
    };
    let short = match base.as_str() {
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time with time zone" => "timetz",
        "time without time zone" => "time",
        "character varying" => "varchar",
        "character" => "char",
        "double precision" => "float8",
        "bit varying" => "varbit",
        "boolean" => "bool",
        "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        other => other,
    };
    format!("{short}{modifiers}")
}

/// A single-line excerpt of a doc comment: the text up to the first blank line, newlines as
/// spaces.
pub fn one_line(text: &str) -> String {
    let para = text.split("\n\n").next().unwrap_or(text);
    para.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `12345678` → `12M`, for row estimates.
pub fn human_count(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 && n.is_multiple_of(1_000_000_000) => {
            format!("{}B", n / 1_000_000_000)
        }
        n if n >= 1_000_000 && n.is_multiple_of(1_000_000) => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n.is_multiple_of(1_000) => format!("{}K", n / 1_000),
        n => n.to_string(),
    }
}

/// An access pattern's rate the way the design writes it: `50/s`, `1/min`, `3/h`.
pub fn human_rate(per_sec: f64) -> String {
    let fmt = |v: f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{}", v.round() as i64)
        } else {
            format!("{v:.2}")
        }
    };
    if per_sec >= 1.0 {
        format!("{}/s", fmt(per_sec))
    } else if per_sec * 60.0 >= 1.0 - 1e-9 {
        format!("{}/min", fmt(per_sec * 60.0))
    } else if per_sec * 3600.0 >= 1.0 - 1e-9 {
        format!("{}/h", fmt(per_sec * 3600.0))
    } else {
        format!("{}/day", fmt(per_sec * 86400.0))
    }
}

/// The constraints a column takes part in, as the docs list them: `PRIMARY KEY`, one foreign
/// key entry per key (`fk` spells the referenced table, with the target's own markup), then
/// `NOT NULL` and `UNIQUE` where the primary key does not already say so.
pub fn column_constraints(
    t: &Table,
    c: &Column,
    fk: &dyn Fn(&QualifiedName) -> String,
) -> Vec<String> {
    let pk: &[String] = t
        .primary_key
        .as_ref()
        .map_or(&[], |pk| pk.columns.as_slice());
    let in_pk = pk.contains(&c.name);
    let mut cons = Vec::new();
    if in_pk {
        cons.push("PRIMARY KEY".to_string());
    }
    for key in t
        .foreign_keys
        .iter()
        .filter(|f| f.columns.contains(&c.name))
    {
        cons.push(fk(&key.ref_table));
    }
    if !c.nullable && !in_pk {
        cons.push("NOT NULL".into());
    }
    if !in_pk && t.has_unique_key(std::slice::from_ref(&c.name)) {
        cons.push("UNIQUE".into());
    }
    cons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_types() {
        assert_eq!(
            short_type(&TypeRef::builtin("timestamp with time zone")),
            "timestamptz"
        );
        assert_eq!(
            short_type(&TypeRef::builtin("character varying(255)")),
            "varchar(255)"
        );
        assert_eq!(
            short_type(&TypeRef::builtin("timestamp(3) with time zone")),
            "timestamptz(3)"
        );
        assert_eq!(short_type(&TypeRef::builtin("text").array(1)), "text[]");
        let user = TypeRef::user(&strata_model::QualifiedName::new("sales", "status"));
        assert_eq!(short_type(&user), "sales.status");
    }

    #[test]
    fn rates_and_counts() {
        assert_eq!(human_rate(50.0), "50/s");
        assert_eq!(human_rate(1.0 / 60.0), "1/min");
        assert_eq!(human_rate(2.0 / 3600.0), "2/h");
        assert_eq!(human_count(10_000_000), "10M");
        assert_eq!(human_count(1234), "1234");
    }
}
