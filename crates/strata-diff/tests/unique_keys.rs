//! A unique key replaced by another is never missing: the new one is built before the old
//! one goes, so a duplicate is refused at every point of the plan.
//!
//! The plan of pair 59 (unique constraints, unique indexes and primary keys replaced under
//! the same name and under another one, on tables with rows) runs on a real server one step
//! at a time, each transactional step in a transaction of its own (finer than `strata apply`,
//! which groups them, so any state another session could see is tried). Before the first
//! step, between any two and after the last, a copy of an existing row is inserted into each
//! table: PostgreSQL must refuse it as a unique violation. Both directions of the plan.

use std::path::{Path, PathBuf};

use strata_diff::{PlanOptions, Step, plan};
use strata_pg::postgres::Client;

fn pair() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs/59_unique_keys_replaced")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(pair().join(name)).expect("pair file")
}

/// A database holding `sql`, and a connection to it.
fn fresh_with(sql: &str) -> (String, Client) {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut client, sql).expect("apply");
    (db, client)
}

fn introspect(client: &mut Client) -> strata_model::Model {
    strata_pg::introspect(client, &Default::default())
        .expect("introspect")
        .model
}

/// The tables of the pair, each with a key whose columns a copy of a row repeats.
const TABLES: [&str; 4] = ["u", "v", "w", "x"];

/// Every table refuses a copy of one of its rows; what was accepted otherwise. Each insert
/// runs in a transaction rolled back afterwards, so an accepted copy leaves no trace.
fn duplicates_accepted(client: &mut Client, when: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in TABLES {
        let mut tx = client.transaction().expect("begin");
        match tx.execute(&format!("INSERT INTO {t} SELECT * FROM {t} LIMIT 1"), &[]) {
            Err(e) if e.code() == Some(&strata_pg::postgres::error::SqlState::UNIQUE_VIOLATION) => {
            }
            Err(e) => out.push(format!(
                "{when}: inserting a duplicate into {t} failed otherwise: {e}"
            )),
            Ok(1) => out.push(format!("{when}: a duplicate row was accepted by {t}")),
            Ok(n) => out.push(format!("{when}: {t} has no row to copy ({n} inserted)")),
        }
        tx.rollback().expect("rollback");
    }
    out
}

fn run_step_by_step(client: &mut Client, steps: &[Step], direction: &str) -> Vec<String> {
    let mut out = duplicates_accepted(client, &format!("{direction}: before the first step"));
    for s in steps {
        let sql = if s.transactional {
            format!("BEGIN;\n{}\nCOMMIT;", s.sql)
        } else {
            s.sql.clone()
        };
        if let Err(e) = client.batch_execute(&sql) {
            out.push(format!("{direction}: step `{}` failed: {e}", s.description));
            let _ = client.batch_execute("ROLLBACK");
            return out;
        }
        out.extend(duplicates_accepted(
            client,
            &format!("{direction}: after `{}`", s.description),
        ));
    }
    out
}

#[test]
fn a_replaced_unique_key_refuses_duplicates_at_every_step() {
    let (_, mut db) = fresh_with(&read("from.sql"));
    let (_, mut to_db) = fresh_with(&read("to.sql"));
    let from = introspect(&mut db);
    let to = introspect(&mut to_db);
    let p = plan(&from, &to, &PlanOptions::default()).expect("plan");
    db.batch_execute(&read("data.sql")).expect("data");

    let mut failures = run_step_by_step(&mut db, &p.steps, "up");
    failures.extend(run_step_by_step(&mut db, &p.down, "down"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
