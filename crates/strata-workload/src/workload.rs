//! The workload: what runs against the schema and how often, what the data looks like where
//! a selectivity matters, and the documented defaults used where the design says nothing.

use strata_model::QualifiedName;

use crate::analyze::Analysis;

/// One statement the application runs, with its rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pattern {
    pub name: String,
    /// The table of the entity that declares it (names are unique per entity only).
    pub home: QualifiedName,
    /// Executions per second.
    pub rate: f64,
    /// Whether the rate was declared; `false` means [`Defaults::rate`] was used.
    pub rate_declared: bool,
    pub analysis: Analysis,
}

/// A statistics hint: what the data looks like where the schema does not say.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hint {
    pub table: QualifiedName,
    pub column: String,
    pub kind: HintKind,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// Share of rows (0..=1) where a boolean column is true.
    TrueShare,
    /// Share of rows (0..=1) where the column is NULL.
    NullShare,
    /// Number of distinct values.
    Distinct,
    /// Zipf exponent of how rows spread over the column's values (0 = evenly).
    Skew,
    /// Share of rows (0..=1) a range condition on the column matches.
    RangeShare,
}

/// The values used where the design declares nothing. Every one is documented in
/// `docs/design.md` and reported by `strata check` when it was used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Defaults {
    /// Rows of a table without `rows`.
    pub rows: u64,
    /// Executions per second of a pattern without a rate.
    pub rate: f64,
    /// Rows a `LIMIT $n` returns.
    pub limit: u64,
    /// A table without an INSERT pattern receives its declared rows over this many days.
    pub fill_days: f64,
    /// Share of true values of a boolean column.
    pub true_share: f64,
    /// Share of NULL in the soft-delete column (the share of live rows).
    pub soft_delete_null_share: f64,
    /// Share of NULL in another nullable column.
    pub null_share: f64,
    /// Distinct values of a column that is not a key, a reference, a boolean or an enum.
    pub distinct: u64,
    /// Share of rows a range condition matches (PostgreSQL's own default, one third).
    pub range_share: f64,
    /// Share of a table's pages all-visible (how often an index-only scan skips the heap).
    pub all_visible: f64,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            rows: 10_000,
            rate: 1.0,
            limit: 20,
            fill_days: 30.0,
            true_share: 0.5,
            soft_delete_null_share: 0.95,
            null_share: 0.5,
            distinct: 200,
            range_share: 1.0 / 3.0,
            all_visible: 0.9,
        }
    }
}

/// The whole workload of one schema.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Workload {
    pub patterns: Vec<Pattern>,
    pub hints: Vec<Hint>,
    pub defaults: Defaults,
    /// Columns every UPDATE of a table writes besides its SET list (a trigger-kept
    /// `updated_at`): they decide whether updates can be HOT.
    pub always_updated: Vec<(QualifiedName, String)>,
    /// Tables whose candidates are all kept (`prune_indexes off`): no selection runs there.
    pub keep_all: Vec<QualifiedName>,
}

impl Workload {
    pub fn hint(&self, table: &QualifiedName, column: &str, kind: HintKind) -> Option<f64> {
        self.hints
            .iter()
            .find(|h| &h.table == table && h.column == column && h.kind == kind)
            .map(|h| h.value)
    }
}
