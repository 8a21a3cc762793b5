//! Designs that look safe and must be: each built, applied to a real server and exercised.

mod common;

use common::*;

fn design(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("schema.strata"), text).expect("write");
    let sql = build(dir.path());
    (dir, sql)
}

#[test]
fn an_optional_field_of_a_domain_type_takes_null() {
    let (_dir, sql) = design(
        "domain code3 text check `char_length(VALUE) = 3`
         entity Country {
           c code3?
           d code3
         }",
    );
    let mut db = fresh_db_with(&sql);
    db.execute("INSERT INTO countries (c, d) VALUES (NULL, 'abc')", &[])
        .expect("NULL in the optional column");
    assert!(
        db.execute("INSERT INTO countries (c, d) VALUES ('abc', NULL)", &[])
            .is_err(),
        "the required column refuses NULL"
    );
    assert!(
        db.execute("INSERT INTO countries (c, d) VALUES ('ab', 'abc')", &[])
            .is_err(),
        "the domain's check still holds"
    );
}

#[test]
fn now_and_today_as_text_are_refused_and_now_is_evaluated_per_row() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("schema.strata"),
        "entity Event {\n  at timestamptz = \"now\"\n}\n",
    )
    .expect("write");
    let out = strata()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("run strata check");
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("E3015") && text.contains("now()"), "{text}");

    let (_dir, sql) =
        design("entity Event {\n  at timestamptz = now()\n  day date = current_date\n}\n");
    let mut db = fresh_db_with(&sql);
    let default: String = db
        .query_one(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a
               ON a.attrelid = d.adrelid AND a.attnum = d.adnum
             WHERE d.adrelid = 'events'::regclass AND a.attname = 'at'",
            &[],
        )
        .expect("default")
        .get(0);
    assert_eq!(default, "now()");
}

#[test]
fn a_required_cycle_is_refused_and_a_deferrable_one_takes_rows() {
    let cycle = "entity Department {\n  name text\n  manager -> Employee on delete restrict{}\n}\n\n\
                 entity Employee {\n  name text\n  department -> Department on delete restrict\n}\n";
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("schema.strata"), cycle.replace("{}", "")).expect("write");
    let out = strata()
        .arg("check")
        .arg(dir.path())
        .output()
        .expect("run strata check");
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("E3016"), "{text}");

    let (_dir, sql) = design(&cycle.replace("{}", " deferrable"));
    let mut db = fresh_db_with(&sql);
    db.batch_execute(
        "BEGIN;
         SET CONSTRAINTS ALL DEFERRED;
         INSERT INTO departments (id, name, manager_id)
           VALUES ('00000000-0000-4000-8000-000000000001', 'D', '00000000-0000-4000-8000-000000000002');
         INSERT INTO employees (id, name, department_id)
           VALUES ('00000000-0000-4000-8000-000000000002', 'E', '00000000-0000-4000-8000-000000000001');
         COMMIT;",
    )
    .expect("both rows in one transaction");
}
