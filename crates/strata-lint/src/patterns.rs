//! The design's access patterns as the workload analysis reads them, for the performance
//! rules: what each pattern asks of its table, and whether an index gives it that.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use strata_model::{AccessPattern, Index, IndexExpr, Model, Table};
use strata_workload::analyze::{CondShape, TableAccess};
use strata_workload::{Analysis, StatementKind};

/// Tables below this many rows (the design's `rows` estimate) are read fast enough without an
/// index; the performance rules speak about larger ones.
pub const LARGE_TABLE_ROWS: u64 = 10_000;

/// Patterns longer than this are not analysed (the designer refuses them anyway).
const MAX_SQL: usize = 20_000;

/// A pattern with its analysis.
pub struct Analysed<'m> {
    pub pattern: &'m AccessPattern,
    pub analysis: Analysis,
}

/// Every access pattern of the model that parses and analyses (the designer has reported the
/// others).
pub fn analysed(model: &Model) -> Vec<Analysed<'_>> {
    let mut out = Vec::new();
    let tables = strata_workload::analyze::Tables::new(model);
    for p in &model.access_patterns {
        if p.sql.len() > MAX_SQL {
            continue;
        }
        let Ok(statements) = Parser::new(&PostgreSqlDialect {})
            .with_recursion_limit(50)
            .try_with_sql(&p.sql)
            .and_then(|mut parser| parser.parse_statements())
        else {
            continue;
        };
        let [statement] = statements.as_slice() else {
            continue;
        };
        if let Ok(analysis) = strata_workload::analyze::analyze_in(statement, &p.table, &tables) {
            out.push(Analysed {
                pattern: p,
                analysis,
            });
        }
    }
    out
}

/// The table's row estimate when it is large.
pub fn large(table: &Table) -> Option<u64> {
    table
        .origin
        .row_estimate
        .filter(|rows| *rows >= LARGE_TABLE_ROWS)
}

/// Columns a pattern fixes to one value: equality with a parameter or a join, or a constant
/// filter with one value (`NOT completed`, `deleted_at IS NULL`, `status = 'open'`).
pub fn fixed_columns(access: &TableAccess) -> Vec<String> {
    let mut out = access.eq.clone();
    for c in &access.predicate {
        match &c.shape {
            CondShape::IsTrue(col) | CondShape::IsFalse(col) | CondShape::IsNull(col) => {
                out.push(col.clone())
            }
            CondShape::EqConst(col, 1) => out.push(col.clone()),
            _ => {}
        }
    }
    out
}

/// Whether a partial index's predicate holds for every row the access reads: each of its
/// conjuncts is one of the access's constant filters.
pub fn predicate_holds(index: &Index, access: &TableAccess) -> bool {
    match &index.predicate {
        None => true,
        Some(p) => crate::helpers::conjuncts(p).iter().all(|c| {
            let c = normalize(c);
            access.predicate.iter().any(|q| normalize(&q.sql) == c)
        }),
    }
}

/// Parentheses and case do not matter when comparing a predicate with a filter.
fn normalize(sql: &str) -> String {
    sql.chars()
        .filter(|c| !matches!(c, '(' | ')') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `index` can find the rows `access` asks for without reading the whole table: its
/// predicate holds for them, and its leading key is something the access compares (for btree:
/// an equality, range or ORDER BY column, or an equality expression; for hash: an equality;
/// for GIN, GiST and SP-GiST: a column under their operators or a range; for BRIN: a range).
pub fn index_serves(index: &Index, access: &TableAccess) -> bool {
    if !predicate_holds(index, access) {
        return false;
    }
    let Some(first) = index.keys.first() else {
        return false;
    };
    let col = match &first.expr {
        IndexExpr::Column(c) => Some(c.as_str()),
        IndexExpr::Expression(_) => None,
    };
    let has = |list: &[String]| col.is_some_and(|c| list.iter().any(|x| x == c));
    let fixed = fixed_columns(access);
    match index.method.as_str() {
        "btree" => {
            has(&fixed)
                || has(&access.range)
                || access
                    .order
                    .first()
                    .is_some_and(|(c, _)| Some(c.as_str()) == col)
                || match &first.expr {
                    IndexExpr::Expression(e) => {
                        access.eq_exprs.iter().any(|x| normalize(x) == normalize(e))
                    }
                    IndexExpr::Column(_) => false,
                }
        }
        "hash" => has(&access.eq),
        "gin" | "gist" | "spgist" => has(&access.gin) || has(&access.range) || has(&access.eq),
        "brin" => has(&access.range),
        _ => false,
    }
}

/// Whether a btree `index` returns the access's rows already in its ORDER BY order: after
/// keys the access fixes to one value, the next keys are the ORDER BY columns in order, all in
/// the requested directions or all reversed.
pub fn index_sorts(index: &Index, access: &TableAccess) -> bool {
    if index.method != "btree" || access.order.is_empty() || !predicate_holds(index, access) {
        return false;
    }
    let fixed = fixed_columns(access);
    let mut keys = index.keys.iter().peekable();
    while let Some(k) = keys.peek() {
        match k.column_name() {
            Some(c)
                if fixed.iter().any(|f| f == c) && !access.order.iter().any(|(o, _)| o == c) =>
            {
                keys.next();
            }
            _ => break,
        }
    }
    let rest: Vec<_> = keys.collect();
    if rest.len() < access.order.len() {
        return false;
    }
    let same = access
        .order
        .iter()
        .zip(&rest)
        .all(|((c, desc), k)| k.column_name() == Some(c.as_str()) && k.descending == *desc);
    let reversed = access
        .order
        .iter()
        .zip(&rest)
        .all(|((c, desc), k)| k.column_name() == Some(c.as_str()) && k.descending != *desc);
    same || reversed
}

/// Whether the statement writes.
pub fn is_update(a: &Analysis) -> Option<&[String]> {
    match &a.kind {
        StatementKind::Update { set } => Some(set),
        _ => None,
    }
}
