//! Data migrations under forced row-level security, run by `strata migrate apply` as a
//! non-superuser owner (the usual setup on managed PostgreSQL): a read that row-level security
//! would filter must fail the migration, never copy fewer rows.

mod common;

use std::path::Path;
use std::process::Output;

use common::strata;

struct Db {
    /// As the non-superuser owner.
    owner_url: String,
    /// As the superuser, for checks.
    admin: postgres::Client,
}

/// A database owned by a fresh LOGIN role without superuser or BYPASSRLS, with a tenant
/// table under FORCE ROW LEVEL SECURITY holding rows of two tenants.
fn owned_db() -> Db {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let name = cluster.create_database().expect("create database");
    let role = format!("{name}_owner");
    let mut admin = cluster.connect(&name).expect("connect");
    admin
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
             ALTER DATABASE \"{name}\" OWNER TO \"{role}\";
             ALTER SCHEMA public OWNER TO \"{role}\";"
        ))
        .expect("owner role");
    let owner_url = cluster
        .url(&name)
        .replacen("postgres@", &format!("{role}@"), 1);
    Db { owner_url, admin }
}

fn migrate(dir: &Path, url: &str, args: &[&str]) -> Output {
    strata()
        .arg("migrate")
        .args(args)
        .arg("--dir")
        .arg(dir)
        .arg("--url")
        .arg(url)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata migrate")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "strata failed ({:?}):\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stderr)
}

fn write_folder(dir: &Path, files: &[(&str, &str)]) {
    for (f, t) in files {
        std::fs::write(dir.join(f), t).expect("write migration");
    }
    let out = strata()
        .args(["migrate", "hash", "--dir"])
        .arg(dir)
        .output()
        .expect("hash");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Tenant tables as Strata builds them: a foreign key between tables under FORCE is added
/// with the owner's policies lifted for its check, in the same transaction.
const TENANT_TABLE: &str = "\
CREATE TABLE tenants (id bigint PRIMARY KEY);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON tenants USING (id = current_setting('app.tenant_id', true)::bigint);
CREATE TABLE tasks (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, title text NOT NULL, note text);
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON tasks USING (tenant_id = current_setting('app.tenant_id', true)::bigint);
ALTER TABLE tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY;
ALTER TABLE tasks ADD CONSTRAINT tasks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
";

/// The split the docs recommend: create, copy, drop the old column last (reviewed: the drop
/// is acknowledged).
const SPLIT: &str = "\
-- strata:allow-hazard deletes_data
CREATE TABLE task_notes (task_id bigint PRIMARY KEY REFERENCES tasks, tenant_id bigint NOT NULL, note text NOT NULL);
INSERT INTO task_notes (task_id, tenant_id, note) SELECT id, tenant_id, note FROM tasks WHERE note IS NOT NULL;
ALTER TABLE tasks DROP COLUMN note;
";

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).expect(sql).get(0)
}

fn load_rows(admin: &mut postgres::Client) {
    // As superuser (row-level security does not apply): 2 tenants, 500 rows each.
    admin
        .batch_execute(
            "INSERT INTO tenants VALUES (1), (2);
             INSERT INTO tasks SELECT g, 1 + g % 2, 'task ' || g, 'note ' || g FROM generate_series(1, 1000) g",
        )
        .expect("load rows");
}

#[test]
fn schema_steps_on_forced_rls_tables_run_as_a_non_superuser_owner() {
    let mut db = owned_db();
    let dir = tempfile::tempdir().expect("temp dir");
    write_folder(dir.path(), &[("0001_tasks.up.sql", TENANT_TABLE)]);
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    load_rows(&mut db.admin);
    // A new table with a foreign key into a forced table, a check constraint, an index, a
    // row written whose foreign key points into the forced table (the integrity check reads
    // it without policies), then the documented way for steps that read a forced table's
    // rows: a copy and the validation of the foreign key with FORCE lifted around them.
    write_folder(
        dir.path(),
        &[(
            "0002_more.up.sql",
            "CREATE TABLE labels (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, task_id bigint NOT NULL);
ALTER TABLE labels ADD CONSTRAINT labels_task_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) NOT VALID;
ALTER TABLE tasks ADD CONSTRAINT tasks_title_length CHECK (char_length(title) < 100);
CREATE INDEX tasks_tenant_idx ON tasks (tenant_id);
INSERT INTO labels VALUES (0, 1, 1);
ALTER TABLE tasks NO FORCE ROW LEVEL SECURITY;
INSERT INTO labels SELECT id, tenant_id, id FROM tasks WHERE id > 1;
ALTER TABLE labels VALIDATE CONSTRAINT labels_task_fkey;
ALTER TABLE tasks FORCE ROW LEVEL SECURITY;
",
        )],
    );
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    assert_eq!(count(&mut db.admin, "SELECT count(*) FROM labels"), 1000);
    assert_eq!(
        count(
            &mut db.admin,
            "SELECT count(*) FROM pg_constraint WHERE conname = 'labels_task_fkey' AND convalidated"
        ),
        1
    );
}

#[test]
fn a_split_under_forced_rls_as_a_non_superuser_owner_fails_loudly_and_keeps_the_data() {
    let mut db = owned_db();
    let dir = tempfile::tempdir().expect("temp dir");
    write_folder(dir.path(), &[("0001_tasks.up.sql", TENANT_TABLE)]);
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    load_rows(&mut db.admin);
    write_folder(dir.path(), &[("0002_split_notes.up.sql", SPLIT)]);

    let out = migrate(dir.path(), &db.owner_url, &["apply"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("0002_split_notes.up.sql:3")
            && err.contains("row-level security")
            && err.contains("\"tasks\"")
            && err.contains("BYPASSRLS")
            && err.contains("ALTER TABLE tasks NO FORCE ROW LEVEL SECURITY")
            && err.contains("database is unchanged"),
        "{err}"
    );
    // Nothing of the migration happened: the column and every row are still there.
    assert_eq!(
        count(
            &mut db.admin,
            "SELECT count(*) FROM tasks WHERE note IS NOT NULL"
        ),
        1000
    );
    assert_eq!(
        count(
            &mut db.admin,
            "SELECT count(*) FROM pg_class WHERE relname = 'task_notes'"
        ),
        0
    );
    assert_eq!(
        count(
            &mut db.admin,
            "SELECT count(*) FROM strata.schema_migrations"
        ),
        1
    );

    // The advice works: the owner lifts FORCE for the copy, inside the migration.
    std::fs::write(
        dir.path().join("0002_split_notes.up.sql"),
        format!(
            "ALTER TABLE tasks NO FORCE ROW LEVEL SECURITY;\n{SPLIT}ALTER TABLE tasks FORCE ROW LEVEL SECURITY;\n"
        ),
    )
    .expect("rewrite");
    write_folder(dir.path(), &[]);
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    assert_eq!(
        count(&mut db.admin, "SELECT count(*) FROM task_notes"),
        1000
    );
    assert_eq!(
        count(
            &mut db.admin,
            "SELECT count(*) FROM task_notes n JOIN tasks t ON t.id = n.task_id AND t.tenant_id = n.tenant_id"
        ),
        1000
    );
    assert!(
        db.admin
            .query_one(
                "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'tasks'",
                &[]
            )
            .expect("pg_class")
            .get::<_, bool>(0),
        "FORCE ROW LEVEL SECURITY is back"
    );
}

#[test]
fn a_role_with_bypassrls_runs_the_same_split_unchanged() {
    let mut db = owned_db();
    let dir = tempfile::tempdir().expect("temp dir");
    write_folder(dir.path(), &[("0001_tasks.up.sql", TENANT_TABLE)]);
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    load_rows(&mut db.admin);
    write_folder(dir.path(), &[("0002_split_notes.up.sql", SPLIT)]);
    let role = db
        .owner_url
        .split("//")
        .nth(1)
        .and_then(|r| r.split('@').next())
        .expect("role")
        .to_string();
    db.admin
        .batch_execute(&format!("ALTER ROLE \"{role}\" BYPASSRLS"))
        .expect("bypassrls");
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    assert_eq!(
        count(&mut db.admin, "SELECT count(*) FROM task_notes"),
        1000
    );
}

#[test]
fn a_foreign_key_checked_over_a_forced_table_fails_and_says_how_to_check_every_row() {
    let mut db = owned_db();
    let dir = tempfile::tempdir().expect("temp dir");
    write_folder(
        dir.path(),
        &[(
            "0001_tasks.up.sql",
            &format!(
                "{TENANT_TABLE}CREATE TABLE labels (id bigint PRIMARY KEY, task_id bigint NOT NULL);\n"
            ),
        )],
    );
    ok(&migrate(dir.path(), &db.owner_url, &["apply"]));
    load_rows(&mut db.admin);
    db.admin
        .batch_execute("INSERT INTO labels SELECT id, id FROM tasks")
        .expect("labels");
    write_folder(
        dir.path(),
        &[(
            "0002_labels_fk.up.sql",
            "ALTER TABLE labels ADD CONSTRAINT labels_task_fkey FOREIGN KEY (task_id) REFERENCES tasks (id);\n",
        )],
    );
    let out = migrate(dir.path(), &db.owner_url, &["apply"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("0002_labels_fk.up.sql:1")
            && err.contains("would be affected by row-level security policy for table \"tasks\"")
            && err.contains("ALTER TABLE tasks NO FORCE ROW LEVEL SECURITY")
            && err.contains("BYPASSRLS"),
        "{err}"
    );
    // A real violation, on a table without forced security, gets no such advice.
    db.admin
        .batch_execute(
            "ALTER TABLE tasks NO FORCE ROW LEVEL SECURITY; INSERT INTO labels VALUES (5000, 5000)",
        )
        .expect("orphan");
    let out = migrate(dir.path(), &db.owner_url, &["apply"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("(5000) is not present") && !err.contains("FORCE ROW LEVEL SECURITY"),
        "{err}"
    );
}
