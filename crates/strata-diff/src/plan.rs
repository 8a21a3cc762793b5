//! Changes → ordered steps through a dependency graph.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use strata_model::{Model, QualifiedName, Table, quote_ident, quote_literal};

use crate::PlanError;
use crate::catalog::{self, Data, Obj};
use crate::change::{Action, Change, ObjectKind};
use crate::rename::{self, Rename};
use crate::render::{self, Ctx};
use crate::step::{Hazard, LockLevel, PlanOptions, Step};

pub(crate) struct Built {
    pub steps: Vec<Step>,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Rename,
    Drop,
    Pre,
    Mid,
    Post,
    /// The index of a unique key that replaces another, built before the old key goes.
    Build,
    Create,
}

/// A unique key created on an existing table where others are dropped: built first.
struct Replacing {
    /// The name its index is built under while an old key holds its own name.
    temp: Option<String>,
    /// The keys it replaces.
    olds: Vec<String>,
    /// A primary key replacing a primary key: attached only once the old one is gone.
    primary: bool,
}

/// The table of a unique key (unique index, unique constraint, primary key).
fn unique_key_table(o: &Obj) -> Option<&str> {
    let key = match &o.data {
        Data::Index { index, .. } => index.unique,
        Data::Unique(..) | Data::PrimaryKey(..) => true,
        _ => false,
    };
    if key { o.owner.as_deref() } else { None }
}

/// `name` with a suffix, at most 63 bytes, taking no slot of `taken` in `schema`.
fn temp_name(schema: &str, name: &str, taken: &BTreeSet<String>) -> String {
    let mut i = 0u32;
    loop {
        let suffix = if i == 0 {
            "_new".to_string()
        } else {
            format!("_new{i}")
        };
        let mut base = name.to_string();
        while base.len() + suffix.len() > 63 {
            base.pop();
        }
        let candidate = format!("{base}{suffix}");
        if !taken.contains(&format!("ns:{schema}.{candidate}")) {
            return candidate;
        }
        i += 1;
    }
}

struct Node {
    key: String,
    stage: Stage,
    steps: Vec<Step>,
    change: Option<Change>,
}

/// Changes without an order, for when planning fails.
pub(crate) fn unordered_changes(from: &Model, to: &Model) -> Vec<Change> {
    let (_, from) = rename::apply(from, to);
    let fc = catalog::build(&from);
    let tc = catalog::build(to);
    let mut out = Vec::new();
    for (k, o) in &fc.objs {
        match tc.get(k) {
            None => out.push(change(o, Action::Drop)),
            Some(t) if !o.same(t) => out.push(change(
                t,
                Action::Alter {
                    what: vec!["definition".into()],
                },
            )),
            _ => {}
        }
    }
    for (k, o) in &tc.objs {
        if fc.get(k).is_none() {
            out.push(change(o, Action::Create));
        }
    }
    out
}

fn change(obj: &Obj, action: Action) -> Change {
    Change {
        kind: obj.kind,
        object: obj.name.clone(),
        action,
    }
}

/// Tables that are partitions in either model: their columns follow the parent's.
fn partition_tables(from: &Model, to: &Model) -> BTreeSet<String> {
    from.tables
        .iter()
        .chain(to.tables.iter())
        .filter(|t| t.partition_of.is_some())
        .map(|t| crate::deps::rel_key(&t.name))
        .collect()
}

/// Changes an object's kind cannot make in place.
fn needs_recreate(a: &Obj, b: &Obj) -> Option<String> {
    match (&a.data, &b.data) {
        (Data::Table(x), Data::Table(y)) if x.partition_by != y.partition_by => {
            Some("partitioning changed".into())
        }
        (Data::Column { column: x, .. }, Data::Column { column: y, .. })
            if y.generated.is_some()
                && (x.generated != y.generated || x.generated_virtual != y.generated_virtual) =>
        {
            Some("generation expression changed".into())
        }
        // A virtual column has no values to keep (DROP EXPRESSION refuses it).
        (Data::Column { column: x, .. }, Data::Column { column: y, .. })
            if x.generated.is_some() && x.generated_virtual && y.generated.is_none() =>
        {
            Some("virtual generated column no longer generated".into())
        }
        (Data::Function(x), Data::Function(y))
            if x.returns != y.returns || x.language != y.language || x.arguments != y.arguments =>
        {
            Some("signature or result changed".into())
        }
        (Data::Grant(x), Data::Grant(y)) if x.with_grant_option != y.with_grant_option => {
            Some("grant option changed".into())
        }
        (Data::Domain(x), Data::Domain(y)) if x.base != y.base || x.collation != y.collation => {
            Some("base type changed".into())
        }
        // Storage parameters and options change in place; so does validating a constraint.
        (
            Data::Index {
                index: x,
                table: tx,
                partitioned: px,
            },
            Data::Index {
                index: y,
                table: ty,
                partitioned: py,
            },
        ) if tx == ty && px == py && same_but_options(x, y) => None,
        (Data::View(x), Data::View(y))
            if strata_model::View {
                options: y.options.clone(),
                ..x.clone()
            } == *y =>
        {
            None
        }
        (Data::Check(tx, x), Data::Check(ty, y))
            if tx == ty
                && x.not_valid
                && !y.not_valid
                && strata_model::CheckConstraint {
                    not_valid: false,
                    ..x.clone()
                } == *y =>
        {
            None
        }
        (Data::ForeignKey(tx, x), Data::ForeignKey(ty, y))
            if tx == ty
                && x.not_valid
                && !y.not_valid
                && strata_model::ForeignKey {
                    not_valid: false,
                    ..x.clone()
                } == *y =>
        {
            None
        }
        (Data::Table(_), Data::Table(_))
        | (Data::Column { .. }, Data::Column { .. })
        | (Data::Function(_), Data::Function(_))
        | (Data::Domain(_), Data::Domain(_))
        | (Data::Enum(_), Data::Enum(_))
        | (Data::Sequence(_), Data::Sequence(_))
        | (Data::SeqOwner { .. }, Data::SeqOwner { .. })
        | (Data::Schema(_), Data::Schema(_))
        | (Data::Extension(_), Data::Extension(_))
        | (Data::Grant(_), Data::Grant(_))
        | (Data::Comment { .. }, Data::Comment { .. }) => None,
        _ => Some("definition changed".into()),
    }
}

/// Two indexes equal but for their storage parameters.
fn same_but_options(x: &strata_model::Index, y: &strata_model::Index) -> bool {
    strata_model::Index {
        options: y.options.clone(),
        ..x.clone()
    } == *y
}

/// The name an object occupies in its namespace: a drop must precede a create of another
/// object under the same name.
fn slot(key: &str, obj: &Obj) -> String {
    match &obj.data {
        Data::Index { table, index, .. } => format!("ns:{}.{}", table.schema, index.name),
        Data::PrimaryKey(t, pk) => format!("ns:{}.{}", t.schema, pk.name),
        Data::Unique(t, u) => format!("ns:{}.{}", t.schema, u.name),
        Data::Exclusion(t, x) => format!("ns:{}.{}", t.schema, x.name),
        Data::Table(t) => format!("ns:{}.{}", t.name.schema, t.name.name),
        Data::View(v) => format!("ns:{}.{}", v.name.schema, v.name.name),
        Data::Sequence(s) => format!("ns:{}.{}", s.name.schema, s.name.name),
        Data::Enum(e) => format!("ns:{}.{}", e.name.schema, e.name.name),
        Data::Domain(d) => format!("ns:{}.{}", d.name.schema, d.name.name),
        _ => key.to_string(),
    }
}

pub(crate) fn build(from: &Model, to: &Model, opts: &PlanOptions) -> Result<Built, PlanError> {
    let (renames, from) = rename::apply(from, to);
    let fc = catalog::build(&from);
    let tc = catalog::build(to);
    let partitions = partition_tables(&from, to);
    // Columns a partition or an inheriting table gets from its parent follow the parent.
    let skip = |_key: &str, obj: &Obj| -> bool {
        match &obj.data {
            Data::Column { column, .. } => {
                column.inherited || obj.owner.as_deref().is_some_and(|o| partitions.contains(o))
            }
            _ => false,
        }
    };
    let f_dependents = fc.dependents();
    let t_dependents = tc.dependents();

    // What changes.
    let mut dropped: BTreeSet<String> = BTreeSet::new();
    let mut created: BTreeSet<String> = BTreeSet::new();
    let mut recreate: BTreeMap<String, String> = BTreeMap::new();
    let mut altered: BTreeSet<String> = BTreeSet::new();
    for (k, o) in &fc.objs {
        match tc.get(k) {
            None => {
                dropped.insert(k.clone());
            }
            Some(t) if !o.same(t) => match needs_recreate(o, t) {
                Some(reason) => {
                    recreate.insert(k.clone(), reason);
                }
                None => {
                    altered.insert(k.clone());
                }
            },
            _ => {}
        }
    }
    for k in tc.objs.keys() {
        if fc.get(k).is_none() {
            created.insert(k.clone());
        }
    }
    // Columns and enums whose type changes force dependents PostgreSQL refuses to keep.
    let mut seeds: Vec<(String, String)> = recreate
        .iter()
        .map(|(k, r)| (k.clone(), r.clone()))
        .collect();
    for k in &altered {
        let (Some(a), Some(b)) = (fc.get(k), tc.get(k)) else {
            continue;
        };
        match (&a.data, &b.data) {
            (Data::Column { column: x, .. }, Data::Column { column: y, .. })
                if (x.data_type != y.data_type
                    || x.collation != y.collation
                    || x.collation_schema != y.collation_schema)
                    && !skip(k, a) =>
            {
                for d in f_dependents.get(k).into_iter().flatten() {
                    if let Some(o) = fc.get(d)
                        && matches!(
                            o.kind,
                            ObjectKind::View
                                | ObjectKind::MaterializedView
                                | ObjectKind::Policy
                                | ObjectKind::Trigger
                        )
                        && tc.get(d).is_some()
                    {
                        seeds.push((d.clone(), format!("{} changes type", a.name)));
                    }
                }
            }
            (Data::Enum(x), Data::Enum(y)) if !is_subsequence(&x.values, &y.values) => {
                for d in f_dependents.get(k).into_iter().flatten() {
                    let Some(o) = fc.get(d) else { continue };
                    if tc.get(d).is_none() {
                        continue;
                    }
                    if o.kind == ObjectKind::Column {
                        for dd in f_dependents.get(d).into_iter().flatten() {
                            if let Some(oo) = fc.get(dd)
                                && matches!(
                                    oo.kind,
                                    ObjectKind::View
                                        | ObjectKind::MaterializedView
                                        | ObjectKind::Policy
                                        | ObjectKind::Trigger
                                        | ObjectKind::Check
                                        | ObjectKind::Index
                                        | ObjectKind::Exclusion
                                )
                                && tc.get(dd).is_some()
                            {
                                seeds.push((dd.clone(), format!("{} changes type", o.name)));
                            }
                        }
                    } else if !matches!(
                        o.kind,
                        ObjectKind::Comment
                            | ObjectKind::Grant
                            | ObjectKind::Table
                            | ObjectKind::Domain
                    ) {
                        seeds.push((d.clone(), format!("enum {} is replaced", a.name)));
                    }
                }
            }
            _ => {}
        }
    }
    // A collation (carried as SQL) whose definition changes while columns keep using it is
    // swapped under them (see `render::collation_swap`): those columns stay, but what
    // PostgreSQL refuses to keep over a column whose collation changes is recreated.
    let mut swaps: BTreeMap<String, Vec<(QualifiedName, strata_model::Column)>> = BTreeMap::new();
    for k in recreate.keys() {
        let Some(Data::Verbatim(v)) = fc.get(k).map(|o| &o.data) else {
            continue;
        };
        if v.kind != "collation" || tc.get(k).is_none() {
            continue;
        }
        let mut columns = Vec::new();
        for d in f_dependents.get(k).into_iter().flatten() {
            let (Some(a), Some(b)) = (fc.get(d), tc.get(d)) else {
                continue;
            };
            if let Data::Column { table, column, .. } = &a.data
                && b.deps.contains(k)
                && !skip(d, a)
            {
                columns.push((table.clone(), (**column).clone()));
                for dd in f_dependents.get(d).into_iter().flatten() {
                    if let Some(o) = fc.get(dd)
                        && matches!(
                            o.kind,
                            ObjectKind::View
                                | ObjectKind::MaterializedView
                                | ObjectKind::Policy
                                | ObjectKind::Trigger
                        )
                        && tc.get(dd).is_some()
                    {
                        seeds.push((dd.clone(), format!("collation {} is replaced", v.name)));
                    }
                }
            }
        }
        if !columns.is_empty() {
            swaps.insert(k.clone(), columns);
        }
    }
    // Everything depending on a recreated object is recreated with it.
    let mut queue: VecDeque<(String, String)> = seeds.into_iter().collect();
    while let Some((k, reason)) = queue.pop_front() {
        if !recreate.contains_key(&k) {
            recreate.insert(k.clone(), reason);
        }
        let owner_recreated = |d: &str| {
            fc.get(d)
                .and_then(|o| o.owner.as_ref())
                .is_some_and(|o| o == &k)
        };
        for d in f_dependents.get(&k).into_iter().flatten() {
            if recreate.contains_key(d) || tc.get(d).is_none() {
                continue;
            }
            let Some(o) = fc.get(d) else { continue };
            // Columns and tables are recreated only with their table (data would be lost),
            // but dropping a partitioned table drops its partitions: they come back with it.
            let partition_of_k = matches!(&o.data, Data::Table(t)
                if t.partition_of.as_ref().is_some_and(|of| crate::deps::rel_key(&of.parent) == k));
            if matches!(o.kind, ObjectKind::Column | ObjectKind::Table)
                && !owner_recreated(d)
                && !partition_of_k
            {
                continue;
            }
            let name = fc.get(&k).map(|o| o.name.clone()).unwrap_or_default();
            recreate.insert(d.clone(), format!("{name} is recreated"));
            queue.push_back((d.clone(), format!("{name} is recreated")));
        }
    }
    for k in recreate.keys() {
        altered.remove(k);
    }

    let drop_keys: BTreeSet<String> = dropped
        .iter()
        .chain(recreate.keys().filter(|k| fc.get(k).is_some()))
        .cloned()
        .collect();
    let create_keys: BTreeSet<String> = created
        .iter()
        .chain(recreate.keys().filter(|k| tc.get(k).is_some()))
        .cloned()
        .collect();
    let table_created = |owner: &Option<String>| {
        owner
            .as_ref()
            .is_some_and(|o| create_keys.contains(o) && tc.get(o).is_some())
    };

    // Nodes, in an order that reads naturally when the graph leaves a choice.
    let mut nodes: Vec<Node> = Vec::new();
    for r in &renames {
        let (sql, change) = match r {
            Rename::Table { from, to } => (
                render::rename_table(from, to),
                Change {
                    kind: ObjectKind::Table,
                    object: crate::deps::qn(to),
                    action: Action::Rename {
                        from: crate::deps::qn(from),
                    },
                },
            ),
            Rename::Derived {
                kind,
                table,
                from,
                to,
                after,
            } => (
                render::rename_derived(*kind, table, from, to, after),
                Change {
                    kind: match kind {
                        crate::rename::Derived::Index => ObjectKind::Index,
                        crate::rename::Derived::PrimaryKey => ObjectKind::PrimaryKey,
                        crate::rename::Derived::Unique => ObjectKind::Unique,
                        crate::rename::Derived::Check => ObjectKind::Check,
                        crate::rename::Derived::Exclusion => ObjectKind::Exclusion,
                        crate::rename::Derived::ForeignKey => ObjectKind::ForeignKey,
                        crate::rename::Derived::Trigger => ObjectKind::Trigger,
                        crate::rename::Derived::Policy => ObjectKind::Policy,
                    },
                    object: format!("{}.{to}", crate::deps::qn(table)),
                    action: Action::Rename {
                        from: format!("{}.{from}", crate::deps::qn(table)),
                    },
                },
            ),
            Rename::Column { table, from, to } => (
                render::rename_column(table, from, to),
                Change {
                    kind: ObjectKind::Column,
                    object: format!("{}.{to}", crate::deps::qn(table)),
                    action: Action::Rename {
                        from: format!("{}.{from}", crate::deps::qn(table)),
                    },
                },
            ),
        };
        nodes.push(Node {
            key: String::new(),
            stage: Stage::Rename,
            steps: vec![sql],
            change: Some(change),
        });
    }
    // Drops: dependents first (reverse model order). Tables and columns that go for good come
    // last where nothing forces them earlier: what replaces them (a table the columns move
    // to, a column restored on the way back) exists first, so data can be copied in between.
    let mut late: Vec<Node> = Vec::new();
    for k in fc.order.iter().rev() {
        if !drop_keys.contains(k) {
            continue;
        }
        let Some(o) = fc.get(k) else { continue };
        // A foreign key to another table goes first, or that table's drop fails.
        let refers_elsewhere = match &o.data {
            Data::ForeignKey(t, fk) => &fk.ref_table != t,
            _ => false,
        };
        let implicit = (!refers_elsewhere
            && o.owner.as_ref().is_some_and(|ow| drop_keys.contains(ow)))
            || (skip(k, o) && !dropped.contains(k));
        let owner_gone = o.owner.as_ref().is_some_and(|ow| drop_keys.contains(ow));
        let ctx = Ctx {
            model: &from,
            owner_new: owner_gone,
            online: opts.online,
        };
        let swap = swaps.get(k).and_then(|columns| {
            let (Data::Verbatim(old), Some(Data::Verbatim(new))) =
                (&o.data, tc.get(k).map(|t| &t.data))
            else {
                return None;
            };
            let bare = old.name.split('(').next().unwrap_or(&old.name);
            let (schema, name) = bare.split_once('.').unwrap_or(("public", bare));
            let taken: BTreeSet<String> = from
                .verbatim
                .iter()
                .chain(&to.verbatim)
                .filter(|x| x.kind == "collation")
                .map(|x| format!("ns:{}", x.name))
                .collect();
            let temp = temp_name(schema, name, &taken);
            Some(render::collation_swap(old, new, &temp, columns))
        });
        let steps = if let Some(swap) = swap {
            swap
        } else if implicit || skip(k, o) {
            Vec::new()
        } else {
            render::drop_steps(o, &ctx)
        };
        let action = match recreate.get(k) {
            Some(reason) if tc.get(k).is_some() => None.or(Some(Action::Recreate {
                reason: reason.clone(),
            })),
            _ => Some(Action::Drop),
        };
        let holds_data = matches!(o.kind, ObjectKind::Table | ObjectKind::Column);
        let queue = if holds_data && dropped.contains(k) {
            &mut late
        } else {
            &mut nodes
        };
        queue.push(Node {
            key: k.clone(),
            stage: Stage::Drop,
            steps,
            change: if implicit || matches!(action, Some(Action::Recreate { .. })) {
                if matches!(action, Some(Action::Recreate { .. })) && !implicit {
                    action.map(|a| change(o, a))
                } else {
                    None
                }
            } else {
                action.map(|a| change(o, a))
            },
        });
    }
    // Alters.
    let mut identity_dropped: Vec<usize> = Vec::new();
    let mut identity_added: Vec<usize> = Vec::new();
    for k in &tc.order {
        if !altered.contains(k) {
            continue;
        }
        let (Some(a), Some(b)) = (fc.get(k), tc.get(k)) else {
            continue;
        };
        if skip(k, a) {
            continue;
        }
        let alter = alter_steps(a, b, &from, to, opts, &partitions)?;
        let mut first = true;
        for (stage, steps) in [
            (Stage::Pre, alter.pre),
            (Stage::Mid, alter.mid),
            (Stage::Post, alter.post),
        ] {
            if steps.is_empty() {
                continue;
            }
            let index = nodes.len();
            if stage == Stage::Pre && alter.identity_dropped {
                identity_dropped.push(index);
            }
            if stage == Stage::Post && alter.identity_added {
                identity_added.push(index);
            }
            nodes.push(Node {
                key: k.clone(),
                stage,
                steps,
                change: first.then(|| {
                    change(
                        b,
                        Action::Alter {
                            what: alter.what.clone(),
                        },
                    )
                }),
            });
            first = false;
        }
    }
    // Unique keys that replace others on a table that stays: the new index is built before
    // the old key is dropped, so that duplicates are refused at every point of the plan.
    let mut replacing: BTreeMap<String, Replacing> = BTreeMap::new();
    if opts.online {
        let taken: BTreeSet<String> = fc
            .objs
            .iter()
            .chain(tc.objs.iter())
            .map(|(k, o)| slot(k, o))
            .collect();
        for k in &create_keys {
            let Some(new) = tc.get(k) else { continue };
            let Some(table) = unique_key_table(new) else {
                continue;
            };
            let table_changes = create_keys.contains(table)
                || drop_keys.contains(table)
                || altered.contains(table)
                || new
                    .deps
                    .iter()
                    .any(|d| d != table && (altered.contains(d) || create_keys.contains(d)));
            if table_changes {
                continue;
            }
            let olds: Vec<String> = drop_keys
                .iter()
                .filter(|d| fc.get(d).and_then(unique_key_table) == Some(table))
                .cloned()
                .collect();
            if olds.is_empty() {
                continue;
            }
            let new_slot = slot(k, new);
            let same_slot = olds
                .iter()
                .any(|d| fc.get(d).is_some_and(|o| slot(d, o) == new_slot));
            let primary = matches!(new.data, Data::PrimaryKey(..))
                && olds.iter().any(|d| {
                    fc.get(d)
                        .is_some_and(|o| matches!(o.data, Data::PrimaryKey(..)))
                });
            let (schema, name) = match &new.data {
                Data::Index { table, index, .. } => (&table.schema, &index.name),
                Data::Unique(t, u) => (&t.schema, &u.name),
                Data::PrimaryKey(t, pk) => (&t.schema, &pk.name),
                _ => continue,
            };
            replacing.insert(
                k.clone(),
                Replacing {
                    temp: same_slot.then(|| temp_name(schema, name, &taken)),
                    olds,
                    primary,
                },
            );
        }
    }
    // A single-column foreign key on a column new in this plan (of a table that exists) is
    // written into the column's ADD COLUMN, where PostgreSQL checks no row.
    let mut key_with_column: BTreeMap<String, String> = BTreeMap::new();
    for k in &created {
        let Some(Obj {
            data: Data::ForeignKey(t, fk),
            owner,
            ..
        }) = tc.get(k)
        else {
            continue;
        };
        let [column] = fk.columns.as_slice() else {
            continue;
        };
        let col = crate::deps::col_key(t, column);
        let plain_table = owner
            .as_ref()
            .is_some_and(|o| !create_keys.contains(o) && !partitions.contains(o.as_str()))
            && to.table(t).is_some_and(|x| x.partition_by.is_none());
        if plain_table && created.contains(&col) {
            key_with_column.insert(col, k.clone());
        }
    }
    // A new table's foreign keys to tables that exist are written into its CREATE TABLE,
    // where PostgreSQL checks no row: no validation, and no forced row-level security lifted
    // (which would lock the referenced table ACCESS EXCLUSIVE for the rest of the plan).
    let mut keys_in_table: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for k in &created {
        let Some(Obj {
            data: Data::ForeignKey(t, fk),
            owner: Some(owner),
            deps,
            ..
        }) = tc.get(k)
        else {
            continue;
        };
        let new_table = created.contains(owner)
            && matches!(tc.get(owner).map(|o| &o.data), Some(Data::Table(x)) if x.partition_of.is_none());
        let target_exists =
            &fk.ref_table == t || !create_keys.contains(&crate::deps::rel_key(&fk.ref_table));
        let deps_ready = deps.iter().all(|d| {
            d == owner
                || tc.get(d).and_then(|o| o.owner.as_ref()) == Some(owner)
                || !create_keys.contains(d)
        });
        if new_table && target_exists && deps_ready && !fk.not_valid {
            keys_in_table
                .entry(owner.clone())
                .or_default()
                .push(k.clone());
        }
    }
    let key_in_table: BTreeSet<&String> = keys_in_table.values().flatten().collect();
    // An index on a partitioned table that exists is built partition by partition, without
    // blocking writes, when the plan leaves its (leaf) partitions alone.
    let mut partition_built: BTreeMap<String, Vec<QualifiedName>> = BTreeMap::new();
    if opts.online {
        for k in &created {
            let Some(Obj {
                data:
                    Data::Index {
                        table,
                        partitioned: true,
                        ..
                    },
                owner: Some(owner),
                ..
            }) = tc.get(k)
            else {
                continue;
            };
            if create_keys.contains(owner) || drop_keys.contains(owner) {
                continue;
            }
            let parts: Vec<&Table> = to
                .tables
                .iter()
                .filter(|t| {
                    t.partition_of
                        .as_ref()
                        .is_some_and(|of| &of.parent == table)
                })
                .collect();
            let untouched = |t: &&Table| {
                let key = crate::deps::rel_key(&t.name);
                t.partition_by.is_none()
                    && fc.get(&key).is_some()
                    && !create_keys.contains(&key)
                    && !drop_keys.contains(&key)
                    && !altered.contains(&key)
            };
            if !parts.is_empty() && parts.iter().all(untouched) {
                partition_built.insert(k.clone(), parts.iter().map(|t| t.name.clone()).collect());
            }
        }
    }
    let mut child_index_names: BTreeMap<QualifiedName, BTreeSet<String>> = BTreeMap::new();
    // Creates, in model order.
    for k in &tc.order {
        if !create_keys.contains(k) {
            continue;
        }
        let Some(o) = tc.get(k) else { continue };
        // A NOT VALID check is not written in CREATE TABLE (it would be validated there).
        let not_valid_check = matches!(&o.data, Data::Check(_, c) if c.not_valid);
        let inline = matches!(
            o.kind,
            ObjectKind::Column
                | ObjectKind::PrimaryKey
                | ObjectKind::Unique
                | ObjectKind::Check
                | ObjectKind::Exclusion
        ) && !not_valid_check
            && table_created(&o.owner);
        let parent_new = table_created(&o.owner);
        let ctx = Ctx {
            model: to,
            owner_new: parent_new,
            online: opts.online,
        };
        let ancestors = match &o.data {
            Data::Table(t) => ancestors(to, t),
            _ => Vec::new(),
        };
        let change = if inline
            || key_in_table.contains(k)
            || recreate.contains_key(k) && fc.get(k).is_some()
        {
            None
        } else {
            Some(change(o, Action::Create))
        };
        let split = replacing.get(k).and_then(|r| {
            render::replacing_steps(o, &ctx, r.temp.as_deref())
                .filter(|(build, _)| !build.is_empty() || r.temp.is_none())
        });
        if split.is_none() {
            replacing.remove(k);
        }
        let with_key = key_with_column.get(k).and_then(|fk_key| {
            let (Data::Column { table, column, .. }, Some(Data::ForeignKey(_, fk))) =
                (&o.data, tc.get(fk_key).map(|f| &f.data))
            else {
                return None;
            };
            render::add_column_with_key(table, column, fk, &ctx)
        });
        if with_key.is_none() {
            key_with_column.remove(k);
        }
        let steps = if let Some(s) = with_key {
            vec![s]
        } else if key_with_column.values().any(|fk| fk == k) || key_in_table.contains(k) {
            // Added with its column, or inside its table's CREATE TABLE.
            Vec::new()
        } else if let (
            Some(parts),
            Data::Index {
                table,
                index,
                partitioned: true,
            },
        ) = (partition_built.get(k), &o.data)
        {
            // Names in each partition's schema: its indexes for the parent's (as named when
            // they were built) and those this plan gave already.
            let mut named: Vec<(QualifiedName, String)> = Vec::new();
            for p in parts {
                let taken = child_index_names.entry(p.clone()).or_insert_with(|| {
                    from.table(table)
                        .into_iter()
                        .flat_map(|t| &t.indexes)
                        .filter_map(|ix| {
                            render::partition_index_name(&p.name, ix, &BTreeSet::new())
                        })
                        .chain(
                            from.tables
                                .iter()
                                .filter(|t| t.name.schema == p.schema)
                                .flat_map(|t| t.indexes.iter().map(|ix| ix.name.clone())),
                        )
                        .collect()
                });
                if let Some(name) = render::partition_index_name(&p.name, index, taken) {
                    taken.insert(name.clone());
                    named.push((p.clone(), name));
                }
            }
            let steps = if named.len() == parts.len() {
                render::partitioned_index_online(
                    table,
                    index,
                    &named,
                    format!("create index {}", o.name),
                )
            } else {
                Vec::new()
            };
            if steps.is_empty() {
                render::create_steps(o, &ctx, &ancestors)
            } else {
                steps
            }
        } else if let Some(keys) = keys_in_table.get(k) {
            let fks: Vec<&strata_model::ForeignKey> = keys
                .iter()
                .filter_map(|fk| match tc.get(fk).map(|o| &o.data) {
                    Some(Data::ForeignKey(_, x)) => Some(x),
                    _ => None,
                })
                .collect();
            render::create_table_with_keys(o, &ctx, &ancestors, &fks)
        } else if let Some((build, finish)) = split {
            if !build.is_empty() {
                nodes.push(Node {
                    key: k.clone(),
                    stage: Stage::Build,
                    steps: build,
                    change: None,
                });
            }
            finish
        } else if inline || (skip(k, o) && !created.contains(k)) || skip(k, o) {
            Vec::new()
        } else {
            render::create_steps(o, &ctx, &ancestors)
        };
        let steps = if let Data::Check(t, ch) = &o.data {
            check_on_empty_columns(t, ch, steps, &created, to)
        } else if swaps.contains_key(k) {
            // Created, under another name, by the swap in its drop's place.
            Vec::new()
        } else {
            steps
        };
        nodes.push(Node {
            key: k.clone(),
            stage: Stage::Create,
            steps,
            change,
        });
    }
    nodes.extend(late);

    // Edges.
    let mut by_key: BTreeMap<(&str, Stage), Vec<usize>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        by_key.entry((n.key.as_str(), n.stage)).or_default().push(i);
    }
    let find = |key: &str, stage: Stage| -> Vec<usize> {
        by_key.get(&(key, stage)).cloned().unwrap_or_default()
    };
    let alters_of = |key: &str| -> Vec<usize> {
        [Stage::Pre, Stage::Mid, Stage::Post]
            .iter()
            .flat_map(|s| find(key, *s))
            .collect()
    };
    let mut edges: Vec<(usize, usize)> = Vec::new();
    let renames_n = renames.len();
    for (i, n) in nodes.iter().enumerate() {
        if n.stage == Stage::Rename {
            // Renames first, in order.
            if i > 0 {
                edges.push((i - 1, i));
            }
            continue;
        }
        if renames_n > 0 {
            edges.push((renames_n - 1, i));
        }
        match n.stage {
            Stage::Drop => {
                if let Some(o) = fc.get(&n.key) {
                    for dep in &o.deps {
                        for j in find(dep, Stage::Drop) {
                            edges.push((i, j));
                        }
                    }
                }
                for j in find(&n.key, Stage::Create) {
                    edges.push((i, j));
                }
            }
            Stage::Create | Stage::Build => {
                if let Some(o) = tc.get(&n.key) {
                    for dep in &o.deps {
                        for j in find(dep, Stage::Create) {
                            edges.push((j, i));
                        }
                    }
                }
            }
            Stage::Pre | Stage::Mid | Stage::Post => {
                let (from_side, to_side) = match n.stage {
                    Stage::Pre => (true, false),
                    Stage::Mid => (true, true),
                    _ => (false, true),
                };
                if from_side {
                    for d in transitive(&f_dependents, &n.key) {
                        for j in find(&d, Stage::Drop) {
                            edges.push((j, i));
                        }
                    }
                    if let Some(o) = fc.get(&n.key) {
                        for dep in &o.deps {
                            for j in find(dep, Stage::Drop) {
                                edges.push((i, j));
                            }
                        }
                    }
                }
                if to_side {
                    for d in transitive(&t_dependents, &n.key) {
                        for j in find(&d, Stage::Create) {
                            edges.push((i, j));
                        }
                    }
                    if let Some(o) = tc.get(&n.key) {
                        for dep in &o.deps {
                            for j in find(dep, Stage::Create) {
                                edges.push((j, i));
                            }
                        }
                    }
                }
                // Alters of what this object depends on happen after its removals and
                // before its type change and additions.
                let deps: BTreeSet<&String> = fc
                    .get(&n.key)
                    .into_iter()
                    .chain(tc.get(&n.key))
                    .flat_map(|o| o.deps.iter())
                    .collect();
                for dep in deps {
                    for j in alters_of(dep) {
                        if n.stage == Stage::Pre {
                            edges.push((i, j));
                        } else {
                            edges.push((j, i));
                        }
                    }
                }
            }
            Stage::Rename => {}
        }
    }
    // A swapped collation's columns change under it: what PostgreSQL refuses to keep over
    // them goes before the swap and comes back after it.
    for (k, columns) in &swaps {
        for (table, column) in columns {
            let ck = crate::deps::col_key(table, &column.name);
            for d in f_dependents.get(&ck).into_iter().flatten() {
                for j in find(d, Stage::Drop) {
                    for i in find(k, Stage::Drop) {
                        edges.push((j, i));
                    }
                }
            }
            for d in t_dependents.get(&ck).into_iter().flatten() {
                for j in find(d, Stage::Create) {
                    for i in find(k, Stage::Create) {
                        edges.push((i, j));
                    }
                }
            }
        }
    }
    // A column added with its foreign key waits for what the key needs (the referenced key).
    for (col, fk) in &key_with_column {
        let Some(o) = tc.get(fk) else { continue };
        for c in find(col, Stage::Create) {
            for dep in o.deps.iter().filter(|d| *d != col) {
                for j in find(dep, Stage::Create) {
                    edges.push((j, c));
                }
            }
        }
    }
    // Stages of one object in order.
    for key in nodes.iter().map(|n| n.key.clone()).collect::<BTreeSet<_>>() {
        let chain: Vec<usize> = [
            Stage::Drop,
            Stage::Pre,
            Stage::Mid,
            Stage::Post,
            Stage::Create,
        ]
        .iter()
        .flat_map(|s| find(&key, *s))
        .collect();
        for w in chain.windows(2) {
            edges.push((w[0], w[1]));
        }
        // A key's index is built before it becomes the key; the build is not ordered after
        // the key's own drop (it replaces it, under another name).
        for b in find(&key, Stage::Build) {
            for c in find(&key, Stage::Create) {
                edges.push((b, c));
            }
        }
    }
    // A drop frees a name another object takes.
    let mut slots: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if n.stage == Stage::Drop
            && let Some(o) = fc.get(&n.key)
        {
            slots.entry(slot(&n.key, o)).or_default().push(i);
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        if n.stage == Stage::Create
            && let Some(o) = tc.get(&n.key)
        {
            for &j in slots.get(&slot(&n.key, o)).into_iter().flatten() {
                edges.push((j, i));
            }
        }
    }
    // An identity's own sequence goes with it, under a name a new sequence may take.
    for &i in &identity_dropped {
        for (j, n) in nodes.iter().enumerate() {
            if n.stage == Stage::Create && n.key.starts_with("seq:") {
                edges.push((i, j));
            }
        }
    }
    for &i in &identity_added {
        for (j, n) in nodes.iter().enumerate() {
            if n.stage == Stage::Drop && n.key.starts_with("seq:") {
                edges.push((j, i));
            }
        }
    }
    // An object dropped with its table (a trigger, a key) or created inside its CREATE TABLE
    // (a column, a key) has no statement of its own: its order is its table's.
    let representative = |start: usize| -> usize {
        let mut i = start;
        for _ in 0..8 {
            let Some(n) = nodes.get(i) else { break };
            if !n.steps.is_empty() || !matches!(n.stage, Stage::Drop | Stage::Create) {
                break;
            }
            let owner = match n.stage {
                Stage::Drop => fc.get(&n.key),
                _ => tc.get(&n.key),
            }
            .and_then(|o| o.owner.clone());
            let Some(next) = owner.and_then(|ow| find(&ow, n.stage).first().copied()) else {
                break;
            };
            i = next;
        }
        // Only a table's DROP or CREATE statement carries what is inside it.
        match nodes.get(i) {
            Some(n) if i != start && n.key.starts_with("rel:") => i,
            _ => start,
        }
    };
    let carried: Vec<(usize, usize)> = edges
        .iter()
        .map(|&(a, b)| (representative(a), representative(b)))
        .filter(|(a, b)| a != b)
        .collect();
    edges.extend(carried);
    let mut preferred: Vec<(usize, usize)> = Vec::new();
    // An index that replaces another on the same table is built before the old one goes, so
    // queries always have one: a preference, kept only where no dependency forces the
    // opposite (two indexes over a column whose type is swapped are both dropped before the
    // swap and created after it). Only where the table itself does not change: its alters (a
    // dropped column, say) may need the old index gone first.
    for (i, n) in nodes.iter().enumerate() {
        if n.stage != Stage::Create {
            continue;
        }
        let Some(new) = tc.get(&n.key) else { continue };
        let (Data::Index { .. }, Some(owner)) = (&new.data, &new.owner) else {
            continue;
        };
        if !alters_of(owner).is_empty()
            || !find(owner, Stage::Create).is_empty()
            || !find(owner, Stage::Drop).is_empty()
        {
            continue;
        }
        for (j, m) in nodes.iter().enumerate() {
            if m.stage != Stage::Drop || m.key == n.key {
                continue;
            }
            let Some(old) = fc.get(&m.key) else { continue };
            if matches!(old.data, Data::Index { .. })
                && old.owner.as_ref() == Some(owner)
                && slot(&m.key, old) != slot(&n.key, new)
            {
                preferred.push((i, j));
            }
        }
    }
    // A unique key replacing others: its index is built before they are dropped; it becomes
    // the key before they go too, unless it takes their name or is the table's primary key,
    // which wait for the old key's drop.
    for (k, r) in &replacing {
        let build = find(k, Stage::Build);
        let create = find(k, Stage::Create);
        for old in &r.olds {
            for j in find(old, Stage::Drop) {
                if r.primary || r.temp.is_some() {
                    for &c in &create {
                        edges.push((j, c));
                    }
                    for &b in &build {
                        preferred.push((b, j));
                    }
                } else {
                    for &c in &create {
                        preferred.push((c, j));
                    }
                }
            }
        }
    }
    add_unless_cycle(nodes.len(), &mut edges, preferred);
    edges.sort_unstable();
    edges.dedup();
    edges.retain(|(a, b)| a != b);
    let order = strata_sql::order::stable_toposort(nodes.len(), &edges).map_err(|stuck| {
        PlanError::Cycle(
            stuck
                .iter()
                .filter_map(|&i| nodes.get(i))
                .map(|n| describe(n, &fc, &tc))
                .take(12)
                .collect(),
        )
    })?;
    let mut steps = Vec::new();
    let mut changes = Vec::new();
    let mut slots_taken: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
    for i in order {
        if let Some(n) = slots_taken.get_mut(i).and_then(Option::take) {
            steps.extend(n.steps);
            changes.extend(n.change);
        }
    }
    Ok(Built { steps, changes })
}

/// A CHECK added to a table with rows, over columns this plan adds empty (nullable, no
/// default): when the expression is NULL while they are NULL, which every existing row is,
/// validating it cannot fail. It still reads every row (`validates_rows`), under SHARE
/// UPDATE EXCLUSIVE, but it is not `may_fail`.
fn check_on_empty_columns(
    table: &QualifiedName,
    check: &strata_model::CheckConstraint,
    mut steps: Vec<Step>,
    created: &BTreeSet<String>,
    to: &Model,
) -> Vec<Step> {
    let Some(t) = to.table(table) else {
        return steps;
    };
    let empty: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| {
            c.nullable
                && c.default.is_none()
                && c.identity.is_none()
                && c.generated.is_none()
                && created.contains(&crate::deps::col_key(table, &c.name))
        })
        .map(|c| c.name.as_str())
        .collect();
    if empty.is_empty() || !crate::null_check::passes_with_nulls(&check.expression, &empty) {
        return steps;
    }
    for s in &mut steps {
        if s.hazards.contains(&Hazard::MayFail) && s.hazards.contains(&Hazard::ValidatesRows) {
            s.hazards.retain(|h| *h != Hazard::MayFail);
            s.description
                .push_str(" (cannot fail: the rows have NULL in its new columns)");
        }
    }
    steps
}

/// A node as a user names what it does: `drop index public.t_m_idx`, `change type
/// public.st`, `create grant SELECT on table public.tasks to app`.
fn describe(n: &Node, fc: &catalog::Catalog, tc: &catalog::Catalog) -> String {
    let verb = match n.stage {
        Stage::Rename => "rename",
        Stage::Drop => "drop",
        Stage::Pre | Stage::Mid | Stage::Post => "change",
        Stage::Build | Stage::Create => "create",
    };
    let obj = match n.stage {
        Stage::Drop => fc.get(&n.key).or_else(|| tc.get(&n.key)),
        _ => tc.get(&n.key).or_else(|| fc.get(&n.key)),
    };
    match (obj, &n.change) {
        (Some(o), _) => {
            let kind = match o.kind {
                ObjectKind::Enum => "type ".to_string(),
                other => other.prefix(),
            };
            format!("{verb} {kind}{}", o.name)
        }
        (None, Some(c)) => c.to_string(),
        (None, None) => verb.to_string(),
    }
}

/// Adds each preferred edge `(a, b)` unless `b` already reaches `a`, which would make a cycle.
fn add_unless_cycle(n: usize, edges: &mut Vec<(usize, usize)>, preferred: Vec<(usize, usize)>) {
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges.iter() {
        if let Some(s) = successors.get_mut(a) {
            s.push(b);
        }
    }
    for (a, b) in preferred {
        if a == b || a >= n || b >= n {
            continue;
        }
        let mut seen = vec![false; n];
        let mut stack = vec![b];
        let mut reaches = false;
        while let Some(x) = stack.pop() {
            if x == a {
                reaches = true;
                break;
            }
            if std::mem::replace(&mut seen[x], true) {
                continue;
            }
            stack.extend(successors[x].iter().copied());
        }
        if !reaches {
            successors[a].push(b);
            edges.push((a, b));
        }
    }
}

fn transitive(dependents: &BTreeMap<String, BTreeSet<String>>, key: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue = vec![key.to_string()];
    while let Some(k) = queue.pop() {
        for d in dependents.get(&k).into_iter().flatten() {
            if seen.insert(d.clone()) {
                queue.push(d.clone());
            }
        }
    }
    seen
}

fn ancestors<'a>(model: &'a Model, t: &Table) -> Vec<&'a Table> {
    let mut out: Vec<&Table> = Vec::new();
    let mut current = t.partition_of.as_ref().map(|of| of.parent.clone());
    while let Some(parent) = current {
        let Some(p) = model.table(&parent) else { break };
        if out.len() > model.tables.len() {
            break;
        }
        out.push(p);
        current = p.partition_of.as_ref().map(|of| of.parent.clone());
    }
    out
}

/// A check equal to a partition's constraint, for a parent partitioned by one column and a
/// bound `FOR VALUES FROM (v) TO (w)` or `FOR VALUES IN (v, ...)` without NULL, MINVALUE or
/// MAXVALUE: PostgreSQL then skips the scan when attaching. `None` for anything else.
fn bound_check(parent: &Table, bound: &str) -> Option<String> {
    let by = parent.partition_by.as_ref()?;
    let [strata_model::IndexExpr::Column(key)] = by.keys.as_slice() else {
        return None;
    };
    let col = quote_ident(key);
    let rest = bound.trim().strip_prefix("FOR VALUES ")?;
    let upper = rest.to_ascii_uppercase();
    if upper.contains("MINVALUE") || upper.contains("MAXVALUE") || upper.contains("NULL") {
        return None;
    }
    match by.strategy {
        strata_model::PartitionStrategy::Range => {
            let inner = rest.strip_prefix("FROM (")?.strip_suffix(')')?;
            let mut parts = inner.split(") TO (");
            let (low, high) = (parts.next()?, parts.next()?);
            if parts.next().is_some() || low.contains(',') || high.contains(',') {
                return None;
            }
            Some(format!(
                "{col} IS NOT NULL AND {col} >= {low} AND {col} < {high}"
            ))
        }
        strata_model::PartitionStrategy::List => {
            let inner = rest.strip_prefix("IN (")?.strip_suffix(')')?;
            Some(format!("{col} IS NOT NULL AND {col} IN ({inner})"))
        }
        strata_model::PartitionStrategy::Hash => None,
    }
}

fn is_subsequence(old: &[String], new: &[String]) -> bool {
    let mut it = new.iter();
    old.iter().all(|v| it.any(|n| n == v))
}

#[derive(Default)]
struct Alter {
    pre: Vec<Step>,
    mid: Vec<Step>,
    post: Vec<Step>,
    what: Vec<String>,
    identity_dropped: bool,
    identity_added: bool,
}

fn alter_steps(
    a: &Obj,
    b: &Obj,
    from: &Model,
    to: &Model,
    opts: &PlanOptions,
    partitions: &BTreeSet<String>,
) -> Result<Alter, PlanError> {
    let mut out = Alter::default();
    let ae = LockLevel::AccessExclusive;
    match (&a.data, &b.data) {
        (
            Data::Column {
                table, column: x, ..
            },
            Data::Column { column: y, .. },
        ) => {
            let c = render::alter_column(table, x, y, opts.online);
            out.pre = c.pre;
            out.mid = c.mid;
            out.post = c.post;
            out.what = c.what;
            out.identity_dropped = c.identity_dropped;
            out.identity_added = c.identity_added;
        }
        (Data::Table(x), Data::Table(y)) => {
            let name = x.name.quoted();
            if x.unlogged != y.unlogged {
                out.what.push("logged".into());
                let word = if y.unlogged { "UNLOGGED" } else { "LOGGED" };
                out.mid.push(render::plain(
                    format!("ALTER TABLE {name} SET {word};"),
                    ae,
                    format!("table {} {}", a.name, word.to_lowercase()),
                    &[Hazard::RewritesTable, Hazard::LongLock],
                ));
            }
            if x.partition_of != y.partition_of {
                if let Some(of) = &x.partition_of {
                    out.what.push("detach".into());
                    out.pre.push(render::with_reverse(
                        render::plain(
                            format!(
                                "ALTER TABLE {} DETACH PARTITION {name};",
                                of.parent.quoted()
                            ),
                            ae,
                            format!("detach partition {} from {}", a.name, of.parent.name),
                            &[Hazard::BreaksClients],
                        ),
                        Some(format!(
                            "ALTER TABLE {} ATTACH PARTITION {name} {};",
                            of.parent.quoted(),
                            of.bound.trim()
                        )),
                    ));
                    // From PostgreSQL 18 the detached table keeps its parent's NOT NULL
                    // constraint names (`<parent>_<column>_not_null`) as its own.
                    let parent = from.table(&of.parent);
                    for c in y.columns.iter().filter(|c| !c.nullable) {
                        let Some(p) = parent.and_then(|p| p.column(&c.name)) else {
                            continue;
                        };
                        let old = p.not_null_name.clone().unwrap_or_else(|| {
                            strata_model::default_not_null_name(&of.parent.name, &c.name)
                        });
                        let new = c.not_null_name.clone().unwrap_or_else(|| {
                            strata_model::default_not_null_name(&y.name.name, &c.name)
                        });
                        if old != new {
                            out.pre.push(render::with_reverse(
                                render::plain(
                                    render::rename_not_null(&y.name, &old, &new),
                                    ae,
                                    format!(
                                        "rename the NOT NULL constraint of {}.{} to {new}",
                                        a.name, c.name
                                    ),
                                    &[],
                                ),
                                Some(render::rename_not_null(&y.name, &new, &old)),
                            ));
                        }
                    }
                }
                if let Some(of) = &y.partition_of {
                    out.what.push("attach".into());
                    let parent = to.table(&of.parent);
                    let proof = parent
                        .filter(|_| opts.online)
                        .and_then(|p| bound_check(p, &of.bound));
                    // A default partition is scanned for rows of the new bound, under
                    // ACCESS EXCLUSIVE, whatever proves the attached table's rows.
                    let default_scanned = to.tables.iter().any(|t| {
                        t.partition_of.as_ref().is_some_and(|o| {
                            o.parent == of.parent && o.bound.trim().eq_ignore_ascii_case("DEFAULT")
                        })
                    });
                    let mut check_name = format!("{}_partition_bound", y.name.name);
                    while check_name.len() > 63 {
                        check_name.pop();
                    }
                    let check = quote_ident(&check_name);
                    if let Some(expr) = &proof {
                        // The rows are proved by a validated check first, so the attach
                        // does not scan them under ACCESS EXCLUSIVE.
                        out.post.push(render::plain(
                            format!("ALTER TABLE {name} ADD CONSTRAINT {check} CHECK ({expr}) NOT VALID;"),
                            ae,
                            format!("check that the rows of {} fit the bound (NOT VALID)", a.name),
                            &[],
                        ));
                        out.post.push(render::validate(
                            &y.name,
                            &check_name,
                            format!("validate that the rows of {} fit the bound", a.name),
                        ));
                    }
                    let mut hazards = vec![Hazard::MayFail];
                    if proof.is_none() {
                        hazards.extend([Hazard::ValidatesRows, Hazard::LongLock]);
                    } else if default_scanned {
                        hazards.push(Hazard::LongLock);
                    }
                    out.post.push(render::with_reverse(
                        render::plain(
                            format!(
                                "ALTER TABLE {} ATTACH PARTITION {name} {};",
                                of.parent.quoted(),
                                of.bound.trim()
                            ),
                            // SHARE UPDATE EXCLUSIVE on the parent, ACCESS EXCLUSIVE on the
                            // table attached (and a default partition), while rows are checked
                            // against the bound unless a validated check proves them.
                            ae,
                            format!("attach partition {} to {}", a.name, of.parent.name),
                            &hazards,
                        ),
                        Some(format!(
                            "ALTER TABLE {} DETACH PARTITION {name};",
                            of.parent.quoted()
                        )),
                    ));
                    if proof.is_some() {
                        out.post.push(render::plain(
                            format!("ALTER TABLE {name} DROP CONSTRAINT {check};"),
                            ae,
                            format!("drop the check that proved the rows of {}", a.name),
                            &[],
                        ));
                    }
                }
            }
            for parent in x.inherits.iter().filter(|p| !y.inherits.contains(p)) {
                out.what.push("no inherit".into());
                out.pre.push(render::with_reverse(
                    render::plain(
                        format!("ALTER TABLE {name} NO INHERIT {};", parent.quoted()),
                        ae,
                        format!("table {} no longer inherits from {}", a.name, parent),
                        &[Hazard::BreaksClients],
                    ),
                    Some(format!("ALTER TABLE {name} INHERIT {};", parent.quoted())),
                ));
            }
            for parent in y.inherits.iter().filter(|p| !x.inherits.contains(p)) {
                out.what.push("inherit".into());
                // The table must have the parent's columns already: they stay declared by
                // the table too (PostgreSQL merges them), and the parent's checks are added.
                out.post.push(render::with_reverse(
                    render::plain(
                        format!("ALTER TABLE {name} INHERIT {};", parent.quoted()),
                        ae,
                        format!("table {} inherits from {}", a.name, parent),
                        &[Hazard::MayFail],
                    ),
                    Some(format!(
                        "ALTER TABLE {name} NO INHERIT {};",
                        parent.quoted()
                    )),
                ));
            }
            if x.rls_enabled != y.rls_enabled {
                out.what.push("rls".into());
                let (word, undo) = if y.rls_enabled {
                    ("ENABLE", "DISABLE")
                } else {
                    ("DISABLE", "ENABLE")
                };
                let s = render::with_reverse(
                    render::plain(
                        format!("ALTER TABLE {name} {word} ROW LEVEL SECURITY;"),
                        ae,
                        format!("{} row-level security on {}", word.to_lowercase(), a.name),
                        if y.rls_enabled {
                            &[Hazard::BreaksClients]
                        } else {
                            &[]
                        },
                    ),
                    Some(format!("ALTER TABLE {name} {undo} ROW LEVEL SECURITY;")),
                );
                if y.rls_enabled {
                    out.post.push(s);
                } else {
                    out.pre.push(s);
                }
            }
            if !crate::catalog::same_options(&x.options, &y.options) {
                out.what.push("storage parameters".into());
                out.mid.push(options_step(
                    &format!("ALTER TABLE {name}"),
                    &x.options,
                    &y.options,
                    format!("storage parameters of table {}", a.name),
                ));
            }
            if x.rls_forced != y.rls_forced {
                out.what.push("rls forced".into());
                let (word, undo) = if y.rls_forced {
                    ("FORCE", "NO FORCE")
                } else {
                    ("NO FORCE", "FORCE")
                };
                out.post.push(render::with_reverse(
                    render::plain(
                        format!("ALTER TABLE {name} {word} ROW LEVEL SECURITY;"),
                        ae,
                        format!("{} row-level security on {}", word.to_lowercase(), a.name),
                        &[],
                    ),
                    Some(format!("ALTER TABLE {name} {undo} ROW LEVEL SECURITY;")),
                ));
            }
        }
        (Data::Enum(x), Data::Enum(y)) => {
            if is_subsequence(&x.values, &y.values) {
                out.what.push("values".into());
                let mut present: Vec<&String> = x.values.iter().collect();
                for (i, v) in y.values.iter().enumerate() {
                    if present.contains(&v) {
                        continue;
                    }
                    // Place it before the next value that exists, else after the previous.
                    let next = y.values[i + 1..].iter().find(|n| present.contains(n));
                    let place = match (next, i.checked_sub(1).map(|p| &y.values[p])) {
                        (Some(n), _) => format!(" BEFORE {}", quote_literal(n)),
                        (None, Some(p)) => format!(" AFTER {}", quote_literal(p)),
                        (None, None) => String::new(),
                    };
                    present.push(v);
                    out.post.push(render::non_tx(render::plain(
                        format!(
                            "ALTER TYPE {} ADD VALUE {}{place};",
                            y.name.quoted(),
                            quote_literal(v)
                        ),
                        LockLevel::None,
                        format!("add value {v} to enum {}", b.name),
                        &[],
                    )));
                }
            } else {
                out.what.push("values (type swap)".into());
                out.mid.push(enum_swap(x, y, from, to, partitions));
            }
        }
        (Data::Domain(x), Data::Domain(y)) => {
            let name = y.name.quoted();
            if x.default != y.default {
                out.what.push("default".into());
                out.mid.push(render::plain(
                    match &y.default {
                        Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {};", d.trim()),
                        None => format!("ALTER DOMAIN {name} DROP DEFAULT;"),
                    },
                    LockLevel::None,
                    format!("default of domain {}", b.name),
                    &[],
                ));
            }
            if x.not_null != y.not_null {
                out.what.push("not null".into());
                let word = if y.not_null { "SET" } else { "DROP" };
                out.mid.push(render::plain(
                    format!("ALTER DOMAIN {name} {word} NOT NULL;"),
                    // SET scans every table using the domain under SHARE.
                    if y.not_null {
                        LockLevel::Share
                    } else {
                        LockLevel::None
                    },
                    format!("{} not null on domain {}", word.to_lowercase(), b.name),
                    if y.not_null {
                        &[Hazard::ValidatesRows, Hazard::LongLock, Hazard::MayFail]
                    } else {
                        &[]
                    },
                ));
            }
            for c in &x.checks {
                if !y.checks.contains(c) {
                    out.what.push("checks".into());
                    out.pre.push(render::plain(
                        format!(
                            "ALTER DOMAIN {name} DROP CONSTRAINT {};",
                            quote_ident(&c.name)
                        ),
                        LockLevel::None,
                        format!("drop check {} of domain {}", c.name, b.name),
                        &[],
                    ));
                }
            }
            for c in &y.checks {
                if !x.checks.contains(c) {
                    out.what.push("checks".into());
                    out.post.push(render::plain(
                        format!(
                            "ALTER DOMAIN {name} ADD {} NOT VALID;",
                            strata_sql::render_check_clause(c)
                        ),
                        LockLevel::None,
                        format!("add check {} to domain {} (NOT VALID)", c.name, b.name),
                        &[],
                    ));
                    out.post.push(render::non_tx(render::plain(
                        format!(
                            "ALTER DOMAIN {name} VALIDATE CONSTRAINT {};",
                            quote_ident(&c.name)
                        ),
                        // Every table using the domain, while its rows are checked.
                        LockLevel::Share,
                        format!("validate check {} of domain {}", c.name, b.name),
                        &[Hazard::ValidatesRows, Hazard::LongLock, Hazard::MayFail],
                    )));
                }
            }
            out.what.dedup();
        }
        (Data::Sequence(x), Data::Sequence(y)) => {
            out.what.push("options".into());
            let create = strata_sql::render_sequence(y);
            let opts_sql = create
                .split_once(&y.name.quoted())
                .map(|(_, rest)| rest.trim().trim_end_matches(';').to_string())
                .unwrap_or_default();
            let undo = strata_sql::render_sequence(x);
            let undo_opts = undo
                .split_once(&x.name.quoted())
                .map(|(_, rest)| rest.trim().trim_end_matches(';').to_string())
                .unwrap_or_default();
            out.mid.push(render::with_reverse(
                render::plain(
                    format!(
                        "{}ALTER SEQUENCE {} {opts_sql};",
                        render::sequence_into_bounds(x, y),
                        y.name.quoted()
                    ),
                    // Blocks `nextval` (inserts using the sequence) for a moment.
                    LockLevel::ShareRowExclusive,
                    format!("options of sequence {}", b.name),
                    // A lowered maximum may leave no value to hand out: inserts then fail.
                    if y.max_value
                        .is_some_and(|m| x.max_value.is_none_or(|o| o > m))
                    {
                        &[Hazard::BreaksClients]
                    } else {
                        &[]
                    },
                ),
                Some(format!(
                    "{}ALTER SEQUENCE {} {undo_opts};",
                    render::sequence_into_bounds(y, x),
                    x.name.quoted()
                )),
            ));
        }
        (Data::SeqOwner { .. }, Data::SeqOwner { .. }) => {
            out.what.push("owned by".into());
            let ctx = Ctx {
                model: to,
                owner_new: false,
                online: opts.online,
            };
            out.post = render::create_steps(b, &ctx, &[]);
        }
        (Data::Function(_), Data::Function(_)) => {
            out.what.push("body".into());
            let ctx = Ctx {
                model: to,
                owner_new: false,
                online: opts.online,
            };
            out.mid = render::create_steps(b, &ctx, &[]);
            for s in &mut out.mid {
                s.reverse = None;
                s.description = format!("replace function {}", b.name);
            }
        }
        (Data::Schema(_), Data::Schema(y)) => {
            out.what.push("owner".into());
            if let Some(owner) = &y.owner {
                out.mid.push(render::plain(
                    format!(
                        "ALTER SCHEMA {} OWNER TO {};",
                        quote_ident(&y.name),
                        strata_sql::render_role(owner)
                    ),
                    LockLevel::None,
                    format!("owner of schema {}", y.name),
                    &[],
                ));
            }
        }
        (Data::Extension(x), Data::Extension(y)) => {
            if x.version != y.version
                && let Some(v) = &y.version
            {
                out.what.push("version".into());
                out.mid.push(render::plain(
                    format!(
                        "ALTER EXTENSION {} UPDATE TO {};",
                        quote_ident(&y.name),
                        quote_literal(v)
                    ),
                    LockLevel::None,
                    format!("update extension {}", y.name),
                    &[],
                ));
            }
            if x.schema != y.schema
                && let Some(s) = &y.schema
            {
                out.what.push("schema".into());
                out.mid.push(render::plain(
                    format!(
                        "ALTER EXTENSION {} SET SCHEMA {};",
                        quote_ident(&y.name),
                        quote_ident(s)
                    ),
                    LockLevel::None,
                    format!("move extension {}", y.name),
                    &[Hazard::BreaksClients],
                ));
            }
        }
        (Data::Grant(x), Data::Grant(y)) => {
            // Only the difference: privileges kept are never revoked, even for a moment.
            out.what.push("privileges".into());
            let only = |a: &[String], b: &[String]| -> Vec<String> {
                a.iter().filter(|p| !b.contains(p)).cloned().collect()
            };
            let removed = only(&x.privileges, &y.privileges);
            let added = only(&y.privileges, &x.privileges);
            if !removed.is_empty() {
                out.pre.extend(render::revoke_step(x, &removed, from));
            }
            if !added.is_empty() {
                out.post.extend(render::grant_step(y, &added, to));
            }
        }
        (
            Data::Index {
                table, index: x, ..
            },
            Data::Index { index: y, .. },
        ) => {
            out.what.push("storage parameters".into());
            // ALTER INDEX ... SET locks the index alone (SHARE UPDATE EXCLUSIVE), not its table.
            out.mid.push(options_step(
                &format!("ALTER INDEX {}", strata_sql::index_name(table, y).quoted()),
                &x.options,
                &y.options,
                format!("storage parameters of index {}", b.name),
            ));
        }
        (Data::View(x), Data::View(y)) => {
            out.what.push("options".into());
            let kind = if y.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            let mut s = options_step(
                &format!("ALTER {kind} {}", y.name.quoted()),
                &x.options,
                &y.options,
                format!("options of {} {}", kind.to_lowercase(), b.name),
            );
            if !y.materialized {
                // View options (security_barrier, check_option) take ACCESS EXCLUSIVE.
                s.lock = LockLevel::AccessExclusive;
                s.takes = LockLevel::AccessExclusive;
            }
            out.mid.push(s);
        }
        (Data::Check(t, x), Data::Check(..)) => {
            out.what.push("validated".into());
            out.post.push(render::validate(
                t,
                &x.name,
                format!("validate check constraint {}", b.name),
            ));
        }
        (Data::ForeignKey(t, x), Data::ForeignKey(..)) => {
            out.what.push("validated".into());
            out.post.push(render::validate(
                t,
                &x.name,
                format!("validate foreign key {}", b.name),
            ));
        }
        (Data::Comment { kind, target, .. }, Data::Comment { text, .. }) => {
            out.what.push("text".into());
            out.post
                .push(render::comment_step(kind, target, text, &b.name));
        }
        _ => {
            return Err(PlanError::Unsupported {
                object: b.name.clone(),
                reason: "no in-place change for this kind".into(),
            });
        }
    }
    Ok(out)
}

/// `ALTER ... SET (...)` / `RESET (...)` from `from`'s options to `to`'s: a catalog change
/// under SHARE UPDATE EXCLUSIVE, no rewrite (a new fillfactor applies to pages written from
/// then on).
fn options_step(target: &str, from: &[String], to: &[String], description: String) -> Step {
    render::with_reverse(
        render::plain(
            render::options_sql(target, from, to),
            LockLevel::ShareUpdateExclusive,
            description,
            &[],
        ),
        Some(render::options_sql(target, to, from)),
    )
}

/// Replaces an enum type whose values were removed or reordered: the old type is renamed,
/// the new one created, every column converted through text, and the old type dropped.
fn enum_swap(
    x: &strata_model::EnumType,
    y: &strata_model::EnumType,
    from: &Model,
    to: &Model,
    partitions: &BTreeSet<String>,
) -> Step {
    let mut old_name = format!("{}__strata_old", y.name.name);
    while old_name.len() > 63 {
        old_name.remove(0);
    }
    let old = QualifiedName::new(y.name.schema.clone(), old_name.clone());
    let mut sql = vec![
        format!(
            "ALTER TYPE {} RENAME TO {};",
            x.name.quoted(),
            quote_ident(&old_name)
        ),
        strata_sql::render_enum(y),
    ];
    let ty = strata_model::TypeRef::user(&y.name);
    for t in &to.tables {
        if partitions.contains(&crate::deps::rel_key(&t.name)) && t.partition_of.is_some() {
            continue;
        }
        let Some(ft) = from.table(&t.name) else {
            continue;
        };
        for c in &t.columns {
            let Some(fc) = ft.column(&c.name) else {
                continue;
            };
            let base = |r: &strata_model::TypeRef| r.schema == ty.schema && r.name == ty.name;
            if !base(&c.data_type) || !base(&fc.data_type) {
                continue;
            }
            let q = quote_ident(&c.name);
            let target = strata_sql::render_column_type(&c.data_type);
            let via = if c.data_type.array_dims > 0 {
                "text[]"
            } else {
                "text"
            };
            if fc.default.is_some() {
                sql.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {q} DROP DEFAULT;",
                    t.name.quoted()
                ));
            }
            sql.push(format!(
                "ALTER TABLE {} ALTER COLUMN {q} TYPE {target} USING {q}::{via}::{target};",
                t.name.quoted()
            ));
            if let Some(d) = &c.default {
                sql.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {q} SET DEFAULT {};",
                    t.name.quoted(),
                    d.trim()
                ));
            }
        }
    }
    sql.push(format!("DROP TYPE {};", old.quoted()));
    let removed: Vec<&String> = x.values.iter().filter(|v| !y.values.contains(v)).collect();
    let mut hazards = vec![
        Hazard::RewritesTable,
        Hazard::LongLock,
        Hazard::BreaksClients,
    ];
    if !removed.is_empty() {
        hazards.push(Hazard::MayFail);
        hazards.push(Hazard::DeletesData);
    }
    render::plain(
        sql.join("\n"),
        LockLevel::AccessExclusive,
        format!(
            "replace enum {} ({})",
            crate::deps::qn(&y.name),
            if removed.is_empty() {
                "values reordered".to_string()
            } else {
                format!(
                    "values removed: {}",
                    removed
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
        &hazards,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_model::{EnumType, Grant};

    #[test]
    fn cycle_members_are_named_as_users_write_them() {
        let mut model = Model::default();
        model.enums.push(EnumType {
            name: QualifiedName::new("public", "st"),
            values: vec!["a".into()],
            comment: None,
        });
        model.grants.push(Grant {
            object_kind: "TABLE".into(),
            object: QualifiedName::new("public", "tasks"),
            privileges: vec!["select".into(), "INSERT".into()],
            grantee: "app".into(),
            with_grant_option: false,
        });
        let cat = catalog::build(&model);
        let node = |key: &str, stage: Stage| Node {
            key: key.to_string(),
            stage,
            steps: Vec::new(),
            change: None,
        };
        assert_eq!(
            describe(&node("type:public.st", Stage::Mid), &cat, &cat),
            "change type public.st"
        );
        assert_eq!(
            describe(
                &node("grant:TABLE:public.tasks:app", Stage::Create),
                &cat,
                &cat
            ),
            "create grant SELECT, INSERT on table public.tasks to app"
        );
    }
}
