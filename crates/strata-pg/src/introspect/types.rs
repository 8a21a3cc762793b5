//! Extensions, enums, domains and sequences.

use strata_model::{
    CheckConstraint, Domain, EnumType, Extension, QualifiedName, Sequence, TypeRef, VerbatimObject,
    VerbatimStage,
};

use super::{Context, IntrospectError, get};

pub fn read(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    extensions(cx)?;
    enums(cx)?;
    domains(cx)?;
    sequences(cx)
}

fn extensions(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "extensions";
    for row in cx.query(Q, include_str!("queries/extensions.sql"))? {
        cx.model.extensions.push(Extension {
            name: get(&row, Q, "extname")?,
            schema: Some(get(&row, Q, "nspname")?),
            version: Some(get(&row, Q, "extversion")?),
        });
    }
    Ok(())
}

fn enums(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "enums";
    for row in cx.query(Q, include_str!("queries/enums.sql"))? {
        let name = QualifiedName::new(
            get::<String>(&row, Q, "nspname")?,
            get::<String>(&row, Q, "typname")?,
        );
        if cx.excluded(&name) {
            continue;
        }
        cx.model.enums.push(EnumType {
            name,
            values: get(&row, Q, "labels")?,
            comment: get(&row, Q, "comment")?,
        });
    }
    Ok(())
}

/// `CHECK (expr)` (as `pg_get_constraintdef` prints it) → `expr`, and whether it ends in
/// `NOT VALID`.
pub fn strip_check(def: &str) -> (String, bool) {
    let mut text = def.trim();
    let not_valid = text.ends_with(" NOT VALID");
    if let Some(t) = text.strip_suffix(" NOT VALID") {
        text = t;
    }
    let inner = text
        .strip_prefix("CHECK (")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(text);
    (inner.to_string(), not_valid)
}

fn domains(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "domains";
    for row in cx.query(Q, include_str!("queries/domains.sql"))? {
        let name = QualifiedName::new(
            get::<String>(&row, Q, "nspname")?,
            get::<String>(&row, Q, "typname")?,
        );
        if cx.excluded(&name) {
            continue;
        }
        let dims: i32 = get(&row, Q, "dims")?;
        let base = TypeRef {
            schema: get(&row, Q, "base_schema")?,
            name: get(&row, Q, "base_name")?,
            array_dims: u8::try_from(dims).unwrap_or(1),
        };
        let names: Vec<String> = get(&row, Q, "check_names")?;
        let defs: Vec<String> = get(&row, Q, "check_defs")?;
        let valid: Vec<bool> = get(&row, Q, "check_valid")?;
        let mut checks = Vec::new();
        for (i, (cname, def)) in names.into_iter().zip(defs).enumerate() {
            let (expression, _) = strip_check(&def);
            // A check not validated yet is carried as SQL, added NOT VALID after the tables.
            if valid.get(i) == Some(&false) {
                let domain = name.quoted();
                let constraint = strata_model::quote_ident(&cname);
                cx.model.verbatim.push(VerbatimObject {
                    kind: "constraint".into(),
                    name: format!("{name}.{cname}"),
                    stage: VerbatimStage::Last,
                    sql: format!("ALTER DOMAIN {domain}\n    ADD CONSTRAINT {constraint} {def};"),
                    drop: format!("ALTER DOMAIN {domain} DROP CONSTRAINT IF EXISTS {constraint};"),
                    on: None,
                });
                continue;
            }
            checks.push(CheckConstraint {
                name: cname,
                expression,
                why: None,
                not_valid: Default::default(),
                not_enforced: false,
            });
        }
        let collation: Option<String> = get(&row, Q, "collation")?;
        let collation_schema: Option<String> = get(&row, Q, "collation_schema")?;
        if collation.is_some() && collation_schema.as_deref() != Some("pg_catalog") {
            cx.warn(
                "domain",
                name.to_string(),
                "its collation lives outside pg_catalog; the model names collations without a schema",
            );
        }
        cx.model.domains.push(Domain {
            name,
            base,
            not_null: get(&row, Q, "typnotnull")?,
            default: get(&row, Q, "typdefault")?,
            collation,
            checks,
            comment: get(&row, Q, "comment")?,
        });
    }
    Ok(())
}

/// The bounds `NO MINVALUE` / `NO MAXVALUE` stand for, for a sequence type and direction.
pub fn default_bounds(data_type: &str, increment: i64) -> (i64, i64) {
    let max = match data_type {
        "smallint" => i64::from(i16::MAX),
        "integer" => i64::from(i32::MAX),
        _ => i64::MAX,
    };
    let min = match data_type {
        "smallint" => i64::from(i16::MIN),
        "integer" => i64::from(i32::MIN),
        _ => i64::MIN,
    };
    if increment > 0 { (1, max) } else { (min, -1) }
}

fn sequences(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "sequences";
    for row in cx.query(Q, include_str!("queries/sequences.sql"))? {
        let name = QualifiedName::new(
            get::<String>(&row, Q, "nspname")?,
            get::<String>(&row, Q, "relname")?,
        );
        let data_type: String = get(&row, Q, "data_type")?;
        let start: i64 = get(&row, Q, "seqstart")?;
        let increment: i64 = get(&row, Q, "seqincrement")?;
        let min: i64 = get(&row, Q, "seqmin")?;
        let max: i64 = get(&row, Q, "seqmax")?;
        let cache: i64 = get(&row, Q, "seqcache")?;
        let cycle: bool = get(&row, Q, "seqcycle")?;
        let owner_kind: Option<String> = get(&row, Q, "owner_kind")?;
        let owner = match (
            get::<Option<String>>(&row, Q, "owner_schema")?,
            get::<Option<String>>(&row, Q, "owner_table")?,
            get::<Option<String>>(&row, Q, "owner_column")?,
        ) {
            (Some(s), Some(t), Some(c)) => Some((QualifiedName::new(s, t), c)),
            _ => None,
        };
        let (dmin, dmax) = default_bounds(&data_type, increment);
        if owner_kind.as_deref() == Some("i") {
            // An identity column's sequence belongs to the column: options other than the
            // defaults go to the column once it is read.
            let default_start = if increment > 0 { min } else { max };
            let defaults = start == default_start
                && increment == 1
                && min == dmin
                && max == dmax
                && cache == 1
                && !cycle;
            if !defaults && let Some((table, column)) = owner {
                let options = strata_model::IdentityOptions {
                    start: (start != default_start).then_some(start),
                    increment: (increment != 1).then_some(increment),
                    min_value: (min != dmin).then_some(min),
                    max_value: (max != dmax).then_some(max),
                    cache: (cache != 1).then_some(cache),
                    cycle,
                };
                cx.identity_options.insert((table, column), options);
            }
            continue;
        }
        if cx.excluded(&name) {
            continue;
        }
        cx.model.sequences.push(Sequence {
            name,
            data_type,
            start,
            increment,
            min_value: (min != dmin).then_some(min),
            max_value: (max != dmax).then_some(max),
            cache,
            cycle,
            owned_by: owner,
            comment: get(&row, Q, "comment")?,
        });
    }
    Ok(())
}
