//! What a plan may remove: the ownership rule.
//!
//! Strata manages the objects of the design and the grants the design declares. A grant in
//! the source that the target does not declare (a role's privileges given by hand, by a
//! platform, by another tool) is not Strata's to revoke; neither is a migration tool's
//! bookkeeping table. Both are carried into the target before planning, so the plan keeps
//! them, and listed as left alone. [`crate::PlanOptions::prune`] revokes such grants; the
//! bookkeeping tables are never dropped.
//!
//! Objects of the kinds a design describes (tables, columns, indexes, constraints, enums,
//! functions, ...) that the target lacks are still dropped: in a design-first workflow a
//! table missing from the design has been removed from it.

use serde::{Deserialize, Serialize};
use strata_model::{Grant, Model, QualifiedName};

/// Whether `name` is a table a migration tool keeps its history in (by name alone: a plan
/// never drops one, whatever its shape).
pub fn is_bookkeeping(name: &str) -> bool {
    strata_model::filter::BOOKKEEPING
        .iter()
        .any(|b| b.table == name)
}

/// Something in the source that the plan leaves alone although the target lacks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeftAlone {
    /// Privileges the target does not declare. `prune` revokes them.
    Grant {
        /// As a user writes it: `SELECT, INSERT on table public.tasks to app`.
        grant: String,
        grantee: String,
        privileges: Vec<String>,
    },
    /// A migration tool's bookkeeping table, never dropped.
    BookkeepingTable { table: String },
}

impl std::fmt::Display for LeftAlone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeftAlone::Grant { grant, .. } => write!(f, "grant {grant} (not in the design)"),
            LeftAlone::BookkeepingTable { table } => {
                write!(f, "table {table} (a migration tool's bookkeeping)")
            }
        }
    }
}

/// Privileges in PostgreSQL's order, so a kept grant compares equal to the one introspected
/// after it is applied.
const ORDER: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
    "USAGE",
    "CREATE",
    "EXECUTE",
    "MAINTAIN",
];

pub(crate) fn sort_privileges(privileges: &mut Vec<String>) {
    for p in privileges.iter_mut() {
        *p = p.split_whitespace().collect::<Vec<_>>().join(" ");
        p.make_ascii_uppercase();
    }
    privileges.sort_by_key(|p| {
        (
            ORDER.iter().position(|o| o == p).unwrap_or(ORDER.len()),
            p.clone(),
        )
    });
    privileges.dedup();
}

/// A grant as a user writes it: `SELECT, INSERT on table public.tasks to app`.
pub(crate) fn grant_text(g: &Grant) -> String {
    let kind = g.object_kind.trim().to_ascii_lowercase();
    let object = if g.object.schema.is_empty() {
        g.object.name.clone()
    } else if g.object.name.is_empty() {
        g.object.schema.clone()
    } else {
        format!("{}.{}", g.object.schema, g.object.name)
    };
    format!(
        "{} on {kind} {object} to {}",
        g.privileges.join(", "),
        g.grantee
    )
}

fn same_target(a: &Grant, b: &Grant) -> bool {
    a.object_kind
        .trim()
        .eq_ignore_ascii_case(b.object_kind.trim())
        && a.object == b.object
        && a.grantee == b.grantee
}

/// Whether the object a grant is on exists in `to` (or is one no model holds, like schema
/// `public`): a grant on a dropped object goes with it.
fn target_exists(g: &Grant, from: &Model, to: &Model) -> bool {
    let o = &g.object;
    match g.object_kind.trim().to_ascii_uppercase().as_str() {
        "TABLE" | "VIEW" | "MATERIALIZED VIEW" | "FOREIGN TABLE" => {
            to.table(o).is_some()
                || to.views.iter().any(|v| &v.name == o)
                || to.verbatim.iter().any(|v| {
                    v.kind == "foreign table" && v.name == format!("{}.{}", o.schema, o.name)
                })
        }
        "SEQUENCE" => to.sequences.iter().any(|s| &s.name == o),
        "TYPE" | "DOMAIN" => {
            to.enums.iter().any(|e| &e.name == o) || to.domains.iter().any(|d| &d.name == o)
        }
        "FUNCTION" | "PROCEDURE" | "ROUTINE" => to.functions.iter().any(|f| &f.name == o),
        "SCHEMA" => {
            let name = if o.name.is_empty() {
                &o.schema
            } else {
                &o.name
            };
            let modelled = |m: &Model| m.schemas.iter().any(|s| &s.name == name);
            modelled(to) || !modelled(from)
        }
        _ => true,
    }
}

/// `to` with what the plan must leave alone carried over from `from` (already renamed), and
/// the list of it.
pub(crate) fn keep(from: &Model, to: &Model, prune: bool) -> (Model, Vec<LeftAlone>) {
    let mut out = to.clone();
    let mut left = Vec::new();
    for t in &from.tables {
        if !is_bookkeeping(&t.name.name) || to.table(&t.name).is_some() {
            continue;
        }
        out.tables.push(t.clone());
        // Its schema stays too (`drizzle` for `__drizzle_migrations`): it is not empty.
        if let Some(schema) = from.schemas.iter().find(|x| x.name == t.name.schema)
            && !out.schemas.iter().any(|x| x.name == schema.name)
        {
            out.schemas.push(schema.clone());
        }
        for s in &from.sequences {
            let owned = s
                .owned_by
                .as_ref()
                .is_some_and(|(table, _)| table == &t.name);
            if owned && !out.sequences.iter().any(|x| x.name == s.name) {
                out.sequences.push(s.clone());
            }
        }
        left.push(LeftAlone::BookkeepingTable {
            table: format!("{}.{}", t.name.schema, t.name.name),
        });
    }
    let bookkeeping = |o: &QualifiedName| is_bookkeeping(&o.name) && to.table(o).is_none();
    for g in &from.grants {
        if !target_exists(g, from, &out) {
            continue;
        }
        let declared = out.grants.iter_mut().find(|x| same_target(x, g));
        let missing: Vec<String> = match &declared {
            Some(d) => g
                .privileges
                .iter()
                .filter(|p| !d.privileges.iter().any(|q| q.eq_ignore_ascii_case(p)))
                .cloned()
                .collect(),
            None => g.privileges.clone(),
        };
        let option_dropped =
            g.with_grant_option && declared.as_ref().is_some_and(|d| !d.with_grant_option);
        if missing.is_empty() && !option_dropped {
            continue;
        }
        let keep_it = !prune || bookkeeping(&g.object);
        if !keep_it {
            continue;
        }
        match declared {
            Some(d) => {
                d.privileges.extend(missing.iter().cloned());
                sort_privileges(&mut d.privileges);
                d.with_grant_option |= g.with_grant_option;
            }
            None => out.grants.push(g.clone()),
        }
        if bookkeeping(&g.object) {
            continue;
        }
        let shown = Grant {
            privileges: if missing.is_empty() {
                g.privileges.clone()
            } else {
                missing.clone()
            },
            ..g.clone()
        };
        left.push(LeftAlone::Grant {
            grant: grant_text(&shown),
            grantee: g.grantee.clone(),
            privileges: shown.privileges.clone(),
        });
    }
    // Privileges carried as SQL (column privileges, routines named by signature, revoked
    // defaults) follow the same rule: what the target does not declare is left alone.
    if !prune {
        for v in &from.verbatim {
            if !matches!(v.kind.as_str(), "grant" | "revoked default")
                || out
                    .verbatim
                    .iter()
                    .any(|x| x.kind == v.kind && x.name == v.name)
                || !verbatim_target_exists(v, &out)
            {
                continue;
            }
            out.verbatim.push(v.clone());
            let (privilege, rest) = v.name.split_once(" on ").unwrap_or((&v.name, ""));
            let grantee = rest
                .rsplit_once(if v.kind == "grant" { " to " } else { " from " })
                .map_or("", |(_, g)| g);
            left.push(LeftAlone::Grant {
                grant: if v.kind == "grant" {
                    v.name.clone()
                } else {
                    format!("{} (revoked)", v.name)
                },
                grantee: grantee.to_string(),
                privileges: vec![privilege.to_string()],
            });
        }
    }
    (out, left)
}

/// Whether what a privilege carried as SQL is on exists in `to`: its table (a column
/// privilege), or a routine of its name.
fn verbatim_target_exists(v: &strata_model::VerbatimObject, to: &Model) -> bool {
    if let Some(t) = &v.on {
        return to.table(t).is_some() || to.views.iter().any(|x| &x.name == t);
    }
    let object = v.name.split_once(" on ").map_or("", |(_, rest)| rest);
    let bare = object.split('(').next().unwrap_or(object);
    match bare.split_once('.') {
        Some((schema, name)) if object.contains('(') => {
            let name = QualifiedName::new(schema, name);
            to.functions.iter().any(|f| f.name == name)
                || to.verbatim.iter().any(|x| {
                    matches!(x.kind.as_str(), "function" | "procedure")
                        && x.name.split('(').next() == Some(bare)
                })
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_model::{Schema, Table};

    fn schema(name: &str) -> Schema {
        Schema {
            name: name.into(),
            comment: None,
            owner: None,
        }
    }

    #[test]
    fn a_bookkeeping_table_keeps_its_schema_and_grants_follow_the_rule() {
        let mut from = Model::default();
        from.schemas.push(schema("drizzle"));
        from.schemas.push(schema("old"));
        from.tables.push(Table::new(QualifiedName::new(
            "drizzle",
            "__drizzle_migrations",
        )));
        from.tables
            .push(Table::new(QualifiedName::new("public", "tasks")));
        from.grants.push(Grant {
            object_kind: "TABLE".into(),
            object: QualifiedName::new("public", "tasks"),
            privileges: vec!["SELECT".into(), "DELETE".into()],
            grantee: "app".into(),
            with_grant_option: false,
        });
        let mut to = Model::default();
        to.tables
            .push(Table::new(QualifiedName::new("public", "tasks")));
        to.grants.push(Grant {
            privileges: vec!["SELECT".into()],
            ..from.grants[0].clone()
        });

        let (kept, left) = keep(&from, &to, false);
        assert!(
            kept.table(&QualifiedName::new("drizzle", "__drizzle_migrations"))
                .is_some()
        );
        let schemas: Vec<&str> = kept.schemas.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(schemas, ["drizzle"], "the other schema goes");
        assert_eq!(kept.grants.len(), 1);
        assert_eq!(kept.grants[0].privileges, ["SELECT", "DELETE"]);
        assert_eq!(
            left.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
            [
                "table drizzle.__drizzle_migrations (a migration tool's bookkeeping)",
                "grant DELETE on table public.tasks to app (not in the design)",
            ]
        );

        let (pruned, left) = keep(&from, &to, true);
        assert_eq!(pruned.grants[0].privileges, ["SELECT"]);
        assert!(
            pruned
                .table(&QualifiedName::new("drizzle", "__drizzle_migrations"))
                .is_some()
        );
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn privileges_carried_as_sql_are_left_alone_unless_pruned() {
        let grant = strata_model::VerbatimObject {
            kind: "grant".into(),
            name: "SELECT on public.tasks.title to app".into(),
            stage: strata_model::VerbatimStage::Last,
            sql: "GRANT SELECT (title) ON TABLE public.tasks TO app;".into(),
            drop: "REVOKE SELECT (title) ON TABLE public.tasks FROM app;".into(),
            on: Some(QualifiedName::new("public", "tasks")),
        };
        let mut from = Model::default();
        from.tables
            .push(Table::new(QualifiedName::new("public", "tasks")));
        from.verbatim.push(grant.clone());
        let mut to = Model::default();
        to.tables
            .push(Table::new(QualifiedName::new("public", "tasks")));

        let (kept, left) = keep(&from, &to, false);
        assert_eq!(kept.verbatim, std::slice::from_ref(&grant));
        assert_eq!(
            left.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
            ["grant SELECT on public.tasks.title to app (not in the design)"]
        );
        let (pruned, left) = keep(&from, &to, true);
        assert!(pruned.verbatim.is_empty());
        assert!(left.is_empty());
        // On a table the target drops, it goes with the table.
        let (kept, _) = keep(&from, &Model::default(), false);
        assert!(kept.verbatim.is_empty());
    }
}
