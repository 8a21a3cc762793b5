//! Random small schema pairs: plan → apply on a real server → the next plan is empty.

use proptest::prelude::*;
use strata_diff::{PlanOptions, plan};

#[derive(Debug, Clone)]
struct Col {
    ty: &'static str,
    nullable: bool,
    default: bool,
    indexed: bool,
}

fn col() -> impl Strategy<Value = Col> {
    (
        prop::sample::select(vec!["integer", "bigint", "text", "varchar(20)", "numeric"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(ty, nullable, default, indexed)| Col {
            ty,
            nullable,
            default,
            indexed,
        })
}

/// Up to 3 tables of up to 4 optional columns each.
fn schema() -> impl Strategy<Value = Vec<Option<Vec<Option<Col>>>>> {
    prop::collection::vec(
        prop::option::of(prop::collection::vec(prop::option::of(col()), 4)),
        3,
    )
}

fn sql(tables: &[Option<Vec<Option<Col>>>]) -> String {
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        let Some(cols) = t else { continue };
        let mut defs = vec!["id int PRIMARY KEY".to_string()];
        let mut idx = Vec::new();
        for (j, c) in cols.iter().enumerate() {
            let Some(c) = c else { continue };
            let mut d = format!("c{j} {}", c.ty);
            if c.default {
                d.push_str(if c.ty.contains("char") || c.ty == "text" {
                    " DEFAULT 'x'"
                } else {
                    " DEFAULT 1"
                });
            }
            if !c.nullable {
                d.push_str(" NOT NULL");
            }
            defs.push(d);
            if c.indexed {
                idx.push(format!("CREATE INDEX t{i}_c{j}_idx ON t{i} (c{j});"));
            }
        }
        out.push_str(&format!("CREATE TABLE t{i} ({});\n", defs.join(", ")));
        for s in idx {
            out.push_str(&s);
            out.push('\n');
        }
    }
    out
}

fn model_of(sql: &str) -> (String, strata_model::Model) {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("db");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut client, sql).expect("apply");
    let m = strata_pg::introspect(&mut client, &Default::default())
        .expect("introspect")
        .model;
    (db, m)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    #[test]
    fn plan_apply_then_plan_is_empty(a in schema(), b in schema()) {
        let (db, from) = model_of(&sql(&a));
        let (_, to) = model_of(&sql(&b));
        let p = plan(&from, &to, &PlanOptions { online: false, lock_timeout: None, prune: false })
            .expect("plan");
        let cluster = strata_pg::shared_cluster().expect("cluster");
        let mut client = cluster.connect(&db).expect("connect");
        // Offline plans are transactional throughout: run the steps as one script.
        let script: String = p.steps.iter().map(|s| format!("{}\n", s.sql)).collect();
        strata_pg::apply_sql(&mut client, &script)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{script}")))?;
        let after = strata_pg::introspect(&mut client, &Default::default())
            .expect("introspect")
            .model;
        let again = plan(&after, &to, &PlanOptions::default()).expect("plan again");
        prop_assert!(again.is_empty(), "{}\nafter:\n{script}", again.up_sql());
    }
}
