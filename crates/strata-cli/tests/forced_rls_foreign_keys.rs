//! Foreign keys on tables with FORCE ROW LEVEL SECURITY, migrated by their owner without
//! superuser or BYPASSRLS (as on managed PostgreSQL).
//!
//! PostgreSQL checks a new foreign key's existing rows with a query that the owner's forced
//! policies filter: with the tenant setting unset the check sees no row and passes even when
//! rows violate the key, and with `row_security = off` (as migrations run) it fails instead.
//! Plans lift the owner's policies for the check inside the step's transaction, so new tables
//! get their keys, and a key added to existing rows is checked against every row.

mod common;

use std::path::Path;

const V1: &str = r#"
conventions { tenant_setting "app.org" }

entity Org {
  name text(50)
}

entity Tag {
  org  -> Org on delete cascade
  name text(50)
  tenant by org
}

entity Item {
  org    -> Org on delete cascade
  tag_id uuid?
  tenant by org
}
"#;

/// The same, with `tag_id` now a relation to `Tag`: a foreign key on an existing column.
const V2: &str = r#"
conventions { tenant_setting "app.org" }

entity Org {
  name text(50)
}

entity Tag {
  org  -> Org on delete cascade
  name text(50)
  tenant by org
}

entity Item {
  org -> Org on delete cascade
  tag -> Tag? on delete set null
  tenant by org
}
"#;

fn run(args: &[&str], dir: &Path) -> (bool, String) {
    let out = common::strata()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run strata");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout),
    )
}

#[test]
fn the_owner_adds_foreign_keys_to_forced_tables_and_every_row_is_checked() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = format!("forced_fk_{}", std::process::id());
    let owner = format!("{db}_owner");
    let mut admin = cluster.connect("postgres").expect("superuser");
    admin
        .batch_execute(&format!(
            "CREATE ROLE {owner} LOGIN NOSUPERUSER NOBYPASSRLS"
        ))
        .expect("owner");
    admin
        .batch_execute(&format!("CREATE DATABASE {db} OWNER {owner}"))
        .expect("database");
    let url = format!(
        "postgres://{owner}@{}:{}/{db}",
        cluster.host(),
        cluster.port()
    );

    let work = tempfile::tempdir().expect("tmp");
    let schema = work.path().join("schema.strata");
    std::fs::write(&schema, V1).expect("write v1");
    let (ok, out) = run(
        &["migrate", "new", "v1", "--schema", "schema.strata"],
        work.path(),
    );
    assert!(ok, "{out}");
    let (ok, out) = run(&["migrate", "apply", "--url", &url], work.path());
    assert!(
        ok,
        "the owner could not create tables whose foreign keys meet forced row-level security:\n{out}"
    );

    // One item points at a tag that does not exist.
    let mut as_owner = postgres::Client::connect(&url, postgres::NoTls).expect("owner");
    as_owner
        .batch_execute(
            "SET app.org = '00000000-0000-4000-8000-000000000001';
             INSERT INTO orgs (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'a');
             INSERT INTO tags (id, org_id, name)
               VALUES ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 't');
             INSERT INTO items (org_id, tag_id) VALUES
               ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1'),
               ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000ff');",
        )
        .expect("data");

    std::fs::write(&schema, V2).expect("write v2");
    let (_, out) = run(
        &[
            "migrate",
            "new",
            "tag_relation",
            "--schema",
            "schema.strata",
            "--allow-hazard",
            "all",
        ],
        work.path(),
    );
    let up = std::fs::read_dir(work.path().join("migrations"))
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .find(|p| p.to_string_lossy().ends_with("_tag_relation.up.sql"))
        .unwrap_or_else(|| panic!("no migration written:\n{out}"));
    let up = std::fs::read_to_string(up).expect("read");

    let (ok, out) = run(&["migrate", "apply", "--url", &url], work.path());
    assert!(
        !ok && out.contains("items_tag_id_fkey"),
        "a key that one row violates must not be added:\n{out}"
    );
    let forced: bool = admin_query_forced(cluster, &db);
    assert!(forced, "a failed migration leaves the tables forced");

    as_owner
        .batch_execute(
            "SET app.org = '00000000-0000-4000-8000-000000000001';
             UPDATE items SET tag_id = NULL WHERE tag_id = '00000000-0000-4000-8000-0000000000ff';",
        )
        .expect("fix the data");
    // The failed transaction was rolled back; the runner records how far it got.
    let (ok, out) = run(
        &["migrate", "resolve", "2", "--rolled-back", "--url", &url],
        work.path(),
    );
    assert!(ok, "{out}");
    let (ok, out) = run(&["migrate", "apply", "--url", &url], work.path());
    assert!(ok, "{out}");
    assert!(admin_query_forced(cluster, &db), "the tables stay forced");
    assert!(
        up.contains("NO FORCE ROW LEVEL SECURITY") && up.contains("lock: ACCESS EXCLUSIVE"),
        "the key is added with the policies lifted, and the step says what it locks:\n{up}"
    );
}

/// Whether every table with row-level security still has it forced.
fn admin_query_forced(cluster: &strata_pg::Cluster, db: &str) -> bool {
    let mut c = cluster.connect(db).expect("superuser");
    c.query_one(
        "SELECT bool_and(relforcerowsecurity) FROM pg_class WHERE relrowsecurity",
        &[],
    )
    .expect("forced")
    .get::<_, Option<bool>>(0)
    .unwrap_or(false)
}

/// A hand-written migration adds a foreign key to a forced table that a hidden row violates
/// (the owner's policies show none of the child's rows with the setting unset). The check must
/// not pass on the rows the policies show.
#[test]
fn a_hand_written_foreign_key_on_a_forced_table_fails_loudly() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = format!("forced_fk_hand_{}", std::process::id());
    let owner = format!("{db}_owner");
    let mut admin = cluster.connect("postgres").expect("superuser");
    admin
        .batch_execute(&format!(
            "CREATE ROLE {owner} LOGIN NOSUPERUSER NOBYPASSRLS"
        ))
        .expect("owner");
    admin
        .batch_execute(&format!("CREATE DATABASE {db} OWNER {owner}"))
        .expect("database");
    let url = format!(
        "postgres://{owner}@{}:{}/{db}",
        cluster.host(),
        cluster.port()
    );
    let mut as_owner = postgres::Client::connect(&url, postgres::NoTls).expect("owner");
    as_owner
        .batch_execute(
            "CREATE TABLE parents (id int PRIMARY KEY, t int NOT NULL);
             CREATE TABLE children (id int PRIMARY KEY, parent_id int, t int NOT NULL);
             INSERT INTO parents VALUES (1, 1);
             INSERT INTO children VALUES (1, 1, 1), (2, 99, 2);
             ALTER TABLE parents ENABLE ROW LEVEL SECURITY;
             ALTER TABLE parents FORCE ROW LEVEL SECURITY;
             ALTER TABLE children ENABLE ROW LEVEL SECURITY;
             ALTER TABLE children FORCE ROW LEVEL SECURITY;
             CREATE POLICY p ON parents USING (t = current_setting('app.t', true)::int);
             CREATE POLICY c ON children USING (t = current_setting('app.t', true)::int);",
        )
        .expect("tables");

    let work = tempfile::tempdir().expect("tmp");
    let dir = work.path().join("migrations");
    std::fs::create_dir(&dir).expect("dir");
    std::fs::write(
        dir.join("0001_children_parent_fkey.up.sql"),
        "ALTER TABLE children ADD CONSTRAINT children_parent_fkey\n    FOREIGN KEY (parent_id) REFERENCES parents (id);\n",
    )
    .expect("write");
    let (ok, out) = run(&["migrate", "hash"], work.path());
    assert!(ok, "{out}");
    let (ok, out) = run(&["migrate", "apply", "--url", &url], work.path());
    assert!(
        !ok,
        "a foreign key that a hidden row violates was added:\n{out}"
    );
    assert!(
        out.contains("NO FORCE ROW LEVEL SECURITY"),
        "the message says how to check every row:\n{out}"
    );
    let mut c = cluster.connect(&db).expect("superuser");
    let keys: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'children_parent_fkey'",
            &[],
        )
        .expect("constraints")
        .get(0);
    assert_eq!(keys, 0, "the failed migration left nothing");
}
