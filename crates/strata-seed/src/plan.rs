//! What to generate for each table, shared by `gen seed-sql` (rows in memory, `INSERT`
//! statements) and `strata seed` (rows streamed by row number through COPY): which columns
//! get values, which must be unique, which foreign keys form a key, what the checks allow,
//! and the order tables are filled in.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{ForeignKey, IndexExpr, Model, QualifiedName, Table};

use crate::checks::Rules;

/// A table's foreign keys, with those its partitions declare on their own (pg_dump output
/// often puts them there) lifted to it, once per distinct key.
pub fn foreign_keys<'a>(model: &'a Model, table: &'a Table) -> Vec<&'a ForeignKey> {
    let mut out: Vec<&ForeignKey> = table.foreign_keys.iter().collect();
    if table.partition_by.is_some() {
        for part in model.tables.iter().filter(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| p.parent == table.name)
        }) {
            for fk in &part.foreign_keys {
                let same = |f: &&ForeignKey| {
                    f.columns == fk.columns
                        && f.ref_table == fk.ref_table
                        && f.ref_columns == fk.ref_columns
                };
                if !out.iter().any(same) {
                    out.push(fk);
                }
            }
        }
    }
    out
}

/// Insertion order and statement groups: parents before children; when NOT NULL keys form
/// a cycle, the tables that cannot be ordered go last, together, in one group.
pub fn insertion_order(
    tables: &[&Table],
    plans: &[Plan<'_>],
    index: &BTreeMap<&QualifiedName, usize>,
) -> (Vec<usize>, Vec<usize>) {
    let edges = |not_null_only: bool| -> Vec<(usize, usize)> {
        let mut e = Vec::new();
        for (ci, t) in tables.iter().enumerate() {
            for fk in &plans[ci].fks {
                let Some(&pi) = index.get(&fk.ref_table) else {
                    continue;
                };
                let nullable = fk
                    .columns
                    .iter()
                    .any(|c| t.column(c).is_none_or(|col| col.nullable));
                if pi != ci && !(not_null_only && nullable) {
                    e.push((pi, ci));
                }
            }
        }
        e
    };
    let n = tables.len();
    let all = edges(false);
    if let Ok(order) = strata_sql::order::stable_toposort(n, &all) {
        return (order.clone(), (0..n).collect());
    }
    let strict = edges(true);
    match strata_sql::order::stable_toposort(n, &strict) {
        Ok(order) => (order, (0..n).collect()),
        Err(stuck) => {
            let stuck_set: BTreeSet<usize> = stuck.iter().copied().collect();
            let free: Vec<usize> = (0..n).filter(|i| !stuck_set.contains(i)).collect();
            let local: BTreeMap<usize, usize> =
                free.iter().enumerate().map(|(k, &i)| (i, k)).collect();
            let sub: Vec<(usize, usize)> = strict
                .iter()
                .filter_map(|(a, b)| Some((*local.get(a)?, *local.get(b)?)))
                .collect();
            let mut order: Vec<usize> = strata_sql::order::stable_toposort(free.len(), &sub)
                .map(|o| o.into_iter().map(|k| free[k]).collect())
                .unwrap_or(free);
            let mut group: Vec<usize> = (0..n).collect();
            let g = n;
            for &s in &stuck {
                group[s] = g;
            }
            order.extend(stuck);
            (order, group)
        }
    }
}

/// What to generate for one table.
pub struct Plan<'a> {
    /// Foreign keys, including those declared on the table's partitions.
    pub fks: Vec<&'a ForeignKey>,
    /// Columns that get values.
    pub columns: Vec<usize>,
    pub fk_columns: BTreeSet<usize>,
    /// Columns whose values must differ between rows.
    pub unique: BTreeSet<usize>,
    /// Foreign keys (indices) whose combinations must be distinct.
    pub combo: Option<Vec<usize>>,
    /// Unique columns with a finite set of values: (column, how many values).
    pub finite_unique: Vec<(usize, usize)>,
    pub rules: Vec<Rules>,
    pub unverified: Vec<String>,
    /// Checks that order two columns of a row (`due_on >= issued_on`): (larger column,
    /// smaller column, strict), as column indices; rows are put in order when both are set.
    pub orders: Vec<(usize, usize, bool)>,
    /// Positions (in `columns`) of `created_at` and `updated_at` when both are timestamps.
    pub created_at: Option<usize>,
    pub updated_at: Option<usize>,
    /// Position of a NOT NULL timestamp `created_at`, with or without `updated_at`.
    pub created: Option<usize>,
    /// Positions of timestamps recording something after the row's creation (`deleted_at`,
    /// `completed_at`): `created_at` plus a delay, never before it.
    pub after_created: BTreeSet<usize>,
    /// Positions of expiries (`expires_at`): around the moment the rows are inserted, most
    /// still ahead.
    pub expiries: BTreeSet<usize>,
}

impl<'a> Plan<'a> {
    pub fn new(model: &'a Model, t: &'a Table) -> Plan<'a> {
        let fks = foreign_keys(model, t);
        let col_index = |name: &str| t.columns.iter().position(|c| c.name == name);
        let columns: Vec<usize> = (0..t.columns.len())
            .filter(|&i| t.columns[i].generated.is_none())
            .collect();
        let mut fk_columns = BTreeSet::new();
        for fk in &fks {
            for c in &fk.columns {
                if let Some(i) = col_index(c) {
                    fk_columns.insert(i);
                }
            }
        }
        let mut keys: Vec<Vec<usize>> = Vec::new();
        if let Some(pk) = &t.primary_key {
            keys.push(pk.columns.iter().filter_map(|c| col_index(c)).collect());
        }
        for u in &t.uniques {
            keys.push(u.columns.iter().filter_map(|c| col_index(c)).collect());
        }
        for i in t.indexes.iter().filter(|i| i.unique) {
            let mut cols = Vec::new();
            for k in &i.keys {
                match &k.expr {
                    IndexExpr::Column(c) => cols.extend(col_index(c)),
                    IndexExpr::Expression(e) => cols.extend(
                        (0..t.columns.len()).filter(|&ci| mentions(e, &t.columns[ci].name)),
                    ),
                }
            }
            keys.push(cols);
        }
        let mut unique: BTreeSet<usize> = BTreeSet::new();
        let mut combo: Option<Vec<usize>> = None;
        for key in keys.iter().filter(|k| !k.is_empty()) {
            if key.iter().all(|c| fk_columns.contains(c)) {
                // The foreign keys whose columns make up this key.
                let key_fks: Vec<usize> = fks
                    .iter()
                    .enumerate()
                    .filter(|(_, fk)| {
                        fk.columns
                            .iter()
                            .any(|c| col_index(c).is_some_and(|i| key.contains(&i)))
                    })
                    .map(|(i, _)| i)
                    .collect();
                if combo.is_none() {
                    combo = Some(key_fks);
                }
            } else {
                unique.extend(key.iter().filter(|c| !fk_columns.contains(c)));
            }
        }
        let mut rules: Vec<Rules> = vec![Rules::default(); t.columns.len()];
        let mut unverified = Vec::new();
        let mut orders = Vec::new();
        for c in &t.checks {
            let ok = crate::checks::apply(&c.expression, &|n| col_index(n), &mut rules);
            if ok {
                continue;
            }
            match order_rule(t, &c.expression, &columns, &fk_columns, &unique) {
                Some(o) => orders.push(o),
                None => unverified.push(c.name.clone()),
            }
        }
        unverified.extend(domain_checks_not_read(model, t, &columns));
        let mut finite_unique = Vec::new();
        for &ci in &unique {
            let n: Option<usize> = rules[ci]
                .choices
                .as_ref()
                .map(|c: &Vec<String>| c.len())
                .or_else(|| {
                    t.columns[ci]
                        .data_type
                        .qualified()
                        .and_then(|q| model.enum_type(&q))
                        .map(|e| e.values.len())
                });
            if let Some(n) = n {
                finite_unique.push((ci, n));
            }
            if t.columns[ci].data_type.is_builtin("boolean") {
                finite_unique.push((ci, 2));
            }
        }
        let timestamp_pos = |name: &str| {
            columns.iter().position(|&ci| {
                let c = &t.columns[ci];
                c.name == name && !c.nullable && c.data_type.base_name().starts_with("timestamp")
            })
        };
        let (created_at, updated_at) =
            match (timestamp_pos("created_at"), timestamp_pos("updated_at")) {
                (Some(c), Some(u)) if !unique.contains(&columns[u]) => (Some(c), Some(u)),
                _ => (None, None),
            };
        let created = timestamp_pos("created_at");
        let mut after_created = BTreeSet::new();
        let mut expiries = BTreeSet::new();
        for (k, &ci) in columns.iter().enumerate() {
            let c = &t.columns[ci];
            if unique.contains(&ci)
                || fk_columns.contains(&ci)
                || !c.data_type.base_name().starts_with("timestamp")
            {
                continue;
            }
            if crate::values::is_expiry(&c.name) {
                expiries.insert(k);
            } else if created.is_some() && crate::values::records_later_event(&c.name) {
                after_created.insert(k);
            }
        }
        Plan {
            fks,
            created_at,
            updated_at,
            created,
            after_created,
            expiries,
            columns,
            fk_columns,
            unique,
            combo,
            finite_unique,
            rules,
            unverified,
            orders,
        }
    }
}

/// A check ordering two plain columns that get generated values (not keys, not unique), as
/// (larger, smaller, strict). A strict order is only kept between numbers, where the larger
/// can be moved up by one; on other types it stays a check the rows were not built for.
fn order_rule(
    t: &Table,
    expression: &str,
    columns: &[usize],
    fk_columns: &BTreeSet<usize>,
    unique: &BTreeSet<usize>,
) -> Option<(usize, usize, bool)> {
    let o = crate::checks::order(expression)?;
    let find = |n: &str| t.columns.iter().position(|c| c.name == n);
    let (l, s) = (find(&o.larger)?, find(&o.smaller)?);
    let plain = |i: usize| columns.contains(&i) && !fk_columns.contains(&i) && !unique.contains(&i);
    if l == s || !plain(l) || !plain(s) {
        return None;
    }
    let numeric = |i: usize| {
        matches!(
            t.columns[i].data_type.base_name(),
            "smallint" | "integer" | "bigint" | "numeric" | "decimal" | "real" | "double precision"
        )
    };
    if o.strict && !(numeric(l) && numeric(s)) {
        return None;
    }
    Some((l, s, o.strict))
}

/// Checks of the domains the table's columns use that the value generators cannot read:
/// named with their domain, since the sample values were not built for them.
fn domain_checks_not_read(model: &Model, t: &Table, columns: &[usize]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &ci in columns {
        let mut ty = t.columns[ci].data_type.clone();
        // Domains over domains: a short chain, and a cycle is cut off.
        for _ in 0..8 {
            let Some(q) = ty.qualified() else { break };
            let Some(d) = model.domains.iter().find(|d| d.name == q) else {
                break;
            };
            for c in &d.checks {
                let mut scratch = vec![crate::checks::Rules::default()];
                let ok = crate::checks::apply(
                    &c.expression,
                    &|n| n.eq_ignore_ascii_case("value").then_some(0),
                    &mut scratch,
                );
                let name = format!("{} (domain {})", c.name, d.name.name);
                if !ok && !out.contains(&name) {
                    out.push(name);
                }
            }
            ty = d.base.clone();
        }
    }
    out
}

pub fn mentions(expr: &str, column: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    expr.match_indices(column).any(|(i, _)| {
        let before = expr[..i].chars().next_back();
        let after = expr[i + column.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// `nextval('public.staff_staff_id_seq'::regclass)` → `public.staff_staff_id_seq`.
pub fn nextval_sequence(default: &str) -> Option<String> {
    let rest = default.trim().strip_prefix("nextval(")?;
    let rest = rest.trim_start().strip_prefix('\'')?;
    let end = rest.find('\'')?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_names() {
        assert_eq!(
            nextval_sequence("nextval('public.staff_staff_id_seq'::regclass)").as_deref(),
            Some("public.staff_staff_id_seq")
        );
        assert_eq!(nextval_sequence("now()"), None);
    }
}
