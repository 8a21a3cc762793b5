//! Index selection: drop what another index or a key already serves, and what is not worth
//! having, and say why.

use std::collections::HashMap;

use strata_diagnostics::Diagnostic;
use strata_model::*;

use crate::codes;
use crate::entity::Lowering;
use crate::names::fit;

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
fn covers(b: &Index, a: &Index) -> bool {
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

/// A constraint's own unique btree index on `columns`, as an [`Index`] for comparison.
fn constraint_index(name: &str, columns: &[String]) -> Index {
    let mut i = Index::btree(
        name,
        columns
            .iter()
            .map(|c| IndexKey::column(c.clone()))
            .collect(),
    );
    i.unique = true;
    i
}

fn is_lone_boolean(t: &Table, i: &Index) -> bool {
    matches!(i.keys.as_slice(), [k] if k.column_name().and_then(|c| t.column(c)).is_some_and(|c| c.data_type.is_builtin("boolean")))
        && i.predicate.is_none()
        && !i.unique
        && (i.method == "btree" || i.method == "hash")
}

fn describe(i: &Index) -> String {
    i.why
        .as_ref()
        .map(|w| w.text.clone())
        .unwrap_or_else(|| i.name.clone())
}

pub fn minimize(lw: &mut Lowering<'_, '_>, model: &mut Model) {
    let mut renamed: HashMap<String, Option<String>> = HashMap::new();
    let keep_all: Vec<&QualifiedName> =
        lw.c.entities
            .iter()
            .filter(|e| !e.conv.prune_indexes)
            .map(|e| &e.table)
            .collect();
    for t in &mut model.tables {
        if t.partition_of.is_some() || keep_all.contains(&&t.name) {
            continue;
        }
        let mut constraints: Vec<Index> = Vec::new();
        if let Some(pk) = &t.primary_key {
            constraints.push(constraint_index(&pk.name, &pk.columns));
        }
        for u in &t.uniques {
            constraints.push(constraint_index(&u.name, &u.columns));
        }
        let mut candidates = std::mem::take(&mut t.indexes);
        // Longest first, so a shorter index meets the longer one that may serve it.
        candidates.sort_by_key(|c| std::cmp::Reverse(c.keys.len()));
        let mut kept: Vec<Index> = Vec::new();
        for a in candidates {
            let declared = matches!(a.why.as_ref().map(|w| &w.source), Some(WhySource::Declared));
            if is_lone_boolean(t, &a) {
                if declared {
                    let span = lw
                        .index_spans
                        .get(&(t.name.clone(), a.name.clone()))
                        .copied();
                    lw.diags.push(
                        Diagnostic::warning(
                            codes::LONE_BOOLEAN_INDEX,
                            format!("index {} on the lone boolean column was not created", a.name),
                            "a boolean splits rows in two halves, too few to be worth an index: filter it with a partial index (`where `NOT col``) on a selective column",
                        )
                        .at_opt(span),
                    );
                }
                renamed.insert(a.name.clone(), None);
                continue;
            }
            if let Some(b) = kept
                .iter_mut()
                .find(|b| covers(b, &a) || (covers(&a, b) && a.keys.len() == b.keys.len()))
            {
                if a.unique {
                    b.unique = true;
                }
                if let Some(w) = &mut b.why {
                    w.text = format!("{}; also {}", w.text, describe(&a));
                }
                if declared {
                    let span = lw
                        .index_spans
                        .get(&(t.name.clone(), a.name.clone()))
                        .copied();
                    lw.diags.push(
                        Diagnostic::warning(
                            codes::REDUNDANT_INDEX,
                            format!(
                                "index {} is served by {} and was not created",
                                a.name, b.name
                            ),
                            format!("remove it: {} starts with the same columns", b.name),
                        )
                        .at_opt(span),
                    );
                }
                renamed.insert(a.name.clone(), Some(b.name.clone()));
                continue;
            }
            // A key's index serves the same lookups; an INCLUDE list alone is not worth a second index.
            let without_include = Index {
                include: Vec::new(),
                ..a.clone()
            };
            if let Some(c) = constraints.iter().find(|c| covers(c, &without_include)) {
                if declared {
                    let span = lw
                        .index_spans
                        .get(&(t.name.clone(), a.name.clone()))
                        .copied();
                    lw.diags.push(
                        Diagnostic::warning(
                            codes::REDUNDANT_INDEX,
                            format!(
                                "index {} is served by the key {} and was not created",
                                a.name, c.name
                            ),
                            "remove it: the key's own index starts with the same columns",
                        )
                        .at_opt(span),
                    );
                }
                renamed.insert(a.name.clone(), Some(c.name.clone()));
                continue;
            }
            kept.push(a);
        }
        // Names stay unique when two kept indexes share columns but differ in predicate.
        let mut used: Vec<String> = constraints.iter().map(|c| c.name.clone()).collect();
        for i in &mut kept {
            if used.contains(&i.name) {
                let base = i.name.clone();
                let suffix = match i.why.as_ref().map(|w| &w.source) {
                    Some(WhySource::AccessPattern(p)) => crate::names::snake(p),
                    _ => "alt".to_string(),
                };
                let mut candidate = fit(&format!("{base}_{suffix}"));
                let mut n = 2;
                while used.contains(&candidate) {
                    candidate = fit(&format!("{base}_{n}"));
                    n += 1;
                }
                renamed.insert(format!("{}#{}", base, describe(i)), Some(candidate.clone()));
                for p in &mut model.access_patterns {
                    if matches!(i.why.as_ref().map(|w| &w.source), Some(WhySource::AccessPattern(n)) if *n == p.name)
                    {
                        for s in &mut p.served_by {
                            if *s == base {
                                *s = candidate.clone();
                            }
                        }
                    }
                }
                i.name = candidate;
            }
            used.push(i.name.clone());
        }
        t.indexes = kept;
    }
    for p in &mut model.access_patterns {
        let mut served = Vec::new();
        for s in &p.served_by {
            let mut name = Some(s.clone());
            let mut guard = 0;
            while let Some(n) = &name {
                match renamed.get(n) {
                    Some(next) if guard < 16 && next.as_deref() != Some(n.as_str()) => {
                        name = next.clone();
                        guard += 1;
                    }
                    _ => break,
                }
            }
            if let Some(n) = name
                && !served.contains(&n)
            {
                served.push(n);
            }
        }
        p.served_by = served;
    }
}
