//! Pinned indexes (declared, or made by a feature) that another index or a key already
//! serves, and indexes on a lone boolean, are not created; the findings say why.

use strata_model::{Index, IndexKey, Table};

use crate::candidates::Candidate;
use crate::report::Finding;
use strata_model::WhySource;

fn same_key(a: &IndexKey, b: &IndexKey) -> bool {
    a.expr == b.expr
        && a.opclass == b.opclass
        && a.collation == b.collation
        && a.descending == b.descending
        && a.nulls_first == b.nulls_first
}

fn key_columns(i: &Index) -> Vec<&str> {
    i.keys.iter().filter_map(IndexKey::column_name).collect()
}

/// Whether `b` serves every query `a` serves, so `a` need not exist.
pub fn covers(b: &Index, a: &Index) -> bool {
    if b.method != a.method || b.predicate != a.predicate || a.keys.len() > b.keys.len() {
        return false;
    }
    if a.method != "btree" && a.keys.len() != b.keys.len() {
        return false;
    }
    if !a.keys.iter().zip(&b.keys).all(|(x, y)| same_key(x, y)) {
        return false;
    }
    if a.unique && !(b.unique && a.keys.len() == b.keys.len()) {
        return false;
    }
    let available: Vec<&str> = key_columns(b)
        .into_iter()
        .chain(b.include.iter().map(String::as_str))
        .collect();
    a.include.iter().all(|c| available.contains(&c.as_str()))
}

pub fn is_lone_boolean(t: &Table, i: &Index) -> bool {
    matches!(i.keys.as_slice(), [k] if k.column_name().and_then(|c| t.column(c)).is_some_and(|c| c.data_type.is_builtin("boolean")))
        && i.predicate.is_none()
        && !i.unique
        && (i.method == "btree" || i.method == "hash")
}

fn declared(i: &Index) -> bool {
    matches!(i.why.as_ref().map(|w| &w.source), Some(WhySource::Declared))
}

/// Drops what another pinned index or a key serves, and lone booleans. Longest first, so a
/// shorter index meets the longer one that may serve it; two of the same length merge
/// (the kept one becomes unique when either was).
pub fn prune_pinned(
    table: &Table,
    mut pinned: Vec<Candidate>,
    keys: &[Candidate],
    findings: &mut Vec<Finding>,
) -> Vec<Candidate> {
    pinned.sort_by_key(|c| std::cmp::Reverse(c.index.keys.len()));
    let mut kept: Vec<Candidate> = Vec::new();
    for a in pinned {
        let d = declared(&a.index);
        if is_lone_boolean(table, &a.index) {
            findings.push(Finding::LoneBoolean {
                index: a.index.name.clone(),
                declared: d,
            });
            continue;
        }
        if let Some(b) = kept.iter_mut().find(|b| {
            covers(&b.index, &a.index)
                || (covers(&a.index, &b.index) && a.index.keys.len() == b.index.keys.len())
        }) {
            if a.index.unique {
                b.index.unique = true;
            }
            if let (Some(w), Some(other)) = (&mut b.index.why, &a.index.why) {
                w.text = format!("{}; also {}", w.text, other.text);
            }
            findings.push(Finding::Redundant {
                index: a.index.name.clone(),
                by: b.index.name.clone(),
                by_key: false,
                declared: d,
            });
            continue;
        }
        // A key's index serves the same lookups; an INCLUDE list alone is not worth a
        // second index.
        let without_include = Index {
            include: Vec::new(),
            ..a.index.clone()
        };
        if let Some(k) = keys.iter().find(|k| covers(&k.index, &without_include)) {
            findings.push(Finding::Redundant {
                index: a.index.name.clone(),
                by: k.index.name.clone(),
                by_key: true,
                declared: d,
            });
            continue;
        }
        kept.push(a);
    }
    kept
}
