//! Relationship names on both sides of every foreign key, shared by the ORM generators.
//!
//! Names come from the design when it has them (`ForeignKey.relation` for the side holding the
//! key, `ForeignKey.inverse` for the referenced side) and are derived deterministically
//! otherwise:
//! - many-to-one: the relation name, else the key column without `_id`, else the singular of
//!   the referenced table;
//! - one-to-many: the plural of the referencing table (`users.tasks`); when one table refers to
//!   another through several keys, `<plural>_as_<relation>` (`films_as_original_language`);
//! - one-to-one (the key columns are unique): the singular of the referencing table;
//! - many-to-many (a *link table*: exactly two foreign keys that together form its primary
//!   key, every other column optional or defaulted): the plural of the other table.
//!
//! A name that collides with a column or an earlier relationship of the same table gets a
//! numeric suffix (`users_2`). Tables are visited in name order and keys in name order, so
//! names are stable.

use std::collections::{BTreeMap, BTreeSet};

use strata_model::{FkAction, ForeignKey, Model, QualifiedName, Table};

use crate::names::{pluralize, singularize, snake_ident, unique_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelKind {
    /// This table holds the key (`tasks.user`).
    ManyToOne,
    /// The referenced side of a key (`users.tasks`).
    OneToMany,
    /// The referenced side of a unique key (`users.profile`).
    OneToOneParent,
    /// Through a link table.
    ManyToMany,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    /// The table whose class carries the attribute.
    pub table: QualifiedName,
    /// Attribute name, snake_case.
    pub name: String,
    /// The table on the other side.
    pub target: QualifiedName,
    pub kind: RelKind,
    /// The attribute name of the other side of the pair.
    pub back: String,
    /// The table holding the foreign key: the child, or the link table.
    pub fk_table: QualifiedName,
    /// The foreign key (on `fk_table`); for many-to-many, the link's key to `table`.
    pub fk: String,
    /// Many-to-many: the link's key to `target`.
    pub other_fk: Option<String>,
    pub on_delete: FkAction,
    /// Many-to-one: the key columns are nullable.
    pub optional: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Relations {
    pub by_table: BTreeMap<QualifiedName, Vec<Relationship>>,
    /// Tables used as many-to-many links (empty unless asked for).
    pub links: BTreeSet<QualifiedName>,
}

impl Relations {
    pub fn of(&self, table: &QualifiedName) -> &[Relationship] {
        self.by_table.get(table).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Tables the generators model: everything but partitions (their parent stands for them).
pub fn modeled_tables(model: &Model) -> impl Iterator<Item = &Table> {
    model.tables.iter().filter(|t| t.partition_of.is_none())
}

/// Whether `t` is a pure link table between two others.
pub fn is_link_table(t: &Table, model: &Model) -> bool {
    let [a, b] = t.foreign_keys.as_slice() else {
        return false;
    };
    let Some(pk) = &t.primary_key else {
        return false;
    };
    // A column both keys share is the tenant both linked rows belong to, not part of the link.
    let shared: BTreeSet<&String> = a.columns.iter().filter(|c| b.columns.contains(c)).collect();
    let fk_cols: BTreeSet<&String> = a
        .columns
        .iter()
        .chain(&b.columns)
        .filter(|c| !shared.contains(c))
        .collect();
    let pk_cols: BTreeSet<&String> = pk.columns.iter().collect();
    if fk_cols != pk_cols {
        return false;
    }
    let others_optional = t.columns.iter().all(|c| {
        fk_cols.contains(&c.name)
            || c.nullable
            || c.default.is_some()
            || c.identity.is_some()
            || c.generated.is_some()
    });
    others_optional && model.table(&a.ref_table).is_some() && model.table(&b.ref_table).is_some()
}

/// Whether the key's columns include a unique key: `(task_id, user_id)` when `task_id` is.
fn is_unique_key(t: &Table, fk: &ForeignKey) -> bool {
    let same = |cols: &[String]| !cols.is_empty() && cols.iter().all(|c| fk.columns.contains(c));
    t.primary_key.as_ref().is_some_and(|pk| same(&pk.columns))
        || t.uniques.iter().any(|u| same(&u.columns))
        || t.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.keys.iter().all(|k| k.column_name().is_some())
                && same(
                    &i.keys
                        .iter()
                        .filter_map(|k| k.column_name().map(str::to_string))
                        .collect::<Vec<_>>(),
                )
        })
}

/// Names every relationship of `model` (expected canonical). With `many_to_many`, link tables
/// become many-to-many pairs on the two tables they link; without, they are ordinary tables.
pub fn analyze(model: &Model, many_to_many: bool) -> Relations {
    let mut rels = Relations::default();
    let modeled: BTreeSet<&QualifiedName> = modeled_tables(model).map(|t| &t.name).collect();
    let mut taken: BTreeMap<QualifiedName, BTreeSet<String>> = modeled_tables(model)
        .map(|t| {
            (
                t.name.clone(),
                t.columns.iter().map(|c| snake_ident(&c.name)).collect(),
            )
        })
        .collect();
    let mut claim = |table: &QualifiedName, base: &str| -> String {
        let set = taken.entry(table.clone()).or_default();
        let name = unique_name(base, &|n| set.contains(n));
        set.insert(name.clone());
        name
    };
    let mut tables: Vec<&Table> = modeled_tables(model).collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for t in tables {
        if many_to_many && is_link_table(t, model) {
            rels.links.insert(t.name.clone());
            let mut fks: Vec<&ForeignKey> = t.foreign_keys.iter().collect();
            fks.sort_by(|a, b| a.name.cmp(&b.name));
            let (a, b) = (fks[0], fks[1]);
            let name_a = claim(
                &a.ref_table,
                &a.inverse
                    .as_deref()
                    .map(snake_ident)
                    .unwrap_or_else(|| pluralize(&snake_ident(&b.ref_table.name))),
            );
            let name_b = claim(
                &b.ref_table,
                &b.inverse
                    .as_deref()
                    .map(snake_ident)
                    .unwrap_or_else(|| pluralize(&snake_ident(&a.ref_table.name))),
            );
            for (on, fk, other, name, back) in [
                (&a.ref_table, a, b, &name_a, &name_b),
                (&b.ref_table, b, a, &name_b, &name_a),
            ] {
                rels.by_table
                    .entry(on.clone())
                    .or_default()
                    .push(Relationship {
                        table: on.clone(),
                        name: name.clone(),
                        target: other.ref_table.clone(),
                        kind: RelKind::ManyToMany,
                        back: back.clone(),
                        fk_table: t.name.clone(),
                        fk: fk.name.clone(),
                        other_fk: Some(other.name.clone()),
                        on_delete: fk.on_delete,
                        optional: false,
                    });
            }
            continue;
        }
        let mut fks: Vec<&ForeignKey> = t
            .foreign_keys
            .iter()
            .filter(|f| modeled.contains(&f.ref_table))
            .collect();
        fks.sort_by(|a, b| a.name.cmp(&b.name));
        for fk in &fks {
            let child_base = match (&fk.relation, fk.columns.as_slice()) {
                (Some(r), _) if t.origin.junction_of.is_none() => snake_ident(r),
                (_, [single]) if single.len() > 3 && single.ends_with("_id") => {
                    snake_ident(&single[..single.len() - 3])
                }
                _ => singularize(&snake_ident(&fk.ref_table.name)),
            };
            let child_name = claim(&t.name, &child_base);
            let unique = is_unique_key(t, fk);
            let siblings = fks.iter().filter(|f| f.ref_table == fk.ref_table).count();
            // On a junction the design's `inverse` names the many-to-many collection, not the
            // link rows, so it does not name this one-to-many side.
            let junction = t.origin.junction_of.is_some() || is_link_table(t, model);
            let parent_base = match &fk.inverse {
                Some(inv) if !junction => snake_ident(inv),
                _ => {
                    let own = snake_ident(&t.name.name);
                    let base = if unique {
                        singularize(&own)
                    } else {
                        pluralize(&own)
                    };
                    if siblings > 1 || fk.ref_table == t.name {
                        format!("{base}_as_{child_base}")
                    } else {
                        base
                    }
                }
            };
            let parent_name = claim(&fk.ref_table, &parent_base);
            rels.by_table
                .entry(t.name.clone())
                .or_default()
                .push(Relationship {
                    table: t.name.clone(),
                    name: child_name.clone(),
                    target: fk.ref_table.clone(),
                    kind: RelKind::ManyToOne,
                    back: parent_name.clone(),
                    fk_table: t.name.clone(),
                    fk: fk.name.clone(),
                    other_fk: None,
                    on_delete: fk.on_delete,
                    optional: fk
                        .columns
                        .iter()
                        .any(|c| t.column(c).is_some_and(|col| col.nullable)),
                });
            rels.by_table
                .entry(fk.ref_table.clone())
                .or_default()
                .push(Relationship {
                    table: fk.ref_table.clone(),
                    name: parent_name,
                    target: t.name.clone(),
                    kind: if unique {
                        RelKind::OneToOneParent
                    } else {
                        RelKind::OneToMany
                    },
                    back: child_name,
                    fk_table: t.name.clone(),
                    fk: fk.name.clone(),
                    other_fk: None,
                    on_delete: fk.on_delete,
                    optional: true,
                });
        }
    }
    for list in rels.by_table.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    rels
}
