//! Whether a CHECK expression passes on every row where some columns are NULL.
//!
//! A CHECK passes when its expression is true or NULL. When the plan adds a column empty (no
//! default) and a CHECK over it, every existing row has NULL there: if the expression is NULL
//! whenever those columns are, validating it over the existing rows cannot fail. That is proved
//! here only through constructs that return NULL on a NULL argument (comparisons, arithmetic,
//! pattern matches, casts, `= ANY` of a non-empty array, `IN` a non-empty list, `BETWEEN`,
//! `AND`/`OR`/`NOT` of such, and a few strict built-in functions); anything else (`IS NULL`,
//! `COALESCE`, `CASE`, other functions or operators) is not proved, and the validation keeps
//! its `may_fail` hazard.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// Whether `expression` (SQL, as PostgreSQL prints a CHECK) is NULL whenever the columns
/// `nulls` are NULL, whatever the other columns hold. `false` when it cannot be proved.
pub fn passes_with_nulls(expression: &str, nulls: &[&str]) -> bool {
    let dialect = PostgreSqlDialect {};
    let Ok(mut parser) = Parser::new(&dialect).try_with_sql(expression) else {
        return false;
    };
    let Ok(expr) = parser.parse_expr() else {
        return false;
    };
    if parser.peek_token().token != Token::EOF {
        return false;
    }
    is_null(&expr, nulls, 0)
}

/// Built-in functions that return NULL when an argument is NULL (`STRICT`).
const STRICT_FUNCTIONS: [&str; 14] = [
    "char_length",
    "character_length",
    "length",
    "octet_length",
    "lower",
    "upper",
    "btrim",
    "ltrim",
    "rtrim",
    "abs",
    "md5",
    "array_length",
    "cardinality",
    "jsonb_typeof",
];

fn strict_operator(op: &BinaryOperator) -> bool {
    use BinaryOperator::*;
    matches!(
        op,
        Eq | NotEq
            | Lt
            | LtEq
            | Gt
            | GtEq
            | Plus
            | Minus
            | Multiply
            | Divide
            | Modulo
            | StringConcat
            | PGRegexMatch
            | PGRegexIMatch
            | PGRegexNotMatch
            | PGRegexNotIMatch
            | PGLikeMatch
            | PGILikeMatch
            | PGNotLikeMatch
            | PGNotILikeMatch
    )
}

/// A non-empty `ARRAY[...]`, possibly in parentheses or cast.
fn non_empty_array(e: &Expr) -> bool {
    match e {
        Expr::Nested(x) => non_empty_array(x),
        Expr::Cast { expr, .. } => non_empty_array(expr),
        Expr::Array(a) => !a.elem.is_empty(),
        _ => false,
    }
}

fn is_null(e: &Expr, nulls: &[&str], depth: usize) -> bool {
    // Deeper than any CHECK Strata writes: not proved.
    if depth > 64 {
        return false;
    }
    let null = |x: &Expr| is_null(x, nulls, depth + 1);
    match e {
        Expr::Identifier(id) => nulls.contains(&id.value.as_str()),
        Expr::CompoundIdentifier(ids) => {
            ids.len() == 1 && ids.iter().all(|id| nulls.contains(&id.value.as_str()))
        }
        Expr::Nested(x) => null(x),
        Expr::Cast { expr, .. } => null(expr),
        Expr::UnaryOp {
            op: UnaryOperator::Not | UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => null(expr),
        // NULL AND x is NULL or false, NULL OR x NULL or true: only both NULL is NULL.
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And | BinaryOperator::Or,
            right,
        } => null(left) && null(right),
        Expr::BinaryOp { left, op, right } if strict_operator(op) => null(left) || null(right),
        // NULL = ANY (ARRAY[...]) is NULL, but false for an empty array.
        Expr::AnyOp {
            left,
            compare_op,
            right,
            ..
        } => strict_operator(compare_op) && null(left) && non_empty_array(right),
        Expr::InList { expr, list, .. } => !list.is_empty() && null(expr),
        Expr::Between { expr, .. } => null(expr),
        Expr::Like {
            expr, any: false, ..
        }
        | Expr::ILike {
            expr, any: false, ..
        } => null(expr),
        Expr::SimilarTo { expr, .. } => null(expr),
        Expr::Trim { expr, .. } => null(expr),
        Expr::Function(f) => {
            let name = f
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|i| i.value.to_ascii_lowercase())
                .unwrap_or_default();
            let qualified_elsewhere = f.name.0.len() > 1
                && f.name
                    .0
                    .first()
                    .and_then(|p| p.as_ident())
                    .is_some_and(|s| !s.value.eq_ignore_ascii_case("pg_catalog"));
            if qualified_elsewhere || !STRICT_FUNCTIONS.contains(&name.as_str()) {
                return false;
            }
            let FunctionArguments::List(list) = &f.args else {
                return false;
            };
            list.clauses.is_empty()
                && list.args.iter().any(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => null(x),
                    _ => false,
                })
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::passes_with_nulls;

    #[test]
    fn proved_and_not_proved() {
        let c = ["c"];
        for yes in [
            "(char_length(c) <= 100)",
            "((c ~ '^[A-Z]{3}$'::text) AND (c <> 'XXX'::text))",
            "(c = ANY (ARRAY['a'::text, 'b'::text]))",
            "(c > other)",
            "(c BETWEEN 1 AND 3)",
            "NOT (c IN (1, 2))",
        ] {
            assert!(passes_with_nulls(yes, &c), "{yes}");
        }
        for no in [
            "(c IS NOT NULL)",
            "(COALESCE(c, '') <> '')",
            "((c > 0) OR (other > 0))",
            "(c = ANY ('{}'::text[]))",
            "CASE WHEN c IS NULL THEN false ELSE true END",
            "(my_func(c) > 0)",
            "(other > 0)",
            "(c > 0",
        ] {
            assert!(!passes_with_nulls(no, &c), "{no}");
        }
    }
}
