//! Candidate indexes: one per pattern as the pattern alone would want it (equality columns
//! first, then ORDER BY / GROUP BY or a range column, constant filters as a partial
//! predicate, narrow selected columns INCLUDEd for an index-only scan), its leaner variants
//! (without INCLUDE, without the predicate so it also serves a foreign key) and merges of two
//! candidates whose keys share a prefix.

use strata_model::{Index, IndexKey, QualifiedName, Table, Why, WhySource, quote_ident};

use crate::analyze::{Analysis, Cond, TableAccess, predicate_conds};
use crate::workload::Pattern;

/// Why a candidate is on the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Origin {
    /// Written in the design (or made by another feature): always kept.
    Pinned,
    /// A primary key or unique constraint's own index (always there; never emitted as an
    /// index, but it serves lookups and counts in upkeep).
    Key(String),
    /// The index of a foreign key (the name of the constraint).
    ForeignKey(String),
    /// What one pattern alone wants.
    Pattern(String),
    /// A leaner variant or a merge.
    Derived(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub table: QualifiedName,
    pub index: Index,
    /// The predicate's conjuncts, classified.
    pub conds: Vec<Cond>,
    pub origin: Origin,
    /// How it was shaped ("equality on user_id; ORDER BY created_at DESC").
    pub shape: String,
}

impl Candidate {
    pub fn pinned(&self) -> bool {
        matches!(self.origin, Origin::Pinned | Origin::Key(_))
    }

    /// Every column the index stores or tests: keys, INCLUDE and predicate columns. An
    /// UPDATE of any of them cannot be HOT.
    pub fn columns(&self, table: &Table) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for k in &self.index.keys {
            match k.column_name() {
                Some(c) => out.push(c.to_string()),
                None => {
                    // An expression key: every column it names.
                    if let strata_model::IndexExpr::Expression(e) = &k.expr {
                        out.extend(mentioned(e, table));
                    }
                }
            }
        }
        out.extend(self.index.include.iter().cloned());
        if let Some(p) = &self.index.predicate {
            out.extend(mentioned(p, table));
        }
        out.sort();
        out.dedup();
        out
    }

    /// Same structure (keys, INCLUDE set, predicate, method, uniqueness).
    pub fn same_as(&self, other: &Candidate) -> bool {
        let mut a = self.index.include.clone();
        let mut b = other.index.include.clone();
        a.sort();
        b.sort();
        self.index.keys == other.index.keys
            && a == b
            && self.index.predicate == other.index.predicate
            && self.index.method == other.index.method
            && self.index.unique == other.index.unique
    }
}

/// Column names of `table` an SQL text mentions as words.
fn mentioned(sql: &str, table: &Table) -> Vec<String> {
    let words: Vec<&str> = sql
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    table
        .columns
        .iter()
        .filter(|c| words.contains(&c.name.as_str()))
        .map(|c| c.name.clone())
        .collect()
}

/// The words of an index name: column names, and the words of an expression key
/// (`lower(email)` gives `lower_email`).
fn key_words(keys: &[IndexKey]) -> String {
    keys.iter()
        .map(|k| match &k.expr {
            strata_model::IndexExpr::Column(c) => c.clone(),
            strata_model::IndexExpr::Expression(e) => e
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
                .join("_"),
        })
        .collect::<Vec<_>>()
        .join("_")
}

/// A column narrow enough to carry in an index's INCLUDE list.
fn narrow(table: &Table, col: &str) -> bool {
    let Some(c) = table.column(col) else {
        return false;
    };
    let t = &c.data_type;
    if t.array_dims > 0 {
        return false;
    }
    if t.schema.is_some() {
        return true;
    }
    match t.base_name() {
        "text" => table.checks.iter().any(|k| {
            k.expression
                .starts_with(&format!("char_length({}) <= ", quote_ident(col)))
                && k.expression
                    .rsplit(' ')
                    .next()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|n| n <= 256)
        }),
        "character varying" | "character" => t
            .name
            .trim_end_matches(')')
            .rsplit('(')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n <= 256),
        "jsonb" | "json" | "bytea" | "xml" | "tsvector" => false,
        _ => true,
    }
}

/// Index names are at most 63 bytes: longer ones are cut and end in a hash of the whole
/// name (the same rule as the designer's other names).
pub fn fit(name: &str) -> String {
    const MAX_IDENT: usize = 63;
    if name.len() <= MAX_IDENT {
        return name.to_string();
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let suffix = format!("_{:08x}", h as u32);
    let mut cut = MAX_IDENT - suffix.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &name[..cut], suffix)
}

fn rate_label(p: &Pattern) -> String {
    if !p.rate_declared {
        return format!("access pattern `{}`", p.name);
    }
    format!(
        "access pattern `{}` ({})",
        p.name,
        crate::report::rate_text(p.rate)
    )
}

fn predicate_sql(conds: &[Cond]) -> Option<String> {
    if conds.is_empty() {
        return None;
    }
    Some(
        conds
            .iter()
            .map(|c| c.sql.clone())
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}

/// What one access of one pattern alone wants, as the designer always proposed it.
fn for_access(p: &Pattern, a: &Analysis, acc: &TableAccess, table: &Table) -> Option<Candidate> {
    let tname = &table.name.name;
    let label = rate_label(p);
    if acc.join_probe {
        if acc.eq.is_empty() {
            return None;
        }
        let mut idx = Index::btree(
            fit(&format!("idx_{tname}_{}", acc.eq.join("_"))),
            acc.eq.iter().map(|c| IndexKey::column(c.clone())).collect(),
        );
        idx.predicate = predicate_sql(&acc.predicate);
        let shape = format!("join probe on {}", acc.eq.join(", "));
        idx.why = Some(Why::new(
            WhySource::AccessPattern(p.name.clone()),
            format!("serves {label}: {shape}"),
        ));
        return Some(Candidate {
            table: table.name.clone(),
            index: idx,
            conds: acc.predicate.clone(),
            origin: Origin::Pattern(p.name.clone()),
            shape,
        });
    }
    let mut keys: Vec<IndexKey> = acc.eq.iter().map(|c| IndexKey::column(c.clone())).collect();
    keys.extend(acc.eq_exprs.iter().map(|e| IndexKey {
        expr: strata_model::IndexExpr::Expression(e.clone()),
        ..IndexKey::column(String::new())
    }));
    let mut reasons = Vec::new();
    if !acc.eq.is_empty() || !acc.eq_exprs.is_empty() {
        let all: Vec<&str> = acc
            .eq
            .iter()
            .chain(&acc.eq_exprs)
            .map(String::as_str)
            .collect();
        reasons.push(format!("equality on {}", all.join(", ")));
    }
    if !acc.order.is_empty() {
        for (c, desc) in &acc.order {
            if !acc.eq.contains(c) {
                let mut k = IndexKey::column(c.clone());
                k.descending = *desc;
                keys.push(k);
            }
        }
        let shown: Vec<String> = acc
            .order
            .iter()
            .map(|(c, d)| if *d { format!("{c} DESC") } else { c.clone() })
            .collect();
        reasons.push(format!("ORDER BY {}", shown.join(", ")));
    } else if !acc.group.is_empty() {
        for c in &acc.group {
            if !acc.eq.contains(c) {
                keys.push(IndexKey::column(c.clone()));
            }
        }
        reasons.push(format!("GROUP BY {}", acc.group.join(", ")));
    }
    if let Some(r) = acc.range.first() {
        let first_order = acc.order.first().map(|(c, _)| c);
        if acc.order.is_empty() && acc.group.is_empty() {
            keys.push(IndexKey::column(r.clone()));
            reasons.push(format!("range on {r}"));
        } else if first_order == Some(r) {
            reasons.push(format!("range on {r}"));
        }
    }
    let predicate = predicate_sql(&acc.predicate);
    if let Some(pr) = &predicate {
        reasons.push(format!("partial WHERE {pr}"));
    }
    if keys.is_empty() {
        let g = acc.gin.first()?;
        let mut idx = Index::btree(
            fit(&format!("idx_{tname}_{g}_gin")),
            vec![IndexKey::column(g.clone())],
        );
        idx.method = "gin".into();
        idx.predicate = predicate;
        let shape = format!("containment/full-text operator on {g}");
        idx.why = Some(Why::new(
            WhySource::AccessPattern(p.name.clone()),
            format!("serves {label}: {shape}"),
        ));
        return Some(Candidate {
            table: table.name.clone(),
            index: idx,
            conds: acc.predicate.clone(),
            origin: Origin::Pattern(p.name.clone()),
            shape,
        });
    }
    let mut include = Vec::new();
    if let Some(needed) = &acc.needed
        && !a.kind.is_write()
    {
        let key_cols: Vec<&str> = keys.iter().filter_map(|k| k.column_name()).collect();
        let pred_cols: Vec<String> = acc
            .predicate
            .iter()
            .flat_map(|c| mentioned(&c.sql, table))
            .collect();
        let extra: Vec<String> = needed
            .iter()
            .filter(|c| !key_cols.contains(&c.as_str()) && !pred_cols.contains(c))
            .cloned()
            .collect();
        if !extra.is_empty()
            && extra.len() <= 4
            && extra.iter().all(|c| narrow(table, c))
            && !a.joins
        {
            reasons.push(format!(
                "INCLUDE {} for an index-only scan",
                extra.join(", ")
            ));
            include = extra;
        }
    }
    let mut idx = Index::btree(fit(&format!("idx_{tname}_{}", key_words(&keys))), keys);
    idx.include = include;
    idx.predicate = predicate;
    let shape = reasons.join("; ");
    idx.why = Some(Why::new(
        WhySource::AccessPattern(p.name.clone()),
        format!("serves {label}: {shape}"),
    ));
    Some(Candidate {
        table: table.name.clone(),
        index: idx,
        conds: acc.predicate.clone(),
        origin: Origin::Pattern(p.name.clone()),
        shape,
    })
}

/// The candidates each pattern proposes for `table`, one per pattern, in pattern order.
pub fn per_pattern(patterns: &[Pattern], table: &Table) -> Vec<Candidate> {
    let mut out = Vec::new();
    for p in patterns {
        let a = &p.analysis;
        let accesses = std::iter::once(&a.driving).chain(a.probes.iter());
        for acc in accesses.filter(|acc| acc.table == table.name) {
            if let Some(c) = for_access(p, a, acc, table) {
                out.push(c);
            }
        }
    }
    out
}

/// Leaner variants and merges of the per-pattern candidates. `written` lists the columns
/// UPDATEs of the table write: a variant without those INCLUDE columns keeps such updates HOT.
pub fn derived(base: &[Candidate], table: &Table, written: &[String]) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let push = |out: &mut Vec<Candidate>, c: Candidate| {
        if !base.iter().chain(out.iter()).any(|x| x.same_as(&c)) {
            out.push(c);
        }
    };
    let variant = |c: &Candidate, include: bool, predicate: bool, what: &str| -> Candidate {
        let mut v = c.clone();
        if !include {
            v.index.include.clear();
        }
        if !predicate {
            v.index.predicate = None;
            v.conds.clear();
        }
        let from = match &c.origin {
            Origin::Pattern(n) | Origin::Derived(n) => n.clone(),
            Origin::ForeignKey(n) | Origin::Key(n) => n.clone(),
            Origin::Pinned => c.index.name.clone(),
        };
        v.origin = Origin::Derived(from);
        v.shape = format!("{}; {what}", c.shape);
        v
    };
    for c in base.iter().filter(|c| c.index.method == "btree") {
        if !c.index.include.is_empty() {
            push(&mut out, variant(c, false, true, "without INCLUDE"));
            let kept: Vec<String> = c
                .index
                .include
                .iter()
                .filter(|i| !written.contains(i))
                .cloned()
                .collect();
            if !kept.is_empty() && kept.len() < c.index.include.len() {
                let mut v = variant(c, true, true, "without the INCLUDE columns updates write");
                v.index.include = kept;
                push(&mut out, v);
            }
        }
        if c.index.predicate.is_some() {
            push(&mut out, variant(c, true, false, "without its predicate"));
            if !c.index.include.is_empty() {
                push(
                    &mut out,
                    variant(c, false, false, "without INCLUDE and predicate"),
                );
            }
        }
    }
    // Merges: two btree candidates whose keys, one a prefix of the other, share their lead.
    let pool: Vec<Candidate> = base.iter().chain(out.iter()).cloned().collect();
    for (i, a) in pool.iter().enumerate() {
        for b in pool.iter().skip(i + 1) {
            if a.index.method != "btree" || b.index.method != "btree" {
                continue;
            }
            let (long, short) = if a.index.keys.len() >= b.index.keys.len() {
                (a, b)
            } else {
                (b, a)
            };
            if short.index.keys.is_empty()
                || !short
                    .index
                    .keys
                    .iter()
                    .zip(&long.index.keys)
                    .all(|(x, y)| x == y)
            {
                continue;
            }
            let common: Vec<Cond> = long
                .conds
                .iter()
                .filter(|c| short.conds.iter().any(|d| d.sql == c.sql))
                .cloned()
                .collect();
            let mut include: Vec<String> = long.index.include.clone();
            for c in &short.index.include {
                let in_keys = long.index.keys.iter().any(|k| k.column_name() == Some(c));
                if !include.contains(c) && !in_keys {
                    include.push(c.clone());
                }
            }
            let mut m = long.clone();
            m.conds = common.clone();
            m.index.predicate = predicate_sql(&common);
            m.index.include = include;
            m.origin = Origin::Derived(format!("{} + {}", origin_name(long), origin_name(short)));
            m.shape = format!("{}; shared with {}", long.shape, origin_name(short));
            push(&mut out, m.clone());
            if !m.index.include.is_empty() {
                let mut lean = m.clone();
                lean.index.include.clear();
                lean.shape = format!("{}; without INCLUDE", m.shape);
                push(&mut out, lean);
            }
        }
    }
    // A merged candidate's predicate may be empty while the per-pattern one was not: every
    // derived candidate keeps the name of its keys, distinct names come later.
    for c in &mut out {
        if c.index.method == "btree" && !c.index.keys.is_empty() {
            c.index.name = fit(&format!(
                "idx_{}_{}",
                table.name.name,
                key_words(&c.index.keys)
            ));
        }
    }
    out
}

fn origin_name(c: &Candidate) -> String {
    match &c.origin {
        Origin::Pattern(n) | Origin::Derived(n) | Origin::ForeignKey(n) | Origin::Key(n) => {
            n.clone()
        }
        Origin::Pinned => c.index.name.clone(),
    }
}

/// An index already in the model (declared, a feature's, or a foreign key's), as a candidate.
/// A foreign key's index is not pinned: any chosen index that serves the same lookups may
/// replace it.
pub fn existing(index: &Index, table: &Table) -> Candidate {
    let fk = match index.why.as_ref().map(|w| &w.source) {
        Some(WhySource::Relation) if index.predicate.is_none() && index.method == "btree" => {
            let cols: Vec<&str> = index.keys.iter().filter_map(|k| k.column_name()).collect();
            let named = table
                .foreign_keys
                .iter()
                .find(|fk| {
                    fk.columns
                        .iter()
                        .map(String::as_str)
                        .eq(cols.iter().copied())
                })
                .or_else(|| {
                    table
                        .foreign_keys
                        .iter()
                        .find(|fk| cols.iter().all(|c| fk.columns.iter().any(|f| f == c)))
                })
                .map(|fk| fk.name.clone());
            (cols.len() == index.keys.len() && !index.unique)
                .then(|| named.unwrap_or_else(|| index.name.clone()))
        }
        _ => None,
    };
    let conds = index
        .predicate
        .as_deref()
        .map(|p| predicate_conds(p, table))
        .unwrap_or_default();
    Candidate {
        table: table.name.clone(),
        index: index.clone(),
        conds,
        origin: match fk {
            Some(n) => Origin::ForeignKey(n),
            None => Origin::Pinned,
        },
        shape: index
            .why
            .as_ref()
            .map(|w| w.text.clone())
            .unwrap_or_default(),
    }
}

/// A primary key or unique constraint's own index, as a candidate that is always there.
pub fn key(name: &str, columns: &[String], table: &Table) -> Candidate {
    let mut index = Index::btree(
        name,
        columns
            .iter()
            .map(|c| IndexKey::column(c.clone()))
            .collect(),
    );
    index.unique = true;
    Candidate {
        table: table.name.clone(),
        index,
        conds: Vec::new(),
        origin: Origin::Key(name.to_string()),
        shape: format!("the key {name}"),
    }
}
