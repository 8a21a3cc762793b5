//! Aggregates: `CREATE AGGREGATE`.

use strata_model::{Aggregate, quote_literal};

/// `CREATE AGGREGATE name(args) (SFUNC = f, STYPE = t[, FINALFUNC = f][, COMBINEFUNC = f]
/// [, INITCOND = '...']);`
pub fn render_aggregate(a: &Aggregate) -> String {
    let mut options = vec![
        format!("SFUNC = {}", a.sfunc.quoted()),
        format!("STYPE = {}", a.stype.trim()),
    ];
    if let Some(f) = &a.finalfunc {
        options.push(format!("FINALFUNC = {}", f.quoted()));
    }
    if let Some(f) = &a.combinefunc {
        options.push(format!("COMBINEFUNC = {}", f.quoted()));
    }
    if let Some(init) = &a.initcond {
        options.push(format!("INITCOND = {}", quote_literal(init)));
    }
    format!(
        "CREATE AGGREGATE {}({}) (\n    {}\n);",
        a.name.quoted(),
        aggregate_arguments(a),
        options.join(",\n    ")
    )
}

/// The argument list, `*` when there is none.
pub fn aggregate_arguments(a: &Aggregate) -> String {
    let args = a.arguments.trim();
    if args.is_empty() {
        "*".to_string()
    } else {
        args.to_string()
    }
}

/// `name(args)`: how `COMMENT ON AGGREGATE` and `GRANT` name an aggregate.
pub fn aggregate_signature(a: &Aggregate) -> String {
    format!("{}({})", a.name.quoted(), aggregate_arguments(a))
}
