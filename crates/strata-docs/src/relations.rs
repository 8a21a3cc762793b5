//! Foreign keys read as relationships: which side is optional, one-to-one or one-to-many,
//! identifying or not, and which tables are junctions of a many-to-many relation.

use strata_model::{ForeignKey, Model, QualifiedName, Table};

/// How many rows of one side relate to one row of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    ZeroOrOne,
    ExactlyOne,
    ZeroOrMore,
}

/// One foreign key, seen as a relationship between a child (referencing) and a parent
/// (referenced) table.
#[derive(Debug, Clone)]
pub struct Relation<'a> {
    pub child: &'a Table,
    /// `None` when the referenced table is not part of the model (an external table).
    pub parent: Option<&'a Table>,
    pub parent_name: &'a QualifiedName,
    pub fk: &'a ForeignKey,
    /// Parent rows per child row: exactly one, or zero-or-one when a key column is nullable.
    pub parent_cardinality: Cardinality,
    /// Child rows per parent row: zero-or-one when the key columns are unique in the child.
    pub child_cardinality: Cardinality,
    /// The key columns are part of the child's primary key (the child cannot exist alone).
    pub identifying: bool,
}

impl Relation<'_> {
    pub fn is_one_to_one(&self) -> bool {
        self.child_cardinality == Cardinality::ZeroOrOne
    }
}

/// Every foreign key of the model, in table order then key order.
pub fn relations(model: &Model) -> Vec<Relation<'_>> {
    let mut out = Vec::new();
    // A key that includes a unique key is unique: `(task_id, user_id)` when `task_id` is.
    fn contains_unique_key(t: &Table, cols: &[String]) -> bool {
        let within = |key: &[String]| !key.is_empty() && key.iter().all(|c| cols.contains(c));
        t.primary_key.as_ref().is_some_and(|pk| within(&pk.columns))
            || t.uniques.iter().any(|u| within(&u.columns))
            || t.indexes.iter().any(|i| {
                i.unique
                    && i.predicate.is_none()
                    && i.keys
                        .iter()
                        .all(|k| k.column_name().is_some_and(|c| cols.iter().any(|x| x == c)))
            })
    }
    for child in &model.tables {
        // A partition repeats its parent's keys; the parent's relation is the one to show.
        if child.partition_of.is_some() {
            continue;
        }
        for fk in foreign_keys(model, child) {
            let parent = model.table(&fk.ref_table);
            let optional = fk
                .columns
                .iter()
                .any(|c| child.column(c).is_none_or(|col| col.nullable));
            let unique = contains_unique_key(child, &fk.columns);
            let identifying = child
                .primary_key
                .as_ref()
                .is_some_and(|pk| fk.columns.iter().all(|c| pk.columns.contains(c)));
            out.push(Relation {
                child,
                parent,
                parent_name: &fk.ref_table,
                fk,
                parent_cardinality: if optional {
                    Cardinality::ZeroOrOne
                } else {
                    Cardinality::ExactlyOne
                },
                child_cardinality: if unique {
                    Cardinality::ZeroOrOne
                } else {
                    Cardinality::ZeroOrMore
                },
                identifying,
            });
        }
    }
    out
}

pub use strata_seed::plan::foreign_keys;

/// The two foreign keys of a junction table (the table of a many-to-many relation): the
/// design says so, or — for SQL sources — the primary key is exactly the columns of two
/// foreign keys to two tables.
pub fn junction_keys(table: &Table) -> Option<(&ForeignKey, &ForeignKey)> {
    if table.foreign_keys.len() != 2 {
        return None;
    }
    let (a, b) = (&table.foreign_keys[0], &table.foreign_keys[1]);
    if table.origin.junction_of.is_some() {
        return Some((a, b));
    }
    let pk = table.primary_key.as_ref()?;
    let mut fk_cols: Vec<&String> = a.columns.iter().chain(&b.columns).collect();
    fk_cols.sort();
    fk_cols.dedup();
    let mut pk_cols: Vec<&String> = pk.columns.iter().collect();
    pk_cols.sort();
    (fk_cols == pk_cols && a.ref_table != b.ref_table).then_some((a, b))
}

/// `users` for `public.users`, `sales.orders` otherwise: what people call a table.
pub fn display_name(name: &QualifiedName) -> String {
    if name.schema == "public" {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

pub use strata_seed::values::is_sensitive;

#[cfg(test)]
mod tests {
    use super::*;
    use strata_model::{Column, Deferrable, FkAction, FkMatch, PrimaryKey, TypeRef};

    fn fk(name: &str, col: &str, to: &str) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: vec![col.into()],
            ref_table: QualifiedName::public(to),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            match_type: FkMatch::Simple,
            deferrable: Deferrable::NotDeferrable,
            relation: None,
            inverse: None,
            why: None,
            not_valid: Default::default(),
            not_enforced: false,
            period: false,
        }
    }

    fn table(name: &str, cols: &[(&str, bool)]) -> Table {
        let mut t = Table::new(QualifiedName::public(name));
        for (c, nullable) in cols {
            let mut col = Column::new(*c, TypeRef::builtin("uuid"));
            col.nullable = *nullable;
            t.columns.push(col);
        }
        t.primary_key = Some(PrimaryKey {
            name: format!("{name}_pkey"),
            columns: vec![cols[0].0.into()],
            deferrable: Default::default(),
            without_overlaps: false,
        });
        t
    }

    #[test]
    fn cardinalities_follow_nullability_and_uniqueness() {
        let users = table("users", &[("id", false)]);
        let mut profiles = table("profiles", &[("id", false), ("user_id", false)]);
        profiles.foreign_keys.push(fk("p_fk", "user_id", "users"));
        profiles.uniques.push(strata_model::UniqueConstraint {
            name: "p_user_key".into(),
            columns: vec!["user_id".into()],
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
            why: None,
            without_overlaps: false,
        });
        let mut tasks = table("tasks", &[("id", false), ("user_id", true)]);
        tasks.foreign_keys.push(fk("t_fk", "user_id", "users"));
        let model = Model {
            tables: vec![users, profiles, tasks],
            ..Model::default()
        };
        let rels = relations(&model);
        assert_eq!(rels.len(), 2);
        assert_eq!(rels[0].child.name.name, "profiles");
        assert_eq!(rels[0].parent_cardinality, Cardinality::ExactlyOne);
        assert!(rels[0].is_one_to_one());
        assert!(!rels[0].identifying);
        assert_eq!(rels[1].parent_cardinality, Cardinality::ZeroOrOne);
        assert_eq!(rels[1].child_cardinality, Cardinality::ZeroOrMore);
    }

    #[test]
    fn junction_detected_from_primary_key() {
        let mut link = table("film_actor", &[("actor_id", false), ("film_id", false)]);
        link.primary_key = Some(PrimaryKey {
            name: "film_actor_pkey".into(),
            columns: vec!["actor_id".into(), "film_id".into()],
            deferrable: Default::default(),
            without_overlaps: false,
        });
        link.foreign_keys.push(fk("a", "actor_id", "actor"));
        link.foreign_keys.push(fk("f", "film_id", "film"));
        assert!(junction_keys(&link).is_some());
        link.primary_key = Some(PrimaryKey {
            name: "p".into(),
            columns: vec!["actor_id".into()],
            deferrable: Default::default(),
            without_overlaps: false,
        });
        assert!(junction_keys(&link).is_none());
    }
}
