//! `examples/todo` evolved through the versions in `tests/fixtures/todo_versions/`, one
//! migration each in `examples/todo/migrations/`: applied one at a time and rolled back one at
//! a time on a real server, the schema checked against each version's design at every step,
//! and the data carried through the backfill and the table split.

mod common;
mod gen_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::repo_root;
use gen_common::catalog;

fn versions() -> Vec<PathBuf> {
    let dir = repo_root().join("crates/strata-cli/tests/fixtures/todo_versions");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("versions")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn migrations() -> PathBuf {
    repo_root().join("examples/todo/migrations")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
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

fn migrate(url: &str, args: &[&str]) -> String {
    ok(common::strata()
        .arg("migrate")
        .args(args)
        .arg("--dir")
        .arg(migrations())
        .arg("--url")
        .arg(url)
        .output()
        .expect("run strata migrate"))
}

fn strata_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "strata"))
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect()
}

type Catalog = BTreeMap<&'static str, Vec<String>>;

/// The catalog of version `dir` as designed: `strata build` applied to a fresh database.
fn designed(dir: &Path) -> Catalog {
    let mut c = common::fresh_db_with(&common::build(dir));
    catalog(&mut c)
}

/// The migrated database's catalog without the history table.
fn migrated(c: &mut postgres::Client) -> Catalog {
    let mut cat = catalog(c);
    for rows in cat.values_mut() {
        rows.retain(|r| !r.starts_with("strata.") && !r.contains(" ON strata."));
    }
    cat
}

fn assert_same(got: &Catalog, want: &Catalog, what: &str) {
    for (kind, rows) in want {
        assert_eq!(
            got.get(kind),
            Some(rows),
            "{what}: {kind} differ from the design"
        );
    }
    assert_eq!(got, want, "{what}");
}

#[test]
fn the_last_version_is_examples_todo_and_each_version_has_its_migration() {
    let versions = versions();
    assert!(
        versions.len() >= 6,
        "at least five evolutions after the initial schema"
    );
    let last = versions.last().expect("a version");
    assert_eq!(
        strata_files(last),
        strata_files(&repo_root().join("examples/todo")),
        "examples/todo must be the last version ({})",
        last.display()
    );
    let folder = strata_migrate::Folder::read(&migrations()).expect("migrations folder");
    folder
        .verify_sum()
        .expect("strata.sum matches the migrations");
    let ids: Vec<String> = folder.migrations.iter().map(|m| m.id()).collect();
    let names: Vec<String> = versions
        .iter()
        .map(|v| v.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(ids, names, "one migration per version, same names");
    assert!(folder.migrations.iter().all(|m| m.down.is_some()));
}

#[test]
fn the_migrations_build_exactly_examples_todo() {
    // Planning again from what the folder builds finds nothing to do.
    let tmp = tempfile::tempdir().expect("tmp");
    for e in std::fs::read_dir(migrations()).expect("migrations") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, tmp.path().join(p.file_name().expect("name"))).expect("copy");
    }
    let out = ok(common::strata()
        .args(["migrate", "new", "check", "--schema"])
        .arg(repo_root().join("examples/todo"))
        .arg("--dir")
        .arg(tmp.path())
        .output()
        .expect("run strata migrate new"));
    assert!(out.contains("nothing to do"), "{out}");
    assert!(!tmp.path().join("0007_check.up.sql").exists());
}

#[test]
fn apply_and_roll_back_every_version_with_data() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let name = cluster.create_database().expect("database");
    let url = cluster.url(&name);
    let mut db = cluster.connect(&name).expect("connect");
    apply_and_roll_back(&url, &mut db);
}

/// The same chain applied by `strata migrate apply` connected as the database owner, a role
/// without superuser or BYPASSRLS (as on managed PostgreSQL): the hand-written data steps of
/// the backfill and the split read tables under FORCE ROW LEVEL SECURITY, and must neither
/// fail nor see fewer rows than the tables hold.
#[test]
fn apply_and_roll_back_as_a_non_superuser_owner() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let name = cluster.create_database().expect("database");
    let role = format!("{name}_owner");
    let mut db = cluster.connect(&name).expect("connect");
    db.batch_execute(&format!(
        "CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
         ALTER DATABASE \"{name}\" OWNER TO \"{role}\";
         ALTER SCHEMA public OWNER TO \"{role}\";"
    ))
    .expect("owner role");
    let owner_url =
        cluster
            .url(&name)
            .replacen(&format!("{}@", cluster.superuser()), &format!("{role}@"), 1);
    assert_ne!(
        owner_url,
        cluster.url(&name),
        "the owner connects as itself"
    );
    apply_and_roll_back(&owner_url, &mut db);
}

/// Applies every version one at a time with `migrate_url`, then rolls each back, checking the
/// schema and the data (read by `db`, a superuser) at every step.
fn apply_and_roll_back(url: &str, db: &mut postgres::Client) {
    let url = url.to_string();
    let versions = versions();
    let designs: Vec<Catalog> = versions.iter().map(|v| designed(v)).collect();

    for (i, version) in versions.iter().enumerate() {
        let n = (i + 1).to_string();
        migrate(&url, &["apply", "--to", &n]);
        assert_same(
            &migrated(db),
            &designs[i],
            &format!("after applying up to {}", version.display()),
        );
        if i == 0 {
            // Data written at version 1 must survive the backfill and the split.
            db.batch_execute(
                "INSERT INTO users (email, name, password_hash)
                   VALUES ('ann@example.com', 'Ann', 'h'), ('bob@example.com', 'Bob', 'h');
                 INSERT INTO tasks (user_id, title, description)
                   SELECT id, 'plain', NULL FROM users;
                 INSERT INTO tasks (user_id, title, description)
                   SELECT id, 'described', 'details of ' || name FROM users;
                 INSERT INTO conversations (user_id, title) SELECT id, 'chat' FROM users;
                 INSERT INTO conversations (user_id, title)
                   SELECT id, 'empty' FROM users WHERE name = 'Ann';
                 INSERT INTO messages (conversation_id, user_id, role, content, created_at)
                   SELECT c.id, c.user_id, 'user', 'hi', timestamptz '2024-05-01 10:00+00'
                   FROM conversations c WHERE c.title = 'chat';
                 UPDATE conversations SET created_at = timestamptz '2024-01-01 00:00+00';",
            )
            .expect("seed version 1");
        }
        let id = version
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if id.starts_with("0003_") {
            let rows: Vec<(String, String)> = db
                .query(
                    "SELECT title, to_char(last_message_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
                     FROM conversations ORDER BY 1, 2",
                    &[],
                )
                .expect("conversations")
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            assert_eq!(
                rows,
                vec![
                    ("chat".to_string(), "2024-05-01 10:00".to_string()),
                    ("chat".to_string(), "2024-05-01 10:00".to_string()),
                    ("empty".to_string(), "2024-01-01 00:00".to_string()),
                ],
                "backfilled from the last message, else the creation time"
            );
        }
        if id.starts_with("0004_") {
            let details: Vec<String> = db
                .query(
                    "SELECT d.description FROM task_details d JOIN tasks t ON t.id = d.task_id
                     WHERE t.title = 'described' ORDER BY 1",
                    &[],
                )
                .expect("task_details")
                .iter()
                .map(|r| r.get(0))
                .collect();
            assert_eq!(details, vec!["details of Ann", "details of Bob"]);
            let n: i64 = db
                .query_one("SELECT count(*) FROM task_details", &[])
                .expect("count")
                .get(0);
            assert_eq!(n, 2, "tasks without a description get no details row");
        }
    }
    let out = migrate(&url, &["apply"]);
    assert!(out.contains("nothing to apply"), "{out}");

    for i in (0..versions.len()).rev() {
        migrate(&url, &["down"]);
        if i == 0 {
            break;
        }
        assert_same(
            &migrated(db),
            &designs[i - 1],
            &format!("after rolling back {}", versions[i].display()),
        );
        let id = versions[i]
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if id.starts_with("0004_") {
            let back: Vec<Option<String>> = db
                .query("SELECT description FROM tasks ORDER BY 1", &[])
                .expect("tasks")
                .iter()
                .map(|r| r.get(0))
                .collect();
            assert_eq!(
                back,
                vec![
                    Some("details of Ann".to_string()),
                    Some("details of Bob".to_string()),
                    None,
                    None
                ],
                "the split's rollback brings the descriptions back"
            );
        }
    }
    let left = migrated(db);
    for (kind, rows) in &left {
        assert!(
            rows.is_empty(),
            "rolling everything back left {kind}: {rows:?}"
        );
    }
}
