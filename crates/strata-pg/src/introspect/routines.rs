//! Functions and aggregates.

use strata_model::{Aggregate, Function, QualifiedName, Volatility};

use super::{Context, IntrospectError, get};

pub fn read(cx: &mut Context<'_, '_>) -> Result<(), IntrospectError> {
    const Q: &str = "functions";
    for row in cx.query(Q, include_str!("queries/functions.sql"))? {
        let name = QualifiedName::new(
            get::<String>(&row, Q, "nspname")?,
            get::<String>(&row, Q, "proname")?,
        );
        if cx.excluded(&name) {
            continue;
        }
        let identity: String = get(&row, Q, "identity_arguments")?;
        let kind: String = get(&row, Q, "prokind")?;
        let comment: Option<String> = get(&row, Q, "comment")?;
        match kind.as_str() {
            "a" => aggregate(cx, &row, name, identity, comment)?,
            // Carried as SQL (verbatim.rs).
            "p" | "w" => {}
            _ => {
                if let Some(f) = function(&row, name, comment)? {
                    cx.model.functions.push(f);
                }
            }
        }
    }
    Ok(())
}

fn function(
    row: &postgres::Row,
    name: QualifiedName,
    comment: Option<String>,
) -> Result<Option<Function>, IntrospectError> {
    const Q: &str = "functions";
    let language: String = get(row, Q, "lanname")?;
    // SQL-standard bodies (BEGIN ATOMIC) and C functions are carried as SQL (verbatim.rs).
    if get::<bool>(row, Q, "atomic_body")? || language == "c" || language == "internal" {
        return Ok(None);
    }
    let volatility = match get::<String>(row, Q, "volatility")?.as_str() {
        "i" => Volatility::Immutable,
        "s" => Volatility::Stable,
        _ => Volatility::Volatile,
    };
    // Planner attributes, when they differ from the defaults.
    let mut attributes = Vec::new();
    if get::<bool>(row, Q, "proleakproof")? {
        attributes.push("LEAKPROOF".to_string());
    }
    match get::<String>(row, Q, "parallel")?.as_str() {
        "s" => attributes.push("PARALLEL SAFE".to_string()),
        "r" => attributes.push("PARALLEL RESTRICTED".to_string()),
        _ => {}
    }
    let cost: f64 = get(row, Q, "cost")?;
    if (cost - 100.0).abs() > f64::EPSILON {
        attributes.push(format!("COST {cost}"));
    }
    let rows: f64 = get(row, Q, "rows")?;
    let retset: bool = get(row, Q, "proretset")?;
    let default_rows = if retset { 1000.0 } else { 0.0 };
    if (rows - default_rows).abs() > f64::EPSILON {
        attributes.push(format!("ROWS {rows}"));
    }
    let config = get::<Option<Vec<String>>>(row, Q, "config")?.unwrap_or_default();
    Ok(Some(Function {
        name,
        arguments: get(row, Q, "arguments")?,
        returns: get(row, Q, "result")?,
        language,
        body: get(row, Q, "prosrc")?,
        volatility,
        strict: get(row, Q, "proisstrict")?,
        security_definer: get(row, Q, "prosecdef")?,
        config,
        attributes,
        comment,
        why: None,
    }))
}

fn aggregate(
    cx: &mut Context<'_, '_>,
    row: &postgres::Row,
    name: QualifiedName,
    identity: String,
    comment: Option<String>,
) -> Result<(), IntrospectError> {
    const Q: &str = "functions";
    let signature = format!("{name}({identity})");
    let aggkind: Option<String> = get(row, Q, "aggkind")?;
    let extra: bool = get(row, Q, "agg_extra")?;
    // Ordered-set, hypothetical, moving-state, sort-operator, serialising and parallel
    // aggregates are carried as SQL (verbatim.rs).
    if aggkind.as_deref() != Some("n") || extra {
        return Ok(());
    }
    let func = |schema: Option<String>, name: Option<String>| match (schema, name) {
        (Some(s), Some(n)) => Some(QualifiedName::new(s, n)),
        _ => None,
    };
    let Some(sfunc) = func(get(row, Q, "sfunc_schema")?, get(row, Q, "sfunc_name")?) else {
        cx.warn(
            "aggregate",
            signature,
            "its transition function cannot be read",
        );
        return Ok(());
    };
    cx.model.aggregates.push(Aggregate {
        name,
        arguments: identity,
        sfunc,
        stype: get::<Option<String>>(row, Q, "stype")?.unwrap_or_default(),
        finalfunc: func(
            get(row, Q, "finalfunc_schema")?,
            get(row, Q, "finalfunc_name")?,
        ),
        combinefunc: func(
            get(row, Q, "combinefunc_schema")?,
            get(row, Q, "combinefunc_name")?,
        ),
        initcond: get(row, Q, "agginitval")?,
        comment,
    });
    Ok(())
}
