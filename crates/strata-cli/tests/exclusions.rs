//! Migration bookkeeping is excluded by default and `--include` / `--exclude` select objects,
//! the same way in `inspect`, `diff`, `apply`, `gen` and `docs`, against a real server.

mod common;

use common::{fresh_db_with, strata};

/// Each tool's history table as the tool creates it (key columns; types simplified).
const BOOKKEEPING: &str = "
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),
  description varchar(200), type varchar(20), script varchar(1000), checksum int,
  installed_by varchar(100), installed_on timestamp DEFAULT now(), execution_time int,
  success boolean NOT NULL);
CREATE TABLE _sqlx_migrations (version bigint PRIMARY KEY, description text NOT NULL,
  installed_on timestamptz NOT NULL DEFAULT now(), success boolean NOT NULL,
  checksum bytea NOT NULL, execution_time bigint NOT NULL);
CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
  finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text,
  rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),
  applied_steps_count int NOT NULL DEFAULT 0);
CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar,
  created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
CREATE TABLE django_migrations (id bigserial PRIMARY KEY, app varchar(255) NOT NULL,
  name varchar(255) NOT NULL, applied timestamptz NOT NULL);
";

const APP: &str = "
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
CREATE TABLE tasks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id), title text NOT NULL);
CREATE INDEX tasks_user_id_idx ON tasks (user_id);
";

fn url_of(client: &mut postgres::Client) -> String {
    let db: String = client
        .query_one("SELECT current_database()", &[])
        .expect("database name")
        .get(0);
    strata_pg::shared_cluster().expect("cluster").url(&db)
}

/// A database with the app, every tool's bookkeeping and Strata's own history.
fn app_with_bookkeeping(extra: &str) -> (postgres::Client, String) {
    let mut client = fresh_db_with(&format!("{APP}{BOOKKEEPING}{extra}"));
    strata_migrate::history::ensure(&mut client).expect("strata history table");
    let url = url_of(&mut client);
    (client, url)
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = strata().args(args).output().expect("run strata");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tables(json: &str) -> Vec<String> {
    let model = strata_model::Model::from_json(json).expect("model JSON");
    model
        .tables
        .iter()
        .map(|t| format!("{}.{}", t.name.schema, t.name.name))
        .collect()
}

#[test]
fn inspect_leaves_bookkeeping_out_with_a_note_and_include_brings_it_back() {
    let (_client, url) = app_with_bookkeeping("");
    let (code, out, err) = run(&["inspect", "--format", "json", &url]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(tables(&out), ["public.tasks", "public.users"]);
    let model = strata_model::Model::from_json(&out).expect("model JSON");
    assert!(
        model.schemas.is_empty(),
        "schema strata goes with its history"
    );
    for (table, tool) in [
        ("public.alembic_version", "Alembic"),
        ("public.flyway_schema_history", "Flyway"),
        ("public._sqlx_migrations", "sqlx"),
        ("public._prisma_migrations", "Prisma"),
        ("public.schema_migrations", "Rails"),
        ("public.ar_internal_metadata", "Rails"),
        ("public.django_migrations", "Django"),
        ("strata.schema_migrations", "Strata"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains("I6040")
                    && l.contains(&format!("table {table} left out: {tool}"))),
            "{table}: {err}"
        );
    }
    assert!(err.contains("schema strata left out"), "{err}");
    assert!(!err.contains("W6001"), "{err}");

    // The .strata and SQL forms leave them out too.
    let (code, sql, err) = run(&["inspect", "--format", "sql", &url]);
    assert_eq!(code, Some(0), "{err}");
    for name in [
        "alembic_version",
        "_prisma_migrations",
        "django_migrations",
        "strata.",
    ] {
        assert!(!sql.contains(name), "{name} in:\n{sql}");
    }

    let (code, out, err) = run(&["inspect", "--format", "json", "--include", "*", &url]);
    assert_eq!(code, Some(0), "{err}");
    let all = tables(&out);
    assert_eq!(all.len(), 10, "{all:?}");
    assert!(all.contains(&"strata.schema_migrations".to_string()));
    assert!(!err.contains("I6040"), "{err}");

    // Naming one brings back that one; tables are then restricted to it.
    let (code, out, err) = run(&[
        "inspect",
        "--format",
        "json",
        "--include",
        "table:public.alembic_version",
        &url,
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(tables(&out), ["public.alembic_version"]);
}

/// A schema called `strata` with the user's own objects stays; only Strata's history goes.
/// A user's own `strata.schema_migrations` (another comment, another shape) is theirs.
#[test]
fn a_users_own_strata_objects_are_kept() {
    let (_client, url) = app_with_bookkeeping("CREATE TABLE strata_releases (id int);");
    let mut client = fresh_db_with(APP);
    strata_migrate::history::ensure(&mut client).expect("history");
    client
        .batch_execute("CREATE TABLE strata.releases (id int PRIMARY KEY, name text);")
        .expect("user table in schema strata");
    let mixed = url_of(&mut client);
    let (code, out, err) = run(&["inspect", "--format", "json", &mixed]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        tables(&out),
        ["public.tasks", "public.users", "strata.releases"]
    );
    let model = strata_model::Model::from_json(&out).expect("model JSON");
    assert_eq!(model.schemas.len(), 1, "schema strata is the user's too");
    assert!(
        err.contains("table strata.schema_migrations left out: Strata"),
        "{err}"
    );
    assert!(!err.contains("schema strata left out"), "{err}");

    let mut own = fresh_db_with(
        "CREATE SCHEMA strata;
         CREATE TABLE strata.schema_migrations (id int PRIMARY KEY, title text NOT NULL);
         COMMENT ON TABLE strata.schema_migrations IS 'our own release notes';",
    );
    let own = url_of(&mut own);
    let (code, out, err) = run(&["inspect", "--format", "json", &own]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(tables(&out), ["strata.schema_migrations"]);
    assert!(!err.contains("I6040"), "{err}");

    let (code, out, err) = run(&["inspect", "--format", "json", &url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(tables(&out).contains(&"public.strata_releases".to_string()));
}

/// `diff` and `apply` never plan anything for excluded objects (they are left out of both
/// sides), and `--exclude` keeps a legacy table the design does not have.
#[test]
fn diff_and_apply_ignore_excluded_objects() {
    let (mut client, url) = app_with_bookkeeping(
        "CREATE TABLE legacy_orders (id int PRIMARY KEY);
         CREATE TABLE legacy_items (id int PRIMARY KEY, order_id int REFERENCES legacy_orders);
         COMMENT ON CONSTRAINT legacy_orders_pkey ON legacy_orders IS 'carried as SQL';
         CREATE RULE legacy_items_no_delete AS ON DELETE TO legacy_items DO INSTEAD NOTHING;",
    );
    let mut target = fresh_db_with(APP);
    let target = url_of(&mut target);

    let (code, out, err) = run(&["diff", "--from", &url, "--to", &target]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("DROP TABLE public.legacy_items"), "{out}");
    for name in [
        "alembic_version",
        "schema_migrations",
        "django_migrations",
        "SCHEMA strata",
    ] {
        assert!(!out.contains(name), "{name} in the plan:\n{out}");
    }

    let (code, out, err) = run(&[
        "diff",
        "--from",
        &url,
        "--to",
        &target,
        "--exclude",
        "table:public.legacy_*",
    ]);
    assert_eq!((code, out.trim()), (Some(0), "-- no changes"), "{err}");
    assert!(
        err.contains("I6041") && err.contains("2 objects left out by --include/--exclude"),
        "{err}"
    );

    let (code, _, err) = run(&[
        "apply",
        "--to",
        &target,
        &url,
        "--yes",
        "--exclude",
        "legacy_*",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("nothing to do"), "{err}");
    let kept: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname IN ('legacy_orders', 'alembic_version', 'schema_migrations') AND relkind = 'r'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(
        kept, 4,
        "legacy tables, alembic's and both schema_migrations stay"
    );

    // Including only the app's schema objects by name: the rest of `from` is not compared.
    let (code, out, err) = run(&[
        "diff",
        "--from",
        &url,
        "--to",
        &target,
        "--include",
        "table:public.users",
        "--include",
        "table:public.tasks",
    ]);
    assert_eq!((code, out.trim()), (Some(0), "-- no changes"), "{err}");
}

#[test]
fn gen_and_docs_leave_bookkeeping_out() {
    let (_client, url) = app_with_bookkeeping("");
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    let (code, _, err) = run(&["docs", &url, "--out", docs.to_str().expect("utf-8 path")]);
    assert_eq!(code, Some(0), "{err}");
    let md = std::fs::read_to_string(docs.join("schema.md")).expect("schema.md");
    assert!(md.contains("tasks"), "{md}");
    for name in [
        "alembic_version",
        "flyway_schema_history",
        "django_migrations",
        "schema_migrations",
    ] {
        assert!(!md.contains(name), "{name} in the docs");
    }
    let (code, out, err) = run(&["gen", "dbml", &url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("tasks") && out.contains("users"), "{out}");
    for name in ["alembic_version", "_prisma_migrations", "schema_migrations"] {
        assert!(!out.contains(name), "{name} in:\n{out}");
    }
    let (code, out, err) = run(&["gen", "dbml", &url, "--exclude", "table:tasks"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("tasks") && out.contains("users"), "{out}");
}

#[test]
fn a_bad_pattern_is_refused_with_the_kinds() {
    let (code, _, err) = run(&[
        "inspect",
        "--exclude",
        "tabel:x",
        "postgres://localhost/none",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("unknown object kind \"tabel\"") && err.contains("table, view"),
        "{err}"
    );
}
