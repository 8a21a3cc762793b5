//! What the selection decided and why, per table: every chosen index with the patterns and
//! foreign keys it serves and its estimated benefit and cost, every rejected candidate with
//! the reason, the plan of every pattern, notes, and the defaults the estimates used.

use std::fmt::Write as _;

use strata_model::{Index, QualifiedName};

use crate::candidates::Origin;
use crate::select::{Breakdown, Method};

/// A rate as a person would write it: `1000/s`, `1/min`, `2/h`, `3/day`.
pub fn rate_text(per_sec: f64) -> String {
    let show = |v: f64| {
        let r = (v * 100.0).round() / 100.0;
        if r.fract() == 0.0 {
            format!("{}", r as i64)
        } else {
            format!("{r}")
        }
    };
    if per_sec >= 1.0 || per_sec <= 0.0 {
        format!("{}/s", show(per_sec))
    } else if per_sec * 60.0 >= 1.0 {
        format!("{}/min", show(per_sec * 60.0))
    } else if per_sec * 3600.0 >= 1.0 {
        format!("{}/h", show(per_sec * 3600.0))
    } else {
        format!("{}/day", show(per_sec * 86_400.0))
    }
}

/// A cost figure with few significant digits.
pub fn cost_text(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChosenIndex {
    /// The index as it will be created (final name, why).
    pub index: Index,
    pub origin: Origin,
    /// Patterns whose cheapest plan uses it.
    pub serves: Vec<String>,
    /// Patterns it can serve more cheaply than a scan, its own best ones included.
    pub usable_by: Vec<String>,
    /// The same patterns by the table that declares them and their name (names are unique
    /// per entity only), and whether their cheapest plan uses it.
    pub pattern_refs: Vec<(QualifiedName, String, bool)>,
    /// Foreign keys whose checks it serves.
    pub foreign_keys: Vec<String>,
    /// Read cost per second it saves (what the workload would pay without it).
    pub benefit: f64,
    /// Write cost per second it adds (its own entries, and updates it makes lose HOT).
    pub upkeep: f64,
    /// Its size cost per second, and its estimated size in pages.
    pub size_cost: f64,
    pub pages: f64,
    pub pinned: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RejectedIndex {
    pub index: Index,
    pub origin: Origin,
    pub shape: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PatternPlan {
    pub pattern: String,
    pub rate: f64,
    pub rate_declared: bool,
    /// The index its cheapest plan uses; `None` for a sequential scan.
    pub index: Option<String>,
    /// Estimated cost per execution with the chosen indexes, and with a scan.
    pub cost: f64,
    pub scan_cost: f64,
    pub index_only: bool,
    pub sort_avoided: bool,
}

/// Something about the design the user should know: a declared index that was not created,
/// a pattern left to a scan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Finding {
    /// A declared (or feature) index on one boolean column: not worth an index.
    LoneBoolean { index: String, declared: bool },
    /// A declared (or feature) index another index or key already serves.
    Redundant {
        index: String,
        by: String,
        by_key: bool,
        declared: bool,
    },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TableReport {
    pub table: QualifiedName,
    pub rows: f64,
    pub rows_declared: bool,
    pub method: Method,
    pub chosen: Vec<ChosenIndex>,
    pub rejected: Vec<RejectedIndex>,
    pub patterns: Vec<PatternPlan>,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub defaults_used: Vec<String>,
    pub totals: Breakdown,
    /// Candidates considered (pinned and keys included).
    pub candidates: usize,
}

/// The selection for a whole schema.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Selection {
    pub tables: Vec<TableReport>,
    /// Defaults used anywhere, once each (`rate 1/s for pattern x`, `rows 10000 for t`).
    pub defaults_used: Vec<String>,
}

impl Selection {
    pub fn table(&self, name: &QualifiedName) -> Option<&TableReport> {
        self.tables.iter().find(|t| &t.table == name)
    }

    /// The report `strata check --explain-indexes` prints.
    pub fn explain(&self) -> String {
        let mut s = String::new();
        for t in &self.tables {
            if t.chosen.is_empty() && t.rejected.is_empty() && t.patterns.is_empty() {
                continue;
            }
            let _ = writeln!(
                s,
                "{} ({} rows{}; {} candidates; {})",
                t.table,
                cost_text(t.rows),
                if t.rows_declared { "" } else { ", default" },
                t.candidates,
                match t.method {
                    Method::Exact => "cheapest set, exact search",
                    Method::Greedy => "best set found, search budget reached",
                    Method::KeepAll => "prune_indexes off: every candidate kept",
                }
            );
            let _ = writeln!(
                s,
                "  workload cost/s: reads {}, upkeep {}, size {}",
                cost_text(t.totals.reads),
                cost_text(t.totals.upkeep),
                cost_text(t.totals.size)
            );
            for c in t
                .chosen
                .iter()
                .filter(|c| !matches!(c.origin, Origin::Key(_)))
            {
                let mut serves: Vec<String> = c.serves.iter().map(|p| format!("`{p}`")).collect();
                serves.extend(c.foreign_keys.iter().map(|f| format!("foreign key {f}")));
                let _ = writeln!(
                    s,
                    "  + {}{} {}",
                    c.index.name,
                    if c.pinned { " (pinned)" } else { "" },
                    index_text(&c.index)
                );
                let _ = writeln!(
                    s,
                    "      serves {}; saves {}/s, upkeep {}/s, size {} pages ({}/s)",
                    if serves.is_empty() {
                        "nothing in the workload".to_string()
                    } else {
                        serves.join(", ")
                    },
                    cost_text(c.benefit),
                    cost_text(c.upkeep),
                    cost_text(c.pages),
                    cost_text(c.size_cost)
                );
            }
            for r in &t.rejected {
                let _ = writeln!(s, "  - {} {}", r.index.name, index_text(&r.index));
                let _ = writeln!(s, "      {}", r.reason);
            }
            for p in &t.patterns {
                let _ = writeln!(
                    s,
                    "  pattern `{}` {}{}: {} ({} per run{}{}; a scan costs {})",
                    p.pattern,
                    rate_text(p.rate),
                    if p.rate_declared { "" } else { " (default)" },
                    p.index
                        .as_deref()
                        .map(|i| format!("uses {i}"))
                        .unwrap_or_else(|| "sequential scan".into()),
                    cost_text(p.cost),
                    if p.index_only { ", index-only" } else { "" },
                    if p.sort_avoided { ", no sort" } else { "" },
                    cost_text(p.scan_cost)
                );
            }
            for n in &t.notes {
                let _ = writeln!(s, "  note: {n}");
            }
            s.push('\n');
        }
        if !self.defaults_used.is_empty() {
            let _ = writeln!(s, "defaults used: {}", self.defaults_used.join("; "));
        }
        s
    }
}

/// `(user_id, created_at DESC) INCLUDE (title) WHERE ...`, as a person reads an index.
pub fn index_text(i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let base = match k.column_name() {
                Some(c) => c.to_string(),
                None => match &k.expr {
                    strata_model::IndexExpr::Expression(e) => format!("({e})"),
                    strata_model::IndexExpr::Column(c) => c.clone(),
                },
            };
            if k.descending {
                format!("{base} DESC")
            } else {
                base
            }
        })
        .collect();
    let mut s = String::new();
    if i.unique {
        s.push_str("UNIQUE ");
    }
    if i.method != "btree" {
        let _ = write!(s, "USING {} ", i.method);
    }
    let _ = write!(s, "({})", keys.join(", "));
    if !i.include.is_empty() {
        let _ = write!(s, " INCLUDE ({})", i.include.join(", "));
    }
    if let Some(p) = &i.predicate {
        let _ = write!(s, " WHERE {p}");
    }
    s
}
