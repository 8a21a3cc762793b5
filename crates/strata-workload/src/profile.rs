//! What a table looks like to the cost model: rows, row width, pages, and per column its
//! width and the selectivity of the conditions patterns put on it. Declared `rows` and
//! statistics hints come first; otherwise the documented defaults, each use recorded.

use strata_model::{Model, QualifiedName, Table, WhySource};

use crate::analyze::{Cond, CondShape};
use crate::workload::{HintKind, Workload};

/// Bytes of a heap or index page that hold tuples (8 kB less headers).
pub const PAGE_BYTES: f64 = 8_000.0;
/// Heap tuple header and item pointer.
const HEAP_TUPLE_OVERHEAD: f64 = 28.0;
/// Index tuple header and item pointer.
pub const INDEX_TUPLE_OVERHEAD: f64 = 12.0;

#[derive(Debug, Clone)]
pub struct Profile {
    pub table: QualifiedName,
    pub rows: f64,
    pub rows_declared: bool,
    pub heap_pages: f64,
    pub all_visible: f64,
    /// What reading one page costs here, at random and in sequence: less than from storage
    /// when the table and its indexes fit in the cache ([`crate::CostParams::page_costs`]).
    pub random_cost: f64,
    pub seq_cost: f64,
    columns: Vec<ColumnProfile>,
    /// Defaults this table's estimates used, for the note `strata check` prints.
    pub defaults_used: Vec<String>,
}

#[derive(Debug, Clone)]
struct ColumnProfile {
    name: String,
    width: f64,
    null_share: f64,
    true_share: Option<f64>,
    range_share: f64,
    /// Share of rows one equality lookup matches, skew included (computed once).
    eq_share: f64,
}

/// Average stored width of a column of this type, in bytes.
fn type_width(table: &Table, col: &strata_model::Column) -> f64 {
    let t = &col.data_type;
    if t.array_dims > 0 {
        return 64.0;
    }
    match t.base_name() {
        "boolean" => 1.0,
        "smallint" => 2.0,
        "integer" | "real" | "date" => 4.0,
        "bigint"
        | "double precision"
        | "timestamp with time zone"
        | "timestamp without time zone"
        | "time without time zone"
        | "money" => 8.0,
        "uuid" | "interval" => 16.0,
        "numeric" => 10.0,
        "inet" | "cidr" => 10.0,
        "jsonb" | "json" | "xml" | "tsvector" | "bytea" => 200.0,
        "text" | "character varying" | "character" | "citext" => {
            // A length check or `varchar(n)` bounds it: assume a third of the limit.
            let limit = table
                .checks
                .iter()
                .find_map(|k| {
                    k.expression
                        .strip_prefix(&format!(
                            "char_length({}) <= ",
                            strata_model::quote_ident(&col.name)
                        ))
                        .and_then(|n| n.trim_end_matches(')').trim().parse::<f64>().ok())
                })
                .or_else(|| {
                    t.name
                        .trim_end_matches(')')
                        .rsplit('(')
                        .next()
                        .and_then(|n| n.parse::<f64>().ok())
                });
            match limit {
                Some(n) => (n / 3.0).clamp(4.0, 400.0) + 1.0,
                None => 32.0,
            }
        }
        _ if t.schema.is_some() => 4.0,
        _ => 8.0,
    }
}

impl Profile {
    pub fn new(model: &Model, table: &Table, w: &Workload) -> Profile {
        Profile::build(model, table, w, &|n| model.table(n))
    }

    /// As [`Profile::new`], finding referenced tables through `table_of` (a map when many
    /// tables are profiled).
    pub fn build<'m>(
        model: &'m Model,
        table: &Table,
        w: &Workload,
        table_of: &dyn Fn(&QualifiedName) -> Option<&'m Table>,
    ) -> Profile {
        let d = &w.defaults;
        let mut defaults_used = Vec::new();
        let rows_declared = table.origin.row_estimate.is_some();
        let rows = match table.origin.row_estimate {
            Some(r) => r.max(1) as f64,
            None => {
                defaults_used.push(format!("rows {} (no `rows` declared)", d.rows));
                d.rows as f64
            }
        };
        let mut columns = Vec::new();
        let mut width = HEAP_TUPLE_OVERHEAD;
        for c in &table.columns {
            let cw = type_width(table, c);
            width += cw;
            let key = table
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns == [c.name.clone()])
                || table.uniques.iter().any(|u| u.columns == [c.name.clone()])
                // A unique index on the column or on an expression of it alone
                // (`lower(email)`): as many distinct values as rows.
                || table.indexes.iter().any(|i| {
                    i.unique
                        && i.predicate.is_none()
                        && matches!(i.keys.as_slice(), [k] if match &k.expr {
                            strata_model::IndexExpr::Column(x) => x == &c.name,
                            strata_model::IndexExpr::Expression(e) => {
                                let words: Vec<&str> = e
                                    .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                                    .collect();
                                words.contains(&c.name.as_str())
                                    && table
                                        .columns
                                        .iter()
                                        .filter(|o| words.contains(&o.name.as_str()))
                                        .count()
                                        == 1
                            }
                        })
                });
            let fk_parent = table
                .foreign_keys
                .iter()
                .find(|fk| fk.columns.first() == Some(&c.name))
                .and_then(|fk| table_of(&fk.ref_table));
            let is_bool = c.data_type.is_builtin("boolean");
            let enum_values = model
                .enums
                .iter()
                .find(|e| c.data_type.schema.is_some() && e.name.name == c.data_type.name)
                .map(|e| e.values.len() as f64);
            let mut distinct = if key {
                rows
            } else if let Some(p) = fk_parent {
                p.origin
                    .row_estimate
                    .map(|r| r as f64)
                    .unwrap_or(d.rows as f64)
                    .min(rows)
            } else if is_bool {
                2.0
            } else if let Some(n) = enum_values {
                n
            } else {
                (d.distinct as f64).min(rows)
            };
            if let Some(h) = w.hint(&table.name, &c.name, HintKind::Distinct) {
                distinct = h;
            }
            let soft_delete = matches!(
                c.origin.why.as_ref().map(|w| &w.source),
                Some(WhySource::SoftDelete)
            );
            let null_share = match w.hint(&table.name, &c.name, HintKind::NullShare) {
                Some(h) => h,
                None if !c.nullable => 0.0,
                None if soft_delete => d.soft_delete_null_share,
                None => d.null_share,
            };
            let true_share = is_bool.then(|| {
                w.hint(&table.name, &c.name, HintKind::TrueShare)
                    .unwrap_or(d.true_share)
            });
            let distinct = distinct.clamp(1.0, rows.max(1.0));
            let skew = w
                .hint(&table.name, &c.name, HintKind::Skew)
                .unwrap_or(0.0)
                .max(0.0);
            columns.push(ColumnProfile {
                name: c.name.clone(),
                width: cw,
                null_share: null_share.clamp(0.0, 1.0),
                true_share,
                eq_share: lookup_share(distinct, skew),
                range_share: w
                    .hint(&table.name, &c.name, HintKind::RangeShare)
                    .unwrap_or(d.range_share)
                    .clamp(0.0, 1.0),
            });
        }
        let heap_pages = (rows * width / PAGE_BYTES).ceil().max(1.0);
        Profile {
            table: table.name.clone(),
            rows,
            rows_declared,
            heap_pages,
            all_visible: d.all_visible,
            random_cost: 4.0,
            seq_cost: 1.0,
            columns,
            defaults_used,
        }
    }

    fn column(&self, name: &str) -> Option<&ColumnProfile> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Stored width of a column (an expression key counts as 16 bytes).
    pub fn width(&self, column: Option<&str>) -> f64 {
        column
            .and_then(|c| self.column(c))
            .map(|c| c.width)
            .unwrap_or(16.0)
    }

    /// Share of rows one equality on `column` matches, weighted like the queries: with a
    /// skew, frequent values are looked up more often (rows per lookup = Σnᵢ²/N).
    pub fn eq_share(&self, column: &str) -> f64 {
        self.column(column).map(|c| c.eq_share).unwrap_or(0.005)
    }

    /// A copy where a range condition on each of `columns` matches `share` of the rows
    /// (unless a hint says otherwise).
    pub fn with_range_share(&self, columns: &[String], share: f64, hinted: &[String]) -> Profile {
        let mut p = self.clone();
        for c in p.columns.iter_mut() {
            if columns.contains(&c.name) && !hinted.contains(&c.name) {
                c.range_share = share.clamp(0.0, 1.0);
            }
        }
        p
    }

    /// Share of rows an equality on an expression matches: as one on the first column it
    /// reads (`lower(email)` is as selective as `email`).
    pub fn expr_eq_share(&self, expr: &str) -> f64 {
        expr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .find_map(|w| self.column(w))
            .map(|c| c.eq_share)
            .unwrap_or(0.005)
    }

    pub fn range_share(&self, column: &str) -> f64 {
        self.column(column)
            .map(|c| c.range_share)
            .unwrap_or(1.0 / 3.0)
    }

    /// Share of rows a constant filter keeps.
    pub fn cond_share(&self, cond: &Cond) -> f64 {
        match &cond.shape {
            CondShape::IsTrue(c) => self.column(c).and_then(|c| c.true_share).unwrap_or(0.5),
            CondShape::IsFalse(c) => self
                .column(c)
                .and_then(|c| c.true_share)
                .map(|t| 1.0 - t)
                .unwrap_or(0.5),
            CondShape::IsNull(c) => self.column(c).map(|c| c.null_share).unwrap_or(0.005),
            CondShape::IsNotNull(c) => self.column(c).map(|c| 1.0 - c.null_share).unwrap_or(0.995),
            CondShape::EqConst(c, n) => (self.eq_share(c) * *n as f64).min(1.0),
            CondShape::Other => 0.5,
        }
    }

    /// Share of rows an index predicate (its conjuncts) keeps.
    pub fn predicate_share(&self, conds: &[Cond]) -> f64 {
        conds.iter().map(|c| self.cond_share(c)).product()
    }
}

/// Share of rows one lookup matches over `distinct` values spread by Zipf exponent `skew`
/// (nᵢ ∝ i^-skew), when values are looked up as often as they occur: Σ pᵢ². Without skew,
/// 1/distinct. The sum runs over at most a million values (the tail adds nothing visible).
fn lookup_share(distinct: f64, skew: f64) -> f64 {
    let uniform = 1.0 / distinct.max(1.0);
    if skew <= 0.0 {
        return uniform;
    }
    let d = distinct.clamp(1.0, 1_000_000.0) as usize;
    let mut sum = 0.0;
    let mut sum_sq = 0.0;
    for i in 1..=d {
        let p = (i as f64).powf(-skew);
        sum += p;
        sum_sq += p * p;
    }
    if sum <= 0.0 {
        return uniform;
    }
    (sum_sq / (sum * sum)).max(uniform)
}

#[cfg(test)]
mod tests {
    use super::lookup_share;

    #[test]
    fn skew_makes_lookups_match_more_rows() {
        let even = lookup_share(10_000.0, 0.0);
        assert!((even - 1e-4).abs() < 1e-12);
        let skewed = lookup_share(10_000.0, 1.1);
        // With Zipf 1.1 over 10k owners the heaviest hold a large share of the rows, and
        // are looked up as often: a lookup matches far more than the average.
        assert!(skewed > 10.0 * even, "{skewed}");
        assert!(lookup_share(10_000.0, 2.0) > skewed);
        assert!(lookup_share(1.0, 1.5) <= 1.0 + 1e-12);
    }
}
