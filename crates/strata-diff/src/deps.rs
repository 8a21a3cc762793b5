//! Names mentioned in SQL text, resolved to object keys of one model.
//!
//! The scan is textual: every identifier outside comments (and, for defaults, inside string
//! literals, where `nextval('public.seq')` names its sequence) that is the name of a
//! relation, function, sequence or type of the model counts as a reference. It can only
//! over-approximate, which costs at most an unnecessary ordering edge or recreation.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{Model, QualifiedName, TypeRef};

pub(crate) fn qn(name: &QualifiedName) -> String {
    format!("{}.{}", name.schema, name.name)
}

pub(crate) fn rel_key(name: &QualifiedName) -> String {
    format!("rel:{}", qn(name))
}

pub(crate) fn type_key(name: &QualifiedName) -> String {
    format!("type:{}", qn(name))
}

pub(crate) fn seq_key(name: &QualifiedName) -> String {
    format!("seq:{}", qn(name))
}

pub(crate) fn col_key(table: &QualifiedName, column: &str) -> String {
    format!("col:{}.{column}", qn(table))
}

pub(crate) fn func_key(name: &QualifiedName, arguments: &str) -> String {
    format!(
        "func:{}({})",
        qn(name),
        strata_sql::identity_arguments(arguments)
    )
}

/// Names of one model's objects, by bare (unqualified) name.
pub(crate) struct Names {
    rels: BTreeMap<String, Vec<String>>,
    funcs: BTreeMap<String, Vec<String>>,
    seqs: BTreeMap<String, Vec<String>>,
    types: BTreeMap<String, Vec<String>>,
    /// Extensions by the schema they install their objects into (`None`: the default).
    extensions: Vec<(Option<String>, String)>,
}

impl Names {
    pub(crate) fn new(model: &Model) -> Names {
        let mut rels: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for t in &model.tables {
            rels.entry(t.name.name.clone())
                .or_default()
                .push(rel_key(&t.name));
        }
        for v in &model.views {
            rels.entry(v.name.name.clone())
                .or_default()
                .push(rel_key(&v.name));
        }
        let mut funcs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &model.functions {
            funcs
                .entry(f.name.name.clone())
                .or_default()
                .push(func_key(&f.name, &f.arguments));
        }
        for a in &model.aggregates {
            funcs
                .entry(a.name.name.clone())
                .or_default()
                .push(agg_key(a));
        }
        let mut seqs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in &model.sequences {
            seqs.entry(s.name.name.clone())
                .or_default()
                .push(seq_key(&s.name));
        }
        let mut types: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in &model.enums {
            types
                .entry(e.name.name.clone())
                .or_default()
                .push(type_key(&e.name));
        }
        for d in &model.domains {
            types
                .entry(d.name.name.clone())
                .or_default()
                .push(type_key(&d.name));
        }
        let extensions = model
            .extensions
            .iter()
            .map(|e| (e.schema.clone(), format!("extension:{}", e.name)))
            .collect();
        Names {
            rels,
            funcs,
            seqs,
            types,
            extensions,
        }
    }

    /// Keys of relations, functions, sequences and types named in `sql`.
    pub(crate) fn refs(&self, sql: &str, out: &mut BTreeSet<String>) {
        for word in words(sql) {
            for map in [&self.rels, &self.funcs, &self.seqs, &self.types] {
                if let Some(keys) = map.get(&word) {
                    out.extend(keys.iter().cloned());
                }
            }
        }
    }

    /// Keys of functions (and aggregates) named in `sql`.
    pub(crate) fn func_refs(&self, sql: &str, out: &mut BTreeSet<String>) {
        for word in words(sql) {
            if let Some(keys) = self.funcs.get(&word) {
                out.extend(keys.iter().cloned());
            }
        }
    }

    pub(crate) fn functions_named(&self, name: &QualifiedName) -> Vec<String> {
        self.funcs
            .get(&name.name)
            .map(|keys| {
                let prefix = format!("func:{}(", qn(name));
                keys.iter()
                    .filter(|k| k.starts_with(&prefix))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn type_ref(&self, ty: &TypeRef, out: &mut BTreeSet<String>) {
        if let Some(name) = ty.qualified() {
            let key = type_key(&name);
            if self
                .types
                .get(&name.name)
                .is_some_and(|keys| keys.contains(&key))
            {
                out.insert(key);
            } else if self.is_rel(&rel_key(&name)) {
                // A table's row type used as a column or argument type.
                out.insert(rel_key(&name));
            } else {
                // A type no object of the model defines comes from an extension (`citext`):
                // one installed in its schema, when the model has it.
                let mut found = false;
                for (schema, key) in &self.extensions {
                    if schema.as_deref().is_none_or(|s| s == name.schema) {
                        out.insert(key.clone());
                        found = true;
                    }
                }
                if !found {
                    out.insert(rel_key(&name));
                }
            }
        }
    }

    pub(crate) fn is_rel(&self, key: &str) -> bool {
        self.rels.values().any(|keys| keys.iter().any(|k| k == key))
    }
}

pub(crate) fn agg_key(a: &strata_model::Aggregate) -> String {
    format!("agg:{}({})", qn(&a.name), a.arguments.trim())
}

/// The identifiers of `sql`, with string literal contents read as SQL too (so the
/// `'public.seq'` of a `nextval` counts).
pub(crate) fn words(sql: &str) -> BTreeSet<String> {
    let mut out = strata_sql::order::identifiers(sql);
    out.extend(strata_sql::order::identifiers(&sql.replace('\'', " ")));
    out
}
