//! Rows by row number, for data at scale: every value of row `n` of a table is a function of
//! the seed, the table, the column and `n` alone, so rows stream out without being kept and
//! a child computes its parent's key from the parent's row number (as pgbench does) instead
//! of looking it up.
//!
//! - **Owners** (a plain many-to-one foreign key): rows are spread over the parents by a
//!   Zipf law (exponent from `stats <fk> skew`, else [`DEFAULT_SKEW`]). The parent of row `n`
//!   is found by permuting `n`, cutting the permuted rows into one block per parent sized by
//!   the law, and permuting the block's rank, so heavy owners are not the first rows and
//!   their rows are spread over the table, as in real data. The map is invertible: the rows
//!   of a given parent are known without a scan.
//! - **Keys made of foreign keys** (junction tables, one-to-one keys): the row number is
//!   read as a mixed-radix number whose digits are the parents' rows, so rows never repeat a
//!   combination; the row count is capped at how many exist.
//! - **Foreign keys sharing a column** (a tenant column in two composite keys, as in
//!   `task_tags (task_id, user_id)` and `(tag_id, user_id)`): the widest key picks its parent
//!   as above; the other picks, among its parent's rows of the same owner (through the
//!   inverse map), the one the row number says. A row whose owner has no such row is not
//!   generated, so the table may get fewer rows than asked.
//! - **Self-references** point at an earlier row.

use std::collections::BTreeMap;

use strata_model::{Identity, Model, QualifiedName, Table};

use crate::plan::{Plan, insertion_order};
use crate::values::{self, Ctx, Rng, Value, is_sensitive};

/// Zipf exponent of how rows spread over their owners when no `stats ... skew` says: mild
/// (with 10,000 owners the busiest has about 50 times the average), documented in
/// docs/seed.md.
pub const DEFAULT_SKEW: f64 = 0.5;
/// Rows of a table that declares none.
pub const DEFAULT_ROWS: u64 = 10_000;
/// Share of live rows (NULL soft-delete column) when no `stats ... null` says.
pub const DEFAULT_LIVE_SHARE: f64 = 0.95;
/// Share of NULL in another nullable column when no `stats ... null` says.
pub const DEFAULT_NULL_SHARE: f64 = 0.2;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RowsError {
    #[error(
        "table {table} needs rows of {parent} (NOT NULL foreign key {fk}), which get none; give {parent} rows (--rows {parent}=N)"
    )]
    MissingParent {
        table: String,
        parent: String,
        fk: String,
    },
    #[error(
        "tables {tables} reference each other through NOT NULL foreign keys, which COPY cannot fill one table at a time; make one of the keys nullable or DEFERRABLE, or leave these tables out (--rows TABLE=0)"
    )]
    Cycle { tables: String },
    #[error(
        "table {table}: foreign key {fk} shares columns with {other}, and {parent} has no foreign key on those columns to pick a matching row by; leave the table out (--rows {table}=0)"
    )]
    SharedColumns {
        table: String,
        fk: String,
        other: String,
        parent: String,
    },
    #[error("--rows names {name}, which is not a table of the schema")]
    UnknownTable { name: String },
}

/// How many rows of each table, before the caps keys impose.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// Multiplies every table's declared rows (or [`DEFAULT_ROWS`]).
    pub scale: f64,
    /// Exact counts by table name (`tasks` or `schema.tasks`); they are not scaled.
    pub rows: Vec<(String, u64)>,
    pub seed: u64,
    /// The moment expiries (`expires_at`) are placed around, in minutes since 2024-01-01;
    /// `None` is the start of the current day (UTC), so most expiries of freshly loaded data
    /// lie ahead.
    pub now: Option<i64>,
}

impl Default for Sizing {
    fn default() -> Self {
        Sizing {
            scale: 1.0,
            rows: Vec::new(),
            seed: 42,
            now: None,
        }
    }
}

/// The data of a whole schema, table by table in insertion order.
pub struct Dataset<'a> {
    model: &'a Model,
    pub tables: Vec<TableGen<'a>>,
    /// Position in `tables` by name.
    index: BTreeMap<&'a QualifiedName, usize>,
    /// Minutes since 2024-01-01 that expiries are placed around.
    now: i64,
}

/// One table: what each column gets, and how many rows.
pub struct TableGen<'a> {
    pub table: &'a Table,
    plan: Plan<'a>,
    /// Rows asked for (after caps); rows a shared-column key cannot match are skipped.
    pub rows: u64,
    /// Indices into `table.columns` of the columns COPY writes (in this order).
    pub columns: Vec<usize>,
    /// Names of checks the generator did not understand (the server still enforces them).
    pub unverified: Vec<String>,
    /// Columns that take an identity or `nextval` default, whose sequence must be moved past
    /// the generated values.
    pub sequenced: Vec<usize>,
    /// Per column of `table.columns`: how it gets its value.
    sources: Vec<Source>,
    fks: Vec<FkGen>,
}

#[derive(Debug, Clone)]
enum Source {
    /// Not written (generated column, or the column's default).
    Skip,
    /// From the value generators.
    Value {
        rng: Rng,
        unique: bool,
        null_share: f64,
        true_share: Option<f64>,
    },
    /// Copied from an earlier column of the row (`updated_at` from `created_at`).
    Same(usize),
    /// Column `created` of the row plus a delay (`deleted_at`), or NULL by `null_share`.
    After {
        created: usize,
        rng: Rng,
        null_share: f64,
    },
    /// Around the moment of the load (`expires_at`), or NULL by `null_share`.
    Expiry {
        rng: Rng,
        null_share: f64,
        with_time_zone: bool,
    },
    /// Part `part` of foreign key `fk` (index into `fks`).
    Fk { fk: usize, part: usize },
}

#[derive(Debug, Clone)]
struct FkGen {
    name: String,
    parent: usize,
    /// Column indices (in the child and the parent tables) of each part.
    child_cols: Vec<usize>,
    parent_cols: Vec<usize>,
    pick: Pick,
}

#[derive(Debug, Clone)]
enum Pick {
    /// No parent rows and the key is nullable.
    Null,
    Owner(Blocks),
    /// Digit of the row number in a mixed-radix key over these (fk index, radix).
    Combo {
        digits: Vec<(usize, u64)>,
    },
    SelfEarlier {
        rng: Rng,
        nullable: bool,
    },
    /// All columns are written by a wider foreign key of the same row.
    Implied,
    /// Matches the columns it shares with foreign key `via`: among the parent's rows whose
    /// foreign key `parent_fk` (index into the parent's `fks`) points at the same owner row.
    Shared {
        via: usize,
        /// The child columns both keys write, and the foreign key of `via`'s parent that
        /// holds them (index into that parent's `fks`).
        via_owner_fk: usize,
        parent_fk: usize,
        /// Round of this row among the owner's rows: from the combo, else random.
        round: Option<Vec<(usize, u64)>>,
        rng: Rng,
    },
}

/// A permutation of `0..n`: `x ↦ (a·x + b) mod n` with `a` coprime to `n`.
#[derive(Debug, Clone, Copy)]
struct Perm {
    n: u64,
    a: u64,
    b: u64,
    a_inv: u64,
}

impl Perm {
    fn new(n: u64, rng: &mut Rng) -> Perm {
        if n <= 1 {
            return Perm {
                n: n.max(1),
                a: 1,
                b: 0,
                a_inv: 1,
            };
        }
        // Near the golden ratio of n: consecutive rows land far apart.
        let mut a = ((n as f64) * 0.618_033_988_75) as u64 | 1;
        while gcd(a, n) != 1 {
            a += 2;
        }
        let a = a % n;
        let a = if a == 0 { 1 } else { a };
        Perm {
            n,
            a,
            b: rng.below(n),
            a_inv: mod_inverse(a, n),
        }
    }
    fn apply(&self, x: u64) -> u64 {
        ((u128::from(x) * u128::from(self.a) + u128::from(self.b)) % u128::from(self.n)) as u64
    }
    fn invert(&self, y: u64) -> u64 {
        let d = (u128::from(y) + u128::from(self.n) - u128::from(self.b)) % u128::from(self.n);
        ((d * u128::from(self.a_inv)) % u128::from(self.n)) as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn mod_inverse(a: u64, n: u64) -> u64 {
    let (mut t, mut new_t) = (0i128, 1i128);
    let (mut r, mut new_r) = (i128::from(n), i128::from(a));
    while new_r != 0 {
        let q = r / new_r;
        (t, new_t) = (new_t, t - q * new_t);
        (r, new_r) = (new_r, r - q * new_r);
    }
    t.rem_euclid(i128::from(n)) as u64
}

/// Child rows cut into one block per parent, sized by a Zipf law over the parents' ranks.
#[derive(Debug, Clone, Copy)]
struct Blocks {
    children: u64,
    parents: u64,
    skew: f64,
    total: f64,
    rows: Perm,
    ranks: Perm,
}

impl Blocks {
    fn new(children: u64, parents: u64, skew: f64, rng: &mut Rng) -> Blocks {
        let mut b = Blocks {
            children,
            parents,
            skew: skew.max(0.0),
            total: 0.0,
            rows: Perm::new(children, rng),
            ranks: Perm::new(parents, rng),
        };
        b.total = b.weight(parents as f64);
        b
    }
    /// Weight of ranks `0..r`: ∫₀ʳ (x+1)^-s dx, the continuous form of Σ i^-s.
    fn weight(&self, r: f64) -> f64 {
        let s = self.skew;
        if (s - 1.0).abs() < 1e-9 {
            (r + 1.0).ln()
        } else {
            ((r + 1.0).powf(1.0 - s) - 1.0) / (1.0 - s)
        }
    }
    fn weight_inverse(&self, w: f64) -> f64 {
        let s = self.skew;
        if (s - 1.0).abs() < 1e-9 {
            w.exp() - 1.0
        } else {
            (w * (1.0 - s) + 1.0).max(0.0).powf(1.0 / (1.0 - s)) - 1.0
        }
    }
    /// First slot of rank `r`'s block.
    fn start(&self, r: u64) -> u64 {
        if r >= self.parents {
            return self.children;
        }
        ((self.children as f64) * self.weight(r as f64) / self.total).floor() as u64
    }
    fn rank_of_slot(&self, x: u64) -> u64 {
        let guess = self.weight_inverse((x as f64 + 0.5) / self.children as f64 * self.total);
        let mut r = (guess.max(0.0) as u64).min(self.parents - 1);
        while r > 0 && self.start(r) > x {
            r -= 1;
        }
        while r + 1 < self.parents && self.start(r + 1) <= x {
            r += 1;
        }
        r
    }
    fn parent_of(&self, child: u64) -> u64 {
        let r = self.rank_of_slot(self.rows.apply(child));
        self.ranks.apply(r)
    }
    /// How many child rows parent `p` has, and the `k`-th of them.
    fn children_of(&self, parent: u64) -> (u64, impl Fn(u64) -> u64 + '_) {
        let r = self.ranks.invert(parent);
        let start = self.start(r);
        let len = self.start(r + 1).saturating_sub(start);
        (len, move |k| self.rows.invert(start + k))
    }
}

/// Parses a stats hint value as the design wrote it (a percentage for shares).
fn hint(t: &Table, column: &str, kind: &str) -> Option<f64> {
    let h = t
        .origin
        .stats
        .iter()
        .find(|h| h.column == column && h.kind == kind)?;
    let v: f64 = h.value.parse().ok()?;
    Some(if matches!(kind, "true" | "null" | "range") {
        (v / 100.0).clamp(0.0, 1.0)
    } else {
        v
    })
}

fn name_matches(name: &QualifiedName, asked: &str) -> bool {
    asked == name.name || asked == format!("{}.{}", name.schema, name.name)
}

pub fn display_name(name: &QualifiedName) -> String {
    if name.schema == "public" {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

impl<'a> Dataset<'a> {
    pub fn new(model: &'a Model, sizing: &Sizing) -> Result<Dataset<'a>, RowsError> {
        let tables: Vec<&Table> = model
            .tables
            .iter()
            .filter(|t| t.partition_of.is_none())
            .collect();
        for (asked, _) in &sizing.rows {
            if !tables.iter().any(|t| name_matches(&t.name, asked)) {
                return Err(RowsError::UnknownTable {
                    name: asked.clone(),
                });
            }
        }
        let by_name: BTreeMap<&QualifiedName, usize> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| (&t.name, i))
            .collect();
        let plans: Vec<Plan<'_>> = tables.iter().map(|t| Plan::new(model, t)).collect();
        let (order, group_of) = insertion_order(&tables, &plans, &by_name);
        let mut counts: Vec<u64> = tables
            .iter()
            .map(|t| {
                let exact = sizing
                    .rows
                    .iter()
                    .rev()
                    .find(|(n, _)| name_matches(&t.name, n))
                    .map(|(_, r)| *r);
                exact.unwrap_or_else(|| {
                    let declared = t.origin.row_estimate.unwrap_or(DEFAULT_ROWS) as f64;
                    (declared * sizing.scale).round().max(0.0) as u64
                })
            })
            .collect();
        // Tables on a cycle of NOT NULL keys share a group.
        let mut cyclic: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for &ti in &order {
            cyclic
                .entry(group_of[ti])
                .or_default()
                .push(display_name(&tables[ti].name));
        }
        if let Some(names) = cyclic
            .values()
            .find(|names| names.len() > 1)
            .filter(|_| order.iter().any(|&ti| counts[ti] > 0))
        {
            return Err(RowsError::Cycle {
                tables: names.join(", "),
            });
        }
        // Caps, parents first.
        for &ti in &order {
            let plan = &plans[ti];
            if let Some(combo) = &plan.combo {
                let mut product: u64 = 1;
                for &fk in combo {
                    let n = by_name
                        .get(&plan.fks[fk].ref_table)
                        .map_or(0, |&p| if p == ti { counts[ti] } else { counts[p] });
                    product = product.saturating_mul(n);
                }
                counts[ti] = counts[ti].min(product);
            }
            for &(_, n) in &plan.finite_unique {
                counts[ti] = counts[ti].min(n as u64);
            }
        }

        let mut out: Vec<TableGen<'a>> = Vec::with_capacity(order.len());
        let mut index: BTreeMap<&'a QualifiedName, usize> = BTreeMap::new();
        let mut plans: Vec<Option<Plan<'a>>> = plans.into_iter().map(Some).collect();
        for &ti in &order {
            let t = tables[ti];
            let Some(plan) = plans[ti].take() else {
                continue;
            };
            let g = match TableGen::new(model, t, plan, counts[ti], sizing.seed, &index, &out) {
                Ok(g) => g,
                // A table left out (no rows) needs no way to pick its keys: the error's own
                // advice (`--rows TABLE=0`) must work.
                Err(_) if counts[ti] == 0 => continue,
                Err(e) => return Err(e),
            };
            index.insert(&t.name, out.len());
            out.push(g);
        }
        Ok(Dataset {
            model,
            tables: out,
            index,
            now: sizing.now.unwrap_or_else(values::now_minutes),
        })
    }

    /// Position in [`Dataset::tables`] of a table.
    pub fn position(&self, name: &QualifiedName) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// The values of row `row` of table `ti`, in [`TableGen::columns`] order; `None` when
    /// the row is not generated (a shared-column key found no match).
    pub fn row(&self, ti: usize, row: u64, out: &mut Vec<Value>) -> bool {
        out.clear();
        let g = &self.tables[ti];
        let mut parents: Vec<Option<Option<u64>>> = vec![None; g.fks.len()];
        for &ci in &g.columns {
            let v = match self.value(ti, ci, row, &mut parents) {
                Some(v) => v,
                None => return false,
            };
            out.push(v);
        }
        crate::order::put_in_order(&g.plan.orders, &g.columns, out);
        true
    }

    /// The parent row of foreign key `fk` of row `row` (memoised in `parents`); `Some(None)`
    /// for NULL, `None` when the row cannot be generated.
    fn parent_row(
        &self,
        ti: usize,
        fk: usize,
        row: u64,
        parents: &mut [Option<Option<u64>>],
    ) -> Option<Option<u64>> {
        if let Some(p) = parents[fk] {
            return Some(p);
        }
        let g = &self.tables[ti];
        let f = &g.fks[fk];
        let p = match &f.pick {
            Pick::Null | Pick::Implied => None,
            Pick::Owner(b) => Some(b.parent_of(row)),
            Pick::Combo { digits } => Some(combo_digit(digits, fk, row)),
            Pick::SelfEarlier { rng, nullable } => {
                if row == 0 {
                    if *nullable { None } else { Some(0) }
                } else {
                    Some(rng.at(row).below(row))
                }
            }
            Pick::Shared {
                via,
                via_owner_fk,
                parent_fk,
                round,
                rng,
            } => {
                let via_row = self.parent_row(ti, *via, row, parents)?;
                let Some(via_row) = via_row else {
                    return Some(None);
                };
                let via_parent = g.fks[*via].parent;
                let owner = self.parent_row(
                    via_parent,
                    *via_owner_fk,
                    via_row,
                    &mut vec![None; self.tables[via_parent].fks.len()],
                )??;
                let Pick::Owner(blocks) = &self.tables[f.parent].fks[*parent_fk].pick else {
                    return None;
                };
                let (len, kth) = blocks.children_of(owner);
                if len == 0 {
                    return None;
                }
                let k = match round {
                    Some(digits) => {
                        let k = combo_round(digits, row);
                        if k >= len {
                            return None;
                        }
                        k
                    }
                    None => rng.at(row).below(len),
                };
                Some(kth(k))
            }
        };
        parents[fk] = Some(p);
        Some(p)
    }

    fn value(
        &self,
        ti: usize,
        ci: usize,
        row: u64,
        parents: &mut [Option<Option<u64>>],
    ) -> Option<Value> {
        let g = &self.tables[ti];
        match &g.sources[ci] {
            Source::Skip => Some(Value::Default),
            Source::Same(other) => self.value(ti, *other, row, parents),
            Source::After {
                created,
                rng,
                null_share,
            } => {
                let mut r = rng.at(row);
                if *null_share > 0.0 && r.unit() < *null_share {
                    return Some(Value::Null);
                }
                let c = self.value(ti, *created, row, parents)?;
                Some(values::later(&c, &mut r))
            }
            Source::Expiry {
                rng,
                null_share,
                with_time_zone,
            } => {
                let mut r = rng.at(row);
                if *null_share > 0.0 && r.unit() < *null_share {
                    return Some(Value::Null);
                }
                Some(values::expiry_at(
                    self.now,
                    values::expiry_offset(&mut r),
                    *with_time_zone,
                ))
            }
            Source::Fk { fk, part } => {
                let f = &g.fks[*fk];
                if matches!(f.pick, Pick::Implied) {
                    // Written by the wider key that shares the column.
                    let (wider, wpart) = g.fks.iter().enumerate().find_map(|(i, o)| {
                        (i != *fk && !matches!(o.pick, Pick::Implied))
                            .then(|| o.child_cols.iter().position(|&c| c == f.child_cols[*part]))
                            .flatten()
                            .map(|p| (i, p))
                    })?;
                    return self.fk_value(ti, wider, wpart, row, parents);
                }
                self.fk_value(ti, *fk, *part, row, parents)
            }
            Source::Value {
                rng,
                unique,
                null_share,
                true_share,
            } => {
                let t = g.table;
                let col = &t.columns[ci];
                let mut r = rng.at(row);
                if *null_share > 0.0 && r.unit() < *null_share {
                    return Some(Value::Null);
                }
                if let Some(share) = true_share {
                    return Some(Value::Bool(r.unit() < *share));
                }
                let ctx = Ctx {
                    model: self.model,
                    table: &t.name.name,
                    column: col,
                    rules: &g.plan.rules[ci],
                    row: row as usize,
                    unique: *unique,
                    sensitive: is_sensitive(col),
                    semantic: col.origin.semantic.as_deref(),
                };
                Some(values::generate(&ctx, &mut r))
            }
        }
    }

    fn fk_value(
        &self,
        ti: usize,
        fk: usize,
        part: usize,
        row: u64,
        parents: &mut [Option<Option<u64>>],
    ) -> Option<Value> {
        let f = &self.tables[ti].fks[fk];
        match self.parent_row(ti, fk, row, parents)? {
            None => Some(Value::Null),
            Some(p) => {
                let pc = *f.parent_cols.get(part)?;
                let mut pp = vec![None; self.tables[f.parent].fks.len()];
                self.value(f.parent, pc, p, &mut pp)
            }
        }
    }
}

fn combo_digit(digits: &[(usize, u64)], fk: usize, row: u64) -> u64 {
    // Each digit is shifted by the sum of the ones before it (a bijection for fixed
    // earlier digits), so the first rows spread over all parents.
    let mut n = row;
    let mut shift = 0u64;
    for &(other, radix) in digits {
        let radix = radix.max(1);
        let d = n % radix;
        if other == fk {
            return (d + shift) % radix;
        }
        shift = shift.wrapping_add(d);
        n /= radix;
    }
    0
}

/// What is left of the row number after the digits: the round.
fn combo_round(digits: &[(usize, u64)], row: u64) -> u64 {
    digits.iter().fold(row, |n, &(_, radix)| n / radix.max(1))
}

impl<'a> TableGen<'a> {
    fn new(
        model: &'a Model,
        t: &'a Table,
        plan: Plan<'a>,
        rows: u64,
        seed: u64,
        index: &BTreeMap<&'a QualifiedName, usize>,
        done: &[TableGen<'a>],
    ) -> Result<TableGen<'a>, RowsError> {
        let col_index = |name: &str| t.columns.iter().position(|c| c.name == name);
        let mut sources: Vec<Source> = vec![Source::Skip; t.columns.len()];
        // Foreign keys: widest first, so a narrower key sharing its columns follows it.
        let mut by_width: Vec<usize> = (0..plan.fks.len()).collect();
        by_width.sort_by_key(|&fi| std::cmp::Reverse(plan.fks[fi].columns.len()));
        let mut fks: Vec<FkGen> = Vec::new();
        let mut written: Vec<(usize, usize)> = Vec::new(); // (child column, fk)
        let combo_fks: Vec<usize> = plan.combo.clone().unwrap_or_default();
        let mut combo_pos: Vec<(usize, usize)> = Vec::new(); // (plan fk, our fk)
        for fi in by_width {
            let fk = plan.fks[fi];
            let child_cols: Vec<usize> = fk.columns.iter().filter_map(|c| col_index(c)).collect();
            let nullable = child_cols.iter().any(|&c| t.columns[c].nullable);
            let self_ref = fk.ref_table == t.name;
            let parent = if self_ref {
                Some(done.len())
            } else {
                index.get(&fk.ref_table).copied()
            };
            let parent_table = if self_ref {
                Some(t)
            } else {
                parent.and_then(|p| done.get(p)).map(|g| g.table)
            };
            let parent_rows = if self_ref {
                rows
            } else {
                parent.and_then(|p| done.get(p)).map_or(0, |g| g.rows)
            };
            let (Some(parent), Some(pt)) = (parent, parent_table) else {
                if nullable {
                    continue;
                }
                return Err(RowsError::MissingParent {
                    table: display_name(&t.name),
                    parent: display_name(&fk.ref_table),
                    fk: fk.name.clone(),
                });
            };
            let ref_cols: Vec<String> = if fk.ref_columns.is_empty() {
                pt.primary_key
                    .as_ref()
                    .map(|pk| pk.columns.clone())
                    .unwrap_or_default()
            } else {
                fk.ref_columns.clone()
            };
            let parent_cols: Vec<usize> = ref_cols
                .iter()
                .filter_map(|c| pt.columns.iter().position(|x| &x.name == c))
                .collect();
            let mut rng = Rng::new(seed, &[&t.name.schema, &t.name.name, &fk.name]);
            let me = fks.len();
            let shared: Vec<usize> = child_cols
                .iter()
                .copied()
                .filter(|c| written.iter().any(|(w, _)| w == c))
                .collect();
            let pick = if parent_rows == 0 && rows > 0 {
                if nullable {
                    Pick::Null
                } else {
                    return Err(RowsError::MissingParent {
                        table: display_name(&t.name),
                        parent: display_name(&fk.ref_table),
                        fk: fk.name.clone(),
                    });
                }
            } else if !shared.is_empty() && shared.len() == child_cols.len() {
                Pick::Implied
            } else if !shared.is_empty() {
                // The wider key that wrote the shared columns, and the parents' own keys on
                // them (both must point at the same owner table).
                let via = written
                    .iter()
                    .find(|(c, _)| shared.contains(c))
                    .map(|&(_, f)| f)
                    .unwrap_or(0);
                let other = fks.get(via).map(|f| f.name.clone()).unwrap_or_default();
                let err = || RowsError::SharedColumns {
                    table: display_name(&t.name),
                    fk: fk.name.clone(),
                    other: other.clone(),
                    parent: display_name(&fk.ref_table),
                };
                let via_fk = fks.get(via).ok_or_else(err)?;
                let owner_fk_of = |g: &TableGen<'_>, cols: &[usize]| {
                    g.fks.iter().position(|f| {
                        matches!(f.pick, Pick::Owner(_))
                            && f.child_cols.len() == cols.len()
                            && f.child_cols.iter().all(|c| cols.contains(c))
                    })
                };
                // Shared child columns, seen in each parent.
                let in_parent = |g: &TableGen<'_>, f_child: &[usize], f_parent: &[usize]| {
                    shared
                        .iter()
                        .filter_map(|c| f_child.iter().position(|x| x == c).map(|k| f_parent[k]))
                        .collect::<Vec<usize>>()
                        .into_iter()
                        .filter(|&pc| pc < g.table.columns.len())
                        .collect::<Vec<usize>>()
                };
                let via_parent = done.get(via_fk.parent).ok_or_else(err)?;
                let via_cols = in_parent(via_parent, &via_fk.child_cols, &via_fk.parent_cols);
                let via_owner_fk = owner_fk_of(via_parent, &via_cols).ok_or_else(err)?;
                let my_parent = done.get(parent).ok_or_else(err)?;
                let my_cols = in_parent(my_parent, &child_cols, &parent_cols);
                let parent_fk = owner_fk_of(my_parent, &my_cols).ok_or_else(err)?;
                if via_parent.fks[via_owner_fk].parent != my_parent.fks[parent_fk].parent {
                    return Err(err());
                }
                Pick::Shared {
                    via,
                    via_owner_fk,
                    parent_fk,
                    round: combo_fks.contains(&fi).then(Vec::new),
                    rng,
                }
            } else if combo_fks.contains(&fi) {
                Pick::Combo { digits: Vec::new() }
            } else if self_ref {
                Pick::SelfEarlier { rng, nullable }
            } else {
                let skew = child_cols
                    .first()
                    .and_then(|&c| hint(t, &t.columns[c].name, "skew"))
                    .unwrap_or(DEFAULT_SKEW);
                Pick::Owner(Blocks::new(rows.max(1), parent_rows, skew, &mut rng))
            };
            if combo_fks.contains(&fi) {
                combo_pos.push((fi, me));
            }
            for (part, &c) in child_cols.iter().enumerate() {
                if !written.iter().any(|(w, _)| *w == c) {
                    written.push((c, me));
                }
                if matches!(sources[c], Source::Skip) {
                    sources[c] = Source::Fk { fk: me, part };
                }
            }
            fks.push(FkGen {
                name: fk.name.clone(),
                parent,
                child_cols,
                parent_cols,
                pick,
            });
        }
        // The combo's digits, in the plan's order, with each parent's rows as the radix; a
        // shared-column member is the last digit's round instead.
        let mut digits: Vec<(usize, u64)> = Vec::new();
        for &fi in &combo_fks {
            let Some(&(_, me)) = combo_pos.iter().find(|(p, _)| *p == fi) else {
                continue;
            };
            if matches!(fks[me].pick, Pick::Combo { .. }) {
                let p = fks[me].parent;
                let radix = if p == done.len() {
                    rows
                } else {
                    done.get(p).map_or(1, |g| g.rows)
                };
                digits.push((me, radix.max(1)));
            }
        }
        for f in &mut fks {
            match &mut f.pick {
                Pick::Combo { digits: d } => *d = digits.clone(),
                Pick::Shared { round: Some(r), .. } => *r = digits.clone(),
                _ => {}
            }
        }

        // Every other column.
        let soft_delete = t.origin.soft_delete.as_deref();
        for (k, &ci) in plan.columns.iter().enumerate() {
            if !matches!(sources[ci], Source::Skip) {
                continue;
            }
            let col = &t.columns[ci];
            if plan.fk_columns.contains(&ci) {
                // A key with no parent table in the schema: NULL (it is nullable, or
                // MissingParent was returned above).
                sources[ci] = Source::Value {
                    rng: Rng::new(seed, &[]),
                    unique: false,
                    null_share: 1.0,
                    true_share: None,
                };
                continue;
            }
            if plan.updated_at == Some(k)
                && let Some(c) = plan.created_at
            {
                sources[ci] = Source::Same(plan.columns[c]);
                continue;
            }
            let unique = plan.unique.contains(&ci);
            let null_share = if !col.nullable || unique {
                0.0
            } else if soft_delete == Some(col.name.as_str()) {
                hint(t, &col.name, "null").unwrap_or(DEFAULT_LIVE_SHARE)
            } else {
                hint(t, &col.name, "null").unwrap_or(DEFAULT_NULL_SHARE)
            };
            let true_share = (!unique && col.data_type.is_builtin("boolean"))
                .then(|| hint(t, &col.name, "true"))
                .flatten();
            let rng = Rng::new(seed, &[&t.name.schema, &t.name.name, &col.name]);
            if plan.expiries.contains(&k) {
                sources[ci] = Source::Expiry {
                    rng,
                    null_share,
                    with_time_zone: col.data_type.base_name() == "timestamp with time zone"
                        || col.data_type.base_name() == "timestamptz",
                };
                continue;
            }
            if plan.after_created.contains(&k)
                && let Some(c) = plan.created
            {
                sources[ci] = Source::After {
                    created: plan.columns[c],
                    rng,
                    null_share,
                };
                continue;
            }
            sources[ci] = Source::Value {
                rng,
                unique,
                null_share,
                true_share,
            };
        }
        let mut g = TableGen {
            table: t,
            unverified: plan.unverified.clone(),
            plan,
            rows,
            columns: Vec::new(),
            sequenced: Vec::new(),
            sources,
            fks,
        };
        // Columns whose generator gives the column's default are left to the server.
        for &ci in &g.plan.columns.clone() {
            if let Source::Value { rng, unique, .. } = &g.sources[ci] {
                let col = &t.columns[ci];
                let ctx = Ctx {
                    model,
                    table: &t.name.name,
                    column: col,
                    rules: &g.plan.rules[ci],
                    row: 0,
                    unique: *unique,
                    sensitive: is_sensitive(col),
                    semantic: col.origin.semantic.as_deref(),
                };
                if values::generate(&ctx, &mut rng.at(0)) == Value::Default {
                    g.sources[ci] = Source::Skip;
                    continue;
                }
            }
            if col_has_sequence(&t.columns[ci]) {
                g.sequenced.push(ci);
            }
            g.columns.push(ci);
        }
        Ok(g)
    }
}

fn col_has_sequence(c: &strata_model::Column) -> bool {
    matches!(c.identity, Some(Identity::Always | Identity::ByDefault))
        || c.default
            .as_deref()
            .is_some_and(|d| d.trim_start().starts_with("nextval("))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_invert() {
        for n in [1u64, 2, 3, 10, 97, 1000, 65_536] {
            let mut rng = Rng::new(1, &["p"]);
            let p = Perm::new(n, &mut rng);
            let mut seen = vec![false; n as usize];
            for x in 0..n {
                let y = p.apply(x);
                assert!(!seen[y as usize], "n={n}: {y} twice");
                seen[y as usize] = true;
                assert_eq!(p.invert(y), x);
            }
        }
    }

    #[test]
    fn blocks_cover_every_row_once_and_are_skewed() {
        for (children, parents, skew) in [
            (10_000u64, 100u64, 0.0),
            (10_000, 100, 1.0),
            (50, 200, 0.5),
            (1, 1, 2.0),
        ] {
            let mut rng = Rng::new(3, &["b"]);
            let b = Blocks::new(children, parents, skew, &mut rng);
            let mut per_parent = vec![0u64; parents as usize];
            for c in 0..children {
                per_parent[b.parent_of(c) as usize] += 1;
            }
            for p in 0..parents {
                let (len, kth) = b.children_of(p);
                assert_eq!(len, per_parent[p as usize], "{children}/{parents}/{skew}");
                for k in 0..len {
                    assert_eq!(b.parent_of(kth(k)), p);
                }
            }
            if skew == 0.0 {
                assert!(per_parent.iter().all(|&n| n == children / parents));
            }
            if skew == 1.0 {
                let max = per_parent.iter().max().copied().unwrap_or(0);
                assert!(max > 10 * children / parents, "busiest owner {max}");
            }
        }
    }

    #[test]
    fn combo_digits_are_distinct() {
        let digits = vec![(0, 7), (1, 5)];
        let mut seen = std::collections::BTreeSet::new();
        for r in 0..35 {
            assert!(seen.insert((combo_digit(&digits, 0, r), combo_digit(&digits, 1, r))));
        }
    }
}
