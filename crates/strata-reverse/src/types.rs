//! Column types and defaults as `.strata` spellings that lower to exactly the same catalog
//! types and default expressions.

use strata_lang::ast::{DefaultExpr, TypeExpr};
use strata_model::{Model, QualifiedName, TypeRef, quote_ident, quote_literal};

use crate::build::{ident, is_plain_ident, raw_ty, sp, sql, string, ty};
use crate::names;

/// The `.strata` type for a catalog type; `None` when only a raw (backtick) type can say it.
pub fn builtin(name: &str, dims: u8) -> Option<TypeExpr> {
    let simple = |n: &str| Some(ty(n, &[], dims));
    match name {
        "text" => simple("text"),
        "integer" => simple("int"),
        "bigint" => simple("bigint"),
        "smallint" => simple("smallint"),
        "boolean" => simple("bool"),
        "uuid" => simple("uuid"),
        "timestamp with time zone" => simple("timestamptz"),
        "timestamp without time zone" => simple("timestamp"),
        "date" => simple("date"),
        "time without time zone" => simple("time"),
        "time with time zone" => simple("timetz"),
        "interval" => simple("interval"),
        "jsonb" => simple("jsonb"),
        "json" => simple("json"),
        "numeric" => simple("numeric"),
        "real" => simple("real"),
        "double precision" => simple("double"),
        "bytea" => simple("bytea"),
        "character varying" => simple("varchar"),
        "inet" | "cidr" | "macaddr" | "tsvector" | "tsquery" | "xml" | "point" | "int4range"
        | "int8range" | "numrange" | "tstzrange" | "daterange" | "citext" | "ltree" | "oid" => {
            simple(name)
        }
        _ => {
            let args = |prefix: &str, suffix: &str| -> Option<Vec<i64>> {
                let inner = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
                inner
                    .split(',')
                    .map(|p| p.trim().parse::<i64>().ok())
                    .collect()
            };
            if let Some(a) = args("numeric(", ")").filter(|a| a.len() == 2) {
                return Some(ty("numeric", &a, dims));
            }
            if let Some(a) = args("character varying(", ")").filter(|a| a.len() == 1) {
                return Some(ty("varchar", &a, dims));
            }
            if let Some(a) = args("character(", ")").filter(|a| a.len() == 1) {
                return Some(ty("char", &a, dims));
            }
            if let Some(a) = args("timestamp(", ") with time zone").filter(|a| a.len() == 1) {
                return Some(ty("timestamptz", &a, dims));
            }
            None
        }
    }
}

/// A type for a column: built-in spelling, a declared enum or domain by name, or raw SQL.
pub fn column_type(model: &Model, t: &TypeRef) -> TypeExpr {
    match &t.schema {
        None => builtin(&t.name, t.array_dims).unwrap_or_else(|| raw_ty(&t.name, t.array_dims)),
        Some(schema) => {
            let qn = QualifiedName::new(schema.clone(), t.name.clone());
            if user_type_by_name(model, &qn) {
                ty(&t.name, &[], t.array_dims)
            } else {
                raw_ty(qn.quoted(), t.array_dims)
            }
        }
    }
}

/// Whether a declared enum or domain can be named in `.strata` and found unambiguously.
pub fn user_type_by_name(model: &Model, qn: &QualifiedName) -> bool {
    let declared =
        model.enums.iter().any(|e| &e.name == qn) || model.domains.iter().any(|d| &d.name == qn);
    let same_name = model
        .enums
        .iter()
        .filter(|e| e.name.name == qn.name)
        .count()
        + model
            .domains
            .iter()
            .filter(|d| d.name.name == qn.name)
            .count();
    declared && same_name == 1 && names::stable(&qn.name)
}

/// The SQL the designer writes for a type in casts (`'open'::ticket_status`).
pub fn type_sql(t: &TypeRef) -> String {
    let base = match &t.schema {
        Some(s) if s == "public" => quote_ident(&t.name),
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(&t.name)),
        None => t.name.clone(),
    };
    format!("{base}{}", "[]".repeat(t.array_dims as usize))
}

/// The value of a plain SQL string literal `'...'` (with `''` escapes), if `text` is one.
pub fn parse_literal(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let value = inner.replace("''", "'");
    (quote_literal(&value) == text).then_some(value)
}

fn is_number(text: &str) -> bool {
    let t = text.strip_prefix('-').unwrap_or(text);
    let mut parts = t.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The default as `.strata` writes it, such that the designer produces `sql` again.
pub fn default_expr(model: &Model, t: &TypeRef, default: &str) -> DefaultExpr {
    let is_enum = t.array_dims == 0
        && t.schema.as_ref().is_some_and(|s| {
            model
                .enums
                .iter()
                .any(|e| e.name == QualifiedName::new(s.clone(), t.name.clone()))
        });
    let is_domain = t.schema.is_some() && !is_enum;
    let plain = t.schema.is_none() && t.array_dims == 0;
    let numeric = is_domain
        || plain
            && matches!(
                t.base_name(),
                "integer" | "bigint" | "smallint" | "numeric" | "real" | "double precision"
            );
    if is_enum {
        let cast = format!("::{}", type_sql(t));
        if let Some(v) = default.strip_suffix(&cast).and_then(parse_literal)
            && user_type_by_name(
                model,
                &QualifiedName::new(t.schema.clone().unwrap_or_default(), t.name.clone()),
            )
        {
            return if is_plain_ident(&v) && !["true", "false", "null"].contains(&v.as_str()) {
                DefaultExpr::Word(ident(v))
            } else {
                DefaultExpr::Str(string(v))
            };
        }
        return DefaultExpr::Sql(sql(default));
    }
    if numeric && is_number(default) {
        return DefaultExpr::Number(default.to_string(), sp());
    }
    if (plain && t.name == "boolean" || is_domain) && (default == "true" || default == "false") {
        return DefaultExpr::Bool(default == "true", sp());
    }
    if plain
        && (t.name == "text" || t.name.starts_with("character"))
        && let Some(v) = parse_literal(default)
    {
        return DefaultExpr::Str(string(v));
    }
    if default == "NULL" {
        return DefaultExpr::Null(sp());
    }
    if let Some(f) = default.strip_suffix("()")
        && is_plain_ident(f)
    {
        return DefaultExpr::Call(ident(f));
    }
    if !is_domain
        && [
            "CURRENT_TIMESTAMP",
            "CURRENT_DATE",
            "CURRENT_TIME",
            "CURRENT_USER",
            "LOCALTIMESTAMP",
        ]
        .contains(&default)
    {
        return DefaultExpr::Word(ident(default.to_ascii_lowercase()));
    }
    DefaultExpr::Sql(sql(default))
}

/// Check templates of the designer's semantic types; `{col}` is the quoted column.
pub const EMAIL: &str =
    "{col} ~* '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$' AND char_length({col}) <= 254";
pub const URL: &str = "{col} ~* '^https?://' AND char_length({col}) <= 2048";
pub const SLUG: &str = "{col} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length({col}) <= 100";
pub const PHONE: &str = "{col} ~ '^\\+[1-9][0-9]{6,14}$'";
pub const NOT_BLANK: &str = "char_length({col}) > 0";
pub const NON_NEGATIVE: &str = "{col} >= 0";

pub fn template(tpl: &str, column: &str) -> String {
    tpl.replace("{col}", &quote_ident(column))
}
