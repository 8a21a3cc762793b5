//! `strata diff`: script, JSON, exit codes, migrations folders and designs with renames.

mod common;

use common::strata;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    if let Some(parent) = dir.join(name).parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn diff_exit_codes_formats_and_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "mig/0001_init.up.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int);\n",
    );
    write(d, "mig/0001_init.down.sql", "DROP TABLE t;\n");
    write(
        d,
        "to.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a bigint, b text);\nCREATE INDEX t_b_idx ON t (b);\n",
    );
    let run = |args: &[&str]| {
        let out = strata().current_dir(d).args(args).output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // A type change rewrites the table: not allowed by default.
    let (code, script, err) = run(&["diff", "--from", "mig", "--to", "to.sql"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        script.contains("ALTER TABLE public.t ALTER COLUMN a TYPE bigint"),
        "{script}"
    );
    assert!(
        script.contains("CREATE INDEX CONCURRENTLY t_b_idx"),
        "{script}"
    );
    assert!(err.contains("rewrites_table"), "{err}");
    let (code, _, err) = run(&[
        "diff",
        "--from",
        "mig",
        "--to",
        "to.sql",
        "--allow-hazard",
        "all",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, json, _) = run(&[
        "diff", "--from", "mig", "--to", "to.sql", "--format", "json",
    ]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(
        v["steps"].as_array().is_some_and(|s| s.len() >= 3),
        "{json}"
    );
    assert!(
        v["hazards"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x == "rewrites_table"))
    );
    // Same schema both sides: empty plan, exit 0.
    let (code, out, _) = run(&["diff", "--from", "to.sql", "--to", "to.sql"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("no changes"), "{out}");
    // Unknown hazard code: an error.
    let (code, _, err) = run(&[
        "diff",
        "--from",
        "to.sql",
        "--to",
        "to.sql",
        "--allow-hazard",
        "nope",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown hazard code"), "{err}");
}

#[test]
fn design_renames_become_renames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a/s.strata",
        "entity Customer {\n  mail text\n  nick text\n}\n",
    );
    write(
        d,
        "b/s.strata",
        "entity Client {\n  renamed_from Customer\n  email text renamed_from mail\n  nick text\n}\n",
    );
    let out = strata()
        .current_dir(d)
        .args(["diff", "--from", "a", "--to", "b", "--allow-hazard", "all"])
        .output()
        .expect("run");
    let script = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        script.contains("ALTER TABLE public.customers RENAME TO clients;"),
        "{script}"
    );
    assert!(
        script.contains("ALTER TABLE public.clients RENAME COLUMN mail TO email;"),
        "{script}"
    );
    assert!(!script.contains("DROP TABLE"), "{script}");
    assert!(!script.contains("DROP COLUMN"), "{script}");
}
