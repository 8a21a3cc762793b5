//! A single-column foreign key on a column the plan adds to a table with rows is written into
//! the column's `ADD COLUMN`, and PostgreSQL then checks no row: the step claims no
//! validation, and the server's own count of the rows its transaction read says so.
//! The same key added as a table constraint, even in the same statement, scans the table
//! (the control, so that the count can tell).

use std::path::{Path, PathBuf};

use strata_diff::{Hazard, PlanOptions, plan};
use strata_pg::postgres::Client;

fn pair() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs/61_foreign_key_on_new_column")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(pair().join(name)).expect("pair file")
}

/// A database holding `sql`: its name and a connection.
fn fresh_with(sql: &str) -> (String, Client) {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut client, sql).expect("apply");
    (db, client)
}

/// Rows of `t` read by sequential scans while `sql` runs, in a session and transaction of its
/// own (rolled back; the counts of a session's earlier transactions may not be flushed yet).
/// `ADD COLUMN` itself counts a scan that reads no row, so rows are counted, not scans.
fn rows_read_of_t(db: &str, sql: &str) -> i64 {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let mut c = cluster.connect(db).expect("connect");
    c.batch_execute("BEGIN").expect("begin");
    c.batch_execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let n = c
        .query_one(
            "SELECT pg_stat_get_xact_tuples_returned('public.t'::regclass)",
            &[],
        )
        .expect("rows read")
        .get(0);
    c.batch_execute("ROLLBACK").expect("rollback");
    n
}

#[test]
fn a_key_added_with_its_column_checks_no_row() {
    let (name, mut db) = fresh_with(&read("from.sql"));
    let (_, mut target) = fresh_with(&read("to.sql"));
    let from = strata_pg::introspect(&mut db, &Default::default())
        .expect("introspect")
        .model;
    let to = strata_pg::introspect(&mut target, &Default::default())
        .expect("introspect")
        .model;
    let p = plan(&from, &to, &PlanOptions::default()).expect("plan");
    db.batch_execute(&read("data.sql")).expect("data");

    // The control: a key on a new column, as a table constraint, reads every row.
    let control = rows_read_of_t(
        &name,
        "ALTER TABLE t ADD COLUMN x integer, ADD CONSTRAINT t_x_fkey FOREIGN KEY (x) REFERENCES p (id)",
    );
    assert_eq!(control, 5000, "the control reads every row of t");

    let with_column: Vec<_> = p
        .steps
        .iter()
        .filter(|s| s.description.contains("with its foreign key"))
        .collect();
    assert_eq!(with_column.len(), 2, "p_id and s_id take their keys inline");
    for s in with_column {
        assert!(
            !s.hazards.contains(&Hazard::ValidatesRows) && !s.hazards.contains(&Hazard::MayFail),
            "{}: {:?}",
            s.description,
            s.hazards
        );
        assert_eq!(
            rows_read_of_t(&name, &s.sql),
            0,
            "{} read rows of t:\n{}",
            s.description,
            s.sql
        );
    }
    // The keys that cannot go inline still check their rows.
    for key in ["t_q_id_fkey", "t_r_id_fkey"] {
        assert!(
            p.steps
                .iter()
                .any(|s| s.description == format!("validate foreign key public.t.{key}")),
            "{key} is validated"
        );
    }
}
