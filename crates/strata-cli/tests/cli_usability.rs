//! Everyday command-line behaviour: arguments validated before anything runs, outputs written
//! where the user said, messages that say what is true and what to do.

mod common;

use std::path::Path;
use std::process::Output;

use common::strata;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    strata()
        .current_dir(dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata")
}

/// `--lock-timeout` takes what PostgreSQL's `lock_timeout` takes, and nothing else.
#[test]
fn lock_timeout_is_validated_before_planning() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.sql"), "CREATE TABLE t (id int);\n").expect("write");
    for bad in ["5years", "soon", "-1s", "99999999s", "5 s s"] {
        let arg = format!("--lock-timeout={bad}");
        let out = run(
            dir.path(),
            &["diff", "--from", "a.sql", "--to", "a.sql", &arg],
        );
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {err}");
        assert!(
            err.contains("--lock-timeout") && (err.contains("e.g. 5s") || err.contains("24 days")),
            "{bad}: {err}"
        );
    }
}

/// The values accepted are PostgreSQL's: the server takes each in `SET lock_timeout`.
#[test]
fn every_accepted_lock_timeout_is_one_postgresql_takes() {
    let mut client = common::fresh_db_with("");
    for good in [
        "0", "250", "500ms", "5s", "1.5s", "2min", "1h", "1d", "24d", "900us",
    ] {
        let value = strata_cli_parse(good);
        client
            .batch_execute(&format!("SET lock_timeout = '{value}'"))
            .unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

/// What `strata diff` accepted, read back from the plan it printed.
fn strata_cli_parse(value: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.sql"), "CREATE TABLE t (id int);\n").expect("write");
    std::fs::write(
        dir.path().join("b.sql"),
        "CREATE TABLE t (id int, note text);\n",
    )
    .expect("write");
    let out = run(
        dir.path(),
        &[
            "diff",
            "--from",
            "a.sql",
            "--to",
            "b.sql",
            "--lock-timeout",
            value,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{value}: {}", text(&out.stderr));
    let script = text(&out.stdout);
    match script
        .lines()
        .find_map(|l| l.strip_prefix("SET LOCAL lock_timeout = '"))
    {
        Some(rest) => rest.trim_end_matches("';").to_string(),
        None => {
            assert_eq!(value, "0", "no lock_timeout in the plan:\n{script}");
            "0".into()
        }
    }
}

/// `--out` with an extension writes that file; a folder stays a folder.
#[test]
fn gen_out_with_an_extension_is_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("schema.strata"),
        "entity Tag {\n  label text(40) unique\n}\n",
    )
    .expect("write");
    let out = run(d, &["gen", "dbml", "schema.strata", "--out", "docs/x.dbml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = d.join("docs/x.dbml");
    assert!(file.is_file(), "docs/x.dbml is not a file");
    assert!(
        std::fs::read_to_string(&file)
            .expect("read")
            .contains("Table"),
        "not DBML"
    );
    let out = run(d, &["gen", "mermaid", "schema.strata", "--out", "diagrams"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(d.join("diagrams/schema.mmd").is_file());
    // A multi-file target refuses a file name.
    let out = run(
        d,
        &["gen", "sqlmodel", "schema.strata", "--out", "models.py"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("names a file: give a folder"),
        "{}",
        text(&out.stderr)
    );
    assert!(!d.join("models.py").exists());
}

/// A fresh project is formatted: `strata fmt --check` accepts it, and it checks clean.
#[test]
fn init_writes_a_formatted_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["init", "app"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(dir.path(), &["fmt", "--check", "app"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = run(dir.path(), &["check", "app"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// `migrate down 0` is refused as rolling nothing back, not answered with "no migration is
/// applied".
#[test]
fn migrate_down_zero_says_what_is_wrong() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["migrate", "down", "0"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("0 rolls nothing back"), "{err}");
    assert!(!err.contains("no migration is applied"), "{err}");
}

fn migrations_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (f, t) in [
        ("0001_a.up.sql", "CREATE TABLE a (id int);\n"),
        ("0001_a.down.sql", "DROP TABLE a;\n"),
        ("0002_b.up.sql", "CREATE TABLE b (id int);\n"),
        ("0002_b.down.sql", "DROP TABLE b;\n"),
    ] {
        std::fs::write(dir.path().join(f), t).expect("write");
    }
    let out = run(dir.path(), &["migrate", "--dir", ".", "hash"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    dir
}

/// `migrate status --format json`: the same facts as the report, for scripts.
#[test]
fn migrate_status_as_json() {
    let dir = migrations_folder();
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let url = cluster.url(&db);
    let out = run(
        dir.path(),
        &["migrate", "--dir", ".", "--url", &url, "apply", "--to", "1"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(
        dir.path(),
        &[
            "migrate", "--dir", ".", "--url", &url, "status", "--format", "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["counts"]["applied"], 1, "{v}");
    assert_eq!(v["counts"]["pending"], 1, "{v}");
    assert_eq!(v["counts"]["problems"], 0, "{v}");
    assert_eq!(v["sum"]["ok"], true, "{v}");
    assert_eq!(v["migrations"][0]["id"], "0001_a", "{v}");
    assert_eq!(v["migrations"][0]["state"], "applied", "{v}");
    assert!(
        v["migrations"][0]["applied"]["applied_at"].is_string(),
        "{v}"
    );
    assert_eq!(v["migrations"][1]["state"], "pending", "{v}");
}

/// A role that may not read the history gets one message with the grants that fix it.
#[test]
fn a_read_only_role_is_told_how_to_read_the_history() {
    let dir = migrations_folder();
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let url = cluster.url(&db);
    let out = run(
        dir.path(),
        &["migrate", "--dir", ".", "--url", &url, "apply"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut admin = cluster.connect(&db).expect("connect");
    let role = format!(
        "reader_{}",
        db.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    admin
        .batch_execute(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN; END IF; END $$;"
        ))
        .expect("role");
    let reader_url = url.replacen(
        &format!("//{}@", cluster.superuser()),
        &format!("//{role}@"),
        1,
    );
    let out = run(
        dir.path(),
        &["migrate", "--dir", ".", "--url", &reader_url, "status"],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("permission denied").count(), 1, "{err}");
    assert!(
        err.contains(&format!("GRANT USAGE ON SCHEMA strata TO {role}"))
            && err.contains(&format!(
                "GRANT SELECT ON strata.schema_migrations TO {role}"
            )),
        "{err}"
    );
    // The advice works.
    admin
        .batch_execute(&format!(
            "GRANT USAGE ON SCHEMA strata TO {role}; GRANT SELECT ON strata.schema_migrations TO {role};"
        ))
        .expect("grant");
    let out = run(
        dir.path(),
        &["migrate", "--dir", ".", "--url", &reader_url, "status"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 applied, 0 pending"),
        "{}",
        text(&out.stdout)
    );
}

/// Completion scripts for each shell name every command; bash's parses.
#[test]
fn completions_for_every_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(dir.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for command in ["inspect", "migrate", "completions", "lock-timeout"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
        if shell == "bash" {
            let file = dir.path().join("strata.bash");
            std::fs::write(&file, &script).expect("write");
            let check = std::process::Command::new("bash")
                .arg("-n")
                .arg(&file)
                .output()
                .expect("bash");
            assert!(check.status.success(), "{}", text(&check.stderr));
        }
    }
    let out = run(dir.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("powershell"),
        "{}",
        text(&out.stderr)
    );
}

/// The manual pages come from the same definitions as `--help`: every command has one, and
/// groff reads them without a warning.
#[test]
fn manual_pages_for_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH strata 1"),
        "{page}"
    );
    assert!(
        page.contains("inspect") && page.contains("migrate"),
        "{page}"
    );
    let out = run(dir.path(), &["man", "--out", "man1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for name in [
        "strata",
        "strata-inspect",
        "strata-migrate-status",
        "strata-diff",
    ] {
        let file = dir.path().join(format!("man1/{name}.1"));
        let text_of = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text_of.contains(".TH"), "{name}");
    }
    let status = std::fs::read_to_string(dir.path().join("man1/strata-migrate-status.1"))
        .expect("status page");
    assert!(status.contains("format"), "{status}");
    if let Ok(groff) = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(dir.path().join("man1/strata-diff.1"))
        .output()
    {
        assert!(groff.status.success(), "{}", text(&groff.stderr));
        assert_eq!(text(&groff.stderr), "", "groff warnings");
    }
}

/// `--quiet` drops what only reports progress or success, never what needs the user.
#[test]
fn quiet_keeps_only_what_needs_the_user() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(dir.path(), &["init", "loud"]);
    assert!(text(&out.stderr).contains("wrote"), "{}", text(&out.stderr));
    let out = run(dir.path(), &["--quiet", "init", "calm"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
    assert!(dir.path().join("calm/schema.strata").is_file());
    // Problems still show.
    std::fs::write(
        dir.path().join("calm/schema.strata"),
        "entity  T {\n  a text\n}\n",
    )
    .expect("write");
    let out = run(dir.path(), &["-q", "fmt", "--check", "calm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not formatted") || text(&out.stdout).contains("schema.strata"),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = run(dir.path(), &["-q", "inspect", "nowhere.sql"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error"),
        "{}",
        text(&out.stderr)
    );
}
