//! The cost model, in PostgreSQL's planner units (a sequential page read is 1).
//!
//! Reads: pages touched in the index and the heap (Mackert–Lohman for heap fetches, as the
//! planner does), per-tuple CPU, a sort when no index gives the order, early stop under a
//! LIMIT when one does, and no heap fetch for an index-only scan except on pages not yet
//! all-visible. Writes: a heap write per row, an index insert per index whose predicate the
//! row satisfies, and for an UPDATE that writes an indexed column (key, INCLUDE or predicate)
//! the loss of HOT: every index then gets a new entry. Size: a cost per index page per second,
//! standing for the memory and cache it takes from everything else.

use crate::analyze::{Analysis, CondShape, Limit, StatementKind, TableAccess};
use crate::candidates::Candidate;
use crate::profile::{INDEX_TUPLE_OVERHEAD, PAGE_BYTES, Profile};
use crate::workload::Defaults;

/// The constants of the model. The planner's own are PostgreSQL's defaults; the write and
/// size constants are Strata's, documented in `docs/design.md`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CostParams {
    pub seq_page: f64,
    pub random_page: f64,
    pub cpu_tuple: f64,
    pub cpu_index_tuple: f64,
    pub cpu_operator: f64,
    /// Writing one heap tuple.
    pub heap_write: f64,
    /// Inserting one index entry (a leaf page dirtied and written back, WAL).
    pub index_insert: f64,
    /// Removing one index entry later (vacuum).
    pub index_delete: f64,
    /// Cost per second of keeping one index page.
    pub size_per_page: f64,
    /// Cost per second of any index, whatever its size: planning every statement on the
    /// table considers it, vacuum passes scan it. An index must save more than this.
    pub per_index: f64,
    /// Pages the server keeps cached (PostgreSQL's default `effective_cache_size`, 4 GB).
    /// A table whose heap and indexes fit is read from memory; 0 prices every page as a
    /// disk read, as the planner does.
    pub cache_pages: f64,
    /// Reading a page already in memory (a buffer hit): a few tuples' worth of CPU.
    pub cached_page: f64,
}

impl CostParams {
    /// The planner's own model: every page priced as a read from storage.
    pub fn planner() -> CostParams {
        CostParams {
            cache_pages: 0.0,
            ..CostParams::default()
        }
    }

    /// (random, sequential) page costs for a table whose heap and indexes take `pages`.
    pub fn page_costs(&self, pages: f64) -> (f64, f64) {
        let hit = if pages <= 0.0 {
            1.0
        } else {
            (self.cache_pages / pages).min(1.0)
        };
        (
            hit * self.cached_page + (1.0 - hit) * self.random_page,
            hit * self.cached_page + (1.0 - hit) * self.seq_page,
        )
    }
}

impl Default for CostParams {
    fn default() -> Self {
        CostParams {
            seq_page: 1.0,
            random_page: 4.0,
            cpu_tuple: 0.01,
            cpu_index_tuple: 0.005,
            cpu_operator: 0.0025,
            heap_write: 1.0,
            index_insert: 8.0,
            index_delete: 0.5,
            size_per_page: 0.001,
            per_index: 1.0,
            cache_pages: 524_288.0,
            cached_page: 0.05,
        }
    }
}

/// How one access runs with one index (or none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadPlan {
    pub cost: f64,
    pub index_only: bool,
    pub sort_avoided: bool,
    /// Index entries (or rows, for a scan) read.
    pub scanned: f64,
}

/// Bytes of one entry of the index.
pub fn entry_width(p: &Profile, c: &Candidate) -> f64 {
    let keys: f64 = c.index.keys.iter().map(|k| p.width(k.column_name())).sum();
    let include: f64 = c.index.include.iter().map(|i| p.width(Some(i))).sum();
    // MAXALIGN.
    ((keys + include + INDEX_TUPLE_OVERHEAD) / 8.0).ceil() * 8.0
}

/// Pages the index takes.
pub fn index_pages(p: &Profile, c: &Candidate) -> f64 {
    let entries = p.rows * p.predicate_share(&c.conds);
    let per_page = match c.index.method.as_str() {
        // GIN stores each key once with a posting list: far denser per row.
        "gin" => PAGE_BYTES / 12.0,
        "brin" => return (p.heap_pages / 128.0 / 500.0).ceil().max(1.0),
        // btree leaves are filled to 90%.
        _ => PAGE_BYTES * 0.9 / entry_width(p, c),
    };
    (entries / per_page).ceil().max(1.0)
}

fn limit_rows(a: &Analysis, d: &Defaults) -> Option<f64> {
    let l = match a.limit? {
        Limit::Rows(n) => n as f64,
        Limit::Parameter => d.limit as f64,
    };
    // A parameter OFFSET counts as the first page.
    let o = match a.offset {
        Some(Limit::Rows(n)) => n as f64,
        _ => 0.0,
    };
    Some((l + o).max(1.0))
}

/// Heap pages touched fetching `n` tuples at random from `t` pages (Mackert–Lohman).
fn heap_pages_fetched(t: f64, n: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    (2.0 * t * n / (2.0 * t + n)).min(t).max(1.0)
}

fn sort_cost(k: &CostParams, rows: f64, limit: Option<f64>) -> f64 {
    let rows = rows.max(1.0);
    let depth = match limit {
        Some(l) => (2.0 * l).max(2.0).log2(),
        None => rows.max(2.0).log2(),
    };
    2.0 * k.cpu_operator * rows * depth
}

/// The shares of the conditions an access puts on a table, each one once.
struct Factors {
    eq: Vec<(String, f64)>,
    eq_exprs: Vec<(String, f64)>,
    range: Vec<(String, f64)>,
    conds: Vec<(String, f64, Option<String>)>,
}

impl Factors {
    fn of(p: &Profile, acc: &TableAccess) -> Factors {
        Factors {
            eq: acc.eq.iter().map(|c| (c.clone(), p.eq_share(c))).collect(),
            eq_exprs: acc
                .eq_exprs
                .iter()
                .map(|e| (e.clone(), p.expr_eq_share(e)))
                .collect(),
            range: acc
                .range
                .iter()
                .map(|c| (c.clone(), p.range_share(c)))
                .collect(),
            conds: acc
                .predicate
                .iter()
                .map(|c| {
                    let col = match &c.shape {
                        CondShape::IsTrue(x) | CondShape::IsFalse(x) | CondShape::EqConst(x, 1) => {
                            Some(x.clone())
                        }
                        _ => None,
                    };
                    (c.sql.clone(), p.cond_share(c), col)
                })
                .collect(),
        }
    }

    fn all(&self) -> f64 {
        self.eq.iter().map(|x| x.1).product::<f64>()
            * self.eq_exprs.iter().map(|x| x.1).product::<f64>()
            * self.range.iter().map(|x| x.1).product::<f64>()
            * self.conds.iter().map(|x| x.1).product::<f64>()
    }

    fn count(&self) -> usize {
        self.eq.len() + self.eq_exprs.len() + self.range.len() + self.conds.len()
    }
}

/// The cost of one access without any index: a sequential scan.
pub fn scan(
    k: &CostParams,
    d: &Defaults,
    p: &Profile,
    a: &Analysis,
    acc: &TableAccess,
) -> ReadPlan {
    let f = Factors::of(p, acc);
    let matched = p.rows * f.all();
    let limit = limit_rows(a, d);
    let mut share = 1.0;
    if let Some(l) = limit
        && acc.order.is_empty()
        && acc.group.is_empty()
    {
        share = (l / matched.max(1.0)).min(1.0);
    }
    let mut cost = share
        * (p.heap_pages * p.seq_cost + p.rows * (k.cpu_tuple + k.cpu_operator * f.count() as f64));
    if !acc.order.is_empty() {
        cost += sort_cost(k, matched, limit);
    } else if !acc.group.is_empty() {
        cost += 2.0 * k.cpu_operator * matched;
    }
    ReadPlan {
        cost,
        index_only: false,
        sort_avoided: false,
        scanned: p.rows * share,
    }
}

/// The cost of one access through candidate `c`, or `None` when the index cannot serve it.
pub fn through(
    k: &CostParams,
    d: &Defaults,
    p: &Profile,
    a: &Analysis,
    acc: &TableAccess,
    c: &Candidate,
) -> Option<ReadPlan> {
    let f = Factors::of(p, acc);
    // A partial index serves only queries whose own filters imply its predicate.
    if !c
        .conds
        .iter()
        .all(|x| acc.predicate.iter().any(|y| y.sql == x.sql))
    {
        return None;
    }
    // The index's predicate, its equality prefix and range column decide what it reads.
    let mut used: Vec<String> = c.conds.iter().map(|x| x.sql.clone()).collect();
    let mut sel_idx: f64 = f
        .conds
        .iter()
        .filter(|x| used.contains(&x.0))
        .map(|x| x.1)
        .product();
    let mut k_eq = 0;
    let mut range_used = false;
    let mut eq_cols: Vec<&str> = f.eq.iter().map(|x| x.0.as_str()).collect();
    eq_cols.extend(f.conds.iter().filter_map(|x| x.2.as_deref()));
    let key_cols: Vec<Option<&str>> = c.index.keys.iter().map(|x| x.column_name()).collect();
    match c.index.method.as_str() {
        "btree" | "hash" => {
            for (ki, key) in key_cols.iter().enumerate() {
                let Some(col) = key else {
                    // An expression key serves an equality on the same expression.
                    let strata_model::IndexExpr::Expression(text) = &c.index.keys[ki].expr else {
                        break;
                    };
                    let text = crate::analyze::normalize_expr(text);
                    let Some(e) = f.eq_exprs.iter().find(|x| x.0 == text) else {
                        break;
                    };
                    sel_idx *= e.1;
                    used.push(format!("eqx:{text}"));
                    k_eq += 1;
                    continue;
                };
                if let Some(e) = f.eq.iter().find(|x| x.0 == *col) {
                    sel_idx *= e.1;
                    used.push(format!("eq:{col}"));
                } else if let Some(x) = f.conds.iter().find(|x| x.2.as_deref() == Some(*col)) {
                    if !used.contains(&x.0) {
                        sel_idx *= x.1;
                        used.push(x.0.clone());
                    }
                } else {
                    break;
                }
                k_eq += 1;
            }
            if c.index.method == "hash" && (k_eq != key_cols.len() || key_cols.is_empty()) {
                return None;
            }
            if let Some(Some(col)) = key_cols.get(k_eq)
                && let Some(r) = f.range.iter().find(|x| x.0 == *col)
                && c.index.method == "btree"
            {
                sel_idx *= r.1;
                used.push(format!("range:{col}"));
                range_used = true;
            }
        }
        "gin" => {
            let col = key_cols.first().copied().flatten()?;
            if !acc.gin.iter().any(|g| g == col) {
                return None;
            }
            sel_idx *= 0.005;
        }
        _ => return None,
    }
    // Order: after the equality prefix, the ORDER BY columns not pinned by an equality must
    // follow in one direction (or all reversed, read backwards).
    let rest: Vec<&strata_model::IndexKey> = c.index.keys.iter().skip(k_eq).collect();
    let wanted: Vec<&(String, bool)> = acc
        .order
        .iter()
        .filter(|(col, _)| !eq_cols.contains(&col.as_str()))
        .collect();
    let order_ok =
        c.index.method == "btree" && !acc.order.is_empty() && wanted.len() <= rest.len() && {
            let same = wanted.iter().zip(&rest).all(|((col, desc), key)| {
                key.column_name() == Some(col) && key.descending == *desc
            });
            let reversed = wanted.iter().zip(&rest).all(|((col, desc), key)| {
                key.column_name() == Some(col) && key.descending != *desc
            });
            same || reversed
        };
    let group_wanted: Vec<&String> = acc
        .group
        .iter()
        .filter(|g| !eq_cols.contains(&g.as_str()))
        .collect();
    let group_ok = c.index.method == "btree"
        && !acc.group.is_empty()
        && group_wanted.len() <= rest.len()
        && group_wanted.iter().all(|g| {
            rest[..group_wanted.len()]
                .iter()
                .any(|k| k.column_name() == Some(g.as_str()))
        });
    // A unique index whose every key is pinned by an equality finds at most one row.
    if c.index.unique && k_eq == c.index.keys.len() && k_eq > 0 {
        sel_idx = sel_idx.min(1.0 / p.rows.max(1.0));
    }
    if k_eq == 0 && !range_used && !order_ok && !group_ok && c.index.method != "gin" {
        return None;
    }
    // What the index does not check is filtered after the fetch.
    let remaining: f64 =
        f.eq.iter()
            .filter(|x| !used.contains(&format!("eq:{}", x.0)))
            .map(|x| x.1)
            .product::<f64>()
            * f.eq_exprs
                .iter()
                .filter(|x| !used.contains(&format!("eqx:{}", x.0)))
                .map(|x| x.1)
                .product::<f64>()
            * f.range
                .iter()
                .filter(|x| !used.contains(&format!("range:{}", x.0)))
                .map(|x| x.1)
                .product::<f64>()
            * f.conds
                .iter()
                .filter(|x| !used.contains(&x.0))
                .map(|x| x.1)
                .product::<f64>();
    let entries = p.rows * sel_idx;
    let limit = limit_rows(a, d);
    let ordered = acc.order.is_empty() || order_ok;
    let scanned = match limit {
        Some(l) if ordered && acc.group.is_empty() => entries.min(l / remaining.max(1e-9)),
        _ => entries,
    }
    .max(1.0);
    let index_only = matches!(a.kind, StatementKind::Select)
        && acc.needed.as_ref().is_some_and(|needed| {
            needed.iter().all(|n| {
                key_cols.contains(&Some(n.as_str()))
                    || c.index.include.contains(n)
                    || c.conds.iter().any(|x| match &x.shape {
                        CondShape::IsTrue(col)
                        | CondShape::IsFalse(col)
                        | CondShape::IsNull(col)
                        | CondShape::IsNotNull(col)
                        | CondShape::EqConst(col, _) => col == n,
                        CondShape::Other => false,
                    })
            })
        })
        && c.index.method == "btree";
    let width = entry_width(p, c);
    let leaf_pages = (scanned * width / (PAGE_BYTES * 0.9)).ceil().max(1.0);
    let mut cost = leaf_pages * p.random_cost
        + scanned * (k.cpu_index_tuple + k.cpu_operator * (f.count() as f64));
    let fetched = if index_only {
        scanned * (1.0 - p.all_visible)
    } else {
        scanned
    };
    cost += heap_pages_fetched(p.heap_pages, fetched) * p.random_cost + fetched * k.cpu_tuple;
    let out_rows = scanned * remaining;
    if !acc.order.is_empty() && !order_ok {
        cost += sort_cost(k, out_rows, limit);
    } else if !acc.group.is_empty() && !group_ok {
        cost += 2.0 * k.cpu_operator * out_rows;
    }
    Some(ReadPlan {
        cost,
        index_only,
        sort_avoided: order_ok || group_ok,
        scanned,
    })
}

/// Rows one execution of a write touches on its table.
pub fn rows_written(p: &Profile, a: &Analysis) -> f64 {
    match &a.kind {
        StatementKind::Select => 0.0,
        StatementKind::Insert { rows } => *rows as f64,
        StatementKind::Update { .. } | StatementKind::Delete => {
            let f = Factors::of(p, &a.driving);
            (p.rows * f.all()).max(1.0)
        }
    }
}
