//! Choosing a table's indexes for the whole workload.
//!
//! The objective, per second: Σ over accesses of rate × (cheapest plan among the chosen
//! indexes and a sequential scan) + Σ over chosen indexes of their upkeep (entries written by
//! inserts, by updates that are not HOT, and removed after deletes) and size cost, + a large
//! penalty per foreign key left without an index that leads with its columns.
//!
//! Method: a greedy local search (add, drop or swap one candidate while it lowers the
//! objective) gives a first answer; a branch and bound over the free candidates, most
//! valuable first, then proves it optimal or improves it. The bound at a node is the read
//! cost with every undecided candidate available plus the upkeep and size of those already
//! chosen: upkeep only grows as indexes are added (one more indexed column can only make an
//! update lose HOT), so the bound never overestimates. When a table has so many candidates
//! that the search would visit more than [`NODE_BUDGET`] nodes, the greedy answer (or the
//! best found so far) stands and the report says so. Tables are independent: every access,
//! write and size belongs to one table.

use crate::analyze::StatementKind;
use crate::candidates::Candidate;
use crate::cost::{self, CostParams, ReadPlan};
use crate::profile::Profile;
use crate::workload::{Defaults, Pattern};

/// Most branch-and-bound nodes per table before the best answer found so far stands.
pub const NODE_BUDGET: usize = 20_000;

/// Cost of a foreign key left without an index (per second): larger than any workload.
const UNSERVED_FOREIGN_KEY: f64 = 1e15;

/// How a table's set was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The branch and bound finished: no other subset of the candidates costs less.
    Exact,
    /// The search ran out of budget: the best set found (at least the greedy one).
    Greedy,
    /// `prune_indexes off`: every candidate kept.
    KeepAll,
}

/// One access of one pattern to this table.
#[derive(Debug, Clone)]
pub struct ReadRow {
    pub pattern: usize,
    pub rate: f64,
    pub scan: ReadPlan,
    /// Plan through each candidate, when it can serve the access.
    pub through: Vec<Option<ReadPlan>>,
}

/// Writes per second by kind, for upkeep.
#[derive(Debug, Clone)]
pub struct WriteRow {
    pub pattern: Option<usize>,
    /// Rows per second.
    pub rows: f64,
    pub kind: WriteKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WriteKind {
    Insert,
    /// The columns written (SET list and trigger-kept ones).
    Update(Vec<String>),
    Delete,
}

/// The objective split in its parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Breakdown {
    pub reads: f64,
    pub upkeep: f64,
    pub size: f64,
    pub penalty: f64,
}

impl Breakdown {
    pub fn total(&self) -> f64 {
        self.reads + self.upkeep + self.size + self.penalty
    }
}

/// What a table's problem is built from.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub profile: &'a Profile,
    pub table: &'a strata_model::Table,
    pub patterns: &'a [Pattern],
    /// Columns every UPDATE writes (a trigger-kept `updated_at`).
    pub always_updated: &'a [String],
    /// Columns whose range share a hint declares (steady-state purges keep it).
    pub hinted: &'a [String],
    pub params: &'a CostParams,
    pub defaults: &'a Defaults,
}

/// One table's choice, ready to solve.
#[derive(Debug, Clone)]
pub struct Problem {
    pub candidates: Vec<Candidate>,
    /// Candidates always kept (pinned indexes, key constraints).
    pub forced: Vec<bool>,
    pub reads: Vec<ReadRow>,
    pub writes: Vec<WriteRow>,
    /// Per foreign key, the candidates that serve it.
    pub requirements: Vec<(String, Vec<usize>)>,
    /// Per candidate: size cost per second, share of rows it indexes, columns it stores.
    pub size_cost: Vec<f64>,
    pub pages: Vec<f64>,
    pub share: Vec<f64>,
    pub columns: Vec<Vec<String>>,
    pub params: CostParams,
}

impl Problem {
    pub fn build(
        cx: &Context<'_>,
        candidates: Vec<Candidate>,
        forced: Vec<bool>,
        extra_writes: Vec<WriteRow>,
    ) -> Problem {
        let Context {
            profile,
            table,
            patterns,
            always_updated,
            hinted,
            params,
            defaults,
        } = *cx;
        let mut reads = Vec::new();
        // In steady state a table at its declared size loses by DELETE what INSERTs add: a
        // periodic purge by a range (`expires_at < now()`) removes that many rows per run,
        // not the planner's default third of the table.
        let inserted: f64 = extra_writes
            .iter()
            .filter(|w| w.kind == WriteKind::Insert)
            .map(|w| w.rows)
            .sum::<f64>()
            + patterns
                .iter()
                .filter(|p| p.analysis.driving.table == table.name)
                .map(|p| match p.analysis.kind {
                    StatementKind::Insert { rows } => rows as f64 * p.rate,
                    _ => 0.0,
                })
                .sum::<f64>();
        let deletes: f64 = patterns
            .iter()
            .filter(|p| {
                p.analysis.driving.table == table.name
                    && p.analysis.kind == StatementKind::Delete
                    && !p.analysis.driving.range.is_empty()
            })
            .map(|p| p.rate)
            .sum();
        let mut writes = extra_writes;
        for (pi, p) in patterns.iter().enumerate() {
            let a = &p.analysis;
            let steady;
            let profile = if a.kind == StatementKind::Delete
                && a.driving.table == table.name
                && !a.driving.range.is_empty()
                && deletes > 0.0
            {
                let share = inserted / deletes / profile.rows.max(1.0);
                steady = profile.with_range_share(&a.driving.range, share, hinted);
                &steady
            } else {
                profile
            };
            for acc in std::iter::once(&a.driving).chain(a.probes.iter()) {
                if acc.table != table.name {
                    continue;
                }
                // An INSERT reads nothing; a probe runs once per row the driving table returns.
                if matches!(a.kind, StatementKind::Insert { .. }) {
                    continue;
                }
                let repeat = if acc.join_probe {
                    let rows = defaults.limit as f64;
                    rows.max(1.0)
                } else {
                    1.0
                };
                let scan = cost::scan(params, defaults, profile, a, acc);
                let through = candidates
                    .iter()
                    .map(|c| cost::through(params, defaults, profile, a, acc, c))
                    .collect();
                reads.push(ReadRow {
                    pattern: pi,
                    rate: p.rate * repeat,
                    scan,
                    through,
                });
            }
            if a.driving.table == table.name {
                let rows = cost::rows_written(profile, a) * p.rate;
                let kind = match &a.kind {
                    StatementKind::Select => None,
                    StatementKind::Insert { .. } => Some(WriteKind::Insert),
                    StatementKind::Update { set } => {
                        let mut cols = set.clone();
                        for c in always_updated {
                            if !cols.contains(c) {
                                cols.push(c.clone());
                            }
                        }
                        Some(WriteKind::Update(cols))
                    }
                    StatementKind::Delete => Some(WriteKind::Delete),
                };
                if let Some(kind) = kind {
                    writes.push(WriteRow {
                        pattern: Some(pi),
                        rows,
                        kind,
                    });
                }
            }
        }
        // Every foreign key's index is a requirement: some chosen index must serve the same
        // lookups (a full btree index leading with its columns).
        let mut requirements: Vec<(String, Vec<usize>)> = Vec::new();
        for c in &candidates {
            let crate::candidates::Origin::ForeignKey(name) = &c.origin else {
                continue;
            };
            let cols: Vec<String> = c
                .index
                .keys
                .iter()
                .filter_map(|k| k.column_name().map(str::to_string))
                .collect();
            let serving: Vec<usize> = candidates
                .iter()
                .enumerate()
                .filter(|(_, x)| serves_foreign_key(x, &cols))
                .map(|(i, _)| i)
                .collect();
            if !requirements.iter().any(|(n, _)| n == name) {
                requirements.push((name.clone(), serving));
            }
        }
        let pages: Vec<f64> = candidates
            .iter()
            .map(|c| cost::index_pages(profile, c))
            .collect();
        Problem {
            // Exact ties go to the index with fewer columns.
            size_cost: pages
                .iter()
                .zip(&candidates)
                .map(|(p, c)| {
                    p * params.size_per_page
                        + params.per_index
                        + 1e-3 * (c.index.keys.len() + c.index.include.len()) as f64
                })
                .collect(),
            pages,
            share: candidates
                .iter()
                .map(|c| profile.predicate_share(&c.conds))
                .collect(),
            columns: candidates.iter().map(|c| c.columns(table)).collect(),
            candidates,
            forced,
            reads,
            writes,
            requirements,
            params: params.clone(),
        }
    }

    /// The objective of a set (forced candidates are always counted).
    pub fn evaluate(&self, set: &[bool]) -> Breakdown {
        let on = |i: usize| set[i] || self.forced[i];
        let n = self.candidates.len();
        let mut b = Breakdown::default();
        for r in &self.reads {
            let best = (0..n)
                .filter(|&i| on(i))
                .filter_map(|i| r.through[i].map(|p| p.cost))
                .fold(r.scan.cost, f64::min);
            b.reads += r.rate * best;
        }
        b.upkeep = self.upkeep(&|i| on(i));
        b.size = (0..n).filter(|&i| on(i)).map(|i| self.size_cost[i]).sum();
        b.penalty = self
            .requirements
            .iter()
            .filter(|(_, serving)| !serving.iter().any(|&i| on(i)))
            .count() as f64
            * UNSERVED_FOREIGN_KEY;
        b
    }

    fn upkeep(&self, on: &dyn Fn(usize) -> bool) -> f64 {
        let n = self.candidates.len();
        let k = &self.params;
        let mut total = 0.0;
        for w in &self.writes {
            let per_index = match &w.kind {
                WriteKind::Insert => k.index_insert,
                WriteKind::Delete => k.index_delete,
                WriteKind::Update(cols) => {
                    let hot = !(0..n)
                        .filter(|&i| on(i))
                        .any(|i| self.columns[i].iter().any(|c| cols.contains(c)));
                    if hot {
                        continue;
                    }
                    k.index_insert
                }
            };
            for i in (0..n).filter(|&i| on(i)) {
                let share = if w.kind == WriteKind::Delete {
                    1.0
                } else {
                    self.share[i]
                };
                total += w.rows * per_index * share;
            }
        }
        total
    }

    /// Which candidate serves each read row best in `set` (`None`: a scan).
    pub fn best_plans(&self, set: &[bool]) -> Vec<(Option<usize>, ReadPlan)> {
        let n = self.candidates.len();
        self.reads
            .iter()
            .map(|r| {
                let mut best: (Option<usize>, ReadPlan) = (None, r.scan);
                for i in (0..n).filter(|&i| set[i] || self.forced[i]) {
                    if let Some(p) = r.through[i]
                        && p.cost < best.1.cost
                    {
                        best = (Some(i), p);
                    }
                }
                best
            })
            .collect()
    }

    /// Lower bound of every completion of a partial decision: `decided[i]` is `Some(choice)`.
    fn bound(&self, decided: &[Option<bool>]) -> f64 {
        let n = self.candidates.len();
        let chosen = |i: usize| self.forced[i] || decided[i] == Some(true);
        let possible = |i: usize| chosen(i) || decided[i].is_none();
        let mut reads = 0.0;
        for r in &self.reads {
            let best = (0..n)
                .filter(|&i| possible(i))
                .filter_map(|i| r.through[i].map(|p| p.cost))
                .fold(r.scan.cost, f64::min);
            reads += r.rate * best;
        }
        let upkeep = self.upkeep(&chosen);
        let size: f64 = (0..n)
            .filter(|&i| chosen(i))
            .map(|i| self.size_cost[i])
            .sum();
        let penalty = self
            .requirements
            .iter()
            .filter(|(_, serving)| !serving.iter().any(|&i| possible(i)))
            .count() as f64
            * UNSERVED_FOREIGN_KEY;
        reads + upkeep + size + penalty
    }

    /// Free candidates another candidate dominates: it serves every read at least as cheaply,
    /// costs no more in size, indexes no larger a share of the rows, stores no column the
    /// dominated one does not (so it breaks HOT no more often) and serves the same foreign
    /// keys. Replacing a dominated candidate by its dominator never raises the objective, so
    /// leaving dominated ones out keeps the search exact. Of two equal ones the later goes.
    pub fn dominated(&self) -> Vec<bool> {
        let n = self.candidates.len();
        let serves_all = |j: usize, i: usize| {
            self.reads
                .iter()
                .all(|r| match (r.through[i], r.through[j]) {
                    (None, _) => true,
                    (Some(ci), Some(cj)) => cj.cost <= ci.cost,
                    (Some(ci), None) => ci.cost >= r.scan.cost,
                })
        };
        let le = |a: f64, b: f64| a <= b + 1e-12 * b.abs().max(1.0);
        let dominates = |j: usize, i: usize| {
            le(self.size_cost[j], self.size_cost[i])
                && le(self.share[j], self.share[i])
                && self.columns[j].iter().all(|c| self.columns[i].contains(c))
                && self
                    .requirements
                    .iter()
                    .all(|(_, serving)| !serving.contains(&i) || serving.contains(&j))
                && serves_all(j, i)
        };
        let mut out = vec![false; n];
        for i in (0..n).filter(|&i| !self.forced[i]) {
            out[i] = (0..n).any(|j| {
                j != i
                    && !out[j]
                    && dominates(j, i)
                    && (!dominates(i, j) || j < i || self.forced[j])
            });
        }
        out
    }

    /// Greedy local search from the forced set: the best single add, drop or swap while it
    /// lowers the objective.
    pub fn greedy(&self) -> Vec<bool> {
        let n = self.candidates.len();
        let dominated = self.dominated();
        let free: Vec<usize> = (0..n)
            .filter(|&i| !self.forced[i] && !dominated[i])
            .collect();
        let mut set = vec![false; n];
        let mut current = self.evaluate(&set).total();
        // Each accepted move lowers the objective; the bound on moves keeps it finite even
        // with floating-point ties.
        for _ in 0..(4 * n + 16) {
            let mut best: Option<(f64, Vec<bool>)> = None;
            let mut consider = |s: Vec<bool>| {
                let v = self.evaluate(&s).total();
                if v < current - 1e-9 * current.abs().max(1.0)
                    && best.as_ref().is_none_or(|(bv, _)| v < *bv)
                {
                    best = Some((v, s));
                }
            };
            for &i in &free {
                let mut s = set.clone();
                s[i] = !s[i];
                consider(s);
            }
            for &i in free.iter().filter(|&&i| set[i]) {
                for &j in free.iter().filter(|&&j| !set[j]) {
                    let mut s = set.clone();
                    s[i] = false;
                    s[j] = true;
                    consider(s);
                }
            }
            match best {
                Some((v, s)) => {
                    current = v;
                    set = s;
                }
                None => break,
            }
        }
        set
    }

    /// Exact branch and bound, seeded with the greedy answer.
    pub fn solve(&self) -> (Vec<bool>, Method) {
        let n = self.candidates.len();
        let seed = self.greedy();
        let mut best_val = self.evaluate(&seed).total();
        let mut best = seed;
        // Most valuable first: the candidate that alone lowers the objective most.
        let empty = vec![false; n];
        let base = self.evaluate(&empty).total();
        let mut order: Vec<(usize, f64)> = (0..n)
            .filter(|&i| !self.forced[i])
            .map(|i| {
                let mut s = empty.clone();
                s[i] = true;
                (i, self.evaluate(&s).total() - base)
            })
            .collect();
        order.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let order: Vec<usize> = order.into_iter().map(|(i, _)| i).collect();
        let dominated = self.dominated();
        let order: Vec<usize> = order.into_iter().filter(|&i| !dominated[i]).collect();
        let mut decided: Vec<Option<bool>> = vec![None; n];
        for ((d, f), x) in decided.iter_mut().zip(&self.forced).zip(&dominated) {
            if *f {
                *d = Some(true);
            } else if *x {
                *d = Some(false);
            }
        }
        let mut nodes = 0usize;
        let complete = self.branch(
            0,
            &order,
            &mut decided,
            &mut best,
            &mut best_val,
            &mut nodes,
        );
        (
            best,
            if complete {
                Method::Exact
            } else {
                Method::Greedy
            },
        )
    }

    /// Returns `false` when the node budget ran out.
    fn branch(
        &self,
        depth: usize,
        order: &[usize],
        decided: &mut Vec<Option<bool>>,
        best: &mut Vec<bool>,
        best_val: &mut f64,
        nodes: &mut usize,
    ) -> bool {
        *nodes += 1;
        if *nodes > NODE_BUDGET {
            return false;
        }
        if self.bound(decided) >= *best_val - 1e-9 * best_val.abs().max(1.0) {
            return true;
        }
        let Some(&i) = order.get(depth) else {
            let set: Vec<bool> = decided
                .iter()
                .enumerate()
                .map(|(j, d)| *d == Some(true) && !self.forced[j])
                .collect();
            let v = self.evaluate(&set).total();
            if v < *best_val {
                *best_val = v;
                *best = set;
            }
            return true;
        };
        for choice in [true, false] {
            decided[i] = Some(choice);
            if !self.branch(depth + 1, order, decided, best, best_val, nodes) {
                decided[i] = None;
                return false;
            }
        }
        decided[i] = None;
        true
    }
}

/// Whether a candidate lets a foreign key's checks (deleting or updating a parent row) find
/// the referencing rows: a full btree index whose leading keys are the key's columns.
pub fn serves_foreign_key(c: &Candidate, fk_columns: &[String]) -> bool {
    if c.index.method != "btree" || c.index.predicate.is_some() || fk_columns.is_empty() {
        return false;
    }
    if c.index.keys.len() < fk_columns.len() {
        return false;
    }
    let mut lead: Vec<&str> = c.index.keys[..fk_columns.len()]
        .iter()
        .filter_map(|k| k.column_name())
        .collect();
    let mut want: Vec<&str> = fk_columns.iter().map(String::as_str).collect();
    lead.sort_unstable();
    want.sort_unstable();
    lead == want
}
