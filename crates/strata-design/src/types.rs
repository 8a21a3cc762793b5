//! Field types: built-in PostgreSQL types in catalog spelling, semantic types and user types.

use strata_diagnostics::Diagnostic;
use strata_lang::ast::{TypeArg, TypeExpr};
use strata_model::{QualifiedName, TypeRef, quote_ident, quote_literal};

use crate::codes;

/// What a written type becomes.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub ty: TypeRef,
    /// CHECK expressions (with `{col}` standing for the quoted column) and their name suffix.
    pub checks: Vec<(String, String)>,
    pub semantic: Option<&'static str>,
    pub sensitive: bool,
    /// Column name suffix a semantic type imposes (`password` → `password_hash`).
    pub column_suffix: Option<&'static str>,
    /// Default that the type implies (`counter` → 0).
    pub default: Option<String>,
    pub enum_name: Option<QualifiedName>,
}

impl Resolved {
    fn plain(ty: TypeRef) -> Self {
        Resolved {
            ty,
            checks: Vec::new(),
            semantic: None,
            sensitive: false,
            column_suffix: None,
            default: None,
            enum_name: None,
        }
    }
}

/// A user-declared type visible to fields.
pub enum UserType<'a> {
    Enum(&'a QualifiedName, &'a [String]),
    Domain(&'a QualifiedName),
}

fn int_args(t: &TypeExpr, min: usize, max: usize, diags: &mut Vec<Diagnostic>) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for a in &t.args {
        match a {
            TypeArg::Int(v, _) => out.push(*v),
            TypeArg::Word(w) => {
                diags.push(
                    Diagnostic::error(
                        codes::BAD_TYPE_ARGS,
                        format!("`{}` takes numbers, found `{}`", t.name.name, w.name),
                        format!("write it as `{}(<number>)`", t.name.name),
                    )
                    .at(w.span),
                );
                return None;
            }
        }
    }
    if out.len() < min || out.len() > max {
        let expected = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        diags.push(
            Diagnostic::error(
                codes::BAD_TYPE_ARGS,
                format!(
                    "`{}` takes {expected} argument(s), found {}",
                    t.name.name,
                    out.len()
                ),
                format!(
                    "see the type table in docs/language.md for `{}`",
                    t.name.name
                ),
            )
            .at(t.span),
        );
        return None;
    }
    Some(out)
}

fn length_check(n: i64) -> (String, String) {
    ("length".into(), format!("char_length({{col}}) <= {n}"))
}

/// Every type name [`resolve`] knows without a declaration, aliases included (for "did you
/// mean" hints; `serial` and friends are left out, since they are refused).
pub const BUILTIN_TYPE_NAMES: &[&str] = &[
    "text",
    "string",
    "varchar",
    "char",
    "int",
    "integer",
    "int4",
    "bigint",
    "int8",
    "smallint",
    "int2",
    "bool",
    "boolean",
    "uuid",
    "timestamptz",
    "timestamp",
    "date",
    "time",
    "timetz",
    "interval",
    "jsonb",
    "json",
    "numeric",
    "decimal",
    "real",
    "float4",
    "double",
    "float8",
    "float",
    "bytea",
    "bytes",
    "inet",
    "cidr",
    "macaddr",
    "tsvector",
    "tsquery",
    "xml",
    "point",
    "int4range",
    "int8range",
    "numrange",
    "tstzrange",
    "daterange",
    "citext",
    "ltree",
    "oid",
    "email",
    "url",
    "slug",
    "phone",
    "money",
    "password_hash",
    "secret",
    "counter",
];

/// The closest known type name to an unknown `word` (edit distance at most 2, and less than
/// the name's length), among the built-in names and `declared` (enums and domains).
pub fn closest_type<'n>(word: &str, declared: impl IntoIterator<Item = &'n str>) -> Option<String> {
    let w = word.to_lowercase();
    if w.chars().count() > 40 {
        return None;
    }
    BUILTIN_TYPE_NAMES
        .iter()
        .copied()
        .chain(declared)
        .map(|c| (edit_distance(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2 && *d < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Finds a user type by name; `Err` lists the schemas declaring it when the name is ambiguous.
pub type TypeLookup<'l, 'a> = &'l dyn Fn(&str) -> Result<Option<UserType<'a>>, Vec<QualifiedName>>;

/// Resolves a written type. `lookup` finds enums and domains by name.
pub fn resolve<'a>(
    t: &TypeExpr,
    text_checks: bool,
    native_enums: bool,
    lookup: TypeLookup<'_, 'a>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Resolved> {
    let name = t.name.name.as_str();
    if t.raw {
        if name.is_empty() {
            diags.push(
                Diagnostic::error(
                    codes::UNKNOWN_TYPE,
                    "empty type in backticks",
                    "write the PostgreSQL type between the backticks, e.g. `bit varying(8)`",
                )
                .at(t.span),
            );
            return None;
        }
        // Verbatim: PostgreSQL checks it when the table is created.
        let ty = TypeRef::builtin(name);
        return Some(Resolved::plain(if t.array_dims > 0 {
            ty.array(t.array_dims)
        } else {
            ty
        }));
    }
    let lower = name.to_ascii_lowercase();
    let b = |n: &str| Resolved::plain(TypeRef::builtin(n));
    let no_args = |diags: &mut Vec<Diagnostic>| int_args(t, 0, 0, diags).is_some();
    let mut r = match lower.as_str() {
        "text" | "string" => {
            let args = int_args(t, 0, 1, diags)?;
            match args.first() {
                Some(&n) if n <= 0 => {
                    diags.push(
                        Diagnostic::error(
                            codes::BAD_TYPE_ARGS,
                            format!("a text limit must be positive, found {n}"),
                            "write `text` for no limit or `text(n)` with n > 0",
                        )
                        .at(t.span),
                    );
                    return None;
                }
                Some(&n) if text_checks => {
                    let mut r = b("text");
                    r.checks.push(length_check(n));
                    r
                }
                Some(&n) => b(&format!("character varying({n})")),
                None => b("text"),
            }
        }
        "varchar" => match int_args(t, 0, 1, diags)?.first() {
            Some(n) => b(&format!("character varying({n})")),
            None => b("character varying"),
        },
        "char" => {
            let n = int_args(t, 0, 1, diags)?.first().copied().unwrap_or(1);
            b(&format!("character({n})"))
        }
        "int" | "integer" | "int4" => no_args(diags).then(|| b("integer"))?,
        "bigint" | "int8" => no_args(diags).then(|| b("bigint"))?,
        "smallint" | "int2" => no_args(diags).then(|| b("smallint"))?,
        "bool" | "boolean" => no_args(diags).then(|| b("boolean"))?,
        "uuid" => no_args(diags).then(|| b("uuid"))?,
        "timestamptz" => {
            let args = int_args(t, 0, 1, diags)?;
            match args.first() {
                Some(p) => b(&format!("timestamp({p}) with time zone")),
                None => b("timestamp with time zone"),
            }
        }
        "timestamp" => {
            diags.push(
                Diagnostic::warning(
                    codes::TIMESTAMP_WITHOUT_TZ,
                    "`timestamp` stores no time zone: values are ambiguous across zones",
                    "use `timestamptz` unless this is a wall-clock time with no zone",
                )
                .at(t.name.span),
            );
            b("timestamp without time zone")
        }
        "date" => no_args(diags).then(|| b("date"))?,
        "time" => no_args(diags).then(|| b("time without time zone"))?,
        "timetz" => no_args(diags).then(|| b("time with time zone"))?,
        "interval" => no_args(diags).then(|| b("interval"))?,
        "jsonb" => no_args(diags).then(|| b("jsonb"))?,
        "json" => {
            diags.push(
                Diagnostic::warning(
                    codes::JSON_NOT_JSONB,
                    "`json` keeps the text as written and cannot be indexed",
                    "use `jsonb` unless key order and duplicate keys must be preserved",
                )
                .at(t.name.span),
            );
            b("json")
        }
        "numeric" | "decimal" => {
            let args = int_args(t, 0, 2, diags)?;
            if let Some(&p) = args.first()
                && !(1..=1000).contains(&p)
            {
                diags.push(
                    Diagnostic::error(
                        codes::BAD_TYPE_ARGS,
                        format!("numeric precision must be between 1 and 1000, found {p}"),
                        "write `numeric(precision, scale)`, e.g. `numeric(12, 2)`",
                    )
                    .at(t.span),
                );
                return None;
            }
            match args.as_slice() {
                [p, s] => b(&format!("numeric({p},{s})")),
                [p] => b(&format!("numeric({p},0)")),
                _ => b("numeric"),
            }
        }
        "real" | "float4" => no_args(diags).then(|| b("real"))?,
        "double" | "double precision" | "float8" | "float" => {
            no_args(diags).then(|| b("double precision"))?
        }
        "bytea" | "bytes" => no_args(diags).then(|| b("bytea"))?,
        "inet" | "cidr" | "macaddr" | "tsvector" | "tsquery" | "xml" | "point" | "int4range"
        | "int8range" | "numrange" | "tstzrange" | "daterange" | "citext" | "ltree" | "oid" => {
            no_args(diags).then(|| b(&lower))?
        }
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" => {
            diags.push(
                Diagnostic::error(
                    codes::SERIAL_TYPE,
                    format!("`{name}` is not used by Strata"),
                    "use an integer with `identity` (or the `primary_key identity` convention)",
                )
                .at(t.name.span),
            );
            return None;
        }
        // Semantic types: a storage type plus the checks that make the value valid.
        "email" => {
            no_args(diags).then_some(())?;
            let mut r = b("text");
            r.checks.push(("format".into(),
                "{col} ~* '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$' AND char_length({col}) <= 254".into()));
            r.semantic = Some("email");
            r
        }
        "url" => {
            no_args(diags).then_some(())?;
            let mut r = b("text");
            r.checks.push((
                "format".into(),
                "{col} ~* '^https?://' AND char_length({col}) <= 2048".into(),
            ));
            r.semantic = Some("url");
            r
        }
        "slug" => {
            no_args(diags).then_some(())?;
            let mut r = b("text");
            r.checks.push((
                "format".into(),
                "{col} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length({col}) <= 100".into(),
            ));
            r.semantic = Some("slug");
            r
        }
        "phone" => {
            no_args(diags).then_some(())?;
            let mut r = b("text");
            r.checks
                .push(("format".into(), "{col} ~ '^\\+[1-9][0-9]{6,14}$'".into()));
            r.semantic = Some("phone");
            r
        }
        "money" => {
            let args = int_args(t, 0, 2, diags)?;
            let (p, s) = match args.as_slice() {
                [p, s] => (*p, *s),
                [p] => (*p, 2),
                _ => (12, 2),
            };
            let mut r = b(&format!("numeric({p},{s})"));
            r.semantic = Some("money");
            r
        }
        "password_hash" => {
            no_args(diags).then_some(())?;
            let mut r = b("text");
            r.checks
                .push(("not_blank".into(), "char_length({col}) > 0".into()));
            r.semantic = Some("password_hash");
            r.sensitive = true;
            r.column_suffix = Some("_hash");
            r
        }
        "secret" => {
            no_args(diags).then_some(())?;
            let mut r = b("text");
            r.semantic = Some("secret");
            r.sensitive = true;
            r
        }
        "counter" => {
            no_args(diags).then_some(())?;
            let mut r = b("bigint");
            r.checks.push(("non_negative".into(), "{col} >= 0".into()));
            r.semantic = Some("counter");
            r.default = Some("0".into());
            r
        }
        _ => match lookup(name) {
            Ok(Some(UserType::Enum(qn, values))) => {
                no_args(diags).then_some(())?;
                if native_enums {
                    let mut r = Resolved::plain(TypeRef::user(qn));
                    r.enum_name = Some(qn.clone());
                    r
                } else {
                    let list: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
                    let mut r = b("text");
                    r.checks
                        .push(("values".into(), format!("{{col}} IN ({})", list.join(", "))));
                    r.enum_name = Some(qn.clone());
                    r
                }
            }
            Ok(Some(UserType::Domain(qn))) => {
                no_args(diags).then_some(())?;
                Resolved::plain(TypeRef::user(qn))
            }
            Ok(None) => {
                diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_TYPE,
                        format!("unknown type `{name}`"),
                        "use a built-in type (text, int, bigint, bool, uuid, timestamptz, numeric, jsonb, ...), a semantic type (email, url, money, password_hash, ...), or declare an enum or domain with this name",
                    )
                    .at(t.name.span),
                );
                return None;
            }
            Err(candidates) => {
                let names: Vec<String> = candidates.iter().map(|q| q.to_string()).collect();
                diags.push(
                    Diagnostic::error(
                        codes::AMBIGUOUS_NAME,
                        format!(
                            "type `{name}` is declared in several schemas: {}",
                            names.join(", ")
                        ),
                        "rename one of them so each type name is unique",
                    )
                    .at(t.name.span),
                );
                return None;
            }
        },
    };
    if t.array_dims > 0 {
        r.ty = r.ty.array(t.array_dims);
        // Element checks do not apply to an array as a whole.
        r.checks.clear();
        r.semantic = None;
    }
    Some(r)
}

/// Substitutes the quoted column into a check template.
pub fn check_for(template: &str, column: &str) -> String {
    template.replace("{col}", &quote_ident(column))
}
