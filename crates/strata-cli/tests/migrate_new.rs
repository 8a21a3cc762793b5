//! `strata migrate new` (SQL files and Alembic revisions) and `strata apply --to SRC`, on real
//! servers; Alembic revisions run with the real `alembic` package.

mod common;
mod gen_common;

use std::path::Path;
use std::process::{Command, Output};

use gen_common::{catalog, python};

const V1: &str = "\
/// A project.
entity Project {
  name     text(100)
  archived bool = false
}

/// Something to do in a project.
entity Item {
  project -> Project on delete cascade
  title   text(200)
  rows 1M
}
";

/// v1 plus a column with a default and an index on the (large) items table.
const V2: &str = "\
/// A project.
entity Project {
  name     text(100)
  archived bool = false
}

/// Something to do in a project.
entity Item {
  project  -> Project on delete cascade
  title    text(200)
  priority int = 0
  rows 1M
  index (priority)
}
";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn schema(dir: &Path, name: &str, src: &str) -> String {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("schema.strata"), src).expect("write schema");
    d.display().to_string()
}

fn run(args: &[&str]) -> Output {
    common::strata()
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "strata failed ({:?}):\n{}{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr) + &text(&out.stdout)
}

/// A fresh database with `src` built and applied; its URL and client.
fn built_db(src: &str) -> (String, postgres::Client) {
    let ddl = common::build(Path::new(src));
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let name = cluster.create_database().expect("db");
    let mut c = cluster.connect(&name).expect("connect");
    strata_pg::apply_sql(&mut c, &ddl).expect("apply build");
    (cluster.url(&name), c)
}

fn empty_db() -> (String, postgres::Client) {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let name = cluster.create_database().expect("db");
    (cluster.url(&name), cluster.connect(&name).expect("connect"))
}

#[test]
fn new_writes_the_plan_and_nothing_when_there_is_nothing_to_do() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let v2 = schema(tmp.path(), "v2", V2);
    let dir = tmp.path().join("migrations");
    let d = dir.display().to_string();

    let out = ok(run(&[
        "migrate", "new", "initial", "--schema", &v1, "--dir", &d,
    ]));
    assert!(out.contains("0001_initial.up.sql"), "{out}");
    let up1 = std::fs::read_to_string(dir.join("0001_initial.up.sql")).expect("up");
    assert!(up1.contains("CREATE TABLE public.items"), "{up1}");
    assert!(
        !up1.contains("BEGIN;"),
        "a transactional file has no BEGIN:\n{up1}"
    );

    let out = ok(run(&[
        "migrate", "new", "again", "--schema", &v1, "--dir", &d,
    ]));
    assert!(out.contains("nothing to do"), "{out}");
    assert!(!dir.join("0002_again.up.sql").exists());

    let out = ok(run(&[
        "migrate",
        "new",
        "add_priority",
        "--schema",
        &v2,
        "--dir",
        &d,
    ]));
    assert!(out.contains("0002_add_priority"), "{out}");
    let up2 = std::fs::read_to_string(dir.join("0002_add_priority.up.sql")).expect("up");
    let down2 = std::fs::read_to_string(dir.join("0002_add_priority.down.sql")).expect("down");
    assert!(up2.contains("ADD COLUMN priority"), "{up2}");
    assert!(up2.contains("CREATE INDEX CONCURRENTLY"), "{up2}");
    assert!(up2.contains("-- strata:no-transaction"), "{up2}");
    assert!(down2.contains("DROP COLUMN priority"), "{down2}");
    ok(run(&["migrate", "verify", "--offline", "--dir", &d]));

    // Applied with the runner, the folder gives exactly the designed v2; rolled back, v1.
    let (url, mut db) = empty_db();
    ok(run(&["migrate", "apply", "--dir", &d, "--url", &url]));
    let (_, mut want2) = built_db(&v2);
    let (_, mut want1) = built_db(&v1);
    let without_history = |c: &mut postgres::Client| {
        let mut cat = catalog(c);
        for rows in cat.values_mut() {
            rows.retain(|r| !r.starts_with("strata.") && !r.contains(" ON strata."));
        }
        cat
    };
    assert_eq!(without_history(&mut db), catalog(&mut want2));
    ok(run(&["migrate", "down", "--dir", &d, "--url", &url]));
    assert_eq!(without_history(&mut db), catalog(&mut want1));
    ok(run(&["migrate", "down", "--dir", &d, "--url", &url]));
    assert!(without_history(&mut db)["tables"].is_empty());
}

#[test]
fn new_refuses_bad_names_and_schemas_with_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let bad = schema(tmp.path(), "bad", "entity Broken {\n  x nosuchtype\n}\n");
    let d = tmp.path().join("m").display().to_string();
    let out = run(&["migrate", "new", "Bad-Name", "--schema", &v1, "--dir", &d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("lower-case letters"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["migrate", "new", "x", "--schema", &bad, "--dir", &d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no migration was written"),
        "{}",
        text(&out.stderr)
    );
}

fn alembic(python: &Path, dir: &Path, args: &[&str], url: &str) -> String {
    let out = Command::new(python)
        .args(["-m", "alembic"])
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run alembic");
    assert!(
        out.status.success(),
        "alembic {args:?} failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout) + &text(&out.stderr)
}

#[test]
fn alembic_revision_upgrades_and_downgrades_with_real_alembic() {
    let Some(python) = python() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let v2 = schema(tmp.path(), "v2", V2);
    let env = tmp.path().join("app");
    let e = env.display().to_string();
    ok(run(&["gen", "alembic", &v1, "--out", &e]));
    ok(run(&[
        "gen",
        "sqlmodel",
        &v1,
        "--out",
        &format!("{e}/models"),
    ]));
    let versions = env.join("migrations/versions");
    let vd = versions.display().to_string();

    let out = ok(run(&[
        "migrate",
        "new",
        "add_priority",
        "--schema",
        &v2,
        "--format",
        "alembic",
        "--dir",
        &vd,
    ]));
    assert!(out.contains("0002_add_priority.py"), "{out}");
    let rev = std::fs::read_to_string(versions.join("0002_add_priority.py")).expect("revision");
    assert!(
        rev.contains("down_revision: Union[str, Sequence[str], None] = \"0001_initial\""),
        "{rev}"
    );
    assert!(
        rev.contains("with op.get_context().autocommit_block():"),
        "{rev}"
    );
    assert!(rev.contains("CREATE INDEX CONCURRENTLY"), "{rev}");

    let (url, mut db) = empty_db();
    alembic(&python, &env, &["upgrade", "head"], &url);
    let (_, mut want2) = built_db(&v2);
    let (_, mut want1) = built_db(&v1);
    assert_eq!(
        catalog(&mut db),
        catalog(&mut want2),
        "alembic upgrade head != v2"
    );
    let version: String = db
        .query_one("SELECT version_num FROM alembic_version", &[])
        .expect("alembic_version")
        .get(0);
    assert_eq!(version, "0002_add_priority");
    alembic(&python, &env, &["downgrade", "0001_initial"], &url);
    assert_eq!(
        catalog(&mut db),
        catalog(&mut want1),
        "alembic downgrade != v1"
    );
    alembic(&python, &env, &["downgrade", "base"], &url);
    assert!(catalog(&mut db)["tables"].is_empty());

    // The chain continues from the new head; nothing to do writes nothing.
    let out = ok(run(&[
        "migrate", "new", "same", "--schema", &v2, "--format", "alembic", "--dir", &vd,
    ]));
    assert!(out.contains("nothing to do"), "{out}");
}

#[test]
fn apply_plans_confirms_and_refuses_hazards_and_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let v2 = schema(tmp.path(), "v2", V2);
    let (url, mut db) = built_db(&v1);

    // Without a terminal and without --yes: refused, nothing changes.
    let out = run(&["apply", "--to", &v2, &url]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("ADD COLUMN priority"),
        "the plan is shown"
    );
    assert!(
        text(&out.stderr).contains("pass --yes"),
        "{}",
        text(&out.stderr)
    );
    let (_, mut want1) = built_db(&v1);
    assert_eq!(catalog(&mut db), catalog(&mut want1));

    ok(run(&["apply", "--to", &v2, &url, "--yes"]));
    let (_, mut want2) = built_db(&v2);
    assert_eq!(catalog(&mut db), catalog(&mut want2));
    let out = ok(run(&["apply", "--to", &v2, &url, "--yes"]));
    assert!(out.contains("nothing to do"), "{out}");

    // Back to v1 drops a column: a hazard that must be allowed.
    let out = run(&["apply", "--to", &v1, &url, "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("deletes_data"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(catalog(&mut db), catalog(&mut want2));
    ok(run(&[
        "apply",
        "--to",
        &v1,
        &url,
        "--yes",
        "--allow-hazard",
        "all",
    ]));
    assert_eq!(catalog(&mut db), catalog(&mut want1));
}

#[test]
fn apply_refuses_when_the_database_changed_after_the_plan() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let v2 = schema(tmp.path(), "v2", V2);
    let (url, mut db) = built_db(&v1);
    // Another migrator holds the lock while strata apply plans; the database changes before
    // it is released.
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let dbname = url.rsplit('/').next().expect("db name").to_string();
    let mut holder = cluster.connect(&dbname).expect("connect");
    holder
        .execute("SELECT pg_advisory_lock($1)", &[&strata_migrate_key()])
        .expect("lock");
    let child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["apply", "--to", &v2, &url, "--yes"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until it waits for the lock: it polls, so its session has tried once and failed.
    let start = std::time::Instant::now();
    loop {
        let n: i64 = db
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = 'strata apply'
                   AND (position('pg_try_advisory_lock' in query) > 0
                        OR position('pg_locks' in query) > 0)",
                &[],
            )
            .expect("activity")
            .get(0);
        if n > 0 {
            break;
        }
        assert!(
            start.elapsed().as_secs() < 60,
            "strata apply never waited for the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    db.batch_execute("ALTER TABLE projects ADD COLUMN note text")
        .expect("concurrent change");
    holder
        .execute("SELECT pg_advisory_unlock($1)", &[&strata_migrate_key()])
        .expect("unlock");
    let out = child.wait_with_output().expect("wait");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("waiting for the migration lock"), "{err}");
    assert!(
        err.contains("the database changed after the plan was made"),
        "{err}"
    );
    let cols: i64 = db
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'priority'",
            &[],
        )
        .expect("columns")
        .get(0);
    assert_eq!(cols, 0, "the plan was applied to a changed database");
}

fn strata_migrate_key() -> i64 {
    // The key of strata_migrate::lock::KEY ("STRATAMG").
    i64::from_be_bytes(*b"STRATAMG")
}

/// v1 without `Item.title`: a plan that drops a column (deletes_data, breaks_clients).
const V1_NO_TITLE: &str = "\
/// A project.
entity Project {
  name     text(100)
  archived bool = false
}

/// Something to do in a project.
entity Item {
  project -> Project on delete cascade
  rows 1M
}
";

fn titles(c: &mut postgres::Client) -> i64 {
    c.query_one(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'title'",
        &[],
    )
    .expect("columns")
    .get(0)
}

#[test]
fn new_exits_1_on_hazards_and_apply_refuses_to_drop_data_unless_acknowledged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let v2 = schema(tmp.path(), "v2", V1_NO_TITLE);
    let dir = tmp.path().join("migrations");
    let d = dir.display().to_string();
    let (url, mut db) = empty_db();
    ok(run(&[
        "migrate", "new", "initial", "--schema", &v1, "--dir", &d,
    ]));
    ok(run(&["migrate", "apply", "--dir", &d, "--url", &url]));

    // `migrate new x && migrate apply`: new stops the script, naming the hazards...
    let out = run(&["migrate", "new", "drop_title", "--schema", &v2, "--dir", &d]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("deletes_data") && err.contains("--allow-hazard"),
        "{err}"
    );
    // ... having written the files for review.
    let up = std::fs::read_to_string(dir.join("0002_drop_title.up.sql")).expect("up");
    assert!(up.contains("DROP COLUMN title"), "{up}");
    assert!(!up.contains("strata:allow-hazard"), "{up}");

    // `migrate new x; migrate apply`: apply refuses before running anything.
    let out = run(&["migrate", "apply", "--dir", &d, "--url", &url]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("0002_drop_title.up.sql:")
            && err.contains("DROP COLUMN title")
            && err.contains("deletes_data")
            && err.contains("-- strata:allow-hazard deletes_data")
            && err.contains("nothing was applied"),
        "{err}"
    );
    assert_eq!(titles(&mut db), 1, "the column was dropped");

    // An unknown code is refused as such.
    let out = run(&[
        "migrate",
        "apply",
        "--dir",
        &d,
        "--url",
        &url,
        "--allow-hazard",
        "drops",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(titles(&mut db), 1);

    // Allowed explicitly on the command line, it applies.
    ok(run(&[
        "migrate",
        "apply",
        "--dir",
        &d,
        "--url",
        &url,
        "--allow-hazard",
        "deletes_data",
    ]));
    assert_eq!(titles(&mut db), 0);
}

#[test]
fn new_with_allow_hazard_records_the_acknowledgement_in_the_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let v2 = schema(tmp.path(), "v2", V1_NO_TITLE);
    let dir = tmp.path().join("migrations");
    let d = dir.display().to_string();
    let (url, mut db) = empty_db();
    ok(run(&[
        "migrate", "new", "initial", "--schema", &v1, "--dir", &d,
    ]));
    let out = ok(run(&[
        "migrate",
        "new",
        "drop_title",
        "--schema",
        &v2,
        "--dir",
        &d,
        "--allow-hazard",
        "deletes_data",
        "--allow-hazard",
        "breaks_clients",
    ]));
    assert!(out.contains("deletes_data"), "{out}");
    let up = std::fs::read_to_string(dir.join("0002_drop_title.up.sql")).expect("up");
    assert!(up.contains("-- strata:allow-hazard deletes_data"), "{up}");
    ok(run(&["migrate", "apply", "--dir", &d, "--url", &url]));
    assert_eq!(titles(&mut db), 0);
}

#[test]
fn apply_refuses_hand_written_destructive_statements_unless_the_file_allows_them() {
    let keep_db = || {
        let (url, mut db) = empty_db();
        db.batch_execute(
            "CREATE TABLE keep (id int NOT NULL DEFAULT 0); INSERT INTO keep VALUES (1); CREATE TYPE mood AS ENUM ('ok')",
        )
        .expect("table");
        (url, db)
    };
    for (stmt, destructive) in [
        ("DROP TABLE keep", true),
        ("DROP TABLE IF EXISTS public.keep", true),
        ("ALTER TABLE keep DROP COLUMN id", true),
        ("ALTER TABLE ONLY keep DROP id", true),
        ("ALTER TABLE keep ADD COLUMN x int, DROP COLUMN id", true),
        ("TRUNCATE keep", true),
        ("DELETE FROM keep", true),
        (
            "WITH d AS (DELETE FROM keep RETURNING *) SELECT count(*) FROM d",
            true,
        ),
        ("DROP SCHEMA public CASCADE", true),
        ("DROP TYPE mood CASCADE", true),
        ("ALTER TABLE keep ALTER COLUMN id DROP NOT NULL", false),
        ("ALTER TABLE keep ALTER COLUMN id DROP DEFAULT", false),
        ("ALTER TABLE keep DROP CONSTRAINT IF EXISTS keep_pk", false),
        ("DROP INDEX IF EXISTS keep_idx", false),
        ("DROP VIEW IF EXISTS keep_v", false),
        ("SELECT 'DROP TABLE keep'", false),
        ("-- DROP TABLE keep\nSELECT 1", false),
    ] {
        let (url, mut db) = keep_db();
        let tmp = tempfile::tempdir().expect("tmp");
        let d = tmp.path().display().to_string();
        std::fs::write(tmp.path().join("0001_x.up.sql"), format!("{stmt};\n")).expect("write");
        ok(run(&["migrate", "hash", "--dir", &d]));
        let out = run(&["migrate", "apply", "--dir", &d, "--url", &url]);
        let err = text(&out.stderr);
        let rows: i64 = db
            .query_one("SELECT count(*) FROM pg_class WHERE relname = 'keep'", &[])
            .expect("pg_class")
            .get(0);
        if destructive {
            assert_eq!(out.status.code(), Some(1), "{stmt}: {err}");
            assert!(
                err.contains("0001_x.up.sql:1") && err.contains("deletes_data"),
                "{stmt}: {err}"
            );
            assert_eq!(rows, 1, "{stmt} ran");
            let kept: i64 = db
                .query_one("SELECT count(*) FROM keep", &[])
                .expect("keep")
                .get(0);
            assert_eq!(kept, 1, "{stmt} ran");
        } else {
            assert!(out.status.success(), "{stmt} is not destructive: {err}");
        }
    }
    // Acknowledged in the reviewed file, it runs.
    let (url, mut db) = keep_db();
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().display().to_string();
    std::fs::write(
        tmp.path().join("0001_x.up.sql"),
        "-- strata:allow-hazard deletes_data\n-- the keep table is obsolete\nDROP TABLE keep;\n",
    )
    .expect("write");
    ok(run(&["migrate", "hash", "--dir", &d]));
    ok(run(&["migrate", "apply", "--dir", &d, "--url", &url]));
    let left: i64 = db
        .query_one("SELECT count(*) FROM pg_class WHERE relname = 'keep'", &[])
        .expect("pg_class")
        .get(0);
    assert_eq!(left, 0);
}

/// Like `strata diff`, `migrate new` says what it leaves alone (a grant a hand-written
/// migration made, which the design does not declare) and hints at an undeclared rename.
#[test]
fn new_says_what_it_leaves_alone_and_hints_at_undeclared_renames() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = schema(tmp.path(), "v1", V1);
    let renamed = V1.replace("  title   text(200)", "  heading text(200)");
    let v2 = schema(tmp.path(), "v2", &renamed);
    let dir = tmp.path().join("migrations");
    let d = dir.display().to_string();
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let dev = cluster.url(&cluster.create_database().expect("dev database"));
    cluster
        .connect("postgres")
        .expect("connect")
        .batch_execute(
            "DO $$ BEGIN
               IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strata_mn_app') THEN
                 CREATE ROLE strata_mn_app;
               END IF;
             END $$;",
        )
        .expect("role");

    ok(run(&[
        "--dev-url",
        &dev,
        "migrate",
        "new",
        "initial",
        "--schema",
        &v1,
        "--dir",
        &d,
    ]));
    std::fs::write(
        dir.join("0002_app_grant.up.sql"),
        "GRANT SELECT ON public.items TO strata_mn_app;\n",
    )
    .expect("hand-written migration");
    std::fs::write(
        dir.join("0002_app_grant.down.sql"),
        "REVOKE SELECT ON public.items FROM strata_mn_app;\n",
    )
    .expect("hand-written migration");
    ok(run(&["migrate", "hash", "--dir", &d]));

    let out = run(&[
        "--dev-url",
        &dev,
        "migrate",
        "new",
        "rename",
        "--schema",
        &v2,
        "--dir",
        &d,
    ]);
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "left alone: 1 grant to strata_mn_app not in the design; write the REVOKE in a migration by hand to revoke it"
        ),
        "{err}"
    );
    assert!(
        err.contains("hint: column items.title is dropped") && err.contains("renamed_from title"),
        "{err}"
    );
    let up = std::fs::read_to_string(dir.join("0003_rename.up.sql")).expect("up");
    assert!(!up.contains("REVOKE"), "{up}");
}
