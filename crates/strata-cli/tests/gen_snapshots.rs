//! Snapshots of every `strata gen` target on `examples/todo` and the pagila corpus schema;
//! a second run must give byte-identical files.

mod common;
mod gen_common;

use std::collections::BTreeMap;
use std::path::Path;

use gen_common::*;

const TARGETS: &[&str] = &["sqlmodel", "alembic", "drizzle", "rust"];

/// Every file under `dir`, by relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("relative")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).expect("utf-8 file"));
            }
        }
    }
    out
}

fn snapshot_all(src: &Path, label: &str) {
    for target in TARGETS {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        gen_to(target, src, a.path(), &[]);
        gen_to(target, src, b.path(), &[]);
        let first = read_tree(a.path());
        assert!(!first.is_empty(), "{target} wrote nothing");
        assert_eq!(
            first,
            read_tree(b.path()),
            "{target} output is not deterministic"
        );
        for (path, contents) in first {
            let name = format!("{label}__{target}__{}", path.replace(['/', '.'], "_"));
            insta::assert_snapshot!(name, contents);
        }
    }
}

#[test]
fn todo_outputs() {
    snapshot_all(&repo_root().join("examples/todo"), "todo");
}

#[test]
fn pagila_outputs() {
    snapshot_all(&repo_root().join("corpus/pagila-schema.sql"), "pagila");
}

#[test]
fn one_file_targets_print_and_others_need_out() {
    let todo = repo_root().join("examples/todo");
    let o = strata()
        .args(["gen", "drizzle"])
        .arg(&todo)
        .output()
        .expect("run");
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("export const tasks = pgTable(\"tasks\""));
    let o = strata()
        .args(["gen", "sqlmodel"])
        .arg(&todo)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--out DIR"));
}

#[test]
fn strata_toml_overrides_pool_settings_and_rejects_typos() {
    let dir = tempfile::tempdir().expect("tempdir");
    for f in ["accounts.strata", "chat.strata", "tasks.strata"] {
        std::fs::copy(
            repo_root().join("examples/todo").join(f),
            dir.path().join(f),
        )
        .expect("copy");
    }
    std::fs::write(
        dir.path().join("strata.toml"),
        "[gen.sqlmodel]\nurl_env = \"APP_DB\"\n[gen.sqlmodel.production]\npool_size = 40\n",
    )
    .expect("write toml");
    let out = dir.path().join("out");
    gen_to("sqlmodel", dir.path(), &out, &[]);
    let db = std::fs::read_to_string(out.join("database.py")).expect("database.py");
    assert!(db.contains("URL_ENV = \"APP_DB\""), "{db}");
    assert!(
        db.contains("\"production\": {\"pool_size\": 40, \"max_overflow\": 20"),
        "{db}"
    );
    std::fs::write(
        dir.path().join("strata.toml"),
        "[gen.sqlmodel.production]\npool_sise = 4\n",
    )
    .expect("write toml");
    let o = strata()
        .args(["gen", "sqlmodel"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("pool_sise") && err.contains("strata.toml"),
        "{err}"
    );
}
