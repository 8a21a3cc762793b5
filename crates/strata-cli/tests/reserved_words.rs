//! Names that are SQL reserved words or need quoting survive design, rendering and the server.

mod common;

use common::*;

#[test]
fn reserved_and_odd_names_apply() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("schema.strata");
    std::fs::write(
        &file,
        r#"
enum order { select, from, "it's" }

entity Group {
  select text
  from   int
  user   text? map "User Name"
  order  order = select
  table  text?
  check  bool = true
}

entity User {
  group -> Group on delete cascade
  where text(10) map "; drop table x; --"
  access by_group """SELECT "select" FROM groups WHERE "from" = $1 ORDER BY "order" """
}
"#,
    )
    .expect("write schema");
    let sql = build(&file);
    let mut db = fresh_db_with("CREATE TABLE x (v int); INSERT INTO x VALUES (1);");
    strata_pg::apply_sql(&mut db, &sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let cols: Vec<String> = db
        .query(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attnum > 0 ORDER BY attnum",
            &[],
        )
        .expect("columns")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        cols.contains(&"; drop table x; --".to_string()),
        "hostile column name kept verbatim: {cols:?}"
    );
    let x: i32 = db
        .query_one("SELECT v FROM x", &[])
        .expect("table x survives")
        .get(0);
    assert_eq!(x, 1);
    let group_cols: Vec<String> = db
        .query("SELECT attname::text FROM pg_attribute WHERE attrelid = 'public.groups'::regclass AND attnum > 0 ORDER BY attnum", &[])
        .expect("columns")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for c in ["select", "from", "User Name", "order", "table", "check"] {
        assert!(
            group_cols.contains(&c.to_string()),
            "column {c} exists: {group_cols:?}"
        );
    }
    let values: Vec<String> = db
        .query("SELECT enumlabel::text FROM pg_enum WHERE enumtypid = 'public.\"order\"'::regtype ORDER BY enumsortorder", &[])
        .expect("enum")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(values, ["select", "from", "it's"]);
}
