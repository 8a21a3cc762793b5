//! Dependency ordering: a stable topological sort and the orders the script needs.
//!
//! Every order is deterministic: among objects whose dependencies are met, the one that comes
//! first in the model goes first, so an already valid model order is kept unchanged.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{Distribution, Domain, Model, QualifiedName, Table, View};

use crate::RenderError;

/// Orders `0..n` so that for every edge `(before, after)`, `before` comes first; ties go to
/// the smaller index. On a cycle, returns the indices that could not be placed (every node
/// on a cycle, plus those that depend on one), ascending.
pub fn stable_toposort(n: usize, edges: &[(usize, usize)]) -> Result<Vec<usize>, Vec<usize>> {
    let mut indegree = vec![0usize; n];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(before, after) in edges {
        if before < n && after < n {
            indegree[after] += 1;
            successors[before].push(after);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(next) = ready.pop_first() {
        order.push(next);
        for &after in &successors[next] {
            indegree[after] -= 1;
            if indegree[after] == 0 {
                ready.insert(after);
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        let placed: BTreeSet<usize> = order.into_iter().collect();
        Err((0..n).filter(|i| !placed.contains(i)).collect())
    }
}

fn cycle_error(kind: &'static str, names: impl Iterator<Item = String>) -> RenderError {
    RenderError::Cycle {
        kind,
        objects: names.collect(),
    }
}

/// Tables with every partitioned parent before its partitions.
pub fn table_order(model: &Model) -> Result<Vec<&Table>, RenderError> {
    let index: BTreeMap<&QualifiedName, usize> = model
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.name, i))
        .collect();
    let edges: Vec<(usize, usize)> = model
        .tables
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            // A partition after its parent, a child after the tables it inherits from.
            t.partition_of
                .iter()
                .map(|of| &of.parent)
                .chain(t.inherits.iter())
                .filter_map(|parent| index.get(parent).map(|&p| (p, i)))
                .collect::<Vec<_>>()
        })
        .collect();
    stable_toposort(model.tables.len(), &edges)
        .map(|order| order.into_iter().map(|i| &model.tables[i]).collect())
        .map_err(|left| {
            cycle_error(
                "partitioned tables",
                left.into_iter().map(|i| model.tables[i].name.quoted()),
            )
        })
}

/// How many partition levels sit above each table (0 for a table that is not a partition),
/// keyed by table name. `tables` must be in [`table_order`].
pub fn partition_depths<'a>(tables: &[&'a Table]) -> BTreeMap<&'a QualifiedName, usize> {
    let mut depth: BTreeMap<&QualifiedName, usize> = BTreeMap::new();
    for t in tables {
        let d = t
            .partition_of
            .as_ref()
            .and_then(|p| depth.get(&p.parent))
            .map_or(0, |d| d + 1);
        let d = if t.partition_of.is_some() {
            d.max(1)
        } else {
            d
        };
        depth.insert(&t.name, d);
    }
    depth
}

/// Tables with the deepest partitions first, otherwise in `tables` order. Indexes and foreign
/// keys are created in this order so that creating one on a partitioned table *attaches* the
/// matching ones already on its partitions (keeping their names) instead of adding copies.
pub fn partitions_first<'a>(tables: &[&'a Table]) -> Vec<&'a Table> {
    let depths = partition_depths(tables);
    let mut out = tables.to_vec();
    out.sort_by_key(|t| std::cmp::Reverse(depths.get(&t.name).copied().unwrap_or(0)));
    out
}

/// Domains with every domain used as a base type before the domains built on it.
pub fn domain_order(model: &Model) -> Result<Vec<&Domain>, RenderError> {
    let index: BTreeMap<QualifiedName, usize> = model
        .domains
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    let edges: Vec<(usize, usize)> = model
        .domains
        .iter()
        .enumerate()
        .filter_map(|(i, d)| index.get(&d.base.qualified()?).map(|&b| (b, i)))
        .collect();
    stable_toposort(model.domains.len(), &edges)
        .map(|order| order.into_iter().map(|i| &model.domains[i]).collect())
        .map_err(|left| {
            cycle_error(
                "domains",
                left.into_iter().map(|i| model.domains[i].name.quoted()),
            )
        })
}

/// Views in model order, except that a view whose definition mentions another view's name is
/// moved after it. The scan is textual (identifiers outside literals and comments), so it can
/// over-approximate; if that produces a cycle, plain model order is used.
pub fn view_order(model: &Model) -> Vec<&View> {
    let words: Vec<BTreeSet<String>> = model
        .views
        .iter()
        .map(|v| identifiers(&v.definition))
        .collect();
    let mut edges = Vec::new();
    for (i, view_words) in words.iter().enumerate() {
        for (j, other) in model.views.iter().enumerate() {
            if i != j && view_words.contains(&other.name.name) {
                edges.push((j, i));
            }
        }
    }
    let order = stable_toposort(model.views.len(), &edges)
        .unwrap_or_else(|_| (0..model.views.len()).collect());
    order.into_iter().map(|i| &model.views[i]).collect()
}

/// The identifiers in an SQL text, as PostgreSQL reads them: unquoted words folded to lower
/// case, quoted ones unescaped. String literals and comments are skipped.
pub fn identifiers(sql: &str) -> BTreeSet<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            let mut word = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        word.push('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                word.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.insert(word);
        } else if c.is_alphabetic() || c == '_' {
            let mut word = String::new();
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                word.extend(chars[i].to_lowercase());
                i += 1;
            }
            out.insert(word);
        } else {
            i += 1;
        }
    }
    out
}

/// The tables to distribute with Citus, in the order the calls must run: reference tables
/// first, then distributed tables with every `colocate_with` target before the tables
/// colocated with it. Partitions are left out: distributing the parent distributes them.
pub fn distribution_order<'a>(tables: &[&'a Table]) -> Result<Vec<&'a Table>, RenderError> {
    let candidates: Vec<&Table> = tables
        .iter()
        .copied()
        .filter(|t| t.partition_of.is_none() && t.origin.distribution.is_some())
        .collect();
    let index: BTreeMap<&QualifiedName, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.name, i))
        .collect();
    let mut edges = Vec::new();
    for (i, t) in candidates.iter().enumerate() {
        match &t.origin.distribution {
            Some(Distribution::Distributed {
                colocate_with: Some(target),
                ..
            }) => {
                if let Some(&j) = index.get(target) {
                    edges.push((j, i));
                }
            }
            Some(Distribution::Distributed { .. }) => {}
            Some(Distribution::Reference) | None => {
                // Reference tables before every distributed one.
                for (j, other) in candidates.iter().enumerate() {
                    if matches!(
                        other.origin.distribution,
                        Some(Distribution::Distributed { .. })
                    ) {
                        edges.push((i, j));
                    }
                }
            }
        }
    }
    stable_toposort(candidates.len(), &edges)
        .map(|order| order.into_iter().map(|i| candidates[i]).collect())
        .map_err(|left| {
            cycle_error(
                "colocated tables",
                left.into_iter().map(|i| candidates[i].name.quoted()),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toposort_is_stable() {
        assert_eq!(stable_toposort(3, &[]), Ok(vec![0, 1, 2]));
        assert_eq!(stable_toposort(3, &[(2, 0)]), Ok(vec![1, 2, 0]));
        assert_eq!(stable_toposort(3, &[(2, 0), (0, 1)]), Ok(vec![2, 0, 1]));
    }

    #[test]
    fn toposort_reports_cycles() {
        assert_eq!(stable_toposort(3, &[(0, 1), (1, 0)]), Err(vec![0, 1]));
        assert_eq!(stable_toposort(2, &[(1, 1)]), Err(vec![1]));
    }

    #[test]
    fn identifier_scan() {
        let ids = identifiers("SELECT a, \"B\"\"x\" FROM s.v1 -- v2\nWHERE c = 'v3' /* v4 */");
        let expected: BTreeSet<String> = ["select", "a", "B\"x", "from", "s", "v1", "where", "c"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(ids, expected);
    }
}
